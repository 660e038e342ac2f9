package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

func TestWriteError(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		wantStatus int
		want       []string
		unwanted   []string
		wantLog    bool
	}{
		{
			name:       "not found",
			err:        fmt.Errorf("sqlstore: movie 42: %w", catalog.ErrNotFound),
			wantStatus: http.StatusNotFound,
			want:       []string{`"title":"Not Found"`, `"status":404`, `"detail":"the requested resource does not exist"`},
			unwanted:   []string{"sqlstore", "errors"},
		},
		{
			name: "conflict",
			err: fmt.Errorf("sqlstore: create user: %w", &catalog.ConflictError{
				Constraint: "users_username_key", Field: "username", Message: "this username is already taken",
			}),
			wantStatus: http.StatusConflict,
			want: []string{`"detail":"this username is already taken"`,
				`"errors":{"username":"this username is already taken"}`},
			unwanted: []string{"users_username_key", "sqlstore"},
		},
		{
			name:       "conflict without field",
			err:        &catalog.ConflictError{Constraint: "x", Message: "the person still directs movies"},
			wantStatus: http.StatusConflict,
			want:       []string{`"detail":"the person still directs movies"`},
			unwanted:   []string{`"errors"`},
		},
		{
			name:       "bare conflict",
			err:        fmt.Errorf("update: %w", catalog.ErrConflict),
			wantStatus: http.StatusConflict,
			want:       []string{`"status":409`},
		},
		{
			name: "validation",
			err: fmt.Errorf("create movie: %w", &catalog.ValidationError{Fields: map[string]string{
				"title": "must not be blank", "duration": "must be between 1 and 1000 minutes",
			}}),
			wantStatus: http.StatusUnprocessableEntity,
			want: []string{`"status":422`, `"title":"Unprocessable Entity"`,
				`"errors":{"duration":"must be between 1 and 1000 minutes","title":"must not be blank"}`},
			unwanted: []string{"create movie"},
		},
		{
			name:       "bare invalid",
			err:        catalog.ErrInvalid,
			wantStatus: http.StatusUnprocessableEntity,
		},
		{
			name:       "internal",
			err:        errors.New(`pgconn: password authentication failed for user "moviedb" at 10.0.0.5`),
			wantStatus: http.StatusInternalServerError,
			want:       []string{`"detail":"` + internalDetail + `"`, `"request_id":"req-err-1"`},
			unwanted:   []string{"pgconn", "password", "10.0.0.5", `"errors"`},
			wantLog:    true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log, logs := testLogger()
			s := &server{log: log}
			w := httptest.NewRecorder()
			r := withID(httptest.NewRequest("GET", "/x", nil), "req-err-1")
			s.writeError(w, r, tc.err)
			body := w.Body.String()
			if w.Code != tc.wantStatus {
				t.Errorf("writeError(%v) status = %d; want %d", tc.err, w.Code, tc.wantStatus)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q; want application/problem+json", ct)
			}
			want := append([]string{`"type":"about:blank"`, `"request_id":"req-err-1"`}, tc.want...)
			for _, s := range want {
				if !strings.Contains(body, s) {
					t.Errorf("body does not contain %q:\n%s", s, body)
				}
			}
			for _, s := range tc.unwanted {
				if strings.Contains(body, s) {
					t.Errorf("body contains %q:\n%s", s, body)
				}
			}
			logged := logs.String()
			if tc.wantLog && (!strings.Contains(logged, "password authentication failed") || !strings.Contains(logged, "req-err-1")) {
				t.Errorf("log does not hold the error and request id:\n%s", logged)
			}
			if !tc.wantLog && logged != "" {
				t.Errorf("logged a client error:\n%s", logged)
			}
		})
	}
}

func TestWriteErrorClientGone(t *testing.T) {
	log, logs := testLogger()
	s := &server{log: log}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	s.writeError(w, httptest.NewRequestWithContext(ctx, "GET", "/x", nil), fmt.Errorf("query: %w", context.Canceled))
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a canceled request was logged as an error:\n%s", logs)
	}
	if w.Code == http.StatusInternalServerError {
		t.Errorf("status = 500; a client going away is not a bug")
	}
}

func TestWriteJSON(t *testing.T) {
	log, logs := testLogger()
	s := &server{log: log}

	w := httptest.NewRecorder()
	s.writeJSON(w, httptest.NewRequest("GET", "/x", nil), http.StatusCreated, map[string]int{"id": 7})
	if w.Code != http.StatusCreated || w.Body.String() != "{\"id\":7}\n" || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("writeJSON = %d %q %q; want 201 application/json {\"id\":7}", w.Code, w.Header().Get("Content-Type"), w.Body)
	}

	w = httptest.NewRecorder()
	s.writeJSON(w, httptest.NewRequest("GET", "/x", nil), http.StatusOK, map[string]any{"c": make(chan int)})
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "chan") {
		t.Errorf("writeJSON(unencodable) = %d %s; want a generic 500", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "chan") {
		t.Errorf("encoding error not logged:\n%s", logs)
	}
}
