package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// TestDeleteIfMatch checks If-Match on the DELETE of each resource whose
// GET answers an ETag (movies and persons): a stale or weak tag is a 412
// and deletes nothing, the current tag (alone or in a list) and "*"
// delete, no If-Match deletes as before, and a change made by another
// editor between the If-Match check and the delete is a 412 too.
func TestDeleteIfMatch(t *testing.T) {
	t.Parallel()
	var meddling *meddlingStore
	configure := func(cfg *Config) {
		meddling = &meddlingStore{Store: cfg.Store}
		cfg.Store = meddling
	}
	runAPI(t, configure, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		ctx := context.Background()
		kinds := []struct {
			name   string
			create func(n int) string // a new resource's URL
			change func(url string)   // another editor's write
		}{
			{"movie", func(n int) string {
				return fmt.Sprintf("/api/v1/movies/%d", api.movie(fmt.Sprintf("Heat %d", n)))
			}, func(url string) {
				var id int64
				fmt.Sscanf(url, "/api/v1/movies/%d", &id)
				title := "Changed by another editor"
				if _, err := meddling.Store.UpdateMovie(ctx, id, catalog.MovieUpdate{Title: &title}); err != nil {
					t.Errorf("another editor's UpdateMovie: %v", err)
				}
			}},
			{"person", func(n int) string {
				return fmt.Sprintf("/api/v1/persons/%d", k.create("/api/v1/persons", fmt.Sprintf(`{"first_name":"Ridley","last_name":"Scott %d"}`, n)))
			}, func(url string) {
				var id int64
				fmt.Sscanf(url, "/api/v1/persons/%d", &id)
				last := "Changed by another editor"
				if _, err := meddling.Store.UpdatePerson(ctx, id, catalog.PersonUpdate{LastName: &last}); err != nil {
					t.Errorf("another editor's UpdatePerson: %v", err)
				}
			}},
		}
		for _, kind := range kinds {
			t.Run(kind.name, func(t *testing.T) {
				ifMatch := func(tag string) map[string]string {
					h := k.auth()
					h["If-Match"] = tag
					return h
				}
				tagOf := func(url string) string {
					t.Helper()
					return scenario{method: "GET", url: url, wantStatus: http.StatusOK}.run(t, api.h).Header().Get("ETag")
				}

				// A tag made stale by a change since it was read.
				stale := kind.create(1)
				oldTag := tagOf(stale)
				api.clk.Advance(time.Second)
				kind.change(stale)
				tag := tagOf(stale)
				if tag == oldTag {
					t.Fatalf("ETag %s unchanged by a write", tag)
				}
				runScenarios(t, api.h, []scenario{
					{name: "stale", method: "DELETE", url: stale, header: ifMatch(oldTag), wantStatus: http.StatusPreconditionFailed,
						wantHeader: map[string]string{"Content-Type": "application/problem+json"}, want: []string{`"status":412`}},
					{name: "weak", method: "DELETE", url: stale, header: ifMatch("W/" + tag), wantStatus: http.StatusPreconditionFailed},
					{name: "garbage", method: "DELETE", url: stale, header: ifMatch(`' OR 1=1 --`), wantStatus: http.StatusPreconditionFailed},
					{name: "still there", method: "GET", url: stale, wantStatus: http.StatusOK, want: []string{"Changed by another editor"},
						wantHeader: map[string]string{"ETag": tag}},
					{name: "current among others", method: "DELETE", url: stale, header: ifMatch(oldTag + ", " + tag), wantStatus: http.StatusNoContent},
					{name: "gone", method: "GET", url: stale, wantStatus: http.StatusNotFound},
					{name: "current tag of a deleted one", method: "DELETE", url: stale, header: ifMatch(tag), wantStatus: http.StatusNotFound},
				})

				current := kind.create(2)
				scenario{name: "current", method: "DELETE", url: current, header: ifMatch(tagOf(current)), wantStatus: http.StatusNoContent}.run(t, api.h)
				scenario{name: "current: gone", method: "GET", url: current, wantStatus: http.StatusNotFound}.run(t, api.h)

				anyTag := kind.create(3)
				runScenarios(t, api.h, []scenario{
					{name: "star", method: "DELETE", url: anyTag, header: ifMatch("*"), wantStatus: http.StatusNoContent},
					{name: "star: gone", method: "GET", url: anyTag, wantStatus: http.StatusNotFound},
					{name: "star on a deleted one", method: "DELETE", url: anyTag, header: ifMatch("*"), wantStatus: http.StatusNotFound},
				})

				plain := kind.create(4)
				runScenarios(t, api.h, []scenario{
					{name: "without If-Match", method: "DELETE", url: plain, header: k.auth(), wantStatus: http.StatusNoContent},
					{name: "without If-Match: gone", method: "GET", url: plain, wantStatus: http.StatusNotFound},
				})

				// Another editor writes after the If-Match check passed: the
				// store's updatedAt condition refuses the delete.
				raced := kind.create(5)
				tag = tagOf(raced)
				meddling.arm(func() {
					api.clk.Advance(time.Second)
					kind.change(raced)
				})
				runScenarios(t, api.h, []scenario{
					{name: "changed in between", method: "DELETE", url: raced, header: ifMatch(tag), wantStatus: http.StatusPreconditionFailed},
					{name: "changed in between: still there", method: "GET", url: raced, wantStatus: http.StatusOK,
						want: []string{"Changed by another editor"}},
				})
			})
		}
	})
}
