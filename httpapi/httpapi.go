// Package httpapi is moviedb's HTTP interface: routing, JSON and problem
// detail responses, request ids, access logs, metrics, and the operational
// endpoints /healthz, /readyz and /metrics. Handlers call the store and turn
// its results and errors into responses; they never build SQL.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Store is what the API needs from the database. *sqlstore.Store satisfies it.
type Store interface {
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
}

// Config holds what New needs to build the API.
type Config struct {
	// Store is the catalog's database.
	Store Store
	// Logger receives the access log and the errors behind 5xx responses.
	// Nil discards them.
	Logger *slog.Logger
	// Version is the running moviedb version, exported as a metric label.
	Version string
	// Registry receives the HTTP metrics and is served at /metrics. Nil means
	// a fresh registry that also holds the Go runtime and process collectors.
	Registry *prometheus.Registry
}

// server holds what the handlers share.
type server struct {
	store   Store
	log     *slog.Logger
	metrics *httpMetrics
	reg     *prometheus.Registry
}

// New returns the HTTP handler of moviedb. It registers its metrics on
// cfg.Registry and panics if that registry already holds them.
func New(cfg Config) http.Handler {
	s := &server{store: cfg.Store, log: cfg.Logger, reg: cfg.Registry}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.reg == nil {
		s.reg = prometheus.NewRegistry()
		s.reg.MustRegister(
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		)
	}
	s.metrics = newHTTPMetrics(s.reg, cfg.Version)

	mux := http.NewServeMux()
	s.routes(mux)
	var h http.Handler = unmatchedAsProblem(mux)
	h = recoverPanics(s.log, h)
	h = s.observe(h)
	h = withRequestID(h)
	return h
}
