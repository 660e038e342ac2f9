package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// createMovieAs creates m as given and fails the test when it cannot.
func createMovieAs(t *testing.T, s *sqlstore.Store, m catalog.Movie) *catalog.Movie {
	t.Helper()
	if err := s.CreateMovie(context.Background(), &m); err != nil {
		t.Fatalf("CreateMovie(%q): %v", m.Title, err)
	}
	return &m
}

func mustDate(t *testing.T, s string) *catalog.Date {
	t.Helper()
	d, err := catalog.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

func mustMoney(t *testing.T, s string) *catalog.Money {
	t.Helper()
	m, err := catalog.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return &m
}

// searchCatalog is a small catalog whose every movie differs from the others
// in what a search looks at. Movies are named by their titles.
type searchCatalog struct {
	movies              map[string]*catalog.Movie
	titles              map[int64]string
	fr, us              *catalog.Country
	action, drama, comd *catalog.Genre
	d1, d2, a1, a2      *catalog.Person
}

// newSearchCatalog fills s with:
//
//	id title        country release     min budget       director genres                actors  favorites
//	1  Amélie       fr      2001-04-25  136 10000000.00  d1       Comedy, Drama         a1      2
//	2  Brave Heart  us      1995-05-24  178 72000000.00  d2       Action, Drama         a2 (×2) 0
//	3  Crash Course us      2022-01-01  136 0.10         d1       Action                a1, a2  2
//	4  Dune Part    us      2024-03-01  166 -            d2       Action, Drama         -       3
//	5  Empty        -       -           -   -            -        -                     -       0
//	6  Fast Cut     fr      2023-06-01  135 0.20         -        Drama                 nobody  0
//	7  empty        -       -           -   -            -        -                     -       0
//
// Each movie is created a minute after the one before, except that 6 and 7
// are created at the same instant.
func newSearchCatalog(t *testing.T, s *sqlstore.Store, clk *clock) *searchCatalog {
	t.Helper()
	ctx := context.Background()
	c := &searchCatalog{movies: map[string]*catalog.Movie{}, titles: map[int64]string{}}
	c.fr, c.us = fixtureCountry(t, s, "France"), fixtureCountry(t, s, "United States")
	c.action, c.drama, c.comd = fixtureGenre(t, s, "Action"), fixtureGenre(t, s, "Drama"), fixtureGenre(t, s, "Comedy")
	c.d1, c.d2 = fixturePerson(t, s, "Jean-Pierre", "Jeunet"), fixturePerson(t, s, "Mel", "Gibson")
	c.a1, c.a2 = fixturePerson(t, s, "Audrey", "Tautou"), fixturePerson(t, s, "Sophie", "Marceau")
	poster := fixtureFile(t, s, "posters/amelie")
	rows := []struct {
		m      catalog.Movie
		genres []*catalog.Genre
		actors []*catalog.Person
	}{
		{catalog.Movie{Title: "Amélie", CountryID: &c.fr.ID, ReleaseDate: mustDate(t, "2001-04-25"), Duration: ptr(136),
			Budget: mustMoney(t, "10000000.00"), DirectorID: &c.d1.ID, PosterFileID: &poster.ID},
			[]*catalog.Genre{c.comd, c.drama}, []*catalog.Person{c.a1}},
		{catalog.Movie{Title: "Brave Heart", CountryID: &c.us.ID, ReleaseDate: mustDate(t, "1995-05-24"), Duration: ptr(178),
			Budget: mustMoney(t, "72000000"), DirectorID: &c.d2.ID},
			[]*catalog.Genre{c.action, c.drama}, []*catalog.Person{c.a2, c.a2}},
		{catalog.Movie{Title: "Crash Course", CountryID: &c.us.ID, ReleaseDate: mustDate(t, "2022-01-01"), Duration: ptr(136),
			Budget: mustMoney(t, "0.10"), DirectorID: &c.d1.ID},
			[]*catalog.Genre{c.action}, []*catalog.Person{c.a1, c.a2}},
		{catalog.Movie{Title: "Dune Part", CountryID: &c.us.ID, ReleaseDate: mustDate(t, "2024-03-01"), Duration: ptr(166),
			DirectorID: &c.d2.ID},
			[]*catalog.Genre{c.action, c.drama}, nil},
		{catalog.Movie{Title: "Empty"}, nil, nil},
		{catalog.Movie{Title: "Fast Cut", CountryID: &c.fr.ID, ReleaseDate: mustDate(t, "2023-06-01"), Duration: ptr(135),
			Budget: mustMoney(t, "0.2")},
			[]*catalog.Genre{c.drama}, []*catalog.Person{nil}},
		{catalog.Movie{Title: "empty"}, nil, nil},
	}
	for i, r := range rows {
		if i < 6 {
			clk.Advance(time.Minute)
		}
		m := createMovieAs(t, s, r.m)
		c.movies[m.Title], c.titles[m.ID] = m, m.Title
		for _, g := range r.genres {
			if _, err := s.AddMovieGenre(ctx, m.ID, g.ID); err != nil {
				t.Fatal(err)
			}
		}
		for j, a := range r.actors {
			var person *int64
			if a != nil {
				person = &a.ID
			}
			ch := &catalog.Character{Name: m.Title + " character " + string(rune('A'+j)), Role: catalog.RoleLeading}
			if _, err := s.CreateCharacterInCast(ctx, m.ID, ch, person); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, fans := range map[string]int{"Amélie": 2, "Crash Course": 2, "Dune Part": 3} {
		for u := range fans {
			user := fixtureUser(t, s, strings.ToLower(strings.Fields(i)[0])+string(rune('a'+u)))
			if _, err := s.AddFavorite(ctx, user.ID, c.movies[i].ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	return c
}

// search returns the titles SearchMovies finds for f, in order, and the total.
func (c *searchCatalog) search(t *testing.T, s *sqlstore.Store, f catalog.MovieSearch) ([]string, int) {
	t.Helper()
	l, err := s.SearchMovies(context.Background(), f)
	if err != nil {
		t.Fatalf("SearchMovies(%+v): %v", f, err)
	}
	titles := []string{}
	for _, m := range l.Items {
		titles = append(titles, c.titles[m.ID])
	}
	return titles, l.Total
}

// The default sort is by title without regard to case, so every list of
// titles below is in that order, the two "empty" movies by id.

func TestSearchMoviesFilters(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		c := newSearchCatalog(t, s, clk)
		all := []string{"Amélie", "Brave Heart", "Crash Course", "Dune Part", "Empty", "empty", "Fast Cut"}
		for _, tc := range []struct {
			name string
			f    catalog.MovieSearch
			want []string
		}{
			{"no filter", catalog.MovieSearch{}, all},
			{"q without accent", catalog.MovieSearch{Q: "amelie"}, []string{"Amélie"}},
			{"q in capitals with accent", catalog.MovieSearch{Q: "AMÉLIE"}, []string{"Amélie"}},
			{"q as typed so far", catalog.MovieSearch{Q: "amél"}, []string{"Amélie"}},
			{"q inside a word", catalog.MovieSearch{Q: "ÉLIE"}, []string{}},
			{"q every word in any order", catalog.MovieSearch{Q: "heart brave"}, []string{"Brave Heart"}},
			{"q every word, not any", catalog.MovieSearch{Q: "brave cut"}, []string{}},
			{"q last word as prefix", catalog.MovieSearch{Q: "crash cou"}, []string{"Crash Course"}},
			{"q earlier words whole", catalog.MovieSearch{Q: "cra course"}, []string{}},
			{"q both cases", catalog.MovieSearch{Q: "EMPTY"}, []string{"Empty", "empty"}},
			{"q punctuation only", catalog.MovieSearch{Q: " -!?' "}, all},
			{"q punctuation between words", catalog.MovieSearch{Q: "Brave-Heart!"}, []string{"Brave Heart"}},
			{"q with search syntax", catalog.MovieSearch{Q: `"dune" OR part* NOT (x)`}, []string{}},
			{"q with SQL", catalog.MovieSearch{Q: "'); DROP TABLE movies; --"}, []string{}},
			{"genre id", catalog.MovieSearch{GenreIDs: []int64{c.action.ID}}, []string{"Brave Heart", "Crash Course", "Dune Part"}},
			{"genre name in other case", catalog.MovieSearch{GenreNames: []string{"dRAMA"}}, []string{"Amélie", "Brave Heart", "Dune Part", "Fast Cut"}},
			{"genre unknown name", catalog.MovieSearch{GenreNames: []string{"Western"}}, []string{}},
			{"genre unknown id", catalog.MovieSearch{GenreIDs: []int64{c.comd.ID + 100}}, []string{}},
			{"genre any with an unknown name", catalog.MovieSearch{GenreNames: []string{"ACTION", "Western"}}, []string{"Brave Heart", "Crash Course", "Dune Part"}},
			{"genre any of id and name", catalog.MovieSearch{GenreIDs: []int64{c.action.ID}, GenreNames: []string{"comedy"}},
				[]string{"Amélie", "Brave Heart", "Crash Course", "Dune Part"}},
			{"genre all", catalog.MovieSearch{GenreNames: []string{"Action", "Drama"}, GenreMatchAll: true}, []string{"Brave Heart", "Dune Part"}},
			{"genre all of id and name", catalog.MovieSearch{GenreIDs: []int64{c.comd.ID}, GenreNames: []string{"drama"}, GenreMatchAll: true}, []string{"Amélie"}},
			{"genre all with an unknown name", catalog.MovieSearch{GenreNames: []string{"Action", "Western"}, GenreMatchAll: true}, []string{}},
			{"genre all of one", catalog.MovieSearch{GenreIDs: []int64{c.comd.ID}, GenreMatchAll: true}, []string{"Amélie"}},
			{"country", catalog.MovieSearch{CountryIDs: []int64{c.fr.ID}}, []string{"Amélie", "Fast Cut"}},
			{"countries", catalog.MovieSearch{CountryIDs: []int64{c.fr.ID, c.us.ID}}, []string{"Amélie", "Brave Heart", "Crash Course", "Dune Part", "Fast Cut"}},
			{"director", catalog.MovieSearch{DirectorIDs: []int64{c.d1.ID}}, []string{"Amélie", "Crash Course"}},
			{"directors", catalog.MovieSearch{DirectorIDs: []int64{c.d1.ID, c.d2.ID}}, []string{"Amélie", "Brave Heart", "Crash Course", "Dune Part"}},
			{"actor in two roles", catalog.MovieSearch{ActorIDs: []int64{c.a2.ID}}, []string{"Brave Heart", "Crash Course"}},
			{"actors", catalog.MovieSearch{ActorIDs: []int64{c.a1.ID, c.a2.ID}}, []string{"Amélie", "Brave Heart", "Crash Course"}},
			{"director is no actor", catalog.MovieSearch{ActorIDs: []int64{c.d1.ID}}, []string{}},
			{"released from", catalog.MovieSearch{ReleasedFrom: mustDate(t, "2022-01-01")}, []string{"Crash Course", "Dune Part", "Fast Cut"}},
			{"released to", catalog.MovieSearch{ReleasedTo: mustDate(t, "2022-01-01")}, []string{"Amélie", "Brave Heart", "Crash Course"}},
			{"released on", catalog.MovieSearch{ReleasedFrom: mustDate(t, "2022-01-01"), ReleasedTo: mustDate(t, "2022-01-01")}, []string{"Crash Course"}},
			{"released in an empty range", catalog.MovieSearch{ReleasedFrom: mustDate(t, "2022-01-02"), ReleasedTo: mustDate(t, "2022-01-01")}, []string{}},
			{"min duration", catalog.MovieSearch{MinDuration: ptr(166)}, []string{"Brave Heart", "Dune Part"}},
			{"max duration", catalog.MovieSearch{MaxDuration: ptr(136)}, []string{"Amélie", "Crash Course", "Fast Cut"}},
			{"duration exactly", catalog.MovieSearch{MinDuration: ptr(136), MaxDuration: ptr(136)}, []string{"Amélie", "Crash Course"}},
			{"min budget", catalog.MovieSearch{MinBudget: mustMoney(t, "0.20")}, []string{"Amélie", "Brave Heart", "Fast Cut"}},
			{"max budget", catalog.MovieSearch{MaxBudget: mustMoney(t, "0.2")}, []string{"Crash Course", "Fast Cut"}},
			{"budget exactly", catalog.MovieSearch{MinBudget: mustMoney(t, "0.10"), MaxBudget: mustMoney(t, "0.10")}, []string{"Crash Course"}},
			{"budget between cents", catalog.MovieSearch{MinBudget: mustMoney(t, "0.11"), MaxBudget: mustMoney(t, "0.19")}, []string{}},
			{"large budget exactly", catalog.MovieSearch{MinBudget: mustMoney(t, "72000000.00"), MaxBudget: mustMoney(t, "72000000")}, []string{"Brave Heart"}},
			{"classic query", catalog.MovieSearch{CountryIDs: []int64{c.us.ID}, ReleasedFrom: mustDate(t, "2022-01-01"),
				MinDuration: ptr(136), GenreNames: []string{"Action", "Drama"}}, []string{"Crash Course", "Dune Part"}},
			{"combined", catalog.MovieSearch{Q: "c", CountryIDs: []int64{c.us.ID, c.fr.ID}, ActorIDs: []int64{c.a1.ID},
				MaxBudget: mustMoney(t, "1")}, []string{"Crash Course"}},
			{"everything at its bound", catalog.MovieSearch{Q: "crash course", GenreIDs: []int64{c.action.ID}, GenreMatchAll: true,
				CountryIDs: []int64{c.us.ID}, DirectorIDs: []int64{c.d1.ID}, ActorIDs: []int64{c.a1.ID},
				ReleasedFrom: mustDate(t, "2022-01-01"), ReleasedTo: mustDate(t, "2022-01-01"),
				MinDuration: ptr(136), MaxDuration: ptr(136), MinBudget: mustMoney(t, "0.10"), MaxBudget: mustMoney(t, "0.10")},
				[]string{"Crash Course"}},
		} {
			got, total := c.search(t, s, tc.f)
			if !reflect.DeepEqual(got, tc.want) || total != len(tc.want) {
				t.Errorf("%s: SearchMovies = %q, total %d; want %q, total %d", tc.name, got, total, tc.want, len(tc.want))
			}
		}
	})
}

func TestSearchMoviesClassicQuery(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		c := newSearchCatalog(t, s, clk)
		ctx := context.Background()
		// Amélie qualifies but for its country; give it a poster and a
		// director with a photo, and move it.
		photo := fixtureFile(t, s, "photos/jeunet")
		if _, err := s.AddPersonPhoto(ctx, c.d1.ID, photo.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateMovie(ctx, c.movies["Amélie"].ID, catalog.MovieUpdate{
			CountryID: catalog.Set(c.us.ID), ReleaseDate: catalog.Set(*mustDate(t, "2022-06-01")),
		}); err != nil {
			t.Fatal(err)
		}
		l, err := s.SearchMovies(ctx, catalog.MovieSearch{
			CountryIDs: []int64{c.us.ID}, ReleasedFrom: mustDate(t, "2022-01-01"), MinDuration: ptr(136),
			GenreNames: []string{"Action", "Drama"}, Page: catalog.Page{Size: 2},
		})
		if err != nil {
			t.Fatal(err)
		}
		if l.Total != 3 || len(l.Items) != 2 || l.Page != (catalog.Page{Number: 1, Size: 2}) {
			t.Fatalf("classic query = %s; want 2 of 3 movies", asJSON(l))
		}
		got := l.Items[0]
		if got.ID != c.movies["Amélie"].ID || got.Poster == nil || got.Poster.Key != "posters/amelie" ||
			got.Director == nil || got.Director.ID != c.d1.ID || got.Director.LastName != "Jeunet" ||
			got.Director.Photo == nil || got.Director.Photo.ID != photo.ID {
			t.Errorf("first movie = %s; want Amélie with its poster and director with photo", asJSON(got))
		}
		if got := l.Items[1]; got.Title != "Crash Course" || got.Poster != nil || got.Director == nil || got.Director.Photo == nil {
			t.Errorf("second movie = %s; want Crash Course without poster, with director and photo", asJSON(got))
		}
	})
}

func TestSearchMoviesSort(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		c := newSearchCatalog(t, s, clk)
		for _, tc := range []struct {
			sort      string
			asc, desc []string
		}{
			{"", // title
				[]string{"Amélie", "Brave Heart", "Crash Course", "Dune Part", "Empty", "empty", "Fast Cut"},
				[]string{"Fast Cut", "Empty", "empty", "Dune Part", "Crash Course", "Brave Heart", "Amélie"}},
			{catalog.MovieSortTitle,
				[]string{"Amélie", "Brave Heart", "Crash Course", "Dune Part", "Empty", "empty", "Fast Cut"},
				[]string{"Fast Cut", "Empty", "empty", "Dune Part", "Crash Course", "Brave Heart", "Amélie"}},
			{catalog.MovieSortReleaseDate,
				[]string{"Brave Heart", "Amélie", "Crash Course", "Fast Cut", "Dune Part", "Empty", "empty"},
				[]string{"Dune Part", "Fast Cut", "Crash Course", "Amélie", "Brave Heart", "Empty", "empty"}},
			{catalog.MovieSortBudget,
				[]string{"Crash Course", "Fast Cut", "Amélie", "Brave Heart", "Dune Part", "Empty", "empty"},
				[]string{"Brave Heart", "Amélie", "Fast Cut", "Crash Course", "Dune Part", "Empty", "empty"}},
			{catalog.MovieSortDuration,
				[]string{"Fast Cut", "Amélie", "Crash Course", "Dune Part", "Brave Heart", "Empty", "empty"},
				[]string{"Brave Heart", "Dune Part", "Amélie", "Crash Course", "Fast Cut", "Empty", "empty"}},
			{catalog.MovieSortPopularity,
				[]string{"Brave Heart", "Empty", "Fast Cut", "empty", "Amélie", "Crash Course", "Dune Part"},
				[]string{"Dune Part", "Amélie", "Crash Course", "Brave Heart", "Empty", "Fast Cut", "empty"}},
			{catalog.MovieSortCreatedAt,
				[]string{"Amélie", "Brave Heart", "Crash Course", "Dune Part", "Empty", "Fast Cut", "empty"},
				[]string{"Fast Cut", "empty", "Empty", "Dune Part", "Crash Course", "Brave Heart", "Amélie"}},
		} {
			for _, desc := range []bool{false, true} {
				want := tc.asc
				if desc {
					want = tc.desc
				}
				got, _ := c.search(t, s, catalog.MovieSearch{Sort: tc.sort, Desc: desc})
				if !reflect.DeepEqual(got, want) {
					t.Errorf("sort %q desc=%v = %q; want %q", tc.sort, desc, got, want)
				}
				// Pages of two add up to the same order.
				paged := pageThrough(t, len(want), func(p catalog.Page) ([]int64, int, error) {
					l, err := s.SearchMovies(context.Background(), catalog.MovieSearch{Sort: tc.sort, Desc: desc, Page: p})
					return idsOf(l, err, func(m catalog.MovieSummary) int64 { return m.ID })
				})
				var pagedTitles []string
				for _, id := range paged {
					pagedTitles = append(pagedTitles, c.titles[id])
				}
				if !reflect.DeepEqual(pagedTitles, want) {
					t.Errorf("sort %q desc=%v by pages = %q; want %q", tc.sort, desc, pagedTitles, want)
				}
			}
		}
		// A filter past its last page still counts what it finds.
		l, err := s.SearchMovies(context.Background(), catalog.MovieSearch{GenreNames: []string{"drama"}, Page: catalog.Page{Number: 9}})
		if err != nil || len(l.Items) != 0 || l.Total != 4 {
			t.Errorf("page 9 of drama = %d items, total %d, %v; want 0, 4, nil", len(l.Items), l.Total, err)
		}
	})
}

func TestSearchMoviesRejects(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		many := make([]int64, 101)
		for _, tc := range []struct {
			f     catalog.MovieSearch
			field string
		}{
			{catalog.MovieSearch{Sort: "title; DROP TABLE movies"}, "sort"},
			{catalog.MovieSearch{Sort: "-title"}, "sort"},
			{catalog.MovieSearch{Q: strings.Repeat("word ", 17)}, "q"},
			{catalog.MovieSearch{GenreIDs: many}, "genre"},
			{catalog.MovieSearch{GenreIDs: many[:50], GenreNames: make([]string, 51)}, "genre"},
			{catalog.MovieSearch{CountryIDs: many}, "country"},
			{catalog.MovieSearch{DirectorIDs: many}, "director"},
			{catalog.MovieSearch{ActorIDs: many}, "actor"},
		} {
			_, err := s.SearchMovies(ctx, tc.f)
			wantInvalid(t, err, tc.field)
		}
		if _, err := s.SearchMovies(ctx, catalog.MovieSearch{Q: strings.Repeat("word ", 16), CountryIDs: many[:100]}); err != nil {
			t.Errorf("SearchMovies at the limits = %v; want nil", err)
		}
		_, err := s.SearchPersons(ctx, strings.Repeat("a ", 17), catalog.Page{})
		wantInvalid(t, err, "q")

		// Text no tokenizer expects is no error, whatever it finds.
		fixtureMovie(t, s, "東京物語")
		for _, q := range []string{"東京物語", "東京", "ᚠᚢᚦ", "ǅemal", "١٢٣", "x\u0301", "\u0301", "ß", "İstanbul", "\x00",
			"a\xffb", strings.Repeat("a", 5000), "a:*", "a & b | !c", `NEAR("a" "b")`, "^a", "-a"} {
			if _, err := s.SearchMovies(ctx, catalog.MovieSearch{Q: q}); err != nil {
				t.Errorf("SearchMovies(q=%q) = %v", q, err)
			}
			if _, err := s.SearchPersons(ctx, q, catalog.Page{}); err != nil {
				t.Errorf("SearchPersons(%q) = %v", q, err)
			}
		}
		for _, q := range []string{"東京物語", "東京物語 "} {
			if l, err := s.SearchMovies(ctx, catalog.MovieSearch{Q: q}); err != nil || l.Total != 1 {
				t.Errorf("SearchMovies(q=%q) = %d found, %v; want the movie", q, l.Total, err)
			}
		}
	})
}

