package httpapi

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// A searchMovie is a movie of the search tests' catalog, as a row of a
// table the expected results are computed from.
type searchMovie struct {
	title    string
	country  string // "" for none
	director string // "" for none
	release  string // "" for none
	duration int    // 0 for none
	budget   string // "" for none
	genres   []string
	actors   []string
	fans     int

	id      int64
	created int // creation order
}

// searchCatalog holds eleven movies picked so that each filter keeps some
// and drops others, and each sort key has ties and missing values.
var searchCatalog = []searchMovie{
	{title: "Amélie", country: "France", director: "Jeunet", release: "2001-04-25", duration: 122, budget: "10000000.00",
		genres: []string{"Comedy", "Drama"}, actors: []string{"Tautou"}, fans: 1},
	{title: "Inception", country: "USA", director: "Nolan", release: "2010-07-16", duration: 148, budget: "160000000.00",
		genres: []string{"Action", "Sci-Fi"}, actors: []string{"DiCaprio"}, fans: 3},
	{title: "Oppenheimer", country: "USA", director: "Nolan", release: "2023-07-21", duration: 180, budget: "100000000.00",
		genres: []string{"Drama"}, fans: 2},
	{title: "Barbie", country: "USA", director: "Gerwig", release: "2023-07-21", duration: 114, budget: "145000000.00",
		genres: []string{"Comedy"}},
	{title: "Top Gun: Maverick", country: "USA", release: "2022-05-27", duration: 130, budget: "170000000.00",
		genres: []string{"Action"}, actors: []string{"DiCaprio", "Tautou"}},
	{title: "Anatomy of a Fall", country: "France", release: "2023-08-23", duration: 151, budget: "6200000.00",
		genres: []string{"Drama"}, fans: 1},
	{title: "Spider-Man: No Way Home", country: "USA", release: "2021-12-17", duration: 148, budget: "200000000.00",
		genres: []string{"Action"}},
	{title: "The Boundary", country: "USA", release: "2022-01-01", duration: 136, genres: []string{"Drama"}},
	{title: "Seven Samurai", country: "Japan", director: "Kurosawa", release: "1954-04-26", duration: 207,
		genres: []string{"Action", "Drama"}, actors: []string{"Mifune"}},
	{title: "Dune: Part Two", country: "USA", release: "2024-03-01", duration: 166, budget: "190000000.00",
		genres: []string{"Sci-Fi", "Drama"}, fans: 1},
	{title: "Untitled Project"},
}

// searchFixture is the search catalog in a store, with the ids of its rows.
type searchFixture struct {
	movies    []*searchMovie
	countries map[string]int64
	genres    map[string]int64
	persons   map[string]int64
}

func newSearchFixture(t *testing.T, k *movieKit) *searchFixture {
	t.Helper()
	ctx := context.Background()
	f := &searchFixture{countries: map[string]int64{}, genres: map[string]int64{}, persons: map[string]int64{}}
	for _, c := range []string{"France", "USA", "Japan"} {
		f.countries[c] = k.country(c)
	}
	for _, g := range []string{"Action", "Comedy", "Drama", "Sci-Fi", "Western"} {
		f.genres[g] = k.genre(g)
	}
	for _, p := range []string{"Jeunet", "Nolan", "Gerwig", "Kurosawa", "Tautou", "DiCaprio", "Mifune"} {
		f.persons[p] = k.person("First", p)
	}
	var fans [][]int64
	for i := range searchCatalog {
		sm := searchCatalog[i]
		m := &catalog.Movie{Title: sm.title}
		if sm.country != "" {
			m.CountryID = valuePtr(f.countries[sm.country])
		}
		if sm.director != "" {
			m.DirectorID = valuePtr(f.persons[sm.director])
		}
		if sm.release != "" {
			d, err := catalog.ParseDate(sm.release)
			if err != nil {
				t.Fatal(err)
			}
			m.ReleaseDate = &d
		}
		if sm.duration != 0 {
			m.Duration = valuePtr(sm.duration)
		}
		if sm.budget != "" {
			b, err := catalog.ParseMoney(sm.budget)
			if err != nil {
				t.Fatal(err)
			}
			m.Budget = &b
		}
		if err := k.api.store.CreateMovie(ctx, m); err != nil {
			t.Fatalf("CreateMovie(%q): %v", sm.title, err)
		}
		sm.id, sm.created = m.ID, i
		var genres []int64
		for _, g := range sm.genres {
			genres = append(genres, f.genres[g])
		}
		if err := k.api.store.SetMovieGenres(ctx, m.ID, genres); err != nil {
			t.Fatal(err)
		}
		for j, a := range sm.actors {
			k.cast(m.ID, k.character(fmt.Sprintf("%s %d", sm.title, j), catalog.RoleLeading), f.persons[a])
		}
		for j := 0; j < sm.fans; j++ {
			if j == len(fans) {
				fans = append(fans, nil)
			}
			fans[j] = append(fans[j], m.ID)
		}
		f.movies = append(f.movies, &sm)
		k.api.clk.Advance(time.Second)
	}
	for i, ids := range fans {
		k.fan(fmt.Sprintf("fan%d", i), ids...)
	}
	return f
}

