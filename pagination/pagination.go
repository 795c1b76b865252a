// Package pagination turns a cursor-paged API into a [Pager]: a loop that
// fetches page after page through a [FetchFunc], stops when the API says
// there is no more or a caller-set item budget is spent, refuses to follow a
// server that does not make progress, and reports a cursor to resume from
// after an error or a restart.
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
//
// # Guards
//
// Whatever the server answers, a walk makes progress or ends, in bounded
// memory. With Options.Advances it never visits a cursor twice; without, it
// never revisits any of its last Options.RecentCursors cursors, and still
// ends on a longer cycle. Every reply that says HasMore passes these checks,
// in this order, before its items are returned:
//
//  1. Options.CheckNext, when set, validates the next cursor: it may reject
//     it ([ErrBadCursor], wrapping the hook's own error) or declare the
//     reply the last page (for APIs where, say, a negative cursor means "no
//     more data").
//  2. A next cursor equal to the one asked for is a stall
//     ([ErrStalledCursor]).
//  3. A next cursor that goes back is a cycle ([ErrCursorCycle]). When
//     Options.Advances gives the cursors' order, every step must advance,
//     which catches every backward step and every cycle at once in O(1)
//     memory. Otherwise the pager remembers the last Options.RecentCursors
//     cursors of the walk ([DefaultRecentCursors]) and catches at once any
//     cycle up to that length; a longer cycle is still caught, with one more
//     remembered cursor (Brent's algorithm), but only after some of its
//     pages have been returned again. Without Advances, a step back to a
//     cursor the walk never visited cannot be told from a step forward.
//  4. An empty page is followed, but only Options.MaxEmptyPages of them in
//     a row ([DefaultMaxEmptyPages]); the next one is [ErrNoProgress].
//     Options.Max does not change this: Max counts items, and an empty page
//     has none.
//
// A reply that fails a check is discarded (its items are neither returned
// nor counted), [Pager.Cursor] stays at the page that produced it, and the
// pager fails for good with an error that names the cursors and wraps the
// sentinel: see [Pager.Next].
package pagination

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
)

// DefaultMaxEmptyPages is the number of empty pages in a row, each saying
// HasMore, that a pager follows when Options.MaxEmptyPages is 0. The next
// empty page of the same run ends the walk with [ErrNoProgress], so a server
// that answers empty pages forever costs DefaultMaxEmptyPages+1 calls.
const DefaultMaxEmptyPages = 10

// DefaultRecentCursors is the number of recent cursors a pager remembers to
// catch cycles when Options.Advances is nil and Options.RecentCursors is 0.
// A cycle of up to this many pages is caught before any of its pages is
// returned twice. A pager with Options.Advances remembers none.
const DefaultRecentCursors = 1024

// ErrInvalidOptions is wrapped by the error [New] returns when its arguments
// are unusable: a nil fetch function, Options.PageSize < 1, or a negative
// Options.Max, Options.MaxEmptyPages or Options.RecentCursors.
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
//
// A stall is the shortest cycle: its error matches [ErrCursorCycle] too, so
// testing for ErrCursorCycle catches every cursor that goes back. The
// converse does not hold: a longer cycle does not match ErrStalledCursor.
var ErrStalledCursor = errors.New("pagination: stalled cursor")

// ErrCursorCycle is wrapped by the error [Pager.Next] (and [Pager.All])
// returns when a reply says HasMore but its next cursor goes back: it fails
// Options.Advances (when set), or it is a cursor this walk has already
// visited (see [DefaultRecentCursors] for how far back the pager looks).
// Following it would return pages again, or forever, so the pager discards
// the reply and fails for good, as for [ErrStalledCursor] (whose errors
// match ErrCursorCycle as well).
var ErrCursorCycle = errors.New("pagination: cursor cycle")

// ErrNoProgress is wrapped by the error [Pager.Next] (and [Pager.All])
// returns when more than Options.MaxEmptyPages pages in a row
// ([DefaultMaxEmptyPages] by default) are empty and say HasMore: a server
// that keeps promising more without delivering any. The last empty reply is
// discarded and the pager fails for good, as for [ErrStalledCursor].
var ErrNoProgress = errors.New("pagination: no progress")

// ErrBadCursor is wrapped by the error [Pager.Next] (and [Pager.All])
// returns when Options.CheckNext rejects a reply's next cursor. The error
// wraps CheckNext's error too, so errors.Is and errors.As see both. The
// reply is discarded and the pager fails for good, as for
// [ErrStalledCursor].
var ErrBadCursor = errors.New("pagination: bad next cursor")

