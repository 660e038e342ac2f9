package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/moviedb/moviedb/catalog"
)

// A rule says what a violated constraint means to a caller.
type rule struct {
	field string
	// message explains a unique or check violation, or a foreign key that
	// blocks a delete.
	message string
}

// rules maps constraint names, the same in both engines' migrations, to
// their meaning. SQLite names some constraints by their columns instead;
// sqliteAliases maps those.
var rules = map[string]rule{
	"countries_name_key":          {"name", "a country with this name already exists"},
	"countries_name_check":        {"name", "must not be blank"},
	"genres_name_key":             {"name", "a genre with this name already exists"},
	"genres_name_check":           {"name", "must not be blank"},
	"img_files_key_key":           {"key", "a file with this key already exists"},
	"img_files_key_check":         {"key", "must not be blank"},
	"users_username_key":          {"username", "this username is already taken"},
	"users_username_check":        {"username", "must not be blank"},
	"users_email_key":             {"email", "this email is already registered"},
	"users_email_check":           {"email", "must not be blank"},
	"users_role_check":            {"role", "must be one of " + strings.Join(catalog.AccessRoles, ", ")},
	"persons_first_name_check":    {"first_name", "must not be blank"},
	"persons_gender_check":        {"gender", "must be one of " + strings.Join(catalog.Genders, ", ")},
	"persons_date_of_birth_check": {"date_of_birth", "must be a YYYY-MM-DD date"},
	"person_photo_pkey":           {"file_id", "this file is already a photo of this person"},
	"person_photo_one_primary":    {"is_primary", "the person already has a primary photo"},
	"movies_title_check":          {"title", "must not be blank"},
	"movies_budget_check":         {"budget", "must be a non-negative amount"},
	"movies_duration_check":       {"duration", "must be between 1 and 1000 minutes"},
	"movies_release_date_check":   {"release_date", "must be a YYYY-MM-DD date"},
	"movie_genres_pkey":           {"genre_id", "the movie already has this genre"},
	"characters_name_check":       {"name", "must not be blank"},
	"characters_role_check":       {"role", "must be one of " + strings.Join(catalog.Roles, ", ")},
	"movie_characters_pkey":       {"character_id", "the character is already in this movie's cast"},
	"favorite_movies_pkey":        {"movie_id", "the movie is already a favorite"},
	// Foreign keys that block a delete (ON DELETE RESTRICT).
	"movies_director_id_fkey": {"director_id", "the person still directs movies"},
	"movies_country_id_fkey":  {"country_id", "the country is still used by movies"},
	"persons_country_id_fkey": {"country_id", "the country is still used by persons"},
	// A link that cascades, but that blocks a delete unless it is forced.
	"movie_genres_genre_id_fkey": {"genre_id", "the genre is still used by movies"},
}

// sqliteAliases maps SQLite's column-list names of unique constraints
// (as in "UNIQUE constraint failed: img_files.key") to constraint names.
var sqliteAliases = map[string]string{
	"img_files.key": "img_files_key_key",
	"person_photo.person_id, person_photo.file_id":             "person_photo_pkey",
	"person_photo.person_id":                                   "person_photo_one_primary",
	"movie_genres.movie_id, movie_genres.genre_id":             "movie_genres_pkey",
	"movie_characters.movie_id, movie_characters.character_id": "movie_characters_pkey",
	"favorite_movies.user_id, favorite_movies.movie_id":        "favorite_movies_pkey",
}

// op says whether a failed statement wrote or deleted rows: a foreign key
// violation means a bad reference on a write and a dependent row on a delete.
type op int

const (
	opWrite op = iota
	opDelete
)

// translate turns a constraint violation of either engine into a
// *catalog.ConflictError or *catalog.ValidationError, and sql.ErrNoRows into
// catalog.ErrNotFound. Other errors come back unchanged. The raw driver
// error is never shown to clients: it may quote their input.
func translate(err error, o op) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return catalog.ErrNotFound
	}
	kind, name, column := classify(err)
	r, known := rules[name]
	switch kind {
	case violationUnique:
		if !known {
			r = rule{message: "a row with these values already exists"}
		}
		return &catalog.ConflictError{Constraint: name, Field: r.field, Message: r.message}
	case violationCheck:
		if !known {
			return catalog.Invalid("input", "breaks a rule of the catalog ("+name+")")
		}
		return catalog.Invalid(r.field, r.message)
	case violationNotNull:
		return catalog.Invalid(column, "is required")
	case violationData:
		return catalog.Invalid("input", "holds a value the database cannot store (a NUL character, or a number or date out of range)")
	case violationForeignKey:
		if o == opDelete {
			if !known {
				r = rule{message: "other rows still refer to it"}
			}
			return &catalog.ConflictError{Constraint: name, Field: r.field, Message: r.message}
		}
		field := r.field
		if field == "" {
			field = fkField(name)
		}
		return catalog.Invalid(field, "refers to a row that does not exist")
	}
	return err
}

