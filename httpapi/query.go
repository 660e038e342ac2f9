package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/moviedb/moviedb/catalog"
)

// A query reads a request's query parameters. Each getter marks its
// parameter as known and records a message for a bad value; err then
// reports the bad values and every parameter no getter asked for, as one
// 400 naming them all.
type query struct {
	values url.Values
	known  map[string]bool
	errs   map[string]string
}

// parseQuery parses r's query string. A query string that does not parse is
// a 400.
func parseQuery(r *http.Request) (*query, error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("", "the query string is malformed")
	}
	return &query{values: values, known: map[string]bool{}, errs: map[string]string{}}, nil
}

// single returns the one value of parameter name, and whether it was given.
// A parameter given more than once is a bad value.
func (q *query) single(name string) (string, bool) {
	q.known[name] = true
	vs, ok := q.values[name]
	if !ok {
		return "", false
	}
	if len(vs) > 1 {
		q.errs[name] = "must be given at most once"
		return "", false
	}
	return vs[0], true
}

// intRange returns parameter name as a whole number in min..max, or def
// when it is absent.
func (q *query) intRange(name string, def, min, max int) int {
	s, ok := q.single(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		q.errs[name] = fmt.Sprintf("must be a whole number from %d to %d", min, max)
		return def
	}
	return n
}

// flag returns whether parameter name is given as "true". Absent, it is
// false; any other value is a bad value, so that a misspelt "yes" or "1"
// never passes for the default.
func (q *query) flag(name string) bool {
	v, ok := q.single(name)
	if ok && v != "true" {
		q.errs[name] = `must be "true" when given`
	}
	return ok && v == "true"
}

// page returns the page a list request asks for: per_page rows (1 to
// catalog.MaxPageSize, default catalog.DefaultPageSize) either after the
// place cursor marks (the next_cursor of a previous page) or at page
// number page (from 1, by OFFSET, so deeper pages cost more). Giving both
// is a bad value of cursor. The store checks the cursor itself.
func (q *query) page() catalog.Page {
	// No page beyond this exists in practice, and it keeps offsets far from
	// overflowing whatever the page size.
	const maxPage = 1_000_000
	p := catalog.Page{
		Number: q.intRange("page", 1, 1, maxPage),
		Size:   q.intRange("per_page", catalog.DefaultPageSize, 1, catalog.MaxPageSize),
	}
	cursor, ok := q.single("cursor")
	switch {
	case !ok:
	case q.values.Has("page"):
		q.errs["cursor"] = "cannot be given with page: a cursor already says where the page starts"
	case cursor == "" || len(cursor) > catalog.MaxCursorLength:
		q.errs["cursor"] = "must be the next_cursor of a previous page"
	default:
		p.Cursor = cursor
	}
	return p
}

// err returns a 400 naming every bad or unknown parameter, or nil.
func (q *query) err() error {
	for name := range q.values {
		if !q.known[name] {
			q.errs[name] = "is not a known parameter"
		}
	}
	if len(q.errs) == 0 {
		return nil
	}
	names := make([]string, 0, len(q.errs))
	for name := range q.errs {
		names = append(names, name)
	}
	slices.Sort(names)
	return &requestError{
		status: http.StatusBadRequest,
		detail: "bad query parameters: " + strings.Join(names, ", ") + "; see errors",
		fields: q.errs,
	}
}

// pageOf reads the page, per_page and cursor parameters of a list that
// takes no others.
func pageOf(r *http.Request) (catalog.Page, error) {
	q, err := parseQuery(r)
	if err != nil {
		return catalog.Page{}, err
	}
	page := q.page()
	return page, q.err()
}

// pathID returns the path wildcard name as a positive id. Anything else
// names no resource: a 404.
func pathID(r *http.Request, name string) (int64, error) {
	// Digits only: ParseInt takes a sign, and /movies/+1 is no resource.
	text := r.PathValue(name)
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id < 1 || text[0] < '0' || text[0] > '9' {
		return 0, &requestError{status: http.StatusNotFound, detail: "no resource at this path"}
	}
	return id, nil
}

