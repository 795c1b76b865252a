package volcimtest

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	volcim "github.com/volcim/volcim-go"
)

// convKey identifies a conversation: conversation ids are per app.
type convKey struct {
	appID, convID int64
}

// conversation is a conversation record with its messages: either stored
// (msgs, sorted by IndexInConversation) or generated (gen messages computed
// from their position, never stored).
type conversation struct {
	info volcim.Conversation
	msgs []volcim.Message
	byID map[int64]int64 // MessageID → IndexInConversation, for msgs
	// generated conversations compute their gen messages from their
	// position and store none.
	generated bool
	gen       int

	// The state of each area, defined in the area's file.
	msgState messageData // messages.go: keys, recalls, deletions
	conv     convData    // conversations.go: settings, marks
	members  memberData  // participants.go
	live     liveData    // livegroups.go: blocks, whitelist, live profiles
}

// idCounters hands out the ids of what the server creates. The bases keep
// them beyond 2^53, like real ids, and apart from the generated messages'.
type idCounters struct {
	message      int64
	conversation int64
}

const (
	createdMessageIDBase      = 7_400_000_000_000_000_000
	createdConversationIDBase = 7_500_000_000_000_000_000
)

// nextMessageID returns a fresh message id. s.dataMu is held.
func (s *Server) nextMessageID() int64 {
	s.ids.message++
	return createdMessageIDBase + s.ids.message*1009
}

// nextConversationID returns a fresh conversation id. s.dataMu is held.
func (s *Server) nextConversationID() int64 {
	s.ids.conversation++
	return createdConversationIDBase + s.ids.conversation*1013
}

// Layout of generated messages; see GeneratedMessage.
const (
	genIndexBase   = 1<<53 + 1           // 9007199254740993: not exact as a float64
	genIndexStep   = 1_000_003           //
	genIDBase      = 7171391232210520094 // beyond 2^53, like real message ids
	genIDStep      = 1009                //
	genTimeBaseMS  = 1704067200000       // 2024-01-01T00:00:00Z
	genTimeStepMS  = 1000                //
	genSenderBase  = 10001               //
	genSenders     = 4                   //
	maxGenerated   = 1 << 40             // keeps every generated field within int64
	genContentHead = "message "          //
)

// GeneratedMessage returns message i (0-based) of a conversation made by
// [Server.AddGeneratedConversation], exactly as the server returns it, so a
// test can compute what to expect without materialising the conversation:
//
//	IndexInConversation  9007199254740993 + i*1000003  (2^53+1 upwards: not exact as float64)
//	MessageID            7171391232210520094 + i*1009
//	CreateTime           2024-01-01T00:00:00Z + i seconds
//	Content              "message <i>"
//	Sender               10001 + i%4
//	MsgType              volcim.MessageText, Status volcim.MessageVisible
//	ConversationType     volcim.ConversationGroup
//
// When the conversation's record (AddConversation) has another
// ConversationType, the server returns that type instead.
func GeneratedMessage(appID, conversationShortID int64, i int) volcim.Message {
	return generatedMessage(appID, conversationShortID, volcim.ConversationGroup, i)
}

func generatedMessage(appID, convID int64, typ volcim.ConversationType, i int) volcim.Message {
	n := int64(i)
	return volcim.Message{
		AppID:               appID,
		ConversationShortID: convID,
		ConversationType:    typ,
		MessageID:           genIDBase + n*genIDStep,
		MsgType:             volcim.MessageText,
		Content:             genContentHead + strconv.FormatInt(n, 10),
		Status:              volcim.MessageVisible,
		CreateTime:          time.UnixMilli(genTimeBaseMS + n*genTimeStepMS).UTC(),
		Sender:              genSenderBase + n%genSenders,
		IndexInConversation: genIndexBase + n*genIndexStep,
	}
}

// length is the number of messages of c.
func (c *conversation) length() int {
	if c.generated {
		return c.gen
	}
	return len(c.msgs)
}

// indexAt is the IndexInConversation of the message at position pos.
func (c *conversation) indexAt(pos int) int64 {
	if c.generated {
		return genIndexBase + int64(pos)*genIndexStep
	}
	return c.msgs[pos].IndexInConversation
}

