package volcim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/volcim/volcim-go/pagination"
)

// fakeConversation answers GetConversationMessages over n messages whose
// IndexInConversation is 10·(i+1), with an inclusive cursor (0 starts at the
// oldest going forward and at the newest in reverse). failAt makes the call
// with that sequence number (1-based) answer a non-retryable error.
type fakeConversation struct {
	n      int
	failAt int

	mu     sync.Mutex
	calls  int
	limits []int
}

func (f *fakeConversation) index(i int) int64 { return int64(10 * (i + 1)) }

func (f *fakeConversation) respond(req *http.Request) (*http.Response, error) {
	var body struct {
		Cursor  int64
		Limit   int
		Reverse int
	}
	if err := json.NewDecoder(req.Body).Decode(&body); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.calls++
	call := f.calls
	f.limits = append(f.limits, body.Limit)
	f.mu.Unlock()
	if call == f.failAt {
		return httpmock.NewStringResponse(200, `{"ResponseMetadata":{"RequestId":"boom","Error":{"Code":"InternalServiceError","Message":"page lost"}}}`), nil
	}
	var msgs []wireMessage
	var next int64
	hasMore := false
	if body.Reverse == 1 {
		i := f.n - 1
		if body.Cursor != 0 {
			for i >= 0 && f.index(i) > body.Cursor {
				i--
			}
		}
		for ; i >= 0 && len(msgs) < body.Limit; i-- {
			msgs = append(msgs, wireMessage{MessageID: int64(i + 1), IndexInConversation: f.index(i), CreateTime: 1})
		}
		if i >= 0 {
			hasMore, next = true, f.index(i)
		}
	} else {
		i := 0
		for i < f.n && f.index(i) < body.Cursor {
			i++
		}
		for ; i < f.n && len(msgs) < body.Limit; i++ {
			msgs = append(msgs, wireMessage{MessageID: int64(i + 1), IndexInConversation: f.index(i), CreateTime: 1})
		}
		if i < f.n {
			hasMore, next = true, f.index(i)
		}
	}
	out, _ := json.Marshal(map[string]any{
		"ResponseMetadata": map[string]any{"RequestId": fmt.Sprint("r", call)},
		"Result":           wireConversationMessages{HasMore: hasMore, NewCursor: next, Messages: msgs},
	})
	return httpmock.NewBytesResponse(200, out), nil
}

func (f *fakeConversation) client(t *testing.T) *Client {
	m := newMockAPI(t)
	m.on(f.respond)
	return m.client(t, WithAppID(1))
}

func (f *fakeConversation) callLimits() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.limits...)
}

func collectIDs(t *testing.T, seq func(func(Message, error) bool)) ([]int64, error) {
	t.Helper()
	var ids []int64
	for m, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, m.MessageID)
	}
	return ids, nil
}

func wantIDs(from, to int) []int64 {
	var ids []int64
	if from <= to {
		for i := from; i <= to; i++ {
			ids = append(ids, int64(i))
		}
	} else {
		for i := from; i >= to; i-- {
			ids = append(ids, int64(i))
		}
	}
	return ids
}

func TestConversationMessagesWalksEverything(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 19, 20, 21, 1000} {
		for _, reverse := range []bool{false, true} {
			t.Run(fmt.Sprintf("n=%d/reverse=%v", n, reverse), func(t *testing.T) {
				t.Parallel()
				f := &fakeConversation{n: n}
				c := f.client(t)
				ids, err := collectIDs(t, c.ConversationMessages(context.Background(), &ConversationMessagesRequest{ConversationShortID: 9, Reverse: reverse}))
				if err != nil {
					t.Fatal(err)
				}
				var want []int64
				if n > 0 {
					want = wantIDs(1, n)
					if reverse {
						want = wantIDs(n, 1)
					}
				}
				if fmt.Sprint(ids) != fmt.Sprint(want) {
					t.Fatalf("got %d messages %v...", len(ids), ids[:min(len(ids), 5)])
				}
				wantCalls := max(1, (n+19)/20)
				if n > 0 && n%20 == 0 {
					wantCalls = n / 20 // the last full page says HasMore false
				}
				if got := len(f.callLimits()); got != wantCalls {
					t.Errorf("%d calls, want %d", got, wantCalls)
				}
			})
		}
	}
}

