// Package webtest holds checks of a running moviedb site that tests share:
// web's own tests run them on a seeded catalog, and the CLI's on the demo
// catalog of `serve --demo`.
package webtest

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// CrawlOptions tune Crawl.
type CrawlOptions struct {
	// Depth is how many links away from the home page pages are fetched;
	// 0 means 2.
	Depth int
	// Client fetches the pages; nil means a client without cookies.
	Client *http.Client
}

var (
	linkAttr   = regexp.MustCompile(`\b(href|src)="([^"]*)"`)
	srcsetAttr = regexp.MustCompile(`\bsrcset="([^"]*)"`)
)

// Crawl fetches the home page of the site at base, then every page it
// links to on the same site, to opts.Depth links away, and every image,
// stylesheet and script those pages use from the site. It fails t for each
// answer of 400 or more and for each image (img src or srcset) the site
// serves that is not an image, and returns how many URLs it fetched. Images on other sites
// (stored by reference) are not fetched.
func Crawl(t testing.TB, base string, opts CrawlOptions) int {
	t.Helper()
	if opts.Depth == 0 {
		opts.Depth = 2
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{}
	}
	root, err := url.Parse(base)
	if err != nil {
		t.Fatalf("crawl: base %q: %v", base, err)
	}
	seen := map[string]bool{}
	type item struct {
		u        *url.URL
		depth    int
		from     string
		resource bool // an image, stylesheet or script: checked, not parsed
		image    bool
	}
	queue := []item{{u: root.JoinPath("/"), from: "(start)"}}
	fetched := 0
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		key := it.u.String()
		if seen[key] {
			continue
		}
		seen[key] = true
		resp, err := client.Get(key)
		if err != nil {
			t.Errorf("crawl: GET %s (linked from %s): %v", key, it.from, err)
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		fetched++
		if err != nil {
			t.Errorf("crawl: GET %s: read: %v", key, err)
			continue
		}
		ctype := resp.Header.Get("Content-Type")
		if resp.StatusCode >= 400 {
			t.Errorf("crawl: GET %s (linked from %s) = %d; want success", key, it.from, resp.StatusCode)
			continue
		}
		if it.resource {
			if it.image && !strings.HasPrefix(ctype, "image/") {
				t.Errorf("crawl: image %s (on %s) has Content-Type %q; want an image", key, it.from, ctype)
			}
			continue
		}
		if !strings.HasPrefix(ctype, "text/html") {
			continue
		}
		for _, ref := range references(string(body)) {
			u, err := resp.Request.URL.Parse(ref.url)
			if err != nil {
				t.Errorf("crawl: %s links to %q, not a URL: %v", key, ref.url, err)
				continue
			}
			if u.Host != root.Host || (u.Scheme != "http" && u.Scheme != "https") {
				continue // another site, a mailto: or a data: URL
			}
			u.Fragment = ""
			if ref.resource {
				queue = append(queue, item{u: u, depth: it.depth, from: key, resource: true, image: ref.image})
			} else if it.depth < opts.Depth {
				queue = append(queue, item{u: u, depth: it.depth + 1, from: key})
			}
		}
	}
	return fetched
}

type reference struct {
	url      string
	resource bool
	image    bool
}

// references returns the URLs an HTML page links to (a href) and uses
// (img src and srcset, link href, script src). The site's templates quote
// every attribute with double quotes, so a pattern finds them all.
func references(page string) []reference {
	var refs []reference
	for _, m := range linkAttr.FindAllStringSubmatchIndex(page, -1) {
		attr, val := page[m[2]:m[3]], html.UnescapeString(page[m[4]:m[5]])
		tagStart := strings.LastIndex(page[:m[0]], "<")
		tag := page[tagStart+1 : m[0]]
		resource := attr == "src" || strings.HasPrefix(tag, "link")
		refs = append(refs, reference{url: val, resource: resource, image: strings.HasPrefix(tag, "img")})
	}
	for _, m := range srcsetAttr.FindAllStringSubmatch(page, -1) {
		for _, cand := range strings.Split(html.UnescapeString(m[1]), ",") {
			if f := strings.Fields(cand); len(f) > 0 {
				refs = append(refs, reference{url: f[0], resource: true, image: true})
			}
		}
	}
	return refs
}
