package sqlstore_test

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// runWithRaw is sqltest.RunWith that also hands fn a plain connection to
// the store's database, for checks no store method makes.
func runWithRaw(t *testing.T, opts sqlstore.Options, fn func(t *testing.T, s *sqlstore.Store, raw *sql.DB)) {
	t.Helper()
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dsn := sqltest.DSN(t, e)
			s, err := sqlstore.Open(ctx, dsn, opts)
			if err != nil {
				t.Fatalf("open %s store: %v", e, err)
			}
			t.Cleanup(func() { s.Close() })
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatalf("migrate %s store: %v", e, err)
			}
			driver, source := "pgx", dsn
			if e == sqlstore.SQLite {
				driver, source = "sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=busy_timeout(10000)"
			}
			raw, err := sql.Open(driver, source)
			if err != nil {
				t.Fatalf("open raw %s connection: %v", e, err)
			}
			t.Cleanup(func() { raw.Close() })
			fn(t, s, raw)
		})
	}
}

// genreLinks returns the createdAt of each genre link of a movie, by genre id.
func genreLinks(t *testing.T, raw *sql.DB, movieID int64) map[int64]time.Time {
	t.Helper()
	rows, err := raw.Query(`SELECT genre_id, "createdAt" FROM movie_genres WHERE movie_id = $1`, movieID)
	if err != nil {
		t.Fatalf("read genre links: %v", err)
	}
	defer rows.Close()
	links := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var created time.Time
		if err := rows.Scan(&id, &created); err != nil {
			t.Fatalf("read genre links: %v", err)
		}
		links[id] = created.UTC()
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read genre links: %v", err)
	}
	return links
}

func genreNames(gs []catalog.Genre) []string {
	names := []string{}
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return names
}

func wantMovieGenres(t *testing.T, s *sqlstore.Store, movieID int64, want ...string) {
	t.Helper()
	gs, err := s.MovieGenres(context.Background(), movieID)
	if err != nil {
		t.Fatalf("MovieGenres(%d): %v", movieID, err)
	}
	if gs == nil {
		t.Errorf("MovieGenres(%d) = nil; want a non-nil slice", movieID)
	}
	if want == nil {
		want = []string{}
	}
	if got := genreNames(gs); !reflect.DeepEqual(got, want) {
		t.Errorf("MovieGenres(%d) = %q; want %q", movieID, got, want)
	}
}

func TestMovieGenres(t *testing.T) {
	clk := newClock()
	runWithRaw(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "The Good, the Bad and the Ugly")
		western, drama, action := fixtureGenre(t, s, "western"), fixtureGenre(t, s, "Drama"), fixtureGenre(t, s, "action")
		wantMovieGenres(t, s, m.ID)

		for _, g := range []*catalog.Genre{western, drama, action} {
			added, err := s.AddMovieGenre(ctx, m.ID, g.ID)
			if err != nil || !added {
				t.Fatalf("AddMovieGenre(%d, %d) = %v, %v; want true, nil", m.ID, g.ID, added, err)
			}
		}
		wantMovieGenres(t, s, m.ID, "action", "Drama", "western")
		gs, _ := s.MovieGenres(ctx, m.ID)
		if !reflect.DeepEqual(gs[1], *drama) {
			t.Errorf("MovieGenres item = %+v; want %+v", gs[1], *drama)
		}
		if links := genreLinks(t, raw, m.ID); !links[drama.ID].Equal(clk.Now()) {
			t.Errorf("link createdAt = %v; want %v", links[drama.ID], clk.Now())
		}

		// Adding a genre twice changes nothing, not even the link's time.
		clk.Advance(time.Minute)
		added, err := s.AddMovieGenre(ctx, m.ID, drama.ID)
		if err != nil || added {
			t.Errorf("second AddMovieGenre = %v, %v; want false, nil", added, err)
		}
		if links := genreLinks(t, raw, m.ID); !links[drama.ID].Equal(clk.Now().Add(-time.Minute)) {
			t.Errorf("link createdAt after second add = %v; want the first", links[drama.ID])
		}

		_, err = s.AddMovieGenre(ctx, 9999, drama.ID)
		wantInvalid(t, err, "movie_id")
		_, err = s.AddMovieGenre(ctx, m.ID, 9999)
		wantInvalid(t, err, "genre_id")

		removed, err := s.RemoveMovieGenre(ctx, m.ID, drama.ID)
		if err != nil || !removed {
			t.Errorf("RemoveMovieGenre = %v, %v; want true, nil", removed, err)
		}
		removed, err = s.RemoveMovieGenre(ctx, m.ID, drama.ID)
		if err != nil || removed {
			t.Errorf("second RemoveMovieGenre = %v, %v; want false, nil", removed, err)
		}
		_, err = s.RemoveMovieGenre(ctx, 9999, drama.ID)
		wantNotFound(t, err)
		wantMovieGenres(t, s, m.ID, "action", "western")
		if _, err := s.GenreByID(ctx, drama.ID); err != nil {
			t.Errorf("genre after RemoveMovieGenre: %v", err)
		}

		_, err = s.MovieGenres(ctx, 9999)
		wantNotFound(t, err)

		// A genre movies have is not deleted unless the delete is forced,
		// which takes it from them.
		wantConflict(t, s.DeleteGenre(ctx, western.ID), "genre_id")
		wantMovieGenres(t, s, m.ID, "action", "western")
		if err := s.ForceDeleteGenre(ctx, western.ID); err != nil {
			t.Fatalf("ForceDeleteGenre: %v", err)
		}
		wantMovieGenres(t, s, m.ID, "action")
		if links := genreLinks(t, raw, m.ID); len(links) != 1 {
			t.Errorf("links after ForceDeleteGenre = %v; want only action's", links)
		}
		wantNotFound(t, s.ForceDeleteGenre(ctx, western.ID))
		// Drama, which no movie has any more, goes without force.
		if err := s.DeleteGenre(ctx, drama.ID); err != nil {
			t.Errorf("DeleteGenre of an unused genre: %v", err)
		}

		// Deleting the movie takes its links.
		if err := s.DeleteMovie(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		if links := genreLinks(t, raw, m.ID); len(links) != 0 {
			t.Errorf("links after DeleteMovie = %v; want none", links)
		}
	})
}

