package sqlstore_test

import (
	"context"
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
		ctx := context.Background()
		for _, name := range []string{"Spain", "austria", "Chile", "Brazil", "Denmark"} {
			if err := s.CreateCountry(ctx, &catalog.Country{Name: name}); err != nil {
				t.Fatal(err)
			}
		}
		var names []string
		for p := 1; p <= 3; p++ {
			l, err := s.ListCountries(ctx, catalog.CountryFilter{Page: catalog.Page{Number: p, Size: 2}})
			if err != nil {
				t.Fatal(err)
			}
			if l.Total != 5 {
				t.Errorf("page %d total = %d; want 5", p, l.Total)
			}
			for _, c := range l.Items {
				names = append(names, c.Name)
			}
		}
		want := []string{"austria", "Brazil", "Chile", "Denmark", "Spain"}
		if len(names) != len(want) {
			t.Fatalf("listed %v; want %v", names, want)
		}
		for i := range want {
			if names[i] != want[i] {
				t.Fatalf("listed %v; want %v (case-insensitive order)", names, want)
			}
		}
		past, err := s.ListCountries(ctx, catalog.CountryFilter{Page: catalog.Page{Number: 9, Size: 2}})
		if err != nil || len(past.Items) != 0 || past.Total != 5 {
			t.Errorf("page past the end = %d items, total %d, %v; want 0, 5, nil", len(past.Items), past.Total, err)
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
