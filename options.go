package volcim

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/volcim/volcim-go/internal/transport"
)

// Option configures a Client. Options validate their input: a bad value makes
// NewClient return an error.
type Option func(*config) error

// config is everything NewClient decides. It holds no secret: the
// credentials live in the signer only.
type config struct {
	region           string
	regionSet        bool
	endpoint         string
	allowInsecure    bool
	httpClient       *http.Client
	appID            int64
	userAgent        string
	logger           *slog.Logger
	retry            RetryPolicy
	limiter          Limiter
	rates            *Rates
	attemptTimeout   time.Duration
	maxResponseBytes int64
	sessionToken     string
	now              func() time.Time
}

// Regions with a known endpoint.
const (
	RegionCNNorth1     = "cn-north-1"     // https://rtc.volcengineapi.com (the default)
	RegionAPSoutheast1 = "ap-southeast-1" // https://open-ap-singapore-1.volcengineapi.com
)

var regionHosts = map[string]string{
	RegionCNNorth1:     "rtc.volcengineapi.com",
	RegionAPSoutheast1: "open-ap-singapore-1.volcengineapi.com",
}

// WithSessionToken sets an STS session token, sent (and signed) as
// X-Security-Token with every request. An empty token means none. A token
// with a control character other than a tab cannot be sent in a header and
// is an error. The token never appears in logs, errors or any fmt output.
func WithSessionToken(token string) Option {
	return func(c *config) error {
		for i := 0; i < len(token); i++ {
			if b := token[i]; b < 0x20 && b != '\t' || b == 0x7f {
				// Say where, never what: the token must not reach an error.
				return fmt.Errorf("WithSessionToken: the token has a control character at byte %d and cannot be sent in a header", i)
			}
		}
		c.sessionToken = token
		return nil
	}
}

// WithRegion selects the region: cn-north-1 (the default) or
// ap-southeast-1. Any other region is an error unless WithEndpoint names the
// host; the region is then used only for signing.
func WithRegion(region string) Option {
	return func(c *config) error {
		if region == "" {
			return errors.New("WithRegion: empty region")
		}
		c.region = region
		c.regionSet = true
		return nil
	}
}

// WithEndpoint sends requests to baseURL (scheme, host and optional path)
// instead of the region's host, e.g. a test server or a proxy. Plain http is
// accepted only for a loopback host (127.0.0.0/8, ::1, localhost) unless
// WithInsecureHTTP is given too, so that signed requests and session tokens
// do not travel in clear text by accident.
func WithEndpoint(baseURL string) Option {
	return func(c *config) error {
		if _, err := transport.ParseEndpoint(baseURL, true); err != nil {
			return fmt.Errorf("WithEndpoint: %w", err)
		}
		c.endpoint = baseURL
		return nil
	}
}

// WithInsecureHTTP allows a plain-http endpoint on a non-loopback host. Every
// request, its signature and any session token then cross the network
// unencrypted: use it only on a network you trust.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.allowInsecure = true
		return nil
	}
}

// WithHTTPClient sends requests through hc's Transport (connection pooling,
// proxies, TLS settings), read when each attempt is sent: a test may replace
// it after NewClient (httpmock.ActivateNonDefault(hc) works in either order).
// If hc has a Timeout and WithAttemptTimeout is not given, the Timeout bounds
// each attempt. hc's redirect and cookie settings are not used: the API never
// redirects. Without this option, requests go through http.DefaultTransport,
// also read at send time (so httpmock.Activate works in either order too).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithAppID sets the AppID used by requests that leave theirs zero. appID
// must be positive: a zero or negative one makes NewClient fail (leave the
// option out to have none; every request must then carry its AppID).
func WithAppID(appID int64) Option {
	return func(c *config) error {
		if appID <= 0 {
			return fmt.Errorf("WithAppID: %d is not a valid AppID", appID)
		}
		c.appID = appID
		return nil
	}
}

// WithUserAgent replaces the User-Agent header ("volcim-go/<version>").
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		c.userAgent = ua
		return nil
	}
}

// WithLogger logs every attempt and retry at debug level (action, attempt,
// status, waits) to l. Nothing secret is ever logged. The default logs
// nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// RetryPolicy bounds the retries of a call. Only faults that cannot have
// changed anything are retried (the API's actions here only read): transport
// errors, HTTP 429, 500, 502, 503 and 504, and throttling codes
// (FlowLimitExceeded..., AccountFlowLimitExceeded) whatever the status.
// Other 4xx replies and business errors are never retried.
//
// Waits grow exponentially from MinBackoff with full jitter, capped at
// MaxBackoff; a Retry-After from the server is honoured up to MaxBackoff.
// Zero fields take the defaults: 3 attempts, 100ms, 3s. MaxAttempts 1
// disables retries.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts in all, the first included;
	// 0 means 3, 1 disables retries.
	MaxAttempts int
	// MinBackoff is the shortest wait before a retry; 0 means 100ms.
	MinBackoff time.Duration
	// MaxBackoff caps every wait, a server's Retry-After included; 0
	// means 3s.
	MaxBackoff time.Duration
}

