package volcim

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/volcim/volcim-go/pagination"
)

// The contact actions (API area "friends and block lists") and their retry
// classes. Adds, removes and updates converge: sending one again reaches
// the same end state.
var (
	actAddFriend       = defineAction(actionAddFriend, retryConverges, true)
	actDeleteFriend    = defineAction(actionDeleteFriend, retryConverges, true)
	actUpdateFriend    = defineAction(actionUpdateFriend, retryConverges, false)
	actListFriend      = defineAction(actionListFriend, retryRead, true)
	actIsFriend        = defineAction(actionIsFriend, retryRead, true)
	actAddBlackList    = defineAction(actionAddBlackList, retryConverges, true)
	actRemoveBlackList = defineAction(actionRemoveBlackList, retryConverges, false)
	actUpdateBlackList = defineAction(actionUpdateBlackList, retryConverges, true)
	actGetBlackList    = defineAction(actionGetBlackList, retryRead, true)
	actIsInBlackList   = defineAction(actionIsInBlackList, retryRead, true)
)

// Names of the contact actions.
const (
	actionAddFriend       = "AddFriend"
	actionDeleteFriend    = "DeleteFriend"
	actionUpdateFriend    = "UpdateFriend"
	actionListFriend      = "ListFriend"
	actionIsFriend        = "IsFriend"
	actionAddBlackList    = "AddBlackList"
	actionRemoveBlackList = "RemoveBlackList"
	actionUpdateBlackList = "UpdateBlackList"
	actionGetBlackList    = "GetBlackList"
	actionIsInBlackList   = "IsInBlackList"
)

// Limits of the contact actions, checked before anything is sent.
const (
	// MaxFriendsPerCall is the most users one call of AddFriend,
	// DeleteFriend, UpdateFriend or IsFriend takes, as the API documents.
	MaxFriendsPerCall = 10
	// MaxBlackListPerCall is the most users one call of AddBlackList,
	// RemoveBlackList, UpdateBlackList or IsInBlackList takes, as the API
	// documents.
	MaxBlackListPerCall = 10
	// MaxFriendPageSize is the most friends ListFriend returns per call
	// (also its default).
	MaxFriendPageSize = 20
	// MaxBlackListPageSize is the most block-list entries GetBlackList
	// returns per call.
	MaxBlackListPageSize = 20
)

// Friend is one friend of a user (the API's FriendInfo), as ListFriend
// returns it and as GetBlackList returns a blocked user who is also a
// friend. json.Marshal of a Friend gives the API's wire form back (times in
// milliseconds).
//
// The API does not give the unit of its friend and block-list times. The
// SDK reads them as milliseconds, the unit of the user actions (BatchGetUser)
// released with the friend actions; a value below 10^11, which as
// milliseconds would fall before March 1973 but as seconds is any date up to
// the year 5138, is read as seconds instead, so the times are right
// whichever unit the server sends.
type Friend struct {
	// FriendUserID is the friend's user id.
	FriendUserID int64
	// Alias is the name the user gave the friend (UpdateFriend).
	Alias string
	// Ext is the friendship's extension fields, as the user set them
	// (AddFriend, UpdateFriend).
	Ext map[string]string
	// ApplyTime is when the friendship was asked for (UTC; see the type's
	// documentation for the unit); zero when the reply does not say.
	ApplyTime time.Time
	// CreateTime is when the friendship began (UTC; see the type's
	// documentation for the unit); zero when the reply does not say.
	CreateTime time.Time
	// ModifyTime is when the friendship last changed (UTC; see the type's
	// documentation for the unit); zero when the reply does not say.
	ModifyTime time.Time
}

// wireFriend is the API's FriendInfo, in the official model's field order.
type wireFriend struct {
	Alias        string            `json:"Alias"`
	ApplyTime    int64             `json:"ApplyTime"`
	CreateTime   int64             `json:"CreateTime"`
	FriendUserID int64             `json:"FriendUserId"`
	ModifyTime   int64             `json:"ModifyTime"`
	Ext          map[string]string `json:"Ext,omitempty"`
}

func (w *wireFriend) friend() Friend {
	return Friend{
		FriendUserID: w.FriendUserID,
		Alias:        w.Alias,
		Ext:          w.Ext,
		ApplyTime:    fromContactTime(w.ApplyTime),
		CreateTime:   fromContactTime(w.CreateTime),
		ModifyTime:   fromContactTime(w.ModifyTime),
	}
}

func (f *Friend) wire() wireFriend {
	return wireFriend{
		Alias:        f.Alias,
		ApplyTime:    toMillis(f.ApplyTime),
		CreateTime:   toMillis(f.CreateTime),
		FriendUserID: f.FriendUserID,
		ModifyTime:   toMillis(f.ModifyTime),
		Ext:          f.Ext,
	}
}

// MarshalJSON encodes f in the API's wire form (times in milliseconds).
func (f Friend) MarshalJSON() ([]byte, error) {
	w := f.wire()
	return json.Marshal(&w)
}

// UnmarshalJSON decodes the API's wire form of a friend.
func (f *Friend) UnmarshalJSON(data []byte) error {
	var w wireFriend
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*f = w.friend()
	return nil
}

// BlackListEntry is one user on a user's block list (the API's
// BlackListInfo), as GetBlackList returns it. json.Marshal of an entry
// gives the API's wire form back (times in milliseconds).
type BlackListEntry struct {
	// BlackListUserID is the blocked user's id.
	BlackListUserID int64
	// Ext is the entry's extension fields (the API's BlackListUserExt).
	Ext map[string]string
	// CreateTime is when the user was blocked (UTC; the unit is read as
	// for Friend).
	CreateTime time.Time
	// ModifyTime is when the entry last changed (UTC; the unit is read as
	// for Friend).
	ModifyTime time.Time
	// Friend is the friendship with the blocked user when there is one
	// (blocking a user does not end a friendship); nil otherwise.
	Friend *Friend
}

