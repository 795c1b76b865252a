package volcim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/pagination"
	"github.com/volcim/volcim-go/volcimtest"
)

const convApp = 200001

// newConvServer starts a server with no data and a client with fast
// retries; the server's per-action limit is raised for tests that create
// many conversations.
func newConvServer(t *testing.T, opts ...volcimtest.Option) (*volcimtest.Server, *volcim.Client) {
	t.Helper()
	srv := volcimtest.NewServer(append([]volcimtest.Option{volcimtest.WithQPS(1 << 20)}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := srv.Client(volcim.WithAppID(convApp), volcim.WithRateLimit(1e6),
		volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// withClock sets the server's clock to now, with a skew wide enough for the
// client's real signing time.
func withClock(now func() time.Time) []volcimtest.Option {
	return []volcimtest.Option{volcimtest.WithClock(now), volcimtest.WithMaxSkew(time.Duration(math.MaxInt64))}
}

// createGroup creates a group owned by owner and returns its id.
func createGroup(t *testing.T, c *volcim.Client, owner int64, name string) int64 {
	t.Helper()
	resp, err := c.CreateConversation(context.Background(), &volcim.CreateConversationRequest{
		ConversationType: volcim.ConversationGroup, OwnerUserID: owner, Name: name,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.ConversationShortID
}

func TestCreateGroupIsReadBackAndOnlyMembersSend(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	_, c := newConvServer(t, withClock(func() time.Time { return at })...)
	ctx := context.Background()
	created, err := c.CreateConversation(ctx, &volcim.CreateConversationRequest{
		ConversationType: volcim.ConversationGroup,
		Name:             "产品组",
		AvatarURL:        "https://example.com/a.png",
		Description:      "d",
		Notice:           "n",
		Ext:              map[string]string{"k": "v"},
		OwnerUserID:      10001,
		InboxType:        1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !uuidV4.MatchString(created.IdempotentID) || created.Exist || created.ConversationShortID <= 1<<53 || created.ConversationID == "" {
		t.Fatalf("response %+v: want a new conversation, an id beyond 2^53 and a UUID key", created)
	}
	want := volcim.Conversation{
		AppID: convApp, ConversationShortID: created.ConversationShortID, ConversationID: created.ConversationID,
		ConversationType: volcim.ConversationGroup, InboxType: 1, Name: "产品组", AvatarURL: "https://example.com/a.png",
		Description: "d", Notice: "n", OwnerUserID: 10001, CreatorUserID: 10001, Ext: map[string]string{"k": "v"},
		CreateTime: at, ModifyTime: at, MemberCount: 1,
	}
	if !reflect.DeepEqual(created.Conversation, want) {
		t.Errorf("created\n got %+v\nwant %+v", created.Conversation, want)
	}
	got, err := c.BatchGetConversations(ctx, &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{created.ConversationShortID}, IncludeMemberCount: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Conversations) != 1 || !reflect.DeepEqual(got.Conversations[0], want) {
		t.Errorf("BatchGetConversations %+v", got.Conversations)
	}
	mine, err := c.GetUserConversations(ctx, &volcim.GetUserConversationsRequest{UserID: 10001, Limit: 20, InboxType: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Conversations) != 1 || mine.Conversations[0].ConversationShortID != created.ConversationShortID || mine.HasMore {
		t.Errorf("owner's conversations %+v", mine)
	}
	send := func(sender int64) error {
		_, err := c.SendMessage(ctx, &volcim.SendMessageRequest{ConversationShortID: created.ConversationShortID, Sender: sender, MsgType: volcim.MessageText, Content: volcim.TextContent("hi")})
		return err
	}
	if err := send(10001); err != nil {
		t.Errorf("the owner cannot send: %v", err)
	}
	if err := send(10002); apiCode(err) != volcim.CodeParticipantNotInConversation {
		t.Errorf("a non-member sends: %v, want ParticipantNotInConversation", err)
	}
}

func TestCreateConversationIdempotency(t *testing.T) {
	t.Parallel()
	_, c := newConvServer(t)
	ctx := context.Background()
	req := &volcim.CreateConversationRequest{ConversationType: volcim.ConversationGroup, OwnerUserID: 1, IdempotentID: "order-42-chat"}
	first, err := c.CreateConversation(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CreateConversation(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if first.Exist || !again.Exist || again.ConversationShortID != first.ConversationShortID || again.IdempotentID != "order-42-chat" {
		t.Errorf("first %+v, again %+v: one key must give one group", first, again)
	}
	// Without a key, two creations are two groups.
	a := createGroup(t, c, 1, "a")
	b := createGroup(t, c, 1, "b")
	if a == b {
		t.Error("two groups without a key share an id")
	}
}

// TestCreateConversationRetriedAfterALostReply drops the reply of a
// creation the server carried out: the client retries with the same key and
// the owner has one group, not two.
func TestCreateConversationRetriedAfterALostReply(t *testing.T) {
	t.Parallel()
	for _, kind := range []volcimtest.FaultKind{volcimtest.FaultTruncate, volcimtest.FaultDropReply} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			srv, c := newConvServer(t)
			srv.Script(volcimtest.Fault{Kind: kind, Action: "CreateConversation"})
			created, err := c.CreateConversation(context.Background(), &volcim.CreateConversationRequest{ConversationType: volcim.ConversationGroup, OwnerUserID: 7})
			if err != nil {
				t.Fatal(err)
			}
			if !created.Exist {
				t.Errorf("the retry answered Exist false: the first attempt's group should have been found")
			}
			var n int
			for conv, err := range c.UserConversations(context.Background(), &volcim.UserConversationsRequest{UserID: 7}) {
				if err != nil {
					t.Fatal(err)
				}
				if conv.ConversationShortID != created.ConversationShortID {
					t.Errorf("unexpected conversation %d", conv.ConversationShortID)
				}
				n++
			}
			if n != 1 {
				t.Fatalf("the owner has %d groups after a retried creation, want 1", n)
			}
		})
	}
}

func TestCreateOneToOne(t *testing.T) {
	t.Parallel()
	srv, c := newConvServer(t)
	ctx := context.Background()
	req := &volcim.CreateConversationRequest{ConversationType: volcim.ConversationOneToOne, OwnerUserID: 1, OtherUserID: 2}
	first, err := c.CreateConversation(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if first.IdempotentID != "" || first.Conversation.OtherUserID != 2 {
		t.Errorf("one-to-one %+v: no key is filled, OtherUserID is set", first)
	}
	// The same two users, either way round, have one conversation.
	again, err := c.CreateConversation(ctx, &volcim.CreateConversationRequest{ConversationType: volcim.ConversationOneToOne, OwnerUserID: 2, OtherUserID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Exist || again.ConversationShortID != first.ConversationShortID {
		t.Errorf("again %+v: the two users must share one conversation", again)
	}
	for _, u := range []int64{1, 2} {
		in, err := c.IsUserInConversation(ctx, &volcim.IsUserInConversationRequest{ConversationShortID: first.ConversationShortID, UserID: u})
		if err != nil || !in.InConversation {
			t.Errorf("user %d in the one-to-one conversation: %+v, %v", u, in, err)
		}
	}
	_, err = c.DestroyConversation(ctx, &volcim.DestroyConversationRequest{ConversationShortID: first.ConversationShortID, OwnerUserID: 1})
	if apiCode(err) != volcim.CodeSingleConversationNotSupport {
		t.Errorf("destroying a one-to-one conversation: %v", err)
	}
	_, err = c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{ConversationShortID: first.ConversationShortID, Operator: 1, Participants: []volcim.ParticipantToAdd{{UserID: 3}}})
	if apiCode(err) != volcim.CodeSingleConversationNotSupport {
		t.Errorf("adding to a one-to-one conversation: %v", err)
	}
	for _, r := range srv.Requests() {
		if r.Action == "CreateConversation" && strings.Contains(string(r.Body), "IdempotentId") {
			t.Errorf("a one-to-one creation was sent with a key: %s", r.Body)
		}
	}
}

func TestCreateConversationLiveGroupLimit(t *testing.T) {
	t.Parallel()
	_, c := newConvServer(t)
	ctx := context.Background()
	var first int64
	for i := range volcim.MaxLiveGroupsPerApp {
		resp, err := c.CreateConversation(ctx, &volcim.CreateConversationRequest{ConversationType: volcim.ConversationLiveGroup, OwnerUserID: 1})
		if err != nil {
			t.Fatalf("live group %d: %v", i, err)
		}
		if i == 0 {
			first = resp.ConversationShortID
		}
	}
	live := &volcim.CreateConversationRequest{ConversationType: volcim.ConversationLiveGroup, OwnerUserID: 1}
	if _, err := c.CreateConversation(ctx, live); apiCode(err) != volcim.CodeInvalidParam {
		t.Fatalf("live group 201: %v, want InvalidParam", err)
	}
	// A normal group is not counted; a dismissed live group frees a place.
	createGroup(t, c, 1, "g")
	if _, err := c.DestroyConversation(ctx, &volcim.DestroyConversationRequest{ConversationShortID: first, OwnerUserID: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateConversation(ctx, live); err != nil {
		t.Errorf("after dismissing one: %v", err)
	}
}

func TestModifyAndDestroyConversation(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	now := at
	var mu sync.Mutex
	_, c := newConvServer(t, withClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })...)
	ctx := context.Background()
	id := createGroup(t, c, 1, "old")
	if _, err := c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{ConversationShortID: id, Operator: 1, Participants: []volcim.ParticipantToAdd{{UserID: 2}}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = at.Add(time.Hour)
	mu.Unlock()
	_, err := c.ModifyConversation(ctx, &volcim.ModifyConversationRequest{
		ConversationShortID: id, Name: volcim.Ptr("new"), Notice: volcim.Ptr(""), Description: volcim.Ptr("desc"),
		AvatarURL: volcim.Ptr("https://example.com/b.png"), Ext: map[string]string{"a": "b"}, OwnerUserID: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.BatchGetConversations(ctx, &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{id}})
	if err != nil || len(got.Conversations) != 1 {
		t.Fatalf("%+v, %v", got, err)
	}
	conv := got.Conversations[0]
	if conv.Name != "new" || conv.Description != "desc" || conv.AvatarURL != "https://example.com/b.png" || conv.Ext["a"] != "b" ||
		conv.OwnerUserID != 2 || conv.CreatorUserID != 1 || !conv.ModifyTime.Equal(now) || !conv.CreateTime.Equal(at) {
		t.Errorf("modified %+v", conv)
	}
	roles, err := c.BatchGetConversationParticipant(ctx, &volcim.BatchGetConversationParticipantRequest{ConversationShortID: id, ParticipantUserIDs: []int64{1, 2}})
	if err != nil || len(roles.Participants) != 2 || roles.Participants[0].Role != volcim.RoleMember || roles.Participants[1].Role != volcim.RoleOwner {
		t.Errorf("roles after the transfer %+v, %v", roles, err)
	}
	if _, err := c.ModifyConversation(ctx, &volcim.ModifyConversationRequest{ConversationShortID: id, OwnerUserID: 99}); apiCode(err) != volcim.CodeParticipantNotInConversation {
		t.Errorf("transfer to a non-member: %v", err)
	}
	if _, err := c.DestroyConversation(ctx, &volcim.DestroyConversationRequest{ConversationShortID: id, OwnerUserID: 1}); apiCode(err) != volcim.CodeOnlyOwnerCanOperator {
		t.Errorf("destroy by the old owner: %v", err)
	}
	if _, err := c.DestroyConversation(ctx, &volcim.DestroyConversationRequest{ConversationShortID: id, OwnerUserID: 2}); err != nil {
		t.Fatal(err)
	}
	got, err = c.BatchGetConversations(ctx, &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{id}})
	if err != nil || len(got.Conversations) != 0 {
		t.Errorf("a destroyed conversation is returned: %+v, %v", got, err)
	}
	for _, u := range []int64{1, 2} {
		mine, err := c.GetUserConversations(ctx, &volcim.GetUserConversationsRequest{UserID: u, Limit: 20})
		if err != nil || len(mine.Conversations) != 0 {
			t.Errorf("user %d still lists a destroyed conversation: %+v, %v", u, mine, err)
		}
	}
	if _, err := c.DestroyConversation(ctx, &volcim.DestroyConversationRequest{ConversationShortID: id, OwnerUserID: 2}); apiCode(err) != volcim.CodeConversationNotFound {
		t.Errorf("destroy twice: %v", err)
	}
	if _, err := c.ModifyConversation(ctx, &volcim.ModifyConversationRequest{ConversationShortID: id, Name: volcim.Ptr("x")}); apiCode(err) != volcim.CodeConversationNotFound {
		t.Errorf("modify a destroyed conversation: %v", err)
	}
}

// TestUserConversationsWalk walks a user's 45 conversations in each order.
func TestUserConversationsWalk(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := start
	srv, c := newConvServer(t, withClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })...)
	ctx := context.Background()
	var ids []int64
	for i := range 45 {
		mu.Lock()
		now = start.Add(time.Duration(i) * time.Minute)
		mu.Unlock()
		ids = append(ids, createGroup(t, c, 5, fmt.Sprint("g", i)))
	}
	// Another user's group is not listed; a live group the user created
	// is listed under DataTypeLiveGroupsCreated only when it is one.
	createGroup(t, c, 6, "other")
	// Activity: a message in the first group makes it the most recent.
	mu.Lock()
	now = start.Add(time.Hour)
	mu.Unlock()
	if _, err := c.SendMessage(ctx, &volcim.SendMessageRequest{ConversationShortID: ids[0], Sender: 5, MsgType: volcim.MessageText, Content: volcim.TextContent("up")}); err != nil {
		t.Fatal(err)
	}
	walk := func(req volcim.UserConversationsRequest) []int64 {
		t.Helper()
		req.UserID = 5
		var got []int64
		for conv, err := range c.UserConversations(ctx, &req) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, conv.ConversationShortID)
		}
		return got
	}
	byCreation := walk(volcim.UserConversationsRequest{DataType: volcim.DataTypeDatabase, PageSize: 7})
	if !reflect.DeepEqual(byCreation, ids) {
		t.Errorf("database order\n got %v\nwant %v", byCreation, ids)
	}
	recent := walk(volcim.UserConversationsRequest{})
	if len(recent) != 45 || recent[0] != ids[0] || recent[1] != ids[44] || recent[44] != ids[1] {
		t.Errorf("cache order (most recent first): %v", recent)
	}
	if got := walk(volcim.UserConversationsRequest{DataType: volcim.DataTypeDatabase, Max: 10, PageSize: 4}); !reflect.DeepEqual(got, ids[:10]) {
		t.Errorf("Max 10: %v", got)
	}
	if got := walk(volcim.UserConversationsRequest{DataType: volcim.DataTypeLiveGroupsCreated}); len(got) != 0 {
		t.Errorf("live groups created: %v", got)
	}
	// Page calls: 45 in pages of 20 is 3 calls in the database walk.
	var calls int
	for _, r := range srv.Requests() {
		if r.Action == "GetUserConversations" && strings.Contains(string(r.Body), `"DataType":1`) && strings.Contains(string(r.Body), `"Limit":7`) {
			calls++
		}
	}
	if calls != 7 {
		t.Errorf("%d calls of 7 for 45 conversations, want 7", calls)
	}

	// The pager resumes from its cursor with nothing lost or repeated.
	p, err := c.UserConversationsPager(&volcim.UserConversationsRequest{UserID: 5, DataType: volcim.DataTypeDatabase, PageSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	page, err := p.Next(ctx)
	if err != nil || len(page) != 20 || !p.HasMore() {
		t.Fatalf("first page %d, %v", len(page), err)
	}
	rest, err := c.UserConversationsPager(&volcim.UserConversationsRequest{UserID: 5, DataType: volcim.DataTypeDatabase, Cursor: p.Cursor()})
	if err != nil {
		t.Fatal(err)
	}
	got := make([]int64, 0, 45)
	for _, conv := range page {
		got = append(got, conv.ConversationShortID)
	}
	for conv, err := range rest.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, conv.ConversationShortID)
	}
	if !reflect.DeepEqual(got, ids) {
		t.Errorf("resumed walk\n got %v\nwant %v", got, ids)
	}
}

func TestUserConversationsMemberCount(t *testing.T) {
	t.Parallel()
	_, c := newConvServer(t)
	ctx := context.Background()
	id := createGroup(t, c, 1, "g")
	if _, err := c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{ConversationShortID: id, Operator: 1, Participants: []volcim.ParticipantToAdd{{UserID: 2}, {UserID: 3}}}); err != nil {
		t.Fatal(err)
	}
	for _, skip := range []bool{false, true} {
		resp, err := c.GetUserConversations(ctx, &volcim.GetUserConversationsRequest{UserID: 3, Limit: 1, SkipMemberCount: skip})
		if err != nil || len(resp.Conversations) != 1 {
			t.Fatalf("%+v, %v", resp, err)
		}
		want := int64(3)
		if skip {
			want = 0
		}
		if got := resp.Conversations[0].MemberCount; got != want {
			t.Errorf("SkipMemberCount %v: MemberCount %d, want %d", skip, got, want)
		}
	}
	count, err := c.GetConversationUserCount(ctx, &volcim.GetConversationUserCountRequest{ConversationShortID: id})
	if err != nil || count.Count != 3 {
		t.Errorf("GetConversationUserCount %+v, %v", count, err)
	}
}

// pageServer answers every request with the next of replies (the last one
// repeats), each a Result object of a paged action.
func pageServer(t *testing.T, replies ...string) *volcim.Client {
	t.Helper()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reply := replies[min(n, len(replies)-1)]
		n++
		mu.Unlock()
		io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, `{"ResponseMetadata":{"RequestId":"r","Action":%q},"Result":%s}`, r.URL.Query().Get("Action"), reply)
	}))
	t.Cleanup(srv.Close)
	c, err := volcim.NewClient("AK", "SK", volcim.WithEndpoint(srv.URL), volcim.WithAppID(1), volcim.WithRateLimit(1e6), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUserConversationsGuards(t *testing.T) {
	t.Parallel()
	conv := func(id int) string { return fmt.Sprintf(`{"ConversationShortId":%d,"AppId":1}`, id) }
	page := func(next int64, more bool, ids ...int) string {
		items := make([]string, len(ids))
		for i, id := range ids {
			items[i] = conv(id)
		}
		return fmt.Sprintf(`{"ConversationInfos":[%s],"HasMore":%v,"NextCursor":%d}`, strings.Join(items, ","), more, next)
	}
	for _, tc := range []struct {
		name    string
		replies []string
		want    error
		n       int // conversations yielded before the error
	}{
		{"stall", []string{page(0, true, 1)}, pagination.ErrStalledCursor, 0},
		{"cycle", []string{page(5, true, 1), page(0, true, 2)}, pagination.ErrCursorCycle, 1},
		{"negative", []string{page(-1, true, 1)}, volcim.ErrMalformedReply, 0},
		{"empty pages", []string{page(1, true), page(2, true), page(3, true), page(4, true)}, pagination.ErrNoProgress, 0},
		{"done", []string{page(3, true, 1, 2), page(-1, false, 3)}, nil, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := pageServer(t, tc.replies...)
			var n int
			var err error
			for _, e := range c.UserConversations(context.Background(), &volcim.UserConversationsRequest{UserID: 1, MaxEmptyPages: 2}) {
				if e != nil {
					err = e
					break
				}
				n++
			}
			if !errors.Is(err, tc.want) || tc.want == nil && err != nil || n != tc.n {
				t.Errorf("%d conversations then %v; want %d then %v", n, err, tc.n, tc.want)
			}
		})
	}
}

func TestConversationSettings(t *testing.T) {
	t.Parallel()
	_, c := newConvServer(t)
	ctx := context.Background()
	id := createGroup(t, c, 1, "g")
	if _, err := c.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{ConversationShortID: id, Operator: 1, Participants: []volcim.ParticipantToAdd{{UserID: 2, ReadIndex: 77}}}); err != nil {
		t.Fatal(err)
	}
	top := time.Date(2026, 3, 2, 10, 0, 0, 123_000_000, time.UTC)
	fav := top.Add(time.Minute)
	_, err := c.ModifyConversationSetting(ctx, &volcim.ModifyConversationSettingRequest{
		ConversationShortID: id, UserID: 2, IsMute: volcim.Ptr(true), StickTopTime: &top, SetFavoriteTime: &fav, Ext: map[string]string{"备注": "重要"},
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(noReadIndex bool) volcim.ConversationSetting {
		t.Helper()
		resp, err := c.GetConversationSetting(ctx, &volcim.GetConversationSettingRequest{ConversationShortID: id, UserID: 2, NoReadIndex: noReadIndex})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Setting
	}
	got := get(false)
	want := volcim.ConversationSetting{
		AppID: convApp, ConversationShortID: id, ConversationID: got.ConversationID, ConversationType: volcim.ConversationGroup,
		UserID: 2, ReadIndex: 77, IsMute: true, IsStickTop: true, StickTopTime: top, IsSetFavorite: true, SetFavoriteTime: fav,
		Ext: map[string]string{"备注": "重要"},
	}
	if !reflect.DeepEqual(got, want) || got.ConversationID == "" {
		t.Errorf("settings\n got %+v\nwant %+v", got, want)
	}
	if got := get(true); got.ReadIndex != 0 {
		t.Errorf("NoReadIndex: ReadIndex %d", got.ReadIndex)
	}
	// Unstick and unmute; the favourite and Ext are left as they are.
	if _, err := c.ModifyConversationSetting(ctx, &volcim.ModifyConversationSettingRequest{ConversationShortID: id, UserID: 2, IsMute: volcim.Ptr(false), StickTopTime: volcim.Ptr(time.Time{})}); err != nil {
		t.Fatal(err)
	}
	want.IsMute, want.IsStickTop, want.StickTopTime = false, false, time.Time{}
	if got := get(false); !reflect.DeepEqual(got, want) {
		t.Errorf("after unsticking\n got %+v\nwant %+v", got, want)
	}
	if _, err := c.GetConversationSetting(ctx, &volcim.GetConversationSettingRequest{ConversationShortID: id, UserID: 3}); apiCode(err) != volcim.CodeSettingNotFound {
		t.Errorf("a non-member's settings: %v", err)
	}
	if _, err := c.ModifyConversationSetting(ctx, &volcim.ModifyConversationSettingRequest{ConversationShortID: id, UserID: 3, IsMute: volcim.Ptr(true)}); apiCode(err) != volcim.CodeParticipantNotInConversation {
		t.Errorf("a non-member's settings changed: %v", err)
	}
}

func TestConversationSettingJSONRoundTrip(t *testing.T) {
	t.Parallel()
	in := []byte(`{"AppId":123456,"ConversationShortId":7368934651020431623,"ConversationId":"0:2:7368934651020431623","ConversationType":2,"InboxType":1,"ParticipantUserId":9007199254740993,"ParticipantUserIdStr":"bob","ReadIndex":1714554000123457,"StickTopTime":1714554000123,"Ext":{"k":"v"},"IsMute":true,"IsSetFavorite":true,"IsStickTop":true,"SetFavoriteTime":1714557600456}`)
	var s volcim.ConversationSetting
	if err := json.Unmarshal(in, &s); err != nil {
		t.Fatal(err)
	}
	if s.UserID != 9007199254740993 || !s.StickTopTime.Equal(time.UnixMilli(1714554000123)) || s.UserIDStr != "bob" {
		t.Errorf("decoded %+v", s)
	}
	out, err := json.Marshal(s)
	if err != nil || string(out) != string(in) {
		t.Errorf("round trip\n got %s\nwant %s (%v)", out, in, err)
	}
}

func TestConversationMarks(t *testing.T) {
	t.Parallel()
	_, c := newConvServer(t)
	ctx := context.Background()
	live, err := c.CreateConversation(ctx, &volcim.CreateConversationRequest{ConversationType: volcim.ConversationLiveGroup, OwnerUserID: 1})
	if err != nil {
		t.Fatal(err)
	}
	id := live.ConversationShortID
	marks := func() []string {
		t.Helper()
		resp, err := c.GetConversationMarks(ctx, &volcim.GetConversationMarksRequest{ConversationShortID: id})
		if err != nil {
			t.Fatal(err)
		}
		return resp.MarkTypes
	}
	if got := marks(); len(got) != 0 {
		t.Errorf("marks of a new live group: %v", got)
	}
	if _, err := c.MarkConversation(ctx, &volcim.MarkConversationRequest{ConversationShortID: id, MarkTypes: []string{"热门", "vip"}, Operator: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.MarkConversation(ctx, &volcim.MarkConversationRequest{ConversationShortID: id, MarkTypes: []string{"vip", "new"}, MarkAction: volcim.MarkAdd}); err != nil {
		t.Fatal(err)
	}
	if got := marks(); !reflect.DeepEqual(got, []string{"热门", "vip", "new"}) {
		t.Errorf("marks %v", got)
	}
	if _, err := c.MarkConversation(ctx, &volcim.MarkConversationRequest{ConversationShortID: id, MarkTypes: []string{"vip"}, MarkAction: volcim.MarkDelete}); err != nil {
		t.Fatal(err)
	}
	if got := marks(); !reflect.DeepEqual(got, []string{"热门", "new"}) {
		t.Errorf("marks after a delete %v", got)
	}
	many := make([]string, 19)
	for i := range many {
		many[i] = fmt.Sprint("m", i)
	}
	if _, err := c.MarkConversation(ctx, &volcim.MarkConversationRequest{ConversationShortID: id, MarkTypes: many}); apiCode(err) != volcim.CodeConversationMarkTypeMoreThanLimit {
		t.Errorf("21 marks: %v", err)
	}
	if got := marks(); len(got) != 2 {
		t.Errorf("a refused mark changed the marks: %v", got)
	}
	group := createGroup(t, c, 1, "g")
	if _, err := c.MarkConversation(ctx, &volcim.MarkConversationRequest{ConversationShortID: group, MarkTypes: []string{"x"}}); apiCode(err) != volcim.CodeOnlyLiveConversationSupport {
		t.Errorf("marking a group: %v", err)
	}
	if _, err := c.GetConversationMarks(ctx, &volcim.GetConversationMarksRequest{ConversationShortID: group}); apiCode(err) != volcim.CodeOnlyLiveConversationSupport {
		t.Errorf("a group's marks: %v", err)
	}
}

// invalidCase is one request that must fail before the network on field.
type invalidCase struct {
	field string
	call  func(ctx context.Context, c *volcim.Client) error
}

// checkInvalid runs the cases against a server that must see no request.
func checkInvalid(t *testing.T, action string, cases []invalidCase) {
	t.Helper()
	srv, c := newConvServer(t)
	for _, tc := range cases {
		err := tc.call(context.Background(), c)
		var ire *volcim.InvalidRequestError
		if !errors.As(err, &ire) || ire.Field != tc.field || ire.Action != action || !errors.Is(err, volcim.ErrInvalidRequest) {
			t.Errorf("%s: err %v, want an InvalidRequestError of %s on %s", tc.field, err, action, tc.field)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestConversationInvalidRequests(t *testing.T) {
	t.Parallel()
	create := func(edit func(r *volcim.CreateConversationRequest)) func(context.Context, *volcim.Client) error {
		return func(ctx context.Context, c *volcim.Client) error {
			r := &volcim.CreateConversationRequest{ConversationType: volcim.ConversationGroup, OwnerUserID: 1}
			edit(r)
			_, err := c.CreateConversation(ctx, r)
			return err
		}
	}
	nilCreate := func(ctx context.Context, c *volcim.Client) error {
		_, err := c.CreateConversation(ctx, nil)
		return err
	}
	checkInvalid(t, "CreateConversation", []invalidCase{
		{"", nilCreate},
		{"AppID", create(func(r *volcim.CreateConversationRequest) { r.AppID = -1 })},
		{"ConversationType", create(func(r *volcim.CreateConversationRequest) { r.ConversationType = 0 })},
		{"ConversationType", create(func(r *volcim.CreateConversationRequest) { r.ConversationType = 3 })},
		{"OwnerUserID", create(func(r *volcim.CreateConversationRequest) { r.OwnerUserID = 0 })},
		{"OwnerUserID", create(func(r *volcim.CreateConversationRequest) { r.OwnerUserID = -1; r.OwnerUserIDStr = "x" })},
		{"OtherUserID", create(func(r *volcim.CreateConversationRequest) { r.ConversationType = volcim.ConversationOneToOne })},
		{"OtherUserID", create(func(r *volcim.CreateConversationRequest) { r.OtherUserID = 2 })},
		{"OtherUserID", create(func(r *volcim.CreateConversationRequest) {
			r.ConversationType = volcim.ConversationOneToOne
			r.OtherUserID = -2
		})},
	})
	checkInvalid(t, "ModifyConversation", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ModifyConversation(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ModifyConversation(ctx, &volcim.ModifyConversationRequest{Name: volcim.Ptr("x")})
			return err
		}},
		{"OwnerUserID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ModifyConversation(ctx, &volcim.ModifyConversationRequest{ConversationShortID: 1, OwnerUserID: -1})
			return err
		}},
	})
	checkInvalid(t, "DestroyConversation", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.DestroyConversation(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.DestroyConversation(ctx, &volcim.DestroyConversationRequest{OwnerUserID: 1})
			return err
		}},
		{"OwnerUserID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.DestroyConversation(ctx, &volcim.DestroyConversationRequest{ConversationShortID: 1})
			return err
		}},
	})
	userConvs := func(edit func(r *volcim.GetUserConversationsRequest)) func(context.Context, *volcim.Client) error {
		return func(ctx context.Context, c *volcim.Client) error {
			r := &volcim.GetUserConversationsRequest{UserID: 1, Limit: 20}
			edit(r)
			_, err := c.GetUserConversations(ctx, r)
			return err
		}
	}
	checkInvalid(t, "GetUserConversations", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetUserConversations(ctx, nil)
			return err
		}},
		{"UserID", userConvs(func(r *volcim.GetUserConversationsRequest) { r.UserID = 0 })},
		{"Cursor", userConvs(func(r *volcim.GetUserConversationsRequest) { r.Cursor = -1 })},
		{"Limit", userConvs(func(r *volcim.GetUserConversationsRequest) { r.Limit = 0 })},
		{"Limit", userConvs(func(r *volcim.GetUserConversationsRequest) { r.Limit = 21 })},
		{"DataType", userConvs(func(r *volcim.GetUserConversationsRequest) { r.DataType = 3 })},
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.UserConversationsPager(nil)
			return err
		}},
		{"UserID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.UserConversationsPager(&volcim.UserConversationsRequest{})
			return err
		}},
		{"PageSize", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.UserConversationsPager(&volcim.UserConversationsRequest{UserID: 1, PageSize: 21})
			return err
		}},
		{"DataType", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.UserConversationsPager(&volcim.UserConversationsRequest{UserID: 1, DataType: -1})
			return err
		}},
		{"Max", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.UserConversationsPager(&volcim.UserConversationsRequest{UserID: 1, Max: -1})
			return err
		}},
		{"Cursor", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.UserConversationsPager(&volcim.UserConversationsRequest{UserID: 1, Cursor: -1})
			return err
		}},
		{"MaxEmptyPages", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.UserConversationsPager(&volcim.UserConversationsRequest{UserID: 1, MaxEmptyPages: -1})
			return err
		}},
		{"UserID", func(ctx context.Context, c *volcim.Client) error {
			for _, err := range c.UserConversations(ctx, &volcim.UserConversationsRequest{}) {
				return err
			}
			return nil
		}},
	})
	checkInvalid(t, "GetConversationSetting", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetConversationSetting(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetConversationSetting(ctx, &volcim.GetConversationSettingRequest{UserID: 1})
			return err
		}},
		{"UserID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetConversationSetting(ctx, &volcim.GetConversationSettingRequest{ConversationShortID: 1})
			return err
		}},
	})
	checkInvalid(t, "ModifyConversationSetting", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ModifyConversationSetting(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ModifyConversationSetting(ctx, &volcim.ModifyConversationSettingRequest{UserID: 1})
			return err
		}},
		{"UserID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ModifyConversationSetting(ctx, &volcim.ModifyConversationSettingRequest{ConversationShortID: 1})
			return err
		}},
		{"StickTopTime", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ModifyConversationSetting(ctx, &volcim.ModifyConversationSettingRequest{ConversationShortID: 1, UserID: 1, StickTopTime: volcim.Ptr(time.Unix(-5, 0))})
			return err
		}},
		{"SetFavoriteTime", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.ModifyConversationSetting(ctx, &volcim.ModifyConversationSettingRequest{ConversationShortID: 1, UserID: 1, SetFavoriteTime: volcim.Ptr(time.Unix(-5, 0))})
			return err
		}},
	})
	mark := func(edit func(r *volcim.MarkConversationRequest)) func(context.Context, *volcim.Client) error {
		return func(ctx context.Context, c *volcim.Client) error {
			r := &volcim.MarkConversationRequest{ConversationShortID: 1, MarkTypes: []string{"a"}}
			edit(r)
			_, err := c.MarkConversation(ctx, r)
			return err
		}
	}
	checkInvalid(t, "MarkConversation", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error { _, err := c.MarkConversation(ctx, nil); return err }},
		{"ConversationShortID", mark(func(r *volcim.MarkConversationRequest) { r.ConversationShortID = 0 })},
		{"MarkTypes", mark(func(r *volcim.MarkConversationRequest) { r.MarkTypes = nil })},
		{"MarkTypes", mark(func(r *volcim.MarkConversationRequest) { r.MarkTypes = make([]string, 21) })},
		{"MarkTypes", mark(func(r *volcim.MarkConversationRequest) { r.MarkTypes = []string{"a", ""} })},
		{"MarkAction", mark(func(r *volcim.MarkConversationRequest) { r.MarkAction = 3 })},
		{"Operator", mark(func(r *volcim.MarkConversationRequest) { r.Operator = -1 })},
	})
	checkInvalid(t, "GetConversationMarks", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetConversationMarks(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetConversationMarks(ctx, &volcim.GetConversationMarksRequest{})
			return err
		}},
	})
	checkInvalid(t, "GetConversationUserCount", []invalidCase{
		{"", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetConversationUserCount(ctx, nil)
			return err
		}},
		{"ConversationShortID", func(ctx context.Context, c *volcim.Client) error {
			_, err := c.GetConversationUserCount(ctx, &volcim.GetConversationUserCountRequest{ConversationShortID: -1})
			return err
		}},
	})
}

