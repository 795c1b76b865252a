package wire

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
)

func TestMessagesAgree(t *testing.T) {
	t.Parallel()
	runAgreements(t, []agreement{
		{
			action: "SendMessage",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.SendMessage(ctx, &volcim.SendMessageRequest{
					ConversationShortID: 7171275522159198471,
					Sender:              10001,
					MsgType:             volcim.MessageText,
					Content:             volcim.TextContent("hi <all> & 你好"),
					ClientMsgID:         "c0ffee00-0000-4000-8000-000000000001",
					CreateTime:          time.UnixMilli(1669723135771),
					Ext:                 map[string]string{"k": "v"},
					MentionedUsers:      []int64{10002, 10003},
					VisibleUsers:        []int64{10002},
					InvisibleUsersStr:   []string{"bob"},
					RefMsgInfo:          &volcim.RefMsgInfo{ReferencedMessageID: 7171391232210503710, Hint: "[图片]"},
					Priority:            volcim.Ptr(volcim.PriorityHigh),
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				key, at, prio := "c0ffee00-0000-4000-8000-000000000001", int64(1669723135771), int32(2)
				u2, u3 := int64(10002), int64(10003)
				return c.SendMessage(ctx, &im.SendMessageBody{
					AppID:               testApp,
					ConversationShortID: 7171275522159198471,
					Sender:              10001,
					MsgType:             10001,
					Content:             `{"text":"hi \u003call\u003e \u0026 你好"}`,
					ClientMsgID:         &key,
					CreateTime:          &at,
					Ext:                 map[string]string{"k": "v"},
					MentionedUsers:      []*int64{&u2, &u3},
					VisibleUsers:        []*int64{&u2},
					InvisibleUsersStr:   []string{"bob"},
					RefMsgInfo:          &im.SendMessageBodyRefMsgInfo{ReferencedMessageID: 7171391232210503710, Hint: "[图片]"},
					Priority:            &prio,
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.SendMessageResponse), o.(*im.SendMessageRes)
				check(t, "MessageId", vr.MessageID, or.Result.MessageID)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		batchSendAgreement(false),
		batchSendAgreement(true),
		{
			action: "UserBroadcast",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.UserBroadcast(ctx, &volcim.UserBroadcastRequest{
					Sender:    104,
					MsgType:   volcim.MessageCustom,
					Content:   `{"type":2,"text":"系统维护"}`,
					TTL:       60480 * time.Second,
					Tags:      []string{"tag1:v1", "vip"},
					TagOp:     volcim.TagOpAll,
					Ext:       map[string]string{"message_ext": "123"},
					InboxType: 1,
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				op, inbox := int32(1), int32(1)
				return c.UserBroadcast(ctx, &im.UserBroadcastBody{
					AppID:     testApp,
					Sender:    104,
					MsgType:   10012,
					Content:   `{"type":2,"text":"系统维护"}`,
					MsgTTL:    60480,
					Tags:      []string{"tag1:v1", "vip"},
					TagOp:     &op,
					Ext:       map[string]string{"message_ext": "123"},
					InboxType: &inbox,
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.UserBroadcastResponse), o.(*im.UserBroadcastRes)
				sameMetadata(t, vr.ResponseMetadata, or.ResponseMetadata.RequestID, or.ResponseMetadata.Action, or.ResponseMetadata.Version, or.ResponseMetadata.Service, or.ResponseMetadata.Region)
			},
		},
		{
			action: "ModifyMessage",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ModifyMessage(ctx, &volcim.ModifyMessageRequest{
					ConversationShortID: 7171275522159198471,
					MessageID:           7171391829814822919,
					Content:             volcim.TextContent("已编辑 <edited>"),
					Ext:                 map[string]string{"edited": "1", "by": "admin"},
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				content := `{"text":"已编辑 \u003cedited\u003e"}`
				return c.ModifyMessage(ctx, &im.ModifyMessageBody{
					AppID:               testApp,
					ConversationShortID: 7171275522159198471,
					MessageID:           7171391829814822919,
					Content:             &content,
					Ext:                 map[string]string{"edited": "1", "by": "admin"},
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.ModifyMessageResponse), o.(*im.ModifyMessageRes)
				sameMetadata(t, vr.ResponseMetadata, or.ResponseMetadata.RequestID, or.ResponseMetadata.Action, or.ResponseMetadata.Version, or.ResponseMetadata.Service, or.ResponseMetadata.Region)
			},
		},
		{
			action: "RecallMessage",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.RecallMessage(ctx, &volcim.RecallMessageRequest{
					ConversationShortID: 7171275522159198471,
					MessageID:           7171391829814822919,
					ParticipantUserID:   10001,
					RecallRole:          volcim.RecallAsManager,
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				role := int32(2)
				return c.RecallMessage(ctx, &im.RecallMessageBody{
					AppID:               testApp,
					ConversationShortID: 7171275522159198471,
					MessageID:           7171391829814822919,
					ParticipantUserID:   10001,
					RecallRole:          &role,
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.RecallMessageResponse), o.(*im.RecallMessageRes)
				sameMetadata(t, vr.ResponseMetadata, or.ResponseMetadata.RequestID, or.ResponseMetadata.Action, or.ResponseMetadata.Version, or.ResponseMetadata.Service, or.ResponseMetadata.Region)
			},
		},
		{
			action: "DeleteConversationMessage",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.DeleteConversationMessage(ctx, &volcim.DeleteConversationMessageRequest{
					ConversationShortID: 7171275522159198471,
					MessageID:           7171391829814822919,
					DeleteType:          volcim.DeleteExceptSender,
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				typ := int32(1)
				return c.DeleteConversationMessage(ctx, &im.DeleteConversationMessageBody{
					AppID:               testApp,
					ConversationShortID: 7171275522159198471,
					MessageID:           7171391829814822919,
					DeleteType:          &typ,
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.DeleteConversationMessageResponse), o.(*im.DeleteConversationMessageRes)
				sameMetadata(t, vr.ResponseMetadata, or.ResponseMetadata.RequestID, or.ResponseMetadata.Action, or.ResponseMetadata.Version, or.ResponseMetadata.Service, or.ResponseMetadata.Region)
			},
		},
		{
			action: "DeleteMessage",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.DeleteMessage(ctx, &volcim.DeleteMessageRequest{
					ConversationShortID: 7171275522159198471,
					MessageID:           7171391829814822919,
					ParticipantUserID:   10002,
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.DeleteMessage(ctx, &im.DeleteMessageBody{
					AppID:               testApp,
					ConversationShortID: 7171275522159198471,
					MessageID:           7171391829814822919,
					ParticipantUserID:   10002,
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.DeleteMessageResponse), o.(*im.DeleteMessageRes)
				sameMetadata(t, vr.ResponseMetadata, or.ResponseMetadata.RequestID, or.ResponseMetadata.Action, or.ResponseMetadata.Version, or.ResponseMetadata.Service, or.ResponseMetadata.Region)
			},
		},
		{
			action: "GetMessagesReadReceipt",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetMessagesReadReceipt(ctx, &volcim.GetMessagesReadReceiptRequest{
					ConversationShortID: 1691070514797524328,
					MessageIDs:          []int64{1709040620191372977, 1709040620191372981},
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.GetMessagesReadReceipt(ctx, &im.GetMessagesReadReceiptBody{
					AppID:               testApp,
					ConversationShortID: 1691070514797524328,
					MessageIDs:          []int64{1709040620191372977, 1709040620191372981},
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetMessagesReadReceiptResponse), o.(*im.GetMessagesReadReceiptRes)
				sameMetadata(t, vr.ResponseMetadata, or.ResponseMetadata.RequestID, or.ResponseMetadata.Action, or.ResponseMetadata.Version, or.ResponseMetadata.Service, or.ResponseMetadata.Region)
				if len(vr.ReadReceipts) != 2 || len(or.Result.ReadReceipt) != len(vr.ReadReceipts) {
					t.Fatalf("receipts: volcim %d, official %d, want 2", len(vr.ReadReceipts), len(or.Result.ReadReceipt))
				}
				for i, r := range vr.ReadReceipts {
					w := or.Result.ReadReceipt[i]
					check(t, "ConversationShortId", r.ConversationShortID, w.ConversationShortID)
					check(t, "MessageId", r.MessageID, w.MessageID)
					check(t, "ReceiverIsRead", r.ReceiverIsRead, w.ReceiverIsRead)
					checkDeep(t, "ReadUserIds", r.ReadUserIDs, w.ReadUserIDs)
					checkDeep(t, "ReadUserIdsStr", r.ReadUserIDsStr, w.ReadUserIDsStr)
					checkDeep(t, "UnReadUserIds", r.UnreadUserIDs, w.UnReadUserIDs)
					checkDeep(t, "UnReadUserIdsStr", r.UnreadUserIDsStr, w.UnReadUserIDsStr)
				}
			},
		},
	})
}

// sameMetadata compares volcim's ResponseMetadata with the official one's
// fields.
func sameMetadata(t *testing.T, v volcim.ResponseMetadata, requestID, action, version, service, region string) {
	t.Helper()
	check(t, "RequestId", v.RequestID, requestID)
	check(t, "Action", v.Action, action)
	check(t, "Version", v.Version, version)
	check(t, "Service", v.Service, service)
	check(t, "Region", v.Region, region)
}

// batchSendResult is what volcim's BatchSendMessage returns: the canned
// reply lists a failed receiver, so the call returns its response together
// with a partial-failure error.
type batchSendResult struct {
	resp *volcim.BatchSendMessageResponse
	err  error
}

// batchSendAgreement is the BatchSendMessage case. With normalUser, volcim
// sends IsNormalUser, which the API page documents and the official model
// lacks: that member is only checked for presence in volcim's body, the
// rest must be equal. Likewise the reply's FailedReceiver has no official
// counterpart: volcim's decoding of it is checked against the canned reply.
func batchSendAgreement(normalUser bool) agreement {
	a := agreement{
		action: "BatchSendMessage",
		volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
			resp, err := c.BatchSendMessage(ctx, &volcim.BatchSendMessageRequest{
				Sender:       10001,
				Receivers:    []int64{10002, 10003, 10004},
				MsgType:      volcim.MessageText,
				Content:      volcim.TextContent("您的订单已发货 & shipped"),
				Ext:          map[string]string{"order": "42"},
				InboxType:    3,
				IsNormalUser: normalUser,
			})
			if resp == nil {
				return nil, err
			}
			return batchSendResult{resp, err}, nil
		},
		official: func(ctx context.Context, c *im.Im) (any, error) {
			inbox := int32(3)
			return c.BatchSendMessage(ctx, &im.BatchSendMessageBody{
				AppID:     testApp,
				Sender:    10001,
				Receiver:  []int64{10002, 10003, 10004},
				MsgType:   10001,
				Content:   `{"text":"您的订单已发货 \u0026 shipped"}`,
				Ext:       map[string]string{"order": "42"},
				InboxType: &inbox,
			})
		},
		same: func(t *testing.T, v, o any) {
			vr, or := v.(batchSendResult), o.(*im.BatchSendMessageRes)
			sameMetadata(t, vr.resp.ResponseMetadata, or.ResponseMetadata.RequestID, or.ResponseMetadata.Action, or.ResponseMetadata.Version, or.ResponseMetadata.Service, or.ResponseMetadata.Region)
			official := make(map[int64]int64, len(or.Result.UserMessageID))
			for k, id := range or.Result.UserMessageID {
				user, err := strconv.ParseInt(k, 10, 64)
				if err != nil {
					t.Fatalf("official UserMessageId key %q: %v", k, err)
				}
				official[user] = id
			}
			if len(official) != 2 {
				t.Errorf("official UserMessageId %v, want 2 entries", or.Result.UserMessageID)
			}
			checkDeep(t, "UserMessageId", vr.resp.UserMessageIDs, official)
			// FailedReceiver: not in the official model.
			checkDeep(t, "FailedReceiver", vr.resp.FailedReceivers, []int64{10004})
			var pf *volcim.PartialFailureError
			if !errors.As(vr.err, &pf) || len(pf.Failed) != 1 || pf.Failed[0].UserID != 10004 {
				t.Errorf("volcim's error %v, want a partial failure of 10004", vr.err)
			}
		},
	}
	if normalUser {
		a.ignoreBody = []string{"IsNormalUser"}
	}
	return a
}
