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
	if err := ValidateName("Drama"); err != nil {
		t.Errorf("ValidateName(Drama) = %v", err)
	}
	if f := fields(ValidateName(strings.Repeat("x", MaxNameLen+1))); f["name"] == "" {
		t.Errorf("ValidateName(long) fields = %v", f)
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
