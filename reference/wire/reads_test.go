package wire

import (
	"context"
	"testing"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
)

// sameMessage compares one message as both clients decoded it.
func sameMessage(t *testing.T, v volcim.Message, o messageFields) {
	t.Helper()
	check(t, "AppId", v.AppID, int64(o.appID))
	check(t, "ConversationShortId", v.ConversationShortID, o.convID)
	check(t, "ConversationType", int32(v.ConversationType), o.convType)
	check(t, "MessageId", v.MessageID, o.messageID)
	check(t, "MsgType", int32(v.MsgType), o.msgType)
	check(t, "Content", v.Content, o.content)
	checkDeep(t, "Ext", v.Ext, o.ext)
	check(t, "Status", int32(v.Status), o.status)
	check(t, "CreateTime", v.CreateTime.UnixMilli(), o.createTime)
	check(t, "Sender", v.Sender, o.sender)
	check(t, "SenderStr", v.SenderStr, deref(o.senderStr))
	check(t, "IndexInConversation", v.IndexInConversation, deref(o.index))
	if (v.RefMsgInfo == nil) != (o.ref == nil) {
		t.Fatalf("RefMsgInfo: volcim %v, official %v", v.RefMsgInfo, o.ref)
	}
	if o.ref != nil {
		check(t, "RefMsgInfo.ReferencedMessageId", v.RefMsgInfo.ReferencedMessageID, o.ref.id)
		check(t, "RefMsgInfo.Hint", v.RefMsgInfo.Hint, o.ref.hint)
		check(t, "RefMsgInfo.ReferencedMessageType", int32(v.RefMsgInfo.ReferencedMessageType), o.ref.typ)
		check(t, "RefMsgInfo.Status", int32(v.RefMsgInfo.Status), o.ref.status)
	}
}

// messageFields is a message of the official models, whose item types
// differ per action.
type messageFields struct {
	appID                                 int32
	convID, messageID, createTime, sender int64
	convType, msgType, status             int32
	content                               string
	ext                                   map[string]string
	senderStr                             *string
	index                                 *int64
	ref                                   *refFields
}

type refFields struct {
	id          int64
	hint        string
	typ, status int32
}

func TestReadsAgree(t *testing.T) {
	t.Parallel()
	runAgreements(t, []agreement{
		{
			action: "GetMessages",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetMessages(ctx, &volcim.GetMessagesRequest{ConversationShortID: 7171275522159198471, MessageIDs: []int64{7171391829814822919, 7171391829814839303}})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.GetMessages(ctx, &im.GetMessagesBody{AppID: testApp, ConversationShortID: 7171275522159198471, MessageIDs: []int64{7171391829814822919, 7171391829814839303}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetMessagesResponse), o.(*im.GetMessagesRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				if len(vr.Messages) != len(or.Result.Messages) || len(vr.Messages) == 0 {
					t.Fatalf("volcim %d messages, official %d", len(vr.Messages), len(or.Result.Messages))
				}
				for i, m := range or.Result.Messages {
					f := messageFields{appID: m.AppID, convID: m.ConversationShortID, messageID: m.MessageID, createTime: m.CreateTime, sender: m.Sender,
						convType: m.ConversationType, msgType: m.MsgType, status: m.Status, content: m.Content, ext: m.Ext, senderStr: m.SenderStr, index: m.IndexInConversation}
					if r := m.RefMsgInfo; r != nil {
						f.ref = &refFields{id: r.ReferencedMessageID, hint: r.Hint, typ: r.ReferencedMessageType, status: r.Status}
					}
					sameMessage(t, vr.Messages[i], f)
				}
			},
		},
		{
			action: "GetConversationMessages",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{ConversationShortID: 7171275522159198471, Cursor: 1669694740483825, Limit: 3, Reverse: true})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				reverse := int32(1)
				return c.GetConversationMessages(ctx, &im.GetConversationMessagesBody{AppID: testApp, ConversationShortID: 7171275522159198471, Cursor: 1669694740483825, Limit: 3, Reverse: &reverse})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetConversationMessagesResponse), o.(*im.GetConversationMessagesRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				check(t, "HasMore", vr.HasMore, or.Result.HasMore)
				check(t, "NewCursor", vr.NewCursor, or.Result.NewCursor)
				if len(vr.Messages) != len(or.Result.Messages) || len(vr.Messages) == 0 {
					t.Fatalf("volcim %d messages, official %d", len(vr.Messages), len(or.Result.Messages))
				}
				for i, m := range or.Result.Messages {
					f := messageFields{appID: m.AppID, convID: m.ConversationShortID, messageID: m.MessageID, createTime: m.CreateTime, sender: m.Sender,
						convType: m.ConversationType, msgType: m.MsgType, status: m.Status, content: m.Content, ext: m.Ext, senderStr: m.SenderStr, index: m.IndexInConversation}
					if r := m.RefMsgInfo; r != nil {
						f.ref = &refFields{id: r.ReferencedMessageID, hint: r.Hint, typ: r.ReferencedMessageType, status: r.Status}
					}
					sameMessage(t, vr.Messages[i], f)
				}
			},
		},
		{
			action: "BatchGetConversations",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchGetConversations(ctx, &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{7171275522159198471, 7171275522159198472}, IncludeMemberCount: true})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				skip := false
				return c.BatchGetConversations(ctx, &im.BatchGetConversationsBody{AppID: testApp, ConversationShortID: []int64{7171275522159198471, 7171275522159198472}, SkipMemberCount: &skip})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchGetConversationsResponse), o.(*im.BatchGetConversationsRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				if len(vr.Conversations) != len(or.Result.ConversationCoreInfos) || len(vr.Conversations) == 0 {
					t.Fatalf("volcim %d conversations, official %d", len(vr.Conversations), len(or.Result.ConversationCoreInfos))
				}
				for i, c := range or.Result.ConversationCoreInfos {
					g := vr.Conversations[i]
					check(t, "AppId", g.AppID, int64(c.AppID))
					check(t, "ConversationShortId", g.ConversationShortID, c.ConversationShortID)
					check(t, "ConversationId", g.ConversationID, c.ConversationID)
					check(t, "ConversationType", int32(g.ConversationType), c.ConversationType)
					check(t, "CreateTime", g.CreateTime.Unix(), c.CreateTime)
					check(t, "ModifyTime", g.ModifyTime.Unix(), c.ModifyTime)
					check(t, "CreatorUserId", g.CreatorUserID, c.CreatorUserID)
					check(t, "CreatorUserIdStr", g.CreatorUserIDStr, deref(c.CreatorUserIDStr))
					check(t, "InboxType", g.InboxType, c.InboxType)
					check(t, "OwnerUserId", g.OwnerUserID, c.OwnerUserID)
					check(t, "OwnerUserIdStr", g.OwnerUserIDStr, deref(c.OwnerUserIDStr))
					check(t, "AvatarUrl", g.AvatarURL, deref(c.AvatarURL))
					check(t, "Description", g.Description, deref(c.Description))
					checkDeep(t, "Ext", g.Ext, c.Ext)
					check(t, "MemberCount", g.MemberCount, deref(c.MemberCount))
					check(t, "Name", g.Name, deref(c.Name))
					check(t, "Notice", g.Notice, deref(c.Notice))
					check(t, "OnlineCount", g.OnlineCount, deref(c.OnlineCount))
					check(t, "OtherUserId", g.OtherUserID, deref(c.OtherUserID))
					check(t, "OtherUserIdStr", g.OtherUserIDStr, deref(c.OtherUserIDStr))
					check(t, "Status", int32(g.Status), deref(c.Status))
				}
			},
		},
	})
}
