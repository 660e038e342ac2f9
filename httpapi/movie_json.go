package httpapi

import (
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// fileJSON is a file object: a row of img_files as clients see it, with
// where its thumbnails are (null for an external file).
type fileJSON struct {
	ID         int64           `json:"id"`
	FileName   string          `json:"file_name"`
	MimeType   string          `json:"mime_type"`
	Key        string          `json:"key"`
	URL        string          `json:"url"`
	Thumbnails *thumbnailsJSON `json:"thumbnails"`
}

// thumbnailsJSON tells where a file's thumbnails are: URL with {width}
// replaced by one of Widths.
type thumbnailsJSON struct {
	URL    string `json:"url"`
	Widths []int  `json:"widths"`
}

// newFileJSON returns f as a file object, or nil (null) for no file. Its
// url is the url column, written at upload as a permanent URL (never a
// presigned one, which would expire in cached details); thumbnails follow
// the configured base URL.
func (s *server) newFileJSON(f *catalog.File) *fileJSON {
	if f == nil {
		return nil
	}
	out := &fileJSON{ID: f.ID, FileName: f.FileName, MimeType: f.MimeType, Key: f.Key, URL: f.URL}
	if s.media != nil {
		if url, ok := s.media.ThumbnailTemplate(f); ok {
			out.Thumbnails = &thumbnailsJSON{URL: url, Widths: catalog.ThumbnailWidths}
		}
	}
	return out
}

// personSummaryJSON names a person with their primary photo, as a movie's
// director or a cast member's actor.
type personSummaryJSON struct {
	ID        int64     `json:"id"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	Photo     *fileJSON `json:"photo"`
}

func (s *server) newPersonSummaryJSON(p *catalog.PersonSummary) *personSummaryJSON {
	if p == nil {
		return nil
	}
	return &personSummaryJSON{ID: p.ID, FirstName: p.FirstName, LastName: p.LastName, Photo: s.newFileJSON(p.Photo)}
}

// movieSummaryJSON is a movie as lists show it: its columns, with its poster
// and director as objects instead of ids. The budget is a decimal string
// and the release date YYYY-MM-DD, both null when unknown.
type movieSummaryJSON struct {
	ID          int64              `json:"id"`
	Title       string             `json:"title"`
	Description *string            `json:"description"`
	Budget      *catalog.Money     `json:"budget"`
	ReleaseDate *catalog.Date      `json:"release_date"`
	Duration    *int               `json:"duration"`
	CountryID   *int64             `json:"country_id"`
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	Poster      *fileJSON          `json:"poster"`
	Director    *personSummaryJSON `json:"director"`
}

func (s *server) newMovieSummaryJSON(m *catalog.MovieSummary) movieSummaryJSON {
	return movieSummaryJSON{
		ID:          m.ID,
		Title:       m.Title,
		Description: m.Description,
		Budget:      m.Budget,
		ReleaseDate: m.ReleaseDate,
		Duration:    m.Duration,
		CountryID:   m.CountryID,
		CreatedAt:   m.CreatedAt.UTC(),
		UpdatedAt:   m.UpdatedAt.UTC(),
		Poster:      s.newFileJSON(m.Poster),
		Director:    s.newPersonSummaryJSON(m.Director),
	}
}
