package web

import (
	"fmt"
	"net/http"

	"github.com/moviedb/moviedb/catalog"
)

// homeCards is how many movies each row of the home page shows.
const homeCards = 12

type homeData struct {
	Recent  []catalog.MovieSummary
	Popular []catalog.MovieSummary
}

// home shows the movies added last and the movies most kept as favorites.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	page := catalog.Page{Number: 1, Size: homeCards}
	recent, err := s.store.SearchMovies(r.Context(), catalog.MovieSearch{Sort: catalog.MovieSortCreatedAt, Desc: true, Page: page})
	if err != nil {
		s.fail(w, r, fmt.Errorf("home: %w", err))
		return
	}
	popular, err := s.store.SearchMovies(r.Context(), catalog.MovieSearch{Sort: catalog.MovieSortPopularity, Desc: true, Page: page})
	if err != nil {
		s.fail(w, r, fmt.Errorf("home: %w", err))
		return
	}
	s.render(w, r, http.StatusOK, "home", view{Title: "Home", Data: homeData{Recent: recent.Items, Popular: popular.Items}})
}