func TestSearchMoviesFollowsWrites(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		c := newSearchCatalog(t, s, clk)
		ctx := context.Background()
		find := func(q string) []string {
			got, _ := c.search(t, s, catalog.MovieSearch{Q: q})
			return got
		}
		amelie := c.movies["Amélie"]
		if _, err := s.UpdateMovie(ctx, amelie.ID, catalog.MovieUpdate{Title: ptr("Zazie dans le Métro")}); err != nil {
			t.Fatal(err)
		}
		c.titles[amelie.ID] = "Zazie dans le Métro"
		if got := find("amelie"); len(got) != 0 {
			t.Errorf("search for the old title after update = %q; want nothing", got)
		}
		if got := find("metro zazie"); !reflect.DeepEqual(got, []string{"Zazie dans le Métro"}) {
			t.Errorf("search for the new title = %q; want the renamed movie", got)
		}
		// Changing other columns leaves the index as it was.
		if _, err := s.UpdateMovie(ctx, amelie.ID, catalog.MovieUpdate{Duration: catalog.Set(90)}); err != nil {
			t.Fatal(err)
		}
		if got := find("ZAZIE"); !reflect.DeepEqual(got, []string{"Zazie dans le Métro"}) {
			t.Errorf("search after another column changed = %q", got)
		}
		if err := s.DeleteMovie(ctx, c.movies["Dune Part"].ID); err != nil {
			t.Fatal(err)
		}
		if got := find("dune"); len(got) != 0 {
			t.Errorf("search for a deleted movie = %q; want nothing", got)
		}
		m := createMovieAs(t, s, catalog.Movie{Title: "Dune: Part Two"})
		c.titles[m.ID] = m.Title
		if got := find("part dune"); !reflect.DeepEqual(got, []string{"Dune: Part Two"}) {
			t.Errorf("search for a new movie = %q", got)
		}
	})
}

