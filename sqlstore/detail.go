package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

// A detail view reads a fixed number of statements whatever the size of
// the cast or filmography: one per list it shows, each joining what its
// rows need. They run in one read transaction, so they see one snapshot.

// inReadTx runs fn in a read-only transaction on the read pool. Its
// statements see one snapshot: PostgreSQL's REPEATABLE READ takes it at the
// first statement, and so does SQLite's deferred transaction in WAL mode
// (the SQLite driver ignores the isolation level).
//
// statements are the queries fn runs; on SQLite they are prepared first,
// outside the transaction (see stmtCache.stmt for why not inside).
func (s *Store) inReadTx(ctx context.Context, statements []string, fn func(tx queryer) error) error {
	if s.stmts != nil {
		// A statement that cannot be prepared runs unprepared, and reports
		// its own error there.
		_ = s.stmts.prepareReads(ctx, statements...)
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	var q queryer = tx
	if s.stmts != nil {
		q = cachedReader{cache: s.stmts, tx: tx}
	}
	if err := fn(q); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", canceledOr(ctx, err))
	}
	return nil
}

// nullNamed scans the four columns of a country or genre from an outer join.
type nullNamed struct {
	id               sql.NullInt64
	name             sql.NullString
	created, updated sql.NullTime
}

func (n *nullNamed) dest() []any { return []any{&n.id, &n.name, &n.created, &n.updated} }

func (n *nullNamed) country() *catalog.Country {
	if !n.id.Valid {
		return nil
	}
	return &catalog.Country{ID: n.id.Int64, Name: n.name.String, CreatedAt: n.created.Time.UTC(), UpdatedAt: n.updated.Time.UTC()}
}

// nullPerson scans a person summary (id, names, then the primary photo's
// file columns) from an outer join.
type nullPerson struct {
	id          sql.NullInt64
	first, last sql.NullString
	photo       nullFile
}

func (p *nullPerson) dest() []any {
	return append([]any{&p.id, &p.first, &p.last}, p.photo.dest()...)
}

func (p *nullPerson) summary() *catalog.PersonSummary {
	if !p.id.Valid {
		return nil
	}
	return &catalog.PersonSummary{ID: p.id.Int64, FirstName: p.first.String, LastName: p.last.String, Photo: p.photo.file()}
}

// movieDetailSQL selects the movie $1 as summaryQuery does, with its
// country, its favorites count and its detail version.
var movieDetailSQL = summaryQuery(prefixed("c", namedColumns),
	"(SELECT count(*) FROM favorite_movies f WHERE f.movie_id = m.id)",
	"(SELECT v.version FROM movie_detail_versions v WHERE v.movie_id = m.id)") + `
	LEFT JOIN countries c ON c.id = m.country_id
	WHERE m.id = $1`

// movieGenresSQL selects the genres of movie $1 by name.
var movieGenresSQL = "SELECT " + prefixed("g", namedColumns) + `
	FROM movie_genres mg JOIN genres g ON g.id = mg.genre_id
	WHERE mg.movie_id = $1 ORDER BY lower(g.name), g.id`

// roleOrder sorts characters ch leading, supporting, then background.
const roleOrder = "CASE ch.role WHEN 'leading' THEN 0 WHEN 'supporting' THEN 1 ELSE 2 END"

// movieCastSQL selects the cast of movie $1, each character with its actor
// and the actor's primary photo, in billing order.
var movieCastSQL = "SELECT " + prefixed("ch", characterColumns) + `,
	p.id, p.first_name, p.last_name, pf.id, pf.file_name, pf.mime_type, pf.key, pf.url
	FROM movie_characters mc
	JOIN characters ch ON ch.id = mc.character_id
	LEFT JOIN persons p ON p.id = mc.person_id
	LEFT JOIN person_photo pp ON pp.person_id = p.id AND pp.is_primary
	LEFT JOIN img_files pf ON pf.id = pp.file_id
	WHERE mc.movie_id = $1
	ORDER BY ` + roleOrder + ", lower(ch.name), ch.id"

