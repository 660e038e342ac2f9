package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/ratelimit"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
	"github.com/moviedb/moviedb/web/webtest"
)

func TestPages(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		b := st.browser(t)
		ids := st.ids
		b.get("/").wantStatus(t, "home", 200).
			wantBody(t, "home", "Recently added", "Most favorited", `href="/movies/`+fmt.Sprint(ids.alien)+`"`,
				`alt="Poster of Alien"`, `loading="lazy"`, `href="/about"`)
		b.get(fmt.Sprintf("/movies/%d", ids.alien)).wantStatus(t, "movie", 200).
			wantBody(t, "movie", "<h1>Alien", "1979-05-25", "1 h 57 min", "$11,000,000", "United States",
				"Science Fiction", "Horror", "Ridley Scott", "Leading", "Supporting", "Background",
				"Sigourney Weaver", "as Ellen Ripley", "Unknown actor", "as Jones the cat",
				"1 person keeps it as a favorite", "Log in to add to favorites", `alt="Ridley Scott"`).
			wantNotBody(t, "movie", "Edit this movie")
		b.get(fmt.Sprintf("/movies/%d", ids.amelie)).wantStatus(t, "movie", 200).
			wantBody(t, "movie with a fractional budget", "Amélie", "$10,000,000.50", "France")
		b.get(fmt.Sprintf("/movies/%d", ids.noPoster)).wantStatus(t, "movie without poster", 200).
			wantBody(t, "movie without poster", `class="noposter big"`)
		b.get(fmt.Sprintf("/persons/%d", ids.scott)).wantStatus(t, "person", 200).
			wantBody(t, "person", "Ridley Scott", "1937-11-30", "(age ", "United Kingdom", "two paragraphs",
				"Director of", "Blade Runner", "Photos", `alt="Ridley Scott"`)
		b.get(fmt.Sprintf("/persons/%d", ids.weaver)).wantStatus(t, "actor", 200).
			wantBody(t, "actor", "Actor in", "Alien", "as Ellen Ripley")
		b.get("/persons?q=sig").wantStatus(t, "persons", 200).wantBody(t, "persons", "Sigourney Weaver").
			wantNotBody(t, "persons", "Harrison")
		b.get("/login").wantStatus(t, "login", 200).wantBody(t, "login", `<label for="login">`)
		b.get("/register").wantStatus(t, "register", 200)

		for _, path := range []string{"/movies/999999", "/movies/abc", "/movies/0", "/persons/999999", "/nope", "/static/nope.css"} {
			b.get(path).wantStatus(t, path, 404).wantBody(t, path, "Page not found", `href="/static/site.css`)
		}
		if p := b.get("/favorites"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/login?next=%2Ffavorites" {
			t.Errorf("/favorites signed out = %d to %q; want 303 to the login page", p.status, p.header.Get("Location"))
		}
	})
}

