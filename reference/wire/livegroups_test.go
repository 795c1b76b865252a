package wire

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
)

const liveGroup = 7171275522159198472

// partial returns resp and drops the partial failure the canned replies
// report: both clients decoded the same reply, which the comparison checks.
func partial[R any](resp R, err error) (any, error) {
	if errors.Is(err, volcim.ErrPartialFailure) {
		return resp, nil
	}
	return resp, err
}

// sameFailedIDs compares volcim's failed items with the official SDK's numeric
// and string lists.
func sameFailedIDs(t *testing.T, v []volcim.FailedItem, ids []int64, strs []string) {
	t.Helper()
	var want []volcim.FailedItem
	for _, id := range ids {
		want = append(want, volcim.FailedItem{UserID: id})
	}
	for _, s := range strs {
		want = append(want, volcim.FailedItem{UserIDStr: s})
	}
	if len(want) == 0 {
		t.Fatal("the canned reply lists no failed item: the comparison would be vacuous")
	}
	checkDeep(t, "Failed", v, want)
}

// sameMembers compares the members both clients decoded from a live list.
func sameMembers(t *testing.T, v []volcim.Participant, o []liveMember) {
	t.Helper()
	if len(v) != len(o) || len(v) == 0 {
		t.Fatalf("volcim decoded %d members, official %d", len(v), len(o))
	}
	for i, m := range o {
		p := v[i]
		check(t, "ParticipantUserId", p.UserID, m.userID)
		check(t, "ParticipantUserIdStr", p.UserIDStr, m.userIDStr)
		check(t, "NickName", p.NickName, m.nickName)
		check(t, "AvatarUrl", p.AvatarURL, m.avatarURL)
		checkDeep(t, "Ext", p.Ext, m.ext)
		checkDeep(t, "Marks", p.Marks, m.marks)
		check(t, "CreateTime", p.CreateTime.Unix(), m.createTime)
		check(t, "Operator", p.Operator, m.operator)
		if m.blockTime != 0 || !p.BlockTime.IsZero() {
			check(t, "BlockTime", p.BlockTime.Unix(), m.blockTime)
		}
	}
}

// liveMember is a member of a live list in the official SDK's models,
// flattened.
type liveMember struct {
	userID                int64
	userIDStr             string
	nickName, avatarURL   string
	ext                   map[string]string
	marks                 []string
	createTime, blockTime int64
	operator              int64
}

