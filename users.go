package volcim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/volcim/volcim-go/internal/redact"
)

// The user, tag, token and presence actions (API area "users") and their
// retry classes.
var (
	actRegisterUsers       = defineAction(actionRegisterUsers, retryConverges, false)
	actUnRegisterUsers     = defineAction(actionUnRegisterUsers, retryConverges, false)
	actBatchGetUser        = defineAction(actionBatchGetUser, retryRead, true)
	actBatchUpdateUser     = defineAction(actionBatchUpdateUser, retryConverges, false)
	actBatchUpdateUserTags = defineAction(actionBatchUpdateUserTags, retryConverges, true)
	actGetAppToken         = defineAction(actionGetAppToken, retryRead, true)
	actQueryOnlineStatus   = defineAction(actionQueryOnlineStatus, retryRead, true)
)

// Names of the user actions.
const (
	actionRegisterUsers       = "RegisterUsers"
	actionUnRegisterUsers     = "UnRegisterUsers"
	actionBatchGetUser        = "BatchGetUser"
	actionBatchUpdateUser     = "BatchUpdateUser"
	actionBatchUpdateUserTags = "BatchUpdateUserTags"
	actionGetAppToken         = "GetAppToken"
	actionQueryOnlineStatus   = "QueryOnlineStatus"
)

// CodeUserNotFound is the code of a user that is not registered (or no
// longer is), in the FailedItem of the user actions' partial failures.
const CodeUserNotFound = "UserNotFound"

// Limits of the user actions, as the API documents them, checked before
// anything is sent.
const (
	// MaxRegisterUsers is the most users one RegisterUsers call registers.
	MaxRegisterUsers = 20
	// MaxUnRegisterUsers is the most users one UnRegisterUsers call
	// unregisters.
	MaxUnRegisterUsers = 10
	// MaxBatchGetUser is the most users one BatchGetUser call reads.
	MaxBatchGetUser = 50
	// MaxBatchUpdateUser is the most users one BatchUpdateUser call updates.
	MaxBatchUpdateUser = 10
	// MaxQueryOnlineStatus is the most users one QueryOnlineStatus call
	// asks about.
	MaxQueryOnlineStatus = 100
	// MaxUserNickNameBytes is the longest nickname of a user, in bytes of
	// UTF-8.
	MaxUserNickNameBytes = 100
	// MaxUserPortraitBytes is the longest portrait (avatar URL) of a user,
	// in bytes.
	MaxUserPortraitBytes = 500
	// MaxUserExtKeys is the most extension fields a user has.
	MaxUserExtKeys = 20
	// MaxUserExtKeyBytes is the longest key of a user's extension field,
	// in bytes.
	MaxUserExtKeyBytes = 50
	// MaxUserExtValueBytes is the longest value of a user's extension
	// field, in bytes.
	MaxUserExtValueBytes = 500
	// UserExtReservedPrefix starts the keys the IM service reserves: a
	// user's Ext key may not start with it.
	UserExtReservedPrefix = "s:"
	// MaxRobots is the most robots (UserRegistration.IsRobot) an app may
	// register. The server enforces it; the client cannot count them.
	MaxRobots = 5000
)

// User is a registered user, as BatchGetUser returns it. json.Marshal gives
// the API's wire form back (times in milliseconds).
type User struct {
	// AppID is the app the user belongs to.
	AppID int64
	// UserID is the user's id.
	UserID int64
	// NickName is the user's nickname.
	NickName string
	// Portrait is the URL of the user's avatar.
	Portrait string
	// Tags are the user's tags, which UserBroadcast selects users by.
	Tags []string
	// Ext are the user's extension fields.
	Ext map[string]string
	// IsRobot tells a robot, registered as one.
	IsRobot bool
	// CreateTime is when the user was registered, to the millisecond
	// (UTC).
	CreateTime time.Time
	// ModifyTime is when the user's profile last changed, to the
	// millisecond (UTC).
	ModifyTime time.Time
}

// Profile returns the user's profile, for BatchUpdateUser: read a user,
// change what should change, send the profile back.
func (u User) Profile() UserProfile {
	return UserProfile{
		UserID:   u.UserID,
		NickName: u.NickName,
		Portrait: u.Portrait,
		Tags:     slices.Clone(u.Tags),
		Ext:      maps.Clone(u.Ext),
	}
}

