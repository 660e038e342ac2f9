package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

// listPage is a list body with its items left raw.
type listPage struct {
	Items         []json.RawMessage `json:"items"`
	Page          *int              `json:"page"`
	PerPage       int               `json:"per_page"`
	Total         int               `json:"total"`
	TotalRelation string            `json:"total_relation"`
	NextCursor    *string           `json:"next_cursor"`
}

var linkNext = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// getPage GETs a page of a list as token and checks what every page
// promises: next_cursor and the Link header come together, the link is
// the request's URL under the base URL with cursor set and page removed,
// and a page read from a cursor has no page number.
func getPage(t *testing.T, api *testAPI, token, target string) (listPage, string) {
	t.Helper()
	w := api.do("GET", target, token, "")
	api.want(w, http.StatusOK, target)
	p := decode[listPage](t, w)
	req, _ := url.Parse(target)
	if (p.Page == nil) != req.Query().Has("cursor") {
		t.Errorf("%s: page = %v; want it exactly when no cursor is given", target, p.Page)
	}
	if p.TotalRelation != catalog.TotalExact {
		t.Errorf("%s: total_relation = %q; want eq", target, p.TotalRelation)
	}
	link := w.Header().Get("Link")
	if p.NextCursor == nil {
		if link != "" {
			t.Errorf("%s: Link %q on the last page", target, link)
		}
		return p, ""
	}
	m := linkNext.FindStringSubmatch(link)
	if m == nil {
		t.Fatalf("%s: next_cursor %q with Link %q", target, *p.NextCursor, link)
	}
	next, err := url.Parse(m[1])
	if err != nil {
		t.Fatalf("%s: Link URL %q: %v", target, m[1], err)
	}
	want := req.Query()
	want.Del("page")
	want.Set("cursor", *p.NextCursor)
	if got := next.Scheme + "://" + next.Host; got != testBaseURL || next.Path != req.Path || next.Query().Encode() != want.Encode() {
		t.Errorf("%s: Link URL %q; want %s%s?%s", target, m[1], testBaseURL, req.Path, want.Encode())
	}
	return p, next.RequestURI()
}

// walkPages follows the Link headers of a list from target and returns
// the ids of its items, read by id.
func walkPages(t *testing.T, api *testAPI, token, target string, id func(json.RawMessage) int64) []int64 {
	t.Helper()
	var ids []int64
	for range 100 {
		p, next := getPage(t, api, token, target)
		for _, it := range p.Items {
			ids = append(ids, id(it))
		}
		if next == "" {
			return ids
		}
		target = next
	}
	t.Fatalf("the walk from %s does not end", target)
	return nil
}

// numberedPages reads a list by page numbers, 2 items a page.
func numberedPages(t *testing.T, api *testAPI, token, path string, id func(json.RawMessage) int64) []int64 {
	t.Helper()
	var ids []int64
	for n := 1; ; n++ {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		p, _ := getPage(t, api, token, fmt.Sprintf("%s%spage=%d&per_page=2", path, sep, n))
		for _, it := range p.Items {
			ids = append(ids, id(it))
		}
		if len(ids) >= p.Total || len(p.Items) == 0 {
			return ids
		}
	}
}

func itemID(t *testing.T) func(json.RawMessage) int64 {
	return func(raw json.RawMessage) int64 {
		var v struct{ ID int64 }
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		return v.ID
	}
}

func characterID(t *testing.T) func(json.RawMessage) int64 {
	return func(raw json.RawMessage) int64 {
		var v struct{ Character struct{ ID int64 } }
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		return v.Character.ID
	}
}

// TestListCursors walks every list the API pages by its Link headers, at
// 2 items a page: the walk gives the items the numbered pages give, in
// their order, and each of them once.
func TestListCursors(t *testing.T) {
	t.Parallel()
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		ctx := context.Background()
		star := k.create("/api/v1/persons", `{"first_name":"Star","last_name":"Busy"}`)
		for i, n := range []string{"Zed", "amy", "Amy", "bob", "Cid"} {
			// Ties in any case where names may repeat.
			k.create("/api/v1/persons", `{"first_name":"X","last_name":"`+n+`"}`)
			k.create("/api/v1/characters", `{"name":"`+n+`","role":"leading"}`)
			k.create("/api/v1/countries", fmt.Sprintf(`{"name":"%s land %d"}`, n, i))
			k.create("/api/v1/genres", fmt.Sprintf(`{"name":"%s film %d"}`, n, i))
		}
		fan := api.createUser("fan", catalog.UserRole)
		token := api.mintToken(fan.ID)
		for i := range 5 {
			id := api.movie(fmt.Sprintf("Movie %d", i))
			if _, err := api.store.AddFavorite(ctx, fan.ID, id); err != nil {
				t.Fatal(err)
			}
			k.call("PATCH", fmt.Sprintf("/api/v1/movies/%d", id), fmt.Sprintf(`{"director_id":%d,"release_date":"200%d-01-01"}`, star, i%2), http.StatusOK)
			for j := range 2 {
				k.call("POST", fmt.Sprintf("/api/v1/movies/%d/cast", id),
					fmt.Sprintf(`{"character":{"name":"Part %d","role":"supporting"},"person_id":%d}`, j, star), http.StatusCreated)
			}
		}
		for _, l := range []struct {
			path string
			id   func(json.RawMessage) int64
			n    int
		}{
			{"/api/v1/persons", itemID(t), 6},
			{"/api/v1/characters", itemID(t), 15},
			{"/api/v1/countries", itemID(t), 5},
			{"/api/v1/genres", itemID(t), 5},
			{"/api/v1/me/favorites", itemID(t), 5},
			{fmt.Sprintf("/api/v1/persons/%d/directed", star), itemID(t), 5},
			{fmt.Sprintf("/api/v1/persons/%d/played", star), characterID(t), 10},
		} {
			t.Run(l.path, func(t *testing.T) {
				want := numberedPages(t, api, token, l.path, l.id)
				if len(want) != l.n {
					t.Fatalf("numbered pages of %s: %d items %v; want %d", l.path, len(want), want, l.n)
				}
				got := walkPages(t, api, token, l.path+"?per_page=2", l.id)
				if !slices.Equal(got, want) {
					t.Errorf("walk of %s = %v; want %v", l.path, got, want)
				}
				// From a numbered first page, the link still leads on.
				if got := walkPages(t, api, token, l.path+"?page=1&per_page=3", l.id); !slices.Equal(got, want) {
					t.Errorf("walk of %s from page=1 = %v; want %v", l.path, got, want)
				}
			})
		}
		d := decode[personDetailJSON](t, k.call("GET", fmt.Sprintf("/api/v1/persons/%d", star), "", http.StatusOK))
		if d.DirectedCount != 5 || d.PlayedCount != 10 || len(d.Directed) != 5 || len(d.Played) != 10 {
			t.Errorf("detail: %d of %d directed, %d of %d played; want 5 of 5, 10 of 10",
				len(d.Directed), d.DirectedCount, len(d.Played), d.PlayedCount)
		}
	})
}

