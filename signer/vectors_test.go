package signer

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// vector is one entry of testdata/signing-vectors.json: a request signed at a
// fixed time, with what the official Go and Node SDKs both produce for it.
type vector struct {
	Name         string      `json:"name"`
	Method       string      `json:"method"`
	Host         string      `json:"host"`
	Path         string      `json:"path"`
	Query        [][2]string `json:"query"`
	Headers      [][2]string `json:"headers"`
	Body         string      `json:"body"`
	AccessKey    string      `json:"access_key"`
	SecretKey    string      `json:"secret_key"`
	SessionToken string      `json:"session_token"`
	Region       string      `json:"region"`
	Service      string      `json:"service"`
	Time         time.Time   `json:"time"`
	Expect       struct {
		XDate            string `json:"x_date"`
		XContentSHA256   string `json:"x_content_sha256"`
		Authorization    string `json:"authorization"`
		SignedHeaders    string `json:"signed_headers"`
		ContentType      string `json:"content_type"`
		HostHeader       string `json:"host_header"`
		XSecurityToken   string `json:"x_security_token"`
		CanonicalRequest string `json:"canonical_request"`
		StringToSign     string `json:"string_to_sign"`
	} `json:"expect"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	data, err := os.ReadFile("../testdata/signing-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no signing vectors")
	}
	return vs
}

func (v *vector) credentials() Credentials {
	return Credentials{AccessKeyID: v.AccessKey, SecretAccessKey: v.SecretKey, SessionToken: v.SessionToken}
}

func (v *vector) signer(t testing.TB) *Signer {
	t.Helper()
	s, err := New(v.credentials(), v.Region, v.Service)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// request builds the vector's unsigned request as a client would: the query
// pairs in the given order, the headers in the given order.
func (v *vector) request(t testing.TB) *http.Request {
	t.Helper()
	pairs := make([]string, len(v.Query))
	for i, kv := range v.Query {
		pairs[i] = url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1])
	}
	u := &url.URL{Scheme: "https", Host: v.Host, Path: v.Path, RawQuery: strings.Join(pairs, "&")}
	req, err := http.NewRequest(v.Method, u.String(), strings.NewReader(v.Body))
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range v.Headers {
		req.Header.Add(kv[0], kv[1])
	}
	return req
}

// debugSign signs req like Sign and also returns the canonical request and the
// string to sign.
func (s *Signer) debugSign(req *http.Request, body []byte, t time.Time) (canonical, stringToSign string, err error) {
	st := getState()
	defer putState(st)
	copy(st.hash[:], HashBody(body))
	sp, err := s.sign(st, req, t, "")
	if err != nil {
		return "", "", err
	}
	return string(st.buf[:sp.canonicalEnd]), string(st.buf[sp.stringToSignStart:sp.stringToSignEnd]), nil
}

func TestVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			s := v.signer(t)
			body := []byte(v.Body)

			signWays := []struct {
				name string
				sign func(*http.Request) (cr, sts string, err error)
			}{
				{"debug", func(req *http.Request) (string, string, error) {
					return s.debugSign(req, body, v.Time)
				}},
				{"Sign", func(req *http.Request) (string, string, error) {
					return "", "", s.Sign(req, body, v.Time)
				}},
				{"SignWithHash", func(req *http.Request) (string, string, error) {
					return "", "", s.SignWithHash(req, HashBody(body), v.Time)
				}},
				{"Sign in another zone", func(req *http.Request) (string, string, error) {
					return "", "", s.Sign(req, body, v.Time.In(time.FixedZone("UTC+8", 8*3600)))
				}},
				{"Sign twice", func(req *http.Request) (string, string, error) {
					if err := s.Sign(req, []byte("another body"), v.Time.Add(-48*time.Hour)); err != nil {
						return "", "", err
					}
					return "", "", s.Sign(req, body, v.Time)
				}},
			}
			for _, w := range signWays {
				req := v.request(t)
				cr, sts, err := w.sign(req)
				if err != nil {
					t.Fatalf("%s: %v", w.name, err)
				}
				checks := []struct{ field, got, want string }{
					{"X-Date", req.Header.Get("X-Date"), v.Expect.XDate},
					{"X-Content-Sha256", req.Header.Get("X-Content-Sha256"), v.Expect.XContentSHA256},
					{"Authorization", req.Header.Get("Authorization"), v.Expect.Authorization},
					{"SignedHeaders", signedHeadersOf(req.Header.Get("Authorization")), v.Expect.SignedHeaders},
					{"Content-Type", req.Header.Get("Content-Type"), v.Expect.ContentType},
					{"Host", req.Host, v.Expect.HostHeader},
					{"X-Security-Token", req.Header.Get("X-Security-Token"), v.Expect.XSecurityToken},
				}
				if w.name == "debug" {
					checks = append(checks,
						struct{ field, got, want string }{"canonical request", cr, v.Expect.CanonicalRequest},
						struct{ field, got, want string }{"string to sign", sts, v.Expect.StringToSign},
					)
				}
				for _, c := range checks {
					if c.got != c.want {
						t.Errorf("%s: %s:\n got %q\nwant %q", w.name, c.field, c.got, c.want)
					}
				}
				if n := len(req.Header.Values("X-Date")); n != 1 {
					t.Errorf("%s: %d X-Date values, want 1", w.name, n)
				}
			}
		})
	}
}

// signedHeadersOf extracts SignedHeaders from an Authorization value.
func signedHeadersOf(authz string) string {
	_, rest, _ := strings.Cut(authz, "SignedHeaders=")
	sh, _, _ := strings.Cut(rest, ",")
	return sh
}

// TestVerifyVectors checks that Verify accepts each vector's expected headers,
// as the official SDKs send them, on the server side of a wire round trip.
func TestVerifyVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			req := v.request(t)
			req.Header.Set("X-Date", v.Expect.XDate)
			req.Header.Set("X-Content-Sha256", v.Expect.XContentSHA256)
			req.Header.Set("Content-Type", v.Expect.ContentType)
			req.Header.Set("Authorization", v.Expect.Authorization)
			if v.Expect.XSecurityToken != "" {
				req.Header.Set("X-Security-Token", v.Expect.XSecurityToken)
			}
			lookup := func(ak string) (string, bool) { return v.SecretKey, ak == v.AccessKey }
			for name, r := range map[string]*http.Request{"client": req, "server": overTheWire(t, req)} {
				res, err := Verify(r, []byte(v.Body), lookup, v.Time.Add(time.Minute), 5*time.Minute)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				want := Result{AccessKeyID: v.AccessKey, Region: v.Region, Service: v.Service, SignedAt: v.Time}
				if !sameResult(res, want) {
					t.Errorf("%s: got %+v, want %+v", name, res, want)
				}
			}
		})
	}
}
