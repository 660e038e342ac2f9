package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/moviedb/moviedb/catalog"
)

// listFavorites answers a page of the requesting user's favorite movies,
// the newest favorite first.
func (s *server) listFavorites(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u := userOf(r)
	list, err := s.store.ListFavoriteMovies(r.Context(), u.ID, page)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("list favorites: %w", queryFault(err)))
		return
	}
	writeList(s, w, r, list, s.newMovieSummaryJSON)
}

// putFavorite adds a movie to the requesting user's favorites; adding it
// again changes nothing.
func (s *server) putFavorite(w http.ResponseWriter, r *http.Request) {
	movieID, err := pathID(r, "movie_id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.store.AddFavorite(r.Context(), userOf(r).ID, movieID); err != nil {
		var invalid *catalog.ValidationError
		if errors.As(err, &invalid) && invalid.Fields["movie_id"] != "" {
			err = noMovie(movieID)
		}
		s.writeError(w, r, fmt.Errorf("add favorite: %w", err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteFavorite removes a movie from the requesting user's favorites;
// removing one that is not there changes nothing, but an unknown movie is a
// 404 as for PUT.
func (s *server) deleteFavorite(w http.ResponseWriter, r *http.Request) {
	movieID, err := pathID(r, "movie_id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	removed, err := s.store.RemoveFavorite(r.Context(), userOf(r).ID, movieID)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("remove favorite: %w", err))
		return
	}
	if !removed {
		if _, err := s.store.MovieByID(r.Context(), movieID); err != nil {
			if errors.Is(err, catalog.ErrNotFound) {
				err = noMovie(movieID)
			}
			s.writeError(w, r, fmt.Errorf("remove favorite: %w", err))
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func noMovie(id int64) error {
	return &requestError{status: http.StatusNotFound, detail: fmt.Sprintf("no movie has id %d", id)}
}

// userFavoritesJSON is a row of the user-favorites report.
type userFavoritesJSON struct {
	ID               int64   `json:"id"`
	Username         string  `json:"username"`
	FavoriteMovieIDs []int64 `json:"favorite_movie_ids"`
}

func newUserFavoritesJSON(u *catalog.UserFavorites) userFavoritesJSON {
	ids := u.FavoriteMovieIDs
	if ids == nil {
		ids = []int64{}
	}
	return userFavoritesJSON{ID: u.ID, Username: u.Username, FavoriteMovieIDs: ids}
}

// userFavoritesReport answers a page of every user with the ids of their
// favorite movies.
func (s *server) userFavoritesReport(w http.ResponseWriter, r *http.Request) {
	servePage(s, w, r, "user favorites report", s.store.UserFavoritesReport, newUserFavoritesJSON)
}
