package volcimtest_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

func TestNewServerKeysAndURL(t *testing.T) {
	t.Parallel()
	a, b := newServer(t), newServer(t)
	if !strings.HasPrefix(a.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %q, want http://127.0.0.1:<port>", a.URL)
	}
	if a.AccessKey() == "" || a.SecretKey() == "" {
		t.Fatal("empty keys")
	}
	if a.AccessKey() == b.AccessKey() || a.SecretKey() == b.SecretKey() {
		t.Error("two servers share keys; want random keys per server")
	}
	fixed := newServer(t, volcimtest.WithCredentials("AKLTfixed", "secret"))
	if fixed.AccessKey() != "AKLTfixed" || fixed.SecretKey() != "secret" {
		t.Errorf("WithCredentials: got %q/%q", fixed.AccessKey(), fixed.SecretKey())
	}
}

func TestSuccessEnvelope(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddMessages(msg(5, "hello"))
	r := post(t, srv, "GetMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"MessageIds":[9000000000000000005]}`)
	if r.status != http.StatusOK || r.code() != "" {
		t.Fatalf("status %d code %q: %s", r.status, r.code(), r.body)
	}
	md := r.env.ResponseMetadata
	if md.Action != "GetMessages" || md.Version != "2020-12-01" || md.Service != "rtc" || md.Region != "cn-north-1" || md.RequestID == "" {
		t.Errorf("metadata = %+v", md)
	}
	if got := r.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	// The wire form: exact int64 ids, CreateTime in milliseconds.
	for _, want := range []string{`"MessageId":9000000000000000005`, `"ConversationShortId":7171275522159198471`, `"CreateTime":1700000000005`, `"IndexInConversation":5`, `"Content":"hello"`} {
		if !bytes.Contains(r.env.Result, []byte(want)) {
			t.Errorf("Result lacks %s: %s", want, r.env.Result)
		}
	}
}

func TestRequestIDsAreUnique(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: 1})
	c := newClient(t, srv)
	seen := map[string]bool{}
	for range 50 {
		resp, err := c.BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{1}})
		if err != nil {
			t.Fatal(err)
		}
		if seen[resp.RequestID] {
			t.Fatalf("RequestId %s repeated", resp.RequestID)
		}
		seen[resp.RequestID] = true
	}
	// Error replies get ids too.
	r := post(t, srv, "GetMessages", `{`)
	if r.env.ResponseMetadata.RequestID == "" || seen[r.env.ResponseMetadata.RequestID] {
		t.Errorf("error reply RequestId %q", r.env.ResponseMetadata.RequestID)
	}
}

