package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
)

// movieAccess is who may call each route of movieRoutes: anyone reads
// movies, admins write them.
var movieAccess = map[string]access{
	"GET /api/v1/movies":                             publicAccess,
	"POST /api/v1/movies":                            adminAccess,
	"GET /api/v1/movies/{id}":                        publicAccess,
	"PATCH /api/v1/movies/{id}":                      adminAccess,
	"DELETE /api/v1/movies/{id}":                     adminAccess,
	"PUT /api/v1/movies/{id}/genres/{genre_id}":      adminAccess,
	"DELETE /api/v1/movies/{id}/genres/{genre_id}":   adminAccess,
	"GET /api/v1/movies/{id}/cast":                   publicAccess,
	"POST /api/v1/movies/{id}/cast":                  adminAccess,
	"PATCH /api/v1/movies/{id}/cast/{character_id}":  adminAccess,
	"DELETE /api/v1/movies/{id}/cast/{character_id}": adminAccess,
}

// A movieKit builds catalog rows through the store and sends requests as an
// admin, a user or nobody, for the tests of the movie routes.
type movieKit struct {
	t          *testing.T
	api        *testAPI
	adminToken string
	userToken  string
}

func newMovieKit(t *testing.T, api *testAPI) *movieKit {
	t.Helper()
	admin := api.createUser("movie-admin", catalog.AdminRole)
	user := api.createUser("movie-user", catalog.UserRole)
	return &movieKit{t: t, api: api, adminToken: api.mintToken(admin.ID), userToken: api.mintToken(user.ID)}
}

// admin returns the admin's Authorization header, for scenarios.
func (k *movieKit) admin() map[string]string {
	return map[string]string{"Authorization": "Bearer " + k.adminToken}
}

// adminWith returns the admin's Authorization header with header: value.
func (k *movieKit) adminWith(header, value string) map[string]string {
	h := k.admin()
	h[header] = value
	return h
}

// call sends a request as the admin and fails the test unless the answer
// has status.
func (k *movieKit) call(method, url, body string, status int) *httptest.ResponseRecorder {
	k.t.Helper()
	w := k.api.do(method, url, k.adminToken, body)
	if w.Code != status {
		k.t.Fatalf("%s %s %s: status = %d; want %d\nbody: %s", method, url, body, w.Code, status, w.Body)
	}
	return w
}

func (k *movieKit) country(name string) int64 {
	k.t.Helper()
	c := &catalog.Country{Name: name}
	if err := k.api.store.CreateCountry(context.Background(), c); err != nil {
		k.t.Fatalf("CreateCountry(%q): %v", name, err)
	}
	return c.ID
}

func (k *movieKit) genre(name string) int64 {
	k.t.Helper()
	g := &catalog.Genre{Name: name}
	if err := k.api.store.CreateGenre(context.Background(), g); err != nil {
		k.t.Fatalf("CreateGenre(%q): %v", name, err)
	}
	return g.ID
}

func (k *movieKit) person(first, last string) int64 {
	k.t.Helper()
	p := &catalog.Person{FirstName: first, LastName: last}
	if err := k.api.store.CreatePerson(context.Background(), p); err != nil {
		k.t.Fatalf("CreatePerson(%q, %q): %v", first, last, err)
	}
	return p.ID
}

// photo gives a person a photo stored under key.
func (k *movieKit) photo(personID int64, key string, primary bool) *catalog.File {
	k.t.Helper()
	f := k.api.file(key)
	if _, err := k.api.store.AddPersonPhoto(context.Background(), personID, f.ID, primary); err != nil {
		k.t.Fatalf("AddPersonPhoto(%d, %d): %v", personID, f.ID, err)
	}
	return f
}

func (k *movieKit) character(name, role string) int64 {
	k.t.Helper()
	c := &catalog.Character{Name: name, Role: role}
	if err := k.api.store.CreateCharacter(context.Background(), c); err != nil {
		k.t.Fatalf("CreateCharacter(%q): %v", name, err)
	}
	return c.ID
}

// cast puts a character in a movie's cast, played by personID (0: nobody).
func (k *movieKit) cast(movieID, characterID, personID int64) {
	k.t.Helper()
	m := &catalog.CastMember{MovieID: movieID, CharacterID: characterID}
	if personID != 0 {
		m.PersonID = &personID
	}
	if err := k.api.store.AddCastMember(context.Background(), m); err != nil {
		k.t.Fatalf("AddCastMember(%+v): %v", m, err)
	}
}

// fan makes a new user keep each movie among their favorites.
func (k *movieKit) fan(name string, movieIDs ...int64) {
	k.t.Helper()
	u := k.api.createUser(name, catalog.UserRole)
	for _, id := range movieIDs {
		if _, err := k.api.store.AddFavorite(context.Background(), u.ID, id); err != nil {
			k.t.Fatalf("AddFavorite(%d, %d): %v", u.ID, id, err)
		}
	}
}

