package wukongim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/volcim/volcim-go/internal/transport"
)

// Chunking of SearchMessages.
//
// DefaultChunkSize is 200 ids per request. The server looks ids up one by
// one, so its time grows linearly: on loopback a request costs about 0.28 ms
// plus 6.2 µs per id (20 ids ≈ 0.4 ms, 1,000 ids ≈ 6.5 ms and 349 KB).
//   - Overhead: at 200 ids the fixed cost is under a fifth of a request on
//     loopback, and under 40% on a LAN where a round trip adds ~0.5 ms.
//     Chunks of 1,000 would save ~15% of the total time on loopback (~30%
//     on a LAN) at five times the latency, reply size and retry cost.
//   - Latency: a 200-id request takes ~1.5 ms of server time and ~70 KB at
//     typical sizes, far inside the 15 s attempt timeout even on a loaded
//     server.
//   - Size cap: one reply must fit in WithMaxResponseBytes (32 MiB by
//     default). 200 messages stay under it up to ~120 KB of payload each on
//     average (base64 inflates by a third); 1,000 would fail from ~25 KB.
//   - Retry cost: a 5xx or a timeout repeats one chunk only; at 200 ids that
//     is a few milliseconds and tens of kilobytes, not a whole large list.
//
// MaxChunkSize bounds WithChunkSize: the largest size whose timing was
// measured against a real server (which enforces no limit of its own).
const (
	DefaultChunkSize = 200
	MaxChunkSize     = 1000
)

// SearchMessagesRequest asks for messages by id.
type SearchMessagesRequest struct {
	// MessageIDs are the messages wanted; each must be positive. A
	// duplicated id is asked for once. Any number of ids may be given: they
	// are sent in chunks (see WithChunkSize).
	MessageIDs []int64
}

// SearchMessagesResponse is the result of SearchMessages.
type SearchMessagesResponse struct {
	// Messages are the messages found, in the order their ids first appear
	// in the request, each once.
	Messages []Message
	// NotFound lists, in the same order, each requested id the server did
	// not return.
	NotFound []int64
}

// SearchMessages fetches messages by id (WuKongIM HTTP API, POST /messages,
// "批量消息搜索", https://wukong.mintlify.site; no rate limit documented).
//
// Before anything is sent the request is checked: a nil request, an empty id
// list or an id <= 0 returns an error wrapping ErrInvalidRequest. (A real
// server answers an id <= 0 with the newest message of the channel: the
// wrong message.) Duplicated ids are asked for once; the results follow the
// order in which each id first appears.
//
// The ids are sent DefaultChunkSize (or WithChunkSize) at a time, one
// request after another, each attempt under the limiter. The body of each
// request is {"channel_id": <WithChannelID>, "message_ids": [...]}. A
// returned message whose id was not asked for in that request is dropped.
//
// Both shapes of reply are understood: a v2 server's object
// {"messages": [...], ...}, which leaves missing ids out of a 200, and the
// published page's bare array. The page says a 404 means "some or all of
// the messages do not exist"; the client handles a 404 so that it never
// reports a message missing that the server did not say was missing:
//   - a 404 whose body holds messages (an array, or an object with
//     "messages") is used like a 200: the ids it leaves out are NotFound;
//   - a 404 whose body is a JSON object that says "not found" (status 404,
//     or a msg reading "not found", "not exist" or "不存在") does not say
//     which ids: for one id that id is NotFound; for more the chunk is split
//     in halves and each half asked again, down to single ids if need be
//     (at most 2n-1 requests for a chunk of n, far fewer when few are
//     missing);
//   - any other 404 (an empty body, a router's "404 page not found", an HTML
//     page, a JSON error about something else) is an *APIError: it may mean a
//     wrong base URL, and reading it as "not found" would hide that.
//
// Other errors: a status other than 2xx and 404 is an *APIError carrying
// the server's msg (429 and 5xx after the retry policy's attempts, other
// 4xx at once: a v2 server answers a storage failure with 400, which is
// therefore not retried); a 2xx reply that is not the endpoint's JSON is an
// *APIError with the status, the cause and an excerpt of the body. On any
// error no partial result is returned.
func (c *Client) SearchMessages(ctx context.Context, req *SearchMessagesRequest) (*SearchMessagesResponse, error) {
	if req == nil {
		return nil, invalid("", "nil request")
	}
	if len(req.MessageIDs) == 0 {
		return nil, invalid("MessageIDs", "must not be empty")
	}
	ids := make([]int64, 0, len(req.MessageIDs))
	seen := make(map[int64]struct{}, len(req.MessageIDs))
	for i, id := range req.MessageIDs {
		if id <= 0 {
			return nil, invalid("MessageIDs", "["+strconv.Itoa(i)+"] must be positive, got "+strconv.FormatInt(id, 10)+
				" (WuKongIM answers an id <= 0 with the channel's newest message)")
		}
		if _, dup := seen[id]; dup {
			continue
		}
		seen[id] = struct{}{}
		ids = append(ids, id)
	}

	found := make(map[int64]Message, len(ids))
	chunks := (len(ids) + c.chunkSize - 1) / c.chunkSize
	for i := 0; i < chunks; i++ {
		chunk := ids[i*c.chunkSize : min((i+1)*c.chunkSize, len(ids))]
		if err := c.fetch(ctx, chunk, found); err != nil {
			if chunks > 1 {
				return nil, fmt.Errorf("%w (chunk %d of %d)", err, i+1, chunks)
			}
			return nil, err
		}
	}

	out := &SearchMessagesResponse{Messages: make([]Message, 0, len(found))}
	for _, id := range ids {
		if m, ok := found[id]; ok {
			out.Messages = append(out.Messages, m)
		} else {
			out.NotFound = append(out.NotFound, id)
		}
	}
	return out, nil
}