// messageAt is the message at position pos. Stored messages are returned as
// they are: their maps are never mutated once stored, so the copy may be
// read without the lock.
func (c *conversation) messageAt(pos int) volcim.Message {
	if c.generated {
		return generatedMessage(c.info.AppID, c.info.ConversationShortID, c.info.ConversationType, pos)
	}
	return c.msgs[pos]
}

// messageByID finds a message by id.
func (c *conversation) messageByID(id int64) (volcim.Message, bool) {
	if c.generated {
		off := id - genIDBase
		if off < 0 || off%genIDStep != 0 || off/genIDStep >= int64(c.gen) {
			return volcim.Message{}, false
		}
		return c.messageAt(int(off / genIDStep)), true
	}
	idx, ok := c.byID[id]
	if !ok {
		return volcim.Message{}, false
	}
	pos, found := c.search(idx)
	if !found {
		return volcim.Message{}, false
	}
	return c.msgs[pos], true
}

// search returns the position of the first message whose index is >= idx,
// and whether its index is idx.
func (c *conversation) search(idx int64) (int, bool) {
	n := c.length()
	pos := sort.Search(n, func(p int) bool { return c.indexAt(p) >= idx })
	return pos, pos < n && c.indexAt(pos) == idx
}

// page is one GetConversationMessages reply.
type page struct {
	msgs      []volcim.Message
	hasMore   bool
	newCursor int64
}

// page computes a page in O(log n + limit): see the package documentation
// for the cursor semantics.
func (c *conversation) page(cursor int64, limit int, reverse bool) page {
	n := c.length()
	if n == 0 {
		return page{msgs: []volcim.Message{}}
	}
	if !reverse {
		start, _ := c.search(cursor) // first index >= cursor (all of them for 0)
		end := min(start+limit, n)
		p := page{msgs: make([]volcim.Message, 0, end-start)}
		for pos := start; pos < end; pos++ {
			p.msgs = append(p.msgs, c.messageAt(pos))
		}
		if end < n {
			p.hasMore, p.newCursor = true, c.indexAt(end)
		} else if last := c.indexAt(n - 1); last < math.MaxInt64 {
			p.newCursor = last + 1
		} else {
			p.newCursor = last
		}
		return p
	}
	// Reverse: start at the last index <= cursor (the newest for 0).
	start := n - 1
	if cursor > 0 {
		start = sort.Search(n, func(p int) bool { return c.indexAt(p) > cursor }) - 1
	}
	if start < 0 {
		return page{msgs: []volcim.Message{}}
	}
	end := max(start-limit, -1) // exclusive
	p := page{msgs: make([]volcim.Message, 0, start-end)}
	for pos := start; pos > end; pos-- {
		p.msgs = append(p.msgs, c.messageAt(pos))
	}
	if end >= 0 {
		p.hasMore, p.newCursor = true, c.indexAt(end)
	}
	return p
}

// AddConversation adds the conversation record c, or replaces the record of
// the same (AppID, ConversationShortID), keeping its messages. Dismissed
// conversations (Status volcim.ConversationDismissed) are stored but never
// returned by BatchGetConversations; MemberCount is returned only to requests
// with SkipMemberCount false. The record is copied; c's Ext map may be
// changed afterwards.
//
// It panics if c.AppID or c.ConversationShortID is not positive: seeding
// mistakes are programming errors in the test.
func (s *Server) AddConversation(c volcim.Conversation) {
	if c.AppID <= 0 || c.ConversationShortID <= 0 {
		panic(fmt.Sprintf("volcimtest: AddConversation: AppID %d and ConversationShortID %d must be positive", c.AppID, c.ConversationShortID))
	}
	c.Ext = maps.Clone(c.Ext)
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	k := convKey{c.AppID, c.ConversationShortID}
	if conv, ok := s.convs[k]; ok {
		conv.info = c
		return
	}
	s.convs[k] = &conversation{info: c}
}

