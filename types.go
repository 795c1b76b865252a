package volcim

import (
	"encoding/json"
	"strconv"
	"time"
)

// ConversationType is the kind of a conversation (the API's ConversationType).
// Values the SDK does not know survive decoding and encoding unchanged.
type ConversationType int32

// Conversation types.
const (
	ConversationOneToOne  ConversationType = 1   // a one-to-one chat
	ConversationGroup     ConversationType = 2   // a group chat
	ConversationLiveGroup ConversationType = 100 // a live group (read only in reverse)
)

// String returns a short English name, or "ConversationType(N)" for an unknown value.
func (t ConversationType) String() string {
	switch t {
	case ConversationOneToOne:
		return "one-to-one"
	case ConversationGroup:
		return "group"
	case ConversationLiveGroup:
		return "live group"
	}
	return "ConversationType(" + strconv.FormatInt(int64(t), 10) + ")"
}

// MessageType is the type of a message (the API's MsgType and
// ReferencedMessageType). Values the SDK does not know survive decoding.
type MessageType int32

// Message types.
const (
	MessageText   MessageType = 10001
	MessageImage  MessageType = 10003
	MessageVideo  MessageType = 10004
	MessageFile   MessageType = 10005
	MessageAudio  MessageType = 10006
	MessageCustom MessageType = 10012
)

// String returns a short English name, or "MessageType(N)" for an unknown value.
func (t MessageType) String() string {
	switch t {
	case MessageText:
		return "text"
	case MessageImage:
		return "image"
	case MessageVideo:
		return "video"
	case MessageFile:
		return "file"
	case MessageAudio:
		return "audio"
	case MessageCustom:
		return "custom"
	}
	return "MessageType(" + strconv.FormatInt(int64(t), 10) + ")"
}

// MessageStatus is the status of a message (Message.Status). The API
// documents only 0, visible.
type MessageStatus int32

// Message statuses.
const (
	MessageVisible MessageStatus = 0
)

// String returns a short English name, or "MessageStatus(N)" for an unknown value.
func (s MessageStatus) String() string {
	if s == MessageVisible {
		return "visible"
	}
	return "MessageStatus(" + strconv.FormatInt(int64(s), 10) + ")"
}

// RefMessageStatus is the status of a referenced (quoted) message, as seen by
// the user (RefMsgInfo.Status).
type RefMessageStatus int32

// Referenced-message statuses.
const (
	RefMessageVisible   RefMessageStatus = 0 // visible
	RefMessageExpired   RefMessageStatus = 1 // expired
	RefMessageInvisible RefMessageStatus = 2 // invisible to the user
	RefMessageRecalled  RefMessageStatus = 3 // recalled by its sender
	RefMessageDeleted   RefMessageStatus = 4 // deleted after being visible
)

// String returns a short English name, or "RefMessageStatus(N)" for an unknown value.
func (s RefMessageStatus) String() string {
	switch s {
	case RefMessageVisible:
		return "visible"
	case RefMessageExpired:
		return "expired"
	case RefMessageInvisible:
		return "invisible"
	case RefMessageRecalled:
		return "recalled"
	case RefMessageDeleted:
		return "deleted"
	}
	return "RefMessageStatus(" + strconv.FormatInt(int64(s), 10) + ")"
}

// ConversationStatus is the status of a conversation (Conversation.Status).
type ConversationStatus int32

// Conversation statuses.
const (
	ConversationNormal    ConversationStatus = 0
	ConversationDismissed ConversationStatus = 1 // never returned by BatchGetConversations
)

// String returns a short English name, or "ConversationStatus(N)" for an unknown value.
func (s ConversationStatus) String() string {
	switch s {
	case ConversationNormal:
		return "normal"
	case ConversationDismissed:
		return "dismissed"
	}
	return "ConversationStatus(" + strconv.FormatInt(int64(s), 10) + ")"
}

