package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/moviedb/moviedb/catalog"
)

// Errors here never quote a password hash, and never the login a client
// typed either: a user sometimes types a password there by mistake.

const userColumns = `id, username, first_name, last_name, email, password, avatar_file_id, role, "createdAt", "updatedAt"`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*catalog.User, error) {
	var (
		u      catalog.User
		avatar sql.NullInt64
	)
	dest := append([]any{&u.ID, &u.Username, &u.FirstName, &u.LastName, &u.Email, &u.PasswordHash, &avatar,
		&u.Role, &u.CreatedAt, &u.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.AvatarFileID = int64Of(avatar)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// CreateUser inserts u, its PasswordHash going into users.password, and sets
// its ID and timestamps. A username or email that exists already in any
// case is a *catalog.ConflictError on username or email; an avatar file
// that does not exist is a *catalog.ValidationError on avatar_file_id.
func (s *Store) CreateUser(ctx context.Context, u *catalog.User) error {
	var created *catalog.User
	role := u.Role
	if role == "" {
		role = catalog.UserRole
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, fileRef("avatar_file_id", u.AvatarFileID)); err != nil {
			return err
		}
		var err error
		created, err = scanUser(tx.QueryRowContext(ctx, `INSERT INTO users
			(username, first_name, last_name, email, password, avatar_file_id, role, "createdAt", "updatedAt")
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING `+userColumns,
			u.Username, u.FirstName, u.LastName, u.Email, u.PasswordHash, u.AvatarFileID, role, tx.now))
		return translate(err, opWrite)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: create user: %w", err)
	}
	*u = *created
	return nil
}

// UserByID returns the user with id, or catalog.ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (*catalog.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: user %d: %w", id, translate(err, opWrite))
	}
	return u, nil
}

// UserByUsername returns the user with username in any case, or
// catalog.ErrNotFound.
func (s *Store) UserByUsername(ctx context.Context, username string) (*catalog.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx,
		"SELECT "+userColumns+" FROM users WHERE lower(username) = lower($1)", username))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: user %q: %w", username, translate(err, opWrite))
	}
	return u, nil
}

// UserByEmail returns the user with email in any case, or catalog.ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (*catalog.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx,
		"SELECT "+userColumns+" FROM users WHERE lower(email) = lower($1)", email))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: user by email: %w", translate(err, opWrite))
	}
	return u, nil
}

// UserByLogin returns the user whose username or email is login, in any
// case, or catalog.ErrNotFound. Should login be one user's username and
// another's email, the username wins.
func (s *Store) UserByLogin(ctx context.Context, login string) (*catalog.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, "SELECT "+userColumns+` FROM users
		WHERE lower(username) = lower($1) OR lower(email) = lower($1)
		ORDER BY CASE WHEN lower(username) = lower($1) THEN 0 ELSE 1 END LIMIT 1`, login))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: user by login: %w", translate(err, opWrite))
	}
	return u, nil
}

// UpdateUser changes the fields upd sets and returns the user. The rules of
// CreateUser apply to the new values.
func (s *Store) UpdateUser(ctx context.Context, id int64, upd catalog.UserUpdate) (*catalog.User, error) {
	var set setList
	var avatar *int64
	if upd.Username != nil {
		set.add("username", *upd.Username)
	}
	if upd.FirstName != nil {
		set.add("first_name", *upd.FirstName)
	}
	if upd.LastName != nil {
		set.add("last_name", *upd.LastName)
	}
	if upd.Email != nil {
		set.add("email", *upd.Email)
	}
	if upd.PasswordHash != nil {
		set.add("password", *upd.PasswordHash)
	}
	if upd.AvatarFileID != nil {
		avatar = upd.AvatarFileID.Value
		set.add("avatar_file_id", nullableArg(upd.AvatarFileID))
	}
	if upd.Role != nil {
		set.add("role", *upd.Role)
	}
	var u *catalog.User
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, fileRef("avatar_file_id", avatar)); err != nil {
			return err
		}
		q, args := set.updateSQL(tx, "users", []string{"id"}, []any{id}, userColumns)
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, q, args...))
		return translate(err, opWrite)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: update user %d: %w", id, err)
	}
	return u, nil
}

// ChooseAvatar makes file fileID the avatar of user userID, who must have
// uploaded it: a file without an uploader (from before uploads recorded
// it, imported, or an image by reference) or another user's upload is a
// *catalog.ForbiddenError on avatar_file_id, and a file that does not
// exist a *catalog.ValidationError on it. The check and the change are one
// transaction on the primary, so a file just uploaded is found, and the
// file is locked against a delete until the link is made.
func (s *Store) ChooseAvatar(ctx context.Context, userID, fileID int64) (*catalog.User, error) {
	var u *catalog.User
	err := s.inTx(ctx, func(tx *Tx) error {
		var uploader sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT uploader_id FROM img_files WHERE id = $1"+s.lockSuffix("KEY SHARE"), fileID).Scan(&uploader)
		if errors.Is(err, sql.ErrNoRows) {
			return catalog.Invalid("avatar_file_id", fmt.Sprintf("no file has id %d", fileID))
		}
		if err != nil {
			return fmt.Errorf("find uploader of file %d: %w", fileID, err)
		}
		if !uploader.Valid || uploader.Int64 != userID {
			return &catalog.ForbiddenError{Field: "avatar_file_id", Message: "is not a file you uploaded; only your own uploads can be your avatar"}
		}
		var set setList
		set.add("avatar_file_id", fileID)
		q, args := set.updateSQL(tx, "users", []string{"id"}, []any{userID}, userColumns)
		u, err = scanUser(tx.QueryRowContext(ctx, q, args...))
		return translate(err, opWrite)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: choose avatar of user %d: %w", userID, err)
	}
	return u, nil
}

// DeleteUser deletes a user with their favorites.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "users", id)
}

// ListUsers returns a page of users ordered by id, its total counted up to
// catalog.MaxExactTotal.
func (s *Store) ListUsers(ctx context.Context, f catalog.UserFilter) (catalog.List[catalog.User], error) {
	q := keysetQuery{columns: userColumns, from: "FROM users", order: byID("users")}
	return listPage(ctx, s, "list users", q, f.Page, scanUser, boundedCount)
}
