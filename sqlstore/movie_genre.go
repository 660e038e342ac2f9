package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

// AddMovieGenre gives a movie a genre. It reports whether the link is new:
// adding a genre the movie has already changes nothing. A movie or genre
// that does not exist is a *catalog.ValidationError naming the field.
func (s *Store) AddMovieGenre(ctx context.Context, movieID, genreID int64) (added bool, err error) {
	err = s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, movieRef(movieID), genreRef(genreID)); err != nil {
			return err
		}
		var err error
		added, err = insertMovieGenre(ctx, tx, movieID, genreID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlstore: add genre %d to movie %d: %w", genreID, movieID, err)
	}
	return added, nil
}

func insertMovieGenre(ctx context.Context, tx *Tx, movieID, genreID int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO movie_genres (movie_id, genre_id, "createdAt", "updatedAt")
		VALUES ($1, $2, $3, $3) ON CONFLICT (movie_id, genre_id) DO NOTHING`, movieID, genreID, tx.now)
	if err != nil {
		return false, translate(err, opWrite)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// RemoveMovieGenre takes a genre from a movie. It reports whether the movie
// had it; a movie that does not exist is catalog.ErrNotFound.
func (s *Store) RemoveMovieGenre(ctx context.Context, movieID, genreID int64) (removed bool, err error) {
	err = s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM movie_genres WHERE movie_id = $1 AND genre_id = $2", movieID, genreID)
		if err != nil {
			return translate(err, opDelete)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		removed = n > 0
		if !removed {
			return requireMovie(ctx, tx, movieID)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("sqlstore: remove genre %d from movie %d: %w", genreID, movieID, err)
	}
	return removed, nil
}

// requireMovie returns catalog.ErrNotFound unless the movie with id exists.
func requireMovie(ctx context.Context, q queryer, id int64) error {
	var exists bool
	if err := q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM movies WHERE id = $1)", id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return catalog.ErrNotFound
	}
	return nil
}

// MovieGenres returns the genres of a movie ordered by name, or
// catalog.ErrNotFound when there is no such movie.
func (s *Store) MovieGenres(ctx context.Context, movieID int64) ([]catalog.Genre, error) {
	genres, err := s.movieGenres(ctx, movieID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: genres of movie %d: %w", movieID, err)
	}
	return genres, nil
}

func (s *Store) movieGenres(ctx context.Context, movieID int64) ([]catalog.Genre, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT g.id, g.name, g."createdAt", g."updatedAt"
		FROM movie_genres mg JOIN genres g ON g.id = mg.genre_id
		WHERE mg.movie_id = $1 ORDER BY lower(g.name), g.id`, movieID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	genres := []catalog.Genre{}
	for rows.Next() {
		n, err := scanNamed(rows)
		if err != nil {
			return nil, err
		}
		genres = append(genres, *genreOf(n))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(genres) == 0 {
		if err := requireMovie(ctx, s.read, movieID); err != nil {
			return nil, err
		}
	}
	return genres, nil
}

// SetMovieGenres makes genreIDs the genres of a movie, in one transaction:
// links to other genres go, new ones come, and the links that stay keep
// their createdAt. A movie or genre that does not exist is a
// *catalog.ValidationError naming the field, and nothing changes.
func (s *Store) SetMovieGenres(ctx context.Context, movieID int64, genreIDs []int64) error {
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, movieRef(movieID)); err != nil {
			return err
		}
		return setMovieGenres(ctx, tx, movieID, genreIDs, "genre_id")
	})
	if err != nil {
		return fmt.Errorf("sqlstore: set genres of movie %d: %w", movieID, err)
	}
	return nil
}

// setMovieGenres makes genreIDs the genres of movie movieID within tx,
// keeping the links that stay. A genre that does not exist is a
// *catalog.ValidationError naming field.
func setMovieGenres(ctx context.Context, tx *Tx, movieID int64, genreIDs []int64, field string) error {
	ids := slices.Clone(genreIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var refs []ref
	for _, id := range ids {
		r := genreRef(id)
		r.field = field
		refs = append(refs, r)
	}
	if err := checkRefs(ctx, tx, refs...); err != nil {
		return err
	}
	q := "DELETE FROM movie_genres WHERE movie_id = $1"
	args := []any{movieID}
	if len(ids) > 0 {
		marks := make([]string, len(ids))
		for i, id := range ids {
			marks[i] = "$" + strconv.Itoa(i+2)
			args = append(args, id)
		}
		q += " AND genre_id NOT IN (" + strings.Join(marks, ", ") + ")"
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return translate(err, opDelete)
	}
	for _, id := range ids {
		if _, err := insertMovieGenre(ctx, tx, movieID, id); err != nil {
			return err
		}
	}
	return nil
}
