package sqlstore_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// fxUser creates a user named username with email username@example.com.
const secretHash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$SECRETHASHVALUE"

func TestUserCRUD(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		avatar := fixtureFile(t, s, "avatar")
		u := &catalog.User{Username: "Ripley", FirstName: "Ellen", LastName: "Ripley", Email: "Ripley@Nostromo.example",
			PasswordHash: secretHash, AvatarFileID: &avatar.ID}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		created := clk.Now()
		want := catalog.User{ID: u.ID, Username: "Ripley", FirstName: "Ellen", LastName: "Ripley",
			Email: "Ripley@Nostromo.example", PasswordHash: secretHash, AvatarFileID: &avatar.ID,
			Role: catalog.UserRole, CreatedAt: created, UpdatedAt: created}
		if u.ID == 0 || !reflect.DeepEqual(*u, want) {
			t.Fatalf("created user = %s; want %s", asJSON(u), asJSON(want))
		}
		lookups := []struct {
			name string
			get  func() (*catalog.User, error)
		}{
			{"UserByID", func() (*catalog.User, error) { return s.UserByID(ctx, u.ID) }},
			{"UserByUsername(ripley)", func() (*catalog.User, error) { return s.UserByUsername(ctx, "ripley") }},
			{"UserByUsername(RIPLEY)", func() (*catalog.User, error) { return s.UserByUsername(ctx, "RIPLEY") }},
			{"UserByEmail", func() (*catalog.User, error) { return s.UserByEmail(ctx, "ripley@nostromo.EXAMPLE") }},
			{"UserByLogin(username)", func() (*catalog.User, error) { return s.UserByLogin(ctx, "rIPLEY") }},
			{"UserByLogin(email)", func() (*catalog.User, error) { return s.UserByLogin(ctx, "RIPLEY@nostromo.example") }},
		}
		for _, l := range lookups {
			if got, err := l.get(); err != nil || !reflect.DeepEqual(*got, want) {
				t.Errorf("%s = %s, %v; want %s", l.name, asJSON(got), err, asJSON(want))
			}
		}
		_, err := s.UserByID(ctx, u.ID+100)
		wantNotFound(t, err)
		_, err = s.UserByUsername(ctx, "dallas")
		wantNotFound(t, err)
		_, err = s.UserByEmail(ctx, "ripley")
		wantNotFound(t, err)
		_, err = s.UserByLogin(ctx, "nostromo.example")
		wantNotFound(t, err)

		bare := &catalog.User{Username: "ash", Email: "ash@example.com", PasswordHash: "h"}
		if err := s.CreateUser(ctx, bare); err != nil {
			t.Fatal(err)
		}
		if bare.AvatarFileID != nil || bare.FirstName != "" || bare.LastName != "" {
			t.Errorf("user without avatar or names = %s", asJSON(bare))
		}

		other := fixtureFile(t, s, "other")
		steps := []struct {
			name   string
			upd    catalog.UserUpdate
			change func(u *catalog.User)
		}{
			{"username", catalog.UserUpdate{Username: ptr("ellen")}, func(u *catalog.User) { u.Username = "ellen" }},
			{"own username in other case", catalog.UserUpdate{Username: ptr("Ellen")}, func(u *catalog.User) { u.Username = "Ellen" }},
			{"names", catalog.UserUpdate{FirstName: ptr("E."), LastName: ptr("")},
				func(u *catalog.User) { u.FirstName, u.LastName = "E.", "" }},
			{"email", catalog.UserUpdate{Email: ptr("ellen@sulaco.example")}, func(u *catalog.User) { u.Email = "ellen@sulaco.example" }},
			{"password", catalog.UserUpdate{PasswordHash: ptr("$argon2id$new")}, func(u *catalog.User) { u.PasswordHash = "$argon2id$new" }},
			{"avatar", catalog.UserUpdate{AvatarFileID: catalog.Set(other.ID)}, func(u *catalog.User) { u.AvatarFileID = &other.ID }},
			{"clear avatar", catalog.UserUpdate{AvatarFileID: catalog.Clear[int64]()}, func(u *catalog.User) { u.AvatarFileID = nil }},
			{"nothing", catalog.UserUpdate{}, func(u *catalog.User) {}},
		}
		for _, step := range steps {
			clk.Advance(time.Minute)
			step.change(&want)
			want.UpdatedAt = clk.Now()
			got, err := s.UpdateUser(ctx, u.ID, step.upd)
			if err != nil {
				t.Fatalf("UpdateUser(%s): %v", step.name, err)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("UpdateUser(%s) = %s; want %s", step.name, asJSON(got), asJSON(want))
			}
			if got, err := s.UserByID(ctx, u.ID); err != nil || !reflect.DeepEqual(*got, want) {
				t.Errorf("UserByID after %s = %s, %v; want %s", step.name, asJSON(got), err, asJSON(want))
			}
		}
		_, err = s.UpdateUser(ctx, u.ID+100, catalog.UserUpdate{FirstName: ptr("X")})
		wantNotFound(t, err)

		if err := s.DeleteUser(ctx, u.ID); err != nil {
			t.Fatalf("DeleteUser: %v", err)
		}
		_, err = s.UserByID(ctx, u.ID)
		wantNotFound(t, err)
		wantNotFound(t, s.DeleteUser(ctx, u.ID))
		// The deleted user's username and email are free again.
		again := &catalog.User{Username: "ELLEN", Email: "Ellen@Sulaco.example", PasswordHash: "h"}
		if err := s.CreateUser(ctx, again); err != nil {
			t.Errorf("CreateUser with a deleted user's username and email: %v", err)
		}
		if _, err := s.FileByID(ctx, other.ID); err != nil {
			t.Errorf("avatar file of deleted user: %v; want it kept", err)
		}
	})
}

