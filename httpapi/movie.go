package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// movieRoutes lists the routes of /api/v1/movies and what hangs under it:
// genre links and cast.
func (s *server) movieRoutes() []route {
	return []route{
		{"GET /api/v1/movies", publicAccess, handle(s.listMovies)},
		{"POST /api/v1/movies", adminAccess, handle(s.createMovie)},
		{"GET /api/v1/movies/{id}", publicAccess, handle(s.getMovie)},
		{"PATCH /api/v1/movies/{id}", adminAccess, handle(s.patchMovie)},
		{"DELETE /api/v1/movies/{id}", adminAccess, handle(s.deleteMovie)},

		{"PUT /api/v1/movies/{id}/genres/{genre_id}", adminAccess, handle(s.putMovieGenre)},
		{"DELETE /api/v1/movies/{id}/genres/{genre_id}", adminAccess, handle(s.deleteMovieGenre)},

		{"GET /api/v1/movies/{id}/cast", publicAccess, handle(s.listCast)},
		{"POST /api/v1/movies/{id}/cast", adminAccess, handle(s.addCast)},
		{"PATCH /api/v1/movies/{id}/cast/{character_id}", adminAccess, handle(s.patchCast)},
		{"DELETE /api/v1/movies/{id}/cast/{character_id}", adminAccess, handle(s.deleteCast)},
	}
}

// movieDetailJSON is a movie with everything its page shows: the body of
// GET /movies/{id} and of the answers to POST and PATCH.
type movieDetailJSON struct {
	movieSummaryJSON
	DirectorID     *int64          `json:"director_id"`
	PosterFileID   *int64          `json:"poster_file_id"`
	Country        *nameRefJSON    `json:"country"`
	Genres         []nameRefJSON   `json:"genres"`
	Cast           []castEntryJSON `json:"cast"`
	FavoritesCount int             `json:"favorites_count"`
}

// nameRefJSON names a movie's country or one of its genres.
type nameRefJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// castEntryJSON is a character of a movie's cast with who plays it: actor
// is null when nobody known does.
type castEntryJSON struct {
	Character roleCharacterJSON  `json:"character"`
	Actor     *personSummaryJSON `json:"actor"`
}

func (s *server) newCastEntryJSON(e *catalog.CastEntry) castEntryJSON {
	c := e.Character
	return castEntryJSON{
		Character: roleCharacterJSON{ID: c.ID, Name: c.Name, Role: c.Role, Description: c.Description},
		Actor:     s.newPersonSummaryJSON(e.Actor),
	}
}

func (s *server) newMovieDetailJSON(d *catalog.MovieDetail) movieDetailJSON {
	out := movieDetailJSON{
		movieSummaryJSON: s.newMovieSummaryJSON(&catalog.MovieSummary{Movie: d.Movie, Poster: d.Poster, Director: d.Director}),
		DirectorID:       d.DirectorID,
		PosterFileID:     d.PosterFileID,
		Genres:           make([]nameRefJSON, len(d.Genres)),
		Cast:             make([]castEntryJSON, len(d.Cast)),
		FavoritesCount:   d.FavoritesCount,
	}
	if d.Country != nil {
		out.Country = &nameRefJSON{ID: d.Country.ID, Name: d.Country.Name}
	}
	for i, g := range d.Genres {
		out.Genres[i] = nameRefJSON{ID: g.ID, Name: g.Name}
	}
	for i := range d.Cast {
		out.Cast[i] = s.newCastEntryJSON(&d.Cast[i])
	}
	return out
}

// maxGenreIDs bounds the genre_ids of a new movie; no movie has that many.
const maxGenreIDs = 100

// movieInput is the body that creates a movie, optionally with its genres.
// The budget and release date are read as strings so that a malformed one
// is a 422 naming the field, as other rules are.
type movieInput struct {
	Title        string  `json:"title"`
	Description  *string `json:"description"`
	Budget       *string `json:"budget"`
	ReleaseDate  *string `json:"release_date"`
	Duration     *int    `json:"duration"`
	DirectorID   *int64  `json:"director_id"`
	CountryID    *int64  `json:"country_id"`
	PosterFileID *int64  `json:"poster_file_id"`
	GenreIDs     []int64 `json:"genre_ids"`
}

