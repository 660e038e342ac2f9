package sqlstore_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// clock is a test clock that moves only when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// wantConflict fails t unless err is a *catalog.ConflictError on field.
func wantConflict(t *testing.T, err error, field string) {
	t.Helper()
	var c *catalog.ConflictError
	if !errors.As(err, &c) || !errors.Is(err, catalog.ErrConflict) {
		t.Fatalf("error = %v (%T); want *catalog.ConflictError", err, err)
	}
	if c.Field != field {
		t.Fatalf("conflict field = %q (%v); want %q", c.Field, err, field)
	}
}

// wantInvalid fails t unless err is a *catalog.ValidationError naming field.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var v *catalog.ValidationError
	if !errors.As(err, &v) || !errors.Is(err, catalog.ErrInvalid) {
		t.Fatalf("error = %v (%T); want *catalog.ValidationError", err, err)
	}
	if _, ok := v.Fields[field]; !ok {
		t.Fatalf("validation error %v does not name field %q", err, field)
	}
}

// wantNotFound fails t unless err is catalog.ErrNotFound.
func wantNotFound(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("error = %v; want catalog.ErrNotFound", err)
	}
}

func ptr[T any](v T) *T { return &v }
