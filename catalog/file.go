package catalog

import "time"

// A File is a stored image (a row of img_files): a poster, a person's photo
// or a user's avatar. Key names the object in storage; URL is where a client
// fetches it.
type File struct {
	ID        int64
	FileName  string
	MimeType  string
	Key       string
	URL       string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FileFilter selects files to list.
type FileFilter struct {
	Page Page
}

// FileUpdate holds the fields of a file to change; nil means unchanged.
// The key never changes: it names the stored object.
type FileUpdate struct {
	FileName *string
	URL      *string
}
