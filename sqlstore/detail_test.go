package sqlstore_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// photoOf adds a new file as a photo of p and returns the file.
func photoOf(t *testing.T, s *sqlstore.Store, p *catalog.Person, key string, primary bool) *catalog.File {
	t.Helper()
	f := fixtureFile(t, s, key)
	if _, err := s.AddPersonPhoto(context.Background(), p.ID, f.ID, primary); err != nil {
		t.Fatal(err)
	}
	return f
}

// bare returns f as a file object of a join shows it: without timestamps.
func bare(f *catalog.File) *catalog.File {
	return &catalog.File{ID: f.ID, FileName: f.FileName, MimeType: f.MimeType, Key: f.Key, URL: f.URL}
}

func TestMovieDetail(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		country := fixtureCountry(t, s, "France")
		director := fixturePerson(t, s, "Jean-Pierre", "Jeunet")
		photoOf(t, s, director, "photos/jeunet-old", false)
		directorPhoto := photoOf(t, s, director, "photos/jeunet", true)
		poster := fixtureFile(t, s, "posters/amelie")
		m := createMovieAs(t, s, catalog.Movie{Title: "Amélie", Description: ptr("A shy waitress"), Budget: mustMoney(t, "10000000.50"),
			ReleaseDate: mustDate(t, "2001-04-25"), Duration: ptr(122), DirectorID: &director.ID, CountryID: &country.ID,
			PosterFileID: &poster.ID})
		other := fixtureMovie(t, s, "Other")
		var genres []catalog.Genre
		for _, name := range []string{"Romance", "comedy", "Drama"} {
			g := fixtureGenre(t, s, name)
			if _, err := s.AddMovieGenre(ctx, m.ID, g.ID); err != nil {
				t.Fatal(err)
			}
			genres = append(genres, *g)
		}
		genres = []catalog.Genre{genres[1], genres[2], genres[0]}

		// A cast of 50: every role, actors with and without photos, the same
		// actor in several roles, characters played by nobody known, and
		// characters of the same name.
		actors := make([]*catalog.Person, 7)
		for i := range actors {
			actors[i] = fixturePerson(t, s, fmt.Sprintf("Actor%d", i), "Lastname")
			if i%2 == 0 {
				photoOf(t, s, actors[i], fmt.Sprintf("photos/actor%d", i), false)
			}
		}
		var cast []catalog.CastEntry
		for i := range 50 {
			role := catalog.Roles[(i*7)%3]
			ch := &catalog.Character{Name: fmt.Sprintf("character %02d", (i*13)%40), Role: role}
			var actor *catalog.PersonSummary
			var actorID *int64
			if i%5 != 4 {
				a := actors[i%7]
				actorID = &a.ID
				actor = &catalog.PersonSummary{ID: a.ID, FirstName: a.FirstName, LastName: a.LastName}
				if i%7%2 == 0 {
					photos, err := s.PersonPhotos(ctx, a.ID)
					if err != nil {
						t.Fatal(err)
					}
					f, err := s.FileByID(ctx, photos[0].FileID)
					if err != nil {
						t.Fatal(err)
					}
					actor.Photo = bare(f)
				}
			}
			if _, err := s.CreateCharacterInCast(ctx, m.ID, ch, actorID); err != nil {
				t.Fatal(err)
			}
			cast = append(cast, catalog.CastEntry{Character: *ch, Actor: actor})
		}
		if _, err := s.CreateCharacterInCast(ctx, other.ID, &catalog.Character{Name: "elsewhere", Role: catalog.RoleLeading}, &actors[0].ID); err != nil {
			t.Fatal(err)
		}
		rank := map[string]int{catalog.RoleLeading: 0, catalog.RoleSupporting: 1, catalog.RoleBackground: 2}
		sort.Slice(cast, func(i, j int) bool {
			a, b := cast[i].Character, cast[j].Character
			if rank[a.Role] != rank[b.Role] {
				return rank[a.Role] < rank[b.Role]
			}
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			return a.ID < b.ID
		})
		for i := range 2 {
			u := fixtureUser(t, s, fmt.Sprintf("fan%d", i))
			if _, err := s.AddFavorite(ctx, u.ID, m.ID); err != nil {
				t.Fatal(err)
			}
		}

		got, err := s.MovieDetail(ctx, m.ID)
		if err != nil {
			t.Fatalf("MovieDetail: %v", err)
		}
		want := &catalog.MovieDetail{
			Movie:          *m,
			Poster:         bare(poster),
			Country:        country,
			Director:       &catalog.PersonSummary{ID: director.ID, FirstName: "Jean-Pierre", LastName: "Jeunet", Photo: bare(directorPhoto)},
			Genres:         genres,
			Cast:           cast,
			FavoritesCount: 2,
			Version:        detailVersion(t, s, m.ID),
		}
		if asJSON(got) != asJSON(want) {
			t.Errorf("MovieDetail =\n%s\nwant\n%s", asJSON(got), asJSON(want))
		}

		// A movie with nothing but a title.
		got, err = s.MovieDetail(ctx, other.ID+1000)
		wantNotFound(t, err)
		bareMovie := fixtureMovie(t, s, "Bare")
		got, err = s.MovieDetail(ctx, bareMovie.ID)
		want = &catalog.MovieDetail{Movie: *bareMovie, Genres: []catalog.Genre{}, Cast: []catalog.CastEntry{},
			Version: detailVersion(t, s, bareMovie.ID)}
		if err != nil || asJSON(got) != asJSON(want) {
			t.Errorf("MovieDetail(bare) = %s, %v; want %s", asJSON(got), err, asJSON(want))
		}

		// An actor who is deleted leaves their characters played by nobody known.
		before := detailVersion(t, s, m.ID)
		if err := s.DeletePerson(ctx, actors[3].ID); err != nil {
			t.Fatal(err)
		}
		if v := detailVersion(t, s, m.ID); v == before {
			t.Errorf("MovieDetailVersion after an actor was deleted = %d, unchanged", v)
		}
		got, err = s.MovieDetail(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Cast) != 50 {
			t.Fatalf("cast after an actor was deleted has %d entries; want 50", len(got.Cast))
		}
		for i, e := range got.Cast {
			if was := cast[i].Actor; was != nil && was.ID == actors[3].ID {
				if e.Actor != nil || e.Character.ID != cast[i].Character.ID {
					t.Errorf("cast entry %d after its actor was deleted = %s; want the character without actor", i, asJSON(e))
				}
			}
		}
	})
}

