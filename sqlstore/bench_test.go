package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// Size of the generated benchmark catalog.
const (
	benchMovies    = 10_000
	benchPersons   = 30_000
	benchCast      = 10 // characters per movie
	benchCountries = 50
	benchGenres    = 20
	benchUsers     = 1_000
	benchFavorites = 50_000
)

// benchGenreNames are the genres of the benchmark catalog, Action and
// Drama among them as the classic query wants.
var benchGenreNames = []string{"Action", "Drama", "Comedy", "Thriller", "Horror", "Romance", "Western", "Musical",
	"Documentary", "Animation", "Crime", "Fantasy", "Mystery", "Science Fiction", "War", "History", "Family",
	"Adventure", "Music", "Sport"}

// benchStore returns a store on engine filled with a generated catalog: a
// few statements, each generating rows with a recursive query, in one
// transaction. Every row refers to others by id, which start at 1 in a new
// database. Movie n is in country 1 + n % 50, genres 1 + n % 20 and
// 1 + (n / 20) % 20, and its title contains a word of benchTitleWords.
func benchStore(b *testing.B, engine sqlstore.Engine) *sqlstore.Store {
	b.Helper()
	if testing.Short() {
		b.Skip("generating the benchmark catalog takes seconds; skipped with -short")
	}
	start := time.Now()
	s := sqltest.Open(b, engine, sqlstore.Options{})
	fillBenchCatalog(b, s)
	b.Logf("%s: generated %d movies, %d persons, %d cast rows in %v", engine, benchMovies, benchPersons, benchMovies*benchCast, time.Since(start).Round(time.Millisecond))
	return s
}

// fillBenchCatalog fills the new database of s with the benchmark catalog.
func fillBenchCatalog(tb testing.TB, s *sqlstore.Store) {
	tb.Helper()
	engine := s.Engine()
	seq := func(n int) string {
		return fmt.Sprintf("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %d) ", n)
	}
	releaseDate := "date('1950-01-01', '+' || (n * 37 % 27000) || ' days')"
	if engine == sqlstore.Postgres {
		releaseDate = "DATE '1950-01-01' + (n * 37 % 27000)"
	}
	genres := make([]string, len(benchGenreNames))
	for i, g := range benchGenreNames {
		genres[i] = fmt.Sprintf("('%s')", g)
	}
	titles := make([]string, len(benchTitleWords))
	for i, w := range benchTitleWords {
		titles[i] = fmt.Sprintf("WHEN %d THEN '%s'", i, w)
	}
	title := fmt.Sprintf("'The ' || CASE n %% %d %s END || ' ' || n", len(benchTitleWords), strings.Join(titles, " "))
	err := s.ExecForTest(context.Background(),
		"INSERT INTO countries (name) "+seq(benchCountries)+"SELECT 'Country ' || n FROM seq",
		"INSERT INTO genres (name) VALUES "+strings.Join(genres, ", "),
		// Posters 1..movies, photos after them.
		"INSERT INTO img_files (file_name, mime_type, key, url) "+seq(benchMovies+benchPersons/3)+
			"SELECT 'f' || n || '.jpg', 'image/jpeg', 'files/' || n, 'https://cdn.example/files/' || n FROM seq",
		"INSERT INTO persons (first_name, last_name, country_id) "+seq(benchPersons)+
			"SELECT 'First' || n, 'Last' || (n % 5000), 1 + n % "+fmt.Sprint(benchCountries)+" FROM seq",
		"INSERT INTO person_photo (person_id, file_id, is_primary) "+seq(benchPersons/3)+
			fmt.Sprintf("SELECT n * 3, %d + n, TRUE FROM seq", benchMovies),
		"INSERT INTO movies (title, budget, release_date, duration, director_id, country_id, poster_file_id) "+seq(benchMovies)+
			"SELECT "+title+", CASE WHEN n % 10 = 0 THEN NULL ELSE (n * 7919 % 20000000) * 10.01 END, "+releaseDate+
			", 60 + n % 140, 1 + n * 13 % "+fmt.Sprint(benchPersons)+", 1 + n % "+fmt.Sprint(benchCountries)+
			", CASE WHEN n % 5 = 0 THEN NULL ELSE n END FROM seq",
		"INSERT INTO movie_genres (movie_id, genre_id) "+seq(benchMovies)+
			fmt.Sprintf("SELECT n, 1 + n %% %[1]d FROM seq UNION SELECT n, 1 + (n / %[1]d) %% %[1]d FROM seq", benchGenres),
		"INSERT INTO characters (name, role) "+seq(benchMovies*benchCast)+
			"SELECT 'Character ' || n, CASE WHEN n % 10 < 2 THEN 'leading' WHEN n % 10 < 5 THEN 'supporting' ELSE 'background' END FROM seq",
		// Character n is in movie 1 + (n - 1) / 10; one in 17 is played by nobody known.
		"INSERT INTO movie_characters (movie_id, character_id, person_id) "+seq(benchMovies*benchCast)+
			fmt.Sprintf("SELECT 1 + (n - 1) / %d, n, CASE WHEN n %% 17 = 0 THEN NULL ELSE 1 + n * 7919 %% %d END FROM seq", benchCast, benchPersons),
		"INSERT INTO users (username, email, password) "+seq(benchUsers)+
			"SELECT 'user' || n, 'user' || n || '@example.com', 'x' FROM seq",
		"INSERT INTO favorite_movies (user_id, movie_id) "+seq(benchFavorites)+
			fmt.Sprintf("SELECT DISTINCT 1 + n %% %d, 1 + n * 31 %% %d FROM seq", benchUsers, benchMovies),
	)
	if err != nil {
		tb.Fatalf("generate catalog: %v", err)
	}
	if engine == sqlstore.Postgres {
		// As autovacuum would soon after a bulk load.
		if err := s.ExecForTest(context.Background(), "ANALYZE"); err != nil {
			tb.Fatal(err)
		}
	}
}

