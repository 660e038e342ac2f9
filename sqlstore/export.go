package sqlstore

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// ExportFormat and ExportVersion identify moviedb's JSON export.
const (
	ExportFormat  = "moviedb-export"
	ExportVersion = 1
)

// A column kind says how a value is written to JSON and read back.
type colKind int

const (
	colID      colKind = iota // integer, never null
	colRef                    // integer id or null
	colText                   // text, never null
	colNullStr                // text or null
	colDate                   // YYYY-MM-DD or null
	colMoney                  // exact decimal text or null
	colInt                    // integer or null
	colBool
	colTime // RFC 3339 UTC
)

type exportColumn struct {
	name string // as in the table, and as the JSON key
	kind colKind
}

type exportTable struct {
	name    string
	columns []exportColumn
	order   string
	// counted says which ImportStats count restored rows of the table.
	counted func(*catalog.ImportStats) *catalog.ImportCount
}

var stamps = []exportColumn{{"createdAt", colTime}, {"updatedAt", colTime}}

func cols(c ...exportColumn) []exportColumn { return append(c, stamps...) }

// exportTables lists the tables of an export in an order where every
// reference points to a row written before it. users come without their
// passwords.
var exportTables = []exportTable{
	{"countries", cols(exportColumn{"id", colID}, exportColumn{"name", colText}), "id",
		func(s *catalog.ImportStats) *catalog.ImportCount { return &s.Countries }},
	{"img_files", cols(exportColumn{"id", colID}, exportColumn{"file_name", colText}, exportColumn{"mime_type", colText},
		exportColumn{"key", colText}, exportColumn{"url", colText}), "id",
		func(s *catalog.ImportStats) *catalog.ImportCount { return &s.Files }},
	{"genres", cols(exportColumn{"id", colID}, exportColumn{"name", colText}), "id",
		func(s *catalog.ImportStats) *catalog.ImportCount { return &s.Genres }},
	{"persons", cols(exportColumn{"id", colID}, exportColumn{"first_name", colText}, exportColumn{"last_name", colText},
		exportColumn{"biography", colNullStr}, exportColumn{"date_of_birth", colDate}, exportColumn{"gender", colNullStr},
		exportColumn{"country_id", colRef}), "id",
		func(s *catalog.ImportStats) *catalog.ImportCount { return &s.Persons }},
	{"person_photo", cols(exportColumn{"person_id", colID}, exportColumn{"file_id", colID}, exportColumn{"is_primary", colBool}),
		"person_id, file_id", nil},
	{"characters", cols(exportColumn{"id", colID}, exportColumn{"name", colText}, exportColumn{"description", colNullStr},
		exportColumn{"role", colText}), "id",
		func(s *catalog.ImportStats) *catalog.ImportCount { return &s.Characters }},
	{"movies", cols(exportColumn{"id", colID}, exportColumn{"title", colText}, exportColumn{"description", colNullStr},
		exportColumn{"budget", colMoney}, exportColumn{"release_date", colDate}, exportColumn{"duration", colInt},
		exportColumn{"director_id", colRef}, exportColumn{"country_id", colRef}, exportColumn{"poster_file_id", colRef}), "id",
		func(s *catalog.ImportStats) *catalog.ImportCount { return &s.Movies }},
	{"movie_genres", cols(exportColumn{"movie_id", colID}, exportColumn{"genre_id", colID}), "movie_id, genre_id", nil},
	{"movie_characters", cols(exportColumn{"movie_id", colID}, exportColumn{"character_id", colID},
		exportColumn{"person_id", colRef}), "movie_id, character_id", nil},
	{"users", cols(exportColumn{"id", colID}, exportColumn{"username", colText}, exportColumn{"first_name", colText},
		exportColumn{"last_name", colText}, exportColumn{"email", colText}, exportColumn{"role", colText},
		exportColumn{"avatar_file_id", colRef}), "id", nil},
	{"favorite_movies", cols(exportColumn{"user_id", colID}, exportColumn{"movie_id", colID}), "user_id, movie_id", nil},
	{"import_sources", []exportColumn{{"source", colText}, {"external_id", colText}, {"movie_id", colID}},
		"source, external_id", nil},
	{"import_person_sources", []exportColumn{{"source", colText}, {"external_id", colText}, {"person_id", colID}},
		"source, external_id", nil},
}

func quoteCol(name string) string {
	if name == "createdAt" || name == "updatedAt" {
		return `"` + name + `"`
	}
	return name
}

func (t *exportTable) columnList() string {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = quoteCol(c.name)
	}
	return strings.Join(names, ", ")
}

