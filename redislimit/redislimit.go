// Package redislimit implements [volcim.Limiter] on Redis, so that every
// process and replica that calls the Volcengine IM OpenAPI with one account
// shares one budget per action, slows down together when the server says
// the budget is exceeded, and stays under the API's limits however many
// replicas run.
//
// The API counts its limits per Volcengine account, across every process
// that uses the account. The client's default limiter
// ([volcim.RateLimiter]) only knows about its own process: with N replicas
// it lets N times the rate through. A [Limiter] enforces the same table of
// rates ([volcim.Rates]; by default [volcim.DefaultRates]: 100 calls per
// second for each read, 50 for each write, and the account-wide budgets of
// messages and broadcasts) with the same spacing and the same adaptive
// algorithm, but keeps its state in Redis.
//
// Wire it into a client with volcim.WithLimiter:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", ContextTimeoutEnabled: true})
//	lim, err := redislimit.New(rdb, accessKey, redislimit.WithFallbackShare(1.0/3))
//	client, err := volcim.NewClient(accessKey, secretKey, volcim.WithLimiter(lim))
//
// Every replica must use the same table (the default one, or the same
// [WithRates]): each call hands its action's rate and budgets to Redis.
//
// # One round trip per call
//
// Each Wait runs one Lua script in Redis: EVALSHA, or EVAL with the script
// itself until Redis has run it once for the Limiter and when Redis
// answers NOSCRIPT (after a restart or a SCRIPT FLUSH). On
// Redis's clock (TIME, so the replicas' clocks do not matter), it books the
// call's slot in the action's clock,
//
//	slot = max(next, now, hold); next = slot + 1/(rate × 0.98)
//
// and in the clock of every budget the action draws from, weighted by the
// call's weight, with the budget's burst (GCRA); it returns how long the
// caller has to wait, and the caller sleeps that long without asking again.
// The 2% margin is volcim.RateLimiter's: at a rate of 100 the calls go 98
// per second, 101 calls span 1.02 s, and up to 20 ms of jitter between the
// limiter and the server never puts 101 calls into one of the server's
// seconds. A call of an action listed in a budget waits for both.
//
// The script books a slot at most the look-ahead ahead ([DefaultLookahead],
// 1 s; see [WithLookahead]), and a call weighing w further by w−1 units of
// its slowest budget, so that light calls of a budget never starve a heavy
// one. A call whose slot lies further books nothing and is told to ask again
// when half the look-ahead is free; within a process, the callers so refused
// queue behind each other and ask one at a time, so that they do not come
// back all at once. A slot after the deadline of the caller's context is not
// booked: Wait fails at once with an error wrapping
// context.DeadlineExceeded.
//
// A caller that would go more than 10 ms after its slot (its process was
// stalled, or the reply that booked the slot was held up) lets the slot go
// and books another: going late would put it into the same second as the
// calls of the next slots. (The script returns its time, so the caller
// places the slot on its own clock from Redis's; a slow dial before the
// script ran does not count as late.) Calls that leave Wait at most 10 ms
// after their slots put at most 99 calls into any second at a rate of 100.
// A call does this once: if it is late again it goes, so that a machine
// that busy still makes progress. Only fast actions do it (a new slot at
// most 100 ms away): a slow one, or a call heavy in a slow budget (a
// daily quota, a batch of 500 messages), goes late rather than wait a
// whole interval more.
//
// # Adapting to throttled replies
//
// Other services may share the account's budget, so the server may refuse
// calls the table allows. [Limiter.Throttled] runs the same script, which
// applies volcim.RateLimiter's algorithm to the action's state in Redis, so
// that one replica's throttled reply slows every replica at once: it counts
// the calls of the action the server accepted in the last second (the calls
// the script let through minus the throttled replies, counted in Redis too)
// and slows the action to [volcim.ThrottleBackoff] (95%) of that; it ignores
// the throttled replies of the next [volcim.ThrottleHold] (1 s), which are
// echoes of calls made before; then the rate climbs back by
// [volcim.RecoverSlow] (1% of the table's rate per second) within 5% of the
// rate it was throttled at, and [volcim.RecoverFast] (10%/s) further away,
// never below [volcim.MinRateShare] (1%) of the table's rate. A Retry-After
// holds the next calls of the action, in every replica, until it has
// passed.
//
// The differences from the in-process limiter: time counts in microseconds
// of Redis's clock; the calls let through in the last second are counted
// exactly, by their slots (the in-process limiter counts them in 100 ms
// buckets, where calls booked for later in the current bucket count
// already: with many callers waiting, it overestimates what the server
// saw), and a slot that its caller let go (see above) does not count; the
// throttled replies are counted in 100 ms buckets, as in-process. Calls
// that already hold a slot when a Retry-After comes go at their slot, as
// in-process; it is at most the look-ahead away.
//
// Throttled makes one Redis call, bounded by the Redis timeout
// ([WithRedisTimeout]); it never waits for a slot. It is called once per
// throttled reply, which is rare once the rate has adapted.
//
// # When Redis is unreachable
//
// No call fails because Redis is down. When a Redis call fails (for any
// reason other than the caller's context ending), the Limiter falls back to
// an in-process [volcim.RateLimiter] enforcing the table scaled by share
// (see [WithFallbackShare]: every rate, budget and burst times share), logs
// one warning, and probes Redis again at most once per probe interval (see
// [WithProbeInterval]) from an ordinary Wait call. When Redis answers, it
// logs one info message and goes back to the shared budget. There are no
// background goroutines: all work happens inside Wait and Throttled.
//
// # go-redis's own log lines
//
// go-redis writes some failures to standard error itself, whoever made the
// call: while Redis is down, each failed dial prints "redis: connection
// pool: failed to dial after 5 attempts: ... connection refused". go-redis
// v9.17 has no logger per client, only a process-wide one (redis.SetLogger),
// and its lines do not say which client they come from (it dials on a
// context of its own). A Limiter therefore leaves that logger alone:
// replacing it would change what every other go-redis client of the program
// logs, and could not be done safely from New anyway, since go-redis reads
// it without synchronisation while its clients run (the Redis client given
// to New exists already). The Limiter's own warning reports the outage. To
// send go-redis's lines through slog instead of standard error, or to drop
// them, the program installs a [RedisLogger] once, early in main:
//
//	redis.SetLogger(redislimit.RedisLogger{Logger: logger, Level: slog.LevelDebug})
//
// # Keys
//
// The state of an action lives in the Redis hash
//
//	<prefix>{<account hash>}:a:<action>
//
// (its slot clock, its adapted rate and Retry-After hold, and its counts of
// throttled replies over the last second), the slots of its calls of the
// last second and those booked ahead in the sorted set
//
//	<prefix>{<account hash>}:c:<action>
//
// and the clock of a budget in the string
//
//	<prefix>{<account hash>}:b:<budget name>
//
// where prefix defaults to "volcim:rl:" (see [WithKeyPrefix]) and the
// account hash is the first 16 hex digits of the SHA-256 of the account
// string given to [New]; the braces keep an account's keys in one slot of a
// Redis Cluster. An action's hash expires a minute after its last use (or
// after its last booked slot or hold, if later), the sorted set and a
// budget's string a second after their last booked slot.
//
// # Figures
//
// Three processes of 16 goroutines on one redis-server, default settings,
// ten seconds on one action: 97.6 to 97.8 calls per second together, at
// most 99 Waits returning in any sliding second and 99 to 100 requests
// reaching a counting server, 1.05 Redis calls per call (one per call, and
// one per goroutine at the end of the run, whose next slot lies after its
// deadline). Against a server that accepts 60 calls per second while the
// table says 100, three such replicas use 93 to 96% of the 60, with 1 to 2%
// of their requests throttled after the first second. BENCHMARKS.md has the
// commands and the conditions.
package redislimit

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	volcim "github.com/volcim/volcim-go"
)

