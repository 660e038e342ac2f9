package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// openTestStore opens the database dsn, migrating it, for checks of what a
// command stored.
func openTestStore(t *testing.T, dsn string) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", dsn, err)
	}
	return s
}

// listUsers returns every user of s.
func listUsers(t *testing.T, s *sqlstore.Store) []catalog.User {
	t.Helper()
	list, err := s.ListUsers(context.Background(), catalog.UserFilter{Page: catalog.Page{Size: catalog.MaxPageSize}})
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	return list.Items
}

// checkNotShown fails t when any output holds a secret.
func checkNotShown(t *testing.T, secrets []string, outputs ...string) {
	t.Helper()
	for _, secret := range secrets {
		for _, out := range outputs {
			if strings.Contains(out, secret) {
				t.Errorf("output shows the password %q:\n%s", secret, out)
			}
		}
	}
}

func TestUsersCreate(t *testing.T) {
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := sqltest.DSN(t, e)
			for _, tc := range []struct {
				args     []string
				input    string
				password string
				want     string // regexp of the last line of stdout
			}{
				{[]string{"--admin", "--username", "ripley", "--email", "ripley@example.com"},
					"nostromo-1979\n", "nostromo-1979", `^created admin ripley \(id \d+\)$`},
				{[]string{"--username", "Dallas", "--email", "Dallas@Example.com", "--first-name", "Arthur", "--last-name", "Dallas"},
					"captain's log\r\n", "captain's log", `^created user Dallas \(id \d+\)$`},
				{[]string{"--username", "lambert", "--email", "lambert@example.com", "--admin=false"},
					"no line break at all", "no line break at all", `^created user lambert \(id \d+\)$`},
				{[]string{"--username", "ash.android-2", "--email", "ash@example.com"},
					"ends with spaces  \nsecond line", "ends with spaces  ", `^created user ash.android-2 \(id \d+\)$`},
			} {
				args := append([]string{"users", "create", "--db", dsn}, tc.args...)
				code, out, errOut := runCLIInput(t, tc.input, args...)
				lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				if code != 0 || errOut != "" || !regexp.MustCompile(tc.want).MatchString(lines[len(lines)-1]) {
					t.Errorf("%q = %d %q %q; want 0 and a last line matching %s", args, code, out, errOut, tc.want)
				}
				checkNotShown(t, []string{tc.password}, out, errOut)
			}

			s := openTestStore(t, dsn)
			ctx := context.Background()
			for _, want := range []struct {
				username, role, password, firstName, lastName string
			}{
				{"ripley", catalog.AdminRole, "nostromo-1979", "", ""},
				{"dallas", catalog.UserRole, "captain's log", "Arthur", "Dallas"},
				{"lambert", catalog.UserRole, "no line break at all", "", ""},
				{"ash.android-2", catalog.UserRole, "ends with spaces  ", "", ""},
			} {
				u, err := s.UserByUsername(ctx, want.username)
				if err != nil {
					t.Fatalf("UserByUsername(%q) after users create: %v", want.username, err)
				}
				if u.Role != want.role || u.FirstName != want.firstName || u.LastName != want.lastName {
					t.Errorf("UserByUsername(%q) = role %q, names %q %q; want %q, %q %q",
						want.username, u.Role, u.FirstName, u.LastName, want.role, want.firstName, want.lastName)
				}
				if !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
					t.Errorf("users.password of %s = %q; want an argon2id hash", want.username, u.PasswordHash)
				}
				if err := auth.VerifyPassword(want.password, u.PasswordHash); err != nil {
					t.Errorf("VerifyPassword(%q, hash of %s) = %v; want nil", want.password, want.username, err)
				}
			}
		})
	}
}

// TestUsersCreateMigrates checks that users create works on a fresh
// database, and applies nothing on one already migrated.
func TestUsersCreateMigrates(t *testing.T) {
	dsn := sqltest.DSN(t, sqlstore.SQLite)
	code, out, errOut := runCLIInput(t, "nostromo-1979\n", "users", "create", "--db", dsn, "--username", "ripley", "--email", "ripley@example.com")
	if want := migrationLines(t, sqlstore.SQLite, "applied %04d_%s"); code != 0 || !strings.HasPrefix(out, want) {
		t.Errorf("users create on a fresh database = %d %q %q; want 0 and the migrations applied first:\n%s", code, out, errOut, want)
	}
	code, out, errOut = runCLIInput(t, "nostromo-1979\n", "users", "create", "--db", dsn, "--username", "dallas", "--email", "dallas@example.com")
	if !regexp.MustCompile(`^created user dallas \(id \d+\)\n$`).MatchString(out) || code != 0 {
		t.Errorf("users create on a migrated database = %d %q %q; want 0 and only \"created user dallas (id N)\"", code, out, errOut)
	}
}

