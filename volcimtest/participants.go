package volcimtest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	volcim "github.com/volcim/volcim-go"
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

// participantHandlers answers the member actions.
var participantHandlers = map[string]handler{
	actionBatchAddConversationParticipant:    (*Server).batchAddParticipants,
	actionBatchDeleteConversationParticipant: (*Server).batchDeleteParticipants,
	actionBatchModifyConversationParticipant: (*Server).batchModifyParticipants,
	actionBatchGetConversationParticipant:    (*Server).batchGetParticipants,
	actionIsUserInConversation:               (*Server).isUserInConversation,
	actionScanConversationParticipantList:    (*Server).scanParticipants,
	actionBatchAddManager:                    (*Server).batchAddManager,
	actionBatchRemoveManager:                 (*Server).batchRemoveManager,
	actionGetParticipantReadIndex:            (*Server).getParticipantReadIndex,
	actionModifyParticipantReadIndex:         (*Server).modifyParticipantReadIndex,
	actionQueryLiveParticipantStatus:         (*Server).queryLiveParticipantStatus,
}

// Limits the member actions enforce, as the API documents them (the
// manager limit is the documented default).
const (
	maxGroupMembers       = volcim.MaxGroupMembers
	maxLiveGroupMembers   = 10000
	maxLiveManagers       = 10
	maxLiveStatusUsers    = 200
	maxScanPageSize       = volcim.MaxParticipantsPageSize
	maxScanIDsPageSize    = volcim.MaxParticipantIDsPageSize
	participantsNoMoreCur = -1 // the NextCursor of a scan's last page
)

// memberData is a conversation's members.
type memberData struct {
	// byUser holds every member by user id; order lists their ids in the
	// order they joined.
	byUser map[int64]*member
	order  []int64
}

// member is one member of a conversation.
type member struct {
	// p is the member as the member reads return it (Participant's
	// ConversationShortID and UserID are set).
	p volcim.Participant
	// readIndex is the IndexInConversation of the last message the member
	// has read (0: none).
	readIndex int64
}

// isMember reports whether user is a member of c. A conversation that has
// no member recorded (one seeded with AddConversation or AddMessages and no
// AddParticipants) accepts everybody.
func (c *conversation) isMember(user int64) bool {
	if len(c.members.byUser) == 0 {
		return true
	}
	_, ok := c.members.byUser[user]
	return ok
}

// memberList returns c's members in the order they joined.
func (c *conversation) memberList() []*member {
	out := make([]*member, 0, len(c.members.order))
	for _, id := range c.members.order {
		out = append(out, c.members.byUser[id])
	}
	return out
}

// addMember adds (or replaces, keeping its place and read index) a member.
// s.dataMu is held.
func (c *conversation) addMember(p volcim.Participant) *member {
	p.ConversationShortID = c.info.ConversationShortID
	p.Ext = maps.Clone(p.Ext)
	p.Marks = slices.Clone(p.Marks)
	if c.members.byUser == nil {
		c.members.byUser = make(map[int64]*member)
	}
	if m, ok := c.members.byUser[p.UserID]; ok {
		m.p = p
		return m
	}
	m := &member{p: p}
	c.members.byUser[p.UserID] = m
	c.members.order = append(c.members.order, p.UserID)
	return m
}

// removeMember removes a member; it reports whether there was one. s.dataMu
// is held.
func (c *conversation) removeMember(user int64) bool {
	if _, ok := c.members.byUser[user]; !ok {
		return false
	}
	delete(c.members.byUser, user)
	c.members.order = slices.DeleteFunc(c.members.order, func(id int64) bool { return id == user })
	return true
}

