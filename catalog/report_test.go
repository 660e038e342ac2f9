package catalog_test

import (
	"testing"

	"github.com/moviedb/moviedb/catalog"
)

func TestDateAddYears(t *testing.T) {
	for _, tc := range []struct {
		d     string
		years int
		want  string
	}{
		{"2024-02-29", -1, "2023-02-28"},
		{"2024-02-29", -4, "2020-02-29"},
		{"2024-02-29", 1, "2025-02-28"},
		{"2024-03-01", -1, "2023-03-01"},
		{"2023-12-31", -5, "2018-12-31"},
		{"2023-01-15", 0, "2023-01-15"},
	} {
		d, err := catalog.ParseDate(tc.d)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.AddYears(tc.years).String(); got != tc.want {
			t.Errorf("%s.AddYears(%d) = %s; want %s", tc.d, tc.years, got, tc.want)
		}
	}
}
