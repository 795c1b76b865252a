package volcim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/pagination"
	"github.com/volcim/volcim-go/volcimtest"
)

const (
	liveApp   = 100002
	liveConv  = 7171275522159198472
	groupConv = 7171275522159198473
)

// stoppedClock is a server clock that stands still until advanced.
type stoppedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stoppedClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stoppedClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newLiveServer starts a server whose clock stands still (on a whole
// second) with a live group liveConv of members 10001 to 10005 and a group
// groupConv, and a client with fast retries. The server accepts a day of
// clock skew, so that the test may advance its clock.
func newLiveServer(t *testing.T) (*volcimtest.Server, *volcim.Client, *stoppedClock) {
	t.Helper()
	clock := &stoppedClock{t: time.Now().UTC().Truncate(time.Second)}
	srv := volcimtest.NewServer(volcimtest.WithClock(clock.now), volcimtest.WithMaxSkew(24*time.Hour), volcimtest.WithQPS(0))
	t.Cleanup(srv.Close)
	srv.AddConversation(volcim.Conversation{AppID: liveApp, ConversationShortID: liveConv, ConversationType: volcim.ConversationLiveGroup, Name: "直播间"})
	srv.AddConversation(volcim.Conversation{AppID: liveApp, ConversationShortID: groupConv, ConversationType: volcim.ConversationGroup})
	for id := int64(10001); id <= 10005; id++ {
		srv.AddParticipants(liveApp, liveConv, volcim.Participant{UserID: id, NickName: "观众" + string(rune('A'+id-10001)), AvatarURL: "https://a.example/" + strconv.FormatInt(id, 10), Ext: map[string]string{"k": "v"}, Marks: []string{"新人"}})
	}
	c, err := srv.Client(volcim.WithAppID(liveApp), volcim.WithRateLimit(1e6),
		volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, clock
}

// blockList reads a whole mute or ban list through the iterator.
func blockList(t *testing.T, c *volcim.Client, action volcim.BlockAction) []volcim.Participant {
	t.Helper()
	var out []volcim.Participant
	for p, err := range c.BlockParticipants(context.Background(), &volcim.BlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: action}) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func userIDs(ps []volcim.Participant) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.UserID
	}
	return out
}

func TestBlockParticipantsMuteBanExpireAndLift(t *testing.T) {
	t.Parallel()
	_, c, clock := newLiveServer(t)
	ctx := context.Background()
	t0 := clock.now()

	// Mute two members (one for a duration with a fraction of a second,
	// rounded up) and a non-member, who fails.
	resp, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{
		ConversationShortID: liveConv,
		Users: []volcim.BlockedUser{
			{UserID: 10003, Duration: time.Hour},
			{UserID: 10001, Duration: 30*time.Minute + 200*time.Millisecond},
			{UserID: 88888, Duration: time.Minute},
		},
	})
	var pf *volcim.PartialFailureError
	if !errors.As(err, &pf) || !errors.Is(err, volcim.ErrPartialFailure) {
		t.Fatalf("err %v, want a partial failure", err)
	}
	if resp == nil || !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 88888}}) || !reflect.DeepEqual(pf.Failed, resp.Failed) || resp.RequestID == "" || pf.RequestID != resp.RequestID {
		t.Fatalf("response %+v, error %+v", resp, pf)
	}
	// Ban a user who is not a member: a ban needs no membership.
	if _, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{
		ConversationShortID: liveConv, BlockAction: volcim.BlockBan,
		Users: []volcim.BlockedUser{{UserID: 99999, Duration: 48 * time.Hour}},
	}); err != nil {
		t.Fatal(err)
	}

	mutes := blockList(t, c, volcim.BlockMute)
	if got := userIDs(mutes); !slices.Equal(got, []int64{10001, 10003}) {
		t.Fatalf("muted %v, want 10001 and 10003 by id", got)
	}
	m := mutes[0]
	want := volcim.Participant{
		ConversationShortID: liveConv, UserID: 10001, NickName: "观众A", AvatarURL: "https://a.example/10001",
		Ext: map[string]string{"k": "v"}, Marks: []string{"新人"},
		CreateTime: t0, BlockTime: t0.Add(30*time.Minute + time.Second),
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("mute of 10001:\n got %+v\nwant %+v", m, want)
	}
	if !mutes[1].BlockTime.Equal(t0.Add(time.Hour)) {
		t.Errorf("mute of 10003 ends %v, want %v", mutes[1].BlockTime, t0.Add(time.Hour))
	}
	bans := blockList(t, c, volcim.BlockBan)
	if len(bans) != 1 || bans[0].UserID != 99999 || !bans[0].BlockTime.Equal(t0.Add(48*time.Hour)) || bans[0].NickName != "" {
		t.Errorf("bans %+v", bans)
	}

	// On the server's clock, the shorter mute ends first.
	clock.advance(30*time.Minute + time.Second)
	if got := userIDs(blockList(t, c, volcim.BlockMute)); !slices.Equal(got, []int64{10003}) {
		t.Errorf("after 30m1s muted %v, want 10003", got)
	}
	// Muting again starts anew from now.
	if _, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, Users: []volcim.BlockedUser{{UserID: 10003, Duration: 2 * time.Hour}}}); err != nil {
		t.Fatal(err)
	}
	if got := blockList(t, c, volcim.BlockMute); len(got) != 1 || !got[0].BlockTime.Equal(clock.now().Add(2*time.Hour)) || !got[0].CreateTime.Equal(clock.now()) {
		t.Errorf("re-muted %+v", got)
	}
	// Lifting: a lifted mute is gone, lifting twice is no failure, and the
	// ban list is another list.
	for range 2 {
		del, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: liveConv, ParticipantUserIDs: []int64{10003, 99999}})
		if err != nil || len(del.Failed) != 0 {
			t.Fatalf("delete: %+v, %v", del, err)
		}
	}
	if got := blockList(t, c, volcim.BlockMute); len(got) != 0 {
		t.Errorf("mutes after lifting: %+v", got)
	}
	if got := blockList(t, c, volcim.BlockBan); len(got) != 1 {
		t.Errorf("bans after lifting mutes: %+v", got)
	}
	if _, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: volcim.BlockBan, ParticipantUserIDs: []int64{99999}}); err != nil {
		t.Fatal(err)
	}
	if got := blockList(t, c, volcim.BlockBan); len(got) != 0 {
		t.Errorf("bans after lifting: %+v", got)
	}
}

