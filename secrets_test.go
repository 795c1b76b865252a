package volcim_test

import (
	"context"
	"strings"
	"testing"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/internal/redacttest"
	"github.com/volcim/volcim-go/volcimtest"
)

const (
	secretsSK    = "SK-root-must-not-print-3d9a41"
	secretsToken = "STS-root-must-not-print-b71e08"
)

// TestNoVerbPrintsSecrets prints every value of the package that holds or
// carries the secret key or the session token with every verb, directly
// and nested, and looks for them in the output.
func TestNoVerbPrintsSecrets(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer(volcimtest.WithQPS(0))
	t.Cleanup(srv.Close)
	c, err := volcim.NewClient(srv.AccessKey(), secretsSK, volcim.WithSessionToken(secretsToken),
		volcim.WithEndpoint(srv.URL), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}), volcim.WithRateLimit(1000))
	if err != nil {
		t.Fatal(err)
	}
	// The server knows another secret: the call fails on the signature,
	// after the client sent its token.
	_, callErr := c.GetMessages(context.Background(), &volcim.GetMessagesRequest{AppID: 1, ConversationShortID: 1, MessageIDs: []int64{1}})
	if callErr == nil {
		t.Fatal("a call signed with the wrong secret key succeeded")
	}
	if recs := srv.Requests(); len(recs) != 1 || recs[0].Header.Get("X-Security-Token") != secretsToken {
		t.Fatal("the client did not send its session token; the check of the error would be vacuous")
	}
	_, optErr := volcim.NewClient("AK", secretsSK, volcim.WithSessionToken(secretsToken+"\n"))
	if optErr == nil {
		t.Fatal("NewClient accepted a token with a newline")
	}

	type holder struct{ c *volcim.Client }     // fmt cannot call methods here
	type valueHolder struct{ c volcim.Client } // nor here, nor on c's fields
	tests := []struct {
		name  string
		forms []redacttest.Form
	}{
		{"*Client", redacttest.Nested(c)},
		{"Client", redacttest.Nested(*c)},
		{"*Client in an unexported field", redacttest.Nested(holder{c})},
		{"*Client in an unexported field, behind a pointer", redacttest.Nested(&holder{c})},
		{"Client in an unexported field", redacttest.Nested(valueHolder{*c})},
		{"Option", redacttest.Nested(volcim.WithSessionToken(secretsToken))},
		{"call error", redacttest.Nested(callErr)},
		{"NewClient error", redacttest.Nested(optErr)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			redacttest.Check(t, tt.forms, secretsSK, secretsToken)
		})
	}
}

// TestWithSessionToken checks that a token that cannot travel intact in a
// header is refused at NewClient, with an error that says where but not
// what, and that any other token reaches the server, signed.
func TestWithSessionToken(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer(volcimtest.WithQPS(0))
	t.Cleanup(srv.Close)
	tests := []struct {
		name    string
		token   string
		wantErr string // "" means accepted
	}{
		{"empty means none", "", ""},
		{"plain", "STS2eyJhbGciOiJIUzI1NiJ9.token+/=", ""},
		{"inner tab and space", "STS2-inner\ttab and space", ""},
		{"non-ASCII", "STS2-ünïcode", ""},
		{"trailing newline", "STS2-line\n", "control character at byte 9"},
		{"carriage return", "STS2\r\nX-Injected: 1", "control character at byte 4"},
		{"NUL", "\x00STS2", "control character at byte 0"},
		{"escape", "STS2\x1b[0m", "control character at byte 4"},
		{"DEL", "STS2\x7f", "control character at byte 4"},
		// Signed and received without the white space at its ends, like
		// every header value.
		{"leading space", " STS2", ""},
		{"trailing tab", "STS2\t", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := volcim.NewClient(srv.AccessKey(), srv.SecretKey(), volcim.WithSessionToken(tt.token),
				volcim.WithEndpoint(srv.URL), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}), volcim.WithRateLimit(1000),
				volcim.WithUserAgent("secrets-test/"+tt.name))
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("NewClient accepted the token %q", tt.token)
				}
				if c != nil {
					t.Errorf("NewClient returned a client with its error")
				}
				if !strings.Contains(err.Error(), "WithSessionToken: ") || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q does not say %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), strings.TrimSpace(strings.Map(keepPrintable, tt.token))) {
					t.Errorf("error %q shows the token", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewClient: %v", err)
			}
			// The server checks the signature, X-Security-Token included;
			// an unknown conversation is a business error after that check.
			_, err = c.GetMessages(context.Background(), &volcim.GetMessagesRequest{AppID: 1, ConversationShortID: 1, MessageIDs: []int64{1}})
			var rec *volcimtest.Request
			for _, r := range srv.Requests() {
				if r.Header.Get("User-Agent") == "secrets-test/"+tt.name {
					rec = &r
				}
			}
			if rec == nil {
				t.Fatalf("the server saw no request (call error: %v)", err)
			}
			if !rec.Accepted {
				t.Fatalf("the server refused the request: %s (call error: %v)", rec.Code, err)
			}
			got, sent := rec.Header["X-Security-Token"]
			if tt.token == "" && sent {
				t.Errorf("an empty token was sent as %q", got)
			}
			if want := strings.Trim(tt.token, " \t"); tt.token != "" && (len(got) != 1 || got[0] != want) {
				t.Errorf("X-Security-Token = %q, want %q", got, want)
			}
		})
	}
}

// keepPrintable drops control characters, so that a token's printable part
// can be looked for in an error.
func keepPrintable(r rune) rune {
	if r < 0x20 || r == 0x7f {
		return -1
	}
	return r
}
