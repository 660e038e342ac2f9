package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCharacters(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		const base = "/api/v1/characters"
		at := func(id int64) string { return fmt.Sprintf("%s/%d", base, id) }

		w := k.call("POST", base, `{"name":"Ellen Ripley","role":"leading","description":"Warrant officer"}`, http.StatusCreated)
		ripley := decode[struct{ ID int64 }](t, w).ID
		k.wantJSON("POST", w.Body.Bytes(), fmt.Sprintf(
			`{"id":%d,"name":"Ellen Ripley","role":"leading","description":"Warrant officer","created_at":%q,"updated_at":%q}`,
			ripley, catalogStamp, catalogStamp))
		if got, want := w.Header().Get("Location"), at(ripley); got != want {
			t.Errorf("POST: Location = %q; want %q", got, want)
		}
		jones := k.create(base, `{"name":"Jones","role":"background"}`)

		k.wantJSON("GET list", k.call("GET", base, "", http.StatusOK).Body.Bytes(), fmt.Sprintf(
			`{"items":[
				{"id":%d,"name":"Ellen Ripley","role":"leading","description":"Warrant officer","created_at":%[2]q,"updated_at":%[2]q},
				{"id":%d,"name":"Jones","role":"background","description":null,"created_at":%[2]q,"updated_at":%[2]q}
			],"page":1,"per_page":20,"total":2}`, ripley, catalogStamp, jones))

		api.clk.Advance(time.Second)
		later := testStart.Add(time.Second).Format(time.RFC3339)
		k.wantJSON("PATCH clears the description and keeps the name", k.call("PATCH", at(ripley),
			`{"role":"supporting","description":null}`, http.StatusOK).Body.Bytes(), fmt.Sprintf(
			`{"id":%d,"name":"Ellen Ripley","role":"supporting","description":null,"created_at":%q,"updated_at":%q}`,
			ripley, catalogStamp, later))
		k.wantJSON("GET after PATCH", k.call("GET", at(ripley), "", http.StatusOK).Body.Bytes(), fmt.Sprintf(
			`{"id":%d,"name":"Ellen Ripley","role":"supporting","description":null,"created_at":%q,"updated_at":%q}`,
			ripley, catalogStamp, later))

		runScenarios(t, api.h, []scenario{
			{name: "no role", method: "POST", url: base, body: `{"name":"Ash"}`, header: k.auth(),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"role":"must be one of leading, supporting, background"`}},
			{name: "bad role and blank name", method: "POST", url: base, body: `{"name":" ","role":"hero"}`, header: k.auth(),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"role":"must be one of`, `"name":"is required"`}},
			{name: "long name", method: "POST", url: base, body: `{"name":"` + strings.Repeat("x", 301) + `","role":"leading"}`, header: k.auth(),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"name":"must be at most 300 characters"`}},
			{name: "description with a control character", method: "POST", url: base,
				body: `{"name":"Ash","role":"supporting","description":"a\u0007b"}`, header: k.auth(),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"description":`}},
			{name: "description with line breaks", method: "POST", url: base,
				body: `{"name":"Ash","role":"supporting","description":"Science officer.\nAndroid."}`, header: k.auth(),
				wantStatus: http.StatusCreated, want: []string{`"description":"Science officer.\nAndroid."`}},
			{name: "null name", method: "PATCH", url: at(jones), body: `{"name":null}`, header: k.auth(),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"name":"cannot be null"}`}},
			{name: "null role", method: "PATCH", url: at(jones), body: `{"role":null}`, header: k.auth(),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"role":"cannot be null"}`}},
			{name: "bad role", method: "PATCH", url: at(jones), body: `{"role":"cat"}`, header: k.auth(),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"role":`}},
			{name: "role of the wrong type", method: "PATCH", url: at(jones), body: `{"role":1}`, header: k.auth(),
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"role":"must be a string"}`}},
			{name: "unknown field", method: "PATCH", url: at(jones), body: `{"actor":1}`, header: k.auth(),
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"actor":"is not a known field"}`}},
			{name: "unchanged after refusals", method: "GET", url: at(jones), wantStatus: http.StatusOK,
				want: []string{`"name":"Jones","role":"background","description":null`}},
			{name: "PATCH unknown", method: "PATCH", url: at(999), body: `{"role":"leading"}`, header: k.auth(), wantStatus: http.StatusNotFound},
			{name: "GET unknown", method: "GET", url: at(999), wantStatus: http.StatusNotFound},
			{name: "DELETE", method: "DELETE", url: at(jones), header: k.auth(), wantStatus: http.StatusNoContent},
			{name: "GET deleted", method: "GET", url: at(jones), wantStatus: http.StatusNotFound},
			{name: "DELETE again", method: "DELETE", url: at(jones), header: k.auth(), wantStatus: http.StatusNotFound},
			{name: "anonymous cannot write", method: "DELETE", url: at(ripley), wantStatus: http.StatusUnauthorized},
		})
	})
}