// Export writes the whole catalog to w as one JSON object (see
// docs/IMPORT.md): {"format","version","exported_at", then one array of
// row objects per table}, read in one snapshot and streamed row by row.
// Passwords and login tokens are left out.
func (s *Store) Export(ctx context.Context, w io.Writer) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return fmt.Errorf("sqlstore: export: begin: %w", err)
	}
	defer tx.Rollback()
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "{\"format\":%q,\"version\":%d,\"exported_at\":%q", ExportFormat, ExportVersion,
		s.timestamp().Format(time.RFC3339Nano))
	for _, t := range exportTables {
		if err := exportTableRows(ctx, tx, bw, &t); err != nil {
			return fmt.Errorf("sqlstore: export %s: %w", t.name, err)
		}
	}
	bw.WriteString("}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sqlstore: export: %w", err)
	}
	return nil
}

func exportTableRows(ctx context.Context, tx *sql.Tx, w *bufio.Writer, t *exportTable) error {
	rows, err := tx.QueryContext(ctx, "SELECT "+t.columnList()+" FROM "+t.name+" ORDER BY "+t.order)
	if err != nil {
		return err
	}
	defer rows.Close()
	fmt.Fprintf(w, ",\n%q:[", t.name)
	dest := make([]any, len(t.columns))
	for i, c := range t.columns {
		switch c.kind {
		case colID:
			dest[i] = new(int64)
		case colRef, colInt:
			dest[i] = new(sql.NullInt64)
		case colText:
			dest[i] = new(string)
		case colNullStr, colMoney:
			dest[i] = new(sql.NullString)
		case colDate:
			dest[i] = new(sql.NullTime)
		case colBool:
			dest[i] = new(bool)
		case colTime:
			dest[i] = new(time.Time)
		}
	}
	first := true
	obj := make([]byte, 0, 512)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		obj = obj[:0]
		if !first {
			obj = append(obj, ',')
		}
		first = false
		obj = append(obj, "\n{"...)
		for i, c := range t.columns {
			if i > 0 {
				obj = append(obj, ',')
			}
			obj = strconv.AppendQuote(obj, c.name)
			obj = append(obj, ':')
			v, err := exportValue(c.kind, dest[i])
			if err != nil {
				return fmt.Errorf("column %s: %w", c.name, err)
			}
			b, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("column %s: %w", c.name, err)
			}
			obj = append(obj, b...)
		}
		obj = append(obj, '}')
		if _, err := w.Write(obj); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = w.WriteString("]")
	return err
}

// exportValue returns the JSON value of a scanned column.
func exportValue(kind colKind, v any) (any, error) {
	switch kind {
	case colID:
		return *v.(*int64), nil
	case colRef, colInt:
		return int64Of(*v.(*sql.NullInt64)), nil
	case colText:
		return *v.(*string), nil
	case colNullStr:
		return stringOf(*v.(*sql.NullString)), nil
	case colMoney:
		return moneyOf(*v.(*sql.NullString))
	case colDate:
		return dateOf(*v.(*sql.NullTime)), nil
	case colBool:
		return *v.(*bool), nil
	case colTime:
		return v.(*time.Time).UTC().Format(time.RFC3339Nano), nil
	}
	return nil, errors.New("unknown column kind")
}

// restoreArg returns the SQL argument for the JSON value v of a column.
func restoreArg(c exportColumn, v any) (any, error) {
	if v == nil {
		switch c.kind {
		case colRef, colNullStr, colDate, colMoney, colInt:
			return nil, nil
		}
		return nil, fmt.Errorf("%s: must not be null", c.name)
	}
	switch c.kind {
	case colID, colRef, colInt:
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s: want an integer", c.name)
		}
		i, err := n.Int64()
		if err != nil {
			return nil, fmt.Errorf("%s: want an integer", c.name)
		}
		return i, nil
	case colText, colNullStr:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%s: want a string", c.name)
		}
		return s, nil
	case colDate:
		s, _ := v.(string)
		d, err := catalog.ParseDate(s)
		if err != nil {
			return nil, fmt.Errorf("%s: want a YYYY-MM-DD date", c.name)
		}
		return d.String(), nil
	case colMoney:
		s, _ := v.(string)
		m, err := catalog.ParseMoney(s)
		if err != nil {
			return nil, fmt.Errorf("%s: want a decimal amount as a string", c.name)
		}
		return m.String(), nil
	case colBool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("%s: want true or false", c.name)
		}
		return b, nil
	case colTime:
		s, _ := v.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("%s: want an RFC 3339 time", c.name)
		}
		return t.UTC(), nil
	}
	return nil, errors.New("unknown column kind")
}

// A Restore writes an export back, keeping every id, in one transaction:
// all of it lands, or none. Rows whose key exists already are left as
// they are (counted as matched), so restoring the same export twice
// changes nothing. Begin it with Store.BeginRestore; call Row for each row
// in the export's table order, then Commit, or Rollback.
type Restore struct {
	s       *Store
	ctx     context.Context
	tx      *Tx
	table   *exportTable
	pending [][]any
	Stats   catalog.ImportStats
	done    bool
}