func TestUsersCreateDuplicates(t *testing.T) {
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := sqltest.DSN(t, e)
			const password = "nostromo-1979"
			if code, _, errOut := runCLIInput(t, password+"\n", "users", "create", "--db", dsn,
				"--username", "ripley", "--email", "ripley@example.com"); code != 0 {
				t.Fatalf("users create ripley = %d %q", code, errOut)
			}
			for _, tc := range []struct {
				username, email string
				want            []string
			}{
				{"RIPLEY", "ellen@example.com", []string{"--username", `"RIPLEY"`, "already taken"}},
				{"ellen", "Ripley@Example.COM", []string{"--email", `"Ripley@Example.COM"`, "already registered"}},
			} {
				code, out, errOut := runCLIInput(t, password+"\n", "users", "create", "--db", dsn,
					"--username", tc.username, "--email", tc.email)
				if code != 1 || out != "" {
					t.Errorf("users create %s %s = %d, stdout %q; want 1 and nothing", tc.username, tc.email, code, out)
				}
				checkOneLine(t, errOut, tc.want...)
				checkNotShown(t, []string{password}, out, errOut)
			}
			if users := listUsers(t, openTestStore(t, dsn)); len(users) != 1 {
				t.Errorf("after the duplicates, the users are %v; want ripley alone", users)
			}
		})
	}
}

func TestUsersCreateInvalid(t *testing.T) {
	const password = "nostromo-1979"
	long := strings.Repeat("p", 257)
	for _, tc := range []struct {
		name            string
		username, email string // "" for ripley's
		extra           []string
		input           string
		want            []string
	}{
		{name: "short username", username: "ab", want: []string{"--username", `"ab"`, "3 to 32"}},
		{name: "long username", username: strings.Repeat("a", 33), want: []string{"--username", "3 to 32"}},
		{name: "username with a space", username: "ellen ripley", want: []string{"--username", "letter, digit"}},
		{name: "username with an accent", username: "ripléy", want: []string{"--username"}},
		{name: "username with an @", username: "ripley@nostromo", want: []string{"--username"}},
		{name: "email", email: "ripley", want: []string{"--email", `"ripley"`}},
		{name: "email with a name", email: "Ellen <ripley@example.com>", want: []string{"--email"}},
		{name: "email with a space", email: " ripley@example.com", want: []string{"--email"}},
		{name: "first name with a control character", extra: []string{"--first-name", "El\x07len"}, want: []string{"--first-name", "control"}},
		{name: "long last name", extra: []string{"--last-name", strings.Repeat("r", 101)}, want: []string{"--last-name", "100"}},
		{name: "short password", input: "7-chars\n", want: []string{"password", "8 to 256"}},
		{name: "short password with CRLF", input: "7-chars\r\n", want: []string{"password", "8 to 256"}},
		{name: "long password", input: long + "\n", want: []string{"password", "8 to 256"}},
		{name: "long password without a line break", input: strings.Repeat(long, 5), want: []string{"password", "8 to 256"}},
		{name: "empty password", input: "\n", want: []string{"password", "8 to 256"}},
		{name: "no password", input: "-", want: []string{"no password on stdin"}},
		{name: "password flag", extra: []string{"--password", password}, want: []string{"no --password flag", "stdin"}},
		{name: "password flag with =", extra: []string{"--password=" + password}, want: []string{"no --password flag"}},
		{name: "password argument", extra: []string{password}, want: []string{"unexpected argument", "stdin"}},
		{name: "password argument after --", extra: []string{"--", password}, want: []string{"unexpected argument", "stdin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := sqltest.DSN(t, sqlstore.SQLite)
			username, email, input := cmp.Or(tc.username, "ripley"), cmp.Or(tc.email, "ripley@example.com"), cmp.Or(tc.input, password+"\n")
			if input == "-" {
				input = ""
			}
			args := append([]string{"users", "create", "--db", dsn, "--username", username, "--email", email}, tc.extra...)
			code, out, errOut := runCLIInput(t, input, args...)
			if code != 2 || out != "" {
				t.Errorf("%q = %d, stdout %q; want 2 and nothing", args, code, out)
			}
			checkOneLine(t, errOut, tc.want...)
			checkNotShown(t, []string{password, "7-chars", long}, out, errOut)
			if users := listUsers(t, openTestStore(t, dsn)); len(users) != 0 {
				t.Errorf("users after a rejected users create = %v; want none", users)
			}
		})
	}
}

