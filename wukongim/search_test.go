package wukongim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	volcim "github.com/volcim/volcim-go"
)

// TestV2FixtureDecodesEveryField decodes a reply shaped like a real v2
// server's, ids beyond 2^53 included, field by field.
func TestV2FixtureDecodesEveryField(t *testing.T) {
	t.Parallel()
	m := newMock(reply(200, fixture(t, "v2_reply.json")))
	c := m.client(t)
	resp, err := c.SearchMessages(context.Background(), &SearchMessagesRequest{
		MessageIDs: []int64{2118023846374400001, 2118023846374400002, 2118023846374400003},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Message{
		{
			MessageID: 2118023846374400001, MessageSeq: 41,
			ClientMsgNo: "c9a4f2e0-7d1b-4c55-9b1e-0f3a2d6e8b01",
			FromUID:     "alice", ChannelID: "team-42", ChannelType: ChannelTypeGroup,
			Timestamp: time.Date(2025, 12, 23, 14, 26, 40, 0, time.UTC),
			Payload:   []byte(`{"type":1,"content":"hello team"}`),
			Header:    MessageHeader{RedDot: true},
		},
		{
			MessageID: 2118023846374400002, MessageSeq: 42,
			ClientMsgNo: "sys-0002",
			FromUID:     "", ChannelID: "team-42", ChannelType: ChannelTypeGroup,
			Timestamp: time.Date(2025, 12, 23, 14, 27, 41, 0, time.UTC),
			Payload:   []byte(`{"type":1001,"content":"bob joined the group"}`),
		},
		{
			MessageID: 2118023846374400003, MessageSeq: 7,
			ClientMsgNo: "c9a4f2e0-7d1b-4c55-9b1e-0f3a2d6e8b03",
			FromUID:     "bob", ChannelID: "alice@bob", ChannelType: ChannelTypePerson,
			Timestamp: time.Date(2025, 12, 23, 14, 28, 42, 0, time.UTC),
			Payload:   []byte(`{"type":1,"content":"ping"}`),
			Expire:    24 * time.Hour,
			Setting:   SettingReceiptEnabled,
			Header:    MessageHeader{RedDot: true, SyncOnce: true},
		},
	}
	if !reflect.DeepEqual(resp.Messages, want) {
		t.Errorf("messages:\n got %+v\nwant %+v", resp.Messages, want)
	}
	if len(resp.NotFound) != 0 {
		t.Errorf("NotFound = %v, want none", resp.NotFound)
	}
	if !resp.Messages[2].Setting.Has(SettingReceiptEnabled) || resp.Messages[2].Setting.Has(SettingTopic) {
		t.Errorf("Setting.Has is wrong for %08b", resp.Messages[2].Setting)
	}
}

// TestReplyShapes runs the same search against a v2-style server and a
// page-style server, with hits and misses.
func TestReplyShapes(t *testing.T) {
	t.Parallel()
	held := storeOf(11, 13, 14)
	cases := []struct {
		name         string
		server       func(*testing.T) func(*http.Request, []byte) (*http.Response, error)
		ask          []int64
		wantFound    []int64
		wantNotFound []int64
	}{
		{"v2 all found", held.v2, []int64{14, 11, 13}, []int64{14, 11, 13}, nil},
		{"v2 partial miss: 200 with fewer", held.v2, []int64{11, 12, 13, 15}, []int64{11, 13}, []int64{12, 15}},
		{"v2 total miss: 200 with none", held.v2, []int64{1, 2}, nil, []int64{1, 2}},
		{"page all found: bare array", held.page, []int64{13, 11}, []int64{13, 11}, nil},
		{"page single miss: 404", held.page, []int64{12}, nil, []int64{12}},
		{"page partial miss: 404 resolved by halves", held.page, []int64{11, 12, 13, 14, 15}, []int64{11, 13, 14}, []int64{12, 15}},
		{"page total miss: 404", held.page, []int64{1, 2, 3}, nil, []int64{1, 2, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMock()
			m.handle(tc.server(t))
			resp, err := m.client(t).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: tc.ask})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(resp.Messages); !slices.Equal(got, tc.wantFound) && !(len(got) == 0 && len(tc.wantFound) == 0) {
				t.Errorf("found %v, want %v", got, tc.wantFound)
			}
			if !slices.Equal(resp.NotFound, tc.wantNotFound) {
				t.Errorf("NotFound %v, want %v", resp.NotFound, tc.wantNotFound)
			}
			if n, max := len(m.requests()), 2*len(tc.ask)-1; n > max {
				t.Errorf("%d requests for %d ids, more than %d", n, len(tc.ask), max)
			}
			for _, msg := range resp.Messages {
				if string(msg.Payload) != fmt.Sprintf("m%d", msg.MessageID) {
					t.Errorf("message %d has payload %q", msg.MessageID, msg.Payload)
				}
			}
		})
	}
}

