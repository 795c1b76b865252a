package volcim_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/jarcoal/httpmock"

	volcim "github.com/volcim/volcim-go"
)

// Unit tests of code that calls the SDK can mock the API with httpmock:
// register a responder for the action (it travels in the query string) on
// an instance-scoped mock transport, and answer with a canned reply. The
// repository's testdata/ directory holds one canned success reply per action.
// (httpmock.Activate() works too, before or after NewClient: without
// WithHTTPClient the client sends through http.DefaultTransport as it is
// when each request goes out.)
func Example_mockingWithHTTPMock() {
	reply, err := os.ReadFile("testdata/get_messages.json")
	if err != nil {
		log.Fatal(err)
	}
	mock := httpmock.NewMockTransport()
	mock.RegisterResponderWithQuery(http.MethodPost, "https://rtc.volcengineapi.com/",
		"Action=GetMessages&Version=2020-12-01", httpmock.NewBytesResponder(http.StatusOK, reply))

	client, err := volcim.NewClient("AKLTexample", "c2VjcmV0",
		volcim.WithAppID(100000),
		volcim.WithHTTPClient(&http.Client{Transport: mock}),
	)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.GetMessages(context.Background(), &volcim.GetMessagesRequest{
		ConversationShortID: 1,
		MessageIDs:          []int64{7171391829814822919},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(resp.Messages), resp.Messages[0].MessageID, resp.Messages[0].Content)
	fmt.Println("calls:", mock.GetTotalCallCount())
	// Output:
	// 2 7171391829814822919 Your_Content
	// calls: 1
}

// NewClientFromEnv reads the credentials from VOLC_ACCESSKEY and
// VOLC_SECRETKEY (and VOLC_SESSIONTOKEN for STS credentials); options add
// the rest.
func ExampleNewClientFromEnv() {
	srv := exampleServer()
	defer srv.Close()
	// In a service these come from its environment; the example sets them
	// to the fake server's keys.
	os.Setenv(volcim.EnvAccessKey, srv.AccessKey())
	os.Setenv(volcim.EnvSecretKey, srv.SecretKey())
	defer os.Unsetenv(volcim.EnvAccessKey)
	defer os.Unsetenv(volcim.EnvSecretKey)

	client, err := volcim.NewClientFromEnv(volcim.WithEndpoint(srv.URL), volcim.WithAppID(exampleApp))
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{
		ConversationShortIDs: []int64{exampleConv},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Conversations[0].Name)
	// Output: Team chat
}

// WithHTTPClient sends through your own http.Client: its Transport
// (connection pool, proxy, TLS settings) and, unless WithAttemptTimeout is
// given, its Timeout as the bound of each attempt.
func ExampleWithHTTPClient() {
	srv := exampleServer()
	defer srv.Close()

	hc := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: 32, IdleConnTimeout: time.Minute},
		Timeout:   5 * time.Second, // each attempt; retries get their own 5 s
	}
	client, err := volcim.NewClient(srv.AccessKey(), srv.SecretKey(),
		volcim.WithEndpoint(srv.URL), volcim.WithAppID(exampleApp), volcim.WithHTTPClient(hc))
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.GetConversationMessages(context.Background(), &volcim.GetConversationMessagesRequest{
		ConversationShortID: exampleConv,
		Limit:               2,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Messages), page.HasMore)
	// Output: 2 true
}

// A service that shares its account with others can give itself part of the
// budget: a limiter from the documented table with some rows lowered,
// shared by all of its clients.
func ExampleNewLimiter() {
	srv := exampleServer()
	defer srv.Close()

	rates := volcim.DefaultRates()
	rates.Default = 40                // reads: 40 of the account's 100 per second
	rates.Actions["SendMessage"] = 10 // 10 of the 50 sends per second
	limiter, err := volcim.NewLimiter(rates)
	if err != nil {
		log.Fatal(err)
	}
	client, err := volcim.NewClient(srv.AccessKey(), srv.SecretKey(),
		volcim.WithEndpoint(srv.URL), volcim.WithAppID(exampleApp), volcim.WithLimiter(limiter))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.GetMessages(context.Background(), &volcim.GetMessagesRequest{
		ConversationShortID: exampleConv,
		MessageIDs:          []int64{7171391232210520094},
	}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(limiter.CurrentQPS("GetMessages"), limiter.CurrentQPS("SendMessage"), limiter.CurrentQPS("CreateConversation"))
	// Output: 40 10 50
}