// resultTitles returns the titles of the movie cards of a page, in order.
func resultTitles(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<span class="card-title">([^<]*)</span>`).FindAllStringSubmatch(body, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

func TestSearch(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		b := st.browser(t)
		ids := st.ids
		for _, tc := range []struct {
			name, query string
			want        []string
		}{
			{"everything by title", "", []string{"Alien", "Amélie", "Blade Runner", "Gladiator", "Thelma & Louise"}},
			{"title text", "q=alie", []string{"Alien"}},
			{"title without accent", "q=amelie", []string{"Amélie"}},
			{"two genres, all", fmt.Sprintf("genre=%d&genre=%d&genre_match=all", ids.scifi, ids.drama), []string{"Blade Runner"}},
			{"two genres, any", fmt.Sprintf("genre=%d&genre=%d&genre_match=any&sort=-release_date", ids.scifi, ids.comedy), []string{"Amélie", "Blade Runner", "Alien"}},
			{"country", fmt.Sprintf("country=%d", ids.france), []string{"Amélie"}},
			{"year range", "year_from=1980&year_to=1995", []string{"Blade Runner", "Thelma & Louise"}},
			{"duration range, longest first", "min_duration=120&max_duration=140&sort=-duration", []string{"Thelma & Louise", "Amélie"}},
			{"genre and year", fmt.Sprintf("genre=%d&year_to=1990", ids.drama), []string{"Blade Runner"}},
			{"most favorited, ties by id", "sort=-popularity", []string{"Alien", "Blade Runner", "Thelma & Louise", "Amélie", "Gladiator"}},
		} {
			p := b.get("/movies?"+tc.query).wantStatus(t, tc.name, 200)
			if got := resultTitles(p.body); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%s: /movies?%s = %q; want %q", tc.name, tc.query, got, tc.want)
			}
		}
		// The form keeps what was searched, so the URL is the search.
		b.get(fmt.Sprintf("/movies?q=alien&genre=%d&country=%d&sort=-budget", ids.horror, ids.usa)).
			wantBody(t, "form values", `value="alien"`, fmt.Sprintf(`value="%d" checked`, ids.horror),
				fmt.Sprintf(`value="%d" selected`, ids.usa), `value="-budget" selected`)
		for _, tc := range []struct{ query, field, msg string }{
			{"year_from=soon", "year_from", "must be a whole number"},
			{"year_from=2000&year_to=1990", "year_to", "must not be before the first year"},
			{"genre=drama", "genre", "must be chosen from the list"},
			{"sort=rating", "sort", "must be chosen from the list"},
			{"genre_match=most", "genre_match", "must be any or all"},
			{"page=0", "page", "must be a whole number"},
		} {
			b.get("/movies?"+tc.query).wantStatus(t, tc.query, 400).wantBody(t, tc.query, tc.msg)
		}
	})
}

func TestPagination(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		st := newSite(t, s, siteOptions{})
		ctx := context.Background()
		for i := range 30 {
			if err := s.CreateMovie(ctx, &catalog.Movie{Title: fmt.Sprintf("Zeta %02d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		b := st.browser(t)
		p := b.get("/movies?q=zeta").wantStatus(t, "page 1", 200).wantBody(t, "page 1", "30 movies", "Page 1 of 2", `rel="next"`)
		if n := len(resultTitles(p.body)); n != 24 {
			t.Errorf("page 1 has %d movies; want 24", n)
		}
		p = b.get("/movies?q=zeta&page=2").wantStatus(t, "page 2", 200).wantBody(t, "page 2", "Page 2 of 2", `rel="prev"`)
		if got := resultTitles(p.body); len(got) != 6 || got[0] != "Zeta 24" {
			t.Errorf("page 2 = %q; want Zeta 24 to Zeta 29", got)
		}
	})
}

// TestJourney is the visitor's journey over plain HTTP: register, search,
// favorite, see the favorites, log out.
func TestJourney(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		b := st.browser(t)
		p := b.post("/register", url.Values{"username": {"x"}, "email": {"not-an-email"}, "password": {"short"}}).
			wantStatus(t, "bad registration", 422).
			wantBody(t, "bad registration", `id="username-error"`, "must be 3 to 32 characters",
				"must be a valid email address", "must be 8 to 256 characters", `value="not-an-email"`)
		p = b.post("/register", url.Values{"username": {"ripley"}, "email": {"new@example.com"}, "password": {"long-enough-1"}}).
			wantStatus(t, "taken username", 422).wantBody(t, "taken username", "username is already taken")
		p = b.post("/register", url.Values{"username": {"newt"}, "email": {"newt@example.com"}, "password": {"long-enough-1"}}).
			wantStatus(t, "registration", 303)
		var cookie *http.Cookie
		for _, c := range (&http.Response{Header: p.header}).Cookies() {
			if c.Name == "moviedb_session" {
				cookie = c
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure {
			t.Fatalf("session cookie = %+v; want HttpOnly, SameSite=Lax, not Secure over plain HTTP", cookie)
		}
		b.get("/").wantBody(t, "home signed in", `<a href="/account">newt</a>`, "Log out")

		alien := fmt.Sprintf("/movies/%d", st.ids.alien)
		b.get(alien).wantBody(t, "movie signed in", "Add to favorites", `aria-pressed="false"`)
		b.post(alien+"/favorite", url.Values{}).wantStatus(t, "favorite", 303)
		b.get(alien).wantBody(t, "favorite movie", "Remove from favorites", `aria-pressed="true"`, "2 people keep it")
		b.get("/favorites").wantStatus(t, "favorites", 200).wantBody(t, "favorites", "Alien").wantNotBody(t, "favorites", "Blade Runner")
		b.post(alien+"/unfavorite", url.Values{}).wantStatus(t, "unfavorite", 303)
		b.get("/favorites").wantBody(t, "favorites emptied", "You have no favorites yet")
		b.post("/movies/999999/favorite", url.Values{}).wantStatus(t, "favorite of no movie", 404)

		b.post("/logout", url.Values{}).wantStatus(t, "logout", 303)
		b.get("/").wantBody(t, "home signed out", "Log in").wantNotBody(t, "home signed out", "newt")
		// The token is revoked, not only forgotten by this browser.
		old := st.browser(t)
		u, _ := url.Parse(st.URL)
		old.c.Jar.SetCookies(u, []*http.Cookie{{Name: "moviedb_session", Value: cookie.Value}})
		old.get("/favorites").wantStatus(t, "favorites with a revoked token", 303)

		b.post("/login", url.Values{"login": {"newt"}, "password": {"wrong-password"}}).
			wantStatus(t, "wrong password", 401).wantBody(t, "wrong password", "Wrong login or password.")
		b.post("/login", url.Values{"login": {"nobody"}, "password": {"wrong-password"}}).
			wantStatus(t, "no such account", 401).wantBody(t, "no such account", "Wrong login or password.")
		p = b.post("/login", url.Values{"login": {"NEWT@example.com"}, "password": {"long-enough-1"}, "next": {"/favorites"}})
		if p.status != 303 || p.header.Get("Location") != "/favorites" {
			t.Errorf("login with next = %d to %q; want 303 to /favorites", p.status, p.header.Get("Location"))
		}
		for _, next := range []string{"//evil.example/x", "https://evil.example/", `/\evil.example`} {
			p = b.post("/login", url.Values{"login": {"newt"}, "password": {"long-enough-1"}, "next": {next}})
			if loc := p.header.Get("Location"); loc != "/" {
				t.Errorf("login with next %q redirects to %q; want /", next, loc)
			}
		}
	})
}

// TestCrossOrigin checks that a form posted from another site is refused
// and changes nothing.
func TestCrossOrigin(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		b := st.browser(t)
		b.login("ripley", userPassword)
		bladeRunner := fmt.Sprintf("/movies/%d", st.ids.bladeRunner)
		b.postFrom("https://evil.example", bladeRunner+"/favorite", url.Values{}).
			wantStatus(t, "foreign origin", 403).wantBody(t, "foreign origin", "sent from another site")
		r, _ := http.NewRequest("POST", st.URL+bladeRunner+"/favorite", nil)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		b.do(r).wantStatus(t, "cross-site fetch", 403)
		b.postFrom("https://evil.example", "/logout", url.Values{}).wantStatus(t, "foreign logout", 403)
		if fav, err := st.store.IsFavorite(context.Background(), st.ids.user, st.ids.bladeRunner); err != nil || fav {
			t.Fatalf("IsFavorite after refused posts = %v, %v; want false", fav, err)
		}
		b.get("/favorites").wantStatus(t, "still signed in", 200)
		b.post(bladeRunner+"/favorite", url.Values{}).wantStatus(t, "same origin", 303)
		if fav, err := st.store.IsFavorite(context.Background(), st.ids.user, st.ids.bladeRunner); err != nil || !fav {
			t.Fatalf("IsFavorite after a same-origin post = %v, %v; want true", fav, err)
		}
	})
}

func TestAccess(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		anon, user, admin := st.browser(t), st.browser(t), st.browser(t)
		user.login("ripley", userPassword)
		admin.login("admin", adminPassword)
		edit := fmt.Sprintf("/movies/%d/edit", st.ids.alien)
		for _, path := range []string{"/admin/movies/new", "/admin/persons/new", edit, fmt.Sprintf("/persons/%d/edit", st.ids.scott)} {
			if p := anon.get(path); p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/login?next=") {
				t.Errorf("GET %s anonymous = %d to %q; want 303 to the login page", path, p.status, p.header.Get("Location"))
			}
			user.get(path).wantStatus(t, path+" as user", 403).wantBody(t, path, "Only an admin")
			admin.get(path).wantStatus(t, path+" as admin", 200)
		}
		user.post(fmt.Sprintf("/movies/%d/delete", st.ids.alien), url.Values{}).wantStatus(t, "delete as user", 403)
		if _, err := st.store.MovieByID(context.Background(), st.ids.alien); err != nil {
			t.Fatalf("movie after a user's delete: %v", err)
		}
		admin.get(fmt.Sprintf("/movies/%d", st.ids.alien)).wantBody(t, "movie as admin", "Edit this movie")
	})
}

// multipartBody returns a form with one file field.
func multipartBody(t testing.TB, field, name string, data []byte) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	return w.FormDataContentType(), &buf
}

// wantThumb fails t unless p shows an image whose src is a thumbnail, on
// st, of an upload of kind ("posters", "photos", "avatars"), and that
// thumbnail loads as an image as wide as its URL asks.
func (st *site) wantThumb(t testing.TB, what string, p page, kind string) {
	t.Helper()
	re := regexp.MustCompile(`src="` + regexp.QuoteMeta(st.URL) + `(/files/` + kind + `/[^"?]+\?w=(\d+))"`)
	m := re.FindStringSubmatch(p.body)
	if m == nil {
		t.Errorf("%s: no <img> with a thumbnail of %s at %s/files/", what, kind, st.URL)
		return
	}
	thumb := st.browser(t).get(m[1]).wantStatus(t, what+": thumbnail", 200)
	cfg, _, err := image.DecodeConfig(strings.NewReader(thumb.body))
	if err != nil || fmt.Sprint(cfg.Width) != m[2] {
		t.Errorf("%s: thumbnail %s is %d pixels wide, %v; want an image %s wide", what, m[1], cfg.Width, err, m[2])
	}
}

