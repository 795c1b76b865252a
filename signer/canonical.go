package signer

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

const upperHex = "0123456789ABCDEF"

// unreserved reports whether c is kept as is by the V4 percent-encoding:
// A-Z a-z 0-9 - _ . ~
func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// appendEscaped appends s with every byte but the unreserved ones
// percent-encoded in upper-case hex. For a query key or value this is
// url.QueryEscape with a space as %20 instead of +.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

// appendCanonicalPath appends the canonical form of the decoded URL path p:
// every '/'-separated segment escaped, and "/" for an empty path.
func appendCanonicalPath(dst []byte, p string) []byte {
	if p == "" {
		return append(dst, '/')
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '/' || unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

// appendCanonicalQuery appends the canonical form of the raw query: the pairs
// that url.ParseQuery accepts, keys sorted bytewise, the values of a key in
// their original order, keys and values escaped with appendEscaped. It is
// what the official SDK computes with url.Values.Encode and "+" → "%20".
//
// A query that is canonical already (the usual "Action=...&Version=..."), is
// appended as is without parsing it.
func appendCanonicalQuery(dst []byte, raw string) []byte {
	if isCanonicalQuery(raw) {
		return append(dst, raw...)
	}
	values, _ := url.ParseQuery(raw) // as url.URL.Query: malformed pairs are dropped
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	first := true
	for _, k := range keys {
		for _, v := range values[k] {
			if !first {
				dst = append(dst, '&')
			}
			first = false
			dst = appendEscaped(dst, k)
			dst = append(dst, '=')
			dst = appendEscaped(dst, v)
		}
	}
	return dst
}

// isCanonicalQuery reports whether raw is its own canonical form: non-empty
// key=value pairs joined by '&', keys made of unreserved bytes only and in
// non-decreasing order, values made of unreserved bytes and upper-case %XX
// escapes of bytes that must be escaped. A false result only means "take the
// general path".
func isCanonicalQuery(raw string) bool {
	prev := ""
	for i := 0; raw != ""; i++ {
		pair, rest, more := strings.Cut(raw, "&")
		if more && rest == "" {
			return false // a trailing '&' is dropped by parsing
		}
		raw = rest
		key, value, ok := strings.Cut(pair, "=")
		if !ok || !isUnreserved(key) || !isCanonicalValue(value) {
			return false
		}
		if i > 0 && key < prev {
			return false
		}
		prev = key
	}
	return true
}

func isUnreserved(s string) bool {
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			return false
		}
	}
	return true
}

func isCanonicalValue(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			continue
		}
		if c != '%' || i+2 >= len(s) {
			return false
		}
		hi, lo := upperHexValue(s[i+1]), upperHexValue(s[i+2])
		if hi < 0 || lo < 0 || unreserved(byte(hi<<4|lo)) {
			return false
		}
		i += 2
	}
	return true
}

// upperHexValue returns the value of an upper-case hex digit, or -1.
func upperHexValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

// requestHost returns the host a request is sent to (or was received for):
// r.Host, or r.URL.Host when r.Host is empty.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	if r.URL != nil {
		return r.URL.Host
	}
	return ""
}

// canonicalHost trims h and drops a default port the way the official Go SDK
// does: when the text between the first and the second ':' is "80" or "443",
// everything from the first ':' on is dropped.
func canonicalHost(h string) string {
	h = strings.TrimSpace(h)
	i := strings.IndexByte(h, ':')
	if i < 0 {
		return h
	}
	port := h[i+1:]
	if j := strings.IndexByte(port, ':'); j >= 0 {
		port = port[:j]
	}
	if port == "80" || port == "443" {
		return h[:i]
	}
	return h
}

// requestMethod returns r.Method, or GET (what net/http sends) when it is empty.
func requestMethod(r *http.Request) string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

// appendLower appends the ASCII lower-case form of s.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// compareFold compares a and b as their ASCII lower-case forms would compare.
func compareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := a[i], b[i]
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}
