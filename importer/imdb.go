package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/moviedb/moviedb/catalog"
)

// The IMDb files the imdb format reads, told apart by their header rows.
var imdbHeaders = map[string]string{
	"title.basics":     "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
	"title.crew":       "tconst\tdirectors\twriters",
	"title.principals": "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
	"name.basics":      "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
}

// A tsvFile reads one IMDb TSV file a row at a time.
type tsvFile struct {
	in   *input
	kind string
	line int
	next []string // the row read ahead, nil at the end
	err  error
}

func openTSV(name string) (*tsvFile, error) {
	in, err := open(name)
	if err != nil {
		return nil, err
	}
	header, err := in.r.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		in.Close()
		return nil, fmt.Errorf("importer: %s: %w", name, err)
	}
	header = strings.TrimRight(header, "\r\n")
	for kind, h := range imdbHeaders {
		if header == h {
			t := &tsvFile{in: in, kind: kind, line: 1}
			t.advance()
			return t, nil
		}
	}
	in.Close()
	return nil, fmt.Errorf("importer: %s: not an IMDb title.basics, title.crew, title.principals or name.basics file (header %q)", name, header)
}

// advance reads the next row into t.next.
func (t *tsvFile) advance() {
	t.next = nil
	for {
		s, err := t.in.r.ReadString('\n')
		if s == "" && err != nil {
			if !errors.Is(err, io.EOF) {
				t.err = fmt.Errorf("importer: %s: %w", t.in.name, err)
			}
			return
		}
		t.line++
		s = strings.TrimRight(s, "\r\n")
		if s == "" {
			continue
		}
		t.next = strings.Split(s, "\t")
		return
	}
}

