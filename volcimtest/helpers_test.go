package volcimtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/signer"
	"github.com/volcim/volcim-go/volcimtest"
)

const (
	testApp  = int64(1001)
	testConv = int64(7171275522159198471) // beyond 2^53
)

// fastRetry keeps retried tests quick.
var fastRetry = volcim.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// newServer starts a server closed at the end of the test.
func newServer(t testing.TB, opts ...volcimtest.Option) *volcimtest.Server {
	t.Helper()
	srv := volcimtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client of srv with no practical rate limit and fast
// retries; opts win.
func newClient(t testing.TB, srv *volcimtest.Server, opts ...volcim.Option) *volcim.Client {
	t.Helper()
	base := []volcim.Option{volcim.WithRateLimit(1e6), volcim.WithRetry(fastRetry), volcim.WithAppID(testApp)}
	c, err := srv.Client(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// envelope is a decoded reply, kept generic to check the wire form itself.
type envelope struct {
	ResponseMetadata struct {
		RequestID string `json:"RequestId"`
		Action    string
		Version   string
		Service   string
		Region    string
		Error     *struct {
			CodeN   int64
			Code    string
			Message string
		}
	}
	Result json.RawMessage
}

// rawReply is the reply to a raw request.
type rawReply struct {
	status int
	header http.Header
	body   []byte
	env    envelope
}

// rawRequest builds a POST to srv for action with body, signed by srv's
// keys at the current time.
func rawRequest(t testing.TB, srv *volcimtest.Server, action string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/?Action="+action+"&Version=2020-12-01", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sign(t, req, srv.AccessKey(), srv.SecretKey(), "rtc", body, time.Now())
	return req
}

func sign(t testing.TB, req *http.Request, ak, sk, service string, body []byte, at time.Time) {
	t.Helper()
	s, err := signer.New(signer.Credentials{AccessKeyID: ak, SecretAccessKey: sk}, "cn-north-1", service)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sign(req, body, at); err != nil {
		t.Fatal(err)
	}
}

// do sends req and decodes the reply.
func do(t testing.TB, req *http.Request) rawReply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := rawReply{status: resp.StatusCode, header: resp.Header, body: b}
	if err := json.Unmarshal(b, &r.env); err != nil {
		t.Fatalf("reply is not JSON: %v: %s", err, b)
	}
	return r
}

// post sends a correctly signed request.
func post(t testing.TB, srv *volcimtest.Server, action, body string) rawReply {
	t.Helper()
	return do(t, rawRequest(t, srv, action, []byte(body)))
}

func (r rawReply) code() string {
	if r.env.ResponseMetadata.Error == nil {
		return ""
	}
	return r.env.ResponseMetadata.Error.Code
}

// msg returns a text message of the test conversation at index idx.
func msg(idx int64, content string) volcim.Message {
	return volcim.Message{
		AppID:               testApp,
		ConversationShortID: testConv,
		ConversationType:    volcim.ConversationGroup,
		MessageID:           9_000_000_000_000_000_000 + idx,
		MsgType:             volcim.MessageText,
		Content:             content,
		CreateTime:          time.UnixMilli(1_700_000_000_000 + idx).UTC(),
		Sender:              10001,
		IndexInConversation: idx,
	}
}

func readCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
