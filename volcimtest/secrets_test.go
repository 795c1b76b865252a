package volcimtest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/internal/redacttest"
	"github.com/volcim/volcim-go/volcimtest"
)

const (
	secretsAK      = "AKLTvolcimtestsecrets"
	secretsSK      = "SK-volcimtest-must-not-print-c4e2"
	secretsToken   = "STS-volcimtest-must-not-print-08fd"
	secretsWKToken = "wukongim-token-must-not-print-77a3"
)

// secretsServer returns a server with fixed credentials that has recorded
// one signed request carrying a session token, and that request.
func secretsServer(t *testing.T) (*volcimtest.Server, volcimtest.Request) {
	t.Helper()
	srv := volcimtest.NewServer(volcimtest.WithCredentials(secretsAK, secretsSK))
	t.Cleanup(srv.Close)
	c, err := srv.Client(volcim.WithSessionToken(secretsToken), volcim.WithRateLimit(1000))
	if err != nil {
		t.Fatal(err)
	}
	// An unknown conversation: a business error, after the signature check.
	_, _ = c.GetMessages(context.Background(), &volcim.GetMessagesRequest{AppID: 1, ConversationShortID: 1, MessageIDs: []int64{1}})
	recs := srv.Requests()
	if len(recs) != 1 || !recs[0].Accepted || recs[0].Header.Get("X-Security-Token") != secretsToken {
		t.Fatalf("the server did not record one accepted request with the token: %d records", len(recs))
	}
	return srv, recs[0]
}

// signatureOf returns the Signature= part of an Authorization header.
func signatureOf(t *testing.T, authz string) string {
	t.Helper()
	_, sig, ok := strings.Cut(authz, "Signature=")
	if !ok || len(sig) != 64 {
		t.Fatalf("no signature in Authorization %q", authz)
	}
	return sig
}

// TestNoVerbPrintsSecrets prints the server and its records with every
// verb, directly and nested, and looks for the secret key, the session
// token, the request signature and a WuKongIM token in the output.
func TestNoVerbPrintsSecrets(t *testing.T) {
	t.Parallel()
	srv, rec := secretsServer(t)
	sig := signatureOf(t, rec.Header.Get("Authorization"))
	wk := volcimtest.Request{Action: "wukongim", Header: http.Header{
		"Token":            {secretsWKToken},
		"token":            {secretsWKToken}, // as set directly, not canonical
		"Authorization":    {"Bearer " + secretsWKToken},
		"X-Security-Token": {secretsToken, secretsToken},
	}}
	type holder struct{ s *volcimtest.Server } // fmt cannot call methods here
	tests := []struct {
		name  string
		forms []redacttest.Form
	}{
		{"*Server", redacttest.Nested(srv)},
		{"*Server in an unexported field", redacttest.Nested(holder{srv})},
		{"*Server in an unexported field, behind a pointer", redacttest.Nested(&holder{srv})},
		{"Request", redacttest.Nested(rec)},
		{"*Request", redacttest.Nested(&rec)},
		{"Requests()", redacttest.Nested(srv.Requests())},
		{"Request with WuKongIM and bearer tokens", redacttest.Nested(wk)},
		{"Option", redacttest.Nested(volcimtest.WithCredentials(secretsAK, secretsSK))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			redacttest.Check(t, tt.forms, secretsSK, secretsToken, sig, secretsWKToken)
		})
	}
	if got := fmt.Sprintf("%p", srv); !strings.HasPrefix(got, "0x") {
		t.Errorf("%%p = %s, want an address", got)
	}
}

// TestPrintingKeepsRecords checks that printing a Request hides its
// credentials in the output only: the record keeps them, the accessor
// still returns the secret key, and the output keeps what is not secret.
func TestPrintingKeepsRecords(t *testing.T) {
	t.Parallel()
	srv, rec := secretsServer(t)
	authz := rec.Header.Get("Authorization")
	sig := signatureOf(t, authz)
	out := fmt.Sprintf("%+v", rec)

	if got := rec.Header.Get("X-Security-Token"); got != secretsToken {
		t.Errorf("after printing, the record's X-Security-Token is %q", got)
	}
	if got := rec.Header.Get("Authorization"); got != authz {
		t.Errorf("after printing, the record's Authorization is %q", got)
	}
	if srv.SecretKey() != secretsSK {
		t.Errorf("SecretKey() = %q, want %q", srv.SecretKey(), secretsSK)
	}
	for _, want := range []string{
		"Action:GetMessages",
		"AccessKey:" + secretsAK,
		"X-Security-Token:[[redacted]]",
		"Credential=" + secretsAK + "/",
		"SignedHeaders=",
		"Signature=[redacted]",
		"Accepted:true",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("%%+v of the record lacks %q: %s", want, out)
		}
	}
	if strings.Contains(out, sig) {
		t.Errorf("%%+v of the record shows the signature: %s", out)
	}
	if got := fmt.Sprintf("%#v", rec); !strings.HasPrefix(got, "volcimtest.Request{Action:\"GetMessages\"") {
		t.Errorf("%%#v = %s, want volcimtest.Request{Action:\"GetMessages\"...", got)
	}
}

// TestServerString checks what a printed Server shows.
func TestServerString(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer(volcimtest.WithCredentials(secretsAK, secretsSK))
	t.Cleanup(srv.Close)
	var nilServer *volcimtest.Server
	tests := []struct {
		format string
		s      *volcimtest.Server
		want   string
	}{
		{"%v", srv, "volcimtest.Server{URL:" + srv.URL + " AccessKey:" + secretsAK + " SecretKey:[redacted]}"},
		{"%s", srv, "volcimtest.Server{URL:" + srv.URL + " AccessKey:" + secretsAK + " SecretKey:[redacted]}"},
		{"%#v", srv, `&volcimtest.Server{URL:"` + srv.URL + `", AccessKey:"` + secretsAK + `", SecretKey:"[redacted]"}`},
		{"%v", nilServer, "volcimtest.Server(nil)"},
		{"%#v", nilServer, "(*volcimtest.Server)(nil)"},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, tt.s); got != tt.want {
			t.Errorf("Sprintf(%q) = %s, want %s", tt.format, got, tt.want)
		}
	}
}
