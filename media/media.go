// Package media is moviedb's image service: it inspects uploads (type by
// their bytes, size and dimension limits), stores them in a blob.Store and
// records them in the catalog, makes thumbnails, answers the URLs clients
// fetch images at, and collects garbage between storage and database.
//
// An upload writes the object first and then, in one transaction, the
// img_files row with its link (poster, photo, avatar); when the row fails,
// the object is deleted. So a row exists only for a stored object, and an
// object without a row is left only by a crash between the two steps,
// which `moviedb files gc` finds.
package media

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/moviedb/moviedb/blob"
	"github.com/moviedb/moviedb/catalog"
)

// Store is what the service needs from the database. *sqlstore.Store
// satisfies it.
type Store interface {
	// CreateFile inserts a file row.
	CreateFile(ctx context.Context, f *catalog.File) error
	// CreateMoviePoster inserts a file and makes it a movie's poster.
	CreateMoviePoster(ctx context.Context, movieID int64, f *catalog.File) error
	// CreateUserAvatar inserts a file and makes it a user's avatar.
	CreateUserAvatar(ctx context.Context, userID int64, f *catalog.File) error
	// CreatePersonPhoto inserts a file and adds it to a person's photos.
	CreatePersonPhoto(ctx context.Context, personID int64, f *catalog.File) (*catalog.PersonPhoto, error)
	// FileByID returns a file row.
	FileByID(ctx context.Context, id int64) (*catalog.File, error)
	// DeleteFile deletes a file row and clears the references to it.
	DeleteFile(ctx context.Context, id int64) error
	// FilesAfter returns up to limit files with ids above afterID, by id.
	FilesAfter(ctx context.Context, afterID int64, limit int) ([]catalog.File, error)
	// FileKeysExist returns which of keys are the key of a file row.
	FileKeysExist(ctx context.Context, keys []string) (map[string]bool, error)
}

// Config holds what New needs.
type Config struct {
	Blob  blob.Store
	Store Store
	// BaseURL is moviedb's public base URL, e.g. "https://movies.example";
	// files moviedb serves are at BaseURL + "/files/" + key.
	BaseURL string
	Limits  Limits
	// Logger receives failures to clean up objects. Nil discards them.
	Logger *slog.Logger
	// Now gives the time keys are dated with. Nil means time.Now.
	Now func() time.Time
}

// A Service stores and serves images. It is safe for concurrent use.
type Service struct {
	blob    blob.Store
	store   Store
	baseURL string
	limits  Limits
	log     *slog.Logger
	now     func() time.Time
	// direct is true when the backend has permanent URLs of its own (S3
	// with public_url): clients then fetch originals there.
	direct bool
	// thumbs makes each missing thumbnail once however many requests ask
	// for it at the same time; thumbSlots bounds how many are made at once.
	thumbs     singleflight.Group
	thumbSlots chan struct{}
}

