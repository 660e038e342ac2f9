package catalog

import (
	"reflect"
	"testing"
)

func TestImportMovieNormalizeNames(t *testing.T) {
	director := ImportPerson{FirstName: " Ridley", LastName: "Scott "}
	m := ImportMovie{Title: " Alien ", Country: "\tUnited  Kingdom", Genres: []string{" Sci  Fi", " ", "Horror"},
		Director: &director,
		Cast:     []ImportCast{{Person: ImportPerson{FirstName: "Sigourney ", LastName: " Weaver"}, Character: "Ellen  Ripley"}}}
	m.NormalizeNames()
	want := ImportMovie{Title: "Alien", Country: "United Kingdom", Genres: []string{"Sci Fi", "Horror"},
		Director: &ImportPerson{FirstName: "Ridley", LastName: "Scott"},
		Cast:     []ImportCast{{Person: ImportPerson{FirstName: "Sigourney", LastName: "Weaver"}, Character: "Ellen Ripley"}}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("NormalizeNames = %+v;\nwant %+v", m, want)
	}
}
