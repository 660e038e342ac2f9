package httpapi

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// A RateLimit is a token bucket per key: a key may make Burst requests at
// once and regains one request every Every.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// DefaultAuthRateLimit lets each client IP and each account try 10 logins
// at once, then one every 6 seconds (10 a minute).
var DefaultAuthRateLimit = RateLimit{Burst: 10, Every: 6 * time.Second}

// defaultMaxKeys caps the keys one limiter tracks, bounding its memory
// whatever number of IPs or logins clients send.
const defaultMaxKeys = 10_000

// A limiter keeps a token bucket per key (a client IP, an account).
//
// The buckets live in this process's memory, so limits are per instance:
// behind a load balancer spreading requests over N instances, a client may
// make up to N times the limit. Brute force stays slow either way, and
// keeping the buckets in the database would cost a write per attempt.
type limiter struct {
	limit   RateLimit
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

func newLimiter(l RateLimit, now func() time.Time) *limiter {
	if l.Burst < 1 {
		l.Burst = DefaultAuthRateLimit.Burst
	}
	if l.Every <= 0 {
		l.Every = DefaultAuthRateLimit.Every
	}
	return &limiter{limit: l, now: now, maxKeys: defaultMaxKeys, buckets: map[string]*bucket{}}
}

// allow takes one request from key's bucket. When the bucket is empty it
// takes nothing and reports how long until it holds a request again.
func (l *limiter) allow(key string) (ok bool, retryAfter time.Duration) {
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
func (l *limiter) makeRoom(now time.Time) {
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

// clientIP returns the key a request's client is rate limited by: the host
// of r.RemoteAddr, an IPv6 address by its /64, which one host commonly holds
// whole. X-Forwarded-For and similar headers are not trusted, since any
// client can set them; behind a proxy, all its clients share its address.
func clientIP(r *http.Request) string {
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

// tooManyRequests answers 429 with a Retry-After of whole seconds.
func tooManyRequests(w http.ResponseWriter, r *http.Request, retryAfter time.Duration) {
	secs := max(int(math.Ceil(retryAfter.Seconds())), 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeProblem(w, r, problem{Status: http.StatusTooManyRequests,
		Detail: "too many attempts; retry after " + strconv.Itoa(secs) + " seconds"})
}
