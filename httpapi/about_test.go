package httpapi

import (
	"strings"
	"testing"
)

// TestAboutAttribution checks the about page credits the data the demo
// catalog is built from, as its licences require.
func TestAboutAttribution(t *testing.T) {
	for _, want := range []string{"wikipedia-movie-data", "Peter Rust (MIT)", "CC BY-SA 4.0",
		"neo4j-labs/neosemantics", "Apache-2.0", "Information courtesy of IMDb"} {
		if !strings.Contains(strings.Join(strings.Fields(string(aboutPage.body)), " "), want) {
			t.Errorf("the about page does not say %q", want)
		}
	}
}