type violation int

const (
	violationNone violation = iota
	violationUnique
	violationCheck
	violationNotNull
	violationForeignKey
	violationData
)

// classify reads the kind of constraint violation, the constraint's name and
// (for NOT NULL) the column out of a driver error.
func classify(err error) (kind violation, name, column string) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			kind = violationUnique
		case "23514":
			kind = violationCheck
		case "23502":
			kind = violationNotNull
		case "23503":
			kind = violationForeignKey
		case "22021", "22003", "22008", "22P02", "22001":
			// Input PostgreSQL cannot hold: a NUL byte, a number or date out
			// of range, a value of the wrong form, a string too long.
			kind = violationData
		}
		return kind, pgErr.ConstraintName, pgErr.ColumnName
	}
	var liteErr *sqlite.Error
	if !errors.As(err, &liteErr) {
		return violationNone, "", ""
	}
	// SQLite reports the constraint in the message: "UNIQUE constraint
	// failed: index 'countries_name_key'", "CHECK constraint failed:
	// movies_budget_check", "NOT NULL constraint failed: movies.title".
	msg := liteErr.Error()
	detail := ""
	if i := strings.LastIndex(msg, "constraint failed: "); i >= 0 {
		detail = msg[i+len("constraint failed: "):]
		if j := strings.Index(detail, " ("); j >= 0 {
			detail = detail[:j]
		}
	}
	switch liteErr.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		if strings.HasPrefix(detail, "index '") {
			return violationUnique, strings.TrimSuffix(strings.TrimPrefix(detail, "index '"), "'"), ""
		}
		return violationUnique, sqliteAliases[detail], ""
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		return violationCheck, detail, ""
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		_, col, _ := strings.Cut(detail, ".")
		return violationNotNull, "", col
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		// SQLite does not say which foreign key failed.
		return violationForeignKey, "", ""
	case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		// ON DELETE RESTRICT fails through SQLite's internal trigger.
		if strings.Contains(msg, "FOREIGN KEY") {
			return violationForeignKey, "", ""
		}
	}
	return violationNone, "", ""
}

// fkField guesses the column of a PostgreSQL foreign key constraint from its
// default name, TABLE_COLUMN_fkey.
func fkField(constraint string) string {
	name := strings.TrimSuffix(constraint, "_fkey")
	for _, col := range []string{"director_id", "country_id", "poster_file_id", "avatar_file_id", "person_id", "file_id", "movie_id", "genre_id", "character_id", "user_id"} {
		if strings.HasSuffix(name, "_"+col) {
			return col
		}
	}
	return "reference"
}

// A ref is a foreign key value a write is about to store.
type ref struct {
	field string // input field name, e.g. "director_id"
	table string // referenced table
	noun  string // what a row of table is, for the message: "person"
	id    *int64 // nil: no reference, nothing to check
}

// checkRefs reports every ref whose row does not exist as a
// *catalog.ValidationError naming its field. Writes call it before the
// statement so that clients learn which field is wrong on both engines
// (SQLite's foreign key errors do not say); the foreign keys stay as the
// backstop against a concurrent delete.
func checkRefs(ctx context.Context, q queryer, refs ...ref) error {
	v := &catalog.ValidationError{}
	for _, r := range refs {
		if r.id == nil {
			continue
		}
		var exists bool
		// The table name comes from the caller's constant, never from input.
		err := q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+r.table+" WHERE id = $1)", *r.id).Scan(&exists)
		if err != nil {
			return fmt.Errorf("check %s: %w", r.field, err)
		}
		if !exists {
			v.Add(r.field, fmt.Sprintf("no %s has id %d", r.noun, *r.id))
		}
	}
	return v.Err()
}

// Refs to each table that other rows point at.
func personRef(field string, id *int64) ref { return ref{field, "persons", "person", id} }
func countryRef(id *int64) ref              { return ref{"country_id", "countries", "country", id} }
func fileRef(field string, id *int64) ref   { return ref{field, "img_files", "file", id} }
func movieRef(id int64) ref                 { return ref{"movie_id", "movies", "movie", &id} }
func genreRef(id int64) ref                 { return ref{"genre_id", "genres", "genre", &id} }
func characterRef(id int64) ref             { return ref{"character_id", "characters", "character", &id} }
func userRef(id int64) ref                  { return ref{"user_id", "users", "user", &id} }
