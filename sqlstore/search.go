package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/moviedb/moviedb/catalog"
)

// Limits on one search, so that no request can make the database do
// unbounded work: words of a text query, values of one list filter.
const (
	maxSearchWords  = 16
	maxFilterValues = 100
)

// A whereList collects the conditions of a WHERE clause and binds their
// arguments as $1, $2, … in order. Conditions come from the store's code
// only; input reaches the database as arguments, never as SQL text.
type whereList struct {
	conds []string
	args  []any
}

// bind adds v to the arguments and returns its placeholder.
func (w *whereList) bind(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// bindIDs binds every id and returns the placeholders, "$1, $2".
func (w *whereList) bindIDs(ids []int64) string {
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = w.bind(id)
	}
	return strings.Join(marks, ", ")
}

func (w *whereList) add(cond string) { w.conds = append(w.conds, cond) }

// clause returns " WHERE c1 AND c2 …", or "" without conditions.
func (w *whereList) clause() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// limitClause binds a page's LIMIT and OFFSET after the arguments of w and
// returns the clause with the arguments of the whole statement.
func (w *whereList) limitClause(p catalog.Page) (string, []any) {
	limit, offset := listLimit(p)
	n := len(w.args)
	args := append(w.args[:n:n], limit, offset)
	return " LIMIT $" + strconv.Itoa(n+1) + " OFFSET $" + strconv.Itoa(n+2), args
}

// searchWords splits q into the words a text search matches: runs of
// letters, digits and combining marks holding at least one letter or digit.
// Everything else separates words, as it does in both engines' tokenizers,
// so no other character ever reaches either engine's query syntax.
func searchWords(q string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.M, r)
	}) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0 {
			words = append(words, w)
		}
	}
	return words
}

// The engines' text search differs in index, syntax and folding, so each
// has its own statements. textQuery writes words in the engine's query
// syntax: every word must be a word of the text, the last one may be the
// start of one. titleMatch and nameMatch are the conditions that a movie
// (alias m) or a person (alias p) matches the query bound at arg. On
// PostgreSQL they repeat the expressions of the GIN indexes of migration
// 0003 exactly, as the planner needs them to use the indexes.

func (s *Store) textQuery(words []string) string {
	if s.engine == Postgres {
		// to_tsquery: amelie & poul:*
		return strings.Join(words, " & ") + ":*"
	}
	// FTS5: "amelie" "poul"* (phrases side by side must all match).
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	return strings.Join(quoted, " ") + "*"
}

func (s *Store) titleMatch(arg string) string {
	if s.engine == Postgres {
		return "to_tsvector('simple', search_fold(m.title)) @@ to_tsquery('simple', search_fold(" + arg + "))"
	}
	return "m.id IN (SELECT rowid FROM movies_fts WHERE movies_fts MATCH " + arg + ")"
}

func (s *Store) nameMatch(arg string) string {
	if s.engine == Postgres {
		return "to_tsvector('simple', search_fold(p.first_name || ' ' || p.last_name)) @@ to_tsquery('simple', search_fold(" + arg + "))"
	}
	return "p.id IN (SELECT rowid FROM persons_fts WHERE persons_fts MATCH " + arg + ")"
}

// addTextSearch adds the condition match builds for the words of q, if q
// has any, or reports field when it has too many.
func (s *Store) addTextSearch(w *whereList, v *catalog.ValidationError, field, q string, match func(arg string) string) {
	words := searchWords(q)
	switch {
	case len(words) > maxSearchWords:
		v.Add(field, fmt.Sprintf("must have at most %d words", maxSearchWords))
	case len(words) > 0:
		w.add(match(w.bind(s.textQuery(words))))
	}
}

// movieSorts maps each sort key of a movie search to the expression it
// orders by; it is the only way a sort key reaches SQL text. Popularity is
// counted movie by movie, each count a short range of
// favorite_movies_movie_id_idx: joining favorites grouped by movie instead
// groups the whole table, which on the benchmark catalog made the classic
// query sorted by popularity 13 ms instead of 0.4 on SQLite, 28 instead of
// 0.3 on PostgreSQL.
var movieSorts = map[string]string{
	catalog.MovieSortTitle:       "lower(m.title)",
	catalog.MovieSortReleaseDate: "m.release_date",
	catalog.MovieSortBudget:      "m.budget",
	catalog.MovieSortDuration:    "m.duration",
	catalog.MovieSortPopularity:  "(SELECT count(*) FROM favorite_movies f WHERE f.movie_id = m.id)",
	catalog.MovieSortCreatedAt:   `m."createdAt"`,
}

