package auth

import (
	"errors"
	"strings"
	"testing"
)

// testParams are cheap so the tests run fast; the format is the same.
var testParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerify(t *testing.T) {
	h, err := HashPassword("correct horse battery staple", testParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q; want a PHC argon2id string with its parameters", h)
	}
	if err := VerifyPassword("correct horse battery staple", h); err != nil {
		t.Errorf("VerifyPassword(right) = %v; want nil", err)
	}
	if err := VerifyPassword("correct horse battery stapler", h); !errors.Is(err, ErrMismatch) {
		t.Errorf("VerifyPassword(wrong) = %v; want ErrMismatch", err)
	}
	h2, _ := HashPassword("correct horse battery staple", testParams)
	if h == h2 {
		t.Error("two hashes of one password are equal; want distinct salts")
	}
	if NeedsRehash(h, testParams) {
		t.Error("NeedsRehash with the same params = true")
	}
	if !NeedsRehash(h, DefaultParams) {
		t.Error("NeedsRehash with stronger params = false")
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	good, _ := HashPassword("pw", testParams)
	parts := strings.Split(good, "$")
	for _, h := range []string{
		"",
		"plaintext",
		"$argon2i$v=19$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=18$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=0,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=99999999,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$!!!$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$" + parts[4] + "$c2hvcnQ",
	} {
		err := VerifyPassword("pw", h)
		if err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("VerifyPassword(%q) = %v; want a malformed-hash error", h, err)
		}
	}
}

func TestTokens(t *testing.T) {
	tok, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != 43 || !WellFormedToken(tok) {
		t.Errorf("token %q: want 43 base64url characters", tok)
	}
	if hash != HashToken(tok) || len(hash) != 64 || strings.Contains(hash, tok) {
		t.Errorf("hash %q of token: want its 64-hex SHA-256", hash)
	}
	other, _, _ := NewToken()
	if other == tok {
		t.Error("two tokens are equal")
	}
	for _, s := range []string{"", "short", tok + "x", strings.Repeat("*", 43)} {
		if WellFormedToken(s) {
			t.Errorf("WellFormedToken(%q) = true", s)
		}
	}
}

func BenchmarkHashPasswordDefault(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple", DefaultParams); err != nil {
			b.Fatal(err)
		}
	}
}
