package cli

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/moviedb/moviedb/media"
)

// parseServe parses args as `moviedb serve` flags with the environment env.
func parseServe(args []string, env map[string]string) (config, error) {
	fs := newFlagSet(serveCommand.name, serveCommand.options...)
	if err := parseFlags(fs, args); err != nil {
		return config{}, err
	}
	return loadConfig(fs, func(k string) string { return env[k] })
}

func TestLoadConfig(t *testing.T) {
	defaults := config{
		Addr: "127.0.0.1:8080", DB: "sqlite:./data/moviedb.db", BaseURL: "",
		LogLevel: slog.LevelInfo, LogFormat: "text", ShutdownTimeout: 15 * time.Second, TokenTTL: 720 * time.Hour,
		MemoryLimit: 60 << 20, Storage: "file:./data/files", Limits: media.Limits{MaxBytes: 10 << 20, MaxPixels: 40_000_000},
	}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want func(c *config)
	}{
		{name: "defaults"},
		{
			name: "environment",
			env: map[string]string{
				"MOVIEDB_ADDR": "0.0.0.0:9000", "MOVIEDB_DB": "postgres://u:pw@db:5432/movies",
				"MOVIEDB_BASE_URL": "https://movies.example.com/", "MOVIEDB_LOG_LEVEL": "DEBUG",
				"MOVIEDB_LOG_FORMAT": "json", "MOVIEDB_SHUTDOWN_TIMEOUT": "1m30s", "MOVIEDB_TOKEN_TTL": "24h",
				"MOVIEDB_STORAGE": "s3://posters/prod?region=eu-west-1", "MOVIEDB_MAX_UPLOAD_BYTES": "2048",
				"MOVIEDB_MAX_IMAGE_PIXELS": "1000000",
			},
			want: func(c *config) {
				*c = config{Addr: "0.0.0.0:9000", DB: "postgres://u:pw@db:5432/movies",
					BaseURL: "https://movies.example.com", LogLevel: slog.LevelDebug, LogFormat: "json",
					ShutdownTimeout: 90 * time.Second, TokenTTL: 24 * time.Hour,
					Storage: "s3://posters/prod?region=eu-west-1", Limits: media.Limits{MaxBytes: 2048, MaxPixels: 1_000_000}, MemoryLimit: 60 << 20}
			},
		},
		{
			name: "flags",
			args: []string{"--addr", ":8081", "--db=sqlite:/tmp/m.db", "-log-level", "warn",
				"--log-format", "json", "--shutdown-timeout", "2s", "--base-url", "http://localhost:8081", "--token-ttl", "90m",
				"--storage", "file:/srv/images", "--max-upload-bytes", "4096", "--max-image-pixels", "500"},
			want: func(c *config) {
				*c = config{Addr: ":8081", DB: "sqlite:/tmp/m.db", BaseURL: "http://localhost:8081",
					LogLevel: slog.LevelWarn, LogFormat: "json", ShutdownTimeout: 2 * time.Second, TokenTTL: 90 * time.Minute,
					Storage: "file:/srv/images", Limits: media.Limits{MaxBytes: 4096, MaxPixels: 500}, MemoryLimit: 60 << 20}
			},
		},
		{
			name: "flag beats environment",
			args: []string{"--addr", "127.0.0.1:7000", "--log-level", "error"},
			env:  map[string]string{"MOVIEDB_ADDR": "127.0.0.1:9000", "MOVIEDB_LOG_LEVEL": "debug", "MOVIEDB_LOG_FORMAT": "json"},
			want: func(c *config) { c.Addr, c.LogLevel, c.LogFormat = "127.0.0.1:7000", slog.LevelError, "json" },
		},
		{
			name: "token ttl flag beats environment",
			args: []string{"--token-ttl=2h"},
			env:  map[string]string{"MOVIEDB_TOKEN_TTL": "48h"},
			want: func(c *config) { c.TokenTTL = 2 * time.Hour },
		},
		{
			name: "shortest token ttl",
			env:  map[string]string{"MOVIEDB_TOKEN_TTL": "1m"},
			want: func(c *config) { c.TokenTTL = time.Minute },
		},
		{
			name: "longest token ttl",
			args: []string{"--token-ttl", "8760h"},
			want: func(c *config) { c.TokenTTL = 8760 * time.Hour },
		},
		{
			name: "memory limit in GiB",
			args: []string{"--memory-limit", "2GiB"},
			want: func(c *config) { c.MemoryLimit = 2 << 30 },
		},
		{
			name: "memory limit in bytes from the environment",
			env:  map[string]string{"MOVIEDB_MEMORY_LIMIT": "20000000"},
			want: func(c *config) { c.MemoryLimit = 20_000_000 },
		},
		{
			name: "no memory limit",
			args: []string{"--memory-limit", "0"},
			want: func(c *config) { c.MemoryLimit = 0 },
		},
		{
			name: "flag beats a bad environment value",
			args: []string{"--log-level", "info"},
			env:  map[string]string{"MOVIEDB_LOG_LEVEL": "loud"},
		},
		{
			name: "empty environment value is unset",
			env:  map[string]string{"MOVIEDB_ADDR": ""},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseServe(tc.args, tc.env)
			if err != nil {
				t.Fatalf("parseServe(%q) error: %v", tc.args, err)
			}
			want := defaults
			if tc.want != nil {
				tc.want(&want)
			}
			if got != want {
				t.Errorf("parseServe(%q) =\n%+v; want\n%+v", tc.args, got, want)
			}
		})
	}
}

func TestLoadConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		env      map[string]string
		want     []string // substrings of the message
		unwanted []string
	}{
		{name: "log level flag", args: []string{"--log-level", "loud"}, want: []string{"--log-level", `"loud"`, "debug, info, warn or error"}},
		{name: "log level env", env: map[string]string{"MOVIEDB_LOG_LEVEL": "verbose"}, want: []string{"MOVIEDB_LOG_LEVEL", `"verbose"`}},
		{name: "log format", args: []string{"--log-format", "xml"}, want: []string{"--log-format", "text or json"}},
		{name: "duration", args: []string{"--shutdown-timeout", "soon"}, want: []string{"--shutdown-timeout", `"soon"`}},
		{name: "duration env", env: map[string]string{"MOVIEDB_SHUTDOWN_TIMEOUT": "15"}, want: []string{"MOVIEDB_SHUTDOWN_TIMEOUT", `"15"`}},
		{name: "negative duration", args: []string{"--shutdown-timeout", "-1s"}, want: []string{"positive"}},
		{name: "address", args: []string{"--addr", "8080"}, want: []string{"--addr", "host:port"}},
		{name: "token ttl too short", args: []string{"--token-ttl", "59s"}, want: []string{"--token-ttl", `"59s"`, "1m", "8760h"}},
		{name: "token ttl too long", args: []string{"--token-ttl", "8760h1s"}, want: []string{"--token-ttl", `"8760h1s"`, "8760h"}},
		{name: "token ttl zero", args: []string{"--token-ttl", "0"}, want: []string{"--token-ttl", `"0"`}},
		{name: "memory limit too small", args: []string{"--memory-limit", "1MiB"}, want: []string{"--memory-limit", `"1MiB"`, "16MiB"}},
		{name: "memory limit unit unknown", args: []string{"--memory-limit", "64MB"}, want: []string{"--memory-limit", `"64MB"`}},
		{name: "memory limit negative", env: map[string]string{"MOVIEDB_MEMORY_LIMIT": "-1"}, want: []string{"MOVIEDB_MEMORY_LIMIT", `"-1"`}},
		{name: "memory limit overflows", args: []string{"--memory-limit", "9000000000GiB"}, want: []string{"--memory-limit"}},
		{name: "token ttl negative", env: map[string]string{"MOVIEDB_TOKEN_TTL": "-1h"}, want: []string{"MOVIEDB_TOKEN_TTL", `"-1h"`}},
		{name: "token ttl in days", env: map[string]string{"MOVIEDB_TOKEN_TTL": "30d"}, want: []string{"MOVIEDB_TOKEN_TTL", `"30d"`}},
		{name: "db scheme", args: []string{"--db", "mysql://root:hunter2@db/movies"}, want: []string{"--db", `"mysql:…"`, "sqlite:PATH"}, unwanted: []string{"hunter2"}},
		{name: "db without scheme", env: map[string]string{"MOVIEDB_DB": "./movies.db"}, want: []string{"MOVIEDB_DB", "sqlite:PATH"}},
		{name: "db empty sqlite path", args: []string{"--db", "sqlite:"}, want: []string{"sqlite:PATH"}},
		{name: "db bad postgres url", args: []string{"--db", "postgres://u:hunter2@db:port/x"}, want: []string{"postgres://USER@HOST"}, unwanted: []string{"hunter2"}},
		{name: "base url", args: []string{"--base-url", "movies.example.com"}, want: []string{"--base-url", "http(s)://"}},
		{name: "unknown flag", args: []string{"--storage-class", "cold"}, want: []string{"serve:", "-storage-class", "moviedb serve --help"}},
		{name: "storage", args: []string{"--storage", "/srv/images"}, want: []string{"--storage", "file:PATH or s3://"}},
		{name: "upload limit", args: []string{"--max-upload-bytes", "10MB"}, want: []string{"--max-upload-bytes", "1024"}},
		{name: "pixel limit", args: []string{"--max-image-pixels", "0"}, want: []string{"--max-image-pixels"}},
		{name: "argument", args: []string{"now"}, want: []string{`unexpected argument "now"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseServe(tc.args, tc.env)
			if err == nil {
				t.Fatalf("parseServe(%q, %v) = nil error; want one", tc.args, tc.env)
			}
			if !errors.As(err, new(usageError)) {
				t.Errorf("parseServe(%q) error %v is not a usageError (exit 2)", tc.args, err)
			}
			msg := err.Error()
			for _, s := range tc.want {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not contain %q", msg, s)
				}
			}
			for _, s := range tc.unwanted {
				if strings.Contains(msg, s) {
					t.Errorf("error %q contains %q", msg, s)
				}
			}
		})
	}
}

func TestDeriveBaseURL(t *testing.T) {
	for _, tc := range []struct{ addr, listening, want string }{
		{"127.0.0.1:8080", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"localhost:8080", "127.0.0.1:8080", "http://localhost:8080"},
		{":8080", "[::]:8080", "http://localhost:8080"},
		{"0.0.0.0:80", "0.0.0.0:80", "http://localhost:80"},
		{"[::]:8080", "[::]:8080", "http://localhost:8080"},
		{"[::1]:8080", "[::1]:8080", "http://[::1]:8080"},
		{"127.0.0.1:0", "127.0.0.1:43817", "http://127.0.0.1:43817"},
		{"movies.lan:443", "10.0.0.2:443", "http://movies.lan:443"},
	} {
		if got := deriveBaseURL(tc.addr, tc.listening); got != tc.want {
			t.Errorf("deriveBaseURL(%q, %q) = %q; want %q", tc.addr, tc.listening, got, tc.want)
		}
	}
}
