package volcim

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/volcim/volcim-go/pagination"
)

// The conversation actions (API area "conversations") and their retry
// classes.
var (
	actBatchGetConversations     = defineAction(actionBatchGetConversations, retryRead, true)
	actCreateConversation        = defineAction(actionCreateConversation, retryKeyed, true)
	actModifyConversation        = defineAction(actionModifyConversation, retryConverges, false)
	actDestroyConversation       = defineAction(actionDestroyConversation, retryConverges, false)
	actGetUserConversations      = defineAction(actionGetUserConversations, retryRead, true)
	actGetConversationSetting    = defineAction(actionGetConversationSetting, retryRead, true)
	actModifyConversationSetting = defineAction(actionModifyConversationSetting, retryConverges, false)
	actMarkConversation          = defineAction(actionMarkConversation, retryConverges, false)
	actGetConversationMarks      = defineAction(actionGetConversationMarks, retryRead, true)
	actGetConversationUserCount  = defineAction(actionGetConversationUserCount, retryRead, true)
)

// Names of the conversation actions.
const (
	actionBatchGetConversations     = "BatchGetConversations"
	actionCreateConversation        = "CreateConversation"
	actionModifyConversation        = "ModifyConversation"
	actionDestroyConversation       = "DestroyConversation"
	actionGetUserConversations      = "GetUserConversations"
	actionGetConversationSetting    = "GetConversationSetting"
	actionModifyConversationSetting = "ModifyConversationSetting"
	actionMarkConversation          = "MarkConversation"
	actionGetConversationMarks      = "GetConversationMarks"
	actionGetConversationUserCount  = "GetConversationUserCount"
)

// Limits of the conversation actions.
const (
	// MaxConversationsPageSize is the most conversations
	// GetUserConversations returns per call (its Limit), as the API
	// documents.
	MaxConversationsPageSize = 20
	// MaxConversationMarks is the most marks a live group may carry, as
	// the API documents (MarkConversation answers
	// CodeConversationMarkTypeMoreThanLimit beyond it). A MarkConversation
	// request with more mark types fails before the network.
	MaxConversationMarks = 20
	// MaxLiveGroupsPerApp is the most live groups an app may have, as the
	// API documents. The client cannot count them: CreateConversation of
	// one more fails on the server (the code it answers is not documented).
	MaxLiveGroupsPerApp = 200
)

// Error codes the conversation actions answer, from the API's list of
// error codes (https://www.volcengine.com/docs/6348/412253).
const (
	// CodeCreateSingleConversationNeedOtherParticipantID: a one-to-one
	// conversation needs OtherUserID (the client checks it first).
	CodeCreateSingleConversationNeedOtherParticipantID = "CreateSingleConversationNeedOtherParticipantId"
	// CodeSingleConversationNotSupport: the action does not apply to a
	// one-to-one conversation (DestroyConversation, member changes).
	CodeSingleConversationNotSupport = "SingleConversationNotSupport"
	// CodeOnlySingleConversationSupport: the action applies only to a
	// one-to-one conversation.
	CodeOnlySingleConversationSupport = "OnlySingleConversationSupport"
	// CodeOnlyOwnerCanOperator: only the conversation's owner may do this
	// (DestroyConversation).
	CodeOnlyOwnerCanOperator = "OnlyOwnerCanOperator"
	// CodeConversationMarkTypeMoreThanLimit: a live group would carry more
	// than MaxConversationMarks marks.
	CodeConversationMarkTypeMoreThanLimit = "ConversationMarkTypeMoreThanLimit"
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
// shared with every client of the access key; API page
// https://www.volcengine.com/docs/6348/337118).
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

// checkUser checks a user given by numeric id or, for apps whose user ids
// are strings, by its string twin: one of them is required and the id must
// not be negative.
func checkUser(a *apiAction, field string, id int64, str string) error {
	if id < 0 || id == 0 && str == "" {
		return a.invalid(field, "must be positive (or %sStr set), got %d", field, id)
	}
	return nil
}

// CreateConversationRequest creates a conversation: a one-to-one
// conversation, a group or a live group.
type CreateConversationRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationType is the kind of conversation to create
	// (ConversationOneToOne, ConversationGroup or ConversationLiveGroup),
	// required.
	ConversationType ConversationType
	// Name is the conversation's name, optional.
	Name string
	// AvatarURL is the URL of the conversation's picture, optional.
	AvatarURL string
	// Description is the conversation's description, optional.
	Description string
	// Notice is the conversation's notice (announcement), optional.
	Notice string
	// Ext is the conversation's extension fields, optional.
	Ext map[string]string
	// OwnerUserID is the owner (of a one-to-one conversation: one of the
	// two users). It or OwnerUserIDStr is required.
	OwnerUserID int64
	// OwnerUserIDStr is the owner for apps whose user ids are strings (set
	// instead of OwnerUserID).
	OwnerUserIDStr string
	// OtherUserID is the other user of a one-to-one conversation, required
	// for one (or OtherUserIDStr) and refused for the other kinds.
	OtherUserID int64
	// OtherUserIDStr is the other user for apps whose user ids are strings
	// (set instead of OtherUserID); refused, like it, for a group or a live
	// group.
	OtherUserIDStr string
	// IdempotentID is the idempotency key: the server does not create two
	// conversations for one key, and answers the first with Exist true.
	// Leave it empty and, for a group or a live group, the client fills a
	// random UUID so that its own retries never create a second group; the
	// response gives the key used. Set it to retry safely across
	// processes.
	//
	// For a one-to-one conversation the client leaves an empty key empty:
	// the server then derives the key from the two users, so that two
	// users have a single one-to-one conversation however often it is
	// created (retries included). A key of your own replaces that rule, as
	// the API page warns: two different keys for the same two users make
	// two conversations.
	IdempotentID string
	// InboxType isolates conversations logically; zero is the server's
	// default inbox.
	InboxType int32
}

