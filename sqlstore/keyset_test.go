package sqlstore_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// walkList reads a list from its first page by cursors, size rows a page,
// and returns the ids in the order read. It fails t when a page's
// NextCursor is missing while rows follow, or when a page is full and
// the walk does not end.
func walkList[T any](t *testing.T, list func(catalog.Page) (catalog.List[T], error), id func(*T) int64, size int) []int64 {
	t.Helper()
	var ids []int64
	page := catalog.Page{Size: size}
	for range 1000 {
		l, err := list(page)
		if err != nil {
			t.Fatalf("page %+v: %v", page, err)
		}
		for i := range l.Items {
			ids = append(ids, id(&l.Items[i]))
		}
		if l.NextCursor == "" {
			return ids
		}
		if len(l.Items) != size {
			t.Fatalf("page %+v: %d items with a next cursor; want %d", page, len(l.Items), size)
		}
		page.Cursor = l.NextCursor
	}
	t.Fatal("the cursor walk does not end")
	return nil
}

// numbered reads a list page by page by number, for comparison with the
// cursor walk.
func numbered[T any](t *testing.T, list func(catalog.Page) (catalog.List[T], error), id func(*T) int64, size int) (ids []int64, total int, relation string) {
	t.Helper()
	for n := 1; ; n++ {
		l, err := list(catalog.Page{Number: n, Size: size})
		if err != nil {
			t.Fatalf("page %d: %v", n, err)
		}
		total, relation = l.Total, l.TotalRelation
		for i := range l.Items {
			ids = append(ids, id(&l.Items[i]))
		}
		if (l.NextCursor != "") != (len(l.Items) == size && len(ids) < total) {
			t.Fatalf("page %d: next cursor %q with %d of %d rows read", n, l.NextCursor, len(ids), total)
		}
		if len(l.Items) < size || l.NextCursor == "" {
			return ids, total, relation
		}
	}
}

// checkWalk checks that the cursor walk of a list at several page sizes,
// and its numbered pages, give want, with an exact total.
func checkWalk[T any](t *testing.T, what string, list func(catalog.Page) (catalog.List[T], error), id func(*T) int64, want []int64) {
	t.Helper()
	for _, size := range []int{1, 2, 3, 100} {
		if got := walkList(t, list, id, size); !slices.Equal(got, want) {
			t.Errorf("%s: cursor walk by %d = %v; want %v", what, size, got, want)
		}
	}
	got, total, relation := numbered(t, list, id, 2)
	if !slices.Equal(got, want) || total != len(want) || relation != catalog.TotalExact {
		t.Errorf("%s: numbered pages = %v, total %d %s; want %v, %d eq", what, got, total, relation, want, len(want))
	}
}

type named struct {
	id   int64
	name string
}

// byName returns the ids of rows ordered by lower-cased name, then id, as
// the lists order them (the names here are ASCII).
func byName(rows []named) []int64 {
	sorted := slices.Clone(rows)
	slices.SortFunc(sorted, func(a, b named) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)), cmp.Compare(a.id, b.id))
	})
	ids := make([]int64, len(sorted))
	for i, r := range sorted {
		ids[i] = r.id
	}
	return ids
}

// mixedNames have ties in any case, so that the walk crosses equal names.
var mixedNames = []string{"bravo", "Alpha", "alpha", "Charlie", "ALPHA", "delta", "Bravo", "echo"}

