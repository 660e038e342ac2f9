package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/ratelimit"
)

// Nothing here logs a password, a token, its hash or the Authorization
// header; errors that reach the log name users by id only.

// wrongCredentials is the one answer to a failed login, whether the login
// names no account or the password is wrong, so that it tells nobody which
// accounts exist.
const wrongCredentials = "wrong login or password"

type authKey struct{}

// authInfo is who made a request: the user and the hash of the token they
// sent.
type authInfo struct {
	user      *catalog.User
	tokenHash string
}

// userOf returns the user who made r, or nil when no token came with it.
// Handlers of user and admin routes always get a user.
func userOf(r *http.Request) *catalog.User {
	if info, ok := r.Context().Value(authKey{}).(*authInfo); ok {
		return info.user
	}
	return nil
}

// tokenHashOf returns the hash of the token r came with, or "".
func tokenHashOf(r *http.Request) string {
	if info, ok := r.Context().Value(authKey{}).(*authInfo); ok {
		return info.tokenHash
	}
	return ""
}

// guard wraps next in the authentication and access check a route's access
// needs: 401 without a valid token where a user is needed, 403 for a user
// without the admin role on an admin route.
func (s *server) guard(a access, next http.Handler) http.Handler {
	if a == opsAccess {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		switch {
		case a >= userAccess && info == nil:
			unauthorized(w, r, "", "this request needs a bearer token (Authorization: Bearer TOKEN)")
			return
		case a == adminAccess && !info.user.IsAdmin():
			writeProblem(w, r, problem{Status: http.StatusForbidden, Detail: "only an admin may do this"})
			return
		}
		if info != nil {
			r = r.WithContext(context.WithValue(r.Context(), authKey{}, info))
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate reads the bearer token of r: nil without an Authorization
// header, the user and token hash with a live token. Any other header is
// answered with a 401 here, and ok is false, on public routes too: a client
// must learn its token is dead rather than quietly be served as anonymous.
func (s *server) authenticate(w http.ResponseWriter, r *http.Request) (info *authInfo, ok bool) {
	values := r.Header.Values("Authorization")
	if len(values) == 0 {
		return nil, true
	}
	scheme, token, found := strings.Cut(values[0], " ")
	if len(values) > 1 || !found || !strings.EqualFold(scheme, "Bearer") {
		unauthorized(w, r, "invalid_request", "the Authorization header must be: Bearer TOKEN")
		return nil, false
	}
	token = strings.TrimSpace(token)
	if !auth.WellFormedToken(token) {
		unauthorized(w, r, "invalid_token", "the bearer token is invalid, expired or revoked")
		return nil, false
	}
	hash := auth.HashToken(token)
	u, _, err := s.store.UserByToken(r.Context(), hash)
	if errors.Is(err, catalog.ErrNotFound) {
		unauthorized(w, r, "invalid_token", "the bearer token is invalid, expired or revoked")
		return nil, false
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("authenticate: %w", err))
		return nil, false
	}
	return &authInfo{user: u, tokenHash: hash}, true
}

// unauthorized answers 401 with the WWW-Authenticate challenge of RFC 6750;
// code is its error parameter, "" when the request carried no credentials.
func unauthorized(w http.ResponseWriter, r *http.Request, code, detail string) {
	challenge := `Bearer realm="moviedb"`
	if code != "" {
		challenge += `, error="` + code + `"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	writeProblem(w, r, problem{Status: http.StatusUnauthorized, Detail: detail})
}

type registerInput struct {
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	Password  string `json:"password"`
}

// register creates an account with the user role.
func (s *server) register(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.limits.RegisterByIP.Allow(ratelimit.ClientIP(r)); !ok {
		tooManyRequests(w, r, wait)
		return
	}
	var in registerInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	u := &catalog.User{Username: in.Username, FirstName: in.FirstName, LastName: in.LastName,
		Email: in.Email, Role: catalog.UserRole}
	v := &catalog.ValidationError{}
	v.Merge(u.Validate())
	v.Merge(catalog.ValidatePassword("password", in.Password))
	if err := v.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	hash, err := auth.HashPassword(in.Password, s.params)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("register: %w", err))
		return
	}
	u.PasswordHash = hash
	if err := s.store.CreateUser(r.Context(), u); err != nil {
		s.writeError(w, r, fmt.Errorf("register: %w", err))
		return
	}
	s.writeJSON(w, r, http.StatusCreated, s.newUserJSON(u))
}

type loginInput struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// loginJSON is the answer to a login. The token is shown this once.
type loginJSON struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      userJSON  `json:"user"`
}

// login checks a username or email and password and answers a new bearer
// token.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.limits.LoginByIP.Allow(ratelimit.ClientIP(r)); !ok {
		tooManyRequests(w, r, wait)
		return
	}
	var in loginInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	v := &catalog.ValidationError{}
	if in.Login == "" {
		v.Add("login", "is required")
	}
	if in.Password == "" {
		v.Add("password", "is required")
	}
	if err := v.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	// Verify takes the attempt from the account's budget (a 429 when
	// spent), whichever of its logins was sent.
	u, err := s.verifier.Verify(r.Context(), in.Login, in.Password)
	if errors.Is(err, auth.ErrMismatch) {
		unauthorized(w, r, "", wrongCredentials)
		return
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("login: %w", err))
		return
	}

	token, hash, err := auth.NewToken()
	if err != nil {
		s.writeError(w, r, fmt.Errorf("login: %w", err))
		return
	}
	t := &catalog.Token{Hash: hash, UserID: u.ID, ExpiresAt: s.now().UTC().Add(s.tokenTTL).Truncate(time.Second)}
	if err := s.store.CreateToken(r.Context(), t); err != nil {
		s.writeError(w, r, fmt.Errorf("login: %w", err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusOK, loginJSON{Token: token, ExpiresAt: t.ExpiresAt, User: s.newUserJSON(u)})
}

// logout revokes the token the request came with.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if _, err := s.store.RevokeToken(r.Context(), tokenHashOf(r)); err != nil {
		s.writeError(w, r, fmt.Errorf("logout: %w", err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