// Message is one message, as returned by GetMessages and
// GetConversationMessages (the API's MessageBody).
//
// Ids and indexes are exact int64 values (they exceed 2^53). json.Marshal of
// a Message gives the API's wire form back (CreateTime in milliseconds), so
// messages can be archived and read again with json.Unmarshal losslessly.
//
// The strings of the messages of one reply (GetMessages,
// GetConversationMessages) share memory blocks of at most 4 KB: a string
// kept from a message keeps its block alive. To keep a few strings from
// many pages for long, strings.Clone them.
type Message struct {
	// AppID is the app the message belongs to.
	AppID int64
	// ConversationShortID is the conversation the message is in.
	ConversationShortID int64
	// ConversationType is that conversation's type.
	ConversationType ConversationType
	// MessageID is the message's id, unique in the app (beyond 2^53: keep
	// it an int64).
	MessageID int64
	// ClientMsgID is the sending client's idempotency key; may be empty.
	ClientMsgID string
	// MsgType is the message's type; it says how to read Content.
	MsgType MessageType
	// Content is the message's content as the sending client wrote it,
	// opaque to the API: for a text message the JSON {"text":"..."} (read
	// it with Text, write it with TextContent); for images, video, files
	// and audio the client SDKs' JSON describing the uploaded files; for a
	// custom message whatever the app put there (often JSON, see
	// CustomContent).
	Content string
	// Ext holds the message's extension fields: the app's own key-value
	// pairs, plus the IM's reserved keys, which start with "s:" (such as
	// "s:client_message_id").
	Ext map[string]string
	// Status is the message's status (0, visible, is the only value the
	// API documents).
	Status MessageStatus
	// CreateTime is when the message was created, to the millisecond (UTC).
	CreateTime time.Time
	// Sender is the sender's user id.
	Sender int64
	// SenderStr is the sender's id for apps whose user ids are strings
	// (set instead of Sender, or too).
	SenderStr string
	// RefMsgInfo describes the message this one quotes, or is nil.
	RefMsgInfo *RefMsgInfo
	// IndexInConversation is the message's position in its conversation;
	// it is the cursor GetConversationMessages pages by.
	IndexInConversation int64
}

// RefMsgInfo describes a referenced (quoted) message. SendMessage sends only
// its ReferencedMessageID and Hint; reads fill all four.
type RefMsgInfo struct {
	// ReferencedMessageID is the id of the quoted message.
	ReferencedMessageID int64 `json:"ReferencedMessageId"`
	// Hint is the text shown for the quote (e.g. "[图片]" for an image).
	Hint string `json:"Hint"`
	// ReferencedMessageType is the quoted message's type.
	ReferencedMessageType MessageType `json:"ReferencedMessageType"`
	// Status is the quoted message's status as the reader sees it
	// (recalled, deleted, ...).
	Status RefMessageStatus `json:"Status"`
}

// wireMessage is the API's MessageBody exactly as it travels; Message is its
// typed view. Decoding goes through it once, with no second pass.
type wireMessage struct {
	ConversationType    ConversationType  `json:"ConversationType"`
	ConversationShortID int64             `json:"ConversationShortId"`
	MessageID           int64             `json:"MessageId"`
	ClientMsgID         string            `json:"ClientMsgId,omitempty"`
	MsgType             MessageType       `json:"MsgType"`
	Content             string            `json:"Content"`
	Ext                 map[string]string `json:"Ext,omitempty"`
	Status              MessageStatus     `json:"Status"`
	CreateTime          int64             `json:"CreateTime"`
	Sender              int64             `json:"Sender"`
	SenderStr           string            `json:"SenderStr,omitempty"`
	AppID               int64             `json:"AppId"`
	RefMsgInfo          *RefMsgInfo       `json:"RefMsgInfo,omitempty"`
	IndexInConversation int64             `json:"IndexInConversation,omitempty"`
}

