package clientbench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/volcengine/volc-sdk-golang/base"
	"github.com/volcengine/volc-sdk-golang/service/im"
	volcim "github.com/volcim/volcim-go"
)

const (
	benchAK = "AKLTYzA1NDg4ZTQ1MmU0NDhiOGIwZmRhNmE0MjQ2OTg4ZWI"
	benchSK = "TlRFM01EZzRNRE0wTkRVMk5EbG1ZV0ZpT0RZMk56VTFNVEl3TldZeFpqUQ=="
)

var (
	jsonType = []string{"application/json"}
	notFound = []byte(`{"ResponseMetadata":{"Error":{"Code":"InvalidActionOrVersion","Message":"unknown action"}}}`)
)

// received is a request as the server saw it, kept only when recording.
type received struct {
	req  *http.Request
	body []byte
}

// server answers every POST with the canned reply of its query, the same
// bytes for every client. It verifies no signature, so that all three
// clients pay the same server cost. With a non-nil record it also keeps
// each request (tests only).
type server struct {
	*httptest.Server
	mu   sync.Mutex
	seen []received
}

func newServer(tb testing.TB, record bool) *server {
	tb.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if record {
			body, _ := io.ReadAll(r.Body)
			s.mu.Lock()
			s.seen = append(s.seen, received{req: r.Clone(context.Background()), body: body})
			s.mu.Unlock()
		} else {
			io.Copy(io.Discard, r.Body)
		}
		reply, ok := replies[r.URL.RawQuery]
		h := w.Header()
		h["Content-Type"] = jsonType
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			w.Write(notFound)
			return
		}
		h["Content-Length"] = replyLength[r.URL.RawQuery]
		w.Write(reply)
	}))
	tb.Cleanup(s.Close)
	return s
}

func (s *server) requests() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.seen...)
}

// newTransport gives each client its own connection pool with the same
// settings: a clone of http.DefaultTransport (keep-alive on, 2 idle
// connections per host, which a sequential benchmark never exceeds).
func newTransport(tb testing.TB) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tb.Cleanup(tr.CloseIdleConnections)
	return tr
}

// clients are the three ways of calling the server.
type clients struct {
	volcim   *volcim.Client
	official *im.Im
	floor    *floor
}

func newClients(tb testing.TB, srv *server) clients {
	tb.Helper()
	// volcim: signing, rate limiter and retries all on; the limiter's rate
	// is so high that it never waits.
	v, err := volcim.NewClient(benchAK, benchSK,
		volcim.WithEndpoint(srv.URL),
		volcim.WithHTTPClient(&http.Client{Transport: newTransport(tb)}),
		volcim.WithRateLimit(1e9),
	)
	if err != nil {
		tb.Fatal(err)
	}

	// official: im.NewInstance with its host, scheme, credentials and HTTP
	// client pointed at the server; everything else is its default.
	u, err := url.Parse(srv.URL)
	if err != nil {
		tb.Fatal(err)
	}
	o := im.NewInstance()
	o.SetHost(u.Host)
	o.SetScheme(u.Scheme)
	o.SetCredential(base.Credentials{AccessKeyID: benchAK, SecretAccessKey: benchSK})
	o.Client.Client = &http.Client{Transport: newTransport(tb)}

	f := &floor{hc: &http.Client{Transport: newTransport(tb)}, urls: map[string]string{}}
	for q := range replies {
		v, _ := url.ParseQuery(q)
		f.urls[v.Get("Action")] = srv.URL + "/?" + q
	}
	return clients{volcim: v, official: o, floor: f}
}

// floor is what a call costs with no SDK at all: encode the request with
// encoding/json, POST it with net/http (no signing, no limiter, no retry),
// read the reply and decode it once into typed structs.
type floor struct {
	hc   *http.Client
	urls map[string]string // action → URL
}

type floorMetadata struct {
	RequestID string      `json:"RequestId"`
	Action    string      `json:"Action"`
	Version   string      `json:"Version"`
	Service   string      `json:"Service"`
	Region    string      `json:"Region"`
	Error     *floorError `json:"Error"`
}

type floorError struct {
	Code    string `json:"Code"`
	CodeN   int64  `json:"CodeN"`
	Message string `json:"Message"`
}

