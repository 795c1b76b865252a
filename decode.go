package volcim

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/volcim/volcim-go/internal/transport"
)

// This file is the decode layer of the request path: the request body's
// encoding, the reply envelope's rules, and the errors made of replies.

// encodeBody encodes a wire request. Every action builds its body the same
// way: a typed wire struct whose JSON names and optional fields
// (omitempty) match the official SDK's models, so both send equal bodies.
func encodeBody(body any) ([]byte, error) {
	return json.Marshal(body)
}

// envelope is the API's reply: metadata and a typed result, decoded in one
// pass. Both are pointers so that an absent or null member is told apart
// from an empty one.
type envelope[R any] struct {
	ResponseMetadata *wireMetadata `json:"ResponseMetadata"`
	Result           *R            `json:"Result"`
}

type wireMetadata struct {
	RequestID string     `json:"RequestId"`
	Action    string     `json:"Action"`
	Version   string     `json:"Version"`
	Service   string     `json:"Service"`
	Region    string     `json:"Region"`
	Error     *wireError `json:"Error"`
}

type wireError struct {
	Code    string `json:"Code"`
	CodeN   int64  `json:"CodeN"`
	Message string `json:"Message"`
}

func (e *wireError) empty() bool {
	return e == nil || e.Code == "" && e.CodeN == 0 && e.Message == ""
}

// noResult is the Result of the actions that document none: whatever the
// reply holds there (nothing, null, {}) is accepted and ignored.
type noResult struct{}

// UnmarshalJSON accepts any JSON value.
func (*noResult) UnmarshalJSON([]byte) error { return nil }

// decodeReply applies the envelope's rules to a reply and decodes its
// Result:
//
//   - a body that is not JSON is an *APIError (Malformed, with an excerpt),
//     whatever its status;
//   - a non-2xx status, or a ResponseMetadata that carries an Error, is an
//     *APIError with the server's code and message (the documented success
//     rule is status 200 and no Error);
//   - a 2xx reply without a ResponseMetadata object, or without a Result for
//     an action that documents one, is an *APIError (Malformed): never an
//     empty success.
//
// Every malformed reply wraps ErrMalformedReply. For an action with no
// idempotency key, a malformed 2xx or a 5xx reply also wraps
// ErrOutcomeUnknown: the server may have acted.
//
// The hot read actions' Result types are read without encoding/json
// (decode_hot.go), with the same values and errors.
func decodeReply[R any](a *apiAction, resp *transport.Response) (*R, ResponseMetadata, error) {
	return decodeReplyWith[R](a, resp, true)
}

// decodeReplyWith is decodeReply; hot false decodes with encoding/json
// alone (tests compare the two).
func decodeReplyWith[R any](a *apiAction, resp *transport.Response, hot bool) (*R, ResponseMetadata, error) {
	var env envelope[R]
	var decodeErr error
	if hot {
		decodeErr = unmarshalEnvelope(resp.Body, &env)
	} else {
		decodeErr = unmarshalJSON(resp.Body, &env)
	}
	meta := env.ResponseMetadata
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode < 300
	if meta != nil && !meta.Error.empty() || !ok2xx && decodeErr == nil {
		// An error reply: what it says wins over anything odd in its
		// Result.
		return nil, ResponseMetadata{}, newAPIError(a, resp, meta, nil, "")
	}
	var reason string
	switch {
	case decodeErr != nil:
		reason = "not the API's JSON"
		if len(bytes.TrimSpace(resp.Body)) == 0 {
			reason = "an empty body"
		} else if ex := transport.Excerpt(resp.Body); ex != "" {
			reason = ex
		}
	case meta == nil:
		reason = "the reply has no ResponseMetadata object (body starts " + quoteExcerpt(resp.Body) + ")"
	case a.result && env.Result == nil:
		reason = "the reply has no Result (body starts " + quoteExcerpt(resp.Body) + ")"
	}
	if reason != "" {
		if decodeErr == nil {
			decodeErr = errMissingMember
		}
		return nil, ResponseMetadata{}, newAPIError(a, resp, meta, decodeErr, reason)
	}
	res := env.Result
	if res == nil {
		res = new(R)
	}
	return res, ResponseMetadata{
		RequestID: meta.RequestID,
		Action:    meta.Action,
		Version:   meta.Version,
		Service:   meta.Service,
		Region:    meta.Region,
	}, nil
}

// errMissingMember is the cause of a malformed reply that is valid JSON but
// lacks a member of the envelope.
var errMissingMember = errors.New("the reply lacks a member of the API's envelope")

func quoteExcerpt(body []byte) string {
	b, _ := json.Marshal(transport.Excerpt(body))
	return string(b)
}

// newAPIError builds the error of a reply. cause is set for a malformed
// reply (reason then says what is wrong with it).
func newAPIError(a *apiAction, resp *transport.Response, meta *wireMetadata, cause error, reason string) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Action:     a.name,
		Attempts:   resp.Attempts,
		Err:        cause,
		Malformed:  cause != nil,
	}
	if d, ok := transport.RetryAfter(&http.Response{Header: resp.Header}, time.Now()); ok {
		e.RetryAfter = d
	}
	if meta != nil {
		e.RequestID = meta.RequestID
	}
	switch {
	case cause != nil:
		e.Message = reason
	case meta == nil || meta.Error.empty():
		e.Message = http.StatusText(resp.StatusCode)
	default:
		e.Code = meta.Error.Code
		e.CodeN = meta.Error.CodeN
		e.Message = meta.Error.Message
	}
	// A write with no idempotency key may have been carried out when the
	// reply cannot say otherwise: a server error, or a success that cannot
	// be read.
	e.OutcomeUnknown = a.retry == retryUnsafe && !e.Throttled() &&
		(resp.StatusCode >= 500 || e.Malformed && resp.StatusCode < 400)
	return e
}

// throttledBody reports whether a reply carries a throttling code in its
// ResponseMetadata.Error, whatever its status. It decodes only when the body
// can hold such a code.
func throttledBody(_ int, body []byte) bool {
	if !bytes.Contains(body, []byte("FlowLimitExceeded")) {
		return false
	}
	var env struct {
		ResponseMetadata struct {
			Error *wireError `json:"Error"`
		} `json:"ResponseMetadata"`
	}
	if json.Unmarshal(body, &env) != nil || env.ResponseMetadata.Error == nil {
		return false
	}
	return isThrottlingCode(env.ResponseMetadata.Error.Code)
}

// transportError turns the request path's error into the SDK's.
func transportError(err error) error {
	var te *transport.Error
	if !errors.As(err, &te) {
		return err
	}
	return &TransportError{
		Action:         te.Action,
		Attempts:       te.Attempts,
		Err:            te.Err,
		Last:           te.Last,
		OutcomeUnknown: te.OutcomeUnknown,
	}
}