func TestUsersSetRole(t *testing.T) {
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := sqltest.DSN(t, e)
			if code, _, errOut := runCLIInput(t, "nostromo-1979\n", "users", "create", "--db", dsn,
				"--username", "ripley", "--email", "ripley@example.com"); code != 0 {
				t.Fatalf("users create ripley = %d %q", code, errOut)
			}
			s := openTestStore(t, dsn)
			for _, tc := range []struct {
				username, role string
				want           string
				wantRole       string
			}{
				{"ripley", "admin", "changed role of ripley from user to admin\n", catalog.AdminRole},
				{"Ripley", "admin", "ripley already has role admin\n", catalog.AdminRole},
				{"RIPLEY", "USER", "changed role of ripley from admin to user\n", catalog.UserRole},
				{"ripley", "user", "ripley already has role user\n", catalog.UserRole},
			} {
				code, out, errOut := runCLI(t, "users", "set-role", "--db", dsn, "--username", tc.username, "--role", tc.role)
				if code != 0 || out != tc.want || errOut != "" {
					t.Errorf("users set-role --username %s --role %s = %d %q %q; want 0 %q", tc.username, tc.role, code, out, errOut, tc.want)
				}
				u, err := s.UserByUsername(context.Background(), "ripley")
				if err != nil || u.Role != tc.wantRole {
					t.Errorf("after set-role %s, ripley = %+v, %v; want role %s", tc.role, u, err, tc.wantRole)
				}
			}

			code, out, errOut := runCLI(t, "users", "set-role", "--db", dsn, "--username", "ghost", "--role", "admin")
			if code != 1 || out != "" {
				t.Errorf("users set-role on an unknown user = %d, stdout %q; want 1 and nothing", code, out)
			}
			checkOneLine(t, errOut, `user "ghost"`, "not found")

			code, out, errOut = runCLI(t, "users", "set-role", "--db", dsn, "--username", "ripley", "--role", "root")
			if code != 2 || out != "" {
				t.Errorf("users set-role --role root = %d, stdout %q; want 2 and nothing", code, out)
			}
			checkOneLine(t, errOut, "--role", `"root"`)
			if u, err := s.UserByUsername(context.Background(), "ripley"); err != nil || u.Role != catalog.UserRole {
				t.Errorf("after set-role --role root, ripley = %+v, %v; want role user", u, err)
			}
		})
	}
}

func TestUsersSetRoleUnmigrated(t *testing.T) {
	code, _, errOut := runCLI(t, "users", "set-role", "--db", sqltest.DSN(t, sqlstore.SQLite), "--username", "ripley", "--role", "admin")
	if code != 1 {
		t.Errorf("users set-role on an empty database = %d; want 1", code)
	}
	checkOneLine(t, errOut, "pending migrations", "migrate up")
}

func TestAccountHidesPassword(t *testing.T) {
	a := account{username: "ripley", email: "ripley@example.com", password: "nostromo-1979", admin: true}
	for _, got := range []string{fmt.Sprint(a), fmt.Sprintf("%+v", a), fmt.Sprintf("%v", &a)} {
		if strings.Contains(got, a.password) || !strings.Contains(got, "ripley") {
			t.Errorf("account printed as %q; want its username without its password", got)
		}
	}
}

