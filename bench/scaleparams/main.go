// Command scaleparams reads a moviedb database for bench/scale.sh: the row
// counts after an import, and the parameters its requests draw from (the
// ids that exist, the busiest people, the genres and countries in use).
// It is a benchmark tool, not part of moviedb: it reads the tables with
// plain SQL, read only, so that the benchmark needs no endpoint that the
// product does not have.
//
//	scaleparams -db sqlite:bench.db -counts   # "table rows" lines, then "total rows"
//	scaleparams -db postgres://… > params.txt # name=value lines for seqload and template.lua
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver
)

func main() {
	dsn := flag.String("db", "", "database: sqlite:PATH or a postgres:// URL")
	counts := flag.Bool("counts", false, "print the row count of each catalog table instead of parameters")
	flag.Parse()
	if *dsn == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: scaleparams -db DSN [-counts]")
		os.Exit(2)
	}
	db, err := open(*dsn)
	if err == nil {
		defer db.Close()
		if *counts {
			err = writeCounts(context.Background(), db, os.Stdout)
		} else {
			err = writeParams(context.Background(), db, os.Stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scaleparams:", err)
		os.Exit(1)
	}
}

func open(dsn string) (*sql.DB, error) {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		return sql.Open("sqlite", "file:"+path+"?mode=ro")
	}
	return sql.Open("pgx", dsn)
}

// catalogTables are the tables an import writes.
var catalogTables = []string{"movies", "persons", "characters", "movie_characters", "movie_genres",
	"genres", "countries", "img_files"}

func writeCounts(ctx context.Context, db *sql.DB, w io.Writer) error {
	total := 0
	for _, t := range catalogTables {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", t, err)
		}
		fmt.Fprintf(w, "%s %d\n", t, n)
		total += n
	}
	_, err := fmt.Fprintf(w, "total %d\n", total)
	return err
}

// The parameters, each with the query giving its values (one column).
var listParams = []struct{ name, query string }{
	// The ten people with the most credits, acting and directing.
	{"busy_person", `SELECT id FROM (
		SELECT person_id AS id, count(*) AS n FROM movie_characters WHERE person_id IS NOT NULL GROUP BY person_id
		UNION ALL
		SELECT director_id, count(*) FROM movies WHERE director_id IS NOT NULL GROUP BY director_id) credits
		GROUP BY id ORDER BY sum(n) DESC, id LIMIT 10`},
	// Actors among the twenty busiest, for the actor filter.
	{"busy_actor", `SELECT person_id FROM movie_characters WHERE person_id IS NOT NULL
		GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT 20`},
	{"genre", `SELECT DISTINCT genre_id FROM movie_genres ORDER BY genre_id`},
	// "country=ID&" for each country with movies: a query fragment, as
	// IMDb's files have no countries and the filter is then left out.
	{"country_filter", `SELECT DISTINCT 'country=' || country_id || '&' FROM movies WHERE country_id IS NOT NULL`},
}

func writeParams(ctx context.Context, db *sql.DB, w io.Writer) error {
	for _, t := range []struct{ name, table string }{{"movie", "movies"}, {"person", "persons"}} {
		if err := writeIDs(ctx, db, w, t.name, t.table); err != nil {
			return err
		}
	}
	for _, p := range listParams {
		rows, err := db.QueryContext(ctx, p.query)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		n := 0
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return fmt.Errorf("%s: %w", p.name, err)
			}
			fmt.Fprintf(w, "%s=%s\n", p.name, v)
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		if n == 0 && p.name == "country_filter" {
			fmt.Fprintf(w, "%s=\n", p.name)
		} else if n == 0 {
			return fmt.Errorf("%s: no values: is the catalog empty?", p.name)
		}
	}
	return nil
}

// writeIDs writes the ids of table: a range when they have no gaps, else a
// random sample of ten thousand.
func writeIDs(ctx context.Context, db *sql.DB, w io.Writer, name, table string) error {
	var lo, hi, n sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT min(id), max(id), count(*) FROM "+table).Scan(&lo, &hi, &n); err != nil {
		return fmt.Errorf("%s ids: %w", table, err)
	}
	if n.Int64 == 0 {
		return fmt.Errorf("%s: no rows", table)
	}
	if hi.Int64-lo.Int64+1 == n.Int64 {
		_, err := fmt.Fprintf(w, "%s=%d..%d\n", name, lo.Int64, hi.Int64)
		return err
	}
	rows, err := db.QueryContext(ctx, "SELECT id FROM "+table+" ORDER BY random() LIMIT 10000")
	if err != nil {
		return fmt.Errorf("%s ids: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("%s ids: %w", table, err)
		}
		fmt.Fprintf(w, "%s=%d\n", name, id)
	}
	return rows.Err()
}
