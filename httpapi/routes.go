package httpapi

import (
	"net/http"
	"slices"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// An access says who may call a route.
type access int

const (
	// opsAccess routes serve probes and scrapers. They never read
	// credentials: a health check must not depend on the database or on
	// headers a proxy adds.
	opsAccess access = iota
	// publicAccess routes serve anyone; a bearer token sent to them must
	// still be valid.
	publicAccess
	// userAccess routes need a valid bearer token.
	userAccess
	// adminAccess routes need the bearer token of an admin.
	adminAccess
)

func (a access) String() string {
	switch a {
	case opsAccess:
		return "ops"
	case publicAccess:
		return "public"
	case userAccess:
		return "user"
	case adminAccess:
		return "admin"
	}
	return "unknown"
}

// A route is one entry of the route table: a ServeMux pattern, who may call
// it, and its handler.
type route struct {
	pattern string
	access  access
	handler http.Handler
}

// routeTable lists every route of the API. It is the one place access is
// decided: routes registers each handler behind the check its access needs,
// so no handler can forget it, and the authorization matrix test fails on
// a route it has no expectation for. Each area of the API lists its routes
// in its own file; this concatenates them.
func (s *server) routeTable() []route {
	return slices.Concat(
		s.opsRoutes(),
		s.accountRoutes(),
		s.movieRoutes(),
		s.catalogRoutes(),
		s.fileRoutes(),
		s.reportRoutes(),
		s.docRoutes(),
	)
}

// handle adapts a handler method for a route table.
func handle(f http.HandlerFunc) http.Handler { return f }

func (s *server) opsRoutes() []route {
	return []route{
		{"GET /healthz", opsAccess, handle(s.healthz)},
		{"GET /readyz", opsAccess, handle(s.readyz)},
		{"GET /metrics", opsAccess, promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{})},
	}
}

func (s *server) accountRoutes() []route {
	return []route{
		{"POST /api/v1/auth/register", publicAccess, handle(s.register)},
		{"POST /api/v1/auth/login", publicAccess, handle(s.login)},
		{"POST /api/v1/auth/logout", userAccess, handle(s.logout)},

		{"GET /api/v1/me", userAccess, handle(s.getMe)},
		{"PATCH /api/v1/me", userAccess, handle(s.patchMe)},
		{"PUT /api/v1/me/password", userAccess, handle(s.putPassword)},
		{"PUT /api/v1/me/avatar", userAccess, handle(s.putAvatar)},
		{"DELETE /api/v1/me/avatar", userAccess, handle(s.deleteAvatar)},

		{"GET /api/v1/me/favorites", userAccess, handle(s.listFavorites)},
		{"PUT /api/v1/me/favorites/{movie_id}", userAccess, handle(s.putFavorite)},
		{"DELETE /api/v1/me/favorites/{movie_id}", userAccess, handle(s.deleteFavorite)},
	}
}

// routes registers every route of the route table on mux, behind the
// access check of its entry.
func (s *server) routes(mux *http.ServeMux) {
	for _, rt := range s.routeTable() {
		mux.Handle(rt.pattern, s.guard(rt.access, rt.handler))
	}
}
