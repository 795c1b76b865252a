package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/callback"
	"github.com/volcim/volcim-go/volcimtest"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// syncBuffer is a bytes.Buffer safe for concurrent writes, which can tell
// when a line matching a pattern was written.
type syncBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	watch *regexp.Regexp
	found chan string
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.watch != nil {
		if m := b.watch.FindSubmatch(p); m != nil {
			b.found <- string(m[1])
			b.watch = nil
		}
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestRunDemo runs the example as a newcomer would: no credentials.
func TestRunDemo(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	if err := run(context.Background(), &out, nil, envOf(nil)); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	mustContain(t, s,
		"running the service on http://127.0.0.1:",
		`user 10002 sends "cheap SPAM here"`,
		`msg="recalled a message" conversation=7171275522159198471`,
		"word=spam request_id=",
		"(its AfterSendMessage delivered again: 1 recall(s) in all)",
		`msg="blocked a message"`,
		`blocked by BeforeSendMessage: "the message contains a banned word" (code 1001)`,
		`from 10002  recalled  ""`,
		`from 10001  visible   "see you at 10"`,
		"1 message(s) blocked, 1 recalled.",
	)
	if strings.Contains(s, `"a scam link"`+"\n  stored") {
		t.Error("the scam message was stored")
	}
}

// fixture is the moderation service behind a loopback server, with a
// volcimtest server holding a two-member conversation.
type fixture struct {
	srv  *volcimtest.Server
	mod  *moderator
	url  string
	logs *syncBuffer
}

func newFixture(t *testing.T, clientOpts ...volcim.Option) *fixture {
	t.Helper()
	srv := volcimtest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddParticipants(demoApp, demoConv, volcim.Participant{UserID: alice}, volcim.Participant{UserID: mallory})
	client, err := srv.Client(append([]volcim.Option{volcim.WithAppID(demoApp), volcim.WithRateLimit(1000)}, clientOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	logs := new(syncBuffer)
	mod := &moderator{client: client, banned: []string{"spam", "scam"}, log: slog.New(slog.NewTextHandler(logs, nil))}
	h, err := mod.handler([]string{demoSecret})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &fixture{srv: srv, mod: mod, url: hs.URL, logs: logs}
}

// recalls returns the RecallMessage requests the IM server accepted.
func (f *fixture) recalls() []volcimtest.Request {
	var out []volcimtest.Request
	for _, r := range f.srv.Requests() {
		if r.Action == "RecallMessage" && r.Accepted {
			out = append(out, r)
		}
	}
	return out
}

func (f *fixture) read(t *testing.T, id int64) volcim.Message {
	t.Helper()
	client, err := f.srv.Client(volcim.WithAppID(demoApp))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.GetMessages(context.Background(), &volcim.GetMessagesRequest{ConversationShortID: demoConv, MessageIDs: []int64{id}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Messages) != 1 {
		t.Fatalf("GetMessages(%d) returned %d messages", id, len(resp.Messages))
	}
	return resp.Messages[0]
}

// TestRecallEndToEnd: a simulated user sends a banned message, the
// AfterSendMessage callback arrives, the message is recalled (the request
// id is logged), a read shows it recalled, and duplicate deliveries do not
// recall it again.
func TestRecallEndToEnd(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cb := f.srv.Callbacks(f.url, demoSecret, volcimtest.WithCallbackEvents(callback.TypeAfterSendMessage))
	ctx := context.Background()

	clean, err := cb.SendAsUser(ctx, volcimtest.UserMessage{AppID: demoApp, ConversationShortID: demoConv, Sender: alice, Content: volcim.TextContent("hello")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := cb.SendAsUser(ctx, volcimtest.UserMessage{AppID: demoApp, ConversationShortID: demoConv, Sender: mallory, Content: volcim.TextContent("Buy SPAM")})
	if err != nil {
		t.Fatal(err)
	}
	if !res.After.Delivered() {
		t.Fatalf("AfterSendMessage not delivered: %+v", res.After.Attempts)
	}
	recalls := f.recalls()
	if len(recalls) != 1 {
		t.Fatalf("%d RecallMessage requests, want 1", len(recalls))
	}
	if got := f.read(t, res.Message.MessageID); got.Status != recalledStatus || got.Content != "" {
		t.Errorf("the banned message reads %+v, want it recalled (Status 3, no content)", got)
	}
	if got := f.read(t, clean.Message.MessageID); got.Status != volcim.MessageVisible {
		t.Errorf("the clean message reads %+v", got)
	}
	mustContain(t, f.logs.String(), "request_id="+recalls[0].RequestID, "message=7400000000000002018")

	// The same event again, twice, as Volcengine may deliver it: answered,
	// not recalled again.
	env := res.After.Envelope
	d, err := cb.DeliverEvent(ctx, volcimtest.CallbackEvent{Type: env.EventType, ID: env.EventID, Data: env.EventData, AppID: demoApp, Duplicates: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Attempts) != 2 {
		t.Errorf("attempts %+v", d.Attempts)
	}
	if n := len(f.recalls()); n != 1 {
		t.Errorf("%d RecallMessage requests after the duplicates, want 1", n)
	}
	if n := f.mod.recalled.Load(); n != 1 {
		t.Errorf("%d recalls counted, want 1", n)
	}
}

// TestBlockEndToEnd: with BeforeSendMessage subscribed, a banned message is
// blocked and never stored; a clean one goes through.
func TestBlockEndToEnd(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cb := f.srv.Callbacks(f.url, demoSecret)
	ctx := context.Background()
	res, err := cb.SendAsUser(ctx, volcimtest.UserMessage{AppID: demoApp, ConversationShortID: demoConv, Sender: mallory, Content: volcim.TextContent("a scam")})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Blocked || res.Verdict.Code != blockCode || res.After != nil {
		t.Errorf("result %+v", res)
	}
	res, err = cb.SendAsUser(ctx, volcimtest.UserMessage{AppID: demoApp, ConversationShortID: demoConv, Sender: alice, Content: volcim.TextContent("fine")})
	if err != nil || res.Blocked || res.Message.MessageID == 0 {
		t.Fatalf("a clean message: %v, %+v", err, res)
	}
	client, _ := f.srv.Client(volcim.WithAppID(demoApp))
	var n int
	for _, err := range client.ConversationMessages(ctx, &volcim.ConversationMessagesRequest{ConversationShortID: demoConv}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 || len(f.recalls()) != 0 {
		t.Errorf("%d messages stored, %d recalls; want 1 and 0", n, len(f.recalls()))
	}
}

// TestRecallFailureRetried: a recall that fails makes the handler answer
// 500; Volcengine's retry recalls the message.
func TestRecallFailureRetried(t *testing.T) {
	t.Parallel()
	f := newFixture(t, volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	cb := f.srv.Callbacks(f.url, demoSecret, volcimtest.WithCallbackEvents(callback.TypeAfterSendMessage))
	f.srv.Script(volcimtest.Fault{Action: "RecallMessage", Kind: volcimtest.Fault503})
	res, err := cb.SendAsUser(context.Background(), volcimtest.UserMessage{AppID: demoApp, ConversationShortID: demoConv, Sender: mallory, Content: volcim.TextContent("spam")})
	if err != nil {
		t.Fatal(err)
	}
	var statuses []int
	for _, a := range res.After.Attempts {
		statuses = append(statuses, a.Status)
	}
	if len(statuses) != 2 || statuses[0] != 500 || statuses[1] != 200 {
		t.Errorf("AfterSendMessage answered %v, want [500 200]", statuses)
	}
	if got := f.read(t, res.Message.MessageID); got.Status != recalledStatus {
		t.Errorf("the message reads %+v, want it recalled", got)
	}
}

// TestRunService takes the path that serves Volcengine, with the client
// pointed at a volcimtest server that knows the keys.
func TestRunService(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer(volcimtest.WithCredentials("AKLTmoderation0001", "moderation-secret"))
	defer srv.Close()
	srv.AddParticipants(demoApp, demoConv, volcim.Participant{UserID: mallory})
	env := envOf(map[string]string{
		volcim.EnvAccessKey: "AKLTmoderation0001",
		volcim.EnvSecretKey: "moderation-secret",
		EnvCallbackSecret:   "console-callback-secret",
	})
	out := &syncBuffer{watch: regexp.MustCompile(`url=(\S+)`), found: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, out, []string{"-app", "123456", "-addr", "127.0.0.1:0", "-endpoint", srv.URL, "-banned", "Spam, eggs"}, env)
	}()
	var url string
	select {
	case url = <-out.found:
	case err := <-done:
		t.Fatalf("run returned before serving: %v\n%s", err, out.String())
	}

	cb := srv.Callbacks(url, "console-callback-secret")
	res, err := cb.SendAsUser(context.Background(), volcimtest.UserMessage{AppID: demoApp, ConversationShortID: demoConv, Sender: mallory, Content: volcim.TextContent("green EGGS")})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Blocked {
		t.Errorf("not blocked: %+v", res)
	}
	// Another app's events are refused.
	if _, err := cb.DeliverEvent(context.Background(), volcimtest.CallbackEvent{Type: "X", AppID: 999, NoRetry: true}); !errors.Is(err, volcimtest.ErrCallbackFailed) {
		t.Errorf("another app's event: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	mustContain(t, out.String(), "serving callbacks", "banned=spam,eggs", `msg="blocked a message"`)
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	creds := map[string]string{volcim.EnvAccessKey: "AKLT1", volcim.EnvSecretKey: "sk"}
	withSecret := map[string]string{volcim.EnvAccessKey: "AKLT1", volcim.EnvSecretKey: "sk", EnvCallbackSecret: "s"}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no callback secret", []string{"-app", "1"}, creds, EnvCallbackSecret + " is not set"},
		{"no app", nil, withSecret, "-app is required"},
		{"no banned word", []string{"-banned", " , "}, nil, "no word to ban"},
		{"an argument", []string{"extra"}, nil, `unexpected argument "extra"`},
		{"a bad flag", []string{"-nope"}, nil, "flag provided but not defined"},
	}
	for _, tc := range tests {
		err := run(context.Background(), new(syncBuffer), tc.args, envOf(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.want)
		}
	}
	var out syncBuffer
	if err := run(context.Background(), &out, []string{"-h"}, envOf(nil)); err != nil {
		t.Fatal(err)
	}
	mustContain(t, out.String(), "Usage: moderation", "-banned")
}