func (b *browser) upload(path, field, name string, data []byte) page {
	b.t.Helper()
	ctype, body := multipartBody(b.t, field, name, data)
	r, _ := http.NewRequest("POST", b.base+path, body)
	r.Header.Set("Content-Type", ctype)
	r.Header.Set("Origin", b.base)
	return b.do(r)
}

func TestAdminMovie(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		b := st.browser(t)
		b.login("admin", adminPassword)
		ids := st.ids
		b.post("/admin/movies", url.Values{"title": {" "}, "budget": {"lots"}, "duration": {"5000"}, "director_id": {"999999"}}).
			wantStatus(t, "bad movie", 422).
			wantBody(t, "bad movie", `id="title-error">is required`, `id="budget-error">must be an amount`,
				`id="duration-error">must be between 1 and 1000 minutes`, `value="lots"`)
		p := b.post("/admin/movies", url.Values{"title": {"Prometheus"}, "director_id": {"999999"}}).wantStatus(t, "unknown director", 422).
			wantBody(t, "unknown director", `id="director_id-error">no person has id 999999`)
		p = b.post("/admin/movies", url.Values{"title": {"Prometheus"}, "release_date": {"2012-06-08"}, "duration": {"124"},
			"budget": {"130000000"}, "director_id": {fmt.Sprint(ids.scott)}, "country_id": {fmt.Sprint(ids.usa)},
			"genre": {fmt.Sprint(ids.scifi), fmt.Sprint(ids.horror)}}).wantStatus(t, "create movie", 303)
		edit := p.header.Get("Location")
		var id int64
		if _, err := fmt.Sscanf(edit, "/movies/%d/edit", &id); err != nil {
			t.Fatalf("create movie redirects to %q; want its edit page", edit)
		}
		b.get(edit).wantStatus(t, "edit form", 200).wantBody(t, "edit form", `value="Prometheus"`, `value="2012-06-08"`,
			fmt.Sprintf(`value="%d" checked`, ids.scifi), "Now: Ridley Scott", "No poster yet.", "No cast yet.")

		b.upload(fmt.Sprintf("/movies/%d/poster", id), "poster", "prometheus.png", testPNG(100, 150, 90)).wantStatus(t, "poster", 303)
		movie := fmt.Sprintf("/movies/%d", id)
		b.post(movie+"/cast", url.Values{"name": {"Elizabeth Shaw"}, "role": {"leading"}, "person_id": {fmt.Sprint(ids.weaver)}}).wantStatus(t, "cast", 303)
		b.post(movie+"/cast", url.Values{"name": {"David"}, "role": {"supporting"}}).wantStatus(t, "cast nobody", 303)
		b.post(movie+"/cast", url.Values{"name": {""}, "role": {"cameo"}}).wantStatus(t, "bad cast", 422).
			wantBody(t, "bad cast", "name: is required", "role: must be one of leading, supporting, background")
		d, err := st.store.MovieDetail(context.Background(), id)
		if err != nil || d.Poster == nil || len(d.Cast) != 2 || len(d.Genres) != 2 {
			t.Fatalf("MovieDetail(%d) = %+v, %v; want a poster, 2 genres and 2 cast", id, d, err)
		}
		david := d.Cast[1].Character.ID
		b.post(fmt.Sprintf("%s/cast/%d", movie, david), url.Values{"role": {"background"}, "person_id": {fmt.Sprint(ids.ford)}}).wantStatus(t, "change cast", 303)
		b.get(movie).wantStatus(t, "new movie", 200).
			wantBody(t, "new movie", "Prometheus", "Sigourney Weaver", "as Elizabeth Shaw", "Harrison Ford", "as David", "Background",
				`alt="Poster of Prometheus"`)
		st.wantThumb(t, "new movie", b.get(movie), "posters")
		b.get("/movies?q=prometheus").wantBody(t, "search finds it", `<span class="card-title">Prometheus</span>`)

		// Editing keeps genres in step and refuses a stale form.
		form := url.Values{"title": {"Prometheus (2012)"}, "genre": {fmt.Sprint(ids.scifi)}, "updated_at": {"2001-01-01T00:00:00Z"}}
		b.post(movie+"/edit", form).wantStatus(t, "stale edit", 422).wantBody(t, "stale edit", "was changed by someone else")
		d, _ = st.store.MovieDetail(context.Background(), id)
		form.Set("updated_at", d.UpdatedAt.UTC().Format(time.RFC3339Nano))
		b.post(movie+"/edit", form).wantStatus(t, "edit", 303)
		d, _ = st.store.MovieDetail(context.Background(), id)
		if d.Title != "Prometheus (2012)" || len(d.Genres) != 1 || d.DirectorID != nil {
			t.Errorf("after edit: title %q, genres %v, director %v; want the form's values", d.Title, d.Genres, d.DirectorID)
		}
		b.post(fmt.Sprintf("%s/cast/%d/remove", movie, david), url.Values{}).wantStatus(t, "remove cast", 303)
		b.post(movie+"/delete", url.Values{}).wantStatus(t, "delete", 303)
		b.get(movie).wantStatus(t, "deleted movie", 404)
	})
}

