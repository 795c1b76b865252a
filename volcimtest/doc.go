// Package volcimtest provides an in-memory Volcengine RTC IM server for
// tests: what net/http/httptest is to net/http, this package is to volcim.
//
// A [Server] listens on 127.0.0.1, holds the state of an IM app (its
// conversations, messages, members and their settings, live-group
// moderation, users and tokens, friends and block lists), seeded with the
// SDK's own types, and answers all 55 actions of the API the way the API
// documents them, consistently: what one action writes, the others read. It
// verifies every request's V4 signature, pages with a cursor, throttles each
// action at 100 QPS, and answers errors in the API's envelope. Code that
// passes against it should work against Volcengine, and the official SDK
// works against it too.
//
//	srv := volcimtest.NewServer()
//	defer srv.Close()
//	srv.AddMessages(msgs...)
//	client, err := srv.Client(volcim.WithAppID(1))
//
// For reliability tests it injects faults (HTTP 500, 502, 503, 429, dropped
// connections, truncated bodies, slow replies), either scripted
// ([Server.Script]) or at random from a seed ([WithFaultRate]), and records
// every request it receives ([Server.Requests], [Server.MaxInWindow]).
// For benchmarks, [Server.AddGeneratedConversation] creates conversations
// of millions of messages that are computed on demand and never stored.
//
// # The wire protocol
//
// Every action is POST /?Action=<Action>&Version=2020-12-01 with a JSON
// body. Replies are the API's envelope:
//
//	{"ResponseMetadata":{"RequestId":"...","Action":"...","Version":"2020-12-01",
//	 "Service":"rtc","Region":"cn-north-1"},"Result":{...}}
//
// and an error reply carries
// "Error":{"CodeN":n,"Code":"...","Message":"..."} in its ResponseMetadata
// and no Result. Region echoes the region of the request's credential scope.
// RequestIds are unique; they mimic the real ones' shape (a UTC timestamp
// followed by hex digits) and mean nothing else.
//
// # Checks, in order
//
// An injected fault (Server.Script, WithFaultRate) strikes first: a status
// fault or a dropped connection answers before any check, so even an
// unsigned request gets it; a slow fault delays the checks; a truncated
// reply cuts whatever the checks answered. Then a request is checked in this
// order, and the first failure answers:
//
//  1. Method: anything but POST is MethodNotAllowed (HTTP 405); every
//     action of the API is POST.
//  2. Action and Version: a missing one is MissingParameter (400); an
//     action the API does not have, or a version other than 2020-12-01, is
//     InvalidActionOrVersion (404).
//  3. Signature, with signer.Verify over exactly the headers that
//     SignedHeaders lists, so requests of any correct signer (the official
//     SDKs included) pass: no or malformed Authorization is
//     MissingAuthenticationToken (401); an X-Date more than 15 minutes
//     (WithMaxSkew) away from the server's clock (WithClock) is
//     InvalidTimestamp (400); an unknown access key is InvalidAccessKey
//     (401); a wrong signature or body hash, or a credential scope whose
//     service is not "rtc", is SignatureDoesNotMatch (401). Any region is
//     accepted.
//  4. Rate limit: each action accepts at most WithQPS requests (100 by
//     default) whose arrival times fall in any one-second sliding window;
//     beyond that the reply is FlowLimitExceeded (HTTP 429, no
//     Retry-After). Rejected requests do not count. The window uses the
//     real monotonic clock, never WithClock.
//  5. The body: JSON that cannot be decoded into the action's request
//     (a syntax error, a string where a number belongs, a number that is
//     not an int64, an empty body) is JsonParsingError; a missing or
//     invalid parameter is InvalidParam; an unknown conversation is
//     ConversationNotFound.
//
// The HTTP status of the IM business errors (step 5) is not documented. This
// server answers them with HTTP 200 and an Error carrying a CodeN: the
// documented success rule is "status 200 and no Error", so a client must
// treat such a reply as a failure (volcim does: it returns an
// *volcim.APIError with StatusCode 200).
//
// Codes, statuses and the CodeN this server sends (the CodeN values are this
// server's own and stable, but the real service's numbers are not
// documented: match errors on Code):
//
//	Code                                 HTTP  CodeN
//	MissingParameter                     400   100001
//	MissingAuthenticationToken           401   100002
//	InvalidTimestamp                     400   100005
//	InvalidActionOrVersion               404   100007
//	InvalidAccessKey                     401   100009
//	SignatureDoesNotMatch                401   100010
//	InternalError                        500   100013  (fault)
//	MethodNotAllowed                     405   100015
//	FlowLimitExceeded                    429   100018  (rate limit, fault)
//	ServiceUnavailableTemp               503   100019  (fault)
//	InternalServiceError                 502   100020  (fault)
//	JsonParsingError                     200   700001
//	InvalidParam                         200   700002
//	ConversationNotFound                 200   700003
//	LiveConversationNotSupport           200   700004
//	ConversationShortIdsHasInvalidElem   200   700005
//	MessageNotFound                      200   700006
//	ParticipantNotInConversation         200   700007
//	ParticipantNotFound                  200   700008
//	SettingNotFound                      200   700009
//	OnlyLiveConversationSupport          200   700010
//	NoAuth                               200   700011
//	CreateSingleConversationNeedOtherParticipantId  200  720001
//	SingleConversationNotSupport         200   720002
//	OnlyOwnerCanOperator                 200   720003
//	ConversationMarkTypeMoreThanLimit    200   720004
//	ConversationParticipantsMoreThanLimit 200  730001
//	OwnerShouldBeEqual                   200   730002
//	MoreThanUserConversationLimit        200   730003
//	ManagerMoreThanLimit                 200   730004
//	UserNotFound                         200   750001
//
// # Time
//
// The data the server creates takes its times from the server's clock
// ([WithClock], default time.Now), so that a test can move time on: mutes
// and bans end, tokens expire. Times are kept to the precision the API uses
// (milliseconds for messages and users, seconds for conversations and
// members).
//
// # Messages
//
// GetConversationMessages takes AppId, ConversationShortId, Cursor and Limit
// (all required; Limit 1 to 20; Cursor not negative) and Reverse (0 forward,
// 1 backward; any other value, or none, means 0, as documented). The cursor
// is an IndexInConversation and is inclusive: going forward the page starts
// at the first message whose index is >= Cursor, going in reverse at the
// last message whose index is <= Cursor. Cursor 0 starts at the oldest
// message going forward and at the newest going in reverse. (The real API
// documents neither which value starts where nor whether the cursor's own
// message is included: a client must not depend on either, and volcim's
// pager does not.) While HasMore is true, NewCursor is the index of the next
// message not yet returned, so the next call simply passes it back. When
// HasMore is false, NewCursor is one past the newest message's index going
// forward (a later forward call from it returns only messages added since)
// and 0 going in reverse or for an empty conversation; a client must stop on
// HasMore false rather than follow it. Live groups (ConversationType 100)
// can only be read in reverse: a forward read is LiveConversationNotSupport.
// An empty page answers "Messages": [].
//
// GetMessages takes AppId, ConversationShortId and MessageIds (non-empty)
// and returns, in request order, the messages of that conversation whose ids
// exist; missing ids are left out and a repeated id is returned each time it
// is asked for. An unknown conversation is ConversationNotFound. No maximum
// number of ids is enforced (the API documents none).
//
// SendMessage takes AppId, ConversationShortId, Sender (or SenderStr),
// MsgType and Content (all required) and an optional Priority (0 to 2). It
// stores the message with a fresh MessageId beyond 2^53, the next
// IndexInConversation (the time in microseconds, or one past the last index
// when that is later) and the request's CreateTime or the server's clock. A
// ClientMsgId the conversation has seen answers the message stored with it
// the first time, so a retried send stores one message. Once a conversation
// records members, only they may send into it
// (ParticipantNotInConversation); a conversation seeded without members
// accepts anybody. A generated conversation takes no new message
// (InvalidParam). SendMessage also records a message's VisibleUsers and
// InvisibleUsers.
//
// BatchSendMessage takes AppId, Sender, Receiver (1 to 500), MsgType and
// Content (all required), plus Ext, InboxType and IsNormalUser (accepted and
// ignored). For each distinct receiver it stores the message in the
// one-to-one conversation of Sender and that receiver in that inbox. That is
// the not-dismissed ConversationOneToOne conversation with the smallest id
// that records both as members; if there is none, one is created with Sender
// as owner and creator, the receiver as OtherUserId, and both as members.
// UserMessageId maps each receiver (as a string) to its message id. A
// receiver that is not positive or equals Sender cannot have such a
// conversation and is listed in FailedReceiver while the others are
// delivered. It checks no mutes or block lists.
// [Server.OneToOneConversation] finds a pair's conversation.
//
// UserBroadcast takes AppId, Sender, MsgType, Content and MsgTTL (1 to
// 604,800 s), all required, plus TagOp (0 or 1), Tags, Ext and InboxType. It
// delivers nothing and records the broadcast for [Server.Broadcasts]; the
// 20-a-day quota is not enforced.
//
// ModifyMessage replaces Content when the request has it and merges Ext:
// named keys are overwritten, others kept. RecallMessage sets the message's
// Status to [MessageRecalled] (3) and empties its Content; reads still
// return it. In a conversation that records members, ParticipantUserId must
// be a member (else ParticipantNotInConversation), and RecallRole must fit:
// 0 means the member sent the message, 1 means the member is the owner, 2
// means a manager or the owner (else NoAuth). DeleteConversationMessage with
// DeleteType 0 (the default) removes the message from every read. DeleteType
// 1 keeps it in the server's reads (the server sees everything) and hides it
// from everyone but its sender; live groups answer
// LiveConversationNotSupport to it. DeleteMessage hides a message from one
// member only (ParticipantNotInConversation for a non-member), and the
// server's reads still return it. A recall or delete repeated on the same
// message succeeds, so retries converge. Quotes of a recalled or deleted
// message get RefMsgInfo.Status 3 or 4. Modify, recall and delete of a
// message that does not exist (or was deleted) answer MessageNotFound.
// Modifying a recalled message, or changing a message of a generated
// conversation, is InvalidParam. [Server.MessageVisibleTo] says what a
// member's own client would show after all of the above.
//
// GetMessagesReadReceipt takes AppId, ConversationShortId and MessageIds
// (non-empty); live groups answer LiveConversationNotSupport. It returns one
// receipt per message found, in request order: a recorded member has read a
// message when its read index is at least the message's IndexInConversation,
// and the sender always has. Lists follow join order and are empty when no
// members are recorded. ReceiverIsRead is set in one-to-one conversations
// when the other member has read the message. [Server.SetReadIndex] seeds a
// member's read index.
//
// # Conversations and members
//
// BatchGetConversations takes AppId and ConversationShortId, an array of
// ids (non-empty), and SkipMemberCount (default true when absent). It
// returns, in request order and once each, the conversations that exist and
// are not dismissed (Status 1); unknown and dismissed ones are left out.
// MemberCount is the number of recorded members (the seeded value when
// there are none) when SkipMemberCount is false, and 0 (absent from the
// JSON) otherwise.
//
// CreateConversation takes AppId, ConversationCoreInfo.ConversationType (1,
// 2 or 100) and OwnerUserId (or OwnerUserIdStr); a one-to-one conversation
// also needs OtherUserId, else
// CreateSingleConversationNeedOtherParticipantId. An IdempotentId already
// used in the app answers the existing conversation with Exist true. A
// one-to-one conversation without a key gets one derived from its two users
// and its inbox, so the same pair finds one conversation. A dismissed
// conversation's key is released. An app holds at most 200 live groups that
// are not dismissed; the 201st is InvalidParam, because the real code is not
// documented. A user in 500 groups cannot create another
// (MoreThanUserConversationLimit). New conversations take ids beyond 2^53,
// ConversationId "0:<type>:<id>", and CreateTime and ModifyTime from
// WithClock, truncated to the second. The owner, and the other user of a
// one-to-one conversation, become members, the owner with role 1. Users
// known only by a string id are stored and echoed but never recorded as
// members, since members are keyed by numeric id.
//
// ModifyConversation replaces the fields it is given, and a given Ext
// replaces the whole map. A new owner must be a member when members are
// recorded (ParticipantNotInConversation otherwise); the old owner becomes
// role 0 and the new one role 1, and a one-to-one conversation cannot change
// owner (SingleConversationNotSupport). DestroyConversation is for the owner
// only (OnlyOwnerCanOperator) and not for one-to-one conversations
// (SingleConversationNotSupport); it sets Status 1, after which every action
// answers ConversationNotFound and neither BatchGetConversations nor
// GetUserConversations returns the conversation.
//
// GetUserConversations returns, for one InboxType, the conversations the
// user is a recorded member of. DataType 0 orders them by last activity
// (last message or change) descending, 1 by creation time ascending, and 2
// returns the live groups the user created, newest first. The cursor is an
// offset, NextCursor stays at that offset when HasMore is false, and
// MemberCount is filled unless SkipMemberCount is true. MemberCount and
// GetConversationUserCount count the recorded members, or give the seeded
// MemberCount when there are none.
//
// Settings are kept per member and survive the member leaving.
// GetConversationSetting answers SettingNotFound for a user who is not a
// member of a conversation with recorded members; a seeded conversation
// without members gives default settings. ModifyConversationSetting answers
// ParticipantNotInConversation for non-members. It applies IsMute when
// given, sets the stick-top or favourite time when IsStickTop or
// IsSetFavorite is true (0 clears it, and IsStickTop reads back as the time
// being non-zero), and replaces Ext. MarkConversation and
// GetConversationMarks work on live groups only (OnlyLiveConversationSupport
// otherwise). MarkAction 1 (the default) adds marks in order and without
// duplicates, 2 removes them, and more than 20 marks is
// ConversationMarkTypeMoreThanLimit with nothing changed.
//
// BatchAdd, Delete and ModifyConversationParticipant require Operator and
// refuse one-to-one conversations (SingleConversationNotSupport). Add treats
// an invalid Role as 0, as documented; Role 1 for anyone but the owner is
// OwnerShouldBeEqual. A group holds at most 200 members and a live group
// 10,000 (ConversationParticipantsMoreThanLimit, nothing added). A user
// already in 500 groups is listed in FailedUserIds while the others are
// added. Re-adding a member overwrites its profile but keeps its place, join
// time, mute and marks. Barrier is accepted and has no effect. Deleting a
// non-member succeeds, and the owner cannot be deleted (listed as failed).
// Modify lists non-members, and an owner given another role, as failed.
// IsUserInConversation, BatchGetConversationParticipant (request order, once
// each) and ScanConversationParticipantList answer from the recorded
// members. The scan cursor is an offset in join order (reversed with
// Reverse); the last page's NextCursor is -1, and Limit is 1–20, or 1–50
// with OnlyUserIds, which returns only ids. On a live group a plain scan
// lists the owner and managers, while ScanOnlineParticipant lists every
// member as online, last to join first; MarkType keeps members carrying that
// mark; other conversations have no online list.
//
// BatchAddManager and BatchRemoveManager work on live groups only.
// Non-members, and the owner on add, are failed; string ids resolve against
// the members' UserIdStr; more than 10 managers is ManagerMoreThanLimit with
// nothing changed; removing a non-manager is a no-op.
// GetParticipantReadIndex lists members with a non-zero read index in join
// order. ModifyParticipantReadIndex needs a member
// (ParticipantNotInConversation otherwise) and an index above the current
// one (InvalidParam otherwise). QueryLiveParticipantStatus works on live
// groups only and answers the first 200 users (ids, then string ids) with
// IsInConversation and the join time.
//
// # Live-group moderation, users, tokens and presence
//
// The live-group actions (BatchAddBlockParticipants,
// BatchDeleteBlockParticipants, BatchGetBlockParticipants,
// BatchAddWhitelistParticipant, BatchRemoveWhitelistParticipant,
// BatchGetWhitelistParticipant, BatchUpdateLiveParticipants) answer
// ConversationNotFound for an unknown or dismissed conversation and
// OnlyLiveConversationSupport for one that is not a live group (type 100).
// BatchAddBlockParticipants keys ParticipantBlockInfos by positive user ids,
// or ParticipantBlockInfosStr by string ids, with durations in positive
// seconds; BlockAction is 0 (mute, the default) or 1 (ban). Each entry lasts
// from the server's clock (WithClock) to that time plus its duration, and
// blocking a user again restarts it. A mute needs a member record
// (AddParticipants), and other users are listed in FailedParticipantUserIds;
// a ban needs none. Entries whose end has passed on the server's clock are
// gone. BatchDeleteBlockParticipants lifts entries, and lifting one that is
// not there is no failure. BatchAddWhitelistParticipant needs an Operator
// and member records; a user already listed keeps its first entry, and
// BatchRemoveWhitelistParticipant of an unlisted user is no failure. Both
// lists take Cursor (a position, ≥ 0) and Limit (1 to 20), are sorted by
// user id, carry the member's NickName, AvatarUrl, Ext and Marks (never
// null), and answer NextCursor -1 after the last page. The real API
// documents neither the cursor's meaning nor the whitelist's order.
// BatchUpdateLiveParticipants takes 1 to 10 members, each with at least one
// of AvatarUrl, NickName and Ext. AvatarUrl and NickName replace, Ext
// merges, and Marks are added (MarkAction 1, the default) or deleted (2); a
// user with no member record fails with ParticipantNotInConversation.
//
// Users are per app. RegisterUsers takes 1 to 20 users and checks nickname ≤
// 100 bytes, portrait ≤ 500 bytes, Ext ≤ 20 keys of 1 to 50 bytes not
// starting with "s:" and values ≤ 500 bytes. Registering a registered user
// replaces its profile and keeps its CreateTime; a robot beyond an app's
// 5000th fails per user with InvalidParam. UnRegisterUsers (1 to 10),
// BatchUpdateUser (1 to 10, a whole-profile replace where absent fields
// become empty) and BatchUpdateUserTags (Op 0 adds and ignores tags already
// there, Op 1 deletes and ignores missing ones) report unregistered users as
// UserNotFound in FailedInfos. BatchGetUser (1 to 50) returns registered
// users in request order, with times in milliseconds and Ext never null, and
// lists the rest in NotFoundUsers. GetAppToken needs UserId or UserIdStr and
// an ExpireTime (ms) after the server's clock; it issues a token signed with
// a random key of the server's own, and VerifyAppToken checks it, failing
// with ErrAppTokenExpired after expiry on the server's clock. The user need
// not be registered. QueryOnlineStatus (1 to 100) reports only the
// connections seeded with SetOnline; offline users are absent. AddUsers
// seeds users without limits.
//
// # Friends and block lists
//
// Friends and block lists are kept per (AppId, InboxType, UserId). Every
// contact action requires a positive AppId and UserId and takes 1 to 10
// users (InvalidParam otherwise). AddFriend makes friends both ways;
// DeleteFriend removes both ways. ApplyTime and CreateTime are the server's
// clock (WithClock), to the millisecond, as are all contact times. The
// request's Ext goes to the requesting user's side only; the friend's side
// gets none. Adding an existing friend keeps its place and CreateTime; an
// Ext given replaces that side's Ext and ModifyTime. Deleting a user who is
// not a friend succeeds. UpdateFriend needs Alias or a non-empty Ext per
// item (InvalidParam otherwise); it sets the Alias, merges Ext keys and sets
// ModifyTime.
//
// AddBlackList appends; blocking a user again keeps its place and
// CreateTime, and an Ext given replaces it. UpdateBlackList merges
// BlackListUserExt. RemoveBlackList of a user not on the list succeeds, and
// the action answers no Result. Blocking does not end a friendship.
//
// ListFriend returns friends in the order added; GetBlackList returns
// entries newest first, each with FriendUserInfo when the user is also a
// friend. Both cursors are offsets into that order; NextCursor is -1 on the
// last page; past the end is an empty page. ListFriend's Limit defaults to
// 20; GetBlackList's is required; both allow 1 to 20. TotalCount is filled
// only when NeedTotal is true. IsFriend answers in request order;
// IsInBlackList answers a map keyed by the id as text. FailedInfos is always
// an array, listing these items with this server's own codes (the real ones
// are not documented): AddSelfFriendNotAllow (AddFriend of oneself),
// NotFriend (UpdateFriend of a non-friend), AddSelfBlackNotAllow
// (AddBlackList of oneself), NotInBlackList (UpdateBlackList of a user not
// on the list). Adds and removes sent again succeed without a failure, so a
// retried write converges. No check is made that users are registered. Seed
// with `AddFriends(appID, inboxType, userID, friends...)`, which is mutual
// and keeps the given times, and `AddBlackList(appID, inboxType, userID,
// entries...)`, where the last entry is the newest. Both panic on
// non-positive ids or the user themselves.
//
// # Callbacks
//
// [Server.Callbacks] delivers the API's signed callbacks to a URL of the
// test's, with the secret the test chooses: a given event
// ([Callbacks.DeliverEvent]: duplicates, retries on a reply other than 200
// as the real service makes them, tampering on demand), or the events of a
// message a simulated user sends ([Callbacks.SendAsUser]: BeforeSendMessage,
// whose verdict may block or change the message, then AfterSendMessage once
// it is stored). The OpenAPI's own SendMessage triggers no callback, as
// documented.
//
// # Everything else
//
// Unknown body fields are ignored. Request bodies are capped at 8 MiB. Any
// URL path is accepted (the signature covers it), so an endpoint with a path
// prefix works as well as "/".
//
// # Concurrency and lifetime
//
// A Server is safe for concurrent use: seeding, scripting and reading the
// record may happen while requests are served. It keeps no global state and
// starts no goroutine of its own besides the HTTP server's; Close cancels
// every request still waiting (slow faults, latency) and returns once every
// handler has returned.
package volcimtest