func TestConversationMessagesMax(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n, max, pageSize int
		limits           []int
		got              int
	}{
		{n: 100, max: 50, limits: []int{20, 20, 10}, got: 50},
		{n: 100, max: 20, limits: []int{20}, got: 20},
		{n: 100, max: 7, pageSize: 5, limits: []int{5, 2}, got: 7},
		{n: 50, max: 50, limits: []int{20, 20, 10}, got: 50},
		{n: 45, max: 50, limits: []int{20, 20, 10}, got: 45},
		{n: 30, max: 1000, limits: []int{20, 20}, got: 30},
	} {
		t.Run(fmt.Sprintf("n=%d/max=%d/page=%d", tc.n, tc.max, tc.pageSize), func(t *testing.T) {
			t.Parallel()
			f := &fakeConversation{n: tc.n}
			c := f.client(t)
			ids, err := collectIDs(t, c.ConversationMessages(context.Background(), &ConversationMessagesRequest{ConversationShortID: 9, Max: tc.max, PageSize: tc.pageSize}))
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != tc.got {
				t.Errorf("%d messages, want %d", len(ids), tc.got)
			}
			if got := f.callLimits(); fmt.Sprint(got) != fmt.Sprint(tc.limits) {
				t.Errorf("limits asked %v, want %v", got, tc.limits)
			}
		})
	}
}

func TestConversationMessagesBreakMakesOneRequest(t *testing.T) {
	t.Parallel()
	f := &fakeConversation{n: 1000}
	c := f.client(t)
	for m, err := range c.ConversationMessages(context.Background(), &ConversationMessagesRequest{ConversationShortID: 9}) {
		if err != nil || m.MessageID != 1 {
			t.Fatalf("first message %d, %v", m.MessageID, err)
		}
		break
	}
	if got := len(f.callLimits()); got != 1 {
		t.Errorf("%d requests after a break on the first message, want 1", got)
	}
}

