package volcim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"
)

// Limiter decides when a request may be sent, and hears when the server says
// the budget was exceeded. The client calls Wait once before every attempt
// of every call (retries and pages included) and sends the attempt only
// after Wait returns nil; it calls Throttled for every reply that refuses an
// attempt for exceeding a rate limit (HTTP 429, FlowLimitExceeded…,
// AccountFlowLimitExceeded), with the reply's Retry-After capped at the
// call's RetryPolicy.MaxBackoff (0 when it had none).
//
// Wait must block until the action may proceed or ctx is done; when ctx is
// done it must return an error that wraps ctx.Err(). weight is what the call
// weighs in the account-wide budgets (see [Rates]): the number of messages a
// BatchSendMessage delivers, 1 for every other call. Throttled must not
// block. Implementations must be safe for concurrent use.
//
// The API counts its limits per account across every process, so a Limiter
// shared by every client of an account keeps a service from being throttled
// by its own bursts: the default one is shared in the process (see
// [NewClient]), and the redislimit module shares one across processes.
type Limiter interface {
	Wait(ctx context.Context, action string, weight int) error
	Throttled(action string, retryAfter time.Duration)
}

// DefaultQPS is the API's documented limit for an action whose page gives no
// other: 100 calls per second, counted per Volcengine account.
const DefaultQPS = 100

// Rates is a table of the API's rate limits: what a [RateLimiter] enforces.
// [DefaultRates] returns the documented one; change a row to give an action
// less (or, if your account has a raised quota, more).
type Rates struct {
	// Default is the calls per second of every action without a row in
	// Actions; zero means DefaultQPS.
	Default float64
	// Actions maps an action ("SendMessage") to its calls per second.
	Actions map[string]float64
	// Budgets are limits shared by several actions, or counted in
	// something other than calls (messages). A call of an action listed in
	// a budget waits for both its action's rate and the budget.
	Budgets []Budget
}

// Budget is a limit that calls of several actions draw from, each by its
// weight: the number of messages it delivers (BatchSendMessage to 500
// receivers weighs 500), 1 for other calls.
type Budget struct {
	// Name says what the budget counts, for errors and docs.
	Name string
	// PerSecond is the units (messages) per second the budget allows; a
	// budget given per minute divides by 60 (12,000/min is 200).
	PerSecond float64
	// Burst is how many units may go at once after a quiet period (a
	// daily quota of 20 calls: 20); 0 means one call's weight, so calls
	// are spaced by their weight from the first.
	Burst float64
	// Actions are the actions that draw from the budget.
	Actions []string
}

// The API's documented limits: each action's page states its QPS (100 for
// the reads, 50 for the writes); the FAQ on rate limits adds the account-wide
// caps on sending, and UserBroadcast's page a daily quota.
const (
	readQPS  = 100
	writeQPS = 50
	// serverSendPerSecond caps the messages an account sends through the
	// server API: 50 per second.
	serverSendPerSecond = 50
	// batchSendPerMinute caps the messages BatchSendMessage delivers: 12,000
	// per minute.
	batchSendPerMinute = 12000
	// broadcastsPerDay caps UserBroadcast: 20 calls a day.
	broadcastsPerDay = 20
)

// writeActions are the actions whose API page states 50 QPS: every write.
// (UpdateFriend's page states no limit; it is held to the writes' 50.)
var writeActions = []string{
	// messages
	"SendMessage", "ModifyMessage", "RecallMessage", "DeleteConversationMessage", "DeleteMessage", "UserBroadcast",
	// conversations
	"CreateConversation", "ModifyConversation", "DestroyConversation", "ModifyConversationSetting", "MarkConversation",
	// members
	"BatchAddConversationParticipant", "BatchDeleteConversationParticipant", "BatchModifyConversationParticipant",
	"BatchAddManager", "BatchRemoveManager", "ModifyParticipantReadIndex",
	// live groups
	"BatchAddBlockParticipants", "BatchDeleteBlockParticipants", "BatchAddWhitelistParticipant",
	"BatchRemoveWhitelistParticipant", "BatchUpdateLiveParticipants",
	// users
	"RegisterUsers", "UnRegisterUsers", "BatchUpdateUser", "BatchUpdateUserTags", "GetAppToken",
	// friends and block lists
	"AddFriend", "DeleteFriend", "UpdateFriend", "AddBlackList", "RemoveBlackList", "UpdateBlackList",
}

