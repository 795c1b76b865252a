package officialfake

import (
	"context"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// TestOfficialSendMessage sends through the official client into volcimtest
// and reads the message back through it, twice with one ClientMsgId.
func TestOfficialSendMessage(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer()
	defer srv.Close()
	const app, conv = 100000, 7171275522159198471
	srv.AddConversation(volcim.Conversation{AppID: app, ConversationShortID: conv, ConversationType: volcim.ConversationGroup})
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()
	key := "official-key-1"
	body := &im.SendMessageBody{AppID: app, ConversationShortID: conv, Sender: 10001, MsgType: 10001, Content: `{"text":"hi"}`, ClientMsgID: &key}
	first, err := c.SendMessage(ctx, body)
	if err != nil {
		t.Fatalf("official SendMessage: %v", err)
	}
	again, err := c.SendMessage(ctx, body)
	if err != nil {
		t.Fatalf("official SendMessage again: %v", err)
	}
	if first.Result.MessageID == 0 || again.Result.MessageID != first.Result.MessageID {
		t.Fatalf("message ids %d then %d: one key must give one message", first.Result.MessageID, again.Result.MessageID)
	}
	got, err := c.GetMessages(ctx, &im.GetMessagesBody{AppID: app, ConversationShortID: conv, MessageIDs: []int64{first.Result.MessageID}})
	if err != nil {
		t.Fatalf("official GetMessages: %v", err)
	}
	if len(got.Result.Messages) != 1 || got.Result.Messages[0].Content != `{"text":"hi"}` || got.Result.Messages[0].Sender != 10001 {
		t.Errorf("read back %+v", got.Result.Messages)
	}
	checkAccepted(t, srv)
}

// checkAccepted fails the test for every request of the official client
// that volcimtest did not accept and answer with success.
func checkAccepted(t *testing.T, srv *volcimtest.Server) {
	t.Helper()
	for _, r := range srv.Requests() {
		if !r.Accepted || r.Status != 200 || r.Code != "" {
			t.Errorf("%s from the official SDK: status %d %s", r.Action, r.Status, r.Code)
		}
	}
}

// TestOfficialMessageActions drives every other message action through the
// official client against volcimtest and reads the effects back through it.
func TestOfficialMessageActions(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer()
	defer srv.Close()
	const app, conv = 100000, 7171275522159198471
	srv.AddParticipants(app, conv, volcim.Participant{UserID: 10001, Role: volcim.RoleOwner}, volcim.Participant{UserID: 10002}, volcim.Participant{UserID: 10003})
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()

	// BatchSendMessage: one message in each one-to-one conversation.
	inbox := int32(0)
	batch, err := c.BatchSendMessage(ctx, &im.BatchSendMessageBody{AppID: app, Sender: 10001, Receiver: []int64{20001, 20002}, MsgType: 10001, Content: `{"text":"公告"}`, InboxType: &inbox})
	if err != nil {
		t.Fatalf("official BatchSendMessage: %v", err)
	}
	if len(batch.Result.UserMessageID) != 2 {
		t.Fatalf("UserMessageId %v", batch.Result.UserMessageID)
	}
	one, ok := srv.OneToOneConversation(app, 0, 10001, 20002)
	if !ok {
		t.Fatal("no one-to-one conversation of 10001 and 20002")
	}
	page, err := c.GetConversationMessages(ctx, &im.GetConversationMessagesBody{AppID: app, ConversationShortID: one, Limit: 20})
	if err != nil {
		t.Fatalf("official GetConversationMessages: %v", err)
	}
	if len(page.Result.Messages) != 1 || page.Result.Messages[0].MessageID != batch.Result.UserMessageID["20002"] {
		t.Errorf("one-to-one holds %+v, want the batch's message %d", page.Result.Messages, batch.Result.UserMessageID["20002"])
	}

	// UserBroadcast.
	op := int32(1)
	if _, err := c.UserBroadcast(ctx, &im.UserBroadcastBody{AppID: app, Sender: 10001, MsgType: 10001, Content: `{"text":"hi all"}`, MsgTTL: 300, Tags: []string{"vip"}, TagOp: &op}); err != nil {
		t.Fatalf("official UserBroadcast: %v", err)
	}
	if b := srv.Broadcasts(); len(b) != 1 || b[0].TTL != 300*time.Second || b[0].TagOp != volcim.TagOpAll || b[0].Tags[0] != "vip" {
		t.Errorf("broadcasts %+v", b)
	}

	send := func(sender int64, text string) int64 {
		t.Helper()
		r, err := c.SendMessage(ctx, &im.SendMessageBody{AppID: app, ConversationShortID: conv, Sender: sender, MsgType: 10001, Content: `{"text":"` + text + `"}`})
		if err != nil {
			t.Fatalf("official SendMessage: %v", err)
		}
		return r.Result.MessageID
	}
	get := func(id int64) *im.GetMessagesResResultMessagesItem {
		t.Helper()
		r, err := c.GetMessages(ctx, &im.GetMessagesBody{AppID: app, ConversationShortID: conv, MessageIDs: []int64{id}})
		if err != nil {
			t.Fatalf("official GetMessages: %v", err)
		}
		if len(r.Result.Messages) == 0 {
			return nil
		}
		return &r.Result.Messages[0]
	}
	m1, m2, m3 := send(10001, "one"), send(10002, "two"), send(10003, "three")

	// ModifyMessage.
	content := `{"text":"one, edited"}`
	if _, err := c.ModifyMessage(ctx, &im.ModifyMessageBody{AppID: app, ConversationShortID: conv, MessageID: m1, Content: &content, Ext: map[string]string{"edited": "1"}}); err != nil {
		t.Fatalf("official ModifyMessage: %v", err)
	}
	if m := get(m1); m == nil || m.Content != content || m.Ext["edited"] != "1" {
		t.Errorf("modified message %+v", m)
	}

	// GetMessagesReadReceipt: 10002 has read up to m1.
	srv.SetReadIndex(app, conv, 10002, *get(m1).IndexInConversation)
	rr, err := c.GetMessagesReadReceipt(ctx, &im.GetMessagesReadReceiptBody{AppID: app, ConversationShortID: conv, MessageIDs: []int64{m1}})
	if err != nil {
		t.Fatalf("official GetMessagesReadReceipt: %v", err)
	}
	if r := rr.Result.ReadReceipt; len(r) != 1 || len(r[0].ReadUserIDs) != 2 || len(r[0].UnReadUserIDs) != 1 || r[0].UnReadUserIDs[0] != 10003 {
		t.Errorf("read receipt %+v", r)
	}

	// RecallMessage by the owner.
	role := int32(1)
	if _, err := c.RecallMessage(ctx, &im.RecallMessageBody{AppID: app, ConversationShortID: conv, MessageID: m2, ParticipantUserID: 10001, RecallRole: &role}); err != nil {
		t.Fatalf("official RecallMessage: %v", err)
	}
	if m := get(m2); m == nil || m.Status != int32(volcimtest.MessageRecalled) || m.Content != "" {
		t.Errorf("recalled message %+v", m)
	}

	// DeleteMessage for one member, then DeleteConversationMessage for all.
	if _, err := c.DeleteMessage(ctx, &im.DeleteMessageBody{AppID: app, ConversationShortID: conv, MessageID: m3, ParticipantUserID: 10002}); err != nil {
		t.Fatalf("official DeleteMessage: %v", err)
	}
	if srv.MessageVisibleTo(app, conv, m3, 10002) || !srv.MessageVisibleTo(app, conv, m3, 10003) {
		t.Error("DeleteMessage must hide the message from 10002 only")
	}
	typ := int32(0)
	if _, err := c.DeleteConversationMessage(ctx, &im.DeleteConversationMessageBody{AppID: app, ConversationShortID: conv, MessageID: m3, DeleteType: &typ}); err != nil {
		t.Fatalf("official DeleteConversationMessage: %v", err)
	}
	if m := get(m3); m != nil {
		t.Errorf("deleted message still read: %+v", m)
	}
	checkAccepted(t, srv)
}
