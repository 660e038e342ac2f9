package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
)

// countingMovieStore counts the calls of the store methods the movie routes
// make.
type countingMovieStore struct {
	*sqlstore.Store
	mu    sync.Mutex
	calls map[string]int
}

func (s *countingMovieStore) count(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
}

// take returns the calls counted so far and starts counting anew.
func (s *countingMovieStore) take() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	calls := s.calls
	s.calls = map[string]int{}
	return calls
}

func (s *countingMovieStore) SearchMovies(ctx context.Context, f catalog.MovieSearch) (catalog.List[catalog.MovieSummary], error) {
	s.count("SearchMovies")
	return s.Store.SearchMovies(ctx, f)
}

func (s *countingMovieStore) MovieDetail(ctx context.Context, id int64) (*catalog.MovieDetail, error) {
	s.count("MovieDetail")
	return s.Store.MovieDetail(ctx, id)
}

func (s *countingMovieStore) CreateMovieWithGenres(ctx context.Context, m *catalog.Movie, genreIDs []int64) error {
	s.count("CreateMovieWithGenres")
	return s.Store.CreateMovieWithGenres(ctx, m, genreIDs)
}

func (s *countingMovieStore) UpdateMovie(ctx context.Context, id int64, upd catalog.MovieUpdate) (*catalog.Movie, error) {
	s.count("UpdateMovie")
	return s.Store.UpdateMovie(ctx, id, upd)
}

func (s *countingMovieStore) SetMovieGenres(ctx context.Context, movieID int64, genreIDs []int64) error {
	s.count("SetMovieGenres")
	return s.Store.SetMovieGenres(ctx, movieID, genreIDs)
}

func (s *countingMovieStore) DeleteMovieIf(ctx context.Context, id int64, ifUpdatedAt *time.Time) error {
	s.count("DeleteMovieIf")
	return s.Store.DeleteMovieIf(ctx, id, ifUpdatedAt)
}

func (s *countingMovieStore) AddCastMember(ctx context.Context, m *catalog.CastMember) error {
	s.count("AddCastMember")
	return s.Store.AddCastMember(ctx, m)
}

// TestMovieStoreCalls checks that each movie route makes the same few store
// calls whatever the size of the cast: the detail and the cast list one
// MovieDetail each.
func TestMovieStoreCalls(t *testing.T) {
	var counting *countingMovieStore
	configure := func(cfg *Config) {
		counting = &countingMovieStore{Store: cfg.Store.(*sqlstore.Store), calls: map[string]int{}}
		cfg.Store = counting
	}
	runAPI(t, configure, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		small, large := api.movie("Short Film"), api.movie("Epic")
		for i := range 30 {
			k.cast(large, k.character(fmt.Sprintf("Extra %d", i), catalog.RoleBackground), k.person("Extra", fmt.Sprint(i)))
		}
		genre := k.genre("Drama")
		character := k.character("Lead", catalog.RoleLeading)

		type call struct {
			method, url, body string
			status            int
			want              map[string]int
		}
		calls := []call{
			{"GET", "/api/v1/movies/%d", "", http.StatusOK, map[string]int{"MovieDetail": 1}},
			{"GET", "/api/v1/movies/%d/cast", "", http.StatusOK, map[string]int{"MovieDetail": 1}},
			{"GET", "/api/v1/movies?per_page=100&sort=-popularity", "", http.StatusOK, map[string]int{"SearchMovies": 1}},
			{"PATCH", "/api/v1/movies/%d", `{"duration":90}`, http.StatusOK, map[string]int{"UpdateMovie": 1, "MovieDetail": 1}},
			{"POST", "/api/v1/movies/%d/cast", fmt.Sprintf(`{"character_id":%d}`, character), http.StatusCreated,
				map[string]int{"AddCastMember": 1, "MovieDetail": 1}},
		}
		for _, c := range calls {
			for _, id := range []int64{small, large} {
				url := c.url
				if strings.Contains(url, "%d") {
					url = fmt.Sprintf(url, id)
				}
				counting.take()
				k.call(c.method, url, c.body, c.status)
				if got := counting.take(); fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("%s %s: store calls %v; want %v", c.method, url, got, c.want)
				}
			}
		}
		counting.take()
		k.call("POST", "/api/v1/movies", fmt.Sprintf(`{"title":"Heat","genre_ids":[%d]}`, genre), http.StatusCreated)
		if got, want := counting.take(), map[string]int{"CreateMovieWithGenres": 1, "MovieDetail": 1}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("POST /movies: store calls %v; want %v", got, want)
		}
		k.call("POST", "/api/v1/movies", `{"title":"Ronin","genre_ids":[999]}`, http.StatusUnprocessableEntity)
		if got, want := counting.take(), map[string]int{"CreateMovieWithGenres": 1}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("POST /movies with an unknown genre: store calls %v; want %v", got, want)
		}
		if l, err := counting.SearchMovies(context.Background(), catalog.MovieSearch{Q: "Ronin"}); err != nil || l.Total != 0 {
			t.Errorf("after the refused POST, a search for Ronin = %d movies, %v; want none", l.Total, err)
		}
	})
}
