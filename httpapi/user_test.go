package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media/mediatest"
)

func TestProfile(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		dallas := api.register("dallas", "dallas@nostromo.example", "password1")
		me := api.register("ripley", "ripley@nostromo.example", "password1")
		token := api.login("ripley", "password1").Token
		theirs, imported := api.fileOf("dallas-avatar", &dallas.ID), api.file("imported")
		bearer := map[string]string{"Authorization": "Bearer " + token}
		avatar := api.fileOf("avatar", &me.ID)
		api.clk.Advance(time.Minute)

		runScenarios(t, api.h, []scenario{
			{name: "empty patch", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{}`,
				wantStatus: http.StatusOK, want: []string{`"username":"ripley"`, `"updated_at":"2026-01-02T03:04:05Z"`}},
			{name: "names", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"first_name":"Ellen","last_name":"Ripley"}`,
				wantStatus: http.StatusOK, want: []string{`"username":"ripley","first_name":"Ellen","last_name":"Ripley"`,
					`"updated_at":"2026-01-02T03:05:05Z"`}},
			{name: "username in other case", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"username":"Ripley"}`,
				wantStatus: http.StatusOK, want: []string{`"username":"Ripley","first_name":"Ellen"`}},
			{name: "email", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"email":"ellen@sulaco.example","current_password":"password1"}`,
				wantStatus: http.StatusOK, want: []string{`"email":"ellen@sulaco.example"`}},
			{name: "current password of the wrong type", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"current_password":1}`,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"current_password":"must be a string"}`}},
			{name: "unknown field", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"role":"admin"}`,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"role":"is not a known field"}`}},
			{name: "password is not a profile field", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"password":"12345678"}`,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"password":"is not a known field"}`}},
			{name: "bad values", method: "PATCH", url: "/api/v1/me", header: bearer,
				body:       `{"username":"x","email":"nope","first_name":"` + strings.Repeat("n", 101) + `"}`,
				wantStatus: http.StatusUnprocessableEntity,
				want:       []string{`"email":"must be a valid email address`, `"first_name":"must be at most 100 characters"`, `"username":"must be 3`}},
			{name: "username taken", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"username":"DALLAS","current_password":"password1"}`,
				wantStatus: http.StatusConflict, want: []string{`"errors":{"username":"this username is already taken"}`}},
			{name: "email taken", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"email":"Dallas@Nostromo.example","current_password":"password1"}`,
				wantStatus: http.StatusConflict, want: []string{`"errors":{"email":"this email is already registered"}`}},
			{name: "profile after", method: "GET", url: "/api/v1/me", header: bearer,
				wantStatus: http.StatusOK, want: []string{fmt.Sprintf(`{"id":%d,"username":"Ripley","first_name":"Ellen","last_name":"Ripley",`+
					`"email":"ellen@sulaco.example","role":"user","avatar_file_id":null,`, me.ID)}},

			{name: "avatar", method: "PUT", url: "/api/v1/me/avatar", header: bearer, body: fmt.Sprintf(`{"file_id":%d}`, avatar.ID),
				wantStatus: http.StatusOK, want: []string{fmt.Sprintf(`"avatar_file_id":%d`, avatar.ID)}},
			{name: "avatar with another user's file", method: "PUT", url: "/api/v1/me/avatar", header: bearer,
				body: fmt.Sprintf(`{"file_id":%d}`, theirs.ID), wantStatus: http.StatusForbidden,
				want: []string{`"errors":{"file_id":"is not a file you uploaded; only your own uploads can be your avatar"}`}},
			{name: "avatar with a file nobody uploaded", method: "PUT", url: "/api/v1/me/avatar", header: bearer,
				body: fmt.Sprintf(`{"file_id":%d}`, imported.ID), wantStatus: http.StatusForbidden, want: []string{`"errors":{"file_id":`}},
			{name: "avatar without file", method: "PUT", url: "/api/v1/me/avatar", header: bearer, body: `{}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"file_id":"is required"}`}},
			{name: "avatar with unknown file", method: "PUT", url: "/api/v1/me/avatar", header: bearer, body: `{"file_id":999}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"file_id":"no file has id 999"}`}},
			{name: "avatar id of the wrong type", method: "PUT", url: "/api/v1/me/avatar", header: bearer, body: `{"file_id":"1"}`,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"file_id":"must be a whole number"}`}},
			{name: "avatar id not whole", method: "PUT", url: "/api/v1/me/avatar", header: bearer, body: `{"file_id":1.5}`,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"file_id":"must be a whole number in range"}`}},
			{name: "avatar kept", method: "GET", url: "/api/v1/me", header: bearer,
				wantStatus: http.StatusOK, want: []string{fmt.Sprintf(`"avatar_file_id":%d`, avatar.ID)}},
			{name: "remove avatar", method: "DELETE", url: "/api/v1/me/avatar", header: bearer, wantStatus: http.StatusNoContent},
			{name: "remove avatar again", method: "DELETE", url: "/api/v1/me/avatar", header: bearer, wantStatus: http.StatusNoContent},
			{name: "avatar gone", method: "GET", url: "/api/v1/me", header: bearer,
				wantStatus: http.StatusOK, want: []string{`"avatar_file_id":null`}},
		})
	})
}

