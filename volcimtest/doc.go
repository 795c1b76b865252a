// Package volcimtest provides an in-memory Volcengine RTC IM server for
// tests: what net/http/httptest is to net/http, this package is to volcim.
//
// A [Server] listens on 127.0.0.1, holds conversations and messages seeded
// with the SDK's own types, and answers GetMessages,
// GetConversationMessages and BatchGetConversations the way the API
// documents them: it verifies every request's V4 signature, pages with a
// cursor, throttles each action at 100 QPS, and answers errors in the API's
// envelope. Code that passes against it should work against Volcengine.
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
//     action other than the three above, or a version other than
//     2020-12-01, is InvalidActionOrVersion (404).
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
//
// # Actions
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
// BatchGetConversations takes AppId and ConversationShortId, an array of
// ids (non-empty), and SkipMemberCount (default true when absent). It
// returns, in request order and once each, the conversations that exist and
// are not dismissed (Status 1); unknown and dismissed ones are left out.
// MemberCount is the seeded value when SkipMemberCount is false and 0
// (absent from the JSON) otherwise.
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
