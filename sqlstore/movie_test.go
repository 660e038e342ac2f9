package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// movieString formats m with its pointer fields followed, for failure messages.
func movieString(m *catalog.Movie) string {
	if m == nil {
		return "<nil>"
	}
	return fmt.Sprintf("{ID:%d Title:%q Description:%s Budget:%s ReleaseDate:%s Duration:%s Director:%s Country:%s Poster:%s Created:%v Updated:%v}",
		m.ID, m.Title, deref(m.Description), deref(m.Budget), deref(m.ReleaseDate), deref(m.Duration),
		deref(m.DirectorID), deref(m.CountryID), deref(m.PosterFileID), m.CreatedAt, m.UpdatedAt)
}

func deref[T any](p *T) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func wantMovie(t *testing.T, what string, got, want *catalog.Movie) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %s;\nwant %s", what, movieString(got), movieString(want))
	}
}

func TestMovieCRUD(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		france, usa := fixtureCountry(t, s, "France"), fixtureCountry(t, s, "United States")
		scott, cameron := fixturePerson(t, s, "Ridley", "Scott"), fixturePerson(t, s, "James", "Cameron")
		poster, poster2 := fixtureFile(t, s, "posters/alien"), fixtureFile(t, s, "posters/aliens")

		created := clk.Now()
		m := &catalog.Movie{
			Title:        "Alien",
			Description:  ptr("In space no one can hear you scream."),
			Budget:       ptr(catalog.Money(1250)),
			ReleaseDate:  &catalog.Date{Year: 1979, Month: time.May, Day: 25},
			Duration:     ptr(117),
			DirectorID:   &scott.ID,
			CountryID:    &usa.ID,
			PosterFileID: &poster.ID,
		}
		if err := s.CreateMovie(ctx, m); err != nil {
			t.Fatalf("CreateMovie: %v", err)
		}
		if m.ID == 0 || !m.CreatedAt.Equal(created) || !m.UpdatedAt.Equal(created) {
			t.Fatalf("created movie = %s; want an id and timestamps %v", movieString(m), created)
		}
		want := &catalog.Movie{
			ID: m.ID, Title: "Alien", Description: ptr("In space no one can hear you scream."),
			Budget: ptr(catalog.Money(1250)), ReleaseDate: &catalog.Date{Year: 1979, Month: time.May, Day: 25},
			Duration: ptr(117), DirectorID: &scott.ID, CountryID: &usa.ID, PosterFileID: &poster.ID,
			CreatedAt: created, UpdatedAt: created,
		}
		wantMovie(t, "created movie", m, want)
		got, err := s.MovieByID(ctx, m.ID)
		if err != nil {
			t.Fatalf("MovieByID(%d): %v", m.ID, err)
		}
		wantMovie(t, fmt.Sprintf("MovieByID(%d)", m.ID), got, want)

		// Every field changes.
		clk.Advance(time.Minute)
		upd, err := s.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{
			Title:        ptr("Aliens"),
			Description:  catalog.Set("This time it's war."),
			Budget:       catalog.Set(catalog.Money(1850000000)),
			ReleaseDate:  catalog.Set(catalog.Date{Year: 1986, Month: time.July, Day: 18}),
			Duration:     catalog.Set(137),
			DirectorID:   catalog.Set(cameron.ID),
			CountryID:    catalog.Set(france.ID),
			PosterFileID: catalog.Set(poster2.ID),
		})
		if err != nil {
			t.Fatalf("UpdateMovie: %v", err)
		}
		want = &catalog.Movie{
			ID: m.ID, Title: "Aliens", Description: ptr("This time it's war."),
			Budget: ptr(catalog.Money(1850000000)), ReleaseDate: &catalog.Date{Year: 1986, Month: time.July, Day: 18},
			Duration: ptr(137), DirectorID: &cameron.ID, CountryID: &france.ID, PosterFileID: &poster2.ID,
			CreatedAt: created, UpdatedAt: clk.Now(),
		}
		wantMovie(t, "UpdateMovie (all set)", upd, want)
		got, _ = s.MovieByID(ctx, m.ID)
		wantMovie(t, "MovieByID after update", got, want)

		// Every nullable field clears.
		clk.Advance(time.Minute)
		upd, err = s.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{
			Description:  catalog.Clear[string](),
			Budget:       catalog.Clear[catalog.Money](),
			ReleaseDate:  catalog.Clear[catalog.Date](),
			Duration:     catalog.Clear[int](),
			DirectorID:   catalog.Clear[int64](),
			CountryID:    catalog.Clear[int64](),
			PosterFileID: catalog.Clear[int64](),
		})
		if err != nil {
			t.Fatalf("UpdateMovie (clear): %v", err)
		}
		want = &catalog.Movie{ID: m.ID, Title: "Aliens", CreatedAt: created, UpdatedAt: clk.Now()}
		wantMovie(t, "UpdateMovie (all cleared)", upd, want)
		got, _ = s.MovieByID(ctx, m.ID)
		wantMovie(t, "MovieByID after clearing", got, want)

		// An empty update only touches updatedAt.
		clk.Advance(time.Minute)
		upd, err = s.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{})
		if err != nil {
			t.Fatalf("empty UpdateMovie: %v", err)
		}
		want.UpdatedAt = clk.Now()
		wantMovie(t, "empty UpdateMovie", upd, want)

		// One field changes; the others stay.
		clk.Advance(time.Minute)
		upd, err = s.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{Duration: catalog.Set(1000)})
		if err != nil {
			t.Fatalf("UpdateMovie(duration): %v", err)
		}
		want.Duration, want.UpdatedAt = ptr(1000), clk.Now()
		wantMovie(t, "UpdateMovie (duration)", upd, want)

		_, err = s.UpdateMovie(ctx, 9999, catalog.MovieUpdate{Title: ptr("X")})
		wantNotFound(t, err)
		_, err = s.MovieByID(ctx, 9999)
		wantNotFound(t, err)

		if err := s.DeleteMovie(ctx, m.ID); err != nil {
			t.Fatalf("DeleteMovie: %v", err)
		}
		_, err = s.MovieByID(ctx, m.ID)
		wantNotFound(t, err)
		wantNotFound(t, s.DeleteMovie(ctx, m.ID))
		// The movie's director, country and poster stay.
		if _, err := s.PersonByID(ctx, cameron.ID); err != nil {
			t.Errorf("director after DeleteMovie: %v", err)
		}
		if _, err := s.CountryByID(ctx, france.ID); err != nil {
			t.Errorf("country after DeleteMovie: %v", err)
		}
	})
}

