package auth_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/ratelimit"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestVerifier checks logins by username and email, the refusals (wrong
// password, no such account, an unreadable stored hash, which is logged)
// and the rehash of a hash made with other costs, on both engines.
func TestVerifier(t *testing.T) {
	ctx := context.Background()
	cheap := auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	older := auth.Params{Memory: 32, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		hash := func(password string, p auth.Params) string {
			t.Helper()
			h, err := auth.HashPassword(password, p)
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		create := func(name, passwordHash string) *catalog.User {
			t.Helper()
			u := &catalog.User{Username: name, Email: name + "@example.com", PasswordHash: passwordHash}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		ripley := create("ripley", hash("nostromo-1979", cheap))
		dallas := create("dallas", hash("mother-2122", older))
		ash := create("ash", "$argon2id$not-a-hash")
		var logs bytes.Buffer
		v := auth.NewVerifier(s, cheap, generous(), slog.New(slog.NewTextHandler(&logs, nil)))

		for _, login := range []string{"ripley", "RIPLEY@example.com"} {
			if u, err := v.Verify(ctx, login, "nostromo-1979"); err != nil || u.ID != ripley.ID {
				t.Errorf("Verify(%q, right password) = %v, %v; want user %d", login, u, err, ripley.ID)
			}
		}
		for _, tc := range []struct{ login, password string }{
			{"ripley", "nostromo-1980"}, {"nobody", "nostromo-1979"}, {"ash", "anything"},
		} {
			if u, err := v.Verify(ctx, tc.login, tc.password); !errors.Is(err, auth.ErrMismatch) || u != nil {
				t.Errorf("Verify(%q, %q) = %v, %v; want ErrMismatch", tc.login, tc.password, u, err)
			}
		}
		if !strings.Contains(logs.String(), "stored password hash unusable") || !strings.Contains(logs.String(), "user_id="+strconv.FormatInt(ash.ID, 10)) {
			t.Errorf("log = %q; want the unusable hash of user %d", logs.String(), ash.ID)
		}

		u, err := v.Verify(ctx, "dallas", "mother-2122")
		if err != nil || u.ID != dallas.ID || u.PasswordHash == dallas.PasswordHash || auth.NeedsRehash(u.PasswordHash, cheap) {
			t.Fatalf("Verify(dallas) = %+v, %v; want the user with a new hash of the configured costs", u, err)
		}
		stored, err := s.UserByLogin(ctx, "dallas")
		if err != nil || stored.PasswordHash != u.PasswordHash {
			t.Errorf("stored hash of dallas = %q, %v; want the new one", stored.PasswordHash, err)
		}
		if _, err := v.Verify(ctx, "dallas", "mother-2122"); err != nil {
			t.Errorf("Verify(dallas) with the new hash: %v", err)
		}
	})
}

// generous returns limiters no test reaches.
func generous() *ratelimit.Auth {
	return ratelimit.NewAuth(ratelimit.Limit{Burst: 10_000, Every: time.Millisecond}, nil)
}

// TestVerifierBudgetPerAccount checks that an account's username and email
// draw on one budget of attempts, that a login naming no account is
// limited too, and that a signed-in user's password checks count against
// their account's budget, on both engines.
func TestVerifierBudgetPerAccount(t *testing.T) {
	ctx := context.Background()
	cheap := auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		create := func(name string) *catalog.User {
			t.Helper()
			h, err := auth.HashPassword("nostromo-1979", cheap)
			if err != nil {
				t.Fatal(err)
			}
			u := &catalog.User{Username: name, Email: name + "@example.com", PasswordHash: h}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		ripley, dallas := create("ripley"), create("dallas")
		// An hour per attempt regained: nothing comes back during the test.
		limits := ratelimit.NewAuth(ratelimit.Limit{Burst: 10, Every: time.Hour}, nil)
		v := auth.NewVerifier(s, cheap, limits, nil)
		wantExceeded := func(what string, err error) {
			t.Helper()
			var exceeded *ratelimit.ExceededError
			if !errors.As(err, &exceeded) {
				t.Errorf("%s: %v; want a *ratelimit.ExceededError", what, err)
			}
		}

		for i := range 10 {
			login := []string{"Ripley", "ripley@EXAMPLE.com"}[i%2]
			if _, err := v.Verify(ctx, login, "wrong"); !errors.Is(err, auth.ErrMismatch) {
				t.Fatalf("attempt %d (%s): %v; want ErrMismatch", i+1, login, err)
			}
		}
		_, err := v.Verify(ctx, "ripley", "nostromo-1979")
		wantExceeded("11th attempt at ripley, right password", err)
		_, err = v.Verify(ctx, "RIPLEY@example.com", "nostromo-1979")
		wantExceeded("11th attempt at ripley by email", err)
		wantExceeded("ripley's current password", v.CheckPassword(ctx, ripley, "nostromo-1979"))
		if u, err := v.Verify(ctx, "dallas", "nostromo-1979"); err != nil || u.ID != dallas.ID {
			t.Errorf("Verify(dallas) = %v, %v; want another account unaffected", u, err)
		}

		for i := range 10 {
			login := []string{"kane", "KANE"}[i%2]
			if _, err := v.Verify(ctx, login, "wrong"); !errors.Is(err, auth.ErrMismatch) {
				t.Fatalf("attempt %d at an unknown login: %v; want ErrMismatch", i+1, err)
			}
		}
		_, err = v.Verify(ctx, "Kane", "wrong")
		wantExceeded("11th attempt at an unknown login", err)

		for i := range 9 {
			if err := v.CheckPassword(ctx, dallas, "wrong"); !errors.Is(err, auth.ErrMismatch) {
				t.Fatalf("CheckPassword(dallas) %d: %v; want ErrMismatch", i+1, err)
			}
		}
		_, err = v.Verify(ctx, "dallas@example.com", "nostromo-1979")
		wantExceeded("login to dallas after 10 password checks", err)
	})
}
