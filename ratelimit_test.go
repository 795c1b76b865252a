package volcim

import (
	"context"
	"errors"
	"math"
	"sort"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newTestLimiter(t *testing.T, r Rates) (*RateLimiter, *fakeClock) {
	t.Helper()
	if err := r.validate(); err != nil {
		t.Fatal(err)
	}
	clk := &fakeClock{t: t0}
	return newRateLimiter(r, clk.now), clk
}

// slots books n back-to-back calls of action at the clock's time, without
// sleeping, and returns when each may start.
func slots(t *testing.T, l *RateLimiter, action string, weight, n int) []time.Time {
	t.Helper()
	var at []time.Time
	for range n {
		_, s, _, err := l.reserve(action, weight, time.Time{}, false)
		if err != nil {
			t.Fatal(err)
		}
		at = append(at, s)
	}
	return at
}

// maxInWindow is the most slots in any window [t, t+window).
func maxInWindow(at []time.Time, window time.Duration) int {
	sorted := append([]time.Time(nil), at...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Before(sorted[j]) })
	best, lo := 0, 0
	for hi := range sorted {
		for sorted[hi].Sub(sorted[lo]) >= window {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// TestRateLimiterSpacing schedules 500 back-to-back calls of each kind of
// action on the default table and checks that no one-second window holds
// more than the action's rate, even if every call but the one opening the
// window arrived 15 ms late, and that the limiter still grants at least 97%
// of the rate.
func TestRateLimiterSpacing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		action string
		rate   int
	}{
		{"GetMessages", 100},
		{"SendMessage", 50},
		{"CreateConversation", 50},
		{"RecallMessage", 50},
		{"AddFriend", 50},
		{"NotAnAction", 100},
	} {
		l, _ := newTestLimiter(t, DefaultRates())
		at := slots(t, l, tc.action, 1, 500)
		const jitter = 15 * time.Millisecond
		if got := maxInWindow(at, time.Second+jitter); got > tc.rate {
			t.Errorf("%s: %d calls in one second (with %s of jitter), want at most %d", tc.action, got, jitter, tc.rate)
		}
		qps := float64(len(at)-1) / at[len(at)-1].Sub(at[0]).Seconds()
		if qps < 0.97*float64(tc.rate) {
			t.Errorf("%s: %.1f QPS granted, want at least %.1f", tc.action, qps, 0.97*float64(tc.rate))
		}
		if !at[0].Equal(t0) {
			t.Errorf("%s: the first call waits until %s", tc.action, at[0])
		}
	}
}

// TestRateLimiterBudgets checks the weighted budgets: BatchSendMessage to
// 500 receivers takes 500 messages of 12,000 a minute, and UserBroadcast's
// daily 20 go at once, the 21st a day's twentieth later.
func TestRateLimiterBudgets(t *testing.T) {
	t.Parallel()
	l, _ := newTestLimiter(t, DefaultRates())
	at := slots(t, l, "BatchSendMessage", 500, 25)
	var minute int
	for _, s := range at {
		if s.Sub(t0) < time.Minute {
			minute++
		}
	}
	if minute*500 > 12000+500 {
		t.Errorf("%d messages in the first minute, want at most 12,000 and one batch", minute*500)
	}
	if gap := at[2].Sub(at[1]); gap < 2500*time.Millisecond || gap > 2600*time.Millisecond {
		t.Errorf("batches of 500 spaced %s, want about 2.5 s", gap)
	}
	b := slots(t, l, "UserBroadcast", 1, 21)
	if d := b[19].Sub(t0); d > time.Second {
		t.Errorf("the 20th broadcast of the day waits %s", d)
	}
	if d := b[20].Sub(t0); d < 72*time.Minute {
		t.Errorf("the 21st broadcast goes after %s, want at least 72 minutes", d)
	}
	// A call of an action in a budget waits for both: SendMessage at 50/s.
	s := slots(t, l, "SendMessage", 1, 51)
	if got := maxInWindow(s, time.Second); got > 50 {
		t.Errorf("%d SendMessage calls in one second", got)
	}
}

func TestRateLimiterDeadlineBooksNothing(t *testing.T) {
	t.Parallel()
	l, clk := newTestLimiter(t, Rates{Default: 1})
	if _, _, _, err := l.reserve("A", 1, time.Time{}, false); err != nil {
		t.Fatal(err)
	}
	// The next slot is about a second away: a deadline before it fails at
	// once and books nothing.
	_, _, _, err := l.reserve("A", 1, clk.now().Add(100*time.Millisecond), true)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want DeadlineExceeded", err)
	}
	_, at, _, err := l.reserve("A", 1, time.Time{}, false)
	if err != nil || at.Sub(t0) > 1100*time.Millisecond {
		t.Errorf("the slot after a refused wait is at %s (%v): the refused one was booked", at.Sub(t0), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx, "A", 1); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait with a cancelled context: %v", err)
	}
}

