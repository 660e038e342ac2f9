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

// SearchPlanForTest returns the plan of the statement SearchMovies runs for f.
func (s *Store) SearchPlanForTest(ctx context.Context, f catalog.MovieSearch) ([]string, error) {
	q, args, _, _, err := s.movieSearchQuery(f)
	if err != nil {
		return nil, err
	}
	return s.explain(ctx, q, args...)
}

// PersonSearchPlanForTest returns the plan of the statement SearchPersons
// runs for q.
func (s *Store) PersonSearchPlanForTest(ctx context.Context, q string) ([]string, error) {
	query, args, _, _, err := s.personSearchQuery(q, catalog.Page{})
	if err != nil {
		return nil, err
	}
	return s.explain(ctx, query, args...)
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
