package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/ratelimit"
)

// A problem is an RFC 9457 problem details body. Errors holds one message
// per input field at fault.
type problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// internalDetail is the whole explanation a client gets of a 500: the cause
// is in the log, under the request id.
const internalDetail = "internal error; quote the request id when reporting it"

// writeError turns err into a problem response; it is the one place where
// errors become HTTP statuses. Errors the client cannot act on are logged and
// answered with a generic 500, never with their text.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var (
		conflict  *catalog.ConflictError
		invalid   *catalog.ValidationError
		bad       *requestError
		refused   *media.Error
		tooLarge  *http.MaxBytesError
		limited   *ratelimit.ExceededError
		forbidden *catalog.ForbiddenError
		p         problem
	)
	switch {
	case errors.As(err, &limited):
		tooManyRequests(w, r, limited.RetryAfter)
		return
	case errors.As(err, &bad):
		p = problem{Status: bad.status, Detail: bad.detail, Errors: bad.fields}
	case errors.As(err, &refused):
		p = mediaError(refused)
	case errors.As(err, &tooLarge):
		p = problem{Status: http.StatusRequestEntityTooLarge, Detail: tooLargeDetail(tooLarge.Limit)}
	case errors.Is(err, catalog.ErrPreconditionFailed):
		p = problem{Status: http.StatusPreconditionFailed, Detail: "the resource changed since the ETag sent in If-Match; fetch it again"}
	case errors.As(err, &forbidden):
		p = problem{Status: http.StatusForbidden, Detail: forbidden.Field + " " + forbidden.Message,
			Errors: map[string]string{forbidden.Field: forbidden.Message}}
	case errors.Is(err, catalog.ErrNotFound):
		p = problem{Status: http.StatusNotFound, Detail: "the requested resource does not exist"}
	case errors.As(err, &conflict):
		p = problem{Status: http.StatusConflict, Detail: conflict.Message}
		if conflict.Field != "" {
			p.Errors = map[string]string{conflict.Field: conflict.Message}
		}
	case errors.Is(err, catalog.ErrConflict):
		p = problem{Status: http.StatusConflict, Detail: "the request conflicts with existing data"}
	case errors.As(err, &invalid):
		p = problem{Status: http.StatusUnprocessableEntity, Detail: "the input breaks a rule; see errors", Errors: invalid.Fields}
	case errors.Is(err, catalog.ErrInvalid):
		p = problem{Status: http.StatusUnprocessableEntity, Detail: "the input breaks a rule"}
	case r.Context().Err() != nil && errors.Is(err, context.Canceled):
		// The client went away: not a bug, and nobody reads the answer.
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request canceled",
			slog.String("error", err.Error()), slog.String("request_id", RequestID(r.Context())))
		p = problem{Status: http.StatusServiceUnavailable, Detail: "request canceled"}
	default:
		s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("error", err.Error()), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.String("request_id", RequestID(r.Context())))
		p = problem{Status: http.StatusInternalServerError, Detail: internalDetail}
	}
	if p.Detail == "" {
		p.Detail = http.StatusText(p.Status)
	}
	writeProblem(w, r, p)
}

// A requestError is a fault of the request itself, found before the store
// sees it: a body that is not JSON, a bad query parameter, an unknown id in
// the path. Its detail and field messages are written for the client.
type requestError struct {
	status int
	detail string
	fields map[string]string
}

func (e *requestError) Error() string {
	return fmt.Sprintf("httpapi: %d %s", e.status, e.detail)
}

// badRequest returns a 400 requestError; field, when not empty, is the input
// field or parameter at fault and gets message too.
func badRequest(field, message string) *requestError {
	e := &requestError{status: http.StatusBadRequest, detail: message}
	if field != "" {
		e.fields = map[string]string{field: message}
	}
	return e
}

// writeProblem writes p as application/problem+json, filling in the type,
// title and request id.
func writeProblem(w http.ResponseWriter, r *http.Request, p problem) {
	p.Type = "about:blank"
	p.Title = http.StatusText(p.Status)
	p.RequestID = RequestID(r.Context())
	// A problem holds only strings and ints, so it always encodes.
	body, _ := json.Marshal(p)
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	w.Write(append(body, '\n'))
}

// writeJSON writes v as a JSON response with the given status. It encodes
// before writing anything, so an encoding failure is still a clean 500.
func (s *server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("encode %T response: %w", v, err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