// TestMovieBudgetExact checks that budgets come back to the cent on both
// engines: SQLite keeps them as REAL or INTEGER, PostgreSQL as numeric.
func TestMovieBudgetExact(t *testing.T) {
	budgets := []catalog.Money{0, 1, 29, 1250, 10, 15_000_000_000, catalog.MaxMoney, 12_345_678_901_234}
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		ids := map[int64]catalog.Money{}
		for _, b := range budgets {
			m := &catalog.Movie{Title: "Budget " + b.String(), Budget: ptr(b)}
			if err := s.CreateMovie(ctx, m); err != nil {
				t.Fatalf("CreateMovie(budget %s): %v", b, err)
			}
			if m.Budget == nil || *m.Budget != b {
				t.Errorf("CreateMovie(budget %s) budget = %s", b, deref(m.Budget))
			}
			got, err := s.MovieByID(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Budget == nil || *got.Budget != b {
				t.Errorf("MovieByID budget = %s; want %s", deref(got.Budget), b)
			}
			ids[m.ID] = b
		}
		l, err := s.ListMovies(ctx, catalog.MovieFilter{Page: catalog.Page{Size: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range l.Items {
			if m.Budget == nil || *m.Budget != ids[m.ID] {
				t.Errorf("ListMovies movie %d budget = %s; want %s", m.ID, deref(m.Budget), ids[m.ID])
			}
		}
		// Updates round-trip too, from a whole amount to cents and back.
		m := fixtureMovie(t, s, "Updated budget")
		for _, b := range []catalog.Money{15_000_000_000, 29, catalog.MaxMoney, 1250} {
			upd, err := s.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{Budget: catalog.Set(b)})
			if err != nil {
				t.Fatalf("UpdateMovie(budget %s): %v", b, err)
			}
			got, _ := s.MovieByID(ctx, m.ID)
			if *upd.Budget != b || got.Budget == nil || *got.Budget != b {
				t.Errorf("UpdateMovie(budget %s) = %s, reads back %s", b, deref(upd.Budget), deref(got.Budget))
			}
		}
	})
}

func TestMovieConstraints(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		bad := int64(9999)
		for _, tc := range []struct {
			name  string
			movie catalog.Movie
			field string
		}{
			{"empty title", catalog.Movie{Title: ""}, "title"},
			{"blank title", catalog.Movie{Title: "   "}, "title"},
			{"duration 0", catalog.Movie{Title: "T", Duration: ptr(0)}, "duration"},
			{"duration 1001", catalog.Movie{Title: "T", Duration: ptr(1001)}, "duration"},
			{"duration -5", catalog.Movie{Title: "T", Duration: ptr(-5)}, "duration"},
			{"duration beyond int32", catalog.Movie{Title: "T", Duration: ptr(1 << 40)}, "duration"},
			{"negative budget", catalog.Movie{Title: "T", Budget: ptr(catalog.Money(-1))}, "budget"},
			{"budget too large", catalog.Movie{Title: "T", Budget: ptr(catalog.MaxMoney + 1)}, "budget"},
			{"year 0", catalog.Movie{Title: "T", ReleaseDate: &catalog.Date{Year: 0, Month: 1, Day: 1}}, "release_date"},
			{"year 10000", catalog.Movie{Title: "T", ReleaseDate: &catalog.Date{Year: 10000, Month: 1, Day: 1}}, "release_date"},
			{"unknown director", catalog.Movie{Title: "T", DirectorID: &bad}, "director_id"},
			{"unknown country", catalog.Movie{Title: "T", CountryID: &bad}, "country_id"},
			{"unknown poster", catalog.Movie{Title: "T", PosterFileID: &bad}, "poster_file_id"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m := tc.movie
				wantInvalid(t, s.CreateMovie(ctx, &m), tc.field)
				if m.ID != 0 {
					t.Errorf("failed CreateMovie set ID %d", m.ID)
				}
			})
		}
		// All bad references are named at once.
		err := s.CreateMovie(ctx, &catalog.Movie{Title: "T", DirectorID: &bad, CountryID: &bad, PosterFileID: &bad})
		for _, f := range []string{"director_id", "country_id", "poster_file_id"} {
			wantInvalid(t, err, f)
		}
		if l, err := s.ListMovies(ctx, catalog.MovieFilter{}); err != nil || l.Total != 0 {
			t.Fatalf("after failed creates ListMovies total = %d, %v; want 0", l.Total, err)
		}

		// The bounds are allowed.
		for _, d := range []int{1, 1000} {
			if err := s.CreateMovie(ctx, &catalog.Movie{Title: "T", Duration: ptr(d)}); err != nil {
				t.Errorf("CreateMovie(duration %d): %v", d, err)
			}
		}

		m := fixtureMovie(t, s, "Valid")
		for _, tc := range []struct {
			name  string
			upd   catalog.MovieUpdate
			field string
		}{
			{"blank title", catalog.MovieUpdate{Title: ptr("  ")}, "title"},
			{"duration 0", catalog.MovieUpdate{Duration: catalog.Set(0)}, "duration"},
			{"duration 1001", catalog.MovieUpdate{Duration: catalog.Set(1001)}, "duration"},
			{"negative budget", catalog.MovieUpdate{Budget: catalog.Set(catalog.Money(-100))}, "budget"},
			{"budget too large", catalog.MovieUpdate{Budget: catalog.Set(catalog.MaxMoney + 1)}, "budget"},
			{"year 0", catalog.MovieUpdate{ReleaseDate: catalog.Set(catalog.Date{Year: 0, Month: 1, Day: 1})}, "release_date"},
			{"unknown director", catalog.MovieUpdate{DirectorID: catalog.Set(bad)}, "director_id"},
			{"unknown country", catalog.MovieUpdate{CountryID: catalog.Set(bad)}, "country_id"},
			{"unknown poster", catalog.MovieUpdate{PosterFileID: catalog.Set(bad)}, "poster_file_id"},
		} {
			t.Run("update "+tc.name, func(t *testing.T) {
				_, err := s.UpdateMovie(ctx, m.ID, tc.upd)
				wantInvalid(t, err, tc.field)
			})
		}
		got, err := s.MovieByID(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantMovie(t, "movie after failed updates", got, m)
	})
}

