package wukongim

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/internal/transport"
)

// Option configures a Client. Options validate their input: a bad value
// makes NewClient return an error.
type Option func(*config) error

// config is everything NewClient decides. The token passes through it and
// is cleared once the request path holds it.
type config struct {
	httpClient       *http.Client
	token            string
	hasToken         bool
	limiter          volcim.Limiter
	retry            volcim.RetryPolicy
	logger           *slog.Logger
	allowInsecure    bool
	channelID        string
	maxResponseBytes int64
	attemptTimeout   time.Duration
	chunkSize        int
}

// WithHTTPClient sends requests through hc's Transport (connection pooling,
// proxies, TLS settings). If hc has a Timeout and WithAttemptTimeout is not
// given, the Timeout bounds each attempt. hc's redirect and cookie settings
// are not used.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithToken sets the server's manager token (WuKongIM's managerToken
// setting), sent as the header "token: <value>" with every attempt. A server
// configured with a managerToken answers 401 with an empty body to any
// request without it. The token never appears in logs, errors or any fmt
// output of the Client.
func WithToken(token string) Option {
	return func(c *config) error {
		if token == "" {
			return errors.New("WithToken: empty token")
		}
		for i := 0; i < len(token); i++ {
			if b := token[i]; b < 0x20 && b != '\t' || b == 0x7f {
				// Say where, never what: the token must not reach an error.
				return fmt.Errorf("WithToken: the token has a control character at byte %d and cannot be sent in a header", i)
			}
		}
		c.token = token
		c.hasToken = true
		return nil
	}
}

// WithLimiter makes every attempt wait for l.Wait(ctx,
// ActionSearchMessages) before it is sent, e.g. a volcim.NewRateLimiter or a
// limiter shared across processes. The default is no limiter: WuKongIM
// documents no rate limit for its HTTP API.
func WithLimiter(l volcim.Limiter) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("WithLimiter: nil limiter")
		}
		c.limiter = l
		return nil
	}
}

// WithRetry sets the retry policy, with the volcim client's semantics and
// defaults: transport errors and HTTP 429, 500, 502, 503 and 504 are
// retried, other statuses never; waits grow exponentially from MinBackoff
// with full jitter up to MaxBackoff, and a Retry-After is honoured up to
// MaxBackoff. Zero fields take the defaults: 3 attempts, 100ms, 3s.
// MaxAttempts 1 disables retries. Every request of this package only reads,
// so a retry cannot change anything on the server.
func WithRetry(p volcim.RetryPolicy) Option {
	return func(c *config) error {
		if _, err := transport.RetryPolicy(p).Normalize(); err != nil {
			return fmt.Errorf("WithRetry: %w", err)
		}
		c.retry = p
		return nil
	}
}

// WithLogger logs every attempt and retry at debug level (action, attempt,
// status, waits), and replies that hold messages the request did not ask
// for at warn level, to l. The token is never logged. The default logs
// nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithInsecureHTTP allows a plain-http base URL on a host that is not
// loopback. WuKongIM's HTTP API (port 5001) usually runs plain http on a
// private network; with this option requests, and the token if one is set,
// cross that network unencrypted: use it only on a network you trust.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.allowInsecure = true
		return nil
	}
}

// DefaultChannelID is the channel_id sent by default with every search.
const DefaultChannelID = "_"

// WithChannelID sets the channel_id sent in the body of every search
// (default DefaultChannelID). A v2 server rejects a search without a
// non-empty channel_id (HTTP 400 "channel_id不能为空！"), then ignores it
// for the lookup, which spans every channel. In a cluster the request is
// forwarded to the node leading that channel's slot, and that node answers;
// this package has been checked against a single node only.
func WithChannelID(channelID string) Option {
	return func(c *config) error {
		if strings.TrimSpace(channelID) == "" {
			return errors.New("WithChannelID: the channel id must not be empty or blank (the server rejects it)")
		}
		c.channelID = channelID
		return nil
	}
}

// WithMaxResponseBytes caps the size of one reply body (default 32 MiB), so
// a broken server or proxy cannot exhaust memory. A chunk whose reply
// exceeds the cap is split in two and each half asked again; a single
// message over the cap fails the call.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes: %d is not positive", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// WithAttemptTimeout bounds each attempt (connection, request and reply
// body, after its wait for the limiter). A timed-out attempt is retried
// like a transport error. The default is 15s; a call as a whole is bounded
// by its context.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithAttemptTimeout: %s is not positive", d)
		}
		c.attemptTimeout = d
		return nil
	}
}

// WithChunkSize sets how many ids one request asks for, from 1 to
// MaxChunkSize (default DefaultChunkSize). Lower it when messages are large
// and the reply cap (WithMaxResponseBytes) is small; raise it to trade
// latency per request for fewer requests.
func WithChunkSize(n int) Option {
	return func(c *config) error {
		if n < 1 || n > MaxChunkSize {
			return fmt.Errorf("WithChunkSize: %d is outside 1 to %d", n, MaxChunkSize)
		}
		c.chunkSize = n
		return nil
	}
}
