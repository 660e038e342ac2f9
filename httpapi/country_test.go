package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// TestNamedResources runs the same round trip through countries and
// genres, which share their shape and rules.
func TestNamedResources(t *testing.T) {
	for _, base := range []string{"/api/v1/countries", "/api/v1/genres"} {
		t.Run(strings.TrimPrefix(base, "/api/v1/"), func(t *testing.T) {
			runAPI(t, nil, func(t *testing.T, api *testAPI) {
				k := newCatalogKit(t, api)
				at := func(id int64) string { return fmt.Sprintf("%s/%d", base, id) }
				named := func(id int64, name, updated string) string {
					return fmt.Sprintf(`{"id":%d,"name":%q,"created_at":%q,"updated_at":%q}`, id, name, catalogStamp, updated)
				}

				w := k.call("POST", base, `{"name":"France"}`, http.StatusCreated)
				france := decode[struct{ ID int64 }](t, w).ID
				k.wantJSON("POST", w.Body.Bytes(), named(france, "France", catalogStamp))
				if got := w.Header().Get("Location"); got != at(france) {
					t.Errorf("POST: Location = %q; want %q", got, at(france))
				}
				japan := k.create(base, `{"name":"Japan"}`)
				brazil := k.create(base, `{"name":"brazil"}`)

				k.wantJSON("GET one", k.call("GET", at(france), "", http.StatusOK).Body.Bytes(), named(france, "France", catalogStamp))
				// Anyone reads: no token.
				w = api.do("GET", base+"?per_page=2", "", "")
				api.want(w, http.StatusOK, "GET list anonymously")
				k.wantJSON("GET list", w.Body.Bytes(), fmt.Sprintf(`{"items":[%s,%s],"page":1,"per_page":2,"total":3}`,
					named(brazil, "brazil", catalogStamp), named(france, "France", catalogStamp)))
				k.wantJSON("GET page 2", k.call("GET", base+"?per_page=2&page=2", "", http.StatusOK).Body.Bytes(),
					fmt.Sprintf(`{"items":[%s],"page":2,"per_page":2,"total":3}`, named(japan, "Japan", catalogStamp)))
				k.wantJSON("GET past the end", k.call("GET", base+"?page=7", "", http.StatusOK).Body.Bytes(),
					`{"items":[],"page":7,"per_page":20,"total":3}`)

				api.clk.Advance(time.Minute)
				later := testStart.Add(time.Minute).Format(time.RFC3339)
				k.wantJSON("PATCH rename", k.call("PATCH", at(brazil), `{"name":"Brazil"}`, http.StatusOK).Body.Bytes(),
					named(brazil, "Brazil", later))
				k.wantJSON("PATCH nothing", k.call("PATCH", at(brazil), `{}`, http.StatusOK).Body.Bytes(),
					named(brazil, "Brazil", later))

				runScenarios(t, api.h, []scenario{
					{name: "duplicate in another case", method: "POST", url: base, body: `{"name":"FRANCE"}`,
						header: k.auth(), wantStatus: http.StatusConflict, want: []string{`"status":409`, `"errors":{"name":`}},
					{name: "rename onto another in another case", method: "PATCH", url: at(japan), body: `{"name":"france"}`,
						header: k.auth(), wantStatus: http.StatusConflict, want: []string{`"errors":{"name":`}},
					{name: "null name", method: "PATCH", url: at(japan), body: `{"name":null}`,
						header: k.auth(), wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"name":"cannot be null"}`}},
					{name: "blank name", method: "POST", url: base, body: `{"name":"  \t "}`,
						header: k.auth(), wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"name":"is required"}`}},
					{name: "no name", method: "POST", url: base, body: `{}`,
						header: k.auth(), wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"name":"is required"}`}},
					{name: "long name", method: "PATCH", url: at(japan), body: `{"name":"` + strings.Repeat("é", catalog.MaxNameLen+1) + `"}`,
						header: k.auth(), wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"name":"must be at most 100 characters"}`}},
					{name: "longest name", method: "PATCH", url: at(japan), body: `{"name":"` + strings.Repeat("é", catalog.MaxNameLen) + `"}`,
						header: k.auth(), wantStatus: http.StatusOK},
					{name: "name back", method: "PATCH", url: at(japan), body: `{"name":"Japan"}`, header: k.auth(), wantStatus: http.StatusOK},
					{name: "user cannot write", method: "POST", url: base, body: `{"name":"Peru"}`,
						header:     map[string]string{"Authorization": "Bearer " + api.mintToken(api.createUser("ripley", catalog.UserRole).ID)},
						wantStatus: http.StatusForbidden},
					{name: "GET unknown", method: "GET", url: at(999), wantStatus: http.StatusNotFound, want: []string{`"status":404`}},
					{name: "PATCH unknown", method: "PATCH", url: at(999), body: `{"name":"Peru"}`, header: k.auth(), wantStatus: http.StatusNotFound},
					{name: "PATCH unknown, empty body", method: "PATCH", url: at(999), body: `{}`, header: k.auth(), wantStatus: http.StatusNotFound},
					{name: "DELETE unknown", method: "DELETE", url: at(999), header: k.auth(), wantStatus: http.StatusNotFound},
					{name: "GET id 0", method: "GET", url: at(0), wantStatus: http.StatusNotFound},
					{name: "DELETE", method: "DELETE", url: at(brazil), header: k.auth(), wantStatus: http.StatusNoContent},
					{name: "GET deleted", method: "GET", url: at(brazil), wantStatus: http.StatusNotFound},
					{name: "DELETE again", method: "DELETE", url: at(brazil), header: k.auth(), wantStatus: http.StatusNotFound},
					{name: "list after", method: "GET", url: base, wantStatus: http.StatusOK,
						want: []string{`"total":2,"total_relation":"eq"`, `"name":"France"`, `"name":"Japan"`}, unwanted: []string{"Brazil"}},

					// Names are kept trimmed, each run of spaces one space:
					// uniqueness holds on that form.
					{name: "duplicate with spaces around", method: "POST", url: base, body: `{"name":" France "}`,
						header: k.auth(), wantStatus: http.StatusConflict, want: []string{`"status":409`, `"errors":{"name":`}},
					{name: "rename onto another with a tab", method: "PATCH", url: at(japan), body: `{"name":"\tfrance"}`,
						header: k.auth(), wantStatus: http.StatusConflict, want: []string{`"errors":{"name":`}},
					{name: "inner spaces folded", method: "POST", url: base, body: `{"name":"  Sci \t Fi  "}`,
						header: k.auth(), wantStatus: http.StatusCreated, want: []string{`"name":"Sci Fi"`}},
					{name: "duplicate of the folded name", method: "POST", url: base, body: `{"name":"sci\u00a0 fi"}`,
						header: k.auth(), wantStatus: http.StatusConflict, want: []string{`"errors":{"name":`}},
					{name: "rename trims", method: "PATCH", url: at(japan), body: `{"name":" Nippon  Koku "}`,
						header: k.auth(), wantStatus: http.StatusOK, want: []string{`"name":"Nippon Koku"`}},
					{name: "line break still refused", method: "POST", url: base, body: `{"name":"Sci\nFi"}`,
						header: k.auth(), wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"name":"must not contain control characters"}`}},
					{name: "list of normalised names", method: "GET", url: base, wantStatus: http.StatusOK,
						want: []string{`"total":3,"total_relation":"eq"`, `"name":"France"`, `"name":"Nippon Koku"`, `"name":"Sci Fi"`}},
				})
			})
		})
	}
}

// TestCountryInUse checks that a country movies or persons refer to cannot
// be deleted, and can once they no longer do.
func TestCountryInUse(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		ctx := context.Background()
		france := k.create("/api/v1/countries", `{"name":"France"}`)
		italy := k.create("/api/v1/countries", `{"name":"Italy"}`)
		m := &catalog.Movie{Title: "Amélie", CountryID: &france}
		if err := api.store.CreateMovie(ctx, m); err != nil {
			t.Fatal(err)
		}
		person := k.create("/api/v1/persons", fmt.Sprintf(`{"first_name":"Sophia","last_name":"Loren","country_id":%d}`, italy))

		runScenarios(t, api.h, []scenario{
			{name: "used by a movie", method: "DELETE", url: fmt.Sprintf("/api/v1/countries/%d", france), header: k.auth(),
				wantStatus: http.StatusConflict, want: []string{`"detail":"the country is still used by movies"`}},
			{name: "used by a person", method: "DELETE", url: fmt.Sprintf("/api/v1/countries/%d", italy), header: k.auth(),
				wantStatus: http.StatusConflict, want: []string{`"detail":"the country is still used by persons"`}},
			{name: "still there", method: "GET", url: "/api/v1/countries", wantStatus: http.StatusOK, want: []string{`"total":2,"total_relation":"eq"`}},
			{name: "person leaves the country", method: "PATCH", url: fmt.Sprintf("/api/v1/persons/%d", person),
				body: `{"country_id":null}`, header: k.auth(), wantStatus: http.StatusOK, want: []string{`"country_id":null`, `"country":null`}},
			{name: "free now", method: "DELETE", url: fmt.Sprintf("/api/v1/countries/%d", italy), header: k.auth(),
				wantStatus: http.StatusNoContent},
		})
	})
}

// TestGenreInUse checks that a genre a movie has is not deleted (409, and
// nothing changes) unless the client asks with force=true, which takes it
// from its movies; that force takes no other value; and that a genre no
// movie has goes without it.
func TestGenreInUse(t *testing.T) {
	t.Parallel()
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		movie := fmt.Sprintf("/api/v1/movies/%d", api.movie("Heat"))
		drama, crime, western := k.genre("Drama"), k.genre("Crime"), k.genre("Western")
		k.call("PUT", fmt.Sprintf("%s/genres/%d", movie, drama), "", http.StatusNoContent)
		k.call("PUT", fmt.Sprintf("%s/genres/%d", movie, crime), "", http.StatusNoContent)
		genre := func(id int64) string { return fmt.Sprintf("/api/v1/genres/%d", id) }
		both := fmt.Sprintf(`"genres":[{"id":%d,"name":"Crime"},{"id":%d,"name":"Drama"}]`, crime, drama)

		runScenarios(t, api.h, []scenario{
			{name: "in use", method: "DELETE", url: genre(drama), header: k.admin(), wantStatus: http.StatusConflict,
				wantHeader: map[string]string{"Content-Type": "application/problem+json"},
				want:       []string{`"status":409`, `"detail":"the genre is still used by movies"`, `"errors":{"genre_id":"the genre is still used by movies"}`}},
			{name: "force bogus", method: "DELETE", url: genre(drama) + "?force=bogus", header: k.admin(), wantStatus: http.StatusBadRequest,
				want: []string{`"status":400`, `"errors":{"force":`}},
			{name: "force false", method: "DELETE", url: genre(drama) + "?force=false", header: k.admin(), wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"force":`}},
			{name: "force empty", method: "DELETE", url: genre(drama) + "?force=", header: k.admin(), wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"force":`}},
			{name: "force twice", method: "DELETE", url: genre(drama) + "?force=true&force=true", header: k.admin(), wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"force":`}},
			{name: "force misspelt", method: "DELETE", url: genre(drama) + "?forse=true", header: k.admin(), wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"forse":`}},
			{name: "force without a token", method: "DELETE", url: genre(drama) + "?force=true", wantStatus: http.StatusUnauthorized},
			{name: "genre still there", method: "GET", url: genre(drama), wantStatus: http.StatusOK, want: []string{`"name":"Drama"`}},
			{name: "movie still has it", method: "GET", url: movie, wantStatus: http.StatusOK, want: []string{both}},
			{name: "forced", method: "DELETE", url: genre(drama) + "?force=true", header: k.admin(), wantStatus: http.StatusNoContent},
			{name: "genre gone", method: "GET", url: genre(drama), wantStatus: http.StatusNotFound},
			{name: "movie lost it", method: "GET", url: movie, wantStatus: http.StatusOK,
				want: []string{fmt.Sprintf(`"genres":[{"id":%d,"name":"Crime"}]`, crime)}, unwanted: []string{"Drama"}},
			{name: "forced again", method: "DELETE", url: genre(drama) + "?force=true", header: k.admin(), wantStatus: http.StatusNotFound},
			{name: "unused", method: "DELETE", url: genre(western), header: k.admin(), wantStatus: http.StatusNoContent},
			{name: "unused gone", method: "GET", url: genre(western), wantStatus: http.StatusNotFound},
		})
		if links := k.call("GET", "/api/v1/genres", "", http.StatusOK).Body.String(); !strings.Contains(links, `"total":1,`) {
			t.Errorf("genres after the deletes: %s; want Crime alone", links)
		}
	})
}
