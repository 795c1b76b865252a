package volcim

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"time"

	"github.com/volcim/volcim-go/pagination"
)

// The member actions (API area "participants") and their retry classes.
var (
	actBatchAddConversationParticipant    = defineAction(actionBatchAddConversationParticipant, retryConverges, true)
	actBatchDeleteConversationParticipant = defineAction(actionBatchDeleteConversationParticipant, retryConverges, true)
	actBatchModifyConversationParticipant = defineAction(actionBatchModifyConversationParticipant, retryConverges, true)
	actBatchGetConversationParticipant    = defineAction(actionBatchGetConversationParticipant, retryRead, true)
	actIsUserInConversation               = defineAction(actionIsUserInConversation, retryRead, true)
	actScanConversationParticipantList    = defineAction(actionScanConversationParticipantList, retryRead, true)
	actBatchAddManager                    = defineAction(actionBatchAddManager, retryConverges, true)
	actBatchRemoveManager                 = defineAction(actionBatchRemoveManager, retryConverges, true)
	actGetParticipantReadIndex            = defineAction(actionGetParticipantReadIndex, retryRead, true)
	actModifyParticipantReadIndex         = defineAction(actionModifyParticipantReadIndex, retryConverges, false)
	actQueryLiveParticipantStatus         = defineAction(actionQueryLiveParticipantStatus, retryRead, true)
)

// Names of the member actions.
const (
	actionBatchAddConversationParticipant    = "BatchAddConversationParticipant"
	actionBatchDeleteConversationParticipant = "BatchDeleteConversationParticipant"
	actionBatchModifyConversationParticipant = "BatchModifyConversationParticipant"
	actionBatchGetConversationParticipant    = "BatchGetConversationParticipant"
	actionIsUserInConversation               = "IsUserInConversation"
	actionScanConversationParticipantList    = "ScanConversationParticipantList"
	actionBatchAddManager                    = "BatchAddManager"
	actionBatchRemoveManager                 = "BatchRemoveManager"
	actionGetParticipantReadIndex            = "GetParticipantReadIndex"
	actionModifyParticipantReadIndex         = "ModifyParticipantReadIndex"
	actionQueryLiveParticipantStatus         = "QueryLiveParticipantStatus"
)

// Limits of the member actions.
const (
	// MaxGroupMembers is the most members a normal group may have, as the
	// API documents (BatchAddConversationParticipant answers
	// CodeConversationParticipantsMoreThanLimit beyond it). Live groups
	// hold 10,000 by default.
	MaxGroupMembers = 200
	// MaxParticipantsPerCall caps every list of users a member action
	// takes (members to add, delete, modify or get, managers, users whose
	// live status is asked). QueryLiveParticipantStatus documents it (the
	// server would silently answer only the first 200); for the others the
	// API documents no maximum, and no call on a normal group can need more
	// than its MaxGroupMembers. Split longer lists.
	MaxParticipantsPerCall = 200
	// MaxParticipantsPageSize is the most members
	// ScanConversationParticipantList returns per call (its Limit), as the
	// API documents.
	MaxParticipantsPageSize = 20
	// MaxParticipantIDsPageSize is the most members
	// ScanConversationParticipantList returns per call with OnlyUserIDs
	// (its Limit), as the API documents.
	MaxParticipantIDsPageSize = 50
)

// Error codes the member actions answer, from the API's list of error codes
// (https://www.volcengine.com/docs/6348/412253).
const (
	// CodeConversationParticipantsMoreThanLimit: the conversation would
	// have more members than its limit (MaxGroupMembers for a normal
	// group).
	CodeConversationParticipantsMoreThanLimit = "ConversationParticipantsMoreThanLimit"
	// CodeOwnerShouldBeEqual: a member given RoleOwner must be the
	// conversation's OwnerUserID (transfer ownership with
	// ModifyConversation).
	CodeOwnerShouldBeEqual = "OwnerShouldBeEqual"
	// CodeMoreThanUserConversationLimit: a user would join more groups
	// than allowed (500 by default).
	CodeMoreThanUserConversationLimit = "MoreThanUserConversationLimit"
	// CodeManagerMoreThanLimit: a live group would have more managers than
	// allowed (10 by default).
	CodeManagerMoreThanLimit = "ManagerMoreThanLimit"
)

// checkUsers checks a list of user ids and its string twin: together 1 to
// MaxParticipantsPerCall users, each id positive.
func checkUsers(a *apiAction, field string, ids []int64, strs []string) error {
	n := len(ids) + len(strs)
	switch {
	case n == 0:
		return a.invalid(field, "must not be empty (nor %sStr)", field)
	case n > MaxParticipantsPerCall:
		return a.invalid(field, "has %d users, more than the %d a call may take", n, MaxParticipantsPerCall)
	}
	for i, id := range ids {
		if id <= 0 {
			return a.invalid(field, "[%d] must be positive, got %d", i, id)
		}
	}
	for i, s := range strs {
		if s == "" {
			return a.invalid(field+"Str", "[%d] must not be empty", i)
		}
	}
	return nil
}

func checkOperator(a *apiAction, operator int64) error {
	if operator <= 0 {
		return a.invalid("Operator", "must be positive, got %d", operator)
	}
	return nil
}

// wireFailedUsers is the Result of the member writes.
type wireFailedUsers struct {
	FailedUserIDs []int64 `json:"FailedUserIds"`
}

// ParticipantToAdd is one member BatchAddConversationParticipant adds. Its
// zero fields are the server's defaults.
type ParticipantToAdd struct {
	// UserID is the user, required (positive).
	UserID int64
	// Role is the member's role; zero is RoleMember. RoleOwner requires
	// the user to be the conversation's OwnerUserID.
	Role ParticipantRole
	// NickName is the member's nickname in the conversation.
	NickName string
	// Level is the member's level in the conversation, an app-defined
	// number.
	Level int32
	// Ext is the member's extension fields in the conversation.
	Ext map[string]string
	// ReadIndex is the IndexInConversation of the last message the member
	// has read; zero means none.
	ReadIndex int64
}

