package volcimtest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/internal/redact"
	"github.com/volcim/volcim-go/signer"
)

// Protocol constants of the API.
const (
	apiVersion    = "2020-12-01"
	serviceName   = "rtc"
	defaultRegion = "cn-north-1"
	maxBodyBytes  = 8 << 20
)

// DefaultQPS is the per-action limit a server enforces unless WithQPS says
// otherwise: the API's documented 100 QPS.
const DefaultQPS = 100

// DefaultMaxSkew is how far X-Date may be from the server's clock unless
// WithMaxSkew says otherwise.
const DefaultMaxSkew = 15 * time.Minute

// Server is an in-memory Volcengine IM server listening on loopback. Create
// one with [NewServer] and Close it when done. Its methods are safe for
// concurrent use, also while requests are being served.
//
// Printing a *Server with any fmt verb shows its URL and access key, never
// its secret key (see [Server.SecretKey]) nor the recorded requests.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:<port>", for
	// volcim.WithEndpoint.
	URL string

	ts        *httptest.Server
	ctx       context.Context // cancelled by Close: ends every wait
	cancel    context.CancelFunc
	closeOnce sync.Once

	// Settings fixed by NewServer. The secret key is a redact.Secret and
	// the request log is behind a pointer so that fmt, when it walks a
	// Server without calling Format (a *Server in an unexported field),
	// prints addresses there, not the key or the recorded tokens.
	accessKey string
	secretKey redact.Secret
	now       func() time.Time
	maxSkew   time.Duration
	qps       int
	latency   time.Duration
	slowDelay time.Duration
	idPrefix  string

	// dataMu guards the data of every area: the conversations and their
	// messages, members and settings, and the server-wide state below.
	dataMu   sync.RWMutex
	convs    map[convKey]*conversation
	ids      idCounters    // store.go
	convData convIndexData // conversations.go
	users    userData      // users.go
	contacts contactData   // contacts.go
	msgIndex msgIndexData  // messages.go

	mu       sync.Mutex
	closed   bool
	inflight sync.WaitGroup
	script   []Fault
	random   *randomFaults
	log      *requestLog
	windows  map[string][]time.Time // action → arrival times of accepted requests of the last second
	seq      uint64                 // RequestId counter

	// arrived, when set (by this package's tests only), is called as each
	// request starts being served.
	arrived func()
}

// Option configures a Server. Options panic on invalid values, like the
// rest of a test's setup.
type Option func(*settings)

type settings struct {
	accessKey, secretKey string
	now                  func() time.Time
	maxSkew              time.Duration
	qps                  int
	latency              time.Duration
	slowDelay            time.Duration
	random               *randomFaults
	logMax               int
}

// WithCredentials fixes the server's access key pair instead of a random
// one, for code that builds its own client (volcim.NewClient,
// volcim.NewClientFromEnv, the official SDK). It panics when either is
// empty.
func WithCredentials(accessKey, secretKey string) Option {
	if accessKey == "" || secretKey == "" {
		panic("volcimtest: WithCredentials: empty access key or secret key")
	}
	return func(s *settings) { s.accessKey, s.secretKey = accessKey, secretKey }
}

// WithClock sets the server's clock (default time.Now): the X-Date of every
// request is checked against it, and the data the server creates takes its
// times from it (a sent message's CreateTime, a conversation's, a mute's
// start and end, a token's expiry). The QPS window, latency, faults and
// Request.Time use the real clock. A nil now means time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *settings) {
		if now == nil {
			now = time.Now
		}
		s.now = now
	}
}

// WithMaxSkew sets how far a request's X-Date may be from the server's clock
// (default DefaultMaxSkew, 15 minutes) before it is InvalidTimestamp. It
// panics when d is negative.
func WithMaxSkew(d time.Duration) Option {
	if d < 0 {
		panic("volcimtest: WithMaxSkew: negative skew")
	}
	return func(s *settings) { s.maxSkew = d }
}

// WithQPS sets how many requests of each action the server accepts in any
// one-second sliding window (default DefaultQPS, 100); 0 means no limit. The
// excess is answered FlowLimitExceeded, HTTP 429, and not counted. It panics
// when n is negative.
func WithQPS(n int) Option {
	if n < 0 {
		panic("volcimtest: WithQPS: negative limit")
	}
	return func(s *settings) { s.qps = n }
}

// WithLatency delays every reply by d (faults included, except a dropped
// connection), as a network and a real server would: 20ms makes a
// benchmark's numbers look like production's. The wait ends early, with no
// reply, when the client gives up or the server closes. It panics when d is
// negative.
func WithLatency(d time.Duration) Option {
	if d < 0 {
		panic("volcimtest: WithLatency: negative latency")
	}
	return func(s *settings) { s.latency = d }
}

