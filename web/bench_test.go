package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/moviedb/moviedb/blob/blobtest"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
	"github.com/moviedb/moviedb/web"
)

// Size of the catalog the page benchmarks generate, through the store.
const (
	benchPersons = 300
	benchMovies  = 100
	benchCast    = 30 // characters of the movie whose page is rendered
)

// benchCatalog fills s with persons (each with a photo), movies with
// genres, posters and a cast of 10, and one movie with benchCast, the
// images uploaded through images, and returns that movie's id.
func benchCatalog(b *testing.B, s *sqlstore.Store, images *media.Service) int64 {
	b.Helper()
	ctx := context.Background()
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	var genres []int64
	for _, name := range []string{"Drama", "Comedy", "Thriller", "Science Fiction", "Horror"} {
		g := &catalog.Genre{Name: name}
		must(s.CreateGenre(ctx, g))
		genres = append(genres, g.ID)
	}
	country := &catalog.Country{Name: "United States"}
	must(s.CreateCountry(ctx, country))
	admin := &catalog.User{Username: "bench-admin", Email: "bench-admin@example.com", PasswordHash: "x", Role: catalog.AdminRole}
	must(s.CreateUser(ctx, admin))
	img := testPNG(20, 30, 100)
	persons := make([]int64, benchPersons)
	for i := range persons {
		p := &catalog.Person{FirstName: fmt.Sprintf("First%d", i), LastName: fmt.Sprintf("Last%d", i), CountryID: &country.ID}
		must(s.CreatePerson(ctx, p))
		_, err := images.AddPersonPhoto(ctx, p.ID, admin.ID, "p.png", bytes.NewReader(img))
		must(err)
		persons[i] = p.ID
	}
	var last int64
	for i := range benchMovies {
		d := catalog.Date{Year: 1950 + i%70, Month: time.Month(1 + i%12), Day: 1 + i%28}
		minutes, budget := 80+i%90, catalog.Money(1_000_000_00+int64(i)*100)
		desc := "A generated movie.\n\nIts second paragraph."
		m := &catalog.Movie{Title: fmt.Sprintf("Movie %d", i), ReleaseDate: &d, Duration: &minutes, Budget: &budget,
			DirectorID: &persons[i%benchPersons], CountryID: &country.ID, Description: &desc}
		must(s.CreateMovieWithGenres(ctx, m, []int64{genres[i%5], genres[(i+1)%5], genres[(i+2)%5]}))
		_, err := images.SetMoviePoster(ctx, m.ID, admin.ID, "m.png", bytes.NewReader(img))
		must(err)
		cast := 10
		if i == benchMovies-1 {
			cast = benchCast
		}
		for c := range cast {
			actor := persons[(i*7+c)%benchPersons]
			_, err := s.CreateCharacterInCast(ctx, m.ID, &catalog.Character{Name: fmt.Sprintf("Character %d", c),
				Role: catalog.Roles[c%3]}, &actor)
			must(err)
		}
		last = m.ID
	}
	return last
}

// BenchmarkMoviePage renders the page of a movie with a cast of 30, its
// poster, director and genres, through the web handler on SQLite: the
// server-side time of the page, from request to the last byte written.
func BenchmarkMoviePage(b *testing.B) {
	s := sqltest.Open(b, sqlstore.SQLite, sqlstore.Options{})
	images := media.New(media.Config{Blob: blobtest.Local(b).Store, Store: s, BaseURL: "http://moviedb.test"})
	id := benchCatalog(b, s, images)
	h := web.New(web.Config{Store: s, Media: images, ThumbURL: images.ThumbURL})
	path := fmt.Sprintf("/movies/%d", id)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	if w.Code != http.StatusOK || !bytes.Contains(w.Body.Bytes(), []byte("Character 29")) ||
		!bytes.Contains(w.Body.Bytes(), []byte("http://moviedb.test/files/posters/")) {
		b.Fatalf("GET %s = %d; want the page with its whole cast and its poster's thumbnails", path, w.Code)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", path, w.Code)
		}
	}
}
