package volcim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"
)

// The message actions (API area "messages") and their retry classes.
var (
	actGetMessages             = defineAction(actionGetMessages, retryRead, true)
	actGetConversationMessages = defineAction(actionGetConversationMessages, retryRead, true)
	actSendMessage             = defineAction(actionSendMessage, retryKeyed, true)

	actBatchSendMessage          = defineAction(actionBatchSendMessage, retryUnsafe, true)
	actUserBroadcast             = defineAction(actionUserBroadcast, retryUnsafe, false)
	actModifyMessage             = defineAction(actionModifyMessage, retryConverges, false)
	actRecallMessage             = defineAction(actionRecallMessage, retryConverges, false)
	actDeleteConversationMessage = defineAction(actionDeleteConversationMessage, retryConverges, false)
	actDeleteMessage             = defineAction(actionDeleteMessage, retryConverges, false)
	actGetMessagesReadReceipt    = defineAction(actionGetMessagesReadReceipt, retryRead, true)
)

// Names of the message actions.
const (
	actionGetMessages               = "GetMessages"
	actionGetConversationMessages   = "GetConversationMessages"
	actionSendMessage               = "SendMessage"
	actionBatchSendMessage          = "BatchSendMessage"
	actionUserBroadcast             = "UserBroadcast"
	actionModifyMessage             = "ModifyMessage"
	actionRecallMessage             = "RecallMessage"
	actionDeleteConversationMessage = "DeleteConversationMessage"
	actionDeleteMessage             = "DeleteMessage"
	actionGetMessagesReadReceipt    = "GetMessagesReadReceipt"
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
	// MaxBatchReceivers is the most receivers a BatchSendMessage takes, as
	// the API documents.
	MaxBatchReceivers = maxBatchReceivers
	// MinBroadcastTTL is the shortest UserBroadcastRequest.TTL, as the API
	// documents (MsgTTL at least 1 second).
	MinBroadcastTTL = time.Second
	// MaxBroadcastTTL is the longest UserBroadcastRequest.TTL, as the API
	// documents (MsgTTL at most 604,800 seconds: 7 days).
	MaxBroadcastTTL = 604800 * time.Second
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
// every client of the access key; API page
// https://www.volcengine.com/docs/6348/337136).
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
	// Limit is how many messages to return: 1 to MaxPageSize; 0 means
	// MaxPageSize (20), as everywhere in the SDK a zero field means the
	// default.
	Limit int
	// Reverse reads from newer to older messages. Live groups can only be
	// read in reverse.
	Reverse bool
}

