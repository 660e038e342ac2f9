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

// Both engines get dates as YYYY-MM-DD text and amounts as decimal text:
// SQLite then stores a date that sorts and compares as text, and neither
// engine ever sees a float.

func dateArg(d *catalog.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func moneyArg(m *catalog.Money) any {
	if m == nil {
		return nil
	}
	return m.String()
}

// nullableArg returns the SQL argument for the new value of a nullable column.
func nullableArg[T any](n *catalog.Nullable[T]) any {
	if n.Value == nil {
		return nil
	}
	switch v := any(*n.Value).(type) {
	case catalog.Date:
		return v.String()
	case catalog.Money:
		return v.String()
	default:
		return v
	}
}

func dateOf(t sql.NullTime) *catalog.Date {
	if !t.Valid {
		return nil
	}
	d := catalog.DateOf(t.Time.UTC())
	return &d
}

func moneyOf(s sql.NullString) (*catalog.Money, error) {
	if !s.Valid {
		return nil, nil
	}
	m, err := catalog.ParseStoredMoney(s.String)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func int64Of(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func intOf(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func stringOf(n sql.NullString) *string {
	if !n.Valid {
		return nil
	}
	return &n.String
}

// A setList collects the "column = $N" assignments of an UPDATE from the
// fields an update sets. Column names come from the store's code only.
type setList struct {
	cols []string
	args []any
}

func (s *setList) add(col string, v any) {
	s.cols = append(s.cols, col)
	s.args = append(s.args, v)
}

// clause returns "a = $1, b = $2" and the arguments, numbered from 1.
func (s *setList) clause() (string, []any) {
	parts := make([]string, len(s.cols))
	for i, c := range s.cols {
		parts[i] = c + " = $" + strconv.Itoa(i+1)
	}
	return strings.Join(parts, ", "), s.args
}

// updateSQL returns "UPDATE table SET <assignments>, "updatedAt" = now
// WHERE key1 = $i AND … RETURNING returning" with its arguments.
func (s *setList) updateSQL(tx *Tx, table string, keys []string, keyVals []any, returning string) (string, []any) {
	s.add(`"updatedAt"`, tx.now)
	set, args := s.clause()
	q := "UPDATE " + table + " SET " + set + " WHERE " + keysClause(keys, len(args)+1) + " RETURNING " + returning
	return q, append(args, keyVals...)
}

// keysClause returns the WHERE condition that each of keys equals its
// value, the values being parameters from $first on.
func keysClause(keys []string, first int) string {
	where := make([]string, len(keys))
	for i, k := range keys {
		where[i] = k + " = $" + strconv.Itoa(first+i)
	}
	return strings.Join(where, " AND ")
}

// listLimit returns the LIMIT and OFFSET arguments of a page.
func listLimit(p catalog.Page) (limit, offset int) {
	p = p.Normalize()
	return p.Size, p.Offset()
}

// prefixed qualifies each column of a column list with a table alias:
// prefixed("u", `id, "createdAt"`) is `u.id, u."createdAt"`.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// rowKeys returns the WHERE keys of an update of row id: its id and, when
// ifUpdatedAt is set, its updatedAt too, so that a row changed since it was
// read is left alone.
func rowKeys(id int64, ifUpdatedAt *time.Time) ([]string, []any) {
	if ifUpdatedAt == nil {
		return []string{"id"}, []any{id}
	}
	return []string{"id", `"updatedAt"`}, []any{id, ifUpdatedAt.UTC()}
}

// missedUpdate tells why an update or delete of row id of table, keyed by
// rowKeys, touched nothing: catalog.ErrNotFound when the row does not
// exist, and catalog.ErrPreconditionFailed when it does but changed since
// it was read.
func missedUpdate(ctx context.Context, tx *Tx, table string, id int64, ifUpdatedAt *time.Time) error {
	if ifUpdatedAt == nil {
		return catalog.ErrNotFound
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1)", id).Scan(&exists); err != nil {
		return fmt.Errorf("look for %s %d: %w", table, id, err)
	}
	if exists {
		return catalog.ErrPreconditionFailed
	}
	return catalog.ErrNotFound
}
