package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/moviedb/moviedb/catalog"
)

// movieGenrePath returns the movie and genre ids of a genre link's path.
func movieGenrePath(r *http.Request) (movieID, genreID int64, err error) {
	if movieID, err = pathID(r, "id"); err != nil {
		return 0, 0, err
	}
	if genreID, err = pathID(r, "genre_id"); err != nil {
		return 0, 0, err
	}
	return movieID, genreID, nil
}

func noGenre(id int64) error {
	return &requestError{status: http.StatusNotFound, detail: fmt.Sprintf("no genre has id %d", id)}
}

// putMovieGenre gives a movie a genre; giving it again changes nothing.
func (s *server) putMovieGenre(w http.ResponseWriter, r *http.Request) {
	movieID, genreID, err := movieGenrePath(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.store.AddMovieGenre(r.Context(), movieID, genreID); err != nil {
		err = pathNotFound(err, "movie_id", noMovie(movieID))
		err = pathNotFound(err, "genre_id", noGenre(genreID))
		s.writeError(w, r, fmt.Errorf("add genre %d to movie %d: %w", genreID, movieID, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteMovieGenre takes a genre from a movie; taking one the movie does
// not have changes nothing, but an unknown movie or genre is a 404 as for
// PUT.
func (s *server) deleteMovieGenre(w http.ResponseWriter, r *http.Request) {
	movieID, genreID, err := movieGenrePath(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	removed, err := s.store.RemoveMovieGenre(r.Context(), movieID, genreID)
	if errors.Is(err, catalog.ErrNotFound) {
		err = noMovie(movieID)
	}
	if err == nil && !removed {
		if _, err = s.store.GenreByID(r.Context(), genreID); errors.Is(err, catalog.ErrNotFound) {
			err = noGenre(genreID)
		}
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("remove genre %d from movie %d: %w", genreID, movieID, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