// MovieDetail returns the movie with id with its poster, country, director
// (with primary photo), genres, cast (with actors and their primary photos)
// and favorites count, in three queries whatever the cast size, or
// catalog.ErrNotFound. Its Version is read in the same snapshot.
func (s *Store) MovieDetail(ctx context.Context, id int64) (*catalog.MovieDetail, error) {
	d := &catalog.MovieDetail{Genres: []catalog.Genre{}, Cast: []catalog.CastEntry{}}
	err := s.inReadTx(ctx, []string{movieDetailSQL, movieGenresSQL, movieCastSQL}, func(tx queryer) error {
		var country nullNamed
		sum, err := scanSummary(tx.QueryRowContext(ctx, movieDetailSQL, id), append(country.dest(), &d.FavoritesCount, &d.Version)...)
		if err != nil {
			return translate(err, opWrite)
		}
		d.Movie, d.Poster, d.Director, d.Country = sum.Movie, sum.Poster, sum.Director, country.country()
		if err := queryRows(ctx, tx, movieGenresSQL, []any{id}, func(row *sql.Rows) error {
			n, err := scanNamed(row)
			if err != nil {
				return err
			}
			d.Genres = append(d.Genres, *genreOf(n))
			return nil
		}); err != nil {
			return fmt.Errorf("genres: %w", err)
		}
		if err := queryRows(ctx, tx, movieCastSQL, []any{id}, func(row *sql.Rows) error {
			var actor nullPerson
			ch, err := scanCharacter(row, actor.dest()...)
			if err != nil {
				return err
			}
			d.Cast = append(d.Cast, catalog.CastEntry{Character: *ch, Actor: actor.summary()})
			return nil
		}); err != nil {
			return fmt.Errorf("cast: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: movie detail %d: %w", id, err)
	}
	return d, nil
}

// movieDetailVersionSQL selects the detail version of movie $1.
const movieDetailVersionSQL = "SELECT version FROM movie_detail_versions WHERE movie_id = $1"

// MovieDetailVersion returns the detail version of the movie with id, or
// catalog.ErrNotFound. It changes with every committed write that can change
// what MovieDetail returns, so a detail read with the same version is
// current. It is one primary-key lookup.
func (s *Store) MovieDetailVersion(ctx context.Context, id int64) (int64, error) {
	var v int64
	if err := s.reader().QueryRowContext(ctx, movieDetailVersionSQL, id).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlstore: movie detail version %d: %w", id, translate(err, opWrite))
	}
	return v, nil
}

// MaxDetailVersionBatch is the most movie ids MovieDetailVersions takes.
const MaxDetailVersionBatch = 64

// detailVersionBatchSizes are the numbers of ids the statements of
// MovieDetailVersions take; a batch is padded to the next one with -1 (no
// movie), so that a few statement texts serve every batch and stay prepared.
var detailVersionBatchSizes = []int{1, 2, 4, 8, 16, 32, MaxDetailVersionBatch}

// movieDetailVersionsSQL selects the movie ids and detail versions of
// movies $1 to $n, by n of detailVersionBatchSizes.
var movieDetailVersionsSQL = func() map[int]string {
	stmts := map[int]string{}
	for _, n := range detailVersionBatchSizes {
		params := make([]string, n)
		for i := range params {
			params[i] = fmt.Sprintf("$%d", i+1)
		}
		stmts[n] = "SELECT movie_id, version FROM movie_detail_versions WHERE movie_id IN (" + strings.Join(params, ", ") + ")"
	}
	return stmts
}()

// MovieDetailVersions returns the detail versions of the movies of ids (at
// most MaxDetailVersionBatch) by movie id, in one statement read in one
// snapshot; a movie that does not exist is missing from the map.
func (s *Store) MovieDetailVersions(ctx context.Context, ids []int64) (map[int64]int64, error) {
	if len(ids) > MaxDetailVersionBatch {
		return nil, fmt.Errorf("sqlstore: movie detail versions: %d ids, more than %d", len(ids), MaxDetailVersionBatch)
	}
	n := detailVersionBatchSizes[len(detailVersionBatchSizes)-1]
	for _, size := range detailVersionBatchSizes {
		if len(ids) <= size {
			n = size
			break
		}
	}
	args := make([]any, n)
	for i := range args {
		args[i] = int64(-1)
		if i < len(ids) {
			args[i] = ids[i]
		}
	}
	versions := make(map[int64]int64, len(ids))
	err := queryRows(ctx, s.reader(), movieDetailVersionsSQL[n], args, func(row *sql.Rows) error {
		var id, v int64
		if err := row.Scan(&id, &v); err != nil {
			return err
		}
		versions[id] = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: movie detail versions: %w", err)
	}
	return versions, nil
}

// personDetailSQL selects the person $1 with their country.
var personDetailSQL = "SELECT " + prefixed("p", personColumns) + ", " + prefixed("c", namedColumns) + `
	FROM persons p LEFT JOIN countries c ON c.id = p.country_id
	WHERE p.id = $1`

// personPhotosSQL selects the photo files of person $1, primary first,
// then oldest first.
var personPhotosSQL = "SELECT " + prefixed("f", fileColumns) + `, pp.is_primary
	FROM person_photo pp JOIN img_files f ON f.id = pp.file_id
	WHERE pp.person_id = $1
	ORDER BY pp.is_primary DESC, pp."createdAt", pp.file_id`

// briefColumns and briefJoins select a movie m as a filmography lists it.
const (
	briefColumns = "m.id, m.title, m.release_date, pf.id, pf.file_name, pf.mime_type, pf.key, pf.url"
	briefJoins   = " LEFT JOIN img_files pf ON pf.id = m.poster_file_id"
)

// newestRelease are the keys of a filmography: newest release first,
// movies without a release date last, then by movie id.
var newestRelease = []sortKey{
	{expr: "m.release_date", kind: keyDate, desc: true, nullable: true}, {expr: "m.id", kind: keyInt}}

// directedQuery selects the movies person id directs, newest release
// first; movies_director_release_idx hands them out in that order.
func directedQuery(id int64) keysetQuery {
	return keysetQuery{columns: briefColumns, from: "FROM movies m" + briefJoins, countFrom: "FROM movies m",
		where: "m.director_id = $1", args: []any{id},
		order: keyset{scope: fmt.Sprintf("person:%d:directed", id), keys: newestRelease}}
}

// playedQuery selects the characters person id plays, with their movies,
// newest release first, then in billing order within a movie.
func playedQuery(id int64) keysetQuery {
	return keysetQuery{columns: prefixed("ch", characterColumns) + ", " + briefColumns,
		from: `FROM movie_characters mc
	JOIN movies m ON m.id = mc.movie_id
	JOIN characters ch ON ch.id = mc.character_id` + briefJoins,
		countFrom: "FROM movie_characters mc", where: "mc.person_id = $1", args: []any{id},
		order: keyset{scope: fmt.Sprintf("person:%d:played", id), keys: append(slices.Clone(newestRelease),
			sortKey{expr: roleOrder, kind: keyInt}, sortKey{expr: "lower(ch.name)", kind: keyText},
			sortKey{expr: "ch.id", kind: keyInt})}}
}

// The first pages of a person's filmographies, as the person detail reads
// them: their text is the same for every person.
var (
	personDirectedSQL = firstPageSQL(directedQuery(0))
	personPlayedSQL   = firstPageSQL(playedQuery(0))
)

// personCreditsSQL counts the movies person $1 directs and the characters
// they play, each from an index on the person's id alone.
const personCreditsSQL = `SELECT (SELECT count(*) FROM movies WHERE director_id = $1),
	(SELECT count(*) FROM movie_characters WHERE person_id = $1)`

func firstPageSQL(q keysetQuery) string {
	text, _, err := q.sql(catalog.Page{Size: catalog.FilmographyPreview}.Normalize())
	if err != nil { // no cursor: nothing to refuse
		panic("sqlstore: first page of a filmography: " + err.Error())
	}
	return text
}

// briefRow scans briefColumns.
type briefRow struct {
	id      int64
	title   string
	release sql.NullTime
	poster  nullFile
}

func (b *briefRow) dest() []any {
	return append([]any{&b.id, &b.title, &b.release}, b.poster.dest()...)
}

func (b *briefRow) brief() catalog.MovieBrief {
	return catalog.MovieBrief{ID: b.id, Title: b.title, ReleaseDate: dateOf(b.release), Poster: b.poster.file()}
}

// scanBrief scans briefColumns, then extra.
func scanBrief(row interface{ Scan(...any) error }, extra ...any) (*catalog.MovieBrief, error) {
	var b briefRow
	if err := row.Scan(append(b.dest(), extra...)...); err != nil {
		return nil, err
	}
	brief := b.brief()
	return &brief, nil
}

// scanPlayed scans the columns of playedQuery, then extra.
func scanPlayed(row interface{ Scan(...any) error }, extra ...any) (*catalog.PlayedRole, error) {
	var b briefRow
	ch, err := scanCharacter(row, append(b.dest(), extra...)...)
	if err != nil {
		return nil, err
	}
	return &catalog.PlayedRole{Movie: b.brief(), Character: *ch}, nil
}

// PersonDetail returns the person with id with their country, photos, and
// the first catalog.FilmographyPreview movies they direct and characters
// they play with the number of each, or catalog.ErrNotFound. Its five
// queries read a bounded number of rows whatever the person's credits;
// the counts read an index entry per credit (tens of thousands for the
// busiest people). PersonDirected and PersonPlayed page further.
func (s *Store) PersonDetail(ctx context.Context, id int64) (*catalog.PersonDetail, error) {
	d := &catalog.PersonDetail{Photos: []catalog.Photo{}}
	first := catalog.Page{Size: catalog.FilmographyPreview}
	err := s.inReadTx(ctx, []string{personDetailSQL, personPhotosSQL, personDirectedSQL, personPlayedSQL, personCreditsSQL}, func(tx queryer) error {
		var country nullNamed
		p, err := scanPerson(tx.QueryRowContext(ctx, personDetailSQL, id), country.dest()...)
		if err != nil {
			return translate(err, opWrite)
		}
		d.Person, d.Country = *p, country.country()
		if err := queryRows(ctx, tx, personPhotosSQL, []any{id}, func(row *sql.Rows) error {
			var primary bool
			f, err := scanFile(row, &primary)
			if err != nil {
				return err
			}
			d.Photos = append(d.Photos, catalog.Photo{File: *f, IsPrimary: primary})
			return nil
		}); err != nil {
			return fmt.Errorf("photos: %w", err)
		}
		directed, err := readPage(ctx, tx, directedQuery(id), first, scanBrief)
		if err != nil {
			return fmt.Errorf("directed movies: %w", err)
		}
		played, err := readPage(ctx, tx, playedQuery(id), first, scanPlayed)
		if err != nil {
			return fmt.Errorf("played characters: %w", err)
		}
		d.Directed, d.Played = directed.Items, played.Items
		if err := tx.QueryRowContext(ctx, personCreditsSQL, id).Scan(&d.DirectedCount, &d.PlayedCount); err != nil {
			return fmt.Errorf("credits: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: person detail %d: %w", id, err)
	}
	return d, nil
}

// PersonDirected returns a page of the movies person id directs, newest
// release first, or catalog.ErrNotFound when there is no such person.
func (s *Store) PersonDirected(ctx context.Context, id int64, page catalog.Page) (catalog.List[catalog.MovieBrief], error) {
	list, err := listPage(ctx, s, fmt.Sprintf("movies directed by person %d", id), directedQuery(id), page, scanBrief, exactCount)
	return list, s.ownerExists(ctx, list.Total, err, "persons", id)
}

// PersonPlayed returns a page of the characters person id plays with their
// movies, newest release first, or catalog.ErrNotFound when there is no
// such person.
func (s *Store) PersonPlayed(ctx context.Context, id int64, page catalog.Page) (catalog.List[catalog.PlayedRole], error) {
	list, err := listPage(ctx, s, fmt.Sprintf("characters played by person %d", id), playedQuery(id), page, scanPlayed, exactCount)
	return list, s.ownerExists(ctx, list.Total, err, "persons", id)
}

// ownerExists tells an empty list of a row's own (a person's movies, a
// user's favorites) from a list of a row that does not exist: err when
// the list failed, catalog.ErrNotFound when it is empty and row id of
// table does not exist, else nil.
func (s *Store) ownerExists(ctx context.Context, total int, err error, table string, id int64) error {
	if err != nil || total > 0 {
		return err
	}
	var exists bool
	if err := s.read.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1)", id).Scan(&exists); err != nil {
		return fmt.Errorf("sqlstore: look for %s %d: %w", table, id, err)
	}
	if !exists {
		return fmt.Errorf("sqlstore: %s %d: %w", table, id, catalog.ErrNotFound)
	}
	return nil
}

// queryRows runs query with args and calls scan on each row.
func queryRows(ctx context.Context, q queryer, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
