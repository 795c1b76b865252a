package wire

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
)

// partialOK returns a response that comes with a partial failure as a
// success: the canned replies list failed users on purpose.
func partialOK[R any](resp R, err error) (any, error) {
	if errors.Is(err, volcim.ErrPartialFailure) {
		return resp, nil
	}
	return resp, err
}

// failedUsers turns volcim's failed items into their numeric and string
// ids.
func failedUsers(items []volcim.FailedItem) (ids []int64, strs []string) {
	for _, f := range items {
		if f.UserIDStr != "" {
			strs = append(strs, f.UserIDStr)
		} else {
			ids = append(ids, f.UserID)
		}
	}
	return ids, strs
}

// officialParticipant is a member as the official client decoded it.
type officialParticipant struct {
	ConversationShortID, ParticipantUserID, Operator, Role int64
	ParticipantUserIDStr, OperatorStr, AvatarURL, NickName string
	BlockTime, CreateTime                                  int64
	Level, Status                                          int32
	Ext                                                    map[string]string
	Marks                                                  []string
}

func sameParticipant(t *testing.T, v volcim.Participant, o officialParticipant) {
	t.Helper()
	check(t, "ConversationShortId", v.ConversationShortID, o.ConversationShortID)
	check(t, "ParticipantUserId", v.UserID, o.ParticipantUserID)
	check(t, "ParticipantUserIdStr", v.UserIDStr, o.ParticipantUserIDStr)
	check(t, "Operator", v.Operator, o.Operator)
	check(t, "OperatorStr", v.OperatorStr, o.OperatorStr)
	check(t, "Role", int64(v.Role), o.Role)
	check(t, "AvatarUrl", v.AvatarURL, o.AvatarURL)
	check(t, "NickName", v.NickName, o.NickName)
	check(t, "Level", v.Level, o.Level)
	check(t, "Status", int32(v.Status), o.Status)
	checkDeep(t, "Ext", v.Ext, o.Ext)
	checkDeep(t, "Marks", v.Marks, o.Marks)
	check(t, "CreateTime", seconds(v.CreateTime), o.CreateTime)
	check(t, "BlockTime", seconds(v.BlockTime), o.BlockTime)
}

