package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/moviedb/moviedb/auth"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/ratelimit"
)

func (s *server) accountRoutes() []route {
	return []route{
		{"GET /register", publicAccess, s.registerForm},
		{"POST /register", publicAccess, s.register},
		{"GET /login", publicAccess, s.loginForm},
		{"POST /login", publicAccess, s.login},
		{"POST /logout", publicAccess, s.logout},
		{"GET /account", userAccess, s.account},
		{"POST /account/profile", userAccess, s.updateProfile},
		{"POST /account/password", userAccess, s.changePassword},
		{"POST /account/avatar", userAccess, s.uploadAvatar},
	}
}

// maxFormBytes bounds a form without a file.
const maxFormBytes = 64 << 10

// readForm reads a urlencoded form of at most maxFormBytes, answering 400
// itself and reporting false when it cannot.
func (s *server) readForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return false
	}
	return true
}

// finish ends a form post: an error with field messages renders the form
// again with them, through again; any other error is the error page, with
// what in the log; without an error the visitor is sent on to next.
func (s *server) finish(w http.ResponseWriter, r *http.Request, err error, what string, again func(errs map[string]string), next string) {
	if errs, ok := fieldErrors(err); ok {
		again(errs)
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("%s: %w", what, err))
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *server) registerForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "register", view{Title: "Create an account"})
}

// register creates an account with the user role and signs it in.
func (s *server) register(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.limits.RegisterByIP.Allow(ratelimit.ClientIP(r)); !ok {
		s.tooManyRequests(w, r, wait)
		return
	}
	if !s.readForm(w, r) {
		return
	}
	f := r.PostForm
	u := &catalog.User{Username: f.Get("username"), FirstName: f.Get("first_name"), LastName: f.Get("last_name"),
		Email: f.Get("email"), Role: catalog.UserRole}
	v := &catalog.ValidationError{}
	v.Merge(u.Validate())
	v.Merge(catalog.ValidatePassword("password", f.Get("password")))
	err := v.Err()
	if err == nil {
		if u.PasswordHash, err = auth.HashPassword(f.Get("password"), s.params); err != nil {
			s.fail(w, r, fmt.Errorf("register: %w", err))
			return
		}
		err = s.store.CreateUser(r.Context(), u)
	}
	if errs, ok := fieldErrors(err); ok {
		delete(f, "password")
		s.render(w, r, http.StatusUnprocessableEntity, "register", view{Title: "Create an account", Form: formValues(f), Errors: errs})
		return
	}
	if err == nil {
		err = s.startSession(w, r, u)
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("register: %w", err))
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", view{Title: "Log in",
		Form: formValues{"next": {localPath(r.URL.Query().Get("next"))}}})
}

// wrongCredentials is the one answer to a failed login, whether the login
// names no account or the password is wrong.
const wrongCredentials = "Wrong login or password."