// wireBlackListEntry is the API's BlackListInfo.
type wireBlackListEntry struct {
	BlackListUserID  int64             `json:"BlackListUserId"`
	CreateTime       int64             `json:"CreateTime"`
	ModifyTime       int64             `json:"ModifyTime"`
	BlackListUserExt map[string]string `json:"BlackListUserExt,omitempty"`
	FriendUserInfo   *wireFriend       `json:"FriendUserInfo,omitempty"`
}

func (w *wireBlackListEntry) entry() BlackListEntry {
	e := BlackListEntry{
		BlackListUserID: w.BlackListUserID,
		Ext:             w.BlackListUserExt,
		CreateTime:      fromContactTime(w.CreateTime),
		ModifyTime:      fromContactTime(w.ModifyTime),
	}
	if w.FriendUserInfo != nil {
		f := w.FriendUserInfo.friend()
		e.Friend = &f
	}
	return e
}

func (e *BlackListEntry) wire() wireBlackListEntry {
	w := wireBlackListEntry{
		BlackListUserID:  e.BlackListUserID,
		CreateTime:       toMillis(e.CreateTime),
		ModifyTime:       toMillis(e.ModifyTime),
		BlackListUserExt: e.Ext,
	}
	if e.Friend != nil {
		f := e.Friend.wire()
		w.FriendUserInfo = &f
	}
	return w
}

// MarshalJSON encodes e in the API's wire form (times in milliseconds).
func (e BlackListEntry) MarshalJSON() ([]byte, error) {
	w := e.wire()
	return json.Marshal(&w)
}

// UnmarshalJSON decodes the API's wire form of a block-list entry.
func (e *BlackListEntry) UnmarshalJSON(data []byte) error {
	var w wireBlackListEntry
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*e = w.entry()
	return nil
}

// secondsBelow is where fromContactTime tells seconds from milliseconds:
// 10^11 milliseconds is 1973-03-03, 10^11 seconds the year 5138.
const secondsBelow = 100_000_000_000

// fromContactTime reads a friend or block-list time: milliseconds, or
// seconds for a value below 10^11 (see Friend). Zero stays the zero time.
func fromContactTime(v int64) time.Time {
	if v > -secondsBelow && v < secondsBelow {
		return fromSeconds(v)
	}
	return fromMillis(v)
}

// checkContactUser checks the user whose friends or block list a request is
// about.
func checkContactUser(a *apiAction, userID int64) error {
	if userID <= 0 {
		return a.invalid("UserID", "must be positive, got %d", userID)
	}
	return nil
}

// AddFriendRequest makes users friends of a user.
type AddFriendRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox, which isolates friends and block lists
	// logically; zero is the default inbox.
	InboxType int32
	// UserID is the user who gains friends.
	UserID int64
	// FriendUserIDs are the new friends: 1 to MaxFriendsPerCall (10)
	// positive user ids.
	FriendUserIDs []int64
	// Ext is the friendships' extension fields; nil sets none.
	Ext map[string]string
}

// AddFriendResponse is the reply of AddFriend.
type AddFriendResponse struct {
	ResponseMetadata
	// Failed lists the users who were not made friends, with the server's
	// code for each; the call's error is then a *PartialFailureError.
	Failed []FailedItem
}

type wireAddFriend struct {
	AppID         int64             `json:"AppId"`
	FriendUserIDs []int64           `json:"FriendUserIds"`
	UserID        int64             `json:"UserId"`
	Ext           map[string]string `json:"Ext,omitempty"`
	InboxType     int32             `json:"InboxType,omitempty"`
}

// wireFailedInfos is the Result of the contact writes that list the users
// they failed for.
type wireFailedInfos struct {
	FailedInfos []wireFailedInfo `json:"FailedInfos"`
}

