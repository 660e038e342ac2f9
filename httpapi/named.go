package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// Countries and genres are each only a name, unique without regard to case,
// and have the same five routes; namedResource serves both.

// namedJSON is a country or a genre as clients see it.
type namedJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// nameInput is the body that creates a country or a genre.
type nameInput struct {
	Name string `json:"name"`
}

// namePatch is the body that changes a country or a genre.
type namePatch struct {
	Name optional[string] `json:"name"`
}

// name returns the new name a PATCH sets, normalised, nil when it leaves
// it alone, or a *catalog.ValidationError: a name cannot be null, and
// follows the rules of catalog.ValidateName.
func (p *namePatch) name() (*string, error) {
	v := &catalog.ValidationError{}
	name := nonNull(v, "name", p.Name)
	if name != nil {
		v.Merge(catalog.ValidateName(name))
	}
	return name, v.Err()
}

// A namedResource is the store's side of countries or of genres. Its
// functions call the store when a request comes, not before: a server may
// be built without one, for tests of its middleware.
type namedResource[T any] struct {
	noun   string // "country", for error contexts
	path   string // "/api/v1/countries", for Location headers
	list   func(ctx context.Context, page catalog.Page) (catalog.List[T], error)
	create func(ctx context.Context, name string) (*T, error)
	byID   func(ctx context.Context, id int64) (*T, error)
	rename func(ctx context.Context, id int64, name string) (*T, error)
	remove func(ctx context.Context, id int64) error
	// forceRemove, when set, deletes one even while it is in use; the
	// client asks for it with force=true. Nil: a delete cannot be forced.
	forceRemove func(ctx context.Context, id int64) error
	toJSON      func(*T) namedJSON
}

// routes lists the five routes of the resource: reads public, writes admin.
func (n namedResource[T]) routes(s *server) []route {
	return []route{
		{"GET " + n.path, publicAccess, handle(n.listHandler(s))},
		{"POST " + n.path, adminAccess, handle(n.createHandler(s))},
		{"GET " + n.path + "/{id}", publicAccess, handle(n.getHandler(s))},
		{"PATCH " + n.path + "/{id}", adminAccess, handle(n.patchHandler(s))},
		{"DELETE " + n.path + "/{id}", adminAccess, handle(n.deleteHandler(s))},
	}
}

// listHandler answers a page of the resource, ordered by name.
func (n namedResource[T]) listHandler(s *server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		servePage(s, w, r, "list "+n.noun, n.list, n.toJSON)
	}
}

// createHandler adds one under its normalised name (catalog.NormalizeName);
// a name taken in any case is a 409.
func (n namedResource[T]) createHandler(s *server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in nameInput
		if err := readJSON(w, r, &in); err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := catalog.ValidateName(&in.Name); err != nil {
			s.writeError(w, r, err)
			return
		}
		item, err := n.create(r.Context(), in.Name)
		if err != nil {
			s.writeError(w, r, fmt.Errorf("create %s: %w", n.noun, err))
			return
		}
		body := n.toJSON(item)
		w.Header().Set("Location", fmt.Sprintf("%s/%d", n.path, body.ID))
		s.writeJSON(w, r, http.StatusCreated, body)
	}
}

// getHandler answers one.
func (n namedResource[T]) getHandler(s *server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		item, err := n.byID(r.Context(), id)
		if err != nil {
			s.writeError(w, r, fmt.Errorf("get %s: %w", n.noun, err))
			return
		}
		s.writeJSON(w, r, http.StatusOK, n.toJSON(item))
	}
}

// patchHandler renames one; a body without a name changes nothing.
func (n namedResource[T]) patchHandler(s *server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		var in namePatch
		if err := readJSON(w, r, &in); err != nil {
			s.writeError(w, r, err)
			return
		}
		name, err := in.name()
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		var item *T
		if name == nil {
			item, err = n.byID(r.Context(), id)
		} else {
			item, err = n.rename(r.Context(), id, *name)
		}
		if err != nil {
			s.writeError(w, r, fmt.Errorf("update %s %d: %w", n.noun, id, err))
			return
		}
		s.writeJSON(w, r, http.StatusOK, n.toJSON(item))
	}
}

// deleteHandler deletes one. One still in use (a country a movie or a
// person refers to, a genre a movie has) is a 409 and stays. A genre's
// delete can be forced with force=true: its movies lose it. A delete that
// can be forced reads its query as lists do: force with another value, or
// any other parameter, is a 400.
func (n namedResource[T]) deleteHandler(s *server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		remove := n.remove
		if n.forceRemove != nil {
			q, err := parseQuery(r)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			force := q.flag("force")
			if err := q.err(); err != nil {
				s.writeError(w, r, err)
				return
			}
			if force {
				remove = n.forceRemove
			}
		}
		serveDelete(s, w, r, n.noun, remove)
	}
}

// countries is the store's side of /api/v1/countries.
func (s *server) countries() namedResource[catalog.Country] {
	return namedResource[catalog.Country]{
		noun: "country",
		path: "/api/v1/countries",
		list: func(ctx context.Context, page catalog.Page) (catalog.List[catalog.Country], error) {
			return s.store.ListCountries(ctx, catalog.CountryFilter{Page: page})
		},
		create: func(ctx context.Context, name string) (*catalog.Country, error) {
			c := &catalog.Country{Name: name}
			return c, s.store.CreateCountry(ctx, c)
		},
		byID: func(ctx context.Context, id int64) (*catalog.Country, error) {
			return s.store.CountryByID(ctx, id)
		},
		rename: func(ctx context.Context, id int64, name string) (*catalog.Country, error) {
			return s.store.UpdateCountry(ctx, id, catalog.CountryUpdate{Name: &name})
		},
		remove: func(ctx context.Context, id int64) error { return s.store.DeleteCountry(ctx, id) },
		toJSON: func(c *catalog.Country) namedJSON {
			return namedJSON{ID: c.ID, Name: c.Name, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
		},
	}
}

// genres is the store's side of /api/v1/genres.
func (s *server) genres() namedResource[catalog.Genre] {
	return namedResource[catalog.Genre]{
		noun: "genre",
		path: "/api/v1/genres",
		list: func(ctx context.Context, page catalog.Page) (catalog.List[catalog.Genre], error) {
			return s.store.ListGenres(ctx, catalog.GenreFilter{Page: page})
		},
		create: func(ctx context.Context, name string) (*catalog.Genre, error) {
			g := &catalog.Genre{Name: name}
			return g, s.store.CreateGenre(ctx, g)
		},
		byID: func(ctx context.Context, id int64) (*catalog.Genre, error) {
			return s.store.GenreByID(ctx, id)
		},
		rename: func(ctx context.Context, id int64, name string) (*catalog.Genre, error) {
			return s.store.UpdateGenre(ctx, id, catalog.GenreUpdate{Name: &name})
		},
		remove:      func(ctx context.Context, id int64) error { return s.store.DeleteGenre(ctx, id) },
		forceRemove: func(ctx context.Context, id int64) error { return s.store.ForceDeleteGenre(ctx, id) },
		toJSON: func(g *catalog.Genre) namedJSON {
			return namedJSON{ID: g.ID, Name: g.Name, CreatedAt: g.CreatedAt.UTC(), UpdatedAt: g.UpdatedAt.UTC()}
		},
	}
}