// CreateConversationResponse is the reply of CreateConversation.
type CreateConversationResponse struct {
	ResponseMetadata
	// ConversationShortID is the conversation's id, the one every other
	// action takes.
	ConversationShortID int64
	// ConversationID is the conversation's older string id.
	ConversationID string
	// Exist reports that the conversation existed already (same
	// IdempotentID, or the same two users of a one-to-one conversation):
	// nothing was created, and Conversation is the existing one.
	Exist bool
	// Conversation is the conversation created (or found).
	Conversation Conversation
	// IdempotentID is the key the request was sent with: the request's,
	// the one the client filled, or "" for a one-to-one conversation
	// created without one.
	IdempotentID string
}

type wireCreateConversation struct {
	AppID                int64                `json:"AppId"`
	ConversationCoreInfo wireConversationCore `json:"ConversationCoreInfo"`
	OwnerUserID          int64                `json:"OwnerUserId"`
	OwnerUserIDStr       string               `json:"OwnerUserIdStr,omitempty"`
	IdempotentID         string               `json:"IdempotentId,omitempty"`
	InboxType            int32                `json:"InboxType,omitempty"`
	OtherUserID          int64                `json:"OtherUserId,omitempty"`
	OtherUserIDStr       string               `json:"OtherUserIdStr,omitempty"`
}

type wireConversationCore struct {
	ConversationType ConversationType  `json:"ConversationType"`
	AvatarURL        string            `json:"AvatarUrl,omitempty"`
	Description      string            `json:"Description,omitempty"`
	Ext              map[string]string `json:"Ext,omitempty"`
	Name             string            `json:"Name,omitempty"`
	Notice           string            `json:"Notice,omitempty"`
}

type wireCreateConversationResult struct {
	ConversationInfo    wireConversation `json:"ConversationInfo"`
	ConversationID      string           `json:"ConversationId"`
	ConversationShortID int64            `json:"ConversationShortId"`
	Exist               bool             `json:"Exist"`
}

// CreateConversation creates a one-to-one conversation, a group or a live
// group (action CreateConversation, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/337013). Its limit is 50 calls per
// second (DefaultRates); an app has at most MaxLiveGroupsPerApp (200) live
// groups, and a normal group at most MaxGroupMembers (200) members.
//
// The owner (and the other user of a one-to-one conversation) is a member
// of the new conversation; add the others with
// BatchAddConversationParticipant.
//
// Retries are safe: a group or live group carries an idempotency key
// (IdempotentID, a random UUID when the request leaves it empty) and a
// one-to-one conversation the key the server derives from its two users, so
// a retry after a lost reply answers the conversation created the first
// time (Exist true) instead of creating a second.
//
// A nil request, a zero AppID (after WithAppID), a ConversationType other
// than the three documented, no OwnerUserID (nor OwnerUserIDStr), a
// one-to-one conversation without OtherUserID (nor OtherUserIDStr), or
// another kind with one, or a negative id returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) CreateConversation(ctx context.Context, req *CreateConversationRequest, opts ...CallOption) (*CreateConversationResponse, error) {
	a := actCreateConversation
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	oneToOne := req.ConversationType == ConversationOneToOne
	switch req.ConversationType {
	case ConversationOneToOne, ConversationGroup, ConversationLiveGroup:
	default:
		return nil, a.invalid("ConversationType", "must be ConversationOneToOne (1), ConversationGroup (2) or ConversationLiveGroup (100), got %d", req.ConversationType)
	}
	if err := checkUser(a, "OwnerUserID", req.OwnerUserID, req.OwnerUserIDStr); err != nil {
		return nil, err
	}
	switch {
	case oneToOne:
		if err := checkUser(a, "OtherUserID", req.OtherUserID, req.OtherUserIDStr); err != nil {
			return nil, err
		}
	case req.OtherUserID != 0 || req.OtherUserIDStr != "":
		return nil, a.invalid("OtherUserID", "is only for a one-to-one conversation, not a %s", req.ConversationType)
	}
	key := req.IdempotentID
	if key == "" && !oneToOne {
		key = newUUID()
	}
	res, meta, err := call[wireCreateConversationResult](ctx, c, a, &cc, &wireCreateConversation{
		AppID: appID,
		ConversationCoreInfo: wireConversationCore{
			ConversationType: req.ConversationType,
			AvatarURL:        req.AvatarURL,
			Description:      req.Description,
			Ext:              req.Ext,
			Name:             req.Name,
			Notice:           req.Notice,
		},
		OwnerUserID:    req.OwnerUserID,
		OwnerUserIDStr: req.OwnerUserIDStr,
		IdempotentID:   key,
		InboxType:      req.InboxType,
		OtherUserID:    req.OtherUserID,
		OtherUserIDStr: req.OtherUserIDStr,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &CreateConversationResponse{
		ResponseMetadata:    meta,
		ConversationShortID: res.ConversationShortID,
		ConversationID:      res.ConversationID,
		Exist:               res.Exist,
		Conversation:        res.ConversationInfo.conversation(),
		IdempotentID:        key,
	}, nil
}

// ModifyConversationRequest changes a conversation's core info. Fields left
// nil (or zero) are not changed.
type ModifyConversationRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation to change, required.
	ConversationShortID int64
	// Name, when not nil, replaces the conversation's name;
	// volcim.Ptr("") sends an empty value.
	Name *string
	// AvatarURL, when not nil, replaces the URL of the conversation's
	// picture; volcim.Ptr("") sends an empty value.
	AvatarURL *string
	// Description, when not nil, replaces the conversation's description;
	// volcim.Ptr("") sends an empty value.
	Description *string
	// Notice, when not nil, replaces the conversation's notice;
	// volcim.Ptr("") sends an empty value.
	Notice *string
	// Ext, when not empty, is sent as the conversation's extension fields.
	Ext map[string]string
	// OwnerUserID, when not zero, transfers the conversation to that user.
	OwnerUserID int64
	// OwnerUserIDStr, when not empty, transfers the conversation to that
	// user, for apps whose user ids are strings.
	OwnerUserIDStr string
}

