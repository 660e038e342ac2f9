package sqlstore_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/importer"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// A keyMovie is a movie of keyCatalog as the test made it: what every
// sort key reads, for an ordering computed here.
type keyMovie struct {
	id       int64
	title    string
	release  *string
	budget   *float64
	duration *int
	created  time.Time
	fans     int
	drama    bool
}

// keyCatalog fills s with n movies whose sort keys take few values, many
// of them NULL, so that every order has ties and NULLs in both directions.
// Titles are ASCII, whose case both engines fold alike.
func keyCatalog(t *testing.T, s *sqlstore.Store, clk *clock, n int, seed int64) (map[int64]*keyMovie, *catalog.Genre) {
	t.Helper()
	ctx := context.Background()
	rnd := rand.New(rand.NewSource(seed))
	drama := fixtureGenre(t, s, "Drama")
	var users []int64
	for i := range 5 {
		users = append(users, fixtureUser(t, s, fmt.Sprintf("fan%d", i)).ID)
	}
	titles := []string{"alpha", "Alpha", "beta", "BETA gamma", "delta"}
	dates := []string{"1999-12-31", "2000-01-01", "2024-02-29"}
	budgets := []string{"0.10", "5", "5.50", "1000000"}
	movies := map[int64]*keyMovie{}
	for range n {
		if rnd.Intn(3) == 0 {
			clk.Advance(time.Second)
		}
		km := &keyMovie{title: titles[rnd.Intn(len(titles))], created: clk.Now().UTC().Truncate(time.Microsecond)}
		m := catalog.Movie{Title: km.title}
		if i := rnd.Intn(len(dates) + 1); i < len(dates) {
			m.ReleaseDate, km.release = mustDate(t, dates[i]), &dates[i]
		}
		if i := rnd.Intn(len(budgets) + 2); i < len(budgets) {
			m.Budget = mustMoney(t, budgets[i])
			f, err := strconv.ParseFloat(budgets[i], 64)
			if err != nil {
				t.Fatal(err)
			}
			km.budget = &f
		}
		if i := rnd.Intn(3); i < 2 {
			m.Duration, km.duration = ptr(90+30*i), ptr(90+30*i)
		}
		km.id = createMovieAs(t, s, m).ID
		movies[km.id] = km
		if rnd.Intn(2) == 0 {
			km.drama = true
			if _, err := s.AddMovieGenre(ctx, km.id, drama.ID); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range users {
			if rnd.Intn(4) == 0 {
				km.fans++
				if _, err := s.AddFavorite(ctx, u, km.id); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return movies, drama
}

// compareKeys orders two movies as a search sorted by key in the
// direction desc does: NULLs last either way, ties by id ascending.
func compareKeys(a, b *keyMovie, key string, desc bool) int {
	nullsLast := func(an, bn bool, c func() int) int {
		switch {
		case an && bn:
			return 0
		case an:
			return 1
		case bn:
			return -1
		}
		if desc {
			return -c()
		}
		return c()
	}
	var c int
	switch key {
	case catalog.MovieSortTitle:
		c = nullsLast(false, false, func() int { return strings.Compare(strings.ToLower(a.title), strings.ToLower(b.title)) })
	case catalog.MovieSortReleaseDate:
		c = nullsLast(a.release == nil, b.release == nil, func() int { return strings.Compare(*a.release, *b.release) })
	case catalog.MovieSortBudget:
		c = nullsLast(a.budget == nil, b.budget == nil, func() int { return cmp.Compare(*a.budget, *b.budget) })
	case catalog.MovieSortDuration:
		c = nullsLast(a.duration == nil, b.duration == nil, func() int { return cmp.Compare(*a.duration, *b.duration) })
	case catalog.MovieSortPopularity:
		c = nullsLast(false, false, func() int { return cmp.Compare(a.fans, b.fans) })
	case catalog.MovieSortCreatedAt:
		c = nullsLast(false, false, func() int { return a.created.Compare(b.created) })
	}
	if c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// expectedOrder returns the ids of the movies keep selects, in the order
// of key and desc.
func expectedOrder(movies map[int64]*keyMovie, key string, desc bool, keep func(*keyMovie) bool) []int64 {
	var list []*keyMovie
	for _, m := range movies {
		if keep == nil || keep(m) {
			list = append(list, m)
		}
	}
	slices.SortFunc(list, func(a, b *keyMovie) int { return compareKeys(a, b, key, desc) })
	ids := []int64{}
	for _, m := range list {
		ids = append(ids, m.id)
	}
	return ids
}

// walk lists every page of f by cursor, checking the totals, and returns
// the ids in the order listed.
func walk(t *testing.T, s *sqlstore.Store, f catalog.MovieSearch, total int) []int64 {
	t.Helper()
	ids := []int64{}
	for pages := 0; ; pages++ {
		if pages > total+1 {
			t.Fatalf("walk of %+v does not end", f)
		}
		l, err := s.SearchMovies(context.Background(), f)
		if err != nil {
			t.Fatalf("SearchMovies(%+v): %v", f, err)
		}
		if l.Total != total || l.TotalRelation != catalog.TotalExact {
			t.Fatalf("SearchMovies(%+v) total %d %s; want %d eq", f, l.Total, l.TotalRelation, total)
		}
		for _, m := range l.Items {
			ids = append(ids, m.ID)
		}
		if l.NextCursor == "" {
			if len(l.Items) == f.Page.Size && len(ids) < total {
				t.Fatalf("a full page before the end has no next cursor")
			}
			return ids
		}
		f.Page = catalog.Page{Size: f.Page.Size, Cursor: l.NextCursor}
	}
}

func TestSearchMoviesKeysetWalk(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		movies, drama := keyCatalog(t, s, clk, 40, 1)
		filters := []struct {
			name string
			f    catalog.MovieSearch
			keep func(*keyMovie) bool
		}{
			{"all", catalog.MovieSearch{}, nil},
			{"drama", catalog.MovieSearch{GenreIDs: []int64{drama.ID}}, func(m *keyMovie) bool { return m.drama }},
			{"from 2000", catalog.MovieSearch{ReleasedFrom: mustDate(t, "2000-01-01")},
				func(m *keyMovie) bool { return m.release != nil && *m.release >= "2000-01-01" }},
		}
		for _, key := range catalog.MovieSorts {
			for _, desc := range []bool{false, true} {
				for _, fl := range filters {
					want := expectedOrder(movies, key, desc, fl.keep)
					for _, size := range []int{1, 3, 7, 100} {
						f := fl.f
						f.Sort, f.Desc, f.Page = key, desc, catalog.Page{Size: size}
						if got := walk(t, s, f, len(want)); !reflect.DeepEqual(got, want) {
							t.Errorf("%s by %s desc=%v, cursor pages of %d = %v; want %v", fl.name, key, desc, size, got, want)
						}
					}
					f := fl.f
					f.Sort, f.Desc = key, desc
					got := pageThrough(t, len(want), func(p catalog.Page) ([]int64, int, error) {
						f.Page = p
						l, err := s.SearchMovies(context.Background(), f)
						return idsOf(l, err, func(m catalog.MovieSummary) int64 { return m.ID })
					})
					if !slices.Equal(got, want) {
						t.Errorf("%s by %s desc=%v, numbered pages = %v; want %v", fl.name, key, desc, got, want)
					}
				}
			}
		}
	})
}

// TestSearchMoviesKeysetStable checks that a walk by cursor neither skips
// nor repeats a movie when movies are added and removed between pages,
// even the movie the cursor was taken at.
func TestSearchMoviesKeysetStable(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		movies, _ := keyCatalog(t, s, clk, 30, 2)
		for _, key := range []string{catalog.MovieSortReleaseDate, catalog.MovieSortBudget, catalog.MovieSortPopularity} {
			for _, desc := range []bool{false, true} {
				f := catalog.MovieSearch{Sort: key, Desc: desc, Page: catalog.Page{Size: 4}}
				first, err := s.SearchMovies(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				at := movies[first.Items[3].ID]
				// Add movies on both sides of the cursor and one tied with
				// it, and delete the movie the cursor was taken at and one
				// after it.
				for _, title := range []string{"alpha", "delta"} {
					for _, release := range []string{"1990-01-01", "2030-01-01"} {
						m := createMovieAs(t, s, catalog.Movie{Title: title, ReleaseDate: mustDate(t, release)})
						movies[m.ID] = &keyMovie{id: m.ID, title: title, release: &release, created: clk.Now().UTC().Truncate(time.Microsecond)}
					}
				}
				tied := *at
				m := catalog.Movie{Title: at.title, Duration: at.duration}
				if at.release != nil {
					m.ReleaseDate = mustDate(t, *at.release)
				}
				if at.budget != nil {
					m.Budget = mustMoney(t, strconv.FormatFloat(*at.budget, 'f', 2, 64))
				}
				tied.id, tied.fans = createMovieAs(t, s, m).ID, 0
				movies[tied.id] = &tied
				rest := expectedOrder(movies, key, desc, func(m *keyMovie) bool { return compareKeys(m, at, key, desc) > 0 })
				for _, id := range []int64{at.id, rest[len(rest)/2]} {
					if err := s.DeleteMovie(ctx, id); err != nil {
						t.Fatal(err)
					}
					delete(movies, id)
				}
				rest = expectedOrder(movies, key, desc, func(m *keyMovie) bool { return compareKeys(m, at, key, desc) > 0 })
				var got []int64
				f.Page.Cursor = first.NextCursor
				for f.Page.Cursor != "" {
					l, err := s.SearchMovies(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, m := range l.Items {
						got = append(got, m.ID)
					}
					f.Page.Cursor = l.NextCursor
				}
				if !slices.Equal(got, rest) {
					t.Errorf("by %s desc=%v: after writes the walk went on with %v; want %v", key, desc, got, rest)
				}
			}
		}
	})
}

// cursorScope returns the scope written in an encoded cursor, to forge
// cursors of the same list with other values.
func cursorScope(t *testing.T, text string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(raw) < 10 {
		t.Fatalf("cursor %q: %v", text, err)
	}
	var c struct {
		S string `json:"s"`
	}
	if err := json.NewDecoder(bytes.NewReader(raw[1 : len(raw)-8])).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c.S
}

func TestSearchKeysetRejectsCursors(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		_, drama := keyCatalog(t, s, clk, 10, 3)
		fixturePerson(t, s, "John", "Smith")
		fixturePerson(t, s, "Johnny", "Smith")
		cursorOf := func(f catalog.MovieSearch) string {
			f.Page = catalog.Page{Size: 1}
			l, err := s.SearchMovies(ctx, f)
			if err != nil || l.NextCursor == "" {
				t.Fatalf("SearchMovies(%+v) = %v, next cursor %q", f, err, l.NextCursor)
			}
			return l.NextCursor
		}
		byDate := catalog.MovieSearch{Sort: catalog.MovieSortReleaseDate, GenreIDs: []int64{drama.ID}}
		good := cursorOf(byDate)
		for name, f := range map[string]catalog.MovieSearch{
			"other sort":      {Sort: catalog.MovieSortBudget, GenreIDs: []int64{drama.ID}},
			"other direction": {Sort: catalog.MovieSortReleaseDate, Desc: true, GenreIDs: []int64{drama.ID}},
			"other filter":    {Sort: catalog.MovieSortReleaseDate, GenreIDs: []int64{drama.ID}, MinDuration: ptr(1)},
			"no filter":       {Sort: catalog.MovieSortReleaseDate},
		} {
			f.Page = catalog.Page{Cursor: good}
			_, err := s.SearchMovies(ctx, f)
			t.Run(name, func(t *testing.T) { wantInvalid(t, err, "cursor") })
		}
		// The same filters written otherwise select the same movies: the
		// cursor serves.
		same := byDate
		same.GenreIDs = []int64{drama.ID, drama.ID}
		same.Page = catalog.Page{Cursor: good}
		if _, err := s.SearchMovies(ctx, same); err != nil {
			t.Errorf("cursor with the same filters written otherwise: %v", err)
		}
		for _, text := range []string{"x", good[:len(good)-2], good + "A", strings.Repeat("A", 2000), "AQ", good[1:]} {
			f := byDate
			f.Page = catalog.Page{Cursor: text}
			_, err := s.SearchMovies(ctx, f)
			wantInvalid(t, err, "cursor")
		}
		// Cursors that pass the checksum but hold values no page ends at.
		forge := func(f catalog.MovieSearch, after ...*string) string {
			return catalog.Cursor{Scope: cursorScope(t, cursorOf(f)), After: after}.Encode()
		}
		str := catalog.CursorString
		for _, tc := range []struct {
			sort  string
			after []*string
		}{
			{catalog.MovieSortReleaseDate, []*string{str("not a date"), str("1")}},
			{catalog.MovieSortReleaseDate, []*string{str("2001-02-30"), str("1")}},
			{catalog.MovieSortReleaseDate, []*string{str("2001-01-01"), str("one")}},
			{catalog.MovieSortReleaseDate, []*string{str("2001-01-01"), nil}},
			{catalog.MovieSortReleaseDate, []*string{str("2001-01-01")}},
			{catalog.MovieSortTitle, []*string{nil, str("1")}},
			{catalog.MovieSortBudget, []*string{str("1e5"), str("1")}},
			{catalog.MovieSortBudget, []*string{str("NaN"), str("1")}},
			{catalog.MovieSortBudget, []*string{str("-1"), str("1")}},
			{catalog.MovieSortDuration, []*string{str("1.5"), str("1")}},
			{catalog.MovieSortDuration, []*string{str("99999999999999999999"), str("1")}},
			{catalog.MovieSortPopularity, []*string{nil, str("1")}},
			{catalog.MovieSortCreatedAt, []*string{nil, str("1")}},
		} {
			f := catalog.MovieSearch{Sort: tc.sort}
			f.Page = catalog.Page{Cursor: forge(f, tc.after...)}
			_, err := s.SearchMovies(ctx, f)
			t.Run(tc.sort, func(t *testing.T) { wantInvalid(t, err, "cursor") })
		}
		// A forged value of the right form is only a place in the list.
		if s.Engine() == sqlstore.Postgres {
			f := catalog.MovieSearch{Sort: catalog.MovieSortCreatedAt}
			f.Page = catalog.Page{Cursor: forge(f, str("99999999999999999"), str("1"))}
			_, err := s.SearchMovies(ctx, f)
			wantInvalid(t, err, "cursor")
		}
		f := catalog.MovieSearch{Sort: catalog.MovieSortTitle}
		f.Page = catalog.Page{Cursor: forge(f, str("'); DROP TABLE movies; --"), str("1"))}
		if _, err := s.SearchMovies(ctx, f); err != nil {
			t.Errorf("cursor of a title no movie has: %v", err)
		}

		l, err := s.SearchPersons(ctx, "john", catalog.Page{Size: 1})
		if err != nil || l.NextCursor == "" {
			t.Fatalf("SearchPersons(john) = %v, next %q", err, l.NextCursor)
		}
		_, err = s.SearchPersons(ctx, "smith", catalog.Page{Cursor: l.NextCursor})
		wantInvalid(t, err, "cursor")
		_, err = s.SearchPersons(ctx, "john", catalog.Page{Cursor: good})
		wantInvalid(t, err, "cursor")
		bad := catalog.Cursor{Scope: cursorScope(t, l.NextCursor), After: []*string{nil, str("a"), str("1")}}.Encode()
		_, err = s.SearchPersons(ctx, "john", catalog.Page{Cursor: bad})
		wantInvalid(t, err, "cursor")
		if l, err := s.SearchPersons(ctx, "JOHN", catalog.Page{Cursor: l.NextCursor}); err != nil || len(l.Items) != 1 || l.NextCursor != "" {
			t.Errorf("second page of john by cursor = %s, %v; want the last person", asJSON(l), err)
		}
	})
}

func TestSearchPersonsKeysetWalk(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		type named struct {
			id          int64
			first, last string
		}
		var all []named
		for _, n := range [][2]string{{"John", "Smith"}, {"john", "smith"}, {"Ann", "Smith"}, {"John", "Adams"},
			{"Zoe", "Adams"}, {"John", "smith"}, {"Mary", "Jones"}, {"John", "Jones"}} {
			p := fixturePerson(t, s, n[0], n[1])
			all = append(all, named{p.ID, n[0], n[1]})
		}
		for _, q := range []string{"", "john", "smith"} {
			var want []int64
			sorted := slices.Clone(all)
			slices.SortFunc(sorted, func(a, b named) int {
				return cmp.Or(strings.Compare(strings.ToLower(a.last), strings.ToLower(b.last)),
					strings.Compare(strings.ToLower(a.first), strings.ToLower(b.first)), cmp.Compare(a.id, b.id))
			})
			for _, p := range sorted {
				if q == "" || strings.EqualFold(p.first, q) || strings.EqualFold(p.last, q) {
					want = append(want, p.id)
				}
			}
			for _, size := range []int{1, 2, 3} {
				var got []int64
				page := catalog.Page{Size: size}
				for {
					l, err := s.SearchPersons(ctx, q, page)
					if err != nil {
						t.Fatal(err)
					}
					if l.Total != len(want) || l.TotalRelation != catalog.TotalExact {
						t.Errorf("SearchPersons(%q) total %d %s; want %d eq", q, l.Total, l.TotalRelation, len(want))
					}
					for _, p := range l.Items {
						got = append(got, p.ID)
					}
					if l.NextCursor == "" {
						break
					}
					page.Cursor = l.NextCursor
				}
				if !slices.Equal(got, want) {
					t.Errorf("SearchPersons(%q) by cursor pages of %d = %v; want %v", q, size, got, want)
				}
			}
		}
	})
}

