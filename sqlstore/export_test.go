package sqlstore

import (
	"context"
	"fmt"
)

// RecordMigrationForTest marks a migration this binary does not have as
// applied, as a newer moviedb would have.
func (s *Store) RecordMigrationForTest(ctx context.Context, version int, name string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx,
			"INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", version, name, tx.now)
		return err
	})
}

// MovieCastSQL is the movie detail's cast query, for plan checks.
var MovieCastSQL = movieCastSQL

// PlanForTest returns the query plan of query with args, one line a
// step: EXPLAIN QUERY PLAN's details on SQLite, EXPLAIN's lines on
// PostgreSQL.
func (s *Store) PlanForTest(ctx context.Context, query string, args ...any) ([]string, error) {
	q := "EXPLAIN " + query
	if s.engine == SQLite {
		q = "EXPLAIN QUERY PLAN " + query
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var plan []string
	for rows.Next() {
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		if err := rows.Scan(vals...); err != nil {
			return nil, err
		}
		// SQLite: id, parent, notused, detail; PostgreSQL: the line.
		plan = append(plan, fmt.Sprint(*vals[len(vals)-1].(*any)))
	}
	return plan, rows.Err()
}

// AnalyzedTablesForTest returns the tables the planner has statistics
// of: those with rows in sqlite_stat1, or analyzed by PostgreSQL.
func (s *Store) AnalyzedTablesForTest(ctx context.Context) (map[string]bool, error) {
	q := "SELECT DISTINCT tbl FROM sqlite_stat1"
	if s.engine == Postgres {
		q = `SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()
			AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)`
	}
	got := map[string]bool{}
	err := queryEach(ctx, s.read, q, nil, func(scan func(...any) error) error {
		var t string
		if err := scan(&t); err != nil {
			return err
		}
		got[t] = true
		return nil
	})
	return got, err
}

// ValueSamplesForTest returns the number of value samples SQLite's
// statistics hold (rows of sqlite_stat4), which analyzeSQLite drops.
func (s *Store) ValueSamplesForTest(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4')
		THEN (SELECT count(*) FROM sqlite_stat4) ELSE 0 END`).Scan(&n)
	return n, err
}

// MigrateBelowForTest applies the migrations before version, as a moviedb
// that did not have the later ones did: tests of a migration fill such a
// database and then Migrate it.
func (s *Store) MigrateBelowForTest(ctx context.Context, version int) error {
	known, err := migrations(s.engine)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
			return err
		}
		for _, m := range known {
			if m.Version >= version {
				continue
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %04d: %w", m.Version, err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				m.Version, m.Name, tx.now); err != nil {
				return err
			}
		}
		return nil
	})
}
