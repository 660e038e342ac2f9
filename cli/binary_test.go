package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestBinary builds the moviedb binary and runs it as users do.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the moviedb binary; skipped with -short")
	}
	bin := buildBinary(t)

	t.Run("version", func(t *testing.T) {
		code, out, errOut := runBinary(t, bin, "version")
		if code != 0 || !strings.HasPrefix(out, "moviedb v0.0.0-test (") || errOut != "" {
			t.Errorf("moviedb version = %d %q %q; want 0 and \"moviedb v0.0.0-test (COMMIT)\"", code, out, errOut)
		}
	})
	t.Run("bad flag", func(t *testing.T) {
		code, _, errOut := runBinary(t, bin, "serve", "--log-level", "loud")
		if code != 2 {
			t.Errorf("moviedb serve --log-level loud = %d; want 2", code)
		}
		checkOneLine(t, errOut, "--log-level")
	})
	t.Run("unreachable database", func(t *testing.T) {
		code, _, errOut := runBinary(t, bin, "serve", "--addr", "127.0.0.1:0", "--db", "postgres://nobody:hunter2@127.0.0.1:1/x")
		if code != 1 {
			t.Errorf("moviedb serve on an unreachable database = %d; want 1", code)
		}
		checkOneLine(t, errOut, "postgres://nobody", "127.0.0.1:1")
		if strings.Contains(errOut, "hunter2") {
			t.Errorf("stderr shows the password: %q", errOut)
		}
	})
	t.Run("users create from a pipe", func(t *testing.T) {
		dsn := sqltest.DSN(t, sqlstore.SQLite)
		const password = "nostromo-1979"
		code, out, errOut := runBinaryInput(t, bin, password+"\n", "users", "create", "--admin", "--db", dsn,
			"--username", "ripley", "--email", "ripley@example.com")
		if code != 0 || !strings.HasSuffix(out, "created admin ripley (id 1)\n") || errOut != "" {
			t.Errorf("moviedb users create --admin = %d %q %q; want 0 and \"created admin ripley (id 1)\"", code, out, errOut)
		}
		code, out, errOut = runBinary(t, bin, "users", "create", "--db", dsn, "--username", "dallas", "--email", "dallas@example.com")
		if code != 2 || out != "" {
			t.Errorf("moviedb users create with nothing on stdin = %d %q; want 2 and nothing", code, out)
		}
		checkOneLine(t, errOut, "no password on stdin")
		u, err := openTestStore(t, dsn).UserByUsername(context.Background(), "ripley")
		if err != nil || !u.IsAdmin() || auth.VerifyPassword(password, u.PasswordHash) != nil {
			t.Errorf("after moviedb users create --admin, ripley = %+v, %v; want an admin with the piped password", u, err)
		}
	})
	for _, e := range engines {
		t.Run("serve "+string(e), func(t *testing.T) {
			testServeBinary(t, bin, sqltest.DSN(t, e))
		})
	}
}

