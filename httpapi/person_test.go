package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// personBody is the person JSON of a person with only names, as created at
// the test clock's start.
func personBody(id int64, first, last string) string {
	return fmt.Sprintf(`{"id":%d,"first_name":%q,"last_name":%q,"biography":null,"date_of_birth":null,"gender":null,"country_id":null,"created_at":%q,"updated_at":%q}`,
		id, first, last, catalogStamp, catalogStamp)
}

func TestPersons(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		const base = "/api/v1/persons"
		at := func(id int64) string { return fmt.Sprintf("%s/%d", base, id) }
		usa := k.create("/api/v1/countries", `{"name":"United States"}`)

		w := k.call("POST", base, fmt.Sprintf(
			`{"first_name":"Sigourney","last_name":"Weaver","biography":"Actor.\nProducer.","date_of_birth":"1949-10-08","gender":"female","country_id":%d}`,
			usa), http.StatusCreated)
		weaver := decode[struct{ ID int64 }](t, w).ID
		full := func(updated string) string {
			return fmt.Sprintf(`{"id":%d,"first_name":"Sigourney","last_name":"Weaver","biography":"Actor.\nProducer.",
				"date_of_birth":"1949-10-08","gender":"female","country_id":%d,"created_at":%q,"updated_at":%q,
				"country":{"id":%d,"name":"United States"},"photos":[],"directed":[],"played":[],"directed_count":0,"played_count":0}`,
				weaver, usa, catalogStamp, updated, usa)
		}
		k.wantJSON("POST", w.Body.Bytes(), full(catalogStamp))
		if got := w.Header().Get("Location"); got != at(weaver) {
			t.Errorf("POST: Location = %q; want %q", got, at(weaver))
		}
		k.wantJSON("GET", k.call("GET", at(weaver), "", http.StatusOK).Body.Bytes(), full(catalogStamp))

		// Only a first name: the last name may be empty, everything else unknown.
		w = k.call("POST", base, `{"first_name":"Madonna"}`, http.StatusCreated)
		madonna := decode[struct{ ID int64 }](t, w).ID
		k.wantJSON("POST with first name only", w.Body.Bytes(), strings.TrimSuffix(personBody(madonna, "Madonna", ""), "}")+
			`,"country":null,"photos":[],"directed":[],"played":[],"directed_count":0,"played_count":0}`)
		scott := k.create(base, `{"first_name":"Ridley","last_name":"Scott"}`)

		k.wantJSON("GET list", k.call("GET", base+"?per_page=2", "", http.StatusOK).Body.Bytes(), fmt.Sprintf(
			`{"items":[%s,%s],"page":1,"per_page":2,"total":3}`,
			personBody(madonna, "Madonna", ""), personBody(scott, "Ridley", "Scott")))

		api.clk.Advance(time.Second)
		later := testStart.Add(time.Second).Format(time.RFC3339)
		w = k.call("PATCH", at(weaver), `{"biography":null,"date_of_birth":null,"gender":null,"country_id":null}`, http.StatusOK)
		k.wantJSON("PATCH clears every nullable field", w.Body.Bytes(), fmt.Sprintf(
			`{"id":%d,"first_name":"Sigourney","last_name":"Weaver","biography":null,"date_of_birth":null,"gender":null,
			"country_id":null,"created_at":%q,"updated_at":%q,"country":null,"photos":[],"directed":[],"played":[],"directed_count":0,"played_count":0}`,
			weaver, catalogStamp, later))
		w = k.call("PATCH", at(weaver), fmt.Sprintf(`{"last_name":"Weaver-Simpson","gender":"non-binary","date_of_birth":"1949-10-08","country_id":%d}`, usa), http.StatusOK)
		k.wantJSON("PATCH sets some fields", w.Body.Bytes(), fmt.Sprintf(
			`{"id":%d,"first_name":"Sigourney","last_name":"Weaver-Simpson","biography":null,"date_of_birth":"1949-10-08","gender":"non-binary",
			"country_id":%d,"created_at":%q,"updated_at":%q,"country":{"id":%d,"name":"United States"},"photos":[],"directed":[],"played":[],"directed_count":0,"played_count":0}`,
			weaver, usa, catalogStamp, later, usa))

		// Names are kept trimmed, each run of spaces one space.
		w = k.call("PATCH", at(scott), `{"first_name":"  Ridley\t","last_name":" Scott  Free "}`, http.StatusOK)
		if b := w.Body.String(); !strings.Contains(b, `"first_name":"Ridley","last_name":"Scott Free"`) {
			t.Errorf("PATCH with spaces = %s; want the names trimmed", b)
		}
		w = k.call("POST", base, `{"first_name":" Ellen ","last_name":"  "}`, http.StatusCreated)
		if b := w.Body.String(); !strings.Contains(b, `"first_name":"Ellen","last_name":""`) {
			t.Errorf("POST with spaces = %s; want the names trimmed", b)
		}

		k.call("DELETE", at(madonna), "", http.StatusNoContent)
		k.call("GET", at(madonna), "", http.StatusNotFound)
		k.call("DELETE", at(madonna), "", http.StatusNotFound)
		k.call("PATCH", at(madonna), `{"first_name":"M"}`, http.StatusNotFound)
		k.call("PATCH", at(madonna), `{}`, http.StatusNotFound)
		k.call("GET", base+"/0", "", http.StatusNotFound)
		k.call("GET", base+"/madonna", "", http.StatusNotFound)
	})
}

