package redislimit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	volcim "github.com/volcim/volcim-go"
)

var _ volcim.Limiter = (*Limiter)(nil)

// syncBuffer is a bytes.Buffer safe for concurrent writes and reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testLogger(buf *syncBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// deadRedis returns a client for a local port nothing listens on.
func deadRedis(t *testing.T) *redis.Client {
	t.Helper()
	return newClient(t, "127.0.0.1:"+strconv.Itoa(freePort(t)))
}

func mustNew(t *testing.T, rdb redis.UniversalClient, account string, opts ...Option) *Limiter {
	t.Helper()
	l, err := New(rdb, account, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestNewValidates(t *testing.T) {
	rdb := deadRedis(t)
	for name, tc := range map[string]struct {
		rdb     redis.UniversalClient
		account string
		opts    []Option
	}{
		"nil client":    {nil, "acct", nil},
		"empty account": {rdb, "", nil},
		"zero rate":     {rdb, "acct", []Option{WithRate(0)}},
		"negative rate": {rdb, "acct", []Option{WithRate(-1)}},
		"zero share":    {rdb, "acct", []Option{WithFallbackShare(0)}},
		"share above 1": {rdb, "acct", []Option{WithFallbackShare(1.5)}},
		"zero probe":    {rdb, "acct", []Option{WithProbeInterval(0)}},
		"zero timeout":  {rdb, "acct", []Option{WithRedisTimeout(0)}},
		"infinite rate": {rdb, "acct", []Option{WithRate(math.Inf(1))}},
	} {
		if _, err := New(tc.rdb, tc.account, tc.opts...); err == nil {
			t.Errorf("%s: New succeeded, want an error", name)
		}
	}
	if _, err := New(rdb, "acct", WithRate(100), WithFallbackShare(1), WithLogger(nil),
		WithKeyPrefix("x:"), WithProbeInterval(time.Second), WithRedisTimeout(time.Second)); err != nil {
		t.Fatalf("New with valid options: %v", err)
	}
}

func TestKeyHidesAccount(t *testing.T) {
	const account = "AKLTexampleAccessKeyID0123456789"
	l := mustNew(t, deadRedis(t), account, WithKeyPrefix("p:"))
	k := l.Key("GetMessages")
	if strings.Contains(k, account) {
		t.Fatalf("key %q contains the account", k)
	}
	if !strings.HasPrefix(k, "rate:p:") || !strings.HasSuffix(k, ":GetMessages") || len(k) != len("rate:p:")+16+len(":GetMessages") {
		t.Fatalf("key %q: want rate:p:<16 hex digits>:GetMessages", k)
	}
	// The key is a function of the account only: every replica agrees.
	if k2 := mustNew(t, deadRedis(t), account, WithKeyPrefix("p:")).Key("GetMessages"); k2 != k {
		t.Fatalf("keys differ between limiters of one account: %q, %q", k, k2)
	}
	if k3 := mustNew(t, deadRedis(t), account+"x", WithKeyPrefix("p:")).Key("GetMessages"); k3 == k {
		t.Fatalf("two accounts share key %q", k)
	}
}

func TestActionsHaveIndependentBudgets(t *testing.T) {
	addr := redisAddr(t)
	rdb := newClient(t, addr)
	var logs syncBuffer
	// 2 per second: a second call of an action must wait about 500ms, less
	// the quarter-slot tolerance: 375ms. A call that waits less did not
	// wait for a slot. The generous Redis timeout keeps a busy machine from
	// making the limiter fall back.
	l := mustNew(t, rdb, "acct", WithRate(2), WithKeyPrefix(uniquePrefix()), WithLogger(testLogger(&logs)),
		WithRedisTimeout(5*time.Second))
	ctx := context.Background()
	const slotWait = 340 * time.Millisecond

	timed := func(action string) time.Duration {
		start := time.Now()
		if err := l.Wait(ctx, action, 1); err != nil {
			t.Fatalf("Wait(%s): %v", action, err)
		}
		return time.Since(start)
	}
	if d := timed("GetMessages"); d >= slotWait {
		t.Errorf("first GetMessages waited %v, want no wait for a slot", d)
	}
	if d := timed("BatchGetConversations"); d >= slotWait {
		t.Errorf("BatchGetConversations waited %v after a GetMessages, want no wait for a slot", d)
	}
	if d := timed(""); d >= slotWait { // the empty action has its own key too
		t.Errorf("empty action waited %v, want no wait for a slot", d)
	}
	if d := timed("GetMessages"); d < slotWait {
		t.Errorf("second GetMessages waited %v, want about 375ms", d)
	}
	n, err := rdb.Exists(ctx, l.Key("GetMessages"), l.Key("BatchGetConversations"), l.Key("")).Result()
	if err != nil || n != 3 {
		t.Errorf("EXISTS of the three keys = %d, %v; want 3", n, err)
	}
	if l.InFallback() || logs.String() != "" {
		t.Errorf("limiter fell back with a healthy Redis; logs: %s", logs.String())
	}
}

func TestRateHonoured(t *testing.T) {
	addr := redisAddr(t)
	l := mustNew(t, newClient(t, addr), "acct", WithRate(40), WithKeyPrefix(uniquePrefix()))
	const run = 1500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), run)
	defer cancel()
	var (
		mu    sync.Mutex
		times []time.Time
		wg    sync.WaitGroup
	)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if err := l.Wait(ctx, "GetMessages", 1); err != nil {
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("Wait: %v, want nil or a deadline error", err)
					}
					return
				}
				mu.Lock()
				times = append(times, time.Now())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	peak := maxInWindow(times, time.Second)
	t.Logf("rate 40/s: %d calls in %v, at most %d in one second", len(times), run, peak)
	// Redis admits fewer than rate×L + 1.25 calls in any L seconds (see
	// slotParts): at most 41 in one second, 61 in 1.5s. Allow one more
	// for the delay between Redis admitting a call and Wait returning.
	if peak > 42 {
		t.Errorf("%d calls in one second, want at most 42", peak)
	}
	// Every call counted was admitted by Redis within the run: at most
	// 61. Calls go through (how many depends on how busy the machine is).
	if len(times) < 2 || len(times) > 62 {
		t.Errorf("%d calls in %v at 40/s, want 2..62", len(times), run)
	}
}