type wireUser struct {
	AppID      int64             `json:"AppId"`
	CreateTime int64             `json:"CreateTime"`
	Ext        map[string]string `json:"Ext"`
	ModifyTime int64             `json:"ModifyTime"`
	NickName   string            `json:"NickName"`
	Portrait   string            `json:"Portrait"`
	UserID     int64             `json:"UserId"`
	Tags       []string          `json:"Tags,omitempty"`
	IsRobot    bool              `json:"IsRobot,omitempty"`
}

func (w *wireUser) user() User {
	return User{
		AppID:      w.AppID,
		UserID:     w.UserID,
		NickName:   w.NickName,
		Portrait:   w.Portrait,
		Tags:       w.Tags,
		Ext:        w.Ext,
		IsRobot:    w.IsRobot,
		CreateTime: fromMillis(w.CreateTime),
		ModifyTime: fromMillis(w.ModifyTime),
	}
}

// MarshalJSON encodes u in the API's wire form (times in milliseconds).
func (u User) MarshalJSON() ([]byte, error) {
	return json.Marshal(&wireUser{
		AppID:      u.AppID,
		CreateTime: toMillis(u.CreateTime),
		Ext:        u.Ext,
		ModifyTime: toMillis(u.ModifyTime),
		NickName:   u.NickName,
		Portrait:   u.Portrait,
		UserID:     u.UserID,
		Tags:       u.Tags,
		IsRobot:    u.IsRobot,
	})
}

// UnmarshalJSON decodes the API's wire form of a user.
func (u *User) UnmarshalJSON(data []byte) error {
	var w wireUser
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*u = w.user()
	return nil
}

// UserProfile is the profile of a user that BatchUpdateUser sets, whole.
type UserProfile struct {
	// UserID is the user, required (positive).
	UserID int64
	// NickName is the nickname, at most MaxUserNickNameBytes (100) bytes.
	NickName string
	// Portrait is the avatar's URL, at most MaxUserPortraitBytes (500)
	// bytes.
	Portrait string
	// Tags are the user's tags.
	Tags []string
	// Ext are the extension fields: at most MaxUserExtKeys (20), keys of
	// 1 to 50 bytes not starting with "s:", values of at most 500 bytes.
	Ext map[string]string
}

// UserRegistration is a user to register with RegisterUsers. Only UserID is
// required; the zero value of every other field leaves it unset.
type UserRegistration struct {
	// UserID is the user, required (positive).
	UserID int64
	// NickName is the nickname, at most MaxUserNickNameBytes (100) bytes.
	NickName string
	// Portrait is the avatar's URL, at most MaxUserPortraitBytes (500)
	// bytes.
	Portrait string
	// Tags are the user's tags, which UserBroadcast selects users by.
	Tags []string
	// Ext are the extension fields: at most MaxUserExtKeys (20), keys of
	// 1 to 50 bytes not starting with "s:", values of at most 500 bytes.
	Ext map[string]string
	// IsRobot registers the user as a robot (an app has at most MaxRobots).
	IsRobot bool
}

// checkUserProfile checks the fields a user's profile shares.
func checkUserProfile(a *apiAction, field string, i int, userID int64, nick, portrait string, ext map[string]string) error {
	switch {
	case userID <= 0:
		return a.invalid(field, "[%d].UserID must be positive, got %d", i, userID)
	case len(nick) > MaxUserNickNameBytes:
		return a.invalid(field, "[%d].NickName has %d bytes, more than %d", i, len(nick), MaxUserNickNameBytes)
	case len(portrait) > MaxUserPortraitBytes:
		return a.invalid(field, "[%d].Portrait has %d bytes, more than %d", i, len(portrait), MaxUserPortraitBytes)
	case len(ext) > MaxUserExtKeys:
		return a.invalid(field, "[%d].Ext has %d keys, more than %d", i, len(ext), MaxUserExtKeys)
	}
	for _, k := range slices.Sorted(maps.Keys(ext)) {
		switch v := ext[k]; {
		case k == "" || len(k) > MaxUserExtKeyBytes:
			return a.invalid(field, "[%d].Ext key %q must have 1 to %d bytes", i, k, MaxUserExtKeyBytes)
		case strings.HasPrefix(k, UserExtReservedPrefix):
			return a.invalid(field, "[%d].Ext key %q starts with the reserved prefix %q", i, k, UserExtReservedPrefix)
		case len(v) > MaxUserExtValueBytes:
			return a.invalid(field, "[%d].Ext[%q] has %d bytes, more than %d", i, k, len(v), MaxUserExtValueBytes)
		}
	}
	return nil
}

