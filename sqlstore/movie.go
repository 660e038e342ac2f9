package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

const movieColumns = `id, title, description, budget, release_date, duration,
	director_id, country_id, poster_file_id, "createdAt", "updatedAt"`

func scanMovie(row interface{ Scan(...any) error }, extra ...any) (*catalog.Movie, error) {
	var (
		m           catalog.Movie
		description sql.NullString
		budget      sql.NullString
		releaseDate sql.NullTime
		duration    sql.NullInt64
		director    sql.NullInt64
		country     sql.NullInt64
		poster      sql.NullInt64
	)
	dest := append([]any{&m.ID, &m.Title, &description, &budget, &releaseDate, &duration,
		&director, &country, &poster, &m.CreatedAt, &m.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if m.Budget, err = moneyOf(budget); err != nil {
		return nil, fmt.Errorf("movie %d budget: %w", m.ID, err)
	}
	m.Description = stringOf(description)
	m.ReleaseDate = dateOf(releaseDate)
	m.Duration = intOf(duration)
	m.DirectorID = int64Of(director)
	m.CountryID = int64Of(country)
	m.PosterFileID = int64Of(poster)
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return &m, nil
}

// checkMovieValues rejects the values the database cannot store at all: on
// PostgreSQL they fail as out of range instead of breaking a named
// constraint, and SQLite would keep an oversized budget as a rounded float.
// The rules within range (a non-negative budget, 1 to 1000 minutes) are the
// database's constraints.
func checkMovieValues(budget *catalog.Money, releaseDate *catalog.Date, duration *int) error {
	v := &catalog.ValidationError{}
	if budget != nil && *budget > catalog.MaxMoney {
		v.Add("budget", "must be at most "+catalog.MaxMoney.String())
	}
	if releaseDate != nil && (releaseDate.Year < 1 || releaseDate.Year > 9999) {
		v.Add("release_date", "must be a date between years 1 and 9999")
	}
	if duration != nil && (*duration < math.MinInt32 || *duration > math.MaxInt32) {
		v.Add("duration", "must be between 1 and 1000 minutes")
	}
	return v.Err()
}

// updateRefID returns the id an update stores in a nullable reference
// column, or nil when it leaves the column as it is or clears it: either
// way there is nothing to check.
func updateRefID(n *catalog.Nullable[int64]) *int64 {
	if n == nil {
		return nil
	}
	return n.Value
}

// CreateMovie inserts m and sets its ID and timestamps. A director, country
// or poster that does not exist is a *catalog.ValidationError naming the
// field.
func (s *Store) CreateMovie(ctx context.Context, m *catalog.Movie) error {
	return s.CreateMovieWithGenres(ctx, m, nil)
}

// CreateMovieWithGenres inserts m with genreIDs as its genres in one
// transaction, as CreateMovie does: a genre that does not exist is a
// *catalog.ValidationError naming genre_ids, and then nothing is created.
func (s *Store) CreateMovieWithGenres(ctx context.Context, m *catalog.Movie, genreIDs []int64) error {
	if err := checkMovieValues(m.Budget, m.ReleaseDate, m.Duration); err != nil {
		return fmt.Errorf("sqlstore: create movie: %w", err)
	}
	var created *catalog.Movie
	err := s.inTx(ctx, func(tx *Tx) error {
		err := checkRefs(ctx, tx,
			personRef("director_id", m.DirectorID), countryRef(m.CountryID), fileRef("poster_file_id", m.PosterFileID))
		if err != nil {
			return err
		}
		created, err = scanMovie(tx.QueryRowContext(ctx, `INSERT INTO movies
			(title, description, budget, release_date, duration, director_id, country_id, poster_file_id, "createdAt", "updatedAt")
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING `+movieColumns,
			m.Title, m.Description, moneyArg(m.Budget), dateArg(m.ReleaseDate), m.Duration,
			m.DirectorID, m.CountryID, m.PosterFileID, tx.now))
		if err != nil {
			return translate(err, opWrite)
		}
		return setMovieGenres(ctx, tx, created.ID, genreIDs, "genre_ids")
	})
	if err != nil {
		return fmt.Errorf("sqlstore: create movie: %w", err)
	}
	*m = *created
	return nil
}

// MovieByID returns the movie with id, or catalog.ErrNotFound.
func (s *Store) MovieByID(ctx context.Context, id int64) (*catalog.Movie, error) {
	m, err := scanMovie(s.read.QueryRowContext(ctx, "SELECT "+movieColumns+" FROM movies WHERE id = $1", id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: movie %d: %w", id, translate(err, opWrite))
	}
	return m, nil
}

// UpdateMovie changes the fields upd sets and returns the movie. A director,
// country or poster that does not exist is a *catalog.ValidationError naming
// the field.
func (s *Store) UpdateMovie(ctx context.Context, id int64, upd catalog.MovieUpdate) (*catalog.Movie, error) {
	return s.updateMovie(ctx, id, upd, nil)
}

// UpdateMovieWithGenres changes the fields upd sets and makes genreIDs the
// movie's genres, in one transaction, as an edit form saves both: a genre
// that does not exist is a *catalog.ValidationError naming genre_ids, and
// then nothing changes.
func (s *Store) UpdateMovieWithGenres(ctx context.Context, id int64, upd catalog.MovieUpdate, genreIDs []int64) (*catalog.Movie, error) {
	if genreIDs == nil {
		genreIDs = []int64{}
	}
	return s.updateMovie(ctx, id, upd, genreIDs)
}

// updateMovie changes the fields upd sets and, unless genreIDs is nil, the
// genres.
func (s *Store) updateMovie(ctx context.Context, id int64, upd catalog.MovieUpdate, genreIDs []int64) (*catalog.Movie, error) {
	var set setList
	var budget *catalog.Money
	var releaseDate *catalog.Date
	var duration *int
	if upd.Title != nil {
		set.add("title", *upd.Title)
	}
	if upd.Description != nil {
		set.add("description", nullableArg(upd.Description))
	}
	if upd.Budget != nil {
		budget = upd.Budget.Value
		set.add("budget", nullableArg(upd.Budget))
	}
	if upd.ReleaseDate != nil {
		releaseDate = upd.ReleaseDate.Value
		set.add("release_date", nullableArg(upd.ReleaseDate))
	}
	if upd.Duration != nil {
		duration = upd.Duration.Value
		set.add("duration", nullableArg(upd.Duration))
	}
	if upd.DirectorID != nil {
		set.add("director_id", nullableArg(upd.DirectorID))
	}
	if upd.CountryID != nil {
		set.add("country_id", nullableArg(upd.CountryID))
	}
	if upd.PosterFileID != nil {
		set.add("poster_file_id", nullableArg(upd.PosterFileID))
	}
	if err := checkMovieValues(budget, releaseDate, duration); err != nil {
		return nil, fmt.Errorf("sqlstore: update movie %d: %w", id, err)
	}
	var m *catalog.Movie
	err := s.inTx(ctx, func(tx *Tx) error {
		err := checkRefs(ctx, tx,
			personRef("director_id", updateRefID(upd.DirectorID)),
			countryRef(updateRefID(upd.CountryID)),
			fileRef("poster_file_id", updateRefID(upd.PosterFileID)))
		if err != nil {
			return err
		}
		keys, keyVals := rowKeys(id, upd.IfUpdatedAt)
		q, args := set.updateSQL(tx, "movies", keys, keyVals, movieColumns)
		m, err = scanMovie(tx.QueryRowContext(ctx, q, args...))
		if errors.Is(err, sql.ErrNoRows) {
			return missedUpdate(ctx, tx, "movies", id, upd.IfUpdatedAt)
		}
		if err != nil || genreIDs == nil {
			return translate(err, opWrite)
		}
		return setMovieGenres(ctx, tx, id, genreIDs, "genre_ids")
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: update movie %d: %w", id, err)
	}
	return m, nil
}

// DeleteMovie deletes a movie with its genre links, cast rows and favorites.
func (s *Store) DeleteMovie(ctx context.Context, id int64) error {
	return s.DeleteMovieIf(ctx, id, nil)
}

// DeleteMovieIf is DeleteMovie that, when ifUpdatedAt is set, deletes the
// movie only if its updatedAt still equals it, as MovieUpdate.IfUpdatedAt
// does for an update: otherwise it fails with catalog.ErrPreconditionFailed
// and deletes nothing.
func (s *Store) DeleteMovieIf(ctx context.Context, id int64, ifUpdatedAt *time.Time) error {
	return s.deleteIf(ctx, "movies", id, ifUpdatedAt)
}

// ListMovies returns a page of movies ordered by id, its total counted up
// to catalog.MaxExactTotal.
func (s *Store) ListMovies(ctx context.Context, f catalog.MovieFilter) (catalog.List[catalog.Movie], error) {
	q := keysetQuery{columns: movieColumns, from: "FROM movies", order: byID("movies")}
	return listPage(ctx, s, "list movies", q, f.Page, scanMovie, boundedCount)
}
