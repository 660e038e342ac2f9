package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/moviedb/moviedb/ratelimit"
)

// A RateLimit is a token bucket per key: a key may make Burst requests at
// once and regains one request every Every.
type RateLimit = ratelimit.Limit

// DefaultAuthRateLimit lets each client IP and each account try 10 logins
// at once, then one every 6 seconds (10 a minute).
var DefaultAuthRateLimit = ratelimit.DefaultAuth

// tooManyRequests answers 429 with a Retry-After of whole seconds.
func tooManyRequests(w http.ResponseWriter, r *http.Request, retryAfter time.Duration) {
	secs := ratelimit.RetryAfterSeconds(retryAfter)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeProblem(w, r, problem{Status: http.StatusTooManyRequests,
		Detail: "too many attempts; retry after " + strconv.Itoa(secs) + " seconds"})
}
