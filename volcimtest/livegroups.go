package volcimtest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	volcim "github.com/volcim/volcim-go"
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

// liveGroupHandlers answers the live-group moderation actions.
var liveGroupHandlers = map[string]handler{
	actionBatchAddBlockParticipants:       (*Server).batchAddBlockParticipants,
	actionBatchDeleteBlockParticipants:    (*Server).batchDeleteBlockParticipants,
	actionBatchGetBlockParticipants:       (*Server).batchGetBlockParticipants,
	actionBatchAddWhitelistParticipant:    (*Server).batchAddWhitelistParticipant,
	actionBatchRemoveWhitelistParticipant: (*Server).batchRemoveWhitelistParticipant,
	actionBatchGetWhitelistParticipant:    (*Server).batchGetWhitelistParticipant,
	actionBatchUpdateLiveParticipants:     (*Server).batchUpdateLiveParticipants,
}

// liveData is a live group's moderation state.
type liveData struct {
	// blocks holds the mutes (index 0, BlockAction 0) and the bans (index
	// 1) by user. An entry whose until has passed on the server's clock is
	// gone: readers skip it and writers drop it.
	blocks [2]map[liveUser]*blockEntry
	// whitelist holds the members who may speak while the group is muted.
	whitelist map[liveUser]*whitelistEntry
}

// liveUser is a user of a live group: a numeric id, or a string id (id 0)
// for apps whose user ids are strings.
type liveUser struct {
	id  int64
	str string
}

func compareLiveUsers(a, b liveUser) int {
	return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.str, b.str))
}

type blockEntry struct {
	created, until time.Time
}

type whitelistEntry struct {
	operator    int64
	operatorStr string
	created     time.Time
}

// liveGroupCodes are the codes only this area answers (CodeN 740001 upwards).
var liveGroupCodes = map[string]codeInfo{}

// liveGroup returns a live group that exists and is not dismissed:
// ConversationNotFound otherwise, and OnlyLiveConversationSupport for
// another type of conversation. s.dataMu is held.
func (s *Server) liveGroup(appID, convID int64) (*conversation, *apiError) {
	conv, e := s.liveConversation(appID, convID)
	if e != nil {
		return nil, e
	}
	if conv.info.ConversationType != volcim.ConversationLiveGroup {
		return nil, newError(codeOnlyLiveConversation, fmt.Sprintf("conversation %d is a %v, not a live group: only live groups support this action", convID, conv.info.ConversationType))
	}
	return conv, nil
}

// memberRecord returns the member record of u, or nil. s.dataMu is held.
func (c *conversation) memberRecord(u liveUser) *member {
	if u.id > 0 {
		return c.members.byUser[u.id]
	}
	for _, m := range c.members.byUser {
		if m.p.UserIDStr == u.str {
			return m
		}
	}
	return nil
}

// activeBlocks returns the list of action (0 mute, 1 ban), without the
// entries that have ended at now, which it drops. s.dataMu is held for
// writing.
func (c *conversation) activeBlocks(action int32, now time.Time) map[liveUser]*blockEntry {
	m := c.live.blocks[action]
	maps.DeleteFunc(m, func(_ liveUser, b *blockEntry) bool { return !b.until.After(now) })
	return m
}

// blockActionOf decodes an optional BlockAction: absent means 0.
func blockActionOf(p *int32) (int32, *apiError) {
	if p == nil {
		return 0, nil
	}
	if *p != 0 && *p != 1 {
		return 0, newError(codeInvalidParam, fmt.Sprintf("BlockAction must be 0 (mute) or 1 (ban), got %d", *p))
	}
	return *p, nil
}

