package volcim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/volcim/volcim-go/signer"
)

const (
	testAK    = "AKLTtestaccesskey0001"
	testSK    = "c2VjcmV0LXNob3VsZC1uZXZlci1sZWFr" // must never appear in output
	testToken = "STS2tokenthatmustneverleak"
)

var testNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// withNow fixes the signing clock.
func withNow(f func() time.Time) Option {
	return func(c *config) error { c.now = f; return nil }
}

// recorded is one request the mock received, with its body.
type recorded struct {
	req  *http.Request
	body []byte
}

// mockAPI is an instance-scoped httpmock transport (tests run in parallel)
// that records every request.
type mockAPI struct {
	mt   *httpmock.MockTransport
	mu   sync.Mutex
	reqs []recorded
}

func newMockAPI(t *testing.T) *mockAPI {
	t.Helper()
	return &mockAPI{mt: httpmock.NewMockTransport()}
}

// on answers every POST to the default endpoint with the responders in
// order (the last one repeats).
func (m *mockAPI) on(responders ...httpmock.Responder) {
	var n int
	var mu sync.Mutex
	m.mt.RegisterResponder(http.MethodPost, "=~^https://rtc\\.volcengineapi\\.com/", func(req *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		m.mu.Lock()
		m.reqs = append(m.reqs, recorded{req: req, body: body})
		m.mu.Unlock()
		mu.Lock()
		r := responders[min(n, len(responders)-1)]
		n++
		mu.Unlock()
		return r(req)
	})
}

func (m *mockAPI) requests() []recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]recorded(nil), m.reqs...)
}

func (m *mockAPI) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithHTTPClient(&http.Client{Transport: m.mt}),
		WithRateLimit(1e6),
		WithRetry(RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}),
		withNow(func() time.Time { return testNow }),
	}
	c, err := NewClient(testAK, testSK, append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jsonReply(status int, body []byte) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(status, body)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	}
}

// verifySigned checks that a recorded request carries a valid V4 signature
// for the test credentials at testNow, the way a real server would.
func verifySigned(t *testing.T, r recorded) {
	t.Helper()
	// The mock sees the client-side request: give it the server's view.
	req := r.req.Clone(context.Background())
	req.Host = req.URL.Host
	res, err := signer.Verify(req, r.body, func(ak string) (string, bool) {
		return testSK, ak == testAK
	}, testNow, 15*time.Minute)
	if err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
	if res.Region != RegionCNNorth1 || res.Service != "rtc" {
		t.Fatalf("signed for %s/%s", res.Region, res.Service)
	}
}

func TestGetMessagesRequestAndDecode(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(jsonReply(200, fixture(t, "get_messages.json")))
	c := m.client(t, WithAppID(100000))

	resp, err := c.GetMessages(context.Background(), &GetMessagesRequest{
		ConversationShortID: 1,
		MessageIDs:          []int64{7171391829814822919, 7171391829814839303},
	})
	if err != nil {
		t.Fatal(err)
	}
	reqs := m.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if got, want := r.req.URL.RawQuery, "Action=GetMessages&Version=2020-12-01"; got != want {
		t.Errorf("query %q, want %q", got, want)
	}
	if got, want := string(r.body), `{"AppId":100000,"ConversationShortId":1,"MessageIds":[7171391829814822919,7171391829814839303]}`; got != want {
		t.Errorf("body %s\nwant %s", got, want)
	}
	if ct := r.req.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if ua := r.req.Header.Get("User-Agent"); ua != "volcim-go/"+Version {
		t.Errorf("User-Agent %q", ua)
	}
	verifySigned(t, r)

	if resp.RequestID != "Your_RequestId" || resp.Region != "cn-north-1" || resp.Service != "rtc" {
		t.Errorf("metadata %+v", resp.ResponseMetadata)
	}
	want := []Message{
		{
			AppID: 100000, ConversationShortID: 1, ConversationType: ConversationGroup,
			MessageID: 7171391829814822919, MsgType: MessageText, Content: "Your_Content",
			Ext: map[string]string{"key": "value"}, Status: MessageVisible,
			CreateTime: time.UnixMilli(1669723135771).UTC(), Sender: 10,
			RefMsgInfo: &RefMsgInfo{ReferencedMessageID: 7171391232210503710, Hint: "[图片]",
				ReferencedMessageType: MessageText, Status: RefMessageVisible},
			IndexInConversation: 1669723135894214,
		},
		{
			AppID: 666666, ConversationShortID: 7171275522159198471, ConversationType: ConversationGroup,
			MessageID: 7171391829814839303, MsgType: MessageText, Content: "222",
			Ext:    map[string]string{"s:client_message_id": "ae16fb90-2be2-4424-aa6e-3a6e5e53294a"},
			Status: MessageVisible, CreateTime: time.UnixMilli(1669723270194).UTC(), Sender: 10001,
			RefMsgInfo: &RefMsgInfo{ReferencedMessageID: 10005, Hint: "[图片]",
				ReferencedMessageType: MessageText, Status: RefMessageVisible},
			IndexInConversation: 1669723270235453,
		},
	}
	if !reflect.DeepEqual(resp.Messages, want) {
		t.Errorf("messages\n got %+v\nwant %+v", resp.Messages, want)
	}
}

