package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/moviedb/moviedb/httpgzip"
	"github.com/moviedb/moviedb/media/mediatest"
)

// docAccess is who may call each route of docRoutes.
var docAccess = map[string]access{
	"GET /api/v1/openapi.json":  publicAccess,
	"GET /docs":                 publicAccess,
	"GET /docs/assets/docs.js":  publicAccess,
	"GET /docs/assets/docs.css": publicAccess,
}

// undocumentedRoutes are the routes of the route table that the OpenAPI
// document leaves out, each with the reason. The validating handler lets
// requests to them through unchecked; every other route must be in the
// document.
var undocumentedRoutes = map[string]string{
	"GET /metrics": "Prometheus exposition format for scrapers, not part of the JSON API",
}

// filesPattern is the route of stored files, whose key spans segments.
const filesPattern = "GET /files/{key...}"

func init() {
	// Files are binary; the document says which image types they are.
	for _, ct := range []string{"image/jpeg", "image/png", "image/gif", "image/webp", "multipart/byteranges"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// openAPI is the embedded document, loaded and validated once, with a
// router that finds the operation of a request.
var openAPI = sync.OnceValues(func() (*openAPISpec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDocument)
	if err != nil {
		return nil, fmt.Errorf("load openapi.json: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate openapi.json: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route openapi.json: %w", err)
	}
	return &openAPISpec{doc: doc, router: router}, nil
})

type openAPISpec struct {
	doc    *openapi3.T
	router routers.Router
}

// docOptions make openapi3filter check what the handlers are responsible
// for. The bearer scheme is accepted as is: the handlers check tokens, and
// tests send bad ones on purpose.
var docOptions = &openapi3filter.Options{
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	IncludeResponseStatus: true,
	SkipSettingDefaults:   true,
}

// A docValidator serves requests with next and checks each request and
// response against the OpenAPI document, reporting every mismatch. A
// request the document rejects must get a documented 4xx; any response
// must have a documented status, headers, content type and body.
//
// Only these requests go unchecked against the document: HEAD requests
// (the documented GET answers them), requests that match no route (they
// must get the mux's 404 or 405 problem) and requests to
// undocumentedRoutes. A request that reaches any other route the document
// lacks is a mismatch.
type docValidator struct {
	report func(format string, args ...any)
	spec   *openAPISpec
	// routes holds the patterns of the route table, to tell which route a
	// request reaches, and whether any.
	routes *http.ServeMux
	next   http.Handler
}

// validatedHandler returns the handler of srv behind a docValidator that
// fails t on each mismatch with the document. The test API serves every
// request through it.
func validatedHandler(t *testing.T, srv *server) http.Handler {
	t.Helper()
	spec, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, rt := range srv.routeTable() {
		patterns = append(patterns, rt.pattern)
	}
	return newDocValidator(t.Errorf, spec, patterns, srv.handler())
}

// newDocValidator returns a docValidator of next, which serves the routes
// with patterns, reporting mismatches to report.
func newDocValidator(report func(string, ...any), spec *openAPISpec, patterns []string, next http.Handler) *docValidator {
	routes := http.NewServeMux()
	for _, p := range patterns {
		routes.Handle(p, http.NotFoundHandler())
	}
	return &docValidator{report: report, spec: spec, routes: routes, next: next}
}

func (v *docValidator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			v.report("openapi: %s %s: read the request body: %v", r.Method, r.URL, err)
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	what := r.Method + " " + r.URL.RequestURI()

	_, pattern := v.routes.Handler(r)
	switch {
	case r.Method == http.MethodHead:
		// The GET handler answers it, without a body; the GET is documented.
		v.next.ServeHTTP(w, r)
		return
	case pattern == "":
		// No route: the mux's own 404 or 405, as a problem.
		rec := v.serve(w, r)
		if (rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed) || !isProblem(rec.Header()) {
			v.report("openapi: %s matches no route, yet got %d %s; want a 404 or 405 problem",
				what, rec.Code, rec.Header().Get("Content-Type"))
		}
		return
	case undocumentedRoutes[pattern] != "":
		v.next.ServeHTTP(w, r)
		return
	}

	vr := r.Clone(r.Context())
	vr.Body = io.NopCloser(bytes.NewReader(body))
	if pattern == filesPattern {
		// A key spans path segments, which an OpenAPI path parameter
		// cannot; the document's {key} matches it with its slashes escaped.
		vr.URL.Path = "/files/" + strings.ReplaceAll(r.PathValue("key"), "/", "%2F")
		if key, ok := strings.CutPrefix(r.URL.Path, "/files/"); ok {
			vr.URL.Path = "/files/" + strings.ReplaceAll(key, "/", "%2F")
		}
		vr.URL.RawPath = ""
	}
	route, params, err := v.spec.router.FindRoute(vr)
	if err != nil {
		v.report("openapi: %s reaches route %q, which the document lacks: %v", what, pattern, err)
		v.next.ServeHTTP(w, r)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route, Options: docOptions}
	reqErr := openapi3filter.ValidateRequest(r.Context(), in)

	rec := v.serve(w, r)
	status := rec.Code
	// The document describes bodies as the client reads them, decoded.
	if rec.Header().Get("Content-Encoding") == "gzip" {
		decoded, err := httpgzip.Decompress(rec.Body.Bytes())
		if err != nil {
			v.report("openapi: %s got a gzipped body that does not decode: %v", what, err)
			return
		}
		rec.Body = bytes.NewBuffer(decoded)
	}
	documented := route.Operation.Responses.Status(status)
	if documented == nil {
		v.report("openapi: %s (%s %s) got %d, which the document does not list\nbody: %s",
			what, route.Method, route.Path, status, excerpt(rec.Body.Bytes()))
		return
	}
	if reqErr != nil && (status < 400 || status >= 500) {
		v.report("openapi: %s got %d, but the document rejects the request: %v", what, status, reqErr)
	}
	// openapi3filter checks neither the headers of a 304 nor that a
	// response documented without content has no body.
	for name, h := range documented.Value.Headers {
		if status == http.StatusNotModified && h.Value.Required && rec.Header().Get(name) == "" {
			v.report("openapi: %s got a 304 without the %s header the document requires", what, name)
		}
	}
	if len(documented.Value.Content) == 0 && rec.Body.Len() > 0 {
		v.report("openapi: %s got a %d with a body, which the document says has none\nbody: %s", what, status, excerpt(rec.Body.Bytes()))
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                docOptions,
	}
	if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
		v.report("openapi: %s got a %d response the document does not allow: %v\nbody: %s", what, status, err, excerpt(rec.Body.Bytes()))
	}
	if isProblem(rec.Header()) {
		var p problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err == nil && p.Status != status {
			v.report("openapi: %s got %d with a problem whose status is %d", what, status, p.Status)
		}
	}
}

