// Package httpapi is moviedb's HTTP interface: routing, JSON and problem
// detail responses, bearer-token authentication, request ids, access logs,
// metrics, and the operational endpoints /healthz, /readyz and /metrics.
// Handlers call the store and turn its results and errors into responses;
// they never build SQL.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
)

// Store is what the API needs from the database. *sqlstore.Store satisfies it.
type Store interface {
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error

	// CreateUser inserts u and sets its ID and timestamps.
	CreateUser(ctx context.Context, u *catalog.User) error
	// UserByLogin returns the user whose username or email is login.
	UserByLogin(ctx context.Context, login string) (*catalog.User, error)
	// UpdateUser changes the fields upd sets and returns the user.
	UpdateUser(ctx context.Context, id int64, upd catalog.UserUpdate) (*catalog.User, error)

	// CreateToken stores a new token of a user.
	CreateToken(ctx context.Context, t *catalog.Token) error
	// UserByToken returns the user a live token with hash belongs to.
	UserByToken(ctx context.Context, hash string) (*catalog.User, *catalog.Token, error)
	// RevokeToken deletes the token with hash.
	RevokeToken(ctx context.Context, hash string) (bool, error)
	// RevokeUserTokens deletes every token of a user but the one with exceptHash.
	RevokeUserTokens(ctx context.Context, userID int64, exceptHash string) (int, error)

	// MovieByID returns the movie with id.
	MovieByID(ctx context.Context, id int64) (*catalog.Movie, error)
	// AddFavorite adds a movie to a user's favorites.
	AddFavorite(ctx context.Context, userID, movieID int64) (bool, error)
	// RemoveFavorite removes a movie from a user's favorites.
	RemoveFavorite(ctx context.Context, userID, movieID int64) (bool, error)
	// ListFavoriteMovies returns a page of a user's favorite movies.
	ListFavoriteMovies(ctx context.Context, userID int64, page catalog.Page) (catalog.List[catalog.MovieSummary], error)
	// UserFavoritesReport returns a page of users with their favorite movie ids.
	UserFavoritesReport(ctx context.Context, page catalog.Page) (catalog.List[catalog.UserFavorites], error)
}

// DefaultTokenTTL is how long a bearer token lives when Config.TokenTTL is
// zero.
const DefaultTokenTTL = 30 * 24 * time.Hour

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
	// TokenTTL is how long a bearer token made by a login lives. Zero (or
	// less) means DefaultTokenTTL.
	TokenTTL time.Duration
	// PasswordParams are the argon2id costs of new password hashes; a login
	// rehashes a password hashed with other costs. The zero value means
	// auth.DefaultParams.
	PasswordParams auth.Params
	// AuthRateLimit limits login and registration attempts per client IP,
	// and login attempts per account. The zero value means
	// DefaultAuthRateLimit.
	AuthRateLimit RateLimit
	// Now returns the current time, for token expiry and rate limits. Nil
	// means time.Now.
	Now func() time.Time
}

// server holds what the handlers share.
type server struct {
	store    Store
	log      *slog.Logger
	metrics  *httpMetrics
	reg      *prometheus.Registry
	tokenTTL time.Duration
	params   auth.Params
	now      func() time.Time
	// dummyHash is a hash with the configured costs, verified against when a
	// login names no account; made on first use.
	dummyHash func() string

	// Login is limited per client IP and per account, registration per
	// client IP; each has its own buckets.
	loginByIP      *limiter
	loginByAccount *limiter
	registerByIP   *limiter
}

// New returns the HTTP handler of moviedb. It registers its metrics on
// cfg.Registry and panics if that registry already holds them.
func New(cfg Config) http.Handler {
	return newServer(cfg).handler()
}

// newServer fills in the defaults of cfg.
func newServer(cfg Config) *server {
	s := &server{
		store:    cfg.Store,
		log:      cfg.Logger,
		reg:      cfg.Registry,
		tokenTTL: cfg.TokenTTL,
		params:   cfg.PasswordParams,
		now:      cfg.Now,
	}
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
	if s.tokenTTL <= 0 {
		s.tokenTTL = DefaultTokenTTL
	}
	if s.params == (auth.Params{}) {
		s.params = auth.DefaultParams
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.dummyHash = sync.OnceValue(func() string {
		// crypto/rand does not fail on supported platforms; were it to, the
		// empty hash fails verification at once.
		h, _ := auth.HashPassword("moviedb-no-such-account", s.params)
		return h
	})
	limit := cfg.AuthRateLimit
	if limit == (RateLimit{}) {
		limit = DefaultAuthRateLimit
	}
	s.loginByIP = newLimiter(limit, s.now)
	s.loginByAccount = newLimiter(limit, s.now)
	s.registerByIP = newLimiter(limit, s.now)
	s.metrics = newHTTPMetrics(s.reg, cfg.Version)
	return s
}

// handler returns the routes of s behind the middleware every request
// passes through.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	var h http.Handler = unmatchedAsProblem(mux)
	h = recoverPanics(s.log, h)
	h = s.observe(h)
	h = withRequestID(h)
	return h
}
