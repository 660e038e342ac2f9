package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/moviedb/moviedb/catalog"
)

// nameSuffixes stay with the last name: "Robert Downey Jr." is Robert,
// Downey Jr.
var nameSuffixes = map[string]bool{"jr.": true, "jr": true, "sr.": true, "sr": true,
	"ii": true, "iii": true, "iv": true}

// nameParticles, lower case, start a last name: "Ludwig van Beethoven" is
// Ludwig, van Beethoven.
var nameParticles = map[string]bool{"van": true, "von": true, "de": true, "der": true, "den": true,
	"da": true, "di": true, "del": true, "della": true, "du": true, "la": true, "le": true,
	"dos": true, "das": true, "ter": true, "ten": true, "bin": true, "al": true}

// splitName splits a full name into first and last name: the last word is
// the last name, with any suffix (Jr., III) after it and any lower-case
// particles (van, de) before it; everything before is the first name. A
// single word (Madonna) is a first name with an empty last name. A quoted
// nickname ("Weird Al") counts as one word.
func splitName(full string) (first, last string) {
	words := nameWords(full)
	switch len(words) {
	case 0:
		return "", ""
	case 1:
		return words[0], ""
	}
	end := len(words) // words[lastStart:end] is the last name, without suffixes
	for end > 1 && nameSuffixes[strings.ToLower(strings.TrimSuffix(words[end-1], ","))] {
		end--
	}
	if end == 1 { // "Sting Jr." alone: keep it whole as the first name
		return strings.Join(words, " "), ""
	}
	lastStart := end - 1
	for lastStart > 1 && nameParticles[words[lastStart-1]] {
		lastStart--
	}
	first = strings.TrimSuffix(strings.Join(words[:lastStart], " "), ",")
	return first, strings.Join(words[lastStart:], " ")
}

// nameWords splits s at runs of spaces, keeping a quoted part whole.
func nameWords(s string) []string {
	var words []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"' || r == '“' || r == '”' || r == '„':
			quoted = !quoted
			cur.WriteRune(r)
		case unicode.IsSpace(r) && !quoted:
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words
}

// keptAnnotations are parenthesised notes after a cast name that only
// disambiguate or describe the part: they are dropped and the name kept.
// Any other note (Screenplay, nominee) marks crew or junk: the entry is
// dropped.
var keptAnnotations = map[string]bool{"actor": true, "actress": true, "singer": true, "musician": true,
	"comedian": true, "rapper": true, "wrestler": true, "entertainer": true, "dancer": true,
	"narrator": true, "voice": true, "voices": true, "host": true, "cameo": true, "uncredited": true}

// cleanPersonName returns the person name in a data set's cast string, or
// ok false for the known junk of scraped cast lists: fragments without a
// capital letter ("and", "voices of", "punk subculture"), brackets and
// footnote marks, award names, credit annotations of crew. See
// docs/IMPORT.md.
func cleanPersonName(s string) (name string, ok bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	s = strings.Join(strings.Fields(s), " ")
	// Footnote marks and wiki link brackets: "Katherine MacDonald]]", "[2]".
	for {
		i := strings.Index(s, "[")
		j := strings.Index(s, "]")
		if i < 0 || j < i {
			break
		}
		s = strings.TrimSpace(s[:i] + s[j+1:])
	}
	s = strings.TrimSpace(strings.Trim(s, "[]"))
	if i := strings.LastIndex(s, " ("); i >= 0 && strings.HasSuffix(s, ")") {
		note := strings.ToLower(s[i+2 : len(s)-1])
		if !keptAnnotations[note] {
			return "", false
		}
		s = s[:i]
	}
	lower := strings.ToLower(s)
	switch {
	case s == "", strings.ContainsAny(s, "()[]{}<>|"):
		return "", false
	case strings.IndexFunc(s, unicode.IsUpper) < 0 && strings.IndexFunc(s, unicode.IsDigit) < 0:
		return "", false
	case strings.Contains(lower, "award"), strings.Contains(lower, " for best "):
		return "", false
	case strings.IndexFunc(s, unicode.IsControl) >= 0, utf8.RuneCountInString(s) > catalog.MaxNameLen:
		return "", false
	}
	return s, true
}

// personOf returns the import person named by the cast or director string
// s, or ok false for junk.
func personOf(s string) (p catalog.ImportPerson, ok bool) {
	name, ok := cleanPersonName(s)
	if !ok {
		return p, false
	}
	p.FirstName, p.LastName = splitName(name)
	if p.FirstName == "" || utf8.RuneCountInString(p.FirstName) > catalog.MaxNameLen ||
		utf8.RuneCountInString(p.LastName) > catalog.MaxNameLen {
		return p, false
	}
	return p, true
}

// genreNames maps genre spellings of the data sets, folded, to one name:
// Wikipedia's "Sports" and the Kaggle file's "Sport" are one genre.
var genreNames = map[string]string{
	"sport": "Sport", "sports": "Sport",
	"sci-fi": "Science Fiction", "science fiction": "Science Fiction", "scifi": "Science Fiction",
	"animated": "Animation", "animation": "Animation",
	"film-noir": "Film Noir", "film noir": "Film Noir", "noir": "Film Noir",
	"historical": "History", "history": "History",
	"biography": "Biography", "biographical": "Biography", "biopic": "Biography",
}

// genreName returns the catalog name of the genre g of a data set, or ""
// for a blank or unusable one.
func genreName(g string) string {
	g = strings.Join(strings.Fields(g), " ")
	if n, ok := genreNames[strings.ToLower(g)]; ok {
		return n
	}
	if g == "" || !utf8.ValidString(g) || utf8.RuneCountInString(g) > catalog.MaxNameLen ||
		strings.IndexFunc(g, unicode.IsControl) >= 0 {
		return ""
	}
	// Capitalised as the data sets do ("drama" from an IMDb TSV → "Drama").
	r, size := utf8.DecodeRuneInString(g)
	return string(unicode.ToUpper(r)) + g[size:]
}

// genreList returns the catalog genre names of gs, each once.
func genreList(gs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range gs {
		n := genreName(g)
		if n != "" && !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			out = append(out, n)
		}
	}
	return out
}

// roleAt returns the role of the cast member billed at index i (from 0):
// the first two lead, the next four support, the rest are background.
func roleAt(i int) string {
	switch {
	case i < 2:
		return catalog.RoleLeading
	case i < 6:
		return catalog.RoleSupporting
	}
	return catalog.RoleBackground
}

// unnamedCharacter names a character the data set gives no name for.
const unnamedCharacter = "Unnamed character"

// castOf returns the cast of the names in billing order, without junk and
// without a second entry for the same person; dropped counts what was left
// out.
func castOf(names []string) (cast []catalog.ImportCast, dropped int) {
	seen := map[string]bool{}
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			continue
		}
		p, ok := personOf(n)
		k := strings.ToLower(p.FirstName + "\x00" + p.LastName)
		if !ok || seen[k] {
			dropped++
			continue
		}
		seen[k] = true
		cast = append(cast, catalog.ImportCast{Person: p, Character: unnamedCharacter, Role: roleAt(len(cast))})
	}
	return cast, dropped
}

// yearDate returns January 1st of year: the catalog's release_date for a
// data set that gives only the year.
func yearDate(year int) *catalog.Date {
	return &catalog.Date{Year: year, Month: 1, Day: 1}
}