func TestPagerResumesAfterAnErrorWithNothingLostOrRepeated(t *testing.T) {
	t.Parallel()
	f := &fakeConversation{n: 95, failAt: 3}
	c := f.client(t)
	req := &ConversationMessagesRequest{ConversationShortID: 9}
	var seen []int64
	ids, err := collectIDs(t, c.ConversationMessages(context.Background(), req))
	seen = append(seen, ids...)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "InternalServiceError" {
		t.Fatalf("err = %v, want the page-3 error", err)
	}
	if len(seen) != 40 {
		t.Fatalf("%d messages before the error, want the first two pages (40)", len(seen))
	}

	// The same failure through the pager, whose cursor is then saved and
	// resumed by a new pager.
	f2 := &fakeConversation{n: 95, failAt: 3}
	c2 := f2.client(t)
	p, err := c2.ConversationMessagesPager(req)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for p.HasMore() {
		page, err := p.Next(context.Background())
		if err != nil {
			break
		}
		for _, m := range page {
			got = append(got, m.MessageID)
		}
	}
	saved := p.Cursor()
	resumed, err := c2.ConversationMessagesPager(&ConversationMessagesRequest{ConversationShortID: 9, Cursor: saved})
	if err != nil {
		t.Fatal(err)
	}
	rest, err := collectIDs(t, resumed.All(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, rest...)
	if fmt.Sprint(got) != fmt.Sprint(wantIDs(1, 95)) {
		t.Fatalf("after resuming: %d messages, want 1..95 exactly once", len(got))
	}
}

func TestStalledCursorEndsTheWalk(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	m.on(jsonReply(200, []byte(`{"ResponseMetadata":{"RequestId":"s"},"Result":{"HasMore":true,"NewCursor":500,"Messages":[{"MessageId":1,"IndexInConversation":500}]}}`)))
	c := m.client(t, WithAppID(1))
	n := 0
	var last error
	for _, err := range c.ConversationMessages(context.Background(), &ConversationMessagesRequest{ConversationShortID: 9, Cursor: 100}) {
		n++
		last = err
		if n > 100 {
			t.Fatal("no end in sight")
		}
	}
	if !errors.Is(last, pagination.ErrStalledCursor) {
		t.Fatalf("last error %v, want ErrStalledCursor", last)
	}
	if got := len(m.requests()); got != 2 {
		t.Errorf("%d requests, want 2 (the second repeats the cursor)", got)
	}
}

func TestConversationMessagesInvalidRequest(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t)
	c := m.client(t)
	for _, tc := range []struct {
		req   *ConversationMessagesRequest
		field string
	}{
		{nil, ""},
		{&ConversationMessagesRequest{ConversationShortID: 1}, "AppID"},
		{&ConversationMessagesRequest{AppID: 1}, "ConversationShortID"},
		{&ConversationMessagesRequest{AppID: 1, ConversationShortID: 1, PageSize: 21}, "PageSize"},
		{&ConversationMessagesRequest{AppID: 1, ConversationShortID: 1, PageSize: -1}, "PageSize"},
		{&ConversationMessagesRequest{AppID: 1, ConversationShortID: 1, Max: -1}, "Max"},
		{&ConversationMessagesRequest{AppID: 1, ConversationShortID: 1, Cursor: -5}, "Cursor"},
		{&ConversationMessagesRequest{AppID: 1, ConversationShortID: 1, MaxEmptyPages: -1}, "MaxEmptyPages"},
	} {
		_, err := collectIDs(t, c.ConversationMessages(context.Background(), tc.req))
		var ire *InvalidRequestError
		if !errors.As(err, &ire) || ire.Field != tc.field || !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%+v: err = %v, want field %q", tc.req, err, tc.field)
		}
	}
	if n := m.mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d calls made for invalid requests", n)
	}
}

// scriptedServer answers GetConversationMessages from next: the page at
// cursor c holds one message (none when empty(c)) whose id is c+1 and says
// HasMore with NewCursor next(c). After bound requests it says HasMore
// false, so that a walker without guards ends (and its test fails) instead
// of hanging.
type scriptedServer struct {
	next  func(cursor int64) int64
	empty func(cursor int64) bool
	bound int

	mu      sync.Mutex
	cursors []int64
}

func (s *scriptedServer) respond(req *http.Request) (*http.Response, error) {
	var body struct{ Cursor int64 }
	if err := json.NewDecoder(req.Body).Decode(&body); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cursors = append(s.cursors, body.Cursor)
	n := len(s.cursors)
	s.mu.Unlock()
	msgs := []wireMessage{}
	if s.empty == nil || !s.empty(body.Cursor) {
		msgs = append(msgs, wireMessage{MessageID: body.Cursor + 1, IndexInConversation: body.Cursor, CreateTime: 1})
	}
	out, _ := json.Marshal(map[string]any{
		"ResponseMetadata": map[string]any{"RequestId": fmt.Sprint("r", n)},
		"Result":           wireConversationMessages{HasMore: n < s.bound, NewCursor: s.next(body.Cursor), Messages: msgs},
	})
	return httpmock.NewBytesResponse(200, out), nil
}

func (s *scriptedServer) requested() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.cursors...)
}

// path maps each cursor of p to the one after it (and others to -2).
func path(p ...int64) func(int64) int64 {
	return func(c int64) int64 {
		for i := 0; i+1 < len(p); i++ {
			if p[i] == c {
				return p[i+1]
			}
		}
		return -2
	}
}