// TestSearchBoundedTotals fills more than catalog.MaxExactTotal movies and
// persons with SQL and checks that totals stop there, that the pages of
// searches that match many rows come in order, and that cursor pages are
// the numbered ones.
func TestSearchBoundedTotals(t *testing.T) {
	if raceDetector {
		// Its tens of thousands of rows, each through the triggers, take
		// minutes there; it has one goroutine, nothing to race.
		t.Skip("fills more than 10,000 rows: too slow under the race detector")
	}
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		const n = catalog.MaxExactTotal + 50
		series := fmt.Sprintf("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) ", n)
		genre := fixtureGenre(t, s, "Bulk")
		fixturePerson(t, s, "Johanna", "Other")
		if err := s.ExecForTest(ctx,
			"INSERT INTO movies (title, duration) "+series+"SELECT 'Bulk ' || i, (i % 300) + 1 FROM n",
			fmt.Sprintf("INSERT INTO movie_genres (movie_id, genre_id) SELECT id, %d FROM movies WHERE title LIKE 'Bulk %%' AND duration <= 299", genre.ID),
			fmt.Sprintf("INSERT INTO movie_genres (movie_id, genre_id) SELECT id, %d FROM movies WHERE title = 'Bulk 299'", genre.ID),
			"INSERT INTO persons (first_name, last_name) "+series+"SELECT 'John', 'Bulk ' || i FROM n",
		); err != nil {
			t.Fatal(err)
		}
		var short int // movies of at most 10 minutes
		for i := 1; i <= n; i++ {
			if i%300+1 <= 10 {
				short++
			}
		}
		var linked int // movies of the genre: durations 1..299, and Bulk 299 of 300
		for i := 1; i <= n; i++ {
			if i%300+1 <= 299 || i == 299 {
				linked++
			}
		}
		for _, tc := range []struct {
			f        catalog.MovieSearch
			total    int
			relation string
		}{
			{catalog.MovieSearch{}, catalog.MaxExactTotal, catalog.TotalAtLeast},
			{catalog.MovieSearch{Q: "bulk"}, catalog.MaxExactTotal, catalog.TotalAtLeast},
			{catalog.MovieSearch{GenreIDs: []int64{genre.ID}}, min(linked, catalog.MaxExactTotal), catalog.TotalAtLeast},
			{catalog.MovieSearch{MinDuration: ptr(300)}, n / 300, catalog.TotalExact},
			{catalog.MovieSearch{GenreIDs: []int64{genre.ID}, MinDuration: ptr(300)}, 1, catalog.TotalExact},
			{catalog.MovieSearch{Q: "bulk 1000"}, 11, catalog.TotalExact}, // 1000, 10000 to 10009
			{catalog.MovieSearch{MaxDuration: ptr(10)}, short, catalog.TotalExact},
		} {
			l, err := s.SearchMovies(ctx, tc.f)
			if err != nil || l.Total != tc.total || l.TotalRelation != tc.relation {
				t.Errorf("SearchMovies(%+v) total %d %q, %v; want %d %q", tc.f, l.Total, l.TotalRelation, err, tc.total, tc.relation)
			}
		}
		if linked <= catalog.MaxExactTotal {
			t.Fatalf("the genre links %d movies; want more than %d", linked, catalog.MaxExactTotal)
		}
		// Exactly MaxExactTotal is exact.
		if err := s.ExecForTest(ctx, fmt.Sprintf("DELETE FROM movie_genres WHERE genre_id = %d AND movie_id IN "+
			"(SELECT id FROM movies WHERE title LIKE 'Bulk %%' AND duration = 1)", genre.ID)); err != nil {
			t.Fatal(err)
		}
		var left int
		for i := 1; i <= n; i++ {
			if (i%300+1 <= 299 && i%300+1 != 1) || i == 299 {
				left++
			}
		}
		if l, err := s.SearchMovies(ctx, catalog.MovieSearch{GenreIDs: []int64{genre.ID}}); err != nil ||
			l.Total != min(left, catalog.MaxExactTotal) || (left <= catalog.MaxExactTotal) != (l.TotalRelation == catalog.TotalExact) {
			t.Errorf("genre of %d movies: total %d %q, %v", left, l.Total, l.TotalRelation, err)
		}

		// Sorted pages of searches matching many rows, by title and by
		// duration descending, against an order computed here.
		var titles []string
		for i := 1; i <= n; i++ {
			titles = append(titles, fmt.Sprintf("bulk %d", i))
		}
		slices.Sort(titles)
		l, err := s.SearchMovies(ctx, catalog.MovieSearch{Q: "bulk", Page: catalog.Page{Size: 5}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range l.Items {
			got = append(got, strings.ToLower(m.Title))
		}
		if !slices.Equal(got, titles[:5]) {
			t.Errorf("first titles matching bulk = %q; want %q", got, titles[:5])
		}
		for _, f := range []catalog.MovieSearch{
			{GenreIDs: []int64{genre.ID}, Sort: catalog.MovieSortDuration, Desc: true},
			{Q: "bulk", Sort: catalog.MovieSortDuration},
			{Sort: catalog.MovieSortPopularity, Desc: true},
		} {
			f.Page = catalog.Page{Size: 50}
			var byCursor, byNumber []catalog.MovieSummary
			for page := 1; page <= 3; page++ {
				l, err := s.SearchMovies(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				byCursor = append(byCursor, l.Items...)
				f.Page.Cursor = l.NextCursor
				nf := f
				nf.Page = catalog.Page{Size: 50, Number: page}
				if l, err = s.SearchMovies(ctx, nf); err != nil {
					t.Fatal(err)
				}
				byNumber = append(byNumber, l.Items...)
			}
			if !reflect.DeepEqual(byCursor, byNumber) || len(byCursor) != 150 {
				t.Errorf("%+v: 3 pages by cursor and by number differ", f)
			}
			for i := 1; i < len(byCursor); i++ {
				a, b := byCursor[i-1], byCursor[i]
				switch f.Sort {
				case catalog.MovieSortDuration:
					if (f.Desc && *a.Duration < *b.Duration) || (!f.Desc && *a.Duration > *b.Duration) || (*a.Duration == *b.Duration && a.ID > b.ID) {
						t.Fatalf("%+v: %d min (id %d) before %d min (id %d)", f, *a.Duration, a.ID, *b.Duration, b.ID)
					}
				default:
					if a.ID > b.ID {
						t.Fatalf("%+v: movies of no favorites out of id order", f)
					}
				}
			}
		}

		pl, err := s.SearchPersons(ctx, "john", catalog.Page{Size: 3})
		if err != nil || pl.Total != catalog.MaxExactTotal || pl.TotalRelation != catalog.TotalAtLeast {
			t.Fatalf("SearchPersons(john) total %d %q, %v; want %d gte", pl.Total, pl.TotalRelation, err, catalog.MaxExactTotal)
		}
		var names []string
		for _, p := range pl.Items {
			names = append(names, p.LastName)
		}
		if want := []string{"Bulk 1", "Bulk 10", "Bulk 100"}; !slices.Equal(names, want) {
			t.Errorf("first johns = %q; want %q", names, want)
		}
		next, err := s.SearchPersons(ctx, "john", catalog.Page{Size: 3, Cursor: pl.NextCursor})
		numbered, err2 := s.SearchPersons(ctx, "john", catalog.Page{Size: 3, Number: 2})
		if err != nil || err2 != nil || !reflect.DeepEqual(next.Items, numbered.Items) {
			t.Errorf("second page of johns by cursor %s, by number %s (%v, %v)", asJSON(next.Items), asJSON(numbered.Items), err, err2)
		}
	})
}

// wantSearchTablesExact checks movie_stats and movie_genre_releases
// against the same computed now.
func wantSearchTablesExact(t *testing.T, s *sqlstore.Store, when string) {
	t.Helper()
	ctx := context.Background()
	bad, err := s.SearchTablesMismatchesForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("after %s, search tables differ: %q", when, bad)
	}
}

