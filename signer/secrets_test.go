package signer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/volcim/volcim-go/internal/redacttest"
	"github.com/volcim/volcim-go/signer"
)

const (
	secretsAK    = "AKLTsecretstest"
	secretsSK    = "SK-must-not-print-9f2c1e"
	secretsToken = "STS-token-must-not-print-51ab07"
)

// TestNoVerbPrintsSecrets prints every type of the package that holds a
// secret with every verb, directly and nested, and looks for the secret
// key and the session token in the output.
func TestNoVerbPrintsSecrets(t *testing.T) {
	t.Parallel()
	creds := signer.Credentials{AccessKeyID: secretsAK, SecretAccessKey: secretsSK, SessionToken: secretsToken}
	s, err := signer.New(creds, "cn-north-1", "rtc")
	if err != nil {
		t.Fatal(err)
	}
	type holder struct{ s *signer.Signer } // fmt cannot call methods here
	tests := []struct {
		name  string
		forms []redacttest.Form
	}{
		{"Credentials", redacttest.Nested(creds)},
		{"*Credentials", redacttest.Nested(&creds)},
		{"*Signer", redacttest.Nested(s)},
		{"*Signer in an unexported field", redacttest.Nested(holder{s})},
		{"*Signer in an unexported field, behind a pointer", redacttest.Nested(&holder{s})},
		{"*Signer in an anonymous struct's unexported field", []redacttest.Form{{Name: "direct", Value: struct{ s *signer.Signer }{s}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			redacttest.Check(t, tt.forms, secretsSK, secretsToken)
		})
	}
}

// TestSignerString checks that a printed Signer says which credentials it
// holds without showing them, and that nil and zero Signers print.
func TestSignerString(t *testing.T) {
	t.Parallel()
	withToken, err := signer.New(signer.Credentials{AccessKeyID: secretsAK, SecretAccessKey: secretsSK, SessionToken: secretsToken}, "cn-north-1", "rtc")
	if err != nil {
		t.Fatal(err)
	}
	noToken, err := signer.New(signer.Credentials{AccessKeyID: secretsAK, SecretAccessKey: secretsSK}, "ap-southeast-1", "rtc")
	if err != nil {
		t.Fatal(err)
	}
	var nilSigner *signer.Signer
	tests := []struct {
		name, format string
		s            *signer.Signer
		want         string
	}{
		{"%v", "%v", withToken, "signer.Signer{AccessKeyID:" + secretsAK + " SecretAccessKey:[redacted] SessionToken:[redacted] Region:cn-north-1 Service:rtc}"},
		{"%s without a token", "%s", noToken, "signer.Signer{AccessKeyID:" + secretsAK + " SecretAccessKey:[redacted] SessionToken: Region:ap-southeast-1 Service:rtc}"},
		{"%#v", "%#v", withToken, `&signer.Signer{AccessKeyID:"` + secretsAK + `", SecretAccessKey:"[redacted]", SessionToken:"[redacted]", Region:"cn-north-1", Service:"rtc"}`},
		{"%q", "%q", noToken, `"signer.Signer{AccessKeyID:` + secretsAK + ` SecretAccessKey:[redacted] SessionToken: Region:ap-southeast-1 Service:rtc}"`},
		{"nil", "%v", nilSigner, "signer.Signer(nil)"},
		{"nil %#v", "%#v", nilSigner, "(*signer.Signer)(nil)"},
		{"zero", "%v", &signer.Signer{}, "signer.Signer{AccessKeyID: SecretAccessKey: SessionToken: Region: Service:}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := fmt.Sprintf(tt.format, tt.s); got != tt.want {
				t.Errorf("Sprintf(%q) = %s, want %s", tt.format, got, tt.want)
			}
		})
	}
	if got := fmt.Sprintf("%p", withToken); !strings.HasPrefix(got, "0x") {
		t.Errorf("%%p = %s, want an address", got)
	}
}