// movie returns the new movie in, checked by the rules of day today.
func (in *movieInput) movie(today catalog.Date) (*catalog.Movie, error) {
	v := &catalog.ValidationError{}
	m := &catalog.Movie{
		Title:        in.Title,
		Description:  in.Description,
		Duration:     in.Duration,
		DirectorID:   in.DirectorID,
		CountryID:    in.CountryID,
		PosterFileID: in.PosterFileID,
	}
	if in.Budget != nil {
		m.Budget = parseMoneyField(v, "budget", *in.Budget)
	}
	if in.ReleaseDate != nil {
		m.ReleaseDate = parseDateField(v, "release_date", *in.ReleaseDate)
	}
	if len(in.GenreIDs) > maxGenreIDs {
		v.Add("genre_ids", fmt.Sprintf("must have at most %d ids", maxGenreIDs))
	}
	for _, id := range in.GenreIDs {
		if id < 1 {
			v.Add("genre_ids", "must hold positive ids")
		}
	}
	v.Merge(m.Validate(today))
	return m, v.Err()
}

// parseMoneyField parses a decimal amount of field, or records why it
// cannot and returns nil.
func parseMoneyField(v *catalog.ValidationError, field, s string) *catalog.Money {
	m, err := catalog.ParseMoney(s)
	if err != nil {
		v.Add(field, fmt.Sprintf("must be a decimal string from 0 to %s with at most 2 decimal places, such as \"1500000.00\"", catalog.MaxMoney))
		return nil
	}
	return &m
}

// moviePatch is the body that changes a movie.
type moviePatch struct {
	Title        optional[string] `json:"title"`
	Description  optional[string] `json:"description"`
	Budget       optional[string] `json:"budget"`
	ReleaseDate  optional[string] `json:"release_date"`
	Duration     optional[int]    `json:"duration"`
	DirectorID   optional[int64]  `json:"director_id"`
	CountryID    optional[int64]  `json:"country_id"`
	PosterFileID optional[int64]  `json:"poster_file_id"`
}

// update returns the catalog update of p, checked by the rules of day today.
func (p *moviePatch) update(today catalog.Date) (catalog.MovieUpdate, error) {
	v := &catalog.ValidationError{}
	upd := catalog.MovieUpdate{
		Title:        nonNull(v, "title", p.Title),
		Description:  nullable(p.Description),
		Budget:       nullableParsed(v, "budget", p.Budget, parseMoneyField),
		ReleaseDate:  nullableParsed(v, "release_date", p.ReleaseDate, parseDateField),
		Duration:     nullable(p.Duration),
		DirectorID:   nullable(p.DirectorID),
		CountryID:    nullable(p.CountryID),
		PosterFileID: nullable(p.PosterFileID),
	}
	v.Merge(upd.Validate(today))
	return upd, v.Err()
}

// nullableParsed is nullable for a column whose value travels as a string:
// parse turns the string into the value, or records in v why it cannot.
func nullableParsed[T any](v *catalog.ValidationError, field string, o optional[string],
	parse func(v *catalog.ValidationError, field, s string) *T) *catalog.Nullable[T] {
	switch {
	case !o.Set:
		return nil
	case o.Null:
		return catalog.Clear[T]()
	}
	// A value that does not parse is recorded in v, which the caller
	// checks before using the update.
	return &catalog.Nullable[T]{Value: parse(v, field, o.Value)}
}

// createMovie adds a movie, with the genres genre_ids lists, and answers its
// detail.
func (s *server) createMovie(w http.ResponseWriter, r *http.Request) {
	var in movieInput
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := in.movie(s.today())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.CreateMovieWithGenres(r.Context(), m, in.GenreIDs); err != nil {
		s.writeError(w, r, fmt.Errorf("create movie: %w", err))
		return
	}
	d, err := s.store.MovieDetail(r.Context(), m.ID)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("create movie: %w", err))
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/movies/%d", m.ID))
	s.writeTaggedJSON(w, r, http.StatusCreated, s.newMovieDetailJSON(d))
}

