package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"unicode/utf8"
)

// jsonBodies are the request body types the API decodes, each made fresh
// for every execution.
var jsonBodies = []func() any{
	func() any { return new(movieInput) },
	func() any { return new(moviePatch) },
	func() any { return new(personInput) },
	func() any { return new(personPatch) },
	func() any { return new(castInput) },
	func() any { return new(castPatch) },
	func() any { return new(characterInput) },
	func() any { return new(characterPatch) },
	func() any { return new(nameInput) },
	func() any { return new(namePatch) },
	func() any { return new(registerInput) },
	func() any { return new(loginInput) },
	func() any { return new(patchMeInput) },
	func() any { return new(passwordInput) },
	func() any { return new(avatarInput) },
	func() any { return new(photoInput) },
}

// FuzzReadJSON feeds arbitrary bodies to readJSON for every body type.
// It never panics and refuses only with a 400 or 413 problem; what it
// accepts is one valid UTF-8 JSON value with no key twice in any object,
// whose top-level keys are the exact names of the type's fields, and which
// encoding/json alone decodes to the same value.
func FuzzReadJSON(f *testing.F) {
	for i := range jsonBodies {
		for _, body := range []string{
			``, `{}`, `null`, `[]`, `{"title":"Alien"}`, `{"title":"Alien","title":"Aliens"}`,
			`{"TITLE":"Alien"}`, `{"title":"Alien"} {}`, `{"name":"Ripley","country_ids":[1,2]}`,
			`{"release_date":"1979-05-25","budget":"11000000.00","genre_ids":[1]}`,
			`{"username":"ripley","email":"r@example.com","password":"nostromo-1979"}`,
			`{"login":"ripley","password":"x"}`, `{"file_id":1}`, `{"person_id":1,"character_ids":[1],"order":1}`,
			`{"birth_date":null,"death_date":null}`, `{"a":{"b":1,"b":2}}`, "{\"title\":\"\xff\"}",
			`{"title":"x","year":1e400}`, `{"runtime":-1.5}`,
		} {
			f.Add(uint8(i), []byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		newBody := jsonBodies[int(kind)%len(jsonBodies)]
		dst := newBody()
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		err := readJSON(httptest.NewRecorder(), r, dst)
		if err != nil {
			var re *requestError
			if !errors.As(err, &re) || (re.status != http.StatusBadRequest && re.status != http.StatusRequestEntityTooLarge) || re.detail == "" {
				t.Fatalf("readJSON(%T, %q) = %#v", dst, body, err)
			}
			return
		}
		if !utf8.Valid(body) || !json.Valid(body) {
			t.Fatalf("readJSON(%T) accepted %q, which is not valid UTF-8 JSON", dst, body)
		}
		if key, ok := repeatedKey(body); ok {
			t.Fatalf("readJSON(%T) accepted %q, which has the key %q twice", dst, body, key)
		}
		var top map[string]json.RawMessage
		if json.Unmarshal(body, &top) == nil {
			fields := jsonFields(reflect.TypeOf(dst).Elem())
			for k := range top {
				if _, ok := fields[k]; !ok {
					t.Fatalf("readJSON(%T) accepted %q, whose key %q names no field exactly", dst, body, k)
				}
			}
		}
		plain := newBody()
		if err := json.Unmarshal(body, plain); err != nil {
			t.Fatalf("readJSON(%T) accepted %q, which encoding/json refuses: %v", dst, body, err)
		}
		if !reflect.DeepEqual(dst, plain) {
			t.Fatalf("readJSON(%T, %q) = %+v; encoding/json gives %+v", dst, body, dst, plain)
		}
	})
}

// repeatedKey returns a key that some object of the JSON text body holds
// twice.
func repeatedKey(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object bool
		keys   map[string]bool
		atKey  bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if s, ok := tok.(string); ok && top != nil && top.object && top.atKey {
			if top.keys[s] {
				return s, true
			}
			top.keys[s] = true
			top.atKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, atKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: the object around it, if any, expects a key next.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].atKey = true
		}
	}
}