func TestAdminPerson(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		b := st.browser(t)
		b.login("admin", adminPassword)
		b.post("/admin/persons", url.Values{"first_name": {""}, "date_of_birth": {"2999-01-01"}, "gender": {"robot"}}).
			wantStatus(t, "bad person", 422).
			wantBody(t, "bad person", `id="first_name-error">is required`, `id="date_of_birth-error">must be between`,
				`id="gender-error">must be one of`)
		// Names are kept trimmed, each run of spaces one space, by the
		// validation the API shares.
		p := b.post("/admin/persons", url.Values{"first_name": {" Noomi "}, "last_name": {"  Rapace\t"}, "date_of_birth": {"1979-12-28"},
			"gender": {"female"}, "country_id": {fmt.Sprint(st.ids.usa)}}).wantStatus(t, "create person", 303)
		var id int64
		if _, err := fmt.Sscanf(p.header.Get("Location"), "/persons/%d/edit", &id); err != nil {
			t.Fatalf("create person redirects to %q", p.header.Get("Location"))
		}
		person := fmt.Sprintf("/persons/%d", id)
		if got, err := st.store.PersonByID(context.Background(), id); err != nil || got.FirstName != "Noomi" || got.LastName != "Rapace" {
			t.Fatalf("created person = %+v, %v; want the names trimmed", got, err)
		}
		b.upload(person+"/photos", "photo", "a.png", testPNG(60, 90, 10)).wantStatus(t, "photo 1", 303)
		b.upload(person+"/photos", "photo", "b.png", testPNG(60, 90, 200)).wantStatus(t, "photo 2", 303)
		d, err := st.store.PersonDetail(context.Background(), id)
		if err != nil || len(d.Photos) != 2 || !d.Photos[0].IsPrimary {
			t.Fatalf("PersonDetail = %+v, %v; want 2 photos, the first primary", d, err)
		}
		second := d.Photos[1].ID
		b.get(person+"/edit").wantBody(t, "photos", "Primary photo", fmt.Sprintf("/photos/%d/primary", second))
		b.post(fmt.Sprintf("%s/photos/%d/primary", person, second), url.Values{}).wantStatus(t, "make primary", 303)
		d, _ = st.store.PersonDetail(context.Background(), id)
		if d.Photos[0].ID != second {
			t.Errorf("primary photo = %d; want %d", d.Photos[0].ID, second)
		}
		b.get(person).wantBody(t, "person page", "Noomi Rapace", "1979-12-28", "Photos")
		b.post(fmt.Sprintf("/persons/%d/delete", st.ids.scott), url.Values{}).
			wantStatus(t, "delete a director", 409).wantBody(t, "delete a director", "Conflict")
		b.post(person+"/delete", url.Values{}).wantStatus(t, "delete", 303)
		b.get(person).wantStatus(t, "deleted person", 404)
	})
}

