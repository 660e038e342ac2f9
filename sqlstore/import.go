package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"mime"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

// maxCacheEntries bounds each id cache of an Importer: past it the cache
// starts over, so memory stays bounded on IMDb's millions of people while
// the 27k of the Wikipedia file stay cached for the whole import.
const maxCacheEntries = 200_000

// An Importer writes batches of imported movies, each batch in one
// transaction. It keeps the ids of the persons, genres, countries and files
// it met by natural key (bounded), so later batches need not look them up.
// It is not safe for concurrent use.
type Importer struct {
	s                 *Store
	genres, countries map[string]int64 // by foldName(name)
	persons           map[string]int64 // by personKey
	files             map[string]int64 // by img_files key
	tuned             bool             // importPragmas are set
	// linkedUpTo holds, by source, an id up to which every person is
	// known by an id of that source: none of them can be a namesake
	// resolvePersons would match by name (see namesakesPossible).
	linkedUpTo map[string]int64
	wrote      bool // a batch created rows since Close
}

// importPragmas tune SQLite's write connection while an Importer writes,
// and restorePragmas put back SQLite's defaults, which the store keeps
// otherwise. A batch dirties more pages than the default 2 MB cache holds,
// and SQLite spilled them into the WAL mid-transaction; a big multi-row
// INSERT keeps a statement journal, which a temp file made a syscall per
// page. 16 MB, in memory, as long as the import runs: see
// docs/BENCHMARKS.md.
const (
	importPragmas  = "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY"
	restorePragmas = "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT"
)

// NewImporter returns an Importer writing to s.
func (s *Store) NewImporter() *Importer {
	return &Importer{s: s, genres: map[string]int64{}, countries: map[string]int64{},
		persons: map[string]int64{}, files: map[string]int64{}, linkedUpTo: map[string]int64{}}
}

// Close ends the import: the write connection gets back the settings it
// had, and when the import wrote anything the planners' statistics are
// refreshed (Store.RefreshStatistics), so the catalog is served with good
// plans right away. The Importer may be used again afterwards.
func (im *Importer) Close(ctx context.Context) error {
	if im.tuned {
		im.tuned = false
		if _, err := im.s.write.ExecContext(ctx, restorePragmas); err != nil {
			return fmt.Errorf("sqlstore: end import: %w", err)
		}
	}
	if im.wrote {
		im.wrote = false
		if err := im.s.RefreshStatistics(ctx); err != nil {
			return fmt.Errorf("sqlstore: end import: %w", err)
		}
	}
	return nil
}

// foldName is the key names are matched by: in the catalog's form
// (catalog.NormalizeName), without regard to case, as the databases'
// lower(name) unique indexes are.
func foldName(s string) string { return strings.ToLower(catalog.NormalizeName(s)) }

// personKey is how an imported person is matched: by the source's id when
// it has one, by name otherwise.
func personKey(source string, p *catalog.ImportPerson) string {
	if p.ExternalID != "" {
		return "x\x00" + source + "\x00" + p.ExternalID
	}
	return "n\x00" + foldName(p.FirstName) + "\x00" + foldName(p.LastName)
}

// batchIDs holds the ids a batch resolved, cached only once it commits.
type batchIDs struct {
	genres, countries, persons, files map[string]int64
}

