package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// catalogAccess is who may call each route of catalogRoutes: anyone reads
// the catalog, admins write it.
var catalogAccess = map[string]access{
	"GET /api/v1/countries":             publicAccess,
	"POST /api/v1/countries":            adminAccess,
	"GET /api/v1/countries/{id}":        publicAccess,
	"PATCH /api/v1/countries/{id}":      adminAccess,
	"DELETE /api/v1/countries/{id}":     adminAccess,
	"GET /api/v1/genres":                publicAccess,
	"POST /api/v1/genres":               adminAccess,
	"GET /api/v1/genres/{id}":           publicAccess,
	"PATCH /api/v1/genres/{id}":         adminAccess,
	"DELETE /api/v1/genres/{id}":        adminAccess,
	"GET /api/v1/characters":            publicAccess,
	"POST /api/v1/characters":           adminAccess,
	"GET /api/v1/characters/{id}":       publicAccess,
	"PATCH /api/v1/characters/{id}":     adminAccess,
	"DELETE /api/v1/characters/{id}":    adminAccess,
	"GET /api/v1/persons":               publicAccess,
	"POST /api/v1/persons":              adminAccess,
	"GET /api/v1/persons/{id}":          publicAccess,
	"PATCH /api/v1/persons/{id}":        adminAccess,
	"DELETE /api/v1/persons/{id}":       adminAccess,
	"GET /api/v1/persons/{id}/directed": publicAccess,
	"GET /api/v1/persons/{id}/played":   publicAccess,
}

// A catalogKit sends requests to a test API as an admin and checks their
// answers, for the tests of the catalog and report routes.
type catalogKit struct {
	t     *testing.T
	api   *testAPI
	token string
}

func newCatalogKit(t *testing.T, api *testAPI) *catalogKit {
	t.Helper()
	admin := api.createUser("catalog-admin", catalog.AdminRole)
	return &catalogKit{t: t, api: api, token: api.mintToken(admin.ID)}
}

// call sends a request as the admin and fails the test unless the answer
// has status.
func (k *catalogKit) call(method, url, body string, status int) *httptest.ResponseRecorder {
	k.t.Helper()
	w := k.api.do(method, url, k.token, body)
	if w.Code != status {
		k.t.Fatalf("%s %s %s: status = %d; want %d\nbody: %s", method, url, body, w.Code, status, w.Body)
	}
	return w
}

// create POSTs body to url as the admin and returns the new id.
func (k *catalogKit) create(url, body string) int64 {
	k.t.Helper()
	w := k.call("POST", url, body, http.StatusCreated)
	return decode[struct{ ID int64 }](k.t, w).ID
}

// wantJSON fails the test unless the JSON of got and want are equal, key
// order and spacing aside.
func (k *catalogKit) wantJSON(what string, got []byte, want string) {
	k.t.Helper()
	t := k.t
	var g, x any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: body is not JSON: %v\n%s", what, err, got)
	}
	if err := json.Unmarshal([]byte(want), &x); err != nil {
		t.Fatalf("%s: expected JSON does not parse: %v\n%s", what, err, want)
	}
	k.wantListFields(what, g, x)
	if !reflect.DeepEqual(g, x) {
		gb, _ := json.Marshal(g)
		xb, _ := json.Marshal(x)
		t.Errorf("%s:\n got %s\nwant %s", what, gb, xb)
	}
}

// wantListFields checks the fields of a list body (got) that want, a list
// written before cursors, leaves out, and then removes them from got:
// total_relation is "eq", and next_cursor is null on the last page.
func (k *catalogKit) wantListFields(what string, got, want any) {
	k.t.Helper()
	g, gok := got.(map[string]any)
	x, xok := want.(map[string]any)
	if !gok || !xok || x["items"] == nil || x["page"] == nil {
		return
	}
	if _, ok := x["total_relation"]; !ok {
		if g["total_relation"] != "eq" {
			k.t.Errorf("%s: total_relation %v; want eq", what, g["total_relation"])
		}
		delete(g, "total_relation")
	}
	if _, ok := x["next_cursor"]; !ok {
		// Lists whose store does not make cursors yet answer null on
		// every page; none may offer a cursor past its last page.
		page, perPage, total := x["page"].(float64), x["per_page"].(float64), x["total"].(float64)
		if next := g["next_cursor"]; next != nil && (page*perPage >= total || next == "") {
			k.t.Errorf("%s: next_cursor %v on page %v of %v by %v", what, next, page, total, perPage)
		}
		delete(g, "next_cursor")
	}
}