type wireParticipantToAdd struct {
	ParticipantUserID int64             `json:"ParticipantUserId"`
	Ext               map[string]string `json:"Ext,omitempty"`
	Level             int32             `json:"Level,omitempty"`
	NickName          string            `json:"NickName,omitempty"`
	ReadIndex         int64             `json:"ReadIndex,omitempty"`
	Role              ParticipantRole   `json:"Role,omitempty"`
}

// BatchAddConversationParticipantRequest adds members to a conversation.
type BatchAddConversationParticipantRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// Operator is the user who adds them, required (the server does not
	// check the operator's rights).
	Operator int64
	// Participants are the members to add: 1 to MaxParticipantsPerCall.
	// A user who is a member already has its data overwritten.
	Participants []ParticipantToAdd
	// Barrier hides the conversation's earlier messages from the new
	// members. The zero value is the server's default, no barrier.
	Barrier bool
}

// BatchAddConversationParticipantResponse is the reply of
// BatchAddConversationParticipant.
type BatchAddConversationParticipantResponse struct {
	ResponseMetadata
	// Failed lists the users who were not added (the reply's
	// FailedUserIds); the call then also returns a *PartialFailureError
	// listing them.
	Failed []FailedItem
}

type wireBatchAddParticipants struct {
	AppID               int64                  `json:"AppId"`
	ConversationShortID int64                  `json:"ConversationShortId"`
	Operator            int64                  `json:"Operator"`
	ParticipantInfos    []wireParticipantToAdd `json:"ParticipantInfos"`
	Barrier             bool                   `json:"Barrier,omitempty"`
}

