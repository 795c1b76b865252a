package redislimit

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Environment of the tests:
//
//	VOLCIM_REDIS_ADDR=host:port  use this Redis instead of starting redis-server
//	VOLCIM_REQUIRE_REDIS=1       fail, instead of skipping, when no Redis is available
const (
	envRedisAddr    = "VOLCIM_REDIS_ADDR"
	envRequireRedis = "VOLCIM_REQUIRE_REDIS"
)

// skipNoRedis skips the test, or fails it when VOLCIM_REQUIRE_REDIS=1.
func skipNoRedis(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(envRequireRedis) == "1" {
		t.Fatalf("%s (%s=1 forbids skipping)", msg, envRequireRedis)
	}
	t.Skipf("%s; install redis-server or set %s=host:port to run this test", msg, envRedisAddr)
}

// redisAddr returns the address of a Redis for the test: VOLCIM_REDIS_ADDR
// if set, else a redis-server started for the test.
func redisAddr(t testing.TB) string {
	t.Helper()
	if addr := os.Getenv(envRedisAddr); addr != "" {
		if err := ping(addr, 2*time.Second); err != nil {
			t.Fatalf("%s=%s: %v", envRedisAddr, addr, err)
		}
		return addr
	}
	return startRedis(t).Addr()
}

// redisServer is a redis-server process owned by one test, on a fixed port
// so that it can be stopped and started again where clients expect it.
type redisServer struct {
	t    testing.TB
	bin  string
	port int
	dir  string

	mu   sync.Mutex
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// startRedis starts redis-server from PATH on 127.0.0.1 and a free port,
// without persistence, and stops it when the test ends. It skips the test
// (or fails it, see skipNoRedis) when redis-server is not installed.
func startRedis(t testing.TB) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv(envRedisAddr) != "" {
			skipNoRedis(t, "redis-server not found in PATH: this test starts and stops its own")
		}
		skipNoRedis(t, "redis-server not found in PATH and %s not set", envRedisAddr)
	}
	s := &redisServer{t: t, bin: bin, dir: t.TempDir()}
	t.Cleanup(s.Stop)
	var lastErr error
	for range 5 { // the free port may be taken before redis-server binds it
		s.port = freePort(t)
		if lastErr = s.start(); lastErr == nil {
			return s
		}
	}
	t.Fatalf("starting redis-server: %v", lastErr)
	return nil
}

// Addr is the server's host:port.
func (s *redisServer) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// Start starts the server again on the same port after Stop.
func (s *redisServer) Start() {
	s.t.Helper()
	var err error
	for range 20 { // the old socket may linger for a moment
		if err = s.start(); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("restarting redis-server on port %d: %v", s.port, err)
}

func (s *redisServer) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return fmt.Errorf("already running")
	}
	out := new(bytes.Buffer)
	cmd := exec.Command(s.bin,
		"--port", strconv.Itoa(s.port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", s.dir,
		"--daemonize", "no",
		"--loglevel", "warning",
	)
	cmd.Stdout = out
	cmd.Stderr = out
	setPdeathsig(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := ping(s.Addr(), 200*time.Millisecond)
		if err == nil {
			s.cmd, s.out, s.done = cmd, out, done
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("redis-server exited: %s", out)
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return fmt.Errorf("redis-server on port %d does not answer PING: %v; output: %s", s.port, err, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the server and waits until it is gone. It does nothing if the
// server is not running.
func (s *redisServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

func ping(addr string, timeout time.Duration) error {
	rdb := redis.NewClient(&redis.Options{
		Addr: addr, DialTimeout: timeout, ReadTimeout: timeout, WriteTimeout: timeout,
		MaxRetries: -1, Protocol: 2, DisableIdentity: true,
	})
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return rdb.Ping(ctx).Err()
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// newRedisClient returns a go-redis client for addr, as an application would
// configure it.
func newRedisClient(addr string) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: addr})
}

// newClient returns a go-redis client for addr, closed when the test ends.
func newClient(t testing.TB, addr string) *redis.Client {
	t.Helper()
	rdb := newRedisClient(addr)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// uniquePrefix returns a key prefix no other test run uses, so tests never
// share budgets, even on a long-lived VOLCIM_REDIS_ADDR.
func uniquePrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "volcimtest:" + hex.EncodeToString(b[:]) + ":"
}

// maxInWindow returns the largest number of times that fall in one
// half-open window [t, t+w).
func maxInWindow(times []time.Time, w time.Duration) int {
	ts := append([]time.Time(nil), times...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, i := 0, 0
	for j := range ts {
		for ts[j].Sub(ts[i]) >= w {
			i++
		}
		best = max(best, j-i+1)
	}
	return best
}

// countBetween counts the times in [from, to).
func countBetween(times []time.Time, from, to time.Time) int {
	n := 0
	for _, t := range times {
		if !t.Before(from) && t.Before(to) {
			n++
		}
	}
	return n
}
