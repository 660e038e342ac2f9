package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// playIn puts a new character in movie m's cast, played by p (nil: nobody
// known).
func playIn(t *testing.T, s *sqlstore.Store, m *catalog.Movie, p *catalog.Person) {
	t.Helper()
	var person *int64
	if p != nil {
		person = &p.ID
	}
	ch := &catalog.Character{Name: "role in " + m.Title, Role: catalog.RoleSupporting}
	if _, err := s.CreateCharacterInCast(context.Background(), m.ID, ch, person); err != nil {
		t.Fatal(err)
	}
}

// allPages returns every item of a report, page by page of size 3, checking
// each page's total.
func allPages[T any](t *testing.T, list func(catalog.Page) (catalog.List[T], error)) []T {
	t.Helper()
	items := []T{}
	first, err := list(catalog.Page{Number: 1, Size: 3})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; ; n++ {
		l, err := list(catalog.Page{Number: n, Size: 3})
		if err != nil {
			t.Fatalf("page %d: %v", n, err)
		}
		if l.Total != first.Total {
			t.Errorf("page %d total = %d; want %d", n, l.Total, first.Total)
		}
		if len(l.Items) == 0 {
			break
		}
		items = append(items, l.Items...)
	}
	if len(items) != first.Total {
		t.Errorf("pages hold %d items; total says %d", len(items), first.Total)
	}
	return items
}

func TestActorBudgets(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m1 := createMovieAs(t, s, catalog.Movie{Title: "M1", Budget: mustMoney(t, "0.10")})
		m2 := createMovieAs(t, s, catalog.Movie{Title: "M2", Budget: mustMoney(t, "0.20")})
		m3 := createMovieAs(t, s, catalog.Movie{Title: "M3"})
		m4 := createMovieAs(t, s, catalog.Movie{Title: "M4", Budget: mustMoney(t, "1.00")})
		m5 := createMovieAs(t, s, catalog.Movie{Title: "M5", Budget: mustMoney(t, "99999999999.99")})
		m6 := createMovieAs(t, s, catalog.Movie{Title: "M6", Budget: mustMoney(t, "0.00")})
		a := fixturePerson(t, s, "A", "Twice In M1")
		b := fixturePerson(t, s, "B", "No Budget")
		g := fixturePerson(t, s, "G", "Zero Budget")
		c := fixturePerson(t, s, "C", "Big")
		d := fixturePerson(t, s, "D", "M2")
		e := fixturePerson(t, s, "E", "Tie With A")
		director := fixturePerson(t, s, "F", "Directs Only")
		if _, err := s.UpdateMovie(ctx, m4.ID, catalog.MovieUpdate{DirectorID: catalog.Set(director.ID)}); err != nil {
			t.Fatal(err)
		}
		playIn(t, s, m1, a)
		playIn(t, s, m1, a)
		playIn(t, s, m2, a)
		playIn(t, s, m3, b) // only in a movie without a budget: not listed
		playIn(t, s, m3, g)
		playIn(t, s, m6, g) // a budget of 0.00 is a budget: listed with 0
		playIn(t, s, m1, c)
		playIn(t, s, m5, c)
		playIn(t, s, m2, d)
		playIn(t, s, m2, e)
		playIn(t, s, m1, e)
		playIn(t, s, m4, nil)

		got := allPages(t, func(p catalog.Page) (catalog.List[catalog.ActorBudget], error) { return s.ActorBudgets(ctx, p) })
		row := func(p *catalog.Person, total string) catalog.ActorBudget {
			return catalog.ActorBudget{PersonID: p.ID, FirstName: p.FirstName, LastName: p.LastName, TotalBudget: *mustMoney(t, total)}
		}
		want := []catalog.ActorBudget{
			row(c, "100000000000.09"), row(a, "0.30"), row(e, "0.30"), row(d, "0.20"), row(g, "0"),
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ActorBudgets = %s;\nwant %s", asJSON(got), asJSON(want))
		}
		if l, err := s.ActorBudgets(ctx, catalog.Page{Number: 3, Size: 3}); err != nil || len(l.Items) != 0 || l.Total != 5 {
			t.Errorf("page past the end = %s, %v; want no items, total 5", asJSON(l), err)
		}

		// b's movie gets a budget, then loses it again; g's is deleted.
		if _, err := s.UpdateMovie(ctx, m3.ID, catalog.MovieUpdate{Budget: catalog.Set(catalog.Money(5))}); err != nil {
			t.Fatal(err)
		}
		got = allPages(t, func(p catalog.Page) (catalog.List[catalog.ActorBudget], error) { return s.ActorBudgets(ctx, p) })
		want = []catalog.ActorBudget{
			row(c, "100000000000.09"), row(a, "0.30"), row(e, "0.30"), row(d, "0.20"), row(b, "0.05"), row(g, "0.05"),
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ActorBudgets after a budget set = %s;\nwant %s", asJSON(got), asJSON(want))
		}
		if _, err := s.UpdateMovie(ctx, m3.ID, catalog.MovieUpdate{Budget: catalog.Clear[catalog.Money]()}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteMovie(ctx, m6.ID); err != nil {
			t.Fatal(err)
		}
		got = allPages(t, func(p catalog.Page) (catalog.List[catalog.ActorBudget], error) { return s.ActorBudgets(ctx, p) })
		if want = want[:4]; !reflect.DeepEqual(got, want) {
			t.Errorf("ActorBudgets after a budget cleared and a movie deleted = %s;\nwant %s", asJSON(got), asJSON(want))
		}
	})
}

