package volcim_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

const (
	msgApp  = 100001
	msgConv = 7171275522159198471
)

// newMessageServer starts a server with an empty group conversation and a
// client with fast retries.
func newMessageServer(t *testing.T, opts ...volcimtest.Option) (*volcimtest.Server, *volcim.Client) {
	t.Helper()
	srv := volcimtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.AddConversation(volcim.Conversation{AppID: msgApp, ConversationShortID: msgConv, ConversationType: volcim.ConversationGroup})
	c, err := srv.Client(volcim.WithAppID(msgApp), volcim.WithRateLimit(1e6),
		volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestSendMessageAndReadItBack(t *testing.T) {
	t.Parallel()
	_, c := newMessageServer(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 8, 0, 0, 123_000_000, time.UTC)
	sent, err := c.SendMessage(ctx, &volcim.SendMessageRequest{
		ConversationShortID: msgConv,
		Sender:              10001,
		MsgType:             volcim.MessageText,
		Content:             volcim.TextContent("hello, 世界"),
		CreateTime:          at,
		Ext:                 map[string]string{"k": "v"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageID <= 1<<53 || !uuidV4.MatchString(sent.ClientMsgID) || sent.RequestID == "" {
		t.Fatalf("response %+v: want a message id beyond 2^53, a UUID v4 key and a request id", sent)
	}
	got, err := c.GetMessages(ctx, &volcim.GetMessagesRequest{ConversationShortID: msgConv, MessageIDs: []int64{sent.MessageID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 1 {
		t.Fatalf("%d messages read back, want 1", len(got.Messages))
	}
	m := got.Messages[0]
	text, ok := m.Text()
	if !ok || text != "hello, 世界" || m.Sender != 10001 || m.ClientMsgID != sent.ClientMsgID || !m.CreateTime.Equal(at) || m.Ext["k"] != "v" {
		t.Errorf("read back %+v (text %q %v)", m, text, ok)
	}
	page, err := c.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{ConversationShortID: msgConv, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) != 1 || page.Messages[0].MessageID != sent.MessageID || page.Messages[0].IndexInConversation <= 0 {
		t.Errorf("page %+v", page.Messages)
	}
}

func TestSendMessageKeepsTheCallersKey(t *testing.T) {
	t.Parallel()
	_, c := newMessageServer(t)
	ctx := context.Background()
	req := &volcim.SendMessageRequest{ConversationShortID: msgConv, Sender: 1, MsgType: volcim.MessageText, Content: volcim.TextContent("once"), ClientMsgID: "order-42-shipped"}
	first, err := c.SendMessage(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.SendMessage(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if first.ClientMsgID != "order-42-shipped" || again.MessageID != first.MessageID {
		t.Errorf("first %+v, again %+v: one key must give one message", first, again)
	}
}

// TestSendMessageRetriedAfterALostReplyStoresOne drops the reply of a send
// that the server carried out: the client retries with the same key, and
// the conversation holds one message, not two.
func TestSendMessageRetriedAfterALostReplyStoresOne(t *testing.T) {
	t.Parallel()
	for _, kind := range []volcimtest.FaultKind{volcimtest.FaultTruncate, volcimtest.FaultDropReply} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			srv, c := newMessageServer(t)
			srv.Script(volcimtest.Fault{Kind: kind, Action: "SendMessage"})
			sent, err := c.SendMessage(context.Background(), &volcim.SendMessageRequest{ConversationShortID: msgConv, Sender: 1, MsgType: volcim.MessageText, Content: volcim.TextContent("once")})
			if err != nil {
				t.Fatal(err)
			}
			page, err := c.GetConversationMessages(context.Background(), &volcim.GetConversationMessagesRequest{ConversationShortID: msgConv, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Messages) != 1 || page.Messages[0].MessageID != sent.MessageID {
				t.Fatalf("%d messages stored after a retried send, want 1 (%+v)", len(page.Messages), page.Messages)
			}
			var sends int
			for _, r := range srv.Requests() {
				if r.Action == "SendMessage" {
					sends++
				}
			}
			if sends != 2 {
				t.Errorf("%d SendMessage requests, want 2 (the faulted one and its retry)", sends)
			}
		})
	}
}

func TestSendMessageInvalidRequests(t *testing.T) {
	t.Parallel()
	srv, c := newMessageServer(t)
	ok := func() *volcim.SendMessageRequest {
		return &volcim.SendMessageRequest{ConversationShortID: msgConv, Sender: 1, MsgType: volcim.MessageText, Content: "{}"}
	}
	for _, tc := range []struct {
		field string
		edit  func(r *volcim.SendMessageRequest)
	}{
		{"ConversationShortID", func(r *volcim.SendMessageRequest) { r.ConversationShortID = 0 }},
		{"Sender", func(r *volcim.SendMessageRequest) { r.Sender = 0 }},
		{"Sender", func(r *volcim.SendMessageRequest) { r.Sender = -1 }},
		{"MsgType", func(r *volcim.SendMessageRequest) { r.MsgType = 0 }},
		{"Content", func(r *volcim.SendMessageRequest) { r.Content = "" }},
		{"MentionedUsers", func(r *volcim.SendMessageRequest) { r.MentionedUsers = []int64{1, 0} }},
		{"VisibleUsers", func(r *volcim.SendMessageRequest) { r.VisibleUsers = []int64{-3} }},
		{"InvisibleUsers", func(r *volcim.SendMessageRequest) { r.InvisibleUsers = []int64{0} }},
		{"Priority", func(r *volcim.SendMessageRequest) { r.Priority = volcim.Ptr(volcim.MessagePriority(3)) }},
		{"AppID", func(r *volcim.SendMessageRequest) { r.AppID = -1 }},
	} {
		r := ok()
		tc.edit(r)
		_, err := c.SendMessage(context.Background(), r)
		var ire *volcim.InvalidRequestError
		if !errors.As(err, &ire) || ire.Field != tc.field || ire.Action != "SendMessage" {
			t.Errorf("%s: err %v, want an InvalidRequestError on %s", tc.field, err, tc.field)
		}
	}
	if _, err := c.SendMessage(context.Background(), nil); !errors.Is(err, volcim.ErrInvalidRequest) {
		t.Errorf("nil request: %v", err)
	}
	r := ok()
	r.Sender, r.SenderStr = 0, "alice"
	if _, err := c.SendMessage(context.Background(), r); err != nil {
		t.Errorf("SenderStr alone: %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests reached the server, want only the valid one", n)
	}
}

// TestSendMessageToAMissingConversation checks that the server's error
// reaches the caller typed.
func TestSendMessageToAMissingConversation(t *testing.T) {
	t.Parallel()
	_, c := newMessageServer(t)
	_, err := c.SendMessage(context.Background(), &volcim.SendMessageRequest{ConversationShortID: 42, Sender: 1, MsgType: volcim.MessageText, Content: "{}"})
	var apiErr *volcim.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != volcim.CodeConversationNotFound || apiErr.Attempts != 1 {
		t.Fatalf("err %v, want ConversationNotFound after one attempt", err)
	}
}

func TestTextContent(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"", "hi", `quote " and \ backslash`, "<b>&</b>", "emoji 😀, 中文"} {
		m := volcim.Message{MsgType: volcim.MessageText, Content: volcim.TextContent(text)}
		if got, ok := m.Text(); !ok || got != text {
			t.Errorf("Text of TextContent(%q) = %q, %v", text, got, ok)
		}
	}
	for _, m := range []volcim.Message{
		{MsgType: volcim.MessageImage, Content: volcim.TextContent("x")},
		{MsgType: volcim.MessageText, Content: "plain, not JSON"},
		{MsgType: volcim.MessageText, Content: `{"other":1}`},
	} {
		if got, ok := m.Text(); ok {
			t.Errorf("Text of %+v = %q, true; want false", m, got)
		}
	}
	s, err := volcim.CustomContent(map[string]int{"n": 1})
	if err != nil || s != `{"n":1}` {
		t.Errorf("CustomContent = %q, %v", s, err)
	}
	if _, err := volcim.CustomContent(func() {}); err == nil {
		t.Error("CustomContent of a func succeeded")
	}
}

// requestsOf counts the requests of action the server received.
func requestsOf(srv *volcimtest.Server, action string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Action == action {
			n++
		}
	}
	return n
}

// send sends a text message into msgConv and returns its id.
func send(t *testing.T, c *volcim.Client, sender int64, text string) int64 {
	t.Helper()
	resp, err := c.SendMessage(context.Background(), &volcim.SendMessageRequest{ConversationShortID: msgConv, Sender: sender, MsgType: volcim.MessageText, Content: volcim.TextContent(text)})
	if err != nil {
		t.Fatal(err)
	}
	return resp.MessageID
}

// getOne reads message id of msgConv back through GetMessages; ok is false
// when the server no longer returns it.
func getOne(t *testing.T, c *volcim.Client, id int64) (volcim.Message, bool) {
	t.Helper()
	resp, err := c.GetMessages(context.Background(), &volcim.GetMessagesRequest{ConversationShortID: msgConv, MessageIDs: []int64{id}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Messages) == 0 {
		return volcim.Message{}, false
	}
	return resp.Messages[0], true
}

// pageIDs returns the ids of msgConv's messages, oldest first.
func pageIDs(t *testing.T, c *volcim.Client) []int64 {
	t.Helper()
	resp, err := c.GetConversationMessages(context.Background(), &volcim.GetConversationMessagesRequest{ConversationShortID: msgConv, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(resp.Messages))
	for i, m := range resp.Messages {
		ids[i] = m.MessageID
	}
	return ids
}

// weights records the weight of every limiter wait, by action.
type weights struct {
	mu sync.Mutex
	w  map[string][]int
}

func (l *weights) Wait(_ context.Context, action string, weight int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w == nil {
		l.w = make(map[string][]int)
	}
	l.w[action] = append(l.w[action], weight)
	return nil
}

func (*weights) Throttled(string, time.Duration) {}

func (l *weights) of(action string) []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.w[action])
}

func TestBatchSendMessageDeliversIntoOneToOnes(t *testing.T) {
	t.Parallel()
	lim := &weights{}
	srv, _ := newMessageServer(t)
	c, err := srv.Client(volcim.WithAppID(msgApp), volcim.WithLimiter(lim))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const sender = 10001
	receivers := []int64{20001, 20002, 20003}
	req := &volcim.BatchSendMessageRequest{Sender: sender, Receivers: receivers, MsgType: volcim.MessageText, Content: volcim.TextContent("公告: release at 5pm"), Ext: map[string]string{"campaign": "r1"}, InboxType: 2}
	first, err := c.BatchSendMessage(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.UserMessageIDs) != 3 || len(first.FailedReceivers) != 0 || first.RequestID == "" {
		t.Fatalf("response %+v", first)
	}
	if w := lim.of("BatchSendMessage"); !slices.Equal(w, []int{3}) {
		t.Errorf("limiter weights %v, want [3]: a call weighs its receivers", w)
	}
	second, err := c.BatchSendMessage(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range receivers {
		conv, ok := srv.OneToOneConversation(msgApp, 2, sender, r)
		if !ok {
			t.Fatalf("no one-to-one conversation of %d and %d in inbox 2", sender, r)
		}
		if _, ok := srv.OneToOneConversation(msgApp, 0, sender, r); ok {
			t.Errorf("a conversation of %d and %d in inbox 0: the inbox is ignored", sender, r)
		}
		page, err := c.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{ConversationShortID: conv, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Messages) != 2 {
			t.Fatalf("receiver %d: %d messages in the one-to-one, want 2 (one per batch, one conversation)", r, len(page.Messages))
		}
		for i, want := range []int64{first.UserMessageIDs[r], second.UserMessageIDs[r]} {
			m := page.Messages[i]
			text, _ := m.Text()
			if m.MessageID != want || m.Sender != sender || m.ConversationType != volcim.ConversationOneToOne || text != "公告: release at 5pm" || m.Ext["campaign"] != "r1" {
				t.Errorf("receiver %d message %d: %+v, want id %d", r, i, m, want)
			}
		}
		if page.Messages[1].IndexInConversation <= page.Messages[0].IndexInConversation {
			t.Errorf("receiver %d: indexes %d then %d", r, page.Messages[0].IndexInConversation, page.Messages[1].IndexInConversation)
		}
	}
}

func TestBatchSendMessagePartialFailure(t *testing.T) {
	t.Parallel()
	_, c := newMessageServer(t)
	// volcimtest cannot deliver to the sender itself: no one-to-one
	// conversation holds one user twice.
	resp, err := c.BatchSendMessage(context.Background(), &volcim.BatchSendMessageRequest{
		Sender: 10001, Receivers: []int64{20001, 10001, 20002}, MsgType: volcim.MessageText, Content: volcim.TextContent("hi"), IsNormalUser: true,
	})
	var pf *volcim.PartialFailureError
	if !errors.As(err, &pf) || !errors.Is(err, volcim.ErrPartialFailure) {
		t.Fatalf("err %v, want a *PartialFailureError", err)
	}
	if resp == nil {
		t.Fatal("no response with the partial failure")
	}
	if len(pf.Failed) != 1 || pf.Failed[0].UserID != 10001 || pf.Action != "BatchSendMessage" || pf.RequestID != resp.RequestID {
		t.Errorf("failed items %+v", pf)
	}
	if !slices.Equal(resp.FailedReceivers, []int64{10001}) || len(resp.UserMessageIDs) != 2 || resp.UserMessageIDs[20001] == 0 || resp.UserMessageIDs[20002] == 0 {
		t.Errorf("response %+v", resp)
	}
	if errors.Is(err, volcim.ErrOutcomeUnknown) {
		t.Error("a partial failure is not an unknown outcome")
	}
}

// TestBatchSendMessageIsNotRetriedOnceSent breaks the connection after the
// request was written, before and after the server acted: the client must
// not send it again, and must say the outcome is unknown.
func TestBatchSendMessageIsNotRetriedOnceSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind   volcimtest.FaultKind
		stored bool // whether the server carried it out
	}{
		{volcimtest.FaultDrop, false},
		{volcimtest.FaultDropReply, true},
		{volcimtest.FaultTruncate, true},
	} {
		t.Run(tc.kind.String(), func(t *testing.T) {
			t.Parallel()
			srv, c := newMessageServer(t)
			srv.Script(volcimtest.Fault{Kind: tc.kind, Action: "BatchSendMessage"})
			resp, err := c.BatchSendMessage(context.Background(), &volcim.BatchSendMessageRequest{Sender: 1, Receivers: []int64{2}, MsgType: volcim.MessageText, Content: volcim.TextContent("once")})
			if resp != nil || !errors.Is(err, volcim.ErrOutcomeUnknown) {
				t.Fatalf("resp %v, err %v: want ErrOutcomeUnknown", resp, err)
			}
			var te *volcim.TransportError
			if !errors.As(err, &te) || !te.OutcomeUnknown || te.Attempts != 1 {
				t.Errorf("err %#v: want a *TransportError with OutcomeUnknown after 1 attempt", err)
			}
			if n := requestsOf(srv, "BatchSendMessage"); n != 1 {
				t.Errorf("%d BatchSendMessage requests, want 1: no retry", n)
			}
			conv, ok := srv.OneToOneConversation(msgApp, 0, 1, 2)
			if ok != tc.stored {
				t.Fatalf("conversation created: %v, want %v", ok, tc.stored)
			}
			if ok {
				page, err := c.GetConversationMessages(context.Background(), &volcim.GetConversationMessagesRequest{ConversationShortID: conv, Limit: 20})
				if err != nil || len(page.Messages) != 1 {
					t.Errorf("%v messages stored (err %v), want 1", page, err)
				}
			}
		})
	}
}

// TestUnsafeActionsAre5xxOutcomeUnknown: a server error does not prove the
// server did not act, so the writes with no key are not retried.
func TestUnsafeActionsAre5xxOutcomeUnknown(t *testing.T) {
	t.Parallel()
	for _, kind := range []volcimtest.FaultKind{volcimtest.Fault500, volcimtest.Fault502, volcimtest.Fault503} {
		for _, action := range []string{"BatchSendMessage", "UserBroadcast"} {
			t.Run(action+"/"+kind.String(), func(t *testing.T) {
				t.Parallel()
				srv, c := newMessageServer(t)
				srv.Script(volcimtest.Fault{Kind: kind, Action: action})
				err := callUnsafe(c, action)
				var apiErr *volcim.APIError
				if !errors.Is(err, volcim.ErrOutcomeUnknown) || !errors.As(err, &apiErr) || !apiErr.OutcomeUnknown || apiErr.Attempts != 1 {
					t.Fatalf("err %v: want an *APIError with OutcomeUnknown after 1 attempt", err)
				}
				if n := requestsOf(srv, action); n != 1 {
					t.Errorf("%d requests, want 1", n)
				}
			})
		}
	}
}

// callUnsafe makes one call of a write with no idempotency key.
func callUnsafe(c *volcim.Client, action string) error {
	ctx := context.Background()
	switch action {
	case "BatchSendMessage":
		_, err := c.BatchSendMessage(ctx, &volcim.BatchSendMessageRequest{Sender: 1, Receivers: []int64{2, 3}, MsgType: volcim.MessageText, Content: volcim.TextContent("x")})
		return err
	case "UserBroadcast":
		_, err := c.UserBroadcast(ctx, &volcim.UserBroadcastRequest{Sender: 1, MsgType: volcim.MessageText, Content: volcim.TextContent("x"), TTL: time.Hour})
		return err
	}
	panic(action)
}

// refusedFirst returns an HTTP client whose first connection goes to a
// loopback port nobody listens on, which the system refuses before a byte
// of the request is written, and every later one to where it was meant to.
func refusedFirst(t *testing.T) (*http.Client, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			addr = dead
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}, &dials
}

// TestUnsafeActionsAreRetriedWhenRefusedBeforeWriting: a connection refused
// before anything was written proves the server did not act.
func TestUnsafeActionsAreRetriedWhenRefusedBeforeWriting(t *testing.T) {
	t.Parallel()
	for _, action := range []string{"BatchSendMessage", "UserBroadcast"} {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			srv, _ := newMessageServer(t)
			hc, dials := refusedFirst(t)
			c, err := srv.Client(volcim.WithHTTPClient(hc), volcim.WithAppID(msgApp), volcim.WithRateLimit(1e6),
				volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			if err := callUnsafe(c, action); err != nil {
				t.Fatalf("%v: want a success after the refused connection", err)
			}
			if n := dials.Load(); n != 2 {
				t.Errorf("%d connections dialled, want 2 (the refused one, then the server)", n)
			}
			if n := requestsOf(srv, action); n != 1 {
				t.Errorf("%d requests reached the server, want 1", n)
			}
			switch action {
			case "BatchSendMessage":
				if _, ok := srv.OneToOneConversation(msgApp, 0, 1, 3); !ok {
					t.Error("the message was not delivered")
				}
			case "UserBroadcast":
				if n := len(srv.Broadcasts()); n != 1 {
					t.Errorf("%d broadcasts, want 1", n)
				}
			}
		})
	}
}

// TestThrottlingIsRetriedForEveryClass: a 429 proves the server did not act,
// so every retry class retries it.
func TestThrottlingIsRetriedForEveryClass(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		action string
		call   func(ctx context.Context, c *volcim.Client, id int64) error
		check  func(t *testing.T, srv *volcimtest.Server, c *volcim.Client, id int64)
	}{
		{"SendMessage", func(ctx context.Context, c *volcim.Client, _ int64) error {
			_, err := c.SendMessage(ctx, &volcim.SendMessageRequest{ConversationShortID: msgConv, Sender: 1, MsgType: volcim.MessageText, Content: volcim.TextContent("k")})
			return err
		}, func(t *testing.T, _ *volcimtest.Server, c *volcim.Client, _ int64) {
			if n := len(pageIDs(t, c)); n != 2 {
				t.Errorf("%d messages, want 2 (the seed and the one sent)", n)
			}
		}},
		{"GetMessages", func(ctx context.Context, c *volcim.Client, id int64) error {
			resp, err := c.GetMessages(ctx, &volcim.GetMessagesRequest{ConversationShortID: msgConv, MessageIDs: []int64{id}})
			if err == nil && len(resp.Messages) != 1 {
				err = fmt.Errorf("%d messages read", len(resp.Messages))
			}
			return err
		}, nil},
		{"ModifyMessage", func(ctx context.Context, c *volcim.Client, id int64) error {
			_, err := c.ModifyMessage(ctx, &volcim.ModifyMessageRequest{ConversationShortID: msgConv, MessageID: id, Ext: map[string]string{"k": "v"}})
			return err
		}, func(t *testing.T, _ *volcimtest.Server, c *volcim.Client, id int64) {
			if m, _ := getOne(t, c, id); m.Ext["k"] != "v" {
				t.Errorf("Ext %v", m.Ext)
			}
		}},
		{"BatchSendMessage", func(ctx context.Context, c *volcim.Client, _ int64) error {
			return callUnsafe(c, "BatchSendMessage")
		}, func(t *testing.T, srv *volcimtest.Server, _ *volcim.Client, _ int64) {
			if _, ok := srv.OneToOneConversation(msgApp, 0, 1, 2); !ok {
				t.Error("not delivered")
			}
		}},
		{"UserBroadcast", func(ctx context.Context, c *volcim.Client, _ int64) error {
			return callUnsafe(c, "UserBroadcast")
		}, func(t *testing.T, srv *volcimtest.Server, _ *volcim.Client, _ int64) {
			if n := len(srv.Broadcasts()); n != 1 {
				t.Errorf("%d broadcasts, want 1", n)
			}
		}},
	} {
		t.Run(tc.action, func(t *testing.T) {
			t.Parallel()
			srv, c := newMessageServer(t)
			id := send(t, c, 1, "seed")
			srv.Script(volcimtest.Fault{Kind: volcimtest.Fault429, Action: tc.action})
			if err := tc.call(context.Background(), c, id); err != nil {
				t.Fatalf("%v: want a success after the 429", err)
			}
			want := 2
			if tc.action == "SendMessage" {
				want = 3 // the seed too
			}
			if n := requestsOf(srv, tc.action); n != want {
				t.Errorf("%d %s requests, want %d", n, tc.action, want)
			}
			if tc.check != nil {
				tc.check(t, srv, c, id)
			}
		})
	}
}

func TestUserBroadcast(t *testing.T) {
	t.Parallel()
	at := time.Now().UTC() // a fixed server clock; X-Date is checked against it
	srv, c := newMessageServer(t, volcimtest.WithClock(func() time.Time { return at }))
	ctx := context.Background()
	for _, req := range []*volcim.UserBroadcastRequest{
		{Sender: 104, MsgType: volcim.MessageText, Content: volcim.TextContent("维护通知"), TTL: volcim.MinBroadcastTTL},
		{Sender: 104, MsgType: volcim.MessageCustom, Content: `{"type":2}`, TTL: volcim.MaxBroadcastTTL, Tags: []string{"vip", "level:3"}, TagOp: volcim.TagOpAll, Ext: map[string]string{"k": "v"}, InboxType: 1},
	} {
		if _, err := c.UserBroadcast(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.Broadcasts()
	want := []volcimtest.Broadcast{
		{AppID: msgApp, Sender: 104, MsgType: volcim.MessageText, Content: `{"text":"维护通知"}`, TTL: time.Second, Time: at},
		{AppID: msgApp, Sender: 104, MsgType: volcim.MessageCustom, Content: `{"type":2}`, TTL: 7 * 24 * time.Hour, Tags: []string{"vip", "level:3"}, TagOp: volcim.TagOpAll, Ext: map[string]string{"k": "v"}, InboxType: 1, Time: at},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("broadcasts\n got %+v\nwant %+v", got, want)
	}
}

func TestModifyMessage(t *testing.T) {
	t.Parallel()
	_, c := newMessageServer(t)
	ctx := context.Background()
	resp, err := c.SendMessage(ctx, &volcim.SendMessageRequest{ConversationShortID: msgConv, Sender: 1, MsgType: volcim.MessageText, Content: volcim.TextContent("draft"), Ext: map[string]string{"a": "1", "b": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	id := resp.MessageID
	if _, err := c.ModifyMessage(ctx, &volcim.ModifyMessageRequest{ConversationShortID: msgConv, MessageID: id, Content: volcim.TextContent("final"), Ext: map[string]string{"b": "two", "c": "3"}}); err != nil {
		t.Fatal(err)
	}
	m, _ := getOne(t, c, id)
	if text, _ := m.Text(); text != "final" || !maps.Equal(m.Ext, map[string]string{"a": "1", "b": "two", "c": "3"}) {
		t.Errorf("after modify: text %q, Ext %v (Ext must merge)", text, m.Ext)
	}
	if _, err := c.ModifyMessage(ctx, &volcim.ModifyMessageRequest{ConversationShortID: msgConv, MessageID: id, Ext: map[string]string{"a": "one"}}); err != nil {
		t.Fatal(err)
	}
	m, _ = getOne(t, c, id)
	if text, _ := m.Text(); text != "final" || m.Ext["a"] != "one" || len(m.Ext) != 3 {
		t.Errorf("after an Ext-only modify: text %q, Ext %v (Content must stay)", text, m.Ext)
	}
	if _, err := c.ModifyMessage(ctx, &volcim.ModifyMessageRequest{ConversationShortID: msgConv, MessageID: 42, Ext: map[string]string{"a": "1"}}); apiCode(err) != volcim.CodeMessageNotFound {
		t.Errorf("modify of a missing message: %v", err)
	}
	if _, err := c.RecallMessage(ctx, &volcim.RecallMessageRequest{ConversationShortID: msgConv, MessageID: id, ParticipantUserID: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ModifyMessage(ctx, &volcim.ModifyMessageRequest{ConversationShortID: msgConv, MessageID: id, Content: volcim.TextContent("again")}); apiCode(err) != volcim.CodeInvalidParam {
		t.Errorf("modify of a recalled message: %v, want InvalidParam", err)
	}
}

func TestRecallMessage(t *testing.T) {
	t.Parallel()
	srv, c := newMessageServer(t)
	ctx := context.Background()
	id := send(t, c, 1, "oops")
	quote, err := c.SendMessage(ctx, &volcim.SendMessageRequest{ConversationShortID: msgConv, Sender: 2, MsgType: volcim.MessageText, Content: volcim.TextContent("what?"), RefMsgInfo: &volcim.RefMsgInfo{ReferencedMessageID: id, Hint: "oops"}})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // a recall of a recalled message succeeds: retries converge
		if _, err := c.RecallMessage(ctx, &volcim.RecallMessageRequest{ConversationShortID: msgConv, MessageID: id, ParticipantUserID: 1}); err != nil {
			t.Fatal(err)
		}
	}
	m, ok := getOne(t, c, id)
	if !ok || m.Status != volcimtest.MessageRecalled || m.Content != "" || m.Status.String() != "MessageStatus(3)" {
		t.Errorf("recalled message read back as %+v (found %v)", m, ok)
	}
	if ids := pageIDs(t, c); !slices.Equal(ids, []int64{id, quote.MessageID}) {
		t.Errorf("page %v: a recalled message stays in the conversation", ids)
	}
	q, _ := getOne(t, c, quote.MessageID)
	if q.RefMsgInfo == nil || q.RefMsgInfo.Status != volcim.RefMessageRecalled {
		t.Errorf("quote of the recalled message: %+v", q.RefMsgInfo)
	}
	if !srv.MessageVisibleTo(msgApp, msgConv, id, 2) {
		t.Error("a recalled message is still shown, as a recall notice")
	}
}

func TestRecallMessageRoles(t *testing.T) {
	t.Parallel()
	srv, c := newMessageServer(t)
	ctx := context.Background()
	srv.AddParticipants(msgApp, msgConv,
		volcim.Participant{UserID: 1, Role: volcim.RoleOwner},
		volcim.Participant{UserID: 2, Role: volcim.RoleManager},
		volcim.Participant{UserID: 3},
		volcim.Participant{UserID: 4},
	)
	for _, tc := range []struct {
		user int64
		role volcim.RecallRole
		code string
	}{
		{4, volcim.RecallAsMember, volcim.CodeNoAuth},                      // not the sender
		{3, volcim.RecallAsOwner, volcim.CodeNoAuth},                       // not the owner
		{3, volcim.RecallAsManager, volcim.CodeNoAuth},                     // not a manager
		{2, volcim.RecallAsOwner, volcim.CodeNoAuth},                       // a manager is not the owner
		{9, volcim.RecallAsOwner, volcim.CodeParticipantNotInConversation}, // not a member
		{3, volcim.RecallAsMember, ""},                                     // the sender
		{1, volcim.RecallAsOwner, ""},
		{2, volcim.RecallAsManager, ""},
		{1, volcim.RecallAsManager, ""}, // the owner may act as a manager
	} {
		id := send(t, c, 3, "by 3")
		_, err := c.RecallMessage(ctx, &volcim.RecallMessageRequest{ConversationShortID: msgConv, MessageID: id, ParticipantUserID: tc.user, RecallRole: tc.role})
		if apiCode(err) != tc.code || (tc.code == "") != (err == nil) {
			t.Errorf("user %d as %v: err %v, want code %q", tc.user, tc.role, err, tc.code)
		}
		m, _ := getOne(t, c, id)
		if recalled := m.Status == volcimtest.MessageRecalled; recalled != (tc.code == "") {
			t.Errorf("user %d as %v: status %v", tc.user, tc.role, m.Status)
		}
	}
}

func TestDeleteConversationMessage(t *testing.T) {
	t.Parallel()
	srv, c := newMessageServer(t)
	ctx := context.Background()
	srv.AddParticipants(msgApp, msgConv, volcim.Participant{UserID: 1}, volcim.Participant{UserID: 2})
	gone, kept, last := send(t, c, 1, "gone"), send(t, c, 1, "kept for the sender"), send(t, c, 2, "last")
	quote, err := c.SendMessage(ctx, &volcim.SendMessageRequest{ConversationShortID: msgConv, Sender: 2, MsgType: volcim.MessageText, Content: "{}", RefMsgInfo: &volcim.RefMsgInfo{ReferencedMessageID: gone}})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // deleting a deleted message succeeds: retries converge
		if _, err := c.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{ConversationShortID: msgConv, MessageID: gone}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{ConversationShortID: msgConv, MessageID: kept, DeleteType: volcim.DeleteExceptSender}); err != nil {
		t.Fatal(err)
	}
	if _, ok := getOne(t, c, gone); ok {
		t.Error("GetMessages still returns a message deleted for everyone")
	}
	if ids := pageIDs(t, c); !slices.Equal(ids, []int64{kept, last, quote.MessageID}) {
		t.Errorf("page %v, want %v: type 0 removes, type 1 keeps the message in the server's reads", ids, []int64{kept, last, quote.MessageID})
	}
	if q, _ := getOne(t, c, quote.MessageID); q.RefMsgInfo == nil || q.RefMsgInfo.Status != volcim.RefMessageDeleted {
		t.Errorf("quote of the deleted message: %+v", q.RefMsgInfo)
	}
	for _, v := range []struct {
		id, user int64
		want     bool
	}{{gone, 1, false}, {gone, 2, false}, {kept, 1, true}, {kept, 2, false}, {last, 1, true}} {
		if got := srv.MessageVisibleTo(msgApp, msgConv, v.id, v.user); got != v.want {
			t.Errorf("MessageVisibleTo(message %d, user %d) = %v", v.id, v.user, got)
		}
	}
	if _, err := c.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{ConversationShortID: msgConv, MessageID: 42}); apiCode(err) != volcim.CodeMessageNotFound {
		t.Errorf("delete of a missing message: %v", err)
	}

	const live = 7171275522159198999
	srv.AddConversation(volcim.Conversation{AppID: msgApp, ConversationShortID: live, ConversationType: volcim.ConversationLiveGroup})
	lm, err := c.SendMessage(ctx, &volcim.SendMessageRequest{ConversationShortID: live, Sender: 1, MsgType: volcim.MessageText, Content: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{ConversationShortID: live, MessageID: lm.MessageID, DeleteType: volcim.DeleteExceptSender})
	if apiCode(err) != volcim.CodeLiveConversationNotSupport {
		t.Errorf("DeleteExceptSender in a live group: %v", err)
	}
	if _, err := c.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{ConversationShortID: live, MessageID: lm.MessageID}); err != nil {
		t.Errorf("DeleteForEveryone in a live group: %v", err)
	}
}

func TestDeleteMessageHidesItForOneMember(t *testing.T) {
	t.Parallel()
	srv, c := newMessageServer(t)
	ctx := context.Background()
	srv.AddParticipants(msgApp, msgConv, volcim.Participant{UserID: 1}, volcim.Participant{UserID: 2}, volcim.Participant{UserID: 3})
	id := send(t, c, 1, "hello")
	for range 2 {
		if _, err := c.DeleteMessage(ctx, &volcim.DeleteMessageRequest{ConversationShortID: msgConv, MessageID: id, ParticipantUserID: 2}); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := getOne(t, c, id); !ok {
		t.Error("the server's read lost a message deleted for one member")
	}
	for user, want := range map[int64]bool{1: true, 2: false, 3: true, 9: false} {
		if got := srv.MessageVisibleTo(msgApp, msgConv, id, user); got != want {
			t.Errorf("MessageVisibleTo(user %d) = %v", user, got)
		}
	}
	if _, err := c.DeleteMessage(ctx, &volcim.DeleteMessageRequest{ConversationShortID: msgConv, MessageID: id, ParticipantUserID: 9}); apiCode(err) != volcim.CodeParticipantNotInConversation {
		t.Errorf("delete for a non-member: %v", err)
	}
	if _, err := c.DeleteMessage(ctx, &volcim.DeleteMessageRequest{ConversationShortID: msgConv, MessageID: 42, ParticipantUserID: 1}); apiCode(err) != volcim.CodeMessageNotFound {
		t.Errorf("delete of a missing message: %v", err)
	}
}

func TestGetMessagesReadReceipt(t *testing.T) {
	t.Parallel()
	srv, c := newMessageServer(t)
	ctx := context.Background()
	srv.AddParticipants(msgApp, msgConv,
		volcim.Participant{UserID: 1, UserIDStr: "ann"}, volcim.Participant{UserID: 2, UserIDStr: "bo"}, volcim.Participant{UserID: 3, UserIDStr: "cy"})
	m1, m2 := send(t, c, 1, "one"), send(t, c, 2, "two")
	first, _ := getOne(t, c, m1)
	srv.SetReadIndex(msgApp, msgConv, 3, first.IndexInConversation) // 3 has read m1 only
	resp, err := c.GetMessagesReadReceipt(ctx, &volcim.GetMessagesReadReceiptRequest{ConversationShortID: msgConv, MessageIDs: []int64{m1, m2, 42}})
	if err != nil {
		t.Fatal(err)
	}
	want := []volcim.ReadReceipt{
		{ConversationShortID: msgConv, MessageID: m1, ReadUserIDs: []int64{1, 3}, ReadUserIDsStr: []string{"ann", "cy"}, UnreadUserIDs: []int64{2}, UnreadUserIDsStr: []string{"bo"}},
		{ConversationShortID: msgConv, MessageID: m2, ReadUserIDs: []int64{2}, ReadUserIDsStr: []string{"bo"}, UnreadUserIDs: []int64{1, 3}, UnreadUserIDsStr: []string{"ann", "cy"}},
	}
	if !reflect.DeepEqual(resp.ReadReceipts, want) {
		t.Errorf("receipts\n got %+v\nwant %+v", resp.ReadReceipts, want)
	}

	// One-to-one: ReceiverIsRead follows the receiver's read index.
	if _, err := c.BatchSendMessage(ctx, &volcim.BatchSendMessageRequest{Sender: 10, Receivers: []int64{20}, MsgType: volcim.MessageText, Content: "{}"}); err != nil {
		t.Fatal(err)
	}
	conv, _ := srv.OneToOneConversation(msgApp, 0, 10, 20)
	page, err := c.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{ConversationShortID: conv, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	m := page.Messages[0]
	receipt := func() volcim.ReadReceipt {
		resp, err := c.GetMessagesReadReceipt(ctx, &volcim.GetMessagesReadReceiptRequest{ConversationShortID: conv, MessageIDs: []int64{m.MessageID}})
		if err != nil || len(resp.ReadReceipts) != 1 {
			t.Fatalf("%v, %v", resp, err)
		}
		return resp.ReadReceipts[0]
	}
	if r := receipt(); r.ReceiverIsRead || !slices.Equal(r.ReadUserIDs, []int64{10}) || !slices.Equal(r.UnreadUserIDs, []int64{20}) {
		t.Errorf("before the receiver read: %+v", r)
	}
	srv.SetReadIndex(msgApp, conv, 20, m.IndexInConversation)
	if r := receipt(); !r.ReceiverIsRead || !slices.Equal(r.ReadUserIDs, []int64{10, 20}) || len(r.UnreadUserIDs) != 0 {
		t.Errorf("after the receiver read: %+v", r)
	}

	const live = 7171275522159198999
	srv.AddConversation(volcim.Conversation{AppID: msgApp, ConversationShortID: live, ConversationType: volcim.ConversationLiveGroup})
	if _, err := c.GetMessagesReadReceipt(ctx, &volcim.GetMessagesReadReceiptRequest{ConversationShortID: live, MessageIDs: []int64{1}}); apiCode(err) != volcim.CodeLiveConversationNotSupport {
		t.Errorf("read receipts of a live group: %v", err)
	}
}

func TestMessageActionsInvalidRequests(t *testing.T) {
	t.Parallel()
	srv, c := newMessageServer(t)
	ctx := context.Background()
	tooMany := make([]int64, volcim.MaxBatchReceivers+1)
	for i := range tooMany {
		tooMany[i] = int64(i + 1)
	}
	batch := func(edit func(r *volcim.BatchSendMessageRequest)) func() error {
		return func() error {
			r := &volcim.BatchSendMessageRequest{Sender: 1, Receivers: []int64{2}, MsgType: volcim.MessageText, Content: "{}"}
			edit(r)
			_, err := c.BatchSendMessage(ctx, r)
			return err
		}
	}
	broadcast := func(edit func(r *volcim.UserBroadcastRequest)) func() error {
		return func() error {
			r := &volcim.UserBroadcastRequest{Sender: 1, MsgType: volcim.MessageText, Content: "{}", TTL: time.Minute}
			edit(r)
			_, err := c.UserBroadcast(ctx, r)
			return err
		}
	}
	modify := func(edit func(r *volcim.ModifyMessageRequest)) func() error {
		return func() error {
			r := &volcim.ModifyMessageRequest{ConversationShortID: msgConv, MessageID: 1, Content: "{}"}
			edit(r)
			_, err := c.ModifyMessage(ctx, r)
			return err
		}
	}
	recall := func(edit func(r *volcim.RecallMessageRequest)) func() error {
		return func() error {
			r := &volcim.RecallMessageRequest{ConversationShortID: msgConv, MessageID: 1, ParticipantUserID: 1}
			edit(r)
			_, err := c.RecallMessage(ctx, r)
			return err
		}
	}
	deleteConv := func(edit func(r *volcim.DeleteConversationMessageRequest)) func() error {
		return func() error {
			r := &volcim.DeleteConversationMessageRequest{ConversationShortID: msgConv, MessageID: 1}
			edit(r)
			_, err := c.DeleteConversationMessage(ctx, r)
			return err
		}
	}
	deleteOne := func(edit func(r *volcim.DeleteMessageRequest)) func() error {
		return func() error {
			r := &volcim.DeleteMessageRequest{ConversationShortID: msgConv, MessageID: 1, ParticipantUserID: 1}
			edit(r)
			_, err := c.DeleteMessage(ctx, r)
			return err
		}
	}
	receipt := func(edit func(r *volcim.GetMessagesReadReceiptRequest)) func() error {
		return func() error {
			r := &volcim.GetMessagesReadReceiptRequest{ConversationShortID: msgConv, MessageIDs: []int64{1}}
			edit(r)
			_, err := c.GetMessagesReadReceipt(ctx, r)
			return err
		}
	}
	for _, tc := range []struct {
		action, field string
		call          func() error
	}{
		{"BatchSendMessage", "", func() error { _, err := c.BatchSendMessage(ctx, nil); return err }},
		{"BatchSendMessage", "AppID", batch(func(r *volcim.BatchSendMessageRequest) { r.AppID = -1 })},
		{"BatchSendMessage", "Sender", batch(func(r *volcim.BatchSendMessageRequest) { r.Sender = 0 })},
		{"BatchSendMessage", "Receivers", batch(func(r *volcim.BatchSendMessageRequest) { r.Receivers = nil })},
		{"BatchSendMessage", "Receivers", batch(func(r *volcim.BatchSendMessageRequest) { r.Receivers = []int64{2, 0} })},
		{"BatchSendMessage", "Receivers", batch(func(r *volcim.BatchSendMessageRequest) { r.Receivers = tooMany })},
		{"BatchSendMessage", "MsgType", batch(func(r *volcim.BatchSendMessageRequest) { r.MsgType = 0 })},
		{"BatchSendMessage", "Content", batch(func(r *volcim.BatchSendMessageRequest) { r.Content = "" })},
		{"UserBroadcast", "", func() error { _, err := c.UserBroadcast(ctx, nil); return err }},
		{"UserBroadcast", "Sender", broadcast(func(r *volcim.UserBroadcastRequest) { r.Sender = -1 })},
		{"UserBroadcast", "MsgType", broadcast(func(r *volcim.UserBroadcastRequest) { r.MsgType = 0 })},
		{"UserBroadcast", "Content", broadcast(func(r *volcim.UserBroadcastRequest) { r.Content = "" })},
		{"UserBroadcast", "TTL", broadcast(func(r *volcim.UserBroadcastRequest) { r.TTL = 0 })},
		{"UserBroadcast", "TTL", broadcast(func(r *volcim.UserBroadcastRequest) { r.TTL = 999 * time.Millisecond })},
		{"UserBroadcast", "TTL", broadcast(func(r *volcim.UserBroadcastRequest) { r.TTL = volcim.MaxBroadcastTTL + time.Second })},
		{"UserBroadcast", "TTL", broadcast(func(r *volcim.UserBroadcastRequest) { r.TTL = 1500 * time.Millisecond })},
		{"UserBroadcast", "TagOp", broadcast(func(r *volcim.UserBroadcastRequest) { r.TagOp = 2 })},
		{"ModifyMessage", "", func() error { _, err := c.ModifyMessage(ctx, nil); return err }},
		{"ModifyMessage", "ConversationShortID", modify(func(r *volcim.ModifyMessageRequest) { r.ConversationShortID = 0 })},
		{"ModifyMessage", "MessageID", modify(func(r *volcim.ModifyMessageRequest) { r.MessageID = 0 })},
		{"ModifyMessage", "Content", modify(func(r *volcim.ModifyMessageRequest) { r.Content = "" })},
		{"RecallMessage", "", func() error { _, err := c.RecallMessage(ctx, nil); return err }},
		{"RecallMessage", "ConversationShortID", recall(func(r *volcim.RecallMessageRequest) { r.ConversationShortID = -1 })},
		{"RecallMessage", "MessageID", recall(func(r *volcim.RecallMessageRequest) { r.MessageID = -1 })},
		{"RecallMessage", "ParticipantUserID", recall(func(r *volcim.RecallMessageRequest) { r.ParticipantUserID = 0 })},
		{"RecallMessage", "RecallRole", recall(func(r *volcim.RecallMessageRequest) { r.RecallRole = 3 })},
		{"RecallMessage", "RecallRole", recall(func(r *volcim.RecallMessageRequest) { r.RecallRole = -1 })},
		{"DeleteConversationMessage", "", func() error { _, err := c.DeleteConversationMessage(ctx, nil); return err }},
		{"DeleteConversationMessage", "ConversationShortID", deleteConv(func(r *volcim.DeleteConversationMessageRequest) { r.ConversationShortID = 0 })},
		{"DeleteConversationMessage", "MessageID", deleteConv(func(r *volcim.DeleteConversationMessageRequest) { r.MessageID = 0 })},
		{"DeleteConversationMessage", "DeleteType", deleteConv(func(r *volcim.DeleteConversationMessageRequest) { r.DeleteType = 2 })},
		{"DeleteMessage", "", func() error { _, err := c.DeleteMessage(ctx, nil); return err }},
		{"DeleteMessage", "ConversationShortID", deleteOne(func(r *volcim.DeleteMessageRequest) { r.ConversationShortID = 0 })},
		{"DeleteMessage", "MessageID", deleteOne(func(r *volcim.DeleteMessageRequest) { r.MessageID = 0 })},
		{"DeleteMessage", "ParticipantUserID", deleteOne(func(r *volcim.DeleteMessageRequest) { r.ParticipantUserID = -5 })},
		{"GetMessagesReadReceipt", "", func() error { _, err := c.GetMessagesReadReceipt(ctx, nil); return err }},
		{"GetMessagesReadReceipt", "ConversationShortID", receipt(func(r *volcim.GetMessagesReadReceiptRequest) { r.ConversationShortID = 0 })},
		{"GetMessagesReadReceipt", "MessageIDs", receipt(func(r *volcim.GetMessagesReadReceiptRequest) { r.MessageIDs = nil })},
		{"GetMessagesReadReceipt", "MessageIDs", receipt(func(r *volcim.GetMessagesReadReceiptRequest) { r.MessageIDs = []int64{1, -1} })},
		{"GetMessagesReadReceipt", "MessageIDs", receipt(func(r *volcim.GetMessagesReadReceiptRequest) { r.MessageIDs = tooMany[:volcim.MaxIDsPerCall+1] })},
	} {
		err := tc.call()
		var ire *volcim.InvalidRequestError
		if !errors.As(err, &ire) || ire.Field != tc.field || ire.Action != tc.action || !errors.Is(err, volcim.ErrInvalidRequest) {
			t.Errorf("%s %s: err %v, want an InvalidRequestError on %q", tc.action, tc.field, err, tc.field)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server, want none", n)
	}
	// The bounds themselves are valid.
	if err := broadcast(func(r *volcim.UserBroadcastRequest) { r.TTL = volcim.MaxBroadcastTTL })(); err != nil {
		t.Errorf("TTL of 7 days: %v", err)
	}
	if err := batch(func(r *volcim.BatchSendMessageRequest) { r.Receivers = tooMany[1:] })(); err != nil {
		t.Errorf("%d receivers: %v", volcim.MaxBatchReceivers, err)
	}
}

func TestMessageEnumStrings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		got, want string
	}{
		{volcim.RecallAsMember.String(), "member"},
		{volcim.RecallAsOwner.String(), "owner"},
		{volcim.RecallAsManager.String(), "manager"},
		{volcim.RecallRole(7).String(), "RecallRole(7)"},
		{volcim.DeleteForEveryone.String(), "for everyone"},
		{volcim.DeleteExceptSender.String(), "except the sender"},
		{volcim.DeleteType(-1).String(), "DeleteType(-1)"},
		{volcim.TagOpAny.String(), "any"},
		{volcim.TagOpAll.String(), "all"},
		{volcim.BroadcastTagOp(5).String(), "BroadcastTagOp(5)"},
	} {
		if tc.got != tc.want {
			t.Errorf("String() = %q, want %q", tc.got, tc.want)
		}
	}
}

// TestMessageActionsDecodeCannedReplies decodes each action's canned reply
// (testdata/<action>.json) and checks every field.
func TestMessageActionsDecodeCannedReplies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	meta := func(requestID, action string) volcim.ResponseMetadata {
		return volcim.ResponseMetadata{RequestID: requestID, Action: action, Version: "2020-12-01", Service: "rtc", Region: "cn-north-1"}
	}
	t.Run("BatchSendMessage", func(t *testing.T) {
		t.Parallel()
		c := cannedClient(t, "partial/batch_send_message.json")
		resp, err := c.BatchSendMessage(ctx, &volcim.BatchSendMessageRequest{Sender: 10001, Receivers: []int64{10002, 10003, 10004}, MsgType: volcim.MessageText, Content: "{}"})
		var pf *volcim.PartialFailureError
		if !errors.As(err, &pf) || len(pf.Failed) != 1 || pf.Failed[0] != (volcim.FailedItem{UserID: 10004}) || pf.RequestID != "20240516141041010212153245A1B2C3D4" {
			t.Errorf("err %v, want a partial failure of 10004", err)
		}
		want := &volcim.BatchSendMessageResponse{
			ResponseMetadata: meta("20240516141041010212153245A1B2C3D4", "BatchSendMessage"),
			UserMessageIDs:   map[int64]int64{10002: 7369873482098491159, 10003: 7369873482098491160},
			FailedReceivers:  []int64{10004},
		}
		if !reflect.DeepEqual(resp, want) {
			t.Errorf("got %+v\nwant %+v", resp, want)
		}
	})
	t.Run("GetMessagesReadReceipt", func(t *testing.T) {
		t.Parallel()
		c := cannedClient(t, "get_messages_read_receipt.json")
		resp, err := c.GetMessagesReadReceipt(ctx, &volcim.GetMessagesReadReceiptRequest{ConversationShortID: 1691070514797524328, MessageIDs: []int64{1709040620191372977, 1709040620191372981}})
		if err != nil {
			t.Fatal(err)
		}
		want := &volcim.GetMessagesReadReceiptResponse{
			ResponseMetadata: meta("20240227214230259C67C52D053506DF0B", "GetMessagesReadReceipt"),
			ReadReceipts: []volcim.ReadReceipt{
				{ConversationShortID: 1691070514797524328, MessageID: 1709040620191372977, ReceiverIsRead: true,
					ReadUserIDs: []int64{30340, 30341}, ReadUserIDsStr: []string{"张三", "li-si"}, UnreadUserIDs: []int64{}, UnreadUserIDsStr: []string{}},
				{ConversationShortID: 1691070514797524328, MessageID: 1709040620191372981,
					ReadUserIDs: []int64{30340}, ReadUserIDsStr: []string{"张三"}, UnreadUserIDs: []int64{30341}, UnreadUserIDsStr: []string{"li-si"}},
			},
		}
		if !reflect.DeepEqual(resp, want) {
			t.Errorf("got %+v\nwant %+v", resp, want)
		}
	})
	for _, tc := range []struct {
		file, action, requestID string
		call                    func(c *volcim.Client) (volcim.ResponseMetadata, error)
	}{
		{"user_broadcast.json", "UserBroadcast", "2024011517262401021215324578E9F0A1", func(c *volcim.Client) (volcim.ResponseMetadata, error) {
			r, err := c.UserBroadcast(ctx, &volcim.UserBroadcastRequest{Sender: 1, MsgType: volcim.MessageText, Content: "{}", TTL: time.Hour})
			if err != nil {
				return volcim.ResponseMetadata{}, err
			}
			return r.ResponseMetadata, nil
		}},
		{"modify_message.json", "ModifyMessage", "20221129200211010212153245046F1E2D", func(c *volcim.Client) (volcim.ResponseMetadata, error) {
			r, err := c.ModifyMessage(ctx, &volcim.ModifyMessageRequest{ConversationShortID: 1, MessageID: 1, Content: "{}"})
			if err != nil {
				return volcim.ResponseMetadata{}, err
			}
			return r.ResponseMetadata, nil
		}},
		{"recall_message.json", "RecallMessage", "20240412181304010212153245B4C5D6E7", func(c *volcim.Client) (volcim.ResponseMetadata, error) {
			r, err := c.RecallMessage(ctx, &volcim.RecallMessageRequest{ConversationShortID: 1, MessageID: 1, ParticipantUserID: 1})
			if err != nil {
				return volcim.ResponseMetadata{}, err
			}
			return r.ResponseMetadata, nil
		}},
		{"delete_conversation_message.json", "DeleteConversationMessage", "20240408194951010212153245C1D2E3F4", func(c *volcim.Client) (volcim.ResponseMetadata, error) {
			r, err := c.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{ConversationShortID: 1, MessageID: 1})
			if err != nil {
				return volcim.ResponseMetadata{}, err
			}
			return r.ResponseMetadata, nil
		}},
		{"delete_message.json", "DeleteMessage", "20240408195512010212153245D5E6F7A8", func(c *volcim.Client) (volcim.ResponseMetadata, error) {
			r, err := c.DeleteMessage(ctx, &volcim.DeleteMessageRequest{ConversationShortID: 1, MessageID: 1, ParticipantUserID: 1})
			if err != nil {
				return volcim.ResponseMetadata{}, err
			}
			return r.ResponseMetadata, nil
		}},
	} {
		t.Run(tc.action, func(t *testing.T) {
			t.Parallel()
			got, err := tc.call(cannedClient(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if want := meta(tc.requestID, tc.action); got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// TestBatchSendMessageUnreadableKey: a reply whose UserMessageId cannot be
// mapped to users is malformed, and the messages may have been sent.
func TestBatchSendMessageUnreadableKey(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, `=~^https://rtc\.volcengineapi\.com/`, httpmock.NewStringResponder(200,
		`{"ResponseMetadata":{"RequestId":"r1","Action":"BatchSendMessage","Version":"2020-12-01","Service":"rtc","Region":"cn-north-1"},"Result":{"UserMessageId":{"alice":7369873482098491159}}}`))
	c, err := volcim.NewClient("AKLTcanned", "c2VjcmV0", volcim.WithAppID(msgApp), volcim.WithHTTPClient(&http.Client{Transport: mt}), volcim.WithRateLimit(1e6))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.BatchSendMessage(context.Background(), &volcim.BatchSendMessageRequest{Sender: 1, Receivers: []int64{2}, MsgType: volcim.MessageText, Content: "{}"})
	var apiErr *volcim.APIError
	if resp != nil || !errors.As(err, &apiErr) || !errors.Is(err, volcim.ErrMalformedReply) || !errors.Is(err, volcim.ErrOutcomeUnknown) || apiErr.RequestID != "r1" {
		t.Errorf("resp %v, err %v: want a malformed reply with an unknown outcome", resp, err)
	}
}

func TestTextReadsTheOlderWebRichText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		content, want string
	}{
		{`{"text":"{\"innerText\":\"hi 你好\",\"ops\":[{\"insert\":\"hi 你好\"}]}"}`, "hi 你好"},
		{`{"text":"{\"innerText\":\"\"}"}`, ""},
		{`{"text":"{not json"}`, "{not json"},               // text that only looks like JSON
		{`{"text":"{\"other\":1}"}`, `{"other":1}`},         // JSON text without innerText
		{`{"text":"{\"innerText\":5}"}`, `{"innerText":5}`}, // innerText that is not text
		{volcim.TextContent(`{"a":"b"}`), `{"a":"b"}`},      // a plain text of JSON
		{volcim.TextContent("plain"), "plain"},
	} {
		m := volcim.Message{MsgType: volcim.MessageText, Content: tc.content}
		if got, ok := m.Text(); !ok || got != tc.want {
			t.Errorf("Text of %s = %q, %v; want %q", tc.content, got, ok, tc.want)
		}
	}
}
