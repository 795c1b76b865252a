package redisstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/volcim/volcim-go/callback"
	"github.com/volcim/volcim-go/callback/redisstore"
)

func newStore(t *testing.T, rdb redis.UniversalClient, opts ...redisstore.Option) *redisstore.Store {
	t.Helper()
	// A generous timeout: a busy machine must not turn a slow answer into
	// a failure (the tests that are about the timeout set their own).
	base := []redisstore.Option{redisstore.WithKeyPrefix(uniquePrefix()), redisstore.WithTimeout(10 * time.Second)}
	s, err := redisstore.New(rdb, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

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

// pttl returns the remaining life of a key.
func pttl(t *testing.T, rdb *redis.Client, key string) time.Duration {
	t.Helper()
	d, err := rdb.PTTL(context.Background(), key).Result()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestStoreLifecycle: claim, in progress, release (by the holder only),
// done with its reply, and the keys' contents and expiries in Redis.
func TestStoreLifecycle(t *testing.T) {
	t.Parallel()
	rdb := newClient(t, redisAddr(t))
	s := newStore(t, rdb)
	ctx := context.Background()

	mustClaim(t, s, "1/e", "tok-a", 10*time.Second, callback.Claimed)
	if v := rdb.Get(ctx, s.Key("1/e")).Val(); v != "ptok-a" {
		t.Errorf("the claimed key holds %q", v)
	}
	if d := pttl(t, rdb, s.Key("1/e")); d <= 0 || d > 10*time.Second {
		t.Errorf("the claim expires in %v, want the 10s lease", d)
	}
	mustClaim(t, s, "1/e", "tok-b", 10*time.Second, callback.InProgress)
	mustClaim(t, s, "2/e", "tok-b", 10*time.Second, callback.Claimed)

	if err := s.Release(ctx, "1/e", "tok-b"); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, "1/e", "tok-c", 10*time.Second, callback.InProgress)
	if err := s.Release(ctx, "1/e", "tok-a"); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, "1/e", "tok-c", 10*time.Second, callback.Claimed)

	reply := []byte("{\"Allow\":false,\"CheckMessage\":\"禁止\"}\x00\xff") // binary-safe
	if err := s.Complete(ctx, "1/e", reply, 20*time.Minute); err != nil {
		t.Fatal(err)
	}
	c := mustClaim(t, s, "1/e", "tok-d", 10*time.Second, callback.Done)
	if !bytes.Equal(c.Reply, reply) {
		t.Errorf("Reply %q, want %q", c.Reply, reply)
	}
	if d := pttl(t, rdb, s.Key("1/e")); d <= 10*time.Second || d > 20*time.Minute {
		t.Errorf("the done key expires in %v, want the 20m TTL", d)
	}
	if err := s.Release(ctx, "1/e", "tok-c"); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, s, "1/e", "tok-d", 10*time.Second, callback.Done)

	// An empty reply is a reply too.
	mustClaim(t, s, "1/f", "t", time.Second, callback.Claimed)
	if err := s.Complete(ctx, "1/f", nil, time.Minute); err != nil {
		t.Fatal(err)
	}
	if c := mustClaim(t, s, "1/f", "t", time.Second, callback.Done); len(c.Reply) != 0 {
		t.Errorf("Reply %q", c.Reply)
	}

	// Once a key is gone (expired, deleted), the event is new again.
	rdb.Del(ctx, s.Key("1/e"))
	mustClaim(t, s, "1/e", "tok-e", 10*time.Second, callback.Claimed)
}

// TestStoreSubMillisecond: durations under a millisecond are one.
func TestStoreSubMillisecond(t *testing.T) {
	t.Parallel()
	rdb := newClient(t, redisAddr(t))
	s := newStore(t, rdb)
	if _, err := s.Claim(context.Background(), "1/e", "t", time.Microsecond); err != nil {
		t.Fatal(err)
	}
	if err := s.Complete(context.Background(), "1/f", nil, 0); err != nil {
		t.Fatal(err)
	}
}

