package volcim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/pagination"
)

// addMembers adds users to conv as ordinary members, operated by 1.
func addMembers(t *testing.T, c *volcim.Client, conv int64, users ...int64) {
	t.Helper()
	ps := make([]volcim.ParticipantToAdd, len(users))
	for i, u := range users {
		ps[i] = volcim.ParticipantToAdd{UserID: u}
	}
	if _, err := c.BatchAddConversationParticipant(context.Background(), &volcim.BatchAddConversationParticipantRequest{ConversationShortID: conv, Operator: 1, Participants: ps}); err != nil {
		t.Fatal(err)
	}
}

// scanIDs walks conv's members with req and returns their user ids.
func scanIDs(t *testing.T, c *volcim.Client, req volcim.ConversationParticipantsRequest) []int64 {
	t.Helper()
	var ids []int64
	for p, err := range c.ConversationParticipants(context.Background(), &req) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.UserID)
	}
	return ids
}

func TestMembersAddedAreScannedCountedAndRemovedAreGone(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	_, c := newConvServer(t, withClock(func() time.Time { return at })...)
	ctx := context.Background()
	conv := createGroup(t, c, 1, "g")
	resp, err := c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{
		ConversationShortID: conv, Operator: 1, Barrier: true,
		Participants: []volcim.ParticipantToAdd{
			{UserID: 2, Role: volcim.RoleManager, NickName: "小明", Level: 3, Ext: map[string]string{"k": "v"}, ReadIndex: 5},
			{UserID: 3},
		},
	})
	if err != nil || len(resp.Failed) != 0 || resp.RequestID == "" {
		t.Fatalf("%+v, %v", resp, err)
	}
	var more []int64
	for u := int64(4); u < 50; u++ {
		more = append(more, u)
	}
	addMembers(t, c, conv, more...)
	all := append([]int64{1, 2, 3}, more...)
	if got := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: conv}); !reflect.DeepEqual(got, all) {
		t.Errorf("scan\n got %v\nwant %v", got, all)
	}
	rev := slices.Clone(all)
	slices.Reverse(rev)
	if got := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: conv, Reverse: true, PageSize: 7}); !reflect.DeepEqual(got, rev) {
		t.Errorf("reverse scan\n got %v\nwant %v", got, rev)
	}
	p, err := c.ConversationParticipantsPager(&volcim.ConversationParticipantsRequest{ConversationShortID: conv, OnlyUserIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	page, err := p.Next(ctx)
	if err != nil || len(page) != 49 || !reflect.DeepEqual(page[1], volcim.Participant{ConversationShortID: conv, UserID: 2}) {
		t.Errorf("ids-only page of %d: %+v, %v", len(page), page[:2], err)
	}
	if got := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: conv, Max: 5, PageSize: 2}); !reflect.DeepEqual(got, all[:5]) {
		t.Errorf("Max 5: %v", got)
	}
	count, err := c.GetConversationUserCount(ctx, &volcim.GetConversationUserCountRequest{ConversationShortID: conv})
	if err != nil || count.Count != 49 {
		t.Errorf("count %+v, %v", count, err)
	}
	got, err := c.BatchGetConversationParticipant(ctx, &volcim.BatchGetConversationParticipantRequest{ConversationShortID: conv, ParticipantUserIDs: []int64{2, 999, 1}})
	if err != nil {
		t.Fatal(err)
	}
	want := []volcim.Participant{
		{ConversationShortID: conv, UserID: 2, Role: volcim.RoleManager, NickName: "小明", Level: 3, Ext: map[string]string{"k": "v"}, Operator: 1, CreateTime: at},
		{ConversationShortID: conv, UserID: 1, Role: volcim.RoleOwner, Operator: 1, CreateTime: at},
	}
	if !reflect.DeepEqual(got.Participants, want) {
		t.Errorf("BatchGetConversationParticipant\n got %+v\nwant %+v", got.Participants, want)
	}

	del, err := c.BatchDeleteConversationParticipant(ctx, &volcim.BatchDeleteConversationParticipantRequest{ConversationShortID: conv, Operator: 1, ParticipantUserIDs: []int64{3, 4, 12345}})
	if err != nil || len(del.Failed) != 0 {
		t.Fatalf("%+v, %v", del, err)
	}
	for _, u := range []int64{3, 4} {
		in, err := c.IsUserInConversation(ctx, &volcim.IsUserInConversationRequest{ConversationShortID: conv, UserID: u})
		if err != nil || in.InConversation {
			t.Errorf("removed user %d: %+v, %v", u, in, err)
		}
		_, err = c.SendMessage(ctx, &volcim.SendMessageRequest{ConversationShortID: conv, Sender: u, MsgType: volcim.MessageText, Content: volcim.TextContent("hi")})
		if apiCode(err) != volcim.CodeParticipantNotInConversation {
			t.Errorf("removed user %d sends: %v", u, err)
		}
	}
	if in, err := c.IsUserInConversation(ctx, &volcim.IsUserInConversationRequest{ConversationShortID: conv, UserID: 5}); err != nil || !in.InConversation {
		t.Errorf("member 5: %+v, %v", in, err)
	}
	if got := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: conv}); len(got) != 47 || slices.Contains(got, 3) || slices.Contains(got, 4) {
		t.Errorf("scan after the removal: %v", got)
	}
	// The members' conversations list it; the removed ones' do not.
	for u, want := range map[int64]int{2: 1, 3: 0} {
		mine, err := c.GetUserConversations(ctx, &volcim.GetUserConversationsRequest{UserID: u, Limit: 20})
		if err != nil || len(mine.Conversations) != want {
			t.Errorf("user %d lists %d conversations, want %d (%v)", u, len(mine.Conversations), want, err)
		}
	}
}

