package httpgzip

import (
	"bytes"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestAccepts(t *testing.T) {
	for _, tc := range []struct {
		header []string // nil: no Accept-Encoding at all
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZip"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"deflate, gzip;q=1.0, br"}, true},
		{[]string{"br", "gzip"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.000"}, false},
		{[]string{"gzip;q=0.001"}, true},
		{[]string{"gzip, identity;q=0"}, true},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"*, gzip;q=0"}, false},
		{[]string{"gzip;q=0, *"}, false},
		{[]string{"identity"}, false},
		{[]string{"br, deflate"}, false},
		{[]string{"gzip;q=0.5, identity"}, false},
		{[]string{"gzip;q=0.5, identity;q=0.5"}, true},
		{[]string{"gzip;q=0.5, *;q=0.1"}, true},
		{[]string{"gzip;q=2"}, false},
		{[]string{"gzip;q=-1"}, false},
		{[]string{"gzip;q=abc"}, false},
		{[]string{"gzip;q=1.0000"}, false},
		{[]string{" , ,gzip"}, true},
	} {
		h := http.Header{}
		for _, v := range tc.header {
			h.Add("Accept-Encoding", v)
		}
		if got := Accepts(h); got != tc.want {
			t.Errorf("Accept-Encoding %q: Accepts = %v; want %v", tc.header, got, tc.want)
		}
	}
}

func TestETag(t *testing.T) {
	for tag, want := range map[string]string{`"abc"`: `"abc-gzip"`, `W/"abc"`: `W/"abc"`, ``: ``, `"`: `"`} {
		if got := ETag(tag); got != want {
			t.Errorf("ETag(%s) = %s; want %s", tag, got, want)
		}
	}
	for tag, want := range map[string]string{`"abc-gzip"`: `"abc"`, `W/"abc-gzip"`: `W/"abc"`, `"abc"`: ``, `"-gzip"`: `""`, `-gzip"`: ``} {
		got, ok := identityTag(tag)
		if (want != "") != ok || (ok && got != want) {
			t.Errorf("identityTag(%s) = %s, %v; want %q", tag, got, ok, want)
		}
	}
}

// serve runs h behind Handler for a GET accepting gzip and returns the
// response with its body decoded.
func serve(t *testing.T, h http.HandlerFunc, header ...string) (*httptest.ResponseRecorder, []byte) {
	t.Helper()
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	Handler(h).ServeHTTP(w, r)
	body := w.Body.Bytes()
	if w.Header().Get("Content-Encoding") == "gzip" {
		var err error
		if body, err = Decompress(body); err != nil {
			t.Fatalf("gzipped body does not decode: %v", err)
		}
	}
	return w, body
}

// TestHandlerLengths checks the bodies Handler compresses or not by size,
// with and without a Content-Length, written whole or in pieces.
func TestHandlerLengths(t *testing.T) {
	// Hex of random bytes: text that gzip only halves, so that the
	// longest body's compressed form is over maxBuffered.
	raw := make([]byte, maxBuffered)
	rand.NewChaCha8([32]byte{1}).Read(raw)
	text := []byte(hex.EncodeToString(raw))
	for _, tc := range []struct {
		name      string
		size      int
		setLength bool
		pieces    int
		gzipped   bool
		length    bool // the gzipped response has a Content-Length
	}{
		{"small with length", MinSize - 1, true, 1, false, false},
		{"small without length", MinSize - 1, false, 3, false, false},
		{"threshold with length", MinSize, true, 1, true, true},
		{"threshold in pieces", MinSize, false, 7, true, true},
		{"large in pieces", 100 << 10, false, 50, true, true},
		{"over the held-back limit", len(text), false, 100, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := text[:tc.size]
			w, got := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("ETag", `"abc"`)
				if tc.setLength {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				step := (len(body) + tc.pieces - 1) / tc.pieces
				for b := body; len(b) > 0; {
					n := min(step, len(b))
					w.Write(b[:n])
					b = b[n:]
				}
			})
			if !bytes.Equal(got, body) {
				t.Fatalf("body decodes to %d bytes; want the %d written", len(got), len(body))
			}
			if gz := w.Header().Get("Content-Encoding") == "gzip"; gz != tc.gzipped {
				t.Errorf("gzipped = %v; want %v", gz, tc.gzipped)
			}
			wantTag := `"abc"`
			if tc.gzipped {
				wantTag = `"abc-gzip"`
			}
			if w.Header().Get("ETag") != wantTag {
				t.Errorf("ETag %q; want %q", w.Header().Get("ETag"), wantTag)
			}
			cl := w.Header().Get("Content-Length")
			if tc.gzipped && (cl != "") != tc.length {
				t.Errorf("Content-Length %q; want one: %v", cl, tc.length)
			}
			if tc.gzipped && cl != "" && cl != strconv.Itoa(w.Body.Len()) {
				t.Errorf("Content-Length %s for %d bytes", cl, w.Body.Len())
			}
			if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q", w.Header().Get("Vary"))
			}
		})
	}
}

// TestHandlerLeavesAlone checks the responses Handler passes on as they
// are: binary types, bodies the handler encoded, statuses without a whole
// body; and that a flush sends what was written so far.
func TestHandlerLeavesAlone(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 4*MinSize)
	for name, h := range map[string]http.HandlerFunc{
		"image": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write(big)
		},
		"encoded by the handler": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Encoding", "br")
			w.Write(big)
		},
		"206": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusPartialContent)
			w.Write(big)
		},
	} {
		w, got := serve(t, h)
		if w.Header().Get("Content-Encoding") == "gzip" || !bytes.Equal(got, big) {
			t.Errorf("%s: Content-Encoding %q, %d bytes; want it untouched", name, w.Header().Get("Content-Encoding"), len(got))
		}
	}

	// A 304 answering a gzip-form tag carries that tag back.
	var seen string
	w, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Get("If-None-Match")
		w.Header().Set("ETag", `"abc"`)
		w.WriteHeader(http.StatusNotModified)
	}, "If-None-Match", `"zzz", "abc-gzip"`)
	if seen != `"zzz", "abc"` || w.Code != http.StatusNotModified || w.Header().Get("ETag") != `"abc-gzip"` {
		t.Errorf("If-None-Match seen as %q; 304 = %d with ETag %q", seen, w.Code, w.Header().Get("ETag"))
	}

	// A flush sends the compressed bytes so far, which decode.
	srv := httptest.NewServer(Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("first line\n"))
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	resp, err := http.DefaultClient.Do(req) // sets Accept-Encoding and gunzips itself
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	line := make([]byte, len("first line\n"))
	if _, err := io.ReadFull(resp.Body, line); err != nil || string(line) != "first line\n" || !resp.Uncompressed {
		t.Errorf("after a flush: read %q, %v, uncompressed by the client %v", line, err, resp.Uncompressed)
	}
}

// TestHandlerFlushFirst checks a handler that flushes before it writes
// (to send the header early) still gets a body that decodes, and that a
// second WriteHeader changes nothing.
func TestHandlerFlushFirst(t *testing.T) {
	body := bytes.Repeat([]byte("streamed text "), 1000)
	w, got := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		http.NewResponseController(w).Flush()
		w.WriteHeader(http.StatusTeapot)
		w.Write(body)
	})
	if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(got, body) {
		t.Errorf("flushed first: %d, Content-Encoding %q, %d bytes decoded; want 200, gzip, %d", w.Code,
			w.Header().Get("Content-Encoding"), len(got), len(body))
	}
}
