package sqlstore

import "context"

// RecordMigrationForTest marks a migration this binary does not have as
// applied, as a newer moviedb would have.
func (s *Store) RecordMigrationForTest(ctx context.Context, version int, name string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx,
			"INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", version, name, tx.now)
		return err
	})
}
