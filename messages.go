package volcim

import (
	"context"
	"strconv"
)

// Limits the client enforces before sending.
const (
	// MaxPageSize is the most messages GetConversationMessages returns per
	// call, as the API documents.
	MaxPageSize = 20
	// MaxIDsPerCall caps GetMessages.MessageIDs and
	// BatchGetConversations.ConversationShortIDs. The API documents no
	// maximum; the SDK sets one so that a runaway list fails loudly before
	// the network rather than as an opaque server error. Split longer lists.
	MaxIDsPerCall = 100
)

// GetMessagesRequest asks for messages of one conversation by id.
type GetMessagesRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation the messages belong to.
	ConversationShortID int64
	// MessageIDs are the messages wanted: 1 to MaxIDsPerCall positive ids.
	MessageIDs []int64
}

// GetMessagesResponse is the reply of GetMessages.
type GetMessagesResponse struct {
	ResponseMetadata
	// Messages are the messages found; ids that do not exist are left out.
	Messages []Message
}

type wireMessages struct {
	Messages []wireMessage `json:"Messages"`
}

// GetMessages fetches messages of one conversation by id (action
// GetMessages, version 2020-12-01; at most 100 QPS per account, shared with
// every client of the access key; API page "GetMessages" of the RTC IM server
// API, https://www.volcengine.com/docs/6348).
//
// The request is checked before anything is sent: a nil request, a zero AppID
// (after WithAppID) or ConversationShortID, or an empty, oversized
// (MaxIDsPerCall) or non-positive id list returns an error wrapping
// ErrInvalidRequest.
func (c *Client) GetMessages(ctx context.Context, req *GetMessagesRequest, opts ...CallOption) (*GetMessagesResponse, error) {
	const action = actionGetMessages
	if req == nil {
		return nil, invalid(action, "", "nil request")
	}
	cc, appID, err := c.callSettings(action, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(action, req.ConversationShortID); err != nil {
		return nil, err
	}
	if err := checkIDList(action, "MessageIDs", req.MessageIDs); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+20*len(req.MessageIDs))
	b = append(b, `{"AppId":`...)
	b = strconv.AppendInt(b, appID, 10)
	b = append(b, `,"ConversationShortId":`...)
	b = strconv.AppendInt(b, req.ConversationShortID, 10)
	b = append(b, `,"MessageIds":`...)
	b = appendIntList(b, req.MessageIDs)
	b = append(b, '}')

	res := wireMessages{Messages: withRoom[wireMessage](len(req.MessageIDs))}
	meta, err := invoke(ctx, c, action, &cc, b, &res)
	if err != nil {
		return nil, err
	}
	return &GetMessagesResponse{ResponseMetadata: meta, Messages: toMessages(decodedList(res.Messages))}, nil
}

// GetConversationMessagesRequest asks for one page of a conversation.
type GetConversationMessagesRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation to read.
	ConversationShortID int64
	// Cursor is the IndexInConversation of the message to start from; a
	// reply's NewCursor continues where it stopped.
	Cursor int64
	// Limit is how many messages to return: 1 to MaxPageSize (20).
	Limit int
	// Reverse reads from newer to older messages. Live groups can only be
	// read in reverse.
	Reverse bool
}

// GetConversationMessagesResponse is one page of a conversation.
type GetConversationMessagesResponse struct {
	ResponseMetadata
	Messages []Message
	// HasMore tells whether another page follows; NewCursor is where it
	// starts.
	HasMore   bool
	NewCursor int64
}

type wireConversationMessages struct {
	HasMore   bool          `json:"HasMore"`
	NewCursor int64         `json:"NewCursor"`
	Messages  []wireMessage `json:"Messages"`
}