// TestPersonValidation checks the field rules of persons and that a
// refused write changes nothing.
func TestPersonValidation(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		const base = "/api/v1/persons"
		id := k.create(base, `{"first_name":"Ridley","last_name":"Scott"}`)
		at := fmt.Sprintf("%s/%d", base, id)
		today := catalog.DateOf(testStart)
		tomorrow := catalog.DateOf(testStart.AddDate(0, 0, 1))
		unprocessable := func(name, method, url, body string, fields ...string) scenario {
			want := make([]string, len(fields))
			for i, f := range fields {
				want[i] = `"` + f + `":`
			}
			return scenario{name: name, method: method, url: url, body: body, header: k.auth(),
				wantStatus: http.StatusUnprocessableEntity, want: append(want, `"status":422`)}
		}
		runScenarios(t, api.h, []scenario{
			unprocessable("no first name", "POST", base, `{"last_name":"Scott"}`, "first_name"),
			unprocessable("blank first name", "POST", base, `{"first_name":" \t"}`, "first_name"),
			unprocessable("long first name", "POST", base, `{"first_name":"`+strings.Repeat("a", 101)+`"}`, "first_name"),
			unprocessable("long last name", "POST", base, `{"first_name":"a","last_name":"`+strings.Repeat("a", 101)+`"}`, "last_name"),
			unprocessable("last name with a line break", "POST", base, `{"first_name":"a","last_name":"b\nc"}`, "last_name"),
			unprocessable("biography with NUL", "POST", base, `{"first_name":"a","biography":"b\u0000c"}`, "biography"),
			unprocessable("born tomorrow", "POST", base, `{"first_name":"a","date_of_birth":"`+tomorrow.String()+`"}`, "date_of_birth"),
			unprocessable("born before 1800", "POST", base, `{"first_name":"a","date_of_birth":"1799-12-31"}`, "date_of_birth"),
			unprocessable("born on a day that does not exist", "POST", base, `{"first_name":"a","date_of_birth":"2001-02-29"}`, "date_of_birth"),
			unprocessable("birth date not a date", "POST", base, `{"first_name":"a","date_of_birth":"yesterday"}`, "date_of_birth"),
			unprocessable("birth date with time", "POST", base, `{"first_name":"a","date_of_birth":"2001-02-03T00:00:00Z"}`, "date_of_birth"),
			unprocessable("gender outside the set", "POST", base, `{"first_name":"a","gender":"F"}`, "gender"),
			unprocessable("unknown country", "POST", base, `{"first_name":"a","country_id":999}`, "country_id"),
			unprocessable("country id 0", "POST", base, `{"first_name":"a","country_id":0}`, "country_id"),
			unprocessable("several at once", "POST", base, `{"first_name":"","gender":"x","date_of_birth":"1-1-1"}`,
				"first_name", "gender", "date_of_birth"),
			unprocessable("null first name", "PATCH", at, `{"first_name":null}`, "first_name"),
			unprocessable("null last name", "PATCH", at, `{"last_name":null}`, "last_name"),
			unprocessable("PATCH born tomorrow", "PATCH", at, `{"date_of_birth":"`+tomorrow.String()+`"}`, "date_of_birth"),
			unprocessable("PATCH bad date", "PATCH", at, `{"date_of_birth":"2001-13-01"}`, "date_of_birth"),
			unprocessable("PATCH unknown country", "PATCH", at, `{"country_id":999}`, "country_id"),
			unprocessable("PATCH bad gender", "PATCH", at, `{"gender":""}`, "gender"),
			{name: "born today", method: "PATCH", url: at, body: `{"date_of_birth":"` + today.String() + `"}`, header: k.auth(),
				wantStatus: http.StatusOK, want: []string{`"date_of_birth":"` + today.String() + `"`}},
			{name: "date of the wrong type", method: "PATCH", url: at, body: `{"date_of_birth":20010203}`, header: k.auth(),
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"date_of_birth":"must be a string"}`}},
			{name: "country id of the wrong type", method: "POST", url: base, body: `{"first_name":"a","country_id":"1"}`, header: k.auth(),
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"country_id":"must be a whole number"}`}},
			{name: "country id a fraction", method: "PATCH", url: at, body: `{"country_id":1.5}`, header: k.auth(),
				wantStatus: http.StatusBadRequest, want: []string{`"errors":{"country_id":"must be a whole number in range"}`}},
			{name: "unchanged", method: "GET", url: at, wantStatus: http.StatusOK,
				want: []string{`"first_name":"Ridley","last_name":"Scott","biography":null,"date_of_birth":"` + today.String() + `","gender":null,"country_id":null`}},
			{name: "only one person", method: "GET", url: base, wantStatus: http.StatusOK, want: []string{`"total":1,"total_relation":"eq"`}},
		})
	})
}

