package callback_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/callback"
)

// A moderation hook: block text messages that mention "spam", log the
// others once they are sent.
func ExampleNewHandler() {
	h, err := callback.NewHandler([]string{"the-console-callback-secret"},
		callback.OnBeforeSendMessage(func(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
			if text, ok := e.Message.Text(); ok && strings.Contains(text, "spam") {
				return callback.Block(1001, "no spam"), nil
			}
			return callback.Allow(), nil
		}),
		callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
			text, _ := e.Message.Text()
			fmt.Printf("message %d from %d: %q\n", e.Message.MessageID, e.Message.Sender, text)
			return nil
		}),
	)
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(h) // in production: http.Handle("/volcim/callback", h)
	defer srv.Close()

	// What Volcengine posts, here built by hand (volcimtest does it for
	// tests).
	seq := 0
	post := func(typ string, m volcim.Message) {
		seq++
		data, _ := callback.EncodeMessageData(m, nil, volcim.PriorityNormal, nil)
		env := &callback.Envelope{
			EventType: typ,
			EventData: string(data),
			EventTime: callback.FormatTime(time.Now()),
			EventID:   fmt.Sprintf("evt-%d", seq),
			AppID:     "123456",
			Version:   callback.EnvelopeVersion,
			Nonce:     "4821",
		}
		env.Signature = callback.Sign(env, "the-console-callback-secret")
		body, _ := env.Marshal()
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(string(body)))
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		reply, _ := io.ReadAll(resp.Body)
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%s %d %s", typ, resp.StatusCode, reply)))
	}
	msg := volcim.Message{AppID: 123456, ConversationShortID: 42, Sender: 10001, MsgType: volcim.MessageText}
	msg.Content = volcim.TextContent("buy spam now")
	post(callback.TypeBeforeSendMessage, msg)
	msg.Content = volcim.TextContent("hello")
	post(callback.TypeBeforeSendMessage, msg)
	msg.MessageID = 7400000000000001009
	post(callback.TypeAfterSendMessage, msg)
	seq-- // the same EventId again: a duplicate, answered but not handled again
	post(callback.TypeAfterSendMessage, msg)
	// Output:
	// BeforeSendMessage 200 {"Allow":false,"CheckCode":1001,"CheckMessage":"no spam"}
	// BeforeSendMessage 200 {"Allow":true}
	// message 7400000000000001009 from 10001: "hello"
	// AfterSendMessage 200
	// AfterSendMessage 200
}

func ExampleSign() {
	env := &callback.Envelope{
		EventType: "AfterSendMessage",
		EventData: `{}`,
		EventTime: "2024-03-11T08:00:00.000000000Z",
		EventID:   "evt-0002",
		AppID:     "123456",
		Version:   "2020-12-01",
		Nonce:     "",
	}
	env.Signature = callback.Sign(env, "s3cr3t")
	fmt.Println(env.Signature)
	fmt.Println(callback.Verify(env, "new-secret", "s3cr3t"))
	fmt.Println(callback.Verify(env, "another"))
	// Output:
	// fe9d462c5d7212de1394d827c16675f6ce877c6272841c8a7d4f3c06a736d526
	// <nil>
	// callback: wrong signature
}