func TestGetConversationMessagesRequestAndDecode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		reverse bool
		body    string
	}{
		{"forward", false, `{"AppId":100000,"ConversationShortId":1,"Cursor":1666495802476129,"Limit":3,"Reverse":0}`},
		{"reverse", true, `{"AppId":100000,"ConversationShortId":1,"Cursor":1666495802476129,"Limit":3,"Reverse":1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMockAPI(t)
			m.on(jsonReply(200, fixture(t, "get_conversation_messages.json")))
			c := m.client(t)
			resp, err := c.GetConversationMessages(context.Background(), &GetConversationMessagesRequest{
				AppID: 100000, ConversationShortID: 1, Cursor: 1666495802476129, Limit: 3, Reverse: tc.reverse,
			})
			if err != nil {
				t.Fatal(err)
			}
			r := m.requests()[0]
			if got := r.req.URL.Query().Get("Action"); got != "GetConversationMessages" {
				t.Errorf("Action %q", got)
			}
			if string(r.body) != tc.body {
				t.Errorf("body %s\nwant %s", r.body, tc.body)
			}
			verifySigned(t, r)
			if !resp.HasMore || resp.NewCursor != 1669694740483825 || len(resp.Messages) != 3 {
				t.Fatalf("page: HasMore %v NewCursor %d, %d messages", resp.HasMore, resp.NewCursor, len(resp.Messages))
			}
			for i, want := range []string{"Content1", "Content2", "Content3"} {
				if resp.Messages[i].Content != want {
					t.Errorf("message %d content %q", i, resp.Messages[i].Content)
				}
			}
			if got := resp.Messages[1].MessageID; got != 7171391829814806535 {
				t.Errorf("MessageID %d", got)
			}
		})
	}
}

func TestDecodeEveryFieldExactly(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(jsonReply(200, fixture(t, "get_conversation_messages_all_fields.json")))
	c := m.client(t)
	resp, err := c.GetConversationMessages(context.Background(), &GetConversationMessagesRequest{
		AppID: 100000, ConversationShortID: 2, Limit: 20,
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.NewCursor != 9007199254740993 || resp.HasMore {
		t.Errorf("NewCursor %d HasMore %v", resp.NewCursor, resp.HasMore)
	}
	want := []Message{
		{
			AppID: 100000, ConversationShortID: 9223372036854775807, ConversationType: ConversationLiveGroup,
			MessageID: 9007199254740993, ClientMsgID: "unique-key", MsgType: MessageCustom,
			Content: `{"custom":true}`, Ext: map[string]string{"键": "值"}, Status: MessageVisible,
			CreateTime: time.Date(2022, 11, 29, 11, 58, 55, 771e6, time.UTC), SenderStr: "user-abc",
			RefMsgInfo: &RefMsgInfo{ReferencedMessageID: 9007199254740995, Hint: "[视频]",
				ReferencedMessageType: MessageVideo, Status: RefMessageRecalled},
			IndexInConversation: 9007199254740997,
		},
		{
			AppID: 100000, ConversationShortID: 2, ConversationType: 7, MessageID: 3, MsgType: 20001,
			Status: 5, CreateTime: time.UnixMilli(1669723135772).UTC(), Sender: 42, IndexInConversation: 4,
		},
	}
	if !reflect.DeepEqual(resp.Messages, want) {
		t.Fatalf("messages\n got %+v\nwant %+v", resp.Messages, want)
	}
	if got := fmt.Sprint(resp.Messages[1].ConversationType, " ", resp.Messages[1].MsgType, " ", resp.Messages[1].Status); got != "ConversationType(7) MessageType(20001) MessageStatus(5)" {
		t.Errorf("unknown enums print %q", got)
	}
}

func TestBatchGetConversationsRequestAndDecode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		include bool
		body    string
	}{
		{"default skips member count", false, `{"AppId":321,"ConversationShortId":[123,7171275522159198471],"SkipMemberCount":true}`},
		{"include member count", true, `{"AppId":321,"ConversationShortId":[123,7171275522159198471],"SkipMemberCount":false}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMockAPI(t)
			m.on(jsonReply(200, fixture(t, "batch_get_conversations.json")))
			c := m.client(t)
			resp, err := c.BatchGetConversations(context.Background(), &BatchGetConversationsRequest{
				AppID: 321, ConversationShortIDs: []int64{123, 7171275522159198471}, IncludeMemberCount: tc.include,
			})
			if err != nil {
				t.Fatal(err)
			}
			r := m.requests()[0]
			if string(r.body) != tc.body {
				t.Errorf("body %s\nwant %s", r.body, tc.body)
			}
			if got := r.req.URL.Query().Get("Action"); got != "BatchGetConversations" {
				t.Errorf("Action %q", got)
			}
			verifySigned(t, r)
			if resp.RequestID != "202306041104200100100232280022D31" {
				t.Errorf("RequestID %q", resp.RequestID)
			}
			created := time.Unix(1669714409, 0).UTC()
			want := []Conversation{
				{
					AppID: 321, ConversationShortID: 123, ConversationID: "ConversationId",
					ConversationType: ConversationGroup, Name: "Conversation", AvatarURL: "http://xxx.com",
					Description: "Your_Description", Notice: "Your_Notice", OwnerUserID: 10001,
					CreatorUserID: 10001, Status: ConversationNormal, CreateTime: created, ModifyTime: created,
					MemberCount: 2, OtherUserID: 10002,
				},
				{
					AppID: 321, ConversationShortID: 7171275522159198471, ConversationType: ConversationOneToOne,
					InboxType: 1, OwnerUserIDStr: "owner-str", CreatorUserIDStr: "creator-str",
					Status: ConversationDismissed, Ext: map[string]string{"topic": "release"},
					CreateTime: created, ModifyTime: time.Unix(1669800809, 0).UTC(), OnlineCount: 17,
					OtherUserID: 9007199254740993, OtherUserIDStr: "other-str",
				},
			}
			if !reflect.DeepEqual(resp.Conversations, want) {
				t.Errorf("conversations\n got %+v\nwant %+v", resp.Conversations, want)
			}
		})
	}
}

