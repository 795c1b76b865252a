package volcimtest

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	mrand "math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/callback"
	"github.com/volcim/volcim-go/internal/redact"
)

// What the documentation says of callback delivery: only HTTP 200 counts;
// any other status, or no answer within 5 s, is a failure, retried up to
// twice.
const (
	// CallbackTimeout is how long a delivery attempt waits for an answer.
	CallbackTimeout = 5 * time.Second
	// CallbackRetries is how many more attempts follow a failed one.
	CallbackRetries = 2
)

var (
	// ErrCallbackFailed: a delivery was not answered 200, retries
	// included.
	ErrCallbackFailed = errors.New("volcimtest: the callback was not answered 200")
	// ErrSendRefused: SendAsUser refused the message as the service would
	// refuse a client's send (an unknown conversation, a sender who is not
	// a member, ...), before any callback.
	ErrSendRefused = errors.New("volcimtest: the send was refused")
)

// maxCallbackReply caps the answer bodies a delivery reads.
const maxCallbackReply = 1 << 20

// Callbacks posts signed server callbacks to one URL, as Volcengine IM does
// to the URL set in its console: events given by the test
// ([Callbacks.DeliverEvent]) and the events of messages simulated users
// send ([Callbacks.SendAsUser]). Get one from [Server.Callbacks].
//
// Each event is posted as the documented envelope (see package callback),
// signed with the test's secret. A delivery is retried, with the same
// body, up to CallbackRetries times while the answer is not HTTP 200 or
// does not come within the timeout (CallbackTimeout), with no pause
// between attempts (the service's pauses are not documented).
//
// A Callbacks is safe for concurrent use. No fmt verb prints its secret.
type Callbacks struct {
	srv     *Server
	url     string
	secret  redact.Secret
	timeout time.Duration
	client  *http.Client
	events  map[string]bool // the event types SendAsUser triggers
	idBase  string
	seq     atomic.Int64
}

// CallbackOption configures a Callbacks. Options panic on invalid values,
// like the rest of a test's setup.
type CallbackOption func(*Callbacks)

// WithCallbackTimeout sets how long each delivery attempt waits for an
// answer (default CallbackTimeout, the documented 5 s). It panics when d is
// not positive.
func WithCallbackTimeout(d time.Duration) CallbackOption {
	if d <= 0 {
		panic("volcimtest: WithCallbackTimeout: the timeout must be positive")
	}
	return func(c *Callbacks) { c.timeout = d }
}

// WithCallbackEvents sets the event types SendAsUser delivers, as the
// console's subscriptions do (default: BeforeSendMessage and
// AfterSendMessage). Without BeforeSendMessage, every message is stored
// without a verdict. It panics when a type is empty.
func WithCallbackEvents(types ...string) CallbackOption {
	for _, t := range types {
		if t == "" {
			panic("volcimtest: WithCallbackEvents: empty event type")
		}
	}
	return func(c *Callbacks) {
		c.events = make(map[string]bool, len(types))
		for _, t := range types {
			c.events[t] = true
		}
	}
}

// WithCallbackHTTPClient sets the HTTP client that posts the events (for a
// handler served over TLS, say). Its Timeout is replaced by the callback
// timeout and redirects are not followed: a redirect is not a 200. It
// panics when hc is nil.
func WithCallbackHTTPClient(hc *http.Client) CallbackOption {
	if hc == nil {
		panic("volcimtest: WithCallbackHTTPClient: nil client")
	}
	return func(c *Callbacks) { c.client = hc }
}

// Callbacks returns a poster of callbacks to url, signed with secret. The
// events' EventTime comes from the server's clock (WithClock), so that a
// handler checking freshness against the same clock accepts them. It
// panics when url or secret is empty.
func (s *Server) Callbacks(url, secret string, opts ...CallbackOption) *Callbacks {
	if url == "" || secret == "" {
		panic("volcimtest: Callbacks: empty URL or secret")
	}
	c := &Callbacks{
		srv:     s,
		url:     url,
		secret:  redact.NewSecret(secret),
		timeout: CallbackTimeout,
		events:  map[string]bool{callback.TypeBeforeSendMessage: true, callback.TypeAfterSendMessage: true},
		idBase:  "volcimtest-" + hex.EncodeToString(randomBytes(4)) + "-",
	}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}} // nothing left open
	if c.client != nil {
		copied := *c.client
		hc = &copied
	}
	hc.Timeout = c.timeout
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.client = hc
	return c
}

// URL returns the URL the events are posted to.
func (c *Callbacks) URL() string { return c.url }

// String describes the poster by its URL; the secret shows as
// "[redacted]".
func (c *Callbacks) String() string {
	if c == nil {
		return "volcimtest.Callbacks(nil)"
	}
	return "volcimtest.Callbacks{URL:" + c.url + " Secret:" + c.secret.String() + "}"
}