func TestBlockParticipantsWithStringIDs(t *testing.T) {
	t.Parallel()
	srv, c, _ := newLiveServer(t)
	srv.AddParticipants(liveApp, liveConv, volcim.Participant{UserID: 20001, UserIDStr: "主播-小王", NickName: "小王"})
	ctx := context.Background()
	resp, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{
		ConversationShortID: liveConv,
		Users:               []volcim.BlockedUser{{UserIDStr: "主播-小王", Duration: time.Minute}, {UserIDStr: "nobody", Duration: time.Minute}},
	})
	if !errors.Is(err, volcim.ErrPartialFailure) || !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserIDStr: "nobody"}}) {
		t.Fatalf("%+v, %v", resp, err)
	}
	got := blockList(t, c, volcim.BlockMute)
	if len(got) != 1 || got[0].UserIDStr != "主播-小王" || got[0].UserID != 0 || got[0].NickName != "小王" {
		t.Errorf("mutes %+v", got)
	}
	if _, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: liveConv, ParticipantUserIDsStr: []string{"主播-小王"}}); err != nil {
		t.Fatal(err)
	}
	if got := blockList(t, c, volcim.BlockMute); len(got) != 0 {
		t.Errorf("mutes after lifting %+v", got)
	}
}

func TestWhitelistAddListRemove(t *testing.T) {
	t.Parallel()
	srv, c, clock := newLiveServer(t)
	ctx := context.Background()
	// 45 more members, so that the list takes three pages of 20.
	for id := int64(30001); id <= 30045; id++ {
		srv.AddParticipants(liveApp, liveConv, volcim.Participant{UserID: id})
	}
	var ids []int64
	for id := int64(30045); id >= 30001; id-- { // any order in, by id out
		ids = append(ids, id)
	}
	for chunk := range slices.Chunk(ids, volcim.MaxLiveGroupUsersPerCall) {
		if _, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: 10001, ParticipantUserIDs: chunk}); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: 10001, ParticipantUserIDs: []int64{10002, 77777}, ParticipantUserIDsStr: []string{"ghost"}})
	if !errors.Is(err, volcim.ErrPartialFailure) || !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 77777}, {UserIDStr: "ghost"}}) {
		t.Fatalf("%+v, %v", resp, err)
	}

	p, err := c.WhitelistParticipantsPager(&volcim.WhitelistParticipantsRequest{ConversationShortID: liveConv})
	if err != nil {
		t.Fatal(err)
	}
	var all []volcim.Participant
	var pages int
	for p.HasMore() {
		items, err := p.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		all = append(all, items...)
	}
	if pages != 3 || len(all) != 46 || all[0].UserID != 10002 || all[1].UserID != 30001 || all[45].UserID != 30045 {
		t.Fatalf("%d pages, %d members: %v", pages, len(all), userIDs(all))
	}
	w := all[0]
	if w.Operator != 10001 || !w.CreateTime.Equal(clock.now()) || w.NickName != "观众B" || w.ConversationShortID != liveConv || w.Marks[0] != "新人" {
		t.Errorf("whitelist entry %+v", w)
	}

	// Adding again keeps the first entry; removing twice is no failure.
	clock.advance(time.Minute)
	if _, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: 10005, ParticipantUserIDs: []int64{10002}}); err != nil {
		t.Fatal(err)
	}
	first, err := c.BatchGetWhitelistParticipant(ctx, &volcim.BatchGetWhitelistParticipantRequest{ConversationShortID: liveConv, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Participants) != 1 || first.Participants[0].Operator != 10001 || !first.Participants[0].CreateTime.Equal(w.CreateTime) || !first.HasMore || first.NextCursor != 1 {
		t.Errorf("first page %+v", first)
	}
	for range 2 {
		if _, err := c.BatchRemoveWhitelistParticipant(ctx, &volcim.BatchRemoveWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: 10001, ParticipantUserIDs: ids[:40]}); err != nil {
			t.Fatal(err)
		}
	}
	var left []int64
	for p, err := range c.WhitelistParticipants(ctx, &volcim.WhitelistParticipantsRequest{ConversationShortID: liveConv, PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		left = append(left, p.UserID)
	}
	if !slices.Equal(left, []int64{10002, 30001, 30002, 30003, 30004, 30005}) {
		t.Errorf("left on the list: %v", left)
	}
	last, err := c.BatchGetWhitelistParticipant(ctx, &volcim.BatchGetWhitelistParticipantRequest{ConversationShortID: liveConv, Cursor: 4, Limit: 20})
	if err != nil || last.HasMore || last.NextCursor != -1 || len(last.Participants) != 2 {
		t.Errorf("last page %+v, %v", last, err)
	}
}

