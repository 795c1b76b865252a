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
		"nil client":     {nil, "acct", nil},
		"empty account":  {rdb, "", nil},
		"zero rate":      {rdb, "acct", []Option{WithRate(0)}},
		"negative rate":  {rdb, "acct", []Option{WithRate(-1)}},
		"zero share":     {rdb, "acct", []Option{WithFallbackShare(0)}},
		"share above 1":  {rdb, "acct", []Option{WithFallbackShare(1.5)}},
		"zero probe":     {rdb, "acct", []Option{WithProbeInterval(0)}},
		"zero timeout":   {rdb, "acct", []Option{WithRedisTimeout(0)}},
		"infinite rate":  {rdb, "acct", []Option{WithRate(math.Inf(1))}},
		"NaN rate":       {rdb, "acct", []Option{WithRate(math.NaN())}},
		"bad table":      {rdb, "acct", []Option{WithRates(volcim.Rates{Actions: map[string]float64{"A": 0}})}},
		"bad budget":     {rdb, "acct", []Option{WithRates(volcim.Rates{Budgets: []volcim.Budget{{Name: "b", PerSecond: -1}}})}},
		"zero lookahead": {rdb, "acct", []Option{WithLookahead(0)}},
	} {
		if _, err := New(tc.rdb, tc.account, tc.opts...); err == nil {
			t.Errorf("%s: New succeeded, want an error", name)
		}
	}
	if _, err := New(rdb, "acct", WithRate(100), WithFallbackShare(1), WithLogger(nil),
		WithKeyPrefix("x:"), WithProbeInterval(time.Second), WithRedisTimeout(time.Second), WithLookahead(time.Second)); err != nil {
		t.Fatalf("New with valid options: %v", err)
	}
}

// TestTable: the Limiter enforces volcim.DefaultRates by default, a table
// given with WithRates otherwise (copied: later changes of the caller's map
// do not reach it), and WithRate(q) is Rates{Default: q}.
func TestTable(t *testing.T) {
	rdb := deadRedis(t)
	l := mustNew(t, rdb, "acct")
	for action, want := range map[string]float64{"GetMessages": 100, "SendMessage": 50, "CreateConversation": 50, "": 100} {
		if got := l.rates.QPS(action); got != want {
			t.Errorf("default table: %s at %v, want %v", action, got, want)
		}
	}
	if n := len(l.budgets["BatchSendMessage"]); n != 1 {
		t.Errorf("BatchSendMessage draws from %d budgets, want 1", n)
	}
	r := volcim.DefaultRates()
	r.Actions["SendMessage"] = 10
	l = mustNew(t, rdb, "acct", WithRates(r))
	r.Actions["SendMessage"] = 1
	if got := l.rates.QPS("SendMessage"); got != 10 {
		t.Errorf("WithRates: SendMessage at %v, want 10", got)
	}
	l = mustNew(t, rdb, "acct", WithRates(r), WithRate(7))
	if got := l.rates.QPS("SendMessage"); got != 7 || len(l.rates.Budgets) != 0 {
		t.Errorf("WithRate(7): SendMessage at %v with %d budgets, want 7 and none", got, len(l.rates.Budgets))
	}
	// The fallback: every rate, budget and burst times the share.
	f := scaled(volcim.DefaultRates(), 0.25)
	if f.QPS("GetMessages") != 25 || f.QPS("SendMessage") != 12.5 || f.Budgets[1].PerSecond != 50 || f.Budgets[1].Burst != 125 {
		t.Errorf("the fallback table: %v", f)
	}
}