func TestMemberPartialFailures(t *testing.T) {
	t.Parallel()
	srv, c := newConvServer(t)
	ctx := context.Background()
	conv := createGroup(t, c, 1, "g")
	// User 77 is in 500 groups already: adding it fails, the others are
	// added.
	for i := range 500 {
		srv.AddParticipants(convApp, int64(1_000_000+i), volcim.Participant{UserID: 77})
	}
	resp, err := c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{ConversationShortID: conv, Operator: 1,
		Participants: []volcim.ParticipantToAdd{{UserID: 2}, {UserID: 77}, {UserID: 3}}})
	var pf *volcim.PartialFailureError
	if !errors.As(err, &pf) || !errors.Is(err, volcim.ErrPartialFailure) || resp == nil ||
		!reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 77}}) || !reflect.DeepEqual(pf.Failed, resp.Failed) ||
		pf.Action != "BatchAddConversationParticipant" || pf.RequestID != resp.RequestID {
		t.Fatalf("add: %+v, %v", resp, err)
	}
	if got := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: conv}); !reflect.DeepEqual(got, []int64{1, 2, 3}) {
		t.Errorf("members %v", got)
	}
	// The owner cannot be removed.
	del, err := c.BatchDeleteConversationParticipant(ctx, &volcim.BatchDeleteConversationParticipantRequest{ConversationShortID: conv, Operator: 1, ParticipantUserIDs: []int64{1, 2}})
	if !errors.As(err, &pf) || !reflect.DeepEqual(del.Failed, []volcim.FailedItem{{UserID: 1}}) {
		t.Errorf("delete: %+v, %v", del, err)
	}
	// Modifying a non-member fails for that user only.
	mod, err := c.BatchModifyConversationParticipant(ctx, &volcim.BatchModifyConversationParticipantRequest{ConversationShortID: conv, Operator: 1,
		Participants: []volcim.ParticipantUpdate{{UserID: 3, NickName: volcim.Ptr("三")}, {UserID: 2}}})
	if !errors.As(err, &pf) || !reflect.DeepEqual(mod.Failed, []volcim.FailedItem{{UserID: 2}}) {
		t.Errorf("modify: %+v, %v", mod, err)
	}
	if !strings.Contains(err.Error(), "1 item(s) failed: 2") {
		t.Errorf("error text %q", err)
	}
}

func TestMemberLimitsAndOwner(t *testing.T) {
	t.Parallel()
	_, c := newConvServer(t)
	ctx := context.Background()
	conv := createGroup(t, c, 1, "g")
	var users []int64
	for u := int64(2); u <= volcim.MaxGroupMembers; u++ {
		users = append(users, u)
	}
	addMembers(t, c, conv, users...)
	_, err := c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{ConversationShortID: conv, Operator: 1, Participants: []volcim.ParticipantToAdd{{UserID: 5000}}})
	if apiCode(err) != volcim.CodeConversationParticipantsMoreThanLimit {
		t.Errorf("member 201: %v", err)
	}
	// Re-adding a member overwrites it and needs no room.
	if _, err := c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{ConversationShortID: conv, Operator: 1, Participants: []volcim.ParticipantToAdd{{UserID: 2, NickName: "again"}}}); err != nil {
		t.Errorf("re-adding a member of a full group: %v", err)
	}
	_, err = c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{ConversationShortID: conv, Operator: 1, Participants: []volcim.ParticipantToAdd{{UserID: 3, Role: volcim.RoleOwner}}})
	if apiCode(err) != volcim.CodeOwnerShouldBeEqual {
		t.Errorf("a second owner: %v", err)
	}
	_, err = c.BatchModifyConversationParticipant(ctx, &volcim.BatchModifyConversationParticipantRequest{ConversationShortID: conv, Operator: 1, Participants: []volcim.ParticipantUpdate{{UserID: 3, Role: volcim.Ptr(volcim.RoleOwner)}}})
	if apiCode(err) != volcim.CodeOwnerShouldBeEqual {
		t.Errorf("modify to a second owner: %v", err)
	}
}

func TestModifyMembersAndMute(t *testing.T) {
	t.Parallel()
	_, c := newConvServer(t)
	ctx := context.Background()
	conv := createGroup(t, c, 1, "g")
	if _, err := c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{ConversationShortID: conv, Operator: 1,
		Participants: []volcim.ParticipantToAdd{{UserID: 2, NickName: "old", Level: 1, Ext: map[string]string{"a": "1"}}}}); err != nil {
		t.Fatal(err)
	}
	until := time.Date(2026, 3, 3, 0, 0, 0, 900_000_000, time.UTC)
	if _, err := c.BatchModifyConversationParticipant(ctx, &volcim.BatchModifyConversationParticipantRequest{ConversationShortID: conv, Operator: 9,
		Participants: []volcim.ParticipantUpdate{{UserID: 2, Role: volcim.Ptr(volcim.RoleManager), NickName: volcim.Ptr(""), Level: volcim.Ptr(int32(0)), BlockTime: &until}}}); err != nil {
		t.Fatal(err)
	}
	get := func() volcim.Participant {
		t.Helper()
		resp, err := c.BatchGetConversationParticipant(ctx, &volcim.BatchGetConversationParticipantRequest{ConversationShortID: conv, ParticipantUserIDs: []int64{2}})
		if err != nil || len(resp.Participants) != 1 {
			t.Fatalf("%+v, %v", resp, err)
		}
		return resp.Participants[0]
	}
	p := get()
	if p.Role != volcim.RoleManager || p.NickName != "" || p.Level != 0 || p.Ext["a"] != "1" || p.Operator != 9 || !p.BlockTime.Equal(until.Truncate(time.Second)) {
		t.Errorf("modified %+v", p)
	}
	if _, err := c.BatchModifyConversationParticipant(ctx, &volcim.BatchModifyConversationParticipantRequest{ConversationShortID: conv, Operator: 9,
		Participants: []volcim.ParticipantUpdate{{UserID: 2, BlockTime: volcim.Ptr(time.Time{})}}}); err != nil {
		t.Fatal(err)
	}
	if p := get(); !p.BlockTime.IsZero() || p.Role != volcim.RoleManager {
		t.Errorf("unmuted %+v", p)
	}
}

