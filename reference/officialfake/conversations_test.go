package officialfake

import (
	"context"
	"testing"

	"github.com/volcengine/volc-sdk-golang/service/im"

	"github.com/volcim/volcim-go/volcimtest"
)

// TestOfficialConversations runs every conversation action through the
// official client against volcimtest and reads each change back through it.
func TestOfficialConversations(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer()
	defer srv.Close()
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()
	const app = 100000

	name, key := "产品组", "official-create-1"
	body := &im.CreateConversationBody{AppID: app, ConversationCoreInfo: im.CreateConversationBodyConversationCoreInfo{ConversationType: 2, Name: &name}, OwnerUserID: 10001, IdempotentID: &key}
	created, err := c.CreateConversation(ctx, body)
	if err != nil {
		t.Fatalf("official CreateConversation: %v", err)
	}
	again, err := c.CreateConversation(ctx, body)
	if err != nil {
		t.Fatalf("official CreateConversation again: %v", err)
	}
	group := created.Result.ConversationShortID
	if created.Result.Exist || !again.Result.Exist || again.Result.ConversationShortID != group || *created.Result.ConversationInfo.Name != name || created.Result.ConversationID == "" {
		t.Fatalf("created %+v, again %+v", created.Result, again.Result)
	}
	other := int64(10002)
	one, err := c.CreateConversation(ctx, &im.CreateConversationBody{AppID: app, ConversationCoreInfo: im.CreateConversationBodyConversationCoreInfo{ConversationType: 1}, OwnerUserID: 10001, OtherUserID: &other})
	if err != nil || *one.Result.ConversationInfo.OtherUserID != other {
		t.Fatalf("official one-to-one: %+v, %v", one, err)
	}

	newName := "新名字"
	if _, err := c.ModifyConversation(ctx, &im.ModifyConversationBody{AppID: app, ConversationCoreInfo: im.ModifyConversationBodyConversationCoreInfo{ConversationShortID: group, Name: &newName}}); err != nil {
		t.Fatalf("official ModifyConversation: %v", err)
	}
	convs, err := c.BatchGetConversations(ctx, &im.BatchGetConversationsBody{AppID: app, ConversationShortID: []int64{group}})
	if err != nil || len(convs.Result.ConversationCoreInfos) != 1 || *convs.Result.ConversationCoreInfos[0].Name != newName {
		t.Fatalf("official BatchGetConversations: %+v, %v", convs, err)
	}

	dataType := int32(1)
	mine, err := c.GetUserConversations(ctx, &im.GetUserConversationsBody{AppID: app, ParticipantUserID: 10001, Limit: 20, DataType: &dataType})
	if err != nil || len(mine.Result.ConversationInfos) != 2 || mine.Result.HasMore ||
		mine.Result.ConversationInfos[0].ConversationShortID != group || *mine.Result.ConversationInfos[0].MemberCount != 1 {
		t.Fatalf("official GetUserConversations: %+v, %v", mine, err)
	}

	mute, top, topAt := true, true, int64(1714554000123)
	if _, err := c.ModifyConversationSetting(ctx, &im.ModifyConversationSettingBody{AppID: app, ConversationSettingInfo: im.ModifyConversationSettingBodyConversationSettingInfo{
		ConversationShortID: group, ParticipantUserID: 10001, IsMute: &mute, IsStickTop: &top, StickTopTime: &topAt, Ext: map[string]string{"k": "v"},
	}}); err != nil {
		t.Fatalf("official ModifyConversationSetting: %v", err)
	}
	setting, err := c.GetConversationSetting(ctx, &im.GetConversationSettingBody{AppID: app, ConversationShortID: group, ParticipantUserID: 10001})
	if err != nil {
		t.Fatalf("official GetConversationSetting: %v", err)
	}
	if s := setting.Result.ConversationSettingInfo; !*s.IsMute || !*s.IsStickTop || s.StickTopTime != topAt || s.Ext["k"] != "v" || s.ParticipantUserID != 10001 {
		t.Errorf("settings %+v", s)
	}

	live, err := c.CreateConversation(ctx, &im.CreateConversationBody{AppID: app, ConversationCoreInfo: im.CreateConversationBodyConversationCoreInfo{ConversationType: 100}, OwnerUserID: 10001})
	if err != nil {
		t.Fatalf("official CreateConversation (live): %v", err)
	}
	liveID := live.Result.ConversationShortID
	if _, err := c.MarkConversation(ctx, &im.MarkConversationBody{AppID: app, ConversationShortID: liveID, MarkTypes: []string{"热门", "vip"}}); err != nil {
		t.Fatalf("official MarkConversation: %v", err)
	}
	marks, err := c.GetConversationMarks(ctx, &im.GetConversationMarksBody{AppID: app, ConversationShortID: liveID})
	if err != nil || marks.Result == nil || len(marks.Result.MarkTypes) != 2 || marks.Result.MarkTypes[0] != "热门" {
		t.Fatalf("official GetConversationMarks: %+v, %v", marks, err)
	}
	count, err := c.GetConversationUserCount(ctx, &im.GetConversationUserCountBody{AppID: app, ConversationShortID: one.Result.ConversationShortID})
	if err != nil || count.Result.Count != 2 {
		t.Fatalf("official GetConversationUserCount: %+v, %v", count, err)
	}

	if _, err := c.DestroyConversation(ctx, &im.DestroyConversationBody{AppID: app, ConversationShortID: group, OwnerUserID: 10001}); err != nil {
		t.Fatalf("official DestroyConversation: %v", err)
	}
	convs, err = c.BatchGetConversations(ctx, &im.BatchGetConversationsBody{AppID: app, ConversationShortID: []int64{group}})
	if err != nil || len(convs.Result.ConversationCoreInfos) != 0 {
		t.Fatalf("a destroyed conversation is returned: %+v, %v", convs, err)
	}
	checkAccepted(t, srv)
}