// DefaultRates returns the API's documented limits, a fresh copy each time:
//
//	action                                              calls/s
//	every read (the default)                            100
//	every write (SendMessage, CreateConversation, ...)   50
//	BatchSendMessage                                    100 (its page states only the message budget)
//
//	budget (per account)                  actions            limit
//	messages sent by the server API       SendMessage        50 messages/s
//	messages of BatchSendMessage          BatchSendMessage   12,000 messages/min (200/s, burst 500)
//	broadcasts                            UserBroadcast      20 calls/day (burst 20)
//
// A BatchSendMessage call to n receivers weighs n messages. An action added to
// the SDK gets its limit by a row here (or the default of 100).
func DefaultRates() Rates {
	r := Rates{
		Default: readQPS,
		Actions: make(map[string]float64, len(writeActions)),
		Budgets: []Budget{
			{Name: "messages sent by the server API", PerSecond: serverSendPerSecond, Actions: []string{"SendMessage"}},
			{Name: "messages of BatchSendMessage", PerSecond: batchSendPerMinute / 60.0, Burst: maxBatchReceivers, Actions: []string{"BatchSendMessage"}},
			{Name: "broadcasts", PerSecond: broadcastsPerDay / 86400.0, Burst: broadcastsPerDay, Actions: []string{"UserBroadcast"}},
		},
	}
	for _, a := range writeActions {
		r.Actions[a] = writeQPS
	}
	return r
}

// QPS returns the calls per second r allows action.
func (r Rates) QPS(action string) float64 {
	if q, ok := r.Actions[action]; ok {
		return q
	}
	if r.Default == 0 {
		return DefaultQPS
	}
	return r.Default
}

func (r Rates) validate() error {
	bad := func(v float64) bool { return !(v > 0) || math.IsInf(v, 0) }
	if r.Default != 0 && bad(r.Default) {
		return fmt.Errorf("rates: Default %v is not a positive rate", r.Default)
	}
	for a, q := range r.Actions {
		if bad(q) {
			return fmt.Errorf("rates: %s: %v is not a positive rate", a, q)
		}
	}
	for _, b := range r.Budgets {
		if bad(b.PerSecond) {
			return fmt.Errorf("rates: budget %q: %v is not a positive rate", b.Name, b.PerSecond)
		}
		if b.Burst < 0 || math.IsInf(b.Burst, 0) || math.IsNaN(b.Burst) {
			return fmt.Errorf("rates: budget %q: burst %v is not a positive number", b.Name, b.Burst)
		}
	}
	return nil
}

// String lists the table, one row per action, sorted.
func (r Rates) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "default %g/s", r.QPS(""))
	names := make([]string, 0, len(r.Actions))
	for a := range r.Actions {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		fmt.Fprintf(&b, "; %s %g/s", a, r.Actions[a])
	}
	for _, bu := range r.Budgets {
		fmt.Fprintf(&b, "; budget %q %g/s for %s", bu.Name, bu.PerSecond, strings.Join(bu.Actions, ", "))
	}
	return b.String()
}

