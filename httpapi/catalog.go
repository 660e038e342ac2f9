package httpapi

import (
	"slices"

	"github.com/moviedb/moviedb/catalog"
)

// catalogRoutes lists the routes of the catalog besides movies: countries,
// genres, characters and persons.
func (s *server) catalogRoutes() []route {
	return append(slices.Concat(s.countries().routes(s), s.genres().routes(s)), []route{
		{"GET /api/v1/characters", publicAccess, handle(s.listCharacters)},
		{"POST /api/v1/characters", adminAccess, handle(s.createCharacter)},
		{"GET /api/v1/characters/{id}", publicAccess, handle(s.getCharacter)},
		{"PATCH /api/v1/characters/{id}", adminAccess, handle(s.patchCharacter)},
		{"DELETE /api/v1/characters/{id}", adminAccess, handle(s.deleteCharacter)},

		{"GET /api/v1/persons", publicAccess, handle(s.listPersons)},
		{"POST /api/v1/persons", adminAccess, handle(s.createPerson)},
		{"GET /api/v1/persons/{id}", publicAccess, handle(s.getPerson)},
		{"PATCH /api/v1/persons/{id}", adminAccess, handle(s.patchPerson)},
		{"DELETE /api/v1/persons/{id}", adminAccess, handle(s.deletePerson)},
		{"GET /api/v1/persons/{id}/directed", publicAccess, handle(s.listDirected)},
		{"GET /api/v1/persons/{id}/played", publicAccess, handle(s.listPlayed)},
	}...)
}

// today returns the current date in UTC, which dates in input are checked
// against.
func (s *server) today() catalog.Date { return catalog.DateOf(s.now().UTC()) }
