// Package officialfake checks that volcimtest accepts what the official SDK
// sends: its signatures verify (over the headers it chooses to sign,
// X-Im-Sdk-Version among them) and its decoding of the fake's replies gives
// the seeded data. A fake server that only our own client could talk to
// would prove little.
package officialfake

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

func officialClient(t *testing.T, srv *volcimtest.Server, secret string) *im.Im {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := im.NewInstance()
	c.SetScheme(u.Scheme)
	c.SetHost(u.Host)
	c.SetAccessKey(srv.AccessKey())
	c.SetSecretKey(secret)
	return c
}

func TestOfficialSDKAgainstVolcimtest(t *testing.T) {
	srv := volcimtest.NewServer()
	defer srv.Close()
	const app, conv = 100000, 7171275522159198471
	srv.AddGeneratedConversation(app, conv, 45)
	srv.AddConversation(volcim.Conversation{
		AppID: app, ConversationShortID: conv, ConversationType: volcim.ConversationGroup,
		Name: "team", MemberCount: 3, CreateTime: time.Unix(1669714409, 0),
	})
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()

	reverse := int32(0)
	page, err := c.GetConversationMessages(ctx, &im.GetConversationMessagesBody{
		AppID: app, ConversationShortID: conv, Cursor: 0, Limit: 20, Reverse: &reverse,
	})
	if err != nil {
		t.Fatalf("official GetConversationMessages: %v", err)
	}
	if len(page.Result.Messages) != 20 || !page.Result.HasMore {
		t.Fatalf("page: %d messages, HasMore %v", len(page.Result.Messages), page.Result.HasMore)
	}
	want := volcimtest.GeneratedMessage(app, conv, 0)
	if got := page.Result.Messages[0]; got.MessageID != want.MessageID || got.Content != want.Content || *got.IndexInConversation != want.IndexInConversation {
		t.Errorf("first message %+v, want %+v", got, want)
	}

	msgs, err := c.GetMessages(ctx, &im.GetMessagesBody{AppID: app, ConversationShortID: conv, MessageIDs: []int64{want.MessageID}})
	if err != nil {
		t.Fatalf("official GetMessages: %v", err)
	}
	if len(msgs.Result.Messages) != 1 || msgs.Result.Messages[0].MessageID != want.MessageID {
		t.Errorf("GetMessages: %+v", msgs.Result.Messages)
	}

	skip := false
	convs, err := c.BatchGetConversations(ctx, &im.BatchGetConversationsBody{AppID: app, ConversationShortID: []int64{conv}, SkipMemberCount: &skip})
	if err != nil {
		t.Fatalf("official BatchGetConversations: %v", err)
	}
	if len(convs.Result.ConversationCoreInfos) != 1 || *convs.Result.ConversationCoreInfos[0].Name != "team" {
		t.Errorf("BatchGetConversations: %+v", convs.Result.ConversationCoreInfos)
	}

	for _, r := range srv.Requests() {
		if !r.Accepted || r.Status != 200 {
			t.Errorf("%s from the official SDK: status %d %s", r.Action, r.Status, r.Code)
		}
		if !strings.Contains(r.Header.Get("Authorization"), "x-im-sdk-version") {
			t.Errorf("expected the official SDK to sign X-Im-Sdk-Version: %s", r.Header.Get("Authorization"))
		}
	}
}

func TestOfficialSDKWithAWrongSecretIsRefused(t *testing.T) {
	srv := volcimtest.NewServer()
	defer srv.Close()
	srv.AddGeneratedConversation(1, 2, 5)
	c := officialClient(t, srv, "not-the-secret")
	_, err := c.GetConversationMessages(context.Background(), &im.GetConversationMessagesBody{AppID: 1, ConversationShortID: 2, Limit: 5})
	if err == nil {
		t.Fatal("a request signed with the wrong secret was accepted")
	}
	recs := srv.Requests()
	if len(recs) != 1 || recs[0].Code != "SignatureDoesNotMatch" || recs[0].Status != 401 {
		t.Fatalf("records %+v", recs)
	}
}
