package volcim

import (
	"context"
	"strconv"
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
	const action = actionBatchGetConversations
	if req == nil {
		return nil, invalid(action, "", "nil request")
	}
	cc, appID, err := c.callSettings(action, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkIDList(action, "ConversationShortIDs", req.ConversationShortIDs); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+20*len(req.ConversationShortIDs))
	b = append(b, `{"AppId":`...)
	b = strconv.AppendInt(b, appID, 10)
	b = append(b, `,"ConversationShortId":`...)
	b = appendIntList(b, req.ConversationShortIDs)
	if req.IncludeMemberCount {
		b = append(b, `,"SkipMemberCount":false}`...)
	} else {
		b = append(b, `,"SkipMemberCount":true}`...)
	}

	res := wireConversations{ConversationCoreInfos: withRoom[wireConversation](len(req.ConversationShortIDs))}
	meta, err := invoke(ctx, c, action, &cc, b, &res)
	if err != nil {
		return nil, err
	}
	var convs []Conversation
	if infos := decodedList(res.ConversationCoreInfos); infos != nil {
		convs = make([]Conversation, len(infos))
		for i := range infos {
			convs[i] = infos[i].conversation()
		}
	}
	return &BatchGetConversationsResponse{ResponseMetadata: meta, Conversations: convs}, nil
}