// AddFriend makes users friends of a user, both ways: each becomes the
// user's friend and the user theirs (action AddFriend, version 2020-12-01;
// at most 10 users a call; 50 QPS per account (DefaultRates); API page
// https://www.volcengine.com/docs/6348/1125662).
//
// Users the server could not make friends are listed in the response's
// Failed, and the error is then a *PartialFailureError (wrapping
// ErrPartialFailure) returned together with the response; the others are
// friends.
//
// Retries are safe: adding a friend again reaches the same end state (the
// server may report a friend added by an earlier attempt as failed, for
// example as already a friend).
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, or an empty, oversized (10) or non-positive FriendUserIDs
// returns an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) AddFriend(ctx context.Context, req *AddFriendRequest, opts ...CallOption) (*AddFriendResponse, error) {
	a := actAddFriend
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkContactUser(a, req.UserID); err != nil {
		return nil, err
	}
	if err := checkIDList(a, "FriendUserIDs", req.FriendUserIDs, MaxFriendsPerCall); err != nil {
		return nil, err
	}
	res, meta, err := call[wireFailedInfos](ctx, c, a, &cc, &wireAddFriend{
		AppID:         appID,
		FriendUserIDs: req.FriendUserIDs,
		UserID:        req.UserID,
		Ext:           req.Ext,
		InboxType:     req.InboxType,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := failedInfos(res.FailedInfos)
	return &AddFriendResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// DeleteFriendRequest ends friendships of a user.
type DeleteFriendRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose friends are removed.
	UserID int64
	// DeleteUserIDs are the friends to remove: 1 to MaxFriendsPerCall (10)
	// positive user ids.
	DeleteUserIDs []int64
}

// DeleteFriendResponse is the reply of DeleteFriend.
type DeleteFriendResponse struct {
	ResponseMetadata
	// Failed lists the friendships the server could not end, with its
	// code for each; the call's error is then a *PartialFailureError.
	Failed []FailedItem
}

type wireDeleteFriend struct {
	AppID         int64   `json:"AppId"`
	DeleteUserIDs []int64 `json:"DeleteUserIds"`
	UserID        int64   `json:"UserId"`
	InboxType     int32   `json:"InboxType,omitempty"`
}

// DeleteFriend ends friendships of a user, both ways (action DeleteFriend,
// version 2020-12-01; at most 10 users a call; 50 QPS per account
// (DefaultRates); API page https://www.volcengine.com/docs/6348/1125751).
//
// Friendships the server could not end are listed in the response's Failed,
// and the error is then a *PartialFailureError returned together with the
// response. Retries are safe: removing a friend again reaches the same end
// state.
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, or an empty, oversized (10) or non-positive DeleteUserIDs
// returns an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) DeleteFriend(ctx context.Context, req *DeleteFriendRequest, opts ...CallOption) (*DeleteFriendResponse, error) {
	a := actDeleteFriend
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkContactUser(a, req.UserID); err != nil {
		return nil, err
	}
	if err := checkIDList(a, "DeleteUserIDs", req.DeleteUserIDs, MaxFriendsPerCall); err != nil {
		return nil, err
	}
	res, meta, err := call[wireFailedInfos](ctx, c, a, &cc, &wireDeleteFriend{
		AppID:         appID,
		DeleteUserIDs: req.DeleteUserIDs,
		UserID:        req.UserID,
		InboxType:     req.InboxType,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := failedInfos(res.FailedInfos)
	return &DeleteFriendResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// FriendUpdate is what UpdateFriend changes about one friend: its Alias,
// its Ext, or both (at least one must be set).
type FriendUpdate struct {
	// FriendUserID is the friend to update.
	FriendUserID int64
	// Alias, when not nil, becomes the friend's alias (volcim.Ptr("") clears
	// it); nil leaves the alias as it is.
	Alias *string
	// Ext holds extension fields to set; nil or empty sets none.
	Ext map[string]string
}

// UpdateFriendRequest updates friends of a user.
type UpdateFriendRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose friends are updated.
	UserID int64
	// FriendInfos are the updates: 1 to MaxFriendsPerCall (10), each with a
	// positive FriendUserID and an Alias or a non-empty Ext.
	FriendInfos []FriendUpdate
}

// UpdateFriendResponse is the reply of UpdateFriend.
type UpdateFriendResponse struct {
	ResponseMetadata
	// Failed lists the friends the server did not update (such as users
	// who are not friends), with its code for each; the call's error is
	// then a *PartialFailureError.
	Failed []FailedItem
}

type wireUpdateFriend struct {
	AppID       int64              `json:"AppId"`
	FriendInfos []wireFriendUpdate `json:"FriendInfos"`
	UserID      int64              `json:"UserId"`
	InboxType   int32              `json:"InboxType,omitempty"`
}

// wireFriendUpdate is one item of UpdateFriend: its Ext is sent even when
// nil, as the official model does.
type wireFriendUpdate struct {
	Ext          map[string]string `json:"Ext"`
	FriendUserID int64             `json:"FriendUserId"`
	Alias        *string           `json:"Alias,omitempty"`
}

// UpdateFriend sets the alias or extension fields of friends of a user, as
// the user sees them (action UpdateFriend, version 2020-12-01; at most 10
// friends a call; its page states no QPS, DefaultRates holds it to the
// writes' 50; API page https://www.volcengine.com/docs/6348/1125752).
//
// Friends the server did not update are listed in the response's Failed,
// and the error is then a *PartialFailureError returned together with the
// response. Retries are safe: an update sent again sets the same values.
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, an empty or oversized (10) FriendInfos, or an item with a
// FriendUserID that is not positive or with neither Alias nor Ext returns
// an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) UpdateFriend(ctx context.Context, req *UpdateFriendRequest, opts ...CallOption) (*UpdateFriendResponse, error) {
	a := actUpdateFriend
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkContactUser(a, req.UserID); err != nil {
		return nil, err
	}
	switch n := len(req.FriendInfos); {
	case n == 0:
		return nil, a.invalid("FriendInfos", "must not be empty")
	case n > MaxFriendsPerCall:
		return nil, a.invalid("FriendInfos", "has %d friends, more than the %d a call may take", n, MaxFriendsPerCall)
	}
	items := make([]wireFriendUpdate, len(req.FriendInfos))
	for i, f := range req.FriendInfos {
		switch {
		case f.FriendUserID <= 0:
			return nil, a.invalid("FriendInfos", "[%d].FriendUserID must be positive, got %d", i, f.FriendUserID)
		case f.Alias == nil && len(f.Ext) == 0:
			return nil, a.invalid("FriendInfos", "[%d] (friend %d) must set Alias or Ext", i, f.FriendUserID)
		}
		items[i] = wireFriendUpdate{Ext: f.Ext, FriendUserID: f.FriendUserID, Alias: f.Alias}
	}
	res, meta, err := call[wireFailedInfos](ctx, c, a, &cc, &wireUpdateFriend{
		AppID:       appID,
		FriendInfos: items,
		UserID:      req.UserID,
		InboxType:   req.InboxType,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := failedInfos(res.FailedInfos)
	return &UpdateFriendResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// ListFriendRequest asks for one page of a user's friends.
type ListFriendRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose friends are listed.
	UserID int64
	// Cursor is where the page starts: 0 (the default) is the first friend
	// added; a reply's NextCursor continues where it stopped. Not negative.
	Cursor int64
	// Limit is how many friends to return: 0 for the server's default
	// (MaxFriendPageSize, 20), or 1 to 20.
	Limit int
	// NeedTotal asks for the number of friends (TotalCount).
	NeedTotal bool
}

// ListFriendResponse is one page of a user's friends.
type ListFriendResponse struct {
	ResponseMetadata
	// Friends are the page's friends, in the order they were added.
	Friends []Friend
	// HasMore tells whether another page follows.
	HasMore bool
	// NextCursor is where the next page starts: pass it as the next
	// request's Cursor (negative: no more).
	NextCursor int64
	// TotalCount is the number of friends, when the request's NeedTotal
	// asked for it (0 otherwise).
	TotalCount int64
}

type wireListFriend struct {
	AppID     int64 `json:"AppId"`
	UserID    int64 `json:"UserId"`
	Cursor    int64 `json:"Cursor,omitempty"`
	InboxType int32 `json:"InboxType,omitempty"`
	Limit     int   `json:"Limit,omitempty"`
	NeedTotal bool  `json:"NeedTotal,omitempty"`
}

// wireContactPage is the paging part of the ListFriend and GetBlackList
// results. The official model (and SDKs) name the cursor NextCursor, the API
// pages NewCursor: either is read, NextCursor first.
type wireContactPage struct {
	HasMore    bool   `json:"HasMore"`
	NextCursor *int64 `json:"NextCursor"`
	NewCursor  *int64 `json:"NewCursor"`
	TotalCount int64  `json:"TotalCount"`
}

// next returns the reply's cursor: NextCursor, else NewCursor, else -1 (no
// more) for a last page. A reply that says HasMore with neither is
// malformed.
func (p *wireContactPage) next(a *apiAction, meta ResponseMetadata) (int64, error) {
	switch {
	case p.NextCursor != nil:
		return *p.NextCursor, nil
	case p.NewCursor != nil:
		return *p.NewCursor, nil
	case p.HasMore:
		return 0, fmt.Errorf("%w: %s: the reply says HasMore but has no NextCursor [request %s]", ErrMalformedReply, a.name, meta.RequestID)
	}
	return -1, nil
}

type wireListFriendResult struct {
	FriendInfos []wireFriend `json:"FriendInfos"`
	wireContactPage
}

// ListFriend fetches one page of at most 20 of a user's friends, in the
// order they were added (action ListFriend, version 2020-12-01; 100 QPS per
// account (DefaultRates); API page
// https://www.volcengine.com/docs/6348/1125753). To walk the whole list, use
// Friends or FriendsPager, which follow HasMore and NextCursor for you.
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, a negative Cursor, or a Limit outside 0 to 20 returns an error
// wrapping ErrInvalidRequest before anything is sent.
func (c *Client) ListFriend(ctx context.Context, req *ListFriendRequest, opts ...CallOption) (*ListFriendResponse, error) {
	a := actListFriend
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkContactUser(a, req.UserID); err != nil {
		return nil, err
	}
	switch {
	case req.Cursor < 0:
		return nil, a.invalid("Cursor", "must not be negative, got %d", req.Cursor)
	case req.Limit < 0 || req.Limit > MaxFriendPageSize:
		return nil, a.invalid("Limit", "must be 0 (for %d) or 1 to %d, got %d", MaxFriendPageSize, MaxFriendPageSize, req.Limit)
	}
	res, meta, err := call[wireListFriendResult](ctx, c, a, &cc, &wireListFriend{
		AppID:     appID,
		UserID:    req.UserID,
		Cursor:    req.Cursor,
		InboxType: req.InboxType,
		Limit:     req.Limit,
		NeedTotal: req.NeedTotal,
	}, 1)
	if err != nil {
		return nil, err
	}
	next, err := res.next(a, meta)
	if err != nil {
		return nil, err
	}
	var friends []Friend
	if res.FriendInfos != nil {
		friends = make([]Friend, len(res.FriendInfos))
		for i := range res.FriendInfos {
			friends[i] = res.FriendInfos[i].friend()
		}
	}
	return &ListFriendResponse{
		ResponseMetadata: meta,
		Friends:          friends,
		HasMore:          res.HasMore,
		NextCursor:       next,
		TotalCount:       res.TotalCount,
	}, nil
}

// IsFriendRequest asks whether users are friends of a user.
type IsFriendRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose friends are checked.
	UserID int64
	// FriendUserIDs are the users to check: 1 to MaxFriendsPerCall (10)
	// positive user ids.
	FriendUserIDs []int64
}

// IsFriendResponse is the reply of IsFriend.
type IsFriendResponse struct {
	ResponseMetadata
	// IsFriend maps each user checked to whether it is a friend of the
	// request's user.
	IsFriend map[int64]bool
}

type wireIsFriend struct {
	AppID         int64   `json:"AppId"`
	FriendUserIDs []int64 `json:"FriendUserIds"`
	UserID        int64   `json:"UserId"`
	InboxType     int32   `json:"InboxType,omitempty"`
}

type wireIsFriendResult struct {
	Infos []struct {
		FriendUserID int64 `json:"FriendUserId"`
		IsFriend     bool  `json:"IsFriend"`
	} `json:"Infos"`
}

// IsFriend tells whether users are friends of a user (action IsFriend,
// version 2020-12-01; at most 10 users a call; 100 QPS per account
// (DefaultRates); API page https://www.volcengine.com/docs/6348/1125754).
// Friendships are mutual (AddFriend and DeleteFriend act both ways).
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, or an empty, oversized (10) or non-positive FriendUserIDs
// returns an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) IsFriend(ctx context.Context, req *IsFriendRequest, opts ...CallOption) (*IsFriendResponse, error) {
	a := actIsFriend
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkContactUser(a, req.UserID); err != nil {
		return nil, err
	}
	if err := checkIDList(a, "FriendUserIDs", req.FriendUserIDs, MaxFriendsPerCall); err != nil {
		return nil, err
	}
	res, meta, err := call[wireIsFriendResult](ctx, c, a, &cc, &wireIsFriend{
		AppID:         appID,
		FriendUserIDs: req.FriendUserIDs,
		UserID:        req.UserID,
		InboxType:     req.InboxType,
	}, 1)
	if err != nil {
		return nil, err
	}
	is := make(map[int64]bool, len(res.Infos))
	for _, info := range res.Infos {
		is[info.FriendUserID] = info.IsFriend
	}
	return &IsFriendResponse{ResponseMetadata: meta, IsFriend: is}, nil
}

// BlackListUser is one user that AddBlackList puts on a block list, or
// whose entry UpdateBlackList updates.
type BlackListUser struct {
	// BlackListUserID is the blocked user.
	BlackListUserID int64
	// Ext is the entry's extension fields (the API's BlackListUserExt):
	// AddBlackList sets them, UpdateBlackList adds them to the entry's,
	// replacing the values of keys it has. Nil sets none.
	Ext map[string]string
}

type wireBlackListUser struct {
	BlackListUserID  int64             `json:"BlackListUserId"`
	BlackListUserExt map[string]string `json:"BlackListUserExt,omitempty"`
}

// wireBlackListWrite is the body of AddBlackList and UpdateBlackList.
type wireBlackListWrite struct {
	AppID          int64               `json:"AppId"`
	BlackListInfos []wireBlackListUser `json:"BlackListInfos"`
	UserID         int64               `json:"UserId"`
	InboxType      int32               `json:"InboxType,omitempty"`
}

// blackListWrite checks and builds the body of AddBlackList and
// UpdateBlackList.
func blackListWrite(a *apiAction, appID int64, inboxType int32, userID int64, users []BlackListUser) (*wireBlackListWrite, error) {
	if err := checkContactUser(a, userID); err != nil {
		return nil, err
	}
	switch n := len(users); {
	case n == 0:
		return nil, a.invalid("BlackListInfos", "must not be empty")
	case n > MaxBlackListPerCall:
		return nil, a.invalid("BlackListInfos", "has %d users, more than the %d a call may take", n, MaxBlackListPerCall)
	}
	items := make([]wireBlackListUser, len(users))
	for i, u := range users {
		if u.BlackListUserID <= 0 {
			return nil, a.invalid("BlackListInfos", "[%d].BlackListUserID must be positive, got %d", i, u.BlackListUserID)
		}
		items[i] = wireBlackListUser{BlackListUserID: u.BlackListUserID, BlackListUserExt: u.Ext}
	}
	return &wireBlackListWrite{AppID: appID, BlackListInfos: items, UserID: userID, InboxType: inboxType}, nil
}

// AddBlackListRequest puts users on a user's block list.
type AddBlackListRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose block list grows.
	UserID int64
	// BlackListInfos are the users to block: 1 to MaxBlackListPerCall (10),
	// each with a positive BlackListUserID.
	BlackListInfos []BlackListUser
}