// GoString is String in Go syntax.
func (c *Callbacks) GoString() string {
	if c == nil {
		return "(*volcimtest.Callbacks)(nil)"
	}
	return "&volcimtest.Callbacks{URL:" + strconv.Quote(c.url) + ", Secret:" + strconv.Quote(c.secret.String()) + "}"
}

// Format implements fmt.Formatter, so that no verb prints the secret.
func (c *Callbacks) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, c.String(), c.GoString())
}

// CallbackEvent is an event for DeliverEvent.
type CallbackEvent struct {
	// Type is the EventType (callback.TypeAfterSendMessage, ...).
	Type string
	// Data is the EventData: a string, []byte or json.RawMessage is sent
	// as it is; nil sends "{}"; any other value is sent as its JSON
	// (callback.EncodeMessageData writes the message events' data).
	Data any
	// AppID is the AppId (0: empty).
	AppID int64
	// ID is the EventId; empty gives a fresh one.
	ID string
	// Time is the EventTime; zero means the server's clock now.
	Time time.Time
	// Nonce is the Nonce; empty gives 4 random digits (Prepare can empty
	// it).
	Nonce string
	// Duplicates is how many more times the event is delivered, with the
	// same body, once the first delivery got its 200.
	Duplicates int
	// NoRetry turns off the retries of a delivery that is not answered 200.
	NoRetry bool
	// Prepare, when set, changes the envelope before it is signed.
	Prepare func(*callback.Envelope)
	// Tamper, when set, changes the envelope after it is signed (to send a
	// wrong signature, say).
	Tamper func(*callback.Envelope)
}

// CallbackAttempt is one POST of a delivery.
type CallbackAttempt struct {
	// Copy is 0 for the delivery, 1 to Duplicates for the duplicates.
	Copy int
	// Retry is 0 for a copy's first attempt, then 1 and 2.
	Retry int
	// Status is the answer's HTTP status, 0 when none came.
	Status int
	// Body is the answer's body (at most 1 MiB of it).
	Body []byte
	// Err is why no answer came (a timeout, a refused connection), or nil.
	Err error
}

// CallbackDelivery tells what a delivery sent and got.
type CallbackDelivery struct {
	// Envelope is the envelope posted, signature included.
	Envelope callback.Envelope
	// Attempts are the POSTs, in order.
	Attempts []CallbackAttempt
}

// Delivered reports whether the event (its first copy) was answered 200.
func (d *CallbackDelivery) Delivered() bool {
	_, ok := d.reply()
	return ok
}

// Reply returns the body of the 200 that answered the event's first copy,
// or nil.
func (d *CallbackDelivery) Reply() []byte {
	b, _ := d.reply()
	return b
}

func (d *CallbackDelivery) reply() ([]byte, bool) {
	for _, a := range d.Attempts {
		if a.Copy == 0 && a.Status == http.StatusOK {
			return a.Body, true
		}
	}
	return nil, false
}

// DeliverEvent posts ev, retrying while it is not answered 200, then posts
// its Duplicates. It returns what happened, and an error wrapping
// ErrCallbackFailed when a copy was never answered 200, or the context's
// error when ctx ended first.
func (c *Callbacks) DeliverEvent(ctx context.Context, ev CallbackEvent) (*CallbackDelivery, error) {
	if ev.Type == "" {
		return nil, errors.New("volcimtest: DeliverEvent: no event Type")
	}
	if ev.Duplicates < 0 {
		return nil, errors.New("volcimtest: DeliverEvent: negative Duplicates")
	}
	var data string
	switch v := ev.Data.(type) {
	case nil:
		data = "{}"
	case string:
		data = v
	case []byte:
		data = string(v)
	case json.RawMessage:
		data = string(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("volcimtest: DeliverEvent: encoding Data: %w", err)
		}
		data = string(b)
	}
	env := callback.Envelope{
		EventType: ev.Type,
		EventData: data,
		EventID:   ev.ID,
		Version:   callback.EnvelopeVersion,
		Nonce:     ev.Nonce,
	}
	if env.EventID == "" {
		env.EventID = c.idBase + strconv.FormatInt(c.seq.Add(1), 10)
	}
	t := ev.Time
	if t.IsZero() {
		t = c.srv.now()
	}
	env.EventTime = callback.FormatTime(t)
	if ev.AppID != 0 {
		env.AppID = strconv.FormatInt(ev.AppID, 10)
	}
	if env.Nonce == "" {
		env.Nonce = fmt.Sprintf("%04d", mrand.IntN(10000))
	}
	if ev.Prepare != nil {
		ev.Prepare(&env)
	}
	env.Signature = callback.Sign(&env, c.secret.Reveal())
	if ev.Tamper != nil {
		ev.Tamper(&env)
	}
	body, err := env.Marshal()
	if err != nil {
		return nil, fmt.Errorf("volcimtest: DeliverEvent: %w", err)
	}

	d := &CallbackDelivery{Envelope: env}
	retries := CallbackRetries
	if ev.NoRetry {
		retries = 0
	}
	var failed []int
	for copyN := 0; copyN <= ev.Duplicates; copyN++ {
		ok, err := c.post(ctx, d, body, copyN, retries)
		if err != nil {
			return d, err
		}
		if !ok {
			failed = append(failed, copyN)
		}
	}
	if len(failed) > 0 {
		last := d.Attempts[len(d.Attempts)-1]
		return d, fmt.Errorf("%w: event %s (%s) to %s: copies %v failed; last attempt: %s",
			ErrCallbackFailed, env.EventID, env.EventType, c.url, failed, attemptSummary(last))
	}
	return d, nil
}

