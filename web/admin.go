package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// Admins edit the catalog through these forms. Each form is parsed into the
// catalog's update values and checked by the catalog's own rules, so a page
// shows beside each field the message the API gives for it.

func (s *server) adminRoutes() []route {
	return []route{
		{"GET /admin/movies/new", adminAccess, s.newMovieForm},
		{"POST /admin/movies", adminAccess, s.createMovie},
		{"GET /movies/{id}/edit", adminAccess, s.editMovieForm},
		{"POST /movies/{id}/edit", adminAccess, s.updateMovie},
		{"POST /movies/{id}/delete", adminAccess, s.deleteMovie},
		{"POST /movies/{id}/poster", adminAccess, s.uploadPoster},
		{"POST /movies/{id}/cast", adminAccess, s.addCast},
		{"POST /movies/{id}/cast/{character_id}", adminAccess, s.updateCast},
		{"POST /movies/{id}/cast/{character_id}/remove", adminAccess, s.removeCast},

		{"GET /admin/persons/new", adminAccess, s.newPersonForm},
		{"POST /admin/persons", adminAccess, s.createPerson},
		{"GET /persons/{id}/edit", adminAccess, s.editPersonForm},
		{"POST /persons/{id}/edit", adminAccess, s.updatePerson},
		{"POST /persons/{id}/delete", adminAccess, s.deletePerson},
		{"POST /persons/{id}/photos", adminAccess, s.uploadPhoto},
		{"POST /persons/{id}/photos/{file_id}/primary", adminAccess, s.makePhotoPrimary},
	}
}

// staleMessage is shown when a form was opened before someone else saved
// the same movie or person.
const staleMessage = "was changed by someone else since you opened this form; reload the page to see the changes"

// movieForm is a movie form as parsed: the fields, the genre ids, and a
// message per field that could not be parsed.
type movieForm struct {
	upd      catalog.MovieUpdate
	genreIDs []int64
	errs     *catalog.ValidationError
}

// parseMovieForm reads a movie form; every field is set, an empty optional
// field clearing its column.
func parseMovieForm(f url.Values, today catalog.Date) movieForm {
	mf := movieForm{errs: &catalog.ValidationError{}}
	title := f.Get("title")
	mf.upd.Title = &title
	mf.upd.Description = optional(f.Get("description"), func(s string) (string, error) { return s, nil }, "description", mf.errs)
	mf.upd.Budget = optional(strings.TrimSpace(f.Get("budget")), catalog.ParseMoney, "budget", mf.errs)
	mf.upd.ReleaseDate = optional(strings.TrimSpace(f.Get("release_date")), catalog.ParseDate, "release_date", mf.errs)
	mf.upd.Duration = optional(strings.TrimSpace(f.Get("duration")), strconv.Atoi, "duration", mf.errs)
	mf.upd.DirectorID = optional(strings.TrimSpace(f.Get("director_id")), parseID, "director_id", mf.errs)
	mf.upd.CountryID = optional(strings.TrimSpace(f.Get("country_id")), parseID, "country_id", mf.errs)
	for _, g := range f["genre"] {
		id, err := parseID(g)
		if err != nil {
			mf.errs.Add("genre_ids", "must be chosen from the list")
			break
		}
		mf.genreIDs = append(mf.genreIDs, id)
	}
	if t, err := time.Parse(time.RFC3339Nano, f.Get("updated_at")); err == nil {
		mf.upd.IfUpdatedAt = &t
	}
	mf.errs.Merge(mf.upd.Validate(today))
	return mf
}

// optional parses an optional form field: "" clears the column, anything
// else must parse.
func optional[T any](s string, parse func(string) (T, error), field string, errs *catalog.ValidationError) *catalog.Nullable[T] {
	if s == "" {
		return catalog.Clear[T]()
	}
	v, err := parse(s)
	if err != nil {
		errs.Add(field, parseMessage(field))
		return catalog.Clear[T]()
	}
	return catalog.Set(v)
}

// parseMessage says what a field that did not parse must hold.
func parseMessage(field string) string {
	switch field {
	case "budget":
		return "must be an amount such as 1500000 or 12.50"
	case "release_date", "date_of_birth":
		return "must be a date such as 1979-05-25"
	case "duration":
		return "must be a whole number of minutes"
	case "director_id", "person_id":
		return "must be a person's id (see People)"
	}
	return "must be chosen from the list"
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err == nil && id < 1 {
		err = errors.New("not a positive id")
	}
	return id, err
}