func TestRecentMovies(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a, b := fixturePerson(t, s, "A", "Actor"), fixturePerson(t, s, "B", "Actor")
		onBound := createMovieAs(t, s, catalog.Movie{Title: "On the bound", ReleaseDate: mustDate(t, "2023-02-28")})
		createMovieAs(t, s, catalog.Movie{Title: "A day too old", ReleaseDate: mustDate(t, "2023-02-27")})
		leapDay := createMovieAs(t, s, catalog.Movie{Title: "Leap day", ReleaseDate: mustDate(t, "2024-02-29")})
		sameDay := createMovieAs(t, s, catalog.Movie{Title: "Same day", ReleaseDate: mustDate(t, "2024-02-29")})
		// Announced: not recent until its day, however many years back.
		future := createMovieAs(t, s, catalog.Movie{Title: "Future", ReleaseDate: mustDate(t, "2025-01-01")})
		createMovieAs(t, s, catalog.Movie{Title: "Tomorrow", ReleaseDate: mustDate(t, "2024-03-01")})
		createMovieAs(t, s, catalog.Movie{Title: "Undated"})
		playIn(t, s, onBound, a)
		playIn(t, s, onBound, a)
		playIn(t, s, onBound, b)
		playIn(t, s, onBound, nil)
		playIn(t, s, sameDay, nil)
		playIn(t, s, future, b)

		today := *mustDate(t, "2024-02-29")
		row := func(m *catalog.Movie, actors int) catalog.RecentMovie {
			return catalog.RecentMovie{ID: m.ID, Title: m.Title, ReleaseDate: *m.ReleaseDate, ActorsCount: actors}
		}
		for _, tc := range []struct {
			years int
			want  []catalog.RecentMovie
		}{
			{1, []catalog.RecentMovie{row(leapDay, 0), row(sameDay, 0), row(onBound, 2)}},
			{0, []catalog.RecentMovie{row(leapDay, 0), row(sameDay, 0)}},
			{5000, nil},
		} {
			got := allPages(t, func(p catalog.Page) (catalog.List[catalog.RecentMovie], error) {
				return s.RecentMovies(ctx, tc.years, today, p)
			})
			if tc.want == nil {
				if len(got) != 4 {
					t.Errorf("RecentMovies(%d years) = %d movies; want the 4 dated up to today", tc.years, len(got))
				}
				continue
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("RecentMovies(%d years) = %s;\nwant %s", tc.years, asJSON(got), asJSON(tc.want))
			}
		}
		_, err := s.RecentMovies(ctx, -1, today, catalog.Page{})
		wantInvalid(t, err, "years")
	})
}

