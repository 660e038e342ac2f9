package httpapi

import (
	"bytes"
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
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestAccountFlow walks a user through the whole account life: register,
// log in, favorite and unfavorite movies, log out, and find the token dead.
func TestAccountFlow(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		ctx := context.Background()
		const password = "in space nobody can hear you scream"

		w := api.do("POST", "/api/v1/auth/register", "",
			`{"username":"Ripley","first_name":"Ellen","last_name":"Ripley","email":"ripley@nostromo.example","password":"`+password+`"}`)
		api.want(w, http.StatusCreated, "register")
		var fields map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &fields); err != nil {
			t.Fatal(err)
		}
		wantKeys := []string{"id", "username", "first_name", "last_name", "email", "role", "avatar_file_id", "avatar", "created_at", "updated_at"}
		if len(fields) != len(wantKeys) {
			t.Errorf("register answered fields %v; want exactly %v", fields, wantKeys)
		}
		u := decode[userJSON](t, w)
		wantUser := userJSON{ID: u.ID, Username: "Ripley", FirstName: "Ellen", LastName: "Ripley",
			Email: "ripley@nostromo.example", Role: catalog.UserRole, CreatedAt: testStart, UpdatedAt: testStart}
		if u != wantUser || !strings.Contains(w.Body.String(), `"avatar_file_id":null,"avatar":null,"created_at":"2026-01-02T03:04:05Z"`) {
			t.Errorf("registered user = %s; want %+v", w.Body, wantUser)
		}

		w = api.do("POST", "/api/v1/auth/login", "", `{"login":"RIPLEY@nostromo.example","password":"`+password+`"}`)
		api.want(w, http.StatusOK, "login by email")
		if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("login Cache-Control = %q; want no-store", cc)
		}
		login := decode[loginJSON](t, w)
		if !auth.WellFormedToken(login.Token) || login.User != wantUser ||
			!login.ExpiresAt.Equal(testStart.Add(DefaultTokenTTL)) {
			t.Errorf("login = %s; want a token expiring at %v and the user", w.Body, testStart.Add(DefaultTokenTTL))
		}
		token := login.Token

		w = api.do("GET", "/api/v1/me", token, "")
		api.want(w, http.StatusOK, "GET /me")
		if got := decode[userJSON](t, w); got != wantUser {
			t.Errorf("GET /me = %+v; want %+v", got, wantUser)
		}

		alien, poster, director, photo := summaryFixture(t, api)
		bare := api.movie("Aliens")
		for i := range 2 {
			api.want(api.do("PUT", fmt.Sprintf("/api/v1/me/favorites/%d", alien), token, ""),
				http.StatusNoContent, fmt.Sprintf("PUT favorite, time %d", i+1))
		}
		api.clk.Advance(time.Minute)
		api.want(api.do("PUT", fmt.Sprintf("/api/v1/me/favorites/%d", bare), token, ""), http.StatusNoContent, "PUT second favorite")

		w = api.do("GET", "/api/v1/me/favorites", token, "")
		api.want(w, http.StatusOK, "list favorites")
		list := decode[listJSON[json.RawMessage]](t, w)
		if list.Page == nil || *list.Page != 1 || list.PerPage != 20 || list.Total != 2 || len(list.Items) != 2 {
			t.Fatalf("favorites = %s; want page 1 of 20 with 2 items", w.Body)
		}
		file := func(f *catalog.File) string {
			return fmt.Sprintf(`{"id":%d,"file_name":%q,"mime_type":"image/jpeg","key":%q,"url":%q,"thumbnails":%s}`, f.ID, f.FileName, f.Key, f.URL, thumbsJSON(f.Key))
		}
		wantItems := []string{
			fmt.Sprintf(`{"id":%d,"title":"Aliens","description":null,"budget":null,"release_date":null,"duration":null,"country_id":null,`+
				`"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z","poster":null,"director":null}`, bare),
			fmt.Sprintf(`{"id":%d,"title":"Alien","description":"In space.","budget":"11000000.50","release_date":"1979-05-25","duration":117,"country_id":null,`+
				`"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z","poster":%s,`+
				`"director":{"id":%d,"first_name":"Ridley","last_name":"Scott","photo":%s}}`, alien, file(poster), director, file(photo)),
		}
		for i, want := range wantItems {
			if got := string(list.Items[i]); got != want {
				t.Errorf("favorite %d =\n%s\nwant\n%s", i, got, want)
			}
		}

		for i := range 2 {
			api.want(api.do("DELETE", fmt.Sprintf("/api/v1/me/favorites/%d", alien), token, ""),
				http.StatusNoContent, fmt.Sprintf("DELETE favorite, time %d", i+1))
		}
		w = api.do("GET", "/api/v1/me/favorites", token, "")
		if list := decode[listJSON[movieSummaryJSON]](t, w); list.Total != 1 || len(list.Items) != 1 || list.Items[0].ID != bare {
			t.Errorf("favorites after DELETE = %s; want only movie %d", w.Body, bare)
		}

		api.want(api.do("POST", "/api/v1/auth/logout", token, ""), http.StatusNoContent, "logout")
		w = api.do("GET", "/api/v1/me", token, "")
		api.want(w, http.StatusUnauthorized, "GET /me after logout")
		if got := w.Header().Get("WWW-Authenticate"); got != `Bearer realm="moviedb", error="invalid_token"` {
			t.Errorf("WWW-Authenticate = %q; want an invalid_token challenge", got)
		}

		stored, err := api.store.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(stored.PasswordHash, "$argon2id$v=19$") {
			t.Errorf("users.password = %.20q…; want an argon2id PHC string", stored.PasswordHash)
		}
		api.wantNoSecrets(password, stored.PasswordHash, auth.HashToken(token))
		if strings.Contains(api.logs.String(), token) {
			t.Errorf("the log contains the token")
		}
	})
}

