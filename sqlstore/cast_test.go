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

func wantCastMember(t *testing.T, what string, got, want *catalog.CastMember) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil; want %+v", what, want)
	} else if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %+v (person %s);\nwant %+v (person %s)",
			what, got, deref(got.PersonID), want, deref(want.PersonID))
	}
}

func TestCastCRUD(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "Alien")
		ripley := fixtureCharacter(t, s, "Ripley", catalog.RoleLeading)
		jones := fixtureCharacter(t, s, "Jones", catalog.RoleBackground)
		weaver, other := fixturePerson(t, s, "Sigourney", "Weaver"), fixturePerson(t, s, "Someone", "Else")

		created := clk.Now()
		cm := &catalog.CastMember{MovieID: m.ID, CharacterID: ripley.ID, PersonID: &weaver.ID}
		if err := s.AddCastMember(ctx, cm); err != nil {
			t.Fatalf("AddCastMember: %v", err)
		}
		want := &catalog.CastMember{MovieID: m.ID, CharacterID: ripley.ID, PersonID: &weaver.ID, CreatedAt: created, UpdatedAt: created}
		wantCastMember(t, "added cast member", cm, want)
		got, err := s.CastMemberByID(ctx, m.ID, ripley.ID)
		if err != nil {
			t.Fatalf("CastMemberByID: %v", err)
		}
		wantCastMember(t, "CastMemberByID", got, want)

		// Played by nobody known.
		nobody := &catalog.CastMember{MovieID: m.ID, CharacterID: jones.ID}
		if err := s.AddCastMember(ctx, nobody); err != nil {
			t.Fatalf("AddCastMember(no person): %v", err)
		}
		wantCastMember(t, "cast member played by nobody", nobody,
			&catalog.CastMember{MovieID: m.ID, CharacterID: jones.ID, CreatedAt: created, UpdatedAt: created})

		wantConflict(t, s.AddCastMember(ctx, &catalog.CastMember{MovieID: m.ID, CharacterID: ripley.ID, PersonID: &other.ID}), "character_id")
		wantConflict(t, s.AddCastMember(ctx, &catalog.CastMember{MovieID: m.ID, CharacterID: jones.ID}), "character_id")
		bad := int64(9999)
		wantInvalid(t, s.AddCastMember(ctx, &catalog.CastMember{MovieID: bad, CharacterID: ripley.ID}), "movie_id")
		wantInvalid(t, s.AddCastMember(ctx, &catalog.CastMember{MovieID: m.ID, CharacterID: bad}), "character_id")
		m2 := fixtureMovie(t, s, "Aliens")
		wantInvalid(t, s.AddCastMember(ctx, &catalog.CastMember{MovieID: m2.ID, CharacterID: ripley.ID, PersonID: &bad}), "person_id")
		if cast, err := s.ListCast(ctx, m2.ID); err != nil || len(cast) != 0 {
			t.Errorf("cast of Aliens after failed adds = %+v, %v; want empty", cast, err)
		}
		got, _ = s.CastMemberByID(ctx, m.ID, ripley.ID)
		wantCastMember(t, "cast member after a failed duplicate", got, want)

		// Change the actor, clear it, set it again.
		clk.Advance(time.Minute)
		upd, err := s.UpdateCastMember(ctx, m.ID, ripley.ID, catalog.CastUpdate{PersonID: catalog.Set(other.ID)})
		if err != nil {
			t.Fatalf("UpdateCastMember: %v", err)
		}
		want = &catalog.CastMember{MovieID: m.ID, CharacterID: ripley.ID, PersonID: &other.ID, CreatedAt: created, UpdatedAt: clk.Now()}
		wantCastMember(t, "UpdateCastMember (change)", upd, want)

		clk.Advance(time.Minute)
		upd, err = s.UpdateCastMember(ctx, m.ID, ripley.ID, catalog.CastUpdate{PersonID: catalog.Clear[int64]()})
		if err != nil {
			t.Fatalf("UpdateCastMember (clear): %v", err)
		}
		want = &catalog.CastMember{MovieID: m.ID, CharacterID: ripley.ID, CreatedAt: created, UpdatedAt: clk.Now()}
		wantCastMember(t, "UpdateCastMember (clear)", upd, want)
		got, _ = s.CastMemberByID(ctx, m.ID, ripley.ID)
		wantCastMember(t, "CastMemberByID after clearing", got, want)

		clk.Advance(time.Minute)
		upd, err = s.UpdateCastMember(ctx, m.ID, ripley.ID, catalog.CastUpdate{PersonID: catalog.Set(weaver.ID)})
		if err != nil {
			t.Fatalf("UpdateCastMember (set): %v", err)
		}
		want = &catalog.CastMember{MovieID: m.ID, CharacterID: ripley.ID, PersonID: &weaver.ID, CreatedAt: created, UpdatedAt: clk.Now()}
		wantCastMember(t, "UpdateCastMember (set)", upd, want)

		clk.Advance(time.Minute)
		upd, err = s.UpdateCastMember(ctx, m.ID, ripley.ID, catalog.CastUpdate{})
		if err != nil {
			t.Fatalf("empty UpdateCastMember: %v", err)
		}
		want.UpdatedAt = clk.Now()
		wantCastMember(t, "empty UpdateCastMember", upd, want)

		_, err = s.UpdateCastMember(ctx, m.ID, ripley.ID, catalog.CastUpdate{PersonID: catalog.Set(bad)})
		wantInvalid(t, err, "person_id")
		_, err = s.UpdateCastMember(ctx, m2.ID, ripley.ID, catalog.CastUpdate{PersonID: catalog.Set(weaver.ID)})
		wantNotFound(t, err)
		_, err = s.CastMemberByID(ctx, m2.ID, ripley.ID)
		wantNotFound(t, err)
		got, _ = s.CastMemberByID(ctx, m.ID, ripley.ID)
		wantCastMember(t, "cast member after failed updates", got, want)

		if err := s.RemoveCastMember(ctx, m.ID, ripley.ID); err != nil {
			t.Fatalf("RemoveCastMember: %v", err)
		}
		_, err = s.CastMemberByID(ctx, m.ID, ripley.ID)
		wantNotFound(t, err)
		wantNotFound(t, s.RemoveCastMember(ctx, m.ID, ripley.ID))
		if _, err := s.CharacterByID(ctx, ripley.ID); err != nil {
			t.Errorf("character after RemoveCastMember: %v", err)
		}
		cast, err := s.ListCast(ctx, m.ID)
		if err != nil || len(cast) != 1 || cast[0].CharacterID != jones.ID {
			t.Errorf("ListCast after remove = %+v, %v; want Jones only", cast, err)
		}
	})
}