func TestAccount(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		b, other := st.browser(t), st.browser(t)
		b.login("ripley", userPassword)
		other.login("ripley", userPassword)
		b.get("/account").wantStatus(t, "account", 200).wantBody(t, "account", `value="ripley"`, "You have no avatar.")
		b.post("/account/profile", url.Values{"username": {"admin"}, "email": {"ripley@example.com"}, "current_password": {userPassword}}).
			wantStatus(t, "taken username", 422).wantBody(t, "taken username", "username is already taken")
		// The username and email are logins: changing one takes the
		// current password, as the API's PATCH /me does.
		ellen := url.Values{"username": {"ripley"}, "email": {"ellen@example.com"}, "first_name": {"Ellen"}}
		b.post("/account/profile", ellen).wantStatus(t, "email without current password", 422).
			wantBody(t, "email without current password", `id="profile_current_password-error">is required to change the username or email`)
		ellen.Set("current_password", "wrong-password")
		b.post("/account/profile", ellen).wantStatus(t, "email with a wrong current password", 422).
			wantBody(t, "email with a wrong current password", `id="profile_current_password-error">is wrong`).
			wantNotBody(t, "email with a wrong current password", "wrong-password", `id="current_password-error"`)
		if u, err := st.store.UserByID(context.Background(), st.ids.user); err != nil || u.Email != "ripley@example.com" {
			t.Fatalf("after refused changes, user = %+v, %v; want the email unchanged", u, err)
		}
		ellen.Set("current_password", userPassword)
		ellen.Set("username", "ellen")
		b.post("/account/profile", ellen).wantStatus(t, "profile", 303)
		b.get("/account?saved=profile").wantBody(t, "saved profile", "Your profile was saved.", `value="ellen"`, `value="Ellen"`)
		b.post("/account/profile", url.Values{"username": {"Ellen"}, "email": {"ELLEN@example.com"}, "last_name": {"Ripley"}}).
			wantStatus(t, "names and the case of logins, without a password", 303)
		b.post("/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"new-password-1"}}).
			wantStatus(t, "wrong current password", 422).wantBody(t, "wrong current password", `id="current_password-error">is wrong`)
		b.post("/account/password", url.Values{"current_password": {userPassword}, "new_password": {"new-password-1"}}).
			wantStatus(t, "password", 303)
		other.get("/favorites").wantStatus(t, "other session after password change", 303)
		b.get("/favorites").wantStatus(t, "this session after password change", 200)
		b.upload("/account/avatar", "avatar", "me.png", testPNG(64, 64, 30)).wantStatus(t, "avatar", 303)
		st.wantThumb(t, "avatar", b.get("/account").wantBody(t, "avatar", `alt="Your avatar"`), "avatars")
		st.browser(t).login("ellen", "new-password-1")
	})
}

