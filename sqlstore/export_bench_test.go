package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

// ExecForTest runs statements in one write transaction, for benchmarks
// that fill a catalog faster than the store's methods would.
func (s *Store) ExecForTest(ctx context.Context, stmts ...string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
}

// explain returns the plan of query, one line per step.
func (s *Store) explain(ctx context.Context, query string, args ...any) ([]string, error) {
	if s.engine == Postgres {
		rows, err := s.read.QueryContext(ctx, "EXPLAIN "+query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return nil, err
			}
			plan = append(plan, line)
		}
		return plan, rows.Err()
	}
	rows, err := s.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	depth := map[int]int{}
	var plan []string
	for rows.Next() {
		var (
			id, parent int
			notUsed    sql.NullInt64
			detail     string
		)
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			return nil, err
		}
		depth[id] = depth[parent] + 1
		plan = append(plan, strings.Repeat("  ", depth[id]-1)+detail)
	}
	return plan, rows.Err()
}

// SearchPlanForTest returns the plans of the statements SearchMovies runs
// for f: the bounded count, then the page in the shape the count chooses.
func (s *Store) SearchPlanForTest(ctx context.Context, f catalog.MovieSearch) ([]string, error) {
	mf, err := s.checkMovieSearch(f)
	if err != nil {
		return nil, err
	}
	cw := &whereList{}
	count := s.movieCountQuery(mf, cw)
	counted, err := s.countRows(ctx, count, cw.args)
	if err != nil {
		return nil, err
	}
	limit, offset := listLimit(f.Page)
	w := &whereList{}
	q, _, err := s.moviePageQuery(w, mf, searchShape(counted), limit, offset, "")
	if err != nil {
		return nil, err
	}
	return s.explainAll(ctx, [][]any{append([]any{count}, cw.args...), append([]any{q}, w.args...)})
}

// PersonSearchPlanForTest returns the plans of the statements
// SearchPersons runs for q.
func (s *Store) PersonSearchPlanForTest(ctx context.Context, q string) ([]string, error) {
	text := s.textSearch(&catalog.ValidationError{}, "q", q)
	_, _, count, countArgs, err := s.personSearchQuery(text, searchWords(q), nil, drive, 20, 0)
	if err != nil {
		return nil, err
	}
	counted, err := s.countRows(ctx, count, countArgs)
	if err != nil {
		return nil, err
	}
	list, args, _, _, err := s.personSearchQuery(text, searchWords(q), nil, searchShape(counted), 20, 0)
	if err != nil {
		return nil, err
	}
	return s.explainAll(ctx, [][]any{append([]any{count}, countArgs...), append([]any{list}, args...)})
}

// explainAll returns the plans of statements, each a query and its
// arguments, one after the other.
func (s *Store) explainAll(ctx context.Context, stmts [][]any) ([]string, error) {
	var plans []string
	for _, st := range stmts {
		plan, err := s.explain(ctx, st[0].(string), st[1:]...)
		if err != nil {
			return nil, err
		}
		plans = append(plans, plan...)
	}
	return plans, nil
}

// DetailPlansForTest returns the plans of the statements MovieDetail and
// PersonDetail run, by a short name of each.
func (s *Store) DetailPlansForTest(ctx context.Context, movieID, personID int64) (map[string][]string, error) {
	plans := map[string][]string{}
	for name, q := range map[string]struct {
		query string
		id    int64
	}{
		"movie": {movieDetailSQL, movieID}, "movie genres": {movieGenresSQL, movieID}, "movie cast": {movieCastSQL, movieID},
		"person": {personDetailSQL, personID}, "person photos": {personPhotosSQL, personID},
		"person credits": {personCreditsSQL, personID},
	} {
		plan, err := s.explain(ctx, q.query, q.id)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		plans[name] = plan
	}
	first := catalog.Page{Size: catalog.FilmographyPreview}
	for name, q := range map[string]keysetQuery{"person directed": directedQuery(personID), "person played": playedQuery(personID)} {
		text, args, err := q.sql(first)
		if err == nil {
			plans[name], err = s.explain(ctx, text, args...)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return plans, nil
}

// ReportPlansForTest returns the plans of the reports' statements: of a
// first page, and of the page after a cursor ("… after").
func (s *Store) ReportPlansForTest(ctx context.Context) (map[string][]string, error) {
	plans := map[string][]string{}
	since, until := catalog.Date{Year: 2020, Month: 1, Day: 1}, catalog.Date{Year: 2025, Month: 1, Day: 1}
	for name, build := range map[string]func(catalog.Page) (string, []any, int, error){
		"actor budgets":    func(p catalog.Page) (string, []any, int, error) { return budgetReportSQL(actorBudgetsOrder, p) },
		"director budgets": func(p catalog.Page) (string, []any, int, error) { return budgetReportSQL(directorBudgetsOrder, p) },
		"recent movies":    func(p catalog.Page) (string, []any, int, error) { return recentMoviesSQL(since, until, p) },
		"user favorites":   func(p catalog.Page) (string, []any, int, error) { return userFavoritesSQL(s.engine, p) },
	} {
		for suffix, page := range map[string]catalog.Page{"": {}, " after": {Cursor: reportCursorForTest(name, since, until)}} {
			q, args, _, err := build(page)
			if err == nil {
				plans[name+suffix], err = s.explain(ctx, q, args...)
			}
			if err != nil {
				return nil, fmt.Errorf("%s%s: %w", name, suffix, err)
			}
		}
	}
	return plans, nil
}

// SearchTablesMismatchesForTest returns every difference, as text, between
// the tables migration 0011 keeps for searches and the same computed now:
// each movie's favorites count in movie_stats, and each genre link with
// its movie's release date in movie_genre_releases.
func (s *Store) SearchTablesMismatchesForTest(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT 'movie_stats of movie ' || m.id || ': ' || coalesce(CAST(ms.favorites_count AS TEXT), 'none')
		FROM movies m LEFT JOIN movie_stats ms ON ms.movie_id = m.id
		WHERE ms.favorites_count IS NULL OR ms.favorites_count <> (SELECT count(*) FROM favorite_movies f WHERE f.movie_id = m.id)
		UNION ALL
		SELECT 'movie_stats of no movie: ' || ms.movie_id FROM movie_stats ms WHERE NOT EXISTS (SELECT 1 FROM movies m WHERE m.id = ms.movie_id)
		UNION ALL
		SELECT 'movie_genre_releases lacks ' || mg.movie_id || '/' || mg.genre_id FROM movie_genres mg JOIN movies m ON m.id = mg.movie_id
		WHERE NOT EXISTS (SELECT 1 FROM movie_genre_releases gd WHERE gd.movie_id = mg.movie_id AND gd.genre_id = mg.genre_id
			AND (gd.release_date = m.release_date OR (gd.release_date IS NULL AND m.release_date IS NULL)))
		UNION ALL
		SELECT 'movie_genre_releases has ' || gd.movie_id || '/' || gd.genre_id FROM movie_genre_releases gd
		WHERE NOT EXISTS (SELECT 1 FROM movie_genres mg WHERE mg.movie_id = gd.movie_id AND mg.genre_id = gd.genre_id)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		bad = append(bad, line)
	}
	return bad, rows.Err()
}

// BusiestActorsForTest returns the n persons with the most cast rows.
func (s *Store) BusiestActorsForTest(ctx context.Context, n int) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT person_id FROM movie_characters WHERE person_id IS NOT NULL
		GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
