package catalog

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on catalog text, in characters.
const (
	MaxNameLen  = 100   // country, genre, person names
	MaxTitleLen = 300   // movie titles, character names
	MaxTextLen  = 20000 // descriptions and biographies
)

// Earliest dates the catalog accepts: the first motion pictures date from
// the 1870s, and no one in them was born before 1800.
var (
	EarliestRelease = Date{Year: 1870, Month: time.January, Day: 1}
	EarliestBirth   = Date{Year: 1800, Month: time.January, Day: 1}
)

// ReleaseHorizon is how far ahead of today a release date may be announced.
const ReleaseHorizon = 10 // years

// A validator collects field errors; its methods check one rule each.
type validator struct{ ValidationError }

// NormalizeName returns the form in which the catalog keeps a name (of a
// genre, a country, a person, a character or a user, or a movie's title):
// s without leading and trailing spaces, and with each run of spaces in it
// made one space ' '. Spaces are ' ', tabs and Unicode's space separators
// (no-break space, ideographic space...): " Sci \t Fi " is "Sci Fi". So
// names that read alike are one name, and unique names (genres, countries)
// are unique in that form. Line breaks and other control characters are
// left for validation to refuse, and so are bytes that are not UTF-8.
func NormalizeName(s string) string {
	prevSpace := true // a space at the start leads
	for _, r := range s {
		if !isNameSpace(r) {
			prevSpace = false
			continue
		}
		if r != ' ' || prevSpace {
			return normalizeName(s)
		}
		prevSpace = true
	}
	if prevSpace && s != "" { // a space at the end trails
		return normalizeName(s)
	}
	return s
}