func TestUploadsHiddenWithoutMedia(t *testing.T) {
	s := sqltest.Open(t, sqlstore.SQLite, sqlstore.Options{})
	st := newSite(t, s, siteOptions{noMedia: true})
	b := st.browser(t)
	b.login("admin", adminPassword)
	b.get(fmt.Sprintf("/movies/%d/edit", st.ids.alien)).wantStatus(t, "edit", 200).wantNotBody(t, "edit", `type="file"`)
	b.upload(fmt.Sprintf("/movies/%d/poster", st.ids.alien), "poster", "p.png", testPNG(10, 10, 1)).wantStatus(t, "upload", 404)
}

func TestRateLimit(t *testing.T) {
	s := sqltest.Open(t, sqlstore.SQLite, sqlstore.Options{})
	st := newSite(t, s, siteOptions{limit: ratelimit.Limit{Burst: 2, Every: time.Hour}})
	b := st.browser(t)
	for i := range 2 {
		b.post("/login", url.Values{"login": {"ripley"}, "password": {"wrong-password"}}).wantStatus(t, fmt.Sprint("attempt ", i+1), 401)
	}
	p := b.post("/login", url.Values{"login": {"ripley"}, "password": {userPassword}}).
		wantStatus(t, "third attempt", 429).wantBody(t, "third attempt", "Too many attempts")
	if p.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The API shares the buckets: it refuses this client too.
	r, _ := http.NewRequest("POST", st.URL+"/api/v1/auth/login", strings.NewReader(`{"login":"ripley","password":"x"}`))
	r.Header.Set("Content-Type", "application/json")
	b.do(r).wantStatus(t, "API login after the pages' attempts", 429)
}

