package web_test

// TEST-ONLY stand-in for package media (issue 5), which this branch does
// not have yet: diskMedia really stores the uploaded bytes on local disk
// under a t.TempDir() and really records them through the store (an
// img_files row, then the poster, photo or avatar link), and the test
// server really serves them at /test-files/{key}. It checks the bytes
// decode as an image, as media does. At merge the lead switches the tests
// to the real media service and deletes this file.

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/web"
)

// diskMedia stores images in dir and records them in store.
type diskMedia struct {
	dir   string
	store *sqlstore.Store
}

var _ web.Media = (*diskMedia)(nil)

// save writes the image r holds to dir and creates its img_files row.
func (m *diskMedia) save(ctx context.Context, fileName string, r io.Reader) (*catalog.File, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	_, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, catalog.Invalid("file", "is not an image")
	}
	key := "test/" + rand.Text() + "." + format
	if err := os.MkdirAll(filepath.Join(m.dir, "test"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(m.dir, filepath.FromSlash(key)), b, 0o644); err != nil {
		return nil, err
	}
	f := &catalog.File{FileName: fileName, MimeType: "image/" + format, Key: key, URL: "/test-files/" + key}
	if err := m.store.CreateFile(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

func (m *diskMedia) SetMoviePoster(ctx context.Context, movieID int64, fileName string, r io.Reader) (*catalog.File, error) {
	f, err := m.save(ctx, fileName, r)
	if err != nil {
		return nil, err
	}
	if _, err := m.store.UpdateMovie(ctx, movieID, catalog.MovieUpdate{PosterFileID: catalog.Set(f.ID)}); err != nil {
		return nil, err
	}
	return f, nil
}

func (m *diskMedia) AddPersonPhoto(ctx context.Context, personID int64, fileName string, r io.Reader) (*catalog.PersonPhoto, error) {
	f, err := m.save(ctx, fileName, r)
	if err != nil {
		return nil, err
	}
	return m.store.AddPersonPhoto(ctx, personID, f.ID, false)
}

func (m *diskMedia) SetAvatar(ctx context.Context, userID int64, fileName string, r io.Reader) (*catalog.File, error) {
	f, err := m.save(ctx, fileName, r)
	if err != nil {
		return nil, err
	}
	if _, err := m.store.UpdateUser(ctx, userID, catalog.UserUpdate{AvatarFileID: catalog.Set(f.ID)}); err != nil {
		return nil, err
	}
	return f, nil
}

// handler serves the stored files at /test-files/.
func (m *diskMedia) handler() http.Handler {
	return http.StripPrefix("/test-files/", http.FileServer(http.Dir(m.dir)))
}

// testPNG returns a real PNG image of w×h pixels: a gradient from the
// colour c, so that posters and photos in screenshots tell apart.
func testPNG(w, h int, c uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c, uint8(y*200/h), uint8(255-x*120/w), 255
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(fmt.Sprintf("encode test PNG: %v", err))
	}
	return buf.Bytes()
}
