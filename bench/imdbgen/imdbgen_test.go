package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/importer"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

var fileNames = []string{"title.basics.tsv.gz", "title.crew.tsv.gz", "title.principals.tsv.gz", "name.basics.tsv.gz"}

func generate(t *testing.T, movies int, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Generate(dir, Config{Movies: movies, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSameFlagsSameBytes(t *testing.T) {
	t.Parallel()
	a, b, other := generate(t, 2000, 7), generate(t, 2000, 7), generate(t, 2000, 8)
	for _, name := range append(fileNames, "DONE") {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same flags", name)
		}
		z, err := os.ReadFile(filepath.Join(other, name))
		if err != nil {
			t.Fatal(err)
		}
		if name != "DONE" && bytes.Equal(x, z) {
			t.Errorf("%s is the same for seeds 7 and 8", name)
		}
	}
}

// basicsRows reads title.basics: the tconsts the importer must keep
// (movies, not adult) and those it must skip.
func basicsRows(t *testing.T, dir string) (keep, skip map[string]bool, kinds map[string]int) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "title.basics.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	keep, skip, kinds = map[string]bool{}, map[string]bool{}, map[string]int{}
	sc := bufio.NewScanner(z)
	sc.Scan() // header
	for sc.Scan() {
		row := strings.Split(sc.Text(), "\t")
		if len(row) != 9 {
			t.Fatalf("title.basics row with %d fields: %q", len(row), sc.Text())
		}
		kind := row[1]
		if row[4] == "1" {
			kind = "adult"
		}
		kinds[kind]++
		if kind == "movie" {
			keep[row[0]] = true
		} else {
			skip[row[0]] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return keep, skip, kinds
}

// TestImportedShape imports a generated catalog through the real importer
// and checks what IMDb's shape must give: only movies, a third of them
// dramas, a power-law of credits, directors, some runtimes missing.
func TestImportedShape(t *testing.T) {
	t.Parallel()
	const movies = 3000
	dir := generate(t, movies, 1)
	keep, skip, kinds := basicsRows(t, dir)
	if len(keep) != movies {
		t.Fatalf("title.basics has %d importable movies, want %d", len(keep), movies)
	}
	for _, k := range []string{"adult", "short", "tvEpisode", "tvSeries"} {
		if kinds[k] == 0 {
			t.Errorf("no %s rows for the importer to skip: %v", k, kinds)
		}
	}
	var files []string
	for _, n := range fileNames {
		files = append(files, filepath.Join(dir, n))
	}
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			dsn := sqltest.DSN(t, e)
			ctx := context.Background()
			s := sqltest.OpenDSN(t, dsn)
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			sum, err := importer.Import(ctx, s, "imdb", files, importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if sum.SkippedRecords != 0 {
				t.Errorf("the importer skipped %d records, first %v", sum.SkippedRecords, sum.Skips)
			}
			checkShape(t, openSQL(t, dsn), keep, skip)
		})
	}
}

// openSQL opens a plain connection to the test database, to read rows back
// independently of the store.
func openSQL(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver, name := "pgx", dsn
	if strings.HasPrefix(dsn, "sqlite:") {
		driver, name = "sqlite", strings.TrimPrefix(dsn, "sqlite:")
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func checkShape(t *testing.T, db *sql.DB, keep, skip map[string]bool) {
	t.Helper()
	count := func(query string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	movies := len(keep)
	rows, err := db.Query("SELECT external_id FROM import_sources WHERE source = 'imdb'")
	if err != nil {
		t.Fatal(err)
	}
	imported := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		imported++
		if skip[id] {
			t.Errorf("%s, not a movie or adult, was imported", id)
		} else if !keep[id] {
			t.Errorf("%s imported but not in title.basics", id)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if imported != movies || count("SELECT count(*) FROM movies") != movies {
		t.Errorf("%d movies imported, want %d", imported, movies)
	}

	share := func(what string, n, lo, hi float64) {
		t.Helper()
		if s := n / float64(movies); s < lo || s > hi {
			t.Errorf("%s: %.3f of the movies, want %.2f–%.2f", what, s, lo, hi)
		}
	}
	share("Drama", float64(count("SELECT count(*) FROM movie_genres mg JOIN genres g ON g.id = mg.genre_id WHERE g.name = 'Drama'")), 0.25, 0.42)
	share("Comedy", float64(count("SELECT count(*) FROM movie_genres mg JOIN genres g ON g.id = mg.genre_id WHERE g.name = 'Comedy'")), 0.10, 0.25)
	share("no runtime", float64(count("SELECT count(*) FROM movies WHERE duration IS NULL")), 0.15, 0.25)
	share("no year", float64(count("SELECT count(*) FROM movies WHERE release_date IS NULL")), 0.01, 0.06)
	share("a director", float64(count("SELECT count(*) FROM movies WHERE director_id IS NOT NULL")), 0.90, 0.99)
	share("cast rows per movie", float64(count("SELECT count(*) FROM movie_characters")), 4, 8)
	if n := count("SELECT count(*) FROM genres WHERE name = 'Adult'"); n != 0 {
		t.Errorf("an Adult genre was imported: adult titles must be skipped")
	}
	// Writers and producers are not cast: only people who act or direct
	// become persons.
	if n := count(`SELECT count(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM movie_characters mc WHERE mc.person_id = p.id)
		AND NOT EXISTS (SELECT 1 FROM movies m WHERE m.director_id = p.id)`); n != 0 {
		t.Errorf("%d persons neither act nor direct", n)
	}
	if n := count("SELECT count(*) FROM persons"); n < 2*movies || n > 3*movies {
		t.Errorf("%d persons for %d movies, want 2–3 a movie", n, movies)
	}

	// Power law: the busiest actor in many movies, the median in one or two.
	rows, err = db.Query("SELECT count(DISTINCT movie_id) FROM movie_characters WHERE person_id IS NOT NULL GROUP BY person_id")
	if err != nil {
		t.Fatal(err)
	}
	var credits []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		credits = append(credits, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	sort.Ints(credits)
	if len(credits) == 0 {
		t.Fatal("no cast")
	}
	if busiest, median := credits[len(credits)-1], credits[len(credits)/2]; busiest < 50 || median < 1 || median > 2 {
		t.Errorf("movies per actor: busiest %d, median %d; want ≥ 50 and 1–2", busiest, median)
	}
}
