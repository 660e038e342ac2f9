package importer

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/moviedb/moviedb/sqlstore"
)

// demoCatalog is the demo catalog, in moviedb's export format, gzipped:
// a few hundred movies of the Wikipedia movie data (MIT, text CC BY-SA
// 4.0) with directors and character names from the Neo4j Movies graph
// (Apache-2.0), posters by URL only. TestDemoCatalog -update rebuilds it.
//
//go:embed demo.json.gz
var demoCatalog []byte

// DemoAttribution credits the sources of the demo catalog.
const DemoAttribution = "Movie data from wikipedia-movie-data by Peter Rust (MIT), compiled from English " +
	"Wikipedia (CC BY-SA 4.0); directors and character names from the Neo4j Movies example graph, " +
	"as distributed in neo4j-labs/neosemantics (Apache-2.0). Posters are links to Wikimedia, not copies."

// LoadDemo loads the demo catalog into store when its catalog is empty,
// and reports whether it did.
func LoadDemo(ctx context.Context, store *sqlstore.Store) (*Summary, bool, error) {
	empty, err := store.CatalogEmpty(ctx)
	if err != nil || !empty {
		return nil, false, err
	}
	start := time.Now()
	in, err := newInput("demo catalog", bytes.NewReader(demoCatalog), int64(len(demoCatalog)), func() error { return nil })
	if err != nil {
		return nil, false, err
	}
	r := &run{ctx: ctx, store: store, sum: &Summary{}}
	r.in = in
	if err := r.restoreFile(in); err != nil {
		return nil, false, fmt.Errorf("importer: demo: %w", err)
	}
	r.sum.Elapsed = time.Since(start)
	return r.sum, true, nil
}
