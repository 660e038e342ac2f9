package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// parsePersonForm reads a person form; every field is set, an empty
// optional field clearing its column.
func parsePersonForm(f url.Values, today catalog.Date) (catalog.PersonUpdate, *catalog.ValidationError) {
	errs := &catalog.ValidationError{}
	first, last := f.Get("first_name"), f.Get("last_name")
	upd := catalog.PersonUpdate{FirstName: &first, LastName: &last}
	upd.Biography = optional(f.Get("biography"), func(s string) (string, error) { return s, nil }, "biography", errs)
	upd.DateOfBirth = optional(strings.TrimSpace(f.Get("date_of_birth")), catalog.ParseDate, "date_of_birth", errs)
	upd.Gender = optional(f.Get("gender"), func(s string) (string, error) { return s, nil }, "gender", errs)
	upd.CountryID = optional(strings.TrimSpace(f.Get("country_id")), parseID, "country_id", errs)
	if t, err := time.Parse(time.RFC3339Nano, f.Get("updated_at")); err == nil {
		upd.IfUpdatedAt = &t
	}
	errs.Merge(upd.Validate(today))
	return upd, errs
}

type personEditData struct {
	// Person is nil on the form of a new person.
	Person    *catalog.PersonDetail
	Countries []catalog.Country
}

// renderPersonForm shows the person form with form's values and errs, or
// with the person's own values when form is nil.
func (s *server) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, p *catalog.PersonDetail, form formValues, errs map[string]string) {
	countries, err := allCountries(r, s.store)
	if err != nil {
		s.fail(w, r, fmt.Errorf("person form: %w", err))
		return
	}
	title := "New person"
	if p != nil {
		title = "Edit " + strings.TrimSpace(p.FirstName+" "+p.LastName)
		if form == nil {
			form = formValues{"first_name": {p.FirstName}, "last_name": {p.LastName}, "biography": {deref(p.Biography)},
				"gender": {deref(p.Gender)}, "country_id": {optID(p.CountryID)},
				"updated_at": {p.UpdatedAt.UTC().Format(time.RFC3339Nano)}}
			if p.DateOfBirth != nil {
				form["date_of_birth"] = []string{p.DateOfBirth.String()}
			}
		}
	}
	s.render(w, r, status, "person_edit", view{Title: title, Form: form, Errors: errs,
		Data: personEditData{Person: p, Countries: countries}})
}

func (s *server) newPersonForm(w http.ResponseWriter, r *http.Request) {
	s.renderPersonForm(w, r, http.StatusOK, nil, formValues{}, nil)
}

// createPerson creates a person and opens their form, where photos are
// added.
func (s *server) createPerson(w http.ResponseWriter, r *http.Request) {
	if !s.readForm(w, r) {
		return
	}
	upd, errs := parsePersonForm(r.PostForm, todayOf(s.now()))
	err := errs.Err()
	p := &catalog.Person{} // its id makes the next URL, used only once it is created
	if err == nil {
		p = &catalog.Person{FirstName: *upd.FirstName, LastName: *upd.LastName, Biography: upd.Biography.Value,
			DateOfBirth: upd.DateOfBirth.Value, Gender: upd.Gender.Value, CountryID: upd.CountryID.Value}
		err = s.store.CreatePerson(r.Context(), p)
	}
	s.finish(w, r, err, "create person", func(fields map[string]string) {
		s.renderPersonForm(w, r, http.StatusUnprocessableEntity, nil, formValues(r.PostForm), fields)
	}, fmt.Sprintf("/persons/%d/edit", p.ID))
}

// personFor reads the person of the path for a form, answering 404 itself.
func (s *server) personFor(w http.ResponseWriter, r *http.Request) (*catalog.PersonDetail, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return nil, false
	}
	p, err := s.store.PersonDetail(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("person %d: %w", id, err))
		return nil, false
	}
	return p, true
}

func (s *server) editPersonForm(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.personFor(w, r); ok {
		s.renderPersonForm(w, r, http.StatusOK, p, nil, nil)
	}
}

// updatePerson saves the person form.
func (s *server) updatePerson(w http.ResponseWriter, r *http.Request) {
	p, ok := s.personFor(w, r)
	if !ok {
		return
	}
	if !s.readForm(w, r) {
		return
	}
	upd, errs := parsePersonForm(r.PostForm, todayOf(s.now()))
	err := errs.Err()
	if err == nil {
		_, err = s.store.UpdatePerson(r.Context(), p.ID, upd)
		if errors.Is(err, catalog.ErrPreconditionFailed) {
			err = catalog.Invalid("form", "This person "+staleMessage+".")
		}
	}
	s.finish(w, r, err, fmt.Sprintf("update person %d", p.ID), func(fields map[string]string) {
		s.renderPersonForm(w, r, http.StatusUnprocessableEntity, p, formValues(r.PostForm), fields)
	}, fmt.Sprintf("/persons/%d", p.ID))
}

// deletePerson deletes a person who directs no movie; one who does gets
// the conflict page saying so.
func (s *server) deletePerson(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	if err := s.store.DeletePerson(r.Context(), id); err != nil {
		s.fail(w, r, fmt.Errorf("delete person %d: %w", id, err))
		return
	}
	http.Redirect(w, r, "/persons", http.StatusSeeOther)
}

// uploadPhoto adds an uploaded image to the person's photos.
func (s *server) uploadPhoto(w http.ResponseWriter, r *http.Request) {
	if s.media == nil {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	p, ok := s.personFor(w, r)
	if !ok {
		return
	}
	err := s.upload(w, r, "photo", func(name string, f uploadFile) error {
		_, err := s.media.AddPersonPhoto(r.Context(), p.ID, userOf(r).ID, name, f)
		return err
	})
	s.finishUpload(w, r, "photo", err, fmt.Sprintf("upload photo of person %d", p.ID), func(status int, fields map[string]string) {
		s.renderPersonForm(w, r, status, p, nil, fields)
	}, fmt.Sprintf("/persons/%d/edit#photos", p.ID))
}

// makePhotoPrimary makes one of the person's photos the primary one.
func (s *server) makePhotoPrimary(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	fileID, ok2 := pathID(r, "file_id")
	if !ok1 || !ok2 {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	primary := true
	if _, err := s.store.UpdatePersonPhoto(r.Context(), id, fileID, catalog.PersonPhotoUpdate{IsPrimary: &primary}); err != nil {
		s.fail(w, r, fmt.Errorf("primary photo %d of person %d: %w", fileID, id, err))
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/persons/%d/edit#photos", id), http.StatusSeeOther)
}