// Two ways to write "the movie has a genre of a list": withGenre reaches
// the genres' movies through movie_genres, and hasGenre checks movies
// found otherwise one by one. PostgreSQL plans both as the same semi-join,
// but SQLite, which keeps no statistics, always starts from an IN list of
// ids. A genre holds a large share of all movies, so starting from it is
// right only when no narrower filter is set: on the benchmark catalog the
// classic query takes 0.3 ms with hasGenre and 2.4 ms with withGenre, and
// genre alone 6.8 ms with withGenre and 25 ms with hasGenre.
const (
	withGenre = "m.id IN (SELECT mg.movie_id FROM movie_genres mg WHERE %s)"
	hasGenre  = "EXISTS (SELECT 1 FROM movie_genres mg WHERE mg.movie_id = m.id AND %s)"
)

// genreIn returns the condition that mg.genre_id is one of genres, each an
// expression of a genre id. A name is resolved to its genre's id by a
// scalar subquery, which both engines run once per statement (an unknown
// name gives NULL, equal to nothing); joining genres instead makes
// PostgreSQL's generic plan scan genres once per movie. With one
// expression it must be "=": "IN ((SELECT …))" would be a subquery again.
func genreIn(genres []string) string {
	if len(genres) == 1 {
		return "mg.genre_id = " + genres[0]
	}
	return "mg.genre_id IN (" + strings.Join(genres, ", ") + ")"
}

// movieSearchWhere returns the conditions and arguments that select the
// movies of f, and the ORDER BY expressions that sort them.
func (s *Store) movieSearchWhere(f catalog.MovieSearch) (w *whereList, orderBy string, err error) {
	w = &whereList{}
	v := &catalog.ValidationError{}
	sortKey := f.Sort
	if sortKey == "" {
		sortKey = catalog.MovieSortTitle
	}
	expr, ok := movieSorts[sortKey]
	if !ok {
		v.Add("sort", "must be one of "+strings.Join(catalog.MovieSorts, ", "))
	}
	for field, n := range map[string]int{
		"genre": len(f.GenreIDs) + len(f.GenreNames), "country": len(f.CountryIDs),
		"director": len(f.DirectorIDs), "actor": len(f.ActorIDs),
	} {
		if n > maxFilterValues {
			v.Add(field, fmt.Sprintf("must have at most %d values", maxFilterValues))
		}
	}
	s.addTextSearch(w, v, "q", f.Q, s.titleMatch)
	if err := v.Err(); err != nil {
		return nil, "", err
	}

	if len(f.CountryIDs) > 0 {
		w.add("m.country_id IN (" + w.bindIDs(f.CountryIDs) + ")")
	}
	if len(f.DirectorIDs) > 0 {
		w.add("m.director_id IN (" + w.bindIDs(f.DirectorIDs) + ")")
	}
	if len(f.ActorIDs) > 0 {
		w.add("m.id IN (SELECT mc.movie_id FROM movie_characters mc WHERE mc.person_id IN (" + w.bindIDs(f.ActorIDs) + "))")
	}
	var genres []string
	for _, id := range f.GenreIDs {
		genres = append(genres, w.bind(id))
	}
	for _, name := range f.GenreNames {
		genres = append(genres, "(SELECT g.id FROM genres g WHERE lower(g.name) = lower("+w.bind(name)+"))")
	}
	genreCond := withGenre
	if len(w.conds) > 0 {
		genreCond = hasGenre
	}
	switch {
	case f.GenreMatchAll:
		for _, g := range genres {
			w.add(fmt.Sprintf(genreCond, genreIn([]string{g})))
		}
	case len(genres) > 0:
		w.add(fmt.Sprintf(genreCond, genreIn(genres)))
	}
	if f.ReleasedFrom != nil {
		w.add("m.release_date >= " + w.bind(dateArg(f.ReleasedFrom)))
	}
	if f.ReleasedTo != nil {
		w.add("m.release_date <= " + w.bind(dateArg(f.ReleasedTo)))
	}
	if f.MinDuration != nil {
		w.add("m.duration >= " + w.bind(*f.MinDuration))
	}
	if f.MaxDuration != nil {
		w.add("m.duration <= " + w.bind(*f.MaxDuration))
	}
	if f.MinBudget != nil {
		w.add("m.budget >= " + w.bind(moneyArg(f.MinBudget)))
	}
	if f.MaxBudget != nil {
		w.add("m.budget <= " + w.bind(moneyArg(f.MaxBudget)))
	}

	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	return w, expr + dir + " NULLS LAST, m.id", nil
}

