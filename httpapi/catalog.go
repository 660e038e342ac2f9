package httpapi

import "github.com/moviedb/moviedb/catalog"

// catalogRoutes lists the routes of the catalog besides movies: countries,
// genres, characters and persons.
func (s *server) catalogRoutes() []route {
	return []route{
		{"GET /api/v1/countries", publicAccess, handle(s.listCountries)},
		{"POST /api/v1/countries", adminAccess, handle(s.createCountry)},
		{"GET /api/v1/countries/{id}", publicAccess, handle(s.getCountry)},
		{"PATCH /api/v1/countries/{id}", adminAccess, handle(s.patchCountry)},
		{"DELETE /api/v1/countries/{id}", adminAccess, handle(s.deleteCountry)},

		{"GET /api/v1/genres", publicAccess, handle(s.listGenres)},
		{"POST /api/v1/genres", adminAccess, handle(s.createGenre)},
		{"GET /api/v1/genres/{id}", publicAccess, handle(s.getGenre)},
		{"PATCH /api/v1/genres/{id}", adminAccess, handle(s.patchGenre)},
		{"DELETE /api/v1/genres/{id}", adminAccess, handle(s.deleteGenre)},

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
	}
}

// today returns the current date in UTC, which dates in input are checked
// against.
func (s *server) today() catalog.Date { return catalog.DateOf(s.now().UTC()) }
