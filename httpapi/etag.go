package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// Detail views (a movie, a person) carry a strong ETag computed from the
// exact bytes of their body, so that any change a client could see changes
// the tag, and a tag needs no column of its own.

// encodeBody returns v as the JSON body writeJSON sends, newline included.
func encodeBody(v any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T response: %w", v, err)
	}
	return append(body, '\n'), nil
}

// etagOf returns the strong entity tag of a response body: the quoted hex
// of the first 16 bytes of its SHA-256.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// etagOfJSON returns the entity tag of the body writeJSON sends for v.
func etagOfJSON(v any) (string, error) {
	body, err := encodeBody(v)
	if err != nil {
		return "", err
	}
	return etagOf(body), nil
}

// writeTaggedJSON writes v as JSON with status and its ETag. A GET whose
// If-None-Match holds the tag gets 304 Not Modified without a body.
func (s *server) writeTaggedJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := encodeBody(v)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeTaggedBody(w, r, status, body, etagOf(body))
}

// writeTaggedBody writes a JSON body encodeBody made with status and its
// tag, as writeTaggedJSON does.
func (s *server) writeTaggedBody(w http.ResponseWriter, r *http.Request, status int, body []byte, tag string) {
	h := w.Header()
	h.Set("ETag", tag)
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && noneMatchHolds(r.Header.Values("If-None-Match"), tag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json")
	// With its length known, net/http sends the body as it is rather than
	// in chunks.
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// noneMatchHolds reports whether If-None-Match values name tag, or are
// "*". If-None-Match compares weakly (RFC 9110, 13.1.2): W/"x" names "x".
func noneMatchHolds(values []string, tag string) bool {
	for _, t := range entityTags(values) {
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

// ifMatchHolds reports whether a write may go ahead under If-Match values
// for a resource whose current tag is tag: without If-Match, with "*", or
// when one of them is tag. If-Match compares strongly (RFC 9110, 13.1.1):
// a weak tag never matches.
func ifMatchHolds(values []string, tag string) bool {
	tags := entityTags(values)
	if len(tags) == 0 {
		return true
	}
	for _, t := range tags {
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// entityTags splits header values into their comma-separated entity tags.
func entityTags(values []string) []string {
	var tags []string
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				tags = append(tags, t)
			}
		}
	}
	return tags
}

// A taggedDetail is how to read one resource whose detail carries an ETag
// (a movie, a person) for a conditional write: read reads the detail,
// render makes the body whose tag is the ETag, and updatedAt is the time
// a conditional write compares. what names the resource in errors, as
// "movie 7".
type taggedDetail[D, J any] struct {
	what      string
	read      func(ctx context.Context) (D, error)
	render    func(D) J
	updatedAt func(D) time.Time
}

// checkIfMatch evaluates If-Match (RFC 9110, 13.1.1) for a write to the
// resource t reads; PATCH and DELETE both go through it. Without If-Match
// it reads nothing and returns a nil ifUpdatedAt: the write is
// unconditional. With it, the detail is read and must still have one of
// the given tags, or the answer is catalog.ErrPreconditionFailed. The
// write must then be made conditional on the returned ifUpdatedAt, the
// updatedAt read with the detail, so that a change between this check and
// the write is a 412 too. A resource that does not exist is the read's
// error, a 404, whatever If-Match holds: the request fails without it as
// well (RFC 9110, 13.2.1).
func checkIfMatch[D, J any](r *http.Request, t taggedDetail[D, J]) (current D, ifUpdatedAt *time.Time, err error) {
	ifMatch := r.Header.Values("If-Match")
	if len(ifMatch) == 0 {
		return current, nil, nil
	}
	if current, err = t.read(r.Context()); err != nil {
		return current, nil, err
	}
	tag, err := etagOfJSON(t.render(current))
	if err != nil {
		return current, nil, err
	}
	if !ifMatchHolds(ifMatch, tag) {
		return current, nil, catalog.ErrPreconditionFailed
	}
	at := t.updatedAt(current)
	return current, &at, nil
}

// patchDetail carries out the write of a PATCH on the resource t reads,
// under If-Match as checkIfMatch evaluates it, and answers the new detail.
// changes says whether the body changes anything: without changes nothing
// is written, not even updatedAt.
func patchDetail[D, J any](s *server, w http.ResponseWriter, r *http.Request, t taggedDetail[D, J], changes bool,
	update func(ctx context.Context, ifUpdatedAt *time.Time) error) {
	ctx := r.Context()
	current, ifUpdatedAt, err := checkIfMatch(r, t)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("update %s: %w", t.what, err))
		return
	}
	if changes {
		if err := update(ctx, ifUpdatedAt); err != nil {
			s.writeError(w, r, fmt.Errorf("update %s: %w", t.what, err))
			return
		}
	}
	// The detail checkIfMatch read is current unless the update changed it.
	if changes || ifUpdatedAt == nil {
		if current, err = t.read(ctx); err != nil {
			s.writeError(w, r, fmt.Errorf("update %s: %w", t.what, err))
			return
		}
	}
	s.writeTaggedJSON(w, r, http.StatusOK, t.render(current))
}

// deleteDetail deletes the resource t reads with remove, under If-Match as
// checkIfMatch evaluates it (remove gets the updatedAt the delete is
// conditional on, or nil), and answers 204.
func deleteDetail[D, J any](s *server, w http.ResponseWriter, r *http.Request, t taggedDetail[D, J],
	remove func(ctx context.Context, ifUpdatedAt *time.Time) error) {
	_, ifUpdatedAt, err := checkIfMatch(r, t)
	if err == nil {
		err = remove(r.Context(), ifUpdatedAt)
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("delete %s: %w", t.what, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
