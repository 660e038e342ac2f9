package httpapi

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

func TestFavorites(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		api.register("ripley", "ripley@nostromo.example", "password1")
		api.register("dallas", "dallas@nostromo.example", "password1")
		ripley := map[string]string{"Authorization": "Bearer " + api.login("ripley", "password1").Token}
		dallas := map[string]string{"Authorization": "Bearer " + api.login("dallas", "password1").Token}
		var ids []int64
		for _, title := range []string{"Alien", "Aliens", "Alien 3"} {
			id := api.movie(title)
			ids = append(ids, id)
			api.want(api.do("PUT", fmt.Sprintf("/api/v1/me/favorites/%d", id), "", ""), http.StatusUnauthorized, "PUT without token")
			w := scenario{method: "PUT", url: fmt.Sprintf("/api/v1/me/favorites/%d", id), header: ripley, wantStatus: http.StatusNoContent}.run(t, api.h)
			if w.Body.Len() != 0 {
				t.Errorf("PUT favorite: body %q; want none", w.Body)
			}
			api.clk.Advance(time.Second)
		}
		fav := func(id int64) string { return fmt.Sprintf("/api/v1/me/favorites/%d", id) }

		runScenarios(t, api.h, []scenario{
			{name: "first page", method: "GET", url: "/api/v1/me/favorites?per_page=2", header: ripley,
				wantStatus: http.StatusOK, wantHeader: map[string]string{"Content-Type": "application/json"},
				want: []string{fmt.Sprintf(`{"items":[{"id":%d,"title":"Alien 3"`, ids[2]), fmt.Sprintf(`{"id":%d,"title":"Aliens"`, ids[1]),
					`],"page":1,"per_page":2,"total":3,"total_relation":"eq"`}},
			{name: "second page", method: "GET", url: "/api/v1/me/favorites?page=2&per_page=2", header: ripley,
				wantStatus: http.StatusOK,
				want:       []string{fmt.Sprintf(`{"items":[{"id":%d,"title":"Alien"`, ids[0]), `],"page":2,"per_page":2,"total":3,"total_relation":"eq"`}},
			{name: "past the end", method: "GET", url: "/api/v1/me/favorites?page=9", header: ripley,
				wantStatus: http.StatusOK, want: []string{`{"items":[],"page":9,"per_page":20,"total":3,"total_relation":"eq"`}},
			{name: "another user's favorites", method: "GET", url: "/api/v1/me/favorites", header: dallas,
				wantStatus: http.StatusOK, want: []string{`{"items":[],"page":1,"per_page":20,"total":0,"total_relation":"eq"`}},
			{name: "page 0", method: "GET", url: "/api/v1/me/favorites?page=0", header: ripley,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"page":"must be a whole number from 1 to`}},
			{name: "per_page 101", method: "GET", url: "/api/v1/me/favorites?per_page=101", header: ripley,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"per_page":"must be a whole number from 1 to 100"}`}},
			{name: "per_page 100", method: "GET", url: "/api/v1/me/favorites?per_page=100", header: ripley,
				wantStatus: http.StatusOK, want: []string{`"per_page":100`}},
			{name: "page not a number", method: "GET", url: "/api/v1/me/favorites?page=two", header: ripley,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"page":`}},
			{name: "page empty", method: "GET", url: "/api/v1/me/favorites?page=", header: ripley,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"page":`}},
			{name: "page twice", method: "GET", url: "/api/v1/me/favorites?page=1&page=2", header: ripley,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"page":"must be given at most once"}`}},
			{name: "unknown parameter", method: "GET", url: "/api/v1/me/favorites?sort=title&page=x", header: ripley,
				wantStatus: http.StatusBadRequest,
				want:       []string{`"detail":"bad query parameters: page, sort; see errors"`, `"sort":"is not a known parameter"`}},
			{name: "malformed query", method: "GET", url: "/api/v1/me/favorites?page=%zz", header: ripley,
				wantStatus: http.StatusBadRequest, want: []string{"the query string is malformed"}},

			{name: "PUT unknown movie", method: "PUT", url: fav(999), header: ripley,
				wantStatus: http.StatusNotFound, want: []string{`"status":404`, `"detail":"no movie has id 999"`}},
			{name: "DELETE unknown movie", method: "DELETE", url: fav(999), header: ripley,
				wantStatus: http.StatusNotFound, want: []string{`"detail":"no movie has id 999"`}},
			{name: "PUT non-numeric id", method: "PUT", url: "/api/v1/me/favorites/alien", header: ripley, wantStatus: http.StatusNotFound},
			{name: "PUT id 0", method: "PUT", url: fav(0), header: ripley, wantStatus: http.StatusNotFound},
			{name: "PUT id beyond int64", method: "PUT", url: "/api/v1/me/favorites/99999999999999999999", header: ripley, wantStatus: http.StatusNotFound},
			{name: "DELETE a movie that is not a favorite", method: "DELETE", url: fav(ids[0]), header: dallas, wantStatus: http.StatusNoContent},
			{name: "favorites untouched by another user", method: "GET", url: "/api/v1/me/favorites", header: ripley,
				wantStatus: http.StatusOK, want: []string{`"total":3,"total_relation":"eq"`}},
		})
	})
}

func TestUserFavoritesReport(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		admin := api.createUser("mother", catalog.AdminRole)
		user := api.createUser("ripley", catalog.UserRole)
		alien, aliens := api.movie("Alien"), api.movie("Aliens")
		userToken := api.mintToken(user.ID)
		for _, id := range []int64{aliens, alien} {
			api.want(api.do("PUT", fmt.Sprintf("/api/v1/me/favorites/%d", id), userToken, ""), http.StatusNoContent, "PUT favorite")
			api.clk.Advance(time.Second)
		}
		adminAuth := map[string]string{"Authorization": "Bearer " + api.mintToken(admin.ID)}
		runScenarios(t, api.h, []scenario{
			{name: "report", method: "GET", url: "/api/v1/reports/user-favorites", header: adminAuth,
				wantStatus: http.StatusOK, want: []string{fmt.Sprintf(
					`{"items":[{"id":%d,"username":"mother","favorite_movie_ids":[]},{"id":%d,"username":"ripley","favorite_movie_ids":[%d,%d]}],"page":1,"per_page":20,"total":2,"total_relation":"eq"`,
					admin.ID, user.ID, aliens, alien)}},
			{name: "second page", method: "GET", url: "/api/v1/reports/user-favorites?page=2&per_page=1", header: adminAuth,
				wantStatus: http.StatusOK, want: []string{fmt.Sprintf(`{"items":[{"id":%d,"username":"ripley"`, user.ID), `"page":2,"per_page":1,"total":2,"total_relation":"eq"`}},
			{name: "bad parameter", method: "GET", url: "/api/v1/reports/user-favorites?per_page=0", header: adminAuth,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"per_page":`}},
			{name: "user", method: "GET", url: "/api/v1/reports/user-favorites",
				header:     map[string]string{"Authorization": "Bearer " + userToken},
				wantStatus: http.StatusForbidden, want: []string{`"status":403`}, unwanted: []string{"favorite_movie_ids"}},
			{name: "anonymous", method: "GET", url: "/api/v1/reports/user-favorites",
				wantStatus: http.StatusUnauthorized, wantHeader: map[string]string{"WWW-Authenticate": "Bearer"}},
		})
	})
}
