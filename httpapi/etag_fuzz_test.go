package httpapi

import (
	"strings"
	"testing"
)

// FuzzEntityTags feeds arbitrary If-Match and If-None-Match values to the
// tag parsing of conditional requests. Parsed tags are never empty and
// never hold a comma or surrounding space; If-Match holds exactly when
// there is no tag, a "*", or the current tag itself (a weak tag never
// matches); If-None-Match holds for the tag and its weak form.
func FuzzEntityTags(f *testing.F) {
	tag := etagOf([]byte("{}\n"))
	for _, v := range []string{
		"", "*", tag, "W/" + tag, `"a", ` + tag, ` , ,`, `"a,b"`, "\t" + tag + "\t",
		strings.TrimSuffix(tag, `"`), `W/"x"` + tag, tag + "-gzip",
	} {
		f.Add(v, "")
		f.Add(v, tag)
	}
	f.Fuzz(func(t *testing.T, v1, v2 string) {
		values := []string{v1, v2}
		tags := entityTags(values)
		anyOrTag := false
		for _, got := range tags {
			if got == "" || strings.Contains(got, ",") || strings.TrimSpace(got) != got {
				t.Fatalf("entityTags(%q) gave %q", values, got)
			}
			anyOrTag = anyOrTag || got == "*" || got == tag
		}
		if want := len(tags) == 0 || anyOrTag; ifMatchHolds(values, tag) != want {
			t.Fatalf("ifMatchHolds(%q, %s) = %v, want %v", values, tag, !want, want)
		}
		if again := entityTags([]string{strings.Join(tags, ", ")}); strings.Join(again, "|") != strings.Join(tags, "|") {
			t.Fatalf("tags %q joined and split again are %q", tags, again)
		}
		if ifMatchHolds([]string{"W/" + tag}, tag) {
			t.Fatal("a weak tag satisfied If-Match")
		}
		for _, named := range []string{tag, "W/" + tag} {
			if !noneMatchHolds(append(values, named), tag) {
				t.Fatalf("noneMatchHolds(%q + %s) is false", values, named)
			}
		}
	})
}
