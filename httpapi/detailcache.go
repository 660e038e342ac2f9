package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/httpgzip"
)

// DefaultDetailCacheBytes is how many bytes of rendered movie details the
// API keeps when Config.DetailCacheBytes is zero: every detail of the
// 10,000-movie benchmark catalog (2.7 KB each on average), in a budget
// that keeps the server within its default memory limit.
const DefaultDetailCacheBytes = 32 << 20

// detailEntryOverhead approximates what an entry costs beside its body:
// the map slot, the tag and the slice header.
const detailEntryOverhead = 128

// A detailCache keeps rendered movie details (body and ETag) by movie id,
// the body gzipped: a hit from a client that accepts gzip (nearly every
// one) is sent as it is kept, with no compression, and the budget holds
// about three times the details it would uncompressed. The rare client
// that does not accept gzip costs a gunzip per hit.
// each tagged with the detail version it was read with. An entry is served
// only while the database still reports that version, which every write
// the detail depends on changes in its own transaction: so the cache needs
// no expiry. Where the store has change tokens (SQLite), an entry checked
// at the current token is served without asking: writes through this
// process show at once, another process's within
// sqlstore.ForeignWriteDelay.
//
// It holds at most budget bytes; a full cache drops entries at random
// (Go's map iteration order) to make room. See docs/BENCHMARKS.md for
// what it costs in memory.
type detailCache struct {
	budget  int
	mu      sync.RWMutex
	entries map[int64]detailEntry
	bytes   int // what the entries cost, counted as entryCost does
}

// A detailEntry is a rendered detail and the version it was read with.
// Where the store has change tokens (SQLite), it also keeps the token at
// which version was last known current: while the store's token is still
// that one, nothing was written since, and the entry is served without
// asking the database.
type detailEntry struct {
	version int64
	gzip    []byte // the body, gzipped
	tag     string // the ETag of the uncompressed body
	checked uint64 // a change token; meaningful when hasChecked
	// hasChecked is false where the store has no change tokens.
	hasChecked bool
}

// cost returns the bytes e counts for in the cache's budget.
func (e detailEntry) cost() int { return len(e.gzip) + len(e.tag) + detailEntryOverhead }

// newDetailEntry returns the entry of a detail body read with version,
// known current at token when hasToken.
func newDetailEntry(version int64, body []byte, token uint64, hasToken bool) detailEntry {
	return detailEntry{version: version, gzip: httpgzip.Compress(body, httpgzip.CachedLevel), tag: etagOf(body),
		checked: token, hasChecked: hasToken}
}

// writeCachedDetail answers a movie detail from its cache entry: gzipped
// as kept when the client accepts it, gunzipped otherwise. Either way a
// GET whose If-None-Match names the tag gets a 304 (httpgzip.Handler
// turns a gzip-form tag into the identity one, and back on the 304).
func (s *server) writeCachedDetail(w http.ResponseWriter, r *http.Request, e detailEntry) {
	if !httpgzip.Negotiate(r) {
		body, err := httpgzip.Decompress(e.gzip)
		if err != nil {
			s.writeError(w, r, fmt.Errorf("cached movie detail: %w", err))
			return
		}
		httpgzip.AddVary(w.Header())
		s.writeTaggedBody(w, r, http.StatusOK, body, e.tag)
		return
	}
	h := w.Header()
	httpgzip.AddVary(h)
	if noneMatchHolds(r.Header.Values("If-None-Match"), e.tag) {
		h.Set("ETag", e.tag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("ETag", httpgzip.ETag(e.tag))
	h.Set("Content-Type", "application/json")
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(e.gzip)))
	w.WriteHeader(http.StatusOK)
	w.Write(e.gzip)
}

// newDetailCache returns a cache of budget bytes, or nil (no caching) when
// budget is negative.
func newDetailCache(budget int) *detailCache {
	if budget < 0 {
		return nil
	}
	if budget == 0 {
		budget = DefaultDetailCacheBytes
	}
	return &detailCache{budget: budget, entries: make(map[int64]detailEntry)}
}

// get returns the entry of movie id if it was read with version.
func (c *detailCache) get(id, version int64) (detailEntry, bool) {
	c.mu.RLock()
	e, ok := c.entries[id]
	c.mu.RUnlock()
	return e, ok && e.version == version
}

// fresh returns the entry of movie id if it was known current at token:
// no write has committed since.
func (c *detailCache) fresh(id int64, token uint64) (detailEntry, bool) {
	c.mu.RLock()
	e, ok := c.entries[id]
	c.mu.RUnlock()
	return e, ok && e.hasChecked && e.checked == token
}