// TestPersonDetail checks the whole shape of a person's detail: country,
// photos primary first, the movies they direct and the characters they
// play, newest first and movies without a release date last.
func TestPersonDetail(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		ctx := context.Background()
		usa := k.create("/api/v1/countries", `{"name":"United States"}`)
		zoe := k.create("/api/v1/persons", fmt.Sprintf(
			`{"first_name":"Zoë","last_name":"Saldaña","date_of_birth":"1978-06-19","gender":"female","country_id":%d}`, usa))

		older, primary, poster := api.file("zoe-1"), api.file("zoe-2"), api.file("poster")
		for _, f := range []*catalog.File{older, primary} {
			api.clk.Advance(time.Second)
			if _, err := api.store.AddPersonPhoto(ctx, zoe, f.ID, f == primary); err != nil {
				t.Fatalf("AddPersonPhoto: %v", err)
			}
		}
		date := func(s string) *catalog.Date {
			d, err := catalog.ParseDate(s)
			if err != nil {
				t.Fatal(err)
			}
			return &d
		}
		movie := func(m catalog.Movie) int64 {
			if err := api.store.CreateMovie(ctx, &m); err != nil {
				t.Fatalf("CreateMovie(%q): %v", m.Title, err)
			}
			return m.ID
		}
		character := func(name, role string, description *string) int64 {
			c := &catalog.Character{Name: name, Role: role, Description: description}
			if err := api.store.CreateCharacter(ctx, c); err != nil {
				t.Fatalf("CreateCharacter(%q): %v", name, err)
			}
			return c.ID
		}
		cast := func(movieID, characterID int64, personID *int64) {
			if err := api.store.AddCastMember(ctx, &catalog.CastMember{MovieID: movieID, CharacterID: characterID, PersonID: personID}); err != nil {
				t.Fatalf("AddCastMember: %v", err)
			}
		}
		unreleased := movie(catalog.Movie{Title: "Untitled", DirectorID: &zoe})
		directed := movie(catalog.Movie{Title: "Directed", DirectorID: &zoe, ReleaseDate: date("2020-05-01"), PosterFileID: &poster.ID})
		avatar := movie(catalog.Movie{Title: "Avatar", ReleaseDate: date("2009-12-18"), PosterFileID: &poster.ID})
		guardians := movie(catalog.Movie{Title: "Guardians of the Galaxy", ReleaseDate: date("2014-08-01")})
		blue := "Na'vi"
		neytiri := character("Neytiri", "leading", &blue)
		double := character("A Double", "background", nil)
		gamora := character("Gamora", "supporting", nil)
		extra := character("Ravager", "background", nil)
		cast(avatar, double, &zoe)
		cast(avatar, neytiri, &zoe)
		cast(guardians, gamora, &zoe)
		cast(guardians, extra, nil)

		fileObj := func(f *catalog.File) string {
			return fmt.Sprintf(`{"id":%d,"file_name":%q,"mime_type":"image/jpeg","key":%q,"url":%q,"thumbnails":%s}`, f.ID, f.FileName, f.Key, f.URL, thumbsJSON(f.Key))
		}
		photo := func(f *catalog.File, primary bool) string {
			return strings.TrimSuffix(fileObj(f), "}") + fmt.Sprintf(`,"is_primary":%t}`, primary)
		}
		role := func(id int64, name, role, description string) string {
			return fmt.Sprintf(`{"id":%d,"name":%q,"role":%q,"description":%s}`, id, name, role, description)
		}
		want := fmt.Sprintf(`{
			"id":%d,"first_name":"Zoë","last_name":"Saldaña","biography":null,"date_of_birth":"1978-06-19",
			"gender":"female","country_id":%d,"created_at":%q,"updated_at":%q,
			"country":{"id":%d,"name":"United States"},
			"photos":[%s,%s],
			"directed":[
				{"id":%d,"title":"Directed","release_date":"2020-05-01","poster":%s},
				{"id":%d,"title":"Untitled","release_date":null,"poster":null}],
			"played":[
				{"movie":{"id":%d,"title":"Guardians of the Galaxy","release_date":"2014-08-01","poster":null},"character":%s},
				{"movie":{"id":%d,"title":"Avatar","release_date":"2009-12-18","poster":%s},"character":%s},
				{"movie":{"id":%d,"title":"Avatar","release_date":"2009-12-18","poster":%s},"character":%s}],
			"directed_count":2,"played_count":3}`,
			zoe, usa, catalogStamp, catalogStamp, usa,
			photo(primary, true), photo(older, false),
			directed, fileObj(poster), unreleased,
			guardians, role(gamora, "Gamora", "supporting", "null"),
			avatar, fileObj(poster), role(neytiri, "Neytiri", "leading", `"Na'vi"`),
			avatar, fileObj(poster), role(double, "A Double", "background", "null"))
		w := api.do("GET", fmt.Sprintf("/api/v1/persons/%d", zoe), "", "")
		api.want(w, http.StatusOK, "GET person detail")
		k.wantJSON("person detail", w.Body.Bytes(), want)
		if got := w.Header().Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type = %q; want application/json", got)
		}

		runScenarios(t, api.h, []scenario{
			{name: "a person who directs cannot be deleted", method: "DELETE", url: fmt.Sprintf("/api/v1/persons/%d", zoe), header: k.auth(),
				wantStatus: http.StatusConflict, want: []string{`"status":409`, `"detail":"the person still directs movies"`}},
			{name: "still there", method: "GET", url: fmt.Sprintf("/api/v1/persons/%d", zoe), wantStatus: http.StatusOK,
				want: []string{`"first_name":"Zoë"`}},
		})

		// Once they direct nothing, they can go; their characters stay in
		// the cast, played by nobody known.
		for _, id := range []int64{unreleased, directed} {
			if _, err := api.store.UpdateMovie(ctx, id, catalog.MovieUpdate{DirectorID: catalog.Clear[int64]()}); err != nil {
				t.Fatal(err)
			}
		}
		k.call("DELETE", fmt.Sprintf("/api/v1/persons/%d", zoe), "", http.StatusNoContent)
		members, err := api.store.ListCast(ctx, avatar)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 2 || members[0].PersonID != nil || members[1].PersonID != nil {
			t.Errorf("cast of Avatar after deleting its actor = %+v; want 2 characters played by nobody known", members)
		}
	})
}