// TestProfileLoginChange checks that changing the email or the username,
// both logins, takes the current password: refused without it or with a
// wrong one (a 422 on current_password, before the store is asked whether
// the new value is taken), accepted with it. A change of letter case, or
// of the names, takes none.
func TestProfileLoginChange(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		api.register("dallas", "dallas@nostromo.example", "password1")
		api.register("ripley", "ripley@nostromo.example", "password1")
		bearer := map[string]string{"Authorization": "Bearer " + api.login("ripley", "password1").Token}
		patch := func(name, body string, status int, want ...string) scenario {
			return scenario{name: name, method: "PATCH", url: "/api/v1/me", header: bearer, body: body, wantStatus: status, want: want}
		}
		const required = `"errors":{"current_password":"is required to change the username or email"}`
		const wrong = `"errors":{"current_password":"is wrong"}`
		runScenarios(t, api.h, []scenario{
			patch("email without current password", `{"email":"ellen@sulaco.example"}`, http.StatusUnprocessableEntity, required),
			patch("email with empty current password", `{"email":"ellen@sulaco.example","current_password":""}`, http.StatusUnprocessableEntity, required),
			patch("email with wrong current password", `{"email":"ellen@sulaco.example","current_password":"password2"}`, http.StatusUnprocessableEntity, wrong),
			patch("taken email without current password", `{"email":"dallas@nostromo.example"}`, http.StatusUnprocessableEntity, required),
			patch("taken email with wrong current password", `{"email":"dallas@nostromo.example","current_password":"password2"}`, http.StatusUnprocessableEntity, wrong),
			patch("username without current password", `{"username":"ellen"}`, http.StatusUnprocessableEntity, required),
			patch("username with wrong current password", `{"username":"ellen","current_password":"password2"}`, http.StatusUnprocessableEntity, wrong),
			patch("bad email and no password", `{"email":"nope"}`, http.StatusUnprocessableEntity,
				`"current_password":"is required to change the username or email"`, `"email":"must be a valid email address`),
			{name: "unchanged", method: "GET", url: "/api/v1/me", header: bearer, wantStatus: http.StatusOK,
				want: []string{`"username":"ripley"`, `"email":"ripley@nostromo.example"`}},
			patch("same email in other case", `{"email":"RIPLEY@nostromo.example","username":"Ripley","first_name":"Ellen"}`, http.StatusOK,
				`"username":"Ripley","first_name":"Ellen"`, `"email":"RIPLEY@nostromo.example"`),
			patch("email with current password", `{"email":"ellen@sulaco.example","current_password":"password1"}`, http.StatusOK,
				`"email":"ellen@sulaco.example"`),
			patch("username with current password", `{"username":"ellen","current_password":"password1"}`, http.StatusOK,
				`"username":"ellen"`),
			{name: "login by the new email", method: "POST", url: "/api/v1/auth/login",
				body: `{"login":"ellen@sulaco.example","password":"password1"}`, wantStatus: http.StatusOK},
		})
		api.wantNoSecrets("password1", "password2")
	})
}