// TestRateLimiterRetryAfterHoldsEveryCaller checks that a throttled reply
// with a Retry-After holds the next calls of the action, and only those.
func TestRateLimiterRetryAfterHoldsEveryCaller(t *testing.T) {
	t.Parallel()
	l, clk := newTestLimiter(t, DefaultRates())
	slots(t, l, "GetMessages", 1, 1)
	l.Throttled("GetMessages", 2*time.Second)
	for _, s := range slots(t, l, "GetMessages", 1, 3) {
		if s.Before(clk.now().Add(2 * time.Second)) {
			t.Errorf("a call at %s, within the Retry-After", s.Sub(t0))
		}
	}
	if s := slots(t, l, "GetConversationMessages", 1, 1)[0]; !s.Equal(t0) {
		t.Errorf("another action waits until %s", s.Sub(t0))
	}
}

// simulate runs clients that always have a call waiting against a server
// that admits capacity calls in any sliding second, for d of fake time, and
// reports the calls sent and throttled after the first second and the
// accepted rate over that time.
func simulate(t *testing.T, l *RateLimiter, clk *fakeClock, capacity int, d time.Duration) (sent, throttled int, acceptedQPS float64) {
	t.Helper()
	var window []time.Time // accepted calls of the last second, at the server
	var accepted int
	start := clk.now()
	for clk.now().Sub(start) < d {
		_, at, _, err := l.reserve("GetMessages", 1, time.Time{}, false)
		if err != nil {
			t.Fatal(err)
		}
		if at.After(clk.now()) {
			clk.t = at
		}
		// The call reaches the server 3 ms after it was let through.
		arrival := clk.now().Add(3 * time.Millisecond)
		for len(window) > 0 && arrival.Sub(window[0]) >= time.Second {
			window = window[1:]
		}
		ok := len(window) < capacity
		if ok {
			window = append(window, arrival)
		} else {
			l.mu.Lock()
			clk.t = arrival.Add(3 * time.Millisecond) // the reply comes back
			l.mu.Unlock()
			l.Throttled("GetMessages", 0)
		}
		if clk.now().Sub(start) >= time.Second {
			sent++
			if ok {
				accepted++
			} else {
				throttled++
			}
		}
	}
	return sent, throttled, float64(accepted) / (d - time.Second).Seconds()
}

// TestRateLimiterAdaptsToAServerThatAdmitsLess runs the default limiter
// (which believes in 100 QPS) against a server that admits 60, on a fake
// clock: after the first second at most 5% of the calls are throttled and
// at least 90% of the 60 QPS is used.
func TestRateLimiterAdaptsToAServerThatAdmitsLess(t *testing.T) {
	t.Parallel()
	for _, capacity := range []int{60, 30, 95} {
		l, clk := newTestLimiter(t, DefaultRates())
		sent, throttled, qps := simulate(t, l, clk, capacity, 30*time.Second)
		if share := float64(throttled) / float64(sent); share > 0.05 {
			t.Errorf("capacity %d: %d of %d calls throttled after the first second (%.1f%%), want at most 5%%", capacity, throttled, sent, 100*share)
		}
		if qps < 0.9*float64(capacity) {
			t.Errorf("capacity %d: %.1f QPS accepted, want at least %.1f", capacity, qps, 0.9*float64(capacity))
		}
	}
}

