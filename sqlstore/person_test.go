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

func TestPersonCRUD(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		uk := &catalog.Country{Name: "United Kingdom"}
		us := &catalog.Country{Name: "United States"}
		for _, c := range []*catalog.Country{uk, us} {
			if err := s.CreateCountry(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		born := catalog.Date{Year: 1949, Month: time.October, Day: 8}
		p := &catalog.Person{FirstName: "Sigourney", LastName: "Weaver", Biography: ptr("Played Ripley."),
			DateOfBirth: &born, Gender: ptr(catalog.GenderFemale), CountryID: &us.ID}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatalf("CreatePerson: %v", err)
		}
		created := clk.Now()
		want := catalog.Person{ID: p.ID, FirstName: "Sigourney", LastName: "Weaver", Biography: ptr("Played Ripley."),
			DateOfBirth: &born, Gender: ptr("female"), CountryID: &us.ID, CreatedAt: created, UpdatedAt: created}
		if p.ID == 0 || !reflect.DeepEqual(*p, want) {
			t.Fatalf("created person = %s; want %s", asJSON(p), asJSON(want))
		}
		if got, err := s.PersonByID(ctx, p.ID); err != nil || !reflect.DeepEqual(*got, want) {
			t.Errorf("PersonByID(%d) = %s, %v; want %s", p.ID, asJSON(got), err, asJSON(want))
		}

		// A person with nothing but a first name.
		bare := &catalog.Person{FirstName: "Cher"}
		if err := s.CreatePerson(ctx, bare); err != nil {
			t.Fatal(err)
		}
		wantBare := catalog.Person{ID: bare.ID, FirstName: "Cher", CreatedAt: created, UpdatedAt: created}
		if got, err := s.PersonByID(ctx, bare.ID); err != nil || !reflect.DeepEqual(*got, wantBare) {
			t.Errorf("PersonByID(%d) = %s, %v; want %s", bare.ID, asJSON(got), err, asJSON(wantBare))
		}

		// Each kind of change: set, clear, leave alone.
		steps := []struct {
			name   string
			upd    catalog.PersonUpdate
			change func(p *catalog.Person)
		}{
			{"names", catalog.PersonUpdate{FirstName: ptr("Susan"), LastName: ptr("Weaver-Simpson")},
				func(p *catalog.Person) { p.FirstName, p.LastName = "Susan", "Weaver-Simpson" }},
			{"clear biography", catalog.PersonUpdate{Biography: catalog.Clear[string]()},
				func(p *catalog.Person) { p.Biography = nil }},
			{"set biography", catalog.PersonUpdate{Biography: catalog.Set("Actor.")},
				func(p *catalog.Person) { p.Biography = ptr("Actor.") }},
			{"move date of birth", catalog.PersonUpdate{DateOfBirth: catalog.Set(catalog.Date{Year: 2000, Month: time.February, Day: 29})},
				func(p *catalog.Person) { p.DateOfBirth = &catalog.Date{Year: 2000, Month: time.February, Day: 29} }},
			{"clear date of birth and gender", catalog.PersonUpdate{DateOfBirth: catalog.Clear[catalog.Date](), Gender: catalog.Clear[string]()},
				func(p *catalog.Person) { p.DateOfBirth, p.Gender = nil, nil }},
			{"set gender", catalog.PersonUpdate{Gender: catalog.Set(catalog.GenderNonBinary)},
				func(p *catalog.Person) { p.Gender = ptr("non-binary") }},
			{"move country", catalog.PersonUpdate{CountryID: catalog.Set(uk.ID)},
				func(p *catalog.Person) { p.CountryID = &uk.ID }},
			{"clear country", catalog.PersonUpdate{CountryID: catalog.Clear[int64]()},
				func(p *catalog.Person) { p.CountryID = nil }},
			{"nothing", catalog.PersonUpdate{}, func(p *catalog.Person) {}},
		}
		for _, step := range steps {
			clk.Advance(time.Minute)
			step.change(&want)
			want.UpdatedAt = clk.Now()
			got, err := s.UpdatePerson(ctx, p.ID, step.upd)
			if err != nil {
				t.Fatalf("UpdatePerson(%s): %v", step.name, err)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("UpdatePerson(%s) = %s; want %s", step.name, asJSON(got), asJSON(want))
			}
			if got, err := s.PersonByID(ctx, p.ID); err != nil || !reflect.DeepEqual(*got, want) {
				t.Errorf("PersonByID after %s = %s, %v; want %s", step.name, asJSON(got), err, asJSON(want))
			}
		}
		if got, err := s.PersonByID(ctx, bare.ID); err != nil || !reflect.DeepEqual(*got, wantBare) {
			t.Errorf("other person after updates = %s, %v; want %s unchanged", asJSON(got), err, asJSON(wantBare))
		}
		_, err := s.UpdatePerson(ctx, p.ID+100, catalog.PersonUpdate{FirstName: ptr("X")})
		wantNotFound(t, err)

		if err := s.DeletePerson(ctx, p.ID); err != nil {
			t.Fatalf("DeletePerson: %v", err)
		}
		_, err = s.PersonByID(ctx, p.ID)
		wantNotFound(t, err)
		wantNotFound(t, s.DeletePerson(ctx, p.ID))
	})
}

