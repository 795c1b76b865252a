package volcim

import (
	"encoding/json"

	"github.com/volcim/volcim-go/internal/wirejson"
)

// The hot read actions (GetConversationMessages, GetMessages,
// BatchGetConversations) return pages of up to 20 or 100 items, and
// decoding them with encoding/json was half of a call's time and most of
// its allocations. decodeReply reads the replies of their Result types (see
// isHot) with the reflection-free reader below instead.
//
// The reader gives the values encoding/json gives for the same wire types,
// or gives up: on anything it does not handle exactly as encoding/json does
// (a type mismatch, invalid JSON, a repeated list, deep nesting in an
// unknown member, ...) decodeReply decodes the reply again with
// encoding/json, which then gives the same value or error as before.
// FuzzDecodeHot checks the agreement.
//
// Memory: the reply buffer is pooled and reused, so no decoded string refers
// to it: the reader copies the strings of a reply into blocks of at most
// 4 KB, one allocation per block (one for a page of 20 messages). A string
// kept from a decoded message or conversation keeps its block alive;
// strings.Clone what is kept for long from many pages.

// isHot reports whether res, a *R, is one of the Result types that
// decodeReply decodes without encoding/json.
func isHot(res any) bool {
	switch res.(type) {
	case *wireConversationMessages, *wireMessages, *wireConversations:
		return true
	}
	return false
}

// decodeHotResult decodes a JSON object into res (one of isHot's types),
// merging into what is already there as encoding/json does, or reports
// false.
func decodeHotResult(d *hotDecoder, res any) bool {
	switch r := res.(type) {
	case *wireConversationMessages:
		return r.decode(d)
	case *wireMessages:
		return r.decode(d)
	case *wireConversations:
		return r.decode(d)
	}
	return false
}

// hotDecoder is the reader with the memory it hands out in blocks.
type hotDecoder struct {
	wirejson.Decoder
	refs []RefMsgInfo
}

// refMsgInfo returns a new zero RefMsgInfo, from a block shared by the
// reply's messages.
func (d *hotDecoder) refMsgInfo() *RefMsgInfo {
	if len(d.refs) == cap(d.refs) {
		d.refs = make([]RefMsgInfo, 0, MaxPageSize)
	}
	d.refs = d.refs[:len(d.refs)+1]
	return &d.refs[len(d.refs)-1]
}

// unmarshalEnvelope decodes a reply into env: with the hot reader when R is
// a hot type and it succeeds, else with encoding/json.
func unmarshalEnvelope[R any](body []byte, env *envelope[R]) error {
	if isHot((*R)(nil)) {
		if decodeEnvelopeHot(body, env) {
			return nil
		}
		*env = envelope[R]{}
	}
	return unmarshalJSON(body, env)
}

// unmarshalJSON decodes a reply into env with encoding/json, through a copy
// on the heap: env itself, which json.Unmarshal would make escape, stays
// where the caller has it.
func unmarshalJSON[R any](body []byte, env *envelope[R]) error {
	e := new(envelope[R])
	err := json.Unmarshal(body, e)
	*env = *e
	return err
}

// decodeEnvelopeHot decodes the envelope of a hot Result type.
func decodeEnvelopeHot[R any](body []byte, env *envelope[R]) bool {
	d := &hotDecoder{Decoder: wirejson.New(body)}
	if !d.Object() {
		return false
	}
	for first := true; ; first = false {
		key, end, ok := d.Key(first)
		if !ok {
			return false
		}
		if end {
			return d.End()
		}
		if !envelopeField(d, env, key) {
			return false
		}
	}
}

func envelopeField[R any](d *hotDecoder, env *envelope[R], key []byte) bool {
	switch string(key) {
	case "ResponseMetadata":
		if d.Null() {
			env.ResponseMetadata = nil
			return true
		}
		if env.ResponseMetadata == nil {
			env.ResponseMetadata = new(wireMetadata)
		}
		return env.ResponseMetadata.decode(d)
	case "Result":
		if d.Null() {
			env.Result = nil
			return true
		}
		if env.Result == nil {
			env.Result = new(R)
		}
		return decodeHotResult(d, env.Result)
	}
	if name := foldedField(key, envelopeFields[:]); name != "" {
		return envelopeField(d, env, []byte(name))
	}
	return d.Skip()
}

// The decode methods read an object into their receiver, member by member:
// field decodes the member named key (or skips it) and reports success.

func (m *wireMetadata) decode(d *hotDecoder) bool {
	if !d.Object() {
		return false
	}
	for first := true; ; first = false {
		key, end, ok := d.Key(first)
		if !ok {
			return false
		}
		if end {
			return true
		}
		if !m.field(d, key) {
			return false
		}
	}
}

func (e *wireError) decode(d *hotDecoder) bool {
	if !d.Object() {
		return false
	}
	for first := true; ; first = false {
		key, end, ok := d.Key(first)
		if !ok {
			return false
		}
		if end {
			return true
		}
		if !e.field(d, key) {
			return false
		}
	}
}

func (r *wireConversationMessages) decode(d *hotDecoder) bool {
	if !d.Object() {
		return false
	}
	for first := true; ; first = false {
		key, end, ok := d.Key(first)
		if !ok {
			return false
		}
		if end {
			return true
		}
		if !r.field(d, key) {
			return false
		}
	}
}

func (r *wireMessages) decode(d *hotDecoder) bool {
	if !d.Object() {
		return false
	}
	for first := true; ; first = false {
		key, end, ok := d.Key(first)
		if !ok {
			return false
		}
		if end {
			return true
		}
		if !r.field(d, key) {
			return false
		}
	}
}

func (r *wireConversations) decode(d *hotDecoder) bool {
	if !d.Object() {
		return false
	}
	for first := true; ; first = false {
		key, end, ok := d.Key(first)
		if !ok {
			return false
		}
		if end {
			return true
		}
		if !r.field(d, key) {
			return false
		}
	}
}

func (m *wireMessage) decode(d *hotDecoder) bool {
	if !d.Object() {
		return false
	}
	for first := true; ; first = false {
		key, end, ok := d.Key(first)
		if !ok {
			return false
		}
		if end {
			return true
		}
		if !m.field(d, key) {
			return false
		}
	}
}

func (r *RefMsgInfo) decode(d *hotDecoder) bool {
	if !d.Object() {
		return false
	}
	for first := true; ; first = false {
		key, end, ok := d.Key(first)
		if !ok {
			return false
		}
		if end {
			return true
		}
		if !r.field(d, key) {
			return false
		}
	}
}

func (c *wireConversation) decode(d *hotDecoder) bool {
	if !d.Object() {
		return false
	}
	for first := true; ; first = false {
		key, end, ok := d.Key(first)
		if !ok {
			return false
		}
		if end {
			return true
		}
		if !c.field(d, key) {
			return false
		}
	}
}

// foldedField returns the name in names (each a JSON name of the type's
// fields) that key matches without regard to case, as encoding/json matches
// a key that matches no name exactly, or "".
func foldedField(key []byte, names []string) string {
	var buf [64]byte
	folded := wirejson.Fold(buf[:0], key)
	for _, n := range names {
		if upperEqual(folded, n) {
			return n
		}
	}
	return ""
}

// upperEqual reports whether folded is the ASCII name n upper-cased (what
// encoding/json's folding makes of n).
func upperEqual(folded []byte, n string) bool {
	if len(folded) != len(n) {
		return false
	}
	for i := range len(n) {
		c := n[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if folded[i] != c {
			return false
		}
	}
	return true
}

// The JSON names of the hot types' fields, in the order of their structs
// (TestHotFieldsAreTheWireFields checks them against the json tags).
var (
	envelopeFields     = [...]string{"ResponseMetadata", "Result"}
	metadataFields     = [...]string{"RequestId", "Action", "Version", "Service", "Region", "Error"}
	errorFields        = [...]string{"Code", "CodeN", "Message"}
	pageFields         = [...]string{"HasMore", "NewCursor", "Messages"}
	messagesFields     = [...]string{"Messages"}
	conversationsField = [...]string{"ConversationCoreInfos"}
	refMsgInfoFields   = [...]string{"ReferencedMessageId", "Hint", "ReferencedMessageType", "Status"}
	messageFields      = [...]string{
		"ConversationType", "ConversationShortId", "MessageId", "ClientMsgId", "MsgType", "Content", "Ext",
		"Status", "CreateTime", "Sender", "SenderStr", "AppId", "RefMsgInfo", "IndexInConversation",
	}
	conversationFields = [...]string{
		"ConversationShortId", "ConversationId", "AppId", "InboxType", "Name", "AvatarUrl", "Description",
		"OwnerUserId", "OwnerUserIdStr", "CreatorUserId", "CreatorUserIdStr", "Notice", "Status", "Ext",
		"CreateTime", "ModifyTime", "ConversationType", "MemberCount", "OnlineCount", "OtherUserId", "OtherUserIdStr",
	}
)

func (m *wireMetadata) field(d *hotDecoder, key []byte) bool {
	switch string(key) {
	case "RequestId":
		return d.String(&m.RequestID)
	case "Action":
		return d.String(&m.Action)
	case "Version":
		return d.String(&m.Version)
	case "Service":
		return d.String(&m.Service)
	case "Region":
		return d.String(&m.Region)
	case "Error":
		if d.Null() {
			m.Error = nil
			return true
		}
		if m.Error == nil {
			m.Error = new(wireError)
		}
		return m.Error.decode(d)
	}
	if name := foldedField(key, metadataFields[:]); name != "" {
		return m.field(d, []byte(name))
	}
	return d.Skip()
}

func (e *wireError) field(d *hotDecoder, key []byte) bool {
	switch string(key) {
	case "Code":
		return d.String(&e.Code)
	case "CodeN":
		return d.Int64(&e.CodeN)
	case "Message":
		return d.String(&e.Message)
	}
	if name := foldedField(key, errorFields[:]); name != "" {
		return e.field(d, []byte(name))
	}
	return d.Skip()
}

func (r *wireConversationMessages) field(d *hotDecoder, key []byte) bool {
	switch string(key) {
	case "HasMore":
		return d.Bool(&r.HasMore)
	case "NewCursor":
		return d.Int64(&r.NewCursor)
	case "Messages":
		return decodeMessageList(d, &r.Messages)
	}
	if name := foldedField(key, pageFields[:]); name != "" {
		return r.field(d, []byte(name))
	}
	return d.Skip()
}

func (r *wireMessages) field(d *hotDecoder, key []byte) bool {
	if string(key) == "Messages" {
		return decodeMessageList(d, &r.Messages)
	}
	if name := foldedField(key, messagesFields[:]); name != "" {
		return r.field(d, []byte(name))
	}
	return d.Skip()
}

func (r *wireConversations) field(d *hotDecoder, key []byte) bool {
	if string(key) == "ConversationCoreInfos" {
		return decodeConversationList(d, &r.ConversationCoreInfos)
	}
	if name := foldedField(key, conversationsField[:]); name != "" {
		return r.field(d, []byte(name))
	}
	return d.Skip()
}

// decodeMessageList decodes a list of messages. The first MaxPageSize are
// decoded on the stack and copied once into a slice of the exact length.
// A list decoded into one that is already there (a repeated key) is left
// to encoding/json, which reuses the old elements.
func decodeMessageList(d *hotDecoder, p *[]wireMessage) bool {
	if d.Null() {
		*p = nil
		return true
	}
	if *p != nil || !d.Array() {
		return false
	}
	var chunk [MaxPageSize]wireMessage
	var spill []wireMessage
	n := 0
	for first := true; ; first = false {
		end, ok := d.Elem(first)
		if !ok {
			return false
		}
		if end {
			break
		}
		var m *wireMessage
		if n < len(chunk) {
			m = &chunk[n]
		} else {
			if spill == nil {
				spill = make([]wireMessage, n, 2*n)
				copy(spill, chunk[:])
			}
			spill = append(spill, wireMessage{})
			m = &spill[n]
		}
		n++
		if !m.decode(d) {
			return false
		}
	}
	if spill == nil {
		spill = make([]wireMessage, n)
		copy(spill, chunk[:n])
	}
	*p = spill
	return true
}

func (m *wireMessage) field(d *hotDecoder, key []byte) bool {
	switch string(key) {
	case "ConversationType":
		return d.Int32((*int32)(&m.ConversationType))
	case "ConversationShortId":
		return d.Int64(&m.ConversationShortID)
	case "MessageId":
		return d.Int64(&m.MessageID)
	case "ClientMsgId":
		return d.String(&m.ClientMsgID)
	case "MsgType":
		return d.Int32((*int32)(&m.MsgType))
	case "Content":
		return d.String(&m.Content)
	case "Ext":
		return d.StringMap(&m.Ext)
	case "Status":
		return d.Int32((*int32)(&m.Status))
	case "CreateTime":
		return d.Int64(&m.CreateTime)
	case "Sender":
		return d.Int64(&m.Sender)
	case "SenderStr":
		return d.String(&m.SenderStr)
	case "AppId":
		return d.Int64(&m.AppID)
	case "RefMsgInfo":
		if d.Null() {
			m.RefMsgInfo = nil
			return true
		}
		if m.RefMsgInfo == nil {
			m.RefMsgInfo = d.refMsgInfo()
		}
		return m.RefMsgInfo.decode(d)
	case "IndexInConversation":
		return d.Int64(&m.IndexInConversation)
	}
	if name := foldedField(key, messageFields[:]); name != "" {
		return m.field(d, []byte(name))
	}
	return d.Skip()
}

func (r *RefMsgInfo) field(d *hotDecoder, key []byte) bool {
	switch string(key) {
	case "ReferencedMessageId":
		return d.Int64(&r.ReferencedMessageID)
	case "Hint":
		return d.String(&r.Hint)
	case "ReferencedMessageType":
		return d.Int32((*int32)(&r.ReferencedMessageType))
	case "Status":
		return d.Int32((*int32)(&r.Status))
	}
	if name := foldedField(key, refMsgInfoFields[:]); name != "" {
		return r.field(d, []byte(name))
	}
	return d.Skip()
}

// decodeConversationList is decodeMessageList for conversations.
func decodeConversationList(d *hotDecoder, p *[]wireConversation) bool {
	if d.Null() {
		*p = nil
		return true
	}
	if *p != nil || !d.Array() {
		return false
	}
	var chunk [MaxPageSize]wireConversation
	var spill []wireConversation
	n := 0
	for first := true; ; first = false {
		end, ok := d.Elem(first)
		if !ok {
			return false
		}
		if end {
			break
		}
		var c *wireConversation
		if n < len(chunk) {
			c = &chunk[n]
		} else {
			if spill == nil {
				spill = make([]wireConversation, n, 2*n)
				copy(spill, chunk[:])
			}
			spill = append(spill, wireConversation{})
			c = &spill[n]
		}
		n++
		if !c.decode(d) {
			return false
		}
	}
	if spill == nil {
		spill = make([]wireConversation, n)
		copy(spill, chunk[:n])
	}
	*p = spill
	return true
}

func (c *wireConversation) field(d *hotDecoder, key []byte) bool {
	switch string(key) {
	case "ConversationShortId":
		return d.Int64(&c.ConversationShortID)
	case "ConversationId":
		return d.String(&c.ConversationID)
	case "AppId":
		return d.Int64(&c.AppID)
	case "InboxType":
		return d.Int32(&c.InboxType)
	case "Name":
		return d.String(&c.Name)
	case "AvatarUrl":
		return d.String(&c.AvatarURL)
	case "Description":
		return d.String(&c.Description)
	case "OwnerUserId":
		return d.Int64(&c.OwnerUserID)
	case "OwnerUserIdStr":
		return d.String(&c.OwnerUserIDStr)
	case "CreatorUserId":
		return d.Int64(&c.CreatorUserID)
	case "CreatorUserIdStr":
		return d.String(&c.CreatorUserIDStr)
	case "Notice":
		return d.String(&c.Notice)
	case "Status":
		return d.Int32((*int32)(&c.Status))
	case "Ext":
		return d.StringMap(&c.Ext)
	case "CreateTime":
		return d.Int64(&c.CreateTime)
	case "ModifyTime":
		return d.Int64(&c.ModifyTime)
	case "ConversationType":
		return d.Int32((*int32)(&c.ConversationType))
	case "MemberCount":
		return d.Int64(&c.MemberCount)
	case "OnlineCount":
		return d.Int64(&c.OnlineCount)
	case "OtherUserId":
		return d.Int64(&c.OtherUserID)
	case "OtherUserIdStr":
		return d.String(&c.OtherUserIDStr)
	}
	if name := foldedField(key, conversationFields[:]); name != "" {
		return c.field(d, []byte(name))
	}
	return d.Skip()
}