func seconds(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func TestParticipantsAgree(t *testing.T) {
	t.Parallel()
	runAgreements(t, []agreement{
		{
			action: "BatchAddConversationParticipant",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partialOK(c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{
					ConversationShortID: wireConv, Operator: 10001, Barrier: true,
					Participants: []volcim.ParticipantToAdd{
						{UserID: 9007199254740993, Role: volcim.RoleManager, NickName: "小明", Level: 2, Ext: map[string]string{"k": "v"}, ReadIndex: 1714554000123457},
						{UserID: 10004},
					},
				}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				role, nick, level, idx, barrier := int64(2), "小明", int32(2), int64(1714554000123457), true
				return c.BatchAddConversationParticipant(ctx, &im.BatchAddConversationParticipantBody{
					AppID: testApp, ConversationShortID: wireConv, Operator: 10001, Barrier: &barrier,
					ParticipantInfos: []im.BatchAddConversationParticipantBodyParticipantInfosItem{
						{ParticipantUserID: 9007199254740993, Ext: map[string]string{"k": "v"}, Level: &level, NickName: &nick, ReadIndex: &idx, Role: &role},
						{ParticipantUserID: 10004},
					},
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchAddConversationParticipantResponse), o.(*im.BatchAddConversationParticipantRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				ids, _ := failedUsers(vr.Failed)
				checkDeep(t, "FailedUserIds", ids, or.Result.FailedUserIDs)
			},
		},
		{
			action: "BatchDeleteConversationParticipant",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partialOK(c.BatchDeleteConversationParticipant(ctx, &volcim.BatchDeleteConversationParticipantRequest{ConversationShortID: wireConv, Operator: 10001, ParticipantUserIDs: []int64{10001, 9007199254740993}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchDeleteConversationParticipant(ctx, &im.BatchDeleteConversationParticipantBody{AppID: testApp, ConversationShortID: wireConv, Operator: 10001, ParticipantUserIDs: []int64{10001, 9007199254740993}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchDeleteConversationParticipantResponse), o.(*im.BatchDeleteConversationParticipantRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				ids, _ := failedUsers(vr.Failed)
				checkDeep(t, "FailedUserIds", ids, or.Result.FailedUserIDs)
			},
		},
		{
			action: "BatchModifyConversationParticipant",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partialOK(c.BatchModifyConversationParticipant(ctx, &volcim.BatchModifyConversationParticipantRequest{
					ConversationShortID: wireConv, Operator: 10001,
					Participants: []volcim.ParticipantUpdate{
						{UserID: 9007199254740995, Role: volcim.Ptr(volcim.RoleMember), NickName: volcim.Ptr(""), Level: volcim.Ptr(int32(7)), Ext: map[string]string{"城市": "上海"}, BlockTime: volcim.Ptr(time.Unix(1714640400, 0))},
						{UserID: 10002, BlockTime: volcim.Ptr(time.Time{})},
					},
				}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				role, nick, level, block, unblock := int64(0), "", int32(7), int64(1714640400), int64(0)
				return c.BatchModifyConversationParticipant(ctx, &im.BatchModifyConversationParticipantBody{
					AppID: testApp, ConversationShortID: wireConv, Operator: 10001,
					ParticipantInfos: []im.BatchModifyConversationParticipantBodyParticipantInfosItem{
						{ParticipantUserID: 9007199254740995, BlockTime: &block, Ext: map[string]string{"城市": "上海"}, Level: &level, NickName: &nick, Role: &role},
						{ParticipantUserID: 10002, BlockTime: &unblock},
					},
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchModifyConversationParticipantResponse), o.(*im.BatchModifyConversationParticipantRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				ids, _ := failedUsers(vr.Failed)
				checkDeep(t, "FailedUserIds", ids, or.Result.FailedUserIDs)
			},
		},
		{
			action: "BatchGetConversationParticipant",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchGetConversationParticipant(ctx, &volcim.BatchGetConversationParticipantRequest{ConversationShortID: wireConv, ParticipantUserIDs: []int64{10001, 9007199254740993}})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchGetConversationParticipant(ctx, &im.BatchGetConversationParticipantBody{AppID: testApp, ConversationShortID: wireConv, ParticipantUserIDs: []int64{10001, 9007199254740993}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchGetConversationParticipantResponse), o.(*im.BatchGetConversationParticipantRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				if len(vr.Participants) != len(or.Result.Participants) || len(vr.Participants) == 0 {
					t.Fatalf("%d participants, official %d", len(vr.Participants), len(or.Result.Participants))
				}
				for i, p := range or.Result.Participants {
					sameParticipant(t, vr.Participants[i], officialParticipant{
						ConversationShortID: p.ConversationShortID, ParticipantUserID: p.ParticipantUserID, Operator: p.Operator, Role: p.Role,
						NickName: deref(p.NickName), BlockTime: deref(p.BlockTime), CreateTime: deref(p.CreateTime),
						Level: deref(p.Level), Status: deref(p.Status), Ext: p.Ext,
					})
				}
			},
		},
		{
			action: "IsUserInConversation",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.IsUserInConversation(ctx, &volcim.IsUserInConversationRequest{ConversationShortID: wireConv, UserID: 9007199254740993})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.IsUserInConversation(ctx, &im.IsUserInConversationBody{AppID: testApp, ConversationShortID: wireConv, ParticipantUserID: 9007199254740993})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.IsUserInConversationResponse), o.(*im.IsUserInConversationRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				check(t, "IsUserInConversation", vr.InConversation, or.Result.IsUserInConversation)
			},
		},
		{
			action: "ScanConversationParticipantList",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ScanConversationParticipantList(ctx, &volcim.ScanConversationParticipantListRequest{ConversationShortID: wireConv, Cursor: 40, Limit: 50, Reverse: true, OnlyUserIDs: true, OnlineOnly: true, MarkType: "主播"})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				mark, only, rev, online := "主播", true, true, true
				return c.ScanConversationParticipantList(ctx, &im.ScanConversationParticipantListBody{AppID: testApp, ConversationShortID: wireConv, Cursor: 40, Limit: 50, MarkType: &mark, OnlyUserIDs: &only, Reverse: &rev, ScanOnlineParticipant: &online})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.ScanConversationParticipantListResponse), o.(*im.ScanConversationParticipantListRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				check(t, "HasMore", vr.HasMore, or.Result.HasMore)
				check(t, "NextCursor", vr.NextCursor, int64(or.Result.NextCursor))
				if len(vr.Participants) != len(or.Result.Participants) || len(vr.Participants) == 0 {
					t.Fatalf("%d participants, official %d", len(vr.Participants), len(or.Result.Participants))
				}
				for i, p := range or.Result.Participants {
					sameParticipant(t, vr.Participants[i], officialParticipant{
						ConversationShortID: p.ConversationShortID, ParticipantUserID: p.ParticipantUserID, Operator: p.Operator, Role: p.Role,
						ParticipantUserIDStr: deref(p.ParticipantUserIDStr), OperatorStr: deref(p.OperatorStr), AvatarURL: p.AvatarURL,
						NickName: deref(p.NickName), BlockTime: deref(p.BlockTime), CreateTime: deref(p.CreateTime),
						Level: deref(p.Level), Status: deref(p.Status), Ext: p.Ext, Marks: p.Marks,
					})
				}
			},
		},
		{
			action: "BatchAddManager",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partialOK(c.BatchAddManager(ctx, &volcim.BatchAddManagerRequest{ConversationShortID: wireConv, Operator: 10001, OperatorStr: "alice", ManagerUserIDs: []int64{9007199254740993}, ManagerUserIDsStr: []string{"carol"}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				s := "alice"
				return c.BatchAddManager(ctx, &im.BatchAddManagerBody{AppID: testApp, ConversationShortID: wireConv, ManagerUserIDs: []int64{9007199254740993}, ManagerUserIDsStr: []string{"carol"}, Operator: 10001, OperatorStr: &s})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchAddManagerResponse), o.(*im.BatchAddManagerRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				ids, strs := failedUsers(vr.Failed)
				checkDeep(t, "FailedManagerUserIds", ids, or.Result.FailedManagerUserIDs)
				checkDeep(t, "FailedManagerUserIdsStr", strs, or.Result.FailedManagerUserIDsStr)
			},
		},
		{
			action: "BatchRemoveManager",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partialOK(c.BatchRemoveManager(ctx, &volcim.BatchRemoveManagerRequest{ConversationShortID: wireConv, Operator: 10001, OperatorStr: "alice", RemoveManagerUserIDs: []int64{10003}, RemoveManagerUserIDsStr: []string{"dave"}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				s := "alice"
				return c.BatchRemoveManager(ctx, &im.BatchRemoveManagerBody{AppID: testApp, ConversationShortID: wireConv, Operator: 10001, OperatorStr: &s, RemoveManagerUserIDs: []int64{10003}, RemoveManagerUserIDsStr: []string{"dave"}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchRemoveManagerResponse), o.(*im.BatchRemoveManagerRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				ids, strs := failedUsers(vr.Failed)
				checkDeep(t, "FailedManagerUserIds", ids, or.Result.FailedManagerUserIDs)
				checkDeep(t, "FailedManagerUserIdsStr", strs, or.Result.FailedManagerUserIDsStr)
			},
		},
		{
			action: "GetParticipantReadIndex",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetParticipantReadIndex(ctx, &volcim.GetParticipantReadIndexRequest{ConversationShortID: wireConv})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.GetParticipantReadIndex(ctx, &im.GetParticipantReadIndexBody{AppID: testApp, ConversationShortID: wireConv})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetParticipantReadIndexResponse), o.(*im.GetParticipantReadIndexRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				if len(vr.ReadIndexes) != len(or.Result.ReadIndexes) || len(vr.ReadIndexes) == 0 {
					t.Fatalf("%d read indexes, official %d", len(vr.ReadIndexes), len(or.Result.ReadIndexes))
				}
				for i, r := range or.Result.ReadIndexes {
					check(t, "ParticipantUserId", vr.ReadIndexes[i].UserID, r.ParticipantUserID)
					check(t, "ParticipantUserIdStr", vr.ReadIndexes[i].UserIDStr, deref(r.ParticipantUserIDStr))
					check(t, "ReadIndex", vr.ReadIndexes[i].ReadIndex, r.ReadIndex)
				}
			},
		},
		{
			action: "ModifyParticipantReadIndex",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ModifyParticipantReadIndex(ctx, &volcim.ModifyParticipantReadIndexRequest{ConversationShortID: wireConv, UserID: 10001, UserIDStr: "alice", ReadIndex: 9007199254740995})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				s := "alice"
				return c.ModifyParticipantReadIndex(ctx, &im.ModifyParticipantReadIndexBody{AppID: testApp, ConversationShortID: wireConv, ParticipantUserID: 10001, ParticipantUserIDStr: &s, ReadIndex: 9007199254740995})
			},
			same: func(t *testing.T, v, o any) {
				check(t, "RequestId", v.(*volcim.ModifyParticipantReadIndexResponse).RequestID, o.(*im.ModifyParticipantReadIndexRes).ResponseMetadata.RequestID)
			},
		},
		{
			action: "QueryLiveParticipantStatus",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.QueryLiveParticipantStatus(ctx, &volcim.QueryLiveParticipantStatusRequest{ConversationShortID: wireConv, ParticipantUserIDs: []int64{10001, 9007199254740993}, ParticipantUserIDsStr: []string{"alice"}})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.QueryLiveParticipantStatus(ctx, &im.QueryLiveParticipantStatusBody{AppID: testApp, ConversationShortID: wireConv, ParticipantUserIDs: []int64{10001, 9007199254740993}, ParticipantUserIDsStr: []string{"alice"}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.QueryLiveParticipantStatusResponse), o.(*im.QueryLiveParticipantStatusRes)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
				if len(vr.Statuses) != len(or.Result.Status) || len(vr.Statuses) == 0 {
					t.Fatalf("%d statuses, official %d", len(vr.Statuses), len(or.Result.Status))
				}
				for i, s := range or.Result.Status {
					got := vr.Statuses[i]
					check(t, "AppId", got.AppID, int64(s.AppID))
					check(t, "ConversationShortId", got.ConversationShortID, s.ConversationShortID)
					check(t, "ParticipantUserId", got.UserID, s.ParticipantUserID)
					check(t, "ParticipantUserIdStr", got.UserIDStr, deref(s.ParticipantUserIDStr))
					check(t, "IsInConversation", got.InConversation, s.IsInConversation)
					check(t, "CreateTime", seconds(got.CreateTime), s.CreateTime)
				}
			},
		},
	})
}