func TestLiveGroupsAgree(t *testing.T) {
	t.Parallel()
	ban, del := int32(1), int32(2)
	nick, avatar, strID := "小明", "https://a.example/1.png", "观众-庚"
	runAgreements(t, []agreement{
		{
			action: "BatchAddBlockParticipants",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partial(c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{
					ConversationShortID: liveGroup,
					BlockAction:         volcim.BlockBan,
					Users: []volcim.BlockedUser{
						{UserID: 9007199254740993, Duration: 90 * time.Minute},
						{UserID: 10001, Duration: 1500 * time.Millisecond},
						{UserIDStr: "观众-丙", Duration: 24 * time.Hour},
					},
				}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchAddBlockParticipants(ctx, &im.BatchAddBlockParticipantsBody{
					AppID:                    testApp,
					ConversationShortID:      liveGroup,
					ParticipantBlockInfos:    map[string]int64{"9007199254740993": 5400, "10001": 2},
					ParticipantBlockInfosStr: map[string]int64{"观众-丙": 86400},
					BlockAction:              &ban,
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchAddBlockParticipantsResponse), o.(*im.BatchAddBlockParticipantsRes)
				sameFailedIDs(t, vr.Failed, or.Result.FailedParticipantUserIDs, or.Result.FailedParticipantUserIDsStr)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "BatchDeleteBlockParticipants",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partial(c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{
					ConversationShortID:   liveGroup,
					BlockAction:           volcim.BlockBan,
					ParticipantUserIDs:    []int64{7234567890123456789, 10001},
					ParticipantUserIDsStr: []string{"观众-丁"},
				}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchDeleteBlockParticipants(ctx, &im.BatchDeleteBlockParticipantsBody{
					AppID:                 testApp,
					ConversationShortID:   liveGroup,
					ParticipantUserIDs:    []int64{7234567890123456789, 10001},
					ParticipantUserIDsStr: []string{"观众-丁"},
					BlockAction:           &ban,
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchDeleteBlockParticipantsResponse), o.(*im.BatchDeleteBlockParticipantsRes)
				sameFailedIDs(t, vr.Failed, or.Result.FailedParticipantUserIDs, or.Result.FailedParticipantUserIDsStr)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "BatchGetBlockParticipants",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchGetBlockParticipants(ctx, &volcim.BatchGetBlockParticipantsRequest{
					ConversationShortID: liveGroup, BlockAction: volcim.BlockBan, Cursor: 40, Limit: 20,
				})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchGetBlockParticipants(ctx, &im.BatchGetBlockParticipantsBody{
					AppID: testApp, ConversationShortID: liveGroup, Cursor: 40, Limit: 20, BlockAction: &ban,
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchGetBlockParticipantsResponse), o.(*im.BatchGetBlockParticipantsRes)
				check(t, "HasMore", vr.HasMore, or.Result.HasMore)
				check(t, "NextCursor", vr.NextCursor, or.Result.NextCursor)
				var ms []liveMember
				for _, p := range or.Result.Participants {
					ms = append(ms, liveMember{userID: p.ParticipantUserID, userIDStr: deref(p.ParticipantUserIDStr), nickName: p.NickName, avatarURL: p.AvatarURL,
						ext: p.Ext, marks: p.Marks, createTime: p.CreateTime, blockTime: p.BlockTime})
				}
				sameMembers(t, vr.Participants, ms)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "BatchAddWhitelistParticipant",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partial(c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{
					ConversationShortID:   liveGroup,
					Operator:              10000,
					OperatorStr:           "主持人",
					ParticipantUserIDs:    []int64{9007199254740995, 10002},
					ParticipantUserIDsStr: []string{"嘉宾-乙"},
				}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				op := "主持人"
				return c.BatchAddWhitelistParticipant(ctx, &im.BatchAddWhitelistParticipantBody{
					AppID:                 testApp,
					ConversationShortID:   liveGroup,
					Operator:              10000,
					OperatorStr:           &op,
					ParticipantUserIDs:    []int64{9007199254740995, 10002},
					ParticipantUserIDsStr: []string{"嘉宾-乙"},
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchAddWhitelistParticipantResponse), o.(*im.BatchAddWhitelistParticipantRes)
				sameFailedIDs(t, vr.Failed, or.Result.FailedUserIDs, or.Result.FailedUserIDsStr)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "BatchRemoveWhitelistParticipant",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partial(c.BatchRemoveWhitelistParticipant(ctx, &volcim.BatchRemoveWhitelistParticipantRequest{
					ConversationShortID: liveGroup,
					Operator:            10000,
					ParticipantUserIDs:  []int64{7234567890123456791},
				}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchRemoveWhitelistParticipant(ctx, &im.BatchRemoveWhitelistParticipantBody{
					AppID:               testApp,
					ConversationShortID: liveGroup,
					Operator:            10000,
					ParticipantUserIDs:  []int64{7234567890123456791},
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchRemoveWhitelistParticipantResponse), o.(*im.BatchRemoveWhitelistParticipantRes)
				sameFailedIDs(t, vr.Failed, or.Result.FailedUserIDs, or.Result.FailedUserIDsStr)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "BatchGetWhitelistParticipant",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchGetWhitelistParticipant(ctx, &volcim.BatchGetWhitelistParticipantRequest{ConversationShortID: liveGroup, Cursor: 3, Limit: 7})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchGetWhitelistParticipant(ctx, &im.BatchGetWhitelistParticipantBody{AppID: testApp, ConversationShortID: liveGroup, Cursor: 3, Limit: 7})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchGetWhitelistParticipantResponse), o.(*im.BatchGetWhitelistParticipantRes)
				check(t, "HasMore", vr.HasMore, or.Result.HasMore)
				check(t, "NextCursor", vr.NextCursor, or.Result.NextCursor)
				var ms []liveMember
				for _, p := range or.Result.Participants {
					ms = append(ms, liveMember{userID: p.ParticipantUserID, nickName: p.NickName, avatarURL: p.AvatarURL,
						ext: p.Ext, marks: p.Marks, createTime: p.CreateTime, operator: p.Operator})
				}
				sameMembers(t, vr.Participants, ms)
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
		{
			action: "BatchUpdateLiveParticipants",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return partial(c.BatchUpdateLiveParticipants(ctx, &volcim.BatchUpdateLiveParticipantsRequest{
					ConversationShortID: liveGroup,
					MarkAction:          volcim.MarkDelete,
					Participants: []volcim.LiveParticipantUpdate{
						{UserID: 10001, AvatarURL: volcim.Ptr(avatar), NickName: volcim.Ptr(nick), Ext: map[string]string{"等级": "9"}, Marks: []string{"VIP", "主播"}},
						{UserID: 9007199254740999, UserIDStr: strID, Ext: map[string]string{"k": "v"}},
					},
				}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.BatchUpdateLiveParticipants(ctx, &im.BatchUpdateLiveParticipantsBody{
					AppID:               testApp,
					ConversationShortID: liveGroup,
					MarkAction:          &del,
					ParticipantInfos: []im.BatchUpdateLiveParticipantsBodyParticipantInfosItem{
						{UserID: 10001, AvatarURL: &avatar, NickName: &nick, Ext: map[string]string{"等级": "9"}, Marks: []string{"VIP", "主播"}},
						{UserID: 9007199254740999, UserIDStr: &strID, Ext: map[string]string{"k": "v"}},
					},
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.BatchUpdateLiveParticipantsResponse), o.(*im.BatchUpdateLiveParticipantsRes)
				if len(vr.Failed) != len(or.Result.FailedInfos) || len(vr.Failed) == 0 {
					t.Fatalf("volcim %d failed, official %d", len(vr.Failed), len(or.Result.FailedInfos))
				}
				for i, f := range or.Result.FailedInfos {
					checkDeep(t, "FailedInfos", vr.Failed[i], volcim.FailedItem{UserID: f.UserID, UserIDStr: deref(f.UserIDStr), Code: f.Code, Message: f.Message})
				}
				check(t, "RequestId", vr.RequestID, or.ResponseMetadata.RequestID)
			},
		},
	})
}
