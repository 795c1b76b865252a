package volcim

// Tests of the invariants the request path's performance work relies on,
// run against a real loopback server (not a mock transport), and a
// benchmark of the decoding step alone. The side-by-side benchmarks against
// the official SDK and bare net/http are in reference/clientbench.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/volcim/volcim-go/internal/transport"
	"github.com/volcim/volcim-go/signer"
)

// Credentials of the tests in this file (it shares nothing with the other
// test files but the package).
const (
	perfAK = "AKLTperfaccesskey0001"
	perfSK = "cGVyZi1zZWNyZXQta2V5"
)

// received is a request as the server got it, with its body.
type received struct {
	req  *http.Request
	body []byte
}

// loopback is a test server that records every request and answers with
// reply(n), n counting requests from 1.
type loopback struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []received
	n    atomic.Int64
}

func newLoopback(t *testing.T, reply func(n int64, req *http.Request) (int, string)) *loopback {
	t.Helper()
	lb := &loopback{}
	lb.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		lb.mu.Lock()
		lb.reqs = append(lb.reqs, received{req: r.Clone(context.Background()), body: body})
		lb.mu.Unlock()
		status, out := reply(lb.n.Add(1), r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, out)
	}))
	t.Cleanup(lb.Close)
	return lb
}

func (lb *loopback) requests() []received {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	return append([]received(nil), lb.reqs...)
}

