package httpgzip

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
)

// maxBuffered is how many compressed bytes a response holds back so that
// it can be sent with a Content-Length; a longer one is streamed in chunks
// from there on.
const maxBuffered = 256 << 10

// Handler serves next, gzipping its responses where Negotiate allows and
// the response is worth it: a compressible type (Compressible), at least
// MinSize bytes, a status with a body of the whole representation (not
// 204, 206 or 304), and no Content-Encoding set by next (a body it
// compressed itself). Every compressible response gets Vary:
// Accept-Encoding, since another client may get another form. A gzipped
// response's strong ETag becomes ETag's; If-None-Match and If-Match tags
// of that form are turned back into identity ones before next sees them,
// and a 304 answering one carries the tag the client sent.
func Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, gzipTags := identityConditionals(r)
		gw := &responseWriter{ResponseWriter: w, negotiated: Negotiate(r), gzipTags: gzipTags}
		next.ServeHTTP(gw, r)
		gw.finish()
	})
}

// identityConditionals returns r with the gzip-form tags of its
// If-None-Match and If-Match turned into identity ones, and the identity
// tags it turned. r itself is returned when it has none, the usual case.
func identityConditionals(r *http.Request) (*http.Request, map[string]bool) {
	var gzipTags map[string]bool
	var header http.Header
	for _, name := range []string{"If-None-Match", "If-Match"} {
		values := r.Header.Values(name)
		if !strings.Contains(strings.Join(values, ","), etagSuffix) {
			continue
		}
		var tags []string
		for _, v := range values {
			for _, t := range strings.Split(v, ",") {
				t = strings.TrimSpace(t)
				if id, ok := identityTag(t); ok {
					if gzipTags == nil {
						gzipTags = map[string]bool{}
					}
					gzipTags[strings.TrimPrefix(id, "W/")] = true
					t = id
				}
				if t != "" {
					tags = append(tags, t)
				}
			}
		}
		if header == nil {
			header = r.Header.Clone()
		}
		header.Set(name, strings.Join(tags, ", "))
	}
	if header == nil {
		return r, nil
	}
	// A shallow copy: the request's context and everything else are
	// shared, and handlers may set its Pattern through the mux.
	r2 := new(http.Request)
	*r2 = *r
	r2.Header = header
	return r2, gzipTags
}

// responseWriter decides at WriteHeader (or, when the length is not
// known, once MinSize bytes arrived) whether to gzip the response.
type responseWriter struct {
	http.ResponseWriter
	negotiated bool            // the client accepts gzip for this request
	gzipTags   map[string]bool // identity tags the client sent in gzip form

	status   int  // held back while pending
	decided  bool // WriteHeader was called
	pending  bool // compressible, length unknown: holding pending bytes
	held     []byte
	gz       *gzip.Writer // non-nil while compressing
	out      bytes.Buffer // gz's output not yet sent
	sentHead bool         // the compressed response's header has gone out
}

func (w *responseWriter) WriteHeader(status int) {
	if w.decided {
		return // superfluous: the header is decided, maybe held back
	}
	if status < 200 { // informational: not the response itself
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.decided = true
	h := w.Header()
	if status == http.StatusNotModified && w.gzipTags[h.Get("ETag")] {
		// The client holds the gzipped form: the 304 confirms that one.
		h.Set("ETag", ETag(h.Get("ETag")))
		AddVary(h)
	}
	if !Compressible(h.Get("Content-Type")) {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	if h.Get("Content-Encoding") == "" || h.Get("Content-Encoding") == "gzip" {
		AddVary(h)
	}
	if !w.negotiated || h.Get("Content-Encoding") != "" ||
		status == http.StatusNoContent || status == http.StatusPartialContent || status == http.StatusNotModified {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.status = status
	if cl := h.Get("Content-Length"); cl != "" {
		if n, err := strconv.Atoi(cl); err == nil && n < MinSize {
			w.ResponseWriter.WriteHeader(status)
			return
		}
		w.start()
		return
	}
	w.pending = true
}

// start begins compressing: the header waits until the body is whole or
// too long to hold.
func (w *responseWriter) start() {
	w.pending = false
	w.gz = getWriter(Level, &w.out)
	if len(w.held) > 0 {
		w.gz.Write(w.held)
		w.held = nil
	}
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if !w.decided {
		if _, set := w.Header()["Content-Type"]; !set {
			// What net/http would send; Compressible needs it.
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	switch {
	case w.pending:
		if len(w.held)+len(b) < MinSize {
			w.held = append(w.held, b...)
			return len(b), nil
		}
		w.start()
		fallthrough
	case w.gz != nil:
		if _, err := w.gz.Write(b); err != nil {
			return 0, err
		}
		if w.out.Len() > maxBuffered || w.sentHead {
			if err := w.sendHead(-1); err != nil {
				return 0, err
			}
		}
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// sendHead sends the compressed response's header, with a Content-Length
// when length is not negative, and what gz wrote so far.
func (w *responseWriter) sendHead(length int) error {
	if !w.sentHead {
		w.sentHead = true
		h := w.Header()
		h.Set("Content-Encoding", "gzip")
		if length >= 0 {
			h.Set("Content-Length", strconv.Itoa(length))
		} else {
			h.Del("Content-Length")
		}
		if tag := h.Get("ETag"); tag != "" {
			h.Set("ETag", ETag(tag))
		}
		w.ResponseWriter.WriteHeader(w.status)
	}
	if w.out.Len() == 0 {
		return nil
	}
	_, err := w.ResponseWriter.Write(w.out.Bytes())
	w.out.Reset()
	return err
}

// finish sends what is held back: a short pending body as it is, or the
// end of the compressed one.
func (w *responseWriter) finish() {
	switch {
	case w.pending:
		w.ResponseWriter.WriteHeader(w.status)
		if len(w.held) > 0 {
			w.ResponseWriter.Write(w.held)
		}
	case w.gz != nil:
		w.gz.Close()
		putWriter(Level, w.gz)
		w.gz = nil
		if w.sentHead {
			w.sendHead(-1)
		} else {
			w.sendHead(w.out.Len())
		}
	}
}

// Flush sends what the handler wrote so far, compressed or not.
func (w *responseWriter) Flush() {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.pending {
		w.start()
	}
	if w.gz != nil {
		w.gz.Flush()
		w.sendHead(-1)
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
