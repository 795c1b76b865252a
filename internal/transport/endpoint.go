package transport

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrInsecureEndpoint is wrapped by ParseEndpoint's error for a plain-http
// URL on a host that is not loopback, when insecure http is not allowed.
var ErrInsecureEndpoint = errors.New("plain http on a host that is not loopback")

// ParseEndpoint parses a base URL given by a user: absolute http or https,
// no query, fragment or user info. Plain http is refused unless the host is
// loopback (127.0.0.0/8, ::1, localhost) or allowInsecure is set, so that
// credentials and signed requests do not cross a network in clear text by
// accident. The path defaults to "/".
func ParseEndpoint(baseURL string, allowInsecure bool) (*url.URL, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%q must not carry a query, fragment or user info", u.Redacted())
	}
	if u.Scheme == "http" && !allowInsecure && !IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("endpoint %q: %w: requests and credentials would travel unencrypted", u.Redacted(), ErrInsecureEndpoint)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u, nil
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