func TestListCastOrder(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "Star Wars")
		cast, err := s.ListCast(ctx, m.ID)
		if err != nil || cast == nil || len(cast) != 0 {
			t.Errorf("ListCast of a movie without cast = %#v, %v; want empty, non-nil", cast, err)
		}
		_, err = s.ListCast(ctx, 9999)
		wantNotFound(t, err)

		// Added in an order that is none of the expected ones.
		ids := map[string]int64{}
		for _, c := range []struct{ name, role string }{
			{"Stormtrooper", catalog.RoleBackground},
			{"obi-Wan", catalog.RoleSupporting},
			{"Luke", catalog.RoleLeading},
			{"Cantina band", catalog.RoleBackground},
			{"Han", catalog.RoleLeading},
			{"Obi-Wan", catalog.RoleSupporting},
			{"Leia", catalog.RoleLeading},
			{"Biggs", catalog.RoleSupporting},
		} {
			ch := fixtureCharacter(t, s, c.name, c.role)
			ids[c.name] = ch.ID
			if err := s.AddCastMember(ctx, &catalog.CastMember{MovieID: m.ID, CharacterID: ch.ID}); err != nil {
				t.Fatal(err)
			}
		}
		cast, err = s.ListCast(ctx, m.ID)
		if err != nil {
			t.Fatalf("ListCast: %v", err)
		}
		names := map[int64]string{}
		for n, id := range ids {
			names[id] = n
		}
		var got []string
		for _, cm := range cast {
			if cm.MovieID != m.ID {
				t.Errorf("cast member %+v of another movie", cm)
			}
			got = append(got, names[cm.CharacterID])
		}
		want := []string{"Han", "Leia", "Luke", "Biggs", "obi-Wan", "Obi-Wan", "Cantina band", "Stormtrooper"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ListCast order = %q; want %q", got, want)
		}
	})
}

