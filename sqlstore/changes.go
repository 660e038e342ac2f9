package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// ForeignWriteDelay is how long, at most, a commit by another process on
// the same SQLite file can go unseen by ChangeToken.
const ForeignWriteDelay = time.Millisecond

// A changeWatch tells, on SQLite, whether anything may have been written
// since some moment without a query per question. Commits made through
// this Store are counted in memory as they happen; commits by other
// processes on the same file (moviedb import, users create, migrate while
// the server runs) are seen through PRAGMA data_version, which changes
// when another connection commits and which is read at most once per
// ForeignWriteDelay, on a connection of its own so it never waits for a
// writer.
//
// It exists because a read transaction costs about 6 µs on SQLite (file
// locks), which was a quarter of the CPU of serving a cached movie
// detail; see docs/BENCHMARKS.md.
type changeWatch struct {
	db    *sql.DB // one query-only connection
	local atomic.Uint64
	// epoch starts the watch's clock, which is monotonic and real whatever
	// clock the Store's timestamps use. It is set ForeignWriteDelay in the
	// past, so that the first token polls.
	epoch time.Time

	mu       sync.Mutex
	polledAt atomic.Int64 // since() at the last data_version read
	foreign  atomic.Int64 // the last data_version read
}

// committed counts a commit made through this Store. It runs after the
// commit, so a token read after a writer got its answer differs from any
// token read before the write.
func (w *changeWatch) committed() {
	if w != nil {
		w.local.Add(1)
	}
}

// token returns a value that differs from any value returned before a
// write that committed before this call (ForeignWriteDelay earlier, for
// another process's writes).
func (w *changeWatch) token(ctx context.Context) (uint64, error) {
	// local is read first: a local commit between the two reads changes
	// data_version too, and at worst makes the token look newer.
	local := w.local.Load()
	if w.since()-w.polledAt.Load() >= int64(ForeignWriteDelay) {
		if err := w.poll(ctx); err != nil {
			return 0, err
		}
	}
	return local<<32 ^ uint64(w.foreign.Load()), nil
}

// since returns the nanoseconds since the watch began.
func (w *changeWatch) since() int64 { return int64(time.Since(w.epoch)) }

// poll reads data_version unless another caller has just done so.
func (w *changeWatch) poll(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	start := w.since()
	if start-w.polledAt.Load() < int64(ForeignWriteDelay) {
		return nil
	}
	var v int64
	if err := w.db.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return fmt.Errorf("sqlstore: data version: %w", err)
	}
	w.foreign.Store(v)
	// Stamped with the time before the read: the value is at least that
	// fresh.
	w.polledAt.Store(start)
	return nil
}

// ChangeToken returns a token that changes whenever a write commits: at
// once for writes made through s, within ForeignWriteDelay for writes by
// other processes. ok is false on PostgreSQL, where other instances write
// unseen and callers must ask the database instead.
func (s *Store) ChangeToken(ctx context.Context) (token uint64, ok bool, err error) {
	if s.changes == nil {
		return 0, false, nil
	}
	token, err = s.changes.token(ctx)
	return token, err == nil, err
}
