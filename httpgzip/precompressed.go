package httpgzip

import (
	"net/http"
	"strconv"
)

// Precompressed is a body kept in both forms, compressed once ahead of
// time: for static files, which never change while the process runs.
type Precompressed struct {
	Identity []byte
	// Gzip is nil when compressing is not worth it: a body under MinSize,
	// or one gzip does not shrink.
	Gzip []byte
}

// NewPrecompressed compresses body once at CachedLevel.
func NewPrecompressed(body []byte) *Precompressed {
	p := &Precompressed{Identity: body}
	if len(body) >= MinSize {
		if gz := Compress(body, CachedLevel); len(gz) < len(body) {
			p.Gzip = gz
		}
	}
	return p
}

// Select returns the form of p to answer r with and its ETag, given the
// identity form's tag, and sets the headers that go with it: Vary when p
// has a gzipped form, Content-Encoding and Content-Length always. The
// caller has answered conditional requests already, with the identity tag
// (Handler turns a gzip-form tag into it).
func (p *Precompressed) Select(w http.ResponseWriter, r *http.Request, tag string) (body []byte, etag string) {
	h := w.Header()
	body, etag = p.Identity, tag
	if p.Gzip != nil {
		AddVary(h)
		if Negotiate(r) {
			body, etag = p.Gzip, ETag(tag)
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return body, etag
}