func TestKeyHidesAccount(t *testing.T) {
	const account = "AKLTexampleAccessKeyID0123456789"
	l := mustNew(t, deadRedis(t), account, WithKeyPrefix("p:"))
	k := l.Key("GetMessages")
	if strings.Contains(k, account) {
		t.Fatalf("key %q contains the account", k)
	}
	if !strings.HasPrefix(k, "p:{") || !strings.HasSuffix(k, "}:a:GetMessages") || len(k) != len("p:{")+16+len("}:a:GetMessages") {
		t.Fatalf("key %q: want p:{<16 hex digits>}:a:GetMessages", k)
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
	// One call every 10 s: a second call of an action has its slot 10 s
	// away, beyond a 5 s deadline, so Wait refuses it at once (it books
	// nothing after a deadline); a call of an action whose slot is free
	// goes within that deadline, however loaded the machine. Nothing here
	// measures time. The generous Redis timeout keeps a busy machine from
	// making the limiter fall back.
	l := mustNew(t, rdb, "acct", WithRate(0.1), WithKeyPrefix(uniquePrefix()), WithLogger(testLogger(&logs)),
		WithRedisTimeout(5*time.Second))
	ctx := context.Background()

	wait := func(action string) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return l.Wait(ctx, action, 1)
	}
	if err := wait("GetMessages"); err != nil {
		t.Errorf("first GetMessages: %v, want no wait for a slot", err)
	}
	if err := wait("BatchGetConversations"); err != nil {
		t.Errorf("BatchGetConversations after a GetMessages: %v, want no wait for a slot", err)
	}
	if err := wait(""); err != nil { // the empty action has its own key too
		t.Errorf("empty action: %v, want no wait for a slot", err)
	}
	if err := wait("GetMessages"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second GetMessages: %v, want its slot 10 s away, refused before a 5 s deadline", err)
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
	l := mustNew(t, newClient(t, addr), "acct", WithRate(40), WithKeyPrefix(uniquePrefix()), WithRedisTimeout(5*time.Second))
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
	// Redis books slots 1/(40×0.98) apart: at most 40 in one second, 59
	// in 1.5s. Allow two more in a second for the delay between a slot
	// and Wait returning, which varies on a busy machine.
	if peak > 42 {
		t.Errorf("%d calls in one second, want at most 42", peak)
	}
	// Every call counted had its slot before the deadline: at most 59.
	// Calls go through (how many depends on how busy the machine is).
	if len(times) < 2 || len(times) > 59 {
		t.Errorf("%d calls in %v at 40/s, want 2..59", len(times), run)
	}
}

func TestWaitReturnsPromptlyWhenContextEnds(t *testing.T) {
	addr := redisAddr(t)
	// 5.1s apart; the generous Redis timeout keeps a busy machine from
	// making the limiter fall back.
	l := mustNew(t, newClient(t, addr), "acct", WithRate(0.2), WithKeyPrefix(uniquePrefix()), WithRedisTimeout(5*time.Second))
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

	// Canceled while waiting: the next slot lies beyond the look-ahead, so
	// one caller sleeps until it may ask again and the others queue behind
	// it; all must return promptly.
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
	// The slots are 5.1 s apart: returning within 3 s (a bound that
	// leaves room for a loaded machine) shows the wait was cut short.
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Wait took %v to notice cancellation", d)
	}

	// A deadline before the slot: Wait says so without waiting for it.
	ctx, cancel = context.WithTimeout(bg, 2*time.Second)
	defer cancel()
	err := l.Wait(ctx, "GetMessages", 1)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait past its deadline = %v, want context.DeadlineExceeded", err)
	}
	if ctx.Err() != nil {
		t.Errorf("Wait returned %v when the deadline had passed, want at once", err)
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
					if !errors.Is(err, context.DeadlineExceeded) {
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
	// 20/s × 0.5 = 10/s locally (9.8/s with the 2% spacing): at most 12
	// calls in 1.2s, fewer by the time the first calls spent finding out
	// that Redis is down; allow one more. Calls go through (how many
	// depends on how busy the machine is).
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
	ctx2, cancel2 := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- l2.Wait(ctx2, "GetMessages", 1) }()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	cancel2()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("fallback Wait canceled = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second { // its slot is 5 s away
		t.Errorf("fallback Wait returned %v after the cancellation", d)
	}
}