// Defaults used by [New] when no option overrides them.
const (
	// DefaultFallbackShare is the fraction of the table's rates each
	// process allows itself while Redis is unreachable. Every replica loses
	// Redis at the same moment when Redis goes down, so the fallback
	// budgets add up: 0.25 keeps up to four replicas within the account's
	// budget. With N replicas, set 1/N with [WithFallbackShare]; with one,
	// set 1.
	DefaultFallbackShare = 0.25

	// DefaultKeyPrefix is prepended to the account hash in Redis keys.
	DefaultKeyPrefix = "volcim:rl:"

	// DefaultProbeInterval is how often, at most, a process that fell back
	// to its local limiter tries Redis again.
	DefaultProbeInterval = time.Second

	// DefaultRedisTimeout bounds each Redis call made by Wait and
	// Throttled. A Redis call that takes longer counts as Redis being
	// unreachable.
	DefaultRedisTimeout = 250 * time.Millisecond

	// DefaultLookahead is how far ahead, at most, Redis books a call's slot
	// (a heavy call's a little further, see the package documentation). A
	// second holds the waits of about 100 callers of one action at 100
	// calls per second; with more callers waiting at once, the others ask
	// again later.
	DefaultLookahead = time.Second
)

// Constants of the script that volcim does not export. They have the
// in-process limiter's values.
const (
	// spacingMargin widens the spacing of calls by 2%, as volcim's
	// RateLimiter does (its jitterMargin).
	spacingMargin = 0.98
	// recoverZone is the half-width of the zone around the rate of the last
	// throttle in which the rate climbs back at RecoverSlow.
	recoverZone = 0.05
	// bucket, buckets, ring: throttled replies are counted in buckets of
	// 100 ms; the last second is ten of them (the current one and the nine
	// before), and the ring keeps 16.
	bucket  = 100 * time.Millisecond
	buckets = 10
	ring    = 16
	// idleTTL is how long an action's hash lives after its last use (after
	// its last booked slot or hold, if later).
	idleTTL = time.Minute
	// lateTolerance is how late after its slot a call may still go. A
	// caller that goes later than that (its process was stalled, or the
	// reply that booked the slot was held up) lets the slot go and books
	// another, once per call: going late would put the call in the same
	// second as the slots after it. With the 2% spacing, calls that go at
	// most 10 ms after their slots put at most 99 calls into any second at
	// a rate of 100.
	lateTolerance = 10 * time.Millisecond
	// maxRebookCost bounds what a late caller gives up to book again: the
	// spacing of its slots. A slower action (or budget: a daily quota, a
	// batch of 500 messages) goes late rather than wait a whole interval
	// more, since at such rates a few milliseconds crowd nothing.
	maxRebookCost = 100 * time.Millisecond
	// offsetPeriod is how long the smallest offset of Redis's clock from
	// the process's is kept (for one to two periods), so that the clocks'
	// drift, or a path to Redis that has become slower for good, is
	// followed.
	offsetPeriod = 10 * time.Second
)