func TestListMovies(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		empty, err := s.ListMovies(ctx, catalog.MovieFilter{})
		if err != nil || len(empty.Items) != 0 || empty.Items == nil || empty.Total != 0 || empty.Page.Size != catalog.DefaultPageSize {
			t.Fatalf("ListMovies on no movies = %+v, %v; want an empty page", empty, err)
		}
		var want []int64
		for _, title := range []string{"Zodiac", "Alien", "Memento", "Brazil", "Heat"} {
			want = append(want, fixtureMovie(t, s, title).ID)
		}
		got := pageThrough(t, 5, func(p catalog.Page) ([]int64, int, error) {
			l, err := s.ListMovies(ctx, catalog.MovieFilter{Page: p})
			if err == nil && l.Page != p {
				t.Errorf("ListMovies page = %+v; want %+v", l.Page, p)
			}
			return idsOf(l, err, func(m catalog.Movie) int64 { return m.ID })
		})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("listed ids %v; want %v (by id)", got, want)
		}
	})
}

func TestDeleteMovieCascades(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m, other := fixtureMovie(t, s, "Heat"), fixtureMovie(t, s, "Collateral")
		g := fixtureGenre(t, s, "Crime")
		actor := fixturePerson(t, s, "Al", "Pacino")
		ch := fixtureCharacter(t, s, "Vincent Hanna", catalog.RoleLeading)
		for _, id := range []int64{m.ID, other.ID} {
			if _, err := s.AddMovieGenre(ctx, id, g.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.AddCastMember(ctx, &catalog.CastMember{MovieID: id, CharacterID: ch.ID, PersonID: &actor.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DeleteMovie(ctx, m.ID); err != nil {
			t.Fatalf("DeleteMovie: %v", err)
		}
		_, err := s.MovieGenres(ctx, m.ID)
		wantNotFound(t, err)
		_, err = s.CastMemberByID(ctx, m.ID, ch.ID)
		wantNotFound(t, err)
		_, err = s.ListCast(ctx, m.ID)
		wantNotFound(t, err)
		// The genre, character and actor stay, and so do the other movie's links.
		if _, err := s.GenreByID(ctx, g.ID); err != nil {
			t.Errorf("genre after DeleteMovie: %v", err)
		}
		if _, err := s.CharacterByID(ctx, ch.ID); err != nil {
			t.Errorf("character after DeleteMovie: %v", err)
		}
		if _, err := s.PersonByID(ctx, actor.ID); err != nil {
			t.Errorf("actor after DeleteMovie: %v", err)
		}
		if gs, err := s.MovieGenres(ctx, other.ID); err != nil || len(gs) != 1 {
			t.Errorf("other movie's genres = %v, %v; want 1", gs, err)
		}
		if cast, err := s.ListCast(ctx, other.ID); err != nil || len(cast) != 1 {
			t.Errorf("other movie's cast = %v, %v; want 1", cast, err)
		}
	})
}

func TestDeletePosterClearsMovie(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		f := fixtureFile(t, s, "posters/heat")
		m := &catalog.Movie{Title: "Heat", PosterFileID: &f.ID}
		if err := s.CreateMovie(ctx, m); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteFile(ctx, f.ID); err != nil {
			t.Fatalf("DeleteFile: %v", err)
		}
		got, err := s.MovieByID(ctx, m.ID)
		if err != nil || got.PosterFileID != nil {
			t.Errorf("movie after its poster is deleted = %s, %v; want no poster", movieString(got), err)
		}
	})
}

