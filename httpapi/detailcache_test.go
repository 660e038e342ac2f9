package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// detailWorld is a movie whose detail shows one of each thing a write can
// change, and an unrelated movie.
type detailWorld struct {
	movie, other                      int64
	country, genre, otherGenre        int64
	character                         int64
	director, actor                   int64
	poster, directorPhoto, actorPhoto int64
	directorPhoto2                    int64 // not primary
	fan                               int64
}

// newDetailWorld makes a detailWorld through the store; n keeps its names
// apart from other worlds in the same database.
func newDetailWorld(t *testing.T, api *testAPI, n int) detailWorld {
	t.Helper()
	ctx := context.Background()
	st := api.store
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	name := func(s string) string { return fmt.Sprintf("%s %d", s, n) }
	var w detailWorld
	country, otherCountry := &catalog.Country{Name: name("Country")}, &catalog.Country{Name: name("Other country")}
	must("CreateCountry", st.CreateCountry(ctx, country))
	must("CreateCountry", st.CreateCountry(ctx, otherCountry))
	genre, otherGenre := &catalog.Genre{Name: name("Genre")}, &catalog.Genre{Name: name("Other genre")}
	must("CreateGenre", st.CreateGenre(ctx, genre))
	must("CreateGenre", st.CreateGenre(ctx, otherGenre))
	w.country, w.genre, w.otherGenre = country.ID, genre.ID, otherGenre.ID
	w.poster = api.file(fmt.Sprintf("poster-%d", n)).ID
	w.directorPhoto = api.file(fmt.Sprintf("director-%d", n)).ID
	w.actorPhoto = api.file(fmt.Sprintf("actor-%d", n)).ID
	person := func(first string, photo int64) int64 {
		p := &catalog.Person{FirstName: name(first)}
		must("CreatePerson", st.CreatePerson(ctx, p))
		if photo != 0 {
			_, err := st.AddPersonPhoto(ctx, p.ID, photo, true)
			must("AddPersonPhoto", err)
		}
		return p.ID
	}
	w.director, w.actor = person("Director", w.directorPhoto), person("Actor", w.actorPhoto)
	otherDirector, otherActor := person("Other director", 0), person("Other actor", 0)
	w.directorPhoto2 = api.file(fmt.Sprintf("director2-%d", n)).ID
	_, err := st.AddPersonPhoto(ctx, w.director, w.directorPhoto2, false)
	must("AddPersonPhoto", err)

	m := &catalog.Movie{Title: name("Movie"), DirectorID: &w.director, CountryID: &w.country, PosterFileID: &w.poster}
	must("CreateMovieWithGenres", st.CreateMovieWithGenres(ctx, m, []int64{w.genre}))
	o := &catalog.Movie{Title: name("Other"), DirectorID: &otherDirector, CountryID: &otherCountry.ID}
	must("CreateMovieWithGenres", st.CreateMovieWithGenres(ctx, o, []int64{w.otherGenre}))
	w.movie, w.other = m.ID, o.ID
	cm, err := st.CreateCharacterInCast(ctx, w.movie, &catalog.Character{Name: name("Hero"), Role: "leading"}, &w.actor)
	must("CreateCharacterInCast", err)
	w.character = cm.CharacterID
	_, err = st.CreateCharacterInCast(ctx, w.other, &catalog.Character{Name: name("Villain"), Role: "leading"}, &otherActor)
	must("CreateCharacterInCast", err)
	w.fan = api.createUser(fmt.Sprintf("fan%d", n), catalog.UserRole).ID
	return w
}

