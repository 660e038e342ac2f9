package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/moviedb/moviedb/httpgzip"
)

//go:embed static
var staticFS embed.FS

// An asset is an embedded static file, gzipped once at start, with its
// validator.
type asset struct {
	body  *httpgzip.Precompressed
	etag  string // quoted, strong
	ctype string
}

// assets holds every embedded static file by name, hashed once at start.
var assets = loadAssets()

func loadAssets() map[string]asset {
	out := map[string]asset{}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(e.Name()))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		out[e.Name()] = asset{body: httpgzip.NewPrecompressed(b), etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctype: ctype}
	}
	return out
}

// assetURL returns the URL of a static asset, versioned by its content, so
// that it can be cached for good and a new build is fetched at once.
func assetURL(name string) string {
	a, ok := assets[name]
	if !ok {
		panic("web: no static asset " + name)
	}
	return "/static/" + name + "?v=" + a.etag[1:len(a.etag)-1]
}

// serveStatic serves an embedded asset with an ETag. A request for the
// current version (the URL assetURL makes) may be cached for a year; any
// other for an hour, then revalidated.
func (s *server) serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[r.PathValue("name")]
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	h := w.Header()
	h.Set("ETag", a.etag)
	if v := r.URL.Query().Get("v"); v != "" && `"`+v+`"` == a.etag {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", a.ctype)
	body, etag := a.body.Select(w, r, a.etag)
	h.Set("ETag", etag)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// etagMatches reports whether an If-None-Match header names etag, weakly
// compared as RFC 9110 asks for GET.
func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || part == etag || part == "W/"+etag {
			return true
		}
	}
	return false
}
