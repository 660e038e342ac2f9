package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

func (s *server) personRoutes() []route {
	return []route{
		{"GET /persons", publicAccess, s.searchPersons},
		{"GET /persons/{id}", publicAccess, s.person},
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
	page := catalog.Page{Number: 1, Size: searchPageSize}
	if p := intField(q, "page", 1, 1_000_000, errs); p != nil {
		page.Number = *p
	}
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
	v.Data = personsData{Results: list, Pages: newPager(r.URL, list.Page, list.Total)}
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