// AddMessages stores messages, each in the conversation of its (AppID,
// ConversationShortID), kept in IndexInConversation order whatever the order
// they are added in. A message whose conversation is unknown creates a
// record for it (a group, unless the message's ConversationType says
// otherwise, created at the message's CreateTime). A message with the
// IndexInConversation of a stored one replaces it. MessageIDs should be
// unique in a conversation; GetMessages finds the one added last. Messages
// are copied (Ext and RefMsgInfo included).
//
// It panics if a message's AppID, ConversationShortID, MessageID or
// IndexInConversation is not positive (0 is the cursor that starts a walk,
// so no message may have it), or if its conversation was made by
// AddGeneratedConversation.
func (s *Server) AddMessages(msgs ...volcim.Message) {
	for i := range msgs {
		m := &msgs[i]
		if m.AppID <= 0 || m.ConversationShortID <= 0 || m.MessageID <= 0 || m.IndexInConversation <= 0 {
			panic(fmt.Sprintf("volcimtest: AddMessages: message %d: AppID %d, ConversationShortID %d, MessageID %d and IndexInConversation %d must all be positive",
				i, m.AppID, m.ConversationShortID, m.MessageID, m.IndexInConversation))
		}
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	for _, m := range msgs {
		m.Ext = maps.Clone(m.Ext)
		if m.RefMsgInfo != nil {
			ref := *m.RefMsgInfo
			m.RefMsgInfo = &ref
		}
		k := convKey{m.AppID, m.ConversationShortID}
		conv, ok := s.convs[k]
		if !ok {
			typ := m.ConversationType
			if typ == 0 {
				typ = volcim.ConversationGroup
			}
			conv = &conversation{info: volcim.Conversation{
				AppID:               m.AppID,
				ConversationShortID: m.ConversationShortID,
				ConversationType:    typ,
				CreateTime:          m.CreateTime.Truncate(time.Second),
				ModifyTime:          m.CreateTime.Truncate(time.Second),
			}}
			s.convs[k] = conv
		}
		if conv.generated {
			panic(fmt.Sprintf("volcimtest: AddMessages: conversation %d of app %d is generated (AddGeneratedConversation); it cannot hold added messages", k.convID, k.appID))
		}
		conv.put(m)
	}
}

// put stores m in c, in IndexInConversation order, replacing a message of
// the same index. s.dataMu is held.
func (c *conversation) put(m volcim.Message) {
	if c.byID == nil {
		c.byID = make(map[int64]int64)
	}
	pos, found := slices.BinarySearchFunc(c.msgs, m.IndexInConversation, func(e volcim.Message, idx int64) int {
		return cmp.Compare(e.IndexInConversation, idx)
	})
	if found {
		old := c.msgs[pos]
		if c.byID[old.MessageID] == old.IndexInConversation {
			delete(c.byID, old.MessageID)
		}
		c.msgs[pos] = m
	} else {
		c.msgs = slices.Insert(c.msgs, pos, m)
	}
	c.byID[m.MessageID] = m.IndexInConversation
}

// AddGeneratedConversation creates conversation conversationShortID of app
// appID with n messages that are never stored: each is computed from its
// position when a request needs it (see [GeneratedMessage] for their exact
// fields), and every page is computed directly in O(log n + page size). A
// benchmark can thus page through 1,000,000 messages with a flat heap.
//
// An existing record of the conversation (AddConversation) is kept, and its
// ConversationType is the type of the generated messages (make it
// volcim.ConversationLiveGroup first to generate a live group); otherwise a
// group is created. Calling it again changes n.
//
// It panics if appID or conversationShortID is not positive, if n is
// negative or above 2^40, or if the conversation holds added messages.
func (s *Server) AddGeneratedConversation(appID, conversationShortID int64, n int) {
	if appID <= 0 || conversationShortID <= 0 {
		panic(fmt.Sprintf("volcimtest: AddGeneratedConversation: appID %d and conversationShortID %d must be positive", appID, conversationShortID))
	}
	if n < 0 || n > maxGenerated {
		panic(fmt.Sprintf("volcimtest: AddGeneratedConversation: n %d is outside 0 to 2^40", n))
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	k := convKey{appID, conversationShortID}
	conv, ok := s.convs[k]
	if !ok {
		created := time.UnixMilli(genTimeBaseMS).UTC()
		conv = &conversation{info: volcim.Conversation{
			AppID:               appID,
			ConversationShortID: conversationShortID,
			ConversationType:    volcim.ConversationGroup,
			Name:                "generated " + strconv.FormatInt(conversationShortID, 10),
			CreateTime:          created,
			ModifyTime:          created,
		}}
		s.convs[k] = conv
	}
	if len(conv.msgs) > 0 {
		panic(fmt.Sprintf("volcimtest: AddGeneratedConversation: conversation %d of app %d already holds added messages", conversationShortID, appID))
	}
	conv.generated, conv.gen = true, n
}
