package signcompare

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/volcengine/volc-sdk-golang/base"
	"github.com/volcim/volcim-go/signer"
)

// compared are the headers both signers set.
var compared = []string{"Authorization", "X-Date", "X-Content-Sha256", "X-Security-Token", "Content-Type"}

// compare signs the request of sp with our signer and with the official SDK
// at the same time and reports every difference; then it checks that
// signer.Verify accepts the official SDK's request, as the client sent it
// and as a server receives it.
func compare(t *testing.T, sp *spec) {
	t.Helper()
	s, err := signer.New(sp.creds, sp.region, sp.service)
	if err != nil {
		t.Fatalf("New: %v\n%v", err, sp)
	}
	ours, theirs := sp.request(), sp.request()
	if !sp.resignAt.IsZero() {
		if err := s.Sign(ours, sp.body, sp.resignAt); err != nil {
			t.Fatalf("Sign: %v\n%v", err, sp)
		}
		officialSign(theirs, sp.body, sp.official(), sp.resignAt)
	}
	if err := s.Sign(ours, sp.body, sp.at); err != nil {
		t.Fatalf("Sign: %v\n%v", err, sp)
	}
	officialSign(theirs, sp.body, sp.official(), sp.at)

	for _, h := range compared {
		if got, want := ours.Header.Values(h), theirs.Header.Values(h); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n ours     %q\n official %q\n%v", h, got, want, sp)
		}
	}
	// The queries differ in form (the official SDK encodes a space as '+')
	// but must mean the same.
	if got, want := ours.URL.Query(), theirs.URL.Query(); !reflect.DeepEqual(got, want) {
		t.Errorf("query:\n ours     %q\n official %q\n%v", ours.URL.RawQuery, theirs.URL.RawQuery, sp)
	}

	lookup := func(ak string) (string, bool) { return sp.creds.SecretAccessKey, ak == sp.creds.AccessKeyID }
	want := signer.Result{AccessKeyID: sp.creds.AccessKeyID, Region: sp.region, Service: sp.service, SignedAt: sp.at.UTC()}
	for _, c := range []struct {
		name string
		req  *http.Request
	}{{"official", theirs}, {"ours", ours}} {
		received, err := overTheWire(c.req)
		if err != nil {
			t.Fatalf("%s: over the wire: %v\n%v", c.name, err, sp)
		}
		for side, r := range map[string]*http.Request{"client": c.req, "server": received} {
			res, err := signer.Verify(r, sp.body, lookup, sp.at.Add(time.Minute), 15*time.Minute)
			if err != nil {
				t.Errorf("Verify(%s request, %s side): %v\n%v", c.name, side, err, sp)
				continue
			}
			if res.AccessKeyID != want.AccessKeyID || res.Region != want.Region || res.Service != want.Service || !res.SignedAt.Equal(want.SignedAt) {
				t.Errorf("Verify(%s request, %s side) = %+v, want %+v", c.name, side, res, want)
			}
		}
	}
}

// TestSignLikeOfficialSDK signs 2,000 random requests (fixed seed) with both
// signers.
func TestSignLikeOfficialSDK(t *testing.T) {
	t.Parallel()
	n := 2000
	if testing.Short() {
		n = 200
	}
	g := gen{rand.New(rand.NewPCG(20240506, 70809))}
	for i := range n {
		sp := g.spec()
		compare(t, sp)
		if t.Failed() {
			t.Fatalf("request %d differs", i)
		}
	}
}

// FuzzSignLikeOfficialSDK is TestSignLikeOfficialSDK with the generator's
// seed from the fuzzer.
func FuzzSignLikeOfficialSDK(f *testing.F) {
	for _, seed := range []uint64{0, 1, 2, 3, 1 << 40} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		compare(t, gen{rand.New(rand.NewPCG(seed, seed>>32|1))}.spec())
	})
}

