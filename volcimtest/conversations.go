package volcimtest

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	volcim "github.com/volcim/volcim-go"
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

// conversationHandlers answers the conversation actions.
var conversationHandlers = map[string]handler{
	actionBatchGetConversations:     (*Server).batchGetConversations,
	actionCreateConversation:        (*Server).createConversation,
	actionModifyConversation:        (*Server).modifyConversation,
	actionDestroyConversation:       (*Server).destroyConversation,
	actionGetUserConversations:      (*Server).getUserConversations,
	actionGetConversationSetting:    (*Server).getConversationSetting,
	actionModifyConversationSetting: (*Server).modifyConversationSetting,
	actionMarkConversation:          (*Server).markConversation,
	actionGetConversationMarks:      (*Server).getConversationMarks,
	actionGetConversationUserCount:  (*Server).getConversationUserCount,
}

// Limits the conversation actions enforce, as the API documents them.
const (
	maxLiveGroups   = volcim.MaxLiveGroupsPerApp // live groups per app
	maxMarks        = volcim.MaxConversationMarks
	maxUserGroups   = 500 // groups a user may join
	maxConvPageSize = volcim.MaxConversationsPageSize
)

// convData is the per-conversation state of the conversation actions.
type convData struct {
	// settings holds each member's own settings, by user id. They persist
	// when the member leaves.
	settings map[int64]*setting
	// marks are a live group's marks, in the order they were added.
	marks []string
	// key is the idempotency key the conversation was created with (the
	// caller's, or the one derived for a one-to-one conversation); ""
	// for none.
	key string
}

// setting is one member's own settings of a conversation.
type setting struct {
	mute          bool
	stickTopMS    int64 // 0: not on top
	setFavoriteMS int64 // 0: not a favourite
	ext           map[string]string
}

// convIndexData is the server-wide state of the conversation actions.
type convIndexData struct {
	// byKey maps an app's idempotency keys to the conversation created
	// with each; a dismissed conversation's key is released.
	byKey map[keyOf]int64
}

type keyOf struct {
	appID int64
	key   string
}

// conversationCodes are the codes only this area answers (CodeN 720001 upwards).
var conversationCodes = map[string]codeInfo{
	codeNeedOtherUser:         {http.StatusOK, 720001},
	codeSingleNotSupport:      {http.StatusOK, 720002},
	codeOnlyOwnerCanOperator:  {http.StatusOK, 720003},
	codeMarkTypeMoreThanLimit: {http.StatusOK, 720004},
}

const (
	codeNeedOtherUser         = volcim.CodeCreateSingleConversationNeedOtherParticipantID
	codeSingleNotSupport      = volcim.CodeSingleConversationNotSupport
	codeOnlyOwnerCanOperator  = volcim.CodeOnlyOwnerCanOperator
	codeMarkTypeMoreThanLimit = volcim.CodeConversationMarkTypeMoreThanLimit
)

// view is c's record as the conversation reads return it: MemberCount is
// set only when asked for.
func (c *conversation) view(withCount bool) volcim.Conversation {
	v := c.info
	v.MemberCount = 0
	if withCount {
		v.MemberCount = c.memberCount()
	}
	return v
}

// memberCount is the number of recorded members, or the seeded
// MemberCount of a conversation that has none recorded.
func (c *conversation) memberCount() int64 {
	if n := len(c.members.order); n > 0 {
		return int64(n)
	}
	return c.info.MemberCount
}

// lastActivity is when c was last active: its last message, or its last
// change.
func (c *conversation) lastActivity() time.Time {
	t := c.info.ModifyTime
	if c.info.CreateTime.After(t) {
		t = c.info.CreateTime
	}
	if n := c.length(); n > 0 {
		if m := c.messageAt(n - 1); m.CreateTime.After(t) {
			t = m.CreateTime
		}
	}
	return t
}

type batchGetConversationsRequest struct {
	AppID                *int64  `json:"AppId"`
	ConversationShortIDs []int64 `json:"ConversationShortId"`
	SkipMemberCount      *bool   `json:"SkipMemberCount"`
}