//go:embed limiter.lua
var scriptSource string

// script is the limiter's Lua script, with the constants of the algorithm
// filled in from package volcim's.
var script = redis.NewScript(strings.NewReplacer(
	"$MARGIN", num(spacingMargin),
	"$HOLD", strconv.FormatInt(volcim.ThrottleHold.Microseconds(), 10),
	"$BACKOFF", num(volcim.ThrottleBackoff),
	"$SLOW", num(volcim.RecoverSlow),
	"$FAST", num(volcim.RecoverFast),
	"$MINSHARE", num(volcim.MinRateShare),
	"$ZONE", num(recoverZone),
	"$BUCKETS", strconv.Itoa(buckets),
	"$BUCKET", strconv.FormatInt(bucket.Microseconds(), 10),
	"$RING", strconv.Itoa(ring),
	"$IDLE", strconv.FormatInt(idleTTL.Milliseconds(), 10),
).Replace(scriptSource))

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// Limiter is a [volcim.Limiter] whose state lives in Redis and is shared by
// every Limiter created with the same Redis, account and key prefix, in any
// process. It is safe for concurrent use. Create it with [New].
type Limiter struct {
	rdb           redis.UniversalClient
	rates         volcim.Rates
	budgets       map[string][]budgetRef // action → the budgets it draws from
	keyBase       string                 // prefix + "{" + account hash + "}:"
	acctHash      string
	share         float64
	lookahead     time.Duration
	probeInterval time.Duration
	redisTimeout  time.Duration
	log           *slog.Logger
	local         *volcim.RateLimiter // the fallback: the table × share

	// now, when set (by tests), replaces Redis's clock in the script.
	now func() time.Time
	// pause sleeps for a slot or a retry (sleep; tests oversleep).
	pause func(ctx context.Context, d time.Duration) error
	// late counts the slots given up because Wait woke up too late.
	late atomic.Int64
	// epoch is the origin of the process's clock (monotonic) in offsets.
	epoch time.Time
	// offset follows where Redis's clock stands to the process's.
	offset offsetWindow
	// loaded is set once Redis has run the script for this Limiter.
	loaded atomic.Bool

	mu         sync.Mutex
	actions    map[string]*actionState
	fallback   bool      // Redis considered unreachable
	since      time.Time // start of the current fallback
	nextProbe  time.Time // earliest time to try Redis again while in fallback
	generation uint64    // incremented on every transition
}