func TestListCursorWalks(t *testing.T) {
	t.Parallel()
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		var persons, characters, countries, genres []named
		for i, n := range mixedNames {
			p := fixturePerson(t, s, mixedNames[(i+3)%len(mixedNames)], n)
			persons = append(persons, named{p.ID, n + " " + strings.ToLower(mixedNames[(i+3)%len(mixedNames)])})
			c := fixtureCharacter(t, s, n, catalog.RoleSupporting)
			characters = append(characters, named{c.ID, n})
		}
		for i, n := range []string{"Peru", "chile", "Brazil", "argentina", "Ecuador"} {
			c := fixtureCountry(t, s, n)
			countries = append(countries, named{c.ID, n})
			g := fixtureGenre(t, s, fmt.Sprintf("%s%d", strings.ToUpper(n[:1]), 5-i))
			genres = append(genres, named{g.ID, g.Name})
		}
		var movies, files, users []int64
		for i := range 5 {
			movies = append(movies, fixtureMovie(t, s, fmt.Sprintf("Movie %d", i)).ID)
			files = append(files, fixtureFile(t, s, fmt.Sprintf("key%d", i)).ID)
			users = append(users, fixtureUser(t, s, fmt.Sprintf("user%d", i)).ID)
		}

		checkWalk(t, "persons", func(p catalog.Page) (catalog.List[catalog.Person], error) {
			return s.ListPersons(ctx, catalog.PersonFilter{Page: p})
		}, func(p *catalog.Person) int64 { return p.ID }, byName(persons))
		checkWalk(t, "characters", func(p catalog.Page) (catalog.List[catalog.Character], error) {
			return s.ListCharacters(ctx, catalog.CharacterFilter{Page: p})
		}, func(c *catalog.Character) int64 { return c.ID }, byName(characters))
		checkWalk(t, "countries", func(p catalog.Page) (catalog.List[catalog.Country], error) {
			return s.ListCountries(ctx, catalog.CountryFilter{Page: p})
		}, func(c *catalog.Country) int64 { return c.ID }, byName(countries))
		checkWalk(t, "genres", func(p catalog.Page) (catalog.List[catalog.Genre], error) {
			return s.ListGenres(ctx, catalog.GenreFilter{Page: p})
		}, func(g *catalog.Genre) int64 { return g.ID }, byName(genres))
		checkWalk(t, "movies", func(p catalog.Page) (catalog.List[catalog.Movie], error) {
			return s.ListMovies(ctx, catalog.MovieFilter{Page: p})
		}, func(m *catalog.Movie) int64 { return m.ID }, movies)
		checkWalk(t, "files", func(p catalog.Page) (catalog.List[catalog.File], error) {
			return s.ListFiles(ctx, catalog.FileFilter{Page: p})
		}, func(f *catalog.File) int64 { return f.ID }, files)
		wantUsers := users
		if l, err := s.ListUsers(ctx, catalog.UserFilter{Page: catalog.Page{Size: 100}}); err == nil && len(l.Items) > len(users) {
			// A store may start with users of its own (none today).
			wantUsers = nil
			for _, u := range l.Items {
				wantUsers = append(wantUsers, u.ID)
			}
		}
		checkWalk(t, "users", func(p catalog.Page) (catalog.List[catalog.User], error) {
			return s.ListUsers(ctx, catalog.UserFilter{Page: p})
		}, func(u *catalog.User) int64 { return u.ID }, wantUsers)
	})
}

