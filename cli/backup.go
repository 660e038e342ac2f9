package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
)

var backupCommand = command{
	name:    "backup",
	args:    "FILE [flags]",
	summary: "copy the SQLite database to the new file FILE, also while serve runs",
	options: []option{optDB},
	notes: "The copy is the database as it was at one commit, schema included: restore it by\n" +
		"stopping serve, putting FILE in place of the database (and removing the old\n" +
		"file's -wal and -shm) and starting serve again, or point --db at FILE. It is\n" +
		"read in one read transaction (VACUUM INTO), during which serve goes on writing.\n" +
		"FILE must not exist: a backup never overwrites a file. It is made readable by\n" +
		"its owner only, as it holds password hashes. Images (--storage) are not in it.\n" +
		"A PostgreSQL database is backed up with pg_dump instead.",
}

// backup runs `moviedb backup FILE`.
func (e *env) backup(ctx context.Context, args []string) error {
	cfg, _, positional, err := e.parseWithArgs(backupCommand, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usageErrorf("backup: want one FILE to write the copy to (see moviedb backup --help)")
	}
	file := positional[0]
	if file == "-" {
		return usageErrorf("backup: a backup is a database file, and cannot go to stdout: name a new FILE")
	}
	// Decided on the address, without connecting: the advice holds even
	// when the server does not answer.
	if !strings.HasPrefix(cfg.DB, "sqlite:") {
		return usageErrorf("backup: moviedb backup copies SQLite databases; back up PostgreSQL with pg_dump, e.g. %s "+
			"(the password from PGPASSWORD or ~/.pgpass), and restore into an empty database with pg_restore --dbname=URL %s",
			pgDumpExample(cfg.DB, file), shellQuote(file))
	}
	// Opening a store creates a missing database: a mistyped --db would
	// give an empty copy, taken for a backup.
	path := strings.TrimPrefix(cfg.DB, "sqlite:")
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("backup: there is no database at %s (check --db or MOVIEDB_DB)", path)
		}
		return fmt.Errorf("backup: %w", err)
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.BackupTo(ctx, file); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("backup: %s exists already: a backup never overwrites a file; name a new one", file)
		}
		return fmt.Errorf("backup: %w", err)
	}
	var size string
	if info, err := os.Stat(file); err == nil {
		size = fmt.Sprintf(" (%d bytes)", info.Size())
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s%s\n", path, file, size)
	return nil
}

// pgDumpExample returns a pg_dump command line writing the database dsn to
// file, without the password dsn may hold: a command line shows in ps and
// in shell histories.
func pgDumpExample(dsn, file string) string {
	target := "'postgres://USER@HOST:PORT/NAME'"
	if u, err := url.Parse(dsn); err == nil && u.Host != "" {
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		q := u.Query()
		if q.Has("password") {
			q.Del("password")
			u.RawQuery = q.Encode()
		}
		target = shellQuote(u.String())
	}
	return "pg_dump --format=custom --file=" + shellQuote(file) + " " + target
}

// shellQuote quotes s for a POSIX shell, when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:@,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