// summaryFixture creates a movie with every field of a movie summary set.
func summaryFixture(t *testing.T, api *testAPI) (movieID int64, poster *catalog.File, directorID int64, photo *catalog.File) {
	t.Helper()
	ctx := context.Background()
	poster, photo = api.file("poster"), api.file("scott")
	director := &catalog.Person{FirstName: "Ridley", LastName: "Scott"}
	if err := api.store.CreatePerson(ctx, director); err != nil {
		t.Fatal(err)
	}
	if _, err := api.store.AddPersonPhoto(ctx, director.ID, photo.ID, true); err != nil {
		t.Fatal(err)
	}
	budget, _ := catalog.ParseMoney("11000000.5")
	released, _ := catalog.ParseDate("1979-05-25")
	description, duration := "In space.", 117
	m := &catalog.Movie{Title: "Alien", Description: &description, Budget: &budget, ReleaseDate: &released,
		Duration: &duration, DirectorID: &director.ID, PosterFileID: &poster.ID}
	if err := api.store.CreateMovie(ctx, m); err != nil {
		t.Fatal(err)
	}
	return m.ID, poster, director.ID, photo
}

func TestRegisterErrors(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		api.register("ripley", "ripley@nostromo.example", "password1")
		const url = "/api/v1/auth/register"
		valid := func(username string) string {
			return `{"username":"` + username + `","email":"` + username + `@example.com","password":"12345678"}`
		}
		problemJSON := map[string]string{"Content-Type": "application/problem+json"}
		runScenarios(t, api.h, []scenario{
			{name: "no content type", method: "POST", url: url, body: valid("a1"),
				header: map[string]string{"Content-Type": ""}, wantStatus: http.StatusUnsupportedMediaType,
				wantHeader: problemJSON, want: []string{`"status":415`, "application/json"}},
			{name: "text/plain", method: "POST", url: url, body: valid("a2"),
				header: map[string]string{"Content-Type": "text/plain"}, wantStatus: http.StatusUnsupportedMediaType},
			{name: "latin-1", method: "POST", url: url, body: valid("a3"),
				header: map[string]string{"Content-Type": "application/json; charset=iso-8859-1"}, wantStatus: http.StatusUnsupportedMediaType},
			{name: "json with utf-8 charset", method: "POST", url: url, body: valid("dallas"),
				header: map[string]string{"Content-Type": "application/json; charset=UTF-8"}, wantStatus: http.StatusCreated},
			{name: "too large", method: "POST", url: url,
				body:       `{"username":"` + strings.Repeat("a", maxBodyBytes) + `"}`,
				wantStatus: http.StatusRequestEntityTooLarge, wantHeader: problemJSON,
				want: []string{`"status":413`, "1048576 bytes"}, unwanted: []string{"aaaa"}},
			{name: "too large after a value", method: "POST", url: url,
				body: valid("a4") + strings.Repeat(" ", maxBodyBytes), wantStatus: http.StatusRequestEntityTooLarge},
			{name: "unknown field", method: "POST", url: url,
				body:       `{"username":"kane","email":"kane@example.com","password":"12345678","role":"admin"}`,
				wantStatus: http.StatusBadRequest, wantHeader: problemJSON,
				want: []string{`"status":400`, `unknown field \"role\"`, `"errors":{"role":"is not a known field"}`}},
			{name: "syntax error", method: "POST", url: url, body: `{"username": }`,
				wantStatus: http.StatusBadRequest, want: []string{"not valid JSON (at byte 14)"}},
			{name: "ends early", method: "POST", url: url, body: `{"username":"kane"`,
				wantStatus: http.StatusBadRequest, want: []string{"not valid JSON (it ends early)"}},
			{name: "wrong type", method: "POST", url: url, body: `{"username":5}`,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"username":"must be a string"}`}},
			{name: "not an object", method: "POST", url: url, body: `["kane"]`,
				wantStatus: http.StatusBadRequest, want: []string{"the body must be an object"}},
			{name: "empty body", method: "POST", url: url, header: map[string]string{"Content-Type": "application/json"},
				wantStatus: http.StatusBadRequest, want: []string{"the body must not be empty"}},
			{name: "trailing value", method: "POST", url: url, body: valid("a5") + ` {}`,
				wantStatus: http.StatusBadRequest, want: []string{"a single JSON value"}},
			{name: "trailing garbage", method: "POST", url: url, body: valid("a6") + `x`,
				wantStatus: http.StatusBadRequest, want: []string{"a single JSON value"}},
			{name: "nothing valid", method: "POST", url: url, body: `{}`,
				wantStatus: http.StatusUnprocessableEntity, wantHeader: problemJSON,
				want: []string{`"status":422`, `"email":"is required"`, `"password":"must be 8 to 256 characters"`,
					`"username":"must be 3 to 32 characters, each a letter, digit, '_', '.' or '-'"`}},
			{name: "username too short", method: "POST", url: url, body: valid("ab"),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"username":`}},
			{name: "username too long", method: "POST", url: url, body: valid(strings.Repeat("a", 33)),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"username":`}},
			{name: "username of 32", method: "POST", url: url, body: valid(strings.Repeat("b", 32)),
				wantStatus: http.StatusCreated},
			{name: "username with space", method: "POST", url: url,
				body:       `{"username":"a b c","email":"abc@example.com","password":"12345678"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"username":`}},
			{name: "username not ascii", method: "POST", url: url,
				body:       `{"username":"über","email":"uber@example.com","password":"12345678"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"username":`}},
			{name: "username with _ . -", method: "POST", url: url, body: valid("a_b.c-d"), wantStatus: http.StatusCreated},
			{name: "email without at", method: "POST", url: url,
				body:       `{"username":"kane","email":"kane.example.com","password":"12345678"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"email":"must be a valid email address`}},
			{name: "email with name", method: "POST", url: url,
				body:       `{"username":"kane","email":"Kane <kane@example.com>","password":"12345678"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"email":`}},
			{name: "email with space", method: "POST", url: url,
				body:       `{"username":"kane","email":" kane@example.com","password":"12345678"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"email":`}},
			{name: "email too long", method: "POST", url: url,
				body:       `{"username":"kane","email":"` + strings.Repeat("k", 243) + `@example.com","password":"12345678"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"email":"must be at most 254 characters"}`}},
			{name: "names too long", method: "POST", url: url,
				body: `{"username":"kane","email":"kane@example.com","password":"12345678","first_name":"` +
					strings.Repeat("é", 101) + `","last_name":"` + strings.Repeat("é", 100) + `"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"first_name":"must be at most 100 characters"}`}},
			{name: "name with control character", method: "POST", url: url,
				body:       `{"username":"kane","email":"kane@example.com","password":"12345678","last_name":"K\u0000"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"last_name":"must not contain control characters"}`}},
			{name: "password of 7", method: "POST", url: url,
				body:       `{"username":"kane","email":"kane@example.com","password":"1234567"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"password":"must be 8 to 256 characters"}`}},
			{name: "password of 7 runes in 14 bytes", method: "POST", url: url,
				body:       `{"username":"kane","email":"kane@example.com","password":"ééééééé"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"password":`}},
			{name: "password of 257", method: "POST", url: url,
				body:       `{"username":"kane","email":"kane@example.com","password":"` + strings.Repeat("p", 257) + `"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"password":`}},
			{name: "password of 8 runes", method: "POST", url: url,
				body:       `{"username":"kane","email":"kane@example.com","password":"éééééééé"}`,
				wantStatus: http.StatusCreated},
			{name: "password of 256", method: "POST", url: url,
				body:       `{"username":"lambert","email":"lambert@example.com","password":"` + strings.Repeat("p", 256) + `"}`,
				wantStatus: http.StatusCreated},
			{name: "username taken in other case", method: "POST", url: url,
				body:       `{"username":"RIPLEY","email":"other@example.com","password":"12345678"}`,
				wantStatus: http.StatusConflict, wantHeader: problemJSON,
				want: []string{`"status":409`, `"errors":{"username":"this username is already taken"}`}},
			{name: "email taken in other case", method: "POST", url: url,
				body:       `{"username":"ellen","email":"RIPLEY@Nostromo.Example","password":"12345678"}`,
				wantStatus: http.StatusConflict, want: []string{`"errors":{"email":"this email is already registered"}`}},
		})
	})
}

