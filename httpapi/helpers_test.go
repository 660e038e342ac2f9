package httpapi

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// A scenario is one request and what its response must and must not hold.
type scenario struct {
	name       string
	method     string
	url        string
	header     map[string]string // set after a body's default Content-Type
	body       string            // sent as application/json unless header says otherwise
	wantStatus int
	wantHeader map[string]string // header name → substring of its value
	want       []string          // substrings of the body
	unwanted   []string          // substrings the body must not hold
}

// run sends sc's request to h and checks the response.
func (sc scenario) run(t *testing.T, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(sc.method, sc.url, strings.NewReader(sc.body))
	if sc.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range sc.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	body := w.Body.String()
	if w.Code != sc.wantStatus {
		t.Errorf("%s %s: status = %d; want %d\nbody: %s", sc.method, sc.url, w.Code, sc.wantStatus, body)
	}
	for k, v := range sc.wantHeader {
		if got := w.Header().Get(k); !strings.Contains(got, v) {
			t.Errorf("%s %s: header %s = %q; want it to contain %q", sc.method, sc.url, k, got, v)
		}
	}
	for _, s := range sc.want {
		if !strings.Contains(body, s) {
			t.Errorf("%s %s: body does not contain %q\nbody: %s", sc.method, sc.url, s, body)
		}
	}
	for _, s := range sc.unwanted {
		if strings.Contains(body, s) {
			t.Errorf("%s %s: body contains %q\nbody: %s", sc.method, sc.url, s, body)
		}
	}
	return w
}

// runScenarios runs each scenario in order, as a subtest, on the same handler.
func runScenarios(t *testing.T, h http.Handler, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, h) })
	}
}

// logBuffer collects log output; handlers may write to it from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testLogger returns a logger, at debug level, writing into the returned buffer.
func testLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// withID returns r with request id id in its context.
func withID(r *http.Request, id string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
}
