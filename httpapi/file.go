package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media"
)

// fileRoutes lists the routes of uploaded images: files, posters, person
// photos and the files moviedb serves itself.
func (s *server) fileRoutes() []route {
	return []route{
		{"POST /api/v1/files", adminAccess, handle(s.postFile)},
		{"GET /api/v1/files/{id}", publicAccess, handle(s.getFile)},
		{"DELETE /api/v1/files/{id}", adminAccess, handle(s.deleteFile)},
		{"PUT /api/v1/movies/{id}/poster", adminAccess, handle(s.putPoster)},
		{"GET /api/v1/persons/{id}/photos", publicAccess, handle(s.listPhotos)},
		{"POST /api/v1/persons/{id}/photos", adminAccess, handle(s.postPhoto)},
		{"PATCH /api/v1/persons/{id}/photos/{file_id}", adminAccess, handle(s.patchPhoto)},
		{"DELETE /api/v1/persons/{id}/photos/{file_id}", adminAccess, handle(s.deletePhoto)},
		{"GET /files/{key...}", publicAccess, handle(s.serveFile)},
	}
}

// multipartOverhead is what a multipart body may hold besides the file:
// boundaries and part headers.
const multipartOverhead = 64 << 10

// errNoMedia answers upload routes of an API built without media.
var errNoMedia = fmt.Errorf("uploads are not configured: %w", catalog.ErrNotFound)

// isMultipart reports whether r's body is multipart/form-data.
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// readUpload reads the one part of a multipart/form-data request, the
// field "file", and inspects it (media.Inspect) as it streams in. Another
// field or a second file is a 400, a missing file a 422, and a body past
// the upload limit a 413, found while reading.
func (s *server) readUpload(w http.ResponseWriter, r *http.Request) (*media.Upload, error) {
	if s.media == nil {
		return nil, errNoMedia
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, &requestError{status: http.StatusUnsupportedMediaType,
			detail: `send the image as multipart/form-data, in the field "file"`}
	}
	if params["boundary"] == "" {
		return nil, badRequest("", "the multipart/form-data Content-Type has no boundary")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.media.Limits().MaxBytes+multipartOverhead)
	mr := multipart.NewReader(r.Body, params["boundary"])
	var up *media.Upload
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if isTooLarge(err) {
				return nil, err
			}
			return nil, badRequest("", "the multipart body is malformed: "+err.Error())
		}
		if name := part.FormName(); name != "file" {
			return nil, badRequest(name, `unknown field; send only the image, in the field "file"`)
		}
		if up != nil {
			return nil, badRequest("file", "send one file per request")
		}
		// The raw name, not part.FileName(), which keeps only its last
		// element: a name with a path is refused, not silently cut.
		_, disp, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		if up, err = s.media.Inspect(disp["filename"], part); err != nil {
			return nil, err
		}
	}
	if up == nil {
		return nil, catalog.Invalid("file", "is required")
	}
	return up, nil
}

// postFile stores an uploaded image as a file of its own.
func (s *server) postFile(w http.ResponseWriter, r *http.Request) {
	up, err := s.readUpload(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.media.SaveFile(r.Context(), userOf(r).ID, up)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("upload file: %w", err))
		return
	}
	s.writeJSON(w, r, http.StatusCreated, s.newFileJSON(f))
}

func (s *server) getFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.store.FileByID(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("get file: %w", err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, s.newFileJSON(f))
}

// deleteFile deletes a file, its object and thumbnails; movies and users
// lose it as poster or avatar, persons as a photo.
func (s *server) deleteFile(w http.ResponseWriter, r *http.Request) {
	if s.media == nil {
		s.writeError(w, r, errNoMedia)
		return
	}
	serveDelete(s, w, r, "file", s.media.DeleteFile)
}

