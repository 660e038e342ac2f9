package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
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
// 0003 exactly, as the planner needs them to use the indexes; the planner
// then either reads the matches off the index or tests rows one by one as
// it walks another index. On SQLite the matching rowids are always read
// off the FTS5 index first (asking FTS5 about one rowid runs the whole
// match again): in the drive shape the rows are then fetched and sorted;
// in the probe shape "+" keeps the rowids from driving, so they become a
// set that the walk of the sort's index tests each row against, which
// reads a page of rows instead of every match.

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

func (s *Store) titleMatch(w *whereList, text string, words []string, shape matchShape) string {
	if s.engine == Postgres {
		return "to_tsvector('simple', search_fold(m.title)) @@ to_tsquery('simple', search_fold(" + w.bind(text) + "))"
	}
	if cond, ok := s.probeMatch(w, wordTables[0], "m.id", words, shape); ok {
		return cond
	}
	return probeMark(shape) + "m.id IN (SELECT rowid FROM movies_fts WHERE movies_fts MATCH " + w.bind(text) + ")"
}

func (s *Store) nameMatch(w *whereList, text string, words []string, shape matchShape) string {
	if s.engine == Postgres {
		return "to_tsvector('simple', search_fold(p.first_name || ' ' || p.last_name)) @@ to_tsquery('simple', search_fold(" + w.bind(text) + "))"
	}
	if cond, ok := s.probeMatch(w, wordTables[1], "p.id", words, shape); ok {
		return cond
	}
	return probeMark(shape) + "p.id IN (SELECT rowid FROM persons_fts WHERE persons_fts MATCH " + w.bind(text) + ")"
}

// probeMatch returns SQLite's probe shape of a text match, which tests
// each row by its words in table t (see probeWords), when it can.
func (s *Store) probeMatch(w *whereList, t wordTable, idExpr string, words []string, shape matchShape) (string, bool) {
	if shape != probe || s.engine != SQLite {
		return "", false
	}
	return probeWords(w, t, idExpr, words)
}

// probeMark is SQLite's unary "+" on a column in the probe shape, which
// keeps the planner from reading rows by that column's index.
func probeMark(shape matchShape) string {
	if shape == probe {
		return "+"
	}
	return ""
}

// textSearch returns the engine's query for the words of q ("" when q has
// none), or reports field when q has too many.
func (s *Store) textSearch(v *catalog.ValidationError, field, q string) string {
	words := searchWords(q)
	switch {
	case len(words) > maxSearchWords:
		v.Add(field, fmt.Sprintf("must have at most %d words", maxSearchWords))
	case len(words) > 0:
		return s.textQuery(words)
	}
	return ""
}

// A matchShape is how a condition on other rows (a genre, an actor, a
// text match) is written. drive reads the matching ids first, which is
// right when they are few: the page is then sorted from them. probe tests
// each movie as the page walks an index in sort order, which is right
// when they are many: the walk stops after a page. Neither engine can
// tell which from its statistics (SQLite keeps none per value, and a
// genre or a busy actor is skewed far from the average), so a search
// counts its matches first, with a bound, and picks the shape from that
// count: see driveLimit.
type matchShape int

const (
	drive matchShape = iota
	probe
)

// driveLimit is the number of matches up to which a page is sorted from
// all of them (drive) rather than read in order off the sort's index
// (probe). Sorting costs about as much per match as probing does per
// movie walked, and a walk reads about pageSize/density movies, so the
// two cost the same near sqrt(pageSize × catalog size) matches: a few
// thousand for a million movies.
const driveLimit = 3000

// searchShape returns the shape of a search that counted matches.
func searchShape(counted int) matchShape {
	if counted > driveLimit {
		return probe
	}
	return drive
}

// A movieSort is a sort key of a movie search: the expression it orders
// by, the joins that expression needs, and how its values travel in a
// cursor. It is the only way a sort key reaches SQL text.
type movieSort struct {
	expr     string
	id       string // the movie id as the sort's index holds it
	join     string
	nullable bool
	kind     keyKind
}

