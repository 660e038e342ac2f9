// Package sqltest gives tests fresh, migrated stores on every engine
// available: SQLite always, PostgreSQL when MOVIEDB_TEST_POSTGRES_URL is set.
package sqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/moviedb/moviedb/sqlstore"
)

// PostgresURLVar names the environment variable with the PostgreSQL server
// the tests may use. Each test gets a schema of its own there.
const PostgresURLVar = "MOVIEDB_TEST_POSTGRES_URL"

// Run runs fn as one subtest per engine ("sqlite", "postgres"), each on a
// fresh, migrated store. The postgres subtest skips, saying why, when
// MOVIEDB_TEST_POSTGRES_URL is unset.
func Run(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	RunWith(t, sqlstore.Options{}, fn)
}

// RunWith is Run with store options, e.g. a clock.
func RunWith(t *testing.T, opts sqlstore.Options, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e, opts))
		})
	}
}

// Open returns a fresh, migrated store on engine, closed when t ends.
func Open(t testing.TB, e sqlstore.Engine, opts sqlstore.Options) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, DSN(t, e), opts)
	if err != nil {
		t.Fatalf("open %s store: %v", e, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s store: %v", e, err)
	}
	return s
}

// OpenDSN returns a store on dsn, without migrating it, closed when t ends:
// a second store on one database stands for another process or instance.
func OpenDSN(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// DSN returns the address of a new, empty database on engine, removed when t
// ends: a file in t.TempDir() for SQLite, a new schema for PostgreSQL.
func DSN(t testing.TB, e sqlstore.Engine) string {
	t.Helper()
	if e == sqlstore.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "moviedb.db")
	}
	base := os.Getenv(PostgresURLVar)
	if base == "" {
		t.Skip(PostgresURLVar + " is not set: PostgreSQL tests skipped (set it to a postgres:// URL to run them)")
	}
	return freshSchema(t, base)
}

// freshSchema creates a schema with a random name on the server at base and
// returns base with search_path set to it; the schema is dropped at cleanup.
func freshSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresURLVar, err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s: create schema: %v", PostgresURLVar, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresURLVar, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