func TestSearchPersons(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		jose := fixturePerson(t, s, "José", "García Márquez")
		joseph := fixturePerson(t, s, "Joseph", "Gordon-Levitt")
		zoe := fixturePerson(t, s, "ZOË", "Saldaña")
		garcia := fixturePerson(t, s, "Andy", "Garcia")
		names := map[int64]string{jose.ID: "José", joseph.ID: "Joseph", zoe.ID: "ZOË", garcia.ID: "Andy"}
		find := func(q string) ([]string, int) {
			t.Helper()
			l, err := s.SearchPersons(ctx, q, catalog.Page{})
			if err != nil {
				t.Fatalf("SearchPersons(%q): %v", q, err)
			}
			got := []string{}
			for _, p := range l.Items {
				got = append(got, names[p.ID])
			}
			return got, l.Total
		}
		// Ordered by last name, then first name.
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"", []string{"Andy", "José", "Joseph", "ZOË"}},
			{"jose", []string{"José", "Joseph"}},
			{"JOSÉ garcia", []string{"José"}},
			{"garcia", []string{"Andy", "José"}},
			{"marquez jo", []string{"José"}},
			{"zoe saldana", []string{"ZOË"}},
			{"levitt", []string{"Joseph"}},
			{"gordon levitt joseph", []string{"Joseph"}},
			{"andy josé", []string{}},
			{"Ž", []string{"ZOË"}},
		} {
			got, total := find(tc.q)
			if !reflect.DeepEqual(got, tc.want) || total != len(tc.want) {
				t.Errorf("SearchPersons(%q) = %q, total %d; want %q", tc.q, got, total, tc.want)
			}
		}
		ids := pageThrough(t, 2, func(p catalog.Page) ([]int64, int, error) {
			l, err := s.SearchPersons(ctx, "garc", p)
			return idsOf(l, err, func(p catalog.Person) int64 { return p.ID })
		})
		if !reflect.DeepEqual(ids, []int64{garcia.ID, jose.ID}) {
			t.Errorf("SearchPersons(garc) by pages = %v; want %v", ids, []int64{garcia.ID, jose.ID})
		}

		if _, err := s.UpdatePerson(ctx, zoe.ID, catalog.PersonUpdate{LastName: ptr("Yates")}); err != nil {
			t.Fatal(err)
		}
		if got, _ := find("saldana"); len(got) != 0 {
			t.Errorf("search for the old name after update = %q; want nothing", got)
		}
		if got, _ := find("zoe yates"); !reflect.DeepEqual(got, []string{"ZOË"}) {
			t.Errorf("search for the new name = %q", got)
		}
		if err := s.DeletePerson(ctx, garcia.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := find("garcia"); !reflect.DeepEqual(got, []string{"José"}) {
			t.Errorf("search after a delete = %q; want only José", got)
		}
	})
}

