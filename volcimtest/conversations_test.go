package volcimtest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// result decodes a reply's Result into v, failing the test on an error
// reply.
func result(t *testing.T, r rawReply, v any) {
	t.Helper()
	if r.status != 200 || r.code() != "" {
		t.Fatalf("reply %d %s: %s", r.status, r.code(), r.body)
	}
	if err := json.Unmarshal(r.env.Result, v); err != nil {
		t.Fatalf("Result %s: %v", r.env.Result, err)
	}
}

// create creates a conversation through the wire and returns its id.
func create(t *testing.T, srv *volcimtest.Server, body string) int64 {
	t.Helper()
	var res struct {
		ConversationShortID int64 `json:"ConversationShortId"`
	}
	result(t, post(t, srv, "CreateConversation", body), &res)
	return res.ConversationShortID
}

// TestConvRequestChecks checks what each conversation action refuses, and
// with which code.
func TestConvRequestChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithQPS(1<<20))
	group := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":2},"OwnerUserId":1}`)
	one := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":1},"OwnerUserId":1,"OtherUserId":2}`)
	for _, tc := range []struct {
		action, body, code string
	}{
		{"CreateConversation", `{"ConversationCoreInfo":{"ConversationType":2},"OwnerUserId":1}`, "InvalidParam"},
		{"CreateConversation", `{"AppId":1001,"OwnerUserId":1}`, "InvalidParam"},
		{"CreateConversation", `{"AppId":1001,"ConversationCoreInfo":{},"OwnerUserId":1}`, "InvalidParam"},
		{"CreateConversation", `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":3},"OwnerUserId":1}`, "InvalidParam"},
		{"CreateConversation", `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":2}}`, "InvalidParam"},
		{"CreateConversation", `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":2},"OwnerUserId":-1}`, "InvalidParam"},
		{"CreateConversation", `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":1},"OwnerUserId":1}`, "CreateSingleConversationNeedOtherParticipantId"},
		{"CreateConversation", `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":"2"},"OwnerUserId":1}`, "JsonParsingError"},
		{"ModifyConversation", `{"AppId":1001}`, "InvalidParam"},
		{"ModifyConversation", `{"AppId":1001,"ConversationCoreInfo":{}}`, "InvalidParam"},
		{"ModifyConversation", `{"AppId":1001,"ConversationCoreInfo":{"ConversationShortId":5}}`, "ConversationNotFound"},
		{"ModifyConversation", fmt.Sprintf(`{"AppId":1001,"ConversationCoreInfo":{"ConversationShortId":%d,"OwnerUserId":-1}}`, group), "InvalidParam"},
		{"ModifyConversation", fmt.Sprintf(`{"AppId":1001,"ConversationCoreInfo":{"ConversationShortId":%d,"OwnerUserId":2}}`, one), "SingleConversationNotSupport"},
		{"DestroyConversation", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d}`, group), "InvalidParam"},
		{"DestroyConversation", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"OwnerUserId":2}`, group), "OnlyOwnerCanOperator"},
		{"DestroyConversation", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"OwnerUserId":1}`, one), "SingleConversationNotSupport"},
		{"GetUserConversations", `{"AppId":1001,"Cursor":0,"Limit":20}`, "InvalidParam"},
		{"GetUserConversations", `{"AppId":1001,"ParticipantUserId":1,"Limit":20}`, "InvalidParam"},
		{"GetUserConversations", `{"AppId":1001,"ParticipantUserId":1,"Cursor":-1,"Limit":20}`, "InvalidParam"},
		{"GetUserConversations", `{"AppId":1001,"ParticipantUserId":1,"Cursor":0}`, "InvalidParam"},
		{"GetUserConversations", `{"AppId":1001,"ParticipantUserId":1,"Cursor":0,"Limit":21}`, "InvalidParam"},
		{"GetUserConversations", `{"AppId":1001,"ParticipantUserId":1,"Cursor":0,"Limit":20,"DataType":3}`, "InvalidParam"},
		{"GetConversationSetting", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d}`, group), "InvalidParam"},
		{"GetConversationSetting", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserId":9}`, group), "SettingNotFound"},
		{"ModifyConversationSetting", `{"AppId":1001}`, "InvalidParam"},
		{"ModifyConversationSetting", fmt.Sprintf(`{"AppId":1001,"ConversationSettingInfo":{"ConversationShortId":%d}}`, group), "InvalidParam"},
		{"ModifyConversationSetting", fmt.Sprintf(`{"AppId":1001,"ConversationSettingInfo":{"ConversationShortId":%d,"ParticipantUserId":1,"IsStickTop":true,"StickTopTime":-1}}`, group), "InvalidParam"},
		{"ModifyConversationSetting", fmt.Sprintf(`{"AppId":1001,"ConversationSettingInfo":{"ConversationShortId":%d,"ParticipantUserId":9}}`, group), "ParticipantNotInConversation"},
		{"MarkConversation", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d}`, group), "InvalidParam"},
		{"MarkConversation", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"MarkTypes":["a"],"MarkAction":3}`, group), "InvalidParam"},
		{"MarkConversation", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"MarkTypes":[""]}`, group), "InvalidParam"},
		{"MarkConversation", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"MarkTypes":["a"]}`, group), "OnlyLiveConversationSupport"},
		{"GetConversationMarks", `{"AppId":1001}`, "InvalidParam"},
		{"GetConversationMarks", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d}`, one), "OnlyLiveConversationSupport"},
		{"GetConversationUserCount", `{"AppId":1001,"ConversationShortId":0}`, "InvalidParam"},
		{"GetConversationUserCount", `{"AppId":1001,"ConversationShortId":77}`, "ConversationNotFound"},
	} {
		r := post(t, srv, tc.action, tc.body)
		if r.code() != tc.code || r.status != 200 || r.env.Result != nil {
			t.Errorf("%s %s: %d %s %s, want %s", tc.action, tc.body, r.status, r.code(), r.env.Result, tc.code)
		}
	}
}

// TestConvWireShapes checks replies the official client decodes: the
// shapes of the results, empty lists as [], and the one-to-one key.
func TestConvWireShapes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	live := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":100,"Name":"直播"},"OwnerUserId":1}`)
	r := post(t, srv, "GetConversationMarks", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d}`, live))
	if string(r.env.Result) != `{"MarkTypes":[]}` {
		t.Errorf("marks of a new live group: %s", r.env.Result)
	}
	r = post(t, srv, "MarkConversation", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"MarkTypes":["a"]}`, live))
	if r.code() != "" || r.env.Result != nil {
		t.Errorf("MarkConversation: %s", r.body)
	}
	// The official client sends no key for a one-to-one conversation; the
	// two users, either way round, find one conversation.
	a := post(t, srv, "CreateConversation", `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":1},"OwnerUserIdStr":"ann","OtherUserIdStr":"bo"}`)
	b := post(t, srv, "CreateConversation", `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":1},"OwnerUserIdStr":"bo","OtherUserIdStr":"ann"}`)
	var ra, rb struct {
		ConversationShortID int64 `json:"ConversationShortId"`
		Exist               bool
		ConversationInfo    volcim.Conversation
	}
	result(t, a, &ra)
	result(t, b, &rb)
	if ra.Exist || !rb.Exist || ra.ConversationShortID != rb.ConversationShortID || ra.ConversationInfo.OtherUserIDStr != "bo" || ra.ConversationInfo.MemberCount != 0 {
		t.Errorf("one-to-one by string ids: %+v then %+v", ra, rb)
	}
	// A different inbox is a different conversation.
	c := post(t, srv, "CreateConversation", `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":1},"OwnerUserIdStr":"bo","OtherUserIdStr":"ann","InboxType":2}`)
	var rc struct {
		Exist bool
	}
	result(t, c, &rc)
	if rc.Exist {
		t.Error("another inbox found the same one-to-one conversation")
	}
	r = post(t, srv, "GetUserConversations", `{"AppId":1001,"ParticipantUserId":404,"Cursor":0,"Limit":5}`)
	if string(r.env.Result) != `{"ConversationInfos":[],"HasMore":false,"NextCursor":0}` {
		t.Errorf("no conversations: %s", r.env.Result)
	}
	// The creator of a live group lists it under DataType 2.
	var lives struct {
		ConversationInfos []volcim.Conversation
	}
	result(t, post(t, srv, "GetUserConversations", `{"AppId":1001,"ParticipantUserId":1,"Cursor":0,"Limit":5,"DataType":2}`), &lives)
	if len(lives.ConversationInfos) != 1 || lives.ConversationInfos[0].ConversationShortID != live || lives.ConversationInfos[0].Name != "直播" {
		t.Errorf("live groups created: %+v", lives)
	}
	// A dismissed group's key is free again.
	g := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":2},"OwnerUserId":1,"IdempotentId":"k"}`)
	if r := post(t, srv, "DestroyConversation", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"OwnerUserId":1}`, g)); r.code() != "" {
		t.Fatal(r.code())
	}
	if again := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":2},"OwnerUserId":1,"IdempotentId":"k"}`); again == g {
		t.Error("a dismissed group's key still finds it")
	}
	// Keys are per app.
	other := create(t, srv, `{"AppId":1002,"ConversationCoreInfo":{"ConversationType":2},"OwnerUserId":1,"IdempotentId":"k"}`)
	if other == g {
		t.Error("another app found the group")
	}
}