// fetch asks for ids (distinct, positive) and adds what the server returns
// to found. It splits ids in halves when the server's reply cannot say
// which of them exist (an opaque 404) or does not fit the size cap.
func (c *Client) fetch(ctx context.Context, ids []int64, found map[int64]Message) error {
	resp, err := c.path.Do(ctx, &transport.Call{
		Action: ActionSearchMessages,
		Method: http.MethodPost,
		URL:    c.searchURL,
		Header: http.Header{
			"Content-Type": jsonType,
			"Accept":       jsonType,
			"User-Agent":   c.userAgent,
		},
		Body: c.body(ids),
	})
	if err != nil {
		if len(ids) > 1 && errors.Is(err, transport.ErrResponseTooLarge) {
			return c.split(ctx, ids, found)
		}
		return err
	}
	msgs, split, err := c.decode(resp, len(ids))
	resp.Release()
	if err != nil {
		return err
	}
	if split {
		return c.split(ctx, ids, found)
	}
	c.accept(ctx, ids, msgs, found)
	return nil
}

func (c *Client) split(ctx context.Context, ids []int64, found map[int64]Message) error {
	half := len(ids) / 2
	if err := c.fetch(ctx, ids[:half], found); err != nil {
		return err
	}
	return c.fetch(ctx, ids[half:], found)
}

var jsonType = []string{"application/json"}

func (c *Client) body(ids []int64) []byte {
	b := make([]byte, 0, len(c.bodyHead)+2+20*len(ids))
	b = append(b, c.bodyHead...)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return append(b, ']', '}')
}

// accept adds the messages that were asked for to found; anything else the
// server returned (an id not in this request, a second copy) is dropped.
func (c *Client) accept(ctx context.Context, ids []int64, msgs []wireMessage, found map[int64]Message) {
	asked := make(map[int64]bool, len(ids))
	for _, id := range ids {
		asked[id] = true
	}
	for i := range msgs {
		w := &msgs[i]
		id := w.resolvedID
		if !asked[id] {
			if c.logger != nil {
				c.logger.LogAttrs(ctx, slog.LevelWarn, "wukongim: dropped a message the request did not ask for",
					slog.String("action", ActionSearchMessages), slog.Int64("message_id", id))
			}
			continue
		}
		if _, dup := found[id]; dup {
			continue
		}
		found[id] = w.message(id)
	}
}