// login checks a username or email and password, starts a session and
// goes on to the page the visitor came for.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.limits.LoginByIP.Allow(ratelimit.ClientIP(r)); !ok {
		s.tooManyRequests(w, r, wait)
		return
	}
	if !s.readForm(w, r) {
		return
	}
	login, password := r.PostForm.Get("login"), r.PostForm.Get("password")
	next := localPath(r.PostForm.Get("next"))
	again := func(status int, errs map[string]string) {
		s.render(w, r, status, "login", view{Title: "Log in", Errors: errs,
			Form: formValues{"login": {login}, "next": {next}}})
	}
	errs := map[string]string{}
	if login == "" {
		errs["login"] = "is required"
	}
	if password == "" {
		errs["password"] = "is required"
	}
	if len(errs) > 0 {
		again(http.StatusUnprocessableEntity, errs)
		return
	}
	// Verify takes the attempt from the account's budget, which the API's
	// logins share, whichever of its logins was typed.
	u, err := s.verifier.Verify(r.Context(), login, password)
	if errors.Is(err, auth.ErrMismatch) {
		again(http.StatusUnauthorized, map[string]string{"form": wrongCredentials})
		return
	}
	if err == nil {
		err = s.startSession(w, r, u)
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("login: %w", err))
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout ends the session: its token is revoked, not only forgotten.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if hash := tokenHashOf(r); hash != "" {
		if _, err := s.store.RevokeToken(r.Context(), hash); err != nil {
			s.fail(w, r, fmt.Errorf("logout: %w", err))
			return
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type accountData struct {
	Avatar *catalog.File
	// Saved names the form that was just saved, for its message.
	Saved string
}

// account shows the profile, password and avatar forms.
func (s *server) account(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil, nil, r.URL.Query().Get("saved"))
}

func (s *server) renderAccount(w http.ResponseWriter, r *http.Request, status int, form formValues, errs map[string]string, saved string) {
	u := userOf(r)
	data := accountData{Saved: saved}
	if u.AvatarFileID != nil {
		f, err := s.store.FileByID(r.Context(), *u.AvatarFileID)
		if err != nil && !errors.Is(err, catalog.ErrNotFound) {
			s.fail(w, r, fmt.Errorf("account: %w", err))
			return
		}
		data.Avatar = f
	}
	if form == nil {
		form = formValues{"username": {u.Username}, "first_name": {u.FirstName}, "last_name": {u.LastName}, "email": {u.Email}}
	}
	s.render(w, r, status, "account", view{Title: "Your account", Form: form, Errors: errs, Data: data})
}

// updateProfile changes the user's username, names and email, with the
// rules of the API's PATCH /me (auth.Verifier.ChangeProfile): within the
// account's budget of profile changes, and given the current password to
// change the username or email.
func (s *server) updateProfile(w http.ResponseWriter, r *http.Request) {
	if !s.readForm(w, r) {
		return
	}
	f := r.PostForm
	get := func(k string) *string { v := f.Get(k); return &v }
	upd := catalog.UserUpdate{Username: get("username"), FirstName: get("first_name"), LastName: get("last_name"), Email: get("email")}
	_, err := s.verifier.ChangeProfile(r.Context(), userOf(r), upd, f.Get("current_password"))
	s.finish(w, r, err, "update profile", func(errs map[string]string) {
		// The password form has a current_password field too: this
		// form's message goes beside this form's field.
		if msg, ok := errs["current_password"]; ok {
			delete(errs, "current_password")
			errs["profile_current_password"] = msg
		}
		delete(f, "current_password")
		s.renderAccount(w, r, http.StatusUnprocessableEntity, formValues(f), errs, "")
	}, "/account?saved=profile")
}

// changePassword changes the user's password, given the current one, and
// ends their other sessions and API tokens.
func (s *server) changePassword(w http.ResponseWriter, r *http.Request) {
	if !s.readForm(w, r) {
		return
	}
	u := userOf(r)
	current, next := r.PostForm.Get("current_password"), r.PostForm.Get("new_password")
	v := &catalog.ValidationError{}
	if current == "" {
		v.Add("current_password", "is required")
	}
	v.Merge(catalog.ValidatePassword("new_password", next))
	if v.Err() == nil {
		// Guessing the current password here counts against the same
		// budget as logins to the account.
		switch err := s.verifier.CheckPassword(r.Context(), u, current); {
		case errors.Is(err, auth.ErrMismatch):
			v.Add("current_password", "is wrong")
		case err != nil:
			s.fail(w, r, fmt.Errorf("change password of user %d: %w", u.ID, err))
			return
		}
	}
	if v.Err() != nil {
		s.renderAccount(w, r, http.StatusUnprocessableEntity, nil, v.Fields, "")
		return
	}
	hash, err := auth.HashPassword(next, s.params)
	if err == nil {
		_, err = s.store.UpdateUser(r.Context(), u.ID, catalog.UserUpdate{PasswordHash: &hash})
	}
	if err == nil {
		_, err = s.store.RevokeUserTokens(r.Context(), u.ID, tokenHashOf(r))
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("change password of user %d: %w", u.ID, err))
		return
	}
	http.Redirect(w, r, "/account?saved=password", http.StatusSeeOther)
}

// uploadAvatar makes an uploaded image the user's avatar.
func (s *server) uploadAvatar(w http.ResponseWriter, r *http.Request) {
	if s.media == nil {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	u := userOf(r)
	err := s.upload(w, r, "avatar", func(name string, file uploadFile) error {
		_, err := s.media.SetAvatar(r.Context(), u.ID, name, file)
		return err
	})
	s.finishUpload(w, r, "avatar", err, fmt.Sprintf("upload avatar of user %d", u.ID), func(status int, errs map[string]string) {
		s.renderAccount(w, r, status, nil, errs, "")
	}, "/account?saved=avatar")
}

// tooManyRequests answers 429 with a Retry-After of whole seconds.
func (s *server) tooManyRequests(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := ratelimit.RetryAfterSeconds(wait)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.errorPage(w, r, http.StatusTooManyRequests,
		"Too many attempts. Please wait "+strconv.Itoa(secs)+" seconds and try again.")
}