// Page is one reply of a cursor-paged API.
type Page[C comparable, T any] struct {
	// Items are the items of this page, in order. The slice is handed to
	// the caller of [Pager.Next] as is (possibly re-sliced shorter), never
	// copied. It may be empty even when HasMore is true; such pages are
	// followed, up to Options.MaxEmptyPages in a row.
	Items []T
	// HasMore reports that at least one more page may follow.
	HasMore bool
	// Next is the cursor of the next page. It is meaningful only when
	// HasMore is true, and must then pass the pager's guards (see the
	// package documentation): never the cursor this page was fetched with,
	// nor one this walk has already visited, nor one that goes back in the
	// order given by Options.Advances.
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
	// earlier pager it resumes. It does not bound the number of calls:
	// empty pages are bounded by MaxEmptyPages instead.
	Max int
	// MaxEmptyPages is the number of empty pages in a row, each saying
	// HasMore, that the pager follows; the next empty page of the run
	// fails with [ErrNoProgress]. A page with at least one item ends the
	// run. 0 means [DefaultMaxEmptyPages]; negative values are invalid.
	MaxEmptyPages int
	// Advances, when set, gives the order of the cursors: it reports
	// whether next is a legal successor of prev, that is, whether a page
	// fetched at prev may send the walk on to next. It must be a strict
	// order (never Advances(c, c); Advances(a, b) and Advances(b, c) imply
	// Advances(a, c)), so that a walk in which every step advances can never
	// come back to a cursor. A reply whose next cursor does not advance
	// fails with [ErrCursorCycle] (or [ErrStalledCursor] when it equals
	// prev): every backward step and every cycle is caught at its first
	// step back, in O(1) memory. [Increasing] and [Decreasing] suit
	// numeric cursors that only grow or only shrink.
	//
	// When nil, the pager falls back to remembering the last RecentCursors
	// cursors of the walk.
	Advances func(prev, next C) bool
	// RecentCursors is how many of the walk's most recent cursors (the
	// start included) the pager remembers to catch cycles when Advances is
	// nil: a reply whose next cursor is among them fails with
	// [ErrCursorCycle] before any page of the cycle is returned twice.
	// Longer cycles are still caught, by a checkpoint that costs one more
	// cursor (Brent's cycle detection), but only after some of their pages
	// have been returned again: a walk of t pages that then cycles over c
	// pages makes fewer than 2·max(t+1, c) + c calls in all. 0 means
	// [DefaultRecentCursors]; negative values are invalid; ignored when
	// Advances is set. Memory is O(RecentCursors) cursors.
	RecentCursors int
	// CheckNext, when set, validates the next cursor of every reply that
	// says HasMore, before any other guard. It returns follow true and a
	// nil error to go on; follow false and a nil error to take the reply as
	// the last page (its items are returned and [Pager.HasMore] becomes
	// false, as if the reply had said HasMore false: for APIs that document,
	// say, "a negative cursor means no more data"); or a non-nil error to
	// reject the reply as a bad one (follow is then ignored): Next fails for
	// good with an error wrapping both [ErrBadCursor] and that error.
	CheckNext func(next C) (follow bool, err error)
}

// Increasing is an Options.Advances for cursors that strictly increase
// along the walk: it reports whether next > prev.
func Increasing[C cmp.Ordered](prev, next C) bool { return cmp.Less(prev, next) }

// Decreasing is an Options.Advances for cursors that strictly decrease
// along the walk: it reports whether next < prev.
func Decreasing[C cmp.Ordered](prev, next C) bool { return cmp.Less(next, prev) }

// Pager fetches the pages of a cursor-paged API one after another. Create
// one with [New].
//
// A Pager is not safe for concurrent use: calls to Next, All's iterator and
// the accessors must not overlap. The fetch function and the Options hooks
// are only ever called from the goroutine calling Next or ranging over All.
type Pager[C comparable, T any] struct {
	fetch     FetchFunc[C, T]
	pageSize  int
	max       int
	maxEmpty  int
	advances  func(prev, next C) bool
	checkNext func(next C) (bool, error)

	cursor  C     // where the next fetch starts
	fetched int   // items returned so far
	empty   int   // empty pages saying HasMore followed in a row
	done    bool  // finished normally: the API's last page or Max reached
	err     error // sticky failure (a guard); nil otherwise

	// Cycle detection without Advances. step numbers the cursors of the
	// walk (Start is 0, the cursor is step). recent holds the last
	// recentCap of them in a ring (oldest at recentOld once full) and seen
	// maps each to its step; both are allocated at the first fetch.
	// mark is Brent's checkpoint: the cursor of step markStep, moved to the
	// current cursor whenever the distance to it reaches markPower, which
	// then doubles, so that a cycle of any length ends up containing mark.
	step      int
	recentCap int
	recent    []C
	recentOld int
	seen      map[C]int
	mark      C
	markStep  int
	markPower int
}