// serve records next's response to r, then copies it to w.
func (v *docValidator) serve(w http.ResponseWriter, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	v.next.ServeHTTP(rec, r)
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
	return rec
}

// excerpt returns the start of a body, for a report.
func excerpt(body []byte) string {
	const max = 2000
	if len(body) > max {
		return string(body[:max]) + "…"
	}
	return string(body)
}

func isProblem(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "application/problem+json"
}

// TestOpenAPIDocument checks that the document is valid OpenAPI 3.1 and
// lists exactly the routes of the route table, each with the security its
// access needs.
func TestOpenAPIDocument(t *testing.T) {
	spec, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	doc := spec.doc
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q; want 3.1", doc.OpenAPI)
	}

	srv := newServer(Config{})
	inTable := map[string]access{}
	for _, rt := range srv.routeTable() {
		// OpenAPI has no multi-segment parameter: the document's {key}
		// stands for the route's {key...}.
		inTable[strings.ReplaceAll(rt.pattern, "...}", "}")] = rt.access
	}
	for pattern := range undocumentedRoutes {
		if _, ok := inTable[pattern]; !ok {
			t.Errorf("undocumentedRoutes lists %q, which the route table lacks", pattern)
		}
	}
	inDoc := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			inDoc[method+" "+path] = op
		}
	}
	for pattern, a := range inTable {
		op, ok := inDoc[pattern]
		switch {
		case undocumentedRoutes[pattern] != "":
			if ok {
				t.Errorf("route %q is in the document and in undocumentedRoutes", pattern)
			}
			continue
		case !ok:
			t.Errorf("route %q is not in the document", pattern)
			continue
		}
		checkSecurity(t, pattern, a, op)
	}
	for key := range inDoc {
		if _, ok := inTable[key]; !ok {
			t.Errorf("the document has %q, which the route table lacks", key)
		}
	}
}