// detail returns the body of GET /movies/{id}.
func (k *movieKit) detail(id int64) string {
	k.t.Helper()
	return k.call("GET", fmt.Sprintf("/api/v1/movies/%d", id), "", http.StatusOK).Body.String()
}

// wantSameJSON fails the test unless the JSON of got and want are equal,
// key order and spacing aside.
func wantSameJSON(t *testing.T, what, got, want string) {
	t.Helper()
	var g, x any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: body is not JSON: %v\n%s", what, err, got)
	}
	if err := json.Unmarshal([]byte(want), &x); err != nil {
		t.Fatalf("%s: expected JSON does not parse: %v\n%s", what, err, want)
	}
	if !reflect.DeepEqual(g, x) {
		gb, _ := json.Marshal(g)
		xb, _ := json.Marshal(x)
		t.Errorf("%s:\n got %s\nwant %s", what, gb, xb)
	}
}

// fileObject is f as a file object in JSON.
func fileObject(f *catalog.File) string {
	return fmt.Sprintf(`{"id":%d,"file_name":%q,"mime_type":%q,"key":%q,"url":%q,"thumbnails":%s}`, f.ID, f.FileName, f.MimeType, f.Key, f.URL, thumbsJSON(f.Key))
}

var movieStamp = testStart.Format(time.RFC3339)

// TestMovieCRUD creates, reads, changes and deletes a movie through HTTP.
func TestMovieCRUD(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		usa, france := k.country("USA"), k.country("France")
		nolan := k.person("Christopher", "Nolan")
		drama, history := k.genre("Drama"), k.genre("History")
		poster := api.file("oppenheimer")

		w := k.call("POST", "/api/v1/movies", fmt.Sprintf(`{"title":"Oppenheimer","description":"The story of J. Robert Oppenheimer.",
			"budget":"100000000.5","release_date":"2023-07-21","duration":180,"director_id":%d,"country_id":%d,
			"poster_file_id":%d,"genre_ids":[%d,%d,%d]}`, nolan, usa, poster.ID, history, drama, history), http.StatusCreated)
		created := decode[movieDetailJSON](t, w)
		id := created.ID
		if got, want := w.Header().Get("Location"), fmt.Sprintf("/api/v1/movies/%d", id); got != want {
			t.Errorf("POST Location = %q; want %q", got, want)
		}
		tag := w.Header().Get("ETag")
		if tag == "" {
			t.Error("POST answered no ETag")
		}
		wantSameJSON(t, "POST answer", w.Body.String(), fmt.Sprintf(`{"id":%d,"title":"Oppenheimer",
			"description":"The story of J. Robert Oppenheimer.","budget":"100000000.50","release_date":"2023-07-21",
			"duration":180,"country_id":%d,"created_at":%q,"updated_at":%q,"poster":%s,
			"director":{"id":%d,"first_name":"Christopher","last_name":"Nolan","photo":null},
			"director_id":%d,"poster_file_id":%d,"country":{"id":%d,"name":"USA"},
			"genres":[{"id":%d,"name":"Drama"},{"id":%d,"name":"History"}],"cast":[],"favorites_count":0}`,
			id, usa, movieStamp, movieStamp, fileObject(poster), nolan, nolan, poster.ID, usa, drama, history))

		got := k.call("GET", fmt.Sprintf("/api/v1/movies/%d", id), "", http.StatusOK)
		if got.Body.String() != w.Body.String() {
			t.Errorf("GET after POST:\n got %s\nwant %s", got.Body, w.Body)
		}
		if got.Header().Get("ETag") != tag {
			t.Errorf("GET ETag = %q; want the POST's %q", got.Header().Get("ETag"), tag)
		}

		api.clk.Advance(time.Minute)
		w = k.call("PATCH", fmt.Sprintf("/api/v1/movies/%d", id),
			fmt.Sprintf(`{"title":"Oppenheimer (IMAX)","country_id":%d,"budget":null,"duration":181}`, france), http.StatusOK)
		patched := decode[movieDetailJSON](t, w)
		if patched.Title != "Oppenheimer (IMAX)" || patched.Budget != nil || *patched.Duration != 181 ||
			patched.Country == nil || patched.Country.Name != "France" || patched.Description == nil ||
			!patched.UpdatedAt.Equal(testStart.Add(time.Minute)) || !patched.CreatedAt.Equal(testStart) {
			t.Errorf("PATCH answer = %s", w.Body)
		}
		if w.Header().Get("ETag") == tag || w.Header().Get("ETag") == "" {
			t.Errorf("PATCH ETag = %q; want a new one", w.Header().Get("ETag"))
		}
		if body := k.detail(id); body != w.Body.String() {
			t.Errorf("GET after PATCH:\n got %s\nwant %s", body, w.Body)
		}

		k.call("DELETE", fmt.Sprintf("/api/v1/movies/%d", id), "", http.StatusNoContent)
		k.call("GET", fmt.Sprintf("/api/v1/movies/%d", id), "", http.StatusNotFound)
		k.call("DELETE", fmt.Sprintf("/api/v1/movies/%d", id), "", http.StatusNotFound)
		k.call("PATCH", fmt.Sprintf("/api/v1/movies/%d", id), `{"title":"Gone"}`, http.StatusNotFound)

		// A movie with a title only, then text that looks like JSON or SQL,
		// which is just text.
		w = k.call("POST", "/api/v1/movies", `{"title":"Untitled"}`, http.StatusCreated)
		wantSameJSON(t, "POST title only", w.Body.String(), fmt.Sprintf(`{"id":%d,"title":"Untitled","description":null,
			"budget":null,"release_date":null,"duration":null,"country_id":null,"created_at":%q,"updated_at":%q,
			"poster":null,"director":null,"director_id":null,"poster_file_id":null,"country":null,"genres":[],"cast":[],
			"favorites_count":0}`, decode[movieDetailJSON](t, w).ID, api.clk.Now().Format(time.RFC3339), api.clk.Now().Format(time.RFC3339)))
		for _, title := range []string{`Alien", "budget": "1`, `'); DROP TABLE movies; --`, `{"$gt": ""}`} {
			body, _ := json.Marshal(map[string]string{"title": title})
			got := decode[movieDetailJSON](t, k.call("POST", "/api/v1/movies", string(body), http.StatusCreated))
			if got.Title != title || got.Budget != nil {
				t.Errorf("POST title %q: stored title %q, budget %v", title, got.Title, got.Budget)
			}
		}
	})
}

