package importer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// fuzzFormats are the formats FuzzImport feeds, with the file name each
// input is written under.
var fuzzFormats = []struct{ format, file string }{
	{"wikipedia", "movies.json"},
	{"imdb", "title.basics.tsv"},
	{"imdb-top-1000", "imdb_top_1000.csv"},
	{"moviedb-json", "export.json"},
}

// FuzzImport feeds arbitrary files to each import format, non-strict and
// strict, into one SQLite store per format kept across executions. An
// import never panics; skipping, it gives a reason for each record it
// lists and counts at least as many as it lists; strict, a malformed
// record is a *MalformedError with a reason.
func FuzzImport(f *testing.F) {
	seed := func(path string, lines int) string {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		parts := strings.SplitAfter(string(b), "\n")
		return strings.Join(parts[:min(lines, len(parts))], "")
	}
	wiki := `[{"title":"Acrobats in Cairo","year":1901,"cast":["A B"],"genres":["Short"]}]`
	f.Add(uint8(0), wiki, false)
	f.Add(uint8(0), `[{"title":"","year":-1},{"title":"X","year":"1901","cast":[1]},{"title":"Y","year":2000,"genres":[null]}]`, false)
	f.Add(uint8(0), `{"title":"x"}`, true)
	f.Add(uint8(1), seed("testdata/imdb/title.basics.tsv", 6), false)
	f.Add(uint8(1), "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\ntt1\tmovie\t\t\t0\tx\t\\N\t-5\t\n", true)
	f.Add(uint8(2), seed("testdata/imdb_top_1000-sample.csv", 4), false)
	f.Add(uint8(2), "Poster_Link,Series_Title,Released_Year\n\"unterminated\n", false)
	f.Add(uint8(3), `{"format":"moviedb-export","version":1,"movies":[]}`, false)
	f.Add(uint8(3), `{"format":"moviedb-export","version":2}`, false)
	f.Add(uint8(3), `[]`, true)
	stores := make([]*sqlstore.Store, len(fuzzFormats))
	for i := range stores {
		stores[i] = sqltest.Open(f, sqlstore.SQLite, sqlstore.Options{})
	}
	f.Fuzz(func(t *testing.T, kind uint8, data string, strict bool) {
		i := int(kind) % len(fuzzFormats)
		path := filepath.Join(t.TempDir(), fuzzFormats[i].file)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		sum, err := Import(context.Background(), stores[i], fuzzFormats[i].format, []string{path},
			Options{BatchSize: 3, Strict: strict})
		if sum == nil {
			if err == nil {
				t.Fatal("Import returned neither a summary nor an error")
			}
			return
		}
		if sum.SkippedRecords < len(sum.Skips) {
			t.Fatalf("%d skipped records counted, %d listed", sum.SkippedRecords, len(sum.Skips))
		}
		for _, s := range sum.Skips {
			if s.Reason == "" {
				t.Fatalf("a skipped record without a reason: %+v", s)
			}
		}
		var malformed *MalformedError
		if errors.As(err, &malformed) {
			if !strict {
				t.Fatalf("a MalformedError without Strict: %v", err)
			}
			if malformed.Reason == "" {
				t.Fatalf("a MalformedError without a reason: %v", err)
			}
		}
	})
}