// WithSlowFaultDelay sets how long a FaultSlow waits when its Delay is zero,
// which is always the case for the faults of WithFaultRate (default
// DefaultSlowFaultDelay, 1s). It panics when d is negative.
func WithSlowFaultDelay(d time.Duration) Option {
	if d < 0 {
		panic("volcimtest: WithSlowFaultDelay: negative delay")
	}
	return func(s *settings) { s.slowDelay = d }
}

// WithFaultRate injects a fault into each request with probability rate (0
// to 1), of a kind drawn uniformly from kinds (by default Fault500,
// Fault502, Fault503, Fault429, FaultDrop and FaultTruncate). The draws come
// from a PCG generator seeded with seed, one draw (two when it faults) per
// request that takes no scripted fault, in order of arrival: a sequential
// client sees the same faults on every run. It panics when rate is outside
// 0 to 1 or a kind is unknown.
func WithFaultRate(seed uint64, rate float64, kinds ...FaultKind) Option {
	if !(rate >= 0 && rate <= 1) {
		panic(fmt.Sprintf("volcimtest: WithFaultRate: rate %v is outside 0 to 1", rate))
	}
	for _, k := range kinds {
		if !k.valid() {
			panic("volcimtest: WithFaultRate: unknown " + k.String())
		}
	}
	if len(kinds) == 0 {
		kinds = defaultRandomFaults
	}
	kinds = append([]FaultKind(nil), kinds...)
	return func(s *settings) {
		s.random = &randomFaults{rate: rate, kinds: kinds, rng: mrand.New(mrand.NewPCG(seed, 0x766f6c63696d7465))}
	}
}

// WithRequestLog sets how many of the most recent requests the server keeps
// for Requests and MaxInWindow (default DefaultRequestLog); 0 keeps none,
// for long benchmarks whose heap must stay flat. It panics when max is
// negative.
func WithRequestLog(max int) Option {
	if max < 0 {
		panic("volcimtest: WithRequestLog: negative size")
	}
	return func(s *settings) { s.logMax = max }
}

// NewServer starts a server on 127.0.0.1 with a fresh random access key
// pair. The caller must Close it. It panics if it cannot listen, as
// httptest.NewServer does.
func NewServer(opts ...Option) *Server {
	st := settings{
		now:       time.Now,
		maxSkew:   DefaultMaxSkew,
		qps:       DefaultQPS,
		slowDelay: DefaultSlowFaultDelay,
		logMax:    DefaultRequestLog,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&st)
		}
	}
	if st.accessKey == "" {
		st.accessKey = "AKLT" + hex.EncodeToString(randomBytes(16))
		st.secretKey = base64.StdEncoding.EncodeToString(randomBytes(30))
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		ctx:       ctx,
		cancel:    cancel,
		accessKey: st.accessKey,
		secretKey: redact.NewSecret(st.secretKey),
		now:       st.now,
		maxSkew:   st.maxSkew,
		qps:       st.qps,
		latency:   st.latency,
		slowDelay: st.slowDelay,
		idPrefix:  fmt.Sprintf("%06X", randomBytes(3)),
		convs:     make(map[convKey]*conversation),
		random:    st.random,
		log:       &requestLog{max: st.logMax},
		windows:   make(map[string][]time.Time),
	}
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.ts.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	s.ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.ts.Start()
	s.URL = s.ts.URL
	return s
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// Close cancels every request still waiting (slow faults, latency), shuts
// the server down and returns once every handler has returned. Calling it
// again does nothing.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.cancel()
		s.ts.Close()
		s.inflight.Wait()
	})
}

// AccessKey returns the access key id the server accepts.
func (s *Server) AccessKey() string { return s.accessKey }

// SecretKey returns the secret access key the server accepts.
func (s *Server) SecretKey() string { return s.secretKey.Reveal() }

// String describes the server by its URL and access key; the secret key
// shows as "[redacted]".
func (s *Server) String() string {
	if s == nil {
		return "volcimtest.Server(nil)"
	}
	return "volcimtest.Server{URL:" + s.URL + " AccessKey:" + s.accessKey + " SecretKey:" + s.secretKey.String() + "}"
}

// GoString is [Server.String] in Go syntax, so that %#v shows no secret either.
func (s *Server) GoString() string {
	if s == nil {
		return "(*volcimtest.Server)(nil)"
	}
	return "&volcimtest.Server{URL:" + strconv.Quote(s.URL) + ", AccessKey:" + strconv.Quote(s.accessKey) +
		", SecretKey:" + strconv.Quote(s.secretKey.String()) + "}"
}