// TestMovieDetail checks the detail view field by field: poster, country,
// director with primary photo, genres by name, cast by role then name with
// actors and their primary photos or null, and the favorites count; and
// the cast list that shows the same entries.
func TestMovieDetail(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		uk := k.country("United Kingdom")
		scott := k.person("Ridley", "Scott")
		scottPhoto := k.photo(scott, "scott", true)
		weaver, skerritt, holm := k.person("Sigourney", "Weaver"), k.person("Tom", "Skerritt"), k.person("Ian", "Holm")
		k.photo(weaver, "weaver-old", false)
		weaverPhoto := k.photo(weaver, "weaver", true)
		poster := api.file("alien")
		scifi, horror := k.genre("Sci-Fi"), k.genre("Horror")

		id := decode[movieDetailJSON](t, k.call("POST", "/api/v1/movies", fmt.Sprintf(`{"title":"Alien",
			"description":"In space no one can hear you scream.","budget":"11000000","release_date":"1979-05-25",
			"duration":117,"director_id":%d,"country_id":%d,"poster_file_id":%d,"genre_ids":[%d,%d]}`,
			scott, uk, poster.ID, scifi, horror), http.StatusCreated)).ID

		crew := k.character("Crew member", catalog.RoleBackground)
		ash := k.character("Ash", catalog.RoleSupporting)
		ripley := k.character("Ripley", catalog.RoleLeading)
		desc := "Warrant officer"
		if _, err := api.store.UpdateCharacter(context.Background(), ripley, catalog.CharacterUpdate{Description: catalog.Set(desc)}); err != nil {
			t.Fatal(err)
		}
		dallas := k.character("Dallas", catalog.RoleLeading)
		parker := k.character("parker", catalog.RoleSupporting)
		k.cast(id, crew, 0)
		k.cast(id, ash, holm)
		k.cast(id, ripley, weaver)
		k.cast(id, dallas, skerritt)
		k.cast(id, parker, 0)
		k.fan("fan1", id)
		k.fan("fan2", id)

		cast := fmt.Sprintf(`[
			{"character":{"id":%d,"name":"Dallas","role":"leading","description":null},
			 "actor":{"id":%d,"first_name":"Tom","last_name":"Skerritt","photo":null}},
			{"character":{"id":%d,"name":"Ripley","role":"leading","description":"Warrant officer"},
			 "actor":{"id":%d,"first_name":"Sigourney","last_name":"Weaver","photo":%s}},
			{"character":{"id":%d,"name":"Ash","role":"supporting","description":null},
			 "actor":{"id":%d,"first_name":"Ian","last_name":"Holm","photo":null}},
			{"character":{"id":%d,"name":"parker","role":"supporting","description":null},"actor":null},
			{"character":{"id":%d,"name":"Crew member","role":"background","description":null},"actor":null}]`,
			dallas, skerritt, ripley, weaver, fileObject(weaverPhoto), ash, holm, parker, crew)
		wantSameJSON(t, "GET detail", k.detail(id), fmt.Sprintf(`{"id":%d,"title":"Alien",
			"description":"In space no one can hear you scream.","budget":"11000000.00","release_date":"1979-05-25",
			"duration":117,"country_id":%d,"created_at":%q,"updated_at":%q,"poster":%s,
			"director":{"id":%d,"first_name":"Ridley","last_name":"Scott","photo":%s},
			"director_id":%d,"poster_file_id":%d,"country":{"id":%d,"name":"United Kingdom"},
			"genres":[{"id":%d,"name":"Horror"},{"id":%d,"name":"Sci-Fi"}],
			"cast":%s,"favorites_count":2}`,
			id, uk, movieStamp, movieStamp, fileObject(poster), scott, fileObject(scottPhoto), scott, poster.ID, uk,
			horror, scifi, cast))
		wantSameJSON(t, "GET cast", k.call("GET", fmt.Sprintf("/api/v1/movies/%d/cast", id), "", http.StatusOK).Body.String(),
			`{"items":`+cast+`}`)

		// A list item has the poster and director objects of the detail.
		w := k.call("GET", "/api/v1/movies?q=alien", "", http.StatusOK)
		wantSameJSON(t, "search item", w.Body.String(), fmt.Sprintf(`{"items":[{"id":%d,"title":"Alien",
			"description":"In space no one can hear you scream.","budget":"11000000.00","release_date":"1979-05-25",
			"duration":117,"country_id":%d,"created_at":%q,"updated_at":%q,"poster":%s,
			"director":{"id":%d,"first_name":"Ridley","last_name":"Scott","photo":%s}}],"page":1,"per_page":20,"total":1,"total_relation":"eq","next_cursor":null}`,
			id, uk, movieStamp, movieStamp, fileObject(poster), scott, fileObject(scottPhoto)))
	})
}

