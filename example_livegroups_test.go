package volcim_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// exampleLiveGroup is the live group of the live-group examples.
const exampleLiveGroup = 7300000000000000001

// Mute a member of a live group for ten minutes, list who is muted, and
// lift the mute early.
func ExampleClient_BatchAddBlockParticipants() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	srv.AddConversation(volcim.Conversation{
		AppID:               exampleApp,
		ConversationShortID: exampleLiveGroup,
		ConversationType:    volcim.ConversationLiveGroup,
		Name:                "Launch stream",
	})
	srv.AddParticipants(exampleApp, exampleLiveGroup,
		volcim.Participant{UserID: 10001, NickName: "host"},
		volcim.Participant{UserID: 10002, NickName: "heckler"})
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	_, err = client.BatchAddBlockParticipants(ctx, &volcim.BatchAddBlockParticipantsRequest{
		ConversationShortID: exampleLiveGroup,
		BlockAction:         volcim.BlockMute,
		Users: []volcim.BlockedUser{
			{UserID: 10002, Duration: 10 * time.Minute},
			{UserID: 10009, Duration: 10 * time.Minute}, // not a member
		},
	})
	var pf *volcim.PartialFailureError
	switch {
	case errors.As(err, &pf):
		for _, f := range pf.Failed {
			fmt.Println("not muted:", f)
		}
	case err != nil:
		log.Fatal(err)
	}

	for p, err := range client.BlockParticipants(ctx, &volcim.BlockParticipantsRequest{ConversationShortID: exampleLiveGroup}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s (%d) is muted for %v\n", p.NickName, p.UserID, p.BlockTime.Sub(p.CreateTime))
	}

	if _, err := client.BatchDeleteBlockParticipants(ctx, &volcim.BatchDeleteBlockParticipantsRequest{
		ConversationShortID: exampleLiveGroup,
		ParticipantUserIDs:  []int64{10002},
	}); err != nil {
		log.Fatal(err)
	}
	page, err := client.BatchGetBlockParticipants(ctx, &volcim.BatchGetBlockParticipantsRequest{ConversationShortID: exampleLiveGroup, Limit: 20})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("muted after lifting:", len(page.Participants))
	// Output:
	// not muted: 10009
	// heckler (10002) is muted for 10m0s
	// muted after lifting: 0
}

// The moderation actions work on live groups only: on another conversation
// the API answers OnlyLiveConversationSupport.
func ExampleClient_BatchAddWhitelistParticipant() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	srv.AddConversation(volcim.Conversation{AppID: exampleApp, ConversationShortID: exampleLiveGroup, ConversationType: volcim.ConversationLiveGroup})
	srv.AddConversation(volcim.Conversation{AppID: exampleApp, ConversationShortID: exampleConv, ConversationType: volcim.ConversationGroup})
	srv.AddParticipants(exampleApp, exampleLiveGroup, volcim.Participant{UserID: 10001, NickName: "host"})
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	for _, conv := range []int64{exampleLiveGroup, exampleConv} {
		_, err := client.BatchAddWhitelistParticipant(ctx, &volcim.BatchAddWhitelistParticipantRequest{
			ConversationShortID: conv,
			Operator:            10001,
			ParticipantUserIDs:  []int64{10001},
		})
		var apiErr *volcim.APIError
		switch {
		case errors.As(err, &apiErr) && apiErr.Code == volcim.CodeOnlyLiveConversationSupport:
			fmt.Println(conv, "is not a live group")
		case err != nil:
			log.Fatal(err)
		default:
			fmt.Println(conv, "whitelisted 10001")
		}
	}
	// Output:
	// 7300000000000000001 whitelisted 10001
	// 7171275522159198471 is not a live group
}
