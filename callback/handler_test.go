package callback_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/callback"
)

// afterSendData is the EventData of an AfterSendMessage in the form the
// package assumes, with the variations it accepts: ids beyond 2^53 as
// numbers and as strings, an Ext value that is not a string, CreateTime in
// milliseconds.
const afterSendData = `{
	"AppId": "123456",
	"ConversationShortId": 7171275522159198471,
	"ConversationType": 2,
	"MessageId": "7400000000000001009",
	"ClientMessageId": "c-1",
	"Sender": 10001,
	"MsgType": 10001,
	"Content": "{\"text\":\"hello 世界\"}",
	"Ext": {"k": "v", "n": 5},
	"MentionedUsers": [10002, "10003"],
	"MessagePriority": 2,
	"CreateTime": 1710144000123,
	"IndexInConversation": 9007199254740993,
	"Header": {"ClientIP": "203.0.113.7", "DeviceType": "iOS", "Build": 42}
}`

func wantAfterSendMessage() volcim.Message {
	return volcim.Message{
		AppID:               123456,
		ConversationShortID: 7171275522159198471,
		ConversationType:    volcim.ConversationGroup,
		MessageID:           7400000000000001009,
		ClientMsgID:         "c-1",
		MsgType:             volcim.MessageText,
		Content:             `{"text":"hello 世界"}`,
		Ext:                 map[string]string{"k": "v", "n": "5"},
		CreateTime:          time.UnixMilli(1710144000123).UTC(),
		Sender:              10001,
		IndexInConversation: 9007199254740993,
	}
}

func TestHandlerAfterSendMessage(t *testing.T) {
	t.Parallel()
	got := make(chan *callback.AfterSendMessage, 1)
	hs := newHarness(t, callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
		got <- e
		return nil
	}))
	env := event(callback.TypeAfterSendMessage, afterSendData)
	if body := hs.expect(env, http.StatusOK); body != "" {
		t.Errorf("body %q, want none", body)
	}
	e := <-got
	if !reflect.DeepEqual(e.Message, wantAfterSendMessage()) {
		t.Errorf("Message = %+v\nwant      %+v", e.Message, wantAfterSendMessage())
	}
	if !reflect.DeepEqual(e.MentionedUsers, []int64{10002, 10003}) || e.Priority != volcim.PriorityHigh {
		t.Errorf("MentionedUsers %v, Priority %v", e.MentionedUsers, e.Priority)
	}
	if want := map[string]string{"ClientIP": "203.0.113.7", "DeviceType": "iOS", "Build": "42"}; !reflect.DeepEqual(e.Header, want) {
		t.Errorf("Header = %v, want %v", e.Header, want)
	}
	if e.Type != callback.TypeAfterSendMessage || e.ID != env.EventID || e.AppID != testApp || !e.Time.Equal(t0) ||
		e.Version != callback.EnvelopeVersion || e.Nonce != "4821" || string(e.Data) != afterSendData {
		t.Errorf("Event = %+v", e.Event)
	}
	if text, ok := e.Message.Text(); !ok || text != "hello 世界" {
		t.Errorf("Text() = %q, %v", text, ok)
	}
}

