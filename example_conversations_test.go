package volcim_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

// Create a group, add members and list them.
func ExampleClient_CreateConversation() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// IdempotentID is left empty: the client fills a UUID, so a retry
	// after a lost reply finds this group instead of creating another.
	group, err := client.CreateConversation(ctx, &volcim.CreateConversationRequest{
		ConversationType: volcim.ConversationGroup,
		Name:             "Release crew",
		OwnerUserID:      10001,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", group.Conversation.Name, group.Conversation.ConversationType, "exist:", group.Exist)

	_, err = client.BatchAddConversationParticipant(ctx, &volcim.BatchAddConversationParticipantRequest{
		ConversationShortID: group.ConversationShortID,
		Operator:            10001,
		Participants: []volcim.ParticipantToAdd{
			{UserID: 10002, NickName: "Ana", Role: volcim.RoleManager},
			{UserID: 10003, NickName: "Bo"},
		},
	})
	var partial *volcim.PartialFailureError
	switch {
	case errors.As(err, &partial):
		fmt.Println("not added:", partial.Failed) // the others were added
	case err != nil:
		log.Fatal(err)
	}

	for p, err := range client.ConversationParticipants(ctx, &volcim.ConversationParticipantsRequest{ConversationShortID: group.ConversationShortID}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d %s %q\n", p.UserID, p.Role, p.NickName)
	}
	// Output:
	// created: Release crew group exist: false
	// 10001 owner ""
	// 10002 manager "Ana"
	// 10003 member "Bo"
}

// Walk all of a user's conversations, page by page.
func ExampleClient_UserConversations() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, name := range []string{"design", "backend", "random"} {
		if _, err := client.CreateConversation(ctx, &volcim.CreateConversationRequest{ConversationType: volcim.ConversationGroup, Name: name, OwnerUserID: 10001}); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := client.CreateConversation(ctx, &volcim.CreateConversationRequest{ConversationType: volcim.ConversationOneToOne, OwnerUserID: 10001, OtherUserID: 10002}); err != nil {
		log.Fatal(err)
	}

	// Oldest first, two per call: the iterator follows HasMore and
	// NextCursor, and stops on a cursor that stalls or loops.
	req := &volcim.UserConversationsRequest{UserID: 10001, DataType: volcim.DataTypeDatabase, PageSize: 2}
	for conv, err := range client.UserConversations(ctx, req) {
		if err != nil {
			log.Fatal(err)
		}
		switch conv.ConversationType {
		case volcim.ConversationOneToOne:
			fmt.Println("one-to-one with", conv.OtherUserID)
		default:
			fmt.Println(conv.Name, "members:", conv.MemberCount)
		}
	}
	// Output:
	// design members: 1
	// backend members: 1
	// random members: 1
	// one-to-one with 10002
}

// A pager reads one page at a time; its Cursor, saved after each page,
// resumes the walk later (in another process, say).
func ExampleClient_UserConversationsPager() {
	srv := volcimtest.NewServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for i := range 5 {
		if _, err := client.CreateConversation(ctx, &volcim.CreateConversationRequest{ConversationType: volcim.ConversationGroup, Name: fmt.Sprint("group ", i), OwnerUserID: 10001}); err != nil {
			log.Fatal(err)
		}
	}
	pager, err := client.UserConversationsPager(&volcim.UserConversationsRequest{UserID: 10001, DataType: volcim.DataTypeDatabase, PageSize: 3})
	if err != nil {
		log.Fatal(err)
	}
	for pager.HasMore() {
		page, err := pager.Next(ctx)
		if err != nil {
			log.Fatal(err) // pager.Cursor() still names the page that failed
		}
		if pager.HasMore() {
			fmt.Println(len(page), "conversations; save the cursor", pager.Cursor())
		} else {
			fmt.Println(len(page), "conversations; done")
		}
	}
	// Output:
	// 3 conversations; save the cursor 3
	// 2 conversations; done
}
