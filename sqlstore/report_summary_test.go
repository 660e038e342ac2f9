package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/importer"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// rawStore is a migrated store and a plain connection to the same
// database, from which the tests compute the reports from scratch.
type rawStore struct {
	*sqlstore.Store
	db *sql.DB
}

// runRaw runs fn as one subtest per engine on a fresh rawStore.
func runRaw(t *testing.T, fn func(t *testing.T, s rawStore)) {
	t.Helper()
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fn(t, openRaw(t, e))
		})
	}
}

func openRaw(t *testing.T, e sqlstore.Engine) rawStore {
	t.Helper()
	return openRawMigrated(t, e, func(s *sqlstore.Store) error {
		_, err := s.Migrate(context.Background())
		return err
	})
}

// openRawMigrated is openRaw with the schema made by migrate.
func openRawMigrated(t *testing.T, e sqlstore.Engine, migrate func(*sqlstore.Store) error) rawStore {
	t.Helper()
	dsn := sqltest.DSN(t, e)
	s := sqltest.OpenDSN(t, dsn)
	if err := migrate(s); err != nil {
		t.Fatal(err)
	}
	driver, name := "pgx", dsn
	if e == sqlstore.SQLite {
		driver, name = "sqlite", strings.TrimPrefix(dsn, "sqlite:")
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return rawStore{s, db}
}

// The reports computed from scratch, with the aggregate queries the store
// ran before it kept summaries: the independent oracle of the tests. An
// actor is listed when at least one of the movies they play in has a
// budget (count ignores NULLs), as a director is.
const (
	oracleActorBudgets = `
		WITH played AS (
			SELECT DISTINCT person_id, movie_id FROM movie_characters WHERE person_id IS NOT NULL
		)
		SELECT p.id, p.first_name, p.last_name,
			CAST(sum(CAST(round(m.budget * 100) AS BIGINT)) AS BIGINT) AS total
		FROM played pl JOIN movies m ON m.id = pl.movie_id JOIN persons p ON p.id = pl.person_id
		GROUP BY p.id, p.first_name, p.last_name
		HAVING count(m.budget) > 0
		ORDER BY total DESC, p.id`
	oracleDirectorBudgets = `
		WITH directed AS (
			SELECT director_id, CAST(sum(CAST(round(budget * 100) AS BIGINT)) AS BIGINT) AS cents, count(*) AS n
			FROM movies WHERE director_id IS NOT NULL AND budget IS NOT NULL
			GROUP BY director_id
		)
		SELECT p.id, p.first_name, p.last_name, (2 * d.cents + d.n) / (2 * d.n) AS average
		FROM directed d JOIN persons p ON p.id = d.director_id
		ORDER BY average DESC, p.id`
	oracleRecentMovies = `
		SELECT m.id, m.title, CAST(m.release_date AS TEXT),
			(SELECT count(DISTINCT mc.person_id) FROM movie_characters mc WHERE mc.movie_id = m.id)
		FROM movies m WHERE m.release_date >= $1 AND m.release_date <= $2
		ORDER BY m.release_date DESC, m.id`
	oracleUsers = `SELECT id, username FROM users ORDER BY id`
	// Favorites by user, oldest first.
	oracleFavorites = `SELECT user_id, movie_id FROM favorite_movies ORDER BY user_id, "createdAt", movie_id`
)

// oracleRows runs query on db and returns its rows, each read by scan.
func oracleRows[T any](t *testing.T, db *sql.DB, query string, args []any, scan func(*sql.Rows) (T, error)) []T {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			t.Fatalf("oracle: %v", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("oracle: %v", err)
	}
	return out
}

// reportToday is the day the tests run the recent-movies report on.
var reportToday = catalog.Date{Year: 2024, Month: time.June, Day: 15}

// checkReports compares each report, walked page by page by cursor and by
// number, and its total, with the from-scratch computation.
func checkReports(t *testing.T, s rawStore, step string) {
	t.Helper()
	ctx := context.Background()

	wantActors := oracleRows(t, s.db, oracleActorBudgets, nil, func(r *sql.Rows) (catalog.ActorBudget, error) {
		var a catalog.ActorBudget
		err := r.Scan(&a.PersonID, &a.FirstName, &a.LastName, &a.TotalBudget)
		return a, err
	})
	compareReport(t, step+": actor budgets", wantActors, catalog.TotalExact,
		func(p catalog.Page) (catalog.List[catalog.ActorBudget], error) { return s.ActorBudgets(ctx, p) })

	wantDirectors := oracleRows(t, s.db, oracleDirectorBudgets, nil, func(r *sql.Rows) (catalog.DirectorBudget, error) {
		var d catalog.DirectorBudget
		err := r.Scan(&d.PersonID, &d.FirstName, &d.LastName, &d.AverageBudget)
		return d, err
	})
	compareReport(t, step+": director budgets", wantDirectors, catalog.TotalExact,
		func(p catalog.Page) (catalog.List[catalog.DirectorBudget], error) { return s.DirectorBudgets(ctx, p) })

	for _, years := range []int{3, 30, 5000} {
		since := catalog.Date{Year: 1, Month: 1, Day: 1}
		if years < reportToday.Year {
			since = reportToday.AddYears(-years)
		}
		wantRecent := oracleRows(t, s.db, oracleRecentMovies, []any{since.String(), reportToday.String()}, func(r *sql.Rows) (catalog.RecentMovie, error) {
			var (
				m    catalog.RecentMovie
				date string
			)
			if err := r.Scan(&m.ID, &m.Title, &date, &m.ActorsCount); err != nil {
				return m, err
			}
			d, err := catalog.ParseDate(date)
			m.ReleaseDate = d
			return m, err
		})
		compareReport(t, fmt.Sprintf("%s: recent movies of %d years", step, years), wantRecent, catalog.TotalExact,
			func(p catalog.Page) (catalog.List[catalog.RecentMovie], error) {
				return s.RecentMovies(ctx, years, reportToday, p)
			})
	}

	wantUsers := oracleRows(t, s.db, oracleUsers, nil, func(r *sql.Rows) (catalog.UserFavorites, error) {
		u := catalog.UserFavorites{FavoriteMovieIDs: []int64{}}
		err := r.Scan(&u.ID, &u.Username)
		return u, err
	})
	type fav struct{ user, movie int64 }
	favs := oracleRows(t, s.db, oracleFavorites, nil, func(r *sql.Rows) (fav, error) {
		var f fav
		err := r.Scan(&f.user, &f.movie)
		return f, err
	})
	for i := range wantUsers {
		for _, f := range favs {
			if f.user == wantUsers[i].ID {
				wantUsers[i].FavoriteMovieIDs = append(wantUsers[i].FavoriteMovieIDs, f.movie)
			}
		}
	}
	compareReport(t, step+": user favorites", wantUsers, catalog.TotalExact,
		func(p catalog.Page) (catalog.List[catalog.UserFavorites], error) {
			return s.UserFavoritesReport(ctx, p)
		})
}

// compareReport walks a report by cursor and by page number, pages of 3,
// and compares both walks and every page's total with want.
func compareReport[T any](t *testing.T, name string, want []T, relation string, list func(catalog.Page) (catalog.List[T], error)) {
	t.Helper()
	byCursor, byNumber := []T{}, []T{}
	cursor := ""
	for n := 1; ; n++ {
		l, err := list(catalog.Page{Size: 3, Cursor: cursor})
		if err != nil {
			t.Fatalf("%s: page %d by cursor: %v", name, n, err)
		}
		if l.Total != len(want) || l.TotalRelation != relation {
			t.Errorf("%s: page %d by cursor: total %d %s; want %d %s", name, n, l.Total, l.TotalRelation, len(want), relation)
		}
		byCursor = append(byCursor, l.Items...)
		if l.NextCursor == "" {
			break
		}
		if len(l.Items) != 3 || n > len(want) {
			t.Fatalf("%s: page %d by cursor: %d items and a next cursor", name, n, len(l.Items))
		}
		cursor = l.NextCursor
	}
	for n := 1; n <= len(want)/3+1; n++ {
		l, err := list(catalog.Page{Number: n, Size: 3})
		if err != nil {
			t.Fatalf("%s: page %d: %v", name, n, err)
		}
		if more := n*3 < len(want); (l.NextCursor != "") != more {
			t.Errorf("%s: page %d: next cursor %q; want one: %v", name, n, l.NextCursor, more)
		}
		byNumber = append(byNumber, l.Items...)
	}
	if !reflect.DeepEqual(byCursor, want) {
		t.Errorf("%s by cursor =\n%s;\nfrom scratch\n%s", name, asJSON(byCursor), asJSON(want))
	}
	if !reflect.DeepEqual(byNumber, want) {
		t.Errorf("%s by page number =\n%s;\nfrom scratch\n%s", name, asJSON(byNumber), asJSON(want))
	}
}

func money(cents int64) *catalog.Money { m := catalog.Money(cents); return &m }

// TestReportsFollowEveryWrite makes every kind of write that changes a
// report and checks, after each, that the reports equal their
// computation from scratch.
func TestReportsFollowEveryWrite(t *testing.T) {
	runRaw(t, func(t *testing.T, s rawStore) {
		ctx := context.Background()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		check := func(step string) { t.Helper(); checkReports(t, s, step) }
		check("empty")

		a, b, c := fixturePerson(t, s.Store, "A", "Actor"), fixturePerson(t, s.Store, "B", "Actor"), fixturePerson(t, s.Store, "C", "Actor")
		d1, d2 := fixturePerson(t, s.Store, "D", "Director"), fixturePerson(t, s.Store, "E", "Director")
		date := func(y int) *catalog.Date { return &catalog.Date{Year: y, Month: time.January, Day: 1} }
		m1 := createMovieAs(t, s.Store, catalog.Movie{Title: "M1", Budget: money(1000), DirectorID: &d1.ID, ReleaseDate: date(2023)})
		m2 := createMovieAs(t, s.Store, catalog.Movie{Title: "M2", Budget: money(250), DirectorID: &d1.ID, ReleaseDate: date(2023)})
		m3 := createMovieAs(t, s.Store, catalog.Movie{Title: "M3", DirectorID: &d2.ID, ReleaseDate: date(1990)})
		m4 := createMovieAs(t, s.Store, catalog.Movie{Title: "M4", Budget: money(7), ReleaseDate: date(2024)})
		// Announced after reportToday: not a recent movie yet.
		m5 := createMovieAs(t, s.Store, catalog.Movie{Title: "M5", Budget: money(3), DirectorID: &d1.ID, ReleaseDate: date(2025)})
		check("movies created")

		playIn(t, s.Store, m1, a)
		playIn(t, s.Store, m1, a) // two characters, one movie: counted once
		playIn(t, s.Store, m1, b)
		playIn(t, s.Store, m2, a)
		playIn(t, s.Store, m3, c) // no budget: c is not listed
		playIn(t, s.Store, m4, nil)
		playIn(t, s.Store, m5, b)
		check("cast added")

		upd := func(m *catalog.Movie, u catalog.MovieUpdate) {
			t.Helper()
			_, err := s.UpdateMovie(ctx, m.ID, u)
			must(err)
		}
		upd(m3, catalog.MovieUpdate{Budget: catalog.Set(catalog.Money(99))})
		check("budget set")
		upd(m1, catalog.MovieUpdate{Budget: catalog.Set(catalog.Money(1001))})
		check("budget changed")
		upd(m2, catalog.MovieUpdate{Budget: catalog.Clear[catalog.Money]()})
		check("budget cleared")
		upd(m4, catalog.MovieUpdate{DirectorID: catalog.Set(d2.ID)})
		check("director set")
		upd(m1, catalog.MovieUpdate{DirectorID: catalog.Set(d2.ID), Budget: catalog.Set(catalog.Money(5))})
		check("director and budget changed")
		upd(m3, catalog.MovieUpdate{DirectorID: catalog.Clear[int64]()})
		check("director cleared")
		upd(m3, catalog.MovieUpdate{Title: ptr("M3 renamed")})
		check("title changed")

		cast, err := s.ListCast(ctx, m1.ID)
		must(err)
		first := cast[0]
		_, err = s.UpdateCastMember(ctx, m1.ID, first.CharacterID, catalog.CastUpdate{PersonID: catalog.Set(c.ID)})
		must(err)
		check("cast person changed")
		_, err = s.UpdateCastMember(ctx, m1.ID, first.CharacterID, catalog.CastUpdate{PersonID: catalog.Clear[int64]()})
		must(err)
		check("cast person cleared")
		_, err = s.UpdateCastMember(ctx, m1.ID, first.CharacterID, catalog.CastUpdate{PersonID: catalog.Set(a.ID)})
		must(err)
		check("cast person set again")
		must(s.RemoveCastMember(ctx, m1.ID, first.CharacterID))
		check("cast member removed")
		must(s.DeleteCharacter(ctx, cast[1].CharacterID))
		check("character deleted")

		playIn(t, s.Store, m2, b)
		playIn(t, s.Store, m2, c)
		must(s.DeleteMovie(ctx, m2.ID))
		check("movie deleted")
		must(s.DeletePerson(ctx, c.ID))
		check("actor deleted")
		if err := s.DeletePerson(ctx, d2.ID); err == nil {
			t.Fatal("a director was deleted")
		}
		check("director not deleted")

		u1, u2 := fixtureUser(t, s.Store, "u1"), fixtureUser(t, s.Store, "u2")
		fixtureUser(t, s.Store, "u3")
		for _, f := range []struct{ u, m int64 }{{u1.ID, m1.ID}, {u1.ID, m3.ID}, {u2.ID, m4.ID}} {
			_, err := s.AddFavorite(ctx, f.u, f.m)
			must(err)
		}
		check("favorites added")
		_, err = s.RemoveFavorite(ctx, u1.ID, m1.ID)
		must(err)
		check("favorite removed")
		must(s.DeleteMovie(ctx, m4.ID))
		check("favorite movie deleted")
		must(s.DeleteUser(ctx, u2.ID))
		check("user deleted")
	})
}

// TestReportsFollowImportsAndRestores imports with the real importer, into
// an empty catalog and into one that has rows, and restores an export,
// into an empty catalog and over itself, checking the reports against
// their computation from scratch after each.
func TestReportsFollowImportsAndRestores(t *testing.T) {
	runRaw(t, func(t *testing.T, s rawStore) {
		ctx := context.Background()
		testdata := filepath.Join("..", "importer", "testdata")
		imdb := filepath.Join(testdata, "imdb")
		imp := func(format string, files ...string) {
			t.Helper()
			if _, err := importer.Import(ctx, s.Store, format, files, importer.Options{BatchSize: 3}); err != nil {
				t.Fatal(err)
			}
		}
		imp("imdb", filepath.Join(imdb, "title.principals.tsv"), filepath.Join(imdb, "name.basics.tsv.gz"),
			filepath.Join(imdb, "title.basics.tsv"), filepath.Join(imdb, "title.crew.tsv"))
		checkReports(t, s, "imdb import")

		// Budgets on imported movies, then more imports meeting the same
		// persons by name.
		movies, err := s.ListMovies(ctx, catalog.MovieFilter{Page: catalog.Page{Size: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range movies.Items {
			if _, err := s.UpdateMovie(ctx, m.ID, catalog.MovieUpdate{Budget: catalog.Set(catalog.Money(1000 * (i + 1)))}); err != nil {
				t.Fatal(err)
			}
		}
		checkReports(t, s, "budgets on imported movies")
		imp("wikipedia", filepath.Join(testdata, "wikipedia-sample.json"))
		checkReports(t, s, "wikipedia import")
		imp("imdb-top-1000", filepath.Join(testdata, "imdb_top_1000-sample.csv"))
		checkReports(t, s, "imdb-top-1000 import")
		fixtureUser(t, s.Store, "fan")

		// Imported movies with budgets and directors, persons met before
		// and new, an actor playing two characters in one movie, in
		// batches of two.
		existing := fixturePerson(t, s.Store, "Known", "Person")
		known := catalog.ImportPerson{FirstName: existing.FirstName, LastName: existing.LastName}
		newcomer := catalog.ImportPerson{FirstName: "New", LastName: "Comer"}
		role := func(p catalog.ImportPerson) catalog.ImportCast {
			return catalog.ImportCast{Person: p, Character: "Role of " + p.FirstName, Role: catalog.RoleLeading}
		}
		batches := [][]catalog.ImportMovie{{
			{Source: "test", ExternalID: "1", Title: "Budgeted", Budget: money(12345), Director: &known,
				ReleaseDate: &catalog.Date{Year: 2023, Month: time.May, Day: 1},
				Cast:        []catalog.ImportCast{role(known), role(newcomer), role(newcomer)}},
			{Source: "test", ExternalID: "2", Title: "Unbudgeted", Director: &newcomer,
				Cast: []catalog.ImportCast{role(newcomer)}},
		}, {
			{Source: "test", ExternalID: "3", Title: "Also budgeted", Budget: money(7), Director: &newcomer,
				Cast: []catalog.ImportCast{role(known)}},
			{Source: "test", ExternalID: "4", Title: "Cheap", Budget: money(1), Director: &known},
		}}
		im := s.NewImporter()
		for _, b := range batches {
			if _, err := im.ImportMovies(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		if err := im.Close(ctx); err != nil {
			t.Fatal(err)
		}
		checkReports(t, s, "budgeted import")

		export := filepath.Join(t.TempDir(), "export.json")
		f, err := os.Create(export)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Export(ctx, f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		imp("moviedb-json", export)
		checkReports(t, s, "restore over itself")

		for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
			if os.Getenv(sqltest.PostgresURLVar) == "" && e == sqlstore.Postgres {
				continue
			}
			dst := openRaw(t, e)
			if _, err := importer.Import(ctx, dst.Store, "moviedb-json", []string{export}, importer.Options{}); err != nil {
				t.Fatal(err)
			}
			checkReports(t, dst, "restore into an empty "+string(e)+" catalog")
		}
	})
}

// TestReportsMatchAfterRandomWrites makes random writes of every kind and
// compares the reports with their computation from scratch every few
// writes.
func TestReportsMatchAfterRandomWrites(t *testing.T) {
	runRaw(t, func(t *testing.T, s rawStore) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(10, 11))
		var persons, movies []int64
		for i := range 12 {
			persons = append(persons, fixturePerson(t, s.Store, fmt.Sprintf("P%d", i), "Random").ID)
		}
		pick := func(ids []int64) int64 { return ids[rng.IntN(len(ids))] }
		randBudget := func() *catalog.Nullable[catalog.Money] {
			if rng.IntN(4) == 0 {
				return catalog.Clear[catalog.Money]()
			}
			return catalog.Set(catalog.Money(rng.Int64N(1_000_000)))
		}
		for step := range 300 {
			var err error
			switch op := rng.IntN(10); {
			case op < 2 || len(movies) < 3:
				m := catalog.Movie{Title: fmt.Sprintf("Movie %d", step),
					ReleaseDate: &catalog.Date{Year: 2018 + rng.IntN(8), Month: time.January, Day: 1 + rng.IntN(3)}}
				if b := randBudget(); b.Value != nil {
					m.Budget = b.Value
				}
				if rng.IntN(3) > 0 {
					d := pick(persons)
					m.DirectorID = &d
				}
				movies = append(movies, createMovieAs(t, s.Store, m).ID)
			case op < 5:
				var p *int64
				if rng.IntN(6) > 0 {
					id := pick(persons)
					p = &id
				}
				_, err = s.CreateCharacterInCast(ctx, pick(movies), &catalog.Character{Name: "Role", Role: catalog.RoleSupporting}, p)
			case op == 5:
				u := catalog.MovieUpdate{Budget: randBudget()}
				if rng.IntN(2) == 0 {
					u.DirectorID = catalog.Set(pick(persons))
				}
				_, err = s.UpdateMovie(ctx, pick(movies), u)
			case op == 6:
				m := pick(movies)
				cast, lerr := s.ListCast(ctx, m)
				if lerr != nil || len(cast) == 0 {
					err = lerr
					break
				}
				ch := cast[rng.IntN(len(cast))].CharacterID
				switch rng.IntN(3) {
				case 0:
					err = s.RemoveCastMember(ctx, m, ch)
				case 1:
					_, err = s.UpdateCastMember(ctx, m, ch, catalog.CastUpdate{PersonID: catalog.Set(pick(persons))})
				default:
					_, err = s.UpdateCastMember(ctx, m, ch, catalog.CastUpdate{PersonID: catalog.Clear[int64]()})
				}
			case op == 7 && len(movies) > 3:
				i := rng.IntN(len(movies))
				err = s.DeleteMovie(ctx, movies[i])
				movies = append(movies[:i], movies[i+1:]...)
			case op == 8 && len(persons) > 4:
				i := rng.IntN(len(persons))
				if err = s.DeletePerson(ctx, persons[i]); err == nil {
					persons = append(persons[:i], persons[i+1:]...)
				} else if errors.Is(err, catalog.ErrConflict) {
					err = nil // directs a movie
				}
			default:
				persons = append(persons, fixturePerson(t, s.Store, fmt.Sprintf("Q%d", step), "Random").ID)
			}
			if err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			if step%25 == 24 {
				checkReports(t, s, fmt.Sprintf("step %d", step))
			}
		}
	})
}

// A reportWalk lists a report's pages as JSON items, for tests that treat
// the four reports alike.
type reportWalk struct {
	name string
	page func(p catalog.Page) (items []string, next string, err error)
}

func walkOf[T any](name string, list func(catalog.Page) (catalog.List[T], error)) reportWalk {
	return reportWalk{name, func(p catalog.Page) ([]string, string, error) {
		l, err := list(p)
		var items []string
		for _, it := range l.Items {
			items = append(items, asJSON(it))
		}
		return items, l.NextCursor, err
	}}
}

// all returns every item of the report, after cursor ("" from the start),
// walking pages of 2 by cursor.
func (w reportWalk) all(t *testing.T, cursor string) []string {
	t.Helper()
	var out []string
	for range 1000 {
		items, next, err := w.page(catalog.Page{Size: 2, Cursor: cursor})
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		out = append(out, items...)
		if next == "" {
			return out
		}
		cursor = next
	}
	t.Fatalf("%s: no last page", w.name)
	return nil
}

func reportWalks(s *sqlstore.Store, years int) []reportWalk {
	ctx := context.Background()
	return []reportWalk{
		walkOf("actor budgets", func(p catalog.Page) (catalog.List[catalog.ActorBudget], error) { return s.ActorBudgets(ctx, p) }),
		walkOf("director budgets", func(p catalog.Page) (catalog.List[catalog.DirectorBudget], error) { return s.DirectorBudgets(ctx, p) }),
		walkOf("recent movies", func(p catalog.Page) (catalog.List[catalog.RecentMovie], error) {
			return s.RecentMovies(ctx, years, reportToday, p)
		}),
		walkOf("user favorites", func(p catalog.Page) (catalog.List[catalog.UserFavorites], error) {
			return s.UserFavoritesReport(ctx, p)
		}),
	}
}

// TestReportCursorsStayInPlace reads a first page of each report, adds
// rows that sort before and after its last row, and checks that the pages
// after its cursor are exactly the rows that now follow that row: no row
// repeated, none skipped.
func TestReportCursorsStayInPlace(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		t.Parallel()
		// Many ties: equal totals and averages, movies of one date.
		add := func(name string, budget int64, year int) {
			p := fixturePerson(t, s, name, "Tied")
			m := createMovieAs(t, s, catalog.Movie{Title: name, Budget: money(budget), DirectorID: &p.ID,
				ReleaseDate: &catalog.Date{Year: year, Month: time.January, Day: 1}})
			playIn(t, s, m, p)
		}
		for i := range 7 {
			add(fmt.Sprintf("Old%d", i), 500, 2023)
			fixtureUser(t, s, fmt.Sprintf("user%d", i))
		}
		walks := reportWalks(s, 3)
		type start struct {
			last, next string
		}
		starts := make([]start, len(walks))
		for i, w := range walks {
			items, next, err := w.page(catalog.Page{Size: 3})
			if err != nil || len(items) != 3 || next == "" {
				t.Fatalf("%s: first page %v, next %q, %v", w.name, items, next, err)
			}
			starts[i] = start{items[2], next}
		}
		add("Before", 900, 2024) // sorts first in every report but users
		add("After", 500, 2023)  // ties with the first page's rows, with a larger id
		add("Last", 100, 2022)
		fixtureUser(t, s, "newcomer")
		for i, w := range walks {
			full := w.all(t, "")
			at := slices.Index(full, starts[i].last)
			if at < 0 {
				t.Fatalf("%s: the first page's last row %s is gone from %v", w.name, starts[i].last, full)
			}
			if got, want := w.all(t, starts[i].next), full[at+1:]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s after the first page's cursor =\n%v;\nwant\n%v", w.name, got, want)
			}
		}
	})
}

// TestReportCursorsRefused checks that a cursor of another report, of the
// same report with other parameters, altered or made up, is a
// *catalog.ValidationError on cursor.
func TestReportCursorsRefused(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		t.Parallel()
		for i := range 3 {
			p := fixturePerson(t, s, fmt.Sprintf("P%d", i), "Cursor")
			m := createMovieAs(t, s, catalog.Movie{Title: p.FirstName, Budget: money(100), DirectorID: &p.ID,
				ReleaseDate: &catalog.Date{Year: 2024, Month: time.January, Day: 1}})
			playIn(t, s, m, p)
			fixtureUser(t, s, fmt.Sprintf("user%d", i))
		}
		walks, otherYears := reportWalks(s, 3), reportWalks(s, 4)[2]
		cursors := map[string]string{}
		for _, w := range append(walks, reportWalk{"recent movies of 4 years", otherYears.page}) {
			_, next, err := w.page(catalog.Page{Size: 1})
			if err != nil || next == "" {
				t.Fatalf("%s: next cursor %q, %v", w.name, next, err)
			}
			cursors[w.name] = next
		}
		for _, w := range walks {
			bad := []string{"x", strings.Repeat("A", 2000), cursors[w.name][:len(cursors[w.name])-2],
				cursors[w.name][:10] + flip(cursors[w.name][10]) + cursors[w.name][11:]}
			for name, c := range cursors {
				if name != w.name {
					bad = append(bad, c)
				}
			}
			for _, c := range bad {
				_, _, err := w.page(catalog.Page{Size: 1, Cursor: c})
				wantInvalid(t, err, "cursor")
			}
		}
	})
}

