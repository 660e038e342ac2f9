package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// countryJSON is a country as clients see it.
type countryJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func newCountryJSON(c *catalog.Country) countryJSON {
	return countryJSON{ID: c.ID, Name: c.Name, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
}

// nameInput is the body that creates a country or a genre.
type nameInput struct {
	Name string `json:"name"`
}

// namePatch is the body that changes a country or a genre.
type namePatch struct {
	Name optional[string] `json:"name"`
}

// name returns the new name a PATCH sets, nil when it leaves it alone, or
// a *catalog.ValidationError: a name cannot be null, and follows the rules
// of catalog.ValidateName.
func (p *namePatch) name() (*string, error) {
	v := &catalog.ValidationError{}
	name := nonNull(v, "name", p.Name)
	if name != nil {
		v.Merge(catalog.ValidateName(*name))
	}
	return name, v.Err()
}

// listCountries answers a page of countries ordered by name.
func (s *server) listCountries(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.ListCountries(r.Context(), catalog.CountryFilter{Page: page})
	if err != nil {
		s.writeError(w, r, fmt.Errorf("list countries: %w", err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, newListJSON(list, newCountryJSON))
}

// createCountry adds a country; its name is unique without regard to case.
func (s *server) createCountry(w http.ResponseWriter, r *http.Request) {
	var in nameInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := catalog.ValidateName(in.Name); err != nil {
		s.writeError(w, r, err)
		return
	}
	c := &catalog.Country{Name: in.Name}
	if err := s.store.CreateCountry(r.Context(), c); err != nil {
		s.writeError(w, r, fmt.Errorf("create country: %w", err))
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/countries/%d", c.ID))
	s.writeJSON(w, r, http.StatusCreated, newCountryJSON(c))
}

// getCountry answers one country.
func (s *server) getCountry(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.store.CountryByID(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("get country: %w", err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, newCountryJSON(c))
}

// patchCountry renames a country.
func (s *server) patchCountry(w http.ResponseWriter, r *http.Request) {
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
	var c *catalog.Country
	if name == nil {
		c, err = s.store.CountryByID(r.Context(), id)
	} else {
		c, err = s.store.UpdateCountry(r.Context(), id, catalog.CountryUpdate{Name: name})
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("update country %d: %w", id, err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, newCountryJSON(c))
}

// deleteCountry deletes a country that no movie or person refers to.
func (s *server) deleteCountry(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.DeleteCountry(r.Context(), id); err != nil {
		s.writeError(w, r, fmt.Errorf("delete country %d: %w", id, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
