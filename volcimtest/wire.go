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
// re-validate and compact every element's output. Other results are wire
// structs encoded with encoding/json (jsonResult).
type result interface {
	appendJSON(b []byte) []byte
}

// jsonResult is a Result encoded with encoding/json: a wire struct whose
// JSON names are the API's.
type jsonResult struct{ v any }

func (r jsonResult) appendJSON(b []byte) []byte {
	j, err := json.Marshal(r.v)
	if err != nil {
		panic("volcimtest: encoding a reply: " + err.Error())
	}
	return append(b, j...)
}

// handler answers one action: the decoded Result (nil for the actions that
// document none), or the error reply.
type handler func(s *Server, body []byte) (result, *apiError)

// actionHandlers maps every action the server answers to its handler; each
// area file contributes its table.
var actionHandlers = joinHandlers(messageHandlers, conversationHandlers, participantHandlers, liveGroupHandlers, userHandlers, contactHandlers)

func joinHandlers(tables ...map[string]handler) map[string]handler {
	all := make(map[string]handler)
	for _, t := range tables {
		for a, h := range t {
			if _, dup := all[a]; dup {
				panic("volcimtest: two handlers for " + a)
			}
			all[a] = h
		}
	}
	return all
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
