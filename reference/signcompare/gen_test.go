package signcompare

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/volcengine/volc-sdk-golang/base"
	"github.com/volcim/volcim-go/signer"
)

// spec describes a request to sign; request builds a fresh copy of it, so
// that each signer gets its own.
type spec struct {
	method   string
	host     string
	path     string
	rawQuery string
	// headers are added in order with Header.Add; rawHeaders are assigned
	// to the header map as they are, keys not in canonical form included.
	headers    [][2]string
	rawHeaders [][2]string
	body       []byte // nil: no body
	creds      signer.Credentials
	region     string
	service    string
	at         time.Time // in a random time zone
	// resignAt, when not zero, is the time of an earlier signature of the
	// same request (a retry signs again over the previous signature).
	resignAt time.Time
}

func (s *spec) request() *http.Request {
	req := &http.Request{
		Method:     s.method,
		URL:        &url.URL{Scheme: "https", Host: s.host, Path: s.path, RawQuery: s.rawQuery},
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Host:       s.host,
		Header:     make(http.Header),
	}
	for _, kv := range s.headers {
		req.Header.Add(kv[0], kv[1])
	}
	for _, kv := range s.rawHeaders {
		req.Header[kv[0]] = []string{kv[1]}
	}
	if s.body != nil {
		req.Body = io.NopCloser(bytes.NewReader(s.body))
		req.ContentLength = int64(len(s.body))
	}
	return req
}

func (s *spec) official() base.Credentials {
	return base.Credentials{
		AccessKeyID:     s.creds.AccessKeyID,
		SecretAccessKey: s.creds.SecretAccessKey,
		SessionToken:    s.creds.SessionToken,
		Region:          s.region,
		Service:         s.service,
	}
}

func (s *spec) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s https://%s%s?%s at %s (re-signed over %s)\n", s.method, s.host, s.path, s.rawQuery, s.at, s.resignAt)
	fmt.Fprintf(&b, "  headers %q raw %q\n", s.headers, s.rawHeaders)
	fmt.Fprintf(&b, "  body %q\n", s.body)
	fmt.Fprintf(&b, "  %s, secret %q, token %q, region %q, service %q", s.creds.AccessKeyID,
		s.creds.SecretAccessKey, s.creds.SessionToken, s.region, s.service) // test credentials only
	return b.String()
}

// Alphabets: rich, with reserved characters, spaces, multi-byte UTF-8.
const (
	printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
	alnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	tokenish  = alnum + "-"
)

var unicodeRunes = []rune("你好世界éüß☃🌏\u00a0\u200bЖж")

type gen struct{ r *rand.Rand }

func (g gen) pct(p int) bool { return g.r.IntN(100) < p }

