package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/moviedb/moviedb/catalog"
)

func (s *server) favoriteRoutes() []route {
	return []route{
		{"GET /favorites", userAccess, s.favorites},
		{"POST /movies/{id}/favorite", userAccess, s.addFavorite},
		{"POST /movies/{id}/unfavorite", userAccess, s.removeFavorite},
	}
}

type favoritesData struct {
	Movies catalog.List[catalog.MovieSummary]
	Pages  pager
}

// favorites lists the signed-in user's favorite movies, newest first.
func (s *server) favorites(w http.ResponseWriter, r *http.Request) {
	errs := map[string]string{}
	page := listPage(r.URL.Query(), searchPageSize, errs)
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "favorites", view{Title: "Your favorites", Errors: errs,
			Data: favoritesData{Movies: catalog.List[catalog.MovieSummary]{Page: page}}})
		return
	}
	list, err := s.store.ListFavoriteMovies(r.Context(), userOf(r).ID, page)
	if err != nil {
		s.fail(w, r, fmt.Errorf("favorites: %w", err))
		return
	}
	s.render(w, r, http.StatusOK, "favorites", view{Title: "Your favorites", Errors: errs,
		Data: favoritesData{Movies: list, Pages: newPager(r.URL, list)}})
}

// addFavorite adds a movie to the user's favorites and goes back to it.
func (s *server) addFavorite(w http.ResponseWriter, r *http.Request) {
	s.setFavorite(w, r, true)
}

// removeFavorite takes a movie out of the user's favorites.
func (s *server) removeFavorite(w http.ResponseWriter, r *http.Request) {
	s.setFavorite(w, r, false)
}

func (s *server) setFavorite(w http.ResponseWriter, r *http.Request, on bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	var err error
	if on {
		_, err = s.store.AddFavorite(r.Context(), userOf(r).ID, id)
	} else {
		_, err = s.store.RemoveFavorite(r.Context(), userOf(r).ID, id)
	}
	if _, invalid := fieldErrors(err); invalid {
		// The movie is gone (the user's own row cannot be: they are signed in).
		err = fmt.Errorf("%w: %w", catalog.ErrNotFound, err)
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("favorite %d: %w", id, err))
		return
	}
	next := localPath(r.PostFormValue("next"))
	if next == "/" {
		next = "/movies/" + strconv.FormatInt(id, 10)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
