package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

func fixtureCharacter(t *testing.T, s *sqlstore.Store, name, role string) *catalog.Character {
	t.Helper()
	c := &catalog.Character{Name: name, Role: role}
	if err := s.CreateCharacter(context.Background(), c); err != nil {
		t.Fatalf("CreateCharacter(%q): %v", name, err)
	}
	return c
}

func wantCharacter(t *testing.T, what string, got, want *catalog.Character) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil; want %+v", what, want)
	} else if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %+v (description %s);\nwant %+v (description %s)",
			what, got, deref(got.Description), want, deref(want.Description))
	}
}

func TestCharacterCRUD(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		created := clk.Now()
		c := &catalog.Character{Name: "Ellen Ripley", Description: ptr("Warrant officer"), Role: catalog.RoleLeading}
		if err := s.CreateCharacter(ctx, c); err != nil {
			t.Fatalf("CreateCharacter: %v", err)
		}
		want := &catalog.Character{ID: c.ID, Name: "Ellen Ripley", Description: ptr("Warrant officer"),
			Role: catalog.RoleLeading, CreatedAt: created, UpdatedAt: created}
		if c.ID == 0 {
			t.Fatalf("created character has no id: %+v", c)
		}
		wantCharacter(t, "created character", c, want)
		got, err := s.CharacterByID(ctx, c.ID)
		if err != nil {
			t.Fatalf("CharacterByID(%d): %v", c.ID, err)
		}
		wantCharacter(t, "CharacterByID", got, want)

		clk.Advance(time.Minute)
		upd, err := s.UpdateCharacter(ctx, c.ID, catalog.CharacterUpdate{
			Name: ptr("Ripley"), Description: catalog.Clear[string](), Role: ptr(catalog.RoleSupporting),
		})
		if err != nil {
			t.Fatalf("UpdateCharacter: %v", err)
		}
		want = &catalog.Character{ID: c.ID, Name: "Ripley", Role: catalog.RoleSupporting, CreatedAt: created, UpdatedAt: clk.Now()}
		wantCharacter(t, "UpdateCharacter (clear description)", upd, want)
		got, _ = s.CharacterByID(ctx, c.ID)
		wantCharacter(t, "CharacterByID after update", got, want)

		clk.Advance(time.Minute)
		upd, err = s.UpdateCharacter(ctx, c.ID, catalog.CharacterUpdate{Description: catalog.Set("Clone 8")})
		if err != nil {
			t.Fatalf("UpdateCharacter: %v", err)
		}
		want.Description, want.UpdatedAt = ptr("Clone 8"), clk.Now()
		wantCharacter(t, "UpdateCharacter (set description)", upd, want)

		clk.Advance(time.Minute)
		upd, err = s.UpdateCharacter(ctx, c.ID, catalog.CharacterUpdate{})
		if err != nil {
			t.Fatalf("empty UpdateCharacter: %v", err)
		}
		want.UpdatedAt = clk.Now()
		wantCharacter(t, "empty UpdateCharacter", upd, want)

		wantInvalid(t, s.CreateCharacter(ctx, &catalog.Character{Name: "Bishop", Role: "villain"}), "role")
		wantInvalid(t, s.CreateCharacter(ctx, &catalog.Character{Name: "Bishop", Role: ""}), "role")
		wantInvalid(t, s.CreateCharacter(ctx, &catalog.Character{Name: "  ", Role: catalog.RoleLeading}), "name")
		_, err = s.UpdateCharacter(ctx, c.ID, catalog.CharacterUpdate{Role: ptr("Leading")})
		wantInvalid(t, err, "role")
		_, err = s.UpdateCharacter(ctx, c.ID, catalog.CharacterUpdate{Name: ptr("")})
		wantInvalid(t, err, "name")
		got, _ = s.CharacterByID(ctx, c.ID)
		wantCharacter(t, "character after failed updates", got, want)

		_, err = s.UpdateCharacter(ctx, 9999, catalog.CharacterUpdate{Name: ptr("X")})
		wantNotFound(t, err)
		_, err = s.CharacterByID(ctx, 9999)
		wantNotFound(t, err)

		if err := s.DeleteCharacter(ctx, c.ID); err != nil {
			t.Fatalf("DeleteCharacter: %v", err)
		}
		_, err = s.CharacterByID(ctx, c.ID)
		wantNotFound(t, err)
		wantNotFound(t, s.DeleteCharacter(ctx, c.ID))
	})
}

func TestListCharacters(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		empty, err := s.ListCharacters(ctx, catalog.CharacterFilter{})
		if err != nil || empty.Items == nil || len(empty.Items) != 0 || empty.Total != 0 {
			t.Fatalf("ListCharacters on none = %+v, %v; want an empty page", empty, err)
		}
		ids := map[string]int64{}
		for _, name := range []string{"vader", "Han", "Leia", "han", "Chewbacca"} {
			ids[name] = fixtureCharacter(t, s, name, catalog.RoleSupporting).ID
		}
		got := pageThrough(t, 5, func(p catalog.Page) ([]int64, int, error) {
			l, err := s.ListCharacters(ctx, catalog.CharacterFilter{Page: p})
			return idsOf(l, err, func(c catalog.Character) int64 { return c.ID })
		})
		// Han and han tie on the name without case; the older comes first.
		var want []int64
		for _, name := range []string{"Chewbacca", "Han", "han", "Leia", "vader"} {
			want = append(want, ids[name])
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("listed ids %v; want %v (Chewbacca, Han, han, Leia, vader)", got, want)
		}
	})
}

func TestDeleteCharacterRemovesCastRows(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		alien, aliens := fixtureMovie(t, s, "Alien"), fixtureMovie(t, s, "Aliens")
		ripley := fixtureCharacter(t, s, "Ripley", catalog.RoleLeading)
		hicks := fixtureCharacter(t, s, "Hicks", catalog.RoleSupporting)
		for _, cm := range []catalog.CastMember{
			{MovieID: alien.ID, CharacterID: ripley.ID},
			{MovieID: aliens.ID, CharacterID: ripley.ID},
			{MovieID: aliens.ID, CharacterID: hicks.ID},
		} {
			if err := s.AddCastMember(ctx, &cm); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DeleteCharacter(ctx, ripley.ID); err != nil {
			t.Fatalf("DeleteCharacter: %v", err)
		}
		for _, m := range []int64{alien.ID, aliens.ID} {
			_, err := s.CastMemberByID(ctx, m, ripley.ID)
			wantNotFound(t, err)
		}
		if cast, err := s.ListCast(ctx, alien.ID); err != nil || len(cast) != 0 {
			t.Errorf("cast of Alien = %+v, %v; want empty", cast, err)
		}
		cast, err := s.ListCast(ctx, aliens.ID)
		if err != nil || len(cast) != 1 || cast[0].CharacterID != hicks.ID {
			t.Errorf("cast of Aliens = %+v, %v; want Hicks only", cast, err)
		}
		// The movies stay.
		if _, err := s.MovieByID(ctx, alien.ID); err != nil {
			t.Errorf("movie after DeleteCharacter: %v", err)
		}
	})
}
