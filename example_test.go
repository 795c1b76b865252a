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

// The examples run against volcimtest, the SDK's in-memory IM server, seeded
// with one conversation of seven messages. Against Volcengine, build the
// client with volcim.NewClient(accessKey, secretKey, ...) or
// volcim.NewClientFromEnv() instead of srv.Client().
const (
	exampleApp  = 123456
	exampleConv = 7171275522159198471
)

// exampleServer starts a server holding conversation exampleConv of app
// exampleApp: a group "Team chat" of 3 members and 7 text messages.
func exampleServer() *volcimtest.Server {
	srv := volcimtest.NewServer()
	start := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	srv.AddConversation(volcim.Conversation{
		AppID:               exampleApp,
		ConversationShortID: exampleConv,
		ConversationType:    volcim.ConversationGroup,
		Name:                "Team chat",
		OwnerUserID:         10001,
		MemberCount:         3,
		CreateTime:          start,
		ModifyTime:          start,
	})
	lines := []string{"good morning", "morning!", "stand-up in 5", "joining", "notes are in the doc", "thanks", "bye"}
	for i, text := range lines {
		srv.AddMessages(volcim.Message{
			AppID:               exampleApp,
			ConversationShortID: exampleConv,
			ConversationType:    volcim.ConversationGroup,
			MessageID:           7171391232210520094 + int64(i),
			MsgType:             volcim.MessageText,
			Content:             text,
			CreateTime:          start.Add(time.Duration(i) * time.Minute),
			Sender:              10001 + int64(i%3),
			IndexInConversation: 1669723106241201 + int64(i)*1000,
		})
	}
	return srv
}

func ExampleNewClient() {
	srv := exampleServer()
	defer srv.Close()

	// Against Volcengine: volcim.NewClient(accessKey, secretKey,
	// volcim.WithRegion(volcim.RegionCNNorth1), volcim.WithAppID(appID)).
	client, err := volcim.NewClient(srv.AccessKey(), srv.SecretKey(),
		volcim.WithEndpoint(srv.URL), // the fake server instead of rtc.volcengineapi.com
		volcim.WithAppID(exampleApp), // used by every request that leaves AppID zero
	)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.GetMessages(context.Background(), &volcim.GetMessagesRequest{
		ConversationShortID: exampleConv,
		MessageIDs:          []int64{7171391232210520094},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Region(), resp.Messages[0].Content)
	// Output: cn-north-1 good morning
}

func ExampleClient_GetMessages() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	resp, err := client.GetMessages(context.Background(), &volcim.GetMessagesRequest{
		ConversationShortID: exampleConv,
		MessageIDs:          []int64{7171391232210520096, 1, 7171391232210520094}, // 1 does not exist
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range resp.Messages {
		fmt.Printf("%d %s %d: %s\n", m.MessageID, m.CreateTime.Format(time.DateTime), m.Sender, m.Content)
	}
	// Output:
	// 7171391232210520096 2024-05-01 09:02:00 10003: stand-up in 5
	// 7171391232210520094 2024-05-01 09:00:00 10001: good morning
}

func ExampleClient_GetConversationMessages() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	// One page: the three newest messages. To walk a whole conversation,
	// prefer ConversationMessages or ConversationMessagesPager.
	resp, err := client.GetConversationMessages(context.Background(), &volcim.GetConversationMessagesRequest{
		ConversationShortID: exampleConv,
		Limit:               3,
		Reverse:             true,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range resp.Messages {
		fmt.Println(m.IndexInConversation, m.Content)
	}
	fmt.Println("has more:", resp.HasMore, "next cursor:", resp.NewCursor)
	// Output:
	// 1669723106247201 bye
	// 1669723106246201 thanks
	// 1669723106245201 notes are in the doc
	// has more: true next cursor: 1669723106244201
}

func ExampleClient_BatchGetConversations() {
	srv := exampleServer()
	defer srv.Close()
	srv.AddConversation(volcim.Conversation{
		AppID: exampleApp, ConversationShortID: 43, Name: "old project",
		Status: volcim.ConversationDismissed,
	})
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	resp, err := client.BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{
		// 42 does not exist and 43 is dismissed: both are left out.
		ConversationShortIDs: []int64{exampleConv, 42, 43},
		IncludeMemberCount:   true,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range resp.Conversations {
		fmt.Printf("%d %q: %s, %d members, created %s\n",
			c.ConversationShortID, c.Name, c.ConversationType, c.MemberCount, c.CreateTime.Format(time.RFC3339))
	}
	// Output:
	// 7171275522159198471 "Team chat": group, 3 members, created 2024-05-01T09:00:00Z
}

// Errors of the API are *volcim.APIError, whether the reply was an HTTP
// error or an HTTP 200 carrying an Error (as IM business errors are).
func ExampleAPIError() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.GetMessages(context.Background(), &volcim.GetMessagesRequest{
		ConversationShortID: 42, // no such conversation
		MessageIDs:          []int64{1},
	})
	var apiErr *volcim.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Temporary())
	}
	// Output: 200 ConversationNotFound false
}

func ExampleClient_ConversationMessages() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}

	// Every message, oldest first, fetched page by page (3 per call here;
	// 20, the API's maximum, by default).
	for m, err := range client.ConversationMessages(context.Background(), &volcim.ConversationMessagesRequest{
		ConversationShortID: exampleConv,
		PageSize:            3,
	}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %d: %s\n", m.CreateTime.Format("15:04"), m.Sender, m.Content)
	}
	fmt.Println("calls:", len(srv.Requests()))
	// Output:
	// 09:00 10001: good morning
	// 09:01 10002: morning!
	// 09:02 10003: stand-up in 5
	// 09:03 10001: joining
	// 09:04 10002: notes are in the doc
	// 09:05 10003: thanks
	// 09:06 10001: bye
	// calls: 3
}

func ExampleClient_ConversationMessagesPager() {
	srv := exampleServer()
	defer srv.Close()
	client, err := srv.Client(volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// A first run handles one page and saves the pager's cursor.
	pager, err := client.ConversationMessagesPager(&volcim.ConversationMessagesRequest{
		ConversationShortID: exampleConv,
		PageSize:            3,
	})
	if err != nil {
		log.Fatal(err)
	}
	page, err := pager.Next(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range page {
		fmt.Println("run 1:", m.Content)
	}
	saved := pager.Cursor() // persist it, e.g. in a database, with the work done

	// A later run resumes from the saved cursor with a new pager: nothing
	// is lost or repeated.
	pager, err = client.ConversationMessagesPager(&volcim.ConversationMessagesRequest{
		ConversationShortID: exampleConv,
		PageSize:            3,
		Cursor:              saved,
	})
	if err != nil {
		log.Fatal(err)
	}
	for pager.HasMore() {
		page, err := pager.Next(ctx)
		if err != nil {
			log.Fatal(err) // pager.Cursor() still names the page that failed
		}
		for _, m := range page {
			fmt.Println("run 2:", m.Content)
		}
	}
	// Output:
	// run 1: good morning
	// run 1: morning!
	// run 1: stand-up in 5
	// run 2: joining
	// run 2: notes are in the doc
	// run 2: thanks
	// run 2: bye
}
