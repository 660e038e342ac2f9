package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

func hashOf(c byte) string { return strings.Repeat(string(c), 64) }

func TestTokens(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := fixtureUser(t, s, "ripley")
		tok := &catalog.Token{Hash: hashOf('a'), UserID: u.ID, ExpiresAt: clk.Now().Add(time.Hour)}
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		got, gotTok, err := s.UserByToken(ctx, tok.Hash)
		if err != nil || got.ID != u.ID || gotTok.UserID != u.ID || !gotTok.ExpiresAt.Equal(tok.ExpiresAt) {
			t.Fatalf("UserByToken = %+v, %+v, %v; want user %d", got, gotTok, err, u.ID)
		}
		if gotTok.LastUsedAt == nil || !gotTok.LastUsedAt.Equal(clk.Now()) {
			t.Errorf("last used = %v; want %v", gotTok.LastUsedAt, clk.Now())
		}
		_, _, err = s.UserByToken(ctx, hashOf('b'))
		wantNotFound(t, err)

		// Expiry: a token is dead from its expiry on.
		clk.Advance(time.Hour)
		_, _, err = s.UserByToken(ctx, tok.Hash)
		wantNotFound(t, err)

		// Creating a token sweeps expired ones away.
		fresh := &catalog.Token{Hash: hashOf('c'), UserID: u.ID, ExpiresAt: clk.Now().Add(time.Hour)}
		if err := s.CreateToken(ctx, fresh); err != nil {
			t.Fatal(err)
		}
		if removed, _ := s.RevokeToken(ctx, tok.Hash); removed {
			t.Error("expired token still stored after CreateToken")
		}

		if removed, err := s.RevokeToken(ctx, fresh.Hash); err != nil || !removed {
			t.Errorf("RevokeToken = %v, %v; want true", removed, err)
		}
		_, _, err = s.UserByToken(ctx, fresh.Hash)
		wantNotFound(t, err)

		wantInvalid(t, s.CreateToken(ctx, &catalog.Token{Hash: hashOf('d'), UserID: 999, ExpiresAt: clk.Now().Add(time.Hour)}), "user_id")
		err = s.CreateToken(ctx, &catalog.Token{Hash: "short", UserID: u.ID, ExpiresAt: clk.Now().Add(time.Hour)})
		if err == nil {
			t.Error("CreateToken with a malformed hash = nil error")
		}
	})
}

func TestRevokeUserTokens(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u, other := fixtureUser(t, s, "ripley"), fixtureUser(t, s, "dallas")
		exp := clk.Now().Add(time.Hour)
		for i, owner := range []int64{u.ID, u.ID, u.ID, other.ID} {
			if err := s.CreateToken(ctx, &catalog.Token{Hash: hashOf(byte('a' + i)), UserID: owner, ExpiresAt: exp}); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.RevokeUserTokens(ctx, u.ID, hashOf('a'))
		if err != nil || n != 2 {
			t.Fatalf("RevokeUserTokens = %d, %v; want 2", n, err)
		}
		if _, _, err := s.UserByToken(ctx, hashOf('a')); err != nil {
			t.Errorf("kept token: %v", err)
		}
		for _, gone := range []byte{'b', 'c'} {
			_, _, err := s.UserByToken(ctx, hashOf(gone))
			wantNotFound(t, err)
		}
		if _, _, err := s.UserByToken(ctx, hashOf('d')); err != nil {
			t.Errorf("another user's token was revoked: %v", err)
		}
		// Deleting the user deletes their tokens.
		if err := s.DeleteUser(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.UserByToken(ctx, hashOf('d'))
		wantNotFound(t, err)
	})
}

func TestUserRoles(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if exists, err := s.AdminExists(ctx); err != nil || exists {
			t.Fatalf("AdminExists on no users = %v, %v", exists, err)
		}
		u := fixtureUser(t, s, "ripley")
		if u.Role != catalog.UserRole || u.IsAdmin() {
			t.Errorf("new user role = %q; want %q", u.Role, catalog.UserRole)
		}
		admin := &catalog.User{Username: "ash", Email: "ash@example.com", PasswordHash: "h", Role: catalog.AdminRole}
		if err := s.CreateUser(ctx, admin); err != nil || !admin.IsAdmin() {
			t.Fatalf("CreateUser(admin) = %+v, %v", admin, err)
		}
		if exists, err := s.AdminExists(ctx); err != nil || !exists {
			t.Errorf("AdminExists = %v, %v; want true", exists, err)
		}
		up, err := s.UpdateUser(ctx, u.ID, catalog.UserUpdate{Role: ptr(catalog.AdminRole)})
		if err != nil || !up.IsAdmin() {
			t.Errorf("UpdateUser(role admin) = %+v, %v", up, err)
		}
		_, err = s.UpdateUser(ctx, u.ID, catalog.UserUpdate{Role: ptr("root")})
		wantInvalid(t, err, "role")
	})
}

