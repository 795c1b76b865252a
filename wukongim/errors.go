package wukongim

import (
	"net/http"
	"strconv"
	"strings"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/internal/transport"
)

// ErrInvalidRequest is volcim.ErrInvalidRequest, the one sentinel of the
// SDK for bad input: every request this package rejects before sending
// anything (a nil request, an empty id list, an id <= 0) returns an error
// that wraps it. errors.As with *volcim.InvalidRequestError tells which
// field.
var ErrInvalidRequest = volcim.ErrInvalidRequest

// ErrResponseTooLarge is wrapped by the error of a search in which the
// reply for a single id exceeded WithMaxResponseBytes. (A larger chunk whose
// reply is too large is split and asked again, not reported.)
var ErrResponseTooLarge = transport.ErrResponseTooLarge

func invalid(field, reason string) error {
	return &volcim.InvalidRequestError{Action: ActionSearchMessages, Field: field, Reason: reason}
}

// APIError is a reply of the server that the client cannot use: a status
// other than 2xx (after retries, for the statuses that are retried), or a
// 2xx reply that is not the JSON the endpoint answers. Reach it with
// errors.As.
//
// WuKongIM reports errors as {"msg": ..., "status": ...}; Msg and Status
// hold those. A body that is not JSON (a proxy's HTML page, a router's "404
// page not found") leaves Status zero and puts a short excerpt in Msg. A 401
// with an empty body is what a server with a managerToken answers to a
// request without the right token (see WithToken).
type APIError struct {
	Action     string // e.g. ActionSearchMessages
	StatusCode int    // HTTP status of the last attempt
	Status     int    // "status" of the reply body, when it had one
	Msg        string // "msg" of the reply body, or an excerpt of a non-JSON body
	Attempts   int    // attempts made, retries included
	// Err is why a 2xx reply could not be decoded (bad JSON, a malformed
	// message id); nil for an error status. Unwrap returns it.
	Err error

	hint string
}

// Error implements error. It never contains the token.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Action)
	b.WriteString(": HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Err != nil {
		b.WriteString(": unusable reply: ")
		b.WriteString(e.Err.Error())
		if e.Msg != "" {
			b.WriteString(" (body starts ")
			b.WriteString(strconv.Quote(e.Msg))
			b.WriteString(")")
		}
	} else {
		b.WriteString(": ")
		if e.Msg != "" {
			b.WriteString(e.Msg)
		} else {
			b.WriteString(http.StatusText(e.StatusCode))
		}
	}
	if e.hint != "" {
		b.WriteString(" (")
		b.WriteString(e.hint)
		b.WriteString(")")
	}
	if e.Attempts > 1 {
		b.WriteString(" after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts")
	}
	return b.String()
}

// Unwrap returns Err.
func (e *APIError) Unwrap() error { return e.Err }

// Temporary reports whether the status is one the client retries (429, 500,
// 502, 503, 504): when such an error reaches the caller, the retry policy's
// attempts ran out.
func (e *APIError) Temporary() bool {
	switch e.StatusCode {
	case 429, 500, 502, 503, 504:
		return true
	}
	return false
}
