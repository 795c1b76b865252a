package wire

import (
	"context"
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
	})
}
