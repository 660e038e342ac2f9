package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

// TestMovieHostileInput feeds every movie route malformed and hostile
// input: wrong JSON types, numbers out of range, bad pages, SQL and JSON
// injection, unknown sort keys, bytes that are not UTF-8, NUL bytes, very
// long text, repeated parameters. Each gets its documented 4xx, or a 200
// where the input is just text that matches nothing, never a 5xx; and the
// refused writes leave the database as it was.
func TestMovieHostileInput(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		ctx := context.Background()
		heat := api.movie("Heat")
		genre := k.genre("Crime")
		if _, err := api.store.AddMovieGenre(ctx, heat, genre); err != nil {
			t.Fatal(err)
		}
		neil := k.character("Neil McCauley", catalog.RoleLeading)
		k.cast(heat, neil, k.person("Robert", "De Niro"))
		movie := fmt.Sprintf("/api/v1/movies/%d", heat)
		castEntry := fmt.Sprintf("%s/cast/%d", movie, neil)

		snapshot := func() string {
			t.Helper()
			list, err := api.store.SearchMovies(ctx, catalog.MovieSearch{Page: catalog.Page{Size: catalog.MaxPageSize}})
			if err != nil {
				t.Fatalf("SearchMovies: %v", err)
			}
			chars, err := api.store.ListCharacters(ctx, catalog.CharacterFilter{})
			if err != nil {
				t.Fatalf("ListCharacters: %v", err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "movies %d, characters %d\n", list.Total, chars.Total)
			for _, m := range list.Items {
				fmt.Fprintf(&b, "%d %q %v\n", m.ID, m.Title, m.UpdatedAt)
			}
			b.WriteString(k.detail(heat))
			return b.String()
		}
		before := snapshot()

		long := strings.Repeat("a", 10_000)
		manyIDs := strings.TrimSuffix(strings.Repeat("1,", 101), ",")
		seventeenWords := strings.TrimSpace(strings.Repeat("word ", 17))
		q := url.QueryEscape
		const (
			bad       = http.StatusBadRequest
			invalid   = http.StatusUnprocessableEntity
			notFound  = http.StatusNotFound
			ok        = http.StatusOK
			noMatches = `"total":0,"total_relation":"eq"`
		)
		type hostile struct {
			name   string
			method string
			url    string
			body   string
			header map[string]string // besides the admin's token
			status int
			want   string // in the body
		}
		cases := []hostile{
			// Pages.
			{name: "page negative", url: "/api/v1/movies?page=-1", status: bad, want: `"page":`},
			{name: "page zero", url: "/api/v1/movies?page=0", status: bad, want: `"page":`},
			{name: "page huge", url: "/api/v1/movies?page=1e400", status: bad, want: `"page":`},
			{name: "page beyond int64", url: "/api/v1/movies?page=9223372036854775808", status: bad, want: `"page":`},
			{name: "per_page 100000", url: "/api/v1/movies?per_page=100000", status: bad, want: `"per_page":`},
			{name: "per_page zero", url: "/api/v1/movies?per_page=0", status: bad, want: `"per_page":`},
			{name: "page repeated", url: "/api/v1/movies?page=1&page=2", status: bad, want: `"page":"must be given at most once"`},

			// Text search: SQL, FTS and JSON syntax are only text.
			{name: "q SQL injection", url: "/api/v1/movies?q=" + q("title; DROP TABLE movies"), status: ok, want: noMatches},
			{name: "q SQL tautology", url: "/api/v1/movies?q=" + q("' OR 1=1 --"), status: ok, want: noMatches},
			{name: "q SQL quote", url: "/api/v1/movies?q=" + q(`Heat' --`), status: ok, want: `"total":1,"total_relation":"eq"`},
			{name: "q FTS syntax", url: "/api/v1/movies?q=" + q(`NEAR(heat x) OR title:* "unbalanced`), status: ok, want: noMatches},
			{name: "q tsquery syntax", url: "/api/v1/movies?q=" + q(`heat & !x | (y:*`), status: ok, want: noMatches},
			{name: "q JSON injection", url: "/api/v1/movies?q=" + q(`{"$ne": null}`), status: ok, want: noMatches},
			{name: "q NUL byte", url: "/api/v1/movies?q=heat%00", status: ok, want: `"total":1,"total_relation":"eq"`},
			{name: "q not UTF-8", url: "/api/v1/movies?q=%FF", status: bad, want: `"q":"must be valid UTF-8"`},
			{name: "q 10k characters", url: "/api/v1/movies?q=" + long, status: bad, want: `"q":`},
			{name: "q too many words", url: "/api/v1/movies?q=" + q(seventeenWords), status: bad, want: `"q":`},
			{name: "q repeated", url: "/api/v1/movies?q=a&q=b", status: bad, want: `"q":"must be given at most once"`},

			// Sort keys come from a safelist.
			{name: "sort SQL injection", url: "/api/v1/movies?sort=" + q("title; DROP TABLE movies"), status: bad, want: `"sort":`},
			{name: "sort SQL tautology", url: "/api/v1/movies?sort=" + q("' OR 1=1 --"), status: bad, want: `"sort":`},
			{name: "sort expression", url: "/api/v1/movies?sort=" + q("(SELECT 1)"), status: bad, want: `"sort":`},
			{name: "sort unknown key", url: "/api/v1/movies?sort=rating", status: bad, want: `"sort":"must be one of title, release_date`},
			{name: "sort double minus", url: "/api/v1/movies?sort=--title", status: bad, want: `"sort":`},
			{name: "sort in capitals", url: "/api/v1/movies?sort=TITLE", status: bad, want: `"sort":`},
			{name: "sort empty", url: "/api/v1/movies?sort=", status: bad, want: `"sort":`},
			{name: "sort repeated", url: "/api/v1/movies?sort=title&sort=budget", status: bad, want: `"sort":"must be given at most once"`},

			// Genres: ids or names.
			{name: "genre not UTF-8", url: "/api/v1/movies?genre=%FF", status: bad, want: `"genre":`},
			{name: "genre NUL byte", url: "/api/v1/movies?genre=Crime%00", status: bad, want: `"genre":`},
			{name: "genre empty", url: "/api/v1/movies?genre=", status: bad, want: `"genre":`},
			{name: "genre empty item", url: "/api/v1/movies?genre=Crime,,Drama", status: bad, want: `"genre":`},
			{name: "genre name too long", url: "/api/v1/movies?genre=" + strings.Repeat("x", catalog.MaxNameLen+1), status: bad, want: `"genre":`},
			{name: "genre id beyond int64", url: "/api/v1/movies?genre=9223372036854775808", status: bad, want: `"genre":`},
			{name: "genre id 0", url: "/api/v1/movies?genre=0", status: bad, want: `"genre":`},
			{name: "genre too many", url: "/api/v1/movies?genre=" + manyIDs, status: bad, want: `"genre":`},
			{name: "genre SQL injection", url: "/api/v1/movies?genre=" + q("' OR 1=1 --"), status: ok, want: noMatches},
			{name: "genre JSON injection", url: "/api/v1/movies?genre=" + q(`{"$ne":null}`), status: ok, want: noMatches},
			{name: "genre_match unknown", url: "/api/v1/movies?genre_match=both", status: bad, want: `"genre_match":"must be any or all"`},

			// Id lists.
			{name: "country not a number", url: "/api/v1/movies?country=usa", status: bad, want: `"country":`},
			{name: "country negative", url: "/api/v1/movies?country=-1", status: bad, want: `"country":`},
			{name: "country zero", url: "/api/v1/movies?country=0", status: bad, want: `"country":`},
			{name: "country huge", url: "/api/v1/movies?country=1e400", status: bad, want: `"country":`},
			{name: "country beyond int64", url: "/api/v1/movies?country=9223372036854775808", status: bad, want: `"country":`},
			{name: "country SQL injection", url: "/api/v1/movies?country=" + q("1) OR (1=1"), status: bad, want: `"country":`},
			{name: "country too many", url: "/api/v1/movies?country=" + manyIDs, status: bad, want: `"country":`},
			{name: "director fraction", url: "/api/v1/movies?director=1.5", status: bad, want: `"director":`},
			{name: "actor empty", url: "/api/v1/movies?actor=", status: bad, want: `"actor":`},

			// Dates, durations, budgets.
			{name: "released_from not a day", url: "/api/v1/movies?released_from=2023-02-29", status: bad, want: `"released_from":`},
			{name: "released_from year 0", url: "/api/v1/movies?released_from=0000-01-01", status: bad, want: `"released_from":`},
			{name: "released_to year 99999", url: "/api/v1/movies?released_to=99999-01-01", status: bad, want: `"released_to":`},
			{name: "released_to short form", url: "/api/v1/movies?released_to=2023-1-1", status: bad, want: `"released_to":`},
			{name: "released_from SQL injection", url: "/api/v1/movies?released_from=" + q("2020-01-01' OR 1=1 --"), status: bad, want: `"released_from":`},
			{name: "min_duration negative", url: "/api/v1/movies?min_duration=-1", status: bad, want: `"min_duration":`},
			{name: "min_duration huge", url: "/api/v1/movies?min_duration=1e400", status: bad, want: `"min_duration":`},
			{name: "min_duration beyond int64", url: "/api/v1/movies?min_duration=9223372036854775808", status: bad, want: `"min_duration":`},
			{name: "max_duration beyond int32", url: "/api/v1/movies?max_duration=4294967296", status: bad, want: `"max_duration":`},
			{name: "max_duration fraction", url: "/api/v1/movies?max_duration=1.5", status: bad, want: `"max_duration":`},
			{name: "min_budget negative", url: "/api/v1/movies?min_budget=-1", status: bad, want: `"min_budget":`},
			{name: "min_budget huge", url: "/api/v1/movies?min_budget=1e400", status: bad, want: `"min_budget":`},
			{name: "min_budget 3 decimals", url: "/api/v1/movies?min_budget=1.234", status: bad, want: `"min_budget":`},
			{name: "max_budget not a number", url: "/api/v1/movies?max_budget=abc", status: bad, want: `"max_budget":`},
			{name: "max_budget beyond int64", url: "/api/v1/movies?max_budget=9223372036854775808", status: bad, want: `"max_budget":`},

			// Other parameters.
			{name: "unknown parameter", url: "/api/v1/movies?title=Heat", status: bad, want: `"title":"is not a known parameter"`},
			{name: "parameter named with SQL", url: "/api/v1/movies?" + q("1=1;--") + "=x", status: bad, want: `is not a known parameter`},
			{name: "malformed query string", url: "/api/v1/movies?q=%zz", status: bad, want: "the query string is malformed"},
			{name: "many bad parameters at once", url: "/api/v1/movies?page=0&sort=x&country=y&min_budget=z", status: bad,
				want: `"detail":"bad query parameters: country, min_budget, page, sort; see errors"`},

			// Ids in paths.
			{name: "id not a number", url: "/api/v1/movies/heat", status: notFound},
			{name: "id negative", url: "/api/v1/movies/-1", status: notFound},
			{name: "id huge", url: "/api/v1/movies/1e400", status: notFound},
			{name: "id beyond int64", url: "/api/v1/movies/9223372036854775808", status: notFound},
			{name: "id SQL injection", url: "/api/v1/movies/" + url.PathEscape("1 OR 1=1"), status: notFound},
			{name: "cast of id SQL injection", url: "/api/v1/movies/" + url.PathEscape("1; DROP TABLE movies") + "/cast", status: notFound},
			{name: "PUT genre not an id", method: "PUT", url: movie + "/genres/crime", status: notFound},
			{name: "PUT genre huge", method: "PUT", url: movie + "/genres/1e400", status: notFound},
			{name: "DELETE genre negative", method: "DELETE", url: movie + "/genres/-1", status: notFound},
			{name: "PUT genre of movie not an id", method: "PUT", url: fmt.Sprintf("/api/v1/movies/x/genres/%d", genre), status: notFound},
			{name: "DELETE cast not an id", method: "DELETE", url: movie + "/cast/neil", status: notFound},
			{name: "DELETE cast beyond int64", method: "DELETE", url: movie + "/cast/9223372036854775808", status: notFound},
			{name: "DELETE movie not an id", method: "DELETE", url: "/api/v1/movies/" + url.PathEscape("' OR 1=1 --"), status: notFound},

			// POST /movies bodies.
			{name: "POST title a number", method: "POST", url: "/api/v1/movies", body: `{"title":123}`, status: bad, want: `"title":"must be a string"`},
			{name: "POST title an array", method: "POST", url: "/api/v1/movies", body: `{"title":["Heat"]}`, status: bad, want: `"title":`},
			{name: "POST title an object", method: "POST", url: "/api/v1/movies", body: `{"title":{"$ne":null}}`, status: bad, want: `"title":`},
			{name: "POST title true", method: "POST", url: "/api/v1/movies", body: `{"title":true}`, status: bad, want: `"title":`},
			{name: "POST duration a string", method: "POST", url: "/api/v1/movies", body: `{"title":"x","duration":"120"}`, status: bad, want: `"duration":`},
			{name: "POST duration huge", method: "POST", url: "/api/v1/movies", body: `{"title":"x","duration":1e400}`, status: bad, want: `"duration":`},
			{name: "POST duration beyond int64", method: "POST", url: "/api/v1/movies", body: `{"title":"x","duration":9223372036854775808}`, status: bad, want: `"duration":`},
			{name: "POST duration fraction", method: "POST", url: "/api/v1/movies", body: `{"title":"x","duration":1.5}`, status: bad, want: `"duration":`},
			{name: "POST duration most negative", method: "POST", url: "/api/v1/movies", body: `{"title":"x","duration":-9223372036854775808}`, status: invalid, want: `"duration":`},
			{name: "POST director a string", method: "POST", url: "/api/v1/movies", body: `{"title":"x","director_id":"1"}`, status: bad, want: `"director_id":`},
			{name: "POST director huge", method: "POST", url: "/api/v1/movies", body: `{"title":"x","director_id":1e400}`, status: bad, want: `"director_id":`},
			{name: "POST director beyond int64", method: "POST", url: "/api/v1/movies", body: `{"title":"x","director_id":9223372036854775808}`, status: bad, want: `"director_id":`},
			{name: "POST director largest id", method: "POST", url: "/api/v1/movies", body: `{"title":"x","director_id":9223372036854775807}`, status: invalid, want: `"director_id":`},
			{name: "POST country SQL injection", method: "POST", url: "/api/v1/movies", body: `{"title":"x","country_id":"1 OR 1=1"}`, status: bad, want: `"country_id":`},
			{name: "POST budget a number", method: "POST", url: "/api/v1/movies", body: `{"title":"x","budget":1000000}`, status: bad, want: `"budget":`},
			{name: "POST budget huge", method: "POST", url: "/api/v1/movies", body: `{"title":"x","budget":"1e400"}`, status: invalid, want: `"budget":`},
			{name: "POST budget beyond int64", method: "POST", url: "/api/v1/movies", body: `{"title":"x","budget":"9223372036854775808"}`, status: invalid, want: `"budget":`},
			{name: "POST budget SQL injection", method: "POST", url: "/api/v1/movies", body: `{"title":"x","budget":"1; DROP TABLE movies"}`, status: invalid, want: `"budget":`},
			{name: "POST release date a number", method: "POST", url: "/api/v1/movies", body: `{"title":"x","release_date":20230101}`, status: bad, want: `"release_date":`},
			{name: "POST release date year 0", method: "POST", url: "/api/v1/movies", body: `{"title":"x","release_date":"0000-01-01"}`, status: invalid, want: `"release_date":`},
			{name: "POST genre_ids a string", method: "POST", url: "/api/v1/movies", body: `{"title":"x","genre_ids":"1"}`, status: bad, want: `"genre_ids":`},
			{name: "POST genre_ids an object", method: "POST", url: "/api/v1/movies", body: `{"title":"x","genre_ids":{"0":1}}`, status: bad, want: `"genre_ids":`},
			{name: "POST genre id huge", method: "POST", url: "/api/v1/movies", body: `{"title":"x","genre_ids":[1e400]}`, status: bad, want: `"genre_ids`},
			{name: "POST genre id negative", method: "POST", url: "/api/v1/movies", body: `{"title":"x","genre_ids":[-1]}`, status: invalid, want: `"genre_ids":`},
			{name: "POST genre id unknown", method: "POST", url: "/api/v1/movies", body: fmt.Sprintf(`{"title":"x","genre_ids":[%d,9223372036854775807]}`, genre),
				status: invalid, want: `"genre_ids":"no genre has id 9223372036854775807"`},
			{name: "POST JSON injection", method: "POST", url: "/api/v1/movies", body: `{"title":"x"}, "budget": "1"}`, status: bad, want: "the body must hold a single JSON value"},
			{name: "POST two values", method: "POST", url: "/api/v1/movies", body: `{"title":"x"}{"title":"y"}`, status: bad},
			{name: "POST prototype pollution", method: "POST", url: "/api/v1/movies", body: `{"title":"x","__proto__":{"admin":true}}`, status: bad, want: `"__proto__":"is not a known field"`},
			{name: "POST id of its own", method: "POST", url: "/api/v1/movies", body: `{"title":"x","id":5}`, status: bad, want: `"id":"is not a known field"`},
			{name: "POST timestamps", method: "POST", url: "/api/v1/movies", body: `{"title":"x","created_at":"2000-01-01T00:00:00Z"}`, status: bad},
			{name: "POST not UTF-8", method: "POST", url: "/api/v1/movies", body: "{\"title\":\"\xff\"}", status: bad},
			{name: "POST NUL in title", method: "POST", url: "/api/v1/movies", body: `{"title":"x\u0000"}`, status: invalid, want: `"title":`},
			{name: "POST NUL in description", method: "POST", url: "/api/v1/movies", body: `{"title":"x","description":"\u0000"}`, status: invalid, want: `"description":`},
			{name: "POST title 10k characters", method: "POST", url: "/api/v1/movies", body: `{"title":"` + long + `"}`, status: invalid, want: `"title":`},
			{name: "POST an array", method: "POST", url: "/api/v1/movies", body: `[]`, status: bad},
			{name: "POST a string", method: "POST", url: "/api/v1/movies", body: `"Heat"`, status: bad},
			{name: "POST null", method: "POST", url: "/api/v1/movies", body: `null`, status: invalid, want: `"title":"is required"`},
			{name: "POST deep nesting", method: "POST", url: "/api/v1/movies", body: strings.Repeat("[", 100_000), status: bad},
			{name: "POST not JSON", method: "POST", url: "/api/v1/movies", body: `title=Heat`, status: bad},
			{name: "POST empty body", method: "POST", url: "/api/v1/movies", header: map[string]string{"Content-Type": "application/json"}, status: bad},
			{name: "POST wrong media type", method: "POST", url: "/api/v1/movies", body: `{"title":"x"}`,
				header: map[string]string{"Content-Type": "text/plain"}, status: http.StatusUnsupportedMediaType},
			{name: "POST too large", method: "POST", url: "/api/v1/movies", body: `{"title":"` + strings.Repeat("a", 2<<20) + `"}`,
				status: http.StatusRequestEntityTooLarge},

			// PATCH /movies/{id} bodies.
			{name: "PATCH title null", method: "PATCH", url: movie, body: `{"title":null}`, status: invalid, want: `"title":"cannot be null"`},
			{name: "PATCH title a number", method: "PATCH", url: movie, body: `{"title":1}`, status: bad, want: `"title":`},
			{name: "PATCH duration a string", method: "PATCH", url: movie, body: `{"duration":"x"}`, status: bad, want: `"duration":`},
			{name: "PATCH duration huge", method: "PATCH", url: movie, body: `{"duration":1e400}`, status: bad, want: `"duration":`},
			{name: "PATCH budget a number", method: "PATCH", url: movie, body: `{"budget":12}`, status: bad, want: `"budget":`},
			{name: "PATCH budget negative", method: "PATCH", url: movie, body: `{"budget":"-0.01"}`, status: invalid, want: `"budget":`},
			{name: "PATCH release date not a day", method: "PATCH", url: movie, body: `{"release_date":"2023-02-29"}`, status: invalid, want: `"release_date":`},
			{name: "PATCH country beyond int64", method: "PATCH", url: movie, body: `{"country_id":9223372036854775808}`, status: bad, want: `"country_id":`},
			{name: "PATCH country SQL injection", method: "PATCH", url: movie, body: `{"country_id":"1 OR 1=1"}`, status: bad, want: `"country_id":`},
			{name: "PATCH poster unknown", method: "PATCH", url: movie, body: `{"poster_file_id":42}`, status: invalid, want: `"poster_file_id":`},
			{name: "PATCH not UTF-8", method: "PATCH", url: movie, body: "{\"title\":\"He\xffat\"}", status: bad},
			{name: "PATCH NUL in title", method: "PATCH", url: movie, body: `{"title":"He\u0000at"}`, status: invalid, want: `"title":`},
			{name: "PATCH genre_ids", method: "PATCH", url: movie, body: `{"genre_ids":[1]}`, status: bad, want: `"genre_ids":"is not a known field"`},
			{name: "PATCH updated_at", method: "PATCH", url: movie, body: `{"updated_at":"2000-01-01T00:00:00Z"}`, status: bad},
			{name: "PATCH If-Match SQL injection", method: "PATCH", url: movie, body: `{"title":"x"}`,
				header: map[string]string{"If-Match": `"' OR 1=1 --"`}, status: http.StatusPreconditionFailed},

			// Cast bodies.
			{name: "POST cast character_id a string", method: "POST", url: movie + "/cast", body: `{"character_id":"1"}`, status: bad, want: `"character_id":`},
			{name: "POST cast character_id huge", method: "POST", url: movie + "/cast", body: `{"character_id":1e400}`, status: bad, want: `"character_id":`},
			{name: "POST cast character_id beyond int64", method: "POST", url: movie + "/cast", body: `{"character_id":9223372036854775808}`, status: bad, want: `"character_id":`},
			{name: "POST cast character_id negative", method: "POST", url: movie + "/cast", body: `{"character_id":-1}`, status: invalid, want: `"character_id":`},
			{name: "POST cast character a string", method: "POST", url: movie + "/cast", body: `{"character":"Ripley"}`, status: bad, want: `"character":`},
			{name: "POST cast character an array", method: "POST", url: movie + "/cast", body: `{"character":["Ripley"]}`, status: bad, want: `"character":`},
			{name: "POST cast character unknown field", method: "POST", url: movie + "/cast", body: `{"character":{"name":"x","role":"leading","age":30}}`, status: bad, want: `"age":`},
			{name: "POST cast character name a number", method: "POST", url: movie + "/cast", body: `{"character":{"name":1,"role":"leading"}}`, status: bad, want: `"character.name":`},
			{name: "POST cast role SQL injection", method: "POST", url: movie + "/cast", body: `{"character":{"name":"x","role":"' OR 1=1 --"}}`, status: invalid, want: `"character.role":`},
			{name: "POST cast NUL in name", method: "POST", url: movie + "/cast", body: `{"character":{"name":"\u0000","role":"leading"}}`, status: invalid, want: `"character.name":`},
			{name: "POST cast not UTF-8", method: "POST", url: movie + "/cast", body: "{\"character\":{\"name\":\"\xff\",\"role\":\"leading\"}}", status: bad},
			{name: "POST cast person_id true", method: "POST", url: movie + "/cast", body: fmt.Sprintf(`{"character_id":%d,"person_id":true}`, neil), status: bad, want: `"person_id":`},
			{name: "POST cast person_id beyond int64", method: "POST", url: movie + "/cast", body: `{"character":{"name":"x","role":"leading"},"person_id":9223372036854775808}`, status: bad, want: `"person_id":`},
			{name: "POST cast duplicate", method: "POST", url: movie + "/cast", body: fmt.Sprintf(`{"character_id":%d}`, neil), status: http.StatusConflict},
			{name: "PATCH cast person_id a string", method: "PATCH", url: castEntry, body: `{"person_id":"x"}`, status: bad, want: `"person_id":`},
			{name: "PATCH cast person_id huge", method: "PATCH", url: castEntry, body: `{"person_id":1e400}`, status: bad, want: `"person_id":`},
			{name: "PATCH cast person_id true", method: "PATCH", url: castEntry, body: `{"person_id":true}`, status: bad, want: `"person_id":`},
			{name: "PATCH cast person_id an array", method: "PATCH", url: castEntry, body: `{"person_id":[1]}`, status: bad, want: `"person_id":`},
			{name: "PATCH cast person_id negative", method: "PATCH", url: castEntry, body: `{"person_id":-1}`, status: invalid, want: `"person_id":`},
			{name: "PATCH cast not JSON", method: "PATCH", url: castEntry, body: `person_id=1`, status: bad},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				method := c.method
				if method == "" {
					method = "GET"
				}
				header := k.admin()
				for name, v := range c.header {
					header[name] = v
				}
				var want []string
				if c.want != "" {
					want = append(want, c.want)
				}
				w := scenario{method: method, url: c.url, body: c.body, header: header, wantStatus: c.status, want: want}.run(t, api.h)
				if w.Code >= 500 {
					t.Errorf("%s %s: %d; a 5xx is a bug", method, c.url, w.Code)
				}
				if w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s %s: Content-Type %q; want application/problem+json", method, c.url, w.Header().Get("Content-Type"))
				}
			})
		}

		if after := snapshot(); after != before {
			t.Errorf("refused writes changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		if strings.Contains(api.logs.String(), "internal error") {
			t.Errorf("the log has internal errors:\n%s", api.logs)
		}
	})
}
