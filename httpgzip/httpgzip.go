// Package httpgzip is moviedb's gzip content coding for HTTP: it decides
// from Accept-Encoding whether a response may be gzipped, names the gzipped
// representation's entity tag, keeps gzip writers in a pool, and compresses
// responses on the fly (Handler) or serves bodies compressed ahead of time
// (Precompressed).
//
// A gzipped representation has an ETag of its own: the identity tag with
// "-gzip" added inside the quotes (RFC 9110, 8.8.3, forbids one strong tag
// for two representations). Handler turns such a tag in If-None-Match or
// If-Match back into the identity one before handlers see it, so a handler
// compares with the one tag it knows and either form validates.
package httpgzip

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// MinSize is the smallest body worth compressing. Below it gzip's header
// and trailer (18 bytes) and a lost Content-Length outweigh what it saves,
// and a problem+json error or a short list page is well under one TCP
// segment either way.
const MinSize = 1024

// Level is the compression level of responses compressed per request:
// the fastest. Bodies compressed once and kept (cached details, static
// files) use CachedLevel.
const (
	Level       = gzip.BestSpeed
	CachedLevel = gzip.DefaultCompression
)

// etagSuffix marks the entity tag of a gzipped representation.
const etagSuffix = "-gzip"

// ETag returns the entity tag of the gzipped form of a representation
// whose identity tag is tag. A weak tag is returned as it is: weak tags
// may be shared by representations that are equivalent in meaning.
func ETag(tag string) string {
	if len(tag) < 2 || !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) {
		return tag
	}
	return tag[:len(tag)-1] + etagSuffix + `"`
}

// identityTag returns the identity tag a gzipped representation's tag was
// made from by ETag, and whether tag was one.
func identityTag(tag string) (string, bool) {
	t := strings.TrimPrefix(tag, "W/")
	if !strings.HasSuffix(t, etagSuffix+`"`) || len(t) < len(etagSuffix)+2 || t[0] != '"' {
		return tag, false
	}
	return tag[:len(tag)-len(etagSuffix)-1] + `"`, true
}

// Accepts reports whether a request's Accept-Encoding lets the response be
// gzipped, and gzip is preferred to no coding at all (RFC 9110, 12.5.3):
// "gzip" (or "x-gzip") with a weight above 0, or "*" with one when gzip is
// not named; and identity, if named (or covered by "*"), with no greater
// weight. Without the header, or with an empty one, the answer is no.
func Accepts(h http.Header) bool {
	values := h.Values("Accept-Encoding")
	if len(values) == 0 {
		return false
	}
	gzipQ, starQ, identityQ := -1.0, -1.0, -1.0
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding == "" {
				continue
			}
			q, ok := weight(params)
			if !ok {
				continue // a malformed weight: ignore the element
			}
			switch coding {
			case "gzip", "x-gzip":
				gzipQ = max(gzipQ, q)
			case "*":
				starQ = max(starQ, q)
			case "identity":
				identityQ = max(identityQ, q)
			}
		}
	}
	if gzipQ < 0 {
		gzipQ = starQ
	}
	if identityQ < 0 {
		identityQ = starQ
	}
	return gzipQ > 0 && gzipQ >= identityQ
}

// weight returns the q parameter of an Accept-Encoding element's
// parameters: 1 without one, and ok false when it is not a number from 0
// to 1 with at most three decimals.
func weight(params string) (q float64, ok bool) {
	q = 1
	for _, p := range strings.Split(params, ";") {
		name, value, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		value = strings.TrimSpace(value)
		if len(value) == 0 || len(value) > 5 || (value[0] != '0' && value[0] != '1') {
			return 0, false
		}
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < 0 || f > 1 {
			return 0, false
		}
		q = f
	}
	return q, true
}

// Negotiate reports whether the response to r may be gzipped: the client
// accepts gzip, and r is neither a HEAD (whose headers describe the
// uncompressed GET) nor a range request (ranges are of the identity form).
func Negotiate(r *http.Request) bool {
	return r.Method != http.MethodHead && r.Header.Get("Range") == "" && Accepts(r.Header)
}

// Compressible reports whether a response of content type ctype is text
// that gzip shrinks: JSON, HTML, CSS, JavaScript, plain text, XML, SVG.
// Images, archives and other binary types are compressed already.
func Compressible(ctype string) bool {
	mt, _, _ := strings.Cut(ctype, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch {
	case strings.HasPrefix(mt, "text/"):
		return true
	case mt == "application/json", strings.HasSuffix(mt, "+json"),
		mt == "application/javascript", mt == "application/xml", strings.HasSuffix(mt, "+xml"):
		return true
	}
	return false
}

// AddVary adds Accept-Encoding to h's Vary, unless it is there.
func AddVary(h http.Header) {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// writerPools hold gzip writers by level, so that a response does not
// allocate a compressor (over 800 KB at the default level) of its own.
var writerPools sync.Map // level → *sync.Pool

func writerPool(level int) *sync.Pool {
	if p, ok := writerPools.Load(level); ok {
		return p.(*sync.Pool)
	}
	p, _ := writerPools.LoadOrStore(level, &sync.Pool{New: func() any {
		gz, err := gzip.NewWriterLevel(io.Discard, level)
		if err != nil {
			panic("httpgzip: " + err.Error()) // only the constants above are used
		}
		return gz
	}})
	return p.(*sync.Pool)
}

// getWriter returns a pooled gzip writer of level writing to dst.
func getWriter(level int, dst io.Writer) *gzip.Writer {
	gz := writerPool(level).Get().(*gzip.Writer)
	gz.Reset(dst)
	return gz
}

// putWriter returns gz to its pool.
func putWriter(level int, gz *gzip.Writer) {
	gz.Reset(io.Discard) // drop the reference to the last destination
	writerPool(level).Put(gz)
}

// Compress returns body gzipped at level with a pooled writer.
func Compress(body []byte, level int) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body)/3 + 64)
	gz := getWriter(level, &buf)
	gz.Write(body) // writes to a bytes.Buffer do not fail
	gz.Close()
	putWriter(level, gz)
	return buf.Bytes()
}

// readerPool holds gzip readers for Decompress.
var readerPool sync.Pool

// Decompress returns the bytes gzipped in gz, which Compress made.
func Decompress(gz []byte) ([]byte, error) {
	zr, _ := readerPool.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(bytes.NewReader(gz))
	} else {
		err = zr.Reset(bytes.NewReader(gz))
	}
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	defer readerPool.Put(zr)
	out := bytes.NewBuffer(make([]byte, 0, 3*len(gz)))
	if _, err := io.Copy(out, zr); err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	return out.Bytes(), nil
}
