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
	if err := lim.Wait(context.Background(), "GetMessages"); err != nil {
		log.Fatal(err)
	}
}