// newMovie returns the movie an update of every field describes.
func newMovie(upd catalog.MovieUpdate) *catalog.Movie {
	return &catalog.Movie{Title: *upd.Title, Description: upd.Description.Value, Budget: upd.Budget.Value,
		ReleaseDate: upd.ReleaseDate.Value, Duration: upd.Duration.Value, DirectorID: upd.DirectorID.Value,
		CountryID: upd.CountryID.Value}
}

// movieEditData is what the movie form shows.
type movieEditData struct {
	// Movie is nil on the form of a new movie.
	Movie     *catalog.MovieDetail
	Genres    []catalog.Genre
	Countries []catalog.Country
	// Errors of the cast forms, by field.
	CastErrors map[string]string
}

// renderMovieForm shows the movie form with form's values and errs, or
// with the movie's own values when form is nil.
func (s *server) renderMovieForm(w http.ResponseWriter, r *http.Request, status int, m *catalog.MovieDetail, form formValues, errs, castErrs map[string]string) {
	genres, err := allGenres(r, s.store)
	if err == nil {
		var countries []catalog.Country
		countries, err = allCountries(r, s.store)
		if err == nil {
			if form == nil {
				form = movieValues(m)
			}
			title := "New movie"
			if m != nil {
				title = "Edit " + m.Title
			}
			s.render(w, r, status, "movie_edit", view{Title: title, Form: form, Errors: errs,
				Data: movieEditData{Movie: m, Genres: genres, Countries: countries, CastErrors: castErrs}})
			return
		}
	}
	s.fail(w, r, fmt.Errorf("movie form: %w", err))
}

// movieValues fills the movie form with m's values.
func movieValues(m *catalog.MovieDetail) formValues {
	if m == nil {
		return formValues{}
	}
	f := formValues{"title": {m.Title}, "description": {deref(m.Description)}, "duration": {optInt(m.Duration)},
		"director_id": {optID(m.DirectorID)}, "country_id": {optID(m.CountryID)},
		"updated_at": {m.UpdatedAt.UTC().Format(time.RFC3339Nano)}}
	if m.Budget != nil {
		f["budget"] = []string{m.Budget.String()}
	}
	if m.ReleaseDate != nil {
		f["release_date"] = []string{m.ReleaseDate.String()}
	}
	for _, g := range m.Genres {
		f["genre"] = append(f["genre"], strconv.FormatInt(g.ID, 10))
	}
	return f
}

func (s *server) newMovieForm(w http.ResponseWriter, r *http.Request) {
	s.renderMovieForm(w, r, http.StatusOK, nil, formValues{}, nil, nil)
}

// createMovie creates a movie with its genres and opens its form, where
// the poster and cast are added.
func (s *server) createMovie(w http.ResponseWriter, r *http.Request) {
	if !s.readForm(w, r) {
		return
	}
	mf := parseMovieForm(r.PostForm, todayOf(s.now()))
	err := mf.errs.Err()
	m := &catalog.Movie{} // its id makes the next URL, used only once it is created
	if err == nil {
		m = newMovie(mf.upd)
		err = s.store.CreateMovieWithGenres(r.Context(), m, mf.genreIDs)
	}
	s.finish(w, r, err, "create movie", func(errs map[string]string) {
		s.renderMovieForm(w, r, http.StatusUnprocessableEntity, nil, formValues(r.PostForm), errs, nil)
	}, fmt.Sprintf("/movies/%d/edit", m.ID))
}

// movieFor reads the movie of the path for a form, answering 404 itself.
func (s *server) movieFor(w http.ResponseWriter, r *http.Request) (*catalog.MovieDetail, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return nil, false
	}
	m, err := s.store.MovieDetail(r.Context(), id)
	if err != nil {
		s.fail(w, r, fmt.Errorf("movie %d: %w", id, err))
		return nil, false
	}
	return m, true
}

func (s *server) editMovieForm(w http.ResponseWriter, r *http.Request) {
	if m, ok := s.movieFor(w, r); ok {
		s.renderMovieForm(w, r, http.StatusOK, m, nil, nil, nil)
	}
}