// detailVersion returns MovieDetailVersion(id), failing t on an error.
func detailVersion(t *testing.T, s *sqlstore.Store, id int64) int64 {
	t.Helper()
	v, err := s.MovieDetailVersion(context.Background(), id)
	if err != nil {
		t.Fatalf("MovieDetailVersion(%d): %v", id, err)
	}
	return v
}

func TestMovieDetailVersion(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "Versioned")
		v := detailVersion(t, s, m.ID)
		d, err := s.MovieDetail(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != v {
			t.Errorf("MovieDetail(%d).Version = %d; want %d", m.ID, d.Version, v)
		}
		_, err = s.MovieDetailVersion(ctx, m.ID+1000)
		wantNotFound(t, err)
		// A movie made with the id of a deleted one never meets its versions.
		if err := s.DeleteMovie(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		again := fixtureMovie(t, s, "Again")
		if w := detailVersion(t, s, again.ID); again.ID == m.ID && w == v {
			t.Errorf("MovieDetailVersion of a new movie with a deleted one's id = %d, the deleted one's", w)
		}
	})
}

func TestPersonDetail(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		country := fixtureCountry(t, s, "Ireland")
		p := &catalog.Person{FirstName: "Saoirse", LastName: "Ronan", CountryID: &country.ID, DateOfBirth: mustDate(t, "1994-04-12")}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		first := photoOf(t, s, p, "photos/first", false)
		clk.Advance(time.Minute)
		primary := photoOf(t, s, p, "photos/primary", true)
		clk.Advance(time.Minute)
		third := photoOf(t, s, p, "photos/third", false)

		poster := fixtureFile(t, s, "posters/lady-bird")
		directed := []*catalog.Movie{
			createMovieAs(t, s, catalog.Movie{Title: "Undated", DirectorID: &p.ID}),
			createMovieAs(t, s, catalog.Movie{Title: "Old", DirectorID: &p.ID, ReleaseDate: mustDate(t, "2010-01-01")}),
			createMovieAs(t, s, catalog.Movie{Title: "New", DirectorID: &p.ID, ReleaseDate: mustDate(t, "2020-01-01"), PosterFileID: &poster.ID}),
		}
		ladyBird := createMovieAs(t, s, catalog.Movie{Title: "Lady Bird", ReleaseDate: mustDate(t, "2017-09-01"), PosterFileID: &poster.ID})
		brooklyn := createMovieAs(t, s, catalog.Movie{Title: "Brooklyn", ReleaseDate: mustDate(t, "2015-01-26")})
		roles := []struct {
			movie *catalog.Movie
			ch    *catalog.Character
		}{
			{brooklyn, &catalog.Character{Name: "Eilis Lacey", Role: catalog.RoleLeading}},
			{ladyBird, &catalog.Character{Name: "narrator", Role: catalog.RoleBackground}},
			{ladyBird, &catalog.Character{Name: "Christine", Role: catalog.RoleLeading}},
		}
		for _, r := range roles {
			if _, err := s.CreateCharacterInCast(ctx, r.movie.ID, r.ch, &p.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CreateCharacterInCast(ctx, ladyBird.ID, &catalog.Character{Name: "Someone else", Role: catalog.RoleLeading}, nil); err != nil {
			t.Fatal(err)
		}
		brief := func(m *catalog.Movie, poster *catalog.File) catalog.MovieBrief {
			b := catalog.MovieBrief{ID: m.ID, Title: m.Title, ReleaseDate: m.ReleaseDate}
			if poster != nil {
				b.Poster = bare(poster)
			}
			return b
		}

		got, err := s.PersonDetail(ctx, p.ID)
		if err != nil {
			t.Fatalf("PersonDetail: %v", err)
		}
		want := &catalog.PersonDetail{
			Person:  *p,
			Country: country,
			Photos: []catalog.Photo{
				{File: *primary, IsPrimary: true}, {File: *first}, {File: *third},
			},
			Directed: []catalog.MovieBrief{brief(directed[2], poster), brief(directed[1], nil), brief(directed[0], nil)},
			Played: []catalog.PlayedRole{
				{Movie: brief(ladyBird, poster), Character: *roles[2].ch},
				{Movie: brief(ladyBird, poster), Character: *roles[1].ch},
				{Movie: brief(brooklyn, nil), Character: *roles[0].ch},
			},
			DirectedCount: 3,
			PlayedCount:   3,
		}
		if asJSON(got) != asJSON(want) {
			t.Errorf("PersonDetail =\n%s\nwant\n%s", asJSON(got), asJSON(want))
		}

		_, err = s.PersonDetail(ctx, p.ID+1000)
		wantNotFound(t, err)
		nobody := fixturePerson(t, s, "No", "Body")
		got, err = s.PersonDetail(ctx, nobody.ID)
		want = &catalog.PersonDetail{Person: *nobody, Photos: []catalog.Photo{}, Directed: []catalog.MovieBrief{}, Played: []catalog.PlayedRole{}}
		if err != nil || asJSON(got) != asJSON(want) {
			t.Errorf("PersonDetail(nobody) = %s, %v; want %s", asJSON(got), err, asJSON(want))
		}
	})
}
