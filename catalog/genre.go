package catalog

import "time"

// A Genre is a kind of movie, such as Drama or Western.
type Genre struct {
	ID        int64
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// GenreUpdate holds the fields of a genre to change; nil means unchanged.
type GenreUpdate struct {
	Name *string
}

// GenreFilter selects genres to list.
type GenreFilter struct {
	Page Page
}

// A MovieGenre links a movie to one of its genres.
type MovieGenre struct {
	MovieID   int64
	GenreID   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}
