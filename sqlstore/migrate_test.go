package sqlstore_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/sqlstore/sqltest"
)

// seedColumns is shared/seed-schema.md: every table and column it names.
var seedColumns = map[string][]string{
	"countries":        {"id", "name", "createdAt", "updatedAt"},
	"img_files":        {"id", "file_name", "mime_type", "key", "url", "createdAt", "updatedAt"},
	"users":            {"id", "username", "first_name", "last_name", "email", "password", "avatar_file_id", "createdAt", "updatedAt"},
	"persons":          {"id", "first_name", "last_name", "biography", "date_of_birth", "gender", "country_id", "createdAt", "updatedAt"},
	"person_photo":     {"person_id", "file_id", "is_primary", "createdAt", "updatedAt"},
	"movies":           {"id", "title", "description", "budget", "release_date", "duration", "director_id", "country_id", "poster_file_id", "createdAt", "updatedAt"},
	"genres":           {"id", "name", "createdAt", "updatedAt"},
	"movie_genres":     {"movie_id", "genre_id", "createdAt", "updatedAt"},
	"characters":       {"id", "name", "description", "role", "createdAt", "updatedAt"},
	"movie_characters": {"movie_id", "character_id", "person_id", "createdAt", "updatedAt"},
	"favorite_movies":  {"user_id", "movie_id", "createdAt", "updatedAt"},
}

func TestMigrateCreatesSeedSchema(t *testing.T) {
	for _, e := range []sqlstore.Engine{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			s, err := sqlstore.Open(ctx, sqltest.DSN(t, e), sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()

			if err := s.CheckSchema(ctx); !errors.Is(err, sqlstore.ErrPendingMigrations) {
				t.Fatalf("CheckSchema on empty database = %v; want ErrPendingMigrations", err)
			}
			applied, err := s.Migrate(ctx)
			if err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			if len(applied) == 0 {
				t.Fatal("Migrate on empty database applied nothing")
			}
			cols, err := s.TableColumns(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for table, want := range seedColumns {
				for _, c := range want {
					if !slices.Contains(cols[table], c) {
						t.Errorf("table %s lacks seed column %s (has %v)", table, c, cols[table])
					}
				}
			}
			if err := s.CheckSchema(ctx); err != nil {
				t.Errorf("CheckSchema after Migrate = %v; want nil", err)
			}

			again, err := s.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Errorf("second Migrate = %d applied, %v; want 0, nil", len(again), err)
			}
			cols2, _ := s.TableColumns(ctx)
			if len(cols2) != len(cols) {
				t.Errorf("second Migrate changed tables: %d -> %d", len(cols), len(cols2))
			}
			status, err := s.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range status {
				if m.AppliedAt == nil {
					t.Errorf("migration %d %s pending after Migrate", m.Version, m.Name)
				}
			}
		})
	}
}

func TestRefusesUnknownMigrations(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.RecordMigrationForTest(ctx, 9999, "from_the_future"); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSchema(ctx); !errors.Is(err, sqlstore.ErrUnknownMigration) {
			t.Errorf("CheckSchema = %v; want ErrUnknownMigration", err)
		}
		if _, err := s.Migrate(ctx); !errors.Is(err, sqlstore.ErrUnknownMigration) {
			t.Errorf("Migrate = %v; want ErrUnknownMigration", err)
		}
	})
}

func TestOpenRejectsBadDSN(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{"mysql://x", "", "sqlite:"} {
		if s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{}); err == nil {
			s.Close()
			t.Errorf("Open(%q) = nil error; want error", dsn)
		}
	}
	// A server that is not there: the error names it without the password.
	_, err := sqlstore.Open(ctx, "postgres://u:secret@127.0.0.1:1/db?connect_timeout=2", sqlstore.Options{})
	if err == nil {
		t.Fatal("Open of unreachable postgres = nil error")
	}
	if msg := err.Error(); !containsAll(msg, "127.0.0.1:1") || containsAll(msg, "secret") {
		t.Errorf("Open error = %q; want the address and no password", msg)
	}
}
