package signer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	testAK     = "AKLTtestaccesskeyid"
	testSK     = "dGVzdCBzZWNyZXQgYWNjZXNzIGtleQ=="
	testToken  = "STS2eyJ0ZXN0IjoidG9rZW4ifQ=="
	testRegion = "cn-north-1"
	testHost   = "rtc.volcengineapi.com"
	testBody   = `{"AppId":123,"ConversationShortId":456,"Cursor":1666495802476129,"Limit":3,"Reverse":0}`
)

var testTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func testLookup(ak string) (string, bool) {
	if ak == testAK {
		return testSK, true
	}
	return "", false
}

func sameResult(a, b Result) bool {
	return a.AccessKeyID == b.AccessKeyID && a.Region == b.Region && a.Service == b.Service &&
		a.SignedAt.Equal(b.SignedAt)
}

func newTestSigner(t testing.TB, token string) *Signer {
	t.Helper()
	s, err := New(Credentials{AccessKeyID: testAK, SecretAccessKey: testSK, SessionToken: token}, testRegion, "rtc")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newTestRequest returns an unsigned GetConversationMessages request.
func newTestRequest(t testing.TB) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost,
		"https://"+testHost+"/?Action=GetConversationMessages&Version=2020-12-01", strings.NewReader(testBody))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "volcim-go-test")
	return req
}

// overTheWire returns req as a server receives it: written in HTTP/1.1 wire
// format and parsed back (without its body, which Verify gets separately).
func overTheWire(t testing.TB, req *http.Request) *http.Request {
	t.Helper()
	c := req.Clone(context.Background())
	c.Body, c.GetBody, c.ContentLength = nil, nil, 0
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatalf("parse %q: %v", buf.String(), err)
	}
	return r
}

