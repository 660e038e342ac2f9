// Package sqlstore keeps the catalog in SQLite or PostgreSQL. All of
// moviedb's SQL lives here. Statements are written once in the subset both
// engines share ($N placeholders, RETURNING, ON CONFLICT); where the engines
// really differ, both statements stand side by side behind Engine.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Engine names a database engine.
type Engine string

// The engines moviedb runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// A Store reads and writes the catalog. It is safe for concurrent use.
type Store struct {
	engine Engine
	// read serves queries; write serves transactions that change data. They
	// are the same pool on PostgreSQL. On SQLite, write holds one connection,
	// so writers queue in Go instead of failing with SQLITE_BUSY, while
	// readers use the rest in parallel (WAL lets them read during a write).
	read  *sql.DB
	write *sql.DB
	// stmts caches the read pool's prepared statements, on SQLite only.
	stmts *stmtCache
	// sqliteDSN opens a connection of the SQLite database with the pragmas
	// of the store's, for work that needs one of its own (BackupTo).
	sqliteDSN string
	// changes tells whether anything was written, on SQLite only.
	changes *changeWatch
	now     func() time.Time
	// stopOptimize ends the SQLite store's optimizeEvery, which closes
	// optimizeDone.
	stopOptimize chan struct{}
	stopOnce     sync.Once
	optimizeDone chan struct{}
}

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Now returns the current time; tests set it to control createdAt and
	// updatedAt. Defaults to time.Now.
	Now func() time.Time
	// MaxOpenConns caps the read pool (and the whole pool on PostgreSQL).
	// Defaults to 2 per CPU: more only adds context switches (and, on SQLite,
	// one more mapping of the file each) without more throughput; see
	// docs/BENCHMARKS.md.
	MaxOpenConns int
}

// Open connects to the database named by dsn, either
// "sqlite:PATH" (the file and its folder are created as needed) or a
// "postgres://…" URL. It does not migrate; call Migrate for that. It pings
// the database so that a wrong address fails here, with a clear error.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxOpenConns <= 0 {
		opts.MaxOpenConns = 2 * runtime.GOMAXPROCS(0)
	}
	s := &Store{now: opts.Now}
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		err = s.openSQLite(strings.TrimPrefix(dsn, "sqlite:"), opts)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		err = s.openPostgres(dsn, opts)
	default:
		return nil, fmt.Errorf("sqlstore: database %q: want sqlite:PATH or postgres://URL", Redact(dsn))
	}
	if err != nil {
		return nil, err
	}
	if err := s.read.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlstore: connect to %s: %w", Redact(dsn), err)
	}
	if s.engine == SQLite {
		// Analyzes any table whose statistics are missing or far off
		// (checking all tables, with a bounded analysis), and drops value
		// samples an older moviedb or a hand ANALYZE left.
		if err := s.analyzeSQLite(ctx, "PRAGMA optimize=0x10002"); err != nil {
			s.Close()
			return nil, fmt.Errorf("sqlstore: open %s: optimize: %w", Redact(dsn), err)
		}
	}
	return s, nil
}

func (s *Store) openSQLite(path string, opts Options) error {
	if path == "" {
		return errors.New("sqlstore: sqlite: empty file path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("sqlstore: create database folder: %w", err)
		}
	}
	// Pragmas run on every new connection. _txlock=immediate takes the write
	// lock at BEGIN, so a transaction never fails half-way upgrading a read
	// lock. Times are written in SQLite's own format so that date functions
	// and text ordering work on them.
	params := "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	// The write connection lives as long as the store (Open runs PRAGMA
	// optimize=0x10002 on it, as SQLite recommends for long-lived
	// connections).
	write, err := sql.Open("sqlite", base+"?"+params+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	// Readers do not map the file into memory (mmap_size): a mapped page
	// counts once per connection in the process's resident memory, which
	// put a 41 MB catalog at 245 MB RSS under load; the API's detail
	// cache serves most reads without touching pages anyway. See
	// docs/BENCHMARKS.md.
	read, err := sql.Open("sqlite", base+"?"+params+"&_pragma=query_only(1)&_pragma=cache_size(-1024)")
	if err != nil {
		write.Close()
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	read.SetMaxOpenConns(opts.MaxOpenConns)
	read.SetMaxIdleConns(opts.MaxOpenConns)
	watch, err := sql.Open("sqlite", base+"?"+params+"&_pragma=query_only(1)&_pragma=cache_size(-64)")
	if err != nil {
		write.Close()
		read.Close()
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	// data_version is a property of a connection: the watch must always
	// ask the same one.
	watch.SetMaxOpenConns(1)
	watch.SetConnMaxIdleTime(0)
	watch.SetConnMaxLifetime(0)
	s.engine, s.read, s.write = SQLite, read, write
	s.sqliteDSN = base + "?" + params
	s.stmts = newStmtCache(read)
	s.changes = &changeWatch{db: watch, epoch: time.Now().Add(-ForeignWriteDelay)}
	s.stopOptimize, s.optimizeDone = make(chan struct{}), make(chan struct{})
	go s.optimizeEvery(optimizeInterval, s.stopOptimize, s.optimizeDone)
	return nil
}

func (s *Store) openPostgres(dsn string, opts Options) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	db.SetMaxOpenConns(opts.MaxOpenConns)
	db.SetMaxIdleConns(opts.MaxOpenConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.engine, s.read, s.write = Postgres, db, db
	return nil
}

// Redact returns dsn with any password replaced, safe for logs and errors.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable database URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	// pgx also takes a password as a query parameter.
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Engine reports which database engine s runs on.
func (s *Store) Engine() Engine { return s.engine }

// Ping checks that the database answers, for readiness probes. On SQLite it
// also checks the write connection, which a stuck writer would hold.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping: %w", err)
	}
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlstore: ping query: %w", err)
	}
	return nil
}

