package volcim

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/volcim/volcim-go/internal/transport"
)

// TestReplyThatIsNotTheEnvelopeIsAnError checks that a 2xx reply which is
// not the API's envelope is a malformed *APIError, never an empty success:
// an export must not end early and report nothing.
func TestReplyThatIsNotTheEnvelopeIsAnError(t *testing.T) {
	t.Parallel()
	meta := `"ResponseMetadata":{"RequestId":"r1","Action":"GetConversationMessages","Version":"2020-12-01","Service":"rtc","Region":"cn-north-1"}`
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"empty object", `{}`, 200},
		{"null", `null`, 200},
		{"null metadata and result", `{"ResponseMetadata":null,"Result":null}`, 200},
		{"no Result", `{` + meta + `}`, 200},
		{"null Result", `{` + meta + `,"Result":null}`, 200},
		{"metadata not an object", `{"ResponseMetadata":"ok","Result":{}}`, 200},
		{"an array", `[]`, 200},
		{"a string", `"ok"`, 200},
		{"an empty body", ``, 200},
		{"HTML page", `<html><body>Service Unavailable</body></html>`, 200},
		{"HTML page with 201", `<html>created</html>`, 201},
		{"Result of the wrong shape", `{` + meta + `,"Result":{"Messages":{}}}`, 200},
		{"truncated JSON", `{` + meta + `,"Result":{"Messages":[`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMockAPI(t)
			m.on(jsonReply(tc.status, []byte(tc.body)))
			c := m.client(t)
			resp, err := c.GetConversationMessages(context.Background(), &GetConversationMessagesRequest{AppID: 1, ConversationShortID: 2, Limit: 20})
			if resp != nil {
				t.Fatalf("a reply %q gave a response %+v", tc.body, resp)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || !apiErr.Malformed || !errors.Is(err, ErrMalformedReply) {
				t.Fatalf("err %v (%T), want a malformed *APIError", err, err)
			}
			if apiErr.StatusCode != tc.status || apiErr.Action != "GetConversationMessages" || apiErr.Message == "" || apiErr.Err == nil {
				t.Errorf("APIError %+v", *apiErr)
			}
			if errors.Is(err, ErrOutcomeUnknown) {
				t.Error("a read's malformed reply says the outcome is unknown")
			}
		})
	}
}

// TestActionsWithoutResultAcceptAnEmptyOne checks the rule's other side:
// an action that documents no Result succeeds with none, null or {}.
func TestActionsWithoutResultAcceptAnEmptyOne(t *testing.T) {
	t.Parallel()
	a := &apiAction{name: "ModifyMessage", retry: retryConverges}
	meta := `"ResponseMetadata":{"RequestId":"r2"}`
	for _, body := range []string{`{` + meta + `}`, `{` + meta + `,"Result":null}`, `{` + meta + `,"Result":{}}`, `{` + meta + `,"Result":""}`} {
		_, md, err := decodeReply[noResult](a, &transport.Response{StatusCode: 200, Body: []byte(body)})
		if err != nil || md.RequestID != "r2" {
			t.Errorf("%s: %v, metadata %+v", body, err, md)
		}
	}
	for _, body := range []string{`{}`, `{"Result":{}}`, `<html/>`} {
		if _, _, err := decodeReply[noResult](a, &transport.Response{StatusCode: 200, Body: []byte(body)}); !errors.Is(err, ErrMalformedReply) {
			t.Errorf("%s: err %v, want a malformed reply", body, err)
		}
	}
}

