package callback_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/volcim/volcim-go/callback"
)

const (
	testSecret    = "cb-secret-must-not-print-5e1a"
	testOldSecret = "cb-old-secret-must-not-print-77c2"
	testApp       = "123456"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// harness is a Handler behind a loopback HTTP server, with a fake clock and
// a captured debug log.
type harness struct {
	t     *testing.T
	h     *callback.Handler
	url   string
	clock *fakeClock
	logs  *syncBuffer
}

var eventSeq atomic.Int64

func newHarness(t *testing.T, opts ...callback.Option) *harness {
	t.Helper()
	hs := &harness{t: t, clock: newFakeClock(t0), logs: new(syncBuffer)}
	logger := slog.New(slog.NewJSONHandler(hs.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	base := []callback.Option{callback.WithClock(hs.clock.Now), callback.WithLogger(logger)}
	h, err := callback.NewHandler([]string{testSecret}, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	hs.h = h
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handler panics are expected in some tests
	srv.Start()
	t.Cleanup(srv.Close)
	hs.url = srv.URL
	return hs
}

// event returns a signed envelope of a fresh event at t0.
func event(typ, data string) *callback.Envelope {
	env := &callback.Envelope{
		EventType: typ,
		EventData: data,
		EventTime: callback.FormatTime(t0),
		EventID:   fmt.Sprintf("evt-%d", eventSeq.Add(1)),
		AppID:     testApp,
		Version:   callback.EnvelopeVersion,
		Nonce:     "4821",
	}
	env.Signature = callback.Sign(env, testSecret)
	return env
}

// resign signs env again, after a change.
func resign(env *callback.Envelope, secret string) *callback.Envelope {
	env.Signature = callback.Sign(env, secret)
	return env
}

func (hs *harness) post(env *callback.Envelope) (int, string) {
	hs.t.Helper()
	body, err := env.Marshal()
	if err != nil {
		hs.t.Fatal(err)
	}
	return hs.postBody(body)
}

func (hs *harness) postBody(body []byte) (int, string) {
	hs.t.Helper()
	resp, err := http.Post(hs.url, "application/json", bytes.NewReader(body))
	if err != nil {
		hs.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		hs.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// expect posts env and checks the status.
func (hs *harness) expect(env *callback.Envelope, status int) string {
	hs.t.Helper()
	got, body := hs.post(env)
	if got != status {
		hs.t.Fatalf("status %d (%s), want %d", got, strings.TrimSpace(body), status)
	}
	return body
}

// counter counts calls of a handler function.
type counter struct{ n atomic.Int32 }

func (c *counter) inc()       { c.n.Add(1) }
func (c *counter) get() int32 { return c.n.Load() }
