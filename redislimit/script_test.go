package redislimit

import (
	"context"
	"errors"
	"math"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	volcim "github.com/volcim/volcim-go"
)

// These tests drive the script with explicit times (the Limiter's now hook
// replaces Redis's clock), so that its arithmetic is checked to the
// microsecond on a real Redis, however busy the machine.

// fakeClock is a clock the test moves by hand; Limiters sharing one see the
// same time, like replicas sharing Redis's clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// scripted is a Limiter on the fake clock, on a key prefix of its own
// unless opts give one.
func scripted(t *testing.T, rdb redis.UniversalClient, clk *fakeClock, opts ...Option) *Limiter {
	t.Helper()
	all := append([]Option{WithKeyPrefix(uniquePrefix()), WithRedisTimeout(5 * time.Second), WithLogger(nil)}, opts...)
	l := mustNew(t, rdb, "acct", all...)
	l.now = clk.now
	return l
}

// book asks the script for a slot of action at the clock's time, without a
// deadline, and fails the test if Redis fails.
func book(t *testing.T, l *Limiter, action string, weight int) reservation {
	t.Helper()
	r, err := l.reserve(context.Background(), l.action(action), weight, "")
	if err != nil {
		t.Fatalf("reserve(%s, %d): %v", action, weight, err)
	}
	if want := l.now().UnixMicro(); r.now != want {
		t.Fatalf("reserve(%s, %d): the script's time is %d, want the test's %d", action, weight, r.now, want)
	}
	return r
}

// interval is the script's spacing at rate per second.
func interval(rate float64) time.Duration {
	return time.Duration(math.Ceil(1e6/(rate*spacingMargin))) * time.Microsecond
}

func currentQPS(t *testing.T, l *Limiter, action string) float64 {
	t.Helper()
	q, err := l.CurrentQPS(context.Background(), action)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestScriptSpacing books 300 back-to-back calls of each kind of action on
// the default table at one instant: the slots are exactly one spacing
// (1/(rate×0.98)) apart from now on, no one-second window holds more than
// the rate even if every call but the first arrived 15 ms late, and at
// least 97% of the rate is granted. After a quiet period the next call goes
// at once, and the one after it a spacing later: the action has no burst.
func TestScriptSpacing(t *testing.T) {
	rdb := newClient(t, redisAddr(t))
	for _, tc := range []struct {
		action string
		rate   float64
	}{
		{"GetMessages", 100},
		{"SendMessage", 50}, // and the budget of 50 messages/s
		{"CreateConversation", 50},
		{"NotAnAction", 100},
		{"", 100},
	} {
		clk := &fakeClock{t: t0}
		l := scripted(t, rdb, clk, WithLookahead(time.Hour))
		var at []time.Time
		for i := range 300 {
			r := book(t, l, tc.action, 1)
			if r.kind != booked {
				t.Fatalf("%s: call %d: %+v, want booked", tc.action, i, r)
			}
			if want := time.Duration(i) * interval(tc.rate); r.wait != want {
				t.Fatalf("%s: call %d waits %v, want %v", tc.action, i, r.wait, want)
			}
			at = append(at, clk.now().Add(r.wait))
		}
		const jitter = 15 * time.Millisecond
		if got := maxInWindow(at, time.Second+jitter); got > int(tc.rate) {
			t.Errorf("%s: %d calls in one second (with %v of jitter), want at most %v", tc.action, got, jitter, tc.rate)
		}
		if qps := float64(len(at)-1) / at[len(at)-1].Sub(at[0]).Seconds(); qps < 0.97*tc.rate {
			t.Errorf("%s: %.1f QPS granted, want at least %.1f", tc.action, qps, 0.97*tc.rate)
		}
		clk.set(at[len(at)-1].Add(10 * time.Second))
		if r := book(t, l, tc.action, 1); r.kind != booked || r.wait != 0 {
			t.Errorf("%s: after a quiet period: %+v, want booked at once", tc.action, r)
		}
		if r := book(t, l, tc.action, 1); r.kind != booked || r.wait != interval(tc.rate) {
			t.Errorf("%s: second call after a quiet period: %+v, want booked in %v", tc.action, r, interval(tc.rate))
		}
	}
}

// TestScriptLookahead: slots are booked up to the look-ahead; a call beyond
// it books nothing and is told to come back when half the look-ahead is
// free, and then gets a slot.
func TestScriptLookahead(t *testing.T) {
	rdb := newClient(t, redisAddr(t))
	clk := &fakeClock{t: t0}
	l := scripted(t, rdb, clk) // DefaultLookahead
	iv := interval(100)
	n := int(DefaultLookahead/iv) + 1 // slots 0, iv, ... up to the look-ahead
	for i := range n {
		if r := book(t, l, "GetMessages", 1); r.kind != booked || r.wait != time.Duration(i)*iv {
			t.Fatalf("call %d: %+v, want booked in %v", i, r, time.Duration(i)*iv)
		}
	}
	slot := time.Duration(n) * iv // the next free slot, beyond the look-ahead
	want := reservation{kind: tooFar, wait: slot - DefaultLookahead + DefaultLookahead/2, now: t0.UnixMicro()}
	for range 3 { // refused calls book nothing: the answer stays the same
		if r := book(t, l, "GetMessages", 1); r != want {
			t.Fatalf("beyond the look-ahead: %+v, want %+v", r, want)
		}
	}
	clk.advance(want.wait)
	if r := book(t, l, "GetMessages", 1); r.kind != booked || r.wait != DefaultLookahead/2 {
		t.Errorf("after the retry: %+v, want booked in %v", r, DefaultLookahead/2)
	}
}

// TestScriptDeadlineBooksNothing: a slot after the caller's deadline is not
// booked, and Wait says so at once with context.DeadlineExceeded.
func TestScriptDeadlineBooksNothing(t *testing.T) {
	rdb := newClient(t, redisAddr(t))
	clk := &fakeClock{t: t0}
	l := scripted(t, rdb, clk, WithRate(1), WithLookahead(time.Hour))
	if r := book(t, l, "A", 1); r.kind != booked || r.wait != 0 {
		t.Fatalf("first call: %+v", r)
	}
	// The next slot is about a second away.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	r, err := l.reserve(ctx, l.action("A"), 1, "")
	if err != nil || r.kind != pastDeadline || r.wait != interval(1) {
		t.Fatalf("with a deadline before the slot: %+v, %v; want past the deadline, slot in %v", r, err, interval(1))
	}
	err = l.Wait(ctx, "A", 1)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait with a deadline before the slot: %v, want DeadlineExceeded", err)
	}
	if r := book(t, l, "A", 1); r.kind != booked || r.wait != interval(1) {
		t.Errorf("the slot after refused waits: %+v, want booked in %v: a refused one was booked", r, interval(1))
	}
}

