package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// genreJSON is a genre as clients see it.
type genreJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func newGenreJSON(g *catalog.Genre) genreJSON {
	return genreJSON{ID: g.ID, Name: g.Name, CreatedAt: g.CreatedAt.UTC(), UpdatedAt: g.UpdatedAt.UTC()}
}

// listGenres answers a page of genres ordered by name.
func (s *server) listGenres(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.ListGenres(r.Context(), catalog.GenreFilter{Page: page})
	if err != nil {
		s.writeError(w, r, fmt.Errorf("list genres: %w", err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, newListJSON(list, newGenreJSON))
}

// createGenre adds a genre; its name is unique without regard to case.
func (s *server) createGenre(w http.ResponseWriter, r *http.Request) {
	var in nameInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := catalog.ValidateName(in.Name); err != nil {
		s.writeError(w, r, err)
		return
	}
	g := &catalog.Genre{Name: in.Name}
	if err := s.store.CreateGenre(r.Context(), g); err != nil {
		s.writeError(w, r, fmt.Errorf("create genre: %w", err))
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/genres/%d", g.ID))
	s.writeJSON(w, r, http.StatusCreated, newGenreJSON(g))
}

// getGenre answers one genre.
func (s *server) getGenre(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	g, err := s.store.GenreByID(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("get genre: %w", err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, newGenreJSON(g))
}

// patchGenre renames a genre.
func (s *server) patchGenre(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in namePatch
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	name, err := in.name()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var g *catalog.Genre
	if name == nil {
		g, err = s.store.GenreByID(r.Context(), id)
	} else {
		g, err = s.store.UpdateGenre(r.Context(), id, catalog.GenreUpdate{Name: name})
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("update genre %d: %w", id, err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, newGenreJSON(g))
}

// deleteGenre deletes a genre; the movies that had it lose it.
func (s *server) deleteGenre(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.DeleteGenre(r.Context(), id); err != nil {
		s.writeError(w, r, fmt.Errorf("delete genre %d: %w", id, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