// AddBlackListResponse is the reply of AddBlackList.
type AddBlackListResponse struct {
	ResponseMetadata
	// Failed lists the users the server did not block, with its code for
	// each; the call's error is then a *PartialFailureError.
	Failed []FailedItem
}

// AddBlackList puts users on a user's block list (action AddBlackList,
// version 2020-12-01; at most 10 users a call; 50 QPS per account
// (DefaultRates); API page https://www.volcengine.com/docs/6348/1152119).
// Blocking a friend does not end the friendship.
//
// Users the server did not block are listed in the response's Failed, and
// the error is then a *PartialFailureError returned together with the
// response. Retries are safe: blocking a user again reaches the same end
// state (the server may report a user blocked by an earlier attempt as
// failed).
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, or an empty or oversized (10) BlackListInfos, or an item whose
// BlackListUserID is not positive returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) AddBlackList(ctx context.Context, req *AddBlackListRequest, opts ...CallOption) (*AddBlackListResponse, error) {
	a := actAddBlackList
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	body, err := blackListWrite(a, appID, req.InboxType, req.UserID, req.BlackListInfos)
	if err != nil {
		return nil, err
	}
	res, meta, err := call[wireFailedInfos](ctx, c, a, &cc, body, 1)
	if err != nil {
		return nil, err
	}
	failed := failedInfos(res.FailedInfos)
	return &AddBlackListResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// UpdateBlackListRequest updates the extension fields of block-list
