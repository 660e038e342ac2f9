package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// runCLI runs the command line args with no MOVIEDB_* configuration in the
// environment and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIInput(t, "", args...)
}

// runCLIInput is runCLI with stdin reading input.
func runCLIInput(t *testing.T, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	clearEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	code = Run(ctx, args, strings.NewReader(input), &out, &errOut)
	return code, out.String(), errOut.String()
}

// clearEnv empties every MOVIEDB_* variable moviedb reads, for the test.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, o := range allOptions {
		t.Setenv(o.env, "")
	}
	for _, k := range []string{envAdminEmail, envAdminPassword, envAdminUsername} {
		t.Setenv(k, "")
	}
}

// checkOneLine checks that stderr is the one line of an error, with no stack
// trace, holding every string of want.
func checkOneLine(t *testing.T, stderr string, want ...string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "moviedb: ") {
		t.Errorf("stderr = %q; want one line starting with \"moviedb: \"", stderr)
	}
	for _, s := range []string{"goroutine", "panic", ".go:"} {
		if strings.Contains(stderr, s) {
			t.Errorf("stderr = %q; holds %q, like a stack trace", stderr, s)
		}
	}
	for _, s := range want {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr = %q; want it to contain %q", stderr, s)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, "version")
	if code != 0 || errOut != "" {
		t.Fatalf("version = %d, stderr %q; want 0 and nothing", code, errOut)
	}
	if !regexp.MustCompile(`^moviedb \S+ \(.+\)\n$`).MatchString(out) {
		t.Errorf("version printed %q; want \"moviedb VERSION (COMMIT)\"", out)
	}
	old := Version
	Version = "v1.2.3"
	t.Cleanup(func() { Version = old })
	if _, out, _ := runCLI(t, "version"); !strings.HasPrefix(out, "moviedb v1.2.3 (") {
		t.Errorf("with Version set, version printed %q; want it to start with \"moviedb v1.2.3 (\"", out)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 || errOut != "" {
			t.Errorf("%q = %d, stderr %q; want 0 and nothing", args, code, errOut)
		}
		for _, want := range []string{"serve", "migrate up", "migrate status", "users create", "users set-role",
			"users set-password USERNAME", "backup FILE", "version"} {
			if !strings.Contains(out, "moviedb "+want) {
				t.Errorf("%q does not list command %q:\n%s", args, want, out)
			}
		}
		for _, o := range allOptions {
			if !strings.Contains(out, "--"+o.name+"\n") || !strings.Contains(out, "env "+o.env+", default ") {
				t.Errorf("%q does not list --%s with %s:\n%s", args, o.name, o.env, out)
			}
		}
		if !strings.Contains(out, envAdminEmail) || !strings.Contains(out, envAdminPassword) {
			t.Errorf("%q does not explain the first-start admin:\n%s", args, out)
		}
	}
}

