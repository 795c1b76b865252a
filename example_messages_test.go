package volcim_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// Send a text message and read it back.
func ExampleClient_SendMessage() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	sent, err := client.SendMessage(ctx, &volcim.SendMessageRequest{
		ConversationShortID: exampleConv,
		Sender:              10001,
		MsgType:             volcim.MessageText,
		Content:             volcim.TextContent("lunch at 12:30?"),
		// ClientMsgID left empty: the client fills a UUID, so that its
		// retries never send twice.
	})
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.GetMessages(ctx, &volcim.GetMessagesRequest{
		ConversationShortID: exampleConv,
		MessageIDs:          []int64{sent.MessageID},
	})
	if err != nil {
		log.Fatal(err)
	}
	m := got.Messages[0]
	text, _ := m.Text()
	fmt.Println(m.Sender, m.MsgType, text, m.ClientMsgID == sent.ClientMsgID)
	// Output:
	// 10001 text lunch at 12:30? true
}

// Recall a message: reads still return it, as recalled.
func ExampleClient_RecallMessage() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	sent, err := client.SendMessage(ctx, &volcim.SendMessageRequest{
		ConversationShortID: exampleConv,
		Sender:              10002,
		MsgType:             volcim.MessageText,
		Content:             volcim.TextContent("the password is hunter2"),
	})
	if err != nil {
		log.Fatal(err)
	}
	// The sender recalls their own message (RecallAsMember, the default);
	// an owner or a manager would say RecallAsOwner or RecallAsManager.
	if _, err := client.RecallMessage(ctx, &volcim.RecallMessageRequest{
		ConversationShortID: exampleConv,
		MessageID:           sent.MessageID,
		ParticipantUserID:   10002,
	}); err != nil {
		log.Fatal(err)
	}
	got, err := client.GetMessages(ctx, &volcim.GetMessagesRequest{ConversationShortID: exampleConv, MessageIDs: []int64{sent.MessageID}})
	if err != nil {
		log.Fatal(err)
	}
	m := got.Messages[0]
	fmt.Printf("recalled: %v, content: %q\n", m.Status == volcimtest.MessageRecalled, m.Content)
	// Output:
	// recalled: true, content: ""
}

// Delete a message for everyone, or for one member only.
func ExampleClient_DeleteConversationMessage() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	first := int64(7171391232210520094) // "good morning", seeded by exampleServer
	if _, err := client.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{
		ConversationShortID: exampleConv,
		MessageID:           first,
		DeleteType:          volcim.DeleteForEveryone,
	}); err != nil {
		log.Fatal(err)
	}
	// DeleteMessage hides the next one from user 10003 only.
	if _, err := client.DeleteMessage(ctx, &volcim.DeleteMessageRequest{
		ConversationShortID: exampleConv,
		MessageID:           first + 1,
		ParticipantUserID:   10003,
	}); err != nil {
		log.Fatal(err)
	}
	page, err := client.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{ConversationShortID: exampleConv, Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range page.Messages {
		fmt.Println(m.Content)
	}
	fmt.Println(srv.MessageVisibleTo(exampleApp, exampleConv, first+1, 10003), srv.MessageVisibleTo(exampleApp, exampleConv, first+1, 10001))
	// Output:
	// morning!
	// stand-up in 5
	// false true
}

// Send one message to many users; check for receivers it did not reach.
func ExampleClient_BatchSendMessage() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	resp, err := client.BatchSendMessage(context.Background(), &volcim.BatchSendMessageRequest{
		Sender:    10001,
		Receivers: []int64{20001, 20002, 10001}, // volcimtest cannot deliver to the sender itself
		MsgType:   volcim.MessageText,
		Content:   volcim.TextContent("your order has shipped"),
	})
	var partial *volcim.PartialFailureError
	switch {
	case errors.As(err, &partial):
		fmt.Println("not delivered to:", partial.Failed)
	case errors.Is(err, volcim.ErrOutcomeUnknown):
		// Not retried: check the receivers' conversations before sending again.
		log.Fatal(err)
	case err != nil:
		log.Fatal(err)
	}
	fmt.Println("delivered to", len(resp.UserMessageIDs), "users")
	// Output:
	// not delivered to: [10001]
	// delivered to 2 users
}

// Broadcast to the users with a tag, for a day.
func ExampleClient_UserBroadcast() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	if _, err := client.UserBroadcast(context.Background(), &volcim.UserBroadcastRequest{
		Sender:  10001,
		MsgType: volcim.MessageText,
		Content: volcim.TextContent("maintenance tonight at 23:00"),
		TTL:     24 * time.Hour,
		Tags:    []string{"region:eu"},
	}); err != nil {
		log.Fatal(err)
	}
	for _, b := range srv.Broadcasts() {
		fmt.Println(b.Sender, b.TTL, b.Tags)
	}
	// Output:
	// 10001 24h0m0s [region:eu]
}

// Who has read a message of a group.
func ExampleClient_GetMessagesReadReceipt() {
	srv := exampleServer()
	defer srv.Close()
	srv.AddParticipants(exampleApp, exampleConv,
		volcim.Participant{UserID: 10001}, volcim.Participant{UserID: 10002}, volcim.Participant{UserID: 10003})
	// 10002 has read up to the third message ("stand-up in 5").
	srv.SetReadIndex(exampleApp, exampleConv, 10002, 1669723106241201+2*1000)
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	resp, err := client.GetMessagesReadReceipt(context.Background(), &volcim.GetMessagesReadReceiptRequest{
		ConversationShortID: exampleConv,
		MessageIDs:          []int64{7171391232210520094 + 2, 7171391232210520094 + 3},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range resp.ReadReceipts {
		fmt.Println(r.MessageID, "read by", r.ReadUserIDs, "unread by", r.UnreadUserIDs)
	}
	// Output:
	// 7171391232210520096 read by [10002 10003] unread by [10001]
	// 7171391232210520097 read by [10001] unread by [10002 10003]
}