func (p RetryPolicy) normalize() (transport.RetryPolicy, error) {
	return transport.RetryPolicy(p).Normalize()
}

// WithRetry sets the client's retry policy.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if _, err := p.normalize(); err != nil {
			return fmt.Errorf("WithRetry: %w", err)
		}
		c.retry = p
		return nil
	}
}

// WithAttemptTimeout bounds each attempt (connection, request and reply
// body, after its wait for the rate limiter). A timed-out attempt is retried
// like a transport error. The default is 15s; the call as a whole is bounded
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

// WithRateLimit gives this client its own limiter that allows every action
// qps calls per second, with no shared budget (NewRateLimiter(qps)), instead
// of the process-wide one shared by every client of the access key. It is
// meant for tests (a high qps turns limiting off) and for a fixed share of
// the budget; WithRates keeps the API's table.
func WithRateLimit(qps float64) Option {
	return func(c *config) error {
		if !(qps > 0) || math.IsInf(qps, 0) {
			return fmt.Errorf("WithRateLimit: %v is not a positive rate", qps)
		}
		c.rates = &Rates{Default: qps}
		c.limiter = nil
		return nil
	}
}

// WithRates gives this client its own limiter (NewLimiter(r)) for the table
// r, e.g. DefaultRates() with a row lowered for a service that gets a share
// of the account's budget. A rate that is not positive is an error.
func WithRates(r Rates) Option {
	return func(c *config) error {
		if err := r.validate(); err != nil {
			return fmt.Errorf("WithRates: %w", err)
		}
		c.rates = &r
		c.limiter = nil
		return nil
	}
}

// WithLimiter replaces the rate limiter, e.g. with one shared across
// processes (see the redislimit module). The client calls l.Wait before every
// attempt of every call, and l.Throttled after every throttled reply.
func WithLimiter(l Limiter) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("WithLimiter: nil limiter")
		}
		c.limiter = l
		c.rates = nil
		return nil
	}
}

// WithMaxResponseBytes caps the size of a reply body (default 32 MiB), so a
// broken proxy cannot exhaust the service's memory. A larger reply fails the
// call.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxResponseBytes: %d is not positive", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// CallOption overrides a client setting for one call. It is applied to a copy
// of the client's settings; the client itself never changes.
type CallOption func(*callConfig) error

type callConfig struct {
	appID          int64
	retry          *transport.RetryPolicy
	attemptTimeout time.Duration
	header         http.Header
}

// WithCallRetry sets the retry policy of one call, e.g. RetryPolicy{MaxAttempts: 1}
// for a latency-critical path.
func WithCallRetry(p RetryPolicy) CallOption {
	return func(c *callConfig) error {
		n, err := p.normalize()
		if err != nil {
			return fmt.Errorf("WithCallRetry: %w", err)
		}
		c.retry = &n
		return nil
	}
}

// WithCallAttemptTimeout bounds each attempt of one call.
func WithCallAttemptTimeout(d time.Duration) CallOption {
	return func(c *callConfig) error {
		if d <= 0 {
			return fmt.Errorf("WithCallAttemptTimeout: %s is not positive", d)
		}
		c.attemptTimeout = d
		return nil
	}
}

// WithCallHeader adds a header to one call (an X-* header is signed, like
// every X-* header). Authorization, Host and the signing headers cannot be
// set this way, and a name that is not an HTTP token or a value with control
// characters is refused: the call then fails before anything is sent.
func WithCallHeader(key, value string) CallOption {
	return func(c *callConfig) error {
		k := http.CanonicalHeaderKey(key)
		switch k {
		case "", "Authorization", "Host", "X-Date", "X-Content-Sha256", "X-Security-Token", "Content-Type", "Content-Length":
			return fmt.Errorf("WithCallHeader: %q cannot be set per call", key)
		}
		if !validHeaderName(key) {
			return fmt.Errorf("WithCallHeader: %q is not a valid header name", key)
		}
		if !validHeaderValue(value) {
			return fmt.Errorf("WithCallHeader: the value of %s has control characters", k)
		}
		if c.header == nil {
			c.header = make(http.Header)
		}
		c.header.Add(k, value)
		return nil
	}
}

// WithCallAppID sets the AppID of one call whose request leaves it zero,
// overriding WithAppID.
func WithCallAppID(appID int64) CallOption {
	return func(c *callConfig) error {
		if appID <= 0 {
			return fmt.Errorf("WithCallAppID: %d is not a valid AppID", appID)
		}
		c.appID = appID
		return nil
	}
}

// validHeaderName reports whether name is an HTTP token (RFC 9110).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		ch := name[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", ch) >= 0:
		default:
			return false
		}
	}
	return true
}

// validHeaderValue reports whether v has no control character other than a
// horizontal tab (net/http refuses the rest when sending).
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if ch := v[i]; ch < ' ' && ch != '\t' || ch == 0x7f {
			return false
		}
	}
	return true
}
