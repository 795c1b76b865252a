package volcimtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/internal/redact"
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

// userHandlers answers the user, tag, token and presence actions.
var userHandlers = map[string]handler{
	actionRegisterUsers:       (*Server).registerUsers,
	actionUnRegisterUsers:     (*Server).unRegisterUsers,
	actionBatchGetUser:        (*Server).batchGetUser,
	actionBatchUpdateUser:     (*Server).batchUpdateUser,
	actionBatchUpdateUserTags: (*Server).batchUpdateUserTags,
	actionGetAppToken:         (*Server).getAppToken,
	actionQueryOnlineStatus:   (*Server).queryOnlineStatus,
}

// userData is the server-wide state of the user actions.
type userData struct {
	// apps holds each app's users and presence.
	apps map[int64]*appUsers
	// tokenKey signs the tokens GetAppToken issues; made at the first
	// token. It is a redact.Secret so that no printing of a Server shows
	// it.
	tokenKey redact.Secret
}

// appUsers is one app's users.
type appUsers struct {
	// users are the registered users, by id. A stored User is never
	// changed in place: writers store a new one.
	users map[int64]*volcim.User
	// robots counts the registered users that are robots.
	robots int
	// online holds the connections of the users SetOnline made online.
	online map[int64][]volcim.OnlineConnection
}

// Error codes only this area answers.
const codeUserNotFound = volcim.CodeUserNotFound

// userCodes are the codes only this area answers (CodeN 750001 upwards).
var userCodes = map[string]codeInfo{
	codeUserNotFound: {http.StatusOK, 750001},
}

// app returns the users of appID, creating them. s.dataMu is held for
// writing.
func (d *userData) app(appID int64) *appUsers {
	if d.apps == nil {
		d.apps = make(map[int64]*appUsers)
	}
	a, ok := d.apps[appID]
	if !ok {
		a = &appUsers{users: make(map[int64]*volcim.User), online: make(map[int64][]volcim.OnlineConnection)}
		d.apps[appID] = a
	}
	return a
}

// put stores u (which the caller no longer changes), replacing the user of
// the same id. s.dataMu is held for writing.
func (a *appUsers) put(u *volcim.User) {
	if old, ok := a.users[u.UserID]; ok && old.IsRobot {
		a.robots--
	}
	if u.IsRobot {
		a.robots++
	}
	a.users[u.UserID] = u
}