func TestFavoritesCursorWalk(t *testing.T) {
	t.Parallel()
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := fixtureUser(t, s, "fan")
		other := fixtureUser(t, s, "other")
		var movies []int64
		for i := range 7 {
			movies = append(movies, fixtureMovie(t, s, fmt.Sprintf("Movie %d", i)).ID)
		}
		// Added two at a time, at one instant each pair: the newest pair
		// first, and within a pair the higher movie id first.
		for i, id := range movies {
			if _, err := s.AddFavorite(ctx, u.ID, id); err != nil {
				t.Fatal(err)
			}
			if i%2 == 1 {
				clk.Advance(time.Second + 1234*time.Nanosecond)
			}
		}
		if _, err := s.AddFavorite(ctx, other.ID, movies[0]); err != nil {
			t.Fatal(err)
		}
		want := []int64{movies[6], movies[5], movies[4], movies[3], movies[2], movies[1], movies[0]}
		checkWalk(t, "favorites", func(p catalog.Page) (catalog.List[catalog.Favorite], error) {
			return s.ListFavorites(ctx, u.ID, p)
		}, func(f *catalog.Favorite) int64 { return f.MovieID }, want)
		checkWalk(t, "favorite movies", func(p catalog.Page) (catalog.List[catalog.MovieSummary], error) {
			return s.ListFavoriteMovies(ctx, u.ID, p)
		}, func(m *catalog.MovieSummary) int64 { return m.ID }, want)

		// Another user's cursor is refused.
		l, err := s.ListFavorites(ctx, other.ID, catalog.Page{Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		mine, err := s.ListFavorites(ctx, u.ID, catalog.Page{Size: 1})
		if err != nil || mine.NextCursor == "" {
			t.Fatalf("first page: %v, next %q", err, mine.NextCursor)
		}
		if _, err := s.AddFavorite(ctx, other.ID, movies[1]); err != nil {
			t.Fatal(err)
		}
		if l, err = s.ListFavorites(ctx, other.ID, catalog.Page{Size: 1}); err != nil || l.NextCursor == "" {
			t.Fatalf("other's first page: %v, next %q", err, l.NextCursor)
		}
		_, err = s.ListFavorites(ctx, u.ID, catalog.Page{Size: 1, Cursor: l.NextCursor})
		wantInvalid(t, err, "cursor")
		_, err = s.ListFavoriteMovies(ctx, other.ID, catalog.Page{Size: 1, Cursor: mine.NextCursor})
		wantInvalid(t, err, "cursor")
		if _, err := s.ListFavorites(ctx, 1<<40, catalog.Page{Size: 1}); err == nil {
			t.Error("favorites of a user who does not exist: no error")
		}
	})
}

// TestCursorStableUnderInserts inserts rows before and after a cursor's
// place between two pages: the walk neither repeats nor skips a row that
// was there, and reads the new row after its place.
func TestCursorStableUnderInserts(t *testing.T) {
	t.Parallel()
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		var rows []named
		for _, n := range []string{"Baker", "Carter", "Dunn", "Evans", "Foster", "Grant"} {
			p := fixturePerson(t, s, "Ann", n)
			rows = append(rows, named{p.ID, n + " ann"})
		}
		list := func(p catalog.Page) (catalog.List[catalog.Person], error) {
			return s.ListPersons(ctx, catalog.PersonFilter{Page: p})
		}
		first, err := list(catalog.Page{Size: 3})
		if err != nil {
			t.Fatal(err)
		}
		before := fixturePerson(t, s, "Ann", "Abbott")          // sorts before the cursor
		tie := fixturePerson(t, s, "Ann", "Dunn")               // the cursor's name, a higher id: after it
		after := fixturePerson(t, s, "Ann", "Hughes")           // sorts after the cursor
		if err := s.DeletePerson(ctx, rows[4].id); err != nil { // Foster, not yet read
			t.Fatal(err)
		}
		got := []int64{}
		for _, p := range first.Items {
			got = append(got, p.ID)
		}
		page := catalog.Page{Size: 2, Cursor: first.NextCursor}
		for page.Cursor != "" {
			l, err := list(page)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range l.Items {
				got = append(got, p.ID)
			}
			page.Cursor = l.NextCursor
		}
		want := []int64{rows[0].id, rows[1].id, rows[2].id, tie.ID, rows[3].id, rows[5].id, after.ID}
		if !slices.Equal(got, want) {
			t.Errorf("walk with inserts = %v; want %v (Abbott %d sorts before the cursor)", got, want, before.ID)
		}
	})
}

