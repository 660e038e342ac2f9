package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/blob"
	"github.com/moviedb/moviedb/blob/blobtest"
)

var ctx = context.Background()

// fetch returns the bytes of the object under key, through Open.
func fetch(t *testing.T, st blob.Store, key string) []byte {
	t.Helper()
	obj, err := st.Open(ctx, key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer obj.Body.Close()
	b, err := io.ReadAll(obj.Body)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	if obj.Size != int64(len(b)) {
		t.Errorf("Open(%q).Size = %d; read %d bytes", key, obj.Size, len(b))
	}
	return b
}

func TestPutOpenDeleteList(t *testing.T) {
	blobtest.Run(t, func(t *testing.T, b blobtest.Backend) {
		st := b.Store
		data := bytes.Repeat([]byte("poster-bytes\x00\xff"), 1000)
		if err := st.Put(ctx, "posters/2026/01/abc.jpg", bytes.NewReader(data), "image/jpeg"); err != nil {
			t.Fatalf("Put: %v", err)
		}
		// A reader that cannot seek works too.
		if err := st.Put(ctx, "photos/2026/01/def.png", io.MultiReader(strings.NewReader("png")), "image/png"); err != nil {
			t.Fatalf("Put from a plain reader: %v", err)
		}
		if got := fetch(t, st, "posters/2026/01/abc.jpg"); !bytes.Equal(got, data) {
			t.Errorf("Open returned %d bytes that differ from the %d put", len(got), len(data))
		}
		if got := fetch(t, st, "photos/2026/01/def.png"); string(got) != "png" {
			t.Errorf("Open = %q; want %q", got, "png")
		}
		// Put replaces.
		if err := st.Put(ctx, "photos/2026/01/def.png", strings.NewReader("png2"), "image/png"); err != nil {
			t.Fatal(err)
		}
		if got := fetch(t, st, "photos/2026/01/def.png"); string(got) != "png2" {
			t.Errorf("after a second Put, Open = %q; want %q", got, "png2")
		}

		keys := blobtest.Keys(t, st)
		slices.Sort(keys)
		if want := []string{"photos/2026/01/def.png", "posters/2026/01/abc.jpg"}; !slices.Equal(keys, want) {
			t.Errorf("List = %q; want %q", keys, want)
		}
		var posters []string
		err := st.List(ctx, "posters/", func(i blob.Info) error {
			posters = append(posters, i.Key)
			if i.Size != int64(len(data)) || i.ModTime.IsZero() {
				t.Errorf("List info %+v; want size %d and a time", i, len(data))
			}
			return nil
		})
		if err != nil || !slices.Equal(posters, []string{"posters/2026/01/abc.jpg"}) {
			t.Errorf("List(posters/) = %q, %v", posters, err)
		}
		stop := errors.New("stop")
		if err := st.List(ctx, "", func(blob.Info) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("List with a failing fn = %v; want its error", err)
		}

		if err := st.Delete(ctx, "posters/2026/01/abc.jpg"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if err := st.Delete(ctx, "posters/2026/01/abc.jpg"); err != nil {
			t.Errorf("Delete of a missing object = %v; want nil", err)
		}
		if _, err := st.Open(ctx, "posters/2026/01/abc.jpg"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open after Delete = %v; want ErrNotFound", err)
		}
		if _, err := st.Open(ctx, "never/there.jpg"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open of a missing key = %v; want ErrNotFound", err)
		}
	})
}

// failingReader fails after some bytes, like a client hanging up.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

func TestFailedPutLeavesNothing(t *testing.T) {
	blobtest.Run(t, func(t *testing.T, b blobtest.Backend) {
		if err := b.Store.Put(ctx, "posters/x.jpg", &failingReader{n: 5000}, "image/jpeg"); err == nil {
			t.Fatal("Put from a failing reader succeeded")
		}
		if keys := blobtest.Keys(t, b.Store); len(keys) != 0 {
			t.Errorf("after a failed Put, List = %q; want nothing", keys)
		}
	})
}

func TestHostileKeys(t *testing.T) {
	hostile := []string{
		"", "../escape.jpg", "a/../../escape.jpg", "/etc/passwd", "a//b.jpg", "./a.jpg", "a/./b.jpg",
		"a/b/", "..", "external/abc", "UPPER.jpg", "a\\..\\b.jpg", "a\x00b", "a b.jpg", "%2e%2e/x",
		strings.Repeat("a", 600),
	}
	blobtest.Run(t, func(t *testing.T, b blobtest.Backend) {
		st := b.Store
		for _, key := range hostile {
			if err := st.Put(ctx, key, strings.NewReader("x"), "text/plain"); !errors.Is(err, blob.ErrBadKey) {
				t.Errorf("Put(%q) = %v; want ErrBadKey", key, err)
			}
			if _, err := st.Open(ctx, key); !errors.Is(err, blob.ErrBadKey) {
				t.Errorf("Open(%q) = %v; want ErrBadKey", key, err)
			}
			if err := st.Delete(ctx, key); !errors.Is(err, blob.ErrBadKey) {
				t.Errorf("Delete(%q) = %v; want ErrBadKey", key, err)
			}
			if _, _, err := st.URL(ctx, key); !errors.Is(err, blob.ErrBadKey) {
				t.Errorf("URL(%q) = %v; want ErrBadKey", key, err)
			}
		}
		if keys := blobtest.Keys(t, st); len(keys) != 0 {
			t.Errorf("after hostile keys, List = %q; want nothing", keys)
		}
	})
}

// TestLocalSymlinkEscape checks that a symlink planted inside the folder
// cannot lead a read or write outside it.
func TestLocalSymlinkEscape(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.jpg"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "posters")); err != nil {
		t.Fatal(err)
	}
	st, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Open(ctx, "posters/secret.jpg"); err == nil {
		t.Error("Open through a symlink out of the folder succeeded")
	}
	if err := st.Put(ctx, "posters/new.jpg", strings.NewReader("x"), ""); err == nil {
		t.Error("Put through a symlink out of the folder succeeded")
	}
	if _, err := os.Stat(filepath.Join(outside, "new.jpg")); err == nil {
		t.Error("Put wrote outside the folder")
	}
}

func TestS3URLs(t *testing.T) {
	data := []byte("the poster")
	t.Run("presigned", func(t *testing.T) {
		b := blobtest.S3(t, "&presign=5m")
		if err := b.Store.Put(ctx, "posters/p.jpg", bytes.NewReader(data), "image/jpeg"); err != nil {
			t.Fatal(err)
		}
		u, permanent, err := b.Store.URL(ctx, "posters/p.jpg")
		if err != nil || permanent {
			t.Fatalf("URL = %q, %v, %v; want a presigned URL", u, permanent, err)
		}
		if !strings.Contains(u, "X-Amz-Expires=300") || !strings.Contains(u, "/moviedb/media/posters/p.jpg") {
			t.Errorf("URL = %q; want a path-style presigned URL living 300s", u)
		}
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		got, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !bytes.Equal(got, data) || resp.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET presigned URL = %d %q %q; want 200 image/jpeg %q", resp.StatusCode, resp.Header.Get("Content-Type"), got, data)
		}
	})
	t.Run("public", func(t *testing.T) {
		b := blobtest.S3(t, "&public_url=https://cdn.example.com/")
		u, permanent, err := b.Store.URL(ctx, "posters/p.jpg")
		if err != nil || !permanent || u != "https://cdn.example.com/media/posters/p.jpg" {
			t.Errorf("URL = %q, %v, %v; want the permanent public URL", u, permanent, err)
		}
	})
}

