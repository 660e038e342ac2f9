package catalog

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var today = Date{Year: 2026, Month: time.November, Day: 26}

func fields(err error) map[string]string {
	var v *ValidationError
	if errors.As(err, &v) {
		return v.Fields
	}
	return nil
}

func TestMovieValidate(t *testing.T) {
	date := func(s string) *Date { d, _ := ParseDate(s); return &d }
	ptr := func(n int) *int { return &n }
	str := func(s string) *string { return &s }
	money := func(m Money) *Money { return &m }
	tests := []struct {
		name  string
		movie Movie
		bad   string // the field that must be named, "" for valid
	}{
		{"minimal", Movie{Title: "Alien"}, ""},
		{"everything", Movie{Title: "Alien", Description: str("In space…\nno one hears."), Budget: money(11_000_000_00),
			ReleaseDate: date("1979-05-25"), Duration: ptr(117)}, ""},
		{"blank title", Movie{Title: " \t"}, "title"},
		{"long title", Movie{Title: strings.Repeat("é", MaxTitleLen+1)}, "title"},
		{"title of max length", Movie{Title: strings.Repeat("é", MaxTitleLen)}, ""},
		{"control in title", Movie{Title: "A\x00B"}, "title"},
		{"newline in title", Movie{Title: "A\nB"}, "title"},
		{"bad utf-8", Movie{Title: "\xff"}, "title"},
		{"tab in description", Movie{Title: "A", Description: str("a\tb")}, ""},
		{"NUL in description", Movie{Title: "A", Description: str("a\x00b")}, "description"},
		{"negative budget", Movie{Title: "A", Budget: money(-1)}, "budget"},
		{"budget too large", Movie{Title: "A", Budget: money(MaxMoney + 1)}, "budget"},
		{"zero budget", Movie{Title: "A", Budget: money(0)}, ""},
		{"release before cinema", Movie{Title: "A", ReleaseDate: date("1869-12-31")}, "release_date"},
		{"first release day", Movie{Title: "A", ReleaseDate: date("1870-01-01")}, ""},
		{"release at horizon", Movie{Title: "A", ReleaseDate: date("2036-11-26")}, ""},
		{"release past horizon", Movie{Title: "A", ReleaseDate: date("2036-11-27")}, "release_date"},
		{"duration 0", Movie{Title: "A", Duration: ptr(0)}, "duration"},
		{"duration 1", Movie{Title: "A", Duration: ptr(1)}, ""},
		{"duration 1000", Movie{Title: "A", Duration: ptr(1000)}, ""},
		{"duration 1001", Movie{Title: "A", Duration: ptr(1001)}, "duration"},
	}
	for _, tt := range tests {
		err := tt.movie.Validate(today)
		f := fields(err)
		if tt.bad == "" && err != nil {
			t.Errorf("%s: Validate = %v; want nil", tt.name, err)
		}
		if tt.bad != "" && f[tt.bad] == "" {
			t.Errorf("%s: Validate = %v; want an error on %s", tt.name, err, tt.bad)
		}
	}
	upd := MovieUpdate{Title: new(string), Duration: Set(0), Budget: Clear[Money]()}
	if f := fields(upd.Validate(today)); f["title"] == "" || f["duration"] == "" || f["budget"] != "" {
		t.Errorf("MovieUpdate.Validate fields = %v; want title and duration, not budget (clearing)", f)
	}
	if err := (&MovieUpdate{}).Validate(today); err != nil {
		t.Errorf("empty MovieUpdate.Validate = %v", err)
	}
}

func TestPersonValidate(t *testing.T) {
	tomorrow := DateOf(today.Time().AddDate(0, 0, 1))
	old := Date{Year: 1799, Month: time.December, Day: 31}
	for _, tt := range []struct {
		name   string
		person Person
		bad    string
	}{
		{"mononym", Person{FirstName: "Cher"}, ""},
		{"no first name", Person{LastName: "Cher"}, "first_name"},
		{"born tomorrow", Person{FirstName: "A", DateOfBirth: &tomorrow}, "date_of_birth"},
		{"born today", Person{FirstName: "A", DateOfBirth: &today}, ""},
		{"born before 1800", Person{FirstName: "A", DateOfBirth: &old}, "date_of_birth"},
		{"unknown gender", Person{FirstName: "A", Gender: new(string)}, "gender"},
	} {
		f := fields(tt.person.Validate(today))
		if (tt.bad == "") != (len(f) == 0) || (tt.bad != "" && f[tt.bad] == "") {
			t.Errorf("%s: fields %v; want error on %q", tt.name, f, tt.bad)
		}
	}
	g := GenderNonBinary
	if err := (&Person{FirstName: "A", Gender: &g}).Validate(today); err != nil {
		t.Errorf("non-binary: %v", err)
	}
}