// budgetRef is a budget an action draws from, as the script takes it.
type budgetRef struct {
	key       string
	perSecond float64
	burst     float64
}

// actionState is the per-action, per-process state of a Limiter.
type actionState struct {
	keys []string // the action's hash, then its budgets' keys
	args []any    // the script's arguments from ARGV[3] on, with room for the per-call ones
	// qps is the action's calls per second in the table, and perSecond
	// the units per second of its budgets: what a new slot costs.
	qps       float64
	perSecond []float64
	// gate lets one caller at a time (per process and action) ask again
	// after Redis said the look-ahead was full; queued counts the callers
	// holding it or waiting for it, and new callers queue behind them.
	gate   chan struct{}
	queued atomic.Int32
}

var _ volcim.Limiter = (*Limiter)(nil)

// Option configures a [Limiter] created by [New].
type Option func(*config)

type config struct {
	rates         *volcim.Rates
	rate          *float64 // WithRate
	share         float64
	log           *slog.Logger
	prefix        string
	lookahead     time.Duration
	probeInterval time.Duration
	redisTimeout  time.Duration
}

// WithRates sets the table of rates and budgets the Limiter enforces
// across every process of the account (default [volcim.DefaultRates]), for
// example the default table with a row lowered for a service that gets a
// share of the account's budget. Every replica of an account must use the
// same table. A rate that is not a positive number is an error from [New].
func WithRates(r volcim.Rates) Option {
	return func(c *config) { c.rates, c.rate = &r, nil }
}

// WithRate gives every action the same rate, qps calls per second across
// every process of the account, and no budget: WithRates(volcim.Rates{Default:
// qps}). qps must be positive and finite. Calls are spaced 2% wider than
// 1/qps, as by [volcim.RateLimiter], so that any second sees at most qps
// calls even if they reach the server up to 20 ms late.
func WithRate(qps float64) Option {
	return func(c *config) { c.rates, c.rate = nil, &qps }
}

// WithFallbackShare sets the fraction of the table each process allows
// itself while Redis is unreachable (default [DefaultFallbackShare]): every
// rate, budget and burst times share. It must be in (0, 1]. Redis going
// down makes every replica fall back at once, so a deployment of N replicas
// should use 1/N to stay within the account's budget during an outage.
func WithFallbackShare(share float64) Option {
	return func(c *config) { c.share = share }
}

// WithLogger sets the logger for the two messages the Limiter ever logs: a
// warning when it falls back to its local limiter and an info message when
// Redis answers again. The default is [slog.Default]; nil disables logging.
// Messages carry the hashed account, never the account string itself.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		c.log = l
	}
}

// WithKeyPrefix sets the prefix of the Redis keys (default
// [DefaultKeyPrefix]). Limiters share a budget only if they use the same
// prefix.
func WithKeyPrefix(prefix string) Option {
	return func(c *config) { c.prefix = prefix }
}

// WithLookahead sets how far ahead, at most, Redis books a call's slot
// (default [DefaultLookahead]); it must be positive. A longer one lets more
// callers of an action wait at once with one Redis call each; a shorter one
// lets a slow-down (after a throttled reply) or a Retry-After reach the
// calls sooner, and wastes fewer slots when a process dies while its callers
// wait.
func WithLookahead(d time.Duration) Option {
	return func(c *config) { c.lookahead = d }
}

// WithProbeInterval sets how often, at most, a process that fell back to its
// local limiter tries Redis again (default [DefaultProbeInterval]). The probe
// is made by one ordinary Wait call; the others keep using the local limiter
// meanwhile.
func WithProbeInterval(d time.Duration) Option {
	return func(c *config) { c.probeInterval = d }
}

// WithRedisTimeout bounds each Redis call made by Wait and Throttled
// (default [DefaultRedisTimeout]); a slower call counts as Redis being
// unreachable. go-redis honours it while dialling and between retries; for
// reads it honours it only if the client has ContextTimeoutEnabled set,
// otherwise its own ReadTimeout (3s by default) applies.
func WithRedisTimeout(d time.Duration) Option {
	return func(c *config) { c.redisTimeout = d }
}

