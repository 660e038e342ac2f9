package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/ratelimit"
)

// ChangeProfile applies upd, a change of signed-in user u's own profile,
// by the rules the API (PATCH /me) and the account page share, and
// returns the user as stored.
//
// Each call takes one change from u's profile budget first (a
// *ratelimit.ExceededError when spent): a change can tell whether a
// username or email is taken, so it must not be free to repeat.
//
// A change of the username or the email (other than in the case of ASCII
// letters, which logins ignore) needs u's current password, checked
// against the login budget as a login is: both are logins, so whoever
// holds a stolen session must not move the account to logins of their
// choosing, locking its owner out. A
// missing or wrong current password is a *catalog.ValidationError on
// current_password, as a password change's is.
func (v *Verifier) ChangeProfile(ctx context.Context, u *catalog.User, upd catalog.UserUpdate, currentPassword string) (*catalog.User, error) {
	if err := v.limits.ProfileByAccount.Take(ratelimit.UserKey(u.ID)); err != nil {
		return nil, err
	}
	invalid := &catalog.ValidationError{}
	invalid.Merge(upd.Validate())
	needsPassword := changes(upd.Username, u.Username) || changes(upd.Email, u.Email)
	if needsPassword && currentPassword == "" {
		invalid.Add("current_password", "is required to change the username or email")
	}
	if err := invalid.Err(); err != nil {
		return nil, err
	}
	if needsPassword {
		switch err := v.CheckPassword(ctx, u, currentPassword); {
		case errors.Is(err, ErrMismatch):
			return nil, catalog.Invalid("current_password", "is wrong")
		case err != nil:
			return nil, err
		}
	}
	if upd == (catalog.UserUpdate{}) {
		return u, nil
	}
	updated, err := v.store.UpdateUser(ctx, u.ID, upd)
	if err != nil {
		return nil, fmt.Errorf("auth: change profile of user %d: %w", u.ID, err)
	}
	return updated, nil
}

// changes reports whether a new login value, when given, names another
// login than current. Only ASCII letters fold: SQLite's lower(), which
// logins are matched with there, folds no other, so a change of any other
// letter's case changes the login.
func changes(value *string, current string) bool {
	return value != nil && foldASCII(*value) != foldASCII(current)
}

func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}
