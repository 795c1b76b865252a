// Package redisstore keeps the deduplication state of a callback.Handler
// in Redis, so that the replicas behind one callback URL dispatch each
// event once between them:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", ContextTimeoutEnabled: true})
//	store, err := redisstore.New(rdb)
//	h, err := callback.NewHandler(secrets, callback.WithStore(store), ...)
//
// Volcengine may deliver an event more than once, and its retries may reach
// any replica. With the Handler's default in-memory store, each replica
// knows only the events it has seen; with this one, a duplicate is
// recognised whichever replica got the first delivery, and a delivery that
// arrives while another replica is still handling the event is answered
// 409 (the service retries it) instead of being handled twice.
//
// # Keys
//
// The Handler claims each event under two keys ("<AppId>/<EventId>" and
// "sig/<signature>"); each becomes the Redis string "<prefix><key>" (prefix
// "volcim:cb:" by default, see [WithKeyPrefix]) that holds "p" and the
// claiming delivery's token while the event is handled, then "d" and the
// answer's body once it is. Claimed keys expire after the Handler's lease
// (twice its timeout), done keys after its dedup TTL (twice its max age, 20
// minutes by default): with the defaults, a few hundred bytes per event for
// 20 minutes. Claim and Release are Lua scripts on one key each, so the
// store works on Redis Cluster too.
//
// # When Redis is unreachable
//
// Every call is bounded by the store's timeout (250ms, [WithTimeout]). A
// failed Claim makes the Handler answer 503, so that the service retries
// the event later; nothing is dispatched without a claim. A failed Complete
// after a successful dispatch is logged by the Handler, and the event is
// answered 200: a later duplicate of it would be handled again.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/volcim/volcim-go/callback"
)

// Defaults.
const (
	// DefaultKeyPrefix starts every key the store writes.
	DefaultKeyPrefix = "volcim:cb:"
	// DefaultTimeout bounds each Redis call.
	DefaultTimeout = 250 * time.Millisecond
)

// Values of the keys: a state byte, then the token or the reply.
const (
	statePending = "p"
	stateDone    = "d"
)

// claimScript claims KEYS[1] with ARGV[1] for ARGV[2] milliseconds unless
// it exists, and returns {1} when it claimed it, else {0, value}.
var claimScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
	return {1}
end
local v = redis.call('GET', KEYS[1])
if not v then
	redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
	return {1}
end
return {0, v}
`)

// releaseScript deletes KEYS[1] if it still holds ARGV[1].
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`)

// Store is a callback.Store in Redis. It is safe for concurrent use, and
// starts no goroutine: you own the Redis client and close it.
type Store struct {
	rdb     redis.UniversalClient
	prefix  string
	timeout time.Duration
}

var _ callback.Store = (*Store)(nil)

// Option configures a Store. A bad value makes New return an error.
type Option func(*Store) error

// WithKeyPrefix sets the prefix of every key (default DefaultKeyPrefix):
// give each app or environment sharing a Redis its own.
func WithKeyPrefix(prefix string) Option {
	return func(s *Store) error {
		s.prefix = prefix
		return nil
	}
}

// WithTimeout bounds each Redis call (default DefaultTimeout): the
// Handler's answer waits for it. Set ContextTimeoutEnabled on the go-redis
// client so that the bound covers reads and writes, not only dialling. It
// must be positive.
func WithTimeout(d time.Duration) Option {
	return func(s *Store) error {
		if d <= 0 {
			return fmt.Errorf("redisstore: WithTimeout: %v is not positive", d)
		}
		s.timeout = d
		return nil
	}
}

// New returns a Store on rdb (a *redis.Client, *redis.ClusterClient or
// *redis.Ring).
func New(rdb redis.UniversalClient, opts ...Option) (*Store, error) {
	if rdb == nil {
		return nil, errors.New("redisstore: New: nil Redis client")
	}
	s := &Store{rdb: rdb, prefix: DefaultKeyPrefix, timeout: DefaultTimeout}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Key returns the Redis key of a Handler's key.
func (s *Store) Key(key string) string { return s.prefix + key }

// Claim implements callback.Store.
func (s *Store) Claim(ctx context.Context, key, token string, lease time.Duration) (callback.Claim, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	res, err := claimScript.Run(ctx, s.rdb, []string{s.Key(key)}, statePending+token, millis(lease)).Slice()
	if err != nil {
		return callback.Claim{}, fmt.Errorf("redisstore: claiming %q: %w", key, err)
	}
	if len(res) == 1 && res[0] == int64(1) {
		return callback.Claim{State: callback.Claimed}, nil
	}
	if len(res) == 2 && res[0] == int64(0) {
		if v, ok := res[1].(string); ok && len(v) > 0 {
			switch v[:1] {
			case statePending:
				return callback.Claim{State: callback.InProgress}, nil
			case stateDone:
				return callback.Claim{State: callback.Done, Reply: []byte(v[1:])}, nil
			}
		}
	}
	return callback.Claim{}, fmt.Errorf("redisstore: claiming %q: unexpected reply %v (is another program writing under the prefix %q?)", key, res, s.prefix)
}

// Complete implements callback.Store.
func (s *Store) Complete(ctx context.Context, key string, reply []byte, ttl time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.rdb.Set(ctx, s.Key(key), stateDone+string(reply), time.Duration(millis(ttl))*time.Millisecond).Err(); err != nil {
		return fmt.Errorf("redisstore: completing %q: %w", key, err)
	}
	return nil
}

// Release implements callback.Store.
func (s *Store) Release(ctx context.Context, key, token string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := releaseScript.Run(ctx, s.rdb, []string{s.Key(key)}, statePending+token).Err(); err != nil {
		return fmt.Errorf("redisstore: releasing %q: %w", key, err)
	}
	return nil
}

// millis is d in whole milliseconds, at least 1: Redis refuses an expiry
// of 0.
func millis(d time.Duration) int64 {
	return max(1, d.Milliseconds())
}

// String describes the store.
func (s *Store) String() string {
	return "redisstore.Store{Prefix:" + strconv.Quote(s.prefix) + " Timeout:" + s.timeout.String() + "}"
}
