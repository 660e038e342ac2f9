package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrBackupUnsupported is returned by BackupTo on PostgreSQL, whose own
// tools (pg_dump) make a consistent copy of a live database.
var ErrBackupUnsupported = fmt.Errorf("online backup is for SQLite databases; back up PostgreSQL with pg_dump: %w", errors.ErrUnsupported)

// BackupTo writes a consistent copy of the SQLite database to a new file
// at path, while the store (and other processes) go on reading and
// writing it. The copy is a complete database, schema_migrations
// included: opened as is, it serves the catalog as it was at one commit.
//
// It uses VACUUM INTO rather than the online backup API: VACUUM INTO
// reads the database in one read transaction, which under WAL holds back
// no writer, and copies the snapshot that transaction sees. The backup
// API copies pages in steps and starts over whenever another connection
// writes between two steps, so under a steady write load it may never
// end; in one step, it is the same single read transaction as VACUUM
// INTO, without VACUUM INTO's compaction of the copy. VACUUM INTO is
// also plain SQL, with no driver-specific API. Meanwhile the WAL cannot
// be checkpointed past the snapshot being read, so it grows with the
// writes made during the copy, and shrinks again at the next checkpoint
// after it.
//
// BackupTo never overwrites: a file (even an empty one) already at path
// is an error wrapping fs.ErrExist. The copy is written to a temporary
// file beside path, synced, and only then linked to path, so path is
// never a partial copy. It is created readable by its owner only, as it
// holds password hashes. On PostgreSQL it returns ErrBackupUnsupported.
func (s *Store) BackupTo(ctx context.Context, path string) (err error) {
	if s.engine != SQLite {
		return fmt.Errorf("sqlstore: backup: %w", ErrBackupUnsupported)
	}
	// Checked first so a doomed backup fails before copying anything; the
	// link at the end is what guarantees it.
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("sqlstore: backup to %s: %w", path, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	tmpName := tmp.Name()
	defer func() {
		// Once linked to path, the temporary name is only a second name.
		if rerr := os.Remove(tmpName); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
			err = fmt.Errorf("sqlstore: backup: remove temporary file: %w", rerr)
		}
	}()
	// VACUUM INTO accepts an empty file as its target, and opens it by
	// name: the handle is not needed.
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	if err := s.vacuumInto(ctx, tmpName); err != nil {
		return fmt.Errorf("sqlstore: backup: vacuum into %s: %w", tmpName, canceledOr(ctx, err))
	}
	// SQLite does not sync the file VACUUM INTO writes.
	if err := syncFile(tmpName); err != nil {
		return fmt.Errorf("sqlstore: backup: %w", err)
	}
	if err := publishNew(tmpName, path); err != nil {
		return fmt.Errorf("sqlstore: backup to %s: %w", path, err)
	}
	if err := syncFile(dir); err != nil {
		return fmt.Errorf("sqlstore: backup: sync folder: %w", err)
	}
	return nil
}

// vacuumInto runs VACUUM INTO name on a connection of its own. Not on the
// write connection, which writers would wait for during the whole copy;
// not on a read connection either, as their query_only forbids writing
// even to another file.
func (s *Store) vacuumInto(ctx context.Context, name string) error {
	db, err := sql.Open("sqlite", s.sqliteDSN)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	_, err = db.ExecContext(ctx, "VACUUM INTO $1", name)
	return err
}

// publishNew gives the file at tmp the name path, failing with an error
// wrapping fs.ErrExist if path exists. A hard link cannot replace a file,
// so no check-then-act race lets a file created meanwhile be lost.
func publishNew(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	// A file system without hard links (FAT, some network shares): a
	// rename, after looking again; only a file created in between the two
	// would be replaced.
	if _, serr := os.Lstat(path); serr == nil {
		return fs.ErrExist
	} else if !errors.Is(serr, fs.ErrNotExist) {
		return serr
	}
	return os.Rename(tmp, path)
}

// syncFile flushes the file or folder name to stable storage.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