// ownUploadRoutes are the routes that take a file id only of a file the
// requesting user uploaded, answering a 403 for any other file.
var ownUploadRoutes = map[string]bool{"PUT /api/v1/me/avatar": true}

// checkSecurity checks that op's security and error responses say what the
// access of its route does.
func checkSecurity(t *testing.T, pattern string, a access, op *openapi3.Operation) {
	t.Helper()
	if op.Security == nil {
		t.Errorf("%s: no security; say who may call it", pattern)
		return
	}
	sec := *op.Security
	optional := slices.ContainsFunc(sec, func(req openapi3.SecurityRequirement) bool { return len(req) == 0 })
	bearer := slices.ContainsFunc(sec, func(req openapi3.SecurityRequirement) bool { _, ok := req["bearer"]; return ok })
	has := func(status int) bool { return op.Responses.Status(status) != nil }
	switch a {
	case opsAccess:
		if len(sec) != 0 {
			t.Errorf("%s: security %v; an ops route reads no credentials: want []", pattern, sec)
		}
	case publicAccess:
		if !optional || !bearer {
			t.Errorf("%s: security %v; a public route takes an optional bearer token: want [{}, {bearer: []}]", pattern, sec)
		}
	case userAccess, adminAccess:
		if optional || !bearer {
			t.Errorf("%s: security %v; want [{bearer: []}]", pattern, sec)
		}
	}
	if a != opsAccess && !has(http.StatusUnauthorized) {
		t.Errorf("%s: no 401 response; any route that reads tokens answers one to a bad token", pattern)
	}
	forbidden := op.Responses.Status(http.StatusForbidden)
	switch {
	case a == adminAccess && (forbidden == nil || forbidden.Ref != "#/components/responses/Forbidden"):
		t.Errorf("%s: an admin route must document the role's 403 (Forbidden)", pattern)
	case ownUploadRoutes[pattern] && (forbidden == nil || forbidden.Ref != "#/components/responses/NotYourUpload"):
		t.Errorf("%s: a route that takes only the user's own uploads must document their 403 (NotYourUpload)", pattern)
	case a != adminAccess && !ownUploadRoutes[pattern] && forbidden != nil:
		t.Errorf("%s: a 403 response documented on a route that answers none (access %v)", pattern, a)
	}
}

