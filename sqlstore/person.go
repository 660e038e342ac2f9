package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/moviedb/moviedb/catalog"
)

const personColumns = `id, first_name, last_name, biography, date_of_birth, gender, country_id, "createdAt", "updatedAt"`

func scanPerson(row interface{ Scan(...any) error }, extra ...any) (*catalog.Person, error) {
	var (
		p         catalog.Person
		biography sql.NullString
		born      sql.NullTime
		gender    sql.NullString
		country   sql.NullInt64
	)
	dest := append([]any{&p.ID, &p.FirstName, &p.LastName, &biography, &born, &gender, &country,
		&p.CreatedAt, &p.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	p.Biography = stringOf(biography)
	p.DateOfBirth = dateOf(born)
	p.Gender = stringOf(gender)
	p.CountryID = int64Of(country)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, nil
}

// checkPersonValues rejects what the constraints let through or cannot
// name: a first name of tabs or other white space (trim in the CHECK
// removes spaces only), and a date of birth outside years 1 to 9999, which
// SQLite's date functions do not know and which PostgreSQL rejects (year 0)
// without naming a constraint.
func checkPersonValues(firstName *string, born *catalog.Date) error {
	v := &catalog.ValidationError{}
	if firstName != nil && strings.TrimSpace(*firstName) == "" {
		v.Add("first_name", rules["persons_first_name_check"].message)
	}
	if born != nil && (born.Year < 1 || born.Year > 9999) {
		v.Add("date_of_birth", "must be a date between years 1 and 9999")
	}
	return v.Err()
}

// CreatePerson inserts p and sets its ID and timestamps. A blank first name,
// a gender outside catalog.Genders or a country that does not exist is a
// *catalog.ValidationError naming the field.
func (s *Store) CreatePerson(ctx context.Context, p *catalog.Person) error {
	if err := checkPersonValues(&p.FirstName, p.DateOfBirth); err != nil {
		return fmt.Errorf("sqlstore: create person: %w", err)
	}
	var created *catalog.Person
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, countryRef(p.CountryID)); err != nil {
			return err
		}
		var err error
		created, err = scanPerson(tx.QueryRowContext(ctx, `INSERT INTO persons
			(first_name, last_name, biography, date_of_birth, gender, country_id, "createdAt", "updatedAt")
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING `+personColumns,
			p.FirstName, p.LastName, p.Biography, dateArg(p.DateOfBirth), p.Gender, p.CountryID, tx.now))
		return translate(err, opWrite)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: create person: %w", err)
	}
	*p = *created
	return nil
}

// PersonByID returns the person with id, or catalog.ErrNotFound.
func (s *Store) PersonByID(ctx context.Context, id int64) (*catalog.Person, error) {
	p, err := scanPerson(s.read.QueryRowContext(ctx, "SELECT "+personColumns+" FROM persons WHERE id = $1", id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: person %d: %w", id, translate(err, opWrite))
	}
	return p, nil
}

// UpdatePerson changes the fields upd sets and returns the person. The
// rules of CreatePerson apply to the new values.
func (s *Store) UpdatePerson(ctx context.Context, id int64, upd catalog.PersonUpdate) (*catalog.Person, error) {
	var set setList
	var country *int64
	var born *catalog.Date
	if upd.FirstName != nil {
		set.add("first_name", *upd.FirstName)
	}
	if upd.LastName != nil {
		set.add("last_name", *upd.LastName)
	}
	if upd.Biography != nil {
		set.add("biography", nullableArg(upd.Biography))
	}
	if upd.DateOfBirth != nil {
		born = upd.DateOfBirth.Value
		set.add("date_of_birth", nullableArg(upd.DateOfBirth))
	}
	if upd.Gender != nil {
		set.add("gender", nullableArg(upd.Gender))
	}
	if upd.CountryID != nil {
		country = upd.CountryID.Value
		set.add("country_id", nullableArg(upd.CountryID))
	}
	if err := checkPersonValues(upd.FirstName, born); err != nil {
		return nil, fmt.Errorf("sqlstore: update person %d: %w", id, err)
	}
	var p *catalog.Person
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := checkRefs(ctx, tx, countryRef(country)); err != nil {
			return err
		}
		keys, keyVals := rowKeys(id, upd.IfUpdatedAt)
		q, args := set.updateSQL(tx, "persons", keys, keyVals, personColumns)
		var err error
		p, err = scanPerson(tx.QueryRowContext(ctx, q, args...))
		if errors.Is(err, sql.ErrNoRows) {
			return missedUpdate(ctx, tx, "persons", id, upd.IfUpdatedAt)
		}
		return translate(err, opWrite)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: update person %d: %w", id, err)
	}
	return p, nil
}

// DeletePerson deletes a person with their photo links; the characters they
// played stay in the cast, played by nobody known. A person who still
// directs a movie is a *catalog.ConflictError on director_id, and nothing
// changes.
func (s *Store) DeletePerson(ctx context.Context, id int64) error {
	return s.DeletePersonIf(ctx, id, nil)
}

// DeletePersonIf is DeletePerson that, when ifUpdatedAt is set, deletes
// the person only if their updatedAt still equals it, as
// PersonUpdate.IfUpdatedAt does for an update: otherwise it fails with
// catalog.ErrPreconditionFailed and deletes nothing.
func (s *Store) DeletePersonIf(ctx context.Context, id int64, ifUpdatedAt *time.Time) error {
	return s.deleteIf(ctx, "persons", id, ifUpdatedAt, movieDirectorFK)
}

// personsByName is the order of the persons list. Its keys are the terms
// of persons_name_id_idx, so a page starts where the index lookup lands.
var personsByName = keyset{scope: "persons:name", keys: []sortKey{
	{expr: "lower(last_name)", kind: keyText}, {expr: "lower(first_name)", kind: keyText}, {expr: "id", kind: keyInt}}}

// ListPersons returns a page of persons ordered by name. Its total counts
// up to catalog.MaxExactTotal: a catalog holds millions of persons, and an
// exact count would cost a scan of them all on every page.
func (s *Store) ListPersons(ctx context.Context, f catalog.PersonFilter) (catalog.List[catalog.Person], error) {
	q := keysetQuery{columns: personColumns, from: "FROM persons", order: personsByName}
	return listPage(ctx, s, "list persons", q, f.Page, scanPerson, boundedCount)
}
