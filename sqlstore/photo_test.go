package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// wantPhotos fails t unless the photos of person are, in order, the files
// ids and the first of them alone is primary.
func wantPhotos(t *testing.T, s *sqlstore.Store, person int64, ids ...int64) []catalog.PersonPhoto {
	t.Helper()
	photos, err := s.PersonPhotos(context.Background(), person)
	if err != nil {
		t.Fatalf("PersonPhotos(%d): %v", person, err)
	}
	got := []int64{}
	for i, p := range photos {
		got = append(got, p.FileID)
		if p.PersonID != person || p.IsPrimary != (i == 0) {
			t.Errorf("PersonPhotos(%d)[%d] = %+v; want person %d, primary %v", person, i, p, person, i == 0)
		}
	}
	if ids == nil {
		ids = []int64{}
	}
	if !reflect.DeepEqual(got, ids) {
		t.Fatalf("PersonPhotos(%d) = files %v; want %v (primary first, then oldest)", person, got, ids)
	}
	return photos
}

func TestAddPersonPhoto(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := fixturePerson(t, s, "Sigourney", "Weaver")
		f1, f2, f3, f4 := fixtureFile(t, s, "1"), fixtureFile(t, s, "2"), fixtureFile(t, s, "3"), fixtureFile(t, s, "4")
		wantPhotos(t, s, p.ID)

		// The first photo is primary even when not asked to be.
		t1 := clk.Now()
		got, err := s.AddPersonPhoto(ctx, p.ID, f1.ID, false)
		if err != nil {
			t.Fatalf("AddPersonPhoto: %v", err)
		}
		want := catalog.PersonPhoto{PersonID: p.ID, FileID: f1.ID, IsPrimary: true, CreatedAt: t1, UpdatedAt: t1}
		if *got != want {
			t.Errorf("first AddPersonPhoto = %+v; want %+v", *got, want)
		}
		clk.Advance(time.Minute)
		if got, err := s.AddPersonPhoto(ctx, p.ID, f2.ID, false); err != nil || got.IsPrimary {
			t.Fatalf("second AddPersonPhoto = %+v, %v; want not primary", got, err)
		}
		wantPhotos(t, s, p.ID, f1.ID, f2.ID)

		// Asking for primary demotes the current one.
		clk.Advance(time.Minute)
		t3 := clk.Now()
		if got, err := s.AddPersonPhoto(ctx, p.ID, f3.ID, true); err != nil || !got.IsPrimary {
			t.Fatalf("AddPersonPhoto(primary) = %+v, %v; want primary", got, err)
		}
		photos := wantPhotos(t, s, p.ID, f3.ID, f1.ID, f2.ID)
		demoted := catalog.PersonPhoto{PersonID: p.ID, FileID: f1.ID, IsPrimary: false, CreatedAt: t1, UpdatedAt: t3}
		if photos[1] != demoted {
			t.Errorf("demoted photo = %+v; want %+v", photos[1], demoted)
		}

		wantConflict(t, func() error { _, err := s.AddPersonPhoto(ctx, p.ID, f2.ID, false); return err }(), "file_id")
		wantConflict(t, func() error { _, err := s.AddPersonPhoto(ctx, p.ID, f3.ID, true); return err }(), "file_id")
		wantConflict(t, func() error { _, err := s.AddPersonPhoto(ctx, p.ID, f1.ID, true); return err }(), "file_id")
		wantPhotos(t, s, p.ID, f3.ID, f1.ID, f2.ID)

		_, err = s.AddPersonPhoto(ctx, p.ID+100, f4.ID, false)
		wantInvalid(t, err, "person_id")
		_, err = s.AddPersonPhoto(ctx, p.ID, f4.ID+100, true)
		wantInvalid(t, err, "file_id")
		_, err = s.AddPersonPhoto(ctx, p.ID+100, f4.ID+100, false)
		wantInvalid(t, err, "person_id")
		wantInvalid(t, err, "file_id")
		wantPhotos(t, s, p.ID, f3.ID, f1.ID, f2.ID)

		// One file may be a photo of several persons, primary for each.
		q := fixturePerson(t, s, "Tom", "Skerritt")
		if _, err := s.AddPersonPhoto(ctx, q.ID, f3.ID, true); err != nil {
			t.Fatal(err)
		}
		wantPhotos(t, s, q.ID, f3.ID)
		wantPhotos(t, s, p.ID, f3.ID, f1.ID, f2.ID)

		_, err = s.PersonPhotos(ctx, q.ID+100)
		wantNotFound(t, err)
	})
}

