package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// lastUsedGranularity is how stale a token's last_used_at may get: a token
// used again within it is not written to, so reads stay reads.
const lastUsedGranularity = time.Minute

// CreateToken stores a new token of a user. Hash must be the SHA-256 hex of
// the token; CreatedAt is set to now. It also deletes tokens that expired,
// which keeps the table to live tokens without a background job.
func (s *Store) CreateToken(ctx context.Context, t *catalog.Token) error {
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, userRef(t.UserID)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM auth_tokens WHERE expires_at <= $1", tx.now); err != nil {
			return fmt.Errorf("delete expired tokens: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at)
			VALUES ($1, $2, $3, $4)`, t.Hash, t.UserID, tx.now, t.ExpiresAt.UTC())
		if err != nil {
			return translate(err, opWrite)
		}
		t.CreatedAt, t.LastUsedAt = tx.now, nil
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: create token for user %d: %w", t.UserID, err)
	}
	return nil
}

// UserByToken returns the user a live token with hash belongs to, and the
// token. An unknown, expired or revoked token is catalog.ErrNotFound. It
// records when the token was last used, to the minute.
func (s *Store) UserByToken(ctx context.Context, hash string) (*catalog.User, *catalog.Token, error) {
	now := s.timestamp()
	var (
		t        = catalog.Token{Hash: hash}
		lastUsed sql.NullTime
	)
	u, err := scanUser(s.reader().QueryRowContext(ctx, `SELECT `+prefixed("u", userColumns)+`,
			t.user_id, t.created_at, t.expires_at, t.last_used_at
		FROM auth_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.expires_at > $2`, hash, now),
		&t.UserID, &t.CreatedAt, &t.ExpiresAt, &lastUsed)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlstore: user by token: %w", translate(err, opWrite))
	}
	t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC()
	if lastUsed.Valid {
		at := lastUsed.Time.UTC()
		t.LastUsedAt = &at
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= lastUsedGranularity {
		if _, err := s.write.ExecContext(ctx,
			"UPDATE auth_tokens SET last_used_at = $1 WHERE token_hash = $2", now, hash); err != nil {
			return nil, nil, fmt.Errorf("sqlstore: record token use: %w", err)
		}
		t.LastUsedAt = &now
	}
	return u, &t, nil
}

// RevokeToken deletes the token with hash and reports whether there was one.
func (s *Store) RevokeToken(ctx context.Context, hash string) (bool, error) {
	res, err := s.write.ExecContext(ctx, "DELETE FROM auth_tokens WHERE token_hash = $1", hash)
	if err != nil {
		return false, fmt.Errorf("sqlstore: revoke token: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// RevokeUserTokens deletes every token of a user but the one with
// exceptHash ("" keeps none) and returns how many it deleted.
func (s *Store) RevokeUserTokens(ctx context.Context, userID int64, exceptHash string) (int, error) {
	res, err := s.write.ExecContext(ctx,
		"DELETE FROM auth_tokens WHERE user_id = $1 AND token_hash <> $2", userID, exceptHash)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: revoke tokens of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// AdminExists reports whether any user is an admin, for the first-start
// bootstrap of an admin account.
func (s *Store) AdminExists(ctx context.Context) (bool, error) {
	var exists bool
	err := s.read.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE role = $1)", catalog.AdminRole).Scan(&exists)
	if err != nil {
		return false, fmt.Errorf("sqlstore: look for an admin: %w", err)
	}
	return exists, nil
}

// SetUserPassword stores hash as the password of the user with id and
// deletes every token of theirs, API tokens and web sessions alike, in one
// transaction; it returns how many tokens it deleted. An administrator
// sets a password to give an account back to its owner (or to a restored
// account, which has none): a token got with the old password must not
// outlive it, and no moment may have the new password with the old tokens.
// An unknown id is catalog.ErrNotFound, and then nothing changes.
func (s *Store) SetUserPassword(ctx context.Context, id int64, hash string) (revoked int, err error) {
	err = s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password = $1, "updatedAt" = $2 WHERE id = $3`, hash, tx.now, id)
		if err != nil {
			return translate(err, opWrite)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return catalog.ErrNotFound
		}
		res, err = tx.ExecContext(ctx, "DELETE FROM auth_tokens WHERE user_id = $1", id)
		if err != nil {
			return fmt.Errorf("revoke tokens: %w", err)
		}
		n, err := res.RowsAffected()
		revoked = int(n)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: set password of user %d: %w", id, err)
	}
	return revoked, nil
}
