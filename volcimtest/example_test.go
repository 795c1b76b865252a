package volcimtest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// countTextMessages is the kind of function an application writes on top of
// volcim: it walks a whole conversation and counts its text messages.
func countTextMessages(ctx context.Context, c *volcim.Client, convID int64) (int, error) {
	n := 0
	for msg, err := range c.ConversationMessages(ctx, &volcim.ConversationMessagesRequest{ConversationShortID: convID}) {
		if err != nil {
			return 0, err
		}
		if msg.MsgType == volcim.MessageText {
			n++
		}
	}
	return n, nil
}

// Testing your own code against the fake server: seed it with the SDK's
// types, get a client from it, and call your function. The same function
// runs unchanged against Volcengine.
func Example() {
	srv := volcimtest.NewServer()
	defer srv.Close()

	const app, conv = 123456, 7171275522159198471
	created := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	var msgs []volcim.Message
	for i := range 45 { // more than two pages of 20
		typ := volcim.MessageText
		if i%5 == 0 {
			typ = volcim.MessageImage
		}
		msgs = append(msgs, volcim.Message{
			AppID:               app,
			ConversationShortID: conv,
			MessageID:           7171391232210520094 + int64(i),
			MsgType:             typ,
			Content:             fmt.Sprintf("message %d", i),
			CreateTime:          created.Add(time.Duration(i) * time.Minute),
			Sender:              10001,
			IndexInConversation: 1669723106241201 + int64(i)*1000,
		})
	}
	srv.AddMessages(msgs...)

	client, err := srv.Client(volcim.WithAppID(app))
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := countTextMessages(context.Background(), client, conv)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("text messages:", n)
	fmt.Println("calls:", len(srv.Requests()))
	// Output:
	// text messages: 36
	// calls: 3
}

// Scripted faults make reliability tests deterministic: two 503s, then
// success on the client's third attempt.
func ExampleServer_Script() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	srv.AddConversation(volcim.Conversation{AppID: 1, ConversationShortID: 42, Name: "support"})
	srv.Script(
		volcimtest.Fault{Kind: volcimtest.Fault503},
		volcimtest.Fault{Kind: volcimtest.Fault503},
	)

	client, err := srv.Client(
		volcim.WithAppID(1),
		volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := client.BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{42}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("conversation:", resp.Conversations[0].Name)
	for _, r := range srv.Requests() {
		fmt.Println(r.Action, r.Status, r.Fault.Kind)
	}
	// Output:
	// conversation: support
	// BatchGetConversations 503 503
	// BatchGetConversations 503 503
	// BatchGetConversations 200 none
}

// A generated conversation holds a million messages without storing any:
// each is computed from its position when asked for.
func ExampleServer_AddGeneratedConversation() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	srv.AddGeneratedConversation(1, 42, 1_000_000)

	client, err := srv.Client(volcim.WithAppID(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The three newest messages.
	resp, err := client.GetConversationMessages(context.Background(), &volcim.GetConversationMessagesRequest{
		ConversationShortID: 42, Limit: 3, Reverse: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range resp.Messages {
		fmt.Println(m.IndexInConversation, m.MessageID, m.Content)
	}
	last := volcimtest.GeneratedMessage(1, 42, 999_999)
	fmt.Println("as computed:", last.Content == resp.Messages[0].Content, "more:", resp.HasMore)
	// Output:
	// 9008199256740990 7171391233219519085 message 999999
	// 9008199255740987 7171391233219518076 message 999998
	// 9008199254740984 7171391233219517067 message 999997
	// as computed: true more: true
}

// Errors come back in the API's envelope and reach the caller as
// *volcim.APIError: here the server's per-action QPS limit, hit by a client
// that neither limits itself nor retries.
func ExampleWithQPS() {
	srv := volcimtest.NewServer(volcimtest.WithQPS(2))
	defer srv.Close()
	srv.AddConversation(volcim.Conversation{AppID: 1, ConversationShortID: 42})

	client, err := srv.Client(volcim.WithAppID(1), volcim.WithRateLimit(1e6), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		_, err := client.BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{42}})
		var apiErr *volcim.APIError
		switch {
		case errors.As(err, &apiErr):
			fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Throttled())
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Println("ok")
		}
	}
	// Output:
	// ok
	// ok
	// 429 FlowLimitExceeded true
}
