package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/moviedb/moviedb/catalog"
)

// uploadFile is an uploaded file as a form part.
type uploadFile = multipart.File

// uploadTypes are the image types an upload may have, as sniffed from its
// first bytes; the media service checks again when it decodes them.
var uploadTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

// upload reads the image in field of a multipart form and hands it to
// store. A missing, too large or non-image file is a *catalog.ValidationError
// naming field, so the form shows it beside the field.
func (s *server) upload(w http.ResponseWriter, r *http.Request, field string, store func(name string, f uploadFile) error) error {
	// The form's other fields and the multipart framing need a little room
	// beyond the image itself.
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload+maxFormBytes)
	if err := r.ParseMultipartForm(maxFormBytes); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return catalog.Invalid(field, fmt.Sprintf("must be at most %d MB", s.maxUpload>>20))
		}
		return catalog.Invalid(field, "is required")
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile(field)
	if err != nil {
		return catalog.Invalid(field, "is required")
	}
	defer f.Close()
	if hdr.Size > s.maxUpload {
		return catalog.Invalid(field, fmt.Sprintf("must be at most %d MB", s.maxUpload>>20))
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read upload: %w", err)
	}
	if !uploadTypes[http.DetectContentType(head[:n])] {
		return catalog.Invalid(field, "must be a JPEG, PNG, GIF or WebP image")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	return store(hdr.Filename, f)
}
