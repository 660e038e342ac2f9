package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestManyConcurrentReaders runs far more detail reads at once than the
// read pool has connections, on a cold statement cache: a read transaction
// that needed a second connection (to prepare a statement, say) would
// deadlock here instead of finishing.
func TestManyConcurrentReaders(t *testing.T) {
	sqltest.RunWith(t, sqlstore.Options{MaxOpenConns: 2}, func(t *testing.T, s *sqlstore.Store) {
		m := fixtureMovie(t, s, "Alien")
		p := fixturePerson(t, s, "Ridley", "Scott")
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if i%2 == 0 {
					_, err = s.MovieDetail(ctx, m.ID)
				} else {
					_, err = s.PersonDetail(ctx, p.ID)
				}
				if err == nil {
					_, err = s.SearchMovies(ctx, catalog.MovieSearch{Q: "alien"})
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent read: %v", err)
			}
		}
	})
}