func TestOpenSpecs(t *testing.T) {
	creds := blobtest.Getenv
	for _, tc := range []struct {
		spec   string
		getenv func(string) string
		want   string
	}{
		{"ftp://x", creds, "want file:PATH or s3://"},
		{"file:", creds, "empty folder path"},
		{"s3://", creds, "want s3://BUCKET"},
		{"s3://b/p?region=x&colour=red", creds, `unknown parameter "colour"`},
		{"s3://b/p?endpoint=localhost:9000", creds, "not an http(s) URL"},
		{"s3://b/p?path_style=maybe", creds, "path_style"},
		{"s3://b/p?presign=forever", creds, "presign"},
		{"s3://b/p?presign=720h", creds, "presign"},
		{"s3://b/../p", creds, "prefix"},
		{"s3://b/p?public_url=cdn", creds, "public_url"},
		{"s3://b/p", func(string) string { return "" }, "needs credentials"},
		{"s3://b/p", func(k string) string {
			if k == "AWS_ACCESS_KEY_ID" {
				return "only-the-id"
			}
			return ""
		}, "needs credentials"},
	} {
		_, err := blob.Open(ctx, tc.spec, blob.Options{Getenv: tc.getenv})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q) = %v; want an error containing %q", tc.spec, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "test-secret-key") {
			t.Errorf("Open(%q) error holds the secret key: %v", tc.spec, err)
		}
	}
	// AWS's variable names work when moviedb's are unset.
	aws := map[string]string{"AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret"}
	if _, err := blob.Open(ctx, "s3://b/p?region=eu-west-1", blob.Options{Getenv: func(k string) string { return aws[k] }}); err != nil {
		t.Errorf("Open with AWS_* credentials: %v", err)
	}
}
