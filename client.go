package volcim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/volcim/volcim-go/internal/transport"
	"github.com/volcim/volcim-go/signer"
)

// Version is this SDK's version, sent in the default User-Agent.
const Version = "0.2.0"

// APIVersion is the API version every action of this client calls.
const APIVersion = "2020-12-01"

// Environment variables read by NewClientFromEnv.
const (
	EnvAccessKey    = "VOLC_ACCESSKEY"
	EnvSecretKey    = "VOLC_SECRETKEY"
	EnvSessionToken = "VOLC_SESSIONTOKEN"
)

const (
	serviceName = "rtc"
)

// Client calls the Volcengine RTC IM OpenAPI. Every request is signed with
// Volcengine V4 (HMAC-SHA256) credentials, waits for the rate limiter (the
// API's documented limits, DefaultRates, shared by every client of the access
// key in the process), and is retried on transient faults with a fresh
// signature, as far as the action's retry class allows.
//
// A Client is safe for concurrent use and cheap to share: build one per
// account and reuse it. Printing a Client (%v, %+v, %#v) never shows its
// secret key or session token. The zero Client is not usable: its methods
// return an error; build one with NewClient.
type Client struct {
	cfg       config
	accessKey string
	endpoint  string
	signer    *signer.Signer
	path      *transport.Path
	urls      []string   // action index → request URL
	parsed    []*url.URL // action index → request URL, parsed once
	header    http.Header
}

// NewClient returns a client for the access key pair. Both keys must be
// non-empty; options are validated, and a bad one is returned as an error.
func NewClient(accessKey, secretKey string, opts ...Option) (*Client, error) {
	if accessKey == "" || secretKey == "" {
		return nil, errors.New("volcim: NewClient: access key and secret key must both be set")
	}
	cfg := config{region: RegionCNNorth1, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("volcim: NewClient: %w", err)
		}
	}
	base, err := baseURL(&cfg)
	if err != nil {
		return nil, fmt.Errorf("volcim: NewClient: %w", err)
	}
	s, err := signer.New(signer.Credentials{
		AccessKeyID:     accessKey,
		SecretAccessKey: secretKey,
		SessionToken:    cfg.sessionToken,
	}, cfg.region, serviceName)
	if err != nil {
		return nil, fmt.Errorf("volcim: NewClient: %w", err)
	}
	cfg.sessionToken = "" // kept by the signer only
	retry, err := cfg.retry.normalize()
	if err != nil {
		return nil, fmt.Errorf("volcim: NewClient: %w", err)
	}
	var limiter Limiter
	switch {
	case cfg.limiter != nil:
		limiter = cfg.limiter
	case cfg.rates != nil:
		l, err := NewLimiter(*cfg.rates)
		if err != nil {
			return nil, fmt.Errorf("volcim: NewClient: %w", err)
		}
		limiter = l
	default:
		limiter = accountLimiter(accessKey)
	}
	cfg.limiter = limiter
	ua := cfg.userAgent
	if ua == "" {
		ua = "volcim-go/" + Version
	}
	c := &Client{
		cfg:       cfg,
		accessKey: accessKey,
		endpoint:  base,
		signer:    s,
		urls:      make([]string, len(registry)),
		parsed:    make([]*url.URL, len(registry)),
		header: http.Header{
			"Content-Type": {"application/json"},
			"Accept":       {"application/json"},
			"User-Agent":   {ua},
		},
	}
	now := cfg.now
	c.path = transport.New(transport.Config{
		HTTPClient:       cfg.httpClient,
		Limiter:          limiter,
		Logger:           cfg.logger,
		LogPrefix:        "volcim",
		MaxResponseBytes: cfg.maxResponseBytes,
		Retry:            retry,
		AttemptTimeout:   cfg.attemptTimeout,
		Prepare: func(req *http.Request, body []byte) error {
			return s.Sign(req, body, now())
		},
		Throttled: throttledBody,
	})
	for i, a := range registry {
		raw := base + "?Action=" + a.name + "&Version=" + APIVersion
		// Parsed as net/http parses it, once rather than on every call.
		req, err := http.NewRequest(http.MethodPost, raw, nil)
		if err != nil {
			return nil, fmt.Errorf("volcim: NewClient: %w", err)
		}
		c.urls[i] = raw
		c.parsed[i] = req.URL
	}
	return c, nil
}

// NewClientFromEnv returns a client for the credentials in the environment:
// VOLC_ACCESSKEY and VOLC_SECRETKEY (both required) and, for STS
// credentials, VOLC_SESSIONTOKEN. Options given here win over the
// environment. No file is read.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	ak, sk := os.Getenv(EnvAccessKey), os.Getenv(EnvSecretKey)
	if ak == "" || sk == "" {
		return nil, fmt.Errorf("volcim: NewClientFromEnv: %s and %s must both be set", EnvAccessKey, EnvSecretKey)
	}
	if tok := os.Getenv(EnvSessionToken); tok != "" {
		opts = append([]Option{WithSessionToken(tok)}, opts...)
	}
	return NewClient(ak, sk, opts...)
}

