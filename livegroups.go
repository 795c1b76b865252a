package volcim

import (
	"context"
	"iter"
	"strconv"
	"time"

	"github.com/volcim/volcim-go/pagination"
)

// The live-group moderation actions (API area "live groups") and their
// retry classes. Every one of them works on live groups only: called on
// another conversation, the API answers an *APIError with Code
// CodeOnlyLiveConversationSupport.
var (
	actBatchAddBlockParticipants       = defineAction(actionBatchAddBlockParticipants, retryConverges, true)
	actBatchDeleteBlockParticipants    = defineAction(actionBatchDeleteBlockParticipants, retryConverges, true)
	actBatchGetBlockParticipants       = defineAction(actionBatchGetBlockParticipants, retryRead, true)
	actBatchAddWhitelistParticipant    = defineAction(actionBatchAddWhitelistParticipant, retryConverges, true)
	actBatchRemoveWhitelistParticipant = defineAction(actionBatchRemoveWhitelistParticipant, retryConverges, true)
	actBatchGetWhitelistParticipant    = defineAction(actionBatchGetWhitelistParticipant, retryRead, true)
	actBatchUpdateLiveParticipants     = defineAction(actionBatchUpdateLiveParticipants, retryConverges, true)
)

// Names of the live-group actions.
const (
	actionBatchAddBlockParticipants       = "BatchAddBlockParticipants"
	actionBatchDeleteBlockParticipants    = "BatchDeleteBlockParticipants"
	actionBatchGetBlockParticipants       = "BatchGetBlockParticipants"
	actionBatchAddWhitelistParticipant    = "BatchAddWhitelistParticipant"
	actionBatchRemoveWhitelistParticipant = "BatchRemoveWhitelistParticipant"
	actionBatchGetWhitelistParticipant    = "BatchGetWhitelistParticipant"
	actionBatchUpdateLiveParticipants     = "BatchUpdateLiveParticipants"
)

// Limits of the live-group actions, checked before anything is sent.
const (
	// MaxLiveListPageSize is the most members BatchGetBlockParticipants and
	// BatchGetWhitelistParticipant return per call (their Limit), as the
	// API documents.
	MaxLiveListPageSize = 20
	// MaxBatchUpdateLiveParticipants is the most members one
	// BatchUpdateLiveParticipants call updates, as the API documents.
	MaxBatchUpdateLiveParticipants = 10
	// MaxLiveGroupUsersPerCall caps the users of one call of
	// BatchAddBlockParticipants, BatchDeleteBlockParticipants,
	// BatchAddWhitelistParticipant and BatchRemoveWhitelistParticipant
	// (numeric and string ids together). The API documents no maximum; the
	// SDK sets one, as MaxIDsPerCall does elsewhere, so that a runaway list
	// fails before the network rather than as an opaque server error.
	MaxLiveGroupUsersPerCall = 100
)

// BlockAction says which of a live group's two block lists an action works
// on (the API's BlockAction). Values the SDK does not know survive decoding
// and encoding unchanged, but the client refuses to send them.
type BlockAction int32

// Block actions.
const (
	// BlockMute mutes: the user cannot speak in the live group. It is the
	// zero value and the server's default.
	BlockMute BlockAction = 0
	// BlockBan bans: the user cannot join the live group.
	BlockBan BlockAction = 1
)

// String returns a short English name, or "BlockAction(N)" for an unknown value.
func (b BlockAction) String() string {
	switch b {
	case BlockMute:
		return "mute"
	case BlockBan:
		return "ban"
	}
	return "BlockAction(" + itoa(int64(b)) + ")"
}

func checkBlockAction(a *apiAction, b BlockAction) error {
	if b != BlockMute && b != BlockBan {
		return a.invalid("BlockAction", "must be BlockMute (0) or BlockBan (1), got %d", b)
	}
	return nil
}

// BlockedUser is one user to mute or ban, and for how long.
type BlockedUser struct {
	// UserID is the user to mute or ban; it or UserIDStr is required.
	UserID int64
	// UserIDStr is the user for apps whose user ids are strings (set
	// instead of UserID; sent in the API's ParticipantBlockInfosStr).
	UserIDStr string
	// Duration is how long the mute or ban lasts, counted from when the
	// server receives the call. It must be positive; the API counts whole
	// seconds, and the client rounds a fraction of a second up (1.2s is
	// sent as 2), so that a mute never ends before the time asked for.
	Duration time.Duration
}

// BatchAddBlockParticipantsRequest mutes or bans users of a live group.
type BatchAddBlockParticipantsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// BlockAction says whether to mute (BlockMute, the zero value) or ban
	// (BlockBan) the users.
	BlockAction BlockAction
	// Users are the users, each with its own duration: 1 to
	// MaxLiveGroupUsersPerCall, none listed twice.
	Users []BlockedUser
}

// BatchAddBlockParticipantsResponse is the reply of BatchAddBlockParticipants.
type BatchAddBlockParticipantsResponse struct {
	ResponseMetadata
	// Failed lists the users the server did not mute or ban (the reply's
	// FailedParticipantUserIds); the call then also returns a
	// *PartialFailureError listing them.
	Failed []FailedItem
}

