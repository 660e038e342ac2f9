package sqlstore

import (
	"context"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

// TestImporterPragmas checks that an Importer tunes SQLite's write
// connection while it writes and that Close gives the connection its
// defaults back.
func TestImporterPragmas(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t, Options{})
	pragmas := func() (cacheSize, tempStore int) {
		t.Helper()
		if err := s.write.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cacheSize); err != nil {
			t.Fatal(err)
		}
		if err := s.write.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&tempStore); err != nil {
			t.Fatal(err)
		}
		return cacheSize, tempStore
	}
	defCache, defTemp := pragmas()
	im := s.NewImporter()
	if _, err := im.ImportMovies(ctx, []catalog.ImportMovie{{Source: "test", ExternalID: "1", Title: "One"}}); err != nil {
		t.Fatal(err)
	}
	if c, ts := pragmas(); c != -16384 || ts != 2 {
		t.Errorf("while importing: cache_size %d, temp_store %d; want -16384, 2 (memory)", c, ts)
	}
	if err := im.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if c, ts := pragmas(); c != defCache || ts != defTemp {
		t.Errorf("after Close: cache_size %d, temp_store %d; want the defaults %d, %d", c, ts, defCache, defTemp)
	}
}
