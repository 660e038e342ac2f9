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
	count, countArgs := s.movieCountQuery(mf)
	counted, err := s.countRows(ctx, func() (string, []any) { return count, countArgs })
	if err != nil {
		return nil, err
	}
	limit, offset := listLimit(f.Page)
	q, args, err := s.moviePageQuery(mf, searchShape(counted), limit, offset)
	if err != nil {
		return nil, err
	}
	return s.explainAll(ctx, [][]any{append([]any{count}, countArgs...), append([]any{q}, args...)})
}

// PersonSearchPlanForTest returns the plans of the statements
// SearchPersons runs for q.
func (s *Store) PersonSearchPlanForTest(ctx context.Context, q string) ([]string, error) {
	text := s.textSearch(&catalog.ValidationError{}, "q", q)
	_, _, count, countArgs, err := s.personSearchQuery(text, nil, drive, 20, 0)
	if err != nil {
		return nil, err
	}
	counted, err := s.countRows(ctx, func() (string, []any) { return count, countArgs })
	if err != nil {
		return nil, err
	}
	list, args, _, _, err := s.personSearchQuery(text, nil, searchShape(counted), 20, 0)
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
		"person directed": {personDirectedSQL, personID}, "person played": {personPlayedSQL, personID},
	} {
		plan, err := s.explain(ctx, q.query, q.id)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		plans[name] = plan
	}
	return plans, nil
}

// ReportPlansForTest returns the plans of the reports' statements.
func (s *Store) ReportPlansForTest(ctx context.Context) (map[string][]string, error) {
	plans := map[string][]string{}
	for name, q := range map[string]struct {
		query string
		args  []any
	}{
		"actor budgets":    {actorBudgetsSQL, []any{20, 0}},
		"recent movies":    {recentMoviesSQL, []any{"2020-01-01", 20, 0}},
		"director budgets": {directorBudgetsSQL, []any{20, 0}},
	} {
		plan, err := s.explain(ctx, q.query, q.args...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		plans[name] = plan
	}
	return plans, nil
}

// MovieStatsMismatchesForTest returns every movie whose favorites count
// in movie_stats differs from a count of its favorites made now, and
// every movie_stats row of no movie, each as text.
func (s *Store) MovieStatsMismatchesForTest(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT m.id, ms.favorites_count, (SELECT count(*) FROM favorite_movies f WHERE f.movie_id = m.id)
		FROM movies m LEFT JOIN movie_stats ms ON ms.movie_id = m.id
		WHERE ms.favorites_count IS NULL OR ms.favorites_count <> (SELECT count(*) FROM favorite_movies f WHERE f.movie_id = m.id)
		UNION ALL
		SELECT ms.movie_id, ms.favorites_count, NULL FROM movie_stats ms WHERE NOT EXISTS (SELECT 1 FROM movies m WHERE m.id = ms.movie_id)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var id int64
		var kept, counted sql.NullInt64
		if err := rows.Scan(&id, &kept, &counted); err != nil {
			return nil, err
		}
		bad = append(bad, fmt.Sprintf("movie %d: kept %v, counted %v", id, kept, counted))
	}
	return bad, rows.Err()
}
