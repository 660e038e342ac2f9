package httpgzip

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzETag checks the gzipped form's tag: identityTag undoes ETag for
// every strong tag, and whatever identityTag accepts, ETag makes again
// (weak prefix aside).
func FuzzETag(f *testing.F) {
	for _, s := range []string{`"abc"`, `W/"abc"`, `"abc-gzip"`, `W/"abc-gzip"`, `"-gzip"`, `-gzip"`, `"`, ``, `"a"-gzip"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if id, ok := identityTag(s); ok {
			if again := ETag(strings.TrimPrefix(id, "W/")); again != strings.TrimPrefix(s, "W/") {
				t.Fatalf("identityTag(%q) = %q, whose gzip tag is %q", s, id, again)
			}
		} else if id != s {
			t.Fatalf("identityTag(%q) refused it but changed it to %q", s, id)
		}
		gz := ETag(s)
		strong := len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"'
		if !strong {
			if gz != s {
				t.Fatalf("ETag(%q) = %q; a tag that is not strong stays as it is", s, gz)
			}
			return
		}
		if id, ok := identityTag(gz); !ok || id != s {
			t.Fatalf("identityTag(ETag(%q)) = %q, %v", s, id, ok)
		}
	})
}

// FuzzIdentityConditionals sends arbitrary If-None-Match and If-Match
// values through the tag rewriting of Handler: each gzip-form tag reaches
// the handler as its identity tag, every other tag as it was sent, in
// order, and each header keeps its tag count.
func FuzzIdentityConditionals(f *testing.F) {
	f.Add(`"abc-gzip"`, `"abc"`)
	f.Add(`W/"abc-gzip", "x", *`, ``)
	f.Add(` , "-gzip" ,`, `"a-gzip"`)
	f.Fuzz(func(t *testing.T, noneMatch, ifMatch string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("If-None-Match", noneMatch)
		r.Header.Set("If-Match", ifMatch)
		r2, gzipTags := identityConditionals(r)
		for _, name := range []string{"If-None-Match", "If-Match"} {
			sent, got := splitTags(r.Header.Get(name)), splitTags(r2.Header.Get(name))
			if len(sent) != len(got) {
				t.Fatalf("%s %q reached the handler as %q", name, r.Header.Get(name), r2.Header.Get(name))
			}
			for i, s := range sent {
				id, ok := identityTag(s)
				if got[i] != id {
					t.Fatalf("%s tag %q reached the handler as %q", name, s, got[i])
				}
				if ok && !gzipTags[strings.TrimPrefix(id, "W/")] {
					t.Fatalf("%s tag %q was not recorded as a gzip tag", name, s)
				}
			}
		}
	})
}

func splitTags(v string) []string {
	var tags []string
	for _, t := range strings.Split(v, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}