// flip returns another base64url character than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestReportsUnderConcurrentWrites changes the casts and budgets of a few
// movies from several goroutines at once, the same actors in the same
// movies, and checks the reports against their computation from scratch:
// the triggers' reads must not race (on PostgreSQL, where transactions run
// concurrently).
func TestReportsUnderConcurrentWrites(t *testing.T) {
	runRaw(t, func(t *testing.T, s rawStore) {
		ctx := context.Background()
		var persons, movies []int64
		for i := range 3 {
			p := fixturePerson(t, s.Store, fmt.Sprintf("P%d", i), "Concurrent")
			persons = append(persons, p.ID)
			movies = append(movies, createMovieAs(t, s.Store, catalog.Movie{Title: p.FirstName, Budget: money(100), DirectorID: &p.ID}).ID)
		}
		errs := make(chan error, 4)
		for g := range 4 {
			go func() {
				rng := rand.New(rand.NewPCG(uint64(g), 7))
				for range 25 {
					m, p := movies[rng.IntN(3)], persons[rng.IntN(3)]
					var err error
					switch rng.IntN(4) {
					case 0, 1:
						_, err = s.CreateCharacterInCast(ctx, m, &catalog.Character{Name: "Role", Role: catalog.RoleLeading}, &p)
					case 2:
						// A budget cleared takes the movie out of its actors' rows.
						b := catalog.Set(catalog.Money(rng.Int64N(1000)))
						if rng.IntN(3) == 0 {
							b = catalog.Clear[catalog.Money]()
						}
						_, err = s.UpdateMovie(ctx, m, catalog.MovieUpdate{Budget: b})
					default:
						var cast []catalog.CastMember
						if cast, err = s.ListCast(ctx, m); err == nil && len(cast) > 0 {
							err = s.RemoveCastMember(ctx, m, cast[rng.IntN(len(cast))].CharacterID)
							if errors.Is(err, catalog.ErrNotFound) {
								err = nil // another goroutine removed it first
							}
						}
					}
					if err != nil {
						errs <- err
						return
					}
				}
				errs <- nil
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		checkReports(t, s, "concurrent writes")
	})
}

// TestActorBudgetsMigration fills a database migrated up to 0016, whose
// actor-budgets report still listed actors of unbudgeted movies alone,
// and checks that migration 0017 leaves the report equal to its
// computation from scratch, and that writes keep it so.
func TestActorBudgetsMigration(t *testing.T) {
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := openRawMigrated(t, e, func(s *sqlstore.Store) error { return s.MigrateBelowForTest(ctx, 17) })
			unbudgeted, both, zero := fixturePerson(t, s.Store, "Only", "Unbudgeted"),
				fixturePerson(t, s.Store, "Both", "Kinds"), fixturePerson(t, s.Store, "Zero", "Budget")
			m1 := createMovieAs(t, s.Store, catalog.Movie{Title: "No budget"})
			m2 := createMovieAs(t, s.Store, catalog.Movie{Title: "Budget", Budget: money(250), DirectorID: &both.ID})
			m3 := createMovieAs(t, s.Store, catalog.Movie{Title: "Free", Budget: money(0)})
			playIn(t, s.Store, m1, unbudgeted)
			playIn(t, s.Store, m1, both)
			playIn(t, s.Store, m2, both)
			playIn(t, s.Store, m3, zero)
			before, err := s.ActorBudgets(ctx, catalog.Page{})
			if err != nil || before.Total != 3 {
				t.Fatalf("before 0017: %s, %v; want the 3 actors, the unbudgeted one at 0", asJSON(before), err)
			}

			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			checkReports(t, s, "migrated")
			after, err := s.ActorBudgets(ctx, catalog.Page{})
			if err != nil || after.Total != 2 || after.Items[0].PersonID != both.ID || after.Items[1].PersonID != zero.ID {
				t.Errorf("after 0017: %s, %v; want Both at 2.50 and Zero at 0.00", asJSON(after), err)
			}
			if _, err := s.UpdateMovie(ctx, m1.ID, catalog.MovieUpdate{Budget: catalog.Set(catalog.Money(1))}); err != nil {
				t.Fatal(err)
			}
			checkReports(t, s, "budget set after the migration")
			if err := s.DeleteMovie(ctx, m2.ID); err != nil {
				t.Fatal(err)
			}
			checkReports(t, s, "movie deleted after the migration")
		})
	}
}