// TestUnsafeWritesReportAnUnknownOutcome checks decode's side of rule 5:
// for a write with no idempotency key, a 5xx or an unreadable 2xx may have
// been carried out; a 4xx or a throttled reply was not.
func TestUnsafeWritesReportAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	unsafe := &apiAction{name: "BatchSendMessage", retry: retryUnsafe, result: true}
	read := &apiAction{name: "GetMessages", retry: retryRead, result: true}
	for _, tc := range []struct {
		a       *apiAction
		status  int
		body    string
		unknown bool
	}{
		{unsafe, 500, `{"ResponseMetadata":{"Error":{"Code":"InternalError"}}}`, true},
		{unsafe, 502, `<html>bad gateway</html>`, true},
		{unsafe, 200, `<html>proxy</html>`, true},
		{unsafe, 200, `{}`, true},
		{unsafe, 400, `{"ResponseMetadata":{"Error":{"Code":"InvalidParam"}}}`, false},
		{unsafe, 200, `{"ResponseMetadata":{"Error":{"Code":"InvalidParam"}}}`, false},
		{unsafe, 429, `{"ResponseMetadata":{"Error":{"Code":"FlowLimitExceeded"}}}`, false},
		{unsafe, 403, `<html>forbidden</html>`, false},
		{read, 500, `{"ResponseMetadata":{"Error":{"Code":"InternalError"}}}`, false},
		{read, 200, `<html>proxy</html>`, false},
	} {
		_, _, err := decodeReply[struct{}](tc.a, &transport.Response{StatusCode: tc.status, Body: []byte(tc.body)})
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("%s %d %s: %v", tc.a.name, tc.status, tc.body, err)
		}
		if got := errors.Is(err, ErrOutcomeUnknown); got != tc.unknown || apiErr.OutcomeUnknown != tc.unknown {
			t.Errorf("%s %d %s: outcome unknown %v, want %v", tc.a.name, tc.status, tc.body, got, tc.unknown)
		}
	}
}

// countingBody is a reply body that counts the bytes read from it.
type countingBody struct {
	n atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	b.n.Add(int64(len(p)))
	return len(p), nil
}
func (b *countingBody) Close() error { return nil }

// TestDeclaredLengthOverTheCapFailsWithoutReading checks that a reply whose
// Content-Length exceeds the size cap fails at once, without reading it.
func TestDeclaredLengthOverTheCapFailsWithoutReading(t *testing.T) {
	t.Parallel()
	body := &countingBody{}
	m := newMockAPI(t)
	m.on(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: body, ContentLength: 64 << 20}, nil
	})
	c := m.client(t, WithMaxResponseBytes(1024))
	_, err := c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}})
	var te *TransportError
	if !errors.Is(err, ErrResponseTooLarge) || !errors.As(err, &te) || te.Attempts != 1 {
		t.Fatalf("err %v, want a TransportError wrapping ErrResponseTooLarge after one attempt", err)
	}
	if n := body.n.Load(); n != 0 {
		t.Errorf("%d bytes read of a reply declared too large", n)
	}
	if !strings.Contains(err.Error(), "67108864") {
		t.Errorf("the error does not say the declared size: %v", err)
	}
}

var errRefused = errors.New("dial tcp 127.0.0.1:9: connect: connection refused")

// TestTransportErrorsAreTyped checks that a failure with no reply is a
// *TransportError carrying the action and the attempts, with its cause
// reachable.
func TestTransportErrorsAreTyped(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(httpmock.NewErrorResponder(errRefused))
	c := m.client(t)
	_, err := c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}})
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err %v (%T), want a *TransportError", err, err)
	}
	if te.Action != "GetMessages" || te.Attempts != 3 || !errors.Is(err, errRefused) || te.Last != nil {
		t.Errorf("TransportError %+v", *te)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrAttemptTimeout) || errors.Is(err, ErrOutcomeUnknown) || te.Timeout() {
		t.Errorf("a refused connection looks like a timeout or an unknown outcome: %v", err)
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("message %q", err)
	}
}

