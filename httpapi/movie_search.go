package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/moviedb/moviedb/catalog"
)

// maxMinutes bounds a duration filter: far above any movie, and small
// enough for every engine's integer column.
const maxMinutes = 1_000_000

// listMovies answers a page of the movies a search selects. Every filter
// narrows the result; see movieSearch for the parameters.
func (s *server) listMovies(w http.ResponseWriter, r *http.Request) {
	qry, err := parseQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := movieSearch(qry)
	if err := qry.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.SearchMovies(r.Context(), f)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("search movies: %w", queryFault(err)))
		return
	}
	writeList(s, w, r, list, s.newMovieSummaryJSON)
}

// movieSearch reads the parameters of a movie search from qry, recording a
// bad value of any of them in qry:
//
//   - q: words of the title
//   - genre: genre ids or names; genre_match: any (default) or all
//   - country, director, actor: ids
//   - released_from, released_to: YYYY-MM-DD dates
//   - min_duration, max_duration: minutes; min_budget, max_budget: amounts
//   - sort: one of catalog.MovieSorts, "-" first for descending
//   - page, per_page, cursor
//
// The list parameters may be repeated, each value a comma-separated list.
func movieSearch(qry *query) catalog.MovieSearch {
	f := catalog.MovieSearch{
		Q:            searchText(qry, "q"),
		CountryIDs:   qry.idList("country"),
		DirectorIDs:  qry.idList("director"),
		ActorIDs:     qry.idList("actor"),
		ReleasedFrom: qry.date("released_from"),
		ReleasedTo:   qry.date("released_to"),
		MinDuration:  qry.optionalInt("min_duration", 0, maxMinutes),
		MaxDuration:  qry.optionalInt("max_duration", 0, maxMinutes),
		MinBudget:    qry.money("min_budget"),
		MaxBudget:    qry.money("max_budget"),
		Page:         qry.page(),
	}
	f.GenreIDs, f.GenreNames = qry.genres("genre")
	if match, ok := qry.single("genre_match"); ok {
		switch match {
		case "any":
		case "all":
			f.GenreMatchAll = true
		default:
			qry.errs["genre_match"] = "must be any or all"
		}
	}
	if sort, ok := qry.single("sort"); ok {
		key, desc := strings.CutPrefix(sort, "-")
		if slices.Contains(catalog.MovieSorts, key) {
			f.Sort, f.Desc = key, desc
		} else {
			qry.errs["sort"] = "must be one of " + strings.Join(catalog.MovieSorts, ", ") + `, each with "-" first for descending`
		}
	}
	return f
}

// commaList returns every value of parameter name, which may be repeated,
// each split at commas and trimmed. An empty item is a bad value.
func (q *query) commaList(name string) []string {
	q.known[name] = true
	var items []string
	for _, v := range q.values[name] {
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				q.errs[name] = "must not have an empty value"
				return nil
			}
			items = append(items, item)
		}
	}
	return items
}

// idList returns parameter name as a list of ids (see commaList).
func (q *query) idList(name string) []int64 {
	var ids []int64
	for _, item := range q.commaList(name) {
		id, err := strconv.ParseInt(item, 10, 64)
		if err != nil || id < 1 {
			q.errs[name] = "must be positive ids, as repeated parameters or separated by commas"
			return nil
		}
		ids = append(ids, id)
	}
	return ids
}

// genres returns parameter name as genre ids and names (see commaList): an
// item of digits is an id, anything else a name.
func (q *query) genres(name string) (ids []int64, names []string) {
	for _, item := range q.commaList(name) {
		if strings.IndexFunc(item, func(r rune) bool { return r < '0' || r > '9' }) < 0 {
			id, err := strconv.ParseInt(item, 10, 64)
			if err != nil || id < 1 {
				q.errs[name] = "must be positive ids or genre names"
				return nil, nil
			}
			ids = append(ids, id)
			continue
		}
		if !utf8.ValidString(item) || strings.IndexFunc(item, unicode.IsControl) >= 0 ||
			utf8.RuneCountInString(item) > catalog.MaxNameLen {
			q.errs[name] = fmt.Sprintf("must be genre ids or names of at most %d characters", catalog.MaxNameLen)
			return nil, nil
		}
		// Genres are named in their normalised form.
		names = append(names, catalog.NormalizeName(item))
	}
	return ids, names
}

// date returns parameter name as a YYYY-MM-DD date, or nil when it is
// absent.
func (q *query) date(name string) *catalog.Date {
	s, ok := q.single(name)
	if !ok {
		return nil
	}
	d, err := catalog.ParseDate(s)
	// Year 0 parses, but no engine's date type holds it.
	if err != nil || d.Year < 1 {
		q.errs[name] = "must be a date that exists, as YYYY-MM-DD"
		return nil
	}
	return &d
}

// optionalInt returns parameter name as a whole number in min..max, or nil
// when it is absent.
func (q *query) optionalInt(name string, min, max int) *int {
	s, ok := q.single(name)
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		q.errs[name] = fmt.Sprintf("must be a whole number from %d to %d", min, max)
		return nil
	}
	return &n
}

// money returns parameter name as an amount, or nil when it is absent.
func (q *query) money(name string) *catalog.Money {
	s, ok := q.single(name)
	if !ok {
		return nil
	}
	m, err := catalog.ParseMoney(s)
	if err != nil {
		q.errs[name] = fmt.Sprintf("must be an amount from 0 to %s with at most 2 decimal places", catalog.MaxMoney)
		return nil
	}
	return &m
}
