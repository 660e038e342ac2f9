package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/blob"
	"github.com/moviedb/moviedb/blob/blobtest"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

var _ Store = (*sqlstore.Store)(nil)

// cheapParams make password hashing take microseconds in tests.
var cheapParams = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// testStart is when every test API's clock starts.
var testStart = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// A clock is a settable time source, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// A testAPI is the API on a fresh store, both on one clock, with cheap
// password hashing and generous rate limits. It keeps every response body
// it gave, for leak checks. Its handler checks every request and response
// against the OpenAPI document (validatedHandler).
type testAPI struct {
	t     *testing.T
	store *sqlstore.Store
	blob  blob.Store
	srv   *server
	h     http.Handler
	clk   *clock
	logs  *logBuffer

	mu     sync.Mutex
	bodies []string
}

// runAPI runs fn on each engine with a fresh testAPI; configure, if not
// nil, changes its Config first.
func runAPI(t *testing.T, configure func(*Config), fn func(t *testing.T, api *testAPI)) {
	t.Helper()
	runAPIWith(t, "local", configure, fn)
}

// testBaseURL is the base URL of every test API.
const testBaseURL = "http://moviedb.test"

// runAPIWith is runAPI with uploads stored on a fresh backend of kind
// backend ("local" or "s3", see blobtest), kept in api.blob.
func runAPIWith(t *testing.T, backend string, configure func(*Config), fn func(t *testing.T, api *testAPI)) {
	t.Helper()
	clk := &clock{t: testStart}
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		clk.Set(testStart)
		log, logs := testLogger()
		b := blobtest.New(t, backend)
		cfg := Config{
			Store: s, Logger: log, Now: clk.Now,
			PasswordParams: cheapParams, BaseURL: testBaseURL,
			AuthRateLimit: RateLimit{Burst: 10_000, Every: time.Millisecond},
			Media: media.New(media.Config{Blob: b.Store, Store: s, BaseURL: testBaseURL, Now: clk.Now,
				Limits: media.Limits{MaxBytes: 256 << 10}}),
		}
		if configure != nil {
			configure(&cfg)
		}
		srv := newServer(cfg)
		fn(t, &testAPI{t: t, store: s, blob: b.Store, srv: srv, h: validatedHandler(t, srv), clk: clk, logs: logs})
	})
}

// do sends a request from 192.0.2.1 with token as bearer token and body as
// JSON, each unless empty.
func (api *testAPI) do(method, url, token, body string) *httptest.ResponseRecorder {
	return api.doFrom("192.0.2.1:1234", method, url, token, body)
}

// doFrom is do from remoteAddr.
func (api *testAPI) doFrom(remoteAddr, method, url, token, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, url, strings.NewReader(body))
	r.RemoteAddr = remoteAddr
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	api.h.ServeHTTP(w, r)
	api.mu.Lock()
	api.bodies = append(api.bodies, w.Body.String())
	api.mu.Unlock()
	return w
}

// want fails the test unless w has status.
func (api *testAPI) want(w *httptest.ResponseRecorder, status int, what string) {
	api.t.Helper()
	if w.Code != status {
		api.t.Fatalf("%s: status = %d; want %d\nbody: %s", what, w.Code, status, w.Body)
	}
}

// decode decodes w's JSON body into a T.
func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, w.Body, err)
	}
	return v
}

// register registers a user through the API.
func (api *testAPI) register(username, email, password string) userJSON {
	api.t.Helper()
	w := api.do("POST", "/api/v1/auth/register", "",
		`{"username":"`+username+`","email":"`+email+`","password":"`+password+`"}`)
	api.want(w, http.StatusCreated, "register "+username)
	return decode[userJSON](api.t, w)
}

// login logs in through the API.
func (api *testAPI) login(login, password string) loginJSON {
	api.t.Helper()
	w := api.do("POST", "/api/v1/auth/login", "", `{"login":"`+login+`","password":"`+password+`"}`)
	api.want(w, http.StatusOK, "login "+login)
	return decode[loginJSON](api.t, w)
}

// createUser creates a user with role through the store, as the CLI does,
// with password "pw-" + username.
func (api *testAPI) createUser(username, role string) *catalog.User {
	api.t.Helper()
	hash, err := auth.HashPassword("pw-"+username, cheapParams)
	if err != nil {
		api.t.Fatal(err)
	}
	u := &catalog.User{Username: username, Email: username + "@example.com", PasswordHash: hash, Role: role}
	if err := api.store.CreateUser(context.Background(), u); err != nil {
		api.t.Fatalf("CreateUser(%q): %v", username, err)
	}
	return u
}

// mintToken stores a new token of user id through the store and returns it.
func (api *testAPI) mintToken(userID int64) string {
	api.t.Helper()
	token, hash, err := auth.NewToken()
	if err != nil {
		api.t.Fatal(err)
	}
	t := &catalog.Token{Hash: hash, UserID: userID, ExpiresAt: api.clk.Now().Add(time.Hour)}
	if err := api.store.CreateToken(context.Background(), t); err != nil {
		api.t.Fatalf("CreateToken: %v", err)
	}
	return token
}

// movie creates a movie with only a title through the store.
func (api *testAPI) movie(title string) int64 {
	api.t.Helper()
	m := &catalog.Movie{Title: title}
	if err := api.store.CreateMovie(context.Background(), m); err != nil {
		api.t.Fatalf("CreateMovie(%q): %v", title, err)
	}
	return m.ID
}

// file creates a file stored under key through the store, without an
// uploader, as an import or a file from before uploads recorded theirs.
func (api *testAPI) file(key string) *catalog.File {
	api.t.Helper()
	return api.fileOf(key, nil)
}

// fileOf creates a file stored under key through the store, uploaded by
// user uploaderID (nil for nobody).
func (api *testAPI) fileOf(key string, uploaderID *int64) *catalog.File {
	api.t.Helper()
	f := &catalog.File{FileName: key + ".jpg", MimeType: "image/jpeg", Key: key, URL: testBaseURL + "/files/" + key, UploaderID: uploaderID}
	if err := api.store.CreateFile(context.Background(), f); err != nil {
		api.t.Fatalf("CreateFile(%q): %v", key, err)
	}
	return f
}

// wantNoSecrets fails the test if any response body or log line holds one
// of secrets or an argon2id hash.
func (api *testAPI) wantNoSecrets(secrets ...string) {
	api.t.Helper()
	api.mu.Lock()
	bodies := strings.Join(api.bodies, "\n")
	api.mu.Unlock()
	logs := api.logs.String()
	for _, secret := range append(secrets, "$argon2id", "argon2") {
		if strings.Contains(bodies, secret) {
			api.t.Errorf("a response body contains %q", secret)
		}
		if strings.Contains(logs, secret) {
			api.t.Errorf("the log contains %q:\n%s", secret, logs)
		}
	}
}

// thumbsJSON returns the thumbnails array the API gives a file stored
// under key in a test API.
func thumbsJSON(key string) string {
	if catalog.IsExternalKey(key) || blob.CheckKey(key) != nil {
		return "null"
	}
	return fmt.Sprintf(`{"url":"%s/files/%s?w={width}","widths":[92,185,342,500,780]}`, testBaseURL, key)
}