// baseURL resolves the endpoint from the region and WithEndpoint, and applies
// the plain-http rule.
func baseURL(cfg *config) (string, error) {
	if cfg.endpoint == "" {
		host, ok := regionHosts[cfg.region]
		if !ok {
			return "", fmt.Errorf("unknown region %q (known: %s, %s; give WithEndpoint for another)", cfg.region, RegionCNNorth1, RegionAPSoutheast1)
		}
		return "https://" + host + "/", nil
	}
	u, err := transport.ParseEndpoint(cfg.endpoint, cfg.allowInsecure)
	if errors.Is(err, transport.ErrInsecureEndpoint) {
		return "", fmt.Errorf("%w (use https, or volcim.WithInsecureHTTP() to accept that)", err)
	}
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// Region returns the region the client signs for.
func (c *Client) Region() string { return c.cfg.region }

// String describes the client without any secret: its access key id, region
// and endpoint.
func (c *Client) String() string {
	if c == nil {
		return "volcim.Client(nil)"
	}
	return fmt.Sprintf("volcim.Client{AccessKey: %s, Region: %s, Endpoint: %s}", c.accessKey, c.cfg.region, c.endpoint)
}

// GoString is String, so %#v shows no secret either.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb, so no formatting of a Client can
// reach the credentials inside it.
func (c *Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// retryClass says when a failed call of an action may be sent again. Each
// action declares one where it is defined (see [defineAction]); the README's
// table lists them.
type retryClass int

const (
	// retryRead: a read. Retried after transport errors, attempt
	// timeouts, throttling and HTTP 429, 500, 502, 503, 504.
	retryRead retryClass = iota
	// retryConverges: a write whose retry leaves the same end state (a
	// set, a replace, an add or a remove), retried like a read. A retry of
	// one that had in fact succeeded may answer an error of its own (a
	// recall of a recalled message): APIError.Attempts > 1 tells.
	retryConverges
	// retryKeyed: a write with an idempotency key that the SDK fills when
	// the caller leaves it empty (SendMessage's ClientMsgID,
	// CreateConversation's IdempotentID), retried like a read: the server
	// does not act twice on one key.
	retryKeyed
	// retryUnsafe: a write with no key (BatchSendMessage, UserBroadcast).
	// Retried only when the reply proves the server did not act (HTTP 429
	// or a throttling code, a transport error before any byte of the
	// request was written). Any other failure that may have reached the
	// server wraps ErrOutcomeUnknown.
	retryUnsafe
)

// String names the class as the README's action table does.
func (r retryClass) String() string {
	switch r {
	case retryRead:
		return "read"
	case retryConverges:
		return "converges"
	case retryKeyed:
		return "idempotency key"
	case retryUnsafe:
		return "not retried once sent"
	}
	return "retryClass(?)"
}

// apiAction is one action of the API and how the request path treats it.
type apiAction struct {
	name  string
	retry retryClass
	// result says whether the action documents a Result: a successful
	// reply without one (absent or null) is malformed. Actions that
	// document none may answer an empty, null or absent Result.
	result bool
	index  int // position in registry
}

// registry lists every action, in the order of their definition. It is
// filled while the package is initialised (defineAction) and only read
// afterwards.
var registry []*apiAction

// defineAction declares an action; each area file declares its actions with
// it, beside their methods.
func defineAction(name string, retry retryClass, hasResult bool) *apiAction {
	a := &apiAction{name: name, retry: retry, result: hasResult, index: len(registry)}
	registry = append(registry, a)
	return a
}

// invalid reports bad input to a's call before anything is sent.
func (a *apiAction) invalid(field, format string, args ...any) error {
	return invalid(a.name, field, format, args...)
}

// settings checks what every call needs before anything is sent (a usable
// client, a context), applies the call's options to a copy of the client's
// settings and resolves the AppID: the request's, else WithCallAppID's, else
// WithAppID's. Errors wrap ErrInvalidRequest.
func (c *Client) settings(ctx context.Context, a *apiAction, reqAppID int64, opts []CallOption) (callConfig, int64, error) {
	switch {
	case c == nil || c.path == nil:
		return callConfig{}, 0, a.invalid("", "the Client is not initialised: create it with NewClient")
	case ctx == nil:
		return callConfig{}, 0, a.invalid("", "nil context.Context")
	}
	cc := callConfig{appID: c.cfg.appID}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cc); err != nil {
			return cc, 0, a.invalid("", "%v", err)
		}
	}
	appID := reqAppID
	if appID == 0 {
		appID = cc.appID
	}
	if appID <= 0 {
		return cc, 0, a.invalid("AppID", "must be positive (set it on the request, or with WithAppID or WithCallAppID), got %d", appID)
	}
	return cc, appID, nil
}

// call is the one place a request is sent and its reply decoded: body is
// the action's wire request (encoded with encoding/json), weight what the
// call weighs for the limiter (1 unless it delivers many messages). It
// returns the reply's Result, decoded, and its metadata.
func call[R any](ctx context.Context, c *Client, a *apiAction, cc *callConfig, body any, weight int) (*R, ResponseMetadata, error) {
	b, err := encodeBody(body)
	if err != nil {
		return nil, ResponseMetadata{}, a.invalid("", "the request cannot be encoded: %v", err)
	}
	h := c.header // shared by the calls that add no header: the path only reads it
	if len(cc.header) > 0 {
		h = make(http.Header, len(c.header)+len(cc.header))
		for k, v := range c.header {
			h[k] = v
		}
		for k, v := range cc.header {
			h[k] = v
		}
	}
	class := transport.RetrySafe
	if a.retry == retryUnsafe {
		class = transport.RetryUnsafe
	}
	resp, err := c.path.Do(ctx, &transport.Call{
		Action:         a.name,
		Method:         http.MethodPost,
		URL:            c.urls[a.index],
		ParsedURL:      c.parsed[a.index],
		Header:         h,
		Body:           b,
		Retry:          cc.retry,
		AttemptTimeout: cc.attemptTimeout,
		Class:          class,
		Weight:         weight,
	})
	if err != nil {
		return nil, ResponseMetadata{}, transportError(err)
	}
	defer resp.Release()
	res, meta, err := decodeReply[R](a, resp)
	if err != nil {
		return nil, ResponseMetadata{}, err
	}
	return res, meta, nil
}