// TestDetailVersionFollowsWrites makes each kind of write a movie's detail
// depends on and checks that it changes the version of that movie and not
// of an unrelated one, and that the cached detail served right after is the
// one a server without cache gives.
func TestDetailVersionFollowsWrites(t *testing.T) {
	ctx := context.Background()
	str := func(s string) *string { return &s }
	writes := []struct {
		name  string
		write func(st *sqlstore.Store, w detailWorld) error
	}{
		{"movie title", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdateMovie(ctx, w.movie, catalog.MovieUpdate{Title: str("Renamed")})
			return err
		}},
		{"movie poster unset", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdateMovie(ctx, w.movie, catalog.MovieUpdate{PosterFileID: &catalog.Nullable[int64]{}})
			return err
		}},
		{"genre added", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.AddMovieGenre(ctx, w.movie, w.otherGenre)
			return err
		}},
		{"genre removed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.RemoveMovieGenre(ctx, w.movie, w.genre)
			return err
		}},
		{"genres set", func(st *sqlstore.Store, w detailWorld) error {
			return st.SetMovieGenres(ctx, w.movie, []int64{w.otherGenre})
		}},
		{"genre renamed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdateGenre(ctx, w.genre, catalog.GenreUpdate{Name: str(fmt.Sprint("Renamed genre ", w.genre))})
			return err
		}},
		{"genre deleted", func(st *sqlstore.Store, w detailWorld) error { return st.ForceDeleteGenre(ctx, w.genre) }},
		{"cast added", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.CreateCharacterInCast(ctx, w.movie, &catalog.Character{Name: "Sidekick", Role: "supporting"}, nil)
			return err
		}},
		{"cast actor changed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdateCastMember(ctx, w.movie, w.character, catalog.CastUpdate{PersonID: &catalog.Nullable[int64]{}})
			return err
		}},
		{"cast removed", func(st *sqlstore.Store, w detailWorld) error { return st.RemoveCastMember(ctx, w.movie, w.character) }},
		{"character renamed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdateCharacter(ctx, w.character, catalog.CharacterUpdate{Name: str("Antihero")})
			return err
		}},
		{"character deleted", func(st *sqlstore.Store, w detailWorld) error { return st.DeleteCharacter(ctx, w.character) }},
		{"actor renamed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdatePerson(ctx, w.actor, catalog.PersonUpdate{LastName: str("Renamed")})
			return err
		}},
		{"director renamed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdatePerson(ctx, w.director, catalog.PersonUpdate{LastName: str("Renamed")})
			return err
		}},
		{"actor deleted (cast actor set null)", func(st *sqlstore.Store, w detailWorld) error { return st.DeletePerson(ctx, w.actor) }},
		{"actor photo added as primary", func(st *sqlstore.Store, w detailWorld) error {
			f := &catalog.File{FileName: "new.jpg", MimeType: "image/jpeg", Key: fmt.Sprint("new-", w.actor), URL: "http://files.test/new"}
			if err := st.CreateFile(ctx, f); err != nil {
				return err
			}
			_, err := st.AddPersonPhoto(ctx, w.actor, f.ID, true)
			return err
		}},
		{"actor photo removed", func(st *sqlstore.Store, w detailWorld) error { return st.RemovePersonPhoto(ctx, w.actor, w.actorPhoto) }},
		{"director's other photo made primary", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdatePersonPhoto(ctx, w.director, w.directorPhoto2, catalog.PersonPhotoUpdate{IsPrimary: new(true)})
			return err
		}},
		{"poster url changed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdateFile(ctx, w.poster, catalog.FileUpdate{URL: str("http://cdn.test/poster")})
			return err
		}},
		{"actor photo url changed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdateFile(ctx, w.actorPhoto, catalog.FileUpdate{URL: str("http://cdn.test/actor")})
			return err
		}},
		{"director photo url changed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdateFile(ctx, w.directorPhoto, catalog.FileUpdate{URL: str("http://cdn.test/director")})
			return err
		}},
		{"poster file deleted (poster set null)", func(st *sqlstore.Store, w detailWorld) error { return st.DeleteFile(ctx, w.poster) }},
		{"actor photo file deleted", func(st *sqlstore.Store, w detailWorld) error { return st.DeleteFile(ctx, w.actorPhoto) }},
		{"country renamed", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.UpdateCountry(ctx, w.country, catalog.CountryUpdate{Name: str(fmt.Sprint("Renamed country ", w.country))})
			return err
		}},
		{"favorited", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.AddFavorite(ctx, w.fan, w.movie)
			return err
		}},
	}
	// Unfavoriting and deleting a fan need a favorite first.
	unfavorite := []struct {
		name  string
		write func(st *sqlstore.Store, w detailWorld) error
	}{
		{"unfavorited", func(st *sqlstore.Store, w detailWorld) error {
			_, err := st.RemoveFavorite(ctx, w.fan, w.movie)
			return err
		}},
	}
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		off := newServer(Config{Store: api.store, DetailCacheBytes: -1, Media: api.srv.media})
		get := func(h http.Handler, id int64) *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", fmt.Sprintf("/api/v1/movies/%d", id), nil))
			return w
		}
		version := func(id int64) int64 {
			t.Helper()
			v, err := api.store.MovieDetailVersion(ctx, id)
			if err != nil {
				t.Fatalf("MovieDetailVersion(%d): %v", id, err)
			}
			return v
		}
		// check compares the cached and uncached answers for id.
		check := func(t *testing.T, id int64) {
			t.Helper()
			on, plain := get(api.h, id), get(off.handler(), id)
			if on.Code != plain.Code || on.Code == http.StatusOK &&
				(on.Body.String() != plain.Body.String() || on.Header().Get("ETag") != plain.Header().Get("ETag")) {
				t.Errorf("GET movie %d with cache = %d %s %s; without = %d %s %s", id,
					on.Code, on.Header().Get("ETag"), on.Body, plain.Code, plain.Header().Get("ETag"), plain.Body)
			}
		}
		n := 0
		run := func(name string, favoriteFirst bool, write func(st *sqlstore.Store, w detailWorld) error) {
			t.Run(name, func(t *testing.T) {
				n++
				w := newDetailWorld(t, api, n)
				if favoriteFirst {
					if _, err := api.store.AddFavorite(ctx, w.fan, w.movie); err != nil {
						t.Fatal(err)
					}
				}
				check(t, w.movie) // fills the cache
				check(t, w.other)
				before, otherBefore := version(w.movie), version(w.other)
				bodyBefore := get(api.h, w.movie).Body.String()
				if err := write(api.store, w); err != nil {
					t.Fatalf("write: %v", err)
				}
				if v := version(w.movie); v == before {
					t.Errorf("version of the movie = %d after the write; want it changed", v)
				}
				if v := version(w.other); v != otherBefore {
					t.Errorf("version of the unrelated movie = %d after the write; want %d", v, otherBefore)
				}
				if get(api.h, w.movie).Body.String() == bodyBefore {
					t.Errorf("detail unchanged by the write: %s", bodyBefore)
				}
				check(t, w.movie)
				check(t, w.other)
			})
		}
		for _, c := range writes {
			run(c.name, false, c.write)
		}
		for _, c := range unfavorite {
			run(c.name, true, c.write)
		}
		run("fan deleted (favorite cascades)", true, func(st *sqlstore.Store, w detailWorld) error {
			return api.store.DeleteUser(ctx, w.fan)
		})

		t.Run("movie deleted", func(t *testing.T) {
			n++
			w := newDetailWorld(t, api, n)
			check(t, w.movie)
			if err := api.store.DeleteMovie(ctx, w.movie); err != nil {
				t.Fatal(err)
			}
			if _, err := api.store.MovieDetailVersion(ctx, w.movie); err == nil {
				t.Errorf("MovieDetailVersion of a deleted movie: no error")
			}
			if got := get(api.h, w.movie); got.Code != http.StatusNotFound {
				t.Errorf("GET deleted movie = %d; want 404", got.Code)
			}
			check(t, w.movie)
			check(t, w.other)
		})

		t.Run("not modified from cache", func(t *testing.T) {
			n++
			w := newDetailWorld(t, api, n)
			tag := get(api.h, w.movie).Header().Get("ETag")
			r := httptest.NewRequest("GET", fmt.Sprintf("/api/v1/movies/%d", w.movie), nil)
			r.Header.Set("If-None-Match", tag)
			rec := httptest.NewRecorder()
			api.h.ServeHTTP(rec, r)
			if rec.Code != http.StatusNotModified {
				t.Errorf("GET with If-None-Match of the cached tag = %d; want 304", rec.Code)
			}
		})
	})
}

