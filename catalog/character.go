package catalog

import "time"

// Roles a character plays in a movie, in billing order.
const (
	RoleLeading    = "leading"
	RoleSupporting = "supporting"
	RoleBackground = "background"
)

// Roles lists every valid role, leading first.
var Roles = []string{RoleLeading, RoleSupporting, RoleBackground}

// A Character is a part in a story, such as "Ellen Ripley".
type Character struct {
	ID          int64
	Name        string
	Description *string
	Role        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CharacterUpdate holds the fields of a character to change; nil means unchanged.
type CharacterUpdate struct {
	Name        *string
	Description *Nullable[string]
	Role        *string
}

// CharacterFilter selects characters to list.
type CharacterFilter struct {
	Page Page
}

// A CastMember places a character in a movie, played by a person or by
// nobody known (PersonID nil).
type CastMember struct {
	MovieID     int64
	CharacterID int64
	PersonID    *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CastUpdate changes who plays a character in a movie: a nil Value means
// nobody known.
type CastUpdate struct {
	PersonID *Nullable[int64]
}