func TestVerifyAcceptsSigned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		token  string
		modify func(*http.Request)
		body   string
	}{
		{name: "plain", body: testBody},
		{name: "empty body", body: ""},
		{name: "session token", token: testToken, body: testBody},
		{name: "extra X headers and token", token: testToken, body: testBody, modify: func(r *http.Request) {
			r.Header.Set("X-Custom-Header", "  padded value\t")
			r.Header.Set("X-Im-Sdk-Version", "Golang-V1.0.1")
			r.Header.Add("X-Repeated", "first")
			r.Header.Add("X-Repeated", "second")
			r.Header.Set("Content-Md5", "1B2M2Y8AsgTpgAmY7PhCfg==")
		}},
		{name: "no content type", body: "", modify: func(r *http.Request) {
			r.Method = http.MethodGet
			r.Header.Del("Content-Type")
		}},
		{name: "port 443", body: testBody, modify: func(r *http.Request) { r.Host = testHost + ":443" }},
		{name: "other port", body: testBody, modify: func(r *http.Request) { r.Host = "127.0.0.1:8080" }},
		{name: "unsorted escaped query", body: testBody, modify: func(r *http.Request) {
			r.URL.RawQuery = "Version=2020-12-01&Action=GetMessages&Q=a+b%2Fc&Q=%E4%BD%A0&Empty=&Semi=a;b&&"
		}},
		{name: "path", body: testBody, modify: func(r *http.Request) { r.URL.Path = "/a b/c+d/é/~x" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSigner(t, tc.token)
			req := newTestRequest(t)
			if tc.modify != nil {
				tc.modify(req)
			}
			if err := s.Sign(req, []byte(tc.body), testTime); err != nil {
				t.Fatal(err)
			}
			if tc.token != "" && req.Header.Get("X-Security-Token") != tc.token {
				t.Errorf("X-Security-Token = %q", req.Header.Get("X-Security-Token"))
			}
			want := Result{AccessKeyID: testAK, Region: testRegion, Service: "rtc", SignedAt: testTime}
			for name, r := range map[string]*http.Request{"client": req, "server": overTheWire(t, req)} {
				res, err := Verify(r, []byte(tc.body), testLookup, testTime.Add(-time.Minute), 5*time.Minute)
				if err != nil {
					t.Fatalf("%s: %v (Authorization %s)", name, err, req.Header.Get("Authorization"))
				}
				if !sameResult(res, want) {
					t.Errorf("%s: got %+v, want %+v", name, res, want)
				}
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		modify  func(r *http.Request, body *[]byte)
		lookup  func(string) (string, bool)
		now     time.Time
		wantErr error
	}{
		{name: "changed body", wantErr: ErrSignatureMismatch, modify: func(_ *http.Request, b *[]byte) {
			*b = []byte(strings.Replace(testBody, "456", "457", 1))
		}},
		{name: "changed body with matching X-Content-Sha256", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, b *[]byte) {
			*b = []byte(strings.Replace(testBody, "456", "457", 1))
			r.Header.Set("X-Content-Sha256", HashBody(*b))
		}},
		{name: "changed query value", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			r.URL.RawQuery = "Action=GetMessages&Version=2020-12-01"
		}},
		{name: "added query pair", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			r.URL.RawQuery += "&Extra=1"
		}},
		{name: "changed X header", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			r.Header.Set("X-Custom-Header", "other")
		}},
		{name: "removed X header", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			r.Header.Del("X-Custom-Header")
		}},
		{name: "changed Content-Type", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Content-Type", "text/plain")
		}},
		{name: "changed host", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			r.Host = "open.volcengineapi.com"
		}},
		{name: "changed method", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			r.Method = http.MethodPut
		}},
		{name: "changed path", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			r.URL.Path = "/other"
		}},
		{name: "changed X-Date same day", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			r.Header.Set("X-Date", "20240506T070810Z")
		}},
		{name: "changed signature", wantErr: ErrSignatureMismatch, modify: func(r *http.Request, _ *[]byte) {
			a := r.Header.Get("Authorization")
			flipped := "0"
			if strings.HasSuffix(a, "0") {
				flipped = "1"
			}
			r.Header.Set("Authorization", a[:len(a)-1]+flipped)
		}},
		{name: "wrong secret", wantErr: ErrSignatureMismatch, lookup: func(string) (string, bool) { return testSK + "x", true }},
		{name: "unknown key", wantErr: ErrInvalidAccessKey, lookup: func(string) (string, bool) { return "", false }},
		{name: "stale X-Date", wantErr: ErrInvalidTimestamp, now: testTime.Add(15*time.Minute + time.Second)},
		{name: "future X-Date", wantErr: ErrInvalidTimestamp, now: testTime.Add(-15*time.Minute - time.Second)},
		{name: "missing X-Date", wantErr: ErrInvalidTimestamp, modify: func(r *http.Request, _ *[]byte) {
			r.Header.Del("X-Date")
		}},
		{name: "malformed X-Date", wantErr: ErrInvalidTimestamp, modify: func(r *http.Request, _ *[]byte) {
			r.Header.Set("X-Date", "2024-05-06T07:08:09Z")
		}},
		{name: "scope of another day", wantErr: ErrInvalidTimestamp, modify: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20240506/", "/20240505/", 1))
		}},
		{name: "missing Authorization", wantErr: ErrMissingAuthentication, modify: func(r *http.Request, _ *[]byte) {
			r.Header.Del("Authorization")
		}},
	}
	malformed := map[string]func(string) string{
		"empty":              func(string) string { return "" },
		"other scheme":       func(a string) string { return strings.Replace(a, "HMAC-SHA256", "AWS4-HMAC-SHA256", 1) },
		"no parameters":      func(string) string { return "HMAC-SHA256" },
		"no Signature":       func(a string) string { return a[:strings.Index(a, ", Signature=")] },
		"no SignedHeaders":   func(a string) string { return strings.Replace(a, "SignedHeaders", "Headers", 1) },
		"repeated part":      func(a string) string { return a + ", Signature=" + strings.Repeat("0", 64) },
		"short signature":    func(a string) string { return a[:len(a)-1] },
		"upper-case hex":     func(a string) string { return a[:len(a)-64] + strings.ToUpper(a[len(a)-64:]) },
		"scope without date": func(a string) string { return strings.Replace(a, "/20240506/", "/", 1) },
		"bad scope date":     func(a string) string { return strings.Replace(a, "/20240506/", "/2024050X/", 1) },
		"scope terminator":   func(a string) string { return strings.Replace(a, "/request,", "/aws4_request,", 1) },
		"empty access key":   func(a string) string { return strings.Replace(a, "Credential="+testAK, "Credential=", 1) },
		"empty header name":  func(a string) string { return strings.Replace(a, "SignedHeaders=", "SignedHeaders=;", 1) },
		"empty header list": func(a string) string {
			return a[:strings.Index(a, "SignedHeaders=")+14] + a[strings.Index(a, ", Signature="):]
		},
		"part without =": func(a string) string { return strings.Replace(a, "Signature=", "Signature ", 1) },
	}
	for name, f := range malformed {
		tests = append(tests, struct {
			name    string
			modify  func(r *http.Request, body *[]byte)
			lookup  func(string) (string, bool)
			now     time.Time
			wantErr error
		}{name: "malformed Authorization: " + name, wantErr: ErrMissingAuthentication, modify: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", f(r.Header.Get("Authorization")))
		}})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSigner(t, testToken)
			req := newTestRequest(t)
			req.Header.Set("X-Custom-Header", "value")
			body := []byte(testBody)
			if err := s.Sign(req, body, testTime); err != nil {
				t.Fatal(err)
			}
			r := overTheWire(t, req)
			if tc.modify != nil {
				tc.modify(r, &body)
			}
			lookup, now := testLookup, testTime
			if tc.lookup != nil {
				lookup = tc.lookup
			}
			if !tc.now.IsZero() {
				now = tc.now
			}
			_, err := Verify(r, body, lookup, now, 15*time.Minute)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
			for _, secret := range []string{testSK, testToken} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q holds a secret", err)
				}
			}
			for _, other := range []error{ErrMissingAuthentication, ErrInvalidTimestamp, ErrSignatureMismatch, ErrInvalidAccessKey} {
				if other != tc.wantErr && errors.Is(err, other) {
					t.Errorf("error %v also is %v", err, other)
				}
			}
		})
	}
}