// BeginRestore starts a restore.
func (s *Store) BeginRestore(ctx context.Context) (*Restore, error) {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: restore: begin: %w", err)
	}
	r := &Restore{s: s, ctx: ctx, tx: &Tx{Tx: sqlTx, now: s.timestamp(), engine: s.engine}}
	if s.engine == Postgres {
		// Into an empty catalog every link restored is to a movie restored
		// in this transaction, whose version its insert sets: see
		// migration 0006.
		_, err := r.tx.ExecContext(ctx, `SELECT set_config('moviedb.bulk_new_movies', 'on', true)
			WHERE NOT EXISTS (SELECT 1 FROM movies)`)
		if err != nil {
			r.Rollback()
			return nil, fmt.Errorf("sqlstore: restore: %w", err)
		}
	}
	return r, nil
}

// ErrUnknownTable is returned by Restore.Row for a table an export does
// not have.
var ErrUnknownTable = errors.New("not a table of a moviedb export")

// Row adds a row of table, given as the export's JSON object decoded with
// UseNumber. A missing column is null.
func (r *Restore) Row(table string, row map[string]any) error {
	if r.table == nil || r.table.name != table {
		if err := r.flush(); err != nil {
			return err
		}
		r.table = nil
		for i := range exportTables {
			if exportTables[i].name == table {
				r.table = &exportTables[i]
			}
		}
		if r.table == nil {
			return fmt.Errorf("sqlstore: restore: %q: %w", table, ErrUnknownTable)
		}
	}
	args := make([]any, len(r.table.columns))
	for i, c := range r.table.columns {
		v, err := restoreArg(c, row[c.name])
		if err != nil {
			return catalog.Invalid(table+"."+c.name, err.Error())
		}
		args[i] = v
	}
	r.pending = append(r.pending, args)
	if len(r.pending)*len(args) >= maxParams {
		return r.flush()
	}
	return nil
}

func (r *Restore) flush() error {
	if len(r.pending) == 0 {
		return nil
	}
	t := r.table
	var colNames []string
	for _, c := range t.columns {
		colNames = append(colNames, quoteCol(c.name))
	}
	if t.name == "users" {
		// Passwords are never exported: a restored account logs in again
		// once it is given a new one.
		colNames = append(colNames, "password")
		for i := range r.pending {
			r.pending[i] = append(r.pending[i], "")
		}
	}
	n, err := insertRowsIgnoring(r.ctx, r.tx, t.name, colNames, r.pending)
	if err != nil {
		return fmt.Errorf("sqlstore: restore %s: %w", t.name, err)
	}
	if t.counted != nil {
		c := t.counted(&r.Stats)
		c.Created += n
		c.Matched += len(r.pending) - n
	} else {
		r.Stats.Links += n
	}
	r.pending = r.pending[:0]
	return nil
}

// Commit writes the restored rows and moves PostgreSQL's id sequences
// past the restored ids.
func (r *Restore) Commit() error {
	if err := r.flush(); err != nil {
		r.Rollback()
		return err
	}
	if err := flushSearchWords(r.ctx, r.tx); err != nil {
		r.Rollback()
		return fmt.Errorf("sqlstore: restore: %w", err)
	}
	if r.s.engine == Postgres {
		for _, t := range exportTables {
			if t.columns[0].name != "id" {
				continue
			}
			_, err := r.tx.ExecContext(r.ctx, "SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 0) + 1, false) FROM "+t.name, t.name)
			if err != nil {
				r.Rollback()
				return fmt.Errorf("sqlstore: restore: move %s ids on: %w", t.name, err)
			}
		}
	}
	r.done = true
	if err := r.tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: restore: commit: %w", canceledOr(r.ctx, translate(err, opWrite)))
	}
	if err := r.s.RefreshStatistics(r.ctx); err != nil {
		return fmt.Errorf("sqlstore: restore: %w", err)
	}
	return nil
}

// Rollback abandons the restore; after Commit it does nothing.
func (r *Restore) Rollback() {
	if !r.done {
		r.done = true
		_ = r.tx.Rollback()
	}
}

// insertRowsIgnoring is insertRows for rows that may exist already: those
// are left as they are. It returns how many rows it inserted.
func insertRowsIgnoring(ctx context.Context, tx *Tx, table string, cols []string, rows [][]any) (int, error) {
	var n int
	err := buildInserts(tx.engine, table, cols, rows, " ON CONFLICT DO NOTHING", func(q string, args []any) error {
		res, err := tx.execMany(ctx, q, args)
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, translate(err, opWrite))
		}
		k, err := res.RowsAffected()
		n += int(k)
		return err
	})
	return n, err
}
