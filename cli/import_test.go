package cli

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
	"github.com/moviedb/moviedb/web/webtest"
)

const wikipediaFile = "/work/shared/datasets/wikipedia-movies.json.gz"

// TestImportKilled kills `moviedb import` with SIGKILL after its first
// batch, checks that the database holds only whole movies, and that
// running the import again completes it to the same catalog as an import
// that was never interrupted. It also stops one with SIGINT.
func TestImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports the whole Wikipedia data set; skipped with -short")
	}
	if _, err := os.Stat(wikipediaFile); err != nil {
		t.Skipf("%s not found: %v", wikipediaFile, err)
	}
	bin := buildBinary(t)
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			clean := sqltest.DSN(t, e)
			if code, out, errOut := runBinaryLimit(t, 5*time.Minute, bin, "", "import", "wikipedia", wikipediaFile, "--db", clean); code != 0 {
				t.Fatalf("moviedb import = %d\n%s\n%s", code, out, errOut)
			}

			killed := sqltest.DSN(t, e)
			p := start(t, bin, "import", "wikipedia", wikipediaFile, "--db", killed, "--batch-size", "100")
			p.waitLine(t, "importing wikipedia-movies.json.gz: ")
			if err := p.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			p.wait(t)
			db := openSQL(t, killed)
			movies := count(t, db, "SELECT count(*) FROM movies")
			if movies == 0 || movies >= count(t, openSQL(t, clean), "SELECT count(*) FROM movies") {
				t.Fatalf("after SIGKILL the database has %d movies; want some, not all", movies)
			}
			// Every movie there is whole: the same genres and cast as in the
			// uninterrupted import.
			want := movieShapes(t, openSQL(t, clean))
			for ext, shape := range movieShapes(t, db) {
				if want[ext] != shape {
					t.Errorf("after SIGKILL movie %s has %s; want %s", ext, shape, want[ext])
				}
			}
			checkForeignKeys(t, db, e)

			code, out, errOut := runBinaryLimit(t, 5*time.Minute, bin, "", "import", "wikipedia", wikipediaFile, "--db", killed)
			if code != 0 {
				t.Fatalf("rerun = %d\n%s\n%s", code, out, errOut)
			}
			if got, want := catalogDigest(t, db), catalogDigest(t, openSQL(t, clean)); !slices.Equal(got, want) {
				t.Errorf("after the rerun the catalog differs from an uninterrupted import:\n got %v\nwant %v", got, want)
			}

			// SIGINT stops between batches and says how to finish.
			stopped := sqltest.DSN(t, e)
			p = start(t, bin, "import", "wikipedia", wikipediaFile, "--db", stopped, "--batch-size", "100")
			p.waitLine(t, "importing wikipedia-movies.json.gz: ")
			p.cmd.Process.Signal(syscall.SIGINT)
			if code := p.wait(t); code != 1 || !strings.Contains(p.output(), "interrupted; what was imported is kept") {
				t.Errorf("import after SIGINT exited %d:\n%s; want 1 and how to finish", code, p.output())
			}
		})
	}
}

// waitLine waits up to 30 seconds for a line starting with prefix.
func (p *process) waitLine(t *testing.T, prefix string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		for _, l := range strings.Split(p.output(), "\n") {
			if strings.HasPrefix(l, prefix) {
				return
			}
		}
		select {
		case <-p.changed:
		case <-p.exited:
			t.Fatalf("moviedb exited before printing %q:\n%s", prefix, p.output())
		case <-deadline:
			t.Fatalf("moviedb did not print %q within 30s:\n%s", prefix, p.output())
		}
	}
}

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

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// movieShapes returns, by source id, each movie's title, genre count and
// cast.
func movieShapes(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT s.external_id, m.title,
		(SELECT count(*) FROM movie_genres g WHERE g.movie_id = m.id),
		(SELECT count(*) FROM movie_characters c WHERE c.movie_id = m.id),
		coalesce((SELECT max(p.last_name) FROM movie_characters c JOIN persons p ON p.id = c.person_id WHERE c.movie_id = m.id), '')
		FROM movies m LEFT JOIN import_sources s ON s.movie_id = m.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	shapes := map[string]string{}
	for rows.Next() {
		var ext sql.NullString
		var title, last string
		var genres, cast int
		if err := rows.Scan(&ext, &title, &genres, &cast, &last); err != nil {
			t.Fatal(err)
		}
		if !ext.Valid {
			t.Errorf("movie %q has no import source row", title)
		}
		shapes[ext.String] = fmt.Sprintf("%s: %d genres, %d cast, last %q", title, genres, cast, last)
	}
	return shapes
}

