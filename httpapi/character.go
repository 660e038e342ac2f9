package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// characterJSON is a character as clients see it.
type characterJSON struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Role        string    `json:"role"`
	Description *string   `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func newCharacterJSON(c *catalog.Character) characterJSON {
	return characterJSON{
		ID:          c.ID,
		Name:        c.Name,
		Role:        c.Role,
		Description: c.Description,
		CreatedAt:   c.CreatedAt.UTC(),
		UpdatedAt:   c.UpdatedAt.UTC(),
	}
}

// characterInput is the body that creates a character.
type characterInput struct {
	Name        string  `json:"name"`
	Role        string  `json:"role"`
	Description *string `json:"description"`
}

// characterPatch is the body that changes a character.
type characterPatch struct {
	Name        optional[string] `json:"name"`
	Role        optional[string] `json:"role"`
	Description optional[string] `json:"description"`
}

// update returns the catalog update of p, checked by its rules.
func (p *characterPatch) update() (catalog.CharacterUpdate, error) {
	v := &catalog.ValidationError{}
	upd := catalog.CharacterUpdate{
		Name:        nonNull(v, "name", p.Name),
		Role:        nonNull(v, "role", p.Role),
		Description: nullable(p.Description),
	}
	v.Merge(upd.Validate())
	return upd, v.Err()
}

// listCharacters answers a page of characters ordered by name.
func (s *server) listCharacters(w http.ResponseWriter, r *http.Request) {
	servePage(s, w, r, "list characters", func(ctx context.Context, page catalog.Page) (catalog.List[catalog.Character], error) {
		return s.store.ListCharacters(ctx, catalog.CharacterFilter{Page: page})
	}, newCharacterJSON)
}

// createCharacter adds a character, in no movie's cast yet.
func (s *server) createCharacter(w http.ResponseWriter, r *http.Request) {
	var in characterInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	c := &catalog.Character{Name: in.Name, Role: in.Role, Description: in.Description}
	if err := c.Validate(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.CreateCharacter(r.Context(), c); err != nil {
		s.writeError(w, r, fmt.Errorf("create character: %w", err))
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/characters/%d", c.ID))
	s.writeJSON(w, r, http.StatusCreated, newCharacterJSON(c))
}

// getCharacter answers one character.
func (s *server) getCharacter(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.store.CharacterByID(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("get character: %w", err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, newCharacterJSON(c))
}

// patchCharacter changes the fields of a character the body has.
func (s *server) patchCharacter(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in characterPatch
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	upd, err := in.update()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var c *catalog.Character
	if upd == (catalog.CharacterUpdate{}) {
		c, err = s.store.CharacterByID(r.Context(), id)
	} else {
		c, err = s.store.UpdateCharacter(r.Context(), id, upd)
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("update character %d: %w", id, err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, newCharacterJSON(c))
}

// deleteCharacter deletes a character; the movies it was in lose it from
// their cast.
func (s *server) deleteCharacter(w http.ResponseWriter, r *http.Request) {
	serveDelete(s, w, r, "character", s.store.DeleteCharacter)
}
