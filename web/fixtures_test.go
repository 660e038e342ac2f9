package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/blob"
	"github.com/moviedb/moviedb/blob/blobtest"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/httpapi"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/ratelimit"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
	"github.com/moviedb/moviedb/web"
)

// cheapParams keep password hashing fast in tests.
var cheapParams = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Passwords of the seeded accounts.
const (
	adminPassword = "admin-password-1"
	userPassword  = "user-password-1"
)

// A site is a running moviedb (API and web pages, as serve composes them)
// on a seeded catalog.
type site struct {
	URL   string
	store *sqlstore.Store
	media *media.Service
	// files is where media keeps the uploads, on local disk.
	files blob.Store
	ids   seedIDs
}

// testMaxUpload is the upload limit of test sites: small, so that tests
// send a file over it cheaply.
const testMaxUpload = 1 << 20

// seedIDs are the ids of the seeded rows tests refer to.
type seedIDs struct {
	alien, bladeRunner, thelma, amelie, noPoster int64
	scott, weaver, skerritt, ford, tautou        int64
	scifi, drama, horror, comedy                 int64
	usa, uk, france                              int64
	admin, user                                  int64
}

// siteOptions change how newSite builds the site.
type siteOptions struct {
	limit ratelimit.Limit
	// limits, when set, are the sign-in limiters, and limit is unused.
	limits *ratelimit.Auth
	// noMedia hides the upload fields.
	noMedia bool
}

// runSites runs fn on a seeded site on each engine.
func runSites(t *testing.T, fn func(t *testing.T, st *site)) {
	t.Helper()
	runSitesWith(t, func() siteOptions { return siteOptions{} }, fn)
}

// runSitesWith is runSites with the options opts returns, called once per
// engine so that no state is shared between them.
func runSitesWith(t *testing.T, opts func() siteOptions, fn func(t *testing.T, st *site)) {
	t.Helper()
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) { fn(t, newSite(t, s, opts())) })
}

// newSite seeds s and serves moviedb on it over real HTTP, composed as
// cli's serveStore composes it: the API with the web pages as its
// fallback, one media service over local disk for both (the API serving
// /files/), and one set of sign-in limiters.
func newSite(t testing.TB, s *sqlstore.Store, opts siteOptions) *site {
	t.Helper()
	// The server listens before it is built, so that media knows the base
	// URL the files are served at.
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	st := &site{URL: "http://" + srv.Listener.Addr().String(), store: s, files: blobtest.Local(t).Store}
	st.media = media.New(media.Config{Blob: st.files, Store: s, BaseURL: st.URL, Limits: media.Limits{MaxBytes: testMaxUpload}})
	if opts.limit == (ratelimit.Limit{}) {
		opts.limit = ratelimit.Limit{Burst: 10_000, Every: time.Millisecond}
	}
	limits := opts.limits
	if limits == nil {
		limits = ratelimit.NewAuth(opts.limit, nil)
	}
	cfg := web.Config{Store: s, Media: st.media, ThumbURL: st.media.ThumbURL, PasswordParams: cheapParams, AuthLimiters: limits}
	if opts.noMedia {
		cfg.Media = nil
	}
	srv.Config.Handler = httpapi.New(httpapi.Config{Store: s, PasswordParams: cheapParams, AuthLimiters: limits,
		Fallback: web.New(cfg), Media: st.media})
	srv.Start()
	if srv.URL != st.URL {
		t.Fatalf("test server at %s; want %s", srv.URL, st.URL)
	}
	st.seed(t)
	return st
}