// New returns a pager that starts at opts.Start and reads pages through
// fetch. It does not call fetch. It returns an error wrapping
// [ErrInvalidOptions] when fetch is nil, opts.PageSize < 1, or opts.Max,
// opts.MaxEmptyPages or opts.RecentCursors is negative.
func New[C comparable, T any](fetch FetchFunc[C, T], opts Options[C]) (*Pager[C, T], error) {
	switch {
	case fetch == nil:
		return nil, fmt.Errorf("%w: nil fetch function", ErrInvalidOptions)
	case opts.PageSize < 1:
		return nil, fmt.Errorf("%w: PageSize %d, want >= 1", ErrInvalidOptions, opts.PageSize)
	case opts.Max < 0:
		return nil, fmt.Errorf("%w: Max %d, want >= 0 (0 = no limit)", ErrInvalidOptions, opts.Max)
	case opts.MaxEmptyPages < 0:
		return nil, fmt.Errorf("%w: MaxEmptyPages %d, want >= 0 (0 = %d)", ErrInvalidOptions, opts.MaxEmptyPages, DefaultMaxEmptyPages)
	case opts.RecentCursors < 0:
		return nil, fmt.Errorf("%w: RecentCursors %d, want >= 0 (0 = %d)", ErrInvalidOptions, opts.RecentCursors, DefaultRecentCursors)
	}
	p := &Pager[C, T]{
		fetch:     fetch,
		pageSize:  opts.PageSize,
		max:       opts.Max,
		maxEmpty:  cmp.Or(opts.MaxEmptyPages, DefaultMaxEmptyPages),
		advances:  opts.Advances,
		checkNext: opts.CheckNext,
		cursor:    opts.Start,
		recentCap: cmp.Or(opts.RecentCursors, DefaultRecentCursors),
		mark:      opts.Start,
		markPower: 1,
	}
	return p, nil
}

// Next fetches the next page and returns its items (possibly none: an empty
// page that says HasMore is a valid page, up to Options.MaxEmptyPages in a
// row). The returned slice is the one the fetch function returned, cut short
// if it would take the pager past Options.Max.
//
// Outcomes:
//
//   - Success: the items are returned with a nil error, [Pager.Fetched]
//     grows by their number, and [Pager.Cursor] moves to the reply's next
//     cursor. If the reply said there is no more (or Options.CheckNext took
//     it as the last page), or Max is now reached, [Pager.HasMore] becomes
//     false.
//   - ctx already done: Next returns ctx.Err() (unwrapped) without calling
//     fetch; the pager is unchanged.
//   - fetch fails: Next returns fetch's error as is (so errors.Is and
//     errors.As, including for context errors, see what fetch returned) and
//     the pager is unchanged: Cursor still names the page that failed, so
//     calling Next again retries it, and a new pager started from Cursor
//     resumes with nothing lost or repeated.
//   - A guard rejects the reply (see the package documentation): its next
//     cursor is rejected by Options.CheckNext ([ErrBadCursor]), equals the
//     cursor asked for ([ErrStalledCursor]), goes back ([ErrCursorCycle]),
//     or it is one empty page too many ([ErrNoProgress]). Next returns an
//     error wrapping that sentinel and naming the cursor asked for and the
//     reply's next cursor, and the pager fails for good: the reply's items
//     are neither returned nor counted, HasMore reports false, Cursor stays
//     at the cursor asked for (the page that produced the bad reply), and
//     every later Next (and All) returns that same error without fetching.
//   - Already finished (HasMore false after success): Next returns
//     (nil, [ErrNoMorePages]) without fetching.
//
// The guards apply to every reply that says HasMore, even one whose items
// reach Max: a reply the pager cannot follow is a bad reply.
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
	more := page.HasMore
	if more {
		follow, err := p.guard(page)
		if err != nil {
			p.err = err
			return nil, err
		}
		more = follow
	}
	items := page.Items
	if p.max > 0 && len(items) > p.max-p.fetched {
		n := p.max - p.fetched
		items = items[:n:n]
	}
	p.fetched += len(items)
	if more {
		if len(page.Items) == 0 {
			p.empty++
		} else {
			p.empty = 0
		}
		p.visit(page.Next)
	}
	if !more || (p.max > 0 && p.fetched >= p.max) {
		p.done = true
	}
	return items, nil
}

