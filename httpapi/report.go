package httpapi

import (
	"fmt"
	"net/http"

	"github.com/moviedb/moviedb/catalog"
)

// reportRoutes lists the routes of /api/v1/reports.
func (s *server) reportRoutes() []route {
	return []route{
		{"GET /api/v1/reports/actor-budgets", publicAccess, handle(s.actorBudgetsReport)},
		{"GET /api/v1/reports/recent-movies", publicAccess, handle(s.recentMoviesReport)},
		{"GET /api/v1/reports/director-budgets", publicAccess, handle(s.directorBudgetsReport)},
		{"GET /api/v1/reports/user-favorites", adminAccess, handle(s.userFavoritesReport)},
	}
}

// actorBudgetJSON is a row of the actor-budgets report.
type actorBudgetJSON struct {
	ID          int64         `json:"id"`
	FirstName   string        `json:"first_name"`
	LastName    string        `json:"last_name"`
	TotalBudget catalog.Money `json:"total_budget"`
}

func newActorBudgetJSON(a *catalog.ActorBudget) actorBudgetJSON {
	return actorBudgetJSON{ID: a.PersonID, FirstName: a.FirstName, LastName: a.LastName, TotalBudget: a.TotalBudget}
}

// actorBudgetsReport answers a page of every actor of a movie with a
// budget, with the total budget of the distinct such movies they play in.
func (s *server) actorBudgetsReport(w http.ResponseWriter, r *http.Request) {
	servePage(s, w, r, "actor budgets report", s.store.ActorBudgets, newActorBudgetJSON)
}

// recentMovieJSON is a row of the recent-movies report.
type recentMovieJSON struct {
	ID          int64        `json:"id"`
	Title       string       `json:"title"`
	ReleaseDate catalog.Date `json:"release_date"`
	ActorsCount int          `json:"actors_count"`
}

func newRecentMovieJSON(m *catalog.RecentMovie) recentMovieJSON {
	return recentMovieJSON{ID: m.ID, Title: m.Title, ReleaseDate: m.ReleaseDate, ActorsCount: m.ActorsCount}
}

// Bounds of the years parameter of the recent-movies report.
const (
	defaultRecentYears = 5
	maxRecentYears     = 200
)

// recentMoviesReport answers a page of the movies released in the last
// years years (today in UTC included), each with its number of distinct
// known actors.
func (s *server) recentMoviesReport(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	years := q.intRange("years", defaultRecentYears, 1, maxRecentYears)
	page := q.page()
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.RecentMovies(r.Context(), years, s.today(), page)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("recent movies report: %w", queryFault(err)))
		return
	}
	writeList(s, w, r, list, newRecentMovieJSON)
}

// directorBudgetJSON is a row of the director-budgets report.
type directorBudgetJSON struct {
	ID            int64         `json:"id"`
	FirstName     string        `json:"first_name"`
	LastName      string        `json:"last_name"`
	AverageBudget catalog.Money `json:"average_budget"`
}

func newDirectorBudgetJSON(d *catalog.DirectorBudget) directorBudgetJSON {
	return directorBudgetJSON{ID: d.PersonID, FirstName: d.FirstName, LastName: d.LastName, AverageBudget: d.AverageBudget}
}

// directorBudgetsReport answers a page of every director with the average
// budget of their movies that have one.
func (s *server) directorBudgetsReport(w http.ResponseWriter, r *http.Request) {
	servePage(s, w, r, "director budgets report", s.store.DirectorBudgets, newDirectorBudgetJSON)
}