// GetConversationMessagesResponse is one page of a conversation.
type GetConversationMessagesResponse struct {
	ResponseMetadata
	// Messages are the page's messages, in the order read.
	Messages []Message
	// HasMore tells whether another page follows.
	HasMore bool
	// NewCursor is where the next page starts (meaningful while HasMore).
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
// of the access key; API page https://www.volcengine.com/docs/6348/337138).
// To walk a whole conversation, use ConversationMessages or
// ConversationMessagesPager, which follow HasMore and NewCursor for you.
//
// A nil request, a zero AppID (after WithAppID) or ConversationShortID, a
// negative Cursor, or a Limit outside 0 to 20 returns an error wrapping
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
	limit := req.Limit
	if limit == 0 {
		limit = MaxPageSize
	}
	if limit < 1 || limit > MaxPageSize {
		return nil, a.invalid("Limit", "must be 0 (for %d) or 1 to %d, got %d", MaxPageSize, MaxPageSize, req.Limit)
	}
	body := wireGetConversationMessages{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		Cursor:              req.Cursor,
		Limit:               limit,
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
	// Sender is the sending user. It or SenderStr is required.
	Sender int64
	// SenderStr is the sender for apps whose user ids are strings.
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
	// MentionedUsers are the members mentioned (@).
	MentionedUsers []int64
	// MentionedUsersStr are mentioned members with string user ids.
	MentionedUsersStr []string
	// VisibleUsers, when set, are the only members who see the message.
	// With neither VisibleUsers nor InvisibleUsers, every member sees it.
	VisibleUsers []int64
	// VisibleUsersStr is VisibleUsers for string user ids.
	VisibleUsersStr []string
	// InvisibleUsers are members who do not see the message.
	InvisibleUsers []int64
	// InvisibleUsersStr is InvisibleUsers for string user ids.
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
// https://www.volcengine.com/docs/6348/337135). Its limits are 50 calls per
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

// BatchSendMessageRequest sends one message from a user to many: each
// receiver gets it in the one-to-one conversation of the sender and that
// receiver.
type BatchSendMessageRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// Sender is the sending user, required.
	Sender int64
	// Receivers are the receiving users (the API's Receiver): 1 to
	// MaxBatchReceivers (500) positive ids. Each one weighs one message in
	// the limiter's budget of 12,000 messages a minute.
	Receivers []int64
	// MsgType is the message's type (MessageText, ...), required.
	MsgType MessageType
	// Content is the message's content in the format the client SDKs read
	// for MsgType (see TextContent and CustomContent), required.
	Content string
	// Ext is the message's extension fields.
	Ext map[string]string
	// InboxType is the inbox the conversations belong to (a logical
	// isolation of conversations); zero is the default inbox.
	InboxType int32
	// IsNormalUser sends as an ordinary user; false, the API's default,
	// sends as a robot. The API page documents it; the official SDK's
	// model (volc-sdk-golang v1.0.256) lacks it. It is sent only when true.
	IsNormalUser bool
}

// BatchSendMessageResponse is the reply of BatchSendMessage.
type BatchSendMessageResponse struct {
	ResponseMetadata
	// UserMessageIDs maps each receiver the message was delivered to to
	// the id of its message in their one-to-one conversation (the API's
	// UserMessageId, whose keys are user ids written as strings).
	UserMessageIDs map[int64]int64
	// FailedReceivers are the receivers the message was not delivered to
	// (the API's FailedReceiver: documented on the API page, absent from
	// the official SDK's model). When it is not empty, BatchSendMessage
	// returns this response together with a *PartialFailureError that
	// lists them.
	FailedReceivers []int64
}

type wireBatchSendMessage struct {
	AppID        int64             `json:"AppId"`
	Content      string            `json:"Content"`
	MsgType      MessageType       `json:"MsgType"`
	Receiver     []int64           `json:"Receiver"`
	Sender       int64             `json:"Sender"`
	Ext          map[string]string `json:"Ext,omitempty"`
	InboxType    int32             `json:"InboxType,omitempty"`
	IsNormalUser bool              `json:"IsNormalUser,omitempty"`
}

type wireBatchSendMessageResult struct {
	UserMessageID  map[string]int64 `json:"UserMessageId"`
	FailedReceiver []int64          `json:"FailedReceiver,omitempty"`
}

// BatchSendMessage sends one message from a user to up to 500 users, each in
// the one-to-one conversation of the sender and that receiver (action
// BatchSendMessage, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/1263587). Its limit is 12,000
// messages a minute per account, a call to n receivers counting n
// (DefaultRates: the call weighs its receivers in the limiter). It triggers
// no BeforeSendMessage callback and checks neither mutes nor block lists.
//
// Receivers the server could not deliver to are listed in the response's
// FailedReceivers, and the call then returns the response together with a
// *PartialFailureError (errors.Is(err, ErrPartialFailure)) naming them; the
// others got the message.
//
// It is not retried once the request may have reached the server: it has no
// idempotency key, and a second delivery would duplicate every message. It
// is retried only when the server proves it did not act (HTTP 429 or a
// throttling code) or the connection failed before any byte of the request
// was written. Any other failure after the request may have been sent (a
// broken connection, a timeout, a 5xx, an unreadable success) returns an
// error wrapping ErrOutcomeUnknown: look at the receivers' conversations
// before sending again.
//
// A nil request, a zero AppID (after WithAppID), a Sender that is not
// positive, an empty, oversized (MaxBatchReceivers) or non-positive
// Receivers list, or no MsgType or Content returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) BatchSendMessage(ctx context.Context, req *BatchSendMessageRequest, opts ...CallOption) (*BatchSendMessageResponse, error) {
	a := actBatchSendMessage
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if req.Sender <= 0 {
		return nil, a.invalid("Sender", "must be positive, got %d", req.Sender)
	}
	if err := checkIDList(a, "Receivers", req.Receivers, MaxBatchReceivers); err != nil {
		return nil, err
	}
	if err := checkMessageBody(a, req.MsgType, req.Content); err != nil {
		return nil, err
	}
	body := wireBatchSendMessage{
		AppID:        appID,
		Content:      req.Content,
		MsgType:      req.MsgType,
		Receiver:     req.Receivers,
		Sender:       req.Sender,
		Ext:          req.Ext,
		InboxType:    req.InboxType,
		IsNormalUser: req.IsNormalUser,
	}
	res, meta, err := call[wireBatchSendMessageResult](ctx, c, a, &cc, &body, len(req.Receivers))
	if err != nil {
		return nil, err
	}
	ids := make(map[int64]int64, len(res.UserMessageID))
	for k, id := range res.UserMessageID {
		user, perr := strconv.ParseInt(k, 10, 64)
		if perr != nil {
			// The messages were sent, but the reply cannot say to whom.
			return nil, &APIError{
				StatusCode:     200,
				RequestID:      meta.RequestID,
				Action:         a.name,
				Message:        "UserMessageId has a key that is not a user id: " + strconv.Quote(k),
				Malformed:      true,
				OutcomeUnknown: true,
				Err:            perr,
			}
		}
		ids[user] = id
	}
	resp := &BatchSendMessageResponse{ResponseMetadata: meta, UserMessageIDs: ids, FailedReceivers: res.FailedReceiver}
	return resp, partialFailure(a, meta, failedIDs(res.FailedReceiver, nil))
}

