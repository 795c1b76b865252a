package volcimtest

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
)

func TestMaxInWindow(t *testing.T) {
	t.Parallel()
	s := &Server{log: &requestLog{max: 100}}
	base := time.Now()
	add := func(action string, ms int, accepted bool) {
		s.log.add(Request{Action: action, Time: base.Add(time.Duration(ms) * time.Millisecond), Accepted: accepted})
	}
	// Out of order on purpose: records are appended as replies complete.
	for _, ms := range []int{0, 100, 999, 500, 1000, 1001, 1500, 1999} {
		add("A", ms, true)
	}
	add("A", 1200, false) // rejected: not counted
	add("B", 1000, true)
	tests := []struct {
		action string
		window time.Duration
		want   int
	}{
		{"A", time.Second, 5},          // [100, 1100): 100 500 999 1000 1001
		{"A", time.Millisecond, 1},     // every instant is distinct
		{"A", 2 * time.Millisecond, 2}, // 999, 1000 (and 1000, 1001)
		{"A", time.Hour, 8},
		{"", time.Hour, 9},
		{"B", time.Second, 1},
		{"C", time.Second, 0},
		{"A", 0, 0},
	}
	for _, tt := range tests {
		if got := s.MaxInWindow(tt.action, tt.window); got != tt.want {
			t.Errorf("MaxInWindow(%q, %v) = %d, want %d", tt.action, tt.window, got, tt.want)
		}
	}
}

// TestCloseEndsWaitingRequests: Close does not wait out slow faults or
// latency, and leaves no handler goroutine behind. It is not parallel: it
// inspects every goroutine's stack, so no other test's server may be serving
// meanwhile.
func TestCloseEndsWaitingRequests(t *testing.T) {
	s := NewServer(WithLatency(time.Hour))
	arrived := make(chan struct{}, 4)
	s.mu.Lock()
	s.arrived = func() { arrived <- struct{}{} }
	s.mu.Unlock()
	s.AddConversation(volcim.Conversation{AppID: 1, ConversationShortID: 1})
	s.Script(Fault{Kind: FaultSlow, Delay: time.Hour})
	c, err := s.Client(volcim.WithRateLimit(1e6), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 2)
	for range 2 { // one slow fault, one waiting out the latency
		go func() {
			_, err := c.BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{AppID: 1, ConversationShortIDs: []int64{1}})
			done <- err
		}()
	}
	<-arrived
	<-arrived
	s.Close()
	for range 2 {
		if err := <-done; err == nil {
			t.Error("a request succeeded across Close")
		}
	}
	var buf [1 << 20]byte
	if stacks := string(buf[:runtime.Stack(buf[:], true)]); strings.Contains(stacks, "volcimtest.(*Server)") {
		t.Errorf("a handler outlived Close:\n%s", stacks)
	}
	recs := s.Requests()
	if len(recs) != 2 || recs[0].Status != 0 || recs[1].Status != 0 {
		t.Errorf("records %+v, want two unanswered", recs)
	}
}

func TestCloseTwice(t *testing.T) {
	t.Parallel()
	s := NewServer()
	s.Close()
	s.Close()
	if _, err := http.Post(s.URL, "application/json", nil); err == nil {
		t.Error("server still answers after Close")
	}
}