// TestDocValidatorReports checks that the validating handler catches what
// it is there to catch, on a handler that breaks the document.
func TestDocValidatorReports(t *testing.T) {
	spec, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	answer := func(status int, contentType, body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "test")
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		})
	}
	const country = `{"id":1,"name":"France","created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z"}`
	for _, tc := range []struct {
		name, method, url, body string
		patterns                []string
		h                       http.Handler
		want                    string // "" for no report
	}{
		{"good", "GET", "/api/v1/countries/1", "", []string{"GET /api/v1/countries/{id}"},
			answer(200, "application/json", country), ""},
		{"undocumented status", "GET", "/api/v1/countries/1", "", []string{"GET /api/v1/countries/{id}"},
			answer(418, "application/json", country), "does not list"},
		{"extra field", "GET", "/api/v1/countries/1", "", []string{"GET /api/v1/countries/{id}"},
			answer(200, "application/json", strings.Replace(country, `"id":1`, `"id":1,"code":"FR"`, 1)), "does not allow"},
		{"null required field", "GET", "/api/v1/countries/1", "", []string{"GET /api/v1/countries/{id}"},
			answer(200, "application/json", strings.Replace(country, `"France"`, `null`, 1)), "does not allow"},
		{"wrong content type", "GET", "/api/v1/countries/1", "", []string{"GET /api/v1/countries/{id}"},
			answer(200, "text/plain", country), "does not allow"},
		{"problem not a problem", "GET", "/api/v1/countries/1", "", []string{"GET /api/v1/countries/{id}"},
			answer(404, "application/problem+json", `{"error":"nope"}`), "does not allow"},
		{"problem with another status", "GET", "/api/v1/countries/1", "", []string{"GET /api/v1/countries/{id}"},
			answer(404, "application/problem+json", `{"type":"about:blank","title":"Gone","status":410,"detail":"gone"}`), "whose status is 410"},
		{"accepts what the document rejects", "POST", "/api/v1/countries", `{"name":""}`, []string{"POST /api/v1/countries"},
			answer(201, "application/json", country), "rejects the request"},
		{"rejects what the document rejects", "POST", "/api/v1/countries", `{"name":""}`, []string{"POST /api/v1/countries"},
			answer(422, "application/problem+json", `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"no"}`), ""},
		{"route not in the document", "GET", "/api/v1/secret", "", []string{"GET /api/v1/secret"},
			answer(200, "application/json", `{}`), "which the document lacks"},
		{"no route but a 200", "GET", "/api/v1/nowhere", "", nil,
			answer(200, "application/json", `{}`), "matches no route"},
		{"304 without its ETag", "GET", "/api/v1/movies/1", "", []string{"GET /api/v1/movies/{id}"},
			answer(304, "", ""), "without the ETag header"},
		{"204 with a body", "DELETE", "/api/v1/countries/1", "", []string{"DELETE /api/v1/countries/{id}"},
			answer(204, "application/json", `{}`), "says has none"},
		{"401 without a challenge", "GET", "/api/v1/me", "", []string{"GET /api/v1/me"},
			answer(401, "application/problem+json", `{"type":"about:blank","title":"Unauthorized","status":401,"detail":"no"}`), "does not allow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var reports []string
			report := func(format string, args ...any) { reports = append(reports, fmt.Sprintf(format, args...)) }
			v := newDocValidator(report, spec, tc.patterns, tc.h)
			r := httptest.NewRequest(tc.method, tc.url, strings.NewReader(tc.body))
			if tc.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			v.ServeHTTP(httptest.NewRecorder(), r)
			got := strings.Join(reports, "\n")
			switch {
			case tc.want == "" && got != "":
				t.Errorf("reported:\n%s\nwant no report", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("reported %q; want a report containing %q", got, tc.want)
			}
		})
	}
}