// TestBadCursors sends cursors no list can use: each is a 400 naming
// cursor, never a 500 or another list's rows.
func TestBadCursors(t *testing.T) {
	t.Parallel()
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		var persons []int64
		for _, n := range []string{"A", "B", "C"} {
			p := k.create("/api/v1/persons", `{"first_name":"`+n+`"}`)
			persons = append(persons, p)
			k.create("/api/v1/characters", `{"name":"`+n+`","role":"leading"}`)
			for i := range 2 {
				id := api.movie(fmt.Sprintf("%s %d", n, i))
				k.call("PATCH", fmt.Sprintf("/api/v1/movies/%d", id), fmt.Sprintf(`{"director_id":%d}`, p), http.StatusOK)
				k.call("POST", fmt.Sprintf("/api/v1/movies/%d/cast", id),
					fmt.Sprintf(`{"character":{"name":"Part","role":"supporting"},"person_id":%d}`, p), http.StatusCreated)
			}
		}
		next := func(target string) string {
			t.Helper()
			p, _ := getPage(t, api, k.token, target)
			if p.NextCursor == nil {
				t.Fatalf("%s: no next cursor", target)
			}
			return *p.NextCursor
		}
		personsCursor := next("/api/v1/persons?per_page=1")
		charactersCursor := next("/api/v1/characters?per_page=1")
		directedA := next(fmt.Sprintf("/api/v1/persons/%d/directed?per_page=1", persons[0]))
		altered := []byte(personsCursor)
		altered[len(altered)/2] = map[bool]byte{true: 'B', false: 'A'}[altered[len(altered)/2] == 'A']
		long := strings.Repeat("A", catalog.MaxCursorLength+1)
		for _, c := range []struct{ name, url string }{
			{"garbage", "/api/v1/persons?cursor=not-a-cursor"},
			{"empty", "/api/v1/persons?cursor="},
			{"too long", "/api/v1/persons?cursor=" + long},
			{"altered", "/api/v1/persons?cursor=" + string(altered)},
			{"cut short", "/api/v1/persons?cursor=" + personsCursor[:len(personsCursor)-2]},
			{"another list", "/api/v1/persons?cursor=" + charactersCursor},
			{"another list's filter", fmt.Sprintf("/api/v1/persons/%d/directed?cursor=%s", persons[1], directedA)},
			{"another list of the person", fmt.Sprintf("/api/v1/persons/%d/played?cursor=%s", persons[0], directedA)},
			{"with page", "/api/v1/persons?page=1&cursor=" + personsCursor},
			{"given twice", "/api/v1/persons?cursor=" + personsCursor + "&cursor=" + personsCursor},
			{"on countries", "/api/v1/countries?cursor=" + personsCursor},
			{"on genres", "/api/v1/genres?cursor=" + personsCursor},
			{"on characters", "/api/v1/characters?cursor=" + personsCursor},
			{"on favorites", "/api/v1/me/favorites?cursor=" + personsCursor},
		} {
			t.Run(c.name, func(t *testing.T) {
				w := k.call("GET", c.url, "", http.StatusBadRequest)
				var p problem
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Errors["cursor"] == "" {
					t.Errorf("%s: body %s; want a problem naming cursor", c.url, w.Body)
				}
				if w.Header().Get("Link") != "" {
					t.Errorf("%s: Link header on a 400", c.url)
				}
			})
		}
		// The good cursors read their next pages.
		k.call("GET", "/api/v1/persons?per_page=1&cursor="+personsCursor, "", http.StatusOK)
		k.call("GET", fmt.Sprintf("/api/v1/persons/%d/directed?cursor=%s", persons[0], directedA), "", http.StatusOK)
		k.call("GET", "/api/v1/persons/999999/directed", "", http.StatusNotFound)
	})
}
