package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func TestRecoverPanics(t *testing.T) {
	log, logs := testLogger()
	h := withRequestID(recoverPanics(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"leaked"`)
		panic("secret panic value")
	})))
	w := scenario{
		method: "GET", url: "/boom",
		header:     map[string]string{"X-Request-Id": "req-panic-1"},
		wantStatus: http.StatusInternalServerError,
		wantHeader: map[string]string{"Content-Type": "application/problem+json", "X-Request-Id": "req-panic-1"},
		want:       []string{`"status":500`, internalDetail, `"request_id":"req-panic-1"`},
		unwanted:   []string{"secret", "goroutine"},
	}.run(t, h)
	if etag := w.Header().Get("ETag"); etag != "" {
		t.Errorf("ETag = %q; want the panicking handler's headers dropped", etag)
	}
	for _, want := range []string{"secret panic value", "req-panic-1", "goroutine", "middleware_test.go"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log does not contain %q:\n%s", want, logs)
		}
	}
}

func TestRecoverPanicsAfterResponseBegan(t *testing.T) {
	log, logs := testLogger()
	h := recoverPanics(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("partial"))
		panic(fmt.Errorf("half-way"))
	}))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v; want http.ErrAbortHandler so the connection is cut", v)
		}
		if !strings.Contains(logs.String(), "half-way") {
			t.Errorf("panic not logged:\n%s", logs)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	t.Error("ServeHTTP returned; want it to panic")
}

func TestAccessLog(t *testing.T) {
	log, logs := testLogger()
	h := New(Config{Logger: log}) // neither route touches the store
	r := httptest.NewRequest("GET", "/healthz?token=query-secret", nil)
	r.Header.Set("Authorization", "Bearer header-secret")
	r.Header.Set("X-Request-Id", "req-log-1")
	h.ServeHTTP(httptest.NewRecorder(), r)
	r = httptest.NewRequest("DELETE", "/movies/42?access_token=query-secret", nil)
	r.Header.Set("Authorization", "Bearer header-secret")
	h.ServeHTTP(httptest.NewRecorder(), r)

	got := logs.String()
	for _, want := range []string{
		`level=DEBUG msg=request method=GET path=/healthz route="GET /healthz" status=200 bytes=16 duration=`,
		`request_id=req-log-1`,
		`level=INFO msg=request method=DELETE path=/movies/42 route=unmatched status=404`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("access log does not contain %q:\n%s", want, got)
		}
	}
	for _, secret := range []string{"query-secret", "header-secret", "token"} {
		if strings.Contains(got, secret) {
			t.Errorf("access log contains %q:\n%s", secret, got)
		}
	}
}

// TestObserveRecoveredPanic checks that a recovered panic is logged and
// counted as the 500 it became, under its route.
func TestObserveRecoveredPanic(t *testing.T) {
	log, logs := testLogger()
	reg := prometheus.NewRegistry()
	s := &server{log: log, metrics: newHTTPMetrics(reg, "test")}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic(errors.New("boom")) })
	wrapped := withRequestID(s.observe(recoverPanics(log, unmatchedAsProblem(mux))))
	w := httptest.NewRecorder()
	wrapped.ServeHTTP(w, httptest.NewRequest("GET", "/boom", nil))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status = %d; want 500", w.Code)
	}
	if want := `route="GET /boom" status=500`; !strings.Contains(logs.String(), want) {
		t.Errorf("access log does not contain %q:\n%s", want, logs)
	}
	m := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(m, httptest.NewRequest("GET", "/metrics", nil))
	if want := `moviedb_http_requests_total{method="GET",route="GET /boom",status="500"} 1`; !strings.Contains(m.Body.String(), want) {
		t.Errorf("metrics do not contain %q:\n%s", want, m.Body)
	}
}

func TestNewRequestIDUnique(t *testing.T) {
	seen := make(map[string]bool)
	for range 10_000 {
		id := newRequestID()
		if !validRequestID(id) || seen[id] {
			t.Fatalf("newRequestID() = %q; want a valid id not given before", id)
		}
		seen[id] = true
	}
}

// TestFallback checks that the fallback gets the paths outside /api/ that
// the API does not name, and nothing of the API's, whatever the method.
func TestFallback(t *testing.T) {
	fallback := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprint(w, "web page "+r.Method+" "+r.URL.Path)
	})
	h := New(Config{Fallback: fallback}) // no route below touches the store
	for _, sc := range []scenario{
		{name: "web page", method: "GET", url: "/movies?q=x", wantStatus: http.StatusTeapot, want: []string{"web page GET /movies"}},
		{name: "web root", method: "GET", url: "/", wantStatus: http.StatusTeapot, want: []string{"web page GET /"}},
		{name: "web form post", method: "POST", url: "/login", wantStatus: http.StatusTeapot, want: []string{"web page POST /login"}},
		{name: "api unknown", method: "GET", url: "/api/v1/nope", wantStatus: http.StatusNotFound,
			wantHeader: map[string]string{"Content-Type": "application/problem+json"}, unwanted: []string{"web page"}},
		{name: "api root", method: "GET", url: "/api/", wantStatus: http.StatusNotFound, unwanted: []string{"web page"}},
		{name: "ops", method: "GET", url: "/healthz", wantStatus: http.StatusOK, unwanted: []string{"web page"}},
		{name: "ops wrong method", method: "POST", url: "/healthz", wantStatus: http.StatusMethodNotAllowed,
			wantHeader: map[string]string{"Content-Type": "application/problem+json"}, unwanted: []string{"web page"}},
		{name: "docs", method: "GET", url: "/docs", wantStatus: http.StatusOK, unwanted: []string{"web page"}},
		// /files/{key...} has a wildcard: every key is the API's, never a page.
		{name: "file", method: "GET", url: "/files/posters/2026/01/x.jpg?w=185", wantStatus: http.StatusNotFound,
			wantHeader: map[string]string{"Content-Type": "application/problem+json"}, unwanted: []string{"web page"}},
		{name: "file wrong method", method: "POST", url: "/files/posters/2026/01/x.jpg", wantStatus: http.StatusMethodNotAllowed,
			unwanted: []string{"web page"}},
		{name: "near a file", method: "GET", url: "/filesystem", wantStatus: http.StatusTeapot, want: []string{"web page GET /filesystem"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			w := sc.run(t, h)
			if w.Header().Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id; want every answer, the fallback's too, to carry one")
			}
		})
	}
}

// TestNoSniffOnEveryAnswer checks that every kind of API answer tells
// browsers not to guess its type: JSON, problems of every origin (the
// mux's, a handler's, a panic's), 304s, the ops routes and the docs.
func TestNoSniffOnEveryAnswer(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		heat := api.movie("Heat")
		detail := fmt.Sprintf("/api/v1/movies/%d", heat)
		tag := api.do("GET", detail, "", "").Header().Get("ETag")
		check := func(what string, w *httptest.ResponseRecorder) {
			t.Helper()
			if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s (%d): X-Content-Type-Options = %q; want nosniff", what, w.Code, got)
			}
		}
		for _, path := range []string{"/api/v1/movies", detail, "/api/v1/movies/999999", "/api/v1/nope",
			"/api/v1/me", "/api/v1/movies?sort=nope", "/healthz", "/readyz", "/metrics", "/docs", "/api/v1/openapi.json"} {
			check("GET "+path, api.do("GET", path, "", ""))
		}
		check("DELETE /healthz", api.do("DELETE", "/healthz", "", ""))
		r := httptest.NewRequest("GET", detail, nil)
		r.Header.Set("If-None-Match", tag)
		w := httptest.NewRecorder()
		api.h.ServeHTTP(w, r)
		check("a 304", w)
	})
	log, _ := testLogger()
	h := withNoSniff(recoverPanics(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/boom", nil))
	if w.Code != http.StatusInternalServerError || w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("a panic: %d, X-Content-Type-Options %q; want a 500 with nosniff", w.Code, w.Header().Get("X-Content-Type-Options"))
	}
}