// TestProfileRateLimit checks that PATCH /me, which tells whether a
// username or email is taken, is limited per account (the default: 10 at
// once, then one every 6 seconds), with a 429 and Retry-After, whatever
// address the requests come from, and without touching another account's
// budget.
func TestProfileRateLimit(t *testing.T) {
	runAPI(t, func(c *Config) { c.AuthRateLimit = RateLimit{} }, func(t *testing.T, api *testAPI) {
		ripley := api.register("ripley", "ripley@nostromo.example", "password1")
		dallas := api.register("dallas", "dallas@nostromo.example", "password1")
		token, other := api.mintToken(ripley.ID), api.mintToken(dallas.ID)
		patch := func(i int, token, body string) *httptest.ResponseRecorder {
			return api.doFrom(fmt.Sprintf("203.0.113.%d:1", i), "PATCH", "/api/v1/me", token, body)
		}
		for i := range 10 {
			// Probing for a taken email, the use the limit is for, in
			// turn with changes of a name.
			body := fmt.Sprintf(`{"first_name":"E%d"}`, i)
			if i%2 == 1 {
				body = `{"email":"dallas@nostromo.example","current_password":"password1"}`
			}
			if w := patch(i, token, body); w.Code != http.StatusOK && w.Code != http.StatusConflict {
				t.Fatalf("PATCH %d = %d %s; want 200 or 409", i+1, w.Code, w.Body)
			}
		}
		w := patch(10, token, `{"first_name":"Ellen"}`)
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "6" || !strings.Contains(w.Body.String(), `"status":429`) {
			t.Errorf("11th PATCH = %d Retry-After %q %s; want 429 with Retry-After 6", w.Code, w.Header().Get("Retry-After"), w.Body)
		}
		api.want(patch(11, other, `{"first_name":"Tom"}`), http.StatusOK, "another account's PATCH")
		api.clk.Advance(6 * time.Second)
		api.want(patch(12, token, `{"first_name":"Ellen"}`), http.StatusOK, "PATCH 6 s later")
	})
}

// TestAvatarOwnUploadsOnly checks that PUT /me/avatar {"file_id"} takes
// only a file the user uploaded, through the API's own upload routes:
// another user's upload and a file nobody uploaded (an import) are a 403
// naming file_id and change nothing; the user's own upload, an admin's
// POST /files, is accepted.
func TestAvatarOwnUploadsOnly(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		ripley := api.mintToken(api.createUser("ripley", catalog.UserRole).ID)
		admin := api.mintToken(api.createUser("dallas", catalog.AdminRole).ID)
		choose := func(token string, id int64) *httptest.ResponseRecorder {
			return api.do("PUT", "/api/v1/me/avatar", token, fmt.Sprintf(`{"file_id":%d}`, id))
		}
		avatarOf := func(token string) *int64 {
			t.Helper()
			return decode[userJSON](t, api.do("GET", "/api/v1/me", token, "")).AvatarFileID
		}
		wantRefused := func(w *httptest.ResponseRecorder, what string) {
			t.Helper()
			if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), `"errors":{"file_id":"is not a file you uploaded`) {
				t.Errorf("%s = %d %s; want 403 naming file_id", what, w.Code, w.Body)
			}
		}

		w := api.upload("PUT", "/api/v1/me/avatar", ripley, "me.png", mediatest.PNG(30, 30))
		api.want(w, http.StatusOK, "ripley uploads an avatar")
		mine := *decode[userJSON](t, w).AvatarFileID
		w = api.upload("POST", "/api/v1/files", admin, "poster.png", mediatest.PNG(40, 60))
		api.want(w, http.StatusCreated, "dallas uploads a file")
		theirs := decode[fileJSON](t, w).ID
		imported := api.file("imported").ID

		wantRefused(choose(ripley, theirs), "ripley chooses dallas's upload")
		wantRefused(choose(ripley, imported), "ripley chooses an imported file")
		wantRefused(choose(admin, mine), "dallas, an admin, chooses ripley's avatar")
		wantRefused(choose(admin, imported), "dallas chooses an imported file")
		if got := avatarOf(ripley); got == nil || *got != mine {
			t.Errorf("ripley's avatar after refusals = %v; want %d", got, mine)
		}
		if got := avatarOf(admin); got != nil {
			t.Errorf("dallas's avatar after refusals = %d; want none", *got)
		}

		api.want(choose(admin, theirs), http.StatusOK, "dallas chooses their own upload")
		if got := avatarOf(admin); got == nil || *got != theirs {
			t.Errorf("dallas's avatar = %v; want %d", got, theirs)
		}
		api.want(choose(ripley, mine), http.StatusOK, "ripley chooses their own avatar again")
	})
}

