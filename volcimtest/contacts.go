package volcimtest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	volcim "github.com/volcim/volcim-go"
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

// contactHandlers answers the friend and block-list actions.
var contactHandlers = map[string]handler{
	actionAddFriend:       (*Server).addFriend,
	actionDeleteFriend:    (*Server).deleteFriend,
	actionUpdateFriend:    (*Server).updateFriend,
	actionListFriend:      (*Server).listFriend,
	actionIsFriend:        (*Server).isFriend,
	actionAddBlackList:    (*Server).addBlackList,
	actionRemoveBlackList: (*Server).removeBlackList,
	actionUpdateBlackList: (*Server).updateBlackList,
	actionGetBlackList:    (*Server).getBlackList,
	actionIsInBlackList:   (*Server).isInBlackList,
}

// The codes of the items the contact writes list as failed (FailedInfos).
// They are this server's own: the real API does not document its codes.
const (
	failAddSelfFriend  = "AddSelfFriendNotAllow"
	failNotFriend      = "NotFriend"
	failAddSelfBlack   = "AddSelfBlackNotAllow"
	failNotInBlackList = "NotInBlackList"
)

// Limits of the contact actions, as the API documents them.
const (
	maxContactsPerCall = 10 // users per AddFriend, ..., IsInBlackList
	maxContactPage     = 20 // Limit of ListFriend and GetBlackList
)

// contactKey identifies one user's friends or block list: users are per
// app, and the inbox type isolates lists logically.
type contactKey struct {
	appID     int64
	inboxType int32
	userID    int64
}

// contactData is the server-wide state of the friend and block-list
// actions: every user's friends and block list.
type contactData struct {
	friends map[contactKey]*idList[volcim.Friend]
	blocks  map[contactKey]*idList[volcim.BlackListEntry]
}

// idList is a list of records by user id, kept in the order they were
// added.
type idList[T any] struct {
	order []int64
	byID  map[int64]*T
}

func (l *idList[T]) get(id int64) (*T, bool) {
	if l == nil {
		return nil, false
	}
	v, ok := l.byID[id]
	return v, ok
}

// put adds v under id at the end, or replaces the record of id in its place.
func (l *idList[T]) put(id int64, v *T) {
	if _, ok := l.byID[id]; !ok {
		l.order = append(l.order, id)
	}
	l.byID[id] = v
}

func (l *idList[T]) remove(id int64) {
	if _, ok := l.byID[id]; !ok {
		return
	}
	delete(l.byID, id)
	l.order = slices.DeleteFunc(l.order, func(e int64) bool { return e == id })
}

func (l *idList[T]) len() int {
	if l == nil {
		return 0
	}
	return len(l.order)
}

// friendList returns the friends of k, creating the list when create is
// set (nil otherwise). s.dataMu is held.
func (s *Server) friendList(k contactKey, create bool) *idList[volcim.Friend] {
	l := s.contacts.friends[k]
	if l == nil && create {
		if s.contacts.friends == nil {
			s.contacts.friends = make(map[contactKey]*idList[volcim.Friend])
		}
		l = &idList[volcim.Friend]{byID: make(map[int64]*volcim.Friend)}
		s.contacts.friends[k] = l
	}
	return l
}

// blockList returns the block list of k, creating it when create is set
// (nil otherwise). s.dataMu is held.
func (s *Server) blockList(k contactKey, create bool) *idList[volcim.BlackListEntry] {
	l := s.contacts.blocks[k]
	if l == nil && create {
		if s.contacts.blocks == nil {
			s.contacts.blocks = make(map[contactKey]*idList[volcim.BlackListEntry])
		}
		l = &idList[volcim.BlackListEntry]{byID: make(map[int64]*volcim.BlackListEntry)}
		s.contacts.blocks[k] = l
	}
	return l
}

