// Package web is moviedb's web front end: server-rendered HTML pages over
// the same store as the API, with cookie sessions on the API's token store.
// Templates and static assets are embedded in the binary; every form works
// without JavaScript, which only enhances. Handlers call the store and
// render templates; they never build SQL.
package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/ratelimit"
)

// Store is what the web pages need from the database. *sqlstore.Store
// satisfies it.
type Store interface {
	// Accounts and sessions.
	CreateUser(ctx context.Context, u *catalog.User) error
	UserByLogin(ctx context.Context, login string) (*catalog.User, error)
	UpdateUser(ctx context.Context, id int64, upd catalog.UserUpdate) (*catalog.User, error)
	CreateToken(ctx context.Context, t *catalog.Token) error
	UserByToken(ctx context.Context, hash string) (*catalog.User, *catalog.Token, error)
	RevokeToken(ctx context.Context, hash string) (bool, error)
	RevokeUserTokens(ctx context.Context, userID int64, exceptHash string) (int, error)
	FileByID(ctx context.Context, id int64) (*catalog.File, error)

	// Favorites.
	IsFavorite(ctx context.Context, userID, movieID int64) (bool, error)
	AddFavorite(ctx context.Context, userID, movieID int64) (bool, error)
	RemoveFavorite(ctx context.Context, userID, movieID int64) (bool, error)
	ListFavoriteMovies(ctx context.Context, userID int64, page catalog.Page) (catalog.List[catalog.MovieSummary], error)

	// Reading the catalog.
	SearchMovies(ctx context.Context, f catalog.MovieSearch) (catalog.List[catalog.MovieSummary], error)
	MovieDetail(ctx context.Context, id int64) (*catalog.MovieDetail, error)
	PersonDetail(ctx context.Context, id int64) (*catalog.PersonDetail, error)
	PersonByID(ctx context.Context, id int64) (*catalog.Person, error)
	PersonDirected(ctx context.Context, id int64, page catalog.Page) (catalog.List[catalog.MovieBrief], error)
	PersonPlayed(ctx context.Context, id int64, page catalog.Page) (catalog.List[catalog.PlayedRole], error)
	SearchPersons(ctx context.Context, q string, page catalog.Page) (catalog.List[catalog.Person], error)
	ListPersons(ctx context.Context, f catalog.PersonFilter) (catalog.List[catalog.Person], error)
	ListGenres(ctx context.Context, f catalog.GenreFilter) (catalog.List[catalog.Genre], error)
	ListCountries(ctx context.Context, f catalog.CountryFilter) (catalog.List[catalog.Country], error)

	// Editing the catalog.
	CreateMovieWithGenres(ctx context.Context, m *catalog.Movie, genreIDs []int64) error
	UpdateMovieWithGenres(ctx context.Context, id int64, upd catalog.MovieUpdate, genreIDs []int64) (*catalog.Movie, error)
	DeleteMovie(ctx context.Context, id int64) error
	CreateCharacterInCast(ctx context.Context, movieID int64, ch *catalog.Character, personID *int64) (*catalog.CastMember, error)
	UpdateCastMember(ctx context.Context, movieID, characterID int64, upd catalog.CastUpdate) (*catalog.CastMember, error)
	UpdateCharacter(ctx context.Context, id int64, upd catalog.CharacterUpdate) (*catalog.Character, error)
	RemoveCastMember(ctx context.Context, movieID, characterID int64) error
	CreatePerson(ctx context.Context, p *catalog.Person) error
	UpdatePerson(ctx context.Context, id int64, upd catalog.PersonUpdate) (*catalog.Person, error)
	DeletePerson(ctx context.Context, id int64) error
	UpdatePersonPhoto(ctx context.Context, personID, fileID int64, upd catalog.PersonPhotoUpdate) (*catalog.PersonPhoto, error)
}

// Media stores uploaded images: it checks the bytes are an image, writes
// them to storage and records the file, then links it. Package media's
// service satisfies it.
type Media interface {
	// uploaderID is the signed-in user who sent the image; the file
	// records it.
	SetMoviePoster(ctx context.Context, movieID, uploaderID int64, fileName string, r io.Reader) (*catalog.File, error)
	AddPersonPhoto(ctx context.Context, personID, uploaderID int64, fileName string, r io.Reader) (*catalog.PersonPhoto, error)
	SetAvatar(ctx context.Context, userID int64, fileName string, r io.Reader) (*catalog.File, error)
	// Limits returns the upload limits the service enforces; the pages
	// bound a form's body by them and name them in messages.
	Limits() media.Limits
}

var _ Media = (*media.Service)(nil)

// DefaultSessionTTL is how long a session lasts when Config.SessionTTL is
// zero: as long as an API token.
const DefaultSessionTTL = 30 * 24 * time.Hour

// Config holds what New needs to build the web pages.
type Config struct {
	// Store is the catalog's database.
	Store Store
	// Media stores uploaded images. Nil hides every upload field.
	Media Media
	// ThumbURL returns the URL of a stored file's thumbnail width pixels
	// wide. Nil means images are shown at f.URL only, without srcset.
	ThumbURL func(f *catalog.File, width int) string
	// Logger receives the errors behind 5xx pages. Nil discards them.
	Logger *slog.Logger
	// SessionTTL is how long a login lasts. Zero means DefaultSessionTTL.
	SessionTTL time.Duration
	// SecureCookies marks the session cookie Secure, for a site served
	// over HTTPS behind a proxy; a request that came over TLS gets a
	// Secure cookie anyway.
	SecureCookies bool
	// PasswordParams are the argon2id costs of new password hashes. The
	// zero value means auth.DefaultParams.
	PasswordParams auth.Params
	// AuthLimiters limit logins, registrations and profile changes; share
	// the API's so a client gains nothing by switching. Nil means limiters
	// of the pages' own with ratelimit.DefaultAuth.
	AuthLimiters *ratelimit.Auth
	// Now returns the current time. Nil means time.Now.
	Now func() time.Time
}

// server holds what the handlers share.
type server struct {
	store      Store
	media      Media
	thumbURL   func(f *catalog.File, width int) string
	log        *slog.Logger
	sessionTTL time.Duration
	secure     bool
	params     auth.Params
	limits     *ratelimit.Auth
	now        func() time.Time
	pages      map[string]*page
	// verifier checks logins, as the API's does.
	verifier *auth.Verifier
}

// New returns the handler of the web pages. It panics if an embedded
// template does not parse, which the tests catch.
func New(cfg Config) http.Handler {
	return newServer(cfg).handler()
}

func newServer(cfg Config) *server {
	s := &server{
		store:      cfg.Store,
		media:      cfg.Media,
		thumbURL:   cfg.ThumbURL,
		log:        cfg.Logger,
		sessionTTL: cfg.SessionTTL,
		secure:     cfg.SecureCookies,
		params:     cfg.PasswordParams,
		limits:     cfg.AuthLimiters,
		now:        cfg.Now,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.sessionTTL <= 0 {
		s.sessionTTL = DefaultSessionTTL
	}
	if s.params == (auth.Params{}) {
		s.params = auth.DefaultParams
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.limits == nil {
		s.limits = ratelimit.NewAuth(ratelimit.DefaultAuth, s.now)
	}
	s.verifier = auth.NewVerifier(cfg.Store, s.params, s.limits, s.log)
	s.pages = parsePages(s.funcs())
	return s
}