func (w *wireMessage) message() Message {
	return Message{
		AppID:               w.AppID,
		ConversationShortID: w.ConversationShortID,
		ConversationType:    w.ConversationType,
		MessageID:           w.MessageID,
		ClientMsgID:         w.ClientMsgID,
		MsgType:             w.MsgType,
		Content:             w.Content,
		Ext:                 w.Ext,
		Status:              w.Status,
		CreateTime:          fromMillis(w.CreateTime),
		Sender:              w.Sender,
		SenderStr:           w.SenderStr,
		RefMsgInfo:          w.RefMsgInfo,
		IndexInConversation: w.IndexInConversation,
	}
}

func (m *Message) wire() wireMessage {
	return wireMessage{
		ConversationType:    m.ConversationType,
		ConversationShortID: m.ConversationShortID,
		MessageID:           m.MessageID,
		ClientMsgID:         m.ClientMsgID,
		MsgType:             m.MsgType,
		Content:             m.Content,
		Ext:                 m.Ext,
		Status:              m.Status,
		CreateTime:          toMillis(m.CreateTime),
		Sender:              m.Sender,
		SenderStr:           m.SenderStr,
		AppID:               m.AppID,
		RefMsgInfo:          m.RefMsgInfo,
		IndexInConversation: m.IndexInConversation,
	}
}

// MarshalJSON encodes m in the API's wire form (CreateTime in milliseconds).
func (m Message) MarshalJSON() ([]byte, error) {
	w := m.wire()
	return json.Marshal(&w)
}

// UnmarshalJSON decodes the API's wire form of a message.
func (m *Message) UnmarshalJSON(data []byte) error {
	var w wireMessage
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*m = w.message()
	return nil
}

// Conversation is one conversation, as returned by BatchGetConversations
// (the API's ConversationCoreInfo). json.Marshal gives the wire form back
// (times in seconds).
//
// The strings of the conversations of one reply share memory blocks of at
// most 4 KB, as Message's do.
type Conversation struct {
	// AppID is the app the conversation belongs to.
	AppID int64
	// ConversationShortID is the conversation's id, the one most actions
	// take.
	ConversationShortID int64
	// ConversationID is the conversation's older string id; most actions
	// use ConversationShortID.
	ConversationID string
	// ConversationType says whether it is a one-to-one chat, a group or a
	// live group.
	ConversationType ConversationType
	// InboxType isolates conversations logically (0 by default).
	InboxType int32
	// Name is the conversation's name (groups).
	Name string
	// AvatarURL is the URL of the conversation's picture.
	AvatarURL string
	// Description is the conversation's description.
	Description string
	// Notice is the conversation's notice (announcement).
	Notice string
	// OwnerUserID is the owner's user id.
	OwnerUserID int64
	// OwnerUserIDStr is the owner's id for apps whose user ids are
	// strings.
	OwnerUserIDStr string
	// CreatorUserID is the user id of whoever created the conversation.
	CreatorUserID int64
	// CreatorUserIDStr is the creator's id for apps whose user ids are
	// strings.
	CreatorUserIDStr string
	// Status says whether the conversation is normal or dismissed.
	Status ConversationStatus
	// Ext holds the conversation's extension fields.
	Ext map[string]string
	// CreateTime is when the conversation was created, to the second (UTC).
	CreateTime time.Time
	// ModifyTime is when it was last changed, to the second (UTC).
	ModifyTime time.Time
	// MemberCount is filled only when the request asked for it
	// (BatchGetConversationsRequest.IncludeMemberCount).
	MemberCount int64
	// OnlineCount is the number of users online in a live group.
	OnlineCount int64
	// OtherUserID is the other participant of a one-to-one conversation.
	OtherUserID int64
	// OtherUserIDStr is that participant's id for apps whose user ids are
	// strings.
	OtherUserIDStr string
}