// wireUserFailedInfo is one entry of the user actions' FailedInfos. The
// RegisterUsers page types UserId as a string where the official model has
// a number: both are accepted.
type wireUserFailedInfo struct {
	UserID    flexUserID `json:"UserId"`
	UserIDStr string     `json:"UserIdStr,omitempty"`
	Code      string     `json:"Code"`
	Message   string     `json:"Message"`
}

// flexUserID decodes a user id sent as a number or as a string; a string
// that is not a decimal int64 is kept as a string id.
type flexUserID struct {
	id  int64
	str string
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexUserID) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			f.id = n
		} else {
			f.str = s
		}
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &f.id)
}

type wireUserFailedInfos struct {
	FailedInfos []wireUserFailedInfo `json:"FailedInfos"`
}

func (w *wireUserFailedInfos) failed() []FailedItem {
	if len(w.FailedInfos) == 0 {
		return nil
	}
	out := make([]FailedItem, len(w.FailedInfos))
	for i, f := range w.FailedInfos {
		str := f.UserIDStr
		if str == "" {
			str = f.UserID.str
		}
		out[i] = FailedItem{UserID: f.UserID.id, UserIDStr: str, Code: f.Code, Message: f.Message}
	}
	return out
}

// RegisterUsersRequest registers users (or robots).
type RegisterUsersRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// Users are the users to register: 1 to MaxRegisterUsers (20), none
	// listed twice.
	Users []UserRegistration
}

// RegisterUsersResponse is the reply of RegisterUsers.
type RegisterUsersResponse struct {
	ResponseMetadata
	// Failed lists the users not registered, with the server's code each;
	// the call then also returns a *PartialFailureError listing them.
	Failed []FailedItem
}

type wireRegisterUsers struct {
	AppID int64              `json:"AppId"`
	Users []wireRegisterUser `json:"Users"`
}

type wireRegisterUser struct {
	UserID   int64             `json:"UserId"`
	Ext      map[string]string `json:"Ext,omitempty"`
	NickName string            `json:"NickName,omitempty"`
	Portrait string            `json:"Portrait,omitempty"`
	Tags     []string          `json:"Tags,omitempty"`
	IsRobot  bool              `json:"IsRobot,omitempty"`
}

// RegisterUsers registers up to 20 users or robots with their profiles
// (action RegisterUsers, version 2020-12-01; at most 50 QPS per account,
// DefaultRates; an app has at most 5000 robots; API page
// https://www.volcengine.com/docs/6348/1125993). Registered users are those
// UserBroadcast reaches, and those BatchGetUser returns; sending messages
// needs no registration.
//
// Users not registered come back in the response's Failed, with the
// server's code each, and in a *PartialFailureError returned with it (see
// ErrPartialFailure). Retries converge: registering a user again registers
// the same profile.
//
// A nil request, a zero AppID (after WithAppID), no users or more than 20, a
// user id that is not positive or listed twice, a NickName over 100 bytes, a
// Portrait over 500 bytes, or an Ext of more than 20 keys, with an empty key,
// a key over 50 bytes or starting with "s:", or a value over 500 bytes
// returns an error wrapping ErrInvalidRequest before anything is sent.
func (c *Client) RegisterUsers(ctx context.Context, req *RegisterUsersRequest, opts ...CallOption) (*RegisterUsersResponse, error) {
	a := actRegisterUsers
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	switch n := len(req.Users); {
	case n == 0:
		return nil, a.invalid("Users", "must not be empty")
	case n > MaxRegisterUsers:
		return nil, a.invalid("Users", "has %d users, more than the %d a call may take", n, MaxRegisterUsers)
	}
	body := wireRegisterUsers{AppID: appID, Users: make([]wireRegisterUser, len(req.Users))}
	seen := make(map[int64]bool, len(req.Users))
	for i, u := range req.Users {
		if err := checkUserProfile(a, "Users", i, u.UserID, u.NickName, u.Portrait, u.Ext); err != nil {
			return nil, err
		}
		if seen[u.UserID] {
			return nil, a.invalid("Users", "[%d] lists user %d a second time", i, u.UserID)
		}
		seen[u.UserID] = true
		body.Users[i] = wireRegisterUser{
			UserID:   u.UserID,
			Ext:      u.Ext,
			NickName: u.NickName,
			Portrait: u.Portrait,
			Tags:     u.Tags,
			IsRobot:  u.IsRobot,
		}
	}
	res, meta, err := call[wireUserFailedInfos](ctx, c, a, &cc, &body, 1)
	if err != nil {
		return nil, err
	}
	failed := res.failed()
	return &RegisterUsersResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// UnRegisterUsersRequest unregisters users.
type UnRegisterUsersRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// UserIDs are the users: 1 to MaxUnRegisterUsers (10) positive ids.
	UserIDs []int64
}

