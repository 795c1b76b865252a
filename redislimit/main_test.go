package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
)

// goRedisLines receives go-redis's log lines in the tests: the fallback
// tests dial dead ports on purpose, and go-redis would print every failed
// dial to standard error. It drops them unless a test captures them. The
// Limiters' own messages go to the loggers the tests give them.
var goRedisLines = new(captureHandler)

// captureHandler is a slog.Handler that passes records to a handler a test
// sets, and drops them otherwise. go-redis's logger is process-wide and read
// without synchronisation by go-redis's goroutines (dials of earlier tests
// may still run), so TestMain installs it once and tests swap the handler
// behind it instead of calling redis.SetLogger again.
type captureHandler struct {
	mu   sync.Mutex
	sink slog.Handler
}

func (h *captureHandler) capture(sink slog.Handler) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sink = sink
}

func (h *captureHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *captureHandler) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sink == nil {
		return nil
	}
	return h.sink.Handle(ctx, r)
}

func (h *captureHandler) WithAttrs([]slog.Attr) slog.Handler { panic("not used by RedisLogger") }
func (h *captureHandler) WithGroup(string) slog.Handler      { panic("not used by RedisLogger") }

func TestMain(m *testing.M) {
	redis.SetLogger(RedisLogger{Logger: slog.New(goRedisLines), Level: slog.LevelDebug})
	if os.Getenv(envHelper) != "1" && os.Getenv(envRedisAddr) == "" && os.Getenv(envRequireRedis) != "1" {
		if _, err := exec.LookPath("redis-server"); err != nil {
			// go test prints this with -v, or when the package fails or
			// is tested on its own; each skipped test says it too.
			fmt.Fprintf(os.Stderr, "redislimit: redis-server is not in PATH and %s is not set: "+
				"the tests that need Redis skip. Install redis-server (Debian: apt-get install redis-server) "+
				"or set %s=host:port to run them.\n", envRedisAddr, envRedisAddr)
		}
	}
	os.Exit(m.Run())
}

func TestRedisLoggerPrintf(t *testing.T) {
	var buf syncBuffer
	debug := testLogger(&buf) // JSON, debug and above
	info := slog.New(slog.NewJSONHandler(&buf, nil))
	for _, tc := range []struct {
		name string
		l    RedisLogger
		want string // "" = nothing logged
	}{
		{"zero value drops", RedisLogger{}, ""},
		{"below the handler's level", RedisLogger{Logger: info, Level: slog.LevelDebug}, ""},
		{"debug", RedisLogger{Logger: debug, Level: slog.LevelDebug},
			`"level":"DEBUG","msg":"connection pool: failed to dial after 5 attempts: refused","component":"go-redis"}`},
		{"zero level is info", RedisLogger{Logger: info},
			`"level":"INFO","msg":"connection pool: failed to dial after 5 attempts: refused","component":"go-redis"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := buf.String()
			tc.l.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts: %v", 5, "refused")
			got := strings.TrimPrefix(buf.String(), before)
			if tc.want == "" {
				if got != "" {
					t.Errorf("logged %q, want nothing", got)
				}
				return
			}
			if !strings.HasSuffix(strings.TrimSpace(got), tc.want) || strings.Count(got, "\n") != 1 {
				t.Errorf("logged %q, want one line ending in %s", got, tc.want)
			}
		})
	}
}

// TestRedisLoggerGetsGoRedisLines: installed with redis.SetLogger (in
// TestMain), a RedisLogger receives the line go-redis writes when it cannot
// dial, instead of standard error.
func TestRedisLoggerGetsGoRedisLines(t *testing.T) {
	var buf syncBuffer
	goRedisLines.capture(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() { goRedisLines.capture(nil) })
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(freePort(t)), MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	// go-redis logs the failed dial before it returns the error.
	if err := rdb.Ping(context.Background()).Err(); err == nil {
		t.Fatal("PING of a port nothing listens on succeeded")
	}
	out := buf.String()
	if !strings.Contains(out, `"level":"DEBUG","msg":"connection pool: failed to dial`) || !strings.Contains(out, `"component":"go-redis"`) {
		t.Errorf("go-redis's dial failure did not reach the RedisLogger; got:\n%s", out)
	}
}
