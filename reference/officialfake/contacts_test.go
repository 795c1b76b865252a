package officialfake

import (
	"context"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/service/im"

	"github.com/volcim/volcim-go/volcimtest"
)

// TestOfficialFriends drives the friend actions through the official client
// against volcimtest: what one writes, the others read.
func TestOfficialFriends(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 6, 1, 12, 0, 0, 123_000_000, time.UTC)
	srv := volcimtest.NewServer(volcimtest.WithClock(func() time.Time { return now }), volcimtest.WithMaxSkew(1<<62))
	defer srv.Close()
	const app = 100000
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()

	added, err := c.AddFriend(ctx, &im.AddFriendBody{AppID: app, UserID: 10001, FriendUserIDs: []int64{10002, 10003, 10001}, Ext: map[string]string{"来源": "扫码"}})
	if err != nil {
		t.Fatalf("official AddFriend: %v", err)
	}
	if f := added.Result.FailedInfos; len(f) != 1 || f[0].UserID != 10001 || f[0].Code == "" {
		t.Errorf("AddFriend FailedInfos %+v, want the user themselves", f)
	}
	alias := "老王"
	if _, err := c.UpdateFriend(ctx, &im.UpdateFriendBody{AppID: app, UserID: 10001, FriendInfos: []im.UpdateFriendBodyFriendInfosItem{
		{FriendUserID: 10002, Alias: &alias, Ext: map[string]string{"tier": "gold"}},
	}}); err != nil {
		t.Fatalf("official UpdateFriend: %v", err)
	}
	yes, limit := true, int64(1)
	page, err := c.ListFriend(ctx, &im.ListFriendBody{AppID: app, UserID: 10001, Limit: &limit, NeedTotal: &yes})
	if err != nil {
		t.Fatalf("official ListFriend: %v", err)
	}
	r := page.Result
	if len(r.FriendInfos) != 1 || !r.HasMore || r.NextCursor != 1 || r.TotalCount != 2 {
		t.Fatalf("ListFriend %+v", r)
	}
	f := r.FriendInfos[0]
	if f.FriendUserID != 10002 || f.Alias != "老王" || f.Ext["来源"] != "扫码" || f.Ext["tier"] != "gold" || f.CreateTime != now.UnixMilli() || f.ApplyTime != now.UnixMilli() {
		t.Errorf("first friend %+v", f)
	}
	next := r.NextCursor
	page, err = c.ListFriend(ctx, &im.ListFriendBody{AppID: app, UserID: 10001, Cursor: &next, Limit: &limit})
	if err != nil || len(page.Result.FriendInfos) != 1 || page.Result.FriendInfos[0].FriendUserID != 10003 || page.Result.HasMore || page.Result.NextCursor >= 0 {
		t.Errorf("second page %+v, %v", page, err)
	}

	is, err := c.IsFriend(ctx, &im.IsFriendBody{AppID: app, UserID: 10003, FriendUserIDs: []int64{10001, 10002}})
	if err != nil {
		t.Fatalf("official IsFriend: %v", err)
	}
	if in := is.Result.Infos; len(in) != 2 || !in[0].IsFriend || in[1].IsFriend {
		t.Errorf("IsFriend of 10003: %+v, want 10001 only (friendships are mutual)", in)
	}
	if _, err := c.DeleteFriend(ctx, &im.DeleteFriendBody{AppID: app, UserID: 10003, DeleteUserIDs: []int64{10001}}); err != nil {
		t.Fatalf("official DeleteFriend: %v", err)
	}
	is, err = c.IsFriend(ctx, &im.IsFriendBody{AppID: app, UserID: 10001, FriendUserIDs: []int64{10003}})
	if err != nil || is.Result.Infos[0].IsFriend {
		t.Errorf("IsFriend after DeleteFriend: %+v, %v", is, err)
	}
	checkAccepted(t, srv)
}

// TestOfficialBlackList drives the block-list actions through the official
// client against volcimtest.
func TestOfficialBlackList(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer()
	defer srv.Close()
	const app = 100000
	inbox := int32(2)
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()

	if _, err := c.AddFriend(ctx, &im.AddFriendBody{AppID: app, InboxType: &inbox, UserID: 10001, FriendUserIDs: []int64{10002}}); err != nil {
		t.Fatalf("official AddFriend: %v", err)
	}
	added, err := c.AddBlackList(ctx, &im.AddBlackListBody{AppID: app, InboxType: &inbox, UserID: 10001, BlackListInfos: []im.AddBlackListBodyBlackListInfosItem{
		{BlackListUserID: 10002, BlackListUserExt: map[string]string{"原因": "骚扰"}},
		{BlackListUserID: 10003},
	}})
	if err != nil || len(added.Result.FailedInfos) != 0 {
		t.Fatalf("official AddBlackList: %+v, %v", added, err)
	}
	upd, err := c.UpdateBlackList(ctx, &im.UpdateBlackListBody{AppID: app, InboxType: &inbox, UserID: 10001, BlackListInfos: []im.UpdateBlackListBodyBlackListInfosItem{
		{BlackListUserID: 10002, BlackListUserExt: map[string]string{"level": "2"}},
		{BlackListUserID: 10009, BlackListUserExt: map[string]string{"level": "1"}},
	}})
	if err != nil {
		t.Fatalf("official UpdateBlackList: %v", err)
	}
	if f := upd.Result.FailedInfos; len(f) != 1 || f[0].UserID != 10009 {
		t.Errorf("UpdateBlackList FailedInfos %+v, want the user not on the list", f)
	}
	yes := true
	page, err := c.GetBlackList(ctx, &im.GetBlackListBody{AppID: app, InboxType: &inbox, UserID: 10001, Limit: 20, NeedTotal: &yes})
	if err != nil {
		t.Fatalf("official GetBlackList: %v", err)
	}
	r := page.Result
	if len(r.BlackListInfos) != 2 || r.HasMore || r.NextCursor >= 0 || r.TotalCount != 2 {
		t.Fatalf("GetBlackList %+v", r)
	}
	newest, oldest := r.BlackListInfos[0], r.BlackListInfos[1]
	if newest.BlackListUserID != 10003 || newest.FriendUserInfo != nil || newest.CreateTime == 0 {
		t.Errorf("newest entry %+v", newest)
	}
	if oldest.BlackListUserID != 10002 || oldest.BlackListUserExt["原因"] != "骚扰" || oldest.BlackListUserExt["level"] != "2" ||
		oldest.FriendUserInfo == nil || oldest.FriendUserInfo.FriendUserID != 10002 {
		t.Errorf("oldest entry %+v (a friend: with FriendUserInfo)", oldest)
	}
	if _, err := c.RemoveBlackList(ctx, &im.RemoveBlackListBody{AppID: app, InboxType: &inbox, UserID: 10001, BlackListUserIDs: []int64{10003}}); err != nil {
		t.Fatalf("official RemoveBlackList: %v", err)
	}
	in, err := c.IsInBlackList(ctx, &im.IsInBlackListBody{AppID: app, InboxType: &inbox, UserID: 10001, BlackListUserIDs: []int64{10002, 10003}})
	if err != nil {
		t.Fatalf("official IsInBlackList: %v", err)
	}
	if m := in.Result.IsInBlackListInfos; len(m) != 2 || !m["10002"] || m["10003"] {
		t.Errorf("IsInBlackList %v", m)
	}
	checkAccepted(t, srv)
}
