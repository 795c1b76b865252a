package volcim

import (
	"bytes"
	"context"
	"encoding/json"
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
// Volcengine V4 (HMAC-SHA256) credentials, waits for the rate limiter (100
// QPS per action by default, shared by every client of the access key in the
// process), and is retried on transient faults with a fresh signature.
//
// A Client is safe for concurrent use and cheap to share: build one per
// account and reuse it. Printing a Client (%v, %+v, %#v) never shows its
// secret key or session token.
type Client struct {
	cfg       config
	accessKey string
	signer    *signer.Signer
	path      *transport.Path
	urls      map[string]string   // action → request URL
	parsed    map[string]*url.URL // action → request URL, parsed once
	header    http.Header         // the headers of every call; never modified
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
	limiter := cfg.limiter
	switch {
	case limiter != nil:
	case cfg.qps > 0:
		limiter = NewRateLimiter(cfg.qps)
	default:
		limiter = accountLimiter(accessKey)
	}
	cfg.limiter = limiter
	rt, attemptTimeout := transport.FromHTTPClient(cfg.httpClient, cfg.attemptTimeout)
	ua := cfg.userAgent
	if ua == "" {
		ua = "volcim-go/" + Version
	}
	c := &Client{
		cfg:       cfg,
		accessKey: accessKey,
		signer:    s,
		urls:      make(map[string]string, len(actions)),
		parsed:    make(map[string]*url.URL, len(actions)),
		header: http.Header{
			"Content-Type": {"application/json"},
			"Accept":       {"application/json"},
			"User-Agent":   {ua},
		},
	}
	now := cfg.now
	c.path = transport.New(transport.Config{
		Base:             rt,
		Limiter:          limiter,
		Logger:           cfg.logger,
		LogPrefix:        "volcim",
		MaxResponseBytes: cfg.maxResponseBytes,
		Retry:            retry,
		AttemptTimeout:   attemptTimeout,
		Prepare: func(req *http.Request, body []byte) error {
			return s.Sign(req, body, now())
		},
		Throttled: throttledBody,
	})
	for _, a := range actions {
		raw := base + "?Action=" + a + "&Version=" + APIVersion
		// Parsed as net/http parses it, once rather than on every call.
		req, err := http.NewRequest(http.MethodPost, raw, nil)
		if err != nil {
			return nil, fmt.Errorf("volcim: NewClient: %w", err)
		}
		c.urls[a] = raw
		c.parsed[a] = req.URL
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

// String describes the client without any secret.
func (c *Client) String() string {
	if c == nil {
		return "volcim.Client(nil)"
	}
	return fmt.Sprintf("volcim.Client{AccessKey: %s, Region: %s, Endpoint: %s}", c.accessKey, c.cfg.region, c.urls[actions[0]])
}

// GoString is String, so %#v shows no secret either.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb, so no formatting of a Client can
// reach the credentials inside it.
func (c *Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// Action names of the API.
const (
	actionGetMessages             = "GetMessages"
	actionGetConversationMessages = "GetConversationMessages"
	actionBatchGetConversations   = "BatchGetConversations"
)

var actions = []string{actionGetMessages, actionGetConversationMessages, actionBatchGetConversations}

// callSettings applies a call's options to a copy of the client's settings
// and resolves its AppID: the request's, else WithCallAppID's, else
// WithAppID's. Errors wrap ErrInvalidRequest.
func (c *Client) callSettings(action string, reqAppID int64, opts []CallOption) (callConfig, int64, error) {
	cc := callConfig{appID: c.cfg.appID}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cc); err != nil {
			return cc, 0, invalid(action, "", "%v", err)
		}
	}
	appID := reqAppID
	if appID == 0 {
		appID = cc.appID
	}
	if appID <= 0 {
		return cc, 0, invalid(action, "AppID", "must be positive (set it on the request or with WithAppID), got %d", appID)
	}
	return cc, appID, nil
}

// envelope is the API's reply: metadata and a typed result, decoded in one
// pass.
type envelope[R any] struct {
	ResponseMetadata wireMetadata `json:"ResponseMetadata"`
	Result           R            `json:"Result"`
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

// invoke is the one place a request is built, sent and decoded. body is the
// JSON request; result receives the reply's Result (decoded into what result
// holds, so a slice in it with room to spare is filled in place).
func invoke[R any](ctx context.Context, c *Client, action string, cc *callConfig, body []byte, result *R) (ResponseMetadata, error) {
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
	resp, err := c.path.Do(ctx, &transport.Call{
		Action:         action,
		Method:         http.MethodPost,
		URL:            c.urls[action],
		ParsedURL:      c.parsed[action],
		Header:         h,
		Body:           body,
		Retry:          cc.retry,
		AttemptTimeout: cc.attemptTimeout,
	})
	if err != nil {
		return ResponseMetadata{}, fmt.Errorf("volcim: %w", err)
	}
	defer resp.Release()

	env := envelope[R]{Result: *result}
	decodeErr := json.Unmarshal(resp.Body, &env)
	*result = env.Result
	meta := &env.ResponseMetadata
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode < 300
	if decodeErr != nil && ok2xx {
		return ResponseMetadata{}, fmt.Errorf("volcim: %s: HTTP %d reply is not the API's JSON: %w (body starts %q)", action, resp.StatusCode, decodeErr, transport.Excerpt(resp.Body))
	}
	if !ok2xx || !meta.Error.empty() {
		return ResponseMetadata{}, newAPIError(action, resp, meta, decodeErr != nil)
	}
	return ResponseMetadata{
		RequestID: meta.RequestID,
		Action:    meta.Action,
		Version:   meta.Version,
		Service:   meta.Service,
		Region:    meta.Region,
	}, nil
}

func newAPIError(action string, resp *transport.Response, meta *wireMetadata, notJSON bool) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Action:     action,
		Attempts:   resp.Attempts,
	}
	if d, ok := transport.RetryAfter(&http.Response{Header: resp.Header}, time.Now()); ok {
		e.RetryAfter = d
	}
	switch {
	case notJSON:
		e.Message = transport.Excerpt(resp.Body)
	case meta.Error.empty():
		e.RequestID = meta.RequestID
		e.Message = http.StatusText(resp.StatusCode)
	default:
		e.RequestID = meta.RequestID
		e.Code = meta.Error.Code
		e.CodeN = meta.Error.CodeN
		e.Message = meta.Error.Message
	}
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