type wireConversation struct {
	ConversationShortID int64              `json:"ConversationShortId"`
	ConversationID      string             `json:"ConversationId,omitempty"`
	AppID               int64              `json:"AppId"`
	InboxType           int32              `json:"InboxType"`
	Name                string             `json:"Name,omitempty"`
	AvatarURL           string             `json:"AvatarUrl,omitempty"`
	Description         string             `json:"Description,omitempty"`
	OwnerUserID         int64              `json:"OwnerUserId"`
	OwnerUserIDStr      string             `json:"OwnerUserIdStr,omitempty"`
	CreatorUserID       int64              `json:"CreatorUserId"`
	CreatorUserIDStr    string             `json:"CreatorUserIdStr,omitempty"`
	Notice              string             `json:"Notice,omitempty"`
	Status              ConversationStatus `json:"Status"`
	Ext                 map[string]string  `json:"Ext,omitempty"`
	CreateTime          int64              `json:"CreateTime"`
	ModifyTime          int64              `json:"ModifyTime"`
	ConversationType    ConversationType   `json:"ConversationType"`
	MemberCount         int64              `json:"MemberCount,omitempty"`
	OnlineCount         int64              `json:"OnlineCount,omitempty"`
	OtherUserID         int64              `json:"OtherUserId,omitempty"`
	OtherUserIDStr      string             `json:"OtherUserIdStr,omitempty"`
}

func (w *wireConversation) conversation() Conversation {
	return Conversation{
		AppID:               w.AppID,
		ConversationShortID: w.ConversationShortID,
		ConversationID:      w.ConversationID,
		ConversationType:    w.ConversationType,
		InboxType:           w.InboxType,
		Name:                w.Name,
		AvatarURL:           w.AvatarURL,
		Description:         w.Description,
		Notice:              w.Notice,
		OwnerUserID:         w.OwnerUserID,
		OwnerUserIDStr:      w.OwnerUserIDStr,
		CreatorUserID:       w.CreatorUserID,
		CreatorUserIDStr:    w.CreatorUserIDStr,
		Status:              w.Status,
		Ext:                 w.Ext,
		CreateTime:          fromSeconds(w.CreateTime),
		ModifyTime:          fromSeconds(w.ModifyTime),
		MemberCount:         w.MemberCount,
		OnlineCount:         w.OnlineCount,
		OtherUserID:         w.OtherUserID,
		OtherUserIDStr:      w.OtherUserIDStr,
	}
}

func (c *Conversation) wire() wireConversation {
	return wireConversation{
		ConversationShortID: c.ConversationShortID,
		ConversationID:      c.ConversationID,
		AppID:               c.AppID,
		InboxType:           c.InboxType,
		Name:                c.Name,
		AvatarURL:           c.AvatarURL,
		Description:         c.Description,
		OwnerUserID:         c.OwnerUserID,
		OwnerUserIDStr:      c.OwnerUserIDStr,
		CreatorUserID:       c.CreatorUserID,
		CreatorUserIDStr:    c.CreatorUserIDStr,
		Notice:              c.Notice,
		Status:              c.Status,
		Ext:                 c.Ext,
		CreateTime:          toSeconds(c.CreateTime),
		ModifyTime:          toSeconds(c.ModifyTime),
		ConversationType:    c.ConversationType,
		MemberCount:         c.MemberCount,
		OnlineCount:         c.OnlineCount,
		OtherUserID:         c.OtherUserID,
		OtherUserIDStr:      c.OtherUserIDStr,
	}
}

// MarshalJSON encodes c in the API's wire form (times in seconds).
func (c Conversation) MarshalJSON() ([]byte, error) {
	w := c.wire()
	return json.Marshal(&w)
}

// UnmarshalJSON decodes the API's wire form of a conversation.
func (c *Conversation) UnmarshalJSON(data []byte) error {
	var w wireConversation
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*c = w.conversation()
	return nil
}

