package blob

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// Local keeps objects as files under a folder. All file access goes
// through an os.Root, so no key, symlink or race can reach outside it.
type Local struct {
	root *os.Root
}

var _ Store = (*Local)(nil)

// tmpPrefix begins the names of files being written; List skips them and
// no key can begin a segment with it (keys have no capital letters).
const tmpPrefix = ".Tmp-"

// OpenLocal returns a store keeping objects under dir, which is created
// if missing.
func OpenLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("blob: file: empty folder path")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("blob: create storage folder: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: open storage folder: %w", err)
	}
	return &Local{root: root}, nil
}

// Close releases the folder.
func (l *Local) Close() error { return l.root.Close() }

// Put writes r to a temporary file beside the object and renames it into
// place, so readers never see a partial object.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	dir := path.Dir(key)
	if err := l.root.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	tmp := path.Join(dir, tmpPrefix+rand.Text())
	f, err := l.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	_, err = io.Copy(f, contextReader{ctx, r})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = l.root.Rename(tmp, key)
	}
	if err != nil {
		l.root.Remove(tmp)
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	return nil
}

// Open opens the file of key; its Body is an *os.File, which seeks.
func (l *Local) Open(ctx context.Context, key string) (*Object, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	f, err := l.root.Open(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("blob: open %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = ErrNotFound
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	return &Object{Body: f, Info: Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}}, nil
}

// Delete removes the file of key.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := l.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	return nil
}

// List walks the folder.
func (l *Local) List(ctx context.Context, prefix string, fn func(Info) error) error {
	err := fs.WalkDir(l.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() || strings.HasPrefix(d.Name(), tmpPrefix) || !strings.HasPrefix(p, prefix) {
			return nil
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		return fn(Info{Key: p, Size: st.Size(), ModTime: st.ModTime()})
	})
	if err != nil {
		return fmt.Errorf("blob: list %q: %w", prefix, err)
	}
	return nil
}

// URL returns "": moviedb serves local files itself.
func (l *Local) URL(ctx context.Context, key string) (string, bool, error) {
	return "", false, CheckKey(key)
}

// contextReader stops reading once ctx is done, so a canceled upload stops
// writing.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
