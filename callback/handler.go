package callback

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/volcim/volcim-go/internal/redact"
)

// Defaults of a Handler.
const (
	// DefaultMaxAge is how far EventTime may be from the handler's clock,
	// either way. The documentation sets no freshness window; ten minutes
	// leave room for clock skew and for the server's retries, whose timing
	// is not documented either.
	DefaultMaxAge = 10 * time.Minute
	// DefaultTimeout bounds a request from its arrival to the answer:
	// handlers get a context that ends then. The server waits 5 s for an
	// answer; the second left is for the network.
	DefaultTimeout = 4 * time.Second
	// DefaultReadTimeout is how long the body may take to arrive.
	DefaultReadTimeout = 2 * time.Second
	// DefaultMaxBodyBytes caps the body.
	DefaultMaxBodyBytes = 1 << 20
	// MaxEventIDLength is the longest EventId accepted, in bytes.
	MaxEventIDLength = 256
	// MaxAppIDLength is the longest AppId accepted, in bytes.
	MaxAppIDLength = 64
)

// Option configures a Handler. A bad value makes NewHandler return an
// error.
type Option func(*Handler) error

// OnBeforeSendMessage sets the handler of BeforeSendMessage events: it
// returns the Verdict on the message (the zero Verdict lets it through).
// An error answers HTTP 500, which makes the server retry the event. With
// no such handler, the events go to the OnEvent handler and are answered
// with Allow.
func OnBeforeSendMessage(fn func(ctx context.Context, e *BeforeSendMessage) (Verdict, error)) Option {
	return func(h *Handler) error {
		if fn == nil {
			return errors.New("callback: OnBeforeSendMessage: nil function")
		}
		h.before = fn
		return nil
	}
}

// OnAfterSendMessage sets the handler of AfterSendMessage events. An error
// answers HTTP 500, which makes the server retry the event. With no such
// handler, the events go to the OnEvent handler.
func OnAfterSendMessage(fn func(ctx context.Context, e *AfterSendMessage) error) Option {
	return func(h *Handler) error {
		if fn == nil {
			return errors.New("callback: OnAfterSendMessage: nil function")
		}
		h.after = fn
		return nil
	}
}

// OnEvent sets the handler of every event no typed handler takes: event
// types this package does not know, and known ones whose typed handler is
// not set. It gets the event raw. An error answers HTTP 500. Without it,
// such events are acknowledged (HTTP 200) and logged at debug level.
func OnEvent(fn func(ctx context.Context, e *Event) error) Option {
	return func(h *Handler) error {
		if fn == nil {
			return errors.New("callback: OnEvent: nil function")
		}
		h.other = fn
		return nil
	}
}

// WithAppIDs restricts the handler to events of these apps: the events of
// any other AppId are refused (HTTP 403) after the signature check.
func WithAppIDs(appIDs ...int64) Option {
	return func(h *Handler) error {
		for _, id := range appIDs {
			if id <= 0 {
				return fmt.Errorf("callback: WithAppIDs: %d is not an app id", id)
			}
			if h.appIDs == nil {
				h.appIDs = make(map[string]bool)
			}
			h.appIDs[strconv.FormatInt(id, 10)] = true
		}
		return nil
	}
}

// WithMaxAge sets how far an event's EventTime may be from the handler's
// clock, in the past or in the future (default DefaultMaxAge): events
// outside the window are refused as stale (HTTP 400). It bounds replays:
// a captured request is a duplicate within the window and stale after it.
// 0 turns the check off. It must not be negative.
func WithMaxAge(d time.Duration) Option {
	return func(h *Handler) error {
		if d < 0 {
			return fmt.Errorf("callback: WithMaxAge: negative window %v", d)
		}
		h.maxAge = d
		return nil
	}
}

// WithDedupTTL sets how long the store remembers a handled event. The
// default, twice the max age (a day when the age check is off), covers the
// whole window in which an event is fresh. It must be positive.
func WithDedupTTL(d time.Duration) Option {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("callback: WithDedupTTL: %v is not positive", d)
		}
		h.dedupTTL = d
		return nil
	}
}

