package callback

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/volcim/volcim-go/internal/redact"
)

// EnvelopeVersion is the Version the documented envelope carries.
const EnvelopeVersion = "2020-12-01"

// Errors of verification and parsing. Errors returned by this package wrap
// them; match with errors.Is.
var (
	// ErrNoSecret: there is no secret to verify with, or one is empty.
	ErrNoSecret = errors.New("callback: no secret")
	// ErrUnsigned: the envelope carries no Signature.
	ErrUnsigned = errors.New("callback: the event is not signed")
	// ErrBadSignature: the Signature is not the digest of the envelope
	// under any of the secrets.
	ErrBadSignature = errors.New("callback: wrong signature")
	// ErrMalformed: the body is not a JSON object of the envelope's fields.
	ErrMalformed = errors.New("callback: malformed envelope")
	// ErrBadTime: an EventTime that is neither an RFC 3339 time nor an
	// epoch number.
	ErrBadTime = errors.New("callback: bad EventTime")
)

// Envelope is the body of a callback request: a JSON object whose members
// are all strings (docs 6348/293099 and 6348/293101).
//
// An Envelope holds no secret: Signature is a digest, safe to log.
type Envelope struct {
	// EventType names the event: "BeforeSendMessage", "AfterSendMessage", ...
	EventType string `json:"EventType"`
	// EventData is the event's own JSON document, as a string.
	EventData string `json:"EventData"`
	// EventTime is when the event happened, documented as an RFC 3339 UTC
	// time with nanoseconds ("1970-07-01T00:00:00.000000000Z"); see
	// [ParseTime].
	EventTime string `json:"EventTime"`
	// EventID identifies the event; deliveries of one event share it.
	EventID string `json:"EventId"`
	// AppID is the IM app the event belongs to.
	AppID string `json:"AppId"`
	// Version is the envelope's version, EnvelopeVersion.
	Version string `json:"Version"`
	// Nonce is a random string (documented as 4 digits).
	Nonce string `json:"Nonce"`
	// Signature is the lowercase hex SHA-256 digest that [Sign] computes.
	Signature string `json:"Signature"`
}

// Sign returns the documented signature of e under secret: the seven values
// EventType, EventData, EventTime, EventId, AppId, Version and Nonce with
// the secret as an eighth, sorted in byte order (Go's string order: the
// order of Unicode code points for UTF-8), concatenated without separators,
// hashed with SHA-256 and written as 64 lowercase hex digits. It is a plain
// digest, not an HMAC. e.Signature is ignored.
func Sign(e *Envelope, secret string) string {
	d := digest(e, secret)
	return hex.EncodeToString(d[:])
}

func digest(e *Envelope, secret string) [sha256.Size]byte {
	vals := [8]string{e.EventType, e.EventData, e.EventTime, e.EventID, e.AppID, e.Version, e.Nonce, secret}
	slices.Sort(vals[:])
	h := sha256.New()
	for _, v := range vals {
		io.WriteString(h, v)
	}
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}

// Verify checks e.Signature against every secret (several are accepted at
// once while a secret is being rotated) and returns nil if one matches. The
// signature's hex digits may be of either case. The comparison takes the
// same time whichever secret matches, and however much of the signature
// does.
//
// It returns an error wrapping ErrUnsigned when e has no signature,
// ErrBadSignature when it matches no secret, and ErrNoSecret when secrets is
// empty or holds an empty string. No error holds a secret.
func Verify(e *Envelope, secrets ...string) error {
	if len(secrets) == 0 {
		return ErrNoSecret
	}
	held := make([]redact.Secret, len(secrets))
	for i, s := range secrets {
		if s == "" {
			return fmt.Errorf("%w: secret %d is empty", ErrNoSecret, i)
		}
		held[i] = redact.NewSecret(s)
	}
	return verify(e, held)
}

// verify is Verify over held secrets, all non-empty.
func verify(e *Envelope, secrets []redact.Secret) error {
	if e.Signature == "" {
		return ErrUnsigned
	}
	var got [sha256.Size]byte
	if len(e.Signature) != 2*sha256.Size {
		return fmt.Errorf("%w: %d characters, want %d hex digits", ErrBadSignature, len(e.Signature), 2*sha256.Size)
	}
	if _, err := hex.Decode(got[:], []byte(e.Signature)); err != nil {
		return fmt.Errorf("%w: not hex", ErrBadSignature)
	}
	match := 0
	for _, s := range secrets {
		want := digest(e, s.Reveal())
		match |= subtle.ConstantTimeCompare(want[:], got[:])
	}
	if match != 1 {
		return ErrBadSignature
	}
	return nil
}

// envelopeFields are the members ParseEnvelope reads, in documentation
// order.
var envelopeFields = [...]string{"EventType", "EventData", "EventTime", "EventId", "AppId", "Version", "Nonce", "Signature"}

// ParseEnvelope decodes a callback body. Every member must be a JSON string,
// as documented; a number is taken as its literal text (so that an
// EventTime sent as epoch digits still verifies), and null or a missing
// member as "". Other members are ignored. Anything else (not a JSON
// object, a member that is an object, an array or a boolean) returns an
// error wrapping ErrMalformed. Member names match exactly, as they are
// signed.
func ParseEnvelope(body []byte) (*Envelope, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: not a JSON object: %v", ErrMalformed, err)
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: not a JSON object: null", ErrMalformed)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the JSON object", ErrMalformed)
	}
	var e Envelope
	dst := [...]*string{&e.EventType, &e.EventData, &e.EventTime, &e.EventID, &e.AppID, &e.Version, &e.Nonce, &e.Signature}
	for i, name := range envelopeFields {
		v, ok := raw[name]
		if !ok {
			continue
		}
		s, err := stringMember(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrMalformed, name, err)
		}
		*dst[i] = s
	}
	return &e, nil
}

// stringMember reads a member that should be a string.
func stringMember(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return "", nil
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", err
		}
		return s, nil
	case v[0] == '-' || v[0] >= '0' && v[0] <= '9':
		return string(v), nil
	}
	return "", fmt.Errorf("a JSON %s, want a string", jsonKind(v[0]))
}

func jsonKind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	}
	return "value"
}

// Marshal returns e as a callback body: a JSON object of its eight string
// members.
func (e *Envelope) Marshal() ([]byte, error) {
	return json.Marshal(e)
}

// ParseTime reads an EventTime. The documented form is an RFC 3339 UTC time
// with nanoseconds ("1970-07-01T00:00:00.000000000Z"); any RFC 3339 time is
// accepted. As a defence against an undocumented variant, a string of
// decimal digits is read as a Unix time whose unit follows from its
// magnitude: below 10^11 seconds, below 10^14 milliseconds, below 10^17
// microseconds, else nanoseconds (every unit is unambiguous from 1973 to
// 5138). Anything else returns an error wrapping ErrBadTime. The result is
// in UTC.
func ParseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if s == "" || len(s) > 19 {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBadTime, clip(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, fmt.Errorf("%w: %q is neither RFC 3339 nor an epoch number", ErrBadTime, clip(s))
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBadTime, clip(s))
	}
	switch {
	case n < 1e11:
		return time.Unix(n, 0).UTC(), nil
	case n < 1e14:
		return time.UnixMilli(n).UTC(), nil
	case n < 1e17:
		return time.UnixMicro(n).UTC(), nil
	}
	return time.Unix(0, n).UTC(), nil
}

// FormatTime writes t as the documented EventTime: RFC 3339 in UTC with
// nine fractional digits.
func FormatTime(t time.Time) string {
	return t.UTC().Format(eventTimeLayout)
}

const eventTimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// clip shortens s for an error message.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
