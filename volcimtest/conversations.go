package volcimtest

import (
	"fmt"

	volcim "github.com/volcim/volcim-go"
)

// Names of the conversation actions.
const (
	actionBatchGetConversations = "BatchGetConversations"
)

// conversationHandlers answers the conversation actions.
var conversationHandlers = map[string]handler{
	actionBatchGetConversations: (*Server).batchGetConversations,
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

// convData is the per-conversation state of the conversation actions.
type convData struct{}

// convIndexData is the server-wide state of the conversation actions.
type convIndexData struct{}

// conversationCodes are the codes only this area answers (CodeN 720001 upwards).
var conversationCodes = map[string]codeInfo{}