// confirm records that movie id's entry, if it still has version, was
// current at token, which was read before version was.
func (c *detailCache) confirm(id, version int64, token uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[id]; ok && e.version == version {
		e.checked, e.hasChecked = token, true
		c.entries[id] = e
	}
}

// put keeps e as movie id's entry, unless e alone is over the budget.
// Versions are compared for equality only (they are not ordered on
// PostgreSQL), so the last put wins; a put that races with a newer one at
// worst leaves an entry that the next get finds out of date and replaces.
func (c *detailCache) put(id int64, e detailEntry) {
	if e.cost() > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[id]; ok {
		c.bytes -= old.cost()
		delete(c.entries, id)
	}
	for k, old := range c.entries {
		if c.bytes+e.cost() <= c.budget {
			break
		}
		c.bytes -= old.cost()
		delete(c.entries, k)
	}
	c.entries[id] = e
	c.bytes += e.cost()
}

// detailVersionBatch is the most ids one batch of versions reads (what
// sqlstore.MaxDetailVersionBatch allows); detailVersionBatches is how many
// batches may run at once. With one, requests arriving during a batch
// gather into the next: on the 2-core load run that made batches of about
// 4 (SQLite) and 15 (PostgreSQL) ids and served the most requests; with
// more in flight, batches shrank to one or two ids.
const (
	detailVersionBatch   = 64
	detailVersionBatches = 1
)

// A versionBatcher reads movie detail versions for concurrent requests in
// batches: one statement answers for up to maxBatch requests, which on
// PostgreSQL saves a round trip per request and on SQLite the start of a
// read transaction.
//
// A request's version is read by a statement that starts after the request
// arrived, exactly as if the request had run its own: it sees every write
// committed before the request, so batching costs no freshness.
type versionBatcher struct {
	fetch      func(ctx context.Context, ids []int64) (map[int64]int64, error)
	maxBatch   int
	maxRunning int // batches in flight at once

	mu      sync.Mutex
	pending []*versionWait
	running int
}

// A versionWait is one request waiting for a movie's version.
type versionWait struct {
	id      int64
	done    chan struct{} // closed once version, found and err are set
	version int64
	found   bool
	err     error
}

// versionFetchTimeout bounds one batch: a batch runs for many requests, so
// it cannot stop with any one's context.
const versionFetchTimeout = 10 * time.Second

// version returns the detail version of movie id, or catalog.ErrNotFound.
// The first requests to arrive while fewer than maxRunning batches run read
// a batch themselves; the others wait for the next batch to take them.
func (b *versionBatcher) version(ctx context.Context, id int64) (int64, error) {
	w := &versionWait{id: id, done: make(chan struct{})}
	b.mu.Lock()
	b.pending = append(b.pending, w)
	if b.running < b.maxRunning {
		b.running++
		batch := b.take()
		b.mu.Unlock()
		// w is in batch: this request reads it, then hands what arrived
		// meanwhile to a goroutine of its own rather than wait for it.
		b.run(batch)
		b.next()
	} else {
		b.mu.Unlock()
	}
	select {
	case <-w.done:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	if w.err != nil {
		return 0, w.err
	}
	if !w.found {
		return 0, fmt.Errorf("movie %d: %w", id, catalog.ErrNotFound)
	}
	return w.version, nil
}

// take removes and returns up to maxBatch pending waits; b.mu is held.
func (b *versionBatcher) take() []*versionWait {
	n := min(len(b.pending), b.maxBatch)
	batch := b.pending[:n:n]
	b.pending = b.pending[n:]
	if len(b.pending) == 0 {
		b.pending = nil
	}
	return batch
}

// next starts a batch of the pending waits in a goroutine that continues
// while any are pending, or gives up its running slot when none are.
func (b *versionBatcher) next() {
	b.mu.Lock()
	if len(b.pending) == 0 {
		b.running--
		b.mu.Unlock()
		return
	}
	batch := b.take()
	b.mu.Unlock()
	go func() {
		b.run(batch)
		b.next()
	}()
}

// run reads the versions of batch in one statement and wakes its waits.
func (b *versionBatcher) run(batch []*versionWait) {
	ids := make([]int64, 0, len(batch))
	seen := make(map[int64]bool, len(batch))
	for _, w := range batch {
		if !seen[w.id] {
			seen[w.id] = true
			ids = append(ids, w.id)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), versionFetchTimeout)
	defer cancel()
	versions, err := b.fetch(ctx, ids)
	for _, w := range batch {
		w.version, w.found = versions[w.id]
		w.err = err
		close(w.done)
	}
}
