// Package signer implements Volcengine V4 request signing ("HMAC-SHA256"),
// byte for byte as the official Go SDK (github.com/volcengine/volc-sdk-golang/base)
// signs, and its server-side verification.
//
// A [Signer] signs requests for one credential set, region and service:
//
//	s, err := signer.New(signer.Credentials{AccessKeyID: ak, SecretAccessKey: sk}, "cn-north-1", "rtc")
//	...
//	err = s.Sign(req, body, time.Now())
//
// [Verify] checks a received request's signature, for servers and fakes.
//
// The package uses the standard library only (and this module's internal
// redaction helper).
package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/volcim/volcim-go/internal/redact"
)

const (
	algorithm = "HMAC-SHA256"
	// timeFormat is the layout of X-Date.
	timeFormat = "20060102T150405Z"
	// defaultContentType is the Content-Type that the official SDK sets and
	// signs when a request has none.
	defaultContentType = "application/x-www-form-urlencoded; charset=utf-8"
)

// Signer signs requests for one credential set, region and service.
//
// Make one with [New]; a Signer is safe for concurrent use. It caches the signing key derived for
// the latest UTC date, so signing repeatedly on one day does not recompute
// the HMAC key chain.
//
// Printing a *Signer with any fmt verb shows the access key id, region and
// service, never the secret key, the session token or a signing key, also
// inside slices, maps and struct fields.
type Signer struct {
	// creds is behind a pointer: where fmt cannot call Format (a *Signer
	// in an unexported field) it walks the Signer and shows an address
	// here, never the secret.
	creds       *Credentials
	region      string
	service     string
	authPrefix  string // "HMAC-SHA256 Credential=<AK>/"
	scopeSuffix string // "/<region>/<service>/request"
	key         atomic.Pointer[signingKey]
}

// signingKey is the signing key of one date with a pool of HMAC states keyed
// with it.
type signingKey struct {
	date [8]byte // YYYYMMDD
	macs sync.Pool
}

// New returns a Signer for creds in region for service (such as "rtc").
// It returns an error when the access key id, the secret access key, the
// region or the service is empty, or when the access key id, the region or
// the service holds a byte that cannot appear in a credential scope (a
// control character, a space, '/' or ',').
func New(creds Credentials, region, service string) (*Signer, error) {
	switch {
	case creds.AccessKeyID == "":
		return nil, errors.New("signer: empty access key id")
	case creds.SecretAccessKey == "":
		return nil, errors.New("signer: empty secret access key")
	case region == "":
		return nil, errors.New("signer: empty region")
	case service == "":
		return nil, errors.New("signer: empty service")
	case !validScopePart(creds.AccessKeyID):
		return nil, errors.New("signer: access key id holds a space, a control character, '/' or ','")
	case !validScopePart(region):
		return nil, errors.New("signer: region holds a space, a control character, '/' or ','")
	case !validScopePart(service):
		return nil, errors.New("signer: service holds a space, a control character, '/' or ','")
	}
	c := creds
	return &Signer{
		creds:       &c,
		region:      region,
		service:     service,
		authPrefix:  algorithm + " Credential=" + creds.AccessKeyID + "/",
		scopeSuffix: "/" + region + "/" + service + "/request",
	}, nil
}

// String describes the signer: its access key id, region and service. The
// secret key and the session token show as "[redacted]".
func (s *Signer) String() string {
	if s == nil {
		return "signer.Signer(nil)"
	}
	var c Credentials
	if s.creds != nil {
		c = *s.creds
	}
	return "signer.Signer{AccessKeyID:" + c.AccessKeyID +
		" SecretAccessKey:" + redact.String(c.SecretAccessKey) +
		" SessionToken:" + redact.String(c.SessionToken) +
		" Region:" + s.region + " Service:" + s.service + "}"
}