// checkMessageBody checks the type and content every sending action needs.
func checkMessageBody(a *apiAction, typ MessageType, content string) error {
	switch {
	case typ <= 0:
		return a.invalid("MsgType", "must be set (MessageText, ...), got %d", typ)
	case content == "":
		return a.invalid("Content", "must not be empty")
	}
	return nil
}

// BroadcastTagOp says how UserBroadcastRequest.Tags select users (the API's
// TagOp).
type BroadcastTagOp int32

// Tag operators.
const (
	// TagOpAny selects the users that have any of the tags (the API's
	// "or", its default).
	TagOpAny BroadcastTagOp = 0
	// TagOpAll selects the users that have every tag (the API's "and").
	TagOpAll BroadcastTagOp = 1
)

// String returns a short English name, or "BroadcastTagOp(N)" for an unknown value.
func (o BroadcastTagOp) String() string {
	switch o {
	case TagOpAny:
		return "any"
	case TagOpAll:
		return "all"
	}
	return "BroadcastTagOp(" + itoa(int64(o)) + ")"
}

// UserBroadcastRequest broadcasts a message to every registered user, or to
// those with some tags.
type UserBroadcastRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// Sender is the sending user, required.
	Sender int64
	// MsgType is the message's type (MessageText, ...), required.
	MsgType MessageType
	// Content is the message's content in the format the client SDKs read
	// for MsgType (see TextContent and CustomContent), required.
	Content string
	// TTL is how long the broadcast lives (the API's MsgTTL, in seconds):
	// MinBroadcastTTL (1s) to MaxBroadcastTTL (7 days), a whole number of
	// seconds. A TTL with a fraction of a second is refused, not rounded.
	TTL time.Duration
	// Tags select the users who receive the broadcast (tags given by
	// RegisterUsers or BatchUpdateUserTags); none means every registered
	// user.
	Tags []string
	// TagOp says whether a user needs any of the Tags (TagOpAny, the
	// default) or all of them (TagOpAll).
	TagOp BroadcastTagOp
	// Ext is the message's extension fields.
	Ext map[string]string
	// InboxType is the inbox (a logical isolation of conversations); zero
	// is the default inbox.
	InboxType int32
}

// UserBroadcastResponse is the reply of UserBroadcast: the API documents no
// result.
type UserBroadcastResponse struct {
	ResponseMetadata
}

type wireUserBroadcast struct {
	AppID     int64             `json:"AppId"`
	Content   string            `json:"Content"`
	MsgTTL    int64             `json:"MsgTTL"`
	MsgType   MessageType       `json:"MsgType"`
	Sender    int64             `json:"Sender"`
	Ext       map[string]string `json:"Ext,omitempty"`
	InboxType int32             `json:"InboxType,omitempty"`
	TagOp     BroadcastTagOp    `json:"TagOp,omitempty"`
	Tags      []string          `json:"Tags,omitempty"`
}

