package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// openInternal returns a migrated store on a new SQLite file, closed when
// t ends, for the tests inside the package (which cannot use sqltest: it
// imports this package).
func openInternal(t *testing.T, opts Options) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "x.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCanceledCommit checks that a transaction whose context ends before
// its commit reports the cancellation, not database/sql's ErrTxDone, so the
// HTTP layer sees a client that went away rather than a bug.
func TestCanceledCommit(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, Options{})
	for name, run := range map[string]func(ctx context.Context, cancel func()) error{
		"read": func(ctx context.Context, cancel func()) error {
			return s.inReadTx(ctx, nil, func(tx queryer) error { cancel(); return nil })
		},
		"write": func(ctx context.Context, cancel func()) error {
			return s.inTx(ctx, func(tx *Tx) error { cancel(); return nil })
		},
	} {
		ctx, cancel := context.WithCancel(ctx)
		err := run(ctx, cancel)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s transaction canceled before commit = %v; want context.Canceled", name, err)
		}
	}
}

// TestFullStatementCacheKeepsReadStatements fills the statement cache with
// distinct statements, as varied searches do, and checks that the
// statements of read transactions are still kept prepared.
func TestFullStatementCacheKeepsReadStatements(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, Options{})
	for i := range maxCachedStatements {
		if s.stmts.stmt(ctx, fmt.Sprintf("SELECT %d", i), true) == nil {
			t.Fatalf("statement %d not cached below the bound", i)
		}
	}
	if s.stmts.stmt(ctx, "SELECT 'one too many'", true) != nil {
		t.Error("a statement past the bound was cached")
	}
	if _, err := s.MovieDetail(ctx, 1); err == nil {
		t.Fatal("MovieDetail(1) on an empty catalog = nil error")
	}
	for _, q := range []string{movieDetailSQL, movieGenresSQL, movieCastSQL} {
		if s.stmts.stmt(ctx, q, false) == nil {
			t.Errorf("detail statement not prepared with a full cache:\n%s", q)
		}
	}
}

// TestNowArg checks that nowArg stores exactly what the driver stores for
// the transaction's time, so rows of an import read back like any other.
func TestNowArg(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, Options{
		Now: func() time.Time { return time.Date(2026, 11, 29, 21, 5, 7, 123456789, time.FixedZone("X", 3600)) },
	})
	for _, frac := range []bool{true, false} {
		err := s.inTx(ctx, func(tx *Tx) error {
			if !frac {
				tx.now = tx.now.Truncate(time.Second)
			}
			var byDriver, byNowArg string
			if err := tx.QueryRowContext(ctx, "SELECT CAST($1 AS TEXT), CAST($2 AS TEXT)", tx.now, tx.nowArg()).Scan(&byDriver, &byNowArg); err != nil {
				return err
			}
			if byNowArg != byDriver {
				t.Errorf("nowArg stored %q; the driver stores %q", byNowArg, byDriver)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
