package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/httpapi"
	"github.com/moviedb/moviedb/sqlstore"
)

// fillSamples imports every sample into s and adds what the samples lack
// (a budget, a country, a user with favorites), so an export holds every
// table.
func fillSamples(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join("testdata", "imdb")
	importFiles(t, s, "wikipedia", Options{}, filepath.Join("testdata", "wikipedia-sample.json"))
	importFiles(t, s, "imdb-top-1000", Options{}, filepath.Join("testdata", "imdb_top_1000-sample.csv"))
	importFiles(t, s, "imdb", Options{}, filepath.Join(dir, "title.basics.tsv"), filepath.Join(dir, "title.principals.tsv"),
		filepath.Join(dir, "title.crew.tsv"), filepath.Join(dir, "name.basics.tsv.gz"))
	country := catalog.Country{Name: "Canada"}
	if err := s.CreateCountry(ctx, &country); err != nil {
		t.Fatal(err)
	}
	budget := catalog.Money(18500000000) // cents
	for _, id := range []int64{3, 16, 20} {
		if _, err := s.UpdateMovie(ctx, id, catalog.MovieUpdate{
			Budget:    &catalog.Nullable[catalog.Money]{Value: &budget},
			CountryID: &catalog.Nullable[int64]{Value: &country.ID},
		}); err != nil {
			t.Fatal(err)
		}
	}
	u := catalog.User{Username: "ripley", Email: "ripley@example.com", PasswordHash: "x"}
	if err := s.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{3, 20} {
		if _, err := s.AddFavorite(ctx, u.ID, id); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExportRoundTrip exports a SQLite catalog, restores it into a fresh
// database of each engine, and checks that the API answers the same
// movie details and reports, and that an export of the copy is the same.
func TestExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src, srcDB := openDB(t, sqlstore.SQLite)
	fillSamples(t, src)
	var exported bytes.Buffer
	if err := src.Export(ctx, &exported); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "catalog.json.gz")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(exported.Bytes())
	zw.Close()
	if err := os.WriteFile(file, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var movieIDs []int64
	rows, err := srcDB.Query("SELECT id FROM movies ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		movieIDs = append(movieIDs, id)
	}
	rows.Close()

	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			dst, dstDB := openDB(t, e)
			sum := importFiles(t, dst, "moviedb-json", Options{}, file)
			if sum.Movies.Created != len(movieIDs) {
				t.Errorf("restored %d movies; want %d", sum.Movies.Created, len(movieIDs))
			}
			if !mapsEqual(tableCounts(t, srcDB), tableCounts(t, dstDB)) {
				t.Errorf("table counts %v after restore; want %v", tableCounts(t, dstDB), tableCounts(t, srcDB))
			}
			paths := []string{"/api/v1/reports/actor-budgets?per_page=100", "/api/v1/reports/director-budgets?per_page=100",
				"/api/v1/reports/recent-movies?years=100&per_page=100", "/api/v1/movies?per_page=100&sort=title",
				"/api/v1/persons?per_page=100", "/api/v1/genres?per_page=100"}
			for _, id := range movieIDs {
				paths = append(paths, "/api/v1/movies/"+strconv.FormatInt(id, 10))
			}
			a, b := httpapi.New(httpapi.Config{Store: src}), httpapi.New(httpapi.Config{Store: dst})
			for _, p := range paths {
				want, got := get(t, a, p), get(t, b, p)
				if want != got {
					t.Errorf("GET %s differs after the round trip:\n got %s\nwant %s", p, got, want)
				}
			}
			// Restoring again adds nothing, and new rows get fresh ids.
			again := importFiles(t, dst, "moviedb-json", Options{}, file)
			if again.Rows() != 0 {
				t.Errorf("second restore created %d rows; want 0", again.Rows())
			}
			m := catalog.Movie{Title: "After the restore"}
			if err := dst.CreateMovie(ctx, &m); err != nil || m.ID != movieIDs[len(movieIDs)-1]+1 {
				t.Errorf("CreateMovie after the restore: id %d, %v; want id %d", m.ID, err, movieIDs[len(movieIDs)-1]+1)
			}
			var pw string
			dstDB.QueryRow("SELECT password FROM users WHERE username = 'ripley'").Scan(&pw)
			if pw != "" || strings.Contains(exported.String(), `"password"`) {
				t.Errorf("a password crossed the export")
			}
		})
	}
}