// TestMoviePatch checks that a PATCH changes the fields its body has, that
// null clears a nullable field, and that an empty body changes nothing.
func TestMoviePatch(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		usa := k.country("USA")
		nolan := k.person("Christopher", "Nolan")
		poster := api.file("tenet")
		url := "/api/v1/movies/" + fmt.Sprint(decode[movieDetailJSON](t, k.call("POST", "/api/v1/movies", fmt.Sprintf(
			`{"title":"Tenet","description":"Time runs out.","budget":"205000000.00","release_date":"2020-08-26",
			"duration":150,"director_id":%d,"country_id":%d,"poster_file_id":%d}`, nolan, usa, poster.ID),
			http.StatusCreated)).ID)
		full := k.call("GET", url, "", http.StatusOK).Body.String()
		api.clk.Advance(time.Minute)
		// An empty body changes nothing, not even updated_at.
		if body := k.call("PATCH", url, `{}`, http.StatusOK).Body.String(); body != full {
			t.Errorf("PATCH {}:\n got %s\nwant %s", body, full)
		}
		// null clears what it names; what the body leaves out stays.
		got := decode[movieDetailJSON](t, k.call("PATCH", url,
			`{"description":null,"budget":null,"release_date":null,"duration":null,"director_id":null,"country_id":null,"poster_file_id":null}`,
			http.StatusOK))
		if got.Title != "Tenet" || got.Description != nil || got.Budget != nil || got.ReleaseDate != nil ||
			got.Duration != nil || got.DirectorID != nil || got.Director != nil || got.CountryID != nil ||
			got.Country != nil || got.PosterFileID != nil || got.Poster != nil {
			t.Errorf("PATCH with nulls = %+v", got)
		}
		got = decode[movieDetailJSON](t, k.call("PATCH", url, fmt.Sprintf(
			`{"description":"Again.","budget":"0.1","release_date":"2020-09-03","director_id":%d}`, nolan), http.StatusOK))
		if got.Title != "Tenet" || *got.Description != "Again." || got.Budget.String() != "0.10" ||
			got.ReleaseDate.String() != "2020-09-03" || got.Duration != nil || *got.DirectorID != nolan || got.CountryID != nil {
			t.Errorf("PATCH some fields = %+v", got)
		}
		if !got.UpdatedAt.Equal(testStart.Add(time.Minute)) {
			t.Errorf("updated_at = %v; want %v", got.UpdatedAt, testStart.Add(time.Minute))
		}

		runScenarios(t, api.h, []scenario{
			{name: "title null", method: "PATCH", url: url, header: k.admin(), body: `{"title":null}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"title":"cannot be null"`}},
			{name: "title blank", method: "PATCH", url: url, header: k.admin(), body: `{"title":"  "}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"title":"is required"`}},
			{name: "unknown field", method: "PATCH", url: url, header: k.admin(), body: `{"name":"Tenet"}`,
				wantStatus: http.StatusBadRequest, want: []string{`"name":"is not a known field"`}},
		})
		if title := decode[movieDetailJSON](t, k.call("GET", url, "", http.StatusOK)).Title; title != "Tenet" {
			t.Errorf("title after refused PATCHes = %q", title)
		}
	})
}