func TestCharacterAndNameValidate(t *testing.T) {
	if err := (&Character{Name: "Ripley", Role: RoleLeading}).Validate(); err != nil {
		t.Errorf("valid character: %v", err)
	}
	if f := fields((&Character{Name: "", Role: "hero"}).Validate()); f["name"] == "" || f["role"] == "" {
		t.Errorf("bad character fields = %v; want name and role", f)
	}
	if f := fields((&CharacterUpdate{Role: new(string)}).Validate()); f["role"] == "" {
		t.Errorf("CharacterUpdate with empty role: %v", f)
	}
	drama := "Drama"
	if err := ValidateName(&drama); err != nil {
		t.Errorf("ValidateName(Drama) = %v", err)
	}
	long := strings.Repeat("x", MaxNameLen+1)
	if f := fields(ValidateName(&long)); f["name"] == "" {
		t.Errorf("ValidateName(long) fields = %v", f)
	}
	// The length is the normalised name's.
	padded := "  " + strings.Repeat("x", MaxNameLen) + "\t "
	if err := ValidateName(&padded); err != nil || padded != strings.Repeat("x", MaxNameLen) {
		t.Errorf("ValidateName(padded) = %v, name %q", err, padded)
	}
	blank := " \t\u00a0"
	if f := fields(ValidateName(&blank)); f["name"] != "is required" {
		t.Errorf("ValidateName(blank) fields = %v", f)
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Action":                   "Action",
		" Action ":                 "Action",
		"Sci  Fi":                  "Sci Fi",
		"Sci \t Fi":                "Sci Fi",
		"\tScience\t\tFiction\t":   "Science Fiction",
		"Am\u00e9lie\u00a0Poulain": "Am\u00e9lie Poulain", // no-break space
		"\u3000Tokyo\u3000Story":   "Tokyo Story",         // ideographic space
		"":                         "",
		"   ":                      "",
		"a":                        "a",
		" a":                       "a",
		"a ":                       "a",
		"A\nB":                     "A\nB", // line breaks are refused, not folded
		"A \n B":                   "A \n B",
		"  \xff  x":                "\xff x", // bytes that are not UTF-8 stay, to be refused
	} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q; want %q", in, got, want)
		}
		if got := NormalizeName(want); got != want {
			t.Errorf("NormalizeName(%q) = %q; want it unchanged", want, got)
		}
	}
}

