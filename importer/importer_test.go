package importer

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

var engines = []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres}

// openDB returns a fresh migrated store on engine and a plain connection
// to the same database, for reading back exact rows.
func openDB(t *testing.T, e sqlstore.Engine) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	dsn := sqltest.DSN(t, e)
	s, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	driver, name := "pgx", dsn
	if e == sqlstore.SQLite {
		driver, name = "sqlite", strings.TrimPrefix(dsn, "sqlite:")
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return s, db
}

// forEngine runs fn on a fresh database of each engine.
func forEngine(t *testing.T, fn func(t *testing.T, s *sqlstore.Store, db *sql.DB)) {
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			s, db := openDB(t, e)
			fn(t, s, db)
		})
	}
}

func importFiles(t *testing.T, s *sqlstore.Store, format string, opts Options, files ...string) *Summary {
	t.Helper()
	sum, err := Import(context.Background(), s, format, files, opts)
	if err != nil {
		t.Fatalf("Import(%s, %v) error: %v", format, files, err)
	}
	return sum
}

// tableCounts returns the number of rows of every catalog table.
func tableCounts(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, table := range []string{"movies", "persons", "characters", "genres", "countries", "img_files",
		"movie_genres", "movie_characters", "import_sources", "import_person_sources", "import_names"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

// dump returns the catalog as sorted lines, one per movie and one per cast
// row, naming everything by value (not id), so two databases with the same
// content give the same dump.
func dump(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var lines []string
	rows, err := db.Query(`SELECT m.title, coalesce(CAST(m.release_date AS text), ''), coalesce(m.duration, 0),
		coalesce(d.first_name || '/' || d.last_name, ''), coalesce(f.url, ''), coalesce(f.key, ''), coalesce(f.mime_type, ''),
		coalesce(s.source || ':' || s.external_id, ''),
		coalesce((SELECT count(*) FROM movie_genres g WHERE g.movie_id = m.id), 0)
		FROM movies m LEFT JOIN persons d ON d.id = m.director_id LEFT JOIN img_files f ON f.id = m.poster_file_id
		LEFT JOIN import_sources s ON s.movie_id = m.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var title, date, director, url, key, mimeType, source string
		var duration, genres int
		if err := rows.Scan(&title, &date, &duration, &director, &url, &key, &mimeType, &source, &genres); err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("movie %s|%.10s|%d|dir=%s|genres=%d|src=%s", title, date, duration, director, genres, source)
		if url != "" {
			line += fmt.Sprintf("|poster=%s %s %s", url, key, mimeType)
		}
		lines = append(lines, line)
	}
	rows.Close()
	rows, err = db.Query(`SELECT m.title, coalesce(CAST(m.release_date AS text), ''), g.name FROM movie_genres mg
		JOIN movies m ON m.id = mg.movie_id JOIN genres g ON g.id = mg.genre_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var title, date, genre string
		if err := rows.Scan(&title, &date, &genre); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("genre %s|%.10s: %s", title, date, genre))
	}
	rows.Close()
	rows, err = db.Query(`SELECT m.title, coalesce(CAST(m.release_date AS text), ''), c.name, c.role,
		coalesce(p.first_name || '/' || p.last_name, '-')
		FROM movie_characters mc JOIN movies m ON m.id = mc.movie_id JOIN characters c ON c.id = mc.character_id
		LEFT JOIN persons p ON p.id = mc.person_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var title, date, char, role, person string
		if err := rows.Scan(&title, &date, &char, &role, &person); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("cast %s|%.10s: %s as %s (%s)", title, date, person, char, role))
	}
	rows.Close()
	slices.Sort(lines)
	return lines
}

func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		for _, l := range got {
			if !slices.Contains(want, l) {
				t.Errorf("unexpected: %s", l)
			}
		}
		for _, l := range want {
			if !slices.Contains(got, l) {
				t.Errorf("missing:    %s", l)
			}
		}
	}
}

func TestImportIMDbTSV(t *testing.T) {
	dir := filepath.Join("testdata", "imdb")
	files := []string{filepath.Join(dir, "title.principals.tsv"), filepath.Join(dir, "name.basics.tsv.gz"),
		filepath.Join(dir, "title.basics.tsv"), filepath.Join(dir, "title.crew.tsv")}
	forEngine(t, func(t *testing.T, s *sqlstore.Store, db *sql.DB) {
		sum := importFiles(t, s, "imdb", Options{BatchSize: 2}, files...)
		checkLines(t, dump(t, db), []string{
			"movie The Lighthouse Keeper|1921-01-01|80|dir=Anna/Field|genres=2|src=imdb:tt0000002",
			"movie Night Train|1935-01-01|0|dir=Bruno/van Stone|genres=2|src=imdb:tt0000009",
			"movie The Endless Film|2011-01-01|0|dir=|genres=1|src=imdb:tt0000013",
			"movie Iron Men|2019-01-01|125|dir=Jon/Favreau|genres=2|src=imdb:tt10000001",
			"genre The Lighthouse Keeper|1921-01-01: Drama",
			"genre The Lighthouse Keeper|1921-01-01: Romance",
			"genre Night Train|1935-01-01: Crime",
			"genre Night Train|1935-01-01: Film Noir",
			"genre The Endless Film|2011-01-01: Documentary",
			"genre Iron Men|2019-01-01: Sport",
			"genre Iron Men|2019-01-01: Action",
			"cast The Lighthouse Keeper|1921-01-01: John/Smith as Keeper (leading)",
			"cast The Lighthouse Keeper|1921-01-01: John/Smith as Narrator (leading)",
			"cast The Lighthouse Keeper|1921-01-01: Gwyneth/Paltrow as Mary Bell (leading)",
			"cast Night Train|1935-01-01: John/Smith as Conductor (leading)",
			"cast Night Train|1935-01-01: John/Smith as Unnamed character (leading)",
			"cast Iron Men|2019-01-01: Robert/Downey Jr. as Tony (leading)",
			"cast Iron Men|2019-01-01: Gwyneth/Paltrow as Pepper (leading)",
		})
		// The two John Smiths are two persons: IMDb tells them apart.
		var smiths int
		db.QueryRow("SELECT count(*) FROM persons WHERE first_name = 'John' AND last_name = 'Smith'").Scan(&smiths)
		if smiths != 2 {
			t.Errorf("persons named John Smith = %d; want 2 (nm0000003 and nm0000004)", smiths)
		}
		if sum.Movies.Created != 4 || sum.SkippedRecords != 1 || !strings.Contains(sum.Skips[0].String(), `title.basics.tsv:7: startYear "19x5" is not a year`) {
			t.Errorf("summary = %+v; want 4 movies and the Broken Year row skipped at line 7", sum)
		}
		if sum.Characters.Skipped != 1 {
			t.Errorf("characters skipped = %d; want 1 (nm0000099 is not in name.basics)", sum.Characters.Skipped)
		}
		before := tableCounts(t, db)
		if before["import_names"] != 0 {
			t.Errorf("import_names keeps %d rows after the import; want them cleared", before["import_names"])
		}
		again := importFiles(t, s, "imdb", Options{}, files...)
		if after := tableCounts(t, db); again.Rows() != 0 || again.Movies.Created != 0 || !mapsEqual(before, after) {
			t.Errorf("second import wrote %d rows (%+v), counts %v → %v; want nothing new", again.Rows(), again.ImportStats, before, after)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestImportWikipediaSample(t *testing.T) {
	file := filepath.Join("testdata", "wikipedia-sample.json")
	forEngine(t, func(t *testing.T, s *sqlstore.Store, db *sql.DB) {
		sum := importFiles(t, s, "wikipedia", Options{BatchSize: 5}, file)
		got := dump(t, db)
		var movies []string
		for _, l := range got {
			if strings.HasPrefix(l, "movie ") {
				movies = append(movies, l[:strings.Index(l, "|src=")])
			}
		}
		// 18 records: Suspicion and The Young Victoria twice (same link),
		// the Naked Gun title with leaked CSS is skipped; the two Carmens
		// of 1915 are two films.
		checkLines(t, movies, []string{
			"movie Acrobats in Cairo|1901-01-01|0|dir=|genres=0",
			"movie Baseball and Bloomers|1911-01-01|0|dir=|genres=3",
			"movie Anna Karenina|1915-01-01|0|dir=|genres=3",
			"movie Carmen|1915-01-01|0|dir=|genres=3",
			"movie Carmen|1915-01-01|0|dir=|genres=3",
			"movie Casey at the Bat|1916-01-01|0|dir=|genres=3",
			"movie Suspicion|1918-01-01|0|dir=|genres=2",
			"movie Come and Get It|1936-01-01|0|dir=|genres=1",
			"movie Pinocchio|1940-01-01|0|dir=|genres=3",
			"movie Ship of Fools|1965-01-01|0|dir=|genres=1",
			"movie Noon Wine|1985-01-01|0|dir=|genres=2",
			"movie Outbreak|1995-01-01|0|dir=|genres=2",
			"movie Iron Man|2008-01-01|0|dir=|genres=1",
			"movie The Young Victoria|2009-01-01|0|dir=|genres=2",
			"movie Sherlock Holmes|2009-01-01|0|dir=|genres=3",
		})
		for _, want := range []string{
			// Billing order stands in for the role; junk is dropped.
			"cast Iron Man|2008-01-01: Robert/Downey Jr. as Unnamed character (leading)",
			"cast Iron Man|2008-01-01: Terrence/Howard as Unnamed character (leading)",
			"cast Iron Man|2008-01-01: Jeff/Bridges as Unnamed character (supporting)",
			"cast Iron Man|2008-01-01: Leslie/Bibb as Unnamed character (background)",
			"cast Anna Karenina|1915-01-01: Edward/José as Unnamed character (leading)",
			"cast Pinocchio|1940-01-01: Cliff/Edwards as Unnamed character (leading)",
			"cast Come and Get It|1936-01-01: Walter/Brennan as Unnamed character (supporting)",
			"cast Ship of Fools|1965-01-01: Michael/Dunn as Unnamed character (background)",
			"cast Outbreak|1995-01-01: Cuba/Gooding Jr. as Unnamed character (supporting)",
			"cast Noon Wine|1985-01-01: Stellan/Skarsgård as Unnamed character (leading)",
			"genre Casey at the Bat|1916-01-01: Sport",
			"genre Baseball and Bloomers|1911-01-01: Sport",
			"genre Sherlock Holmes|2009-01-01: History",
		} {
			if !slices.Contains(got, want) {
				t.Errorf("missing %s", want)
			}
		}
		for _, l := range got {
			for _, junk := range []string{"/and ", "voices", "Award", "(/", "/)"} {
				if strings.HasPrefix(l, "cast ") && strings.Contains(l, ": "+strings.TrimPrefix(junk, "/")) {
					t.Errorf("junk cast kept: %s", l)
				}
			}
			if strings.Contains(l, "Iron Man|") && strings.HasPrefix(l, "movie ") &&
				!strings.Contains(l, "|poster=https://upload.wikimedia.org/") {
				t.Errorf("Iron Man without its poster: %s", l)
			}
		}
		var downeys, sportGenres int
		db.QueryRow("SELECT count(*) FROM persons WHERE last_name = 'Downey Jr.'").Scan(&downeys)
		db.QueryRow("SELECT count(*) FROM genres WHERE lower(name) IN ('sport', 'sports')").Scan(&sportGenres)
		if downeys != 1 || sportGenres != 1 {
			t.Errorf("persons Downey Jr. = %d, Sport genres = %d; want 1 and 1", downeys, sportGenres)
		}
		if sum.Movies.Created != 15 || sum.Movies.Matched != 2 || sum.SkippedRecords != 1 ||
			!strings.Contains(sum.Skips[0].Reason, "title must be at most 300 characters") {
			t.Errorf("summary = %+v; want 15 created, 2 duplicates, the Naked Gun title skipped", sum)
		}
		var key string
		db.QueryRow(`SELECT f.key FROM movies m JOIN img_files f ON f.id = m.poster_file_id WHERE m.title = 'Iron Man'`).Scan(&key)
		if !strings.HasPrefix(key, "external/") || len(key) != len("external/")+64 {
			t.Errorf("Iron Man poster key = %q; want external/ and a SHA-256 in hex", key)
		}

		// The same file again adds nothing; the IMDb files then link their
		// Robert Downey Jr. and Gwyneth Paltrow to the persons already here.
		before := tableCounts(t, db)
		if again := importFiles(t, s, "wikipedia", Options{}, file); again.Movies.Created != 0 || again.Rows() != 0 || !mapsEqual(before, tableCounts(t, db)) {
			t.Errorf("second import: %+v; want 0 new", again.ImportStats)
		}
		dir := filepath.Join("testdata", "imdb")
		importFiles(t, s, "imdb", Options{}, filepath.Join(dir, "title.basics.tsv"), filepath.Join(dir, "title.principals.tsv"),
			filepath.Join(dir, "title.crew.tsv"), filepath.Join(dir, "name.basics.tsv.gz"))
		db.QueryRow("SELECT count(*) FROM persons WHERE last_name = 'Downey Jr.'").Scan(&downeys)
		var roles int
		db.QueryRow(`SELECT count(*) FROM movie_characters mc JOIN persons p ON p.id = mc.person_id
			WHERE p.last_name = 'Downey Jr.'`).Scan(&roles)
		if downeys != 1 || roles != 3 {
			t.Errorf("after the IMDb files: %d persons Downey Jr. with %d roles; want 1 person in Iron Man, Sherlock Holmes and Iron Men", downeys, roles)
		}
	})
}

func TestImportTop1000Sample(t *testing.T) {
	file := filepath.Join("testdata", "imdb_top_1000-sample.csv")
	forEngine(t, func(t *testing.T, s *sqlstore.Store, db *sql.DB) {
		sum := importFiles(t, s, "imdb-top-1000", Options{}, file)
		got := dump(t, db)
		for _, want := range []string{
			"movie The Godfather|1972-01-01|175|dir=Francis Ford/Coppola|genres=2|src=imdb-top-1000:1972|The Godfather|Francis Ford Coppola" +
				"|poster=https://m.media-amazon.com/images/M/MV5BM2MyNjYxNmUtYTAwNi00MTYxLWJmNWYtYzZlODY3ZTk3OTFlXkEyXkFqcGdeQXVyNzkwMjQ5NzM@._V1_UY98_CR1,0,67,98_AL_.jpg" +
				" external/" + fmt.Sprintf("%x", sha256.Sum256([]byte("https://m.media-amazon.com/images/M/MV5BM2MyNjYxNmUtYTAwNi00MTYxLWJmNWYtYzZlODY3ZTk3OTFlXkEyXkFqcGdeQXVyNzkwMjQ5NzM@._V1_UY98_CR1,0,67,98_AL_.jpg"))) +
				" image/jpeg",
			"cast The Godfather|1972-01-01: Marlon/Brando as Unnamed character (leading)",
			"cast The Godfather|1972-01-01: Al/Pacino as Unnamed character (leading)",
			"cast The Godfather|1972-01-01: James/Caan as Unnamed character (supporting)",
			"cast The Godfather|1972-01-01: Diane/Keaton as Unnamed character (supporting)",
			// The co-director in Star1, repeated in Star2, plays once.
			"cast Singin' in the Rain|1952-01-01: Gene/Kelly as Unnamed character (leading)",
			"cast Singin' in the Rain|1952-01-01: Donald/O'Connor as Unnamed character (leading)",
			"genre The Prestige|2006-01-01: Science Fiction",
			"genre WALL·E|2008-01-01: Animation",
		} {
			if !slices.Contains(got, want) {
				t.Errorf("missing %s", want)
			}
		}
		var drishyams, nolans int
		db.QueryRow("SELECT count(*) FROM movies WHERE title = 'Drishyam'").Scan(&drishyams)
		db.QueryRow("SELECT count(*) FROM persons WHERE last_name = 'Nolan'").Scan(&nolans)
		if drishyams != 2 || nolans != 1 {
			t.Errorf("Drishyam movies = %d, persons Nolan = %d; want 2 and 1", drishyams, nolans)
		}
		if sum.Movies.Created != 9 || sum.SkippedRecords != 1 || !strings.Contains(sum.Skips[0].String(), `Released_Year "PG" is not a year`) {
			t.Errorf("summary = %+v; want 9 movies, Apollo 13 skipped", sum)
		}
	})
}

// TestImportBadData feeds malformed records: each is skipped with its line
// and reason, the good ones land, and --strict stops at the first.
func TestImportBadData(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	content := "[\n" +
		`{"title": "Good One", "year": 1999, "cast": ["Ann Lee"], "genres": ["Drama"]},` + "\n" +
		`{"title": "", "year": 2000, "cast": [], "genres": []},` + "\n" +
		`{"title": "Wrong Year", "year": "soon", "cast": [], "genres": []},` + "\n" +
		`{"title": "Too Early", "year": 1066, "cast": [], "genres": []},` + "\n" +
		`{"title": "Bad ` + "\xff\xfe" + ` Bytes", "year": 2001, "cast": [], "genres": []},` + "\n" +
		`{"title": "Good Two", "year": 2002, "cast": ["Bo Ray", "Ann Lee"], "genres": ["Drama"]},` + "\n" +
		`{"title": "Broken", "year": 2003, "cast": [}` + "\n]\n"
	if err := os.WriteFile(bad, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	badCSV := filepath.Join(dir, "bad.csv")
	csvContent := "Poster_Link,Series_Title,Released_Year,Certificate,Runtime,Genre,IMDB_Rating,Overview,Meta_score,Director,Star1,Star2,Star3,Star4,No_of_Votes,Gross\r\n" +
		"https://example.com/a.jpg,Fine,1990,U,100 min,Drama,8,Plot,80,Di Rector,Star One,Star Two,,,100,\r\n" +
		"x,Short Row,1990\r\n" +
		"https://example.com/b.jpg,\"Bad \"quote,1991,U,100 min,Drama,8,Plot,80,Di Rector,A B,C D,,,100,\r\n" +
		"https://example.com/c.jpg,Too Long,1992,U,1440 min,Drama,8,Plot,80,Di Rector,A B,C D,,,100,\r\n" +
		"https://example.com/d.jpg,Also Fine,1993,U,90 min,Drama,8,Plot,80,Di Rector,A B,C D,,,100,\r\n"
	if err := os.WriteFile(badCSV, []byte(csvContent), 0o644); err != nil {
		t.Fatal(err)
	}
	forEngine(t, func(t *testing.T, s *sqlstore.Store, db *sql.DB) {
		sum := importFiles(t, s, "wikipedia", Options{}, bad)
		var reasons []string
		for _, sk := range sum.Skips {
			reasons = append(reasons, fmt.Sprintf("%d: %s", sk.Line, sk.Reason))
		}
		want := []string{"3: title is required", `4: field "year" holds a string`,
			"5: release_date must be between 1870-01-01 and ", "6: invalid UTF-8", "8: broken JSON"}
		if len(reasons) != len(want) {
			t.Fatalf("skips = %q; want %d like %q", reasons, len(want), want)
		}
		for i := range want {
			if !strings.HasPrefix(reasons[i], want[i]) {
				t.Errorf("skip %d = %q; want it to start %q", i, reasons[i], want[i])
			}
		}
		counts := tableCounts(t, db)
		if counts["movies"] != 2 || counts["persons"] != 2 || counts["movie_characters"] != 3 {
			t.Errorf("after the bad file: %v; want the 2 good movies with their 3 cast rows", counts)
		}

		csvSum := importFiles(t, s, "imdb-top-1000", Options{}, badCSV)
		reasons = nil
		for _, sk := range csvSum.Skips {
			reasons = append(reasons, fmt.Sprintf("%d: %s", sk.Line, sk.Reason))
		}
		want = []string{"3: broken CSV row: wrong number of fields", `4: broken CSV row: extraneous or missing " in quoted-field`,
			"5: duration must be between 1 and 1000 minutes"}
		if len(reasons) != len(want) || csvSum.Movies.Created != 2 {
			t.Fatalf("CSV skips = %q, %d movies; want %q and 2 movies", reasons, csvSum.Movies.Created, want)
		}
		for i := range want {
			if !strings.HasPrefix(reasons[i], want[i]) {
				t.Errorf("CSV skip %d = %q; want it to start %q", i, reasons[i], want[i])
			}
		}

		before := tableCounts(t, db)
		_, err := Import(context.Background(), s, "wikipedia", []string{bad}, Options{Strict: true})
		var me *MalformedError
		if !errors.As(err, &me) || me.Line != 3 {
			t.Errorf("strict import error = %v; want a MalformedError at line 3", err)
		}
		if !mapsEqual(before, tableCounts(t, db)) {
			t.Errorf("strict import changed the catalog")
		}
	})
}

func TestSplitName(t *testing.T) {
	for _, tc := range []struct{ in, first, last string }{
		{"Robert Downey Jr.", "Robert", "Downey Jr."},
		{"Alan Hale, Jr.", "Alan", "Hale, Jr."},
		{"Madonna", "Madonna", ""},
		{"50 Cent", "50", "Cent"},
		{`"Weird Al" Yankovic`, `"Weird Al"`, "Yankovic"},
		{"Ludwig van Beethoven", "Ludwig", "van Beethoven"},
		{"Jean-Claude Van Damme", "Jean-Claude Van", "Damme"},
		{"Mary Elizabeth Winstead", "Mary Elizabeth", "Winstead"},
		{"Sammy Davis Jr. III", "Sammy", "Davis Jr. III"},
	} {
		first, last := splitName(tc.in)
		if first != tc.first || last != tc.last {
			t.Errorf("splitName(%q) = %q, %q; want %q, %q", tc.in, first, last, tc.first, tc.last)
		}
	}
}