// ModifyConversationResponse is the reply of ModifyConversation: the API
// documents no result.
type ModifyConversationResponse struct {
	ResponseMetadata
}

type wireModifyConversation struct {
	AppID                int64                      `json:"AppId"`
	ConversationCoreInfo wireModifyConversationCore `json:"ConversationCoreInfo"`
}

type wireModifyConversationCore struct {
	ConversationShortID int64             `json:"ConversationShortId"`
	AvatarURL           *string           `json:"AvatarUrl,omitempty"`
	Description         *string           `json:"Description,omitempty"`
	Ext                 map[string]string `json:"Ext,omitempty"`
	Name                *string           `json:"Name,omitempty"`
	Notice              *string           `json:"Notice,omitempty"`
	OwnerUserID         int64             `json:"OwnerUserId,omitempty"`
	OwnerUserIDStr      string            `json:"OwnerUserIdStr,omitempty"`
}

// ModifyConversation changes a conversation's name, avatar, description,
// notice, extension fields or owner (action ModifyConversation, version
// 2020-12-01; API page https://www.volcengine.com/docs/6348/337115). Its
// limit is 50 calls per second (DefaultRates).
//
// It is retried like a read: setting the same values twice leaves the same
// conversation.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive or a negative OwnerUserID returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) ModifyConversation(ctx context.Context, req *ModifyConversationRequest, opts ...CallOption) (*ModifyConversationResponse, error) {
	a := actModifyConversation
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	if req.OwnerUserID < 0 {
		return nil, a.invalid("OwnerUserID", "must not be negative, got %d", req.OwnerUserID)
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireModifyConversation{
		AppID: appID,
		ConversationCoreInfo: wireModifyConversationCore{
			ConversationShortID: req.ConversationShortID,
			AvatarURL:           req.AvatarURL,
			Description:         req.Description,
			Ext:                 req.Ext,
			Name:                req.Name,
			Notice:              req.Notice,
			OwnerUserID:         req.OwnerUserID,
			OwnerUserIDStr:      req.OwnerUserIDStr,
		},
	}, 1)
	if err != nil {
		return nil, err
	}
	return &ModifyConversationResponse{ResponseMetadata: meta}, nil
}

// DestroyConversationRequest dismisses a group or a live group.
type DestroyConversationRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation to dismiss, required.
	ConversationShortID int64
	// OwnerUserID is the conversation's owner; it or OwnerUserIDStr is
	// required: only the owner may dismiss.
	OwnerUserID int64
	// OwnerUserIDStr is the owner for apps whose user ids are strings (set
	// instead of OwnerUserID).
	OwnerUserIDStr string
}

// DestroyConversationResponse is the reply of DestroyConversation: the API
// documents no result.
type DestroyConversationResponse struct {
	ResponseMetadata
}

type wireDestroyConversation struct {
	AppID               int64  `json:"AppId"`
	ConversationShortID int64  `json:"ConversationShortId"`
	OwnerUserID         int64  `json:"OwnerUserId"`
	OwnerUserIDStr      string `json:"OwnerUserIdStr,omitempty"`
}