// putPoster stores an uploaded image as a movie's poster.
func (s *server) putPoster(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	up, err := s.readUpload(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.media.SavePoster(r.Context(), id, userOf(r).ID, up)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("upload poster of movie %d: %w", id, err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, s.newFileJSON(f))
}

// listPhotos answers a person's photos, the primary one first, read with
// the person's detail (a fixed number of queries).
func (s *server) listPhotos(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := s.store.PersonDetail(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("photos of person %d: %w", id, err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, s.newPersonDetailJSON(d).Photos)
}

// postPhoto stores an uploaded image as a photo of a person.
func (s *server) postPhoto(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	up, err := s.readUpload(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, p, err := s.media.SavePersonPhoto(r.Context(), id, userOf(r).ID, up)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("upload photo of person %d: %w", id, err))
		return
	}
	s.writeJSON(w, r, http.StatusCreated, photoJSON{fileJSON: *s.newFileJSON(f), IsPrimary: p.IsPrimary})
}

type photoInput struct {
	IsPrimary *bool `json:"is_primary"`
}

// patchPhoto makes a photo its person's primary one; the previous primary
// photo stops being primary in the same transaction.
func (s *server) patchPhoto(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	fileID, err := pathID(r, "file_id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in photoInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.store.UpdatePersonPhoto(r.Context(), id, fileID, catalog.PersonPhotoUpdate{IsPrimary: in.IsPrimary})
	if err != nil {
		s.writeError(w, r, fmt.Errorf("update photo %d of person %d: %w", fileID, id, err))
		return
	}
	f, err := s.store.FileByID(r.Context(), fileID)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("update photo %d of person %d: %w", fileID, id, err))
		return
	}
	s.writeJSON(w, r, http.StatusOK, photoJSON{fileJSON: *s.newFileJSON(f), IsPrimary: p.IsPrimary})
}

// deletePhoto removes a photo from a person; the file itself stays (DELETE
// /files/{id} deletes it).
func (s *server) deletePhoto(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	fileID, err := pathID(r, "file_id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.RemovePersonPhoto(r.Context(), id, fileID); err != nil {
		s.writeError(w, r, fmt.Errorf("remove photo %d of person %d: %w", fileID, id, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// thumbSide reads the thumbnail size parameter name: 0 when absent.
func thumbSide(r *http.Request, name string) (int, error) {
	v := r.URL.Query()[name]
	if len(v) == 0 {
		return 0, nil
	}
	n, err := strconv.Atoi(v[0])
	if len(v) > 1 || err != nil || !catalog.IsThumbnailWidth(n) {
		return 0, badRequest(name, fmt.Sprintf("must be one of the thumbnail sizes %v", catalog.ThumbnailWidths))
	}
	return n, nil
}

// serveFile answers a stored file, or its thumbnail with w and/or h. Local
// files are sent here, with range requests and conditional GETs; S3 files
// are a redirect to the object (public or presigned URL).
func (s *server) serveFile(w http.ResponseWriter, r *http.Request) {
	if s.media == nil {
		s.writeError(w, r, errNoMedia)
		return
	}
	for name := range r.URL.Query() {
		if name != "w" && name != "h" {
			s.writeError(w, r, badRequest(name, "unknown parameter; files take w and h"))
			return
		}
	}
	width, err := thumbSide(r, "w")
	if err == nil {
		var height int
		height, err = thumbSide(r, "h")
		if err == nil {
			s.sendFile(w, r, r.PathValue("key"), width, height)
			return
		}
	}
	s.writeError(w, r, err)
}

func (s *server) sendFile(w http.ResponseWriter, r *http.Request, key string, width, height int) {
	served, err := s.media.Open(r.Context(), key, width, height)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("serve file %q: %w", key, err))
		return
	}
	h := w.Header()
	if served.Redirect != "" {
		if served.Permanent {
			h.Set("Cache-Control", "public, max-age=86400")
		} else {
			// A presigned URL expires; the redirect must not outlive it.
			h.Set("Cache-Control", "private, max-age=60")
		}
		// No body: the client follows Location.
		h.Set("Location", served.Redirect)
		w.WriteHeader(http.StatusFound)
		return
	}
	obj := served.Object
	defer obj.Body.Close()
	h.Set("Content-Type", served.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	// Keys are never reused for other bytes: an upload gets a fresh key,
	// and a thumbnail's bytes follow from its original's.
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", fmt.Sprintf(`"%x-%x"`, obj.Size, obj.ModTime.UnixNano()))
	if rs, ok := obj.Body.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", obj.ModTime, rs)
		return
	}
	h.Set("Content-Length", strconv.FormatInt(obj.Size, 10))
	if r.Method != http.MethodHead {
		io.Copy(w, obj.Body)
	}
}

// mediaError returns the problem of a refused upload (a *media.Error).
func mediaError(err *media.Error) problem {
	switch {
	case errors.Is(err, media.ErrTooLarge):
		return problem{Status: http.StatusRequestEntityTooLarge, Detail: err.Detail}
	case errors.Is(err, media.ErrUnsupportedType):
		return problem{Status: http.StatusUnsupportedMediaType, Detail: err.Detail, Errors: map[string]string{"file": err.Detail}}
	}
	return problem{Status: http.StatusUnprocessableEntity, Detail: err.Detail, Errors: map[string]string{"file": err.Detail}}
}

// tooLargeDetail is the detail of a 413 for a body past a limit.
func tooLargeDetail(limit int64) string {
	return fmt.Sprintf("the request body is larger than the limit of %d bytes", limit)
}
