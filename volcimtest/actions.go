package volcimtest

import (
	"encoding/json"
	"fmt"
	"strconv"

	volcim "github.com/volcim/volcim-go"
)

// Wire form of the reply envelope.
type wireMetadata struct {
	RequestID string     `json:"RequestId"`
	Action    string     `json:"Action"`
	Version   string     `json:"Version"`
	Service   string     `json:"Service"`
	Region    string     `json:"Region"`
	Error     *wireError `json:"Error,omitempty"`
}

type wireError struct {
	CodeN   int64  `json:"CodeN"`
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

// Results of the actions. Messages and conversations are encoded by the
// SDK's own MarshalJSON, which gives the API's wire form, and appended as
// they are: going through json.Marshal of a containing struct would
// re-validate and compact every element's output.
type result interface {
	appendJSON(b []byte) []byte
}

type conversationMessagesResult struct {
	hasMore   bool
	newCursor int64
	messages  []volcim.Message
}

func (r *conversationMessagesResult) appendJSON(b []byte) []byte {
	b = append(b, `{"HasMore":`...)
	b = strconv.AppendBool(b, r.hasMore)
	b = append(b, `,"NewCursor":`...)
	b = strconv.AppendInt(b, r.newCursor, 10)
	b = append(b, `,"Messages":`...)
	b = appendMessages(b, r.messages)
	return append(b, '}')
}

type messagesResult struct {
	messages []volcim.Message
}

func (r *messagesResult) appendJSON(b []byte) []byte {
	b = append(b, `{"Messages":`...)
	b = appendMessages(b, r.messages)
	return append(b, '}')
}

type conversationsResult struct {
	conversations []volcim.Conversation
}

func (r *conversationsResult) appendJSON(b []byte) []byte {
	b = append(b, `{"ConversationCoreInfos":[`...)
	for i := range r.conversations {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMarshaled(b, r.conversations[i])
	}
	return append(b, "]}"...)
}

func appendMessages(b []byte, msgs []volcim.Message) []byte {
	b = append(b, '[')
	for i := range msgs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMarshaled(b, msgs[i])
	}
	return append(b, ']')
}

func appendMarshaled(b []byte, v json.Marshaler) []byte {
	j, err := v.MarshalJSON()
	if err != nil {
		// The SDK's types always encode.
		panic("volcimtest: encoding a reply: " + err.Error())
	}
	return append(b, j...)
}

func encode(requestID, action, region string, res result) []byte {
	return encodeEnvelope(requestID, action, apiVersion, region, nil, res)
}

// encodeEnvelope encodes a reply: an error reply when e is set (and no
// Result), else a success with res.
func encodeEnvelope(requestID, action, version, region string, e *apiError, res result) []byte {
	md := wireMetadata{
		RequestID: requestID,
		Action:    action,
		Version:   version,
		Service:   serviceName,
		Region:    region,
	}
	if e != nil {
		md.Error = &wireError{CodeN: e.codeN, Code: e.code, Message: e.message}
	}
	mdJSON, err := json.Marshal(&md)
	if err != nil {
		panic("volcimtest: encoding a reply: " + err.Error())
	}
	b := make([]byte, 0, 256+len(mdJSON)+2048)
	b = append(b, `{"ResponseMetadata":`...)
	b = append(b, mdJSON...)
	if e == nil && res != nil {
		b = append(b, `,"Result":`...)
		b = res.appendJSON(b)
	}
	return append(b, '}')
}

// decode decodes a request body; any failure is JsonParsingError.
func decode(body []byte, v any) *apiError {
	if err := json.Unmarshal(body, v); err != nil {
		return newError(codeJSONParsingError, "the body is not a valid request: "+err.Error())
	}
	return nil
}

func missing(name string) *apiError {
	return newError(codeInvalidParam, name+" is required")
}

func notPositive(name string, v int64) *apiError {
	return newError(codeInvalidParam, fmt.Sprintf("%s must be positive, got %d", name, v))
}

// checkIDs checks the AppId and ConversationShortId every message action
// requires.
func checkIDs(appID, convID *int64) *apiError {
	switch {
	case appID == nil:
		return missing("AppId")
	case *appID <= 0:
		return notPositive("AppId", *appID)
	case convID == nil:
		return missing("ConversationShortId")
	case *convID <= 0:
		return notPositive("ConversationShortId", *convID)
	}
	return nil
}

func conversationNotFound(appID, convID int64) *apiError {
	return newError(codeConversationNotFound, fmt.Sprintf("conversation %d of app %d does not exist", convID, appID))
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

type batchGetConversationsRequest struct {
	AppID                *int64  `json:"AppId"`
	ConversationShortIDs []int64 `json:"ConversationShortId"`
	SkipMemberCount      *bool   `json:"SkipMemberCount"`
}

func (s *Server) batchGetConversations(body []byte) (result, *apiError) {
	var req batchGetConversationsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	switch {
	case req.AppID == nil:
		return nil, missing("AppId")
	case *req.AppID <= 0:
		return nil, notPositive("AppId", *req.AppID)
	case len(req.ConversationShortIDs) == 0:
		return nil, newError(codeInvalidParam, "ConversationShortId is required and must be a non-empty array")
	}
	for i, id := range req.ConversationShortIDs {
		if id <= 0 {
			return nil, newError(codeConversationIDsInvalidElem, fmt.Sprintf("ConversationShortId[%d] must be positive, got %d", i, id))
		}
	}
	// SkipMemberCount defaults to true on the server.
	withCount := req.SkipMemberCount != nil && !*req.SkipMemberCount

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	convs := make([]volcim.Conversation, 0, len(req.ConversationShortIDs))
	seen := make(map[int64]bool, len(req.ConversationShortIDs))
	for _, id := range req.ConversationShortIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		conv, ok := s.convs[convKey{*req.AppID, id}]
		if !ok || conv.info.Status == volcim.ConversationDismissed {
			continue
		}
		c := conv.info
		if !withCount {
			c.MemberCount = 0
		}
		convs = append(convs, c)
	}
	return &conversationsResult{conversations: convs}, nil
}