// DestroyConversation dismisses a group or a live group (action
// DestroyConversation, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/337036). Its limit is 50 calls per
// second (DefaultRates). Only the owner may dismiss a conversation
// (otherwise CodeOnlyOwnerCanOperator), and a one-to-one conversation
// cannot be dismissed (CodeSingleConversationNotSupport). A dismissed
// conversation is no longer returned by BatchGetConversations nor
// GetUserConversations.
//
// It is retried like a read, since a retry leaves the same end state; but a
// retry of a call that had in fact succeeded answers the server's error for
// a conversation that is gone (CodeConversationNotFound, with
// APIError.Attempts > 1).
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, or no OwnerUserID (nor OwnerUserIDStr) returns an error
// wrapping ErrInvalidRequest before anything is sent.
func (c *Client) DestroyConversation(ctx context.Context, req *DestroyConversationRequest, opts ...CallOption) (*DestroyConversationResponse, error) {
	a := actDestroyConversation
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	if err := checkUser(a, "OwnerUserID", req.OwnerUserID, req.OwnerUserIDStr); err != nil {
		return nil, err
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireDestroyConversation{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		OwnerUserID:         req.OwnerUserID,
		OwnerUserIDStr:      req.OwnerUserIDStr,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &DestroyConversationResponse{ResponseMetadata: meta}, nil
}

// ConversationDataType says where GetUserConversations reads a user's
// conversations from, and in which order (the API's DataType). Values the
// SDK does not know survive decoding and encoding unchanged.
type ConversationDataType int32

// Data types of GetUserConversations.
const (
	// DataTypeCache reads the cache: the user's conversations, most
	// recently active first (the default).
	DataTypeCache ConversationDataType = 0
	// DataTypeDatabase reads the database: the user's conversations,
	// oldest first (by creation time).
	DataTypeDatabase ConversationDataType = 1
	// DataTypeLiveGroupsCreated reads the live groups the user created,
	// newest first.
	DataTypeLiveGroupsCreated ConversationDataType = 2
)

// String returns a short English name, or "ConversationDataType(N)" for an
// unknown value.
func (t ConversationDataType) String() string {
	switch t {
	case DataTypeCache:
		return "cache"
	case DataTypeDatabase:
		return "database"
	case DataTypeLiveGroupsCreated:
		return "live groups created"
	}
	return "ConversationDataType(" + itoa(int64(t)) + ")"
}

// GetUserConversationsRequest asks for one page of a user's conversations.
type GetUserConversationsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// UserID is the user whose conversations to list (the API's
	// ParticipantUserId); it or UserIDStr is required.
	UserID int64
	// UserIDStr is the user for apps whose user ids are strings (the API's
	// ParticipantUserIdStr), set instead of UserID.
	UserIDStr string
	// Cursor is where the page starts: 0 for the first page, then the
	// previous reply's NextCursor.
	Cursor int64
	// Limit is how many conversations to return: 1 to
	// MaxConversationsPageSize (20).
	Limit int
	// DataType says where to read and in which order; the zero value is
	// the server's default, DataTypeCache.
	DataType ConversationDataType
	// InboxType selects the inbox; zero is the server's default inbox.
	InboxType int32
	// SkipMemberCount leaves each conversation's MemberCount out. The
	// zero value matches the server's default here, which counts them
	// (unlike BatchGetConversations).
	SkipMemberCount bool
}

// GetUserConversationsResponse is one page of a user's conversations.
type GetUserConversationsResponse struct {
	ResponseMetadata
	// Conversations are the page's conversations.
	Conversations []Conversation
	// HasMore tells whether another page follows.
	HasMore bool
	// NextCursor is where the next page starts, when HasMore: pass it as
	// the next request's Cursor.
	NextCursor int64
}

type wireGetUserConversations struct {
	AppID                int64                `json:"AppId"`
	Cursor               int64                `json:"Cursor"`
	Limit                int                  `json:"Limit"`
	ParticipantUserID    int64                `json:"ParticipantUserId"`
	ParticipantUserIDStr string               `json:"ParticipantUserIdStr,omitempty"`
	DataType             ConversationDataType `json:"DataType,omitempty"`
	InboxType            int32                `json:"InboxType,omitempty"`
	SkipMemberCount      bool                 `json:"SkipMemberCount,omitempty"`
}

type wireUserConversations struct {
	ConversationInfos []wireConversation `json:"ConversationInfos"`
	HasMore           bool               `json:"HasMore"`
	NextCursor        int64              `json:"NextCursor"`
}

// GetUserConversations fetches one page of at most 20 of a user's
// conversations (action GetUserConversations, version 2020-12-01; at most
// 100 QPS per account, shared with every client of the access key; API
// page https://www.volcengine.com/docs/6348/337049). Dismissed
// conversations are not returned. To walk all of them, use
// UserConversations or UserConversationsPager, which follow HasMore and
// NextCursor for you.
//
// A nil request, a zero AppID (after WithAppID), no UserID (nor UserIDStr),
// a negative Cursor, a Limit outside 1 to 20 or a DataType outside 0 to 2
// returns an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) GetUserConversations(ctx context.Context, req *GetUserConversationsRequest, opts ...CallOption) (*GetUserConversationsResponse, error) {
	a := actGetUserConversations
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkUser(a, "UserID", req.UserID, req.UserIDStr); err != nil {
		return nil, err
	}
	switch {
	case req.Cursor < 0:
		return nil, a.invalid("Cursor", "must not be negative, got %d", req.Cursor)
	case req.Limit < 1 || req.Limit > MaxConversationsPageSize:
		return nil, a.invalid("Limit", "must be 1 to %d, got %d", MaxConversationsPageSize, req.Limit)
	case req.DataType < DataTypeCache || req.DataType > DataTypeLiveGroupsCreated:
		return nil, a.invalid("DataType", "must be 0 to 2, got %d", req.DataType)
	}
	res, meta, err := call[wireUserConversations](ctx, c, a, &cc, &wireGetUserConversations{
		AppID:                appID,
		Cursor:               req.Cursor,
		Limit:                req.Limit,
		ParticipantUserID:    req.UserID,
		ParticipantUserIDStr: req.UserIDStr,
		DataType:             req.DataType,
		InboxType:            req.InboxType,
		SkipMemberCount:      req.SkipMemberCount,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &GetUserConversationsResponse{
		ResponseMetadata: meta,
		Conversations:    toConversations(res.ConversationInfos),
		HasMore:          res.HasMore,
		NextCursor:       res.NextCursor,
	}, nil
}

// UserConversationsRequest describes a walk through a user's conversations,
// page by page, with GetUserConversations.
type UserConversationsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// UserID is the user whose conversations to walk; it or UserIDStr is
	// required.
	UserID int64
	// UserIDStr is the user for apps whose user ids are strings (set
	// instead of UserID).
	UserIDStr string
	// DataType says where to read and in which order, passed on to every
	// call (see GetUserConversationsRequest).
	DataType ConversationDataType
	// InboxType selects the inbox, passed on to every call; zero is the
	// server's default inbox.
	InboxType int32
	// SkipMemberCount leaves each conversation's MemberCount out, passed
	// on to every call (see GetUserConversationsRequest).
	SkipMemberCount bool
	// Cursor is where the walk starts: 0 for the beginning, or a cursor
	// saved from ConversationPager.Cursor to continue an earlier walk.
	Cursor int64
	// PageSize is how many conversations each call asks for: 1 to
	// MaxConversationsPageSize; 0 means MaxConversationsPageSize (20).
	PageSize int
	// Max stops the walk after this many conversations; 0 means all.
	Max int
	// MaxEmptyPages is how many empty pages in a row that say HasMore the
	// walk follows before it gives up with an error wrapping
	// pagination.ErrNoProgress; 0 means pagination.DefaultMaxEmptyPages
	// (10). It must not be negative.
	MaxEmptyPages int
}

// ConversationPager walks a user's conversations one page at a time; see
// Client.UserConversationsPager and the pagination package. Persist
// Cursor() after handling each page to resume later.
type ConversationPager = pagination.Pager[int64, Conversation]

// UserConversationsPager returns a pager over a user's conversations. Each
// Next makes one GetUserConversations call (at most 20 conversations; every
// call waits for the client's rate limiter, 100 QPS per action by default)
// and follows HasMore and NextCursor.
//
// The API calls the cursor the start position of the next batch but does
// not document its order, so the walk assumes none: it remembers its recent
// cursors (pagination.DefaultRecentCursors) and never loops. A reply that
// says HasMore is discarded and ends the walk for good with an error,
// Cursor staying at the page that produced it, when its NextCursor is
// negative (an error wrapping ErrMalformedReply and pagination.ErrBadCursor),
// equals the cursor asked for (pagination.ErrStalledCursor), is a cursor the
// walk has visited (pagination.ErrCursorCycle), or it is one empty page too
// many (pagination.ErrNoProgress).
//
// The request is checked at once: an error wrapping ErrInvalidRequest is
// returned before any call. opts apply to every page's call.
func (c *Client) UserConversationsPager(req *UserConversationsRequest, opts ...CallOption) (*ConversationPager, error) {
	a := actGetUserConversations
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	_, appID, err := c.settings(context.Background(), a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkUser(a, "UserID", req.UserID, req.UserIDStr); err != nil {
		return nil, err
	}
	pageSize := req.PageSize
	if pageSize == 0 {
		pageSize = MaxConversationsPageSize
	}
	switch {
	case pageSize < 1 || pageSize > MaxConversationsPageSize:
		return nil, a.invalid("PageSize", "must be 0 (for %d) or 1 to %d, got %d", MaxConversationsPageSize, MaxConversationsPageSize, req.PageSize)
	case req.DataType < DataTypeCache || req.DataType > DataTypeLiveGroupsCreated:
		return nil, a.invalid("DataType", "must be 0 to 2, got %d", req.DataType)
	case req.Max < 0:
		return nil, a.invalid("Max", "must not be negative, got %d", req.Max)
	case req.Cursor < 0:
		return nil, a.invalid("Cursor", "must not be negative, got %d", req.Cursor)
	case req.MaxEmptyPages < 0:
		return nil, a.invalid("MaxEmptyPages", "must not be negative, got %d", req.MaxEmptyPages)
	}
	base := GetUserConversationsRequest{
		AppID:           appID,
		UserID:          req.UserID,
		UserIDStr:       req.UserIDStr,
		DataType:        req.DataType,
		InboxType:       req.InboxType,
		SkipMemberCount: req.SkipMemberCount,
	}
	fetch := func(ctx context.Context, cursor int64, limit int) (pagination.Page[int64, Conversation], error) {
		r := base
		r.Cursor, r.Limit = cursor, limit
		resp, err := c.GetUserConversations(ctx, &r, opts...)
		if err != nil {
			return pagination.Page[int64, Conversation]{}, err
		}
		return pagination.Page[int64, Conversation]{Items: resp.Conversations, HasMore: resp.HasMore, Next: resp.NextCursor}, nil
	}
	// A negative NextCursor cannot be followed (GetUserConversations would
	// refuse it as the caller's ErrInvalidRequest): it is a bad reply.
	checkNext := func(next int64) (bool, error) {
		if next < 0 {
			return false, fmt.Errorf("%w: %s: negative NextCursor %d", ErrMalformedReply, a.name, next)
		}
		return true, nil
	}
	return pagination.New(fetch, pagination.Options[int64]{
		Start:         req.Cursor,
		PageSize:      pageSize,
		Max:           req.Max,
		MaxEmptyPages: req.MaxEmptyPages,
		CheckNext:     checkNext,
	})
}

// UserConversations iterates over a user's conversations, calling
// GetUserConversations page by page (at most 20 a call, under the client's
// rate limiter) and following HasMore and NextCursor:
//
//	for conv, err := range client.UserConversations(ctx, req) {
//		if err != nil {
//			return err
//		}
//		...
//	}
//
// An error (an invalid request, a failed call, a reply the walk cannot
// follow, a cancelled ctx) is yielded once and ends the iteration; breaking
// out of the loop stops at once with no further call. See
// UserConversationsPager for the walk's guards, and to checkpoint and
// resume.
func (c *Client) UserConversations(ctx context.Context, req *UserConversationsRequest, opts ...CallOption) iter.Seq2[Conversation, error] {
	p, err := c.UserConversationsPager(req, opts...)
	return walk[Conversation](ctx, p, err)
}

// ConversationSetting is one member's own settings of a conversation, as
// returned by GetConversationSetting (the API's ConversationSettingInfo).
// json.Marshal gives the wire form back (times in milliseconds), so
// settings can be archived and read again without loss.
type ConversationSetting struct {
	// AppID is the app the conversation belongs to.
	AppID int64
	// ConversationShortID is the conversation's id, the one most actions
	// take.
	ConversationShortID int64
	// ConversationID is the conversation's older string id.
	ConversationID string
	// ConversationType is the conversation's type.
	ConversationType ConversationType
	// InboxType is the conversation's inbox.
	InboxType int32
	// UserID is the member (the API's ParticipantUserId).
	UserID int64
	// UserIDStr is the member for apps whose user ids are strings (the
	// API's ParticipantUserIdStr; set instead of UserID, or too).
	UserIDStr string
	// ReadIndex is the IndexInConversation of the last message the member
	// has read; 0 when the request asked for none (NoReadIndex).
	ReadIndex int64
	// IsMute reports do-not-disturb.
	IsMute bool
	// IsStickTop reports that the conversation is stuck on top of the
	// member's list, since StickTopTime.
	IsStickTop bool
	// StickTopTime is when the conversation was stuck on top, to the
	// millisecond (UTC); zero when it is not.
	StickTopTime time.Time
	// IsSetFavorite reports that the member made the conversation a
	// favourite, at SetFavoriteTime.
	IsSetFavorite bool
	// SetFavoriteTime is when the member made the conversation a
	// favourite, to the millisecond (UTC); zero when it is not one.
	SetFavoriteTime time.Time
	// Ext is the member's extension fields for the conversation.
	Ext map[string]string
}

type wireConversationSetting struct {
	AppID                int64             `json:"AppId"`
	ConversationShortID  int64             `json:"ConversationShortId"`
	ConversationID       string            `json:"ConversationId"`
	ConversationType     ConversationType  `json:"ConversationType"`
	InboxType            int32             `json:"InboxType"`
	ParticipantUserID    int64             `json:"ParticipantUserId"`
	ParticipantUserIDStr string            `json:"ParticipantUserIdStr,omitempty"`
	ReadIndex            int64             `json:"ReadIndex"`
	StickTopTime         int64             `json:"StickTopTime"`
	Ext                  map[string]string `json:"Ext,omitempty"`
	IsMute               bool              `json:"IsMute"`
	IsSetFavorite        bool              `json:"IsSetFavorite"`
	IsStickTop           bool              `json:"IsStickTop"`
	SetFavoriteTime      int64             `json:"SetFavoriteTime"`
}

func (w *wireConversationSetting) setting() ConversationSetting {
	return ConversationSetting{
		AppID:               w.AppID,
		ConversationShortID: w.ConversationShortID,
		ConversationID:      w.ConversationID,
		ConversationType:    w.ConversationType,
		InboxType:           w.InboxType,
		UserID:              w.ParticipantUserID,
		UserIDStr:           w.ParticipantUserIDStr,
		ReadIndex:           w.ReadIndex,
		IsMute:              w.IsMute,
		IsStickTop:          w.IsStickTop,
		StickTopTime:        fromMillis(w.StickTopTime),
		IsSetFavorite:       w.IsSetFavorite,
		SetFavoriteTime:     fromMillis(w.SetFavoriteTime),
		Ext:                 w.Ext,
	}
}

func (s *ConversationSetting) wire() wireConversationSetting {
	return wireConversationSetting{
		AppID:                s.AppID,
		ConversationShortID:  s.ConversationShortID,
		ConversationID:       s.ConversationID,
		ConversationType:     s.ConversationType,
		InboxType:            s.InboxType,
		ParticipantUserID:    s.UserID,
		ParticipantUserIDStr: s.UserIDStr,
		ReadIndex:            s.ReadIndex,
		StickTopTime:         toMillis(s.StickTopTime),
		Ext:                  s.Ext,
		IsMute:               s.IsMute,
		IsSetFavorite:        s.IsSetFavorite,
		IsStickTop:           s.IsStickTop,
		SetFavoriteTime:      toMillis(s.SetFavoriteTime),
	}
}

// MarshalJSON encodes s in the API's wire form (times in milliseconds).
func (s ConversationSetting) MarshalJSON() ([]byte, error) {
	w := s.wire()
	return json.Marshal(&w)
}

// UnmarshalJSON decodes the API's wire form of a conversation setting.
func (s *ConversationSetting) UnmarshalJSON(data []byte) error {
	var w wireConversationSetting
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*s = w.setting()
	return nil
}

// GetConversationSettingRequest asks for a member's settings of a
// conversation.
type GetConversationSettingRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// UserID is the member (the API's ParticipantUserId); it or UserIDStr
	// is required.
	UserID int64
	// UserIDStr is the member for apps whose user ids are strings (the
	// API's ParticipantUserIdStr), set instead of UserID.
	UserIDStr string
	// NoReadIndex leaves the member's read index out of the reply
	// (ReadIndex 0). The zero value is the server's default, which
	// returns it.
	NoReadIndex bool
}

// GetConversationSettingResponse is the reply of GetConversationSetting.
type GetConversationSettingResponse struct {
	ResponseMetadata
	// Setting is the member's settings of the conversation.
	Setting ConversationSetting
}

type wireGetConversationSetting struct {
	AppID                int64  `json:"AppId"`
	ConversationShortID  int64  `json:"ConversationShortId"`
	ParticipantUserID    int64  `json:"ParticipantUserId"`
	ParticipantUserIDStr string `json:"ParticipantUserIdStr,omitempty"`
	NoReadIndex          bool   `json:"NoReadIndex,omitempty"`
}

type wireConversationSettingResult struct {
	ConversationSettingInfo wireConversationSetting `json:"ConversationSettingInfo"`
}

// GetConversationSetting fetches a member's own settings of a conversation:
// do-not-disturb, stick on top, favourite, extension fields and read index
// (action GetConversationSetting, version 2020-12-01; at most 100 QPS per
// account, shared with every client of the access key; API page
// https://www.volcengine.com/docs/6348/337014).
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, or no UserID (nor UserIDStr) returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) GetConversationSetting(ctx context.Context, req *GetConversationSettingRequest, opts ...CallOption) (*GetConversationSettingResponse, error) {
	a := actGetConversationSetting
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	if err := checkUser(a, "UserID", req.UserID, req.UserIDStr); err != nil {
		return nil, err
	}
	res, meta, err := call[wireConversationSettingResult](ctx, c, a, &cc, &wireGetConversationSetting{
		AppID:                appID,
		ConversationShortID:  req.ConversationShortID,
		ParticipantUserID:    req.UserID,
		ParticipantUserIDStr: req.UserIDStr,
		NoReadIndex:          req.NoReadIndex,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &GetConversationSettingResponse{ResponseMetadata: meta, Setting: res.ConversationSettingInfo.setting()}, nil
}

// ModifyConversationSettingRequest changes a member's own settings of a
// conversation. Fields left nil are not changed.
type ModifyConversationSettingRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// UserID is the member, required (the API has no string twin here).
	UserID int64
	// IsMute, when not nil, turns do-not-disturb on or off.
	IsMute *bool
	// StickTopTime, when not nil, changes when the conversation was stuck
	// on top of the member's list (sent in milliseconds with IsStickTop
	// true, which tells the server to change it): a time sticks it on top,
	// the zero time (volcim.Ptr(time.Time{})) takes it off.
	StickTopTime *time.Time
	// SetFavoriteTime, when not nil, changes when the member made the
	// conversation a favourite, the same way (sent with IsSetFavorite
	// true): a time makes it one, the zero time stops it being one.
	SetFavoriteTime *time.Time
	// Ext, when not empty, is sent as the member's extension fields.
	Ext map[string]string
}

// ModifyConversationSettingResponse is the reply of
// ModifyConversationSetting: the API documents no result.
type ModifyConversationSettingResponse struct {
	ResponseMetadata
}

type wireModifyConversationSetting struct {
	AppID                   int64             `json:"AppId"`
	ConversationSettingInfo wireSettingChange `json:"ConversationSettingInfo"`
}

type wireSettingChange struct {
	ConversationShortID int64             `json:"ConversationShortId"`
	ParticipantUserID   int64             `json:"ParticipantUserId"`
	Ext                 map[string]string `json:"Ext,omitempty"`
	IsMute              *bool             `json:"IsMute,omitempty"`
	IsSetFavorite       bool              `json:"IsSetFavorite,omitempty"`
	IsStickTop          bool              `json:"IsStickTop,omitempty"`
	SetFavoriteTime     *int64            `json:"SetFavoriteTime,omitempty"`
	StickTopTime        *int64            `json:"StickTopTime,omitempty"`
}

// ModifyConversationSetting changes a member's own settings of a
// conversation: do-not-disturb, stick on top, favourite and extension
// fields (action ModifyConversationSetting, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/337015). Its limit is 50 calls per
// second (DefaultRates).
//
// It is retried like a read: setting the same values twice leaves the same
// settings.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID or a
// UserID that is not positive, or a StickTopTime or SetFavoriteTime before
// 1970 returns an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) ModifyConversationSetting(ctx context.Context, req *ModifyConversationSettingRequest, opts ...CallOption) (*ModifyConversationSettingResponse, error) {
	a := actModifyConversationSetting
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	if req.UserID <= 0 {
		return nil, a.invalid("UserID", "must be positive, got %d", req.UserID)
	}
	info := wireSettingChange{
		ConversationShortID: req.ConversationShortID,
		ParticipantUserID:   req.UserID,
		Ext:                 req.Ext,
		IsMute:              req.IsMute,
	}
	for _, t := range []struct {
		field string
		at    *time.Time
		flag  *bool
		ms    **int64
	}{
		{"StickTopTime", req.StickTopTime, &info.IsStickTop, &info.StickTopTime},
		{"SetFavoriteTime", req.SetFavoriteTime, &info.IsSetFavorite, &info.SetFavoriteTime},
	} {
		if t.at == nil {
			continue
		}
		ms := toMillis(*t.at)
		if ms < 0 {
			return nil, a.invalid(t.field, "must not be before 1970, got %v", *t.at)
		}
		*t.flag, *t.ms = true, &ms
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireModifyConversationSetting{AppID: appID, ConversationSettingInfo: info}, 1)
	if err != nil {
		return nil, err
	}
	return &ModifyConversationSettingResponse{ResponseMetadata: meta}, nil
}