func TestDirectorBudgets(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		directs := func(name string, budgets ...string) *catalog.Person {
			p := fixturePerson(t, s, name, "Director")
			for i, b := range budgets {
				m := catalog.Movie{Title: fmt.Sprintf("%s %d", name, i), DirectorID: &p.ID}
				if b != "" {
					m.Budget = mustMoney(t, b)
				}
				createMovieAs(t, s, m)
			}
			return p
		}
		x := directs("X", "1.00", "2.00", "2.00")               // 5.00 / 3 = 1.666… → 1.67
		y := directs("Y", "0.01", "0.02")                       // 0.015 → 0.02
		z := directs("Z", "0.00", "0.01")                       // 0.005 → 0.01
		directs("W", "", "")                                    // no budget: not listed
		v := directs("V", "1.00", "")                           // the movie without budget does not count
		u := directs("U", "0.01", "0.01", "0.02")               // 0.04 / 3 = 0.0133… → 0.01, a tie with Z
		big := directs("T", "99999999999.99", "99999999999.98") // …985 → …99
		tenth := directs("S", "0.10", "0.20", "0.30")           // 0.20 exactly, however 0.1 is stored
		fixturePerson(t, s, "R", "Directs nothing")

		got := allPages(t, func(p catalog.Page) (catalog.List[catalog.DirectorBudget], error) { return s.DirectorBudgets(ctx, p) })
		row := func(p *catalog.Person, avg string) catalog.DirectorBudget {
			return catalog.DirectorBudget{PersonID: p.ID, FirstName: p.FirstName, LastName: p.LastName, AverageBudget: *mustMoney(t, avg)}
		}
		want := []catalog.DirectorBudget{
			row(big, "99999999999.99"), row(x, "1.67"), row(v, "1.00"), row(tenth, "0.20"), row(y, "0.02"), row(z, "0.01"), row(u, "0.01"),
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("DirectorBudgets = %s;\nwant %s", asJSON(got), asJSON(want))
		}
	})
}

