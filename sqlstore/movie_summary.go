package sqlstore

import (
	"database/sql"
	"strings"

	"github.com/moviedb/moviedb/catalog"
)

// summaryColumns and summaryJoins select a movie with its poster and its
// director with the director's primary photo, in one query: lists never
// look these up movie by movie. The movie table must be aliased m.
var summaryColumns = prefixed("m", movieColumns) + `,
	pf.id, pf.file_name, pf.mime_type, pf.key, pf.url,
	d.id, d.first_name, d.last_name,
	dpf.id, dpf.file_name, dpf.mime_type, dpf.key, dpf.url`

const summaryJoins = `
	LEFT JOIN img_files pf ON pf.id = m.poster_file_id
	LEFT JOIN persons d ON d.id = m.director_id
	LEFT JOIN person_photo dpp ON dpp.person_id = d.id AND dpp.is_primary
	LEFT JOIN img_files dpf ON dpf.id = dpp.file_id`

// nullFile scans the five columns of a file object from an outer join.
type nullFile struct {
	id                        sql.NullInt64
	name, mime, key, location sql.NullString
}

func (f *nullFile) dest() []any {
	return []any{&f.id, &f.name, &f.mime, &f.key, &f.location}
}

func (f *nullFile) file() *catalog.File {
	if !f.id.Valid {
		return nil
	}
	return &catalog.File{ID: f.id.Int64, FileName: f.name.String, MimeType: f.mime.String, Key: f.key.String, URL: f.location.String}
}

// scanSummary scans summaryColumns, then extra.
func scanSummary(row interface{ Scan(...any) error }, extra ...any) (*catalog.MovieSummary, error) {
	var (
		poster, photo nullFile
		directorID    sql.NullInt64
		first, last   sql.NullString
	)
	dest := poster.dest()
	dest = append(dest, &directorID, &first, &last)
	dest = append(dest, photo.dest()...)
	m, err := scanMovie(row, append(dest, extra...)...)
	if err != nil {
		return nil, err
	}
	sum := &catalog.MovieSummary{Movie: *m, Poster: poster.file()}
	if directorID.Valid {
		sum.Director = &catalog.PersonSummary{ID: directorID.Int64, FirstName: first.String, LastName: last.String, Photo: photo.file()}
	}
	return sum, nil
}

// summaryQuery returns "SELECT summaryColumns[, extra] FROM movies m joins".
func summaryQuery(extraColumns ...string) string {
	cols := summaryColumns
	if len(extraColumns) > 0 {
		cols += ", " + strings.Join(extraColumns, ", ")
	}
	return "SELECT " + cols + " FROM movies m" + summaryJoins
}