// Close releases the database connections. On SQLite it first lets
// PRAGMA optimize refresh the planner's statistics of tables that changed
// much while the store was open, as SQLite recommends at close.
func (s *Store) Close() error {
	var err error
	if s.engine == SQLite {
		s.stopOnce.Do(func() { close(s.stopOptimize) })
		<-s.optimizeDone
		ctx, cancel := context.WithTimeout(context.Background(), closeOptimizeTimeout)
		err = s.Optimize(ctx)
		cancel()
	}
	if s.stmts != nil {
		s.stmts.close()
	}
	err = errors.Join(err, s.read.Close())
	if s.write != s.read {
		err = errors.Join(err, s.write.Close())
	}
	if s.changes != nil {
		err = errors.Join(err, s.changes.db.Close())
	}
	return err
}

// RefreshStatistics brings the query planners' statistics up to date
// with the rows in the tables now. Bulk writes (imports, restores,
// migrations that fill tables) call it when they end: a planner that
// still believes the tables empty picks scans where an index serves.
// SQLite analyzes every table and index in full: under PRAGMA
// analysis_limit it reads only the first rows of each index, which on an
// index led by a column of few values (movie_genres by genre) put its
// rows per value off by a factor of eight and changed the genre list's
// plan. PostgreSQL analyzes the tables of the store's schema (a sample of
// each), after which its autovacuum keeps them current as the data
// changes.
func (s *Store) RefreshStatistics(ctx context.Context) error {
	if s.engine == SQLite {
		if err := s.analyzeSQLite(ctx, "ANALYZE"); err != nil {
			return fmt.Errorf("sqlstore: refresh statistics: %w", err)
		}
		return nil
	}
	// Only this schema's tables: a bare ANALYZE would read every schema
	// of the database.
	var tables []string
	err := queryEach(ctx, s.write, "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename", nil,
		func(scan func(...any) error) error {
			var t string
			if err := scan(&t); err != nil {
				return err
			}
			tables = append(tables, t)
			return nil
		})
	if err != nil {
		return fmt.Errorf("sqlstore: refresh statistics: list tables: %w", err)
	}
	if len(tables) == 0 {
		return nil
	}
	// The names are the catalog's own, quoted by quote_ident.
	if _, err := s.write.ExecContext(ctx, "ANALYZE "+strings.Join(tables, ", ")); err != nil {
		return fmt.Errorf("sqlstore: refresh statistics: %w", err)
	}
	return nil
}

// Optimize lets SQLite refresh the statistics of the tables that changed
// much since they were last analyzed (PRAGMA optimize, which bounds its
// own work). A store does so every optimizeInterval while it is open and
// when it closes; on PostgreSQL it does nothing, autovacuum's analyze
// doing the same.
func (s *Store) Optimize(ctx context.Context) error {
	if s.engine != SQLite {
		return nil
	}
	if err := s.analyzeSQLite(ctx, "PRAGMA optimize"); err != nil {
		return fmt.Errorf("sqlstore: optimize: %w", err)
	}
	return nil
}

// analyzeSQLite runs analyze (ANALYZE or PRAGMA optimize) on the write
// connection (it writes the statistics tables; the read connections are
// query_only) and keeps, of what it gathered, the rows and distinct
// values per index (sqlite_stat1) but not the sampled values
// (sqlite_stat4), in the same transaction, so no reader ever plans with
// them. With samples, SQLite prepares again, on every execution whose
// bound values differ from the last, each statement whose plan a value
// might change: a quarter of the CPU of a movie list (see
// docs/BENCHMARKS.md). The searches do not leave per-value choices to the
// planner anyway: they count a filter's rows and pick their shape from
// that (see matchShape).
func (s *Store) analyzeSQLite(ctx context.Context, analyze string) error {
	// A transaction of its own, not inTx: it runs at Open too, before any
	// migration made the tables inTx's upkeep reads.
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, analyze); err != nil {
		return err
	}
	var samples bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4')").Scan(&samples); err != nil {
		return err
	}
	if samples {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sqlite_stat4"); err != nil {
			return fmt.Errorf("drop value samples: %w", err)
		}
	}
	return tx.Commit()
}

