package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/moviedb/moviedb/catalog"
)

// The budget reports read summaries that triggers keep current in the same
// transaction as every write that changes them (migrations 0010 and
// 0017): report_person_budgets holds each listed person's budget over the
// movies that have one, in whole cents (as integers, exact on both
// engines: SQLite keeps a budget as a REAL), and report_totals each
// report's count of rows. So a page reads its own
// rows and one count, whatever the size of the catalog.
//
// Every report lists its rows by a key, largest first, ties by id. A page
// after a cursor is read by keyset (keysetSQL); a page by number skips
// the rows before it with OFFSET, whose cost grows with the page number.

// A reportOrder is a report's rows in the order key DESC, id: the table
// and filter of its rows, the columns a page reads (key and id among them,
// by name) and the scope that names the report and its parameters in
// cursors.
type reportOrder struct {
	scope   string
	columns string
	from    string
	filter  string
	key, id string
}

// keysetSQL returns the query of a page of o's rows with its arguments,
// after filterArgs (the filter's $1…$n), and how many rows it reads: one
// more than the page, to tell whether another page follows. Without a
// cursor it is the page page.Number by OFFSET. After a cursor's row it
// reads two index ranges, the rows of the cursor's key with greater ids
// and then the rows of smaller keys, so that its cost does not depend on
// depth: `key < k OR key = k AND id > i` makes the engines scan every tie
// before the cursor's row, and thousands of rows tie (actors of the same
// few budgeted movies, movies released the same January 1st).
func (o reportOrder) keysetSQL(page catalog.Page, filterArgs []any, cursorKey func(*string) (any, error)) (string, []any, int, error) {
	page = page.Normalize()
	limit := page.Size + 1
	n := len(filterArgs)
	arg := func(i int) string { return "$" + strconv.Itoa(n+i) }
	where := " WHERE " + o.filter
	order := " ORDER BY " + o.key + " DESC, " + o.id
	if page.Cursor == "" {
		q := "SELECT " + o.columns + " FROM " + o.from + where + order + " LIMIT " + arg(1) + " OFFSET " + arg(2)
		return q, append(filterArgs, limit, page.Offset()), limit, nil
	}
	c, err := catalog.DecodeCursor(page.Cursor, o.scope, 2)
	if err != nil {
		return "", nil, 0, err
	}
	key, err := cursorKey(c.String(0))
	if err != nil {
		return "", nil, 0, err
	}
	id, err := c.Int(1)
	if err != nil {
		return "", nil, 0, err
	}
	q := "SELECT * FROM (SELECT " + o.columns + " FROM " + o.from + where +
		" AND " + o.key + " = " + arg(1) + " AND " + o.id + " > " + arg(2) + order + " LIMIT " + arg(3) + ") ties" +
		" UNION ALL SELECT * FROM (SELECT " + o.columns + " FROM " + o.from + where +
		" AND " + o.key + " < " + arg(1) + order + " LIMIT " + arg(3) + ") rest" +
		order + " LIMIT " + arg(3)
	return q, append(filterArgs, key, id, limit), limit, nil
}

// next returns the cursor of the place after the row of key and id.
func (o reportOrder) next(key string, id int64) string {
	return catalog.Cursor{Scope: o.scope, After: []*string{&key, catalog.CursorInt(id)}}.Encode()
}

// intCursorKey reads a cursor's integer key.
func intCursorKey(v *string) (any, error) {
	return catalog.Cursor{After: []*string{v}}.Int(0)
}

// reportTotal returns the count of rows report_totals keeps for report.
func (s *Store) reportTotal(ctx context.Context, report string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, "SELECT n FROM report_totals WHERE report = $1", report).Scan(&n)
	return n, err
}

var actorBudgetsOrder = reportOrder{
	scope:   "actor-budgets:-total_budget,person_id",
	columns: "person_id, cents",
	from:    "report_person_budgets",
	filter:  "report = 'actor'",
	key:     "cents",
	id:      "person_id",
}

