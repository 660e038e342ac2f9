package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// The kinds of value a sort key holds, which say how a cursor writes it
// and how it comes back as a bound argument.
type keyKind int

const (
	keyInt    keyKind = iota // an integer
	keyText                  // text compared as text
	keyTime                  // a timestamp
	keyDate                  // a date, YYYY-MM-DD
	keyNumber                // a non-negative decimal amount (movie search only, see searchKeyArg)
)

// A sortKey is one term of a list's order: an SQL expression selected with
// each row (so that the cursor holds the value the database compared, not
// one Go recomputed: lower() folds differently on each engine), its
// direction, and whether it may be NULL (NULLs sort last).
type sortKey struct {
	expr     string
	kind     keyKind
	desc     bool
	nullable bool
}

// A keyset is the order of a list read page after page from cursors: its
// keys, the last one unique, and the scope its cursors belong to (the
// list, its sort and its filters), so that a cursor of another list, sort
// or filter is refused.
type keyset struct {
	scope string
	keys  []sortKey
}

// orderBy returns the ORDER BY terms of k.
func (k keyset) orderBy() string {
	terms := make([]string, len(k.keys))
	for i, key := range k.keys {
		terms[i] = key.expr
		if key.desc {
			terms[i] += " DESC"
		}
		if key.nullable {
			terms[i] += " NULLS LAST"
		}
	}
	return strings.Join(terms, ", ")
}

// columns returns the key expressions, to select after a row's own columns.
func (k keyset) columns() string {
	exprs := make([]string, len(k.keys))
	for i, key := range k.keys {
		exprs[i] = key.expr
	}
	return strings.Join(exprs, ", ")
}

// after returns the condition that selects the rows after the place
// cursor text marks, its parameters numbered from $first, or "" when text
// is empty. A cursor not made for k's scope is a *catalog.ValidationError
// on "cursor".
//
// Keys all in one direction and never NULL compare as one row value,
// which both engines match against an index on the same terms, so the
// page starts where the index lookup lands, however deep. Other orders
// expand into the equivalent OR of terms.
func (k keyset) after(text string, first int) (string, []any, error) {
	if text == "" {
		return "", nil, nil
	}
	c, err := catalog.DecodeCursor(text, k.scope, len(k.keys))
	if err != nil {
		return "", nil, err
	}
	vals := make([]any, len(k.keys))
	for i, key := range k.keys {
		if vals[i], err = key.arg(c, i); err != nil {
			return "", nil, err
		}
	}
	// Each non-NULL value is bound once, numbered in key order; a NULL
	// one is written as IS NULL, since no engine can type a parameter
	// that only IS NULL mentions.
	var args []any
	params := make([]string, len(k.keys))
	for i, v := range vals {
		if v != nil {
			args = append(args, v)
			params[i] = "$" + strconv.Itoa(first+len(args)-1)
		}
	}
	// The first key's bound, implied by the rest, is what SQLite matches
	// against an index on expressions (it does not for row values): the
	// lookup lands on the cursor's first key, and reads on from there.
	firstBound := ""
	if !k.keys[0].nullable {
		firstBound = k.keys[0].expr + " " + strings.TrimSpace(k.keys[0].op()) + "= " + params[0] + " AND "
	}
	if k.uniform() {
		cols := make([]string, len(k.keys))
		for i, key := range k.keys {
			cols[i] = key.expr
		}
		return "(" + firstBound + "(" + strings.Join(cols, ", ") + ")" + k.keys[0].op() + "(" + strings.Join(params, ", ") + "))", args, nil
	}
	// Term i of the OR: every key before i equal to the cursor's, key i
	// after it.
	var terms []string
	for i, key := range k.keys {
		var and []string
		for j := range i {
			if vals[j] == nil {
				and = append(and, k.keys[j].expr+" IS NULL")
			} else {
				and = append(and, k.keys[j].expr+" = "+params[j])
			}
		}
		switch {
		case vals[i] == nil:
			// NULLs sort last: nothing comes after a NULL in this key.
			continue
		case key.nullable:
			and = append(and, "("+key.expr+key.op()+params[i]+" OR "+key.expr+" IS NULL)")
		default:
			and = append(and, key.expr+key.op()+params[i])
		}
		terms = append(terms, "("+strings.Join(and, " AND ")+")")
	}
	return "(" + firstBound + "(" + strings.Join(terms, " OR ") + "))", args, nil
}