// optimizeInterval is how often an open SQLite store runs Optimize, and
// closeOptimizeTimeout how long Close lets it take.
const (
	optimizeInterval     = time.Hour
	closeOptimizeTimeout = 10 * time.Second
)

// optimizeEvery runs Optimize every interval until stop is closed, then
// closes done.
func (s *Store) optimizeEvery(interval time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			// An error (a busy database) is tried again next time.
			_ = s.Optimize(context.Background())
		}
	}
}

// A Tx is one database transaction of a store method. Now is fixed for the
// whole transaction, so every row it touches gets the same timestamps.
type Tx struct {
	*sql.Tx
	now time.Time
	// engine picks placeholders for statements built with many
	// parameters: SQLite looks each $N up by name, in time linear in their
	// number, so thousands of them cost quadratic time; "?" costs nothing.
	engine Engine
	// many keeps the multi-row statements execMany prepared, by text, on
	// SQLite; database/sql closes them when the transaction ends.
	many map[string]*sql.Stmt
	// conn is the connection of a PostgreSQL transaction begun by
	// inBulkTx, for COPY; nil otherwise.
	conn *sql.Conn
}

// sqliteTimeFormat is how the SQLite driver writes a time.Time, given
// _time_format=sqlite (see openSQLite); TestNowArg holds it to that.
const sqliteTimeFormat = "2006-01-02 15:04:05.999999999-07:00"

// nowArg returns the transaction's time as an argument for statements of
// many rows: on SQLite already formatted, once, as the driver would write
// it, where the driver formatted it again for every row and column (3% of
// an import's CPU).
func (tx *Tx) nowArg() any {
	if tx.engine == SQLite {
		return tx.now.Format(sqliteTimeFormat)
	}
	return tx.now
}

// execMany runs q, a statement of many rows that the transaction is
// likely to run again with other values, such as the full chunks of a
// multi-row INSERT. On SQLite it is prepared once per transaction:
// parsing an INSERT of a thousand rows anew for every chunk took a tenth
// of an import's CPU. pgx keeps prepared statements by itself.
func (tx *Tx) execMany(ctx context.Context, q string, args []any) (sql.Result, error) {
	if tx.engine != SQLite {
		return tx.ExecContext(ctx, q, args...)
	}
	st, ok := tx.many[q]
	if !ok {
		var err error
		if st, err = tx.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
		if tx.many == nil {
			tx.many = map[string]*sql.Stmt{}
		}
		tx.many[q] = st
	}
	return st.ExecContext(ctx, args...)
}

// inTx runs fn in a write transaction, committing when fn returns nil and
// rolling back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return s.runTx(ctx, &Tx{Tx: sqlTx, now: s.timestamp(), engine: s.engine}, fn)
}

// inBulkTx is inTx for bulk writes: on PostgreSQL the transaction runs
// on a connection of its own, which insertRows reaches to load rows with
// COPY inside the transaction.
func (s *Store) inBulkTx(ctx context.Context, fn func(tx *Tx) error) error {
	if s.engine != Postgres {
		return s.inTx(ctx, fn)
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return s.runTx(ctx, &Tx{Tx: sqlTx, now: s.timestamp(), engine: s.engine, conn: conn}, fn)
}

// runTx runs fn in tx, just begun, and commits or rolls back.
func (s *Store) runTx(ctx context.Context, tx *Tx, fn func(tx *Tx) error) error {
	sqlTx := tx.Tx
	err := fn(tx)
	if err == nil {
		err = flushSearchWords(ctx, tx)
	}
	if err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	// Counted whether or not the commit succeeds: a failed commit may
	// still have written, and a needless change only costs a cache check.
	err = sqlTx.Commit()
	s.changes.committed()
	if err != nil {
		return fmt.Errorf("commit: %w", canceledOr(ctx, translate(err, opWrite)))
	}
	return nil
}

// canceledOr returns ctx's error when ctx is done, and err otherwise:
// database/sql rolls a transaction back as soon as its context ends, so a
// client hanging up shows as "transaction has already been committed or
// rolled back", which would pass for a bug.
func canceledOr(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}

// timestamp returns the current time in UTC at the microsecond precision
// both engines keep, so a value reads back exactly as it was written.
func (s *Store) timestamp() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// queryer is what read helpers need: a pool or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

var (
	_ queryer = (*sql.DB)(nil)
	_ queryer = (*Tx)(nil)
)
