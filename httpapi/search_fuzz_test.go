package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// FuzzListQuery sends arbitrary query strings to the movie and person
// lists (search, filters, sort, paging, cursor) of an API on one SQLite
// store kept across executions. The answer is a 200 or a 4xx problem,
// never a 5xx.
func FuzzListQuery(f *testing.F) {
	for _, q := range []string{
		"", "q=alien", "q=%00", "q=%ff%fe", "q=" + string(make([]byte, 300)), "q=a*b%22c(d)%27--",
		"genre=Action,Drama&genre_match=all", "genre=1,2,x", "country=1,-2", "director=9223372036854775808",
		"actor=1&actor=2", "released_from=1979-02-30", "released_from=1979-05-25&released_to=1970-01-01",
		"min_duration=-1", "max_duration=99999999999999999999", "min_budget=1.005", "max_budget=-0.00",
		"sort=-title", "sort=title,-release_date", "sort=;DROP TABLE movies", "page=0", "page=-1&size=1000",
		"page=99999999999&size=100", "cursor=AQ", "cursor=!!!", "size=1&cursor=", "born_from=1900-01-01&sort=-name",
		"q=ripley&sort=name&page=2", "%zz", "a=1&a=2&q=x&q=y",
	} {
		f.Add(false, q)
		f.Add(true, q)
	}
	s := sqltest.Open(f, sqlstore.SQLite, sqlstore.Options{})
	h := New(Config{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PasswordParams: cheapParams})
	f.Fuzz(func(t *testing.T, people bool, rawQuery string) {
		path := "/api/v1/movies"
		if people {
			path = "/api/v1/persons"
		}
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.URL.RawQuery = rawQuery
		r.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch {
		case w.Code == http.StatusOK:
		case w.Code >= 400 && w.Code < 500:
			if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("GET %s?%s: %d with Content-Type %q, want a problem", path, rawQuery, w.Code, ct)
			}
		default:
			t.Fatalf("GET %s?%s: %d %s", path, rawQuery, w.Code, w.Body)
		}
	})
}
