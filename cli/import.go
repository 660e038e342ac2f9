package cli

import (
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/moviedb/moviedb/importer"
	"github.com/moviedb/moviedb/sqlstore"
)

// The flags of import and export.
var (
	flagBatchSize = argFlag{"batch-size", "N", "movies written per transaction (default " + strconv.Itoa(importer.DefaultBatchSize) + ")"}
	flagStrict    = argFlag{"strict", "", "fail on the first malformed record instead of skipping it"}
	flagFormat    = argFlag{"format", "json", "the export format; json is the only one"}
)

var (
	importCommand = command{
		name:    "import",
		args:    "FORMAT FILE… [flags]",
		summary: "import movie data sets (" + strings.Join(importer.Formats, ", ") + ")",
		options: []option{optDB},
		flags:   []argFlag{flagBatchSize, flagStrict},
		notes: "Files may be plain or gzipped. FORMAT is one of:\n" +
			"  wikipedia      the Wikipedia movie JSON (prust/wikipedia-movie-data)\n" +
			"  imdb           IMDb's TSV dumps: title.basics with title.crew, title.principals\n" +
			"                 and name.basics, in any order\n" +
			"  imdb-top-1000  the Kaggle imdb_top_1000.csv\n" +
			"  moviedb-json   a file written by `moviedb export`, restored with its ids\n" +
			"Importing a file again adds nothing; an interrupted import finishes when rerun.\n" +
			"docs/IMPORT.md says how each field maps to the catalog. Pending database\n" +
			"migrations are applied first.",
	}
	exportCommand = command{
		name:    "export",
		args:    "--format json FILE [flags]",
		summary: "write the whole catalog (without passwords) to FILE, gzipped if it ends in .gz",
		options: []option{optDB},
		flags:   []argFlag{flagFormat},
		notes:   "FILE - writes to stdout. `moviedb import moviedb-json FILE` reads it back.",
	}
)

// parseWithArgs parses the flags of c, which may come before, between or
// after its positional arguments, and returns those arguments.
func (e *env) parseWithArgs(c command, args []string) (config, *flag.FlagSet, []string, error) {
	fs := commandFlagSet(c)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printCommandHelp(e.stdout, c)
				return config{}, nil, nil, err
			}
			return config{}, nil, nil, usageErrorf("%s: %v (see moviedb %s --help)", c.name, err, c.name)
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	cfg, err := loadConfig(fs, e.getenv)
	return cfg, fs, positional, err
}

// importData runs `moviedb import FORMAT FILE…`.
func (e *env) importData(ctx context.Context, args []string) error {
	cfg, fs, positional, err := e.parseWithArgs(importCommand, args)
	if err != nil {
		return err
	}
	if len(positional) < 2 {
		return usageErrorf("import: want a FORMAT (%s) and at least one FILE (see moviedb import --help)", strings.Join(importer.Formats, ", "))
	}
	format, files := positional[0], positional[1:]
	if !slices.Contains(importer.Formats, format) {
		return usageErrorf("import: unknown format %q: want one of %s", format, strings.Join(importer.Formats, ", "))
	}
	opts := importer.Options{Strict: fs.Lookup(flagStrict.name).Value.String() == "true"}
	if v := fs.Lookup(flagBatchSize.name).Value.String(); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100_000 {
			return usageErrorf("import: --batch-size %q: want a number from 1 to 100000", v)
		}
		opts.BatchSize = n
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	progress := e.progress()
	opts.Progress = progress.update
	sum, err := importer.Import(ctx, store, format, files, opts)
	progress.done()
	if sum != nil {
		printSummary(e.stdout, sum)
	}
	if errors.Is(err, context.Canceled) {
		return errors.New("import: interrupted; what was imported is kept, and running the same import again finishes it")
	}
	return err
}

// A progressReport shows how far an import is: a bar on a terminal, a
// line at most every few seconds otherwise.
type progressReport struct {
	e    *env
	bar  *progressbar.ProgressBar
	file string
	last time.Time
	tty  bool
}