// TestConversationMessagesGuards: a server that cycles, steps back, sends
// empty pages forever or a negative cursor ends the walk with an error, each
// message at most once, after a known number of requests.
func TestConversationMessagesGuards(t *testing.T) {
	t.Parallel()
	plus1 := func(c int64) int64 { return c + 1 }
	always := func(int64) bool { return true }
	cases := []struct {
		name     string
		req      ConversationMessagesRequest
		next     func(int64) int64
		empty    func(int64) bool
		want     []error // all wrapped
		notWant  []error // none wrapped
		requests []int64 // the cursors asked for, in order
		ids      []int64 // the message ids yielded
	}{
		{name: "forward cycle ABA", next: path(0, 100, 200, 100),
			want: []error{pagination.ErrCursorCycle}, notWant: []error{ErrInvalidRequest, ErrMalformedReply},
			requests: []int64{0, 100, 200}, ids: []int64{1, 101}},
		{name: "forward cycle to the start", req: ConversationMessagesRequest{Cursor: 100}, next: path(100, 200, 300, 100),
			want: []error{pagination.ErrCursorCycle}, requests: []int64{100, 200, 300}, ids: []int64{101, 201}},
		{name: "forward cycle of 500", next: func(c int64) int64 { return (c + 1) % 500 },
			want: []error{pagination.ErrCursorCycle}, requests: upTo64(0, 500), ids: plusOne(upTo64(0, 499))},
		{name: "forward step back", next: path(0, 100, 200, 150, 160, 170),
			want: []error{pagination.ErrCursorCycle}, requests: []int64{0, 100, 200}, ids: []int64{1, 101}},
		{name: "forward stall", next: path(0, 100, 100),
			want: []error{pagination.ErrStalledCursor, pagination.ErrCursorCycle}, requests: []int64{0, 100}, ids: []int64{1}},
		{name: "reverse back to the newest", req: ConversationMessagesRequest{Reverse: true}, next: path(0, 500, 400, 0),
			want: []error{pagination.ErrCursorCycle}, requests: []int64{0, 500, 400}, ids: []int64{1, 501}},
		{name: "reverse step back", req: ConversationMessagesRequest{Reverse: true}, next: path(0, 500, 400, 450, 300),
			want: []error{pagination.ErrCursorCycle}, requests: []int64{0, 500, 400}, ids: []int64{1, 501}},
		{name: "reverse from a cursor, cycle", req: ConversationMessagesRequest{Reverse: true, Cursor: 500}, next: path(500, 400, 300, 400),
			want: []error{pagination.ErrCursorCycle}, requests: []int64{500, 400, 300}, ids: []int64{501, 401}},
		{name: "empty pages forever", next: plus1, empty: always,
			want: []error{pagination.ErrNoProgress}, requests: upTo64(0, pagination.DefaultMaxEmptyPages+1)},
		{name: "empty pages forever with Max", req: ConversationMessagesRequest{Max: 5}, next: plus1, empty: always,
			want: []error{pagination.ErrNoProgress}, requests: upTo64(0, pagination.DefaultMaxEmptyPages+1)},
		{name: "empty pages forever, MaxEmptyPages 3", req: ConversationMessagesRequest{MaxEmptyPages: 3, Max: 1}, next: plus1, empty: always,
			want: []error{pagination.ErrNoProgress}, requests: upTo64(0, 4)},
		{name: "empty pages in reverse", req: ConversationMessagesRequest{Reverse: true, Cursor: 1000}, next: func(c int64) int64 { return c - 1 }, empty: func(c int64) bool { return c < 1000 },
			want: []error{pagination.ErrNoProgress}, requests: []int64{1000, 999, 998, 997, 996, 995, 994, 993, 992, 991, 990, 989}, ids: []int64{1001}},
		{name: "negative cursor", next: path(0, 100, -1),
			want: []error{ErrMalformedReply, pagination.ErrBadCursor}, notWant: []error{ErrInvalidRequest, pagination.ErrCursorCycle},
			requests: []int64{0, 100}, ids: []int64{1}},
		{name: "negative cursor in reverse", req: ConversationMessagesRequest{Reverse: true}, next: path(0, 5, -7),
			want: []error{ErrMalformedReply}, notWant: []error{ErrInvalidRequest}, requests: []int64{0, 5}, ids: []int64{1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &scriptedServer{next: tc.next, empty: tc.empty, bound: 10_000}
			m := newMockAPI(t)
			m.on(s.respond)
			c := m.client(t, WithAppID(1))
			req := tc.req
			req.ConversationShortID = 9
			var ids []int64
			var errs []error
			for msg, err := range c.ConversationMessages(context.Background(), &req) {
				if err != nil {
					errs = append(errs, err)
					continue // the iterator must end by itself
				}
				ids = append(ids, msg.MessageID)
			}
			if len(errs) != 1 {
				t.Fatalf("after %d requests: errors %v, want one", len(s.requested()), errs)
			}
			for _, w := range tc.want {
				if !errors.Is(errs[0], w) {
					t.Errorf("error %q does not wrap %q", errs[0], w)
				}
			}
			for _, w := range tc.notWant {
				if errors.Is(errs[0], w) {
					t.Errorf("error %q wraps %q", errs[0], w)
				}
			}
			if got := s.requested(); fmt.Sprint(got) != fmt.Sprint(tc.requests) {
				t.Errorf("cursors asked for: %v, want %v", got, tc.requests)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.ids) {
				t.Errorf("message ids %v, want %v (each once)", ids, tc.ids)
			}
		})
	}
}