// TestMovieValidation sends bodies that break a rule and checks the 422
// names the field at fault, and that no movie was made or changed.
func TestMovieValidation(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		genre := k.genre("Drama")
		id := api.movie("Heat")
		url := fmt.Sprintf("/api/v1/movies/%d", id)
		before := k.detail(id)
		latest := catalog.DateOf(testStart.AddDate(catalog.ReleaseHorizon, 0, 0))
		tooLate := catalog.DateOf(testStart.AddDate(catalog.ReleaseHorizon, 0, 1))

		type rule struct {
			name, body, field, message string
		}
		rules := []rule{
			{"title missing", `{}`, "title", "is required"},
			{"title null", `{"title":null}`, "title", ""},
			{"title blank", `{"title":" \t "}`, "title", "is required"},
			{"title too long", `{"title":"` + strings.Repeat("é", catalog.MaxTitleLen+1) + `"}`, "title", "at most 300 characters"},
			{"title with a control character", `{"title":"Heat\u0007"}`, "title", "control characters"},
			{"title with NUL", `{"title":"Heat\u0000"}`, "title", "control characters"},
			{"description with NUL", `{"title":"Heat","description":"a\u0000b"}`, "description", "control characters"},
			{"duration 0", `{"title":"Heat","duration":0}`, "duration", "between 1 and 1000"},
			{"duration 1001", `{"title":"Heat","duration":1001}`, "duration", "between 1 and 1000"},
			{"duration negative", `{"title":"Heat","duration":-5}`, "duration", "between 1 and 1000"},
			{"budget with 3 decimals", `{"title":"Heat","budget":"1.234"}`, "budget", "at most 2 decimal places"},
			{"budget negative", `{"title":"Heat","budget":"-1"}`, "budget", "decimal string from 0"},
			{"budget not a number", `{"title":"Heat","budget":"abc"}`, "budget", "decimal string from 0"},
			{"budget empty", `{"title":"Heat","budget":""}`, "budget", "decimal string from 0"},
			{"budget exponent", `{"title":"Heat","budget":"1e400"}`, "budget", "decimal string from 0"},
			{"budget too large", `{"title":"Heat","budget":"9223372036854775808"}`, "budget", "decimal string from 0"},
			{"budget with separators", `{"title":"Heat","budget":"1,000"}`, "budget", "decimal string from 0"},
			{"release date that does not exist", `{"title":"Heat","release_date":"2023-02-29"}`, "release_date", "must be a date that exists"},
			{"release date not a date", `{"title":"Heat","release_date":"yesterday"}`, "release_date", "must be a date that exists"},
			{"release date before 1870", `{"title":"Heat","release_date":"1869-12-31"}`, "release_date", "between 1870-01-01 and " + latest.String()},
			{"release date too far ahead", `{"title":"Heat","release_date":"` + tooLate.String() + `"}`, "release_date", "between 1870-01-01"},
			{"unknown director", `{"title":"Heat","director_id":999}`, "director_id", "no person has id 999"},
			{"unknown country", `{"title":"Heat","country_id":999}`, "country_id", "no country has id 999"},
			{"unknown poster", `{"title":"Heat","poster_file_id":999}`, "poster_file_id", "no file has id 999"},
			{"director id 0", `{"title":"Heat","director_id":0}`, "director_id", ""},
			{"negative country id", `{"title":"Heat","country_id":-3}`, "country_id", ""},
		}
		createOnly := []rule{
			{"unknown genre", fmt.Sprintf(`{"title":"Heat","genre_ids":[%d,999]}`, genre), "genre_ids", "no genre has id 999"},
			{"genre id 0", `{"title":"Heat","genre_ids":[0]}`, "genre_ids", "positive ids"},
			{"too many genres", `{"title":"Heat","genre_ids":[` + strings.Repeat("1,", maxGenreIDs) + `1]}`, "genre_ids", "at most 100"},
		}
		for _, rl := range append(rules, createOnly...) {
			t.Run("POST "+rl.name, func(t *testing.T) {
				w := api.do("POST", "/api/v1/movies", k.adminToken, rl.body)
				wantFieldError(t, w, rl.field, rl.message)
			})
		}
		for _, rl := range rules {
			if rl.field == "title" && rl.name == "title missing" {
				continue // a PATCH may leave the title out
			}
			t.Run("PATCH "+rl.name, func(t *testing.T) {
				w := api.do("PATCH", url, k.adminToken, rl.body)
				wantFieldError(t, w, rl.field, rl.message)
			})
		}
		// The latest release date accepted is accepted.
		k.call("POST", "/api/v1/movies", `{"title":"Avatar 9","release_date":"`+latest.String()+`"}`, http.StatusCreated)

		if after := k.detail(id); after != before {
			t.Errorf("refused PATCHes changed the movie:\n got %s\nwant %s", after, before)
		}
		list, err := api.store.SearchMovies(context.Background(), catalog.MovieSearch{})
		if err != nil {
			t.Fatal(err)
		}
		if list.Total != 2 {
			t.Errorf("%d movies after refused POSTs; want 2 (Heat and Avatar 9)", list.Total)
		}
	})
}

