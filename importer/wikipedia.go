package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/moviedb/moviedb/catalog"
)

// wikipediaMovie is one object of prust/wikipedia-movie-data.
type wikipediaMovie struct {
	Title     string   `json:"title"`
	Year      int      `json:"year"`
	Cast      []string `json:"cast"`
	Genres    []string `json:"genres"`
	Href      *string  `json:"href"`
	Extract   *string  `json:"extract"`
	Thumbnail *string  `json:"thumbnail"`
}

// wikipedia reads the JSON array of the Wikipedia movie data set, one
// object at a time.
func (r *run) wikipedia(in *input) error {
	lines := &lineIndex{r: in.r}
	dec := json.NewDecoder(lines)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return fmt.Errorf("importer: %s:%d: want a JSON array of movies", in.name, lines.lineAt(dec.InputOffset()))
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			line := lines.lineAt(dec.InputOffset())
			if se := (*json.SyntaxError)(nil); errors.As(err, &se) {
				line = lines.lineAt(se.Offset - 1)
			}
			// The decoder cannot find the next object after a syntax
			// error: what came before is kept, the rest is not read.
			if err := r.skip(line, "broken JSON, the rest of the file is not read: %v", err); err != nil {
				return err
			}
			return r.flush()
		}
		line := lines.lineAt(dec.InputOffset() - int64(len(raw)))
		if !utf8.Valid(raw) {
			if err := r.skip(line, "invalid UTF-8"); err != nil {
				return err
			}
			continue
		}
		var w wikipediaMovie
		if err := json.Unmarshal(raw, &w); err != nil {
			var te *json.UnmarshalTypeError
			reason := err.Error()
			if errors.As(err, &te) {
				reason = fmt.Sprintf("field %q holds a %s", te.Field, te.Value)
			}
			if err := r.skip(line, "%s", reason); err != nil {
				return err
			}
			continue
		}
		m, dropped := wikipediaToImport(&w, line)
		if err := r.accept(line, m, dropped); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil && !errors.Is(err, io.EOF) {
		return r.skip(lines.lineAt(dec.InputOffset()), "broken JSON at the end of the array: %v", err)
	}
	return nil
}

func wikipediaToImport(w *wikipediaMovie, line int) (catalog.ImportMovie, int) {
	href := ""
	if w.Href != nil {
		href = *w.Href
	}
	m := catalog.ImportMovie{
		Source: "wikipedia",
		// The article link alone is not a movie's identity: same-named films
		// of other years share one. Rows with the same title, year and link
		// are the same film listed twice.
		ExternalID:  strconv.Itoa(w.Year) + "|" + w.Title + "|" + href,
		Line:        line,
		Title:       strings.TrimSpace(w.Title),
		Description: nonEmpty(w.Extract),
		Genres:      genreList(w.Genres),
		// The data set is scraped from Wikipedia's "List of American films
		// of YYYY" pages.
		Country: "United States",
	}
	if w.Year != 0 {
		m.ReleaseDate = yearDate(w.Year)
	}
	if w.Thumbnail != nil && strings.HasPrefix(*w.Thumbnail, "https://") {
		m.PosterURL = *w.Thumbnail
	}
	var dropped int
	m.Cast, dropped = castOf(w.Cast)
	return m, dropped
}

func nonEmpty(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	return s
}

// A lineIndex reads through r and tells the line of a byte offset already
// read. It keeps only the line breaks after the last offset asked about,
// so its memory is bounded by how far the reader reads ahead.
type lineIndex struct {
	r        io.Reader
	read     int64   // bytes read
	breaks   []int64 // offsets of line breaks not yet passed
	baseLine int     // line of the first byte after the passed breaks
}

func (l *lineIndex) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			l.breaks = append(l.breaks, l.read+int64(i))
		}
	}
	l.read += int64(n)
	return n, err
}

// lineAt returns the line (from 1) of offset; offsets must not decrease
// from call to call.
func (l *lineIndex) lineAt(offset int64) int {
	i := 0
	for i < len(l.breaks) && l.breaks[i] < offset {
		i++
	}
	l.baseLine += i
	l.breaks = l.breaks[i:]
	return l.baseLine + 1
}
