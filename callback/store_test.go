package callback_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/volcim/volcim-go/callback"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock(t time.Time) *fakeClock {
	c := new(fakeClock)
	c.ns.Store(t.UnixNano())
	return c
}

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

var t0 = time.Date(2024, 3, 11, 8, 0, 0, 0, time.UTC)

func mustClaim(t *testing.T, s callback.Store, key, token string, lease time.Duration, want callback.ClaimState) callback.Claim {
	t.Helper()
	c, err := s.Claim(context.Background(), key, token, lease)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != want {
		t.Fatalf("Claim(%q, %q) = %v, want %v", key, token, c.State, want)
	}
	return c
}

func TestMemoryStoreLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := newFakeClock(t0)
	s := callback.NewMemoryStore(10, clock.Now)

	mustClaim(t, s, "1/e", "tok-a", 10*time.Second, callback.Claimed)
	mustClaim(t, s, "1/e", "tok-b", 10*time.Second, callback.InProgress)
	// Another app's event of the same id is another event.
	mustClaim(t, s, "2/e", "tok-b", 10*time.Second, callback.Claimed)

	// A release under another token does nothing; under the holder's, it
	// frees the key for a retry.
	if err := s.Release(ctx, "1/e", "tok-b"); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, "1/e", "tok-c", 10*time.Second, callback.InProgress)
	if err := s.Release(ctx, "1/e", "tok-a"); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, "1/e", "tok-c", 10*time.Second, callback.Claimed)

	// Done keeps the reply, a copy of it.
	reply := []byte(`{"Allow":true}`)
	if err := s.Complete(ctx, "1/e", reply, time.Minute); err != nil {
		t.Fatal(err)
	}
	reply[2] = 'X'
	c := mustClaim(t, s, "1/e", "tok-d", 10*time.Second, callback.Done)
	if string(c.Reply) != `{"Allow":true}` {
		t.Errorf("Reply = %s", c.Reply)
	}
	// A done key is not released by its old holder.
	if err := s.Release(ctx, "1/e", "tok-c"); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, "1/e", "tok-d", 10*time.Second, callback.Done)

	// Expiry: the done key after its ttl, the lease of an abandoned claim
	// after the lease.
	clock.Advance(59 * time.Second)
	mustClaim(t, s, "1/e", "tok-e", 10*time.Second, callback.Done)
	clock.Advance(time.Second)
	mustClaim(t, s, "1/e", "tok-e", 10*time.Second, callback.Claimed)
	clock.Advance(10 * time.Second)
	mustClaim(t, s, "1/e", "tok-f", 10*time.Second, callback.Claimed)
}

// TestMemoryStoreBounded: the store never holds more than its size, and
// forgets the entries written longest ago first.
func TestMemoryStoreBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := newFakeClock(t0)
	s := callback.NewMemoryStore(3, clock.Now)
	for i := range 5 {
		key := fmt.Sprintf("1/e%d", i)
		mustClaim(t, s, key, "t", time.Hour, callback.Claimed)
		if err := s.Complete(ctx, key, nil, time.Hour); err != nil {
			t.Fatal(err)
		}
		if n := s.Len(); n > 3 {
			t.Fatalf("Len = %d after %d events, want at most 3", n, i+1)
		}
	}
	for i := 2; i < 5; i++ {
		mustClaim(t, s, fmt.Sprintf("1/e%d", i), "t", time.Hour, callback.Done)
	}
	// e0 and e1 were forgotten: a duplicate of them is handled again.
	mustClaim(t, s, "1/e0", "t", time.Hour, callback.Claimed)
}

// TestMemoryStoreExpiresOldEntries: expired entries go without being asked
// for, so a steady flow stays small.
func TestMemoryStoreExpiresOldEntries(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(t0)
	s := callback.NewMemoryStore(1000, clock.Now)
	for i := range 100 {
		mustClaim(t, s, fmt.Sprintf("1/e%d", i), "t", time.Second, callback.Claimed)
		clock.Advance(100 * time.Millisecond)
	}
	if n := s.Len(); n > 11 {
		t.Errorf("Len = %d, want at most the 11 entries of the last second", n)
	}
}

func TestMemoryStoreDefaults(t *testing.T) {
	t.Parallel()
	s := callback.NewMemoryStore(0, nil)
	mustClaim(t, s, "1/e", "t", time.Minute, callback.Claimed)
	mustClaim(t, s, "1/e", "t", time.Minute, callback.InProgress)
}

// TestMemoryStoreConcurrentClaims: of many concurrent claims of one key,
// exactly one wins.
func TestMemoryStoreConcurrentClaims(t *testing.T) {
	t.Parallel()
	s := callback.NewMemoryStore(100, nil)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.Claim(context.Background(), "1/e", fmt.Sprint(i), time.Minute)
			if err == nil && c.State == callback.Claimed {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := wins.Load(); n != 1 {
		t.Errorf("%d claims won, want 1", n)
	}
}

func TestClaimStateString(t *testing.T) {
	t.Parallel()
	for s, want := range map[callback.ClaimState]string{
		callback.Claimed: "claimed", callback.InProgress: "in progress", callback.Done: "done", 0: "ClaimState(?)",
	} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(s), got, want)
		}
	}
}
