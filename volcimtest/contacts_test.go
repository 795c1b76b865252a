package volcimtest_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// TestContactReplies checks the wire form of the contact replies: empty
// lists are [] (never null), the block-list check keys users by id as text,
// a list past its end says no more with a negative cursor, and
// RemoveBlackList answers no Result.
func TestContactReplies(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, tc := range []struct{ action, body, result string }{
		{"AddFriend", `{"AppId":1001,"UserId":1,"FriendUserIds":[2,3]}`, `{"FailedInfos":[]}`},
		{"DeleteFriend", `{"AppId":1001,"UserId":1,"DeleteUserIds":[3,4]}`, `{"FailedInfos":[]}`},
		{"IsFriend", `{"AppId":1001,"UserId":2,"FriendUserIds":[1,3]}`, `{"Infos":[{"FriendUserId":1,"IsFriend":true},{"FriendUserId":3,"IsFriend":false}]}`},
		{"ListFriend", `{"AppId":1001,"UserId":1,"Cursor":1}`, `{"FriendInfos":[],"HasMore":false,"NextCursor":-1,"TotalCount":0}`},
		{"ListFriend", `{"AppId":1001,"UserId":9,"NeedTotal":true}`, `{"FriendInfos":[],"HasMore":false,"NextCursor":-1,"TotalCount":0}`},
		{"AddBlackList", `{"AppId":1001,"UserId":1,"BlackListInfos":[{"BlackListUserId":5}]}`, `{"FailedInfos":[]}`},
		{"IsInBlackList", `{"AppId":1001,"UserId":1,"BlackListUserIds":[5,6]}`, `{"IsInBlackListInfos":{"5":true,"6":false}}`},
		{"GetBlackList", `{"AppId":1001,"UserId":1,"Cursor":7,"Limit":3,"NeedTotal":true}`, `{"BlackListInfos":[],"HasMore":false,"NextCursor":-1,"TotalCount":1}`},
		{"RemoveBlackList", `{"AppId":1001,"UserId":1,"BlackListUserIds":[5]}`, ``},
	} {
		r := post(t, srv, tc.action, tc.body)
		if r.status != 200 || r.code() != "" || string(r.env.Result) != tc.result {
			t.Errorf("%s %s: %d %s, Result %s, want %s", tc.action, tc.body, r.status, r.code(), r.env.Result, tc.result)
		}
	}
}

// TestContactServerChecks sends what volcim would refuse to send: the server
// answers the API's errors.
func TestContactServerChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, tc := range []struct{ action, body, code string }{
		{"AddFriend", `{"AppId":1001,"FriendUserIds":[2]}`, "InvalidParam"},
		{"AddFriend", `{"UserId":1,"FriendUserIds":[2]}`, "InvalidParam"},
		{"AddFriend", `{"AppId":0,"UserId":1,"FriendUserIds":[2]}`, "InvalidParam"},
		{"AddFriend", `{"AppId":1001,"UserId":1,"FriendUserIds":[1,2,3,4,5,6,7,8,9,10,11]}`, "InvalidParam"},
		{"AddFriend", `{"AppId":1001,"UserId":"1","FriendUserIds":[2]}`, "JsonParsingError"},
		{"AddFriend", `{"AppId":1001,"UserId":1,"InboxType":4294967296,"FriendUserIds":[2]}`, "JsonParsingError"},
		{"DeleteFriend", `{"AppId":1001,"UserId":1,"DeleteUserIds":[]}`, "InvalidParam"},
		{"UpdateFriend", `{"AppId":1001,"UserId":1,"FriendInfos":[{"FriendUserId":2,"Ext":null}]}`, "InvalidParam"},
		{"UpdateFriend", `{"AppId":1001,"UserId":1,"FriendInfos":[{"FriendUserId":2,"Ext":{}}]}`, "InvalidParam"},
		{"UpdateFriend", `{"AppId":1001,"UserId":1,"FriendInfos":[{"Alias":"x"}]}`, "InvalidParam"},
		{"UpdateFriend", `{"AppId":1001,"UserId":1,"FriendInfos":[{"FriendUserId":-2,"Alias":"x"}]}`, "InvalidParam"},
		{"UpdateFriend", `{"AppId":1001,"UserId":1}`, "InvalidParam"},
		{"ListFriend", `{"AppId":1001,"UserId":1,"Limit":21}`, "InvalidParam"},
		{"ListFriend", `{"AppId":1001,"UserId":1,"Limit":-1}`, "InvalidParam"},
		{"ListFriend", `{"AppId":1001,"UserId":1,"Cursor":-1}`, "InvalidParam"},
		{"IsFriend", `{"AppId":1001,"UserId":1,"FriendUserIds":[0]}`, "InvalidParam"},
		{"AddBlackList", `{"AppId":1001,"UserId":1,"BlackListInfos":[{}]}`, "InvalidParam"},
		{"AddBlackList", `{"AppId":1001,"UserId":1,"BlackListInfos":[]}`, "InvalidParam"},
		{"UpdateBlackList", `{"UserId":1,"BlackListInfos":[{"BlackListUserId":2}]}`, "InvalidParam"},
		{"UpdateBlackList", `{"AppId":1001,"UserId":1,"BlackListInfos":[{"BlackListUserId":0}]}`, "InvalidParam"},
		{"RemoveBlackList", `{"AppId":1001,"UserId":0,"BlackListUserIds":[2]}`, "InvalidParam"},
		{"GetBlackList", `{"AppId":1001,"UserId":1,"Cursor":0}`, "InvalidParam"},
		{"GetBlackList", `{"AppId":1001,"UserId":1,"Cursor":0,"Limit":0}`, "InvalidParam"},
		{"GetBlackList", `{"AppId":1001,"UserId":1,"Cursor":-4,"Limit":5}`, "InvalidParam"},
		{"IsInBlackList", `{"AppId":1001,"UserId":1}`, "InvalidParam"},
		{"IsInBlackList", `{"AppId":1001,"UserId":1,"BlackListUserIds":[1,2,3,4,5,6,7,8,9,10,11]}`, "InvalidParam"},
	} {
		if r := post(t, srv, tc.action, tc.body); r.code() != tc.code || r.status != 200 {
			t.Errorf("%s %s: %d %s, want %s", tc.action, tc.body, r.status, r.code(), tc.code)
		}
	}
}

