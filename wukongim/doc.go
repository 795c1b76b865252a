// Package wukongim is a typed client for the HTTP API of a WuKongIM server
// (https://github.com/WuKongIM/WuKongIM), starting with its batch message
// search, POST /messages.
//
// It sends its requests through the same request path as the volcim client
// (retries with backoff, an optional rate limiter waited on before every
// attempt, a per-attempt auth step, a reply size cap, debug logging), so the
// volcim.RetryPolicy and volcim.Limiter types configure it the same way.
//
// The client is written against a real WuKongIM v2 server, which differs
// from the published page of the endpoint (see [Client.SearchMessages]): it
// needs a non-empty channel_id in the body, answers an object rather than a
// bare array, and leaves missing messages out of a 200 reply rather than
// answering 404. Replies shaped like the page are understood too.
package wukongim