// Popularity is the favorites count that migration 0011 keeps in
// movie_stats, read in order off its indexes.
var movieSorts = map[string]movieSort{
	catalog.MovieSortTitle:       {expr: "lower(m.title)", id: "m.id", kind: keyText},
	catalog.MovieSortReleaseDate: {expr: "m.release_date", id: "m.id", nullable: true, kind: keyDate},
	catalog.MovieSortBudget:      {expr: "m.budget", id: "m.id", nullable: true, kind: keyNumber},
	catalog.MovieSortDuration:    {expr: "m.duration", id: "m.id", nullable: true, kind: keyInt},
	catalog.MovieSortPopularity: {expr: "ms.favorites_count", id: "ms.movie_id", kind: keyInt,
		join: " JOIN movie_stats ms ON ms.movie_id = m.id"},
	catalog.MovieSortCreatedAt: {expr: `m."createdAt"`, id: "m.id", kind: keyTime},
}

// genreReleaseSort is the release date sort of a search by genre dates,
// whose order movie_genre_releases_genre_idx holds.
var genreReleaseSort = movieSort{expr: "gd.release_date", id: "gd.movie_id", nullable: true, kind: keyDate}

// genreDatesJoin joins the row of a search's one genre to its movie.
const genreDatesJoin = " JOIN movie_genre_releases gd ON gd.movie_id = m.id"

// Two ways to write "the movie has a genre of a list" and "the movie has
// an actor of a list", one per matchShape. A genre name is resolved to
// its genre's id by a scalar subquery, which both engines run once per
// statement (an unknown name gives NULL, equal to nothing); joining genres
// instead makes PostgreSQL's generic plan scan genres once per movie.
const (
	withGenre = "m.id IN (SELECT mg.movie_id FROM movie_genres mg WHERE %s)"
	hasGenre  = "EXISTS (SELECT 1 FROM movie_genres mg WHERE mg.movie_id = m.id AND %s)"
	withActor = "m.id IN (SELECT mc.movie_id FROM movie_characters mc WHERE mc.person_id IN (%s))"
	hasActor  = "EXISTS (SELECT 1 FROM movie_characters mc WHERE mc.movie_id = m.id AND mc.person_id IN (%s))"
)

// genreIn returns the condition that mg.genre_id is one of genres, each an
// expression of a genre id. With one expression it must be "=": "IN
// ((SELECT …))" would be a subquery again.
func genreIn(genres []string) string {
	if len(genres) == 1 {
		return "mg.genre_id = " + genres[0]
	}
	return "mg.genre_id IN (" + strings.Join(genres, ", ") + ")"
}

// A movieFilter is a checked movie search, ready to be written as SQL in
// either matchShape.
type movieFilter struct {
	f    catalog.MovieSearch
	sort movieSort
	// byGenreDates is set when the search has one genre and either sorts
	// by release date or bounds it: its movies are then a range of
	// movie_genre_releases_genre_idx (migration 0011), read in release
	// date order and counted there. Several genres would repeat movies
	// of more than one.
	byGenreDates bool
	text         string   // the engine's text query, or ""
	words        []string // the words of the text query
	scope        string   // the scope of the search's cursors
	cursor       *catalog.Cursor
}

// checkMovieSearch checks f and decodes its cursor. A sort key not in
// catalog.MovieSorts, a text query of too many words, a filter of too
// many values or a cursor of another search is a *catalog.ValidationError.
func (s *Store) checkMovieSearch(f catalog.MovieSearch) (*movieFilter, error) {
	v := &catalog.ValidationError{}
	if f.Sort == "" {
		f.Sort = catalog.MovieSortTitle
	}
	sort, ok := movieSorts[f.Sort]
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
	mf := &movieFilter{f: f, sort: sort, text: s.textSearch(v, "q", f.Q), words: searchWords(f.Q)}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(f.GenreIDs)+len(f.GenreNames) == 1 &&
		(f.Sort == catalog.MovieSortReleaseDate || f.ReleasedFrom != nil || f.ReleasedTo != nil) {
		mf.byGenreDates = true
		if f.Sort == catalog.MovieSortReleaseDate {
			mf.sort = genreReleaseSort
		}
	}
	mf.scope = movieScope(f)
	if f.Page.Cursor != "" {
		c, err := catalog.DecodeCursor(f.Page.Cursor, mf.scope, 2)
		if err != nil {
			return nil, err
		}
		mf.cursor = &c
	}
	return mf, nil
}