// WithStore sets where handled events are remembered (default: a
// MemoryStore of DefaultMemoryStoreSize events). Replicas behind one
// callback URL need a shared store.
func WithStore(s Store) Option {
	return func(h *Handler) error {
		if s == nil {
			return errors.New("callback: WithStore: nil store")
		}
		h.store = s
		return nil
	}
}

// WithTimeout sets the time from a request's arrival to its answer
// (default DefaultTimeout): the handlers' context ends then. Handlers must
// honour it; one that returns later still has its result recorded, but the
// server has given up and retries. It must be positive.
func WithTimeout(d time.Duration) Option {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("callback: WithTimeout: %v is not positive", d)
		}
		h.timeout = d
		return nil
	}
}

// WithReadTimeout sets how long the body may take to arrive (default
// DefaultReadTimeout); a slower one is answered HTTP 408. It is set as the
// connection's read deadline through http.ResponseController; behind a
// ResponseWriter that cannot set one, only the server's own ReadTimeout
// applies. It must be positive.
func WithReadTimeout(d time.Duration) Option {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("callback: WithReadTimeout: %v is not positive", d)
		}
		h.readTimeout = d
		return nil
	}
}

// WithMaxBodyBytes caps the body (default DefaultMaxBodyBytes); a larger
// one is answered HTTP 413. It must be positive.
func WithMaxBodyBytes(n int64) Option {
	return func(h *Handler) error {
		if n <= 0 {
			return fmt.Errorf("callback: WithMaxBodyBytes: %d is not positive", n)
		}
		h.maxBody = n
		return nil
	}
}

// WithClock sets the clock EventTime is checked against and the default
// store expires by (default time.Now). Timeouts use the real clock.
func WithClock(now func() time.Time) Option {
	return func(h *Handler) error {
		if now == nil {
			return errors.New("callback: WithClock: nil clock")
		}
		h.now = now
		return nil
	}
}

// WithLogger sets the logger (default: none). Refused requests are logged
// at debug level before the signature is checked and at warn level after
// (a signed event the handler cannot read means the API and this package
// disagree); handler and store failures at warn and error level. Logs
// carry the status, the reason, the EventType and EventId and the remote
// address: never the body, the signature or a secret.
func WithLogger(l *slog.Logger) Option {
	return func(h *Handler) error {
		if l == nil {
			return errors.New("callback: WithLogger: nil logger")
		}
		h.log = l
		return nil
	}
}

// WithVerdictEncoder replaces EncodeVerdict as the writer of
// BeforeSendMessage answers, should the API expect another body than this
// package assumes. An error answers HTTP 500.
func WithVerdictEncoder(encode func(Verdict) ([]byte, error)) Option {
	return func(h *Handler) error {
		if encode == nil {
			return errors.New("callback: WithVerdictEncoder: nil function")
		}
		h.encode = encode
		return nil
	}
}

// Handler is an http.Handler that receives Volcengine IM callbacks: it
// reads a size-capped body within a read timeout, verifies the signature,
// refuses stale events, dispatches each event once (deduplicated by AppId
// and EventId through a Store), and answers within the server's 5 s. See
// the package documentation for the statuses it answers.
//
// A Handler is safe for concurrent use. No fmt verb prints its secrets.
type Handler struct {
	secrets     []redact.Secret
	appIDs      map[string]bool
	maxAge      time.Duration
	dedupTTL    time.Duration
	timeout     time.Duration
	readTimeout time.Duration
	maxBody     int64
	now         func() time.Time
	store       Store
	log         *slog.Logger
	before      func(context.Context, *BeforeSendMessage) (Verdict, error)
	after       func(context.Context, *AfterSendMessage) error
	other       func(context.Context, *Event) error
	encode      func(Verdict) ([]byte, error)
}