// TestGatewayErrors checks the routing and signature rejections with raw
// requests, tampered after signing where needed.
func TestGatewayErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	body := []byte(`{"AppId":1001,"ConversationShortId":1,"MessageIds":[1]}`)
	tests := []struct {
		name   string
		build  func(t *testing.T) *http.Request
		status int
		code   string
	}{
		{
			name: "GET is not allowed",
			build: func(t *testing.T) *http.Request {
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/?Action=GetMessages&Version=2020-12-01", nil)
				sign(t, req, srv.AccessKey(), srv.SecretKey(), "rtc", nil, time.Now())
				return req
			},
			status: 405, code: "MethodNotAllowed",
		},
		{
			name: "missing Action",
			build: func(t *testing.T) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Version=2020-12-01", bytes.NewReader(body))
				return req
			},
			status: 400, code: "MissingParameter",
		},
		{
			name: "unknown action, checked before the signature",
			build: func(t *testing.T) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=NoSuchAction&Version=2020-12-01", bytes.NewReader(body))
				return req
			},
			status: 404, code: "InvalidActionOrVersion",
		},
		{
			name: "unknown version",
			build: func(t *testing.T) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=GetMessages&Version=2023-01-01", bytes.NewReader(body))
				sign(t, req, srv.AccessKey(), srv.SecretKey(), "rtc", body, time.Now())
				return req
			},
			status: 404, code: "InvalidActionOrVersion",
		},
		{
			name: "no Authorization",
			build: func(t *testing.T) *http.Request {
				req := rawRequest(t, srv, "GetMessages", body)
				req.Header.Del("Authorization")
				return req
			},
			status: 401, code: "MissingAuthenticationToken",
		},
		{
			name: "malformed Authorization",
			build: func(t *testing.T) *http.Request {
				req := rawRequest(t, srv, "GetMessages", body)
				req.Header.Set("Authorization", "Bearer abc")
				return req
			},
			status: 401, code: "MissingAuthenticationToken",
		},
		{
			name: "X-Date an hour old",
			build: func(t *testing.T) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=GetMessages&Version=2020-12-01", bytes.NewReader(body))
				sign(t, req, srv.AccessKey(), srv.SecretKey(), "rtc", body, time.Now().Add(-time.Hour))
				return req
			},
			status: 400, code: "InvalidTimestamp",
		},
		{
			name: "unknown access key",
			build: func(t *testing.T) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=GetMessages&Version=2020-12-01", bytes.NewReader(body))
				sign(t, req, "AKLTunknown", srv.SecretKey(), "rtc", body, time.Now())
				return req
			},
			status: 401, code: "InvalidAccessKey",
		},
		{
			name: "wrong secret",
			build: func(t *testing.T) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=GetMessages&Version=2020-12-01", bytes.NewReader(body))
				sign(t, req, srv.AccessKey(), "not-the-secret", "rtc", body, time.Now())
				return req
			},
			status: 401, code: "SignatureDoesNotMatch",
		},
		{
			name: "body changed after signing",
			build: func(t *testing.T) *http.Request {
				req := rawRequest(t, srv, "GetMessages", body)
				tampered := bytes.Replace(body, []byte(`[1]`), []byte(`[2]`), 1)
				req.Body = readCloser(tampered)
				req.ContentLength = int64(len(tampered))
				return req
			},
			status: 401, code: "SignatureDoesNotMatch",
		},
		{
			name: "signed header changed after signing",
			build: func(t *testing.T) *http.Request {
				req := rawRequest(t, srv, "GetMessages", body)
				req.Header.Set("Content-Type", "text/plain")
				return req
			},
			status: 401, code: "SignatureDoesNotMatch",
		},
		{
			name: "query changed after signing",
			build: func(t *testing.T) *http.Request {
				req := rawRequest(t, srv, "GetMessages", body)
				req.URL.RawQuery = "Action=GetMessages&Version=2020-12-01&Extra=1"
				return req
			},
			status: 401, code: "SignatureDoesNotMatch",
		},
		{
			name: "credential scope of another service",
			build: func(t *testing.T) *http.Request {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=GetMessages&Version=2020-12-01", bytes.NewReader(body))
				sign(t, req, srv.AccessKey(), srv.SecretKey(), "iam", body, time.Now())
				return req
			},
			status: 401, code: "SignatureDoesNotMatch",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, tt.build(t))
			if r.status != tt.status || r.code() != tt.code {
				t.Fatalf("got %d %q, want %d %q: %s", r.status, r.code(), tt.status, tt.code, r.body)
			}
			e := r.env.ResponseMetadata.Error
			if e.CodeN == 0 || e.Message == "" {
				t.Errorf("Error lacks CodeN or Message: %+v", e)
			}
			if len(r.env.Result) != 0 {
				t.Errorf("error reply carries a Result: %s", r.env.Result)
			}
			if tt.status == 405 && r.header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q, want POST", r.header.Get("Allow"))
			}
		})
	}
}

