// Package transport is the request path that every client of this module
// shares: retry (go-retryablehttp), then rate limit, then a per-attempt
// preparation step (signing, auth headers), then the HTTP transport, with the
// reply read once through a size cap.
//
// Each layer lives in one place. A product client (the Volcengine IM client,
// the WuKongIM client) supplies only what differs: how an attempt is prepared
// and which 2xx replies still mean "throttled, try again".
package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Limiter grants permission to send one attempt of an action, and hears
// about the replies that say the server's budget was exceeded.
type Limiter interface {
	// Wait blocks until an attempt of action that weighs weight units (1
	// for most calls) may be sent, or ctx is done.
	Wait(ctx context.Context, action string, weight int) error
	// Throttled reports a reply that refused an attempt of action for
	// exceeding a rate limit; retryAfter is the server's Retry-After capped
	// at the call's MaxBackoff (as the call's own retry honours it), 0 when
	// the reply had none.
	Throttled(action string, retryAfter time.Duration)
}

// RetryPolicy bounds retries: MaxAttempts attempts in all, with an
// exponential backoff with full jitter between MinBackoff and MaxBackoff.
type RetryPolicy struct {
	// MaxAttempts is the most attempts of a call, the first included; 0
	// means DefaultMaxAttempts, negative is refused by Normalize.
	MaxAttempts int
	// MinBackoff is the shortest wait before a retry; 0 means
	// DefaultMinBackoff, negative is refused by Normalize.
	MinBackoff time.Duration
	// MaxBackoff is the longest wait before a retry, a Retry-After
	// included; 0 means DefaultMaxBackoff. It must not be negative nor
	// below MinBackoff.
	MaxBackoff time.Duration
}

// Defaults for a zero RetryPolicy field.
const (
	DefaultMaxAttempts      = 3
	DefaultMinBackoff       = 100 * time.Millisecond
	DefaultMaxBackoff       = 3 * time.Second
	DefaultMaxResponseBytes = 32 << 20
)