func TestLiveListMaxAndResume(t *testing.T) {
	t.Parallel()
	_, c, _ := newLiveServer(t)
	ctx := context.Background()
	var users []volcim.BlockedUser
	for id := int64(40001); id <= 40025; id++ {
		users = append(users, volcim.BlockedUser{UserID: id, Duration: time.Hour})
	}
	if _, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: volcim.BlockBan, Users: users}); err != nil {
		t.Fatal(err)
	}
	var got []int64
	for p, err := range c.BlockParticipants(ctx, &volcim.BlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: volcim.BlockBan, PageSize: 7, Max: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.UserID)
	}
	if len(got) != 10 || got[0] != 40001 || got[9] != 40010 {
		t.Fatalf("Max 10 walked %v", got)
	}
	// A pager stopped after a page resumes from its cursor.
	p, err := c.BlockParticipantsPager(&volcim.BlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: volcim.BlockBan, PageSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	page1, err := p.Next(ctx)
	if err != nil || len(page1) != 20 {
		t.Fatalf("page 1: %d, %v", len(page1), err)
	}
	rest, err := c.BlockParticipantsPager(&volcim.BlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: volcim.BlockBan, Cursor: p.Cursor()})
	if err != nil {
		t.Fatal(err)
	}
	page2, err := rest.Next(ctx)
	if err != nil || len(page2) != 5 || page2[0].UserID != 40021 || rest.HasMore() {
		t.Fatalf("resumed page: %v, %v, more %v", userIDs(page2), err, rest.HasMore())
	}
}

func TestBatchUpdateLiveParticipants(t *testing.T) {
	t.Parallel()
	_, c, _ := newLiveServer(t)
	ctx := context.Background()
	resp, err := c.BatchUpdateLiveParticipants(ctx, &volcim.BatchUpdateLiveParticipantsRequest{
		ConversationShortID: liveConv,
		Participants: []volcim.LiveParticipantUpdate{
			{UserID: 10001, NickName: volcim.Ptr("主播小明"), AvatarURL: volcim.Ptr("https://a.example/new"), Ext: map[string]string{"等级": "9"}, Marks: []string{"主播", "VIP"}},
			{UserID: 10002, Ext: map[string]string{"k": "w"}},
			{UserID: 55555, NickName: volcim.Ptr("路人")},
		},
	})
	var pf *volcim.PartialFailureError
	if !errors.As(err, &pf) || len(resp.Failed) != 1 || resp.Failed[0].UserID != 55555 || resp.Failed[0].Code != volcim.CodeParticipantNotInConversation || !reflect.DeepEqual(pf.Failed, resp.Failed) {
		t.Fatalf("%+v, %v", resp, err)
	}
	// The profiles show wherever members are listed: whitelist them.
	if _, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: 1, ParticipantUserIDs: []int64{10001, 10002}}); err != nil {
		t.Fatal(err)
	}
	read := func() []volcim.Participant {
		r, err := c.BatchGetWhitelistParticipant(ctx, &volcim.BatchGetWhitelistParticipantRequest{ConversationShortID: liveConv, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		return r.Participants
	}
	got := read()
	if a := got[0]; a.NickName != "主播小明" || a.AvatarURL != "https://a.example/new" || !reflect.DeepEqual(a.Ext, map[string]string{"k": "v", "等级": "9"}) || !slices.Equal(a.Marks, []string{"新人", "主播", "VIP"}) {
		t.Errorf("10001 after the update: %+v", a)
	}
	if b := got[1]; b.NickName != "观众B" || !reflect.DeepEqual(b.Ext, map[string]string{"k": "w"}) {
		t.Errorf("10002 after the update: %+v", b)
	}
	// Deleting marks, twice: the same end state.
	for range 2 {
		if _, err := c.BatchUpdateLiveParticipants(ctx, &volcim.BatchUpdateLiveParticipantsRequest{
			ConversationShortID: liveConv, MarkAction: volcim.MarkDelete,
			Participants: []volcim.LiveParticipantUpdate{{UserID: 10001, NickName: volcim.Ptr("主播小明"), Marks: []string{"新人", "VIP"}}},
		}); err != nil {
			t.Fatal(err)
		}
	}
	if a := read()[0]; !slices.Equal(a.Marks, []string{"主播"}) {
		t.Errorf("marks after deleting: %v", a.Marks)
	}
}

// TestLiveGroupActionsNeedALiveGroup calls every action on a group and on
// a conversation that does not exist: the API's errors, typed.
func TestLiveGroupActionsNeedALiveGroup(t *testing.T) {
	t.Parallel()
	_, c, _ := newLiveServer(t)
	ctx := context.Background()
	calls := map[string]func(conv int64) error{
		"BatchAddBlockParticipants": func(conv int64) error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: conv, Users: []volcim.BlockedUser{{UserID: 10001, Duration: time.Hour}}})
			return err
		},
		"BatchDeleteBlockParticipants": func(conv int64) error {
			_, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: conv, ParticipantUserIDs: []int64{10001}})
			return err
		},
		"BatchGetBlockParticipants": func(conv int64) error {
			_, err := c.BatchGetBlockParticipants(ctx, &volcim.BatchGetBlockParticipantsRequest{ConversationShortID: conv, Limit: 20})
			return err
		},
		"BatchAddWhitelistParticipant": func(conv int64) error {
			_, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: conv, Operator: 1, ParticipantUserIDs: []int64{10001}})
			return err
		},
		"BatchRemoveWhitelistParticipant": func(conv int64) error {
			_, err := c.BatchRemoveWhitelistParticipant(ctx, &volcim.BatchRemoveWhitelistParticipantRequest{ConversationShortID: conv, Operator: 1, ParticipantUserIDs: []int64{10001}})
			return err
		},
		"BatchGetWhitelistParticipant": func(conv int64) error {
			_, err := c.BatchGetWhitelistParticipant(ctx, &volcim.BatchGetWhitelistParticipantRequest{ConversationShortID: conv, Limit: 20})
			return err
		},
		"BatchUpdateLiveParticipants": func(conv int64) error {
			_, err := c.BatchUpdateLiveParticipants(ctx, &volcim.BatchUpdateLiveParticipantsRequest{ConversationShortID: conv, Participants: []volcim.LiveParticipantUpdate{{UserID: 10001, NickName: volcim.Ptr("x")}}})
			return err
		},
	}
	for action, call := range calls {
		for conv, code := range map[int64]string{groupConv: volcim.CodeOnlyLiveConversationSupport, 424242: volcim.CodeConversationNotFound} {
			var ae *volcim.APIError
			if err := call(conv); !errors.As(err, &ae) || ae.Code != code || ae.Action != action {
				t.Errorf("%s on %d: %v, want an *APIError %s", action, conv, err, code)
			}
		}
	}
}

