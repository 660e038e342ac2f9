package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// A File is a stored image (a row of img_files): a poster, a person's photo
// or a user's avatar. Key names the object in storage; URL is where a client
// fetches it.
type File struct {
	ID        int64
	FileName  string
	MimeType  string
	Key       string
	URL       string
	CreatedAt time.Time
	UpdatedAt time.Time

	// UploaderID is the user who uploaded the file; nil for files from
	// before uploads recorded it, imported files and images by reference.
	// A user may choose as their avatar only a file they uploaded.
	UploaderID *int64
}

// FileFilter selects files to list.
type FileFilter struct {
	Page Page
}

// FileUpdate holds the fields of a file to change; nil means unchanged.
// The key never changes: it names the stored object.
type FileUpdate struct {
	FileName *string
	URL      *string
}

// ExternalKeyPrefix begins the key of a file that moviedb does not store:
// an image by reference, whose URL is the only way to it.
const ExternalKeyPrefix = "external/"

// IsExternalKey reports whether key names an image by reference (key
// "external/" + the hex SHA-256 of its URL) rather than an object in
// moviedb's storage. Storage never reads, writes or serves such keys, they
// have no thumbnails, and garbage collection leaves them alone.
func IsExternalKey(key string) bool { return strings.HasPrefix(key, ExternalKeyPrefix) }

// ExternalKey returns the img_files key of the external image at url:
// "external/" and the lowercase hex SHA-256 of url, so the same URL always
// names the same row.
func ExternalKey(url string) string {
	sum := sha256.Sum256([]byte(url))
	return ExternalKeyPrefix + hex.EncodeToString(sum[:])
}

// ThumbnailWidths are the widths, in pixels, thumbnails are made at; no
// other width is served, so a client cannot make the server resize an
// image to arbitrary sizes.
var ThumbnailWidths = []int{92, 185, 342, 500, 780}

// IsThumbnailWidth reports whether w is one of ThumbnailWidths.
func IsThumbnailWidth(w int) bool { return slices.Contains(ThumbnailWidths, w) }
