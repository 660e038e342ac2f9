package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
)

// Config says what to generate.
type Config struct {
	Movies int    // feature films the importer keeps (titleType movie, isAdult 0)
	Seed   uint64 // same seed and size, same bytes
}

// Stats counts what was written.
type Stats struct {
	Titles, Movies, Principals, Names int64
}

// The shape of the catalog. Shares are of title.basics rows; the
// principals of one title are about eight, as in IMDb's dumps.
const (
	adultShare       = 0.02  // of movie rows: isAdult 1, skipped by the importer
	noYearShare      = 0.03  // startYear \N
	futureYearShare  = 0.015 // announced films, a few years ahead
	noRuntimeShare   = 0.20  // runtimeMinutes \N
	hugeRuntimeShare = 0.0002
	noGenreShare     = 0.03
	renamedShare     = 0.12 // originalTitle differs from primaryTitle
	rareWordShare    = 0.005
	sequelShare      = 0.03
	lastYear         = 2025 // fixed, not today: the files must not depend on the day
	firstYear        = 1894
)

// titleTypes other than movie are written too, for the importer to skip.
var titleTypes = []struct {
	name   string
	weight float64
}{
	{"movie", 62}, {"short", 10}, {"tvEpisode", 14}, {"tvSeries", 4}, {"tvMovie", 4},
	{"video", 4}, {"tvMiniSeries", 1}, {"tvSpecial", 0.5}, {"videoGame", 0.5},
}

// A pool is a range of people credited in one capacity (cast, directing,
// writing, other crew). A credit picks rank floor(size·u^exp) for uniform
// u: the probability of rank k falls as k^(1/exp-1), a power law whose
// head (rank 0) is in thousands of titles at a million movies while most
// of the pool has one or two credits.
type pool struct {
	first int64 // nconst number of rank 0
	size  int64
	exp   float64
	prof  string // primaryProfession in name.basics
}

func (p pool) pick(r *rand.Rand) int64 {
	k := int64(float64(p.size) * math.Pow(r.Float64(), p.exp))
	return p.first + min(k, p.size-1)
}

// pools returns the people of a catalog of the given size, numbered from
// nm0000001 in this order: cast, directors, writers, other crew.
func pools(movies int) (cast, directors, writers, crew pool) {
	next := int64(1)
	mk := func(perMovie, exp float64, prof string) pool {
		p := pool{first: next, size: max(1, int64(perMovie*float64(movies))), exp: exp, prof: prof}
		next += p.size
		return p
	}
	return mk(2.3, 2.0, "actor"), mk(0.45, 1.6, "director,writer"), mk(0.6, 1.6, "writer"), mk(0.6, 1.8, "producer")
}

// A weighted list picks an index with probability proportional to its
// weight.
type weighted []float64 // cumulative weights

func newWeighted(ws []float64) weighted {
	cum := make(weighted, len(ws))
	sum := 0.0
	for i, w := range ws {
		sum += w
		cum[i] = sum
	}
	return cum
}

// zipf weighs a list of n items 1/(rank+1)^s.
func zipf(n int, s float64) weighted {
	ws := make([]float64, n)
	for i := range ws {
		ws[i] = 1 / math.Pow(float64(i+1), s)
	}
	return newWeighted(ws)
}

func (w weighted) pick(r *rand.Rand) int {
	return min(sort.SearchFloat64s(w, r.Float64()*w[len(w)-1]), len(w)-1)
}

// A generator writes one catalog.
type generator struct {
	cfg                           Config
	r                             *rand.Rand
	cast, directors, writers, oth pool
	types, genreW, words          weighted
	male, female, last            weighted
	person                        personGen // the fixed traits of a person
	basics, crew, principals      *tsvOut
	line, title                   []byte
	picked                        []int64 // people of the current title, not credited twice
	genrePick                     []int
	stats                         Stats
}