// ResponseMetadata is the API's ResponseMetadata of a successful reply.
// Every response type embeds it, so resp.RequestID is at hand for support
// tickets and logs.
type ResponseMetadata struct {
	// RequestID is the server's id of the request: quote it to
	// Volcengine's support.
	RequestID string `json:"RequestId"`
	// Action is the action the server answered, e.g. "GetMessages".
	Action string `json:"Action"`
	// Version is the API version, "2020-12-01".
	Version string `json:"Version"`
	// Service is the service name, "rtc".
	Service string `json:"Service"`
	// Region is the region that answered, e.g. "cn-north-1".
	Region string `json:"Region"`
}

// fromMillis maps the API's milliseconds to a UTC time. Zero stays the zero
// time so that an absent field round-trips as 0.
func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func toMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromSeconds(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

func toSeconds(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// ParticipantRole is a member's role in a conversation (the API's Role).
// Values the SDK does not know survive decoding and encoding unchanged.
type ParticipantRole int64

// Participant roles.
const (
	RoleMember  ParticipantRole = 0 // an ordinary member (the default)
	RoleOwner   ParticipantRole = 1 // the owner; adding one requires the conversation's owner to be this user
	RoleManager ParticipantRole = 2 // a manager (administrator)
)

// String returns a short English name, or "ParticipantRole(N)" for an unknown value.
func (r ParticipantRole) String() string {
	switch r {
	case RoleMember:
		return "member"
	case RoleOwner:
		return "owner"
	case RoleManager:
		return "manager"
	}
	return "ParticipantRole(" + strconv.FormatInt(int64(r), 10) + ")"
}

// ParticipantStatus is a member's status (the API's Status of a member).
type ParticipantStatus int32

// Participant statuses.
const (
	ParticipantNormal ParticipantStatus = 0 // in the conversation
	ParticipantLeft   ParticipantStatus = 1 // has left it
)

// String returns a short English name, or "ParticipantStatus(N)" for an unknown value.
func (s ParticipantStatus) String() string {
	switch s {
	case ParticipantNormal:
		return "normal"
	case ParticipantLeft:
		return "left"
	}
	return "ParticipantStatus(" + strconv.FormatInt(int64(s), 10) + ")"
}

// Participant is one member of a conversation, as returned by every action
// that returns members: BatchGetConversationParticipant,
// ScanConversationParticipantList, and the live-group lists
// BatchGetBlockParticipants and BatchGetWhitelistParticipant. Each action
// fills the fields its reply has (the live-group lists have no Role, say).
//
// json.Marshal of a Participant gives the API's wire form back (times in
// seconds), so members can be archived and read again without loss.
type Participant struct {
	// ConversationShortID is the conversation, when the reply names it.
	ConversationShortID int64
	// UserID is the member's user id (the API's ParticipantUserId).
	UserID int64
	// UserIDStr is the member's id for apps whose user ids are strings
	// (set instead of UserID, or too).
	UserIDStr string
	// Role is the member's role.
	Role ParticipantRole
	// NickName is the member's nickname in the conversation.
	NickName string
	// AvatarURL is the URL of the member's picture in the conversation.
	AvatarURL string
	// Level is the member's level, an app-defined number.
	Level int32
	// Ext holds the member's extension fields.
	Ext map[string]string
	// Marks are the member's marks (live groups).
	Marks []string
	// Status says whether the member is still in the conversation.
	Status ParticipantStatus
	// Operator is the user who added the member (or put it on the list).
	Operator int64
	// OperatorStr is the operator's id for apps whose user ids are
	// strings.
	OperatorStr string
	// CreateTime is when the member joined (or was put on the list), to
	// the second (UTC); zero when the reply does not say.
	CreateTime time.Time
	// BlockTime is when the member's mute (or, in the block list of a live
	// group, its ban) ends, to the second (UTC); zero when there is none.
	BlockTime time.Time
}

// wireParticipant is the API's member object, the union of the shapes every
// action returns.
type wireParticipant struct {
	ConversationShortID  int64             `json:"ConversationShortId,omitempty"`
	ParticipantUserID    int64             `json:"ParticipantUserId"`
	ParticipantUserIDStr string            `json:"ParticipantUserIdStr,omitempty"`
	Role                 ParticipantRole   `json:"Role,omitempty"`
	NickName             string            `json:"NickName,omitempty"`
	AvatarURL            string            `json:"AvatarUrl,omitempty"`
	Level                int32             `json:"Level,omitempty"`
	Ext                  map[string]string `json:"Ext,omitempty"`
	Marks                []string          `json:"Marks,omitempty"`
	Status               ParticipantStatus `json:"Status,omitempty"`
	Operator             int64             `json:"Operator,omitempty"`
	OperatorStr          string            `json:"OperatorStr,omitempty"`
	CreateTime           int64             `json:"CreateTime,omitempty"`
	BlockTime            int64             `json:"BlockTime,omitempty"`
}

func (w *wireParticipant) participant() Participant {
	return Participant{
		ConversationShortID: w.ConversationShortID,
		UserID:              w.ParticipantUserID,
		UserIDStr:           w.ParticipantUserIDStr,
		Role:                w.Role,
		NickName:            w.NickName,
		AvatarURL:           w.AvatarURL,
		Level:               w.Level,
		Ext:                 w.Ext,
		Marks:               w.Marks,
		Status:              w.Status,
		Operator:            w.Operator,
		OperatorStr:         w.OperatorStr,
		CreateTime:          fromSeconds(w.CreateTime),
		BlockTime:           fromSeconds(w.BlockTime),
	}
}

func (p *Participant) wire() wireParticipant {
	return wireParticipant{
		ConversationShortID:  p.ConversationShortID,
		ParticipantUserID:    p.UserID,
		ParticipantUserIDStr: p.UserIDStr,
		Role:                 p.Role,
		NickName:             p.NickName,
		AvatarURL:            p.AvatarURL,
		Level:                p.Level,
		Ext:                  p.Ext,
		Marks:                p.Marks,
		Status:               p.Status,
		Operator:             p.Operator,
		OperatorStr:          p.OperatorStr,
		CreateTime:           toSeconds(p.CreateTime),
		BlockTime:            toSeconds(p.BlockTime),
	}
}

// MarshalJSON encodes p in the API's wire form (times in seconds).
func (p Participant) MarshalJSON() ([]byte, error) {
	w := p.wire()
	return json.Marshal(&w)
}

// UnmarshalJSON decodes the API's wire form of a member.
func (p *Participant) UnmarshalJSON(data []byte) error {
	var w wireParticipant
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*p = w.participant()
	return nil
}

func toParticipants(w []wireParticipant) []Participant {
	if w == nil {
		return nil
	}
	out := make([]Participant, len(w))
	for i := range w {
		out[i] = w[i].participant()
	}
	return out
}

// Ptr returns a pointer to v, for the optional request fields whose zero
// value means something other than "leave it as it is" (they are pointers:
// nil leaves the server's default or the current value):
//
//	req.IsMute = volcim.Ptr(false)
func Ptr[T any](v T) *T { return &v }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// MarkAction says whether an action adds marks or deletes them (the API's
// MarkAction): MarkConversation's marks of a live group, and
// BatchUpdateLiveParticipants' marks of its members. Values the SDK does not
// know survive encoding unchanged.
type MarkAction int32

// Mark actions. The zero value leaves the server's default, which adds.
const (
	MarkAdd    MarkAction = 1 // add the marks given
	MarkDelete MarkAction = 2 // delete the marks given
)

// String returns a short English name, or "MarkAction(N)" for an unknown
// value (0 is "default (add)").
func (m MarkAction) String() string {
	switch m {
	case 0:
		return "default (add)"
	case MarkAdd:
		return "add"
	case MarkDelete:
		return "delete"
	}
	return "MarkAction(" + itoa(int64(m)) + ")"
}