// TestEmptyV2Replies: every way a v2 server can say "none of them".
func TestEmptyV2Replies(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"messages":[]}`,
		`{"messages":null}`,
		`{"start_message_seq":0,"end_message_seq":0,"more":0,"messages":[]}`,
		` [ ] `,
	} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			m := newMock(reply(200, body))
			resp, err := m.client(t).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{5, 6}})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Messages) != 0 || !slices.Equal(resp.NotFound, []int64{5, 6}) {
				t.Errorf("got %+v", resp)
			}
		})
	}
}

// Test404Replies pins down what each kind of 404 means.
func Test404Replies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		body         string
		ask          []int64
		wantFound    []int64
		wantNotFound []int64
		wantErr      string // substring of the error; "" for success
	}{
		{"array body is a partial result", `[{"message_id":2,"message_seq":1,"channel_id":"g","channel_type":2,"timestamp":1,"payload":"eA=="}]`,
			[]int64{1, 2, 3}, []int64{2}, []int64{1, 3}, ""},
		{"v2 object body is a partial result", `{"messages":[{"message_idstr":"3","payload":"eA=="}]}`,
			[]int64{3, 4}, []int64{3}, []int64{4}, ""},
		{"not-found object for one id", `{"msg":"message not found","status":404}`,
			[]int64{7}, nil, []int64{7}, ""},
		{"not-found msg without status", `{"msg":"消息不存在！"}`,
			[]int64{7}, nil, []int64{7}, ""},
		{"empty body is an error", ``, []int64{7}, nil, nil, "HTTP 404: Not Found (an empty 404"},
		{"router text is an error", "404 page not found\n", []int64{7}, nil, nil, "HTTP 404: 404 page not found (not WuKongIM's JSON"},
		{"html is an error", "<html><body><h1>404 Not Found</h1></body></html>", []int64{7}, nil, nil, "HTTP 404: <html>"},
		{"other msg, other status is an error", `{"msg":"route disabled","status":403}`, []int64{7}, nil, nil, "HTTP 404: route disabled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMock(reply(404, tc.body))
			resp, err := m.client(t).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: tc.ask})
			if n := len(m.requests()); n != 1 {
				t.Errorf("%d requests, want 1 (a 404 is not retried)", n)
			}
			if tc.wantErr != "" {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
					t.Fatalf("err = %v, want an *APIError with status 404", err)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %q, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(resp.Messages); !slices.Equal(got, tc.wantFound) && len(got)+len(tc.wantFound) > 0 {
				t.Errorf("found %v, want %v", got, tc.wantFound)
			}
			if !slices.Equal(resp.NotFound, tc.wantNotFound) {
				t.Errorf("NotFound %v, want %v", resp.NotFound, tc.wantNotFound)
			}
		})
	}
}

func TestRequestBodyAndHeaders(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		opts          []Option
		base          string
		wantURL       string
		wantChannelID string
		wantToken     string
	}{
		{"defaults", nil, testBase, testURL, "_", ""},
		{"token and channel id", []Option{WithToken(testToken), WithChannelID("ops-audit")}, testBase + "/", testURL, "ops-audit", testToken},
		{"path prefix kept", nil, testBase + "/wk", testBase + "/wk/messages", "_", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			var got *http.Request
			var body []byte
			mt.RegisterResponder(http.MethodPost, tc.wantURL, func(req *http.Request) (*http.Response, error) {
				got = req
				body, _ = io.ReadAll(req.Body)
				return httpmock.NewStringResponse(200, `{"messages":[]}`), nil
			})
			c, err := NewClient(tc.base, append([]Option{WithHTTPClient(&http.Client{Transport: mt})}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{9, 2118023846374400001}}); err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("no request")
			}
			want := `{"channel_id":"` + tc.wantChannelID + `","message_ids":[9,2118023846374400001]}`
			if string(body) != want {
				t.Errorf("body %s, want %s", body, want)
			}
			if ct := got.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			vals, present := got.Header[http.CanonicalHeaderKey("token")]
			switch {
			case tc.wantToken == "" && present:
				t.Errorf("token header sent without WithToken: %d values", len(vals))
			case tc.wantToken != "" && got.Header.Get("token") != tc.wantToken:
				t.Errorf("token header missing or wrong")
			}
		})
	}
}

func TestTokenSentOnEveryAttempt(t *testing.T) {
	t.Parallel()
	m := newMock(reply(503, ""), reply(200, `{"messages":[]}`))
	c := m.client(t, WithToken(testToken))
	if _, err := c.SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1}}); err != nil {
		t.Fatal(err)
	}
	reqs := m.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, r := range reqs {
		if r.header.Get("token") != testToken {
			t.Errorf("attempt %d has no token", i+1)
		}
	}
}

func TestInvalidInputMakesNoRequest(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		req   *SearchMessagesRequest
		field string
	}{
		{"nil request", nil, ""},
		{"nil list", &SearchMessagesRequest{}, "MessageIDs"},
		{"empty list", &SearchMessagesRequest{MessageIDs: []int64{}}, "MessageIDs"},
		{"zero id", &SearchMessagesRequest{MessageIDs: []int64{5, 0}}, "MessageIDs"},
		{"negative id", &SearchMessagesRequest{MessageIDs: []int64{-1}}, "MessageIDs"},
		{"bad id beyond the first chunk", &SearchMessagesRequest{MessageIDs: append(seq(1, 450), -7)}, "MessageIDs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMock(reply(200, `{"messages":[]}`))
			resp, err := m.client(t).SearchMessages(context.Background(), tc.req)
			if resp != nil || !errors.Is(err, ErrInvalidRequest) || !errors.Is(err, volcim.ErrInvalidRequest) {
				t.Fatalf("got %v, %v; want an error wrapping ErrInvalidRequest", resp, err)
			}
			var ire *volcim.InvalidRequestError
			if !errors.As(err, &ire) || ire.Field != tc.field || ire.Action != ActionSearchMessages {
				t.Errorf("err = %#v, want field %q", err, tc.field)
			}
			if n := m.mt.GetTotalCallCount(); n != 0 {
				t.Errorf("%d requests sent for bad input", n)
			}
		})
	}
}

func TestDuplicatesAreAskedOnceInFirstOccurrenceOrder(t *testing.T) {
	t.Parallel()
	m := newMock()
	m.handle(storeOf(1, 2, 3).v2(t))
	resp, err := m.client(t).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{3, 1, 3, 9, 2, 1, 9}})
	if err != nil {
		t.Fatal(err)
	}
	reqs := m.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	if got := reqs[0].search(t).MessageIDs; !slices.Equal(got, []int64{3, 1, 9, 2}) {
		t.Errorf("sent %v, want [3 1 9 2]", got)
	}
	if got := ids(resp.Messages); !slices.Equal(got, []int64{3, 1, 2}) {
		t.Errorf("found %v, want [3 1 2]", got)
	}
	if !slices.Equal(resp.NotFound, []int64{9}) {
		t.Errorf("NotFound %v, want [9]", resp.NotFound)
	}
}

func TestChunking(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		opts      []Option
		n         int64
		wantSizes []int
	}{
		{"default: 2.5 chunks", nil, DefaultChunkSize*2 + DefaultChunkSize/2, []int{DefaultChunkSize, DefaultChunkSize, DefaultChunkSize / 2}},
		{"exactly one chunk", nil, DefaultChunkSize, []int{DefaultChunkSize}},
		{"WithChunkSize(2)", []Option{WithChunkSize(2)}, 5, []int{2, 2, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			all := seq(1000, tc.n)
			// Every third id is missing; the server answers in reverse order.
			held := store{}
			var want, wantMissing []int64
			for i, id := range all {
				if i%3 == 2 {
					wantMissing = append(wantMissing, id)
					continue
				}
				held[id] = true
				want = append(want, id)
			}
			m := newMock()
			v2 := held.v2(t)
			m.handle(func(req *http.Request, body []byte) (*http.Response, error) {
				resp, err := v2(req, body)
				return reverseMessages(t, resp), err
			})
			resp, err := m.client(t, tc.opts...).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: all})
			if err != nil {
				t.Fatal(err)
			}
			var sizes []int
			var sent []int64
			for _, r := range m.requests() {
				b := r.search(t)
				sizes = append(sizes, len(b.MessageIDs))
				sent = append(sent, b.MessageIDs...)
			}
			if !slices.Equal(sizes, tc.wantSizes) {
				t.Errorf("chunk sizes %v, want %v", sizes, tc.wantSizes)
			}
			if !slices.Equal(sent, all) {
				t.Errorf("ids sent out of order or not all")
			}
			if got := ids(resp.Messages); !slices.Equal(got, want) {
				t.Errorf("found %d messages out of request order", len(got))
			}
			if !slices.Equal(resp.NotFound, wantMissing) {
				t.Errorf("NotFound %v, want %v", resp.NotFound, wantMissing)
			}
		})
	}
}

// reverseMessages reverses the messages of a v2 reply.
func reverseMessages(t *testing.T, resp *http.Response) *http.Response {
	t.Helper()
	var v struct {
		Messages []map[string]any `json:"messages"`
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(v.Messages)
	out, _ := jsonResponse(t, resp.StatusCode, v)
	return out
}

func TestUnaskedAndRepeatedMessagesAreDropped(t *testing.T) {
	t.Parallel()
	logger, logs := logRecorder()
	// Asked for 1 and 2; the server adds 99 (never asked), repeats 1, and
	// returns the newest message of a channel, as it would for id 0.
	m := newMock(reply(200, `{"messages":[
		{"message_idstr":"1","payload":"YQ=="},
		{"message_idstr":"99","payload":"Yg=="},
		{"message_idstr":"1","payload":"Yw=="}]}`))
	resp, err := m.client(t, WithLogger(logger)).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Messages) != 1 || resp.Messages[0].MessageID != 1 || string(resp.Messages[0].Payload) != "a" {
		t.Errorf("messages %+v, want only the first copy of 1", resp.Messages)
	}
	if !slices.Equal(resp.NotFound, []int64{2}) {
		t.Errorf("NotFound %v, want [2]", resp.NotFound)
	}
	if !strings.Contains(logs(), "message_id=99") {
		t.Errorf("the dropped message was not logged:\n%s", logs())
	}
}

func TestMessageIDPrecision(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		msg     string
		ask     int64
		wantErr bool
	}{
		{"idstr wins over a rounded message_id", `{"message_id":2.1180238463744e+18,"message_idstr":"2118023846374400001"}`, 2118023846374400001, false},
		{"idstr wins over a wrong integer", `{"message_id":2118023846374400000,"message_idstr":"2118023846374400001"}`, 2118023846374400001, false},
		{"message_id alone is exact", `{"message_id":9223372036854775807}`, 9223372036854775807, false},
		{"message_id as a JSON string", `{"message_id":"2118023846374400001"}`, 2118023846374400001, false},
		{"float message_id alone is refused", `{"message_id":2.1180238463744e+18}`, 2118023846374400001, true},
		{"malformed idstr is refused", `{"message_id":1,"message_idstr":"x1"}`, 1, true},
		{"no id at all is refused", `{"client_msg_no":"c"}`, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMock(reply(200, `{"messages":[`+tc.msg+`]}`))
			resp, err := m.client(t).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{tc.ask}})
			if tc.wantErr {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 200 || apiErr.Err == nil {
					t.Fatalf("err = %v, want an *APIError for an unusable 200", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Messages) != 1 || resp.Messages[0].MessageID != tc.ask {
				t.Errorf("got %+v, want id %d", resp.Messages, tc.ask)
			}
		})
	}
}

func TestErrorsAndRetries(t *testing.T) {
	t.Parallel()
	const badChannel = `{"msg":"channel_id不能为空！","status":400}`
	cases := []struct {
		name         string
		replies      []httpmock.Responder
		opts         []Option
		wantAttempts int
		wantStatus   int    // 0: success
		wantMsg      string // APIError.Msg
		wantText     string // substring of Error()
		wantTemp     bool
	}{
		{"503, 503, 200 succeeds on the third attempt", []httpmock.Responder{reply(503, ""), reply(503, "busy"), reply(200, `{"messages":[]}`)}, nil, 3, 0, "", "", false},
		{"transport error is retried", []httpmock.Responder{httpmock.NewErrorResponder(errors.New("connection reset by peer")), reply(200, `[]`)}, nil, 2, 0, "", "", false},
		{"400 is not retried", []httpmock.Responder{reply(400, badChannel)}, nil, 1, 400, "channel_id不能为空！", "wukongim.SearchMessages: HTTP 400: channel_id不能为空！", false},
		{"503 until attempts run out", []httpmock.Responder{reply(503, `{"msg":"overloaded","status":503}`)}, nil, 3, 503, "overloaded", "HTTP 503: overloaded after 3 attempts", true},
		{"500 html keeps an excerpt", []httpmock.Responder{reply(500, "<html>\n<b>Bad   Gateway</b></html>")}, []Option{WithRetry(volcim.RetryPolicy{MaxAttempts: 1})}, 1, 500, "<html> <b>Bad Gateway</b></html>", "HTTP 500: <html> <b>Bad Gateway</b></html>", true},
		{"401 with an empty body, no token", []httpmock.Responder{reply(401, "")}, nil, 1, 401, "", "HTTP 401: Unauthorized (the server requires a manager token: see WithToken)", false},
		{"401 with an empty body, token refused", []httpmock.Responder{reply(401, "")}, []Option{WithToken(testToken)}, 1, 401, "", "HTTP 401: Unauthorized (the server refused the token)", false},
		{"200 that is not JSON", []httpmock.Responder{reply(200, "<html>maintenance</html>")}, nil, 1, 200, "<html>maintenance</html>", `HTTP 200: unusable reply: invalid character '<' looking for beginning of value (body starts "<html>maintenance</html>")`, false},
		{"200 with an error object", []httpmock.Responder{reply(200, `{"msg":"oops","status":500}`)}, nil, 1, 200, `{"msg":"oops","status":500}`, `unusable reply: a JSON object with no messages, msg "oops", status 500`, false},
		{"200 with an empty body", []httpmock.Responder{reply(200, "")}, nil, 1, 200, "", "HTTP 200: unusable reply: empty body", false},
		{"200 with a bad payload", []httpmock.Responder{reply(200, `[{"message_id":1,"payload":"@@@"}]`)}, nil, 1, 200, "", "unusable reply: illegal base64", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newMock(tc.replies...)
			_, err := m.client(t, tc.opts...).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1}})
			if n := m.mt.GetTotalCallCount(); n != tc.wantAttempts {
				t.Errorf("%d attempts, want %d", n, tc.wantAttempts)
			}
			if tc.wantStatus == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want an *APIError", err, err)
			}
			if apiErr.StatusCode != tc.wantStatus || apiErr.Attempts != tc.wantAttempts || apiErr.Temporary() != tc.wantTemp {
				t.Errorf("APIError %+v, want status %d after %d attempts, temporary %v", apiErr, tc.wantStatus, tc.wantAttempts, tc.wantTemp)
			}
			if tc.wantMsg != "" && apiErr.Msg != tc.wantMsg {
				t.Errorf("Msg %q, want %q", apiErr.Msg, tc.wantMsg)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %q, want it to contain %q", err, tc.wantText)
			}
		})
	}
}

func TestTransportErrorAfterRetries(t *testing.T) {
	t.Parallel()
	m := newMock(httpmock.NewErrorResponder(errors.New("connection refused")))
	_, err := m.client(t).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1}})
	if err == nil || !strings.Contains(err.Error(), "wukongim.SearchMessages failed after 3 attempts: connection refused") {
		t.Fatalf("err = %v", err)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		t.Errorf("a transport error is not an APIError")
	}
}

func TestErrorInALaterChunkNamesTheChunk(t *testing.T) {
	t.Parallel()
	m := newMock(reply(200, `{"messages":[]}`), reply(400, `{"msg":"数据格式有误！","status":400}`))
	resp, err := m.client(t, WithChunkSize(2)).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: seq(1, 5)})
	var apiErr *APIError
	if resp != nil || !errors.As(err, &apiErr) || apiErr.Status != 400 {
		t.Fatalf("got %v, %v", resp, err)
	}
	if !strings.HasSuffix(err.Error(), "(chunk 2 of 3)") {
		t.Errorf("err = %q, want the chunk named", err)
	}
	if n := m.mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d requests, want 2 (stop at the first failed chunk)", n)
	}
}

func TestOversizedReplyIsSplit(t *testing.T) {
	t.Parallel()
	m := newMock()
	m.handle(storeOf(seq(1, 8)...).v2(t))
	// One message is ~330 bytes of JSON: a cap of 1000 bytes fits two.
	c := m.client(t, WithMaxResponseBytes(1000))
	resp, err := c.SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: seq(1, 8)})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(resp.Messages); !slices.Equal(got, seq(1, 8)) {
		t.Errorf("found %v", got)
	}
	if n := m.mt.GetTotalCallCount(); n != 7 {
		t.Errorf("%d requests, want 7 (8 ids, halved twice)", n)
	}

	c = m.client(t, WithMaxResponseBytes(100))
	_, err = c.SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1}})
	if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "exceeds the size limit") {
		t.Errorf("a single message over the cap: err = %v", err)
	}
}

func TestLimiterIsWaitedOnEveryAttempt(t *testing.T) {
	t.Parallel()
	var waits atomic.Int32
	lim := limiterFunc(func(ctx context.Context, action string) error {
		if action != ActionSearchMessages {
			t.Errorf("limiter asked for %q", action)
		}
		waits.Add(1)
		return nil
	})
	m := newMock(reply(503, ""), reply(200, `{"messages":[]}`), reply(200, `{"messages":[]}`))
	c := m.client(t, WithLimiter(lim), WithChunkSize(1))
	if _, err := c.SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1, 2}}); err != nil {
		t.Fatal(err)
	}
	if n := waits.Load(); n != 3 {
		t.Errorf("limiter waited %d times, want 3 (two chunks, one retry)", n)
	}

	refuse := limiterFunc(func(context.Context, string) error { return errors.New("budget exhausted") })
	m = newMock(reply(200, `{"messages":[]}`))
	_, err := m.client(t, WithLimiter(refuse)).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1}})
	if err == nil || m.mt.GetTotalCallCount() != 0 {
		t.Errorf("a refusing limiter: err %v, %d requests", err, m.mt.GetTotalCallCount())
	}
}

type limiterFunc func(context.Context, string) error

func (f limiterFunc) Wait(ctx context.Context, action string, _ int) error { return f(ctx, action) }

func (f limiterFunc) Throttled(string, time.Duration) {}

func TestCancelledContextSendsNothing(t *testing.T) {
	t.Parallel()
	m := newMock(reply(200, `{"messages":[]}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.client(t).SearchMessages(ctx, &SearchMessagesRequest{MessageIDs: []int64{1}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := m.mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests", n)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	m := newMock(func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(http.StatusTemporaryRedirect, "")
		r.Header.Set("Location", "http://collector.example/messages")
		return r, nil
	})
	var leaked atomic.Bool
	m.mt.RegisterResponder(http.MethodPost, "http://collector.example/messages", func(req *http.Request) (*http.Response, error) {
		leaked.Store(req.Header.Get("token") != "")
		return httpmock.NewStringResponse(200, `{"messages":[]}`), nil
	})
	_, err := m.client(t, WithToken(testToken)).SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1}})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("err = %v, want the 307 reported as an error", err)
	}
	if leaked.Load() || m.mt.GetCallCountInfo()["POST http://collector.example/messages"] != 0 {
		t.Errorf("the request followed the redirect to another origin")
	}
}
