package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/auth"
)

func TestProfile(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		api.register("dallas", "dallas@nostromo.example", "password1")
		me := api.register("ripley", "ripley@nostromo.example", "password1")
		token := api.login("ripley", "password1").Token
		bearer := map[string]string{"Authorization": "Bearer " + token}
		avatar := api.file("avatar")
		api.clk.Advance(time.Minute)

		runScenarios(t, api.h, []scenario{
			{name: "empty patch", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{}`,
				wantStatus: http.StatusOK, want: []string{`"username":"ripley"`, `"updated_at":"2026-01-02T03:04:05Z"`}},
			{name: "names", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"first_name":"Ellen","last_name":"Ripley"}`,
				wantStatus: http.StatusOK, want: []string{`"username":"ripley","first_name":"Ellen","last_name":"Ripley"`,
					`"updated_at":"2026-01-02T03:05:05Z"`}},
			{name: "username in other case", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"username":"Ripley"}`,
				wantStatus: http.StatusOK, want: []string{`"username":"Ripley","first_name":"Ellen"`}},
			{name: "email", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"email":"ellen@sulaco.example"}`,
				wantStatus: http.StatusOK, want: []string{`"email":"ellen@sulaco.example"`}},
			{name: "unknown field", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"role":"admin"}`,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"role":"is not a known field"}`}},
			{name: "password is not a profile field", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"password":"12345678"}`,
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"password":"is not a known field"}`}},
			{name: "bad values", method: "PATCH", url: "/api/v1/me", header: bearer,
				body:       `{"username":"x","email":"nope","first_name":"` + strings.Repeat("n", 101) + `"}`,
				wantStatus: http.StatusUnprocessableEntity,
				want:       []string{`"email":"must be a valid email address`, `"first_name":"must be at most 100 characters"`, `"username":"must be 3`}},
			{name: "username taken", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"username":"DALLAS"}`,
				wantStatus: http.StatusConflict, want: []string{`"errors":{"username":"this username is already taken"}`}},
			{name: "email taken", method: "PATCH", url: "/api/v1/me", header: bearer, body: `{"email":"Dallas@Nostromo.example"}`,
				wantStatus: http.StatusConflict, want: []string{`"errors":{"email":"this email is already registered"}`}},
			{name: "profile after", method: "GET", url: "/api/v1/me", header: bearer,
				wantStatus: http.StatusOK, want: []string{fmt.Sprintf(`{"id":%d,"username":"Ripley","first_name":"Ellen","last_name":"Ripley",`+
					`"email":"ellen@sulaco.example","role":"user","avatar_file_id":null,`, me.ID)}},

			{name: "avatar", method: "PUT", url: "/api/v1/me/avatar", header: bearer, body: fmt.Sprintf(`{"file_id":%d}`, avatar.ID),
				wantStatus: http.StatusOK, want: []string{fmt.Sprintf(`"avatar_file_id":%d`, avatar.ID)}},
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
