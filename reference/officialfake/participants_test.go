package officialfake

import (
	"context"
	"testing"

	"github.com/volcengine/volc-sdk-golang/service/im"

	"github.com/volcim/volcim-go/volcimtest"
)

// TestOfficialParticipants runs every member action through the official
// client against volcimtest and reads each change back through it.
func TestOfficialParticipants(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer()
	defer srv.Close()
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()
	const app = 100000

	created, err := c.CreateConversation(ctx, &im.CreateConversationBody{AppID: app, ConversationCoreInfo: im.CreateConversationBodyConversationCoreInfo{ConversationType: 2}, OwnerUserID: 1})
	if err != nil {
		t.Fatalf("official CreateConversation: %v", err)
	}
	group := created.Result.ConversationShortID
	nick, role := "小明", int64(2)
	added, err := c.BatchAddConversationParticipant(ctx, &im.BatchAddConversationParticipantBody{AppID: app, ConversationShortID: group, Operator: 1,
		ParticipantInfos: []im.BatchAddConversationParticipantBodyParticipantInfosItem{{ParticipantUserID: 2, NickName: &nick, Role: &role}, {ParticipantUserID: 3}, {ParticipantUserID: 4}}})
	if err != nil || len(added.Result.FailedUserIDs) != 0 {
		t.Fatalf("official BatchAddConversationParticipant: %+v, %v", added, err)
	}
	scan, err := c.ScanConversationParticipantList(ctx, &im.ScanConversationParticipantListBody{AppID: app, ConversationShortID: group, Limit: 3})
	if err != nil || len(scan.Result.Participants) != 3 || !scan.Result.HasMore || scan.Result.NextCursor != 3 || *scan.Result.Participants[1].NickName != nick {
		t.Fatalf("official ScanConversationParticipantList: %+v, %v", scan, err)
	}
	last, err := c.ScanConversationParticipantList(ctx, &im.ScanConversationParticipantListBody{AppID: app, ConversationShortID: group, Cursor: int64(scan.Result.NextCursor), Limit: 3})
	if err != nil || len(last.Result.Participants) != 1 || last.Result.HasMore || last.Result.NextCursor >= 0 || last.Result.Participants[0].ParticipantUserID != 4 {
		t.Fatalf("official ScanConversationParticipantList, last page: %+v, %v", last, err)
	}

	block := int64(1714640400)
	if _, err := c.BatchModifyConversationParticipant(ctx, &im.BatchModifyConversationParticipantBody{AppID: app, ConversationShortID: group, Operator: 1,
		ParticipantInfos: []im.BatchModifyConversationParticipantBodyParticipantInfosItem{{ParticipantUserID: 3, BlockTime: &block}}}); err != nil {
		t.Fatalf("official BatchModifyConversationParticipant: %v", err)
	}
	got, err := c.BatchGetConversationParticipant(ctx, &im.BatchGetConversationParticipantBody{AppID: app, ConversationShortID: group, ParticipantUserIDs: []int64{3, 2}})
	if err != nil || len(got.Result.Participants) != 2 || *got.Result.Participants[0].BlockTime != block || got.Result.Participants[1].Role != role {
		t.Fatalf("official BatchGetConversationParticipant: %+v, %v", got, err)
	}

	if _, err := c.BatchDeleteConversationParticipant(ctx, &im.BatchDeleteConversationParticipantBody{AppID: app, ConversationShortID: group, Operator: 1, ParticipantUserIDs: []int64{4}}); err != nil {
		t.Fatalf("official BatchDeleteConversationParticipant: %v", err)
	}
	in, err := c.IsUserInConversation(ctx, &im.IsUserInConversationBody{AppID: app, ConversationShortID: group, ParticipantUserID: 4})
	if err != nil || in.Result.IsUserInConversation {
		t.Fatalf("official IsUserInConversation of a removed member: %+v, %v", in, err)
	}
	in, err = c.IsUserInConversation(ctx, &im.IsUserInConversationBody{AppID: app, ConversationShortID: group, ParticipantUserID: 3})
	if err != nil || !in.Result.IsUserInConversation {
		t.Fatalf("official IsUserInConversation of a member: %+v, %v", in, err)
	}

	if _, err := c.ModifyParticipantReadIndex(ctx, &im.ModifyParticipantReadIndexBody{AppID: app, ConversationShortID: group, ParticipantUserID: 2, ReadIndex: 1714554000123457}); err != nil {
		t.Fatalf("official ModifyParticipantReadIndex: %v", err)
	}
	idx, err := c.GetParticipantReadIndex(ctx, &im.GetParticipantReadIndexBody{AppID: app, ConversationShortID: group})
	if err != nil || len(idx.Result.ReadIndexes) != 1 || idx.Result.ReadIndexes[0].ParticipantUserID != 2 || idx.Result.ReadIndexes[0].ReadIndex != 1714554000123457 {
		t.Fatalf("official GetParticipantReadIndex: %+v, %v", idx, err)
	}

	live, err := c.CreateConversation(ctx, &im.CreateConversationBody{AppID: app, ConversationCoreInfo: im.CreateConversationBodyConversationCoreInfo{ConversationType: 100}, OwnerUserID: 1})
	if err != nil {
		t.Fatalf("official CreateConversation (live): %v", err)
	}
	liveID := live.Result.ConversationShortID
	if _, err := c.BatchAddConversationParticipant(ctx, &im.BatchAddConversationParticipantBody{AppID: app, ConversationShortID: liveID, Operator: 1,
		ParticipantInfos: []im.BatchAddConversationParticipantBodyParticipantInfosItem{{ParticipantUserID: 5}, {ParticipantUserID: 6}}}); err != nil {
		t.Fatalf("official BatchAddConversationParticipant (live): %v", err)
	}
	mgr, err := c.BatchAddManager(ctx, &im.BatchAddManagerBody{AppID: app, ConversationShortID: liveID, Operator: 1, ManagerUserIDs: []int64{5, 6}})
	if err != nil || len(mgr.Result.FailedManagerUserIDs) != 0 {
		t.Fatalf("official BatchAddManager: %+v, %v", mgr, err)
	}
	rm, err := c.BatchRemoveManager(ctx, &im.BatchRemoveManagerBody{AppID: app, ConversationShortID: liveID, Operator: 1, RemoveManagerUserIDs: []int64{6}})
	if err != nil || len(rm.Result.FailedManagerUserIDs) != 0 {
		t.Fatalf("official BatchRemoveManager: %+v, %v", rm, err)
	}
	managers, err := c.ScanConversationParticipantList(ctx, &im.ScanConversationParticipantListBody{AppID: app, ConversationShortID: liveID, Limit: 20})
	if err != nil || len(managers.Result.Participants) != 2 || managers.Result.Participants[1].ParticipantUserID != 5 || managers.Result.Participants[1].Role != 2 {
		t.Fatalf("owner and managers of the live group: %+v, %v", managers, err)
	}
	st, err := c.QueryLiveParticipantStatus(ctx, &im.QueryLiveParticipantStatusBody{AppID: app, ConversationShortID: liveID, ParticipantUserIDs: []int64{6, 7}})
	if err != nil || len(st.Result.Status) != 2 || !st.Result.Status[0].IsInConversation || st.Result.Status[0].CreateTime == 0 || st.Result.Status[1].IsInConversation {
		t.Fatalf("official QueryLiveParticipantStatus: %+v, %v", st, err)
	}
	checkAccepted(t, srv)
}

// TestOfficialNonMemberCannotSend: once a conversation is created, its
// owner may send into it and a user who is not a member may not.
func TestOfficialNonMemberCannotSend(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer()
	defer srv.Close()
	c := officialClient(t, srv, srv.SecretKey())
	ctx := context.Background()
	created, err := c.CreateConversation(ctx, &im.CreateConversationBody{AppID: 100000, ConversationCoreInfo: im.CreateConversationBodyConversationCoreInfo{ConversationType: 2}, OwnerUserID: 1})
	if err != nil {
		t.Fatal(err)
	}
	send := func(sender int64) error {
		_, err := c.SendMessage(ctx, &im.SendMessageBody{AppID: 100000, ConversationShortID: created.Result.ConversationShortID, Sender: sender, MsgType: 10001, Content: `{"text":"hi"}`})
		return err
	}
	if err := send(1); err != nil {
		t.Errorf("the owner cannot send: %v", err)
	}
	if err := send(2); err == nil {
		t.Error("a non-member sent")
	}
	recs := srv.Requests()
	if last := recs[len(recs)-1]; last.Code != "ParticipantNotInConversation" {
		t.Errorf("the refusal's code %q", last.Code)
	}
}