// TestSearchMigrationIndexesExistingRows migrates a database that has rows
// already from version 2, and finds them.
func TestSearchMigrationIndexesExistingRows(t *testing.T) {
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dsn := sqltest.DSN(t, e)
			driver, source := "pgx", dsn
			if e == sqlstore.SQLite {
				driver, source = "sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")
			}
			raw, err := sql.Open(driver, source)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			stmts := []string{}
			for _, name := range []string{"0001_seed_schema.sql", "0002_accounts.sql"} {
				b, err := os.ReadFile(filepath.Join("migrations", string(e), name))
				if err != nil {
					t.Fatal(err)
				}
				stmts = append(stmts, string(b))
			}
			stmts = append(stmts,
				"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)",
				"INSERT INTO schema_migrations VALUES (1, 'seed_schema', CURRENT_TIMESTAMP), (2, 'accounts', CURRENT_TIMESTAMP)",
				"INSERT INTO movies (title) VALUES ('Le Fabuleux Destin d''Amélie Poulain')",
				"INSERT INTO persons (first_name, last_name) VALUES ('Mathieu', 'Kassovitz')")
			for _, q := range stmts {
				if _, err := raw.ExecContext(ctx, q); err != nil {
					t.Fatalf("%.60s: %v", q, err)
				}
			}
			s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if applied, err := s.Migrate(ctx); err != nil || len(applied) == 0 || applied[0].Version != 3 {
				t.Fatalf("Migrate = %v, %v; want migration 3 and on applied", applied, err)
			}
			if l, err := s.SearchMovies(ctx, catalog.MovieSearch{Q: "amelie poul"}); err != nil || l.Total != 1 {
				t.Errorf("SearchMovies(amelie poul) after migrating = %s, %v; want the movie written before", asJSON(l), err)
			}
			if l, err := s.SearchPersons(ctx, "KASSO", catalog.Page{}); err != nil || l.Total != 1 {
				t.Errorf("SearchPersons(KASSO) after migrating = %s, %v; want the person written before", asJSON(l), err)
			}
		})
	}
}