// NewHandler returns a Handler that accepts events signed with any of
// secrets (the callback secret key of the console; pass the old and the new
// one while rotating). At least one secret is needed and none may be empty.
func NewHandler(secrets []string, opts ...Option) (*Handler, error) {
	if len(secrets) == 0 {
		return nil, fmt.Errorf("callback: NewHandler: %w", ErrNoSecret)
	}
	h := &Handler{
		maxAge:      DefaultMaxAge,
		timeout:     DefaultTimeout,
		readTimeout: DefaultReadTimeout,
		maxBody:     DefaultMaxBodyBytes,
		now:         time.Now,
		log:         slog.New(slog.DiscardHandler),
		encode:      EncodeVerdict,
	}
	for i, s := range secrets {
		if s == "" {
			return nil, fmt.Errorf("callback: NewHandler: %w: secret %d is empty", ErrNoSecret, i)
		}
		h.secrets = append(h.secrets, redact.NewSecret(s))
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(h); err != nil {
			return nil, err
		}
	}
	if h.dedupTTL == 0 {
		h.dedupTTL = 2 * h.maxAge
		if h.maxAge == 0 {
			h.dedupTTL = 24 * time.Hour
		}
	}
	if h.store == nil {
		h.store = NewMemoryStore(DefaultMemoryStoreSize, h.now)
	}
	return h, nil
}

// String describes the handler's settings; its secrets are counted, never
// shown.
func (h *Handler) String() string {
	if h == nil {
		return "callback.Handler(nil)"
	}
	return fmt.Sprintf("callback.Handler{Secrets:%d %s MaxAge:%v Timeout:%v}", len(h.secrets), redact.Placeholder, h.maxAge, h.timeout)
}

// GoString is String, so that %#v shows no secret either.
func (h *Handler) GoString() string { return h.String() }

// Format implements fmt.Formatter: every verb prints String.
func (h *Handler) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, h.String(), h.GoString())
}

// refusal is a request the handler does not dispatch.
type refusal struct {
	status int
	reason string
	signed bool  // after the signature check: logged at warn level
	err    error // the cause, logged
}

// ServeHTTP receives one callback.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	var env *Envelope
	if rf := h.serve(ctx, w, r, &env); rf != nil {
		h.refuse(w, r, env, rf)
	}
}

// serve answers the request, or returns why it refuses it. *envp is set
// once the envelope is parsed, for the logs.
func (h *Handler) serve(ctx context.Context, w http.ResponseWriter, r *http.Request, envp **Envelope) *refusal {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return &refusal{status: http.StatusMethodNotAllowed, reason: "method " + r.Method + ", want POST"}
	}
	body, rf := h.readBody(w, r)
	if rf != nil {
		return rf
	}
	env, err := ParseEnvelope(body)
	if err != nil {
		return &refusal{status: http.StatusBadRequest, reason: "not a JSON callback envelope", err: err}
	}
	*envp = env
	switch err := verify(env, h.secrets); {
	case errors.Is(err, ErrUnsigned):
		return &refusal{status: http.StatusUnauthorized, reason: "unsigned", err: err}
	case err != nil:
		return &refusal{status: http.StatusForbidden, reason: "wrong signature", err: err}
	}
	if h.appIDs != nil && !h.appIDs[env.AppID] {
		return &refusal{status: http.StatusForbidden, reason: "another app's event", signed: true}
	}
	switch {
	case env.EventType == "":
		return &refusal{status: http.StatusBadRequest, reason: "no EventType", signed: true}
	case env.EventID == "":
		return &refusal{status: http.StatusBadRequest, reason: "no EventId", signed: true}
	case len(env.EventID) > MaxEventIDLength:
		return &refusal{status: http.StatusBadRequest, reason: fmt.Sprintf("EventId longer than %d bytes", MaxEventIDLength), signed: true}
	case len(env.AppID) > MaxAppIDLength:
		return &refusal{status: http.StatusBadRequest, reason: fmt.Sprintf("AppId longer than %d bytes", MaxAppIDLength), signed: true}
	}
	t, err := ParseTime(env.EventTime)
	if err != nil {
		return &refusal{status: http.StatusBadRequest, reason: "unreadable EventTime", signed: true, err: err}
	}
	if h.maxAge > 0 {
		switch age := h.now().Sub(t); {
		case age > h.maxAge:
			return &refusal{status: http.StatusBadRequest, reason: fmt.Sprintf("stale: EventTime is %v old, over %v", age.Round(time.Millisecond), h.maxAge)}
		case age < -h.maxAge:
			return &refusal{status: http.StatusBadRequest, reason: fmt.Sprintf("stale: EventTime is %v ahead, over %v", (-age).Round(time.Millisecond), h.maxAge)}
		}
	}
	ev := Event{Type: env.EventType, ID: env.EventID, AppID: env.AppID, Time: t, Version: env.Version, Nonce: env.Nonce, Data: []byte(env.EventData)}
	return h.handleOnce(ctx, w, r, env, ev)
}