// movieScope names a movie search's order and filters in its cursors, so
// that a cursor serves only the search that made it: the filters are
// digested in a canonical form (lists sorted, names folded), since their
// order does not change what they select.
func movieScope(f catalog.MovieSearch) string {
	ids := func(l []int64) []int64 {
		l = slices.Clone(l)
		slices.Sort(l)
		return slices.Compact(l)
	}
	names := make([]string, len(f.GenreNames))
	for i, n := range f.GenreNames {
		names[i] = strings.ToLower(n)
	}
	slices.Sort(names)
	canon, err := json.Marshal([]any{
		strings.Join(searchWords(strings.ToLower(f.Q)), " "), ids(f.GenreIDs), slices.Compact(names), f.GenreMatchAll,
		ids(f.CountryIDs), ids(f.DirectorIDs), ids(f.ActorIDs), f.ReleasedFrom, f.ReleasedTo,
		f.MinDuration, f.MaxDuration, f.MinBudget, f.MaxBudget,
	})
	if err != nil { // ints, strings, dates and amounts always marshal
		panic("sqlstore: movie search scope: " + err.Error())
	}
	sum := sha256.Sum256(canon)
	dir := "asc"
	if f.Desc {
		dir = "desc"
	}
	return "movies:" + f.Sort + ":" + dir + ":" + hex.EncodeToString(sum[:12])
}

