package volcim_test

import (
	"context"
	"runtime"
	"testing"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// BenchmarkConversationMessages1M walks a generated conversation of
// 1,000,000 messages through the client's iterator against a local
// volcimtest server (rate limits lifted on both sides), and reports messages
// per second and the peak heap seen while walking. The heap must stay flat
// in the number of messages: pages are dropped as soon as they are yielded.
//
//	go test -run '^$' -bench ConversationMessages1M -benchtime 1x .
func BenchmarkConversationMessages1M(b *testing.B) {
	const n = 1_000_000
	srv := volcimtest.NewServer(volcimtest.WithQPS(0), volcimtest.WithRequestLog(0))
	defer srv.Close()
	srv.AddGeneratedConversation(1, 2, n)
	client, err := srv.Client(volcim.WithAppID(1), volcim.WithRateLimit(1e9))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var peak uint64
	var ms runtime.MemStats
	for range b.N {
		runtime.GC()
		count := 0
		for msg, err := range client.ConversationMessages(context.Background(), &volcim.ConversationMessagesRequest{ConversationShortID: 2}) {
			if err != nil {
				b.Fatal(err)
			}
			if msg.MessageID == 0 {
				b.Fatal("empty message")
			}
			count++
			if count%25_000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
		if count != n {
			b.Fatalf("walked %d messages, want %d", count, n)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
