package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/httpgzip"
)

// TestPagesCompressed checks that HTML pages and text assets are gzipped
// for a client that accepts it, decode to what a client that does not gets,
// carry Vary, and revalidate with either form's ETag.
func TestPagesCompressed(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
		get := func(path string, header ...string) (*http.Response, []byte) {
			t.Helper()
			req, err := http.NewRequest("GET", st.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Header.Get("Content-Encoding") == "gzip" {
				if body, err = httpgzip.Decompress(body); err != nil {
					t.Fatalf("GET %s: gzipped body does not decode: %v", path, err)
				}
			}
			return resp, body
		}
		vary := func(resp *http.Response) bool {
			return strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept-Encoding")
		}
		for _, path := range []string{"/", fmt.Sprintf("/movies/%d", st.ids.alien), "/static/site.css"} {
			plain, plainBody := get(path)
			gz, gzBody := get(path, "Accept-Encoding", "gzip, deflate, br")
			if plain.StatusCode != 200 || gz.StatusCode != 200 {
				t.Fatalf("GET %s = %d, %d with gzip; want 200", path, plain.StatusCode, gz.StatusCode)
			}
			if plain.Header.Get("Content-Encoding") != "" || gz.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("GET %s: Content-Encoding %q plain, %q accepting gzip; want none and gzip", path,
					plain.Header.Get("Content-Encoding"), gz.Header.Get("Content-Encoding"))
			}
			if !bytes.Equal(plainBody, gzBody) || len(plainBody) == 0 {
				t.Errorf("GET %s: the gzipped page decodes to %d bytes, the plain one has %d", path, len(gzBody), len(plainBody))
			}
			if !vary(plain) || !vary(gz) {
				t.Errorf("GET %s: Vary %q plain, %q gzipped; want Accept-Encoding in both", path, plain.Header.Values("Vary"), gz.Header.Values("Vary"))
			}
			if no, _ := get(path, "Accept-Encoding", "gzip;q=0, identity"); no.Header.Get("Content-Encoding") != "" {
				t.Errorf("GET %s with gzip;q=0: Content-Encoding %q", path, no.Header.Get("Content-Encoding"))
			}
			if tag := plain.Header.Get("ETag"); tag != "" {
				gzTag := gz.Header.Get("ETag")
				if gzTag != strings.TrimSuffix(tag, `"`)+`-gzip"` {
					t.Errorf("GET %s: ETag %q gzipped, %q plain", path, gzTag, tag)
				}
				for _, sent := range []string{tag, gzTag} {
					if nm, _ := get(path, "Accept-Encoding", "gzip", "If-None-Match", sent); nm.StatusCode != http.StatusNotModified || nm.Header.Get("ETag") != sent {
						t.Errorf("GET %s with If-None-Match %s = %d with ETag %q; want 304 with the tag sent", path, sent, nm.StatusCode, nm.Header.Get("ETag"))
					}
				}
			}
		}
	})
}