// Constants of the limiter's spacing and of its adaptive algorithm. See
// [RateLimiter].
const (
	// jitterMargin widens the spacing of calls by 2% (10.2 ms at 100 QPS),
	// so that the delays a request picks up between the limiter and the
	// server (goroutine scheduling, the network) never squeeze more than the
	// rate into one second as the server counts it: 100 calls then span
	// 1.01 s, which absorbs up to 20 ms of jitter.
	jitterMargin = 0.98

	// ThrottleHold is how long after slowing down an action the limiter
	// ignores further throttled replies of it: the server counts calls over
	// a sliding second, so replies throttled within a second of the
	// slow-down were caused by calls made before it.
	ThrottleHold = time.Second
	// ThrottleBackoff is the share of the calls the server accepted in the
	// last second that the limiter keeps after a throttled reply: it slows
	// the action to 95% of what got through.
	ThrottleBackoff = 0.95
	// ThrottleFloor bounds a slow-down when no caller is waiting for a
	// slot (the callers send less than the rate allows, so what got
	// through says little about what would have): the rate then drops to
	// no less than 85% of what it was in one step.
	ThrottleFloor = 0.85
	// RecoverSlow is how fast, as a share of the configured rate per
	// second, an action's rate climbs back while it is within 5% of the
	// rate at which it was last throttled: 1%/s probes the server's limit
	// gently.
	RecoverSlow = 0.01
	// RecoverFast is how fast, as a share of the configured rate per
	// second, an action's rate climbs back when it is more than 5% away
	// from where it was last throttled (far below after a deep cut, or
	// above it once the limit has risen): 10%/s, so a deep cut recovers
	// fully within ten seconds.
	RecoverFast = 0.10
	// MinRateShare is the floor of an action's adapted rate, as a share of
	// its configured rate: it never starves below 1%.
	MinRateShare = 0.01

	// window and buckets shape the per-action count of recent throttled
	// replies: one second in ten buckets.
	window  = time.Second
	buckets = 10
)

// RateLimiter is the SDK's in-process [Limiter]: it spaces the calls of each
// action evenly at the action's rate from a [Rates] table (no burst), holds
// the calls of the actions listed in a budget to the budget too, and adapts
// to the server.
//
// # Spacing
//
// Every call reserves the next free slot of its action, 1/(rate×0.98) after
// the previous one, and of each budget it draws from (weight/(perSecond×0.98)
// long), and waits for the latest of them. The first call after a quiet
// period goes at once; no window of one second sees more than the rate (a
// budget: more than its rate plus one call's weight). A caller whose context
// would end before its slot gets an error at once and gives its slot back.
//
// However late the callers of an action wake up (a CPU-starved process wakes
// its goroutines in bunches), no more than rate×0.98 of them leave Wait in
// any one second: a caller whose slot has come waits on if the second
// before it is full.
//
// # Adapting to 429
//
// Other services or machines may share the account's budget, so the server
// may refuse calls the limiter let through. When a reply of an action says
// the budget is exceeded ([Limiter.Throttled]), the limiter counts the calls
// of the action the server accepted in the last second (calls let through
// minus throttled replies) and slows the action to [ThrottleBackoff] (95%)
// of that, at once for every client sharing the limiter. Throttled replies
// in the next [ThrottleHold] (1 s) are echoes of calls made before and are
// ignored, for the rate and for the next estimate alike. When no caller was
// waiting for a slot, what got through says little about what would have,
// so the rate then drops by no more than [ThrottleFloor] (to 85%) in one
// step. Afterwards the rate climbs back to the configured one:
// [RecoverSlow] (1% of the configured rate per second) while it is within
// 5% of the rate it was throttled at, [RecoverFast] (10%/s) further away. It
// never drops below [MinRateShare] (1%) of the configured rate. A
// Retry-After on a throttled reply holds every caller of the action until
// it has passed.
//
// With the server admitting 60 QPS while the table says 100, the limiter
// settles within a second at about 57 QPS and probes up to 60 every few
// seconds (see BENCHMARKS.md for the measured figures).
type RateLimiter struct {
	rates   Rates
	now     func() time.Time
	mu      sync.Mutex
	actions map[string]*actionLimit
	budgets map[string][]*slotClock // action → the budgets it draws from
}

// actionLimit is the state of one action: its slot clock and its adaptive
// rate.
type actionLimit struct {
	clock      slotClock
	configured float64     // calls per second from the table
	rate       float64     // adapted calls per second
	ceiling    float64     // rate at the last throttle; 0 if never throttled
	adjusted   time.Time   // when rate was last changed by a throttle or recovery
	holdEcho   time.Time   // throttled replies before this are echoes
	slots      []time.Time // the slots booked, in order: the calls let through, and those to come
	throttles  counter     // throttled replies, last second
	released   []time.Time // when the calls of the last second were let through, oldest first
}

