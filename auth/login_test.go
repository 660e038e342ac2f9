package auth_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
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
		v := auth.NewVerifier(s, cheap, slog.New(slog.NewTextHandler(&logs, nil)))

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