// TestBusinessErrors checks the IM errors: HTTP 200 with an Error.
func TestBusinessErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddMessages(msg(1, "a"))
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: 55, ConversationType: volcim.ConversationLiveGroup})
	tests := []struct {
		action, body, code string
	}{
		{"GetMessages", `{`, "JsonParsingError"},
		{"GetMessages", ``, "JsonParsingError"},
		{"GetMessages", `[]`, "JsonParsingError"},
		{"GetMessages", `{"AppId":"1001","ConversationShortId":1,"MessageIds":[1]}`, "JsonParsingError"},
		{"GetMessages", `{"AppId":1001,"ConversationShortId":1,"MessageIds":[1e30]}`, "JsonParsingError"},
		{"GetMessages", `{"AppId":1001,"ConversationShortId":1,"MessageIds":[1]} trailing`, "JsonParsingError"},
		{"GetMessages", `{"ConversationShortId":1,"MessageIds":[1]}`, "InvalidParam"},
		{"GetMessages", `{"AppId":0,"ConversationShortId":1,"MessageIds":[1]}`, "InvalidParam"},
		{"GetMessages", `{"AppId":1001,"MessageIds":[1]}`, "InvalidParam"},
		{"GetMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471}`, "InvalidParam"},
		{"GetMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"MessageIds":[]}`, "InvalidParam"},
		{"GetMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"MessageIds":[-1]}`, "InvalidParam"},
		{"GetMessages", `{"AppId":1001,"ConversationShortId":2,"MessageIds":[1]}`, "ConversationNotFound"},
		{"GetMessages", `{"AppId":1002,"ConversationShortId":7171275522159198471,"MessageIds":[1]}`, "ConversationNotFound"},
		{"GetConversationMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"Cursor":0,"Limit":0}`, "InvalidParam"},
		{"GetConversationMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"Cursor":0,"Limit":21}`, "InvalidParam"},
		{"GetConversationMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"Cursor":0}`, "InvalidParam"},
		{"GetConversationMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"Limit":5}`, "InvalidParam"},
		{"GetConversationMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"Cursor":-1,"Limit":5}`, "InvalidParam"},
		{"GetConversationMessages", `{"AppId":1001,"ConversationShortId":7171275522159198471,"Cursor":0,"Limit":5,"Reverse":"1"}`, "JsonParsingError"},
		{"GetConversationMessages", `{"AppId":1001,"ConversationShortId":3,"Cursor":0,"Limit":5}`, "ConversationNotFound"},
		{"GetConversationMessages", `{"AppId":1001,"ConversationShortId":55,"Cursor":0,"Limit":5}`, "LiveConversationNotSupport"},
		{"GetConversationMessages", `{"AppId":1001,"ConversationShortId":55,"Cursor":0,"Limit":5,"Reverse":2}`, "LiveConversationNotSupport"},
		{"BatchGetConversations", `{"AppId":1001,"ConversationShortId":7171275522159198471}`, "JsonParsingError"},
		{"BatchGetConversations", `{"AppId":1001,"ConversationShortIds":[7171275522159198471]}`, "InvalidParam"},
		{"BatchGetConversations", `{"AppId":1001,"ConversationShortId":[]}`, "InvalidParam"},
		{"BatchGetConversations", `{"ConversationShortId":[1]}`, "InvalidParam"},
		{"BatchGetConversations", `{"AppId":1001,"ConversationShortId":[1,0]}`, "ConversationShortIdsHasInvalidElem"},
		{"BatchGetConversations", `{"AppId":1001,"ConversationShortId":[1],"SkipMemberCount":"no"}`, "JsonParsingError"},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.body, func(t *testing.T) {
			t.Parallel()
			r := post(t, srv, tt.action, tt.body)
			if r.status != http.StatusOK || r.code() != tt.code {
				t.Fatalf("got %d %q, want 200 %q: %s", r.status, r.code(), tt.code, r.body)
			}
			if e := r.env.ResponseMetadata.Error; e.CodeN == 0 || e.Message == "" {
				t.Errorf("Error lacks CodeN or Message: %+v", e)
			}
			if r.env.ResponseMetadata.Action != tt.action {
				t.Errorf("Action = %q", r.env.ResponseMetadata.Action)
			}
		})
	}
}

// TestBusinessErrorThroughClient checks that the SDK takes an HTTP 200 with
// an Error for the failure it is, and does not retry it.
func TestBusinessErrorThroughClient(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := newClient(t, srv)
	_, err := c.GetMessages(context.Background(), &volcim.GetMessagesRequest{ConversationShortID: 42, MessageIDs: []int64{1}})
	var apiErr *volcim.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *volcim.APIError", err)
	}
	if apiErr.StatusCode != 200 || apiErr.Code != "ConversationNotFound" || apiErr.CodeN == 0 || apiErr.RequestID == "" || apiErr.Attempts != 1 {
		t.Errorf("APIError = %+v", apiErr)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1 (no retry of a business error)", n)
	}
}

func TestSignatureThroughClient(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: 1})
	req := &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{1}}
	tests := []struct {
		name   string
		client func(t *testing.T) *volcim.Client
		status int
		code   string
	}{
		{"right keys", func(t *testing.T) *volcim.Client { return newClient(t, srv) }, 0, ""},
		{"session token is signed too", func(t *testing.T) *volcim.Client {
			return newClient(t, srv, volcim.WithSessionToken("sts-token"))
		}, 0, ""},
		{"wrong secret", func(t *testing.T) *volcim.Client {
			c, err := volcim.NewClient(srv.AccessKey(), "wrong", volcim.WithEndpoint(srv.URL), volcim.WithRateLimit(1e6), volcim.WithAppID(testApp))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}, 401, "SignatureDoesNotMatch"},
		{"unknown access key", func(t *testing.T) *volcim.Client {
			c, err := volcim.NewClient("AKLTnobody", srv.SecretKey(), volcim.WithEndpoint(srv.URL), volcim.WithRateLimit(1e6), volcim.WithAppID(testApp))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}, 401, "InvalidAccessKey"},
		{"endpoint with a path prefix", func(t *testing.T) *volcim.Client {
			return newClient(t, srv, volcim.WithEndpoint(srv.URL+"/im/gateway/"))
		}, 0, ""},
		{"another region is accepted", func(t *testing.T) *volcim.Client {
			return newClient(t, srv, volcim.WithRegion("ap-southeast-1"))
		}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, err := tt.client(t).BatchGetConversations(context.Background(), req)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(resp.Conversations) != 1 {
					t.Errorf("got %d conversations", len(resp.Conversations))
				}
				return
			}
			var apiErr *volcim.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || apiErr.Code != tt.code {
				t.Fatalf("err = %v, want HTTP %d %s", err, tt.status, tt.code)
			}
		})
	}
}

