//go:build race

package sqlstore_test

// raceDetector reports whether the tests run with -race, under which
// SQLite (C translated to Go, every pointer checked) runs some hundred
// times slower.
const raceDetector = true