// TestEncodeMessageDataRoundTrip: what volcimtest sends decodes to the
// message it was made from.
func TestEncodeMessageDataRoundTrip(t *testing.T) {
	t.Parallel()
	m := wantAfterSendMessage()
	data, err := callback.EncodeMessageData(m, []int64{10002, 10003}, volcim.PriorityHigh, map[string]string{"ClientIP": "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *callback.BeforeSendMessage, 1)
	hs := newHarness(t, callback.OnBeforeSendMessage(func(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
		got <- e
		return callback.Allow(), nil
	}))
	hs.expect(event(callback.TypeBeforeSendMessage, string(data)), http.StatusOK)
	e := <-got
	if !reflect.DeepEqual(e.Message, m) || !reflect.DeepEqual(e.MentionedUsers, []int64{10002, 10003}) ||
		e.Priority != volcim.PriorityHigh || e.Header["ClientIP"] != "127.0.0.1" {
		t.Errorf("decoded %+v %v %v %v\nfrom %s", e.Message, e.MentionedUsers, e.Priority, e.Header, data)
	}
}

// TestHandlerEventDataVariants: the lenient forms of the assumed fields.
func TestHandlerEventDataVariants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		data  string
		check func(e *callback.AfterSendMessage) string
	}{
		{"nulls and empty strings", `{"MessageId":null,"Sender":"","Ext":null,"Header":"","CreateTime":null}`,
			func(e *callback.AfterSendMessage) string {
				if e.Message.MessageID != 0 || e.Message.Sender != 0 || e.Message.Ext != nil || e.Header != nil || !e.Message.CreateTime.IsZero() {
					return fmt.Sprintf("%+v %v", e.Message, e.Header)
				}
				return ""
			}},
		{"Ext as a JSON string", `{"Ext":"{\"a\":\"b\"}"}`,
			func(e *callback.AfterSendMessage) string {
				if e.Message.Ext["a"] != "b" {
					return fmt.Sprint(e.Message.Ext)
				}
				return ""
			}},
		{"CreateTime in seconds and RFC 3339", `{"CreateTime":"2024-03-11T08:00:00Z","IndexInConversation":"1"}`,
			func(e *callback.AfterSendMessage) string {
				if !e.Message.CreateTime.Equal(t0) || e.Message.IndexInConversation != 1 {
					return fmt.Sprint(e.Message.CreateTime, e.Message.IndexInConversation)
				}
				return ""
			}},
		{"unknown fields", `{"Sender":1,"Future":{"x":[1,2]}}`,
			func(e *callback.AfterSendMessage) string {
				var extra struct{ Future struct{ X []int } }
				if err := e.Decode(&extra); err != nil || len(extra.Future.X) != 2 {
					return fmt.Sprint(err, extra)
				}
				return ""
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := make(chan *callback.AfterSendMessage, 1)
			hs := newHarness(t, callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
				got <- e
				return nil
			}))
			hs.expect(event(callback.TypeAfterSendMessage, tc.data), http.StatusOK)
			if msg := tc.check(<-got); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func TestHandlerBeforeSendVerdicts(t *testing.T) {
	t.Parallel()
	masked := `{"text":"***"}`
	tests := []struct {
		name    string
		verdict callback.Verdict
		body    string
	}{
		{"allow", callback.Allow(), `{"Allow":true}`},
		{"block", callback.Block(1001, "banned word"), `{"Allow":false,"CheckCode":1001,"CheckMessage":"banned word"}`},
		{"replace", callback.Replace(masked), `{"Allow":true,"Content":"{\"text\":\"***\"}"}`},
		{"replace ext", callback.Verdict{Ext: map[string]string{"moderated": "1"}}, `{"Allow":true,"Ext":{"moderated":"1"}}`},
		{"block drops changes", callback.Verdict{Block: true, Content: &masked}, `{"Allow":false}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hs := newHarness(t, callback.OnBeforeSendMessage(func(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
				return tc.verdict, nil
			}))
			body := hs.expect(event(callback.TypeBeforeSendMessage, afterSendData), http.StatusOK)
			if body != tc.body {
				t.Errorf("body %s, want %s", body, tc.body)
			}
			v, err := callback.ParseVerdict([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			want := tc.verdict
			if want.Block {
				want.Content, want.Ext = nil, nil
			}
			if !reflect.DeepEqual(v, want) {
				t.Errorf("ParseVerdict = %+v, want %+v", v, want)
			}
		})
	}
}

func TestParseVerdict(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]callback.Verdict{
		"":                                   {},
		" \n":                                {},
		`{}`:                                 {},
		`{"Allow":true,"CheckCode":5}`:       {},
		`{"CheckCode":5,"CheckMessage":"x"}`: {Block: true, Code: 5, Reason: "x"},
		`{"Allow":false}`:                    {Block: true},
	} {
		got, err := callback.ParseVerdict([]byte(body))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseVerdict(%q) = %+v, %v; want %+v", body, got, err, want)
		}
	}
	if _, err := callback.ParseVerdict([]byte("OK")); err == nil {
		t.Error("ParseVerdict of a non-JSON body succeeded")
	}
}

func TestWithVerdictEncoder(t *testing.T) {
	t.Parallel()
	hs := newHarness(t,
		callback.OnBeforeSendMessage(func(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
			return callback.Block(7, "no"), nil
		}),
		callback.WithVerdictEncoder(func(v callback.Verdict) ([]byte, error) {
			return fmt.Appendf(nil, `{"pass":%v}`, !v.Block), nil
		}))
	if body := hs.expect(event(callback.TypeBeforeSendMessage, `{}`), http.StatusOK); body != `{"pass":false}` {
		t.Errorf("body %s", body)
	}
	failing := newHarness(t,
		callback.OnBeforeSendMessage(func(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
			return callback.Allow(), nil
		}),
		callback.WithVerdictEncoder(func(callback.Verdict) ([]byte, error) { return nil, errors.New("cannot") }))
	failing.expect(event(callback.TypeBeforeSendMessage, `{}`), http.StatusInternalServerError)
}

// TestHandlerUnknownEvents: events with no typed handler go to OnEvent raw,
// or are acknowledged.
func TestHandlerUnknownEvents(t *testing.T) {
	t.Parallel()
	got := make(chan *callback.Event, 3)
	hs := newHarness(t, callback.OnEvent(func(ctx context.Context, e *callback.Event) error {
		got <- e
		return nil
	}))
	for _, tc := range []struct{ typ, data, body string }{
		{"ConversationCreated", `{"ConversationShortId":1}`, ""},
		{"SomethingNew", "not even JSON", ""},
		// No typed handler for it here: raw, and let through.
		{callback.TypeBeforeSendMessage, `{"Content":"x"}`, `{"Allow":true}`},
	} {
		env := event(tc.typ, tc.data)
		if body := hs.expect(env, http.StatusOK); body != tc.body {
			t.Errorf("%s: body %q, want %q", tc.typ, body, tc.body)
		}
		e := <-got
		if e.Type != tc.typ || e.ID != env.EventID || string(e.Data) != tc.data {
			t.Errorf("OnEvent got %+v", e)
		}
	}

	none := newHarness(t)
	none.expect(event("Whatever", `{}`), http.StatusOK)
	if body := none.expect(event(callback.TypeBeforeSendMessage, `{}`), http.StatusOK); body != `{"Allow":true}` {
		t.Errorf("BeforeSendMessage with no handler answered %q", body)
	}
	if !strings.Contains(none.logs.String(), `"msg":"callback: no handler for the event; acknowledged"`) {
		t.Errorf("no debug log of the unhandled event:\n%s", none.logs)
	}
}

// TestHandlerRefusals: every kind of bad request gets its status, is not
// dispatched, and is logged at its level, without the secret.
func TestHandlerRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		opts   []callback.Option
		req    func(t *testing.T, url string) *http.Request
		env    func() *callback.Envelope // used when req is nil
		body   string                    // used when both are nil
		status int
		level  string
		reason string
	}{
		{name: "GET", req: func(t *testing.T, url string) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, url, nil)
			return r
		}, status: 405, level: "DEBUG", reason: "method GET, want POST"},
		{name: "not JSON", body: "EventType=AfterSendMessage", status: 400, level: "DEBUG", reason: "not a JSON callback envelope"},
		{name: "empty body", body: "", status: 400, level: "DEBUG", reason: "not a JSON callback envelope"},
		{name: "unsigned", env: func() *callback.Envelope {
			e := event(callback.TypeAfterSendMessage, afterSendData)
			e.Signature = ""
			return e
		}, status: 401, level: "DEBUG", reason: "unsigned"},
		{name: "wrong signature", env: func() *callback.Envelope {
			e := event(callback.TypeAfterSendMessage, afterSendData)
			e.EventData = strings.Replace(e.EventData, "hello", "HELLO", 1)
			return e
		}, status: 403, level: "DEBUG", reason: "wrong signature"},
		{name: "another secret", env: func() *callback.Envelope {
			return resign(event(callback.TypeAfterSendMessage, afterSendData), "not-the-secret")
		}, status: 403, level: "DEBUG", reason: "wrong signature"},
		{name: "another app", opts: []callback.Option{callback.WithAppIDs(999)}, env: func() *callback.Envelope {
			return event(callback.TypeAfterSendMessage, afterSendData)
		}, status: 403, level: "WARN", reason: "another app's event"},
		{name: "no EventId", env: func() *callback.Envelope {
			e := event(callback.TypeAfterSendMessage, afterSendData)
			e.EventID = ""
			return resign(e, testSecret)
		}, status: 400, level: "WARN", reason: "no EventId"},
		{name: "no EventType", env: func() *callback.Envelope {
			return resign(event("", afterSendData), testSecret)
		}, status: 400, level: "WARN", reason: "no EventType"},
		{name: "long EventId", env: func() *callback.Envelope {
			e := event(callback.TypeAfterSendMessage, afterSendData)
			e.EventID = strings.Repeat("e", callback.MaxEventIDLength+1)
			return resign(e, testSecret)
		}, status: 400, level: "WARN", reason: "EventId longer than 256 bytes"},
		{name: "long AppId", env: func() *callback.Envelope {
			e := event(callback.TypeAfterSendMessage, afterSendData)
			e.AppID = strings.Repeat("1", callback.MaxAppIDLength+1)
			return resign(e, testSecret)
		}, status: 400, level: "WARN", reason: "AppId longer than 64 bytes"},
		{name: "unreadable EventTime", env: func() *callback.Envelope {
			e := event(callback.TypeAfterSendMessage, afterSendData)
			e.EventTime = "yesterday"
			return resign(e, testSecret)
		}, status: 400, level: "WARN", reason: "unreadable EventTime"},
		{name: "stale", env: func() *callback.Envelope {
			e := event(callback.TypeAfterSendMessage, afterSendData)
			e.EventTime = callback.FormatTime(t0.Add(-callback.DefaultMaxAge - time.Millisecond))
			return resign(e, testSecret)
		}, status: 400, level: "DEBUG", reason: "stale: EventTime is 10m0.001s old, over 10m0s"},
		{name: "from the future", env: func() *callback.Envelope {
			e := event(callback.TypeAfterSendMessage, afterSendData)
			e.EventTime = callback.FormatTime(t0.Add(callback.DefaultMaxAge + time.Second))
			return resign(e, testSecret)
		}, status: 400, level: "DEBUG", reason: "stale: EventTime is 10m1s ahead, over 10m0s"},
		{name: "EventData that does not decode", env: func() *callback.Envelope {
			return event(callback.TypeAfterSendMessage, `{"Content":42}`)
		}, status: 400, level: "WARN", reason: "EventData of AfterSendMessage does not decode"},
		{name: "EventData not JSON", env: func() *callback.Envelope {
			return event(callback.TypeAfterSendMessage, `hello`)
		}, status: 400, level: "WARN", reason: "EventData of AfterSendMessage does not decode"},
		{name: "oversized, declared", opts: []callback.Option{callback.WithMaxBodyBytes(100)}, env: func() *callback.Envelope {
			return event(callback.TypeAfterSendMessage, afterSendData)
		}, status: 413, level: "DEBUG"},
		{name: "oversized, chunked", opts: []callback.Option{callback.WithMaxBodyBytes(100)}, req: func(t *testing.T, url string) *http.Request {
			body, _ := event(callback.TypeAfterSendMessage, afterSendData).Marshal()
			r, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
			r.ContentLength = -1 // chunked: the size is known only by reading
			return r
		}, status: 413, level: "DEBUG", reason: "body over 100 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls counter
			opts := append([]callback.Option{callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
				calls.inc()
				return nil
			})}, tc.opts...)
			hs := newHarness(t, opts...)
			var status int
			var body string
			switch {
			case tc.req != nil:
				resp, err := http.DefaultClient.Do(tc.req(t, hs.url))
				if err != nil {
					t.Fatal(err)
				}
				b := new(strings.Builder)
				_, _ = bufio.NewReader(resp.Body).WriteTo(b)
				resp.Body.Close()
				status, body = resp.StatusCode, b.String()
			case tc.env != nil:
				status, body = hs.post(tc.env())
			default:
				status, body = hs.postBody([]byte(tc.body))
			}
			if status != tc.status {
				t.Fatalf("status %d (%s), want %d", status, strings.TrimSpace(body), tc.status)
			}
			if tc.reason != "" && strings.TrimSpace(body) != "callback: "+tc.reason {
				t.Errorf("body %q, want %q", body, "callback: "+tc.reason)
			}
			if n := calls.get(); n != 0 {
				t.Errorf("dispatched %d times", n)
			}
			logs := hs.logs.String()
			if !strings.Contains(logs, `"level":"`+tc.level+`","msg":"callback: refused"`) || !strings.Contains(logs, fmt.Sprintf(`"status":%d`, tc.status)) {
				t.Errorf("want a %s log of the refusal with status %d, got:\n%s", tc.level, tc.status, logs)
			}
			if strings.Contains(logs, testSecret) {
				t.Errorf("the log shows the secret:\n%s", logs)
			}
		})
	}
}

// TestHandlerDuplicates: a duplicate is answered 200, as the first was,
// and not dispatched again, whether it repeats the request, is signed anew
// with another nonce (as a retry may be), or has two values swapped, which
// the sorted signature does not notice.
func TestHandlerDuplicates(t *testing.T) {
	t.Parallel()
	var calls counter
	hs := newHarness(t, callback.OnBeforeSendMessage(func(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
		calls.inc()
		return callback.Block(int(calls.get()), "seen"), nil // a verdict that would differ on a second call
	}))
	env := event(callback.TypeBeforeSendMessage, afterSendData)
	first := hs.expect(env, http.StatusOK)

	same := *env
	renonced := *env
	renonced.Nonce = "9123"
	resign(&renonced, testSecret)
	upper := *env
	upper.Signature = strings.ToUpper(env.Signature)
	swapped := *env
	swapped.EventID, swapped.Nonce = env.Nonce, env.EventID // verifies, under EventId "4821"
	swappedUpper := swapped
	swappedUpper.Signature = strings.ToUpper(env.Signature)
	for name, dup := range map[string]*callback.Envelope{
		"the same request":                &same,
		"signed anew with another nonce":  &renonced,
		"the signature in upper case":     &upper,
		"EventId and Nonce swapped":       &swapped,
		"swapped, signature in uppercase": &swappedUpper,
	} {
		if body := hs.expect(dup, http.StatusOK); body != first {
			t.Errorf("%s: answered %s, want the first answer %s", name, body, first)
		}
	}
	if n := calls.get(); n != 1 {
		t.Errorf("dispatched %d times, want 1", n)
	}
	if !strings.Contains(hs.logs.String(), `"level":"DEBUG","msg":"callback: duplicate delivery, answered as the first"`) {
		t.Errorf("no debug log of the duplicates:\n%s", hs.logs)
	}

	// A new event with the same EventId in another app is another event.
	other := *env
	other.AppID = "654321"
	hs.expect(resign(&other, testSecret), http.StatusOK)
	if n := calls.get(); n != 2 {
		t.Errorf("dispatched %d times, want 2", n)
	}
}

// TestHandlerReplay: a captured request replayed within the window is a
// duplicate; after the window it is stale, even once the store has
// forgotten it.
func TestHandlerReplay(t *testing.T) {
	t.Parallel()
	var calls counter
	hs := newHarness(t,
		callback.WithMaxAge(time.Minute),
		callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
			calls.inc()
			return nil
		}))
	env := event(callback.TypeAfterSendMessage, afterSendData)
	hs.expect(env, http.StatusOK)
	hs.clock.Advance(59 * time.Second)
	hs.expect(env, http.StatusOK) // duplicate
	hs.clock.Advance(2 * time.Second)
	hs.expect(env, http.StatusBadRequest) // stale
	hs.clock.Advance(2 * time.Minute)     // past the dedup TTL of 2 minutes too
	hs.expect(env, http.StatusBadRequest)
	if n := calls.get(); n != 1 {
		t.Errorf("dispatched %d times, want 1", n)
	}
}

// TestHandlerMaxAgeOff: WithMaxAge(0) accepts any EventTime it can read.
func TestHandlerMaxAgeOff(t *testing.T) {
	t.Parallel()
	hs := newHarness(t, callback.WithMaxAge(0))
	e := event("X", `{}`)
	e.EventTime = "1970-07-01T00:00:00.000000000Z"
	hs.expect(resign(e, testSecret), http.StatusOK)
	e = event("X", `{}`)
	e.EventTime = "1710144000123" // milliseconds, defensively
	hs.expect(resign(e, testSecret), http.StatusOK)
}

// TestHandlerRotation: while a secret is rotated, events signed with
// either are accepted.
func TestHandlerRotation(t *testing.T) {
	t.Parallel()
	h, err := callback.NewHandler([]string{testSecret, testOldSecret}, callback.WithClock(func() time.Time { return t0 }))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{testSecret, testOldSecret} {
		rec := serve(h, resign(event("X", `{}`), secret))
		if rec != http.StatusOK {
			t.Errorf("signed with one of the secrets: status %d", rec)
		}
	}
	if rec := serve(h, resign(event("X", `{}`), "a-third-secret")); rec != http.StatusForbidden {
		t.Errorf("signed with another secret: status %d", rec)
	}
}

// serve runs h on env without a network, through a ResponseWriter that
// cannot set read deadlines.
func serve(h http.Handler, env *callback.Envelope) int {
	body, _ := env.Marshal()
	rec := newRecorder()
	req, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
	h.ServeHTTP(rec, req)
	return rec.status
}

type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func newRecorder() *recorder                    { return &recorder{header: http.Header{}} }
func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(status int)      { r.status = status }

// TestHandlerFailureRetried: a handler error answers 500 and releases the
// event, so that the server's retry handles it.
func TestHandlerFailureRetried(t *testing.T) {
	t.Parallel()
	var calls counter
	hs := newHarness(t, callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
		calls.inc()
		if calls.get() == 1 {
			return errors.New("database down")
		}
		return nil
	}))
	env := event(callback.TypeAfterSendMessage, afterSendData)
	hs.expect(env, http.StatusInternalServerError)
	hs.expect(env, http.StatusOK)
	hs.expect(env, http.StatusOK)
	if n := calls.get(); n != 2 {
		t.Errorf("dispatched %d times, want 2", n)
	}
	if logs := hs.logs.String(); !strings.Contains(logs, `"level":"WARN","msg":"callback: refused"`) || !strings.Contains(logs, "database down") {
		t.Errorf("the failure is not logged at warn level:\n%s", logs)
	}
}

// TestHandlerPanicReleases: a panicking handler function aborts the
// request (net/http's way) and releases the event for the retry.
func TestHandlerPanicReleases(t *testing.T) {
	t.Parallel()
	var calls counter
	hs := newHarness(t, callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
		calls.inc()
		if calls.get() == 1 {
			panic("bug")
		}
		return nil
	}))
	env := event(callback.TypeAfterSendMessage, afterSendData)
	body, _ := env.Marshal()
	if resp, err := http.Post(hs.url, "application/json", strings.NewReader(string(body))); err == nil {
		resp.Body.Close()
		t.Fatalf("a panicking handler answered %d", resp.StatusCode)
	}
	hs.expect(env, http.StatusOK)
	if n := calls.get(); n != 2 {
		t.Errorf("dispatched %d times, want 2", n)
	}
}

// TestHandlerInProgress: a duplicate that arrives while the event is being
// handled is answered 409, so that the server retries it later; the first
// delivery still completes.
func TestHandlerInProgress(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}), make(chan struct{})
	var calls counter
	hs := newHarness(t, callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
		calls.inc()
		close(entered)
		<-release
		return nil
	}))
	env := event(callback.TypeAfterSendMessage, afterSendData)
	var wg sync.WaitGroup
	wg.Add(1)
	var firstStatus int
	go func() {
		defer wg.Done()
		firstStatus, _ = hs.post(env)
	}()
	<-entered
	hs.expect(env, http.StatusConflict)
	close(release)
	wg.Wait()
	if firstStatus != http.StatusOK {
		t.Errorf("the first delivery got %d", firstStatus)
	}
	hs.expect(env, http.StatusOK)
	if n := calls.get(); n != 1 {
		t.Errorf("dispatched %d times, want 1", n)
	}
}

// TestHandlerSlowBody: a body that does not arrive within the read timeout
// is answered 408, without waiting for the rest.
func TestHandlerSlowBody(t *testing.T) {
	t.Parallel()
	var calls counter
	hs := newHarness(t,
		callback.WithReadTimeout(50*time.Millisecond),
		callback.OnEvent(func(ctx context.Context, e *callback.Event) error {
			calls.inc()
			return nil
		}))
	u, err := url.Parse(hs.url)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Headers announce 200 bytes; 20 come, then nothing.
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"EventType\":\"X\",", u.Host)
	if err := conn.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil { // a safety net, never reached
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("status %d, want 408", resp.StatusCode)
	}
	if calls.get() != 0 {
		t.Error("dispatched")
	}
	if !strings.Contains(hs.logs.String(), `"reason":"the body took over 50ms"`) {
		t.Errorf("no log of the slow body:\n%s", hs.logs)
	}
}

// TestHandlerDeadline: handler functions get a context that ends within
// the timeout, and one that overruns it is answered 500 and retried.
func TestHandlerDeadline(t *testing.T) {
	t.Parallel()
	var calls counter
	hs := newHarness(t,
		callback.WithTimeout(100*time.Millisecond),
		callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
			calls.inc()
			deadline, ok := ctx.Deadline()
			if !ok || time.Until(deadline) > 100*time.Millisecond {
				return fmt.Errorf("deadline %v, %v", deadline, ok)
			}
			if calls.get() == 1 {
				<-ctx.Done() // a slow database
				return ctx.Err()
			}
			return nil
		}))
	env := event(callback.TypeAfterSendMessage, afterSendData)
	hs.expect(env, http.StatusInternalServerError)
	hs.expect(env, http.StatusOK)
}

// failingStore fails the operations a test chooses.
type failingStore struct {
	callback.Store
	claim, complete error
}

func (s *failingStore) Claim(ctx context.Context, key, token string, lease time.Duration) (callback.Claim, error) {
	if s.claim != nil {
		return callback.Claim{}, s.claim
	}
	return s.Store.Claim(ctx, key, token, lease)
}

func (s *failingStore) Complete(ctx context.Context, key string, reply []byte, ttl time.Duration) error {
	if s.complete != nil {
		return s.complete
	}
	return s.Store.Complete(ctx, key, reply, ttl)
}

func TestHandlerStoreFailures(t *testing.T) {
	t.Parallel()
	var calls counter
	on := callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
		calls.inc()
		return nil
	})
	down := newHarness(t, on, callback.WithStore(&failingStore{Store: callback.NewMemoryStore(10, nil), claim: errors.New("redis: connection refused")}))
	down.expect(event(callback.TypeAfterSendMessage, afterSendData), http.StatusServiceUnavailable)
	if calls.get() != 0 {
		t.Error("dispatched without a claim")
	}
	if !strings.Contains(down.logs.String(), `"level":"ERROR","msg":"callback: the dedup store failed; answering 503 so that the server retries"`) {
		t.Errorf("no error log:\n%s", down.logs)
	}

	// Handled, but not recorded: still 200 (the work is done), with a warning.
	lossy := newHarness(t, on, callback.WithStore(&failingStore{Store: callback.NewMemoryStore(10, nil), complete: errors.New("timeout")}))
	lossy.expect(event(callback.TypeAfterSendMessage, afterSendData), http.StatusOK)
	if calls.get() != 1 {
		t.Error("not dispatched")
	}
	if !strings.Contains(lossy.logs.String(), `"level":"WARN","msg":"callback: handled, but the dedup store did not record it`) {
		t.Errorf("no warning:\n%s", lossy.logs)
	}
}

// TestHandlerConcurrentDuplicates: of many concurrent deliveries of one
// event, one is dispatched; the others get 200 (after it) or 409 (during).
func TestHandlerConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	var calls counter
	hs := newHarness(t, callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
		calls.inc()
		return nil
	}))
	env := event(callback.TypeAfterSendMessage, afterSendData)
	body, _ := env.Marshal()
	var wg sync.WaitGroup
	statuses := make(chan int, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(hs.url, "application/json", strings.NewReader(string(body)))
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK && s != http.StatusConflict {
			t.Errorf("status %d", s)
		}
	}
	if n := calls.get(); n != 1 {
		t.Errorf("dispatched %d times, want 1", n)
	}
}

func TestNewHandlerErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		secrets []string
		opts    []callback.Option
	}{
		"no secret":          {nil, nil},
		"an empty secret":    {[]string{testSecret, ""}, nil},
		"negative max age":   {[]string{testSecret}, []callback.Option{callback.WithMaxAge(-1)}},
		"zero dedup TTL":     {[]string{testSecret}, []callback.Option{callback.WithDedupTTL(0)}},
		"zero timeout":       {[]string{testSecret}, []callback.Option{callback.WithTimeout(0)}},
		"zero read timeout":  {[]string{testSecret}, []callback.Option{callback.WithReadTimeout(0)}},
		"zero body cap":      {[]string{testSecret}, []callback.Option{callback.WithMaxBodyBytes(0)}},
		"nil store":          {[]string{testSecret}, []callback.Option{callback.WithStore(nil)}},
		"nil clock":          {[]string{testSecret}, []callback.Option{callback.WithClock(nil)}},
		"nil logger":         {[]string{testSecret}, []callback.Option{callback.WithLogger(nil)}},
		"nil encoder":        {[]string{testSecret}, []callback.Option{callback.WithVerdictEncoder(nil)}},
		"nil before handler": {[]string{testSecret}, []callback.Option{callback.OnBeforeSendMessage(nil)}},
		"nil after handler":  {[]string{testSecret}, []callback.Option{callback.OnAfterSendMessage(nil)}},
		"nil event handler":  {[]string{testSecret}, []callback.Option{callback.OnEvent(nil)}},
		"a non-positive app": {[]string{testSecret}, []callback.Option{callback.WithAppIDs(1, 0)}},
	}
	for name, tc := range tests {
		h, err := callback.NewHandler(tc.secrets, tc.opts...)
		if err == nil {
			t.Errorf("%s: NewHandler = %v, want an error", name, h)
			continue
		}
		if strings.Contains(err.Error(), testSecret) {
			t.Errorf("%s: the error shows the secret: %v", name, err)
		}
	}
	if _, err := callback.NewHandler([]string{testSecret}, nil); err != nil {
		t.Errorf("a nil option: %v", err)
	}
}

// TestHandlerReadsEveryVerdictField: the JSON of the default verdict is a
// plain object a server in another language reads.
func TestHandlerReadsEveryVerdictField(t *testing.T) {
	t.Parallel()
	b, err := callback.EncodeVerdict(callback.Verdict{Content: new(string), Ext: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || m["Allow"] != true || m["Content"] != "" {
		t.Errorf("EncodeVerdict of an emptied content = %s", b)
	}
}