// Normalize fills zero fields with defaults and checks the rest.
func (p RetryPolicy) Normalize() (RetryPolicy, error) {
	if p.MaxAttempts < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 {
		return p, errors.New("retry policy: negative value")
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.MinBackoff == 0 {
		p.MinBackoff = DefaultMinBackoff
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	if p.MaxBackoff < p.MinBackoff {
		return p, fmt.Errorf("retry policy: MaxBackoff %s below MinBackoff %s", p.MaxBackoff, p.MinBackoff)
	}
	return p, nil
}

// Config is what a product client decides once, at construction.
type Config struct {
	// Base, when set, sends every attempt. Otherwise HTTPClient's Transport
	// does, read when each attempt is sent (so that a test may swap it, as
	// httpmock.ActivateNonDefault does, after the client was built), and
	// without either http.DefaultTransport, also read at send time (so that
	// httpmock.Activate works in either order).
	Base http.RoundTripper
	// HTTPClient, when set and Base is not, supplies the RoundTripper of
	// every attempt and, when AttemptTimeout is zero, the attempt timeout
	// (its Timeout), both read at send time. Its redirect and cookie
	// settings are not used.
	HTTPClient *http.Client
	// Limiter, when set, is waited on before every attempt.
	Limiter Limiter
	// Logger receives debug records of attempts and retries; nil disables.
	Logger *slog.Logger
	// LogPrefix starts every log message, e.g. "volcim".
	LogPrefix string
	// MaxResponseBytes caps the reply body; 0 means DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// Retry is the default policy (already normalized).
	Retry RetryPolicy
	// AttemptTimeout bounds one attempt (after its limiter wait), reply body
	// included; 0 means HTTPClient's Timeout when it has one, else
	// DefaultAttemptTimeout.
	AttemptTimeout time.Duration
	// Prepare is called for every attempt, after the limiter granted it, with
	// the attempt's own copy of the request headers. It signs, or adds auth.
	Prepare func(req *http.Request, body []byte) error
	// Throttled reports whether a reply that the status alone does not mark
	// as retryable is a throttling error all the same (a code in the body).
	Throttled func(status int, body []byte) bool
	// Jitter returns a uniform value in [0, n); nil means math/rand/v2.
	Jitter func(n int64) int64
}

// Path is a configured request path. It is safe for concurrent use.
type Path struct {
	cfg Config
	// The backoff hook needs no per-call state: made once here rather
	// than as a closure on every call.
	backoff retryablehttp.Backoff
}

// New returns a request path for cfg.
func New(cfg Config) *Path {
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.Jitter == nil {
		cfg.Jitter = rand.Int64N
	}
	if cfg.Logger != nil && !cfg.Logger.Enabled(context.Background(), slog.LevelDebug) {
		// Nothing would be written: skip building records on the hot path.
		cfg.Logger = nil
	}
	p := &Path{cfg: cfg}
	p.backoff = p.wait
	return p
}

// RetryClass says which failed attempts of a call may be sent again.
type RetryClass int

const (
	// RetrySafe calls (reads, writes that converge on retry, writes with an
	// idempotency key) are retried after transport errors, attempt
	// timeouts, throttling and the retryable statuses (RetryableStatus).
	RetrySafe RetryClass = iota
	// RetryUnsafe calls (writes with no idempotency key) are retried only
	// when the server provably did not act: a throttling reply, or a
	// transport error before any byte of the request was written. Any other
	// failure ends the call; an Error then has OutcomeUnknown set when the
	// request may have reached the server.
	RetryUnsafe
)

// Call is one logical call: retried attempts share it.
type Call struct {
	// Action is the API action called: the limiter's key, and the name
	// errors and log records give.
	Action string
	// Method is the HTTP method ("GET", "POST").
	Method string
	// URL is the request URL, parsed on every call unless ParsedURL is
	// set.
	URL string
	// ParsedURL, when set, is used instead of URL and saves the parsing;
	// it must be what http.NewRequest makes of the URL (e.g. the URL field
	// of a request made once with it), and is copied, never modified.
	ParsedURL *url.URL
	// Header is copied into every attempt before Prepare runs. It is only
	// read, so one map may serve many calls at once.
	Header http.Header
	// Body is the request body, sent by every attempt and passed to
	// Prepare; nil sends none.
	Body []byte
	// Retry, when non-nil, overrides the path's policy (already normalized).
	Retry *RetryPolicy
	// AttemptTimeout, when positive, overrides the path's.
	AttemptTimeout time.Duration
	// Class is the call's retry class (RetrySafe by default).
	Class RetryClass
	// Weight is what every attempt weighs for the limiter; 0 means 1.
	Weight int
}

// Response is the final reply of a call. Body is complete (read through the
// size cap). Release returns Body's memory to a pool: call it once Body is
// no longer used (decoded values do not alias it).
type Response struct {
	// StatusCode is the HTTP status of the final reply.
	StatusCode int
	// Header is the final reply's headers.
	Header http.Header
	// Body is the final reply's body, complete (within the size cap); it
	// must not be used after Release.
	Body []byte
	// Attempts is how many attempts were sent, this one included.
	Attempts int
	// Throttled reports that the reply refused the call for exceeding a
	// rate limit (HTTP 429 or a throttling body, per Config.Throttled).
	Throttled bool

	buf *buffer
}

// Release recycles the body buffer. Body must not be used afterwards.
func (r *Response) Release() {
	if r.buf != nil {
		r.buf.release()
		r.buf = nil
		r.Body = nil
	}
}

// Error is a call that failed without a reply to decode: a transport error,
// an attempt timeout, a reply too large, the caller's context ending.
type Error struct {
	// Action is the call's Action.
	Action string
	// Attempts is how many attempts the call started, the last included
	// (0 when it ended before the first).
	Attempts int
	// Err is why the call ended: the last attempt's failure, or the
	// caller's context error when the context ended the call.
	Err error
	// Last is the failure of the last attempt that the caller's context
	// did not cause, kept when the context then ended the call (so that
	// "connection refused" is not lost behind "context deadline exceeded");
	// nil otherwise.
	Last error
	// OutcomeUnknown is set for a RetryUnsafe call whose last attempt may
	// have reached the server: the request was (at least partly) written
	// and no reply came back.
	OutcomeUnknown bool
}

// Error gives the action, the number of attempts when more than one, Err
// and, when set, Last.
func (e *Error) Error() string {
	var b strings.Builder
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
	return b.String()
}

// Unwrap returns Err and, when set, Last: errors.Is and errors.As see both.
func (e *Error) Unwrap() []error {
	if e.Last != nil {
		return []error{e.Err, e.Last}
	}
	return []error{e.Err}
}

// ErrResponseTooLarge is returned when a reply exceeds the size cap.
var ErrResponseTooLarge = errors.New("response body exceeds the size limit")

// ErrAttemptTimeout is wrapped by the error of an attempt that its own
// timeout (Config.AttemptTimeout) ended. It does not wrap
// context.DeadlineExceeded: that is the caller's context running out.
var ErrAttemptTimeout = errors.New("attempt timed out")

// attemptTimeoutError is an attempt ended by its own timeout.
type attemptTimeoutError struct{ d time.Duration }

func (e *attemptTimeoutError) Error() string {
	return "attempt timed out after " + e.d.String()
}
func (e *attemptTimeoutError) Unwrap() error { return ErrAttemptTimeout }

// Timeout reports true, as a net.Error would.
func (e *attemptTimeoutError) Timeout() bool { return true }

// statusError describes a retried reply, for Error.Last.
type statusError struct{ status int }

func (e *statusError) Error() string {
	return "HTTP " + strconv.Itoa(e.status) + " " + http.StatusText(e.status)
}

// call is the state of one call, shared by its attempts. The clients it
// runs through, its URL, its base request and its final response live in it
// so that the bookkeeping of a call is a single allocation.
type call struct {
	p        *Path
	c        Call
	policy   RetryPolicy
	timeout  time.Duration // the call's own; 0: resolved per attempt
	attempts int
	last     *buffer // body buffer of the latest attempt

	lastErr   error       // the latest attempt's failure not caused by the caller's ctx
	throttled bool        // the latest attempt's reply was a throttling one
	wrote     atomic.Bool // the latest attempt wrote (part of) its request (set by net/http's writer)
	trace     *httptrace.ClientTrace

	url  url.URL      // the request URL, when the call gave ParsedURL
	body bufferedBody // the latest attempt's reply body
	req  retryablehttp.Request
	hc   http.Client // sends each attempt through the call (RoundTrip)
	rc   retryablehttp.Client
	resp Response
}

// Do runs c through the path: every attempt waits for the limiter, is
// prepared afresh, and has its reply read through the size cap. A reply
// with a status (or throttling body) that is retryable is retried until the
// policy's attempts run out; then the last reply is returned, not an error.
// A cancelled ctx ends the call at once with an error wrapping ctx.Err().
func (p *Path) Do(ctx context.Context, c *Call) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, &Error{Action: c.Action, Err: err}
	}
	cl := &call{p: p, c: *c, policy: p.cfg.Retry, timeout: p.cfg.AttemptTimeout}
	if c.Retry != nil {
		cl.policy = *c.Retry
	}
	if c.AttemptTimeout > 0 {
		cl.timeout = c.AttemptTimeout
	}
	if cl.c.Weight <= 0 {
		cl.c.Weight = 1
	}
	if c.Class == RetryUnsafe {
		cl.trace = &httptrace.ClientTrace{WroteHeaders: cl.wroteHeaders}
	}
	req, err := cl.newRequest(ctx)
	if err != nil {
		return nil, &Error{Action: c.Action, Err: err}
	}
	cl.req.Request = req
	if err := cl.req.SetBody(c.Body); err != nil {
		return nil, &Error{Action: c.Action, Err: err}
	}
	cl.hc.Transport = cl
	cl.hc.CheckRedirect = refuseRedirect
	cl.rc = retryablehttp.Client{
		HTTPClient:   &cl.hc,
		RetryWaitMin: cl.policy.MinBackoff,
		RetryWaitMax: cl.policy.MaxBackoff,
		RetryMax:     cl.policy.MaxAttempts - 1,
		CheckRetry:   cl.checkRetry,
		Backoff:      p.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	if p.cfg.Logger != nil {
		cl.rc.Backoff = cl.loggedWait
	}
	resp, err := cl.rc.Do(&cl.req)
	if err != nil || resp == nil || cl.last == nil {
		cl.releaseLast()
		if err == nil {
			err = errors.New("no reply")
		}
		e := &Error{Action: c.Action, Attempts: cl.attempts, Err: unwrapURLError(err)}
		if ctxErr := ctx.Err(); ctxErr != nil {
			e.Err = ctxErr
			if cl.lastErr != nil && !errors.Is(cl.lastErr, ctxErr) {
				e.Last = cl.lastErr
			}
		}
		e.OutcomeUnknown = c.Class == RetryUnsafe && cl.wrote.Load()
		return nil, e
	}
	// The reply body was read into cl.last by the attempt; ownership moves
	// to the Response.
	cl.resp = Response{StatusCode: resp.StatusCode, Header: resp.Header, Attempts: cl.attempts, Throttled: cl.throttled, buf: cl.last, Body: cl.last.b}
	cl.last = nil
	return &cl.resp, nil
}

func (cl *call) wroteHeaders() { cl.wrote.Store(true) }

// refuseRedirect stops net/http from following redirects: Prepare would run
// again for the new location and hand it a fresh signature, a session token
// or an auth header. The APIs served here never redirect, so a 3xx reply is
// returned as it is, and the caller reports it.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// newRequest returns the call's base request, without a body: from
// ParsedURL as http.NewRequestWithContext would build it, or by parsing URL.
// Its Header is the call's, shared: every attempt works on its own copy.
func (cl *call) newRequest(ctx context.Context) (*http.Request, error) {
	c := &cl.c
	if c.ParsedURL == nil {
		req, err := http.NewRequestWithContext(ctx, c.Method, c.URL, nil)
		if err != nil {
			return nil, err
		}
		if c.Header != nil {
			req.Header = c.Header
		}
		return req, nil
	}
	if !validMethod(c.Method) {
		return nil, fmt.Errorf("net/http: invalid method %q", c.Method)
	}
	cl.url = *c.ParsedURL
	header := c.Header
	if header == nil {
		header = make(http.Header)
	}
	base := http.Request{
		Method:     c.Method,
		URL:        &cl.url,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     header,
		Host:       cl.url.Host,
	}
	return base.WithContext(ctx), nil
}

// validMethod is net/http's check of a method name: a non-empty token.
func validMethod(method string) bool {
	return len(method) > 0 && strings.IndexFunc(method, func(r rune) bool {
		return r > 0x7e || r <= ' ' || strings.ContainsRune(`()<>@,;:\"/[]?={}`, r)
	}) < 0
}

// unwrapURLError drops net/http's *url.Error layer (it only repeats the
// method and URL, which the caller knows) but keeps its cause.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// base is the RoundTripper of an attempt, resolved when it is sent.
func (p *Path) base() http.RoundTripper {
	switch {
	case p.cfg.Base != nil:
		return p.cfg.Base
	case p.cfg.HTTPClient != nil && p.cfg.HTTPClient.Transport != nil:
		return p.cfg.HTTPClient.Transport
	}
	return http.DefaultTransport
}

// attemptTimeout is the bound of an attempt, resolved when it is sent.
func (cl *call) attemptTimeout() time.Duration {
	if cl.timeout > 0 {
		return cl.timeout
	}
	if hc := cl.p.cfg.HTTPClient; hc != nil && hc.Timeout > 0 {
		return hc.Timeout
	}
	return DefaultAttemptTimeout
}

// RoundTrip sends one attempt: limiter, prepare, send, read the body.
func (cl *call) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	cl.attempts++
	cl.releaseLast()
	cl.throttled = false
	cl.wrote.Store(false)
	attempt := cl.attempts
	lg := cl.p.cfg.Logger
	var waited time.Duration // measured for the log only
	if l := cl.p.cfg.Limiter; l != nil {
		var start time.Time
		if lg != nil {
			start = time.Now()
		}
		if err := l.Wait(ctx, cl.c.Action, cl.c.Weight); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
				err = fmt.Errorf("%w (rate limiter: %v)", ctxErr, err)
			}
			return nil, &limiterError{err}
		}
		if lg != nil {
			waited = time.Since(start)
		}
	}
	// The attempt gets its own request and header map: the previous
	// attempt's request may still be referenced by the transport, and
	// signing mutates headers.
	timeout := cl.attemptTimeout()
	actx, cancel := context.WithTimeout(ctx, timeout)
	if cl.trace != nil {
		actx = httptrace.WithClientTrace(actx, cl.trace)
	}
	r := req.WithContext(actx)
	r.Header = attemptHeader(req.Header)
	if prep := cl.p.cfg.Prepare; prep != nil {
		if err := prep(r, cl.c.Body); err != nil {
			cancel()
			return nil, &permanentError{err}
		}
	}
	var start time.Time
	if lg != nil {
		start = time.Now()
	}
	resp, err := cl.p.base().RoundTrip(r)
	if err == nil {
		var buf *buffer
		buf, err = readCapped(resp.Body, cl.p.cfg.MaxResponseBytes, resp.ContentLength)
		resp.Body.Close()
		if err == nil {
			cl.last = buf
			// Attempts run one after another, and retryablehttp has
			// drained the previous reply before the next attempt.
			cl.body = bufferedBody{buf: buf}
			resp.Body = &cl.body
			resp.ContentLength = int64(len(buf.b))
		}
	}
	if err != nil && ctx.Err() == nil && actx.Err() != nil {
		err = &attemptTimeoutError{timeout}
	}
	cancel()
	if err == nil {
		cl.throttled = resp.StatusCode == http.StatusTooManyRequests ||
			cl.p.cfg.Throttled != nil && cl.p.cfg.Throttled(resp.StatusCode, cl.last.b)
		if cl.throttled {
			if l := cl.p.cfg.Limiter; l != nil {
				ra, _ := RetryAfter(resp, time.Now())
				l.Throttled(cl.c.Action, min(ra, cl.policy.MaxBackoff))
			}
		}
		if cl.throttled || RetryableStatus(resp.StatusCode) {
			cl.lastErr = &statusError{resp.StatusCode}
		}
	} else if ctx.Err() == nil {
		cl.lastErr = err
	}
	if lg != nil {
		status := 0
		if err == nil {
			status = resp.StatusCode
		}
		lg.LogAttrs(ctx, slog.LevelDebug, cl.p.cfg.LogPrefix+": attempt",
			slog.String("action", cl.c.Action),
			slog.Int("attempt", attempt),
			slog.Int("status", status),
			slog.Duration("limiter_wait", waited),
			slog.Duration("elapsed", time.Since(start)),
			slog.Any("error", err),
		)
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// attemptHeader returns a copy of h for one attempt, with room for the
// headers that Prepare adds (signing adds up to five). The value slices are
// shared, capped so that appending to one copies it: Prepare replaces
// values, and nothing else writes to them.
func attemptHeader(h http.Header) http.Header {
	out := make(http.Header, len(h)+5)
	for k, v := range h {
		out[k] = v[:len(v):len(v)]
	}
	return out
}

func (cl *call) releaseLast() {
	if cl.last != nil {
		cl.last.release()
		cl.last = nil
	}
}

// limiterError marks a failure of the limiter: never retried.
type limiterError struct{ err error }

func (e *limiterError) Error() string { return e.err.Error() }
func (e *limiterError) Unwrap() error { return e.err }

// permanentError marks a failure that a retry cannot mend.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// checkRetry decides whether an attempt is retried. The error it returns
// is the one reported when it says no; nil keeps the attempt's own error.
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		if !retryableError(err) {
			return false, nil
		}
		// A request with no idempotency key may be sent again only if
		// none of it was written: the server cannot have acted.
		return cl.c.Class == RetrySafe || !cl.wrote.Load(), nil
	}
	if cl.throttled {
		return true, nil // for every class: the server did not act
	}
	return cl.c.Class == RetrySafe && RetryableStatus(resp.StatusCode), nil
}

