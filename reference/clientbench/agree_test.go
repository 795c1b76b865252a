package clientbench

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/signer"
)

// TestClientsAgree makes each benchmarked call once with each client and
// checks that they did the same work: byte-identical request bodies, a valid
// signature from the two SDKs (none from the floor), and the same 20 items
// decoded.
func TestClientsAgree(t *testing.T) {
	srv := newServer(t, true)
	c := newClients(t, srv)
	ctx := context.Background()
	for _, tc := range []struct {
		action   string
		ways     func(clients) []way
		wantLast int64
	}{
		{"GetConversationMessages", getConversationMessages, messageIDs[pageSize-1]},
		{"GetMessages", getMessages, messageIDs[pageSize-1]},
		{"BatchGetConversations", batchGetConversations, conversationIDs[pageSize-1]},
	} {
		t.Run(tc.action, func(t *testing.T) {
			ws := tc.ways(c)
			for _, w := range ws {
				if err := check(ctx, w, tc.wantLast); err != nil {
					t.Fatal(err)
				}
			}
			var bodies = map[string]string{}
			var n int
			for _, r := range srv.requests() {
				if !strings.Contains(r.req.URL.RawQuery, "Action="+tc.action+"&") {
					continue
				}
				n++
				name := "floor"
				switch ua := r.req.Header.Get("User-Agent"); {
				case strings.HasPrefix(ua, "volcim-go/"):
					name = "volcim"
				case strings.HasPrefix(ua, "volc-sdk-golang/"):
					name = "official"
				}
				bodies[name] = string(r.body)
				if name == "floor" {
					if r.req.Header.Get("Authorization") != "" {
						t.Errorf("floor request is signed")
					}
					continue
				}
				at, err := time.Parse("20060102T150405Z", r.req.Header.Get("X-Date"))
				if err != nil {
					t.Fatalf("%s: X-Date: %v", name, err)
				}
				res, err := signer.Verify(r.req, r.body, func(ak string) (string, bool) { return benchSK, ak == benchAK }, at, time.Minute)
				if err != nil {
					t.Errorf("%s request does not verify: %v", name, err)
				} else if res.Region != "cn-north-1" || res.Service != "rtc" {
					t.Errorf("%s signed for %s/%s", name, res.Region, res.Service)
				}
			}
			if n != len(ws) || len(bodies) != len(ws) {
				t.Fatalf("server saw %d %s requests from %d clients, want %d", n, tc.action, len(bodies), len(ws))
			}
			for name, body := range bodies {
				if body != bodies["floor"] {
					t.Errorf("bodies differ:\n %-8s %s\n floor    %s", name, body, bodies["floor"])
				}
			}
		})
	}
}

// TestVolcimDecodesAsTheFloor checks, item by item and field by field, that
// volcim (whose hot reader decodes these replies without encoding/json)
// decodes the benchmarked replies as the floor's encoding/json does.
func TestVolcimDecodesAsTheFloor(t *testing.T) {
	srv := newServer(t, false)
	c := newClients(t, srv)
	ctx := context.Background()

	var floorPage floorGetConversationMessagesResult
	if _, err := floorCall(ctx, c.floor, "GetConversationMessages", &floorGetConversationMessagesRequest{
		AppID: appID, ConversationShortID: conversationID, Cursor: startCursor, Limit: pageSize,
	}, &floorPage); err != nil {
		t.Fatal(err)
	}
	page, err := c.volcim.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{
		AppID: appID, ConversationShortID: conversationID, Cursor: startCursor, Limit: pageSize,
	})
	if err != nil {
		t.Fatal(err)
	}
	if page.HasMore != floorPage.HasMore || page.NewCursor != floorPage.NewCursor || len(page.Messages) != len(floorPage.Messages) {
		t.Fatalf("page: HasMore %v, NewCursor %d, %d messages; floor %v, %d, %d",
			page.HasMore, page.NewCursor, len(page.Messages), floorPage.HasMore, floorPage.NewCursor, len(floorPage.Messages))
	}
	for i, m := range page.Messages {
		f := floorPage.Messages[i]
		got := floorMessage{
			ConversationType: int32(m.ConversationType), ConversationShortID: m.ConversationShortID, MessageID: m.MessageID,
			ClientMsgID: m.ClientMsgID, MsgType: int32(m.MsgType), Content: m.Content, Ext: m.Ext, Status: int32(m.Status),
			CreateTime: m.CreateTime.UnixMilli(), Sender: m.Sender, SenderStr: m.SenderStr, AppID: m.AppID,
			IndexInConversation: m.IndexInConversation,
		}
		if r := m.RefMsgInfo; r != nil {
			got.RefMsgInfo = &floorRefMsgInfo{ReferencedMessageID: r.ReferencedMessageID, Hint: r.Hint,
				ReferencedMessageType: int32(r.ReferencedMessageType), Status: int32(r.Status)}
		}
		if !reflect.DeepEqual(got, f) {
			t.Errorf("message %d:\n volcim %+v\n floor  %+v", i, got, f)
		}
	}

	var floorConvs floorBatchGetConversationsResult
	if _, err := floorCall(ctx, c.floor, "BatchGetConversations", &floorBatchGetConversationsRequest{
		AppID: appID, ConversationShortIDs: conversationIDs, SkipMemberCount: true,
	}, &floorConvs); err != nil {
		t.Fatal(err)
	}
	convs, err := c.volcim.BatchGetConversations(ctx, &volcim.BatchGetConversationsRequest{AppID: appID, ConversationShortIDs: conversationIDs})
	if err != nil {
		t.Fatal(err)
	}
	if len(convs.Conversations) != len(floorConvs.ConversationCoreInfos) {
		t.Fatalf("%d conversations, floor %d", len(convs.Conversations), len(floorConvs.ConversationCoreInfos))
	}
	for i, cv := range convs.Conversations {
		got := floorConversation{
			ConversationShortID: cv.ConversationShortID, ConversationID: cv.ConversationID, AppID: cv.AppID,
			InboxType: cv.InboxType, Name: cv.Name, AvatarURL: cv.AvatarURL, Description: cv.Description,
			OwnerUserID: cv.OwnerUserID, OwnerUserIDStr: cv.OwnerUserIDStr, CreatorUserID: cv.CreatorUserID,
			CreatorUserIDStr: cv.CreatorUserIDStr, Notice: cv.Notice, Status: int32(cv.Status), Ext: cv.Ext,
			CreateTime: cv.CreateTime.Unix(), ModifyTime: cv.ModifyTime.Unix(), ConversationType: int32(cv.ConversationType),
			MemberCount: cv.MemberCount, OnlineCount: cv.OnlineCount, OtherUserID: cv.OtherUserID, OtherUserIDStr: cv.OtherUserIDStr,
		}
		if f := floorConvs.ConversationCoreInfos[i]; !reflect.DeepEqual(got, f) {
			t.Errorf("conversation %d:\n volcim %+v\n floor  %+v", i, got, f)
		}
	}
}
