package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"path"
	"runtime"
	"strings"

	"golang.org/x/image/draw"

	"github.com/moviedb/moviedb/blob"
	"github.com/moviedb/moviedb/catalog"
)

// maxThumbSide bounds the side a thumbnail is not asked for, which an
// extreme aspect ratio could otherwise make enormous.
const maxThumbSide = 4 * 780

func thumbConcurrency() int { return max(1, runtime.GOMAXPROCS(0)) }

// thumbPrefix is the folder of key's thumbnails: they are stored beside
// the original, under "thumbs/" + key + "/", so deleting a file finds
// them all with one listing.
func thumbPrefix(key string) string { return "thumbs/" + key + "/" }

// ThumbKey returns the key of the thumbnail of key that is width wide
// and height high (either may be 0 for "to scale"), e.g.
// "thumbs/posters/2026/11/abc.jpg/w185.jpg". Thumbnails of PNG and GIF
// images are PNG (they may be transparent); the others are JPEG.
func ThumbKey(key string, width, height int) string {
	var name string
	if width > 0 {
		name += fmt.Sprintf("w%d", width)
	}
	if height > 0 {
		name += fmt.Sprintf("h%d", height)
	}
	return thumbPrefix(key) + name + thumbExt(key)
}

func thumbExt(key string) string {
	switch path.Ext(key) {
	case ".png", ".gif":
		return ".png"
	}
	return ".jpg"
}

// originalOf returns the key of the original a thumbnail key belongs to,
// and whether key is a thumbnail key at all.
func originalOf(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "thumbs/")
	if !ok {
		return "", false
	}
	i := strings.LastIndex(rest, "/")
	if i < 0 {
		return "", false
	}
	return rest[:i], true
}

// thumbSize returns the size of the thumbnail of a w×h image that fits
// width×height (either 0 for "to scale"); the asked sides are met exactly,
// small originals being scaled up, so that layouts can rely on them.
func thumbSize(w, h, width, height int) (int, int) {
	switch {
	case width > 0 && height > 0:
		// Fit inside the box.
		if w*height > h*width {
			height = 0
		} else {
			width = 0
		}
		return thumbSize(w, h, width, height)
	case width > 0:
		return width, min(maxThumbSide, max(1, (h*width+w/2)/w))
	default:
		return min(maxThumbSide, max(1, (w*height+h/2)/h)), height
	}
}

// thumbnail returns the key of key's thumbnail, making it when it is not
// stored yet. Concurrent requests for one thumbnail make it once.
func (s *Service) thumbnail(ctx context.Context, key string, width, height int) (string, error) {
	tk := ThumbKey(key, width, height)
	if obj, err := s.blob.Open(ctx, tk); err == nil {
		obj.Body.Close()
		return tk, nil
	}
	_, err, _ := s.thumbs.Do(tk, func() (any, error) {
		select {
		case s.thumbSlots <- struct{}{}:
			defer func() { <-s.thumbSlots }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		// Not canceled with the request that happened to start it: others
		// may be waiting for the same thumbnail.
		return nil, s.makeThumbnail(context.WithoutCancel(ctx), key, tk, width, height)
	})
	if err != nil {
		return "", err
	}
	return tk, nil
}

// makeThumbnail decodes the original key, scales it and stores it as tk.
func (s *Service) makeThumbnail(ctx context.Context, key, tk string, width, height int) error {
	obj, err := s.blob.Open(ctx, key)
	if err != nil {
		return asNotFound(err)
	}
	data, err := io.ReadAll(io.LimitReader(obj.Body, s.limits.MaxBytes+1))
	obj.Body.Close()
	if err != nil {
		return fmt.Errorf("media: read %q: %w", key, err)
	}
	thumb, err := MakeThumbnail(data, width, height, s.limits)
	if err != nil {
		return fmt.Errorf("media: thumbnail of %q: %w", key, err)
	}
	if err := s.blob.Put(ctx, tk, bytes.NewReader(thumb), contentTypeOf(tk)); err != nil {
		return fmt.Errorf("media: store thumbnail: %w", err)
	}
	return nil
}

// MakeThumbnail scales the image data to fit width×height (either 0 for "to
// scale") and encodes it as PNG when data is a PNG or GIF, as JPEG
// otherwise. data is checked against limits as an upload is.
func MakeThumbnail(data []byte, width, height int, limits Limits) ([]byte, error) {
	up, err := Inspect("", bytes.NewReader(data), limits)
	if err != nil {
		return nil, err
	}
	src, err := formats[up.MimeType].decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	tw, th := thumbSize(up.Width, up.Height, width, height)
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var out bytes.Buffer
	if up.Ext == ".png" || up.Ext == ".gif" {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, dst)
	} else {
		err = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 85})
	}
	if err != nil {
		return nil, fmt.Errorf("media: encode thumbnail: %w", err)
	}
	return out.Bytes(), nil
}

// contentTypeOf returns the MIME type of a key moviedb made, by its
// extension.
func contentTypeOf(key string) string {
	if f, ok := formatOfExt(path.Ext(key)); ok {
		return f.mime
	}
	return "application/octet-stream"
}

// A Served is how to answer a request for a stored file: a redirect to
// the backend's own URL, or the object to send.
type Served struct {
	// Redirect is the URL to send the client to, when not "".
	Redirect string
	// Permanent reports whether Redirect never expires.
	Permanent bool
	// Object is the object to send when there is no redirect.
	Object *blob.Object
	// ContentType is the object's MIME type.
	ContentType string
}

// Open finds the object a request for /files/KEY?w=WIDTH&h=HEIGHT
// answers: the original when width and height are 0, else its thumbnail
// (made on first request), each in catalog.ThumbnailWidths or 0. A key
// that is not stored, external or not, is catalog.ErrNotFound.
func (s *Service) Open(ctx context.Context, key string, width, height int) (*Served, error) {
	if catalog.IsExternalKey(key) || blob.CheckKey(key) != nil {
		return nil, errNoObject
	}
	if _, isThumb := originalOf(key); isThumb {
		// Thumbnails are asked for by their original's key and a size.
		return nil, errNoObject
	}
	if (width != 0 && !catalog.IsThumbnailWidth(width)) || (height != 0 && !catalog.IsThumbnailWidth(height)) {
		return nil, catalog.Invalid("w", fmt.Sprintf("thumbnail sizes are %v", catalog.ThumbnailWidths))
	}
	if width != 0 || height != 0 {
		var err error
		if key, err = s.thumbnail(ctx, key, width, height); err != nil {
			return nil, err
		}
	}
	u, permanent, err := s.blob.URL(ctx, key)
	if err != nil {
		return nil, asNotFound(err)
	}
	if u != "" {
		// A redirect to a missing object would answer 404 only at the
		// backend; check here so that a request for no file is a 404.
		if width == 0 && height == 0 {
			obj, err := s.blob.Open(ctx, key)
			if err != nil {
				return nil, asNotFound(err)
			}
			obj.Body.Close()
		}
		return &Served{Redirect: u, Permanent: permanent, ContentType: contentTypeOf(key)}, nil
	}
	obj, err := s.blob.Open(ctx, key)
	if err != nil {
		return nil, asNotFound(err)
	}
	return &Served{Object: obj, ContentType: contentTypeOf(key)}, nil
}
