package officialfake

import (
	"context"
	"testing"

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
