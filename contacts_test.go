package volcim_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/pagination"
	"github.com/volcim/volcim-go/volcimtest"
)

const ctApp = 100002

// newContactServer starts an empty server whose clock stands still at the
// returned time (to the millisecond), and a client with fast retries.
func newContactServer(t *testing.T) (*volcimtest.Server, *volcim.Client, time.Time) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	srv := volcimtest.NewServer(volcimtest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	c, err := srv.Client(volcim.WithAppID(ctApp), volcim.WithRateLimit(1e6),
		volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, now
}

func isFriends(t *testing.T, c *volcim.Client, inbox int32, user int64, ids ...int64) map[int64]bool {
	t.Helper()
	resp, err := c.IsFriend(context.Background(), &volcim.IsFriendRequest{InboxType: inbox, UserID: user, FriendUserIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	return resp.IsFriend
}

func inBlackList(t *testing.T, c *volcim.Client, user int64, ids ...int64) map[int64]bool {
	t.Helper()
	resp, err := c.IsInBlackList(context.Background(), &volcim.IsInBlackListRequest{UserID: user, BlackListUserIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	return resp.IsInBlackList
}

func TestFriendsAreMutualAndPersist(t *testing.T) {
	t.Parallel()
	_, c, now := newContactServer(t)
	ctx := context.Background()
	added, err := c.AddFriend(ctx, &volcim.AddFriendRequest{UserID: 10001, FriendUserIDs: []int64{10002, 10003}, Ext: map[string]string{"来源": "群聊"}})
	if err != nil {
		t.Fatal(err)
	}
	if added.RequestID == "" || len(added.Failed) != 0 {
		t.Fatalf("AddFriend: %+v", added)
	}
	if got, want := isFriends(t, c, 0, 10001, 10002, 10003, 10004), map[int64]bool{10002: true, 10003: true, 10004: false}; !reflect.DeepEqual(got, want) {
		t.Errorf("IsFriend of 10001 = %v, want %v", got, want)
	}
	if got, want := isFriends(t, c, 0, 10002, 10001, 10003), map[int64]bool{10001: true, 10003: false}; !reflect.DeepEqual(got, want) {
		t.Errorf("IsFriend of 10002 = %v, want %v (AddFriend acts both ways)", got, want)
	}
	if got := isFriends(t, c, 7, 10001, 10002); got[10002] {
		t.Error("a friend of inbox 0 is a friend in inbox 7")
	}

	page, err := c.ListFriend(ctx, &volcim.ListFriendRequest{UserID: 10001, NeedTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []volcim.Friend{
		{FriendUserID: 10002, Ext: map[string]string{"来源": "群聊"}, ApplyTime: now, CreateTime: now, ModifyTime: now},
		{FriendUserID: 10003, Ext: map[string]string{"来源": "群聊"}, ApplyTime: now, CreateTime: now, ModifyTime: now},
	}
	if !reflect.DeepEqual(page.Friends, want) || page.HasMore || page.NextCursor >= 0 || page.TotalCount != 2 {
		t.Errorf("ListFriend = %+v, want %+v, no more and a total of 2", page, want)
	}
	theirs, err := c.ListFriend(ctx, &volcim.ListFriendRequest{UserID: 10002})
	if err != nil {
		t.Fatal(err)
	}
	if len(theirs.Friends) != 1 || theirs.Friends[0].FriendUserID != 10001 || theirs.Friends[0].Ext != nil || theirs.TotalCount != 0 {
		t.Errorf("friends of 10002: %+v (the Ext is the adder's side; no total asked)", theirs)
	}

	upd, err := c.UpdateFriend(ctx, &volcim.UpdateFriendRequest{UserID: 10001, FriendInfos: []volcim.FriendUpdate{
		{FriendUserID: 10002, Alias: volcim.Ptr("老王"), Ext: map[string]string{"tier": "gold"}},
		{FriendUserID: 10003, Alias: volcim.Ptr("")},
	}})
	if err != nil || len(upd.Failed) != 0 {
		t.Fatalf("UpdateFriend: %+v, %v", upd, err)
	}
	page, err = c.ListFriend(ctx, &volcim.ListFriendRequest{UserID: 10001, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Friends) != 1 || page.Friends[0].Alias != "老王" || !reflect.DeepEqual(page.Friends[0].Ext, map[string]string{"来源": "群聊", "tier": "gold"}) || !page.HasMore || page.NextCursor != 1 {
		t.Errorf("after UpdateFriend: %+v (alias set, Ext merged, one more page at 1)", page)
	}

	if del, err := c.DeleteFriend(ctx, &volcim.DeleteFriendRequest{UserID: 10002, DeleteUserIDs: []int64{10001}}); err != nil || len(del.Failed) != 0 {
		t.Fatalf("DeleteFriend: %+v, %v", del, err)
	}
	if got, want := isFriends(t, c, 0, 10001, 10002, 10003), map[int64]bool{10002: false, 10003: true}; !reflect.DeepEqual(got, want) {
		t.Errorf("after DeleteFriend: %v, want %v (DeleteFriend acts both ways)", got, want)
	}
}

func TestContactWritesReportPartialFailures(t *testing.T) {
	t.Parallel()
	_, c, _ := newContactServer(t)
	ctx := context.Background()
	check := func(name string, failed []volcim.FailedItem, err error, action string, want ...volcim.FailedItem) {
		t.Helper()
		var pf *volcim.PartialFailureError
		if !errors.As(err, &pf) || !errors.Is(err, volcim.ErrPartialFailure) || pf.Action != action || pf.RequestID == "" {
			t.Fatalf("%s: err %v, want a PartialFailureError of %s", name, err, action)
		}
		for i := range want {
			want[i].Message = "" // compared apart
		}
		got := make([]volcim.FailedItem, len(failed))
		for i, f := range failed {
			if f.Message == "" {
				t.Errorf("%s: failed item %v has no message", name, f)
			}
			f.Message = ""
			got[i] = f
		}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(pf.Failed, failed) {
			t.Errorf("%s: failed %v (error lists %v), want %v", name, failed, pf.Failed, want)
		}
	}

	added, err := c.AddFriend(ctx, &volcim.AddFriendRequest{UserID: 10001, FriendUserIDs: []int64{10002, 10001}})
	if added == nil {
		t.Fatal("AddFriend: no response with the partial failure")
	}
	check("AddFriend", added.Failed, err, "AddFriend", volcim.FailedItem{UserID: 10001, Code: "AddSelfFriendNotAllow"})
	if !isFriends(t, c, 0, 10001, 10002)[10002] {
		t.Error("AddFriend: the friend that did not fail was not added")
	}

	upd, err := c.UpdateFriend(ctx, &volcim.UpdateFriendRequest{UserID: 10001, FriendInfos: []volcim.FriendUpdate{
		{FriendUserID: 10009, Ext: map[string]string{"k": "v"}},
		{FriendUserID: 10002, Alias: volcim.Ptr("ok")},
	}})
	if upd == nil {
		t.Fatal("UpdateFriend: no response with the partial failure")
	}
	check("UpdateFriend", upd.Failed, err, "UpdateFriend", volcim.FailedItem{UserID: 10009, Code: "NotFriend"})

	blocked, err := c.AddBlackList(ctx, &volcim.AddBlackListRequest{UserID: 10001, BlackListInfos: []volcim.BlackListUser{{BlackListUserID: 10001}, {BlackListUserID: 10005}}})
	if blocked == nil {
		t.Fatal("AddBlackList: no response with the partial failure")
	}
	check("AddBlackList", blocked.Failed, err, "AddBlackList", volcim.FailedItem{UserID: 10001, Code: "AddSelfBlackNotAllow"})
	if got := inBlackList(t, c, 10001, 10001, 10005); !got[10005] || got[10001] {
		t.Errorf("after a partial AddBlackList: %v", got)
	}

	ub, err := c.UpdateBlackList(ctx, &volcim.UpdateBlackListRequest{UserID: 10001, BlackListInfos: []volcim.BlackListUser{{BlackListUserID: 10005, Ext: map[string]string{"a": "b"}}, {BlackListUserID: 10006}}})
	if ub == nil {
		t.Fatal("UpdateBlackList: no response with the partial failure")
	}
	check("UpdateBlackList", ub.Failed, err, "UpdateBlackList", volcim.FailedItem{UserID: 10006, Code: "NotInBlackList"})
}

func TestBlackListPersistsNewestFirst(t *testing.T) {
	t.Parallel()
	_, c, now := newContactServer(t)
	ctx := context.Background()
	if _, err := c.AddFriend(ctx, &volcim.AddFriendRequest{UserID: 10001, FriendUserIDs: []int64{10002}, Ext: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddBlackList(ctx, &volcim.AddBlackListRequest{UserID: 10001, BlackListInfos: []volcim.BlackListUser{
		{BlackListUserID: 10002, Ext: map[string]string{"原因": "骚扰"}},
		{BlackListUserID: 10003},
	}}); err != nil {
		t.Fatal(err)
	}
	if got, want := inBlackList(t, c, 10001, 10002, 10003, 10004), map[int64]bool{10002: true, 10003: true, 10004: false}; !reflect.DeepEqual(got, want) {
		t.Errorf("IsInBlackList = %v, want %v", got, want)
	}
	if got := inBlackList(t, c, 10002, 10001); got[10001] {
		t.Error("a block list works both ways")
	}
	if !isFriends(t, c, 0, 10001, 10002)[10002] {
		t.Error("blocking a friend ended the friendship")
	}

	if _, err := c.UpdateBlackList(ctx, &volcim.UpdateBlackListRequest{UserID: 10001, BlackListInfos: []volcim.BlackListUser{{BlackListUserID: 10002, Ext: map[string]string{"level": "2"}}}}); err != nil {
		t.Fatal(err)
	}
	page, err := c.GetBlackList(ctx, &volcim.GetBlackListRequest{UserID: 10001, Limit: 20, NeedTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []volcim.BlackListEntry{
		{BlackListUserID: 10003, CreateTime: now, ModifyTime: now},
		{BlackListUserID: 10002, Ext: map[string]string{"原因": "骚扰", "level": "2"}, CreateTime: now, ModifyTime: now,
			Friend: &volcim.Friend{FriendUserID: 10002, Ext: map[string]string{"k": "v"}, ApplyTime: now, CreateTime: now, ModifyTime: now}},
	}
	if !reflect.DeepEqual(page.BlackList, want) || page.HasMore || page.NextCursor >= 0 || page.TotalCount != 2 {
		t.Errorf("GetBlackList = %+v, want %+v (newest first, the friend's entry with its friendship)", page, want)
	}

	if _, err := c.RemoveBlackList(ctx, &volcim.RemoveBlackListRequest{UserID: 10001, BlackListUserIDs: []int64{10003, 10009}}); err != nil {
		t.Fatal(err)
	}
	if got, want := inBlackList(t, c, 10001, 10002, 10003), map[int64]bool{10002: true, 10003: false}; !reflect.DeepEqual(got, want) {
		t.Errorf("after RemoveBlackList: %v, want %v", got, want)
	}
	page, err = c.GetBlackList(ctx, &volcim.GetBlackListRequest{UserID: 10001, Limit: 20})
	if err != nil || len(page.BlackList) != 1 || page.BlackList[0].BlackListUserID != 10002 || page.TotalCount != 0 {
		t.Errorf("after RemoveBlackList: %+v, %v", page, err)
	}
}

// TestContactWritesConverge drops the reply of writes the server carried
// out: the client sends them again, and the lists hold each user once, with
// no failure reported.
func TestContactWritesConverge(t *testing.T) {
	t.Parallel()
	srv, c, _ := newContactServer(t)
	ctx := context.Background()
	srv.Script(
		volcimtest.Fault{Kind: volcimtest.FaultDropReply, Action: "AddFriend"},
		volcimtest.Fault{Kind: volcimtest.FaultDropReply, Action: "AddBlackList"},
		volcimtest.Fault{Kind: volcimtest.FaultDropReply, Action: "RemoveBlackList"},
	)
	if _, err := c.AddFriend(ctx, &volcim.AddFriendRequest{UserID: 10001, FriendUserIDs: []int64{10002}}); err != nil {
		t.Fatalf("AddFriend retried: %v", err)
	}
	if _, err := c.AddBlackList(ctx, &volcim.AddBlackListRequest{UserID: 10001, BlackListInfos: []volcim.BlackListUser{{BlackListUserID: 10003}, {BlackListUserID: 10004}}}); err != nil {
		t.Fatalf("AddBlackList retried: %v", err)
	}
	if _, err := c.RemoveBlackList(ctx, &volcim.RemoveBlackListRequest{UserID: 10001, BlackListUserIDs: []int64{10003}}); err != nil {
		t.Fatalf("RemoveBlackList retried: %v", err)
	}
	friends, err := c.ListFriend(ctx, &volcim.ListFriendRequest{UserID: 10001, NeedTotal: true})
	if err != nil || friends.TotalCount != 1 {
		t.Errorf("friends after a retried AddFriend: %+v, %v", friends, err)
	}
	blocks, err := c.GetBlackList(ctx, &volcim.GetBlackListRequest{UserID: 10001, Limit: 20, NeedTotal: true})
	if err != nil || blocks.TotalCount != 1 || blocks.BlackList[0].BlackListUserID != 10004 {
		t.Errorf("block list after retried writes: %+v, %v", blocks, err)
	}
	counts := map[string]int{}
	for _, r := range srv.Requests() {
		counts[r.Action]++
	}
	for _, a := range []string{"AddFriend", "AddBlackList", "RemoveBlackList"} {
		if counts[a] != 2 {
			t.Errorf("%d %s requests, want 2 (the faulted one and its retry)", counts[a], a)
		}
	}
}

func TestContactInvalidRequests(t *testing.T) {
	t.Parallel()
	srv, c, _ := newContactServer(t)
	ctx := context.Background()
	eleven := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	elevenUpdates := make([]volcim.FriendUpdate, 11)
	elevenBlocks := make([]volcim.BlackListUser, 11)
	for i := range 11 {
		elevenUpdates[i] = volcim.FriendUpdate{FriendUserID: int64(i + 1), Alias: volcim.Ptr("a")}
		elevenBlocks[i] = volcim.BlackListUser{BlackListUserID: int64(i + 1)}
	}
	drop := func(_ any, err error) error { return err }
	walk := func(seq func(yield func(volcim.Friend, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	walkBlocks := func(seq func(yield func(volcim.BlackListEntry, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	for _, tc := range []struct {
		action, field string
		call          func() error
	}{
		{"AddFriend", "", func() error { return drop(c.AddFriend(ctx, nil)) }},
		{"AddFriend", "AppID", func() error {
			return drop(c.AddFriend(ctx, &volcim.AddFriendRequest{AppID: -1, UserID: 1, FriendUserIDs: []int64{2}}))
		}},
		{"AddFriend", "UserID", func() error { return drop(c.AddFriend(ctx, &volcim.AddFriendRequest{FriendUserIDs: []int64{2}})) }},
		{"AddFriend", "FriendUserIDs", func() error { return drop(c.AddFriend(ctx, &volcim.AddFriendRequest{UserID: 1})) }},
		{"AddFriend", "FriendUserIDs", func() error {
			return drop(c.AddFriend(ctx, &volcim.AddFriendRequest{UserID: 1, FriendUserIDs: eleven}))
		}},
		{"AddFriend", "FriendUserIDs", func() error {
			return drop(c.AddFriend(ctx, &volcim.AddFriendRequest{UserID: 1, FriendUserIDs: []int64{2, 0}}))
		}},
		{"DeleteFriend", "", func() error { return drop(c.DeleteFriend(ctx, nil)) }},
		{"DeleteFriend", "UserID", func() error {
			return drop(c.DeleteFriend(ctx, &volcim.DeleteFriendRequest{UserID: -1, DeleteUserIDs: []int64{2}}))
		}},
		{"DeleteFriend", "DeleteUserIDs", func() error { return drop(c.DeleteFriend(ctx, &volcim.DeleteFriendRequest{UserID: 1})) }},
		{"DeleteFriend", "DeleteUserIDs", func() error {
			return drop(c.DeleteFriend(ctx, &volcim.DeleteFriendRequest{UserID: 1, DeleteUserIDs: eleven}))
		}},
		{"DeleteFriend", "DeleteUserIDs", func() error {
			return drop(c.DeleteFriend(ctx, &volcim.DeleteFriendRequest{UserID: 1, DeleteUserIDs: []int64{-2}}))
		}},
		{"UpdateFriend", "", func() error { return drop(c.UpdateFriend(ctx, nil)) }},
		{"UpdateFriend", "UserID", func() error {
			return drop(c.UpdateFriend(ctx, &volcim.UpdateFriendRequest{FriendInfos: elevenUpdates[:1]}))
		}},
		{"UpdateFriend", "FriendInfos", func() error { return drop(c.UpdateFriend(ctx, &volcim.UpdateFriendRequest{UserID: 1})) }},
		{"UpdateFriend", "FriendInfos", func() error {
			return drop(c.UpdateFriend(ctx, &volcim.UpdateFriendRequest{UserID: 1, FriendInfos: elevenUpdates}))
		}},
		{"UpdateFriend", "FriendInfos", func() error {
			return drop(c.UpdateFriend(ctx, &volcim.UpdateFriendRequest{UserID: 1, FriendInfos: []volcim.FriendUpdate{{Alias: volcim.Ptr("x")}}}))
		}},
		{"UpdateFriend", "FriendInfos", func() error {
			return drop(c.UpdateFriend(ctx, &volcim.UpdateFriendRequest{UserID: 1, FriendInfos: []volcim.FriendUpdate{{FriendUserID: 2, Ext: map[string]string{}}}}))
		}},
		{"ListFriend", "", func() error { return drop(c.ListFriend(ctx, nil)) }},
		{"ListFriend", "UserID", func() error { return drop(c.ListFriend(ctx, &volcim.ListFriendRequest{})) }},
		{"ListFriend", "Cursor", func() error { return drop(c.ListFriend(ctx, &volcim.ListFriendRequest{UserID: 1, Cursor: -1})) }},
		{"ListFriend", "Limit", func() error { return drop(c.ListFriend(ctx, &volcim.ListFriendRequest{UserID: 1, Limit: 21})) }},
		{"ListFriend", "Limit", func() error { return drop(c.ListFriend(ctx, &volcim.ListFriendRequest{UserID: 1, Limit: -1})) }},
		{"IsFriend", "", func() error { return drop(c.IsFriend(ctx, nil)) }},
		{"IsFriend", "UserID", func() error { return drop(c.IsFriend(ctx, &volcim.IsFriendRequest{FriendUserIDs: []int64{2}})) }},
		{"IsFriend", "FriendUserIDs", func() error { return drop(c.IsFriend(ctx, &volcim.IsFriendRequest{UserID: 1})) }},
		{"IsFriend", "FriendUserIDs", func() error {
			return drop(c.IsFriend(ctx, &volcim.IsFriendRequest{UserID: 1, FriendUserIDs: eleven}))
		}},
		{"IsFriend", "FriendUserIDs", func() error {
			return drop(c.IsFriend(ctx, &volcim.IsFriendRequest{UserID: 1, FriendUserIDs: []int64{0}}))
		}},
		{"AddBlackList", "", func() error { return drop(c.AddBlackList(ctx, nil)) }},
		{"AddBlackList", "UserID", func() error {
			return drop(c.AddBlackList(ctx, &volcim.AddBlackListRequest{BlackListInfos: elevenBlocks[:1]}))
		}},
		{"AddBlackList", "BlackListInfos", func() error { return drop(c.AddBlackList(ctx, &volcim.AddBlackListRequest{UserID: 1})) }},
		{"AddBlackList", "BlackListInfos", func() error {
			return drop(c.AddBlackList(ctx, &volcim.AddBlackListRequest{UserID: 1, BlackListInfos: elevenBlocks}))
		}},
		{"AddBlackList", "BlackListInfos", func() error {
			return drop(c.AddBlackList(ctx, &volcim.AddBlackListRequest{UserID: 1, BlackListInfos: []volcim.BlackListUser{{BlackListUserID: -5}}}))
		}},
		{"UpdateBlackList", "", func() error { return drop(c.UpdateBlackList(ctx, nil)) }},
		{"UpdateBlackList", "UserID", func() error {
			return drop(c.UpdateBlackList(ctx, &volcim.UpdateBlackListRequest{BlackListInfos: elevenBlocks[:1]}))
		}},
		{"UpdateBlackList", "BlackListInfos", func() error {
			return drop(c.UpdateBlackList(ctx, &volcim.UpdateBlackListRequest{UserID: 1}))
		}},
		{"UpdateBlackList", "BlackListInfos", func() error {
			return drop(c.UpdateBlackList(ctx, &volcim.UpdateBlackListRequest{UserID: 1, BlackListInfos: elevenBlocks}))
		}},
		{"UpdateBlackList", "BlackListInfos", func() error {
			return drop(c.UpdateBlackList(ctx, &volcim.UpdateBlackListRequest{UserID: 1, BlackListInfos: []volcim.BlackListUser{{}}}))
		}},
		{"RemoveBlackList", "", func() error { return drop(c.RemoveBlackList(ctx, nil)) }},
		{"RemoveBlackList", "UserID", func() error {
			return drop(c.RemoveBlackList(ctx, &volcim.RemoveBlackListRequest{BlackListUserIDs: []int64{2}}))
		}},
		{"RemoveBlackList", "BlackListUserIDs", func() error {
			return drop(c.RemoveBlackList(ctx, &volcim.RemoveBlackListRequest{UserID: 1}))
		}},
		{"RemoveBlackList", "BlackListUserIDs", func() error {
			return drop(c.RemoveBlackList(ctx, &volcim.RemoveBlackListRequest{UserID: 1, BlackListUserIDs: eleven}))
		}},
		{"RemoveBlackList", "BlackListUserIDs", func() error {
			return drop(c.RemoveBlackList(ctx, &volcim.RemoveBlackListRequest{UserID: 1, BlackListUserIDs: []int64{0}}))
		}},
		{"GetBlackList", "", func() error { return drop(c.GetBlackList(ctx, nil)) }},
		{"GetBlackList", "UserID", func() error { return drop(c.GetBlackList(ctx, &volcim.GetBlackListRequest{Limit: 20})) }},
		{"GetBlackList", "Cursor", func() error {
			return drop(c.GetBlackList(ctx, &volcim.GetBlackListRequest{UserID: 1, Cursor: -1, Limit: 20}))
		}},
		{"GetBlackList", "Limit", func() error { return drop(c.GetBlackList(ctx, &volcim.GetBlackListRequest{UserID: 1})) }},
		{"GetBlackList", "Limit", func() error {
			return drop(c.GetBlackList(ctx, &volcim.GetBlackListRequest{UserID: 1, Limit: 21}))
		}},
		{"IsInBlackList", "", func() error { return drop(c.IsInBlackList(ctx, nil)) }},
		{"IsInBlackList", "UserID", func() error {
			return drop(c.IsInBlackList(ctx, &volcim.IsInBlackListRequest{BlackListUserIDs: []int64{2}}))
		}},
		{"IsInBlackList", "BlackListUserIDs", func() error {
			return drop(c.IsInBlackList(ctx, &volcim.IsInBlackListRequest{UserID: 1}))
		}},
		{"IsInBlackList", "BlackListUserIDs", func() error {
			return drop(c.IsInBlackList(ctx, &volcim.IsInBlackListRequest{UserID: 1, BlackListUserIDs: eleven}))
		}},
		{"IsInBlackList", "BlackListUserIDs", func() error {
			return drop(c.IsInBlackList(ctx, &volcim.IsInBlackListRequest{UserID: 1, BlackListUserIDs: []int64{3, -3}}))
		}},
		// The walks check their request at once.
		{"ListFriend", "", func() error { return drop(c.FriendsPager(nil)) }},
		{"ListFriend", "AppID", func() error {
			return drop(c.FriendsPager(&volcim.FriendsRequest{AppID: -1, UserID: 1}))
		}},
		{"ListFriend", "UserID", func() error { return drop(c.FriendsPager(&volcim.FriendsRequest{})) }},
		{"ListFriend", "PageSize", func() error { return drop(c.FriendsPager(&volcim.FriendsRequest{UserID: 1, PageSize: 21})) }},
		{"ListFriend", "PageSize", func() error { return drop(c.FriendsPager(&volcim.FriendsRequest{UserID: 1, PageSize: -1})) }},
		{"ListFriend", "Max", func() error { return drop(c.FriendsPager(&volcim.FriendsRequest{UserID: 1, Max: -1})) }},
		{"ListFriend", "Cursor", func() error { return drop(c.FriendsPager(&volcim.FriendsRequest{UserID: 1, Cursor: -1})) }},
		{"ListFriend", "MaxEmptyPages", func() error {
			return drop(c.FriendsPager(&volcim.FriendsRequest{UserID: 1, MaxEmptyPages: -1}))
		}},
		{"ListFriend", "UserID", func() error { return walk(c.Friends(ctx, &volcim.FriendsRequest{})) }},
		{"GetBlackList", "", func() error { return drop(c.BlackListPager(nil)) }},
		{"GetBlackList", "UserID", func() error { return drop(c.BlackListPager(&volcim.BlackListRequest{UserID: -1})) }},
		{"GetBlackList", "PageSize", func() error {
			return drop(c.BlackListPager(&volcim.BlackListRequest{UserID: 1, PageSize: 21}))
		}},
		{"GetBlackList", "Max", func() error { return drop(c.BlackListPager(&volcim.BlackListRequest{UserID: 1, Max: -2})) }},
		{"GetBlackList", "Cursor", func() error { return drop(c.BlackListPager(&volcim.BlackListRequest{UserID: 1, Cursor: -2})) }},
		{"GetBlackList", "MaxEmptyPages", func() error {
			return drop(c.BlackListPager(&volcim.BlackListRequest{UserID: 1, MaxEmptyPages: -2}))
		}},
		{"GetBlackList", "PageSize", func() error {
			return walkBlocks(c.BlackList(ctx, &volcim.BlackListRequest{UserID: 1, PageSize: 30}))
		}},
	} {
		err := tc.call()
		var ire *volcim.InvalidRequestError
		if !errors.As(err, &ire) || !errors.Is(err, volcim.ErrInvalidRequest) || ire.Field != tc.field || ire.Action != tc.action {
			t.Errorf("%s %s: err %v, want an InvalidRequestError on %q", tc.action, tc.field, err, tc.field)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server, want none", n)
	}
}

// seedFriends gives user n friends 20001.. added a second apart from t0.
func seedFriends(srv *volcimtest.Server, user int64, n int, t0 time.Time) {
	fs := make([]volcim.Friend, n)
	for i := range fs {
		fs[i] = volcim.Friend{FriendUserID: 20001 + int64(i), CreateTime: t0.Add(time.Duration(i) * time.Second)}
	}
	srv.AddFriends(ctApp, 0, user, fs...)
}

func TestFriendsWalk(t *testing.T) {
	t.Parallel()
	srv, c, _ := newContactServer(t)
	ctx := context.Background()
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	seedFriends(srv, 10001, 45, t0)

	var got []int64
	for f, err := range c.Friends(ctx, &volcim.FriendsRequest{UserID: 10001}) {
		if err != nil {
			t.Fatal(err)
		}
		if want := t0.Add(time.Duration(len(got)) * time.Second); !f.CreateTime.Equal(want) || !f.ApplyTime.Equal(want) {
			t.Errorf("friend %d: times %v %v, want %v", f.FriendUserID, f.CreateTime, f.ApplyTime, want)
		}
		got = append(got, f.FriendUserID)
	}
	if len(got) != 45 || got[0] != 20001 || got[44] != 20045 {
		t.Fatalf("walked %d friends %v, want 20001 to 20045 in the order added", len(got), got)
	}
	if n := countAction(srv, "ListFriend"); n != 3 {
		t.Errorf("%d ListFriend calls for 45 friends, want 3", n)
	}

	p, err := c.FriendsPager(&volcim.FriendsRequest{UserID: 10001, PageSize: 20, NeedTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.TotalCount(); ok {
		t.Error("TotalCount before the first page")
	}
	first, err := p.Next(ctx)
	if err != nil || len(first) != 20 {
		t.Fatalf("first page: %d, %v", len(first), err)
	}
	if n, ok := p.TotalCount(); !ok || n != 45 {
		t.Errorf("TotalCount = %d, %v, want 45", n, ok)
	}
	saved := p.Cursor()
	resumed, err := c.FriendsPager(&volcim.FriendsRequest{UserID: 10001, Cursor: saved, Max: 22, PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	var rest []volcim.Friend
	for resumed.HasMore() {
		page, err := resumed.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rest = append(rest, page...)
	}
	if len(rest) != 22 || rest[0].FriendUserID != 20021 || rest[21].FriendUserID != 20042 {
		t.Errorf("resumed at %d: %d friends from %d, want 22 from 20021", saved, len(rest), rest[0].FriendUserID)
	}
	if _, ok := resumed.TotalCount(); ok {
		t.Error("TotalCount without NeedTotal")
	}
}

func TestBlackListWalk(t *testing.T) {
	t.Parallel()
	srv, c, _ := newContactServer(t)
	ctx := context.Background()
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	entries := make([]volcim.BlackListEntry, 25)
	for i := range entries {
		entries[i] = volcim.BlackListEntry{BlackListUserID: 30001 + int64(i), CreateTime: t0.Add(time.Duration(i) * time.Minute)}
	}
	srv.AddBlackList(ctApp, 0, 10001, entries...)
	srv.AddFriends(ctApp, 0, 10001, volcim.Friend{FriendUserID: 30025, Alias: "also a friend"})

	p, err := c.BlackListPager(&volcim.BlackListRequest{UserID: 10001, PageSize: 10, NeedTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []volcim.BlackListEntry
	for e, err := range p.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if len(got) != 25 || got[0].BlackListUserID != 30025 || got[24].BlackListUserID != 30001 {
		t.Fatalf("walked %d entries, want 25 from 30025 (newest) to 30001", len(got))
	}
	if got[0].Friend == nil || got[0].Friend.Alias != "also a friend" || got[1].Friend != nil {
		t.Errorf("friendship of the entries: %+v, %+v", got[0].Friend, got[1].Friend)
	}
	if !got[24].CreateTime.Equal(t0) || !got[24].ModifyTime.Equal(t0) {
		t.Errorf("oldest entry's times %v %v, want %v", got[24].CreateTime, got[24].ModifyTime, t0)
	}
	if n, ok := p.TotalCount(); !ok || n != 25 || p.Fetched() != 25 || p.HasMore() {
		t.Errorf("TotalCount %d %v, fetched %d, more %v", n, ok, p.Fetched(), p.HasMore())
	}
	if n := countAction(srv, "GetBlackList"); n != 3 {
		t.Errorf("%d GetBlackList calls, want 3", n)
	}
}

func countAction(srv *volcimtest.Server, action string) int {
	var n int
	for _, r := range srv.Requests() {
		if r.Action == action {
			n++
		}
	}
	return n
}

// scriptedPages is a server whose contact lists answer the page scripted
// for each cursor.
type scriptedPages struct {
	*httptest.Server
	mu    sync.Mutex
	calls []int64 // cursors asked for
}

func newScriptedPages(t *testing.T, pages map[int64]string) (*scriptedPages, *volcim.Client) {
	t.Helper()
	s := &scriptedPages{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Cursor int64 }
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &body)
		s.mu.Lock()
		s.calls = append(s.calls, body.Cursor)
		s.mu.Unlock()
		page, ok := pages[body.Cursor]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		io.WriteString(w, `{"ResponseMetadata":{"RequestId":"scripted"},"Result":`+page+`}`)
	}))
	t.Cleanup(s.Close)
	c, err := volcim.NewClient("AKscripted", "c2NyaXB0ZWQ=", volcim.WithEndpoint(s.URL), volcim.WithAppID(ctApp),
		volcim.WithRateLimit(1e6), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func (s *scriptedPages) cursors() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.calls...)
}

func friendsPage(hasMore bool, cursor string, ids ...int64) string {
	infos := make([]map[string]any, len(ids))
	for i, id := range ids {
		infos[i] = map[string]any{"FriendUserId": id, "CreateTime": 1701224130123}
	}
	b, _ := json.Marshal(infos)
	out := `{"FriendInfos":` + string(b) + `,"HasMore":` + map[bool]string{true: "true", false: "false"}[hasMore]
	if cursor != "" {
		out += `,` + cursor
	}
	return out + `}`
}

func TestContactWalkGuards(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	walkAll := func(c *volcim.Client) ([]int64, error) {
		var ids []int64
		for f, err := range c.Friends(ctx, &volcim.FriendsRequest{UserID: 10001, PageSize: 2}) {
			if err != nil {
				return ids, err
			}
			ids = append(ids, f.FriendUserID)
		}
		return ids, nil
	}
	for _, tc := range []struct {
		name    string
		pages   map[int64]string
		want    []int64
		wantErr error
	}{
		{"negative NextCursor ends the walk", map[int64]string{
			0: friendsPage(true, `"NextCursor":2`, 1, 2),
			2: friendsPage(true, `"NextCursor":-1`, 3),
		}, []int64{1, 2, 3}, nil},
		{"NewCursor is read when NextCursor is absent", map[int64]string{
			0: friendsPage(true, `"NewCursor":2`, 1, 2),
			2: friendsPage(false, `"NewCursor":-1`, 3),
		}, []int64{1, 2, 3}, nil},
		{"a stalled cursor", map[int64]string{
			0: friendsPage(true, `"NextCursor":2`, 1, 2),
			2: friendsPage(true, `"NextCursor":2`, 3),
		}, []int64{1, 2}, pagination.ErrStalledCursor},
		{"a cursor that goes back", map[int64]string{
			0: friendsPage(true, `"NextCursor":4`, 1, 2),
			4: friendsPage(true, `"NextCursor":2`, 3),
		}, []int64{1, 2}, pagination.ErrCursorCycle},
		{"HasMore with no cursor", map[int64]string{
			0: friendsPage(true, ``, 1, 2),
		}, nil, volcim.ErrMalformedReply},
		{"empty pages forever", func() map[int64]string {
			m := map[int64]string{}
			for i := range int64(20) {
				m[i] = friendsPage(true, `"NextCursor":`+itoa(i+1))
			}
			return m
		}(), nil, pagination.ErrNoProgress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, c := newScriptedPages(t, tc.pages)
			got, err := walkAll(c)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("walked %v, want %v (cursors asked %v)", got, tc.want, s.cursors())
			}
		})
	}
}

func itoa(i int64) string { b, _ := json.Marshal(i); return string(b) }

func TestIsInBlackListRefusesAKeyThatIsNotAnID(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"alice", "-3", "1.5", ""} {
		_, c := newScriptedPages(t, map[int64]string{0: `{"IsInBlackListInfos":{"10002":true,"` + key + `":false}}`})
		_, err := c.IsInBlackList(context.Background(), &volcim.IsInBlackListRequest{UserID: 1, BlackListUserIDs: []int64{10002}})
		if !errors.Is(err, volcim.ErrMalformedReply) || !strings.Contains(err.Error(), `"`+key+`"`) {
			t.Errorf("key %q: err %v, want a malformed reply naming the key", key, err)
		}
	}
}

func wantMeta(t *testing.T, m volcim.ResponseMetadata, action, requestID string) {
	t.Helper()
	want := volcim.ResponseMetadata{RequestID: requestID, Action: action, Version: "2020-12-01", Service: "rtc", Region: "cn-north-1"}
	if m != want {
		t.Errorf("metadata %+v, want %+v", m, want)
	}
}

func TestContactCannedRepliesDecode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ms := func(v int64) time.Time { return time.UnixMilli(v).UTC() }
	const big = 9007199254740993 // 2^53+1: not exact as a float64
	partial := func(t *testing.T, err error, want ...volcim.FailedItem) {
		t.Helper()
		var pf *volcim.PartialFailureError
		if !errors.As(err, &pf) || !reflect.DeepEqual(pf.Failed, want) {
			t.Errorf("err %v, want a partial failure of %v", err, want)
		}
	}
	t.Run("AddFriend", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "partial/add_friend.json").AddFriend(ctx, &volcim.AddFriendRequest{UserID: 1, FriendUserIDs: []int64{big}})
		want := []volcim.FailedItem{{UserID: big, Code: "UserNotRegistered", Message: "用户未注册"}}
		partial(t, err, want...)
		wantMeta(t, resp.ResponseMetadata, "AddFriend", "20231129101530010211032211B7A9C4E1")
		if !reflect.DeepEqual(resp.Failed, want) {
			t.Errorf("Failed %v", resp.Failed)
		}
	})
	t.Run("DeleteFriend", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "partial/delete_friend.json").DeleteFriend(ctx, &volcim.DeleteFriendRequest{UserID: 1, DeleteUserIDs: []int64{10003}})
		want := []volcim.FailedItem{{UserID: 10003, Code: "NotFriend", Message: "不是好友"}}
		partial(t, err, want...)
		wantMeta(t, resp.ResponseMetadata, "DeleteFriend", "20231129101531010211032211C1D0E2F3")
		if !reflect.DeepEqual(resp.Failed, want) {
			t.Errorf("Failed %v", resp.Failed)
		}
	})
	t.Run("UpdateFriend", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "partial/update_friend.json").UpdateFriend(ctx, &volcim.UpdateFriendRequest{UserID: 1, FriendInfos: []volcim.FriendUpdate{{FriendUserID: 10004, Alias: volcim.Ptr("x")}}})
		want := []volcim.FailedItem{{UserID: 10004, Code: "AliasTooLong", Message: "好友备注过长"}}
		partial(t, err, want...)
		wantMeta(t, resp.ResponseMetadata, "UpdateFriend", "20231129101532010211032211D4E5F607")
		if !reflect.DeepEqual(resp.Failed, want) {
			t.Errorf("Failed %v", resp.Failed)
		}
	})
	t.Run("ListFriend", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "list_friend.json").ListFriend(ctx, &volcim.ListFriendRequest{UserID: 1})
		if err != nil {
			t.Fatal(err)
		}
		wantMeta(t, resp.ResponseMetadata, "ListFriend", "20231129101533010211032211E8F9A0B1")
		want := []volcim.Friend{
			{FriendUserID: 10002, Alias: "老王", Ext: map[string]string{"来源": "扫码添加", "tier": "gold"},
				ApplyTime: ms(1701224100789), CreateTime: ms(1701224130123), ModifyTime: ms(1701225930456)},
			{FriendUserID: big, ApplyTime: ms(1701310530001), CreateTime: ms(1701310530001), ModifyTime: ms(1701310530001)},
		}
		if !reflect.DeepEqual(resp.Friends, want) || !resp.HasMore || resp.NextCursor != 2 || resp.TotalCount != 23 {
			t.Errorf("ListFriend = %+v", resp)
		}
	})
	t.Run("IsFriend", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "is_friend.json").IsFriend(ctx, &volcim.IsFriendRequest{UserID: 1, FriendUserIDs: []int64{10002, big}})
		if err != nil {
			t.Fatal(err)
		}
		wantMeta(t, resp.ResponseMetadata, "IsFriend", "20231129101534010211032211F2A3B4C5")
		if want := map[int64]bool{10002: true, big: false}; !reflect.DeepEqual(resp.IsFriend, want) {
			t.Errorf("IsFriend = %v, want %v", resp.IsFriend, want)
		}
	})
	t.Run("AddBlackList", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "partial/add_black_list.json").AddBlackList(ctx, &volcim.AddBlackListRequest{UserID: 10001, BlackListInfos: []volcim.BlackListUser{{BlackListUserID: 10001}}})
		want := []volcim.FailedItem{{UserID: 10001, Code: "AddSelfBlackNotAllow", Message: "不能将自己加入黑名单"}}
		partial(t, err, want...)
		wantMeta(t, resp.ResponseMetadata, "AddBlackList", "202311291015350102110322110A1B2C3D")
		if !reflect.DeepEqual(resp.Failed, want) {
			t.Errorf("Failed %v", resp.Failed)
		}
	})
	t.Run("RemoveBlackList", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "remove_black_list.json").RemoveBlackList(ctx, &volcim.RemoveBlackListRequest{UserID: 1, BlackListUserIDs: []int64{2}})
		if err != nil {
			t.Fatal(err)
		}
		wantMeta(t, resp.ResponseMetadata, "RemoveBlackList", "202311291015360102110322111E2F3A4B")
	})
	t.Run("UpdateBlackList", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "partial/update_black_list.json").UpdateBlackList(ctx, &volcim.UpdateBlackListRequest{UserID: 1, BlackListInfos: []volcim.BlackListUser{{BlackListUserID: 10005}}})
		want := []volcim.FailedItem{{UserID: 10005, Code: "NotInBlackList", Message: "用户不在黑名单中"}}
		partial(t, err, want...)
		wantMeta(t, resp.ResponseMetadata, "UpdateBlackList", "202311291015370102110322112C3D4E5F")
		if !reflect.DeepEqual(resp.Failed, want) {
			t.Errorf("Failed %v", resp.Failed)
		}
	})
	t.Run("GetBlackList", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "get_black_list.json").GetBlackList(ctx, &volcim.GetBlackListRequest{UserID: 1, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		wantMeta(t, resp.ResponseMetadata, "GetBlackList", "202311291015380102110322113A4B5C6D")
		want := []volcim.BlackListEntry{
			{BlackListUserID: 10002, Ext: map[string]string{"原因": "骚扰"}, CreateTime: ms(1701396930555), ModifyTime: ms(1701397030666),
				Friend: &volcim.Friend{FriendUserID: 10002, Alias: "老王", Ext: map[string]string{"来源": "扫码添加"},
					ApplyTime: ms(1701224100789), CreateTime: ms(1701224130123), ModifyTime: ms(1701225930456)}},
			{BlackListUserID: big, CreateTime: ms(1701310530001), ModifyTime: ms(1701310530001)},
		}
		if !reflect.DeepEqual(resp.BlackList, want) || !resp.HasMore || resp.NextCursor != 2 || resp.TotalCount != 7 {
			t.Errorf("GetBlackList = %+v", resp)
		}
	})
	t.Run("IsInBlackList", func(t *testing.T) {
		t.Parallel()
		resp, err := cannedClient(t, "is_in_black_list.json").IsInBlackList(ctx, &volcim.IsInBlackListRequest{UserID: 1, BlackListUserIDs: []int64{10002, big}})
		if err != nil {
			t.Fatal(err)
		}
		wantMeta(t, resp.ResponseMetadata, "IsInBlackList", "202311291015390102110322114B5C6D7E")
		if want := map[int64]bool{10002: true, big: false}; !reflect.DeepEqual(resp.IsInBlackList, want) {
			t.Errorf("IsInBlackList = %v, want %v", resp.IsInBlackList, want)
		}
	})
}

// TestContactTimesInEitherUnit checks that friend and block-list times read
// the same whether the server sends milliseconds or seconds, and that the
// types round-trip through JSON.
func TestContactTimesInEitherUnit(t *testing.T) {
	t.Parallel()
	want := time.Date(2023, 11, 29, 2, 15, 30, 0, time.UTC)
	for _, raw := range []string{`1701224130`, `1701224130000`} {
		var f volcim.Friend
		if err := json.Unmarshal([]byte(`{"FriendUserId":1,"CreateTime":`+raw+`,"ApplyTime":`+raw+`,"ModifyTime":`+raw+`}`), &f); err != nil {
			t.Fatal(err)
		}
		if !f.CreateTime.Equal(want) || !f.ApplyTime.Equal(want) || !f.ModifyTime.Equal(want) {
			t.Errorf("%s read as %v, want %v", raw, f.CreateTime, want)
		}
		var e volcim.BlackListEntry
		if err := json.Unmarshal([]byte(`{"BlackListUserId":2,"CreateTime":`+raw+`,"ModifyTime":`+raw+`}`), &e); err != nil {
			t.Fatal(err)
		}
		if !e.CreateTime.Equal(want) || !e.ModifyTime.Equal(want) {
			t.Errorf("%s read as %v, want %v", raw, e.CreateTime, want)
		}
	}
	e := volcim.BlackListEntry{BlackListUserID: 3, Ext: map[string]string{"k": "v"}, CreateTime: want.Add(123 * time.Millisecond), ModifyTime: want,
		Friend: &volcim.Friend{FriendUserID: 3, Alias: "a", Ext: map[string]string{"x": "y"}, ApplyTime: want, CreateTime: want, ModifyTime: want}}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back volcim.BlackListEntry
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, e) {
		t.Errorf("round trip of %s: %+v, %v", b, back, err)
	}
	if !strings.Contains(string(b), `"CreateTime":1701224130123`) {
		t.Errorf("wire form %s: want milliseconds", b)
	}
	var zero volcim.Friend
	if err := json.Unmarshal([]byte(`{"FriendUserId":4}`), &zero); err != nil || !zero.CreateTime.IsZero() {
		t.Errorf("absent times: %+v, %v", zero, err)
	}
}
