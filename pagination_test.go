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