// TestReportsMatchGo checks the reports against the same numbers computed
// in Go from the rows of a random catalog.
func TestReportsMatchGo(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(4, 2))
		persons := make([]*catalog.Person, 25)
		for i := range persons {
			persons[i] = fixturePerson(t, s, fmt.Sprintf("P%02d", i), "Random")
		}
		type movie struct {
			m      *catalog.Movie
			actors map[int64]bool
		}
		today := *mustDate(t, "2024-06-15")
		var movies []movie
		for i := range 60 {
			m := catalog.Movie{Title: fmt.Sprintf("Movie %d", i)}
			if rng.IntN(5) > 0 {
				// Budgets with every number of cents, some large.
				cents := catalog.Money(rng.Int64N(100_000_000))
				if rng.IntN(4) == 0 {
					cents = catalog.Money(rng.Int64N(int64(catalog.MaxMoney / 1000)))
				}
				m.Budget = &cents
			}
			if rng.IntN(6) > 0 {
				d := catalog.Date{Year: 2010 + rng.IntN(16), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
				m.ReleaseDate = &d
			}
			if rng.IntN(4) > 0 {
				m.DirectorID = &persons[rng.IntN(8)].ID
			}
			mv := movie{m: createMovieAs(t, s, m), actors: map[int64]bool{}}
			for range rng.IntN(6) {
				var p *catalog.Person
				if rng.IntN(5) > 0 {
					p = persons[rng.IntN(len(persons))]
					mv.actors[p.ID] = true
				}
				playIn(t, s, mv.m, p)
			}
			movies = append(movies, mv)
		}
		byID := map[int64]*catalog.Person{}
		for _, p := range persons {
			byID[p.ID] = p
		}

		// Actor budgets.
		totals := map[int64]catalog.Money{}
		for _, mv := range movies {
			for id := range mv.actors {
				if mv.m.Budget != nil { // an actor of unbudgeted movies alone is not listed
					totals[id] += *mv.m.Budget
				}
			}
		}
		var wantActors []catalog.ActorBudget
		for id, total := range totals {
			p := byID[id]
			wantActors = append(wantActors, catalog.ActorBudget{PersonID: id, FirstName: p.FirstName, LastName: p.LastName, TotalBudget: total})
		}
		sort.Slice(wantActors, func(i, j int) bool {
			a, b := wantActors[i], wantActors[j]
			return a.TotalBudget > b.TotalBudget || a.TotalBudget == b.TotalBudget && a.PersonID < b.PersonID
		})
		gotActors := allPages(t, func(p catalog.Page) (catalog.List[catalog.ActorBudget], error) { return s.ActorBudgets(ctx, p) })
		if !reflect.DeepEqual(gotActors, wantActors) {
			t.Errorf("ActorBudgets = %s;\nwant %s", asJSON(gotActors), asJSON(wantActors))
		}

		// Recent movies.
		since := today.AddYears(-3)
		var wantRecent []catalog.RecentMovie
		for _, mv := range movies {
			if d := mv.m.ReleaseDate; d != nil && !d.Before(since) && !today.Before(*d) {
				wantRecent = append(wantRecent, catalog.RecentMovie{ID: mv.m.ID, Title: mv.m.Title, ReleaseDate: *d, ActorsCount: len(mv.actors)})
			}
		}
		sort.Slice(wantRecent, func(i, j int) bool {
			a, b := wantRecent[i], wantRecent[j]
			return b.ReleaseDate.Before(a.ReleaseDate) || a.ReleaseDate == b.ReleaseDate && a.ID < b.ID
		})
		gotRecent := allPages(t, func(p catalog.Page) (catalog.List[catalog.RecentMovie], error) {
			return s.RecentMovies(ctx, 3, today, p)
		})
		if !reflect.DeepEqual(gotRecent, wantRecent) {
			t.Errorf("RecentMovies = %s;\nwant %s", asJSON(gotRecent), asJSON(wantRecent))
		}

		// Director budgets: the average rounded half up, in integers.
		sums, counts := map[int64]int64{}, map[int64]int64{}
		for _, mv := range movies {
			if mv.m.DirectorID != nil && mv.m.Budget != nil {
				sums[*mv.m.DirectorID] += int64(*mv.m.Budget)
				counts[*mv.m.DirectorID]++
			}
		}
		var wantDirectors []catalog.DirectorBudget
		for id, sum := range sums {
			p, n := byID[id], counts[id]
			avg := sum / n
			if 2*(sum%n) >= n {
				avg++
			}
			wantDirectors = append(wantDirectors, catalog.DirectorBudget{PersonID: id, FirstName: p.FirstName, LastName: p.LastName, AverageBudget: catalog.Money(avg)})
		}
		sort.Slice(wantDirectors, func(i, j int) bool {
			a, b := wantDirectors[i], wantDirectors[j]
			return a.AverageBudget > b.AverageBudget || a.AverageBudget == b.AverageBudget && a.PersonID < b.PersonID
		})
		gotDirectors := allPages(t, func(p catalog.Page) (catalog.List[catalog.DirectorBudget], error) { return s.DirectorBudgets(ctx, p) })
		if !reflect.DeepEqual(gotDirectors, wantDirectors) {
			t.Errorf("DirectorBudgets = %s;\nwant %s", asJSON(gotDirectors), asJSON(wantDirectors))
		}
	})
}

// TestReportPlansReadTheirIndexes checks, on SQLite, that each page of
// the actor-budgets and recent-movies reports, first or after a cursor,
// is one range of its report's index: both bounds of recent-movies on
// release_date, and the actor rows' condition the partial index's. Its
// plans do not depend on statistics, unlike PostgreSQL's, whose plans at
// scale BenchmarkReports logs.
func TestReportPlansReadTheirIndexes(t *testing.T) {
	s := sqltest.Open(t, sqlstore.SQLite, sqlstore.Options{})
	t.Parallel()
	plans, err := s.ReportPlansForTest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{
		"recent movies":       {"movies_recent_idx (release_date>? AND release_date<?)"},
		"recent movies after": {"movies_recent_idx (release_date=? AND id>?)", "movies_recent_idx (release_date>? AND release_date<?)"},
		"actor budgets":       {"COVERING INDEX report_actor_budgets_idx"},
		"actor budgets after": {"report_actor_budgets_idx (cents=? AND person_id>?)", "report_actor_budgets_idx (cents<?)"},
	} {
		plan := strings.Join(plans[name], "\n")
		for _, w := range want {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: plan\n%s\nhas no %q", name, plan, w)
			}
		}
		for _, line := range plans[name] {
			if l := strings.TrimSpace(line); l == "SCAN movies" || l == "SCAN report_person_budgets" {
				t.Errorf("%s: plan\n%s\nscans a table", name, plan)
			}
		}
	}
}
