package wire

import (
	"context"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
)

const wireConv = 7368934651020431623

// sameConversation compares a decoded conversation with the official
// client's fields (it takes them one by one: each action has its own
// struct for the same object).
func sameConversation(t *testing.T, prefix string, v volcim.Conversation, o officialConversation) {
	t.Helper()
	check(t, prefix+"AppId", v.AppID, int64(o.AppID))
	check(t, prefix+"ConversationShortId", v.ConversationShortID, o.ConversationShortID)
	check(t, prefix+"ConversationId", v.ConversationID, o.ConversationID)
	check(t, prefix+"ConversationType", int32(v.ConversationType), o.ConversationType)
	check(t, prefix+"InboxType", v.InboxType, o.InboxType)
	check(t, prefix+"Name", v.Name, o.Name)
	check(t, prefix+"AvatarUrl", v.AvatarURL, o.AvatarURL)
	check(t, prefix+"Description", v.Description, o.Description)
	check(t, prefix+"Notice", v.Notice, o.Notice)
	checkDeep(t, prefix+"Ext", v.Ext, o.Ext)
	check(t, prefix+"OwnerUserId", v.OwnerUserID, o.OwnerUserID)
	check(t, prefix+"OwnerUserIdStr", v.OwnerUserIDStr, o.OwnerUserIDStr)
	check(t, prefix+"CreatorUserId", v.CreatorUserID, o.CreatorUserID)
	check(t, prefix+"CreatorUserIdStr", v.CreatorUserIDStr, o.CreatorUserIDStr)
	check(t, prefix+"Status", int32(v.Status), o.Status)
	check(t, prefix+"CreateTime", v.CreateTime.Unix(), o.CreateTime)
	check(t, prefix+"ModifyTime", v.ModifyTime.Unix(), o.ModifyTime)
	check(t, prefix+"MemberCount", v.MemberCount, o.MemberCount)
	check(t, prefix+"OnlineCount", v.OnlineCount, o.OnlineCount)
	check(t, prefix+"OtherUserId", v.OtherUserID, o.OtherUserID)
	check(t, prefix+"OtherUserIdStr", v.OtherUserIDStr, o.OtherUserIDStr)
	if o.CreateTime == 0 || o.ModifyTime == 0 {
		t.Errorf("%scanned reply without times", prefix)
	}
}

// officialConversation is a conversation as the official client decoded
// it, its optional fields dereferenced.
type officialConversation struct {
	AppID                                            int32
	ConversationShortID                              int64
	ConversationID                                   string
	ConversationType, InboxType, Status              int32
	Name, AvatarURL, Description, Notice             string
	Ext                                              map[string]string
	OwnerUserID, CreatorUserID, OtherUserID          int64
	OwnerUserIDStr, CreatorUserIDStr, OtherUserIDStr string
	CreateTime, ModifyTime, MemberCount, OnlineCount int64
}