func TestSetMovieGenres(t *testing.T) {
	clk := newClock()
	runWithRaw(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		m, other := fixtureMovie(t, s, "Unforgiven"), fixtureMovie(t, s, "Heat")
		western, drama, crime := fixtureGenre(t, s, "Western"), fixtureGenre(t, s, "Drama"), fixtureGenre(t, s, "Crime")
		if _, err := s.AddMovieGenre(ctx, other.ID, drama.ID); err != nil {
			t.Fatal(err)
		}

		first := clk.Now()
		if err := s.SetMovieGenres(ctx, m.ID, []int64{western.ID, drama.ID}); err != nil {
			t.Fatalf("SetMovieGenres: %v", err)
		}
		wantMovieGenres(t, s, m.ID, "Drama", "Western")

		// Drama stays with its createdAt, Western goes, Crime comes; a
		// repeated id counts once.
		clk.Advance(time.Hour)
		if err := s.SetMovieGenres(ctx, m.ID, []int64{crime.ID, drama.ID, crime.ID}); err != nil {
			t.Fatalf("SetMovieGenres: %v", err)
		}
		wantMovieGenres(t, s, m.ID, "Crime", "Drama")
		links := genreLinks(t, raw, m.ID)
		want := map[int64]time.Time{drama.ID: first, crime.ID: clk.Now()}
		if !reflect.DeepEqual(links, want) {
			t.Errorf("links after SetMovieGenres = %v; want %v", links, want)
		}

		// A bad genre changes nothing.
		err := s.SetMovieGenres(ctx, m.ID, []int64{western.ID, 9999})
		wantInvalid(t, err, "genre_id")
		wantMovieGenres(t, s, m.ID, "Crime", "Drama")
		wantInvalid(t, s.SetMovieGenres(ctx, 9999, []int64{drama.ID}), "movie_id")

		// The empty set clears the movie's genres, not other movies'.
		if err := s.SetMovieGenres(ctx, m.ID, nil); err != nil {
			t.Fatalf("SetMovieGenres(nil): %v", err)
		}
		wantMovieGenres(t, s, m.ID)
		wantMovieGenres(t, s, other.ID, "Drama")
	})
}

