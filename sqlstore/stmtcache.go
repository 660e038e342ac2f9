package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// maxCachedStatements bounds the statement cache. Hot statements are few
// and fixed (details, the account lookup); searches vary with their filters,
// and past the bound a statement simply runs unprepared.
const maxCachedStatements = 128

// A stmtCache keeps the read pool's prepared statements by their SQL text.
// On SQLite, preparing (parsing and planning) was a third of the CPU time of
// a movie detail; a *sql.Stmt is prepared once per connection and reused.
// PostgreSQL needs none of this: pgx caches prepared statements itself.
type stmtCache struct {
	db    *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement of query, preparing it on first use
// when mayPrepare, or nil when it is not cached and cannot be (the caller
// then runs query unprepared, which reports any error in query itself).
//
// A transaction must not prepare: preparing takes a second connection from
// the pool, and with every connection held by a transaction waiting for
// one, nothing would move. Statements used in transactions are pinned
// before the transaction begins (prepareReads).
func (c *stmtCache) stmt(ctx context.Context, query string, mayPrepare bool) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.stmts[query]
	full := len(c.stmts) >= maxCachedStatements
	c.mu.RUnlock()
	if ok || full || !mayPrepare {
		return st
	}
	st, _ = c.add(ctx, query, true)
	return st
}

// add prepares query and caches it, unless bounded and the cache is full
// (then it returns nil). Prepared with a context of its own: a request that
// ends must not leave a half-made statement in the cache.
func (c *stmtCache) add(ctx context.Context, query string, bounded bool) (*sql.Stmt, error) {
	st, err := c.db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.stmts[query]; ok {
		st.Close()
		return prev, nil
	}
	if bounded && len(c.stmts) >= maxCachedStatements {
		st.Close()
		return nil, nil
	}
	c.stmts[query] = st
	return st, nil
}

// close closes every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}

// cachedReader runs queries on the read pool, or in one of its transactions
// when tx is set, through the statement cache. It is a queryer.
type cachedReader struct {
	cache *stmtCache
	tx    *sql.Tx
}

func (r cachedReader) prepared(ctx context.Context, query string) *sql.Stmt {
	st := r.cache.stmt(ctx, query, r.tx == nil)
	if st != nil && r.tx != nil {
		// The transaction's connection reuses its own preparation of st.
		st = r.tx.StmtContext(ctx, st)
	}
	return st
}

func (r cachedReader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := r.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	if r.tx != nil {
		return r.tx.QueryContext(ctx, query, args...)
	}
	return r.cache.db.QueryContext(ctx, query, args...)
}

func (r cachedReader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := r.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	if r.tx != nil {
		return r.tx.QueryRowContext(ctx, query, args...)
	}
	return r.cache.db.QueryRowContext(ctx, query, args...)
}

func (r cachedReader) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if r.tx != nil {
		return r.tx.ExecContext(ctx, query, args...)
	}
	return r.cache.db.ExecContext(ctx, query, args...)
}

var _ queryer = cachedReader{}

// reader returns the queryer for reads outside transactions: the statement
// cache on SQLite, the read pool itself on PostgreSQL.
func (s *Store) reader() queryer {
	if s.stmts == nil {
		return s.read
	}
	return cachedReader{cache: s.stmts}
}

// prepareReads pins the statements that read transactions run, which may
// not prepare statements themselves. They are a few fixed strings of the
// store's own code, so they are kept whatever the bound: a cache filled by
// searches must not send every detail back to unprepared statements.
func (c *stmtCache) prepareReads(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		c.mu.RLock()
		_, ok := c.stmts[q]
		c.mu.RUnlock()
		if ok {
			continue
		}
		if _, err := c.add(ctx, q, false); err != nil {
			return fmt.Errorf("sqlstore: prepare: %w", err)
		}
	}
	return nil
}