// Format implements [fmt.Formatter]: every verb formats [Server.String] (as
// it would a string) and %#v prints [Server.GoString], so that no verb
// reaches the secret key or the recorded requests.
func (s *Server) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, s.String(), s.GoString())
}

// Client returns a client of the server: volcim.NewClient with the server's
// keys, volcim.WithEndpoint(s.URL) and an HTTP client of the server's own
// (whose idle connections Close closes), followed by opts, which win. The
// client keeps volcim's defaults otherwise: its rate limiter (shared by the
// clients of the server's access key), its retries and backoffs. Tests
// usually want volcim.WithRateLimit and a short volcim.WithRetry.
func (s *Server) Client(opts ...volcim.Option) (*volcim.Client, error) {
	all := make([]volcim.Option, 0, 2+len(opts))
	all = append(all, volcim.WithEndpoint(s.URL), volcim.WithHTTPClient(s.ts.Client()))
	all = append(all, opts...)
	return volcim.NewClient(s.accessKey, s.secretKey.Reveal(), all...)
}

// reply is a computed answer.
type reply struct {
	status     int
	body       []byte
	code       string
	requestID  string
	retryAfter time.Duration
	allow      bool // add "Allow: POST"
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		// A request racing with Close on a kept-alive connection: no reply
		// rather than net/http's empty 200.
		s.mu.Unlock()
		panic(http.ErrAbortHandler)
	}
	s.inflight.Add(1)
	arrived := s.arrived
	s.mu.Unlock()
	defer s.inflight.Done()
	if arrived != nil {
		arrived()
	}

	rec := Request{
		Method:    r.Method,
		AccessKey: accessKeyOf(r.Header),
		Time:      time.Now(),
	}
	if s.log.max > 0 { // fixed by NewServer: no lock needed
		rec.Header = r.Header.Clone()
	}
	q := r.URL.Query()
	rec.Action, rec.Version = q.Get("Action"), q.Get("Version")
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	rec.Body = body

	s.mu.Lock()
	rec.Fault = s.nextFault(rec.Action)
	s.mu.Unlock()
	// The record is added before the client can see the end of the reply,
	// so that Requests, called once a call returns, lists its requests:
	// net/http sends a reply after the handler returns, and a hijacked
	// connection is logged before it is closed.
	logged := false
	logRecord := func() {
		if !logged {
			logged = true
			s.mu.Lock()
			s.log.add(rec)
			s.mu.Unlock()
		}
	}
	defer logRecord()

	var rep reply
	switch rec.Fault.Kind {
	case FaultDrop:
		logRecord()
		hijack(w, nil)
		return
	case Fault500:
		rep = s.errorReply(&rec, defaultRegion, newError(codeInternalError, "injected fault: internal error"))
	case Fault502:
		rep = s.errorReply(&rec, defaultRegion, newError(codeInternalServiceError, "injected fault: bad gateway"))
	case Fault503:
		rep = s.errorReply(&rec, defaultRegion, newError(codeServiceUnavailableTemp, "injected fault: service unavailable"))
		rep.retryAfter = rec.Fault.RetryAfter
	case Fault429:
		rep = s.errorReply(&rec, defaultRegion, newError(codeFlowLimitExceeded, "injected fault: flow limit exceeded"))
		rep.retryAfter = rec.Fault.RetryAfter
	case FaultSlow:
		d := rec.Fault.Delay
		if d == 0 {
			d = s.slowDelay
		}
		if !s.wait(r.Context(), d) {
			return
		}
		fallthrough
	default:
		rep = s.serve(r, body, readErr, &rec)
	}

	if !s.wait(r.Context(), s.latency) {
		return
	}
	if rec.Fault.Kind == FaultDropReply {
		rec.Code, rec.RequestID = rep.code, rep.requestID
		logRecord()
		hijack(w, nil)
		return
	}
	if rec.Fault.Kind == FaultTruncate {
		rec.Status, rec.Code, rec.RequestID = rep.status, rep.code, rep.requestID
		logRecord()
		hijack(w, &rep)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	if rep.retryAfter > 0 {
		h.Set("Retry-After", strconv.FormatInt(int64(math.Ceil(rep.retryAfter.Seconds())), 10))
	}
	if rep.allow {
		h.Set("Allow", http.MethodPost)
	}
	w.WriteHeader(rep.status)
	w.Write(rep.body)
	rec.Status, rec.Code, rec.RequestID = rep.status, rep.code, rep.requestID
}

