// Command qps measures the client's rate limiter end to end: G goroutines
// call one action through one client against a local volcimtest server (which
// enforces the API's 100 QPS per action) for a few seconds, then it reports
// the achieved QPS, the largest number of calls the server saw in any sliding
// one-second window, and how many calls were throttled (HTTP 429).
//
//	go run ./bench/qps                 # 16 goroutines, 5 seconds, default limiter
//	go run ./bench/qps -g 64 -d 10s
//
// It exits non-zero when a window held more than 100 calls, any call was
// throttled, or the achieved rate fell below -min-qps.
//
// With -server-qps N the server admits only N calls per second while the
// client's limiter still believes in the API's 100, as when other services
// share the account: it then reports, after the first second, the share of
// requests the server throttled and the share of its N QPS the client used,
// and exits non-zero beyond 5% throttled or under 90% used.
//
//	go run ./bench/qps -server-qps 60 -d 6s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "qps:", err)
		os.Exit(1)
	}
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("qps", flag.ContinueOnError)
	goroutines := fs.Int("g", 16, "concurrent callers")
	duration := fs.Duration("d", 5*time.Second, "how long to call")
	minQPS := fs.Float64("min-qps", 97, "lowest acceptable achieved rate")
	serverQPS := fs.Int("server-qps", 0, "calls per second the server admits (0: the API's 100)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *serverQPS > 0 {
		return adaptive(w, *goroutines, *duration, *serverQPS)
	}
	srv := volcimtest.NewServer() // 100 QPS per action, like the API
	defer srv.Close()
	const app, conv = 1, 2
	srv.AddGeneratedConversation(app, conv, 100)
	client, err := srv.Client(volcim.WithAppID(app)) // the default, shared limiter
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range *goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := client.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{
					ConversationShortID: conv, Limit: 20,
				})
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, context.DeadlineExceeded):
					// The run is over (the limiter says so as soon as
					// the next token lies beyond the deadline).
					return
				default:
					if failed.Add(1) == 1 {
						fmt.Fprintln(os.Stderr, "first failure:", err)
					}
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	throttled := 0
	for _, r := range srv.Requests() {
		if r.Status == 429 {
			throttled++
		}
	}
	peak := srv.MaxInWindow("GetConversationMessages", time.Second)
	qps := float64(ok.Load()) / elapsed.Seconds()
	fmt.Fprintf(w, "goroutines %d, %s: %d calls ok, %d failed, %d throttled (429)\n", *goroutines, elapsed.Round(time.Millisecond), ok.Load(), failed.Load(), throttled)
	fmt.Fprintf(w, "achieved %.1f QPS; largest count in any sliding 1s window: %d (limit 100)\n", qps, peak)
	switch {
	case peak > 100:
		return fmt.Errorf("a one-second window held %d calls", peak)
	case throttled > 0 || failed.Load() > 0:
		return fmt.Errorf("%d calls throttled, %d failed", throttled, failed.Load())
	case qps < *minQPS:
		return fmt.Errorf("achieved %.1f QPS, below %.1f", qps, *minQPS)
	}
	return nil
}

// adaptive runs the callers against a server that admits serverQPS calls per
// second, with the default limiter (100 QPS for the action), and reports how
// the limiter adapted after the first second.
func adaptive(w io.Writer, goroutines int, duration time.Duration, serverQPS int) error {
	srv := volcimtest.NewServer(volcimtest.WithQPS(serverQPS))
	defer srv.Close()
	const app, conv = 1, 2
	srv.AddGeneratedConversation(app, conv, 100)
	// A limiter of its own: this run starts from the table's 100.
	client, err := srv.Client(volcim.WithAppID(app), volcim.WithLimiter(mustLimiter()))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				client.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{ConversationShortID: conv, Limit: 20})
			}
		}()
	}
	wg.Wait()
	end := time.Now()
	var sent, throttled, accepted int
	for _, r := range srv.Requests() {
		if r.Time.Sub(start) < time.Second {
			continue
		}
		sent++
		switch {
		case r.Status == 429:
			throttled++
		case r.Accepted:
			accepted++
		}
	}
	measured := end.Sub(start) - time.Second
	throttledShare := float64(throttled) / float64(max(sent, 1))
	used := float64(accepted) / measured.Seconds() / float64(serverQPS)
	fmt.Fprintf(w, "server admits %d QPS, client limiter believes in %d; %d goroutines, %s\n", serverQPS, volcim.DefaultQPS, goroutines, end.Sub(start).Round(time.Millisecond))
	fmt.Fprintf(w, "after the first second: %d requests, %d throttled (%.1f%%); %d accepted = %.1f QPS = %.1f%% of %d\n",
		sent, throttled, 100*throttledShare, accepted, float64(accepted)/measured.Seconds(), 100*used, serverQPS)
	switch {
	case throttledShare > 0.05:
		return fmt.Errorf("%.1f%% of the requests were throttled, more than 5%%", 100*throttledShare)
	case used < 0.9:
		return fmt.Errorf("%.1f%% of the server's %d QPS used, less than 90%%", 100*used, serverQPS)
	}
	return nil
}

// mustLimiter is a fresh limiter of the API's table: a run starts from it.
// The table is the SDK's own and always valid.
func mustLimiter() volcim.Limiter {
	l, _ := volcim.NewLimiter(volcim.DefaultRates())
	return l
}