// MarkConversationRequest adds marks to a live group, or removes them.
type MarkConversationRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group, required.
	ConversationShortID int64
	// MarkTypes are the marks: 1 to MaxConversationMarks non-empty
	// strings.
	MarkTypes []string
	// MarkAction says whether to add or remove them; zero is the server's
	// default, MarkAdd.
	MarkAction MarkAction
	// Operator is the user who marks, optional.
	Operator int64
	// OperatorStr is the user who marks for apps whose user ids are
	// strings, optional (set instead of Operator).
	OperatorStr string
}

// MarkConversationResponse is the reply of MarkConversation: the API
// documents no result.
type MarkConversationResponse struct {
	ResponseMetadata
}

type wireMarkConversation struct {
	AppID               int64      `json:"AppId"`
	ConversationShortID int64      `json:"ConversationShortId"`
	MarkTypes           []string   `json:"MarkTypes"`
	MarkAction          MarkAction `json:"MarkAction,omitempty"`
	Operator            int64      `json:"Operator,omitempty"`
	OperatorStr         string     `json:"OperatorStr,omitempty"`
}

// MarkConversation adds marks to a live group, or removes them (action
// MarkConversation, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/1187904). Its limit is 50 calls per
// second (DefaultRates). Only live groups carry marks
// (CodeOnlyLiveConversationSupport otherwise), at most MaxConversationMarks
// (20) each (CodeConversationMarkTypeMoreThanLimit beyond).
//
// It is retried like a read: adding or removing the same marks twice
// leaves the same marks.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, no mark type, more than 20, an empty one, a MarkAction
// other than 0, MarkAdd or MarkDelete, or a negative Operator returns an
// error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) MarkConversation(ctx context.Context, req *MarkConversationRequest, opts ...CallOption) (*MarkConversationResponse, error) {
	a := actMarkConversation
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	switch {
	case len(req.MarkTypes) == 0:
		return nil, a.invalid("MarkTypes", "must not be empty")
	case len(req.MarkTypes) > MaxConversationMarks:
		return nil, a.invalid("MarkTypes", "has %d marks, more than the %d a live group may carry", len(req.MarkTypes), MaxConversationMarks)
	case req.MarkAction != 0 && req.MarkAction != MarkAdd && req.MarkAction != MarkDelete:
		return nil, a.invalid("MarkAction", "must be 0, MarkAdd (1) or MarkDelete (2), got %d", req.MarkAction)
	case req.Operator < 0:
		return nil, a.invalid("Operator", "must not be negative, got %d", req.Operator)
	}
	for i, m := range req.MarkTypes {
		if m == "" {
			return nil, a.invalid("MarkTypes", "[%d] must not be empty", i)
		}
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireMarkConversation{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		MarkTypes:           req.MarkTypes,
		MarkAction:          req.MarkAction,
		Operator:            req.Operator,
		OperatorStr:         req.OperatorStr,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &MarkConversationResponse{ResponseMetadata: meta}, nil
}

// GetConversationMarksRequest asks for a live group's marks.
type GetConversationMarksRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group, required.
	ConversationShortID int64
}

