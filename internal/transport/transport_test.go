package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxAttempts: 5, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	lowest := func(int64) int64 { return 0 }
	highest := func(n int64) int64 { return n - 1 }
	for _, tc := range []struct {
		attempt int
		lo, hi  time.Duration
	}{
		{0, 100 * time.Millisecond, 100 * time.Millisecond},
		{1, 100 * time.Millisecond, 200 * time.Millisecond},
		{2, 100 * time.Millisecond, 400 * time.Millisecond},
		{3, 100 * time.Millisecond, 800 * time.Millisecond},
		{4, 100 * time.Millisecond, time.Second},
		{40, 100 * time.Millisecond, time.Second},
	} {
		if got := Backoff(p, tc.attempt, nil, lowest); got != tc.lo {
			t.Errorf("attempt %d lowest %s, want %s", tc.attempt, got, tc.lo)
		}
		if got := Backoff(p, tc.attempt, nil, highest); got != tc.hi {
			t.Errorf("attempt %d highest %s, want %s", tc.attempt, got, tc.hi)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(5 * time.Second).Format(http.TimeFormat), 5 * time.Second, true},
		{now.Add(-5 * time.Second).Format(http.TimeFormat), 0, true},
	} {
		resp := &http.Response{Header: http.Header{}}
		if tc.header != "" {
			resp.Header.Set("Retry-After", tc.header)
		}
		got, ok := RetryAfter(resp, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Retry-After %q: %s %v, want %s %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
	p := RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Second}
	resp := &http.Response{Header: http.Header{"Retry-After": {"60"}}}
	if got := Backoff(p, 0, resp, func(int64) int64 { return 0 }); got != 2*time.Second {
		t.Errorf("Retry-After beyond MaxBackoff gave %s", got)
	}
}

func TestReadCapped(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("x"), 100_000)
	for _, tc := range []struct {
		name  string
		r     io.Reader
		limit int64
		hint  int64
		want  int
		err   error
	}{
		{"small", strings.NewReader("hello"), 10, 5, 5, nil},
		{"exact limit", strings.NewReader("hello"), 5, -1, 5, nil},
		{"over limit", strings.NewReader("hello!"), 5, -1, 0, ErrResponseTooLarge},
		{"large, unknown length", bytes.NewReader(body), 1 << 20, -1, len(body), nil},
		{"large, one byte at a time", iotest.OneByteReader(bytes.NewReader(body[:5000])), 1 << 20, 5000, 5000, nil},
		{"lying length hint", bytes.NewReader(body), 1 << 20, 10, len(body), nil},
		{"read error", iotest.ErrReader(io.ErrUnexpectedEOF), 10, -1, 0, io.ErrUnexpectedEOF},
	} {
		buf, err := readCapped(tc.r, tc.limit, tc.hint)
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.err)
			continue
		}
		if err == nil {
			if len(buf.b) != tc.want {
				t.Errorf("%s: read %d bytes, want %d", tc.name, len(buf.b), tc.want)
			}
			buf.release()
		}
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	p, err := RetryPolicy{}.Normalize()
	if err != nil || p.MaxAttempts != DefaultMaxAttempts || p.MinBackoff != DefaultMinBackoff || p.MaxBackoff != DefaultMaxBackoff {
		t.Errorf("defaults: %+v %v", p, err)
	}
	for _, bad := range []RetryPolicy{{MaxAttempts: -1}, {MinBackoff: -1}, {MinBackoff: time.Second, MaxBackoff: time.Millisecond}} {
		if _, err := bad.Normalize(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestRedirectsAreNotFollowed checks that a redirect, even to another host,
// is returned as the reply: following it would prepare (sign, add the token
// to) a request for a server the caller never named.
func TestRedirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	var prepared atomic.Int32
	p := New(Config{
		Base:  srv.Client().Transport,
		Retry: RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
		Prepare: func(req *http.Request, body []byte) error {
			prepared.Add(1)
			req.Header.Set("Token", "secret")
			return nil
		},
	})
	resp, err := p.Do(context.Background(), &Call{Action: "A", Method: http.MethodPost, URL: srv.URL, Body: []byte("{}")})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Release()
	if resp.StatusCode != http.StatusTemporaryRedirect || resp.Attempts != 1 {
		t.Errorf("status %d after %d attempts, want the 307 itself", resp.StatusCode, resp.Attempts)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect was followed: the other host got %d requests", n)
	}
	if n := prepared.Load(); n != 1 {
		t.Errorf("Prepare ran %d times, want 1", n)
	}
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 150) // 300 bytes, two per rune
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  <html>\n<body>  oops </body>\n</html>  ", "<html> <body> oops </body> </html>"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{long, strings.Repeat("é", 100) + "…"},
		{"x" + long, "x" + strings.Repeat("é", 99) + "…"}, // the 200th byte would split a rune
	} {
		if got := Excerpt([]byte(tc.in)); got != tc.want {
			t.Errorf("Excerpt(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
