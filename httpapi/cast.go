package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/moviedb/moviedb/catalog"
)

// A movie's cast is answered from its detail, which reads every character
// with its actor and the actor's photo in a fixed number of queries; the
// cast rows alone hold only ids.

// castListJSON is the cast of a movie, in billing order. It is the whole
// cast, so it has no pages.
type castListJSON struct {
	Items []castEntryJSON `json:"items"`
}

// listCast answers the cast of a movie: leading roles first, then
// supporting, then background.
func (s *server) listCast(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := s.store.MovieDetail(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("cast of movie %d: %w", id, notFoundAs(err, noMovie(id))))
		return
	}
	out := castListJSON{Items: make([]castEntryJSON, len(d.Cast))}
	for i := range d.Cast {
		out.Items[i] = s.newCastEntryJSON(&d.Cast[i])
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// castInput is the body that puts a character in a movie's cast: an
// existing one by character_id, or a new one described by character.
// person_id, absent or null, means that nobody known plays it.
type castInput struct {
	CharacterID *int64          `json:"character_id"`
	Character   *characterInput `json:"character"`
	PersonID    *int64          `json:"person_id"`
}

// newCharacter returns the character that in creates, nil when it names an
// existing one, checked by the rules of characters. A body must have
// exactly one of character_id and character.
func (in *castInput) newCharacter() (*catalog.Character, error) {
	v := &catalog.ValidationError{}
	var ch *catalog.Character
	switch {
	case in.CharacterID == nil && in.Character == nil:
		v.Add("character_id", "is required unless the body has character")
	case in.CharacterID != nil && in.Character != nil:
		v.Add("character", "must not be given with character_id")
	case in.Character != nil:
		ch = &catalog.Character{Name: in.Character.Name, Role: in.Character.Role, Description: in.Character.Description}
		var invalid *catalog.ValidationError
		if errors.As(ch.Validate(), &invalid) {
			for field, msg := range invalid.Fields {
				v.Add("character."+field, msg)
			}
		}
	}
	return ch, v.Err()
}

// addCast puts a character in a movie's cast, creating the character if the
// body describes a new one, and answers the cast entry.
func (s *server) addCast(w http.ResponseWriter, r *http.Request) {
	movieID, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in castInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	ch, err := in.newCharacter()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var characterID int64
	if ch != nil {
		_, err = s.store.CreateCharacterInCast(r.Context(), movieID, ch, in.PersonID)
		characterID = ch.ID
	} else {
		characterID = *in.CharacterID
		err = s.store.AddCastMember(r.Context(), &catalog.CastMember{MovieID: movieID, CharacterID: characterID, PersonID: in.PersonID})
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("add to cast of movie %d: %w", movieID, pathNotFound(err, "movie_id", noMovie(movieID))))
		return
	}
	entry, err := s.castEntry(r, movieID, characterID)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("add to cast of movie %d: %w", movieID, err))
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/movies/%d/cast/%d", movieID, characterID))
	s.writeJSON(w, r, http.StatusCreated, entry)
}

// castPatch is the body that changes who plays a character in a movie: a
// person id, or null for nobody known.
type castPatch struct {
	PersonID optional[int64] `json:"person_id"`
}

// patchCast changes or clears the actor of a character in a movie's cast
// and answers the cast entry.
func (s *server) patchCast(w http.ResponseWriter, r *http.Request) {
	movieID, characterID, err := castPath(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in castPatch
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	if in.PersonID.Set {
		upd := catalog.CastUpdate{PersonID: nullable(in.PersonID)}
		if _, err := s.store.UpdateCastMember(r.Context(), movieID, characterID, upd); err != nil {
			s.writeError(w, r, fmt.Errorf("update cast of movie %d: %w", movieID, err))
			return
		}
	}
	entry, err := s.castEntry(r, movieID, characterID)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("update cast of movie %d: %w", movieID, err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, entry)
}

// deleteCast takes a character out of a movie's cast; the character stays.
func (s *server) deleteCast(w http.ResponseWriter, r *http.Request) {
	movieID, characterID, err := castPath(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.RemoveCastMember(r.Context(), movieID, characterID); err != nil {
		s.writeError(w, r, fmt.Errorf("remove character %d from cast of movie %d: %w", characterID, movieID, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// castPath returns the movie and character ids of a cast entry's path.
func castPath(r *http.Request) (movieID, characterID int64, err error) {
	if movieID, err = pathID(r, "id"); err != nil {
		return 0, 0, err
	}
	if characterID, err = pathID(r, "character_id"); err != nil {
		return 0, 0, err
	}
	return movieID, characterID, nil
}

// castEntry returns the cast entry of a character in a movie as JSON, or
// catalog.ErrNotFound when the movie does not have it in its cast (it may
// have been removed since it was written).
func (s *server) castEntry(r *http.Request, movieID, characterID int64) (castEntryJSON, error) {
	d, err := s.store.MovieDetail(r.Context(), movieID)
	if err != nil {
		return castEntryJSON{}, err
	}
	for i := range d.Cast {
		if d.Cast[i].Character.ID == characterID {
			return s.newCastEntryJSON(&d.Cast[i]), nil
		}
	}
	return castEntryJSON{}, fmt.Errorf("character %d in cast of movie %d: %w", characterID, movieID, catalog.ErrNotFound)
}

// notFoundAs returns notFound when err is catalog.ErrNotFound, which then
// says more than "the requested resource does not exist"; other errors come
// back unchanged.
func notFoundAs(err error, notFound error) error {
	if errors.Is(err, catalog.ErrNotFound) {
		return notFound
	}
	return err
}
