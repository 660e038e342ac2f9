package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

// An image is what an <img> element needs: its src and, where thumbnails
// exist, a srcset of them.
type image struct {
	Src    string
	Srcset string
}

// img returns the image attributes of a file (a *catalog.File or a
// catalog.File) shown about width pixels wide: the
// nearest thumbnail at least that wide as src, and every thumbnail in the
// srcset so the browser picks by screen. An image stored by reference on
// another site has no thumbnails and is shown as is.
func (s *server) img(file any, width int) image {
	var f *catalog.File
	switch v := file.(type) {
	case *catalog.File:
		f = v
	case catalog.File:
		f = &v
	}
	if f == nil {
		return image{}
	}
	if s.thumbURL == nil || catalog.IsExternalKey(f.Key) {
		return image{Src: f.URL}
	}
	im := image{Src: s.thumbURL(f, catalog.ThumbnailWidths[len(catalog.ThumbnailWidths)-1])}
	for _, w := range catalog.ThumbnailWidths {
		if w >= width {
			im.Src = s.thumbURL(f, w)
			break
		}
	}
	parts := make([]string, len(catalog.ThumbnailWidths))
	for i, w := range catalog.ThumbnailWidths {
		parts[i] = s.thumbURL(f, w) + " " + strconv.Itoa(w) + "w"
	}
	im.Srcset = strings.Join(parts, ", ")
	return im
}

func (s *server) funcs() template.FuncMap {
	return template.FuncMap{
		"img":     s.img,
		"asset":   assetURL,
		"year":    year,
		"date":    func(d *catalog.Date) string { return d.String() },
		"str":     func(p *string) string { return deref(p) },
		"num":     func(p *int) string { return optInt(p) },
		"id":      func(p *int64) string { return optID(p) },
		"money":   func(m *catalog.Money) string { return "$" + groupThousands(m.String()) },
		"runtime": runtime,
		"age":     func(d *catalog.Date) int { return age(*d, catalog.DateOf(s.now().UTC())) },
		"title":   capitalize,
		"paras":   paragraphs,
		"roles":   func() []string { return catalog.Roles },
		"genders": func() []string { return catalog.Genders },
		"add":     func(a, b int) int { return a + b },
		"total":   total,
		"errfor":  errFor,
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func optID(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// year returns the year of d, or "" for no date.
func year(d *catalog.Date) string {
	if d == nil {
		return ""
	}
	return strconv.Itoa(d.Year)
}

// runtime writes a duration in minutes as "2 h 7 min".
func runtime(p *int) string {
	if p == nil {
		return ""
	}
	h, m := *p/60, *p%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

// groupThousands writes the whole part of a decimal amount with commas.
func groupThousands(s string) string {
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac && strings.Trim(frac, "0") != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// age returns how many whole years old someone born on birth is on today.
func age(birth, today catalog.Date) int {
	a := today.Year - birth.Year
	if today.Month < birth.Month || today.Month == birth.Month && today.Day < birth.Day {
		a--
	}
	return a
}

// paragraphs splits text at blank lines, for a biography or description.
func paragraphs(p *string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(deref(p), "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			out = append(out, para)
		}
	}
	return out
}

// todayOf returns the UTC date of t, the day validation runs on.
func todayOf(t time.Time) catalog.Date { return catalog.DateOf(t.UTC()) }

// A fieldError is a form field's message, with the id that the field's
// aria-describedby names.
type fieldError struct {
	ID, Message string
}

// errFor returns the message of field in v, for the "err" partial.
func errFor(v view, field string) fieldError {
	return fieldError{ID: field + "-error", Message: v.Errors[field]}
}
