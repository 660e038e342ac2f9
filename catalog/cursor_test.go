package catalog

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	c := Cursor{Scope: "movies|-release_date|abc", After: []*string{CursorString("2001-02-03"), nil, CursorInt(42)}}
	text := c.Encode()
	if strings.ContainsAny(text, "+/=") {
		t.Fatalf("cursor %q is not URL-safe", text)
	}
	got, err := DecodeCursor(text, c.Scope, 3)
	if err != nil {
		t.Fatalf("DecodeCursor: %v", err)
	}
	if got.Scope != c.Scope || *got.String(0) != "2001-02-03" || got.String(1) != nil {
		t.Fatalf("DecodeCursor = %+v, want %+v", got, c)
	}
	if id, err := got.Int(2); err != nil || id != 42 {
		t.Fatalf("Int(2) = %d, %v; want 42", id, err)
	}
	if _, err := got.Int(0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Int of a date = %v, want ErrInvalid", err)
	}
	if _, err := got.Int(1); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Int of NULL = %v, want ErrInvalid", err)
	}
}

func TestDecodeCursorRefusesWhatItDidNotMake(t *testing.T) {
	t.Parallel()
	good := Cursor{Scope: "persons|name", After: []*string{CursorString("ada"), CursorInt(7)}}.Encode()
	raw, _ := base64.RawURLEncoding.DecodeString(good)
	flipped := append([]byte(nil), raw...)
	flipped[5] ^= 1
	for name, text := range map[string]string{
		"empty":          "",
		"not base64":     "!!!",
		"cut short":      good[:len(good)-3],
		"one bit":        base64.RawURLEncoding.EncodeToString(flipped),
		"other scope":    Cursor{Scope: "persons|-name", After: []*string{CursorString("ada"), CursorInt(7)}}.Encode(),
		"other key size": Cursor{Scope: "persons|name", After: []*string{CursorInt(7)}}.Encode(),
		"too long":       strings.Repeat("A", MaxCursorLength+1),
		"old version":    base64.RawURLEncoding.EncodeToString(append([]byte{0}, raw[1:]...)),
	} {
		if _, err := DecodeCursor(text, "persons|name", 2); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: DecodeCursor = %v, want ErrInvalid", name, err)
		}
	}
}

func TestBoundTotal(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		counted, total int
		rel            string
	}{{0, 0, TotalExact}, {MaxExactTotal, MaxExactTotal, TotalExact}, {MaxExactTotal + 1, MaxExactTotal, TotalAtLeast}} {
		if total, rel := BoundTotal(c.counted); total != c.total || rel != c.rel {
			t.Errorf("BoundTotal(%d) = %d, %s; want %d, %s", c.counted, total, rel, c.total, c.rel)
		}
	}
}