// UserBroadcast broadcasts a message to every user registered with
// RegisterUsers, or to those with the given tags (action UserBroadcast,
// version 2020-12-01; API page https://www.volcengine.com/docs/6348/1125997).
// Its limit is 20 calls a day per account (DefaultRates; an older copy of the
// page said 50 QPS). Only users registered through RegisterUsers receive it,
// seconds to minutes later depending on their number.
//
// It is not retried once the request may have reached the server: it has no
// idempotency key, and a second call would broadcast twice. It is retried
// only when the server proves it did not act (HTTP 429 or a throttling
// code) or the connection failed before any byte of the request was
// written. Any other failure after the request may have been sent returns
// an error wrapping ErrOutcomeUnknown: the caller decides whether to
// broadcast again.
//
// A nil request, a zero AppID (after WithAppID), a Sender that is not
// positive, no MsgType or Content, a TTL outside 1s to 7 days or not a whole
// number of seconds, or a TagOp other than TagOpAny or TagOpAll returns an
// error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) UserBroadcast(ctx context.Context, req *UserBroadcastRequest, opts ...CallOption) (*UserBroadcastResponse, error) {
	a := actUserBroadcast
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if req.Sender <= 0 {
		return nil, a.invalid("Sender", "must be positive, got %d", req.Sender)
	}
	if err := checkMessageBody(a, req.MsgType, req.Content); err != nil {
		return nil, err
	}
	switch {
	case req.TTL < MinBroadcastTTL || req.TTL > MaxBroadcastTTL:
		return nil, a.invalid("TTL", "must be 1s to %v (604800s), got %v", MaxBroadcastTTL, req.TTL)
	case req.TTL%time.Second != 0:
		return nil, a.invalid("TTL", "must be a whole number of seconds, got %v", req.TTL)
	case req.TagOp != TagOpAny && req.TagOp != TagOpAll:
		return nil, a.invalid("TagOp", "must be TagOpAny (0) or TagOpAll (1), got %d", req.TagOp)
	}
	body := wireUserBroadcast{
		AppID:     appID,
		Content:   req.Content,
		MsgTTL:    int64(req.TTL / time.Second),
		MsgType:   req.MsgType,
		Sender:    req.Sender,
		Ext:       req.Ext,
		InboxType: req.InboxType,
		TagOp:     req.TagOp,
		Tags:      req.Tags,
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &body, 1)
	if err != nil {
		return nil, err
	}
	return &UserBroadcastResponse{ResponseMetadata: meta}, nil
}

// checkMessage checks the conversation and message ids of the actions on one
// message.
func checkMessage(a *apiAction, conversationShortID, messageID int64) error {
	if err := checkConversation(a, conversationShortID); err != nil {
		return err
	}
	if messageID <= 0 {
		return a.invalid("MessageID", "must be positive, got %d", messageID)
	}
	return nil
}

// ModifyMessageRequest changes a message's content or extension fields.
type ModifyMessageRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the message's conversation.
	ConversationShortID int64
	// MessageID is the message to change.
	MessageID int64
	// Content replaces the message's content; empty leaves it as it is. It
	// must be in the format the client SDKs read for the message's type
	// (TextContent for a text message).
	Content string
	// Ext is merged into the message's extension fields: a key it names
	// gets its value, keys it does not name keep theirs.
	Ext map[string]string
}

// ModifyMessageResponse is the reply of ModifyMessage: the API documents no
// result.
type ModifyMessageResponse struct {
	ResponseMetadata
}

type wireModifyMessage struct {
	AppID               int64             `json:"AppId"`
	ConversationShortID int64             `json:"ConversationShortId"`
	MessageID           int64             `json:"MessageId"`
	Content             string            `json:"Content,omitempty"`
	Ext                 map[string]string `json:"Ext,omitempty"`
}