func TestUpdatePersonPhoto(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := fixturePerson(t, s, "Ian", "Holm")
		f1, f2, f3 := fixtureFile(t, s, "1"), fixtureFile(t, s, "2"), fixtureFile(t, s, "3")
		var added []catalog.PersonPhoto
		for _, f := range []*catalog.File{f1, f2, f3} {
			ph, err := s.AddPersonPhoto(ctx, p.ID, f.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			added = append(added, *ph)
			clk.Advance(time.Minute)
		}

		// Move the primary to f2: f1 is demoted and f2 promoted at one time.
		now := clk.Now()
		got, err := s.UpdatePersonPhoto(ctx, p.ID, f2.ID, catalog.PersonPhotoUpdate{IsPrimary: ptr(true)})
		if err != nil {
			t.Fatalf("UpdatePersonPhoto(primary): %v", err)
		}
		want := added[1]
		want.IsPrimary, want.UpdatedAt = true, now
		if *got != want {
			t.Errorf("UpdatePersonPhoto(primary) = %+v; want %+v", *got, want)
		}
		photos := wantPhotos(t, s, p.ID, f2.ID, f1.ID, f3.ID)
		demoted := added[0]
		demoted.IsPrimary, demoted.UpdatedAt = false, now
		if photos[1] != demoted || photos[2] != added[2] {
			t.Errorf("other photos = %+v; want %+v, %+v", photos[1:], demoted, added[2])
		}

		// Making the primary photo primary again, or a secondary one
		// secondary, changes nothing but updatedAt.
		clk.Advance(time.Minute)
		if got, err := s.UpdatePersonPhoto(ctx, p.ID, f2.ID, catalog.PersonPhotoUpdate{IsPrimary: ptr(true)}); err != nil ||
			!got.IsPrimary || !got.UpdatedAt.Equal(clk.Now()) {
			t.Errorf("UpdatePersonPhoto(primary again) = %+v, %v", got, err)
		}
		if got, err := s.UpdatePersonPhoto(ctx, p.ID, f3.ID, catalog.PersonPhotoUpdate{IsPrimary: ptr(false)}); err != nil ||
			got.IsPrimary || !got.UpdatedAt.Equal(clk.Now()) || !got.CreatedAt.Equal(added[2].CreatedAt) {
			t.Errorf("UpdatePersonPhoto(secondary again) = %+v, %v", got, err)
		}
		if got, err := s.UpdatePersonPhoto(ctx, p.ID, f1.ID, catalog.PersonPhotoUpdate{}); err != nil ||
			got.IsPrimary || !got.UpdatedAt.Equal(clk.Now()) {
			t.Errorf("empty UpdatePersonPhoto = %+v, %v", got, err)
		}
		wantPhotos(t, s, p.ID, f2.ID, f1.ID, f3.ID)

		// The primary cannot just stop being primary.
		_, err = s.UpdatePersonPhoto(ctx, p.ID, f2.ID, catalog.PersonPhotoUpdate{IsPrimary: ptr(false)})
		wantInvalid(t, err, "is_primary")
		wantPhotos(t, s, p.ID, f2.ID, f1.ID, f3.ID)

		_, err = s.UpdatePersonPhoto(ctx, p.ID, f2.ID+100, catalog.PersonPhotoUpdate{IsPrimary: ptr(true)})
		wantNotFound(t, err)
		_, err = s.UpdatePersonPhoto(ctx, p.ID+100, f2.ID, catalog.PersonPhotoUpdate{IsPrimary: ptr(true)})
		wantNotFound(t, err)
		wantPhotos(t, s, p.ID, f2.ID, f1.ID, f3.ID)

		// Moving it around keeps exactly one primary.
		for _, f := range []*catalog.File{f3, f1, f3, f2} {
			if _, err := s.UpdatePersonPhoto(ctx, p.ID, f.ID, catalog.PersonPhotoUpdate{IsPrimary: ptr(true)}); err != nil {
				t.Fatal(err)
			}
			rest := []int64{}
			for _, o := range []*catalog.File{f1, f2, f3} {
				if o != f {
					rest = append(rest, o.ID)
				}
			}
			wantPhotos(t, s, p.ID, append([]int64{f.ID}, rest...)...)
		}
	})
}

func TestRemovePersonPhoto(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := fixturePerson(t, s, "John", "Hurt")
		f1, f2, f3, f4 := fixtureFile(t, s, "1"), fixtureFile(t, s, "2"), fixtureFile(t, s, "3"), fixtureFile(t, s, "4")
		for _, f := range []*catalog.File{f1, f2, f3, f4} {
			if _, err := s.AddPersonPhoto(ctx, p.ID, f.ID, false); err != nil {
				t.Fatal(err)
			}
			clk.Advance(time.Minute)
		}
		if _, err := s.UpdatePersonPhoto(ctx, p.ID, f3.ID, catalog.PersonPhotoUpdate{IsPrimary: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		wantPhotos(t, s, p.ID, f3.ID, f1.ID, f2.ID, f4.ID)

		if err := s.RemovePersonPhoto(ctx, p.ID, f1.ID); err != nil {
			t.Fatalf("RemovePersonPhoto(secondary): %v", err)
		}
		wantPhotos(t, s, p.ID, f3.ID, f2.ID, f4.ID)

		// Removing the primary promotes the oldest remaining photo.
		clk.Advance(time.Minute)
		if err := s.RemovePersonPhoto(ctx, p.ID, f3.ID); err != nil {
			t.Fatalf("RemovePersonPhoto(primary): %v", err)
		}
		photos := wantPhotos(t, s, p.ID, f2.ID, f4.ID)
		if !photos[0].UpdatedAt.Equal(clk.Now()) {
			t.Errorf("promoted photo updatedAt = %v; want %v", photos[0].UpdatedAt, clk.Now())
		}
		wantNotFound(t, s.RemovePersonPhoto(ctx, p.ID, f3.ID))
		wantNotFound(t, s.RemovePersonPhoto(ctx, p.ID+100, f2.ID))

		if err := s.RemovePersonPhoto(ctx, p.ID, f2.ID); err != nil {
			t.Fatal(err)
		}
		wantPhotos(t, s, p.ID, f4.ID)
		if err := s.RemovePersonPhoto(ctx, p.ID, f4.ID); err != nil {
			t.Fatal(err)
		}
		wantPhotos(t, s, p.ID)
		for _, f := range []*catalog.File{f1, f2, f3, f4} {
			if _, err := s.FileByID(ctx, f.ID); err != nil {
				t.Errorf("file %d after its photo link went: %v; want it kept", f.ID, err)
			}
		}
		// Photos added afterwards start over with a primary.
		if got, err := s.AddPersonPhoto(ctx, p.ID, f1.ID, false); err != nil || !got.IsPrimary {
			t.Errorf("AddPersonPhoto after all were removed = %+v, %v; want primary", got, err)
		}
	})
}

