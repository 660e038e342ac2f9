package sqlstore

import (
	"context"
	"fmt"

	"github.com/moviedb/moviedb/catalog"
)

// A person with photos has exactly one primary photo. The partial unique
// index person_photo_one_primary forbids two; the methods here keep one:
// the first photo becomes primary, a new primary is set only after the old
// one is cleared, and losing the primary promotes the oldest remaining
// photo. Each method locks the person first, so that on PostgreSQL two
// transactions never change one person's photos at once.

const photoColumns = `person_id, file_id, is_primary, "createdAt", "updatedAt"`

func scanPhoto(row interface{ Scan(...any) error }) (*catalog.PersonPhoto, error) {
	var p catalog.PersonPhoto
	if err := row.Scan(&p.PersonID, &p.FileID, &p.IsPrimary, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, nil
}

// lockSuffix returns " FOR mode", the clause with which a SELECT locks the
// rows it reads until the transaction ends, on PostgreSQL, and "" on SQLite,
// whose write transactions already run one at a time.
func (s *Store) lockSuffix(mode string) string {
	if s.engine == Postgres {
		return " FOR " + mode
	}
	return ""
}

// lockPerson keeps other transactions from changing the photos of person id
// until tx ends. A person that does not exist is not an error here.
func (s *Store) lockPerson(ctx context.Context, tx *Tx, id int64) error {
	// NO KEY UPDATE leaves rows that merely refer to the person (movies,
	// cast) free to be written meanwhile.
	if _, err := tx.ExecContext(ctx, "SELECT id FROM persons WHERE id = $1"+s.lockSuffix("NO KEY UPDATE"), id); err != nil {
		return fmt.Errorf("lock person %d: %w", id, err)
	}
	return nil
}

// demotePrimaryPhoto clears the primary flag of the person's primary photo,
// if there is one.
func demotePrimaryPhoto(ctx context.Context, tx *Tx, personID int64) error {
	_, err := tx.ExecContext(ctx,
		`UPDATE person_photo SET is_primary = $1, "updatedAt" = $2 WHERE person_id = $3 AND is_primary`,
		false, tx.now, personID)
	if err != nil {
		return fmt.Errorf("demote primary photo: %w", translate(err, opWrite))
	}
	return nil
}

// promoteOldestPhoto makes the person's oldest photo primary when the person
// has photos and none of them is primary.
func promoteOldestPhoto(ctx context.Context, tx *Tx, personID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE person_photo SET is_primary = $1, "updatedAt" = $2
		WHERE person_id = $3
		  AND file_id = (SELECT file_id FROM person_photo WHERE person_id = $3 ORDER BY "createdAt", file_id LIMIT 1)
		  AND NOT EXISTS (SELECT 1 FROM person_photo WHERE person_id = $3 AND is_primary)`,
		true, tx.now, personID)
	if err != nil {
		return fmt.Errorf("promote photo of person %d: %w", personID, translate(err, opWrite))
	}
	return nil
}

// AddPersonPhoto links file fileID to person personID as a photo and returns
// the link. The person's first photo is always primary; otherwise primary
// makes the new photo primary in place of the current one. A person or file
// that does not exist is a *catalog.ValidationError naming person_id or
// file_id, and a file that is a photo of the person already is a
// *catalog.ConflictError.
func (s *Store) AddPersonPhoto(ctx context.Context, personID, fileID int64, primary bool) (*catalog.PersonPhoto, error) {
	var p *catalog.PersonPhoto
	err := s.inTx(ctx, func(tx *Tx) error {
		err := checkRefs(ctx, tx, personRef("person_id", &personID), fileRef("file_id", &fileID))
		if err != nil {
			return err
		}
		// The file is locked before the person, the order DeleteFile takes
		// them in; KEY SHARE is the lock the insert would take on it anyway.
		if _, err := tx.ExecContext(ctx, "SELECT id FROM img_files WHERE id = $1"+s.lockSuffix("KEY SHARE"), fileID); err != nil {
			return fmt.Errorf("lock file %d: %w", fileID, err)
		}
		if err := s.lockPerson(ctx, tx, personID); err != nil {
			return err
		}
		p, err = s.addPersonPhoto(ctx, tx, personID, fileID, primary)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: add photo %d to person %d: %w", fileID, personID, err)
	}
	return p, nil
}

// addPersonPhoto links a file to a locked person in tx, as AddPersonPhoto
// describes.
func (s *Store) addPersonPhoto(ctx context.Context, tx *Tx, personID, fileID int64, primary bool) (*catalog.PersonPhoto, error) {
	var hasPrimary bool
	err := tx.QueryRowContext(ctx,
		"SELECT EXISTS (SELECT 1 FROM person_photo WHERE person_id = $1 AND is_primary)", personID).Scan(&hasPrimary)
	if err != nil {
		return nil, fmt.Errorf("find primary photo: %w", err)
	}
	switch {
	case !hasPrimary:
		primary = true
	case primary:
		if err := demotePrimaryPhoto(ctx, tx, personID); err != nil {
			return nil, err
		}
	}
	p, err := scanPhoto(tx.QueryRowContext(ctx, `INSERT INTO person_photo
		(person_id, file_id, is_primary, "createdAt", "updatedAt")
		VALUES ($1, $2, $3, $4, $4) RETURNING `+photoColumns,
		personID, fileID, primary, tx.now))
	if err != nil {
		return nil, translate(err, opWrite)
	}
	return p, nil
}

// PersonPhotos returns the photos of a person, the primary one first and
// then the oldest first, or catalog.ErrNotFound when there is no such person.
func (s *Store) PersonPhotos(ctx context.Context, personID int64) ([]catalog.PersonPhoto, error) {
	photos := []catalog.PersonPhoto{}
	rows, err := s.read.QueryContext(ctx, "SELECT "+photoColumns+
		` FROM person_photo WHERE person_id = $1 ORDER BY is_primary DESC, "createdAt", file_id`, personID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: photos of person %d: %w", personID, err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPhoto(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: photos of person %d: %w", personID, err)
		}
		photos = append(photos, *p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: photos of person %d: %w", personID, err)
	}
	if len(photos) == 0 {
		var exists bool
		err := s.read.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM persons WHERE id = $1)", personID).Scan(&exists)
		if err == nil && !exists {
			err = catalog.ErrNotFound
		}
		if err != nil {
			return nil, fmt.Errorf("sqlstore: photos of person %d: %w", personID, err)
		}
	}
	return photos, nil
}

// UpdatePersonPhoto changes the fields upd sets and returns the photo.
// Making a photo primary clears the primary flag of the person's previous
// primary photo in the same transaction. Clearing the flag of the primary
// photo is a *catalog.ValidationError on is_primary: make another photo
// primary instead.
func (s *Store) UpdatePersonPhoto(ctx context.Context, personID, fileID int64, upd catalog.PersonPhotoUpdate) (*catalog.PersonPhoto, error) {
	var p *catalog.PersonPhoto
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := s.lockPerson(ctx, tx, personID); err != nil {
			return err
		}
		cur, err := scanPhoto(tx.QueryRowContext(ctx,
			"SELECT "+photoColumns+" FROM person_photo WHERE person_id = $1 AND file_id = $2", personID, fileID))
		if err != nil {
			return translate(err, opWrite)
		}
		var set setList
		if upd.IsPrimary != nil && *upd.IsPrimary != cur.IsPrimary {
			if !*upd.IsPrimary {
				return catalog.Invalid("is_primary",
					"a person with photos always has one primary photo; make another photo primary instead")
			}
			// Clear the old primary before setting the new one: the unique
			// index never allows two, not even for a moment.
			if err := demotePrimaryPhoto(ctx, tx, personID); err != nil {
				return err
			}
			set.add("is_primary", true)
		}
		q, args := set.updateSQL(tx, "person_photo", []string{"person_id", "file_id"}, []any{personID, fileID}, photoColumns)
		p, err = scanPhoto(tx.QueryRowContext(ctx, q, args...))
		return translate(err, opWrite)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: update photo %d of person %d: %w", fileID, personID, err)
	}
	return p, nil
}

// RemovePersonPhoto unlinks photo fileID from person personID, leaving the
// file itself in place, or returns catalog.ErrNotFound when it is not one
// of the person's photos. Removing the primary photo makes the oldest
// remaining one primary.
func (s *Store) RemovePersonPhoto(ctx context.Context, personID, fileID int64) error {
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := s.lockPerson(ctx, tx, personID); err != nil {
			return err
		}
		var wasPrimary bool
		err := tx.QueryRowContext(ctx,
			"DELETE FROM person_photo WHERE person_id = $1 AND file_id = $2 RETURNING is_primary",
			personID, fileID).Scan(&wasPrimary)
		if err != nil {
			return translate(err, opDelete)
		}
		if wasPrimary {
			return promoteOldestPhoto(ctx, tx, personID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: remove photo %d of person %d: %w", fileID, personID, err)
	}
	return nil
}
