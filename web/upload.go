package web

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media"
)

// uploadFile is an uploaded file as a form part.
type uploadFile = multipart.File

// upload reads the image in field of a multipart form and hands it to
// store, which passes it to the media service. The service alone decides
// what an image is and how large it may be; here the body is only bounded,
// so that parsing the form cannot take more than an upload may. A missing
// file is a *catalog.ValidationError naming field.
func (s *server) upload(w http.ResponseWriter, r *http.Request, field string, store func(name string, f uploadFile) error) error {
	// The form's other fields and the multipart framing need a little room
	// beyond the image itself.
	r.Body = http.MaxBytesReader(w, r.Body, s.media.Limits().MaxBytes+maxFormBytes)
	if err := r.ParseMultipartForm(maxFormBytes); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			// Past the bound the file is certainly over the service's
			// limit; it is refused as the service refuses one.
			return &media.Error{Kind: media.ErrTooLarge, Detail: "the request body is larger than the upload limit"}
		}
		return catalog.Invalid(field, "is required")
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile(field)
	if err != nil {
		return catalog.Invalid(field, "is required")
	}
	defer f.Close()
	return store(hdr.Filename, f)
}

// finishUpload ends an upload handler: on success a redirect to next; for
// an upload the media service refused, or a validation error, again
// re-renders the form with the message beside field and the status that
// says why (413 too large, 415 not an image type, 422 otherwise); any
// other error is the error page.
func (s *server) finishUpload(w http.ResponseWriter, r *http.Request, field string, err error, what string,
	again func(status int, errs map[string]string), next string) {
	var refused *media.Error
	switch {
	case errors.Is(err, media.ErrTooLarge):
		again(http.StatusRequestEntityTooLarge, map[string]string{field: tooLargeMessage(s.media.Limits().MaxBytes)})
	case errors.Is(err, media.ErrUnsupportedType) && errors.As(err, &refused):
		again(http.StatusUnsupportedMediaType, map[string]string{field: refused.Detail})
	case errors.As(err, &refused):
		again(http.StatusUnprocessableEntity, map[string]string{field: refused.Detail})
	default:
		s.finish(w, r, err, what, func(errs map[string]string) { again(http.StatusUnprocessableEntity, errs) }, next)
	}
}

// tooLargeMessage is the field message of an upload over limit bytes.
func tooLargeMessage(limit int64) string {
	return "too large (max " + strconv.FormatFloat(float64(limit)/(1<<20), 'f', -1, 64) + " MB)"
}