func TestCreateMovieWithGenres(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		drama, crime := fixtureGenre(t, s, "Drama"), fixtureGenre(t, s, "Crime")
		m := &catalog.Movie{Title: "Heat"}
		if err := s.CreateMovieWithGenres(ctx, m, []int64{crime.ID, drama.ID, crime.ID}); err != nil {
			t.Fatal(err)
		}
		wantMovieGenres(t, s, m.ID, "Crime", "Drama")

		err := s.CreateMovieWithGenres(ctx, &catalog.Movie{Title: "Ronin"}, []int64{drama.ID, 999})
		wantInvalid(t, err, "genre_ids")
		l, err := s.ListMovies(ctx, catalog.MovieFilter{})
		if err != nil || l.Total != 1 {
			t.Errorf("movies after a refused create = %d, %v; want only Heat", l.Total, err)
		}
	})
}

func TestUpdateMovieWithGenres(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "Alien")
		drama, horror := fixtureGenre(t, s, "Drama"), fixtureGenre(t, s, "Horror")
		if err := s.SetMovieGenres(ctx, m.ID, []int64{drama.ID}); err != nil {
			t.Fatal(err)
		}
		genreIDs := func() []int64 {
			t.Helper()
			gs, err := s.MovieGenres(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, g := range gs {
				ids = append(ids, g.ID)
			}
			return ids
		}
		title := "Aliens"
		_, err := s.UpdateMovieWithGenres(ctx, m.ID, catalog.MovieUpdate{Title: &title}, []int64{horror.ID, 999_999})
		wantInvalid(t, err, "genre_ids")
		if got, _ := s.MovieByID(ctx, m.ID); got.Title != "Alien" {
			t.Errorf("title after a failed update = %q; want Alien unchanged", got.Title)
		}
		if ids := genreIDs(); len(ids) != 1 || ids[0] != drama.ID {
			t.Errorf("genres after a failed update = %v; want [%d] unchanged", ids, drama.ID)
		}
		got, err := s.UpdateMovieWithGenres(ctx, m.ID, catalog.MovieUpdate{Title: &title}, []int64{horror.ID})
		if err != nil || got.Title != "Aliens" {
			t.Fatalf("UpdateMovieWithGenres = %+v, %v; want the new title", got, err)
		}
		if ids := genreIDs(); len(ids) != 1 || ids[0] != horror.ID {
			t.Errorf("genres = %v; want [%d]", ids, horror.ID)
		}
		if _, err := s.UpdateMovieWithGenres(ctx, m.ID, catalog.MovieUpdate{}, nil); err != nil {
			t.Fatal(err)
		}
		if ids := genreIDs(); len(ids) != 0 {
			t.Errorf("genres after nil = %v; want none", ids)
		}
		_, err = s.UpdateMovieWithGenres(ctx, 999_999, catalog.MovieUpdate{Title: &title}, nil)
		wantNotFound(t, err)
	})
}

// TestDeleteGenreRacesALink checks that a link to a genre added by a
// transaction that commits while a DeleteGenre is under way makes that
// delete a conflict, rather than being cascaded away with the genre. Only
// PostgreSQL runs writers side by side; SQLite has one writer at a time.
func TestDeleteGenreRacesALink(t *testing.T) {
	t.Parallel()
	runWithRaw(t, sqlstore.Options{}, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		if strings.HasSuffix(t.Name(), "/sqlite") {
			t.Skip("SQLite serialises write transactions: nothing can come between the check and the delete")
		}
		ctx := context.Background()
		m, g := fixtureMovie(t, s, "Heat"), fixtureGenre(t, s, "Crime")

		// Another writer links the genre and has not committed yet.
		other, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Rollback()
		var otherPID int
		if err := other.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&otherPID); err != nil {
			t.Fatal(err)
		}
		if _, err := other.ExecContext(ctx, "INSERT INTO movie_genres (movie_id, genre_id) VALUES ($1, $2)", m.ID, g.ID); err != nil {
			t.Fatal(err)
		}

		done := make(chan error, 1)
		go func() { done <- s.DeleteGenre(ctx, g.ID) }()
		// Commit only once the delete waits for the other writer, so that
		// it began before the link was visible.
		for waiting := false; !waiting; {
			err := raw.QueryRowContext(ctx,
				"SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid)))", otherPID).Scan(&waiting)
			if err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				t.Fatalf("DeleteGenre returned %v before the other writer committed", err)
			case <-time.After(time.Millisecond):
			}
		}
		if err := other.Commit(); err != nil {
			t.Fatal(err)
		}
		wantConflict(t, <-done, "genre_id")
		wantMovieGenres(t, s, m.ID, "Crime")
	})
}