// ImportMovies writes batch in one transaction: movies already imported
// from the same source and external id are skipped (counted as matched),
// persons, genres, countries and poster files are matched by natural key or
// created, and each new movie lands with its genre links, director, poster
// and cast. On error nothing of the batch is written. Names are first put
// in the catalog's form, in place (catalog.ImportMovie.NormalizeNames), so
// that an imported " Action " is the genre Action and a person is matched
// by the names the catalog keeps.
func (im *Importer) ImportMovies(ctx context.Context, batch []catalog.ImportMovie) (catalog.ImportStats, error) {
	for i := range batch {
		batch[i].NormalizeNames()
	}
	if im.s.engine == SQLite && !im.tuned {
		// The write pool's single connection is idle between transactions.
		if _, err := im.s.write.ExecContext(ctx, importPragmas); err != nil {
			return catalog.ImportStats{}, fmt.Errorf("sqlstore: import movies: tune: %w", err)
		}
		im.tuned = true
	}
	var st catalog.ImportStats
	ids := batchIDs{map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}}
	err := im.s.inBulkTx(ctx, func(tx *Tx) error {
		st = catalog.ImportStats{}
		clear(ids.genres)
		clear(ids.countries)
		clear(ids.persons)
		clear(ids.files)
		return im.importBatch(ctx, tx, batch, &st, ids)
	})
	if err != nil {
		return catalog.ImportStats{}, fmt.Errorf("sqlstore: import movies: %w", err)
	}
	if st.Movies.Created > 0 {
		im.wrote = true
	}
	for _, c := range []struct{ cache, add map[string]int64 }{
		{im.genres, ids.genres}, {im.countries, ids.countries}, {im.persons, ids.persons}, {im.files, ids.files},
	} {
		if len(c.cache)+len(c.add) > maxCacheEntries {
			clear(c.cache)
		}
		for k, v := range c.add {
			c.cache[k] = v
		}
	}
	return st, nil
}

func (im *Importer) importBatch(ctx context.Context, tx *Tx, batch []catalog.ImportMovie, st *catalog.ImportStats, ids batchIDs) error {
	movies, err := im.s.newMovies(ctx, tx, batch)
	if err != nil {
		return err
	}
	st.Movies.Matched = len(batch) - len(movies)
	if len(movies) == 0 {
		return nil
	}

	var genres, countries, fileURLs []string
	// Persons in the order the rows below meet them, with their keys,
	// made once: making them was 7% of an import's CPU.
	var persons []*catalog.ImportPerson
	var personKeys []string
	source := movies[0].Source
	for _, m := range movies {
		genres = append(genres, m.Genres...)
		if m.Country != "" {
			countries = append(countries, m.Country)
		}
		if m.PosterURL != "" {
			fileURLs = append(fileURLs, m.PosterURL)
		}
		if m.Director != nil {
			persons = append(persons, m.Director)
			personKeys = append(personKeys, personKey(source, m.Director))
		}
		for i := range m.Cast {
			persons = append(persons, &m.Cast[i].Person)
			personKeys = append(personKeys, personKey(source, &m.Cast[i].Person))
		}
		if m.Source != source {
			return fmt.Errorf("batch mixes sources %q and %q", source, m.Source)
		}
	}
	if err := im.resolveNamed(ctx, tx, "genres", genres, im.genres, ids.genres, &st.Genres); err != nil {
		return err
	}
	if err := im.resolveNamed(ctx, tx, "countries", countries, im.countries, ids.countries, &st.Countries); err != nil {
		return err
	}
	if err := im.resolvePersons(ctx, tx, source, persons, personKeys, ids.persons, &st.Persons); err != nil {
		return err
	}
	if err := im.resolveFiles(ctx, tx, fileURLs, ids.files, &st.Files); err != nil {
		return err
	}

	movieIDs, err := im.s.allocIDs(ctx, tx, "movies", len(movies))
	if err != nil {
		return err
	}
	if err := beginBulk(ctx, tx, movieIDs[0]); err != nil {
		return err
	}
	now := tx.nowArg()
	var movieRows, sourceRows, genreRows, castRows [][]any
	var characters []catalog.ImportCast
	nextPerson := 0 // in persons and personKeys
	for i, m := range movies {
		id := movieIDs[i]
		var director, country, poster any
		if m.Director != nil {
			director = ids.persons[personKeys[nextPerson]]
			nextPerson++
		}
		if m.Country != "" {
			country = ids.countries[foldName(m.Country)]
		}
		if m.PosterURL != "" {
			poster = ids.files[catalog.ExternalKey(m.PosterURL)]
		}
		movieRows = append(movieRows, []any{id, m.Title, m.Description, moneyArg(m.Budget), dateArg(m.ReleaseDate),
			m.Duration, director, country, poster, now, now})
		sourceRows = append(sourceRows, []any{m.Source, m.ExternalID, id})
		seen := map[int64]bool{}
		for _, g := range m.Genres {
			gid := ids.genres[foldName(g)]
			if !seen[gid] {
				seen[gid] = true
				genreRows = append(genreRows, []any{id, gid, now, now})
			}
		}
		for _, c := range m.Cast {
			characters = append(characters, c)
			castRows = append(castRows, []any{id, nil, ids.persons[personKeys[nextPerson]], now, now})
			nextPerson++
		}
	}
	charIDs, err := im.s.allocIDs(ctx, tx, "characters", len(characters))
	if err != nil {
		return err
	}
	charRows := make([][]any, len(characters))
	for i, c := range characters {
		charRows[i] = []any{charIDs[i], c.Character, c.Description, c.Role, now, now}
		castRows[i][1] = charIDs[i]
	}
	for _, ins := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"movies", []string{"id", "title", "description", "budget", "release_date", "duration",
			"director_id", "country_id", "poster_file_id", `"createdAt"`, `"updatedAt"`}, movieRows},
		{"import_sources", []string{"source", "external_id", "movie_id"}, sourceRows},
		{"movie_genres", []string{"movie_id", "genre_id", `"createdAt"`, `"updatedAt"`}, genreRows},
		{"characters", []string{"id", "name", "description", "role", `"createdAt"`, `"updatedAt"`}, charRows},
		{"movie_characters", []string{"movie_id", "character_id", "person_id", `"createdAt"`, `"updatedAt"`}, castRows},
	} {
		if err := insertRows(ctx, tx, ins.table, ins.cols, ins.rows); err != nil {
			return err
		}
	}
	st.Movies.Created = len(movies)
	st.Characters.Created = len(characters)
	st.Links = len(genreRows) + len(castRows)
	return endBulk(ctx, tx)
}

