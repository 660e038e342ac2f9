package catalog

// Sort keys of a movie search.
const (
	MovieSortTitle       = "title"
	MovieSortReleaseDate = "release_date"
	MovieSortBudget      = "budget"
	MovieSortDuration    = "duration"
	MovieSortPopularity  = "popularity" // how many users keep the movie among their favorites
	MovieSortCreatedAt   = "created_at"
)

// MovieSorts lists every sort key of a movie search.
var MovieSorts = []string{
	MovieSortTitle, MovieSortReleaseDate, MovieSortBudget,
	MovieSortDuration, MovieSortPopularity, MovieSortCreatedAt,
}

// MovieSearch selects movies to list. Every filter set narrows the result;
// an empty list or a nil bound does not filter. Every bound is inclusive.
type MovieSearch struct {
	// Q keeps movies whose title has every word of Q, without regard to
	// case or accents; the last word may be the start of a title word, as
	// a user types it. Only letters and digits make words.
	Q string
	// GenreIDs and GenreNames (matched without regard to case) together
	// list genres. A movie matches with any of them or, with GenreMatchAll,
	// with all of them. A name no genre has matches no movie.
	GenreIDs      []int64
	GenreNames    []string
	GenreMatchAll bool
	// CountryIDs, DirectorIDs and ActorIDs keep movies made in any of the
	// countries, directed by any of the persons, or with any of the persons
	// in their cast.
	CountryIDs   []int64
	DirectorIDs  []int64
	ActorIDs     []int64
	ReleasedFrom *Date
	ReleasedTo   *Date
	MinDuration  *int // minutes
	MaxDuration  *int
	MinBudget    *Money
	MaxBudget    *Money
	// Sort is one of MovieSorts, MovieSortTitle when empty. Movies without
	// a value to sort by come last in either direction; ties go by id.
	Sort string
	Desc bool
	Page Page
}
