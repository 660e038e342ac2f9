package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestLoginNextStaysOnSite checks that the page a login goes on to is a
// path of this site, however "next" is disguised: a browser drops tabs and
// newlines from a URL and reads a backslash as a slash, so "/\t/evil.example"
// would be "//evil.example", another site.
func TestLoginNextStaysOnSite(t *testing.T) {
	runSites(t, func(t *testing.T, st *site) {
		for next, want := range map[string]string{
			"/movies/1":                "/movies/1",
			"/movies?q=alien&page=2#x": "/movies?q=alien&page=2#x",
			"/%2F%2Fevil.example":      "/%2F%2Fevil.example",
			"":                         "/",
			"movies":                   "/",
			"//evil.example":           "/",
			"///evil.example":          "/",
			"/\\evil.example":          "/",
			"/\t/evil.example":         "/",
			"/\n/evil.example":         "/",
			"/\r/evil.example":         "/",
			"/\x00/evil.example":       "/",
			"/\x0b/evil.example":       "/",
			"/\x7f/evil.example":       "/",
			"/\u0085/evil.example":     "/",
			"/movies\\..\\..\\x":       "/",
			"https://evil.example/":    "/",
			"javascript:alert(1)":      "/",
			"/:evil.example":           "/:evil.example",
		} {
			b := st.browser(t)
			p := b.post("/login", url.Values{"login": {"ripley"}, "password": {userPassword}, "next": {next}})
			if p.status != http.StatusSeeOther || p.header.Get("Location") != want {
				t.Errorf("login with next %q: %d to %q; want 303 to %q", next, p.status, p.header.Get("Location"), want)
			}
		}
	})
}