func valuePtr[T any](v T) *T { return &v }

// want returns the ids of the movies keep selects, in the order of sort
// key (descending with desc): movies without a value last either way, ties
// by id. It is the search computed in Go, independently of the store.
func (f *searchFixture) want(keep func(m *searchMovie) bool, key string, desc bool) []int64 {
	var ms []*searchMovie
	for _, m := range f.movies {
		if keep(m) {
			ms = append(ms, m)
		}
	}
	// value returns the sort value of m as text or number, and false when
	// m has none.
	value := func(m *searchMovie) (string, int64, bool) {
		switch key {
		case "", "title":
			return strings.ToLower(m.title), 0, true
		case "release_date":
			return m.release, 0, m.release != ""
		case "budget":
			b, err := catalog.ParseMoney(m.budget)
			return "", int64(b), err == nil
		case "duration":
			return "", int64(m.duration), m.duration != 0
		case "popularity":
			return "", int64(m.fans), true
		case "created_at":
			return "", int64(m.created), true
		}
		panic("unknown sort key " + key)
	}
	slices.SortStableFunc(ms, func(a, b *searchMovie) int {
		as, an, aok := value(a)
		bs, bn, bok := value(b)
		if aok != bok {
			if aok {
				return -1
			}
			return 1
		}
		c := cmp.Or(cmp.Compare(as, bs), cmp.Compare(an, bn))
		if desc {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.id, b.id))
	})
	ids := []int64{}
	for _, m := range ms {
		ids = append(ids, m.id)
	}
	return ids
}

func anyMovie(*searchMovie) bool { return true }

func hasAnyOf(list []string, want ...string) bool {
	for _, w := range want {
		if slices.Contains(list, w) {
			return true
		}
	}
	return false
}