// New returns a Limiter that keeps its state in rdb. account names the
// Volcengine account whose budget is shared: pass the access key ID (never
// the secret key) or any name every replica agrees on. It is hashed before
// it is used in keys or logs. The Limiter does not own rdb: closing rdb is
// the caller's business. New makes no Redis call.
func New(rdb redis.UniversalClient, account string, opts ...Option) (*Limiter, error) {
	if rdb == nil {
		return nil, errors.New("redislimit: nil Redis client")
	}
	if account == "" {
		return nil, errors.New("redislimit: empty account")
	}
	c := config{
		share:         DefaultFallbackShare,
		log:           slog.Default(),
		prefix:        DefaultKeyPrefix,
		lookahead:     DefaultLookahead,
		probeInterval: DefaultProbeInterval,
		redisTimeout:  DefaultRedisTimeout,
	}
	for _, o := range opts {
		o(&c)
	}
	var table volcim.Rates
	switch {
	case c.rates != nil:
		table = *c.rates
	case c.rate != nil:
		if q := *c.rate; !(q > 0) || math.IsInf(q, 0) {
			return nil, fmt.Errorf("redislimit: rate %v: must be positive and finite", q)
		}
		table = volcim.Rates{Default: *c.rate}
	default:
		table = volcim.DefaultRates()
	}
	// NewLimiter validates the table and copies it.
	checked, err := volcim.NewLimiter(table)
	if err != nil {
		return nil, fmt.Errorf("redislimit: %w", err)
	}
	table = checked.Rates()
	if !(c.share > 0 && c.share <= 1) {
		return nil, fmt.Errorf("redislimit: fallback share %v: must be in (0, 1]", c.share)
	}
	if c.lookahead <= 0 {
		return nil, fmt.Errorf("redislimit: look-ahead %v: must be positive", c.lookahead)
	}
	if c.probeInterval <= 0 {
		return nil, fmt.Errorf("redislimit: probe interval %v: must be positive", c.probeInterval)
	}
	if c.redisTimeout <= 0 {
		return nil, fmt.Errorf("redislimit: Redis timeout %v: must be positive", c.redisTimeout)
	}
	local, err := volcim.NewLimiter(scaled(table, c.share))
	if err != nil {
		return nil, fmt.Errorf("redislimit: the fallback table: %w", err)
	}
	sum := sha256.Sum256([]byte(account))
	h := hex.EncodeToString(sum[:8])
	l := &Limiter{
		rdb:           rdb,
		rates:         table,
		budgets:       make(map[string][]budgetRef),
		keyBase:       c.prefix + "{" + h + "}:",
		acctHash:      h,
		share:         c.share,
		lookahead:     c.lookahead,
		probeInterval: c.probeInterval,
		redisTimeout:  c.redisTimeout,
		log:           c.log,
		local:         local,
		pause:         sleep,
		epoch:         time.Now(),
		actions:       make(map[string]*actionState),
	}
	for _, b := range table.Budgets {
		ref := budgetRef{key: l.keyBase + "b:" + b.Name, perSecond: b.PerSecond, burst: b.Burst}
		for _, a := range b.Actions {
			l.budgets[a] = append(l.budgets[a], ref)
		}
	}
	return l, nil
}

// scaled returns r with every rate, budget and burst multiplied by share.
func scaled(r volcim.Rates, share float64) volcim.Rates {
	s := volcim.Rates{Default: r.QPS("") * share, Actions: make(map[string]float64, len(r.Actions))}
	for a, q := range r.Actions {
		s.Actions[a] = q * share
	}
	for _, b := range r.Budgets {
		b.PerSecond *= share
		b.Burst *= share
		b.Actions = append([]string(nil), b.Actions...)
		s.Budgets = append(s.Budgets, b)
	}
	return s
}

// Key returns the Redis key of the hash that holds the state of action (its
// slot clock, adapted rate and Retry-After hold, and its recent throttled
// replies), for inspection or deletion. The action's recent calls are in
// the sorted set named the same with "c:" for "a:".
func (l *Limiter) Key(action string) string {
	return l.keyBase + "a:" + action
}

// InFallback reports whether the Limiter currently limits with its local,
// per-process limiter because Redis was unreachable. It is meant for health
// checks and metrics.
func (l *Limiter) InFallback() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fallback
}

