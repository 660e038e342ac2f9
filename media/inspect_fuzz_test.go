package media_test

import (
	"bytes"
	"errors"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"testing"

	_ "golang.org/x/image/webp"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/media/mediatest"
)

// fuzzLimits keep each execution small: a fuzzed header may declare any
// size, and only what passes the limits is decoded.
var fuzzLimits = media.Limits{MaxBytes: 1 << 16, MaxSide: 1024, MaxPixels: 1 << 18}

// FuzzInspect feeds arbitrary bytes and file names to upload inspection,
// which sniffs the type from the bytes and reads the dimensions from the
// header. A refusal is a *media.Error of a known kind (the front ends turn
// it into 413, 415 or 422); an accepted upload is of an accepted type, in
// bounds, and decodes to the dimensions its header gave.
func FuzzInspect(f *testing.F) {
	f.Add("poster.jpg", mediatest.JPEG(8, 8))
	f.Add("poster.png", mediatest.PNG(3, 5))
	f.Add("poster.gif", mediatest.GIF(4, 2))
	f.Add("poster.webp", mediatest.WebP())
	f.Add("bomb.png", mediatest.PNGHeader(20000, 20000))
	f.Add("big.png", mediatest.PNGHeader(600, 600))
	f.Add("poster.png", mediatest.TruncatedPNG())
	f.Add("poster.jpg", mediatest.Zip())
	f.Add("poster.svg", mediatest.SVG())
	f.Add("poster.jpg", mediatest.Text())
	f.Add("", []byte(nil))
	f.Add("../x.jpg", mediatest.JPEG(1, 1))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		up, err := media.Inspect(name, bytes.NewReader(data), fuzzLimits)
		if err != nil {
			var e *media.Error
			if !errors.As(err, &e) || !(errors.Is(err, media.ErrTooLarge) ||
				errors.Is(err, media.ErrUnsupportedType) || errors.Is(err, catalog.ErrInvalid)) {
				t.Fatalf("Inspect refused with %T %v, not a *media.Error of a known kind", err, err)
			}
			return
		}
		switch up.MimeType + up.Ext {
		case "image/jpeg.jpg", "image/png.png", "image/gif.gif", "image/webp.webp":
		default:
			t.Fatalf("accepted type %q with extension %q", up.MimeType, up.Ext)
		}
		if up.Width <= 0 || up.Height <= 0 || up.Width > fuzzLimits.MaxSide || up.Height > fuzzLimits.MaxSide ||
			int64(up.Width)*int64(up.Height) > fuzzLimits.MaxPixels {
			t.Fatalf("accepted an image of %d×%d", up.Width, up.Height)
		}
		if !bytes.Equal(up.Data, data) {
			t.Fatal("the accepted data differs from the upload")
		}
		img, format, err := image.Decode(bytes.NewReader(up.Data))
		if err != nil {
			t.Fatalf("accepted a %s that does not decode: %v", up.MimeType, err)
		}
		if "image/"+format != up.MimeType {
			t.Fatalf("accepted as %s, decodes as %s", up.MimeType, format)
		}
		if b := img.Bounds(); b.Dx() != up.Width || b.Dy() != up.Height {
			t.Fatalf("header said %d×%d, pixels are %d×%d", up.Width, up.Height, b.Dx(), b.Dy())
		}
		if _, err := media.CleanFileName(up.FileName, ""); err != nil {
			t.Fatalf("accepted file name %q is not clean: %v", up.FileName, err)
		}
	})
}