// Generate writes the four files of cfg into dir.
func Generate(dir string, cfg Config) (Stats, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, fmt.Errorf("imdbgen: %w", err)
	}
	os.Remove(filepath.Join(dir, "DONE"))
	g := &generator{cfg: cfg, r: rand.New(rand.NewPCG(cfg.Seed, 0x7469746c6573))}
	g.cast, g.directors, g.writers, g.oth = pools(cfg.Movies)
	tw := make([]float64, len(titleTypes))
	for i, t := range titleTypes {
		tw[i] = t.weight
	}
	g.types = newWeighted(tw)
	gw := make([]float64, len(genres))
	for i, x := range genres {
		gw[i] = x.weight
	}
	g.genreW = newWeighted(gw)
	g.words = zipf(len(titleWords), 0.8)
	g.male, g.female, g.last = zipf(len(maleNames), 0.7), zipf(len(femaleNames), 0.7), zipf(len(lastNames), 0.6)
	g.person = newPersonGen(cfg.Seed, g.male, g.female, g.last)

	// name.basics depends only on the seed and the pools: it is written
	// alongside, on the other core.
	names := make(chan error, 1)
	var nameRows int64
	go func() {
		var err error
		nameRows, err = writeNames(dir, cfg.Seed, g.male, g.female, g.last, g.cast, g.directors, g.writers, g.oth)
		names <- err
	}()
	err := g.writeTitles(dir)
	if nerr := <-names; err == nil {
		err = nerr
	}
	if err != nil {
		return Stats{}, err
	}
	g.stats.Names = nameRows
	done := fmt.Sprintf("imdbgen -movies %d -seed %d\n", cfg.Movies, cfg.Seed)
	if err := os.WriteFile(filepath.Join(dir, "DONE"), []byte(done), 0o644); err != nil {
		return Stats{}, fmt.Errorf("imdbgen: %w", err)
	}
	return g.stats, nil
}

func (g *generator) writeTitles(dir string) (err error) {
	if g.basics, err = createTSV(dir, "title.basics.tsv.gz",
		"tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres"); err != nil {
		return err
	}
	defer g.basics.abort()
	if g.crew, err = createTSV(dir, "title.crew.tsv.gz", "tconst\tdirectors\twriters"); err != nil {
		return err
	}
	defer g.crew.abort()
	if g.principals, err = createTSV(dir, "title.principals.tsv.gz",
		"tconst\tordering\tnconst\tcategory\tjob\tcharacters"); err != nil {
		return err
	}
	defer g.principals.abort()

	tconst := int64(0)
	for g.stats.Movies < int64(g.cfg.Movies) {
		// IMDb's numbering has gaps (deleted and merged titles).
		tconst += 1 + int64(g.r.IntN(10)/9)*int64(1+g.r.IntN(3))
		g.titleRow(tconst)
	}
	for _, t := range []*tsvOut{g.basics, g.crew, g.principals} {
		if err := t.close(); err != nil {
			return err
		}
	}
	return nil
}

// titleRow writes one title with its crew and principals.
func (g *generator) titleRow(tconst int64) {
	r := g.r
	kind := titleTypes[g.types.pick(r)].name
	adult := kind == "movie" && r.Float64() < adultShare
	if kind == "movie" && !adult {
		g.stats.Movies++
	}
	g.stats.Titles++

	l := appendID(g.line[:0], "tt", tconst)
	l = append(l, '\t')
	l = append(l, kind...)
	l = append(l, '\t')
	g.title = g.appendTitle(g.title[:0])
	l = append(l, g.title...)
	l = append(l, '\t')
	if r.Float64() < renamedShare {
		l = g.appendTitle(l)
	} else {
		l = append(l, g.title...)
	}
	if adult {
		l = append(l, "\t1\t"...)
	} else {
		l = append(l, "\t0\t"...)
	}
	year := g.year()
	l = appendOpt(l, year)
	l = append(l, '\t')
	if (kind == "tvSeries" || kind == "tvMiniSeries") && year > 0 && r.IntN(2) == 0 {
		l = strconv.AppendInt(l, int64(year+1+r.IntN(10)), 10)
	} else {
		l = append(l, `\N`...)
	}
	l = append(l, '\t')
	l = appendOpt(l, g.runtime(kind))
	l = append(l, '\t')
	l = g.appendGenres(l, adult)
	l = append(l, '\n')
	g.basics.write(l)

	g.credits(tconst, kind)
	g.line = l
}