func TestLiveGroupInvalidRequests(t *testing.T) {
	t.Parallel()
	srv, c, _ := newLiveServer(t)
	ctx := context.Background()
	user := []volcim.BlockedUser{{UserID: 1, Duration: time.Second}}
	tooManyIDs := make([]int64, volcim.MaxLiveGroupUsersPerCall+1)
	for i := range tooManyIDs {
		tooManyIDs[i] = int64(i + 1)
	}
	tooManyUsers := make([]volcim.BlockedUser, volcim.MaxLiveGroupUsersPerCall+1)
	for i := range tooManyUsers {
		tooManyUsers[i] = volcim.BlockedUser{UserID: int64(i + 1), Duration: time.Second}
	}
	upd := func(us ...volcim.LiveParticipantUpdate) *volcim.BatchUpdateLiveParticipantsRequest {
		return &volcim.BatchUpdateLiveParticipantsRequest{ConversationShortID: liveConv, Participants: us}
	}
	nick := volcim.Ptr("n")
	tooManyUpdates := make([]volcim.LiveParticipantUpdate, volcim.MaxBatchUpdateLiveParticipants+1)
	for i := range tooManyUpdates {
		tooManyUpdates[i] = volcim.LiveParticipantUpdate{UserID: int64(i + 1), NickName: nick}
	}
	for _, tc := range []struct {
		action, field string
		call          func() error
	}{
		{"BatchAddBlockParticipants", "", func() error { _, err := c.BatchAddBlockParticipants(ctx, nil); return err }},
		{"BatchAddBlockParticipants", "AppID", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{AppID: -1, ConversationShortID: liveConv, Users: user})
			return err
		}},
		{"BatchAddBlockParticipants", "ConversationShortID", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{Users: user})
			return err
		}},
		{"BatchAddBlockParticipants", "BlockAction", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: 2, Users: user})
			return err
		}},
		{"BatchAddBlockParticipants", "Users", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv})
			return err
		}},
		{"BatchAddBlockParticipants", "Users", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, Users: tooManyUsers})
			return err
		}},
		{"BatchAddBlockParticipants", "Users", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, Users: []volcim.BlockedUser{{Duration: time.Second}}})
			return err
		}},
		{"BatchAddBlockParticipants", "Users", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, Users: []volcim.BlockedUser{{UserID: -5, Duration: time.Second}}})
			return err
		}},
		{"BatchAddBlockParticipants", "Users", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, Users: []volcim.BlockedUser{{UserID: 1, UserIDStr: "a", Duration: time.Second}}})
			return err
		}},
		{"BatchAddBlockParticipants", "Users", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, Users: []volcim.BlockedUser{{UserID: 1}}})
			return err
		}},
		{"BatchAddBlockParticipants", "Users", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, Users: []volcim.BlockedUser{{UserID: 1, Duration: -time.Second}}})
			return err
		}},
		{"BatchAddBlockParticipants", "Users", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, Users: []volcim.BlockedUser{{UserID: 1, Duration: time.Second}, {UserID: 1, Duration: time.Hour}}})
			return err
		}},
		{"BatchAddBlockParticipants", "Users", func() error {
			_, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{ConversationShortID: liveConv, Users: []volcim.BlockedUser{{UserIDStr: "x", Duration: time.Second}, {UserIDStr: "x", Duration: time.Hour}}})
			return err
		}},
		{"BatchDeleteBlockParticipants", "", func() error { _, err := c.BatchDeleteBlockParticipants(ctx, nil); return err }},
		{"BatchDeleteBlockParticipants", "ConversationShortID", func() error {
			_, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: -1, ParticipantUserIDs: []int64{1}})
			return err
		}},
		{"BatchDeleteBlockParticipants", "BlockAction", func() error {
			_, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: -1, ParticipantUserIDs: []int64{1}})
			return err
		}},
		{"BatchDeleteBlockParticipants", "ParticipantUserIDs", func() error {
			_, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: liveConv})
			return err
		}},
		{"BatchDeleteBlockParticipants", "ParticipantUserIDs", func() error {
			_, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: liveConv, ParticipantUserIDs: tooManyIDs})
			return err
		}},
		{"BatchDeleteBlockParticipants", "ParticipantUserIDs", func() error {
			_, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: liveConv, ParticipantUserIDs: []int64{3, 0}})
			return err
		}},
		{"BatchDeleteBlockParticipants", "ParticipantUserIDsStr", func() error {
			_, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: liveConv, ParticipantUserIDsStr: []string{""}})
			return err
		}},
		{"BatchGetBlockParticipants", "", func() error { _, err := c.BatchGetBlockParticipants(ctx, nil); return err }},
		{"BatchGetBlockParticipants", "ConversationShortID", func() error {
			_, err := c.BatchGetBlockParticipants(ctx, &volcim.BatchGetBlockParticipantsRequest{Limit: 1})
			return err
		}},
		{"BatchGetBlockParticipants", "BlockAction", func() error {
			_, err := c.BatchGetBlockParticipants(ctx, &volcim.BatchGetBlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: 7, Limit: 1})
			return err
		}},
		{"BatchGetBlockParticipants", "Cursor", func() error {
			_, err := c.BatchGetBlockParticipants(ctx, &volcim.BatchGetBlockParticipantsRequest{ConversationShortID: liveConv, Cursor: -1, Limit: 1})
			return err
		}},
		{"BatchGetBlockParticipants", "Limit", func() error {
			_, err := c.BatchGetBlockParticipants(ctx, &volcim.BatchGetBlockParticipantsRequest{ConversationShortID: liveConv})
			return err
		}},
		{"BatchGetBlockParticipants", "Limit", func() error {
			_, err := c.BatchGetBlockParticipants(ctx, &volcim.BatchGetBlockParticipantsRequest{ConversationShortID: liveConv, Limit: 21})
			return err
		}},
		{"BatchAddWhitelistParticipant", "", func() error { _, err := c.BatchAddWhitelistParticipant(ctx, nil); return err }},
		{"BatchAddWhitelistParticipant", "ConversationShortID", func() error {
			_, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{Operator: 1, ParticipantUserIDs: []int64{1}})
			return err
		}},
		{"BatchAddWhitelistParticipant", "Operator", func() error {
			_, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: liveConv, ParticipantUserIDs: []int64{1}})
			return err
		}},
		{"BatchAddWhitelistParticipant", "Operator", func() error {
			_, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: -1, OperatorStr: "x", ParticipantUserIDs: []int64{1}})
			return err
		}},
		{"BatchAddWhitelistParticipant", "ParticipantUserIDs", func() error {
			_, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: 1})
			return err
		}},
		{"BatchAddWhitelistParticipant", "ParticipantUserIDs", func() error {
			_, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: 1, ParticipantUserIDs: tooManyIDs})
			return err
		}},
		{"BatchRemoveWhitelistParticipant", "", func() error { _, err := c.BatchRemoveWhitelistParticipant(ctx, nil); return err }},
		{"BatchRemoveWhitelistParticipant", "Operator", func() error {
			_, err := c.BatchRemoveWhitelistParticipant(ctx, &volcim.BatchRemoveWhitelistParticipantRequest{ConversationShortID: liveConv, ParticipantUserIDs: []int64{1}})
			return err
		}},
		{"BatchRemoveWhitelistParticipant", "ParticipantUserIDs", func() error {
			_, err := c.BatchRemoveWhitelistParticipant(ctx, &volcim.BatchRemoveWhitelistParticipantRequest{ConversationShortID: liveConv, OperatorStr: "op", ParticipantUserIDs: []int64{-2}})
			return err
		}},
		{"BatchGetWhitelistParticipant", "", func() error { _, err := c.BatchGetWhitelistParticipant(ctx, nil); return err }},
		{"BatchGetWhitelistParticipant", "ConversationShortID", func() error {
			_, err := c.BatchGetWhitelistParticipant(ctx, &volcim.BatchGetWhitelistParticipantRequest{Limit: 1})
			return err
		}},
		{"BatchGetWhitelistParticipant", "Cursor", func() error {
			_, err := c.BatchGetWhitelistParticipant(ctx, &volcim.BatchGetWhitelistParticipantRequest{ConversationShortID: liveConv, Cursor: -3, Limit: 1})
			return err
		}},
		{"BatchGetWhitelistParticipant", "Limit", func() error {
			_, err := c.BatchGetWhitelistParticipant(ctx, &volcim.BatchGetWhitelistParticipantRequest{ConversationShortID: liveConv, Limit: 0})
			return err
		}},
		{"BatchUpdateLiveParticipants", "", func() error { _, err := c.BatchUpdateLiveParticipants(ctx, nil); return err }},
		{"BatchUpdateLiveParticipants", "ConversationShortID", func() error {
			_, err := c.BatchUpdateLiveParticipants(ctx, &volcim.BatchUpdateLiveParticipantsRequest{Participants: []volcim.LiveParticipantUpdate{{UserID: 1, NickName: nick}}})
			return err
		}},
		{"BatchUpdateLiveParticipants", "Participants", func() error { _, err := c.BatchUpdateLiveParticipants(ctx, upd()); return err }},
		{"BatchUpdateLiveParticipants", "Participants", func() error { _, err := c.BatchUpdateLiveParticipants(ctx, upd(tooManyUpdates...)); return err }},
		{"BatchUpdateLiveParticipants", "Participants", func() error {
			_, err := c.BatchUpdateLiveParticipants(ctx, upd(volcim.LiveParticipantUpdate{NickName: nick}))
			return err
		}},
		{"BatchUpdateLiveParticipants", "Participants", func() error {
			_, err := c.BatchUpdateLiveParticipants(ctx, upd(volcim.LiveParticipantUpdate{UserID: 1, Marks: []string{"only marks"}}))
			return err
		}},
		{"BatchUpdateLiveParticipants", "Participants", func() error {
			_, err := c.BatchUpdateLiveParticipants(ctx, upd(volcim.LiveParticipantUpdate{UserID: 1, NickName: nick}, volcim.LiveParticipantUpdate{UserID: 1, Ext: map[string]string{"a": "b"}}))
			return err
		}},
		{"BatchUpdateLiveParticipants", "MarkAction", func() error {
			r := upd(volcim.LiveParticipantUpdate{UserID: 1, NickName: nick})
			r.MarkAction = 3
			_, err := c.BatchUpdateLiveParticipants(ctx, r)
			return err
		}},
		{"BatchGetBlockParticipants", "", func() error { _, err := c.BlockParticipantsPager(nil); return err }},
		{"BatchGetBlockParticipants", "BlockAction", func() error {
			_, err := c.BlockParticipantsPager(&volcim.BlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: 5})
			return err
		}},
		{"BatchGetBlockParticipants", "ConversationShortID", func() error {
			_, err := c.BlockParticipantsPager(&volcim.BlockParticipantsRequest{})
			return err
		}},
		{"BatchGetBlockParticipants", "PageSize", func() error {
			_, err := c.BlockParticipantsPager(&volcim.BlockParticipantsRequest{ConversationShortID: liveConv, PageSize: 21})
			return err
		}},
		{"BatchGetBlockParticipants", "Max", func() error {
			_, err := c.BlockParticipantsPager(&volcim.BlockParticipantsRequest{ConversationShortID: liveConv, Max: -1})
			return err
		}},
		{"BatchGetBlockParticipants", "Cursor", func() error {
			_, err := c.BlockParticipantsPager(&volcim.BlockParticipantsRequest{ConversationShortID: liveConv, Cursor: -1})
			return err
		}},
		{"BatchGetBlockParticipants", "MaxEmptyPages", func() error {
			_, err := c.BlockParticipantsPager(&volcim.BlockParticipantsRequest{ConversationShortID: liveConv, MaxEmptyPages: -1})
			return err
		}},
		{"BatchGetBlockParticipants", "AppID", func() error {
			_, err := c.BlockParticipantsPager(&volcim.BlockParticipantsRequest{AppID: -4, ConversationShortID: liveConv})
			return err
		}},
		{"BatchGetWhitelistParticipant", "", func() error { _, err := c.WhitelistParticipantsPager(nil); return err }},
		{"BatchGetWhitelistParticipant", "PageSize", func() error {
			_, err := c.WhitelistParticipantsPager(&volcim.WhitelistParticipantsRequest{ConversationShortID: liveConv, PageSize: -1})
			return err
		}},
		{"BatchGetWhitelistParticipant", "ConversationShortID", func() error {
			for _, err := range c.WhitelistParticipants(ctx, &volcim.WhitelistParticipantsRequest{}) {
				return err
			}
			return nil
		}},
		{"BatchGetBlockParticipants", "Max", func() error {
			for _, err := range c.BlockParticipants(ctx, &volcim.BlockParticipantsRequest{ConversationShortID: liveConv, Max: -2}) {
				return err
			}
			return nil
		}},
	} {
		err := tc.call()
		var ire *volcim.InvalidRequestError
		if !errors.As(err, &ire) || !errors.Is(err, volcim.ErrInvalidRequest) || ire.Action != tc.action || ire.Field != tc.field {
			t.Errorf("%s %s: got %v (%+v)", tc.action, tc.field, err, ire)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server; invalid requests must fail before the network", n)
	}
}