// post posts one copy, with its retries; it reports whether it got a 200.
// Its error is the context's.
func (c *Callbacks) post(ctx context.Context, d *CallbackDelivery, body []byte, copyN, retries int) (bool, error) {
	for try := 0; try <= retries; try++ {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		a := CallbackAttempt{Copy: copyN, Retry: try}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
		if err != nil {
			return false, fmt.Errorf("volcimtest: callback URL %q: %w", c.url, err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.client.Do(req)
		if err == nil {
			a.Body, err = io.ReadAll(io.LimitReader(resp.Body, maxCallbackReply))
			resp.Body.Close()
			a.Status = resp.StatusCode
		}
		a.Err = err
		d.Attempts = append(d.Attempts, a)
		if err := ctx.Err(); err != nil {
			return false, err
		}
		if a.Status == http.StatusOK && a.Err == nil {
			return true, nil
		}
	}
	return false, nil
}

func attemptSummary(a CallbackAttempt) string {
	if a.Err != nil {
		return a.Err.Error()
	}
	body := a.Body
	if len(body) > 200 {
		body = body[:200]
	}
	return fmt.Sprintf("HTTP %d %q", a.Status, body)
}

// UserMessage is a message a simulated user sends from a client SDK.
type UserMessage struct {
	// AppID is the conversation's app, required.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// Sender is the user sending, required (a member, when the
	// conversation records members).
	Sender int64
	// MsgType is the message's type (default volcim.MessageText).
	MsgType volcim.MessageType
	// Content is the message's content, required (volcim.TextContent for a
	// text message).
	Content string
	// Ext is the message's extension fields.
	Ext map[string]string
	// ClientMessageID is the client's id for the message (default: a
	// random one).
	ClientMessageID string
	// MentionedUsers are the users mentioned (@).
	MentionedUsers []int64
	// Priority is the message's priority in a live group.
	Priority volcim.MessagePriority
	// Header describes the sending client (default: ClientIP 127.0.0.1,
	// DeviceType volcimtest).
	Header map[string]string
}

// SendResult tells what became of a message sent with SendAsUser.
type SendResult struct {
	// Blocked reports that the BeforeSendMessage verdict refused the
	// message: it was not stored.
	Blocked bool
	// Verdict is the BeforeSendMessage verdict (the zero Verdict without
	// that callback).
	Verdict callback.Verdict
	// Message is the message stored, as GetMessages returns it (the zero
	// Message when blocked).
	Message volcim.Message
	// Before and After are the deliveries of BeforeSendMessage and
	// AfterSendMessage, nil for an event not delivered.
	Before, After *CallbackDelivery
}

// SendAsUser plays a user sending m from a client SDK, whose sends (unlike
// the OpenAPI's SendMessage) trigger the callbacks:
//
//  1. The send is checked as SendMessage checks it: the conversation must
//     exist, not be dismissed or generated, and count m.Sender among its
//     members (a conversation with no member recorded accepts anybody).
//     A refused send returns an error wrapping ErrSendRefused and
//     triggers no callback.
//  2. BeforeSendMessage is delivered, if subscribed (WithCallbackEvents),
//     and its answer read with callback.ParseVerdict: a blocked message is
//     not stored; a verdict's Content and Ext replace the message's. A
//     delivery that is never answered 200 stores nothing and returns an
//     error wrapping ErrCallbackFailed: how the service treats a failed
//     pre-send callback is not documented.
//  3. The message is stored as SendMessage stores it: a new MessageID, the
//     server's clock for CreateTime, the next IndexInConversation.
//  4. AfterSendMessage is delivered, if subscribed, with the stored
//     message. If it is never answered 200, the message stays stored and
//     the error wraps ErrCallbackFailed.
//
// The events' EventData is what callback.EncodeMessageData writes.
func (c *Callbacks) SendAsUser(ctx context.Context, m UserMessage) (*SendResult, error) {
	switch {
	case m.AppID <= 0 || m.ConversationShortID <= 0 || m.Sender <= 0:
		return nil, fmt.Errorf("%w: AppID %d, ConversationShortID %d and Sender %d must be positive", ErrSendRefused, m.AppID, m.ConversationShortID, m.Sender)
	case m.Content == "":
		return nil, fmt.Errorf("%w: empty Content", ErrSendRefused)
	}
	if m.MsgType == 0 {
		m.MsgType = volcim.MessageText
	}
	if m.ClientMessageID == "" {
		m.ClientMessageID = "volcimtest-client-" + hex.EncodeToString(randomBytes(8))
	}
	header := maps.Clone(m.Header)
	if header == nil {
		header = map[string]string{"ClientIP": "127.0.0.1", "DeviceType": "volcimtest"}
	}
	msg := volcim.Message{
		AppID:               m.AppID,
		ConversationShortID: m.ConversationShortID,
		ClientMsgID:         m.ClientMessageID,
		MsgType:             m.MsgType,
		Content:             m.Content,
		Ext:                 maps.Clone(m.Ext),
		Sender:              m.Sender,
	}
	if err := c.checkSend(&msg); err != nil {
		return nil, err
	}
	mentioned := slices.Clone(m.MentionedUsers)

	res := &SendResult{}
	if c.events[callback.TypeBeforeSendMessage] {
		pending := msg
		pending.CreateTime = c.srv.now().UTC().Truncate(time.Millisecond)
		data, err := callback.EncodeMessageData(pending, mentioned, m.Priority, header)
		if err != nil {
			return nil, err
		}
		d, err := c.DeliverEvent(ctx, CallbackEvent{Type: callback.TypeBeforeSendMessage, Data: data, AppID: m.AppID})
		res.Before = d
		if err != nil {
			return res, fmt.Errorf("volcimtest: SendAsUser: BeforeSendMessage: %w", err)
		}
		v, err := callback.ParseVerdict(d.Reply())
		if err != nil {
			return res, fmt.Errorf("volcimtest: SendAsUser: BeforeSendMessage answered %q: %w", d.Reply(), err)
		}
		res.Verdict = v
		if v.Block {
			res.Blocked = true
			return res, nil
		}
		if v.Content != nil {
			msg.Content = *v.Content
		}
		if v.Ext != nil {
			msg.Ext = maps.Clone(v.Ext)
		}
	}

	stored, err := c.store(msg)
	if err != nil {
		return res, err
	}
	res.Message = stored
	res.Message.Ext = maps.Clone(stored.Ext) // the stored map is never changed

	if c.events[callback.TypeAfterSendMessage] {
		data, err := callback.EncodeMessageData(stored, mentioned, m.Priority, header)
		if err != nil {
			return res, err
		}
		d, err := c.DeliverEvent(ctx, CallbackEvent{Type: callback.TypeAfterSendMessage, Data: data, AppID: m.AppID})
		res.After = d
		if err != nil {
			return res, fmt.Errorf("volcimtest: SendAsUser: AfterSendMessage: %w", err)
		}
	}
	return res, nil
}

// checkSend checks that msg may be sent, and sets its ConversationType.
func (c *Callbacks) checkSend(msg *volcim.Message) error {
	s := c.srv
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveConversation(msg.AppID, msg.ConversationShortID)
	if e != nil {
		return sendRefused(e)
	}
	if conv.generated {
		return fmt.Errorf("%w: conversation %d is generated (AddGeneratedConversation): it takes no new message", ErrSendRefused, msg.ConversationShortID)
	}
	if !conv.isMember(msg.Sender) {
		return sendRefused(newError(codeParticipantNotInConv, fmt.Sprintf("user %d is not a member of conversation %d", msg.Sender, msg.ConversationShortID)))
	}
	msg.ConversationType = conv.info.ConversationType
	return nil
}

// store stores msg as SendMessage does, checking the conversation again (it
// may have changed during the BeforeSendMessage callback).
func (c *Callbacks) store(msg volcim.Message) (volcim.Message, error) {
	s := c.srv
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(msg.AppID, msg.ConversationShortID)
	if e != nil {
		return volcim.Message{}, sendRefused(e)
	}
	if conv.generated || !conv.isMember(msg.Sender) {
		return volcim.Message{}, fmt.Errorf("%w: the conversation changed during BeforeSendMessage", ErrSendRefused)
	}
	now := s.now()
	msg.ConversationType = conv.info.ConversationType
	msg.MessageID = s.nextMessageID()
	msg.CreateTime = now.UTC().Truncate(time.Millisecond)
	msg.IndexInConversation = conv.nextIndex(now)
	msg.Status = volcim.MessageVisible
	conv.put(msg)
	return msg, nil
}

func sendRefused(e *apiError) error {
	return fmt.Errorf("%w: %s: %s", ErrSendRefused, e.code, e.message)
}
