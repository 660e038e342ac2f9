package catalog

// An ImportMovie is one movie read from a data set, with everything it links
// to named by natural keys: the store matches or creates the persons,
// genres, country and poster, and writes the movie whole or not at all.
type ImportMovie struct {
	// Source names the data set ("wikipedia", "imdb", …) and ExternalID the
	// movie within it; together they make importing again add nothing.
	Source     string
	ExternalID string
	Line       int // where the record starts in its file, for messages

	Title       string
	Description *string
	ReleaseDate *Date
	Duration    *int
	Budget      *Money
	Director    *ImportPerson
	Country     string // "" when unknown
	Genres      []string
	Cast        []ImportCast // in billing order
	PosterURL   string       // "" when none
}

// An ImportPerson names a person of a data set. With an ExternalID (an IMDb
// nconst) the person is matched by it, so namesakes stay apart; otherwise
// by first and last name, ignoring case.
type ImportPerson struct {
	FirstName   string
	LastName    string
	ExternalID  string
	DateOfBirth *Date
}

// An ImportCast is a character of an imported movie and who plays it.
type ImportCast struct {
	Person      ImportPerson
	Character   string
	Description *string
	Role        string
}

// ImportCount counts the rows of one kind an import created, matched to
// existing rows, or skipped.
type ImportCount struct {
	Created, Matched, Skipped int
}

// Add adds c2 to c.
func (c *ImportCount) Add(c2 ImportCount) {
	c.Created += c2.Created
	c.Matched += c2.Matched
	c.Skipped += c2.Skipped
}

// ImportStats counts what an import did, per kind of row.
type ImportStats struct {
	Movies, Persons, Characters, Genres, Countries, Files ImportCount
	// Links counts the genre links and cast rows created.
	Links int
}

// Add adds s2 to s.
func (s *ImportStats) Add(s2 ImportStats) {
	s.Movies.Add(s2.Movies)
	s.Persons.Add(s2.Persons)
	s.Characters.Add(s2.Characters)
	s.Genres.Add(s2.Genres)
	s.Countries.Add(s2.Countries)
	s.Files.Add(s2.Files)
	s.Links += s2.Links
}

// Rows returns the number of rows created.
func (s *ImportStats) Rows() int {
	return s.Movies.Created + s.Persons.Created + s.Characters.Created + s.Genres.Created +
		s.Countries.Created + s.Files.Created + s.Links
}

// NormalizeNames puts every name of m in the form the catalog keeps them
// in (NormalizeName), as validation does for the API's and the web
// pages' writes: the title, the country, the genres (dropping any left
// blank), the director's and actors' names and the characters' names. A
// field is written only when it changes, so that a name already in form,
// perhaps shared with another movie, is left alone.
func (m *ImportMovie) NormalizeNames() {
	normalize(&m.Title)
	normalize(&m.Country)
	blank := false
	for i := range m.Genres {
		normalize(&m.Genres[i])
		blank = blank || m.Genres[i] == ""
	}
	if blank {
		genres := make([]string, 0, len(m.Genres))
		for _, g := range m.Genres {
			if g != "" {
				genres = append(genres, g)
			}
		}
		m.Genres = genres
	}
	if m.Director != nil {
		normalize(&m.Director.FirstName)
		normalize(&m.Director.LastName)
	}
	for i := range m.Cast {
		normalize(&m.Cast[i].Person.FirstName)
		normalize(&m.Cast[i].Person.LastName)
		normalize(&m.Cast[i].Character)
	}
}

// normalize sets *s to NormalizeName(*s) when that differs.
func normalize(s *string) {
	if n := NormalizeName(*s); n != *s {
		*s = n
	}
}