// decodeCase is one action called against its canned reply (testdata):
// the request body it must send and the response it must decode.
type decodeCase struct {
	action string
	call   func(ctx context.Context, c *volcim.Client) (any, error)
	body   string
	want   any
	// partial is set for replies that list failed items: the call must
	// return an error wrapping ErrPartialFailure with them.
	partial []volcim.FailedItem
}

// checkDecode runs each case through httpmock serving the action's canned
// reply.
func checkDecode(t *testing.T, cases []decodeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			t.Parallel()
			name := strings.ToLower(snakeCase(tc.action)) + ".json"
			if tc.partial != nil {
				name = "partial/" + name
			}
			reply, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			mt := httpmock.NewMockTransport()
			var body []byte
			mt.RegisterResponder(http.MethodPost, "=~^https://rtc\\.volcengineapi\\.com/", func(r *http.Request) (*http.Response, error) {
				if a := r.URL.Query().Get("Action"); a != tc.action {
					t.Errorf("action %s, want %s", a, tc.action)
				}
				body, _ = io.ReadAll(r.Body)
				return httpmock.NewBytesResponse(200, reply), nil
			})
			c, err := volcim.NewClient("AK", "SK", volcim.WithHTTPClient(&http.Client{Transport: mt}), volcim.WithAppID(123456), volcim.WithRateLimit(1e6))
			if err != nil {
				t.Fatal(err)
			}
			got, err := tc.call(context.Background(), c)
			var pf *volcim.PartialFailureError
			switch {
			case tc.partial == nil && err != nil:
				t.Fatal(err)
			case tc.partial != nil && (!errors.As(err, &pf) || !errors.Is(err, volcim.ErrPartialFailure) || !reflect.DeepEqual(pf.Failed, tc.partial) || pf.Action != tc.action || pf.RequestID == ""):
				t.Errorf("err %v, want a partial failure of %v", err, tc.partial)
			}
			if string(body) != tc.body {
				t.Errorf("body\n got %s\nwant %s", body, tc.body)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("response\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func snakeCase(action string) string {
	var b strings.Builder
	for i, r := range action {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// meta is the ResponseMetadata of a canned reply.
func meta(action, n string) volcim.ResponseMetadata {
	return volcim.ResponseMetadata{RequestID: "202405010900000102121532450461A0" + n, Action: action, Version: "2020-12-01", Service: "rtc", Region: "cn-north-1"}
}

const cannedConv = 7368934651020431623

func TestConversationDecode(t *testing.T) {
	t.Parallel()
	sec := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	ms := func(m int64) time.Time { return time.UnixMilli(m).UTC() }
	checkDecode(t, []decodeCase{
		{
			action: "CreateConversation",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.CreateConversation(ctx, &volcim.CreateConversationRequest{
					ConversationType: volcim.ConversationGroup, Name: "产品组 🚀", AvatarURL: "https://example.com/avatars/team.png",
					Description: "讨论 v2 发布", Notice: "周五 10:00 例会", Ext: map[string]string{"project": "火山"},
					OwnerUserID: 9007199254740993, OwnerUserIDStr: "owner-str", IdempotentID: "k-1", InboxType: 1,
				})
			},
			body: `{"AppId":123456,"ConversationCoreInfo":{"ConversationType":2,"AvatarUrl":"https://example.com/avatars/team.png","Description":"讨论 v2 发布","Ext":{"project":"火山"},"Name":"产品组 🚀","Notice":"周五 10:00 例会"},"OwnerUserId":9007199254740993,"OwnerUserIdStr":"owner-str","IdempotentId":"k-1","InboxType":1}`,
			want: &volcim.CreateConversationResponse{
				ResponseMetadata:    meta("CreateConversation", "01"),
				ConversationShortID: cannedConv, ConversationID: "0:2:7368934651020431623", Exist: true, IdempotentID: "k-1",
				Conversation: volcim.Conversation{
					AppID: 123456, ConversationShortID: cannedConv, ConversationID: "0:2:7368934651020431623",
					ConversationType: volcim.ConversationGroup, InboxType: 1, Name: "产品组 🚀", AvatarURL: "https://example.com/avatars/team.png",
					Description: "讨论 v2 发布", Notice: "周五 10:00 例会", Ext: map[string]string{"project": "火山", "priority": "high"},
					OwnerUserID: 9007199254740993, OwnerUserIDStr: "owner-str", CreatorUserID: 9007199254740995, CreatorUserIDStr: "creator-str",
					Status: volcim.ConversationNormal, CreateTime: sec(1714554000), ModifyTime: sec(1714557600), MemberCount: 3, OnlineCount: 2,
					OtherUserID: 10002, OtherUserIDStr: "other-str",
				},
			},
		},
		{
			action: "ModifyConversation",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ModifyConversation(ctx, &volcim.ModifyConversationRequest{ConversationShortID: cannedConv, Name: volcim.Ptr("新名字"), Notice: volcim.Ptr(""), OwnerUserID: 10002})
			},
			body: `{"AppId":123456,"ConversationCoreInfo":{"ConversationShortId":7368934651020431623,"Name":"新名字","Notice":"","OwnerUserId":10002}}`,
			want: &volcim.ModifyConversationResponse{ResponseMetadata: meta("ModifyConversation", "02")},
		},
		{
			action: "DestroyConversation",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.DestroyConversation(ctx, &volcim.DestroyConversationRequest{ConversationShortID: cannedConv, OwnerUserID: 10001})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623,"OwnerUserId":10001}`,
			want: &volcim.DestroyConversationResponse{ResponseMetadata: meta("DestroyConversation", "03")},
		},
		{
			action: "GetUserConversations",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetUserConversations(ctx, &volcim.GetUserConversationsRequest{UserID: 10001, Cursor: 0, Limit: 2, DataType: volcim.DataTypeDatabase, SkipMemberCount: true})
			},
			body: `{"AppId":123456,"Cursor":0,"Limit":2,"ParticipantUserId":10001,"DataType":1,"SkipMemberCount":true}`,
			want: &volcim.GetUserConversationsResponse{
				ResponseMetadata: meta("GetUserConversations", "04"),
				Conversations: []volcim.Conversation{
					{
						AppID: 123456, ConversationShortID: cannedConv, ConversationID: "0:2:7368934651020431623", ConversationType: volcim.ConversationGroup,
						Name: "产品组 🚀", AvatarURL: "https://example.com/avatars/team.png", Description: "讨论 v2 发布", Notice: "周五 10:00 例会",
						Ext: map[string]string{"project": "火山"}, OwnerUserID: 10001, OwnerUserIDStr: "alice", CreatorUserID: 10001, CreatorUserIDStr: "alice",
						CreateTime: sec(1714554000), ModifyTime: sec(1714557600), MemberCount: 3,
					},
					{
						AppID: 123456, ConversationShortID: 7368934651020431709, ConversationID: "0:1:7368934651020431709", ConversationType: volcim.ConversationOneToOne,
						OwnerUserID: 10001, CreatorUserID: 10001, CreateTime: sec(1714550400), ModifyTime: sec(1714550400), MemberCount: 2,
						OtherUserID: 9007199254740993, OtherUserIDStr: "bob",
					},
				},
				HasMore: true, NextCursor: 2,
			},
		},
		{
			action: "GetConversationSetting",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetConversationSetting(ctx, &volcim.GetConversationSettingRequest{ConversationShortID: cannedConv, UserID: 9007199254740993, UserIDStr: "bob", NoReadIndex: true})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623,"ParticipantUserId":9007199254740993,"ParticipantUserIdStr":"bob","NoReadIndex":true}`,
			want: &volcim.GetConversationSettingResponse{
				ResponseMetadata: meta("GetConversationSetting", "05"),
				Setting: volcim.ConversationSetting{
					AppID: 123456, ConversationShortID: cannedConv, ConversationID: "0:2:7368934651020431623", ConversationType: volcim.ConversationGroup,
					InboxType: 1, UserID: 9007199254740993, UserIDStr: "bob", ReadIndex: 1714554000123457, IsMute: true,
					IsStickTop: true, StickTopTime: ms(1714554000123), IsSetFavorite: true, SetFavoriteTime: ms(1714557600456),
					Ext: map[string]string{"备注": "重要"},
				},
			},
		},
		{
			action: "ModifyConversationSetting",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.ModifyConversationSetting(ctx, &volcim.ModifyConversationSettingRequest{
					ConversationShortID: cannedConv, UserID: 10001, IsMute: volcim.Ptr(false),
					StickTopTime: volcim.Ptr(ms(1714554000123)), SetFavoriteTime: volcim.Ptr(time.Time{}), Ext: map[string]string{"k": "v"},
				})
			},
			body: `{"AppId":123456,"ConversationSettingInfo":{"ConversationShortId":7368934651020431623,"ParticipantUserId":10001,"Ext":{"k":"v"},"IsMute":false,"IsSetFavorite":true,"IsStickTop":true,"SetFavoriteTime":0,"StickTopTime":1714554000123}}`,
			want: &volcim.ModifyConversationSettingResponse{ResponseMetadata: meta("ModifyConversationSetting", "06")},
		},
		{
			action: "MarkConversation",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.MarkConversation(ctx, &volcim.MarkConversationRequest{ConversationShortID: cannedConv, MarkTypes: []string{"热门"}, MarkAction: volcim.MarkDelete, Operator: 10001})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623,"MarkTypes":["热门"],"MarkAction":2,"Operator":10001}`,
			want: &volcim.MarkConversationResponse{ResponseMetadata: meta("MarkConversation", "07")},
		},
		{
			action: "GetConversationMarks",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetConversationMarks(ctx, &volcim.GetConversationMarksRequest{ConversationShortID: cannedConv})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623}`,
			want: &volcim.GetConversationMarksResponse{ResponseMetadata: meta("GetConversationMarks", "08"), MarkTypes: []string{"热门", "vip", "带货"}},
		},
		{
			action: "GetConversationUserCount",
			call: func(ctx context.Context, c *volcim.Client) (any, error) {
				return c.GetConversationUserCount(ctx, &volcim.GetConversationUserCountRequest{ConversationShortID: cannedConv})
			},
			body: `{"AppId":123456,"ConversationShortId":7368934651020431623}`,
			want: &volcim.GetConversationUserCountResponse{ResponseMetadata: meta("GetConversationUserCount", "09"), Count: 9876},
		},
	})
}

func TestEnumStrings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		got, want string
	}{
		{volcim.DataTypeCache.String(), "cache"},
		{volcim.DataTypeDatabase.String(), "database"},
		{volcim.DataTypeLiveGroupsCreated.String(), "live groups created"},
		{volcim.ConversationDataType(9).String(), "ConversationDataType(9)"},
		{volcim.MarkAction(0).String(), "default (add)"},
		{volcim.MarkAdd.String(), "add"},
		{volcim.MarkDelete.String(), "delete"},
		{volcim.MarkAction(7).String(), "MarkAction(7)"},
	} {
		if tc.got != tc.want {
			t.Errorf("String() = %q, want %q", tc.got, tc.want)
		}
	}
}
