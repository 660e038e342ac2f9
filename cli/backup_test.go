package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestBackupWhileServing backs up the database of a running serve while
// an admin creates movies through the API, then once more when it is
// idle: each copy is sound, holds every movie acknowledged before the
// backup began with its genre, and the idle one equals the source row for
// row. The copy then serves as it is, with no migration to apply.
func TestBackupWhileServing(t *testing.T) {
	const password = "correct horse battery staple"
	dsn := sqltest.DSN(t, sqlstore.SQLite)
	if code, out, errOut := runCLI(t, "import", "wikipedia", "../importer/testdata/wikipedia-sample.json", "--db", dsn); code != 0 {
		t.Fatalf("moviedb import = %d\n%s\n%s", code, out, errOut)
	}
	genre := count(t, openSQL(t, dsn), "SELECT min(id) FROM genres")
	p := startServe(t, dsn, map[string]string{envAdminEmail: "boss@example.com", envAdminPassword: password})
	addr := p.waitListening(t)
	token, _ := login(t, addr, "boss@example.com", password)

	var (
		acknowledged, begun atomic.Int64
		progress            = make(chan struct{}, 1)
		stop                = make(chan struct{})
		writerErr           error
		wg                  sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(progress)
		client := &http.Client{Timeout: 30 * time.Second}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			body, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("Load %d", i), "genre_ids": []int{genre}})
			req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/v1/movies", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			begun.Add(1)
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			if err != nil {
				writerErr = fmt.Errorf("POST movie %d: %w", i, err)
				return
			}
			acknowledged.Add(1)
			select {
			case progress <- struct{}{}:
			default:
			}
		}
	}()
	stopWriter := func() {
		select {
		case <-stop:
		default:
			close(stop)
		}
		wg.Wait()
	}
	t.Cleanup(stopWriter)

	dir := t.TempDir()
	for round := range 3 {
		for acknowledged.Load() < int64(10*(round+1)) {
			if _, ok := <-progress; !ok {
				t.Fatalf("writer: %v", writerErr)
			}
		}
		low := acknowledged.Load()
		file := filepath.Join(dir, fmt.Sprintf("under-load-%d.db", round))
		code, out, errOut := runCLI(t, "backup", file, "--db", dsn)
		high := begun.Load()
		if code != 0 || !strings.HasPrefix(out, "backed up ") || !strings.Contains(out, file) || errOut != "" {
			t.Fatalf("moviedb backup under load = %d %q %q; want 0 and \"backed up … to %s\"", code, out, errOut, file)
		}
		db := openSQL(t, "sqlite:"+file)
		checkForeignKeys(t, db, sqlstore.SQLite)
		n := int64(count(t, db, "SELECT count(*) FROM movies WHERE title LIKE 'Load %'"))
		if n < low || n > high {
			t.Errorf("round %d: the copy has %d of the API's movies; want from %d (acknowledged before the backup) to %d (sent by its end)",
				round, n, low, high)
		}
		if bare := count(t, db, `SELECT count(*) FROM movies m WHERE title LIKE 'Load %'
			AND NOT EXISTS (SELECT 1 FROM movie_genres g WHERE g.movie_id = m.id)`); bare != 0 {
			t.Errorf("round %d: %d movies of the copy lack the genre created with them", round, bare)
		}
		t.Logf("round %d: %d movies copied; %d acknowledged before, %d sent after", round, n, low, high)
	}
	stopWriter()
	if writerErr != nil {
		t.Fatalf("writer: %v", writerErr)
	}

	// Idle, and configured by MOVIEDB_DB as the other commands can be.
	file := filepath.Join(dir, "idle.db")
	clearEnv(t)
	t.Setenv(optDB.env, dsn)
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), []string{"backup", file}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("MOVIEDB_DB=%s moviedb backup %s = %d %q %q; want 0", dsn, file, code, out.String(), errOut.String())
	}
	source, backup := openSQL(t, dsn), openSQL(t, "sqlite:"+file)
	for _, table := range []string{"schema_migrations", "movies", "genres", "movie_genres", "persons", "characters",
		"movie_characters", "countries", "img_files", "users", "auth_tokens", "movie_stats"} {
		if want, got := tableRows(t, source, table), tableRows(t, backup, table); !slices.Equal(got, want) {
			t.Errorf("table %s of the backup differs from the source's:\n got %d rows %.500q\nwant %d rows %.500q",
				table, len(got), got, len(want), want)
		}
	}
	if code := p.stop(t); code != 0 {
		t.Errorf("serve exited %d; want 0\n%s", code, p.logs.String())
	}

	// The copy serves as it is.
	restored := startServe(t, "sqlite:"+file, nil)
	addr = restored.waitListening(t)
	if recs := restored.records("applied migration"); len(recs) != 0 {
		t.Errorf("serve on the backup applied migrations %v; want none", recs)
	}
	restoredToken, _ := login(t, addr, "boss@example.com", password)
	if code := getWithToken(t, "http://"+addr+"/api/v1/me", restoredToken); code != http.StatusOK {
		t.Errorf("GET /api/v1/me on the restored copy = %d; want 200", code)
	}
	if code := getWithToken(t, "http://"+addr+"/api/v1/me", token); code != http.StatusOK {
		t.Errorf("GET /api/v1/me on the restored copy with a token of the source = %d; want 200 (tokens are data too)", code)
	}
	last := count(t, backup, "SELECT max(id) FROM movies")
	resp, err := http.Get(fmt.Sprintf("http://%s/api/v1/movies/%d", addr, last))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET movie %d on the restored copy = %d; want 200", last, resp.StatusCode)
	}
}

