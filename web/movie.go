package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

func (s *server) movieRoutes() []route {
	return []route{
		{"GET /movies", publicAccess, s.searchMovies},
		{"GET /movies/{id}", publicAccess, s.movie},
	}
}

// searchPageSize is how many movies a page of search results shows.
const searchPageSize = 24

// sortOptions are the orders the search form offers, as the sort parameter
// takes them: a key of catalog.MovieSorts, "-" first for descending.
var sortOptions = []struct{ Value, Label string }{
	{"title", "Title (A–Z)"},
	{"-title", "Title (Z–A)"},
	{"-release_date", "Newest first"},
	{"release_date", "Oldest first"},
	{"-popularity", "Most favorited"},
	{"-budget", "Biggest budget"},
	{"duration", "Shortest"},
	{"-duration", "Longest"},
	{"-created_at", "Recently added"},
}

type searchData struct {
	Genres    []catalog.Genre
	Countries []catalog.Country
	Sorts     []struct{ Value, Label string }
	Results   catalog.List[catalog.MovieSummary]
	// Searched is false when the form had errors and nothing was searched.
	Searched bool
	Pages    pager
}

// searchMovies shows the search form and a page of the movies it selects.
// The form is a GET, so a search is a URL that can be bookmarked.
func (s *server) searchMovies(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, errs := parseMovieSearch(q)
	genres, err := allGenres(r, s.store)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	countries, err := allCountries(r, s.store)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := searchData{Genres: genres, Countries: countries, Sorts: sortOptions}
	v := view{Title: "Search movies", Form: formValues(q), Errors: errs, Data: &data}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "search", v)
		return
	}
	data.Results, err = s.store.SearchMovies(r.Context(), f)
	if err != nil {
		s.fail(w, r, fmt.Errorf("search movies: %w", err))
		return
	}
	data.Searched = true
	data.Pages = newPager(r.URL, data.Results)
	s.render(w, r, http.StatusOK, "search", v)
}

// parseMovieSearch reads the search form: q, genre (ids, repeatable),
// genre_match (any or all), country, year_from, year_to, min_duration,
// max_duration, sort and page. Empty fields do not filter. It returns a
// message per field that is wrong.
func parseMovieSearch(q url.Values) (catalog.MovieSearch, map[string]string) {
	f := catalog.MovieSearch{Q: strings.TrimSpace(q.Get("q")), Page: catalog.Page{Number: 1, Size: searchPageSize}}
	errs := map[string]string{}
	for _, g := range q["genre"] {
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil || id < 1 {
			errs["genre"] = "must be chosen from the list"
			break
		}
		f.GenreIDs = append(f.GenreIDs, id)
	}
	switch q.Get("genre_match") {
	case "", "any":
	case "all":
		f.GenreMatchAll = true
	default:
		errs["genre_match"] = "must be any or all"
	}
	if c := q.Get("country"); c != "" {
		id, err := strconv.ParseInt(c, 10, 64)
		if err != nil || id < 1 {
			errs["country"] = "must be chosen from the list"
		} else {
			f.CountryIDs = []int64{id}
		}
	}
	from := intField(q, "year_from", 1, 9999, errs)
	to := intField(q, "year_to", 1, 9999, errs)
	if from != nil {
		f.ReleasedFrom = &catalog.Date{Year: *from, Month: 1, Day: 1}
	}
	if to != nil {
		f.ReleasedTo = &catalog.Date{Year: *to, Month: 12, Day: 31}
	}
	if from != nil && to != nil && *from > *to {
		errs["year_to"] = "must not be before the first year"
	}
	f.MinDuration = intField(q, "min_duration", 0, 100000, errs)
	f.MaxDuration = intField(q, "max_duration", 0, 100000, errs)
	if sort := q.Get("sort"); sort != "" {
		key, desc := strings.CutPrefix(sort, "-")
		if !validSort(key) {
			errs["sort"] = "must be chosen from the list"
		}
		f.Sort, f.Desc = key, desc
	}
	f.Page = listPage(q, searchPageSize, errs)
	return f, errs
}

func validSort(key string) bool {
	for _, k := range catalog.MovieSorts {
		if k == key {
			return true
		}
	}
	return false
}

// intField reads an optional whole number between min and max from field,
// recording a message in errs when it is not one.
func intField(q url.Values, field string, min, max int, errs map[string]string) *int {
	s := strings.TrimSpace(q.Get(field))
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		errs[field] = fmt.Sprintf("must be a whole number from %d to %d", min, max)
		return nil
	}
	return &n
}

type movieData struct {
	Movie    *catalog.MovieDetail
	Favorite bool
	// Cast groups the cast by role, leading first.
	Cast []castGroup
}

type castGroup struct {
	Role    string
	Entries []catalog.CastEntry
}

// movie shows a movie with its poster, facts, director, cast and the
// favorite button.
func (s *server) movie(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	m, err := s.store.MovieDetail(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("movie %d: %w", id, err))
		return
	}
	data := movieData{Movie: m, Cast: groupCast(m.Cast)}
	if u := userOf(r); u != nil {
		if data.Favorite, err = s.store.IsFavorite(r.Context(), u.ID, id); err != nil {
			s.fail(w, r, fmt.Errorf("movie %d: %w", id, err))
			return
		}
	}
	s.render(w, r, http.StatusOK, "movie", view{Title: m.Title, Data: data})
}

// groupCast splits a cast, ordered by role, into one group per role.
func groupCast(cast []catalog.CastEntry) []castGroup {
	var groups []castGroup
	for _, e := range cast {
		if n := len(groups); n == 0 || groups[n-1].Role != e.Character.Role {
			groups = append(groups, castGroup{Role: e.Character.Role})
		}
		g := &groups[len(groups)-1]
		g.Entries = append(g.Entries, e)
	}
	return groups
}

// pathID reads a positive id from a path wildcard; anything else names no
// page.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// allGenres returns every genre, by name, paging through the store; a
// catalog has a few dozen.
func allGenres(r *http.Request, st Store) ([]catalog.Genre, error) {
	return all(func(p catalog.Page) (catalog.List[catalog.Genre], error) {
		return st.ListGenres(r.Context(), catalog.GenreFilter{Page: p})
	})
}

// allCountries returns every country, by name; there are a few hundred at
// most.
func allCountries(r *http.Request, st Store) ([]catalog.Country, error) {
	return all(func(p catalog.Page) (catalog.List[catalog.Country], error) {
		return st.ListCountries(r.Context(), catalog.CountryFilter{Page: p})
	})
}

// maxListPages bounds all: a list longer than this many full pages is not
// one a form can offer in a menu.
const maxListPages = 10

func all[T any](list func(catalog.Page) (catalog.List[T], error)) ([]T, error) {
	var out []T
	for n := 1; n <= maxListPages; n++ {
		l, err := list(catalog.Page{Number: n, Size: catalog.MaxPageSize})
		if err != nil {
			return nil, fmt.Errorf("list page %d: %w", n, err)
		}
		out = append(out, l.Items...)
		if len(out) >= l.Total || len(l.Items) == 0 {
			break
		}
	}
	return out, nil
}