// client returns a client of lb with its own connection pool.
func (lb *loopback) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	base := []Option{
		WithEndpoint(lb.URL),
		WithHTTPClient(&http.Client{Transport: tr}),
		WithRateLimit(1e6),
		WithRetry(RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}),
	}
	c, err := NewClient(perfAK, perfSK, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// verifyServerSide checks a received request's signature as the API would.
func verifyServerSide(t *testing.T, r received) {
	t.Helper()
	xdate := r.req.Header.Get("X-Date")
	at, err := time.Parse("20060102T150405Z", xdate)
	if err != nil {
		t.Fatalf("X-Date %q: %v", xdate, err)
	}
	if _, err := signer.Verify(r.req, r.body, func(ak string) (string, bool) { return perfSK, ak == perfAK }, at, time.Minute); err != nil {
		t.Fatalf("%s: signature does not verify: %v", r.req.URL.RawQuery, err)
	}
}

func okReply(result string) string {
	return `{"ResponseMetadata":{"RequestId":"r1","Action":"A","Version":"2020-12-01","Service":"rtc","Region":"cn-north-1"},"Result":` + result + `}`
}

// The decoders give json.Unmarshal a slice with room for the expected
// items; a list that is absent or null must still come out nil, and an
// empty one empty, as without the room.
func TestPresizedListsDecodeAsBefore(t *testing.T) {
	t.Parallel()
	msg := `{"ConversationShortId":2,"MessageId":%d,"MsgType":10001,"Content":"hi","CreateTime":1669723106144,"Sender":7,"AppId":1}`
	conv := `{"ConversationShortId":%d,"AppId":1,"CreateTime":1669714409}`
	items := func(format string, n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(format, i+1)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	for _, tc := range []struct {
		name    string
		list    string // the list's JSON; "" leaves the key out
		wantNil bool
		wantLen int
	}{
		{name: "absent", wantNil: true},
		{name: "null", list: "null", wantNil: true},
		{name: "empty", list: "[]"},
		{name: "one", list: "1", wantLen: 1},
		{name: "as asked", list: "3", wantLen: 3},
		{name: "more than asked", list: "5", wantLen: 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			field := func(key, format string) string {
				switch tc.list {
				case "":
					return ""
				case "null", "[]":
					return `"` + key + `":` + tc.list
				}
				var n int
				fmt.Sscan(tc.list, &n)
				return `"` + key + `":` + items(format, n)
			}
			lb := newLoopback(t, func(_ int64, r *http.Request) (int, string) {
				switch {
				case strings.Contains(r.URL.RawQuery, "GetConversationMessages"):
					f := field("Messages", msg)
					if f != "" {
						f = "," + f
					}
					return 200, okReply(`{"HasMore":false,"NewCursor":0` + f + `}`)
				case strings.Contains(r.URL.RawQuery, "GetMessages"):
					return 200, okReply(`{` + field("Messages", msg) + `}`)
				default:
					return 200, okReply(`{` + field("ConversationCoreInfos", conv) + `}`)
				}
			})
			c := lb.client(t)
			ctx := context.Background()
			check := func(what string, isNil bool, n int) {
				t.Helper()
				if isNil != tc.wantNil || n != tc.wantLen {
					t.Errorf("%s: nil %v, len %d; want nil %v, len %d", what, isNil, n, tc.wantNil, tc.wantLen)
				}
			}
			page, err := c.GetConversationMessages(ctx, &GetConversationMessagesRequest{AppID: 1, ConversationShortID: 2, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			check("GetConversationMessages", page.Messages == nil, len(page.Messages))
			msgs, err := c.GetMessages(ctx, &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{1, 2, 3}})
			if err != nil {
				t.Fatal(err)
			}
			check("GetMessages", msgs.Messages == nil, len(msgs.Messages))
			convs, err := c.BatchGetConversations(ctx, &BatchGetConversationsRequest{AppID: 1, ConversationShortIDs: []int64{1, 2, 3}})
			if err != nil {
				t.Fatal(err)
			}
			check("BatchGetConversations", convs.Conversations == nil, len(convs.Conversations))
			for i, m := range msgs.Messages {
				if m.MessageID != int64(i+1) || m.Content != "hi" || !m.CreateTime.Equal(time.UnixMilli(1669723106144)) {
					t.Errorf("message %d decoded as %+v", i, m)
				}
			}
			for i, cv := range convs.Conversations {
				if cv.ConversationShortID != int64(i+1) || cv.CreateTime.Unix() != 1669714409 {
					t.Errorf("conversation %d decoded as %+v", i, cv)
				}
			}
		})
	}
}

// countingLimiter counts the attempts it grants.
type countingLimiter struct{ n atomic.Int64 }

func (l *countingLimiter) Throttled(string, time.Duration) {}

func (l *countingLimiter) Wait(ctx context.Context, _ string, _ int) error {
	l.n.Add(1)
	return ctx.Err()
}

// Over a real connection: every attempt waits for the limiter, is signed
// afresh (its own X-Date) and carries the whole body again.
func TestRetriedAttemptsOverTheWire(t *testing.T) {
	t.Parallel()
	lb := newLoopback(t, func(n int64, _ *http.Request) (int, string) {
		if n < 3 {
			return 503, `{"ResponseMetadata":{"Error":{"Code":"ServiceUnavailable","Message":"later"}}}`
		}
		return 200, okReply(`{"Messages":[]}`)
	})
	lim := &countingLimiter{}
	var tick atomic.Int64
	// Each attempt reads the clock once, to sign: one second apart.
	ticking := func(cfg *config) error {
		cfg.now = func() time.Time { return time.Now().UTC().Add(time.Duration(tick.Add(1)) * time.Second) }
		return nil
	}
	c := lb.client(t, WithLimiter(lim), ticking)
	res, err := c.GetMessages(context.Background(), &GetMessagesRequest{AppID: 1, ConversationShortID: 2, MessageIDs: []int64{3, 4}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Messages == nil || len(res.Messages) != 0 {
		t.Errorf("Messages %#v, want empty", res.Messages)
	}
	reqs := lb.requests()
	if len(reqs) != 3 || lim.n.Load() != 3 {
		t.Fatalf("%d attempts, %d limiter waits; want 3 and 3", len(reqs), lim.n.Load())
	}
	dates := map[string]bool{}
	for i, r := range reqs {
		if string(r.body) != `{"AppId":1,"ConversationShortId":2,"MessageIds":[3,4]}` {
			t.Errorf("attempt %d body %q", i+1, r.body)
		}
		verifyServerSide(t, r)
		dates[r.req.Header.Get("X-Date")] = true
	}
	if len(dates) != 3 {
		t.Errorf("attempts share an X-Date: %v", dates)
	}
}

// Calls run at once share the client's header map and parsed URLs: none of
// them may change what another sends (run with -race).
func TestConcurrentCallsStayApart(t *testing.T) {
	t.Parallel()
	lb := newLoopback(t, func(_ int64, r *http.Request) (int, string) {
		if strings.Contains(r.URL.RawQuery, "BatchGetConversations") {
			return 200, okReply(`{"ConversationCoreInfos":[{"ConversationShortId":5,"AppId":1}]}`)
		}
		return 200, okReply(`{"Messages":[{"MessageId":9,"AppId":1}]}`)
	})
	c := lb.client(t)
	const workers, calls = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*calls)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for i := range calls {
				var err error
				switch i % 3 {
				case 0:
					_, err = c.GetMessages(ctx, &GetMessagesRequest{AppID: 1, ConversationShortID: int64(w + 1), MessageIDs: []int64{int64(i + 1)}},
						WithCallHeader("X-Worker", fmt.Sprint(w)))
				case 1:
					_, err = c.GetConversationMessages(ctx, &GetConversationMessagesRequest{AppID: 1, ConversationShortID: int64(w + 1), Cursor: int64(i), Limit: 1})
				default:
					_, err = c.BatchGetConversations(ctx, &BatchGetConversationsRequest{AppID: 1, ConversationShortIDs: []int64{int64(w + 1)}})
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	reqs := lb.requests()
	if len(reqs) != workers*calls {
		t.Fatalf("%d requests, want %d", len(reqs), workers*calls)
	}
	for _, r := range reqs {
		verifyServerSide(t, r)
		worker := r.req.Header.Values("X-Worker")
		isGetMessages := strings.Contains(r.req.URL.RawQuery, "Action=GetMessages&")
		switch {
		case isGetMessages && len(worker) != 1:
			t.Errorf("GetMessages sent X-Worker %q, want one value", worker)
		case !isGetMessages && len(worker) != 0:
			t.Errorf("%s sent another call's X-Worker %q", r.req.URL.RawQuery, worker)
		}
		if got := r.req.Header.Values("Authorization"); len(got) != 1 {
			t.Errorf("%d Authorization headers", len(got))
		}
	}
	if len(c.header) != 3 {
		t.Errorf("the client's shared header map changed: %v", c.header)
	}
	for a, u := range c.parsed {
		if u.String() != c.urls[a] {
			t.Errorf("parsed URL of %s changed to %s", registry[a].name, u)
		}
	}
}

// BenchmarkDecodeConversationMessages is the decoding step of
// GetConversationMessages alone (20 messages), without the network:
// decoder=volcim is what a call does (the hot reader of decode_hot.go),
// decoder=encoding-json what it did before, and what the other actions do.
// Both include the conversion to Message values.
//
//	go test -run '^$' -bench DecodeConversationMessages -count 8 . |
//		go run golang.org/x/perf/cmd/benchstat@latest -col /decoder -
func BenchmarkDecodeConversationMessages(b *testing.B) {
	body := conversationMessagesPage()
	for _, tc := range []struct {
		name string
		hot  bool
	}{{"encoding-json", false}, {"volcim", true}} {
		b.Run("decoder="+tc.name, func(b *testing.B) {
			a := actGetConversationMessages
			resp := &transport.Response{StatusCode: 200, Body: body}
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				res, _, err := decodeReplyWith[wireConversationMessages](a, resp, tc.hot)
				if err != nil {
					b.Fatal(err)
				}
				if got := toMessages(res.Messages); len(got) != MaxPageSize {
					b.Fatalf("%d messages", len(got))
				}
			}
		})
	}
}

// conversationMessagesPage is a reply of 20 messages shaped like the API
// page's example (and like reference/clientbench's).
func conversationMessagesPage() []byte {
	var msgs bytes.Buffer
	for i := range MaxPageSize {
		if i > 0 {
			msgs.WriteByte(',')
		}
		fmt.Fprintf(&msgs, `{"ConversationType":2,"ConversationShortId":7171275522159198471,"MessageId":%d,"MsgType":10001,`+
			`"Content":"好的，明天上午十点见","Ext":{"s:client_message_id":"ae16fb90-2be2-4424-aa6e-3a6e5e53%04x"},"Status":0,`+
			`"CreateTime":1669723106144,"Sender":10001,"AppId":633285,"RefMsgInfo":{"ReferencedMessageId":7171391232210503710,`+
			`"Hint":"[图片]","ReferencedMessageType":10003,"Status":0},"IndexInConversation":1669723106241201}`, 7171391232210520094+i, i)
	}
	return []byte(okReply(`{"HasMore":true,"NewCursor":1669723430000000,"Messages":[` + msgs.String() + `]}`))
}
