package volcim

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"go.uber.org/goleak"

	"github.com/volcim/volcim-go/signer"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// tickingClock returns a clock that advances one second per reading, so
// every attempt is signed at a different time.
func tickingClock() func() time.Time {
	var n atomic.Int64
	return func() time.Time { return testNow.Add(time.Duration(n.Add(1)) * time.Second) }
}

// verifyAtOwnDate verifies a request's signature at the time its X-Date says.
func verifyAtOwnDate(t *testing.T, r recorded) string {
	t.Helper()
	xdate := r.req.Header.Get("X-Date")
	at, err := time.Parse("20060102T150405Z", xdate)
	if err != nil {
		t.Fatalf("X-Date %q: %v", xdate, err)
	}
	req := r.req.Clone(context.Background())
	req.Host = req.URL.Host
	if _, err := signer.Verify(req, r.body, func(ak string) (string, bool) { return testSK, ak == testAK }, at, time.Minute); err != nil {
		t.Fatalf("attempt signed at %s does not verify: %v", xdate, err)
	}
	return xdate
}

func getMessages(c *Client, ctx context.Context, opts ...CallOption) error {
	_, err := c.GetMessages(ctx, &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}}, opts...)
	return err
}

func TestRetriesAreResignedAndBodyReplayed(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(
		jsonReply(503, []byte(`{"ResponseMetadata":{"Error":{"Code":"ServiceUnavailableTemp","Message":"try later"}}}`)),
		jsonReply(503, []byte(`{"ResponseMetadata":{"Error":{"Code":"ServiceUnavailableTemp","Message":"try later"}}}`)),
		jsonReply(200, fixture(t, "get_messages.json")),
	)
	c := m.client(t, withNow(tickingClock()))
	if err := getMessages(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := m.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d attempts, want 3", len(reqs))
	}
	seen := map[string]bool{}
	for i, r := range reqs {
		if !bytes.Equal(r.body, reqs[0].body) || len(r.body) == 0 {
			t.Errorf("attempt %d body %q differs from the first %q", i+1, r.body, reqs[0].body)
		}
		d := verifyAtOwnDate(t, r)
		if seen[d] {
			t.Errorf("attempt %d reuses X-Date %s", i+1, d)
		}
		seen[d] = true
	}
}

func TestRetryClassification(t *testing.T) {
	t.Parallel()
	flow := fixture(t, "error_flow_limit.json")
	ok := fixture(t, "get_messages.json")
	for _, tc := range []struct {
		name     string
		first    httpmock.Responder
		attempts int // attempts until the call ends
		wantOK   bool
	}{
		{"429 retried", jsonReply(429, flow), 2, true},
		{"500 retried", jsonReply(500, []byte(`{}`)), 2, true},
		{"502 retried", jsonReply(502, []byte(`bad gateway`)), 2, true},
		{"503 retried", jsonReply(503, []byte(`{}`)), 2, true},
		{"504 retried", jsonReply(504, []byte(`{}`)), 2, true},
		{"throttling code in a 200 retried", jsonReply(200, flow), 2, true},
		{"AccountFlowLimitExceeded in a 400 retried", jsonReply(400, []byte(`{"ResponseMetadata":{"Error":{"Code":"AccountFlowLimitExceeded"}}}`)), 2, true},
		{"FlowLimitExceeded.QPSOverLimit retried", jsonReply(200, []byte(`{"ResponseMetadata":{"Error":{"Code":"FlowLimitExceeded.QPSOverLimit"}}}`)), 2, true},
		{"transport error retried", httpmock.NewErrorResponder(errors.New("connection reset by peer")), 2, true},
		{"400 not retried", jsonReply(400, fixture(t, "error_invalid_param.json")), 1, false},
		{"401 not retried", jsonReply(401, []byte(`{"ResponseMetadata":{"Error":{"Code":"SignatureDoesNotMatch"}}}`)), 1, false},
		{"404 not retried", jsonReply(404, []byte(`{"ResponseMetadata":{"Error":{"Code":"InvalidActionOrVersion"}}}`)), 1, false},
		{"501 not retried", jsonReply(501, []byte(`{}`)), 1, false},
		{"business error in a 200 not retried", jsonReply(200, fixture(t, "error_200_no_coden.json")), 1, false},
		{"message mentioning throttling is not a code", jsonReply(200, []byte(`{"ResponseMetadata":{"Error":{"Code":"InvalidParam","Message":"not FlowLimitExceeded"}}}`)), 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMockAPI(t)
			m.on(tc.first, jsonReply(200, ok))
			c := m.client(t)
			err := getMessages(c, context.Background())
			if (err == nil) != tc.wantOK {
				t.Fatalf("err = %v", err)
			}
			if n := len(m.requests()); n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
		})
	}
}

