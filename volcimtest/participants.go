package volcimtest

import (
	"fmt"
	"maps"
	"slices"

	volcim "github.com/volcim/volcim-go"
)

// participantHandlers answers the member actions.
var participantHandlers = map[string]handler{}

// memberData is a conversation's members.
type memberData struct {
	// byUser holds every member by user id; order lists their ids in the
	// order they joined.
	byUser map[int64]*member
	order  []int64
}

// member is one member of a conversation.
type member struct {
	// p is the member as the member reads return it (Participant's
	// ConversationShortID and UserID are set).
	p volcim.Participant
	// readIndex is the IndexInConversation of the last message the member
	// has read (0: none).
	readIndex int64
}

// isMember reports whether user is a member of c. A conversation that has
// no member recorded (one seeded with AddConversation or AddMessages and no
// AddParticipants) accepts everybody.
func (c *conversation) isMember(user int64) bool {
	if len(c.members.byUser) == 0 {
		return true
	}
	_, ok := c.members.byUser[user]
	return ok
}

// memberList returns c's members in the order they joined.
func (c *conversation) memberList() []*member {
	out := make([]*member, 0, len(c.members.order))
	for _, id := range c.members.order {
		out = append(out, c.members.byUser[id])
	}
	return out
}

// addMember adds (or replaces, keeping its place and read index) a member.
// s.dataMu is held.
func (c *conversation) addMember(p volcim.Participant) *member {
	p.ConversationShortID = c.info.ConversationShortID
	p.Ext = maps.Clone(p.Ext)
	p.Marks = slices.Clone(p.Marks)
	if c.members.byUser == nil {
		c.members.byUser = make(map[int64]*member)
	}
	if m, ok := c.members.byUser[p.UserID]; ok {
		m.p = p
		return m
	}
	m := &member{p: p}
	c.members.byUser[p.UserID] = m
	c.members.order = append(c.members.order, p.UserID)
	return m
}

// removeMember removes a member; it reports whether there was one. s.dataMu
// is held.
func (c *conversation) removeMember(user int64) bool {
	if _, ok := c.members.byUser[user]; !ok {
		return false
	}
	delete(c.members.byUser, user)
	c.members.order = slices.DeleteFunc(c.members.order, func(id int64) bool { return id == user })
	return true
}

// AddParticipants adds members to conversation conversationShortID of app
// appID, as BatchAddConversationParticipant would, and creates a group for
// it if it does not exist. A member already there is replaced (keeping its
// read index). Once a conversation has members, only they may send into it
// (SendMessage answers ParticipantNotInConversation to anybody else). The
// participants are copied; their ConversationShortID is set.
//
// It panics if appID, conversationShortID or a participant's UserID is not
// positive.
func (s *Server) AddParticipants(appID, conversationShortID int64, ps ...volcim.Participant) {
	if appID <= 0 || conversationShortID <= 0 {
		panic(fmt.Sprintf("volcimtest: AddParticipants: appID %d and conversationShortID %d must be positive", appID, conversationShortID))
	}
	for _, p := range ps {
		if p.UserID <= 0 {
			panic(fmt.Sprintf("volcimtest: AddParticipants: UserID %d must be positive", p.UserID))
		}
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	k := convKey{appID, conversationShortID}
	conv, ok := s.convs[k]
	if !ok {
		conv = &conversation{info: volcim.Conversation{AppID: appID, ConversationShortID: conversationShortID, ConversationType: volcim.ConversationGroup}}
		s.convs[k] = conv
	}
	for _, p := range ps {
		conv.addMember(p)
	}
}

// participantCodes are the codes only this area answers (CodeN 730001 upwards).
var participantCodes = map[string]codeInfo{}