// UnRegisterUsersResponse is the reply of UnRegisterUsers.
type UnRegisterUsersResponse struct {
	ResponseMetadata
	// Failed lists the users not unregistered, with the server's code each
	// (CodeUserNotFound for a user that is not registered); the call then
	// also returns a *PartialFailureError listing them.
	Failed []FailedItem
}

type wireUserIDList struct {
	AppID   int64   `json:"AppId"`
	UserIDs []int64 `json:"UserIds"`
}

// UnRegisterUsers unregisters up to 10 users (action UnRegisterUsers,
// version 2020-12-01; at most 50 QPS per account, DefaultRates; API page
// https://www.volcengine.com/docs/6348/1125994). BatchGetUser no longer
// returns them, and UserBroadcast no longer reaches them.
//
// Users not unregistered come back in the response's Failed, with the
// server's code each, and in a *PartialFailureError returned with it (see
// ErrPartialFailure). Retries converge, with one caveat: a retry of a call
// whose first attempt had in fact succeeded may report the users as failed
// with CodeUserNotFound, since they are no longer registered; they are
// unregistered all the same.
//
// A nil request, a zero AppID (after WithAppID), or an empty, oversized
// (MaxUnRegisterUsers) or non-positive id list returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) UnRegisterUsers(ctx context.Context, req *UnRegisterUsersRequest, opts ...CallOption) (*UnRegisterUsersResponse, error) {
	a := actUnRegisterUsers
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkIDList(a, "UserIDs", req.UserIDs, MaxUnRegisterUsers); err != nil {
		return nil, err
	}
	res, meta, err := call[wireUserFailedInfos](ctx, c, a, &cc, &wireUserIDList{AppID: appID, UserIDs: req.UserIDs}, 1)
	if err != nil {
		return nil, err
	}
	failed := res.failed()
	return &UnRegisterUsersResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// BatchGetUserRequest asks for registered users by id.
type BatchGetUserRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// UserIDs are the users: 1 to MaxBatchGetUser (50) positive ids.
	UserIDs []int64
}

// BatchGetUserResponse is the reply of BatchGetUser.
type BatchGetUserResponse struct {
	ResponseMetadata
	// Users are the registered users found.
	Users []User
	// NotFoundUserIDs are the ids asked for that are not registered (never
	// registered, or unregistered).
	NotFoundUserIDs []int64
}

type wireBatchGetUserResult struct {
	NotFoundUsers []int64    `json:"NotFoundUsers"`
	Users         []wireUser `json:"Users"`
}

// BatchGetUser fetches up to 50 registered users by id (action
// BatchGetUser, version 2020-12-01; at most 100 QPS per account,
// DefaultRates; API page https://www.volcengine.com/docs/6348/1125996).
// Users that are not registered are not an error: they are listed in
// NotFoundUserIDs.
//
// A nil request, a zero AppID (after WithAppID), or an empty, oversized
// (MaxBatchGetUser) or non-positive id list returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) BatchGetUser(ctx context.Context, req *BatchGetUserRequest, opts ...CallOption) (*BatchGetUserResponse, error) {
	a := actBatchGetUser
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkIDList(a, "UserIDs", req.UserIDs, MaxBatchGetUser); err != nil {
		return nil, err
	}
	res, meta, err := call[wireBatchGetUserResult](ctx, c, a, &cc, &wireUserIDList{AppID: appID, UserIDs: req.UserIDs}, 1)
	if err != nil {
		return nil, err
	}
	resp := &BatchGetUserResponse{ResponseMetadata: meta, NotFoundUserIDs: res.NotFoundUsers}
	if res.Users != nil {
		resp.Users = make([]User, len(res.Users))
		for i := range res.Users {
			resp.Users[i] = res.Users[i].user()
		}
	}
	return resp, nil
}