func TestWaitReturnsPromptlyWhenContextEnds(t *testing.T) {
	addr := redisAddr(t)
	l := mustNew(t, newClient(t, addr), "acct", WithRate(0.2), WithKeyPrefix(uniquePrefix())) // 5s apart
	bg := context.Background()
	if err := l.Wait(bg, "GetMessages", 1); err != nil {
		t.Fatal(err)
	}

	// Done before the call.
	done, cancel := context.WithCancel(bg)
	cancel()
	if err := l.Wait(done, "GetMessages", 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait with a canceled context = %v, want context.Canceled", err)
	}

	// Canceled while waiting: one caller sleeps on Redis's retry-after,
	// the others queue behind it; all must return promptly.
	ctx, cancel := context.WithCancel(bg)
	errs := make(chan error, 3)
	for range 3 {
		go func() { errs <- l.Wait(ctx, "GetMessages", 1) }()
	}
	time.Sleep(150 * time.Millisecond)
	start := time.Now()
	cancel()
	for range 3 {
		if err := <-errs; !errors.Is(err, context.Canceled) {
			t.Errorf("Wait canceled while waiting = %v, want context.Canceled", err)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Wait took %v to notice cancellation", d)
	}

	// Deadline while waiting.
	ctx, cancel = context.WithTimeout(bg, 200*time.Millisecond)
	defer cancel()
	start = time.Now()
	err := l.Wait(ctx, "GetMessages", 1)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait past its deadline = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 1200*time.Millisecond {
		t.Errorf("Wait returned %v after start, deadline was 200ms", d)
	}
}

func TestFallbackWhenRedisIsDown(t *testing.T) {
	var logs syncBuffer
	const account = "AKLTexampleAccessKeyID0123456789"
	l := mustNew(t, deadRedis(t), account, WithRate(20), WithFallbackShare(0.5),
		WithLogger(testLogger(&logs)), WithProbeInterval(200*time.Millisecond))
	const run = 1200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), run)
	defer cancel()
	var (
		mu    sync.Mutex
		times []time.Time
		wg    sync.WaitGroup
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if err := l.Wait(ctx, "GetMessages", 1); err != nil {
					if ctx.Err() == nil {
						t.Errorf("Wait failed with Redis down: %v", err)
					}
					return
				}
				mu.Lock()
				times = append(times, time.Now())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// 20/s × 0.5 = 10/s locally: at most 13 calls in 1.2s, fewer by the
	// time the first calls spent finding out that Redis is down. Calls go
	// through (how many depends on how busy the machine is).
	t.Logf("Redis down, fallback 10/s: %d calls in %v", len(times), run)
	if len(times) < 1 || len(times) > 13 {
		t.Errorf("%d calls in %v with a 10/s fallback, want 1..13", len(times), run)
	}
	if !l.InFallback() {
		t.Error("InFallback() = false with Redis down")
	}
	out := logs.String()
	if n := strings.Count(out, `"level":"WARN"`); n != 1 {
		t.Errorf("%d warnings, want exactly one for one transition; logs:\n%s", n, out)
	}
	if strings.Contains(out, account) {
		t.Errorf("logs contain the account %q:\n%s", account, out)
	}

	// A cancellation while waiting on the local limiter is prompt too.
	l2 := mustNew(t, deadRedis(t), account, WithRate(0.2), WithFallbackShare(1), WithLogger(nil))
	if err := l2.Wait(context.Background(), "GetMessages", 1); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	start := time.Now()
	if err := l2.Wait(ctx2, "GetMessages", 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("fallback Wait past its deadline = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 1300*time.Millisecond {
		t.Errorf("fallback Wait returned after %v, deadline was 300ms", d)
	}
}

func TestLogsHoldNoSecrets(t *testing.T) {
	addr := redisAddr(t)
	const (
		account  = "AKLTexampleAccessKeyID0123456789"
		password = "redis-password-must-not-leak"
	)
	// Redis answers, but refuses the client: that too is "unreachable".
	rdb := redis.NewClient(&redis.Options{Addr: addr, Username: "nosuchuser", Password: password})
	t.Cleanup(func() { _ = rdb.Close() })
	var logs syncBuffer
	l := mustNew(t, rdb, account, WithLogger(testLogger(&logs)), WithKeyPrefix(uniquePrefix()))
	for range 3 {
		if err := l.Wait(context.Background(), "GetMessages", 1); err != nil {
			t.Fatalf("Wait: %v", err)
		}
	}
	out := logs.String()
	if !strings.Contains(out, `"level":"WARN"`) {
		t.Fatalf("no warning logged for a Redis that refuses the client; logs:\n%s", out)
	}
	for _, secret := range []string{account, password} {
		if strings.Contains(out, secret) {
			t.Errorf("logs contain %q:\n%s", secret, out)
		}
	}
	t.Logf("log: %s", strings.TrimSpace(out))
}

func TestNoGoroutineOutlivesWait(t *testing.T) {
	addr := redisAddr(t)
	live := mustNew(t, newClient(t, addr), "acct", WithRate(5), WithKeyPrefix(uniquePrefix()))
	dead := mustNew(t, deadRedis(t), "acct", WithRate(5), WithLogger(nil))
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	for _, l := range []*Limiter{live, dead} {
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for l.Wait(ctx, "GetMessages", 1) == nil {
				}
			}()
		}
	}
	wg.Wait()
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	for _, g := range strings.Split(stacks, "\n\n") {
		if strings.Contains(g, "redislimit.(*Limiter)") || strings.Contains(g, "redislimit.sleep") {
			t.Errorf("goroutine left behind by the limiter:\n%s", g)
		}
	}
}
