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
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Limiter grants permission to send one attempt of an action.
type Limiter interface {
	Wait(ctx context.Context, action string) error
}

// RetryPolicy bounds retries: MaxAttempts attempts in all, with an
// exponential backoff with full jitter between MinBackoff and MaxBackoff.
type RetryPolicy struct {
	MaxAttempts int
	MinBackoff  time.Duration
	MaxBackoff  time.Duration
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
	// Base sends one attempt; nil means http.DefaultTransport.
	Base http.RoundTripper
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
	// included; 0 means no bound beyond the caller's context.
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
	// The retry hooks that need no per-call state, made once here rather
	// than as closures on every call.
	checkRetry retryablehttp.CheckRetry
	backoff    retryablehttp.Backoff
}

// New returns a request path for cfg.
func New(cfg Config) *Path {
	if cfg.Base == nil {
		cfg.Base = http.DefaultTransport
	}
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
	p.checkRetry = p.shouldRetry
	p.backoff = p.wait
	return p
}

// Call is one logical call: retried attempts share it.
type Call struct {
	Action string
	Method string
	// URL is the request URL, parsed on every call. ParsedURL, when set,
	// is used instead and saves the parsing; it must be what
	// http.NewRequest makes of the URL (e.g. the URL field of a request made
	// once with it), and is copied, never modified.
	URL       string
	ParsedURL *url.URL
	// Header is copied into every attempt before Prepare runs. It is only
	// read, so one map may serve many calls at once.
	Header http.Header
	Body   []byte
	// Retry, when non-nil, overrides the path's policy (already normalized).
	Retry *RetryPolicy
	// AttemptTimeout, when positive, overrides the path's.
	AttemptTimeout time.Duration
}

// Response is the final reply of a call. Body is complete (read through the
// size cap). Release returns Body's memory to a pool: call it once Body is
// no longer used (decoded values do not alias it).
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	// Attempts is how many attempts were sent, this one included.
	Attempts int

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
// a reply too large, a cancelled context. It wraps the cause.
type Error struct {
	Action   string
	Attempts int
	Err      error
}

func (e *Error) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("%s failed after %d attempts: %v", e.Action, e.Attempts, e.Err)
	}
	return fmt.Sprintf("%s failed: %v", e.Action, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrResponseTooLarge is returned when a reply exceeds the size cap.
var ErrResponseTooLarge = errors.New("response body exceeds the size limit")

// call is the state of one call, shared by its attempts. The clients it
// runs through, its URL, its base request and its final response live in it
// so that the bookkeeping of a call is a single allocation.
type call struct {
	p        *Path
	c        Call
	policy   RetryPolicy
	timeout  time.Duration
	attempts int
	last     *buffer // body buffer of the latest attempt

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
		CheckRetry:   p.checkRetry,
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
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w (%v)", ctxErr, err)
		}
		return nil, &Error{Action: c.Action, Attempts: cl.attempts, Err: unwrapURLError(err)}
	}
	// The reply body was read into cl.last by the attempt; ownership moves
	// to the Response.
	cl.resp = Response{StatusCode: resp.StatusCode, Header: resp.Header, Attempts: cl.attempts, buf: cl.last, Body: cl.last.b}
	cl.last = nil
	return &cl.resp, nil
}

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

// RoundTrip sends one attempt: limiter, prepare, send, read the body.
func (cl *call) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	cl.attempts++
	cl.releaseLast()
	attempt := cl.attempts
	lg := cl.p.cfg.Logger
	var waited time.Duration // measured for the log only
	if l := cl.p.cfg.Limiter; l != nil {
		var start time.Time
		if lg != nil {
			start = time.Now()
		}
		if err := l.Wait(ctx, cl.c.Action); err != nil {
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
	actx, cancel := ctx, context.CancelFunc(nil)
	if cl.timeout > 0 {
		actx, cancel = context.WithTimeout(ctx, cl.timeout)
	}
	r := req.WithContext(actx)
	r.Header = attemptHeader(req.Header)
	if prep := cl.p.cfg.Prepare; prep != nil {
		if err := prep(r, cl.c.Body); err != nil {
			if cancel != nil {
				cancel()
			}
			return nil, &permanentError{err}
		}
	}
	var start time.Time
	if lg != nil {
		start = time.Now()
	}
	resp, err := cl.p.cfg.Base.RoundTrip(r)
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
	if cancel != nil {
		if err != nil && ctx.Err() == nil && r.Context().Err() != nil {
			err = fmt.Errorf("attempt timed out after %s: %w", cl.timeout, err)
		}
		cancel()
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

// shouldRetry decides whether an attempt is retried. The error it returns
// is the one reported when it says no; nil keeps the attempt's own error.
func (p *Path) shouldRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		return retryableError(err), nil
	}
	if RetryableStatus(resp.StatusCode) {
		return true, nil
	}
	if t := p.cfg.Throttled; t != nil {
		if b, ok := resp.Body.(*bufferedBody); ok && b.buf != nil && t(resp.StatusCode, b.buf.b) {
			return true, nil
		}
	}
	return false, nil
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

func retryableError(err error) bool {
	var le *limiterError
	var pe *permanentError
	var unknownAuthority x509.UnknownAuthorityError
	var invalidCert x509.CertificateInvalidError
	var hostname x509.HostnameError
	switch {
	case errors.As(err, &le), errors.As(err, &pe), errors.Is(err, ErrResponseTooLarge),
		errors.As(err, &unknownAuthority), errors.As(err, &invalidCert), errors.As(err, &hostname):
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
// ErrResponseTooLarge beyond limit bytes.
func readCapped(r io.Reader, limit, sizeHint int64) (*buffer, error) {
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
