package officialfake

import (
	"context"
	"slices"
	"testing"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// TestOfficialLiveGroupModeration runs every live-group action through the
// official client against volcimtest, and reads each write back through it.
func TestOfficialLiveGroupModeration(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer()
	defer srv.Close()
	const app, live = 100000, 7171275522159198472
	srv.AddConversation(volcim.Conversation{AppID: app, ConversationShortID: live, ConversationType: volcim.ConversationLiveGroup})
	srv.AddParticipants(app, live, volcim.Participant{UserID: 10001, NickName: "甲"}, volcim.Participant{UserID: 10002, NickName: "乙"})
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()
	ban := int32(1)

	added, err := c.BatchAddBlockParticipants(ctx, &im.BatchAddBlockParticipantsBody{AppID: app, ConversationShortID: live, ParticipantBlockInfos: map[string]int64{"10001": 600, "30000": 60}})
	if err != nil {
		t.Fatalf("official BatchAddBlockParticipants: %v", err)
	}
	if !slices.Equal(added.Result.FailedParticipantUserIDs, []int64{30000}) {
		t.Errorf("failed %v, want the non-member 30000", added.Result.FailedParticipantUserIDs)
	}
	if _, err := c.BatchAddBlockParticipants(ctx, &im.BatchAddBlockParticipantsBody{AppID: app, ConversationShortID: live, BlockAction: &ban, ParticipantBlockInfos: map[string]int64{"30000": 3600}}); err != nil {
		t.Fatalf("official BatchAddBlockParticipants (ban): %v", err)
	}
	mutes, err := c.BatchGetBlockParticipants(ctx, &im.BatchGetBlockParticipantsBody{AppID: app, ConversationShortID: live, Cursor: 0, Limit: 20})
	if err != nil {
		t.Fatalf("official BatchGetBlockParticipants: %v", err)
	}
	if ps := mutes.Result.Participants; len(ps) != 1 || ps[0].ParticipantUserID != 10001 || ps[0].BlockTime-ps[0].CreateTime != 600 || ps[0].NickName != "甲" || mutes.Result.HasMore {
		t.Errorf("mutes %+v", mutes.Result)
	}
	if _, err := c.BatchDeleteBlockParticipants(ctx, &im.BatchDeleteBlockParticipantsBody{AppID: app, ConversationShortID: live, BlockAction: &ban, ParticipantUserIDs: []int64{30000}}); err != nil {
		t.Fatalf("official BatchDeleteBlockParticipants: %v", err)
	}
	bans, err := c.BatchGetBlockParticipants(ctx, &im.BatchGetBlockParticipantsBody{AppID: app, ConversationShortID: live, Cursor: 0, Limit: 20, BlockAction: &ban})
	if err != nil || len(bans.Result.Participants) != 0 {
		t.Errorf("bans after lifting: %+v, %v", bans, err)
	}

	if _, err := c.BatchAddWhitelistParticipant(ctx, &im.BatchAddWhitelistParticipantBody{AppID: app, ConversationShortID: live, Operator: 10001, ParticipantUserIDs: []int64{10001, 10002}}); err != nil {
		t.Fatalf("official BatchAddWhitelistParticipant: %v", err)
	}
	nick := "主持人"
	upd, err := c.BatchUpdateLiveParticipants(ctx, &im.BatchUpdateLiveParticipantsBody{AppID: app, ConversationShortID: live,
		ParticipantInfos: []im.BatchUpdateLiveParticipantsBodyParticipantInfosItem{{UserID: 10002, NickName: &nick, Marks: []string{"嘉宾"}}}})
	if err != nil || len(upd.Result.FailedInfos) != 0 {
		t.Fatalf("official BatchUpdateLiveParticipants: %+v, %v", upd, err)
	}
	white, err := c.BatchGetWhitelistParticipant(ctx, &im.BatchGetWhitelistParticipantBody{AppID: app, ConversationShortID: live, Cursor: 0, Limit: 1})
	if err != nil {
		t.Fatalf("official BatchGetWhitelistParticipant: %v", err)
	}
	if ps := white.Result.Participants; len(ps) != 1 || ps[0].ParticipantUserID != 10001 || ps[0].Operator != 10001 || !white.Result.HasMore || white.Result.NextCursor != 1 {
		t.Errorf("whitelist page 1 %+v", white.Result)
	}
	white, err = c.BatchGetWhitelistParticipant(ctx, &im.BatchGetWhitelistParticipantBody{AppID: app, ConversationShortID: live, Cursor: white.Result.NextCursor, Limit: 1})
	if err != nil {
		t.Fatalf("official BatchGetWhitelistParticipant: %v", err)
	}
	if ps := white.Result.Participants; len(ps) != 1 || ps[0].NickName != "主持人" || !slices.Equal(ps[0].Marks, []string{"嘉宾"}) || white.Result.HasMore || white.Result.NextCursor != -1 {
		t.Errorf("whitelist page 2 %+v", white.Result)
	}
	if _, err := c.BatchRemoveWhitelistParticipant(ctx, &im.BatchRemoveWhitelistParticipantBody{AppID: app, ConversationShortID: live, Operator: 10001, ParticipantUserIDs: []int64{10001, 10002}}); err != nil {
		t.Fatalf("official BatchRemoveWhitelistParticipant: %v", err)
	}
	white, err = c.BatchGetWhitelistParticipant(ctx, &im.BatchGetWhitelistParticipantBody{AppID: app, ConversationShortID: live, Cursor: 0, Limit: 20})
	if err != nil || len(white.Result.Participants) != 0 {
		t.Errorf("whitelist after removing: %+v, %v", white, err)
	}
	checkAccepted(t, srv)
}
