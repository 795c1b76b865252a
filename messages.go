package volcim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// The message actions (API area "messages") and their retry classes.
var (
	actGetMessages             = defineAction(actionGetMessages, retryRead, true)
	actGetConversationMessages = defineAction(actionGetConversationMessages, retryRead, true)
	actSendMessage             = defineAction(actionSendMessage, retryKeyed, true)
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

// MessagePriority is the priority of a message in a live group (the API's
// Priority): the server drops messages beyond 30 per second of normal and low
// priority together, and cannot guarantee those beyond 10 per second of high
// priority. It has no effect elsewhere.
type MessagePriority int32

// Message priorities.
const (
	PriorityLow    MessagePriority = 0
	PriorityNormal MessagePriority = 1
	PriorityHigh   MessagePriority = 2
)

// String returns a short English name, or "MessagePriority(N)" for an unknown value.
func (p MessagePriority) String() string {
	switch p {
	case PriorityLow:
		return "low"
	case PriorityNormal:
		return "normal"
	case PriorityHigh:
		return "high"
	}
	return "MessagePriority(" + itoa(int64(p)) + ")"
}

// SendMessageRequest sends one message into a conversation as a user.
type SendMessageRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation to send into.
	ConversationShortID int64
	// Sender is the sending user; SenderStr instead for apps whose user ids
	// are strings. One of them is required.
	Sender    int64
	SenderStr string
	// MsgType is the message's type (MessageText, ...), required.
	MsgType MessageType
	// Content is the message's content in the format the client SDKs read
	// for MsgType (see TextContent and CustomContent), required.
	Content string
	// ClientMsgID is the idempotency key: the server does not send a
	// message twice for one key. Leave it empty and the client fills a
	// random UUID, so that its own retries never send twice; the response
	// gives the key used. Set it to retry safely across processes.
	ClientMsgID string
	// CreateTime is the message's time (milliseconds are kept); zero lets
	// the server use the time it receives the message.
	CreateTime time.Time
	// Ext is the message's extension fields.
	Ext map[string]string
	// MentionedUsers are the members mentioned (@); MentionedUsersStr
	// their string twins.
	MentionedUsers    []int64
	MentionedUsersStr []string
	// VisibleUsers, when set, are the only members who see the message;
	// InvisibleUsers are members who do not. With neither, every member
	// sees it. Each has a string twin.
	VisibleUsers      []int64
	VisibleUsersStr   []string
	InvisibleUsers    []int64
	InvisibleUsersStr []string
	// RefMsgInfo quotes another message: only its ReferencedMessageID and
	// Hint (the text shown for the quote) are sent.
	RefMsgInfo *RefMsgInfo
	// Priority is the message's priority in a live group; nil leaves the
	// server's default.
	Priority *MessagePriority
}

// SendMessageResponse is the reply of SendMessage.
type SendMessageResponse struct {
	ResponseMetadata
	// MessageID is the id of the message sent (or of the one sent before
	// with the same ClientMsgID).
	MessageID int64
	// ClientMsgID is the idempotency key the message was sent with: the
	// request's, or the one the client filled.
	ClientMsgID string
}

type wireSendMessage struct {
	AppID               int64             `json:"AppId"`
	Content             string            `json:"Content"`
	ConversationShortID int64             `json:"ConversationShortId"`
	MsgType             MessageType       `json:"MsgType"`
	Sender              int64             `json:"Sender"`
	SenderStr           string            `json:"SenderStr,omitempty"`
	ClientMsgID         string            `json:"ClientMsgId,omitempty"`
	CreateTime          int64             `json:"CreateTime,omitempty"`
	Ext                 map[string]string `json:"Ext,omitempty"`
	InvisibleUsers      []int64           `json:"InvisibleUsers,omitempty"`
	InvisibleUsersStr   []string          `json:"InvisibleUsersStr,omitempty"`
	MentionedUsers      []int64           `json:"MentionedUsers,omitempty"`
	MentionedUsersStr   []string          `json:"MentionedUsersStr,omitempty"`
	Priority            *MessagePriority  `json:"Priority,omitempty"`
	RefMsgInfo          *wireRefToSend    `json:"RefMsgInfo,omitempty"`
	VisibleUsers        []int64           `json:"VisibleUsers,omitempty"`
	VisibleUsersStr     []string          `json:"VisibleUsersStr,omitempty"`
}

