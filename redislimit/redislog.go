package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// RedisLogger passes go-redis's own log lines to a [slog.Logger]. Install it
// once with go-redis's process-wide setter, early in main, before any
// go-redis client is used (go-redis reads its logger without
// synchronisation):
//
//	redis.SetLogger(redislimit.RedisLogger{Logger: logger, Level: slog.LevelDebug})
//
// go-redis (v9.17) writes some failures to standard error itself, for example
// "redis: connection pool: failed to dial after 5 attempts: ... connection
// refused" for every failed dial while Redis is down, and offers no logger
// per client, only redis.SetLogger, which applies to every go-redis client
// of the program. That is why a [Limiter] never installs a RedisLogger
// itself: see the package documentation.
//
// A RedisLogger is safe for concurrent use. The zero value discards every
// line.
type RedisLogger struct {
	// Logger receives go-redis's lines, with the attribute
	// component=go-redis and without go-redis's "redis: " prefix. Nil
	// discards them. Use the Limiter's logger to see them next to its
	// fallback warning.
	Logger *slog.Logger

	// Level is the level of every line: go-redis gives its lines none.
	// Most report failures that go-redis also returns to its caller, and a
	// Limiter already logs a Redis outage once, as a warning: with
	// slog.LevelDebug the lines are kept for debugging without repeating
	// the outage once per failed dial. The zero value is slog.LevelInfo.
	Level slog.Level
}

// Printf implements go-redis's logger interface (see redis.SetLogger).
func (r RedisLogger) Printf(ctx context.Context, format string, args ...any) {
	if r.Logger == nil {
		return
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if !r.Logger.Enabled(ctx, r.Level) {
		return
	}
	msg := strings.TrimPrefix(fmt.Sprintf(format, args...), "redis: ")
	r.Logger.LogAttrs(ctx, r.Level, msg, slog.String("component", "go-redis"))
}
