package sqlstore_test

import (
	"context"
	"testing"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
)

// Fixtures create a row with only its required fields and fail the test
// when they cannot.

func fixtureMovie(t *testing.T, s *sqlstore.Store, title string) *catalog.Movie {
	t.Helper()
	m := &catalog.Movie{Title: title}
	if err := s.CreateMovie(context.Background(), m); err != nil {
		t.Fatalf("CreateMovie(%q): %v", title, err)
	}
	return m
}

func fixturePerson(t *testing.T, s *sqlstore.Store, first, last string) *catalog.Person {
	t.Helper()
	p := &catalog.Person{FirstName: first, LastName: last}
	if err := s.CreatePerson(context.Background(), p); err != nil {
		t.Fatalf("CreatePerson(%q, %q): %v", first, last, err)
	}
	return p
}

// fixtureFile creates a file stored under key.
func fixtureFile(t *testing.T, s *sqlstore.Store, key string) *catalog.File {
	t.Helper()
	f := &catalog.File{FileName: key + ".jpg", MimeType: "image/jpeg", Key: key, URL: "http://files.test/" + key}
	if err := s.CreateFile(context.Background(), f); err != nil {
		t.Fatalf("CreateFile(%q): %v", key, err)
	}
	return f
}

func fixtureCountry(t *testing.T, s *sqlstore.Store, name string) *catalog.Country {
	t.Helper()
	c := &catalog.Country{Name: name}
	if err := s.CreateCountry(context.Background(), c); err != nil {
		t.Fatalf("CreateCountry(%q): %v", name, err)
	}
	return c
}

func fixtureGenre(t *testing.T, s *sqlstore.Store, name string) *catalog.Genre {
	t.Helper()
	g := &catalog.Genre{Name: name}
	if err := s.CreateGenre(context.Background(), g); err != nil {
		t.Fatalf("CreateGenre(%q): %v", name, err)
	}
	return g
}

func fixtureUser(t *testing.T, s *sqlstore.Store, username string) *catalog.User {
	t.Helper()
	u := &catalog.User{Username: username, Email: username + "@example.com", PasswordHash: "$argon2id$v=19$hash-of-" + username}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%q): %v", username, err)
	}
	return u
}

// pageThrough lists every page of size 2 with list, checking that each
// reports total rows, and returns the ids in the order listed. A page past
// the end must be empty and still report the total.
func pageThrough(t *testing.T, total int, list func(p catalog.Page) (ids []int64, gotTotal int, err error)) []int64 {
	t.Helper()
	var all []int64
	for n := 1; n <= (total+1)/2; n++ {
		ids, got, err := list(catalog.Page{Number: n, Size: 2})
		if err != nil {
			t.Fatalf("page %d: %v", n, err)
		}
		if got != total {
			t.Errorf("page %d: total %d; want %d", n, got, total)
		}
		all = append(all, ids...)
	}
	ids, got, err := list(catalog.Page{Number: total + 5, Size: 2})
	if err != nil || len(ids) != 0 || got != total {
		t.Errorf("page past the end = %d items, total %d, %v; want 0, %d, nil", len(ids), got, err, total)
	}
	return all
}

// idsOf returns the ids of a list's items.
func idsOf[T any](l catalog.List[T], err error, id func(T) int64) ([]int64, int, error) {
	ids := make([]int64, len(l.Items))
	for i, item := range l.Items {
		ids[i] = id(item)
	}
	return ids, l.Total, err
}
