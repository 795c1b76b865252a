package callback

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	volcim "github.com/volcim/volcim-go"
)

// Event types the documentation names (changelog of docs 6348/1121959).
const (
	// TypeBeforeSendMessage is the pre-send hook: a client sent a message,
	// which waits for the verdict of the callback (see [Verdict]).
	TypeBeforeSendMessage = "BeforeSendMessage"
	// TypeAfterSendMessage reports a message a client sent.
	TypeAfterSendMessage = "AfterSendMessage"
)

// Event is a verified callback, as the envelope carries it. Events of a
// type with no typed handler reach [OnEvent] as an Event; the typed events
// embed it.
type Event struct {
	// Type is the EventType.
	Type string
	// ID is the EventId: the deliveries of one event share it.
	ID string
	// AppID is the AppId, as sent (the IM app's id in decimal).
	AppID string
	// Time is the EventTime, in UTC.
	Time time.Time
	// Version is the envelope's Version (EnvelopeVersion).
	Version string
	// Nonce is the envelope's Nonce.
	Nonce string
	// Data is EventData as sent: normally a JSON document.
	Data []byte
}

// Decode unmarshals Data into v with encoding/json.
func (e *Event) Decode(v any) error {
	return json.Unmarshal(e.Data, v)
}

// BeforeSendMessage is the pre-send hook's event: a client sent Message,
// which is delivered or not according to the handler's [Verdict].
//
// The fields of EventData are not documented; they are decoded by the names
// of the OpenAPI's message (see the package documentation). Event.Data keeps
// the document whole for the fields this type does not know.
type BeforeSendMessage struct {
	Event
	// Message is the message being sent. It has no MessageID,
	// IndexInConversation or CreateTime unless the event carries them.
	Message volcim.Message
	// MentionedUsers are the users the message mentions (@).
	MentionedUsers []int64
	// Priority is the message's priority in a live group.
	Priority volcim.MessagePriority
	// Header describes the sending client (its IP address, device, ...),
	// each value as a string.
	Header map[string]string
}

// AfterSendMessage reports a message a client sent: it is stored and
// delivered, with its MessageID.
//
// As for BeforeSendMessage, the fields of EventData are decoded by the
// names of the OpenAPI's message; Event.Data keeps the document whole.
type AfterSendMessage struct {
	Event
	// Message is the message sent.
	Message volcim.Message
	// MentionedUsers are the users the message mentions (@).
	MentionedUsers []int64
	// Priority is the message's priority in a live group.
	Priority volcim.MessagePriority
	// Header describes the sending client (the sender's IP address, device
	// type, ...), each value as a string.
	Header map[string]string
}

// messageData is the EventData of the message events, in the form this
// package decodes and EncodeMessageData writes. The documentation names
// ClientMessageId, MentionedUsers, MessagePriority and Header; the other
// names are the OpenAPI message's, assumed.
//
// Numbers may be JSON numbers or strings of digits (ids beyond 2^53 are
// exact either way); Ext and Header values that are not strings are kept as
// their JSON text; CreateTime may be epoch seconds, milliseconds (the
// OpenAPI's unit) or an RFC 3339 string.
type messageData struct {
	AppID               flexInt       `json:"AppId"`
	ConversationShortID flexInt       `json:"ConversationShortId"`
	ConversationType    flexInt       `json:"ConversationType"`
	MessageID           flexInt       `json:"MessageId"`
	ClientMessageID     string        `json:"ClientMessageId,omitempty"`
	Sender              flexInt       `json:"Sender"`
	SenderStr           string        `json:"SenderStr,omitempty"`
	MsgType             flexInt       `json:"MsgType"`
	Content             string        `json:"Content"`
	Ext                 flexStringMap `json:"Ext,omitempty"`
	MentionedUsers      []flexInt     `json:"MentionedUsers,omitempty"`
	MessagePriority     flexInt       `json:"MessagePriority"`
	CreateTime          flexTime      `json:"CreateTime"`
	IndexInConversation flexInt       `json:"IndexInConversation"`
	Header              flexStringMap `json:"Header,omitempty"`
}

