package web

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
)

// FuzzLocalPath checks the "next" path of a login: localPath returns its
// input or "/", and what it accepts is a plain path of this site: one
// leading slash, no control character or backslash (which browsers drop or
// read as a slash), no scheme and no host when parsed, and, resolved
// against this site's address, an address of this site.
func FuzzLocalPath(f *testing.F) {
	for _, p := range []string{
		"/movies/1", "/movies?q=alien&page=2#x", "/%2F%2Fevil.example", "", "movies",
		"//evil.example", "///evil.example", "/\\evil.example", "/\t/evil.example",
		"/\n/evil.example", "/\x00/evil.example", "/\u0085/evil.example", "/\u2028/x",
		"https://evil.example/", "javascript:alert(1)", "/:evil.example", "/@evil.example",
		"/%09/evil.example", "/.//evil.example", "/\xff/x", "/?next=//evil.example",
	} {
		f.Add(p)
	}
	base, err := url.Parse("https://moviedb.example/login")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := localPath(p)
		if got == "/" {
			return
		}
		if got != p {
			t.Fatalf("localPath(%q) = %q, want the input or /", p, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") {
			t.Fatalf("localPath accepted %q: not a single leading slash", got)
		}
		if strings.ContainsFunc(got, func(r rune) bool { return unicode.IsControl(r) || r == '\\' }) {
			t.Fatalf("localPath accepted %q: a control character or backslash", got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
			t.Fatalf("localPath accepted %q: parses as %#v, %v", got, u, err)
		}
		if r := base.ResolveReference(u); r.Scheme != base.Scheme || r.Host != base.Host {
			t.Fatalf("localPath accepted %q: resolves to %s", got, r)
		}
	})
}
