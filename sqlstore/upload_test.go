package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// countFiles returns how many img_files rows there are.
func countFiles(t *testing.T, s *sqlstore.Store) int {
	t.Helper()
	l, err := s.ListFiles(context.Background(), catalog.FileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return l.Total
}

func newFile(key string) *catalog.File {
	return &catalog.File{FileName: "x.jpg", MimeType: "image/jpeg", Key: key, URL: "http://files.test/" + key}
}

func TestCreateFileWithLink(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		m := fixtureMovie(t, s, "Alien")
		u := fixtureUser(t, s, "ripley")
		p := fixturePerson(t, s, "Sigourney", "Weaver")

		poster := newFile("posters/a.jpg")
		if err := s.CreateMoviePoster(ctx, m.ID, poster); err != nil {
			t.Fatalf("CreateMoviePoster: %v", err)
		}
		if got, err := s.MovieByID(ctx, m.ID); err != nil || got.PosterFileID == nil || *got.PosterFileID != poster.ID {
			t.Errorf("after CreateMoviePoster, movie poster = %v, %v; want %d", got.PosterFileID, err, poster.ID)
		}
		avatar := newFile("avatars/a.jpg")
		if err := s.CreateUserAvatar(ctx, u.ID, avatar); err != nil {
			t.Fatalf("CreateUserAvatar: %v", err)
		}
		if got, err := s.UserByLogin(ctx, "ripley"); err != nil || got.AvatarFileID == nil || *got.AvatarFileID != avatar.ID {
			t.Errorf("after CreateUserAvatar, avatar = %v, %v; want %d", got.AvatarFileID, err, avatar.ID)
		}
		first, err := s.CreatePersonPhoto(ctx, p.ID, newFile("photos/1.jpg"))
		if err != nil || !first.IsPrimary {
			t.Fatalf("first CreatePersonPhoto = %+v, %v; want a primary photo", first, err)
		}
		second, err := s.CreatePersonPhoto(ctx, p.ID, newFile("photos/2.jpg"))
		if err != nil || second.IsPrimary {
			t.Fatalf("second CreatePersonPhoto = %+v, %v; want a photo that is not primary", second, err)
		}
		if n := countFiles(t, s); n != 4 {
			t.Errorf("%d files; want 4", n)
		}

		// A missing owner or a duplicate key leaves no row behind.
		wantNotFound(t, s.CreateMoviePoster(ctx, m.ID+100, newFile("posters/b.jpg")))
		wantNotFound(t, s.CreateUserAvatar(ctx, u.ID+100, newFile("avatars/b.jpg")))
		_, err = s.CreatePersonPhoto(ctx, p.ID+100, newFile("photos/3.jpg"))
		wantNotFound(t, err)
		wantConflict(t, s.CreateMoviePoster(ctx, m.ID, newFile("posters/a.jpg")), "key")
		_, err = s.CreatePersonPhoto(ctx, p.ID, newFile("photos/1.jpg"))
		wantConflict(t, err, "key")
		if n := countFiles(t, s); n != 4 {
			t.Errorf("after failed creates, %d files; want 4", n)
		}
		if got, _ := s.MovieByID(ctx, m.ID); *got.PosterFileID != poster.ID {
			t.Errorf("a failed poster changed the poster to %d", *got.PosterFileID)
		}
	})
}