// BatchAddConversationParticipant adds members to a conversation, or
// overwrites the data of those who are members already (action
// BatchAddConversationParticipant, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/336991). Its limit is 50 calls per
// second (DefaultRates); a normal group holds at most MaxGroupMembers (200)
// members (CodeConversationParticipantsMoreThanLimit beyond, or the limit
// set in the console), and a user joins at most 500 groups.
//
// The users the server did not add are returned in resp.Failed, with an
// error wrapping ErrPartialFailure (a *PartialFailureError listing them):
// the others were added. See ErrPartialFailure.
//
// It is retried like a read: adding the same members twice leaves the same
// members.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID or an
// Operator that is not positive, no participant or more than 200, a
// participant whose UserID is not positive, whose Role is not one of the
// three documented or whose ReadIndex is negative returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) BatchAddConversationParticipant(ctx context.Context, req *BatchAddConversationParticipantRequest, opts ...CallOption) (*BatchAddConversationParticipantResponse, error) {
	a := actBatchAddConversationParticipant
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
	if err := checkOperator(a, req.Operator); err != nil {
		return nil, err
	}
	switch n := len(req.Participants); {
	case n == 0:
		return nil, a.invalid("Participants", "must not be empty")
	case n > MaxParticipantsPerCall:
		return nil, a.invalid("Participants", "has %d members, more than the %d a call may take", n, MaxParticipantsPerCall)
	}
	infos := make([]wireParticipantToAdd, len(req.Participants))
	for i, p := range req.Participants {
		switch {
		case p.UserID <= 0:
			return nil, a.invalid("Participants", "[%d].UserID must be positive, got %d", i, p.UserID)
		case p.Role < RoleMember || p.Role > RoleManager:
			return nil, a.invalid("Participants", "[%d].Role must be RoleMember (0), RoleOwner (1) or RoleManager (2), got %d", i, p.Role)
		case p.ReadIndex < 0:
			return nil, a.invalid("Participants", "[%d].ReadIndex must not be negative, got %d", i, p.ReadIndex)
		}
		infos[i] = wireParticipantToAdd{
			ParticipantUserID: p.UserID,
			Ext:               p.Ext,
			Level:             p.Level,
			NickName:          p.NickName,
			ReadIndex:         p.ReadIndex,
			Role:              p.Role,
		}
	}
	res, meta, err := call[wireFailedUsers](ctx, c, a, &cc, &wireBatchAddParticipants{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		Operator:            req.Operator,
		ParticipantInfos:    infos,
		Barrier:             req.Barrier,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := failedIDs(res.FailedUserIDs, nil)
	return &BatchAddConversationParticipantResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// BatchDeleteConversationParticipantRequest removes members from a
// conversation.
type BatchDeleteConversationParticipantRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// Operator is the user who removes them, required (the server does
	// not check the operator's rights).
	Operator int64
	// ParticipantUserIDs are the members to remove: 1 to
	// MaxParticipantsPerCall positive ids.
	ParticipantUserIDs []int64
}

// BatchDeleteConversationParticipantResponse is the reply of
// BatchDeleteConversationParticipant.
type BatchDeleteConversationParticipantResponse struct {
	ResponseMetadata
	// Failed lists the users who were not removed (the reply's
	// FailedUserIds); the call then also returns a *PartialFailureError
	// listing them.
	Failed []FailedItem
}

type wireBatchDeleteParticipants struct {
	AppID               int64   `json:"AppId"`
	ConversationShortID int64   `json:"ConversationShortId"`
	Operator            int64   `json:"Operator"`
	ParticipantUserIDs  []int64 `json:"ParticipantUserIds"`
}

// BatchDeleteConversationParticipant removes members from a conversation
// (action BatchDeleteConversationParticipant, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/336994). Its limit is 50 calls per
// second (DefaultRates).
//
// The users the server did not remove are returned in resp.Failed, with an
// error wrapping ErrPartialFailure (see ErrPartialFailure); the others are
// gone.
//
// It is retried like a read: removing the same members twice leaves the
// same members.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID or an
// Operator that is not positive, or an empty, oversized
// (MaxParticipantsPerCall) or non-positive id list returns an error
// wrapping ErrInvalidRequest before anything is sent.
func (c *Client) BatchDeleteConversationParticipant(ctx context.Context, req *BatchDeleteConversationParticipantRequest, opts ...CallOption) (*BatchDeleteConversationParticipantResponse, error) {
	a := actBatchDeleteConversationParticipant
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
	if err := checkOperator(a, req.Operator); err != nil {
		return nil, err
	}
	if err := checkIDList(a, "ParticipantUserIDs", req.ParticipantUserIDs, MaxParticipantsPerCall); err != nil {
		return nil, err
	}
	res, meta, err := call[wireFailedUsers](ctx, c, a, &cc, &wireBatchDeleteParticipants{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		Operator:            req.Operator,
		ParticipantUserIDs:  req.ParticipantUserIDs,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := failedIDs(res.FailedUserIDs, nil)
	return &BatchDeleteConversationParticipantResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// ParticipantUpdate is one member BatchModifyConversationParticipant
// changes. Fields left nil (or empty) are not changed.
type ParticipantUpdate struct {
	// UserID is the member, required (positive).
	UserID int64
	// Role, when not nil, is the member's new role.
	Role *ParticipantRole
	// NickName, when not nil, replaces the member's nickname;
	// volcim.Ptr("") sends an empty nickname.
	NickName *string
	// Level, when not nil, replaces the member's level (an app-defined
	// number).
	Level *int32
	// Ext, when not empty, is sent as the member's extension fields.
	Ext map[string]string
	// BlockTime, when not nil, mutes the member until that time (sent in
	// seconds; a fraction of a second is dropped), or lifts the mute for
	// the zero time (volcim.Ptr(time.Time{})).
	BlockTime *time.Time
}

type wireParticipantUpdate struct {
	ParticipantUserID int64             `json:"ParticipantUserId"`
	BlockTime         *int64            `json:"BlockTime,omitempty"`
	Ext               map[string]string `json:"Ext,omitempty"`
	Level             *int32            `json:"Level,omitempty"`
	NickName          *string           `json:"NickName,omitempty"`
	Role              *ParticipantRole  `json:"Role,omitempty"`
}

// BatchModifyConversationParticipantRequest changes members of a
// conversation.
type BatchModifyConversationParticipantRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// Operator is the user who changes them, required (the server does
	// not check the operator's rights).
	Operator int64
	// Participants are the changes: 1 to MaxParticipantsPerCall.
	Participants []ParticipantUpdate
}

// BatchModifyConversationParticipantResponse is the reply of
// BatchModifyConversationParticipant.
type BatchModifyConversationParticipantResponse struct {
	ResponseMetadata
	// Failed lists the members who were not changed (the reply's
	// FailedUserIds); the call then also returns a *PartialFailureError
	// listing them.
	Failed []FailedItem
}

type wireBatchModifyParticipants struct {
	AppID               int64                   `json:"AppId"`
	ConversationShortID int64                   `json:"ConversationShortId"`
	Operator            int64                   `json:"Operator"`
	ParticipantInfos    []wireParticipantUpdate `json:"ParticipantInfos"`
}

// BatchModifyConversationParticipant changes members of a conversation:
// role, nickname, level, extension fields, and mute (BlockTime, the time
// the mute ends) (action BatchModifyConversationParticipant, version
// 2020-12-01; API page https://www.volcengine.com/docs/6348/336995). Its
// limit is 50 calls per second (DefaultRates).
//
// The members the server did not change are returned in resp.Failed, with
// an error wrapping ErrPartialFailure (see ErrPartialFailure).
//
// It is retried like a read: setting the same values twice leaves the same
// members.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID or an
// Operator that is not positive, no participant or more than 200, or a
// participant whose UserID is not positive, whose Role is not one of the
// three documented or whose BlockTime is before 1970 returns an error
// wrapping ErrInvalidRequest before anything is sent.
func (c *Client) BatchModifyConversationParticipant(ctx context.Context, req *BatchModifyConversationParticipantRequest, opts ...CallOption) (*BatchModifyConversationParticipantResponse, error) {
	a := actBatchModifyConversationParticipant
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
	if err := checkOperator(a, req.Operator); err != nil {
		return nil, err
	}
	switch n := len(req.Participants); {
	case n == 0:
		return nil, a.invalid("Participants", "must not be empty")
	case n > MaxParticipantsPerCall:
		return nil, a.invalid("Participants", "has %d members, more than the %d a call may take", n, MaxParticipantsPerCall)
	}
	infos := make([]wireParticipantUpdate, len(req.Participants))
	for i, p := range req.Participants {
		switch {
		case p.UserID <= 0:
			return nil, a.invalid("Participants", "[%d].UserID must be positive, got %d", i, p.UserID)
		case p.Role != nil && (*p.Role < RoleMember || *p.Role > RoleManager):
			return nil, a.invalid("Participants", "[%d].Role must be RoleMember (0), RoleOwner (1) or RoleManager (2), got %d", i, *p.Role)
		}
		w := wireParticipantUpdate{
			ParticipantUserID: p.UserID,
			Ext:               p.Ext,
			Level:             p.Level,
			NickName:          p.NickName,
			Role:              p.Role,
		}
		if p.BlockTime != nil {
			s := toSeconds(*p.BlockTime)
			if s < 0 {
				return nil, a.invalid("Participants", "[%d].BlockTime must not be before 1970, got %v", i, *p.BlockTime)
			}
			w.BlockTime = &s
		}
		infos[i] = w
	}
	res, meta, err := call[wireFailedUsers](ctx, c, a, &cc, &wireBatchModifyParticipants{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		Operator:            req.Operator,
		ParticipantInfos:    infos,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := failedIDs(res.FailedUserIDs, nil)
	return &BatchModifyConversationParticipantResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// BatchGetConversationParticipantRequest asks for members of a conversation
// by user id.
type BatchGetConversationParticipantRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// ParticipantUserIDs are the members wanted: 1 to
	// MaxParticipantsPerCall positive ids.
	ParticipantUserIDs []int64
}

// BatchGetConversationParticipantResponse is the reply of
// BatchGetConversationParticipant.
type BatchGetConversationParticipantResponse struct {
	ResponseMetadata
	// Participants are the members found; users who are not members are
	// left out.
	Participants []Participant
}

type wireParticipantIDs struct {
	AppID               int64   `json:"AppId"`
	ConversationShortID int64   `json:"ConversationShortId"`
	ParticipantUserIDs  []int64 `json:"ParticipantUserIds"`
}

type wireParticipants struct {
	Participants []wireParticipant `json:"Participants"`
}

// BatchGetConversationParticipant fetches members of a conversation by user
// id (action BatchGetConversationParticipant, version 2020-12-01; at most
// 100 QPS per account, shared with every client of the access key; API page
// https://www.volcengine.com/docs/6348/336992).
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, or an empty, oversized (MaxParticipantsPerCall) or
// non-positive id list returns an error wrapping ErrInvalidRequest before
// anything is sent.
func (c *Client) BatchGetConversationParticipant(ctx context.Context, req *BatchGetConversationParticipantRequest, opts ...CallOption) (*BatchGetConversationParticipantResponse, error) {
	a := actBatchGetConversationParticipant
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
	if err := checkIDList(a, "ParticipantUserIDs", req.ParticipantUserIDs, MaxParticipantsPerCall); err != nil {
		return nil, err
	}
	res, meta, err := call[wireParticipants](ctx, c, a, &cc, &wireParticipantIDs{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		ParticipantUserIDs:  req.ParticipantUserIDs,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &BatchGetConversationParticipantResponse{ResponseMetadata: meta, Participants: toParticipants(res.Participants)}, nil
}

// IsUserInConversationRequest asks whether a user is a member of a
// conversation.
type IsUserInConversationRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// UserID is the user, required (the API has no string twin here).
	UserID int64
}

// IsUserInConversationResponse is the reply of IsUserInConversation.
type IsUserInConversationResponse struct {
	ResponseMetadata
	// InConversation reports whether the user is a member.
	InConversation bool
}

type wireIsUserInConversation struct {
	AppID               int64 `json:"AppId"`
	ConversationShortID int64 `json:"ConversationShortId"`
	ParticipantUserID   int64 `json:"ParticipantUserId"`
}

type wireIsUserInConversationResult struct {
	IsUserInConversation bool `json:"IsUserInConversation"`
}

// IsUserInConversation tells whether a user is a member of a conversation
// (action IsUserInConversation, version 2020-12-01; at most 100 QPS per
// account, shared with every client of the access key; API page
// https://www.volcengine.com/docs/6348/336996).
//
// A nil request, a zero AppID (after WithAppID), or a ConversationShortID or
// UserID that is not positive returns an error wrapping ErrInvalidRequest
// before anything is sent.
func (c *Client) IsUserInConversation(ctx context.Context, req *IsUserInConversationRequest, opts ...CallOption) (*IsUserInConversationResponse, error) {
	a := actIsUserInConversation
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
	res, meta, err := call[wireIsUserInConversationResult](ctx, c, a, &cc, &wireIsUserInConversation{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		ParticipantUserID:   req.UserID,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &IsUserInConversationResponse{ResponseMetadata: meta, InConversation: res.IsUserInConversation}, nil
}

// ScanConversationParticipantListRequest asks for one page of a
// conversation's members.
type ScanConversationParticipantListRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// Cursor is where the page starts: 0 for the first page, then the
	// previous reply's NextCursor. The reply's cursor is an int32, so a
	// Cursor beyond math.MaxInt32 is refused.
	Cursor int64
	// Limit is how many members to return: 1 to MaxParticipantsPageSize
	// (20), or to MaxParticipantIDsPageSize (50) with OnlyUserIDs.
	Limit int
	// Reverse lists the members from the last to join to the first. The
	// zero value is the server's default, first to join first.
	Reverse bool
	// OnlyUserIDs returns the members' user ids only (the other fields of
	// each Participant are left zero), up to 50 a page.
	OnlyUserIDs bool
	// OnlineOnly (the API's ScanOnlineParticipant) lists, in a live group,
	// the members online (owner and managers included), last to join
	// first; Reverse and OnlyUserIDs then have no effect, and other
	// conversations return none. Without it, a live group lists only its
	// owner and managers.
	OnlineOnly bool
	// MarkType, when set, lists only the online members of a live group
	// that carry this mark.
	MarkType string
}

// ScanConversationParticipantListResponse is one page of a conversation's
// members.
type ScanConversationParticipantListResponse struct {
	ResponseMetadata
	// Participants are the page's members.
	Participants []Participant
	// HasMore tells whether another page follows.
	HasMore bool
	// NextCursor is where the next page starts: pass it as the next
	// request's Cursor (negative when there is no more).
	NextCursor int64
}

type wireScanParticipants struct {
	AppID                 int64  `json:"AppId"`
	ConversationShortID   int64  `json:"ConversationShortId"`
	Cursor                int64  `json:"Cursor"`
	Limit                 int    `json:"Limit"`
	MarkType              string `json:"MarkType,omitempty"`
	OnlyUserIDs           bool   `json:"OnlyUserIds,omitempty"`
	Reverse               bool   `json:"Reverse,omitempty"`
	ScanOnlineParticipant bool   `json:"ScanOnlineParticipant,omitempty"`
}

type wireParticipantPage struct {
	HasMore bool `json:"HasMore"`
	// NextCursor is an int32 in the API's model; decoding it as an int64
	// accepts every int32 and loses nothing.
	NextCursor   int64             `json:"NextCursor"`
	Participants []wireParticipant `json:"Participants"`
}

// ScanConversationParticipantList fetches one page of a conversation's
// members, in the order they joined (action ScanConversationParticipantList,
// version 2020-12-01; at most 100 QPS per account, shared with every client
// of the access key; API page https://www.volcengine.com/docs/6348/336993).
// To walk all of them, use ConversationParticipants or
// ConversationParticipantsPager, which follow HasMore and NextCursor for
// you.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, a Cursor outside 0 to math.MaxInt32, or a Limit outside
// 1 to 20 (1 to 50 with OnlyUserIDs) returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) ScanConversationParticipantList(ctx context.Context, req *ScanConversationParticipantListRequest, opts ...CallOption) (*ScanConversationParticipantListResponse, error) {
	a := actScanConversationParticipantList
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
	maxLimit := participantPageMax(req.OnlyUserIDs)
	switch {
	case req.Cursor < 0 || req.Cursor > math.MaxInt32:
		return nil, a.invalid("Cursor", "must be 0 to %d (the reply's cursor is an int32), got %d", math.MaxInt32, req.Cursor)
	case req.Limit < 1 || req.Limit > maxLimit:
		return nil, a.invalid("Limit", "must be 1 to %d, got %d", maxLimit, req.Limit)
	}
	res, meta, err := call[wireParticipantPage](ctx, c, a, &cc, &wireScanParticipants{
		AppID:                 appID,
		ConversationShortID:   req.ConversationShortID,
		Cursor:                req.Cursor,
		Limit:                 req.Limit,
		MarkType:              req.MarkType,
		OnlyUserIDs:           req.OnlyUserIDs,
		Reverse:               req.Reverse,
		ScanOnlineParticipant: req.OnlineOnly,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &ScanConversationParticipantListResponse{
		ResponseMetadata: meta,
		Participants:     toParticipants(res.Participants),
		HasMore:          res.HasMore,
		NextCursor:       res.NextCursor,
	}, nil
}

// participantPageMax is the largest Limit of a scan.
func participantPageMax(onlyUserIDs bool) int {
	if onlyUserIDs {
		return MaxParticipantIDsPageSize
	}
	return MaxParticipantsPageSize
}

// ConversationParticipantsRequest describes a walk through a conversation's
// members, page by page, with ScanConversationParticipantList.
type ConversationParticipantsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
	// Reverse lists the members from the last to join to the first,
	// passed on to every call (see ScanConversationParticipantListRequest).
	Reverse bool
	// OnlyUserIDs returns the members' user ids only, passed on to every
	// call (see ScanConversationParticipantListRequest).
	OnlyUserIDs bool
	// OnlineOnly lists the online members of a live group (the API's
	// ScanOnlineParticipant), passed on to every call (see
	// ScanConversationParticipantListRequest).
	OnlineOnly bool
	// MarkType, when set, lists only the online members of a live group
	// that carry this mark, passed on to every call.
	MarkType string
	// Cursor is where the walk starts: 0 for the beginning, or a cursor
	// saved from ParticipantPager.Cursor to continue an earlier walk (0 to
	// math.MaxInt32).
	Cursor int64
	// PageSize is how many members each call asks for: 1 to
	// MaxParticipantsPageSize (MaxParticipantIDsPageSize with
	// OnlyUserIDs); 0 means that maximum.
	PageSize int
	// Max stops the walk after this many members; 0 means all.
	Max int
	// MaxEmptyPages is how many empty pages in a row that say HasMore the
	// walk follows before it gives up with an error wrapping
	// pagination.ErrNoProgress; 0 means pagination.DefaultMaxEmptyPages
	// (10). It must not be negative.
	MaxEmptyPages int
}

// ParticipantPager walks a conversation's members one page at a time; see
// Client.ConversationParticipantsPager and the pagination package. Persist
// Cursor() after handling each page to resume later.
type ParticipantPager = pagination.Pager[int64, Participant]

// ConversationParticipantsPager returns a pager over a conversation's
// members. Each Next makes one ScanConversationParticipantList call (at
// most 20 members, 50 with OnlyUserIDs; every call waits for the client's
// rate limiter, 100 QPS per action by default) and follows HasMore and
// NextCursor.
//
// A negative NextCursor ends the walk, as the API documents ("no more
// members"), whatever HasMore says. The API does not document the cursor's
// order, so the walk assumes none: it remembers its recent cursors
// (pagination.DefaultRecentCursors) and never loops. A reply that says
// HasMore is discarded and ends the walk for good with an error, Cursor
// staying at the page that produced it, when its NextCursor equals the
// cursor asked for (pagination.ErrStalledCursor), is a cursor the walk has
// visited (pagination.ErrCursorCycle), or it is one empty page too many
// (pagination.ErrNoProgress).
//
// The request is checked at once: an error wrapping ErrInvalidRequest is
// returned before any call. opts apply to every page's call.
func (c *Client) ConversationParticipantsPager(req *ConversationParticipantsRequest, opts ...CallOption) (*ParticipantPager, error) {
	a := actScanConversationParticipantList
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	_, appID, err := c.settings(context.Background(), a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, req.ConversationShortID); err != nil {
		return nil, err
	}
	maxSize := participantPageMax(req.OnlyUserIDs)
	pageSize := req.PageSize
	if pageSize == 0 {
		pageSize = maxSize
	}
	switch {
	case pageSize < 1 || pageSize > maxSize:
		return nil, a.invalid("PageSize", "must be 0 (for %d) or 1 to %d, got %d", maxSize, maxSize, req.PageSize)
	case req.Max < 0:
		return nil, a.invalid("Max", "must not be negative, got %d", req.Max)
	case req.Cursor < 0 || req.Cursor > math.MaxInt32:
		return nil, a.invalid("Cursor", "must be 0 to %d, got %d", math.MaxInt32, req.Cursor)
	case req.MaxEmptyPages < 0:
		return nil, a.invalid("MaxEmptyPages", "must not be negative, got %d", req.MaxEmptyPages)
	}
	base := ScanConversationParticipantListRequest{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		Reverse:             req.Reverse,
		OnlyUserIDs:         req.OnlyUserIDs,
		OnlineOnly:          req.OnlineOnly,
		MarkType:            req.MarkType,
	}
	fetch := func(ctx context.Context, cursor int64, limit int) (pagination.Page[int64, Participant], error) {
		r := base
		r.Cursor, r.Limit = cursor, limit
		resp, err := c.ScanConversationParticipantList(ctx, &r, opts...)
		if err != nil {
			return pagination.Page[int64, Participant]{}, err
		}
		return pagination.Page[int64, Participant]{Items: resp.Participants, HasMore: resp.HasMore, Next: resp.NextCursor}, nil
	}
	// A negative NextCursor means no more members (documented); one
	// beyond an int32 is not the API's cursor.
	checkNext := func(next int64) (bool, error) {
		switch {
		case next < 0:
			return false, nil
		case next > math.MaxInt32:
			return false, fmt.Errorf("%w: %s: NextCursor %d is not an int32", ErrMalformedReply, a.name, next)
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

// ConversationParticipants iterates over a conversation's members, calling
// ScanConversationParticipantList page by page (at most 20 a call, 50 with
// OnlyUserIDs, under the client's rate limiter) and following HasMore and
// NextCursor:
//
//	for p, err := range client.ConversationParticipants(ctx, req) {
//		if err != nil {
//			return err
//		}
//		...
//	}
//
// An error (an invalid request, a failed call, a reply the walk cannot
// follow, a cancelled ctx) is yielded once and ends the iteration; breaking
// out of the loop stops at once with no further call. See
// ConversationParticipantsPager for the walk's guards, and to checkpoint and
// resume.
func (c *Client) ConversationParticipants(ctx context.Context, req *ConversationParticipantsRequest, opts ...CallOption) iter.Seq2[Participant, error] {
	p, err := c.ConversationParticipantsPager(req, opts...)
	return walk[Participant](ctx, p, err)
}

// BatchAddManagerRequest makes members of a live group its managers.
type BatchAddManagerRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group, required.
	ConversationShortID int64
	// Operator is the user who does it; it or OperatorStr is required.
	Operator int64
	// OperatorStr is the user who does it for apps whose user ids are
	// strings (set instead of Operator).
	OperatorStr string
	// ManagerUserIDs are the members to make managers: with
	// ManagerUserIDsStr, 1 to MaxParticipantsPerCall in all.
	ManagerUserIDs []int64
	// ManagerUserIDsStr are the members to make managers for apps whose
	// user ids are strings, counted with ManagerUserIDs against
	// MaxParticipantsPerCall.
	ManagerUserIDsStr []string
}

// BatchAddManagerResponse is the reply of BatchAddManager.
type BatchAddManagerResponse struct {
	ResponseMetadata
	// Failed lists the users who were not made managers (the reply's
	// FailedManagerUserIds and FailedManagerUserIdsStr); the call then
	// also returns a *PartialFailureError listing them.
	Failed []FailedItem
}

type wireBatchAddManager struct {
	AppID               int64    `json:"AppId"`
	ConversationShortID int64    `json:"ConversationShortId"`
	ManagerUserIDs      []int64  `json:"ManagerUserIds"`
	ManagerUserIDsStr   []string `json:"ManagerUserIdsStr,omitempty"`
	Operator            int64    `json:"Operator"`
	OperatorStr         string   `json:"OperatorStr,omitempty"`
}

type wireFailedManagers struct {
	FailedManagerUserIDs    []int64  `json:"FailedManagerUserIds"`
	FailedManagerUserIDsStr []string `json:"FailedManagerUserIdsStr,omitempty"`
}

// BatchAddManager makes members of a live group its managers (action
// BatchAddManager, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/1051343). Its limit is 50 calls per
// second (DefaultRates); a live group has at most 10 managers by default
// (CodeManagerMoreThanLimit beyond), and only live groups have them
// (CodeOnlyLiveConversationSupport otherwise).
//
// The users the server did not make managers are returned in resp.Failed,
// with an error wrapping ErrPartialFailure (see ErrPartialFailure).
//
// It is retried like a read: making the same members managers twice leaves
// the same managers.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, no Operator (nor OperatorStr), or no manager, more than
// 200, a non-positive id or an empty string id returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) BatchAddManager(ctx context.Context, req *BatchAddManagerRequest, opts ...CallOption) (*BatchAddManagerResponse, error) {
	a := actBatchAddManager
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
	if err := checkUser(a, "Operator", req.Operator, req.OperatorStr); err != nil {
		return nil, err
	}
	if err := checkUsers(a, "ManagerUserIDs", req.ManagerUserIDs, req.ManagerUserIDsStr); err != nil {
		return nil, err
	}
	res, meta, err := call[wireFailedManagers](ctx, c, a, &cc, &wireBatchAddManager{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		ManagerUserIDs:      req.ManagerUserIDs,
		ManagerUserIDsStr:   req.ManagerUserIDsStr,
		Operator:            req.Operator,
		OperatorStr:         req.OperatorStr,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := failedIDs(res.FailedManagerUserIDs, res.FailedManagerUserIDsStr)
	return &BatchAddManagerResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// BatchRemoveManagerRequest takes the managers of a live group back to
// ordinary members.
type BatchRemoveManagerRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group, required.
	ConversationShortID int64
	// Operator is the user who does it; it or OperatorStr is required.
	Operator int64
	// OperatorStr is the user who does it for apps whose user ids are
	// strings (set instead of Operator).
	OperatorStr string
	// RemoveManagerUserIDs are the managers to demote: with
	// RemoveManagerUserIDsStr, 1 to MaxParticipantsPerCall in all.
	RemoveManagerUserIDs []int64
	// RemoveManagerUserIDsStr are the managers to demote for apps whose
	// user ids are strings, counted with RemoveManagerUserIDs against
	// MaxParticipantsPerCall.
	RemoveManagerUserIDsStr []string
}

// BatchRemoveManagerResponse is the reply of BatchRemoveManager.
type BatchRemoveManagerResponse struct {
	ResponseMetadata
	// Failed lists the users who were not demoted (the reply's
	// FailedManagerUserIds and FailedManagerUserIdsStr); the call then
	// also returns a *PartialFailureError listing them.
	Failed []FailedItem
}

type wireBatchRemoveManager struct {
	AppID                   int64    `json:"AppId"`
	ConversationShortID     int64    `json:"ConversationShortId"`
	Operator                int64    `json:"Operator"`
	OperatorStr             string   `json:"OperatorStr,omitempty"`
	RemoveManagerUserIDs    []int64  `json:"RemoveManagerUserIds"`
	RemoveManagerUserIDsStr []string `json:"RemoveManagerUserIdsStr,omitempty"`
}

// BatchRemoveManager takes managers of a live group back to ordinary
// members (action BatchRemoveManager, version 2020-12-01; API page
// https://www.volcengine.com/docs/6348/1051344). Its limit is 50 calls per
// second (DefaultRates); only live groups have managers
// (CodeOnlyLiveConversationSupport otherwise).
//
// The users the server did not demote are returned in resp.Failed, with an
// error wrapping ErrPartialFailure (see ErrPartialFailure).
//
// It is retried like a read: demoting the same managers twice leaves the
// same managers.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, no Operator (nor OperatorStr), or no manager, more than
// 200, a non-positive id or an empty string id returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) BatchRemoveManager(ctx context.Context, req *BatchRemoveManagerRequest, opts ...CallOption) (*BatchRemoveManagerResponse, error) {
	a := actBatchRemoveManager
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
	if err := checkUser(a, "Operator", req.Operator, req.OperatorStr); err != nil {
		return nil, err
	}
	if err := checkUsers(a, "RemoveManagerUserIDs", req.RemoveManagerUserIDs, req.RemoveManagerUserIDsStr); err != nil {
		return nil, err
	}
	res, meta, err := call[wireFailedManagers](ctx, c, a, &cc, &wireBatchRemoveManager{
		AppID:                   appID,
		ConversationShortID:     req.ConversationShortID,
		Operator:                req.Operator,
		OperatorStr:             req.OperatorStr,
		RemoveManagerUserIDs:    req.RemoveManagerUserIDs,
		RemoveManagerUserIDsStr: req.RemoveManagerUserIDsStr,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := failedIDs(res.FailedManagerUserIDs, res.FailedManagerUserIDsStr)
	return &BatchRemoveManagerResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// ParticipantReadIndex is how far a member has read a conversation, as
// returned by GetParticipantReadIndex. Its JSON form is the API's.
type ParticipantReadIndex struct {
	// UserID is the member (the API's ParticipantUserId).
	UserID int64 `json:"ParticipantUserId"`
	// UserIDStr is the member for apps whose user ids are strings (the
	// API's ParticipantUserIdStr; set instead of UserID, or too).
	UserIDStr string `json:"ParticipantUserIdStr,omitempty"`
	// ReadIndex is the IndexInConversation of the last message the member
	// has read.
	ReadIndex int64 `json:"ReadIndex"`
}

// GetParticipantReadIndexRequest asks how far the members of a
// conversation have read.
type GetParticipantReadIndexRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation, required.
	ConversationShortID int64
}

// GetParticipantReadIndexResponse is the reply of GetParticipantReadIndex.
type GetParticipantReadIndexResponse struct {
	ResponseMetadata
	// ReadIndexes are the members' read indexes. A member left out has
	// read nothing (read index 0), as the API documents.
	ReadIndexes []ParticipantReadIndex
}

type wireReadIndexes struct {
	ReadIndexes []ParticipantReadIndex `json:"ReadIndexes"`
}

// GetParticipantReadIndex fetches how far the members of a conversation
// have read (action GetParticipantReadIndex, version 2020-12-01; at most
// 100 QPS per account, shared with every client of the access key; API
// page: not found; see https://www.volcengine.com/docs/6348).
//
// A nil request, a zero AppID (after WithAppID) or a ConversationShortID
// that is not positive returns an error wrapping ErrInvalidRequest before
// anything is sent.
func (c *Client) GetParticipantReadIndex(ctx context.Context, req *GetParticipantReadIndexRequest, opts ...CallOption) (*GetParticipantReadIndexResponse, error) {
	a := actGetParticipantReadIndex
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
	res, meta, err := call[wireReadIndexes](ctx, c, a, &cc, &wireConversationOnly{AppID: appID, ConversationShortID: req.ConversationShortID}, 1)
	if err != nil {
		return nil, err
	}
	return &GetParticipantReadIndexResponse{ResponseMetadata: meta, ReadIndexes: res.ReadIndexes}, nil
}

// ModifyParticipantReadIndexRequest moves a member's read index forward.
type ModifyParticipantReadIndexRequest struct {
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
	// ReadIndex is the IndexInConversation of the last message the member
	// has read. It must exceed the member's current read index: the client
	// checks that it is positive (every read index is at least 0), the
	// server the rest.
	ReadIndex int64
}

// ModifyParticipantReadIndexResponse is the reply of
// ModifyParticipantReadIndex: the API documents no result.
type ModifyParticipantReadIndexResponse struct {
	ResponseMetadata
}

type wireModifyReadIndex struct {
	AppID                int64  `json:"AppId"`
	ConversationShortID  int64  `json:"ConversationShortId"`
	ParticipantUserID    int64  `json:"ParticipantUserId"`
	ParticipantUserIDStr string `json:"ParticipantUserIdStr,omitempty"`
	ReadIndex            int64  `json:"ReadIndex"`
}

// ModifyParticipantReadIndex moves a member's read index forward (action
// ModifyParticipantReadIndex, version 2020-12-01; its limit is 50 calls per
// second, DefaultRates; API page: not found; see
// https://www.volcengine.com/docs/6348). The new index must exceed the
// member's current one: the client refuses a ReadIndex that is not
// positive, and the server answers one that does not exceed the current
// index with an *APIError (CodeInvalidParam; the API documents the rule but
// not its code), as it does a user who is not a member
// (CodeParticipantNotInConversation).
//
// It is retried like a read, since a retry leaves the same end state; but a
// retry of a call that had in fact succeeded answers that error, the index
// being no longer greater (APIError.Attempts > 1 tells).
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, no UserID (nor UserIDStr), or a ReadIndex that is not
// positive returns an error wrapping ErrInvalidRequest before anything is
// sent.
func (c *Client) ModifyParticipantReadIndex(ctx context.Context, req *ModifyParticipantReadIndexRequest, opts ...CallOption) (*ModifyParticipantReadIndexResponse, error) {
	a := actModifyParticipantReadIndex
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
	if req.ReadIndex <= 0 {
		return nil, a.invalid("ReadIndex", "must be positive (it must exceed the member's current read index, at least 0), got %d", req.ReadIndex)
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireModifyReadIndex{
		AppID:                appID,
		ConversationShortID:  req.ConversationShortID,
		ParticipantUserID:    req.UserID,
		ParticipantUserIDStr: req.UserIDStr,
		ReadIndex:            req.ReadIndex,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &ModifyParticipantReadIndexResponse{ResponseMetadata: meta}, nil
}

// LiveParticipantStatus tells whether a user is in a live group, as
// returned by QueryLiveParticipantStatus. It is a status, not a member: it
// is returned for users who are not in the group too. json.Marshal gives
// the wire form back (CreateTime in seconds).
type LiveParticipantStatus struct {
	// AppID is the app the live group belongs to.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// UserID is the user (the API's ParticipantUserId).
	UserID int64
	// UserIDStr is the user for apps whose user ids are strings (the API's
	// ParticipantUserIdStr; set instead of UserID, or too).
	UserIDStr string
	// InConversation reports whether the user is in the live group.
	InConversation bool
	// CreateTime is when the user joined, to the second (UTC); zero when
	// the reply does not say.
	CreateTime time.Time
}

type wireLiveStatus struct {
	AppID                int64  `json:"AppId"`
	ConversationShortID  int64  `json:"ConversationShortId"`
	CreateTime           int64  `json:"CreateTime"`
	IsInConversation     bool   `json:"IsInConversation"`
	ParticipantUserID    int64  `json:"ParticipantUserId"`
	ParticipantUserIDStr string `json:"ParticipantUserIdStr,omitempty"`
}

func (w *wireLiveStatus) status() LiveParticipantStatus {
	return LiveParticipantStatus{
		AppID:               w.AppID,
		ConversationShortID: w.ConversationShortID,
		UserID:              w.ParticipantUserID,
		UserIDStr:           w.ParticipantUserIDStr,
		InConversation:      w.IsInConversation,
		CreateTime:          fromSeconds(w.CreateTime),
	}
}

// MarshalJSON encodes s in the API's wire form (CreateTime in seconds).
func (s LiveParticipantStatus) MarshalJSON() ([]byte, error) {
	return json.Marshal(&wireLiveStatus{
		AppID:                s.AppID,
		ConversationShortID:  s.ConversationShortID,
		CreateTime:           toSeconds(s.CreateTime),
		IsInConversation:     s.InConversation,
		ParticipantUserID:    s.UserID,
		ParticipantUserIDStr: s.UserIDStr,
	})
}

// UnmarshalJSON decodes the API's wire form of a live member's status.
func (s *LiveParticipantStatus) UnmarshalJSON(data []byte) error {
	var w wireLiveStatus
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*s = w.status()
	return nil
}

// QueryLiveParticipantStatusRequest asks whether users are in a live group.
type QueryLiveParticipantStatusRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group, required.
	ConversationShortID int64
	// ParticipantUserIDs are the users: with ParticipantUserIDsStr, 1 to
	// MaxParticipantsPerCall (200) in all.
	ParticipantUserIDs []int64
	// ParticipantUserIDsStr are the users for apps whose user ids are
	// strings, counted with ParticipantUserIDs against
	// MaxParticipantsPerCall (200).
	ParticipantUserIDsStr []string
}

// QueryLiveParticipantStatusResponse is the reply of
// QueryLiveParticipantStatus.
type QueryLiveParticipantStatusResponse struct {
	ResponseMetadata
	// Statuses are the users' statuses.
	Statuses []LiveParticipantStatus
}

type wireQueryLiveStatus struct {
	AppID                 int64    `json:"AppId"`
	ConversationShortID   int64    `json:"ConversationShortId"`
	ParticipantUserIDs    []int64  `json:"ParticipantUserIds"`
	ParticipantUserIDsStr []string `json:"ParticipantUserIdsStr,omitempty"`
}

type wireLiveStatuses struct {
	Status []wireLiveStatus `json:"Status"`
}

// QueryLiveParticipantStatus tells whether users are in a live group, and
// since when (action QueryLiveParticipantStatus, version 2020-12-01; at
// most 100 QPS per account, shared with every client of the access key; API
// page https://www.volcengine.com/docs/6348/1051348). The server answers
// only the first 200 users of a longer list, so the client refuses one.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, or no user, more than 200, a non-positive id or an empty
// string id returns an error wrapping ErrInvalidRequest before anything is
// sent.
func (c *Client) QueryLiveParticipantStatus(ctx context.Context, req *QueryLiveParticipantStatusRequest, opts ...CallOption) (*QueryLiveParticipantStatusResponse, error) {
	a := actQueryLiveParticipantStatus
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
	if err := checkUsers(a, "ParticipantUserIDs", req.ParticipantUserIDs, req.ParticipantUserIDsStr); err != nil {
		return nil, err
	}
	res, meta, err := call[wireLiveStatuses](ctx, c, a, &cc, &wireQueryLiveStatus{
		AppID:                 appID,
		ConversationShortID:   req.ConversationShortID,
		ParticipantUserIDs:    req.ParticipantUserIDs,
		ParticipantUserIDsStr: req.ParticipantUserIDsStr,
	}, 1)
	if err != nil {
		return nil, err
	}
	var statuses []LiveParticipantStatus
	if res.Status != nil {
		statuses = make([]LiveParticipantStatus, len(res.Status))
		for i := range res.Status {
			statuses[i] = res.Status[i].status()
		}
	}
	return &QueryLiveParticipantStatusResponse{ResponseMetadata: meta, Statuses: statuses}, nil
}
