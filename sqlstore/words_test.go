package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

// wordRows returns the rows of SQLite's word tables as "table word id",
// sorted, and the same computed from scratch: the terms FTS5 has indexed
// for each movie and person, read off its index. It fails the test if
// any title or name is still queued.
func wordRows(t *testing.T, s *Store) (kept, scratch []string) {
	t.Helper()
	ctx := context.Background()
	conn, err := s.write.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	read := func(q string) []string {
		t.Helper()
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var row string
			if err := rows.Scan(&row); err != nil {
				t.Fatal(err)
			}
			out = append(out, row)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	if n := read("SELECT kind || ' ' || id FROM search_words_pending"); len(n) > 0 {
		t.Errorf("search_words_pending after commits = %v; want it empty", n)
	}
	for _, q := range []string{
		"CREATE VIRTUAL TABLE IF NOT EXISTS temp.movie_terms USING fts5vocab(main, movies_fts, instance)",
		"CREATE VIRTUAL TABLE IF NOT EXISTS temp.person_terms USING fts5vocab(main, persons_fts, instance)",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	kept = append(read("SELECT 'movie ' || word || ' ' || movie_id FROM movie_title_words"),
		read("SELECT 'person ' || word || ' ' || person_id FROM person_name_words")...)
	scratch = append(read("SELECT DISTINCT 'movie ' || term || ' ' || doc FROM temp.movie_terms"),
		read("SELECT DISTINCT 'person ' || term || ' ' || doc FROM temp.person_terms")...)
	return kept, scratch
}

// checkWords compares the word tables with a computation from scratch,
// and checks that they hold each of want: "table word id", or "table
// word" for any id.
func checkWords(t *testing.T, s *Store, step string, want ...string) {
	t.Helper()
	kept, scratch := wordRows(t, s)
	if !slices.Equal(kept, scratch) {
		t.Errorf("after %s: word tables =\n%s\nwant, from FTS5's index,\n%s", step, strings.Join(kept, "\n"), strings.Join(scratch, "\n"))
	}
	for _, w := range want {
		if !slices.ContainsFunc(kept, func(row string) bool { return row == w || strings.HasPrefix(row, w+" ") }) {
			t.Errorf("after %s: word tables lack %q:\n%s", step, w, strings.Join(kept, "\n"))
		}
	}
}

// TestSearchWordsFollowWrites checks that the word tables of migration
// 0014 hold exactly FTS5's words of every title and name after creates,
// renames, other updates, deletes, an import, a restore and a rolled back
// write.
func TestSearchWordsFollowWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openInternal(t, Options{})
	str := func(v string) *string { return &v }
	amelie := &catalog.Person{FirstName: "Amélie", LastName: "Poulain"}
	john := &catalog.Person{FirstName: "John", LastName: "Smith-Jones"}
	for _, p := range []*catalog.Person{amelie, john} {
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	lord := &catalog.Movie{Title: "The Lord of the Rings"}
	ete := &catalog.Movie{Title: "L'Été 1985"}
	other := &catalog.Movie{Title: "Le Fabuleux Destin d'Amélie Poulain"}
	for _, m := range []*catalog.Movie{lord, ete, other} {
		if err := s.CreateMovie(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	id := func(i int64) string { return strconv.FormatInt(i, 10) }
	checkWords(t, s, "creates", "movie ete "+id(ete.ID), "movie amelie "+id(other.ID), "person smith "+id(john.ID), "person amelie "+id(amelie.ID))

	if _, err := s.UpdateMovie(ctx, lord.ID, catalog.MovieUpdate{Title: str("Return of the King")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateMovie(ctx, other.ID, catalog.MovieUpdate{Duration: catalog.Set(122)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdatePerson(ctx, john.ID, catalog.PersonUpdate{LastName: str("O'Brien")}); err != nil {
		t.Fatal(err)
	}
	checkWords(t, s, "updates", "movie king "+id(lord.ID), "movie destin "+id(other.ID), "person brien "+id(john.ID))

	if err := s.DeleteMovie(ctx, ete.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePerson(ctx, amelie.ID); err != nil {
		t.Fatal(err)
	}
	checkWords(t, s, "deletes")

	im := s.NewImporter()
	if _, err := im.ImportMovies(ctx, []catalog.ImportMovie{
		{Source: "test", ExternalID: "1", Title: "Åsa-Nisse i Hollywood", Director: &catalog.ImportPerson{FirstName: "Ragnar", LastName: "Frisk"},
			Cast: []catalog.ImportCast{{Person: catalog.ImportPerson{FirstName: "John", LastName: "Elfström"}, Character: "Åsa-Nisse", Role: "leading"}}},
		{Source: "test", ExternalID: "2", Title: "THE KING 2"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := im.Close(ctx); err != nil {
		t.Fatal(err)
	}
	checkWords(t, s, "an import", "person elfstrom", "movie asa")

	r, err := s.BeginRestore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []struct {
		table string
		row   string
	}{
		{"persons", `"id": 900, "first_name": "Zoë", "last_name": "Ñúñez"`},
		{"movies", `"id": 901, "title": "Ça, c'est Paris"`},
		{"movies", `"id": ` + id(lord.ID) + `, "title": "Restored over an existing movie"`},
	} {
		var v map[string]any
		stamps := `, "createdAt": "2024-01-02T03:04:05Z", "updatedAt": "2024-01-02T03:04:05Z"}`
		dec := json.NewDecoder(strings.NewReader("{" + row.row + stamps))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if err := r.Row(row.table, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	checkWords(t, s, "a restore", "person zoe 900", "person nunez 900", "movie ca 901", "movie king "+id(lord.ID))

	// A write that fails leaves neither words nor a queued row behind.
	err = s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO movies (title, \"createdAt\", \"updatedAt\") VALUES ('Rolled Back', $1, $1)", tx.nowArg()); err != nil {
			return err
		}
		return catalog.Invalid("title", "rolled back on purpose")
	})
	if err == nil {
		t.Fatal("inTx returned no error")
	}
	checkWords(t, s, "a rolled back write")
}

// wordSearches are text queries whose probe shape reads the word tables
// (lower-case ASCII words, prefixes of one letter, several words) or
// keeps to FTS5 (accented words).
var wordSearches = []string{"the", "THE", "t", "th", "king", "the k", "lord the", "amelie", "Amél", "ete", "1985", "19", "z", "9", "de amel", "nothing"}

// TestSearchWordsProbeAsDrive checks that a text search finds the same
// movies and persons in the same order in either shape, the probe shape
// reading the word tables and the drive shape FTS5.
func TestSearchWordsProbeAsDrive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openInternal(t, Options{})
	for i, title := range []string{"The Lord of the Rings", "L'Été 1985", "Le Fabuleux Destin d'Amélie Poulain", "The King", "Theory of Everything",
		"Zorro the Gay Blade", "9 to 5", "1985", "Return of the King", "Thé au harem", "Amelie", "Tha", "Thf"} {
		for j := range 3 { // ties of the title sort, ordered by id
			if err := s.CreateMovie(ctx, &catalog.Movie{Title: title}); err != nil {
				t.Fatal(i, j, err)
			}
		}
	}
	for _, p := range [][2]string{{"Amélie", "Poulain"}, {"John", "The King"}, {"Théo", "Zola"}, {"Kingsley", "Ben"}, {"Ethel", "Thet"}} {
		if err := s.CreatePerson(ctx, &catalog.Person{FirstName: p[0], LastName: p[1]}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(q string, args []any) []int64 {
		t.Helper()
		rows, err := s.read.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out []int64
		for rows.Next() {
			var id int64
			dest := make([]any, len(cols))
			dest[0] = &id
			for i := 1; i < len(dest); i++ {
				dest[i] = new(any)
			}
			if err := rows.Scan(dest...); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	found := 0
	for _, q := range wordSearches {
		for _, f := range []catalog.MovieSearch{{Q: q}, {Q: q, Sort: catalog.MovieSortCreatedAt, Desc: true}} {
			mf, err := s.checkMovieSearch(f)
			if err != nil {
				t.Fatal(err)
			}
			var got [2][]int64
			for i, shape := range []matchShape{drive, probe} {
				w := &whereList{}
				page, _, err := s.moviePageQuery(w, mf, shape, 100, 0, "")
				if err != nil {
					t.Fatal(err)
				}
				got[i] = ids(page, w.args)
			}
			if !slices.Equal(got[0], got[1]) {
				t.Errorf("movies %+v: probe shape found %v; drive shape %v", f, got[1], got[0])
			}
			found += len(got[0])
		}
		var got [2][]int64
		for i, shape := range []matchShape{drive, probe} {
			list, args, _, _, err := s.personSearchQuery(s.textSearch(&catalog.ValidationError{}, "q", q), searchWords(q), nil, shape, 100, 0)
			if err != nil {
				t.Fatal(err)
			}
			got[i] = ids(list, args)
		}
		if !slices.Equal(got[0], got[1]) {
			t.Errorf("persons %q: probe shape found %v; drive shape %v", q, got[1], got[0])
		}
		found += len(got[0])
	}
	if found == 0 {
		t.Fatal("no search found anything")
	}
}

// TestSearchWordsPlans checks that SQLite's probe shape walks the sort's
// index and tests each row by one search of a word table's key, and
// keeps to FTS5 for words it cannot look up there.
func TestSearchWordsPlans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openInternal(t, Options{})
	for q, want := range map[string]string{
		"the k": "USING PRIMARY KEY (movie_id=? AND word=?)",
		"the":   "USING PRIMARY KEY (movie_id=? AND word>? AND word<?)",
		"amél":  "SCAN movies_fts VIRTUAL TABLE INDEX",
	} {
		mf, err := s.checkMovieSearch(catalog.MovieSearch{Q: q})
		if err != nil {
			t.Fatal(err)
		}
		w := &whereList{}
		page, _, err := s.moviePageQuery(w, mf, probe, 20, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		plan, err := s.explain(ctx, page, w.args...)
		if err != nil {
			t.Fatal(err)
		}
		if p := strings.Join(plan, "\n"); !strings.Contains(p, want) || !strings.Contains(p, "movies_title_lower_idx") {
			t.Errorf("probe plan of %q =\n%s\nwant the title index and a step %q", q, p, want)
		}
	}
	list, args, _, _, err := s.personSearchQuery(s.textSearch(&catalog.ValidationError{}, "q", "john"), []string{"john"}, nil, probe, 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.explain(ctx, list, args...)
	if err != nil {
		t.Fatal(err)
	}
	want := "USING PRIMARY KEY (person_id=? AND word>? AND word<?)"
	if p := strings.Join(plan, "\n"); !strings.Contains(p, want) || !strings.Contains(p, "persons_lower_name_idx") {
		t.Errorf("probe plan of person search =\n%s\nwant the name index and a step %q", p, want)
	}
}

// TestSearchWordsMigration checks that migration 0014 gives the titles
// and names of a database migrated up to 0013 their words.
func TestSearchWordsMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "x.db")
	raw, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ms, err := migrations(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{createMigrationsTable}
	for _, m := range ms {
		if m.Version < 14 {
			stmts = append(stmts, m.sql, fmt.Sprintf("INSERT INTO schema_migrations VALUES (%d, '%s', CURRENT_TIMESTAMP)", m.Version, m.Name))
		}
	}
	stmts = append(stmts,
		`INSERT INTO movies (title, "createdAt", "updatedAt") VALUES ('Le Fabuleux Destin d''Amélie Poulain', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), ('The The', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		`INSERT INTO persons (first_name, last_name, "createdAt", "updatedAt") VALUES ('Mathieu', 'Kassovitz', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`)
	for _, q := range stmts {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	s, err := Open(ctx, "sqlite:"+file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if applied, err := s.Migrate(ctx); err != nil || len(applied) == 0 || applied[0].Version != 14 {
		t.Fatalf("Migrate = %v, %v; want migration 14 and on applied", applied, err)
	}
	checkWords(t, s, "migrating", "movie amelie 1", "movie the 2", "person kassovitz 1")
}
