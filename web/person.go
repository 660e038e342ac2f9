package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

func (s *server) personRoutes() []route {
	return []route{
		{"GET /persons", publicAccess, s.searchPersons},
		{"GET /persons/{id}", publicAccess, s.person},
		{"GET /persons/{id}/directed", publicAccess, s.directed},
		{"GET /persons/{id}/played", publicAccess, s.played},
	}
}

type personsData struct {
	Results catalog.List[catalog.Person]
	Pages   pager
}

// searchPersons lists the persons whose names hold every word of q, or
// everyone by name without q. Admins find the ids to cast here.
func (s *server) searchPersons(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	errs := map[string]string{}
	page := listPage(q, searchPageSize, errs)
	v := view{Title: "People", Form: formValues(q), Errors: errs}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "persons", v)
		return
	}
	var (
		list catalog.List[catalog.Person]
		err  error
	)
	if text := strings.TrimSpace(q.Get("q")); text != "" {
		list, err = s.store.SearchPersons(r.Context(), text, page)
	} else {
		list, err = s.store.ListPersons(r.Context(), catalog.PersonFilter{Page: page})
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("search persons: %w", err))
		return
	}
	v.Data = personsData{Results: list, Pages: newPager(r.URL, list)}
	s.render(w, r, http.StatusOK, "persons", v)
}

type personData struct {
	Person *catalog.PersonDetail
	// Primary is the primary photo, and Gallery the others.
	Primary *catalog.Photo
	Gallery []catalog.Photo
}

// person shows a person's photos, biography, age, country and filmography.
func (s *server) person(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	p, err := s.store.PersonDetail(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("person %d: %w", id, err))
		return
	}
	data := personData{Person: p}
	for i := range p.Photos {
		if p.Photos[i].IsPrimary && data.Primary == nil {
			data.Primary = &p.Photos[i]
		} else {
			data.Gallery = append(data.Gallery, p.Photos[i])
		}
	}
	s.render(w, r, http.StatusOK, "person", view{Title: strings.TrimSpace(p.FirstName + " " + p.LastName), Data: data})
}

// filmographyData is a page of one of a person's filmographies: Directed
// or Played, the other nil.
type filmographyData struct {
	Person   *catalog.Person
	Directed *catalog.List[catalog.MovieBrief]
	Played   *catalog.List[catalog.PlayedRole]
	Pages    pager
}

// directed lists the movies a person directs, newest release first, a
// page at a time: the person page shows the first few.
func (s *server) directed(w http.ResponseWriter, r *http.Request) {
	s.filmography(w, r, func(ctx context.Context, id int64, page catalog.Page, d *filmographyData) error {
		l, err := s.store.PersonDirected(ctx, id, page)
		d.Directed, d.Pages = &l, newPager(r.URL, l)
		return err
	})
}

// played lists the characters a person plays, newest release first, a
// page at a time.
func (s *server) played(w http.ResponseWriter, r *http.Request) {
	s.filmography(w, r, func(ctx context.Context, id int64, page catalog.Page, d *filmographyData) error {
		l, err := s.store.PersonPlayed(ctx, id, page)
		d.Played, d.Pages = &l, newPager(r.URL, l)
		return err
	})
}

// filmography renders the page of a person's filmography that list reads.
func (s *server) filmography(w http.ResponseWriter, r *http.Request,
	list func(ctx context.Context, id int64, page catalog.Page, d *filmographyData) error) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	errs := map[string]string{}
	page := listPage(r.URL.Query(), filmographyPageSize, errs)
	if len(errs) > 0 {
		s.errorPage(w, r, http.StatusBadRequest, "This page does not exist: start again from the first page.")
		return
	}
	p, err := s.store.PersonByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("person %d: %w", id, err))
		return
	}
	d := filmographyData{Person: p}
	if err := list(r.Context(), id, page, &d); err != nil {
		s.fail(w, r, fmt.Errorf("filmography of person %d: %w", id, err))
		return
	}
	s.render(w, r, http.StatusOK, "filmography", view{Title: strings.TrimSpace(p.FirstName + " " + p.LastName), Data: d})
}

// filmographyPageSize is how many credits a page of a filmography lists.
const filmographyPageSize = 50