func TestLoginErrors(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		api.register("ripley", "ripley@nostromo.example", "password1")
		api.login("RIPLEY", "password1")
		api.login("ripley@NOSTROMO.example", "password1")

		failed := func(body string) (string, http.Header) {
			t.Helper()
			w := scenario{method: "POST", url: "/api/v1/auth/login", body: body,
				header: map[string]string{"X-Request-Id": "req-login"}, wantStatus: http.StatusUnauthorized,
				want: []string{`"detail":"wrong login or password"`}}.run(t, api.h)
			return w.Body.String(), w.Header()
		}
		unknownBody, unknownHeader := failed(`{"login":"dallas","password":"password1"}`)
		wrongBody, wrongHeader := failed(`{"login":"ripley","password":"password2"}`)
		if unknownBody != wrongBody {
			t.Errorf("unknown login answered\n%s\nwrong password answered\n%s\nwant the same", unknownBody, wrongBody)
		}
		for _, h := range []http.Header{unknownHeader, wrongHeader} {
			if got := h.Get("WWW-Authenticate"); got != `Bearer realm="moviedb"` {
				t.Errorf("WWW-Authenticate = %q; want a bare Bearer challenge", got)
			}
		}

		runScenarios(t, api.h, []scenario{
			{name: "nothing", method: "POST", url: "/api/v1/auth/login", body: `{}`,
				wantStatus: http.StatusUnprocessableEntity,
				want:       []string{`"errors":{"login":"is required","password":"is required"}`}},
			{name: "unknown field", method: "POST", url: "/api/v1/auth/login",
				body: `{"login":"ripley","password":"password1","remember":true}`, wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"remember":"is not a known field"}`}},
			{name: "not json", method: "POST", url: "/api/v1/auth/login", body: `login=ripley&password=password1`,
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, wantStatus: http.StatusUnsupportedMediaType},
		})
		api.wantNoSecrets("password1", "password2")
	})
}

// TestLoginRehash checks that a login stores a fresh hash of a password
// hashed with other costs than the configured ones.
func TestLoginRehash(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		ctx := context.Background()
		old := cheapParams
		old.Time = 2
		hash, err := auth.HashPassword("password1", old)
		if err != nil {
			t.Fatal(err)
		}
		u := &catalog.User{Username: "parker", Email: "parker@example.com", PasswordHash: hash}
		if err := api.store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		api.login("parker", "password1")
		got, err := api.store.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PasswordHash == hash || auth.NeedsRehash(got.PasswordHash, cheapParams) || auth.VerifyPassword("password1", got.PasswordHash) != nil {
			t.Errorf("hash after login = %.30q…; want a new hash of the password with the configured costs", got.PasswordHash)
		}
	})
}

func TestBearerTokens(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		api.register("ripley", "ripley@nostromo.example", "password1")
		live := api.login("ripley", "password1").Token
		revoked := api.login("ripley", "password1").Token
		api.want(api.do("POST", "/api/v1/auth/logout", revoked, ""), http.StatusNoContent, "logout")
		unknown, _, _ := auth.NewToken()

		bare := map[string]string{"WWW-Authenticate": `Bearer realm="moviedb"`}
		invalidToken := map[string]string{"WWW-Authenticate": `Bearer realm="moviedb", error="invalid_token"`}
		invalidRequest := map[string]string{"WWW-Authenticate": `Bearer realm="moviedb", error="invalid_request"`}
		authz := func(v string) map[string]string { return map[string]string{"Authorization": v} }
		runScenarios(t, api.h, []scenario{
			{name: "live token", method: "GET", url: "/api/v1/me", header: authz("Bearer " + live),
				wantStatus: http.StatusOK, want: []string{`"username":"ripley"`}},
			{name: "scheme in lower case", method: "GET", url: "/api/v1/me", header: authz("bearer " + live),
				wantStatus: http.StatusOK},
			{name: "no token", method: "GET", url: "/api/v1/me",
				wantStatus: http.StatusUnauthorized, wantHeader: bare, want: []string{`"status":401`, "needs a bearer token"}},
			{name: "malformed token", method: "GET", url: "/api/v1/me", header: authz("Bearer not-a-token"),
				wantStatus: http.StatusUnauthorized, wantHeader: invalidToken, want: []string{"invalid, expired or revoked"}},
			{name: "unknown token", method: "GET", url: "/api/v1/me", header: authz("Bearer " + unknown),
				wantStatus: http.StatusUnauthorized, wantHeader: invalidToken},
			{name: "revoked token", method: "GET", url: "/api/v1/me", header: authz("Bearer " + revoked),
				wantStatus: http.StatusUnauthorized, wantHeader: invalidToken},
			{name: "other scheme", method: "GET", url: "/api/v1/me", header: authz("Basic cmlwbGV5OnBhc3N3b3JkMQ=="),
				wantStatus: http.StatusUnauthorized, wantHeader: invalidRequest},
			{name: "scheme only", method: "GET", url: "/api/v1/me", header: authz("Bearer"),
				wantStatus: http.StatusUnauthorized, wantHeader: invalidRequest},
			{name: "bad token on a public route", method: "POST", url: "/api/v1/auth/login",
				body: `{"login":"ripley","password":"password1"}`, header: authz("Bearer " + revoked),
				wantStatus: http.StatusUnauthorized, wantHeader: invalidToken},
			{name: "live token on a public route", method: "POST", url: "/api/v1/auth/login",
				body: `{"login":"ripley","password":"password1"}`, header: authz("Bearer " + live),
				wantStatus: http.StatusOK},
			{name: "bad token on an ops route", method: "GET", url: "/healthz", header: authz("Bearer " + revoked),
				wantStatus: http.StatusOK},
		})

		// A token is dead from its expiry on.
		api.clk.Advance(DefaultTokenTTL - time.Second)
		api.want(api.do("GET", "/api/v1/me", live, ""), http.StatusOK, "token a second before expiry")
		api.clk.Advance(time.Second)
		w := api.do("GET", "/api/v1/me", live, "")
		api.want(w, http.StatusUnauthorized, "expired token")
		if got := w.Header().Get("WWW-Authenticate"); got != invalidToken["WWW-Authenticate"] {
			t.Errorf("expired token: WWW-Authenticate = %q; want %q", got, invalidToken["WWW-Authenticate"])
		}
	})
}

func TestTokenTTL(t *testing.T) {
	runAPI(t, func(c *Config) { c.TokenTTL = time.Hour }, func(t *testing.T, api *testAPI) {
		api.register("ripley", "ripley@nostromo.example", "password1")
		login := api.login("ripley", "password1")
		if want := testStart.Add(time.Hour); !login.ExpiresAt.Equal(want) {
			t.Errorf("expires_at = %v; want %v", login.ExpiresAt, want)
		}
		api.clk.Advance(time.Hour)
		api.want(api.do("GET", "/api/v1/me", login.Token, ""), http.StatusUnauthorized, "token after its hour")
	})
}

func TestAuthRateLimits(t *testing.T) {
	// The zero AuthRateLimit is the default: 10 at once, then one per 6 s.
	runAPI(t, func(c *Config) { c.AuthRateLimit = RateLimit{} }, func(t *testing.T, api *testAPI) {
		api.register("ripley", "ripley@nostromo.example", "password1")
		login := func(ip, name string) *http.Response {
			return api.doFrom(ip+":4321", "POST", "/api/v1/auth/login", "",
				`{"login":"`+name+`","password":"wrong-password"}`).Result()
		}
		wantLimited := func(res *http.Response, what string) {
			t.Helper()
			body := new(bytes.Buffer)
			body.ReadFrom(res.Body)
			if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "6" ||
				!strings.Contains(body.String(), `"status":429`) {
				t.Errorf("%s: %d Retry-After %q %s; want 429 with Retry-After 6", what, res.StatusCode, res.Header.Get("Retry-After"), body)
			}
		}

		t.Run("login per IP", func(t *testing.T) {
			for i := range 10 {
				if res := login("198.51.100.1", fmt.Sprintf("nobody%d", i)); res.StatusCode != http.StatusUnauthorized {
					t.Fatalf("login %d = %d; want 401", i+1, res.StatusCode)
				}
			}
			wantLimited(login("198.51.100.1", "nobody10"), "11th login from one IP")
			if res := login("198.51.100.2", "nobody11"); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("login from another IP = %d; want 401", res.StatusCode)
			}
			api.clk.Advance(6 * time.Second)
			if res := login("198.51.100.1", "nobody12"); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("login 6 s later = %d; want 401", res.StatusCode)
			}
			wantLimited(login("198.51.100.1", "nobody13"), "the next one")
		})

		t.Run("login per account", func(t *testing.T) {
			for i := range 10 {
				if res := login(fmt.Sprintf("203.0.113.%d", i), "Ripley"); res.StatusCode != http.StatusUnauthorized {
					t.Fatalf("login %d = %d; want 401", i+1, res.StatusCode)
				}
			}
			wantLimited(login("203.0.113.99", "RIPLEY"), "11th login to one account")
		})

		t.Run("register per IP", func(t *testing.T) {
			for i := range 10 {
				w := api.doFrom("192.0.2.200:1", "POST", "/api/v1/auth/register", "", `{}`)
				if w.Code != http.StatusUnprocessableEntity {
					t.Fatalf("register %d = %d; want 422", i+1, w.Code)
				}
			}
			wantLimited(api.doFrom("192.0.2.200:1", "POST", "/api/v1/auth/register", "", `{}`).Result(), "11th registration")
		})
	})
}

// TestLoginBudgetPerAccount checks that an account has one budget of login
// attempts whichever of its logins is sent: ten wrong passwords, given by
// username and email in turn, each from another address, refuse the
// eleventh attempt even with the right password, and the password change
// draws on the same budget. A login that names no account is limited
// alike, with the same answer.
func TestLoginBudgetPerAccount(t *testing.T) {
	runAPI(t, func(c *Config) { c.AuthRateLimit = RateLimit{} }, func(t *testing.T, api *testAPI) {
		me := api.register("ripley", "ripley@nostromo.example", "password1")
		token := api.mintToken(me.ID)
		api.register("dallas", "dallas@nostromo.example", "password1")
		ip := 0
		login := func(name, password string) *httptest.ResponseRecorder {
			ip++
			return api.doFrom(fmt.Sprintf("203.0.113.%d:4321", ip), "POST", "/api/v1/auth/login", "",
				`{"login":"`+name+`","password":"`+password+`"}`)
		}
		wantLimited := func(w *httptest.ResponseRecorder, what string) string {
			t.Helper()
			if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "6" {
				t.Errorf("%s: %d Retry-After %q %s; want 429 with Retry-After 6", what, w.Code, w.Header().Get("Retry-After"), w.Body)
			}
			body, _, _ := strings.Cut(w.Body.String(), `"request_id"`)
			return body
		}

		for i := range 10 {
			name := []string{"ripley", "RIPLEY@nostromo.example"}[i%2]
			api.want(login(name, "wrong-password"), http.StatusUnauthorized, fmt.Sprintf("wrong password %d (%s)", i+1, name))
		}
		known := wantLimited(login("ripley", "password1"), "11th attempt, right password, by username")
		wantLimited(login("ripley@nostromo.example", "password1"), "11th attempt, right password, by email")
		wantLimited(api.do("PUT", "/api/v1/me/password", token, `{"current_password":"password1","new_password":"password2"}`),
			"password change after ten wrong logins")
		api.want(login("dallas", "password1"), http.StatusOK, "login to another account")

		for i := range 10 {
			name := []string{"kane", "Kane"}[i%2]
			api.want(login(name, "password1"), http.StatusUnauthorized, fmt.Sprintf("unknown login %d", i+1))
		}
		unknown := wantLimited(login("KANE", "password1"), "11th attempt at an unknown login")
		if known != unknown {
			t.Errorf("a spent account answered\n%s\nan unknown login\n%s\nwant the same", known, unknown)
		}
	})
}

// TestRegisterRace registers one username, and then one email, from many
// goroutines at once: exactly one wins, the others get a 409 naming the
// field, none a 500.
func TestRegisterRace(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		for _, field := range []string{"username", "email"} {
			t.Run(field, func(t *testing.T) {
				const n = 20
				statuses := make([]int, n)
				bodies := make([]string, n)
				var wg sync.WaitGroup
				for i := range n {
					wg.Go(func() {
						username, email := fmt.Sprintf("hicks%d", i), "hicks@sulaco.example"
						if field == "username" {
							username, email = "hicks", fmt.Sprintf("hicks%d@sulaco.example", i)
						}
						w := api.do("POST", "/api/v1/auth/register", "",
							`{"username":"`+username+`","email":"`+email+`","password":"12345678"}`)
						statuses[i], bodies[i] = w.Code, w.Body.String()
					})
				}
				wg.Wait()
				created := 0
				for i, status := range statuses {
					switch {
					case status == http.StatusCreated:
						created++
					case status == http.StatusConflict && strings.Contains(bodies[i], `"errors":{"`+field+`":`):
					default:
						t.Errorf("registration %d = %d %s; want 201 or a 409 on %s", i, status, bodies[i], field)
					}
				}
				if created != 1 {
					t.Errorf("%d registrations succeeded; want exactly 1", created)
				}
			})
		}
	})
}

// BenchmarkLogin measures logins with the default argon2id costs on
// SQLite: with the right password, a wrong one, and a login naming no
// account. The last two should cost about the same.
func BenchmarkLogin(b *testing.B) {
	ctx := context.Background()
	s := sqltest.Open(b, sqlstore.SQLite, sqlstore.Options{})
	h := New(Config{Store: s, AuthRateLimit: RateLimit{Burst: 1 << 30, Every: time.Nanosecond}})
	hash, err := auth.HashPassword("password1", auth.DefaultParams)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.CreateUser(ctx, &catalog.User{Username: "ripley", Email: "ripley@example.com", PasswordHash: hash}); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name, login, password string
		status                int
	}{
		{"account", "ripley", "password1", http.StatusOK},
		{"wrong password", "ripley", "password2", http.StatusUnauthorized},
		{"no account", "dallas", "password1", http.StatusUnauthorized},
	} {
		b.Run(bc.name, func(b *testing.B) {
			body := `{"login":"` + bc.login + `","password":"` + bc.password + `"}`
			for b.Loop() {
				r := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != bc.status {
					b.Fatalf("login = %d %s; want %d", w.Code, w.Body, bc.status)
				}
			}
		})
	}
}
