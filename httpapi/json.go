package httpapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/moviedb/moviedb/catalog"
)

// maxBodyBytes caps JSON request bodies; no JSON input of the API comes near.
const maxBodyBytes = 1 << 20

// readJSON decodes the request's JSON body into dst, a pointer to a struct.
// Its errors are *requestError values for writeError: 415 for another media
// type, 413 for a body over maxBodyBytes, and 400, naming what is wrong, for
// a body that is empty, not UTF-8, not JSON, of the wrong shape, holding an
// unknown field or followed by more data.
func readJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if !isJSON(r.Header.Get("Content-Type")) {
		return &requestError{status: http.StatusUnsupportedMediaType,
			detail: "the body must be JSON, sent with Content-Type: application/json"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		return jsonError(err)
	}
	// encoding/json would quietly turn bytes that are not UTF-8 into U+FFFD,
	// storing something else than the client sent; RFC 8259 makes them
	// invalid JSON.
	if !utf8.Valid(body) {
		return badRequest("", "the body is not valid JSON (it is not UTF-8 text)")
	}
	if err := checkKeys(json.NewDecoder(bytes.NewReader(body)), reflect.TypeOf(dst)); err != nil && err != errMalformed {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	switch err := dec.Decode(&struct{}{}); {
	case errors.Is(err, io.EOF):
		return nil
	case isTooLarge(err):
		return jsonError(err)
	default:
		return badRequest("", "the body must hold a single JSON value")
	}
}

// isJSON reports whether contentType is application/json, in UTF-8 if it
// names a charset.
func isJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

func isTooLarge(err error) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(err, &tooLarge)
}

// jsonError turns an error of json.Decoder.Decode into a *requestError.
func jsonError(err error) error {
	var (
		syntax   *json.SyntaxError
		wrongTyp *json.UnmarshalTypeError
		invalid  *json.InvalidUnmarshalError
	)
	switch {
	case isTooLarge(err):
		return &requestError{status: http.StatusRequestEntityTooLarge,
			detail: fmt.Sprintf("the body must not be larger than %d bytes", maxBodyBytes)}
	case errors.As(err, &syntax):
		return badRequest("", fmt.Sprintf("the body is not valid JSON (at byte %d)", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("", "the body is not valid JSON (it ends early)")
	case errors.Is(err, io.EOF):
		return badRequest("", "the body must not be empty")
	case errors.As(err, &wrongTyp):
		want := describeType(wrongTyp.Type)
		if want == "a whole number" && strings.HasPrefix(wrongTyp.Value, "number") {
			want += " in range" // a fraction, or too large
		}
		if wrongTyp.Field == "" {
			return badRequest("", "the body must be "+want)
		}
		return badRequest(wrongTyp.Field, "must be "+want)
	case errors.As(err, &invalid):
		panic(fmt.Sprintf("httpapi: readJSON into %v", invalid.Type)) // a bug in the handler
	}
	// encoding/json has no error type for an unknown field.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if unquoted, err := strconv.Unquote(name); err == nil {
			name = unquoted
		}
		return unknownField(name)
	}
	// What is left comes from reading the body (a client that hung up or
	// sent a broken chunked encoding) or from a field's own decoder.
	return badRequest("", "the body could not be read as the JSON this request takes")
}

// unknownField is the error of a body with a key no field has.
// errMalformed is what checkKeys returns for a body that is not JSON, for
// the decoder to report.
var errMalformed = errors.New("malformed JSON")

func unknownField(name string) error {
	return &requestError{status: http.StatusBadRequest,
		detail: fmt.Sprintf("the body has an unknown field %q", name),
		fields: map[string]string{name: "is not a known field"}}
}