func TestPromptPassword(t *testing.T) {
	for _, tc := range []struct {
		answers []string
		want    string
		wantErr string
	}{
		{[]string{"nostromo-1979", "nostromo-1979"}, "nostromo-1979", ""},
		{[]string{"nostromo-1979", "nostromo-1978"}, "", "do not match"},
	} {
		var w bytes.Buffer
		i := 0
		read := func() ([]byte, error) {
			if i == len(tc.answers) {
				return nil, io.EOF
			}
			i++
			return []byte(tc.answers[i-1]), nil
		}
		got, err := promptPassword(&w, "ripley", read)
		if got != tc.want || (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("promptPassword answered %q = %q, %v; want %q, error %q", tc.answers, got, err, tc.want, tc.wantErr)
		}
		if err != nil && !errors.As(err, new(usageError)) {
			t.Errorf("promptPassword error %v is not a usageError (exit 2)", err)
		}
		if prompts := w.String(); prompts != "Password for ripley: \nRepeat the password: \n" {
			t.Errorf("promptPassword wrote %q; want the two prompts, each ended by a line break", prompts)
		}
		checkNotShown(t, tc.answers, w.String())
	}

	var w bytes.Buffer
	_, err := promptPassword(&w, "ripley", func() ([]byte, error) { return nil, io.ErrUnexpectedEOF })
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("promptPassword on a failing read = %v; want the read's error", err)
	}
}

// An inProcessServe is `moviedb serve` running in the test's process.
type inProcessServe struct {
	logs   *syncBuffer
	cancel context.CancelFunc
	exited chan struct{}
	code   int
}

// startServe runs `moviedb serve` on a free port with the database dsn,
// JSON logs at debug level, the extra args, and env as its only MOVIEDB_*
// environment. It is stopped when t ends, if still running.
func startServe(t *testing.T, dsn string, env map[string]string, args ...string) *inProcessServe {
	t.Helper()
	clearEnv(t)
	for k, v := range env {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &inProcessServe{logs: &syncBuffer{}, cancel: cancel, exited: make(chan struct{})}
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dsn, "--log-format", "json", "--log-level", "debug"}, args...)
	go func() {
		p.code = Run(ctx, args, nil, io.Discard, p.logs)
		close(p.exited)
	}()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// records returns the fields of every JSON log line with message msg.
func (p *inProcessServe) records(msg string) []map[string]any {
	var recs []map[string]any
	for _, line := range strings.Split(p.logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
			recs = append(recs, rec)
		}
	}
	return recs
}

// waitListening waits for the listening log line and returns the address.
func (p *inProcessServe) waitListening(t *testing.T) string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		if recs := p.records("listening"); len(recs) > 0 {
			addr, _ := recs[0]["addr"].(string)
			return addr
		}
		select {
		case <-p.exited:
			t.Fatalf("serve exited %d without listening:\n%s", p.code, p.logs.String())
		case <-deadline:
			t.Fatalf("serve did not listen within 30s:\n%s", p.logs.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// stop cancels serve's context and returns its exit status.
func (p *inProcessServe) stop(t *testing.T) int {
	t.Helper()
	p.cancel()
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop within 30s:\n%s", p.logs.String())
	}
	return p.code
}

// postJSON posts body to url and decodes the answer into out, if not nil.
func postJSON(t *testing.T, url string, body any, out any) int {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("POST %s: decode the answer: %v", url, err)
		}
	}
	return resp.StatusCode
}

