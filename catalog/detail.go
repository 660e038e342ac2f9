package catalog

// A MovieDetail is a movie with everything its page shows: poster,
// country, director, genres, cast and how many users keep it as a favorite.
type MovieDetail struct {
	Movie
	Poster   *File
	Country  *Country
	Director *PersonSummary
	// Genres are ordered by name.
	Genres []Genre
	// Cast is ordered leading, supporting, then background roles, each by
	// character name.
	Cast           []CastEntry
	FavoritesCount int
	// Version is the movie's detail version in the snapshot the detail was
	// read from: every write that can change the detail changes it. It is
	// compared for equality only.
	Version int64
}

// A CastEntry is a character of a movie's cast and who plays it: Actor is
// nil when nobody known does.
type CastEntry struct {
	Character Character
	Actor     *PersonSummary
}

// A PersonDetail is a person with everything their page shows: country,
// photos and filmography.
type PersonDetail struct {
	Person
	Country *Country
	// Photos come primary first, then oldest first.
	Photos []Photo
	// Directed and Played are the first FilmographyPreview of each list,
	// newest release first, movies without a release date last; the
	// counts are of the whole lists.
	Directed      []MovieBrief
	Played        []PlayedRole
	DirectedCount int
	PlayedCount   int
}

// FilmographyPreview is how many movies directed, and how many characters
// played, a person detail holds: the busiest people have tens of
// thousands, which the filmography lists page through.
const FilmographyPreview = 20

// A Photo is one of a person's photos.
type Photo struct {
	File
	IsPrimary bool
}

// A MovieBrief is a movie as a filmography lists it.
type MovieBrief struct {
	ID          int64
	Title       string
	ReleaseDate *Date
	Poster      *File
}

// A PlayedRole is a character a person plays in a movie.
type PlayedRole struct {
	Movie     MovieBrief
	Character Character
}