// wireReply is the object a v2 server answers (its other fields,
// start_message_seq, end_message_seq and more, mean nothing for a search by
// id), or the error object {"msg", "status"} of any WuKongIM server.
type wireReply struct {
	Messages wireList `json:"messages"`
	Msg      string   `json:"msg"`
	Status   int      `json:"status"`
}

// wireList is a list of messages that remembers whether the reply had it
// at all: "messages": null (none found) is not an absent key (an error
// object).
type wireList struct {
	present bool
	list    []wireMessage
}

// UnmarshalJSON records that the key was present, null included.
func (l *wireList) UnmarshalJSON(b []byte) error {
	l.present = true
	return json.Unmarshal(b, &l.list)
}

// decode reads a reply of a request for n ids. It returns the messages, or
// split true when the reply says some ids are missing without saying which.
func (c *Client) decode(resp *transport.Response, n int) (msgs []wireMessage, split bool, err error) {
	body := bytes.TrimSpace(resp.Body)
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode < 300
	apiErr := func(r *wireReply) *APIError {
		e := &APIError{Action: ActionSearchMessages, StatusCode: resp.StatusCode, Attempts: resp.Attempts}
		if r != nil {
			e.Msg, e.Status = r.Msg, r.Status
		} else {
			e.Msg = transport.Excerpt(body)
		}
		return e
	}
	if ok2xx || resp.StatusCode == http.StatusNotFound {
		msgs, r, err := parseMessages(body)
		switch {
		case err == nil:
			return msgs, false, nil
		case ok2xx:
			e := apiErr(nil)
			e.Err = err
			return nil, false, e
		case r != nil && saysNotFound(r):
			if n == 1 {
				return nil, false, nil
			}
			return nil, true, nil
		default:
			e := apiErr(r)
			if len(body) == 0 {
				e.hint = "an empty 404 does not say the messages are missing: is the base URL right?"
			} else if r == nil {
				e.hint = "not WuKongIM's JSON: is the base URL right?"
			}
			return nil, false, e
		}
	}
	var r wireReply
	if json.Unmarshal(body, &r) != nil {
		e := apiErr(nil)
		if resp.StatusCode == http.StatusUnauthorized && len(body) == 0 {
			if c.hasToken {
				e.hint = "the server refused the token"
			} else {
				e.hint = "the server requires a manager token: see WithToken"
			}
		}
		return nil, false, e
	}
	e := apiErr(&r)
	if resp.StatusCode == http.StatusUnauthorized && !c.hasToken {
		e.hint = "the server requires a manager token: see WithToken"
	}
	return nil, false, e
}

// parseMessages decodes a reply that holds messages: a bare array, or an
// object with "messages". For an object without it, the object is returned
// with the error.
func parseMessages(body []byte) ([]wireMessage, *wireReply, error) {
	if len(body) == 0 {
		return nil, nil, errors.New("empty body")
	}
	var msgs []wireMessage
	switch body[0] {
	case '[':
		if err := json.Unmarshal(body, &msgs); err != nil {
			return nil, nil, err
		}
	case '{':
		var r wireReply
		if err := json.Unmarshal(body, &r); err != nil {
			return nil, nil, err
		}
		if !r.Messages.present {
			what := "no messages"
			if r.Msg != "" {
				what += ", msg " + strconv.Quote(r.Msg)
			}
			if r.Status != 0 {
				what += ", status " + strconv.Itoa(r.Status)
			}
			return nil, &r, errors.New("a JSON object with " + what)
		}
		msgs = r.Messages.list
	default:
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("a JSON %T, neither an array nor an object", v)
	}
	for i := range msgs {
		id, err := msgs[i].id()
		if err != nil {
			return nil, nil, fmt.Errorf("message %d: %w", i, err)
		}
		msgs[i].resolvedID = id
	}
	return msgs, nil, nil
}

// saysNotFound reports whether a WuKongIM error object says "not found".
func saysNotFound(r *wireReply) bool {
	if r.Status == http.StatusNotFound {
		return true
	}
	msg := strings.ToLower(r.Msg)
	for _, s := range []string{"not found", "not exist", "no such message", "不存在"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
