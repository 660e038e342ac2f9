package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
)

// userJSON is an account as its owner sees it; the password hash never
// leaves the server.
type userJSON struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	FirstName    string    `json:"first_name"`
	LastName     string    `json:"last_name"`
	Email        string    `json:"email"`
	Role         string    `json:"role"`
	AvatarFileID *int64    `json:"avatar_file_id"`
	Avatar       *fileJSON `json:"avatar"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func (s *server) newUserJSON(u *catalog.User) userJSON {
	return userJSON{
		ID:           u.ID,
		Username:     u.Username,
		FirstName:    u.FirstName,
		LastName:     u.LastName,
		Email:        u.Email,
		Role:         u.Role,
		AvatarFileID: u.AvatarFileID,
		CreatedAt:    u.CreatedAt.UTC(),
		UpdatedAt:    u.UpdatedAt.UTC(),
	}
}

// meJSON returns u with their avatar's file object, which costs a query
// when they have one.
func (s *server) meJSON(r *http.Request, u *catalog.User) (userJSON, error) {
	out := s.newUserJSON(u)
	if u.AvatarFileID != nil {
		f, err := s.store.FileByID(r.Context(), *u.AvatarFileID)
		if err != nil && !errors.Is(err, catalog.ErrNotFound) {
			return out, fmt.Errorf("avatar of user %d: %w", u.ID, err)
		}
		out.Avatar = s.newFileJSON(f)
	}
	return out, nil
}

// writeMe answers u's account with their avatar.
func (s *server) writeMe(w http.ResponseWriter, r *http.Request, u *catalog.User) {
	out, err := s.meJSON(r, u)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// getMe answers the requesting user's account.
func (s *server) getMe(w http.ResponseWriter, r *http.Request) {
	s.writeMe(w, r, userOf(r))
}

// patchMeInput holds the profile fields a PATCH /me may change; absent (or
// null) fields stay as they are. CurrentPassword is needed to change the
// username or email.
type patchMeInput struct {
	Username        *string `json:"username"`
	FirstName       *string `json:"first_name"`
	LastName        *string `json:"last_name"`
	Email           *string `json:"email"`
	CurrentPassword string  `json:"current_password"`
}

// patchMe changes the requesting user's profile, with the rules of
// registration, within the account's budget of profile changes, and given
// the current password to change a login (see auth.Verifier.ChangeProfile).
func (s *server) patchMe(w http.ResponseWriter, r *http.Request) {
	var in patchMeInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	upd := catalog.UserUpdate{Username: in.Username, FirstName: in.FirstName, LastName: in.LastName, Email: in.Email}
	u, err := s.verifier.ChangeProfile(r.Context(), userOf(r), upd, in.CurrentPassword)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("update profile: %w", err))
		return
	}
	s.writeMe(w, r, u)
}

type passwordInput struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// putPassword changes the requesting user's password, given the current
// one, and revokes their other tokens: whoever else held one must log in
// with the new password.
func (s *server) putPassword(w http.ResponseWriter, r *http.Request) {
	var in passwordInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	v := &catalog.ValidationError{}
	if in.CurrentPassword == "" {
		v.Add("current_password", "is required")
	}
	v.Merge(catalog.ValidatePassword("new_password", in.NewPassword))
	if err := v.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	u := userOf(r)
	// Guessing the current password through this route counts against the
	// same budget as logins to the account.
	switch err := s.verifier.CheckPassword(r.Context(), u, in.CurrentPassword); {
	case errors.Is(err, auth.ErrMismatch):
		s.writeError(w, r, catalog.Invalid("current_password", "is wrong"))
		return
	case err != nil:
		s.writeError(w, r, fmt.Errorf("change password of user %d: %w", u.ID, err))
		return
	}
	hash, err := auth.HashPassword(in.NewPassword, s.params)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("change password of user %d: %w", u.ID, err))
		return
	}
	if _, err := s.store.UpdateUser(r.Context(), u.ID, catalog.UserUpdate{PasswordHash: &hash}); err != nil {
		s.writeError(w, r, fmt.Errorf("change password of user %d: %w", u.ID, err))
		return
	}
	if _, err := s.store.RevokeUserTokens(r.Context(), u.ID, tokenHashOf(r)); err != nil {
		s.writeError(w, r, fmt.Errorf("change password of user %d: %w", u.ID, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type avatarInput struct {
	FileID *int64 `json:"file_id"`
}

// putAvatar makes an uploaded image (multipart/form-data, field "file")
// or a file the user uploaded before (JSON {"file_id"}) the requesting
// user's avatar.
func (s *server) putAvatar(w http.ResponseWriter, r *http.Request) {
	if isMultipart(r) {
		up, err := s.readUpload(w, r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		u := userOf(r)
		f, err := s.media.SaveAvatar(r.Context(), u.ID, up)
		if err != nil {
			s.writeError(w, r, fmt.Errorf("upload avatar: %w", err))
			return
		}
		out := s.newUserJSON(u)
		out.AvatarFileID, out.Avatar = &f.ID, s.newFileJSON(f)
		s.writeJSON(w, r, http.StatusOK, out)
		return
	}
	var in avatarInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	if in.FileID == nil {
		s.writeError(w, r, catalog.Invalid("file_id", "is required"))
		return
	}
	// Only the user's own upload: another user's file, or one nobody
	// uploaded (imported, by reference, from before uploads recorded
	// their uploader), is a 403. Every file's row is public (GET
	// /files/{id}), so a 404 would hide nothing.
	u, err := s.store.ChooseAvatar(r.Context(), userOf(r).ID, *in.FileID)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("set avatar: %w", renameField(err, "avatar_file_id", "file_id")))
		return
	}
	s.writeMe(w, r, u)
}

// deleteAvatar removes the requesting user's avatar; the file stays.
func (s *server) deleteAvatar(w http.ResponseWriter, r *http.Request) {
	if _, err := s.store.UpdateUser(r.Context(), userOf(r).ID, catalog.UserUpdate{AvatarFileID: catalog.Clear[int64]()}); err != nil {
		s.writeError(w, r, fmt.Errorf("remove avatar: %w", err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// renameField returns err with the message of a *catalog.ValidationError
// or *catalog.ForbiddenError on field from moved to field to, for inputs
// named otherwise than the store's columns; other errors come back
// unchanged.
func renameField(err error, from, to string) error {
	var forbidden *catalog.ForbiddenError
	if errors.As(err, &forbidden) && forbidden.Field == from {
		return &catalog.ForbiddenError{Field: to, Message: forbidden.Message}
	}
	var invalid *catalog.ValidationError
	if !errors.As(err, &invalid) {
		return err
	}
	msg, ok := invalid.Fields[from]
	if !ok {
		return err
	}
	renamed := &catalog.ValidationError{}
	for f, m := range invalid.Fields {
		if f != from {
			renamed.Add(f, m)
		}
	}
	renamed.Add(to, msg)
	return renamed
}
