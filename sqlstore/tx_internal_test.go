package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestCanceledCommit checks that a transaction whose context ends before
// its commit reports the cancellation, not database/sql's ErrTxDone, so the
// HTTP layer sees a client that went away rather than a bug.
func TestCanceledCommit(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "x.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
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
