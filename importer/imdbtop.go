package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/moviedb/moviedb/catalog"
)

// top1000Columns are the columns of the Kaggle imdb_top_1000.csv read.
var top1000Columns = []string{"Poster_Link", "Series_Title", "Released_Year", "Runtime", "Genre",
	"Overview", "Director", "Star1", "Star2", "Star3", "Star4"}

// top1000 reads the Kaggle "IMDB top 1000" CSV file.
func (r *run) top1000(in *input) error {
	cr := csv.NewReader(in.r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("importer: %s: read header: %w", in.name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\uFEFF")] = i
	}
	for _, c := range top1000Columns {
		if _, ok := col[c]; !ok {
			return fmt.Errorf("importer: %s: no %s column: want the imdb_top_1000.csv header", in.name, c)
		}
	}
	cr.FieldsPerRecord = len(header)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if err := r.skip(pe.StartLine, "broken CSV row: %v", pe.Err); err != nil {
					return err
				}
				continue
			}
			return fmt.Errorf("importer: %s: %w", in.name, err)
		}
		get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		if !utf8.ValidString(strings.Join(rec, "")) {
			if err := r.skip(line, "invalid UTF-8"); err != nil {
				return err
			}
			continue
		}
		year, err := strconv.Atoi(get("Released_Year"))
		if err != nil {
			if err := r.skip(line, "Released_Year %q is not a year", get("Released_Year")); err != nil {
				return err
			}
			continue
		}
		m := catalog.ImportMovie{
			Source:      "imdb-top-1000",
			ExternalID:  fmt.Sprintf("%d|%s|%s", year, get("Series_Title"), get("Director")),
			Line:        line,
			Title:       get("Series_Title"),
			Description: nonEmpty(ptr(get("Overview"))),
			ReleaseDate: yearDate(year),
			Genres:      genreList(strings.Split(get("Genre"), ",")),
		}
		if min, ok := strings.CutSuffix(get("Runtime"), " min"); ok {
			if d, err := strconv.Atoi(min); err == nil {
				m.Duration = &d
			}
		}
		if get("Runtime") != "" && m.Duration == nil {
			if err := r.skip(line, "Runtime %q is not N min", get("Runtime")); err != nil {
				return err
			}
			continue
		}
		if p, ok := personOf(get("Director")); ok {
			m.Director = &p
		}
		var dropped int
		m.Cast, dropped = castOf([]string{get("Star1"), get("Star2"), get("Star3"), get("Star4")})
		if u := get("Poster_Link"); strings.HasPrefix(u, "https://") {
			m.PosterURL = u
		}
		if err := r.accept(line, m, dropped); err != nil {
			return err
		}
	}
}

func ptr[T any](v T) *T { return &v }