func TestPersonRules(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		missing := int64(777)
		wantInvalid(t, s.CreatePerson(ctx, &catalog.Person{FirstName: "", LastName: "X"}), "first_name")
		wantInvalid(t, s.CreatePerson(ctx, &catalog.Person{FirstName: " \t ", LastName: "X"}), "first_name")
		wantInvalid(t, s.CreatePerson(ctx, &catalog.Person{FirstName: "A", Gender: ptr("robot")}), "gender")
		wantInvalid(t, s.CreatePerson(ctx, &catalog.Person{FirstName: "A", Gender: ptr("Female")}), "gender")
		wantInvalid(t, s.CreatePerson(ctx, &catalog.Person{FirstName: "A", CountryID: &missing}), "country_id")
		wantInvalid(t, s.CreatePerson(ctx, &catalog.Person{FirstName: "A", DateOfBirth: &catalog.Date{Year: 0, Month: 1, Day: 1}}), "date_of_birth")
		wantInvalid(t, s.CreatePerson(ctx, &catalog.Person{FirstName: "A", DateOfBirth: &catalog.Date{Year: 10000, Month: 1, Day: 1}}), "date_of_birth")
		for _, g := range catalog.Genders {
			if err := s.CreatePerson(ctx, &catalog.Person{FirstName: "A", Gender: ptr(g)}); err != nil {
				t.Errorf("CreatePerson with gender %q: %v", g, err)
			}
		}
		if l, err := s.ListPersons(ctx, catalog.PersonFilter{}); err != nil || l.Total != len(catalog.Genders) {
			t.Errorf("persons after the rejected creates = %d, %v; want %d", l.Total, err, len(catalog.Genders))
		}

		p := fixturePerson(t, s, "Ridley", "Scott")
		_, err := s.UpdatePerson(ctx, p.ID, catalog.PersonUpdate{FirstName: ptr(" \n ")})
		wantInvalid(t, err, "first_name")
		_, err = s.UpdatePerson(ctx, p.ID, catalog.PersonUpdate{Gender: catalog.Set("unknown")})
		wantInvalid(t, err, "gender")
		_, err = s.UpdatePerson(ctx, p.ID, catalog.PersonUpdate{CountryID: catalog.Set(missing)})
		wantInvalid(t, err, "country_id")
		_, err = s.UpdatePerson(ctx, p.ID, catalog.PersonUpdate{DateOfBirth: catalog.Set(catalog.Date{Year: 0, Month: 1, Day: 1})})
		wantInvalid(t, err, "date_of_birth")
		if got, err := s.PersonByID(ctx, p.ID); err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("person after rejected updates = %s, %v; want %s", asJSON(got), err, asJSON(p))
		}
	})
}

func TestDeletePersonWhoDirects(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := fixturePerson(t, s, "Ridley", "Scott")
		m1 := &catalog.Movie{Title: "Alien", DirectorID: &p.ID}
		m2 := &catalog.Movie{Title: "Blade Runner", DirectorID: &p.ID}
		for _, m := range []*catalog.Movie{m1, m2} {
			if err := s.CreateMovie(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddPersonPhoto(ctx, p.ID, fixtureFile(t, s, "ridley").ID, true); err != nil {
			t.Fatal(err)
		}

		wantConflict(t, s.DeletePerson(ctx, p.ID), "director_id")
		if got, err := s.PersonByID(ctx, p.ID); err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("person after refused delete = %s, %v; want %s", asJSON(got), err, asJSON(p))
		}
		if photos, err := s.PersonPhotos(ctx, p.ID); err != nil || len(photos) != 1 {
			t.Errorf("photos after refused delete = %v, %v; want 1 photo", photos, err)
		}
		for _, m := range []*catalog.Movie{m1, m2} {
			if got, err := s.MovieByID(ctx, m.ID); err != nil || got.DirectorID == nil || *got.DirectorID != p.ID {
				t.Errorf("movie %q after refused delete = %s, %v; want director %d", m.Title, asJSON(got), err, p.ID)
			}
		}

		// Once no movie names them director, they go.
		if err := s.DeleteMovie(ctx, m1.ID); err != nil {
			t.Fatal(err)
		}
		wantConflict(t, s.DeletePerson(ctx, p.ID), "director_id")
		if _, err := s.UpdateMovie(ctx, m2.ID, catalog.MovieUpdate{DirectorID: catalog.Clear[int64]()}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePerson(ctx, p.ID); err != nil {
			t.Fatalf("DeletePerson after their movies lost them: %v", err)
		}
		_, err := s.PersonByID(ctx, p.ID)
		wantNotFound(t, err)
	})
}