func TestHostileCursors(t *testing.T) {
	t.Parallel()
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		for _, n := range []string{"A", "B", "C"} {
			fixturePerson(t, s, n, n)
			fixtureCharacter(t, s, n, catalog.RoleLeading)
		}
		persons, err := s.ListPersons(ctx, catalog.PersonFilter{Page: catalog.Page{Size: 1}})
		if err != nil || persons.NextCursor == "" {
			t.Fatalf("persons: %v, next %q", err, persons.NextCursor)
		}
		chars, err := s.ListCharacters(ctx, catalog.CharacterFilter{Page: catalog.Page{Size: 1}})
		if err != nil || chars.NextCursor == "" {
			t.Fatalf("characters: %v, next %q", err, chars.NextCursor)
		}
		good := persons.NextCursor
		altered := []byte(good)
		altered[len(altered)/2] ^= 1
		if altered[len(altered)/2] == '-' || altered[len(altered)/2] == '_' {
			altered[len(altered)/2] = 'A'
		}
		made := catalog.Cursor{Scope: "persons:name", After: []*string{catalog.CursorString("a"), catalog.CursorString("a")}}.Encode()
		notInt := catalog.Cursor{Scope: "persons:name", After: []*string{
			catalog.CursorString("a"), catalog.CursorString("a"), catalog.CursorString("x")}}.Encode()
		nullID := catalog.Cursor{Scope: "persons:name", After: []*string{
			catalog.CursorString("a"), catalog.CursorString("a"), nil}}.Encode()
		for name, cursor := range map[string]string{
			"garbage":         "not a cursor",
			"other list":      chars.NextCursor,
			"altered":         string(altered),
			"cut short":       good[:len(good)-3],
			"too long":        good + strings.Repeat("A", catalog.MaxCursorLength),
			"too few keys":    made,
			"id not a number": notInt,
			"id null":         nullID,
		} {
			t.Run(name, func(t *testing.T) {
				_, err := s.ListPersons(ctx, catalog.PersonFilter{Page: catalog.Page{Size: 1, Cursor: cursor}})
				wantInvalid(t, err, "cursor")
			})
		}
	})
}

// TestBoundedTotal fills the persons list past catalog.MaxExactTotal: its
// total stops there as a lower bound, and the list still pages to its end.
func TestBoundedTotal(t *testing.T) {
	t.Parallel()
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		n := catalog.MaxExactTotal + 5
		err := s.ExecForTest(ctx, fmt.Sprintf(`INSERT INTO persons (first_name, last_name)
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			SELECT 'P', 'N' || i FROM n`, n))
		if err != nil {
			t.Fatal(err)
		}
		l, err := s.ListPersons(ctx, catalog.PersonFilter{Page: catalog.Page{Size: 100}})
		if err != nil || l.Total != catalog.MaxExactTotal || l.TotalRelation != catalog.TotalAtLeast || l.NextCursor == "" {
			t.Fatalf("first page: total %d %q, next %q, %v; want %d gte with a next cursor", l.Total, l.TotalRelation, l.NextCursor, err, catalog.MaxExactTotal)
		}
		seen := len(l.Items)
		for l.NextCursor != "" {
			if l, err = s.ListPersons(ctx, catalog.PersonFilter{Page: catalog.Page{Size: 100, Cursor: l.NextCursor}}); err != nil {
				t.Fatal(err)
			}
			seen += len(l.Items)
		}
		if seen != n {
			t.Errorf("the cursor walk read %d persons; want %d", seen, n)
		}
		// Exactly at the bound, the total is exact.
		if err := s.ExecForTest(ctx, "DELETE FROM persons WHERE last_name IN ('N1', 'N2', 'N3', 'N4', 'N5')"); err != nil {
			t.Fatal(err)
		}
		if l, err = s.ListPersons(ctx, catalog.PersonFilter{}); err != nil || l.Total != catalog.MaxExactTotal || l.TotalRelation != catalog.TotalExact {
			t.Errorf("at the bound: total %d %q, %v; want %d eq", l.Total, l.TotalRelation, err, catalog.MaxExactTotal)
		}
	})
}