// TestUnstorableText checks that text PostgreSQL cannot hold is refused as
// invalid input, not failed as an internal error. SQLite stores it.
func TestUnstorableText(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		err := s.CreateMovie(context.Background(), &catalog.Movie{Title: "Nul\x00Title"})
		if s.Engine() == sqlstore.Postgres {
			wantInvalid(t, err, "input")
		} else if err != nil {
			t.Errorf("CreateMovie with NUL on SQLite: %v", err)
		}
	})
}

func TestUpdateIfUnchanged(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "Alien")
		p := fixturePerson(t, s, "Sigourney", "Weaver")
		read := m.UpdatedAt

		clk.Advance(time.Second)
		if _, err := s.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{Title: ptr("Alien (1979)"), IfUpdatedAt: &read}); err != nil {
			t.Fatalf("update with the current updatedAt: %v", err)
		}
		// The same precondition now names a stale version.
		_, err := s.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{Title: ptr("Lost update"), IfUpdatedAt: &read})
		if !errors.Is(err, catalog.ErrPreconditionFailed) {
			t.Fatalf("update with a stale updatedAt = %v; want ErrPreconditionFailed", err)
		}
		if got, _ := s.MovieByID(ctx, m.ID); got.Title != "Alien (1979)" {
			t.Errorf("title after refused update = %q", got.Title)
		}
		_, err = s.UpdateMovie(ctx, 999, catalog.MovieUpdate{Title: ptr("x"), IfUpdatedAt: &read})
		wantNotFound(t, err)

		pRead := p.UpdatedAt
		clk.Advance(time.Second)
		if _, err := s.UpdatePerson(ctx, p.ID, catalog.PersonUpdate{LastName: ptr("W."), IfUpdatedAt: &pRead}); err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdatePerson(ctx, p.ID, catalog.PersonUpdate{LastName: ptr("X"), IfUpdatedAt: &pRead})
		if !errors.Is(err, catalog.ErrPreconditionFailed) {
			t.Errorf("person update with a stale updatedAt = %v; want ErrPreconditionFailed", err)
		}
	})
}

