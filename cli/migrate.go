package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moviedb/moviedb/sqlstore"
)

// connectTimeout bounds connecting to the database, so that an address
// that drops packets fails in seconds instead of hanging.
const connectTimeout = 15 * time.Second

// openStore connects to the database dsn.
func openStore(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	return sqlstore.Open(ctx, dsn, sqlstore.Options{})
}

// migrate runs `moviedb migrate up` and `moviedb migrate status`.
func (e *env) migrate(ctx context.Context, args []string) error {
	return e.dispatch(ctx, "migrate", args,
		subcommand{"up", migrateUpCommand, e.migrateUp},
		subcommand{"status", migrateStatusCommand, e.migrateStatus})
}

// A subcommand is the second word of a command group, as "up" of
// `moviedb migrate up`, with its help entry and what it runs.
type subcommand struct {
	name string
	help command
	run  func(ctx context.Context, args []string) error
}

// dispatch runs the subcommand of group that args name, or prints the
// group's help for -h, or answers a usage error naming the choices.
func (e *env) dispatch(ctx context.Context, group string, args []string, subs ...subcommand) error {
	choices := make([]string, len(subs))
	helps := make([]command, len(subs))
	for i, sub := range subs {
		choices[i] = "`" + group + " " + sub.name + "`"
		helps[i] = sub.help
	}
	want := strings.Join(choices, " or ")
	if len(args) == 0 {
		return usageErrorf("%s: want %s", group, want)
	}
	for _, sub := range subs {
		if args[0] == sub.name {
			return sub.run(ctx, args[1:])
		}
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printCommandHelp(e.stdout, helps...)
		return nil
	}
	return usageErrorf("%s: unknown subcommand %q: want %s", group, args[0], want)
}

// migrateUp applies the pending migrations and prints each one it applied.
func (e *env) migrateUp(ctx context.Context, args []string) error {
	cfg, _, err := e.parseCommand(migrateUpCommand, args)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	applied, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, m := range applied {
		fmt.Fprintf(e.stdout, "applied %04d_%s\n", m.Version, m.Name)
	}
	if len(applied) == 0 {
		fmt.Fprintln(e.stdout, "database is up to date")
	}
	return nil
}

// migrateStatus prints one line per migration this binary knows.
func (e *env) migrateStatus(ctx context.Context, args []string) error {
	cfg, _, err := e.parseCommand(migrateStatusCommand, args)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	// On ErrUnknownMigration the list still comes back: print it, then fail.
	ms, err := store.MigrationStatus(ctx)
	for _, m := range ms {
		state := "pending"
		if m.AppliedAt != nil {
			state = "applied " + m.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(e.stdout, "%04d %s %s\n", m.Version, m.Name, state)
	}
	return err
}
