// Package importer reads public movie data sets (the Wikipedia movie JSON,
// IMDb's TSV dumps, the Kaggle IMDb top 1000 CSV) and moviedb's own export
// into the catalog. Files are streamed, plain or gzipped, and written in
// batches of whole movies, each batch in one transaction: memory is bounded
// by the batch size, and an import stopped half-way finishes when rerun.
// docs/IMPORT.md documents how each field maps to the catalog.
package importer

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/moviedb/moviedb/catalog"
	"github.com/moviedb/moviedb/sqlstore"
)

// Formats lists the formats Import reads.
var Formats = []string{"wikipedia", "imdb", "imdb-top-1000", "moviedb-json"}

// DefaultBatchSize is how many movies go into one transaction by default.
const DefaultBatchSize = 5000

// maxSkipDetails bounds the skipped records a Summary lists one by one.
const maxSkipDetails = 100

// Options tune an import. The zero value is ready to use.
type Options struct {
	// BatchSize is how many movies each transaction writes; default
	// DefaultBatchSize.
	BatchSize int
	// Strict makes the first malformed record fail the import instead of
	// being skipped.
	Strict bool
	// Progress, when set, is told after each batch how far the import is.
	Progress func(Progress)
}

// Progress says how far an import is.
type Progress struct {
	File       string
	Read, Size int64 // bytes of the file (as stored, maybe gzipped) read, and its size
	Movies     int   // movies read so far
}

// A Skip is a record an import left out, and why.
type Skip struct {
	File   string
	Line   int
	Reason string
}

func (s Skip) String() string { return fmt.Sprintf("%s:%d: %s", s.File, s.Line, s.Reason) }

// A Summary says what an import did.
type Summary struct {
	catalog.ImportStats
	// Skips lists the first skipped records; SkippedRecords counts them all.
	Skips          []Skip
	SkippedRecords int
	Elapsed        time.Duration
}

// A MalformedError is returned, with Options.Strict, for the first malformed
// record.
type MalformedError struct{ Skip }

func (e *MalformedError) Error() string { return "importer: malformed record at " + e.Skip.String() }