// TestOpenAPIServed checks the document and the docs page as served: the
// exact embedded bytes, an ETag that gives 304s, and a page that loads
// nothing from another origin and runs no inline script.
func TestOpenAPIServed(t *testing.T) {
	h := newServer(Config{}).handler()
	get := func(url string, header map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", url, nil)
		for k, v := range header {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for _, tc := range []struct {
		url, contentType string
		body             []byte
	}{
		{"/api/v1/openapi.json", "application/json", openAPIDocument},
		{"/docs", "text/html; charset=utf-8", docsPage.body.Identity},
		{"/docs/assets/docs.js", "text/javascript; charset=utf-8", docsScript.body.Identity},
		{"/docs/assets/docs.css", "text/css; charset=utf-8", docsStyle.body.Identity},
	} {
		w := get(tc.url, nil)
		if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), tc.body) {
			t.Errorf("GET %s = %d with %d bytes; want 200 with the %d embedded bytes", tc.url, w.Code, w.Body.Len(), len(tc.body))
		}
		if got := w.Header().Get("Content-Type"); got != tc.contentType {
			t.Errorf("GET %s: Content-Type = %q; want %q", tc.url, got, tc.contentType)
		}
		tag := w.Header().Get("ETag")
		if tag == "" || w.Header().Get("Cache-Control") == "" {
			t.Errorf("GET %s: ETag = %q, Cache-Control = %q; want both", tc.url, tag, w.Header().Get("Cache-Control"))
		}
		if w := get(tc.url, map[string]string{"If-None-Match": `"other", ` + tag}); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("GET %s with If-None-Match: its ETag = %d with %d bytes; want 304 without a body", tc.url, w.Code, w.Body.Len())
		}
	}

	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v; want 3.1.0", doc["openapi"])
	}

	csp := get("/docs", nil).Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("GET /docs: Content-Security-Policy = %q; want it to hold %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("GET /docs: Content-Security-Policy = %q allows inline code", csp)
	}
	page := string(docsPage.body.Identity)
	for _, want := range []string{`src="/docs/assets/docs.js"`, `href="/docs/assets/docs.css"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the docs page does not hold %s", want)
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "style=") || strings.Contains(page, "<style") {
		t.Error("the docs page has inline script or style, which its policy forbids")
	}
	for name, body := range map[string][]byte{"index.html": docsPage.body.Identity, "docs.js": docsScript.body.Identity, "docs.css": docsStyle.body.Identity} {
		for _, external := range []string{"http://", "https://", "//cdn", "@import"} {
			if bytes.Contains(body, []byte(external)) {
				t.Errorf("docs/%s holds %q: the page must load nothing from elsewhere", name, external)
			}
		}
	}
	if !bytes.Contains(docsScript.body.Identity, []byte(`"/api/v1/openapi.json"`)) {
		t.Error("docs.js does not fetch /api/v1/openapi.json")
	}
	if bytes.Contains(docsScript.body.Identity, []byte("innerHTML")) || bytes.Contains(docsScript.body.Identity, []byte("eval(")) {
		t.Error("docs.js parses HTML or evaluates code; build nodes with the DOM API")
	}
}

// A walkStep is one request of TestOpenAPIWalk.
type walkStep struct {
	route  string // the route table pattern the request must reach
	as     string // whose token goes with it: "", "user" or "admin"
	url    string // "{name}" stands for what an earlier step saved under name
	body   string
	header map[string]string
	want   int
	save   string // saves the answer's id, and its ETag as save+"_etag"
}

// TestOpenAPIWalk sends a representative request to each operation of the
// document, through the validating handler, and checks that every one was
// walked with a successful answer.
func TestOpenAPIWalk(t *testing.T) {
	spec, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	const boundary = "walkboundary"
	upload := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"poster.png\"\r\n" +
		"Content-Type: image/png\r\n\r\n" + string(mediatest.PNG(40, 60)) + "\r\n--" + boundary + "--\r\n"
	uploadHeader := map[string]string{"Content-Type": "multipart/form-data; boundary=" + boundary}
	steps := []walkStep{
		{route: "GET /healthz", url: "/healthz", want: 200},
		{route: "GET /readyz", url: "/readyz", want: 200},
		{route: "GET /api/v1/openapi.json", url: "/api/v1/openapi.json", want: 200, save: "doc"},
		{route: "GET /api/v1/openapi.json", url: "/api/v1/openapi.json", header: map[string]string{"If-None-Match": "{doc_etag}"}, want: 304},
		{route: "GET /docs", url: "/docs", want: 200},
		{route: "GET /docs/assets/docs.js", url: "/docs/assets/docs.js", want: 200},
		{route: "GET /docs/assets/docs.css", url: "/docs/assets/docs.css", want: 200},

		{route: "POST /api/v1/auth/register", url: "/api/v1/auth/register", want: 201,
			body: `{"username":"newt","first_name":"Rebecca","last_name":"Jorden","email":"newt@example.com","password":"hadley's hope"}`},
		{route: "POST /api/v1/auth/login", url: "/api/v1/auth/login", want: 200, body: `{"login":"newt","password":"hadley's hope"}`},
		{route: "GET /api/v1/me", as: "user", url: "/api/v1/me", want: 200},
		{route: "PATCH /api/v1/me", as: "user", url: "/api/v1/me", body: `{"first_name":"Ellen","last_name":null}`, want: 200},
		{route: "PUT /api/v1/me/password", as: "user", url: "/api/v1/me/password",
			body: `{"current_password":"pw-ripley","new_password":"nostromo-1979"}`, want: 204},
		{route: "PUT /api/v1/me/avatar", as: "user", url: "/api/v1/me/avatar", body: `{"file_id":{own_file}}`, want: 200},
		{route: "DELETE /api/v1/me/avatar", as: "user", url: "/api/v1/me/avatar", want: 204},

		{route: "POST /api/v1/countries", as: "admin", url: "/api/v1/countries", body: `{"name":"United Kingdom"}`, want: 201, save: "country"},
		{route: "GET /api/v1/countries", url: "/api/v1/countries?page=1&per_page=10", want: 200},
		{route: "GET /api/v1/countries/{id}", url: "/api/v1/countries/{country}", want: 200},
		{route: "PATCH /api/v1/countries/{id}", as: "admin", url: "/api/v1/countries/{country}", body: `{"name":"UK"}`, want: 200},
		{route: "POST /api/v1/genres", as: "admin", url: "/api/v1/genres", body: `{"name":"Horror"}`, want: 201, save: "genre"},
		{route: "GET /api/v1/genres", url: "/api/v1/genres", want: 200},
		{route: "GET /api/v1/genres/{id}", url: "/api/v1/genres/{genre}", want: 200},
		{route: "PATCH /api/v1/genres/{id}", as: "admin", url: "/api/v1/genres/{genre}", body: `{"name":"Science fiction horror"}`, want: 200},
		{route: "POST /api/v1/characters", as: "admin", url: "/api/v1/characters", want: 201, save: "character",
			body: `{"name":"Ellen Ripley","role":"leading","description":"Warrant officer of the Nostromo"}`},
		{route: "GET /api/v1/characters", url: "/api/v1/characters", want: 200},
		{route: "GET /api/v1/characters/{id}", url: "/api/v1/characters/{character}", want: 200},
		{route: "PATCH /api/v1/characters/{id}", as: "admin", url: "/api/v1/characters/{character}", body: `{"description":null}`, want: 200},

		{route: "POST /api/v1/persons", as: "admin", url: "/api/v1/persons", want: 201, save: "actor",
			body: `{"first_name":"Sigourney","last_name":"Weaver","date_of_birth":"1949-10-08","gender":"female","country_id":{country}}`},
		{route: "POST /api/v1/persons", as: "admin", url: "/api/v1/persons", body: `{"first_name":"Ridley","last_name":"Scott"}`, want: 201, save: "director"},
		{route: "GET /api/v1/persons", url: "/api/v1/persons?q=weaver", want: 200},
		{route: "GET /api/v1/persons/{id}", url: "/api/v1/persons/{actor}", want: 200, save: "actor"},
		{route: "GET /api/v1/persons/{id}", url: "/api/v1/persons/{actor}", header: map[string]string{"If-None-Match": "{actor_etag}"}, want: 304},
		{route: "PATCH /api/v1/persons/{id}", as: "admin", url: "/api/v1/persons/{actor}", header: map[string]string{"If-Match": "{actor_etag}"},
			body: `{"biography":"Actor.","gender":null}`, want: 200},

		{route: "POST /api/v1/movies", as: "admin", url: "/api/v1/movies", want: 201, save: "movie",
			body: `{"title":"Alien","description":null,"budget":"11000000","release_date":"1979-05-25","duration":117,` +
				`"director_id":{director},"country_id":{country},"poster_file_id":{file},"genre_ids":[{genre}]}`},
		{route: "GET /api/v1/movies", url: "/api/v1/movies?q=alien&genre=Science+fiction+horror&genre={genre}&genre_match=all&country={country}" +
			"&director={director}&released_from=1970-01-01&released_to=1980-12-31&min_duration=100&max_duration=200" +
			"&min_budget=1000000.5&max_budget=20000000&sort=-release_date&page=1&per_page=5", want: 200},
		{route: "GET /api/v1/movies/{id}", url: "/api/v1/movies/{movie}", want: 200, save: "movie"},
		{route: "GET /api/v1/movies/{id}", url: "/api/v1/movies/{movie}", header: map[string]string{"If-None-Match": "{movie_etag}"}, want: 304},
		{route: "PATCH /api/v1/movies/{id}", as: "admin", url: "/api/v1/movies/{movie}", header: map[string]string{"If-Match": "{movie_etag}"},
			body: `{"description":"In space no one can hear you scream.","budget":"11000000.50"}`, want: 200},
		{route: "PUT /api/v1/movies/{id}/genres/{genre_id}", as: "admin", url: "/api/v1/movies/{movie}/genres/{genre}", want: 204},
		{route: "POST /api/v1/movies/{id}/cast", as: "admin", url: "/api/v1/movies/{movie}/cast",
			body: `{"character_id":{character},"person_id":{actor}}`, want: 201},
		{route: "POST /api/v1/movies/{id}/cast", as: "admin", url: "/api/v1/movies/{movie}/cast",
			body: `{"character":{"name":"Ash","role":"supporting","description":"Science officer"},"person_id":null}`, want: 201},
		{route: "GET /api/v1/movies/{id}/cast", url: "/api/v1/movies/{movie}/cast", want: 200},
		{route: "GET /api/v1/movies", url: "/api/v1/movies?actor={actor}", want: 200},
		{route: "PATCH /api/v1/movies/{id}/cast/{character_id}", as: "admin", url: "/api/v1/movies/{movie}/cast/{character}",
			body: `{"person_id":null}`, want: 200},
		{route: "PATCH /api/v1/movies/{id}/cast/{character_id}", as: "admin", url: "/api/v1/movies/{movie}/cast/{character}",
			body: `{"person_id":{actor}}`, want: 200},
		{route: "GET /api/v1/persons/{id}", url: "/api/v1/persons/{actor}", want: 200},
		{route: "GET /api/v1/persons/{id}", url: "/api/v1/persons/{director}", want: 200},
		{route: "GET /api/v1/persons/{id}/directed", url: "/api/v1/persons/{director}/directed?per_page=1", want: 200},
		{route: "GET /api/v1/persons/{id}/played", url: "/api/v1/persons/{actor}/played", want: 200},
		{route: "GET /api/v1/persons/{id}/played", url: "/api/v1/persons/{actor}/played?cursor=bad", want: 400},
		{route: "GET /api/v1/movies/{id}", url: "/api/v1/movies/{movie}", want: 200},

		{route: "POST /api/v1/files", as: "admin", url: "/api/v1/files", body: upload, header: uploadHeader, want: 201, save: "upload"},
		{route: "GET /api/v1/files/{id}", url: "/api/v1/files/{upload}", want: 200},
		{route: "GET /files/{key...}", url: "/files/{upload_key}", want: 200, save: "bytes"},
		{route: "GET /files/{key...}", url: "/files/{upload_key}", header: map[string]string{"If-None-Match": "{bytes_etag}"}, want: 304},
		{route: "GET /files/{key...}", url: "/files/{upload_key}", header: map[string]string{"Range": "bytes=0-9"}, want: 206},
		{route: "GET /files/{key...}", url: "/files/{upload_key}?w=92", want: 200},
		{route: "PUT /api/v1/movies/{id}/poster", as: "admin", url: "/api/v1/movies/{movie}/poster", body: upload, header: uploadHeader, want: 200},
		{route: "POST /api/v1/persons/{id}/photos", as: "admin", url: "/api/v1/persons/{actor}/photos", body: upload, header: uploadHeader, want: 201},
		{route: "POST /api/v1/persons/{id}/photos", as: "admin", url: "/api/v1/persons/{actor}/photos", body: upload, header: uploadHeader, want: 201, save: "photo"},
		{route: "PATCH /api/v1/persons/{id}/photos/{file_id}", as: "admin", url: "/api/v1/persons/{actor}/photos/{photo}", body: `{"is_primary":true}`, want: 200},
		{route: "GET /api/v1/persons/{id}/photos", url: "/api/v1/persons/{actor}/photos", want: 200},
		{route: "PUT /api/v1/me/avatar", as: "user", url: "/api/v1/me/avatar", body: upload, header: uploadHeader, want: 200},
		{route: "DELETE /api/v1/persons/{id}/photos/{file_id}", as: "admin", url: "/api/v1/persons/{actor}/photos/{photo}", want: 204},
		{route: "DELETE /api/v1/files/{id}", as: "admin", url: "/api/v1/files/{upload}", want: 204},

		{route: "PUT /api/v1/me/favorites/{movie_id}", as: "user", url: "/api/v1/me/favorites/{movie}", want: 204},
		{route: "GET /api/v1/me/favorites", as: "user", url: "/api/v1/me/favorites", want: 200},
		{route: "GET /api/v1/reports/actor-budgets", url: "/api/v1/reports/actor-budgets", want: 200},
		{route: "GET /api/v1/reports/recent-movies", url: "/api/v1/reports/recent-movies?years=50", want: 200},
		{route: "GET /api/v1/reports/director-budgets", url: "/api/v1/reports/director-budgets?per_page=100", want: 200},
		{route: "GET /api/v1/reports/user-favorites", as: "admin", url: "/api/v1/reports/user-favorites", want: 200},
		{route: "GET /api/v1/movies", url: "/api/v1/movies?sort=-popularity", want: 200},
		{route: "DELETE /api/v1/me/favorites/{movie_id}", as: "user", url: "/api/v1/me/favorites/{movie}", want: 204},

		{route: "DELETE /api/v1/movies/{id}/cast/{character_id}", as: "admin", url: "/api/v1/movies/{movie}/cast/{character}", want: 204},
		{route: "DELETE /api/v1/movies/{id}/genres/{genre_id}", as: "admin", url: "/api/v1/movies/{movie}/genres/{genre}", want: 204},
		{route: "DELETE /api/v1/movies/{id}", as: "admin", url: "/api/v1/movies/{movie}", want: 204},
		{route: "DELETE /api/v1/persons/{id}", as: "admin", url: "/api/v1/persons/{director}", want: 204},
		{route: "DELETE /api/v1/persons/{id}", as: "admin", url: "/api/v1/persons/{actor}", want: 204},
		{route: "DELETE /api/v1/characters/{id}", as: "admin", url: "/api/v1/characters/{character}", want: 204},
		{route: "DELETE /api/v1/genres/{id}", as: "admin", url: "/api/v1/genres/{genre}", want: 204},
		{route: "DELETE /api/v1/countries/{id}", as: "admin", url: "/api/v1/countries/{country}", want: 204},
		{route: "POST /api/v1/auth/logout", as: "user", url: "/api/v1/auth/logout", want: 204},
	}

	walked := map[string]bool{}
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		user := api.createUser("ripley", "user")
		saved := map[string]string{
			"file":     fmt.Sprint(api.file("alien-poster").ID),
			"own_file": fmt.Sprint(api.fileOf("ripley-avatar", &user.ID).ID),
		}
		tokens := map[string]string{
			"user":  api.mintToken(user.ID),
			"admin": api.mintToken(api.createUser("dallas", "admin").ID),
		}
		routes := http.NewServeMux()
		for _, rt := range api.srv.routeTable() {
			routes.Handle(rt.pattern, http.NotFoundHandler())
		}
		for _, st := range steps {
			fill := func(s string) string {
				for name, v := range saved {
					s = strings.ReplaceAll(s, "{"+name+"}", v)
				}
				return s
			}
			r := httptest.NewRequest(st.route[:strings.IndexByte(st.route, ' ')], fill(st.url), strings.NewReader(fill(st.body)))
			if st.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			if st.as != "" {
				r.Header.Set("Authorization", "Bearer "+tokens[st.as])
			}
			for k, v := range st.header {
				r.Header.Set(k, fill(v))
			}
			what := r.Method + " " + r.URL.RequestURI()
			if _, pattern := routes.Handler(r); pattern != st.route {
				t.Fatalf("%s reaches route %q; the step says %q", what, pattern, st.route)
			}
			w := httptest.NewRecorder()
			api.h.ServeHTTP(w, r)
			if w.Code != st.want {
				t.Fatalf("%s = %d; want %d\nbody: %s", what, w.Code, st.want, w.Body)
			}
			walked[strings.ReplaceAll(st.route, "...}", "}")] = true
			if st.save != "" {
				saved[st.save+"_etag"] = w.Header().Get("ETag")
				var v struct {
					ID  *int64
					Key *string
				}
				if json.Unmarshal(w.Body.Bytes(), &v) == nil && v.ID != nil {
					saved[st.save] = fmt.Sprint(*v.ID)
					if v.Key != nil {
						saved[st.save+"_key"] = *v.Key
					}
				}
			}
		}
	})
	for path, item := range spec.doc.Paths.Map() {
		for method := range item.Operations() {
			if !walked[method+" "+path] {
				t.Errorf("no step of the walk sends %s %s", method, path)
			}
		}
	}
}