func (s *Server) batchGetConversations(body []byte) (result, *apiError) {
	var req batchGetConversationsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	switch {
	case req.AppID == nil:
		return nil, missing("AppId")
	case *req.AppID <= 0:
		return nil, notPositive("AppId", *req.AppID)
	case len(req.ConversationShortIDs) == 0:
		return nil, newError(codeInvalidParam, "ConversationShortId is required and must be a non-empty array")
	}
	for i, id := range req.ConversationShortIDs {
		if id <= 0 {
			return nil, newError(codeConversationIDsInvalidElem, fmt.Sprintf("ConversationShortId[%d] must be positive, got %d", i, id))
		}
	}
	// SkipMemberCount defaults to true on the server.
	withCount := req.SkipMemberCount != nil && !*req.SkipMemberCount

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	convs := make([]volcim.Conversation, 0, len(req.ConversationShortIDs))
	seen := make(map[int64]bool, len(req.ConversationShortIDs))
	for _, id := range req.ConversationShortIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		conv, ok := s.convs[convKey{*req.AppID, id}]
		if !ok || conv.info.Status == volcim.ConversationDismissed {
			continue
		}
		convs = append(convs, conv.view(withCount))
	}
	return &conversationsResult{conversations: convs}, nil
}

type createConversationRequest struct {
	AppID                *int64 `json:"AppId"`
	ConversationCoreInfo *struct {
		ConversationType *int32            `json:"ConversationType"`
		AvatarURL        string            `json:"AvatarUrl"`
		Description      string            `json:"Description"`
		Ext              map[string]string `json:"Ext"`
		Name             string            `json:"Name"`
		Notice           string            `json:"Notice"`
	} `json:"ConversationCoreInfo"`
	OwnerUserID    int64  `json:"OwnerUserId"`
	OwnerUserIDStr string `json:"OwnerUserIdStr"`
	IdempotentID   string `json:"IdempotentId"`
	InboxType      int32  `json:"InboxType"`
	OtherUserID    int64  `json:"OtherUserId"`
	OtherUserIDStr string `json:"OtherUserIdStr"`
}

type createConversationResult struct {
	ConversationInfo    volcim.Conversation `json:"ConversationInfo"`
	ConversationID      string              `json:"ConversationId"`
	ConversationShortID int64               `json:"ConversationShortId"`
	Exist               bool                `json:"Exist"`
}