func TestDeleteFilePromotesPhoto(t *testing.T) {
	clk := newClock()
	sqltest.RunWith(t, sqlstore.Options{Now: clk.Now}, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		shared := fixtureFile(t, s, "shared")
		a1, a2, b1, c1 := fixtureFile(t, s, "a1"), fixtureFile(t, s, "a2"), fixtureFile(t, s, "b1"), fixtureFile(t, s, "c1")
		a := fixturePerson(t, s, "A", "A") // shared primary, then a1, a2
		b := fixturePerson(t, s, "B", "B") // b1 primary, then shared
		c := fixturePerson(t, s, "C", "C") // shared only
		d := fixturePerson(t, s, "D", "D") // c1 only, untouched
		add := func(p *catalog.Person, f *catalog.File, primary bool) {
			t.Helper()
			if _, err := s.AddPersonPhoto(ctx, p.ID, f.ID, primary); err != nil {
				t.Fatal(err)
			}
			clk.Advance(time.Second)
		}
		add(a, a2, false)
		add(a, a1, false)
		add(a, shared, true)
		add(b, b1, false)
		add(b, shared, false)
		add(c, shared, false)
		add(d, c1, false)
		wantPhotos(t, s, a.ID, shared.ID, a2.ID, a1.ID)

		clk.Advance(time.Minute)
		if err := s.DeleteFile(ctx, shared.ID); err != nil {
			t.Fatalf("DeleteFile: %v", err)
		}
		photos := wantPhotos(t, s, a.ID, a2.ID, a1.ID) // a2 is older than a1
		if !photos[0].UpdatedAt.Equal(clk.Now()) {
			t.Errorf("promoted photo updatedAt = %v; want %v", photos[0].UpdatedAt, clk.Now())
		}
		wantPhotos(t, s, b.ID, b1.ID)
		wantPhotos(t, s, c.ID)
		wantPhotos(t, s, d.ID, c1.ID)

		// Deleting a secondary photo's file leaves the primary alone.
		if err := s.DeleteFile(ctx, a1.ID); err != nil {
			t.Fatal(err)
		}
		wantPhotos(t, s, a.ID, a2.ID)
	})
}

func TestPersonPhotosConcurrent(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := fixturePerson(t, s, "Harry Dean", "Stanton")
		var files []*catalog.File
		for i := range 12 {
			f := fixtureFile(t, s, fmt.Sprint("f", i))
			if _, err := s.AddPersonPhoto(ctx, p.ID, f.ID, false); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		extra := fixtureFile(t, s, "extra")
		// Every kind of photo change at once; each may find its photo gone,
		// and nothing else may fail.
		var wg sync.WaitGroup
		errs := make(chan error, 4*len(files))
		for i, f := range files {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				switch i % 4 {
				case 0:
					err = s.RemovePersonPhoto(ctx, p.ID, f.ID)
				case 1:
					_, err = s.UpdatePersonPhoto(ctx, p.ID, f.ID, catalog.PersonPhotoUpdate{IsPrimary: ptr(true)})
				case 2:
					err = s.DeleteFile(ctx, f.ID)
				case 3:
					_, err = s.UpdatePersonPhoto(ctx, p.ID, files[i-2].ID, catalog.PersonPhotoUpdate{IsPrimary: ptr(true)})
				}
				if err != nil && !errors.Is(err, catalog.ErrNotFound) {
					errs <- err
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.AddPersonPhoto(ctx, p.ID, extra.ID, true); err != nil {
				errs <- err
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent photo change: %v", err)
		}
		photos, err := s.PersonPhotos(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		primaries := 0
		for _, ph := range photos {
			if ph.IsPrimary {
				primaries++
			}
		}
		if len(photos) == 0 || primaries != 1 || !photos[0].IsPrimary {
			t.Errorf("after concurrent changes: %d photos, %d primary (%+v); want exactly one primary, listed first", len(photos), primaries, photos)
		}
	})
}
