package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// minCopyRows is the fewest rows insertRows loads with COPY rather than
// a multi-row INSERT: COPY first asks the server for the columns' types,
// a round trip a few rows do not repay.
const minCopyRows = 100

// copyRows loads rows into table's cols with PostgreSQL's COPY, inside
// tx, which inBulkTx began on a connection of its own: COPY sends rows
// as a stream, with no statement to parse or plan and no limit on
// parameters.
func copyRows(ctx context.Context, tx *Tx, table string, cols []string, rows [][]any) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = strings.Trim(c, `"`) // pgx quotes them itself
	}
	err := tx.conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, names, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, translate(err, opWrite))
	}
	return nil
}