// ActorBudgets returns a page of the actor-budgets report: every person who
// plays a character in at least one movie with a budget, with the total
// budget of the distinct such movies, the largest total first, ties by
// person id. As in DirectorBudgets, movies without a budget do not count,
// and a person who plays only in such movies is not listed (migration
// 0017 keeps only the rows of listed persons). Total is exact. A page
// after page.Cursor costs the same at any depth; a page by number reads
// and skips the rows before it.
func (s *Store) ActorBudgets(ctx context.Context, page catalog.Page) (catalog.List[catalog.ActorBudget], error) {
	list, err := budgetList(ctx, s, actorBudgetsOrder, "actor", page, func(id int64, first, last string, cents catalog.Money) catalog.ActorBudget {
		return catalog.ActorBudget{PersonID: id, FirstName: first, LastName: last, TotalBudget: cents}
	})
	if err != nil {
		return list, fmt.Errorf("sqlstore: actor budgets report: %w", err)
	}
	return list, nil
}

var directorBudgetsOrder = reportOrder{
	scope:   "director-budgets:-average_budget,person_id",
	columns: "person_id, average",
	from:    "report_person_budgets",
	filter:  "report = 'director'",
	key:     "average",
	id:      "person_id",
}

// DirectorBudgets returns a page of the director-budgets report: every
// person who directs a movie with a budget, with the average budget of
// those movies rounded half up to the cent, the largest average first,
// ties by person id. Total is exact. A page after page.Cursor costs the
// same at any depth; a page by number reads and skips the rows before it.
func (s *Store) DirectorBudgets(ctx context.Context, page catalog.Page) (catalog.List[catalog.DirectorBudget], error) {
	list, err := budgetList(ctx, s, directorBudgetsOrder, "director", page, func(id int64, first, last string, cents catalog.Money) catalog.DirectorBudget {
		return catalog.DirectorBudget{PersonID: id, FirstName: first, LastName: last, AverageBudget: cents}
	})
	if err != nil {
		return list, fmt.Errorf("sqlstore: director budgets report: %w", err)
	}
	return list, nil
}

// budgetReportSQL returns the query of a page of a report of
// report_person_budgets with its arguments and how many rows it reads
// (see keysetSQL): each row the person's id and names and the row's key in
// cents.
func budgetReportSQL(o reportOrder, page catalog.Page) (string, []any, int, error) {
	q, args, limit, err := o.keysetSQL(page, nil, intCursorKey)
	q = "WITH page AS (" + q + `)
		SELECT p.id, p.first_name, p.last_name, page.` + o.key + `
		FROM page JOIN persons p ON p.id = page.person_id
		ORDER BY page.` + o.key + " DESC, p.id"
	return q, args, limit, err
}

// budgetList reads a page of report (the report column of
// report_person_budgets and report_totals), making each item with item
// from the person's names and the row's key in cents.
func budgetList[T any](ctx context.Context, s *Store, o reportOrder, report string, page catalog.Page,
	item func(id int64, first, last string, cents catalog.Money) T) (catalog.List[T], error) {
	list := catalog.List[T]{Page: page.Normalize(), Items: []T{}, TotalRelation: catalog.TotalExact}
	q, args, limit, err := budgetReportSQL(o, page)
	if err != nil {
		return list, err
	}
	var (
		rows   int
		lastID int64
		last   catalog.Money
	)
	err = queryRows(ctx, s.read, q, args, func(row *sql.Rows) error {
		var (
			id          int64
			first, name string
			cents       catalog.Money
		)
		if err := row.Scan(&id, &first, &name, &cents); err != nil {
			return err
		}
		if rows++; rows == limit {
			list.NextCursor = o.next(strconv.FormatInt(int64(last), 10), lastID)
			return nil
		}
		list.Items = append(list.Items, item(id, first, name, cents))
		lastID, last = id, cents
		return nil
	})
	if err != nil {
		return list, err
	}
	list.Total, err = s.reportTotal(ctx, report)
	return list, err
}

