// Package blob keeps the bytes of moviedb's images in a storage backend:
// a folder on local disk or a bucket of S3-compatible object storage. Keys
// are made by moviedb, never taken from a client, and every backend refuses
// a key that could reach outside its folder or bucket prefix.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// ErrNotFound is returned by Open when no object has the key.
var ErrNotFound = errors.New("blob: object not found")

// ErrBadKey is returned when a key is not one moviedb makes: empty, too
// long, with characters outside [a-z0-9._-] and "/", with an empty, "." or
// ".." segment, or external (catalog.IsExternalKey).
var ErrBadKey = errors.New("blob: invalid key")

// A Store keeps objects by key. Implementations are safe for concurrent use.
type Store interface {
	// Put stores the bytes of r under key, replacing any object there.
	// A reader that fails leaves no object behind.
	Put(ctx context.Context, key string, r io.Reader, contentType string) error
	// Open returns the object under key, or ErrNotFound. The caller closes
	// its Body.
	Open(ctx context.Context, key string) (*Object, error)
	// Delete removes the object under key; a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every object whose key begins with prefix, in no
	// particular order, and stops at fn's first error, returning it.
	List(ctx context.Context, prefix string, fn func(Info) error) error
	// URL returns a URL from which a client can fetch key straight from
	// the backend, and whether that URL never expires. It returns "" when
	// the backend has no such URL and moviedb serves the bytes itself.
	URL(ctx context.Context, key string) (url string, permanent bool, err error)
}

// An Object is an open stored object.
type Object struct {
	// Body reads the bytes. It is an io.ReadSeeker when the backend can
	// seek (local disk), which lets range requests be served.
	Body io.ReadCloser
	Info
	// ContentType is what Put recorded, when the backend keeps it.
	ContentType string
}

// Info describes a stored object.
type Info struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// maxKeyLen bounds keys well below what S3 (1024 bytes with the prefix)
// and file systems accept.
const maxKeyLen = 512

// CheckKey returns ErrBadKey (wrapped, naming key) unless key is a key
// moviedb could have made.
func CheckKey(key string) error {
	if err := checkKey(key); err != nil {
		return fmt.Errorf("%w %q: %s", ErrBadKey, key, err)
	}
	return nil
}

func checkKey(key string) error {
	switch {
	case key == "":
		return errors.New("empty")
	case len(key) > maxKeyLen:
		return errors.New("too long")
	case catalog.IsExternalKey(key):
		return errors.New("external keys are not in storage")
	}
	for _, c := range key {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' || c == '/') {
			return fmt.Errorf("character %q not allowed", c)
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("segment %q not allowed", seg)
		}
	}
	return nil
}

// Options hold what Open needs besides the storage spec.
type Options struct {
	// Getenv reads the environment, where S3 credentials come from. Nil
	// means os.Getenv.
	Getenv func(string) string
}

// Open returns the store a spec names: "file:PATH" for a folder on local
// disk (created as needed), or
// "s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true&public_url=URL&presign=15m"
// for S3-compatible object storage, with credentials from the environment
// (see OpenS3).
func Open(ctx context.Context, spec string, opts Options) (Store, error) {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	switch {
	case strings.HasPrefix(spec, "file:"):
		return OpenLocal(strings.TrimPrefix(spec, "file:"))
	case strings.HasPrefix(spec, "s3://"):
		return OpenS3(ctx, spec, opts.Getenv)
	}
	return nil, fmt.Errorf("blob: storage %q: want file:PATH or s3://BUCKET/PREFIX?…", spec)
}
