package httpapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/httpgzip"
	"github.com/moviedb/moviedb/media/mediatest"
)

// rawClient talks HTTP without gzip of its own: it sends Accept-Encoding
// only when a test sets it, and hands back bodies as sent.
type rawClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newRawClient(t *testing.T, h http.Handler) *rawClient {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &rawClient{t: t, base: srv.URL, c: &http.Client{Transport: &http.Transport{DisableCompression: true}}}
}

// A rawResponse is a response with its body as sent and decoded.
type rawResponse struct {
	status  int
	header  http.Header
	sent    []byte // as it came over the wire
	decoded []byte // gunzipped when Content-Encoding is gzip
}

// get sends method path with the header pairs given (name, value, …).
func (c *rawClient) send(method, path string, header ...string) rawResponse {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	sent, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	out := rawResponse{status: resp.StatusCode, header: resp.Header, sent: sent, decoded: sent}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if out.decoded, err = httpgzip.Decompress(sent); err != nil {
			c.t.Fatalf("%s %s: gzipped body does not decode: %v", method, path, err)
		}
		if cl := resp.Header.Get("Content-Length"); cl != "" && cl != fmt.Sprint(len(sent)) {
			c.t.Errorf("%s %s: Content-Length %s for %d bytes sent", method, path, cl, len(sent))
		}
	}
	return out
}

func (c *rawClient) get(path string, header ...string) rawResponse {
	return c.send("GET", path, header...)
}

func hasVary(h http.Header) bool {
	return strings.Contains(strings.ToLower(strings.Join(h.Values("Vary"), ",")), "accept-encoding")
}

// checkNegotiation GETs path as a client without Accept-Encoding and as
// one accepting gzip, and checks that the second gets the first's body
// gzipped, each with Vary, and returns the two.
func checkNegotiation(t *testing.T, c *rawClient, path string) (identity, gzipped rawResponse) {
	t.Helper()
	identity = c.get(path)
	gzipped = c.get(path, "Accept-Encoding", "gzip")
	if identity.status != http.StatusOK || gzipped.status != http.StatusOK {
		t.Fatalf("GET %s = %d, %d with gzip; want 200", path, identity.status, gzipped.status)
	}
	if ce := identity.header.Get("Content-Encoding"); ce != "" {
		t.Errorf("GET %s without Accept-Encoding: Content-Encoding %q", path, ce)
	}
	if ce := gzipped.header.Get("Content-Encoding"); ce != "gzip" {
		t.Errorf("GET %s accepting gzip: Content-Encoding %q; want gzip", path, ce)
	}
	if !bytes.Equal(identity.decoded, gzipped.decoded) {
		t.Errorf("GET %s: gzipped body decodes to %d bytes unlike the %d sent plain", path, len(gzipped.decoded), len(identity.decoded))
	}
	if len(gzipped.sent) >= len(identity.sent) {
		t.Errorf("GET %s: %d bytes gzipped, %d plain", path, len(gzipped.sent), len(identity.sent))
	}
	if !hasVary(identity.header) || !hasVary(gzipped.header) {
		t.Errorf("GET %s: Vary %q and %q with gzip; want Accept-Encoding in both", path,
			identity.header.Values("Vary"), gzipped.header.Values("Vary"))
	}
	return identity, gzipped
}

// checkTags checks the ETags of the two forms of path and that
// If-None-Match with either gives a 304 carrying the tag sent, whatever
// the client accepts.
func checkTags(t *testing.T, c *rawClient, path string, identity, gzipped rawResponse) {
	t.Helper()
	tag := identity.header.Get("ETag")
	if tag == "" || !strings.HasPrefix(tag, `"`) {
		t.Fatalf("GET %s: ETag %q; want a strong one", path, tag)
	}
	if got, want := gzipped.header.Get("ETag"), strings.TrimSuffix(tag, `"`)+`-gzip"`; got != want {
		t.Errorf("GET %s accepting gzip: ETag %q; want %q", path, got, want)
	}
	for _, sent := range []string{tag, gzipped.header.Get("ETag")} {
		for _, ae := range []string{"", "gzip"} {
			w := c.get(path, "If-None-Match", `"other", `+sent, "Accept-Encoding", ae)
			if w.status != http.StatusNotModified || len(w.sent) != 0 || w.header.Get("Content-Encoding") != "" {
				t.Errorf("GET %s, If-None-Match %s, Accept-Encoding %q = %d with %d bytes, Content-Encoding %q; want a bare 304",
					path, sent, ae, w.status, len(w.sent), w.header.Get("Content-Encoding"))
			}
			if got := w.header.Get("ETag"); got != sent {
				t.Errorf("GET %s, If-None-Match %s: 304 with ETag %q; want the tag sent", path, sent, got)
			}
		}
	}
}

