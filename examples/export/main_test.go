package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// readExport returns how often each (conversation, message) appears in the
// output, checking that every line is a message in wire form.
func readExport(t *testing.T, path string) (map[[2]int64]int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[[2]int64]int{}
	lines := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines++
		var wire map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &wire); err != nil {
			t.Fatalf("line %d is not JSON: %v", lines, err)
		}
		if _, ok := wire["IndexInConversation"]; !ok {
			t.Fatalf("line %d is not a message in wire form: %s", lines, sc.Text())
		}
		var m volcim.Message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		seen[[2]int64{m.ConversationShortID, m.MessageID}]++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return seen, lines
}

func checkExactlyOnce(t *testing.T, path string, convs []int64, perConv int) {
	t.Helper()
	seen, lines := readExport(t, path)
	if want := len(convs) * perConv; lines != want || len(seen) != want {
		t.Fatalf("%d lines, %d distinct messages; want %d of each", lines, len(seen), want)
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("message %v written %d times", k, n)
		}
	}
}

type fixture struct {
	srv    *volcimtest.Server
	client *volcim.Client
	o      *options
}

func newFixture(t *testing.T, convs, perConv int, srvOpts ...volcimtest.Option) *fixture {
	return newFixtureWithAttempts(t, convs, perConv, 6, srvOpts...)
}

// newFixtureWithAttempts is newFixture with the client's attempts per call.
func newFixtureWithAttempts(t *testing.T, convs, perConv, attempts int, srvOpts ...volcimtest.Option) *fixture {
	t.Helper()
	srv := volcimtest.NewServer(append([]volcimtest.Option{volcimtest.WithQPS(0)}, srvOpts...)...)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	o := &options{appID: 7, out: filepath.Join(dir, "out.jsonl"), concurrency: 3, quiet: true}
	o.checkpoint = o.out + ".checkpoint"
	for i := range convs {
		id := int64(500 + i)
		o.conversations = append(o.conversations, id)
		srv.AddGeneratedConversation(o.appID, id, perConv)
	}
	c, err := srv.Client(volcim.WithRateLimit(1e6), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: attempts, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, client: c, o: o}
}

func TestExportEveryMessageOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 5, 95)
	if err := export(context.Background(), f.client, f.o, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, f.o.out, f.o.conversations, 95)

	// Running it again finds everything done and changes nothing.
	before := len(f.srv.Requests())
	if err := export(context.Background(), f.client, f.o, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if after := len(f.srv.Requests()); after != before {
		t.Errorf("a finished export made %d more requests", after-before)
	}
	checkExactlyOnce(t, f.o.out, f.o.conversations, 95)
}

func TestExportInterruptedAndResumed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 6, 130)
	ctx, cancel := context.WithCancel(context.Background())
	pages := 0
	err := export(ctx, f.client, f.o, io.Discard, func() {
		if pages++; pages == 9 {
			cancel() // Ctrl-C in the middle of the export
		}
	})
	cancel()
	if !errors.Is(err, errInterrupted) {
		t.Fatalf("err = %v, want an interruption", err)
	}
	seen, _ := readExport(t, f.o.out)
	if len(seen) == 0 || len(seen) >= 6*130 {
		t.Fatalf("interrupted export wrote %d messages: not a mid-way interruption", len(seen))
	}

	// A crash after a page was written but before the checkpoint caught up
	// leaves extra lines behind; resuming must drop them.
	out, err := os.OpenFile(f.o.out, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(out, `{"MessageId":1,"ConversationShortId":500,"IndexInConversation":1}`)
	out.Close()

	if err := export(context.Background(), f.client, f.o, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, f.o.out, f.o.conversations, 130)
}

func TestExportSurvivesFaults(t *testing.T) {
	t.Parallel()
	// One request in five faults; with 16 attempts a call fails only if
	// 16 in a row do (0.2^16, about 7e-12 per call): the order in which
	// the concurrent exports draw the seeded faults varies from run to run,
	// so the number of attempts, not the seed, keeps the test from failing.
	f := newFixtureWithAttempts(t, 4, 200, 16, volcimtest.WithFaultRate(42, 0.2, volcimtest.Fault503, volcimtest.FaultDrop, volcimtest.FaultTruncate, volcimtest.Fault429))
	if err := export(context.Background(), f.client, f.o, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, f.o.out, f.o.conversations, 200)
	faults := 0
	for _, r := range f.srv.Requests() {
		if r.Fault.Kind != volcimtest.FaultNone {
			faults++
		}
	}
	if faults == 0 {
		t.Error("no fault was injected: the test proves nothing")
	}
}

func TestRunDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "demo.jsonl")
	var stderr strings.Builder
	err := run(context.Background(), []string{"-demo", "-demo-conversations", "3", "-demo-messages", "45", "-demo-qps", "0", "-out", out}, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	checkExactlyOnce(t, out, []int64{1000, 1001, 1002}, 45)
	if !strings.Contains(stderr.String(), "exporting 3 conversations") {
		t.Errorf("no progress on stderr: %q", stderr.String())
	}
	if _, err := os.Stat(out + ".checkpoint"); err != nil {
		t.Errorf("no checkpoint: %v", err)
	}
}

func TestRunFlagErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{},
		{"-out", "x"},
		{"-out", "x", "-app", "1"},
		{"-out", "x", "-app", "1", "-conversations", "a,b"},
		{"-out", "x", "-demo", "-concurrency", "0"},
	} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

// BenchmarkExport exports 20 conversations of 2,000 messages from a fake
// server with 20 ms of added latency and the API's 100 QPS limit, and
// reports the throughput against the budget of 2,000 messages a second (100
// calls of 20). Run it with:
//
//	go test -run '^$' -bench Export -benchtime 1x ./examples/export/
func BenchmarkExport(b *testing.B) {
	for range b.N {
		srv := volcimtest.NewServer(volcimtest.WithLatency(20 * time.Millisecond))
		dir := b.TempDir()
		o := &options{appID: 7, out: filepath.Join(dir, "out.jsonl"), concurrency: 8, quiet: true}
		o.checkpoint = o.out + ".checkpoint"
		for i := range 20 {
			id := int64(900 + i)
			o.conversations = append(o.conversations, id)
			srv.AddGeneratedConversation(o.appID, id, 2000)
		}
		c, err := srv.Client()
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := export(context.Background(), c, o, io.Discard, nil); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		throttled := 0
		for _, r := range srv.Requests() {
			if r.Status == 429 {
				throttled++
			}
		}
		srv.Close()
		rate := 40000 / elapsed.Seconds()
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(100*rate/2000, "%budget")
		b.ReportMetric(float64(throttled), "429s")
	}
}
