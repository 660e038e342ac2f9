package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/blob/blobtest"
	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media/mediatest"
)

// fileAccess is who may call each route of fileRoutes.
var fileAccess = map[string]access{
	"POST /api/v1/files":                           adminAccess,
	"GET /api/v1/files/{id}":                       publicAccess,
	"DELETE /api/v1/files/{id}":                    adminAccess,
	"PUT /api/v1/movies/{id}/poster":               adminAccess,
	"GET /api/v1/persons/{id}/photos":              publicAccess,
	"POST /api/v1/persons/{id}/photos":             adminAccess,
	"PATCH /api/v1/persons/{id}/photos/{file_id}":  adminAccess,
	"DELETE /api/v1/persons/{id}/photos/{file_id}": adminAccess,
	filesPattern: publicAccess,
}

// upload sends data as the multipart field "file" named fileName.
func (api *testAPI) upload(method, url, token, fileName string, data []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="file"; filename=%q`, fileName)}
	h["Content-Type"] = []string{"image/jpeg"} // what a client claims counts for nothing
	part, _ := mw.CreatePart(h)
	part.Write(data)
	mw.Close()
	r := httptest.NewRequest(method, url, &body)
	r.RemoteAddr = "192.0.2.1:1234"
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	api.h.ServeHTTP(w, r)
	return w
}

// fetch GETs a URL the API gave, through the API for /files/ URLs and
// following a redirect to S3.
func (api *testAPI) fetch(url string) []byte {
	api.t.Helper()
	path, ok := strings.CutPrefix(url, testBaseURL)
	if !ok {
		api.t.Fatalf("URL %q is not the API's", url)
	}
	w := api.do("GET", path, "", "")
	if w.Code == http.StatusFound {
		resp, err := http.Get(w.Header().Get("Location"))
		if err != nil {
			api.t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			api.t.Fatalf("GET %s → %s: %d", url, w.Header().Get("Location"), resp.StatusCode)
		}
		return b
	}
	api.want(w, http.StatusOK, "GET "+url)
	return w.Body.Bytes()
}

// wantNothingStored fails unless there is no img_files row and no object.
func (api *testAPI) wantNothingStored(what string) {
	api.t.Helper()
	l, err := api.store.ListFiles(context.Background(), catalog.FileFilter{})
	if err != nil {
		api.t.Fatal(err)
	}
	if l.Total != 0 {
		api.t.Errorf("%s: %d img_files rows; want 0", what, l.Total)
	}
	if keys := blobtest.Keys(api.t, api.blob); len(keys) != 0 {
		api.t.Errorf("%s: objects %q; want none", what, keys)
	}
}

func TestUploadsEndToEnd(t *testing.T) {
	for _, backend := range []string{"local", "s3"} {
		t.Run(backend, func(t *testing.T) {
			runAPIWith(t, backend, nil, func(t *testing.T, api *testAPI) {
				admin := api.mintToken(api.createUser("mother", catalog.AdminRole).ID)
				user := api.mintToken(api.createUser("ripley", catalog.UserRole).ID)
				movieID := api.movie("Alien")
				w := api.do("POST", "/api/v1/persons", admin, `{"first_name":"Sigourney","last_name":"Weaver"}`)
				api.want(w, http.StatusCreated, "create person")
				personID := decode[personDetailJSON](t, w).ID

				// Hostile uploads: refused, nothing stored, on every upload route.
				for _, h := range mediatest.HostileFiles() {
					w := api.upload("PUT", fmt.Sprintf("/api/v1/movies/%d/poster", movieID), admin, h.FileName, h.Data)
					api.want(w, h.Status, h.Name)
					w = api.upload("POST", fmt.Sprintf("/api/v1/persons/%d/photos", personID), admin, h.FileName, h.Data)
					api.want(w, h.Status, h.Name)
					w = api.upload("PUT", "/api/v1/me/avatar", user, h.FileName, h.Data)
					api.want(w, h.Status, h.Name)
					api.wantNothingStored(h.Name)
				}
				big := append(mediatest.JPEG(16, 16), bytes.Repeat([]byte{0}, 300<<10)...)
				api.want(api.upload("POST", "/api/v1/files", admin, "big.jpg", big), http.StatusRequestEntityTooLarge, "oversize")
				api.want(api.upload("PUT", "/api/v1/movies/999/poster", admin, "p.jpg", mediatest.JPEG(8, 8)), http.StatusNotFound, "missing movie")
				api.want(api.upload("POST", "/api/v1/files", user, "p.jpg", mediatest.JPEG(8, 8)), http.StatusForbidden, "user upload")
				api.wantNothingStored("after refused uploads")

				// The poster.
				poster := mediatest.JPEG(600, 900)
				w = api.upload("PUT", fmt.Sprintf("/api/v1/movies/%d/poster", movieID), admin, "alien.jpg", poster)
				api.want(w, http.StatusOK, "upload poster")
				w = api.do("GET", fmt.Sprintf("/api/v1/movies/%d", movieID), "", "")
				api.want(w, http.StatusOK, "movie detail")
				d := decode[movieDetailJSON](t, w)
				if d.Poster == nil || d.Poster.MimeType != "image/jpeg" || d.Poster.FileName != "alien.jpg" || d.Poster.Thumbnails == nil {
					t.Fatalf("movie poster = %+v", d.Poster)
				}
				if got := api.fetch(d.Poster.URL); !bytes.Equal(got, poster) {
					t.Errorf("fetching the poster URL gave %d bytes that differ from the upload", len(got))
				}
				th := api.fetch(strings.Replace(d.Poster.Thumbnails.URL, "{width}", "185", 1))
				cfg, _, err := image.DecodeConfig(bytes.NewReader(th))
				if err != nil || cfg.Width != 185 {
					t.Errorf("thumbnail w185 decodes to %+v, %v; want width 185", cfg, err)
				}

				// Photos: the first is primary; PATCH moves primary.
				var photoIDs []int64
				for i, data := range [][]byte{mediatest.PNG(40, 60), mediatest.GIF(40, 60)} {
					w := api.upload("POST", fmt.Sprintf("/api/v1/persons/%d/photos", personID), admin, "sw.png", data)
					api.want(w, http.StatusCreated, "upload photo")
					p := decode[photoJSON](t, w)
					if p.IsPrimary != (i == 0) {
						t.Errorf("photo %d primary = %v", i, p.IsPrimary)
					}
					photoIDs = append(photoIDs, p.ID)
				}
				w = api.do("PATCH", fmt.Sprintf("/api/v1/persons/%d/photos/%d", personID, photoIDs[1]), admin, `{"is_primary":true}`)
				api.want(w, http.StatusOK, "make primary")
				w = api.do("GET", fmt.Sprintf("/api/v1/persons/%d", personID), "", "")
				pd := decode[personDetailJSON](t, w)
				if len(pd.Photos) != 2 || pd.Photos[0].ID != photoIDs[1] || !pd.Photos[0].IsPrimary || pd.Photos[1].IsPrimary {
					t.Errorf("person photos = %+v; want photo %d primary, first", pd.Photos, photoIDs[1])
				}
				if got := api.fetch(pd.Photos[1].URL); !bytes.Equal(got, mediatest.PNG(40, 60)) {
					t.Errorf("photo bytes differ")
				}

				// The avatar.
				avatar := mediatest.WebP()
				api.want(api.upload("PUT", "/api/v1/me/avatar", user, "me.webp", avatar), http.StatusOK, "upload avatar")
				w = api.do("GET", "/api/v1/me", user, "")
				me := decode[userJSON](t, w)
				if me.Avatar == nil || me.Avatar.MimeType != "image/webp" {
					t.Fatalf("me avatar = %+v", me.Avatar)
				}
				if got := api.fetch(me.Avatar.URL); !bytes.Equal(got, avatar) {
					t.Errorf("avatar bytes differ")
				}

				// Deleting the poster file clears the poster and its objects.
				before := len(blobtest.Keys(t, api.blob))
				api.want(api.do("DELETE", fmt.Sprintf("/api/v1/files/%d", d.Poster.ID), admin, ""), http.StatusNoContent, "delete poster")
				if after := len(blobtest.Keys(t, api.blob)); after != before-2 {
					t.Errorf("deleting the poster left %d objects of %d; want the original and its thumbnail gone", after, before)
				}
				w = api.do("GET", fmt.Sprintf("/api/v1/movies/%d", movieID), "", "")
				if decode[movieDetailJSON](t, w).Poster != nil {
					t.Errorf("poster still set after deleting its file")
				}

				// Bad thumbnail sizes and keys.
				for _, u := range []string{"?w=100", "?w=abc", "?size=92", "?w=92&w=185"} {
					api.want(api.do("GET", "/files/"+pd.Photos[0].Key+u, "", ""), http.StatusBadRequest, u)
				}
				for _, k := range []string{"external/abc", "posters/none.jpg", "thumbs/" + pd.Photos[0].Key + "/w92.png"} {
					api.want(api.do("GET", "/files/"+k, "", ""), http.StatusNotFound, k)
				}
			})
		})
	}
}

func TestServeFileLocalHeaders(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		admin := api.mintToken(api.createUser("mother", catalog.AdminRole).ID)
		data := mediatest.PNG(50, 50)
		w := api.upload("POST", "/api/v1/files", admin, "x.png", data)
		api.want(w, http.StatusCreated, "upload")
		f := decode[fileJSON](t, w)
		w = api.do("GET", "/files/"+f.Key, "", "")
		api.want(w, http.StatusOK, "get")
		etag := w.Header().Get("ETag")
		if w.Header().Get("Content-Type") != "image/png" || etag == "" || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("headers %v", w.Header())
		}
		r := httptest.NewRequest("GET", "/files/"+f.Key, nil)
		r.Header.Set("Range", "bytes=0-9")
		rec := httptest.NewRecorder()
		api.h.ServeHTTP(rec, r)
		if rec.Code != http.StatusPartialContent || !bytes.Equal(rec.Body.Bytes(), data[:10]) {
			t.Errorf("range request = %d %q", rec.Code, rec.Body.Bytes())
		}
		r = httptest.NewRequest("GET", "/files/"+f.Key, nil)
		r.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		api.h.ServeHTTP(rec, r)
		if rec.Code != http.StatusNotModified {
			t.Errorf("conditional GET = %d; want 304", rec.Code)
		}
	})
}