// TestVerifyHTTPServer signs requests sent to a real HTTP server that
// verifies them.
func TestVerifyHTTPServer(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if _, err := Verify(r, body, testLookup, time.Now(), 15*time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()

	s := newTestSigner(t, testToken)
	for _, body := range []string{testBody, "", "\x00\xff binary"} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/?Version=2020-12-01&Action=GetMessages&Q=a+b", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Custom", " x ")
		if err := s.Sign(req, []byte(body), time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("body %q: %s: %s", body, resp.Status, msg)
		}
	}
}

func TestVerifyCaseInsensitiveHeaders(t *testing.T) {
	t.Parallel()
	s := newTestSigner(t, "")
	req := newTestRequest(t)
	req.Header.Set("X-Custom", "v")
	if err := s.Sign(req, []byte(testBody), testTime); err != nil {
		t.Fatal(err)
	}
	// A request whose header map was filled by hand, with keys not in
	// canonical form.
	h := make(http.Header)
	for k, vv := range req.Header {
		h[strings.ToLower(k)] = vv
	}
	req.Header = h
	if _, err := Verify(req, []byte(testBody), testLookup, testTime, time.Minute); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyNilArguments(t *testing.T) {
	t.Parallel()
	if _, err := Verify(nil, nil, testLookup, testTime, time.Minute); !errors.Is(err, ErrMissingAuthentication) {
		t.Errorf("nil request: %v", err)
	}
	req := newTestRequest(t)
	if err := newTestSigner(t, "").Sign(req, nil, testTime); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(req, nil, nil, testTime, time.Minute); !errors.Is(err, ErrInvalidAccessKey) {
		t.Errorf("nil lookup: %v", err)
	}
}
