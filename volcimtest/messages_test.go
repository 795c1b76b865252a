package volcimtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// storedIndex is the IndexInConversation of message i of a stored test
// conversation: gaps between indexes, values like the API's.
func storedIndex(i int) int64 { return 1_669_723_106_241_201 + int64(i)*1009 }

// seedStored stores n messages in the test conversation, added in a
// scrambled order, and returns their ids oldest first.
func seedStored(srv *volcimtest.Server, n int) []int64 {
	msgs := make([]volcim.Message, n)
	ids := make([]int64, n)
	for i := range n {
		msgs[i] = msg(storedIndex(i), fmt.Sprintf("stored %d", i))
		ids[i] = msgs[i].MessageID
	}
	// Add odd positions first, then even ones backwards: order must not matter.
	var scrambled []volcim.Message
	for i := 1; i < n; i += 2 {
		scrambled = append(scrambled, msgs[i])
	}
	for i := (n - 1) &^ 1; i >= 0; i -= 2 {
		scrambled = append(scrambled, msgs[i])
	}
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: testConv, ConversationType: volcim.ConversationGroup})
	srv.AddMessages(scrambled...)
	return ids
}

func seedGenerated(srv *volcimtest.Server, n int) []int64 {
	srv.AddGeneratedConversation(testApp, testConv, n)
	ids := make([]int64, n)
	for i := range n {
		ids[i] = volcimtest.GeneratedMessage(testApp, testConv, i).MessageID
	}
	return ids
}

// TestConversationMessagesWalk walks conversations of various sizes with the
// SDK's iterator, forward and in reverse, and checks that every message
// comes exactly once, in order, in the fewest calls.
func TestConversationMessagesWalk(t *testing.T) {
	t.Parallel()
	seeds := map[string]func(*volcimtest.Server, int) []int64{"stored": seedStored, "generated": seedGenerated}
	for _, kind := range []string{"stored", "generated"} {
		for _, n := range []int{0, 1, 19, 20, 21, 1000} {
			for _, reverse := range []bool{false, true} {
				for _, pageSize := range []int{0, 7} {
					name := fmt.Sprintf("%s/n=%d/reverse=%v/pageSize=%d", kind, n, reverse, pageSize)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						srv := newServer(t, volcimtest.WithQPS(0))
						want := seeds[kind](srv, n)
						if reverse {
							slices.Reverse(want)
						}
						c := newClient(t, srv)
						var got []int64
						var prev int64
						for m, err := range c.ConversationMessages(context.Background(), &volcim.ConversationMessagesRequest{
							ConversationShortID: testConv, Reverse: reverse, PageSize: pageSize,
						}) {
							if err != nil {
								t.Fatal(err)
							}
							if len(got) > 0 && (m.IndexInConversation > prev) == reverse {
								t.Fatalf("index %d after %d: out of order", m.IndexInConversation, prev)
							}
							prev = m.IndexInConversation
							got = append(got, m.MessageID)
						}
						if !slices.Equal(got, want) {
							t.Fatalf("got %d messages, want %d (first difference matters): got %v... want %v...", len(got), len(want), head(got), head(want))
						}
						size := pageSize
						if size == 0 {
							size = 20
						}
						if calls, want := len(srv.Requests()), max(1, (n+size-1)/size); calls != want {
							t.Errorf("%d calls, want %d", calls, want)
						}
					})
				}
			}
		}
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }

type pageWant struct {
	indexes   []int64
	hasMore   bool
	newCursor int64
}

