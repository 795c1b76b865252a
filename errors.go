package volcim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/volcim/volcim-go/internal/transport"
)

// ErrResponseTooLarge is wrapped by the error (a *TransportError) of a call
// whose reply body was larger than WithMaxResponseBytes allows, whether its
// Content-Length said so (then nothing is read) or its body grew past the
// cap. Such a call is not retried.
var ErrResponseTooLarge = transport.ErrResponseTooLarge

// ErrAttemptTimeout is wrapped by the error (a *TransportError) of a call
// whose last attempt was ended by its own timeout (WithAttemptTimeout,
// WithCallAttemptTimeout, or the Timeout of WithHTTPClient's client). It is
// not context.DeadlineExceeded: that one means the caller's context ran out.
var ErrAttemptTimeout = transport.ErrAttemptTimeout

// ErrOutcomeUnknown is wrapped by the error of a call that may or may not
// have been carried out: a write with no idempotency key (BatchSendMessage,
// UserBroadcast) whose request may have reached the server when the
// connection broke, timed out or was cancelled, or that got a server error
// (5xx) or an unreadable success. The SDK does not retry such a call, since
// a retry could deliver twice: the caller decides (for example by reading
// the conversation first).
var ErrOutcomeUnknown = errors.New("volcim: outcome unknown: the server may have carried out the request")

// Error codes the API answers with (APIError.Code). The gateway's codes come
// with the HTTP status noted; the IM business codes' statuses are not
// documented. The list is not exhaustive: compare with these constants, and
// expect others.
const (
	// Gateway codes.
	CodeMissingParameter           = "MissingParameter"           // 400
	CodeMissingAuthenticationToken = "MissingAuthenticationToken" // 401
	CodeMissingSignature           = "MissingSignature"           // 401
	CodeInvalidTimestamp           = "InvalidTimestamp"           // 400
	CodeInvalidActionOrVersion     = "InvalidActionOrVersion"     // 404
	CodeInvalidAccessKey           = "InvalidAccessKey"           // 401
	CodeSignatureDoesNotMatch      = "SignatureDoesNotMatch"      // 401
	CodeAccessDenied               = "AccessDenied"               // 403
	CodeInternalError              = "InternalError"              // 500
	CodeInternalServiceError       = "InternalServiceError"       // 502
	CodeInternalServiceTimeout     = "InternalServiceTimeout"     // 504
	CodeMethodNotAllowed           = "MethodNotAllowed"           // 405
	CodeFlowLimitExceeded          = "FlowLimitExceeded"          // 429, retried
	CodeAccountFlowLimitExceeded   = "AccountFlowLimitExceeded"   // 429, retried
	CodeServiceUnavailableTemp     = "ServiceUnavailableTemp"     // 503, retried

	// IM business codes.
	CodeJSONParsingError                   = "JsonParsingError"
	CodeInvalidParam                       = "InvalidParam"
	CodeConversationNotFound               = "ConversationNotFound"
	CodeMessageNotFound                    = "MessageNotFound"
	CodeAppNotFound                        = "AppNotFound"
	CodeNoAuth                             = "NoAuth"
	CodeAppStatusException                 = "AppStatusException"
	CodeParticipantNotInConversation       = "ParticipantNotInConversation"
	CodeParticipantNotFound                = "ParticipantNotFound"
	CodeSettingNotFound                    = "SettingNotFound"
	CodeLiveConversationNotSupport         = "LiveConversationNotSupport"
	CodeOnlyLiveConversationSupport        = "OnlyLiveConversationSupport"
	CodeConversationShortIDsHasInvalidElem = "ConversationShortIdsHasInvalidElem"
)

// ErrMalformedReply is wrapped by every error about a reply that is not what
// the API documents: a body that is not JSON, a 2xx reply without the API's
// envelope (no ResponseMetadata object, or no Result for an action that
// documents one), or a value the client cannot follow, such as a negative
// cursor that says more pages follow. Such a reply is the server's (or a
// proxy's) fault, never the caller's: compare with ErrInvalidRequest.
var ErrMalformedReply = errors.New("volcim: malformed reply")

