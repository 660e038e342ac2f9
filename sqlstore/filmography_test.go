package sqlstore_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// TestBusyPersonFilmography gives a person more credits than a detail
// holds, with ties on release dates, undated movies, and several
// characters in one movie: the detail holds the first of each list with
// the counts of all, and the filmography lists page through every credit
// in the detail's order.
func TestBusyPersonFilmography(t *testing.T) {
	t.Parallel()
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		p := fixturePerson(t, s, "Busy", "Person")
		other := fixturePerson(t, s, "Other", "Person")
		n := catalog.FilmographyPreview + 7
		type credit struct {
			movie    int64
			released string // "" for none
			role     int
			name     string
			char     int64
		}
		var directed, played []credit
		roles := []string{catalog.RoleLeading, catalog.RoleSupporting, catalog.RoleBackground}
		for i := range n {
			m := catalog.Movie{Title: fmt.Sprintf("Movie %02d", i), DirectorID: &p.ID}
			released := ""
			if i%5 != 0 {
				released = fmt.Sprintf("20%02d-01-01", i%4) // four dates, many ties
				m.ReleaseDate = mustDate(t, released)
			}
			if i%6 == 1 {
				m.DirectorID = &other.ID
			}
			movie := createMovieAs(t, s, m)
			if *m.DirectorID == p.ID {
				directed = append(directed, credit{movie: movie.ID, released: released})
			}
			for j := range 1 + i%3 {
				ch := &catalog.Character{Name: fmt.Sprintf("Role %c", 'c'-j), Role: roles[(i+j)%3]}
				if _, err := s.CreateCharacterInCast(ctx, movie.ID, ch, &p.ID); err != nil {
					t.Fatal(err)
				}
				played = append(played, credit{movie: movie.ID, released: released, role: (i + j) % 3, name: ch.Name, char: ch.ID})
			}
			if _, err := s.CreateCharacterInCast(ctx, movie.ID, &catalog.Character{Name: "Extra", Role: catalog.RoleLeading}, &other.ID); err != nil {
				t.Fatal(err)
			}
		}
		// The order the lists promise, computed here: newest release
		// first, undated last, then movie id; within a movie leading
		// roles first, then by name, then character id.
		order := func(a, b credit) int {
			if (a.released == "") != (b.released == "") {
				if a.released == "" {
					return 1
				}
				return -1
			}
			return cmp.Or(-cmp.Compare(a.released, b.released), cmp.Compare(a.movie, b.movie),
				cmp.Compare(a.role, b.role), cmp.Compare(a.name, b.name), cmp.Compare(a.char, b.char))
		}
		slices.SortFunc(directed, order)
		slices.SortFunc(played, order)
		var wantDirected, wantPlayed []int64
		for _, c := range directed {
			wantDirected = append(wantDirected, c.movie)
		}
		for _, c := range played {
			wantPlayed = append(wantPlayed, c.char)
		}

		d, err := s.PersonDetail(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.DirectedCount != len(directed) || d.PlayedCount != len(played) {
			t.Errorf("counts = %d directed, %d played; want %d, %d", d.DirectedCount, d.PlayedCount, len(directed), len(played))
		}
		var gotDirected, gotPlayed []int64
		for _, m := range d.Directed {
			gotDirected = append(gotDirected, m.ID)
		}
		for _, r := range d.Played {
			gotPlayed = append(gotPlayed, r.Character.ID)
		}
		if !slices.Equal(gotDirected, wantDirected[:catalog.FilmographyPreview]) {
			t.Errorf("detail directed = %v; want the first %d of %v", gotDirected, catalog.FilmographyPreview, wantDirected)
		}
		if !slices.Equal(gotPlayed, wantPlayed[:catalog.FilmographyPreview]) {
			t.Errorf("detail played = %v; want the first %d of %v", gotPlayed, catalog.FilmographyPreview, wantPlayed)
		}

		directedList := func(pg catalog.Page) (catalog.List[catalog.MovieBrief], error) {
			return s.PersonDirected(ctx, p.ID, pg)
		}
		playedList := func(pg catalog.Page) (catalog.List[catalog.PlayedRole], error) { return s.PersonPlayed(ctx, p.ID, pg) }
		checkWalk(t, "directed", directedList, func(m *catalog.MovieBrief) int64 { return m.ID }, wantDirected)
		checkWalk(t, "played", playedList, func(r *catalog.PlayedRole) int64 { return r.Character.ID }, wantPlayed)

		// A cursor of one list is refused by the other, and by the same
		// list of another person.
		dl, err := directedList(catalog.Page{Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		_, err = playedList(catalog.Page{Size: 1, Cursor: dl.NextCursor})
		wantInvalid(t, err, "cursor")
		_, err = s.PersonDirected(ctx, other.ID, catalog.Page{Size: 1, Cursor: dl.NextCursor})
		wantInvalid(t, err, "cursor")

		_, err = s.PersonDirected(ctx, p.ID+1000, catalog.Page{})
		wantNotFound(t, err)
		_, err = s.PersonPlayed(ctx, p.ID+1000, catalog.Page{})
		wantNotFound(t, err)
		nobody := fixturePerson(t, s, "No", "Credits")
		if l, err := s.PersonPlayed(ctx, nobody.ID, catalog.Page{}); err != nil || l.Total != 0 || len(l.Items) != 0 {
			t.Errorf("PersonPlayed(no credits) = %+v, %v; want an empty list", l, err)
		}
	})
}
