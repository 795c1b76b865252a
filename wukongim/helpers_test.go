package wukongim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	volcim "github.com/volcim/volcim-go"
)

const (
	testBase  = "http://127.0.0.1:5001"
	testURL   = testBase + "/messages"
	testToken = "wk-manager-token-that-must-never-leak-9f3c"
)

// fastRetry retries without waiting: tests never sleep.
var fastRetry = volcim.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Nanosecond, MaxBackoff: time.Nanosecond}

// recorded is one request the mock received.
type recorded struct {
	header http.Header
	url    string
	body   []byte
}

// searchBody is the body of a search request.
type searchBody struct {
	ChannelID  string  `json:"channel_id"`
	MessageIDs []int64 `json:"message_ids"`
}

func (r recorded) search(t *testing.T) searchBody {
	t.Helper()
	var b searchBody
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		t.Fatalf("request body %s: %v", r.body, err)
	}
	return b
}

// mock is an instance-scoped httpmock transport (tests run in parallel)
// that records every request to the search URL.
type mock struct {
	mt   *httpmock.MockTransport
	mu   sync.Mutex
	reqs []recorded
}

// newMock answers the search URL with responders in order (the last one
// repeats).
func newMock(responders ...httpmock.Responder) *mock {
	m := &mock{mt: httpmock.NewMockTransport()}
	var n int
	m.handle(func(req *http.Request, _ []byte) (*http.Response, error) {
		m.mu.Lock()
		r := responders[min(n, len(responders)-1)]
		n++
		m.mu.Unlock()
		return r(req)
	})
	return m
}

// handle answers the search URL with f.
func (m *mock) handle(f func(req *http.Request, body []byte) (*http.Response, error)) {
	m.mt.RegisterResponder(http.MethodPost, testURL, func(req *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		m.mu.Lock()
		m.reqs = append(m.reqs, recorded{header: req.Header.Clone(), url: req.URL.String(), body: body})
		m.mu.Unlock()
		return f(req, body)
	})
}

func (m *mock) requests() []recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]recorded(nil), m.reqs...)
}

// client returns a client that sends through m, retrying without waits.
func (m *mock) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithHTTPClient(&http.Client{Transport: m.mt}), WithRetry(fastRetry)}, opts...)
	c, err := NewClient(testBase, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func reply(status int, body string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(status, body)
		if body != "" && (body[0] == '{' || body[0] == '[') {
			r.Header.Set("Content-Type", "application/json; charset=utf-8")
		}
		return r, nil
	}
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wireMsg builds a v2 message object for id.
func wireMsg(id int64) map[string]any {
	return map[string]any{
		"header":        map[string]int{"no_persist": 0, "red_dot": 1, "sync_once": 0},
		"setting":       0,
		"message_id":    id,
		"message_idstr": strconv.FormatInt(id, 10),
		"client_msg_no": "cmn-" + strconv.FormatInt(id, 10),
		"message_seq":   id % 1000,
		"from_uid":      "u1",
		"channel_id":    "g1",
		"channel_type":  2,
		"expire":        0,
		"timestamp":     1766500000,
		"payload":       base64.StdEncoding.EncodeToString([]byte("m" + strconv.FormatInt(id, 10))),
	}
}

// store is a fake server holding the messages with the given ids.
type store map[int64]bool

func storeOf(ids ...int64) store {
	s := store{}
	for _, id := range ids {
		s[id] = true
	}
	return s
}

// v2 answers like a real v2 server: 200, an object, missing ids left out,
// results in request order.
func (s store) v2(t *testing.T) func(*http.Request, []byte) (*http.Response, error) {
	return func(_ *http.Request, body []byte) (*http.Response, error) {
		var b searchBody
		if err := json.Unmarshal(body, &b); err != nil || b.ChannelID == "" {
			return httpmock.NewStringResponse(400, `{"msg":"channel_id不能为空！","status":400}`), nil
		}
		msgs := []map[string]any{}
		for _, id := range b.MessageIDs {
			if s[id] {
				msgs = append(msgs, wireMsg(id))
			}
		}
		return jsonResponse(t, 200, map[string]any{"start_message_seq": 0, "end_message_seq": 0, "more": 0, "messages": msgs})
	}
}

// page answers like the published page: a bare array, and a 404 with an
// error object when any id is missing.
func (s store) page(t *testing.T) func(*http.Request, []byte) (*http.Response, error) {
	return func(_ *http.Request, body []byte) (*http.Response, error) {
		var b searchBody
		if err := json.Unmarshal(body, &b); err != nil {
			return httpmock.NewStringResponse(400, `{"msg":"bad","status":400}`), nil
		}
		msgs := []map[string]any{}
		for _, id := range b.MessageIDs {
			if !s[id] {
				return httpmock.NewStringResponse(404, `{"msg":"消息不存在","status":404}`), nil
			}
			msgs = append(msgs, wireMsg(id))
		}
		return jsonResponse(t, 200, msgs)
	}
}

func jsonResponse(t *testing.T, status int, v any) (*http.Response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		t.Error(err)
	}
	return httpmock.NewBytesResponse(status, b), nil
}

func ids(msgs []Message) []int64 {
	out := make([]int64, len(msgs))
	for i, m := range msgs {
		out[i] = m.MessageID
	}
	return out
}

func seq(from, n int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = from + int64(i)
	}
	return out
}

// logRecorder is a debug slog logger writing to a buffer.
func logRecorder() (*slog.Logger, func() string) {
	var mu sync.Mutex
	var buf bytes.Buffer
	w := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	})
	l := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return l, func() string {
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