// getMovie answers a movie's detail with its ETag, or 304 when the client's
// copy is current. With the detail cache on, it first reads the movie's
// detail version (batched with concurrent requests) and answers the
// rendered detail kept for that version, if any; only otherwise does it
// read the detail.
func (s *server) getMovie(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.details == nil {
		d, err := s.store.MovieDetail(r.Context(), id)
		if err != nil {
			s.writeError(w, r, fmt.Errorf("get movie: %w", err))
			return
		}
		s.writeTaggedJSON(w, r, http.StatusOK, s.newMovieDetailJSON(d))
		return
	}
	// The token is read before anything else: whatever is read after it
	// is at least as new, so an entry read or checked now is current at
	// that token.
	token, hasToken, err := s.store.ChangeToken(r.Context())
	if err != nil {
		s.writeError(w, r, fmt.Errorf("get movie: %w", err))
		return
	}
	if hasToken {
		if e, ok := s.details.fresh(id, token); ok {
			s.writeCachedDetail(w, r, e)
			return
		}
	}
	v, err := s.versions.version(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("get movie: %w", err))
		return
	}
	if e, ok := s.details.get(id, v); ok {
		if hasToken {
			s.details.confirm(id, v, token)
		}
		s.writeCachedDetail(w, r, e)
		return
	}
	d, err := s.store.MovieDetail(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("get movie: %w", err))
		return
	}
	body, err := encodeBody(s.newMovieDetailJSON(d))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// Kept under the version read in the detail's own snapshot, not v: a
	// write committed in between changed both, so a body is never kept
	// under a version it does not show.
	e := newDetailEntry(d.Version, body, token, hasToken)
	s.details.put(id, e)
	s.writeCachedDetail(w, r, e)
}

// patchMovie changes the fields of a movie the body has. With If-Match, it
// changes them only if the movie's detail still has that ETag, and only if
// nobody changes the movie between that check and the write.
func (s *server) patchMovie(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var in moviePatch
	if err := readJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	upd, err := in.update(s.today())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	changes := upd != (catalog.MovieUpdate{})
	patchDetail(s, w, r, s.taggedMovie(id), changes, func(ctx context.Context, ifUpdatedAt *time.Time) error {
		upd.IfUpdatedAt = ifUpdatedAt
		_, err := s.store.UpdateMovie(ctx, id, upd)
		return err
	})
}

// deleteMovie deletes a movie with its genre links, cast rows and
// favorites; its characters, director and poster stay. With If-Match, only
// if its detail still has that ETag, and only if nobody changes the movie
// between that check and the delete.
func (s *server) deleteMovie(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	deleteDetail(s, w, r, s.taggedMovie(id), func(ctx context.Context, ifUpdatedAt *time.Time) error {
		return s.store.DeleteMovieIf(ctx, id, ifUpdatedAt)
	})
}

// taggedMovie reads movie id's detail for If-Match: its ETag is that of the
// detail GET answers.
func (s *server) taggedMovie(id int64) taggedDetail[*catalog.MovieDetail, movieDetailJSON] {
	return taggedDetail[*catalog.MovieDetail, movieDetailJSON]{
		what:      fmt.Sprintf("movie %d", id),
		read:      func(ctx context.Context) (*catalog.MovieDetail, error) { return s.store.MovieDetail(ctx, id) },
		render:    s.newMovieDetailJSON,
		updatedAt: func(d *catalog.MovieDetail) time.Time { return d.UpdatedAt },
	}
}

// pathNotFound returns the 404 notFound when err is the store's
// *catalog.ValidationError on field: a reference taken from the request's
// path that names no row is a resource that does not exist, not bad input.
// Other errors come back unchanged.
func pathNotFound(err error, field string, notFound error) error {
	var invalid *catalog.ValidationError
	if errors.As(err, &invalid) && invalid.Fields[field] != "" {
		return notFound
	}
	return err
}