// seed fills the catalog: countries, genres, persons with photos, movies
// with posters, genres and casts, two accounts and a favorite.
func (st *site) seed(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	s, ids := st.store, &st.ids
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	// The accounts come first: the admin uploads the images.
	user := func(name, password, role string) int64 {
		h, err := auth.HashPassword(password, cheapParams)
		must(err)
		u := &catalog.User{Username: name, Email: name + "@example.com", PasswordHash: h, Role: role}
		must(s.CreateUser(ctx, u))
		return u.ID
	}
	ids.admin = user("admin", adminPassword, catalog.AdminRole)
	ids.user = user("ripley", userPassword, catalog.UserRole)
	country := func(name string) int64 {
		c := &catalog.Country{Name: name}
		must(s.CreateCountry(ctx, c))
		return c.ID
	}
	ids.usa, ids.uk, ids.france = country("United States"), country("United Kingdom"), country("France")
	genre := func(name string) int64 {
		g := &catalog.Genre{Name: name}
		must(s.CreateGenre(ctx, g))
		return g.ID
	}
	ids.scifi, ids.drama, ids.horror, ids.comedy = genre("Science Fiction"), genre("Drama"), genre("Horror"), genre("Comedy")
	person := func(first, last, birth string, country int64, photos int) int64 {
		d, err := catalog.ParseDate(birth)
		must(err)
		bio := first + " " + last + " is a film maker.\n\nThis biography has two paragraphs."
		p := &catalog.Person{FirstName: first, LastName: last, DateOfBirth: &d, CountryID: &country, Biography: &bio}
		must(s.CreatePerson(ctx, p))
		for i := range photos {
			_, err := st.media.AddPersonPhoto(ctx, p.ID, ids.admin, "photo.png", bytes.NewReader(testPNG(60, 90, uint8(40*i+60))))
			must(err)
		}
		return p.ID
	}
	ids.scott = person("Ridley", "Scott", "1937-11-30", ids.uk, 2)
	ids.weaver = person("Sigourney", "Weaver", "1949-10-08", ids.usa, 1)
	ids.skerritt = person("Tom", "Skerritt", "1933-08-25", ids.usa, 0)
	ids.ford = person("Harrison", "Ford", "1942-07-13", ids.usa, 1)
	ids.tautou = person("Audrey", "Tautou", "1976-08-09", ids.france, 1)
	movie := func(title, release string, minutes int, budget string, director, country int64, poster bool, genres ...int64) int64 {
		d, err := catalog.ParseDate(release)
		must(err)
		b, err := catalog.ParseMoney(budget)
		must(err)
		desc := title + " is a film in the test catalog."
		m := &catalog.Movie{Title: title, ReleaseDate: &d, Duration: &minutes, Budget: &b, DirectorID: &director,
			CountryID: &country, Description: &desc}
		must(s.CreateMovieWithGenres(ctx, m, genres))
		if poster {
			_, err := st.media.SetMoviePoster(ctx, m.ID, ids.admin, "poster.png", bytes.NewReader(testPNG(100, 150, 120)))
			must(err)
		}
		return m.ID
	}
	ids.alien = movie("Alien", "1979-05-25", 117, "11000000", ids.scott, ids.usa, true, ids.scifi, ids.horror)
	ids.bladeRunner = movie("Blade Runner", "1982-06-25", 117, "28000000", ids.scott, ids.usa, true, ids.scifi, ids.drama)
	ids.thelma = movie("Thelma & Louise", "1991-05-24", 130, "16500000", ids.scott, ids.usa, true, ids.drama)
	ids.amelie = movie("Amélie", "2001-04-25", 122, "10000000.50", ids.scott, ids.france, true, ids.comedy, ids.drama)
	ids.noPoster = movie("Gladiator", "2000-05-05", 155, "103000000", ids.scott, ids.uk, false, ids.drama)
	cast := func(movie int64, name, role string, actor int64) {
		var p *int64
		if actor != 0 {
			p = &actor
		}
		_, err := s.CreateCharacterInCast(ctx, movie, &catalog.Character{Name: name, Role: role}, p)
		must(err)
	}
	cast(ids.alien, "Ellen Ripley", catalog.RoleLeading, ids.weaver)
	cast(ids.alien, "Dallas", catalog.RoleSupporting, ids.skerritt)
	cast(ids.alien, "Jones the cat", catalog.RoleBackground, 0)
	cast(ids.bladeRunner, "Rick Deckard", catalog.RoleLeading, ids.ford)
	cast(ids.amelie, "Amélie Poulain", catalog.RoleLeading, ids.tautou)
	_, err := s.AddFavorite(ctx, ids.user, ids.alien)
	must(err)
}

// A browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests see them.
type browser struct {
	t    testing.TB
	base string
	c    *http.Client
}

func (st *site) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: st.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// A page is a response with its body read.
type page struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(r *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(r)
	if err != nil {
		b.t.Fatalf("%s %s: %v", r.Method, r.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatalf("%s %s: read body: %v", r.Method, r.URL, err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	r, err := http.NewRequest("GET", b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(r)
}

// post sends a form as a browser on this site would: with its own Origin.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	return b.postFrom(b.base, path, form)
}

// postFrom sends a form with the Origin header origin.
func (b *browser) postFrom(origin, path string, form url.Values) page {
	b.t.Helper()
	r, err := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", origin)
	return b.do(r)
}

// login signs in and fails the test unless it worked.
func (b *browser) login(login, password string) {
	b.t.Helper()
	p := b.post("/login", url.Values{"login": {login}, "password": {password}})
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("login %s: status %d; want 303\n%s", login, p.status, p.body)
	}
}

// wantStatus fails the test when p's status is not want.
func (p page) wantStatus(t testing.TB, what string, want int) page {
	t.Helper()
	if p.status != want {
		t.Fatalf("%s: status %d; want %d\n%s", what, p.status, want, p.body)
	}
	return p
}

// wantBody fails the test unless p's body holds every string of want.
func (p page) wantBody(t testing.TB, what string, want ...string) page {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Errorf("%s: body does not contain %q", what, w)
		}
	}
	return p
}

// wantNotBody fails the test when p's body holds any string of unwanted.
func (p page) wantNotBody(t testing.TB, what string, unwanted ...string) page {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.body, w) {
			t.Errorf("%s: body contains %q; want it absent", what, w)
		}
	}
	return p
}

// testPNG returns a real PNG image of w×h pixels: a gradient from the
// colour c, so that posters and photos in screenshots tell apart.
func testPNG(w, h int, c uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c, uint8(y*200/h), uint8(255-x*120/w), 255
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(fmt.Sprintf("encode test PNG: %v", err))
	}
	return buf.Bytes()
}
