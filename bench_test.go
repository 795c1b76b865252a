package volcim_test

import (
	"context"
	"runtime"
	"runtime/metrics"
	"testing"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// BenchmarkConversationMessages1M walks a generated conversation of
// 1,000,000 messages through the client's iterator against a local
// volcimtest server (rate limits lifted on both sides), and reports messages
// per second and the heap seen while walking. The heap must stay flat in
// the number of messages: pages are dropped as soon as they are yielded.
//
// The heap is sampled with runtime/metrics (no stop-the-world) after every
// message the iterator yields, so after every page's call and decoding; the
// sampling itself is part of the timed walk. It reports:
//
//   - peak-heap-MB: the largest heap seen (allocated objects, reachable or
//     not yet collected: MemStats.HeapAlloc). It sits at the garbage
//     collector's goal, which is 4 MB at least with GOGC=100.
//
//   - peak-live-MB: the largest heap that a collection found reachable
//     (the server's state, the client's, one page): what the walk keeps.
//
//     go test -run '^$' -bench ConversationMessages1M -benchtime 1x .
func BenchmarkConversationMessages1M(b *testing.B) {
	const n = 1_000_000
	srv := volcimtest.NewServer(volcimtest.WithQPS(0), volcimtest.WithRequestLog(0))
	defer srv.Close()
	srv.AddGeneratedConversation(1, 2, n)
	client, err := srv.Client(volcim.WithAppID(1), volcim.WithRateLimit(1e9))
	if err != nil {
		b.Fatal(err)
	}
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	var peak, live uint64
	b.ResetTimer()
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
			metrics.Read(samples)
			peak = max(peak, samples[0].Value.Uint64())
			live = max(live, samples[1].Value.Uint64())
		}
		if count != n {
			b.Fatalf("walked %d messages, want %d", count, n)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(live)/(1<<20), "peak-live-MB")
}