// TestScriptWeightsAndBursts checks the budgets of the default table in
// Redis: BatchSendMessage to 500 receivers takes 500 messages of 12,000 a
// minute (burst 500), a heavy call may book further than the look-ahead by
// its weight, lighter calls wait behind it, and UserBroadcast's daily 20 go
// at once, the 21st a day's twentieth later.
func TestScriptWeightsAndBursts(t *testing.T) {
	rdb := newClient(t, redisAddr(t))
	clk := &fakeClock{t: t0}
	l := scripted(t, rdb, clk)
	msgIv := interval(12000.0 / 60) // one message of BatchSendMessage's budget

	// A full burst at once, the next batch of 500 after 500 messages'
	// time (2.55 s, beyond the 1 s look-ahead but within its own).
	if r := book(t, l, "BatchSendMessage", 500); r.kind != booked || r.wait != 0 {
		t.Fatalf("first batch of 500: %+v, want booked at once", r)
	}
	if r := book(t, l, "BatchSendMessage", 500); r.kind != booked || r.wait != 500*msgIv {
		t.Fatalf("second batch of 500: %+v, want booked in %v", r, 500*msgIv)
	}
	// A batch of one comes after both (it may start 499 messages early,
	// but not before the action's next slot).
	light := max(1000*msgIv-499*msgIv, 500*msgIv+interval(100))
	if r := book(t, l, "BatchSendMessage", 1); r.kind != tooFar || r.wait != light-DefaultLookahead+DefaultLookahead/2 {
		t.Fatalf("a batch of one behind them: %+v, want asked to come back in %v", r, light-DefaultLookahead+DefaultLookahead/2)
	}

	// After a quiet period, batches of 100 go together up to the burst
	// (spaced by the action's own rate), the sixth a hundred messages
	// later.
	clk.advance(time.Minute)
	for i := range 5 {
		if r := book(t, l, "BatchSendMessage", 100); r.kind != booked || r.wait != time.Duration(i)*interval(100) {
			t.Fatalf("batch %d of 100: %+v, want booked in %v", i, r, time.Duration(i)*interval(100))
		}
	}
	if r := book(t, l, "BatchSendMessage", 100); r.kind != booked || r.wait != 100*msgIv {
		t.Fatalf("sixth batch of 100: %+v, want booked in %v", r, 100*msgIv)
	}

	// UserBroadcast: 20 a day, burst 20; the action itself at 50/s.
	for i := range 20 {
		if r := book(t, l, "UserBroadcast", 1); r.kind != booked || r.wait != time.Duration(i)*interval(50) {
			t.Fatalf("broadcast %d: %+v, want booked in %v", i+1, r, time.Duration(i)*interval(50))
		}
	}
	r := book(t, l, "UserBroadcast", 1)
	if r.kind != tooFar || r.wait < 72*time.Minute {
		t.Errorf("the 21st broadcast: %+v, want asked to come back after at least 72 minutes", r)
	}

	// SendMessage waits for its rate and the budget of 50 messages/s.
	var at []time.Time
	for range 60 {
		r := book(t, l, "SendMessage", 1)
		if r.kind != booked {
			break
		}
		at = append(at, clk.now().Add(r.wait))
	}
	if got := maxInWindow(at, time.Second); got > 50 {
		t.Errorf("%d SendMessage calls in one second", got)
	}
}