// TestRateLimiterRecovers checks that after the server's limit rises back,
// the limiter climbs back to the table's rate within seconds, and that the
// adapted rate never falls below the floor.
func TestRateLimiterRecovers(t *testing.T) {
	t.Parallel()
	l, clk := newTestLimiter(t, DefaultRates())
	simulate(t, l, clk, 20, 5*time.Second)
	low := l.CurrentQPS("GetMessages")
	if low > 25 || low < DefaultQPS*MinRateShare {
		t.Fatalf("rate %.1f after a server admitting 20", low)
	}
	clk.advance(20 * time.Second)
	if got := l.CurrentQPS("GetMessages"); got != DefaultQPS {
		t.Errorf("rate %.1f 20 s after the last throttled reply, want %d", got, DefaultQPS)
	}
	// Throttles in a row never push the rate under the floor.
	for range 100 {
		clk.advance(2 * time.Second)
		l.Throttled("GetMessages", 0)
	}
	if got := l.CurrentQPS("GetMessages"); got < DefaultQPS*MinRateShare-1e-9 || math.IsNaN(got) {
		t.Errorf("rate %.3f after 100 throttles, want at least %.1f", got, DefaultQPS*MinRateShare)
	}
}

func TestRatesValidate(t *testing.T) {
	t.Parallel()
	for _, bad := range []Rates{
		{Default: -1},
		{Default: math.Inf(1)},
		{Actions: map[string]float64{"A": 0}},
		{Budgets: []Budget{{Name: "b", PerSecond: math.NaN()}}},
		{Budgets: []Budget{{Name: "b", PerSecond: 1, Burst: -1}}},
	} {
		if _, err := NewLimiter(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
		if _, err := NewClient("a", "s", WithRates(bad)); err == nil {
			t.Errorf("WithRates(%v) accepted", bad)
		}
	}
	r := DefaultRates()
	r.Actions["SendMessage"] = 10
	if DefaultRates().QPS("SendMessage") != 50 {
		t.Error("DefaultRates shares its map between calls")
	}
	l, err := NewLimiter(r)
	if err != nil {
		t.Fatal(err)
	}
	r.Actions["SendMessage"] = 1
	if got := l.Rates().QPS("SendMessage"); got != 10 {
		t.Errorf("the limiter sees a later change of the caller's table: %v", got)
	}
}

// TestRateLimiterReleaseSpreadsABunch checks the second guard: callers whose
// slots have passed (they woke late, all at once) leave no more than
// rate×0.98 in any second.
func TestRateLimiterReleaseSpreadsABunch(t *testing.T) {
	t.Parallel()
	l, clk := newTestLimiter(t, Rates{Default: 100})
	a := l.action("A")
	var released []time.Time
	// 300 callers wake in bunches of 50 every 100 ms; each asks again when
	// told to wait.
	type caller struct{ at time.Time }
	var queue []caller
	for i := range 300 {
		queue = append(queue, caller{at: t0.Add(time.Duration(i/50) * 100 * time.Millisecond)})
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c.at.After(clk.now()) {
			clk.t = c.at
		}
		if d := a.release(clk.now()); d > 0 {
			queue = append(queue, caller{at: clk.now().Add(d)})
			sort.Slice(queue, func(i, j int) bool { return queue[i].at.Before(queue[j].at) })
			continue
		}
		released = append(released, clk.now())
	}
	if got := maxInWindow(released, time.Second); got > 98 {
		t.Errorf("%d released in one second, want at most 98", got)
	}
	if len(released) != 300 {
		t.Errorf("%d released, want all 300", len(released))
	}
}

// TestRateLimiterThrottleWithoutDemand checks the floor of a slow-down: a
// throttled reply while no caller waits for a slot (the callers sent little,
// waiting out backoffs) cuts the rate to 85% of what it was, not to what the
// few calls of the last second suggest; with callers waiting, the estimate
// of what got through wins.
func TestRateLimiterThrottleWithoutDemand(t *testing.T) {
	t.Parallel()
	l, clk := newTestLimiter(t, DefaultRates())
	for range 30 { // 30 calls over a second, no backlog
		slots(t, l, "GetMessages", 1, 1)
		clk.advance(33 * time.Millisecond)
	}
	l.Throttled("GetMessages", 0)
	if got := l.CurrentQPS("GetMessages"); math.Abs(got-85) > 1e-9 {
		t.Errorf("rate %.2f after a throttle without demand, want 85", got)
	}
	l2, clk2 := newTestLimiter(t, DefaultRates())
	slots(t, l2, "GetMessages", 1, 30) // 30 callers at once: a backlog
	clk2.advance(100 * time.Millisecond)
	l2.Throttled("GetMessages", 0)
	if got := l2.CurrentQPS("GetMessages"); got > 30 {
		t.Errorf("rate %.2f after a throttle with callers waiting, want at most 95%% of the 30 let through", got)
	}
}
