package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

const favoriteColumns = `user_id, movie_id, "createdAt", "updatedAt"`

// AddFavorite adds movie movieID to the favorites of user userID and
// reports whether it was added: a movie that is a favorite already stays as
// it was, with added false. A user or movie that does not exist is a
// *catalog.ValidationError naming user_id or movie_id.
func (s *Store) AddFavorite(ctx context.Context, userID, movieID int64) (added bool, err error) {
	err = s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, userRef(userID), movieRef(movieID)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO favorite_movies (user_id, movie_id, "createdAt", "updatedAt")
			VALUES ($1, $2, $3, $3) ON CONFLICT (user_id, movie_id) DO NOTHING`, userID, movieID, tx.now)
		if err != nil {
			return translate(err, opWrite)
		}
		n, err := res.RowsAffected()
		added = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlstore: add favorite %d of user %d: %w", movieID, userID, err)
	}
	return added, nil
}

// RemoveFavorite removes movie movieID from the favorites of user userID
// and reports whether it was there.
func (s *Store) RemoveFavorite(ctx context.Context, userID, movieID int64) (removed bool, err error) {
	err = s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx,
			"DELETE FROM favorite_movies WHERE user_id = $1 AND movie_id = $2", userID, movieID)
		if err != nil {
			return translate(err, opDelete)
		}
		n, err := res.RowsAffected()
		removed = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlstore: remove favorite %d of user %d: %w", movieID, userID, err)
	}
	return removed, nil
}

// favoritesNewestFirst is the order of a user's favorites, which
// favorite_movies_user_created_idx serves (the user's id equal, then
// "createdAt"; SQLite and PostgreSQL both find movie_id in the primary key).
// A cursor is the user's own: another user's is refused.
func favoritesNewestFirst(userID int64, alias string) keyset {
	return keyset{scope: fmt.Sprintf("favorites:newest:user=%d", userID), keys: []sortKey{
		{expr: alias + `"createdAt"`, kind: keyTime, desc: true}, {expr: alias + "movie_id", kind: keyInt, desc: true}}}
}

// ListFavorites returns a page of the favorites of user userID, the newest
// first, or catalog.ErrNotFound when there is no such user.
func (s *Store) ListFavorites(ctx context.Context, userID int64, page catalog.Page) (catalog.List[catalog.Favorite], error) {
	q := keysetQuery{columns: favoriteColumns, from: "FROM favorite_movies", where: "user_id = $1",
		args: []any{userID}, order: favoritesNewestFirst(userID, "")}
	list, err := listPage(ctx, s, fmt.Sprintf("favorites of user %d", userID), q, page,
		func(row interface{ Scan(...any) error }, extra ...any) (*catalog.Favorite, error) {
			var f catalog.Favorite
			err := row.Scan(append([]any{&f.UserID, &f.MovieID, &f.CreatedAt, &f.UpdatedAt}, extra...)...)
			f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
			return &f, err
		}, exactCount)
	return list, s.ownerExists(ctx, list.Total, err, "users", userID)
}

// FavoritesCount returns how many users keep movie movieID among their
// favorites: 0 for a movie nobody keeps, or that does not exist.
func (s *Store) FavoritesCount(ctx context.Context, movieID int64) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM favorite_movies WHERE movie_id = $1", movieID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: favorites count of movie %d: %w", movieID, err)
	}
	return n, nil
}

// IsFavorite reports whether user userID keeps movie movieID among their
// favorites: false when either does not exist.
func (s *Store) IsFavorite(ctx context.Context, userID, movieID int64) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx,
		"SELECT count(*) FROM favorite_movies WHERE user_id = $1 AND movie_id = $2", userID, movieID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqlstore: is movie %d a favorite of user %d: %w", movieID, userID, err)
	}
	return n > 0, nil
}

// ListFavoriteMovies returns a page of a user's favorite movies, newest
// favorite first, each with its poster and director, in one query.
func (s *Store) ListFavoriteMovies(ctx context.Context, userID int64, page catalog.Page) (catalog.List[catalog.MovieSummary], error) {
	q := keysetQuery{columns: summaryColumns, from: "FROM favorite_movies f JOIN movies m ON m.id = f.movie_id" + summaryJoins,
		countFrom: "FROM favorite_movies f", where: "f.user_id = $1", args: []any{userID}, order: favoritesNewestFirst(userID, "f.")}
	return listPage(ctx, s, fmt.Sprintf("favorite movies of user %d", userID), q, page, scanSummary, exactCount)
}

// userFavoritesScope names the user-favorites report in cursors.
const userFavoritesScope = "user-favorites:id"

// userFavoritesSQL returns the query of a page of the user-favorites
// report with its arguments and how many users it reads: one more than
// the page, to tell whether another follows. Users are read by id, after
// page.Cursor's user (an index range, at any depth) or, by number, with
// OFFSET, whose cost grows with the page number; favorites are read for
// the page's users only.
func userFavoritesSQL(engine Engine, page catalog.Page) (string, []any, int, error) {
	page = page.Normalize()
	limit := page.Size + 1
	after, offset := int64(0), page.Offset()
	if page.Cursor != "" {
		c, err := catalog.DecodeCursor(page.Cursor, userFavoritesScope, 1)
		if err != nil {
			return "", nil, 0, err
		}
		if after, err = c.Int(0); err != nil {
			return "", nil, 0, err
		}
		offset = 0
	}
	// The engines name their string aggregate differently; both order it.
	agg := `group_concat(f.movie_id, ',' ORDER BY f."createdAt", f.movie_id)`
	if engine == Postgres {
		agg = `string_agg(f.movie_id::text, ',' ORDER BY f."createdAt", f.movie_id)`
	}
	q := `
		WITH page AS (
			SELECT id, username FROM users WHERE id > $1 ORDER BY id LIMIT $2 OFFSET $3
		)
		SELECT p.id, p.username, ` + agg + `
		FROM page p LEFT JOIN favorite_movies f ON f.user_id = p.id
		GROUP BY p.id, p.username
		ORDER BY p.id`
	return q, []any{after, limit, offset}, limit, nil
}

// UserFavoritesReport returns a page of users, by id, each with the ids of
// their favorite movies (oldest favorite first; empty when none), and the
// exact count of users, which a trigger keeps (migration 0010). A page
// after page.Cursor costs the same at any depth; a page by number reads
// and skips the users before it.
func (s *Store) UserFavoritesReport(ctx context.Context, page catalog.Page) (catalog.List[catalog.UserFavorites], error) {
	list := catalog.List[catalog.UserFavorites]{Page: page.Normalize(), Items: []catalog.UserFavorites{}, TotalRelation: catalog.TotalExact}
	q, args, limit, err := userFavoritesSQL(s.engine, page)
	if err != nil {
		return list, fmt.Errorf("sqlstore: user favorites report: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return list, fmt.Errorf("sqlstore: user favorites report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			u   = catalog.UserFavorites{FavoriteMovieIDs: []int64{}}
			ids sql.NullString
		)
		if err := rows.Scan(&u.ID, &u.Username, &ids); err != nil {
			return list, fmt.Errorf("sqlstore: user favorites report: %w", err)
		}
		if len(list.Items) == limit-1 {
			last := list.Items[len(list.Items)-1].ID
			list.NextCursor = catalog.Cursor{Scope: userFavoritesScope, After: []*string{catalog.CursorInt(last)}}.Encode()
			break
		}
		if ids.Valid {
			for _, id := range strings.Split(ids.String, ",") {
				n, err := strconv.ParseInt(id, 10, 64)
				if err != nil {
					return list, fmt.Errorf("sqlstore: user favorites report: movie id %q: %w", id, err)
				}
				u.FavoriteMovieIDs = append(u.FavoriteMovieIDs, n)
			}
		}
		list.Items = append(list.Items, u)
	}
	if err := rows.Err(); err != nil {
		return list, fmt.Errorf("sqlstore: user favorites report: %w", err)
	}
	if list.Total, err = s.reportTotal(ctx, "users"); err != nil {
		return list, fmt.Errorf("sqlstore: user favorites report: %w", err)
	}
	return list, nil
}
