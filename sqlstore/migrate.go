package sqlstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFiles embed.FS

// A Migration is one schema change, an embedded file
// migrations/ENGINE/NNNN_name.sql. Migrations only go forward.
type Migration struct {
	Version   int
	Name      string
	sql       string
	AppliedAt *time.Time // nil while pending
}

// ErrUnknownMigration is returned by Migrate and CheckSchema when the
// database has migrations this binary does not know: it was migrated by a
// newer moviedb, and running this one could corrupt data.
var ErrUnknownMigration = errors.New("database has migrations this binary does not know (was it migrated by a newer moviedb?)")

// ErrPendingMigrations is returned by CheckSchema when migrations are pending.
var ErrPendingMigrations = errors.New("database has pending migrations (run `moviedb migrate up`)")

// migrations returns the embedded migrations of engine, by version.
func migrations(engine Engine) ([]Migration, error) {
	dir := path.Join("migrations", string(engine))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("sqlstore: migration file %s: want NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, Migration{Version: v, Name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL
)`

// lockMigrations keeps two instances starting at once from migrating at the
// same time. SQLite needs nothing: the write transaction is exclusive.
func (s *Store) lockMigrations(ctx context.Context, tx *Tx) error {
	if s.engine != Postgres {
		return nil
	}
	// An arbitrary constant shared by every moviedb instance; released at commit.
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(1836019556)")
	return err
}

// Migrate applies every pending migration in one transaction and returns
// those it applied. Running it again applies nothing.
func (s *Store) Migrate(ctx context.Context) ([]Migration, error) {
	known, err := migrations(s.engine)
	if err != nil {
		return nil, err
	}
	var applied []Migration
	err = s.inTx(ctx, func(tx *Tx) error {
		if err := s.lockMigrations(ctx, tx); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		done, err := appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkKnown(known, done); err != nil {
			return err
		}
		for _, m := range known {
			if _, ok := done[m.Version]; ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %04d_%s: %w", m.Version, m.Name, err)
			}
			if _, err := tx.ExecContext(ctx,
				"INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				m.Version, m.Name, tx.now); err != nil {
				return fmt.Errorf("record migration %04d: %w", m.Version, err)
			}
			at := tx.now
			m.AppliedAt = &at
			applied = append(applied, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrate: %w", err)
	}
	// A migration may create or fill tables (a summary of existing rows,
	// a new index): their statistics are refreshed with the rest.
	if len(applied) > 0 {
		if err := s.RefreshStatistics(ctx); err != nil {
			return applied, fmt.Errorf("sqlstore: migrate: %w", err)
		}
	}
	return applied, nil
}

// MigrationStatus lists every migration this binary knows with the time it
// was applied, or nil when pending. It returns ErrUnknownMigration (with the
// list) when the database has migrations this binary does not know.
func (s *Store) MigrationStatus(ctx context.Context) ([]Migration, error) {
	known, err := migrations(s.engine)
	if err != nil {
		return nil, err
	}
	done, err := s.appliedIfAny(ctx)
	if err != nil {
		return nil, err
	}
	for i, m := range known {
		if at, ok := done[m.Version]; ok {
			known[i].AppliedAt = &at
		}
	}
	return known, checkKnown(known, done)
}

// CheckSchema returns nil when the database has exactly the migrations this
// binary knows, ErrPendingMigrations when some are missing and
// ErrUnknownMigration when it has newer ones.
func (s *Store) CheckSchema(ctx context.Context) error {
	ms, err := s.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.AppliedAt == nil {
			return ErrPendingMigrations
		}
	}
	return nil
}

// appliedIfAny reads the applied versions, treating a database without the
// schema_migrations table as one with none applied.
func (s *Store) appliedIfAny(ctx context.Context) (map[int]time.Time, error) {
	var exists bool
	q := "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')"
	if s.engine == Postgres {
		q = "SELECT to_regclass('schema_migrations') IS NOT NULL"
	}
	if err := s.read.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return nil, fmt.Errorf("sqlstore: look for schema_migrations: %w", err)
	}
	if !exists {
		return map[int]time.Time{}, nil
	}
	return appliedVersions(ctx, s.read)
}

func appliedVersions(ctx context.Context, q queryer) (map[int]time.Time, error) {
	rows, err := q.QueryContext(ctx, "SELECT version, applied_at FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[int]time.Time{}
	for rows.Next() {
		var v int
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			return nil, fmt.Errorf("sqlstore: read schema_migrations: %w", err)
		}
		done[v] = at.UTC()
	}
	return done, rows.Err()
}

func checkKnown(known []Migration, done map[int]time.Time) error {
	have := map[int]bool{}
	for _, m := range known {
		have[m.Version] = true
	}
	var unknown []string
	for v := range done {
		if !have[v] {
			unknown = append(unknown, strconv.Itoa(v))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("%w: versions %s", ErrUnknownMigration, strings.Join(unknown, ", "))
	}
	return nil
}

// TableColumns returns the columns of every table in the database, for
// checks that the schema holds what the seed schema promises.
func (s *Store) TableColumns(ctx context.Context) (map[string][]string, error) {
	q := `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
	      WHERE m.type = 'table' ORDER BY m.name, p.cid`
	if s.engine == Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns
		     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`
	}
	rows, err := s.read.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list columns: %w", err)
	}
	defer rows.Close()
	cols := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return nil, fmt.Errorf("sqlstore: list columns: %w", err)
		}
		cols[table] = append(cols[table], col)
	}
	return cols, rows.Err()
}
