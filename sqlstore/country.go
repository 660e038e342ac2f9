package sqlstore

import (
	"context"

	"github.com/moviedb/moviedb/catalog"
)

func countryOf(n namedRow) *catalog.Country {
	c := catalog.Country(n)
	return &c
}

// CreateCountry inserts c and sets its ID and timestamps. A name that exists
// already (in any case) is a *catalog.ConflictError.
func (s *Store) CreateCountry(ctx context.Context, c *catalog.Country) error {
	n, err := s.createNamed(ctx, countriesTable, c.Name)
	if err != nil {
		return err
	}
	*c = *countryOf(n)
	return nil
}

// CountryByID returns the country with id, or catalog.ErrNotFound.
func (s *Store) CountryByID(ctx context.Context, id int64) (*catalog.Country, error) {
	n, err := s.namedByID(ctx, countriesTable, id)
	if err != nil {
		return nil, err
	}
	return countryOf(n), nil
}

// CountryByName returns the country named name in any case, or catalog.ErrNotFound.
func (s *Store) CountryByName(ctx context.Context, name string) (*catalog.Country, error) {
	n, err := s.namedByName(ctx, countriesTable, name)
	if err != nil {
		return nil, err
	}
	return countryOf(n), nil
}

// UpdateCountry changes the fields upd sets and returns the country.
func (s *Store) UpdateCountry(ctx context.Context, id int64, upd catalog.CountryUpdate) (*catalog.Country, error) {
	n, err := s.updateNamed(ctx, countriesTable, id, upd.Name)
	if err != nil {
		return nil, err
	}
	return countryOf(n), nil
}

// DeleteCountry deletes a country. While movies or persons refer to it, it
// is a *catalog.ConflictError and nothing changes.
func (s *Store) DeleteCountry(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, countriesTable, id, movieCountryFK, personCountryFK)
}

// ListCountries returns a page of countries ordered by name.
func (s *Store) ListCountries(ctx context.Context, f catalog.CountryFilter) (catalog.List[catalog.Country], error) {
	l, err := s.listNamed(ctx, countriesTable, f.Page)
	return convertList(l, func(n namedRow) catalog.Country { return catalog.Country(n) }), err
}

func convertList[A, B any](l catalog.List[A], conv func(A) B) catalog.List[B] {
	out := catalog.List[B]{Page: l.Page, Total: l.Total, TotalRelation: l.TotalRelation, NextCursor: l.NextCursor,
		Items: make([]B, len(l.Items))}
	for i, a := range l.Items {
		out.Items[i] = conv(a)
	}
	return out
}