// TestValidateNormalizesNames checks that each Validate leaves the name
// fields it checks normalised, and the others as they were.
func TestValidateNormalizesNames(t *testing.T) {
	str := func(s string) *string { return &s }
	m := Movie{Title: "  The   Thing "}
	if err := m.Validate(today); err != nil || m.Title != "The Thing" {
		t.Errorf("Movie.Validate: %v, title %q", err, m.Title)
	}
	mu := MovieUpdate{Title: str("\tAlien ")}
	if err := mu.Validate(today); err != nil || *mu.Title != "Alien" {
		t.Errorf("MovieUpdate.Validate: %v, title %q", err, *mu.Title)
	}
	p := Person{FirstName: " Ada ", LastName: "  King  Lovelace", Biography: str("  keeps\tits  spaces ")}
	if err := p.Validate(today); err != nil || p.FirstName != "Ada" || p.LastName != "King Lovelace" ||
		*p.Biography != "  keeps\tits  spaces " {
		t.Errorf("Person.Validate: %v, %q %q %q", err, p.FirstName, p.LastName, *p.Biography)
	}
	pu := PersonUpdate{FirstName: str("Grace  "), LastName: str(" ")}
	if err := pu.Validate(today); err != nil || *pu.FirstName != "Grace" || *pu.LastName != "" {
		t.Errorf("PersonUpdate.Validate: %v, %q %q", err, *pu.FirstName, *pu.LastName)
	}
	pu = PersonUpdate{FirstName: str(" \t ")}
	if f := fields(pu.Validate(today)); f["first_name"] != "is required" {
		t.Errorf("PersonUpdate.Validate of a blank first name: fields %v", f)
	}
	c := Character{Name: " Ellen  Ripley", Role: RoleLeading}
	if err := c.Validate(); err != nil || c.Name != "Ellen Ripley" {
		t.Errorf("Character.Validate: %v, name %q", err, c.Name)
	}
	cu := CharacterUpdate{Name: str("Ash ")}
	if err := cu.Validate(); err != nil || *cu.Name != "Ash" {
		t.Errorf("CharacterUpdate.Validate: %v, name %q", err, *cu.Name)
	}
	u := User{Username: "ada", Email: "ada@example.com", FirstName: " Ada", LastName: "Love  lace "}
	if err := u.Validate(); err != nil || u.FirstName != "Ada" || u.LastName != "Love lace" {
		t.Errorf("User.Validate: %v, %q %q", err, u.FirstName, u.LastName)
	}
	u.Username = " ada"
	if f := fields(u.Validate()); f["username"] == "" || u.Username != " ada" {
		t.Errorf("User.Validate of a username with a space: fields %v, username %q; want refused as it is", f, u.Username)
	}
	uu := UserUpdate{FirstName: str("  Grace")}
	if err := uu.Validate(); err != nil || *uu.FirstName != "Grace" {
		t.Errorf("UserUpdate.Validate: %v, %q", err, *uu.FirstName)
	}
}

func TestUserValidate(t *testing.T) {
	valid := User{Username: "ada.l-ove_1", Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace"}
	if err := valid.Validate(); err != nil {
		t.Errorf("valid user: %v", err)
	}
	for _, tt := range []struct {
		name string
		edit func(u *User)
		bad  string
	}{
		{"short username", func(u *User) { u.Username = "ab" }, "username"},
		{"long username", func(u *User) { u.Username = strings.Repeat("a", 33) }, "username"},
		{"username of 32", func(u *User) { u.Username = strings.Repeat("a", 32) }, ""},
		{"non-ASCII username", func(u *User) { u.Username = "adé" }, "username"},
		{"space in username", func(u *User) { u.Username = "ada l" }, "username"},
		{"no email", func(u *User) { u.Email = "" }, "email"},
		{"display name", func(u *User) { u.Email = "Ada <ada@example.com>" }, "email"},
		{"no at", func(u *User) { u.Email = "ada.example.com" }, "email"},
		{"long email", func(u *User) { u.Email = strings.Repeat("a", 243) + "@example.com" }, "email"},
		{"empty names", func(u *User) { u.FirstName, u.LastName = "", "" }, ""},
		{"newline in name", func(u *User) { u.LastName = "a\nb" }, "last_name"},
		{"bad role", func(u *User) { u.Role = "root" }, "role"},
	} {
		u := valid
		tt.edit(&u)
		f := fields(u.Validate())
		if (tt.bad == "") != (len(f) == 0) || (tt.bad != "" && f[tt.bad] == "") {
			t.Errorf("%s: fields %v; want error on %q", tt.name, f, tt.bad)
		}
	}
	bad := "x"
	if f := fields((&UserUpdate{Email: &bad}).Validate()); f["email"] == "" || len(f) != 1 {
		t.Errorf("UserUpdate{Email: x} fields = %v", f)
	}
}

func TestValidatePassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"1234567": false, "12345678": true, strings.Repeat("é", 256): true,
		strings.Repeat("é", 257): false, "ééééééé": false,
	} {
		err := ValidatePassword("password", pw)
		if (err == nil) != ok {
			t.Errorf("ValidatePassword(%d runes) = %v; want ok %t", len([]rune(pw)), err, ok)
		}
		if err != nil && strings.Contains(err.Error(), pw) {
			t.Errorf("ValidatePassword error quotes the password: %v", err)
		}
	}
	v := &ValidationError{}
	v.Merge(ValidatePassword("new_password", "short"))
	v.Merge(nil)
	if v.Fields["new_password"] == "" || len(v.Fields) != 1 {
		t.Errorf("Merge = %v", v.Fields)
	}
}