// RetryableStatus reports whether an HTTP status is retried: 429, 500, 502,
// 503 and 504.
func RetryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableError reports whether a failed attempt may succeed when sent
// again. Failures of the limiter or of Prepare, a reply over the size cap,
// certificate errors and a server that does not speak TLS on an https
// endpoint are permanent: a retry would fail the same way (and take another
// limiter token for nothing).
func retryableError(err error) bool {
	var le *limiterError
	var pe *permanentError
	var unknownAuthority x509.UnknownAuthorityError
	var invalidCert x509.CertificateInvalidError
	var hostname x509.HostnameError
	var record tls.RecordHeaderError
	switch {
	case errors.As(err, &le), errors.As(err, &pe), errors.Is(err, ErrResponseTooLarge),
		errors.As(err, &unknownAuthority), errors.As(err, &invalidCert), errors.As(err, &hostname),
		errors.Is(err, http.ErrSchemeMismatch), errors.As(err, &record):
		return false
	}
	return true
}

// wait is the backoff before a retry: exponential with full jitter between
// the call's MinBackoff and MaxBackoff (retryablehttp passes them as min and
// max); a Retry-After on the reply wins, capped at MaxBackoff too.
func (p *Path) wait(min, max time.Duration, attemptNum int, resp *http.Response) time.Duration {
	return Backoff(RetryPolicy{MinBackoff: min, MaxBackoff: max}, attemptNum, resp, p.cfg.Jitter)
}

