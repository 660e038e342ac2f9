package httpapi

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

// reportAccess is who may call each report route.
var reportAccess = map[string]access{
	"GET /api/v1/reports/actor-budgets":    publicAccess,
	"GET /api/v1/reports/recent-movies":    publicAccess,
	"GET /api/v1/reports/director-budgets": publicAccess,
	"GET /api/v1/reports/user-favorites":   adminAccess,
}

// A reportMovie is a movie of the report test's catalog: budget in cents
// (nil: none), release date (empty: none), director (an index into the
// persons, -1: none).
type reportMovie struct {
	title    string
	cents    *int64
	release  string
	director int
}

// A reportRole is a character of the report test's catalog: the movie it
// is in and who plays it (an index into the persons, -1: nobody known).
type reportRole struct {
	movie, actor int
}

func cents(c int64) *int64 { return &c }

// TestReports builds a small catalog through the store, computes each
// report from the same rows in Go, in integer cents, and checks that the
// API answers exactly that, on every page.
func TestReports(t *testing.T) {
	persons := []string{"Ann", "Bob", "Cy", "Di", "Ed", "Flo", "Gus", "Dora", "Dan", "Dee", "Dirk", "Dave", "Zed", "Rich"}
	const (
		ann, bob, cy, di, ed, flo, gus, dora, dan, dee, dirk, dave, zed, rich = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
	)
	// Today is 2026-01-02; five years back is 2021-01-02.
	movies := []reportMovie{
		{"Ten cents, on the boundary", cents(10), "2021-01-02", dora},
		{"Twenty cents, a day too old", cents(20), "2021-01-01", dora},
		{"One, released today", cents(100), "2026-01-02", dan},
		{"Two, announced", cents(200), "2027-06-01", dan},
		{"Two again, no date", cents(200), "", dan},
		{"No budget", nil, "2023-05-05", dora},
		{"One cent, nobody known in it", cents(1), "2024-01-01", dee},
		{"Two cents, no cast", cents(2), "2025-02-02", dee},
		{"No budget, no cast", nil, "1999-09-09", dirk},
		{"Five cents", cents(5), "", dave},
		{"Ten cents again", cents(10), "", dave},
		{"Free", cents(0), "2010-10-10", zed},
		{"Largest budget", cents(int64(catalog.MaxMoney)), "", rich},
		{"Large budget", cents(12_345_678_901_234), "", rich},
		{"Nobody's", cents(300), "2022-02-02", -1},
	}
	roles := []reportRole{
		{0, ann}, {0, ann}, {0, -1}, // Ann plays two characters in one movie
		{1, ann}, {1, di},
		{2, bob}, {3, bob}, {4, bob},
		{3, ed}, {4, flo}, // a tie at 2.00, broken by id
		{5, cy}, {5, di},
		{6, -1},
		{12, gus}, {13, gus},
		{14, ann},
		{11, zed}, // plays only in a movie of budget 0.00: listed, with 0.00
	}

	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		ctx := context.Background()
		personIDs := make([]int64, len(persons))
		for i, name := range persons {
			p := &catalog.Person{FirstName: name, LastName: "Report"}
			if err := api.store.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			personIDs[i] = p.ID
		}
		movieIDs := make([]int64, len(movies))
		for i, rm := range movies {
			m := &catalog.Movie{Title: rm.title}
			if rm.cents != nil {
				b := catalog.Money(*rm.cents)
				m.Budget = &b
			}
			if rm.release != "" {
				d, err := catalog.ParseDate(rm.release)
				if err != nil {
					t.Fatal(err)
				}
				m.ReleaseDate = &d
			}
			if rm.director >= 0 {
				m.DirectorID = &personIDs[rm.director]
			}
			if err := api.store.CreateMovie(ctx, m); err != nil {
				t.Fatal(err)
			}
			movieIDs[i] = m.ID
		}
		for i, r := range roles {
			c := &catalog.Character{Name: fmt.Sprintf("Character %d", i), Role: catalog.RoleSupporting}
			if err := api.store.CreateCharacter(ctx, c); err != nil {
				t.Fatal(err)
			}
			cm := &catalog.CastMember{MovieID: movieIDs[r.movie], CharacterID: c.ID}
			if r.actor >= 0 {
				cm.PersonID = &personIDs[r.actor]
			}
			if err := api.store.AddCastMember(ctx, cm); err != nil {
				t.Fatal(err)
			}
		}

		// checkReport compares every page of a report with want, and the
		// whole report on one page.
		checkReport := func(url string, want []map[string]any) {
			t.Helper()
			for _, perPage := range []int{100, 3} {
				for page := 1; page == 1 || (page-1)*perPage < len(want); page++ {
					from, to := min((page-1)*perPage, len(want)), min(page*perPage, len(want))
					body, err := json.Marshal(map[string]any{"items": want[from:to], "page": page, "per_page": perPage, "total": len(want)})
					if err != nil {
						t.Fatal(err)
					}
					sep := "?"
					if slices.Contains([]byte(url), '?') {
						sep = "&"
					}
					pageURL := fmt.Sprintf("%s%spage=%d&per_page=%d", url, sep, page, perPage)
					w := api.do("GET", pageURL, "", "")
					api.want(w, http.StatusOK, pageURL)
					(&catalogKit{t: t}).wantJSON(pageURL, w.Body.Bytes(), string(body))
				}
			}
		}
		money := func(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

		// actor-budgets: the distinct movies each actor plays in, when at
		// least one of them has a budget (Cy plays only in one without).
		var actors []map[string]any
		var actorTotals []int64
		for p := range persons {
			played := map[int]bool{}
			for _, r := range roles {
				if r.actor == p && movies[r.movie].cents != nil {
					played[r.movie] = true
				}
			}
			if len(played) == 0 {
				continue
			}
			var total int64
			for m := range played {
				if movies[m].cents != nil {
					total += *movies[m].cents
				}
			}
			actors = append(actors, map[string]any{"id": personIDs[p], "first_name": persons[p], "last_name": "Report", "total_budget": money(total)})
			actorTotals = append(actorTotals, total)
		}
		sortByAmount(actors, actorTotals)
		checkReport("/api/v1/reports/actor-budgets", actors)
		if got := actors[0]["total_budget"]; got != "1123456789012.33" {
			t.Errorf("largest actor total = %v; want 1123456789012.33", got) // a check of the Go side itself
		}
		listed := map[string]any{}
		for _, a := range actors {
			listed[a["first_name"].(string)] = a["total_budget"]
		}
		if _, ok := listed["Cy"]; ok || listed["Zed"] != "0.00" {
			t.Errorf("actors = %v; want Zed at 0.00 and no Cy", listed) // the Go side again
		}

		// director-budgets: the average of each director's movies with a
		// budget, rounded half up to the cent.
		var directors []map[string]any
		var averages []int64
		for p := range persons {
			var sum, n int64
			for _, m := range movies {
				if m.director == p && m.cents != nil {
					sum += *m.cents
					n++
				}
			}
			if n == 0 {
				continue
			}
			avg := sum / n
			if 2*(sum%n) >= n {
				avg++
			}
			directors = append(directors, map[string]any{"id": personIDs[p], "first_name": persons[p], "last_name": "Report", "average_budget": money(avg)})
			averages = append(averages, avg)
		}
		sortByAmount(directors, averages)
		checkReport("/api/v1/reports/director-budgets", directors)
		wantAverages := map[string]string{"Dora": "0.15", "Dan": "1.67", "Dee": "0.02", "Dave": "0.08", "Zed": "0.00", "Rich": "561728394506.17"}
		for _, d := range directors {
			if want := wantAverages[d["first_name"].(string)]; d["average_budget"] != want {
				t.Errorf("average of %v = %v; want %s", d["first_name"], d["average_budget"], want)
			}
		}
		if len(directors) != len(wantAverages) {
			t.Errorf("%d directors; want %d (Dirk has no movie with a budget)", len(directors), len(wantAverages))
		}

		// recent-movies: released from today − N years through today (a
		// movie announced for later is not recent), with their distinct
		// known actors.
		recent := func(since string) []map[string]any {
			var items []map[string]any
			var order []int
			for i, m := range movies {
				if m.release != "" && m.release >= since && m.release <= "2026-01-02" {
					order = append(order, i)
				}
			}
			slices.SortStableFunc(order, func(a, b int) int {
				if movies[a].release != movies[b].release {
					return -cmp.Compare(movies[a].release, movies[b].release)
				}
				return cmp.Compare(movieIDs[a], movieIDs[b])
			})
			for _, i := range order {
				actors := map[int]bool{}
				for _, r := range roles {
					if r.movie == i && r.actor >= 0 {
						actors[r.actor] = true
					}
				}
				items = append(items, map[string]any{"id": movieIDs[i], "title": movies[i].title, "release_date": movies[i].release, "actors_count": len(actors)})
			}
			if items == nil {
				items = []map[string]any{}
			}
			return items
		}
		fiveYears := recent("2021-01-02")
		checkReport("/api/v1/reports/recent-movies", fiveYears)
		checkReport("/api/v1/reports/recent-movies?years=5", fiveYears)
		checkReport("/api/v1/reports/recent-movies?years=1", recent("2025-01-02"))
		checkReport("/api/v1/reports/recent-movies?years=200", recent("1826-01-02"))
		if len(fiveYears) != 6 {
			t.Errorf("%d movies of the last five years; want 6 (not the announced one)", len(fiveYears))
		}

		runScenarios(t, api.h, []scenario{
			{name: "years 0", method: "GET", url: "/api/v1/reports/recent-movies?years=0", wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"years":"must be a whole number from 1 to 200"}`}},
			{name: "years 201", method: "GET", url: "/api/v1/reports/recent-movies?years=201", wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"years":`}},
			{name: "years twice", method: "GET", url: "/api/v1/reports/recent-movies?years=1&years=2", wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"years":"must be given at most once"}`}},
			{name: "unknown parameter", method: "GET", url: "/api/v1/reports/actor-budgets?years=5", wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"years":"is not a known parameter"}`}},
			{name: "past the end", method: "GET", url: "/api/v1/reports/director-budgets?page=50", wantStatus: http.StatusOK,
				want: []string{fmt.Sprintf(`{"items":[],"page":50,"per_page":20,"total":%d,"total_relation":"eq","next_cursor":null}`, len(directors))}},
			{name: "actors past the end", method: "GET", url: "/api/v1/reports/actor-budgets?page=50", wantStatus: http.StatusOK,
				want: []string{fmt.Sprintf(`{"items":[],"page":50,"per_page":20,"total":%d,"total_relation":"eq","next_cursor":null}`, len(actors))}},
			{name: "recent past the end", method: "GET", url: "/api/v1/reports/recent-movies?page=50", wantStatus: http.StatusOK,
				want: []string{fmt.Sprintf(`{"items":[],"page":50,"per_page":20,"total":%d,"total_relation":"eq","next_cursor":null}`, len(fiveYears))}},
		})
	})
}

// TestReportsEmpty checks the reports of an empty catalog.
func TestReportsEmpty(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		for _, url := range []string{"/api/v1/reports/actor-budgets", "/api/v1/reports/recent-movies", "/api/v1/reports/director-budgets"} {
			scenario{method: "GET", url: url, wantStatus: http.StatusOK,
				want: []string{`{"items":[],"page":1,"per_page":20,"total":0,"total_relation":"eq"`}}.run(t, api.h)
		}
	})
}

// sortByAmount sorts report rows by amount, largest first, ties by id.
func sortByAmount(rows []map[string]any, amounts []int64) {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if amounts[a] != amounts[b] {
			return -cmp.Compare(amounts[a], amounts[b])
		}
		return cmp.Compare(rows[a]["id"].(int64), rows[b]["id"].(int64))
	})
	sorted := make([]map[string]any, len(rows))
	for i, j := range idx {
		sorted[i] = rows[j]
	}
	copy(rows, sorted)
}
