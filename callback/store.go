package callback

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// ClaimState is what a Store knows of an event when a delivery claims it.
type ClaimState int

// Claim states.
const (
	// Claimed: the event was unknown; the caller now handles it and must
	// Complete or Release the claim.
	Claimed ClaimState = iota + 1
	// InProgress: another delivery of the event is being handled.
	InProgress
	// Done: the event was handled; Claim.Reply is the answer it got.
	Done
)

// String returns the state's name.
func (s ClaimState) String() string {
	switch s {
	case Claimed:
		return "claimed"
	case InProgress:
		return "in progress"
	case Done:
		return "done"
	}
	return "ClaimState(?)"
}

// Claim is the answer of Store.Claim.
type Claim struct {
	// State is what the store knew of the key.
	State ClaimState
	// Reply is the body the event was answered with, when State is Done.
	Reply []byte
}

// Store remembers events by key, so that a Handler dispatches each event
// once however often it is delivered, across every process that shares
// the store. A Handler claims each event under two keys,
// "<AppId>/<EventId>" and "sig/<signature>" (see the package
// documentation); a key is at most 321 bytes long.
//
// The default is an in-memory store ([NewMemoryStore]); for replicas use a
// shared one, such as the Redis store of the nested module
// github.com/volcim/volcim-go/callback/redisstore. Implementations must be
// safe for concurrent use and atomic per key.
type Store interface {
	// Claim claims key for a delivery identified by token, for at most
	// lease, unless the key is known: it returns Claimed when it was not
	// (the key is now in progress, held by token), InProgress or Done
	// (with the stored reply) otherwise.
	Claim(ctx context.Context, key, token string, lease time.Duration) (Claim, error)
	// Complete records key as done, with the reply to answer its
	// duplicates, for ttl, whoever holds it.
	Complete(ctx context.Context, key string, reply []byte, ttl time.Duration) error
	// Release forgets key if it is still in progress under token (its
	// handler failed), so that a retry handles the event again.
	Release(ctx context.Context, key, token string) error
}

// DefaultMemoryStoreSize is how many events a Handler's default store
// remembers.
const DefaultMemoryStoreSize = 100_000

// MemoryStore is a Store in the memory of one process: bounded and
// expiring. It is the Handler's default; with several replicas behind one
// callback URL, a duplicate may reach another replica, so use a shared
// store there.
type MemoryStore struct {
	max int
	now func() time.Time

	mu    sync.Mutex
	byKey map[string]*list.Element
	order *list.List // of *memEntry, oldest (least recently written) first
}

type memEntry struct {
	key     string
	token   string // while in progress
	done    bool
	reply   []byte
	expires time.Time
}

// NewMemoryStore returns a MemoryStore of at most maxEntries events (at
// least 1; DefaultMemoryStoreSize when maxEntries is 0 or less). When it is
// full, the entry written longest ago is forgotten, whether expired or not:
// a duplicate of it would be handled again, so size it above the number of
// events the dedup window sees. now is its clock (nil: time.Now).
func NewMemoryStore(maxEntries int, now func() time.Time) *MemoryStore {
	if maxEntries <= 0 {
		maxEntries = DefaultMemoryStoreSize
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryStore{max: maxEntries, now: now, byKey: make(map[string]*list.Element), order: list.New()}
}

// Claim implements Store.
func (s *MemoryStore) Claim(_ context.Context, key, token string, lease time.Duration) (Claim, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if el, ok := s.byKey[key]; ok {
		e := el.Value.(*memEntry)
		if now.Before(e.expires) {
			if e.done {
				return Claim{State: Done, Reply: append([]byte(nil), e.reply...)}, nil
			}
			return Claim{State: InProgress}, nil
		}
		s.remove(el)
	}
	s.put(&memEntry{key: key, token: token, expires: now.Add(lease)})
	return Claim{State: Claimed}, nil
}

// Complete implements Store.
func (s *MemoryStore) Complete(_ context.Context, key string, reply []byte, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if el, ok := s.byKey[key]; ok {
		s.remove(el)
	}
	s.put(&memEntry{key: key, done: true, reply: append([]byte(nil), reply...), expires: now.Add(ttl)})
	return nil
}

// Release implements Store.
func (s *MemoryStore) Release(_ context.Context, key, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.byKey[key]; ok {
		if e := el.Value.(*memEntry); !e.done && e.token == token {
			s.remove(el)
		}
	}
	return nil
}

// Len returns how many events the store holds, expired ones not yet
// dropped included.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}

// put adds e as the newest entry, forgetting the oldest when full.
func (s *MemoryStore) put(e *memEntry) {
	for s.order.Len() >= s.max {
		s.remove(s.order.Front())
	}
	s.byKey[e.key] = s.order.PushBack(e)
}

func (s *MemoryStore) remove(el *list.Element) {
	delete(s.byKey, el.Value.(*memEntry).key)
	s.order.Remove(el)
}

// expire drops expired entries from the oldest end until one is still
// live: O(1) amortised. Entries with a later expiry written earlier (a
// long ttl before a short lease) shield later expired ones, which Claim
// checks anyway.
func (s *MemoryStore) expire(now time.Time) {
	for el := s.order.Front(); el != nil; el = s.order.Front() {
		if now.Before(el.Value.(*memEntry).expires) {
			return
		}
		s.remove(el)
	}
}