func TestSearchTablesStayExact(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c := newSearchCatalog(t, s, clk)
		wantSearchTablesExact(t, s, "adding favorites")
		user := fixtureUser(t, s, "zed")
		for _, title := range []string{"Brave Heart", "Empty", "Fast Cut"} {
			if _, err := s.AddFavorite(ctx, user.ID, c.movies[title].ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddFavorite(ctx, user.ID, c.movies["Empty"].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RemoveFavorite(ctx, user.ID, c.movies["Fast Cut"].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RemoveFavorite(ctx, user.ID, c.movies["Fast Cut"].ID); err != nil {
			t.Fatal(err)
		}
		wantSearchTablesExact(t, s, "adding and removing favorites")
		// Genre links and release dates change.
		amelie := c.movies["Amélie"].ID
		if _, err := s.UpdateMovie(ctx, amelie, catalog.MovieUpdate{ReleaseDate: catalog.Set(*mustDate(t, "1960-01-01"))}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateMovie(ctx, c.movies["Brave Heart"].ID, catalog.MovieUpdate{ReleaseDate: &catalog.Nullable[catalog.Date]{}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RemoveMovieGenre(ctx, amelie, c.comd.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMovieGenres(ctx, c.movies["Fast Cut"].ID, []int64{c.action.ID, c.comd.ID}); err != nil {
			t.Fatal(err)
		}
		wantSearchTablesExact(t, s, "changing release dates and genre links")
		l, err := s.SearchMovies(ctx, catalog.MovieSearch{GenreIDs: []int64{c.drama.ID}, ReleasedTo: mustDate(t, "1999-12-31")})
		if err != nil || len(l.Items) != 1 || l.Items[0].ID != amelie {
			t.Errorf("drama released by 1999 = %s, %v; want Amélie alone", asJSON(l), err)
		}
		if err := s.ForceDeleteGenre(ctx, c.comd.ID); err != nil {
			t.Fatal(err)
		}
		wantSearchTablesExact(t, s, "deleting a genre")
		got, _ := c.search(t, s, catalog.MovieSearch{Sort: catalog.MovieSortPopularity, Desc: true})
		want := []string{"Dune Part", "Amélie", "Crash Course", "Brave Heart", "Empty", "Fast Cut", "empty"}
		if !slices.Equal(got, want) {
			t.Errorf("by popularity = %q; want %q", got, want)
		}
		if err := s.DeleteUser(ctx, user.ID); err != nil {
			t.Fatal(err)
		}
		wantSearchTablesExact(t, s, "deleting a user")
		if err := s.DeleteMovie(ctx, c.movies["Dune Part"].ID); err != nil {
			t.Fatal(err)
		}
		wantSearchTablesExact(t, s, "deleting a movie")
		got, _ = c.search(t, s, catalog.MovieSearch{Sort: catalog.MovieSortPopularity, Desc: true})
		want = []string{"Amélie", "Crash Course", "Brave Heart", "Empty", "Fast Cut", "empty"}
		if !slices.Equal(got, want) {
			t.Errorf("by popularity after deletes = %q; want %q", got, want)
		}

		im := s.NewImporter()
		if _, err := im.ImportMovies(ctx, []catalog.ImportMovie{{Source: "test", ExternalID: "1", Title: "Imported", Genres: []string{"Drama"}}}); err != nil {
			t.Fatal(err)
		}
		if err := im.Close(ctx); err != nil {
			t.Fatal(err)
		}
		wantSearchTablesExact(t, s, "an import")
		l, err = s.SearchMovies(ctx, catalog.MovieSearch{Q: "imported", Sort: catalog.MovieSortPopularity})
		if err != nil || len(l.Items) != 1 {
			t.Errorf("imported movie by popularity = %s, %v", asJSON(l), err)
		}

		// A restore of an export gives the same counts.
		file := filepath.Join(t.TempDir(), "export.json")
		out, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Export(ctx, out); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
		dst := sqltest.Open(t, s.Engine(), sqlstore.Options{})
		if _, err := importer.Import(ctx, dst, "moviedb-json", []string{file}, importer.Options{}); err != nil {
			t.Fatal(err)
		}
		wantSearchTablesExact(t, dst, "a restore")
		top, err := dst.SearchMovies(ctx, catalog.MovieSearch{Sort: catalog.MovieSortPopularity, Desc: true, Page: catalog.Page{Size: 2}})
		if err != nil || len(top.Items) != 2 || top.Items[0].Title != "Amélie" || top.Items[1].Title != "Crash Course" {
			t.Errorf("restored catalog by popularity = %s, %v; want Amélie, Crash Course", asJSON(top), err)
		}
	})
}
