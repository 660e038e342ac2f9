package sqlstore_test

import (
	"context"
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
