package volcimtest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// TestMessageActionsValidate sends raw requests of the message actions and
// checks that what the API documents as required or bounded is answered the
// way the real server would: InvalidParam, or JsonParsingError for a body
// that is not the action's.
func TestMessageActionsValidate(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddMessages(msg(5, `{"text":"x"}`))
	const id = 9_000_000_000_000_000_005 // msg(5)
	receivers := make([]string, 501)
	for i := range receivers {
		receivers[i] = fmt.Sprint(i + 1)
	}
	conv := fmt.Sprintf(`"AppId":%d,"ConversationShortId":%d`, testApp, testConv)
	for _, tc := range []struct {
		action, body, code string
	}{
		{"BatchSendMessage", `{"AppId":1001,"Receiver":[2],"MsgType":10001,"Content":"{}"}`, "InvalidParam"},
		{"BatchSendMessage", `{"AppId":1001,"Sender":0,"Receiver":[2],"MsgType":10001,"Content":"{}"}`, "InvalidParam"},
		{"BatchSendMessage", `{"AppId":1001,"Sender":1,"Receiver":[],"MsgType":10001,"Content":"{}"}`, "InvalidParam"},
		{"BatchSendMessage", `{"AppId":1001,"Sender":1,"Receiver":[` + strings.Join(receivers, ",") + `],"MsgType":10001,"Content":"{}"}`, "InvalidParam"},
		{"BatchSendMessage", `{"AppId":1001,"Sender":1,"Receiver":[2],"Content":"{}"}`, "InvalidParam"},
		{"BatchSendMessage", `{"AppId":1001,"Sender":1,"Receiver":[2],"MsgType":10001}`, "InvalidParam"},
		{"BatchSendMessage", `{"Sender":1,"Receiver":[2],"MsgType":10001,"Content":"{}"}`, "InvalidParam"},
		{"BatchSendMessage", `{"AppId":1001,"Sender":1,"Receiver":"2","MsgType":10001,"Content":"{}"}`, "JsonParsingError"},
		{"UserBroadcast", `{"AppId":1001,"Sender":1,"MsgType":10001,"Content":"{}"}`, "InvalidParam"},
		{"UserBroadcast", `{"AppId":1001,"Sender":1,"MsgType":10001,"Content":"{}","MsgTTL":0}`, "InvalidParam"},
		{"UserBroadcast", `{"AppId":1001,"Sender":1,"MsgType":10001,"Content":"{}","MsgTTL":604801}`, "InvalidParam"},
		{"UserBroadcast", `{"AppId":1001,"Sender":1,"MsgType":10001,"Content":"{}","MsgTTL":60,"TagOp":2}`, "InvalidParam"},
		{"UserBroadcast", `{"AppId":1001,"MsgType":10001,"Content":"{}","MsgTTL":60}`, "InvalidParam"},
		{"UserBroadcast", `{"AppId":1001,"Sender":1,"Content":"{}","MsgTTL":60}`, "InvalidParam"},
		{"UserBroadcast", `{"AppId":1001,"Sender":1,"MsgType":10001,"MsgTTL":60}`, "InvalidParam"},
		{"ModifyMessage", `{` + conv + `}`, "InvalidParam"},
		{"ModifyMessage", `{"AppId":1001,"MessageId":1}`, "InvalidParam"},
		{"ModifyMessage", `{` + conv + `,"MessageId":1,"Ext":{"k":"v"}}`, "MessageNotFound"},
		{"ModifyMessage", `{"AppId":1001,"ConversationShortId":42,"MessageId":1}`, "ConversationNotFound"},
		{"RecallMessage", fmt.Sprintf(`{%s,"MessageId":%d}`, conv, int64(id)), "InvalidParam"},
		{"RecallMessage", fmt.Sprintf(`{%s,"MessageId":%d,"ParticipantUserId":1,"RecallRole":3}`, conv, int64(id)), "InvalidParam"},
		{"RecallMessage", fmt.Sprintf(`{%s,"MessageId":%d,"ParticipantUserId":0}`, conv, int64(id)), "InvalidParam"},
		{"DeleteConversationMessage", fmt.Sprintf(`{%s,"MessageId":%d,"DeleteType":2}`, conv, int64(id)), "InvalidParam"},
		{"DeleteConversationMessage", `{` + conv + `,"MessageId":0}`, "InvalidParam"},
		{"DeleteMessage", fmt.Sprintf(`{%s,"MessageId":%d}`, conv, int64(id)), "InvalidParam"},
		{"DeleteMessage", `{` + conv + `,"MessageId":1,"ParticipantUserId":1}`, "MessageNotFound"},
		{"GetMessagesReadReceipt", `{` + conv + `}`, "InvalidParam"},
		{"GetMessagesReadReceipt", `{` + conv + `,"MessageIds":[0]}`, "InvalidParam"},
		{"GetMessagesReadReceipt", `{"AppId":1001,"ConversationShortId":42,"MessageIds":[1]}`, "ConversationNotFound"},
	} {
		r := post(t, srv, tc.action, tc.body)
		if r.status != http.StatusOK || r.code() != tc.code {
			t.Errorf("%s %s: HTTP %d %s (%s), want %s", tc.action, tc.body[:min(len(tc.body), 90)], r.status, r.code(), r.body, tc.code)
		}
	}
	// Nothing above changed the message.
	if r := post(t, srv, "GetMessages", fmt.Sprintf(`{%s,"MessageIds":[%d]}`, conv, int64(id))); !bytes.Contains(r.body, []byte(`"Content":"{\"text\":\"x\"}"`)) || !bytes.Contains(r.body, []byte(`"Status":0`)) {
		t.Errorf("message after the rejected requests: %s", r.body)
	}
	if n := len(srv.Broadcasts()); n != 0 {
		t.Errorf("%d broadcasts recorded from rejected requests", n)
	}
}

