package catalog

import "time"

// A User is an account of a person who keeps favorites or edits the catalog.
type User struct {
	ID        int64
	Username  string
	FirstName string
	LastName  string
	Email     string
	// PasswordHash is the argon2id hash kept in users.password; it never
	// leaves the server.
	PasswordHash string
	AvatarFileID *int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// UserUpdate holds the fields of a user to change; nil means unchanged.
type UserUpdate struct {
	Username     *string
	FirstName    *string
	LastName     *string
	Email        *string
	PasswordHash *string
	AvatarFileID *Nullable[int64]
}

// UserFilter selects users to list.
type UserFilter struct {
	Page Page
}

// A Favorite records that a user keeps a movie among their favorites.
type Favorite struct {
	UserID    int64
	MovieID   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}
