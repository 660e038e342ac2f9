package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/moviedb/moviedb/catalog"
)

const castColumns = `movie_id, character_id, person_id, "createdAt", "updatedAt"`

func scanCastMember(row interface{ Scan(...any) error }) (*catalog.CastMember, error) {
	var m catalog.CastMember
	var person sql.NullInt64
	if err := row.Scan(&m.MovieID, &m.CharacterID, &person, &m.CreatedAt, &m.UpdatedAt); err != nil {
		return nil, err
	}
	m.PersonID = int64Of(person)
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return &m, nil
}

// insertCastMember inserts m in tx; the caller has checked its references.
func insertCastMember(ctx context.Context, tx *Tx, m *catalog.CastMember) (*catalog.CastMember, error) {
	created, err := scanCastMember(tx.QueryRowContext(ctx,
		`INSERT INTO movie_characters (movie_id, character_id, person_id, "createdAt", "updatedAt")
		VALUES ($1, $2, $3, $4, $4) RETURNING `+castColumns,
		m.MovieID, m.CharacterID, m.PersonID, tx.now))
	return created, translate(err, opWrite)
}

// AddCastMember puts a character in a movie's cast, played by the person
// m.PersonID or, when it is nil, by nobody known, and sets m's timestamps.
// A movie, character or person that does not exist is a
// *catalog.ValidationError naming the field; a character already in the
// movie's cast is a *catalog.ConflictError on character_id.
func (s *Store) AddCastMember(ctx context.Context, m *catalog.CastMember) error {
	var created *catalog.CastMember
	err := s.inTx(ctx, func(tx *Tx) error {
		err := checkRefs(ctx, tx, movieRef(m.MovieID), characterRef(m.CharacterID), personRef("person_id", m.PersonID))
		if err != nil {
			return err
		}
		created, err = insertCastMember(ctx, tx, m)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlstore: add character %d to cast of movie %d: %w", m.CharacterID, m.MovieID, err)
	}
	*m = *created
	return nil
}

// CreateCharacterInCast creates the character ch and puts it in a movie's
// cast, played by personID (nil: nobody known), in one transaction: when
// either write fails, neither happens. It sets ch's ID and timestamps and
// returns the cast member.
func (s *Store) CreateCharacterInCast(ctx context.Context, movieID int64, ch *catalog.Character, personID *int64) (*catalog.CastMember, error) {
	var (
		character *catalog.Character
		member    *catalog.CastMember
	)
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, movieRef(movieID), personRef("person_id", personID)); err != nil {
			return err
		}
		var err error
		if character, err = insertCharacter(ctx, tx, ch); err != nil {
			return err
		}
		member, err = insertCastMember(ctx, tx, &catalog.CastMember{
			MovieID: movieID, CharacterID: character.ID, PersonID: personID,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: create character in cast of movie %d: %w", movieID, err)
	}
	*ch = *character
	return member, nil
}

// CastMemberByID returns the cast member of a movie playing a character, or
// catalog.ErrNotFound.
func (s *Store) CastMemberByID(ctx context.Context, movieID, characterID int64) (*catalog.CastMember, error) {
	m, err := scanCastMember(s.read.QueryRowContext(ctx,
		"SELECT "+castColumns+" FROM movie_characters WHERE movie_id = $1 AND character_id = $2",
		movieID, characterID))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: character %d in cast of movie %d: %w", characterID, movieID, translate(err, opWrite))
	}
	return m, nil
}

// UpdateCastMember changes or clears who plays a character in a movie and
// returns the cast member. A person who does not exist is a
// *catalog.ValidationError on person_id.
func (s *Store) UpdateCastMember(ctx context.Context, movieID, characterID int64, upd catalog.CastUpdate) (*catalog.CastMember, error) {
	var set setList
	if upd.PersonID != nil {
		set.add("person_id", nullableArg(upd.PersonID))
	}
	var m *catalog.CastMember
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, personRef("person_id", updateRefID(upd.PersonID))); err != nil {
			return err
		}
		q, args := set.updateSQL(tx, "movie_characters",
			[]string{"movie_id", "character_id"}, []any{movieID, characterID}, castColumns)
		var err error
		m, err = scanCastMember(tx.QueryRowContext(ctx, q, args...))
		return translate(err, opWrite)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: update character %d in cast of movie %d: %w", characterID, movieID, err)
	}
	return m, nil
}

// RemoveCastMember takes a character out of a movie's cast; the character
// itself stays. It is catalog.ErrNotFound when the character is not in the
// cast.
func (s *Store) RemoveCastMember(ctx context.Context, movieID, characterID int64) error {
	err := s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx,
			"DELETE FROM movie_characters WHERE movie_id = $1 AND character_id = $2", movieID, characterID)
		if err != nil {
			return translate(err, opDelete)
		}
		return expectOne(res)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: remove character %d from cast of movie %d: %w", characterID, movieID, err)
	}
	return nil
}

// ListCast returns the cast of a movie, leading roles first, then
// supporting, then background, each by character name. A movie that does
// not exist is catalog.ErrNotFound.
func (s *Store) ListCast(ctx context.Context, movieID int64) ([]catalog.CastMember, error) {
	cast, err := s.listCast(ctx, movieID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: cast of movie %d: %w", movieID, err)
	}
	return cast, nil
}

func (s *Store) listCast(ctx context.Context, movieID int64) ([]catalog.CastMember, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT mc.movie_id, mc.character_id, mc.person_id, mc."createdAt", mc."updatedAt"
		FROM movie_characters mc JOIN characters c ON c.id = mc.character_id
		WHERE mc.movie_id = $1
		ORDER BY CASE c.role WHEN 'leading' THEN 0 WHEN 'supporting' THEN 1 ELSE 2 END, lower(c.name), c.id`,
		movieID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cast := []catalog.CastMember{}
	for rows.Next() {
		m, err := scanCastMember(rows)
		if err != nil {
			return nil, err
		}
		cast = append(cast, *m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(cast) == 0 {
		if err := requireMovie(ctx, s.read, movieID); err != nil {
			return nil, err
		}
	}
	return cast, nil
}