// checkKeys reads the next JSON value of dec, which is to be decoded into
// a t, and refuses what encoding/json would let through: an object with a
// key twice (encoding/json keeps the last, so a check could see the first
// and the write the second) and a key that names a field of a struct only
// when case is ignored ({"TITLE": …} would set the title). Syntax and type
// errors are left for the decoder to report: checkKeys then returns
// errMalformed, which ends every enclosing loop at once (dec.More() stays
// true before a bad token, so a loop that went on would never end) and
// which its caller takes as "nothing to add".
func checkKeys(dec *json.Decoder, t reflect.Type) error {
	tok, err := dec.Token()
	if err != nil {
		return errMalformed
	}
	t = valueType(t)
	switch tok {
	case json.Delim('{'):
		var fields map[string]reflect.Type
		if t != nil && t.Kind() == reflect.Struct {
			fields = jsonFields(t)
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return errMalformed
			}
			key, _ := tok.(string)
			if seen[key] {
				return &requestError{status: http.StatusBadRequest,
					detail: fmt.Sprintf("the body has the field %q twice", key),
					fields: map[string]string{key: "must appear once"}}
			}
			seen[key] = true
			var elem reflect.Type
			switch {
			case fields != nil:
				f, ok := fields[key]
				if !ok {
					return unknownField(key)
				}
				elem = f
			case t != nil && t.Kind() == reflect.Map:
				elem = t.Elem()
			}
			if err := checkKeys(dec, elem); err != nil {
				return err
			}
		}
		dec.Token() // the closing brace, or an error the decoder reports
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for dec.More() {
			if err := checkKeys(dec, elem); err != nil {
				return err
			}
		}
		dec.Token()
	}
	return nil
}

// valueType returns the type whose fields a JSON object decoded into a t
// sets: t without pointers, an optional's value type, and nil when a
// decoder of t's own reads the object (its keys are then only checked for
// repeats).
func valueType(t reflect.Type) reflect.Type {
	for t != nil {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
			continue
		}
		if o, ok := reflect.Zero(t).Interface().(interface{ valueType() reflect.Type }); ok {
			t = o.valueType()
			continue
		}
		if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
			return nil
		}
		return t
	}
	return nil
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// jsonFields returns the fields of struct type t by their exact JSON
// names, as encoding/json names them: the tag's name, else the Go name,
// with embedded structs' fields promoted.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			continue // its fields are promoted
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := fields[name]; !ok || len(f.Index) == 1 {
			fields[name] = f.Type
		}
	}
	return fields
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// describeType names the JSON a Go type decodes from, for messages.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "a string" // e.g. catalog.Money and catalog.Date
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a value of another type"
}

// An optional is a field of a PATCH body that tells an absent field from
// an explicit null: Set is false when the field is absent, Null is true
// when it is null, and Value holds anything else.
type optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

// valueType tells checkKeys what an optional holds.
func (optional[T]) valueType() reflect.Type { return reflect.TypeFor[T]() }

// UnmarshalJSON records that the field is present, and whether it is null.
// encoding/json calls it only for fields the body has.
func (o *optional[T]) UnmarshalJSON(data []byte) error {
	o.Set = true
	if string(data) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(data, &o.Value)
}

// nonNull returns the value a PATCH sets for a field that cannot be null,
// or nil when the body leaves it out; an explicit null is recorded in v.
func nonNull[T any](v *catalog.ValidationError, field string, o optional[T]) *T {
	switch {
	case !o.Set:
		return nil
	case o.Null:
		v.Add(field, "cannot be null")
		return nil
	}
	return &o.Value
}

// nullable returns the change a PATCH makes to a nullable column: nil when
// the body leaves the field out, a clear for an explicit null.
func nullable[T any](o optional[T]) *catalog.Nullable[T] {
	switch {
	case !o.Set:
		return nil
	case o.Null:
		return catalog.Clear[T]()
	}
	return catalog.Set(o.Value)
}

// parseDateField parses a YYYY-MM-DD date of field, or records why it
// cannot and returns nil.
func parseDateField(v *catalog.ValidationError, field, s string) *catalog.Date {
	d, err := catalog.ParseDate(s)
	if err != nil {
		v.Add(field, "must be a date that exists, as YYYY-MM-DD")
		return nil
	}
	return &d
}