// testServeBinary runs `moviedb serve` on the database dsn, checks the
// operational endpoints, then stops it with SIGTERM.
func testServeBinary(t *testing.T, bin, dsn string) {
	p := start(t, bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--log-format", "json")
	p.waitLog(t, "applied migration")
	listening := p.waitLog(t, "listening")
	addr, _ := listening["addr"].(string)
	if addr == "" {
		t.Fatalf("the listening log line has no addr:\n%s", p.output())
	}
	if listening["base_url"] != "http://"+addr {
		t.Errorf("listening on %s with base_url %v; want http://%s", addr, listening["base_url"], addr)
	}
	if db, _ := p.waitLog(t, "database ready")["db"].(string); strings.Contains(db, "?") {
		t.Errorf("logged the database as %q; want no query string", db)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/healthz", http.StatusOK, `{"status":"ok"}`},
		{"/readyz", http.StatusOK, `{"status":"ready"}`},
		{"/api/v1/nope", http.StatusNotFound, `"status":404`},
		{"/metrics", http.StatusOK, `moviedb_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`},
		// The web pages live beside the API.
		{"/", http.StatusOK, "Recently added"},
		{"/nope", http.StatusNotFound, "Page not found"},
	} {
		resp, err := client.Get("http://" + addr + tc.path)
		if err != nil {
			t.Fatalf("GET %s: %v", tc.path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("GET %s: read body: %v", tc.path, err)
		}
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("GET %s = %d %s; want %d and %q", tc.path, resp.StatusCode, body, tc.status, tc.want)
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: no X-Request-Id header", tc.path)
		}
	}
	// Probes log at debug level, so the first request logged at info is the 404.
	if rec := p.waitLog(t, "request"); rec["request_id"] == "" || rec["route"] != "unmatched" {
		t.Errorf("access log line = %v; want the 404 with a request id", rec)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("send SIGTERM: %v", err)
	}
	p.waitLog(t, "shutdown")
	if code := p.wait(t); code != 0 {
		t.Errorf("moviedb serve exited %d after SIGTERM; want 0\n%s", code, p.output())
	}
	p.waitLog(t, "stopped")
}

// buildBinary builds cmd/moviedb, with Version set, into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot build the binary")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "moviedb")
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin,
		"-ldflags", "-X github.com/moviedb/moviedb/cli.Version=v0.0.0-test",
		"github.com/moviedb/moviedb/cmd/moviedb")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// childEnv returns the test's environment without moviedb configuration.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MOVIEDB_") {
			env = append(env, kv)
		}
	}
	return env
}

// runBinary runs bin with args to completion and returns its exit status
// and output.
func runBinary(t *testing.T, bin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runBinaryInput(t, bin, "", args...)
}

// runBinaryInput is runBinary with input piped to stdin.
func runBinaryInput(t *testing.T, bin, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runBinaryLimit(t, time.Minute, bin, input, args...)
}

// runBinaryLimit is runBinaryInput killing bin after limit.
func runBinaryLimit(t *testing.T, limit time.Duration, bin, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = childEnv(), strings.NewReader(input), &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %s %q: %v", bin, args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

// A process is a running moviedb whose JSON log lines the test reads.
type process struct {
	cmd     *exec.Cmd
	changed chan struct{} // receives when a line arrives or the process ends
	exited  chan struct{} // closed when the process has ended

	mu    sync.Mutex
	lines []string
	code  int
}

// start runs bin with args; it is killed when t ends, if still running.
func start(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	p := &process{
		cmd:     exec.Command(bin, args...),
		changed: make(chan struct{}, 1),
		exited:  make(chan struct{}),
	}
	p.cmd.Env = childEnv()
	p.cmd.Stdout = io.Discard
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.mu.Unlock()
			p.notify()
		}
		p.cmd.Wait() // only once stderr is drained, as os/exec requires
		p.mu.Lock()
		p.code = p.cmd.ProcessState.ExitCode()
		p.mu.Unlock()
		close(p.exited)
		p.notify()
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

func (p *process) notify() {
	select {
	case p.changed <- struct{}{}:
	default:
	}
}

// output returns what the process has logged so far.
func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// waitLog waits up to 30 seconds for a JSON log line with message msg and
// returns its fields.
func (p *process) waitLog(t *testing.T, msg string) map[string]any {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		// Checked before the lines are read: once exited, every line is in.
		var ended bool
		select {
		case <-p.exited:
			ended = true
		default:
		}
		if rec := p.find(msg); rec != nil {
			return rec
		}
		if ended {
			t.Fatalf("moviedb exited without logging %q:\n%s", msg, p.output())
		}
		select {
		case <-p.changed:
		case <-p.exited:
		case <-timeout:
			t.Fatalf("moviedb did not log %q within 30s:\n%s", msg, p.output())
		}
	}
}

// find returns the fields of the first JSON log line with message msg, or nil.
func (p *process) find(msg string) map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, line := range p.lines {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
			return rec
		}
	}
	return nil
}

// wait waits up to 30 seconds for the process to end and returns its exit status.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("moviedb did not exit within 30s:\n%s", p.output())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.code
}