func TestFavoriteMoviesAndReport(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u, v, none := fixtureUser(t, s, "ripley"), fixtureUser(t, s, "dallas"), fixtureUser(t, s, "lambert")

		director := fixturePerson(t, s, "Ridley", "Scott")
		headshot, poster := fixtureFile(t, s, "photos/ridley"), fixtureFile(t, s, "posters/alien")
		if _, err := s.AddPersonPhoto(ctx, director.ID, headshot.ID, true); err != nil {
			t.Fatal(err)
		}
		alien := &catalog.Movie{Title: "Alien", DirectorID: &director.ID, PosterFileID: &poster.ID}
		if err := s.CreateMovie(ctx, alien); err != nil {
			t.Fatal(err)
		}
		bare := fixtureMovie(t, s, "Bare")
		for _, fav := range []struct{ user, movie int64 }{{u.ID, alien.ID}, {u.ID, bare.ID}, {v.ID, bare.ID}} {
			clk.Advance(time.Second)
			if _, err := s.AddFavorite(ctx, fav.user, fav.movie); err != nil {
				t.Fatal(err)
			}
		}

		l, err := s.ListFavoriteMovies(ctx, u.ID, catalog.Page{})
		if err != nil || l.Total != 2 || len(l.Items) != 2 {
			t.Fatalf("ListFavoriteMovies = %+v, %v; want 2 movies", l, err)
		}
		newest, oldest := l.Items[0], l.Items[1]
		if newest.ID != bare.ID || newest.Poster != nil || newest.Director != nil {
			t.Errorf("newest favorite = %s; want Bare without poster or director", asJSON(newest))
		}
		if oldest.ID != alien.ID || oldest.Title != "Alien" || oldest.Poster == nil || oldest.Poster.Key != poster.Key ||
			oldest.Director == nil || oldest.Director.LastName != "Scott" ||
			oldest.Director.Photo == nil || oldest.Director.Photo.ID != headshot.ID {
			t.Errorf("oldest favorite = %s; want Alien with poster, director and photo", asJSON(oldest))
		}
		empty, err := s.ListFavoriteMovies(ctx, none.ID, catalog.Page{})
		if err != nil || empty.Total != 0 || len(empty.Items) != 0 || empty.Items == nil {
			t.Errorf("ListFavoriteMovies(no favorites) = %+v, %v", empty, err)
		}

		r, err := s.UserFavoritesReport(ctx, catalog.Page{})
		if err != nil || r.Total != 3 {
			t.Fatalf("UserFavoritesReport = %+v, %v", r, err)
		}
		want := []catalog.UserFavorites{
			{ID: u.ID, Username: "ripley", FavoriteMovieIDs: []int64{alien.ID, bare.ID}},
			{ID: v.ID, Username: "dallas", FavoriteMovieIDs: []int64{bare.ID}},
			{ID: none.ID, Username: "lambert", FavoriteMovieIDs: []int64{}},
		}
		if asJSON(r.Items) != asJSON(want) {
			t.Errorf("report = %s; want %s", asJSON(r.Items), asJSON(want))
		}
		page2, err := s.UserFavoritesReport(ctx, catalog.Page{Number: 2, Size: 2})
		if err != nil || page2.Total != 3 || len(page2.Items) != 1 || page2.Items[0].ID != none.ID {
			t.Errorf("report page 2 = %+v, %v", page2, err)
		}
	})
}

// TestSetUserPassword checks a new password replaces the hash and revokes
// every token of its user, and only theirs.
func TestSetUserPassword(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		ripley, dallas := fixtureUser(t, s, "ripley"), fixtureUser(t, s, "dallas")
		for _, tok := range []catalog.Token{{Hash: hashOf('a'), UserID: ripley.ID}, {Hash: hashOf('b'), UserID: ripley.ID},
			{Hash: hashOf('c'), UserID: dallas.ID}} {
			tok.ExpiresAt = clk.Now().Add(time.Hour)
			if err := s.CreateToken(ctx, &tok); err != nil {
				t.Fatal(err)
			}
		}
		clk.Advance(time.Minute)
		revoked, err := s.SetUserPassword(ctx, ripley.ID, "$argon2id$v=19$new-hash")
		if err != nil || revoked != 2 {
			t.Fatalf("SetUserPassword = %d, %v; want 2 tokens revoked", revoked, err)
		}
		u, err := s.UserByID(ctx, ripley.ID)
		if err != nil || u.PasswordHash != "$argon2id$v=19$new-hash" || !u.UpdatedAt.Equal(clk.Now()) {
			t.Errorf("after SetUserPassword, ripley = %+v, %v; want the new hash, updated now", u, err)
		}
		for _, h := range []string{hashOf('a'), hashOf('b')} {
			_, _, err := s.UserByToken(ctx, h)
			wantNotFound(t, err)
		}
		if u, _, err := s.UserByToken(ctx, hashOf('c')); err != nil || u.ID != dallas.ID {
			t.Errorf("dallas's token after ripley's new password = %+v, %v; want it alive", u, err)
		}
		if d, err := s.UserByID(ctx, dallas.ID); err != nil || d.PasswordHash != dallas.PasswordHash {
			t.Errorf("dallas after ripley's new password = %+v, %v; want unchanged", d, err)
		}

		_, err = s.SetUserPassword(ctx, 999, "$argon2id$v=19$other")
		wantNotFound(t, err)
	})
}