func TestAttemptsRunOutWithTheLastTypedError(t *testing.T) {
	t.Parallel()
	t.Run("APIError", func(t *testing.T) {
		t.Parallel()
		m := newMockAPI(t)
		m.on(
			jsonReply(503, []byte(`{"ResponseMetadata":{"RequestId":"r1","Error":{"Code":"ServiceUnavailableTemp"}}}`)),
			jsonReply(500, []byte(`{"ResponseMetadata":{"RequestId":"r2","Error":{"Code":"InternalError"}}}`)),
			jsonReply(429, fixture(t, "error_flow_limit.json")),
		)
		c := m.client(t, WithRetry(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
		err := getMessages(c, context.Background())
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("err = %v (%T)", err, err)
		}
		if apiErr.StatusCode != 429 || apiErr.Code != "FlowLimitExceeded" || apiErr.Attempts != 3 || !apiErr.Throttled() || !apiErr.Temporary() {
			t.Errorf("last error %+v", apiErr)
		}
		if !strings.Contains(err.Error(), "after 3 attempts") {
			t.Errorf("message %q does not give the attempt count", err)
		}
	})
	t.Run("transport error", func(t *testing.T) {
		t.Parallel()
		m := newMockAPI(t)
		cause := errors.New("connection refused")
		m.on(httpmock.NewErrorResponder(cause))
		c := m.client(t, WithRetry(RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
		err := getMessages(c, context.Background())
		if !errors.Is(err, cause) {
			t.Fatalf("err = %v does not wrap the transport error", err)
		}
		if !strings.Contains(err.Error(), "after 4 attempts") || strings.Contains(err.Error(), "giving up") {
			t.Errorf("message %q", err)
		}
		if n := len(m.requests()); n != 4 {
			t.Errorf("%d attempts", n)
		}
	})
	t.Run("per-call policy", func(t *testing.T) {
		t.Parallel()
		m := newMockAPI(t)
		m.on(jsonReply(503, []byte(`{}`)))
		c := m.client(t)
		err := getMessages(c, context.Background(), WithCallRetry(RetryPolicy{MaxAttempts: 1}))
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Attempts != 1 {
			t.Fatalf("err = %v", err)
		}
		if n := len(m.requests()); n != 1 {
			t.Errorf("%d attempts with MaxAttempts 1", n)
		}
	})
}

// logRecorder is a slog handler that keeps every record as text.
type logRecorder struct {
	mu    *sync.Mutex
	buf   *bytes.Buffer
	inner slog.Handler
}

func newLogRecorder() (*slog.Logger, func() string) {
	var mu sync.Mutex
	var buf bytes.Buffer
	h := &logRecorder{mu: &mu, buf: &buf}
	h.inner = slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(h), func() string { mu.Lock(); defer mu.Unlock(); return buf.String() }
}

func (h *logRecorder) Enabled(ctx context.Context, l slog.Level) bool { return true }
func (h *logRecorder) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.inner.Handle(ctx, r)
}
func (h *logRecorder) WithAttrs(a []slog.Attr) slog.Handler {
	return &logRecorder{mu: h.mu, buf: h.buf, inner: h.inner.WithAttrs(a)}
}
func (h *logRecorder) WithGroup(g string) slog.Handler {
	return &logRecorder{mu: h.mu, buf: h.buf, inner: h.inner.WithGroup(g)}
}

func TestRetryAfterIsHonouredUpToMaxBackoff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		retryAfter string
		maxBackoff time.Duration
		wantWait   string
	}{
		{"seconds below the cap", "0", 50 * time.Millisecond, "wait=0s"},
		{"seconds above the cap", "120", 30 * time.Millisecond, "wait=30ms"},
		{"http date in the past", "Mon, 02 Jan 2006 15:04:05 GMT", 30 * time.Millisecond, "wait=0s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMockAPI(t)
			throttled := func(*http.Request) (*http.Response, error) {
				r := httpmock.NewBytesResponse(429, fixture(t, "error_flow_limit.json"))
				r.Header.Set("Retry-After", tc.retryAfter)
				return r, nil
			}
			m.on(throttled, jsonReply(200, fixture(t, "get_messages.json")))
			logger, logs := newLogRecorder()
			c := m.client(t, WithLogger(logger), WithRetry(RetryPolicy{MinBackoff: 20 * time.Millisecond, MaxBackoff: tc.maxBackoff}))
			if err := getMessages(c, context.Background()); err != nil {
				t.Fatal(err)
			}
			out := logs()
			if !strings.Contains(out, "volcim: retrying") || !strings.Contains(out, tc.wantWait) {
				t.Errorf("want a retry with %s, logs:\n%s", tc.wantWait, out)
			}
		})
	}
}

