package catalog

import "time"

// An ActorBudget is a row of the actor-budgets report: an actor who plays
// in at least one movie with a budget, and the total budget of the
// distinct such movies. An actor of movies without a budget alone has no
// row, as a director of such movies has no DirectorBudget.
type ActorBudget struct {
	PersonID    int64
	FirstName   string
	LastName    string
	TotalBudget Money
}

// A RecentMovie is a row of the recent-movies report: a movie released
// lately and how many distinct known actors play in it.
type RecentMovie struct {
	ID          int64
	Title       string
	ReleaseDate Date
	ActorsCount int
}

// A DirectorBudget is a row of the director-budgets report: a director and
// the average budget of their movies that have one, rounded half up to the
// cent.
type DirectorBudget struct {
	PersonID      int64
	FirstName     string
	LastName      string
	AverageBudget Money
}

// AddYears returns the date n calendar years after d (before it when n is
// negative). February 29 becomes February 28 in a year that has none.
func (d Date) AddYears(n int) Date {
	y := d.Year + n
	if last := time.Date(y, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day(); d.Day > last {
		return Date{Year: y, Month: d.Month, Day: last}
	}
	return Date{Year: y, Month: d.Month, Day: d.Day}
}