// entries.
type UpdateBlackListRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose block list is updated.
	UserID int64
	// BlackListInfos are the entries to update: 1 to MaxBlackListPerCall
	// (10), each with a positive BlackListUserID; each Ext is added to the
	// entry's, replacing the values of keys it has.
	BlackListInfos []BlackListUser
}

// UpdateBlackListResponse is the reply of UpdateBlackList.
type UpdateBlackListResponse struct {
	ResponseMetadata
	// Failed lists the entries the server did not update (such as users
	// not on the list), with its code for each; the call's error is then a
	// *PartialFailureError.
	Failed []FailedItem
}

// UpdateBlackList adds extension fields to entries of a user's block list:
// keys new to an entry are added, keys it has get the new value (action
// UpdateBlackList, version 2020-12-01; at most 10 users a call; 50 QPS per
// account (DefaultRates); API page
// https://www.volcengine.com/docs/6348/1152121).
//
// Entries the server did not update are listed in the response's Failed,
// and the error is then a *PartialFailureError returned together with the
// response. Retries are safe: an update sent again sets the same values.
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, or an empty or oversized (10) BlackListInfos, or an item whose
// BlackListUserID is not positive returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) UpdateBlackList(ctx context.Context, req *UpdateBlackListRequest, opts ...CallOption) (*UpdateBlackListResponse, error) {
	a := actUpdateBlackList
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	body, err := blackListWrite(a, appID, req.InboxType, req.UserID, req.BlackListInfos)
	if err != nil {
		return nil, err
	}
	res, meta, err := call[wireFailedInfos](ctx, c, a, &cc, body, 1)
	if err != nil {
		return nil, err
	}
	failed := failedInfos(res.FailedInfos)
	return &UpdateBlackListResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// RemoveBlackListRequest takes users off a user's block list.
type RemoveBlackListRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose block list shrinks.
	UserID int64
	// BlackListUserIDs are the users to unblock: 1 to MaxBlackListPerCall
	// (10) positive user ids.
	BlackListUserIDs []int64
}

// RemoveBlackListResponse is the reply of RemoveBlackList: the API
// documents no result.
type RemoveBlackListResponse struct {
	ResponseMetadata
}

