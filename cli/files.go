package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/moviedb/moviedb/blob"
	"github.com/moviedb/moviedb/media"
)

// files runs the `moviedb files` commands.
func (e *env) files(ctx context.Context, args []string) error {
	return e.dispatch(ctx, "files", args,
		subcommand{"gc", filesGCCommand, e.filesGC})
}

// filesGC lists, and with --delete removes, objects without a row and rows
// without an object.
func (e *env) filesGC(ctx context.Context, args []string) error {
	cfg, fs, err := e.parseCommand(filesGCCommand, args)
	if err != nil {
		return err
	}
	minAge := media.DefaultGCMinAge
	if v := flagString(fs, flagMinAge); v != "" {
		if minAge, err = time.ParseDuration(v); err != nil || minAge < 0 {
			return usageErrorf("files gc: --min-age %q: want a duration such as 1h", v)
		}
	}
	del := flagString(fs, flagDelete) == "true"
	files, err := blob.Open(ctx, cfg.Storage, blob.Options{Getenv: e.getenv})
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	// Migrations are applied by serve and migrate up; gc reads the schema
	// they make and changes nothing else.
	if err := store.CheckSchema(ctx); err != nil {
		return fmt.Errorf("files gc: %w", err)
	}
	rep, err := media.New(media.Config{Blob: files, Store: store}).GC(ctx, minAge, del)
	if rep != nil {
		verb := "orphan"
		if del {
			verb = "deleted"
		}
		for _, k := range rep.Objects {
			fmt.Fprintf(e.stdout, "%s object\t%s\n", verb, k)
		}
		for _, f := range rep.Rows {
			fmt.Fprintf(e.stdout, "%s row\t%d\t%s\n", verb, f.ID, f.Key)
		}
		fmt.Fprintf(e.stdout, "%d objects without a row, %d rows without an object", len(rep.Objects), len(rep.Rows))
		if !del && len(rep.Objects)+len(rep.Rows) > 0 {
			fmt.Fprint(e.stdout, " (run with --delete to remove them)")
		}
		fmt.Fprintln(e.stdout)
	}
	if err != nil {
		return fmt.Errorf("files gc: %w", err)
	}
	return nil
}