func (e *env) progress() *progressReport {
	p := &progressReport{e: e}
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

func (p *progressReport) update(pr importer.Progress) {
	if p.tty {
		if p.bar == nil || p.file != pr.File {
			if p.bar != nil {
				p.bar.Finish()
			}
			p.file = pr.File
			p.bar = progressbar.NewOptions64(pr.Size,
				progressbar.OptionSetWriter(p.e.stderr),
				progressbar.OptionSetDescription("importing "+filepath.Base(pr.File)),
				progressbar.OptionShowBytes(true),
				progressbar.OptionShowCount(),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish())
		}
		p.bar.Set64(pr.Read)
		return
	}
	// The first batch is always reported, then every two seconds.
	if !p.last.IsZero() && time.Since(p.last) < 2*time.Second {
		return
	}
	p.last = time.Now()
	pct := 0.0
	if pr.Size > 0 {
		pct = 100 * float64(pr.Read) / float64(pr.Size)
	}
	fmt.Fprintf(p.e.stderr, "importing %s: %d movies read, %.0f%%\n", filepath.Base(pr.File), pr.Movies, pct)
}

func (p *progressReport) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// printSummary writes what an import did.
func printSummary(w io.Writer, s *importer.Summary) {
	rate := 0.0
	if secs := s.Elapsed.Seconds(); secs > 0 {
		rate = float64(s.Rows()) / secs
	}
	fmt.Fprintf(w, "imported in %s: %d rows written (%.0f rows/s), %d new movies\n",
		s.Elapsed.Round(time.Millisecond), s.Rows(), rate, s.Movies.Created)
	fmt.Fprintf(w, "%-11s %9s %9s %9s\n", "", "created", "matched", "skipped")
	for _, row := range []struct {
		name string
		c    [3]int
	}{
		{"movies", [3]int{s.Movies.Created, s.Movies.Matched, s.Movies.Skipped}},
		{"persons", [3]int{s.Persons.Created, s.Persons.Matched, s.Persons.Skipped}},
		{"characters", [3]int{s.Characters.Created, s.Characters.Matched, s.Characters.Skipped}},
		{"genres", [3]int{s.Genres.Created, s.Genres.Matched, s.Genres.Skipped}},
		{"countries", [3]int{s.Countries.Created, s.Countries.Matched, s.Countries.Skipped}},
		{"images", [3]int{s.Files.Created, s.Files.Matched, s.Files.Skipped}},
	} {
		fmt.Fprintf(w, "%-11s %9d %9d %9d\n", row.name, row.c[0], row.c[1], row.c[2])
	}
	fmt.Fprintf(w, "%-11s %9d\n", "links", s.Links)
	if s.SkippedRecords > 0 {
		fmt.Fprintf(w, "skipped %d malformed records:\n", s.SkippedRecords)
		for _, sk := range s.Skips {
			fmt.Fprintf(w, "  %s\n", sk)
		}
		if more := s.SkippedRecords - len(s.Skips); more > 0 {
			fmt.Fprintf(w, "  … and %d more\n", more)
		}
	}
}

// exportData runs `moviedb export --format json FILE`.
func (e *env) exportData(ctx context.Context, args []string) error {
	cfg, fs, positional, err := e.parseWithArgs(exportCommand, args)
	if err != nil {
		return err
	}
	if f := fs.Lookup(flagFormat.name).Value.String(); f != "json" {
		return usageErrorf("export: --format %q: want --format json", f)
	}
	if len(positional) != 1 {
		return usageErrorf("export: want one FILE (- for stdout) (see moviedb export --help)")
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.CheckSchema(ctx); err != nil {
		return err
	}
	name := positional[0]
	if name == "-" {
		return store.Export(ctx, e.stdout)
	}
	// Written beside the target and renamed at the end, so FILE is never
	// a half-written export.
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	var w io.Writer = tmp
	var gz *gzip.Writer
	if strings.HasSuffix(name, ".gz") {
		gz = gzip.NewWriter(tmp)
		w = gz
	}
	err = store.Export(ctx, w)
	if gz != nil && err == nil {
		err = gz.Close()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(e.stderr, "exported the catalog to %s\n", name)
	return nil
}

// loadDemo loads the built-in demo catalog into store when asked to and
// the catalog is empty.
func loadDemo(ctx context.Context, log *slog.Logger, store *sqlstore.Store, demo bool) error {
	if !demo {
		return nil
	}
	sum, loaded, err := importer.LoadDemo(ctx, store)
	switch {
	case err != nil:
		return fmt.Errorf("load the demo catalog: %w", err)
	case !loaded:
		log.Info("demo catalog not loaded: the catalog is not empty")
	default:
		log.Info("loaded demo catalog", "movies", sum.Movies.Created, "persons", sum.Persons.Created,
			"elapsed", sum.Elapsed.Round(time.Millisecond), "attribution", importer.DemoAttribution)
	}
	return nil
}