// wireBlackListIDs is the body of RemoveBlackList and IsInBlackList.
type wireBlackListIDs struct {
	AppID            int64   `json:"AppId"`
	BlackListUserIDs []int64 `json:"BlackListUserIds"`
	UserID           int64   `json:"UserId"`
	InboxType        int32   `json:"InboxType,omitempty"`
}

// RemoveBlackList takes users off a user's block list (action
// RemoveBlackList, version 2020-12-01; at most 10 users a call; 50 QPS per
// account (DefaultRates); API page
// https://www.volcengine.com/docs/6348/1152120). The API reports no
// per-user result. Retries are safe: removing a user again reaches the same
// end state.
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, or an empty, oversized (10) or non-positive BlackListUserIDs
// returns an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) RemoveBlackList(ctx context.Context, req *RemoveBlackListRequest, opts ...CallOption) (*RemoveBlackListResponse, error) {
	a := actRemoveBlackList
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkContactUser(a, req.UserID); err != nil {
		return nil, err
	}
	if err := checkIDList(a, "BlackListUserIDs", req.BlackListUserIDs, MaxBlackListPerCall); err != nil {
		return nil, err
	}
	_, meta, err := call[noResult](ctx, c, a, &cc, &wireBlackListIDs{
		AppID:            appID,
		BlackListUserIDs: req.BlackListUserIDs,
		UserID:           req.UserID,
		InboxType:        req.InboxType,
	}, 1)
	if err != nil {
		return nil, err
	}
	return &RemoveBlackListResponse{ResponseMetadata: meta}, nil
}

// GetBlackListRequest asks for one page of a user's block list.
type GetBlackListRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose block list is read.
	UserID int64
	// Cursor is where the page starts: 0 is the user blocked last (the
	// list runs from the newest entry to the oldest); a reply's NextCursor
	// continues where it stopped. Not negative.
	Cursor int64
	// Limit is how many entries to return: 1 to MaxBlackListPageSize (20).
	Limit int
	// NeedTotal asks for the number of entries (TotalCount).
	NeedTotal bool
}

// GetBlackListResponse is one page of a user's block list.
type GetBlackListResponse struct {
	ResponseMetadata
	// BlackList is the page's entries, newest first.
	BlackList []BlackListEntry
	// HasMore tells whether another page follows.
	HasMore bool
	// NextCursor is where the next page starts: pass it as the next
	// request's Cursor (negative: no more).
	NextCursor int64
	// TotalCount is the number of entries, when the request's NeedTotal
	// asked for it (0 otherwise).
	TotalCount int64
}

type wireGetBlackList struct {
	AppID     int64 `json:"AppId"`
	Cursor    int64 `json:"Cursor"`
	Limit     int   `json:"Limit"`
	UserID    int64 `json:"UserId"`
	InboxType int32 `json:"InboxType,omitempty"`
	NeedTotal bool  `json:"NeedTotal,omitempty"`
}

type wireGetBlackListResult struct {
	BlackListInfos []wireBlackListEntry `json:"BlackListInfos"`
	wireContactPage
}

// GetBlackList fetches one page of at most 20 entries of a user's block
// list, from the user blocked last to the first (action GetBlackList,
// version 2020-12-01; 100 QPS per account (DefaultRates); API page
// https://www.volcengine.com/docs/6348/1152122). An entry of a user who is
// also a friend carries the friendship. To walk the whole list, use
// BlackList or BlackListPager, which follow HasMore and NextCursor for you.
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, a negative Cursor, or a Limit outside 1 to 20 returns an error
// wrapping ErrInvalidRequest before anything is sent.
func (c *Client) GetBlackList(ctx context.Context, req *GetBlackListRequest, opts ...CallOption) (*GetBlackListResponse, error) {
	a := actGetBlackList
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkContactUser(a, req.UserID); err != nil {
		return nil, err
	}
	switch {
	case req.Cursor < 0:
		return nil, a.invalid("Cursor", "must not be negative, got %d", req.Cursor)
	case req.Limit < 1 || req.Limit > MaxBlackListPageSize:
		return nil, a.invalid("Limit", "must be 1 to %d, got %d", MaxBlackListPageSize, req.Limit)
	}
	res, meta, err := call[wireGetBlackListResult](ctx, c, a, &cc, &wireGetBlackList{
		AppID:     appID,
		Cursor:    req.Cursor,
		Limit:     req.Limit,
		UserID:    req.UserID,
		InboxType: req.InboxType,
		NeedTotal: req.NeedTotal,
	}, 1)
	if err != nil {
		return nil, err
	}
	next, err := res.next(a, meta)
	if err != nil {
		return nil, err
	}
	var entries []BlackListEntry
	if res.BlackListInfos != nil {
		entries = make([]BlackListEntry, len(res.BlackListInfos))
		for i := range res.BlackListInfos {
			entries[i] = res.BlackListInfos[i].entry()
		}
	}
	return &GetBlackListResponse{
		ResponseMetadata: meta,
		BlackList:        entries,
		HasMore:          res.HasMore,
		NextCursor:       next,
		TotalCount:       res.TotalCount,
	}, nil
}

// IsInBlackListRequest asks whether users are on a user's block list.
type IsInBlackListRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose block list is checked.
	UserID int64
	// BlackListUserIDs are the users to check: 1 to MaxBlackListPerCall
	// (10) positive user ids.
	BlackListUserIDs []int64
}

// IsInBlackListResponse is the reply of IsInBlackList.
type IsInBlackListResponse struct {
	ResponseMetadata
	// IsInBlackList maps each user checked to whether it is on the block
	// list (the API's IsInBlackListInfos, whose keys are user ids as text).
	IsInBlackList map[int64]bool
}

type wireIsInBlackListResult struct {
	IsInBlackListInfos map[string]bool `json:"IsInBlackListInfos"`
}