func getPage(t *testing.T, c *volcim.Client, cursor int64, limit int, reverse bool) pageWant {
	t.Helper()
	resp, err := c.GetConversationMessages(context.Background(), &volcim.GetConversationMessagesRequest{
		ConversationShortID: testConv, Cursor: cursor, Limit: limit, Reverse: reverse,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := pageWant{indexes: []int64{}, hasMore: resp.HasMore, newCursor: resp.NewCursor}
	for _, m := range resp.Messages {
		got.indexes = append(got.indexes, m.IndexInConversation)
	}
	return got
}

// TestCursorSemantics pins the documented cursor rules on a conversation
// with indexes 10, 20, 30, 40, 50.
func TestCursorSemantics(t *testing.T) {
	t.Parallel()
	srv := newServer(t, volcimtest.WithQPS(0))
	for _, idx := range []int64{30, 10, 50, 20, 40} {
		srv.AddMessages(msg(idx, ""))
	}
	c := newClient(t, srv)
	tests := []struct {
		cursor  int64
		limit   int
		reverse bool
		want    pageWant
	}{
		{0, 2, false, pageWant{[]int64{10, 20}, true, 30}},
		{10, 2, false, pageWant{[]int64{10, 20}, true, 30}},
		{20, 2, false, pageWant{[]int64{20, 30}, true, 40}}, // inclusive
		{25, 2, false, pageWant{[]int64{30, 40}, true, 50}}, // between two indexes
		{30, 2, false, pageWant{[]int64{30, 40}, true, 50}},
		{40, 2, false, pageWant{[]int64{40, 50}, false, 51}}, // ends exactly: no empty extra page
		{50, 20, false, pageWant{[]int64{50}, false, 51}},
		{60, 20, false, pageWant{[]int64{}, false, 51}},
		{0, 20, false, pageWant{[]int64{10, 20, 30, 40, 50}, false, 51}},
		{0, 2, true, pageWant{[]int64{50, 40}, true, 30}}, // 0 in reverse: the newest
		{50, 2, true, pageWant{[]int64{50, 40}, true, 30}},
		{30, 2, true, pageWant{[]int64{30, 20}, true, 10}}, // inclusive
		{35, 2, true, pageWant{[]int64{30, 20}, true, 10}},
		{20, 2, true, pageWant{[]int64{20, 10}, false, 0}},
		{10, 1, true, pageWant{[]int64{10}, false, 0}},
		{5, 20, true, pageWant{[]int64{}, false, 0}},
		{1000, 20, true, pageWant{[]int64{50, 40, 30, 20, 10}, false, 0}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("cursor=%d/limit=%d/reverse=%v", tt.cursor, tt.limit, tt.reverse), func(t *testing.T) {
			t.Parallel()
			if got := getPage(t, c, tt.cursor, tt.limit, tt.reverse); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCursorSemanticsEmptyConversation(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: testConv})
	c := newClient(t, srv)
	for _, reverse := range []bool{false, true} {
		if got, want := getPage(t, c, 0, 20, reverse), (pageWant{[]int64{}, false, 0}); !reflect.DeepEqual(got, want) {
			t.Errorf("reverse=%v: got %+v, want %+v", reverse, got, want)
		}
	}
	// The wire form of an empty page is an empty array, not null.
	r := post(t, srv, "GetConversationMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"Cursor":0,"Limit":20}`)
	if want := `{"HasMore":false,"NewCursor":0,"Messages":[]}`; string(r.env.Result) != want {
		t.Errorf("Result = %s, want %s", r.env.Result, want)
	}
}

// TestReverseInvalidValue: an invalid Reverse falls back to 0 (forward).
func TestReverseInvalidValue(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddMessages(msg(10, ""), msg(20, ""))
	for _, rev := range []string{``, `,"Reverse":0`, `,"Reverse":7`, `,"Reverse":-1`, `,"Reverse":null`} {
		r := post(t, srv, "GetConversationMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"Cursor":0,"Limit":1`+rev+`}`)
		var res struct {
			Messages []volcim.Message
		}
		if err := json.Unmarshal(r.env.Result, &res); err != nil || len(res.Messages) != 1 || res.Messages[0].IndexInConversation != 10 {
			t.Errorf("Reverse %q: %s %s", rev, r.code(), r.env.Result)
		}
	}
}

// TestGeneratedConversationPages checks pages of a 1,000,000-message
// generated conversation at both ends and in the middle.
func TestGeneratedConversationPages(t *testing.T) {
	t.Parallel()
	const n = 1_000_000
	srv := newServer(t, volcimtest.WithQPS(0))
	srv.AddGeneratedConversation(testApp, testConv, n)
	c := newClient(t, srv)
	idx := func(i int) int64 { return volcimtest.GeneratedMessage(testApp, testConv, i).IndexInConversation }
	tests := []struct {
		name    string
		cursor  int64
		limit   int
		reverse bool
		first   int // position of the first message expected; -1 for none
		count   int
		hasMore bool
		next    int64
	}{
		{"oldest", 0, 20, false, 0, 20, true, idx(20)},
		{"exact index", idx(500_000), 3, false, 500_000, 3, true, idx(500_003)},
		{"between indexes forward", idx(500_000) + 1, 3, false, 500_001, 3, true, idx(500_004)},
		{"last page forward", idx(n - 5), 20, false, n - 5, 5, false, idx(n-1) + 1},
		{"past the end forward", idx(n-1) + 1, 20, false, -1, 0, false, idx(n-1) + 1},
		{"newest", 0, 20, true, n - 1, 20, true, idx(n - 21)},
		{"between indexes reverse", idx(500_000) + 1, 3, true, 500_000, 3, true, idx(499_997)},
		{"oldest reverse", idx(2), 20, true, 2, 3, false, 0},
		{"before the start reverse", idx(0) - 1, 20, true, -1, 0, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := c.GetConversationMessages(context.Background(), &volcim.GetConversationMessagesRequest{
				ConversationShortID: testConv, Cursor: tt.cursor, Limit: tt.limit, Reverse: tt.reverse,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Messages) != tt.count || resp.HasMore != tt.hasMore || resp.NewCursor != tt.next {
				t.Fatalf("got %d messages, HasMore %v, NewCursor %d; want %d, %v, %d", len(resp.Messages), resp.HasMore, resp.NewCursor, tt.count, tt.hasMore, tt.next)
			}
			for k, m := range resp.Messages {
				pos := tt.first + k
				if tt.reverse {
					pos = tt.first - k
				}
				want := volcimtest.GeneratedMessage(testApp, testConv, pos)
				if !reflect.DeepEqual(m, want) {
					t.Fatalf("message %d = %+v, want %+v", k, m, want)
				}
			}
		})
	}
}

func TestGeneratedMessageFields(t *testing.T) {
	t.Parallel()
	m0, m1 := volcimtest.GeneratedMessage(1, 2, 0), volcimtest.GeneratedMessage(1, 2, 1)
	if m0.IndexInConversation <= 1<<53 || m0.MessageID <= 1<<53 {
		t.Errorf("index %d and id %d should exceed 2^53", m0.IndexInConversation, m0.MessageID)
	}
	if int64(float64(m0.IndexInConversation)) == m0.IndexInConversation {
		t.Errorf("index %d survives float64: it should not, to catch lossy decoders", m0.IndexInConversation)
	}
	if m1.IndexInConversation <= m0.IndexInConversation || m1.MessageID == m0.MessageID || !m1.CreateTime.After(m0.CreateTime) {
		t.Errorf("not increasing: %+v %+v", m0, m1)
	}
	if m0.Content != "message 0" || m0.MsgType != volcim.MessageText || m0.AppID != 1 || m0.ConversationShortID != 2 || m0.Sender == 0 {
		t.Errorf("fields: %+v", m0)
	}
}

func TestGetMessages(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	full := volcim.Message{
		AppID: testApp, ConversationShortID: testConv, ConversationType: volcim.ConversationGroup,
		MessageID: 7171391829814839303, ClientMsgID: "ae16fb90", MsgType: volcim.MessageImage,
		Content: `{"url":"x"}`, Ext: map[string]string{"k": "v"}, Status: volcim.MessageVisible,
		CreateTime: time.UnixMilli(1669723270194).UTC(), Sender: 10001, SenderStr: "u-10001",
		RefMsgInfo:          &volcim.RefMsgInfo{ReferencedMessageID: 10005, Hint: "[image]", ReferencedMessageType: volcim.MessageImage, Status: volcim.RefMessageRecalled},
		IndexInConversation: 1669723270235453,
	}
	a, b := msg(100, "a"), msg(200, "b")
	srv.AddMessages(full, a, b)
	srv.AddGeneratedConversation(testApp, 99, 1_000_000)
	c := newClient(t, srv)

	tests := []struct {
		name string
		conv int64
		ids  []int64
		want []volcim.Message
	}{
		{"every field round-trips", testConv, []int64{full.MessageID}, []volcim.Message{full}},
		{"request order, missing left out, repeats kept", testConv, []int64{b.MessageID, 12345, a.MessageID, b.MessageID}, []volcim.Message{b, a, b}},
		{"none found", testConv, []int64{1, 2}, []volcim.Message{}},
		{"generated", 99, []int64{
			volcimtest.GeneratedMessage(testApp, 99, 999_999).MessageID,
			volcimtest.GeneratedMessage(testApp, 99, 0).MessageID + 1, // off the grid
			volcimtest.GeneratedMessage(testApp, 99, 0).MessageID,
			volcimtest.GeneratedMessage(testApp, 99, 999_999).MessageID + 1009, // past the end
		}, []volcim.Message{volcimtest.GeneratedMessage(testApp, 99, 999_999), volcimtest.GeneratedMessage(testApp, 99, 0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := c.GetMessages(context.Background(), &volcim.GetMessagesRequest{ConversationShortID: tt.conv, MessageIDs: tt.ids})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(resp.Messages, tt.want) {
				t.Errorf("got %+v\nwant %+v", resp.Messages, tt.want)
			}
		})
	}
}

func TestBatchGetConversations(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	created := time.Unix(1669714409, 0).UTC()
	one := volcim.Conversation{
		AppID: testApp, ConversationShortID: 1, ConversationID: "conv-1", ConversationType: volcim.ConversationOneToOne,
		Name: "one", OwnerUserID: 10001, CreatorUserID: 10001, OtherUserID: 10002, OtherUserIDStr: "u2",
		Ext: map[string]string{"k": "v"}, CreateTime: created, ModifyTime: created.Add(time.Hour), MemberCount: 2,
	}
	three := volcim.Conversation{AppID: testApp, ConversationShortID: 3, ConversationType: volcim.ConversationLiveGroup, Name: "live", MemberCount: 500, OnlineCount: 42, CreateTime: created, ModifyTime: created}
	srv.AddConversation(one)
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: 2, Status: volcim.ConversationDismissed})
	srv.AddConversation(three)
	srv.AddConversation(volcim.Conversation{AppID: testApp + 1, ConversationShortID: 4}) // another app
	c := newClient(t, srv)

	noCount := func(c volcim.Conversation) volcim.Conversation { c.MemberCount = 0; return c }
	tests := []struct {
		name  string
		ids   []int64
		count bool
		want  []volcim.Conversation
	}{
		{"request order, dismissed and unknown skipped, once each", []int64{3, 2, 99, 1, 3, 4}, false, []volcim.Conversation{noCount(three), noCount(one)}},
		{"member count on request", []int64{1, 3}, true, []volcim.Conversation{one, three}},
		{"none", []int64{2, 99}, false, []volcim.Conversation{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := c.BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{ConversationShortIDs: tt.ids, IncludeMemberCount: tt.count})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(resp.Conversations, tt.want) {
				t.Errorf("got %+v\nwant %+v", resp.Conversations, tt.want)
			}
		})
	}
	t.Run("SkipMemberCount absent means true", func(t *testing.T) {
		t.Parallel()
		r := post(t, srv, "BatchGetConversations", `{"AppId":1001,"ConversationShortId":[1]}`)
		if strings.Contains(string(r.env.Result), "MemberCount") {
			t.Errorf("MemberCount sent: %s", r.env.Result)
		}
		r = post(t, srv, "BatchGetConversations", `{"AppId":1001,"ConversationShortId":[1],"SkipMemberCount":false}`)
		if !strings.Contains(string(r.env.Result), `"MemberCount":2`) {
			t.Errorf("MemberCount missing: %s", r.env.Result)
		}
	})
}

func TestLiveGroupReadsOnlyInReverse(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: testConv, ConversationType: volcim.ConversationLiveGroup})
	srv.AddMessages(msg(1, "a"), msg(2, "b"))
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: 8, ConversationType: volcim.ConversationLiveGroup})
	srv.AddGeneratedConversation(testApp, 8, 50)
	c := newClient(t, srv)
	for _, conv := range []int64{testConv, 8} {
		n := 0
		for m, err := range c.ConversationMessages(context.Background(), &volcim.ConversationMessagesRequest{ConversationShortID: conv, Reverse: true}) {
			if err != nil {
				t.Fatal(err)
			}
			if conv == 8 && m.ConversationType != volcim.ConversationLiveGroup {
				t.Errorf("generated message type %v, want the record's live group", m.ConversationType)
			}
			n++
		}
		if n == 0 {
			t.Errorf("conversation %d: nothing read in reverse", conv)
		}
		_, err := c.GetConversationMessages(context.Background(), &volcim.GetConversationMessagesRequest{ConversationShortID: conv, Limit: 20})
		var apiErr *volcim.APIError
		if !errors.As(err, &apiErr) || apiErr.Code != "LiveConversationNotSupport" || apiErr.StatusCode != 200 {
			t.Errorf("conversation %d forward: err = %v, want LiveConversationNotSupport", conv, err)
		}
	}
}