// loggedWait is wait, logged: the backoff hook when the path has a logger.
func (cl *call) loggedWait(min, max time.Duration, attemptNum int, resp *http.Response) time.Duration {
	wait := cl.p.wait(min, max, attemptNum, resp)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	cl.p.cfg.Logger.LogAttrs(context.Background(), slog.LevelDebug, cl.p.cfg.LogPrefix+": retrying",
		slog.String("action", cl.c.Action),
		slog.Int("attempt", cl.attempts),
		slog.Int("status", status),
		slog.Duration("wait", wait),
	)
	return wait
}

// Backoff returns the wait before retry number attemptNum+1 (attemptNum
// counts from 0): a Retry-After on resp (seconds or an HTTP date) capped at
// MaxBackoff, else a uniform value in [MinBackoff, min(MaxBackoff,
// MinBackoff·2^attemptNum)].
func Backoff(p RetryPolicy, attemptNum int, resp *http.Response, jitter func(int64) int64) time.Duration {
	if d, ok := RetryAfter(resp, time.Now()); ok {
		return min(d, p.MaxBackoff)
	}
	ceil := p.MaxBackoff
	if attemptNum < 32 {
		if c := p.MinBackoff << attemptNum; c > 0 && c < ceil {
			ceil = c
		}
	}
	span := int64(ceil - p.MinBackoff)
	if span <= 0 {
		return p.MinBackoff
	}
	return p.MinBackoff + time.Duration(jitter(span+1))
}

