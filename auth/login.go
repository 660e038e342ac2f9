package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/moviedb/moviedb/catalog"
)

// An AccountStore finds accounts by login and stores new password hashes.
// *sqlstore.Store satisfies it.
type AccountStore interface {
	UserByLogin(ctx context.Context, login string) (*catalog.User, error)
	UpdateUser(ctx context.Context, id int64, upd catalog.UserUpdate) (*catalog.User, error)
}

// A Verifier checks logins against the stored password hashes. The API and
// the web pages share it, so that both take as long for a login naming no
// account as for a wrong password, and both move old hashes to the
// configured costs.
type Verifier struct {
	store  AccountStore
	params Params
	log    *slog.Logger
	// dummy is verified against when a login names no account; made on
	// first use with the configured costs.
	dummy func() string
}

// NewVerifier returns a Verifier over store hashing with params (the zero
// value means DefaultParams). log receives the accounts whose stored hash
// cannot be read; nil discards them.
func NewVerifier(store AccountStore, params Params, log *slog.Logger) *Verifier {
	if params == (Params{}) {
		params = DefaultParams
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Verifier{store: store, params: params, log: log, dummy: sync.OnceValue(func() string {
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
func (v *Verifier) Verify(ctx context.Context, login, password string) (*catalog.User, error) {
	u, err := v.store.UserByLogin(ctx, login)
	if errors.Is(err, catalog.ErrNotFound) {
		_ = VerifyPassword(password, v.dummy())
		return nil, ErrMismatch
	}
	if err != nil {
		return nil, fmt.Errorf("auth: find account: %w", err)
	}
	switch err := VerifyPassword(password, u.PasswordHash); {
	case errors.Is(err, ErrMismatch):
		return nil, ErrMismatch
	case err != nil:
		v.log.LogAttrs(ctx, slog.LevelError, "login: stored password hash unusable",
			slog.Int64("user_id", u.ID), slog.String("error", err.Error()))
		return nil, ErrMismatch
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