// book records a call's slot, and forgets the slots more than a second
// before now. l.mu is held.
func (a *actionLimit) book(now, at time.Time) {
	drop := 0
	for drop < len(a.slots) && now.Sub(a.slots[drop]) > window {
		drop++
	}
	if drop > 0 {
		a.slots = append(a.slots[:0], a.slots[drop:]...)
	}
	a.slots = append(a.slots, at)
}

// letThrough counts the calls whose slots fell in the second before now
// (slots still to come are not counted: those calls have not been sent).
// l.mu is held.
func (a *actionLimit) letThrough(now time.Time) int {
	from := sort.Search(len(a.slots), func(i int) bool { return now.Sub(a.slots[i]) < window })
	to := sort.Search(len(a.slots), func(i int) bool { return a.slots[i].After(now) })
	return max(to-from, 0)
}

// release admits a call whose slot has come at now, unless the calls let
// through in the second before now already number rate×0.98: then it
// returns how long to wait before asking again. Slots are evenly spaced, so
// this only bites when callers wake late and bunch (a CPU-starved process):
// however late they wake, no second sees more than the rate leave the
// process. l.mu is held.
func (a *actionLimit) release(now time.Time) time.Duration {
	n := max(int(a.rate*jitterMargin), 1)
	drop := 0
	for drop < len(a.released) && now.Sub(a.released[drop]) >= window {
		drop++
	}
	if drop > 0 {
		a.released = append(a.released[:0], a.released[drop:]...)
	}
	if len(a.released) >= n {
		return a.released[len(a.released)-n].Add(window).Sub(now)
	}
	a.released = append(a.released, now)
	return 0
}

// slotClock hands out evenly spaced slots: the theoretical arrival time of
// the next call, GCRA-style.
type slotClock struct {
	next     time.Time     // the theoretical arrival time of the next unit
	interval time.Duration // per unit of weight
	burst    int           // units that may go at once after a quiet period; 0: one call
	hold     time.Time     // no slot before this (Retry-After)
}

// earliest returns the first time at or after t when a call of weight units
// fits: GCRA, a call may start burst−weight units ahead of next.
func (c *slotClock) earliest(t time.Time, weight int) time.Time {
	ahead := max(c.burst-weight, 0)
	if n := c.next.Add(-time.Duration(ahead) * c.interval); n.After(t) {
		t = n
	}
	if c.hold.After(t) {
		t = c.hold
	}
	return t
}

// book takes the slot at for a call of weight units.
func (c *slotClock) book(at time.Time, weight int) {
	start := at
	if c.next.After(start) {
		start = c.next // a call within the burst uses it up
	}
	c.next = start.Add(time.Duration(weight) * c.interval)
}

// counter counts events in the last second, in buckets.
type counter struct {
	n     [buckets]int
	epoch [buckets]int64 // the bucket number each slot counts
}

func bucketOf(t time.Time) int64 { return t.UnixNano() / int64(window/buckets) }

func (c *counter) add(t time.Time) {
	b := bucketOf(t)
	i := int(b % buckets)
	if c.epoch[i] != b {
		c.epoch[i], c.n[i] = b, 0
	}
	c.n[i]++
}

// sum counts the events of the last second (the current bucket and the nine
// before it).
func (c *counter) sum(t time.Time) int {
	b := bucketOf(t)
	total := 0
	for i := range c.n {
		if e := c.epoch[i]; e > b-buckets && e <= b {
			total += c.n[i]
		}
	}
	return total
}

// NewRateLimiter returns a RateLimiter that allows every action qps calls per
// second, with no shared budget: Rates{Default: qps}. A qps that is not a
// positive number means DefaultQPS. Use [NewLimiter] for the documented table.
func NewRateLimiter(qps float64) *RateLimiter {
	if !(qps > 0) || math.IsInf(qps, 0) {
		qps = DefaultQPS
	}
	return newRateLimiter(Rates{Default: qps}, time.Now)
}

