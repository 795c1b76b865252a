package volcim

import (
	"context"
)

// The message actions (API area "messages").
var (
	actGetMessages             = defineAction(actionGetMessages, retryRead, true)
	actGetConversationMessages = defineAction(actionGetConversationMessages, retryRead, true)
)

// Names of the message actions.
const (
	actionGetMessages             = "GetMessages"
	actionGetConversationMessages = "GetConversationMessages"
	actionSendMessage             = "SendMessage"
	actionBatchSendMessage        = "BatchSendMessage"
	actionRecallMessage           = "RecallMessage"
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
	a := actGetMessages
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	if err := checkIDList(a, "MessageIDs", req.MessageIDs, MaxIDsPerCall); err != nil {
		return nil, err
	}
	res, meta, err := call[wireMessages](ctx, c, a, &cc, &wireGetMessages{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		MessageIDs:          req.MessageIDs,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &GetMessagesResponse{ResponseMetadata: meta, Messages: toMessages(res.Messages)}, nil
}

type wireGetMessages struct {
	AppID               int64   `json:"AppId"`
	ConversationShortID int64   `json:"ConversationShortId"`
	MessageIDs          []int64 `json:"MessageIds"`
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
	a := actGetConversationMessages
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	if req.Cursor < 0 {
		return nil, a.invalid("Cursor", "must not be negative, got %d", req.Cursor)
	}
	if req.Limit < 1 || req.Limit > MaxPageSize {
		return nil, a.invalid("Limit", "must be 1 to %d, got %d", MaxPageSize, req.Limit)
	}
	body := wireGetConversationMessages{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		Cursor:              req.Cursor,
		Limit:               req.Limit,
	}
	if req.Reverse {
		body.Reverse = 1
	}
	res, meta, err := call[wireConversationMessages](ctx, c, a, &cc, &body, 1)
	if err != nil {
		return nil, err
	}
	return &GetConversationMessagesResponse{
		ResponseMetadata: meta,
		Messages:         toMessages(res.Messages),
		HasMore:          res.HasMore,
		NewCursor:        res.NewCursor,
	}, nil
}

type wireGetConversationMessages struct {
	AppID               int64 `json:"AppId"`
	ConversationShortID int64 `json:"ConversationShortId"`
	Cursor              int64 `json:"Cursor"`
	Limit               int   `json:"Limit"`
	Reverse             int32 `json:"Reverse"`
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

func checkConversation(a *apiAction, conversationShortID int64) error {
	if conversationShortID <= 0 {
		return a.invalid("ConversationShortID", "must be positive, got %d", conversationShortID)
	}
	return nil
}

// checkIDList checks a list of ids: 1 to max positive ids.
func checkIDList(a *apiAction, field string, ids []int64, max int) error {
	if len(ids) == 0 {
		return a.invalid(field, "must not be empty")
	}
	if len(ids) > max {
		return a.invalid(field, "has %d ids, more than the %d a call may take", len(ids), max)
	}
	for i, id := range ids {
		if id <= 0 {
			return a.invalid(field, "[%d] must be positive, got %d", i, id)
		}
	}
	return nil
}