func TestUserRules(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a := &catalog.User{Username: "Alice", Email: "Alice@Example.com", PasswordHash: secretHash}
		if err := s.CreateUser(ctx, a); err != nil {
			t.Fatal(err)
		}
		missing := int64(404)
		cases := []struct {
			name  string
			user  catalog.User
			field string
			check func(*testing.T, error, string)
		}{
			{"same username", catalog.User{Username: "Alice", Email: "b@example.com"}, "username", wantConflict},
			{"username in other case", catalog.User{Username: "aLICE", Email: "b@example.com"}, "username", wantConflict},
			{"same email", catalog.User{Username: "bob", Email: "Alice@Example.com"}, "email", wantConflict},
			{"email in other case", catalog.User{Username: "bob", Email: "alice@EXAMPLE.COM"}, "email", wantConflict},
			{"blank username", catalog.User{Username: "", Email: "b@example.com"}, "username", wantInvalid},
			{"blank email", catalog.User{Username: "bob", Email: ""}, "email", wantInvalid},
			{"missing avatar", catalog.User{Username: "bob", Email: "b@example.com", AvatarFileID: &missing}, "avatar_file_id", wantInvalid},
		}
		for _, c := range cases {
			u := c.user
			u.PasswordHash = secretHash
			err := s.CreateUser(ctx, &u)
			if err != nil && strings.Contains(err.Error(), "SECRETHASHVALUE") {
				t.Errorf("CreateUser(%s) error %q shows the password hash", c.name, err)
			}
			c.check(t, err, c.field)
		}
		if l, err := s.ListUsers(ctx, catalog.UserFilter{}); err != nil || l.Total != 1 {
			t.Errorf("users after the rejected creates = %d, %v; want 1", l.Total, err)
		}

		b := fixtureUser(t, s, "bob")
		upd := []struct {
			name  string
			upd   catalog.UserUpdate
			field string
			check func(*testing.T, error, string)
		}{
			{"taken username", catalog.UserUpdate{Username: ptr("ALICE")}, "username", wantConflict},
			{"taken email", catalog.UserUpdate{Email: ptr("alice@example.COM"), PasswordHash: ptr(secretHash)}, "email", wantConflict},
			{"blank username", catalog.UserUpdate{Username: ptr("")}, "username", wantInvalid},
			{"missing avatar", catalog.UserUpdate{AvatarFileID: catalog.Set(missing)}, "avatar_file_id", wantInvalid},
		}
		for _, c := range upd {
			_, err := s.UpdateUser(ctx, b.ID, c.upd)
			if err != nil && strings.Contains(err.Error(), "SECRETHASHVALUE") {
				t.Errorf("UpdateUser(%s) error %q shows the password hash", c.name, err)
			}
			c.check(t, err, c.field)
		}
		if got, err := s.UserByID(ctx, b.ID); err != nil || !reflect.DeepEqual(got, b) {
			t.Errorf("user after rejected updates = %s, %v; want %s", asJSON(got), err, asJSON(b))
		}
	})
}

func TestUserByLoginPrefersUsername(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		byEmail := &catalog.User{Username: "carol", Email: "dave@example.com", PasswordHash: "h"}
		byName := &catalog.User{Username: "Dave@Example.com", Email: "other@example.com", PasswordHash: "h"}
		for _, u := range []*catalog.User{byEmail, byName} {
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.UserByLogin(ctx, "DAVE@example.com"); err != nil || got.ID != byName.ID {
			t.Errorf("UserByLogin(DAVE@example.com) = %s, %v; want user %d, whose username it is", asJSON(got), err, byName.ID)
		}
		if got, err := s.UserByLogin(ctx, "carol"); err != nil || got.ID != byEmail.ID {
			t.Errorf("UserByLogin(carol) = %s, %v; want user %d", asJSON(got), err, byEmail.ID)
		}
	})
}

func TestListUsers(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		var want []int64
		for _, name := range []string{"zoe", "adam", "Mia", "bo", "kim"} {
			want = append(want, fixtureUser(t, s, name).ID)
		}
		got := pageThrough(t, 5, func(p catalog.Page) ([]int64, int, error) {
			l, err := s.ListUsers(context.Background(), catalog.UserFilter{Page: p})
			return idsOf(l, err, func(u catalog.User) int64 { return u.ID })
		})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("listed ids %v; want %v (by id)", got, want)
		}
	})
}
