package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Errors returned by [Verify], wrapped with detail; test for them with
// errors.Is. They are named after the Volcengine API error codes a server
// answers with. No error ever holds a secret.
var (
	// ErrMissingAuthentication: the Authorization header is missing or malformed.
	ErrMissingAuthentication = errors.New("signer: missing or malformed authentication")
	// ErrInvalidTimestamp: X-Date is missing, malformed, outside the allowed
	// clock skew, or of another day than the credential scope.
	ErrInvalidTimestamp = errors.New("signer: invalid timestamp")
	// ErrSignatureMismatch: the signature, or X-Content-Sha256, does not match the request.
	ErrSignatureMismatch = errors.New("signer: signature does not match")
	// ErrInvalidAccessKey: the access key id is unknown.
	ErrInvalidAccessKey = errors.New("signer: invalid access key")
)

// Result is what [Verify] learned from a correctly signed request.
type Result struct {
	AccessKeyID string    // the access key id of the credential scope
	Region      string    // the region of the credential scope
	Service     string    // the service of the credential scope
	SignedAt    time.Time // X-Date, in UTC
}

// Verify checks the V4 signature of a received request r whose body is body,
// on the server side: the host is r.Host (r.URL.Host when r.Host is empty).
// lookup maps an access key id to its secret (ok=false: unknown key). now and
// maxSkew bound the accepted X-Date: |now - X-Date| must be at most maxSkew.
//
// Verify accepts a signature from any correct client: it recomputes the
// signature over exactly the headers that SignedHeaders lists (names as
// listed, first value only, trimmed, the host without a :80 or :443 port)
// and over the SHA-256 of body. It checks, in order:
//
//   - Authorization is present and well-formed, else [ErrMissingAuthentication];
//   - X-Date is present, well-formed and within maxSkew of now, and the
//     credential scope is of the same date, else [ErrInvalidTimestamp];
//   - the access key id is known, else [ErrInvalidAccessKey];
//   - X-Content-Sha256, when present and signed, is the body's hash, and
//     the signature matches, else [ErrSignatureMismatch].
//
// On success it returns the access key id, region and service of the
// credential scope and the signing time; the caller decides whether those
// are acceptable.
func Verify(r *http.Request, body []byte, lookup func(accessKeyID string) (secret string, ok bool), now time.Time, maxSkew time.Duration) (Result, error) {
	if r == nil || r.URL == nil {
		return Result{}, fmt.Errorf("%w: nil request", ErrMissingAuthentication)
	}
	if lookup == nil {
		return Result{}, fmt.Errorf("%w: no access key lookup", ErrInvalidAccessKey)
	}
	authz, ok := headerValue(r.Header, "Authorization")
	if !ok || authz == "" {
		return Result{}, fmt.Errorf("%w: no Authorization header", ErrMissingAuthentication)
	}
	a, err := parseAuthorization(authz)
	if err != nil {
		return Result{}, fmt.Errorf("%w: Authorization: %v", ErrMissingAuthentication, err)
	}

	xDate, ok := headerValue(r.Header, "X-Date")
	if !ok {
		return Result{}, fmt.Errorf("%w: no X-Date header", ErrInvalidTimestamp)
	}
	xDate = strings.TrimSpace(xDate)
	signedAt, err := time.Parse(timeFormat, xDate)
	if err != nil {
		return Result{}, fmt.Errorf("%w: X-Date %q is not of the form %s", ErrInvalidTimestamp, xDate, timeFormat)
	}
	if skew := now.Sub(signedAt).Abs(); skew > maxSkew {
		return Result{}, fmt.Errorf("%w: X-Date %s is %v away from the server time %s, more than %v",
			ErrInvalidTimestamp, xDate, skew, now.UTC().Format(timeFormat), maxSkew)
	}
	if a.date != xDate[:8] {
		return Result{}, fmt.Errorf("%w: credential scope date %s is not the date of X-Date %s",
			ErrInvalidTimestamp, a.date, xDate)
	}

	secret, ok := lookup(a.accessKeyID)
	if !ok {
		return Result{}, fmt.Errorf("%w: unknown access key id %q", ErrInvalidAccessKey, a.accessKeyID)
	}

	sum := sha256.Sum256(body)
	var bodyHash [2 * sha256.Size]byte
	hex.Encode(bodyHash[:], sum[:])

	b := make([]byte, 0, 1024)
	b = append(b, requestMethod(r)...)
	b = append(b, '\n')
	b = appendCanonicalPath(b, r.URL.Path)
	b = append(b, '\n')
	b = appendCanonicalQuery(b, r.URL.RawQuery)
	b = append(b, '\n')
	for name := range strings.SplitSeq(a.signedHeaders, ";") {
		var value string
		if strings.EqualFold(name, "host") {
			value = canonicalHost(requestHost(r))
		} else {
			value, _ = headerValue(r.Header, name)
			value = strings.TrimSpace(value)
			if strings.EqualFold(name, "X-Content-Sha256") && value != string(bodyHash[:]) {
				return Result{}, fmt.Errorf("%w: X-Content-Sha256 is not the SHA-256 of the body", ErrSignatureMismatch)
			}
		}
		b = append(b, name...)
		b = append(b, ':')
		b = append(b, value...)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	b = append(b, a.signedHeaders...)
	b = append(b, '\n')
	b = append(b, bodyHash[:]...)
	crHash := sha256.Sum256(b)

	b = b[:0]
	b = append(b, algorithm+"\n"...)
	b = append(b, xDate...)
	b = append(b, '\n')
	b = append(b, a.scope...)
	b = append(b, '\n')
	b = hex.AppendEncode(b, crHash[:])

	mac := hmac.New(sha256.New, deriveKey(secret, a.date, a.region, a.service))
	mac.Write(b)
	if !hmac.Equal(mac.Sum(nil), a.signature[:]) {
		return Result{}, fmt.Errorf("%w: recomputed over SignedHeaders=%s", ErrSignatureMismatch, a.signedHeaders)
	}
	return Result{
		AccessKeyID: a.accessKeyID,
		Region:      a.region,
		Service:     a.service,
		SignedAt:    signedAt,
	}, nil
}

// authorization is a parsed Authorization header.
type authorization struct {
	accessKeyID   string
	scope         string // date/region/service/request
	date          string
	region        string
	service       string
	signedHeaders string
	signature     [sha256.Size]byte
}

// parseAuthorization parses
//
//	HMAC-SHA256 Credential=<AK>/<date>/<region>/<service>/request, SignedHeaders=<a;b>, Signature=<hex>
//
// with the three parts in any order. Its errors quote no header value.
func parseAuthorization(h string) (authorization, error) {
	var a authorization
	alg, params, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || alg != algorithm {
		return a, errors.New("the scheme is not " + algorithm)
	}
	var credential, signature string
	var seen [3]bool
	for part := range strings.SplitSeq(params, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, errors.New("a part has no '='")
		}
		var i int
		switch name {
		case "Credential":
			i, credential = 0, value
		case "SignedHeaders":
			i, a.signedHeaders = 1, value
		case "Signature":
			i, signature = 2, value
		default:
			return a, fmt.Errorf("unknown part %q", name)
		}
		if seen[i] {
			return a, fmt.Errorf("repeated part %s", name)
		}
		seen[i] = true
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return a, errors.New("missing Credential, SignedHeaders or Signature")
	}

	fields := strings.Split(credential, "/")
	if len(fields) != 5 || fields[4] != "request" {
		return a, errors.New("the Credential is not <access key id>/<date>/<region>/<service>/request")
	}
	for _, f := range fields[:4] {
		if f == "" {
			return a, errors.New("the Credential has an empty field")
		}
	}
	a.accessKeyID, a.date, a.region, a.service = fields[0], fields[1], fields[2], fields[3]
	a.scope = credential[len(a.accessKeyID)+1:]
	if _, err := time.Parse("20060102", a.date); err != nil {
		return a, errors.New("the Credential date is not of the form YYYYMMDD")
	}

	if a.signedHeaders == "" {
		return a, errors.New("empty SignedHeaders")
	}
	for name := range strings.SplitSeq(a.signedHeaders, ";") {
		if name == "" || strings.ContainsAny(name, " \t:") {
			return a, errors.New("an empty or invalid name in SignedHeaders")
		}
	}

	if !isLowerHexSHA256(signature) {
		return a, errors.New("the Signature is not 64 lowercase hex digits")
	}
	if _, err := hex.Decode(a.signature[:], []byte(signature)); err != nil {
		return a, errors.New("the Signature is not hex")
	}
	return a, nil
}

// headerValue returns the first value of the header name, looked up by its
// canonical key and, failing that, case-insensitively (for requests whose
// header map was filled by hand). Among several keys that differ in case
// only, the smallest key wins, so the result does not depend on map order.
func headerValue(h http.Header, name string) (string, bool) {
	if vv := h[http.CanonicalHeaderKey(name)]; len(vv) > 0 {
		return vv[0], true
	}
	found := ""
	var value string
	for k, vv := range h {
		if len(vv) > 0 && strings.EqualFold(k, name) && (found == "" || k < found) {
			found, value = k, vv[0]
		}
	}
	return value, found != ""
}