// GetConversationMessages fetches one page of at most 20 messages of a
// conversation, starting at a cursor (action GetConversationMessages,
// version 2020-12-01; at most 100 QPS per account, shared with every client
// of the access key; API page "GetConversationMessages" of the RTC IM server
// API, https://www.volcengine.com/docs/6348). To walk
// a whole conversation, use ConversationMessages or ConversationMessagesPager,
// which follow HasMore and NewCursor for you.
//
// A nil request, a zero AppID (after WithAppID) or ConversationShortID, a
// negative Cursor, or a Limit outside 1 to 20 returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) GetConversationMessages(ctx context.Context, req *GetConversationMessagesRequest, opts ...CallOption) (*GetConversationMessagesResponse, error) {
	const action = actionGetConversationMessages
	if req == nil {
		return nil, invalid(action, "", "nil request")
	}
	cc, appID, err := c.callSettings(action, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(action, req.ConversationShortID); err != nil {
		return nil, err
	}
	if req.Cursor < 0 {
		return nil, invalid(action, "Cursor", "must not be negative, got %d", req.Cursor)
	}
	if req.Limit < 1 || req.Limit > MaxPageSize {
		return nil, invalid(action, "Limit", "must be 1 to %d, got %d", MaxPageSize, req.Limit)
	}
	b := make([]byte, 0, 128)
	b = append(b, `{"AppId":`...)
	b = strconv.AppendInt(b, appID, 10)
	b = append(b, `,"ConversationShortId":`...)
	b = strconv.AppendInt(b, req.ConversationShortID, 10)
	b = append(b, `,"Cursor":`...)
	b = strconv.AppendInt(b, req.Cursor, 10)
	b = append(b, `,"Limit":`...)
	b = strconv.AppendInt(b, int64(req.Limit), 10)
	if req.Reverse {
		b = append(b, `,"Reverse":1}`...)
	} else {
		b = append(b, `,"Reverse":0}`...)
	}

	res := wireConversationMessages{Messages: withRoom[wireMessage](req.Limit)}
	meta, err := invoke(ctx, c, action, &cc, b, &res)
	if err != nil {
		return nil, err
	}
	return &GetConversationMessagesResponse{
		ResponseMetadata: meta,
		Messages:         toMessages(decodedList(res.Messages)),
		HasMore:          res.HasMore,
		NewCursor:        res.NewCursor,
	}, nil
}

func toMessages(w []wireMessage) []Message {
	if w == nil {
		return nil
	}
	out := make([]Message, len(w))
	for i := range w {
		out[i] = w[i].message()
	}
	return out
}

// withRoom returns an empty slice with room for the n items a reply should
// hold, for json.Unmarshal to fill in place rather than grow from nothing
// (six allocations and copies for 20 items). n <= 0 gives nil.
func withRoom[T any](n int) []T {
	if n <= 0 {
		return nil
	}
	return make([]T, 0, n)
}

// decodedList returns what a list decoded into a withRoom slice would be
// without the room. json.Unmarshal replaces the slice with a zero-capacity
// one for [] and with nil for null (encoding/json and its jsonv2-based
// implementation alike), and leaves it untouched when the key is absent:
// that last case is nil too. TestPresizedListsDecodeAsBefore checks all three.
func decodedList[T any](s []T) []T {
	if len(s) == 0 && cap(s) > 0 {
		return nil
	}
	return s
}

func checkConversation(action string, conversationShortID int64) error {
	if conversationShortID <= 0 {
		return invalid(action, "ConversationShortID", "must be positive, got %d", conversationShortID)
	}
	return nil
}

func checkIDList(action, field string, ids []int64) error {
	if len(ids) == 0 {
		return invalid(action, field, "must not be empty")
	}
	if len(ids) > MaxIDsPerCall {
		return invalid(action, field, "has %d ids, more than the %d a call may ask for", len(ids), MaxIDsPerCall)
	}
	for i, id := range ids {
		if id <= 0 {
			return invalid(action, field, "[%d] must be positive, got %d", i, id)
		}
	}
	return nil
}

func appendIntList(b []byte, ids []int64) []byte {
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return append(b, ']')
}
