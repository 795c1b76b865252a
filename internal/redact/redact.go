// Package redact keeps secrets (secret keys, session tokens, app tokens,
// callback secrets) out of fmt output, logs and errors.
//
// How fmt reaches a secret, and what this package does about it:
//
//   - A type that holds a secret implements [fmt.Formatter], usually with
//     [Format], so that every verb prints a description without the secret.
//   - fmt cannot call a method on a value reached through an unexported
//     struct field, and it calls none while printing a bad verb
//     (%!s(*T=...)), where it walks a pointer's target field by field. A
//     secret string in a struct field is then printed as is. Keep it in a
//     [Secret] instead: fmt shows a function's address there, however it
//     gets there.
//   - Recorded HTTP headers are printed through [Header], which hides the
//     values of the headers that carry credentials.
//
// Types that fmt walks without calling methods (a value in an unexported
// field, %p of a struct value) print their exported string fields raw: a
// type whose exported fields hold secrets, such as signer.Credentials,
// cannot be protected there and says so in its documentation.
package redact

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Placeholder replaces a secret in printed output.
const Placeholder = "[redacted]"

// String returns Placeholder for a non-empty secret and "" for an empty
// one, so that a printout still tells whether a secret is set.
func String(secret string) string {
	if secret == "" {
		return ""
	}
	return Placeholder
}

// Format implements [fmt.Formatter.Format] for a type whose safe
// description is plain (what %v, %+v and %s print) and goSyntax (what %#v
// prints). Every other verb formats plain as a string would be, flags and
// width included (%q quotes it, %x hex-encodes it, %d prints fmt's
// %!d(string=...)), so no verb ever reaches the value's fields.
func Format(f fmt.State, verb rune, plain, goSyntax string) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, goSyntax)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), plain)
}

// Secret holds a string that no fmt verb prints. Its Format prints
// Placeholder ("" when the secret is empty), and the string itself lives
// in a closure: where fmt cannot call Format (an unexported field, a bad
// verb), it shows the closure's address. The zero Secret is empty.
//
// A Secret is small and safe to copy and to use concurrently.
type Secret struct {
	get func() string
}

// NewSecret returns a Secret holding s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{get: func() string { return s }}
}

// Reveal returns the secret, for the code that must send or use it.
func (s Secret) Reveal() string {
	if s.get == nil {
		return ""
	}
	return s.get()
}

// IsSet reports whether the secret is non-empty.
func (s Secret) IsSet() bool { return s.get != nil }

// String returns Placeholder, or "" for an empty secret.
func (s Secret) String() string {
	if s.get == nil {
		return ""
	}
	return Placeholder
}

// Format prints [Secret.String] for every verb (%#v prints it quoted).
func (s Secret) Format(f fmt.State, verb rune) {
	str := s.String()
	Format(f, verb, str, `"`+str+`"`)
}

// secretHeaders are the canonical keys of the headers whose values are
// credentials: Volcengine's signature and STS session token, WuKongIM's
// manager token, and the usual HTTP ones.
var secretHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"X-Security-Token":    true,
	"Token":               true,
	"X-Api-Key":           true,
	"X-Auth-Token":        true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// SecretHeader reports whether the header key (in any case) carries a
// credential, whose value [Header] hides.
func SecretHeader(key string) bool {
	return secretHeaders[http.CanonicalHeaderKey(key)]
}

// Header returns a copy of h in which the value of every header that
// carries a credential (see [SecretHeader]) is replaced: an Authorization
// with a "Signature=" part (Volcengine V4) keeps everything but the
// signature, so that the access key id, scope and signed headers stay
// readable; another Authorization keeps its scheme ("Bearer [redacted]");
// other values become Placeholder. Empty values stay empty. h itself is not
// changed; Header(nil) is nil.
func Header(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		if !SecretHeader(k) {
			out[k] = vs
			continue
		}
		red := make([]string, len(vs))
		for i, v := range vs {
			red[i] = headerValue(http.CanonicalHeaderKey(k), v)
		}
		out[k] = red
	}
	return out
}

func headerValue(key, v string) string {
	if v == "" {
		return ""
	}
	if key != "Authorization" && key != "Proxy-Authorization" {
		return Placeholder
	}
	if i := strings.Index(v, "Signature="); i >= 0 {
		start := i + len("Signature=")
		end := strings.IndexByte(v[start:], ',')
		if end < 0 {
			return v[:start] + Placeholder
		}
		return v[:start] + Placeholder + v[start+end:]
	}
	if scheme, _, ok := strings.Cut(v, " "); ok && scheme != "" {
		return scheme + " " + Placeholder
	}
	return Placeholder
}