// GetConversationMarksResponse is the reply of GetConversationMarks.
type GetConversationMarksResponse struct {
	ResponseMetadata
	// MarkTypes are the live group's marks.
	MarkTypes []string
}

// wireConversationOnly is the body of the actions that take only a
// conversation.
type wireConversationOnly struct {
	AppID               int64 `json:"AppId"`
	ConversationShortID int64 `json:"ConversationShortId"`
}

type wireConversationMarks struct {
	MarkTypes []string `json:"MarkTypes"`
}

// GetConversationMarks fetches a live group's marks (action
// GetConversationMarks, version 2020-12-01; at most 100 QPS per account,
// shared with every client of the access key; API page
// https://www.volcengine.com/docs/6348/1187905). Only live groups carry
// marks (CodeOnlyLiveConversationSupport otherwise).
//
// A nil request, a zero AppID (after WithAppID) or a ConversationShortID
// that is not positive returns an error wrapping ErrInvalidRequest before
// anything is sent.
func (c *Client) GetConversationMarks(ctx context.Context, req *GetConversationMarksRequest, opts ...CallOption) (*GetConversationMarksResponse, error) {
	a := actGetConversationMarks
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	res, meta, err := call[wireConversationMarks](ctx, c, a, &cc, &wireConversationOnly{AppID: appID, ConversationShortID: req.ConversationShortID}, 1)
	if err != nil {
		return nil, err
	}
	return &GetConversationMarksResponse{ResponseMetadata: meta, MarkTypes: res.MarkTypes}, nil
}