// guard runs the checks of the package documentation on a reply that says
// HasMore. It returns whether to follow page.Next (false: take the reply as
// the last page), or the error that rejects the reply. It changes nothing.
func (p *Pager[C, T]) guard(page Page[C, T]) (bool, error) {
	next := page.Next
	if p.checkNext != nil {
		follow, err := p.checkNext(next)
		if err != nil {
			return false, &guardError{
				msg:  fmt.Sprintf("%v: asked for cursor %v, reply says HasMore with next cursor %v: %v", ErrBadCursor, p.cursor, next, err),
				errs: []error{ErrBadCursor, err},
			}
		}
		if !follow {
			return false, nil
		}
	}
	if next == p.cursor {
		return false, &guardError{
			msg:  fmt.Sprintf("%v: asked for cursor %v, reply says HasMore with next cursor %v", ErrStalledCursor, p.cursor, next),
			errs: []error{ErrStalledCursor, ErrCursorCycle},
		}
	}
	if why := p.cycle(next); why != "" {
		return false, &guardError{
			msg:  fmt.Sprintf("%v: asked for cursor %v, reply says HasMore with next cursor %v, %s", ErrCursorCycle, p.cursor, next, why),
			errs: []error{ErrCursorCycle},
		}
	}
	if len(page.Items) == 0 && p.empty >= p.maxEmpty {
		return false, fmt.Errorf("%w: asked for cursor %v, reply says HasMore with next cursor %v and no items, the %d%s empty page in a row (at most %d are followed)",
			ErrNoProgress, p.cursor, next, p.empty+1, ordinal(p.empty+1), p.maxEmpty)
	}
	return true, nil
}

// cycle reports why next, which differs from the current cursor, may not
// follow it: a non-empty reason if it goes back.
func (p *Pager[C, T]) cycle(next C) string {
	if p.advances != nil {
		if !p.advances(p.cursor, next) {
			return "which does not advance past it"
		}
		return ""
	}
	if p.seen == nil {
		p.seen = make(map[C]int)
		p.remember(p.cursor)
	}
	if at, ok := p.seen[next]; ok {
		return fmt.Sprintf("already visited %d pages earlier", p.step+1-at)
	}
	if next == p.mark {
		return fmt.Sprintf("already visited %d pages earlier", p.step+1-p.markStep)
	}
	return ""
}

// visit moves the walk on to next, a cursor that passed the guards.
func (p *Pager[C, T]) visit(next C) {
	p.cursor = next
	p.step++
	if p.advances != nil {
		return
	}
	p.remember(next)
	if p.step-p.markStep >= p.markPower {
		p.mark, p.markStep = next, p.step
		if p.markPower < math.MaxInt/2 {
			p.markPower *= 2
		}
	}
}

// remember adds c, the cursor of the current step, to the recent cursors,
// forgetting the oldest one once there are recentCap of them.
func (p *Pager[C, T]) remember(c C) {
	if len(p.recent) < p.recentCap {
		p.recent = append(p.recent, c)
	} else {
		delete(p.seen, p.recent[p.recentOld])
		p.recent[p.recentOld] = c
		p.recentOld = (p.recentOld + 1) % p.recentCap
	}
	p.seen[c] = p.step
}

func ordinal(n int) string {
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// guardError is the error of a guard that must match more than one error
// (a sentinel and a hook's error, or two sentinels) without repeating their
// text.
type guardError struct {
	msg  string
	errs []error
}

func (e *guardError) Error() string   { return e.msg }
func (e *guardError) Unwrap() []error { return e.errs }

// HasMore reports whether Next may return more items: it is true until a
// reply says there is no more, Options.Max items have been returned, or the
// pager has failed for good on a bad reply (a guard: see Next). A fetch
// error or a cancelled context does not change it.
func (p *Pager[C, T]) HasMore() bool {
	return !p.done && p.err == nil
}

// Cursor returns the cursor to resume from: where the next call to Next
// would start. After each successful Next it names the first item not yet
// returned, and after a failed Next it still names the page that failed
// (for a reply rejected by a guard, the page that produced it).
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
// it is what counts toward Options.Max. Items of a failed call or of a
// reply rejected by a guard are not counted.
func (p *Pager[C, T]) Fetched() int {
	return p.fetched
}

// All returns an iterator over the remaining items, one at a time, built on
// Next: each item is yielded with a nil error.
//
//   - An error (from fetch, a guard such as a stalled or cycling cursor or
//     a run of empty pages, or ctx) is yielded exactly once, with the zero
//     T, and ends the iteration. Items yielded before it are not repeated by
//     a pager resumed from [Pager.Cursor], since Cursor still names the page
//     that failed. A guard's rejected reply yields none of its items.
//   - Stopping the range loop (break, return) stops at once: no further
//     fetch is made.
//   - A ctx that is done stops at once too: before the next fetch, and
//     also between the items of a page already fetched; ctx.Err() is
//     yielded.
//   - With Options.Max, iteration stops after exactly Max items.
//   - A finished pager yields nothing; a pager that failed for good on a
//     guard yields that error once.
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
