package volcimtest_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// TestQPSLimit: a client that does not limit itself and does not retry
// bursts past WithQPS(10) and gets 429 FlowLimitExceeded; rejected calls are
// not counted, so exactly 10 are accepted in the burst's second.
func TestQPSLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithQPS(10))
	seedOne(srv)
	c := newClient(t, srv, volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	const burst = 30
	var wg sync.WaitGroup
	errs := make([]error, burst)
	start := time.Now()
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.BatchGetConversations(context.Background(), batchReq())
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	throttled := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		var apiErr *volcim.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.Code != "FlowLimitExceeded" || !apiErr.Throttled() || apiErr.Attempts != 1 {
			t.Fatalf("err = %v, want 429 FlowLimitExceeded", err)
		}
		throttled++
	}
	if elapsed < time.Second && throttled != burst-10 {
		t.Errorf("%d of %d throttled in %v, want %d", throttled, burst, elapsed, burst-10)
	}
	if throttled == 0 {
		t.Error("nothing throttled")
	}
	accepted := 0
	for _, r := range srv.Requests() {
		if r.Accepted {
			accepted++
		} else if r.Status != 429 || r.Code != "FlowLimitExceeded" {
			t.Errorf("rejected record %+v", r)
		}
	}
	if accepted != burst-throttled {
		t.Errorf("%d accepted records, want %d", accepted, burst-throttled)
	}
	if got := srv.MaxInWindow("BatchGetConversations", time.Second); got > 10 {
		t.Errorf("MaxInWindow = %d, more than the limit", got)
	}
}

// TestQPSLimitPerAction: each action has its own window.
func TestQPSLimitPerAction(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithQPS(2))
	seedOne(srv)
	srv.AddMessages(msg(1, "a"))
	c := newClient(t, srv, volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	for range 2 {
		if _, err := c.BatchGetConversations(context.Background(), batchReq()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.GetMessages(context.Background(), &volcim.GetMessagesRequest{ConversationShortID: testConv, MessageIDs: []int64{1}}); err != nil {
		t.Fatalf("GetMessages throttled by BatchGetConversations' window: %v", err)
	}
}

func TestQPSUnlimited(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithQPS(0))
	seedOne(srv)
	c := newClient(t, srv, volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	for range 300 {
		if _, err := c.BatchGetConversations(context.Background(), batchReq()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMaxInWindowMeasuresAClient: MaxInWindow sees the rate a client
// imposed. The server enforces nothing here: arrival times carry network and
// scheduling jitter (the first request also dials), so a client spacing its
// calls exactly at the limit can still land one extra call in some window.
func TestMaxInWindowMeasuresAClient(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("takes a second")
	}
	srv := newServer(t, volcimtest.WithQPS(0))
	seedOne(srv)
	c := newClient(t, srv, volcim.WithRateLimit(50), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	for range 60 {
		if _, err := c.BatchGetConversations(context.Background(), batchReq()); err != nil {
			t.Fatal(err)
		}
	}
	// The client may be slower than its limit on a loaded machine, never
	// faster (give or take the one call of jitter above).
	if got := srv.MaxInWindow("BatchGetConversations", time.Second); got < 1 || got > 51 {
		t.Errorf("MaxInWindow = %d, want 1 to 51", got)
	}
	if got := srv.MaxInWindow("BatchGetConversations", time.Hour); got != 60 {
		t.Errorf("MaxInWindow over an hour = %d, want all 60", got)
	}
	if n := srv.MaxInWindow("GetMessages", time.Second); n != 0 {
		t.Errorf("MaxInWindow of another action = %d", n)
	}
}
