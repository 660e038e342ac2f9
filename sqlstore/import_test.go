package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestImportDetailVersions checks that the import's bulk mode, where the
// links of the movies a batch creates skip the detail-version triggers,
// leaves every detail version right: an imported movie's detail shows its
// links, and once the batch has committed, link writes of both existing
// and imported movies change their versions again.
func TestImportDetailVersions(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		old := fixtureMovie(t, s, "Existing")
		drama := fixtureGenre(t, s, "Drama")
		oldVersion := detailVersion(t, s, old.ID)

		im := s.NewImporter()
		batch := []catalog.ImportMovie{
			{Source: "test", ExternalID: "1", Title: "Imported One", Genres: []string{"drama", "Comedy"},
				Director: &catalog.ImportPerson{FirstName: "Ada", LastName: "Lane"},
				Cast: []catalog.ImportCast{
					{Person: catalog.ImportPerson{FirstName: "Bo", LastName: "Reed"}, Character: "Hero", Role: "leading"},
					{Person: catalog.ImportPerson{FirstName: "Cy", LastName: "Moss"}, Character: "Foe", Role: "supporting"},
				}},
			{Source: "test", ExternalID: "2", Title: "Imported Two", Genres: []string{"Comedy"},
				Cast: []catalog.ImportCast{{Person: catalog.ImportPerson{FirstName: "Bo", LastName: "Reed"}, Character: "Sidekick", Role: "leading"}}},
		}
		st, err := im.ImportMovies(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		if err := im.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if st.Movies.Created != 2 || st.Links != 6 {
			t.Fatalf("ImportMovies = %+v; want 2 movies and 6 links created", st)
		}
		if v := detailVersion(t, s, old.ID); v != oldVersion {
			t.Errorf("version of a movie the import did not touch: %d -> %d", oldVersion, v)
		}

		// The imported movies, by title.
		movies, err := s.ListMovies(ctx, catalog.MovieFilter{Page: catalog.Page{Number: 1, Size: catalog.MaxPageSize}})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]int64{}
		for _, m := range movies.Items {
			ids[m.Title] = m.ID
		}
		one, err := s.MovieDetail(ctx, ids["Imported One"])
		if err != nil {
			t.Fatal(err)
		}
		var genres, cast []string
		for _, g := range one.Genres {
			genres = append(genres, g.Name)
		}
		for _, c := range one.Cast {
			if c.Actor == nil {
				t.Fatalf("cast entry %q without its actor", c.Character.Name)
			}
			cast = append(cast, c.Character.Name+"/"+c.Actor.LastName)
		}
		if one.Director == nil || one.Director.LastName != "Lane" || len(genres) != 2 || genres[0] != "Comedy" || genres[1] != "Drama" ||
			len(cast) != 2 || cast[0] != "Hero/Reed" || cast[1] != "Foe/Moss" {
			t.Errorf("imported detail: director %+v, genres %v, cast %v", one.Director, genres, cast)
		}
		if one.Version != detailVersion(t, s, one.ID) {
			t.Errorf("imported detail version %d, MovieDetailVersion %d", one.Version, detailVersion(t, s, one.ID))
		}

		// Outside the import's transaction, link writes bump as ever: of
		// the movie that existed and of one the import made.
		for _, id := range []int64{old.ID, ids["Imported Two"]} {
			before := detailVersion(t, s, id)
			if _, err := s.AddMovieGenre(ctx, id, drama.ID); err != nil {
				t.Fatal(err)
			}
			afterGenre := detailVersion(t, s, id)
			if afterGenre == before {
				t.Errorf("movie %d: version unchanged by a new genre link", id)
			}
			actor := fixturePerson(t, s, "Di", "Vale")
			if _, err := s.CreateCharacterInCast(ctx, id, &catalog.Character{Name: "Guard", Role: "background"}, &actor.ID); err != nil {
				t.Fatal(err)
			}
			if v := detailVersion(t, s, id); v == afterGenre {
				t.Errorf("movie %d: version unchanged by a new cast member", id)
			}
		}

		// A second import of other movies, after the first, still leaves
		// the first ones' links bumping.
		if _, err := im.ImportMovies(ctx, []catalog.ImportMovie{{Source: "test", ExternalID: "3", Title: "Imported Three", Genres: []string{"Drama"}}}); err != nil {
			t.Fatal(err)
		}
		before := detailVersion(t, s, ids["Imported One"])
		if removed, err := s.RemoveMovieGenre(ctx, ids["Imported One"], drama.ID); err != nil || !removed {
			t.Fatalf("RemoveMovieGenre = %v, %v", removed, err)
		}
		if _, err := s.AddMovieGenre(ctx, ids["Imported One"], drama.ID); err != nil {
			t.Fatal(err)
		}
		if v := detailVersion(t, s, ids["Imported One"]); v == before {
			t.Errorf("imported movie: version unchanged by genre writes after a later import")
		}
	})
}

