package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// favoriteIDs returns the movie ids of one page of a user's favorites.
func favoriteIDs(t *testing.T, s *sqlstore.Store, user int64, page catalog.Page) ([]int64, int) {
	t.Helper()
	l, err := s.ListFavorites(context.Background(), user, page)
	if err != nil {
		t.Fatalf("ListFavorites(%d): %v", user, err)
	}
	ids := []int64{}
	for _, f := range l.Items {
		if f.UserID != user {
			t.Errorf("ListFavorites(%d) item %+v is another user's", user, f)
		}
		ids = append(ids, f.MovieID)
	}
	return ids, l.Total
}

func TestFavorites(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u, v := fixtureUser(t, s, "ripley"), fixtureUser(t, s, "dallas")
		m1, m2, m3, m4 := fixtureMovie(t, s, "Alien"), fixtureMovie(t, s, "Aliens"), fixtureMovie(t, s, "Alien 3"), fixtureMovie(t, s, "Prometheus")
		if ids, total := favoriteIDs(t, s, u.ID, catalog.Page{}); len(ids) != 0 || total != 0 {
			t.Errorf("favorites of a new user = %v, total %d; want none", ids, total)
		}

		t1 := clk.Now()
		added, err := s.AddFavorite(ctx, u.ID, m1.ID)
		if err != nil || !added {
			t.Fatalf("AddFavorite = %v, %v; want true, nil", added, err)
		}
		clk.Advance(time.Minute)
		added, err = s.AddFavorite(ctx, u.ID, m1.ID)
		if err != nil || added {
			t.Fatalf("AddFavorite again = %v, %v; want false, nil", added, err)
		}
		l, err := s.ListFavorites(ctx, u.ID, catalog.Page{})
		want := catalog.Favorite{UserID: u.ID, MovieID: m1.ID, CreatedAt: t1, UpdatedAt: t1}
		if err != nil || len(l.Items) != 1 || l.Items[0] != want || l.Total != 1 {
			t.Errorf("ListFavorites after adding twice = %+v, %v; want the first add, %+v", l, err, want)
		}

		// m3 and m2 at one instant, then m4: newest first, ties by movie id, highest first.
		clk.Advance(time.Minute)
		for _, m := range []*catalog.Movie{m3, m2} {
			if _, err := s.AddFavorite(ctx, u.ID, m.ID); err != nil {
				t.Fatal(err)
			}
		}
		clk.Advance(time.Millisecond)
		if _, err := s.AddFavorite(ctx, u.ID, m4.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddFavorite(ctx, v.ID, m2.ID); err != nil {
			t.Fatal(err)
		}
		ids, total := favoriteIDs(t, s, u.ID, catalog.Page{})
		wantIDs := []int64{m4.ID, m3.ID, m2.ID, m1.ID}
		if !reflect.DeepEqual(ids, wantIDs) || total != 4 {
			t.Errorf("favorites = %v, total %d; want %v, 4 (newest first)", ids, total, wantIDs)
		}
		var paged []int64
		for p := 1; p <= 2; p++ {
			ids, total := favoriteIDs(t, s, u.ID, catalog.Page{Number: p, Size: 3})
			if total != 4 {
				t.Errorf("page %d total = %d; want 4", p, total)
			}
			paged = append(paged, ids...)
		}
		if !reflect.DeepEqual(paged, wantIDs) {
			t.Errorf("favorites by pages of 3 = %v; want %v", paged, wantIDs)
		}
		if ids, total := favoriteIDs(t, s, u.ID, catalog.Page{Number: 3, Size: 3}); len(ids) != 0 || total != 4 {
			t.Errorf("page past the end = %v, total %d; want none, 4", ids, total)
		}

		for _, c := range []struct {
			movie *catalog.Movie
			want  int
		}{{m1, 1}, {m2, 2}, {m3, 1}, {m4, 1}} {
			if n, err := s.FavoritesCount(ctx, c.movie.ID); err != nil || n != c.want {
				t.Errorf("FavoritesCount(%s) = %d, %v; want %d", c.movie.Title, n, err, c.want)
			}
		}
		if n, err := s.FavoritesCount(ctx, m4.ID+100); err != nil || n != 0 {
			t.Errorf("FavoritesCount(unknown movie) = %d, %v; want 0", n, err)
		}

		removed, err := s.RemoveFavorite(ctx, u.ID, m2.ID)
		if err != nil || !removed {
			t.Fatalf("RemoveFavorite = %v, %v; want true, nil", removed, err)
		}
		removed, err = s.RemoveFavorite(ctx, u.ID, m2.ID)
		if err != nil || removed {
			t.Fatalf("RemoveFavorite again = %v, %v; want false, nil", removed, err)
		}
		if ids, _ := favoriteIDs(t, s, u.ID, catalog.Page{}); !reflect.DeepEqual(ids, []int64{m4.ID, m3.ID, m1.ID}) {
			t.Errorf("favorites after remove = %v", ids)
		}
		if ids, _ := favoriteIDs(t, s, v.ID, catalog.Page{}); !reflect.DeepEqual(ids, []int64{m2.ID}) {
			t.Errorf("other user's favorites after remove = %v; want [%d]", ids, m2.ID)
		}

		_, err = s.AddFavorite(ctx, u.ID, m4.ID+100)
		wantInvalid(t, err, "movie_id")
		_, err = s.AddFavorite(ctx, v.ID+100, m1.ID)
		wantInvalid(t, err, "user_id")
		_, err = s.ListFavorites(ctx, v.ID+100, catalog.Page{})
		wantNotFound(t, err)
		if removed, err := s.RemoveFavorite(ctx, v.ID+100, m1.ID); err != nil || removed {
			t.Errorf("RemoveFavorite(unknown user) = %v, %v; want false, nil", removed, err)
		}
	})
}