// TestCompressionNegotiated checks, over real HTTP, which answers are
// gzipped and that each decodes to the plain one: lists, a movie detail
// (cache miss and hit, and with the cache off), the OpenAPI document; and
// what is never gzipped: without gzip accepted, small bodies, HEAD,
// images, ranges and 304s.
func TestCompressionNegotiated(t *testing.T) {
	t.Parallel()
	for _, cacheBytes := range []int{0, -1} {
		t.Run(fmt.Sprintf("cache=%d", cacheBytes), func(t *testing.T) {
			t.Parallel()
			runAPI(t, func(c *Config) { c.DetailCacheBytes = cacheBytes }, func(t *testing.T, api *testAPI) {
				c := newRawClient(t, api.h)
				var id int64
				admin := api.mintToken(api.createUser("mother", catalog.AdminRole).ID)
				description := strings.Repeat("A story told at length, as real descriptions are. ", 40)
				for i := range 20 {
					w := api.do("POST", "/api/v1/movies", admin,
						fmt.Sprintf(`{"title": "Movie number %d", "description": %q}`, i, description))
					api.want(w, http.StatusCreated, "create movie")
					id = decode[movieDetailJSON](t, w).ID
				}
				detail := fmt.Sprintf("/api/v1/movies/%d", id)

				// A miss accepting gzip, then hits both ways.
				gzipped := c.get(detail, "Accept-Encoding", "gzip")
				identity, _ := checkNegotiation(t, c, detail)
				if !bytes.Equal(gzipped.decoded, identity.decoded) {
					t.Errorf("GET %s: the first, gzipped answer differs from later ones", detail)
				}
				checkTags(t, c, detail, identity, gzipped)
				// A write conditional on the gzipped form's tag goes ahead.
				r := httptest.NewRequest("PATCH", detail, strings.NewReader(`{"duration": 100}`))
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Authorization", "Bearer "+admin)
				r.Header.Set("If-Match", gzipped.header.Get("ETag"))
				w := httptest.NewRecorder()
				api.h.ServeHTTP(w, r)
				api.want(w, http.StatusOK, "PATCH with If-Match of the gzipped form")
				gzipped = c.get(detail, "Accept-Encoding", "gzip")
				identity, _ = checkNegotiation(t, c, detail)
				checkTags(t, c, detail, identity, gzipped)

				checkNegotiation(t, c, "/api/v1/movies?per_page=100")
				doc, docGzipped := checkNegotiation(t, c, "/api/v1/openapi.json")
				if !bytes.Equal(doc.decoded, openAPIDocument) {
					t.Error("GET /api/v1/openapi.json is not the embedded document")
				}
				checkTags(t, c, "/api/v1/openapi.json", doc, docGzipped)
				checkNegotiation(t, c, "/docs/assets/docs.js")

				for _, ae := range []string{"gzip;q=0", "identity", "br", "gzip;q=0.5, identity", "*;q=0", "gzip;q=x"} {
					w := c.get("/api/v1/movies?per_page=100", "Accept-Encoding", ae)
					if w.status != http.StatusOK || w.header.Get("Content-Encoding") != "" || !hasVary(w.header) {
						t.Errorf("Accept-Encoding %q: %d, Content-Encoding %q, Vary %q; want 200 plain with Vary",
							ae, w.status, w.header.Get("Content-Encoding"), w.header.Values("Vary"))
					}
				}
				for _, ae := range []string{"gzip, identity;q=0", "*", "deflate, GZIP;q=0.8", "x-gzip"} {
					if w := c.get(detail, "Accept-Encoding", ae); w.header.Get("Content-Encoding") != "gzip" {
						t.Errorf("Accept-Encoding %q: Content-Encoding %q; want gzip", ae, w.header.Get("Content-Encoding"))
					}
				}
				// Small bodies, HEAD and ranges stay plain.
				if w := c.get("/api/v1/movies/999999", "Accept-Encoding", "gzip"); w.status != http.StatusNotFound || w.header.Get("Content-Encoding") != "" {
					t.Errorf("a small 404 problem: %d, Content-Encoding %q; want it plain", w.status, w.header.Get("Content-Encoding"))
				}
				for _, path := range []string{detail, "/api/v1/movies?per_page=100", "/api/v1/openapi.json"} {
					if w := c.send("HEAD", path, "Accept-Encoding", "gzip"); w.status != http.StatusOK || w.header.Get("Content-Encoding") != "" {
						t.Errorf("HEAD %s: %d, Content-Encoding %q; want it plain", path, w.status, w.header.Get("Content-Encoding"))
					}
					if w := c.get(path, "Accept-Encoding", "gzip", "Range", "bytes=0-9"); w.header.Get("Content-Encoding") != "" {
						t.Errorf("GET %s with Range: Content-Encoding %q; want it plain", path, w.header.Get("Content-Encoding"))
					}
				}
			})
		})
	}
}

// TestCompressionSkipsImages checks that an image under /files/, whole or
// a range, is never gzipped, nor its 304.
func TestCompressionSkipsImages(t *testing.T) {
	t.Parallel()
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		c := newRawClient(t, api.h)
		admin := api.mintToken(api.createUser("mother", catalog.AdminRole).ID)
		data := mediatest.PNG(200, 200)
		w := api.upload("POST", "/api/v1/files", admin, "x.png", data)
		api.want(w, http.StatusCreated, "upload")
		path := "/files/" + decode[fileJSON](t, w).Key
		whole := c.get(path, "Accept-Encoding", "gzip")
		if whole.status != http.StatusOK || whole.header.Get("Content-Encoding") != "" || !bytes.Equal(whole.sent, data) {
			t.Errorf("GET %s = %d, Content-Encoding %q; want the image plain", path, whole.status, whole.header.Get("Content-Encoding"))
		}
		part := c.get(path, "Accept-Encoding", "gzip", "Range", "bytes=0-9")
		if part.status != http.StatusPartialContent || part.header.Get("Content-Encoding") != "" || !bytes.Equal(part.sent, data[:10]) {
			t.Errorf("range of %s = %d, Content-Encoding %q; want 206 plain", path, part.status, part.header.Get("Content-Encoding"))
		}
		tag := whole.header.Get("ETag")
		if nm := c.get(path, "Accept-Encoding", "gzip", "If-None-Match", tag); nm.status != http.StatusNotModified || nm.header.Get("ETag") != tag {
			t.Errorf("conditional GET of %s = %d with ETag %q; want 304 with %q", path, nm.status, nm.header.Get("ETag"), tag)
		}
	})
}
