package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/volcengine/volc-sdk-golang/base"
	"github.com/volcengine/volc-sdk-golang/service/im"

	volcim "github.com/volcim/volcim-go"
)

const (
	testAK = "AKLTwireAgreementAccessKey0123456789"
	testSK = "d2lyZSBhZ3JlZW1lbnQgc2VjcmV0IGtleQ=="
	// testApp fits the official SDK's int32 AppId.
	testApp = 123456
)

// agreed records the actions whose agreement ran, for TestMain's check that
// every action of the official SDK has one.
var agreed sync.Map

// TestMain runs the tests, then, when no -run filter narrowed them, fails if
// an action of the official SDK (its ApiListInfo) had no agreement case, or
// if *volcim.Client has no method of that name.
func TestMain(m *testing.M) {
	code := m.Run()
	if f := flag.Lookup("test.run"); code == 0 && (f == nil || f.Value.String() == "") {
		client := reflect.TypeOf(&volcim.Client{})
		var missing []string
		for action := range im.ApiListInfo {
			if _, ok := agreed.Load(action); !ok {
				missing = append(missing, action+" (no agreement case)")
			}
			if _, ok := client.MethodByName(action); !ok {
				missing = append(missing, action+" (no method on *volcim.Client)")
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			fmt.Fprintf(os.Stderr, "FAIL: %d of the official SDK's %d actions are not covered:\n  %s\n", len(missing), len(im.ApiListInfo), strings.Join(missing, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

// agreement is one action's case: the same inputs through both clients.
type agreement struct {
	// action is the API action, e.g. "SendMessage".
	action string
	// volcim calls the action through volcim and returns its response.
	volcim func(ctx context.Context, c *volcim.Client) (any, error)
	// official calls it through the official client and returns its
	// response.
	official func(ctx context.Context, c *im.Im) (any, error)
	// same compares what both decoded from the canned reply; it reports
	// each difference with t.Errorf. v and o are what volcim and official
	// returned.
	same func(t *testing.T, v, o any)
	// ignoreBody lists top-level body members that volcim fills and the
	// official client leaves to the caller (such as SendMessage's
	// ClientMsgId): they are compared only for presence in volcim's body.
	ignoreBody []string
}

// recorder answers every request with the canned reply of its action and
// keeps the bodies it receives.
type recorder struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []recorded
}

type recorded struct {
	action, ua string
	body       []byte
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		action := req.URL.Query().Get("Action")
		r.mu.Lock()
		r.bodies = append(r.bodies, recorded{action: action, ua: req.Header.Get("User-Agent"), body: body})
		r.mu.Unlock()
		reply, err := cannedReply(action)
		if err != nil {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"ResponseMetadata":{"Error":{"Code":"InvalidActionOrVersion","Message":%q}}}`, err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(reply)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) take() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.bodies
	r.bodies = nil
	return out
}

var snake = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// cannedReplyFile is the root module's testdata file of an action:
// testdata/send_message.json for SendMessage. For the batch writes whose
// reply can list failed items, it is the reply that lists some,
// testdata/partial/<action>.json, so that their decoding is compared too.
func cannedReplyFile(action string) string {
	name := strings.ToLower(snake.ReplaceAllString(action, "${1}_${2}")) + ".json"
	partial := filepath.Join("..", "..", "testdata", "partial", name)
	if _, err := os.Stat(partial); err == nil {
		return partial
	}
	return filepath.Join("..", "..", "testdata", name)
}

func cannedReply(action string) ([]byte, error) {
	return os.ReadFile(cannedReplyFile(action))
}

// clientsFor returns both clients pointed at srv.
func clientsFor(t *testing.T, srv *recorder) (*volcim.Client, *im.Im) {
	t.Helper()
	v, err := volcim.NewClient(testAK, testSK, volcim.WithEndpoint(srv.URL), volcim.WithAppID(testApp),
		volcim.WithRateLimit(1e6), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	o := im.NewInstance()
	o.SetHost(u.Host)
	o.SetScheme(u.Scheme)
	o.SetCredential(base.Credentials{AccessKeyID: testAK, SecretAccessKey: testSK})
	return v, o
}

// runAgreements runs each case as a subtest.
func runAgreements(t *testing.T, cases []agreement) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			t.Parallel()
			agreed.Store(tc.action, true)
			if _, err := cannedReply(tc.action); err != nil {
				t.Fatalf("no canned reply for %s: %v", tc.action, err)
			}
			srv := newRecorder(t)
			v, o := clientsFor(t, srv)
			ctx := context.Background()
			vres, err := tc.volcim(ctx, v)
			if err != nil {
				t.Fatalf("volcim: %v", err)
			}
			ores, err := tc.official(ctx, o)
			if err != nil {
				t.Fatalf("official: %v", err)
			}
			recs := srv.take()
			if len(recs) != 2 || recs[0].action != tc.action || recs[1].action != tc.action {
				t.Fatalf("server saw %d requests (%v), want one %s from each client", len(recs), recs, tc.action)
			}
			if !strings.HasPrefix(recs[0].ua, "volcim-go/") {
				t.Fatalf("first request from %q, want volcim", recs[0].ua)
			}
			sameBody(t, recs[0].body, recs[1].body, tc.ignoreBody)
			tc.same(t, vres, ores)
		})
	}
}

// sameBody checks that two request bodies are equal JSON documents: the
// same members with the same values, numbers compared exactly.
func sameBody(t *testing.T, volcimBody, officialBody []byte, ignore []string) {
	t.Helper()
	v, err := decodeExact(volcimBody)
	if err != nil {
		t.Fatalf("volcim body %s: %v", volcimBody, err)
	}
	o, err := decodeExact(officialBody)
	if err != nil {
		t.Fatalf("official body %s: %v", officialBody, err)
	}
	vm, vok := v.(map[string]any)
	om, ook := o.(map[string]any)
	if vok && ook {
		for _, k := range ignore {
			if _, ok := vm[k]; !ok {
				t.Errorf("volcim's body has no %s: %s", k, volcimBody)
			}
			delete(vm, k)
			delete(om, k)
		}
	}
	if !reflect.DeepEqual(v, o) {
		t.Errorf("bodies differ:\n volcim   %s\n official %s", volcimBody, officialBody)
	}
}

func decodeExact(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// check reports a difference between what volcim and the official SDK
// decoded for one field.
func check[T comparable](t *testing.T, field string, v, o T) {
	t.Helper()
	if v != o {
		t.Errorf("%s: volcim %v, official %v", field, v, o)
	}
}

// checkDeep is check for values that are not comparable (slices, maps).
func checkDeep(t *testing.T, field string, v, o any) {
	t.Helper()
	if !reflect.DeepEqual(v, o) {
		t.Errorf("%s: volcim %v, official %v", field, v, o)
	}
}

// deref returns *p, or the zero value for nil: the official models use
// pointers for optional fields.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