// TestOfficialSignMirrorsCredentialsSign checks officialSign against the
// official SDK's own entry point, base.Credentials.Sign, which signs at the
// current time: officialSign at the X-Date that Credentials.Sign chose must
// give the same headers.
func TestOfficialSignMirrorsCredentialsSign(t *testing.T) {
	t.Parallel()
	g := gen{rand.New(rand.NewPCG(1, 2))}
	for range 200 {
		sp := g.spec()
		sp.resignAt = time.Time{}
		viaSign := sp.official().Sign(sp.request())
		at, err := time.Parse("20060102T150405Z", viaSign.Header.Get("X-Date"))
		if err != nil {
			t.Fatal(err)
		}
		mirrored := sp.request()
		officialSign(mirrored, sp.body, sp.official(), at)
		for _, h := range append(compared, "Host") {
			if got, want := mirrored.Header.Values(h), viaSign.Header.Values(h); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s:\n officialSign         %q\n Credentials.Sign %q\n%v", h, got, want, sp)
			}
		}
		if mirrored.URL.String() != viaSign.URL.String() {
			t.Fatalf("URL: %s, Credentials.Sign %s", mirrored.URL, viaSign.URL)
		}
	}
}

// TestVectorsLikeOfficialSDK signs the shared signing vectors with the
// official SDK, to show that the vectors and the SDK version agree.
func TestVectorsLikeOfficialSDK(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			req := v.spec().request()
			officialSign(req, []byte(v.Body), v.spec().official(), v.Time)
			if got := req.Header.Get("Authorization"); got != v.Expect.Authorization {
				t.Errorf("official SDK Authorization:\n got %s\nwant %s", got, v.Expect.Authorization)
			}
		})
	}
}

// benchRequest is a GetConversationMessages request with a JSON body of
// realistic size, the same for both signers.
func benchRequest(tb testing.TB) (*http.Request, []byte) {
	tb.Helper()
	body := []byte(`{"AppId":123456789,"ConversationShortId":7312345678901234567,"Cursor":1666495802476129,"Limit":50,"Reverse":1,"Ext":{"trace":"` +
		strings.Repeat("abcdef0123456789", 16) + `"}}`)
	req, err := http.NewRequest(http.MethodPost,
		"https://rtc.volcengineapi.com/?Action=GetConversationMessages&Version=2020-12-01", nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "volcim-go/0.1")
	req.Header.Set("X-Im-Sdk-Version", "volcim-go/0.1")
	return req, body
}

// BenchmarkSign signs the same request with our signer and the official
// SDK. The sub-benchmarks are named signer=<name> so that benchstat puts
// them side by side, with the official ones as ratios to ours:
//
//	go test -run '^$' -bench BenchmarkSign -count 6 ./reference/... |
//		go run golang.org/x/perf/cmd/benchstat@latest -col /signer -
//
// (benchstat reads standard input only when given "-".)
func BenchmarkSign(b *testing.B) {
	creds := signer.Credentials{
		AccessKeyID:     "AKLTYzA1NDg4ZTQ1MmU0NDhiOGIwZmRhNmE0MjQ2OTg4ZWI",
		SecretAccessKey: "TlRFM01EZzRNRE0wTkRVMk5EbG1ZV0ZpT0RZMk56VTFNVEl3TldZeFpqUQ==",
	}
	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	b.Run("signer=volcim", func(b *testing.B) {
		s, err := signer.New(creds, "cn-north-1", "rtc")
		if err != nil {
			b.Fatal(err)
		}
		req, body := benchRequest(b)
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Sign(req, body, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("signer=official", func(b *testing.B) {
		c := base.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, Region: "cn-north-1", Service: "rtc"}
		req, body := benchRequest(b)
		b.ReportAllocs()
		for b.Loop() {
			officialSign(req, body, c, at)
		}
	})
	// The official SDK's own entry point, which also reads and replaces
	// the request body.
	b.Run("signer=official-CredentialsSign", func(b *testing.B) {
		c := base.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, Region: "cn-north-1", Service: "rtc"}
		req, body := benchRequest(b)
		b.ReportAllocs()
		for b.Loop() {
			req.Body = io.NopCloser(bytes.NewReader(body))
			c.Sign(req)
		}
	})
}