// NewLimiter returns a RateLimiter that enforces r (see [DefaultRates]). It
// returns an error when a rate is not a positive number.
func NewLimiter(r Rates) (*RateLimiter, error) {
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("volcim: NewLimiter: %w", err)
	}
	return newRateLimiter(r, time.Now), nil
}

func newRateLimiter(r Rates, now func() time.Time) *RateLimiter {
	// The table is copied: the caller may change its maps afterwards.
	rc := Rates{Default: r.Default, Actions: make(map[string]float64, len(r.Actions))}
	for a, q := range r.Actions {
		rc.Actions[a] = q
	}
	l := &RateLimiter{rates: rc, now: now, actions: make(map[string]*actionLimit), budgets: make(map[string][]*slotClock)}
	for _, b := range r.Budgets {
		b.Actions = append([]string(nil), b.Actions...)
		rc.Budgets = append(rc.Budgets, b)
		clock := &slotClock{interval: spacing(b.PerSecond), burst: int(b.Burst)}
		for _, a := range b.Actions {
			l.budgets[a] = append(l.budgets[a], clock)
		}
	}
	l.rates = rc
	return l
}

// spacing is the interval between calls at rate per second, widened by the
// jitter margin.
func spacing(rate float64) time.Duration {
	return time.Duration(math.Ceil(float64(time.Second) / (rate * jitterMargin)))
}

// Rates returns a copy of the table the limiter enforces.
func (l *RateLimiter) Rates() Rates {
	r := Rates{Default: l.rates.Default, Actions: make(map[string]float64, len(l.rates.Actions))}
	for a, q := range l.rates.Actions {
		r.Actions[a] = q
	}
	for _, b := range l.rates.Budgets {
		b.Actions = append([]string(nil), b.Actions...)
		r.Budgets = append(r.Budgets, b)
	}
	return r
}

// CurrentQPS returns the rate the limiter lets action through at now: the
// table's, or less while it adapts to throttled replies. It is meant for
// metrics and tests.
func (l *RateLimiter) CurrentQPS(action string) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.action(action)
	l.recover(a, l.now())
	return a.rate
}

// action returns the state of an action, creating it on first use. l.mu is
// held.
func (l *RateLimiter) action(name string) *actionLimit {
	a, ok := l.actions[name]
	if !ok {
		q := l.rates.QPS(name)
		a = &actionLimit{configured: q, rate: q, clock: slotClock{interval: spacing(q)}}
		l.actions[name] = a
	}
	return a
}

// errLimiterDeadline is the error of a wait that would outlast the context's
// deadline.
var errLimiterDeadline = errors.New("rate limiter: the wait would outlast the context's deadline")

// Wait blocks until a call of action weighing weight may start: the action's
// next slot and, for the actions listed in a budget, the budget's. It
// returns an error wrapping ctx.Err() when ctx ends first, and at once, with
// an error wrapping context.DeadlineExceeded, when ctx's deadline comes
// before the slot (the slot is then not used up).
func (l *RateLimiter) Wait(ctx context.Context, action string, weight int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if weight < 1 {
		weight = 1
	}
	dl, hasDeadline := ctx.Deadline()
	now, at, a, err := l.reserve(action, weight, dl, hasDeadline)
	if err != nil {
		return err
	}
	wait := at.Sub(now)
	for {
		if wait > 0 {
			if err := sleep(ctx, wait); err != nil {
				return err
			}
		}
		l.mu.Lock()
		wait = a.release(l.now())
		l.mu.Unlock()
		if wait <= 0 {
			return nil
		}
	}
}

