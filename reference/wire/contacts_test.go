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

// keepPartial returns resp when err is only the partial failure the canned
// reply lists (its items are compared by the case), and err otherwise.
func keepPartial[R any](resp *R, err error) (any, error) {
	var pf *volcim.PartialFailureError
	if errors.As(err, &pf) {
		return resp, nil
	}
	return resp, err
}

// sameFailed compares volcim's failed items with the official FailedInfos.
func sameFailed(t *testing.T, v []volcim.FailedItem, o []officialFailed) {
	t.Helper()
	if len(v) != len(o) || len(v) == 0 {
		t.Fatalf("failed items: volcim %v, official %v (the canned reply lists some)", v, o)
	}
	for i := range v {
		check(t, "FailedInfos.UserId", v[i].UserID, o[i].user)
		check(t, "FailedInfos.Code", v[i].Code, o[i].code)
		check(t, "FailedInfos.Message", v[i].Message, o[i].message)
	}
}

// officialFailed is one of the official model's FailedInfos items (each
// action has its own type).
type officialFailed struct {
	code, message string
	user          int64
}

// ms reads one of the official model's raw times as volcim does: the canned
// replies hold milliseconds.
func ms(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func sameMeta(t *testing.T, v volcim.ResponseMetadata, action, region, requestID, service, version string) {
	t.Helper()
	check(t, "RequestId", v.RequestID, requestID)
	check(t, "Action", v.Action, action)
	check(t, "Region", v.Region, region)
	check(t, "Service", v.Service, service)
	check(t, "Version", v.Version, version)
}

func sameFriend(t *testing.T, field string, v volcim.Friend, alias string, apply, create, friend, modify int64, ext map[string]string) {
	t.Helper()
	check(t, field+".FriendUserId", v.FriendUserID, friend)
	check(t, field+".Alias", v.Alias, alias)
	checkDeep(t, field+".Ext", v.Ext, ext)
	check(t, field+".ApplyTime", v.ApplyTime, ms(apply))
	check(t, field+".CreateTime", v.CreateTime, ms(create))
	check(t, field+".ModifyTime", v.ModifyTime, ms(modify))
}

func TestContactsAgree(t *testing.T) {
	t.Parallel()
	inbox := int32(3)
	alias, empty := "老王 <work> & co", ""
	yes := true
	cursor, limit := int64(20), int64(5)
	const big = 9007199254740993 // 2^53+1
	runAgreements(t, []agreement{
		{
			action: "AddFriend",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return keepPartial(c.AddFriend(ctx, &volcim.AddFriendRequest{
					InboxType: 3, UserID: 10001, FriendUserIDs: []int64{10002, big}, Ext: map[string]string{"来源": "扫码"},
				}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.AddFriend(ctx, &im.AddFriendBody{
					AppID: testApp, InboxType: &inbox, UserID: 10001, FriendUserIDs: []int64{10002, big}, Ext: map[string]string{"来源": "扫码"},
				})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.AddFriendResponse), o.(*im.AddFriendRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
				var of []officialFailed
				for _, f := range or.Result.FailedInfos {
					of = append(of, officialFailed{f.Code, f.Message, f.UserID})
				}
				sameFailed(t, vr.Failed, of)
			},
		},
		{
			action: "DeleteFriend",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return keepPartial(c.DeleteFriend(ctx, &volcim.DeleteFriendRequest{UserID: 10001, DeleteUserIDs: []int64{10002, 10003}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.DeleteFriend(ctx, &im.DeleteFriendBody{AppID: testApp, UserID: 10001, DeleteUserIDs: []int64{10002, 10003}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.DeleteFriendResponse), o.(*im.DeleteFriendRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
				var of []officialFailed
				for _, f := range or.Result.FailedInfos {
					of = append(of, officialFailed{f.Code, f.Message, f.UserID})
				}
				sameFailed(t, vr.Failed, of)
			},
		},
		{
			action: "UpdateFriend",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return keepPartial(c.UpdateFriend(ctx, &volcim.UpdateFriendRequest{InboxType: 3, UserID: 10001, FriendInfos: []volcim.FriendUpdate{
					{FriendUserID: 10002, Alias: &alias, Ext: map[string]string{"tier": "gold"}},
					{FriendUserID: 10003, Alias: &empty},
					{FriendUserID: 10004, Ext: map[string]string{"k": "v"}},
				}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.UpdateFriend(ctx, &im.UpdateFriendBody{AppID: testApp, InboxType: &inbox, UserID: 10001, FriendInfos: []im.UpdateFriendBodyFriendInfosItem{
					{FriendUserID: 10002, Alias: &alias, Ext: map[string]string{"tier": "gold"}},
					{FriendUserID: 10003, Alias: &empty},
					{FriendUserID: 10004, Ext: map[string]string{"k": "v"}},
				}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.UpdateFriendResponse), o.(*im.UpdateFriendRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
				var of []officialFailed
				for _, f := range or.Result.FailedInfos {
					of = append(of, officialFailed{f.Code, f.Message, f.UserID})
				}
				sameFailed(t, vr.Failed, of)
			},
		},
		{
			action: "ListFriend",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ListFriend(ctx, &volcim.ListFriendRequest{InboxType: 3, UserID: 10001, Cursor: 20, Limit: 5, NeedTotal: true})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.ListFriend(ctx, &im.ListFriendBody{AppID: testApp, InboxType: &inbox, UserID: 10001, Cursor: &cursor, Limit: &limit, NeedTotal: &yes})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.ListFriendResponse), o.(*im.ListFriendRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
				if len(vr.Friends) != len(or.Result.FriendInfos) || len(vr.Friends) == 0 {
					t.Fatalf("friends: volcim %d, official %d", len(vr.Friends), len(or.Result.FriendInfos))
				}
				for i, f := range or.Result.FriendInfos {
					sameFriend(t, "FriendInfos["+strconv.Itoa(i)+"]", vr.Friends[i], f.Alias, f.ApplyTime, f.CreateTime, f.FriendUserID, f.ModifyTime, f.Ext)
				}
				check(t, "HasMore", vr.HasMore, or.Result.HasMore)
				check(t, "NextCursor", vr.NextCursor, or.Result.NextCursor)
				check(t, "TotalCount", vr.TotalCount, or.Result.TotalCount)
			},
		},
		{
			action: "IsFriend",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.IsFriend(ctx, &volcim.IsFriendRequest{UserID: 10001, FriendUserIDs: []int64{10002, big}})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.IsFriend(ctx, &im.IsFriendBody{AppID: testApp, UserID: 10001, FriendUserIDs: []int64{10002, big}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.IsFriendResponse), o.(*im.IsFriendRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
				om := map[int64]bool{}
				for _, info := range or.Result.Infos {
					om[info.FriendUserID] = info.IsFriend
				}
				if len(om) == 0 {
					t.Fatal("the canned reply checks no friend")
				}
				checkDeep(t, "Infos", vr.IsFriend, om)
			},
		},
		{
			action: "AddBlackList",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return keepPartial(c.AddBlackList(ctx, &volcim.AddBlackListRequest{InboxType: 3, UserID: 10001, BlackListInfos: []volcim.BlackListUser{
					{BlackListUserID: 10002, Ext: map[string]string{"原因": "骚扰"}},
					{BlackListUserID: big},
				}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.AddBlackList(ctx, &im.AddBlackListBody{AppID: testApp, InboxType: &inbox, UserID: 10001, BlackListInfos: []im.AddBlackListBodyBlackListInfosItem{
					{BlackListUserID: 10002, BlackListUserExt: map[string]string{"原因": "骚扰"}},
					{BlackListUserID: big},
				}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.AddBlackListResponse), o.(*im.AddBlackListRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
				var of []officialFailed
				for _, f := range or.Result.FailedInfos {
					of = append(of, officialFailed{f.Code, f.Message, f.UserID})
				}
				sameFailed(t, vr.Failed, of)
			},
		},
		{
			action: "RemoveBlackList",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.RemoveBlackList(ctx, &volcim.RemoveBlackListRequest{InboxType: 3, UserID: 10001, BlackListUserIDs: []int64{10002, big}})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.RemoveBlackList(ctx, &im.RemoveBlackListBody{AppID: testApp, InboxType: &inbox, UserID: 10001, BlackListUserIDs: []int64{10002, big}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.RemoveBlackListResponse), o.(*im.RemoveBlackListRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
			},
		},
		{
			action: "UpdateBlackList",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return keepPartial(c.UpdateBlackList(ctx, &volcim.UpdateBlackListRequest{UserID: 10001, BlackListInfos: []volcim.BlackListUser{
					{BlackListUserID: 10002, Ext: map[string]string{"key2": "value2"}},
					{BlackListUserID: 10005},
				}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.UpdateBlackList(ctx, &im.UpdateBlackListBody{AppID: testApp, UserID: 10001, BlackListInfos: []im.UpdateBlackListBodyBlackListInfosItem{
					{BlackListUserID: 10002, BlackListUserExt: map[string]string{"key2": "value2"}},
					{BlackListUserID: 10005},
				}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.UpdateBlackListResponse), o.(*im.UpdateBlackListRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
				var of []officialFailed
				for _, f := range or.Result.FailedInfos {
					of = append(of, officialFailed{f.Code, f.Message, f.UserID})
				}
				sameFailed(t, vr.Failed, of)
			},
		},
		{
			action: "GetBlackList",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetBlackList(ctx, &volcim.GetBlackListRequest{InboxType: 3, UserID: 10001, Cursor: 20, Limit: 5, NeedTotal: true})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.GetBlackList(ctx, &im.GetBlackListBody{AppID: testApp, InboxType: &inbox, UserID: 10001, Cursor: 20, Limit: 5, NeedTotal: &yes})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.GetBlackListResponse), o.(*im.GetBlackListRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
				if len(vr.BlackList) != len(or.Result.BlackListInfos) || len(vr.BlackList) == 0 {
					t.Fatalf("entries: volcim %d, official %d", len(vr.BlackList), len(or.Result.BlackListInfos))
				}
				var friends int
				for i, e := range or.Result.BlackListInfos {
					field := "BlackListInfos[" + strconv.Itoa(i) + "]"
					ve := vr.BlackList[i]
					check(t, field+".BlackListUserId", ve.BlackListUserID, e.BlackListUserID)
					checkDeep(t, field+".BlackListUserExt", ve.Ext, e.BlackListUserExt)
					check(t, field+".CreateTime", ve.CreateTime, ms(e.CreateTime))
					check(t, field+".ModifyTime", ve.ModifyTime, ms(e.ModifyTime))
					if (ve.Friend == nil) != (e.FriendUserInfo == nil) {
						t.Errorf("%s.FriendUserInfo: volcim %v, official %v", field, ve.Friend, e.FriendUserInfo)
						continue
					}
					if f := e.FriendUserInfo; f != nil {
						friends++
						sameFriend(t, field+".FriendUserInfo", *ve.Friend, f.Alias, f.ApplyTime, f.CreateTime, f.FriendUserID, f.ModifyTime, f.Ext)
					}
				}
				if friends == 0 {
					t.Error("the canned reply has no FriendUserInfo to compare")
				}
				check(t, "HasMore", vr.HasMore, or.Result.HasMore)
				check(t, "NextCursor", vr.NextCursor, or.Result.NextCursor)
				check(t, "TotalCount", vr.TotalCount, or.Result.TotalCount)
			},
		},
		{
			action: "IsInBlackList",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.IsInBlackList(ctx, &volcim.IsInBlackListRequest{InboxType: 3, UserID: 10001, BlackListUserIDs: []int64{10002, big}})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.IsInBlackList(ctx, &im.IsInBlackListBody{AppID: testApp, InboxType: &inbox, UserID: 10001, BlackListUserIDs: []int64{10002, big}})
			},
			same: func(t *testing.T, v, o any) {
				vr, or := v.(*volcim.IsInBlackListResponse), o.(*im.IsInBlackListRes)
				m := or.ResponseMetadata
				sameMeta(t, vr.ResponseMetadata, m.Action, m.Region, m.RequestID, m.Service, m.Version)
				om := map[int64]bool{}
				for k, in := range or.Result.IsInBlackListInfos {
					id, err := strconv.ParseInt(k, 10, 64)
					if err != nil {
						t.Fatalf("official key %q: %v", k, err)
					}
					om[id] = in
				}
				if len(om) == 0 {
					t.Fatal("the canned reply checks no user")
				}
				checkDeep(t, "IsInBlackListInfos", vr.IsInBlackList, om)
			},
		},
	})
}

// TestContactDefaultsAgree sends each read with only its required fields:
// volcim's zero values leave out what the official client leaves out.
func TestContactDefaultsAgree(t *testing.T) {
	t.Parallel()
	runAgreements(t, []agreement{
		{
			action: "ListFriend",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ListFriend(ctx, &volcim.ListFriendRequest{UserID: 10001})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.ListFriend(ctx, &im.ListFriendBody{AppID: testApp, UserID: 10001})
			},
			same: func(t *testing.T, v, o any) {
				check(t, "NextCursor", v.(*volcim.ListFriendResponse).NextCursor, o.(*im.ListFriendRes).Result.NextCursor)
			},
		},
		{
			action: "GetBlackList",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetBlackList(ctx, &volcim.GetBlackListRequest{UserID: 10001, Limit: 20})
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				return c.GetBlackList(ctx, &im.GetBlackListBody{AppID: testApp, UserID: 10001, Limit: 20})
			},
			same: func(t *testing.T, v, o any) {
				check(t, "NextCursor", v.(*volcim.GetBlackListResponse).NextCursor, o.(*im.GetBlackListRes).Result.NextCursor)
			},
		},
		{
			action: "UpdateFriend",
			volcim: func(ctx context.Context, c *volcim.Client) (any, error) {
				return keepPartial(c.UpdateFriend(ctx, &volcim.UpdateFriendRequest{UserID: 10001, FriendInfos: []volcim.FriendUpdate{{FriendUserID: 10002, Alias: volcim.Ptr("a")}}}))
			},
			official: func(ctx context.Context, c *im.Im) (any, error) {
				a := "a"
				return c.UpdateFriend(ctx, &im.UpdateFriendBody{AppID: testApp, UserID: 10001, FriendInfos: []im.UpdateFriendBodyFriendInfosItem{{FriendUserID: 10002, Alias: &a}}})
			},
			same: func(t *testing.T, v, o any) {
				check(t, "RequestId", v.(*volcim.UpdateFriendResponse).RequestID, o.(*im.UpdateFriendRes).ResponseMetadata.RequestID)
			},
		},
	})
}
