package redislimit

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
)

// TestRedisOutage stops Redis under two helper processes and starts it
// again on the same port: no call fails, calls keep going within each
// process's fallback rate during the outage, each process logs one warning
// and one info message, and both return to the shared budget afterwards.
// It asserts no throughput: how fast the calls go is the machine's business.
func TestRedisOutage(t *testing.T) {
	srvRedis := startRedis(t) // needs a server this test can stop and start
	var api arrivals
	srv := httptest.NewServer(&api)
	defer srv.Close()

	const (
		helperCount = 2
		stopAt      = 1500 * time.Millisecond // after the start of the run
		restartAt   = 4000 * time.Millisecond
		run         = 7500 * time.Millisecond
		// Phases measured, leaving time for the transitions: Redis calls
		// in flight when it dies take up to DefaultRedisTimeout to fail,
		// and a process tries Redis again at most every
		// DefaultProbeInterval (plus go-redis's own dial back-off).
		outageFrom   = stopAt + 500*time.Millisecond
		recoveredBy  = restartAt + 2000*time.Millisecond // usually; not asserted
		share        = DefaultFallbackShare
		fallbackRate = volcim.DefaultQPS * share // per process, at most
	)
	spec := helperSpec{
		redisAddr: srvRedis.Addr(),
		url:       srv.URL,
		prefix:    uniquePrefix(),
		start:     time.Now().Add(700 * time.Millisecond),
		run:       run,
		share:     share,
		workers:   4,
	}
	h := startHelpers(t, helperCount, spec)
	start := spec.start

	time.Sleep(time.Until(start.Add(stopAt)))
	srvRedis.Stop()
	t.Logf("Redis stopped at %v", time.Since(start).Round(time.Millisecond))
	time.Sleep(time.Until(start.Add(restartAt)))
	srvRedis.Start()
	restarted := time.Now()
	t.Logf("Redis started again at %v", restarted.Sub(start).Round(time.Millisecond))

	// The shared budget resumes: the action's key shows up in the new,
	// empty Redis while the helpers are still running.
	probe := mustNew(t, newClient(t, srvRedis.Addr()), helperAccount, WithKeyPrefix(spec.prefix))
	rdb := newClient(t, srvRedis.Addr())
	var keySeen time.Duration
	for keySeen == 0 && time.Now().Before(start.Add(run-200*time.Millisecond)) {
		n, err := rdb.Exists(context.Background(), probe.Key(helperAction)).Result()
		if err == nil && n == 1 {
			keySeen = time.Since(restarted)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	results := h.wait(t)

	for _, r := range results {
		if r.WaitErrors != 0 || r.HTTPErrors != 0 {
			t.Errorf("helper %s: %d Wait errors, %d HTTP errors; stderr:\n%s", r.ID, r.WaitErrors, r.HTTPErrors, r.Stderr)
		}
	}
	if keySeen == 0 {
		t.Errorf("key %s never appeared in the restarted Redis", probe.Key(helperAction))
	} else {
		t.Logf("key back in Redis %v after the restart", keySeen.Round(time.Millisecond))
	}

	// Logs: one warning and one info per process, after the right events,
	// and never the account.
	for _, r := range results {
		if strings.Contains(r.Logs, helperAccount) {
			t.Errorf("helper %s logged the account:\n%s", r.ID, r.Logs)
		}
		var warns, infos []time.Time
		for _, rec := range logRecords(t, r.Logs) {
			ts, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(rec["time"]))
			switch rec["level"] {
			case "WARN":
				warns = append(warns, ts)
			case "INFO":
				infos = append(infos, ts)
			}
		}
		if len(warns) != 1 || len(infos) != 1 {
			t.Errorf("helper %s: %d warnings and %d infos, want one of each; logs:\n%s", r.ID, len(warns), len(infos), r.Logs)
			continue
		}
		t.Logf("helper %s: fell back %v after the stop, back on Redis %v after the restart", r.ID,
			warns[0].Sub(start.Add(stopAt)).Round(time.Millisecond), infos[0].Sub(restarted).Round(time.Millisecond))
		if warns[0].Before(start.Add(stopAt)) || infos[0].Before(restarted) {
			t.Errorf("helper %s: transitions at %v and %v, Redis stopped at %v and restarted at %v", r.ID,
				warns[0].Sub(start), infos[0].Sub(start), stopAt, restarted.Sub(start))
		}
	}

	// Before the outage: the shared budget.
	all := api.snapshot("")
	before := countBetween(all, start, start.Add(stopAt))
	t.Logf("before the outage: %d calls in %v (%.1f/s, shared budget %v/s)", before, stopAt,
		float64(before)/stopAt.Seconds(), volcim.DefaultQPS)

	// During the outage: each process at most share × rate on its own. A
	// local limiter with burst 1 lets fewer than rate×L + 1 calls through
	// in L; allow one more for scheduling jitter. Calls keep going: at least
	// one (how many more depends on how busy the machine is).
	outage := restartAt - outageFrom
	want := fallbackRate * outage.Seconds()
	total := 0
	for i := 1; i <= helperCount; i++ {
		n := countBetween(api.admissions(fmt.Sprint(i)), start.Add(outageFrom), start.Add(restartAt))
		total += n
		t.Logf("during the outage: helper %d made %d calls in %v (%.1f/s, fallback %.2f/s)", i, n, outage,
			float64(n)/outage.Seconds(), fallbackRate)
		if float64(n) > want+2 || n == 0 {
			t.Errorf("helper %d made %d calls in %v of outage, want 1 to %.0f (fallback %.2f/s)", i, n, outage, want+2, fallbackRate)
		}
	}
	t.Logf("during the outage: %d calls together (%.1f/s)", total, float64(total)/outage.Seconds())

	// After the restart: the shared budget again (the info messages and
	// the key above show that the processes use it), and never over 100
	// Waits returning in a second.
	after := start.Add(recoveredBy)
	var tail []time.Time
	for _, ts := range api.admissions("") {
		if !ts.Before(after) {
			tail = append(tail, ts)
		}
	}
	span := start.Add(run).Sub(after)
	peak := maxInWindow(tail, time.Second)
	t.Logf("after recovery: %d calls in %v (%.1f/s, shared budget %v/s, fallback together %.1f/s), largest one-second window %d",
		len(tail), span, float64(len(tail))/span.Seconds(), volcim.DefaultQPS, helperCount*fallbackRate, peak)
	t.Logf("largest one-second window over the whole run, transitions included: %d", maxInWindow(all, time.Second))
	if peak > 100 {
		t.Errorf("%d Waits returned within one second after recovery, want at most 100", peak)
	}
}
