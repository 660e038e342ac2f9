package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
)

var update = flag.Bool("update", false, "rebuild demo.json.gz from the data sets in /work/shared/datasets")

// demoSize is how many Wikipedia movies the demo catalog has.
const demoSize = 300

// TestDemoCatalog checks the embedded demo catalog loads into an empty
// database of each engine, and only into an empty one. With -update it
// first rebuilds it from the Wikipedia movie data and the Neo4j Movies
// graph.
func TestDemoCatalog(t *testing.T) {
	if *update {
		buildDemo(t)
	}
	forEngine(t, func(t *testing.T, s *sqlstore.Store, db *sql.DB) {
		sum, loaded, err := LoadDemo(context.Background(), s)
		if err != nil || !loaded {
			t.Fatalf("LoadDemo = %v, %v; want it loaded", loaded, err)
		}
		counts := tableCounts(t, db)
		if counts["movies"] < 250 || counts["movies"] != sum.Movies.Created || counts["img_files"] < 250 || counts["countries"] != 1 {
			t.Errorf("demo catalog counts %v; want a few hundred movies with posters", counts)
		}
		var director, neo string
		db.QueryRow(`SELECT d.first_name || ' ' || d.last_name FROM movies m JOIN persons d ON d.id = m.director_id
			WHERE m.title = 'The Matrix'`).Scan(&director)
		db.QueryRow(`SELECT c.name FROM movies m JOIN movie_characters mc ON mc.movie_id = m.id
			JOIN characters c ON c.id = mc.character_id JOIN persons p ON p.id = mc.person_id
			WHERE m.title = 'The Matrix' AND p.last_name = 'Reeves'`).Scan(&neo)
		if !strings.HasSuffix(director, "Wachowski") || neo != "Neo" {
			t.Errorf("The Matrix: director %q, Keanu Reeves as %q; want a Wachowski and Neo", director, neo)
		}
		var external int
		db.QueryRow(`SELECT count(*) FROM img_files WHERE key LIKE 'external/%' AND url LIKE 'https://upload.wikimedia.org/%'`).Scan(&external)
		if external != counts["img_files"] {
			t.Errorf("%d of %d demo images are external Wikimedia links; want all", external, counts["img_files"])
		}
		if _, loaded, err := LoadDemo(context.Background(), s); loaded || err != nil {
			t.Errorf("LoadDemo on a filled catalog = %v, %v; want it left alone", loaded, err)
		}
	})
	if len(demoCatalog) > 300_000 {
		t.Errorf("demo.json.gz is %d bytes; keep it under 300 KB", len(demoCatalog))
	}
}

// neo4jGraph is what the demo takes from the Neo4j Movies graph.
type neo4jGraph struct {
	movies    map[string]string   // variable → title
	names     map[string]string   // variable → person name
	directors map[string][]string // title → names, in file order
	roles     map[string]map[string][]string
	actors    map[string][]string // title → names, in file order
}

var (
	neoMovie    = regexp.MustCompile(`\((\w+):Movie \{title:(?:'([^']*)'|"([^"]*)")`)
	neoPerson   = regexp.MustCompile(`\((\w+):Person \{name:(?:'([^']*)'|"([^"]*)")`)
	neoActed    = regexp.MustCompile(`\((\w+)\)-\[:ACTED_IN \{roles:\[(.*?)\]\}\]->\((\w+)\)`)
	neoDirected = regexp.MustCompile(`\((\w+)\)-\[:DIRECTED\]->\((\w+)\)`)
	neoString   = regexp.MustCompile(`'([^']*)'|"([^"]*)"`)
)

