package volcim

import "context"

// Limiter decides when a request may be sent. The client calls Wait once
// before every attempt of every call (retries and pages included), with the
// API action being called ("GetMessages", ...), and sends the request only
// after Wait returns nil.
//
// Wait must block until the action may proceed or ctx is done; when ctx is
// done it must return an error that wraps ctx.Err(). Implementations must be
// safe for concurrent use. The Volcengine IM API allows at most 100 QPS per
// action, counted per account, so a Limiter shared by every client of an
// account is what keeps a service from being throttled by its own bursts.
type Limiter interface {
	Wait(ctx context.Context, action string) error
}
