package volcimtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

func batchReq() *volcim.BatchGetConversationsRequest {
	return &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{1}}
}

func seedOne(srv *volcimtest.Server) {
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: 1, Name: "one"})
}

func kinds(recs []volcimtest.Request) []volcimtest.FaultKind {
	var out []volcimtest.FaultKind
	for _, r := range recs {
		out = append(out, r.Fault.Kind)
	}
	return out
}

func statuses(recs []volcimtest.Request) []int {
	var out []int
	for _, r := range recs {
		out = append(out, r.Status)
	}
	return out
}

// TestScriptedFaultsAreRetried: every transient fault, scripted twice,
// is survived by the client's third attempt.
func TestScriptedFaultsAreRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind   volcimtest.FaultKind
		status int // recorded for the faulted attempts
	}{
		{volcimtest.Fault500, 500},
		{volcimtest.Fault502, 502},
		{volcimtest.Fault503, 503},
		{volcimtest.Fault429, 429},
		{volcimtest.FaultDrop, 0},
		{volcimtest.FaultTruncate, 200},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			seedOne(srv)
			srv.Script(volcimtest.Fault{Kind: tt.kind}, volcimtest.Fault{Kind: tt.kind})
			c := newClient(t, srv)
			resp, err := c.BatchGetConversations(context.Background(), batchReq())
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Conversations) != 1 || resp.Conversations[0].Name != "one" {
				t.Errorf("got %+v", resp.Conversations)
			}
			recs := srv.Requests()
			if got, want := kinds(recs), []volcimtest.FaultKind{tt.kind, tt.kind, volcimtest.FaultNone}; !slices.Equal(got, want) {
				t.Errorf("faults %v, want %v", got, want)
			}
			if got, want := statuses(recs), []int{tt.status, tt.status, 200}; !slices.Equal(got, want) {
				t.Errorf("statuses %v, want %v", got, want)
			}
			if len(srv.PendingFaults()) != 0 {
				t.Errorf("faults left: %v", srv.PendingFaults())
			}
		})
	}
}

// TestScript503503200 is the canonical scripted sequence: it succeeds on
// the third attempt, and with only two attempts the client reports the 503.
func TestScript503503200(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	seedOne(srv)
	c := newClient(t, srv)
	srv.Script(volcimtest.Fault{Kind: volcimtest.Fault503}, volcimtest.Fault{Kind: volcimtest.Fault503})
	if _, err := c.BatchGetConversations(context.Background(), batchReq()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}

	srv.Script(volcimtest.Fault{Kind: volcimtest.Fault503}, volcimtest.Fault{Kind: volcimtest.Fault503})
	_, err := c.BatchGetConversations(context.Background(), batchReq(), volcim.WithCallRetry(volcim.RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	var apiErr *volcim.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Code != "ServiceUnavailableTemp" || apiErr.Attempts != 2 || !apiErr.Temporary() {
		t.Fatalf("err = %v, want 503 ServiceUnavailableTemp after 2 attempts", err)
	}
}

func TestFaultReplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault      volcimtest.Fault
		status     int
		code       string
		retryAfter string
	}{
		{volcimtest.Fault{Kind: volcimtest.Fault500}, 500, "InternalError", ""},
		{volcimtest.Fault{Kind: volcimtest.Fault502}, 502, "InternalServiceError", ""},
		{volcimtest.Fault{Kind: volcimtest.Fault503}, 503, "ServiceUnavailableTemp", ""},
		{volcimtest.Fault{Kind: volcimtest.Fault503, RetryAfter: 2 * time.Second}, 503, "ServiceUnavailableTemp", "2"},
		{volcimtest.Fault{Kind: volcimtest.Fault429}, 429, "FlowLimitExceeded", ""},
		{volcimtest.Fault{Kind: volcimtest.Fault429, RetryAfter: 1500 * time.Millisecond}, 429, "FlowLimitExceeded", "2"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v/%v", tt.fault.Kind, tt.fault.RetryAfter), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.Script(tt.fault)
			// Faults strike before any check: even an unsigned request gets one.
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=GetMessages&Version=2020-12-01", nil)
			r := do(t, req)
			if r.status != tt.status || r.code() != tt.code || r.header.Get("Retry-After") != tt.retryAfter {
				t.Fatalf("got %d %q Retry-After %q, want %d %q %q", r.status, r.code(), r.header.Get("Retry-After"), tt.status, tt.code, tt.retryAfter)
			}
			rec := srv.Requests()[0]
			if rec.Accepted || rec.Code != tt.code || rec.Fault != tt.fault {
				t.Errorf("record = %+v", rec)
			}
		})
	}
}

// TestRetryAfterIsHonoured: the client waits what a 429 asks for (capped by
// its MaxBackoff).
func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	seedOne(srv)
	srv.Script(volcimtest.Fault{Kind: volcimtest.Fault429, RetryAfter: time.Second})
	c := newClient(t, srv, volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: 50 * time.Millisecond}))
	if _, err := c.BatchGetConversations(context.Background(), batchReq()); err != nil {
		t.Fatal(err)
	}
	recs := srv.Requests()
	if gap := recs[1].Time.Sub(recs[0].Time); gap < 50*time.Millisecond {
		t.Errorf("retried after %v; want the Retry-After, capped at MaxBackoff 50ms", gap)
	}
}