func readNeo4j(t *testing.T, file string) *neo4jGraph {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	g := &neo4jGraph{movies: map[string]string{}, names: map[string]string{}, directors: map[string][]string{},
		roles: map[string]map[string][]string{}, actors: map[string][]string{}}
	for _, m := range neoMovie.FindAllStringSubmatch(string(b), -1) {
		g.movies[m[1]] = m[2] + m[3]
	}
	for _, m := range neoPerson.FindAllStringSubmatch(string(b), -1) {
		g.names[m[1]] = m[2] + m[3]
	}
	for _, m := range neoDirected.FindAllStringSubmatch(string(b), -1) {
		title := g.movies[m[2]]
		g.directors[title] = append(g.directors[title], g.names[m[1]])
	}
	for _, m := range neoActed.FindAllStringSubmatch(string(b), -1) {
		title, name := g.movies[m[3]], g.names[m[1]]
		if name == "Emil Eifrem" { // a Neo4j founder's in-joke, not cast
			continue
		}
		if g.roles[title] == nil {
			g.roles[title] = map[string][]string{}
		}
		for _, r := range neoString.FindAllStringSubmatch(m[2], -1) {
			g.roles[title][name] = append(g.roles[title][name], r[1]+r[2])
		}
		g.actors[title] = append(g.actors[title], name)
	}
	return g
}

// buildDemo writes demo.json.gz: the demoSize Wikipedia movies from 1970
// on with a poster, a summary and the largest casts, plus those of the
// Neo4j graph, with the graph's directors and character names.
func buildDemo(t *testing.T) {
	const dir = "/work/shared/datasets/"
	in, err := open(dir + "wikipedia-movies.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	var all []wikipediaMovie
	if err := json.NewDecoder(in.r).Decode(&all); err != nil {
		t.Fatal(err)
	}
	in.Close()
	g := readNeo4j(t, dir+"neo4j-movies.cypher")

	usable := func(w *wikipediaMovie) bool {
		return w.Year >= 1970 && w.Thumbnail != nil && nonEmpty(w.Extract) != nil && w.Href != nil && len(w.Cast) >= 4 &&
			len(w.Title) <= 100
	}
	var picked []*wikipediaMovie
	seen := map[string]bool{}
	for i := range all {
		w := &all[i]
		if _, ok := g.directors[w.Title]; ok && usable(w) && !seen[w.Title] {
			seen[w.Title] = true
			picked = append(picked, w)
		}
	}
	var rest []*wikipediaMovie
	for i := range all {
		if w := &all[i]; usable(w) && !seen[w.Title] {
			rest = append(rest, w)
		}
	}
	slices.SortStableFunc(rest, func(a, b *wikipediaMovie) int { return len(b.Cast) - len(a.Cast) })
	for _, w := range rest {
		if len(picked) >= demoSize {
			break
		}
		if !seen[w.Title] {
			seen[w.Title] = true
			picked = append(picked, w)
		}
	}
	slices.SortStableFunc(picked, func(a, b *wikipediaMovie) int { return a.Year - b.Year })

	var batch []catalog.ImportMovie
	for _, w := range picked {
		m, _ := wikipediaToImport(w, 0)
		if ds := g.directors[w.Title]; len(ds) > 0 {
			if p, ok := personOf(ds[0]); ok {
				m.Director = &p
			}
		}
		roles := g.roles[w.Title]
		have := map[string]bool{}
		for i, c := range m.Cast {
			name := strings.TrimSpace(c.Person.FirstName + " " + c.Person.LastName)
			have[name] = true
			if rs := roles[name]; len(rs) > 0 {
				m.Cast[i].Character = strings.Join(rs, " / ")
			}
		}
		for _, name := range g.actors[w.Title] {
			if p, ok := personOf(name); ok && !have[name] {
				have[name] = true
				m.Cast = append(m.Cast, catalog.ImportCast{Person: p, Character: strings.Join(roles[name], " / "), Role: roleAt(len(m.Cast))})
			}
		}
		batch = append(batch, m)
	}
	s, _ := openDB(t, sqlstore.SQLite)
	if _, err := s.NewImporter().ImportMovies(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err := s.Export(context.Background(), zw); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	if err := os.WriteFile("demo.json.gz", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	demoCatalog = buf.Bytes()
	t.Logf("wrote demo.json.gz: %d movies, %d bytes", len(batch), buf.Len())
}
