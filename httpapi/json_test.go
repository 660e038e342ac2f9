package httpapi

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

// TestStrictJSONBodies checks that a body is read as written: a key given
// twice, at any depth, is a 400, and keys match field names exactly, so
// that {"TITLE": …} is an unknown field, not the title. Nothing refused is
// written.
func TestStrictJSONBodies(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		admin := api.mintToken(api.createUser("mother", catalog.AdminRole).ID)
		heat := api.movie("Heat")
		movie := fmt.Sprintf("/api/v1/movies/%d", heat)
		for _, tc := range []struct{ method, url, body, field string }{
			{"POST", "/api/v1/movies", `{"title": "A", "title": "B"}`, "title"},
			{"POST", "/api/v1/movies", `{"TITLE": "Shouted"}`, "TITLE"},
			{"POST", "/api/v1/movies", `{"title": "A", "Duration": 90}`, "Duration"},
			{"POST", "/api/v1/movies", `{"title": "A", "genre_ids": [], "genre_ids": [1]}`, "genre_ids"},
			{"PATCH", movie, `{"title": "A", "title": "B"}`, "title"},
			{"PATCH", movie, `{"Title": "B"}`, "Title"},
			{"PATCH", movie, `{"description": null, "description": "x"}`, "description"},
			{"POST", movie + "/cast", `{"character": {"name": "X", "role": "leading", "name": "Y"}}`, "name"},
			{"POST", movie + "/cast", `{"character": {"Name": "X", "role": "leading"}}`, "Name"},
			{"POST", "/api/v1/genres", `{"name": "Noir", "name": "Film noir"}`, "name"},
		} {
			w := api.do(tc.method, tc.url, admin, tc.body)
			if w.Code != http.StatusBadRequest {
				t.Errorf("%s %s %s = %d; want 400\n%s", tc.method, tc.url, tc.body, w.Code, w.Body)
				continue
			}
			if p := decode[problem](t, w); p.Errors[tc.field] == "" {
				t.Errorf("%s %s %s: errors %v; want one for %q", tc.method, tc.url, tc.body, p.Errors, tc.field)
			}
		}
		w := api.do("GET", movie, "", "")
		api.want(w, http.StatusOK, "GET "+movie)
		if got := decode[movieDetailJSON](t, w); got.Title != "Heat" || got.Description != nil || len(got.Cast) != 0 {
			t.Errorf("refused writes changed the movie: %+v", got)
		}
		list := decode[listJSON[movieSummaryJSON]](t, api.do("GET", "/api/v1/movies", "", ""))
		if list.Total != 1 {
			t.Errorf("refused creates made movies: %d in the catalog", list.Total)
		}
		// A value cut short inside an array or object is a 400 at once:
		// the key check once looped forever on such a body (found by
		// FuzzReadJSON).
		for _, body := range []string{`[A`, `{"genre_ids": [A`, `{"character": {"name": [x`} {
			w := api.do("POST", "/api/v1/movies", admin, body)
			api.want(w, http.StatusBadRequest, "POST /api/v1/movies "+body)
		}
		// Exact keys, each once, still make a movie.
		w = api.do("POST", "/api/v1/movies", admin, `{"title": "Ronin", "duration": 122}`)
		api.want(w, http.StatusCreated, "a well-formed create")
	})
}

// TestPathIDsCanonical checks that an id in a path is digits only: a sign
// names no resource.
func TestPathIDsCanonical(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		heat := api.movie("Heat")
		for _, path := range []string{"/api/v1/movies/+%d", "/api/v1/movies/%%2B%d", "/api/v1/movies/-%d", "/api/v1/movies/+%d/cast"} {
			url := fmt.Sprintf(path, heat)
			if w := api.do("GET", url, "", ""); w.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d; want 404", url, w.Code)
			}
		}
		api.want(api.do("GET", fmt.Sprintf("/api/v1/movies/%d", heat), "", ""), http.StatusOK, "GET by plain id")
	})
}