func TestParticipantReadIndex(t *testing.T) {
	t.Parallel()
	_, c := newConvServer(t)
	ctx := context.Background()
	conv := createGroup(t, c, 1, "g")
	addMembers(t, c, conv, 2, 3)
	set := func(user, idx int64) error {
		_, err := c.ModifyParticipantReadIndex(ctx, &volcim.ModifyParticipantReadIndexRequest{ConversationShortID: conv, UserID: user, ReadIndex: idx})
		return err
	}
	if err := set(3, 9007199254740993); err != nil {
		t.Fatal(err)
	}
	if err := set(2, 10); err != nil {
		t.Fatal(err)
	}
	if err := set(2, 10); apiCode(err) != volcim.CodeInvalidParam {
		t.Errorf("an index that does not exceed the current one: %v", err)
	}
	if err := set(99, 10); apiCode(err) != volcim.CodeParticipantNotInConversation {
		t.Errorf("a non-member's index: %v", err)
	}
	got, err := c.GetParticipantReadIndex(ctx, &volcim.GetParticipantReadIndexRequest{ConversationShortID: conv})
	if err != nil {
		t.Fatal(err)
	}
	want := []volcim.ParticipantReadIndex{{UserID: 2, ReadIndex: 10}, {UserID: 3, ReadIndex: 9007199254740993}}
	if !reflect.DeepEqual(got.ReadIndexes, want) {
		t.Errorf("read indexes %+v, want %+v (members at 0 left out)", got.ReadIndexes, want)
	}
	setting, err := c.GetConversationSetting(ctx, &volcim.GetConversationSettingRequest{ConversationShortID: conv, UserID: 3})
	if err != nil || setting.Setting.ReadIndex != 9007199254740993 {
		t.Errorf("the setting's read index %+v, %v", setting, err)
	}
}

func TestLiveGroupMembers(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	srv, c := newConvServer(t, withClock(func() time.Time { return at })...)
	ctx := context.Background()
	live, err := c.CreateConversation(ctx, &volcim.CreateConversationRequest{ConversationType: volcim.ConversationLiveGroup, OwnerUserID: 1})
	if err != nil {
		t.Fatal(err)
	}
	conv := live.ConversationShortID
	var users []int64
	for u := int64(2); u <= 13; u++ {
		users = append(users, u)
	}
	addMembers(t, c, conv, users...)
	srv.AddParticipants(convApp, conv, volcim.Participant{UserID: 14, Marks: []string{"vip"}})

	resp, err := c.BatchAddManager(ctx, &volcim.BatchAddManagerRequest{ConversationShortID: conv, Operator: 1, ManagerUserIDs: []int64{2, 3, 99, 1}, ManagerUserIDsStr: []string{"nobody"}})
	var pf *volcim.PartialFailureError
	if !errors.As(err, &pf) || !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 99}, {UserID: 1}, {UserIDStr: "nobody"}}) {
		t.Fatalf("add managers: %+v, %v", resp, err)
	}
	// A plain scan of a live group lists its owner and managers.
	if got := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: conv}); !reflect.DeepEqual(got, []int64{1, 2, 3}) {
		t.Errorf("owner and managers %v", got)
	}
	// The online scan lists every member, last to join first.
	online := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: conv, OnlineOnly: true, PageSize: 5})
	if len(online) != 14 || online[0] != 14 || online[13] != 1 {
		t.Errorf("online %v", online)
	}
	if got := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: conv, OnlineOnly: true, MarkType: "vip"}); !reflect.DeepEqual(got, []int64{14}) {
		t.Errorf("online with mark vip %v", got)
	}
	more := make([]int64, 0, 9)
	for u := int64(4); u <= 12; u++ {
		more = append(more, u)
	}
	if _, err := c.BatchAddManager(ctx, &volcim.BatchAddManagerRequest{ConversationShortID: conv, Operator: 1, ManagerUserIDs: more}); apiCode(err) != volcim.CodeManagerMoreThanLimit {
		t.Errorf("11 managers: %v", err)
	}
	rm, err := c.BatchRemoveManager(ctx, &volcim.BatchRemoveManagerRequest{ConversationShortID: conv, Operator: 1, RemoveManagerUserIDs: []int64{2, 5, 404}})
	if !errors.As(err, &pf) || !reflect.DeepEqual(rm.Failed, []volcim.FailedItem{{UserID: 404}}) {
		t.Errorf("remove managers: %+v, %v", rm, err)
	}
	if got := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: conv}); !reflect.DeepEqual(got, []int64{1, 3}) {
		t.Errorf("after removing manager 2: %v", got)
	}

	st, err := c.QueryLiveParticipantStatus(ctx, &volcim.QueryLiveParticipantStatusRequest{ConversationShortID: conv, ParticipantUserIDs: []int64{2, 500}})
	if err != nil {
		t.Fatal(err)
	}
	want := []volcim.LiveParticipantStatus{
		{AppID: convApp, ConversationShortID: conv, UserID: 2, InConversation: true, CreateTime: at},
		{AppID: convApp, ConversationShortID: conv, UserID: 500},
	}
	if !reflect.DeepEqual(st.Statuses, want) {
		t.Errorf("statuses\n got %+v\nwant %+v", st.Statuses, want)
	}

	group := createGroup(t, c, 1, "g")
	if _, err := c.BatchAddManager(ctx, &volcim.BatchAddManagerRequest{ConversationShortID: group, Operator: 1, ManagerUserIDs: []int64{1}}); apiCode(err) != volcim.CodeOnlyLiveConversationSupport {
		t.Errorf("managers of a group: %v", err)
	}
	if _, err := c.QueryLiveParticipantStatus(ctx, &volcim.QueryLiveParticipantStatusRequest{ConversationShortID: group, ParticipantUserIDs: []int64{1}}); apiCode(err) != volcim.CodeOnlyLiveConversationSupport {
		t.Errorf("live status in a group: %v", err)
	}
	if got := scanIDs(t, c, volcim.ConversationParticipantsRequest{ConversationShortID: group, OnlineOnly: true}); len(got) != 0 {
		t.Errorf("online members of a group: %v", got)
	}
}