func TestCancellationIsPrompt(t *testing.T) {
	t.Parallel()
	t.Run("during a backoff", func(t *testing.T) {
		t.Parallel()
		m := newMockAPI(t)
		answered := make(chan struct{}, 1)
		m.on(func(*http.Request) (*http.Response, error) {
			answered <- struct{}{}
			return httpmock.NewBytesResponse(503, []byte(`{}`)), nil
		})
		c := m.client(t, WithRetry(RetryPolicy{MinBackoff: time.Hour, MaxBackoff: time.Hour}))
		ctx, cancel := context.WithCancel(context.Background())
		var cancelledAt atomic.Int64
		go func() { <-answered; cancelledAt.Store(time.Now().UnixNano()); cancel() }()
		err := getMessages(c, ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		checkPrompt(t, cancelledAt.Load())
	})
	t.Run("while waiting for the limiter", func(t *testing.T) {
		t.Parallel()
		m := newMockAPI(t)
		m.on(jsonReply(200, fixture(t, "get_messages.json")))
		c := m.client(t, WithRateLimit(0.001)) // one call, then a wait of ~17 minutes
		if err := getMessages(c, context.Background()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var cancelledAt atomic.Int64
		time.AfterFunc(20*time.Millisecond, func() { cancelledAt.Store(time.Now().UnixNano()); cancel() })
		err := getMessages(c, ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		checkPrompt(t, cancelledAt.Load())
		if n := len(m.requests()); n != 1 {
			t.Errorf("%d requests sent, want 1", n)
		}
	})
	t.Run("deadline shorter than the limiter wait", func(t *testing.T) {
		t.Parallel()
		m := newMockAPI(t)
		m.on(jsonReply(200, fixture(t, "get_messages.json")))
		c := m.client(t, WithRateLimit(0.001))
		_ = getMessages(c, context.Background())
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		err := getMessages(c, ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		t.Parallel()
		m := newMockAPI(t)
		m.on(jsonReply(200, fixture(t, "get_messages.json")))
		c := m.client(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := getMessages(c, ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if n := len(m.requests()); n != 0 {
			t.Errorf("%d requests sent with a cancelled context", n)
		}
	})
}

// checkPrompt fails the test when the call did not return soon after its
// context was cancelled at cancelledAt (unix ns): the waits being cut short
// are an hour or seventeen minutes long, so a bound of seconds tells a
// cancelled wait from one waited out, and leaves room for a machine so
// loaded that goroutines are scheduled late (this is not a speed test).
func checkPrompt(t *testing.T, cancelledAt int64) {
	t.Helper()
	if cancelledAt == 0 {
		t.Fatal("returned before the context was cancelled")
	}
	d := time.Since(time.Unix(0, cancelledAt))
	t.Logf("returned %s after the cancellation", d)
	if d > 5*time.Second {
		t.Errorf("returned %s after the cancellation: the wait was not cut short", d)
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	var n atomic.Int32
	m.on(func(req *http.Request) (*http.Response, error) {
		if n.Add(1) == 1 {
			<-req.Context().Done() // hang until the attempt times out
			return nil, req.Context().Err()
		}
		return httpmock.NewBytesResponse(200, fixture(t, "get_messages.json")), nil
	})
	c := m.client(t, WithAttemptTimeout(30*time.Millisecond))
	if err := getMessages(c, context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("%d attempts, want 2", got)
	}
}

func TestDefaultLimiterIsSharedPerAccessKey(t *testing.T) {
	t.Parallel()
	a1, _ := NewClient("AK-shared-test", "s1")
	a2, _ := NewClient("AK-shared-test", "s2", WithRegion(RegionAPSoutheast1))
	b, _ := NewClient("AK-other-test", "s1")
	own, _ := NewClient("AK-shared-test", "s1", WithRateLimit(10))
	custom := NewRateLimiter(5)
	withCustom, _ := NewClient("AK-shared-test", "s1", WithLimiter(custom))
	if a1.cfg.limiter != a2.cfg.limiter {
		t.Error("two clients of one access key do not share the default limiter")
	}
	if a1.cfg.limiter == b.cfg.limiter {
		t.Error("clients of different access keys share a limiter")
	}
	if own.cfg.limiter == a1.cfg.limiter {
		t.Error("WithRateLimit did not give the client its own limiter")
	}
	if withCustom.cfg.limiter != custom {
		t.Error("WithLimiter not used")
	}
}

// TestNoSecretsInLogsOrErrors runs the client through success, API errors,
// retries, transport errors and bad input with a debug logger and checks
// that neither the logs nor any error text holds the secret key, the session
// token or the Authorization header.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	t.Parallel()
	logger, logs := newLogRecorder()
	var errs []string
	var sigs []string
	m := newMockAPI(t)
	m.on(
		jsonReply(503, []byte(`{}`)),
		jsonReply(200, fixture(t, "get_messages.json")),
		httpmock.NewErrorResponder(errors.New("connection reset")),
		jsonReply(400, fixture(t, "error_invalid_param.json")),
		jsonReply(200, []byte("<html>proxy</html>")),
	)
	c := m.client(t, WithLogger(logger), WithSessionToken(testToken), WithRetry(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	for i := 0; i < 5; i++ {
		if err := getMessages(c, context.Background()); err != nil {
			errs = append(errs, err.Error())
		}
	}
	_, err := c.GetMessages(context.Background(), nil)
	errs = append(errs, err.Error())
	_, err = NewClient(testAK, testSK, WithEndpoint("http://example.com"), WithSessionToken(testToken))
	errs = append(errs, err.Error())
	for _, r := range m.requests() {
		sigs = append(sigs, r.req.Header.Get("Authorization"))
	}
	out := logs() + strings.Join(errs, "\n")
	if !strings.Contains(logs(), "volcim: attempt") {
		t.Fatalf("the logger saw nothing; the check would be vacuous:\n%s", out)
	}
	for _, secret := range append([]string{testSK, testToken}, sigs...) {
		if secret != "" && strings.Contains(out, secret) {
			t.Errorf("a secret or signature leaked into logs or errors:\n%s", out)
		}
	}
	if strings.Contains(out, "Signature=") {
		t.Errorf("an Authorization header leaked:\n%s", out)
	}
}