func TestFavoritesCascade(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u, v := fixtureUser(t, s, "ripley"), fixtureUser(t, s, "dallas")
		m1, m2 := fixtureMovie(t, s, "Alien"), fixtureMovie(t, s, "Aliens")
		for _, user := range []*catalog.User{u, v} {
			for _, m := range []*catalog.Movie{m1, m2} {
				if _, err := s.AddFavorite(ctx, user.ID, m.ID); err != nil {
					t.Fatal(err)
				}
			}
		}

		if err := s.DeleteMovie(ctx, m1.ID); err != nil {
			t.Fatal(err)
		}
		for _, user := range []*catalog.User{u, v} {
			if ids, total := favoriteIDs(t, s, user.ID, catalog.Page{}); !reflect.DeepEqual(ids, []int64{m2.ID}) || total != 1 {
				t.Errorf("favorites of %s after a movie was deleted = %v, total %d; want [%d]", user.Username, ids, total, m2.ID)
			}
		}
		if n, err := s.FavoritesCount(ctx, m1.ID); err != nil || n != 0 {
			t.Errorf("FavoritesCount(deleted movie) = %d, %v; want 0", n, err)
		}

		if err := s.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := s.FavoritesCount(ctx, m2.ID); err != nil || n != 1 {
			t.Errorf("FavoritesCount after a user was deleted = %d, %v; want 1", n, err)
		}
		_, err := s.ListFavorites(ctx, u.ID, catalog.Page{})
		wantNotFound(t, err)
		if ids, _ := favoriteIDs(t, s, v.ID, catalog.Page{}); !reflect.DeepEqual(ids, []int64{m2.ID}) {
			t.Errorf("other user's favorites = %v; want [%d]", ids, m2.ID)
		}
	})
}

func TestIsFavorite(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u, v := fixtureUser(t, s, "ripley"), fixtureUser(t, s, "dallas")
		m1, m2 := fixtureMovie(t, s, "Alien"), fixtureMovie(t, s, "Aliens")
		if _, err := s.AddFavorite(ctx, u.ID, m1.ID); err != nil {
			t.Fatalf("AddFavorite: %v", err)
		}
		for _, tc := range []struct {
			user, movie int64
			want        bool
		}{
			{u.ID, m1.ID, true},
			{u.ID, m2.ID, false},
			{v.ID, m1.ID, false},
			{u.ID, 999_999, false},
			{999_999, m1.ID, false},
		} {
			got, err := s.IsFavorite(ctx, tc.user, tc.movie)
			if err != nil || got != tc.want {
				t.Errorf("IsFavorite(%d, %d) = %v, %v; want %v, nil", tc.user, tc.movie, got, err, tc.want)
			}
		}
	})
}