func TestConversationsAgree(t *testing.T) {
	t.Parallel()
	runAgreements(t, []agreement{
		{
			action: "CreateConversation",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.CreateConversation(ctx, &volcim.CreateConversationRequest{
					ConversationType: volcim.ConversationGroup, Name: "产品组 🚀", AvatarURL: "https://example.com/a.png",
					Description: "<讨论> & 发布", Notice: "周五", Ext: map[string]string{"k": "v"},
					OwnerUserID: 10001, OwnerUserIDStr: "alice", IdempotentID: "order-42", InboxType: 3,
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				name, avatar, desc, notice, ownerStr, key, inbox := "产品组 🚀", "https://example.com/a.png", "<讨论> & 发布", "周五", "alice", "order-42", int32(3)
				return c.CreateConversation(ctx, &im.CreateConversationBody{
					AppID: testApp,
					ConversationCoreInfo: im.CreateConversationBodyConversationCoreInfo{
						ConversationType: 2, AvatarURL: &avatar, Description: &desc, Ext: map[string]string{"k": "v"}, Name: &name, Notice: &notice,
					},
					OwnerUserID: 10001, OwnerUserIDStr: &ownerStr, IdempotentID: &key, InboxType: &inbox,
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.CreateConversationResponse), o.(*im.CreateConversationRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				check(t, "ConversationShortId", vr.ConversationShortID, or.Result.ConversationShortID)
				check(t, "ConversationId", vr.ConversationID, or.Result.ConversationID)
				check(t, "Exist", vr.Exist, or.Result.Exist)
				i := or.Result.ConversationInfo
				sameConversation(t, "ConversationInfo.", vr.Conversation, officialConversation{
					AppID: i.AppID, ConversationShortID: i.ConversationShortID, ConversationID: i.ConversationID,
					ConversationType: i.ConversationType, InboxType: i.InboxType, Status: deref(i.Status),
					Name: deref(i.Name), AvatarURL: deref(i.AvatarURL), Description: deref(i.Description), Notice: deref(i.Notice), Ext: i.Ext,
					OwnerUserID: deref(i.OwnerUserID), CreatorUserID: deref(i.CreatorUserID), OtherUserID: deref(i.OtherUserID),
					OwnerUserIDStr: deref(i.OwnerUserIDStr), CreatorUserIDStr: deref(i.CreatorUserIDStr), OtherUserIDStr: deref(i.OtherUserIDStr),
					CreateTime: deref(i.CreateTime), ModifyTime: deref(i.ModifyTime), MemberCount: deref(i.MemberCount), OnlineCount: deref(i.OnlineCount),
				})
			},
		},
		{
			// A one-to-one conversation: no key is filled, the server
			// derives one from the two users.
			action: "CreateConversation",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.CreateConversation(ctx, &volcim.CreateConversationRequest{ConversationType: volcim.ConversationOneToOne, OwnerUserID: 10001, OtherUserID: 9007199254740993, OtherUserIDStr: "bob"})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				other, otherStr := int64(9007199254740993), "bob"
				return c.CreateConversation(ctx, &im.CreateConversationBody{AppID: testApp, ConversationCoreInfo: im.CreateConversationBodyConversationCoreInfo{ConversationType: 1}, OwnerUserID: 10001, OtherUserID: &other, OtherUserIDStr: &otherStr})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.CreateConversationResponse), o.(*im.CreateConversationRes)
				check(t, "ConversationShortId", vr.ConversationShortID, or.Result.ConversationShortID)
				check(t, "IdempotentId", vr.IdempotentID, "")
			},
		},
		{
			// A group created without a key: volcim fills one, the
			// official client sends none.
			action: "CreateConversation",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.CreateConversation(ctx, &volcim.CreateConversationRequest{ConversationType: volcim.ConversationLiveGroup, OwnerUserID: 10001})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.CreateConversation(ctx, &im.CreateConversationBody{AppID: testApp, ConversationCoreInfo: im.CreateConversationBodyConversationCoreInfo{ConversationType: 100}, OwnerUserID: 10001})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.CreateConversationResponse), o.(*im.CreateConversationRes)
				check(t, "ConversationShortId", vr.ConversationShortID, or.Result.ConversationShortID)
			},
			ignoreBody: []string{"IdempotentId"},
		},
		{
			action: "ModifyConversation",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ModifyConversation(ctx, &volcim.ModifyConversationRequest{
					ConversationShortID: wireConv, Name: volcim.Ptr("新"), AvatarURL: volcim.Ptr(""), Description: volcim.Ptr("d"), Notice: volcim.Ptr("n"),
					Ext: map[string]string{"a": "b"}, OwnerUserID: 10002, OwnerUserIDStr: "bob",
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				name, avatar, desc, notice, owner, ownerStr := "新", "", "d", "n", int64(10002), "bob"
				return c.ModifyConversation(ctx, &im.ModifyConversationBody{AppID: testApp, ConversationCoreInfo: im.ModifyConversationBodyConversationCoreInfo{
					ConversationShortID: wireConv, AvatarURL: &avatar, Description: &desc, Ext: map[string]string{"a": "b"}, Name: &name, Notice: &notice,
					OwnerUserID: &owner, OwnerUserIDStr: &ownerStr,
				}})
			},
			same: func(t *testing.T, v, o any) {
				check(t, "RequestId", v.(*volcim.ModifyConversationResponse).RequestID, o.(*im.ModifyConversationRes).ResponseMetadata.RequestID)
			},
		},
		{
			action: "DestroyConversation",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.DestroyConversation(ctx, &volcim.DestroyConversationRequest{ConversationShortID: wireConv, OwnerUserID: 10001, OwnerUserIDStr: "alice"})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				s := "alice"
				return c.DestroyConversation(ctx, &im.DestroyConversationBody{AppID: testApp, ConversationShortID: wireConv, OwnerUserID: 10001, OwnerUserIDStr: &s})
			},
			same: func(t *testing.T, v, o any) {
				check(t, "RequestId", v.(*volcim.DestroyConversationResponse).RequestID, o.(*im.DestroyConversationRes).ResponseMetadata.RequestID)
			},
		},
		{
			action: "GetUserConversations",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetUserConversations(ctx, &volcim.GetUserConversationsRequest{UserID: 10001, UserIDStr: "alice", Cursor: 20, Limit: 20, DataType: volcim.DataTypeLiveGroupsCreated, InboxType: 2, SkipMemberCount: true})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				s, dt, inbox, skip := "alice", int32(2), int32(2), true
				return c.GetUserConversations(ctx, &im.GetUserConversationsBody{AppID: testApp, Cursor: 20, Limit: 20, ParticipantUserID: 10001, ParticipantUserIDStr: &s, DataType: &dt, InboxType: &inbox, SkipMemberCount: &skip})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetUserConversationsResponse), o.(*im.GetUserConversationsRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				check(t, "HasMore", vr.HasMore, or.Result.HasMore)
				check(t, "NextCursor", vr.NextCursor, or.Result.NextCursor)
				if len(vr.Conversations) != len(or.Result.ConversationInfos) || len(vr.Conversations) == 0 {
					t.Fatalf("%d conversations, official %d", len(vr.Conversations), len(or.Result.ConversationInfos))
				}
				for k, i := range or.Result.ConversationInfos {
					sameConversation(t, "ConversationInfos[].", vr.Conversations[k], officialConversation{
						AppID: i.AppID, ConversationShortID: i.ConversationShortID, ConversationID: i.ConversationID,
						ConversationType: i.ConversationType, InboxType: i.InboxType, Status: deref(i.Status),
						Name: deref(i.Name), AvatarURL: deref(i.AvatarURL), Description: deref(i.Description), Notice: deref(i.Notice), Ext: i.Ext,
						OwnerUserID: i.OwnerUserID, CreatorUserID: i.CreatorUserID, OtherUserID: deref(i.OtherUserID),
						OwnerUserIDStr: deref(i.OwnerUserIDStr), CreatorUserIDStr: deref(i.CreatorUserIDStr), OtherUserIDStr: deref(i.OtherUserIDStr),
						CreateTime: i.CreateTime, ModifyTime: i.ModifyTime, MemberCount: deref(i.MemberCount), OnlineCount: deref(i.OnlineCount),
					})
				}
			},
		},
		{
			action: "GetConversationSetting",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetConversationSetting(ctx, &volcim.GetConversationSettingRequest{ConversationShortID: wireConv, UserID: 9007199254740993, UserIDStr: "bob", NoReadIndex: true})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				s, no := "bob", true
				return c.GetConversationSetting(ctx, &im.GetConversationSettingBody{AppID: testApp, ConversationShortID: wireConv, ParticipantUserID: 9007199254740993, ParticipantUserIDStr: &s, NoReadIndex: &no})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetConversationSettingResponse), o.(*im.GetConversationSettingRes)
				s, i := vr.Setting, or.Result.ConversationSettingInfo
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				check(t, "AppId", s.AppID, int64(i.AppID))
				check(t, "ConversationShortId", s.ConversationShortID, i.ConversationShortID)
				check(t, "ConversationId", s.ConversationID, i.ConversationID)
				check(t, "ConversationType", int32(s.ConversationType), i.ConversationType)
				check(t, "InboxType", s.InboxType, i.InboxType)
				check(t, "ParticipantUserId", s.UserID, i.ParticipantUserID)
				check(t, "ParticipantUserIdStr", s.UserIDStr, deref(i.ParticipantUserIDStr))
				check(t, "ReadIndex", s.ReadIndex, i.ReadIndex)
				check(t, "StickTopTime", s.StickTopTime.UnixMilli(), i.StickTopTime)
				check(t, "SetFavoriteTime", s.SetFavoriteTime.UnixMilli(), deref(i.SetFavoriteTime))
				check(t, "IsMute", s.IsMute, deref(i.IsMute))
				check(t, "IsStickTop", s.IsStickTop, deref(i.IsStickTop))
				check(t, "IsSetFavorite", s.IsSetFavorite, deref(i.IsSetFavorite))
				checkDeep(t, "Ext", s.Ext, i.Ext)
			},
		},
		{
			action: "ModifyConversationSetting",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ModifyConversationSetting(ctx, &volcim.ModifyConversationSettingRequest{
					ConversationShortID: wireConv, UserID: 10001, IsMute: volcim.Ptr(true),
					StickTopTime: volcim.Ptr(time.UnixMilli(1714554000123)), SetFavoriteTime: volcim.Ptr(time.Time{}), Ext: map[string]string{"备注": "x"},
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				mute, top, fav, topAt, favAt := true, true, true, int64(1714554000123), int64(0)
				return c.ModifyConversationSetting(ctx, &im.ModifyConversationSettingBody{AppID: testApp, ConversationSettingInfo: im.ModifyConversationSettingBodyConversationSettingInfo{
					ConversationShortID: wireConv, ParticipantUserID: 10001, Ext: map[string]string{"备注": "x"},
					IsMute: &mute, IsSetFavorite: &fav, IsStickTop: &top, SetFavoriteTime: &favAt, StickTopTime: &topAt,
				}})
			},
			same: func(t *testing.T, v, o any) {
				check(t, "RequestId", v.(*volcim.ModifyConversationSettingResponse).RequestID, o.(*im.ModifyConversationSettingRes).ResponseMetadata.RequestID)
			},
		},
		{
			action: "MarkConversation",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.MarkConversation(ctx, &volcim.MarkConversationRequest{ConversationShortID: wireConv, MarkTypes: []string{"热门", "vip"}, MarkAction: volcim.MarkDelete, Operator: 10001, OperatorStr: "alice"})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				action, op, opStr := int32(2), int64(10001), "alice"
				return c.MarkConversation(ctx, &im.MarkConversationBody{AppID: testApp, ConversationShortID: wireConv, MarkTypes: []string{"热门", "vip"}, MarkAction: &action, Operator: &op, OperatorStr: &opStr})
			},
			same: func(t *testing.T, v, o any) {
				check(t, "RequestId", v.(*volcim.MarkConversationResponse).RequestID, o.(*im.MarkConversationRes).ResponseMetadata.RequestID)
			},
		},
		{
			action: "GetConversationMarks",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetConversationMarks(ctx, &volcim.GetConversationMarksRequest{ConversationShortID: wireConv})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.GetConversationMarks(ctx, &im.GetConversationMarksBody{AppID: testApp, ConversationShortID: wireConv})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetConversationMarksResponse), o.(*im.GetConversationMarksRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				if or.Result == nil {
					t.Fatal("official: no Result")
				}
				checkDeep(t, "MarkTypes", vr.MarkTypes, or.Result.MarkTypes)
			},
		},
		{
			action: "GetConversationUserCount",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetConversationUserCount(ctx, &volcim.GetConversationUserCountRequest{ConversationShortID: wireConv})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.GetConversationUserCount(ctx, &im.GetConversationUserCountBody{AppID: testApp, ConversationShortID: wireConv})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetConversationUserCountResponse), o.(*im.GetConversationUserCountRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				check(t, "Count", vr.Count, or.Result.Count)
			},
		},
	})
}