// TestWireRoundTrip checks that json.Marshal of decoded values gives the wire
// form back: decode → encode → decode is the identity, and the encoding has
// the API's keys and units.
func TestWireRoundTrip(t *testing.T) {
	t.Parallel()
	var env struct {
		Result struct {
			Messages []json.RawMessage
		}
	}
	if err := json.Unmarshal(fixture(t, "get_conversation_messages_all_fields.json"), &env); err != nil {
		t.Fatal(err)
	}
	for i, raw := range env.Result.Messages {
		var m Message
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		enc, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var again Message
		if err := json.Unmarshal(enc, &again); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(m, again) {
			t.Errorf("message %d: round trip changed it\n%+v\n%+v", i, m, again)
		}
		// Every key of the encoding is a wire key with the wire value.
		var orig, got map[string]json.RawMessage
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		_ = json.Unmarshal(raw, &orig)
		_ = json.Unmarshal(enc, &got)
		for k, v := range got {
			if ov, ok := orig[k]; !ok || compactJSON(t, ov) != compactJSON(t, v) {
				t.Errorf("message %d key %s: encoded %s, wire %s", i, k, v, ov)
			}
		}
		for k := range orig {
			if _, ok := got[k]; !ok && k != "UnknownField" && k != "Ext" {
				t.Errorf("message %d: key %s lost", i, k)
			}
		}
	}

	var cenv struct {
		Result struct {
			ConversationCoreInfos []json.RawMessage
		}
	}
	if err := json.Unmarshal(fixture(t, "batch_get_conversations.json"), &cenv); err != nil {
		t.Fatal(err)
	}
	for i, raw := range cenv.Result.ConversationCoreInfos {
		var c Conversation
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		enc, _ := json.Marshal(c)
		var again Conversation
		if err := json.Unmarshal(enc, &again); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c, again) {
			t.Errorf("conversation %d: round trip changed it", i)
		}
		var got map[string]json.RawMessage
		_ = json.Unmarshal(enc, &got)
		if string(got["CreateTime"]) != "1669714409" {
			t.Errorf("conversation %d CreateTime encoded as %s, want seconds", i, got["CreateTime"])
		}
	}
}

