package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/webp"

	"github.com/moviedb/moviedb/catalog"
)

// ErrTooLarge is returned when an upload has more bytes than the limit.
var ErrTooLarge = errors.New("media: file too large")

// ErrUnsupportedType is returned when an upload's bytes are not a JPEG,
// PNG, GIF or WebP image, whatever its name or declared type says.
var ErrUnsupportedType = errors.New("media: unsupported file type")

// An Error is a refused upload: Kind is ErrTooLarge, ErrUnsupportedType or
// catalog.ErrInvalid, and Detail a sentence for the client.
type Error struct {
	Kind   error
	Detail string
}

func (e *Error) Error() string { return "media: " + e.Detail }

// Is reports whether target is e's kind, so errors.Is(err, ErrTooLarge)
// works on wrapped values.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Limits bound what an upload may be.
type Limits struct {
	// MaxBytes is the largest file accepted (DefaultMaxBytes when zero).
	MaxBytes int64
	// MaxSide is the largest width or height in pixels (DefaultMaxSide).
	MaxSide int
	// MaxPixels is the largest width × height (DefaultMaxPixels); decoding
	// costs memory in proportion to it.
	MaxPixels int64
}

// Default limits.
const (
	DefaultMaxBytes  = 10 << 20
	DefaultMaxSide   = 12000
	DefaultMaxPixels = 40_000_000
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultMaxSide
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	return l
}

// A format is an accepted image type.
type format struct {
	mime         string
	ext          string
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
}

// formats are the accepted types, by the MIME type http.DetectContentType
// gives their first bytes.
var formats = map[string]format{
	"image/jpeg": {"image/jpeg", ".jpg", jpeg.DecodeConfig, jpeg.Decode},
	"image/png":  {"image/png", ".png", png.DecodeConfig, png.Decode},
	"image/gif":  {"image/gif", ".gif", gif.DecodeConfig, gif.Decode},
	"image/webp": {"image/webp", ".webp", webp.DecodeConfig, webp.Decode},
}

// formatOfExt returns the format whose key extension is ext.
func formatOfExt(ext string) (format, bool) {
	for _, f := range formats {
		if f.ext == ext {
			return f, true
		}
	}
	return format{}, false
}

// An Upload is an image that passed inspection, held in memory until it
// is stored.
type Upload struct {
	// FileName is the client's name for the file, cleaned for display.
	FileName string
	// MimeType is the type found in the bytes.
	MimeType string
	// Ext is the key extension of the type, e.g. ".jpg".
	Ext           string
	Width, Height int
	Data          []byte
}

// Inspect reads an upload from r and checks it is an image moviedb
// accepts: at most limits.MaxBytes bytes (reading stops one byte past the
// limit), a JPEG, PNG, GIF or WebP by its bytes, with dimensions in bounds
// (read from the header, before any pixel is decoded), and complete (it
// decodes). fileName is the client's name for it. A refusal is an *Error.
func Inspect(fileName string, r io.Reader, limits Limits) (*Upload, error) {
	limits = limits.withDefaults()
	// The name is checked first; the extension is known only later.
	if _, err := CleanFileName(fileName, ""); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limits.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: read upload: %w", err)
	}
	if n > limits.MaxBytes {
		return nil, &Error{ErrTooLarge, fmt.Sprintf("the file is larger than the limit of %d bytes", limits.MaxBytes)}
	}
	data := buf.Bytes()
	if len(data) == 0 {
		return nil, &Error{catalog.ErrInvalid, "the file is empty"}
	}
	found := http.DetectContentType(data)
	f, ok := formats[found]
	if !ok {
		return nil, &Error{ErrUnsupportedType, fmt.Sprintf(
			"the file's content is %s, not an image of an accepted type (JPEG, PNG, GIF, WebP)", strings.Split(found, ";")[0])}
	}
	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{catalog.ErrInvalid, fmt.Sprintf("the file is not a valid %s image: %v", f.mime, err)}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > limits.MaxSide || cfg.Height > limits.MaxSide ||
		int64(cfg.Width)*int64(cfg.Height) > limits.MaxPixels {
		return nil, &Error{catalog.ErrInvalid, fmt.Sprintf(
			"the image is %d×%d pixels; at most %d pixels a side and %d pixels in all are accepted",
			cfg.Width, cfg.Height, limits.MaxSide, limits.MaxPixels)}
	}
	// Decoding the pixels catches truncated and corrupt files, which a
	// header alone does not show; the dimensions are known to be bounded.
	if _, err := f.decode(bytes.NewReader(data)); err != nil {
		return nil, &Error{catalog.ErrInvalid, fmt.Sprintf("the file is not a complete %s image: %v", f.mime, err)}
	}
	name, _ := CleanFileName(fileName, f.ext)
	return &Upload{
		FileName: name,
		MimeType: f.mime, Ext: f.ext,
		Width: cfg.Width, Height: cfg.Height,
		Data: data,
	}, nil
}

// maxFileNameRunes bounds a displayed file name.
const maxFileNameRunes = 200

// CleanFileName returns a client's file name fit for display: without
// format characters (such as bidirectional overrides), trimmed, at most 200
// characters, and "image" + ext when empty. A name holding a path (a
// separator or a "." or ".." alone) or control characters is refused: it
// is a probe, not a name. The name is only ever shown; it never becomes
// part of a key or a path.
func CleanFileName(name, ext string) (string, error) {
	if !utf8.ValidString(name) || strings.ContainsAny(name, `/\`) || name == "." || name == ".." ||
		strings.ContainsFunc(name, unicode.IsControl) {
		return "", &Error{catalog.ErrInvalid, "the file name must be a plain name, without a path or control characters"}
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name))
	if r := []rune(name); len(r) > maxFileNameRunes {
		ext := []rune(path.Ext(name))
		if len(ext) >= maxFileNameRunes/2 {
			ext = nil
		}
		name = string(r[:maxFileNameRunes-len(ext)]) + string(ext)
	}
	if name == "" {
		name = "image" + ext
	}
	return name, nil
}