// TestConvSettingsOfASeededConversation: a conversation seeded without
// members gives any user default settings.
func TestConvSettingsOfASeededConversation(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: testConv, ConversationType: volcim.ConversationGroup, ConversationID: "c"})
	var res struct {
		ConversationSettingInfo volcim.ConversationSetting
	}
	result(t, post(t, srv, "GetConversationSetting", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserId":5}`, testConv)), &res)
	want := volcim.ConversationSetting{AppID: testApp, ConversationShortID: testConv, ConversationID: "c", ConversationType: volcim.ConversationGroup, UserID: 5}
	if res.ConversationSettingInfo.UserID != 5 || fmt.Sprint(res.ConversationSettingInfo) != fmt.Sprint(want) {
		t.Errorf("settings %+v", res.ConversationSettingInfo)
	}
	r := post(t, srv, "ModifyConversationSetting", fmt.Sprintf(`{"AppId":1001,"ConversationSettingInfo":{"ConversationShortId":%d,"ParticipantUserId":5,"IsMute":true}}`, testConv))
	if r.code() != "" {
		t.Fatal(r.code())
	}
	result(t, post(t, srv, "GetConversationSetting", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserId":5}`, testConv)), &res)
	if !res.ConversationSettingInfo.IsMute {
		t.Errorf("mute did not persist: %+v", res.ConversationSettingInfo)
	}
	if !strings.Contains(string(post(t, srv, "GetConversationSetting", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserIdStr":"x"}`, testConv)).body), "SettingNotFound") {
		t.Error("a string id unknown to a seeded conversation has settings")
	}
}