// replayTestdata returns a client whose every request is answered with
// testdata/file, and a function that returns the bodies it sent.
func replayTestdata(t *testing.T, file string) (*volcim.Client, func() [][]byte) {
	t.Helper()
	reply, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return replayBody(t, reply)
}

// replayBody returns a client whose every request is answered with reply
// (HTTP 200), and a function that returns the bodies it sent.
func replayBody(t *testing.T, reply []byte) (*volcim.Client, func() [][]byte) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var mu sync.Mutex
	var bodies [][]byte
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		r := httpmock.NewBytesResponse(http.StatusOK, reply)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	})
	c, err := volcim.NewClient("AKLTreplay", "replay-secret", volcim.WithHTTPClient(&http.Client{Transport: mt}),
		volcim.WithAppID(123456), volcim.WithRateLimit(1e6), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c, func() [][]byte {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(bodies)
	}
}

func sameJSON(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	d := json.NewDecoder(bytes.NewReader([]byte(want)))
	d.UseNumber()
	if err := d.Decode(&w); err != nil {
		t.Fatalf("%s: bad want: %v", what, err)
	}
	d = json.NewDecoder(bytes.NewReader(got))
	d.UseNumber()
	if err := d.Decode(&g); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %s\nwant %s", what, got, want)
	}
}