// friendInfos lists the friends of user through the API.
func friendInfos(t *testing.T, srv *volcimtest.Server, inbox int, user int64) []volcim.Friend {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"AppId": testApp, "InboxType": inbox, "UserId": user, "Limit": 20})
	r := post(t, srv, "ListFriend", string(body))
	var res struct{ FriendInfos []volcim.Friend }
	if err := json.Unmarshal(r.env.Result, &res); err != nil {
		t.Fatalf("ListFriend: %v: %s", err, r.body)
	}
	return res.FriendInfos
}

// TestContactWritesAreIdempotent checks that writes sent again reach the
// same state: a friendship or block kept in its place with its CreateTime,
// Ext replaced only when the request has one; removals of what is not there
// succeed.
func TestContactWritesAreIdempotent(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	srv := newServer(t, volcimtest.WithClock(func() time.Time { return *clock.Load() }), volcimtest.WithMaxSkew(1<<62))
	post(t, srv, "AddFriend", `{"AppId":1001,"UserId":1,"FriendUserIds":[2,3],"Ext":{"a":"1"}}`)
	first := friendInfos(t, srv, 0, 1)
	later := now.Add(time.Hour)
	clock.Store(&later)
	for _, body := range []string{
		`{"AppId":1001,"UserId":1,"FriendUserIds":[2]}`,
		`{"AppId":1001,"UserId":1,"FriendUserIds":[3],"Ext":{"b":"2"}}`,
		`{"AppId":1001,"UserId":3,"FriendUserIds":[1]}`,
	} {
		if r := post(t, srv, "AddFriend", body); string(r.env.Result) != `{"FailedInfos":[]}` {
			t.Errorf("AddFriend again %s: %s", body, r.body)
		}
	}
	got := friendInfos(t, srv, 0, 1)
	want := []volcim.Friend{first[0], first[1]}
	want[1].Ext, want[1].ModifyTime = map[string]string{"b": "2"}, later
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after adding again: %+v, want %+v", got, want)
	}
	if r := post(t, srv, "DeleteFriend", `{"AppId":1001,"UserId":1,"DeleteUserIds":[9,2]}`); r.code() != "" {
		t.Errorf("DeleteFriend of a non-friend: %s", r.body)
	}
	if got := friendInfos(t, srv, 0, 1); len(got) != 1 || got[0].FriendUserID != 3 {
		t.Errorf("after DeleteFriend: %+v", got)
	}
	if got := friendInfos(t, srv, 0, 2); len(got) != 0 {
		t.Errorf("friends of 2 after DeleteFriend: %+v (it acts both ways)", got)
	}

	post(t, srv, "AddBlackList", `{"AppId":1001,"UserId":1,"BlackListInfos":[{"BlackListUserId":5,"BlackListUserExt":{"k":"v"}},{"BlackListUserId":6}]}`)
	post(t, srv, "AddBlackList", `{"AppId":1001,"UserId":1,"BlackListInfos":[{"BlackListUserId":5}]}`)
	r := post(t, srv, "GetBlackList", `{"AppId":1001,"UserId":1,"Cursor":0,"Limit":20}`)
	var res struct{ BlackListInfos []volcim.BlackListEntry }
	json.Unmarshal(r.env.Result, &res)
	if len(res.BlackListInfos) != 2 || res.BlackListInfos[0].BlackListUserID != 6 || res.BlackListInfos[1].Ext["k"] != "v" {
		t.Errorf("block list after blocking 5 again: %s", r.env.Result)
	}
}