type wireBatchAddBlockParticipants struct {
	AppID                    int64            `json:"AppId"`
	ConversationShortID      int64            `json:"ConversationShortId"`
	ParticipantBlockInfos    map[string]int64 `json:"ParticipantBlockInfos"`
	ParticipantBlockInfosStr map[string]int64 `json:"ParticipantBlockInfosStr,omitempty"`
	BlockAction              BlockAction      `json:"BlockAction,omitempty"`
}

// wireBlockFailed is the Result of the block-list writes.
type wireBlockFailed struct {
	FailedParticipantUserIDs    []int64  `json:"FailedParticipantUserIds"`
	FailedParticipantUserIDsStr []string `json:"FailedParticipantUserIdsStr,omitempty"`
}

// BatchAddBlockParticipants mutes or bans users of a live group, each for a
// duration (action BatchAddBlockParticipants, version 2020-12-01; live
// groups only; at most 50 QPS per account, DefaultRates; API page
// https://www.volcengine.com/docs/6348/788462). A muted user cannot speak in
// the live group, a banned one cannot join it, until the duration has
// passed or BatchDeleteBlockParticipants lifts it. Muting or banning a user
// again starts its duration anew. BatchGetBlockParticipants lists them.
//
// Users the server did not mute or ban come back in the response's Failed
// and in a *PartialFailureError (errors.Is(err, ErrPartialFailure)),
// returned together with the response; see ErrPartialFailure.
//
// Retries converge, with one caveat: the duration is relative, so a retry
// of a call that had in fact succeeded starts it again, and the mute or ban
// ends up to the retry's delay (seconds with the default policy) later
// than the first attempt would have made it.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, a BlockAction other than BlockMute or BlockBan, no users
// or more than MaxLiveGroupUsersPerCall, a user with neither a positive
// UserID nor a UserIDStr (or with both), a user listed twice, or a Duration
// that is not positive returns an error wrapping ErrInvalidRequest before
// anything is sent.
func (c *Client) BatchAddBlockParticipants(ctx context.Context, req *BatchAddBlockParticipantsRequest, opts ...CallOption) (*BatchAddBlockParticipantsResponse, error) {
	a := actBatchAddBlockParticipants
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
	if err := checkBlockAction(a, req.BlockAction); err != nil {
		return nil, err
	}
	switch n := len(req.Users); {
	case n == 0:
		return nil, a.invalid("Users", "must not be empty")
	case n > MaxLiveGroupUsersPerCall:
		return nil, a.invalid("Users", "has %d users, more than the %d a call may take", n, MaxLiveGroupUsersPerCall)
	}
	body := wireBatchAddBlockParticipants{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		BlockAction:         req.BlockAction,
	}
	for i, u := range req.Users {
		switch {
		case u.UserID < 0 || u.UserID == 0 && u.UserIDStr == "":
			return nil, a.invalid("Users", "[%d].UserID must be positive (or UserIDStr set), got %d", i, u.UserID)
		case u.UserID != 0 && u.UserIDStr != "":
			return nil, a.invalid("Users", "[%d] sets both UserID and UserIDStr: set one", i)
		case u.Duration <= 0:
			return nil, a.invalid("Users", "[%d].Duration must be positive, got %v", i, u.Duration)
		}
		secs := ceilSeconds(u.Duration)
		m, key := &body.ParticipantBlockInfos, strconv.FormatInt(u.UserID, 10)
		if u.UserIDStr != "" {
			m, key = &body.ParticipantBlockInfosStr, u.UserIDStr
		}
		if *m == nil {
			*m = make(map[string]int64, len(req.Users))
		}
		if _, dup := (*m)[key]; dup {
			return nil, a.invalid("Users", "[%d] lists user %q a second time", i, key)
		}
		(*m)[key] = secs
	}
	res, meta, err := call[wireBlockFailed](ctx, c, a, &cc, &body, 1)
	if err != nil {
		return nil, err
	}
	failed := failedIDs(res.FailedParticipantUserIDs, res.FailedParticipantUserIDsStr)
	return &BatchAddBlockParticipantsResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// ceilSeconds returns d in whole seconds, rounded up.
func ceilSeconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return s
}

// BatchDeleteBlockParticipantsRequest lifts mutes or bans in a live group.
type BatchDeleteBlockParticipantsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// BlockAction says whether to lift mutes (BlockMute, the zero value) or
	// bans (BlockBan).
	BlockAction BlockAction
	// ParticipantUserIDs are the users whose mute or ban to lift. With
	// ParticipantUserIDsStr: 1 to MaxLiveGroupUsersPerCall ids together.
	ParticipantUserIDs []int64
	// ParticipantUserIDsStr are the users for apps whose user ids are
	// strings, counted with ParticipantUserIDs against
	// MaxLiveGroupUsersPerCall.
	ParticipantUserIDsStr []string
}

// BatchDeleteBlockParticipantsResponse is the reply of
// BatchDeleteBlockParticipants.
type BatchDeleteBlockParticipantsResponse struct {
	ResponseMetadata
	// Failed lists the users whose mute or ban the server did not lift;
	// the call then also returns a *PartialFailureError listing them.
	Failed []FailedItem
}