// catalogDigest sums up a catalog by content, not ids.
func catalogDigest(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var d []string
	for _, q := range []string{
		"SELECT count(*) FROM movies", "SELECT count(*) FROM persons", "SELECT count(*) FROM characters",
		"SELECT count(*) FROM genres", "SELECT count(*) FROM countries", "SELECT count(*) FROM img_files",
		"SELECT count(*) FROM movie_genres", "SELECT count(*) FROM movie_characters",
		"SELECT count(DISTINCT first_name || '/' || last_name) FROM persons",
	} {
		d = append(d, fmt.Sprintf("%s = %d", q, count(t, db, q)))
	}
	shapes := movieShapes(t, db)
	keys := make([]string, 0, len(shapes))
	for k, v := range shapes {
		keys = append(keys, k+" "+v)
	}
	slices.Sort(keys)
	return append(d, keys...)
}

// checkForeignKeys checks every reference of the catalog resolves.
func checkForeignKeys(t *testing.T, db *sql.DB, e sqlstore.Engine) {
	t.Helper()
	if e == sqlstore.SQLite {
		if n := count(t, db, "SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
			t.Errorf("foreign_key_check finds %d broken references", n)
		}
		var ok string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Errorf("integrity_check = %q, %v", ok, err)
		}
		return
	}
	// PostgreSQL enforces its foreign keys at every statement; check the
	// one rule they do not: no character without its cast row.
	if n := count(t, db, "SELECT count(*) FROM characters c WHERE NOT EXISTS (SELECT 1 FROM movie_characters mc WHERE mc.character_id = c.id)"); n != 0 {
		t.Errorf("%d characters are in no movie", n)
	}
}

// TestImportExportCommands runs import and export in process: command line
// mistakes are usage errors naming the fault, and an export imports back.
func TestImportExportCommands(t *testing.T) {
	dsn := sqltest.DSN(t, sqlstore.SQLite)
	sample := "../importer/testdata/wikipedia-sample.json"
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import"}, 2, "want a FORMAT"},
		{[]string{"import", "vega", sample}, 2, `unknown format "vega"`},
		{[]string{"import", "wikipedia", "/nonexistent.json", "--db", dsn}, 1, "no such file"},
		{[]string{"import", "wikipedia", sample, "--batch-size", "0", "--db", dsn}, 2, "--batch-size"},
		{[]string{"import", "imdb-top-1000", sample, "--db", dsn}, 1, "no Poster_Link column"},
		{[]string{"export", "out.json", "--db", dsn}, 2, "--format json"},
		{[]string{"export", "--format", "csv", "out.json", "--db", dsn}, 2, "--format json"},
		{[]string{"export", "--format", "json", "--db", dsn}, 2, "want one FILE"},
	} {
		code, _, errOut := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("moviedb %q = %d %q; want %d and one line with %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}

	code, out, errOut := runCLI(t, "import", "wikipedia", sample, "--db", dsn)
	if code != 0 || !strings.Contains(out, "15 new movies") || !strings.Contains(out, "title must be at most 300 characters") {
		t.Fatalf("moviedb import = %d\n%s\n%s", code, out, errOut)
	}
	file := t.TempDir() + "/catalog.json.gz"
	if code, _, errOut := runCLI(t, "export", "--format", "json", file, "--db", dsn); code != 0 {
		t.Fatalf("moviedb export = %d %s", code, errOut)
	}
	copyDSN := sqltest.DSN(t, sqlstore.SQLite)
	code, out, errOut = runCLI(t, "import", "moviedb-json", file, "--db", copyDSN)
	if code != 0 || !strings.Contains(out, "15 new movies") {
		t.Fatalf("moviedb import moviedb-json = %d\n%s\n%s", code, out, errOut)
	}
	if a, b := catalogDigest(t, openSQL(t, dsn)), catalogDigest(t, openSQL(t, copyDSN)); !slices.Equal(a, b) {
		t.Errorf("the restored copy differs:\n got %v\nwant %v", b, a)
	}
}

// TestServeDemo starts `moviedb serve --demo` on an empty database and
// finds the demo catalog and its credits over HTTP.
func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the moviedb binary; skipped with -short")
	}
	bin := buildBinary(t)
	dsn := sqltest.DSN(t, sqlstore.SQLite)
	p := start(t, bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", dsn, "--log-format", "json")
	if rec := p.waitLog(t, "loaded demo catalog"); rec["movies"] != float64(300) {
		t.Errorf("loaded demo catalog log = %v; want 300 movies", rec)
	}
	addr, _ := p.waitLog(t, "listening")["addr"].(string)
	for path, want := range map[string]string{
		"/api/v1/movies?q=matrix": `"title":"The Matrix"`,
		"/about":                  "wikipedia-movie-data",
	} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d %.300s; want 200 with %q", path, resp.StatusCode, body, want)
		}
	}
	// Every page of the demo catalog renders, with no broken internal link
	// or image: the web pages crawled from home, two links deep.
	n := webtest.Crawl(t, "http://"+addr, webtest.CrawlOptions{})
	if n < 50 {
		t.Errorf("crawl of the demo site fetched %d URLs; want the home page's movies and their people", n)
	}
	t.Logf("crawled %d URLs of the demo site", n)
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait(t)

	// A second start finds a catalog and leaves it alone.
	p = start(t, bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", dsn, "--log-format", "json")
	p.waitLog(t, "demo catalog not loaded: the catalog is not empty")
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait(t)
}
