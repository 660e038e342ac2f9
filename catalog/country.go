package catalog

import "time"

// A Country is a country of production or of birth.
type Country struct {
	ID        int64
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CountryUpdate holds the fields of a country to change; nil means unchanged.
type CountryUpdate struct {
	Name *string
}

// CountryFilter selects countries to list.
type CountryFilter struct {
	Page Page
}
