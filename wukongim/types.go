package wukongim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// ChannelType is the kind of channel a message was sent in, as WuKongIM
// numbers them (wkproto.ChannelType*).
type ChannelType uint8

// Channel types of WuKongIM.
const (
	ChannelTypePerson          ChannelType = 1  // one-to-one chat
	ChannelTypeGroup           ChannelType = 2  // group chat
	ChannelTypeCustomerService ChannelType = 3  // customer service (superseded by ChannelTypeVisitors)
	ChannelTypeCommunity       ChannelType = 4  // community
	ChannelTypeCommunityTopic  ChannelType = 5  // topic of a community
	ChannelTypeInfo            ChannelType = 6  // information feed, with temporary subscribers
	ChannelTypeData            ChannelType = 7  // data channel
	ChannelTypeTemp            ChannelType = 8  // temporary channel
	ChannelTypeLive            ChannelType = 9  // live stream (keeps no recent-conversation data)
	ChannelTypeVisitors        ChannelType = 10 // visitor channel: one visitor, many agents
	ChannelTypeAgent           ChannelType = 11 // one-to-one chat with an AI agent
	ChannelTypeAgentGroup      ChannelType = 12 // group chat with AI agents
)

var channelTypeNames = [...]string{
	ChannelTypePerson:          "Person",
	ChannelTypeGroup:           "Group",
	ChannelTypeCustomerService: "CustomerService",
	ChannelTypeCommunity:       "Community",
	ChannelTypeCommunityTopic:  "CommunityTopic",
	ChannelTypeInfo:            "Info",
	ChannelTypeData:            "Data",
	ChannelTypeTemp:            "Temp",
	ChannelTypeLive:            "Live",
	ChannelTypeVisitors:        "Visitors",
	ChannelTypeAgent:           "Agent",
	ChannelTypeAgentGroup:      "AgentGroup",
}

// String returns the constant's name without its prefix ("Person",
// "Group", ...), or "ChannelType(N)" for a value this package does not know.
func (t ChannelType) String() string {
	if int(t) < len(channelTypeNames) && channelTypeNames[t] != "" {
		return channelTypeNames[t]
	}
	return "ChannelType(" + strconv.Itoa(int(t)) + ")"
}

// Setting is a message's setting byte: bit flags chosen by its sender.
type Setting uint8

// Setting flags (wkproto.Setting*). WuKongIM versions disagree on the bit of
// the "stream" flag, so it has no constant here: test the bits yourself.
const (
	SettingReceiptEnabled Setting = 1 << 7 // read receipts requested
	SettingSignal         Setting = 1 << 5 // end-to-end encrypted (Signal protocol)
	SettingNoEncrypt      Setting = 1 << 4 // payload not encrypted
	SettingTopic          Setting = 1 << 3 // message carries a topic
)

// Has reports whether every flag of f is set in s.
func (s Setting) Has(f Setting) bool { return s&f == f }

// MessageHeader is a message's header flags. A reply that carries no
// header (a page-style server) leaves every flag false, which is also the
// server's default.
type MessageHeader struct {
	// NoPersist: the message is delivered but not stored.
	NoPersist bool
	// RedDot: the message counts as unread (shows a badge).
	RedDot bool
	// SyncOnce: the message is synced or consumed once only.
	SyncOnce bool
}

// Message is one message returned by [Client.SearchMessages].
type Message struct {
	// MessageID is the server's id of the message, exact over the whole int64
	// range: it is read from message_idstr when the reply has it, else from
	// message_id as an integer (never through float64).
	MessageID int64
	// MessageSeq is the message's sequence number within its channel.
	MessageSeq uint64
	// ClientMsgNo is the sending client's unique number for the message.
	ClientMsgNo string
	// FromUID is the sender's user id; empty for a message sent by the
	// system.
	FromUID string
	// ChannelID is the channel the message was sent in.
	ChannelID string
	// ChannelType is the kind of that channel.
	ChannelType ChannelType
	// Timestamp is when the server stored the message, to the second (UTC).
	Timestamp time.Time
	// Payload is the message content, base64-decoded: usually the JSON the
	// sender sent, but WuKongIM does not require any format.
	Payload []byte
	// Expire is how long after Timestamp the message expires; zero means
	// never. Set by v2 servers only.
	Expire time.Duration
	// Setting is the sender's setting flags. Set by v2 servers only.
	Setting Setting
	// Header is the message's header flags. Set by v2 servers only.
	Header MessageHeader
}

// wireMessage is a message exactly as a server sends it. message_id is kept
// as text so that no digit is lost, whatever the server or a proxy did.
type wireMessage struct {
	Header       *wireHeader `json:"header"`
	Setting      uint8       `json:"setting"`
	MessageID    json.Number `json:"message_id"`
	MessageIDStr string      `json:"message_idstr"`
	ClientMsgNo  string      `json:"client_msg_no"`
	MessageSeq   uint64      `json:"message_seq"`
	FromUID      string      `json:"from_uid"`
	ChannelID    string      `json:"channel_id"`
	ChannelType  uint8       `json:"channel_type"`
	Expire       uint32      `json:"expire"`
	Timestamp    int64       `json:"timestamp"`
	Payload      []byte      `json:"payload"`

	resolvedID int64 // id(), once checked
}

type wireHeader struct {
	NoPersist int `json:"no_persist"`
	RedDot    int `json:"red_dot"`
	SyncOnce  int `json:"sync_once"`
}

// id returns the message's exact id: message_idstr when present, else
// message_id when it is an integer.
func (w *wireMessage) id() (int64, error) {
	if w.MessageIDStr != "" {
		id, err := strconv.ParseInt(w.MessageIDStr, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("message_idstr %q is not an int64", w.MessageIDStr)
		}
		return id, nil
	}
	if w.MessageID == "" {
		return 0, fmt.Errorf("a message has neither message_id nor message_idstr")
	}
	id, err := strconv.ParseInt(string(w.MessageID), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("message_id %s is not an exact int64 (and there is no message_idstr)", w.MessageID)
	}
	return id, nil
}

func (w *wireMessage) message(id int64) Message {
	m := Message{
		MessageID:   id,
		MessageSeq:  w.MessageSeq,
		ClientMsgNo: w.ClientMsgNo,
		FromUID:     w.FromUID,
		ChannelID:   w.ChannelID,
		ChannelType: ChannelType(w.ChannelType),
		Payload:     w.Payload,
		Expire:      time.Duration(w.Expire) * time.Second,
		Setting:     Setting(w.Setting),
	}
	if w.Timestamp != 0 {
		m.Timestamp = time.Unix(w.Timestamp, 0).UTC()
	}
	if h := w.Header; h != nil {
		m.Header = MessageHeader{NoPersist: h.NoPersist != 0, RedDot: h.RedDot != 0, SyncOnce: h.SyncOnce != 0}
	}
	return m
}