func TestScriptPerAction(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	seedOne(srv)
	srv.AddMessages(msg(1, "a"))
	srv.Script(
		volcimtest.Fault{Kind: volcimtest.Fault500, Action: "GetMessages"},
		volcimtest.Fault{Kind: volcimtest.FaultNone}, // lets the next request of any action through
		volcimtest.Fault{Kind: volcimtest.Fault502},
	)
	c := newClient(t, srv, volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	// BatchGetConversations skips the GetMessages fault and takes FaultNone.
	if _, err := c.BatchGetConversations(context.Background(), batchReq()); err != nil {
		t.Fatal(err)
	}
	// GetMessages takes its own fault.
	_, err := c.GetMessages(context.Background(), &volcim.GetMessagesRequest{ConversationShortID: testConv, MessageIDs: []int64{1}})
	var apiErr *volcim.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Fatalf("GetMessages err = %v, want 500", err)
	}
	if got := srv.PendingFaults(); len(got) != 1 || got[0].Kind != volcimtest.Fault502 {
		t.Errorf("pending = %v, want the 502", got)
	}
}

// TestSlowFault: a slow reply makes the client's attempt time out; the
// retry succeeds, and the slow handler ends as soon as the client gives up.
func TestSlowFault(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer()
	defer srv.Close()
	seedOne(srv)
	srv.Script(volcimtest.Fault{Kind: volcimtest.FaultSlow, Delay: time.Hour})
	c := newClient(t, srv, volcim.WithAttemptTimeout(100*time.Millisecond))
	start := time.Now()
	if _, err := c.BatchGetConversations(context.Background(), batchReq()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Minute {
		t.Fatalf("took %v", d)
	}
	srv.Close() // waits for the slow handler, which the client abandoned
	recs := srv.Requests()
	var slow, ok int
	for _, r := range recs {
		switch {
		case r.Fault.Kind == volcimtest.FaultSlow && r.Status == 0:
			slow++
		case r.Fault.Kind == volcimtest.FaultNone && r.Status == 200:
			ok++
		}
	}
	if slow != 1 || ok != 1 || len(recs) != 2 {
		t.Errorf("records %+v", recs)
	}
}

// TestSlowFaultShortDelay: a slow fault within the attempt timeout is just
// a late success.
func TestSlowFaultShortDelay(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithSlowFaultDelay(20*time.Millisecond))
	seedOne(srv)
	srv.Script(volcimtest.Fault{Kind: volcimtest.FaultSlow})
	c := newClient(t, srv)
	start := time.Now()
	if _, err := c.BatchGetConversations(context.Background(), batchReq()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("answered in %v, before the 20ms delay", d)
	}
	recs := srv.Requests()
	if len(recs) != 1 || recs[0].Status != 200 || !recs[0].Accepted {
		t.Errorf("records %+v", recs)
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithLatency(30*time.Millisecond))
	seedOne(srv)
	c := newClient(t, srv)
	start := time.Now()
	if _, err := c.BatchGetConversations(context.Background(), batchReq()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("answered in %v, before the 30ms latency", d)
	}
}

// TestFaultRateIsDeterministic: two servers with one seed inject the same
// faults into the same sequence of requests.
func TestFaultRateIsDeterministic(t *testing.T) {
	t.Parallel()
	run := func(seed uint64, rate float64, ks ...volcimtest.FaultKind) []volcimtest.FaultKind {
		srv := newServer(t, volcimtest.WithFaultRate(seed, rate, ks...))
		seedOne(srv)
		c := newClient(t, srv, volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
		for range 40 {
			c.BatchGetConversations(context.Background(), batchReq())
		}
		return kinds(srv.Requests())
	}
	a, b := run(7, 0.3), run(7, 0.3)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	faulted := 0
	for _, k := range a {
		if k != volcimtest.FaultNone {
			faulted++
			if k == volcimtest.FaultSlow {
				t.Errorf("default kinds include slow")
			}
		}
	}
	if faulted == 0 || faulted == len(a) {
		t.Errorf("rate 0.3 faulted %d of %d", faulted, len(a))
	}
	if c := run(8, 0.3); slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same faults")
	}
	for _, k := range run(1, 0) {
		if k != volcimtest.FaultNone {
			t.Fatalf("rate 0 injected %v", k)
		}
	}
	for _, k := range run(1, 1, volcimtest.Fault502) {
		if k != volcimtest.Fault502 {
			t.Fatalf("rate 1 of 502 injected %v", k)
		}
	}
}

// TestFaultRateSurvivedByRetries: with a 20% fault rate and enough attempts,
// a walk through a conversation reads every message exactly once.
func TestFaultRateSurvivedByRetries(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithQPS(0), volcimtest.WithFaultRate(42, 0.2))
	srv.AddGeneratedConversation(testApp, testConv, 500)
	c := newClient(t, srv, volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 10, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	i := 0
	for m, err := range c.ConversationMessages(context.Background(), &volcim.ConversationMessagesRequest{ConversationShortID: testConv}) {
		if err != nil {
			t.Fatal(err)
		}
		if want := volcimtest.GeneratedMessage(testApp, testConv, i).MessageID; m.MessageID != want {
			t.Fatalf("message %d: id %d, want %d", i, m.MessageID, want)
		}
		i++
	}
	if i != 500 {
		t.Fatalf("read %d messages, want 500", i)
	}
	faulted := 0
	for _, r := range srv.Requests() {
		if r.Fault.Kind != volcimtest.FaultNone {
			faulted++
		}
	}
	if faulted == 0 {
		t.Error("no fault injected")
	}
}

func TestScriptPanicsOnUnknownKind(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	srv.Script(volcimtest.Fault{Kind: 42})
}