// TestThrottledWhileRedisDown: Throttled never fails and never blocks past
// the Redis timeout; while Redis is unreachable it slows the local
// fallback limiter.
func TestThrottledWhileRedisDown(t *testing.T) {
	var logs syncBuffer
	l := mustNew(t, deadRedis(t), "acct", WithLogger(testLogger(&logs)), WithRedisTimeout(200*time.Millisecond))
	start := time.Now()
	l.Throttled("GetMessages", time.Second) // finds out that Redis is down
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Throttled took %v with Redis down", d)
	}
	if !l.InFallback() || strings.Count(logs.String(), `"level":"WARN"`) != 1 {
		t.Errorf("in fallback: %v; logs:\n%s", l.InFallback(), logs.String())
	}
	ctx := context.Background()
	before, err := l.CurrentQPS(ctx, "GetMessages")
	if err != nil || before != 25 {
		t.Fatalf("the fallback's rate: %v, %v; want 25 (100 × 0.25)", before, err)
	}
	if err := l.Wait(ctx, "GetMessages", 1); err != nil {
		t.Fatal(err)
	}
	l.Throttled("GetMessages", 0)
	if after, _ := l.CurrentQPS(ctx, "GetMessages"); after >= before {
		t.Errorf("the fallback's rate after a throttled reply: %v, want less than %v", after, before)
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

// TestLateWakeUpLetsTheSlotGo: a caller that wakes up more than the
// tolerance after its slot (its process was stalled) books another slot
// instead of crowding the next ones, once per call, when a new slot is
// near (a fast action); a slow action goes late instead of waiting a whole
// interval more.
func TestLateWakeUpLetsTheSlotGo(t *testing.T) {
	for _, tc := range []struct {
		rate  float64
		given int64 // slots given up
		calls int   // reservations
	}{
		{rate: 20, given: 1, calls: 2}, // slots 51 ms apart
		{rate: 2, given: 0, calls: 1},  // slots 510 ms apart
	} {
		rdb := newClient(t, redisAddr(t))
		var cmds commandLog
		rdb.AddHook(&cmds)
		l := mustNew(t, rdb, "acct", WithRate(tc.rate), WithKeyPrefix(uniquePrefix()), WithRedisTimeout(5*time.Second))
		l.pause = func(ctx context.Context, d time.Duration) error {
			return sleep(ctx, d+6*lateTolerance) // always late
		}
		if err := l.Wait(context.Background(), "GetMessages", 1); err != nil {
			t.Fatal(err)
		}
		if n, calls := l.late.Load(), cmds.names(); n != tc.given || len(calls) != tc.calls {
			t.Errorf("rate %v: a late wake-up gave up %d slots with %v; want %d, and %d reservations", tc.rate, n, calls, tc.given, tc.calls)
		}
	}
}

// TestRefusedCallersQueue: with more callers than the look-ahead holds,
// every caller gets through, and the callers told to come back queue
// instead of all asking Redis again at once.
func TestRefusedCallersQueue(t *testing.T) {
	rdb := newClient(t, redisAddr(t))
	var cmds commandLog
	rdb.AddHook(&cmds)
	// 50 ms holds 5 slots at 100/s; 20 callers want them.
	l := mustNew(t, rdb, "acct", WithLookahead(50*time.Millisecond), WithKeyPrefix(uniquePrefix()), WithRedisTimeout(5*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	const callers = 20
	var wg sync.WaitGroup
	got := make([]int, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if err := l.Wait(ctx, "GetMessages", 1); err != nil {
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("Wait: %v", err)
					}
					return
				}
				got[i]++
			}
		}()
	}
	wg.Wait()
	total := 0
	for i, n := range got {
		total += n
		if n == 0 {
			t.Errorf("caller %d never got through", i)
		}
	}
	perCall := float64(cmds.count()) / float64(max(total, 1))
	t.Logf("%d callers, look-ahead 50ms: %d calls, %d Redis calls (%.2f per call), late %d", callers, total, cmds.count(), perCall, l.late.Load())
	// Each refusal makes room for half the look-ahead (two or three
	// slots); callers retrying on their own would make about one Redis
	// call per caller per slot.
	if perCall > 3 {
		t.Errorf("%.2f Redis calls per call, want at most 3", perCall)
	}
}