// CurrentQPS returns the rate at which the Limiter lets action through, as
// stored in Redis: the table's, or less while every replica adapts to
// throttled replies. While Redis is unreachable it returns the local
// fallback limiter's rate. It is meant for metrics and tests.
func (l *Limiter) CurrentQPS(ctx context.Context, action string) (float64, error) {
	if l.InFallback() {
		return l.local.CurrentQPS(action), nil
	}
	st := l.action(action)
	res, err := l.run(ctx, st, "p")
	if err != nil {
		return 0, fmt.Errorf("redislimit: CurrentQPS(%q): %w", action, err)
	}
	return parseRate(res)
}

// Wait blocks until a call of action weighing weight may start: the
// action's slot and, for an action listed in a budget of the table, the
// budget's, booked in Redis, or the local fallback limiter's while Redis is
// unreachable. It returns nil when the call may proceed, and an error
// wrapping ctx.Err() as soon as ctx is done; when the slot comes after ctx's
// deadline it books nothing and returns at once an error wrapping
// context.DeadlineExceeded. It returns no other error. A weight below 1
// counts as 1. Every action, including one the API does not know and the
// empty string, is limited under its own key (the Limiter keeps a little
// state per distinct action for its lifetime).
func (l *Limiter) Wait(ctx context.Context, action string, weight int) error {
	if err := ctx.Err(); err != nil {
		return waitErr(action, err)
	}
	weight = max(weight, 1)
	st := l.action(action)
	queued, rebooked := false, false
	released := "" // when the slot let go was counted, for the next reservation
	leave := func() {
		if queued {
			queued = false
			<-st.gate
			st.queued.Add(-1)
		}
	}
	defer leave()
	for {
		if gen, ok := l.redisTurn(); ok {
			if !queued && st.queued.Load() > 0 {
				// Others of this process wait for room in the
				// look-ahead: queue behind them.
				if _, err := enqueue(ctx, st); err != nil {
					return waitErr(action, err)
				}
				queued = true
			}
			sent := time.Now()
			r, err := l.reserve(ctx, st, weight, released)
			if err == nil {
				released = ""
				l.markUp(gen)
				switch r.kind {
				case booked:
					leave()
					// The slot on this process's clock: Redis's
					// clock at the script, less its usual offset
					// from this clock when a reservation is sent,
					// plus the wait. A reply held up (a stalled
					// process) makes it late; a slow dial does not.
					// It lies between sent+wait and now+wait (a
					// clock that jumped cannot push it further).
					off := l.offset.observe(r.now - sent.Sub(l.epoch).Microseconds())
					due := l.epoch.Add(time.Duration(r.now+r.wait.Microseconds()-off) * time.Microsecond)
					if latest := time.Now().Add(r.wait); due.After(latest) {
						due = latest
					}
					if err := l.pause(ctx, time.Until(due)); err != nil {
						return waitErr(action, err)
					}
					if time.Since(due) > lateTolerance && !rebooked && st.rebookCost(weight) <= maxRebookCost {
						// A stalled process, or a reply held up: going
						// now would crowd the slots after this one. Let
						// the slot go and book another, once per call.
						rebooked = true
						l.late.Add(1)
						released = strconv.FormatInt(r.now+r.wait.Microseconds(), 10)
						continue
					}
					return nil
				case pastDeadline:
					return waitErr(action, fmt.Errorf("%w: the slot, %v away, comes after the context's deadline",
						context.DeadlineExceeded, r.wait.Round(time.Millisecond)))
				default: // beyond the look-ahead
					if !queued {
						waited, err := enqueue(ctx, st)
						if err != nil {
							return waitErr(action, err)
						}
						queued = true
						if waited {
							// Others asked again meanwhile: the
							// answer is stale.
							continue
						}
					}
					if err := l.pause(ctx, r.wait); err != nil {
						return waitErr(action, err)
					}
					continue
				}
			}
			if ctx.Err() != nil {
				return waitErr(action, ctx.Err())
			}
			l.markDown(gen, action, err)
		}
		leave()
		if err := l.local.Wait(ctx, action, weight); err != nil {
			return waitErr(action, err)
		}
		if l.InFallback() {
			return nil
		}
		// Redis came back while this caller waited on the local limiter:
		// take the slot from the shared budget instead, so that callers
		// queued on the local limiter do not add to it after the switch.
	}
}

// offsetWindow keeps the smallest offset of Redis's clock from the
// process's, in microseconds, seen when reservations were sent, over the
// last 10 to 20 seconds: the clocks' difference plus the quickest a request
// has reached Redis.
type offsetWindow struct {
	mu        sync.Mutex
	cur, prev int64 // the smallest of the current and the previous period
	has       int   // periods with a value: 0, 1 (cur) or 2 (cur and prev)
	started   time.Time
}

// observe records an offset and returns the smallest one.
func (w *offsetWindow) observe(off int64) int64 {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.has == 0 || now.Sub(w.started) >= offsetPeriod {
		if w.has > 0 {
			w.prev, w.has = w.cur, 2
		} else {
			w.has = 1
		}
		w.cur, w.started = off, now
	}
	w.cur = min(w.cur, off)
	if w.has == 2 {
		return min(w.cur, w.prev)
	}
	return w.cur
}

// enqueue takes st's gate, or returns ctx.Err() when ctx ends first. It
// reports whether it had to wait for another caller to let go of it.
func enqueue(ctx context.Context, st *actionState) (waited bool, err error) {
	st.queued.Add(1)
	select {
	case st.gate <- struct{}{}:
		return false, nil
	default:
	}
	select {
	case st.gate <- struct{}{}:
		return true, nil
	case <-ctx.Done():
		st.queued.Add(-1)
		return true, ctx.Err()
	}
}

// Throttled slows action down in every replica, after a reply that said its
// budget was exceeded, as described in the package documentation, and holds
// the action's next calls in every replica until retryAfter has passed. It
// makes one Redis call, bounded by the Redis timeout. While Redis is
// unreachable it slows the local fallback limiter instead (which let the
// call through); when that Redis call fails, the Limiter falls back and the
// reply is not counted anywhere: its call was let through by Redis, and
// the fallback limiter, which counted none of them, would take it for a
// server that accepts nothing.
func (l *Limiter) Throttled(action string, retryAfter time.Duration) {
	l.mu.Lock()
	fallback, gen := l.fallback, l.generation
	l.mu.Unlock()
	if fallback {
		l.local.Throttled(action, retryAfter)
		return
	}
	_, err := l.run(context.Background(), l.action(action), "t", max(retryAfter, 0).Microseconds())
	if err != nil {
		l.markDown(gen, action, err)
	}
}

// The kinds of a reservation, as the script answers.
const (
	booked       = 0 // the slot is booked: wait, then call
	pastDeadline = 1 // nothing booked: the slot comes after the deadline
	tooFar       = 2 // nothing booked: the slot lies beyond the look-ahead; ask again after wait
)

// reservation is the script's answer to a reservation.
type reservation struct {
	kind int
	wait time.Duration
	now  int64 // Redis's clock when the script ran, µs
}

// reserve asks Redis for the slot of a call of st's action weighing weight,
// before ctx's deadline if it has one. released is "", or the caller's
// previous slot, which it let go (µs of Redis's clock).
func (l *Limiter) reserve(ctx context.Context, st *actionState, weight int, released string) (reservation, error) {
	deadline := ""
	if d, ok := ctx.Deadline(); ok {
		deadline = strconv.FormatInt(time.Until(d).Microseconds(), 10)
	}
	res, err := l.run(ctx, st, "r", weight, deadline, l.lookahead.Microseconds(), released)
	if err != nil {
		return reservation{}, err
	}
	v, ok := res.([]any)
	if !ok || len(v) != 3 {
		return reservation{}, fmt.Errorf("redislimit: unexpected reply %v from the script", res)
	}
	kind, ok1 := v[0].(int64)
	us, ok2 := v[1].(int64)
	now, ok3 := v[2].(int64)
	if !ok1 || !ok2 || !ok3 || kind < booked || kind > tooFar {
		return reservation{}, fmt.Errorf("redislimit: unexpected reply %v from the script", res)
	}
	return reservation{kind: int(kind), wait: time.Duration(us) * time.Microsecond, now: now}, nil
}