// getWithToken gets url with the bearer token and returns the status.
func getWithToken(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// login signs in on the API at addr and returns the token and its expiry.
func login(t *testing.T, addr, username, password string) (token string, expires time.Time) {
	t.Helper()
	var ans struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if code := postJSON(t, "http://"+addr+"/api/v1/auth/login", map[string]string{"login": username, "password": password}, &ans); code != http.StatusOK || ans.Token == "" {
		t.Fatalf("login as %s = %d, token %q; want 200 and a token", username, code, ans.Token)
	}
	return ans.Token, ans.ExpiresAt
}

// TestServeAdminBootstrap checks that serve creates the admin of
// MOVIEDB_ADMIN_EMAIL and MOVIEDB_ADMIN_PASSWORD once, that the admin and a
// user made by `users create` pass and fail the admin gate, and that
// --token-ttl reaches the API.
func TestServeAdminBootstrap(t *testing.T) {
	const password = "correct horse battery staple"
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := sqltest.DSN(t, e)
			env := map[string]string{envAdminEmail: "boss@example.com", envAdminPassword: password}

			first := startServe(t, dsn, env, "--token-ttl", "2h")
			addr := first.waitListening(t)
			created := first.records("created admin from MOVIEDB_ADMIN_EMAIL")
			if len(created) != 1 || created[0]["username"] != "admin" {
				t.Errorf("first start logged %v; want one \"created admin from MOVIEDB_ADMIN_EMAIL\" with username admin\n%s", created, first.logs.String())
			}
			if code, _, errOut := runCLIInput(t, "nostromo-1979\n", "users", "create", "--db", dsn,
				"--username", "ripley", "--email", "ripley@example.com"); code != 0 {
				t.Fatalf("users create ripley = %d %q", code, errOut)
			}
			before := time.Now()
			adminToken, expires := login(t, addr, "boss@example.com", password)
			if want := before.Add(2 * time.Hour); expires.Before(want.Add(-time.Minute)) || expires.After(want.Add(time.Minute)) {
				t.Errorf("with --token-ttl 2h, a token logged in at %s expires at %s; want about 2h later", before.UTC(), expires)
			}
			userToken, _ := login(t, addr, "ripley", "nostromo-1979")
			report := "http://" + addr + "/api/v1/reports/user-favorites"
			if code := getWithToken(t, report, adminToken); code != http.StatusOK {
				t.Errorf("GET %s as the bootstrap admin = %d; want 200", report, code)
			}
			if code := getWithToken(t, report, userToken); code != http.StatusForbidden {
				t.Errorf("GET %s as a user = %d; want 403", report, code)
			}
			if code := first.stop(t); code != 0 {
				t.Errorf("first serve exited %d; want 0\n%s", code, first.logs.String())
			}

			// A second start, with other values, finds the admin and creates nothing.
			env[envAdminEmail], env[envAdminUsername] = "other@example.com", "other"
			second := startServe(t, dsn, env)
			second.waitListening(t)
			if recs := second.records("created admin from MOVIEDB_ADMIN_EMAIL"); len(recs) != 0 {
				t.Errorf("second start logged %v; want no admin created", recs)
			}
			if recs := second.records("an admin exists: MOVIEDB_ADMIN_EMAIL and MOVIEDB_ADMIN_PASSWORD are not used"); len(recs) != 1 || recs[0]["level"] != "DEBUG" {
				t.Errorf("second start logged %v; want one debug line saying an admin exists\n%s", recs, second.logs.String())
			}
			if code := second.stop(t); code != 0 {
				t.Errorf("second serve exited %d; want 0\n%s", code, second.logs.String())
			}

			var admins []catalog.User
			for _, u := range listUsers(t, openTestStore(t, dsn)) {
				if u.IsAdmin() {
					admins = append(admins, u)
				}
			}
			if len(admins) != 1 || admins[0].Username != "admin" || admins[0].Email != "boss@example.com" {
				t.Fatalf("admins after two starts = %+v; want the one from the first start", admins)
			}
			if err := auth.VerifyPassword(password, admins[0].PasswordHash); err != nil || !strings.HasPrefix(admins[0].PasswordHash, "$argon2id$") {
				t.Errorf("the bootstrap admin's hash %q does not verify MOVIEDB_ADMIN_PASSWORD: %v", admins[0].PasswordHash, err)
			}
			checkNotShown(t, []string{password}, first.logs.String(), second.logs.String())
		})
	}
}

func TestServeAdminBootstrapUsernameTaken(t *testing.T) {
	dsn := sqltest.DSN(t, sqlstore.SQLite)
	if code, _, errOut := runCLIInput(t, "nostromo-1979\n", "users", "create", "--db", dsn,
		"--username", "admin", "--email", "someone@example.com"); code != 0 {
		t.Fatalf("users create admin = %d %q", code, errOut)
	}
	const password = "correct horse battery staple"
	p := startServe(t, dsn, map[string]string{envAdminEmail: "boss@example.com", envAdminPassword: password})
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not fail on a taken username:\n%s", p.logs.String())
	}
	if p.code != 1 {
		t.Errorf("serve with MOVIEDB_ADMIN_USERNAME taken = %d; want 1", p.code)
	}
	lines := strings.Split(strings.TrimSuffix(p.logs.String(), "\n"), "\n")
	checkOneLine(t, lines[len(lines)-1]+"\n", "MOVIEDB_ADMIN_USERNAME", `"admin"`, "already taken")
	checkNotShown(t, []string{password}, p.logs.String())
}

