package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

const fileColumns = `id, file_name, mime_type, key, url, uploader_id, "createdAt", "updatedAt"`

func scanFile(row interface{ Scan(...any) error }, extra ...any) (*catalog.File, error) {
	var (
		f        catalog.File
		uploader sql.NullInt64
	)
	dest := append([]any{&f.ID, &f.FileName, &f.MimeType, &f.Key, &f.URL, &uploader, &f.CreatedAt, &f.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	f.UploaderID = int64Of(uploader)
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}

// CreateFile inserts f and sets its ID and timestamps. A key that exists
// already is a *catalog.ConflictError; an uploader that is no user is a
// *catalog.ValidationError on uploader_id.
func (s *Store) CreateFile(ctx context.Context, f *catalog.File) error {
	err := s.inTx(ctx, func(tx *Tx) error { return insertFile(ctx, tx, f) })
	if err != nil {
		return fmt.Errorf("sqlstore: create file: %w", err)
	}
	return nil
}

// insertFile inserts f, with its uploader, in tx and sets its ID and
// timestamps.
func insertFile(ctx context.Context, tx *Tx, f *catalog.File) error {
	if err := checkRefs(ctx, tx, ref{"uploader_id", "users", "user", f.UploaderID}); err != nil {
		return err
	}
	created, err := scanFile(tx.QueryRowContext(ctx, `INSERT INTO img_files
		(file_name, mime_type, key, url, uploader_id, "createdAt", "updatedAt")
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING `+fileColumns,
		f.FileName, f.MimeType, f.Key, f.URL, f.UploaderID, tx.now))
	if err != nil {
		return translate(err, opWrite)
	}
	*f = *created
	return nil
}

// CreateMoviePoster inserts f and makes it the poster of movie movieID, in
// one transaction: either both happen or neither. A movie that does not
// exist is catalog.ErrNotFound. The previous poster's file stays.
func (s *Store) CreateMoviePoster(ctx context.Context, movieID int64, f *catalog.File) error {
	err := s.inTx(ctx, func(tx *Tx) error {
		return s.insertFileAndLink(ctx, tx, f, "movies", "poster_file_id", movieID)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: create poster of movie %d: %w", movieID, err)
	}
	return nil
}

// CreateUserAvatar inserts f and makes it the avatar of user userID, in one
// transaction. A user that does not exist is catalog.ErrNotFound. The
// previous avatar's file stays.
func (s *Store) CreateUserAvatar(ctx context.Context, userID int64, f *catalog.File) error {
	err := s.inTx(ctx, func(tx *Tx) error {
		return s.insertFileAndLink(ctx, tx, f, "users", "avatar_file_id", userID)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: create avatar of user %d: %w", userID, err)
	}
	return nil
}

// insertFileAndLink inserts f and sets column of row id of table to it.
// table and column are constants of this package, never input.
func (s *Store) insertFileAndLink(ctx context.Context, tx *Tx, f *catalog.File, table, column string, id int64) error {
	// The row is locked (and its existence checked) before the file is
	// inserted, so a missing row costs no insert.
	var got int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM "+table+" WHERE id = $1"+s.lockSuffix("NO KEY UPDATE"), id).Scan(&got)
	if err != nil {
		return translate(err, opWrite)
	}
	if err := insertFile(ctx, tx, f); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, "UPDATE "+table+" SET "+column+` = $1, "updatedAt" = $2 WHERE id = $3`, f.ID, tx.now, id)
	if err != nil {
		return translate(err, opWrite)
	}
	return expectOne(res)
}

// CreatePersonPhoto inserts f and adds it to the photos of person personID,
// in one transaction; the person's first photo becomes primary. A person
// that does not exist is catalog.ErrNotFound.
func (s *Store) CreatePersonPhoto(ctx context.Context, personID int64, f *catalog.File) (*catalog.PersonPhoto, error) {
	var p *catalog.PersonPhoto
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := s.lockPerson(ctx, tx, personID); err != nil {
			return err
		}
		var exists bool
		err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM persons WHERE id = $1)", personID).Scan(&exists)
		if err != nil {
			return fmt.Errorf("find person: %w", err)
		}
		if !exists {
			return catalog.ErrNotFound
		}
		if err := insertFile(ctx, tx, f); err != nil {
			return err
		}
		p, err = s.addPersonPhoto(ctx, tx, personID, f.ID, false)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: create photo of person %d: %w", personID, err)
	}
	return p, nil
}

// FilesAfter returns up to limit files with ids above afterID, by id: the
// keyset paging of a walk over every file that rows deleted meanwhile do
// not disturb.
func (s *Store) FilesAfter(ctx context.Context, afterID int64, limit int) ([]catalog.File, error) {
	rows, err := s.read.QueryContext(ctx,
		"SELECT "+fileColumns+" FROM img_files WHERE id > $1 ORDER BY id LIMIT $2", afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: files after %d: %w", afterID, err)
	}
	defer rows.Close()
	files := []catalog.File{}
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: files after %d: %w", afterID, err)
		}
		files = append(files, *f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: files after %d: %w", afterID, err)
	}
	return files, nil
}