// TestDeleteIfUnchanged checks DeleteMovieIf and DeletePersonIf: a stale
// updatedAt is ErrPreconditionFailed and deletes nothing, the current one
// deletes, and a row that does not exist is ErrNotFound either way.
func TestDeleteIfUnchanged(t *testing.T) {
	t.Parallel()
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "Alien")
		p := fixturePerson(t, s, "Sigourney", "Weaver")
		mRead, pRead := m.UpdatedAt, p.UpdatedAt

		clk.Advance(time.Second)
		changed, err := s.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{Title: ptr("Alien (1979)")})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteMovieIf(ctx, m.ID, &mRead); !errors.Is(err, catalog.ErrPreconditionFailed) {
			t.Fatalf("DeleteMovieIf with a stale updatedAt = %v; want ErrPreconditionFailed", err)
		}
		if _, err := s.MovieByID(ctx, m.ID); err != nil {
			t.Fatalf("movie after a refused delete: %v", err)
		}
		if err := s.DeleteMovieIf(ctx, m.ID, &changed.UpdatedAt); err != nil {
			t.Fatalf("DeleteMovieIf with the current updatedAt: %v", err)
		}
		wantNotFound(t, s.DeleteMovieIf(ctx, m.ID, &changed.UpdatedAt))

		changedP, err := s.UpdatePerson(ctx, p.ID, catalog.PersonUpdate{LastName: ptr("W.")})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePersonIf(ctx, p.ID, &pRead); !errors.Is(err, catalog.ErrPreconditionFailed) {
			t.Fatalf("DeletePersonIf with a stale updatedAt = %v; want ErrPreconditionFailed", err)
		}
		if err := s.DeletePersonIf(ctx, p.ID, &changedP.UpdatedAt); err != nil {
			t.Fatalf("DeletePersonIf with the current updatedAt: %v", err)
		}
		wantNotFound(t, s.DeletePersonIf(ctx, p.ID, nil))
	})
}
