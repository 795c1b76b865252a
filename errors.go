package volcim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/volcim/volcim-go/internal/transport"
)

// ErrResponseTooLarge is wrapped by the error of a call whose reply body was
// larger than WithMaxResponseBytes allows. Such a call is not retried.
var ErrResponseTooLarge = transport.ErrResponseTooLarge

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
	Action string // API action, e.g. "GetMessages"
	Field  string // offending request field, e.g. "MessageIDs"; empty for a nil request
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

// APIError is an error reply of the API: a non-2xx HTTP status, or an HTTP
// 200 whose ResponseMetadata carries an Error (the documented rule: success
// is status 200 and no Error). Reach it with errors.As.
//
// A reply that is not JSON at all (an HTML page from a proxy, say) is still an
// APIError: Code is empty and Message holds a short excerpt of the body.
type APIError struct {
	StatusCode int    // HTTP status of the last attempt
	RequestID  string // ResponseMetadata.RequestId, when the reply had one
	Action     string // API action called
	Code       string // e.g. "InvalidParam", "FlowLimitExceeded"; empty for a non-JSON reply
	CodeN      int64  // numeric code, when the reply had one
	Message    string // the server's message, or an excerpt of a non-JSON body
	Attempts   int    // attempts made, retries included
	// RetryAfter is the delay the server asked for (Retry-After), if any.
	RetryAfter time.Duration
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
