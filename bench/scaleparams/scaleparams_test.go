package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/importer"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestParamsOfAnImport reads the parameters of the importer's hand-written
// IMDb files, whose busiest person (nm0000003, three cast rows) and
// movies are known.
func TestParamsOfAnImport(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "importer", "testdata", "imdb")
	var files []string
	for _, f := range []string{"title.basics.tsv", "title.crew.tsv", "title.principals.tsv", "name.basics.tsv.gz"} {
		files = append(files, filepath.Join(dir, f))
	}
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := sqltest.DSN(t, e)
			s := sqltest.OpenDSN(t, dsn)
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := importer.Import(ctx, s, "imdb", files, importer.Options{}); err != nil {
				t.Fatal(err)
			}
			db, err := open(dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			one := func(query string) string {
				t.Helper()
				var v string
				if err := db.QueryRow(query).Scan(&v); err != nil {
					t.Fatalf("%s: %v", query, err)
				}
				return v
			}

			var out bytes.Buffer
			if err := writeParams(ctx, db, &out); err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				k, v, ok := strings.Cut(line, "=")
				if !ok {
					t.Fatalf("line %q is not name=value", line)
				}
				got[k] = append(got[k], v)
			}
			movies := one("SELECT min(id) || '..' || max(id) FROM movies")
			busiest := one("SELECT person_id FROM import_person_sources WHERE external_id = 'nm0000003'")
			genres := one("SELECT count(*) FROM genres")
			for name, want := range map[string]string{
				"movie":          movies,
				"busy_person":    busiest,
				"busy_actor":     busiest,
				"country_filter": "",
				"genre count":    genres,
			} {
				vs := got[name]
				if name == "genre count" {
					vs = []string{fmt.Sprint(len(got["genre"]))}
				}
				if len(vs) == 0 || vs[0] != want {
					t.Errorf("%s = %q, want %q first\n%s", name, vs, want, out.String())
				}
			}

			out.Reset()
			if err := writeCounts(ctx, db, &out); err != nil {
				t.Fatal(err)
			}
			wantMovies := one("SELECT count(*) FROM movies")
			if !strings.Contains("\n"+out.String(), "\nmovies "+wantMovies+"\n") {
				t.Errorf("counts:\n%s\nwant movies %s", out.String(), wantMovies)
			}
		})
	}
}
