package web

import (
	"net/http"
	"slices"
)

// An access says who may open a page or post a form.
type access int

const (
	// publicAccess pages serve anyone, signed in or not.
	publicAccess access = iota
	// userAccess pages send a visitor who is not signed in to /login.
	userAccess
	// adminAccess pages answer 403 to a user who is not an admin.
	adminAccess
)

// A route is one entry of the route table: a ServeMux pattern, who may use
// it, and its handler.
type route struct {
	pattern string
	access  access
	handler http.HandlerFunc
}

// routeTable lists every page and form of the site; each area lists its
// routes in its own file. It is the one place access is decided.
func (s *server) routeTable() []route {
	return slices.Concat(
		[]route{
			{"GET /{$}", publicAccess, s.home},
			{"GET /about", publicAccess, s.about},
			{"GET /static/{name}", publicAccess, s.serveStatic},
		},
		s.movieRoutes(),
		s.personRoutes(),
		s.accountRoutes(),
		s.favoriteRoutes(),
		s.adminRoutes(),
	)
}

// handler returns the routes of s behind the middleware every page passes
// through: security headers, panic recovery, cross-origin protection of
// every state-changing request, and the session.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		mux.Handle(rt.pattern, s.guard(rt.access, rt.handler))
	}
	// Whatever matches no route gets the site's 404 page.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "")
	})

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusForbidden, "This form was sent from another site, so it was refused.")
	}))
	var h http.Handler = s.withSession(mux)
	h = cop.Handler(h)
	h = s.recoverPanics(h)
	h = securityHeaders(h)
	return withPattern(mux, h)
}

// withPattern sets r.Pattern to the route r will take before serving it,
// so that the access log and metrics of an enclosing handler see the page's
// route: the mux sets it only on the copy of r the session made.
func withPattern(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "/" {
			r.Pattern = pattern
		}
		next.ServeHTTP(w, r)
	})
}

// guard wraps next in the access check of a route.
func (s *server) guard(a access, next http.HandlerFunc) http.Handler {
	if a == publicAccess {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userOf(r)
		switch {
		case u == nil:
			s.toLogin(w, r)
			return
		case a == adminAccess && !u.IsAdmin():
			s.errorPage(w, r, http.StatusForbidden, "Only an admin may edit the catalog.")
			return
		}
		next.ServeHTTP(w, r)
	})
}
