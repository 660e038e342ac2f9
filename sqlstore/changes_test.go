package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestChangeToken checks that the change token stays put while nothing is
// written, changes at once with a write through the store, and changes
// with a write by another store on the same file within
// ForeignWriteDelay; and that PostgreSQL has none.
func TestChangeToken(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		dsn := sqltest.DSN(t, sqlstore.SQLite)
		mine, theirs := sqltest.OpenDSN(t, dsn), sqltest.OpenDSN(t, dsn)
		if _, err := mine.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		token := func() uint64 {
			t.Helper()
			v, ok, err := mine.ChangeToken(ctx)
			if err != nil || !ok {
				t.Fatalf("ChangeToken = %d, %v, %v; want a token", v, ok, err)
			}
			return v
		}
		// settled waits out the delay, so that the next token has read
		// what other stores wrote.
		settled := func() uint64 {
			time.Sleep(2 * sqlstore.ForeignWriteDelay)
			return token()
		}
		start := settled()
		if _, err := mine.ListCountries(ctx, catalog.CountryFilter{}); err != nil {
			t.Fatal(err)
		}
		if got := settled(); got != start {
			t.Errorf("token after a read = %d; want %d unchanged", got, start)
		}
		if err := mine.CreateCountry(ctx, &catalog.Country{Name: "Mine"}); err != nil {
			t.Fatal(err)
		}
		afterMine := token()
		if afterMine == start {
			t.Errorf("token right after a write through the store = %d; want it changed", afterMine)
		}
		afterMine = settled()
		if err := theirs.CreateCountry(ctx, &catalog.Country{Name: "Theirs"}); err != nil {
			t.Fatal(err)
		}
		if got := settled(); got == afterMine {
			t.Errorf("token after another store's write = %d; want it changed", got)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		s := sqltest.Open(t, sqlstore.Postgres, sqlstore.Options{})
		if v, ok, err := s.ChangeToken(ctx); ok || err != nil {
			t.Errorf("ChangeToken = %d, %v, %v; want none", v, ok, err)
		}
	})
}