// Import reads files in format into the store. It stops between batches
// when ctx is done, returning what was done so far with ctx's error.
func Import(ctx context.Context, store *sqlstore.Store, format string, files []string, opts Options) (*Summary, error) {
	if !slices.Contains(Formats, format) {
		return nil, fmt.Errorf("importer: unknown format %q: want one of %s", format, strings.Join(Formats, ", "))
	}
	if len(files) == 0 {
		return nil, errors.New("importer: no file to import")
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	start := time.Now()
	run := &run{ctx: ctx, store: store, im: store.NewImporter(), opts: opts, sum: &Summary{}}
	var err error
	switch format {
	case "moviedb-json":
		err = run.restore(files)
	case "imdb":
		err = run.imdb(files)
	default:
		for _, f := range files {
			if err = run.file(f, format); err != nil {
				break
			}
		}
	}
	if werr := run.finish(); werr != nil {
		err = werr // the reader stopped because of it, if at all
	}
	if cerr := run.im.Close(context.WithoutCancel(ctx)); cerr != nil && err == nil {
		err = fmt.Errorf("importer: %w", cerr)
	}
	run.sum.Elapsed = time.Since(start)
	return run.sum, err
}

// A run is one import in progress.
type run struct {
	ctx   context.Context
	store *sqlstore.Store
	im    *sqlstore.Importer
	opts  Options
	sum   *Summary
	batch []catalog.ImportMovie
	in    *input // the file being read
	read  int    // movies read from it

	// Batches are written by a goroutine of their own while the next one
	// is read: at most one waits in jobs, so memory stays bounded.
	jobs     chan writeJob
	written  chan struct{} // closed when the writer has ended
	wroteErr error         // the writer's error, read once written is closed
	wrote    catalog.ImportStats
	failed   chan struct{} // closed when the writer fails
}

// A writeJob is a batch to write, with where reading was when it was full.
type writeJob struct {
	batch    []catalog.ImportMovie
	progress Progress
}

// file imports one file of a single-file format.
func (r *run) file(name, format string) error {
	in, err := open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	r.in, r.read = in, 0
	switch format {
	case "wikipedia":
		err = r.wikipedia(in)
	case "imdb-top-1000":
		err = r.top1000(in)
	}
	if err != nil {
		return err
	}
	return r.flush()
}

// accept queues m, read at line with dropped cast entries left out, or
// skips it when the catalog's rules reject it.
func (r *run) accept(line int, m catalog.ImportMovie, dropped int) error {
	if reason := checkMovie(&m); reason != "" {
		return r.skip(line, "%s", reason)
	}
	r.sum.Characters.Skipped += dropped
	return r.add(m)
}

// add queues m, writing a batch once it is full.
func (r *run) add(m catalog.ImportMovie) error {
	r.batch = append(r.batch, m)
	r.read++
	if len(r.batch) >= r.opts.BatchSize {
		return r.flush()
	}
	return nil
}

// flush hands the queued movies to the writer, which writes them in one
// transaction.
func (r *run) flush() error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if len(r.batch) == 0 {
		return nil
	}
	if r.jobs == nil {
		r.startWriter()
	}
	job := writeJob{batch: r.batch}
	if r.in != nil {
		job.progress = Progress{File: r.in.name, Read: r.in.count.n, Size: r.in.size, Movies: r.read}
	}
	select {
	case r.jobs <- job:
	case <-r.failed:
		return errWriterFailed
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
	r.batch = make([]catalog.ImportMovie, 0, r.opts.BatchSize)
	return nil
}

// errWriterFailed stops reading once the writer failed; finish returns
// the writer's error.
var errWriterFailed = errors.New("importer: writing failed")

func (r *run) startWriter() {
	r.jobs = make(chan writeJob, 1)
	r.written = make(chan struct{})
	r.failed = make(chan struct{})
	go func() {
		defer close(r.written)
		for job := range r.jobs {
			st, err := r.im.ImportMovies(r.ctx, job.batch)
			if err != nil {
				b := job.batch
				r.wroteErr = fmt.Errorf("importer: %s: batch of lines %d to %d: %w", job.progress.File, b[0].Line, b[len(b)-1].Line, err)
				close(r.failed)
				for range r.jobs { // drain what was queued, unwritten
				}
				return
			}
			r.wrote.Add(st)
			if r.opts.Progress != nil {
				r.opts.Progress(job.progress)
			}
		}
	}()
}

// finish waits for the writer to write what was handed to it and adds
// what it did to the summary.
func (r *run) finish() error {
	if r.jobs == nil {
		return nil
	}
	close(r.jobs)
	<-r.written
	r.sum.Add(r.wrote)
	return r.wroteErr
}

func (r *run) progress() {
	if r.opts.Progress != nil && r.in != nil {
		r.opts.Progress(Progress{File: r.in.name, Read: r.in.count.n, Size: r.in.size, Movies: r.read})
	}
}

// skip records a malformed record, or fails with it under Options.Strict.
func (r *run) skip(line int, format string, args ...any) error {
	s := Skip{File: r.in.name, Line: line, Reason: fmt.Sprintf(format, args...)}
	if r.opts.Strict {
		return &MalformedError{s}
	}
	r.sum.SkippedRecords++
	r.sum.Movies.Skipped++
	if len(r.sum.Skips) < maxSkipDetails {
		r.sum.Skips = append(r.sum.Skips, s)
	}
	return nil
}

// checkMovie returns why m cannot be imported, or "".
func checkMovie(m *catalog.ImportMovie) string {
	mv := catalog.Movie{Title: m.Title, Description: m.Description, ReleaseDate: m.ReleaseDate, Duration: m.Duration, Budget: m.Budget}
	err := mv.Validate(catalog.DateOf(time.Now().UTC()))
	var v *catalog.ValidationError
	if errors.As(err, &v) {
		var reasons []string
		for _, f := range slices.Sorted(maps.Keys(v.Fields)) {
			reasons = append(reasons, f+" "+v.Fields[f])
		}
		return strings.Join(reasons, "; ")
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// An input is a data file being read, gunzipped when it starts with
// gzip's magic bytes.
type input struct {
	name  string
	size  int64
	count *countingReader // bytes of the file read, for progress
	r     *bufio.Reader   // the content
	close func() error
}

func open(name string) (*input, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	in, err := newInput(name, f, size, f.Close)
	if err != nil {
		f.Close()
	}
	return in, err
}

// newInput reads r, of size bytes, named name in messages.
func newInput(name string, r io.Reader, size int64, close func() error) (*input, error) {
	in := &input{name: name, size: size, close: close}
	in.count = &countingReader{r: r}
	br := bufio.NewReaderSize(in.count, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("importer: %s: %w", name, err)
		}
		in.r = bufio.NewReaderSize(gz, 1<<16)
	} else {
		in.r = br
	}
	return in, nil
}

// Close closes the file.
func (in *input) Close() error { return in.close() }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
