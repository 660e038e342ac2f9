package web

import "net/http"

// about credits the data of the demo catalog and of imported catalogs, as
// their licences require, and says what moviedb is.
func (s *server) about(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "about", view{Title: "About"})
}