// BatchUpdateUserRequest replaces the profiles of registered users.
type BatchUpdateUserRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// Users are the new profiles, each whole: 1 to MaxBatchUpdateUser
	// (10), none listed twice.
	Users []UserProfile
}

// BatchUpdateUserResponse is the reply of BatchUpdateUser.
type BatchUpdateUserResponse struct {
	ResponseMetadata
	// Failed lists the users not updated, with the server's code each
	// (CodeUserNotFound for a user that is not registered); the call then
	// also returns a *PartialFailureError listing them.
	Failed []FailedItem
}

type wireBatchUpdateUser struct {
	AppID int64            `json:"AppId"`
	Users []wireUserUpdate `json:"Users"`
}

type wireUserUpdate struct {
	Ext      map[string]string `json:"Ext"`
	NickName string            `json:"NickName"`
	Portrait string            `json:"Portrait"`
	Tags     []string          `json:"Tags"`
	UserID   int64             `json:"UserId"`
}

// BatchUpdateUser replaces the profiles of up to 10 registered users
// (action BatchUpdateUser, version 2020-12-01; at most 50 QPS per account,
// DefaultRates; API page https://www.volcengine.com/docs/6348/1187901).
//
// It replaces the whole profile: the API requires every field (NickName,
// Portrait, Tags and Ext), so each is sent, empty or not, and a field left
// empty is sent empty and clears what the user had. To change one field,
// read the user with BatchGetUser, change its Profile and send that. A
// user's robot status and registration time are not part of the profile and
// do not change. To add or remove tags without the rest, use
// BatchUpdateUserTags.
//
// Users not updated come back in the response's Failed, with the server's
// code each, and in a *PartialFailureError returned with it (see
// ErrPartialFailure). Retries converge: the same profile is set again.
//
// A nil request, a zero AppID (after WithAppID), no users or more than 10, a
// user id that is not positive or listed twice, or a profile beyond the
// limits of UserProfile (as RegisterUsers checks them) returns an error
// wrapping ErrInvalidRequest before anything is sent.
func (c *Client) BatchUpdateUser(ctx context.Context, req *BatchUpdateUserRequest, opts ...CallOption) (*BatchUpdateUserResponse, error) {
	a := actBatchUpdateUser
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	switch n := len(req.Users); {
	case n == 0:
		return nil, a.invalid("Users", "must not be empty")
	case n > MaxBatchUpdateUser:
		return nil, a.invalid("Users", "has %d users, more than the %d a call may take", n, MaxBatchUpdateUser)
	}
	body := wireBatchUpdateUser{AppID: appID, Users: make([]wireUserUpdate, len(req.Users))}
	seen := make(map[int64]bool, len(req.Users))
	for i, u := range req.Users {
		if err := checkUserProfile(a, "Users", i, u.UserID, u.NickName, u.Portrait, u.Ext); err != nil {
			return nil, err
		}
		if seen[u.UserID] {
			return nil, a.invalid("Users", "[%d] lists user %d a second time", i, u.UserID)
		}
		seen[u.UserID] = true
		body.Users[i] = wireUserUpdate{Ext: u.Ext, NickName: u.NickName, Portrait: u.Portrait, Tags: u.Tags, UserID: u.UserID}
	}
	res, meta, err := call[wireUserFailedInfos](ctx, c, a, &cc, &body, 1)
	if err != nil {
		return nil, err
	}
	failed := res.failed()
	return &BatchUpdateUserResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// UserTagsOp says what BatchUpdateUserTags does with its tags (the API's
// Op).
type UserTagsOp int32

// Tag operations.
const (
	// UserTagsUpsert adds the tags; a tag the user has already is left as
	// it is. It is the zero value and the server's default.
	UserTagsUpsert UserTagsOp = 0
	// UserTagsDelete deletes the tags; a tag the user does not have is
	// ignored.
	UserTagsDelete UserTagsOp = 1
)

// String returns a short English name, or "UserTagsOp(N)" for an unknown value.
func (o UserTagsOp) String() string {
	switch o {
	case UserTagsUpsert:
		return "upsert"
	case UserTagsDelete:
		return "delete"
	}
	return "UserTagsOp(" + itoa(int64(o)) + ")"
}

// BatchUpdateUserTagsRequest adds tags to users, or deletes them.
type BatchUpdateUserTagsRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// UserIDs are the registered users: 1 to MaxIDsPerCall positive ids
	// (the API documents no maximum; the SDK sets one).
	UserIDs []int64
	// Tags are the tags to add or delete: at least one, none empty.
	Tags []string
	// Op says whether to add (UserTagsUpsert, the zero value) or delete
	// (UserTagsDelete) them.
	Op UserTagsOp
}

