package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// Countries and genres have the same shape: an id, a name unique without
// regard to case, and timestamps. These helpers serve both; table is always
// one of the two constants below, never input.

const (
	countriesTable = "countries"
	genresTable    = "genres"
)

type namedRow struct {
	ID        int64
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

const namedColumns = `id, name, "createdAt", "updatedAt"`

func scanNamed(row interface{ Scan(...any) error }) (namedRow, error) {
	var n namedRow
	err := row.Scan(&n.ID, &n.Name, &n.CreatedAt, &n.UpdatedAt)
	n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
	return n, err
}

func (s *Store) createNamed(ctx context.Context, table, name string) (namedRow, error) {
	var n namedRow
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		n, err = scanNamed(tx.QueryRowContext(ctx,
			"INSERT INTO "+table+` (name, "createdAt", "updatedAt") VALUES ($1, $2, $2) RETURNING `+namedColumns,
			name, tx.now))
		return translate(err, opWrite)
	})
	if err != nil {
		return namedRow{}, fmt.Errorf("sqlstore: create %s row: %w", table, err)
	}
	return n, nil
}

func (s *Store) namedByID(ctx context.Context, table string, id int64) (namedRow, error) {
	n, err := scanNamed(s.read.QueryRowContext(ctx, "SELECT "+namedColumns+" FROM "+table+" WHERE id = $1", id))
	if err != nil {
		return namedRow{}, fmt.Errorf("sqlstore: %s %d: %w", table, id, translate(err, opWrite))
	}
	return n, nil
}

// namedByName finds a row by name, ignoring case as the unique index does.
func (s *Store) namedByName(ctx context.Context, table, name string) (namedRow, error) {
	n, err := scanNamed(s.read.QueryRowContext(ctx,
		"SELECT "+namedColumns+" FROM "+table+" WHERE lower(name) = lower($1)", name))
	if err != nil {
		return namedRow{}, fmt.Errorf("sqlstore: %s named %q: %w", table, name, translate(err, opWrite))
	}
	return n, nil
}

func (s *Store) updateNamed(ctx context.Context, table string, id int64, name *string) (namedRow, error) {
	var n namedRow
	err := s.inTx(ctx, func(tx *Tx) error {
		var set setList
		if name != nil {
			set.add("name", *name)
		}
		q, args := set.updateSQL(tx, table, []string{"id"}, []any{id}, namedColumns)
		var err error
		n, err = scanNamed(tx.QueryRowContext(ctx, q, args...))
		return translate(err, opWrite)
	})
	if err != nil {
		return namedRow{}, fmt.Errorf("sqlstore: update %s %d: %w", table, id, err)
	}
	return n, nil
}

// deleteByID deletes one row by id: ErrNotFound when there is none, a
// *catalog.ConflictError when a row in blockers still refers to it.
func (s *Store) deleteByID(ctx context.Context, table string, id int64, blockers ...restrictFK) error {
	return s.deleteIf(ctx, table, id, nil, blockers...)
}

// deleteIf is deleteByID that, when ifUpdatedAt is set, deletes the row
// only if its updatedAt still equals it, in the DELETE itself as updates
// do (rowKeys), so that a write committed since the caller read the row
// is catalog.ErrPreconditionFailed and nothing is deleted.
func (s *Store) deleteIf(ctx context.Context, table string, id int64, ifUpdatedAt *time.Time, blockers ...restrictFK) error {
	err := s.inTx(ctx, func(tx *Tx) error {
		if len(blockers) > 0 {
			// Locked first, so that no reference can be added between the
			// check and the delete: a blocker that cascades has no foreign
			// key to refuse the delete then.
			if err := lockRow(ctx, tx, table, id); err != nil {
				return err
			}
		}
		if err := checkRestrictions(ctx, tx, id, blockers); err != nil {
			return err
		}
		keys, keyVals := rowKeys(id, ifUpdatedAt)
		res, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE "+keysClause(keys, 1), keyVals...)
		if err != nil {
			return translate(err, opDelete)
		}
		err = expectOne(res)
		if errors.Is(err, catalog.ErrNotFound) {
			return missedUpdate(ctx, tx, table, id, ifUpdatedAt)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlstore: delete %s %d: %w", table, id, err)
	}
	return nil
}

// A restrictFK is a foreign key that blocks a delete: while a row of table
// has column set to an id, the row with that id cannot be deleted. Most are
// declared ON DELETE RESTRICT; movieGenreFK cascades, so that a forced
// delete of a genre can take it from its movies, and only
// checkRestrictions blocks it.
type restrictFK struct {
	table, column, constraint string
}

var (
	movieDirectorFK = restrictFK{"movies", "director_id", "movies_director_id_fkey"}
	movieCountryFK  = restrictFK{"movies", "country_id", "movies_country_id_fkey"}
	personCountryFK = restrictFK{"persons", "country_id", "persons_country_id_fkey"}
	movieGenreFK    = restrictFK{"movie_genres", "genre_id", "movie_genres_genre_id_fkey"}
)

// lockRow locks row id of table until tx ends, as UPDATE would: other
// transactions can neither change it nor add rows that refer to it. On
// SQLite a write transaction holds the database's one write lock from its
// start (_txlock=immediate), so there is nothing more to take.
func lockRow(ctx context.Context, tx *Tx, table string, id int64) error {
	if tx.engine != Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT 1 FROM "+table+" WHERE id = $1 FOR UPDATE", id); err != nil {
		return fmt.Errorf("lock %s %d: %w", table, id, err)
	}
	return nil
}

// checkRestrictions returns the conflict of the first blocker that still
// refers to id. SQLite does not say which foreign key blocked a delete, so
// deletes look first, on both engines; the foreign keys stay the backstop.
func checkRestrictions(ctx context.Context, tx *Tx, id int64, blockers []restrictFK) error {
	for _, b := range blockers {
		var used bool
		err := tx.QueryRowContext(ctx,
			"SELECT EXISTS (SELECT 1 FROM "+b.table+" WHERE "+b.column+" = $1)", id).Scan(&used)
		if err != nil {
			return fmt.Errorf("look for %s.%s: %w", b.table, b.column, err)
		}
		if used {
			r := rules[b.constraint]
			return &catalog.ConflictError{Constraint: b.constraint, Field: r.field, Message: r.message}
		}
	}
	return nil
}

// listNamed returns a page of table (countries or genres) ordered by name,
// with an exact total: such tables hold a few hundred rows at most.
func (s *Store) listNamed(ctx context.Context, table string, page catalog.Page) (catalog.List[namedRow], error) {
	order := keyset{scope: table + ":name", keys: []sortKey{
		{expr: "lower(name)", kind: keyText}, {expr: "id", kind: keyInt}}}
	q := keysetQuery{columns: namedColumns, from: "FROM " + table, order: order}
	return listPage(ctx, s, "list "+table, q, page, func(row interface{ Scan(...any) error }, extra ...any) (*namedRow, error) {
		var n namedRow
		err := row.Scan(append([]any{&n.ID, &n.Name, &n.CreatedAt, &n.UpdatedAt}, extra...)...)
		n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
		return &n, err
	}, exactCount)
}

// count returns the number of rows of table; lists use it when their page
// is past the end and count(*) OVER () had no row to ride on.
func (s *Store) count(ctx context.Context, table string) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlstore: count %s: %w", table, err)
	}
	return n, nil
}

// expectOne turns a statement that touched no row into ErrNotFound.
func expectOne(res interface{ RowsAffected() (int64, error) }) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return catalog.ErrNotFound
	}
	return nil
}