type wireBatchDeleteBlockParticipants struct {
	AppID                 int64       `json:"AppId"`
	ConversationShortID   int64       `json:"ConversationShortId"`
	ParticipantUserIDs    []int64     `json:"ParticipantUserIds"`
	ParticipantUserIDsStr []string    `json:"ParticipantUserIdsStr,omitempty"`
	BlockAction           BlockAction `json:"BlockAction,omitempty"`
}

// BatchDeleteBlockParticipants lifts the mute or the ban of users of a live
// group before it ends (action BatchDeleteBlockParticipants, version
// 2020-12-01; live groups only; at most 50 QPS per account, DefaultRates;
// API page https://www.volcengine.com/docs/6348/788463).
//
// Users the server could not unblock come back in the response's Failed
// and in a *PartialFailureError returned with it (see ErrPartialFailure).
// Retries converge: lifting a lifted block changes nothing.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, a BlockAction other than BlockMute or BlockBan, no user
// ids or more than MaxLiveGroupUsersPerCall, a user id that is not positive
// or an empty string id returns an error wrapping ErrInvalidRequest before
// anything is sent.
func (c *Client) BatchDeleteBlockParticipants(ctx context.Context, req *BatchDeleteBlockParticipantsRequest, opts ...CallOption) (*BatchDeleteBlockParticipantsResponse, error) {
	a := actBatchDeleteBlockParticipants
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
	if err := checkBlockAction(a, req.BlockAction); err != nil {
		return nil, err
	}
	if err := checkLiveUserIDs(a, "ParticipantUserIDs", req.ParticipantUserIDs, req.ParticipantUserIDsStr, MaxLiveGroupUsersPerCall); err != nil {
		return nil, err
	}
	res, meta, err := call[wireBlockFailed](ctx, c, a, &cc, &wireBatchDeleteBlockParticipants{
		AppID:                 appID,
		ConversationShortID:   req.ConversationShortID,
		ParticipantUserIDs:    req.ParticipantUserIDs,
		ParticipantUserIDsStr: req.ParticipantUserIDsStr,
		BlockAction:           req.BlockAction,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := failedIDs(res.FailedParticipantUserIDs, res.FailedParticipantUserIDsStr)
	return &BatchDeleteBlockParticipantsResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// checkLiveUserIDs checks a list of user ids with its string twin: 1 to max ids
// in all, numeric ones positive, string ones not empty.
func checkLiveUserIDs(a *apiAction, field string, ids []int64, strs []string, max int) error {
	switch n := len(ids) + len(strs); {
	case n == 0:
		return a.invalid(field, "must not be empty (nor its Str twin)")
	case n > max:
		return a.invalid(field, "has %d ids (with its Str twin), more than the %d a call may take", n, max)
	}
	if err := checkOptionalIDs(a, field, ids); err != nil {
		return err
	}
	for i, s := range strs {
		if s == "" {
			return a.invalid(field+"Str", "[%d] must not be empty", i)
		}
	}
	return nil
}

// checkLiveOperator checks the operator of an action that requires one.
func checkLiveOperator(a *apiAction, operator int64, operatorStr string) error {
	if operator < 0 || operator == 0 && operatorStr == "" {
		return a.invalid("Operator", "must be positive (or OperatorStr set), got %d", operator)
	}
	return nil
}

// BatchGetBlockParticipantsRequest asks for one page of a live group's mute
// list or ban list.
type BatchGetBlockParticipantsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// BlockAction says which list: the muted users (BlockMute, the zero
	// value) or the banned ones (BlockBan).
	BlockAction BlockAction
	// Cursor is where the page starts: 0 for the first page, then the
	// previous reply's NextCursor.
	Cursor int64
	// Limit is how many members to return: 1 to MaxLiveListPageSize (20).
	Limit int
}

// BatchGetBlockParticipantsResponse is one page of a mute or ban list.
type BatchGetBlockParticipantsResponse struct {
	ResponseMetadata
	// Participants are the muted or banned users, by user id ascending.
	// Each has UserID (or UserIDStr), CreateTime (when the mute or ban was
	// set), BlockTime (when it ends), and the member's NickName,
	// AvatarURL, Ext and Marks; ConversationShortID is the request's.
	Participants []Participant
	// HasMore tells whether another page follows.
	HasMore bool
	// NextCursor is where the next page starts: pass it as the next
	// request's Cursor. A negative NextCursor also means there is no more.
	NextCursor int64
}

type wireBatchGetBlockParticipants struct {
	AppID               int64       `json:"AppId"`
	ConversationShortID int64       `json:"ConversationShortId"`
	Cursor              int64       `json:"Cursor"`
	Limit               int         `json:"Limit"`
	BlockAction         BlockAction `json:"BlockAction,omitempty"`
}

// wireLiveList is the Result of both live-group lists.
type wireLiveList struct {
	HasMore      bool              `json:"HasMore"`
	NextCursor   int64             `json:"NextCursor"`
	Participants []wireParticipant `json:"Participants"`
}

func (w *wireLiveList) participants(conv int64) []Participant {
	ps := toParticipants(w.Participants)
	for i := range ps {
		ps[i].ConversationShortID = conv
	}
	return ps
}

// BatchGetBlockParticipants fetches one page of at most 20 users muted (or
// banned) in a live group (action BatchGetBlockParticipants, version
// 2020-12-01; live groups only; at most 100 QPS per account, DefaultRates;
// API page https://www.volcengine.com/docs/6348/788464). The list is sorted
// by user id, ascending. To walk the whole list, use BlockParticipants or
// BlockParticipantsPager, which follow HasMore and NextCursor for you.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, a BlockAction other than BlockMute or BlockBan, a
// negative Cursor, or a Limit outside 1 to 20 returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) BatchGetBlockParticipants(ctx context.Context, req *BatchGetBlockParticipantsRequest, opts ...CallOption) (*BatchGetBlockParticipantsResponse, error) {
	a := actBatchGetBlockParticipants
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
	if err := checkBlockAction(a, req.BlockAction); err != nil {
		return nil, err
	}
	if err := checkLivePage(a, req.Cursor, req.Limit); err != nil {
		return nil, err
	}
	res, meta, err := call[wireLiveList](ctx, c, a, &cc, &wireBatchGetBlockParticipants{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		Cursor:              req.Cursor,
		Limit:               req.Limit,
		BlockAction:         req.BlockAction,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &BatchGetBlockParticipantsResponse{
		ResponseMetadata: meta,
		Participants:     res.participants(req.ConversationShortID),
		HasMore:          res.HasMore,
		NextCursor:       res.NextCursor,
	}, nil
}

func checkLivePage(a *apiAction, cursor int64, limit int) error {
	if cursor < 0 {
		return a.invalid("Cursor", "must not be negative, got %d", cursor)
	}
	if limit < 1 || limit > MaxLiveListPageSize {
		return a.invalid("Limit", "must be 1 to %d, got %d", MaxLiveListPageSize, limit)
	}
	return nil
}

// BatchAddWhitelistParticipantRequest puts members of a live group on its
// whitelist.
type BatchAddWhitelistParticipantRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// Operator is the user who does it (recorded as the entries'
	// Operator); it or OperatorStr is required.
	Operator int64
	// OperatorStr is the user who does it for apps whose user ids are
	// strings (set instead of Operator).
	OperatorStr string
	// ParticipantUserIDs are the members to add. With
	// ParticipantUserIDsStr: 1 to MaxLiveGroupUsersPerCall ids together.
	ParticipantUserIDs []int64
	// ParticipantUserIDsStr are the members to add for apps whose user ids
	// are strings, counted with ParticipantUserIDs against
	// MaxLiveGroupUsersPerCall.
	ParticipantUserIDsStr []string
}

// BatchAddWhitelistParticipantResponse is the reply of
// BatchAddWhitelistParticipant.
type BatchAddWhitelistParticipantResponse struct {
	ResponseMetadata
	// Failed lists the users the server did not add; the call then also
	// returns a *PartialFailureError listing them.
	Failed []FailedItem
}

// wireWhitelistWrite is the body of both whitelist writes.
type wireWhitelistWrite struct {
	AppID                 int64    `json:"AppId"`
	ConversationShortID   int64    `json:"ConversationShortId"`
	Operator              int64    `json:"Operator"`
	OperatorStr           string   `json:"OperatorStr,omitempty"`
	ParticipantUserIDs    []int64  `json:"ParticipantUserIds"`
	ParticipantUserIDsStr []string `json:"ParticipantUserIdsStr,omitempty"`
}

// wireWhitelistFailed is the Result of the whitelist writes.
type wireWhitelistFailed struct {
	FailedUserIDs    []int64  `json:"FailedUserIds"`
	FailedUserIDsStr []string `json:"FailedUserIdsStr,omitempty"`
}

// BatchAddWhitelistParticipant puts members of a live group on its
// whitelist: the members who may still speak while the whole group is muted
// (action BatchAddWhitelistParticipant, version 2020-12-01; live groups only;
// at most 50 QPS per account, DefaultRates; API page
// https://www.volcengine.com/docs/6348/1051345). BatchGetWhitelistParticipant
// lists them; BatchRemoveWhitelistParticipant takes them off.
//
// Users the server did not add come back in the response's Failed and in a
// *PartialFailureError returned with it (see ErrPartialFailure). Retries
// converge: adding a user on the list again changes nothing.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, no Operator (nor OperatorStr), no user ids or more than
// MaxLiveGroupUsersPerCall, a user id that is not positive or an empty
// string id returns an error wrapping ErrInvalidRequest before anything is
// sent.
func (c *Client) BatchAddWhitelistParticipant(ctx context.Context, req *BatchAddWhitelistParticipantRequest, opts ...CallOption) (*BatchAddWhitelistParticipantResponse, error) {
	a := actBatchAddWhitelistParticipant
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	meta, failed, err := c.whitelistWrite(ctx, a, &cc, appID, req.ConversationShortID, req.Operator, req.OperatorStr, req.ParticipantUserIDs, req.ParticipantUserIDsStr)
	if err != nil {
		return nil, err
	}
	return &BatchAddWhitelistParticipantResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// whitelistWrite checks and sends a whitelist write.
func (c *Client) whitelistWrite(ctx context.Context, a *apiAction, cc *callConfig, appID, conv, operator int64, operatorStr string, ids []int64, strs []string) (ResponseMetadata, []FailedItem, error) {
	if err := checkConversation(a, conv); err != nil {
		return ResponseMetadata{}, nil, err
	}
	if err := checkLiveOperator(a, operator, operatorStr); err != nil {
		return ResponseMetadata{}, nil, err
	}
	if err := checkLiveUserIDs(a, "ParticipantUserIDs", ids, strs, MaxLiveGroupUsersPerCall); err != nil {
		return ResponseMetadata{}, nil, err
	}
	res, meta, err := call[wireWhitelistFailed](ctx, c, a, cc, &wireWhitelistWrite{
		AppID:                 appID,
		ConversationShortID:   conv,
		Operator:              operator,
		OperatorStr:           operatorStr,
		ParticipantUserIDs:    ids,
		ParticipantUserIDsStr: strs,
	}, 1)
	if err != nil {
		return ResponseMetadata{}, nil, err
	}
	return meta, failedIDs(res.FailedUserIDs, res.FailedUserIDsStr), nil
}

// BatchRemoveWhitelistParticipantRequest takes members of a live group off
// its whitelist.
type BatchRemoveWhitelistParticipantRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// Operator is the user who does it; it or OperatorStr is required.
	Operator int64
	// OperatorStr is the user who does it for apps whose user ids are
	// strings (set instead of Operator).
	OperatorStr string
	// ParticipantUserIDs are the members to take off. With
	// ParticipantUserIDsStr: 1 to MaxLiveGroupUsersPerCall ids together.
	ParticipantUserIDs []int64
	// ParticipantUserIDsStr are the members to take off for apps whose
	// user ids are strings, counted with ParticipantUserIDs against
	// MaxLiveGroupUsersPerCall.
	ParticipantUserIDsStr []string
}

// BatchRemoveWhitelistParticipantResponse is the reply of
// BatchRemoveWhitelistParticipant.
type BatchRemoveWhitelistParticipantResponse struct {
	ResponseMetadata
	// Failed lists the users the server did not take off; the call then
	// also returns a *PartialFailureError listing them.
	Failed []FailedItem
}

// BatchRemoveWhitelistParticipant takes members of a live group off its
// whitelist (action BatchRemoveWhitelistParticipant, version 2020-12-01;
// live groups only; at most 50 QPS per account, DefaultRates; API page
// https://www.volcengine.com/docs/6348/1051346).
//
// Users the server did not take off come back in the response's Failed and
// in a *PartialFailureError returned with it (see ErrPartialFailure).
// Retries converge: taking off a user who is not on the list changes
// nothing.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, no Operator (nor OperatorStr), no user ids or more than
// MaxLiveGroupUsersPerCall, a user id that is not positive or an empty
// string id returns an error wrapping ErrInvalidRequest before anything is
// sent.
func (c *Client) BatchRemoveWhitelistParticipant(ctx context.Context, req *BatchRemoveWhitelistParticipantRequest, opts ...CallOption) (*BatchRemoveWhitelistParticipantResponse, error) {
	a := actBatchRemoveWhitelistParticipant
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	meta, failed, err := c.whitelistWrite(ctx, a, &cc, appID, req.ConversationShortID, req.Operator, req.OperatorStr, req.ParticipantUserIDs, req.ParticipantUserIDsStr)
	if err != nil {
		return nil, err
	}
	return &BatchRemoveWhitelistParticipantResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// BatchGetWhitelistParticipantRequest asks for one page of a live group's
// whitelist.
type BatchGetWhitelistParticipantRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// Cursor is where the page starts: 0 for the first page, then the
	// previous reply's NextCursor.
	Cursor int64
	// Limit is how many members to return: 1 to MaxLiveListPageSize (20).
	Limit int
}

// BatchGetWhitelistParticipantResponse is one page of a whitelist.
type BatchGetWhitelistParticipantResponse struct {
	ResponseMetadata
	// Participants are the members on the whitelist. Each has UserID,
	// Operator (who put it there), CreateTime (when), and the member's
	// NickName, AvatarURL, Ext and Marks; ConversationShortID is the
	// request's.
	Participants []Participant
	// HasMore tells whether another page follows.
	HasMore bool
	// NextCursor is where the next page starts (pass it as the next
	// request's Cursor), and -1 when there is no more.
	NextCursor int64
}

type wireBatchGetWhitelistParticipant struct {
	AppID               int64 `json:"AppId"`
	ConversationShortID int64 `json:"ConversationShortId"`
	Cursor              int64 `json:"Cursor"`
	Limit               int   `json:"Limit"`
}

// BatchGetWhitelistParticipant fetches one page of at most 20 members on a
// live group's whitelist (action BatchGetWhitelistParticipant, version
// 2020-12-01; live groups only; at most 100 QPS per account, DefaultRates;
// API page https://www.volcengine.com/docs/6348/1051347). To walk the whole
// list, use WhitelistParticipants or WhitelistParticipantsPager, which
// follow HasMore and NextCursor for you.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, a negative Cursor, or a Limit outside 1 to 20 returns an
// error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) BatchGetWhitelistParticipant(ctx context.Context, req *BatchGetWhitelistParticipantRequest, opts ...CallOption) (*BatchGetWhitelistParticipantResponse, error) {
	a := actBatchGetWhitelistParticipant
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
	if err := checkLivePage(a, req.Cursor, req.Limit); err != nil {
		return nil, err
	}
	res, meta, err := call[wireLiveList](ctx, c, a, &cc, &wireBatchGetWhitelistParticipant{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		Cursor:              req.Cursor,
		Limit:               req.Limit,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &BatchGetWhitelistParticipantResponse{
		ResponseMetadata: meta,
		Participants:     res.participants(req.ConversationShortID),
		HasMore:          res.HasMore,
		NextCursor:       res.NextCursor,
	}, nil
}

// LiveListPager walks a live group's mute, ban or white list one page at a
// time; see Client.BlockParticipantsPager, Client.WhitelistParticipantsPager
// and the pagination package. Persist Cursor() after handling each page to
// resume later.
type LiveListPager = pagination.Pager[int64, Participant]

// BlockParticipantsRequest describes a walk through a live group's mute or
// ban list with BatchGetBlockParticipants.
type BlockParticipantsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// BlockAction says which list: mutes (BlockMute, the zero value) or
	// bans (BlockBan).
	BlockAction BlockAction
	// Cursor is where the walk starts: 0, or a cursor saved from
	// LiveListPager.Cursor to continue an earlier walk.
	Cursor int64
	// PageSize is how many members each call asks for: 1 to
	// MaxLiveListPageSize; 0 means MaxLiveListPageSize (20).
	PageSize int
	// Max stops the walk after this many members; 0 means all.
	Max int
	// MaxEmptyPages is how many empty pages in a row that say HasMore the
	// walk follows before it gives up with an error wrapping
	// pagination.ErrNoProgress; 0 means pagination.DefaultMaxEmptyPages.
	// It must not be negative.
	MaxEmptyPages int
}

// BlockParticipantsPager returns a pager over a live group's mute (or ban)
// list. Each Next makes one BatchGetBlockParticipants call (at most 20
// members, under the client's rate limiter) and follows HasMore and
// NextCursor.
//
// The walk never visits a cursor twice and makes progress or ends. A reply
// that says HasMore with a negative NextCursor is the last page (negative
// means no more data, as the API's sibling lists document). A reply that
// says HasMore is discarded and ends the walk for good with an error,
// Cursor staying at the page that produced it, when its NextCursor does not
// grow (pagination.ErrStalledCursor when it equals the cursor asked for,
// pagination.ErrCursorCycle when it goes back), or when it is empty after
// req.MaxEmptyPages empty pages in a row (pagination.ErrNoProgress).
//
// The request is checked at once: an error wrapping ErrInvalidRequest is
// returned before any call. opts apply to every page's call.
func (c *Client) BlockParticipantsPager(req *BlockParticipantsRequest, opts ...CallOption) (*LiveListPager, error) {
	a := actBatchGetBlockParticipants
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	if err := checkBlockAction(a, req.BlockAction); err != nil {
		return nil, err
	}
	w := liveWalk{appID: req.AppID, conv: req.ConversationShortID, cursor: req.Cursor, pageSize: req.PageSize, max: req.Max, maxEmpty: req.MaxEmptyPages}
	action := req.BlockAction
	return c.livePager(a, w, opts, func(ctx context.Context, appID, cursor int64, limit int) (pagination.Page[int64, Participant], error) {
		resp, err := c.BatchGetBlockParticipants(ctx, &BatchGetBlockParticipantsRequest{
			AppID:               appID,
			ConversationShortID: w.conv,
			BlockAction:         action,
			Cursor:              cursor,
			Limit:               limit,
		}, opts...)
		if err != nil {
			return pagination.Page[int64, Participant]{}, err
		}
		return pagination.Page[int64, Participant]{Items: resp.Participants, HasMore: resp.HasMore, Next: resp.NextCursor}, nil
	})
}

// BlockParticipants iterates over a live group's mute (or ban) list,
// calling BatchGetBlockParticipants page by page (at most 20 members a call,
// under the client's rate limiter):
//
//	for p, err := range client.BlockParticipants(ctx, req) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(p.UserID, "muted until", p.BlockTime)
//	}
//
// An error (an invalid request, a failed call, a reply the walk cannot
// follow, a cancelled ctx) is yielded once and ends the iteration; breaking
// out of the loop stops at once with no further call. See
// BlockParticipantsPager for the walk's guards, and to checkpoint and
// resume.
func (c *Client) BlockParticipants(ctx context.Context, req *BlockParticipantsRequest, opts ...CallOption) iter.Seq2[Participant, error] {
	p, err := c.BlockParticipantsPager(req, opts...)
	return walk[Participant](ctx, p, err)
}

// WhitelistParticipantsRequest describes a walk through a live group's
// whitelist with BatchGetWhitelistParticipant.
type WhitelistParticipantsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// Cursor is where the walk starts: 0, or a cursor saved from
	// LiveListPager.Cursor to continue an earlier walk.
	Cursor int64
	// PageSize is how many members each call asks for: 1 to
	// MaxLiveListPageSize; 0 means MaxLiveListPageSize (20).
	PageSize int
	// Max stops the walk after this many members; 0 means all.
	Max int
	// MaxEmptyPages is how many empty pages in a row that say HasMore the
	// walk follows before it gives up with an error wrapping
	// pagination.ErrNoProgress; 0 means pagination.DefaultMaxEmptyPages.
	// It must not be negative.
	MaxEmptyPages int
}

// WhitelistParticipantsPager returns a pager over a live group's
// whitelist. Each Next makes one BatchGetWhitelistParticipant call (at most
// 20 members, under the client's rate limiter) and follows HasMore and
// NextCursor.
//
// The walk never visits a cursor twice and makes progress or ends. A reply
// whose NextCursor is negative (the API documents -1) is the last page. A
// reply that says HasMore is discarded and ends the walk for good with an
// error, Cursor staying at the page that produced it, when its NextCursor
// does not grow (pagination.ErrStalledCursor when it equals the cursor asked
// for, pagination.ErrCursorCycle when it goes back), or when it is empty
// after req.MaxEmptyPages empty pages in a row (pagination.ErrNoProgress).
//
// The request is checked at once: an error wrapping ErrInvalidRequest is
// returned before any call. opts apply to every page's call.
func (c *Client) WhitelistParticipantsPager(req *WhitelistParticipantsRequest, opts ...CallOption) (*LiveListPager, error) {
	a := actBatchGetWhitelistParticipant
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	w := liveWalk{appID: req.AppID, conv: req.ConversationShortID, cursor: req.Cursor, pageSize: req.PageSize, max: req.Max, maxEmpty: req.MaxEmptyPages}
	return c.livePager(a, w, opts, func(ctx context.Context, appID, cursor int64, limit int) (pagination.Page[int64, Participant], error) {
		resp, err := c.BatchGetWhitelistParticipant(ctx, &BatchGetWhitelistParticipantRequest{
			AppID:               appID,
			ConversationShortID: w.conv,
			Cursor:              cursor,
			Limit:               limit,
		}, opts...)
		if err != nil {
			return pagination.Page[int64, Participant]{}, err
		}
		return pagination.Page[int64, Participant]{Items: resp.Participants, HasMore: resp.HasMore, Next: resp.NextCursor}, nil
	})
}

// WhitelistParticipants iterates over a live group's whitelist, calling
// BatchGetWhitelistParticipant page by page (at most 20 members a call,
// under the client's rate limiter). An error is yielded once and ends the
// iteration; breaking out of the loop stops at once with no further call.
// See WhitelistParticipantsPager for the walk's guards, and to checkpoint
// and resume.
func (c *Client) WhitelistParticipants(ctx context.Context, req *WhitelistParticipantsRequest, opts ...CallOption) iter.Seq2[Participant, error] {
	p, err := c.WhitelistParticipantsPager(req, opts...)
	return walk[Participant](ctx, p, err)
}

// liveWalk is what both live-list walks share.
type liveWalk struct {
	appID, conv, cursor     int64
	pageSize, max, maxEmpty int
}

// livePager checks a walk and builds its pager: cursors must grow, and a
// negative NextCursor ends the walk.
func (c *Client) livePager(a *apiAction, w liveWalk, opts []CallOption,
	fetch func(ctx context.Context, appID, cursor int64, limit int) (pagination.Page[int64, Participant], error)) (*LiveListPager, error) {
	_, appID, err := c.settings(context.Background(), a, w.appID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(a, w.conv); err != nil {
		return nil, err
	}
	pageSize := w.pageSize
	if pageSize == 0 {
		pageSize = MaxLiveListPageSize
	}
	switch {
	case pageSize < 1 || pageSize > MaxLiveListPageSize:
		return nil, a.invalid("PageSize", "must be 0 (for %d) or 1 to %d, got %d", MaxLiveListPageSize, MaxLiveListPageSize, w.pageSize)
	case w.max < 0:
		return nil, a.invalid("Max", "must not be negative, got %d", w.max)
	case w.cursor < 0:
		return nil, a.invalid("Cursor", "must not be negative, got %d", w.cursor)
	case w.maxEmpty < 0:
		return nil, a.invalid("MaxEmptyPages", "must not be negative, got %d", w.maxEmpty)
	}
	return pagination.New(func(ctx context.Context, cursor int64, limit int) (pagination.Page[int64, Participant], error) {
		return fetch(ctx, appID, cursor, limit)
	}, pagination.Options[int64]{
		Start:         w.cursor,
		PageSize:      pageSize,
		Max:           w.max,
		MaxEmptyPages: w.maxEmpty,
		Advances:      pagination.Increasing[int64],
		CheckNext:     func(next int64) (bool, error) { return next >= 0, nil },
	})
}

// LiveParticipantUpdate is the new profile of one member of a live group.
// At least one of AvatarURL, NickName and Ext must be set.
type LiveParticipantUpdate struct {
	// UserID is the member; it or UserIDStr is required.
	UserID int64
	// UserIDStr is the member for apps whose user ids are strings (set
	// instead of UserID).
	UserIDStr string
	// AvatarURL is the URL of the member's new avatar; nil leaves it
	// unchanged (volcim.Ptr("") sends an empty one).
	AvatarURL *string
	// NickName is the member's new nickname; nil leaves it unchanged
	// (volcim.Ptr("") sends an empty one).
	NickName *string
	// Ext are the member's extension fields to set; nil or empty sends
	// none.
	Ext map[string]string
	// Marks are marks to add to (or, with MarkDelete, delete from) the
	// member's marks.
	Marks []string
}

// BatchUpdateLiveParticipantsRequest updates the profiles of members of a
// live group.
type BatchUpdateLiveParticipantsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the live group.
	ConversationShortID int64
	// Participants are the members' new profiles: 1 to
	// MaxBatchUpdateLiveParticipants (10), none listed twice.
	Participants []LiveParticipantUpdate
	// MarkAction says whether the Marks given are added (MarkAdd) or
	// deleted (MarkDelete); zero leaves the server's default, add.
	MarkAction MarkAction
}

// BatchUpdateLiveParticipantsResponse is the reply of
// BatchUpdateLiveParticipants.
type BatchUpdateLiveParticipantsResponse struct {
	ResponseMetadata
	// Failed lists the members not updated, each with the server's code
	// (such as CodeParticipantNotInConversation); the call then also
	// returns a *PartialFailureError listing them.
	Failed []FailedItem
}

type wireBatchUpdateLiveParticipants struct {
	AppID               int64                       `json:"AppId"`
	ConversationShortID int64                       `json:"ConversationShortId"`
	ParticipantInfos    []wireLiveParticipantUpdate `json:"ParticipantInfos"`
	MarkAction          MarkAction                  `json:"MarkAction,omitempty"`
}

type wireLiveParticipantUpdate struct {
	UserID    int64             `json:"UserId"`
	UserIDStr string            `json:"UserIdStr,omitempty"`
	AvatarURL *string           `json:"AvatarUrl,omitempty"`
	Ext       map[string]string `json:"Ext,omitempty"`
	Marks     []string          `json:"Marks,omitempty"`
	NickName  *string           `json:"NickName,omitempty"`
}

type wireLiveFailedInfos struct {
	FailedInfos []wireFailedInfo `json:"FailedInfos"`
}

// BatchUpdateLiveParticipants updates the profiles (avatar, nickname,
// extension fields, marks) of up to 10 members of a live group (action
// BatchUpdateLiveParticipants, version 2020-12-01; live groups only; at most
// 50 QPS per account, DefaultRates; API page
// https://www.volcengine.com/docs/6348/1162951). Fields left nil or empty
// are not sent, and stay as they are.
//
// Members not updated (such as users who are not members:
// CodeParticipantNotInConversation) come back in the response's Failed, with
// the server's code each, and in a *PartialFailureError returned with it
// (see ErrPartialFailure). Retries converge: setting a profile again, or
// adding (deleting) marks again, leaves the same profile.
//
// A nil request, a zero AppID (after WithAppID), a ConversationShortID that
// is not positive, no members or more than 10, a member with neither a
// positive UserID nor a UserIDStr, a member listed twice, a member with none
// of AvatarURL, NickName and Ext, or a MarkAction other than 0, MarkAdd and
// MarkDelete returns an error wrapping ErrInvalidRequest before anything is
// sent.
func (c *Client) BatchUpdateLiveParticipants(ctx context.Context, req *BatchUpdateLiveParticipantsRequest, opts ...CallOption) (*BatchUpdateLiveParticipantsResponse, error) {
	a := actBatchUpdateLiveParticipants
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
	switch n := len(req.Participants); {
	case n == 0:
		return nil, a.invalid("Participants", "must not be empty")
	case n > MaxBatchUpdateLiveParticipants:
		return nil, a.invalid("Participants", "has %d members, more than the %d a call may take", n, MaxBatchUpdateLiveParticipants)
	}
	if req.MarkAction != 0 && req.MarkAction != MarkAdd && req.MarkAction != MarkDelete {
		return nil, a.invalid("MarkAction", "must be 0, MarkAdd (1) or MarkDelete (2), got %d", req.MarkAction)
	}
	body := wireBatchUpdateLiveParticipants{
		AppID:               appID,
		ConversationShortID: req.ConversationShortID,
		ParticipantInfos:    make([]wireLiveParticipantUpdate, len(req.Participants)),
		MarkAction:          req.MarkAction,
	}
	seen := make(map[string]bool, len(req.Participants))
	for i, p := range req.Participants {
		key := "#" + strconv.FormatInt(p.UserID, 10)
		if p.UserIDStr != "" {
			key = p.UserIDStr
		}
		switch {
		case p.UserID < 0 || p.UserID == 0 && p.UserIDStr == "":
			return nil, a.invalid("Participants", "[%d].UserID must be positive (or UserIDStr set), got %d", i, p.UserID)
		case p.AvatarURL == nil && p.NickName == nil && len(p.Ext) == 0:
			return nil, a.invalid("Participants", "[%d] sets none of AvatarURL, NickName and Ext: set at least one", i)
		case seen[key]:
			return nil, a.invalid("Participants", "[%d] lists a member a second time", i)
		}
		seen[key] = true
		body.ParticipantInfos[i] = wireLiveParticipantUpdate{
			UserID:    p.UserID,
			UserIDStr: p.UserIDStr,
			AvatarURL: p.AvatarURL,
			Ext:       p.Ext,
			Marks:     p.Marks,
			NickName:  p.NickName,
		}
	}
	res, meta, err := call[wireLiveFailedInfos](ctx, c, a, &cc, &body, 1)
	if err != nil {
		return nil, err
	}
	failed := failedInfos(res.FailedInfos)
	return &BatchUpdateLiveParticipantsResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}