// BatchUpdateUserTagsResponse is the reply of BatchUpdateUserTags.
type BatchUpdateUserTagsResponse struct {
	ResponseMetadata
	// Failed lists the users whose tags did not change, with the server's
	// code each (CodeUserNotFound for a user that is not registered); the
	// call then also returns a *PartialFailureError listing them.
	Failed []FailedItem
}

type wireBatchUpdateUserTags struct {
	AppID   int64      `json:"AppId"`
	Op      UserTagsOp `json:"Op"`
	Tags    []string   `json:"Tags"`
	UserIDs []int64    `json:"UserIds"`
}

// BatchUpdateUserTags adds tags to registered users (UserTagsUpsert), or
// deletes tags from them (UserTagsDelete), leaving their other tags as they
// are (action BatchUpdateUserTags, version 2020-12-01; at most 50 QPS per
// account, DefaultRates; API page
// https://www.volcengine.com/docs/6348/1125995). UserBroadcast selects its
// receivers by tags.
//
// Users whose tags did not change come back in the response's Failed, with
// the server's code each, and in a *PartialFailureError returned with it
// (see ErrPartialFailure). Retries converge: adding a tag the user has, or
// deleting one it does not have, changes nothing.
//
// A nil request, a zero AppID (after WithAppID), an empty, oversized
// (MaxIDsPerCall) or non-positive id list, no tags or an empty tag, or an Op
// other than UserTagsUpsert and UserTagsDelete returns an error wrapping
// ErrInvalidRequest before anything is sent.
func (c *Client) BatchUpdateUserTags(ctx context.Context, req *BatchUpdateUserTagsRequest, opts ...CallOption) (*BatchUpdateUserTagsResponse, error) {
	a := actBatchUpdateUserTags
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkIDList(a, "UserIDs", req.UserIDs, MaxIDsPerCall); err != nil {
		return nil, err
	}
	if len(req.Tags) == 0 {
		return nil, a.invalid("Tags", "must not be empty")
	}
	for i, t := range req.Tags {
		if t == "" {
			return nil, a.invalid("Tags", "[%d] must not be empty", i)
		}
	}
	if req.Op != UserTagsUpsert && req.Op != UserTagsDelete {
		return nil, a.invalid("Op", "must be UserTagsUpsert (0) or UserTagsDelete (1), got %d", req.Op)
	}
	res, meta, err := call[wireUserFailedInfos](ctx, c, a, &cc, &wireBatchUpdateUserTags{
		AppID:   appID,
		Op:      req.Op,
		Tags:    req.Tags,
		UserIDs: req.UserIDs,
	}, 1)
	if err != nil {
		return nil, err
	}
	failed := res.failed()
	return &BatchUpdateUserTagsResponse{ResponseMetadata: meta, Failed: failed}, partialFailure(a, meta, failed)
}

// AppToken is a token that GetAppToken issued: what a client app logs in to
// the IM service with. It is a secret, and the type keeps it one: no fmt
// verb prints it (they print "[redacted]"), nor does json.Marshal or a
// log/slog handler, and errors never contain it. Reveal returns the token
// itself, for the code that hands it to the app.
//
// The zero AppToken holds no token. An AppToken is small and safe to copy
// and to use concurrently.
type AppToken struct {
	secret redact.Secret
}

// Reveal returns the token, to hand it to the app that logs in with it.
// Do not log it.
func (t AppToken) Reveal() string { return t.secret.Reveal() }

// IsZero reports whether t holds no token.
func (t AppToken) IsZero() bool { return !t.secret.IsSet() }

// String returns "[redacted]", or "" for the zero AppToken.
func (t AppToken) String() string { return t.secret.String() }

// GoString returns the token's description in Go syntax, without the token.
func (t AppToken) GoString() string { return "volcim.AppToken(" + strconv.Quote(t.String()) + ")" }

// Format implements fmt.Formatter: every verb prints String (%#v prints
// GoString), never the token.
func (t AppToken) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, t.String(), t.GoString())
}

// MarshalJSON encodes "[redacted]" (or "" for the zero AppToken), never the
// token, so that encoding a response to JSON, for a log say, does not leak
// it. Send Reveal's value where the token must go.
func (t AppToken) MarshalJSON() ([]byte, error) { return json.Marshal(t.String()) }