// wireRefToSend is the quote of a message being sent.
type wireRefToSend struct {
	Hint                string `json:"Hint"`
	ReferencedMessageID int64  `json:"ReferencedMessageId"`
}

type wireSendMessageResult struct {
	MessageID int64 `json:"MessageId"`
}

// SendMessage sends a message into a conversation as a user (action
// SendMessage, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348 "SendMessage"). Its limits are 50 calls per
// second and, account-wide, 50 messages per second sent through the server
// API (DefaultRates); in a live group the server also limits messages by
// priority (see MessagePriority). Sending through the OpenAPI triggers no
// third-party callback.
//
// Retries are safe: the message carries an idempotency key (ClientMsgID, a
// random UUID when the request leaves it empty), so a retry after a lost
// reply returns the message sent the first time instead of sending a second.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, no Sender (nor SenderStr), no MsgType or Content, a
// non-positive user id in a user list, or a Priority outside 0 to 2 returns
// an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) SendMessage(ctx context.Context, req *SendMessageRequest, opts ...CallOption) (*SendMessageResponse, error) {
	a := actSendMessage
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
	switch {
	case req.Sender < 0 || req.Sender == 0 && req.SenderStr == "":
		return nil, a.invalid("Sender", "must be positive (or SenderStr set), got %d", req.Sender)
	case req.MsgType <= 0:
		return nil, a.invalid("MsgType", "must be set (MessageText, ...), got %d", req.MsgType)
	case req.Content == "":
		return nil, a.invalid("Content", "must not be empty")
	case req.Priority != nil && (*req.Priority < PriorityLow || *req.Priority > PriorityHigh):
		return nil, a.invalid("Priority", "must be 0 to 2, got %d", *req.Priority)
	}
	for _, l := range []struct {
		field string
		ids   []int64
	}{{"MentionedUsers", req.MentionedUsers}, {"VisibleUsers", req.VisibleUsers}, {"InvisibleUsers", req.InvisibleUsers}} {
		if err := checkOptionalIDs(a, l.field, l.ids); err != nil {
			return nil, err
		}
	}
	key := req.ClientMsgID
	if key == "" {
		key = newUUID()
	}
	body := wireSendMessage{
		AppID:               appID,
		Content:             req.Content,
		ConversationShortID: req.ConversationShortID,
		MsgType:             req.MsgType,
		Sender:              req.Sender,
		SenderStr:           req.SenderStr,
		ClientMsgID:         key,
		CreateTime:          toMillis(req.CreateTime),
		Ext:                 req.Ext,
		InvisibleUsers:      req.InvisibleUsers,
		InvisibleUsersStr:   req.InvisibleUsersStr,
		MentionedUsers:      req.MentionedUsers,
		MentionedUsersStr:   req.MentionedUsersStr,
		Priority:            req.Priority,
		VisibleUsers:        req.VisibleUsers,
		VisibleUsersStr:     req.VisibleUsersStr,
	}
	if r := req.RefMsgInfo; r != nil {
		body.RefMsgInfo = &wireRefToSend{Hint: r.Hint, ReferencedMessageID: r.ReferencedMessageID}
	}
	res, meta, err := call[wireSendMessageResult](ctx, c, a, &cc, &body, 1)
	if err != nil {
		return nil, err
	}
	return &SendMessageResponse{ResponseMetadata: meta, MessageID: res.MessageID, ClientMsgID: key}, nil
}

// checkOptionalIDs checks a list of user ids that may be empty: each must be
// positive.
func checkOptionalIDs(a *apiAction, field string, ids []int64) error {
	for i, id := range ids {
		if id <= 0 {
			return a.invalid(field, "[%d] must be positive, got %d", i, id)
		}
	}
	return nil
}

// newUUID returns a random (version 4) UUID in its canonical text form.
func newUUID() string {
	var u [16]byte
	rand.Read(u[:]) // never fails (crypto/rand)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