func TestAddMessagesSemantics(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ext := map[string]string{"k": "before"}
	first := msg(20, "first")
	first.Ext = ext
	srv.AddMessages(msg(30, "x"), first, msg(10, "y"))
	ext["k"] = "after" // the server keeps its own copy
	replaced := msg(30, "replaced")
	replaced.MessageID = 555
	srv.AddMessages(replaced)
	c := newClient(t, srv)

	var got []string
	for m, err := range c.ConversationMessages(context.Background(), &volcim.ConversationMessagesRequest{ConversationShortID: testConv}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.Content)
		if m.Content == "first" && m.Ext["k"] != "before" {
			t.Errorf("Ext changed through the caller's map: %v", m.Ext)
		}
	}
	if want := []string{"y", "first", "replaced"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// The replaced message's id is gone; the new one is found.
	resp, err := c.GetMessages(context.Background(), &volcim.GetMessagesRequest{ConversationShortID: testConv, MessageIDs: []int64{msg(30, "").MessageID, 555}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Messages) != 1 || resp.Messages[0].Content != "replaced" {
		t.Errorf("GetMessages = %+v", resp.Messages)
	}
	// AddMessages created the conversation record.
	convs, err := c.BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{testConv}})
	if err != nil {
		t.Fatal(err)
	}
	if len(convs.Conversations) != 1 || convs.Conversations[0].ConversationType != volcim.ConversationGroup {
		t.Errorf("auto-created conversation = %+v", convs.Conversations)
	}
}

func TestSeedingPanics(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddGeneratedConversation(testApp, 1, 10)
	srv.AddMessages(msg(5, ""))
	zeroIndex := msg(0, "")
	generated := msg(5, "")
	generated.ConversationShortID = 1
	for name, f := range map[string]func(){
		"AddConversation without AppID":    func() { srv.AddConversation(volcim.Conversation{ConversationShortID: 1}) },
		"AddMessages index 0":              func() { srv.AddMessages(zeroIndex) },
		"AddMessages into generated":       func() { srv.AddMessages(generated) },
		"AddGeneratedConversation stored":  func() { srv.AddGeneratedConversation(testApp, testConv, 10) },
		"AddGeneratedConversation n<0":     func() { srv.AddGeneratedConversation(testApp, 2, -1) },
		"AddGeneratedConversation no conv": func() { srv.AddGeneratedConversation(testApp, 0, 1) },
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
