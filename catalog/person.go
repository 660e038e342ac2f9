package catalog

import "time"

// Genders a person may have; a person's gender may also be unknown (nil).
const (
	GenderFemale    = "female"
	GenderMale      = "male"
	GenderNonBinary = "non-binary"
	GenderOther     = "other"
)

// Genders lists every valid gender value.
var Genders = []string{GenderFemale, GenderMale, GenderNonBinary, GenderOther}

// A Person is someone who directs movies or plays characters in them.
type Person struct {
	ID          int64
	FirstName   string
	LastName    string
	Biography   *string
	DateOfBirth *Date
	Gender      *string
	CountryID   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PersonUpdate holds the fields of a person to change; nil means unchanged.
type PersonUpdate struct {
	FirstName   *string
	LastName    *string
	Biography   *Nullable[string]
	DateOfBirth *Nullable[Date]
	Gender      *Nullable[string]
	CountryID   *Nullable[int64]
	// IfUpdatedAt, when set, makes the update happen only if the row's
	// updatedAt still equals it; otherwise it fails with
	// ErrPreconditionFailed and changes nothing.
	IfUpdatedAt *time.Time
}

// PersonFilter selects persons to list.
type PersonFilter struct {
	Page Page
}

// A PersonPhoto links a person to a photo file; at most one of a person's
// photos is primary.
type PersonPhoto struct {
	PersonID  int64
	FileID    int64
	IsPrimary bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PersonPhotoUpdate holds the fields of a person's photo to change.
// Only making a photo primary is an update: a person always has exactly one
// primary photo while they have any.
type PersonPhotoUpdate struct {
	IsPrimary *bool
}