// IsInBlackList tells whether users are on a user's block list (action
// IsInBlackList, version 2020-12-01; at most 10 users a call; 100 QPS per
// account (DefaultRates); API page
// https://www.volcengine.com/docs/6348/1152123).
//
// A nil request, a zero AppID (after WithAppID), a UserID that is not
// positive, or an empty, oversized (10) or non-positive BlackListUserIDs
// returns an error wrapping ErrInvalidRequest before anything is sent. A
// reply whose map has a key that is not a user id is an error wrapping
// ErrMalformedReply.
func (c *Client) IsInBlackList(ctx context.Context, req *IsInBlackListRequest, opts ...CallOption) (*IsInBlackListResponse, error) {
	a := actIsInBlackList
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkContactUser(a, req.UserID); err != nil {
		return nil, err
	}
	if err := checkIDList(a, "BlackListUserIDs", req.BlackListUserIDs, MaxBlackListPerCall); err != nil {
		return nil, err
	}
	res, meta, err := call[wireIsInBlackListResult](ctx, c, a, &cc, &wireBlackListIDs{
		AppID:            appID,
		BlackListUserIDs: req.BlackListUserIDs,
		UserID:           req.UserID,
		InboxType:        req.InboxType,
	}, 1)
	if err != nil {
		return nil, err
	}
	in := make(map[int64]bool, len(res.IsInBlackListInfos))
	for k, v := range res.IsInBlackListInfos {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil || id < 0 {
			return nil, fmt.Errorf("%w: %s: IsInBlackListInfos has the key %q, which is not a user id [request %s]", ErrMalformedReply, a.name, k, meta.RequestID)
		}
		in[id] = v
	}
	return &IsInBlackListResponse{ResponseMetadata: meta, IsInBlackList: in}, nil
}

// FriendsRequest describes a walk through a user's friends, page by page,
// with ListFriend.
type FriendsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose friends are walked.
	UserID int64
	// Cursor is where the walk starts: 0 for the first friend added, or a
	// cursor saved from FriendPager.Cursor to continue an earlier walk.
	// Not negative.
	Cursor int64
	// PageSize is how many friends each call asks for: 1 to
	// MaxFriendPageSize; 0 means MaxFriendPageSize (20).
	PageSize int
	// Max stops the walk after this many friends; 0 means all.
	Max int
	// MaxEmptyPages is how many empty pages in a row that say HasMore the
	// walk follows before it fails with pagination.ErrNoProgress; 0 means
	// pagination.DefaultMaxEmptyPages (10). Not negative.
	MaxEmptyPages int
	// NeedTotal asks every call for the number of friends:
	// FriendPager.TotalCount then reports the last page's.
	NeedTotal bool
}

// FriendPager walks a user's friends one page at a time; see
// Client.FriendsPager. It is a pagination.Pager (Next, All, HasMore, Cursor,
// Fetched) with the friend count of the last page. Persist Cursor() after
// handling each page to resume later.
type FriendPager struct {
	*pagination.Pager[int64, Friend]
	total contactTotal
}

// TotalCount returns the number of friends the last page reported, and
// whether one did: false before the first page, or when the walk did not
// ask (FriendsRequest.NeedTotal).
func (p *FriendPager) TotalCount() (int64, bool) { return p.total.get() }

// contactTotal is the TotalCount of a walk's last page.
type contactTotal struct {
	n   int64
	set bool
}

func (t *contactTotal) get() (int64, bool) { return t.n, t.set }

// The friend and block-list walks share one guard. Both cursors are offsets
// into the list (the API pages call NextCursor the next page's start
// position, 下一页起始下标): they increase along a walk, whatever order the
// list is in, so every step must increase the cursor
// (pagination.Increasing). A negative NextCursor means no more, as the pages
// document: contactCheckNext takes that reply as the last page.
func contactCheckNext(next int64) (bool, error) { return next >= 0, nil }

// checkWalk checks the fields every contact walk has.
func checkWalk(action string, userID, cursor int64, pageSize, maxPage, max, maxEmpty int) (int, error) {
	if pageSize == 0 {
		pageSize = maxPage
	}
	switch {
	case userID <= 0:
		return 0, invalid(action, "UserID", "must be positive, got %d", userID)
	case pageSize < 1 || pageSize > maxPage:
		return 0, invalid(action, "PageSize", "must be 0 (for %d) or 1 to %d, got %d", maxPage, maxPage, pageSize)
	case max < 0:
		return 0, invalid(action, "Max", "must not be negative, got %d", max)
	case cursor < 0:
		return 0, invalid(action, "Cursor", "must not be negative, got %d", cursor)
	case maxEmpty < 0:
		return 0, invalid(action, "MaxEmptyPages", "must not be negative, got %d", maxEmpty)
	}
	return pageSize, nil
}

