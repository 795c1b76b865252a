package volcimtest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	volcim "github.com/volcim/volcim-go"
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

// messageHandlers answers the message actions.
var messageHandlers = map[string]handler{
	actionGetMessages:               (*Server).getMessages,
	actionGetConversationMessages:   (*Server).getConversationMessages,
	actionSendMessage:               (*Server).sendMessage,
	actionBatchSendMessage:          (*Server).batchSendMessage,
	actionUserBroadcast:             (*Server).userBroadcast,
	actionModifyMessage:             (*Server).modifyMessage,
	actionRecallMessage:             (*Server).recallMessage,
	actionDeleteConversationMessage: (*Server).deleteConversationMessage,
	actionDeleteMessage:             (*Server).deleteMessage,
	actionGetMessagesReadReceipt:    (*Server).getMessagesReadReceipt,
}

// MessageRecalled is the Status the server gives a recalled message: reads
// (GetMessages, GetConversationMessages) still return it, with this status
// and an empty Content. The API documents only status 0 (visible); 3 is this
// server's convention, the value a quote of a recalled message has
// (volcim.RefMessageRecalled).
const MessageRecalled volcim.MessageStatus = 3

type sendMessageRequest struct {
	AppID               *int64            `json:"AppId"`
	ConversationShortID *int64            `json:"ConversationShortId"`
	Sender              *int64            `json:"Sender"`
	SenderStr           string            `json:"SenderStr"`
	MsgType             *int32            `json:"MsgType"`
	Content             *string           `json:"Content"`
	ClientMsgID         string            `json:"ClientMsgId"`
	CreateTime          int64             `json:"CreateTime"`
	Ext                 map[string]string `json:"Ext"`
	MentionedUsers      []int64           `json:"MentionedUsers"`
	VisibleUsers        []int64           `json:"VisibleUsers"`
	InvisibleUsers      []int64           `json:"InvisibleUsers"`
	Priority            *int32            `json:"Priority"`
	RefMsgInfo          *struct {
		ReferencedMessageID int64  `json:"ReferencedMessageId"`
		Hint                string `json:"Hint"`
	} `json:"RefMsgInfo"`
}

type sendMessageResult struct {
	MessageID int64 `json:"MessageId"`
}