// TestVersionBatcher checks that batched version reads answer each request
// with its own movie's version, report missing movies and errors, and
// never answer a request from a batch that started before it arrived.
func TestVersionBatcher(t *testing.T) {
	ctx := context.Background()
	t.Run("concurrent", func(t *testing.T) {
		var mu sync.Mutex
		calls := 0
		b := &versionBatcher{maxBatch: 8, maxRunning: 1, fetch: func(_ context.Context, ids []int64) (map[int64]int64, error) {
			mu.Lock()
			calls++
			mu.Unlock()
			if len(ids) > 8 {
				t.Errorf("batch of %d ids; want at most 8", len(ids))
			}
			out := map[int64]int64{}
			for _, id := range ids {
				if id%7 != 0 {
					out[id] = id * 10
				}
			}
			return out, nil
		}}
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := int64(i%50 + 1)
				v, err := b.version(ctx, id)
				switch {
				case id%7 == 0 && !errors.Is(err, catalog.ErrNotFound):
					t.Errorf("version(%d) = %d, %v; want ErrNotFound", id, v, err)
				case id%7 != 0 && (err != nil || v != id*10):
					t.Errorf("version(%d) = %d, %v; want %d", id, v, err, id*10)
				}
			}()
		}
		wg.Wait()
		// The last batch gives up its slot just after it answers.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
			b.mu.Lock()
			running, pending := b.running, len(b.pending)
			b.mu.Unlock()
			if running == 0 && pending == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after all answers: %d batches running, %d pending; want none", running, pending)
			}
		}
		t.Logf("%d batches for 200 requests", calls)
	})
	t.Run("error", func(t *testing.T) {
		boom := errors.New("boom")
		b := &versionBatcher{maxBatch: 8, maxRunning: 1, fetch: func(context.Context, []int64) (map[int64]int64, error) {
			return nil, boom
		}}
		if _, err := b.version(ctx, 1); !errors.Is(err, boom) {
			t.Errorf("version with a failing read = %v; want %v", err, boom)
		}
	})
	t.Run("fresh", func(t *testing.T) {
		started, release := make(chan []int64, 2), make(chan struct{})
		b := &versionBatcher{maxBatch: 8, maxRunning: 1, fetch: func(_ context.Context, ids []int64) (map[int64]int64, error) {
			started <- ids
			<-release
			return map[int64]int64{1: 1, 2: 2}, nil
		}}
		first := make(chan error, 1)
		go func() { _, err := b.version(ctx, 1); first <- err }()
		if ids := <-started; len(ids) != 1 || ids[0] != 1 {
			t.Fatalf("first batch = %v; want [1]", ids)
		}
		// Movie 2 is asked for while the first batch runs: that batch must
		// not answer it, a later one must.
		second := make(chan error, 1)
		go func() { _, err := b.version(ctx, 2); second <- err }()
		for {
			b.mu.Lock()
			n := len(b.pending)
			b.mu.Unlock()
			if n == 1 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		close(release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		if ids := <-started; len(ids) != 1 || ids[0] != 2 {
			t.Errorf("second batch = %v; want [2]", ids)
		}
		if err := <-second; err != nil {
			t.Fatal(err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		release := make(chan struct{})
		b := &versionBatcher{maxBatch: 8, maxRunning: 1, fetch: func(context.Context, []int64) (map[int64]int64, error) {
			<-release
			return nil, nil
		}}
		go b.version(ctx, 1)
		for {
			b.mu.Lock()
			n := b.running
			b.mu.Unlock()
			if n == 1 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := b.version(cctx, 2); !errors.Is(err, context.Canceled) {
			t.Errorf("version with a canceled context = %v; want context.Canceled", err)
		}
		close(release)
	})
}

// TestDetailCacheSeesOtherWriters checks that a write made through another
// store on the same database, as another process or instance would make
// it, shows in the cached detail: on SQLite once ForeignWriteDelay has
// passed, on PostgreSQL at once.
func TestDetailCacheSeesOtherWriters(t *testing.T) {
	ctx := context.Background()
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			dsn := sqltest.DSN(t, e)
			mine, theirs := sqltest.OpenDSN(t, dsn), sqltest.OpenDSN(t, dsn)
			if _, err := mine.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			h := newServer(Config{Store: mine}).handler()
			m := &catalog.Movie{Title: "Before"}
			if err := theirs.CreateMovieWithGenres(ctx, m, nil); err != nil {
				t.Fatal(err)
			}
			title := func() string {
				t.Helper()
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", fmt.Sprintf("/api/v1/movies/%d", m.ID), nil))
				var d struct{ Title string }
				if err := json.Unmarshal(w.Body.Bytes(), &d); w.Code != http.StatusOK || err != nil {
					t.Fatalf("GET movie = %d %s", w.Code, w.Body)
				}
				return d.Title
			}
			for i, want := range []string{"Before", "Before", "After"} {
				if want == "After" {
					if _, err := theirs.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{Title: &want}); err != nil {
						t.Fatal(err)
					}
					// The bound on SQLite; PostgreSQL needs no wait.
					time.Sleep(2 * sqlstore.ForeignWriteDelay)
				}
				if got := title(); got != want {
					t.Fatalf("GET %d: title = %q; want %q", i, got, want)
				}
			}
		})
	}
}

// TestDetailCacheBudget checks that the cache keeps within its byte
// budget, counts replaced entries once, and refuses an entry larger than
// the whole budget.
func TestDetailCacheBudget(t *testing.T) {
	body := make([]byte, 1000)
	one := detailEntry{gzip: body, tag: `"t"`}
	c := newDetailCache(10 * one.cost())
	for id := range int64(100) {
		c.put(id, one)
		c.put(id, one) // a replacement must not count twice
		sum := 0
		for _, e := range c.entries {
			sum += e.cost()
		}
		if c.bytes != sum || c.bytes > c.budget {
			t.Fatalf("after %d puts: bytes = %d, entries cost %d; budget %d", id+1, c.bytes, sum, c.budget)
		}
		if _, ok := c.get(id, 0); !ok {
			t.Fatalf("entry %d just put is missing", id)
		}
	}
	if len(c.entries) != 10 {
		t.Errorf("full cache holds %d entries; want 10", len(c.entries))
	}
	c.put(1000, detailEntry{gzip: make([]byte, c.budget)})
	if _, ok := c.entries[1000]; ok || len(c.entries) != 10 {
		t.Errorf("an entry over the budget was kept, or evicted others (%d entries left)", len(c.entries))
	}
}