// TestMessageActionsVerifySignatures: the new actions go through the same
// signature check as every other.
func TestMessageActionsVerifySignatures(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, action := range []string{"BatchSendMessage", "UserBroadcast", "ModifyMessage", "RecallMessage", "DeleteConversationMessage", "DeleteMessage", "GetMessagesReadReceipt"} {
		req := rawRequest(t, srv, action, []byte(`{"AppId":1001}`))
		req.Header.Set("X-Date", "20200101T000000Z") // the signature no longer matches the request
		if r := do(t, req); r.status == http.StatusOK || r.code() == "" || r.code() == "InvalidParam" {
			t.Errorf("%s with a stale signature: HTTP %d %s", action, r.status, r.code())
		}
		unsigned, err := http.NewRequest(http.MethodPost, srv.URL+"/?Action="+action+"&Version=2020-12-01", bytes.NewReader([]byte(`{}`)))
		if err != nil {
			t.Fatal(err)
		}
		if r := do(t, unsigned); r.status != http.StatusUnauthorized || r.code() != "MissingAuthenticationToken" {
			t.Errorf("%s unsigned: HTTP %d %s", action, r.status, r.code())
		}
	}
}

// TestGeneratedConversationMessagesCannotChange: generated messages are
// computed, never stored, so the writes refuse them.
func TestGeneratedConversationMessagesCannotChange(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddGeneratedConversation(testApp, testConv, 3)
	c := newClient(t, srv)
	ctx := context.Background()
	id := volcimtest.GeneratedMessage(testApp, testConv, 1).MessageID
	for name, err := range map[string]error{
		"modify": func() error {
			_, err := c.ModifyMessage(ctx, &volcim.ModifyMessageRequest{ConversationShortID: testConv, MessageID: id, Content: "{}"})
			return err
		}(),
		"recall": func() error {
			_, err := c.RecallMessage(ctx, &volcim.RecallMessageRequest{ConversationShortID: testConv, MessageID: id, ParticipantUserID: 1})
			return err
		}(),
		"delete": func() error {
			_, err := c.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{ConversationShortID: testConv, MessageID: id})
			return err
		}(),
	} {
		if messageErrCode(err) != volcim.CodeInvalidParam {
			t.Errorf("%s of a generated message: %v, want InvalidParam", name, err)
		}
	}
	resp, err := c.GetMessagesReadReceipt(ctx, &volcim.GetMessagesReadReceiptRequest{ConversationShortID: testConv, MessageIDs: []int64{id}})
	if err != nil || len(resp.ReadReceipts) != 1 || len(resp.ReadReceipts[0].ReadUserIDs) != 0 {
		t.Errorf("read receipt of a generated message: %+v, %v (no members recorded: empty lists)", resp, err)
	}
}

func messageErrCode(err error) string {
	var e *volcim.APIError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// TestMessageWritesRaceWithReads changes messages while they are being read:
// run with -race, it proves that stored messages are replaced, never changed
// in place while a reply may still be encoding them.
func TestMessageWritesRaceWithReads(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	const n = 40
	for i := int64(1); i <= n; i++ {
		m := msg(i, `{"text":"x"}`)
		m.Ext = map[string]string{"k": "v"}
		if i > 1 {
			m.RefMsgInfo = &volcim.RefMsgInfo{ReferencedMessageID: msg(i-1, "").MessageID}
		}
		srv.AddMessages(m)
	}
	c := newClient(t, srv)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if _, err := c.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{ConversationShortID: testConv, Limit: 20}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := int64(1); i <= n; i++ {
		id := msg(i, "").MessageID
		var err error
		switch i % 3 {
		case 0:
			_, err = c.ModifyMessage(ctx, &volcim.ModifyMessageRequest{ConversationShortID: testConv, MessageID: id, Ext: map[string]string{"k": "w"}})
		case 1:
			_, err = c.RecallMessage(ctx, &volcim.RecallMessageRequest{ConversationShortID: testConv, MessageID: id, ParticipantUserID: 10001})
		case 2:
			_, err = c.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{ConversationShortID: testConv, MessageID: id})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

func TestBroadcastsAreCopies(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := newClient(t, srv)
	if _, err := c.UserBroadcast(context.Background(), &volcim.UserBroadcastRequest{Sender: 1, MsgType: volcim.MessageText, Content: "{}", TTL: time.Minute, Tags: []string{"a"}, Ext: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	b := srv.Broadcasts()
	b[0].Tags[0], b[0].Ext["k"] = "changed", "changed"
	if again := srv.Broadcasts(); again[0].Tags[0] != "a" || again[0].Ext["k"] != "v" || again[0].AppID != testApp {
		t.Errorf("Broadcasts shares its slices and maps with the server: %+v", again[0])
	}
}

func TestMessageSeedingPanics(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddParticipants(testApp, testConv, volcim.Participant{UserID: 1})
	for name, f := range map[string]func(){
		"SetReadIndex unknown conversation": func() { srv.SetReadIndex(testApp, 42, 1, 1) },
		"SetReadIndex not a member":         func() { srv.SetReadIndex(testApp, testConv, 2, 1) },
		"SetReadIndex negative":             func() { srv.SetReadIndex(testApp, testConv, 1, -1) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
	srv.SetReadIndex(testApp, testConv, 1, 5) // a member: no panic
}
