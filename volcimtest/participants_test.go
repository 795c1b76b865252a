package volcimtest_test

import (
	"fmt"
	"strings"
	"testing"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// TestMemberRequestChecks checks what each member action refuses, and with
// which code.
func TestMemberRequestChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithQPS(1<<20))
	group := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":2},"OwnerUserId":1}`)
	one := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":1},"OwnerUserId":1,"OtherUserId":2}`)
	g := func(format string) string { return fmt.Sprintf(format, group) }
	for _, tc := range []struct {
		action, body, code string
	}{
		{"BatchAddConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"ParticipantInfos":[{"ParticipantUserId":2}]}`), "InvalidParam"},
		{"BatchAddConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":0,"ParticipantInfos":[{"ParticipantUserId":2}]}`), "InvalidParam"},
		{"BatchAddConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantInfos":[]}`), "InvalidParam"},
		{"BatchAddConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantInfos":[{}]}`), "InvalidParam"},
		{"BatchAddConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantInfos":[{"ParticipantUserId":2,"ReadIndex":-1}]}`), "InvalidParam"},
		{"BatchAddConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantInfos":[{"ParticipantUserId":2,"Role":1}]}`), "OwnerShouldBeEqual"},
		{"BatchAddConversationParticipant", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantInfos":[{"ParticipantUserId":3}]}`, one), "SingleConversationNotSupport"},
		{"BatchAddConversationParticipant", `{"AppId":1001,"ConversationShortId":5,"Operator":1,"ParticipantInfos":[{"ParticipantUserId":3}]}`, "ConversationNotFound"},
		{"BatchDeleteConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserIds":[2]}`), "InvalidParam"},
		{"BatchDeleteConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1}`), "InvalidParam"},
		{"BatchDeleteConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantUserIds":[0]}`), "InvalidParam"},
		{"BatchModifyConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1}`), "InvalidParam"},
		{"BatchModifyConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantInfos":[{"ParticipantUserId":1,"BlockTime":-1}]}`), "InvalidParam"},
		{"BatchModifyConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantInfos":[{"ParticipantUserId":2,"Role":1}]}`), "OwnerShouldBeEqual"},
		{"BatchGetConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d}`), "InvalidParam"},
		{"IsUserInConversation", g(`{"AppId":1001,"ConversationShortId":%d}`), "InvalidParam"},
		{"IsUserInConversation", `{"AppId":1001,"ConversationShortId":5,"ParticipantUserId":1}`, "ConversationNotFound"},
		{"ScanConversationParticipantList", g(`{"AppId":1001,"ConversationShortId":%d,"Limit":20}`), "InvalidParam"},
		{"ScanConversationParticipantList", g(`{"AppId":1001,"ConversationShortId":%d,"Cursor":2147483648,"Limit":20}`), "InvalidParam"},
		{"ScanConversationParticipantList", g(`{"AppId":1001,"ConversationShortId":%d,"Cursor":0}`), "InvalidParam"},
		{"ScanConversationParticipantList", g(`{"AppId":1001,"ConversationShortId":%d,"Cursor":0,"Limit":21}`), "InvalidParam"},
		{"ScanConversationParticipantList", g(`{"AppId":1001,"ConversationShortId":%d,"Cursor":0,"Limit":51,"OnlyUserIds":true}`), "InvalidParam"},
		{"BatchAddManager", g(`{"AppId":1001,"ConversationShortId":%d,"ManagerUserIds":[1]}`), "InvalidParam"},
		{"BatchAddManager", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1}`), "InvalidParam"},
		{"BatchAddManager", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ManagerUserIds":[1]}`), "OnlyLiveConversationSupport"},
		{"BatchRemoveManager", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"RemoveManagerUserIdsStr":[""]}`), "InvalidParam"},
		{"BatchRemoveManager", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"RemoveManagerUserIds":[1]}`), "OnlyLiveConversationSupport"},
		{"GetParticipantReadIndex", `{"AppId":1001}`, "InvalidParam"},
		{"ModifyParticipantReadIndex", g(`{"AppId":1001,"ConversationShortId":%d,"ReadIndex":5}`), "InvalidParam"},
		{"ModifyParticipantReadIndex", g(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserId":1}`), "InvalidParam"},
		{"ModifyParticipantReadIndex", g(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserId":1,"ReadIndex":0}`), "InvalidParam"},
		{"ModifyParticipantReadIndex", g(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserId":9,"ReadIndex":5}`), "ParticipantNotInConversation"},
		{"QueryLiveParticipantStatus", g(`{"AppId":1001,"ConversationShortId":%d}`), "InvalidParam"},
		{"QueryLiveParticipantStatus", g(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserIds":[1]}`), "OnlyLiveConversationSupport"},
	} {
		r := post(t, srv, tc.action, tc.body)
		if r.code() != tc.code || r.status != 200 || r.env.Result != nil {
			t.Errorf("%s %s: %d %s %s, want %s", tc.action, tc.body, r.status, r.code(), r.env.Result, tc.code)
		}
	}
}

func TestMemberWireShapes(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithQPS(1<<20))
	group := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":2},"OwnerUserId":1}`)
	g := func(format string, args ...any) string { return fmt.Sprintf(format, append([]any{group}, args...)...) }
	// An invalid role becomes an ordinary member, as documented.
	r := post(t, srv, "BatchAddConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantInfos":[{"ParticipantUserId":2,"Role":9},{"ParticipantUserId":3,"Role":2},{"ParticipantUserId":2}]}`))
	if string(r.env.Result) != `{"FailedUserIds":[]}` {
		t.Errorf("add: %s", r.body)
	}
	var got struct {
		Participants []volcim.Participant
	}
	result(t, post(t, srv, "BatchGetConversationParticipant", g(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserIds":[2,3,2]}`)), &got)
	if len(got.Participants) != 2 || got.Participants[0].Role != volcim.RoleMember || got.Participants[1].Role != volcim.RoleManager {
		t.Errorf("members %+v", got.Participants)
	}
	// The last page's NextCursor is -1; ids-only members carry no other field.
	r = post(t, srv, "ScanConversationParticipantList", g(`{"AppId":1001,"ConversationShortId":%d,"Cursor":1,"Limit":50,"OnlyUserIds":true}`))
	want := g(`{"HasMore":false,"NextCursor":-1,"Participants":[{"ConversationShortId":%d,"ParticipantUserId":2},{"ConversationShortId":%[1]d,"ParticipantUserId":3}]}`)
	if string(r.env.Result) != want {
		t.Errorf("scan\n got %s\nwant %s", r.env.Result, want)
	}
	r = post(t, srv, "ScanConversationParticipantList", g(`{"AppId":1001,"ConversationShortId":%d,"Cursor":9,"Limit":5}`))
	if string(r.env.Result) != `{"HasMore":false,"NextCursor":-1,"Participants":[]}` {
		t.Errorf("scan beyond the end: %s", r.env.Result)
	}
	r = post(t, srv, "GetParticipantReadIndex", g(`{"AppId":1001,"ConversationShortId":%d}`))
	if string(r.env.Result) != `{"ReadIndexes":[]}` {
		t.Errorf("no read index: %s", r.env.Result)
	}
	r = post(t, srv, "IsUserInConversation", g(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserId":3}`))
	if string(r.env.Result) != `{"IsUserInConversation":true}` {
		t.Errorf("IsUserInConversation: %s", r.env.Result)
	}
	r = post(t, srv, "GetConversationUserCount", g(`{"AppId":1001,"ConversationShortId":%d}`))
	if string(r.env.Result) != `{"Count":3}` {
		t.Errorf("count: %s", r.env.Result)
	}
}

func TestMemberLiveGroupStringIDs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	live := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":100},"OwnerUserId":1}`)
	srv.AddParticipants(testApp, live, volcim.Participant{UserID: 2, UserIDStr: "two"}, volcim.Participant{UserID: 3, UserIDStr: "three"})
	l := func(format string) string { return fmt.Sprintf(format, live) }
	r := post(t, srv, "BatchAddManager", l(`{"AppId":1001,"ConversationShortId":%d,"OperatorStr":"one","ManagerUserIds":[],"ManagerUserIdsStr":["two","nobody"]}`))
	if string(r.env.Result) != `{"FailedManagerUserIds":[],"FailedManagerUserIdsStr":["nobody"]}` {
		t.Errorf("add managers by string id: %s", r.body)
	}
	r = post(t, srv, "ModifyParticipantReadIndex", l(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserIdStr":"three","ReadIndex":7}`))
	if r.code() != "" {
		t.Errorf("read index by string id: %s", r.body)
	}
	ids := make([]string, 0, 250)
	for i := range 250 {
		ids = append(ids, fmt.Sprint(i+1))
	}
	var st struct {
		Status []volcim.LiveParticipantStatus
	}
	result(t, post(t, srv, "QueryLiveParticipantStatus", l(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserIds":[`+strings.Join(ids, ",")+`],"ParticipantUserIdsStr":["two"]}`)), &st)
	if len(st.Status) != 200 || !st.Status[1].InConversation || st.Status[1].UserIDStr != "two" || st.Status[4].InConversation || st.Status[199].UserID != 200 {
		t.Errorf("%d statuses: %+v", len(st.Status), st.Status[:5])
	}
	result(t, post(t, srv, "QueryLiveParticipantStatus", l(`{"AppId":1001,"ConversationShortId":%d,"ParticipantUserIdsStr":["three","x"]}`)), &st)
	if len(st.Status) != 2 || st.Status[0].UserID != 3 || !st.Status[0].InConversation || st.Status[1].InConversation || st.Status[1].UserIDStr != "x" {
		t.Errorf("statuses by string id %+v", st.Status)
	}
}

// TestMemberLimitOfALiveGroup fills a live group to its 10,000 members.
func TestMemberLimitOfALiveGroup(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	live := create(t, srv, `{"AppId":1001,"ConversationCoreInfo":{"ConversationType":100},"OwnerUserId":1}`)
	ps := make([]volcim.Participant, 0, 9999)
	for u := int64(2); u <= 10000; u++ {
		ps = append(ps, volcim.Participant{UserID: u})
	}
	srv.AddParticipants(testApp, live, ps...)
	r := post(t, srv, "BatchAddConversationParticipant", fmt.Sprintf(`{"AppId":1001,"ConversationShortId":%d,"Operator":1,"ParticipantInfos":[{"ParticipantUserId":10001}]}`, live))
	if r.code() != "ConversationParticipantsMoreThanLimit" {
		t.Errorf("member 10,001: %s", r.body)
	}
}