// LogValue implements slog.LogValuer: a logged token shows "[redacted]".
func (t AppToken) LogValue() slog.Value { return slog.StringValue(t.String()) }

// GetAppTokenRequest asks for a token for a user.
type GetAppTokenRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// UserID is the user the token logs in; it or UserIDStr is required.
	UserID int64
	// UserIDStr is the user the token logs in for apps whose user ids are
	// strings (set instead of UserID).
	UserIDStr string
	// ExpireTime is when the token expires, required and in the future
	// (by the client's clock). It travels in milliseconds: finer parts are
	// dropped.
	ExpireTime time.Time
}

// GetAppTokenResponse is the reply of GetAppToken.
type GetAppTokenResponse struct {
	ResponseMetadata
	// AppID is the app the token is for, as the reply gives it.
	AppID int64
	// UserID is the user the token logs in, as the reply gives it.
	UserID int64
	// UserIDStr is the user the token logs in for apps whose user ids are
	// strings, as the reply gives it.
	UserIDStr string
	// Token is the token: a secret that no fmt verb, log or error shows;
	// Token.Reveal() gives it.
	Token AppToken
	// ExpireTime is the expiry the request asked for, as sent (to the
	// millisecond, UTC); the reply does not repeat it.
	ExpireTime time.Time
}

type wireGetAppToken struct {
	AppID      int64  `json:"AppId"`
	ExpireTime int64  `json:"ExpireTime"`
	UserID     int64  `json:"UserId"`
	UserIDStr  string `json:"UserIdStr,omitempty"`
}

type wireAppToken struct {
	AppID     int64  `json:"AppId"`
	Token     string `json:"Token"`
	UserID    int64  `json:"UserId"`
	UserIDStr string `json:"UserIdStr,omitempty"`
}

// errNoToken is the cause of a GetAppToken reply without a token.
var errNoToken = errors.New("the reply's Result has no Token")

// GetAppToken issues a token with which a client app logs a user in to the
// IM service, valid until ExpireTime (action GetAppToken, version
// 2020-12-01; at most 50 QPS per account, DefaultRates; API page
// https://www.volcengine.com/docs/6348/1208779). The token is returned as an
// AppToken: call Reveal to hand it to the app, and nothing prints it.
//
// It is retried like a read: a retry issues another token, and every token
// issued is valid until its expiry. A reply without a token is an error
// wrapping ErrMalformedReply; the error of a reply that cannot be read
// carries no excerpt of its body (which could hold the token).
//
// A nil request, a zero AppID (after WithAppID), no UserID (nor UserIDStr),
// or an ExpireTime that is zero or not in the future returns an error
// wrapping ErrInvalidRequest before anything is sent.
func (c *Client) GetAppToken(ctx context.Context, req *GetAppTokenRequest, opts ...CallOption) (*GetAppTokenResponse, error) {
	a := actGetAppToken
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	switch {
	case req.UserID < 0 || req.UserID == 0 && req.UserIDStr == "":
		return nil, a.invalid("UserID", "must be positive (or UserIDStr set), got %d", req.UserID)
	case req.ExpireTime.IsZero():
		return nil, a.invalid("ExpireTime", "must be set")
	case !req.ExpireTime.After(c.cfg.now()):
		return nil, a.invalid("ExpireTime", "must be in the future, got %s", req.ExpireTime.UTC().Format(time.RFC3339))
	}
	expire := toMillis(req.ExpireTime)
	res, meta, err := call[wireAppToken](ctx, c, a, &cc, &wireGetAppToken{
		AppID:      appID,
		ExpireTime: expire,
		UserID:     req.UserID,
		UserIDStr:  req.UserIDStr,
	}, 1)
	if err != nil {
		return nil, withoutExcerpt(err)
	}
	if res.Token == "" {
		return nil, &APIError{
			StatusCode: 200,
			RequestID:  meta.RequestID,
			Action:     a.name,
			Message:    errNoToken.Error(),
			Malformed:  true,
			Err:        errNoToken,
		}
	}
	return &GetAppTokenResponse{
		ResponseMetadata: meta,
		AppID:            res.AppID,
		UserID:           res.UserID,
		UserIDStr:        res.UserIDStr,
		Token:            AppToken{secret: redact.NewSecret(res.Token)},
		ExpireTime:       fromMillis(expire),
	}, nil
}