func compactJSON(t *testing.T, b []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	htmlReply := func(status int) httpmock.Responder {
		return func(*http.Request) (*http.Response, error) {
			r := httpmock.NewBytesResponse(status, fixture(t, "error_proxy.html"))
			r.Header.Set("Content-Type", "text/html")
			return r, nil
		}
	}
	for _, tc := range []struct {
		name     string
		reply    httpmock.Responder
		want     APIError
		attempts int
	}{
		{
			name:     "400 InvalidParam is not retried",
			reply:    jsonReply(400, fixture(t, "error_invalid_param.json")),
			want:     APIError{StatusCode: 400, RequestID: "20261123093000010010023228002BBBB", Code: "InvalidParam", CodeN: 10001, Message: "MessageIds is invalid"},
			attempts: 1,
		},
		{
			name:     "200 carrying an Error without CodeN is an error",
			reply:    jsonReply(200, fixture(t, "error_200_no_coden.json")),
			want:     APIError{StatusCode: 200, RequestID: "20261123093000010010023228002CCCC", Code: "ConversationNotFound", Message: "conversation not found"},
			attempts: 1,
		},
		{
			name:     "non-JSON 502 from a proxy keeps the status, retried to the end",
			reply:    htmlReply(502),
			want:     APIError{StatusCode: 502, Malformed: true, Message: "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> <hr><center>nginx</center> </body> </html>"},
			attempts: 3,
		},
		{
			name:     "non-JSON 403 is not retried",
			reply:    htmlReply(403),
			want:     APIError{StatusCode: 403, Malformed: true, Message: "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> <hr><center>nginx</center> </body> </html>"},
			attempts: 1,
		},
		{
			name:     "JSON 404 without Error",
			reply:    jsonReply(404, []byte(`{"ResponseMetadata":{"RequestId":"r404"}}`)),
			want:     APIError{StatusCode: 404, RequestID: "r404", Message: "Not Found"},
			attempts: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMockAPI(t)
			m.on(tc.reply)
			c := m.client(t)
			_, err := c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}})
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			want := tc.want
			want.Action = "GetMessages"
			want.Attempts = tc.attempts
			got := *apiErr
			if (got.Err != nil) != got.Malformed || errors.Is(err, ErrMalformedReply) != got.Malformed {
				t.Errorf("Malformed %v with cause %v", got.Malformed, got.Err)
			}
			got.Err = nil
			if got != want {
				t.Errorf("APIError\n got %+v\nwant %+v", got, want)
			}
			if n := len(m.requests()); n != tc.attempts {
				t.Errorf("%d requests, want %d", n, tc.attempts)
			}
		})
	}
}

func TestUndecodable200IsAnErrorNotAPanic(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(jsonReply(200, []byte("<html>oops</html>")))
	c := m.client(t)
	_, err := c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}})
	if err == nil || !strings.Contains(err.Error(), "HTTP 200") || !strings.Contains(err.Error(), "<html>oops</html>") {
		t.Fatalf("err = %v", err)
	}
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		t.Errorf("error does not wrap the JSON error: %v", err)
	}
}

func TestResponseSizeCap(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(jsonReply(200, bytes.Repeat([]byte(" "), 4096)))
	c := m.client(t, WithMaxResponseBytes(1024))
	_, err := c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}})
	if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "exceeds the size limit") {
		t.Fatalf("err = %v, want ErrResponseTooLarge", err)
	}
	if n := len(m.requests()); n != 1 {
		t.Errorf("an oversized reply was retried: %d requests", n)
	}
}

