package httpapi

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

type requestIDKey struct{}

// RequestID returns the id of the request ctx belongs to, or "" outside one.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID gives every request an id: the client's X-Request-Id when it
// is safe to log and echo, a random one otherwise. The id goes into the
// request's context and the response's X-Request-Id header.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// requestIDPrefix makes this process's request ids unlike any other
// instance's; requestIDCount makes them unlike each other.
var (
	requestIDPrefix = rand.Text()[:16]
	requestIDCount  atomic.Uint64
)

// newRequestID returns an id no other request of any instance has: a
// random per-process prefix and a counter. Ids name requests in logs; they
// need to be unique, not unpredictable, and a counter costs a tenth of
// reading 16 random bytes for every request.
func newRequestID() string {
	return requestIDPrefix + "-" + strconv.FormatUint(requestIDCount.Add(1), 36)
}

// validRequestID reports whether id is 1 to 128 characters of [A-Za-z0-9._-].
func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// quietRoutes are polled by probes and scrapers; their successes are logged
// at debug level only, so they do not drown the access log.
var quietRoutes = map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /metrics": true}

// observe logs every request and records it in the HTTP metrics. It must
// wrap the mux directly or through handlers that pass the request on as is:
// it reads the route pattern the mux sets on the request.
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		// Deferred, so that a request aborted by a panic is still counted.
		defer func() {
			elapsed := time.Since(start)
			status := rec.status
			if status == 0 {
				status = http.StatusOK // what net/http sends for an empty response
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			method := metricMethod(r.Method)
			s.metrics.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
			s.metrics.duration.WithLabelValues(method, route).Observe(elapsed.Seconds())

			level := slog.LevelInfo
			if quietRoutes[route] && status < 400 {
				level = slog.LevelDebug
			}
			// No query string and no headers: tokens may travel in either.
			s.log.LogAttrs(r.Context(), level, "request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", elapsed),
				slog.String("request_id", RequestID(r.Context())))
		}()
		next.ServeHTTP(rec, r)
	})
}

// recoverPanics turns a panicking handler into a logged 500 with a generic
// body. If the response had already begun, it aborts the connection instead,
// so the client does not take a truncated body for a whole one.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			log.LogAttrs(r.Context(), slog.LevelError, "panic",
				slog.Any("panic", v),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("request_id", RequestID(r.Context())),
				slog.String("stack", string(debug.Stack())))
			if rec.status != 0 {
				panic(http.ErrAbortHandler)
			}
			// Drop what the handler meant to send with its answer (an ETag, a
			// Location), keeping only what the middleware set for every
			// answer.
			h := w.Header()
			kept := map[string]string{}
			for _, name := range []string{"X-Request-Id", "X-Content-Type-Options"} {
				kept[name] = h.Get(name)
			}
			clear(h)
			for name, v := range kept {
				if v != "" {
					h.Set(name, v)
				}
			}
			writeProblem(w, r, problem{Status: http.StatusInternalServerError, Detail: internalDetail})
		}()
		next.ServeHTTP(rec, r)
	})
}

// unmatchedAsProblem serves mux, turning the plain-text 404 and 405 answers
// it gives requests that match no route into problem details.
func unmatchedAsProblem(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(&unmatchedWriter{ResponseWriter: w, r: r}, r)
	})
}

// withFallback serves with fallback the requests to paths outside /api/
// that no route of the API matches, whatever the method, and any other with
// h. So a client of the API, an ops probe, the docs page or an image at
// /files/ always gets the API's answer (problem details for a wrong method
// too). own matches the API's routes outside /api/ (routesOutsideAPI); it
// is a mux, not a set of paths, because /files/{key...} has a wildcard.
func withFallback(own *http.ServeMux, h, fallback http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A path own would only redirect (to clean it, or to add a
		// slash) is no route of the API's; the pages answer it.
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			if route, _ := own.Handler(r); route != ownRoute {
				fallback.ServeHTTP(w, r)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// ownRoute marks the routes of routesOutsideAPI; it never serves. It is
// a pointer, so that comparing it with any handler is well defined.
var ownRoute http.Handler = &unservedRoute{}

type unservedRoute struct{}

func (*unservedRoute) ServeHTTP(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }

// unmatchedWriter replaces the mux's own 404 and 405 responses.
type unmatchedWriter struct {
	http.ResponseWriter
	r        *http.Request
	replaced bool
}

func (u *unmatchedWriter) WriteHeader(status int) {
	// The mux sets r.Pattern before it calls a route's handler and leaves it
	// empty when no route matched; only then is a 404 or 405 the mux's own.
	if u.r.Pattern != "" || (status != http.StatusNotFound && status != http.StatusMethodNotAllowed) {
		u.ResponseWriter.WriteHeader(status)
		return
	}
	u.replaced = true
	detail := "no resource at this path"
	if status == http.StatusMethodNotAllowed {
		detail = "method " + u.r.Method + " is not allowed here; see the Allow header"
	}
	writeProblem(u.ResponseWriter, u.r, problem{Status: status, Detail: detail})
}

func (u *unmatchedWriter) Write(b []byte) (int, error) {
	if u.replaced {
		return len(b), nil // the mux's plain-text body
	}
	return u.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (u *unmatchedWriter) Unwrap() http.ResponseWriter { return u.ResponseWriter }

// recorder remembers the status and size of the response written through it.
type recorder struct {
	http.ResponseWriter
	status int // 0 until the response begins
	bytes  int64
}

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 && status >= 200 { // 1xx responses are not final
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// withNoSniff tells browsers, on every answer, to take its Content-Type
// as sent rather than guess one from the bytes: a JSON body holding a
// user's text must never be run as HTML or script.
func withNoSniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}