func TestPersonSearch(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		zoe := k.create("/api/v1/persons", `{"first_name":"Zoë","last_name":"Saldaña"}`)
		amelie := k.create("/api/v1/persons", `{"first_name":"Amélie","last_name":"Poulain"}`)
		zoey := k.create("/api/v1/persons", `{"first_name":"Zoey","last_name":"Deutch"}`)
		list := func(ids ...int64) []string {
			items := make([]string, len(ids))
			for i, id := range ids {
				items[i] = fmt.Sprintf(`{"id":%d,`, id)
			}
			return append(items, fmt.Sprintf(`"total":%d,"total_relation":"eq"`, len(ids)))
		}
		found := func(q string, ids ...int64) scenario {
			return scenario{name: q, method: "GET", url: "/api/v1/persons?q=" + q, wantStatus: http.StatusOK, want: list(ids...)}
		}
		runScenarios(t, api.h, []scenario{
			found("zoe%20saldana", zoe),
			found("ZOE+SALDANA", zoe),
			found("Zo%C3%AB", zoey, zoe), // the last word is a prefix
			found("zo%C3%AB+sald", zoe),
			found("saldan", zoe),
			found("zoe", zoe, zoey), // "zoe" is the start of "zoey" too
			found("amelie", amelie),
			found("AMÉLIE+poul", amelie),
			found("poulain+amelie", amelie),
			found("zoe+poulain"),
			found("nobody"),
			{name: "no q lists everyone", method: "GET", url: "/api/v1/persons", wantStatus: http.StatusOK,
				want: []string{`"total":3,"total_relation":"eq"`}},
			{name: "empty q lists everyone", method: "GET", url: "/api/v1/persons?q=", wantStatus: http.StatusOK,
				want: []string{`"total":3,"total_relation":"eq"`}},
			{name: "paginated", method: "GET", url: "/api/v1/persons?q=zoe&per_page=1&page=2", wantStatus: http.StatusOK,
				want: []string{fmt.Sprintf(`{"items":[{"id":%d,`, zoe), `"page":2,"per_page":1,"total":2,"total_relation":"eq"`}},
			{name: "q twice", method: "GET", url: "/api/v1/persons?q=a&q=b", wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"q":"must be given at most once"}`}},
			{name: "too many words", method: "GET", url: "/api/v1/persons?q=" + strings.Repeat("a+", 20), wantStatus: http.StatusBadRequest,
				want: []string{`"errors":{"q":`}},
		})
	})
}

// A meddlingStore runs meddle, once armed, right after the next person or
// movie detail it reads: another editor changing the person or movie
// between a PATCH's or DELETE's If-Match check and its write.
type meddlingStore struct {
	Store
	mu     sync.Mutex
	meddle func()
}

// arm makes meddle run after the next detail read.
func (s *meddlingStore) arm(meddle func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.meddle = meddle
}

// meddled runs meddle, once, if it is armed.
func (s *meddlingStore) meddled() {
	s.mu.Lock()
	meddle := s.meddle
	s.meddle = nil
	s.mu.Unlock()
	if meddle != nil {
		meddle()
	}
}

// PersonDetail reads the person's detail, then runs meddle if it is armed.
func (s *meddlingStore) PersonDetail(ctx context.Context, id int64) (*catalog.PersonDetail, error) {
	d, err := s.Store.PersonDetail(ctx, id)
	s.meddled()
	return d, err
}

// MovieDetail reads the movie's detail, then runs meddle if it is armed.
func (s *meddlingStore) MovieDetail(ctx context.Context, id int64) (*catalog.MovieDetail, error) {
	d, err := s.Store.MovieDetail(ctx, id)
	s.meddled()
	return d, err
}

func TestPersonETag(t *testing.T) {
	meddling := &meddlingStore{}
	runAPI(t, func(cfg *Config) {
		meddling.Store = cfg.Store
		cfg.Store = meddling
	}, func(t *testing.T, api *testAPI) {
		k := newCatalogKit(t, api)
		id := k.create("/api/v1/persons", `{"first_name":"Ridley","last_name":"Scott"}`)
		url := fmt.Sprintf("/api/v1/persons/%d", id)
		get := func(header map[string]string) (tag string, w *httptest.ResponseRecorder) {
			t.Helper()
			w = scenario{method: "GET", url: url, header: header, wantStatus: http.StatusOK}.run(t, api.h)
			return w.Header().Get("ETag"), w
		}
		tag, w := get(nil)
		if len(tag) != 34 || tag[0] != '"' || tag[33] != '"' {
			t.Fatalf("ETag = %q; want a quoted 32-digit hex string", tag)
		}
		if again, _ := get(nil); again != tag {
			t.Errorf("ETag of an unchanged person = %q, then %q", tag, again)
		}
		body := w.Body.String()
		patch := func(ifMatch string) map[string]string {
			h := k.auth()
			if ifMatch != "" {
				h["If-Match"] = ifMatch
			}
			return h
		}

		w = scenario{name: "current copy", method: "GET", url: url, header: map[string]string{"If-None-Match": tag},
			wantStatus: http.StatusNotModified, wantHeader: map[string]string{"ETag": tag}}.run(t, api.h)
		if w.Body.Len() != 0 {
			t.Errorf("304 has a body: %q", w.Body)
		}
		runScenarios(t, api.h, []scenario{
			{name: "current copy among others, weak", method: "GET", url: url,
				header: map[string]string{"If-None-Match": `"0000", W/` + tag}, wantStatus: http.StatusNotModified},
			{name: "any copy", method: "GET", url: url, header: map[string]string{"If-None-Match": "*"}, wantStatus: http.StatusNotModified},
			{name: "stale copy", method: "GET", url: url, header: map[string]string{"If-None-Match": `"0000"`},
				wantStatus: http.StatusOK, want: []string{body}},
			{name: "If-Match with a weak tag never holds", method: "PATCH", url: url, body: `{"first_name":"Sir Ridley"}`,
				header: patch("W/" + tag), wantStatus: http.StatusPreconditionFailed, want: []string{`"status":412`}},
			{name: "If-Match with a stale tag", method: "PATCH", url: url, body: `{"first_name":"Sir Ridley"}`,
				header: patch(`"0000"`), wantStatus: http.StatusPreconditionFailed},
			{name: "unchanged by refused writes", method: "GET", url: url, wantStatus: http.StatusOK, want: []string{body}},
		})

		api.clk.Advance(time.Second)
		w = scenario{name: "If-Match with the current tag", method: "PATCH", url: url, body: `{"first_name":"Sir Ridley"}`,
			header: patch(`"0000", ` + tag), wantStatus: http.StatusOK, want: []string{`"first_name":"Sir Ridley"`}}.run(t, api.h)
		newTag := w.Header().Get("ETag")
		if newTag == "" || newTag == tag {
			t.Errorf("ETag after PATCH = %q; want a new tag (old %q)", newTag, tag)
		}
		if got, _ := get(nil); got != newTag {
			t.Errorf("GET after PATCH: ETag = %q; want the PATCH's %q", got, newTag)
		}
		runScenarios(t, api.h, []scenario{
			{name: "old tag now stale", method: "PATCH", url: url, body: `{"first_name":"Ridley"}`,
				header: patch(tag), wantStatus: http.StatusPreconditionFailed},
			{name: "old copy no longer current", method: "GET", url: url, header: map[string]string{"If-None-Match": tag},
				wantStatus: http.StatusOK},
			{name: "If-Match * always holds", method: "PATCH", url: url, body: `{"last_name":"Scott"}`,
				header: patch("*"), wantStatus: http.StatusOK},
			{name: "If-Match on an unknown person", method: "PATCH", url: "/api/v1/persons/999", body: `{"last_name":"Scott"}`,
				header: patch("*"), wantStatus: http.StatusNotFound},
			{name: "empty PATCH with the current tag", method: "PATCH", url: url, body: `{}`,
				header: patch(newTag), wantStatus: http.StatusOK},
		})

		// Another editor writes between the If-Match check and the update:
		// the store refuses the update, and nothing of it lands.
		tag, _ = get(nil)
		meddling.arm(func() {
			api.clk.Advance(time.Second)
			last := "Other"
			if _, err := meddling.Store.UpdatePerson(context.Background(), id, catalog.PersonUpdate{LastName: &last}); err != nil {
				t.Errorf("meddling UpdatePerson: %v", err)
			}
		})
		runScenarios(t, api.h, []scenario{
			{name: "changed in between", method: "PATCH", url: url, body: `{"first_name":"Ridley"}`,
				header: patch(tag), wantStatus: http.StatusPreconditionFailed, want: []string{`"status":412`}},
			{name: "the other editor's change stands alone", method: "GET", url: url, wantStatus: http.StatusOK,
				want: []string{`"first_name":"Sir Ridley","last_name":"Other"`}},
		})
	})
}
