package wukongim_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/internal/redacttest"
	"github.com/volcim/volcim-go/wukongim"
)

const secretsToken = "wk-manager-token-must-not-print-e51c"

// TestNoVerbPrintsSecrets prints every value of the package that holds or
// carries the token with every verb, directly and nested, and looks for
// the token in the output.
func TestNoVerbPrintsSecrets(t *testing.T) {
	t.Parallel()
	var sent atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Token") == secretsToken {
			sent.Store(true)
		}
		w.WriteHeader(http.StatusUnauthorized) // the server refuses it
	}))
	t.Cleanup(srv.Close)
	c, err := wukongim.NewClient(srv.URL, wukongim.WithToken(secretsToken), wukongim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	_, callErr := c.SearchMessages(context.Background(), &wukongim.SearchMessagesRequest{MessageIDs: []int64{1}})
	if callErr == nil || !sent.Load() {
		t.Fatalf("the call did not send the token and fail (error %v); the check of the error would be vacuous", callErr)
	}
	_, optErr := wukongim.NewClient(srv.URL, wukongim.WithToken(secretsToken+"\n"))
	if optErr == nil {
		t.Fatal("NewClient accepted a token with a newline")
	}

	type holder struct{ c *wukongim.Client }     // fmt cannot call methods here
	type valueHolder struct{ c wukongim.Client } // nor here, nor on c's fields
	tests := []struct {
		name  string
		forms []redacttest.Form
	}{
		{"*Client", redacttest.Nested(c)},
		{"Client", redacttest.Nested(*c)},
		{"*Client in an unexported field", redacttest.Nested(holder{c})},
		{"*Client in an unexported field, behind a pointer", redacttest.Nested(&holder{c})},
		{"Client in an unexported field", redacttest.Nested(valueHolder{*c})},
		{"Option", redacttest.Nested(wukongim.WithToken(secretsToken))},
		{"call error", redacttest.Nested(callErr)},
		{"NewClient error", redacttest.Nested(optErr)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			redacttest.Check(t, tt.forms, secretsToken)
		})
	}
}