// credits writes the crew row and the principals of a title: cast first,
// then directors, writers and other crew, as IMDb mostly orders them.
func (g *generator) credits(tconst int64, kind string) {
	r := g.r
	g.picked = g.picked[:0]
	actors := 2 + r.IntN(8) // 2..9, about 5.5
	switch kind {
	case "movie", "tvMovie":
	case "tvEpisode", "short", "video":
		actors = 1 + r.IntN(4)
	case "videoGame":
		actors = r.IntN(3)
	default:
		actors = 2 + r.IntN(5)
	}
	nDirectors := 1
	if r.IntN(10) == 0 {
		nDirectors = 2
	} else if kind == "tvSeries" || kind == "tvMiniSeries" || r.IntN(50) == 0 {
		nDirectors = 0
	}
	nWriters := r.IntN(3)

	// title.crew
	l := appendID(g.line[:0], "tt", tconst)
	l = append(l, '\t')
	start := len(g.picked)
	for i := range nDirectors {
		p := g.director()
		if i > 0 {
			l = append(l, ',')
		}
		l = appendID(l, "nm", p)
	}
	directors := g.picked[start:]
	if nDirectors == 0 {
		l = append(l, `\N`...)
	}
	l = append(l, '\t')
	start = len(g.picked)
	for i := range nWriters {
		if i > 0 {
			l = append(l, ',')
		}
		l = appendID(l, "nm", g.unique(g.writers))
	}
	writers := g.picked[start:]
	if nWriters == 0 {
		l = append(l, `\N`...)
	}
	l = append(l, '\n')
	g.crew.write(l)

	// title.principals
	ord := 0
	row := func(nconst int64, category, job string) []byte {
		ord++
		g.stats.Principals++
		l = appendID(l[:0], "tt", tconst)
		l = append(l, '\t')
		l = strconv.AppendInt(l, int64(ord), 10)
		l = append(l, '\t')
		l = appendID(l, "nm", nconst)
		l = append(l, '\t')
		l = append(l, category...)
		l = append(l, '\t')
		l = append(l, job...)
		l = append(l, '\t')
		return l
	}
	documentary := r.IntN(12) == 0
	for range actors {
		p := g.unique(g.cast)
		female := g.person.female(p)
		cat := "actor"
		if documentary {
			cat = "self"
		} else if female {
			cat = "actress"
		}
		l = row(p, cat, `\N`)
		l = g.appendCharacters(l, cat == "self", female)
		l = append(l, '\n')
		g.principals.write(l)
	}
	crewRow := func(nconst int64, category, job string) {
		l = row(nconst, category, job)
		l = append(l, `\N`...)
		l = append(l, '\n')
		g.principals.write(l)
	}
	for _, d := range directors {
		crewRow(d, "director", `\N`)
	}
	for i, w := range writers {
		if i == 0 || r.IntN(2) == 0 {
			crewRow(w, "writer", writerJobs[r.IntN(len(writerJobs))])
		}
	}
	for range r.IntN(3) {
		crewRow(g.unique(g.oth), "producer", producerJobs[r.IntN(len(producerJobs))])
	}
	for _, c := range otherCrew {
		if r.Float64() < c.share {
			crewRow(g.unique(g.oth), c.category, `\N`)
		}
	}
	g.line = l
}

var writerJobs = []string{`\N`, "screenplay", "story", "novel", "written by"}
var producerJobs = []string{"producer", "producer", "executive producer", "co-producer"}
var otherCrew = []struct {
	category string
	share    float64
}{{"composer", 0.3}, {"cinematographer", 0.25}, {"editor", 0.15}}

// director picks a director: a few are actors who direct.
func (g *generator) director() int64 {
	if g.r.IntN(30) == 0 {
		return g.unique(g.cast)
	}
	return g.unique(g.directors)
}

// unique picks someone from p not yet credited on the current title:
// IMDb lists a person once per title and capacity.
func (g *generator) unique(p pool) int64 {
	n := p.pick(g.r)
	for try := 0; slices.Contains(g.picked, n) && try < 20; try++ {
		n = p.pick(g.r)
	}
	g.picked = append(g.picked, n)
	return n
}

// year returns a release year skewed to recent decades, or 0 for none.
func (g *generator) year() int {
	u := g.r.Float64()
	switch {
	case u < noYearShare:
		return 0
	case u < noYearShare+futureYearShare:
		return lastYear + 1 + g.r.IntN(3)
	}
	y := lastYear - int(g.r.ExpFloat64()*24)
	if y < firstYear {
		y = firstYear + g.r.IntN(30)
	}
	return y
}

// runtime returns runtimeMinutes, or 0 for none.
func (g *generator) runtime(kind string) int {
	r := g.r
	if r.Float64() < noRuntimeShare {
		return 0
	}
	switch kind {
	case "short":
		return 1 + r.IntN(40)
	case "tvEpisode":
		return 20 + r.IntN(45)
	case "videoGame":
		return 0
	}
	if r.Float64() < hugeRuntimeShare {
		return 1001 + r.IntN(5000) // experimental films of days: the importer drops the runtime
	}
	return max(45, min(240, int(95+r.NormFloat64()*20)))
}