// TestConversationMessagesPagerGuardKeepsCursor: after a bad reply the
// pager's Cursor names the page that produced it and nothing more is
// requested.
func TestConversationMessagesPagerGuardKeepsCursor(t *testing.T) {
	t.Parallel()
	s := &scriptedServer{next: path(0, 100, -1), bound: 10_000}
	m := newMockAPI(t)
	m.on(s.respond)
	c := m.client(t, WithAppID(1))
	p, err := c.ConversationMessagesPager(&ConversationMessagesRequest{ConversationShortID: 9})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	page, err := p.Next(context.Background())
	if !errors.Is(err, ErrMalformedReply) || page != nil {
		t.Fatalf("Next = %v, %v; want nil, ErrMalformedReply", page, err)
	}
	if p.Cursor() != 100 || p.HasMore() || p.Fetched() != 1 {
		t.Fatalf("Cursor %d HasMore %v Fetched %d; want 100, false, 1", p.Cursor(), p.HasMore(), p.Fetched())
	}
	if _, err2 := p.Next(context.Background()); err2 != err {
		t.Fatalf("Next again = %v, want the same error", err2)
	}
	if n := len(s.requested()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

// TestConversationMessagesNegativeCursorOnLastPage: NewCursor means nothing
// once HasMore is false, negative or not.
func TestConversationMessagesNegativeCursorOnLastPage(t *testing.T) {
	t.Parallel()
	s := &scriptedServer{next: path(0, 100, -1), bound: 2}
	m := newMockAPI(t)
	m.on(s.respond)
	c := m.client(t, WithAppID(1))
	ids, err := collectIDs(t, c.ConversationMessages(context.Background(), &ConversationMessagesRequest{ConversationShortID: 9}))
	if err != nil || fmt.Sprint(ids) != "[1 101]" {
		t.Fatalf("ids %v, err %v", ids, err)
	}
}

func upTo64(from, to int64) []int64 {
	var s []int64
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

func plusOne(s []int64) []int64 {
	out := make([]int64, len(s))
	for i, v := range s {
		out[i] = v + 1
	}
	return out
}
