// Package pagination turns a cursor-paged API into a [Pager]: a loop that
// fetches page after page through a [FetchFunc], stops when the API says
// there is no more or a caller-set item budget is spent, refuses to spin on a
// cursor that does not move, and reports a cursor to resume from after an
// error or a restart.
//
// The package knows nothing about HTTP or about any particular API. The IM
// API's GetConversationMessages, for example, returns at most 20 messages a
// call together with HasMore and NewCursor; the client wraps that call in a
// FetchFunc[int64, Message] and builds a Pager on it.
//
// Two ways to read a pager share one engine and one state:
//
//   - [Pager.Next] returns one page at a time. After every successful call
//     [Pager.Cursor] names the first item not yet returned, so a caller that
//     persists Cursor after handling each page can resume in another process
//     with no item lost or repeated.
//   - [Pager.All] yields one item at a time as an [iter.Seq2]. It is
//     convenient but page-granular for checkpoints: see its documentation.
//
// The typical page loop is
//
//	for p.HasMore() {
//		items, err := p.Next(ctx)
//		if err != nil {
//			return err // p.Cursor() still names the page that failed
//		}
//		handle(items)
//		save(p.Cursor())
//	}
package pagination

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// ErrInvalidOptions is wrapped by the error [New] returns when its arguments
// are unusable: a nil fetch function, Options.PageSize < 1 or
// Options.Max < 0.
var ErrInvalidOptions = errors.New("pagination: invalid options")

// ErrNoMorePages is returned by [Pager.Next] when it is called on a pager
// that has already finished: the API reported the last page, or
// Options.Max items have been returned. Next never fetches in that case.
// Loops that test [Pager.HasMore] before each Next never see it; it exists
// so that a loop which forgets that test ends with an error instead of
// spinning forever on empty results.
var ErrNoMorePages = errors.New("pagination: no more pages")

// ErrStalledCursor is wrapped by the error [Pager.Next] (and [Pager.All])
// returns when a reply says HasMore but gives as its next cursor the very
// cursor it was asked for. Following such a reply would fetch the same page
// forever, so the pager discards the reply (its items are not returned and
// not counted) and fails for good: see [Pager.Next].
var ErrStalledCursor = errors.New("pagination: stalled cursor")

// Page is one reply of a cursor-paged API.
type Page[C comparable, T any] struct {
	// Items are the items of this page, in order. The slice is handed to
	// the caller of [Pager.Next] as is (possibly re-sliced shorter), never
	// copied. It may be empty even when HasMore is true; such pages are
	// followed like any other.
	Items []T
	// HasMore reports that at least one more page may follow.
	HasMore bool
	// Next is the cursor of the next page. It is meaningful only when
	// HasMore is true, and must then differ from the cursor this page was
	// fetched with (otherwise the pager fails with [ErrStalledCursor]).
	Next C
}

// FetchFunc fetches the page that starts at cursor, asking for at most limit
// items; limit is always >= 1. It should honour ctx and return an error that
// wraps ctx.Err() when ctx ends first. When it returns a non-nil error the
// Page is ignored.
//
// A reply with more than limit items is tolerated (a server bug): the items
// are passed on, except that a pager never returns more than Options.Max
// items in total.
type FetchFunc[C comparable, T any] func(ctx context.Context, cursor C, limit int) (Page[C, T], error)

// Options configures a [Pager].
type Options[C comparable] struct {
	// Start is the cursor of the first page: the API's initial cursor, or
	// a value saved from [Pager.Cursor] of an earlier pager to continue
	// where it stopped. Its zero value is passed as is.
	Start C
	// PageSize is the number of items asked for per call; it must be >= 1.
	// The pager sets no upper bound: keep it within what the API accepts
	// (20 for GetConversationMessages).
	PageSize int
	// Max stops the pager after this many items in total; 0 means no limit
	// and negative values are invalid. The last call asks for exactly what
	// is still wanted: PageSize 20 and Max 50 make calls with limits 20, 20
	// and 10. Max counts only items returned by this pager, not those of an
	// earlier pager it resumes.
	Max int
}

// Pager fetches the pages of a cursor-paged API one after another. Create
// one with [New].
//
// A Pager is not safe for concurrent use: calls to Next, All's iterator and
// the accessors must not overlap. The fetch function is only ever called
// from the goroutine calling Next or ranging over All.
type Pager[C comparable, T any] struct {
	fetch    FetchFunc[C, T]
	pageSize int
	max      int

	cursor  C     // where the next fetch starts
	fetched int   // items returned so far
	done    bool  // finished normally: the API's last page or Max reached
	err     error // sticky failure (stalled cursor); nil otherwise
}

// New returns a pager that starts at opts.Start and reads pages through
// fetch. It does not call fetch. It returns an error wrapping
// [ErrInvalidOptions] when fetch is nil, opts.PageSize < 1 or opts.Max < 0.
func New[C comparable, T any](fetch FetchFunc[C, T], opts Options[C]) (*Pager[C, T], error) {
	switch {
	case fetch == nil:
		return nil, fmt.Errorf("%w: nil fetch function", ErrInvalidOptions)
	case opts.PageSize < 1:
		return nil, fmt.Errorf("%w: PageSize %d, want >= 1", ErrInvalidOptions, opts.PageSize)
	case opts.Max < 0:
		return nil, fmt.Errorf("%w: Max %d, want >= 0 (0 = no limit)", ErrInvalidOptions, opts.Max)
	}
	return &Pager[C, T]{
		fetch:    fetch,
		pageSize: opts.PageSize,
		max:      opts.Max,
		cursor:   opts.Start,
	}, nil
}