// GoString is [Signer.String] in Go syntax, so that %#v shows no secret either.
func (s *Signer) GoString() string {
	if s == nil {
		return "(*signer.Signer)(nil)"
	}
	var c Credentials
	if s.creds != nil {
		c = *s.creds
	}
	return "&signer.Signer{AccessKeyID:" + strconv.Quote(c.AccessKeyID) +
		", SecretAccessKey:" + strconv.Quote(redact.String(c.SecretAccessKey)) +
		", SessionToken:" + strconv.Quote(redact.String(c.SessionToken)) +
		", Region:" + strconv.Quote(s.region) + ", Service:" + strconv.Quote(s.service) + "}"
}

// Format implements [fmt.Formatter]: every verb formats [Signer.String] (as
// %s, %q or %x would a string) and %#v prints [Signer.GoString], so that no
// verb reaches the credentials. Without it, fmt's bad-verb path (%s, %q)
// would print the credentials behind the Signer's pointer field.
func (s *Signer) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, s.String(), s.GoString())
}

func validScopePart(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f || c == '/' || c == ',' {
			return false
		}
	}
	return true
}

// Sign signs req at time t for a body of exactly the bytes that will be sent
// (nil means an empty body). It sets on req:
//
//   - X-Date, t in UTC as 20060102T150405Z;
//   - X-Content-Sha256, the hex SHA-256 of body;
//   - X-Security-Token, when the credentials have a session token;
//   - Content-Type "application/x-www-form-urlencoded; charset=utf-8" when
//     req has no Content-Type, as the official SDK does;
//   - Authorization.
//
// The signature covers the method, the path, the query, the body hash and the
// headers Content-Type, Content-Md5, Host (req.Host, else req.URL.Host) and
// every X-* header. When req.URL.RawQuery is not in canonical form (keys
// sorted, values escaped), Sign replaces it with its canonical form, so the
// server parses exactly the query that was signed. Sign does not read
// req.Body. Signing again (a retry) replaces the previous signature.
func (s *Signer) Sign(req *http.Request, body []byte, t time.Time) error {
	st := getState()
	defer putState(st)
	sum := sha256.Sum256(body)
	hex.Encode(st.hash[:], sum[:])
	_, err := s.sign(st, req, t, "")
	return err
}

// SignWithHash is [Signer.Sign] with the body's lowercase hex SHA-256 already
// computed (see [HashBody]), for a client that hashes a body once and signs
// each attempt anew. It returns an error when bodySHA256Hex is not 64
// lowercase hex digits.
func (s *Signer) SignWithHash(req *http.Request, bodySHA256Hex string, t time.Time) error {
	if !isLowerHexSHA256(bodySHA256Hex) {
		return errors.New("signer: body hash is not 64 lowercase hex digits")
	}
	st := getState()
	defer putState(st)
	copy(st.hash[:], bodySHA256Hex)
	_, err := s.sign(st, req, t, bodySHA256Hex)
	return err
}

