package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
)

// A Cursor marks the place after the last row of a page in a list kept in a
// fixed order: Scope names the list, its sort and its filters, and After
// holds the last row's sort values in the order's terms, its id last (nil
// for a NULL value). The next page is the rows that sort after them, read
// by a keyset query whose cost does not depend on how deep the page is, and
// which neither skips nor repeats a row when rows are inserted meanwhile.
//
// Clients see a cursor only as opaque text (Encode). It is checked, not
// secret: text that was altered, cut short, or made for another list, sort
// or filter is refused with a *ValidationError on "cursor"; a cursor that
// decodes is only a place in a list, and its values reach SQL as bound
// arguments only.
type Cursor struct {
	Scope string
	After []*string
}

// cursorVersion is the first byte of every encoded cursor, so that the
// format can change without old cursors being misread.
const cursorVersion = 1

// cursorSumSize is the length of the checksum that closes an encoded cursor.
const cursorSumSize = 8

// cursorSalt keeps a cursor's checksum from being the plain SHA-256 of its
// payload, so that text made by hand rarely passes for a cursor.
const cursorSalt = "moviedb cursor v1\x00"

type cursorJSON struct {
	Scope string    `json:"s"`
	After []*string `json:"a"`
}

// Encode returns c as opaque URL-safe text.
func (c Cursor) Encode() string {
	payload, err := json.Marshal(cursorJSON{Scope: c.Scope, After: c.After})
	if err != nil { // strings and nils always marshal
		panic("catalog: encode cursor: " + err.Error())
	}
	buf := make([]byte, 0, 1+len(payload)+cursorSumSize)
	buf = append(buf, cursorVersion)
	buf = append(buf, payload...)
	buf = append(buf, cursorSum(buf)...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

func cursorSum(b []byte) []byte {
	h := sha256.New()
	h.Write([]byte(cursorSalt))
	h.Write(b)
	return h.Sum(nil)[:cursorSumSize]
}

// invalidCursor is the error of every cursor that cannot be used here.
func invalidCursor() error {
	return Invalid("cursor", "is not a cursor of this list: use next_cursor of the previous page, with the same filters and sort")
}

// InvalidCursor returns the error of a cursor that decodes but holds a
// value its list cannot use, as DecodeCursor reports any other bad cursor.
func InvalidCursor() error { return invalidCursor() }

// MaxCursorLength bounds the text of a cursor: no list's cursor needs more,
// and a longer one is refused before it is decoded.
const MaxCursorLength = 1024

// DecodeCursor reads text made by Encode and checks that it belongs to
// scope and holds keys values. Anything else is a *ValidationError on
// "cursor".
func DecodeCursor(text, scope string, keys int) (Cursor, error) {
	if len(text) > MaxCursorLength {
		return Cursor{}, invalidCursor()
	}
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(raw) < 1+cursorSumSize || raw[0] != cursorVersion {
		return Cursor{}, invalidCursor()
	}
	body, sum := raw[:len(raw)-cursorSumSize], raw[len(raw)-cursorSumSize:]
	if !bytes.Equal(sum, cursorSum(body)) {
		return Cursor{}, invalidCursor()
	}
	var c cursorJSON
	dec := json.NewDecoder(bytes.NewReader(body[1:]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() || c.Scope != scope || len(c.After) != keys {
		return Cursor{}, invalidCursor()
	}
	return Cursor{Scope: c.Scope, After: c.After}, nil
}

// CursorString returns s as a cursor value.
func CursorString(s string) *string { return &s }

// CursorInt returns n as a cursor value.
func CursorInt(n int64) *string { return CursorString(strconv.FormatInt(n, 10)) }

// Int returns the cursor's value i as an integer; a value that is not one
// makes the cursor invalid.
func (c Cursor) Int(i int) (int64, error) {
	if i >= len(c.After) || c.After[i] == nil {
		return 0, invalidCursor()
	}
	n, err := strconv.ParseInt(*c.After[i], 10, 64)
	if err != nil {
		return 0, invalidCursor()
	}
	return n, nil
}

// String returns the cursor's value i, nil for NULL.
func (c Cursor) String(i int) *string {
	if i >= len(c.After) {
		return nil
	}
	return c.After[i]
}