// Next fetches the next page and returns its items (possibly none: an empty
// page that says HasMore is a valid page). The returned slice is the one the
// fetch function returned, cut short if it would take the pager past
// Options.Max.
//
// Outcomes:
//
//   - Success: the items are returned with a nil error, [Pager.Fetched]
//     grows by their number, and [Pager.Cursor] moves to the reply's next
//     cursor. If the reply said there is no more, or Max is now reached,
//     [Pager.HasMore] becomes false.
//   - ctx already done: Next returns ctx.Err() (unwrapped) without calling
//     fetch; the pager is unchanged.
//   - fetch fails: Next returns fetch's error as is (so errors.Is and
//     errors.As, including for context errors, see what fetch returned) and
//     the pager is unchanged: Cursor still names the page that failed, so
//     calling Next again retries it, and a new pager started from Cursor
//     resumes with nothing lost or repeated.
//   - Stalled cursor: the reply says HasMore but its next cursor equals the
//     cursor asked for. Next returns an error wrapping [ErrStalledCursor]
//     that names both cursors, and the pager fails for good: HasMore reports
//     false, Cursor stays at the stalled cursor, and every later Next (and
//     All) returns that same error without fetching.
//   - Already finished (HasMore false after success): Next returns
//     (nil, [ErrNoMorePages]) without fetching.
//
// If Max cuts a reply that holds more items than were asked for (a server
// bug), the cut-off items are dropped: Cursor moves past the whole reply, as
// it cannot point inside a page.
func (p *Pager[C, T]) Next(ctx context.Context) ([]T, error) {
	if p.err != nil {
		return nil, p.err
	}
	if p.done {
		return nil, ErrNoMorePages
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	limit := p.pageSize
	if p.max > 0 {
		limit = min(limit, p.max-p.fetched)
	}
	page, err := p.fetch(ctx, p.cursor, limit)
	if err != nil {
		return nil, err
	}
	if page.HasMore && page.Next == p.cursor {
		p.err = fmt.Errorf("%w: asked for cursor %v, reply says HasMore with next cursor %v",
			ErrStalledCursor, p.cursor, page.Next)
		return nil, p.err
	}
	items := page.Items
	if p.max > 0 && len(items) > p.max-p.fetched {
		n := p.max - p.fetched
		items = items[:n:n]
	}
	p.fetched += len(items)
	if page.HasMore {
		p.cursor = page.Next
	}
	if !page.HasMore || (p.max > 0 && p.fetched >= p.max) {
		p.done = true
	}
	return items, nil
}

// HasMore reports whether Next may return more items: it is true until a
// reply says there is no more, Options.Max items have been returned, or the
// pager has failed on a stalled cursor. A fetch error or a cancelled context
// does not change it.
func (p *Pager[C, T]) HasMore() bool {
	return !p.done && p.err == nil
}

// Cursor returns the cursor to resume from: where the next call to Next
// would start. After each successful Next it names the first item not yet
// returned, and after a failed Next it still names the page that failed.
// Persist it and pass it as Options.Start to a new pager to continue with no
// item lost or repeated.
//
// Cursor is page-granular: it never points inside a page. Breaking out of
// [Pager.All] in the middle of a page leaves it at the next page.
//
// Once the API has reported its last page, the reply's next cursor is not
// meaningful, so Cursor keeps the cursor that last page was fetched with:
// a pager resumed from it would read that page again. Check HasMore before
// persisting a cursor to resume from. When the pager stopped because
// Options.Max was reached and the API had more, Cursor names the next page.
func (p *Pager[C, T]) Cursor() C {
	return p.cursor
}

// Fetched returns the number of items Next (or All) has returned so far;
// it is what counts toward Options.Max. Items of a failed or stalled call
// are not counted.
func (p *Pager[C, T]) Fetched() int {
	return p.fetched
}

// All returns an iterator over the remaining items, one at a time, built on
// Next: each item is yielded with a nil error.
//
//   - An error (from fetch, a stalled cursor, or ctx) is yielded exactly
//     once, with the zero T, and ends the iteration. Items yielded before it
//     are not repeated by a pager resumed from [Pager.Cursor], since Cursor
//     still names the page that failed.
//   - Stopping the range loop (break, return) stops at once: no further
//     fetch is made.
//   - A ctx that is done stops at once too: before the next fetch, and
//     also between the items of a page already fetched; ctx.Err() is
//     yielded.
//   - With Options.Max, iteration stops after exactly Max items.
//   - A finished pager yields nothing; a pager that failed on a stalled
//     cursor yields that error once.
//
// Checkpoints are page-granular: Cursor moves to the next page as soon as a
// page is fetched, before its items are yielded. When the loop stops in the
// middle of a page (break, or ctx done), Cursor already points past the
// items not yet yielded, and a pager resumed from it skips them. Callers that
// checkpoint should use Next page by page instead.
//
// All is meant to be ranged over once per pager. Each call returns an
// iterator over the same state, so a second range continues from the
// current Cursor (page-granular, as above) rather than starting over.
func (p *Pager[C, T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		done := ctx.Done()
		for !p.done {
			items, err := p.Next(ctx)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range items {
				if done != nil {
					select {
					case <-done:
						yield(zero, ctx.Err())
						return
					default:
					}
				}
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}
