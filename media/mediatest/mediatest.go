// Package mediatest makes real image files, and hostile files posing as
// images, for tests of uploads.
package mediatest

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
)

// pattern returns a w×h image with a gradient, so encoders cannot make it
// trivially small and resizing has something to do.
func pattern(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / max(1, w-1)), uint8(y * 255 / max(1, h-1)), uint8((x + y) % 256), 255})
		}
	}
	return img
}

// JPEG returns a w×h JPEG.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, pattern(w, h), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PNG returns a w×h PNG.
func PNG(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, pattern(w, h)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// GIF returns a w×h GIF.
func GIF(w, h int) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, pattern(w, h), nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// WebP returns a 1×1 lossless WebP (the standard library and x/image have
// no WebP encoder; these bytes are the well-known feature-detection image).
func WebP() []byte {
	b, err := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	if err != nil {
		panic(err)
	}
	return b
}

// PNGHeader returns a PNG signature and IHDR chunk declaring a w×h RGBA
// image, followed by a tiny IDAT: a decompression bomb's header, which
// only a header-first check refuses cheaply.
func PNGHeader(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk(&b, "IHDR", ihdr)
	chunk(&b, "IDAT", []byte{0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01})
	chunk(&b, "IEND", nil)
	return b.Bytes()
}

func chunk(b *bytes.Buffer, typ string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.Write(b, binary.BigEndian, crc.Sum32())
}

// TruncatedPNG returns the first half of a real PNG.
func TruncatedPNG() []byte {
	p := PNG(64, 64)
	return p[:len(p)/2]
}

// Zip returns a zip archive holding a JPEG.
func Zip() []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("poster.jpg")
	w.Write(JPEG(8, 8))
	z.Close()
	return b.Bytes()
}

// SVG returns an SVG image carrying a script.
func SVG() []byte {
	return []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">` +
		`<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>`)
}

// Text returns plain text, to be sent under an image's name.
func Text() []byte { return []byte("this is not a poster, just some text pretending to be one\n") }

// A Hostile is a file an upload must refuse, with the status the API
// answers it with.
type Hostile struct {
	Name     string
	FileName string
	Data     []byte
	Status   int
}

// HostileFiles are the refused uploads every backend and engine is tested
// with; oversize bodies are tested separately, against the limit in force.
func HostileFiles() []Hostile {
	return []Hostile{
		{"text renamed .jpg", "poster.jpg", Text(), 415},
		{"truncated PNG", "poster.png", TruncatedPNG(), 422},
		{"20000x20000 PNG header", "bomb.png", PNGHeader(20000, 20000), 422},
		{"zip", "poster.jpg", Zip(), 415},
		{"SVG with script", "poster.svg", SVG(), 415},
		{"empty", "empty.jpg", nil, 422},
		{"path traversal name", "../../../etc/cron.d/poster.jpg", JPEG(8, 8), 422},
		{"windows path traversal name", `..\..\poster.jpg`, JPEG(8, 8), 422},
		{"name with a NUL", "poster.jpg\x00.php", JPEG(8, 8), 422},
	}
}
