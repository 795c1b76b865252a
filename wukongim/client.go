package wukongim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/internal/transport"
)

// ActionSearchMessages names the batch message search in logs, errors and
// Limiter.Wait calls. It is distinct from every volcim action, so one
// limiter can serve both clients.
const ActionSearchMessages = "wukongim.SearchMessages"

// Client calls the HTTP API of one WuKongIM server (or cluster entry
// point). Every request goes through the SDK's shared request path: it
// waits for the limiter if one is set, gets the token header if one is set,
// and is retried on transport errors and 429/5xx replies.
//
// A Client is safe for concurrent use. Printing it (%v, %+v, %#v, ...)
// never shows the token.
type Client struct {
	endpoint  string // base URL, as given (validated)
	searchURL string
	channelID string
	bodyHead  []byte // `{"channel_id":<json>,"message_ids":`
	chunkSize int
	hasToken  bool
	path      *transport.Path
	logger    *slog.Logger
	userAgent []string
}

// NewClient returns a client for the WuKongIM HTTP API at baseURL, e.g.
// "http://127.0.0.1:5001" (the server's HTTP API address; a path prefix is
// kept, for a server behind a proxy).
//
// Plain http is accepted only for a loopback host (127.0.0.0/8, ::1,
// localhost) unless WithInsecureHTTP is given. Options are validated; a bad
// one is returned as an error.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	cfg := config{channelID: DefaultChannelID, chunkSize: DefaultChunkSize}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("wukongim: NewClient: %w", err)
		}
	}
	u, err := transport.ParseEndpoint(baseURL, cfg.allowInsecure)
	switch {
	case errors.Is(err, transport.ErrInsecureEndpoint):
		return nil, fmt.Errorf("wukongim: NewClient: %w (use https; or, as WuKongIM's API usually runs on a private network, pass wukongim.WithInsecureHTTP() if you trust it)", err)
	case err != nil:
		return nil, fmt.Errorf("wukongim: NewClient: %w", err)
	}
	retry, err := transport.RetryPolicy(cfg.retry).Normalize()
	if err != nil {
		return nil, fmt.Errorf("wukongim: NewClient: %w", err)
	}
	channelJSON, err := json.Marshal(cfg.channelID)
	if err != nil {
		return nil, fmt.Errorf("wukongim: NewClient: channel id: %w", err)
	}
	var limiter transport.Limiter
	if cfg.limiter != nil {
		limiter = cfg.limiter
	}
	c := &Client{
		endpoint:  u.Redacted(),
		searchURL: u.JoinPath("messages").String(),
		channelID: cfg.channelID,
		bodyHead:  append(append([]byte(`{"channel_id":`), channelJSON...), `,"message_ids":`...),
		chunkSize: cfg.chunkSize,
		hasToken:  cfg.hasToken,
		logger:    cfg.logger,
		userAgent: []string{"volcim-go/" + volcim.Version + " (wukongim)"},
	}
	// The token lives in this closure only: not in the Client, not in the
	// config, so no formatting or logging of either can reach it. The shared
	// path never follows redirects, so it goes nowhere but the configured
	// server.
	var tokenHeader []string
	if cfg.hasToken {
		tokenHeader = []string{cfg.token}
	}
	cfg.token = ""
	prepare := func(req *http.Request, _ []byte) error {
		if tokenHeader != nil {
			req.Header["Token"] = tokenHeader
		}
		return nil
	}
	c.path = transport.New(transport.Config{
		HTTPClient:       cfg.httpClient,
		Limiter:          limiter,
		Logger:           cfg.logger,
		LogPrefix:        "wukongim",
		MaxResponseBytes: cfg.maxResponseBytes,
		Retry:            retry,
		AttemptTimeout:   cfg.attemptTimeout,
		Prepare:          prepare,
	})
	return c, nil
}

// String describes the client without the token.
func (c *Client) String() string {
	if c == nil {
		return "wukongim.Client(nil)"
	}
	token := "none"
	if c.hasToken {
		token = "set"
	}
	return "wukongim.Client{Endpoint: " + c.endpoint + ", ChannelID: " + strconv.Quote(c.channelID) +
		", ChunkSize: " + strconv.Itoa(c.chunkSize) + ", Token: " + token + "}"
}

// GoString is String, so %#v shows no secret either.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb, so no formatting of a Client can
// reach what is inside it.
func (c *Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }
