// Package redislimit implements [volcim.Limiter] on Redis, so that every
// process and replica that calls the Volcengine IM OpenAPI with one account
// shares one budget per action.
//
// The Volcengine IM API allows at most 100 requests per second per action,
// counted per Volcengine account across every process that uses the
// account. The client's default limiter only knows about its own process;
// with N replicas it lets N×100 QPS through. A [Limiter] from this package
// keeps the budget in Redis instead, with the GCRA algorithm of
// github.com/go-redis/redis_rate: admissions are spaced evenly, 1/rate apart
// by the Redis server's clock (so the replicas' clocks do not matter), with
// no burst, so the account as a whole stays under the limit however many
// replicas run.
//
// Wire it into a client with volcim.WithLimiter:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	lim, err := redislimit.New(rdb, accessKey, redislimit.WithFallbackShare(1.0/3))
//	client, err := volcim.NewClient(accessKey, secretKey, volcim.WithLimiter(lim))
//
// # When Redis is unreachable
//
// No call fails because Redis is down. When a Redis call fails (for any
// reason other than the caller's context ending), the Limiter falls back to
// an in-process limiter per action running at share × rate (see
// [WithFallbackShare]), logs one warning, and probes Redis again at most once
// per probe interval (see [WithProbeInterval]) from an ordinary Wait call.
// When Redis answers, it logs one info message and goes back to the shared
// budget. There are no background goroutines: all work happens inside Wait.
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
// The budget of an action lives in the Redis key
//
//	rate:<prefix><account hash>:<action>
//
// where "rate:" is added by redis_rate, prefix defaults to "volcim:rl:" (see
// [WithKeyPrefix]) and the account hash is the first 16 hex digits of the
// SHA-256 of the account string given to [New]. Each key holds one number
// and expires about one second after its last admission.
package redislimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	volcim "github.com/volcim/volcim-go"
)

// Defaults used by [New] when no option overrides them.
const (
	// DefaultRate is the shared budget of each action, in requests per
	// second, across every process of the account. The API allows 100. The
	// 5% headroom absorbs the delay between a Redis admission and the moment
	// the request reaches Volcengine, which differs from request to request
	// (scheduling, GC, network): at 95/s a one-second window sees at most 96
	// admissions, and stays at or under 100 requests as long as that delay
	// varies by less than 50ms. At exactly 100/s, any variation lets a window
	// see 101.
	DefaultRate = 95.0

	// DefaultFallbackShare is the fraction of the rate each process allows
	// itself while Redis is unreachable. Every replica loses Redis at the
	// same moment when Redis goes down, so the fallback budgets add up:
	// 0.25 keeps up to four replicas within the account's budget. With N
	// replicas, set 1/N with [WithFallbackShare]; with one, set 1.
	DefaultFallbackShare = 0.25

	// DefaultKeyPrefix is prepended to the account hash in Redis keys.
	DefaultKeyPrefix = "volcim:rl:"

	// DefaultProbeInterval is how often, at most, a process that fell back
	// to its local limiter tries Redis again.
	DefaultProbeInterval = time.Second

	// DefaultRedisTimeout bounds each Redis call made by Wait. A Redis call
	// that takes longer counts as Redis being unreachable.
	DefaultRedisTimeout = 250 * time.Millisecond
)

// GCRA parameters. redis_rate counts its burst in emission intervals, so it
// can only offer a tolerance of whole slots: burst 1 (no tolerance) loses the
// wake-up latency of every waiter (about 1ms per slot on a loaded machine,
// 8% of the budget at 95/s), burst 2 (tolerance of one slot) lets a
// one-second window see one request more. Counting in quarter slots gives
// the tolerance τ = T/4: a waiter may be up to a quarter slot late without
// losing its slot, and any window of length L sees fewer than
// (L+τ)/T + 1 admissions.
const (
	slotParts  = 4             // cost of one request, in parts of a slot
	burstParts = slotParts + 1 // one request plus τ = one part
)

// Limiter is a [volcim.Limiter] whose budget lives in Redis and is shared by
// every Limiter created with the same Redis, account and key prefix, in any
// process. It is safe for concurrent use. Create it with [New].
type Limiter struct {
	rl            *redis_rate.Limiter
	limit         redis_rate.Limit
	keyBase       string // prefix + account hash + ":"
	acctHash      string
	rate          float64
	share         float64
	probeInterval time.Duration
	redisTimeout  time.Duration
	log           *slog.Logger

	mu         sync.Mutex
	actions    map[string]*actionState
	fallback   bool      // Redis considered unreachable
	since      time.Time // start of the current fallback
	nextProbe  time.Time // earliest time to try Redis again while in fallback
	generation uint64    // incremented on every transition
}

// actionState is the per-action, per-process state of a Limiter.
type actionState struct {
	// gate lets one caller at a time (per process and action) ask Redis
	// for a slot. The others queue here instead of all waking up at the
	// same instant and racing each other to Redis.
	gate chan struct{}
	// local enforces share × rate while Redis is unreachable.
	local *rate.Limiter
}

var _ volcim.Limiter = (*Limiter)(nil)

// Option configures a [Limiter] created by [New].
type Option func(*config)

type config struct {
	rate          float64
	share         float64
	log           *slog.Logger
	prefix        string
	probeInterval time.Duration
	redisTimeout  time.Duration
}

// WithRate sets the shared budget of each action in requests per second,
// across every process of the account (default [DefaultRate]); qps must be
// positive and finite. Admissions are spaced 1/qps apart, without burst: a
// waiter that wakes up to a quarter of a slot late keeps its slot, so any
// window of L seconds sees fewer than qps×L + 1.25 admissions. Lower it if
// the delay from your replicas to Volcengine varies by more than a few tens
// of milliseconds; above 98 a one-second window may see more than 100.
func WithRate(qps float64) Option {
	return func(c *config) { c.rate = qps }
}

// WithFallbackShare sets the fraction of the rate each process allows itself
// per action while Redis is unreachable (default [DefaultFallbackShare]). It
// must be in (0, 1]. Redis going down makes every replica fall back at once,
// so a deployment of N replicas should use 1/N to stay within the account's
// budget during an outage.
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
// prefix; redis_rate adds its own "rate:" in front of it.
func WithKeyPrefix(prefix string) Option {
	return func(c *config) { c.prefix = prefix }
}

// WithProbeInterval sets how often, at most, a process that fell back to its
// local limiter tries Redis again (default [DefaultProbeInterval]). The probe
// is made by one ordinary Wait call; the others keep using the local limiter
// meanwhile.
func WithProbeInterval(d time.Duration) Option {
	return func(c *config) { c.probeInterval = d }
}

// WithRedisTimeout bounds each Redis call made by Wait (default
// [DefaultRedisTimeout]); a slower call counts as Redis being unreachable.
// go-redis honours it while dialling and between retries; for reads it
// honours it only if the client has ContextTimeoutEnabled set, otherwise its
// own ReadTimeout (3s by default) applies.
func WithRedisTimeout(d time.Duration) Option {
	return func(c *config) { c.redisTimeout = d }
}

// New returns a Limiter that keeps its budget in rdb. account names the
// Volcengine account whose budget is shared: pass the access key ID (never
// the secret key) or any name every replica agrees on. It is hashed before
// it is used in keys or logs. The Limiter does not own rdb: closing rdb is
// the caller's business.
func New(rdb redis.UniversalClient, account string, opts ...Option) (*Limiter, error) {
	if rdb == nil {
		return nil, errors.New("redislimit: nil Redis client")
	}
	if account == "" {
		return nil, errors.New("redislimit: empty account")
	}
	c := config{
		rate:          DefaultRate,
		share:         DefaultFallbackShare,
		log:           slog.Default(),
		prefix:        DefaultKeyPrefix,
		probeInterval: DefaultProbeInterval,
		redisTimeout:  DefaultRedisTimeout,
	}
	for _, o := range opts {
		o(&c)
	}
	if !(c.rate > 0) || math.IsInf(c.rate, 0) {
		return nil, fmt.Errorf("redislimit: rate %v: must be positive and finite", c.rate)
	}
	if !(c.share > 0 && c.share <= 1) {
		return nil, fmt.Errorf("redislimit: fallback share %v: must be in (0, 1]", c.share)
	}
	if c.probeInterval <= 0 {
		return nil, fmt.Errorf("redislimit: probe interval %v: must be positive", c.probeInterval)
	}
	if c.redisTimeout <= 0 {
		return nil, fmt.Errorf("redislimit: Redis timeout %v: must be positive", c.redisTimeout)
	}
	// One admission every interval, with a tolerance of a quarter of it.
	// Rounding the interval up keeps the enforced rate at or below c.rate.
	interval := time.Duration(math.Ceil(float64(time.Second) / c.rate))
	sum := sha256.Sum256([]byte(account))
	h := hex.EncodeToString(sum[:8])
	return &Limiter{
		rl:            redis_rate.NewLimiter(rdb),
		limit:         redis_rate.Limit{Rate: slotParts, Period: interval, Burst: burstParts},
		keyBase:       c.prefix + h + ":",
		acctHash:      h,
		rate:          c.rate,
		share:         c.share,
		probeInterval: c.probeInterval,
		redisTimeout:  c.redisTimeout,
		log:           c.log,
		actions:       make(map[string]*actionState),
	}, nil
}

// Key returns the Redis key that holds the budget of action, as stored in
// Redis (with redis_rate's "rate:" prefix), for inspection or deletion.
func (l *Limiter) Key(action string) string {
	return "rate:" + l.keyBase + action
}

// InFallback reports whether the Limiter currently limits with its local,
// per-process limiter because Redis was unreachable. It is meant for health
// checks and metrics.
func (l *Limiter) InFallback() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fallback
}

// Wait blocks until action may be called, by the shared budget in Redis, or
// by the local fallback limiter while Redis is unreachable. It returns nil
// when the call may proceed, and an error wrapping ctx.Err() as soon as ctx
// is done; it returns no other error. Every action, including one the API
// does not know and the empty string, is limited under its own key (the
// Limiter keeps a little state per distinct action for its lifetime).
//
// When Redis refuses a slot, Wait sleeps for the delay Redis hands back and
// asks again; within a process, one caller per action asks Redis at a time.
//
// weight (what the call weighs in the account-wide budgets of
// volcim.Rates) is not used yet: every call counts one against its action.
func (l *Limiter) Wait(ctx context.Context, action string, weight int) error {
	if err := ctx.Err(); err != nil {
		return waitErr(action, err)
	}
	st := l.action(action)
	key := l.keyBase + action
	holding := false
	release := func() {
		if holding {
			holding = false
			<-st.gate
		}
	}
	defer release()
	for {
		if gen, ok := l.redisTurn(); ok {
			if !holding {
				select {
				case st.gate <- struct{}{}:
					holding = true
				case <-ctx.Done():
					return waitErr(action, ctx.Err())
				}
			}
			res, err := l.allow(ctx, key)
			if err == nil {
				l.markUp(gen)
				if res.Allowed > 0 {
					return nil
				}
				d := res.RetryAfter
				if d <= 0 {
					// Not allowed yet no delay: never seen from
					// redis_rate's script, but never spin on Redis.
					d = l.limit.Period
				}
				if err := sleep(ctx, d); err != nil {
					return waitErr(action, err)
				}
				continue
			}
			if ctx.Err() != nil {
				return waitErr(action, ctx.Err())
			}
			l.markDown(gen, action, err)
		}
		release()
		if err := l.waitLocal(ctx, st); err != nil {
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

// Throttled is called by the client after a throttled reply. This Limiter
// does not adapt to it yet.
func (l *Limiter) Throttled(action string, retryAfter time.Duration) {}

// allow asks Redis for one slot, within the Redis timeout.
func (l *Limiter) allow(ctx context.Context, key string) (*redis_rate.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, l.redisTimeout)
	defer cancel()
	return l.rl.AllowN(ctx, key, l.limit, slotParts)
}

// waitLocal waits on the per-process fallback limiter of an action.
func (l *Limiter) waitLocal(ctx context.Context, st *actionState) error {
	r := st.local.Reserve()
	if err := sleep(ctx, r.Delay()); err != nil {
		r.Cancel()
		return err
	}
	return nil
}

// action returns the state of an action, creating it on first use.
func (l *Limiter) action(action string) *actionState {
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.actions[action]
	if !ok {
		st = &actionState{
			gate:  make(chan struct{}, 1),
			local: rate.NewLimiter(rate.Limit(l.rate*l.share), 1),
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
		slog.Float64("fallback_qps_per_action", l.rate*l.share),
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
