package clientbench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/volcim/volcim-go/signer"
)

// TestClientsAgree makes each benchmarked call once with each client and
// checks that they did the same work: byte-identical request bodies, a valid
// signature from the two SDKs (none from the floor), and the same 20 items
// decoded.
func TestClientsAgree(t *testing.T) {
	srv := newServer(t, true)
	c := newClients(t, srv)
	ctx := context.Background()
	for _, tc := range []struct {
		action   string
		ways     func(clients) []way
		wantLast int64
	}{
		{"GetConversationMessages", getConversationMessages, messageIDs[pageSize-1]},
		{"GetMessages", getMessages, messageIDs[pageSize-1]},
		{"BatchGetConversations", batchGetConversations, conversationIDs[pageSize-1]},
	} {
		t.Run(tc.action, func(t *testing.T) {
			ws := tc.ways(c)
			for _, w := range ws {
				if err := check(ctx, w, tc.wantLast); err != nil {
					t.Fatal(err)
				}
			}
			var bodies = map[string]string{}
			var n int
			for _, r := range srv.requests() {
				if !strings.Contains(r.req.URL.RawQuery, "Action="+tc.action+"&") {
					continue
				}
				n++
				name := "floor"
				switch ua := r.req.Header.Get("User-Agent"); {
				case strings.HasPrefix(ua, "volcim-go/"):
					name = "volcim"
				case strings.HasPrefix(ua, "volc-sdk-golang/"):
					name = "official"
				}
				bodies[name] = string(r.body)
				if name == "floor" {
					if r.req.Header.Get("Authorization") != "" {
						t.Errorf("floor request is signed")
					}
					continue
				}
				at, err := time.Parse("20060102T150405Z", r.req.Header.Get("X-Date"))
				if err != nil {
					t.Fatalf("%s: X-Date: %v", name, err)
				}
				res, err := signer.Verify(r.req, r.body, func(ak string) (string, bool) { return benchSK, ak == benchAK }, at, time.Minute)
				if err != nil {
					t.Errorf("%s request does not verify: %v", name, err)
				} else if res.Region != "cn-north-1" || res.Service != "rtc" {
					t.Errorf("%s signed for %s/%s", name, res.Region, res.Service)
				}
			}
			if n != len(ws) || len(bodies) != len(ws) {
				t.Fatalf("server saw %d %s requests from %d clients, want %d", n, tc.action, len(bodies), len(ws))
			}
			for name, body := range bodies {
				if body != bodies["floor"] {
					t.Errorf("bodies differ:\n %-8s %s\n floor    %s", name, body, bodies["floor"])
				}
			}
		})
	}
}