// run runs the script in mode for st's action, within the Redis timeout:
// mode, now, the action's rate, then extra and (when reserving) the
// budgets.
func (l *Limiter) run(ctx context.Context, st *actionState, mode string, extra ...any) (any, error) {
	now := ""
	if l.now != nil {
		now = strconv.FormatInt(l.now().UnixMicro(), 10)
	}
	args := make([]any, 0, 3+len(extra)+len(st.args))
	args = append(args, mode, now, st.args[0])
	args = append(args, extra...)
	if mode == "r" {
		args = append(args, st.args[1:]...)
	}
	ctx, cancel := context.WithTimeout(ctx, l.redisTimeout)
	defer cancel()
	if !l.loaded.Load() {
		// The first calls send the script itself, which Redis caches:
		// EVALSHA would most likely answer NOSCRIPT to a new Limiter's
		// first callers, all at once.
		res, err := script.Eval(ctx, l.rdb, st.keys, args...).Result()
		if err == nil || errors.Is(err, redis.Nil) {
			l.loaded.Store(true)
		}
		return res, err
	}
	// EVALSHA, and EVAL when Redis has lost the script (NOSCRIPT).
	return script.Run(ctx, l.rdb, st.keys, args...).Result()
}

func parseRate(res any) (float64, error) {
	v, ok := res.([]any)
	if ok && len(v) == 1 {
		if s, ok := v[0].(string); ok {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return f, nil
			}
		}
	}
	return 0, fmt.Errorf("redislimit: unexpected reply %v from the script", res)
}

// rebookCost is how far a new slot for a call of weight units would be
// from the one given up: the spacing of the action's calls, or of the
// weight in its slowest budget.
func (st *actionState) rebookCost(weight int) time.Duration {
	cost := 1 / (st.qps * 0.98)
	for _, ps := range st.perSecond {
		cost = max(cost, float64(weight)/(ps*0.98))
	}
	return time.Duration(cost * float64(time.Second))
}

// action returns the state of an action, creating it on first use.
func (l *Limiter) action(action string) *actionState {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.actions[action]
	if !ok {
		budgets := l.budgets[action]
		st = &actionState{
			keys: []string{l.Key(action), l.keyBase + "c:" + action},
			args: []any{num(l.rates.QPS(action))},
			qps:  l.rates.QPS(action),
			gate: make(chan struct{}, 1),
		}
		for _, b := range budgets {
			st.keys = append(st.keys, b.key)
			st.args = append(st.args, num(b.perSecond), num(b.burst))
			st.perSecond = append(st.perSecond, b.perSecond)
		}
		l.actions[action] = st
	}
	return st
}

// redisTurn reports whether the caller should ask Redis: always when Redis
// is healthy; while in fallback, only for the one caller that claims a due
// probe. It returns the generation the caller's outcome applies to.
func (l *Limiter) redisTurn() (uint64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.fallback {
		return l.generation, true
	}
	now := time.Now()
	if now.Before(l.nextProbe) {
		return 0, false
	}
	l.nextProbe = now.Add(l.probeInterval)
	return l.generation, true
}

// markDown records a failed Redis call made in generation gen and logs the
// transition into fallback once.
func (l *Limiter) markDown(gen uint64, action string, err error) {
	l.mu.Lock()
	if l.fallback || gen != l.generation {
		l.mu.Unlock()
		return
	}
	now := time.Now()
	l.fallback = true
	l.since = now
	l.nextProbe = now.Add(l.probeInterval)
	l.generation++
	l.mu.Unlock()
	l.log.LogAttrs(context.Background(), slog.LevelWarn,
		"redislimit: Redis unreachable, falling back to a per-process limit",
		slog.String("account", l.acctHash),
		slog.String("action", action),
		slog.Float64("fallback_share", l.share),
		slog.Float64("fallback_qps", l.rates.QPS(action)*l.share),
		slog.String("probe_interval", l.probeInterval.String()),
		slog.String("error", err.Error()),
	)
}

// markUp records a successful Redis call made in generation gen and logs
// the return to the shared budget once.
func (l *Limiter) markUp(gen uint64) {
	l.mu.Lock()
	if !l.fallback || gen != l.generation {
		l.mu.Unlock()
		return
	}
	outage := time.Since(l.since)
	l.fallback = false
	l.generation++
	l.mu.Unlock()
	l.log.LogAttrs(context.Background(), slog.LevelInfo,
		"redislimit: Redis answers again, back to the shared budget",
		slog.String("account", l.acctHash),
		slog.String("fallback_duration", outage.Round(time.Millisecond).String()),
	)
}

// sleep waits for d or until ctx is done, whichever comes first, and
// returns ctx.Err() in the latter case.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func waitErr(action string, err error) error {
	return fmt.Errorf("redislimit: waiting for %q: %w", action, err)
}