// GetConversationUserCountRequest asks for the number of members of a
// conversation.
type GetConversationUserCountRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
}

// GetConversationUserCountResponse is the reply of GetConversationUserCount.
type GetConversationUserCountResponse struct {
	ResponseMetadata
	// Count is the number of members.
	Count int64
}

type wireUserCount struct {
	Count int64 `json:"Count"`
}

// GetConversationUserCount counts the members of a conversation (action
// GetConversationUserCount, version 2020-12-01; at most 100 QPS per
// account, shared with every client of the access key; API page
// https://www.volcengine.com/docs/6348/336997).
//
// A nil request, a zero AppID (after WithAppID) or a ConversationShortID
// that is not positive returns an error wrapping ErrInvalidRequest before
// anything is sent.
func (c *Client) GetConversationUserCount(ctx context.Context, req *GetConversationUserCountRequest, opts ...CallOption) (*GetConversationUserCountResponse, error) {
	a := actGetConversationUserCount
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	res, meta, err := call[wireUserCount](ctx, c, a, &cc, &wireConversationOnly{AppID: appID, ConversationShortID: req.ConversationShortID}, 1)
	if err != nil {
		return nil, err
	}
	return &GetConversationUserCountResponse{ResponseMetadata: meta, Count: res.Count}, nil
}