// liveUsers checks a list of user ids with its string twin: at least one
// id in all, numeric ones positive, string ones not empty. Each user is
// returned once, in order.
func liveUsers(name string, ids []int64, strs []string) ([]liveUser, *apiError) {
	if len(ids)+len(strs) == 0 {
		return nil, newError(codeInvalidParam, name+" is required and must not be empty")
	}
	out := make([]liveUser, 0, len(ids)+len(strs))
	seen := make(map[liveUser]bool, len(ids)+len(strs))
	for i, id := range ids {
		if id <= 0 {
			return nil, newError(codeInvalidParam, fmt.Sprintf("%s[%d] must be positive, got %d", name, i, id))
		}
		if u := (liveUser{id: id}); !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for i, s := range strs {
		if s == "" {
			return nil, newError(codeInvalidParam, fmt.Sprintf("%sStr[%d] must not be empty", name, i))
		}
		if u := (liveUser{str: s}); !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out, nil
}

// liveFailedLists splits failed users into the numeric and string lists of a
// reply; the numeric one is never null.
func liveFailedLists(us []liveUser) ([]int64, []string) {
	ids, strs := []int64{}, []string(nil)
	for _, u := range us {
		if u.str != "" {
			strs = append(strs, u.str)
		} else {
			ids = append(ids, u.id)
		}
	}
	return ids, strs
}

type batchAddBlockParticipantsRequest struct {
	AppID                    *int64           `json:"AppId"`
	ConversationShortID      *int64           `json:"ConversationShortId"`
	ParticipantBlockInfos    map[string]int64 `json:"ParticipantBlockInfos"`
	ParticipantBlockInfosStr map[string]int64 `json:"ParticipantBlockInfosStr"`
	BlockAction              *int32           `json:"BlockAction"`
}

type blockFailedResult struct {
	FailedParticipantUserIDs    []int64  `json:"FailedParticipantUserIds"`
	FailedParticipantUserIDsStr []string `json:"FailedParticipantUserIdsStr,omitempty"`
}

// batchAddBlockParticipants mutes or bans users until now plus their
// duration. A mute needs a member record; a ban does not.
func (s *Server) batchAddBlockParticipants(body []byte) (result, *apiError) {
	var req batchAddBlockParticipantsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	action, e := blockActionOf(req.BlockAction)
	if e != nil {
		return nil, e
	}
	if len(req.ParticipantBlockInfos)+len(req.ParticipantBlockInfosStr) == 0 {
		return nil, newError(codeInvalidParam, "ParticipantBlockInfos is required and must not be empty")
	}
	type blockReq struct {
		u    liveUser
		secs int64
	}
	reqs := make([]blockReq, 0, len(req.ParticipantBlockInfos)+len(req.ParticipantBlockInfosStr))
	for k, secs := range req.ParticipantBlockInfos {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil || id <= 0 {
			return nil, newError(codeInvalidParam, fmt.Sprintf("ParticipantBlockInfos key %q is not a positive user id", k))
		}
		reqs = append(reqs, blockReq{liveUser{id: id}, secs})
	}
	for k, secs := range req.ParticipantBlockInfosStr {
		if k == "" {
			return nil, newError(codeInvalidParam, "ParticipantBlockInfosStr has an empty key")
		}
		reqs = append(reqs, blockReq{liveUser{str: k}, secs})
	}
	for _, r := range reqs {
		if r.secs <= 0 {
			return nil, newError(codeInvalidParam, fmt.Sprintf("the duration of user %s must be a positive number of seconds, got %d", r.u, r.secs))
		}
	}
	slices.SortFunc(reqs, func(a, b blockReq) int { return compareLiveUsers(a.u, b.u) })

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveGroup(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	now := s.now()
	if conv.live.blocks[action] == nil {
		conv.live.blocks[action] = make(map[liveUser]*blockEntry)
	}
	list := conv.activeBlocks(action, now)
	var failed []liveUser
	for _, r := range reqs {
		if action == 0 && conv.memberRecord(r.u) == nil {
			failed = append(failed, r.u)
			continue
		}
		list[r.u] = &blockEntry{created: now, until: now.Add(time.Duration(r.secs) * time.Second)}
	}
	ids, strs := liveFailedLists(failed)
	return jsonResult{blockFailedResult{ids, strs}}, nil
}

func (u liveUser) String() string {
	if u.str != "" {
		return strconv.Quote(u.str)
	}
	return strconv.FormatInt(u.id, 10)
}

type batchDeleteBlockParticipantsRequest struct {
	AppID                 *int64   `json:"AppId"`
	ConversationShortID   *int64   `json:"ConversationShortId"`
	ParticipantUserIDs    []int64  `json:"ParticipantUserIds"`
	ParticipantUserIDsStr []string `json:"ParticipantUserIdsStr"`
	BlockAction           *int32   `json:"BlockAction"`
}

// batchDeleteBlockParticipants lifts mutes or bans; lifting what is not
// there changes nothing and is no failure.
func (s *Server) batchDeleteBlockParticipants(body []byte) (result, *apiError) {
	var req batchDeleteBlockParticipantsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	action, e := blockActionOf(req.BlockAction)
	if e != nil {
		return nil, e
	}
	users, e := liveUsers("ParticipantUserIds", req.ParticipantUserIDs, req.ParticipantUserIDsStr)
	if e != nil {
		return nil, e
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveGroup(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	for _, u := range users {
		delete(conv.live.blocks[action], u)
	}
	return jsonResult{blockFailedResult{FailedParticipantUserIDs: []int64{}}}, nil
}

type liveListRequest struct {
	AppID               *int64 `json:"AppId"`
	ConversationShortID *int64 `json:"ConversationShortId"`
	Cursor              *int64 `json:"Cursor"`
	Limit               *int64 `json:"Limit"`
	BlockAction         *int32 `json:"BlockAction"`
}

// check checks what both lists require.
func (r *liveListRequest) check() *apiError {
	if e := checkIDs(r.AppID, r.ConversationShortID); e != nil {
		return e
	}
	switch {
	case r.Cursor == nil:
		return missing("Cursor")
	case *r.Cursor < 0:
		return newError(codeInvalidParam, fmt.Sprintf("Cursor must not be negative, got %d", *r.Cursor))
	case r.Limit == nil:
		return missing("Limit")
	case *r.Limit < 1 || *r.Limit > volcim.MaxLiveListPageSize:
		return newError(codeInvalidParam, fmt.Sprintf("Limit must be 1 to %d, got %d", volcim.MaxLiveListPageSize, *r.Limit))
	}
	return nil
}

// livePage cuts the page [cursor, cursor+limit) of a list of n entries:
// the cursor is a position, and NextCursor is -1 after the last page.
func livePage(n int, cursor, limit int64) (start, end int, hasMore bool, next int64) {
	start = int(min(cursor, int64(n)))
	end = int(min(int64(start)+limit, int64(n)))
	if end < n {
		return start, end, true, int64(end)
	}
	return start, end, false, -1
}

// wireBlockMember is a member of the block lists, as the official model
// has it.
type wireBlockMember struct {
	AvatarURL            string            `json:"AvatarUrl"`
	BlockTime            int64             `json:"BlockTime"`
	CreateTime           int64             `json:"CreateTime"`
	Ext                  map[string]string `json:"Ext"`
	Marks                []string          `json:"Marks"`
	NickName             string            `json:"NickName"`
	ParticipantUserID    int64             `json:"ParticipantUserId"`
	ParticipantUserIDStr string            `json:"ParticipantUserIdStr,omitempty"`
}

// wireWhitelistMember is a member of the whitelist, as the official model
// has it (plus the string id, for apps that use them).
type wireWhitelistMember struct {
	AvatarURL            string            `json:"AvatarUrl"`
	CreateTime           int64             `json:"CreateTime"`
	Ext                  map[string]string `json:"Ext"`
	NickName             string            `json:"NickName"`
	Operator             int64             `json:"Operator"`
	OperatorStr          string            `json:"OperatorStr,omitempty"`
	ParticipantUserID    int64             `json:"ParticipantUserId"`
	ParticipantUserIDStr string            `json:"ParticipantUserIdStr,omitempty"`
	Marks                []string          `json:"Marks"`
}

type liveListResult[T any] struct {
	HasMore      bool  `json:"HasMore"`
	NextCursor   int64 `json:"NextCursor"`
	Participants []T   `json:"Participants"`
}

// profileOf returns the profile of u in c: its member record's, or an
// empty one. Maps and slices are never null on the wire.
func (c *conversation) profileOf(u liveUser) (nick, avatar string, ext map[string]string, marks []string) {
	ext, marks = map[string]string{}, []string{}
	if m := c.memberRecord(u); m != nil {
		nick, avatar = m.p.NickName, m.p.AvatarURL
		if m.p.Ext != nil {
			ext = maps.Clone(m.p.Ext)
		}
		if m.p.Marks != nil {
			marks = slices.Clone(m.p.Marks)
		}
	}
	return nick, avatar, ext, marks
}

// batchGetBlockParticipants pages through the mutes or bans that have not
// ended, by user id ascending.
func (s *Server) batchGetBlockParticipants(body []byte) (result, *apiError) {
	var req liveListRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := req.check(); e != nil {
		return nil, e
	}
	action, e := blockActionOf(req.BlockAction)
	if e != nil {
		return nil, e
	}

	s.dataMu.Lock() // expired entries are dropped
	defer s.dataMu.Unlock()
	conv, e := s.liveGroup(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	list := conv.activeBlocks(action, s.now())
	users := slices.SortedFunc(maps.Keys(list), compareLiveUsers)
	start, end, hasMore, next := livePage(len(users), *req.Cursor, *req.Limit)
	res := liveListResult[wireBlockMember]{HasMore: hasMore, NextCursor: next, Participants: make([]wireBlockMember, 0, end-start)}
	for _, u := range users[start:end] {
		b := list[u]
		nick, avatar, ext, marks := conv.profileOf(u)
		res.Participants = append(res.Participants, wireBlockMember{
			AvatarURL:            avatar,
			BlockTime:            b.until.Unix(),
			CreateTime:           b.created.Unix(),
			Ext:                  ext,
			Marks:                marks,
			NickName:             nick,
			ParticipantUserID:    u.id,
			ParticipantUserIDStr: u.str,
		})
	}
	return jsonResult{res}, nil
}

type whitelistWriteRequest struct {
	AppID                 *int64   `json:"AppId"`
	ConversationShortID   *int64   `json:"ConversationShortId"`
	Operator              *int64   `json:"Operator"`
	OperatorStr           string   `json:"OperatorStr"`
	ParticipantUserIDs    []int64  `json:"ParticipantUserIds"`
	ParticipantUserIDsStr []string `json:"ParticipantUserIdsStr"`
}

type whitelistFailedResult struct {
	FailedUserIDs    []int64  `json:"FailedUserIds"`
	FailedUserIDsStr []string `json:"FailedUserIdsStr,omitempty"`
}

// decodeWhitelistWrite decodes and checks a whitelist write.
func decodeWhitelistWrite(body []byte) (*whitelistWriteRequest, []liveUser, *apiError) {
	var req whitelistWriteRequest
	if e := decode(body, &req); e != nil {
		return nil, nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, nil, e
	}
	if req.Operator == nil || *req.Operator < 0 || *req.Operator == 0 && req.OperatorStr == "" {
		return nil, nil, missing("Operator (a positive user id, or OperatorStr)")
	}
	users, e := liveUsers("ParticipantUserIds", req.ParticipantUserIDs, req.ParticipantUserIDsStr)
	if e != nil {
		return nil, nil, e
	}
	return &req, users, nil
}

// batchAddWhitelistParticipant puts members on the whitelist. A user with
// no member record fails; a user already there keeps its entry.
func (s *Server) batchAddWhitelistParticipant(body []byte) (result, *apiError) {
	req, users, e := decodeWhitelistWrite(body)
	if e != nil {
		return nil, e
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveGroup(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	if conv.live.whitelist == nil {
		conv.live.whitelist = make(map[liveUser]*whitelistEntry)
	}
	now := s.now()
	var failed []liveUser
	for _, u := range users {
		switch {
		case conv.memberRecord(u) == nil:
			failed = append(failed, u)
		case conv.live.whitelist[u] == nil:
			conv.live.whitelist[u] = &whitelistEntry{operator: *req.Operator, operatorStr: req.OperatorStr, created: now}
		}
	}
	ids, strs := liveFailedLists(failed)
	return jsonResult{whitelistFailedResult{ids, strs}}, nil
}

// batchRemoveWhitelistParticipant takes users off the whitelist; taking
// off one who is not there is no failure.
func (s *Server) batchRemoveWhitelistParticipant(body []byte) (result, *apiError) {
	req, users, e := decodeWhitelistWrite(body)
	if e != nil {
		return nil, e
	}
	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveGroup(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	for _, u := range users {
		delete(conv.live.whitelist, u)
	}
	return jsonResult{whitelistFailedResult{FailedUserIDs: []int64{}}}, nil
}

// batchGetWhitelistParticipant pages through the whitelist, by user id
// ascending.
func (s *Server) batchGetWhitelistParticipant(body []byte) (result, *apiError) {
	var req liveListRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := req.check(); e != nil {
		return nil, e
	}
	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveGroup(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	list := conv.live.whitelist
	users := slices.SortedFunc(maps.Keys(list), compareLiveUsers)
	start, end, hasMore, next := livePage(len(users), *req.Cursor, *req.Limit)
	res := liveListResult[wireWhitelistMember]{HasMore: hasMore, NextCursor: next, Participants: make([]wireWhitelistMember, 0, end-start)}
	for _, u := range users[start:end] {
		w := list[u]
		nick, avatar, ext, marks := conv.profileOf(u)
		res.Participants = append(res.Participants, wireWhitelistMember{
			AvatarURL:            avatar,
			CreateTime:           w.created.Unix(),
			Ext:                  ext,
			NickName:             nick,
			Operator:             w.operator,
			OperatorStr:          w.operatorStr,
			ParticipantUserID:    u.id,
			ParticipantUserIDStr: u.str,
			Marks:                marks,
		})
	}
	return jsonResult{res}, nil
}

type batchUpdateLiveParticipantsRequest struct {
	AppID               *int64 `json:"AppId"`
	ConversationShortID *int64 `json:"ConversationShortId"`
	ParticipantInfos    []struct {
		UserID    int64             `json:"UserId"`
		UserIDStr string            `json:"UserIdStr"`
		AvatarURL *string           `json:"AvatarUrl"`
		Ext       map[string]string `json:"Ext"`
		Marks     []string          `json:"Marks"`
		NickName  *string           `json:"NickName"`
	} `json:"ParticipantInfos"`
	MarkAction *int32 `json:"MarkAction"`
}

type liveFailedInfo struct {
	UserID    int64  `json:"UserId"`
	UserIDStr string `json:"UserIdStr,omitempty"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
}

type liveFailedInfosResult struct {
	FailedInfos []liveFailedInfo `json:"FailedInfos"`
}

// batchUpdateLiveParticipants updates member records: AvatarUrl and
// NickName replace, Ext merges, Marks are added or deleted. A user with no
// member record fails with ParticipantNotInConversation.
func (s *Server) batchUpdateLiveParticipants(body []byte) (result, *apiError) {
	var req batchUpdateLiveParticipantsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	switch n := len(req.ParticipantInfos); {
	case n == 0:
		return nil, newError(codeInvalidParam, "ParticipantInfos is required and must not be empty")
	case n > volcim.MaxBatchUpdateLiveParticipants:
		return nil, newError(codeInvalidParam, fmt.Sprintf("ParticipantInfos has %d members, more than %d", n, volcim.MaxBatchUpdateLiveParticipants))
	}
	markAction := int32(1)
	if req.MarkAction != nil {
		markAction = *req.MarkAction
	}
	if markAction != 1 && markAction != 2 {
		return nil, newError(codeInvalidParam, fmt.Sprintf("MarkAction must be 1 (add) or 2 (delete), got %d", markAction))
	}
	for i, p := range req.ParticipantInfos {
		switch {
		case p.UserID < 0 || p.UserID == 0 && p.UserIDStr == "":
			return nil, newError(codeInvalidParam, fmt.Sprintf("ParticipantInfos[%d].UserId must be positive (or UserIdStr set), got %d", i, p.UserID))
		case p.AvatarURL == nil && p.NickName == nil && len(p.Ext) == 0:
			return nil, newError(codeInvalidParam, fmt.Sprintf("ParticipantInfos[%d] must set at least one of AvatarUrl, NickName and Ext", i))
		}
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveGroup(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	res := liveFailedInfosResult{FailedInfos: []liveFailedInfo{}}
	for _, p := range req.ParticipantInfos {
		u := liveUser{id: p.UserID}
		if p.UserID == 0 {
			u.str = p.UserIDStr
		}
		m := conv.memberRecord(u)
		if m == nil {
			res.FailedInfos = append(res.FailedInfos, liveFailedInfo{
				UserID:    p.UserID,
				UserIDStr: p.UserIDStr,
				Code:      codeParticipantNotInConv,
				Message:   "participant not in conversation",
			})
			continue
		}
		np := m.p // a new record: copies handed out earlier stay as they were
		if p.AvatarURL != nil {
			np.AvatarURL = *p.AvatarURL
		}
		if p.NickName != nil {
			np.NickName = *p.NickName
		}
		if len(p.Ext) > 0 {
			ext := maps.Clone(np.Ext)
			if ext == nil {
				ext = make(map[string]string, len(p.Ext))
			}
			maps.Copy(ext, p.Ext)
			np.Ext = ext
		}
		if len(p.Marks) > 0 {
			marks := slices.Clone(np.Marks)
			for _, mk := range p.Marks {
				has := slices.Contains(marks, mk)
				switch {
				case markAction == 1 && !has:
					marks = append(marks, mk)
				case markAction == 2 && has:
					marks = slices.DeleteFunc(marks, func(x string) bool { return x == mk })
				}
			}
			np.Marks = marks
		}
		m.p = np
	}
	return jsonResult{res}, nil
}