// createConversation creates a conversation, or answers the one created
// before with the same idempotency key (Exist true).
func (s *Server) createConversation(body []byte) (result, *apiError) {
	var req createConversationRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkConvApp(req.AppID); e != nil {
		return nil, e
	}
	core := req.ConversationCoreInfo
	switch {
	case core == nil:
		return nil, missing("ConversationCoreInfo")
	case core.ConversationType == nil:
		return nil, missing("ConversationCoreInfo.ConversationType")
	}
	typ := volcim.ConversationType(*core.ConversationType)
	switch typ {
	case volcim.ConversationOneToOne, volcim.ConversationGroup, volcim.ConversationLiveGroup:
	default:
		return nil, newError(codeInvalidParam, fmt.Sprintf("ConversationType must be 1, 2 or 100, got %d", typ))
	}
	if e := checkMemberUser("OwnerUserId", req.OwnerUserID, req.OwnerUserIDStr); e != nil {
		return nil, e
	}
	key := req.IdempotentID
	if typ == volcim.ConversationOneToOne {
		if req.OtherUserID <= 0 && req.OtherUserIDStr == "" {
			return nil, newError(codeNeedOtherUser, "a one-to-one conversation needs OtherUserId")
		}
		if key == "" {
			key = oneToOneKey(req.InboxType, req.OwnerUserID, req.OwnerUserIDStr, req.OtherUserID, req.OtherUserIDStr)
		}
	}
	app := *req.AppID

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	if key != "" {
		if id, ok := s.convData.byKey[keyOf{app, key}]; ok {
			if conv, ok := s.convs[convKey{app, id}]; ok && conv.info.Status != volcim.ConversationDismissed {
				return jsonResult{createConversationResult{
					ConversationInfo:    conv.view(true),
					ConversationID:      conv.info.ConversationID,
					ConversationShortID: id,
					Exist:               true,
				}}, nil
			}
		}
	}
	switch typ {
	case volcim.ConversationLiveGroup:
		if n := s.countLiveGroups(app); n >= maxLiveGroups {
			return nil, newError(codeInvalidParam, fmt.Sprintf("app %d has %d live groups already, the most it may have (dismiss one first)", app, n))
		}
	case volcim.ConversationGroup:
		if req.OwnerUserID > 0 && s.groupCounts(app, []int64{req.OwnerUserID})[req.OwnerUserID] >= maxUserGroups {
			return nil, newError(codeMoreThanUserConvLimit, fmt.Sprintf("user %d is in %d groups already", req.OwnerUserID, maxUserGroups))
		}
	}
	now := s.now().UTC().Truncate(time.Second)
	id := s.nextConversationID()
	conv := &conversation{info: volcim.Conversation{
		AppID:               app,
		ConversationShortID: id,
		ConversationID:      "0:" + strconv.Itoa(int(typ)) + ":" + strconv.FormatInt(id, 10),
		ConversationType:    typ,
		InboxType:           req.InboxType,
		Name:                core.Name,
		AvatarURL:           core.AvatarURL,
		Description:         core.Description,
		Notice:              core.Notice,
		OwnerUserID:         req.OwnerUserID,
		OwnerUserIDStr:      req.OwnerUserIDStr,
		CreatorUserID:       req.OwnerUserID,
		CreatorUserIDStr:    req.OwnerUserIDStr,
		Status:              volcim.ConversationNormal,
		Ext:                 maps.Clone(core.Ext),
		CreateTime:          now,
		ModifyTime:          now,
	}}
	if typ == volcim.ConversationOneToOne {
		conv.info.OtherUserID, conv.info.OtherUserIDStr = req.OtherUserID, req.OtherUserIDStr
	}
	// The owner, and the other user of a one-to-one conversation, are its
	// first members (users known only by a string id are not recorded).
	if req.OwnerUserID > 0 {
		conv.addMember(volcim.Participant{UserID: req.OwnerUserID, UserIDStr: req.OwnerUserIDStr, Role: volcim.RoleOwner, Operator: req.OwnerUserID, CreateTime: now})
	}
	if typ == volcim.ConversationOneToOne && req.OtherUserID > 0 {
		conv.addMember(volcim.Participant{UserID: req.OtherUserID, UserIDStr: req.OtherUserIDStr, Operator: req.OwnerUserID, CreateTime: now})
	}
	s.convs[convKey{app, id}] = conv
	if key != "" {
		if s.convData.byKey == nil {
			s.convData.byKey = make(map[keyOf]int64)
		}
		s.convData.byKey[keyOf{app, key}] = id
		conv.conv.key = key
	}
	return jsonResult{createConversationResult{
		ConversationInfo:    conv.view(true),
		ConversationID:      conv.info.ConversationID,
		ConversationShortID: id,
	}}, nil
}

// oneToOneKey is the key the server derives for a one-to-one conversation
// created without one: the two users, in either order, and the inbox.
func oneToOneKey(inbox int32, owner int64, ownerStr string, other int64, otherStr string) string {
	a, b := strconv.FormatInt(owner, 10)+"/"+ownerStr, strconv.FormatInt(other, 10)+"/"+otherStr
	if b < a {
		a, b = b, a
	}
	return "one-to-one:" + strconv.Itoa(int(inbox)) + ":" + a + ":" + b
}

// countLiveGroups counts the live groups of app that are not dismissed.
// s.dataMu is held.
func (s *Server) countLiveGroups(app int64) int {
	var n int
	for k, c := range s.convs {
		if k.appID == app && c.info.ConversationType == volcim.ConversationLiveGroup && c.info.Status != volcim.ConversationDismissed {
			n++
		}
	}
	return n
}

// groupCounts counts, for each of users, the groups of app (not dismissed)
// the user is a member of. s.dataMu is held.
func (s *Server) groupCounts(app int64, users []int64) map[int64]int {
	counts := make(map[int64]int, len(users))
	for k, c := range s.convs {
		if k.appID != app || c.info.ConversationType != volcim.ConversationGroup || c.info.Status == volcim.ConversationDismissed {
			continue
		}
		for _, u := range users {
			if _, ok := c.members.byUser[u]; ok {
				counts[u]++
			}
		}
	}
	return counts
}

type modifyConversationRequest struct {
	AppID                *int64 `json:"AppId"`
	ConversationCoreInfo *struct {
		ConversationShortID *int64            `json:"ConversationShortId"`
		AvatarURL           *string           `json:"AvatarUrl"`
		Description         *string           `json:"Description"`
		Ext                 map[string]string `json:"Ext"`
		Name                *string           `json:"Name"`
		Notice              *string           `json:"Notice"`
		OwnerUserID         int64             `json:"OwnerUserId"`
		OwnerUserIDStr      string            `json:"OwnerUserIdStr"`
	} `json:"ConversationCoreInfo"`
}