func get(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, rec.Code, body)
	}
	return string(body)
}

// TestImportWikipediaFull imports the whole Wikipedia data set when it is
// at hand, and checks the counts against the file's (see
// /work/shared/datasets/README.md).
func TestImportWikipediaFull(t *testing.T) {
	file := wikipediaFile(t)
	// What the file holds, read independently of the importer: distinct
	// (year, title, link) keys and valid titles; distinct cast names.
	movies, persons := wikipediaExpected(t, file)
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) {
			s, db := openDB(t, e)
			sum := importFiles(t, s, "wikipedia", Options{}, file)
			counts := tableCounts(t, db)
			// 35,120 records: 18 repeat a film (6 exact copies, 12 same link),
			// and 1 title with leaked CSS is too long.
			if movies != 35120-18-1 || counts["movies"] != movies || sum.Movies.Skipped != 1 {
				t.Errorf("movies = %d (file: %d, skipped %d); want 35101", counts["movies"], movies, sum.Movies.Skipped)
			}
			// 41 genres, Sport and Sports being one.
			if counts["genres"] != 40 {
				t.Errorf("genres = %d; want 40", counts["genres"])
			}
			if counts["persons"] != persons {
				t.Errorf("persons = %d; want %d distinct cast names", counts["persons"], persons)
			}
			if sum.Characters.Skipped < 300 || sum.Characters.Skipped > 350 {
				t.Errorf("cast entries dropped = %d; want the ~308 junk strings and repeats", sum.Characters.Skipped)
			}
			if again := importFiles(t, s, "wikipedia", Options{}, file); again.Rows() != 0 || !mapsEqual(counts, tableCounts(t, db)) {
				t.Errorf("second import created %d rows; want 0", again.Rows())
			}
			checkConsistent(t, db)
		})
	}
}

func wikipediaFile(t *testing.T) string {
	file := "/work/shared/datasets/wikipedia-movies.json.gz"
	if v := os.Getenv("MOVIEDB_WIKIPEDIA_JSON"); v != "" {
		file = v
	}
	if _, err := os.Stat(file); err != nil {
		t.Skipf("%s not found (set MOVIEDB_WIKIPEDIA_JSON): %v", file, err)
	}
	if testing.Short() {
		t.Skip("imports the whole Wikipedia data set; skipped with -short")
	}
	return file
}

// checkConsistent checks that every imported movie is whole: it has its
// source row, and its links point at rows that exist.
func checkConsistent(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, q := range []string{
		"SELECT count(*) FROM movies m WHERE NOT EXISTS (SELECT 1 FROM import_sources s WHERE s.movie_id = m.id)",
		"SELECT count(*) FROM movie_characters mc WHERE NOT EXISTS (SELECT 1 FROM characters c WHERE c.id = mc.character_id)",
		"SELECT count(*) FROM movie_characters mc WHERE mc.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = mc.person_id)",
		"SELECT count(*) FROM characters c WHERE NOT EXISTS (SELECT 1 FROM movie_characters mc WHERE mc.character_id = c.id)",
		"SELECT count(*) FROM movie_genres mg WHERE NOT EXISTS (SELECT 1 FROM movies m WHERE m.id = mg.movie_id)",
		"SELECT count(*) FROM movies m WHERE m.poster_file_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM img_files f WHERE f.id = m.poster_file_id)",
	} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s = %d, %v; want 0", q, n, err)
		}
	}
}

// wikipediaExpected counts the movies and distinct cast names of file.
func wikipediaExpected(t *testing.T, file string) (movies, persons int) {
	t.Helper()
	in, err := open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var all []wikipediaMovie
	if err := json.NewDecoder(in.r).Decode(&all); err != nil {
		t.Fatal(err)
	}
	keys, names := map[string]bool{}, map[string]bool{}
	for _, m := range all {
		href := ""
		if m.Href != nil {
			href = *m.Href
		}
		key := strconv.Itoa(m.Year) + "|" + m.Title + "|" + href
		if len([]rune(m.Title)) > catalog.MaxTitleLen || keys[key] {
			continue // skipped, or the same film again: its cast is not read
		}
		keys[key] = true
		for _, c := range m.Cast {
			if p, ok := personOf(c); ok {
				names[strings.ToLower(p.FirstName+"\x00"+p.LastName)] = true
			}
		}
	}
	return len(keys), len(names)
}