// ModifyMessage changes a message's content, its extension fields, or both
// (action ModifyMessage, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/337137). Its limit is 50 calls per
// second (DefaultRates). Expired messages cannot be modified.
//
// Retries are safe: a retry sets the same content and the same keys, and so
// converges on the same message.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID or
// MessageID that is not positive, or neither Content nor Ext (nothing to
// modify) returns an error wrapping ErrInvalidRequest before anything is
// sent.
func (c *Client) ModifyMessage(ctx context.Context, req *ModifyMessageRequest, opts ...CallOption) (*ModifyMessageResponse, error) {
	a := actModifyMessage
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkMessage(a, req.ConversationShortID, req.MessageID); err != nil {
		return nil, err
	}
	if req.Content == "" && len(req.Ext) == 0 {
		return nil, a.invalid("Content", "and Ext are both empty: nothing to modify")
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireModifyMessage{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		MessageID:           req.MessageID,
		Content:             req.Content,
		Ext:                 req.Ext,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &ModifyMessageResponse{ResponseMetadata: meta}, nil
}

// RecallRole is the role in which a member recalls a message (the API's
// RecallRole).
type RecallRole int32

// Recall roles.
const (
	// RecallAsMember: an ordinary member recalls a message of their own
	// (the default).
	RecallAsMember RecallRole = 0
	// RecallAsOwner: the group's owner recalls a message.
	RecallAsOwner RecallRole = 1
	// RecallAsManager: a manager of the group recalls a message.
	RecallAsManager RecallRole = 2
)

// String returns a short English name, or "RecallRole(N)" for an unknown value.
func (r RecallRole) String() string {
	switch r {
	case RecallAsMember:
		return "member"
	case RecallAsOwner:
		return "owner"
	case RecallAsManager:
		return "manager"
	}
	return "RecallRole(" + itoa(int64(r)) + ")"
}

// RecallMessageRequest recalls a message on behalf of a member.
type RecallMessageRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the message's conversation.
	ConversationShortID int64
	// MessageID is the message to recall.
	MessageID int64
	// ParticipantUserID is the member who recalls the message, required.
	ParticipantUserID int64
	// RecallRole is the role the member recalls it in; zero
	// (RecallAsMember) is the server's default.
	RecallRole RecallRole
}

// RecallMessageResponse is the reply of RecallMessage: the API documents no
// result.
type RecallMessageResponse struct {
	ResponseMetadata
}

type wireRecallMessage struct {
	AppID               int64      `json:"AppId"`
	ConversationShortID int64      `json:"ConversationShortId"`
	MessageID           int64      `json:"MessageId"`
	ParticipantUserID   int64      `json:"ParticipantUserId"`
	RecallRole          RecallRole `json:"RecallRole,omitempty"`
}

// RecallMessage recalls a message on behalf of a member of its conversation
// (action RecallMessage, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/337141). Its limit is 50 calls per
// second (DefaultRates).
//
// Retries converge: a recalled message stays recalled. A retry of a recall
// that had in fact succeeded may answer an error of the server's own
// (APIError.Attempts > 1 tells).
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID,
// MessageID or ParticipantUserID that is not positive, or a RecallRole
// outside 0 to 2 returns an error wrapping ErrInvalidRequest before anything
// is sent.
func (c *Client) RecallMessage(ctx context.Context, req *RecallMessageRequest, opts ...CallOption) (*RecallMessageResponse, error) {
	a := actRecallMessage
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkMessage(a, req.ConversationShortID, req.MessageID); err != nil {
		return nil, err
	}
	switch {
	case req.ParticipantUserID <= 0:
		return nil, a.invalid("ParticipantUserID", "must be positive, got %d", req.ParticipantUserID)
	case req.RecallRole < RecallAsMember || req.RecallRole > RecallAsManager:
		return nil, a.invalid("RecallRole", "must be 0 to 2, got %d", req.RecallRole)
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireRecallMessage{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		MessageID:           req.MessageID,
		ParticipantUserID:   req.ParticipantUserID,
		RecallRole:          req.RecallRole,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &RecallMessageResponse{ResponseMetadata: meta}, nil
}

// DeleteType is how DeleteConversationMessage deletes a message (the API's
// DeleteType).
type DeleteType int32

// Delete types.
const (
	// DeleteForEveryone hides the message from every member (the default,
	// and the only type a live group accepts).
	DeleteForEveryone DeleteType = 0
	// DeleteExceptSender hides the message from everyone but its sender.
	DeleteExceptSender DeleteType = 1
)

// String returns a short English name, or "DeleteType(N)" for an unknown value.
func (t DeleteType) String() string {
	switch t {
	case DeleteForEveryone:
		return "for everyone"
	case DeleteExceptSender:
		return "except the sender"
	}
	return "DeleteType(" + itoa(int64(t)) + ")"
}

// DeleteConversationMessageRequest deletes a message from its conversation.
type DeleteConversationMessageRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the message's conversation.
	ConversationShortID int64
	// MessageID is the message to delete.
	MessageID int64
	// DeleteType says who stops seeing the message; zero
	// (DeleteForEveryone) is the server's default. Live groups accept only
	// DeleteForEveryone.
	DeleteType DeleteType
}

// DeleteConversationMessageResponse is the reply of
// DeleteConversationMessage: the API documents no result.
type DeleteConversationMessageResponse struct {
	ResponseMetadata
}

type wireDeleteConversationMessage struct {
	AppID               int64      `json:"AppId"`
	ConversationShortID int64      `json:"ConversationShortId"`
	MessageID           int64      `json:"MessageId"`
	DeleteType          DeleteType `json:"DeleteType,omitempty"`
}

// DeleteConversationMessage deletes a message from its conversation, for
// every member or for all but its sender (action DeleteConversationMessage,
// version 2020-12-01; API page https://www.volcengine.com/docs/6348/337140).
// Its limit is 50 calls per second (DefaultRates). To delete a message for
// one member only, use DeleteMessage.
//
// Retries converge: a deleted message stays deleted. A retry of a delete
// that had in fact succeeded may answer an error of the server's own
// (APIError.Attempts > 1 tells).
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID or
// MessageID that is not positive, or a DeleteType outside 0 to 1 returns an
// error wrapping ErrInvalidRequest before anything is sent. A live group
// answers DeleteExceptSender with an error of the server's.
func (c *Client) DeleteConversationMessage(ctx context.Context, req *DeleteConversationMessageRequest, opts ...CallOption) (*DeleteConversationMessageResponse, error) {
	a := actDeleteConversationMessage
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkMessage(a, req.ConversationShortID, req.MessageID); err != nil {
		return nil, err
	}
	if req.DeleteType != DeleteForEveryone && req.DeleteType != DeleteExceptSender {
		return nil, a.invalid("DeleteType", "must be 0 or 1, got %d", req.DeleteType)
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireDeleteConversationMessage{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		MessageID:           req.MessageID,
		DeleteType:          req.DeleteType,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &DeleteConversationMessageResponse{ResponseMetadata: meta}, nil
}

// DeleteMessageRequest deletes a message for one member.
type DeleteMessageRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the message's conversation.
	ConversationShortID int64
	// MessageID is the message to delete.
	MessageID int64
	// ParticipantUserID is the member who no longer sees the message,
	// required.
	ParticipantUserID int64
}

// DeleteMessageResponse is the reply of DeleteMessage: the API documents no
// result.
type DeleteMessageResponse struct {
	ResponseMetadata
}

type wireDeleteMessage struct {
	AppID               int64 `json:"AppId"`
	ConversationShortID int64 `json:"ConversationShortId"`
	MessageID           int64 `json:"MessageId"`
	ParticipantUserID   int64 `json:"ParticipantUserId"`
}

// DeleteMessage deletes a message for one member of its conversation: the
// others still see it (action DeleteMessage, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/337139). Its limit is 50 calls per
// second (DefaultRates). To delete a message for everyone, use
// DeleteConversationMessage.
//
// Retries converge: a deleted message stays deleted for the member. A retry
// of a delete that had in fact succeeded may answer an error of the
// server's own (APIError.Attempts > 1 tells).
//
// A nil request, a zero AppID (after WithAppID), or a ConversationShortID,
// MessageID or ParticipantUserID that is not positive returns an error
// wrapping ErrInvalidRequest before anything is sent.
func (c *Client) DeleteMessage(ctx context.Context, req *DeleteMessageRequest, opts ...CallOption) (*DeleteMessageResponse, error) {
	a := actDeleteMessage
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkMessage(a, req.ConversationShortID, req.MessageID); err != nil {
		return nil, err
	}
	if req.ParticipantUserID <= 0 {
		return nil, a.invalid("ParticipantUserID", "must be positive, got %d", req.ParticipantUserID)
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireDeleteMessage{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		MessageID:           req.MessageID,
		ParticipantUserID:   req.ParticipantUserID,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &DeleteMessageResponse{ResponseMetadata: meta}, nil
}

// GetMessagesReadReceiptRequest asks who has read messages of a
// conversation.
type GetMessagesReadReceiptRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation (one-to-one or group: live
	// groups have no read receipts).
	ConversationShortID int64
	// MessageIDs are the messages: 1 to MaxIDsPerCall positive ids.
	MessageIDs []int64
}

// ReadReceipt says who has read one message.
type ReadReceipt struct {
	// ConversationShortID is the conversation the message is in.
	ConversationShortID int64
	// MessageID is the message's id, one of the request's MessageIDs.
	MessageID int64
	// ReceiverIsRead tells, in a one-to-one conversation only, whether the
	// receiver has read the message; it is false in a group.
	ReceiverIsRead bool
	// ReadUserIDs are the members who have read the message.
	ReadUserIDs []int64
	// ReadUserIDsStr are the members who have read the message, for apps
	// whose user ids are strings.
	ReadUserIDsStr []string
	// UnreadUserIDs are the members who have not read the message (the
	// API's UnReadUserIds).
	UnreadUserIDs []int64
	// UnreadUserIDsStr are the members who have not read the message, for
	// apps whose user ids are strings (the API's UnReadUserIdsStr).
	UnreadUserIDsStr []string
}

// GetMessagesReadReceiptResponse is the reply of GetMessagesReadReceipt.
type GetMessagesReadReceiptResponse struct {
	ResponseMetadata
	// ReadReceipts has one receipt per message found (the API's
	// ReadReceipt).
	ReadReceipts []ReadReceipt
}

type wireReadReceipts struct {
	ReadReceipt []wireReadReceipt `json:"ReadReceipt"`
}

type wireReadReceipt struct {
	ConversationShortID int64    `json:"ConversationShortId"`
	MessageID           int64    `json:"MessageId"`
	ReadUserIDs         []int64  `json:"ReadUserIds"`
	ReadUserIDsStr      []string `json:"ReadUserIdsStr,omitempty"`
	ReceiverIsRead      bool     `json:"ReceiverIsRead"`
	UnReadUserIDs       []int64  `json:"UnReadUserIds"`
	UnReadUserIDsStr    []string `json:"UnReadUserIdsStr,omitempty"`
}

// GetMessagesReadReceipt tells, for messages of a one-to-one or group
// conversation, which members have read each and which have not (action
// GetMessagesReadReceipt, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/1223552). Its limit is 100 calls per
// second (DefaultRates). Live groups have no read receipts.
//
// It is a read: retried after transport errors, throttling and 5xx replies.
//
// A nil request, a zero AppID (after WithAppID) or ConversationShortID, or
// an empty, oversized (MaxIDsPerCall) or non-positive MessageIDs list
// returns an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) GetMessagesReadReceipt(ctx context.Context, req *GetMessagesReadReceiptRequest, opts ...CallOption) (*GetMessagesReadReceiptResponse, error) {
	a := actGetMessagesReadReceipt
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
	res, meta, err := call[wireReadReceipts](ctx, c, a, &cc, &wireGetMessages{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		MessageIDs:          req.MessageIDs,
	}, 1)
	if err != nil {
		return nil, err
	}
	resp := &GetMessagesReadReceiptResponse{ResponseMetadata: meta}
	if res.ReadReceipt != nil {
		resp.ReadReceipts = make([]ReadReceipt, len(res.ReadReceipt))
		for i, r := range res.ReadReceipt {
			resp.ReadReceipts[i] = ReadReceipt{
				ConversationShortID: r.ConversationShortID,
				MessageID:           r.MessageID,
				ReceiverIsRead:      r.ReceiverIsRead,
				ReadUserIDs:         r.ReadUserIDs,
				ReadUserIDsStr:      r.ReadUserIDsStr,
				UnreadUserIDs:       r.UnReadUserIDs,
				UnreadUserIDsStr:    r.UnReadUserIDsStr,
			}
		}
	}
	return resp, nil
}