func TestParticipantsGuards(t *testing.T) {
	t.Parallel()
	member := func(id int) string {
		return fmt.Sprintf(`{"ConversationShortId":1,"ParticipantUserId":%d,"Role":0,"Operator":1,"AvatarUrl":""}`, id)
	}
	page := func(next int64, more bool, ids ...int) string {
		items := make([]string, len(ids))
		for i, id := range ids {
			items[i] = member(id)
		}
		return fmt.Sprintf(`{"Participants":[%s],"HasMore":%v,"NextCursor":%d}`, strings.Join(items, ","), more, next)
	}
	for _, tc := range []struct {
		name    string
		replies []string
		want    error
		n       int
	}{
		{"stall", []string{page(0, true, 1)}, pagination.ErrStalledCursor, 0},
		{"cycle", []string{page(5, true, 1), page(9, true, 2), page(5, true, 3)}, pagination.ErrCursorCycle, 2},
		{"negative ends the walk", []string{page(2, true, 1, 2), page(-1, true, 3)}, nil, 3},
		{"beyond int32", []string{page(math.MaxInt32+1, true, 1)}, volcim.ErrMalformedReply, 0},
		{"empty pages", []string{page(1, true), page(2, true), page(3, true), page(4, true)}, pagination.ErrNoProgress, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := pageServer(t, tc.replies...)
			var n int
			var err error
			for _, e := range c.ConversationParticipants(context.Background(), &volcim.ConversationParticipantsRequest{ConversationShortID: 1, MaxEmptyPages: 2}) {
				if e != nil {
					err = e
					break
				}
				n++
			}
			if !errors.Is(err, tc.want) || tc.want == nil && err != nil || n != tc.n {
				t.Errorf("%d members then %v; want %d then %v", n, err, tc.n, tc.want)
			}
		})
	}
}

func TestLiveParticipantStatusJSONRoundTrip(t *testing.T) {
	t.Parallel()
	in := `{"AppId":123456,"ConversationShortId":7368934651020431623,"CreateTime":1714554000,"IsInConversation":true,"ParticipantUserId":9007199254740993,"ParticipantUserIdStr":"bob"}`
	var s volcim.LiveParticipantStatus
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	if !s.InConversation || s.UserID != 9007199254740993 || !s.CreateTime.Equal(time.Unix(1714554000, 0)) {
		t.Errorf("decoded %+v", s)
	}
	out, err := json.Marshal(s)
	if err != nil || string(out) != in {
		t.Errorf("round trip\n got %s\nwant %s (%v)", out, in, err)
	}
	// A Participant of every action's shape round-trips too.
	p := volcim.Participant{ConversationShortID: 1, UserID: 2, UserIDStr: "b", Role: volcim.RoleManager, NickName: "n", AvatarURL: "a", Level: 3,
		Ext: map[string]string{"k": "v"}, Marks: []string{"m"}, Status: volcim.ParticipantLeft, Operator: 4, OperatorStr: "o",
		CreateTime: time.Unix(1714554000, 0).UTC(), BlockTime: time.Unix(1714640400, 0).UTC()}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back volcim.Participant
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, p) {
		t.Errorf("participant round trip %+v, %v", back, err)
	}
}