// RetryAfter parses a reply's Retry-After header.
func RetryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > int64(24*time.Hour/time.Second) {
			s = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// buffer is a pooled reply body.
type buffer struct{ b []byte }

var bufferPool = sync.Pool{New: func() any { return &buffer{b: make([]byte, 0, 16<<10)} }}

// maxPooled keeps unusually large buffers out of the pool.
const maxPooled = 1 << 20

func (b *buffer) release() {
	if cap(b.b) > maxPooled {
		return
	}
	b.b = b.b[:0]
	bufferPool.Put(b)
}

// readCapped reads r to the end into a pooled buffer, failing with
// ErrResponseTooLarge beyond limit bytes, or at once when sizeHint (the
// declared Content-Length, -1 when unknown) is beyond it.
func readCapped(r io.Reader, limit, sizeHint int64) (*buffer, error) {
	if sizeHint > limit {
		// The declared length already exceeds the cap: fail without
		// reading it.
		return nil, fmt.Errorf("%w (%d bytes declared, the limit is %d)", ErrResponseTooLarge, sizeHint, limit)
	}
	buf := bufferPool.Get().(*buffer)
	if sizeHint > 0 && sizeHint <= limit && int64(cap(buf.b)) < sizeHint+1 {
		buf.b = make([]byte, 0, sizeHint+1)
	}
	b := buf.b[:0]
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			buf.b = b
			buf.release()
			return nil, fmt.Errorf("%w (%d bytes)", ErrResponseTooLarge, limit)
		}
		if err == io.EOF {
			buf.b = b
			return buf, nil
		}
		if err != nil {
			buf.b = b
			buf.release()
			return nil, err
		}
	}
}

// bufferedBody is a reply body already read into memory.
type bufferedBody struct {
	buf *buffer
	off int
}

func (b *bufferedBody) Read(p []byte) (int, error) {
	if b.buf == nil || b.off >= len(b.buf.b) {
		return 0, io.EOF
	}
	n := copy(p, b.buf.b[b.off:])
	b.off += n
	return n, nil
}

// Close does not release the buffer: the call owns it (see releaseLast).
func (b *bufferedBody) Close() error { return nil }