// where adds to w the conditions and arguments that select the movies of
// mf, with genre, actor and text conditions in the given shape, and
// returns w.
func (s *Store) where(w *whereList, mf *movieFilter, shape matchShape) *whereList {
	f := mf.f
	if mf.text != "" {
		w.add(s.titleMatch(w, mf.text, mf.words, shape))
	}
	if len(f.CountryIDs) > 0 {
		w.add("m.country_id IN (" + w.bindIDs(f.CountryIDs) + ")")
	}
	if len(f.DirectorIDs) > 0 {
		w.add("m.director_id IN (" + w.bindIDs(f.DirectorIDs) + ")")
	}
	actor, genre := withActor, withGenre
	if shape == probe {
		actor, genre = hasActor, hasGenre
	}
	if mf.text != "" || len(f.CountryIDs)+len(f.DirectorIDs)+len(f.ActorIDs) > 0 || movieRanged(f) {
		// A genre holds a large share of all movies: the movies of a
		// country, a director, an actor, a title word or a range of
		// release dates, running times or budgets (read off the movies'
		// indexes, which hold the other bounds too) are fewer or cheaper
		// to read, and SQLite, which knows no value's share, must not
		// start from the genre's list of ids.
		genre = hasGenre
	}
	if len(f.ActorIDs) > 0 {
		w.add(fmt.Sprintf(actor, w.bindIDs(f.ActorIDs)))
	}
	genres := genreExprs(w, f)
	switch {
	case mf.byGenreDates:
		w.add("gd.genre_id = " + genres[0])
	case f.GenreMatchAll:
		for _, g := range genres {
			w.add(fmt.Sprintf(genre, genreIn([]string{g})))
		}
	case len(genres) > 0:
		w.add(fmt.Sprintf(genre, genreIn(genres)))
	}
	released := "m.release_date"
	if mf.byGenreDates {
		released = "gd.release_date"
	}
	if f.ReleasedFrom != nil {
		w.add(released + " >= " + w.bind(dateArg(f.ReleasedFrom)))
	}
	if f.ReleasedTo != nil {
		w.add(released + " <= " + w.bind(dateArg(f.ReleasedTo)))
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
	return w
}

// movieRanged reports whether f bounds a column of movies: release
// date, running time or budget.
func movieRanged(f catalog.MovieSearch) bool {
	return f.ReleasedFrom != nil || f.ReleasedTo != nil || f.MinDuration != nil || f.MaxDuration != nil ||
		f.MinBudget != nil || f.MaxBudget != nil
}

// genreExprs binds the genres of f and returns an expression of each
// genre's id.
func genreExprs(w *whereList, f catalog.MovieSearch) []string {
	var genres []string
	for _, id := range f.GenreIDs {
		genres = append(genres, w.bind(id))
	}
	for _, name := range f.GenreNames {
		genres = append(genres, "(SELECT g.id FROM genres g WHERE lower(g.name) = lower("+w.bind(name)+"))")
	}
	return genres
}

// countQuery returns the statement that counts the rows of table that w
// selects, at most catalog.MaxExactTotal+1 of them, so that a count costs
// the same in any size of catalog.
func countQuery(table string, w *whereList) string {
	return "SELECT count(*) FROM (SELECT 1 FROM " + table + w.clause() +
		" LIMIT " + strconv.Itoa(catalog.MaxExactTotal+1) + ") AS counted"
}

// movieCountQuery returns the bounded count of mf's movies. A search of
// one condition alone counts the index that condition reads, without
// reading a movie row for each match: the rows of a text match, of one
// genre (with release dates: in movie_genre_releases) or of one actor.
// Other searches count movies, starting from an actor's movies or,
// without a narrower filter, a genre's (see where), and stop at the bound.
func (s *Store) movieCountQuery(mf *movieFilter, w *whereList) string {
	f := mf.f
	genres := len(f.GenreIDs) + len(f.GenreNames)
	ranged := f.ReleasedFrom != nil || f.ReleasedTo != nil
	others := len(f.CountryIDs)+len(f.DirectorIDs) > 0 || f.MinDuration != nil || f.MaxDuration != nil ||
		f.MinBudget != nil || f.MaxBudget != nil
	// Conditions of their own, with arguments bound after w's.
	c := &whereList{args: w.args}
	defer func() { w.args = c.args }()
	if !others {
		switch {
		case mf.text != "" && genres+len(f.ActorIDs) == 0 && !ranged && s.engine == SQLite:
			// Every row of movies_fts is a movie's.
			c.add("movies_fts MATCH " + c.bind(mf.text))
			return countQuery("movies_fts", c)
		case mf.text == "" && len(f.ActorIDs) == 0 && mf.byGenreDates:
			return countQuery("movie_genre_releases gd", s.where(c, mf, drive))
		case mf.text == "" && len(f.ActorIDs) == 0 && genres == 1 && !ranged:
			// One genre links a movie once.
			c.add(genreIn(genreExprs(c, f)))
			return countQuery("movie_genres mg", c)
		case mf.text == "" && len(f.ActorIDs) == 1 && genres == 0 && !ranged:
			// An actor may play several characters of a movie.
			c.add("mc.person_id = " + c.bind(f.ActorIDs[0]))
			return "SELECT count(*) FROM (SELECT DISTINCT mc.movie_id FROM movie_characters mc" + c.clause() +
				" LIMIT " + strconv.Itoa(catalog.MaxExactTotal+1) + ") AS counted"
		}
	}
	from := "movies m"
	if mf.byGenreDates {
		from += genreDatesJoin
	}
	return countQuery(from, s.where(c, mf, drive))
}

// moviePageQuery returns the statement that lists the ids and sort keys of
// the movies of a page, at most limit+1 of them (one more tells whether
// another page follows), after offset others or after mf's cursor.
//
// A search orders by its key, NULLs last in either direction, then by id
// ascending. One index scan cannot give that order (NULLs sort first on
// SQLite, and descending keys with ascending ids read no index of (key,
// id) in one direction), so the order is cut into parts that each can,
// and each part reads at most a page of its own:
//
//	0: the rows tied with the cursor's key, after its id (with a cursor)
//	1: the rows with a key after the cursor's (or any key), in key order
//	2: the rows without a key (nullable keys), by id
//
// A cursor that holds no key starts in part 2. The parts are then put
// in order, a few rows each. The returned columns are id, key as text,
// part, key; the returned order by is that of those columns, prefixed
// with alias. The arguments are w's.
func (s *Store) moviePageQuery(w *whereList, mf *movieFilter, shape matchShape, limit, offset int, alias string) (query, orderBy string, err error) {
	srt := mf.sort
	s.where(w, mf, shape)
	from := "movies m" + srt.join
	if mf.byGenreDates {
		from += genreDatesJoin
	}
	dir, after := " ASC", " > "
	if mf.f.Desc {
		dir, after = " DESC", " < "
	}
	cols := srt.id + " AS id, " + s.keyText(srt) + " AS k, %d AS part, " + srt.expr + " AS sk"
	// Bound, not written in the text, so that pages of any number share
	// one prepared statement.
	rows := w.bind(limit + 1 + offset)
	part := func(n int, conds []string, orderBy string) string {
		pw := &whereList{conds: append(slices.Clone(w.conds), conds...), args: w.args}
		return "SELECT " + fmt.Sprintf(cols, n) + " FROM " + from + pw.clause() + " ORDER BY " + orderBy + " LIMIT " + rows
	}
	byKey := srt.expr + dir + ", " + srt.id
	var parts []string
	keyed := true
	if c := mf.cursor; c != nil {
		afterID, err := c.Int(1)
		if err != nil {
			return "", "", err
		}
		id := w.bind(afterID)
		if c.String(0) == nil {
			if !srt.nullable {
				return "", "", catalog.Invalid("cursor", "is not a cursor of this list: use next_cursor of the previous page, with the same filters and sort")
			}
			keyed = false
			parts = append(parts, part(2, []string{srt.expr + " IS NULL", srt.id + " > " + id}, srt.id))
		} else {
			key, err := s.keyArg(srt.kind, *c.String(0))
			if err != nil {
				return "", "", err
			}
			k := s.bindKey(w, srt.kind, key)
			parts = append(parts,
				part(0, []string{srt.expr + " = " + k, srt.id + " > " + id}, srt.id),
				part(1, []string{srt.expr + after + k}, byKey))
		}
	} else {
		var conds []string
		if srt.nullable {
			conds = []string{srt.expr + " IS NOT NULL"}
		}
		parts = append(parts, part(1, conds, byKey))
	}
	if keyed && srt.nullable {
		parts = append(parts, part(2, []string{srt.expr + " IS NULL"}, srt.id))
	}
	orderBy = alias + "part, " + alias + "sk" + dir + ", " + alias + "id"
	if len(parts) == 1 && offset == 0 {
		return parts[0], orderBy, nil
	}
	for i, p := range parts {
		parts[i] = "SELECT * FROM (" + p + ") AS part" + strconv.Itoa(i)
	}
	q := "SELECT id, k, part, sk FROM (" + strings.Join(parts, " UNION ALL ") + ") AS parts" +
		" ORDER BY part, sk" + dir + ", id LIMIT " + w.bind(limit+1) + " OFFSET " + w.bind(offset)
	return q, orderBy, nil
}

// SearchMovies returns a page of the movies f selects, each with its poster
// and its director, with the number of all of them: exact up to
// catalog.MaxExactTotal, a bound beyond (see catalog.BoundTotal). A page
// is either f.Page.Number (read past the rows before it, at a cost that
// grows with its depth) or the place f.Page.Cursor marks (read from an
// index at the same cost at any depth); the list's NextCursor marks the
// next page. A sort key not in catalog.MovieSorts, a text query of too
// many words, a filter of too many values or a cursor of another search
// is a *catalog.ValidationError naming the search parameter: sort, q,
// genre, country, director, actor or cursor.
func (s *Store) SearchMovies(ctx context.Context, f catalog.MovieSearch) (catalog.List[catalog.MovieSummary], error) {
	list := catalog.List[catalog.MovieSummary]{Page: f.Page.Normalize(), Items: []catalog.MovieSummary{}}
	mf, err := s.checkMovieSearch(f)
	if err != nil {
		return list, fmt.Errorf("sqlstore: search movies: %w", err)
	}
	limit, offset := listLimit(f.Page)
	if mf.cursor != nil {
		offset = 0
	}
	// SQLite picks the shape from the count, made first; PostgreSQL plans
	// both shapes alike, and counts in the page's statement, saving a
	// round trip.
	counted, shape := -1, drive
	if s.engine == SQLite {
		count := &whereList{}
		if counted, err = s.countRows(ctx, s.movieCountQuery(mf, count), count.args); err != nil {
			return list, fmt.Errorf("sqlstore: count movies found: %w", err)
		}
		if counted == 0 {
			list.Total, list.TotalRelation = catalog.BoundTotal(0)
			return list, nil
		}
		shape = searchShape(counted)
	}
	w := &whereList{}
	page, orderBy, err := s.moviePageQuery(w, mf, shape, limit, offset, "page.")
	if err != nil {
		return list, fmt.Errorf("sqlstore: search movies: %w", err)
	}
	var total string
	if counted < 0 {
		total = "(" + s.movieCountQuery(mf, w) + ")"
	} else {
		total = "CAST(" + w.bind(counted) + " AS INTEGER)"
	}
	q := "WITH page AS (" + page + ") " + summaryQuery("page.k", total) + " JOIN page ON page.id = m.id ORDER BY " + orderBy
	var lastKey *string
	if err := queryEach(ctx, s.reader(), q, w.args, func(scan func(...any) error) error {
		var key any
		m, err := scanSummary(rowScanner(scan), &key, &counted)
		if err != nil {
			return err
		}
		if len(list.Items) == limit { // the first row of the next page
			list.NextCursor = catalog.Cursor{Scope: mf.scope, After: []*string{lastKey, catalog.CursorInt(list.Items[limit-1].ID)}}.Encode()
			return nil
		}
		list.Items = append(list.Items, *m)
		lastKey, err = keyString(key)
		return err
	}); err != nil {
		return list, fmt.Errorf("sqlstore: search movies: %w", err)
	}
	if counted < 0 { // past the last page
		count := &whereList{}
		if counted, err = s.countRows(ctx, s.movieCountQuery(mf, count), count.args); err != nil {
			return list, fmt.Errorf("sqlstore: count movies found: %w", err)
		}
	}
	list.Total, list.TotalRelation = catalog.BoundTotal(counted)
	return list, nil
}

// countRows runs a bounded count.
func (s *Store) countRows(ctx context.Context, q string, args []any) (int, error) {
	var n int
	if err := s.reader().QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, err
	}
	return n, nil
}

