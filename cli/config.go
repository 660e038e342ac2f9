package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
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

	optDemo = option{"demo", "MOVIEDB_DEMO", "false",
		"on an empty database, load the built-in demo catalog (a few hundred movies)"}

	allOptions = []option{optAddr, optDB, optBaseURL, optLogLevel, optLogFormat, optShutdownTimeout, optTokenTTL, optDemo}
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
	if s, ok := settings[optDemo.name]; ok {
		b, err := strconv.ParseBool(s.value)
		if err != nil {
			return cfg, usageErrorf("%s: invalid value %q: want true or false", s.source, s.value)
		}
		cfg.Demo = b
	}
	return cfg, nil
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