// TestSearchPlansUseIndexes checks that SQLite's plans, without statistics,
// use the text indexes, read sorted pages off the indexes of migration 0011
// and the title index. (PostgreSQL's planner rightly scans tables this
// small; the benchmarks log its plans on a large catalog.)
func TestSearchPlansUseIndexes(t *testing.T) {
	s := sqltest.Open(t, sqlstore.SQLite, sqlstore.Options{})
	ctx := context.Background()
	for _, tc := range []struct {
		f    catalog.MovieSearch
		want string
	}{
		{catalog.MovieSearch{Q: "amelie"}, "SCAN movies_fts VIRTUAL TABLE INDEX"},
		{catalog.MovieSearch{}, "SCAN m USING COVERING INDEX movies_title_lower_idx"},
		{catalog.MovieSearch{ActorIDs: []int64{1}}, "SEARCH mc USING COVERING INDEX movie_characters_person_id_idx (person_id=?)"},
		{catalog.MovieSearch{GenreNames: []string{"drama"}}, "USING COVERING INDEX movie_genres_genre_id_idx (genre_id=?)"},
		{catalog.MovieSearch{CountryIDs: []int64{1}, GenreNames: []string{"drama"}}, "SEARCH m USING INDEX movies_country_release_idx (country_id=?)"},
		{catalog.MovieSearch{CountryIDs: []int64{1}, ReleasedFrom: mustDate(t, "2022-01-01")},
			"SEARCH m USING INDEX movies_country_release_idx (country_id=? AND release_date>?)"},
		// The classic query without a country (an IMDb import has none)
		// tests each movie of the release range for its genres rather
		// than reading the ids of two genres' movies, a third of all.
		{catalog.MovieSearch{GenreNames: []string{"action", "drama"}, ReleasedFrom: mustDate(t, "2022-01-01"), MinDuration: ptr(135),
			Sort: catalog.MovieSortReleaseDate, Desc: true}, "SEARCH mg EXISTS USING COVERING INDEX"},
		// Pages read in order off an index, without statistics (a catalog
		// written through the API has none until PRAGMA optimize runs).
		{catalog.MovieSearch{GenreNames: []string{"drama"}, ReleasedFrom: mustDate(t, "1990-01-01"), ReleasedTo: mustDate(t, "1999-12-31"),
			Sort: catalog.MovieSortReleaseDate, Desc: true}, "SEARCH gd USING COVERING INDEX movie_genre_releases_genre_idx (genre_id=? AND release_date>? AND release_date<?)\n" +
			"      SCALAR SUBQUERY 1\n        SEARCH g USING INDEX genres_name_key (<expr>=?)\n      SEARCH m USING INTEGER PRIMARY KEY (rowid=?)\n      USE TEMP B-TREE FOR LAST TERM OF ORDER BY"},
		{catalog.MovieSearch{Sort: catalog.MovieSortPopularity, Desc: true}, "SCAN ms USING COVERING INDEX movie_stats_favorites_desc_idx"},
		{catalog.MovieSearch{Sort: catalog.MovieSortPopularity}, "SCAN ms USING COVERING INDEX movie_stats_favorites_idx"},
		{catalog.MovieSearch{Sort: catalog.MovieSortCreatedAt, Desc: true}, "SCAN m USING COVERING INDEX movies_created_at_desc_idx"},
		{catalog.MovieSearch{Sort: catalog.MovieSortReleaseDate}, "SEARCH m USING COVERING INDEX movies_release_date_idx (release_date>?)"},
	} {
		plan, err := s.SearchPlanForTest(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(plan, "\n"), tc.want) {
			t.Errorf("plan of %+v =\n%s\nwant a step %q", tc.f, strings.Join(plan, "\n"), tc.want)
		}
	}
	plan, err := s.PersonSearchPlanForTest(ctx, "jose")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "SCAN persons_fts VIRTUAL TABLE INDEX") {
		t.Errorf("plan of person search =\n%s\nwant the persons_fts index", strings.Join(plan, "\n"))
	}
}
