package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

// wantAccess is who may call each route: the maps of every area, merged. A
// route the table has and these maps lack fails TestAuthorizationMatrix:
// adding a route takes a decision in its area's map.
var wantAccess = mergeAccess(baseAccess, movieAccess, catalogAccess, reportAccess, docAccess, fileAccess)

func mergeAccess(maps ...map[string]access) map[string]access {
	all := map[string]access{}
	for _, m := range maps {
		for pattern, a := range m {
			if _, dup := all[pattern]; dup {
				panic("route " + pattern + " is in two access maps")
			}
			all[pattern] = a
		}
	}
	return all
}

// baseAccess covers the operational and account routes.
var baseAccess = map[string]access{
	"GET /healthz": opsAccess,
	"GET /readyz":  opsAccess,
	"GET /metrics": opsAccess,

	"POST /api/v1/auth/register": publicAccess,
	"POST /api/v1/auth/login":    publicAccess,
	"POST /api/v1/auth/logout":   userAccess,

	"GET /api/v1/me":                         userAccess,
	"PATCH /api/v1/me":                       userAccess,
	"PUT /api/v1/me/password":                userAccess,
	"PUT /api/v1/me/avatar":                  userAccess,
	"DELETE /api/v1/me/avatar":               userAccess,
	"GET /api/v1/me/favorites":               userAccess,
	"PUT /api/v1/me/favorites/{movie_id}":    userAccess,
	"DELETE /api/v1/me/favorites/{movie_id}": userAccess,
}

// TestAuthorizationMatrix walks every route of the route table without a
// token, with a user's token and with an admin's, and checks that each is
// let in or kept out as its access says.
func TestAuthorizationMatrix(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		table := api.srv.routeTable()
		seen := map[string]bool{}
		for _, rt := range table {
			seen[rt.pattern] = true
			want, ok := wantAccess[rt.pattern]
			if !ok {
				t.Errorf("route %q has no expected access in wantAccess: decide who may call it", rt.pattern)
				continue
			}
			if rt.access != want {
				t.Errorf("route %q has access %v; wantAccess says %v", rt.pattern, rt.access, want)
			}
		}
		for pattern := range wantAccess {
			if !seen[pattern] {
				t.Errorf("wantAccess lists %q, which the route table lacks", pattern)
			}
		}

		user := api.createUser("ripley", catalog.UserRole)
		admin := api.createUser("mother", catalog.AdminRole)
		movieID := strconv.FormatInt(api.movie("Alien"), 10)
		for _, rt := range table {
			method, path, _ := strings.Cut(rt.pattern, " ")
			path = strings.ReplaceAll(path, "{movie_id}", movieID)
			body := ""
			if method == "POST" || method == "PUT" || method == "PATCH" {
				body = "{}"
			}
			for _, who := range []struct {
				name string
				id   int64 // 0: no token
			}{{"anonymous", 0}, {"user", user.ID}, {"admin", admin.ID}} {
				token := ""
				if who.id != 0 {
					// A fresh token each time: logout revokes the one it gets.
					token = api.mintToken(who.id)
				}
				w := api.do(method, path, token, body)
				var allowed bool
				switch wantAccess[rt.pattern] {
				case opsAccess, publicAccess:
					allowed = true
				case userAccess:
					allowed = who.id != 0
				case adminAccess:
					allowed = who.id == admin.ID
				}
				got := w.Code
				switch {
				case got >= 500:
					t.Errorf("%s %s as %s = %d; want no 5xx\nbody: %s", method, path, who.name, got, w.Body)
				case allowed && (got == http.StatusUnauthorized || got == http.StatusForbidden):
					t.Errorf("%s %s as %s = %d; want it let in\nbody: %s", method, path, who.name, got, w.Body)
				case !allowed && who.id == 0 && (got != http.StatusUnauthorized || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer")):
					t.Errorf("%s %s as %s = %d (WWW-Authenticate %q); want 401 with a Bearer challenge",
						method, path, who.name, got, w.Header().Get("WWW-Authenticate"))
				case !allowed && who.id != 0 && got != http.StatusForbidden:
					t.Errorf("%s %s as %s = %d; want 403", method, path, who.name, got)
				}
			}
		}
	})
}
