package volcimtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/volcim/volcim-go/internal/redact"
)

// Request is the record of one request the server received.
//
// Printing a Request with any fmt verb shows its headers with the values
// of the credential headers hidden: the session token (X-Security-Token),
// the signature of Authorization (its access key and scope stay), and any
// Token, Cookie or similar header. Header itself keeps what was received.
// fmt cannot call Format on a Request it reaches through an unexported
// struct field or prints with a bad verb such as %p: it then prints the
// headers as they are.
type Request struct {
	// Action is the query's Action ("" when absent).
	Action string
	// Version is the query's Version ("" when absent).
	Version string
	// Method is the HTTP method.
	Method string
	// Header is a copy of the request's headers.
	Header http.Header
	// Body is the request body as received.
	Body []byte
	// AccessKey is the access key id named by the Authorization header,
	// whether or not the signature was valid ("" when absent).
	AccessKey string
	// Time is when the request arrived (the real clock, with its monotonic
	// reading, never WithClock's).
	Time time.Time
	// Status is the HTTP status answered: the declared status for
	// FaultTruncate, 0 when no reply was sent (FaultDrop, or a client that
	// gave up during a slow fault or latency).
	Status int
	// Code is the error code answered ("" for a success), e.g.
	// "SignatureDoesNotMatch" or "FlowLimitExceeded".
	Code string
	// RequestID is the RequestId of the reply ("" when none was sent).
	RequestID string
	// Fault is the fault injected (Kind FaultNone if none).
	Fault Fault
	// Accepted reports that the request passed the signature check and the
	// rate limit and reached its action (whose answer may still be a
	// business error). Only accepted requests count toward the QPS limit.
	Accepted bool
}

// Format implements [fmt.Formatter]: it formats the request as fmt would,
// flags and verb included, with [Request.Header] replaced by a copy whose
// credentials are hidden (see [Request]).
func (r Request) Format(f fmt.State, verb rune) {
	// A local type named Request has Request's fields but not its methods,
	// so that fmt formats it field by field, without calling this Format
	// again, and %#v still names it volcimtest.Request.
	type Request plainRequest
	c := Request(r)
	c.Header = redact.Header(r.Header)
	fmt.Fprintf(f, fmt.FormatString(f, verb), c)
}

// plainRequest is Request without its methods.
type plainRequest Request

// DefaultRequestLog is how many requests the server keeps by default: the
// most recent ones. See WithRequestLog.
const DefaultRequestLog = 100_000

// requestLog is a ring of the most recent records.
type requestLog struct {
	max  int
	recs []Request // ring once len(recs) == max
	next int       // where the next record goes once full
}

func (l *requestLog) add(r Request) {
	if l.max <= 0 {
		return
	}
	if len(l.recs) < l.max {
		l.recs = append(l.recs, r)
		return
	}
	l.recs[l.next] = r
	l.next = (l.next + 1) % l.max
}

func (l *requestLog) all() []Request {
	out := make([]Request, 0, len(l.recs))
	out = append(out, l.recs[l.next:]...)
	out = append(out, l.recs[:l.next]...)
	return out
}

// Requests returns the records of the requests received since the server
// started or ResetRequests was called, in order of arrival, each once its
// reply is complete (a request still being served is not listed yet). Only
// the most recent DefaultRequestLog requests are kept unless WithRequestLog
// says otherwise. The slice and its records are the caller's.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	recs := s.log.all()
	s.mu.Unlock()
	slices.SortStableFunc(recs, func(a, b Request) int { return a.Time.Compare(b.Time) })
	return recs
}

// ResetRequests forgets every request recorded so far. It does not reset
// the QPS window.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.recs, s.log.next = nil, 0
}

// MaxInWindow returns the largest number of accepted requests of action
// (any action when action is "") whose arrival times fall in one window of
// the given length, over every window [t, t+window) positioned anywhere:
// the peak rate a client imposed on the server. MaxInWindow("GetMessages",
// time.Second) <= 100 means the client kept under the API's limit. It
// counts the recorded requests only (see Requests); a window that is not
// positive counts nothing.
func (s *Server) MaxInWindow(action string, window time.Duration) int {
	if window <= 0 {
		return 0
	}
	s.mu.Lock()
	var times []time.Time
	for _, r := range s.log.recs {
		if r.Accepted && (action == "" || r.Action == action) {
			times = append(times, r.Time)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	best, lo := 0, 0
	for hi := range times {
		for times[hi].Sub(times[lo]) >= window {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// accessKeyOf extracts the access key id of an Authorization header
// ("HMAC-SHA256 Credential=<AK>/..."), or "".
func accessKeyOf(h http.Header) string {
	authz := h.Get("Authorization")
	_, rest, ok := strings.Cut(authz, "Credential=")
	if !ok {
		return ""
	}
	ak, _, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	return ak
}