func TestRegionIsEchoed(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: 1})
	c := newClient(t, srv, volcim.WithRegion("ap-southeast-1"))
	resp, err := c.BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{1}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Region != "ap-southeast-1" || resp.Service != "rtc" || resp.Action != "BatchGetConversations" {
		t.Errorf("metadata = %+v", resp.ResponseMetadata)
	}
}

func TestClockSkew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		offset time.Duration
		opts   []volcimtest.Option
		ok     bool
	}{
		{"in sync", 0, nil, true},
		{"14 minutes ahead", 14 * time.Minute, nil, true},
		{"16 minutes ahead", 16 * time.Minute, nil, false},
		{"16 minutes behind", -16 * time.Minute, nil, false},
		{"an hour off with a 2h skew", time.Hour, []volcimtest.Option{volcimtest.WithMaxSkew(2 * time.Hour)}, true},
		{"a minute off with a 30s skew", time.Minute, []volcimtest.Option{volcimtest.WithMaxSkew(30 * time.Second)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			offset := tt.offset
			opts := append([]volcimtest.Option{volcimtest.WithClock(func() time.Time { return time.Now().Add(offset) })}, tt.opts...)
			srv := newServer(t, opts...)
			srv.AddConversation(volcim.Conversation{AppID: testApp, ConversationShortID: 1})
			_, err := newClient(t, srv).BatchGetConversations(context.Background(), &volcim.BatchGetConversationsRequest{ConversationShortIDs: []int64{1}})
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var apiErr *volcim.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code != "InvalidTimestamp" {
				t.Fatalf("err = %v, want HTTP 400 InvalidTimestamp", err)
			}
		})
	}
}

func TestRequestsRecord(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddMessages(msg(1, "a"))
	c := newClient(t, srv, volcim.WithUserAgent("recorder-test"))
	before := time.Now()
	if _, err := c.GetMessages(context.Background(), &volcim.GetMessagesRequest{ConversationShortID: testConv, MessageIDs: []int64{1}}); err != nil {
		t.Fatal(err)
	}
	post(t, srv, "GetMessages", `{`)
	recs := srv.Requests()
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	r := recs[0]
	if r.Action != "GetMessages" || r.Version != "2020-12-01" || r.Method != "POST" || r.Status != 200 || r.Code != "" ||
		r.AccessKey != srv.AccessKey() || !r.Accepted || r.Fault.Kind != volcimtest.FaultNone || r.RequestID == "" {
		t.Errorf("record = %+v", r)
	}
	if want := `{"AppId":1001,"ConversationShortId":7171275522159198471,"MessageIds":[1]}`; string(r.Body) != want {
		t.Errorf("Body = %s, want %s", r.Body, want)
	}
	if r.Time.Before(before) || r.Time.After(recs[1].Time) {
		t.Errorf("Time = %v, not in arrival order", r.Time)
	}
	if r.Header.Get("User-Agent") != "recorder-test" {
		t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
	}
	if recs[1].Code != "JsonParsingError" || recs[1].Status != 200 || !recs[1].Accepted {
		t.Errorf("second record = %+v", recs[1])
	}
	srv.ResetRequests()
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d records after ResetRequests", n)
	}
}

func TestRequestLogLimit(t *testing.T) {
	t.Parallel()
	for _, max := range []int{0, 3} {
		srv := newServer(t, volcimtest.WithRequestLog(max))
		for i := range 5 {
			post(t, srv, "GetMessages", `{"i":`+string(rune('0'+i))+`}`)
		}
		recs := srv.Requests()
		if len(recs) != max {
			t.Fatalf("WithRequestLog(%d): %d records", max, len(recs))
		}
		for i, r := range recs {
			if want := `{"i":` + string(rune('0'+5-max+i)) + `}`; string(r.Body) != want {
				t.Errorf("record %d body %s, want %s (the most recent kept, in order)", i, r.Body, want)
			}
		}
	}
}

func TestOptionsPanicOnInvalidValues(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]func(){
		"WithQPS(-1)":              func() { volcimtest.WithQPS(-1) },
		"WithLatency(-1)":          func() { volcimtest.WithLatency(-1) },
		"WithMaxSkew(-1)":          func() { volcimtest.WithMaxSkew(-1) },
		"WithSlowFaultDelay(-1)":   func() { volcimtest.WithSlowFaultDelay(-1) },
		"WithRequestLog(-1)":       func() { volcimtest.WithRequestLog(-1) },
		"WithFaultRate rate 2":     func() { volcimtest.WithFaultRate(1, 2) },
		"WithFaultRate rate NaN":   func() { volcimtest.WithFaultRate(1, nan()) },
		"WithFaultRate kind 99":    func() { volcimtest.WithFaultRate(1, 0.5, volcimtest.FaultKind(99)) },
		"WithCredentials empty sk": func() { volcimtest.WithCredentials("ak", "") },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func nan() float64 {
	zero := 0.0
	return zero / zero
}