// FriendsPager returns a pager over a user's friends, in the order they
// were added. Each Next makes one ListFriend call (at most 20 friends;
// every call waits for the client's rate limiter) and follows HasMore and
// NextCursor.
//
// The cursor is a position in the list, so it increases along the walk. A
// reply that says HasMore is discarded and ends the walk for good with an
// error, Cursor staying at the page that produced it, when its NextCursor
// equals the cursor asked for (pagination.ErrStalledCursor) or is lower
// (pagination.ErrCursorCycle), or, after req.MaxEmptyPages empty pages in a
// row, when it is empty (pagination.ErrNoProgress). A negative NextCursor
// means no more, as documented: that page is the last.
//
// The request is checked at once: an error wrapping ErrInvalidRequest is
// returned before any call. opts apply to every page's call.
func (c *Client) FriendsPager(req *FriendsRequest, opts ...CallOption) (*FriendPager, error) {
	const action = actionListFriend
	if req == nil {
		return nil, invalid(action, "", "nil request")
	}
	_, appID, err := c.settings(context.Background(), actListFriend, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	pageSize, err := checkWalk(action, req.UserID, req.Cursor, req.PageSize, MaxFriendPageSize, req.Max, req.MaxEmptyPages)
	if err != nil {
		return nil, err
	}
	p := &FriendPager{}
	page := ListFriendRequest{AppID: appID, InboxType: req.InboxType, UserID: req.UserID, NeedTotal: req.NeedTotal}
	fetch := func(ctx context.Context, cursor int64, limit int) (pagination.Page[int64, Friend], error) {
		r := page
		r.Cursor, r.Limit = cursor, limit
		resp, err := c.ListFriend(ctx, &r, opts...)
		if err != nil {
			return pagination.Page[int64, Friend]{}, err
		}
		if r.NeedTotal {
			p.total = contactTotal{n: resp.TotalCount, set: true}
		}
		return pagination.Page[int64, Friend]{Items: resp.Friends, HasMore: resp.HasMore, Next: resp.NextCursor}, nil
	}
	p.Pager, err = pagination.New(fetch, pagination.Options[int64]{
		Start:         req.Cursor,
		PageSize:      pageSize,
		Max:           req.Max,
		MaxEmptyPages: req.MaxEmptyPages,
		Advances:      pagination.Increasing[int64],
		CheckNext:     contactCheckNext,
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Friends iterates over a user's friends, in the order they were added,
// calling ListFriend page by page (at most 20 friends a call, under the
// client's rate limiter):
//
//	for f, err := range client.Friends(ctx, &volcim.FriendsRequest{UserID: id}) {
//		if err != nil {
//			return err
//		}
//		...
//	}
//
// An error (an invalid request, a failed call, a reply the walk cannot
// follow, a cancelled ctx) is yielded once and ends the iteration; breaking
// out of the loop stops at once with no further call. See FriendsPager for
// the walk's guards, and to checkpoint and resume.
func (c *Client) Friends(ctx context.Context, req *FriendsRequest, opts ...CallOption) iter.Seq2[Friend, error] {
	p, err := c.FriendsPager(req, opts...)
	return walk[Friend](ctx, p, err)
}

// BlackListRequest describes a walk through a user's block list, page by
// page, with GetBlackList.
type BlackListRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// InboxType is the inbox; zero is the default inbox.
	InboxType int32
	// UserID is the user whose block list is walked.
	UserID int64
	// Cursor is where the walk starts: 0 for the user blocked last, or a
	// cursor saved from BlackListPager.Cursor to continue an earlier walk.
	// Not negative.
	Cursor int64
	// PageSize is how many entries each call asks for: 1 to
	// MaxBlackListPageSize; 0 means MaxBlackListPageSize (20).
	PageSize int
	// Max stops the walk after this many entries; 0 means all.
	Max int
	// MaxEmptyPages is how many empty pages in a row that say HasMore the
	// walk follows before it fails with pagination.ErrNoProgress; 0 means
	// pagination.DefaultMaxEmptyPages (10). Not negative.
	MaxEmptyPages int
	// NeedTotal asks every call for the number of entries:
	// BlackListPager.TotalCount then reports the last page's.
	NeedTotal bool
}

// BlackListPager walks a user's block list one page at a time; see
// Client.BlackListPager. It is a pagination.Pager (Next, All, HasMore,
// Cursor, Fetched) with the entry count of the last page.
type BlackListPager struct {
	*pagination.Pager[int64, BlackListEntry]
	total contactTotal
}

// TotalCount returns the number of entries the last page reported, and
// whether one did: false before the first page, or when the walk did not
// ask (BlackListRequest.NeedTotal).
func (p *BlackListPager) TotalCount() (int64, bool) { return p.total.get() }

// BlackListPager returns a pager over a user's block list, from the user
// blocked last to the first. Each Next makes one GetBlackList call (at most
// 20 entries; every call waits for the client's rate limiter) and follows
// HasMore and NextCursor, with the guards of FriendsPager: the cursor is a
// position in the list and must increase along the walk, a negative
// NextCursor ends it.
//
// The request is checked at once: an error wrapping ErrInvalidRequest is
// returned before any call. opts apply to every page's call.
func (c *Client) BlackListPager(req *BlackListRequest, opts ...CallOption) (*BlackListPager, error) {
	const action = actionGetBlackList
	if req == nil {
		return nil, invalid(action, "", "nil request")
	}
	_, appID, err := c.settings(context.Background(), actGetBlackList, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	pageSize, err := checkWalk(action, req.UserID, req.Cursor, req.PageSize, MaxBlackListPageSize, req.Max, req.MaxEmptyPages)
	if err != nil {
		return nil, err
	}
	p := &BlackListPager{}
	page := GetBlackListRequest{AppID: appID, InboxType: req.InboxType, UserID: req.UserID, NeedTotal: req.NeedTotal}
	fetch := func(ctx context.Context, cursor int64, limit int) (pagination.Page[int64, BlackListEntry], error) {
		r := page
		r.Cursor, r.Limit = cursor, limit
		resp, err := c.GetBlackList(ctx, &r, opts...)
		if err != nil {
			return pagination.Page[int64, BlackListEntry]{}, err
		}
		if r.NeedTotal {
			p.total = contactTotal{n: resp.TotalCount, set: true}
		}
		return pagination.Page[int64, BlackListEntry]{Items: resp.BlackList, HasMore: resp.HasMore, Next: resp.NextCursor}, nil
	}
	p.Pager, err = pagination.New(fetch, pagination.Options[int64]{
		Start:         req.Cursor,
		PageSize:      pageSize,
		Max:           req.Max,
		MaxEmptyPages: req.MaxEmptyPages,
		Advances:      pagination.Increasing[int64],
		CheckNext:     contactCheckNext,
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// BlackList iterates over a user's block list, from the user blocked last
// to the first, calling GetBlackList page by page (at most 20 entries a
// call, under the client's rate limiter). An error is yielded once and ends
// the iteration; breaking out of the loop stops at once with no further
// call. See BlackListPager for the walk's guards, and to checkpoint and
// resume.
func (c *Client) BlackList(ctx context.Context, req *BlackListRequest, opts ...CallOption) iter.Seq2[BlackListEntry, error] {
	p, err := c.BlackListPager(req, opts...)
	return walk[BlackListEntry](ctx, p, err)
}
