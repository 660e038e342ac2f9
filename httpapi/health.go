package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// readyTimeout bounds the database ping of /readyz, so that a stuck database
// makes the probe fail instead of hang.
const readyTimeout = 2 * time.Second

// healthz answers while the process is up; it touches nothing else.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the database answers a ping, and 503 otherwise.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "readiness check failed",
			slog.String("error", err.Error()), slog.String("request_id", RequestID(r.Context())))
		writeProblem(w, r, problem{Status: http.StatusServiceUnavailable, Detail: "database unreachable"})
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ready"})
}