// TestRetryAfterHoldsEveryLimiter: a Retry-After heard by one Limiter holds
// the next calls of the action through every Limiter sharing Redis, and
// only that action's.
func TestRetryAfterHoldsEveryLimiter(t *testing.T) {
	addr := redisAddr(t)
	clk := &fakeClock{t: t0}
	shared := WithKeyPrefix(uniquePrefix())
	a := scripted(t, newClient(t, addr), clk, shared)
	b := scripted(t, newClient(t, addr), clk, shared)
	book(t, a, "GetMessages", 1)
	a.Throttled("GetMessages", 2*time.Second)
	want := reservation{kind: tooFar, wait: 2*time.Second - DefaultLookahead + DefaultLookahead/2, now: t0.UnixMicro()}
	if r := book(t, b, "GetMessages", 1); r != want {
		t.Fatalf("the other Limiter right after a Retry-After of 2s: %+v, want %+v", r, want)
	}
	clk.advance(want.wait)
	if r := book(t, b, "GetMessages", 1); r.kind != booked || r.wait != DefaultLookahead/2 {
		t.Errorf("the other Limiter after coming back: %+v, want booked when the Retry-After ends, in %v", r, DefaultLookahead/2)
	}
	if r := book(t, b, "GetConversationMessages", 1); r.kind != booked || r.wait != 0 {
		t.Errorf("another action: %+v, want booked at once", r)
	}

	// On Redis's clock: Wait through another Limiter is held too.
	prefix := uniquePrefix()
	ra := mustNew(t, newClient(t, addr), "acct", WithKeyPrefix(prefix), WithRedisTimeout(5*time.Second))
	rb := mustNew(t, newClient(t, addr), "acct", WithKeyPrefix(prefix), WithRedisTimeout(5*time.Second))
	start := time.Now()
	ra.Throttled("GetMessages", time.Second)
	if err := rb.Wait(context.Background(), "GetMessages", 1); err != nil {
		t.Fatal(err)
	}
	// Held until the hold ends on Redis's clock, placed on this process's
	// clock from an estimate of their offset: allow that estimate some
	// error (a busy machine's round trips), far less than the hold.
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("Wait through another Limiter returned %v after a Retry-After of 1s", d)
	}
}

