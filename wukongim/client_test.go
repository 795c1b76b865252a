package wukongim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	volcim "github.com/volcim/volcim-go"
)

func TestNewClientValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		base    string
		opts    []Option
		wantErr string // substring; "" for success
	}{
		{"loopback http", "http://127.0.0.1:5001", nil, ""},
		{"localhost http", "http://localhost:5001/", nil, ""},
		{"ipv6 loopback http", "http://[::1]:5001", nil, ""},
		{"https anywhere", "https://im.example.com", nil, ""},
		{"private-network http refused", "http://10.0.3.7:5001", nil, "pass wukongim.WithInsecureHTTP()"},
		{"private-network http with opt-in", "http://10.0.3.7:5001", []Option{WithInsecureHTTP()}, ""},
		{"not http", "ftp://127.0.0.1", nil, "not an absolute http(s) URL"},
		{"relative", "/wk", nil, "not an absolute http(s) URL"},
		{"query", "http://127.0.0.1:5001/?x=1", nil, "must not carry a query"},
		{"nil options are skipped", testBase, []Option{nil}, ""},
		{"nil http client", testBase, []Option{WithHTTPClient(nil)}, "WithHTTPClient: nil client"},
		{"empty token", testBase, []Option{WithToken("")}, "WithToken: empty token"},
		{"token with a newline", testBase, []Option{WithToken("abc\r\nX-Evil: 1")}, "control character at byte 3"},
		{"nil limiter", testBase, []Option{WithLimiter(nil)}, "WithLimiter: nil limiter"},
		{"negative retry", testBase, []Option{WithRetry(volcim.RetryPolicy{MaxAttempts: -1})}, "WithRetry: retry policy: negative value"},
		{"backoff inverted", testBase, []Option{WithRetry(volcim.RetryPolicy{MinBackoff: time.Second, MaxBackoff: time.Millisecond})}, "MaxBackoff"},
		{"blank channel id", testBase, []Option{WithChannelID("  ")}, "WithChannelID"},
		{"zero size cap", testBase, []Option{WithMaxResponseBytes(0)}, "WithMaxResponseBytes"},
		{"zero attempt timeout", testBase, []Option{WithAttemptTimeout(0)}, "WithAttemptTimeout"},
		{"chunk too big", testBase, []Option{WithChunkSize(MaxChunkSize + 1)}, "WithChunkSize"},
		{"chunk zero", testBase, []Option{WithChunkSize(0)}, "WithChunkSize"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(tc.base, tc.opts...)
			if tc.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("NewClient: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "wukongim: NewClient: ") {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "X-Evil") {
				t.Errorf("the token reached the error: %v", err)
			}
		})
	}
}

// TestSecretsNeverLeak runs the client through success, retries, API
// errors, a transport error, bad input and a bad option with a debug logger,
// and checks that neither the logs, nor any error, nor any formatting of the
// client holds the token.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	logger, logs := logRecorder()
	m := newMock(
		reply(503, ""),
		reply(200, fixture(t, "v2_reply.json")),
		httpmock.NewErrorResponder(errors.New("connection reset by peer")),
		reply(401, ""),
		reply(400, `{"msg":"数据格式有误！","status":400}`),
		reply(200, "<html>proxy</html>"),
		reply(404, "404 page not found"),
		reply(200, `[{"message_id":99}]`),
	)
	c := m.client(t, WithToken(testToken), WithLogger(logger), WithRetry(volcim.RetryPolicy{MaxAttempts: 2, MinBackoff: time.Nanosecond, MaxBackoff: time.Nanosecond}))
	var out []string
	for i := 0; i < 7; i++ {
		if _, err := c.SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1, 2118023846374400001}}); err != nil {
			out = append(out, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	if _, err := c.SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{0}}); err != nil {
		out = append(out, err.Error())
	}
	if _, err := NewClient("http://10.1.1.1:5001", WithToken(testToken)); err != nil {
		out = append(out, err.Error())
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%T %p"} {
		out = append(out, fmt.Sprintf(f, c, c))
	}
	out = append(out, fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c), c.String())
	for _, r := range m.requests() {
		if r.header.Get("token") != testToken {
			t.Fatalf("a request went without the token; the check would be vacuous")
		}
	}
	if !strings.Contains(logs(), "wukongim: attempt") || !strings.Contains(logs(), "wukongim: retrying") {
		t.Fatalf("the logger saw nothing; the check would be vacuous:\n%s", logs())
	}
	all := logs() + strings.Join(out, "\n")
	if strings.Contains(all, testToken) || strings.Contains(all, testToken[:12]) {
		t.Errorf("the token leaked:\n%s", all)
	}
	if !strings.Contains(c.String(), "Token: set") || !strings.Contains(c.String(), "Endpoint: "+testBase) {
		t.Errorf("String() = %s", c)
	}
	var nilClient *Client
	if s := fmt.Sprint(nilClient); s != "wukongim.Client(nil)" {
		t.Errorf("nil client prints %q", s)
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	var calls atomic.Int32
	mt.RegisterResponder(http.MethodPost, testURL, func(req *http.Request) (*http.Response, error) {
		if calls.Add(1) == 1 {
			<-req.Context().Done() // hang until the attempt times out
			return nil, req.Context().Err()
		}
		return httpmock.NewStringResponse(200, `{"messages":[]}`), nil
	})
	c, err := NewClient(testBase, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(fastRetry), WithAttemptTimeout(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SearchMessages(context.Background(), &SearchMessagesRequest{MessageIDs: []int64{1}}); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

func TestChannelTypeString(t *testing.T) {
	t.Parallel()
	cases := map[ChannelType]string{
		0:                          "ChannelType(0)",
		ChannelTypePerson:          "Person",
		ChannelTypeGroup:           "Group",
		ChannelTypeCustomerService: "CustomerService",
		ChannelTypeCommunity:       "Community",
		ChannelTypeCommunityTopic:  "CommunityTopic",
		ChannelTypeInfo:            "Info",
		ChannelTypeData:            "Data",
		ChannelTypeTemp:            "Temp",
		ChannelTypeLive:            "Live",
		ChannelTypeVisitors:        "Visitors",
		ChannelTypeAgent:           "Agent",
		ChannelTypeAgentGroup:      "AgentGroup",
		13:                         "ChannelType(13)",
		255:                        "ChannelType(255)",
	}
	for ct, want := range cases {
		if got := ct.String(); got != want {
			t.Errorf("ChannelType(%d).String() = %q, want %q", uint8(ct), got, want)
		}
	}
}
