package officialfake

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
)

// TestErrorIn200WithoutCodeN pins the difference the README claims: an HTTP
// 200 whose ResponseMetadata carries an Error without CodeN is a failure by
// the documented rule. The official SDK returns it as a success (it checks
// CodeN only); volcim returns an *APIError.
func TestErrorIn200WithoutCodeN(t *testing.T) {
	reply, err := os.ReadFile(filepath.Join("..", "..", "testdata", "error_200_no_coden.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(reply)
	}))
	defer srv.Close()
	ctx := context.Background()

	u, _ := url.Parse(srv.URL)
	official := im.NewInstance()
	official.SetScheme(u.Scheme)
	official.SetHost(u.Host)
	official.SetAccessKey("AK")
	official.SetSecretKey("SK")
	res, err := official.GetConversationMessages(ctx, &im.GetConversationMessagesBody{AppID: 1, ConversationShortID: 2, Limit: 20})
	if err != nil {
		t.Fatalf("the official SDK now reports the error (%v): update the README's comparison", err)
	}
	if len(res.Result.Messages) != 0 {
		t.Fatalf("unexpected messages %+v", res.Result.Messages)
	}

	ours, err := volcim.NewClient("AK", "SK", volcim.WithEndpoint(srv.URL), volcim.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ours.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{AppID: 1, ConversationShortID: 2, Limit: 20})
	var apiErr *volcim.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 200 || apiErr.Code != volcim.CodeConversationNotFound {
		t.Fatalf("volcim: err = %v, want an *APIError ConversationNotFound with status 200", err)
	}
}