func TestInvalidRequestsFailBeforeTheNetwork(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(jsonReply(200, fixture(t, "get_messages.json")))
	c := m.client(t)
	ctx := context.Background()
	many := make([]int64, MaxIDsPerCall+1)
	for i := range many {
		many[i] = int64(i + 1)
	}
	type call func() error
	for _, tc := range []struct {
		name  string
		call  call
		field string
	}{
		{"GetMessages nil", func() error { _, err := c.GetMessages(ctx, nil); return err }, ""},
		{"GetMessages zero AppID", func() error {
			_, err := c.GetMessages(ctx, &GetMessagesRequest{ConversationShortID: 1, MessageIDs: []int64{1}})
			return err
		}, "AppID"},
		{"GetMessages zero conversation", func() error {
			_, err := c.GetMessages(ctx, &GetMessagesRequest{AppID: 1, MessageIDs: []int64{1}})
			return err
		}, "ConversationShortID"},
		{"GetMessages no ids", func() error {
			_, err := c.GetMessages(ctx, &GetMessagesRequest{AppID: 1, ConversationShortID: 1})
			return err
		}, "MessageIDs"},
		{"GetMessages too many ids", func() error {
			_, err := c.GetMessages(ctx, &GetMessagesRequest{AppID: 1, ConversationShortID: 1, MessageIDs: many})
			return err
		}, "MessageIDs"},
		{"GetMessages negative id", func() error {
			_, err := c.GetMessages(ctx, &GetMessagesRequest{AppID: 1, ConversationShortID: 1, MessageIDs: []int64{5, -1}})
			return err
		}, "MessageIDs"},
		{"GetConversationMessages nil", func() error { _, err := c.GetConversationMessages(ctx, nil); return err }, ""},
		{"GetConversationMessages zero AppID", func() error {
			_, err := c.GetConversationMessages(ctx, &GetConversationMessagesRequest{ConversationShortID: 1, Limit: 1})
			return err
		}, "AppID"},
		{"GetConversationMessages zero conversation", func() error {
			_, err := c.GetConversationMessages(ctx, &GetConversationMessagesRequest{AppID: 1, Limit: 1})
			return err
		}, "ConversationShortID"},
		{"GetConversationMessages negative limit", func() error {
			_, err := c.GetConversationMessages(ctx, &GetConversationMessagesRequest{AppID: 1, ConversationShortID: 1, Limit: -1})
			return err
		}, "Limit"},
		{"GetConversationMessages limit 21", func() error {
			_, err := c.GetConversationMessages(ctx, &GetConversationMessagesRequest{AppID: 1, ConversationShortID: 1, Limit: 21})
			return err
		}, "Limit"},
		{"GetConversationMessages negative cursor", func() error {
			_, err := c.GetConversationMessages(ctx, &GetConversationMessagesRequest{AppID: 1, ConversationShortID: 1, Limit: 1, Cursor: -1})
			return err
		}, "Cursor"},
		{"BatchGetConversations nil", func() error { _, err := c.BatchGetConversations(ctx, nil); return err }, ""},
		{"BatchGetConversations zero AppID", func() error {
			_, err := c.BatchGetConversations(ctx, &BatchGetConversationsRequest{ConversationShortIDs: []int64{1}})
			return err
		}, "AppID"},
		{"BatchGetConversations no ids", func() error {
			_, err := c.BatchGetConversations(ctx, &BatchGetConversationsRequest{AppID: 1})
			return err
		}, "ConversationShortIDs"},
		{"BatchGetConversations too many ids", func() error {
			_, err := c.BatchGetConversations(ctx, &BatchGetConversationsRequest{AppID: 1, ConversationShortIDs: many})
			return err
		}, "ConversationShortIDs"},
		{"bad call option", func() error {
			_, err := c.GetMessages(ctx, &GetMessagesRequest{AppID: 1, ConversationShortID: 1, MessageIDs: []int64{1}}, WithCallRetry(RetryPolicy{MaxAttempts: -1}))
			return err
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("err = %v, want ErrInvalidRequest", err)
			}
			var ire *InvalidRequestError
			if !errors.As(err, &ire) || ire.Field != tc.field {
				t.Fatalf("err = %#v, want field %q", err, tc.field)
			}
			if tc.field != "" && !strings.Contains(err.Error(), tc.field) {
				t.Errorf("message %q does not name %s", err, tc.field)
			}
		})
	}
	if n := m.mt.GetTotalCallCount(); n != 0 {
		t.Fatalf("bad input reached the network: %d calls", n)
	}
}

