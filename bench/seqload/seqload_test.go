package main

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func writeParams(t *testing.T, text string) params {
	t.Helper()
	name := filepath.Join(t.TempDir(), "params.txt")
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := readParams(name)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestExpandDrawsEveryValue(t *testing.T) {
	t.Parallel()
	ps := writeParams(t, "# ids\nmovie=3..5\nword=the\nword=love\nfilter=\n\nfilter=country=2&\n")
	if err := ps.check("/m/{movie}?{filter}q={word}"); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		var b strings.Builder
		ps.expand(&b, "/m/{movie}?{filter}q={word}", r)
		seen[b.String()] = true
	}
	var want []string
	for _, id := range []string{"3", "4", "5"} {
		for _, f := range []string{"", "country=2&"} {
			for _, w := range []string{"the", "love"} {
				want = append(want, "/m/"+id+"?"+f+"q="+w)
			}
		}
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("never drew %s", w)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("drew %d distinct paths, want %d: %v", len(seen), len(want), seen)
	}
}

func TestCheckRejectsUnknownAndStrayBraces(t *testing.T) {
	t.Parallel()
	ps := writeParams(t, "movie=1..2\n")
	for _, path := range []string{"/m/{person}", "/m/{movie", "/m/{movie-id}", "/m/movie}"} {
		if err := ps.check(path); err == nil {
			t.Errorf("check(%q) = nil, want an error", path)
		}
	}
}

func TestReadParamsRejectsMalformedLines(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"movie\n", "=3\n", "movie=5..2\n", "movie=0..0\n"} {
		name := filepath.Join(t.TempDir(), "p.txt")
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readParams(name); err == nil {
			t.Errorf("readParams(%q) = nil error", text)
		}
	}
}

func TestRunCountsAndStopsOnNon2xx(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer x" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/m/3" {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	ok := writeParams(t, "movie=1..2\n")
	res, err := run(srv.URL, "/m/{movie}", "Authorization: Bearer x", ok, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got := hits["/m/1"] + hits["/m/2"]
	mu.Unlock()
	if res.count != got || res.count == 0 || res.p50 > res.p99 {
		t.Errorf("result %+v, server saw %d requests", res, got)
	}

	if _, err := run(srv.URL, "/m/{movie}", "", ok, time.Second); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("without the token: error %v, want the 401", err)
	}
	bad := writeParams(t, "movie=1..3\n")
	if _, err := run(srv.URL, "/m/{movie}", "Authorization: Bearer x", bad, 10*time.Second); err == nil || !strings.Contains(err.Error(), "/m/3") {
		t.Errorf("with a missing id: error %v, want the 404 of /m/3", err)
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	var lat []time.Duration
	for i := 1; i <= 200; i++ {
		lat = append(lat, time.Duration(i))
	}
	for p, want := range map[int]time.Duration{50: 100, 99: 198, 100: 200, 1: 2} {
		if got := percentile(lat, p); got != want {
			t.Errorf("percentile(1..200, %d) = %d, want %d", p, got, want)
		}
	}
	if got := percentile(lat[:1], 99); got != 1 {
		t.Errorf("percentile of one = %d", got)
	}
}
