package ratelimit

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"
)

// clock is a settable time source.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

var testStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestLimiter(t *testing.T) {
	clk := &clock{t: testStart}
	l := New(Limit{Burst: 2, Every: time.Second}, clk.Now)
	for i, want := range []bool{true, true, false} {
		if ok, wait := l.Allow("a"); ok != want || (!ok && wait != time.Second) {
			t.Errorf("Allow(a) #%d = %v, %v; want %v", i+1, ok, wait, want)
		}
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("Allow(b) = false; want keys limited apart")
	}
	clk.Advance(500 * time.Millisecond)
	if ok, wait := l.Allow("a"); ok || wait != 500*time.Millisecond {
		t.Errorf("Allow(a) half a second on = %v, %v; want false, 500ms", ok, wait)
	}
	clk.Advance(500 * time.Millisecond)
	if ok, _ := l.Allow("a"); !ok {
		t.Error("Allow(a) a second on = false; want a request regained")
	}
}

// TestLimiterMemory checks that a limiter drops buckets that refilled and
// never holds more than its cap, whatever keys it sees.
func TestLimiterMemory(t *testing.T) {
	clk := &clock{t: testStart}
	l := New(Limit{Burst: 2, Every: time.Second}, clk.Now)
	l.maxKeys = 100
	for i := range 1000 {
		l.Allow(fmt.Sprintf("flood-%d", i))
		if n := len(l.buckets); n > l.maxKeys {
			t.Fatalf("%d buckets after %d keys; want at most %d", n, i+1, l.maxKeys)
		}
	}
	clk.Advance(2 * time.Second) // every bucket is full again
	l.Allow("late")
	if n := len(l.buckets); n != 1 {
		t.Errorf("%d buckets after all went idle; want 1", n)
	}
}

func TestClientIP(t *testing.T) {
	for _, tc := range []struct{ remote, want string }{
		{"192.0.2.1:1234", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:1234", "192.0.2.1"},
		{"[2001:db8:1:2:3:4:5:6]:1234", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2::9]:80", "2001:db8:1:2::/64"},
		{"[fe80::1%eth0]:80", "fe80::/64"},
		{"192.0.2.1", "192.0.2.1"},
		{"@unix", "@unix"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		r.Header.Set("X-Forwarded-For", "203.0.113.9")
		if got := ClientIP(r); got != tc.want {
			t.Errorf("ClientIP(%q) = %q; want %q", tc.remote, got, tc.want)
		}
	}
}

func TestKeys(t *testing.T) {
	if got := LoginKey("Ada@Example.com"); got != "login:ada@example.com" {
		t.Errorf("LoginKey(Ada@Example.com) = %q; want login:ada@example.com", got)
	}
	long := fmt.Sprintf("%0300d", 1)
	if got := LoginKey(long); len(got) != len("login:")+maxLoginKeyBytes {
		t.Errorf("len(LoginKey(300 bytes)) = %d; want %d", len(got), len("login:")+maxLoginKeyBytes)
	}
	// No login can take the budget of an account by its key's spelling.
	if got := UserKey(42); got != "user:42" || LoginKey(got) == got {
		t.Errorf("UserKey(42) = %q, LoginKey of it %q; want user:42 and another key", got, LoginKey(got))
	}
}

func TestTake(t *testing.T) {
	clk := &clock{t: testStart}
	l := New(Limit{Burst: 1, Every: time.Minute}, clk.Now)
	if err := l.Take("a"); err != nil {
		t.Fatalf("first Take = %v; want nil", err)
	}
	var exceeded *ExceededError
	if err := l.Take("a"); !errors.As(err, &exceeded) || exceeded.RetryAfter != time.Minute {
		t.Errorf("second Take = %v; want an *ExceededError retrying after a minute", err)
	}
}

func TestNewAuthShares(t *testing.T) {
	a := NewAuth(Limit{}, nil)
	if a.LoginByIP == a.LoginByAccount || a.LoginByIP == a.RegisterByIP || a.LoginByAccount == a.ProfileByAccount {
		t.Fatal("NewAuth limiters share buckets; want one limiter each")
	}
	if a.LoginByIP.limit != DefaultAuth {
		t.Errorf("NewAuth(zero) limit = %v; want %v", a.LoginByIP.limit, DefaultAuth)
	}
}
