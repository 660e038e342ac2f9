package web_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"slices"
	"testing"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

var (
	nextLink  = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	movieLink = regexp.MustCompile(`<li><a href="/movies/(\d+)">`)
)

// TestBusyPersonPages gives a person more credits than their page shows:
// the page shows the first of each list with a link to all of them, and
// the filmography pages, followed by their Next links, list every credit
// once, newest release first.
func TestBusyPersonPages(t *testing.T) {
	t.Parallel()
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		st := newSite(t, s, siteOptions{})
		ctx := context.Background()
		p := &catalog.Person{FirstName: "Busy", LastName: "Director"}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		// More credits than the person page shows, and than a page of a
		// filmography lists.
		n := 3*catalog.FilmographyPreview + 3
		var want []string
		for i := range n {
			m := &catalog.Movie{Title: fmt.Sprintf("Film %03d", i), DirectorID: &p.ID,
				ReleaseDate: &catalog.Date{Year: 1900 + i, Month: 1, Day: 1}}
			if err := s.CreateMovie(ctx, m); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateCharacterInCast(ctx, m.ID, &catalog.Character{Name: "Self", Role: catalog.RoleLeading}, &p.ID); err != nil {
				t.Fatal(err)
			}
			want = append(want, fmt.Sprint(m.ID))
		}
		slices.Reverse(want)
		b := st.browser(t)
		page := b.get(fmt.Sprintf("/persons/%d", p.ID)).wantStatus(t, "person", 200).
			wantBody(t, "person", fmt.Sprintf(`href="/persons/%d/directed">All %d movies directed`, p.ID, n),
				fmt.Sprintf(`href="/persons/%d/played">All %d roles`, p.ID, n))
		if got := len(movieLink.FindAllString(page.body, -1)); got != 2*catalog.FilmographyPreview {
			t.Errorf("person page lists %d credits; want %d of each list", got, catalog.FilmographyPreview)
		}
		for _, list := range []string{"directed", "played"} {
			var got []string
			next := fmt.Sprintf("/persons/%d/%s", p.ID, list)
			pages := 0
			for ; next != ""; pages++ {
				if pages > n {
					t.Fatalf("%s: the Next links do not end", list)
				}
				pg := b.get(next).wantStatus(t, next, 200)
				for _, m := range movieLink.FindAllStringSubmatch(pg.body, -1) {
					got = append(got, m[1])
				}
				next = ""
				if m := nextLink.FindStringSubmatch(pg.body); m != nil {
					next = html.UnescapeString(m[1])
				}
			}
			if !slices.Equal(got, want) || pages < 2 {
				t.Errorf("%s: %d pages = %v; want %v on more than one", list, pages, got, want)
			}
		}
		b.get(fmt.Sprintf("/persons/%d/directed?cursor=garbage", p.ID)).wantStatus(t, "bad cursor", 400)
		b.get(fmt.Sprintf("/persons/%d/directed?page=1&cursor=x", p.ID)).wantStatus(t, "page and cursor", 400)
		b.get(fmt.Sprintf("/persons/%d/played", p.ID+1000)).wantStatus(t, "nobody", 404)
		b.get("/persons?cursor=garbage").wantStatus(t, "bad cursor on persons", 400)
	})
}