// TestContactListsArePerInbox checks that friends and block lists of one
// inbox are not those of another, nor of another app.
func TestContactListsArePerInbox(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	post(t, srv, "AddFriend", `{"AppId":1001,"InboxType":3,"UserId":1,"FriendUserIds":[2]}`)
	post(t, srv, "AddBlackList", `{"AppId":1001,"InboxType":3,"UserId":1,"BlackListInfos":[{"BlackListUserId":2}]}`)
	for _, tc := range []struct{ action, body, result string }{
		{"IsFriend", `{"AppId":1001,"InboxType":3,"UserId":2,"FriendUserIds":[1]}`, `{"Infos":[{"FriendUserId":1,"IsFriend":true}]}`},
		{"IsFriend", `{"AppId":1001,"UserId":2,"FriendUserIds":[1]}`, `{"Infos":[{"FriendUserId":1,"IsFriend":false}]}`},
		{"IsFriend", `{"AppId":1002,"InboxType":3,"UserId":2,"FriendUserIds":[1]}`, `{"Infos":[{"FriendUserId":1,"IsFriend":false}]}`},
		{"IsInBlackList", `{"AppId":1001,"InboxType":3,"UserId":1,"BlackListUserIds":[2]}`, `{"IsInBlackListInfos":{"2":true}}`},
		{"IsInBlackList", `{"AppId":1001,"UserId":1,"BlackListUserIds":[2]}`, `{"IsInBlackListInfos":{"2":false}}`},
	} {
		if r := post(t, srv, tc.action, tc.body); string(r.env.Result) != tc.result {
			t.Errorf("%s %s: %s, want %s", tc.action, tc.body, r.env.Result, tc.result)
		}
	}
}

func TestContactSeedingPanicsOnMistakes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for name, f := range map[string]func(){
		"AddFriends app":     func() { srv.AddFriends(0, 0, 1, volcim.Friend{FriendUserID: 2}) },
		"AddFriends user":    func() { srv.AddFriends(1, 0, -1, volcim.Friend{FriendUserID: 2}) },
		"AddFriends friend":  func() { srv.AddFriends(1, 0, 1, volcim.Friend{}) },
		"AddFriends self":    func() { srv.AddFriends(1, 0, 1, volcim.Friend{FriendUserID: 1}) },
		"AddBlackList app":   func() { srv.AddBlackList(-1, 0, 1, volcim.BlackListEntry{BlackListUserID: 2}) },
		"AddBlackList user":  func() { srv.AddBlackList(1, 0, 0, volcim.BlackListEntry{BlackListUserID: 2}) },
		"AddBlackList entry": func() { srv.AddBlackList(1, 0, 1, volcim.BlackListEntry{BlackListUserID: -2}) },
		"AddBlackList self":  func() { srv.AddBlackList(1, 0, 1, volcim.BlackListEntry{BlackListUserID: 1}) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "volcimtest:") {
					t.Errorf("%s: recovered %v, want a volcimtest panic", name, r)
				}
			}()
			f()
		}()
	}
}

// TestAddFriendsSeedsBothSides checks the seeding helper: the user's side
// keeps the seeded fields, the friend's side gets the times.
func TestAddFriendsSeedsBothSides(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	at := time.Date(2023, 11, 29, 2, 15, 30, 123_000_000, time.UTC)
	srv.AddFriends(testApp, 2, 1, volcim.Friend{FriendUserID: 2, Alias: "老王", Ext: map[string]string{"k": "v"}, CreateTime: at, ApplyTime: at.Add(-time.Minute)})
	mine := friendInfos(t, srv, 2, 1)
	want := []volcim.Friend{{FriendUserID: 2, Alias: "老王", Ext: map[string]string{"k": "v"}, ApplyTime: at.Add(-time.Minute), CreateTime: at, ModifyTime: at}}
	if !reflect.DeepEqual(mine, want) {
		t.Errorf("user's side %+v, want %+v", mine, want)
	}
	theirs := friendInfos(t, srv, 2, 2)
	if len(theirs) != 1 || theirs[0].FriendUserID != 1 || theirs[0].Alias != "" || theirs[0].Ext != nil || !theirs[0].CreateTime.Equal(at) {
		t.Errorf("friend's side %+v", theirs)
	}
}