func TestParticipantInvalidRequests(t *testing.T) {
	t.Parallel()
	add := func(edit func(r *volcim.BatchAddConversationParticipantRequest)) func(context.Context, *volcim.Client) error {
		return func(ctx context.Context, c *volcim.Client) error {
			r := &volcim.BatchAddConversationParticipantRequest{ConversationShortID: 1, Operator: 1, Participants: []volcim.ParticipantToAdd{{UserID: 2}}}
			edit(r)
			_, err := c.BatchAddConversationParticipant(ctx, r)
			return err
		}
	}
	checkInvalid(t, "BatchAddConversationParticipant", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchAddConversationParticipant(ctx, nil)
			return err
		}},
		{"AppID", add(func(r *volcim.BatchAddConversationParticipantRequest) { r.AppID = -1 })},
		{"ConversationShortID", add(func(r *volcim.BatchAddConversationParticipantRequest) { r.ConversationShortID = 0 })},
		{"Operator", add(func(r *volcim.BatchAddConversationParticipantRequest) { r.Operator = 0 })},
		{"Participants", add(func(r *volcim.BatchAddConversationParticipantRequest) { r.Participants = nil })},
		{"Participants", add(func(r *volcim.BatchAddConversationParticipantRequest) {
			r.Participants = make([]volcim.ParticipantToAdd, 201)
		})},
		{"Participants", add(func(r *volcim.BatchAddConversationParticipantRequest) { r.Participants[0].UserID = -2 })},
		{"Participants", add(func(r *volcim.BatchAddConversationParticipantRequest) { r.Participants[0].Role = 3 })},
		{"Participants", add(func(r *volcim.BatchAddConversationParticipantRequest) { r.Participants[0].ReadIndex = -1 })},
	})
	checkInvalid(t, "BatchDeleteConversationParticipant", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchDeleteConversationParticipant(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchDeleteConversationParticipant(ctx, &volcim.BatchDeleteConversationParticipantRequest{Operator: 1, ParticipantUserIDs: []int64{2}})
			return err
		}},
		{"Operator", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchDeleteConversationParticipant(ctx, &volcim.BatchDeleteConversationParticipantRequest{ConversationShortID: 1, ParticipantUserIDs: []int64{2}})
			return err
		}},
		{"ParticipantUserIDs", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchDeleteConversationParticipant(ctx, &volcim.BatchDeleteConversationParticipantRequest{ConversationShortID: 1, Operator: 1})
			return err
		}},
		{"ParticipantUserIDs", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchDeleteConversationParticipant(ctx, &volcim.BatchDeleteConversationParticipantRequest{ConversationShortID: 1, Operator: 1, ParticipantUserIDs: make([]int64, 201)})
			return err
		}},
		{"ParticipantUserIDs", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchDeleteConversationParticipant(ctx, &volcim.BatchDeleteConversationParticipantRequest{ConversationShortID: 1, Operator: 1, ParticipantUserIDs: []int64{0}})
			return err
		}},
	})
	mod := func(edit func(r *volcim.BatchModifyConversationParticipantRequest)) func(context.Context, *volcim.Client) error {
		return func(ctx context.Context, c *volcim.Client) error {
			r := &volcim.BatchModifyConversationParticipantRequest{ConversationShortID: 1, Operator: 1, Participants: []volcim.ParticipantUpdate{{UserID: 2}}}
			edit(r)
			_, err := c.BatchModifyConversationParticipant(ctx, r)
			return err
		}
	}
	checkInvalid(t, "BatchModifyConversationParticipant", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchModifyConversationParticipant(ctx, nil)
			return err
		}},
		{"ConversationShortID", mod(func(r *volcim.BatchModifyConversationParticipantRequest) { r.ConversationShortID = -1 })},
		{"Operator", mod(func(r *volcim.BatchModifyConversationParticipantRequest) { r.Operator = -1 })},
		{"Participants", mod(func(r *volcim.BatchModifyConversationParticipantRequest) { r.Participants = nil })},
		{"Participants", mod(func(r *volcim.BatchModifyConversationParticipantRequest) {
			r.Participants = make([]volcim.ParticipantUpdate, 201)
		})},
		{"Participants", mod(func(r *volcim.BatchModifyConversationParticipantRequest) { r.Participants[0].UserID = 0 })},
		{"Participants", mod(func(r *volcim.BatchModifyConversationParticipantRequest) {
			r.Participants[0].Role = volcim.Ptr(volcim.ParticipantRole(-1))
		})},
		{"Participants", mod(func(r *volcim.BatchModifyConversationParticipantRequest) {
			r.Participants[0].BlockTime = volcim.Ptr(time.Unix(-1, 0))
		})},
	})
	checkInvalid(t, "BatchGetConversationParticipant", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchGetConversationParticipant(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchGetConversationParticipant(ctx, &volcim.BatchGetConversationParticipantRequest{ParticipantUserIDs: []int64{2}})
			return err
		}},
		{"ParticipantUserIDs", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchGetConversationParticipant(ctx, &volcim.BatchGetConversationParticipantRequest{ConversationShortID: 1})
			return err
		}},
	})
	checkInvalid(t, "IsUserInConversation", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.IsUserInConversation(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.IsUserInConversation(ctx, &volcim.IsUserInConversationRequest{UserID: 1})
			return err
		}},
		{"UserID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.IsUserInConversation(ctx, &volcim.IsUserInConversationRequest{ConversationShortID: 1})
			return err
		}},
	})
	scan := func(edit func(r *volcim.ScanConversationParticipantListRequest)) func(context.Context, *volcim.Client) error {
		return func(ctx context.Context, c *volcim.Client) error {
			r := &volcim.ScanConversationParticipantListRequest{ConversationShortID: 1, Limit: 20}
			edit(r)
			_, err := c.ScanConversationParticipantList(ctx, r)
			return err
		}
	}
	pager := func(req volcim.ConversationParticipantsRequest) func(context.Context, *volcim.Client) error {
		return func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ConversationParticipantsPager(&req)
			return err
		}
	}
	checkInvalid(t, "ScanConversationParticipantList", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ScanConversationParticipantList(ctx, nil)
			return err
		}},
		{"ConversationShortID", scan(func(r *volcim.ScanConversationParticipantListRequest) { r.ConversationShortID = 0 })},
		{"Cursor", scan(func(r *volcim.ScanConversationParticipantListRequest) { r.Cursor = -1 })},
		{"Cursor", scan(func(r *volcim.ScanConversationParticipantListRequest) { r.Cursor = math.MaxInt32 + 1 })},
		{"Limit", scan(func(r *volcim.ScanConversationParticipantListRequest) { r.Limit = 0 })},
		{"Limit", scan(func(r *volcim.ScanConversationParticipantListRequest) { r.Limit = 21 })},
		{"Limit", scan(func(r *volcim.ScanConversationParticipantListRequest) { r.Limit, r.OnlyUserIDs = 51, true })},
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ConversationParticipantsPager(nil)
			return err
		}},
		{"ConversationShortID", pager(volcim.ConversationParticipantsRequest{})},
		{"PageSize", pager(volcim.ConversationParticipantsRequest{ConversationShortID: 1, PageSize: 21})},
		{"PageSize", pager(volcim.ConversationParticipantsRequest{ConversationShortID: 1, PageSize: 51, OnlyUserIDs: true})},
		{"Max", pager(volcim.ConversationParticipantsRequest{ConversationShortID: 1, Max: -1})},
		{"Cursor", pager(volcim.ConversationParticipantsRequest{ConversationShortID: 1, Cursor: -1})},
		{"MaxEmptyPages", pager(volcim.ConversationParticipantsRequest{ConversationShortID: 1, MaxEmptyPages: -1})},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			for _, err := range c.ConversationParticipants(ctx, &volcim.ConversationParticipantsRequest{}) {
				return err
			}
			return nil
		}},
	})
	for _, action := range []string{"BatchAddManager", "BatchRemoveManager"} {
		call := func(op int64, ids []int64, strs []string) func(context.Context, *volcim.Client) error {
			return func(ctx context.Context, c *volcim.Client) error {
				if action == "BatchAddManager" {
					_, err := c.BatchAddManager(ctx, &volcim.BatchAddManagerRequest{ConversationShortID: 1, Operator: op, ManagerUserIDs: ids, ManagerUserIDsStr: strs})
					return err
				}
				_, err := c.BatchRemoveManager(ctx, &volcim.BatchRemoveManagerRequest{ConversationShortID: 1, Operator: op, RemoveManagerUserIDs: ids, RemoveManagerUserIDsStr: strs})
				return err
			}
		}
		field := "ManagerUserIDs"
		if action == "BatchRemoveManager" {
			field = "RemoveManagerUserIDs"
		}
		checkInvalid(t, action, []invalidCase{
			{"Operator", call(0, []int64{2}, nil)},
			{field, call(1, nil, nil)},
			{field, call(1, make([]int64, 150), make([]string, 51))},
			{field, call(1, []int64{-2}, nil)},
			{field + "Str", call(1, nil, []string{""})},
		})
	}
	checkInvalid(t, "BatchAddManager", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error { _, err := c.BatchAddManager(ctx, nil); return err }},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchAddManager(ctx, &volcim.BatchAddManagerRequest{Operator: 1, ManagerUserIDs: []int64{2}})
			return err
		}},
	})
	checkInvalid(t, "BatchRemoveManager", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchRemoveManager(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.BatchRemoveManager(ctx, &volcim.BatchRemoveManagerRequest{OperatorStr: "op", RemoveManagerUserIDs: []int64{2}})
			return err
		}},
	})
	checkInvalid(t, "GetParticipantReadIndex", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetParticipantReadIndex(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetParticipantReadIndex(ctx, &volcim.GetParticipantReadIndexRequest{})
			return err
		}},
	})
	readIdx := func(edit func(r *volcim.ModifyParticipantReadIndexRequest)) func(context.Context, *volcim.Client) error {
		return func(ctx context.Context, c *volcim.Client) error {
			r := &volcim.ModifyParticipantReadIndexRequest{ConversationShortID: 1, UserID: 2, ReadIndex: 3}
			edit(r)
			_, err := c.ModifyParticipantReadIndex(ctx, r)
			return err
		}
	}
	checkInvalid(t, "ModifyParticipantReadIndex", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ModifyParticipantReadIndex(ctx, nil)
			return err
		}},
		{"ConversationShortID", readIdx(func(r *volcim.ModifyParticipantReadIndexRequest) { r.ConversationShortID = 0 })},
		{"UserID", readIdx(func(r *volcim.ModifyParticipantReadIndexRequest) { r.UserID = 0 })},
		{"ReadIndex", readIdx(func(r *volcim.ModifyParticipantReadIndexRequest) { r.ReadIndex = 0 })},
	})
	live := func(ids []int64, strs []string) func(context.Context, *volcim.Client) error {
		return func(ctx context.Context, c *volcim.Client) error {
			_, err := c.QueryLiveParticipantStatus(ctx, &volcim.QueryLiveParticipantStatusRequest{ConversationShortID: 1, ParticipantUserIDs: ids, ParticipantUserIDsStr: strs})
			return err
		}
	}
	checkInvalid(t, "QueryLiveParticipantStatus", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.QueryLiveParticipantStatus(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.QueryLiveParticipantStatus(ctx, &volcim.QueryLiveParticipantStatusRequest{ParticipantUserIDs: []int64{1}})
			return err
		}},
		{"ParticipantUserIDs", live(nil, nil)},
		{"ParticipantUserIDs", live(make([]int64, 201), nil)},
		{"ParticipantUserIDs", live([]int64{0}, nil)},
		{"ParticipantUserIDsStr", live(nil, []string{""})},
	})
}