// TestLiveGroupRequestsAndDecode sends each action once against its canned
// reply: the body on the wire and every decoded field.
func TestLiveGroupRequestsAndDecode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	const big = 9007199254740993

	t.Run("BatchAddBlockParticipants", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "partial/batch_add_block_participants.json")
		resp, err := c.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{
			ConversationShortID: liveConv, BlockAction: volcim.BlockBan,
			Users: []volcim.BlockedUser{{UserID: big, Duration: 90 * time.Minute}, {UserID: 10001, Duration: 1500 * time.Millisecond}, {UserIDStr: "观众-丙", Duration: time.Nanosecond}},
		})
		if !errors.Is(err, volcim.ErrPartialFailure) {
			t.Fatalf("err %v", err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"ConversationShortId":7171275522159198472,"BlockAction":1,
			"ParticipantBlockInfos":{"9007199254740993":5400,"10001":2},"ParticipantBlockInfosStr":{"观众-丙":1}}`)
		want := []volcim.FailedItem{{UserID: big}, {UserIDStr: "观众-丙"}}
		if !reflect.DeepEqual(resp.Failed, want) || resp.RequestID != "2024052010301501021215324504"+"00D0" || resp.Action != "BatchAddBlockParticipants" || resp.Region != "cn-north-1" {
			t.Errorf("%+v", resp)
		}
	})
	t.Run("BatchDeleteBlockParticipants", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "partial/batch_delete_block_participants.json")
		resp, err := c.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{ConversationShortID: liveConv, ParticipantUserIDs: []int64{7234567890123456789}, ParticipantUserIDsStr: []string{"观众-丁"}})
		if !errors.Is(err, volcim.ErrPartialFailure) {
			t.Fatalf("err %v", err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"ConversationShortId":7171275522159198472,"ParticipantUserIds":[7234567890123456789],"ParticipantUserIdsStr":["观众-丁"]}`)
		if !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 7234567890123456789}, {UserIDStr: "观众-丁"}}) {
			t.Errorf("%+v", resp)
		}
	})
	t.Run("BatchGetBlockParticipants", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "batch_get_block_participants.json")
		resp, err := c.BatchGetBlockParticipants(ctx, &volcim.BatchGetBlockParticipantsRequest{ConversationShortID: liveConv, BlockAction: volcim.BlockMute, Cursor: 0, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"ConversationShortId":7171275522159198472,"Cursor":0,"Limit":2}`)
		want := []volcim.Participant{
			{ConversationShortID: liveConv, UserID: 10001, UserIDStr: "user-10001", CreateTime: at(1716172215), BlockTime: at(1716175815), NickName: "小明",
				AvatarURL: "https://cdn.example.com/avatar/10001.png", Ext: map[string]string{"等级": "5", "city": "北京"}, Marks: []string{"主播助理", "VIP"}},
			{ConversationShortID: liveConv, UserID: big, CreateTime: at(1716172230), BlockTime: at(1716258630), NickName: "路人甲",
				AvatarURL: "https://cdn.example.com/avatar/9007199254740993.png", Ext: map[string]string{"来源": "分享"}, Marks: []string{"新人"}},
		}
		if !reflect.DeepEqual(resp.Participants, want) || !resp.HasMore || resp.NextCursor != 2 {
			t.Errorf("got %+v\nwant %+v", resp, want)
		}
	})
	t.Run("BatchAddWhitelistParticipant", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "partial/batch_add_whitelist_participant.json")
		resp, err := c.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: 10000, OperatorStr: "主持人", ParticipantUserIDs: []int64{9007199254740995}, ParticipantUserIDsStr: []string{"嘉宾-乙"}})
		if !errors.Is(err, volcim.ErrPartialFailure) {
			t.Fatalf("err %v", err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"ConversationShortId":7171275522159198472,"Operator":10000,"OperatorStr":"主持人","ParticipantUserIds":[9007199254740995],"ParticipantUserIdsStr":["嘉宾-乙"]}`)
		if !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 9007199254740995}, {UserIDStr: "嘉宾-乙"}}) {
			t.Errorf("%+v", resp)
		}
	})
	t.Run("BatchRemoveWhitelistParticipant", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "partial/batch_remove_whitelist_participant.json")
		resp, err := c.BatchRemoveWhitelistParticipant(ctx, &volcim.BatchRemoveWhitelistParticipantRequest{ConversationShortID: liveConv, Operator: 10000, ParticipantUserIDs: []int64{7234567890123456791}})
		if !errors.Is(err, volcim.ErrPartialFailure) {
			t.Fatalf("err %v", err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"ConversationShortId":7171275522159198472,"Operator":10000,"ParticipantUserIds":[7234567890123456791]}`)
		if !reflect.DeepEqual(resp.Failed, []volcim.FailedItem{{UserID: 7234567890123456791}, {UserIDStr: "嘉宾-戊"}}) {
			t.Errorf("%+v", resp)
		}
	})
	t.Run("BatchGetWhitelistParticipant", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "batch_get_whitelist_participant.json")
		resp, err := c.BatchGetWhitelistParticipant(ctx, &volcim.BatchGetWhitelistParticipantRequest{ConversationShortID: liveConv, Cursor: 3, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"ConversationShortId":7171275522159198472,"Cursor":3,"Limit":20}`)
		want := []volcim.Participant{
			{ConversationShortID: liveConv, UserID: 10002, Operator: 10000, CreateTime: at(1716172300), NickName: "主持人小李",
				AvatarURL: "https://cdn.example.com/avatar/10002.png", Ext: map[string]string{"角色": "主持"}, Marks: []string{"主持人"}},
			{ConversationShortID: liveConv, UserID: 9007199254740997, Operator: 7234567890123456789, CreateTime: at(1716172360), NickName: "嘉宾王老师",
				AvatarURL: "https://cdn.example.com/avatar/9007199254740997.png", Ext: map[string]string{"title": "特邀嘉宾"}, Marks: []string{"嘉宾", "认证"}},
		}
		if !reflect.DeepEqual(resp.Participants, want) || resp.HasMore || resp.NextCursor != -1 {
			t.Errorf("got %+v\nwant %+v", resp, want)
		}
	})
	t.Run("BatchUpdateLiveParticipants", func(t *testing.T) {
		t.Parallel()
		c, sent := replayTestdata(t, "partial/batch_update_live_participants.json")
		resp, err := c.BatchUpdateLiveParticipants(ctx, &volcim.BatchUpdateLiveParticipantsRequest{
			ConversationShortID: liveConv, MarkAction: volcim.MarkDelete,
			Participants: []volcim.LiveParticipantUpdate{
				{UserID: 10001, AvatarURL: volcim.Ptr(""), NickName: volcim.Ptr("小明"), Ext: map[string]string{"k": "值"}, Marks: []string{"VIP"}},
				{UserID: 9007199254740999, UserIDStr: "观众-庚", Ext: map[string]string{"a": "b"}},
			},
		})
		var pf *volcim.PartialFailureError
		if !errors.As(err, &pf) {
			t.Fatalf("err %v", err)
		}
		sameJSON(t, "body", sent()[0], `{"AppId":123456,"ConversationShortId":7171275522159198472,"MarkAction":2,"ParticipantInfos":[
			{"UserId":10001,"AvatarUrl":"","NickName":"小明","Ext":{"k":"值"},"Marks":["VIP"]},
			{"UserId":9007199254740999,"UserIdStr":"观众-庚","Ext":{"a":"b"}}]}`)
		want := []volcim.FailedItem{{UserID: 9007199254740999, UserIDStr: "观众-庚", Code: volcim.CodeParticipantNotInConversation, Message: "participant not in conversation"}}
		if !reflect.DeepEqual(resp.Failed, want) || !reflect.DeepEqual(pf.Failed, want) {
			t.Errorf("%+v", resp)
		}
	})
}