// modifyConversation changes a conversation's core info; a new owner must
// be a member (when the conversation has members recorded) and takes the
// owner's role from the old one.
func (s *Server) modifyConversation(body []byte) (result, *apiError) {
	var req modifyConversationRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkConvApp(req.AppID); e != nil {
		return nil, e
	}
	core := req.ConversationCoreInfo
	if core == nil {
		return nil, missing("ConversationCoreInfo")
	}
	if e := checkIDs(req.AppID, core.ConversationShortID); e != nil {
		return nil, e
	}
	if core.OwnerUserID < 0 {
		return nil, notPositive("OwnerUserId", core.OwnerUserID)
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(*req.AppID, *core.ConversationShortID)
	if e != nil {
		return nil, e
	}
	info := &conv.info
	newOwner := core.OwnerUserID > 0 && core.OwnerUserID != info.OwnerUserID ||
		core.OwnerUserIDStr != "" && core.OwnerUserIDStr != info.OwnerUserIDStr
	if newOwner {
		if info.ConversationType == volcim.ConversationOneToOne {
			return nil, newError(codeSingleNotSupport, "a one-to-one conversation has no owner to transfer")
		}
		if core.OwnerUserID > 0 && len(conv.members.order) > 0 && conv.members.byUser[core.OwnerUserID] == nil {
			return nil, newError(codeParticipantNotInConv, fmt.Sprintf("the new owner %d is not a member of conversation %d", core.OwnerUserID, info.ConversationShortID))
		}
		if m := conv.members.byUser[info.OwnerUserID]; m != nil && m.p.Role == volcim.RoleOwner {
			m.p.Role = volcim.RoleMember
		}
		if m := conv.members.byUser[core.OwnerUserID]; m != nil {
			m.p.Role = volcim.RoleOwner
		}
		if core.OwnerUserID > 0 {
			info.OwnerUserID = core.OwnerUserID
		}
		if core.OwnerUserIDStr != "" {
			info.OwnerUserIDStr = core.OwnerUserIDStr
		}
	}
	for _, f := range []struct {
		to   *string
		from *string
	}{{&info.Name, core.Name}, {&info.AvatarURL, core.AvatarURL}, {&info.Description, core.Description}, {&info.Notice, core.Notice}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if core.Ext != nil {
		info.Ext = maps.Clone(core.Ext)
	}
	info.ModifyTime = s.now().UTC().Truncate(time.Second)
	return nil, nil
}

type destroyConversationRequest struct {
	AppID               *int64 `json:"AppId"`
	ConversationShortID *int64 `json:"ConversationShortId"`
	OwnerUserID         int64  `json:"OwnerUserId"`
	OwnerUserIDStr      string `json:"OwnerUserIdStr"`
}

// destroyConversation dismisses a group or a live group, for its owner only.
func (s *Server) destroyConversation(body []byte) (result, *apiError) {
	var req destroyConversationRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if e := checkMemberUser("OwnerUserId", req.OwnerUserID, req.OwnerUserIDStr); e != nil {
		return nil, e
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	info := &conv.info
	if info.ConversationType == volcim.ConversationOneToOne {
		return nil, newError(codeSingleNotSupport, "a one-to-one conversation cannot be dismissed")
	}
	if !(req.OwnerUserID > 0 && req.OwnerUserID == info.OwnerUserID || req.OwnerUserIDStr != "" && req.OwnerUserIDStr == info.OwnerUserIDStr) {
		return nil, newError(codeOnlyOwnerCanOperator, fmt.Sprintf("only the owner of conversation %d may dismiss it", info.ConversationShortID))
	}
	info.Status = volcim.ConversationDismissed
	info.ModifyTime = s.now().UTC().Truncate(time.Second)
	if k := conv.conv.key; k != "" {
		delete(s.convData.byKey, keyOf{info.AppID, k})
	}
	return nil, nil
}

type getUserConversationsRequest struct {
	AppID                *int64 `json:"AppId"`
	Cursor               *int64 `json:"Cursor"`
	Limit                *int64 `json:"Limit"`
	ParticipantUserID    int64  `json:"ParticipantUserId"`
	ParticipantUserIDStr string `json:"ParticipantUserIdStr"`
	DataType             *int32 `json:"DataType"`
	InboxType            int32  `json:"InboxType"`
	SkipMemberCount      *bool  `json:"SkipMemberCount"`
}

type userConversationsResult struct {
	ConversationInfos []volcim.Conversation `json:"ConversationInfos"`
	HasMore           bool                  `json:"HasMore"`
	NextCursor        int64                 `json:"NextCursor"`
}

// getUserConversations pages through a user's conversations of one inbox:
// the cursor is the position in the list.
func (s *Server) getUserConversations(body []byte) (result, *apiError) {
	var req getUserConversationsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkConvApp(req.AppID); e != nil {
		return nil, e
	}
	if e := checkMemberUser("ParticipantUserId", req.ParticipantUserID, req.ParticipantUserIDStr); e != nil {
		return nil, e
	}
	var dataType int32
	if req.DataType != nil {
		dataType = *req.DataType
	}
	switch {
	case req.Cursor == nil:
		return nil, missing("Cursor")
	case *req.Cursor < 0:
		return nil, newError(codeInvalidParam, fmt.Sprintf("Cursor must not be negative, got %d", *req.Cursor))
	case req.Limit == nil:
		return nil, missing("Limit")
	case *req.Limit < 1 || *req.Limit > maxConvPageSize:
		return nil, newError(codeInvalidParam, fmt.Sprintf("Limit must be 1 to %d, got %d", maxConvPageSize, *req.Limit))
	case dataType < 0 || dataType > 2:
		return nil, newError(codeInvalidParam, fmt.Sprintf("DataType must be 0, 1 or 2, got %d", dataType))
	}
	// SkipMemberCount defaults to false here.
	withCount := req.SkipMemberCount == nil || !*req.SkipMemberCount
	user, userStr := req.ParticipantUserID, req.ParticipantUserIDStr

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	var convs []*conversation
	for k, c := range s.convs {
		if k.appID != *req.AppID || c.info.Status == volcim.ConversationDismissed || c.info.InboxType != req.InboxType {
			continue
		}
		if dataType == 2 {
			if c.info.ConversationType == volcim.ConversationLiveGroup &&
				(user > 0 && c.info.CreatorUserID == user || userStr != "" && c.info.CreatorUserIDStr == userStr) {
				convs = append(convs, c)
			}
			continue
		}
		if c.findMember(user, userStr) != nil {
			convs = append(convs, c)
		}
	}
	switch dataType {
	case 0: // most recently active first
		activity := make(map[*conversation]time.Time, len(convs))
		for _, c := range convs {
			activity[c] = c.lastActivity()
		}
		slices.SortFunc(convs, func(a, b *conversation) int {
			return cmp.Or(activity[b].Compare(activity[a]), cmp.Compare(a.info.ConversationShortID, b.info.ConversationShortID))
		})
	case 1: // oldest first
		slices.SortFunc(convs, func(a, b *conversation) int {
			return cmp.Or(a.info.CreateTime.Compare(b.info.CreateTime), cmp.Compare(a.info.ConversationShortID, b.info.ConversationShortID))
		})
	case 2: // newest first
		slices.SortFunc(convs, func(a, b *conversation) int {
			return cmp.Or(b.info.CreateTime.Compare(a.info.CreateTime), cmp.Compare(b.info.ConversationShortID, a.info.ConversationShortID))
		})
	}
	n := int64(len(convs))
	start := min(*req.Cursor, n)
	end := min(start+*req.Limit, n)
	res := userConversationsResult{ConversationInfos: make([]volcim.Conversation, 0, end-start), HasMore: end < n, NextCursor: end}
	for _, c := range convs[start:end] {
		res.ConversationInfos = append(res.ConversationInfos, c.view(withCount))
	}
	return jsonResult{res}, nil
}

type getConversationSettingRequest struct {
	AppID                *int64 `json:"AppId"`
	ConversationShortID  *int64 `json:"ConversationShortId"`
	ParticipantUserID    int64  `json:"ParticipantUserId"`
	ParticipantUserIDStr string `json:"ParticipantUserIdStr"`
	NoReadIndex          bool   `json:"NoReadIndex"`
}

type conversationSettingResult struct {
	ConversationSettingInfo volcim.ConversationSetting `json:"ConversationSettingInfo"`
}

// getConversationSetting answers a member's settings; a user who is not a
// member of a conversation that has members recorded has none
// (SettingNotFound).
func (s *Server) getConversationSetting(body []byte) (result, *apiError) {
	var req getConversationSettingRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	if e := checkMemberUser("ParticipantUserId", req.ParticipantUserID, req.ParticipantUserIDStr); e != nil {
		return nil, e
	}

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveConversation(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	user, userStr := req.ParticipantUserID, req.ParticipantUserIDStr
	var readIndex int64
	if m := conv.findMember(user, userStr); m != nil {
		user, userStr, readIndex = m.p.UserID, m.p.UserIDStr, m.readIndex
	} else if len(conv.members.order) > 0 || user <= 0 {
		return nil, newError(codeSettingNotFound, fmt.Sprintf("user %d has no setting in conversation %d: not a member", user, conv.info.ConversationShortID))
	}
	if req.NoReadIndex {
		readIndex = 0
	}
	out := volcim.ConversationSetting{
		AppID:               conv.info.AppID,
		ConversationShortID: conv.info.ConversationShortID,
		ConversationID:      conv.info.ConversationID,
		ConversationType:    conv.info.ConversationType,
		InboxType:           conv.info.InboxType,
		UserID:              user,
		UserIDStr:           userStr,
		ReadIndex:           readIndex,
	}
	if st := conv.conv.settings[user]; st != nil {
		out.IsMute = st.mute
		out.IsStickTop, out.StickTopTime = st.stickTopMS != 0, settingTime(st.stickTopMS)
		out.IsSetFavorite, out.SetFavoriteTime = st.setFavoriteMS != 0, settingTime(st.setFavoriteMS)
		out.Ext = st.ext
	}
	return jsonResult{conversationSettingResult{out}}, nil
}

func settingTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

type modifyConversationSettingRequest struct {
	AppID                   *int64 `json:"AppId"`
	ConversationSettingInfo *struct {
		ConversationShortID *int64            `json:"ConversationShortId"`
		ParticipantUserID   *int64            `json:"ParticipantUserId"`
		Ext                 map[string]string `json:"Ext"`
		IsMute              *bool             `json:"IsMute"`
		IsSetFavorite       bool              `json:"IsSetFavorite"`
		IsStickTop          bool              `json:"IsStickTop"`
		SetFavoriteTime     int64             `json:"SetFavoriteTime"`
		StickTopTime        int64             `json:"StickTopTime"`
	} `json:"ConversationSettingInfo"`
}

// modifyConversationSetting changes a member's settings: IsMute when
// given; the stick-top (favourite) time when IsStickTop (IsSetFavorite) is
// true, 0 taking it off; Ext replaced when given.
func (s *Server) modifyConversationSetting(body []byte) (result, *apiError) {
	var req modifyConversationSettingRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkConvApp(req.AppID); e != nil {
		return nil, e
	}
	in := req.ConversationSettingInfo
	if in == nil {
		return nil, missing("ConversationSettingInfo")
	}
	if e := checkIDs(req.AppID, in.ConversationShortID); e != nil {
		return nil, e
	}
	switch {
	case in.ParticipantUserID == nil:
		return nil, missing("ParticipantUserId")
	case *in.ParticipantUserID <= 0:
		return nil, notPositive("ParticipantUserId", *in.ParticipantUserID)
	case in.StickTopTime < 0:
		return nil, newError(codeInvalidParam, fmt.Sprintf("StickTopTime must not be negative, got %d", in.StickTopTime))
	case in.SetFavoriteTime < 0:
		return nil, newError(codeInvalidParam, fmt.Sprintf("SetFavoriteTime must not be negative, got %d", in.SetFavoriteTime))
	}
	user := *in.ParticipantUserID

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveConversation(*req.AppID, *in.ConversationShortID)
	if e != nil {
		return nil, e
	}
	if len(conv.members.order) > 0 && conv.members.byUser[user] == nil {
		return nil, newError(codeParticipantNotInConv, fmt.Sprintf("user %d is not a member of conversation %d", user, conv.info.ConversationShortID))
	}
	if conv.conv.settings == nil {
		conv.conv.settings = make(map[int64]*setting)
	}
	st := conv.conv.settings[user]
	if st == nil {
		st = &setting{}
		conv.conv.settings[user] = st
	}
	if in.IsMute != nil {
		st.mute = *in.IsMute
	}
	if in.IsStickTop {
		st.stickTopMS = in.StickTopTime
	}
	if in.IsSetFavorite {
		st.setFavoriteMS = in.SetFavoriteTime
	}
	if in.Ext != nil {
		st.ext = maps.Clone(in.Ext)
	}
	return nil, nil
}

type markConversationRequest struct {
	AppID               *int64   `json:"AppId"`
	ConversationShortID *int64   `json:"ConversationShortId"`
	MarkTypes           []string `json:"MarkTypes"`
	MarkAction          *int32   `json:"MarkAction"`
	Operator            int64    `json:"Operator"`
	OperatorStr         string   `json:"OperatorStr"`
}

// markConversation adds (MarkAction 1, the default) or removes (2) a live
// group's marks; a live group carries at most 20.
func (s *Server) markConversation(body []byte) (result, *apiError) {
	var req markConversationRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}
	action := int32(1)
	if req.MarkAction != nil {
		action = *req.MarkAction
	}
	switch {
	case len(req.MarkTypes) == 0:
		return nil, newError(codeInvalidParam, "MarkTypes is required and must not be empty")
	case action != 1 && action != 2:
		return nil, newError(codeInvalidParam, fmt.Sprintf("MarkAction must be 1 or 2, got %d", action))
	case req.Operator < 0:
		return nil, notPositive("Operator", req.Operator)
	}
	for i, m := range req.MarkTypes {
		if m == "" {
			return nil, newError(codeInvalidParam, fmt.Sprintf("MarkTypes[%d] must not be empty", i))
		}
	}

	s.dataMu.Lock()
	defer s.dataMu.Unlock()
	conv, e := s.liveGroupConv(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	marks := conv.conv.marks
	if action == 2 {
		conv.conv.marks = slices.DeleteFunc(marks, func(m string) bool { return slices.Contains(req.MarkTypes, m) })
		return nil, nil
	}
	next := slices.Clone(marks)
	for _, m := range req.MarkTypes {
		if !slices.Contains(next, m) {
			next = append(next, m)
		}
	}
	if len(next) > maxMarks {
		return nil, newError(codeMarkTypeMoreThanLimit, fmt.Sprintf("live group %d would carry %d marks, more than %d", conv.info.ConversationShortID, len(next), maxMarks))
	}
	conv.conv.marks = next
	return nil, nil
}

type convMarksResult struct {
	MarkTypes []string `json:"MarkTypes"`
}

func (s *Server) getConversationMarks(body []byte) (result, *apiError) {
	var req convOnlyRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkIDs(req.AppID, req.ConversationShortID); e != nil {
		return nil, e
	}

	s.dataMu.RLock()
	defer s.dataMu.RUnlock()
	conv, e := s.liveGroupConv(*req.AppID, *req.ConversationShortID)
	if e != nil {
		return nil, e
	}
	marks := slices.Clone(conv.conv.marks)
	if marks == nil {
		marks = []string{}
	}
	return jsonResult{convMarksResult{marks}}, nil
}

// convOnlyRequest is the body of the actions that take only a
// conversation.
type convOnlyRequest struct {
	AppID               *int64 `json:"AppId"`
	ConversationShortID *int64 `json:"ConversationShortId"`
}

type userCountResult struct {
	Count int64 `json:"Count"`
}

func (s *Server) getConversationUserCount(body []byte) (result, *apiError) {
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
	return jsonResult{userCountResult{conv.memberCount()}}, nil
}

// liveGroupConv returns a live group that exists and is not dismissed:
// ConversationNotFound, or OnlyLiveConversationSupport for another kind of
// conversation. s.dataMu is held.
func (s *Server) liveGroupConv(appID, convID int64) (*conversation, *apiError) {
	conv, e := s.liveConversation(appID, convID)
	if e != nil {
		return nil, e
	}
	if conv.info.ConversationType != volcim.ConversationLiveGroup {
		return nil, newError(codeOnlyLiveConversation, fmt.Sprintf("conversation %d is not a live group", convID))
	}
	return conv, nil
}

func checkConvApp(appID *int64) *apiError {
	switch {
	case appID == nil:
		return missing("AppId")
	case *appID <= 0:
		return notPositive("AppId", *appID)
	}
	return nil
}

// checkMemberUser checks a user given by id or by its string twin: one of
// them is required, and the id must not be negative.
func checkMemberUser(name string, id int64, str string) *apiError {
	switch {
	case id < 0:
		return notPositive(name, id)
	case id == 0 && str == "":
		return missing(name)
	}
	return nil
}