// blockingServer answers nothing until the request's context ends.
func blockingServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets net/http notice the client going away.
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestAttemptTimeoutIsNotTheCallersDeadline checks that attempts ended by
// their own timeout report ErrAttemptTimeout, not
// context.DeadlineExceeded, which belongs to the caller's context.
func TestAttemptTimeoutIsNotTheCallersDeadline(t *testing.T) {
	t.Parallel()
	srv := blockingServer(t)
	c, err := NewClient(testAK, testSK, WithEndpoint(srv.URL), WithRateLimit(1e6),
		WithAttemptTimeout(20*time.Millisecond), WithRetry(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}})
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 2 || !te.Timeout() {
		t.Fatalf("err %v, want a TransportError after 2 timed-out attempts", err)
	}
	if !errors.Is(err, ErrAttemptTimeout) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v: Is(ErrAttemptTimeout) %v, Is(DeadlineExceeded) %v; want true, false",
			err, errors.Is(err, ErrAttemptTimeout), errors.Is(err, context.DeadlineExceeded))
	}

	// The caller's own deadline, shorter than the attempt timeout, is the
	// caller's: DeadlineExceeded, not ErrAttemptTimeout.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	c2, err := NewClient(testAK, testSK, WithEndpoint(srv.URL), WithRateLimit(1e6), WithAttemptTimeout(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c2.GetMessages(ctx, &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}})
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrAttemptTimeout) || !errors.As(err, &te) {
		t.Errorf("err %v: want the caller's DeadlineExceeded in a TransportError", err)
	}
}

// TestLastCauseSurvivesTheCallersContext checks that when the caller's
// context ends after failed attempts, the last attempt's cause stays
// reachable: "connection refused" is not lost behind the context's error.
// The context is cancelled while the call waits out its backoff (the
// logger's "retrying" record marks that moment), whatever the machine's
// load.
func TestLastCauseSurvivesTheCallersContext(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		reply httpmock.Responder
		want  error
		text  string
	}{
		{"transport error", httpmock.NewErrorResponder(errRefused), errRefused, "connection refused"},
		{"retryable status", jsonReply(503, []byte(`{"ResponseMetadata":{"Error":{"Code":"ServiceUnavailableTemp"}}}`)), nil, "HTTP 503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMockAPI(t)
			m.on(tc.reply)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			logger := slog.New(&cancelOnRetry{cancel: cancel})
			// The backoff outlasts the test: the call ends while waiting.
			c := m.client(t, WithLogger(logger), WithRetry(RetryPolicy{MaxAttempts: 5, MinBackoff: time.Hour, MaxBackoff: time.Hour}))
			_, err := c.GetMessages(ctx, &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}})
			var te *TransportError
			if !errors.As(err, &te) || !errors.Is(err, context.Canceled) || te.Last == nil || te.Attempts != 1 {
				t.Fatalf("err %v, want a TransportError with the context's error and the last cause after 1 attempt", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("the last cause is not reachable: %v", err)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("message %q does not name the last cause", err)
			}
		})
	}
}

// cancelOnRetry is a slog handler that cancels a context when the client
// logs that it is about to wait before a retry.
type cancelOnRetry struct{ cancel context.CancelFunc }

func (h *cancelOnRetry) Enabled(context.Context, slog.Level) bool { return true }
func (h *cancelOnRetry) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "volcim: retrying" {
		h.cancel()
	}
	return nil
}
func (h *cancelOnRetry) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *cancelOnRetry) WithGroup(string) slog.Handler      { return h }

// TestPermanentFailuresAreNotRetried checks that failures a retry cannot
// mend are neither retried nor charged another limiter token.
func TestPermanentFailuresAreNotRetried(t *testing.T) {
	t.Parallel()
	t.Run("invalid header", func(t *testing.T) {
		t.Parallel()
		for _, opt := range []CallOption{
			WithCallHeader("X-Bad\r\nName", "v"),
			WithCallHeader("X-Ok", "line\r\nInjected: yes"),
			WithCallHeader("X-Ok", "nul\x00"),
			WithCallHeader("Bad Name", "v"),
		} {
			lim := &countingLimiter{}
			m := newMockAPI(t)
			m.on(jsonReply(200, fixture(t, "get_messages.json")))
			c := m.client(t, WithLimiter(lim))
			_, err := c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}}, opt)
			if !errors.Is(err, ErrInvalidRequest) || len(m.requests()) != 0 || lim.n.Load() != 0 {
				t.Errorf("err %v, %d requests, %d limiter waits; want an invalid request and nothing else", err, len(m.requests()), lim.n.Load())
			}
		}
		m := newMockAPI(t)
		m.on(jsonReply(200, fixture(t, "get_messages.json")))
		if _, err := m.client(t).GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}}, WithCallHeader("X-Trace", "a\tb")); err != nil {
			t.Errorf("a tab in a header value: %v", err)
		}
	})
	t.Run("https endpoint answering plain http", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "{}")
		}))
		t.Cleanup(srv.Close)
		lim := &countingLimiter{}
		c, err := NewClient(testAK, testSK, WithEndpoint(strings.Replace(srv.URL, "http://", "https://", 1)), WithLimiter(lim),
			WithRetry(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}})
		var te *TransportError
		if !errors.As(err, &te) || te.Attempts != 1 || lim.n.Load() != 1 {
			t.Errorf("err %v after %d limiter waits, want one attempt", err, lim.n.Load())
		}
	})
}

