package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

// TestCast puts characters in a movie's cast, existing and new, played by
// a person or by nobody known, changes and clears their actors, and takes
// them out again.
func TestCast(t *testing.T) {
	runAPI(t, nil, func(t *testing.T, api *testAPI) {
		k := newMovieKit(t, api)
		id := api.movie("Heat")
		pacino, deniro := k.person("Al", "Pacino"), k.person("Robert", "De Niro")
		pacinoPhoto := k.photo(pacino, "pacino", true)
		neil := k.character("Neil McCauley", catalog.RoleLeading)
		cast := fmt.Sprintf("/api/v1/movies/%d/cast", id)
		entry := func(characterID int64) string { return fmt.Sprintf("%s/%d", cast, characterID) }

		w := k.call("POST", cast, fmt.Sprintf(`{"character_id":%d,"person_id":%d}`, neil, deniro), http.StatusCreated)
		wantSameJSON(t, "POST existing character", w.Body.String(), fmt.Sprintf(
			`{"character":{"id":%d,"name":"Neil McCauley","role":"leading","description":null},
			"actor":{"id":%d,"first_name":"Robert","last_name":"De Niro","photo":null}}`, neil, deniro))
		if got, want := w.Header().Get("Location"), entry(neil); got != want {
			t.Errorf("Location = %q; want %q", got, want)
		}

		w = k.call("POST", cast, fmt.Sprintf(
			`{"character":{"name":"Vincent Hanna","role":"leading","description":"LAPD lieutenant"},"person_id":%d}`, pacino),
			http.StatusCreated)
		hanna := decode[castEntryJSON](t, w).Character.ID
		wantSameJSON(t, "POST new character", w.Body.String(), fmt.Sprintf(
			`{"character":{"id":%d,"name":"Vincent Hanna","role":"leading","description":"LAPD lieutenant"},
			"actor":{"id":%d,"first_name":"Al","last_name":"Pacino","photo":%s}}`, hanna, pacino, fileObject(pacinoPhoto)))
		if got, want := w.Header().Get("Location"), entry(hanna); got != want {
			t.Errorf("Location = %q; want %q", got, want)
		}
		if c, err := api.store.CharacterByID(context.Background(), hanna); err != nil || c.Name != "Vincent Hanna" {
			t.Errorf("CharacterByID(%d) = %+v, %v; want the new character", hanna, c, err)
		}

		w = k.call("POST", cast, `{"character":{"name":"Waitress","role":"background"},"person_id":null}`, http.StatusCreated)
		waitress := decode[castEntryJSON](t, w).Character.ID
		wantSameJSON(t, "POST nobody known", w.Body.String(), fmt.Sprintf(
			`{"character":{"id":%d,"name":"Waitress","role":"background","description":null},"actor":null}`, waitress))
		w = k.call("POST", cast, `{"character":{"name":"Chris Shiherlis","role":"supporting"}}`, http.StatusCreated)
		chris := decode[castEntryJSON](t, w).Character.ID

		admin := k.admin()
		runScenarios(t, api.h, []scenario{
			{name: "duplicate", method: "POST", url: cast, header: admin, body: fmt.Sprintf(`{"character_id":%d}`, neil),
				wantStatus: http.StatusConflict, want: []string{`"character_id":"the character is already in this movie's cast"`}},
			{name: "unknown character", method: "POST", url: cast, header: admin, body: `{"character_id":999}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"character_id":"no character has id 999"`}},
			{name: "unknown person", method: "POST", url: cast, header: admin,
				body:       `{"character":{"name":"Eady","role":"supporting"},"person_id":999}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"person_id":"no person has id 999"`}},
			{name: "unknown person for existing character", method: "POST", url: cast, header: admin,
				body:       fmt.Sprintf(`{"character_id":%d,"person_id":999}`, k.character("Eady", catalog.RoleSupporting)),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"person_id":"no person has id 999"`}},
			{name: "neither character_id nor character", method: "POST", url: cast, header: admin, body: `{"person_id":null}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"character_id":"is required unless the body has character"`}},
			{name: "both character_id and character", method: "POST", url: cast, header: admin,
				body:       fmt.Sprintf(`{"character_id":%d,"character":{"name":"Eady","role":"leading"}}`, neil),
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"character":"must not be given with character_id"`}},
			{name: "new character with a bad role", method: "POST", url: cast, header: admin,
				body:       `{"character":{"name":"Eady","role":"hero"}}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"character.role":"must be one of leading, supporting, background"`}},
			{name: "new character without a name", method: "POST", url: cast, header: admin,
				body:       `{"character":{"name":" ","role":"leading"}}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"character.name":"is required"`}},
			{name: "character null", method: "POST", url: cast, header: admin, body: `{"character":null}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"character_id":`}},
		})

		// Leading, supporting, background; by name within a role.
		list := decode[castListJSON](t, k.call("GET", cast, "", http.StatusOK))
		var order []int64
		for _, e := range list.Items {
			order = append(order, e.Character.ID)
		}
		if want := []int64{neil, hanna, chris, waitress}; fmt.Sprint(order) != fmt.Sprint(want) {
			t.Errorf("cast order = %v; want %v", order, want)
		}

		w = k.call("PATCH", entry(waitress), fmt.Sprintf(`{"person_id":%d}`, deniro), http.StatusOK)
		wantSameJSON(t, "PATCH actor", w.Body.String(), fmt.Sprintf(
			`{"character":{"id":%d,"name":"Waitress","role":"background","description":null},
			"actor":{"id":%d,"first_name":"Robert","last_name":"De Niro","photo":null}}`, waitress, deniro))
		w = k.call("PATCH", entry(waitress), `{}`, http.StatusOK)
		if decode[castEntryJSON](t, w).Actor.ID != deniro {
			t.Errorf("PATCH {} changed the actor: %s", w.Body)
		}
		w = k.call("PATCH", entry(waitress), `{"person_id":null}`, http.StatusOK)
		if decode[castEntryJSON](t, w).Actor != nil {
			t.Errorf("PATCH null left an actor: %s", w.Body)
		}
		runScenarios(t, api.h, []scenario{
			{name: "PATCH unknown person", method: "PATCH", url: entry(neil), header: admin, body: `{"person_id":999}`,
				wantStatus: http.StatusUnprocessableEntity, want: []string{`"person_id":"no person has id 999"`}},
			{name: "PATCH unknown field", method: "PATCH", url: entry(neil), header: admin, body: `{"character_id":1}`,
				wantStatus: http.StatusBadRequest, want: []string{`"character_id":"is not a known field"`}},
		})

		k.call("DELETE", entry(chris), "", http.StatusNoContent)
		k.call("DELETE", entry(chris), "", http.StatusNotFound)
		k.call("PATCH", entry(chris), `{"person_id":null}`, http.StatusNotFound)
		if _, err := api.store.CharacterByID(context.Background(), chris); err != nil {
			t.Errorf("the character taken out of the cast is gone: %v", err)
		}
		list = decode[castListJSON](t, k.call("GET", cast, "", http.StatusOK))
		if len(list.Items) != 3 {
			t.Errorf("cast has %d entries after DELETE; want 3", len(list.Items))
		}
		// A character may go back into the cast it left.
		k.call("POST", cast, fmt.Sprintf(`{"character_id":%d}`, chris), http.StatusCreated)
	})
}
