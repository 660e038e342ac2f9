package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
	"unicode"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
)

// sessionCookie names the cookie that holds a session's token: a bearer
// token of the API's token store, so a session is revoked, expires and is
// listed exactly as an API login is. Nothing here logs it or its hash.
const sessionCookie = "moviedb_session"

type sessionKey struct{}

// session is who is signed in on a request, and the hash of their token.
type session struct {
	user      *catalog.User
	tokenHash string
}

// userOf returns the signed-in user of r, or nil.
func userOf(r *http.Request) *catalog.User {
	if s, ok := r.Context().Value(sessionKey{}).(*session); ok {
		return s.user
	}
	return nil
}

// tokenHashOf returns the hash of the session token of r, or "".
func tokenHashOf(r *http.Request) string {
	if s, ok := r.Context().Value(sessionKey{}).(*session); ok {
		return s.tokenHash
	}
	return ""
}

// withSession reads the session cookie of each request and puts its user
// in the request's context. A dead or malformed token is dropped, and the
// visitor is served as signed out.
func (s *server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || strings.HasPrefix(r.URL.Path, "/static/") {
			// Static assets need no session, and stay cacheable.
			next.ServeHTTP(w, r)
			return
		}
		if !auth.WellFormedToken(c.Value) {
			s.clearSessionCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		hash := auth.HashToken(c.Value)
		u, _, err := s.store.UserByToken(r.Context(), hash)
		switch {
		case errors.Is(err, catalog.ErrNotFound):
			s.clearSessionCookie(w, r)
			next.ServeHTTP(w, r)
			return
		case err != nil:
			s.fail(w, r, fmt.Errorf("session: %w", err))
			return
		}
		// Pages that show who is signed in must not be kept by shared caches.
		w.Header().Set("Cache-Control", "private, no-cache")
		ctx := context.WithValue(r.Context(), sessionKey{}, &session{user: u, tokenHash: hash})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// startSession creates a token for u and sets it as the session cookie.
func (s *server) startSession(w http.ResponseWriter, r *http.Request, u *catalog.User) error {
	token, hash, err := auth.NewToken()
	if err != nil {
		return fmt.Errorf("start session: %w", err)
	}
	t := &catalog.Token{Hash: hash, UserID: u.ID, ExpiresAt: s.now().UTC().Add(s.sessionTTL).Truncate(time.Second)}
	if err := s.store.CreateToken(r.Context(), t); err != nil {
		return fmt.Errorf("start session: %w", err)
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/",
		Expires: t.ExpiresAt, MaxAge: int(s.sessionTTL / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure || r.TLS != nil,
	})
	return nil
}

func (s *server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure || r.TLS != nil,
	})
}

// toLogin sends a visitor who must sign in to the login page, which brings
// them back where they were going: the page itself for a GET, the form's
// "next" field for a form.
func (s *server) toLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		next = localPath(r.PostFormValue("next"))
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// localPath returns p when it is a path on this site, and "/" otherwise, so
// that a "next" parameter cannot send a visitor to another site. Browsers
// drop tabs and newlines from a URL and read a backslash as a slash, so
// any control character or backslash is refused before p is parsed; p
// must not start with "//", which a browser reads as another host however
// many slashes follow, and what parses must have no scheme and no host.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.ContainsFunc(p, func(r rune) bool { return unicode.IsControl(r) || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return p
}

// contentSecurityPolicy allows scripts, styles and fonts from this site
// only, and no inline script or style; images may come from anywhere, since
// posters may be stored by reference on other sites or in object storage.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every page carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panicking handler into a logged 500 page.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.LogAttrs(r.Context(), slog.LevelError, "web: panic", slog.Any("panic", v),
				slog.String("path", r.URL.Path), slog.String("stack", string(debug.Stack())))
			s.errorPage(w, r, http.StatusInternalServerError, "")
		}()
		next.ServeHTTP(w, r)
	})
}
