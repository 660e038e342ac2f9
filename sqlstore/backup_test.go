package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestBackupUnderWriteLoad backs a SQLite store up several times while a
// writer keeps creating movies, each with two genres in one transaction.
// Every copy must be a sound database holding the catalog as it was at one
// commit: the writer's first n movies, each with both its genres, n being
// at least what had committed when the backup began and at most what had
// begun when it ended.
func TestBackupUnderWriteLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := sqltest.Open(t, sqlstore.SQLite, sqlstore.Options{})
	even, odd, every := fixtureGenre(t, s, "Even"), fixtureGenre(t, s, "Odd"), fixtureGenre(t, s, "Every")

	var (
		committed, begun atomic.Int64
		progress         = make(chan struct{}, 1)
		stop             = make(chan struct{})
		writerErr        error
		wg               sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := int64(0); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			genre := even
			if i%2 == 1 {
				genre = odd
			}
			begun.Add(1)
			m := &catalog.Movie{Title: fmt.Sprintf("Load %d", i)}
			if err := s.CreateMovieWithGenres(ctx, m, []int64{genre.ID, every.ID}); err != nil {
				writerErr = fmt.Errorf("create movie %d: %w", i, err)
				close(progress)
				return
			}
			committed.Add(1)
			select {
			case progress <- struct{}{}:
			default:
			}
		}
	}()
	stopWriter := func() {
		select {
		case <-stop:
		default:
			close(stop)
		}
		wg.Wait()
	}
	t.Cleanup(stopWriter)

	// waitCommitted waits until the writer has committed n movies.
	waitCommitted := func(n int64) {
		t.Helper()
		for committed.Load() < n {
			if _, ok := <-progress; !ok {
				t.Fatalf("writer: %v", writerErr)
			}
		}
	}

	dir := t.TempDir()
	var lastCount int64
	for round := range 5 {
		// Some writes between backups, so each copies a new state.
		waitCommitted(lastCount + 50)
		low := committed.Load()
		path := filepath.Join(dir, fmt.Sprintf("backup-%d.db", round))
		if err := s.BackupTo(ctx, path); err != nil {
			t.Fatalf("BackupTo, round %d: %v", round, err)
		}
		high := begun.Load()
		n := checkBackupCopy(t, path, even.ID, odd.ID, every.ID)
		if n < low || n > high {
			t.Errorf("round %d: the copy has %d movies; want from %d (committed when the backup began) to %d (begun when it ended)",
				round, n, low, high)
		}
		t.Logf("round %d: %d movies copied; %d committed before, %d begun after", round, n, low, high)
		lastCount = n
	}
	stopWriter()
	if writerErr != nil {
		t.Fatalf("writer: %v", writerErr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The copies are still open as stores, with their -wal and -shm.
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "backup-") {
			t.Errorf("the backup folder holds %s; want only the backups, no temporary file", e.Name())
		}
	}
}

// checkBackupCopy checks the SQLite database at path is sound and holds
// movies "Load 0" to "Load n-1", each with genre even or odd by its number,
// and every; it returns n.
func checkBackupCopy(t *testing.T, path string, even, odd, every int64) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("the backup is readable by others (mode %v); want its owner only, as it holds password hashes", perm)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check of the backup = %q, %v; want ok", integrity, err)
	}
	var broken int
	if err := db.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&broken); err != nil || broken != 0 {
		t.Errorf("foreign_key_check of the backup finds %d broken references (%v); want none", broken, err)
	}
	var n, maxN, links, wrong int64
	if err := db.QueryRow(`SELECT count(*), coalesce(max(CAST(substr(title, 6) AS INTEGER)), -1) FROM movies
		WHERE title LIKE 'Load %'`).Scan(&n, &maxN); err != nil {
		t.Fatal(err)
	}
	if maxN != n-1 {
		t.Errorf("the backup has %d movies, up to Load %d; want Load 0 to Load %d with no gap", n, maxN, n-1)
	}
	if err := db.QueryRow("SELECT count(*) FROM movie_genres").Scan(&links); err != nil {
		t.Fatal(err)
	}
	// A movie without both its genres, or with another, was copied half
	// way through its transaction.
	err = db.QueryRow(`SELECT count(*) FROM movies m WHERE
		(SELECT count(*) FROM movie_genres g WHERE g.movie_id = m.id) <> 2
		OR NOT EXISTS (SELECT 1 FROM movie_genres g WHERE g.movie_id = m.id AND g.genre_id = $1)
		OR NOT EXISTS (SELECT 1 FROM movie_genres g WHERE g.movie_id = m.id
			AND g.genre_id = CASE CAST(substr(m.title, 6) AS INTEGER) % 2 WHEN 0 THEN $2 ELSE $3 END)`,
		every, even, odd).Scan(&wrong)
	if err != nil {
		t.Fatal(err)
	}
	if wrong != 0 || links != 2*n {
		t.Errorf("the backup has %d movies, %d genre links, %d movies without their two genres; want %d links and none",
			n, links, wrong, 2*n)
	}

	// Opened as a store, it is a moviedb database needing no migration.
	ctx := context.Background()
	restored := sqltest.OpenDSN(t, "sqlite:"+path)
	if err := restored.CheckSchema(ctx); err != nil {
		t.Errorf("CheckSchema of the backup: %v; want every migration recorded", err)
	}
	list, err := restored.ListMovies(ctx, catalog.MovieFilter{Page: catalog.Page{Size: 1}})
	if err != nil || int64(list.Total) != n {
		t.Errorf("ListMovies on the backup = %d movies, %v; want %d", list.Total, err, n)
	}
	return n
}

// TestBackupRefusesExistingFile checks BackupTo never writes over a file,
// even an empty one (which VACUUM INTO alone would fill), and leaves no
// temporary file behind.
func TestBackupRefusesExistingFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := sqltest.Open(t, sqlstore.SQLite, sqlstore.Options{})
	fixtureMovie(t, s, "Alien")
	dir := t.TempDir()
	for name, content := range map[string]string{"precious.db": "not to be lost", "empty.db": ""} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		err := s.BackupTo(ctx, path)
		if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), path) {
			t.Errorf("BackupTo onto the existing %s = %v; want an error naming it, wrapping fs.ErrExist", name, err)
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != content {
			t.Errorf("after BackupTo refused, %s holds %q, %v; want %q", name, got, err, content)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("after refused backups the folder holds %d files; want only the 2 existing ones", len(entries))
	}
	if err := s.BackupTo(ctx, filepath.Join(dir, "missing", "backup.db")); err == nil {
		t.Error("BackupTo into a missing folder succeeded; want an error")
	}
}

// TestBackupPostgres checks BackupTo on PostgreSQL points to pg_dump and
// creates nothing.
func TestBackupPostgres(t *testing.T) {
	t.Parallel()
	s := sqltest.Open(t, sqlstore.Postgres, sqlstore.Options{})
	path := filepath.Join(t.TempDir(), "backup.db")
	err := s.BackupTo(context.Background(), path)
	if !errors.Is(err, sqlstore.ErrBackupUnsupported) || !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("BackupTo on PostgreSQL = %v; want ErrBackupUnsupported, naming pg_dump", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after BackupTo on PostgreSQL, %s: %v; want no file", path, err)
	}
}
