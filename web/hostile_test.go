package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestHostileInput sends malformed and extreme input to every kind of page
// and form: each gets a 4xx page or a correct answer, never a 500.
func TestHostileInput(t *testing.T) {
	s := sqltest.Open(t, sqlstore.SQLite, sqlstore.Options{})
	st := newSite(t, s, siteOptions{})
	admin := st.browser(t)
	admin.login("admin", adminPassword)
	movie := fmt.Sprintf("/movies/%d", st.ids.alien)
	for _, tc := range []struct{ path string }{
		{"/movies?page=99999999999999999999"}, {"/movies?page=1000000"}, {"/movies?year_from=-5"},
		{"/movies?min_duration=1e9"}, {"/movies?q=%22%27%3B--%20DROP%20TABLE%20movies"}, {"/movies?q=%00%ff"},
		{"/movies?genre=1&genre=99999999999999999999"}, {"/movies?country=0"}, {"/movies?sort=-"},
		{"/movies/99999999999999999999"}, {"/movies/-1"}, {"/persons/1e3"}, {"/persons?page=x"},
		{"/favorites?page=-1"}, {"/static/..%2fweb.go"}, {"/static/"}, {"/movies/1/edit/extra"},
	} {
		p := admin.get(tc.path)
		if p.status >= 500 || (p.status != 200 && p.status != 400 && p.status != 404) {
			t.Errorf("GET %s = %d; want 200, 400 or 404", tc.path, p.status)
		}
	}
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/admin/movies", url.Values{"title": {"X"}, "budget": {"1e400"}, "duration": {"99999999999999999999"}, "release_date": {"2020-02-30"}, "director_id": {"-1"}, "country_id": {"abc"}, "genre": {"x"}}},
		{"/admin/movies", url.Values{"title": {strings.Repeat("a", 301)}, "budget": {"-5"}, "release_date": {"0001-01-01"}}},
		{"/admin/movies", url.Values{"title": {"bad\x00byte"}, "description": {"\xff\xfe"}}},
		{movie + "/edit", url.Values{"title": {"X"}, "updated_at": {"not a time"}, "genre": {"999999"}}},
		{movie + "/cast", url.Values{"name": {"X"}, "role": {"leading"}, "person_id": {"999999"}}},
		{movie + "/cast/999999", url.Values{"role": {"leading"}}},
		{movie + "/cast/abc/remove", nil},
		{"/admin/persons", url.Values{"first_name": {"X"}, "date_of_birth": {"1700-01-01"}, "country_id": {"999999"}}},
		{fmt.Sprintf("/persons/%d/photos/999999/primary", st.ids.scott), nil},
		{"/account/profile", url.Values{"username": {"ad min"}, "email": {"a@b@c"}}},
		{"/account/password", url.Values{"current_password": {""}, "new_password": {strings.Repeat("x", 300)}}},
		{"/login", url.Values{"login": {strings.Repeat("x", 10000)}, "password": {"y"}}},
		{"/register", url.Values{"username": {"\xff\xfe"}, "email": {"x"}, "password": {"12345678"}}},
	} {
		p := admin.post(tc.path, tc.form)
		if p.status >= 500 || (p.status >= 200 && p.status < 400 && p.status != http.StatusSeeOther) {
			t.Errorf("POST %s %v = %d; want a 4xx page\n%s", tc.path, tc.form, p.status, p.body)
		}
		if p.status == http.StatusSeeOther {
			t.Errorf("POST %s %v = 303; want it refused", tc.path, tc.form)
		}
	}
	if m, err := s.MovieByID(context.Background(), st.ids.alien); err != nil || m.Title != "Alien" || m.Duration == nil {
		t.Errorf("Alien after refused edits = %+v, %v; want it unchanged", m, err)
	}
	// A form larger than any real one, and uploads that are not images or
	// not multipart at all.
	admin.post("/admin/persons", url.Values{"first_name": {strings.Repeat("x", 100_000)}}).wantStatus(t, "huge form", 400)
	admin.upload(movie+"/poster", "poster", "x.png", []byte{}).wantStatus(t, "empty upload", 422)
	admin.upload(movie+"/poster", "wrong_field", "x.png", testPNG(10, 10, 1)).wantStatus(t, "upload in another field", 422).
		wantBody(t, "upload in another field", `id="poster-error">is required`)
	admin.post(movie+"/poster", url.Values{"poster": {"not a file"}}).wantStatus(t, "urlencoded upload", 422)
}
