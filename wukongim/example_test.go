package wukongim_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/volcim/volcim-go/wukongim"
)

// A stand-in for a WuKongIM v2 server on loopback, holding two messages,
// one of them sent by the system. It answers like the real one: an object
// with "messages", missing ids left out, and 401 without the token.
func fakeServer(token string) *httptest.Server {
	stored := map[int64]map[string]any{
		2118023846374400001: {"from_uid": "alice", "channel_type": 2, "timestamp": 1766500000, "text": `{"type":1,"content":"hello team"}`},
		2118023846374400002: {"from_uid": "", "channel_type": 2, "timestamp": 1766500061, "text": `{"type":1001,"content":"bob joined"}`},
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/messages" || r.Header.Get("token") != token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var req struct {
			ChannelID  string  `json:"channel_id"`
			MessageIDs []int64 `json:"message_ids"`
		}
		if json.NewDecoder(r.Body).Decode(&req) != nil || req.ChannelID == "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"msg":"channel_id不能为空！","status":400}`)
			return
		}
		msgs := []map[string]any{}
		for _, id := range req.MessageIDs {
			if m, ok := stored[id]; ok {
				msgs = append(msgs, map[string]any{
					"header":     map[string]int{"no_persist": 0, "red_dot": 1, "sync_once": 0},
					"message_id": id, "message_idstr": strconv.FormatInt(id, 10),
					"message_seq": 1, "client_msg_no": "c" + strconv.FormatInt(id, 10),
					"from_uid": m["from_uid"], "channel_id": "team-42", "channel_type": m["channel_type"],
					"expire": 0, "timestamp": m["timestamp"],
					"payload": base64.StdEncoding.EncodeToString([]byte(m["text"].(string))),
				})
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"start_message_seq": 0, "end_message_seq": 0, "more": 0, "messages": msgs})
	}))
}

func ExampleClient_SearchMessages() {
	srv := fakeServer("s3cret")
	defer srv.Close()

	// srv.URL is http://127.0.0.1:port: plain http is fine on loopback. For
	// a server on a private network, add wukongim.WithInsecureHTTP().
	client, err := wukongim.NewClient(srv.URL, wukongim.WithToken("s3cret"))
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.SearchMessages(context.Background(), &wukongim.SearchMessagesRequest{
		MessageIDs: []int64{2118023846374400002, 42, 2118023846374400001, 2118023846374400002},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range resp.Messages {
		from := m.FromUID
		if from == "" {
			from = "(system)"
		}
		fmt.Println(m.MessageID, m.ChannelType, m.ChannelID, from, m.Timestamp.Format("2006-01-02 15:04:05"), string(m.Payload))
	}
	fmt.Println("not found:", resp.NotFound)
	// Output:
	// 2118023846374400002 Group team-42 (system) 2025-12-23 14:27:41 {"type":1001,"content":"bob joined"}
	// 2118023846374400001 Group team-42 alice 2025-12-23 14:26:40 {"type":1,"content":"hello team"}
	// not found: [42]
}