// befriend makes a and b friends both ways, at now; an existing friendship
// is kept. ext, when not nil, becomes the extension fields of a's side.
// s.dataMu is held.
func (s *Server) befriend(app int64, inbox int32, a, b int64, ext map[string]string, now time.Time) {
	mine := s.friendList(contactKey{app, inbox, a}, true)
	if f, ok := mine.get(b); ok {
		if ext != nil {
			f.Ext, f.ModifyTime = maps.Clone(ext), now
		}
	} else {
		mine.put(b, &volcim.Friend{FriendUserID: b, Ext: maps.Clone(ext), ApplyTime: now, CreateTime: now, ModifyTime: now})
	}
	theirs := s.friendList(contactKey{app, inbox, b}, true)
	if _, ok := theirs.get(a); !ok {
		theirs.put(a, &volcim.Friend{FriendUserID: a, ApplyTime: now, CreateTime: now, ModifyTime: now})
	}
}

// contactNow is the server's time as the contact actions keep it: UTC, to
// the millisecond (the wire's unit).
func (s *Server) contactNow() time.Time {
	return s.now().UTC().Truncate(time.Millisecond)
}

// contactIDs are the members every contact request has.
type contactIDs struct {
	AppID     *int64 `json:"AppId"`
	InboxType int32  `json:"InboxType"`
	UserID    *int64 `json:"UserId"`
}

// check checks AppId and UserId and returns the key of the user's lists.
func (r *contactIDs) check() (contactKey, *apiError) {
	switch {
	case r.AppID == nil:
		return contactKey{}, missing("AppId")
	case *r.AppID <= 0:
		return contactKey{}, notPositive("AppId", *r.AppID)
	case r.UserID == nil:
		return contactKey{}, missing("UserId")
	case *r.UserID <= 0:
		return contactKey{}, notPositive("UserId", *r.UserID)
	}
	return contactKey{*r.AppID, r.InboxType, *r.UserID}, nil
}

// checkContactUserIDs checks a list of 1 to 10 positive user ids.
func checkContactUserIDs(name string, ids []int64) *apiError {
	if e := checkListSize(name, len(ids)); e != nil {
		return e
	}
	for i, id := range ids {
		if id <= 0 {
			return notPositive(fmt.Sprintf("%s[%d]", name, i), id)
		}
	}
	return nil
}

func checkListSize(name string, n int) *apiError {
	switch {
	case n == 0:
		return newError(codeInvalidParam, name+" is required and must not be empty")
	case n > maxContactsPerCall:
		return newError(codeInvalidParam, fmt.Sprintf("%s has %d users, more than %d", name, n, maxContactsPerCall))
	}
	return nil
}

// failedInfo is one item of a FailedInfos.
type failedInfo struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
	UserID  int64  `json:"UserId"`
}

type failedInfosResult struct {
	FailedInfos []failedInfo `json:"FailedInfos"`
}

type addFriendRequest struct {
	contactIDs
	FriendUserIDs []int64           `json:"FriendUserIds"`
	Ext           map[string]string `json:"Ext"`
}

