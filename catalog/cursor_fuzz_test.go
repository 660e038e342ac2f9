package catalog

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeCursor feeds arbitrary text to DecodeCursor: it never panics,
// refuses with a *ValidationError on "cursor" only, and what it accepts
// belongs to the scope asked for, with as many values as asked.
func FuzzDecodeCursor(f *testing.F) {
	f.Add("", "movies:title", 2)
	f.Add(Cursor{Scope: "movies:title", After: []*string{CursorString("Alien"), CursorInt(7)}}.Encode(), "movies:title", 2)
	f.Add(Cursor{Scope: "people", After: []*string{nil, CursorInt(1)}}.Encode(), "people", 2)
	f.Add(Cursor{Scope: "people", After: []*string{nil, CursorInt(1)}}.Encode(), "movies", 2)
	f.Add("AQ", "x", 0)
	f.Add("AXsicyI6IiIsImEiOltdfQAAAAAAAAAA", "", 0)
	f.Fuzz(func(t *testing.T, text, scope string, keys int) {
		c, err := DecodeCursor(text, scope, keys)
		if err != nil {
			var v *ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("DecodeCursor(%q) = %T %v, want a *ValidationError", text, err, err)
			}
			return
		}
		if c.Scope != scope || len(c.After) != keys {
			t.Fatalf("DecodeCursor(%q, %q, %d) accepted scope %q with %d values", text, scope, keys, c.Scope, len(c.After))
		}
		for i := range c.After {
			c.Int(i) // must not panic whatever the value
		}
	})
}

// FuzzCursorRoundTrip checks that every cursor Encode makes decodes to the
// same scope and values, NULLs included, within the length limit. A scope
// is text the store makes and a value comes from a UTF-8 column; JSON turns
// bytes that are not UTF-8 into U+FFFD, so a scope that is not UTF-8 never
// decodes (the fuzzer found it; no store makes such a scope) and such a
// value comes back changed.
func FuzzCursorRoundTrip(f *testing.F) {
	f.Add("movies:title", "Alien", int64(7), false)
	f.Add("", "", int64(0), true)
	f.Add("people:\x00\"", "\xff\u2028<>&", int64(-1), false)
	f.Fuzz(func(t *testing.T, scope, s string, n int64, null bool) {
		var first *string
		if !null {
			first = CursorString(s)
		}
		in := Cursor{Scope: scope, After: []*string{first, CursorInt(n)}}
		text := in.Encode()
		out, err := DecodeCursor(text, scope, 2)
		if !utf8.ValidString(scope) {
			return
		}
		if len(text) > MaxCursorLength {
			if err == nil {
				t.Fatalf("a cursor of %d bytes was accepted", len(text))
			}
			return
		}
		if err != nil {
			t.Fatalf("DecodeCursor(Encode(%+v)) = %v", in, err)
		}
		if got, err := out.Int(1); err != nil || got != n {
			t.Fatalf("value 1 = %d, %v; want %d", got, err, n)
		}
		got := out.String(0)
		switch {
		case null && got != nil:
			t.Fatalf("NULL came back as %q", *got)
		case !null && (got == nil || !sameJSONString(*got, s)):
			t.Fatalf("value 0 came back as %v, want %q", got, s)
		}
	})
}

// sameJSONString reports whether got is what encoding/json makes of want:
// invalid UTF-8 becomes U+FFFD on the way through JSON.
func sameJSONString(got, want string) bool {
	return got == string([]rune(want))
}
