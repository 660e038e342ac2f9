package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/ratelimit"
)

// An AccountStore finds accounts by login and stores new password hashes.
// *sqlstore.Store satisfies it.
type AccountStore interface {
	UserByLogin(ctx context.Context, login string) (*catalog.User, error)
	UpdateUser(ctx context.Context, id int64, upd catalog.UserUpdate) (*catalog.User, error)
}

// A Verifier checks logins and the current password a signed-in user
// gives, and applies profile changes, each within the account's rate
// limits. The API and the web pages share its rules (each has a Verifier
// over the same store, costs and limiters), so that both take as long for
// a login naming no account as for a wrong password, both count every
// guess at an account's password in one budget, and both move old hashes
// to the configured costs.
type Verifier struct {
	store  AccountStore
	params Params
	limits *ratelimit.Auth
	log    *slog.Logger
	// dummy is verified against when a login names no account; made on
	// first use with the configured costs.
	dummy func() string
}

// NewVerifier returns a Verifier over store hashing with params (the zero
// value means DefaultParams) and limited by limits (nil means limiters of
// its own with ratelimit.DefaultAuth). log receives the accounts whose
// stored hash cannot be read; nil discards them.
func NewVerifier(store AccountStore, params Params, limits *ratelimit.Auth, log *slog.Logger) *Verifier {
	if params == (Params{}) {
		params = DefaultParams
	}
	if limits == nil {
		limits = ratelimit.NewAuth(ratelimit.DefaultAuth, nil)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Verifier{store: store, params: params, limits: limits, log: log, dummy: sync.OnceValue(func() string {
		// crypto/rand does not fail on supported platforms; were it to,
		// the empty hash fails verification at once.
		h, _ := HashPassword("moviedb-no-such-account", params)
		return h
	})}
}

// Verify returns the user whose username or email is login when password
// is theirs. It returns an error wrapping ErrMismatch when it is not, when
// no account has that login (after as long a check), and when the stored
// hash cannot be read (which it logs: the account cannot log in, and the
// client learns no more than from a wrong password). A hash made with other
// costs than the Verifier's is replaced; a failure to store the new one
// only delays it to a later login.
//
// Each call takes one attempt from the account's login budget first, and
// returns a *ratelimit.ExceededError when it is spent. The budget is the
// account's, not the login's: its username and email, in any case, share
// it. A login that names no account has a budget of its own, keyed by the
// folded login, so that guesses at it are refused alike: both answers,
// and the work before them (a lookup, a hash), are the same whether the
// account exists or not.
func (v *Verifier) Verify(ctx context.Context, login, password string) (*catalog.User, error) {
	u, err := v.store.UserByLogin(ctx, login)
	key := ""
	switch {
	case errors.Is(err, catalog.ErrNotFound):
		u, key = nil, ratelimit.LoginKey(login)
	case err != nil:
		return nil, fmt.Errorf("auth: find account: %w", err)
	default:
		key = ratelimit.UserKey(u.ID)
	}
	if err := v.limits.LoginByAccount.Take(key); err != nil {
		return nil, err
	}
	if u == nil {
		_ = VerifyPassword(password, v.dummy())
		return nil, ErrMismatch
	}
	if err := v.check(ctx, u, password); err != nil {
		return nil, err
	}
	if NeedsRehash(u.PasswordHash, v.params) {
		hash, err := HashPassword(password, v.params)
		if err == nil {
			var updated *catalog.User
			if updated, err = v.store.UpdateUser(ctx, u.ID, catalog.UserUpdate{PasswordHash: &hash}); err == nil {
				return updated, nil
			}
		}
		v.log.LogAttrs(ctx, slog.LevelWarn, "login: rehash password",
			slog.Int64("user_id", u.ID), slog.String("error", err.Error()))
	}
	return u, nil
}

// CheckPassword reports whether password is signed-in user u's current
// one: nil when it is, ErrMismatch when not (or when the stored hash
// cannot be read, which it logs). It takes one attempt from u's login
// budget first, as a login does, so that a stolen session guesses no
// faster than a login form; a spent budget is a *ratelimit.ExceededError.
func (v *Verifier) CheckPassword(ctx context.Context, u *catalog.User, password string) error {
	if err := v.limits.LoginByAccount.Take(ratelimit.UserKey(u.ID)); err != nil {
		return err
	}
	return v.check(ctx, u, password)
}

// check verifies password against u's stored hash.
func (v *Verifier) check(ctx context.Context, u *catalog.User, password string) error {
	switch err := VerifyPassword(password, u.PasswordHash); {
	case errors.Is(err, ErrMismatch):
		return ErrMismatch
	case err != nil:
		v.log.LogAttrs(ctx, slog.LevelError, "login: stored password hash unusable",
			slog.Int64("user_id", u.ID), slog.String("error", err.Error()))
		return ErrMismatch
	}
	return nil
}
