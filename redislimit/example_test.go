package redislimit_test

import (
	"context"
	"log"
	"log/slog"
	"os"

	"github.com/redis/go-redis/v9"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/redislimit"
)

// Three replicas of a service share one Volcengine account: they share one
// budget per action through Redis, and each takes a third of it while Redis
// is unreachable. Pass the limiter to the client with volcim.WithLimiter.
func Example() {
	rdb := redis.NewClient(&redis.Options{
		Addr: "redis:6379",
		// Let the limiter's per-call timeout cut slow reads short too.
		ContextTimeoutEnabled: true,
	})
	defer rdb.Close()

	lim, err := redislimit.New(rdb, os.Getenv("VOLC_ACCESSKEY"), // the access key ID, never the secret
		redislimit.WithFallbackShare(1.0/3),
		redislimit.WithLogger(slog.Default()),
	)
	if err != nil {
		log.Fatal(err)
	}
	var _ volcim.Limiter = lim // what volcim.WithLimiter(lim) takes

	// The client does this before every request:
	if err := lim.Wait(context.Background(), "GetMessages", 1); err != nil {
		log.Fatal(err)
	}
}

// go-redis writes its own log lines (a failed dial, for example) to standard
// error. A RedisLogger sends them through slog instead, here at debug level.
// Install it in main, before any go-redis client is used:
//
//	redis.SetLogger(redislimit.RedisLogger{Logger: logger, Level: slog.LevelDebug})
//
// The example calls it the way go-redis does when a dial fails.
func ExampleRedisLogger() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{} // no time, so that the output is stable
			}
			return a
		},
	}))
	rl := redislimit.RedisLogger{Logger: logger, Level: slog.LevelDebug}

	rl.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts: %v",
		5, "dial tcp 127.0.0.1:6379: connect: connection refused")
	// Output:
	// level=DEBUG msg="connection pool: failed to dial after 5 attempts: dial tcp 127.0.0.1:6379: connect: connection refused" component=go-redis
}

// A service that gets a share of the account's budget gives its replicas a
// table of their own: here the default one with SendMessage held to 20
// calls per second. Every replica of the service must use the same table.
func ExampleWithRates() {
	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", ContextTimeoutEnabled: true})
	defer rdb.Close()

	rates := volcim.DefaultRates()
	rates.Actions["SendMessage"] = 20
	lim, err := redislimit.New(rdb, os.Getenv("VOLC_ACCESSKEY"), redislimit.WithRates(rates))
	if err != nil {
		log.Fatal(err)
	}
	client, err := volcim.NewClient(os.Getenv("VOLC_ACCESSKEY"), os.Getenv("VOLC_SECRETKEY"), volcim.WithLimiter(lim))
	if err != nil {
		log.Fatal(err)
	}
	_ = client
}