// TestThrottledSlowsEveryLimiter: a throttled reply heard by one Limiter
// slows the action for every Limiter sharing Redis, to 95% of what the
// server accepted in the last second; the replies of the next second are
// echoes; then the rate climbs back, 1%/s near where it was throttled and
// 10%/s further away, and it never falls under 1% of the table's rate.
func TestThrottledSlowsEveryLimiter(t *testing.T) {
	addr := redisAddr(t)
	clk := &fakeClock{t: t0}
	shared := WithKeyPrefix(uniquePrefix())
	a := scripted(t, newClient(t, addr), clk, shared)
	b := scripted(t, newClient(t, addr), clk, shared)

	// 60 calls through a, one after the other; the last one is throttled.
	for range 60 {
		r := book(t, a, "GetMessages", 1)
		clk.advance(r.wait)
	}
	clk.advance(3 * time.Millisecond)
	a.Throttled("GetMessages", 0)
	throttledAt := clk.now()
	accepted := 59.0 // 60 let through, one throttled
	want := accepted * volcim.ThrottleBackoff
	if got := currentQPS(t, b, "GetMessages"); math.Abs(got-want) > 1e-9 {
		t.Fatalf("the other Limiter's rate after a throttled reply: %v, want %v", got, want)
	}
	// b's calls are spaced at the new rate (after the slot a booked last).
	r1, r2 := book(t, b, "GetMessages", 1), book(t, b, "GetMessages", 1)
	if r2.wait-r1.wait != interval(want) {
		t.Errorf("the other Limiter's calls are %v apart, want %v", r2.wait-r1.wait, interval(want))
	}
	// Echoes: another throttled reply within ThrottleHold changes nothing.
	clk.advance(volcim.ThrottleHold / 2)
	b.Throttled("GetMessages", 0)
	if got := currentQPS(t, a, "GetMessages"); math.Abs(got-want) > 1e-9 {
		t.Errorf("rate %v after an echo, want %v", got, want)
	}
	// Recovery: from the end of the hold, 1%/s of 100 up to 5% above
	// the throttled rate (59 × 1.05), then 10%/s.
	for _, tc := range []struct {
		after time.Duration // since the throttled reply
		want  float64
	}{
		{volcim.ThrottleHold, want},
		{volcim.ThrottleHold + 2*time.Second, want + 2},
		{volcim.ThrottleHold + 5*time.Second, want + 5},
		{volcim.ThrottleHold + 6*time.Second, accepted*1.05 + (6-(accepted*1.05-want))*10},
		{volcim.ThrottleHold + 20*time.Second, 100},
	} {
		clk.set(throttledAt.Add(tc.after))
		if got := currentQPS(t, b, "GetMessages"); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("rate %v after %v, want %v", got, tc.after, tc.want)
		}
	}
	// Throttled replies in a row never push the rate under the floor.
	for range 100 {
		clk.advance(2 * time.Second)
		b.Throttled("GetMessages", 0)
	}
	if got := currentQPS(t, a, "GetMessages"); got < 100*volcim.MinRateShare-1e-9 || math.IsNaN(got) {
		t.Errorf("rate %v after 100 throttled replies, want at least %v", got, 100*volcim.MinRateShare)
	}
}

// TestScriptSlotLetGoDoesNotCount: a caller that lets its slot go (it woke
// up too late) says so with its next reservation, and the slot no longer
// counts among the calls the server may have accepted.
func TestScriptSlotLetGoDoesNotCount(t *testing.T) {
	rdb := newClient(t, redisAddr(t))
	clk := &fakeClock{t: t0}
	l := scripted(t, rdb, clk)
	var slots []int64
	for range 20 {
		r := book(t, l, "GetMessages", 1)
		slots = append(slots, r.now+r.wait.Microseconds())
	}
	for _, s := range slots[:5] { // five late callers book again
		if r, err := l.reserve(context.Background(), l.action("GetMessages"), 1, strconv.FormatInt(s, 10)); err != nil || r.kind != booked {
			t.Fatalf("reserve after letting a slot go: %+v, %v", r, err)
		}
	}
	clk.set(t0.Add(time.Second + 50*time.Millisecond))
	l.Throttled("GetMessages", 0)
	// 25 slots booked in the last second, 5 let go: 20 calls, less the
	// one throttled.
	if got, want := currentQPS(t, l, "GetMessages"), 19*volcim.ThrottleBackoff; math.Abs(got-want) > 1e-9 {
		t.Errorf("rate %v after a throttled reply, want %v (95%% of 20 calls less one throttled)", got, want)
	}
}

// TestScriptAdaptsToAServerThatAdmitsLess is volcim's own simulation run
// against the script: a caller that always has a call waiting, a server
// that admits capacity calls in any sliding second while the table says
// 100, on the fake clock. After the first second at most 5% of the calls
// are throttled and at least 90% of the capacity is used.
func TestScriptAdaptsToAServerThatAdmitsLess(t *testing.T) {
	rdb := newClient(t, redisAddr(t))
	for _, capacity := range []int{60, 30, 95} {
		clk := &fakeClock{t: t0}
		l := scripted(t, rdb, clk)
		const d = 20 * time.Second
		var window []time.Time // accepted calls of the last second, at the server
		var sent, throttled, accepted int
		for clk.now().Sub(t0) < d {
			r := book(t, l, "GetMessages", 1)
			clk.advance(r.wait)
			arrival := clk.now().Add(3 * time.Millisecond)
			for len(window) > 0 && arrival.Sub(window[0]) >= time.Second {
				window = window[1:]
			}
			ok := len(window) < capacity
			if ok {
				window = append(window, arrival)
			} else {
				clk.set(arrival.Add(3 * time.Millisecond)) // the reply comes back
				l.Throttled("GetMessages", 0)
			}
			if clk.now().Sub(t0) >= time.Second {
				sent++
				if ok {
					accepted++
				} else {
					throttled++
				}
			}
		}
		qps := float64(accepted) / (d - time.Second).Seconds()
		t.Logf("capacity %d: %.1f QPS accepted, %d of %d throttled after the first second", capacity, qps, throttled, sent)
		if share := float64(throttled) / float64(sent); share > 0.05 {
			t.Errorf("capacity %d: %d of %d calls throttled after the first second (%.1f%%), want at most 5%%", capacity, throttled, sent, 100*share)
		}
		if qps < 0.9*float64(capacity) {
			t.Errorf("capacity %d: %.1f QPS accepted, want at least %.1f", capacity, qps, 0.9*float64(capacity))
		}
	}
}

