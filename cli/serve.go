package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/moviedb/moviedb/blob"
	"github.com/moviedb/moviedb/httpapi"
	"github.com/moviedb/moviedb/media"
	"github.com/moviedb/moviedb/ratelimit"
	"github.com/moviedb/moviedb/sqlstore"
	"github.com/moviedb/moviedb/web"
)

// serve runs `moviedb serve`: it migrates the database, serves the API and,
// once ctx is done, shuts down gracefully.
func (e *env) serve(ctx context.Context, args []string) error {
	cfg, _, err := e.parseCommand(serveCommand, args)
	if err != nil {
		return err
	}
	admin, err := adminFromEnv(e.getenv)
	if err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg)
	// Listening first makes "address already in use" the one line a busy
	// port gives, and tells us the real port when --addr asks for port 0.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	files, err := blob.Open(ctx, cfg.Storage, blob.Options{Getenv: e.getenv})
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	err = serveStore(ctx, cfg, log, ln, store, admin, files)
	if cerr := store.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close database: %w", cerr)
	}
	if err == nil {
		log.Info("stopped")
	}
	return err
}

// serveStore migrates store, creates admin there unless it has an admin
// already (admin may be nil), and serves the API on it from ln until ctx is
// done.
func serveStore(ctx context.Context, cfg config, log *slog.Logger, ln net.Listener, store *sqlstore.Store, admin *account, files blob.Store) error {
	applied, err := store.Migrate(ctx)
	if errors.Is(err, sqlstore.ErrUnknownMigration) {
		return fmt.Errorf("refusing to serve %s: %w", safeDB(cfg.DB), err)
	}
	if err != nil {
		return err
	}
	for _, m := range applied {
		log.Info("applied migration", "version", m.Version, "name", m.Name)
	}
	log.Info("database ready", "engine", store.Engine(), "db", safeDB(cfg.DB))
	if err := bootstrapAdmin(ctx, log, store, admin); err != nil {
		return err
	}
	if err := loadDemo(ctx, log, store, cfg.Demo); err != nil {
		return err
	}

	baseURL := cfg.BaseURL
	if baseURL == "" {
		baseURL = deriveBaseURL(cfg.Addr, ln.Addr().String())
	}
	images := media.New(media.Config{Blob: files, Store: store, BaseURL: baseURL, Limits: cfg.Limits, Logger: log})
	// The API and the web pages share the limiters of signing in, so a
	// client gains no attempts by switching between them.
	limits := ratelimit.NewAuth(ratelimit.DefaultAuth, nil)
	pages := web.New(web.Config{Store: store, Logger: log, SessionTTL: cfg.TokenTTL, AuthLimiters: limits,
		SecureCookies: strings.HasPrefix(baseURL, "https://"), Media: images, ThumbURL: images.ThumbURL})
	apiCfg := httpapi.Config{Store: store, Logger: log, Version: buildVersion(), TokenTTL: cfg.TokenTTL,
		AuthLimiters: limits, Fallback: pages, Media: images, BaseURL: baseURL}
	if limit := applyMemoryLimit(log, cfg.MemoryLimit); limit > 0 {
		apiCfg.DetailCacheBytes = detailCacheBudget(limit)
	}
	h := httpapi.New(apiCfg)
	log.Info("listening", "addr", ln.Addr().String(), "base_url", baseURL, "version", buildVersion())
	return serveHTTP(ctx, log, ln, h, cfg.ShutdownTimeout)
}

// detailCacheBudget returns the bytes the movie detail cache may take
// under a memory limit: what the limit leaves beyond 24 MiB for the rest
// of the server (requests in flight, the collector's headroom), or half
// the limit if that is more, and never more than the default budget.
func detailCacheBudget(limit int64) int {
	return int(min(httpapi.DefaultDetailCacheBytes, max(limit/2, limit-24<<20)))
}

// applyMemoryLimit sets the Go runtime's soft memory limit to limit bytes,
// unless GOMEMLIMIT has set one already, and returns the limit in force (0
// for none). Under the limit the collector works harder instead of letting
// the heap grow: with the detail cache full it keeps the server near its
// live memory rather than twice that (see docs/BENCHMARKS.md).
func applyMemoryLimit(log *slog.Logger, limit int64) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		// debug.SetMemoryLimit with a negative value reads the limit.
		limit = debug.SetMemoryLimit(-1)
		if limit == math.MaxInt64 {
			return 0
		}
		return limit
	}
	if limit > 0 {
		debug.SetMemoryLimit(limit)
		log.Info("memory limit", "bytes", limit)
	}
	return limit
}

// safeDB returns dsn fit for logs: without its password, and without its
// query string, where a PostgreSQL URL may carry one too.
func safeDB(dsn string) string {
	s, _, _ := strings.Cut(sqlstore.Redact(dsn), "?")
	return s
}

// serveHTTP serves h on ln until ctx is done, then stops accepting
// connections and gives in-flight requests up to shutdownTimeout to finish.
func serveHTTP(ctx context.Context, log *slog.Logger, ln net.Listener, h http.Handler, shutdownTimeout time.Duration) error {
	srv := &http.Server{
		Handler: h,
		// Slow or stalled clients must not hold connections forever.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	log.Info("shutdown", "timeout", shutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: in-flight requests did not finish within %s: %w", shutdownTimeout, err)
	}
	return nil
}
