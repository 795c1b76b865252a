package volcimtest

// participantHandlers answers the member actions.
var participantHandlers = map[string]handler{}

// memberData is a conversation's members.
type memberData struct{}

// isMember reports whether user is a member of c. A conversation that has
// no member recorded (one seeded with AddConversation or AddMessages)
// accepts everybody.
func (c *conversation) isMember(user int64) bool { return true }

// participantCodes are the codes only this area answers (CodeN 730001 upwards).
var participantCodes = map[string]codeInfo{}