func TestCommandHelp(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		want     []string
		unwanted []string
	}{
		{[]string{"serve", "--help"}, []string{"moviedb serve [flags]", "--addr", "MOVIEDB_ADDR", "default 127.0.0.1:8080",
			"--db", "MOVIEDB_DB", "default sqlite:./data/moviedb.db", "--base-url", "MOVIEDB_BASE_URL", "default http://ADDR",
			"--log-level", "MOVIEDB_LOG_LEVEL", "default info", "--log-format", "MOVIEDB_LOG_FORMAT", "default text",
			"--shutdown-timeout", "MOVIEDB_SHUTDOWN_TIMEOUT", "default 15s", "--token-ttl", "MOVIEDB_TOKEN_TTL", "default 720h",
			"MOVIEDB_ADMIN_EMAIL", "MOVIEDB_ADMIN_PASSWORD", "MOVIEDB_ADMIN_USERNAME"}, []string{"--admin", "--password"}},
		{[]string{"serve", "-h"}, []string{"--addr"}, nil},
		{[]string{"help", "serve"}, []string{"--shutdown-timeout"}, nil},
		{[]string{"migrate", "up", "--help"}, []string{"moviedb migrate up", "--db", "MOVIEDB_DB"}, []string{"--addr"}},
		{[]string{"migrate", "status", "-h"}, []string{"moviedb migrate status", "--db"}, []string{"--addr"}},
		{[]string{"migrate", "--help"}, []string{"migrate up", "migrate status"}, nil},
		{[]string{"version", "--help"}, []string{"moviedb version"}, []string{"--db"}},
		{[]string{"users", "--help"}, []string{"moviedb users create [--admin] --username NAME --email EMAIL",
			"moviedb users set-role --username NAME --role admin|user", "--admin\n", "--username NAME\n", "--email EMAIL\n",
			"--first-name NAME\n", "--last-name NAME\n", "--role admin|user\n", "--db\n", "MOVIEDB_DB"}, []string{"--addr", "--password"}},
		{[]string{"help", "users"}, []string{"users create", "users set-role"}, nil},
		{[]string{"users", "create", "--help"}, []string{"moviedb users create", "--admin\n", "--username NAME\n",
			"--email EMAIL\n", "--first-name NAME\n", "--last-name NAME\n", "--db\n", "stdin", "without echo"}, []string{"--role", "--addr", "--password"}},
		{[]string{"users", "create", "-h"}, []string{"--admin"}, nil},
		{[]string{"help", "users", "create"}, []string{"--admin"}, nil},
		{[]string{"users", "set-role", "--help"}, []string{"moviedb users set-role", "--username NAME\n", "--role admin|user\n", "--db\n"},
			[]string{"--admin", "--email"}},
		{[]string{"help", "users", "set-role"}, []string{"--role"}, nil},
		{[]string{"users", "set-password", "--help"}, []string{"moviedb users set-password USERNAME", "stdin", "revoked", "--db\n"},
			[]string{"--role", "--password", "--username"}},
		{[]string{"help", "users", "set-password"}, []string{"moviedb users set-password USERNAME"}, nil},
		{[]string{"help", "users"}, []string{"users set-password"}, nil},
		{[]string{"backup", "--help"}, []string{"moviedb backup FILE", "VACUUM INTO", "never overwrites", "-wal", "pg_dump", "--db\n", "MOVIEDB_DB"},
			[]string{"--addr"}},
		{[]string{"help", "backup"}, []string{"moviedb backup FILE"}, nil},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != 0 || errOut != "" {
			t.Errorf("%q = %d, stderr %q; want 0 and nothing", tc.args, code, errOut)
		}
		for _, s := range tc.want {
			if !strings.Contains(out, s) {
				t.Errorf("%q output does not contain %q:\n%s", tc.args, s, out)
			}
		}
		for _, s := range tc.unwanted {
			if strings.Contains(out, s) {
				t.Errorf("%q output contains %q:\n%s", tc.args, s, out)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want []string
	}{
		{args: nil, want: []string{"no command"}},
		{args: []string{"frobnicate"}, want: []string{`unknown command "frobnicate"`}},
		{args: []string{"serve", "--bogus"}, want: []string{"-bogus", "moviedb serve --help"}},
		{args: []string{"serve", "--log-level", "loud"}, want: []string{"--log-level", "loud"}},
		{args: []string{"serve"}, env: map[string]string{"MOVIEDB_LOG_FORMAT": "yaml"}, want: []string{"MOVIEDB_LOG_FORMAT", "yaml"}},
		{args: []string{"serve", "--shutdown-timeout", "forever"}, want: []string{"--shutdown-timeout", "forever"}},
		{args: []string{"serve", "--db", "mongodb://admin:hunter2@db/x"}, want: []string{"--db", "sqlite:PATH"}},
		{args: []string{"migrate"}, want: []string{"migrate up"}},
		{args: []string{"migrate", "down"}, want: []string{`"down"`}},
		{args: []string{"migrate", "up", "--addr", ":1"}, want: []string{"-addr"}},
		{args: []string{"version", "extra"}, want: []string{`"extra"`}},
		{args: []string{"help", "nothing"}, want: []string{`"nothing"`}},
		{args: []string{"serve", "--token-ttl", "30s"}, want: []string{"--token-ttl", `"30s"`, "1m"}},
		{args: []string{"serve"}, env: map[string]string{"MOVIEDB_TOKEN_TTL": "9000h"}, want: []string{"MOVIEDB_TOKEN_TTL", "8760h"}},
		{args: []string{"users"}, want: []string{"users create", "users set-role", "users set-password"}},
		{args: []string{"users", "delete"}, want: []string{`"delete"`}},
		{args: []string{"users", "create", "--email", "ripley@example.com"}, want: []string{"--username is required"}},
		{args: []string{"users", "create", "--username", "ripley"}, want: []string{"--email is required"}},
		{args: []string{"users", "create", "--username", "ripley", "--email", "ripley@example.com", "--role", "admin"}, want: []string{"-role"}},
		{args: []string{"users", "set-role", "--username", "ripley"}, want: []string{"--role is required"}},
		{args: []string{"users", "set-role", "--role", "admin"}, want: []string{"--username is required"}},
		{args: []string{"users", "set-role", "--username", "ripley", "--role", "root"}, want: []string{"--role", `"root"`, "admin or user"}},
		{args: []string{"users", "set-role", "--username", "ripley", "--role", "admin", "--admin"}, want: []string{"-admin"}},
	} {
		name := strings.Join(tc.args, " ")
		for k, v := range tc.env {
			name = k + "=" + v + " " + name
		}
		if name == "" {
			name = "no arguments"
		}
		t.Run(name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			code := Run(context.Background(), tc.args, strings.NewReader(""), &out, &errOut)
			if code != 2 {
				t.Errorf("exit status %d; want 2", code)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q; want nothing", out.String())
			}
			checkOneLine(t, errOut.String(), tc.want...)
			if strings.Contains(errOut.String(), "hunter2") {
				t.Errorf("stderr shows the password: %q", errOut.String())
			}
		})
	}
}