// updateMovie saves the movie form, its fields and genres together.
func (s *server) updateMovie(w http.ResponseWriter, r *http.Request) {
	m, ok := s.movieFor(w, r)
	if !ok {
		return
	}
	if !s.readForm(w, r) {
		return
	}
	mf := parseMovieForm(r.PostForm, todayOf(s.now()))
	err := mf.errs.Err()
	if err == nil {
		_, err = s.store.UpdateMovieWithGenres(r.Context(), m.ID, mf.upd, mf.genreIDs)
		if errors.Is(err, catalog.ErrPreconditionFailed) {
			err = catalog.Invalid("form", "This movie "+staleMessage+".")
		}
	}
	s.finish(w, r, err, fmt.Sprintf("update movie %d", m.ID), func(errs map[string]string) {
		s.renderMovieForm(w, r, http.StatusUnprocessableEntity, m, formValues(r.PostForm), errs, nil)
	}, fmt.Sprintf("/movies/%d", m.ID))
}

// deleteMovie deletes a movie with its genre links, cast and favorites.
func (s *server) deleteMovie(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	if err := s.store.DeleteMovie(r.Context(), id); err != nil {
		s.fail(w, r, fmt.Errorf("delete movie %d: %w", id, err))
		return
	}
	http.Redirect(w, r, "/movies", http.StatusSeeOther)
}

// uploadPoster makes an uploaded image the movie's poster.
func (s *server) uploadPoster(w http.ResponseWriter, r *http.Request) {
	if s.media == nil {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	m, ok := s.movieFor(w, r)
	if !ok {
		return
	}
	err := s.upload(w, r, "poster", func(name string, f uploadFile) error {
		_, err := s.media.SetMoviePoster(r.Context(), m.ID, userOf(r).ID, name, f)
		return err
	})
	s.finishUpload(w, r, "poster", err, fmt.Sprintf("upload poster of movie %d", m.ID), func(status int, errs map[string]string) {
		s.renderMovieForm(w, r, status, m, nil, errs, nil)
	}, fmt.Sprintf("/movies/%d/edit", m.ID))
}

// addCast creates a character in the movie's cast, played by the person
// whose id is given, or by nobody known.
func (s *server) addCast(w http.ResponseWriter, r *http.Request) {
	m, ok := s.movieFor(w, r)
	if !ok {
		return
	}
	if !s.readForm(w, r) {
		return
	}
	f := r.PostForm
	errs := &catalog.ValidationError{}
	ch := &catalog.Character{Name: f.Get("name"), Role: f.Get("role")}
	if d := f.Get("description"); d != "" {
		ch.Description = &d
	}
	person := optional(strings.TrimSpace(f.Get("person_id")), parseID, "person_id", errs)
	errs.Merge(ch.Validate())
	err := errs.Err()
	if err == nil {
		_, err = s.store.CreateCharacterInCast(r.Context(), m.ID, ch, person.Value)
	}
	s.finish(w, r, err, fmt.Sprintf("add cast to movie %d", m.ID), func(castErrs map[string]string) {
		s.renderMovieForm(w, r, http.StatusUnprocessableEntity, m, nil, nil, castErrs)
	}, fmt.Sprintf("/movies/%d/edit#cast", m.ID))
}

// updateCast changes a character's role and who plays it in the movie.
func (s *server) updateCast(w http.ResponseWriter, r *http.Request) {
	m, ok := s.movieFor(w, r)
	if !ok {
		return
	}
	charID, ok := pathID(r, "character_id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	if !s.readForm(w, r) {
		return
	}
	errs := &catalog.ValidationError{}
	person := optional(strings.TrimSpace(r.PostForm.Get("person_id")), parseID, "person_id", errs)
	role := r.PostForm.Get("role")
	upd := catalog.CharacterUpdate{Role: &role}
	errs.Merge(upd.Validate())
	err := errs.Err()
	if err == nil {
		_, err = s.store.UpdateCastMember(r.Context(), m.ID, charID, catalog.CastUpdate{PersonID: person})
	}
	if err == nil {
		_, err = s.store.UpdateCharacter(r.Context(), charID, upd)
	}
	s.finish(w, r, err, fmt.Sprintf("update cast %d of movie %d", charID, m.ID), func(castErrs map[string]string) {
		s.renderMovieForm(w, r, http.StatusUnprocessableEntity, m, nil, nil, castErrs)
	}, fmt.Sprintf("/movies/%d/edit#cast", m.ID))
}

// removeCast takes a character out of the movie's cast.
func (s *server) removeCast(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	charID, ok2 := pathID(r, "character_id")
	if !ok1 || !ok2 {
		s.errorPage(w, r, http.StatusNotFound, "")
		return
	}
	if err := s.store.RemoveCastMember(r.Context(), id, charID); err != nil {
		s.fail(w, r, fmt.Errorf("remove cast %d of movie %d: %w", charID, id, err))
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/movies/%d/edit#cast", id), http.StatusSeeOther)
}