// withoutExcerpt drops the excerpt of the reply's body from the error of a
// malformed reply: the body of a GetAppToken reply may hold the token.
func withoutExcerpt(err error) error {
	var ae *APIError
	if !errors.As(err, &ae) || !ae.Malformed {
		return err
	}
	cp := *ae
	cp.Message = "the reply cannot be read (its excerpt is withheld: it may hold the token)"
	return &cp
}

// Platform is the platform of a user's connection (the API's Platform).
// The API documents the three below; other values are kept as they come.
type Platform string

// Platforms.
const (
	PlatformAndroid Platform = "Android"
	PlatformIOS     Platform = "iOS"
	PlatformWeb     Platform = "Web"
)

// String returns the platform's name as the API spells it.
func (p Platform) String() string { return string(p) }

// OnlineConnection is one connection of an online user to the IM service.
type OnlineConnection struct {
	// UserID is the user.
	UserID int64
	// ConnID identifies the connection.
	ConnID string
	// DeviceID is the device.
	DeviceID int64
	// Platform is the device's platform.
	Platform Platform
	// ClientVersion is the version of the client SDK.
	ClientVersion int64
}

// QueryOnlineStatusRequest asks which users are online.
type QueryOnlineStatusRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// UserIDs are the users: 1 to MaxQueryOnlineStatus (100) positive ids.
	UserIDs []int64
}

// QueryOnlineStatusResponse is the reply of QueryOnlineStatus.
type QueryOnlineStatusResponse struct {
	ResponseMetadata
	// AppID is the app, as the reply gives it.
	AppID int64
	// Online maps each online user among those asked for to its
	// connections (one per device); users who are offline are absent.
	Online map[int64][]OnlineConnection
}

// IsOnline reports whether user has at least one connection.
func (r *QueryOnlineStatusResponse) IsOnline(user int64) bool {
	return r != nil && len(r.Online[user]) > 0
}

type wireOnlineStatus struct {
	AppID              int64                             `json:"AppId"`
	QueryOnlineResults map[string][]wireOnlineConnection `json:"QueryOnlineResults"`
}

type wireOnlineConnection struct {
	ConnID        string   `json:"ConnId"`
	UserID        int64    `json:"UserId"`
	DeviceID      int64    `json:"DeviceId"`
	ClientVersion int64    `json:"ClientVersion"`
	Platform      Platform `json:"Platform"`
}

// QueryOnlineStatus tells which of up to 100 users are online, and on which
// devices (action QueryOnlineStatus, version 2020-12-01; at most 100 QPS per
// account, DefaultRates; API page https://www.volcengine.com/docs/6348/788533).
//
// A reply whose QueryOnlineResults has a key that is not a user id is an
// error wrapping ErrMalformedReply. A nil request, a zero AppID (after
// WithAppID), or an empty, oversized (MaxQueryOnlineStatus) or non-positive
// id list returns an error wrapping ErrInvalidRequest before anything is
// sent.
func (c *Client) QueryOnlineStatus(ctx context.Context, req *QueryOnlineStatusRequest, opts ...CallOption) (*QueryOnlineStatusResponse, error) {
	a := actQueryOnlineStatus
	if req == nil {
		return nil, a.invalid("", "nil request")
	}
	cc, appID, err := c.settings(ctx, a, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkIDList(a, "UserIDs", req.UserIDs, MaxQueryOnlineStatus); err != nil {
		return nil, err
	}
	res, meta, err := call[wireOnlineStatus](ctx, c, a, &cc, &wireUserIDList{AppID: appID, UserIDs: req.UserIDs}, 1)
	if err != nil {
		return nil, err
	}
	online := make(map[int64][]OnlineConnection, len(res.QueryOnlineResults))
	for key, conns := range res.QueryOnlineResults {
		user, err := strconv.ParseInt(key, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: QueryOnlineResults has the key %q, not a user id [request %s]", ErrMalformedReply, a.name, key, meta.RequestID)
		}
		out := make([]OnlineConnection, len(conns))
		for i, w := range conns {
			out[i] = OnlineConnection{UserID: w.UserID, ConnID: w.ConnID, DeviceID: w.DeviceID, Platform: w.Platform, ClientVersion: w.ClientVersion}
			if out[i].UserID == 0 {
				out[i].UserID = user
			}
		}
		online[user] = out
	}
	return &QueryOnlineStatusResponse{ResponseMetadata: meta, AppID: res.AppID, Online: online}, nil
}
