package httpapi

import (
	"embed"
	"net/http"

	"github.com/moviedb/moviedb/httpgzip"
)

// openAPIDocument is the OpenAPI 3.1 document of the API. It is written by
// hand; the tests check every request they send, and every answer, against
// it, and check that it lists exactly the routes of the route table.
//
//go:embed openapi.json
var openAPIDocument []byte

// docsAssets holds the page that renders the document, with its script and
// style sheet: the page needs nothing from another origin.
//
//go:embed docs
var docsAssets embed.FS

// docsPolicy lets the docs page load only its own script and style sheet and
// fetch only the document, from this server.
const docsPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// A staticFile is an embedded file served with a strong ETag of its bytes,
// gzipped once at start for the clients that accept it.
type staticFile struct {
	body        *httpgzip.Precompressed
	contentType string
	etag        string
	// header holds further response headers, such as a content security
	// policy.
	header map[string]string
}

func newStaticFile(body []byte, contentType string, header map[string]string) *staticFile {
	return &staticFile{body: httpgzip.NewPrecompressed(body), contentType: contentType, etag: etagOf(body), header: header}
}

// docsFile returns the embedded docs file name, which go:embed guarantees
// exists.
func docsFile(name, contentType string, header map[string]string) *staticFile {
	body, err := docsAssets.ReadFile("docs/" + name)
	if err != nil {
		panic("httpapi: " + err.Error())
	}
	return newStaticFile(body, contentType, header)
}

// ServeHTTP answers the file, or 304 when If-None-Match names its ETag.
// Clients revalidate each time (no-cache): the files change only with the
// binary, and a 304 costs next to nothing.
func (f *staticFile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "no-cache")
	for k, v := range f.header {
		h.Set(k, v)
	}
	if noneMatchHolds(r.Header.Values("If-None-Match"), f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.contentType)
	body, etag := f.body.Select(w, r, f.etag)
	h.Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

var (
	openAPIFile = newStaticFile(openAPIDocument, "application/json", nil)
	docsPage    = docsFile("index.html", "text/html; charset=utf-8",
		map[string]string{"Content-Security-Policy": docsPolicy, "Referrer-Policy": "no-referrer"})
	docsScript = docsFile("docs.js", "text/javascript; charset=utf-8", nil)
	docsStyle  = docsFile("docs.css", "text/css; charset=utf-8", nil)
)

// docRoutes lists the routes that describe the API: the OpenAPI document
// and the page rendering it.
func (s *server) docRoutes() []route {
	return []route{
		{"GET /api/v1/openapi.json", publicAccess, openAPIFile},
		{"GET /docs", publicAccess, docsPage},
		{"GET /docs/assets/docs.js", publicAccess, docsScript},
		{"GET /docs/assets/docs.css", publicAccess, docsStyle},
	}
}