// ErrInvalidRequest is wrapped by every error about bad input that the client
// reports before sending anything (a nil request, a zero AppID, an empty id
// list, a Limit outside 1 to 20 ...). Test for it with errors.Is; errors.As
// with *InvalidRequestError tells which field.
var ErrInvalidRequest = errors.New("volcim: invalid request")

// InvalidRequestError reports a request rejected before any network call.
type InvalidRequestError struct {
	// Action is the API action the request was for, e.g. "GetMessages".
	Action string
	// Field is the offending request field (its Go name, with an index
	// for a list element: "MessageIDs"); empty for a nil request, a nil
	// context or an unusable client.
	Field string
	// Reason says what is wrong, e.g. "must be positive, got 0".
	Reason string
}

// Error implements error.
func (e *InvalidRequestError) Error() string {
	if e.Field == "" {
		return "volcim: invalid request: " + e.Action + ": " + e.Reason
	}
	return "volcim: invalid request: " + e.Action + ": " + e.Field + " " + e.Reason
}

// Is makes errors.Is(err, ErrInvalidRequest) true.
func (e *InvalidRequestError) Is(target error) bool { return target == ErrInvalidRequest }

func invalid(action, field, format string, args ...any) error {
	return &InvalidRequestError{Action: action, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// APIError is a reply of the API that is not a success: a non-2xx HTTP
// status, an HTTP 200 whose ResponseMetadata carries an Error (the documented
// rule: success is status 200 and no Error), or a reply that is not the API's
// envelope at all. Reach it with errors.As.
//
// A malformed reply (Malformed true: not JSON, such as a proxy's HTML page
// whatever its status; or a 2xx reply without a ResponseMetadata object, or
// without the Result its action documents) has an empty Code, a short
// excerpt or description in Message, the cause in Err, and wraps
// ErrMalformedReply. It is never an empty success.
type APIError struct {
	// StatusCode is the HTTP status of the last attempt.
	StatusCode int
	// RequestID is ResponseMetadata.RequestId, when the reply had one:
	// quote it to Volcengine's support.
	RequestID string
	// Action is the API action called, e.g. "SendMessage".
	Action string
	// Code is the server's error code (compare with the Code constants,
	// e.g. CodeInvalidParam); empty for a malformed reply.
	Code string
	// CodeN is the numeric code, when the reply had one.
	CodeN int64
	// Message is the server's message, or what is wrong with a malformed
	// reply (with an excerpt of its body).
	Message string
	// Attempts is the number of attempts made, retries included.
	Attempts int
	// RetryAfter is the delay the server asked for (Retry-After), if any.
	RetryAfter time.Duration
	// Malformed reports a reply that is not the API's envelope; errors.Is
	// with ErrMalformedReply says the same.
	Malformed bool
	// OutcomeUnknown reports, for a write with no idempotency key
	// (BatchSendMessage, UserBroadcast), a reply that does not prove the
	// server did not act: a 5xx, or a 2xx that cannot be read. errors.Is
	// with ErrOutcomeUnknown says the same.
	OutcomeUnknown bool
	// Err is why a malformed reply could not be used (a *json.SyntaxError,
	// say); nil otherwise. Unwrap returns it.
	Err error
}

// Error implements error. It never contains credentials.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("volcim: ")
	b.WriteString(e.Action)
	b.WriteString(": HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Malformed {
		b.WriteString(" malformed reply")
	}
	if e.CodeN != 0 {
		b.WriteString(" (")
		b.WriteString(strconv.FormatInt(e.CodeN, 10))
		b.WriteString(")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" [request ")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	if e.Attempts > 1 {
		b.WriteString(" after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts")
	}
	return b.String()
}

// Unwrap returns Err, the cause of a malformed reply (nil otherwise).
func (e *APIError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrMalformedReply) true for a malformed reply and
// errors.Is(err, ErrOutcomeUnknown) true when OutcomeUnknown is set.
func (e *APIError) Is(target error) bool {
	return target == ErrMalformedReply && e.Malformed || target == ErrOutcomeUnknown && e.OutcomeUnknown
}

// Throttled reports whether the server refused the call for exceeding a rate
// limit (HTTP 429, or a FlowLimitExceeded / AccountFlowLimitExceeded code).
func (e *APIError) Throttled() bool {
	return e.StatusCode == 429 || isThrottlingCode(e.Code)
}

// Temporary reports whether the error is one the client retries: throttling
// or HTTP 500, 502, 503 and 504. When an APIError with Temporary true reaches
// the caller, the retry policy's attempts ran out.
func (e *APIError) Temporary() bool {
	return e.Throttled() || retryableStatus(e.StatusCode)
}

// isThrottlingCode reports whether code is one of the gateway's throttling
// codes: FlowLimitExceeded, its dotted variants such as
// FlowLimitExceeded.QPSOverLimit, and AccountFlowLimitExceeded.
func isThrottlingCode(code string) bool {
	return strings.HasPrefix(code, CodeFlowLimitExceeded) || strings.HasPrefix(code, CodeAccountFlowLimitExceeded)
}

func retryableStatus(status int) bool {
	switch status {
	case 429, 500, 502, 503, 504:
		return true
	}
	return false
}

// TransportError is a call that ended without a reply of the API to decode:
// a connection that failed or broke, an attempt that timed out
// (ErrAttemptTimeout), a reply over the size cap (ErrResponseTooLarge), or
// the caller's context ending (context.Canceled, context.DeadlineExceeded).
// Reach it with errors.As; errors.Is sees Err and Last.
type TransportError struct {
	// Action is the API action called.
	Action string
	// Attempts is the number of attempts made (0 when the context had
	// ended before the first).
	Attempts int
	// Err is why the call ended: the last attempt's failure, or the
	// caller's context error when the context ended the call.
	Err error
	// Last is the failure of the last attempt that the context did not
	// cause ("connection refused", "HTTP 503 Service Unavailable"), kept
	// when the caller's context then ended the call; nil otherwise.
	Last error
	// OutcomeUnknown reports, for a write with no idempotency key
	// (BatchSendMessage, UserBroadcast), that the request may have reached
	// the server: errors.Is with ErrOutcomeUnknown says the same.
	OutcomeUnknown bool
}

// Error implements error. It never contains credentials.
func (e *TransportError) Error() string {
	var b strings.Builder
	b.WriteString("volcim: ")
	b.WriteString(e.Action)
	if e.Attempts > 1 {
		b.WriteString(" failed after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts: ")
	} else {
		b.WriteString(" failed: ")
	}
	b.WriteString(e.Err.Error())
	if e.Last != nil {
		b.WriteString(" (last attempt: ")
		b.WriteString(e.Last.Error())
		b.WriteString(")")
	}
	if e.OutcomeUnknown {
		b.WriteString("; the outcome is unknown: the server may have carried it out")
	}
	return b.String()
}

// Unwrap returns Err and, when set, Last.
func (e *TransportError) Unwrap() []error {
	if e.Last != nil {
		return []error{e.Err, e.Last}
	}
	return []error{e.Err}
}

// Is makes errors.Is(err, ErrOutcomeUnknown) true when OutcomeUnknown is set.
func (e *TransportError) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.OutcomeUnknown
}

// Timeout reports whether the call ended because an attempt timed out or
// the caller's deadline passed.
func (e *TransportError) Timeout() bool {
	return errors.Is(e.Err, ErrAttemptTimeout) || errors.Is(e.Err, context.DeadlineExceeded)
}

// ErrPartialFailure is wrapped by the error of a batch write that the server
// carried out for some items and not for others (the reply lists the failed
// user ids, with a code each when the API gives one). Such a call returns
// both its response and an error: a *PartialFailureError listing the failed
// items, which wraps ErrPartialFailure. The items not listed succeeded.
//
//	resp, err := client.BatchAddConversationParticipant(ctx, req)
//	var pf *volcim.PartialFailureError
//	switch {
//	case errors.As(err, &pf):
//		for _, f := range pf.Failed { ... } // resp is set too
//	case err != nil:
//		return err // nothing was done, or the outcome is unknown
//	}
var ErrPartialFailure = errors.New("volcim: partial failure")

// FailedItem is one item a batch write did not carry out.
type FailedItem struct {
	// UserID is the user the item is about.
	UserID int64
	// UserIDStr is that user's id for apps whose user ids are strings
	// (set instead of UserID, or too).
	UserIDStr string
	// Code is the server's error code for this item, when the API gives
	// one (FailedInfos); empty when it lists only ids.
	Code string
	// Message is the server's explanation for this item, when it gives
	// one.
	Message string
}

// String describes the item, e.g. "10001 (UserNotFound: no such user)".
func (f FailedItem) String() string {
	var b strings.Builder
	if f.UserIDStr != "" {
		b.WriteString(strconv.Quote(f.UserIDStr))
	} else {
		b.WriteString(strconv.FormatInt(f.UserID, 10))
	}
	if f.Code != "" || f.Message != "" {
		b.WriteString(" (")
		b.WriteString(f.Code)
		if f.Code != "" && f.Message != "" {
			b.WriteString(": ")
		}
		b.WriteString(f.Message)
		b.WriteString(")")
	}
	return b.String()
}

// PartialFailureError reports the items of a batch write that failed while
// the others succeeded. It wraps ErrPartialFailure; the call's response is
// returned with it.
type PartialFailureError struct {
	// Action is the API action called.
	Action string
	// RequestID is the reply's RequestId.
	RequestID string
	// Failed lists the items that failed, in the reply's order.
	Failed []FailedItem
}

// Error implements error: the action and the failed items (at most 10 are
// listed).
func (e *PartialFailureError) Error() string {
	var b strings.Builder
	b.WriteString("volcim: ")
	b.WriteString(e.Action)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(len(e.Failed)))
	b.WriteString(" item(s) failed: ")
	for i, f := range e.Failed {
		if i == 10 {
			b.WriteString(", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.String())
	}
	if e.RequestID != "" {
		b.WriteString(" [request ")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	return b.String()
}

// Unwrap returns ErrPartialFailure.
func (e *PartialFailureError) Unwrap() error { return ErrPartialFailure }

// partialFailure returns the error of a batch write whose reply lists failed
// items, or nil when it lists none.
func partialFailure(a *apiAction, meta ResponseMetadata, failed []FailedItem) error {
	if len(failed) == 0 {
		return nil
	}
	return &PartialFailureError{Action: a.name, RequestID: meta.RequestID, Failed: failed}
}

// failedIDs turns a reply's lists of failed user ids (numeric and string)
// into failed items.
func failedIDs(ids []int64, strs []string) []FailedItem {
	if len(ids) == 0 && len(strs) == 0 {
		return nil
	}
	out := make([]FailedItem, 0, len(ids)+len(strs))
	for _, id := range ids {
		out = append(out, FailedItem{UserID: id})
	}
	for _, s := range strs {
		out = append(out, FailedItem{UserIDStr: s})
	}
	return out
}

// wireFailedInfo is one entry of a reply's FailedInfos.
type wireFailedInfo struct {
	UserID    int64  `json:"UserId"`
	UserIDStr string `json:"UserIdStr,omitempty"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
}

// failedInfos turns a reply's FailedInfos into failed items.
func failedInfos(infos []wireFailedInfo) []FailedItem {
	if len(infos) == 0 {
		return nil
	}
	out := make([]FailedItem, len(infos))
	for i, f := range infos {
		out[i] = FailedItem(f)
	}
	return out
}