// A listJSON is one page of a list, as every list endpoint answers. Page
// is the page number asked for, absent on a page read from a cursor;
// TotalRelation says whether Total is exact ("eq") or a lower bound
// ("gte"); NextCursor reads the next page, null on the last one.
type listJSON[T any] struct {
	Items         []T     `json:"items"`
	Page          *int    `json:"page,omitempty"`
	PerPage       int     `json:"per_page"`
	Total         int     `json:"total"`
	TotalRelation string  `json:"total_relation"`
	NextCursor    *string `json:"next_cursor"`
}

// servePage answers one page of a list: it reads page, per_page and
// cursor (any other parameter is a 400), calls list with the page, and
// writes the items converted by conv. what names the list in errors.
func servePage[S, T any](s *server, w http.ResponseWriter, r *http.Request, what string,
	list func(ctx context.Context, page catalog.Page) (catalog.List[S], error), conv func(*S) T) {
	page, err := pageOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	l, err := list(r.Context(), page)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("%s: %w", what, queryFault(err)))
		return
	}
	writeList(s, w, r, l, conv)
}

// serveOwnPage is servePage for a list of the resource whose id is in the
// path, as a person's filmography.
func serveOwnPage[S, T any](s *server, w http.ResponseWriter, r *http.Request, what string,
	list func(ctx context.Context, id int64, page catalog.Page) (catalog.List[S], error), conv func(*S) T) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	servePage(s, w, r, fmt.Sprintf("%s %d", what, id), func(ctx context.Context, page catalog.Page) (catalog.List[S], error) {
		return list(ctx, id, page)
	}, conv)
}

// writeList answers a page of a list, its items converted by conv, with
// an RFC 8288 Link header to the next page when there is one: the
// request's own URL with cursor set to the next cursor and page removed.
func writeList[S, T any](s *server, w http.ResponseWriter, r *http.Request, list catalog.List[S], conv func(*S) T) {
	body := newListJSON(list, conv)
	if body.NextCursor != nil {
		w.Header().Set("Link", "<"+s.nextURL(r, *body.NextCursor)+`>; rel="next"`)
	}
	s.writeJSON(w, r, http.StatusOK, body)
}

// nextURL returns the URL of the page after r's, which ends at cursor:
// absolute when the server knows its base URL.
func (s *server) nextURL(r *http.Request, cursor string) string {
	q := r.URL.Query()
	q.Del("page")
	q.Set("cursor", cursor)
	return s.baseURL + r.URL.EscapedPath() + "?" + q.Encode()
}

// serveDelete deletes the resource whose id is in the path with remove and
// answers 204; what names the resource in errors, as "movie".
func serveDelete(s *server, w http.ResponseWriter, r *http.Request, what string, remove func(ctx context.Context, id int64) error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := remove(r.Context(), id); err != nil {
		s.writeError(w, r, fmt.Errorf("delete %s %d: %w", what, id, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// newListJSON converts each item of list with conv.
func newListJSON[S, T any](list catalog.List[S], conv func(*S) T) listJSON[T] {
	items := make([]T, len(list.Items))
	for i := range list.Items {
		items[i] = conv(&list.Items[i])
	}
	body := listJSON[T]{Items: items, PerPage: list.Page.Size, Total: list.Total, TotalRelation: list.TotalRelation}
	if list.Page.Cursor == "" {
		body.Page = &list.Page.Number
	}
	if body.TotalRelation == "" {
		body.TotalRelation = catalog.TotalExact
	}
	if list.NextCursor != "" {
		body.NextCursor = &list.NextCursor
	}
	return body
}

// maxSearchLen bounds a text search query, in characters; no name comes
// near it.
const maxSearchLen = 200

// searchText returns the text search parameter name, recording a bad value
// when it is not UTF-8 or longer than maxSearchLen characters.
func searchText(qry *query, name string) string {
	s, _ := qry.single(name)
	switch {
	case !utf8.ValidString(s):
		qry.errs[name] = "must be valid UTF-8"
		return ""
	case utf8.RuneCountInString(s) > maxSearchLen:
		qry.errs[name] = fmt.Sprintf("must be at most %d characters", maxSearchLen)
		return ""
	}
	return s
}

// queryFault turns the store's *catalog.ValidationError on a search
// parameter into the 400 every bad query parameter gets; other errors come
// back unchanged.
func queryFault(err error) error {
	var invalid *catalog.ValidationError
	if !errors.As(err, &invalid) {
		return err
	}
	return &requestError{status: http.StatusBadRequest, detail: "bad query parameters; see errors", fields: invalid.Fields}
}
