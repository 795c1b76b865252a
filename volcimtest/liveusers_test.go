package volcimtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

const (
	liveConv    = 66
	groupConv   = 67
	dismissConv = 68
)

// newLiveServer starts a server with live group liveConv (members 10001
// and 10002), group groupConv and a dismissed live group dismissConv.
func newLiveServer(t *testing.T) *volcimtest.Server {
	t.Helper()
	srv := newServer(t, volcimtest.WithQPS(0))
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: liveConv, ConversationType: volcim.ConversationLiveGroup})
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: groupConv, ConversationType: volcim.ConversationGroup})
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: dismissConv, ConversationType: volcim.ConversationLiveGroup, Status: volcim.ConversationDismissed})
	srv.AddParticipants(testApp, liveConv, volcim.Participant{UserID: 10001, NickName: "甲"}, volcim.Participant{UserID: 10002})
	return srv
}

func TestLiveGroupAndUserBusinessErrors(t *testing.T) {
	t.Parallel()
	srv := newLiveServer(t)
	conv := func(id int64, rest string) string {
		return fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d%s}`, id, rest)
	}
	live := func(rest string) string { return conv(liveConv, rest) }
	infos := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`{"UserId":%d,"NickName":"n"}`, i+1)
		}
		return `,"ParticipantInfos":[` + strings.Join(parts, ",") + `]`
	}
	users := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`{"UserId":%d}`, i+1)
		}
		return `{"AppId":1001,"Users":[` + strings.Join(parts, ",") + `]}`
	}
	ids := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprint(i + 1)
		}
		return `{"AppId":1001,"UserIds":[` + strings.Join(parts, ",") + `]}`
	}
	future := time.Now().Add(time.Hour).UnixMilli()
	tests := []struct {
		action, body, code string
	}{
		// Every live-group action: the conversation must be a live group.
		{"BatchAddBlockParticipants", conv(groupConv, `,"ParticipantBlockInfos":{"10001":60}`), "OnlyLiveConversationSupport"},
		{"BatchAddBlockParticipants", conv(dismissConv, `,"ParticipantBlockInfos":{"10001":60}`), "ConversationNotFound"},
		{"BatchAddBlockParticipants", conv(999, `,"ParticipantBlockInfos":{"10001":60}`), "ConversationNotFound"},
		{"BatchDeleteBlockParticipants", conv(groupConv, `,"ParticipantUserIds":[1]`), "OnlyLiveConversationSupport"},
		{"BatchGetBlockParticipants", conv(groupConv, `,"Cursor":0,"Limit":20`), "OnlyLiveConversationSupport"},
		{"BatchAddWhitelistParticipant", conv(groupConv, `,"Operator":1,"ParticipantUserIds":[1]`), "OnlyLiveConversationSupport"},
		{"BatchRemoveWhitelistParticipant", conv(groupConv, `,"Operator":1,"ParticipantUserIds":[1]`), "OnlyLiveConversationSupport"},
		{"BatchGetWhitelistParticipant", conv(groupConv, `,"Cursor":0,"Limit":20`), "OnlyLiveConversationSupport"},
		{"BatchUpdateLiveParticipants", conv(groupConv, infos(1)), "OnlyLiveConversationSupport"},
		// BatchAddBlockParticipants
		{"BatchAddBlockParticipants", `{"ConversationShortId":66,"ParticipantBlockInfos":{"10001":60}}`, "InvalidParam"},
		{"BatchAddBlockParticipants", `{"AppId":1001,"ParticipantBlockInfos":{"10001":60}}`, "InvalidParam"},
		{"BatchAddBlockParticipants", live(``), "InvalidParam"},
		{"BatchAddBlockParticipants", live(`,"ParticipantBlockInfos":{}`), "InvalidParam"},
		{"BatchAddBlockParticipants", live(`,"ParticipantBlockInfos":{"alice":60}`), "InvalidParam"},
		{"BatchAddBlockParticipants", live(`,"ParticipantBlockInfos":{"0":60}`), "InvalidParam"},
		{"BatchAddBlockParticipants", live(`,"ParticipantBlockInfos":{"10001":0}`), "InvalidParam"},
		{"BatchAddBlockParticipants", live(`,"ParticipantBlockInfosStr":{"":60}`), "InvalidParam"},
		{"BatchAddBlockParticipants", live(`,"ParticipantBlockInfos":{"10001":60},"BlockAction":2`), "InvalidParam"},
		{"BatchAddBlockParticipants", live(`,"ParticipantBlockInfos":{"10001":"60"}`), "JsonParsingError"},
		// BatchDeleteBlockParticipants
		{"BatchDeleteBlockParticipants", live(``), "InvalidParam"},
		{"BatchDeleteBlockParticipants", live(`,"ParticipantUserIds":[0]`), "InvalidParam"},
		{"BatchDeleteBlockParticipants", live(`,"ParticipantUserIdsStr":[""]`), "InvalidParam"},
		{"BatchDeleteBlockParticipants", live(`,"ParticipantUserIds":[1],"BlockAction":-1`), "InvalidParam"},
		// The lists
		{"BatchGetBlockParticipants", live(`,"Limit":20`), "InvalidParam"},
		{"BatchGetBlockParticipants", live(`,"Cursor":-1,"Limit":20`), "InvalidParam"},
		{"BatchGetBlockParticipants", live(`,"Cursor":0`), "InvalidParam"},
		{"BatchGetBlockParticipants", live(`,"Cursor":0,"Limit":21`), "InvalidParam"},
		{"BatchGetBlockParticipants", live(`,"Cursor":0,"Limit":20,"BlockAction":3`), "InvalidParam"},
		{"BatchGetWhitelistParticipant", live(`,"Cursor":0,"Limit":0`), "InvalidParam"},
		{"BatchGetWhitelistParticipant", conv(999, `,"Cursor":0,"Limit":20`), "ConversationNotFound"},
		// Whitelist writes
		{"BatchAddWhitelistParticipant", live(`,"ParticipantUserIds":[1]`), "InvalidParam"},
		{"BatchAddWhitelistParticipant", live(`,"Operator":0,"ParticipantUserIds":[1]`), "InvalidParam"},
		{"BatchAddWhitelistParticipant", live(`,"Operator":1`), "InvalidParam"},
		{"BatchRemoveWhitelistParticipant", live(`,"Operator":1,"ParticipantUserIds":[-1]`), "InvalidParam"},
		// BatchUpdateLiveParticipants
		{"BatchUpdateLiveParticipants", live(``), "InvalidParam"},
		{"BatchUpdateLiveParticipants", live(infos(11)), "InvalidParam"},
		{"BatchUpdateLiveParticipants", live(`,"ParticipantInfos":[{"UserId":1,"Marks":["m"]}]`), "InvalidParam"},
		{"BatchUpdateLiveParticipants", live(`,"ParticipantInfos":[{"NickName":"n"}]`), "InvalidParam"},
		{"BatchUpdateLiveParticipants", live(infos(1) + `,"MarkAction":0`), "InvalidParam"},
		// Users
		{"RegisterUsers", `{"Users":[{"UserId":1}]}`, "InvalidParam"},
		{"RegisterUsers", `{"AppId":1001,"Users":[]}`, "InvalidParam"},
		{"RegisterUsers", users(21), "InvalidParam"},
		{"RegisterUsers", `{"AppId":1001,"Users":[{"NickName":"n"}]}`, "InvalidParam"},
		{"RegisterUsers", `{"AppId":1001,"Users":[{"UserId":1,"NickName":"` + strings.Repeat("n", 101) + `"}]}`, "InvalidParam"},
		{"RegisterUsers", `{"AppId":1001,"Users":[{"UserId":1,"Portrait":"` + strings.Repeat("p", 501) + `"}]}`, "InvalidParam"},
		{"RegisterUsers", `{"AppId":1001,"Users":[{"UserId":1,"Ext":{"s:k":"v"}}]}`, "InvalidParam"},
		{"RegisterUsers", `{"AppId":1001,"Users":[{"UserId":1,"Ext":{"k":"` + strings.Repeat("v", 501) + `"}}]}`, "InvalidParam"},
		{"RegisterUsers", `{"AppId":1001,"Users":[{"UserId":1,"IsRobot":"yes"}]}`, "JsonParsingError"},
		{"UnRegisterUsers", ids(11), "InvalidParam"},
		{"UnRegisterUsers", `{"AppId":1001,"UserIds":[]}`, "InvalidParam"},
		{"BatchGetUser", ids(51), "InvalidParam"},
		{"BatchGetUser", `{"AppId":1001,"UserIds":[0]}`, "InvalidParam"},
		{"BatchUpdateUser", users(11), "InvalidParam"},
		{"BatchUpdateUser", `{"AppId":1001,"Users":[{"UserId":1,"Ext":{"":"v"}}]}`, "InvalidParam"},
		{"BatchUpdateUserTags", `{"AppId":1001,"UserIds":[1]}`, "InvalidParam"},
		{"BatchUpdateUserTags", `{"AppId":1001,"Tags":["t"]}`, "InvalidParam"},
		{"BatchUpdateUserTags", `{"AppId":1001,"UserIds":[1],"Tags":["t"],"Op":2}`, "InvalidParam"},
		{"GetAppToken", fmt.Sprintf(`{"AppId":1001,"ExpireTime":%d}`, future), "InvalidParam"},
		{"GetAppToken", `{"AppId":1001,"UserId":1}`, "InvalidParam"},
		{"GetAppToken", `{"AppId":1001,"UserId":1,"ExpireTime":1704067200000}`, "InvalidParam"},
		{"QueryOnlineStatus", ids(101), "InvalidParam"},
		{"QueryOnlineStatus", `{"UserIds":[1]}`, "InvalidParam"},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.body, func(t *testing.T) {
			t.Parallel()
			r := post(t, srv, tt.action, tt.body)
			if r.status != http.StatusOK || r.code() != tt.code {
				t.Fatalf("got %d %q, want 200 %q: %s", r.status, r.code(), tt.code, r.body)
			}
			if e := r.env.ResponseMetadata.Error; e.CodeN == 0 || e.Message == "" {
				t.Errorf("Error lacks CodeN or Message: %+v", e)
			}
		})
	}
}

// result posts a request that must succeed and returns its Result,
// decoded generically.
func liveResult(t *testing.T, srv *volcimtest.Server, action, body string) map[string]any {
	t.Helper()
	r := post(t, srv, action, body)
	if r.status != http.StatusOK || r.code() != "" {
		t.Fatalf("%s: %d %s: %s", action, r.status, r.code(), r.body)
	}
	var res map[string]any
	if err := json.Unmarshal(r.env.Result, &res); err != nil {
		t.Fatalf("%s: Result %s: %v", action, r.env.Result, err)
	}
	return res
}

// TestLiveListWireShape checks the lists' replies as the official model
// has them: every member field present, never null, -1 after the last page.
func TestLiveListWireShape(t *testing.T) {
	t.Parallel()
	srv := newLiveServer(t)
	empty := liveResult(t, srv, "BatchGetBlockParticipants", `{"AppId":1001,"ConversationShortId":66,"Cursor":0,"Limit":20}`)
	if !reflect.DeepEqual(empty, map[string]any{"HasMore": false, "NextCursor": -1.0, "Participants": []any{}}) {
		t.Errorf("empty list: %v", empty)
	}
	res := liveResult(t, srv, "BatchAddBlockParticipants", `{"AppId":1001,"ConversationShortId":66,"BlockAction":1,"ParticipantBlockInfos":{"10002":60,"5":60}}`)
	if !reflect.DeepEqual(res, map[string]any{"FailedParticipantUserIds": []any{}}) {
		t.Errorf("add: %v", res)
	}
	page := liveResult(t, srv, "BatchGetBlockParticipants", `{"AppId":1001,"ConversationShortId":66,"Cursor":0,"Limit":1,"BlockAction":1}`)
	p := page["Participants"].([]any)[0].(map[string]any)
	for _, k := range []string{"ParticipantUserId", "CreateTime", "BlockTime", "NickName", "AvatarUrl", "Ext", "Marks"} {
		if v, ok := p[k]; !ok || v == nil {
			t.Errorf("block member lacks %s: %v", k, p)
		}
	}
	if page["HasMore"] != true || page["NextCursor"] != 1.0 || p["ParticipantUserId"] != 5.0 {
		t.Errorf("page %v", page)
	}
	if p["BlockTime"].(float64)-p["CreateTime"].(float64) != 60 {
		t.Errorf("a 60 s ban: %v", p)
	}
	res = liveResult(t, srv, "BatchAddWhitelistParticipant", `{"AppId":1001,"ConversationShortId":66,"Operator":1,"ParticipantUserIds":[10001,3],"ParticipantUserIdsStr":["s"]}`)
	if !reflect.DeepEqual(res, map[string]any{"FailedUserIds": []any{3.0}, "FailedUserIdsStr": []any{"s"}}) {
		t.Errorf("whitelist add: %v", res)
	}
	page = liveResult(t, srv, "BatchGetWhitelistParticipant", `{"AppId":1001,"ConversationShortId":66,"Cursor":0,"Limit":20}`)
	w := page["Participants"].([]any)[0].(map[string]any)
	for _, k := range []string{"ParticipantUserId", "CreateTime", "Operator", "NickName", "AvatarUrl", "Ext", "Marks"} {
		if v, ok := w[k]; !ok || v == nil {
			t.Errorf("whitelist member lacks %s: %v", k, w)
		}
	}
	if w["NickName"] != "甲" || page["NextCursor"] != -1.0 {
		t.Errorf("whitelist page %v", page)
	}
	res = liveResult(t, srv, "BatchUpdateLiveParticipants", `{"AppId":1001,"ConversationShortId":66,"ParticipantInfos":[{"UserId":10001,"NickName":"乙"}]}`)
	if !reflect.DeepEqual(res, map[string]any{"FailedInfos": []any{}}) {
		t.Errorf("update: %v", res)
	}
	// A cursor past the end is an empty last page.
	past := liveResult(t, srv, "BatchGetWhitelistParticipant", `{"AppId":1001,"ConversationShortId":66,"Cursor":50,"Limit":20}`)
	if !reflect.DeepEqual(past, map[string]any{"HasMore": false, "NextCursor": -1.0, "Participants": []any{}}) {
		t.Errorf("past the end: %v", past)
	}
}

func TestUserWireShape(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 3, 1, 8, 0, 0, 123_000_000, time.UTC)
	srv := newServer(t, volcimtest.WithQPS(0))
	srv.AddUsers(testApp, volcim.User{UserID: 1, NickName: "n", CreateTime: at})
	res := liveResult(t, srv, "BatchGetUser", `{"AppId":1001,"UserIds":[1,2]}`)
	want := map[string]any{
		"NotFoundUsers": []any{2.0},
		"Users": []any{map[string]any{"AppId": 1001.0, "UserId": 1.0, "NickName": "n", "Portrait": "", "Ext": map[string]any{},
			"CreateTime": float64(at.UnixMilli()), "ModifyTime": float64(at.UnixMilli())}},
	}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("BatchGetUser:\n got %v\nwant %v", res, want)
	}
	none := liveResult(t, srv, "BatchGetUser", `{"AppId":9,"UserIds":[1]}`)
	if !reflect.DeepEqual(none, map[string]any{"NotFoundUsers": []any{1.0}, "Users": []any{}}) {
		t.Errorf("another app: %v", none)
	}
	online := liveResult(t, srv, "QueryOnlineStatus", `{"AppId":1001,"UserIds":[1]}`)
	if !reflect.DeepEqual(online, map[string]any{"AppId": 1001.0, "QueryOnlineResults": map[string]any{}}) {
		t.Errorf("nobody online: %v", online)
	}
	tags := liveResult(t, srv, "BatchUpdateUserTags", `{"AppId":1001,"UserIds":[1,7],"Tags":["t"]}`)
	if !reflect.DeepEqual(tags, map[string]any{"FailedInfos": []any{map[string]any{"UserId": 7.0, "Code": "UserNotFound", "Message": "user 7 is not registered"}}}) {
		t.Errorf("tags: %v", tags)
	}
	tok := liveResult(t, srv, "GetAppToken", fmt.Sprintf(`{"AppId":1001,"UserIdStr":"alice","ExpireTime":%d}`, time.Now().Add(time.Hour).UnixMilli()))
	if tok["AppId"] != 1001.0 || tok["UserId"] != 0.0 || tok["UserIdStr"] != "alice" || !strings.HasPrefix(tok["Token"].(string), "vimt1.") {
		t.Errorf("token reply %v", tok)
	}
}

func TestUserSeedingHelpersPanic(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for name, f := range map[string]func(){
		"AddUsers appID 0":  func() { srv.AddUsers(0, volcim.User{UserID: 1}) },
		"AddUsers UserID 0": func() { srv.AddUsers(1, volcim.User{}) },
		"SetOnline appID 0": func() { srv.SetOnline(0, 1) },
		"SetOnline user -1": func() { srv.SetOnline(1, -1) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

// TestServerPrintsNoTokenKey: issuing tokens adds a signing key to the
// server, which no printing of the server shows.
func TestServerPrintsNoTokenKey(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tok := liveResult(t, srv, "GetAppToken", fmt.Sprintf(`{"AppId":1001,"UserId":1,"ExpireTime":%d}`, time.Now().Add(time.Hour).UnixMilli()))["Token"].(string)
	if _, err := srv.VerifyAppToken(tok); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{fmt.Sprintf("%v", srv), fmt.Sprintf("%+v", srv), fmt.Sprintf("%#v", srv)} {
		if strings.Contains(out, "tokenKey") || strings.Contains(out, tok) {
			t.Errorf("printed %s", out)
		}
	}
}
