package sqlstore

// The movie search reads and binds its sort keys as text exactly as the
// database holds them (see keyset.go for the kinds).

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/moviedb/moviedb/catalog"
)

// keyText returns the expression that reads a sort key's value as its
// cursor holds it.
func (s *Store) keyText(srt movieSort) string {
	if s.engine == Postgres {
		switch srt.kind {
		case keyDate:
			return "to_char(" + srt.expr + ", 'YYYY-MM-DD')"
		case keyTime:
			// Exact, and independent of the session's time zone and
			// DateStyle.
			return "(extract(epoch FROM " + srt.expr + ") * 1000000)::bigint::text"
		default:
			return srt.expr + "::text"
		}
	}
	switch srt.kind {
	case keyDate, keyTime:
		// The text as stored: the driver would turn a DATE or TIMESTAMP
		// column into a time.Time and back into other text.
		return "CAST(" + srt.expr + " AS TEXT)"
	default:
		return srt.expr
	}
}

// keyString returns a sort key's value read by keyText as cursor text.
func keyString(v any) (*string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case int64:
		return catalog.CursorInt(v), nil
	case float64:
		// The shortest text that reads back as the same float.
		return catalog.CursorString(strconv.FormatFloat(v, 'f', -1, 64)), nil
	case string:
		return &v, nil
	case []byte:
		return catalog.CursorString(string(v)), nil
	default:
		return nil, fmt.Errorf("sort key of type %T", v)
	}
}

var decimalText = regexp.MustCompile(`^[0-9]{1,30}(\.[0-9]{1,30})?$`)

// keyArg checks a cursor's key text and returns the argument that
// compares with the key. A cursor passes its checksum only if this
// program made it, but the checksum is no secret: a value of the wrong
// form is an invalid cursor, never an error of the database.
func (s *Store) keyArg(kind keyKind, text string) (any, error) {
	bad := catalog.Invalid("cursor", "is not a cursor of this list: use next_cursor of the previous page, with the same filters and sort")
	switch kind {
	case keyDate:
		if _, err := catalog.ParseDate(text); err != nil {
			return nil, bad
		}
	case keyInt:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, bad
		}
		return n, nil
	case keyNumber:
		if !decimalText.MatchString(text) {
			return nil, bad
		}
		if s.engine == SQLite {
			// SQLite holds an amount as an integer or a real.
			if n, err := strconv.ParseInt(text, 10, 64); err == nil {
				return n, nil
			}
			f, err := strconv.ParseFloat(text, 64)
			if err != nil {
				return nil, bad
			}
			return f, nil
		}
	case keyTime:
		if s.engine == Postgres {
			n, err := strconv.ParseInt(text, 10, 64)
			if err != nil || n < -maxMicros || n > maxMicros {
				return nil, bad
			}
			return n, nil
		}
	}
	return text, nil
}

// maxMicros bounds a timestamp of a PostgreSQL cursor to the integers a
// float8 holds exactly (about 285 years either side of 1970), as bindKey
// multiplies an interval by it.
const maxMicros = 1 << 53

// bindKey binds a value from keyArg and returns the expression that
// compares with a sort key of kind.
func (s *Store) bindKey(w *whereList, kind keyKind, v any) string {
	arg := w.bind(v)
	if s.engine == SQLite {
		return arg
	}
	switch kind {
	case keyDate:
		return "CAST(CAST(" + arg + " AS text) AS date)"
	case keyNumber:
		return "CAST(CAST(" + arg + " AS text) AS numeric)"
	case keyInt:
		return "CAST(" + arg + " AS bigint)"
	case keyTime:
		return "(to_timestamp(0) + CAST(" + arg + " AS bigint) * interval '1 microsecond')"
	default:
		return "CAST(" + arg + " AS text)"
	}
}