// rowScanner turns a scan function into what scanSummary scans.
type rowScanner func(...any) error

func (f rowScanner) Scan(dest ...any) error { return f(dest...) }

// personScope names the person search for q in its cursors.
func personScope(q string) string {
	sum := sha256.Sum256([]byte(strings.Join(searchWords(strings.ToLower(q)), " ")))
	return "persons:name:" + hex.EncodeToString(sum[:12])
}

// personOrder is the order of every person list: by name without regard
// to case, then by id. persons_lower_name_idx holds it on SQLite (with the
// rowid), persons_name_id_idx on PostgreSQL.
var personOrder = []string{"lower(p.last_name)", "lower(p.first_name)", "p.id"}

// personSearchQuery returns the statement that lists a page of the
// persons whose names match text (everyone for ""), at most limit+1 of
// them, after offset others or after cursor c, in the given shape; and the
// statement that counts them with a bound.
func (s *Store) personSearchQuery(text string, words []string, c *catalog.Cursor, shape matchShape, limit, offset int) (list string, listArgs []any, count string, countArgs []any, err error) {
	w := &whereList{}
	switch {
	case text != "" && s.engine == SQLite:
		// Every row of persons_fts is a person's: count the index alone.
		w.add("persons_fts MATCH " + w.bind(text))
		count = countQuery("persons_fts", w)
	case text != "":
		w.add(s.nameMatch(w, text, words, drive))
		count = countQuery("persons p", w)
	default:
		count = countQuery("persons p", w)
	}
	countArgs = w.args
	w = &whereList{}
	if text != "" {
		w.add(s.nameMatch(w, text, words, shape))
	}
	if c != nil {
		id, err := c.Int(2)
		if err != nil || c.String(0) == nil || c.String(1) == nil {
			return "", nil, "", nil, catalog.Invalid("cursor", "is not a cursor of this list: use next_cursor of the previous page, with the same filters and sort")
		}
		// Names are never NULL, so one row comparison, in the order of
		// the index, seeks past the cursor.
		w.add("(" + strings.Join(personOrder, ", ") + ") > (" + w.bind(*c.String(0)) + ", " + w.bind(*c.String(1)) + ", " + w.bind(id) + ")")
	}
	list = "SELECT " + prefixed("p", personColumns) + ", " + personOrder[0] + ", " + personOrder[1] + " FROM persons p" + w.clause() +
		" ORDER BY " + strings.Join(personOrder, ", ") + " LIMIT " + w.bind(limit+1) + " OFFSET " + w.bind(offset)
	return list, w.args, count, countArgs, nil
}

