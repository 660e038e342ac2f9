// Package blobtest runs a test over every storage backend: local disk in a
// temporary folder, and S3 through the production client against a real S3
// HTTP endpoint (gofakes3) served in the test process.
package blobtest

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/moviedb/moviedb/blob"
)

// A Backend is a fresh, empty store and the spec that opens it.
type Backend struct {
	Name  string
	Spec  string
	Store blob.Store
	// Getenv holds the S3 credentials the spec needs.
	Getenv func(string) string
}

// testCreds are the credentials the fake S3 server is given; it does not
// check them, but the client signs with them as it would in production.
var testCreds = map[string]string{
	blob.EnvS3AccessKey: "test-access-key",
	blob.EnvS3SecretKey: "test-secret-key",
}

// Getenv returns the test credentials, for blob.Options.
func Getenv(name string) string { return testCreds[name] }

// Run runs fn once per backend, each as a subtest with a fresh store.
func Run(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("local", func(t *testing.T) { fn(t, Local(t)) })
	t.Run("s3", func(t *testing.T) { fn(t, S3(t, "")) })
}

// New returns a fresh backend of the kind Run names name ("local", "s3").
func New(t testing.TB, name string) Backend {
	t.Helper()
	if name == "s3" {
		return S3(t, "")
	}
	return Local(t)
}

// Local returns a backend on a temporary folder.
func Local(t testing.TB) Backend {
	t.Helper()
	spec := "file:" + t.TempDir()
	return open(t, "local", spec)
}

// S3 starts a fake S3 server for the test, creates a bucket and returns a
// backend on it with key prefix "media"; query is appended to the spec's
// query string.
func S3(t testing.TB, query string) Backend {
	t.Helper()
	mem := s3mem.New()
	if err := mem.CreateBucket("moviedb"); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	srv := httptest.NewServer(gofakes3.New(mem).Server())
	t.Cleanup(srv.Close)
	spec := "s3://moviedb/media?endpoint=" + srv.URL + "&path_style=true&region=us-east-1" + query
	return open(t, "s3", spec)
}

func open(t testing.TB, name, spec string) Backend {
	t.Helper()
	st, err := blob.Open(context.Background(), spec, blob.Options{Getenv: Getenv})
	if err != nil {
		t.Fatalf("blob.Open(%q): %v", spec, err)
	}
	if c, ok := st.(interface{ Close() error }); ok {
		t.Cleanup(func() { c.Close() })
	}
	return Backend{Name: name, Spec: spec, Store: st, Getenv: Getenv}
}

// Keys returns every key in st, failing t on error.
func Keys(t testing.TB, st blob.Store) []string {
	t.Helper()
	keys := []string{}
	err := st.List(context.Background(), "", func(i blob.Info) error {
		keys = append(keys, i.Key)
		return nil
	})
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return keys
}