// wantFieldError fails the test unless w is a 422 problem whose errors name
// field with a message holding message.
func wantFieldError(t *testing.T, w *httptest.ResponseRecorder, field, message string) {
	t.Helper()
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status = %d; want 422\nbody: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q; want application/problem+json", ct)
	}
	p := decode[problem](t, w)
	msg, ok := p.Errors[field]
	if !ok || !strings.Contains(msg, message) {
		t.Errorf("errors = %v; want %s: ...%s...", p.Errors, field, message)
	}
}

// racingMovieStore runs meddle, once, just before the next UpdateMovie: an
// editor who changes the movie between a PATCH's If-Match check and its
// write.
type racingMovieStore struct {
	*sqlstore.Store
	meddle func()
}

func (s *racingMovieStore) UpdateMovie(ctx context.Context, id int64, upd catalog.MovieUpdate) (*catalog.Movie, error) {
	if m := s.meddle; m != nil {
		s.meddle = nil
		m()
	}
	return s.Store.UpdateMovie(ctx, id, upd)
}

// TestMovieETag checks conditional requests: If-None-Match on GET, and
// If-Match on PATCH, stale, fresh, "*", and stale because of a write that
// comes between the check and the update.
func TestMovieETag(t *testing.T) {
	var racing *racingMovieStore
	configure := func(cfg *Config) {
		racing = &racingMovieStore{Store: cfg.Store.(*sqlstore.Store)}
		cfg.Store = racing
	}
	runAPI(t, configure, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		id := api.movie("Heat")
		url := fmt.Sprintf("/api/v1/movies/%d", id)
		w := k.call("GET", url, "", http.StatusOK)
		tag := w.Header().Get("ETag")
		if len(tag) != 34 || tag[0] != '"' || tag[33] != '"' {
			t.Fatalf("ETag = %q; want a quoted 32-digit hex string", tag)
		}
		etagOfBody := etagOf(w.Body.Bytes())
		if tag != etagOfBody {
			t.Errorf("ETag = %s; want the tag of the body, %s", tag, etagOfBody)
		}

		runScenarios(t, api.h, []scenario{
			{name: "If-None-Match current", method: "GET", url: url, header: map[string]string{"If-None-Match": tag},
				wantStatus: http.StatusNotModified, wantHeader: map[string]string{"ETag": tag}, unwanted: []string{"Heat"}},
			{name: "If-None-Match weak current", method: "GET", url: url, header: map[string]string{"If-None-Match": "W/" + tag},
				wantStatus: http.StatusNotModified},
			{name: "If-None-Match among others", method: "GET", url: url, header: map[string]string{"If-None-Match": `"abc", ` + tag},
				wantStatus: http.StatusNotModified},
			{name: "If-None-Match other", method: "GET", url: url, header: map[string]string{"If-None-Match": `"abc"`},
				wantStatus: http.StatusOK, want: []string{`"title":"Heat"`}},
		})

		api.clk.Advance(time.Second)
		runScenarios(t, api.h, []scenario{
			{name: "If-Match stale", method: "PATCH", url: url, header: k.adminWith("If-Match", `"0123456789abcdef0123456789abcdef"`),
				body: `{"title":"Stale"}`, wantStatus: http.StatusPreconditionFailed, want: []string{`"status":412`}},
			{name: "If-Match weak", method: "PATCH", url: url, header: k.adminWith("If-Match", "W/"+tag),
				body: `{"title":"Weak"}`, wantStatus: http.StatusPreconditionFailed},
			{name: "If-Match garbage", method: "PATCH", url: url, header: k.adminWith("If-Match", `' OR 1=1 --`),
				body: `{"title":"Garbage"}`, wantStatus: http.StatusPreconditionFailed},
			{name: "If-Match on an unknown movie", method: "PATCH", url: "/api/v1/movies/999", header: k.adminWith("If-Match", tag),
				body: `{"title":"Nothing"}`, wantStatus: http.StatusNotFound},
		})
		if got := k.call("GET", url, "", http.StatusOK).Header().Get("ETag"); got != tag {
			t.Fatalf("refused PATCHes changed the ETag to %s", got)
		}

		w = scenario{name: "If-Match fresh", method: "PATCH", url: url, header: k.adminWith("If-Match", tag),
			body: `{"title":"Heat (1995)"}`, wantStatus: http.StatusOK, want: []string{`"title":"Heat (1995)"`}}.run(t, api.h)
		newTag := w.Header().Get("ETag")
		if newTag == tag || newTag != k.call("GET", url, "", http.StatusOK).Header().Get("ETag") {
			t.Errorf("ETag after PATCH = %s; want a new tag that GET answers too", newTag)
		}
		scenario{name: "If-Match old tag again", method: "PATCH", url: url, header: k.adminWith("If-Match", tag),
			body: `{"title":"Lost update"}`, wantStatus: http.StatusPreconditionFailed}.run(t, api.h)
		scenario{name: "If-Match list with the current tag", method: "PATCH", url: url,
			header: k.adminWith("If-Match", tag+", "+newTag), body: `{"duration":170}`, wantStatus: http.StatusOK}.run(t, api.h)
		scenario{name: "If-Match *", method: "PATCH", url: url, header: k.adminWith("If-Match", "*"),
			body: `{"duration":171}`, wantStatus: http.StatusOK, want: []string{`"duration":171`}}.run(t, api.h)

		// Another editor changes the movie after the If-Match check passed:
		// the store's updatedAt condition refuses the write.
		current := k.call("GET", url, "", http.StatusOK).Header().Get("ETag")
		racing.meddle = func() {
			api.clk.Advance(time.Second)
			title := "Changed by another editor"
			if _, err := racing.Store.UpdateMovie(context.Background(), id, catalog.MovieUpdate{Title: &title}); err != nil {
				t.Errorf("meddling UpdateMovie: %v", err)
			}
		}
		scenario{name: "If-Match beaten by a concurrent write", method: "PATCH", url: url, header: k.adminWith("If-Match", current),
			body: `{"title":"Mine"}`, wantStatus: http.StatusPreconditionFailed}.run(t, api.h)
		if title := decode[movieDetailJSON](t, k.call("GET", url, "", http.StatusOK)).Title; title != "Changed by another editor" {
			t.Errorf("title = %q; want the other editor's", title)
		}
	})
}

