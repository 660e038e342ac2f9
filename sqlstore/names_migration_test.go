package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"unicode"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
)

// TestNamesMigration fills a database migrated up to 0017 with names as
// the API stored them before it normalised them, and checks that
// migration 0018 leaves each in the form catalog.NormalizeName gives it,
// except a genre or country name whose form another row has already, and
// a required name that would become empty.
func TestNamesMigration(t *testing.T) {
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := openRawMigrated(t, e, func(s *sqlstore.Store) error { return s.MigrateBelowForTest(ctx, 18) })
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			genre := func(name string) int64 {
				t.Helper()
				g := &catalog.Genre{Name: name}
				must(s.CreateGenre(ctx, g))
				return g.ID
			}
			// A name and the form the migration should leave it in.
			genres := map[int64]string{
				genre("Action"):               "Action",
				genre(" Action "):             " Action ", // Action exists: left for an admin
				genre("  Drama"):              "Drama",
				genre("drama "):               "drama ", // a row with a smaller id takes Drama
				genre("Sci \t Fi"):            "Sci Fi",
				genre("Film\u00a0\u2009Noir"): "Film Noir",
				genre("Thin\u2009Line"):       "Thin Line", // a space separator alone
				genre("Western"):              "Western",
				genre(" western  movie"):      "western movie",
			}
			// Every space separator Go knows, as the migration must: the
			// SQL lists them, catalog.NormalizeName asks unicode.Zs.
			for r := rune(0); r <= unicode.MaxRune; r++ {
				if unicode.Is(unicode.Zs, r) {
					name := fmt.Sprintf(" U+%04X%c%cname\t", r, r, r)
					genres[genre(name)] = catalog.NormalizeName(name)
				}
			}
			c := &catalog.Country{Name: "\u3000France "}
			must(s.CreateCountry(ctx, c))
			p := &catalog.Person{FirstName: " Ridley ", LastName: "Scott  Free"}
			must(s.CreatePerson(ctx, p))
			// A first name that would become empty, which the store refuses
			// but the database's check (ASCII spaces) lets in.
			var blank int64
			must(s.db.QueryRow(`INSERT INTO persons (first_name, last_name, "createdAt", "updatedAt")
				VALUES ($1, '  ', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id`, "\u3000").Scan(&blank))
			ch := &catalog.Character{Name: " Ellen  Ripley ", Role: catalog.RoleLeading}
			must(s.CreateCharacter(ctx, ch))
			m := createMovieAs(t, s.Store, catalog.Movie{Title: "  Alien  3 "})
			u := &catalog.User{Username: "ada", Email: "ada@example.com", FirstName: " Ada", LastName: "King \t Lovelace", PasswordHash: "x"}
			must(s.CreateUser(ctx, u))

			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			text := func(q string, args ...any) string {
				t.Helper()
				var v string
				must(s.db.QueryRow(q, args...).Scan(&v))
				return v
			}
			for id, want := range genres {
				if got := text("SELECT name FROM genres WHERE id = $1", id); got != want {
					t.Errorf("genre %d = %q; want %q", id, got, want)
				}
			}
			for _, tc := range []struct{ got, want string }{
				{text("SELECT name FROM countries WHERE id = $1", c.ID), "France"},
				{text("SELECT first_name || '|' || last_name FROM persons WHERE id = $1", p.ID), "Ridley|Scott Free"},
				{text("SELECT first_name || '|' || last_name FROM persons WHERE id = $1", blank), "\u3000|"},
				{text("SELECT name FROM characters WHERE id = $1", ch.ID), "Ellen Ripley"},
				{text("SELECT title FROM movies WHERE id = $1", m.ID), "Alien 3"},
				{text("SELECT first_name || '|' || last_name FROM users WHERE id = $1", u.ID), "Ada|King Lovelace"},
			} {
				if tc.got != tc.want {
					t.Errorf("migrated name %q; want %q", tc.got, tc.want)
				}
			}
			// The search index follows the new title and names.
			found, err := s.SearchMovies(ctx, catalog.MovieSearch{Q: "alien 3", Page: catalog.Page{Size: 5}})
			if err != nil || len(found.Items) != 1 || found.Items[0].Title != "Alien 3" {
				t.Errorf("search after the migration = %+v, %v; want Alien 3", found.Items, err)
			}
			for _, name := range []string{"Drama", "Sci Fi", "western movie"} {
				if _, err := s.GenreByName(ctx, name); err != nil {
					t.Errorf("GenreByName(%q): %v", name, err)
				}
			}
		})
	}
}