func TestCreateCharacterInCast(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "Alien")
		weaver := fixturePerson(t, s, "Sigourney", "Weaver")

		ch := &catalog.Character{Name: "Ripley", Description: ptr("Warrant officer"), Role: catalog.RoleLeading}
		cm, err := s.CreateCharacterInCast(ctx, m.ID, ch, &weaver.ID)
		if err != nil {
			t.Fatalf("CreateCharacterInCast: %v", err)
		}
		now := clk.Now()
		wantCharacter(t, "created character", ch, &catalog.Character{
			ID: ch.ID, Name: "Ripley", Description: ptr("Warrant officer"), Role: catalog.RoleLeading, CreatedAt: now, UpdatedAt: now,
		})
		if ch.ID == 0 {
			t.Fatal("created character has no id")
		}
		want := &catalog.CastMember{MovieID: m.ID, CharacterID: ch.ID, PersonID: &weaver.ID, CreatedAt: now, UpdatedAt: now}
		wantCastMember(t, "CreateCharacterInCast", cm, want)
		got, err := s.CastMemberByID(ctx, m.ID, ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantCastMember(t, "CastMemberByID", got, want)
		stored, err := s.CharacterByID(ctx, ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantCharacter(t, "CharacterByID", stored, ch)

		jones := &catalog.Character{Name: "Jones", Role: catalog.RoleBackground}
		cm, err = s.CreateCharacterInCast(ctx, m.ID, jones, nil)
		if err != nil {
			t.Fatalf("CreateCharacterInCast(no person): %v", err)
		}
		if cm.PersonID != nil || cm.CharacterID != jones.ID {
			t.Errorf("CreateCharacterInCast(no person) = %+v; want character %d, no person", cm, jones.ID)
		}

		// Nothing is left behind when any part fails.
		bad := int64(9999)
		for _, tc := range []struct {
			name    string
			movieID int64
			ch      catalog.Character
			person  *int64
			field   string
		}{
			{"unknown person", m.ID, catalog.Character{Name: "Ash", Role: catalog.RoleSupporting}, &bad, "person_id"},
			{"unknown movie", bad, catalog.Character{Name: "Ash", Role: catalog.RoleSupporting}, &weaver.ID, "movie_id"},
			{"bad role", m.ID, catalog.Character{Name: "Ash", Role: "android"}, &weaver.ID, "role"},
			{"blank name", m.ID, catalog.Character{Name: " ", Role: catalog.RoleSupporting}, nil, "name"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ch := tc.ch
				cm, err := s.CreateCharacterInCast(ctx, tc.movieID, &ch, tc.person)
				wantInvalid(t, err, tc.field)
				if cm != nil || ch.ID != 0 {
					t.Errorf("CreateCharacterInCast = %+v, character id %d; want nil, 0", cm, ch.ID)
				}
			})
		}
		chars, err := s.ListCharacters(ctx, catalog.CharacterFilter{})
		if err != nil || chars.Total != 2 {
			t.Errorf("characters after failed creates: total %d, %v; want 2 (Ripley, Jones)", chars.Total, err)
		}
		cast, err := s.ListCast(ctx, m.ID)
		if err != nil || len(cast) != 2 {
			t.Errorf("cast after failed creates = %+v, %v; want 2 members", cast, err)
		}
	})
}

func TestDeleteActorKeepsCastRow(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "Alien")
		ch := fixtureCharacter(t, s, "Ripley", catalog.RoleLeading)
		p := fixturePerson(t, s, "Sigourney", "Weaver")
		if err := s.AddCastMember(ctx, &catalog.CastMember{MovieID: m.ID, CharacterID: ch.ID, PersonID: &p.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePerson(ctx, p.ID); err != nil {
			t.Fatalf("DeletePerson: %v", err)
		}
		got, err := s.CastMemberByID(ctx, m.ID, ch.ID)
		if err != nil || got.PersonID != nil {
			t.Errorf("cast member after its actor is deleted = %+v, %v; want played by nobody", got, err)
		}
	})
}
