package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

func TestCountryCRUD(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c := &catalog.Country{Name: "France"}
		if err := s.CreateCountry(ctx, c); err != nil {
			t.Fatalf("CreateCountry: %v", err)
		}
		if c.ID == 0 || !c.CreatedAt.Equal(clk.Now()) || !c.UpdatedAt.Equal(clk.Now()) {
			t.Fatalf("created country = %+v; want id and timestamps %v", c, clk.Now())
		}
		got, err := s.CountryByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *c {
			t.Errorf("CountryByID(%d) = %+v; want %+v", c.ID, got, c)
		}
		if byName, err := s.CountryByName(ctx, "FRANCE"); err != nil || byName.ID != c.ID {
			t.Errorf("CountryByName(FRANCE) = %+v, %v; want id %d", byName, err, c.ID)
		}

		wantConflict(t, s.CreateCountry(ctx, &catalog.Country{Name: "france"}), "name")
		wantInvalid(t, s.CreateCountry(ctx, &catalog.Country{Name: "  "}), "name")

		clk.Advance(time.Minute)
		upd, err := s.UpdateCountry(ctx, c.ID, catalog.CountryUpdate{Name: ptr("République française")})
		if err != nil {
			t.Fatal(err)
		}
		if upd.Name != "République française" || !upd.UpdatedAt.Equal(clk.Now()) || !upd.CreatedAt.Equal(c.CreatedAt) {
			t.Errorf("UpdateCountry = %+v; want new name, updatedAt %v, createdAt unchanged", upd, clk.Now())
		}
		// An empty update still touches updatedAt, and changes nothing else.
		clk.Advance(time.Minute)
		same, err := s.UpdateCountry(ctx, c.ID, catalog.CountryUpdate{})
		if err != nil || same.Name != upd.Name || !same.UpdatedAt.Equal(clk.Now()) {
			t.Errorf("empty UpdateCountry = %+v, %v", same, err)
		}
		if _, err := s.UpdateCountry(ctx, 9999, catalog.CountryUpdate{Name: ptr("X")}); err != nil {
			wantNotFound(t, err)
		} else {
			t.Error("UpdateCountry(9999) = nil error; want not found")
		}
		other := &catalog.Country{Name: "Italy"}
		if err := s.CreateCountry(ctx, other); err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateCountry(ctx, other.ID, catalog.CountryUpdate{Name: ptr("RÉPUBLIQUE française")})
		if s.Engine() == sqlstore.Postgres {
			wantConflict(t, err, "name") // PostgreSQL's lower() folds É too
		}

		if err := s.DeleteCountry(ctx, c.ID); err != nil {
			t.Fatalf("DeleteCountry: %v", err)
		}
		_, err = s.CountryByID(ctx, c.ID)
		wantNotFound(t, err)
		wantNotFound(t, s.DeleteCountry(ctx, c.ID))
	})
}

func TestListCountriesPaginates(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ids := map[string]int64{}
		for _, name := range []string{"Spain", "austria", "Chile", "Brazil", "Denmark"} {
			ids[name] = fixtureCountry(t, s, name).ID
		}
		got := pageThrough(t, 5, func(p catalog.Page) ([]int64, int, error) {
			l, err := s.ListCountries(context.Background(), catalog.CountryFilter{Page: p})
			return idsOf(l, err, func(c catalog.Country) int64 { return c.ID })
		})
		var want []int64
		for _, name := range []string{"austria", "Brazil", "Chile", "Denmark", "Spain"} {
			want = append(want, ids[name])
		}
		if !slices.Equal(got, want) {
			t.Fatalf("listed ids %v; want %v (case-insensitive name order)", got, want)
		}
	})
}

func TestGenreCRUD(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		g := &catalog.Genre{Name: "Western"}
		if err := s.CreateGenre(ctx, g); err != nil {
			t.Fatal(err)
		}
		wantConflict(t, s.CreateGenre(ctx, &catalog.Genre{Name: "WESTERN"}), "name")
		if got, err := s.GenreByName(ctx, "western"); err != nil || got.ID != g.ID {
			t.Errorf("GenreByName = %+v, %v", got, err)
		}
		u, err := s.UpdateGenre(ctx, g.ID, catalog.GenreUpdate{Name: ptr("Westerns")})
		if err != nil || u.Name != "Westerns" {
			t.Errorf("UpdateGenre = %+v, %v", u, err)
		}
		l, err := s.ListGenres(ctx, catalog.GenreFilter{})
		if err != nil || l.Total != 1 || len(l.Items) != 1 || l.Page.Size != catalog.DefaultPageSize {
			t.Errorf("ListGenres = %+v, %v", l, err)
		}
		if err := s.DeleteGenre(ctx, g.ID); err != nil {
			t.Fatal(err)
		}
		wantNotFound(t, s.DeleteGenre(ctx, g.ID))
	})
}

func TestDeleteCountryInUse(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		usedByMovie, usedByPerson := fixtureCountry(t, s, "France"), fixtureCountry(t, s, "Italy")
		if err := s.CreateMovie(ctx, &catalog.Movie{Title: "Amélie", CountryID: &usedByMovie.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePerson(ctx, &catalog.Person{FirstName: "Monica", LastName: "Bellucci", CountryID: &usedByPerson.ID}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []*catalog.Country{usedByMovie, usedByPerson} {
			wantConflict(t, s.DeleteCountry(ctx, c.ID), "country_id")
			if _, err := s.CountryByID(ctx, c.ID); err != nil {
				t.Errorf("country %s after refused delete: %v", c.Name, err)
			}
		}
	})
}

func TestBlankNamesRefused(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		for _, blank := range []string{"", " ", "\t", "\n \r", "\v\f"} {
			wantInvalid(t, s.CreateCountry(ctx, &catalog.Country{Name: blank}), "name")
			wantInvalid(t, s.CreateGenre(ctx, &catalog.Genre{Name: blank}), "name")
			wantInvalid(t, s.CreateMovie(ctx, &catalog.Movie{Title: blank}), "title")
		}
		// Letters that look like escape codes are not blanks.
		for _, name := range []string{"v", "t", "n", "f"} {
			if err := s.CreateGenre(ctx, &catalog.Genre{Name: name}); err != nil {
				t.Errorf("CreateGenre(%q): %v", name, err)
			}
		}
	})
}

func TestRedact(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://u:secret@h/db":              "postgres://u:xxxxx@h/db",
		"postgres://u@h/db?password=secret&x=1": "postgres://u@h/db?password=xxxxx&x=1",
		"sqlite:./data/moviedb.db":              "sqlite:./data/moviedb.db",
		"postgres://h/db?sslmode=disable":       "postgres://h/db?sslmode=disable",
	} {
		if got := sqlstore.Redact(dsn); got != want {
			t.Errorf("Redact(%q) = %q; want %q", dsn, got, want)
		}
	}
}