// New returns a service over cfg.
func New(cfg Config) *Service {
	s := &Service{
		blob: cfg.Blob, store: cfg.Store,
		baseURL: strings.TrimRight(cfg.BaseURL, "/"),
		limits:  cfg.Limits.withDefaults(),
		log:     cfg.Logger, now: cfg.Now,
		thumbSlots: make(chan struct{}, thumbConcurrency()),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	// Whether URLs are permanent is a property of the backend's
	// configuration, the same for every key.
	_, s.direct, _ = s.blob.URL(context.Background(), "probe")
	return s
}

// Limits returns the upload limits in force.
func (s *Service) Limits() Limits { return s.limits }

// Kinds of upload, which name the first segment of their keys.
const (
	kindPoster = "posters"
	kindPhoto  = "photos"
	kindAvatar = "avatars"
	kindFile   = "files"
)

// newKey returns a fresh key for an upload of kind, e.g.
// "posters/2026/11/<26 random characters>.jpg": dated for humans browsing
// a bucket, random so that keys are unguessable and never reused.
func (s *Service) newKey(kind, ext string) string {
	t := s.now().UTC()
	return fmt.Sprintf("%s/%04d/%02d/%s%s", kind, t.Year(), int(t.Month()), strings.ToLower(rand.Text()), ext)
}

// Inspect checks an upload against the service's limits; see Inspect.
func (s *Service) Inspect(fileName string, r io.Reader) (*Upload, error) {
	return Inspect(fileName, r, s.limits)
}

// save stores up, uploaded by user uploaderID, under a new key of kind and
// then calls record with its file, deleting the object again when record
// fails. The file records its uploader, who alone may choose it as their
// avatar.
func (s *Service) save(ctx context.Context, kind string, uploaderID int64, up *Upload, record func(f *catalog.File) error) (*catalog.File, error) {
	key := s.newKey(kind, up.Ext)
	if err := s.blob.Put(ctx, key, bytes.NewReader(up.Data), up.MimeType); err != nil {
		return nil, fmt.Errorf("media: store %s: %w", kind, err)
	}
	f := &catalog.File{FileName: up.FileName, MimeType: up.MimeType, Key: key, URL: s.fileURL(key), UploaderID: &uploaderID}
	if err := record(f); err != nil {
		// The client may have gone; the object must go all the same.
		if derr := s.blob.Delete(context.WithoutCancel(ctx), key); derr != nil {
			s.log.LogAttrs(ctx, slog.LevelError, "media: delete object of a failed upload",
				slog.String("key", key), slog.String("error", derr.Error()))
		}
		return nil, err
	}
	return f, nil
}

// SaveFile stores an inspected upload of user uploaderID as a file of its
// own (POST /files).
func (s *Service) SaveFile(ctx context.Context, uploaderID int64, up *Upload) (*catalog.File, error) {
	return s.save(ctx, kindFile, uploaderID, up, func(f *catalog.File) error { return s.store.CreateFile(ctx, f) })
}

// SavePoster stores an inspected upload of user uploaderID as the poster
// of a movie.
func (s *Service) SavePoster(ctx context.Context, movieID, uploaderID int64, up *Upload) (*catalog.File, error) {
	return s.save(ctx, kindPoster, uploaderID, up, func(f *catalog.File) error { return s.store.CreateMoviePoster(ctx, movieID, f) })
}

// SaveAvatar stores an inspected upload as the avatar of a user, who
// uploaded it.
func (s *Service) SaveAvatar(ctx context.Context, userID int64, up *Upload) (*catalog.File, error) {
	return s.save(ctx, kindAvatar, userID, up, func(f *catalog.File) error { return s.store.CreateUserAvatar(ctx, userID, f) })
}

// SavePersonPhoto stores an inspected upload of user uploaderID as a photo
// of a person; the person's first photo becomes primary.
func (s *Service) SavePersonPhoto(ctx context.Context, personID, uploaderID int64, up *Upload) (*catalog.File, *catalog.PersonPhoto, error) {
	var photo *catalog.PersonPhoto
	f, err := s.save(ctx, kindPhoto, uploaderID, up, func(f *catalog.File) error {
		var err error
		photo, err = s.store.CreatePersonPhoto(ctx, personID, f)
		return err
	})
	return f, photo, err
}

// SetMoviePoster inspects the image r, uploaded by user uploaderID, and
// makes it the poster of a movie.
func (s *Service) SetMoviePoster(ctx context.Context, movieID, uploaderID int64, fileName string, r io.Reader) (*catalog.File, error) {
	up, err := s.Inspect(fileName, r)
	if err != nil {
		return nil, err
	}
	return s.SavePoster(ctx, movieID, uploaderID, up)
}

// AddPersonPhoto inspects the image r, uploaded by user uploaderID, and
// adds it to a person's photos.
func (s *Service) AddPersonPhoto(ctx context.Context, personID, uploaderID int64, fileName string, r io.Reader) (*catalog.PersonPhoto, error) {
	up, err := s.Inspect(fileName, r)
	if err != nil {
		return nil, err
	}
	_, photo, err := s.SavePersonPhoto(ctx, personID, uploaderID, up)
	return photo, err
}

// SetAvatar inspects the image r and makes it a user's avatar.
func (s *Service) SetAvatar(ctx context.Context, userID int64, fileName string, r io.Reader) (*catalog.File, error) {
	up, err := s.Inspect(fileName, r)
	if err != nil {
		return nil, err
	}
	return s.SaveAvatar(ctx, userID, up)
}

// DeleteFile deletes a file's row, which clears it as poster or avatar and
// removes it from persons' photos, then its object and thumbnails. An
// object left by a failure here is found by gc.
func (s *Service) DeleteFile(ctx context.Context, id int64) error {
	f, err := s.store.FileByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteFile(ctx, id); err != nil {
		return err
	}
	if catalog.IsExternalKey(f.Key) {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	if err := s.deleteObjects(ctx, f.Key); err != nil {
		return fmt.Errorf("media: delete file %d: %w", id, err)
	}
	return nil
}

// deleteObjects deletes the object under key and its thumbnails.
func (s *Service) deleteObjects(ctx context.Context, key string) error {
	var thumbs []string
	err := s.blob.List(ctx, thumbPrefix(key), func(i blob.Info) error {
		thumbs = append(thumbs, i.Key)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range append(thumbs, key) {
		if err := s.blob.Delete(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// fileURL returns where clients fetch the stored object key: the
// backend's own permanent URL when it has one, else moviedb's /files/.
func (s *Service) fileURL(key string) string {
	if s.direct {
		if u, _, err := s.blob.URL(context.Background(), key); err == nil {
			return u
		}
	}
	return s.baseURL + "/files/" + key
}

// FileURL returns the URL clients fetch f at. For a stored file it follows
// the current configuration (base URL, S3 public URL) rather than the url
// column written at upload; an external file's URL is its url column.
func (s *Service) FileURL(f *catalog.File) string {
	if catalog.IsExternalKey(f.Key) || blob.CheckKey(f.Key) != nil {
		return f.URL
	}
	return s.fileURL(f.Key)
}

// ThumbURL returns the URL of f's thumbnail width pixels wide, served by
// moviedb at BaseURL/files/KEY?w=WIDTH, or f's own URL for an external
// file, which has no thumbnails.
func (s *Service) ThumbURL(f *catalog.File, width int) string {
	if catalog.IsExternalKey(f.Key) || blob.CheckKey(f.Key) != nil {
		return f.URL
	}
	return fmt.Sprintf("%s/files/%s?w=%d", s.baseURL, f.Key, width)
}

// ThumbnailWidthParam is the placeholder of ThumbnailTemplate's URLs.
const ThumbnailWidthParam = "{width}"

// ThumbnailTemplate returns the URL of f's thumbnails with
// ThumbnailWidthParam in place of the width, one of
// catalog.ThumbnailWidths; ok is false for an external file, which has
// none. One template rather than a URL per width keeps file objects small:
// a movie detail names a dozen files.
func (s *Service) ThumbnailTemplate(f *catalog.File) (url string, ok bool) {
	if catalog.IsExternalKey(f.Key) || blob.CheckKey(f.Key) != nil {
		return "", false
	}
	return s.baseURL + "/files/" + f.Key + "?w=" + ThumbnailWidthParam, true
}

// errNoObject marks a missing object as not found to callers.
var errNoObject = fmt.Errorf("%w: no such file", catalog.ErrNotFound)

// asNotFound turns blob.ErrNotFound and blob.ErrBadKey into
// catalog.ErrNotFound: a key a client names that is not stored.
func asNotFound(err error) error {
	if errors.Is(err, blob.ErrNotFound) || errors.Is(err, blob.ErrBadKey) {
		return errNoObject
	}
	return err
}

func isNotFound(err error) bool { return errors.Is(err, catalog.ErrNotFound) }