// TestLoginBudgetPerAccount checks that the login form draws on one budget
// per account, whichever of its logins is typed: ten wrong passwords, by
// username and email in turn, refuse the eleventh attempt even with the
// right password, on the pages and on the API. A login that names no
// account is limited alike. Logins per address are not limited here, so
// that only the budget per account can refuse.
func TestLoginBudgetPerAccount(t *testing.T) {
	runSitesWith(t, func() siteOptions {
		return siteOptions{limits: &ratelimit.Auth{
			LoginByIP:        ratelimit.New(ratelimit.Limit{Burst: 10_000, Every: time.Millisecond}, nil),
			LoginByAccount:   ratelimit.New(ratelimit.Limit{Burst: 10, Every: time.Hour}, nil),
			RegisterByIP:     ratelimit.New(ratelimit.Limit{Burst: 10_000, Every: time.Millisecond}, nil),
			ProfileByAccount: ratelimit.New(ratelimit.Limit{Burst: 10_000, Every: time.Millisecond}, nil),
		}}
	}, func(t *testing.T, st *site) {
		b := st.browser(t)
		for i := range 10 {
			login := []string{"ripley", "RIPLEY@example.com"}[i%2]
			b.post("/login", url.Values{"login": {login}, "password": {"wrong-password"}}).
				wantStatus(t, fmt.Sprintf("attempt %d (%s)", i+1, login), 401)
		}
		p := b.post("/login", url.Values{"login": {"ripley@example.com"}, "password": {userPassword}}).
			wantStatus(t, "11th attempt, right password", 429).wantBody(t, "11th attempt", "Too many attempts")
		if p.header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		r, _ := http.NewRequest("POST", st.URL+"/api/v1/auth/login", strings.NewReader(`{"login":"ripley","password":"`+userPassword+`"}`))
		r.Header.Set("Content-Type", "application/json")
		b.do(r).wantStatus(t, "API login after the pages' attempts", 429)
		st.browser(t).login("admin", adminPassword)

		for i := range 10 {
			b.post("/login", url.Values{"login": {"kane"}, "password": {"wrong-password"}}).
				wantStatus(t, fmt.Sprintf("unknown login %d", i+1), 401)
		}
		b.post("/login", url.Values{"login": {"Kane"}, "password": {"wrong-password"}}).
			wantStatus(t, "11th attempt at an unknown login", 429)
	})
}