// TestImportMatchesNamesakesByName checks resolvePersons' name matching
// as an import goes on: a person the source does not know by an id is
// found by name, whether it was there before the import or created by
// another writer between two batches, while the source's own persons are
// never matched by name (namesakes with different ids stay apart), also
// once the importer has skipped the lookup because every person had a
// source id.
func TestImportMatchesNamesakesByName(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		im := s.NewImporter()
		defer im.Close(ctx)
		n := 0
		importCast := func(people ...catalog.ImportPerson) catalog.ImportStats {
			t.Helper()
			n++
			m := catalog.ImportMovie{Source: "imdb", ExternalID: fmt.Sprintf("tt%d", n), Title: fmt.Sprintf("Movie %d", n)}
			for _, p := range people {
				m.Cast = append(m.Cast, catalog.ImportCast{Person: p, Character: "Someone", Role: "leading"})
			}
			st, err := im.ImportMovies(ctx, []catalog.ImportMovie{m})
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		person := func(first, last string) *catalog.Person {
			t.Helper()
			p := &catalog.Person{FirstName: first, LastName: last}
			if err := s.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		check := func(step string, st catalog.ImportStats, created, matched int) {
			t.Helper()
			if st.Persons.Created != created || st.Persons.Matched != matched {
				t.Errorf("%s: persons %+v; want %d created, %d matched", step, st.Persons, created, matched)
			}
		}
		castOf := func(title string) int64 {
			t.Helper()
			movies, err := s.ListMovies(ctx, catalog.MovieFilter{Page: catalog.Page{Number: 1, Size: catalog.MaxPageSize}})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range movies.Items {
				if m.Title != title {
					continue
				}
				d, err := s.MovieDetail(ctx, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(d.Cast) != 1 || d.Cast[0].Actor == nil {
					t.Fatalf("%s: cast %+v; want one actor", title, d.Cast)
				}
				return d.Cast[0].Actor.ID
			}
			t.Fatalf("no movie %q", title)
			return 0
		}
		before := person("Ann", "Lee")
		check("a person there before", importCast(catalog.ImportPerson{FirstName: "ann", LastName: "LEE", ExternalID: "nm1"}), 0, 1)
		if got := castOf("Movie 1"); got != before.ID {
			t.Errorf("Movie 1 is played by person %d; want %d, found by name", got, before.ID)
		}
		check("only the source's persons", importCast(catalog.ImportPerson{FirstName: "Bo", LastName: "Reed", ExternalID: "nm2"}), 1, 0)
		check("a namesake of a person the source knows", importCast(catalog.ImportPerson{FirstName: "Bo", LastName: "Reed", ExternalID: "nm3"}), 1, 0)
		between := person("Cy", "Moss")
		check("a person created between batches", importCast(catalog.ImportPerson{FirstName: "Cy", LastName: "Moss", ExternalID: "nm4"}), 0, 1)
		if got := castOf("Movie 4"); got != between.ID {
			t.Errorf("Movie 4 is played by person %d; want %d, found by name", got, between.ID)
		}
		check("again only the source's persons", importCast(catalog.ImportPerson{FirstName: "Cy", LastName: "Moss", ExternalID: "nm5"}), 1, 0)
	})
}

// TestImportNormalizesNames checks that an import stores names in the
// catalog's form, as the API does, and matches existing genres,
// countries and persons by it: " action " is the genre Action, not a
// second one.
func TestImportNormalizesNames(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		t.Parallel()
		ctx := context.Background()
		action := fixtureGenre(t, s, "Action")
		france := fixtureCountry(t, s, "France")
		scott := fixturePerson(t, s, "Ridley", "Scott")

		im := s.NewImporter()
		st, err := im.ImportMovies(ctx, []catalog.ImportMovie{{
			Source: "test", ExternalID: "1", Title: "  The   Duellists ",
			Genres:   []string{" action", "Sci \t Fi", "  "},
			Country:  "\u00a0france ",
			Director: &catalog.ImportPerson{FirstName: " Ridley ", LastName: "Scott  "},
			Cast: []catalog.ImportCast{{Person: catalog.ImportPerson{FirstName: "Keith", LastName: "  Carradine"},
				Character: " Armand  d'Hubert ", Role: catalog.RoleLeading}},
		}, {
			Source: "test", ExternalID: "2", Title: "Nashville", Genres: []string{"sci fi"},
			Cast: []catalog.ImportCast{{Person: catalog.ImportPerson{FirstName: "Keith ", LastName: "Carradine"},
				Character: "Tom", Role: catalog.RoleLeading}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if err := im.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if st.Genres.Created != 1 || st.Countries.Created != 0 || st.Persons.Created != 1 {
			t.Errorf("ImportMovies = %+v; want one genre (Sci Fi) and one person (Keith Carradine) created, the rest matched", st)
		}
		movies, err := s.ListMovies(ctx, catalog.MovieFilter{Page: catalog.Page{Size: 10}})
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		var duellists int64
		for _, m := range movies.Items {
			titles = append(titles, m.Title)
			if m.Title == "The Duellists" {
				duellists = m.ID
			}
		}
		if duellists == 0 {
			t.Fatalf("imported titles %q; want The Duellists", titles)
		}
		d, err := s.MovieDetail(ctx, duellists)
		if err != nil {
			t.Fatal(err)
		}
		var genres []string
		for _, g := range d.Genres {
			genres = append(genres, g.Name)
		}
		if len(genres) != 2 || d.Genres[0].ID != action.ID || genres[1] != "Sci Fi" {
			t.Errorf("genres %q; want Action (the existing one) and Sci Fi", genres)
		}
		if d.Country == nil || d.Country.ID != france.ID || d.Director == nil || d.Director.ID != scott.ID {
			t.Errorf("country %+v, director %+v; want the existing France and Ridley Scott", d.Country, d.Director)
		}
		if len(d.Cast) != 1 || d.Cast[0].Character.Name != "Armand d'Hubert" || d.Cast[0].Actor == nil ||
			d.Cast[0].Actor.FirstName != "Keith" || d.Cast[0].Actor.LastName != "Carradine" {
			t.Errorf("cast %+v; want Armand d'Hubert played by Keith Carradine", d.Cast)
		}
		all, err := s.ListGenres(ctx, catalog.GenreFilter{Page: catalog.Page{Size: 10}})
		if err != nil || all.Total != 2 {
			t.Errorf("genres = %+v, %v; want Action and Sci Fi only", all.Items, err)
		}
	})
}