// sleep waits d or until ctx is done, and returns ctx.Err() in that case.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reserve books the slot of a call of action weighing weight: the action's
// next free slot and, for the actions listed in a budget, the budget's. A
// slot after the deadline (when hasDeadline) is not booked: the error wraps
// context.DeadlineExceeded. A slot that is now counts the call at once.
func (l *RateLimiter) reserve(action string, weight int, deadline time.Time, hasDeadline bool) (now, at time.Time, a *actionLimit, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now = l.now()
	a = l.action(action)
	l.recover(a, now)
	budgets := l.budgets[action]
	at = now
	for _, b := range budgets {
		at = b.earliest(at, weight)
	}
	at = a.clock.earliest(at, 1)
	if hasDeadline && at.After(deadline) {
		return now, at, a, fmt.Errorf("%w: %w", context.DeadlineExceeded, errLimiterDeadline)
	}
	for _, b := range budgets {
		b.book(at, weight)
	}
	a.clock.book(at, 1)
	a.book(now, at)
	return now, at, a, nil
}

// Throttled slows action down after a reply that said its budget was
// exceeded, as described in the type's documentation, and holds its callers
// until retryAfter has passed.
func (l *RateLimiter) Throttled(action string, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	a := l.action(action)
	l.recover(a, now)
	if retryAfter > 0 {
		if until := now.Add(retryAfter); until.After(a.clock.hold) {
			a.clock.hold = until
		}
	}
	if now.Before(a.holdEcho) {
		// An echo of calls made before the last slow-down: it says
		// nothing about the rate now, so it is not counted either (it
		// would make the next estimate of what got through too low).
		return
	}
	a.throttles.add(now)
	accepted := float64(a.letThrough(now) - a.throttles.sum(now))
	rate := min(accepted, a.rate) * ThrottleBackoff
	a.ceiling = max(accepted, 1)
	if !a.clock.next.After(now) && rate < a.rate*ThrottleFloor {
		// No caller is waiting for a slot: the callers sent less than
		// the rate allowed (they were waiting out backoffs), so what got
		// through says little about what would have. Slow down by no
		// more than ThrottleFloor, and probe gently from there.
		rate = a.rate * ThrottleFloor
		a.ceiling = rate / ThrottleBackoff
	}
	a.setRate(max(rate, a.configured*MinRateShare))
	a.adjusted = now
	a.holdEcho = now.Add(ThrottleHold)
}

// recover raises an adapted rate back toward the configured one for the
// time since it was last adjusted. l.mu is held.
func (l *RateLimiter) recover(a *actionLimit, now time.Time) {
	if a.rate >= a.configured || now.Before(a.holdEcho) {
		return
	}
	from := a.adjusted
	if a.holdEcho.After(from) {
		from = a.holdEcho
	}
	elapsed := now.Sub(from).Seconds()
	if elapsed <= 0 {
		return
	}
	rate := a.rate
	for elapsed > 0 && rate < a.configured {
		// Step at the speed of the zone the rate is in, up to the zone's
		// edge, then go on at the next zone's speed.
		speed, edge := RecoverFast, a.configured
		lo, hi := a.ceiling*0.95, a.ceiling*1.05
		switch {
		case rate < lo:
			edge = lo
		case rate < hi:
			speed, edge = RecoverSlow, hi
		}
		step := speed * a.configured * elapsed
		if rate+step <= edge {
			rate += step
			elapsed = 0
			break
		}
		elapsed -= (edge - rate) / (speed * a.configured)
		rate = edge
	}
	a.setRate(min(rate, a.configured))
	a.adjusted = now
}

func (a *actionLimit) setRate(rate float64) {
	a.rate = rate
	a.clock.interval = spacing(rate)
}

// accountLimiters is the one piece of process-wide mutable state in this
// package: the default limiter of each access key, so that every client built
// in the process with the same key shares the account's budget, as the
// server counts it. Entries are created on first use and never removed (one
// small entry per access key); sync.Map makes it safe for concurrent use.
var accountLimiters sync.Map // access key id → *RateLimiter

// accountLimiter returns the process-wide default limiter of accessKey.
func accountLimiter(accessKey string) *RateLimiter {
	if l, ok := accountLimiters.Load(accessKey); ok {
		return l.(*RateLimiter)
	}
	l, _ := accountLimiters.LoadOrStore(accessKey, newRateLimiter(DefaultRates(), time.Now))
	return l.(*RateLimiter)
}

// maxBatchReceivers is the most receivers a BatchSendMessage takes.
const maxBatchReceivers = 500