// TestKeysExpire: the action's hash expires a minute after its last use, or
// after its Retry-After if later; the action's calls and a budget's key a
// second after their last booked slot.
func TestKeysExpire(t *testing.T) {
	rdb := newClient(t, redisAddr(t))
	clk := &fakeClock{t: t0}
	l := scripted(t, rdb, clk)
	book(t, l, "SendMessage", 1)
	ctx := context.Background()
	ttl := func(key string) time.Duration {
		t.Helper()
		d, err := rdb.PTTL(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := ttl(l.Key("SendMessage")); d <= 50*time.Second || d > idleTTL+time.Second {
		t.Errorf("the action's hash expires in %v, want about %v", d, idleTTL)
	}
	budget := l.keyBase + "b:messages sent by the server API"
	if d := ttl(budget); d <= 0 || d > 2*time.Second {
		t.Errorf("the budget's key %s expires in %v, want about a second", budget, d)
	}
	if calls := l.keyBase + "c:SendMessage"; ttl(calls) <= 0 || ttl(calls) > 2*time.Second {
		t.Errorf("the calls' key %s expires in %v, want about a second", calls, ttl(calls))
	}
	l.Throttled("SendMessage", 3*time.Minute)
	if d := ttl(l.Key("SendMessage")); d < 3*time.Minute+50*time.Second {
		t.Errorf("after a Retry-After of 3 minutes the hash expires in %v", d)
	}
}

// TestNOSCRIPTReload: when Redis has forgotten the script (a restart, SCRIPT
// FLUSH), the Limiter sends it again and goes on, without falling back; in
// the steady state it makes one EVALSHA per call.
func TestNOSCRIPTReload(t *testing.T) {
	addr := redisAddr(t)
	rdb := newClient(t, addr)
	var cmds commandLog
	rdb.AddHook(&cmds)
	var logs syncBuffer
	l := mustNew(t, rdb, "acct", WithKeyPrefix(uniquePrefix()), WithLogger(testLogger(&logs)), WithRedisTimeout(5*time.Second))
	ctx := context.Background()
	if err := l.Wait(ctx, "GetMessages", 1); err != nil {
		t.Fatal(err)
	}
	if err := newClient(t, addr).ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	cmds.reset()
	for range 3 {
		if err := l.Wait(ctx, "GetConversationMessages", 1); err != nil {
			t.Fatal(err)
		}
	}
	// EVALSHA (NOSCRIPT), EVAL, then EVALSHA only: one per call, and one
	// more for a call that woke up late on a busy machine and booked again.
	got := cmds.names()
	ok := len(got) >= 4 && got[0] == "evalsha" && got[1] == "eval"
	for _, c := range got[min(len(got), 2):] {
		ok = ok && c == "evalsha"
	}
	if !ok {
		t.Errorf("commands after SCRIPT FLUSH: %v, want evalsha, eval, then evalsha only", got)
	}
	if l.InFallback() || logs.String() != "" {
		t.Errorf("the Limiter fell back after SCRIPT FLUSH; logs: %s", logs.String())
	}
}

// commandLog is a go-redis hook that records the commands a client sends,
// but for the handshake of each new connection.
type commandLog struct {
	mu   sync.Mutex
	cmds []string
	n    int64
}

func (c *commandLog) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *commandLog) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.add(cmd)
		return next(ctx, cmd)
	}
}

// add records cmd, unless it belongs to a new connection's handshake.
func (c *commandLog) add(cmd redis.Cmder) {
	switch cmd.Name() {
	case "hello", "client", "auth", "select":
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cmds = append(c.cmds, cmd.Name())
	c.n++
}

func (c *commandLog) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, cmd := range cmds {
			c.add(cmd)
		}
		return next(ctx, cmds)
	}
}

func (c *commandLog) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cmds, c.n = nil, 0
}

func (c *commandLog) names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.cmds...)
}

func (c *commandLog) count() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