// liveListReply is a scripted page of a live list: one member whose id is
// the cursor plus 1000, and the next cursor.
func liveListReply(cursor int64, hasMore bool, next int64) []byte {
	b, _ := json.Marshal(map[string]any{
		"ResponseMetadata": map[string]any{"RequestId": "r"},
		"Result": map[string]any{"HasMore": hasMore, "NextCursor": next,
			"Participants": []map[string]any{{"ParticipantUserId": cursor + 1000}}},
	})
	return b
}

// TestLiveListGuards: a list whose next cursor does not grow ends the walk
// with an error; a negative one ends it normally.
func TestLiveListGuards(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		next    func(cursor int64) (bool, int64)
		want    []int64
		wantErr error
	}{
		{"stall", func(c int64) (bool, int64) { return true, min(c+1, 2) }, []int64{1000, 1001}, pagination.ErrStalledCursor},
		{"back", func(c int64) (bool, int64) {
			if c == 5 {
				return true, 1
			}
			return true, c + 5
		}, []int64{1000}, pagination.ErrCursorCycle},
		{"negative ends", func(c int64) (bool, int64) {
			if c == 2 {
				return true, -1
			}
			return true, c + 1
		}, []int64{1000, 1001, 1002}, nil},
		{"no more", func(c int64) (bool, int64) { return c < 1, c + 1 }, []int64{1000, 1001}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, whitelist := range []bool{false, true} {
				mt := httpmock.NewMockTransport()
				var calls atomic.Int32
				mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
					var body struct{ Cursor int64 }
					if err := json.NewDecoder(req.Body).Decode(&body); err != nil {
						return nil, err
					}
					n := calls.Add(1)
					more, next := tc.next(body.Cursor)
					if n > 10 {
						more = false
					}
					return httpmock.NewBytesResponse(200, liveListReply(body.Cursor, more, next)), nil
				})
				c, err := volcim.NewClient("AK", "SK", volcim.WithHTTPClient(&http.Client{Transport: mt}), volcim.WithAppID(1),
					volcim.WithRateLimit(1e6), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
				if err != nil {
					t.Fatal(err)
				}
				seq := c.BlockParticipants(context.Background(), &volcim.BlockParticipantsRequest{ConversationShortID: liveConv})
				if whitelist {
					seq = c.WhitelistParticipants(context.Background(), &volcim.WhitelistParticipantsRequest{ConversationShortID: liveConv})
				}
				var got []int64
				var gotErr error
				for p, err := range seq {
					if err != nil {
						gotErr = err
						break
					}
					got = append(got, p.UserID)
				}
				if !slices.Equal(got, tc.want) || !errors.Is(gotErr, tc.wantErr) || (tc.wantErr == nil) != (gotErr == nil) {
					t.Errorf("whitelist %v: got %v, %v; want %v, %v", whitelist, got, gotErr, tc.want, tc.wantErr)
				}
			}
		})
	}
}

func TestLiveGroupEnumStrings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		got, want string
	}{
		{volcim.BlockMute.String(), "mute"},
		{volcim.BlockBan.String(), "ban"},
		{volcim.BlockAction(9).String(), "BlockAction(9)"},
		{volcim.MarkAction(0).String(), "default (add)"},
		{volcim.MarkAdd.String(), "add"},
		{volcim.MarkDelete.String(), "delete"},
		{volcim.MarkAction(-1).String(), "MarkAction(-1)"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
