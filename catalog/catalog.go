// Package catalog holds moviedb's domain types: the movies, persons,
// characters, genres, countries, files and users of the catalog, the filter
// and update values used to find and change them, and the errors callers
// branch on. It imports no SQL and no HTTP; the store and the HTTP layers are
// built around it.
package catalog

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrNotFound is returned when a requested row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write clashes with existing data: a duplicate
// name, username or email, or a delete that other rows still depend on.
// The concrete error is a *ConflictError naming the field or constraint.
var ErrConflict = errors.New("conflict")

// ErrInvalid is returned when input breaks a rule: a value out of range, a
// reference to a row that does not exist. The concrete error is a
// *ValidationError with a message per field.
var ErrInvalid = errors.New("invalid input")

// ErrPreconditionFailed is returned when an update was made conditional on
// the row being unchanged since it was read, and it has changed since.
var ErrPreconditionFailed = errors.New("precondition failed: changed since it was read")

// ErrForbidden is returned when a user names something that exists but is
// not theirs to use: another user's upload as their avatar. The concrete
// error is a *ForbiddenError naming the field.
var ErrForbidden = errors.New("forbidden")

// A ForbiddenError reports which input named what the user may not use.
type ForbiddenError struct {
	// Field is the input field at fault.
	Field string
	// Message is a sentence for the client.
	Message string
}

func (e *ForbiddenError) Error() string { return "forbidden: " + e.Field + ": " + e.Message }

// Is reports whether target is ErrForbidden.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// A ConflictError reports which rule a conflicting write broke.
type ConflictError struct {
	// Constraint is the database constraint that fired.
	Constraint string
	// Field is the input field at fault, if one is.
	Field string
	// Message is a sentence for the client, e.g. "username is already taken".
	Message string
}

func (e *ConflictError) Error() string { return "conflict: " + e.Message }

// Is reports whether target is ErrConflict, so errors.Is works on wrapped values.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// A ValidationError holds one message per invalid input field.
type ValidationError struct {
	Fields map[string]string
}

// Invalid returns a ValidationError for one field.
func Invalid(field, message string) *ValidationError {
	return &ValidationError{Fields: map[string]string{field: message}}
}

// Add records a message for field, keeping the first message a field gets.
func (e *ValidationError) Add(field, message string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = message
	}
}

// Merge adds the field messages of err to e when err is a
// *ValidationError, keeping e's message where both name a field.
func (e *ValidationError) Merge(err error) {
	var other *ValidationError
	if errors.As(err, &other) {
		for field, msg := range other.Fields {
			e.Add(field, msg)
		}
	}
}

// Err returns e when it holds any message, and nil otherwise, so a validator
// can end with `return v.Err()`.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %s", k, e.Fields[k])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Nullable is the new value of a nullable column in an update: a nil Value
// clears the column. An update field of type *Nullable[T] left nil means
// "leave the column as it is".
type Nullable[T any] struct {
	Value *T
}

// Set returns a Nullable holding v.
func Set[T any](v T) *Nullable[T] { return &Nullable[T]{Value: &v} }

// Clear returns a Nullable that clears the column.
func Clear[T any]() *Nullable[T] { return &Nullable[T]{} }

// Page selects one page of a list: Number from 1, Size items per page; or,
// when Cursor is set, the Size items after the place a previous page's
// NextCursor marks (see Cursor), whatever Number says.
type Page struct {
	Number int
	Size   int
	// Cursor is the opaque text of a previous List.NextCursor, or "".
	Cursor string
}

// Default and maximum page sizes of every list.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Normalize returns p with a zero or negative number set to 1 and the size
// clamped to 1..MaxPageSize (DefaultPageSize when unset).
func (p Page) Normalize() Page {
	if p.Number < 1 {
		p.Number = 1
	}
	if p.Size < 1 {
		p.Size = DefaultPageSize
	}
	if p.Size > MaxPageSize {
		p.Size = MaxPageSize
	}
	return p
}

// Offset returns how many rows come before the page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// A List is one page of results with the total number of matching rows.
type List[T any] struct {
	Items []T
	Page  Page
	// Total counts the matching rows exactly when TotalRelation is
	// TotalExact, and is a lower bound (MaxExactTotal) when it is
	// TotalAtLeast: lists that could match without bound stop counting
	// there, so that a page costs the same in any size of catalog.
	Total         int
	TotalRelation string
	// NextCursor marks the place after this page's last row, for
	// Page.Cursor; "" on the last page.
	NextCursor string
}

// The relations of a List's Total to the number of matching rows, named as
// Elasticsearch names them.
const (
	TotalExact   = "eq"
	TotalAtLeast = "gte"
)

// MaxExactTotal is how far a list that counts with a bound counts: beyond
// it, Total is MaxExactTotal and TotalRelation TotalAtLeast.
// Elasticsearch's default track_total_hits is the same number.
const MaxExactTotal = 10000

// BoundTotal returns the Total and TotalRelation of a list whose count was
// made with a bound, counting at most MaxExactTotal+1 rows.
func BoundTotal(counted int) (total int, relation string) {
	if counted > MaxExactTotal {
		return MaxExactTotal, TotalAtLeast
	}
	return counted, TotalExact
}