// TestMovieSearch sends every filter and sort of GET /movies through the
// query string and compares the ids found, in order, and the total with
// the same search computed in Go.
func TestMovieSearch(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		f := newSearchFixture(t, k)
		c, g, p := f.countries, f.genres, f.persons

		type search struct {
			name  string
			query string
			keep  func(m *searchMovie) bool
			sort  string
			desc  bool
		}
		searches := []search{
			{name: "everything", query: "", keep: anyMovie},
			{name: "the classic query", query: fmt.Sprintf(
				"country=%d&released_from=2022-01-01&min_duration=136&genre=Action&genre=Drama", c["USA"]),
				keep: func(m *searchMovie) bool {
					return m.country == "USA" && m.release >= "2022-01-01" && m.duration >= 136 && hasAnyOf(m.genres, "Action", "Drama")
				}},
			{name: "the classic query, genres by name with commas", query: fmt.Sprintf(
				"genre=action,DRAMA&country=%d&released_from=2022-01-01&min_duration=136&genre_match=any", c["USA"]),
				keep: func(m *searchMovie) bool {
					return m.country == "USA" && m.release >= "2022-01-01" && m.duration >= 136 && hasAnyOf(m.genres, "Action", "Drama")
				}},
			{name: "q without accents", query: "q=amelie", keep: func(m *searchMovie) bool { return m.title == "Amélie" }},
			{name: "q prefix in capitals", query: "q=AMÉL", keep: func(m *searchMovie) bool { return m.title == "Amélie" }},
			{name: "q two words", query: "q=" + url.QueryEscape("way spider"),
				keep: func(m *searchMovie) bool { return m.title == "Spider-Man: No Way Home" }},
			{name: "q no match", query: "q=zzz", keep: func(*searchMovie) bool { return false }},
			{name: "q of punctuation only", query: "q=" + url.QueryEscape("--- !!"), keep: anyMovie},
			{name: "genre by id", query: fmt.Sprintf("genre=%d", g["Comedy"]), keep: func(m *searchMovie) bool { return hasAnyOf(m.genres, "Comedy") }},
			{name: "genre id and name", query: fmt.Sprintf("genre=%d,western&genre=Comedy", g["Sci-Fi"]),
				keep: func(m *searchMovie) bool { return hasAnyOf(m.genres, "Sci-Fi", "Comedy") }},
			{name: "genre all", query: fmt.Sprintf("genre=Action&genre=%d&genre_match=all", g["Drama"]),
				keep: func(m *searchMovie) bool { return hasAnyOf(m.genres, "Action") && hasAnyOf(m.genres, "Drama") }},
			{name: "genre unknown name", query: "genre=Musical", keep: func(*searchMovie) bool { return false }},
			{name: "genre no movie has", query: "genre=Western", keep: func(*searchMovie) bool { return false }},
			{name: "country", query: fmt.Sprintf("country=%d", c["France"]), keep: func(m *searchMovie) bool { return m.country == "France" }},
			{name: "countries", query: fmt.Sprintf("country=%d,%d", c["France"], c["Japan"]),
				keep: func(m *searchMovie) bool { return m.country == "France" || m.country == "Japan" }},
			{name: "director", query: fmt.Sprintf("director=%d", p["Nolan"]), keep: func(m *searchMovie) bool { return m.director == "Nolan" }},
			{name: "directors repeated", query: fmt.Sprintf("director=%d&director=%d", p["Nolan"], p["Kurosawa"]),
				keep: func(m *searchMovie) bool { return m.director == "Nolan" || m.director == "Kurosawa" }},
			{name: "actor", query: fmt.Sprintf("actor=%d", p["DiCaprio"]), keep: func(m *searchMovie) bool { return hasAnyOf(m.actors, "DiCaprio") }},
			{name: "actors", query: fmt.Sprintf("actor=%d,%d", p["Tautou"], p["Mifune"]),
				keep: func(m *searchMovie) bool { return hasAnyOf(m.actors, "Tautou", "Mifune") }},
			{name: "released between, inclusive", query: "released_from=2023-07-21&released_to=2023-08-23",
				keep: func(m *searchMovie) bool { return m.release >= "2023-07-21" && m.release <= "2023-08-23" }},
			{name: "released to", query: "released_to=2010-07-16",
				keep: func(m *searchMovie) bool { return m.release != "" && m.release <= "2010-07-16" }},
			{name: "duration between, inclusive", query: "min_duration=148&max_duration=166",
				keep: func(m *searchMovie) bool { return m.duration >= 148 && m.duration <= 166 }},
			{name: "max duration", query: "max_duration=130",
				keep: func(m *searchMovie) bool { return m.duration != 0 && m.duration <= 130 }},
			{name: "budget between, inclusive", query: "min_budget=145000000&max_budget=170000000.00",
				keep: func(m *searchMovie) bool {
					b, err := catalog.ParseMoney(m.budget)
					return err == nil && b >= 14500000000 && b <= 17000000000
				}},
			{name: "min budget in cents", query: "min_budget=199999999.99",
				keep: func(m *searchMovie) bool { return m.budget == "200000000.00" }},
			{name: "max budget 0", query: "max_budget=0", keep: func(*searchMovie) bool { return false }},
			{name: "every filter at once", query: fmt.Sprintf("q=oppenheimer&genre=Drama&genre_match=all&country=%d&director=%d"+
				"&released_from=2023-01-01&released_to=2023-12-31&min_duration=180&max_duration=180&min_budget=100000000&max_budget=100000000",
				c["USA"], p["Nolan"]),
				keep: func(m *searchMovie) bool { return m.title == "Oppenheimer" }},
			{name: "every filter, actor excludes", query: fmt.Sprintf("q=oppenheimer&actor=%d", p["Mifune"]),
				keep: func(*searchMovie) bool { return false }},
		}
		for _, key := range catalog.MovieSorts {
			for _, desc := range []bool{false, true} {
				q := "sort=" + key
				if desc {
					q = "sort=-" + key
				}
				searches = append(searches, search{name: q, query: q, keep: anyMovie, sort: key, desc: desc})
			}
		}
		searches = append(searches, search{name: "sort with filter", query: fmt.Sprintf("country=%d&sort=-budget", c["USA"]),
			keep: func(m *searchMovie) bool { return m.country == "USA" }, sort: "budget", desc: true})

		for _, s := range searches {
			t.Run(s.name, func(t *testing.T) {
				want := f.want(s.keep, s.sort, s.desc)
				w := k.call("GET", "/api/v1/movies?per_page=100&"+s.query, "", http.StatusOK)
				list := decode[listJSON[movieSummaryJSON]](t, w)
				var got []int64
				for _, m := range list.Items {
					got = append(got, m.ID)
				}
				if !slices.Equal(got, want) || list.Total != len(want) {
					t.Errorf("GET /movies?%s: ids %v, total %d; want %v, total %d", s.query, got, list.Total, want, len(want))
				}
			})
		}

		// The classic query's answer, in full: one request, each item with
		// its poster and director objects.
		t.Run("classic query items", func(t *testing.T) {
			w := k.call("GET", fmt.Sprintf("/api/v1/movies?country=%d&released_from=2022-01-01&min_duration=136&genre=Action,Drama",
				c["USA"]), "", http.StatusOK)
			list := decode[listJSON[movieSummaryJSON]](t, w)
			var titles []string
			for _, m := range list.Items {
				titles = append(titles, m.Title)
			}
			if want := []string{"Dune: Part Two", "Oppenheimer", "The Boundary"}; !slices.Equal(titles, want) {
				t.Errorf("titles = %q; want %q", titles, want)
			}
			if !strings.Contains(w.Body.String(), fmt.Sprintf(`"director":{"id":%d,"first_name":"First","last_name":"Nolan","photo":null}`, p["Nolan"])) ||
				!strings.Contains(w.Body.String(), `"poster":null`) {
				t.Errorf("items lack poster or director objects: %s", w.Body)
			}
		})

		// Pages split the same order, with the total of all.
		t.Run("pages", func(t *testing.T) {
			want := f.want(anyMovie, "duration", true)
			var got []int64
			for page := 1; page <= 4; page++ {
				list := decode[listJSON[movieSummaryJSON]](t, k.call("GET",
					fmt.Sprintf("/api/v1/movies?sort=-duration&per_page=3&page=%d", page), "", http.StatusOK))
				if list.Page == nil || *list.Page != page || list.PerPage != 3 || list.Total != len(want) {
					t.Errorf("page %d: page %d, per_page %d, total %d", page, list.Page, list.PerPage, list.Total)
				}
				for _, m := range list.Items {
					got = append(got, m.ID)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages = %v; want %v", got, want)
			}
			w := k.call("GET", "/api/v1/movies?page=99", "", http.StatusOK)
			if !strings.Contains(w.Body.String(), fmt.Sprintf(`{"items":[],"page":99,"per_page":20,"total":%d,"total_relation":"eq","next_cursor":null}`, len(f.movies))) {
				t.Errorf("past the end: %s", w.Body)
			}
		})
	})
}