var benchTitleWords = []string{"Amélie", "Return", "Night", "Storm", "Garden", "River", "Empire", "Ghost", "Winter", "Code"}

// classicSearch is "movies from country 1, released since 2022-01-01,
// longer than 2h15, in genre Action or Drama, with poster and director".
var classicSearch = catalog.MovieSearch{
	CountryIDs:   []int64{1},
	ReleasedFrom: &catalog.Date{Year: 2022, Month: time.January, Day: 1},
	MinDuration:  ptr(136),
	GenreNames:   []string{"Action", "Drama"},
}

// logPlan logs the plan of one of the benchmark's statements.
func logPlan(b *testing.B, name string, plan []string, err error) {
	b.Helper()
	if err != nil {
		b.Fatalf("explain %s: %v", name, err)
	}
	b.Logf("plan of %s:\n\t%s", name, strings.Join(plan, "\n\t"))
}

func BenchmarkSearchMovies(b *testing.B) {
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			s := benchStore(b, e)
			ctx := context.Background()
			for _, bc := range []struct {
				name string
				f    catalog.MovieSearch
			}{
				{"classic", classicSearch},
				{"text", catalog.MovieSearch{Q: "amelie 1"}},
				{"text-and-filters", catalog.MovieSearch{Q: "storm", GenreNames: []string{"drama"}, MinBudget: &[]catalog.Money{100_000_00}[0],
					Sort: catalog.MovieSortBudget, Desc: true}},
				{"actor", catalog.MovieSearch{ActorIDs: []int64{7919}, Sort: catalog.MovieSortReleaseDate}},
				{"popularity", catalog.MovieSearch{CountryIDs: []int64{1, 2, 3}, Sort: catalog.MovieSortPopularity, Desc: true}},
				{"all-by-title", catalog.MovieSearch{}},
			} {
				l, err := s.SearchMovies(ctx, bc.f)
				if err != nil {
					b.Fatal(err)
				}
				plan, err := s.SearchPlanForTest(ctx, bc.f)
				logPlan(b, fmt.Sprintf("search %s (%d found)", bc.name, l.Total), plan, err)
				b.Run(bc.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, err := s.SearchMovies(ctx, bc.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			plan, err := s.PersonSearchPlanForTest(ctx, "first12 last12")
			logPlan(b, "person search", plan, err)
			b.Run("persons", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := s.SearchPersons(ctx, "first12 last12", catalog.Page{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func BenchmarkMovieDetail(b *testing.B) {
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			s := benchStore(b, e)
			ctx := context.Background()
			plans, err := s.DetailPlansForTest(ctx, 4242, 7919)
			for _, name := range []string{"movie", "movie genres", "movie cast", "person", "person photos", "person directed", "person played", "person credits"} {
				logPlan(b, name, plans[name], err)
			}
			d, err := s.MovieDetail(ctx, 4242)
			if err != nil || len(d.Cast) != benchCast {
				b.Fatalf("MovieDetail = %d cast entries, %v; want %d", len(d.Cast), err, benchCast)
			}
			b.Run("movie", func(b *testing.B) {
				b.ReportAllocs()
				id := int64(0)
				for b.Loop() {
					id = id*7919%benchMovies + 1
					if _, err := s.MovieDetail(ctx, id); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("person", func(b *testing.B) {
				b.ReportAllocs()
				id := int64(0)
				for b.Loop() {
					id = id*7919%benchPersons + 1
					if _, err := s.PersonDetail(ctx, id); err != nil {
						b.Fatal(err)
					}
				}
			})
			// The versions a cached detail is checked against, read in
			// batches as the API's batcher reads them.
			for _, n := range []int{1, 4, 16} {
				b.Run(fmt.Sprintf("versions of %d", n), func(b *testing.B) {
					b.ReportAllocs()
					ids := make([]int64, n)
					id := int64(0)
					for b.Loop() {
						for i := range ids {
							id = id*7919%benchMovies + 1
							ids[i] = id
						}
						if v, err := s.MovieDetailVersions(ctx, ids); err != nil || len(v) == 0 {
							b.Fatalf("MovieDetailVersions = %v, %v", v, err)
						}
					}
				})
			}
		})
	}
}

func BenchmarkReports(b *testing.B) {
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			s := benchStore(b, e)
			ctx := context.Background()
			plans, err := s.ReportPlansForTest(ctx)
			for _, name := range []string{"actor budgets", "actor budgets after", "recent movies", "recent movies after",
				"director budgets", "director budgets after", "user favorites", "user favorites after"} {
				logPlan(b, name, plans[name], err)
			}
			today := catalog.Date{Year: 2026, Month: time.January, Day: 1}
			for name, report := range map[string]func() error{
				"actor-budgets": func() error { _, err := s.ActorBudgets(ctx, catalog.Page{}); return err },
				"recent-movies": func() error { _, err := s.RecentMovies(ctx, 5, today, catalog.Page{}); return err },
				"director-budgets": func() error {
					_, err := s.DirectorBudgets(ctx, catalog.Page{})
					return err
				},
			} {
				b.Run(name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := report(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// TestWriteBenchCatalog fills the database named by MOVIEDB_BENCH_CATALOG
// (a new, empty one) with the benchmark catalog, for bench/load.sh to serve.
// Without the variable it skips: it is a tool, not a check.
func TestWriteBenchCatalog(t *testing.T) {
	dsn := os.Getenv("MOVIEDB_BENCH_CATALOG")
	if dsn == "" {
		t.Skip("MOVIEDB_BENCH_CATALOG is not set: nothing to generate")
	}
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	fillBenchCatalog(t, s)
}
