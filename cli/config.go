package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/moviedb/moviedb/media"
)

// An option is a configuration flag with its environment fallback.
type option struct {
	name  string // flag name, without dashes
	env   string
	def   string // "" only for --base-url, derived from the listening address
	usage string
}

// The configuration options, in the order --help lists them.
var (
	optAddr = option{"addr", "MOVIEDB_ADDR", "127.0.0.1:8080",
		"host:port to listen on (port 0 picks a free port)"}
	optDB = option{"db", "MOVIEDB_DB", "sqlite:./data/moviedb.db",
		"database: sqlite:PATH or postgres://USER@HOST:PORT/NAME (a password only in the environment)"}
	optBaseURL = option{"base-url", "MOVIEDB_BASE_URL", "",
		"public URL of the service, used in the links it returns"}
	optLogLevel = option{"log-level", "MOVIEDB_LOG_LEVEL", "info",
		"least important log level written: debug, info, warn or error"}
	optLogFormat = option{"log-format", "MOVIEDB_LOG_FORMAT", "text",
		"log format: text or json"}
	optShutdownTimeout = option{"shutdown-timeout", "MOVIEDB_SHUTDOWN_TIMEOUT", "15s",
		"on SIGINT or SIGTERM, how long in-flight requests may take to finish"}
	optTokenTTL = option{"token-ttl", "MOVIEDB_TOKEN_TTL", "720h",
		"how long a login token stays valid, from 1m to 8760h (a year)"}

	optMemoryLimit = option{"memory-limit", "MOVIEDB_MEMORY_LIMIT", "60MiB",
		"soft limit of the server's Go memory, such as 60MiB or 1GiB (0 for none; GOMEMLIMIT, when set, wins)"}

	optStorage = option{"storage", "MOVIEDB_STORAGE", "file:./data/files",
		"image storage: file:PATH, or s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true&public_url=URL&presign=15m\n" +
			"(S3 credentials only from MOVIEDB_S3_ACCESS_KEY_ID/MOVIEDB_S3_SECRET_ACCESS_KEY or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)"}
	optMaxUploadBytes = option{"max-upload-bytes", "MOVIEDB_MAX_UPLOAD_BYTES", "10485760",
		"largest image upload accepted, in bytes (413 beyond)"}
	optMaxImagePixels = option{"max-image-pixels", "MOVIEDB_MAX_IMAGE_PIXELS", "40000000",
		"largest image accepted, in pixels (width × height), checked from its header before decoding"}

	optDemo = option{"demo", "MOVIEDB_DEMO", "false",
		"on an empty database, load the built-in demo catalog (a few hundred movies)"}

	allOptions = []option{optAddr, optDB, optBaseURL, optLogLevel, optLogFormat, optShutdownTimeout, optTokenTTL,
		optMemoryLimit, optStorage, optMaxUploadBytes, optMaxImagePixels, optDemo}
)

// Bounds of --token-ttl: shorter tokens would expire mid-session, longer
// ones would outlive any reasonable rotation of credentials.
const (
	minTokenTTL = time.Minute
	maxTokenTTL = 8760 * time.Hour
)

// config is the resolved configuration of a command. Only the fields of the
// options the command takes are set.
type config struct {
	Addr            string
	DB              string
	BaseURL         string // "" when not set: serve derives it from the address it listens on
	LogLevel        slog.Level
	LogFormat       string // "text" or "json"
	ShutdownTimeout time.Duration
	TokenTTL        time.Duration
	MemoryLimit     int64 // bytes; 0 for none
	Storage         string
	Limits          media.Limits
	Demo            bool
}

// A usageError is a mistake in the command line or the environment; the
// command exits with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// newFlagSet returns a flag set for command taking opts. Parse errors come
// back as errors only: the caller prints one line, not the usage.
func newFlagSet(command string, opts ...option) *flag.FlagSet {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for _, o := range opts {
		if o.def == "false" { // a switch: --demo alone turns it on
			fs.Bool(o.name, false, o.usage)
			continue
		}
		fs.String(o.name, o.def, o.usage)
	}
	return fs
}

// errUnexpectedArgument is wrapped in the error of parseFlags for an
// argument after the flags.
var errUnexpectedArgument = errors.New("unexpected argument")

// parseFlags parses args with fs. It returns flag.ErrHelp for -h and --help.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return err
	case err != nil:
		return usageErrorf("%s: %v (see moviedb %s --help)", fs.Name(), err, fs.Name())
	case fs.NArg() > 0:
		return usageErrorf("%s: %w %q (see moviedb %s --help)", fs.Name(), errUnexpectedArgument, fs.Arg(0), fs.Name())
	}
	return nil
}