// appendGenres appends up to three distinct genres in IMDb's alphabetical
// order, or \N.
func (g *generator) appendGenres(l []byte, adult bool) []byte {
	r := g.r
	if r.Float64() < noGenreShare {
		return append(l, `\N`...)
	}
	n := 1
	switch u := r.Float64(); {
	case u < 0.30:
		n = 2
	case u < 0.45:
		n = 3
	}
	g.genrePick = g.genrePick[:0]
	for len(g.genrePick) < n {
		i := g.genreW.pick(r)
		if !slices.Contains(g.genrePick, i) {
			g.genrePick = append(g.genrePick, i)
		}
	}
	slices.SortFunc(g.genrePick, func(a, b int) int {
		if genres[a].name < genres[b].name {
			return -1
		}
		return 1
	})
	if adult {
		l = append(l, "Adult,"...)
	}
	for i, k := range g.genrePick {
		if i > 0 {
			l = append(l, ',')
		}
		l = append(l, genres[k].name...)
	}
	return l
}

// appendTitle appends a title made of common words, glue words, invented
// names and, rarely, a rare word.
func (g *generator) appendTitle(l []byte) []byte {
	r := g.r
	word := func(l []byte) []byte { return append(l, titleWords[g.words.pick(r)]...) }
	if r.Float64() < rareWordShare {
		l = append(l, "The "...)
		l = append(l, rareWords[r.IntN(len(rareWords))]...)
		l = append(l, ' ')
		return word(l)
	}
	switch u := r.IntN(100); {
	case u < 15:
		l = append(l, "The "...)
		l = word(l)
	case u < 27:
		l = word(l)
	case u < 42:
		l = word(l)
		l = append(l, ' ')
		l = word(l)
	case u < 52:
		l = append(l, "The "...)
		l = word(l)
		l = append(l, ' ')
		l = word(l)
	case u < 62:
		l = word(l)
		l = append(l, " of the "...)
		l = word(l)
	case u < 68:
		l = word(l)
		l = append(l, ' ')
		l = append(l, titleGlue[r.IntN(len(titleGlue))]...)
		l = append(l, ' ')
		l = g.appendPlace(l)
	case u < 74:
		l = word(l)
		l = append(l, " and "...)
		l = word(l)
	case u < 80:
		l = append(l, femaleNames[g.female.pick(r)]...)
		if r.IntN(2) == 0 {
			l = append(l, "'s "...)
			l = word(l)
		}
	case u < 85:
		l = append(l, maleNames[g.male.pick(r)]...)
		l = append(l, ' ')
		l = append(l, lastNames[g.last.pick(r)]...)
	case u < 92:
		l = g.appendPlace(l)
		if r.IntN(2) == 0 {
			l = append(l, ' ')
			l = word(l)
		}
	default:
		l = append(l, "A "...)
		l = word(l)
		l = append(l, " for "...)
		l = word(l)
	}
	if r.Float64() < sequelShare {
		l = append(l, sequels[r.IntN(len(sequels))]...)
	}
	return l
}

var sequels = []string{" 2", " 3", " II", " Part Two", ": The Return"}

// appendPlace appends an invented name of two or three syllables.
func (g *generator) appendPlace(l []byte) []byte {
	n := 2 + g.r.IntN(2)
	start := len(l)
	for range n {
		l = append(l, syllables[g.r.IntN(len(syllables))]...)
	}
	l[start] -= 'a' - 'A'
	return l
}

// appendCharacters appends the characters of a cast member as IMDb's JSON
// array, or \N.
func (g *generator) appendCharacters(l []byte, self, female bool) []byte {
	r := g.r
	n := 1
	switch u := r.IntN(100); {
	case u < 12:
		return append(l, `\N`...)
	case u < 18:
		n = 2
	}
	l = append(l, '[')
	for i := range n {
		if i > 0 {
			l = append(l, ',')
		}
		l = append(l, '"')
		switch u := r.IntN(100); {
		case self && female:
			l = append(l, "Herself"...)
		case self:
			l = append(l, "Himself"...)
		case u < 25:
			l = append(l, roleNames[2+r.IntN(len(roleNames)-2)]...)
		default:
			if female {
				l = append(l, femaleNames[g.female.pick(r)]...)
			} else {
				l = append(l, maleNames[g.male.pick(r)]...)
			}
			if u < 55 {
				l = append(l, ' ')
				l = append(l, lastNames[g.last.pick(r)]...)
			}
		}
		l = append(l, '"')
	}
	return append(l, ']')
}

// appendID appends an IMDb id: prefix and at least seven digits.
func appendID(l []byte, prefix string, n int64) []byte {
	l = append(l, prefix...)
	for d := int64(1000000); d > 1 && n < d; d /= 10 {
		l = append(l, '0')
	}
	return strconv.AppendInt(l, n, 10)
}

// appendOpt appends n, or \N for 0.
func appendOpt(l []byte, n int) []byte {
	if n == 0 {
		return append(l, `\N`...)
	}
	return strconv.AppendInt(l, int64(n), 10)
}
