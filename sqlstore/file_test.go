package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// asJSON shows v with its pointers followed, for failure messages.
func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return string(b)
}

func TestFileCRUD(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		f := &catalog.File{FileName: "alien.jpg", MimeType: "image/jpeg", Key: "posters/ab12.jpg", URL: "https://cdn.example/posters/ab12.jpg"}
		if err := s.CreateFile(ctx, f); err != nil {
			t.Fatalf("CreateFile: %v", err)
		}
		created := clk.Now()
		want := catalog.File{ID: f.ID, FileName: "alien.jpg", MimeType: "image/jpeg", Key: "posters/ab12.jpg",
			URL: "https://cdn.example/posters/ab12.jpg", CreatedAt: created, UpdatedAt: created}
		if f.ID == 0 || *f != want {
			t.Fatalf("created file = %+v; want %+v", *f, want)
		}
		if got, err := s.FileByID(ctx, f.ID); err != nil || *got != want {
			t.Errorf("FileByID(%d) = %+v, %v; want %+v", f.ID, got, err, want)
		}
		if got, err := s.FileByKey(ctx, "posters/ab12.jpg"); err != nil || *got != want {
			t.Errorf("FileByKey = %+v, %v; want %+v", got, err, want)
		}
		_, err := s.FileByKey(ctx, "POSTERS/AB12.JPG")
		wantNotFound(t, err) // keys are case-sensitive object names
		_, err = s.FileByID(ctx, f.ID+100)
		wantNotFound(t, err)

		wantConflict(t, s.CreateFile(ctx, &catalog.File{FileName: "x", MimeType: "image/png", Key: "posters/ab12.jpg", URL: "u"}), "key")
		wantInvalid(t, s.CreateFile(ctx, &catalog.File{FileName: "x", MimeType: "image/png", Key: "", URL: "u"}), "key")

		clk.Advance(time.Minute)
		upd, err := s.UpdateFile(ctx, f.ID, catalog.FileUpdate{FileName: ptr("Alien (1979).jpg")})
		if err != nil {
			t.Fatal(err)
		}
		want.FileName, want.UpdatedAt = "Alien (1979).jpg", clk.Now()
		if *upd != want {
			t.Errorf("UpdateFile(file_name) = %+v; want %+v", *upd, want)
		}
		clk.Advance(time.Minute)
		upd, err = s.UpdateFile(ctx, f.ID, catalog.FileUpdate{URL: ptr("https://cdn2.example/posters/ab12.jpg")})
		if err != nil {
			t.Fatal(err)
		}
		want.URL, want.UpdatedAt = "https://cdn2.example/posters/ab12.jpg", clk.Now()
		if *upd != want {
			t.Errorf("UpdateFile(url) = %+v; want %+v", *upd, want)
		}
		clk.Advance(time.Second)
		upd, err = s.UpdateFile(ctx, f.ID, catalog.FileUpdate{})
		want.UpdatedAt = clk.Now()
		if err != nil || *upd != want {
			t.Errorf("empty UpdateFile = %+v, %v; want %+v", upd, err, want)
		}
		if got, err := s.FileByID(ctx, f.ID); err != nil || *got != want {
			t.Errorf("FileByID after updates = %+v, %v; want %+v", got, err, want)
		}
		_, err = s.UpdateFile(ctx, f.ID+100, catalog.FileUpdate{FileName: ptr("x")})
		wantNotFound(t, err)

		if err := s.DeleteFile(ctx, f.ID); err != nil {
			t.Fatalf("DeleteFile: %v", err)
		}
		_, err = s.FileByID(ctx, f.ID)
		wantNotFound(t, err)
		wantNotFound(t, s.DeleteFile(ctx, f.ID))
		// The key is free again.
		if err := s.CreateFile(ctx, &catalog.File{FileName: "x", MimeType: "image/png", Key: "posters/ab12.jpg", URL: "u"}); err != nil {
			t.Errorf("CreateFile with a deleted file's key: %v", err)
		}
	})
}

func TestListFiles(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		var want []int64
		for _, name := range []string{"e", "d", "c", "b", "a"} {
			want = append(want, fixtureFile(t, s, name).ID)
		}
		got := pageThrough(t, 5, func(p catalog.Page) ([]int64, int, error) {
			l, err := s.ListFiles(context.Background(), catalog.FileFilter{Page: p})
			return idsOf(l, err, func(f catalog.File) int64 { return f.ID })
		})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("listed ids %v; want %v (by id)", got, want)
		}
	})
}

func TestEmptyListFiles(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		l, err := s.ListFiles(context.Background(), catalog.FileFilter{})
		if err != nil || l.Items == nil || len(l.Items) != 0 || l.Total != 0 || l.Page.Size != catalog.DefaultPageSize {
			t.Errorf("ListFiles on an empty catalog = %+v, %v; want no items, total 0", l, err)
		}
	})
}

func TestDeleteFileClearsReferences(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		f := fixtureFile(t, s, "shared")
		keep := fixtureFile(t, s, "keep")
		m := &catalog.Movie{Title: "Alien", PosterFileID: &f.ID}
		if err := s.CreateMovie(ctx, m); err != nil {
			t.Fatal(err)
		}
		u := fixtureUser(t, s, "ripley")
		if _, err := s.UpdateUser(ctx, u.ID, catalog.UserUpdate{AvatarFileID: catalog.Set(f.ID)}); err != nil {
			t.Fatal(err)
		}
		p := fixturePerson(t, s, "Sigourney", "Weaver")
		if _, err := s.AddPersonPhoto(ctx, p.ID, f.ID, true); err != nil {
			t.Fatal(err)
		}

		if err := s.DeleteFile(ctx, f.ID); err != nil {
			t.Fatalf("DeleteFile: %v", err)
		}
		if got, err := s.MovieByID(ctx, m.ID); err != nil || got.PosterFileID != nil {
			t.Errorf("movie after its poster was deleted = %s, %v; want poster_file_id null", asJSON(got), err)
		}
		if got, err := s.UserByID(ctx, u.ID); err != nil || got.AvatarFileID != nil {
			t.Errorf("user after their avatar was deleted = %s, %v; want avatar_file_id null", asJSON(got), err)
		}
		if photos, err := s.PersonPhotos(ctx, p.ID); err != nil || len(photos) != 0 {
			t.Errorf("PersonPhotos after the photo's file was deleted = %v, %v; want none", photos, err)
		}
		if _, err := s.FileByID(ctx, keep.ID); err != nil {
			t.Errorf("another file: %v", err)
		}
	})
}

func TestFileErrorsNameTheFile(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		_, err := s.FileByID(context.Background(), 42)
		if err == nil || !strings.HasPrefix(err.Error(), "sqlstore: file 42:") {
			t.Errorf("FileByID(42) error = %v; want it to start with %q", err, "sqlstore: file 42:")
		}
	})
}
