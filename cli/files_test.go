package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/blob"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestFilesGC runs `moviedb files gc` over a store and a storage folder
// holding a file with its object, an object without a row, a row without
// an object and an external image: it lists the two orphans and touches
// nothing, then with --delete removes exactly them.
func TestFilesGC(t *testing.T) {
	ctx := context.Background()
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			dsn := sqltest.DSN(t, e)
			store := openTestStore(t, dsn)
			dir := t.TempDir()
			objects, err := blob.OpenLocal(dir)
			if err != nil {
				t.Fatal(err)
			}
			put := func(key string) {
				t.Helper()
				if err := objects.Put(ctx, key, strings.NewReader("image bytes"), "image/jpeg"); err != nil {
					t.Fatal(err)
				}
			}
			row := func(key string) *catalog.File {
				t.Helper()
				f := &catalog.File{FileName: "f.jpg", MimeType: "image/jpeg", Key: key, URL: "http://x/files/" + key}
				if err := store.CreateFile(ctx, f); err != nil {
					t.Fatal(err)
				}
				return f
			}
			kept := row("posters/kept.jpg")
			put(kept.Key)
			put("posters/orphan.jpg")
			gone := row("posters/gone.jpg")
			external := row(catalog.ExternalKey("https://upload.wikimedia.org/poster.jpg"))

			args := []string{"files", "gc", "--db", dsn, "--storage", "file:" + dir, "--min-age", "0s"}
			code, out, errOut := runCLI(t, args...)
			wantLines := []string{"orphan object\tposters/orphan.jpg", fmt.Sprintf("orphan row\t%d\tposters/gone.jpg", gone.ID),
				"1 objects without a row, 1 rows without an object (run with --delete to remove them)"}
			if code != 0 || !sameLines(out, wantLines) {
				t.Fatalf("files gc = %d\n%s%s\nwant the lines %q", code, out, errOut, wantLines)
			}
			check := func(key string, wantObject, wantRow bool) {
				t.Helper()
				obj, err := objects.Open(ctx, key)
				hasObject := err == nil
				if hasObject {
					obj.Body.Close()
				} else if !errors.Is(err, blob.ErrNotFound) && !errors.Is(err, blob.ErrBadKey) {
					t.Fatal(err)
				}
				rows, err := store.ListFiles(ctx, catalog.FileFilter{Page: catalog.Page{Number: 1, Size: 100}})
				if err != nil {
					t.Fatal(err)
				}
				hasRow := slices.ContainsFunc(rows.Items, func(f catalog.File) bool { return f.Key == key })
				if hasObject != wantObject || hasRow != wantRow {
					t.Errorf("%s: object %v, row %v; want %v, %v", key, hasObject, hasRow, wantObject, wantRow)
				}
			}
			for _, key := range []string{kept.Key, "posters/orphan.jpg"} {
				check(key, true, key == kept.Key)
			}
			check(gone.Key, false, true)

			code, out, errOut = runCLI(t, append(args, "--delete")...)
			wantLines = []string{"deleted object\tposters/orphan.jpg", fmt.Sprintf("deleted row\t%d\tposters/gone.jpg", gone.ID),
				"1 objects without a row, 1 rows without an object"}
			if code != 0 || !sameLines(out, wantLines) {
				t.Fatalf("files gc --delete = %d\n%s%s\nwant the lines %q", code, out, errOut, wantLines)
			}
			check(kept.Key, true, true)
			check("posters/orphan.jpg", false, false)
			check(gone.Key, false, false)
			check(external.Key, false, true)

			if code, out, _ := runCLI(t, args...); code != 0 || !strings.Contains(out, "0 objects without a row, 0 rows without an object") {
				t.Errorf("files gc after --delete = %d %s; want nothing left", code, out)
			}
			if code, _, errOut := runCLI(t, "files", "gc", "--db", dsn, "--storage", "file:"+dir, "--min-age", "soon"); code != 2 || !strings.Contains(errOut, "--min-age") {
				t.Errorf("files gc --min-age soon = %d %s; want 2 naming --min-age", code, errOut)
			}
		})
	}
}

// sameLines reports whether out holds exactly the lines want, in any order.
func sameLines(out string, want []string) bool {
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	return slices.Equal(got, want)
}