// AddUsers registers users of app appID as RegisterUsers would, replacing
// those already registered, with no limit checked (seed 4999 robots to test
// the 5000th). A zero CreateTime or ModifyTime becomes the server's clock
// (WithClock), to the millisecond. The users are copied (Tags and Ext
// included); their AppID is set to appID.
//
// It panics if appID or a user's UserID is not positive.
func (s *Server) AddUsers(appID int64, users ...volcim.User) {
	if appID <= 0 {
		panic(fmt.Sprintf("volcimtest: AddUsers: appID %d must be positive", appID))
	}
	for _, u := range users {
		if u.UserID <= 0 {
			panic(fmt.Sprintf("volcimtest: AddUsers: UserID %d must be positive", u.UserID))
		}
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.now().UTC().Truncate(time.Millisecond)
	a := s.users.app(appID)
	for _, u := range users {
		u.AppID = appID
		u.Tags = slices.Clone(u.Tags)
		u.Ext = maps.Clone(u.Ext)
		if u.CreateTime.IsZero() {
			u.CreateTime = now
		}
		if u.ModifyTime.IsZero() {
			u.ModifyTime = u.CreateTime
		}
		a.put(&u)
	}
}

// SetOnline makes user userID of app appID online with the connections
// conns (one per device), replacing those it had, as QueryOnlineStatus then
// reports them; with no conns the user goes offline. Presence is only
// simulated: it does not depend on registration, and nothing else changes
// it. The connections are copied; their UserID is set to userID, and an
// empty ConnID becomes "conn-<user>-<n>".
//
// It panics if appID or userID is not positive.
func (s *Server) SetOnline(appID, userID int64, conns ...volcim.OnlineConnection) {
	if appID <= 0 || userID <= 0 {
		panic(fmt.Sprintf("volcimtest: SetOnline: appID %d and userID %d must be positive", appID, userID))
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	a := s.users.app(appID)
	if len(conns) == 0 {
		delete(a.online, userID)
		return
	}
	cs := slices.Clone(conns)
	for i := range cs {
		cs[i].UserID = userID
		if cs[i].ConnID == "" {
			cs[i].ConnID = "conn-" + strconv.FormatInt(userID, 10) + "-" + strconv.Itoa(i+1)
		}
	}
	a.online[userID] = cs
}

// checkUserProfile checks a profile as RegisterUsers documents it.
func checkUserProfile(i int, userID int64, nick, portrait string, ext map[string]string) *apiError {
	bad := func(format string, args ...any) *apiError {
		return newError(codeInvalidParam, fmt.Sprintf("Users[%d]: ", i)+fmt.Sprintf(format, args...))
	}
	switch {
	case userID <= 0:
		return bad("UserId must be positive, got %d", userID)
	case len(nick) > volcim.MaxUserNickNameBytes:
		return bad("NickName has %d bytes, more than %d", len(nick), volcim.MaxUserNickNameBytes)
	case len(portrait) > volcim.MaxUserPortraitBytes:
		return bad("Portrait has %d bytes, more than %d", len(portrait), volcim.MaxUserPortraitBytes)
	case len(ext) > volcim.MaxUserExtKeys:
		return bad("Ext has %d keys, more than %d", len(ext), volcim.MaxUserExtKeys)
	}
	for k, v := range ext {
		switch {
		case k == "" || len(k) > volcim.MaxUserExtKeyBytes:
			return bad("Ext key %q must have 1 to %d bytes", k, volcim.MaxUserExtKeyBytes)
		case strings.HasPrefix(k, volcim.UserExtReservedPrefix):
			return bad("Ext key %q starts with the reserved prefix %q", k, volcim.UserExtReservedPrefix)
		case len(v) > volcim.MaxUserExtValueBytes:
			return bad("Ext[%q] has %d bytes, more than %d", k, len(v), volcim.MaxUserExtValueBytes)
		}
	}
	return nil
}

func zeroIfNil[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// userFailedInfo is one entry of the user actions' FailedInfos.
type userFailedInfo struct {
	UserID  int64  `json:"UserId"`
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

type userFailedInfosResult struct {
	FailedInfos []userFailedInfo `json:"FailedInfos"`
}

func userNotFound(user int64) userFailedInfo {
	return userFailedInfo{UserID: user, Code: codeUserNotFound, Message: fmt.Sprintf("user %d is not registered", user)}
}

type registerUsersRequest struct {
	AppID *int64 `json:"AppId"`
	Users []struct {
		UserID   *int64            `json:"UserId"`
		Ext      map[string]string `json:"Ext"`
		NickName *string           `json:"NickName"`
		Portrait *string           `json:"Portrait"`
		Tags     []string          `json:"Tags"`
		IsRobot  bool              `json:"IsRobot"`
	} `json:"Users"`
}

// registerUsers registers users, replacing the profile of those registered
// already (their CreateTime stays). A robot beyond the app's 5000th fails
// with InvalidParam.
func (s *Server) registerUsers(body []byte) (result, *apiError) {
	var req registerUsersRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkUserAppID(req.AppID); e != nil {
		return nil, e
	}
	switch n := len(req.Users); {
	case n == 0:
		return nil, newError(codeInvalidParam, "Users is required and must not be empty")
	case n > volcim.MaxRegisterUsers:
		return nil, newError(codeInvalidParam, fmt.Sprintf("Users has %d users, more than %d", n, volcim.MaxRegisterUsers))
	}
	for i, u := range req.Users {
		if e := checkUserProfile(i, zeroIfNil(u.UserID), zeroIfNil(u.NickName), zeroIfNil(u.Portrait), u.Ext); e != nil {
			return nil, e
		}
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.now().UTC().Truncate(time.Millisecond)
	a := s.users.app(*req.AppID)
	res := userFailedInfosResult{FailedInfos: []userFailedInfo{}}
	for _, r := range req.Users {
		id := *r.UserID
		u := &volcim.User{
			AppID:      *req.AppID,
			UserID:     id,
			NickName:   zeroIfNil(r.NickName),
			Portrait:   zeroIfNil(r.Portrait),
			Tags:       slices.Clone(r.Tags),
			Ext:        maps.Clone(r.Ext),
			IsRobot:    r.IsRobot,
			CreateTime: now,
			ModifyTime: now,
		}
		old, registered := a.users[id]
		if registered {
			u.CreateTime = old.CreateTime
		}
		if u.IsRobot && !(registered && old.IsRobot) && a.robots >= volcim.MaxRobots {
			res.FailedInfos = append(res.FailedInfos, userFailedInfo{UserID: id, Code: codeInvalidParam,
				Message: fmt.Sprintf("the app has %d robots already, the most it may have", volcim.MaxRobots)})
			continue
		}
		a.put(u)
	}
	return jsonResult{res}, nil
}

// checkUserAppID checks the AppId every user action requires.
func checkUserAppID(appID *int64) *apiError {
	switch {
	case appID == nil:
		return missing("AppId")
	case *appID <= 0:
		return notPositive("AppId", *appID)
	}
	return nil
}

type userIDListRequest struct {
	AppID   *int64  `json:"AppId"`
	UserIDs []int64 `json:"UserIds"`
}

// decodeUserIDList decodes and checks a request of 1 to max positive UserIds
// (max 0: no maximum).
func decodeUserIDList(body []byte, max int) (*userIDListRequest, *apiError) {
	var req userIDListRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkUserAppID(req.AppID); e != nil {
		return nil, e
	}
	if e := checkUserIDList(req.UserIDs, max); e != nil {
		return nil, e
	}
	return &req, nil
}

func checkUserIDList(ids []int64, max int) *apiError {
	switch n := len(ids); {
	case n == 0:
		return newError(codeInvalidParam, "UserIds is required and must not be empty")
	case max > 0 && n > max:
		return newError(codeInvalidParam, fmt.Sprintf("UserIds has %d ids, more than %d", n, max))
	}
	for i, id := range ids {
		if id <= 0 {
			return newError(codeInvalidParam, fmt.Sprintf("UserIds[%d] must be positive, got %d", i, id))
		}
	}
	return nil
}

// unRegisterUsers unregisters users; one that is not registered fails with
// UserNotFound.
func (s *Server) unRegisterUsers(body []byte) (result, *apiError) {
	req, e := decodeUserIDList(body, volcim.MaxUnRegisterUsers)
	if e != nil {
		return nil, e
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	a := s.users.app(*req.AppID)
	res := userFailedInfosResult{FailedInfos: []userFailedInfo{}}
	for _, id := range req.UserIDs {
		u, ok := a.users[id]
		if !ok {
			res.FailedInfos = append(res.FailedInfos, userNotFound(id))
			continue
		}
		if u.IsRobot {
			a.robots--
		}
		delete(a.users, id)
	}
	return jsonResult{res}, nil
}

type batchGetUserResult struct {
	NotFoundUsers []int64       `json:"NotFoundUsers"`
	Users         []volcim.User `json:"Users"`
}

// batchGetUser returns, in request order and once each, the registered
// users among those asked for, and the others in NotFoundUsers.
func (s *Server) batchGetUser(body []byte) (result, *apiError) {
	req, e := decodeUserIDList(body, volcim.MaxBatchGetUser)
	if e != nil {
		return nil, e
	}
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	res := batchGetUserResult{NotFoundUsers: []int64{}, Users: []volcim.User{}}
	a := s.users.apps[*req.AppID]
	seen := make(map[int64]bool, len(req.UserIDs))
	for _, id := range req.UserIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if a != nil {
			if u, ok := a.users[id]; ok {
				cp := *u
				if cp.Ext == nil {
					cp.Ext = map[string]string{} // never null on the wire
				}
				res.Users = append(res.Users, cp)
				continue
			}
		}
		res.NotFoundUsers = append(res.NotFoundUsers, id)
	}
	return jsonResult{res}, nil
}

type batchUpdateUserRequest struct {
	AppID *int64 `json:"AppId"`
	Users []struct {
		Ext      map[string]string `json:"Ext"`
		NickName string            `json:"NickName"`
		Portrait string            `json:"Portrait"`
		Tags     []string          `json:"Tags"`
		UserID   *int64            `json:"UserId"`
	} `json:"Users"`
}

// batchUpdateUser replaces the profiles (NickName, Portrait, Tags, Ext) of
// registered users; an absent field is an empty one. A user that is not
// registered fails with UserNotFound.
func (s *Server) batchUpdateUser(body []byte) (result, *apiError) {
	var req batchUpdateUserRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkUserAppID(req.AppID); e != nil {
		return nil, e
	}
	switch n := len(req.Users); {
	case n == 0:
		return nil, newError(codeInvalidParam, "Users is required and must not be empty")
	case n > volcim.MaxBatchUpdateUser:
		return nil, newError(codeInvalidParam, fmt.Sprintf("Users has %d users, more than %d", n, volcim.MaxBatchUpdateUser))
	}
	for i, u := range req.Users {
		if e := checkUserProfile(i, zeroIfNil(u.UserID), u.NickName, u.Portrait, u.Ext); e != nil {
			return nil, e
		}
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.now().UTC().Truncate(time.Millisecond)
	a := s.users.app(*req.AppID)
	res := userFailedInfosResult{FailedInfos: []userFailedInfo{}}
	for _, r := range req.Users {
		old, ok := a.users[*r.UserID]
		if !ok {
			res.FailedInfos = append(res.FailedInfos, userNotFound(*r.UserID))
			continue
		}
		u := *old
		u.NickName, u.Portrait = r.NickName, r.Portrait
		u.Tags, u.Ext = slices.Clone(r.Tags), maps.Clone(r.Ext)
		u.ModifyTime = now
		a.put(&u)
	}
	return jsonResult{res}, nil
}

type batchUpdateUserTagsRequest struct {
	AppID   *int64   `json:"AppId"`
	Op      *int32   `json:"Op"`
	Tags    []string `json:"Tags"`
	UserIDs []int64  `json:"UserIds"`
}

// batchUpdateUserTags adds tags (Op 0, the default: those a user has are
// ignored) or deletes them (Op 1: those it has not are ignored). A user
// that is not registered fails with UserNotFound.
func (s *Server) batchUpdateUserTags(body []byte) (result, *apiError) {
	var req batchUpdateUserTagsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkUserAppID(req.AppID); e != nil {
		return nil, e
	}
	if e := checkUserIDList(req.UserIDs, 0); e != nil {
		return nil, e
	}
	if len(req.Tags) == 0 {
		return nil, newError(codeInvalidParam, "Tags is required and must not be empty")
	}
	op := zeroIfNil(req.Op)
	if op != 0 && op != 1 {
		return nil, newError(codeInvalidParam, fmt.Sprintf("Op must be 0 (add) or 1 (delete), got %d", op))
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.now().UTC().Truncate(time.Millisecond)
	a := s.users.app(*req.AppID)
	res := userFailedInfosResult{FailedInfos: []userFailedInfo{}}
	for _, id := range req.UserIDs {
		old, ok := a.users[id]
		if !ok {
			res.FailedInfos = append(res.FailedInfos, userNotFound(id))
			continue
		}
		tags := slices.Clone(old.Tags)
		for _, t := range req.Tags {
			has := slices.Contains(tags, t)
			switch {
			case op == 0 && !has:
				tags = append(tags, t)
			case op == 1 && has:
				tags = slices.DeleteFunc(tags, func(x string) bool { return x == t })
			}
		}
		if slices.Equal(tags, old.Tags) {
			continue
		}
		u := *old
		u.Tags, u.ModifyTime = tags, now
		a.put(&u)
	}
	return jsonResult{res}, nil
}

type getAppTokenRequest struct {
	AppID      *int64 `json:"AppId"`
	ExpireTime *int64 `json:"ExpireTime"`
	UserID     int64  `json:"UserId"`
	UserIDStr  string `json:"UserIdStr"`
}

type appTokenResult struct {
	AppID     int64  `json:"AppId"`
	Token     string `json:"Token"`
	UserID    int64  `json:"UserId"`
	UserIDStr string `json:"UserIdStr,omitempty"`
}

// tokenClaims is the payload of a token the server issues.
type tokenClaims struct {
	AppID      int64  `json:"a"`
	UserID     int64  `json:"u,omitempty"`
	UserIDStr  string `json:"s,omitempty"`
	ExpireTime int64  `json:"e"` // milliseconds
	Nonce      string `json:"n"`
}

// tokenPrefix starts every token the server issues.
const tokenPrefix = "vimt1."

// getAppToken issues a signed token for the user, valid until ExpireTime
// (milliseconds, which must be after the server's clock). The user need not
// be registered.
func (s *Server) getAppToken(body []byte) (result, *apiError) {
	var req getAppTokenRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkUserAppID(req.AppID); e != nil {
		return nil, e
	}
	switch {
	case req.UserID < 0 || req.UserID == 0 && req.UserIDStr == "":
		return nil, missing("UserId (a positive user id, or UserIdStr)")
	case req.ExpireTime == nil:
		return nil, missing("ExpireTime")
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	if now := s.now().UnixMilli(); *req.ExpireTime <= now {
		return nil, newError(codeInvalidParam, fmt.Sprintf("ExpireTime %d must be after the current time (%d ms)", *req.ExpireTime, now))
	}
	if !s.users.tokenKey.IsSet() {
		s.users.tokenKey = redact.NewSecret(string(randomBytes(32)))
	}
	payload, err := json.Marshal(tokenClaims{
		AppID:      *req.AppID,
		UserID:     req.UserID,
		UserIDStr:  req.UserIDStr,
		ExpireTime: *req.ExpireTime,
		Nonce:      base64.RawURLEncoding.EncodeToString(randomBytes(9)),
	})
	if err != nil {
		panic("volcimtest: encoding a token: " + err.Error())
	}
	signed := tokenPrefix + base64.RawURLEncoding.EncodeToString(payload)
	token := signed + "." + base64.RawURLEncoding.EncodeToString(s.users.tokenMAC(signed))
	return jsonResult{appTokenResult{AppID: *req.AppID, Token: token, UserID: req.UserID, UserIDStr: req.UserIDStr}}, nil
}

func (d *userData) tokenMAC(signed string) []byte {
	h := hmac.New(sha256.New, []byte(d.tokenKey.Reveal()))
	h.Write([]byte(signed))
	return h.Sum(nil)
}

// AppTokenClaims is what a token issued by the server's GetAppToken says.
type AppTokenClaims struct {
	// AppID is the app the token was issued in.
	AppID int64
	// UserID is the user it logs in, as GetAppToken was asked.
	UserID int64
	// UserIDStr is the user it logs in for apps whose user ids are
	// strings, as GetAppToken was asked ("" when it was not).
	UserIDStr string
	// ExpireTime is when it expires (to the millisecond, UTC).
	ExpireTime time.Time
}

// ErrAppTokenInvalid is wrapped by the error of VerifyAppToken for a string
// that is not a token this server issued.
var ErrAppTokenInvalid = errors.New("volcimtest: not an app token of this server")

// ErrAppTokenExpired is wrapped by the error of VerifyAppToken for a token
// of this server whose ExpireTime has passed on the server's clock.
var ErrAppTokenExpired = errors.New("volcimtest: app token expired")

// VerifyAppToken checks a token as the IM service would when a client app
// logs in with it: it must be one this server's GetAppToken issued, intact,
// and not expired on the server's clock (WithClock). It returns what the
// token says; for an expired token, the claims come with an error wrapping
// ErrAppTokenExpired. Errors never contain the token.
//
// Tokens are signed with a key of the server's own, random and never
// shown: another Server, or a token changed in any way, is
// ErrAppTokenInvalid.
func (s *Server) VerifyAppToken(token string) (AppTokenClaims, error) {
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return AppTokenClaims{}, fmt.Errorf("%w: it does not start with %q", ErrAppTokenInvalid, tokenPrefix)
	}
	payloadB64, macB64, ok := strings.Cut(rest, ".")
	if !ok {
		return AppTokenClaims{}, fmt.Errorf("%w: it has no signature", ErrAppTokenInvalid)
	}
	mac, err := base64.RawURLEncoding.DecodeString(macB64)
	if err != nil {
		return AppTokenClaims{}, fmt.Errorf("%w: its signature is not base64url", ErrAppTokenInvalid)
	}
	s.dataMu.RLock()
	issued := s.users.tokenKey.IsSet()
	var want []byte
	if issued {
		want = s.users.tokenMAC(tokenPrefix + payloadB64)
	}
	now := s.now()
	s.dataMu.RUnlock()
	if !issued || !hmac.Equal(mac, want) {
		return AppTokenClaims{}, fmt.Errorf("%w: its signature does not verify", ErrAppTokenInvalid)
	}
	payload, err := base64.RawURLEncoding.DecodeString(payloadB64)
	if err != nil {
		return AppTokenClaims{}, fmt.Errorf("%w: its payload is not base64url", ErrAppTokenInvalid)
	}
	var c tokenClaims
	d := json.NewDecoder(bytes.NewReader(payload))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		return AppTokenClaims{}, fmt.Errorf("%w: its payload does not decode", ErrAppTokenInvalid)
	}
	claims := AppTokenClaims{AppID: c.AppID, UserID: c.UserID, UserIDStr: c.UserIDStr, ExpireTime: time.UnixMilli(c.ExpireTime).UTC()}
	if !claims.ExpireTime.After(now) {
		return claims, fmt.Errorf("%w: it expired at %s", ErrAppTokenExpired, claims.ExpireTime.Format(time.RFC3339Nano))
	}
	return claims, nil
}

type onlineStatusResult struct {
	AppID              int64                                  `json:"AppId"`
	QueryOnlineResults map[string][]wireOnlineConnectionReply `json:"QueryOnlineResults"`
}

type wireOnlineConnectionReply struct {
	ClientVersion int64  `json:"ClientVersion"`
	ConnID        string `json:"ConnId"`
	DeviceID      int64  `json:"DeviceId"`
	Platform      string `json:"Platform"`
	UserID        int64  `json:"UserId"`
}

// queryOnlineStatus answers the connections of the users asked for that
// SetOnline made online; offline users are absent.
func (s *Server) queryOnlineStatus(body []byte) (result, *apiError) {
	req, e := decodeUserIDList(body, volcim.MaxQueryOnlineStatus)
	if e != nil {
		return nil, e
	}
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	res := onlineStatusResult{AppID: *req.AppID, QueryOnlineResults: map[string][]wireOnlineConnectionReply{}}
	a := s.users.apps[*req.AppID]
	if a == nil {
		return jsonResult{res}, nil
	}
	for _, id := range req.UserIDs {
		conns := a.online[id]
		if len(conns) == 0 {
			continue
		}
		out := make([]wireOnlineConnectionReply, len(conns))
		for i, c := range conns {
			out[i] = wireOnlineConnectionReply{ClientVersion: c.ClientVersion, ConnID: c.ConnID, DeviceID: c.DeviceID, Platform: string(c.Platform), UserID: c.UserID}
		}
		res.QueryOnlineResults[strconv.FormatInt(id, 10)] = out
	}
	return jsonResult{res}, nil
}