// MaxFileKeys bounds the keys one call of FileKeysExist checks.
const MaxFileKeys = 500

// FileKeysExist returns which of keys (at most MaxFileKeys) are the key of
// a file row.
func (s *Store) FileKeysExist(ctx context.Context, keys []string) (map[string]bool, error) {
	found := map[string]bool{}
	if len(keys) == 0 {
		return found, nil
	}
	if len(keys) > MaxFileKeys {
		return nil, fmt.Errorf("sqlstore: file keys: %d keys, at most %d", len(keys), MaxFileKeys)
	}
	var b strings.Builder
	args := make([]any, len(keys))
	b.WriteString("SELECT key FROM img_files WHERE key IN (")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", i+1)
		args[i] = k
	}
	b.WriteString(")")
	rows, err := s.read.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: file keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("sqlstore: file keys: %w", err)
		}
		found[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: file keys: %w", err)
	}
	return found, nil
}

// FileByID returns the file with id, or catalog.ErrNotFound.
func (s *Store) FileByID(ctx context.Context, id int64) (*catalog.File, error) {
	f, err := scanFile(s.read.QueryRowContext(ctx, "SELECT "+fileColumns+" FROM img_files WHERE id = $1", id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: file %d: %w", id, translate(err, opWrite))
	}
	return f, nil
}

// FileByKey returns the file whose stored object is named key, or
// catalog.ErrNotFound.
func (s *Store) FileByKey(ctx context.Context, key string) (*catalog.File, error) {
	f, err := scanFile(s.read.QueryRowContext(ctx, "SELECT "+fileColumns+" FROM img_files WHERE key = $1", key))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: file with key %q: %w", key, translate(err, opWrite))
	}
	return f, nil
}

// UpdateFile changes the fields upd sets and returns the file.
func (s *Store) UpdateFile(ctx context.Context, id int64, upd catalog.FileUpdate) (*catalog.File, error) {
	var set setList
	if upd.FileName != nil {
		set.add("file_name", *upd.FileName)
	}
	if upd.URL != nil {
		set.add("url", *upd.URL)
	}
	var f *catalog.File
	err := s.inTx(ctx, func(tx *Tx) error {
		q, args := set.updateSQL(tx, "img_files", []string{"id"}, []any{id}, fileColumns)
		var err error
		f, err = scanFile(tx.QueryRowContext(ctx, q, args...))
		return translate(err, opWrite)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: update file %d: %w", id, err)
	}
	return f, nil
}

// DeleteFile deletes the row of a file (not the stored object). Movies and
// users lose it as poster or avatar, and persons lose it as a photo; a
// person whose primary photo it was gets their oldest remaining photo as
// primary in the same transaction.
func (s *Store) DeleteFile(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *Tx) error {
		// The file is locked before its persons, the order AddPersonPhoto
		// takes them in; no photo link to it can appear after this.
		var got int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM img_files WHERE id = $1"+s.lockSuffix("UPDATE"), id).Scan(&got)
		if err != nil {
			return translate(err, opDelete)
		}
		persons, err := queryIDs(ctx, tx,
			"SELECT person_id FROM person_photo WHERE file_id = $1 ORDER BY person_id", id)
		if err != nil {
			return fmt.Errorf("find persons with this photo: %w", err)
		}
		for _, p := range persons {
			if err := s.lockPerson(ctx, tx, p); err != nil {
				return err
			}
		}
		lostPrimary, err := queryIDs(ctx, tx,
			"SELECT person_id FROM person_photo WHERE file_id = $1 AND is_primary ORDER BY person_id", id)
		if err != nil {
			return fmt.Errorf("find persons with this primary photo: %w", err)
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM img_files WHERE id = $1", id)
		if err != nil {
			return translate(err, opDelete)
		}
		if err := expectOne(res); err != nil {
			return err
		}
		for _, p := range lostPrimary {
			if err := promoteOldestPhoto(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: delete file %d: %w", id, err)
	}
	return nil
}

// ListFiles returns a page of files ordered by id, its total counted up to
// catalog.MaxExactTotal.
func (s *Store) ListFiles(ctx context.Context, f catalog.FileFilter) (catalog.List[catalog.File], error) {
	q := keysetQuery{columns: fileColumns, from: "FROM img_files", order: byID("img_files")}
	return listPage(ctx, s, "list files", q, f.Page, scanFile, boundedCount)
}

// queryIDs returns the single int64 column of every row query returns.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