// tableRows returns every row of table, in rowid order, as text.
func tableRows(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	// table is one of the test's own names.
	rows, err := db.Query("SELECT * FROM " + table + " ORDER BY rowid")
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		all = append(all, fmt.Sprint(vals...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return all
}

// TestBackupErrors checks what backup refuses: it never writes over a
// file, never backs up a database that is not there (opening it would
// create an empty one), and sends PostgreSQL to pg_dump without
// connecting or showing the password.
func TestBackupErrors(t *testing.T) {
	dsn := sqltest.DSN(t, sqlstore.SQLite)
	if code, _, errOut := runCLI(t, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatalf("migrate up = %d %q", code, errOut)
	}
	dir := t.TempDir()
	precious := filepath.Join(dir, "precious.db")
	if err := os.WriteFile(precious, []byte("not to be lost"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nothing-here", "moviedb.db")
	for _, tc := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"backup", precious, "--db", dsn}, 1, []string{precious, "exists already", "never overwrites"}},
		{[]string{"backup", "--db", dsn, empty}, 1, []string{empty, "exists already"}},
		{[]string{"backup", filepath.Join(dir, "copy.db"), "--db", "sqlite:" + missing}, 1, []string{"no database at " + missing}},
		{[]string{"backup", "--db", dsn}, 2, []string{"want one FILE"}},
		{[]string{"backup", "a.db", "b.db", "--db", dsn}, 2, []string{"want one FILE"}},
		{[]string{"backup", "-", "--db", dsn}, 2, []string{"stdout"}},
		{[]string{"backup", filepath.Join(dir, "copy.db"), "--db", "postgres://nobody:hunter2@127.0.0.1:1/x?sslmode=disable&password=hunter2"}, 2,
			[]string{"PostgreSQL", "pg_dump --format=custom --file=" + filepath.Join(dir, "copy.db") + " 'postgres://nobody@127.0.0.1:1/x?sslmode=disable'",
				"pg_restore"}},
		{[]string{"backup", "--bogus", "x.db"}, 2, []string{"-bogus"}},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != tc.code || out != "" {
			t.Errorf("moviedb %q = %d, stdout %q; want %d and nothing", tc.args, code, out, tc.code)
		}
		checkOneLine(t, errOut, tc.want...)
		if strings.Contains(errOut, "hunter2") {
			t.Errorf("moviedb %q shows the password: %q", tc.args, errOut)
		}
	}
	for file, want := range map[string]string{precious: "not to be lost", empty: ""} {
		if got, err := os.ReadFile(file); err != nil || string(got) != want {
			t.Errorf("after the refused backup, %s holds %q, %v; want %q", file, got, err, want)
		}
	}
	for _, name := range []string{filepath.Dir(missing), filepath.Join(dir, "copy.db")} {
		if _, err := os.Stat(name); !os.IsNotExist(err) {
			t.Errorf("after the refused backups, %s exists (%v); want nothing created", name, err)
		}
	}
}

// TestBackupPostgres runs backup on a live PostgreSQL database: it points
// to pg_dump, naming that database, and writes nothing.
func TestBackupPostgres(t *testing.T) {
	dsn := sqltest.DSN(t, sqlstore.Postgres)
	if code, _, errOut := runCLI(t, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatalf("migrate up = %d %q", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "backup.dump")
	code, out, errOut := runCLI(t, "backup", file, "--db", dsn)
	if code != 2 || out != "" {
		t.Errorf("moviedb backup on PostgreSQL = %d, stdout %q; want 2 and nothing", code, out)
	}
	checkOneLine(t, errOut, "pg_dump --format=custom --file="+file+" 'postgres://", "127.0.0.1", "pg_restore")
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("after backup on PostgreSQL, %s exists (%v); want nothing written", file, err)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"backup.dump":             "backup.dump",
		"/srv/moviedb/b-1.dump":   "/srv/moviedb/b-1.dump",
		"my backup.dump":          "'my backup.dump'",
		"it's.dump":               `'it'\''s.dump'`,
		"postgres://u@h/db?a=b&c": "'postgres://u@h/db?a=b&c'",
		"":                        "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s; want %s", in, got, want)
		}
	}
}