// catalogStamp is how the test clock's start appears in JSON.
var catalogStamp = testStart.Format(time.RFC3339)

// auth returns the admin's Authorization header, for scenarios.
func (k *catalogKit) auth() map[string]string {
	return map[string]string{"Authorization": "Bearer " + k.token}
}

// TestCatalogHostileInput feeds every catalog and report route malformed
// and hostile input. Each gets its documented 4xx, never a 5xx, and the
// refused writes change nothing; input that is only odd text is stored
// and read back as sent.
func TestCatalogHostileInput(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		country := k.create("/api/v1/countries", `{"name":"France"}`)
		genre := k.create("/api/v1/genres", `{"name":"Drama"}`)
		character := k.create("/api/v1/characters", `{"name":"Ripley","role":"leading"}`)
		person := k.create("/api/v1/persons", fmt.Sprintf(`{"first_name":"Ridley","last_name":"Scott","country_id":%d}`, country))

		snapshotURLs := []string{
			"/api/v1/countries?per_page=100", "/api/v1/genres?per_page=100",
			"/api/v1/characters?per_page=100", "/api/v1/persons?per_page=100",
			fmt.Sprintf("/api/v1/persons/%d", person),
		}
		snapshot := func() string {
			var b strings.Builder
			for _, url := range snapshotURLs {
				b.WriteString(k.call("GET", url, "", http.StatusOK).Body.String())
			}
			return b.String()
		}
		before := snapshot()

		type resource struct {
			base  string
			id    int64
			field string // a required text field
			valid string // a valid body for POST, without the closing brace
		}
		resources := []resource{
			{"/api/v1/countries", country, "name", `{"name":"Peru"`},
			{"/api/v1/genres", genre, "name", `{"name":"Western"`},
			{"/api/v1/characters", character, "name", `{"name":"Ash","role":"supporting"`},
			{"/api/v1/persons", person, "first_name", `{"first_name":"Ash","last_name":"Holm"`},
		}
		huge := strings.Repeat("x", 10_000)
		var cases []scenario
		add := func(name, method, url, body string, status int, header ...map[string]string) {
			h := k.auth()
			for _, extra := range header {
				for key, v := range extra {
					h[key] = v
				}
			}
			cases = append(cases, scenario{name: name, method: method, url: url, body: body, header: h, wantStatus: status})
		}
		for _, res := range resources {
			item := fmt.Sprintf("%s/%d", res.base, res.id)
			f := res.field
			for _, w := range []struct{ method, url string }{{"POST", res.base}, {"PATCH", item}} {
				at := w.method + " " + w.url + ": "
				bad := func(name, body string, status int, header ...map[string]string) {
					add(at+name, w.method, w.url, body, status, header...)
				}
				bad("number for text", `{"`+f+`":123}`, http.StatusBadRequest)
				bad("huge number for text", `{"`+f+`":1e400}`, http.StatusBadRequest)
				bad("array for text", `{"`+f+`":["x"]}`, http.StatusBadRequest)
				bad("operator object", `{"`+f+`":{"$ne":null}}`, http.StatusBadRequest)
				bad("boolean for text", `{"`+f+`":true}`, http.StatusBadRequest)
				bad("array body", `[]`, http.StatusBadRequest)
				bad("string body", `"x"`, http.StatusBadRequest)
				bad("number body", `9223372036854775808`, http.StatusBadRequest)
				bad("truncated", `{"`+f+`":"x"`, http.StatusBadRequest)
				bad("two values", `{"`+f+`":"x"}{"`+f+`":"y"}`, http.StatusBadRequest)
				bad("trailing garbage", `{"`+f+`":"x"} x`, http.StatusBadRequest)
				bad("unknown field", `{"`+f+`":"x","id":1}`, http.StatusBadRequest)
				bad("injected field", `{"`+f+`":"x","createdAt":"2000-01-01T00:00:00Z"}`, http.StatusBadRequest)
				bad("invalid UTF-8", "{\""+f+"\":\"a\xffb\"}", http.StatusBadRequest)
				bad("invalid UTF-8 outside strings", "{\""+f+"\":\"ab\"}\xff", http.StatusBadRequest)
				bad("NUL byte", `{"`+f+`":"a\u0000b"}`, http.StatusUnprocessableEntity)
				bad("raw control character", "{\""+f+"\":\"a\x01b\"}", http.StatusBadRequest) // not valid JSON
				bad("escaped line break", `{"`+f+`":"a\nb"}`, http.StatusUnprocessableEntity)
				bad("10k characters", `{"`+f+`":"`+huge+`"}`, http.StatusUnprocessableEntity)
				bad("blank", `{"`+f+`":"   "}`, http.StatusUnprocessableEntity)
				bad("null", `{"`+f+`":null}`, http.StatusUnprocessableEntity)
				bad("over a megabyte", `{"`+f+`":"`+strings.Repeat("x", 1<<20)+`"}`, http.StatusRequestEntityTooLarge)
				bad("empty body", ``, http.StatusBadRequest, map[string]string{"Content-Type": "application/json"})
				bad("text/plain", `{"`+f+`":"x"}`, http.StatusUnsupportedMediaType, map[string]string{"Content-Type": "text/plain"})
				bad("form", f+`=x`, http.StatusUnsupportedMediaType, map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
				bad("latin-1 JSON", `{"`+f+`":"x"}`, http.StatusUnsupportedMediaType, map[string]string{"Content-Type": "application/json; charset=latin1"})
			}
			add("POST "+res.base+": null body", "POST", res.base, `null`, http.StatusUnprocessableEntity)
			add("POST "+res.base+": empty object", "POST", res.base, `{}`, http.StatusUnprocessableEntity)
			for _, id := range []string{"0", "-1", "9223372036854775808", "99999999999999999999999", "1e3", "0x10", "1.0", "%00", "abc", "%27%20OR%201=1"} {
				for _, method := range []string{"GET", "PATCH", "DELETE"} {
					body := ""
					if method == "PATCH" {
						body = res.valid + "}"
					}
					add(method+" "+res.base+"/"+id, method, res.base+"/"+id, body, http.StatusNotFound)
				}
			}
			add("GET "+res.base+"/9223372036854775807", "GET", res.base+"/9223372036854775807", "", http.StatusNotFound)
			add("DELETE "+res.base+"/9223372036854775807", "DELETE", res.base+"/9223372036854775807", "", http.StatusNotFound)
			for _, q := range []string{"page=0", "page=-1", "page=1e400", "page=9223372036854775808", "page=1.5", "page=", "page=%00",
				"per_page=0", "per_page=-5", "per_page=100000", "per_page=101", "per_page=abc", "page=1&page=2",
				"sort=name", "foo=bar", "page=1;DROP%20TABLE%20persons", "%zz", "years=5"} {
				add("GET "+res.base+"?"+q, "GET", res.base+"?"+q, "", http.StatusBadRequest)
			}
		}
		for _, body := range []string{
			`{"first_name":"a","country_id":9223372036854775808}`,
			`{"first_name":"a","country_id":-9223372036854775809}`,
			`{"first_name":"a","country_id":1e400}`,
			`{"first_name":"a","country_id":1e3}`,
			`{"first_name":"a","country_id":"1"}`,
			`{"first_name":"a","country_id":[1]}`,
			`{"first_name":"a","date_of_birth":19491008}`,
			`{"first_name":"a","gender":1}`,
			`{"first_name":"a","biography":{}}`,
		} {
			add("POST persons "+body, "POST", "/api/v1/persons", body, http.StatusBadRequest)
			add("PATCH persons "+body, "PATCH", fmt.Sprintf("/api/v1/persons/%d", person), strings.Replace(body, `"first_name":"a",`, "", 1), http.StatusBadRequest)
		}
		for _, body := range []string{
			`{"first_name":"a","country_id":-1}`,
			`{"first_name":"a","country_id":0}`,
			`{"first_name":"a","country_id":9223372036854775807}`,
			`{"first_name":"a","date_of_birth":"0000-01-01"}`,
			`{"first_name":"a","date_of_birth":"99999-01-01"}`,
			`{"first_name":"a","date_of_birth":"-001-01-01"}`,
			`{"first_name":"a","date_of_birth":"1949-10-08'; DROP TABLE persons; --"}`,
			`{"first_name":"a","date_of_birth":""}`,
			`{"first_name":"a","gender":"female'; DROP TABLE persons; --"}`,
			`{"first_name":"a","gender":"FEMALE"}`,
			`{"first_name":"a","biography":"` + strings.Repeat("b", catalog.MaxTextLen+1) + `"}`,
		} {
			add("POST persons "+body[:min(len(body), 80)], "POST", "/api/v1/persons", body, http.StatusUnprocessableEntity)
			add("PATCH persons "+body[:min(len(body), 80)], "PATCH", fmt.Sprintf("/api/v1/persons/%d", person),
				strings.Replace(body, `"first_name":"a",`, "", 1), http.StatusUnprocessableEntity)
		}
		for _, body := range []string{
			`{"name":"Ash","role":"leading'; DROP TABLE characters; --"}`,
			`{"name":"Ash","role":""}`,
			`{"name":"Ash","role":"Leading"}`,
			`{"name":"Ash","role":"leading","description":"a\u0000"}`,
		} {
			add("POST characters "+body, "POST", "/api/v1/characters", body, http.StatusUnprocessableEntity)
		}
		for _, q := range []string{"%FF", "a%FFb", "%C3", "q=" + strings.Repeat("x", 201), strings.Repeat("a+", 17)} {
			if !strings.HasPrefix(q, "q=") {
				q = "q=" + q
			}
			add("GET persons?"+q[:min(len(q), 40)], "GET", "/api/v1/persons?"+q, "", http.StatusBadRequest)
		}
		for _, years := range []string{"0", "-1", "201", "1e9", "1000000000", "9223372036854775808", "abc", "", "5.5", "%00", "5%20"} {
			add("recent-movies years="+years, "GET", "/api/v1/reports/recent-movies?years="+years, "", http.StatusBadRequest)
		}
		for _, report := range []string{"actor-budgets", "recent-movies", "director-budgets"} {
			for _, q := range []string{"page=0", "page=-1", "per_page=100000", "per_page=0", "page=abc", "sort=total", "q=x"} {
				add(report+"?"+q, "GET", "/api/v1/reports/"+report+"?"+q, "", http.StatusBadRequest)
			}
		}

		for _, sc := range cases {
			t.Run(sc.name[:min(len(sc.name), 120)], func(t *testing.T) {
				w := sc.run(t, api.h)
				if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type = %q; want application/problem+json", ct)
				}
			})
		}
		if after := snapshot(); after != before {
			t.Errorf("refused requests changed the catalog:\nbefore %s\nafter  %s", before, after)
		}
		if logs := api.logs.String(); strings.Contains(logs, "internal error") {
			t.Errorf("the log has internal errors:\n%s", logs)
		}

		// Text that merely looks hostile is text: stored and read back as sent.
		for _, text := range []string{
			"'; DROP TABLE persons; --",
			`Robert'); DROP TABLE genres;--`,
			`" OR 1=1 --`,
			`<script>alert(1)</script>`,
			`{"$gt":""}`,
			`%00 \u0000 %s %d`,
			"Zoë ✓ 映画 🎬",
			`NEAR(a b) "x"* -y :*`,
		} {
			for _, res := range resources[:2] {
				w := k.call("POST", res.base, fmt.Sprintf(`{"name":%s}`, jsonString(text)), http.StatusCreated)
				created := decode[struct {
					ID   int64
					Name string
				}](t, w)
				got := decode[struct{ Name string }](t, k.call("GET", fmt.Sprintf("%s/%d", res.base, created.ID), "", http.StatusOK))
				if created.Name != text || got.Name != text {
					t.Errorf("%s name %q: created %q, read back %q", res.base, text, created.Name, got.Name)
				}
			}
			w := k.call("POST", "/api/v1/persons", fmt.Sprintf(`{"first_name":%s,"biography":%s}`, jsonString(text), jsonString(text)), http.StatusCreated)
			p := decode[struct {
				ID        int64
				FirstName string `json:"first_name"`
				Biography string
			}](t, w)
			if p.FirstName != text || p.Biography != text {
				t.Errorf("person %q: created first name %q, biography %q", text, p.FirstName, p.Biography)
			}
			found := decode[struct{ Total int }](t, k.call("GET", "/api/v1/persons?q="+url.QueryEscape(text), "", http.StatusOK))
			if found.Total > 2 {
				t.Errorf("GET /persons?q=%q found %d persons", text, found.Total)
			}
		}
		for _, q := range []string{"%00", "a%00b", "%22", "*", "a:*|b", "-a", "%27", "%5C", "NEAR(a%20b)", "%E2%80%8B", "AND", "OR+NOT", "(", "^"} {
			k.call("GET", "/api/v1/persons?q="+q, "", http.StatusOK)
		}
		k.call("GET", "/api/v1/persons?q=DROP+TABLE+persons&per_page=100", "", http.StatusOK)
		if got := decode[struct{ Total int }](t, k.call("GET", "/api/v1/persons", "", http.StatusOK)).Total; got != 1+8 {
			t.Errorf("%d persons after the text round trips; want 9", got)
		}
	})
}

// jsonString returns s as a JSON string literal.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}
