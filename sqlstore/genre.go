package sqlstore

import (
	"context"

	"github.com/moviedb/moviedb/catalog"
)

func genreOf(n namedRow) *catalog.Genre {
	c := catalog.Genre(n)
	return &c
}

// CreateGenre inserts c and sets its ID and timestamps. A name that exists
// already (in any case) is a *catalog.ConflictError.
func (s *Store) CreateGenre(ctx context.Context, c *catalog.Genre) error {
	n, err := s.createNamed(ctx, genresTable, c.Name)
	if err != nil {
		return err
	}
	*c = *genreOf(n)
	return nil
}

// GenreByID returns the genre with id, or catalog.ErrNotFound.
func (s *Store) GenreByID(ctx context.Context, id int64) (*catalog.Genre, error) {
	n, err := s.namedByID(ctx, genresTable, id)
	if err != nil {
		return nil, err
	}
	return genreOf(n), nil
}

// GenreByName returns the genre named name in any case, or catalog.ErrNotFound.
func (s *Store) GenreByName(ctx context.Context, name string) (*catalog.Genre, error) {
	n, err := s.namedByName(ctx, genresTable, name)
	if err != nil {
		return nil, err
	}
	return genreOf(n), nil
}

// UpdateGenre changes the fields upd sets and returns the genre.
func (s *Store) UpdateGenre(ctx context.Context, id int64, upd catalog.GenreUpdate) (*catalog.Genre, error) {
	n, err := s.updateNamed(ctx, genresTable, id, upd.Name)
	if err != nil {
		return nil, err
	}
	return genreOf(n), nil
}

// DeleteGenre deletes a genre no movie has. While movies have it, it is a
// *catalog.ConflictError on genre_id and nothing changes: taking a genre
// from every movie at once is ForceDeleteGenre, asked for on purpose.
func (s *Store) DeleteGenre(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, genresTable, id, movieGenreFK)
}

// ForceDeleteGenre deletes a genre even while movies have it; they lose it.
func (s *Store) ForceDeleteGenre(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, genresTable, id)
}

// ListGenres returns a page of genres ordered by name.
func (s *Store) ListGenres(ctx context.Context, f catalog.GenreFilter) (catalog.List[catalog.Genre], error) {
	l, err := s.listNamed(ctx, genresTable, f.Page)
	return convertList(l, func(n namedRow) catalog.Genre { return catalog.Genre(n) }), err
}