// recentMoviesOrder is the order of the recent-movies report of the movies
// released from since through until.
func recentMoviesOrder(since, until catalog.Date) reportOrder {
	return reportOrder{
		scope:   "recent-movies:-release_date,id:since=" + since.String() + ",until=" + until.String(),
		columns: "id, release_date",
		from:    "movies",
		// Both bounds are on release_date, the index's first column, so
		// they make one range of it. The third term is movies_recent_idx's
		// condition on SQLite, which names the index for this report
		// alone (migration 0010).
		filter: "release_date >= $1 AND release_date <= $2 AND release_date >= '0001-01-01'",
		key:    "release_date",
		id:     "id",
	}
}

// recentMoviesSQL returns the query of a page of the recent-movies report
// of the movies released from since through until, with its arguments and
// how many rows it reads (see keysetSQL). Actors are counted for the
// page's movies only.
func recentMoviesSQL(since, until catalog.Date, page catalog.Page) (string, []any, int, error) {
	q, args, limit, err := recentMoviesOrder(since, until).keysetSQL(page, []any{dateArg(&since), dateArg(&until)}, func(v *string) (any, error) {
		if v != nil {
			if d, err := catalog.ParseDate(*v); err == nil {
				return dateArg(&d), nil
			}
		}
		return nil, catalog.Invalid("cursor", "is not a cursor of this list")
	})
	q = "WITH page AS (" + q + `)
		SELECT m.id, m.title, m.release_date,
			(SELECT count(DISTINCT mc.person_id) FROM movie_characters mc WHERE mc.movie_id = m.id)
		FROM page JOIN movies m ON m.id = page.id
		ORDER BY m.release_date DESC, m.id`
	return q, args, limit, err
}