// sendMessage stores a message sent by the server API. A ClientMsgId the
// conversation has seen answers the message stored the first time.
func (s *Server) sendMessage(body []byte) (result, *apiError) {
	var req sendMessageRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	switch {
	case (req.Sender == nil || *req.Sender <= 0) && req.SenderStr == "":
		return nil, missing("Sender")
	case req.MsgType == nil || *req.MsgType <= 0:
		return nil, missing("MsgType")
	case req.Content == nil || *req.Content == "":
		return nil, missing("Content")
	case req.Priority != nil && (*req.Priority < 0 || *req.Priority > 2):
		return nil, newError(codeInvalidParam, fmt.Sprintf("Priority must be 0 to 2, got %d", *req.Priority))
	}
	var sender int64
	if req.Sender != nil {
		sender = *req.Sender
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	if conv.generated {
		return nil, newError(codeInvalidParam, "the conversation is generated (AddGeneratedConversation): it takes no new message")
	}
	if !conv.isMember(sender) {
		return nil, newError(codeParticipantNotInConv, fmt.Sprintf("user %d is not a member of conversation %d", sender, conv.info.ConversationShortID))
	}
	if id, ok := conv.msgState.byClientMsgID[req.ClientMsgID]; ok && req.ClientMsgID != "" {
		return jsonResult{sendMessageResult{MessageID: id}}, nil
	}
	now := s.now()
	created := now
	if req.CreateTime > 0 {
		created = time.UnixMilli(req.CreateTime)
	}
	m := volcim.Message{
		AppID:               conv.info.AppID,
		ConversationShortID: conv.info.ConversationShortID,
		ConversationType:    conv.info.ConversationType,
		MessageID:           s.nextMessageID(),
		ClientMsgID:         req.ClientMsgID,
		MsgType:             volcim.MessageType(*req.MsgType),
		Content:             *req.Content,
		Ext:                 maps.Clone(req.Ext),
		CreateTime:          created.UTC().Truncate(time.Millisecond),
		Sender:              sender,
		SenderStr:           req.SenderStr,
		IndexInConversation: conv.nextIndex(now),
	}
	if r := req.RefMsgInfo; r != nil {
		ref := &volcim.RefMsgInfo{ReferencedMessageID: r.ReferencedMessageID, Hint: r.Hint, Status: volcim.RefMessageVisible}
		if q, ok := conv.messageByID(r.ReferencedMessageID); ok {
			ref.ReferencedMessageType = q.MsgType
			if q.Status == MessageRecalled {
				ref.Status = volcim.RefMessageRecalled
			}
		} else if conv.msgState.deleted[r.ReferencedMessageID] {
			ref.Status = volcim.RefMessageDeleted
		}
		m.RefMsgInfo = ref
	}
	conv.put(m)
	if len(req.VisibleUsers) > 0 || len(req.InvisibleUsers) > 0 {
		conv.msgState.setVisibility(m.MessageID, req.VisibleUsers, req.InvisibleUsers)
	}
	if req.ClientMsgID != "" {
		if conv.msgState.byClientMsgID == nil {
			conv.msgState.byClientMsgID = make(map[string]int64)
		}
		conv.msgState.byClientMsgID[req.ClientMsgID] = m.MessageID
	}
	return jsonResult{sendMessageResult{MessageID: m.MessageID}}, nil
}

// liveConversation returns a conversation that exists and is not dismissed,
// or ConversationNotFound. s.dataMu is held.
func (s *Server) liveConversation(appID, convID int64) (*conversation, *apiError) {
	conv, ok := s.convs[convKey{appID, convID}]
	if !ok || conv.info.Status == volcim.ConversationDismissed {
		return nil, conversationNotFound(appID, convID)
	}
	return conv, nil
}

// nextIndex returns the IndexInConversation of a message added at now: the
// time in microseconds, as the real indexes look, or one past the last
// index when that is later.
func (c *conversation) nextIndex(now time.Time) int64 {
	idx := now.UnixMicro()
	if n := len(c.msgs); n > 0 && c.msgs[n-1].IndexInConversation >= idx {
		idx = c.msgs[n-1].IndexInConversation + 1
	}
	return idx
}

type getConversationMessagesRequest struct {
	AppID               *int64 `json:"AppId"`
	ConversationShortID *int64 `json:"ConversationShortId"`
	Cursor              *int64 `json:"Cursor"`
	Limit               *int64 `json:"Limit"`
	Reverse             *int64 `json:"Reverse"`
}

func (s *Server) getConversationMessages(body []byte) (result, *apiError) {
	var req getConversationMessagesRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	switch {
	case req.Cursor == nil:
		return nil, missing("Cursor")
	case *req.Cursor < 0:
		return nil, newError(codeInvalidParam, fmt.Sprintf("Cursor must not be negative, got %d", *req.Cursor))
	case req.Limit == nil:
		return nil, missing("Limit")
	case *req.Limit < 1 || *req.Limit > volcim.MaxPageSize:
		return nil, newError(codeInvalidParam, fmt.Sprintf("Limit must be 1 to %d, got %d", volcim.MaxPageSize, *req.Limit))
	}
	// An invalid Reverse falls back to 0, as documented.
	reverse := req.Reverse != nil && *req.Reverse == 1

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, ok := s.convs[convKey{*req.AppID, *req.ConversationShortID}]
	if !ok {
		return nil, conversationNotFound(*req.AppID, *req.ConversationShortID)
	}
	if conv.info.ConversationType == volcim.ConversationLiveGroup && !reverse {
		return nil, newError(codeLiveConversationNotSupport, "a live group can only be read in reverse (Reverse 1)")
	}
	p := conv.page(*req.Cursor, int(*req.Limit), reverse)
	return &conversationMessagesResult{hasMore: p.hasMore, newCursor: p.newCursor, messages: p.msgs}, nil
}

type getMessagesRequest struct {
	AppID               *int64  `json:"AppId"`
	ConversationShortID *int64  `json:"ConversationShortId"`
	MessageIDs          []int64 `json:"MessageIds"`
}

func (s *Server) getMessages(body []byte) (result, *apiError) {
	var req getMessagesRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if len(req.MessageIDs) == 0 {
		return nil, newError(codeInvalidParam, "MessageIds is required and must not be empty")
	}
	for i, id := range req.MessageIDs {
		if id <= 0 {
			return nil, newError(codeInvalidParam, fmt.Sprintf("MessageIds[%d] must be positive, got %d", i, id))
		}
	}

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, ok := s.convs[convKey{*req.AppID, *req.ConversationShortID}]
	if !ok {
		return nil, conversationNotFound(*req.AppID, *req.ConversationShortID)
	}
	msgs := make([]volcim.Message, 0, len(req.MessageIDs))
	for _, id := range req.MessageIDs {
		if m, ok := conv.messageByID(id); ok {
			msgs = append(msgs, m)
		}
	}
	return &messagesResult{messages: msgs}, nil
}

// messageData is the state of a conversation's messages beyond their stored
// form.
type messageData struct {
	// byClientMsgID maps the ClientMsgId of every message sent with one to
	// its MessageID: a repeated key answers the message stored first.
	byClientMsgID map[string]int64
	// deleted holds the messages deleted for everyone
	// (DeleteConversationMessage, DeleteType 0): they are gone from the
	// stored messages, and deleting one again succeeds.
	deleted map[int64]bool
	// senderOnly holds the messages deleted with DeleteType 1: only their
	// sender sees them.
	senderOnly map[int64]bool
	// hiddenFor maps a message to the members who deleted it for
	// themselves (DeleteMessage).
	hiddenFor map[int64]map[int64]bool
	// visible and invisible are the VisibleUsers and InvisibleUsers of
	// the messages sent with them.
	visible, invisible map[int64][]int64
}

func (d *messageData) setVisibility(id int64, visible, invisible []int64) {
	if d.visible == nil {
		d.visible, d.invisible = make(map[int64][]int64), make(map[int64][]int64)
	}
	if len(visible) > 0 {
		d.visible[id] = slices.Clone(visible)
	}
	if len(invisible) > 0 {
		d.invisible[id] = slices.Clone(invisible)
	}
}

// messageCodes are the codes only this area answers (CodeN 710001 upwards).
var messageCodes = map[string]codeInfo{}

// msgIndexData is the server-wide state of the message actions.
type msgIndexData struct {
	// broadcasts are the UserBroadcast calls received, in order.
	broadcasts []Broadcast
}

func messageNotFound(convID, msgID int64) *apiError {
	return newError(codeMessageNotFound, fmt.Sprintf("message %d does not exist in conversation %d", msgID, convID))
}

// storedMessage finds message id of c for an action that changes it and
// returns its position in c.msgs. A generated conversation cannot change
// (InvalidParam); an unknown or deleted message is MessageNotFound. s.dataMu
// is held.
func (c *conversation) storedMessage(id int64) (int, *apiError) {
	if c.generated {
		return 0, newError(codeInvalidParam, "the conversation is generated (AddGeneratedConversation): its messages cannot change")
	}
	if idx, ok := c.byID[id]; ok {
		if pos, found := c.search(idx); found && c.msgs[pos].MessageID == id {
			return pos, nil
		}
	}
	return 0, messageNotFound(c.info.ConversationShortID, id)
}

// setRefStatus sets the quote status of every message of c that quotes
// message id. Stored messages are replaced, never changed in place: a read
// may still be encoding a copy. s.dataMu is held.
func (c *conversation) setRefStatus(id int64, status volcim.RefMessageStatus) {
	for pos := range c.msgs {
		m := c.msgs[pos]
		if m.RefMsgInfo == nil || m.RefMsgInfo.ReferencedMessageID != id {
			continue
		}
		ref := *m.RefMsgInfo
		ref.Status = status
		m.RefMsgInfo = &ref
		c.msgs[pos] = m
	}
}

// remove deletes the message at pos from c. s.dataMu is held.
func (c *conversation) remove(pos int) {
	m := c.msgs[pos]
	if c.byID[m.MessageID] == m.IndexInConversation {
		delete(c.byID, m.MessageID)
	}
	c.msgs = slices.Delete(c.msgs, pos, pos+1)
}

// checkMember answers ParticipantNotInConversation when c records members
// and user is not one of them. s.dataMu is held.
func (c *conversation) checkMember(user int64) *apiError {
	if !c.isMember(user) {
		return newError(codeParticipantNotInConv, fmt.Sprintf("user %d is not a member of conversation %d", user, c.info.ConversationShortID))
	}
	return nil
}

type batchSendMessageRequest struct {
	AppID        *int64            `json:"AppId"`
	Sender       *int64            `json:"Sender"`
	Receiver     []int64           `json:"Receiver"`
	MsgType      *int32            `json:"MsgType"`
	Content      *string           `json:"Content"`
	Ext          map[string]string `json:"Ext"`
	InboxType    *int32            `json:"InboxType"`
	IsNormalUser *bool             `json:"IsNormalUser"`
}

type batchSendMessageResult struct {
	UserMessageID  map[string]int64 `json:"UserMessageId"`
	FailedReceiver []int64          `json:"FailedReceiver,omitempty"`
}

// maxBatchReceivers is the most receivers a BatchSendMessage takes.
const maxBatchReceivers = 500

// batchSendMessage delivers a message from Sender to each receiver, in the
// one-to-one conversation of the pair (created when there is none).
func (s *Server) batchSendMessage(body []byte) (result, *apiError) {
	var req batchSendMessageRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	switch {
	case req.AppID == nil:
		return nil, missing("AppId")
	case *req.AppID <= 0:
		return nil, notPositive("AppId", *req.AppID)
	case req.Sender == nil:
		return nil, missing("Sender")
	case *req.Sender <= 0:
		return nil, notPositive("Sender", *req.Sender)
	case len(req.Receiver) == 0:
		return nil, newError(codeInvalidParam, "Receiver is required and must not be empty")
	case len(req.Receiver) > maxBatchReceivers:
		return nil, newError(codeInvalidParam, fmt.Sprintf("Receiver has %d users, more than %d", len(req.Receiver), maxBatchReceivers))
	case req.MsgType == nil || *req.MsgType <= 0:
		return nil, missing("MsgType")
	case req.Content == nil || *req.Content == "":
		return nil, missing("Content")
	}
	var inbox int32
	if req.InboxType != nil {
		inbox = *req.InboxType
	}
	sender := *req.Sender
	ext := maps.Clone(req.Ext) // stored maps are never changed: one copy serves every message

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	res := batchSendMessageResult{UserMessageID: make(map[string]int64, len(req.Receiver))}
	now := s.now()
	for _, r := range req.Receiver {
		key := strconv.FormatInt(r, 10)
		if _, done := res.UserMessageID[key]; done {
			continue // a repeated receiver gets the message once
		}
		if r <= 0 || r == sender {
			// No one-to-one conversation can hold them.
			if !slices.Contains(res.FailedReceiver, r) {
				res.FailedReceiver = append(res.FailedReceiver, r)
			}
			continue
		}
		conv := s.oneToOne(*req.AppID, inbox, sender, r, now)
		m := volcim.Message{
			AppID:               conv.info.AppID,
			ConversationShortID: conv.info.ConversationShortID,
			ConversationType:    volcim.ConversationOneToOne,
			MessageID:           s.nextMessageID(),
			MsgType:             volcim.MessageType(*req.MsgType),
			Content:             *req.Content,
			Ext:                 ext,
			CreateTime:          now.UTC().Truncate(time.Millisecond),
			Sender:              sender,
			IndexInConversation: conv.nextIndex(now),
		}
		conv.put(m)
		res.UserMessageID[key] = m.MessageID
	}
	return jsonResult{res}, nil
}

// findOneToOne returns the one-to-one conversation of users a and b in inbox
// of app: of those that exist, are not dismissed and record both as members,
// the one with the smallest id; nil when there is none. s.dataMu is held.
func (s *Server) findOneToOne(appID int64, inbox int32, a, b int64) *conversation {
	var found *conversation
	for k, c := range s.convs {
		if k.appID != appID || c.generated || c.info.ConversationType != volcim.ConversationOneToOne ||
			c.info.Status == volcim.ConversationDismissed || c.info.InboxType != inbox {
			continue
		}
		if _, ok := c.members.byUser[a]; !ok {
			continue
		}
		if _, ok := c.members.byUser[b]; !ok {
			continue
		}
		if found == nil || k.convID < found.info.ConversationShortID {
			found = c
		}
	}
	return found
}

// oneToOne returns the one-to-one conversation of owner and other
// (findOneToOne), creating it at now when there is none: owner is its owner
// and creator, other its OtherUserId, both are members. s.dataMu is held.
func (s *Server) oneToOne(appID int64, inbox int32, owner, other int64, now time.Time) *conversation {
	if c := s.findOneToOne(appID, inbox, owner, other); c != nil {
		return c
	}
	created := now.UTC().Truncate(time.Second)
	c := &conversation{info: volcim.Conversation{
		AppID:               appID,
		ConversationShortID: s.nextConversationID(),
		ConversationType:    volcim.ConversationOneToOne,
		InboxType:           inbox,
		OwnerUserID:         owner,
		CreatorUserID:       owner,
		OtherUserID:         other,
		CreateTime:          created,
		ModifyTime:          created,
	}}
	c.addMember(volcim.Participant{UserID: owner, CreateTime: created})
	c.addMember(volcim.Participant{UserID: other, CreateTime: created})
	s.convs[convKey{appID, c.info.ConversationShortID}] = c
	return c
}

// OneToOneConversation returns the id of the one-to-one conversation of
// users a and b in inbox inboxType of app appID, such as the one
// BatchSendMessage delivers into: of the conversations of type
// volcim.ConversationOneToOne that are not dismissed and have both users as
// members, the one with the smallest id. It reports false when there is
// none.
func (s *Server) OneToOneConversation(appID int64, inboxType int32, a, b int64) (int64, bool) {
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	if c := s.findOneToOne(appID, inboxType, a, b); c != nil {
		return c.info.ConversationShortID, true
	}
	return 0, false
}

// Broadcast is one UserBroadcast the server accepted (see
// [Server.Broadcasts]).
type Broadcast struct {
	// AppID is the request's app.
	AppID int64
	// Sender is the request's sending user.
	Sender int64
	// MsgType is the request's message type.
	MsgType volcim.MessageType
	// Content is the request's message content, as received.
	Content string
	// Ext is a copy of the request's extension fields (nil when it sent
	// none).
	Ext map[string]string
	// InboxType is the request's inbox (0 when it sent none).
	InboxType int32
	// TTL is the request's MsgTTL.
	TTL time.Duration
	// Tags are the request's tags, which select the users (no tags:
	// everybody).
	Tags []string
	// TagOp is the request's TagOp: whether a user needs any of the Tags
	// or all of them (0 when it sent none).
	TagOp volcim.BroadcastTagOp
	// Time is when the server received it (its clock, WithClock).
	Time time.Time
}

type userBroadcastRequest struct {
	AppID     *int64            `json:"AppId"`
	Sender    *int64            `json:"Sender"`
	MsgType   *int32            `json:"MsgType"`
	Content   *string           `json:"Content"`
	MsgTTL    *int64            `json:"MsgTTL"`
	Ext       map[string]string `json:"Ext"`
	InboxType *int32            `json:"InboxType"`
	TagOp     *int32            `json:"TagOp"`
	Tags      []string          `json:"Tags"`
}

// maxBroadcastTTL is the longest MsgTTL, in seconds: 7 days.
const maxBroadcastTTL = 604800

// userBroadcast records a broadcast; it delivers nothing.
func (s *Server) userBroadcast(body []byte) (result, *apiError) {
	var req userBroadcastRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	switch {
	case req.AppID == nil:
		return nil, missing("AppId")
	case *req.AppID <= 0:
		return nil, notPositive("AppId", *req.AppID)
	case req.Sender == nil:
		return nil, missing("Sender")
	case *req.Sender <= 0:
		return nil, notPositive("Sender", *req.Sender)
	case req.MsgType == nil || *req.MsgType <= 0:
		return nil, missing("MsgType")
	case req.Content == nil || *req.Content == "":
		return nil, missing("Content")
	case req.MsgTTL == nil:
		return nil, missing("MsgTTL")
	case *req.MsgTTL < 1 || *req.MsgTTL > maxBroadcastTTL:
		return nil, newError(codeInvalidParam, fmt.Sprintf("MsgTTL must be 1 to %d seconds, got %d", maxBroadcastTTL, *req.MsgTTL))
	case req.TagOp != nil && *req.TagOp != 0 && *req.TagOp != 1:
		return nil, newError(codeInvalidParam, fmt.Sprintf("TagOp must be 0 or 1, got %d", *req.TagOp))
	}
	b := Broadcast{
		AppID:   *req.AppID,
		Sender:  *req.Sender,
		MsgType: volcim.MessageType(*req.MsgType),
		Content: *req.Content,
		Ext:     maps.Clone(req.Ext),
		TTL:     time.Duration(*req.MsgTTL) * time.Second,
		Tags:    slices.Clone(req.Tags),
		Time:    s.now(),
	}
	if req.InboxType != nil {
		b.InboxType = *req.InboxType
	}
	if req.TagOp != nil {
		b.TagOp = volcim.BroadcastTagOp(*req.TagOp)
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	s.msgIndex.broadcasts = append(s.msgIndex.broadcasts, b)
	return nil, nil
}

// Broadcasts returns the broadcasts the server accepted (UserBroadcast), in
// the order received. They are copies: changing them changes nothing on the
// server.
func (s *Server) Broadcasts() []Broadcast {
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	out := make([]Broadcast, len(s.msgIndex.broadcasts))
	for i, b := range s.msgIndex.broadcasts {
		b.Ext = maps.Clone(b.Ext)
		b.Tags = slices.Clone(b.Tags)
		out[i] = b
	}
	return out
}

type messageRequest struct {
	AppID               *int64 `json:"AppId"`
	ConversationShortID *int64 `json:"ConversationShortId"`
	MessageID           *int64 `json:"MessageId"`
}

// check checks the ids every action on one message requires.
func (r *messageRequest) check() *apiError {
	if e := checkIDs(r.AppID, r.ConversationShortID); e != nil {
		return e
	}
	switch {
	case r.MessageID == nil:
		return missing("MessageId")
	case *r.MessageID <= 0:
		return notPositive("MessageId", *r.MessageID)
	}
	return nil
}

type modifyMessageRequest struct {
	messageRequest
	Content *string           `json:"Content"`
	Ext     map[string]string `json:"Ext"`
}

// modifyMessage replaces a message's Content (when the request has one) and
// merges Ext into its extension fields.
func (s *Server) modifyMessage(body []byte) (result, *apiError) {
	var req modifyMessageRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := req.check(); e != nil {
		return nil, e
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	pos, e := conv.storedMessage(*req.MessageID)
	if e != nil {
		return nil, e
	}
	m := conv.msgs[pos]
	if m.Status == MessageRecalled {
		return nil, newError(codeInvalidParam, fmt.Sprintf("message %d was recalled: it cannot be modified", m.MessageID))
	}
	if req.Content != nil {
		m.Content = *req.Content
	}
	if len(req.Ext) > 0 {
		ext := make(map[string]string, len(m.Ext)+len(req.Ext))
		maps.Copy(ext, m.Ext)
		maps.Copy(ext, req.Ext)
		m.Ext = ext
	}
	conv.msgs[pos] = m
	return nil, nil
}

type recallMessageRequest struct {
	messageRequest
	ParticipantUserID *int64 `json:"ParticipantUserId"`
	RecallRole        *int32 `json:"RecallRole"`
}

// recallMessage recalls a message: reads return it with Status
// MessageRecalled and no Content.
func (s *Server) recallMessage(body []byte) (result, *apiError) {
	var req recallMessageRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := req.check(); e != nil {
		return nil, e
	}
	var role volcim.RecallRole
	switch {
	case req.ParticipantUserID == nil:
		return nil, missing("ParticipantUserId")
	case *req.ParticipantUserID <= 0:
		return nil, notPositive("ParticipantUserId", *req.ParticipantUserID)
	case req.RecallRole != nil:
		role = volcim.RecallRole(*req.RecallRole)
		if role < volcim.RecallAsMember || role > volcim.RecallAsManager {
			return nil, newError(codeInvalidParam, fmt.Sprintf("RecallRole must be 0 to 2, got %d", role))
		}
	}
	user := *req.ParticipantUserID
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	pos, e := conv.storedMessage(*req.MessageID)
	if e != nil {
		return nil, e
	}
	m := conv.msgs[pos]
	if mem, ok := conv.members.byUser[user]; ok {
		var allowed bool
		switch role {
		case volcim.RecallAsMember:
			allowed = m.Sender == user
		case volcim.RecallAsOwner:
			allowed = mem.p.Role == volcim.RoleOwner || conv.info.OwnerUserID == user
		case volcim.RecallAsManager:
			allowed = mem.p.Role == volcim.RoleManager || mem.p.Role == volcim.RoleOwner || conv.info.OwnerUserID == user
		}
		if !allowed {
			return nil, newError(codeNoAuth, fmt.Sprintf("user %d may not recall message %d as %v", user, m.MessageID, role))
		}
	} else if e := conv.checkMember(user); e != nil {
		return nil, e
	}
	if m.Status == MessageRecalled {
		return nil, nil // recalled already: a retry succeeds
	}
	m.Status, m.Content = MessageRecalled, ""
	conv.msgs[pos] = m
	conv.setRefStatus(m.MessageID, volcim.RefMessageRecalled)
	return nil, nil
}

type deleteConversationMessageRequest struct {
	messageRequest
	DeleteType *int32 `json:"DeleteType"`
}

// deleteConversationMessage deletes a message for everyone (DeleteType 0:
// gone from every read) or for all but its sender (1: the server's reads
// still return it).
func (s *Server) deleteConversationMessage(body []byte) (result, *apiError) {
	var req deleteConversationMessageRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := req.check(); e != nil {
		return nil, e
	}
	var typ int32
	if req.DeleteType != nil {
		typ = *req.DeleteType
	}
	if typ != 0 && typ != 1 {
		return nil, newError(codeInvalidParam, fmt.Sprintf("DeleteType must be 0 or 1, got %d", typ))
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	if typ == 1 && conv.info.ConversationType == volcim.ConversationLiveGroup {
		return nil, newError(codeLiveConversationNotSupport, "a live group accepts only DeleteType 0")
	}
	id := *req.MessageID
	if conv.msgState.deleted[id] {
		return nil, nil // deleted already: a retry succeeds
	}
	pos, e := conv.storedMessage(id)
	if e != nil {
		return nil, e
	}
	d := &conv.msgState
	if typ == 1 {
		if d.senderOnly == nil {
			d.senderOnly = make(map[int64]bool)
		}
		d.senderOnly[id] = true
		return nil, nil
	}
	conv.remove(pos)
	if d.deleted == nil {
		d.deleted = make(map[int64]bool)
	}
	d.deleted[id] = true
	conv.setRefStatus(id, volcim.RefMessageDeleted)
	return nil, nil
}

type deleteMessageRequest struct {
	messageRequest
	ParticipantUserID *int64 `json:"ParticipantUserId"`
}

// deleteMessage hides a message from one member; the server's reads still
// return it.
func (s *Server) deleteMessage(body []byte) (result, *apiError) {
	var req deleteMessageRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := req.check(); e != nil {
		return nil, e
	}
	switch {
	case req.ParticipantUserID == nil:
		return nil, missing("ParticipantUserId")
	case *req.ParticipantUserID <= 0:
		return nil, notPositive("ParticipantUserId", *req.ParticipantUserID)
	}
	user, id := *req.ParticipantUserID, *req.MessageID
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	if e := conv.checkMember(user); e != nil {
		return nil, e
	}
	if conv.msgState.deleted[id] {
		return nil, nil // gone for everyone already
	}
	if _, e := conv.storedMessage(id); e != nil {
		return nil, e
	}
	d := &conv.msgState
	if d.hiddenFor == nil {
		d.hiddenFor = make(map[int64]map[int64]bool)
	}
	if d.hiddenFor[id] == nil {
		d.hiddenFor[id] = make(map[int64]bool)
	}
	d.hiddenFor[id][user] = true
	return nil, nil
}

// MessageVisibleTo reports whether user would see message messageID of
// conversation conversationShortID of app appID in their own client, after
// what the server has been told: false when the message does not exist or
// was deleted for everyone (DeleteConversationMessage, DeleteType 0), when
// it was deleted for everyone but its sender (DeleteType 1) and user is not
// the sender, when user deleted it for themselves (DeleteMessage), when it
// was sent with VisibleUsers that do not name user (its sender always sees
// it) or with InvisibleUsers that do, and when the conversation records
// members and user is not one of them. A recalled message is visible (as a
// recall notice). The server's own reads (GetMessages,
// GetConversationMessages) ignore all of this except a deletion for
// everyone: they see what the server stores.
func (s *Server) MessageVisibleTo(appID, conversationShortID, messageID, user int64) bool {
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, ok := s.convs[convKey{appID, conversationShortID}]
	if !ok {
		return false
	}
	m, ok := conv.messageByID(messageID)
	if !ok || !conv.isMember(user) {
		return false
	}
	d := &conv.msgState
	switch {
	case d.senderOnly[messageID] && user != m.Sender,
		d.hiddenFor[messageID][user],
		slices.Contains(d.invisible[messageID], user):
		return false
	case len(d.visible[messageID]) > 0 && user != m.Sender:
		return slices.Contains(d.visible[messageID], user)
	}
	return true
}

type readReceiptResult struct {
	ReadReceipt []readReceipt `json:"ReadReceipt"`
}

type readReceipt struct {
	ConversationShortID int64    `json:"ConversationShortId"`
	MessageID           int64    `json:"MessageId"`
	ReadUserIDs         []int64  `json:"ReadUserIds"`
	ReadUserIDsStr      []string `json:"ReadUserIdsStr,omitempty"`
	ReceiverIsRead      bool     `json:"ReceiverIsRead"`
	UnReadUserIDs       []int64  `json:"UnReadUserIds"`
	UnReadUserIDsStr    []string `json:"UnReadUserIdsStr,omitempty"`
}

// getMessagesReadReceipt tells, per message, which members have read it: a
// member has when its read index is at least the message's index; the
// sender always has.
func (s *Server) getMessagesReadReceipt(body []byte) (result, *apiError) {
	var req getMessagesRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if len(req.MessageIDs) == 0 {
		return nil, newError(codeInvalidParam, "MessageIds is required and must not be empty")
	}
	for i, id := range req.MessageIDs {
		if id <= 0 {
			return nil, newError(codeInvalidParam, fmt.Sprintf("MessageIds[%d] must be positive, got %d", i, id))
		}
	}
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	if conv.info.ConversationType == volcim.ConversationLiveGroup {
		return nil, newError(codeLiveConversationNotSupport, "live groups have no read receipts")
	}
	res := readReceiptResult{ReadReceipt: make([]readReceipt, 0, len(req.MessageIDs))}
	members := conv.memberList()
	for _, id := range req.MessageIDs {
		m, ok := conv.messageByID(id)
		if !ok {
			continue
		}
		r := readReceipt{ConversationShortID: conv.info.ConversationShortID, MessageID: id, ReadUserIDs: []int64{}, UnReadUserIDs: []int64{}}
		for _, mem := range members {
			u := mem.p.UserID
			if u == m.Sender || mem.readIndex >= m.IndexInConversation {
				r.ReadUserIDs = append(r.ReadUserIDs, u)
				if mem.p.UserIDStr != "" {
					r.ReadUserIDsStr = append(r.ReadUserIDsStr, mem.p.UserIDStr)
				}
				if u != m.Sender && conv.info.ConversationType == volcim.ConversationOneToOne {
					r.ReceiverIsRead = true
				}
			} else {
				r.UnReadUserIDs = append(r.UnReadUserIDs, u)
				if mem.p.UserIDStr != "" {
					r.UnReadUserIDsStr = append(r.UnReadUserIDsStr, mem.p.UserIDStr)
				}
			}
		}
		res.ReadReceipt = append(res.ReadReceipt, r)
	}
	return jsonResult{res}, nil
}

// SetReadIndex sets the read index of member userID of conversation
// conversationShortID of app appID, as ModifyParticipantReadIndex would but
// without its checks: the member has read every message whose
// IndexInConversation is at most readIndex (GetMessagesReadReceipt).
//
// It panics if the conversation does not exist, if userID is not one of its
// members (AddParticipants), or if readIndex is negative.
func (s *Server) SetReadIndex(appID, conversationShortID, userID, readIndex int64) {
	if readIndex < 0 {
		panic(fmt.Sprintf("volcimtest: SetReadIndex: negative readIndex %d", readIndex))
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, ok := s.convs[convKey{appID, conversationShortID}]
	if !ok {
		panic(fmt.Sprintf("volcimtest: SetReadIndex: conversation %d of app %d does not exist", conversationShortID, appID))
	}
	mem, ok := conv.members.byUser[userID]
	if !ok {
		panic(fmt.Sprintf("volcimtest: SetReadIndex: user %d is not a member of conversation %d", userID, conversationShortID))
	}
	mem.readIndex = readIndex
}