// HashBody returns the lowercase hex SHA-256 of body.
func HashBody(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func isLowerHexSHA256(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// state is the scratch space of one signature, pooled.
type state struct {
	buf  []byte
	hdrs []header
	date [16]byte              // X-Date
	hash [2 * sha256.Size]byte // hex body hash
	sum  [sha256.Size]byte     // signature
}

// header is one header of a canonical request.
type header struct {
	key   string // as in http.Header; compared and written lower-cased
	value string // used when src is fromValue
	src   uint8
}

// Where a header's value comes from.
const (
	fromValue uint8 = iota
	fromDate        // state.date
	fromHash        // state.hash
)

// maxPooledBuf bounds the buffers kept in the pool.
const maxPooledBuf = 64 << 10

var statePool = sync.Pool{New: func() any {
	return &state{buf: make([]byte, 0, 2048), hdrs: make([]header, 0, 16)}
}}

func getState() *state { return statePool.Get().(*state) }

func putState(st *state) {
	if cap(st.buf) > maxPooledBuf {
		return
	}
	clear(st.hdrs) // drop references to request headers
	st.hdrs = st.hdrs[:0]
	statePool.Put(st)
}

// spans locates the canonical request and the string to sign in state.buf.
type spans struct {
	canonicalEnd        int // the canonical request is buf[:canonicalEnd]
	stringToSignStart   int
	stringToSignEnd     int
	signedHeadersStart  int
	signedHeadersEnd    int
	canonicalQueryStart int
	canonicalQueryEnd   int
}

// sign signs req at t with the body hash in st.hash; hashValue is the same
// hash as a string when the caller has one (else ""). It returns where the
// canonical request and the string to sign are in st.buf.
func (s *Signer) sign(st *state, req *http.Request, t time.Time, hashValue string) (spans, error) {
	if s == nil || s.creds == nil {
		return spans{}, errors.New("signer: Signer not made by New")
	}
	if req == nil || req.URL == nil {
		return spans{}, errors.New("signer: nil request or request URL")
	}
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return spans{}, errors.New("signer: signing time outside years 0000-9999")
	}
	formatDate(&st.date, t)
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	token := s.creds.SessionToken
	setContentType := len(req.Header["Content-Type"]) == 0

	sp := s.appendCanonicalRequest(st, req, token, setContentType)
	b := st.buf

	// String to sign.
	crHash := sha256.Sum256(b[:sp.canonicalEnd])
	sp.stringToSignStart = len(b)
	b = append(b, algorithm+"\n"...)
	b = append(b, st.date[:]...)
	b = append(b, '\n')
	b = append(b, st.date[:8]...)
	b = append(b, s.scopeSuffix...)
	b = append(b, '\n')
	b = hex.AppendEncode(b, crHash[:])
	sp.stringToSignEnd = len(b)

	k := s.signingKey(st.date[:8])
	mac := k.macs.Get().(hash.Hash)
	mac.Reset()
	mac.Write(b[sp.stringToSignStart:sp.stringToSignEnd])
	sig := mac.Sum(st.sum[:0])
	k.macs.Put(mac)

	// The new header values, built as one string: X-Date, then the body
	// hash unless the caller has it as a string, then Authorization.
	out := len(b)
	b = append(b, st.date[:]...)
	if hashValue == "" {
		b = append(b, st.hash[:]...)
	}
	b = append(b, s.authPrefix...)
	b = append(b, st.date[:8]...)
	b = append(b, s.scopeSuffix...)
	b = append(b, ", SignedHeaders="...)
	b = append(b, b[sp.signedHeadersStart:sp.signedHeadersEnd]...)
	b = append(b, ", Signature="...)
	b = hex.AppendEncode(b, sig)
	st.buf = b
	values := string(b[out:])

	if q := b[sp.canonicalQueryStart:sp.canonicalQueryEnd]; string(q) != req.URL.RawQuery {
		req.URL.RawQuery = string(q)
	}

	// One backing array for all header value slices; each slice is capped
	// so that appending to one cannot overwrite another.
	v := new([5]string)
	v[0] = values[:len(st.date)]
	rest := values[len(st.date):]
	if hashValue == "" {
		hashValue, rest = rest[:len(st.hash)], rest[len(st.hash):]
	}
	v[1], v[2] = hashValue, rest
	h := req.Header
	h["X-Date"] = v[0:1:1]
	h["X-Content-Sha256"] = v[1:2:2]
	h["Authorization"] = v[2:3:3]
	if token != "" {
		v[3] = token
		h["X-Security-Token"] = v[3:4:4]
	}
	if setContentType {
		v[4] = defaultContentType
		h["Content-Type"] = v[4:5:5]
	}
	return sp, nil
}

// appendCanonicalRequest writes to st.buf the canonical request that req will
// have once Sign has set its headers: X-Date from st.date, X-Content-Sha256
// from st.hash, X-Security-Token from token when it is not empty, and the
// default Content-Type when setContentType.
func (s *Signer) appendCanonicalRequest(st *state, req *http.Request, token string, setContentType bool) spans {
	var sp spans
	hs := st.hdrs[:0]
	for k, vv := range req.Header {
		if len(vv) == 0 {
			continue
		}
		switch k {
		case "Host", "X-Date", "X-Content-Sha256":
			continue // replaced below
		case "X-Security-Token":
			if token != "" {
				continue // replaced below
			}
		case "Content-Type", "Content-Md5":
		default:
			if !strings.HasPrefix(k, "X-") {
				continue
			}
		}
		hs = append(hs, header{key: k, value: vv[0]})
	}
	hs = append(hs,
		header{key: "host", value: canonicalHost(requestHost(req))},
		header{key: "x-date", src: fromDate},
		header{key: "x-content-sha256", src: fromHash},
	)
	if token != "" {
		hs = append(hs, header{key: "x-security-token", value: token})
	}
	if setContentType {
		hs = append(hs, header{key: "content-type", value: defaultContentType})
	}
	sortHeaders(hs)
	st.hdrs = hs

	b := st.buf[:0]
	b = append(b, requestMethod(req)...)
	b = append(b, '\n')
	b = appendCanonicalPath(b, req.URL.Path)
	b = append(b, '\n')
	sp.canonicalQueryStart = len(b)
	b = appendCanonicalQuery(b, req.URL.RawQuery)
	sp.canonicalQueryEnd = len(b)
	b = append(b, '\n')
	for _, h := range hs {
		b = appendLower(b, h.key)
		b = append(b, ':')
		switch h.src {
		case fromDate:
			b = append(b, st.date[:]...)
		case fromHash:
			b = append(b, st.hash[:]...)
		default:
			b = append(b, strings.TrimSpace(h.value)...)
		}
		b = append(b, '\n')
	}
	b = append(b, '\n')
	sp.signedHeadersStart = len(b)
	for i, h := range hs {
		if i > 0 {
			b = append(b, ';')
		}
		b = appendLower(b, h.key)
	}
	sp.signedHeadersEnd = len(b)
	b = append(b, '\n')
	b = append(b, st.hash[:]...)
	sp.canonicalEnd = len(b)
	st.buf = b
	return sp
}

// sortHeaders sorts headers by lower-cased name (then by value, so that the
// order does not depend on map iteration even for names that differ in case
// only). An insertion sort: a request signs a handful of headers.
func sortHeaders(hs []header) {
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && lessHeader(hs[j], hs[j-1]); j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
}

func lessHeader(a, b header) bool {
	if c := compareFold(a.key, b.key); c != 0 {
		return c < 0
	}
	return a.value < b.value
}

// signingKey returns the signing key for date (YYYYMMDD), deriving and
// caching it when the cached key is for another date.
func (s *Signer) signingKey(date []byte) *signingKey {
	if k := s.key.Load(); k != nil && string(k.date[:]) == string(date) {
		return k
	}
	k := newSigningKey(s.creds.SecretAccessKey, string(date), s.region, s.service)
	s.key.Store(k)
	return k
}

func newSigningKey(secret, date, region, service string) *signingKey {
	key := deriveKey(secret, date, region, service)
	k := &signingKey{}
	copy(k.date[:], date)
	k.macs.New = func() any { return hmac.New(sha256.New, key) }
	return k
}

// deriveKey computes the HMAC-SHA256 chain secret → date → region → service → "request".
func deriveKey(secret, date, region, service string) []byte {
	key := []byte(secret)
	for _, part := range [...]string{date, region, service, "request"} {
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(part))
		key = mac.Sum(nil)
	}
	return key
}

// formatDate writes t (UTC, year 0-9999) as 20060102T150405Z.
func formatDate(dst *[16]byte, t time.Time) {
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	put2(dst[0:2], year/100)
	put2(dst[2:4], year%100)
	put2(dst[4:6], int(month))
	put2(dst[6:8], day)
	dst[8] = 'T'
	put2(dst[9:11], hour)
	put2(dst[11:13], minute)
	put2(dst[13:15], second)
	dst[15] = 'Z'
}

func put2(dst []byte, n int) {
	dst[0] = byte('0' + n/10)
	dst[1] = byte('0' + n%10)
}
