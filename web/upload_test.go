package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/moviedb/moviedb/blob/blobtest"
)

// TestUploadRefused posts files the media service refuses to each upload
// form and checks the form comes back with the status that says why, the
// message beside the file field, and that neither an img_files row nor a
// stored object is left behind.
func TestUploadRefused(t *testing.T) {
	png := testPNG(60, 90, 10)
	for _, tc := range []struct {
		name, file string
		data       []byte
		status     int
		message    string
	}{
		// Over the limit, but within the bound the page puts on the
		// body: the service reads it and refuses it.
		{"just too large", "big.png", append(slices.Clone(png), make([]byte, testMaxUpload)...), 413, "too large (max 1 MB)"},
		// Past the body's bound: refused while the form is parsed, alike.
		{"far too large", "huge.png", make([]byte, 3*testMaxUpload), 413, "too large (max 1 MB)"},
		{"text named .jpg", "notes.jpg", []byte("plain text, not an image\n"), 415,
			"the file&#39;s content is text/plain, not an image of an accepted type (JPEG, PNG, GIF, WebP)"},
		{"empty", "empty.png", nil, 422, "the file is empty"},
		{"truncated", "cut.png", png[:len(png)/2], 422, "the file is not a complete image/png image"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runSites(t, func(t *testing.T, st *site) {
				b := st.browser(t)
				b.login("admin", adminPassword)
				rows, objects := st.fileRows(t), blobtest.Keys(t, st.files)
				for _, form := range []struct{ path, field string }{
					{fmt.Sprintf("/movies/%d/poster", st.ids.alien), "poster"},
					{fmt.Sprintf("/persons/%d/photos", st.ids.scott), "photo"},
					{"/account/avatar", "avatar"},
				} {
					what := tc.name + " to " + form.path
					b.upload(form.path, form.field, tc.file, tc.data).wantStatus(t, what, tc.status).
						wantBody(t, what, fmt.Sprintf(`aria-describedby="%s-error"`, form.field),
							fmt.Sprintf(`id="%s-error">%s`, form.field, tc.message))
				}
				if got := st.fileRows(t); got != rows {
					t.Errorf("img_files rows after refused uploads = %d; want %d", got, rows)
				}
				if got := blobtest.Keys(t, st.files); !slices.Equal(got, objects) {
					t.Errorf("stored objects after refused uploads = %q; want %q", got, objects)
				}
			})
		})
	}
}

// TestUploadStored checks that an upload accepted through a form leaves
// exactly one row and one object, served at the file's URL.
func TestUploadStored(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		b := st.browser(t)
		b.login("admin", adminPassword)
		rows, objects := st.fileRows(t), len(blobtest.Keys(t, st.files))
		data := testPNG(120, 180, 99)
		b.upload(fmt.Sprintf("/movies/%d/poster", st.ids.noPoster), "poster", "gladiator.png", data).wantStatus(t, "poster", http.StatusSeeOther)
		if got := st.fileRows(t); got != rows+1 {
			t.Errorf("img_files rows after an upload = %d; want %d", got, rows+1)
		}
		if got := len(blobtest.Keys(t, st.files)); got != objects+1 {
			t.Errorf("stored objects after an upload = %d; want %d", got, objects+1)
		}
		d, err := st.store.MovieDetail(context.Background(), st.ids.noPoster)
		if err != nil || d.Poster == nil {
			t.Fatalf("MovieDetail(%d) = %+v, %v; want a poster", st.ids.noPoster, d, err)
		}
		orig := b.get(d.Poster.URL[len(st.URL):]).wantStatus(t, "original", 200)
		if !bytes.Equal([]byte(orig.body), data) {
			t.Errorf("GET %s = %d bytes; want the %d uploaded", d.Poster.URL, len(orig.body), len(data))
		}
		st.wantThumb(t, "poster", b.get(fmt.Sprintf("/movies/%d", st.ids.noPoster)), "posters")
	})
}

// fileRows returns how many img_files rows the site's store holds.
func (st *site) fileRows(t testing.TB) int {
	t.Helper()
	files, err := st.store.FilesAfter(context.Background(), 0, 10_000)
	if err != nil {
		t.Fatalf("FilesAfter: %v", err)
	}
	return len(files)
}