// tconstNum is the number of a tconst or nconst: the files are sorted by
// it, and "tt9999999" < "tt10000000" holds only numerically.
func tconstNum(id string) int64 {
	n, err := strconv.ParseInt(strings.TrimLeft(id, "tn"), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// imdbNull reads IMDb's \N as "".
func imdbNull(s string) string {
	if s == `\N` {
		return ""
	}
	return s
}

// imdbTitle is a title.basics movie with its crew and principals, before
// the names of its people are looked up.
type imdbTitle struct {
	m          catalog.ImportMovie
	director   string // nconst
	principals []imdbPrincipal
}

type imdbPrincipal struct {
	ordering   int
	nconst     string
	characters []string
}

// imdb reads IMDb's TSV files: name.basics is staged in the database
// first, then title.basics is read with title.crew and title.principals
// alongside (all three are sorted by tconst), a batch of movies at a time.
func (r *run) imdb(files []string) error {
	byKind := map[string]*tsvFile{}
	defer func() {
		for _, t := range byKind {
			t.in.Close()
		}
	}()
	for _, f := range files {
		t, err := openTSV(f)
		if err != nil {
			return err
		}
		if _, dup := byKind[t.kind]; dup {
			t.in.Close()
			return fmt.Errorf("importer: two %s files given", t.kind)
		}
		byKind[t.kind] = t
	}
	basics := byKind["title.basics"]
	if basics == nil {
		return errors.New("importer: imdb: a title.basics file is required")
	}
	if names := byKind["name.basics"]; names != nil {
		if err := r.stageNames(names); err != nil {
			return err
		}
	} else if byKind["title.crew"] != nil || byKind["title.principals"] != nil {
		return errors.New("importer: imdb: title.crew and title.principals need the name.basics file for the names")
	}
	r.in = basics.in
	var pending []imdbTitle
	for basics.next != nil {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		row, line := basics.next, basics.line
		basics.advance()
		t, ok, err := r.imdbBasics(row, line)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := r.imdbCrew(byKind["title.crew"], &t); err != nil {
			return err
		}
		if err := r.imdbPrincipals(byKind["title.principals"], &t); err != nil {
			return err
		}
		pending = append(pending, t)
		if len(pending) >= r.opts.BatchSize {
			if err := r.imdbFlush(pending); err != nil {
				return err
			}
			pending = pending[:0]
		}
	}
	if basics.err != nil {
		return basics.err
	}
	if err := r.imdbFlush(pending); err != nil {
		return err
	}
	if byKind["name.basics"] != nil {
		return r.store.ClearStagedNames(r.ctx)
	}
	return nil
}

// stageNames copies name.basics into the database in batches.
func (r *run) stageNames(t *tsvFile) error {
	batch := map[string]string{}
	for ; t.next != nil; t.advance() {
		row := t.next
		if len(row) != 6 || !utf8.ValidString(row[1]) || imdbNull(row[1]) == "" {
			continue // a person without a usable name is left out where referenced
		}
		batch[row[0]] = row[1]
		if len(batch) >= 10*r.opts.BatchSize {
			if err := r.store.StageNames(r.ctx, batch); err != nil {
				return err
			}
			clear(batch)
		}
	}
	if t.err != nil {
		return t.err
	}
	return r.store.StageNames(r.ctx, batch)
}

// imdbBasics reads a title.basics row: ok is false for rows that are not
// movies (series, episodes, shorts…), adult titles and malformed rows.
func (r *run) imdbBasics(row []string, line int) (imdbTitle, bool, error) {
	if len(row) != 9 {
		return imdbTitle{}, false, r.skip(line, "want 9 tab-separated fields, got %d", len(row))
	}
	if row[1] != "movie" || row[4] == "1" {
		return imdbTitle{}, false, nil
	}
	if !utf8.ValidString(strings.Join(row, "")) {
		return imdbTitle{}, false, r.skip(line, "invalid UTF-8")
	}
	m := catalog.ImportMovie{Source: "imdb", ExternalID: row[0], Line: line, Title: imdbNull(row[2])}
	if y := imdbNull(row[5]); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil {
			return imdbTitle{}, false, r.skip(line, "startYear %q is not a year", y)
		}
		m.ReleaseDate = yearDate(year)
	}
	// IMDb lists experimental films of days; the catalog keeps 1 to 1000
	// minutes, so a runtime out of that range is left out, not the film.
	if d, err := strconv.Atoi(imdbNull(row[7])); err == nil && d >= 1 && d <= 1000 {
		m.Duration = &d
	}
	if g := imdbNull(row[8]); g != "" {
		m.Genres = genreList(strings.Split(g, ","))
	}
	if reason := checkMovie(&m); reason != "" {
		return imdbTitle{}, false, r.skip(line, "%s", reason)
	}
	return imdbTitle{m: m}, true, nil
}

// skipTo advances f past the rows of titles before tconst and reports
// whether its next row is about tconst.
func skipTo(f *tsvFile, tconst string) (bool, error) {
	want := tconstNum(tconst)
	for f.next != nil && tconstNum(f.next[0]) < want {
		f.advance()
	}
	return f.next != nil && f.next[0] == tconst, f.err
}

// imdbCrew reads t's director from title.crew: the first one listed, as a
// movie has one director in the catalog.
func (r *run) imdbCrew(f *tsvFile, t *imdbTitle) error {
	if f == nil {
		return nil
	}
	ok, err := skipTo(f, t.m.ExternalID)
	if err != nil || !ok {
		return err
	}
	if len(f.next) == 3 {
		if ds := imdbNull(f.next[1]); ds != "" {
			t.director, _, _ = strings.Cut(ds, ",")
		}
	}
	f.advance()
	return nil
}

// imdbPrincipals reads the actors, actresses and selves of t from
// title.principals, with their characters.
func (r *run) imdbPrincipals(f *tsvFile, t *imdbTitle) error {
	if f == nil {
		return nil
	}
	for {
		ok, err := skipTo(f, t.m.ExternalID)
		if err != nil || !ok {
			return err
		}
		row := f.next
		f.advance()
		if len(row) != 6 {
			continue
		}
		switch row[3] {
		case "actor", "actress", "self":
		default:
			continue
		}
		p := imdbPrincipal{nconst: row[2]}
		p.ordering, _ = strconv.Atoi(row[1])
		if c := imdbNull(row[5]); c != "" {
			// A JSON array in text; a malformed one leaves the part unnamed.
			_ = json.Unmarshal([]byte(c), &p.characters)
		}
		t.principals = append(t.principals, p)
	}
}

// imdbFlush looks up the names of the people of titles and imports them.
func (r *run) imdbFlush(titles []imdbTitle) error {
	var nconsts []string
	for _, t := range titles {
		if t.director != "" {
			nconsts = append(nconsts, t.director)
		}
		for _, p := range t.principals {
			nconsts = append(nconsts, p.nconst)
		}
	}
	names, err := r.store.StagedNames(r.ctx, nconsts)
	if err != nil {
		return err
	}
	person := func(nconst string) (catalog.ImportPerson, bool) {
		name, ok := names[nconst]
		if !ok {
			return catalog.ImportPerson{}, false
		}
		p, ok := personOf(name)
		p.ExternalID = nconst
		return p, ok
	}
	for _, t := range titles {
		m := t.m
		if p, ok := person(t.director); ok {
			m.Director = &p
		}
		slices.SortStableFunc(t.principals, func(a, b imdbPrincipal) int { return a.ordering - b.ordering })
		billed := 0
		for _, pr := range t.principals {
			p, ok := person(pr.nconst)
			if !ok {
				r.sum.Characters.Skipped++
				continue
			}
			chars := pr.characters
			if len(chars) == 0 {
				chars = []string{unnamedCharacter}
			}
			for _, c := range chars {
				c = strings.Join(strings.Fields(c), " ")
				if c == "" || utf8.RuneCountInString(c) > catalog.MaxTitleLen {
					c = unnamedCharacter
				}
				m.Cast = append(m.Cast, catalog.ImportCast{Person: p, Character: c, Role: roleAt(billed)})
			}
			billed++
		}
		if err := r.add(m); err != nil {
			return err
		}
	}
	return r.flush()
}
