package media_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/blob/blobtest"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/media/mediatest"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

var ctx = context.Background()

// run runs fn for every engine and backend.
func run(t *testing.T, fn func(t *testing.T, s *sqlstore.Store, b blobtest.Backend, m *media.Service)) {
	blobtest.Run(t, func(t *testing.T, b blobtest.Backend) {
		sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
			b := blobtest.New(t, b.Name)
			m := media.New(media.Config{Blob: b.Store, Store: s, BaseURL: "http://moviedb.test",
				Limits: media.Limits{MaxBytes: 1 << 20}})
			fn(t, s, b, m)
		})
	})
}

// uploader creates a user to upload files as, and returns their id.
func uploader(t testing.TB, s *sqlstore.Store) int64 {
	t.Helper()
	u := &catalog.User{Username: "admin", Email: "admin@example.com", PasswordHash: "x", Role: catalog.AdminRole}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// wantEmpty fails t unless there is no file row and no object.
func wantEmpty(t *testing.T, s *sqlstore.Store, b blobtest.Backend, what string) {
	t.Helper()
	l, err := s.ListFiles(ctx, catalog.FileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Total != 0 {
		t.Errorf("%s: %d file rows left; want 0", what, l.Total)
	}
	if keys := blobtest.Keys(t, b.Store); len(keys) != 0 {
		t.Errorf("%s: objects left: %q", what, keys)
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestInspect(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		mime string
	}{
		{mediatest.JPEG(40, 30), "image/jpeg"},
		{mediatest.PNG(40, 30), "image/png"},
		{mediatest.GIF(40, 30), "image/gif"},
		{mediatest.WebP(), "image/webp"},
	} {
		// The client's name and type say nothing: a PNG called .gif is a PNG.
		up, err := media.Inspect("  holiday\u202e.gif ", bytes.NewReader(tc.data), media.Limits{})
		if err != nil || up.MimeType != tc.mime || up.FileName != "holiday.gif" {
			t.Errorf("Inspect(%s) = %+v, %v; want %s named holiday.gif", tc.mime, up, err, tc.mime)
		}
	}
	for _, h := range mediatest.HostileFiles() {
		_, err := media.Inspect(h.FileName, bytes.NewReader(h.Data), media.Limits{})
		want := catalog.ErrInvalid
		if h.Status == 415 {
			want = media.ErrUnsupportedType
		}
		if !errors.Is(err, want) {
			t.Errorf("Inspect(%s) = %v; want %v", h.Name, err, want)
		}
	}
	// The limit is checked while reading: a body far past it is read only
	// one byte past it.
	body := &countingReader{r: io.MultiReader(bytes.NewReader(mediatest.JPEG(8, 8)), strings.NewReader(strings.Repeat("x", 5<<20)))}
	if _, err := media.Inspect("big.jpg", body, media.Limits{MaxBytes: 1000}); !errors.Is(err, media.ErrTooLarge) {
		t.Errorf("Inspect of an oversize body = %v; want ErrTooLarge", err)
	}
	if body.n != 1001 {
		t.Errorf("Inspect read %d bytes of an oversize body; want 1001", body.n)
	}
	if _, err := media.Inspect("wide.png", bytes.NewReader(mediatest.PNG(300, 2)), media.Limits{MaxSide: 200}); !errors.Is(err, catalog.ErrInvalid) {
		t.Errorf("Inspect of a too wide image = %v; want ErrInvalid", err)
	}
}

func TestUploadsAndRefusals(t *testing.T) {
	run(t, func(t *testing.T, s *sqlstore.Store, b blobtest.Backend, m *media.Service) {
		admin := uploader(t, s)
		for _, h := range mediatest.HostileFiles() {
			if _, err := m.SetMoviePoster(ctx, 1, admin, h.FileName, bytes.NewReader(h.Data)); err == nil {
				t.Errorf("SetMoviePoster(%s) succeeded", h.Name)
			}
			wantEmpty(t, s, b, h.Name)
		}
		// A valid image for a movie that does not exist: the object is
		// written, the row fails, the object goes.
		if _, err := m.SetMoviePoster(ctx, 999, admin, "p.jpg", bytes.NewReader(mediatest.JPEG(20, 30))); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("SetMoviePoster(missing movie) = %v; want ErrNotFound", err)
		}
		wantEmpty(t, s, b, "poster of a missing movie")

		mv := &catalog.Movie{Title: "Alien"}
		if err := s.CreateMovie(ctx, mv); err != nil {
			t.Fatal(err)
		}
		data := mediatest.JPEG(600, 900)
		f, err := m.SetMoviePoster(ctx, mv.ID, admin, "alien.jpg", bytes.NewReader(data))
		if err != nil {
			t.Fatalf("SetMoviePoster: %v", err)
		}
		if !strings.HasPrefix(f.Key, "posters/") || f.MimeType != "image/jpeg" || f.FileName != "alien.jpg" {
			t.Errorf("poster file = %+v", f)
		}
		if stored, err := s.FileByID(ctx, f.ID); err != nil || stored.UploaderID == nil || *stored.UploaderID != admin {
			t.Errorf("stored poster = %+v, %v; want uploader %d", stored, err, admin)
		}
		got, err := m.Open(ctx, f.Key, 0, 0)
		if err != nil {
			t.Fatalf("Open(%q): %v", f.Key, err)
		}
		if got.Object != nil {
			b, _ := io.ReadAll(got.Object.Body)
			got.Object.Body.Close()
			if !bytes.Equal(b, data) {
				t.Errorf("stored poster differs from the upload")
			}
		} else if got.Redirect == "" {
			t.Errorf("Open = %+v; want an object or a redirect", got)
		}

		// Thumbnails: made once, at the asked width.
		th, err := m.Open(ctx, f.Key, 185, 0)
		if err != nil {
			t.Fatalf("thumbnail: %v", err)
		}
		if th.ContentType != "image/jpeg" {
			t.Errorf("thumbnail type %q", th.ContentType)
		}
		if th.Object != nil {
			th.Object.Body.Close()
		}
		obj, err := b.Store.Open(ctx, media.ThumbKey(f.Key, 185, 0))
		if err != nil {
			t.Fatalf("thumbnail object: %v", err)
		}
		cfg, _, err := image.DecodeConfig(obj.Body)
		obj.Body.Close()
		if err != nil || cfg.Width != 185 || cfg.Height != 278 {
			t.Errorf("thumbnail is %dx%d (%v); want 185x278", cfg.Width, cfg.Height, err)
		}
		if _, err := m.Open(ctx, f.Key, 100, 0); !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("Open at width 100 = %v; want ErrInvalid", err)
		}
		for _, key := range []string{"external/abc", "../x", media.ThumbKey(f.Key, 185, 0), "posters/none.jpg"} {
			if _, err := m.Open(ctx, key, 92, 0); !errors.Is(err, catalog.ErrNotFound) {
				t.Errorf("Open(%q, 92) = %v; want ErrNotFound", key, err)
			}
		}

		// Deleting the file clears the poster and removes object and thumbnails.
		if err := m.DeleteFile(ctx, f.ID); err != nil {
			t.Fatalf("DeleteFile: %v", err)
		}
		if mv2, _ := s.MovieByID(ctx, mv.ID); mv2.PosterFileID != nil {
			t.Errorf("poster still set after DeleteFile")
		}
		wantEmpty(t, s, b, "after DeleteFile")

		p := &catalog.Person{FirstName: "Sigourney", LastName: "Weaver"}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		first, err := m.AddPersonPhoto(ctx, p.ID, admin, "a.png", bytes.NewReader(mediatest.PNG(30, 40)))
		if err != nil || !first.IsPrimary {
			t.Fatalf("AddPersonPhoto = %+v, %v; want primary", first, err)
		}
		u := &catalog.User{Username: "ripley", Email: "r@example.com", PasswordHash: "x", Role: catalog.UserRole}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		av, err := m.SetAvatar(ctx, u.ID, "me.webp", bytes.NewReader(mediatest.WebP()))
		if err != nil || av.MimeType != "image/webp" || av.UploaderID == nil || *av.UploaderID != u.ID {
			t.Fatalf("SetAvatar = %+v, %v; want a WebP uploaded by %d", av, err, u.ID)
		}
		if keys := blobtest.Keys(t, b.Store); len(keys) != 2 {
			t.Errorf("objects %q; want the photo and the avatar", keys)
		}
	})
}

func TestURLs(t *testing.T) {
	b := blobtest.S3(t, "&public_url=https://cdn.example")
	m := media.New(media.Config{Blob: b.Store, BaseURL: "http://moviedb.test/"})
	f := &catalog.File{Key: "posters/2026/01/abc.jpg", URL: "http://old.example/files/posters/2026/01/abc.jpg"}
	if got := m.FileURL(f); got != "https://cdn.example/media/posters/2026/01/abc.jpg" {
		t.Errorf("FileURL = %q; want the public URL", got)
	}
	if got := m.ThumbURL(f, 342); got != "http://moviedb.test/files/posters/2026/01/abc.jpg?w=342" {
		t.Errorf("ThumbURL = %q", got)
	}
	ext := &catalog.File{Key: "external/0a1b", URL: "https://upload.wikimedia.org/poster.jpg"}
	if m.FileURL(ext) != ext.URL || m.ThumbURL(ext, 92) != ext.URL || !noThumbnails(m, ext) {
		t.Errorf("an external file's URLs are not its own URL")
	}
	local := media.New(media.Config{Blob: blobtest.Local(t).Store, BaseURL: "http://moviedb.test"})
	if got := local.FileURL(f); got != "http://moviedb.test/files/posters/2026/01/abc.jpg" {
		t.Errorf("local FileURL = %q", got)
	}
	if th, ok := local.ThumbnailTemplate(f); !ok || strings.Replace(th, media.ThumbnailWidthParam, "780", 1) != local.ThumbURL(f, 780) {
		t.Errorf("Thumbnails = %+v", th)
	}
}

func TestGC(t *testing.T) {
	run(t, func(t *testing.T, s *sqlstore.Store, b blobtest.Backend, m *media.Service) {
		mv := &catalog.Movie{Title: "Alien"}
		if err := s.CreateMovie(ctx, mv); err != nil {
			t.Fatal(err)
		}
		kept, err := m.SetMoviePoster(ctx, mv.ID, uploader(t, s), "p.jpg", bytes.NewReader(mediatest.JPEG(100, 150)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Open(ctx, kept.Key, 92, 0); err != nil {
			t.Fatal(err)
		}
		// An object without a row, with a thumbnail, and a row without an
		// object that is a poster; an external row is never touched.
		b.Store.Put(ctx, "posters/2020/01/orphan.jpg", bytes.NewReader(mediatest.JPEG(8, 8)), "image/jpeg")
		b.Store.Put(ctx, media.ThumbKey("posters/2020/01/orphan.jpg", 92, 0), bytes.NewReader(mediatest.JPEG(8, 8)), "image/jpeg")
		lost := &catalog.File{FileName: "l.jpg", MimeType: "image/jpeg", Key: "posters/2020/01/lost.jpg", URL: "u"}
		if err := s.CreateMoviePoster(ctx, mv.ID, lost); err != nil {
			t.Fatal(err)
		}
		ext := &catalog.File{FileName: "e.jpg", MimeType: "image/jpeg", Key: "external/ab", URL: "https://example.org/e.jpg"}
		if err := s.CreateFile(ctx, ext); err != nil {
			t.Fatal(err)
		}

		// Young orphan objects may be uploads in progress.
		rep, err := m.GC(ctx, time.Hour, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Objects) != 0 || len(rep.Rows) != 1 {
			t.Errorf("GC with a minimum age found young objects %q or not one row: %+v", rep.Objects, rep.Rows)
		}
		rep, err = m.GC(ctx, -time.Minute, false)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(rep.Objects)
		wantObjects := []string{"posters/2020/01/orphan.jpg", media.ThumbKey("posters/2020/01/orphan.jpg", 92, 0)}
		slices.Sort(wantObjects)
		if !slices.Equal(rep.Objects, wantObjects) || len(rep.Rows) != 1 || rep.Rows[0].ID != lost.ID {
			t.Fatalf("GC = objects %q rows %+v; want %q and file %d", rep.Objects, rep.Rows, wantObjects, lost.ID)
		}
		if n := len(blobtest.Keys(t, b.Store)); n != 4 {
			t.Errorf("GC without delete changed storage: %d objects", n)
		}
		if _, err := m.GC(ctx, -time.Minute, true); err != nil {
			t.Fatal(err)
		}
		keys := blobtest.Keys(t, b.Store)
		slices.Sort(keys)
		if want := []string{kept.Key, media.ThumbKey(kept.Key, 92, 0)}; !slices.Equal(keys, want) {
			t.Errorf("after GC --delete, objects %q; want %q", keys, want)
		}
		if _, err := s.FileByID(ctx, lost.ID); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("orphan row still there: %v", err)
		}
		if _, err := s.FileByID(ctx, ext.ID); err != nil {
			t.Errorf("external row gone: %v", err)
		}
		if mv2, _ := s.MovieByID(ctx, mv.ID); mv2.PosterFileID != nil {
			t.Errorf("movie still points at the deleted orphan row")
		}
	})
}

// noThumbnails reports whether m gives f no thumbnail template.
func noThumbnails(m *media.Service, f *catalog.File) bool {
	_, ok := m.ThumbnailTemplate(f)
	return !ok
}
