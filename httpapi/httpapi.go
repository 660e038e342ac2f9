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
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/httpgzip"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/ratelimit"
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
	// ChooseAvatar makes a file the user uploaded their avatar.
	ChooseAvatar(ctx context.Context, userID, fileID int64) (*catalog.User, error)

	// CreateToken stores a new token of a user.
	CreateToken(ctx context.Context, t *catalog.Token) error
	// UserByToken returns the user a live token with hash belongs to.
	UserByToken(ctx context.Context, hash string) (*catalog.User, *catalog.Token, error)
	// RevokeToken deletes the token with hash.
	RevokeToken(ctx context.Context, hash string) (bool, error)
	// RevokeUserTokens deletes every token of a user but the one with exceptHash.
	RevokeUserTokens(ctx context.Context, userID int64, exceptHash string) (int, error)

	// FileByID returns the file with id.
	FileByID(ctx context.Context, id int64) (*catalog.File, error)
	// PersonPhotos returns the photos of a person.
	PersonPhotos(ctx context.Context, personID int64) ([]catalog.PersonPhoto, error)
	// UpdatePersonPhoto changes whether a photo is its person's primary one.
	UpdatePersonPhoto(ctx context.Context, personID, fileID int64, upd catalog.PersonPhotoUpdate) (*catalog.PersonPhoto, error)
	// RemovePersonPhoto unlinks a photo from a person; the file stays.
	RemovePersonPhoto(ctx context.Context, personID, fileID int64) error

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

	// Movies, genre links and cast.

	// SearchMovies returns a page of the movies a search selects, with their
	// posters and directors.
	SearchMovies(ctx context.Context, f catalog.MovieSearch) (catalog.List[catalog.MovieSummary], error)
	// CreateMovieWithGenres inserts m and its genre links in one transaction.
	CreateMovieWithGenres(ctx context.Context, m *catalog.Movie, genreIDs []int64) error
	// MovieDetail returns a movie with poster, country, director, genres,
	// cast and favorites count.
	MovieDetail(ctx context.Context, id int64) (*catalog.MovieDetail, error)
	// MovieDetailVersions returns the versions of movies' details by movie
	// id (at most 64 ids), which every write
	// that can change a detail changes; missing movies are left out.
	MovieDetailVersions(ctx context.Context, ids []int64) (map[int64]int64, error)
	// ChangeToken returns a token that changes whenever a write commits, or
	// ok false where the store cannot tell without asking the database
	// about each movie (PostgreSQL).
	ChangeToken(ctx context.Context) (token uint64, ok bool, err error)
	// UpdateMovie changes the fields upd sets and returns the movie.
	UpdateMovie(ctx context.Context, id int64, upd catalog.MovieUpdate) (*catalog.Movie, error)
	// DeleteMovieIf deletes a movie with its genre links, cast and
	// favorites; with ifUpdatedAt set, only if the movie's updatedAt still
	// equals it (catalog.ErrPreconditionFailed otherwise).
	DeleteMovieIf(ctx context.Context, id int64, ifUpdatedAt *time.Time) error
	// SetMovieGenres makes genreIDs the genres of a movie.
	SetMovieGenres(ctx context.Context, movieID int64, genreIDs []int64) error
	// AddMovieGenre gives a movie a genre; it reports whether the link is new.
	AddMovieGenre(ctx context.Context, movieID, genreID int64) (bool, error)
	// RemoveMovieGenre takes a genre from a movie; it reports whether the
	// movie had it.
	RemoveMovieGenre(ctx context.Context, movieID, genreID int64) (bool, error)
	// AddCastMember puts an existing character in a movie's cast.
	AddCastMember(ctx context.Context, m *catalog.CastMember) error
	// CreateCharacterInCast creates a character and puts it in a movie's
	// cast, in one transaction.
	CreateCharacterInCast(ctx context.Context, movieID int64, ch *catalog.Character, personID *int64) (*catalog.CastMember, error)
	// UpdateCastMember changes or clears who plays a character in a movie.
	UpdateCastMember(ctx context.Context, movieID, characterID int64, upd catalog.CastUpdate) (*catalog.CastMember, error)
	// RemoveCastMember takes a character out of a movie's cast.
	RemoveCastMember(ctx context.Context, movieID, characterID int64) error

	// Countries, genres, characters, persons and reports.

	// CreateCountry inserts c and sets its ID and timestamps.
	CreateCountry(ctx context.Context, c *catalog.Country) error
	// CountryByID returns the country with id.
	CountryByID(ctx context.Context, id int64) (*catalog.Country, error)
	// UpdateCountry changes the fields upd sets and returns the country.
	UpdateCountry(ctx context.Context, id int64, upd catalog.CountryUpdate) (*catalog.Country, error)
	// DeleteCountry deletes a country no movie or person refers to.
	DeleteCountry(ctx context.Context, id int64) error
	// ListCountries returns a page of countries ordered by name.
	ListCountries(ctx context.Context, f catalog.CountryFilter) (catalog.List[catalog.Country], error)
	// CreateGenre inserts g and sets its ID and timestamps.
	CreateGenre(ctx context.Context, g *catalog.Genre) error
	// GenreByID returns the genre with id.
	GenreByID(ctx context.Context, id int64) (*catalog.Genre, error)
	// UpdateGenre changes the fields upd sets and returns the genre.
	UpdateGenre(ctx context.Context, id int64, upd catalog.GenreUpdate) (*catalog.Genre, error)
	// DeleteGenre deletes a genre no movie has.
	DeleteGenre(ctx context.Context, id int64) error
	// ForceDeleteGenre deletes a genre even while movies have it.
	ForceDeleteGenre(ctx context.Context, id int64) error
	// ListGenres returns a page of genres ordered by name.
	ListGenres(ctx context.Context, f catalog.GenreFilter) (catalog.List[catalog.Genre], error)
	// CreateCharacter inserts c and sets its ID and timestamps.
	CreateCharacter(ctx context.Context, c *catalog.Character) error
	// CharacterByID returns the character with id.
	CharacterByID(ctx context.Context, id int64) (*catalog.Character, error)
	// UpdateCharacter changes the fields upd sets and returns the character.
	UpdateCharacter(ctx context.Context, id int64, upd catalog.CharacterUpdate) (*catalog.Character, error)
	// DeleteCharacter deletes a character.
	DeleteCharacter(ctx context.Context, id int64) error
	// ListCharacters returns a page of characters ordered by name.
	ListCharacters(ctx context.Context, f catalog.CharacterFilter) (catalog.List[catalog.Character], error)
	// CreatePerson inserts p and sets its ID and timestamps.
	CreatePerson(ctx context.Context, p *catalog.Person) error
	// UpdatePerson changes the fields upd sets and returns the person.
	UpdatePerson(ctx context.Context, id int64, upd catalog.PersonUpdate) (*catalog.Person, error)
	// DeletePersonIf deletes a person who directs no movie; with
	// ifUpdatedAt set, only if the person's updatedAt still equals it
	// (catalog.ErrPreconditionFailed otherwise).
	DeletePersonIf(ctx context.Context, id int64, ifUpdatedAt *time.Time) error
	// ListPersons returns a page of persons ordered by name.
	ListPersons(ctx context.Context, f catalog.PersonFilter) (catalog.List[catalog.Person], error)
	// SearchPersons returns a page of the persons whose names hold every word of q.
	SearchPersons(ctx context.Context, q string, page catalog.Page) (catalog.List[catalog.Person], error)
	// PersonDetail returns a person with country, photos and the first page of their filmography.
	PersonDetail(ctx context.Context, id int64) (*catalog.PersonDetail, error)
	// PersonDirected returns a page of the movies person id directs.
	PersonDirected(ctx context.Context, id int64, page catalog.Page) (catalog.List[catalog.MovieBrief], error)
	// PersonPlayed returns a page of the characters person id plays.
	PersonPlayed(ctx context.Context, id int64, page catalog.Page) (catalog.List[catalog.PlayedRole], error)
	// ActorBudgets returns a page of actors with the total budget of their movies that have one.
	ActorBudgets(ctx context.Context, page catalog.Page) (catalog.List[catalog.ActorBudget], error)
	// RecentMovies returns a page of the movies released from years years before today through today.
	RecentMovies(ctx context.Context, years int, today catalog.Date, page catalog.Page) (catalog.List[catalog.RecentMovie], error)
	// DirectorBudgets returns a page of directors with the average budget of their movies.
	DirectorBudgets(ctx context.Context, page catalog.Page) (catalog.List[catalog.DirectorBudget], error)
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
	// and login attempts and profile changes per account. The zero value
	// means DefaultAuthRateLimit.
	AuthRateLimit RateLimit
	// AuthLimiters, when set, are the limiters of logins and registrations,
	// shared with the web pages; AuthRateLimit is then unused. Nil means
	// limiters of the API's own.
	AuthLimiters *ratelimit.Auth
	// Now returns the current time, for token expiry and rate limits. Nil
	// means time.Now.
	Now func() time.Time
	// DetailCacheBytes is how many bytes of rendered movie details the API
	// keeps, each checked against the movie's detail version (or the
	// store's change token) on every request. Zero means
	// DefaultDetailCacheBytes; a negative value turns the cache off.
	DetailCacheBytes int
	// Fallback, when set, serves the requests outside /api/ that no API,
	// ops or docs route matches: the web pages. They pass through the same
	// request ids, access log, metrics and panic recovery. Nil answers them
	// with a problem+json 404 or 405.
	Fallback http.Handler
	// BaseURL is moviedb's public base URL, as "https://movies.example":
	// the Link headers of lists name the next page under it. Empty leaves
	// those links relative to the host (a path and query).
	BaseURL string
	// Media stores uploaded images and serves /files/. Nil turns the
	// upload routes into 404s and leaves file URLs as stored.
	Media *media.Service
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
	// verifier checks logins; the web pages have one of their own over
	// the same store and costs.
	verifier *auth.Verifier

	// Login is limited per client IP and per account, registration per
	// client IP, profile changes per account; each has its own buckets.
	limits *ratelimit.Auth

	// details keeps rendered movie details, and versions reads their
	// versions; both nil when off.
	details  *detailCache
	versions *versionBatcher

	fallback http.Handler
	media    *media.Service
	// baseURL prefixes the links to next pages; see Config.BaseURL.
	baseURL string
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
		fallback: cfg.Fallback,
		media:    cfg.Media,
		baseURL:  strings.TrimRight(cfg.BaseURL, "/"),
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
	s.limits = cfg.AuthLimiters
	if s.limits == nil {
		s.limits = ratelimit.NewAuth(cfg.AuthRateLimit, s.now)
	}
	s.verifier = auth.NewVerifier(cfg.Store, s.params, s.limits, s.log)
	s.metrics = newHTTPMetrics(s.reg, cfg.Version)
	s.details = newDetailCache(cfg.DetailCacheBytes)
	if s.details != nil {
		// A closure, not the method value: a Config without a Store (for
		// routes that never touch it) must not panic here.
		s.versions = &versionBatcher{maxBatch: detailVersionBatch, maxRunning: detailVersionBatches,
			fetch: func(ctx context.Context, ids []int64) (map[int64]int64, error) {
				return s.store.MovieDetailVersions(ctx, ids)
			}}
	}
	return s
}

// routesOutsideAPI returns a mux of the paths of the routes not under
// /api/ (the ops and docs routes, and /files/{key...}), whatever their
// method, each handled by ownRoute.
func (s *server) routesOutsideAPI() *http.ServeMux {
	own := http.NewServeMux()
	seen := map[string]bool{}
	for _, rt := range s.routeTable() {
		_, path, _ := strings.Cut(rt.pattern, " ")
		if !strings.HasPrefix(path, "/api/") && !seen[path] {
			seen[path] = true
			own.Handle(path, ownRoute)
		}
	}
	return own
}

// handler returns the routes of s behind the middleware every request
// passes through.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	var h http.Handler = unmatchedAsProblem(mux)
	if s.fallback != nil {
		h = withFallback(s.routesOutsideAPI(), h, s.fallback)
	}
	h = recoverPanics(s.log, h)
	h = s.observe(h)
	// Outside observe: a request whose conditional headers it rewrites is
	// a copy, and observe reads the route the mux sets on its own.
	h = httpgzip.Handler(h)
	h = withRequestID(h)
	h = withNoSniff(h)
	return h
}