// TestMovieNotFound checks the 404s of every movie route.
func TestMovieNotFound(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		id := api.movie("Heat")
		genre := k.genre("Crime")
		character := k.character("Neil McCauley", catalog.RoleLeading)
		m := fmt.Sprintf("/api/v1/movies/%d", id)
		admin := k.admin()
		runScenarios(t, api.h, []scenario{
			{name: "GET unknown", method: "GET", url: "/api/v1/movies/999", wantStatus: http.StatusNotFound,
				wantHeader: map[string]string{"Content-Type": "application/problem+json"}},
			{name: "GET not an id", method: "GET", url: "/api/v1/movies/heat", wantStatus: http.StatusNotFound},
			{name: "GET id 0", method: "GET", url: "/api/v1/movies/0", wantStatus: http.StatusNotFound},
			{name: "PATCH unknown", method: "PATCH", url: "/api/v1/movies/999", header: admin, body: `{"title":"X"}`, wantStatus: http.StatusNotFound},
			{name: "PATCH {} unknown", method: "PATCH", url: "/api/v1/movies/999", header: admin, body: `{}`, wantStatus: http.StatusNotFound},
			{name: "DELETE unknown", method: "DELETE", url: "/api/v1/movies/999", header: admin, wantStatus: http.StatusNotFound},
			{name: "PUT genre of unknown movie", method: "PUT", url: fmt.Sprintf("/api/v1/movies/999/genres/%d", genre), header: admin,
				wantStatus: http.StatusNotFound, want: []string{"no movie has id 999"}},
			{name: "PUT unknown genre", method: "PUT", url: m + "/genres/999", header: admin,
				wantStatus: http.StatusNotFound, want: []string{"no genre has id 999"}},
			{name: "DELETE genre of unknown movie", method: "DELETE", url: fmt.Sprintf("/api/v1/movies/999/genres/%d", genre), header: admin,
				wantStatus: http.StatusNotFound, want: []string{"no movie has id 999"}},
			{name: "DELETE unknown genre", method: "DELETE", url: m + "/genres/999", header: admin,
				wantStatus: http.StatusNotFound, want: []string{"no genre has id 999"}},
			{name: "GET cast of unknown movie", method: "GET", url: "/api/v1/movies/999/cast",
				wantStatus: http.StatusNotFound, want: []string{"no movie has id 999"}},
			{name: "POST cast to unknown movie", method: "POST", url: "/api/v1/movies/999/cast", header: admin,
				body: fmt.Sprintf(`{"character_id":%d}`, character), wantStatus: http.StatusNotFound, want: []string{"no movie has id 999"}},
			{name: "POST new character to unknown movie", method: "POST", url: "/api/v1/movies/999/cast", header: admin,
				body: `{"character":{"name":"Vincent Hanna","role":"leading"}}`, wantStatus: http.StatusNotFound},
			{name: "PATCH cast entry not in cast", method: "PATCH", url: fmt.Sprintf("%s/cast/%d", m, character), header: admin,
				body: `{"person_id":null}`, wantStatus: http.StatusNotFound},
			{name: "PATCH cast entry without change, not in cast", method: "PATCH", url: fmt.Sprintf("%s/cast/%d", m, character), header: admin,
				body: `{}`, wantStatus: http.StatusNotFound},
			{name: "PATCH cast of unknown movie", method: "PATCH", url: fmt.Sprintf("/api/v1/movies/999/cast/%d", character), header: admin,
				body: `{"person_id":null}`, wantStatus: http.StatusNotFound},
			{name: "DELETE cast entry not in cast", method: "DELETE", url: fmt.Sprintf("%s/cast/%d", m, character), header: admin,
				wantStatus: http.StatusNotFound},
			{name: "DELETE cast of unknown character", method: "DELETE", url: m + "/cast/999", header: admin, wantStatus: http.StatusNotFound},
			{name: "DELETE cast not an id", method: "DELETE", url: m + "/cast/x", header: admin, wantStatus: http.StatusNotFound},
		})
		// The character made for the unknown movie was not kept.
		if list, err := api.store.ListCharacters(context.Background(), catalog.CharacterFilter{}); err != nil || list.Total != 1 {
			t.Errorf("ListCharacters total = %d, %v; want 1", list.Total, err)
		}
	})
}