// beginBulk tells the detail-version triggers that the links written next
// in tx belong to movies tx creates, from firstMovieID up, whose versions
// their own insert sets: bumping them again per link would only cost
// time. PostgreSQL reads a transaction-local setting (migration 0006),
// SQLite a row of import_bulk (migration 0008) that endBulk deletes
// before the commit, so no other transaction sees it.
func beginBulk(ctx context.Context, tx *Tx, firstMovieID int64) error {
	q := "INSERT INTO import_bulk (first_movie_id) VALUES ($1)"
	args := []any{firstMovieID}
	if tx.engine == Postgres {
		q, args = "SELECT set_config('moviedb.bulk_new_movies', 'on', true)", nil
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("begin bulk mode: %w", err)
	}
	return nil
}

// endBulk ends what beginBulk began: the reports get the rows their
// triggers skipped (addBulkToReports); on SQLite the import_bulk row must
// be gone before the commit; PostgreSQL's setting ends with the
// transaction by itself.
func endBulk(ctx context.Context, tx *Tx) error {
	if err := addBulkToReports(ctx, tx); err != nil {
		return err
	}
	if tx.engine == Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM import_bulk"); err != nil {
		return fmt.Errorf("end bulk mode: %w", err)
	}
	return nil
}

// newMovies returns the movies of batch not imported before, each external
// id once.
func (s *Store) newMovies(ctx context.Context, tx *Tx, batch []catalog.ImportMovie) ([]*catalog.ImportMovie, error) {
	type key struct{ source, id string }
	bySource := map[string][]any{}
	for _, m := range batch {
		bySource[m.Source] = append(bySource[m.Source], m.ExternalID)
	}
	known := map[key]bool{}
	for source, extIDs := range bySource {
		err := queryIn(ctx, tx.engine, tx, "SELECT external_id FROM import_sources WHERE source = $1 AND external_id IN ", []any{source}, extIDs,
			func(scan func(...any) error) error {
				var id string
				if err := scan(&id); err != nil {
					return err
				}
				known[key{source, id}] = true
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("find imported movies: %w", err)
		}
	}
	var movies []*catalog.ImportMovie
	for i := range batch {
		k := key{batch[i].Source, batch[i].ExternalID}
		if !known[k] {
			known[k] = true
			movies = append(movies, &batch[i])
		}
	}
	return movies, nil
}

// resolveNamed finds or creates the rows of table (genres or countries)
// named names, ignoring case, and puts their ids into ids.
func (im *Importer) resolveNamed(ctx context.Context, tx *Tx, table string, names []string, cache, ids map[string]int64, count *catalog.ImportCount) error {
	var missing []any
	var missingNames []string
	for _, n := range names {
		k := foldName(n)
		if _, ok := ids[k]; ok {
			continue
		}
		if id, ok := cache[k]; ok {
			ids[k] = id
			count.Matched++
			continue
		}
		ids[k] = 0
		missing = append(missing, strings.TrimSpace(n))
		missingNames = append(missingNames, n)
	}
	if len(missing) == 0 {
		return nil
	}
	err := queryInFunc(ctx, tx.engine, tx, "SELECT id, name FROM "+table+" WHERE lower(name) IN ", "lower", nil, missing,
		func(scan func(...any) error) error {
			var id int64
			var name string
			if err := scan(&id, &name); err != nil {
				return err
			}
			if k := foldName(name); ids[k] == 0 {
				ids[k] = id
				count.Matched++
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("find %s: %w", table, err)
	}
	var create []string
	for _, n := range missingNames {
		if ids[foldName(n)] == 0 {
			create = append(create, strings.TrimSpace(n))
		}
	}
	newIDs, err := im.s.allocIDs(ctx, tx, table, len(create))
	if err != nil {
		return err
	}
	now := tx.nowArg()
	rows := make([][]any, len(create))
	for i, n := range create {
		rows[i] = []any{newIDs[i], n, now, now}
		ids[foldName(n)] = newIDs[i]
	}
	count.Created += len(create)
	return insertRows(ctx, tx, table, []string{"id", "name", `"createdAt"`, `"updatedAt"`}, rows)
}

// resolvePersons finds or creates the persons of a batch and puts their ids
// into ids by personKey (keys holds the key of each of persons). A person
// with an external id is found by it first; else, as a person without
// one, by name, but never a person the same source already knows by
// another id: namesakes stay apart.
func (im *Importer) resolvePersons(ctx context.Context, tx *Tx, source string, persons []*catalog.ImportPerson, keys []string, ids map[string]int64, count *catalog.ImportCount) error {
	var missing []*catalog.ImportPerson
	var extIDs []any
	for i, p := range persons {
		k := keys[i]
		if _, ok := ids[k]; ok {
			continue
		}
		if id, ok := im.persons[k]; ok {
			ids[k] = id
			count.Matched++
			continue
		}
		ids[k] = 0
		missing = append(missing, p)
		if p.ExternalID != "" {
			extIDs = append(extIDs, p.ExternalID)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if len(extIDs) > 0 {
		err := queryIn(ctx, tx.engine, tx, "SELECT external_id, person_id FROM import_person_sources WHERE source = $1 AND external_id IN ",
			[]any{source}, extIDs, func(scan func(...any) error) error {
				var ext string
				var id int64
				if err := scan(&ext, &id); err != nil {
					return err
				}
				ids[personKey(source, &catalog.ImportPerson{ExternalID: ext})] = id
				count.Matched++
				return nil
			})
		if err != nil {
			return fmt.Errorf("find persons by source id: %w", err)
		}
	}

	// By name: the lowest id of each name, among persons this source does
	// not know by an id already.
	byName := map[string]int64{}
	possible, err := im.namesakesPossible(ctx, tx, source)
	if err != nil {
		return err
	}
	if possible {
		var names [][2]string // last, first
		seenName := map[string]bool{}
		for _, p := range missing {
			k := personKey(source, &catalog.ImportPerson{FirstName: p.FirstName, LastName: p.LastName})
			if ids[personKey(source, p)] == 0 && !seenName[k] {
				seenName[k] = true
				names = append(names, [2]string{strings.TrimSpace(p.LastName), strings.TrimSpace(p.FirstName)})
			}
		}
		err := personsNamed(ctx, tx, source, names, func(id int64, first, last string) {
			k := personKey(source, &catalog.ImportPerson{FirstName: first, LastName: last})
			if old, ok := byName[k]; !ok || id < old {
				byName[k] = id
			}
		})
		if err != nil {
			return fmt.Errorf("find persons by name: %w", err)
		}
	}
	var create []*catalog.ImportPerson
	var links [][]any
	claimed := map[int64]bool{} // namesakes with different source ids in one batch
	for _, p := range missing {
		k := personKey(source, p)
		if ids[k] != 0 {
			continue
		}
		nameKey := personKey(source, &catalog.ImportPerson{FirstName: p.FirstName, LastName: p.LastName})
		if id, ok := byName[nameKey]; ok && (p.ExternalID == "" || !claimed[id]) {
			ids[k] = id
			count.Matched++
			if p.ExternalID != "" {
				claimed[id] = true
				links = append(links, []any{source, p.ExternalID, id})
			}
			continue
		}
		ids[k] = -1 // created below
		create = append(create, p)
	}
	newIDs, err := im.s.allocIDs(ctx, tx, "persons", len(create))
	if err != nil {
		return err
	}
	now := tx.nowArg()
	rows := make([][]any, len(create))
	for i, p := range create {
		rows[i] = []any{newIDs[i], strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName), dateArg(p.DateOfBirth), now, now}
		ids[personKey(source, p)] = newIDs[i]
		if p.ExternalID != "" {
			links = append(links, []any{source, p.ExternalID, newIDs[i]})
		}
	}
	count.Created += len(create)
	// In key order: the batch's links then go into each page of the
	// index once, in one pass.
	slices.SortFunc(links, func(a, b []any) int { return strings.Compare(a[1].(string), b[1].(string)) })
	if err := insertRows(ctx, tx, "persons", []string{"id", "first_name", "last_name", "date_of_birth", `"createdAt"`, `"updatedAt"`}, rows); err != nil {
		return err
	}
	return insertRows(ctx, tx, "import_person_sources", []string{"source", "external_id", "person_id"}, links)
}

// namesakesPossible reports whether the catalog may hold a person that
// source does not know by an id, whom resolvePersons would have to look
// for by name. An import of IMDb into a catalog of IMDb's people finds
// none, and looking up millions of new names one by one was the largest
// part of its time. Each call looks only at the persons created since the
// last call that found none; a person another writer creates below that
// mark while the import runs (an id reused after a delete) is not
// matched by name, which leaves two namesakes apart, as namesakes may be.
func (im *Importer) namesakesPossible(ctx context.Context, tx *Tx, source string) (bool, error) {
	var top int64
	var unlinked bool
	err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT max(id) FROM persons), 0),
		EXISTS (SELECT 1 FROM persons p WHERE p.id > $1
			AND NOT EXISTS (SELECT 1 FROM import_person_sources s WHERE s.person_id = p.id AND s.source = $2))`,
		im.linkedUpTo[source], source).Scan(&top, &unlinked)
	if err != nil {
		return false, fmt.Errorf("look for persons without a %s id: %w", source, err)
	}
	if !unlinked {
		im.linkedUpTo[source] = top
	}
	return unlinked, nil
}

// personsNamed calls each for every person named one of names (last
// name, first name; ignoring case) that source does not know by an id.
// Whole names are matched through the index on (lower(last_name),
// lower(first_name)) (persons_lower_name_idx on SQLite, persons_name_id_idx
// on PostgreSQL): matching last
// names alone met every namesake of a common last name, a number that
// grows with the catalog, for every new person.
func personsNamed(ctx context.Context, tx *Tx, source string, names [][2]string, each func(id int64, first, last string)) error {
	scan := func(sc func(...any) error) error {
		var id int64
		var first, last string
		if err := sc(&id, &first, &last); err != nil {
			return err
		}
		each(id, first, last)
		return nil
	}
	const cols = "SELECT p.id, p.first_name, p.last_name FROM "
	const join = ` JOIN persons p ON lower(p.last_name) = lower(n.l) AND lower(p.first_name) = lower(n.f)
		WHERE NOT EXISTS (SELECT 1 FROM import_person_sources s WHERE s.person_id = p.id AND s.source = `
	if tx.engine == Postgres {
		lasts, firsts := make([]string, len(names)), make([]string, len(names))
		for i, n := range names {
			lasts[i], firsts[i] = n[0], n[1]
		}
		return queryEach(ctx, tx, cols+"unnest($1::text[], $2::text[]) AS n(l, f)"+join+"$3)",
			[]any{lasts, firsts, source}, scan)
	}
	const per = 500
	for start := 0; start < len(names); start += per {
		chunk := names[start:min(start+per, len(names))]
		var sb strings.Builder
		args := make([]any, 0, 2*len(chunk)+1)
		sb.WriteString("WITH n(l, f) AS (VALUES ")
		for i, n := range chunk {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(?,?)")
			args = append(args, n[0], n[1])
		}
		sb.WriteString(") " + cols + "n" + join + "?)")
		if err := queryEach(ctx, tx, sb.String(), append(args, source), scan); err != nil {
			return err
		}
	}
	return nil
}

// resolveFiles finds or creates the img_files rows of external images at
// urls and puts their ids into ids by key.
func (im *Importer) resolveFiles(ctx context.Context, tx *Tx, urls []string, ids map[string]int64, count *catalog.ImportCount) error {
	var missing []any
	var missingURLs []string
	for _, u := range urls {
		k := catalog.ExternalKey(u)
		if _, ok := ids[k]; ok {
			continue
		}
		if id, ok := im.files[k]; ok {
			ids[k] = id
			count.Matched++
			continue
		}
		ids[k] = 0
		missing = append(missing, k)
		missingURLs = append(missingURLs, u)
	}
	if len(missing) == 0 {
		return nil
	}
	err := queryIn(ctx, tx.engine, tx, "SELECT id, key FROM img_files WHERE key IN ", nil, missing, func(scan func(...any) error) error {
		var id int64
		var key string
		if err := scan(&id, &key); err != nil {
			return err
		}
		ids[key] = id
		count.Matched++
		return nil
	})
	if err != nil {
		return fmt.Errorf("find files: %w", err)
	}
	var create []string
	for _, u := range missingURLs {
		if ids[catalog.ExternalKey(u)] == 0 {
			create = append(create, u)
		}
	}
	newIDs, err := im.s.allocIDs(ctx, tx, "img_files", len(create))
	if err != nil {
		return err
	}
	now := tx.nowArg()
	rows := make([][]any, len(create))
	for i, u := range create {
		name, mimeType := externalFileName(u)
		rows[i] = []any{newIDs[i], name, mimeType, catalog.ExternalKey(u), u, now, now}
		ids[catalog.ExternalKey(u)] = newIDs[i]
	}
	count.Created += len(create)
	return insertRows(ctx, tx, "img_files", []string{"id", "file_name", "mime_type", "key", "url", `"createdAt"`, `"updatedAt"`}, rows)
}

// externalFileName returns the file name and media type an image at
// rawURL is known by: the last segment of its path, and the type its
// extension names.
func externalFileName(rawURL string) (name, mimeType string) {
	name = "image"
	if u, err := url.Parse(rawURL); err == nil && path.Base(u.Path) != "/" && path.Base(u.Path) != "." {
		name = path.Base(u.Path)
	}
	mimeType = mime.TypeByExtension(strings.ToLower(path.Ext(name)))
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	mimeType, _, _ = strings.Cut(mimeType, ";")
	return name, mimeType
}

// allocIDs returns n new ids for rows of table, in increasing order. Rows
// get their ids before they are inserted so that many rows go in one
// statement and the links to them need no round trip back. On SQLite the
// write transaction is exclusive, so max(id) is safe; on PostgreSQL the
// ids come from the table's identity sequence.
func (s *Store) allocIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, n)
	if s.engine == SQLite {
		var max int64
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM "+table).Scan(&max); err != nil {
			return nil, fmt.Errorf("allocate %s ids: %w", table, err)
		}
		for i := range n {
			ids = append(ids, max+1+int64(i))
		}
		return ids, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, n)
	if err != nil {
		return nil, fmt.Errorf("allocate %s ids: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("allocate %s ids: %w", table, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("allocate %s ids: %w", table, err)
	}
	return ids, nil
}

// maxParams bounds the parameters of one statement, under SQLite's 32766
// and PostgreSQL's 65535.
const maxParams = 30000

// insertRows inserts rows into table's cols with multi-row INSERTs of up
// to maxParams parameters each. Table and column names come from the
// code, never from input.
func insertRows(ctx context.Context, tx *Tx, table string, cols []string, rows [][]any) error {
	if tx.conn != nil && len(rows) >= minCopyRows {
		return copyRows(ctx, tx, table, cols, rows)
	}
	return buildInserts(tx.engine, table, cols, rows, "", func(q string, args []any) error {
		if _, err := tx.execMany(ctx, q, args); err != nil {
			return fmt.Errorf("insert into %s: %w", table, translate(err, opWrite))
		}
		return nil
	})
}

// buildInserts calls exec with each multi-row INSERT of rows, suffix
// ending each statement.
func buildInserts(engine Engine, table string, cols []string, rows [][]any, suffix string, exec func(q string, args []any) error) error {
	per := max(1, min(1000, maxParams/len(cols)))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	var sb strings.Builder
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		sb.Reset()
		sb.WriteString(head)
		args := make([]any, 0, len(chunk)*len(cols))
		for i, r := range chunk {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('(')
			for j := range r {
				if j > 0 {
					sb.WriteByte(',')
				}
				args = append(args, r[j])
				sb.WriteString(placeholder(engine, len(args)))
			}
			sb.WriteByte(')')
		}
		sb.WriteString(suffix)
		if err := exec(sb.String(), args); err != nil {
			return err
		}
	}
	return nil
}

// queryIn runs query, which ends in "IN ", with args and then the values
// of in as a parenthesised list, in chunks, calling each for every row.
func queryIn(ctx context.Context, engine Engine, q queryer, query string, args, in []any, each func(scan func(...any) error) error) error {
	return queryInFunc(ctx, engine, q, query, "", args, in, each)
}

// queryInFunc is queryIn with each value of the list passed through the
// SQL function fn, such as lower, so that the database folds both sides
// of a comparison alike.
func queryInFunc(ctx context.Context, engine Engine, q queryer, query, fn string, args, in []any, each func(scan func(...any) error) error) error {
	if engine == Postgres {
		// One array parameter: PostgreSQL plans a list of hundreds of
		// parameters slowly, again for every batch.
		list := make([]string, len(in))
		for i, v := range in {
			s, ok := v.(string)
			if !ok {
				return fmt.Errorf("queryIn: %T value, want string", v)
			}
			list[i] = s
		}
		elem := "x"
		if fn != "" {
			elem = fn + "(x)"
		}
		query += "(SELECT " + elem + " FROM unnest($" + strconv.Itoa(len(args)+1) + "::text[]) AS x)"
		return queryEach(ctx, q, query, append(append([]any{}, args...), list), each)
	}
	const per = 500
	for start := 0; start < len(in); start += per {
		chunk := in[start:min(start+per, len(in))]
		var sb strings.Builder
		sb.WriteString(query)
		sb.WriteByte('(')
		all := append(append([]any{}, args...), chunk...)
		for i := range chunk {
			if i > 0 {
				sb.WriteByte(',')
			}
			if fn != "" {
				sb.WriteString(fn + "(" + placeholder(engine, len(args)+i+1) + ")")
			} else {
				sb.WriteString(placeholder(engine, len(args)+i+1))
			}
		}
		sb.WriteByte(')')
		if err := queryEach(ctx, q, sb.String(), all, each); err != nil {
			return err
		}
	}
	return nil
}

// queryEach runs query with args and calls each for every row.
func queryEach(ctx context.Context, q queryer, query string, args []any, each func(scan func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// StageNames keeps names (nconst → name) of IMDb's name.basics for
// StagedNames to look up during an import, in one transaction. Known
// nconsts keep their first name.
func (s *Store) StageNames(ctx context.Context, names map[string]string) error {
	rows := make([][]any, 0, len(names))
	for _, nconst := range slices.Sorted(maps.Keys(names)) {
		// In key order, the rows go to the end of the index rather than
		// all over it.
		rows = append(rows, []any{nconst, names[nconst]})
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		// A rerun stages the same names again: the first stays.
		_, err := insertRowsIgnoring(ctx, tx, "import_names", []string{"nconst", "name"}, rows)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlstore: stage names: %w", err)
	}
	return nil
}

// StagedNames returns the staged names of nconsts, by nconst.
func (s *Store) StagedNames(ctx context.Context, nconsts []string) (map[string]string, error) {
	// Each once and in key order, so lookups walk the index forward.
	keys := slices.Compact(slices.Sorted(slices.Values(nconsts)))
	in := make([]any, len(keys))
	for i, n := range keys {
		in[i] = n
	}
	names := make(map[string]string, len(keys))
	err := queryIn(ctx, s.engine, s.read, "SELECT nconst, name FROM import_names WHERE nconst IN ", nil, in, func(scan func(...any) error) error {
		var k, n string
		if err := scan(&k, &n); err != nil {
			return err
		}
		names[k] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: staged names: %w", err)
	}
	return names, nil
}

// ClearStagedNames forgets the staged names once an import is done.
func (s *Store) ClearStagedNames(ctx context.Context) error {
	return s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM import_names"); err != nil {
			return fmt.Errorf("sqlstore: clear staged names: %w", err)
		}
		return nil
	})
}

// placeholder returns the placeholder of the n-th parameter (from 1) of a
// statement with many: "?" on SQLite, which binds it by position (the
// statement's fixed parameters, $1 to $k, come first), "$n" on PostgreSQL.
func placeholder(engine Engine, n int) string {
	if engine == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}

// CatalogEmpty reports whether the catalog has no movies, persons, genres,
// countries or characters: a fresh database, where the demo catalog may be
// loaded.
func (s *Store) CatalogEmpty(ctx context.Context) (bool, error) {
	var any bool
	err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM movies) OR EXISTS (SELECT 1 FROM persons)
		OR EXISTS (SELECT 1 FROM genres) OR EXISTS (SELECT 1 FROM countries) OR EXISTS (SELECT 1 FROM characters)`).Scan(&any)
	if err != nil {
		return false, fmt.Errorf("sqlstore: is the catalog empty: %w", err)
	}
	return !any, nil
}
