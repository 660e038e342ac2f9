package media

import (
	"context"
	"fmt"
	"time"

	"github.com/moviedb/moviedb/blob"
	"github.com/moviedb/moviedb/catalog"
)

// A GCReport lists what garbage collection found (and, when asked,
// deleted): objects without a row, and rows of stored files without an
// object.
type GCReport struct {
	// Objects are keys of objects no row refers to: originals without a
	// row, and thumbnails whose original has none.
	Objects []string
	// Rows are files whose object is missing.
	Rows []catalog.File
}

// DefaultGCMinAge is how old an object without a row must be before gc
// counts it: an upload in progress has its object stored a moment before
// its row.
const DefaultGCMinAge = time.Hour

// gcBatch is how many keys gc looks up in the database at once.
const gcBatch = 500

// GC finds objects without rows (older than minAge) and rows of stored
// files without objects; with del it deletes them, rows through the store
// so that posters, avatars and photos referring to them are cleared as
// when a file is deleted. External files are never looked at.
func (s *Service) GC(ctx context.Context, minAge time.Duration, del bool) (*GCReport, error) {
	rep := &GCReport{Objects: []string{}, Rows: []catalog.File{}}
	cutoff := s.now().Add(-minAge)
	stored := map[string]bool{}
	// Objects: look up the keys of originals (and of the originals of
	// thumbnails) in batches.
	var batch []blob.Info
	flush := func() error {
		keys := make([]string, 0, len(batch))
		for _, i := range batch {
			keys = append(keys, rowKeyOf(i.Key))
		}
		found, err := s.store.FileKeysExist(ctx, keys)
		if err != nil {
			return err
		}
		for _, i := range batch {
			if !found[rowKeyOf(i.Key)] && i.ModTime.Before(cutoff) {
				rep.Objects = append(rep.Objects, i.Key)
			}
		}
		batch = batch[:0]
		return nil
	}
	err := s.blob.List(ctx, "", func(i blob.Info) error {
		if _, isThumb := originalOf(i.Key); !isThumb {
			stored[i.Key] = true
		}
		batch = append(batch, i)
		if len(batch) == gcBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, fmt.Errorf("media: gc: objects: %w", err)
	}
	// Rows: walk them all by id.
	for after := int64(0); ; {
		files, err := s.store.FilesAfter(ctx, after, gcBatch)
		if err != nil {
			return nil, fmt.Errorf("media: gc: rows: %w", err)
		}
		if len(files) == 0 {
			break
		}
		for _, f := range files {
			if !catalog.IsExternalKey(f.Key) && !stored[f.Key] {
				rep.Rows = append(rep.Rows, f)
			}
		}
		after = files[len(files)-1].ID
	}
	if !del {
		return rep, nil
	}
	for _, k := range rep.Objects {
		if err := s.blob.Delete(ctx, k); err != nil {
			return rep, fmt.Errorf("media: gc: %w", err)
		}
	}
	for _, f := range rep.Rows {
		if err := s.store.DeleteFile(ctx, f.ID); err != nil && !isNotFound(err) {
			return rep, fmt.Errorf("media: gc: %w", err)
		}
	}
	return rep, nil
}

// rowKeyOf returns the key of the row an object belongs to: its own, or
// its original's for a thumbnail.
func rowKeyOf(key string) string {
	if orig, ok := originalOf(key); ok {
		return orig
	}
	return key
}