// addFriend makes users friends of a user, both ways.
func (s *Server) addFriend(body []byte) (result, *apiError) {
	var req addFriendRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	k, e := req.check()
	if e != nil {
		return nil, e
	}
	if e := checkContactUserIDs("FriendUserIds", req.FriendUserIDs); e != nil {
		return nil, e
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.contactNow()
	failed := []failedInfo{}
	for _, id := range req.FriendUserIDs {
		if id == k.userID {
			failed = append(failed, failedInfo{Code: failAddSelfFriend, Message: "a user cannot be their own friend", UserID: id})
			continue
		}
		s.befriend(k.appID, k.inboxType, k.userID, id, req.Ext, now)
	}
	return jsonResult{failedInfosResult{failed}}, nil
}

type deleteFriendRequest struct {
	contactIDs
	DeleteUserIDs []int64 `json:"DeleteUserIds"`
}

// deleteFriend ends friendships of a user, both ways.
func (s *Server) deleteFriend(body []byte) (result, *apiError) {
	var req deleteFriendRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	k, e := req.check()
	if e != nil {
		return nil, e
	}
	if e := checkContactUserIDs("DeleteUserIds", req.DeleteUserIDs); e != nil {
		return nil, e
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	for _, id := range req.DeleteUserIDs {
		if mine := s.friendList(k, false); mine != nil {
			mine.remove(id)
		}
		if theirs := s.friendList(contactKey{k.appID, k.inboxType, id}, false); theirs != nil {
			theirs.remove(k.userID)
		}
	}
	return jsonResult{failedInfosResult{[]failedInfo{}}}, nil
}

type updateFriendRequest struct {
	contactIDs
	FriendInfos []struct {
		FriendUserID *int64            `json:"FriendUserId"`
		Alias        *string           `json:"Alias"`
		Ext          map[string]string `json:"Ext"`
	} `json:"FriendInfos"`
}

// updateFriend sets the alias and adds to the extension fields of friends,
// on the user's side.
func (s *Server) updateFriend(body []byte) (result, *apiError) {
	var req updateFriendRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	k, e := req.check()
	if e != nil {
		return nil, e
	}
	if e := checkListSize("FriendInfos", len(req.FriendInfos)); e != nil {
		return nil, e
	}
	for i, f := range req.FriendInfos {
		switch {
		case f.FriendUserID == nil:
			return nil, missing(fmt.Sprintf("FriendInfos[%d].FriendUserId", i))
		case *f.FriendUserID <= 0:
			return nil, notPositive(fmt.Sprintf("FriendInfos[%d].FriendUserId", i), *f.FriendUserID)
		case f.Alias == nil && len(f.Ext) == 0:
			return nil, newError(codeInvalidParam, fmt.Sprintf("FriendInfos[%d]: at least one of Ext and Alias is required", i))
		}
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.contactNow()
	mine := s.friendList(k, false)
	failed := []failedInfo{}
	for _, u := range req.FriendInfos {
		f, ok := mine.get(*u.FriendUserID)
		if !ok {
			failed = append(failed, failedInfo{Code: failNotFriend, Message: fmt.Sprintf("user %d is not a friend of user %d", *u.FriendUserID, k.userID), UserID: *u.FriendUserID})
			continue
		}
		if u.Alias != nil {
			f.Alias = *u.Alias
		}
		f.Ext = mergeExt(f.Ext, u.Ext)
		f.ModifyTime = now
	}
	return jsonResult{failedInfosResult{failed}}, nil
}

// mergeExt returns old with the keys of add added or replaced, as a new map
// (maps already returned are never changed).
func mergeExt(old, add map[string]string) map[string]string {
	if len(add) == 0 {
		return old
	}
	m := make(map[string]string, len(old)+len(add))
	maps.Copy(m, old)
	maps.Copy(m, add)
	return m
}

type listFriendRequest struct {
	contactIDs
	Cursor    *int64 `json:"Cursor"`
	Limit     *int64 `json:"Limit"`
	NeedTotal bool   `json:"NeedTotal"`
}

type listFriendResult struct {
	FriendInfos []volcim.Friend `json:"FriendInfos"`
	HasMore     bool            `json:"HasMore"`
	NextCursor  int64           `json:"NextCursor"`
	TotalCount  int64           `json:"TotalCount"`
}

// listFriend returns a page of a user's friends in the order they were
// added; the cursor is an offset into that order.
func (s *Server) listFriend(body []byte) (result, *apiError) {
	var req listFriendRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	k, e := req.check()
	if e != nil {
		return nil, e
	}
	cursor, limit := int64(0), int64(maxContactPage)
	if req.Cursor != nil {
		cursor = *req.Cursor
	}
	if req.Limit != nil && *req.Limit != 0 {
		limit = *req.Limit
	}
	if e := checkPage(cursor, limit); e != nil {
		return nil, e
	}
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	l := s.friendList(k, false)
	start, end, res := pageOf(l.len(), cursor, limit)
	friends := make([]volcim.Friend, 0, end-start)
	for i := start; i < end; i++ {
		f := *l.byID[l.order[i]]
		f.Ext = maps.Clone(f.Ext)
		friends = append(friends, f)
	}
	out := listFriendResult{FriendInfos: friends, HasMore: res.hasMore, NextCursor: res.next}
	if req.NeedTotal {
		out.TotalCount = int64(l.len())
	}
	return jsonResult{out}, nil
}

func checkPage(cursor, limit int64) *apiError {
	switch {
	case cursor < 0:
		return newError(codeInvalidParam, fmt.Sprintf("Cursor must not be negative, got %d", cursor))
	case limit < 1 || limit > maxContactPage:
		return newError(codeInvalidParam, fmt.Sprintf("Limit must be 1 to %d, got %d", maxContactPage, limit))
	}
	return nil
}

// contactPage is where a page of an n-entry list stops: whether more
// follow, and the offset of the next page (-1: none).
type contactPage struct {
	hasMore bool
	next    int64
}

// pageOf returns the positions [start, end) of the page at offset cursor of
// an n-entry list.
func pageOf(n int, cursor, limit int64) (start, end int, p contactPage) {
	if cursor >= int64(n) {
		return n, n, contactPage{next: -1}
	}
	start = int(cursor)
	end = int(min(cursor+limit, int64(n)))
	if end < n {
		return start, end, contactPage{hasMore: true, next: int64(end)}
	}
	return start, end, contactPage{next: -1}
}

type isFriendRequest struct {
	contactIDs
	FriendUserIDs []int64 `json:"FriendUserIds"`
}

type isFriendInfo struct {
	FriendUserID int64 `json:"FriendUserId"`
	IsFriend     bool  `json:"IsFriend"`
}

type isFriendResult struct {
	Infos []isFriendInfo `json:"Infos"`
}

// isFriend answers, in request order, whether users are friends of a user.
func (s *Server) isFriend(body []byte) (result, *apiError) {
	var req isFriendRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	k, e := req.check()
	if e != nil {
		return nil, e
	}
	if e := checkContactUserIDs("FriendUserIds", req.FriendUserIDs); e != nil {
		return nil, e
	}
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	l := s.friendList(k, false)
	infos := make([]isFriendInfo, len(req.FriendUserIDs))
	for i, id := range req.FriendUserIDs {
		_, ok := l.get(id)
		infos[i] = isFriendInfo{FriendUserID: id, IsFriend: ok}
	}
	return jsonResult{isFriendResult{infos}}, nil
}

type blackListWriteRequest struct {
	contactIDs
	BlackListInfos []struct {
		BlackListUserID  *int64            `json:"BlackListUserId"`
		BlackListUserExt map[string]string `json:"BlackListUserExt"`
	} `json:"BlackListInfos"`
}

// decodeBlackListWrite decodes and checks the body of AddBlackList and
// UpdateBlackList.
func decodeBlackListWrite(body []byte) (*blackListWriteRequest, contactKey, *apiError) {
	var req blackListWriteRequest
	if e := decode(body, &req); e != nil {
		return nil, contactKey{}, e
	}
	k, e := req.check()
	if e != nil {
		return nil, k, e
	}
	if e := checkListSize("BlackListInfos", len(req.BlackListInfos)); e != nil {
		return nil, k, e
	}
	for i, b := range req.BlackListInfos {
		switch {
		case b.BlackListUserID == nil:
			return nil, k, missing(fmt.Sprintf("BlackListInfos[%d].BlackListUserId", i))
		case *b.BlackListUserID <= 0:
			return nil, k, notPositive(fmt.Sprintf("BlackListInfos[%d].BlackListUserId", i), *b.BlackListUserID)
		}
	}
	return &req, k, nil
}

// addBlackList puts users on a user's block list. A user already there
// keeps its place and CreateTime; a BlackListUserExt given replaces its
// extension fields.
func (s *Server) addBlackList(body []byte) (result, *apiError) {
	req, k, e := decodeBlackListWrite(body)
	if e != nil {
		return nil, e
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.contactNow()
	l := s.blockList(k, true)
	failed := []failedInfo{}
	for _, b := range req.BlackListInfos {
		id := *b.BlackListUserID
		if id == k.userID {
			failed = append(failed, failedInfo{Code: failAddSelfBlack, Message: "a user cannot block themselves", UserID: id})
			continue
		}
		if old, ok := l.get(id); ok {
			if b.BlackListUserExt != nil {
				old.Ext, old.ModifyTime = maps.Clone(b.BlackListUserExt), now
			}
			continue
		}
		l.put(id, &volcim.BlackListEntry{BlackListUserID: id, Ext: maps.Clone(b.BlackListUserExt), CreateTime: now, ModifyTime: now})
	}
	return jsonResult{failedInfosResult{failed}}, nil
}

// updateBlackList adds to the extension fields of block-list entries.
func (s *Server) updateBlackList(body []byte) (result, *apiError) {
	req, k, e := decodeBlackListWrite(body)
	if e != nil {
		return nil, e
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.contactNow()
	l := s.blockList(k, false)
	failed := []failedInfo{}
	for _, b := range req.BlackListInfos {
		id := *b.BlackListUserID
		entry, ok := l.get(id)
		if !ok {
			failed = append(failed, failedInfo{Code: failNotInBlackList, Message: fmt.Sprintf("user %d is not on the block list of user %d", id, k.userID), UserID: id})
			continue
		}
		entry.Ext = mergeExt(entry.Ext, b.BlackListUserExt)
		entry.ModifyTime = now
	}
	return jsonResult{failedInfosResult{failed}}, nil
}

type blackListIDsRequest struct {
	contactIDs
	BlackListUserIDs []int64 `json:"BlackListUserIds"`
}

func decodeBlackListIDs(body []byte) (*blackListIDsRequest, contactKey, *apiError) {
	var req blackListIDsRequest
	if e := decode(body, &req); e != nil {
		return nil, contactKey{}, e
	}
	k, e := req.check()
	if e != nil {
		return nil, k, e
	}
	if e := checkContactUserIDs("BlackListUserIds", req.BlackListUserIDs); e != nil {
		return nil, k, e
	}
	return &req, k, nil
}

// removeBlackList takes users off a user's block list; the action has no
// Result.
func (s *Server) removeBlackList(body []byte) (result, *apiError) {
	req, k, e := decodeBlackListIDs(body)
	if e != nil {
		return nil, e
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	if l := s.blockList(k, false); l != nil {
		for _, id := range req.BlackListUserIDs {
			l.remove(id)
		}
	}
	return nil, nil
}

type isInBlackListResult struct {
	IsInBlackListInfos map[string]bool `json:"IsInBlackListInfos"`
}

// isInBlackList answers, by user id as text, whether users are on a user's
// block list.
func (s *Server) isInBlackList(body []byte) (result, *apiError) {
	req, k, e := decodeBlackListIDs(body)
	if e != nil {
		return nil, e
	}
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	l := s.blockList(k, false)
	in := make(map[string]bool, len(req.BlackListUserIDs))
	for _, id := range req.BlackListUserIDs {
		_, ok := l.get(id)
		in[strconv.FormatInt(id, 10)] = ok
	}
	return jsonResult{isInBlackListResult{in}}, nil
}

type getBlackListRequest struct {
	contactIDs
	Cursor    *int64 `json:"Cursor"`
	Limit     *int64 `json:"Limit"`
	NeedTotal bool   `json:"NeedTotal"`
}

type getBlackListResult struct {
	BlackListInfos []volcim.BlackListEntry `json:"BlackListInfos"`
	HasMore        bool                    `json:"HasMore"`
	NextCursor     int64                   `json:"NextCursor"`
	TotalCount     int64                   `json:"TotalCount"`
}

// getBlackList returns a page of a user's block list, newest entry first;
// the cursor is an offset into that order. An entry of a user who is also a
// friend carries the friendship.
func (s *Server) getBlackList(body []byte) (result, *apiError) {
	var req getBlackListRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	k, e := req.check()
	if e != nil {
		return nil, e
	}
	if req.Limit == nil {
		return nil, missing("Limit")
	}
	cursor := int64(0)
	if req.Cursor != nil {
		cursor = *req.Cursor
	}
	if e := checkPage(cursor, *req.Limit); e != nil {
		return nil, e
	}
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	l := s.blockList(k, false)
	friends := s.friendList(k, false)
	n := l.len()
	start, end, res := pageOf(n, cursor, *req.Limit)
	entries := make([]volcim.BlackListEntry, 0, end-start)
	for i := start; i < end; i++ {
		b := *l.byID[l.order[n-1-i]]
		b.Ext = maps.Clone(b.Ext)
		if f, ok := friends.get(b.BlackListUserID); ok {
			fc := *f
			fc.Ext = maps.Clone(f.Ext)
			b.Friend = &fc
		}
		entries = append(entries, b)
	}
	out := getBlackListResult{BlackListInfos: entries, HasMore: res.hasMore, NextCursor: res.next}
	if req.NeedTotal {
		out.TotalCount = int64(n)
	}
	return jsonResult{out}, nil
}

// AddFriends makes users friends of user userID of app appID in inbox
// inboxType, both ways, as AddFriend would, in the order given. Each
// Friend's Alias and Ext are the user's side of the friendship (the friend's
// side gets none, and the times of the user's side when it is new), and its
// zero times become the server's clock (a zero ApplyTime or ModifyTime
// becomes the CreateTime). A friendship that exists is replaced
// on the user's side, keeping its place in the list. The friends are
// copied.
//
// It panics if appID, userID or a FriendUserID is not positive, or if a
// FriendUserID is userID.
func (s *Server) AddFriends(appID int64, inboxType int32, userID int64, friends ...volcim.Friend) {
	if appID <= 0 || userID <= 0 {
		panic(fmt.Sprintf("volcimtest: AddFriends: appID %d and userID %d must be positive", appID, userID))
	}
	for _, f := range friends {
		if f.FriendUserID <= 0 || f.FriendUserID == userID {
			panic(fmt.Sprintf("volcimtest: AddFriends: FriendUserID %d must be positive and not the user %d", f.FriendUserID, userID))
		}
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.contactNow()
	mine := s.friendList(contactKey{appID, inboxType, userID}, true)
	for _, f := range friends {
		if f.CreateTime.IsZero() {
			f.CreateTime = now
		}
		if f.ModifyTime.IsZero() {
			f.ModifyTime = f.CreateTime
		}
		if f.ApplyTime.IsZero() {
			f.ApplyTime = f.CreateTime
		}
		f.Ext = maps.Clone(f.Ext)
		mine.put(f.FriendUserID, &f)
		theirs := s.friendList(contactKey{appID, inboxType, f.FriendUserID}, true)
		if _, ok := theirs.get(userID); !ok {
			theirs.put(userID, &volcim.Friend{FriendUserID: userID, ApplyTime: f.ApplyTime, CreateTime: f.CreateTime, ModifyTime: f.CreateTime})
		}
	}
}

// AddBlackList puts users on the block list of user userID of app appID in
// inbox inboxType, as AddBlackList would, in the order given (the last one
// is the newest). Zero times become the server's clock; Friend is ignored
// (GetBlackList fills it from the friendships). An entry that exists is
// replaced, keeping its place. The entries are copied.
//
// It panics if appID, userID or a BlackListUserID is not positive, or if a
// BlackListUserID is userID.
func (s *Server) AddBlackList(appID int64, inboxType int32, userID int64, entries ...volcim.BlackListEntry) {
	if appID <= 0 || userID <= 0 {
		panic(fmt.Sprintf("volcimtest: AddBlackList: appID %d and userID %d must be positive", appID, userID))
	}
	for _, e := range entries {
		if e.BlackListUserID <= 0 || e.BlackListUserID == userID {
			panic(fmt.Sprintf("volcimtest: AddBlackList: BlackListUserID %d must be positive and not the user %d", e.BlackListUserID, userID))
		}
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	now := s.contactNow()
	l := s.blockList(contactKey{appID, inboxType, userID}, true)
	for _, e := range entries {
		if e.CreateTime.IsZero() {
			e.CreateTime = now
		}
		if e.ModifyTime.IsZero() {
			e.ModifyTime = e.CreateTime
		}
		e.Ext, e.Friend = maps.Clone(e.Ext), nil
		l.put(e.BlackListUserID, &e)
	}
}

// contactCodes are the codes only this area answers (CodeN 760001 upwards):
// none, its errors are InvalidParam. The codes of failed items are above
// (failAddSelfFriend, ...).
var contactCodes = map[string]codeInfo{}