func TestServeAdminBootstrapErrors(t *testing.T) {
	const password = "correct horse battery staple"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"email alone", map[string]string{envAdminEmail: "boss@example.com"}, []string{"MOVIEDB_ADMIN_EMAIL is set without MOVIEDB_ADMIN_PASSWORD"}},
		{"password alone", map[string]string{envAdminPassword: password}, []string{"MOVIEDB_ADMIN_PASSWORD is set without MOVIEDB_ADMIN_EMAIL"}},
		{"password and username", map[string]string{envAdminPassword: password, envAdminUsername: "boss"}, []string{"without MOVIEDB_ADMIN_EMAIL"}},
		{"bad email", map[string]string{envAdminEmail: "boss", envAdminPassword: password}, []string{"MOVIEDB_ADMIN_EMAIL", `"boss"`}},
		{"short password", map[string]string{envAdminEmail: "boss@example.com", envAdminPassword: "hunter2"}, []string{"MOVIEDB_ADMIN_PASSWORD", "8 to 256"}},
		{"bad username", map[string]string{envAdminEmail: "boss@example.com", envAdminPassword: password, envAdminUsername: "the boss"},
			[]string{"MOVIEDB_ADMIN_USERNAME", `"the boss"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := sqltest.DSN(t, sqlstore.SQLite)
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			code := Run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, nil, &out, &errOut)
			if code != 2 || out.Len() != 0 {
				t.Errorf("serve = %d, stdout %q; want 2 and nothing", code, out.String())
			}
			checkOneLine(t, errOut.String(), tc.want...)
			checkNotShown(t, []string{password, "hunter2"}, errOut.String())
			if users := listUsers(t, openTestStore(t, dsn)); len(users) != 0 {
				t.Errorf("users after serve refused to start = %v; want none", users)
			}
		})
	}
}

// loginStatus posts a login to the API at addr and returns the status.
func loginStatus(t *testing.T, addr, login, password string) int {
	t.Helper()
	return postJSON(t, "http://"+addr+"/api/v1/auth/login", map[string]string{"login": login, "password": password}, nil)
}

// TestUsersSetPassword changes a password while serve runs: the new one
// logs in, the old one no longer does, and every token of the account
// (and no one else's) is revoked.
func TestUsersSetPassword(t *testing.T) {
	const oldPassword, newPassword = "nostromo-1979", "sulaco-2179 LV-426"
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := sqltest.DSN(t, e)
			for _, name := range []string{"ripley", "hicks"} {
				if code, _, errOut := runCLIInput(t, oldPassword+"\n", "users", "create", "--db", dsn,
					"--username", name, "--email", name+"@example.com"); code != 0 {
					t.Fatalf("users create %s = %d %q", name, code, errOut)
				}
			}
			// As `import moviedb-json` restores an account: without a password.
			restored := &catalog.User{Username: "newt", Email: "newt@example.com"}
			if err := openTestStore(t, dsn).CreateUser(context.Background(), restored); err != nil {
				t.Fatal(err)
			}
			p := startServe(t, dsn, nil)
			addr := p.waitListening(t)
			me := "http://" + addr + "/api/v1/me"
			first, _ := login(t, addr, "ripley", oldPassword)
			second, _ := login(t, addr, "ripley@example.com", oldPassword)
			other, _ := login(t, addr, "hicks", oldPassword)

			// Flags may come after the username, which matches in any case.
			code, out, errOut := runCLIInput(t, newPassword+"\n", "users", "set-password", "Ripley", "--db", dsn)
			if want := "set the password of ripley; revoked 2 login tokens and sessions\n"; code != 0 || out != want || errOut != "" {
				t.Errorf("users set-password Ripley = %d %q %q; want 0 %q", code, out, errOut, want)
			}
			checkNotShown(t, []string{newPassword}, out, errOut)
			for _, tok := range []string{first, second} {
				if code := getWithToken(t, me, tok); code != http.StatusUnauthorized {
					t.Errorf("GET /me with a token of ripley's old password = %d; want 401", code)
				}
			}
			if code := getWithToken(t, me, other); code != http.StatusOK {
				t.Errorf("GET /me with hicks's token after ripley's new password = %d; want 200", code)
			}
			if code := loginStatus(t, addr, "ripley", oldPassword); code != http.StatusUnauthorized {
				t.Errorf("login with ripley's old password = %d; want 401", code)
			}
			if tok, _ := login(t, addr, "ripley", newPassword); getWithToken(t, me, tok) != http.StatusOK {
				t.Error("the token of ripley's new password does not reach /me")
			}
			if u, err := openTestStore(t, dsn).UserByUsername(context.Background(), "ripley"); err != nil || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
				t.Errorf("ripley's hash = %q, %v; want argon2id", u.PasswordHash, err)
			}

			// A restored account gets a password, the --db flag first.
			if code := loginStatus(t, addr, "newt", newPassword); code != http.StatusUnauthorized {
				t.Errorf("login of the restored account before set-password = %d; want 401", code)
			}
			code, out, errOut = runCLIInput(t, newPassword+"\r\n", "users", "set-password", "--db", dsn, "newt")
			if code != 0 || out != "set the password of newt; revoked 0 login tokens and sessions\n" {
				t.Errorf("users set-password newt = %d %q %q; want 0", code, out, errOut)
			}
			login(t, addr, "newt", newPassword)

			code, out, errOut = runCLIInput(t, newPassword+"\n", "users", "set-password", "ghost", "--db", dsn)
			if code != 1 || out != "" {
				t.Errorf("users set-password ghost = %d, stdout %q; want 1 and nothing", code, out)
			}
			checkOneLine(t, errOut, `user "ghost"`, "not found")

			// A password against the rules changes nothing.
			code, out, errOut = runCLIInput(t, "7-chars\n", "users", "set-password", "hicks", "--db", dsn)
			if code != 2 || out != "" {
				t.Errorf("users set-password with a short password = %d, stdout %q; want 2 and nothing", code, out)
			}
			checkOneLine(t, errOut, "password", "8 to 256")
			checkNotShown(t, []string{"7-chars"}, errOut)
			if code := getWithToken(t, me, other); code != http.StatusOK {
				t.Errorf("GET /me with hicks's token after a refused set-password = %d; want 200", code)
			}
			login(t, addr, "hicks", oldPassword)
		})
	}
}

func TestUsersSetPasswordUsage(t *testing.T) {
	dsn := sqltest.DSN(t, sqlstore.SQLite)
	const password = "nostromo-1979"
	for _, tc := range []struct {
		args  []string
		input string
		want  []string
	}{
		{[]string{"--db", dsn}, password + "\n", []string{"want the USERNAME"}},
		{[]string{"ripley", password, "--db", dsn}, "", []string{"unexpected argument", "stdin"}},
		{[]string{"ripley", "--password", password, "--db", dsn}, "", []string{"no --password flag", "stdin"}},
		{[]string{"ripley", "--password=" + password, "--db", dsn}, "", []string{"no --password flag"}},
		{[]string{"ripley", "--role", "admin", "--db", dsn}, password + "\n", []string{"-role"}},
	} {
		args := append([]string{"users", "set-password"}, tc.args...)
		code, out, errOut := runCLIInput(t, tc.input, args...)
		if code != 2 || out != "" {
			t.Errorf("%q = %d, stdout %q; want 2 and nothing", args, code, out)
		}
		checkOneLine(t, errOut, tc.want...)
		checkNotShown(t, []string{password}, errOut)
	}

	// The database must be migrated; nothing on stdin is no password.
	code, _, errOut := runCLIInput(t, password+"\n", "users", "set-password", "ripley", "--db", dsn)
	if code != 1 {
		t.Errorf("users set-password on an empty database = %d; want 1", code)
	}
	checkOneLine(t, errOut, "pending migrations", "migrate up")
	if code, _, errOut := runCLIInput(t, password+"\n", "users", "create", "--db", dsn, "--username", "ripley", "--email", "ripley@example.com"); code != 0 {
		t.Fatalf("users create ripley = %d %q", code, errOut)
	}
	code, _, errOut = runCLIInput(t, "", "users", "set-password", "ripley", "--db", dsn)
	if code != 2 {
		t.Errorf("users set-password with nothing on stdin = %d; want 2", code)
	}
	checkOneLine(t, errOut, "no password on stdin")
}
