package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

func TestOperations(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		log, _ := testLogger()
		h := New(Config{Store: s, Logger: log, Version: "v9.9.9-test"})
		problemJSON := map[string]string{"Content-Type": "application/problem+json"}
		runScenarios(t, h, []scenario{
			{
				name: "healthz", method: "GET", url: "/healthz",
				wantStatus: http.StatusOK,
				wantHeader: map[string]string{"Content-Type": "application/json"},
				want:       []string{`{"status":"ok"}`},
			},
			{
				name: "healthz HEAD", method: "HEAD", url: "/healthz",
				wantStatus: http.StatusOK,
			},
			{
				name: "readyz", method: "GET", url: "/readyz",
				wantStatus: http.StatusOK,
				want:       []string{`{"status":"ready"}`},
			},
			{
				name: "unknown route", method: "GET", url: "/nope?token=abc",
				wantStatus: http.StatusNotFound,
				wantHeader: problemJSON,
				want:       []string{`"status":404`, `"title":"Not Found"`, `"type":"about:blank"`, `"request_id":"`},
				unwanted:   []string{"404 page not found"},
			},
			{
				name: "wrong method", method: "POST", url: "/healthz",
				wantStatus: http.StatusMethodNotAllowed,
				wantHeader: map[string]string{"Content-Type": "application/problem+json", "Allow": "GET"},
				want:       []string{`"status":405`, `"title":"Method Not Allowed"`},
				unwanted:   []string{"Method Not Allowed\n"},
			},
			{
				name: "unknown method", method: "BREW", url: "/healthz",
				wantStatus: http.StatusMethodNotAllowed,
				wantHeader: problemJSON,
			},
			{
				name: "metrics", method: "GET", url: "/metrics",
				wantStatus: http.StatusOK,
				want: []string{
					`moviedb_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
					`moviedb_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
					`moviedb_http_requests_total{method="other",route="unmatched",status="405"} 1`,
					`moviedb_http_request_duration_seconds_bucket{method="GET",route="GET /readyz",le="`,
					`moviedb_build_info{version="v9.9.9-test"} 1`,
					"go_goroutines",
				},
				unwanted: []string{"/nope", "BREW"},
			},
		})
	})
}

func TestReadyzDatabaseGone(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		log, logs := testLogger()
		h := New(Config{Store: s, Logger: log})
		if err := s.Close(); err != nil {
			t.Fatalf("Close() = %v", err)
		}
		w := scenario{
			method: "GET", url: "/readyz",
			wantStatus: http.StatusServiceUnavailable,
			wantHeader: map[string]string{"Content-Type": "application/problem+json"},
			want:       []string{`"detail":"database unreachable"`, `"status":503`},
			unwanted:   []string{"sql", "closed", "ping"},
		}.run(t, h)
		id := w.Header().Get("X-Request-Id")
		if got := logs.String(); !strings.Contains(got, "database is closed") || !strings.Contains(got, id) {
			t.Errorf("log does not hold the ping error with request id %s:\n%s", id, got)
		}
	})
}

func TestRequestID(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		h := New(Config{Store: s})
		valid := "Abc-123_x.y"
		long := strings.Repeat("a", 128)
		for _, tc := range []struct {
			name, sent string
			echoed     bool
		}{
			{"valid", valid, true},
			{"128 chars", long, true},
			{"none", "", false},
			{"129 chars", long + "a", false},
			{"500 chars", strings.Repeat("b", 500), false},
			{"newline", "abc\ndef", false},
			{"space", "abc def", false},
			{"quote", `abc"def`, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for _, url := range []string{"/healthz", "/missing"} {
					sc := scenario{method: "GET", url: url, wantStatus: http.StatusOK}
					if url == "/missing" {
						sc.wantStatus = http.StatusNotFound
					}
					if tc.sent != "" {
						sc.header = map[string]string{"X-Request-Id": tc.sent}
					}
					w := sc.run(t, h)
					got := w.Header().Get("X-Request-Id")
					if tc.echoed && got != tc.sent {
						t.Errorf("GET %s: X-Request-Id = %q; want %q echoed", url, got, tc.sent)
					}
					if !tc.echoed && (got == tc.sent || !validRequestID(got)) {
						t.Errorf("GET %s: X-Request-Id = %q; want a fresh valid id", url, got)
					}
					if url == "/missing" && !strings.Contains(w.Body.String(), `"request_id":"`+got+`"`) {
						t.Errorf("GET %s: problem does not quote request id %q: %s", url, got, w.Body)
					}
				}
			})
		}
	})
}
