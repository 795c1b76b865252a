// Package callback receives the server callbacks (webhooks) of Volcengine
// IM: signed events the service posts to a URL set in the console.
//
//	h, err := callback.NewHandler([]string{os.Getenv("VOLCIM_CALLBACK_SECRET")},
//		callback.OnAfterSendMessage(func(ctx context.Context, e *callback.AfterSendMessage) error {
//			log.Printf("%d said %q", e.Message.Sender, e.Message.Content)
//			return nil
//		}),
//		callback.OnBeforeSendMessage(func(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
//			if text, _ := e.Message.Text(); strings.Contains(text, "spam") {
//				return callback.Block(1001, "no spam"), nil
//			}
//			return callback.Allow(), nil
//		}),
//	)
//	http.Handle("/volcim/callback", h)
//
// A [Handler] reads the body under a size cap and a read timeout, checks
// the signature against one or more secrets, refuses stale events, lets
// each event through once (by AppId and EventId, in a [Store]), decodes it
// into a typed event, calls the handler function of its type, and answers
// within the server's 5 s. [Verify] and [Sign] are the signature alone.
//
// # What the documentation says
//
// Confirmed (docs 6348/293099 "回调格式参考", 6348/293101 "回调签名验证", the
// RTC callback page 6348/69820, the changelog 6348/1121959):
//
//   - The body is a JSON object of eight strings: EventType, EventData (a
//     JSON document, as a string), EventTime, EventId, AppId, Version
//     ("2020-12-01"), Nonce (4 random digits) and Signature.
//   - EventTime is a UTC time in RFC 3339 with nanoseconds,
//     "1970-07-01T00:00:00.000000000Z" ([ParseTime] also reads epoch
//     numbers, by magnitude, in case a variant sends one).
//   - The signature: the seven values and the callback secret, sorted,
//     concatenated without separators, SHA-256, lowercase hex ([Sign]).
//   - Only HTTP 200 counts as delivered; any other status, or no answer
//     within 5 s, is a failure, retried up to 2 more times. An event may
//     arrive more than once: deduplicate by EventId.
//   - The event types BeforeSendMessage (a pre-send hook that can
//     intercept a message; its data has ClientMessageId, MentionedUsers,
//     MessagePriority, Header) and AfterSendMessage (its Header carries
//     the sender's IP address and device). Messages sent through the
//     OpenAPI (SendMessage) trigger no callback; BatchSendMessage triggers
//     no BeforeSendMessage.
//   - Callback URLs must name a host: IPv4 "ip:port" addresses are no
//     longer accepted.
//
// Not found in the documentation, and this package's assumptions, made to
// be easy to adjust:
//
//   - The list of event types and their EventData. Only the two message
//     events are typed. Their EventData is read as a flat JSON object with
//     the OpenAPI message's names (AppId, ConversationShortId,
//     ConversationType, MessageId, Sender, SenderStr, MsgType, Content,
//     Ext, CreateTime, IndexInConversation) plus the documented
//     ClientMessageId, MentionedUsers, MessagePriority and Header; numbers
//     may come as JSON numbers or strings, map values need not be strings,
//     and every decoded event keeps EventData whole in Event.Data. Other
//     types (conversation and member events, if the service sends any) go
//     to the [OnEvent] handler raw, never dropped. A signed event whose
//     EventData does not decode is refused with HTTP 400 and logged at warn
//     level.
//   - The answer to BeforeSendMessage. It is HTTP 200 (as every answer
//     that must not be retried) with the JSON body of [EncodeVerdict]:
//     {"Allow":true}, {"Allow":true,"Content":...,"Ext":...} or
//     {"Allow":false,"CheckCode":n,"CheckMessage":"..."}. [WithVerdictEncoder]
//     replaces it. The client SDKs know a send refused by the callback
//     (status CALLBACK_DENY) and a check code, which suggests the names.
//   - No freshness window is documented: events whose EventTime is more
//     than [DefaultMaxAge] (10 minutes) from the handler's clock, either
//     way, are refused ([WithMaxAge]).
//   - The other answers' bodies: empty with 200.
//
// # Answers
//
//	200  handled; or a duplicate of a handled event, answered as the first
//	     was (the same verdict), and not dispatched again
//	400  not a JSON envelope; no EventType or EventId; an EventId or AppId
//	     over MaxEventIDLength or MaxAppIDLength; an unreadable or stale
//	     EventTime; EventData of a typed event that does not decode
//	401  no Signature
//	403  a wrong Signature; another app's event (WithAppIDs)
//	405  not POST
//	408  the body did not arrive within the read timeout
//	409  a duplicate of an event still being handled (the server retries)
//	413  the body is over the cap
//	500  the handler function returned an error (or panicked)
//	503  the dedup store failed
//
// Every refusal is logged (see [WithLogger]); anything but 200 makes the
// server retry, up to twice.
//
// # Deduplication
//
// Before dispatching, the handler claims the event in its Store for a lease
// of twice the timeout, under two keys: "<AppId>/<EventId>", which the
// retries of an event share, and "sig/<Signature>". The second is needed
// because the documented signature hashes the values sorted, so it does not
// bind a value to its field: a captured request whose EventId and Nonce (or
// any two values) are swapped still verifies, under another EventId, but
// with the same signature. A delivery that finds either key done is
// answered 200 with the first answer's body; one that finds it in progress
// is answered 409. The handler function's success completes both keys for
// the dedup TTL (twice the max age, so that an event stays known for as
// long as it is fresh; after that it is refused as stale); its failure
// releases them, so that a retry handles the event again. With several
// replicas, share the store: github.com/volcim/volcim-go/callback/redisstore
// keeps it in Redis.
//
// # Testing
//
// volcimtest.Server.Callbacks posts signed events to a handler: a given
// event, or the two events of a message a simulated user sends, with
// duplicates and retries on demand.
package callback
