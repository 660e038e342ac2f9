package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// personJSON is a person as lists show them.
type personJSON struct {
	ID          int64         `json:"id"`
	FirstName   string        `json:"first_name"`
	LastName    string        `json:"last_name"`
	Biography   *string       `json:"biography"`
	DateOfBirth *catalog.Date `json:"date_of_birth"`
	Gender      *string       `json:"gender"`
	CountryID   *int64        `json:"country_id"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

func newPersonJSON(p *catalog.Person) personJSON {
	return personJSON{
		ID:          p.ID,
		FirstName:   p.FirstName,
		LastName:    p.LastName,
		Biography:   p.Biography,
		DateOfBirth: p.DateOfBirth,
		Gender:      p.Gender,
		CountryID:   p.CountryID,
		CreatedAt:   p.CreatedAt.UTC(),
		UpdatedAt:   p.UpdatedAt.UTC(),
	}
}

// personDetailJSON is a person with their country, photos and filmography:
// the body of GET /persons/{id} and of the answers to POST and PATCH.
type personDetailJSON struct {
	personJSON
	Country *personCountryJSON `json:"country"`
	Photos  []photoJSON        `json:"photos"`
	// Directed and Played are the first pages of the filmography; the
	// counts are of all of it.
	Directed      []movieBriefJSON `json:"directed"`
	Played        []playedRoleJSON `json:"played"`
	DirectedCount int              `json:"directed_count"`
	PlayedCount   int              `json:"played_count"`
}

// personCountryJSON names a person's country.
type personCountryJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// photoJSON is a file object that is one of a person's photos.
type photoJSON struct {
	fileJSON
	IsPrimary bool `json:"is_primary"`
}

// movieBriefJSON is a movie as a filmography lists it.
type movieBriefJSON struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	ReleaseDate *catalog.Date `json:"release_date"`
	Poster      *fileJSON     `json:"poster"`
}

// playedRoleJSON is a character a person plays in a movie.
type playedRoleJSON struct {
	Movie     movieBriefJSON    `json:"movie"`
	Character roleCharacterJSON `json:"character"`
}

// roleCharacterJSON is a character as a filmography shows it, without
// timestamps.
type roleCharacterJSON struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Role        string  `json:"role"`
	Description *string `json:"description"`
}

func (s *server) newMovieBriefJSON(m *catalog.MovieBrief) movieBriefJSON {
	return movieBriefJSON{ID: m.ID, Title: m.Title, ReleaseDate: m.ReleaseDate, Poster: s.newFileJSON(m.Poster)}
}

func (s *server) newPlayedRoleJSON(p *catalog.PlayedRole) playedRoleJSON {
	c := p.Character
	return playedRoleJSON{
		Movie:     s.newMovieBriefJSON(&p.Movie),
		Character: roleCharacterJSON{ID: c.ID, Name: c.Name, Role: c.Role, Description: c.Description},
	}
}

func (s *server) newPersonDetailJSON(d *catalog.PersonDetail) personDetailJSON {
	out := personDetailJSON{
		personJSON: newPersonJSON(&d.Person),
		Photos:     make([]photoJSON, len(d.Photos)),
		Directed:   make([]movieBriefJSON, len(d.Directed)),
		Played:     make([]playedRoleJSON, len(d.Played)),

		DirectedCount: d.DirectedCount,
		PlayedCount:   d.PlayedCount,
	}
	if d.Country != nil {
		out.Country = &personCountryJSON{ID: d.Country.ID, Name: d.Country.Name}
	}
	for i := range d.Photos {
		out.Photos[i] = photoJSON{fileJSON: *s.newFileJSON(&d.Photos[i].File), IsPrimary: d.Photos[i].IsPrimary}
	}
	for i := range d.Directed {
		out.Directed[i] = s.newMovieBriefJSON(&d.Directed[i])
	}
	for i := range d.Played {
		out.Played[i] = s.newPlayedRoleJSON(&d.Played[i])
	}
	return out
}

// personInput is the body that creates a person. The date of birth is
// read as a string so that a date that does not exist is a 422 naming the
// field, as other rules are.
type personInput struct {
	FirstName   string  `json:"first_name"`
	LastName    string  `json:"last_name"`
	Biography   *string `json:"biography"`
	DateOfBirth *string `json:"date_of_birth"`
	Gender      *string `json:"gender"`
	CountryID   *int64  `json:"country_id"`
}

// person returns the new person in, checked by the rules of day today.
func (in *personInput) person(today catalog.Date) (*catalog.Person, error) {
	v := &catalog.ValidationError{}
	p := &catalog.Person{
		FirstName: in.FirstName,
		LastName:  in.LastName,
		Biography: in.Biography,
		Gender:    in.Gender,
		CountryID: in.CountryID,
	}
	if in.DateOfBirth != nil {
		p.DateOfBirth = parseDateField(v, "date_of_birth", *in.DateOfBirth)
	}
	v.Merge(p.Validate(today))
	return p, v.Err()
}

// personPatch is the body that changes a person.
type personPatch struct {
	FirstName   optional[string] `json:"first_name"`
	LastName    optional[string] `json:"last_name"`
	Biography   optional[string] `json:"biography"`
	DateOfBirth optional[string] `json:"date_of_birth"`
	Gender      optional[string] `json:"gender"`
	CountryID   optional[int64]  `json:"country_id"`
}

// update returns the catalog update of p, checked by the rules of day today.
func (p *personPatch) update(today catalog.Date) (catalog.PersonUpdate, error) {
	v := &catalog.ValidationError{}
	upd := catalog.PersonUpdate{
		FirstName: nonNull(v, "first_name", p.FirstName),
		LastName:  nonNull(v, "last_name", p.LastName),
		Biography: nullable(p.Biography),
		Gender:    nullable(p.Gender),
		CountryID: nullable(p.CountryID),
	}
	if born := nullable(p.DateOfBirth); born != nil {
		upd.DateOfBirth = &catalog.Nullable[catalog.Date]{}
		if born.Value != nil {
			upd.DateOfBirth.Value = parseDateField(v, "date_of_birth", *born.Value)
		}
	}
	v.Merge(upd.Validate(today))
	return upd, v.Err()
}

// listPersons answers a page of persons ordered by name; with q, only those
// whose names hold every word of q, without regard to case or accents.
func (s *server) listPersons(w http.ResponseWriter, r *http.Request) {
	qry, err := parseQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	text := searchText(qry, "q")
	page := qry.page()
	if err := qry.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	var list catalog.List[catalog.Person]
	if text == "" {
		list, err = s.store.ListPersons(r.Context(), catalog.PersonFilter{Page: page})
	} else {
		list, err = s.store.SearchPersons(r.Context(), text, page)
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("list persons: %w", queryFault(err)))
		return
	}
	writeList(s, w, r, list, newPersonJSON)
}

// listDirected answers a page of the movies a person directs, newest
// release first.
func (s *server) listDirected(w http.ResponseWriter, r *http.Request) {
	serveOwnPage(s, w, r, "movies directed by person", s.store.PersonDirected, s.newMovieBriefJSON)
}

// listPlayed answers a page of the characters a person plays with their
// movies, newest release first.
func (s *server) listPlayed(w http.ResponseWriter, r *http.Request) {
	serveOwnPage(s, w, r, "characters played by person", s.store.PersonPlayed, s.newPlayedRoleJSON)
}

// createPerson adds a person and answers their detail.
func (s *server) createPerson(w http.ResponseWriter, r *http.Request) {
	var in personInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := in.person(s.today())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.CreatePerson(r.Context(), p); err != nil {
		s.writeError(w, r, fmt.Errorf("create person: %w", err))
		return
	}
	d, err := s.store.PersonDetail(r.Context(), p.ID)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("create person: %w", err))
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/persons/%d", p.ID))
	s.writeTaggedJSON(w, r, http.StatusCreated, s.newPersonDetailJSON(d))
}

// getPerson answers a person's detail with its ETag, or 304 when the
// client's copy is current.
func (s *server) getPerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := s.store.PersonDetail(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("get person: %w", err))
		return
	}
	s.writeTaggedJSON(w, r, http.StatusOK, s.newPersonDetailJSON(d))
}

// patchPerson changes the fields of a person the body has. With If-Match,
// it changes them only if the person's detail still has that ETag, and
// only if nobody changes the person between that check and the write.
func (s *server) patchPerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in personPatch
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	upd, err := in.update(s.today())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	changes := upd != (catalog.PersonUpdate{})
	patchDetail(s, w, r, s.taggedPerson(id), changes, func(ctx context.Context, ifUpdatedAt *time.Time) error {
		upd.IfUpdatedAt = ifUpdatedAt
		_, err := s.store.UpdatePerson(ctx, id, upd)
		return err
	})
}

// deletePerson deletes a person who directs no movie; the characters they
// played stay in their movies' casts, played by nobody known. With
// If-Match, only if their detail still has that ETag, and only if nobody
// changes the person between that check and the delete.
func (s *server) deletePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	deleteDetail(s, w, r, s.taggedPerson(id), func(ctx context.Context, ifUpdatedAt *time.Time) error {
		return s.store.DeletePersonIf(ctx, id, ifUpdatedAt)
	})
}

// taggedPerson reads person id's detail for If-Match: its ETag is that of
// the detail GET answers.
func (s *server) taggedPerson(id int64) taggedDetail[*catalog.PersonDetail, personDetailJSON] {
	return taggedDetail[*catalog.PersonDetail, personDetailJSON]{
		what:      fmt.Sprintf("person %d", id),
		read:      func(ctx context.Context) (*catalog.PersonDetail, error) { return s.store.PersonDetail(ctx, id) },
		render:    s.newPersonDetailJSON,
		updatedAt: func(d *catalog.PersonDetail) time.Time { return d.UpdatedAt },
	}
}