// uniform reports whether every key sorts one way and none is nullable.
func (k keyset) uniform() bool {
	for _, key := range k.keys {
		if key.nullable || key.desc != k.keys[0].desc {
			return false
		}
	}
	return true
}

// op returns the comparison of a value after v in key's direction: " > "
// or " < ".
func (key sortKey) op() string {
	if key.desc {
		return " < "
	}
	return " > "
}

// arg returns the cursor's value i as an argument for key, nil for NULL.
func (key sortKey) arg(c catalog.Cursor, i int) (any, error) {
	s := c.String(i)
	if s == nil {
		if !key.nullable {
			return nil, catalog.InvalidCursor()
		}
		return nil, nil
	}
	switch key.kind {
	case keyInt:
		return c.Int(i)
	case keyTime:
		t, err := time.Parse(time.RFC3339Nano, *s)
		if err != nil {
			return nil, catalog.InvalidCursor()
		}
		return t.UTC(), nil
	case keyDate:
		d, err := catalog.ParseDate(*s)
		if err != nil {
			return nil, catalog.InvalidCursor()
		}
		return d.String(), nil
	}
	return *s, nil
}

// A keyRow scans the key columns of one row and turns them into a cursor.
type keyRow struct {
	k    keyset
	vals []any
}

func (k keyset) row() *keyRow {
	r := &keyRow{k: k, vals: make([]any, len(k.keys))}
	for i, key := range k.keys {
		switch key.kind {
		case keyInt:
			r.vals[i] = new(sql.NullInt64)
		case keyText:
			r.vals[i] = new(sql.NullString)
		default:
			r.vals[i] = new(sql.NullTime)
		}
	}
	return r
}

// dest returns the scan destinations of the key columns.
func (r *keyRow) dest() []any { return r.vals }

// cursor returns the cursor of the place after the row last scanned.
func (r *keyRow) cursor() string {
	c := catalog.Cursor{Scope: r.k.scope, After: make([]*string, len(r.vals))}
	for i, v := range r.vals {
		switch v := v.(type) {
		case *sql.NullInt64:
			if v.Valid {
				c.After[i] = catalog.CursorInt(v.Int64)
			}
		case *sql.NullString:
			if v.Valid {
				c.After[i] = catalog.CursorString(v.String)
			}
		case *sql.NullTime:
			if !v.Valid {
				continue
			}
			if r.k.keys[i].kind == keyDate {
				c.After[i] = catalog.CursorString(v.Time.UTC().Format(time.DateOnly))
			} else {
				c.After[i] = catalog.CursorString(v.Time.UTC().Format(time.RFC3339Nano))
			}
		}
	}
	return c.Encode()
}

// A scanFunc reads a row's own columns, then the extra destinations.
type scanFunc[T any] func(row interface{ Scan(...any) error }, extra ...any) (*T, error)

// A countFunc returns the statement that counts the rows of from (FROM …
// [WHERE …]) and what its count says: boundedCount or exactCount.
type countFunc func(from string) (query string, total func(counted int) (int, string))

// listPage reads one page of q as readPage does and counts the list's
// rows with count, both in one read transaction so they agree, their
// statements prepared first on SQLite; what names the list in errors.
func listPage[T any](ctx context.Context, s *Store, what string, q keysetQuery, page catalog.Page,
	scan scanFunc[T], count countFunc) (catalog.List[T], error) {
	page = page.Normalize()
	list := catalog.List[T]{Page: page, Items: []T{}}
	text, args, err := q.sql(page)
	if err != nil {
		return list, fmt.Errorf("sqlstore: %s: %w", what, err)
	}
	from := q.from
	if q.countFrom != "" {
		from = q.countFrom
	}
	if q.where != "" {
		from += " WHERE " + q.where
	}
	countSQL, total := count(from)
	err = s.inReadTx(ctx, []string{text, countSQL}, func(tx queryer) error {
		if err := readRows(ctx, tx, q.order, text, args, &list, scan); err != nil {
			return err
		}
		var counted int
		if err := tx.QueryRowContext(ctx, countSQL, q.args...).Scan(&counted); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		list.Total, list.TotalRelation = total(counted)
		return nil
	})
	if err != nil {
		return list, fmt.Errorf("sqlstore: %s: %w", what, err)
	}
	return list, nil
}