func TestHeadersAndStatic(t *testing.T) {
	s := sqltest.Open(t, sqlstore.SQLite, sqlstore.Options{})
	st := newSite(t, s, siteOptions{})
	b := st.browser(t)
	p := b.get("/")
	csp := p.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("Content-Security-Policy = %q; want scripts from this site only", csp)
	}
	if p.header.Get("X-Content-Type-Options") != "nosniff" || p.header.Get("X-Request-Id") == "" {
		t.Errorf("headers = %v; want nosniff and a request id", p.header)
	}
	css := regexp.MustCompile(`href="(/static/site\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(p.body)
	if css == nil {
		t.Fatal("home page links no versioned stylesheet")
	}
	a := b.get(css[1]).wantStatus(t, "stylesheet", 200)
	if cc := a.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || a.header.Get("ETag") == "" ||
		!strings.HasPrefix(a.header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet headers = %v; want an ETag, text/css and a long immutable cache", a.header)
	}
	plain := b.get("/static/site.css")
	if cc := plain.header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
		t.Errorf("unversioned stylesheet Cache-Control = %q; want a short cache", cc)
	}
	r, _ := http.NewRequest("GET", st.URL+"/static/site.css", nil)
	r.Header.Set("If-None-Match", a.header.Get("ETag"))
	b.do(r).wantStatus(t, "revalidation", 304)
}

// TestNoInlineCode checks that no template has an inline script, a style
// attribute or an event handler attribute, which the CSP would block, and
// that every image has alt text.
func TestNoInlineCode(t *testing.T) {
	err := filepath.WalkDir("templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src := string(b)
		for _, bad := range []*regexp.Regexp{
			regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`), regexp.MustCompile(`<script>`),
			regexp.MustCompile(`\sstyle=`), regexp.MustCompile(`<style`), regexp.MustCompile(`\son[a-z]+=`),
		} {
			if loc := bad.FindStringIndex(src); loc != nil {
				t.Errorf("%s: %q is inline code the CSP forbids", path, src[loc[0]:min(loc[1]+20, len(src))])
			}
		}
		for _, img := range regexp.MustCompile(`<img\b[^>]*>`).FindAllString(src, -1) {
			if !strings.Contains(img, ` alt="`) {
				t.Errorf("%s: %s has no alt text", path, img)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCrawl follows every link of the seeded site two links away from the
// home page, signed out and as an admin.
func TestCrawl(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		n := webtest.Crawl(t, st.URL, webtest.CrawlOptions{})
		admin := st.browser(t)
		admin.login("admin", adminPassword)
		admin.c.CheckRedirect = nil
		m := webtest.Crawl(t, st.URL, webtest.CrawlOptions{Client: admin.c})
		if n < 20 || m <= n {
			t.Errorf("crawl fetched %d URLs signed out and %d as admin; want the whole seeded site, more for an admin", n, m)
		}
	})
}

// TestExternalPoster checks that an image by reference (an "external/"
// key) is shown at its own URL, without thumbnails, which it has none of.
func TestExternalPoster(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		const u = "https://upload.wikimedia.org/wikipedia/en/c/c3/Alien_movie_poster.jpg"
		sum := sha256.Sum256([]byte(u))
		f := &catalog.File{FileName: "Alien_movie_poster.jpg", MimeType: "image/jpeg", Key: "external/" + hex.EncodeToString(sum[:]), URL: u}
		if err := st.store.CreateMoviePoster(context.Background(), st.ids.noPoster, f); err != nil {
			t.Fatalf("CreateMoviePoster: %v", err)
		}
		st.browser(t).get(fmt.Sprintf("/movies/%d", st.ids.noPoster)).wantStatus(t, "movie", 200).
			wantBody(t, "movie", `<img src="`+u+`" alt="Poster of Gladiator"`).wantNotBody(t, "movie", "/files/"+f.Key)
	})
}