// SearchPersons returns a page of the persons whose first and last names
// hold every word of q, without regard to case or accents, the last word
// possibly the start of a name word, ordered as ListPersons orders them,
// with their number (exact up to catalog.MaxExactTotal, a bound beyond).
// An empty q finds everyone. Pages go by number or by cursor, as in
// SearchMovies. A q of too many words is a *catalog.ValidationError on q,
// a cursor of another search one on cursor.
func (s *Store) SearchPersons(ctx context.Context, q string, page catalog.Page) (catalog.List[catalog.Person], error) {
	list := catalog.List[catalog.Person]{Page: page.Normalize(), Items: []catalog.Person{}}
	v := &catalog.ValidationError{}
	text := s.textSearch(v, "q", q)
	if err := v.Err(); err != nil {
		return list, fmt.Errorf("sqlstore: search persons: %w", err)
	}
	scope := personScope(q)
	var cursor *catalog.Cursor
	limit, offset := listLimit(page)
	if page.Cursor != "" {
		c, err := catalog.DecodeCursor(page.Cursor, scope, 3)
		if err != nil {
			return list, fmt.Errorf("sqlstore: search persons: %w", err)
		}
		cursor, offset = &c, 0
	}
	_, _, count, countArgs, err := s.personSearchQuery(text, searchWords(q), cursor, drive, limit, offset)
	if err != nil {
		return list, fmt.Errorf("sqlstore: search persons: %w", err)
	}
	counted, err := s.countRows(ctx, count, countArgs)
	if err != nil {
		return list, fmt.Errorf("sqlstore: count persons found: %w", err)
	}
	list.Total, list.TotalRelation = catalog.BoundTotal(counted)
	if counted == 0 {
		return list, nil
	}
	query, args, _, _, err := s.personSearchQuery(text, searchWords(q), cursor, searchShape(counted), limit, offset)
	if err != nil {
		return list, fmt.Errorf("sqlstore: search persons: %w", err)
	}
	rows, err := s.reader().QueryContext(ctx, query, args...)
	if err != nil {
		return list, fmt.Errorf("sqlstore: search persons: %w", err)
	}
	defer rows.Close()
	// The cursor holds the names as the database folded them: Go's case
	// folding is not SQLite's (ASCII only) nor PostgreSQL's.
	var last, first, prevLast, prevFirst string
	for rows.Next() {
		p, err := scanPerson(rows, &last, &first)
		if err != nil {
			return list, fmt.Errorf("sqlstore: search persons: %w", err)
		}
		if len(list.Items) == limit {
			list.NextCursor = catalog.Cursor{Scope: scope, After: []*string{
				catalog.CursorString(prevLast), catalog.CursorString(prevFirst), catalog.CursorInt(list.Items[limit-1].ID),
			}}.Encode()
			break
		}
		list.Items = append(list.Items, *p)
		prevLast, prevFirst = last, first
	}
	if err := rows.Err(); err != nil {
		return list, fmt.Errorf("sqlstore: search persons: %w", err)
	}
	return list, nil
}
