package volcimtest_test

import (
	"context"
	"runtime"
	"testing"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// BenchmarkGetConversationMessagesPage measures one page of 20 from a
// generated conversation of 1,000,000 messages: client, loopback HTTP and
// server together.
func BenchmarkGetConversationMessagesPage(b *testing.B) {
	const n = 1_000_000
	srv := newServer(b, volcimtest.WithQPS(0), volcimtest.WithRequestLog(0))
	srv.AddGeneratedConversation(testApp, testConv, n)
	c := newClient(b, srv)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		cursor := volcimtest.GeneratedMessage(testApp, testConv, (i*7919)%n).IndexInConversation
		i++
		if _, err := c.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{ConversationShortID: testConv, Cursor: cursor, Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWalkMillion walks a generated conversation of 1,000,000 messages
// (50,000 calls) and reports the live heap at the end, which stays flat:
// the messages are computed per page and the request log is off.
func BenchmarkWalkMillion(b *testing.B) {
	const n = 1_000_000
	srv := newServer(b, volcimtest.WithQPS(0), volcimtest.WithRequestLog(0))
	srv.AddGeneratedConversation(testApp, testConv, n)
	c := newClient(b, srv)
	ctx := context.Background()
	var ms runtime.MemStats
	for b.Loop() {
		count := 0
		for _, err := range c.ConversationMessages(ctx, &volcim.ConversationMessagesRequest{ConversationShortID: testConv}) {
			if err != nil {
				b.Fatal(err)
			}
			count++
		}
		if count != n {
			b.Fatalf("walked %d messages, want %d", count, n)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
