package volcimtest

import (
	"fmt"
	"maps"
	"time"

	volcim "github.com/volcim/volcim-go"
)

// Names of the message actions.
const (
	actionGetMessages             = "GetMessages"
	actionGetConversationMessages = "GetConversationMessages"
	actionSendMessage             = "SendMessage"
)

// messageHandlers answers the message actions.
var messageHandlers = map[string]handler{
	actionGetMessages:             (*Server).getMessages,
	actionGetConversationMessages: (*Server).getConversationMessages,
	actionSendMessage:             (*Server).sendMessage,
}

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
		}
		m.RefMsgInfo = ref
	}
	conv.put(m)
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
}

// messageCodes are the codes only this area answers (CodeN 710001 upwards).
var messageCodes = map[string]codeInfo{}

// msgIndexData is the server-wide state of the message actions.
type msgIndexData struct {
	// broadcasts are the UserBroadcast calls received, in order.
	broadcasts []Broadcast
}

// Broadcast is one UserBroadcast the server received.
type Broadcast struct{}
