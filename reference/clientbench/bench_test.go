package clientbench

import (
	"context"
	"fmt"
	"testing"

	"github.com/volcengine/volc-sdk-golang/service/im"
	volcim "github.com/volcim/volcim-go"
)

const startCursor = 1669723106241201

// way is one client making one call; it returns how many items the reply
// held and the id of the last one, so that a benchmark can check each reply
// cheaply.
type way struct {
	name string
	call func(ctx context.Context) (n int, last int64, err error)
}

func getConversationMessages(c clients) []way {
	return []way{
		{"volcim", func(ctx context.Context) (int, int64, error) {
			res, err := c.volcim.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{
				AppID: appID, ConversationShortID: conversationID, Cursor: startCursor, Limit: pageSize,
			})
			if err != nil {
				return 0, 0, err
			}
			return len(res.Messages), res.Messages[len(res.Messages)-1].MessageID, nil
		}},
		{"official", func(ctx context.Context) (int, int64, error) {
			var reverse int32
			res, err := c.official.GetConversationMessages(ctx, &im.GetConversationMessagesBody{
				AppID: appID, ConversationShortID: conversationID, Cursor: startCursor, Limit: pageSize, Reverse: &reverse,
			})
			if err != nil {
				return 0, 0, err
			}
			m := res.Result.Messages
			return len(m), m[len(m)-1].MessageID, nil
		}},
		{"floor", func(ctx context.Context) (int, int64, error) {
			var res floorGetConversationMessagesResult
			_, err := floorCall(ctx, c.floor, "GetConversationMessages", &floorGetConversationMessagesRequest{
				AppID: appID, ConversationShortID: conversationID, Cursor: startCursor, Limit: pageSize,
			}, &res)
			if err != nil {
				return 0, 0, err
			}
			return len(res.Messages), res.Messages[len(res.Messages)-1].MessageID, nil
		}},
	}
}

func getMessages(c clients) []way {
	return []way{
		{"volcim", func(ctx context.Context) (int, int64, error) {
			res, err := c.volcim.GetMessages(ctx, &volcim.GetMessagesRequest{
				AppID: appID, ConversationShortID: conversationID, MessageIDs: messageIDs,
			})
			if err != nil {
				return 0, 0, err
			}
			return len(res.Messages), res.Messages[len(res.Messages)-1].MessageID, nil
		}},
		{"official", func(ctx context.Context) (int, int64, error) {
			res, err := c.official.GetMessages(ctx, &im.GetMessagesBody{
				AppID: appID, ConversationShortID: conversationID, MessageIDs: messageIDs,
			})
			if err != nil {
				return 0, 0, err
			}
			m := res.Result.Messages
			return len(m), m[len(m)-1].MessageID, nil
		}},
		{"floor", func(ctx context.Context) (int, int64, error) {
			var res floorGetMessagesResult
			_, err := floorCall(ctx, c.floor, "GetMessages", &floorGetMessagesRequest{
				AppID: appID, ConversationShortID: conversationID, MessageIDs: messageIDs,
			}, &res)
			if err != nil {
				return 0, 0, err
			}
			return len(res.Messages), res.Messages[len(res.Messages)-1].MessageID, nil
		}},
	}
}

func batchGetConversations(c clients) []way {
	return []way{
		{"volcim", func(ctx context.Context) (int, int64, error) {
			res, err := c.volcim.BatchGetConversations(ctx, &volcim.BatchGetConversationsRequest{
				AppID: appID, ConversationShortIDs: conversationIDs,
			})
			if err != nil {
				return 0, 0, err
			}
			cs := res.Conversations
			return len(cs), cs[len(cs)-1].ConversationShortID, nil
		}},
		{"official", func(ctx context.Context) (int, int64, error) {
			skip := true
			res, err := c.official.BatchGetConversations(ctx, &im.BatchGetConversationsBody{
				AppID: appID, ConversationShortID: conversationIDs, SkipMemberCount: &skip,
			})
			if err != nil {
				return 0, 0, err
			}
			cs := res.Result.ConversationCoreInfos
			return len(cs), cs[len(cs)-1].ConversationShortID, nil
		}},
		{"floor", func(ctx context.Context) (int, int64, error) {
			var res floorBatchGetConversationsResult
			_, err := floorCall(ctx, c.floor, "BatchGetConversations", &floorBatchGetConversationsRequest{
				AppID: appID, ConversationShortIDs: conversationIDs, SkipMemberCount: true,
			}, &res)
			if err != nil {
				return 0, 0, err
			}
			cs := res.ConversationCoreInfos
			return len(cs), cs[len(cs)-1].ConversationShortID, nil
		}},
	}
}

// run benchmarks the three ways of one call against one server, each
// through its own connection pool; the first call (outside the timing)
// opens the connection.
func run(b *testing.B, ways func(clients) []way, wantLast int64) {
	srv := newServer(b, false)
	ctx := context.Background()
	for _, w := range ways(newClients(b, srv)) {
		b.Run("client="+w.name, func(b *testing.B) {
			if err := check(ctx, w, wantLast); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				n, last, err := w.call(ctx)
				if err != nil || n != pageSize || last != wantLast {
					b.Fatalf("%d items, last %d, err %v", n, last, err)
				}
			}
		})
	}
}

func check(ctx context.Context, w way, wantLast int64) error {
	n, last, err := w.call(ctx)
	if err != nil {
		return err
	}
	if n != pageSize || last != wantLast {
		return fmt.Errorf("%s: %d items, last %d; want %d, last %d", w.name, n, last, pageSize, wantLast)
	}
	return nil
}

// BenchmarkGetConversationMessages reads one page of 20 messages.
func BenchmarkGetConversationMessages(b *testing.B) {
	run(b, getConversationMessages, messageIDs[pageSize-1])
}

// BenchmarkGetMessages fetches 20 messages by id.
func BenchmarkGetMessages(b *testing.B) {
	run(b, getMessages, messageIDs[pageSize-1])
}

// BenchmarkBatchGetConversations fetches 20 conversations by id.
func BenchmarkBatchGetConversations(b *testing.B) {
	run(b, batchGetConversations, conversationIDs[pageSize-1])
}
