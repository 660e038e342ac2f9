package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/moviedb/moviedb/catalog"
)

const characterColumns = `id, name, description, role, "createdAt", "updatedAt"`

func scanCharacter(row interface{ Scan(...any) error }, extra ...any) (*catalog.Character, error) {
	var c catalog.Character
	var description sql.NullString
	dest := append([]any{&c.ID, &c.Name, &description, &c.Role, &c.CreatedAt, &c.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	c.Description = stringOf(description)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

// insertCharacter inserts c in tx and returns the stored character.
func insertCharacter(ctx context.Context, tx *Tx, c *catalog.Character) (*catalog.Character, error) {
	created, err := scanCharacter(tx.QueryRowContext(ctx,
		`INSERT INTO characters (name, description, role, "createdAt", "updatedAt")
		VALUES ($1, $2, $3, $4, $4) RETURNING `+characterColumns,
		c.Name, c.Description, c.Role, tx.now))
	return created, translate(err, opWrite)
}

// CreateCharacter inserts c and sets its ID and timestamps. A blank name or
// a role other than leading, supporting or background is a
// *catalog.ValidationError.
func (s *Store) CreateCharacter(ctx context.Context, c *catalog.Character) error {
	var created *catalog.Character
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		created, err = insertCharacter(ctx, tx, c)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlstore: create character: %w", err)
	}
	*c = *created
	return nil
}

// CharacterByID returns the character with id, or catalog.ErrNotFound.
func (s *Store) CharacterByID(ctx context.Context, id int64) (*catalog.Character, error) {
	c, err := scanCharacter(s.read.QueryRowContext(ctx, "SELECT "+characterColumns+" FROM characters WHERE id = $1", id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: character %d: %w", id, translate(err, opWrite))
	}
	return c, nil
}

// UpdateCharacter changes the fields upd sets and returns the character.
func (s *Store) UpdateCharacter(ctx context.Context, id int64, upd catalog.CharacterUpdate) (*catalog.Character, error) {
	var set setList
	if upd.Name != nil {
		set.add("name", *upd.Name)
	}
	if upd.Description != nil {
		set.add("description", nullableArg(upd.Description))
	}
	if upd.Role != nil {
		set.add("role", *upd.Role)
	}
	var c *catalog.Character
	err := s.inTx(ctx, func(tx *Tx) error {
		q, args := set.updateSQL(tx, "characters", []string{"id"}, []any{id}, characterColumns)
		var err error
		c, err = scanCharacter(tx.QueryRowContext(ctx, q, args...))
		return translate(err, opWrite)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: update character %d: %w", id, err)
	}
	return c, nil
}

// DeleteCharacter deletes a character; the movies it appears in lose it
// from their cast.
func (s *Store) DeleteCharacter(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "characters", id)
}

// charactersByName is the order of the characters list; characters_name_id_idx
// serves it.
var charactersByName = keyset{scope: "characters:name", keys: []sortKey{
	{expr: "lower(name)", kind: keyText}, {expr: "id", kind: keyInt}}}

// ListCharacters returns a page of characters ordered by name, its total
// counted up to catalog.MaxExactTotal (a catalog holds millions).
func (s *Store) ListCharacters(ctx context.Context, f catalog.CharacterFilter) (catalog.List[catalog.Character], error) {
	q := keysetQuery{columns: characterColumns, from: "FROM characters", order: charactersByName}
	return listPage(ctx, s, "list characters", q, f.Page, scanCharacter, boundedCount)
}
