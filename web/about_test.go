package web_test

import (
	"strings"
	"testing"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestAboutAttribution checks the about page credits the data the demo
// catalog is built from, as its licences require, in the site's layout.
// The page reads nothing from the catalog, so one engine is enough.
func TestAboutAttribution(t *testing.T) {
	st := newSite(t, sqltest.Open(t, sqlstore.SQLite, sqlstore.Options{}), siteOptions{})
	p := st.browser(t).get("/about").wantStatus(t, "about", 200).
		wantBody(t, "about", "<title>About · moviedb</title>", `<main id="main">`, `href="/static/site.css`,
			`<h1>About moviedb</h1>`, `href="/docs"`, `href="/movies"`)
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("about: Content-Security-Policy = %q; want the site's policy", csp)
	}
	// A credit may wrap across lines of the template.
	text := strings.Join(strings.Fields(p.body), " ")
	for _, want := range []string{"wikipedia-movie-data", "Peter Rust (MIT)", "CC BY-SA 4.0",
		"neo4j-labs/neosemantics", "Apache-2.0", "Information courtesy of IMDb"} {
		if !strings.Contains(text, want) {
			t.Errorf("the about page does not say %q", want)
		}
	}
}
