package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/ratelimit"
)

//go:embed templates
var templateFS embed.FS

// A page is a parsed template set: the layout, the shared partials and one
// page's own template.
type page struct {
	tmpl *template.Template
}

// parsePages parses every page template with the layout and partials.
func parsePages(funcs template.FuncMap) map[string]*page {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*page{}
	for _, file := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t := template.Must(template.New("layout").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", file))
		pages[name] = &page{tmpl: t}
	}
	return pages
}

// view is what every template gets: who is signed in, the page's title and
// its own data, and for a form the values sent back and a message per
// field that is wrong.
type view struct {
	User   *catalog.User
	Title  string
	Data   any
	Form   formValues
	Errors map[string]string
	// Path is the path of the request, for links back to this page.
	Path string
	// CanUpload is whether upload fields are shown.
	CanUpload bool
}

// formValues are the values of a form as sent, to fill it in again.
type formValues map[string][]string

// Get returns the first value of field, or "".
func (f formValues) Get(field string) string {
	if v := f[field]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Has reports whether field holds value among its values (checkboxes).
func (f formValues) Has(field, value string) bool {
	for _, v := range f[field] {
		if v == value {
			return true
		}
	}
	return false
}

// render writes page name with status. The page is rendered to a buffer
// first, so a template error becomes a 500 page, not half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	p, ok := s.pages[name]
	if !ok {
		s.fail(w, r, fmt.Errorf("render: no page %q", name))
		return
	}
	v.User = userOf(r)
	v.Path = r.URL.Path
	v.CanUpload = s.media != nil
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.fail(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// errorData is what the error page shows.
type errorData struct {
	Status  int
	Heading string
	Message string
}

// errorPage renders the site's error page for status, with message or a
// default one for the status.
func (s *server) errorPage(w http.ResponseWriter, r *http.Request, status int, message string) {
	heading := http.StatusText(status)
	if message == "" {
		switch status {
		case http.StatusNotFound:
			heading, message = "Page not found", "There is nothing at this address. It may have been deleted, or the link may be wrong."
		case http.StatusInternalServerError:
			message = "Something went wrong on our side. Please try again in a moment."
		default:
			message = heading + "."
		}
	}
	p := s.pages["error"]
	var buf bytes.Buffer
	v := view{User: userOf(r), Title: heading, Path: r.URL.Path, Data: errorData{Status: status, Heading: heading, Message: message}}
	if err := p.tmpl.ExecuteTemplate(&buf, "layout", v); err != nil {
		// The error page itself failed: plain text is all that is left.
		s.log.LogAttrs(r.Context(), slog.LevelError, "web: render error page", slog.String("error", err.Error()))
		http.Error(w, heading, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// fail answers a request whose store call failed: the 429 page for a
// spent rate limit, the 403 page for what is not the user's to use, the
// 404 page for a row that does not exist, the 409
// message for a conflict, and a logged 500 for anything else. Forms handle validation errors before they get here.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var (
		conflict *catalog.ConflictError
		invalid  *catalog.ValidationError
		limited  *ratelimit.ExceededError
	)
	switch {
	case errors.As(err, &limited):
		s.tooManyRequests(w, r, limited.RetryAfter)
	case errors.Is(err, catalog.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden, "")
	case errors.Is(err, catalog.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "")
	case errors.As(err, &conflict):
		s.errorPage(w, r, http.StatusConflict, capitalize(conflict.Message)+".")
	case errors.As(err, &invalid) && invalid.Fields["cursor"] != "":
		// A link to a next page that was altered, or made for another list.
		s.errorPage(w, r, http.StatusBadRequest, "This link to a next page is out of date or was altered: start again from the first page.")
	case errors.Is(err, context.Canceled):
		// The visitor went away; nobody is left to answer.
	default:
		s.log.LogAttrs(r.Context(), slog.LevelError, "web: request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		s.errorPage(w, r, http.StatusInternalServerError, "")
	}
}

// fieldErrors returns the message per field of a validation error or of a
// conflict that names a field, for a form to show beside its fields; ok is
// false for any other error.
func fieldErrors(err error) (map[string]string, bool) {
	var invalid *catalog.ValidationError
	if errors.As(err, &invalid) {
		return invalid.Fields, true
	}
	var conflict *catalog.ConflictError
	if errors.As(err, &conflict) && conflict.Field != "" {
		return map[string]string{conflict.Field: conflict.Message}, true
	}
	return nil, false
}

// capitalize returns s with its first letter upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