// TestMovieGenreLinks adds and removes a movie's genres.
func TestMovieGenreLinks(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		id := api.movie("Heat")
		crime, drama := k.genre("Crime"), k.genre("Drama")
		link := func(g int64) string { return fmt.Sprintf("/api/v1/movies/%d/genres/%d", id, g) }
		genres := func() []nameRefJSON {
			return decode[movieDetailJSON](t, k.call("GET", fmt.Sprintf("/api/v1/movies/%d", id), "", http.StatusOK)).Genres
		}

		k.call("PUT", link(drama), "", http.StatusNoContent)
		k.call("PUT", link(crime), "", http.StatusNoContent)
		k.call("PUT", link(crime), "", http.StatusNoContent) // again: no change
		if got, want := genres(), []nameRefJSON{{crime, "Crime"}, {drama, "Drama"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("genres = %v; want %v", got, want)
		}
		k.call("DELETE", link(crime), "", http.StatusNoContent)
		k.call("DELETE", link(crime), "", http.StatusNoContent) // again: no change
		if got, want := genres(), []nameRefJSON{{drama, "Drama"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("genres = %v; want %v", got, want)
		}
		if w := api.do("PUT", link(crime), k.userToken, ""); w.Code != http.StatusForbidden {
			t.Errorf("PUT genre as user = %d; want 403", w.Code)
		}
		if w := api.do("DELETE", link(drama), "", ""); w.Code != http.StatusUnauthorized {
			t.Errorf("DELETE genre anonymously = %d; want 401", w.Code)
		}
		if got := genres(); len(got) != 1 {
			t.Errorf("genres after refused writes = %v", got)
		}
	})
}

// TestMovieWritesNeedAdmin checks that every write of the movie routes is
// 401 without a token and 403 for a user, and changes nothing.
func TestMovieWritesNeedAdmin(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		id := api.movie("Heat")
		genre := k.genre("Crime")
		character := k.character("Neil McCauley", catalog.RoleLeading)
		k.cast(id, character, 0)
		before := k.detail(id)
		m := fmt.Sprintf("/api/v1/movies/%d", id)
		writes := []struct{ method, url, body string }{
			{"POST", "/api/v1/movies", `{"title":"Ronin"}`},
			{"PATCH", m, `{"title":"Ronin"}`},
			{"DELETE", m, ""},
			{"PUT", fmt.Sprintf("%s/genres/%d", m, genre), ""},
			{"DELETE", fmt.Sprintf("%s/genres/%d", m, genre), ""},
			{"POST", m + "/cast", `{"character":{"name":"Vincent Hanna","role":"leading"}}`},
			{"PATCH", fmt.Sprintf("%s/cast/%d", m, character), `{"person_id":null}`},
			{"DELETE", fmt.Sprintf("%s/cast/%d", m, character), ""},
		}
		for _, wr := range writes {
			if w := api.do(wr.method, wr.url, "", wr.body); w.Code != http.StatusUnauthorized || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s anonymously = %d; want 401 with a Bearer challenge", wr.method, wr.url, w.Code)
			}
			if w := api.do(wr.method, wr.url, k.userToken, wr.body); w.Code != http.StatusForbidden {
				t.Errorf("%s %s as user = %d; want 403", wr.method, wr.url, w.Code)
			}
		}
		if after := k.detail(id); after != before {
			t.Errorf("refused writes changed the movie:\n got %s\nwant %s", after, before)
		}
		if list, _ := api.store.SearchMovies(context.Background(), catalog.MovieSearch{}); list.Total != 1 {
			t.Errorf("%d movies; want 1", list.Total)
		}
		// Reads need no token.
		k.call("GET", m, "", http.StatusOK)
		if w := api.do("GET", m+"/cast", "", ""); w.Code != http.StatusOK {
			t.Errorf("GET cast anonymously = %d; want 200", w.Code)
		}
		if w := api.do("GET", "/api/v1/movies", k.userToken, ""); w.Code != http.StatusOK {
			t.Errorf("GET movies as user = %d; want 200", w.Code)
		}
	})
}