// readBody reads the body under the size cap and the read timeout.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *refusal) {
	if r.ContentLength > h.maxBody {
		return nil, &refusal{status: http.StatusRequestEntityTooLarge, reason: fmt.Sprintf("body of %d bytes, over %d", r.ContentLength, h.maxBody)}
	}
	rc := http.NewResponseController(w)
	deadline := rc.SetReadDeadline(time.Now().Add(h.readTimeout)) == nil
	body, err := io.ReadAll(io.LimitReader(r.Body, h.maxBody+1))
	if err != nil {
		// The deadline stays: whatever net/http reads of this body after
		// the handler fails at once and the connection is closed.
		w.Header().Set("Connection", "close")
		var ne net.Error
		if errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
			return nil, &refusal{status: http.StatusRequestTimeout, reason: fmt.Sprintf("the body took over %v", h.readTimeout), err: err}
		}
		return nil, &refusal{status: http.StatusBadRequest, reason: "reading the body", err: err}
	}
	if deadline {
		// Cleared, or net/http's read that watches for the client going
		// away would hit it and cancel the request while handlers run.
		_ = rc.SetReadDeadline(time.Time{})
	}
	if int64(len(body)) > h.maxBody {
		w.Header().Set("Connection", "close")
		return nil, &refusal{status: http.StatusRequestEntityTooLarge, reason: fmt.Sprintf("body over %d bytes", h.maxBody)}
	}
	return body, nil
}

// handleOnce claims the event in the store, dispatches it if it is new,
// and answers.
//
// An event is known by two keys: "<AppId>/<EventId>", which its retries
// share even when the server signs them afresh, and "sig/<signature>": the
// documented signature hashes the values sorted, so it does not bind a
// value to its field, and a captured request with two values swapped (an
// EventId and a Nonce, say) still verifies. Its signature is the same
// though, so it is caught as a duplicate.
func (h *Handler) handleOnce(ctx context.Context, w http.ResponseWriter, r *http.Request, env *Envelope, ev Event) *refusal {
	keys := [2]string{ev.AppID + "/" + ev.ID, "sig/" + strings.ToLower(env.Signature)}
	token := newToken()
	var claimed []string
	// Every way out releases what is claimed, but success, which
	// completes it (a panic of the handler function included, which
	// net/http then reports).
	defer func() {
		if len(claimed) > 0 {
			h.release(r, claimed, token)
		}
	}()
	for _, key := range keys {
		c, err := h.store.Claim(ctx, key, token, 2*h.timeout)
		if err != nil {
			h.log.LogAttrs(r.Context(), slog.LevelError, "callback: the dedup store failed; answering 503 so that the server retries",
				eventAttrs(r, ev.Type, ev.ID, slog.String("error", err.Error()))...)
			return &refusal{status: http.StatusServiceUnavailable, reason: "the dedup store is unavailable", signed: true, err: err}
		}
		switch c.State {
		case Claimed:
			claimed = append(claimed, key)
			continue
		case Done:
			h.log.LogAttrs(r.Context(), slog.LevelDebug, "callback: duplicate delivery, answered as the first",
				eventAttrs(r, ev.Type, ev.ID, slog.Int("status", http.StatusOK), slog.String("key", clip(key)))...)
			writeReply(w, http.StatusOK, c.Reply)
			return nil
		case InProgress:
			return &refusal{status: http.StatusConflict, reason: "duplicate delivery of an event still being handled", signed: true}
		}
		return &refusal{status: http.StatusInternalServerError, reason: fmt.Sprintf("the dedup store answered %v", c.State), signed: true}
	}

	reply, rf := h.dispatch(ctx, r, ev)
	if rf != nil {
		return rf
	}
	claimed = nil
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	for _, key := range keys {
		if err := h.store.Complete(sctx, key, reply, h.dedupTTL); err != nil {
			h.log.LogAttrs(r.Context(), slog.LevelWarn, "callback: handled, but the dedup store did not record it: a duplicate would be handled again",
				eventAttrs(r, ev.Type, ev.ID, slog.String("error", err.Error()))...)
			break
		}
	}
	writeReply(w, http.StatusOK, reply)
	return nil
}

