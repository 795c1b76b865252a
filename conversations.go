package volcim

import (
	"context"
)

// The conversation actions (API area "conversations").
var (
	actBatchGetConversations = defineAction(actionBatchGetConversations, retryRead, true)
)

// Names of the conversation actions.
const (
	actionBatchGetConversations = "BatchGetConversations"
	actionCreateConversation    = "CreateConversation"
)

// BatchGetConversationsRequest asks for conversations by id.
type BatchGetConversationsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortIDs are the conversations wanted: 1 to MaxIDsPerCall
	// positive ids.
	ConversationShortIDs []int64
	// IncludeMemberCount asks the server to count each conversation's
	// members (sent as SkipMemberCount: false). The zero value matches the
	// server's default, which skips the count.
	IncludeMemberCount bool
}

// BatchGetConversationsResponse is the reply of BatchGetConversations.
type BatchGetConversationsResponse struct {
	ResponseMetadata
	// Conversations are those found. Dismissed conversations are never
	// returned, nor are ids that do not exist.
	Conversations []Conversation
}

type wireConversations struct {
	ConversationCoreInfos []wireConversation `json:"ConversationCoreInfos"`
}

// BatchGetConversations fetches conversations by id (action
// BatchGetConversations, version 2020-12-01; at most 100 QPS per account,
// shared with every client of the access key;
// API page "BatchGetConversations" of the RTC IM server
// API, https://www.volcengine.com/docs/6348).
//
// A nil request, a zero AppID (after WithAppID), or an empty, oversized
// (MaxIDsPerCall) or non-positive id list returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) BatchGetConversations(ctx context.Context, req *BatchGetConversationsRequest, opts ...CallOption) (*BatchGetConversationsResponse, error) {
	a := actBatchGetConversations
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkIDList(a, "ConversationShortIDs", req.ConversationShortIDs, MaxIDsPerCall); err != nil {
		return nil, err
	}
	res, meta, err := call[wireConversations](ctx, c, a, &cc, &wireBatchGetConversations{
		AppID:                appID,
		ConversationShortIDs: req.ConversationShortIDs,
		SkipMemberCount:      !req.IncludeMemberCount,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &BatchGetConversationsResponse{ResponseMetadata: meta, Conversations: toConversations(res.ConversationCoreInfos)}, nil
}

type wireBatchGetConversations struct {
	AppID                int64   `json:"AppId"`
	ConversationShortIDs []int64 `json:"ConversationShortId"`
	SkipMemberCount      bool    `json:"SkipMemberCount"`
}

func toConversations(w []wireConversation) []Conversation {
	if w == nil {
		return nil
	}
	out := make([]Conversation, len(w))
	for i := range w {
		out[i] = w[i].conversation()
	}
	return out
}