// AddParticipants adds members to conversation conversationShortID of app
// appID, as BatchAddConversationParticipant would, and creates a group for
// it if it does not exist. A member already there is replaced (keeping its
// read index). Once a conversation has members, only they may send into it
// (SendMessage answers ParticipantNotInConversation to anybody else). The
// participants are copied; their ConversationShortID is set.
//
// It panics if appID, conversationShortID or a participant's UserID is not
// positive.
func (s *Server) AddParticipants(appID, conversationShortID int64, ps ...volcim.Participant) {
	if appID <= 0 || conversationShortID <= 0 {
		panic(fmt.Sprintf("volcimtest: AddParticipants: appID %d and conversationShortID %d must be positive", appID, conversationShortID))
	}
	for _, p := range ps {
		if p.UserID <= 0 {
			panic(fmt.Sprintf("volcimtest: AddParticipants: UserID %d must be positive", p.UserID))
		}
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	k := convKey{appID, conversationShortID}
	conv, ok := s.convs[k]
	if !ok {
		conv = &conversation{info: volcim.Conversation{AppID: appID, ConversationShortID: conversationShortID, ConversationType: volcim.ConversationGroup}}
		s.convs[k] = conv
	}
	for _, p := range ps {
		conv.addMember(p)
	}
}

// participantCodes are the codes only this area answers (CodeN 730001 upwards).
var participantCodes = map[string]codeInfo{
	codeParticipantsMoreThanLimit: {http.StatusOK, 730001},
	codeOwnerShouldBeEqual:        {http.StatusOK, 730002},
	codeMoreThanUserConvLimit:     {http.StatusOK, 730003},
	codeManagerMoreThanLimit:      {http.StatusOK, 730004},
}

const (
	codeParticipantsMoreThanLimit = volcim.CodeConversationParticipantsMoreThanLimit
	codeOwnerShouldBeEqual        = volcim.CodeOwnerShouldBeEqual
	codeMoreThanUserConvLimit     = volcim.CodeMoreThanUserConversationLimit
	codeManagerMoreThanLimit      = volcim.CodeManagerMoreThanLimit
)

// findMember returns the member of c with user id id or, when id is 0,
// with string id str; nil when there is none. s.dataMu is held.
func (c *conversation) findMember(id int64, str string) *member {
	if id > 0 {
		return c.members.byUser[id]
	}
	if str == "" {
		return nil
	}
	for _, uid := range c.members.order {
		if m := c.members.byUser[uid]; m.p.UserIDStr == str {
			return m
		}
	}
	return nil
}

// memberConversation returns a conversation whose members may be changed:
// one that exists, is not dismissed and is not one-to-one. s.dataMu is
// held.
func (s *Server) memberConversation(appID, convID int64) (*conversation, *apiError) {
	conv, e := s.liveConversation(appID, convID)
	if e != nil {
		return nil, e
	}
	if conv.info.ConversationType == volcim.ConversationOneToOne {
		return nil, newError(codeSingleNotSupport, fmt.Sprintf("conversation %d is one-to-one: its members cannot change", convID))
	}
	return conv, nil
}

// checkOperatorID checks the Operator the member writes require.
func checkOperatorID(op *int64) *apiError {
	switch {
	case op == nil:
		return missing("Operator")
	case *op <= 0:
		return notPositive("Operator", *op)
	}
	return nil
}

// checkUserIDs checks a required list of user ids and its string twin:
// one of them non-empty, every id positive, every string non-empty.
func checkUserIDs(name string, ids []int64, strs []string) *apiError {
	if len(ids) == 0 && len(strs) == 0 {
		return newError(codeInvalidParam, name+" is required and must not be empty")
	}
	for i, id := range ids {
		if id <= 0 {
			return newError(codeInvalidParam, fmt.Sprintf("%s[%d] must be positive, got %d", name, i, id))
		}
	}
	for i, s := range strs {
		if s == "" {
			return newError(codeInvalidParam, fmt.Sprintf("%sStr[%d] must not be empty", name, i))
		}
	}
	return nil
}

// failedUsersResult is the Result of the member writes.
type failedUsersResult struct {
	FailedUserIDs []int64 `json:"FailedUserIds"`
}

func failedUsers(ids []int64) result {
	if ids == nil {
		ids = []int64{}
	}
	return jsonResult{failedUsersResult{ids}}
}

// participantRole maps a request's Role: an invalid value becomes the
// default, as documented.
func participantRole(r *int64) volcim.ParticipantRole {
	if r == nil || *r < int64(volcim.RoleMember) || *r > int64(volcim.RoleManager) {
		return volcim.RoleMember
	}
	return volcim.ParticipantRole(*r)
}

// isOwner reports whether user is the owner of c.
func (c *conversation) isOwner(user int64) bool {
	return user > 0 && user == c.info.OwnerUserID
}

type addParticipantsRequest struct {
	AppID               *int64 `json:"AppId"`
	ConversationShortID *int64 `json:"ConversationShortId"`
	Operator            *int64 `json:"Operator"`
	ParticipantInfos    []struct {
		ParticipantUserID *int64            `json:"ParticipantUserId"`
		Ext               map[string]string `json:"Ext"`
		Level             int32             `json:"Level"`
		NickName          string            `json:"NickName"`
		ReadIndex         int64             `json:"ReadIndex"`
		Role              *int64            `json:"Role"`
	} `json:"ParticipantInfos"`
	Barrier bool `json:"Barrier"`
}

// batchAddParticipants adds members, or overwrites the profile of members
// already there (keeping their place, join time, mute and marks).
func (s *Server) batchAddParticipants(body []byte) (result, *apiError) {
	var req addParticipantsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if e := checkOperatorID(req.Operator); e != nil {
		return nil, e
	}
	if len(req.ParticipantInfos) == 0 {
		return nil, newError(codeInvalidParam, "ParticipantInfos is required and must not be empty")
	}
	users := make([]int64, len(req.ParticipantInfos))
	for i, p := range req.ParticipantInfos {
		switch {
		case p.ParticipantUserID == nil || *p.ParticipantUserID <= 0:
			return nil, newError(codeInvalidParam, fmt.Sprintf("ParticipantInfos[%d].ParticipantUserId must be positive", i))
		case p.ReadIndex < 0:
			return nil, newError(codeInvalidParam, fmt.Sprintf("ParticipantInfos[%d].ReadIndex must not be negative, got %d", i, p.ReadIndex))
		}
		users[i] = *p.ParticipantUserID
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.memberConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	newUsers := make(map[int64]bool)
	for i, p := range req.ParticipantInfos {
		u := users[i]
		if participantRole(p.Role) == volcim.RoleOwner && !conv.isOwner(u) {
			return nil, newError(codeOwnerShouldBeEqual, fmt.Sprintf("user %d cannot be the owner: conversation %d is owned by %d", u, conv.info.ConversationShortID, conv.info.OwnerUserID))
		}
		if conv.members.byUser[u] == nil {
			newUsers[u] = true
		}
	}
	limit := maxGroupMembers
	if conv.info.ConversationType == volcim.ConversationLiveGroup {
		limit = maxLiveGroupMembers
	}
	if n := len(conv.members.order) + len(newUsers); n > limit {
		return nil, newError(codeParticipantsMoreThanLimit, fmt.Sprintf("conversation %d would have %d members, more than %d", conv.info.ConversationShortID, n, limit))
	}
	var counts map[int64]int
	if conv.info.ConversationType == volcim.ConversationGroup && len(newUsers) > 0 {
		counts = s.groupCounts(conv.info.AppID, slices.Collect(maps.Keys(newUsers)))
	}
	now := s.now().UTC().Truncate(time.Second)
	var failed []int64
	for i, in := range req.ParticipantInfos {
		u := users[i]
		if newUsers[u] && counts[u] >= maxUserGroups {
			if !slices.Contains(failed, u) {
				failed = append(failed, u)
			}
			continue
		}
		p := volcim.Participant{UserID: u, Status: volcim.ParticipantNormal, CreateTime: now}
		if m := conv.members.byUser[u]; m != nil {
			p = m.p // a member already, or an id repeated in the request
		}
		p.Role = participantRole(in.Role)
		p.NickName, p.Level, p.Ext = in.NickName, in.Level, in.Ext
		p.Operator, p.OperatorStr = *req.Operator, ""
		m := conv.addMember(p)
		if in.ReadIndex > 0 {
			m.readIndex = in.ReadIndex
		}
	}
	return failedUsers(failed), nil
}

type deleteParticipantsRequest struct {
	AppID               *int64  `json:"AppId"`
	ConversationShortID *int64  `json:"ConversationShortId"`
	Operator            *int64  `json:"Operator"`
	ParticipantUserIDs  []int64 `json:"ParticipantUserIds"`
}

// batchDeleteParticipants removes members. Removing a user who is not a
// member succeeds (so a retry converges); the owner cannot be removed and
// is answered as failed.
func (s *Server) batchDeleteParticipants(body []byte) (result, *apiError) {
	var req deleteParticipantsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if e := checkOperatorID(req.Operator); e != nil {
		return nil, e
	}
	if e := checkUserIDs("ParticipantUserIds", req.ParticipantUserIDs, nil); e != nil {
		return nil, e
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.memberConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	var failed []int64
	for _, u := range req.ParticipantUserIDs {
		if conv.isOwner(u) && conv.members.byUser[u] != nil {
			if !slices.Contains(failed, u) {
				failed = append(failed, u)
			}
			continue
		}
		conv.removeMember(u)
	}
	return failedUsers(failed), nil
}

type modifyParticipantsRequest struct {
	AppID               *int64 `json:"AppId"`
	ConversationShortID *int64 `json:"ConversationShortId"`
	Operator            *int64 `json:"Operator"`
	ParticipantInfos    []struct {
		ParticipantUserID *int64            `json:"ParticipantUserId"`
		BlockTime         *int64            `json:"BlockTime"`
		Ext               map[string]string `json:"Ext"`
		Level             *int32            `json:"Level"`
		NickName          *string           `json:"NickName"`
		Role              *int64            `json:"Role"`
	} `json:"ParticipantInfos"`
}

// batchModifyParticipants changes members; users who are not members, and
// an owner given another role, are answered as failed.
func (s *Server) batchModifyParticipants(body []byte) (result, *apiError) {
	var req modifyParticipantsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if e := checkOperatorID(req.Operator); e != nil {
		return nil, e
	}
	if len(req.ParticipantInfos) == 0 {
		return nil, newError(codeInvalidParam, "ParticipantInfos is required and must not be empty")
	}
	for i, p := range req.ParticipantInfos {
		switch {
		case p.ParticipantUserID == nil || *p.ParticipantUserID <= 0:
			return nil, newError(codeInvalidParam, fmt.Sprintf("ParticipantInfos[%d].ParticipantUserId must be positive", i))
		case p.BlockTime != nil && *p.BlockTime < 0:
			return nil, newError(codeInvalidParam, fmt.Sprintf("ParticipantInfos[%d].BlockTime must not be negative, got %d", i, *p.BlockTime))
		}
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.memberConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	for _, in := range req.ParticipantInfos {
		u := *in.ParticipantUserID
		if in.Role != nil && participantRole(in.Role) == volcim.RoleOwner && !conv.isOwner(u) {
			return nil, newError(codeOwnerShouldBeEqual, fmt.Sprintf("user %d cannot be the owner: conversation %d is owned by %d", u, conv.info.ConversationShortID, conv.info.OwnerUserID))
		}
	}
	var failed []int64
	for _, in := range req.ParticipantInfos {
		u := *in.ParticipantUserID
		m := conv.members.byUser[u]
		if m == nil || in.Role != nil && conv.isOwner(u) && participantRole(in.Role) != volcim.RoleOwner {
			if !slices.Contains(failed, u) {
				failed = append(failed, u)
			}
			continue
		}
		if in.Role != nil {
			m.p.Role = participantRole(in.Role)
		}
		if in.NickName != nil {
			m.p.NickName = *in.NickName
		}
		if in.Level != nil {
			m.p.Level = *in.Level
		}
		if in.Ext != nil {
			m.p.Ext = maps.Clone(in.Ext)
		}
		if in.BlockTime != nil {
			m.p.BlockTime = time.Time{}
			if *in.BlockTime > 0 {
				m.p.BlockTime = time.Unix(*in.BlockTime, 0).UTC()
			}
		}
		m.p.Operator = *req.Operator
	}
	return failedUsers(failed), nil
}

type participantIDsRequest struct {
	AppID                 *int64   `json:"AppId"`
	ConversationShortID   *int64   `json:"ConversationShortId"`
	ParticipantUserIDs    []int64  `json:"ParticipantUserIds"`
	ParticipantUserIDsStr []string `json:"ParticipantUserIdsStr"`
}

type participantsResult struct {
	Participants []volcim.Participant `json:"Participants"`
}

// batchGetParticipants returns the members among the ids, in request order
// and once each; other users are left out.
func (s *Server) batchGetParticipants(body []byte) (result, *apiError) {
	var req participantIDsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if e := checkUserIDs("ParticipantUserIds", req.ParticipantUserIDs, nil); e != nil {
		return nil, e
	}

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	out := make([]volcim.Participant, 0, len(req.ParticipantUserIDs))
	seen := make(map[int64]bool, len(req.ParticipantUserIDs))
	for _, u := range req.ParticipantUserIDs {
		if m := conv.members.byUser[u]; m != nil && !seen[u] {
			seen[u] = true
			out = append(out, m.p)
		}
	}
	return jsonResult{participantsResult{out}}, nil
}

type isUserInConversationRequest struct {
	AppID               *int64 `json:"AppId"`
	ConversationShortID *int64 `json:"ConversationShortId"`
	ParticipantUserID   *int64 `json:"ParticipantUserId"`
}

type isUserInConversationResult struct {
	IsUserInConversation bool `json:"IsUserInConversation"`
}

// isUserInConversation answers from the recorded members only.
func (s *Server) isUserInConversation(body []byte) (result, *apiError) {
	var req isUserInConversationRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	switch {
	case req.ParticipantUserID == nil:
		return nil, missing("ParticipantUserId")
	case *req.ParticipantUserID <= 0:
		return nil, notPositive("ParticipantUserId", *req.ParticipantUserID)
	}

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	_, in := conv.members.byUser[*req.ParticipantUserID]
	return jsonResult{isUserInConversationResult{in}}, nil
}

type scanParticipantsRequest struct {
	AppID                 *int64 `json:"AppId"`
	ConversationShortID   *int64 `json:"ConversationShortId"`
	Cursor                *int64 `json:"Cursor"`
	Limit                 *int64 `json:"Limit"`
	MarkType              string `json:"MarkType"`
	OnlyUserIDs           bool   `json:"OnlyUserIds"`
	Reverse               bool   `json:"Reverse"`
	ScanOnlineParticipant bool   `json:"ScanOnlineParticipant"`
}

type participantPageResult struct {
	HasMore      bool                 `json:"HasMore"`
	NextCursor   int32                `json:"NextCursor"`
	Participants []volcim.Participant `json:"Participants"`
}

// scanParticipants pages through the members; the cursor is the position
// in the list, and the last page's NextCursor is -1.
func (s *Server) scanParticipants(body []byte) (result, *apiError) {
	var req scanParticipantsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	maxLimit := int64(maxScanPageSize)
	if req.OnlyUserIDs && !req.ScanOnlineParticipant {
		maxLimit = maxScanIDsPageSize
	}
	switch {
	case req.Cursor == nil:
		return nil, missing("Cursor")
	case *req.Cursor < 0 || *req.Cursor > 1<<31-1:
		return nil, newError(codeInvalidParam, fmt.Sprintf("Cursor must be 0 to 2147483647, got %d", *req.Cursor))
	case req.Limit == nil:
		return nil, missing("Limit")
	case *req.Limit < 1 || *req.Limit > maxLimit:
		return nil, newError(codeInvalidParam, fmt.Sprintf("Limit must be 1 to %d, got %d", maxLimit, *req.Limit))
	}

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	live := conv.info.ConversationType == volcim.ConversationLiveGroup
	list := conv.memberList()
	onlyIDs, reverse := req.OnlyUserIDs, req.Reverse
	switch {
	case req.ScanOnlineParticipant && !live:
		list = nil // other conversations have no online list
	case req.ScanOnlineParticipant:
		// Every member of a live group counts as online, last to join
		// first; Reverse and OnlyUserIds have no effect.
		onlyIDs, reverse = false, true
	case live:
		// A live group's plain scan lists its owner and managers.
		list = slices.DeleteFunc(list, func(m *member) bool { return m.p.Role == volcim.RoleMember })
	}
	if req.MarkType != "" {
		list = slices.DeleteFunc(list, func(m *member) bool { return !slices.Contains(m.p.Marks, req.MarkType) })
	}
	if reverse {
		slices.Reverse(list)
	}
	n := int64(len(list))
	start := min(*req.Cursor, n)
	end := min(start+*req.Limit, n)
	res := participantPageResult{Participants: make([]volcim.Participant, 0, end-start), HasMore: end < n, NextCursor: participantsNoMoreCur}
	if res.HasMore {
		res.NextCursor = int32(end)
	}
	for _, m := range list[start:end] {
		p := m.p
		if onlyIDs {
			p = volcim.Participant{ConversationShortID: p.ConversationShortID, UserID: p.UserID, UserIDStr: p.UserIDStr}
		}
		res.Participants = append(res.Participants, p)
	}
	return jsonResult{res}, nil
}

type managersRequest struct {
	AppID                   *int64   `json:"AppId"`
	ConversationShortID     *int64   `json:"ConversationShortId"`
	ManagerUserIDs          []int64  `json:"ManagerUserIds"`
	ManagerUserIDsStr       []string `json:"ManagerUserIdsStr"`
	RemoveManagerUserIDs    []int64  `json:"RemoveManagerUserIds"`
	RemoveManagerUserIDsStr []string `json:"RemoveManagerUserIdsStr"`
	Operator                int64    `json:"Operator"`
	OperatorStr             string   `json:"OperatorStr"`
}

type failedManagersResult struct {
	FailedManagerUserIDs    []int64  `json:"FailedManagerUserIds"`
	FailedManagerUserIDsStr []string `json:"FailedManagerUserIdsStr,omitempty"`
}

// batchAddManager makes members of a live group its managers; users who
// are not members, and the owner, are answered as failed; more than 10
// managers is ManagerMoreThanLimit.
func (s *Server) batchAddManager(body []byte) (result, *apiError) {
	return s.changeManagers(body, true)
}

// batchRemoveManager makes managers of a live group ordinary members;
// users who are not members are answered as failed, members who are not
// managers are left as they are.
func (s *Server) batchRemoveManager(body []byte) (result, *apiError) {
	return s.changeManagers(body, false)
}

func (s *Server) changeManagers(body []byte, add bool) (result, *apiError) {
	var req managersRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if e := checkMemberUser("Operator", req.Operator, req.OperatorStr); e != nil {
		return nil, e
	}
	name, ids, strs := "ManagerUserIds", req.ManagerUserIDs, req.ManagerUserIDsStr
	if !add {
		name, ids, strs = "RemoveManagerUserIds", req.RemoveManagerUserIDs, req.RemoveManagerUserIDsStr
	}
	if e := checkUserIDs(name, ids, strs); e != nil {
		return nil, e
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveGroupConv(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	res := failedManagersResult{FailedManagerUserIDs: []int64{}}
	var change []*member
	for _, u := range ids {
		m := conv.members.byUser[u]
		if m == nil || add && m.p.Role == volcim.RoleOwner {
			res.FailedManagerUserIDs = append(res.FailedManagerUserIDs, u)
			continue
		}
		change = append(change, m)
	}
	for _, str := range strs {
		m := conv.findMember(0, str)
		if m == nil || add && m.p.Role == volcim.RoleOwner {
			res.FailedManagerUserIDsStr = append(res.FailedManagerUserIDsStr, str)
			continue
		}
		change = append(change, m)
	}
	if !add {
		for _, m := range change {
			if m.p.Role == volcim.RoleManager {
				m.p.Role = volcim.RoleMember
			}
		}
		return jsonResult{res}, nil
	}
	managers := make(map[*member]bool)
	for _, m := range conv.memberList() {
		if m.p.Role == volcim.RoleManager {
			managers[m] = true
		}
	}
	for _, m := range change {
		managers[m] = true
	}
	if len(managers) > maxLiveManagers {
		return nil, newError(codeManagerMoreThanLimit, fmt.Sprintf("live group %d would have %d managers, more than %d", conv.info.ConversationShortID, len(managers), maxLiveManagers))
	}
	for _, m := range change {
		m.p.Role = volcim.RoleManager
	}
	return jsonResult{res}, nil
}

type readIndexesResult struct {
	ReadIndexes []volcim.ParticipantReadIndex `json:"ReadIndexes"`
}

// getParticipantReadIndex lists the members that have read something, in
// the order they joined; the others (read index 0) are left out, as the
// API documents.
func (s *Server) getParticipantReadIndex(body []byte) (result, *apiError) {
	var req convOnlyRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	out := []volcim.ParticipantReadIndex{}
	for _, m := range conv.memberList() {
		if m.readIndex != 0 {
			out = append(out, volcim.ParticipantReadIndex{UserID: m.p.UserID, UserIDStr: m.p.UserIDStr, ReadIndex: m.readIndex})
		}
	}
	return jsonResult{readIndexesResult{out}}, nil
}

type modifyReadIndexRequest struct {
	AppID                *int64 `json:"AppId"`
	ConversationShortID  *int64 `json:"ConversationShortId"`
	ParticipantUserID    int64  `json:"ParticipantUserId"`
	ParticipantUserIDStr string `json:"ParticipantUserIdStr"`
	ReadIndex            *int64 `json:"ReadIndex"`
}

// modifyParticipantReadIndex moves a member's read index forward: a new
// index that does not exceed the current one is InvalidParam.
func (s *Server) modifyParticipantReadIndex(body []byte) (result, *apiError) {
	var req modifyReadIndexRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if e := checkMemberUser("ParticipantUserId", req.ParticipantUserID, req.ParticipantUserIDStr); e != nil {
		return nil, e
	}
	if req.ReadIndex == nil {
		return nil, missing("ReadIndex")
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	m := conv.findMember(req.ParticipantUserID, req.ParticipantUserIDStr)
	if m == nil {
		return nil, newError(codeParticipantNotInConv, fmt.Sprintf("user %d is not a member of conversation %d", req.ParticipantUserID, conv.info.ConversationShortID))
	}
	if *req.ReadIndex <= m.readIndex {
		return nil, newError(codeInvalidParam, fmt.Sprintf("ReadIndex %d must exceed the member's current read index %d", *req.ReadIndex, m.readIndex))
	}
	m.readIndex = *req.ReadIndex
	return nil, nil
}

type liveStatusResult struct {
	Status []volcim.LiveParticipantStatus `json:"Status"`
}

// queryLiveParticipantStatus answers, for the first 200 users asked (ids,
// then string ids), whether each is a member of the live group and since
// when.
func (s *Server) queryLiveParticipantStatus(body []byte) (result, *apiError) {
	var req participantIDsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if e := checkUserIDs("ParticipantUserIds", req.ParticipantUserIDs, req.ParticipantUserIDsStr); e != nil {
		return nil, e
	}

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveGroupConv(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	out := make([]volcim.LiveParticipantStatus, 0, min(len(req.ParticipantUserIDs)+len(req.ParticipantUserIDsStr), maxLiveStatusUsers))
	add := func(id int64, str string) {
		st := volcim.LiveParticipantStatus{AppID: conv.info.AppID, ConversationShortID: conv.info.ConversationShortID, UserID: id, UserIDStr: str}
		if m := conv.findMember(id, str); m != nil {
			st.UserID, st.UserIDStr = m.p.UserID, m.p.UserIDStr
			st.InConversation, st.CreateTime = true, m.p.CreateTime
		}
		out = append(out, st)
	}
	for _, id := range req.ParticipantUserIDs {
		if len(out) < maxLiveStatusUsers {
			add(id, "")
		}
	}
	for _, str := range req.ParticipantUserIDsStr {
		if len(out) < maxLiveStatusUsers {
			add(0, str)
		}
	}
	return jsonResult{liveStatusResult{out}}, nil
}