// release forgets the claims of a delivery that was not handled.
func (h *Handler) release(r *http.Request, keys []string, token string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Second)
	defer cancel()
	for _, key := range keys {
		if err := h.store.Release(ctx, key, token); err != nil {
			h.log.LogAttrs(r.Context(), slog.LevelWarn, "callback: the dedup store did not release a failed event: its retries are refused until the lease ends",
				slog.String("key", clip(key)), slog.String("error", err.Error()))
		}
	}
}

// dispatch runs the event's handler and returns the answer body.
func (h *Handler) dispatch(ctx context.Context, r *http.Request, ev Event) ([]byte, *refusal) {
	failed := func(err error) *refusal {
		return &refusal{status: http.StatusInternalServerError, reason: "the handler failed", signed: true, err: err}
	}
	undecodable := func(err error) *refusal {
		return &refusal{status: http.StatusBadRequest, reason: "EventData of " + ev.Type + " does not decode", signed: true, err: err}
	}
	switch {
	case ev.Type == TypeBeforeSendMessage && h.before != nil:
		e, err := decodeBeforeSend(ev)
		if err != nil {
			return nil, undecodable(err)
		}
		v, err := h.before(ctx, e)
		if err != nil {
			return nil, failed(err)
		}
		reply, err := h.encode(v)
		if err != nil {
			return nil, failed(fmt.Errorf("encoding the verdict: %w", err))
		}
		return reply, nil
	case ev.Type == TypeAfterSendMessage && h.after != nil:
		e, err := decodeAfterSend(ev)
		if err != nil {
			return nil, undecodable(err)
		}
		if err := h.after(ctx, e); err != nil {
			return nil, failed(err)
		}
		return nil, nil
	}
	if h.other != nil {
		if err := h.other(ctx, &ev); err != nil {
			return nil, failed(err)
		}
	} else {
		h.log.LogAttrs(r.Context(), slog.LevelDebug, "callback: no handler for the event; acknowledged",
			eventAttrs(r, ev.Type, ev.ID)...)
	}
	if ev.Type == TypeBeforeSendMessage {
		reply, err := h.encode(Allow())
		if err != nil {
			return nil, failed(fmt.Errorf("encoding the verdict: %w", err))
		}
		return reply, nil
	}
	return nil, nil
}

// refuse answers a refused request and logs it.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, env *Envelope, rf *refusal) {
	level := slog.LevelDebug
	switch {
	case rf.status >= 500:
		level = slog.LevelWarn
	case rf.signed && rf.status != http.StatusConflict:
		level = slog.LevelWarn
	}
	var typ, id string
	if env != nil {
		typ, id = clip(env.EventType), clip(env.EventID)
	}
	attrs := eventAttrs(r, typ, id, slog.Int("status", rf.status), slog.String("reason", rf.reason))
	if rf.err != nil {
		attrs = append(attrs, slog.String("error", rf.err.Error()))
	}
	h.log.LogAttrs(r.Context(), level, "callback: refused", attrs...)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(rf.status)
	io.WriteString(w, "callback: "+rf.reason+"\n")
}

func eventAttrs(r *http.Request, typ, id string, more ...slog.Attr) []slog.Attr {
	attrs := make([]slog.Attr, 0, 3+len(more))
	if typ != "" {
		attrs = append(attrs, slog.String("event_type", typ))
	}
	if id != "" {
		attrs = append(attrs, slog.String("event_id", id))
	}
	attrs = append(attrs, slog.String("remote", r.RemoteAddr))
	return append(attrs, more...)
}

// writeReply answers 200 with body, JSON when there is one.
func writeReply(w http.ResponseWriter, status int, body []byte) {
	if len(body) > 0 {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// newToken returns a random token identifying one delivery's claim.
func newToken() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