func TestFileKeysAndFilesAfter(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		var ids []int64
		for _, k := range []string{"a/1.jpg", "a/2.jpg", "external/ff", "b/3.png"} {
			ids = append(ids, fixtureFile(t, s, k).ID)
		}
		got, err := s.FileKeysExist(ctx, []string{"a/1.jpg", "b/3.png", "c/none.jpg", "external/ff"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"a/1.jpg": true, "b/3.png": true, "external/ff": true}
		if len(got) != len(want) || !got["a/1.jpg"] || !got["b/3.png"] || !got["external/ff"] {
			t.Errorf("FileKeysExist = %v; want %v", got, want)
		}
		if got, err := s.FileKeysExist(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("FileKeysExist(nil) = %v, %v; want empty", got, err)
		}
		if _, err := s.FileKeysExist(ctx, make([]string, sqlstore.MaxFileKeys+1)); err == nil {
			t.Error("FileKeysExist with too many keys succeeded")
		}
		var walked []int64
		after := int64(0)
		for {
			page, err := s.FilesAfter(ctx, after, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, f := range page {
				walked = append(walked, f.ID)
			}
			after = page[len(page)-1].ID
		}
		if len(walked) != len(ids) {
			t.Fatalf("FilesAfter walked %v; want %v", walked, ids)
		}
		for i := range ids {
			if walked[i] != ids[i] {
				t.Errorf("FilesAfter walked %v; want %v", walked, ids)
				break
			}
		}
	})
}

// TestFileUploader checks that a file records who uploaded it, that the
// uploader's deletion leaves the file unowned, and that ChooseAvatar takes
// only a file the user uploaded: another user's or nobody's is a
// *catalog.ForbiddenError, a missing one a *catalog.ValidationError, and
// neither changes the avatar.
func TestFileUploader(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		ripley, dallas := fixtureUser(t, s, "ripley"), fixtureUser(t, s, "dallas")
		create := func(key string, uploader *int64) *catalog.File {
			t.Helper()
			f := newFile(key)
			f.UploaderID = uploader
			if err := s.CreateFile(ctx, f); err != nil {
				t.Fatalf("CreateFile(%s): %v", key, err)
			}
			return f
		}
		mine, theirs, nobodys := create("files/mine.jpg", &ripley.ID), create("files/theirs.jpg", &dallas.ID), create("files/nobody.jpg", nil)
		if got, err := s.FileByID(ctx, mine.ID); err != nil || got.UploaderID == nil || *got.UploaderID != ripley.ID {
			t.Errorf("FileByID(mine) = %+v, %v; want uploader %d", got, err, ripley.ID)
		}
		if got, err := s.FileByID(ctx, nobodys.ID); err != nil || got.UploaderID != nil {
			t.Errorf("FileByID(nobody's) = %+v, %v; want no uploader", got, err)
		}
		f := newFile("files/ghost.jpg")
		f.UploaderID = ptr(ripley.ID + dallas.ID + 100)
		wantInvalid(t, s.CreateFile(ctx, f), "uploader_id")

		wantForbidden := func(err error, what string) {
			t.Helper()
			var forbidden *catalog.ForbiddenError
			if !errors.As(err, &forbidden) || !errors.Is(err, catalog.ErrForbidden) || forbidden.Field != "avatar_file_id" {
				t.Errorf("%s: %v; want a *catalog.ForbiddenError on avatar_file_id", what, err)
			}
		}
		_, err := s.ChooseAvatar(ctx, ripley.ID, theirs.ID)
		wantForbidden(err, "another user's file")
		_, err = s.ChooseAvatar(ctx, ripley.ID, nobodys.ID)
		wantForbidden(err, "nobody's file")
		_, err = s.ChooseAvatar(ctx, ripley.ID, theirs.ID+nobodys.ID+100)
		wantInvalid(t, err, "avatar_file_id")
		if got, err := s.UserByID(ctx, ripley.ID); err != nil || got.AvatarFileID != nil {
			t.Errorf("avatar after refusals = %v, %v; want none", got.AvatarFileID, err)
		}
		u, err := s.ChooseAvatar(ctx, ripley.ID, mine.ID)
		if err != nil || u.AvatarFileID == nil || *u.AvatarFileID != mine.ID {
			t.Fatalf("ChooseAvatar(own file) = %+v, %v; want avatar %d", u, err, mine.ID)
		}

		if err := s.DeleteUser(ctx, dallas.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FileByID(ctx, theirs.ID); err != nil || got.UploaderID != nil {
			t.Errorf("file of a deleted user = %+v, %v; want it kept, without uploader", got, err)
		}
	})
}
