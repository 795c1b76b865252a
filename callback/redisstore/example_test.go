package redisstore_test

import (
	"context"
	"log"
	"net/http"
	"os"

	"github.com/redis/go-redis/v9"
	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/callback"
	"github.com/volcim/volcim-go/callback/redisstore"
)

// volcimMessage is the message of the tests' events.
func volcimMessage() volcim.Message {
	return volcim.Message{AppID: 1, ConversationShortID: 42, MessageID: 7400000000000001009, Sender: 10001,
		MsgType: volcim.MessageText, Content: volcim.TextContent("hello")}
}

// Every replica behind the callback URL shares one Redis: each event is
// handled once, whichever replica its deliveries reach.
func Example() {
	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", ContextTimeoutEnabled: true})
	defer rdb.Close()
	store, err := redisstore.New(rdb, redisstore.WithKeyPrefix("chat-prod:cb:"))
	if err != nil {
		log.Fatal(err)
	}
	h, err := callback.NewHandler([]string{os.Getenv("VOLCIM_CALLBACK_SECRET")},
		callback.WithStore(store),
		callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
			log.Printf("message %d in conversation %d", e.Message.MessageID, e.Message.ConversationShortID)
			return nil
		}))
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/volcim/callback", h)
}