// TestZeroClientAndNilContextAreErrors checks that misuse returns errors
// instead of panicking inside the transport.
func TestZeroClientAndNilContextAreErrors(t *testing.T) {
	t.Parallel()
	req := &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}}
	var zero Client
	if _, err := zero.GetMessages(context.Background(), req); !errors.Is(err, ErrInvalidRequest) || !strings.Contains(err.Error(), "NewClient") {
		t.Errorf("zero Client: %v", err)
	}
	var nilClient *Client
	if _, err := nilClient.GetMessages(context.Background(), req); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("nil *Client: %v", err)
	}
	m := newMockAPI(t)
	m.on(jsonReply(200, fixture(t, "get_messages.json")))
	c := m.client(t)
	var nilCtx context.Context
	if _, err := c.GetMessages(nilCtx, req); !errors.Is(err, ErrInvalidRequest) || len(m.requests()) != 0 {
		t.Errorf("nil context: %v", err)
	}
	if _, err := c.ConversationMessagesPager(&ConversationMessagesRequest{AppID: 1, ConversationShortID: 2}); err != nil {
		t.Errorf("pager: %v", err)
	}
	for msg, err := range nilClient.ConversationMessages(context.Background(), &ConversationMessagesRequest{AppID: 1, ConversationShortID: 2}) {
		if !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("iterator of a nil client: %v, %v", msg, err)
		}
	}
}

// TestHTTPMockActivatedAfterNewClient checks that the client sends through
// the transport as it is at send time: httpmock.Activate (which replaces
// http.DefaultTransport) and ActivateNonDefault (which replaces a client's
// Transport) both work when called after NewClient. It changes
// http.DefaultTransport, so it does not run in parallel.
func TestHTTPMockActivatedAfterNewClient(t *testing.T) {
	ok := fixture(t, "get_messages.json")
	req := &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}}

	c, err := NewClient(testAK, testSK, WithRateLimit(1e6), WithRetry(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	httpmock.Activate()
	defer httpmock.DeactivateAndReset()
	httpmock.RegisterResponder(http.MethodPost, "https://rtc.volcengineapi.com/?Action=GetMessages&Version=2020-12-01",
		httpmock.NewBytesResponder(200, ok))
	if _, err := c.GetMessages(context.Background(), req); err != nil {
		t.Fatalf("Activate after NewClient: %v", err)
	}
	if n := httpmock.GetTotalCallCount(); n != 1 {
		t.Errorf("the mock saw %d calls", n)
	}

	hc := &http.Client{Timeout: time.Minute}
	c2, err := NewClient(testAK, testSK, WithHTTPClient(hc), WithRateLimit(1e6), WithRetry(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	httpmock.ActivateNonDefault(hc)
	httpmock.RegisterResponder(http.MethodPost, "=~Action=GetMessages", httpmock.NewBytesResponder(200, ok))
	if _, err := c2.GetMessages(context.Background(), req); err != nil {
		t.Fatalf("ActivateNonDefault after NewClient: %v", err)
	}
	if n := httpmock.GetTotalCallCount(); n != 2 {
		t.Errorf("the mock saw %d calls in all, want 2: %v", n, httpmock.GetCallCountInfo())
	}
	if got := strconv.Itoa(int(hc.Timeout / time.Second)); got != "60" {
		t.Errorf("hc changed: %s", got)
	}
}