func TestAppIDDefaultAndCallOverride(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(jsonReply(200, fixture(t, "batch_get_conversations.json")))
	c := m.client(t, WithAppID(5))
	ctx := context.Background()
	if _, err := c.BatchGetConversations(ctx, &BatchGetConversationsRequest{ConversationShortIDs: []int64{1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BatchGetConversations(ctx, &BatchGetConversationsRequest{ConversationShortIDs: []int64{1}}, WithCallAppID(6), WithCallHeader("X-Trace", "abc")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BatchGetConversations(ctx, &BatchGetConversationsRequest{AppID: 7, ConversationShortIDs: []int64{1}}, WithCallAppID(6)); err != nil {
		t.Fatal(err)
	}
	reqs := m.requests()
	for i, want := range []string{`{"AppId":5,`, `{"AppId":6,`, `{"AppId":7,`} {
		if !strings.HasPrefix(string(reqs[i].body), want) {
			t.Errorf("request %d body %s, want prefix %s", i, reqs[i].body, want)
		}
		verifySigned(t, reqs[i])
	}
	if got := reqs[1].req.Header.Get("X-Trace"); got != "abc" {
		t.Errorf("call header not sent: %q", got)
	}
	if !strings.Contains(reqs[1].req.Header.Get("Authorization"), "x-trace") {
		t.Errorf("X-Trace is not signed: %s", reqs[1].req.Header.Get("Authorization"))
	}
	if reqs[0].req.Header.Get("X-Trace") != "" {
		t.Errorf("a call option leaked into another call")
	}
}

func TestSessionTokenIsSentAndSigned(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(jsonReply(200, fixture(t, "get_messages.json")))
	c := m.client(t, WithSessionToken(testToken))
	if _, err := c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}}); err != nil {
		t.Fatal(err)
	}
	r := m.requests()[0]
	if got := r.req.Header.Get("X-Security-Token"); got != testToken {
		t.Errorf("X-Security-Token %q", got)
	}
	if !strings.Contains(r.req.Header.Get("Authorization"), "x-security-token") {
		t.Errorf("token not signed")
	}
	verifySigned(t, r)
}

func TestNewClientValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		ak, sk  string
		opts    []Option
		wantErr string
		region  string
		url     string
	}{
		{name: "defaults", ak: "a", sk: "s", region: "cn-north-1", url: "https://rtc.volcengineapi.com/?Action=GetMessages&Version=2020-12-01"},
		{name: "singapore", ak: "a", sk: "s", opts: []Option{WithRegion("ap-southeast-1")}, region: "ap-southeast-1", url: "https://open-ap-singapore-1.volcengineapi.com/?Action=GetMessages&Version=2020-12-01"},
		{name: "empty access key", sk: "s", wantErr: "access key and secret key"},
		{name: "empty secret key", ak: "a", wantErr: "access key and secret key"},
		{name: "unknown region", ak: "a", sk: "s", opts: []Option{WithRegion("mars-1")}, wantErr: `unknown region "mars-1"`},
		{name: "unknown region with endpoint", ak: "a", sk: "s", opts: []Option{WithRegion("mars-1"), WithEndpoint("https://im.example.com/base")}, region: "mars-1", url: "https://im.example.com/base?Action=GetMessages&Version=2020-12-01"},
		{name: "plain http refused", ak: "a", sk: "s", opts: []Option{WithEndpoint("http://im.example.com")}, wantErr: "plain http"},
		{name: "plain http opt-in", ak: "a", sk: "s", opts: []Option{WithEndpoint("http://im.example.com"), WithInsecureHTTP()}, region: "cn-north-1", url: "http://im.example.com/?Action=GetMessages&Version=2020-12-01"},
		{name: "plain http loopback", ak: "a", sk: "s", opts: []Option{WithEndpoint("http://127.0.0.1:8080")}, region: "cn-north-1", url: "http://127.0.0.1:8080/?Action=GetMessages&Version=2020-12-01"},
		{name: "plain http localhost", ak: "a", sk: "s", opts: []Option{WithEndpoint("http://localhost:8080")}, region: "cn-north-1", url: "http://localhost:8080/?Action=GetMessages&Version=2020-12-01"},
		{name: "plain http ipv6 loopback", ak: "a", sk: "s", opts: []Option{WithEndpoint("http://[::1]:8080")}, region: "cn-north-1", url: "http://[::1]:8080/?Action=GetMessages&Version=2020-12-01"},
		{name: "relative endpoint", ak: "a", sk: "s", opts: []Option{WithEndpoint("/x")}, wantErr: "absolute"},
		{name: "endpoint with query", ak: "a", sk: "s", opts: []Option{WithEndpoint("https://h/?a=b")}, wantErr: "query"},
		{name: "bad app id", ak: "a", sk: "s", opts: []Option{WithAppID(-1)}, wantErr: "WithAppID"},
		{name: "nil http client", ak: "a", sk: "s", opts: []Option{WithHTTPClient(nil)}, wantErr: "nil client"},
		{name: "bad retry", ak: "a", sk: "s", opts: []Option{WithRetry(RetryPolicy{MinBackoff: time.Second, MaxBackoff: time.Millisecond})}, wantErr: "MaxBackoff"},
		{name: "bad rate", ak: "a", sk: "s", opts: []Option{WithRateLimit(0)}, wantErr: "WithRateLimit"},
		{name: "nil limiter", ak: "a", sk: "s", opts: []Option{WithLimiter(nil)}, wantErr: "nil limiter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(tc.ak, tc.sk, tc.opts...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Region() != tc.region {
				t.Errorf("region %q", c.Region())
			}
			if got := c.urls[actGetMessages.index]; got != tc.url {
				t.Errorf("url %q, want %q", got, tc.url)
			}
		})
	}
}

