package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/importer"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// writeIMDb writes the four IMDb files of movies titles, each with a
// director and cast actors drawn from persons people, into dir.
func writeIMDb(t *testing.T, dir string, movies, cast, persons int) []string {
	t.Helper()
	files := map[string]*strings.Builder{}
	add := func(name, format string, args ...any) {
		if files[name] == nil {
			files[name] = &strings.Builder{}
		}
		fmt.Fprintf(files[name], format, args...)
	}
	add("name.basics.tsv", "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n")
	for p := 1; p <= persons; p++ {
		add("name.basics.tsv", "nm%07d\tFirst%d Last%d\t\\N\t\\N\tactor\t\\N\n", p, p%97, p)
	}
	add("title.basics.tsv", "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n")
	add("title.crew.tsv", "tconst\tdirectors\twriters\n")
	add("title.principals.tsv", "tconst\tordering\tnconst\tcategory\tjob\tcharacters\n")
	for m := 1; m <= movies; m++ {
		add("title.basics.tsv", "tt%07d\tmovie\tTitle %d\tTitle %d\t0\t%d\t\\N\t90\tDrama,Comedy\n", m, m, m, 1950+m%70)
		add("title.crew.tsv", "tt%07d\tnm%07d\t\\N\n", m, 1+m%persons)
		for c := 1; c <= cast; c++ {
			add("title.principals.tsv", "tt%07d\t%d\tnm%07d\tactor\t\\N\t[\"Part %d\"]\n", m, c, 1+(m*7+c*13)%persons, c)
		}
	}
	var paths []string
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestImportRefreshesStatistics imports IMDb files through the importer
// and checks, with no ANALYZE run by hand, that the planner has
// statistics of the imported tables and plans the movie detail's cast
// query through the indexes: without statistics PostgreSQL guessed a
// movie's cast at thousands of rows and read characters and persons
// whole.
func TestImportRefreshesStatistics(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		files := writeIMDb(t, t.TempDir(), 800, 5, 1600)
		if _, err := importer.Import(ctx, s, "imdb", files, importer.Options{}); err != nil {
			t.Fatal(err)
		}
		wantIndexedCast(t, s)
	})
}

// TestRestoreRefreshesStatistics restores an export into an empty
// catalog and checks the same as TestImportRefreshesStatistics.
func TestRestoreRefreshesStatistics(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, src *sqlstore.Store) {
		ctx := context.Background()
		files := writeIMDb(t, t.TempDir(), 800, 5, 1600)
		if _, err := importer.Import(ctx, src, "imdb", files, importer.Options{}); err != nil {
			t.Fatal(err)
		}
		export := filepath.Join(t.TempDir(), "export.json")
		f, err := os.Create(export)
		if err != nil {
			t.Fatal(err)
		}
		if err := src.Export(ctx, f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		dst := sqltest.Open(t, src.Engine(), sqlstore.Options{})
		if _, err := importer.Import(ctx, dst, "moviedb-json", []string{export}, importer.Options{}); err != nil {
			t.Fatal(err)
		}
		wantIndexedCast(t, dst)
	})
}

// wantIndexedCast fails t unless s has statistics of the imported tables
// and plans the movie detail's cast query through their indexes.
func wantIndexedCast(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	ctx := context.Background()
	analyzed, err := s.AnalyzedTablesForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"movies", "persons", "characters", "movie_characters", "movie_genres", "import_person_sources"} {
		if !analyzed[table] {
			t.Errorf("no statistics of %s after the import; have %v", table, analyzed)
		}
	}
	wantNoValueSamples(t, s)
	plan, err := s.PlanForTest(ctx, sqlstore.MovieCastSQL, int64(400))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	// The imported tables are reached by their keys, none read whole
	// (the empty photo tables may be).
	for _, line := range plan {
		var table string // by its alias in the query
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "SCAN" {
			table = f[1] // SQLite: "SCAN alias"
		} else if _, after, ok := strings.Cut(line, "Seq Scan on "); ok {
			if f := strings.Fields(after); len(f) >= 2 {
				table = f[1] // PostgreSQL: "Seq Scan on table alias  (cost…)"
			}
		}
		if slices.Contains([]string{"mc", "ch", "p"}, table) {
			t.Errorf("the cast query reads %s whole:\n%s", table, text)
		}
	}
	want := []string{"movie_characters_pkey", "characters_pkey"}
	if s.Engine() == sqlstore.SQLite {
		want = []string{"SEARCH mc USING", "(movie_id=?)", "SEARCH ch USING INTEGER PRIMARY KEY"}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the cast query's plan does not use %q:\n%s", w, text)
		}
	}
}

// wantNoValueSamples fails t if SQLite keeps value samples in its
// statistics, which would make it prepare searches again on every call.
func wantNoValueSamples(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	if s.Engine() != sqlstore.SQLite {
		return
	}
	n, err := s.ValueSamplesForTest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("sqlite_stat4 holds %d samples after the statistics were refreshed; want none", n)
	}
}

// TestOpenDropsValueSamples checks that a SQLite database analyzed by
// hand (or by an older moviedb) loses its value samples when a store
// opens it.
func TestOpenDropsValueSamples(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := sqltest.DSN(t, sqlstore.SQLite)
	s := sqltest.OpenDSN(t, dsn)
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		fixtureMovie(t, s, fmt.Sprintf("Sampled %d", i))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// ANALYZE by hand, on a plain connection.
	db, err := sql.Open("sqlite", strings.TrimPrefix(dsn, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	var samples int
	if _, err := db.Exec("ANALYZE"); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM sqlite_stat4").Scan(&samples); err != nil || samples == 0 {
		t.Fatalf("a hand ANALYZE left %d samples (%v); the test needs some", samples, err)
	}
	db.Close()
	wantNoValueSamples(t, sqltest.OpenDSN(t, dsn))
}

// TestStoreOptimize checks that the statistics upkeep of a running store
// works on a catalog with data: Optimize, RefreshStatistics, and Close,
// which optimizes on SQLite.
func TestStoreOptimize(t *testing.T) {
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, err := sqlstore.Open(ctx, sqltest.DSN(t, e), sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			fixtureMovie(t, s, "Optimized")
			if err := s.Optimize(ctx); err != nil {
				t.Fatal(err)
			}
			wantNoValueSamples(t, s)
			if err := s.RefreshStatistics(ctx); err != nil {
				t.Fatal(err)
			}
			wantNoValueSamples(t, s)
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
		})
	}
}
