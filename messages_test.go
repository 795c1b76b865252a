package volcim_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

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