func TestDeletePersonCascades(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		actor := fixturePerson(t, s, "Sigourney", "Weaver")
		other := fixturePerson(t, s, "Tom", "Skerritt")
		f1, f2 := fixtureFile(t, s, "w1"), fixtureFile(t, s, "w2")
		for _, f := range []*catalog.File{f1, f2} {
			if _, err := s.AddPersonPhoto(ctx, actor.ID, f.ID, false); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddPersonPhoto(ctx, other.ID, f1.ID, false); err != nil {
			t.Fatal(err)
		}
		m := &catalog.Movie{Title: "Alien"}
		if err := s.CreateMovie(ctx, m); err != nil {
			t.Fatal(err)
		}
		ripley := &catalog.Character{Name: "Ellen Ripley", Role: catalog.RoleLeading}
		dallas := &catalog.Character{Name: "Dallas", Role: catalog.RoleSupporting}
		for _, c := range []*catalog.Character{ripley, dallas} {
			if err := s.CreateCharacter(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddCastMember(ctx, &catalog.CastMember{MovieID: m.ID, CharacterID: ripley.ID, PersonID: &actor.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCastMember(ctx, &catalog.CastMember{MovieID: m.ID, CharacterID: dallas.ID, PersonID: &other.ID}); err != nil {
			t.Fatal(err)
		}

		if err := s.DeletePerson(ctx, actor.ID); err != nil {
			t.Fatalf("DeletePerson: %v", err)
		}
		_, err := s.PersonPhotos(ctx, actor.ID)
		wantNotFound(t, err)
		for _, f := range []*catalog.File{f1, f2} {
			if _, err := s.FileByID(ctx, f.ID); err != nil {
				t.Errorf("file %d of the deleted person: %v; want it kept", f.ID, err)
			}
		}
		if photos, err := s.PersonPhotos(ctx, other.ID); err != nil || len(photos) != 1 || !photos[0].IsPrimary {
			t.Errorf("other person's photos = %+v, %v; want their one primary photo", photos, err)
		}
		cm, err := s.CastMemberByID(ctx, m.ID, ripley.ID)
		if err != nil || cm.PersonID != nil {
			t.Errorf("cast row of the deleted actor = %s, %v; want it kept with person_id null", asJSON(cm), err)
		}
		cm, err = s.CastMemberByID(ctx, m.ID, dallas.ID)
		if err != nil || cm.PersonID == nil || *cm.PersonID != other.ID {
			t.Errorf("other cast row = %s, %v; want person_id %d", asJSON(cm), err, other.ID)
		}
	})
}

func TestListPersons(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ids := map[string]int64{}
		for _, n := range [][2]string{{"Tom", "skerritt"}, {"Sigourney", "Weaver"}, {"John", "Hurt"},
			{"Veronica", "Cartwright"}, {"Harry Dean", "Stanton"}, {"Ian", "Holm"}, {"bob", "Hurt"}, {"Cher", ""}} {
			ids[n[0]] = fixturePerson(t, s, n[0], n[1]).ID
		}
		got := pageThrough(t, 8, func(p catalog.Page) ([]int64, int, error) {
			l, err := s.ListPersons(context.Background(), catalog.PersonFilter{Page: p})
			return idsOf(l, err, func(p catalog.Person) int64 { return p.ID })
		})
		var want []int64
		for _, first := range []string{"Cher", "Veronica", "Ian", "bob", "John", "Tom", "Harry Dean", "Sigourney"} {
			want = append(want, ids[first])
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("listed ids %v; want %v (by last name, then first name, any case)", got, want)
		}
	})
}