// engines lists the engines the database tests run on; PostgreSQL's subtests
// skip, saying why, without MOVIEDB_TEST_POSTGRES_URL.
var engines = []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres}

func TestMigrate(t *testing.T) {
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := sqltest.DSN(t, e)
			code, out, errOut := runCLI(t, "migrate", "status", "--db", dsn)
			if want := migrationLines(t, e, "%04d %s pending"); code != 0 || out != want {
				t.Errorf("migrate status on an empty database = %d %q %q; want 0 %q", code, out, errOut, want)
			}
			code, out, errOut = runCLI(t, "migrate", "up", "--db", dsn)
			if want := migrationLines(t, e, "applied %04d_%s"); code != 0 || out != want {
				t.Errorf("first migrate up = %d %q %q; want 0 %q", code, out, errOut, want)
			}
			code, out, errOut = runCLI(t, "migrate", "up", "--db", dsn)
			if code != 0 || out != "database is up to date\n" {
				t.Errorf("second migrate up = %d %q %q; want 0 \"database is up to date\"", code, out, errOut)
			}
			code, out, errOut = runCLI(t, "migrate", "status", "--db", dsn)
			today := time.Now().UTC().Format("2006-01-02")
			want := "^" + regexp.QuoteMeta(migrationLines(t, e, "%04d %s applied TODAY"))
			want = strings.ReplaceAll(want, "TODAY", today+`T\d\d:\d\d:\d\dZ`) + "$"
			if code != 0 || !regexp.MustCompile(want).MatchString(out) {
				t.Errorf("migrate status = %d %q %q; want 0 and each migration \"applied %sT…Z\"", code, out, errOut, today)
			}
		})
	}
}

// migrationLines returns one line per migration this binary knows for
// engine, formatted with format from its version and name.
func migrationLines(t *testing.T, e sqlstore.Engine, format string) string {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, sqltest.DSN(t, e), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ms, err := s.MigrationStatus(ctx)
	if err != nil || len(ms) == 0 {
		t.Fatalf("MigrationStatus of an empty database = %v, %v; want the migrations", ms, err)
	}
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, format+"\n", m.Version, m.Name)
	}
	return b.String()
}

func TestMigrateFromEnvironment(t *testing.T) {
	dsn := sqltest.DSN(t, sqlstore.SQLite)
	clearEnv(t)
	t.Setenv("MOVIEDB_DB", dsn)
	var out, errOut bytes.Buffer
	want := migrationLines(t, sqlstore.SQLite, "applied %04d_%s")
	if code := Run(context.Background(), []string{"migrate", "up"}, nil, &out, &errOut); code != 0 || out.String() != want {
		t.Errorf("MOVIEDB_DB=%s migrate up = %d %q %q; want 0 %q", dsn, code, out.String(), errOut.String(), want)
	}
}

func TestUnknownMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	dsn := "sqlite:" + path
	if code, _, errOut := runCLI(t, "migrate", "up", "--db", dsn); code != 0 {
		t.Fatalf("migrate up = %d %q", code, errOut)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', CURRENT_TIMESTAMP)")
	db.Close()
	if err != nil {
		t.Fatalf("add a migration from a newer moviedb: %v", err)
	}

	code, _, errOut := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	if code != 1 {
		t.Errorf("serve on a newer database = %d; want 1", code)
	}
	checkOneLine(t, errOut, "refusing to serve", "does not know", "9999")

	code, _, errOut = runCLI(t, "migrate", "up", "--db", dsn)
	if code != 1 {
		t.Errorf("migrate up on a newer database = %d; want 1", code)
	}
	checkOneLine(t, errOut, "does not know", "9999")

	code, out, errOut := runCLI(t, "migrate", "status", "--db", dsn)
	if code != 1 || !strings.Contains(out, "0001 seed_schema applied") {
		t.Errorf("migrate status on a newer database = %d %q; want 1 and the known migrations", code, out)
	}
	checkOneLine(t, errOut, "does not know", "9999")
}

func TestServeUnreachableDatabase(t *testing.T) {
	for _, dsn := range []string{
		"postgres://nobody@127.0.0.1:1/x",
		"postgres://nobody:hunter2@127.0.0.1:1/x?sslmode=disable",
	} {
		code, out, errOut := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
		if code != 1 || out != "" {
			t.Errorf("serve --db %s = %d, stdout %q; want 1 and nothing", dsn, code, out)
		}
		checkOneLine(t, errOut, "postgres://nobody", "127.0.0.1:1")
		if strings.Contains(errOut, "hunter2") {
			t.Errorf("stderr shows the password: %q", errOut)
		}
	}
}

func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, errOut := runCLI(t, "serve", "--addr", ln.Addr().String(), "--db", sqltest.DSN(t, sqlstore.SQLite))
	if code != 1 {
		t.Errorf("serve on a busy port = %d; want 1", code)
	}
	checkOneLine(t, errOut, ln.Addr().String(), "address already in use")
}

// TestServeHTTPGraceful checks that shutting down lets an in-flight request
// finish, and that new connections are refused meanwhile.
func TestServeHTTPGraceful(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		w.Write([]byte("finished"))
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncBuffer{}
	served := make(chan error, 1)
	go func() { served <- serveHTTP(ctx, slog.New(slog.NewTextHandler(logs, nil)), ln, h, 10*time.Second) }()

	client := &http.Client{Timeout: 10 * time.Second}
	type result struct {
		body string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := client.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, err = b.ReadFrom(resp.Body)
		done <- result{b.String(), err}
	}()
	waitOrFail(t, started, "the request to reach the handler")
	cancel()
	waitFor(t, func() bool { return strings.Contains(logs.String(), "msg=shutdown") }, "the shutdown log line")
	waitFor(t, func() bool {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err == nil {
			conn.Close()
		}
		return err != nil
	}, "new connections to be refused")
	select {
	case err := <-served:
		t.Fatalf("serveHTTP returned %v before the in-flight request finished", err)
	default:
	}
	close(release)
	r := <-done
	if r.err != nil || r.body != "finished" {
		t.Errorf("in-flight request = %q, %v; want \"finished\"", r.body, r.err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("serveHTTP = %v; want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serveHTTP did not return after the last request finished")
	}
}

func TestServeHTTPShutdownTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serveHTTP(ctx, slog.New(slog.DiscardHandler), ln, h, 50*time.Millisecond) }()
	go func() {
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + ln.Addr().String() + "/stuck")
		if err == nil {
			resp.Body.Close()
		}
	}()
	waitOrFail(t, started, "the request to reach the handler")
	cancel()
	select {
	case err := <-served:
		if err == nil || !strings.Contains(err.Error(), "did not finish within 50ms") {
			t.Errorf("serveHTTP = %v; want an error saying requests did not finish within 50ms", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serveHTTP did not give up on a stuck request")
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitOrFail waits up to 10 seconds for ch to close.
func waitOrFail(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
