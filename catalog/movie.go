package catalog

import "time"

// A Movie is a film in the catalog.
type Movie struct {
	ID           int64
	Title        string
	Description  *string
	Budget       *Money
	ReleaseDate  *Date
	Duration     *int // minutes
	DirectorID   *int64
	CountryID    *int64
	PosterFileID *int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MovieUpdate holds the fields of a movie to change; nil means unchanged.
type MovieUpdate struct {
	Title        *string
	Description  *Nullable[string]
	Budget       *Nullable[Money]
	ReleaseDate  *Nullable[Date]
	Duration     *Nullable[int]
	DirectorID   *Nullable[int64]
	CountryID    *Nullable[int64]
	PosterFileID *Nullable[int64]
	// IfUpdatedAt, when set, makes the update happen only if the row's
	// updatedAt still equals it; otherwise it fails with
	// ErrPreconditionFailed and changes nothing.
	IfUpdatedAt *time.Time
}

// MovieFilter selects movies to list.
type MovieFilter struct {
	Page Page
}

// A MovieSummary is a movie as lists show it: its own columns with its
// poster and its director.
type MovieSummary struct {
	Movie
	Poster   *File
	Director *PersonSummary
}

// A PersonSummary names a person, with their primary photo if they have one.
type PersonSummary struct {
	ID        int64
	FirstName string
	LastName  string
	Photo     *File
}
