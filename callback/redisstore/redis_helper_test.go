package redisstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Environment of the tests (the same as redislimit's):
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
	return startRedis(t)
}

// startRedis starts redis-server from PATH on 127.0.0.1 and a free port,
// without persistence, stops it when the test ends, and returns its
// address. It skips the test (or fails it, see skipNoRedis) when
// redis-server is not installed.
func startRedis(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		skipNoRedis(t, "redis-server not found in PATH and %s not set", envRedisAddr)
	}
	var lastErr error
	for range 5 { // the free port may be taken before redis-server binds it
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t)))
		if lastErr = runRedis(t, bin, addr); lastErr == nil {
			return addr
		}
	}
	t.Fatalf("starting redis-server: %v", lastErr)
	return ""
}

// runRedis starts redis-server on addr and waits until it answers PING.
func runRedis(t testing.TB, bin, addr string) error {
	_, port, _ := net.SplitHostPort(addr)
	out := new(bytes.Buffer)
	cmd := exec.Command(bin,
		"--port", port,
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", t.TempDir(),
		"--daemonize", "no",
		"--loglevel", "warning",
	)
	cmd.Stdout, cmd.Stderr = out, out
	setPdeathsig(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-done
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := ping(addr, 200*time.Millisecond)
		if err == nil {
			t.Cleanup(stop)
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("redis-server exited: %s", out)
		default:
		}
		if time.Now().After(deadline) {
			stop()
			return fmt.Errorf("redis-server on %s does not answer PING: %v; output: %s", addr, err, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
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

// newClient returns a go-redis client for addr, as an application would
// configure it, closed when the test ends.
func newClient(t testing.TB, addr string) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, DisableIdentity: true})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// uniquePrefix returns a key prefix no other test run uses, so tests never
// share keys, even on a long-lived VOLCIM_REDIS_ADDR.
func uniquePrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "volcimtest:cb:" + hex.EncodeToString(b[:]) + ":"
}