// RecentMovies returns a page of the recent-movies report: the movies
// released from the date years calendar years before today (a February 29
// going back to February 28) through today, both included, each with the
// number of distinct known actors in its cast (0 when none), the newest
// first, ties by id. A movie announced for a later date is not recent: it
// is left out until its day. Total counts at most catalog.MaxExactTotal+1
// movies (catalog.BoundTotal). A page after page.Cursor costs the same at
// any depth; a page by number reads and skips the rows before it. A cursor
// holds both dates of the list, so it belongs to one day's list. A
// negative years is a *catalog.ValidationError on years.
func (s *Store) RecentMovies(ctx context.Context, years int, today catalog.Date, page catalog.Page) (catalog.List[catalog.RecentMovie], error) {
	list := catalog.List[catalog.RecentMovie]{Page: page.Normalize(), Items: []catalog.RecentMovie{}}
	if years < 0 {
		return list, fmt.Errorf("sqlstore: recent movies report: %w", catalog.Invalid("years", "must not be negative"))
	}
	since := catalog.Date{Year: 1, Month: 1, Day: 1}
	if years < today.Year {
		since = today.AddYears(-years)
	}
	o := recentMoviesOrder(since, today)
	q, args, limit, err := recentMoviesSQL(since, today, page)
	if err != nil {
		return list, fmt.Errorf("sqlstore: recent movies report: %w", err)
	}
	var last catalog.RecentMovie
	err = queryRows(ctx, s.read, q, args, func(row *sql.Rows) error {
		var (
			m       catalog.RecentMovie
			release sql.NullTime
		)
		if err := row.Scan(&m.ID, &m.Title, &release, &m.ActorsCount); err != nil {
			return err
		}
		if len(list.Items) == limit-1 {
			list.NextCursor = o.next(last.ReleaseDate.String(), last.ID)
			return nil
		}
		m.ReleaseDate = *dateOf(release)
		list.Items = append(list.Items, m)
		last = m
		return nil
	})
	if err == nil {
		var counted int
		// In the index's order, so that PostgreSQL counts in the index
		// rather than reading the table until it has met enough movies.
		err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM (
			SELECT 1 FROM movies WHERE release_date >= $1 AND release_date <= $2
			ORDER BY release_date DESC LIMIT $3) AS bounded`,
			dateArg(&since), dateArg(&today), catalog.MaxExactTotal+1).Scan(&counted)
		list.Total, list.TotalRelation = catalog.BoundTotal(counted)
	}
	if err != nil {
		return list, fmt.Errorf("sqlstore: recent movies report: %w", err)
	}
	return list, nil
}

// bulkActorBatch is the cast rows of the movies with a budget an
// import's bulk mode created: the rows the actor-budgets report counts
// (migration 0017).
const bulkActorBatch = `WITH batch AS MATERIALIZED (
		SELECT mc.person_id, mc.movie_id FROM movie_characters mc JOIN movies m ON m.id = mc.movie_id
		WHERE mc.movie_id >= (SELECT first_movie_id FROM import_bulk) AND +mc.person_id IS NOT NULL
			AND +m.budget IS NOT NULL)`

// bulkReportsSQL adds the movies an import's bulk mode created (from
// import_bulk's first_movie_id up), with their cast, to the budget
// reports on SQLite, whose row triggers skip them (migration 0010): once
// per person and batch rather than once per cast row. Only movies with a
// budget count, in both reports (migration 0017). Each count of newly
// listed persons runs before the rows it counts are added. The batch's
// rows are read first, by their movie ids (MATERIALIZED, and + on the
// other columns): left to itself, SQLite read the whole index by person
// or director, for its order, in every batch. PostgreSQL needs none of
// it: its statement triggers add up a batch's rows at once.
var bulkReportsSQL = []string{
	bulkActorBatch + `
	UPDATE report_totals SET n = n + (
		SELECT count(DISTINCT b.person_id) FROM batch b WHERE NOT EXISTS (
			SELECT 1 FROM report_person_budgets r WHERE r.report = 'actor' AND r.person_id = b.person_id))
	WHERE report = 'actor'`,
	bulkActorBatch + `
	INSERT INTO report_person_budgets (report, person_id, cents, movies)
	SELECT 'actor', b.person_id, sum(c.cents), count(*)
	FROM (SELECT DISTINCT person_id, movie_id FROM batch) b JOIN report_movie_cents c ON c.id = b.movie_id
	GROUP BY b.person_id
	ON CONFLICT (report, person_id) DO UPDATE SET cents = cents + excluded.cents, movies = movies + excluded.movies`,
	`WITH batch AS MATERIALIZED (
		SELECT director_id FROM movies
		WHERE id >= (SELECT first_movie_id FROM import_bulk) AND +director_id IS NOT NULL AND +budget IS NOT NULL)
	UPDATE report_totals SET n = n + (
		SELECT count(DISTINCT b.director_id) FROM batch b WHERE NOT EXISTS (
			SELECT 1 FROM report_person_budgets r WHERE r.report = 'director' AND r.person_id = b.director_id))
	WHERE report = 'director'`,
	`WITH batch AS MATERIALIZED (
		SELECT director_id, CAST(round(budget * 100) AS INTEGER) AS cents FROM movies
		WHERE id >= (SELECT first_movie_id FROM import_bulk) AND +director_id IS NOT NULL AND +budget IS NOT NULL)
	INSERT INTO report_person_budgets (report, person_id, cents, movies)
	SELECT 'director', director_id, sum(cents), count(*) FROM batch GROUP BY director_id
	ON CONFLICT (report, person_id) DO UPDATE SET cents = cents + excluded.cents, movies = movies + excluded.movies`,
}

// addBulkToReports runs bulkReportsSQL in tx, before its bulk mode ends.
func addBulkToReports(ctx context.Context, tx *Tx) error {
	if tx.engine != SQLite {
		return nil
	}
	for _, q := range bulkReportsSQL {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("add imported movies to reports: %w", err)
		}
	}
	return nil
}