// movieSearchQuery returns the statement that lists a page of the movies f
// selects with the total, and its arguments, and the statement that counts
// them alone with its arguments. The list statement finds the page's ids
// first and joins posters and directors to those only.
func (s *Store) movieSearchQuery(f catalog.MovieSearch) (list string, listArgs []any, count string, countArgs []any, err error) {
	w, orderBy, err := s.movieSearchWhere(f)
	if err != nil {
		return "", nil, "", nil, err
	}
	total := "count(*) OVER ()"
	if len(w.conds) == 0 {
		// The window would read every movie; the count alone is cheaper and
		// lets the page come off an index in sort order.
		total = "(SELECT count(*) FROM movies)"
	}
	limit, args := w.limitClause(f.Page)
	list = "WITH page AS (SELECT m.id, " + total + " AS total FROM movies m" + w.clause() +
		" ORDER BY " + orderBy + limit + ") " +
		summaryQuery("page.total") + " JOIN page ON page.id = m.id ORDER BY " + orderBy
	return list, args, "SELECT count(*) FROM movies m" + w.clause(), w.args, nil
}

// SearchMovies returns a page of the movies f selects, each with its poster
// and its director, with the number of all of them, in one query (two when
// the page is past the end). A sort key not in catalog.MovieSorts, a text
// query of too many words or a filter of too many values is a
// *catalog.ValidationError naming the search parameter: sort, q, genre,
// country, director or actor.
func (s *Store) SearchMovies(ctx context.Context, f catalog.MovieSearch) (catalog.List[catalog.MovieSummary], error) {
	list := catalog.List[catalog.MovieSummary]{Page: f.Page.Normalize(), Items: []catalog.MovieSummary{}}
	q, args, count, countArgs, err := s.movieSearchQuery(f)
	if err != nil {
		return list, fmt.Errorf("sqlstore: search movies: %w", err)
	}
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return list, fmt.Errorf("sqlstore: search movies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanSummary(rows, &list.Total)
		if err != nil {
			return list, fmt.Errorf("sqlstore: search movies: %w", err)
		}
		list.Items = append(list.Items, *m)
	}
	if err := rows.Err(); err != nil {
		return list, fmt.Errorf("sqlstore: search movies: %w", err)
	}
	if len(list.Items) == 0 {
		if err := s.reader().QueryRowContext(ctx, count, countArgs...).Scan(&list.Total); err != nil {
			return list, fmt.Errorf("sqlstore: count movies found: %w", err)
		}
	}
	return list, nil
}

// personSearchQuery is movieSearchQuery for SearchPersons.
func (s *Store) personSearchQuery(q string, page catalog.Page) (list string, listArgs []any, count string, countArgs []any, err error) {
	w := &whereList{}
	v := &catalog.ValidationError{}
	s.addTextSearch(w, v, "q", q, s.nameMatch)
	if err := v.Err(); err != nil {
		return "", nil, "", nil, err
	}
	limit, args := w.limitClause(page)
	list = "SELECT " + prefixed("p", personColumns) + ", count(*) OVER () FROM persons p" + w.clause() +
		" ORDER BY lower(p.last_name), lower(p.first_name), p.id" + limit
	return list, args, "SELECT count(*) FROM persons p" + w.clause(), w.args, nil
}

// SearchPersons returns a page of the persons whose first and last names
// hold every word of q, without regard to case or accents, the last word
// possibly the start of a name word, ordered as ListPersons orders them. An
// empty q finds everyone. A q of too many words is a
// *catalog.ValidationError on q.
func (s *Store) SearchPersons(ctx context.Context, q string, page catalog.Page) (catalog.List[catalog.Person], error) {
	list := catalog.List[catalog.Person]{Page: page.Normalize(), Items: []catalog.Person{}}
	query, args, count, countArgs, err := s.personSearchQuery(q, page)
	if err != nil {
		return list, fmt.Errorf("sqlstore: search persons: %w", err)
	}
	rows, err := s.reader().QueryContext(ctx, query, args...)
	if err != nil {
		return list, fmt.Errorf("sqlstore: search persons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows, &list.Total)
		if err != nil {
			return list, fmt.Errorf("sqlstore: search persons: %w", err)
		}
		list.Items = append(list.Items, *p)
	}
	if err := rows.Err(); err != nil {
		return list, fmt.Errorf("sqlstore: search persons: %w", err)
	}
	if len(list.Items) == 0 {
		if err := s.reader().QueryRowContext(ctx, count, countArgs...).Scan(&list.Total); err != nil {
			return list, fmt.Errorf("sqlstore: count persons found: %w", err)
		}
	}
	return list, nil
}