// wait waits d, or less if ctx (the request's, which Close cancels) ends
// first; it reports whether d elapsed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// hijack takes the connection over and closes it: at once when rep is nil
// (FaultDrop), else after the headers of rep with its full Content-Length
// and the first half of its body (FaultTruncate).
func hijack(w http.ResponseWriter, rep *reply) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http closes the connection
	}
	conn, bufrw, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	if rep == nil {
		return
	}
	fmt.Fprintf(bufrw, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		rep.status, http.StatusText(rep.status), len(rep.body))
	bufrw.Write(rep.body[:len(rep.body)/2])
	bufrw.Flush()
}

// serve checks and answers a request that no fault cut short.
func (s *Server) serve(r *http.Request, body []byte, readErr error, rec *Request) reply {
	action, version := rec.Action, rec.Version
	if r.Method != http.MethodPost {
		rep := s.errorReply(rec, defaultRegion, newError(codeMethodNotAllowed, "method "+r.Method+" is not allowed: every action is POST"))
		rep.allow = true
		return rep
	}
	switch {
	case action == "":
		return s.errorReply(rec, defaultRegion, newError(codeMissingParameter, "the query has no Action"))
	case version == "":
		return s.errorReply(rec, defaultRegion, newError(codeMissingParameter, "the query has no Version"))
	case version != apiVersion || !knownAction(action):
		return s.errorReply(rec, defaultRegion, newError(codeInvalidActionOrVersion, fmt.Sprintf("action %q of version %q does not exist in service rtc", action, version)))
	}

	auth, err := signer.Verify(r, body, s.lookup, s.now(), s.maxSkew)
	if err != nil {
		return s.errorReply(rec, defaultRegion, verifyError(err))
	}
	region := auth.Region
	if auth.Service != serviceName {
		return s.errorReply(rec, region, newError(codeSignatureDoesNotMatch, fmt.Sprintf("the credential scope names service %q, not %q", auth.Service, serviceName)))
	}

	if !s.admit(action) {
		return s.errorReply(rec, region, newError(codeFlowLimitExceeded, fmt.Sprintf("more than %d requests of %s in one second", s.qps, action)))
	}
	rec.Accepted = true

	if readErr != nil {
		return s.errorReply(rec, region, newError(codeJSONParsingError, "reading the body: "+readErr.Error()))
	}
	if len(body) > maxBodyBytes {
		return s.errorReply(rec, region, newError(codeJSONParsingError, fmt.Sprintf("the body exceeds %d bytes", maxBodyBytes)))
	}
	res, apiErr := actionHandlers[action](s, body)
	if apiErr != nil {
		return s.errorReply(rec, region, apiErr)
	}
	id := s.requestID()
	return reply{status: http.StatusOK, body: encode(id, action, region, res), requestID: id}
}

func knownAction(action string) bool {
	_, ok := actionHandlers[action]
	return ok
}

func (s *Server) lookup(accessKey string) (string, bool) {
	if accessKey == s.accessKey {
		return s.secretKey.Reveal(), true
	}
	return "", false
}

// verifyError maps a signer.Verify error to the gateway's reply.
func verifyError(err error) *apiError {
	switch {
	case errors.Is(err, signer.ErrMissingAuthentication):
		return newError(codeMissingAuthenticationToken, err.Error())
	case errors.Is(err, signer.ErrInvalidTimestamp):
		return newError(codeInvalidTimestamp, err.Error())
	case errors.Is(err, signer.ErrInvalidAccessKey):
		return newError(codeInvalidAccessKey, err.Error())
	default:
		return newError(codeSignatureDoesNotMatch, err.Error())
	}
}

// admit applies the QPS limit to a request of action and reports whether
// it is accepted (and counted). The window holds at most qps times.
func (s *Server) admit(action string) bool {
	if s.qps == 0 {
		return true
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	times := s.windows[action]
	drop := 0
	for drop < len(times) && now.Sub(times[drop]) >= time.Second {
		drop++
	}
	times = times[drop:]
	if len(times) >= s.qps {
		s.windows[action] = times
		return false
	}
	s.windows[action] = append(times, now)
	return true
}

// requestID returns a fresh RequestId: a UTC timestamp, the server's random
// prefix and a counter, unique per server and unlikely to repeat across
// servers.
func (s *Server) requestID() string {
	s.mu.Lock()
	s.seq++
	n := s.seq
	s.mu.Unlock()
	return time.Now().UTC().Format("20060102150405") + s.idPrefix + fmt.Sprintf("%012X", n)
}

// errorReply builds an error reply and notes its code in rec.
func (s *Server) errorReply(rec *Request, region string, e *apiError) reply {
	id := s.requestID()
	action, version := rec.Action, rec.Version
	if version == "" {
		version = apiVersion
	}
	return reply{status: e.status, body: encodeEnvelope(id, action, version, region, e, nil), code: e.code, requestID: id}
}
