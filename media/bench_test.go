package media_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/moviedb/moviedb/blob/blobtest"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/media/mediatest"
	"github.com/moviedb/moviedb/sqlstore"
)

// BenchmarkUpload measures an upload of a 1000×1500 JPEG poster (about
// 200 KB): inspection (sniff, header, full decode), the object write and
// the row with its link, on SQLite and each backend (S3 being gofakes3
// in the same process, over loopback HTTP).
func BenchmarkUpload(b *testing.B) {
	data := mediatest.JPEG(1000, 1500)
	for _, backend := range []string{"local", "s3"} {
		b.Run(backend, func(b *testing.B) {
			s, err := sqlstore.Open(ctx, "sqlite:"+b.TempDir()+"/bench.db", sqlstore.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			{
				m := media.New(media.Config{Blob: blobtest.New(b, backend).Store, Store: s, BaseURL: "http://moviedb.test"})
				mv := &catalog.Movie{Title: "Alien"}
				if err := s.CreateMovie(ctx, mv); err != nil {
					b.Fatal(err)
				}
				admin := &catalog.User{Username: "admin", Email: "admin@example.com", PasswordHash: "x", Role: catalog.AdminRole}
				if err := s.CreateUser(ctx, admin); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(data)))
				b.ResetTimer()
				for b.Loop() {
					if _, err := m.SetMoviePoster(ctx, mv.ID, admin.ID, "p.jpg", bytes.NewReader(data)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkThumbnail measures making one thumbnail of a 1000×1500 JPEG at
// each documented width (decode, CatmullRom resize, JPEG encode).
func BenchmarkThumbnail(b *testing.B) {
	data := mediatest.JPEG(1000, 1500)
	for _, w := range []int{92, 342, 780} {
		b.Run(fmt.Sprint("w", w), func(b *testing.B) {
			for b.Loop() {
				if _, err := media.MakeThumbnail(data, w, 0, media.Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