// TestPasswordChange checks that a password change needs the current
// password and revokes every other token of the user, but not the one used.
func TestPasswordChange(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		ctx := context.Background()
		me := api.register("ripley", "ripley@nostromo.example", "password1")
		current := api.login("ripley", "password1").Token
		other := api.login("ripley", "password1").Token
		api.register("dallas", "dallas@nostromo.example", "password1")
		bystanderToken := api.login("dallas", "password1").Token
		bearer := map[string]string{"Authorization": "Bearer " + current}

		runScenarios(t, api.h, []scenario{
			{name: "wrong current password", method: "PUT", url: "/api/v1/me/password", header: bearer,
				body:       `{"current_password":"password2","new_password":"new-password"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"current_password":"is wrong"}`}},
			{name: "missing fields", method: "PUT", url: "/api/v1/me/password", header: bearer, body: `{}`,
				wantStatus: http.StatusUnprocessableEntity,
				want:       []string{`"errors":{"current_password":"is required","new_password":"must be 8 to 256 characters"}`}},
			{name: "new password too short", method: "PUT", url: "/api/v1/me/password", header: bearer,
				body:       `{"current_password":"password1","new_password":"short"}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"errors":{"new_password":`}},
			{name: "unknown field", method: "PUT", url: "/api/v1/me/password", header: bearer,
				body:       `{"current_password":"password1","new_password":"new-password","confirm":"new-password"}`,
				wantStatus: http.StatusBadRequest},
			{name: "other token still alive", method: "GET", url: "/api/v1/me",
				header: map[string]string{"Authorization": "Bearer " + other}, wantStatus: http.StatusOK},
			{name: "change", method: "PUT", url: "/api/v1/me/password", header: bearer,
				body: `{"current_password":"password1","new_password":"new-password"}`, wantStatus: http.StatusNoContent},
			{name: "current token kept", method: "GET", url: "/api/v1/me", header: bearer, wantStatus: http.StatusOK},
			{name: "other token revoked", method: "GET", url: "/api/v1/me",
				header: map[string]string{"Authorization": "Bearer " + other}, wantStatus: http.StatusUnauthorized},
			{name: "another user's token kept", method: "GET", url: "/api/v1/me",
				header: map[string]string{"Authorization": "Bearer " + bystanderToken}, wantStatus: http.StatusOK},
			{name: "old password refused", method: "POST", url: "/api/v1/auth/login",
				body: `{"login":"ripley","password":"password1"}`, wantStatus: http.StatusUnauthorized},
			{name: "new password accepted", method: "POST", url: "/api/v1/auth/login",
				body: `{"login":"ripley","password":"new-password"}`, wantStatus: http.StatusOK},
		})

		stored, err := api.store.UserByID(ctx, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(stored.PasswordHash, "$argon2id$") || auth.VerifyPassword("new-password", stored.PasswordHash) != nil {
			t.Errorf("users.password after the change is not an argon2id hash of the new password")
		}
		api.wantNoSecrets("password1", "new-password", stored.PasswordHash, auth.HashToken(current), auth.HashToken(other))
	})
}