func (g gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

// text returns up to n characters from alphabet, with a multi-byte rune now
// and then when withUnicode.
func (g gen) text(alphabet string, n int, withUnicode bool) string {
	var b strings.Builder
	for range g.r.IntN(n + 1) {
		if withUnicode && g.pct(15) {
			b.WriteRune(unicodeRunes[g.r.IntN(len(unicodeRunes))])
			continue
		}
		b.WriteByte(alphabet[g.r.IntN(len(alphabet))])
	}
	return b.String()
}

func (g gen) nonEmpty(alphabet string, n int) string {
	return string(alphabet[g.r.IntN(len(alphabet))]) + g.text(alphabet, n-1, false)
}

// pad surrounds s with random spaces and tabs.
func (g gen) pad(s string) string {
	ws := func() string { return g.text(" \t", 3, false) }
	return ws() + s + ws()
}

// escape encodes a query key or value in one of the ways clients do.
func (g gen) escape(s string) string {
	switch g.r.IntN(5) {
	case 0: // space as %20
		return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
	case 1: // lower-case hex
		e := []byte(url.QueryEscape(s))
		for i := 0; i < len(e); i++ {
			if e[i] == '%' {
				for j := i + 1; j <= i+2; j++ {
					if 'A' <= e[j] && e[j] <= 'F' {
						e[j] += 'a' - 'A'
					}
				}
				i += 2
			}
		}
		return string(e)
	case 2: // only what must be escaped; other bytes raw
		r := strings.NewReplacer("%", "%25", "&", "%26", "=", "%3D", "+", "%2B", "#", "%23", ";", "%3B")
		return r.Replace(s)
	default:
		return url.QueryEscape(s)
	}
}

func (g gen) query() string {
	type pair struct{ k, v string }
	var pairs []pair
	if g.pct(90) {
		pairs = append(pairs, pair{"Action", g.pick("GetConversationMessages", "GetMessages", "BatchGetConversations")})
		pairs = append(pairs, pair{"Version", "2020-12-01"})
	}
	for range g.r.IntN(5) {
		k := g.text(printable, 6, true)
		if g.pct(80) && k == "" {
			k = "K"
		}
		for range 1 + g.r.IntN(3)*g.r.IntN(2) { // a repeated key now and then
			pairs = append(pairs, pair{k, g.text(printable, 12, true)})
		}
	}
	if g.pct(50) {
		g.r.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	}
	parts := make([]string, 0, len(pairs)+2)
	for _, p := range pairs {
		parts = append(parts, g.escape(p.k)+"="+g.escape(p.v))
	}
	switch {
	case g.pct(5):
		parts = append(parts, "") // a trailing '&'
	case g.pct(5):
		parts = append(parts, "flag") // a key without '='
	case g.pct(5):
		parts = append(parts, "bad=%zz") // dropped by url.ParseQuery
	case g.pct(5):
		parts = append(parts, "semi=a;b") // dropped by url.ParseQuery
	}
	return strings.Join(parts, "&")
}

func (g gen) body() []byte {
	switch g.r.IntN(10) {
	case 0:
		return nil
	case 1:
		return []byte{}
	case 2: // binary-ish
		b := make([]byte, g.r.IntN(300))
		for i := range b {
			b[i] = byte(g.r.UintN(256))
		}
		return b
	case 3: // a JSON string holding arbitrary bytes
		b := make([]byte, g.r.IntN(100))
		for i := range b {
			b[i] = byte(g.r.UintN(256))
		}
		return fmt.Appendf(nil, `{"AppId":%d,"Content":%q}`, g.r.Int64(), b)
	default:
		return fmt.Appendf(nil, `{"AppId":%d,"ConversationShortId":%d,"Cursor":%d,"Limit":%d,"Reverse":%d,"Ext":{%q:%q}}`,
			g.r.Int64N(1e9), g.r.Int64(), g.r.Int64(), g.r.IntN(100), g.r.IntN(2),
			g.text(printable, 8, true), g.text(printable, 40, true))
	}
}

func (g gen) spec() *spec {
	s := &spec{
		method: g.pick("POST", "POST", "POST", "GET", "PUT", "DELETE"),
		host: g.pick("rtc.volcengineapi.com", "open-ap-singapore-1.volcengineapi.com", "rtc.volcengineapi.com:443",
			"rtc.volcengineapi.com:80", "rtc.volcengineapi.com:8443", "127.0.0.1:8080", "localhost"),
		path:     "/",
		rawQuery: g.query(),
		body:     g.body(),
		creds: signer.Credentials{
			AccessKeyID:     "AKLT" + g.nonEmpty(alnum, 40),
			SecretAccessKey: g.nonEmpty(printable, 60) + g.text(printable, 10, true),
		},
		region:  g.pick("cn-north-1", "ap-southeast-1", "cn-north-1", "ap-southeast-1", g.nonEmpty("abcdefghijklmnopqrstuvwxyz0123456789-", 14)),
		service: g.pick("rtc", "rtc", "rtc", "rtc", g.nonEmpty("abcdefghijklmnopqrstuvwxyz_", 8)),
	}
	switch {
	case g.pct(5):
		s.path = ""
	case g.pct(20):
		s.path = "/" + g.text(printable, 10, true) + "/" + g.text(tokenish, 6, false)
	}
	if g.pct(40) {
		s.creds.SessionToken = "STS2" + g.nonEmpty(alnum+"+/=", 120)
	}
	// Any second from 1990 to 2099, in some time zone.
	s.at = time.Unix(631152000+g.r.Int64N(3471292800), 0).In(time.FixedZone("Z", (g.r.IntN(27)-12)*3600))
	if g.pct(15) {
		s.resignAt = s.at.Add(-time.Duration(g.r.Int64N(int64(72 * time.Hour))))
	}

	switch g.r.IntN(10) {
	case 0, 1, 2, 3, 4, 5:
		s.headers = append(s.headers, [2]string{"Content-Type", "application/json"})
	case 6:
		s.headers = append(s.headers, [2]string{"Content-Type", "application/json; charset=utf-8"})
	case 7:
		s.headers = append(s.headers, [2]string{"Content-Type", g.pad("application/json")})
	default: // none: both sign the default
	}
	if g.pct(50) {
		s.headers = append(s.headers, [2]string{"Accept", "application/json"}, [2]string{"User-Agent", "volc-sdk-golang/v1.0.256"})
	}
	if g.pct(30) {
		s.headers = append(s.headers, [2]string{"X-IM-SDK-Version", "Golang-V1.0.1"})
	}
	if g.pct(10) {
		s.headers = append(s.headers, [2]string{"Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="})
	}
	seen := map[string]bool{"x-im-sdk-version": true, "x-date": true, "x-content-sha256": true, "x-security-token": true, "x-mixedcase": true}
	for range g.r.IntN(5) {
		name := "X-" + g.nonEmpty(tokenish, 12)
		if seen[strings.ToLower(name)] {
			continue
		}
		seen[strings.ToLower(name)] = true
		value := g.pad(g.text(printable, 20, true))
		s.headers = append(s.headers, [2]string{name, value})
		if g.pct(20) { // a repeated header: the first value is signed
			s.headers = append(s.headers, [2]string{name, g.text(printable, 5, false)})
		}
	}
	if g.pct(10) { // keys not in canonical form: both SDKs sign "X-..." and skip "x-..."
		s.rawHeaders = append(s.rawHeaders, [2]string{"x-lower-case-unsigned", "v"}, [2]string{"X-mixedCASE", g.pad("m")})
	}
	if g.pct(5) { // an X-Security-Token already there: replaced when the credentials have a token, else signed as is
		s.headers = append(s.headers, [2]string{"X-Security-Token", "preset-token"})
	}
	if g.pct(5) { // a Host header entry: ignored, the request's Host is signed
		s.headers = append(s.headers, [2]string{"Host", "ignored.example.com"})
	}
	return s
}