type floorEnvelope[R any] struct {
	ResponseMetadata floorMetadata `json:"ResponseMetadata"`
	Result           *R            `json:"Result"`
}

func floorCall[R any](ctx context.Context, f *floor, action string, req any, result *R) (*floorMetadata, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, f.urls[action], bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header["Content-Type"] = jsonType
	hreq.Header["Accept"] = jsonType
	resp, err := f.hc.Do(hreq)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	env := floorEnvelope[R]{Result: result}
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || env.ResponseMetadata.Error != nil {
		return nil, fmt.Errorf("%s: HTTP %d %+v", action, resp.StatusCode, env.ResponseMetadata.Error)
	}
	return &env.ResponseMetadata, nil
}

type floorRefMsgInfo struct {
	ReferencedMessageID   int64  `json:"ReferencedMessageId"`
	Hint                  string `json:"Hint"`
	ReferencedMessageType int32  `json:"ReferencedMessageType"`
	Status                int32  `json:"Status"`
}

type floorMessage struct {
	ConversationType    int32             `json:"ConversationType"`
	ConversationShortID int64             `json:"ConversationShortId"`
	MessageID           int64             `json:"MessageId"`
	ClientMsgID         string            `json:"ClientMsgId"`
	MsgType             int32             `json:"MsgType"`
	Content             string            `json:"Content"`
	Ext                 map[string]string `json:"Ext"`
	Status              int32             `json:"Status"`
	CreateTime          int64             `json:"CreateTime"`
	Sender              int64             `json:"Sender"`
	SenderStr           string            `json:"SenderStr"`
	AppID               int64             `json:"AppId"`
	RefMsgInfo          *floorRefMsgInfo  `json:"RefMsgInfo"`
	IndexInConversation int64             `json:"IndexInConversation"`
}

type floorConversation struct {
	ConversationShortID int64             `json:"ConversationShortId"`
	ConversationID      string            `json:"ConversationId"`
	AppID               int64             `json:"AppId"`
	InboxType           int32             `json:"InboxType"`
	Name                string            `json:"Name"`
	AvatarURL           string            `json:"AvatarUrl"`
	Description         string            `json:"Description"`
	OwnerUserID         int64             `json:"OwnerUserId"`
	OwnerUserIDStr      string            `json:"OwnerUserIdStr"`
	CreatorUserID       int64             `json:"CreatorUserId"`
	CreatorUserIDStr    string            `json:"CreatorUserIdStr"`
	Notice              string            `json:"Notice"`
	Status              int32             `json:"Status"`
	Ext                 map[string]string `json:"Ext"`
	CreateTime          int64             `json:"CreateTime"`
	ModifyTime          int64             `json:"ModifyTime"`
	ConversationType    int32             `json:"ConversationType"`
	MemberCount         int64             `json:"MemberCount"`
	OnlineCount         int64             `json:"OnlineCount"`
	OtherUserID         int64             `json:"OtherUserId"`
	OtherUserIDStr      string            `json:"OtherUserIdStr"`
}

type floorGetConversationMessagesRequest struct {
	AppID               int64 `json:"AppId"`
	ConversationShortID int64 `json:"ConversationShortId"`
	Cursor              int64 `json:"Cursor"`
	Limit               int64 `json:"Limit"`
	Reverse             int32 `json:"Reverse"`
}

type floorGetConversationMessagesResult struct {
	HasMore   bool           `json:"HasMore"`
	NewCursor int64          `json:"NewCursor"`
	Messages  []floorMessage `json:"Messages"`
}

type floorGetMessagesRequest struct {
	AppID               int64   `json:"AppId"`
	ConversationShortID int64   `json:"ConversationShortId"`
	MessageIDs          []int64 `json:"MessageIds"`
}

type floorGetMessagesResult struct {
	Messages []floorMessage `json:"Messages"`
}

type floorBatchGetConversationsRequest struct {
	AppID                int64   `json:"AppId"`
	ConversationShortIDs []int64 `json:"ConversationShortId"`
	SkipMemberCount      bool    `json:"SkipMemberCount"`
}

type floorBatchGetConversationsResult struct {
	ConversationCoreInfos []floorConversation `json:"ConversationCoreInfos"`
}