func TestNewClientFromEnv(t *testing.T) {
	// t.Setenv: not parallel.
	t.Setenv(EnvAccessKey, "")
	t.Setenv(EnvSecretKey, "")
	t.Setenv(EnvSessionToken, "")
	if _, err := NewClientFromEnv(); err == nil || !strings.Contains(err.Error(), EnvAccessKey) {
		t.Fatalf("err = %v", err)
	}
	m := newMockAPI(t)
	m.on(jsonReply(200, fixture(t, "get_messages.json")))
	t.Setenv(EnvAccessKey, testAK)
	t.Setenv(EnvSecretKey, testSK)
	t.Setenv(EnvSessionToken, testToken)
	c, err := NewClientFromEnv(WithHTTPClient(&http.Client{Transport: m.mt}), WithRateLimit(1e6), withNow(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3}}); err != nil {
		t.Fatal(err)
	}
	r := m.requests()[0]
	verifySigned(t, r)
	if r.req.Header.Get("X-Security-Token") != testToken {
		t.Errorf("session token from the environment not used")
	}
}

func TestClientFormattingHidesSecrets(t *testing.T) {
	t.Parallel()
	c, err := NewClient(testAK, testSK, WithSessionToken(testToken))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(f, c)
		if strings.Contains(out, testSK) || strings.Contains(out, testToken) {
			t.Errorf("%s of a Client shows a secret: %s", f, out)
		}
	}
	if s := fmt.Sprintf("%+v", *c); strings.Contains(s, testSK) || strings.Contains(s, testToken) {
		t.Errorf("%%+v of a Client value shows a secret")
	}
	if !strings.Contains(c.String(), testAK) {
		t.Errorf("String() should name the access key: %s", c)
	}
}

// TestZeroLimitMeansTheDefault checks the SDK's rule for zero values on
// GetConversationMessages: a zero Limit asks for MaxPageSize.
func TestZeroLimitMeansTheDefault(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(jsonReply(200, fixture(t, "get_conversation_messages.json")))
	c := m.client(t)
	if _, err := c.GetConversationMessages(context.Background(), &GetConversationMessagesRequest{AppID: 1, ConversationShortID: 2}); err != nil {
		t.Fatal(err)
	}
	if got, want := string(m.requests()[0].body), `{"AppId":1,"ConversationShortId":2,"Cursor":0,"Limit":20,"Reverse":0}`; got != want {
		t.Errorf("body %s, want %s", got, want)
	}
}
