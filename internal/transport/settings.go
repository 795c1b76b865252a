package transport

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultAttemptTimeout bounds an attempt when neither the client's option
// nor its http.Client's Timeout says otherwise.
const DefaultAttemptTimeout = 15 * time.Second

// Excerpt returns the start of a reply body (at most 200 bytes, never a split
// rune) as one line of valid UTF-8, for an error message about a body that is
// not what the API sends.
func Excerpt(body []byte) string {
	const max = 200
	b := bytes.TrimSpace(body)
	cut := len(b) > max
	if cut {
		b = b[:max]
		// Do not split a rune: back up to the start of the last one.
		for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "\uFFFD")), " ")
	if cut {
		s += "…"
	}
	return s
}