// A keysetQuery is one list read by pages: from is everything after the
// selected columns up to the WHERE conditions (FROM and joins), where the
// conditions of the filter (may be empty), args their arguments ($1…).
type keysetQuery struct {
	columns string
	from    string
	where   string
	args    []any
	order   keyset
	// countFrom, when set, replaces from in the count: the joins that
	// only add columns need not run there.
	countFrom string
}

// readPage reads one page of q: the page a cursor marks, or the numbered
// page (by OFFSET, whose cost grows with the depth). scan reads a row's
// own columns followed by the extra destinations it is given. The list's
// NextCursor is set when more rows follow; Total is left to the caller.
func readPage[T any](ctx context.Context, db queryer, q keysetQuery, page catalog.Page, scan scanFunc[T]) (catalog.List[T], error) {
	page = page.Normalize()
	list := catalog.List[T]{Page: page, Items: []T{}}
	text, args, err := q.sql(page)
	if err != nil {
		return list, err
	}
	return list, readRows(ctx, db, q.order, text, args, &list, scan)
}

// readRows runs text, a page's statement made by keysetQuery.sql, and
// fills list's items and NextCursor.
func readRows[T any](ctx context.Context, db queryer, order keyset, text string, args []any, list *catalog.List[T], scan scanFunc[T]) error {
	key := order.row()
	return queryRows(ctx, db, text, args, func(row *sql.Rows) error {
		if len(list.Items) == list.Page.Size {
			list.NextCursor = key.cursor()
			return nil
		}
		item, err := scan(row, key.dest()...)
		if err != nil {
			return err
		}
		list.Items = append(list.Items, *item)
		return nil
	})
}

// sql returns the statement of page (normalized) of q with its arguments:
// its text is the same for every page without a cursor, and for every
// page with one.
func (q keysetQuery) sql(page catalog.Page) (string, []any, error) {
	args := append([]any{}, q.args...)
	var conds []string
	if q.where != "" {
		conds = append(conds, q.where)
	}
	after, afterArgs, err := q.order.after(page.Cursor, len(args)+1)
	if err != nil {
		return "", nil, err
	}
	if after != "" {
		conds = append(conds, after)
		args = append(args, afterArgs...)
	}
	text := "SELECT " + q.columns + ", " + q.order.columns() + " " + q.from
	if len(conds) > 0 {
		text += " WHERE " + strings.Join(conds, " AND ")
	}
	// One row more than the page shows whether another page follows.
	text += " ORDER BY " + q.order.orderBy() + " LIMIT $" + strconv.Itoa(len(args)+1)
	args = append(args, page.Size+1)
	if page.Cursor == "" {
		text += " OFFSET $" + strconv.Itoa(len(args)+1)
		args = append(args, page.Offset())
	}
	return text, args, nil
}

// boundedCount counts the rows of from up to one past
// catalog.MaxExactTotal: the total of a list that may grow with the
// catalog costs the same at any size.
func boundedCount(from string) (string, func(int) (int, string)) {
	return "SELECT count(*) FROM (SELECT 1 " + from + " LIMIT " + strconv.Itoa(catalog.MaxExactTotal+1) + ") AS bounded",
		catalog.BoundTotal
}

// exactCount counts the rows of from: for lists bounded by their nature
// (countries, genres, one user's favorites, one person's filmography).
func exactCount(from string) (string, func(int) (int, string)) {
	return "SELECT count(*) " + from, func(n int) (int, string) { return n, catalog.TotalExact }
}

// byID returns the order of a list of table by id, the primary key.
func byID(table string) keyset {
	return keyset{scope: table + ":id", keys: []sortKey{{expr: "id", kind: keyInt}}}
}