// loadConfig resolves the options defined on fs, after fs.Parse: a flag
// given on the command line wins, then the environment variable, then the
// default. It checks every value and names the flag or variable at fault.
func loadConfig(fs *flag.FlagSet, getenv func(string) string) (config, error) {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	type setting struct{ value, source string }
	settings := map[string]setting{}
	for _, o := range allOptions {
		f := fs.Lookup(o.name)
		switch {
		case f == nil:
			continue
		case given[o.name]:
			settings[o.name] = setting{f.Value.String(), "--" + o.name}
		case getenv(o.env) != "":
			settings[o.name] = setting{getenv(o.env), o.env}
		default:
			settings[o.name] = setting{o.def, "--" + o.name}
		}
	}

	var cfg config
	if s, ok := settings[optAddr.name]; ok {
		if _, _, err := net.SplitHostPort(s.value); err != nil {
			return cfg, usageErrorf("%s: invalid address %q: want host:port, e.g. 127.0.0.1:8080", s.source, s.value)
		}
		cfg.Addr = s.value
	}
	if s, ok := settings[optDB.name]; ok {
		if err := checkDB(s.value); err != nil {
			return cfg, usageErrorf("%s: %w", s.source, err)
		}
		cfg.DB = s.value
	}
	if s, ok := settings[optBaseURL.name]; ok {
		if s.value != "" {
			u, err := url.Parse(s.value)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
				return cfg, usageErrorf("%s: invalid URL %q: want http(s)://HOST[/PATH], e.g. https://movies.example.com", s.source, s.value)
			}
			cfg.BaseURL = strings.TrimSuffix(s.value, "/")
		}
	}
	if s, ok := settings[optLogLevel.name]; ok {
		switch strings.ToLower(s.value) {
		case "debug":
			cfg.LogLevel = slog.LevelDebug
		case "info":
			cfg.LogLevel = slog.LevelInfo
		case "warn":
			cfg.LogLevel = slog.LevelWarn
		case "error":
			cfg.LogLevel = slog.LevelError
		default:
			return cfg, usageErrorf("%s: invalid log level %q: want debug, info, warn or error", s.source, s.value)
		}
	}
	if s, ok := settings[optLogFormat.name]; ok {
		cfg.LogFormat = strings.ToLower(s.value)
		if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
			return cfg, usageErrorf("%s: invalid log format %q: want text or json", s.source, s.value)
		}
	}
	if s, ok := settings[optShutdownTimeout.name]; ok {
		d, err := time.ParseDuration(s.value)
		if err != nil || d <= 0 {
			return cfg, usageErrorf("%s: invalid duration %q: want a positive duration such as 15s or 1m", s.source, s.value)
		}
		cfg.ShutdownTimeout = d
	}
	if s, ok := settings[optTokenTTL.name]; ok {
		d, err := time.ParseDuration(s.value)
		if err != nil || d < minTokenTTL || d > maxTokenTTL {
			return cfg, usageErrorf("%s: invalid token lifetime %q: want a duration from 1m to 8760h, such as 720h", s.source, s.value)
		}
		cfg.TokenTTL = d
	}
	if s, ok := settings[optMemoryLimit.name]; ok {
		n, err := parseByteSize(s.value)
		if err != nil || n != 0 && n < minMemoryLimit {
			return cfg, usageErrorf("%s: invalid memory limit %q: want 0 or a size from 16MiB, such as 60MiB or 1GiB", s.source, s.value)
		}
		cfg.MemoryLimit = n
	}
	if s, ok := settings[optStorage.name]; ok {
		if !strings.HasPrefix(s.value, "file:") && !strings.HasPrefix(s.value, "s3://") {
			return cfg, usageErrorf("%s: invalid storage %q: want file:PATH or s3://BUCKET/PREFIX?…", s.source, s.value)
		}
		cfg.Storage = s.value
	}
	if s, ok := settings[optMaxUploadBytes.name]; ok {
		n, err := strconv.ParseInt(s.value, 10, 64)
		if err != nil || n < 1024 || n > 1<<30 {
			return cfg, usageErrorf("%s: invalid upload limit %q: want a number of bytes from 1024 to 1073741824", s.source, s.value)
		}
		cfg.Limits.MaxBytes = n
	}
	if s, ok := settings[optMaxImagePixels.name]; ok {
		n, err := strconv.ParseInt(s.value, 10, 64)
		if err != nil || n < 1 || n > 250_000_000 {
			return cfg, usageErrorf("%s: invalid pixel limit %q: want a number from 1 to 250000000", s.source, s.value)
		}
		cfg.Limits.MaxPixels = n
	}
	if s, ok := settings[optDemo.name]; ok {
		b, err := strconv.ParseBool(s.value)
		if err != nil {
			return cfg, usageErrorf("%s: invalid value %q: want true or false", s.source, s.value)
		}
		cfg.Demo = b
	}
	return cfg, nil
}

// minMemoryLimit is the least --memory-limit: below it the collector
// would run all the time for the server's own needs.
const minMemoryLimit = 16 << 20

// parseByteSize parses a whole number of bytes with an optional unit
// B, KiB, MiB or GiB, as GOMEMLIMIT does.
func parseByteSize(v string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"B", 0}}
	shift := uint(0)
	for _, u := range units {
		if n, ok := strings.CutSuffix(v, u.suffix); ok {
			v, shift = n, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("invalid size %q", v)
	}
	return n << shift, nil
}

// checkDB reports whether dsn names a database moviedb can open, without
// connecting. Its errors never hold a password.
func checkDB(dsn string) error {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		if strings.TrimPrefix(dsn, "sqlite:") == "" {
			return errors.New(`invalid database "sqlite:": want sqlite:PATH, e.g. sqlite:./data/moviedb.db`)
		}
		return nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil || u.Host == "" {
			// url.Parse errors quote the whole URL, password included.
			return errors.New("invalid PostgreSQL URL: want postgres://USER@HOST:PORT/NAME")
		}
		return nil
	}
	// Only the scheme is quoted: the rest may hold a password in a form
	// Redact does not recognise.
	if scheme, _, ok := strings.Cut(dsn, ":"); ok {
		return fmt.Errorf("unsupported database %q: want sqlite:PATH or postgres://USER@HOST:PORT/NAME", scheme+":…")
	}
	return fmt.Errorf("invalid database %q: want sqlite:PATH or postgres://USER@HOST:PORT/NAME", dsn)
}

// deriveBaseURL returns the URL clients reach addr at, naming localhost
// when addr listens on every interface. When addr asks for any free port,
// the port comes from listening, the address actually listened on.
func deriveBaseURL(addr, listening string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if port == "0" {
		if _, p, err := net.SplitHostPort(listening); err == nil {
			port = p
		}
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// newLogger returns the logger cfg asks for, writing to w.
func newLogger(w io.Writer, cfg config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
