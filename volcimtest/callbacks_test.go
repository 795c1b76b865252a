package volcimtest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/callback"
	"github.com/volcim/volcim-go/internal/redacttest"
	"github.com/volcim/volcim-go/volcimtest"
)

const cbSecret = "callback-secret-must-not-print-91d0"

var cbClock = time.Date(2024, 3, 11, 8, 0, 0, 0, time.UTC)

// recorded is what a raw endpoint received.
type recorded struct {
	mu     sync.Mutex
	bodies [][]byte
	header []http.Header
}

func (r *recorded) all() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies...)
}

// rawEndpoint records every POST and answers with the statuses given, in
// turn (the last one repeats).
func rawEndpoint(t *testing.T, statuses ...int) (*httptest.Server, *recorded) {
	t.Helper()
	rec := new(recorded)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.bodies = append(rec.bodies, b)
		rec.header = append(rec.header, r.Header.Clone())
		rec.mu.Unlock()
		i := int(n.Add(1)) - 1
		status := statuses[min(i, len(statuses)-1)]
		w.WriteHeader(status)
		io.WriteString(w, http.StatusText(status))
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

// handlerEndpoint serves a callback.Handler with the test secret and the
// server's clock.
func handlerEndpoint(t *testing.T, opts ...callback.Option) *httptest.Server {
	t.Helper()
	base := []callback.Option{callback.WithClock(func() time.Time { return cbClock })}
	h, err := callback.NewHandler([]string{cbSecret}, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// clockServer is a server whose clock stands at cbClock; it accepts the
// clients' real X-Date.
func clockServer(t *testing.T) *volcimtest.Server {
	return newServer(t, volcimtest.WithClock(func() time.Time { return cbClock }), volcimtest.WithMaxSkew(100*365*24*time.Hour))
}

func TestDeliverEventEnvelope(t *testing.T) {
	t.Parallel()
	srv := clockServer(t)
	ep, rec := rawEndpoint(t, http.StatusOK)
	cb := srv.Callbacks(ep.URL, cbSecret)
	d, err := cb.DeliverEvent(context.Background(), volcimtest.CallbackEvent{
		Type:  "ConversationCreated",
		Data:  map[string]any{"ConversationShortId": testConv},
		AppID: testApp,
	})
	if err != nil {
		t.Fatal(err)
	}
	bodies := rec.all()
	if len(bodies) != 1 || !d.Delivered() || string(d.Reply()) != "OK" || len(d.Attempts) != 1 {
		t.Fatalf("%d posts, delivery %+v", len(bodies), d)
	}
	if ct := rec.header[0].Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	env, err := callback.ParseEnvelope(bodies[0])
	if err != nil {
		t.Fatal(err)
	}
	if *env != d.Envelope {
		t.Errorf("posted %+v, reported %+v", *env, d.Envelope)
	}
	if err := callback.Verify(env, cbSecret); err != nil {
		t.Errorf("the posted envelope does not verify: %v", err)
	}
	if env.EventType != "ConversationCreated" || env.EventData != `{"ConversationShortId":7171275522159198471}` ||
		env.EventTime != "2024-03-11T08:00:00.000000000Z" || env.AppID != "1001" || env.Version != "2020-12-01" ||
		!regexp.MustCompile(`^[0-9]{4}$`).MatchString(env.Nonce) || env.EventID == "" {
		t.Errorf("envelope %+v", env)
	}
	// Fresh ids differ.
	d2, err := cb.DeliverEvent(context.Background(), volcimtest.CallbackEvent{Type: "X"})
	if err != nil {
		t.Fatal(err)
	}
	if d2.Envelope.EventID == env.EventID || d2.Envelope.EventData != "{}" || d2.Envelope.AppID != "" {
		t.Errorf("second envelope %+v", d2.Envelope)
	}
}

func TestDeliverEventRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		statuses []int
		noRetry  bool
		statusOf []int // the attempts' statuses
		ok       bool
	}{
		{"200 at once", []int{200}, false, []int{200}, true},
		{"two failures then 200", []int{500, 409, 200}, false, []int{500, 409, 200}, true},
		{"always 503", []int{503}, false, []int{503, 503, 503}, false},
		{"a redirect is no 200", []int{302}, false, []int{302, 302, 302}, false},
		{"201 is no 200", []int{201}, false, []int{201, 201, 201}, false},
		{"no retry", []int{500, 200}, true, []int{500}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := clockServer(t)
			ep, rec := rawEndpoint(t, tc.statuses...)
			d, err := srv.Callbacks(ep.URL, cbSecret).DeliverEvent(context.Background(), volcimtest.CallbackEvent{Type: "X", NoRetry: tc.noRetry})
			if tc.ok != (err == nil) || tc.ok != d.Delivered() {
				t.Fatalf("err %v, delivered %v; want ok %v", err, d.Delivered(), tc.ok)
			}
			if !tc.ok && !errors.Is(err, volcimtest.ErrCallbackFailed) {
				t.Errorf("err %v, want ErrCallbackFailed", err)
			}
			var got []int
			for i, a := range d.Attempts {
				got = append(got, a.Status)
				if a.Copy != 0 || a.Retry != i {
					t.Errorf("attempt %d: copy %d retry %d", i, a.Copy, a.Retry)
				}
			}
			if !equalInts(got, tc.statusOf) {
				t.Errorf("statuses %v, want %v", got, tc.statusOf)
			}
			// Every attempt posts the same body.
			bodies := rec.all()
			for _, b := range bodies[1:] {
				if string(b) != string(bodies[0]) {
					t.Errorf("a retry changed the body:\n%s\n%s", bodies[0], b)
				}
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDeliverEventTimeout: an endpoint that does not answer within the
// timeout fails the attempt, which is retried.
func TestDeliverEventTimeout(t *testing.T) {
	t.Parallel()
	srv := clockServer(t)
	var calls atomic.Int32
	done := make(chan struct{})
	ep := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // so that net/http notices the client leaving
		if calls.Add(1) == 1 {
			select { // hangs until the client gives up
			case <-r.Context().Done():
			case <-done:
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(ep.Close)
	t.Cleanup(func() { close(done) }) // runs first
	// Long enough for a loopback answer on a busy machine: the first
	// attempt waits it out.
	d, err := srv.Callbacks(ep.URL, cbSecret, volcimtest.WithCallbackTimeout(500*time.Millisecond)).
		DeliverEvent(context.Background(), volcimtest.CallbackEvent{Type: "X"})
	if err != nil {
		t.Fatalf("%v; attempts %+v", err, d.Attempts)
	}
	if a := d.Attempts[0]; a.Err == nil || a.Status != 0 {
		t.Errorf("the first attempt: %+v, want a timeout", a)
	}
	if last := d.Attempts[len(d.Attempts)-1]; last.Status != http.StatusOK {
		t.Errorf("attempts %+v", d.Attempts)
	}
}

func TestDeliverEventContext(t *testing.T) {
	t.Parallel()
	srv := clockServer(t)
	ep, _ := rawEndpoint(t, 500)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := srv.Callbacks(ep.URL, cbSecret).DeliverEvent(ctx, volcimtest.CallbackEvent{Type: "X"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

// TestDeliverEventToHandler: duplicates reach a callback.Handler, which
// answers each and dispatches once; a chosen EventId, an empty nonce and a
// time of the test's choosing pass; a tampered or foreign signature does
// not.
func TestDeliverEventToHandler(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var lastID atomic.Value
	ep := handlerEndpoint(t, callback.OnEvent(func(ctx context.Context, e *callback.Event) error {
		calls.Add(1)
		lastID.Store(e.ID)
		return nil
	}))
	srv := clockServer(t)
	cb := srv.Callbacks(ep.URL, cbSecret)
	ctx := context.Background()

	d, err := cb.DeliverEvent(ctx, volcimtest.CallbackEvent{Type: "X", ID: "evt-fixed", Duplicates: 2,
		Prepare: func(e *callback.Envelope) { e.Nonce = "" }})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Attempts) != 3 || d.Attempts[2].Copy != 2 || calls.Load() != 1 || lastID.Load() != "evt-fixed" || d.Envelope.Nonce != "" {
		t.Errorf("attempts %+v, %d calls", d.Attempts, calls.Load())
	}

	// A stale time, chosen by the test.
	_, err = cb.DeliverEvent(ctx, volcimtest.CallbackEvent{Type: "X", Time: cbClock.Add(-time.Hour), NoRetry: true})
	if !errors.Is(err, volcimtest.ErrCallbackFailed) || !strings.Contains(err.Error(), "HTTP 400") {
		t.Errorf("a stale event: %v", err)
	}

	d, err = cb.DeliverEvent(ctx, volcimtest.CallbackEvent{Type: "X", Tamper: func(e *callback.Envelope) { e.AppID = "1" }})
	if !errors.Is(err, volcimtest.ErrCallbackFailed) || len(d.Attempts) != 3 || d.Attempts[2].Status != http.StatusForbidden {
		t.Errorf("a tampered event: %v, %+v", err, d.Attempts)
	}
	_, err = srv.Callbacks(ep.URL, "another-secret").DeliverEvent(ctx, volcimtest.CallbackEvent{Type: "X", NoRetry: true})
	if !errors.Is(err, volcimtest.ErrCallbackFailed) || !strings.Contains(err.Error(), "HTTP 403") {
		t.Errorf("another secret: %v", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d calls, want 1", calls.Load())
	}
}

// moderator is a handler of both message events, recording them.
type moderator struct {
	mu     sync.Mutex
	before []*callback.BeforeSendMessage
	after  []*callback.AfterSendMessage
}

func (m *moderator) options() []callback.Option {
	return []callback.Option{
		callback.OnBeforeSendMessage(func(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
			m.mu.Lock()
			m.before = append(m.before, e)
			m.mu.Unlock()
			text, _ := e.Message.Text()
			switch {
			case strings.Contains(text, "bad"):
				return callback.Block(1001, "bad word"), nil
			case strings.Contains(text, "mask"):
				return callback.Verdict{Content: ptr(volcim.TextContent("***")), Ext: map[string]string{"masked": "1"}}, nil
			}
			return callback.Allow(), nil
		}),
		callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
			m.mu.Lock()
			m.after = append(m.after, e)
			m.mu.Unlock()
			return nil
		}),
	}
}

func (m *moderator) counts() (int, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.before), len(m.after)
}

func ptr[T any](v T) *T { return &v }

// conversationMessages reads every message of the test conversation.
func conversationMessages(t *testing.T, c *volcim.Client) []volcim.Message {
	t.Helper()
	var msgs []volcim.Message
	for m, err := range c.ConversationMessages(context.Background(), &volcim.ConversationMessagesRequest{ConversationShortID: testConv}) {
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

func TestSendAsUser(t *testing.T) {
	t.Parallel()
	srv := clockServer(t)
	srv.AddParticipants(testApp, testConv, volcim.Participant{UserID: 10001}, volcim.Participant{UserID: 10002})
	mod := new(moderator)
	ep := handlerEndpoint(t, mod.options()...)
	cb := srv.Callbacks(ep.URL, cbSecret)
	client := newClient(t, srv)
	ctx := context.Background()

	// Let through: stored, then reported with its id.
	res, err := cb.SendAsUser(ctx, volcimtest.UserMessage{AppID: testApp, ConversationShortID: testConv, Sender: 10001,
		Content: volcim.TextContent("hello"), MentionedUsers: []int64{10002}, Priority: volcim.PriorityHigh})
	if err != nil {
		t.Fatal(err)
	}
	if res.Blocked || res.Message.MessageID == 0 || res.Before == nil || res.After == nil || !res.After.Delivered() {
		t.Fatalf("result %+v", res)
	}
	got, err := client.GetMessages(ctx, &volcim.GetMessagesRequest{ConversationShortID: testConv, MessageIDs: []int64{res.Message.MessageID}})
	if err != nil || len(got.Messages) != 1 {
		t.Fatalf("GetMessages: %v, %+v", err, got)
	}
	stored := got.Messages[0]
	if text, _ := stored.Text(); text != "hello" || stored.Sender != 10001 || !stored.CreateTime.Equal(cbClock) || stored.ConversationType != volcim.ConversationGroup {
		t.Errorf("stored %+v", stored)
	}
	mod.mu.Lock()
	before, after := mod.before[0], mod.after[0]
	mod.mu.Unlock()
	if before.Message.MessageID != 0 || before.Message.ClientMsgID == "" || before.Message.Sender != 10001 ||
		before.Header["ClientIP"] != "127.0.0.1" || before.Priority != volcim.PriorityHigh || before.MentionedUsers[0] != 10002 {
		t.Errorf("BeforeSendMessage %+v", before)
	}
	if after.Message.MessageID != stored.MessageID || after.Message.IndexInConversation != stored.IndexInConversation ||
		after.Message.ClientMsgID != before.Message.ClientMsgID || !after.Message.CreateTime.Equal(stored.CreateTime) {
		t.Errorf("AfterSendMessage %+v, stored %+v", after.Message, stored)
	}

	// Blocked: not stored, no AfterSendMessage.
	res, err = cb.SendAsUser(ctx, volcimtest.UserMessage{AppID: testApp, ConversationShortID: testConv, Sender: 10002, Content: volcim.TextContent("a bad word")})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Blocked || res.Verdict.Code != 1001 || res.Message.MessageID != 0 || res.After != nil {
		t.Errorf("blocked result %+v", res)
	}

	// Changed: stored as the verdict says.
	res, err = cb.SendAsUser(ctx, volcimtest.UserMessage{AppID: testApp, ConversationShortID: testConv, Sender: 10002, Content: volcim.TextContent("mask me")})
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := res.Message.Text(); text != "***" || res.Message.Ext["masked"] != "1" {
		t.Errorf("replaced %+v", res.Message)
	}

	msgs := conversationMessages(t, client)
	if len(msgs) != 2 {
		t.Fatalf("%d messages stored, want 2: %+v", len(msgs), msgs)
	}
	if b, a := mod.counts(); b != 3 || a != 2 {
		t.Errorf("%d BeforeSendMessage, %d AfterSendMessage; want 3 and 2", b, a)
	}
}

// TestSendAsUserRefused: a send the service would refuse triggers no
// callback.
func TestSendAsUserRefused(t *testing.T) {
	t.Parallel()
	srv := clockServer(t)
	srv.AddParticipants(testApp, testConv, volcim.Participant{UserID: 10001})
	srv.AddGeneratedConversation(testApp, 42, 3)
	ep, rec := rawEndpoint(t, 200)
	cb := srv.Callbacks(ep.URL, cbSecret)
	for name, m := range map[string]volcimtest.UserMessage{
		"not a member":           {AppID: testApp, ConversationShortID: testConv, Sender: 10002, Content: "x"},
		"unknown conversation":   {AppID: testApp, ConversationShortID: 7, Sender: 10001, Content: "x"},
		"generated conversation": {AppID: testApp, ConversationShortID: 42, Sender: 10001, Content: "x"},
		"no content":             {AppID: testApp, ConversationShortID: testConv, Sender: 10001},
		"no sender":              {AppID: testApp, ConversationShortID: testConv, Content: "x"},
	} {
		if _, err := cb.SendAsUser(context.Background(), m); !errors.Is(err, volcimtest.ErrSendRefused) {
			t.Errorf("%s: %v, want ErrSendRefused", name, err)
		}
	}
	if n := len(rec.all()); n != 0 {
		t.Errorf("%d callbacks posted", n)
	}
}

// TestSendAsUserCallbackFailures: a failed BeforeSendMessage stores
// nothing; a failed AfterSendMessage leaves the message stored.
func TestSendAsUserCallbackFailures(t *testing.T) {
	t.Parallel()
	srv := clockServer(t)
	client := newClient(t, srv)
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: testConv, ConversationType: volcim.ConversationGroup})
	down, _ := rawEndpoint(t, 500)
	m := volcimtest.UserMessage{AppID: testApp, ConversationShortID: testConv, Sender: 10001, Content: volcim.TextContent("hi")}

	res, err := srv.Callbacks(down.URL, cbSecret).SendAsUser(context.Background(), m)
	if !errors.Is(err, volcimtest.ErrCallbackFailed) || res.Message.MessageID != 0 || len(res.Before.Attempts) != 3 {
		t.Errorf("BeforeSendMessage failing: %v, %+v", err, res)
	}
	if msgs := conversationMessages(t, client); len(msgs) != 0 {
		t.Errorf("%d messages stored", len(msgs))
	}

	res, err = srv.Callbacks(down.URL, cbSecret, volcimtest.WithCallbackEvents(callback.TypeAfterSendMessage)).SendAsUser(context.Background(), m)
	if !errors.Is(err, volcimtest.ErrCallbackFailed) || res.Before != nil || res.Message.MessageID == 0 {
		t.Errorf("AfterSendMessage failing: %v, %+v", err, res)
	}
	if msgs := conversationMessages(t, client); len(msgs) != 1 {
		t.Errorf("%d messages stored, want 1", len(msgs))
	}

	// A verdict that is not JSON.
	odd := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "OK") }))
	t.Cleanup(odd.Close)
	if _, err := srv.Callbacks(odd.URL, cbSecret).SendAsUser(context.Background(), m); err == nil || !strings.Contains(err.Error(), "verdict is not JSON") {
		t.Errorf("a non-JSON verdict: %v", err)
	}
}

func TestCallbacksPrintNoSecret(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	cb := srv.Callbacks("http://127.0.0.1:1/cb", cbSecret)
	redacttest.Check(t, redacttest.Nested(cb), cbSecret)
	// Through an unexported field fmt calls no method: the secret lives in
	// a closure there.
	type holder struct{ cb *volcimtest.Callbacks }
	redacttest.Check(t, redacttest.Nested(holder{cb}), cbSecret)
	if cb.URL() != "http://127.0.0.1:1/cb" || !strings.Contains(cb.String(), "[redacted]") {
		t.Errorf("URL %q, String %q", cb.URL(), cb.String())
	}
}

func TestCallbacksPanics(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for name, f := range map[string]func(){
		"empty URL":      func() { srv.Callbacks("", cbSecret) },
		"empty secret":   func() { srv.Callbacks("http://x", "") },
		"zero timeout":   func() { volcimtest.WithCallbackTimeout(0) },
		"empty type":     func() { volcimtest.WithCallbackEvents("") },
		"nil HTTPClient": func() { volcimtest.WithCallbackHTTPClient(nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// A moderation handler under test: a simulated user's message with a
// banned word is blocked by BeforeSendMessage; a clean one is stored and
// reported by AfterSendMessage.
func ExampleServer_Callbacks() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	srv.AddParticipants(1, 42, volcim.Participant{UserID: 10001})

	const secret = "the-test-callback-secret"
	h, err := callback.NewHandler([]string{secret},
		callback.OnBeforeSendMessage(func(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
			if text, _ := e.Message.Text(); strings.Contains(text, "spam") {
				return callback.Block(1001, "no spam"), nil
			}
			return callback.Allow(), nil
		}),
		callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
			text, _ := e.Message.Text()
			fmt.Printf("AfterSendMessage: %q from %d\n", text, e.Message.Sender)
			return nil
		}))
	if err != nil {
		panic(err)
	}
	hs := httptest.NewServer(h)
	defer hs.Close()

	cb := srv.Callbacks(hs.URL, secret)
	for _, text := range []string{"buy spam", "hello"} {
		res, err := cb.SendAsUser(context.Background(), volcimtest.UserMessage{
			AppID: 1, ConversationShortID: 42, Sender: 10001, Content: volcim.TextContent(text),
		})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%q: blocked %v, stored %v\n", text, res.Blocked, res.Message.MessageID != 0)
	}
	// Output:
	// "buy spam": blocked true, stored false
	// AfterSendMessage: "hello" from 10001
	// "hello": blocked false, stored true
}
