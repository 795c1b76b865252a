package signer

import (
	"fmt"
	"strconv"

	"github.com/volcim/volcim-go/internal/redact"
)

// Credentials are a Volcengine access key pair with an optional STS session token.
//
// Printing Credentials with any fmt verb shows the access key id only: the
// secret access key and the session token are replaced by "[redacted]",
// also in slices, maps and exported struct fields.
//
// fmt cannot call methods on a value it reaches through an unexported
// struct field, nor while it prints a bad verb such as %p of a value: it
// then prints the exported fields as they are, secret included. Keep
// Credentials out of unexported fields of values that may be printed (hand
// them to [New] and keep the *Signer, which prints safely everywhere).
type Credentials struct {
	AccessKeyID     string // the access key id ("AKLT..."), sent in Authorization
	SecretAccessKey string // the secret access key, never sent
	SessionToken    string // sent and signed as X-Security-Token when non-empty
}

// String returns the access key id with the secret and the token redacted.
func (c Credentials) String() string {
	return "{AccessKeyID:" + c.AccessKeyID +
		" SecretAccessKey:" + redact.String(c.SecretAccessKey) +
		" SessionToken:" + redact.String(c.SessionToken) + "}"
}

// GoString returns a Go-syntax representation with the secret and the token redacted.
func (c Credentials) GoString() string {
	return "signer.Credentials{AccessKeyID:" + strconv.Quote(c.AccessKeyID) +
		", SecretAccessKey:" + strconv.Quote(redact.String(c.SecretAccessKey)) +
		", SessionToken:" + strconv.Quote(redact.String(c.SessionToken)) + "}"
}

// Format implements [fmt.Formatter] so that every verb, including %+v and %#v,
// prints the redacted forms of [Credentials.String] and [Credentials.GoString].
func (c Credentials) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			fmt.Fprint(f, c.GoString())
			return
		}
		fmt.Fprint(f, c.String())
	case 's':
		fmt.Fprint(f, c.String())
	case 'q':
		fmt.Fprint(f, strconv.Quote(c.String()))
	default:
		fmt.Fprintf(f, "%%!%c(signer.Credentials=%s)", verb, c.String())
	}
}
