// Package ratelimit keeps token buckets per key (a client IP, an account),
// so that the API and the web pages limit sign-in and registration attempts
// with one implementation and, in one process, with the same buckets.
package ratelimit

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// A Limit is a token bucket per key: a key may make Burst requests at once
// and regains one request every Every.
type Limit struct {
	Burst int
	Every time.Duration
}

// DefaultAuth lets each client IP and each account try 10 logins at once,
// then one every 6 seconds (10 a minute).
var DefaultAuth = Limit{Burst: 10, Every: 6 * time.Second}

// defaultMaxKeys caps the keys one limiter tracks, bounding its memory
// whatever number of IPs or logins clients send.
const defaultMaxKeys = 10_000

// A Limiter keeps a token bucket per key.
//
// The buckets live in this process's memory, so limits are per instance:
// behind a load balancer spreading requests over N instances, a client may
// make up to N times the limit. Brute force stays slow either way, and
// keeping the buckets in the database would cost a write per attempt.
type Limiter struct {
	limit   Limit
	now     func() time.Time
	maxKeys int

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a Limiter of l, reading the time from now (time.Now when
// nil). A zero Burst or Every takes DefaultAuth's.
func New(l Limit, now func() time.Time) *Limiter {
	if l.Burst < 1 {
		l.Burst = DefaultAuth.Burst
	}
	if l.Every <= 0 {
		l.Every = DefaultAuth.Every
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{limit: l, now: now, maxKeys: defaultMaxKeys, buckets: map[string]*bucket{}}
}

// Allow takes one request from key's bucket. When the bucket is empty it
// takes nothing and reports how long until it holds a request again.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		l.makeRoom(now)
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.limit.Every), l.limit.Burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// makeRoom drops the buckets idle long enough to be full again, which is
// the state a new bucket starts in, so dropping them changes no answer. It
// sweeps once per refill time, or whenever the map is full; if every bucket
// is still in use then, it drops an arbitrary one, resetting that key: the
// price of bounded memory under a flood of distinct keys.
func (l *Limiter) makeRoom(now time.Time) {
	refill := time.Duration(l.limit.Burst) * l.limit.Every
	if len(l.buckets) >= l.maxKeys || now.Sub(l.lastSweep) >= refill {
		l.lastSweep = now
		for k, b := range l.buckets {
			if now.Sub(b.seen) >= refill {
				delete(l.buckets, k)
			}
		}
	}
	if len(l.buckets) >= l.maxKeys {
		for k := range l.buckets {
			delete(l.buckets, k) // map order is random: an arbitrary victim
			break
		}
	}
}

// An ExceededError is a request refused by a limit: its key's bucket is
// empty. The API answers it with a 429, the pages with a 429 page, both
// with a Retry-After of RetryAfter.
type ExceededError struct {
	RetryAfter time.Duration
}

func (e *ExceededError) Error() string {
	return fmt.Sprintf("rate limit exceeded; retry after %s", e.RetryAfter)
}

// Take is Allow returning an *ExceededError when key's bucket is empty,
// for callers that pass the refusal on as an error.
func (l *Limiter) Take(key string) error {
	if ok, wait := l.Allow(key); !ok {
		return &ExceededError{RetryAfter: wait}
	}
	return nil
}

// Auth holds the limiters of signing in and of changing an account: logins
// per client IP and per account, registrations per client IP, profile
// changes per account. The API and the web pages share one Auth, so that
// switching between them buys an attacker no attempts.
type Auth struct {
	LoginByIP *Limiter
	// LoginByAccount counts every check of an account's password: logins
	// and the current password a signed-in user gives to change their
	// password, email or username. Keys are UserKey, or LoginKey for a
	// login that names no account.
	LoginByAccount *Limiter
	RegisterByIP   *Limiter
	// ProfileByAccount counts the profile changes of an account (UserKey):
	// each can tell whether a username or email is taken.
	ProfileByAccount *Limiter
}

// NewAuth returns the limiters of signing in and changing an account, each
// with limit l (DefaultAuth when zero).
func NewAuth(l Limit, now func() time.Time) *Auth {
	if l == (Limit{}) {
		l = DefaultAuth
	}
	return &Auth{LoginByIP: New(l, now), LoginByAccount: New(l, now), RegisterByIP: New(l, now),
		ProfileByAccount: New(l, now)}
}

// UserKey returns the per-account key of the account with id: whichever
// login (username or email, in any case) names the account, its attempts
// come out of one budget.
func UserKey(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// maxLoginKeyBytes bounds a LoginKey; no account has a longer username or
// email, so cutting longer logins changes nothing real.
const maxLoginKeyBytes = 256

// LoginKey returns the per-account key of a login that names no account,
// folded as the store matches logins (case does not make another login),
// so that guesses at unknown logins are limited as those at accounts are.
// Its prefix keeps it apart from every UserKey.
func LoginKey(login string) string {
	key := strings.ToLower(login)
	if len(key) > maxLoginKeyBytes {
		key = key[:maxLoginKeyBytes]
	}
	return "login:" + key
}

// ClientIP returns the key a request's client is limited by: the host of
// r.RemoteAddr, an IPv6 address by its /64, which one host commonly holds
// whole. X-Forwarded-For and similar headers are not trusted, since any
// client can set them; behind a proxy, all its clients share its address.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// RetryAfterSeconds rounds a wait up to whole seconds, at least 1, for a
// Retry-After header.
func RetryAfterSeconds(wait time.Duration) int {
	return max(int(math.Ceil(wait.Seconds())), 1)
}