// normalizeName is NormalizeName for a name that changes, copying every
// other byte as it is.
func normalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending, written before the next non-space
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isNameSpace(r) {
			space = b.Len() > 0
		} else {
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isNameSpace tells the spaces NormalizeName folds.
func isNameSpace(r rune) bool { return r == '\t' || unicode.Is(unicode.Zs, r) }

// nameField normalises *s (NormalizeName) and checks it as name does when
// required, as line does otherwise.
func (v *validator) nameField(field string, s *string, max int, required bool) {
	*s = NormalizeName(*s)
	if required {
		v.name(field, *s, max)
	} else {
		v.line(field, *s, max)
	}
}

// name checks a required single-line name of at most max characters.
func (v *validator) name(field, s string, max int) {
	if strings.TrimSpace(s) == "" {
		v.Add(field, "is required")
		return
	}
	v.line(field, s, max)
}

// line checks optional single-line text: valid UTF-8, no control
// characters, at most max characters.
func (v *validator) line(field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		v.Add(field, "must be valid UTF-8")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		v.Add(field, "must not contain control characters")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

// text checks optional multi-line text: like line, but tabs and line
// breaks are allowed.
func (v *validator) text(field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		v.Add(field, "must be valid UTF-8")
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0:
		v.Add(field, "must not contain control characters other than tabs and line breaks")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

func (v *validator) dateBetween(field string, d, min, max Date) {
	if d.Before(min) || max.Before(d) {
		v.Add(field, fmt.Sprintf("must be between %s and %s", min, max))
	}
}

func (v *validator) oneOf(field, s string, set []string) {
	if !slices.Contains(set, s) {
		v.Add(field, "must be one of "+strings.Join(set, ", "))
	}
}

func (v *validator) id(field string, id int64) {
	if id < 1 {
		v.Add(field, "must be a positive id")
	}
}

// latestRelease is the last release date accepted on day today.
func latestRelease(today Date) Date {
	return DateOf(today.Time().AddDate(ReleaseHorizon, 0, 0))
}

func (v *validator) movieFields(title *string, description *string, budget *Money, release *Date, duration *int, today Date) {
	if title != nil {
		v.nameField("title", title, MaxTitleLen, true)
	}
	if description != nil {
		v.text("description", *description, MaxTextLen)
	}
	if budget != nil && (*budget < 0 || *budget > MaxMoney) {
		v.Add("budget", "must be between 0 and "+MaxMoney.String())
	}
	if release != nil {
		v.dateBetween("release_date", *release, EarliestRelease, latestRelease(today))
	}
	if duration != nil && (*duration < 1 || *duration > 1000) {
		v.Add("duration", "must be between 1 and 1000 minutes")
	}
}

// Validate normalises a new movie's title (NormalizeName) and checks its
// fields on day today (for the latest release date accepted). References
// are checked by the store.
func (m *Movie) Validate(today Date) error {
	var v validator
	v.movieFields(&m.Title, m.Description, m.Budget, m.ReleaseDate, m.Duration, today)
	return v.Err()
}

// Validate normalises and checks the fields an update sets, with the rules
// of Movie.Validate.
func (u *MovieUpdate) Validate(today Date) error {
	var v validator
	v.movieFields(u.Title, valueOf(u.Description), valueOf(u.Budget), valueOf(u.ReleaseDate), valueOf(u.Duration), today)
	return v.Err()
}

func (v *validator) personFields(first, last, bio *string, birth *Date, gender *string, today Date) {
	if first != nil {
		v.nameField("first_name", first, MaxNameLen, true)
	}
	if last != nil {
		v.nameField("last_name", last, MaxNameLen, false)
	}
	if bio != nil {
		v.text("biography", *bio, MaxTextLen)
	}
	if birth != nil {
		v.dateBetween("date_of_birth", *birth, EarliestBirth, today)
	}
	if gender != nil {
		v.oneOf("gender", *gender, Genders)
	}
}

// Validate normalises a new person's names (NormalizeName) and checks its
// fields on day today (no birth in the future).
func (p *Person) Validate(today Date) error {
	var v validator
	v.personFields(&p.FirstName, &p.LastName, p.Biography, p.DateOfBirth, p.Gender, today)
	return v.Err()
}

// Validate normalises and checks the fields an update sets, with the rules
// of Person.Validate.
func (u *PersonUpdate) Validate(today Date) error {
	var v validator
	v.personFields(u.FirstName, u.LastName, valueOf(u.Biography), valueOf(u.DateOfBirth), valueOf(u.Gender), today)
	return v.Err()
}

func (v *validator) characterFields(name, description, role *string) {
	if name != nil {
		v.nameField("name", name, MaxTitleLen, true)
	}
	if description != nil {
		v.text("description", *description, MaxTextLen)
	}
	if role != nil {
		v.oneOf("role", *role, Roles)
	}
}

// Validate normalises a new character's name (NormalizeName) and checks
// its fields.
func (c *Character) Validate() error {
	var v validator
	v.characterFields(&c.Name, c.Description, &c.Role)
	return v.Err()
}

// Validate normalises and checks the fields an update sets, with the rules
// of Character.Validate.
func (u *CharacterUpdate) Validate() error {
	var v validator
	v.characterFields(u.Name, valueOf(u.Description), u.Role)
	return v.Err()
}

// ValidateName normalises the name of a country or a genre
// (NormalizeName) and checks it: uniqueness holds on the normalised name.
func ValidateName(name *string) error {
	var v validator
	v.nameField("name", name, MaxNameLen, true)
	return v.Err()
}

// valueOf returns the value a nullable update sets, or nil when it leaves
// the column alone or clears it (clearing always passes validation).
func valueOf[T any](n *Nullable[T]) *T {
	if n == nil {
		return nil
	}
	return n.Value
}

// Rules of accounts.
const (
	MinUsernameLen = 3
	MaxUsernameLen = 32
	MaxEmailLen    = 254 // the longest address SMTP carries (RFC 5321)
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

// username checks 3 to 32 ASCII letters, digits, '_', '.' or '-'. ASCII
// only, because uniqueness ignores case and SQLite's lower() folds only ASCII.
func (v *validator) username(s string) {
	ok := len(s) >= MinUsernameLen && len(s) <= MaxUsernameLen
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			ok = false
		}
	}
	if !ok {
		v.Add("username", fmt.Sprintf("must be %d to %d characters, each a letter, digit, '_', '.' or '-'", MinUsernameLen, MaxUsernameLen))
	}
}

// email checks a bare address such as ada@example.com: no display name, no
// angle brackets, no surrounding space.
func (v *validator) email(s string) {
	switch {
	case s == "":
		v.Add("email", "is required")
	case len(s) > MaxEmailLen:
		v.Add("email", fmt.Sprintf("must be at most %d characters", MaxEmailLen))
	default:
		addr, err := mail.ParseAddress(s)
		if err != nil || addr.Name != "" || addr.Address != s {
			v.Add("email", "must be a valid email address, such as ada@example.com")
		}
	}
}

func (v *validator) accountFields(username, email, first, last, role *string) {
	if username != nil {
		v.username(*username)
	}
	if email != nil {
		v.email(*email)
	}
	if first != nil {
		v.nameField("first_name", first, MaxNameLen, false)
	}
	if last != nil {
		v.nameField("last_name", last, MaxNameLen, false)
	}
	if role != nil {
		v.oneOf("role", *role, AccessRoles)
	}
}

// Validate normalises a new user's names (NormalizeName) and checks its
// username, email, names and role (an empty role stands for UserRole). A
// username is not normalised: it may hold no space at all. The password is checked apart, by
// ValidatePassword, before it is hashed.
func (u *User) Validate() error {
	var v validator
	var role *string
	if u.Role != "" {
		role = &u.Role
	}
	v.accountFields(&u.Username, &u.Email, &u.FirstName, &u.LastName, role)
	return v.Err()
}

// Validate normalises and checks the fields an update sets, with the rules
// of User.Validate.
func (u *UserUpdate) Validate() error {
	var v validator
	v.accountFields(u.Username, u.Email, u.FirstName, u.LastName, u.Role)
	return v.Err()
}

// ValidatePassword checks that a new password has 8 to 256 characters. The
// error names field and never quotes the password.
func ValidatePassword(field, password string) error {
	var v validator
	if n := utf8.RuneCountInString(password); n < MinPasswordLen || n > MaxPasswordLen {
		v.Add(field, fmt.Sprintf("must be %d to %d characters", MinPasswordLen, MaxPasswordLen))
	}
	return v.Err()
}