func TestParticipantDecode(t *testing.T) {
	t.Parallel()
	sec := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	checkDecode(t, []decodeCase{
		{
			action: "BatchAddConversationParticipant",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{
					ConversationShortID: cannedConv, Operator: 10001, Barrier: true,
					Participants: []volcim.ParticipantToAdd{
						{UserID: 9007199254740993, Role: volcim.RoleManager, NickName: "小明", Level: 2, Ext: map[string]string{"k": "v"}, ReadIndex: 1714554000123457},
						{UserID: 10004},
					},
				})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623,"Operator":10001,"ParticipantInfos":[{"ParticipantUserId":9007199254740993,"Ext":{"k":"v"},"Level":2,"NickName":"小明","ReadIndex":1714554000123457,"Role":2},{"ParticipantUserId":10004}],"Barrier":true}`,
			want: &volcim.BatchAddConversationParticipantResponse{
				ResponseMetadata: meta("BatchAddConversationParticipant", "10"),
				Failed:           []volcim.FailedItem{{UserID: 9007199254740993}, {UserID: 10004}},
			},
			partial: []volcim.FailedItem{{UserID: 9007199254740993}, {UserID: 10004}},
		},
		{
			action: "BatchDeleteConversationParticipant",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchDeleteConversationParticipant(ctx, &volcim.BatchDeleteConversationParticipantRequest{ConversationShortID: cannedConv, Operator: 10001, ParticipantUserIDs: []int64{10001, 10002}})
			},
			body:    `{"AppId":123456,"ConversationShortId":7368934651020431623,"Operator":10001,"ParticipantUserIds":[10001,10002]}`,
			want:    &volcim.BatchDeleteConversationParticipantResponse{ResponseMetadata: meta("BatchDeleteConversationParticipant", "11"), Failed: []volcim.FailedItem{{UserID: 10001}}},
			partial: []volcim.FailedItem{{UserID: 10001}},
		},
		{
			action: "BatchModifyConversationParticipant",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchModifyConversationParticipant(ctx, &volcim.BatchModifyConversationParticipantRequest{
					ConversationShortID: cannedConv, Operator: 10001,
					Participants: []volcim.ParticipantUpdate{
						{UserID: 9007199254740995, Role: volcim.Ptr(volcim.RoleMember), NickName: volcim.Ptr(""), Level: volcim.Ptr(int32(7)), Ext: map[string]string{"城市": "上海"}, BlockTime: volcim.Ptr(sec(1714640400).Add(500 * time.Millisecond))},
						{UserID: 10002, BlockTime: volcim.Ptr(time.Time{})},
					},
				})
			},
			body:    `{"AppId":123456,"ConversationShortId":7368934651020431623,"Operator":10001,"ParticipantInfos":[{"ParticipantUserId":9007199254740995,"BlockTime":1714640400,"Ext":{"城市":"上海"},"Level":7,"NickName":"","Role":0},{"ParticipantUserId":10002,"BlockTime":0}]}`,
			want:    &volcim.BatchModifyConversationParticipantResponse{ResponseMetadata: meta("BatchModifyConversationParticipant", "12"), Failed: []volcim.FailedItem{{UserID: 9007199254740995}}},
			partial: []volcim.FailedItem{{UserID: 9007199254740995}},
		},
		{
			action: "BatchGetConversationParticipant",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchGetConversationParticipant(ctx, &volcim.BatchGetConversationParticipantRequest{ConversationShortID: cannedConv, ParticipantUserIDs: []int64{10001, 9007199254740993}})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623,"ParticipantUserIds":[10001,9007199254740993]}`,
			want: &volcim.BatchGetConversationParticipantResponse{
				ResponseMetadata: meta("BatchGetConversationParticipant", "13"),
				Participants: []volcim.Participant{
					{ConversationShortID: cannedConv, UserID: 10001, Role: volcim.RoleOwner, Operator: 10001, CreateTime: sec(1714554000), Ext: map[string]string{"title": "组长"}, Level: 5, NickName: "小明"},
					{ConversationShortID: cannedConv, UserID: 9007199254740993, Role: volcim.RoleManager, Operator: 10001, BlockTime: sec(1714640400), CreateTime: sec(1714554060), Ext: map[string]string{"city": "北京"}, Level: 1, NickName: "Bob 🐱", Status: volcim.ParticipantLeft},
				},
			},
		},
		{
			action: "IsUserInConversation",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.IsUserInConversation(ctx, &volcim.IsUserInConversationRequest{ConversationShortID: cannedConv, UserID: 9007199254740993})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623,"ParticipantUserId":9007199254740993}`,
			want: &volcim.IsUserInConversationResponse{ResponseMetadata: meta("IsUserInConversation", "14"), InConversation: true},
		},
		{
			action: "ScanConversationParticipantList",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ScanConversationParticipantList(ctx, &volcim.ScanConversationParticipantListRequest{ConversationShortID: cannedConv, Cursor: 0, Limit: 50, Reverse: true, OnlyUserIDs: true, OnlineOnly: true, MarkType: "主播"})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623,"Cursor":0,"Limit":50,"MarkType":"主播","OnlyUserIds":true,"Reverse":true,"ScanOnlineParticipant":true}`,
			want: &volcim.ScanConversationParticipantListResponse{
				ResponseMetadata: meta("ScanConversationParticipantList", "15"),
				Participants: []volcim.Participant{
					{ConversationShortID: cannedConv, UserID: 10001, UserIDStr: "alice", Role: volcim.RoleOwner, NickName: "小明", AvatarURL: "https://example.com/u/10001.png",
						Level: 5, Ext: map[string]string{"title": "组长"}, Marks: []string{"主播", "vip"}, Operator: 10001, OperatorStr: "alice",
						CreateTime: sec(1714554000), BlockTime: sec(1714640400)},
					{ConversationShortID: cannedConv, UserID: 9007199254740993, Operator: 10001, CreateTime: sec(1714554060), Status: volcim.ParticipantLeft},
				},
				HasMore: true, NextCursor: 2,
			},
		},
		{
			action: "BatchAddManager",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchAddManager(ctx, &volcim.BatchAddManagerRequest{ConversationShortID: cannedConv, Operator: 10001, OperatorStr: "alice", ManagerUserIDs: []int64{9007199254740993}, ManagerUserIDsStr: []string{"carol"}})
			},
			body:    `{"AppId":123456,"ConversationShortId":7368934651020431623,"ManagerUserIds":[9007199254740993],"ManagerUserIdsStr":["carol"],"Operator":10001,"OperatorStr":"alice"}`,
			want:    &volcim.BatchAddManagerResponse{ResponseMetadata: meta("BatchAddManager", "16"), Failed: []volcim.FailedItem{{UserID: 9007199254740993}, {UserIDStr: "carol"}}},
			partial: []volcim.FailedItem{{UserID: 9007199254740993}, {UserIDStr: "carol"}},
		},
		{
			action: "BatchRemoveManager",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.BatchRemoveManager(ctx, &volcim.BatchRemoveManagerRequest{ConversationShortID: cannedConv, Operator: 10001, RemoveManagerUserIDs: []int64{10003}, RemoveManagerUserIDsStr: []string{"dave"}})
			},
			body:    `{"AppId":123456,"ConversationShortId":7368934651020431623,"Operator":10001,"RemoveManagerUserIds":[10003],"RemoveManagerUserIdsStr":["dave"]}`,
			want:    &volcim.BatchRemoveManagerResponse{ResponseMetadata: meta("BatchRemoveManager", "17"), Failed: []volcim.FailedItem{{UserID: 10003}, {UserIDStr: "dave"}}},
			partial: []volcim.FailedItem{{UserID: 10003}, {UserIDStr: "dave"}},
		},
		{
			action: "GetParticipantReadIndex",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetParticipantReadIndex(ctx, &volcim.GetParticipantReadIndexRequest{ConversationShortID: cannedConv})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623}`,
			want: &volcim.GetParticipantReadIndexResponse{
				ResponseMetadata: meta("GetParticipantReadIndex", "18"),
				ReadIndexes:      []volcim.ParticipantReadIndex{{UserID: 10001, UserIDStr: "alice", ReadIndex: 1714554000123457}, {UserID: 9007199254740993, ReadIndex: 9007199254740995}},
			},
		},
		{
			action: "ModifyParticipantReadIndex",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ModifyParticipantReadIndex(ctx, &volcim.ModifyParticipantReadIndexRequest{ConversationShortID: cannedConv, UserID: 10001, UserIDStr: "alice", ReadIndex: 9007199254740995})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623,"ParticipantUserId":10001,"ParticipantUserIdStr":"alice","ReadIndex":9007199254740995}`,
			want: &volcim.ModifyParticipantReadIndexResponse{ResponseMetadata: meta("ModifyParticipantReadIndex", "19")},
		},
		{
			action: "QueryLiveParticipantStatus",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.QueryLiveParticipantStatus(ctx, &volcim.QueryLiveParticipantStatusRequest{ConversationShortID: cannedConv, ParticipantUserIDs: []int64{10001, 9007199254740993}, ParticipantUserIDsStr: []string{"alice"}})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623,"ParticipantUserIds":[10001,9007199254740993],"ParticipantUserIdsStr":["alice"]}`,
			want: &volcim.QueryLiveParticipantStatusResponse{
				ResponseMetadata: meta("QueryLiveParticipantStatus", "20"),
				Statuses: []volcim.LiveParticipantStatus{
					{AppID: 123456, ConversationShortID: cannedConv, UserID: 10001, UserIDStr: "alice", InConversation: true, CreateTime: sec(1714554000)},
					{AppID: 123456, ConversationShortID: cannedConv, UserID: 9007199254740993},
				},
			},
		},
	})
}

// TestSeededConversationWithoutMembers keeps the behaviour of conversations
// seeded with AddConversation: nobody is recorded as a member, so
// IsUserInConversation says no while SendMessage accepts anyone.
func TestSeededConversationWithoutMembers(t *testing.T) {
	t.Parallel()
	srv, c := newConvServer(t)
	srv.AddConversation(volcim.Conversation{AppID: convApp, ConversationShortID: 42, ConversationType: volcim.ConversationGroup, MemberCount: 9})
	ctx := context.Background()
	in, err := c.IsUserInConversation(ctx, &volcim.IsUserInConversationRequest{ConversationShortID: 42, UserID: 1})
	if err != nil || in.InConversation {
		t.Errorf("%+v, %v", in, err)
	}
	count, err := c.GetConversationUserCount(ctx, &volcim.GetConversationUserCountRequest{ConversationShortID: 42})
	if err != nil || count.Count != 9 {
		t.Errorf("seeded count %+v, %v", count, err)
	}
	if _, err := c.GetConversationUserCount(ctx, &volcim.GetConversationUserCountRequest{ConversationShortID: 43}); apiCode(err) != volcim.CodeConversationNotFound {
		t.Errorf("unknown conversation: %v", err)
	}
}
