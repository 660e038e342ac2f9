// Package auth hashes passwords with argon2id, makes the opaque bearer
// tokens users sign in with, and holds the rules of checking a password
// that the API and the web pages share (Verifier). Accounts and token
// hashes live in the store, rate limits in the limiters it is given.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters. Every hash records the parameters
// it was made with, so raising them later keeps old hashes verifiable.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams follow OWASP's password storage guidance for argon2id
// (46 MiB, one pass, one lane), which costs tens of milliseconds per hash
// on a small server: slow for guessing, fast enough for logins.
var DefaultParams = Params{Memory: 46 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// ErrMismatch is returned by VerifyPassword when the password is wrong.
var ErrMismatch = errors.New("auth: password does not match")

// HashPassword returns the argon2id hash of password as a PHC string:
// $argon2id$v=19$m=47104,t=1,p=1$SALT$KEY (salt and key in unpadded base64).
func HashPassword(password string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches hash: nil when it does,
// ErrMismatch when it does not, another error when hash is malformed. The
// comparison takes the same time wherever the keys differ.
func VerifyPassword(password, hash string) error {
	p, salt, key, err := decodeHash(hash)
	if err != nil {
		return err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return ErrMismatch
	}
	return nil
}

// NeedsRehash reports whether hash was made with parameters other than p,
// so that a successful login can store a fresh hash.
func NeedsRehash(hash string, p Params) bool {
	old, salt, key, err := decodeHash(hash)
	if err != nil {
		return true
	}
	return old.Memory != p.Memory || old.Time != p.Time || old.Threads != p.Threads ||
		uint32(len(salt)) != p.SaltLen || uint32(len(key)) != p.KeyLen
}

func decodeHash(hash string) (p Params, salt, key []byte, err error) {
	bad := errors.New("auth: malformed password hash")
	parts := strings.Split(hash, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, bad
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, bad
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, bad
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.Memory > 4*1024*1024 || p.Time > 100 {
		return p, nil, nil, bad
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, bad
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, bad
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