// EncodeMessageData returns the EventData of a message event
// (BeforeSendMessage, AfterSendMessage) about m, in the form this package
// decodes (see the package documentation): what volcimtest sends, and what
// a test may deliver itself. m.Status and m.RefMsgInfo are not part of it.
func EncodeMessageData(m volcim.Message, mentioned []int64, priority volcim.MessagePriority, header map[string]string) ([]byte, error) {
	d := &messageData{
		AppID:               flexInt(m.AppID),
		ConversationShortID: flexInt(m.ConversationShortID),
		ConversationType:    flexInt(m.ConversationType),
		MessageID:           flexInt(m.MessageID),
		ClientMessageID:     m.ClientMsgID,
		Sender:              flexInt(m.Sender),
		SenderStr:           m.SenderStr,
		MsgType:             flexInt(m.MsgType),
		Content:             m.Content,
		Ext:                 flexStringMap(m.Ext),
		MessagePriority:     flexInt(priority),
		CreateTime:          flexTime(m.CreateTime),
		IndexInConversation: flexInt(m.IndexInConversation),
		Header:              flexStringMap(header),
	}
	for _, u := range mentioned {
		d.MentionedUsers = append(d.MentionedUsers, flexInt(u))
	}
	return json.Marshal(d)
}

func (d *messageData) message() (volcim.Message, []int64, volcim.MessagePriority) {
	m := volcim.Message{
		AppID:               int64(d.AppID),
		ConversationShortID: int64(d.ConversationShortID),
		ConversationType:    volcim.ConversationType(d.ConversationType),
		MessageID:           int64(d.MessageID),
		ClientMsgID:         d.ClientMessageID,
		MsgType:             volcim.MessageType(d.MsgType),
		Content:             d.Content,
		Ext:                 map[string]string(d.Ext),
		CreateTime:          time.Time(d.CreateTime),
		Sender:              int64(d.Sender),
		SenderStr:           d.SenderStr,
		IndexInConversation: int64(d.IndexInConversation),
	}
	var mentioned []int64
	for _, u := range d.MentionedUsers {
		mentioned = append(mentioned, int64(u))
	}
	return m, mentioned, volcim.MessagePriority(d.MessagePriority)
}

// decodeMessageData decodes the EventData of a message event.
func decodeMessageData(data []byte) (*messageData, error) {
	var d messageData
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// decodeBeforeSend and decodeAfterSend build the typed events.
func decodeBeforeSend(ev Event) (*BeforeSendMessage, error) {
	d, err := decodeMessageData(ev.Data)
	if err != nil {
		return nil, err
	}
	m, mentioned, prio := d.message()
	return &BeforeSendMessage{Event: ev, Message: m, MentionedUsers: mentioned, Priority: prio, Header: map[string]string(d.Header)}, nil
}

func decodeAfterSend(ev Event) (*AfterSendMessage, error) {
	d, err := decodeMessageData(ev.Data)
	if err != nil {
		return nil, err
	}
	m, mentioned, prio := d.message()
	return &AfterSendMessage{Event: ev, Message: m, MentionedUsers: mentioned, Priority: prio, Header: map[string]string(d.Header)}, nil
}

// flexInt is an int64 sent as a JSON number or as a string of digits;
// null and "" are 0. It encodes as a number.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" || string(b) == `""` {
		*n = 0
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not an int64", clip(string(b)))
	}
	*n = flexInt(v)
	return nil
}

// flexStringMap is a map of strings sent as a JSON object (or as a string
// holding one); values that are not strings are kept as their JSON text.
type flexStringMap map[string]string

func (m *flexStringMap) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" || string(b) == `""` {
		*m = nil
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("not a JSON object: %s", clip(string(b)))
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &s) == nil {
			out[k] = s
			continue
		}
		out[k] = string(v)
	}
	*m = out
	return nil
}

// flexTime is a time sent as epoch digits (a JSON number or string; unit by
// magnitude, see ParseTime) or as an RFC 3339 string; null, "" and 0 are
// the zero time. It encodes as epoch milliseconds, the OpenAPI's unit, and
// the zero time as 0.
type flexTime time.Time

func (t *flexTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	if s == "null" || s == "" || s == "0" {
		*t = flexTime{}
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = flexTime(v)
	return nil
}

func (t flexTime) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("0"), nil
	}
	return strconv.AppendInt(nil, time.Time(t).UnixMilli(), 10), nil
}
