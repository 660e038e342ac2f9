package catalog

import "time"

// Access roles of users: admins edit the catalog, users keep favorites.
const (
	UserRole  = "user"
	AdminRole = "admin"
)

// AccessRoles lists every valid access role.
var AccessRoles = []string{UserRole, AdminRole}

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
	// Role is UserRole or AdminRole; CreateUser makes a UserRole when empty.
	Role      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsAdmin reports whether u may edit the catalog.
func (u *User) IsAdmin() bool { return u.Role == AdminRole }

// UserUpdate holds the fields of a user to change; nil means unchanged.
type UserUpdate struct {
	Username     *string
	FirstName    *string
	LastName     *string
	Email        *string
	PasswordHash *string
	AvatarFileID *Nullable[int64]
	Role         *string
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

// A Token is a bearer token a user signed in with. Only its SHA-256 (Hash)
// is stored; the token itself was shown to the user once.
type Token struct {
	Hash       string
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
}

// UserFavorites is a row of the user-favorites report: a user and the ids of
// their favorite movies, oldest favorite first.
type UserFavorites struct {
	ID               int64
	Username         string
	FavoriteMovieIDs []int64
}