// TestStoreConcurrentClaims: of many clients claiming one key at once,
// exactly one wins.
func TestStoreConcurrentClaims(t *testing.T) {
	t.Parallel()
	addr := redisAddr(t)
	prefix := redisstore.WithKeyPrefix(uniquePrefix())
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		s, err := redisstore.New(newClient(t, addr), prefix)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.Claim(context.Background(), "1/e", strconv.Itoa(i), time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			if c.State == callback.Claimed {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := wins.Load(); n != 1 {
		t.Errorf("%d claims won, want 1", n)
	}
}

// TestStoreForeignValue: a key some other program wrote is an error, not a
// verdict.
func TestStoreForeignValue(t *testing.T) {
	t.Parallel()
	rdb := newClient(t, redisAddr(t))
	s := newStore(t, rdb)
	rdb.Set(context.Background(), s.Key("1/e"), "x", time.Minute)
	if _, err := s.Claim(context.Background(), "1/e", "t", time.Minute); err == nil {
		t.Error("Claim of a foreign value succeeded")
	}
}

const secret = "redisstore-test-secret"

var appSeq atomic.Int64

// signedEvent returns the body of a signed AfterSendMessage of EventId id
// and nonce, at now.
func signedEvent(t *testing.T, app, id, nonce string) []byte {
	t.Helper()
	data, err := callback.EncodeMessageData(volcimMessage(), nil, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	env := &callback.Envelope{EventType: callback.TypeAfterSendMessage, EventData: string(data), EventTime: callback.FormatTime(time.Now()),
		EventID: id, AppID: app, Version: callback.EnvelopeVersion, Nonce: nonce}
	env.Signature = callback.Sign(env, secret)
	body, err := env.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func post(t *testing.T, url string, body []byte) int {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// replica is a Handler on its own Redis client, behind its own server.
func replica(t *testing.T, addr, prefix string, opts ...callback.Option) string {
	t.Helper()
	s, err := redisstore.New(newClient(t, addr), redisstore.WithKeyPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	h, err := callback.NewHandler([]string{secret}, append(opts, callback.WithStore(s))...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestReplicasDispatchOnce: an event and its retries, delivered to two
// replicas sharing the store, are handled once; a delivery while the other
// replica handles the event is answered 409; a failure on one replica
// lets the other handle the retry.
func TestReplicasDispatchOnce(t *testing.T) {
	t.Parallel()
	addr := redisAddr(t)
	prefix := uniquePrefix()
	var calls atomic.Int32
	entered, release := make(chan struct{}), make(chan struct{})
	var failNext atomic.Bool
	on := callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
		calls.Add(1)
		if e.ID == "slow" {
			close(entered)
			<-release
		}
		if failNext.CompareAndSwap(true, false) {
			return errors.New("failing once")
		}
		return nil
	})
	a, b := replica(t, addr, prefix, on), replica(t, addr, prefix, on)
	app := fmt.Sprint(appSeq.Add(1))

	if s := post(t, a, signedEvent(t, app, "e1", "1111")); s != http.StatusOK {
		t.Fatalf("first delivery: %d", s)
	}
	// The retry, signed anew, reaches the other replica.
	if s := post(t, b, signedEvent(t, app, "e1", "2222")); s != http.StatusOK {
		t.Fatalf("retry: %d", s)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("handled %d times, want 1", n)
	}

	// While replica a handles "slow", replica b answers 409.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if s := post(t, a, signedEvent(t, app, "slow", "1111")); s != http.StatusOK {
			t.Errorf("slow: %d", s)
		}
	}()
	<-entered
	if s := post(t, b, signedEvent(t, app, "slow", "3333")); s != http.StatusConflict {
		t.Errorf("a delivery during the handling: %d, want 409", s)
	}
	close(release)
	wg.Wait()
	if s := post(t, b, signedEvent(t, app, "slow", "4444")); s != http.StatusOK {
		t.Errorf("a delivery after the handling: %d", s)
	}

	// A failure on a releases the claim: b handles the retry.
	failNext.Store(true)
	if s := post(t, a, signedEvent(t, app, "e2", "1111")); s != http.StatusInternalServerError {
		t.Errorf("failing delivery: %d", s)
	}
	if s := post(t, b, signedEvent(t, app, "e2", "5555")); s != http.StatusOK {
		t.Errorf("retry after a failure: %d", s)
	}
	if n := calls.Load(); n != 4 {
		t.Errorf("handled %d times, want 4 (e1, slow, e2 twice)", n)
	}
}

// TestRedisDown: with Redis unreachable, nothing is dispatched and the
// Handler answers 503, so that the service retries.
func TestRedisDown(t *testing.T) {
	t.Parallel()
	dead := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	rdb := redis.NewClient(&redis.Options{Addr: dead, MaxRetries: -1, DisableIdentity: true, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = rdb.Close() })
	s, err := redisstore.New(rdb, redisstore.WithTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Claim(context.Background(), "1/e", "t", time.Second); err == nil {
		t.Fatal("Claim on a dead Redis succeeded")
	}
	var calls atomic.Int32
	var logs bytes.Buffer
	h, err := callback.NewHandler([]string{secret}, callback.WithStore(s),
		callback.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		callback.OnAfterSendMessage(func(context.Context, *callback.AfterSendMessage) error {
			calls.Add(1)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	if st := post(t, srv.URL, signedEvent(t, "1", "e", "1111")); st != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", st)
	}
	if calls.Load() != 0 {
		t.Error("dispatched without a claim")
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	if _, err := redisstore.New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { _ = rdb.Close() })
	if _, err := redisstore.New(rdb, redisstore.WithTimeout(0)); err == nil {
		t.Error("WithTimeout(0) accepted")
	}
	s, err := redisstore.New(rdb, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Key("1/e"); got != "volcim:cb:1/e" {
		t.Errorf("Key = %q", got)
	}
	if got := s.String(); got != `redisstore.Store{Prefix:"volcim:cb:" Timeout:250ms}` {
		t.Errorf("String = %q", got)
	}
}
