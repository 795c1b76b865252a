package volcim

import (
	"context"
	"fmt"
	"iter"

	"github.com/volcim/volcim-go/pagination"
)

// ConversationMessagesRequest describes a walk through a conversation, page
// by page, with GetConversationMessages.
type ConversationMessagesRequest struct {
	// AppID is the app; zero means the client's WithAppID.
	AppID int64
	// ConversationShortID is the conversation to read.
	ConversationShortID int64
	// Cursor is where the walk starts: an IndexInConversation (not
	// negative), or a cursor saved from MessagePager.Cursor to continue an
	// earlier walk. From there the walk follows the replies' NewCursor only
	// while it moves on: up going forward, down in reverse, where 0 ("the
	// newest") is valid only as the start. See ConversationMessagesPager.
	Cursor int64
	// Reverse walks from newer to older messages (required for live groups).
	Reverse bool
	// PageSize is how many messages each call asks for: 1 to MaxPageSize;
	// 0 means MaxPageSize (20).
	PageSize int
	// Max stops the walk after this many messages; 0 means all. The last
	// call asks for exactly what is still wanted: Max 50 makes calls of 20,
	// 20 and 10. Max does not bound empty pages: MaxEmptyPages does.
	Max int
	// MaxEmptyPages is how many empty pages in a row that say HasMore the
	// walk follows before it gives up with an error wrapping
	// pagination.ErrNoProgress; 0 means pagination.DefaultMaxEmptyPages
	// (10). It must not be negative.
	MaxEmptyPages int
}

// MessagePager walks a conversation one page at a time; see
// Client.ConversationMessagesPager and the pagination package. Persist
// Cursor() after handling each page to resume later with no message lost or
// repeated.
type MessagePager = pagination.Pager[int64, Message]

// ConversationMessagesPager returns a pager over the messages of a
// conversation. Each Next makes one GetConversationMessages call (at most 20
// messages; every call waits for the client's rate limiter, 100 QPS per
// action by default) and follows HasMore and NewCursor.
//
// Whatever the server answers, the walk never visits a cursor twice and
// makes progress or ends. A reply that says HasMore is discarded (none of
// its messages returned) and ends the walk for good with an error, Cursor
// staying at the page that produced it, when:
//
//   - its NewCursor is negative: an error wrapping ErrMalformedReply (and
//     pagination.ErrBadCursor), the server's fault, never ErrInvalidRequest;
//   - its NewCursor equals the cursor asked for: pagination.ErrStalledCursor;
//   - its NewCursor goes back (forward walks must increase the cursor,
//     reverse walks decrease it after an optional start at 0): any cycle or
//     backward step, caught at its first step back, is
//     pagination.ErrCursorCycle;
//   - it is empty, after req.MaxEmptyPages empty pages in a row (10 by
//     default): pagination.ErrNoProgress.
//
// The request is checked at once: an error wrapping ErrInvalidRequest is
// returned before any call. opts apply to every page's call.
func (c *Client) ConversationMessagesPager(req *ConversationMessagesRequest, opts ...CallOption) (*MessagePager, error) {
	const action = actionGetConversationMessages
	if req == nil {
		return nil, invalid(action, "", "nil request")
	}
	_, appID, err := c.settings(context.Background(), actGetConversationMessages, req.AppID, opts)
	if err != nil {
		return nil, err
	}
	if err := checkConversation(actGetConversationMessages, req.ConversationShortID); err != nil {
		return nil, err
	}
	pageSize := req.PageSize
	if pageSize == 0 {
		pageSize = MaxPageSize
	}
	switch {
	case pageSize < 1 || pageSize > MaxPageSize:
		return nil, invalid(action, "PageSize", "must be 0 (for %d) or 1 to %d, got %d", MaxPageSize, MaxPageSize, req.PageSize)
	case req.Max < 0:
		return nil, invalid(action, "Max", "must not be negative, got %d", req.Max)
	case req.Cursor < 0:
		return nil, invalid(action, "Cursor", "must not be negative, got %d", req.Cursor)
	case req.MaxEmptyPages < 0:
		return nil, invalid(action, "MaxEmptyPages", "must not be negative, got %d", req.MaxEmptyPages)
	}
	convID, reverse := req.ConversationShortID, req.Reverse
	fetch := func(ctx context.Context, cursor int64, limit int) (pagination.Page[int64, Message], error) {
		resp, err := c.GetConversationMessages(ctx, &GetConversationMessagesRequest{
			AppID:               appID,
			ConversationShortID: convID,
			Cursor:              cursor,
			Limit:               limit,
			Reverse:             reverse,
		}, opts...)
		if err != nil {
			return pagination.Page[int64, Message]{}, err
		}
		return pagination.Page[int64, Message]{Items: resp.Messages, HasMore: resp.HasMore, Next: resp.NewCursor}, nil
	}
	// IndexInConversation only grows: a forward walk must go up, a reverse
	// one down, where a reverse start at 0 (the newest) ranks above all.
	advances := pagination.Increasing[int64]
	if reverse {
		advances = func(prev, next int64) bool { return next != 0 && (prev == 0 || next < prev) }
	}
	// A negative NewCursor cannot be followed (GetConversationMessages
	// would refuse it as the caller's ErrInvalidRequest): it is a bad reply.
	checkNext := func(next int64) (bool, error) {
		if next < 0 {
			return false, fmt.Errorf("%w: %s: negative NewCursor %d", ErrMalformedReply, action, next)
		}
		return true, nil
	}
	return pagination.New(fetch, pagination.Options[int64]{
		Start:         req.Cursor,
		PageSize:      pageSize,
		Max:           req.Max,
		MaxEmptyPages: req.MaxEmptyPages,
		Advances:      advances,
		CheckNext:     checkNext,
	})
}

// ConversationMessages iterates over the messages of a conversation, calling
// GetConversationMessages page by page (at most 20 messages a call, under the
// client's rate limiter) and following HasMore and NewCursor:
//
//	for msg, err := range client.ConversationMessages(ctx, req) {
//		if err != nil {
//			return err
//		}
//		...
//	}
//
// An error (an invalid request, a failed call, a reply the walk cannot
// follow, a cancelled ctx) is yielded once and ends the iteration; breaking
// out of the loop stops at once with no further call. The walk never yields a
// message twice because of a cursor that stalls, cycles or steps back, and
// never follows empty pages forever: see ConversationMessagesPager for these
// guards and their errors. To checkpoint and resume, use
// ConversationMessagesPager.
func (c *Client) ConversationMessages(ctx context.Context, req *ConversationMessagesRequest, opts ...CallOption) iter.Seq2[Message, error] {
	p, err := c.ConversationMessagesPager(req, opts...)
	return walk[Message](ctx, p, err)
}

// walk is the iterator of a walk over a pager: p's items, or err, yielded
// once, when the pager could not be made (p is then not used).
func walk[T any, P interface {
	All(context.Context) iter.Seq2[T, error]
}](ctx context.Context, p P, err error) iter.Seq2[T, error] {
	if err != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, err)
		}
	}
	return p.All(ctx)
}
