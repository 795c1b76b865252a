package pagination

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// fake is an in-memory cursor-paged API over the items 0..n-1, with
// cursor = index of the first item of a page. It records every call.
type fake struct {
	items []int

	limits  []int   // limit of each call, in order
	cursors []int64 // cursor of each call, in order

	failAt   int   // 1-based call number that fails (0: never)
	failErr  error // error of the failing call
	extra    int   // items returned beyond limit (server bug)
	stallAt  int64 // cursor at which the reply stalls (-1: never)
	t        testing.TB
	maxCalls int // guard against endless loops in a broken pager
}

func newFake(t testing.TB, n int) *fake {
	items := make([]int, n)
	for i := range items {
		items[i] = i
	}
	return &fake{items: items, stallAt: -1, t: t, maxCalls: 10*n + 10}
}

func (f *fake) calls() int { return len(f.limits) }

func (f *fake) fetch(ctx context.Context, cursor int64, limit int) (Page[int64, int], error) {
	f.limits = append(f.limits, limit)
	f.cursors = append(f.cursors, cursor)
	if f.calls() > f.maxCalls {
		f.t.Fatalf("fetch called %d times: endless loop?", f.calls())
	}
	if limit < 1 {
		f.t.Fatalf("fetch called with limit %d", limit)
	}
	if err := ctx.Err(); err != nil {
		return Page[int64, int]{}, fmt.Errorf("fake fetch: %w", err)
	}
	if f.calls() == f.failAt {
		return Page[int64, int]{}, f.failErr
	}
	if cursor < 0 || cursor > int64(len(f.items)) {
		f.t.Fatalf("fetch called with cursor %d out of range [0, %d]", cursor, len(f.items))
	}
	end := min(int(cursor)+limit+f.extra, len(f.items))
	page := Page[int64, int]{
		Items:   f.items[cursor:end],
		HasMore: end < len(f.items),
		Next:    int64(end),
	}
	if cursor == f.stallAt {
		page.HasMore, page.Next = true, cursor
	}
	return page, nil
}

func mustNew[C comparable, T any](t testing.TB, fetch FetchFunc[C, T], opts Options[C]) *Pager[C, T] {
	t.Helper()
	p, err := New(fetch, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

func seq(from, to int) []int {
	s := []int{}
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

// wantLimits simulates the limits a correct pager asks the fake for.
func wantLimits(n, pageSize, max int) []int {
	var limits []int
	cur, fetched := 0, 0
	for {
		limit := pageSize
		if max > 0 {
			limit = min(limit, max-fetched)
		}
		limits = append(limits, limit)
		got := min(limit, n-cur)
		cur += got
		fetched += got
		if cur >= n || (max > 0 && fetched >= max) {
			return limits
		}
	}
}

func TestPagerForward(t *testing.T) {
	t.Parallel()
	type tc struct {
		name          string
		n, size, max  int
		useAll        bool
		wantLimitsFix []int // checked in addition to the simulation when set
	}
	var cases []tc
	for _, n := range []int{0, 1, 19, 20, 21, 1000} {
		for _, size := range []int{1, 7, 20} {
			maxes := []int{0, n + 13} // no limit, above the total
			if n > 0 {
				maxes = append(maxes, n) // equal to the total
			}
			if n > 1 {
				maxes = append(maxes, n-1, n/2+1) // below the total
			}
			if n >= 50 {
				maxes = append(maxes, 50)
			}
			for _, max := range maxes {
				for _, useAll := range []bool{false, true} {
					cases = append(cases, tc{
						name: fmt.Sprintf("n=%d/size=%d/max=%d/all=%v", n, size, max, useAll),
						n:    n, size: size, max: max, useAll: useAll,
					})
				}
			}
		}
	}
	cases = append(cases,
		tc{name: "max50-size20-limits", n: 1000, size: 20, max: 50, wantLimitsFix: []int{20, 20, 10}},
		tc{name: "max50-size20-limits-all", n: 1000, size: 20, max: 50, useAll: true, wantLimitsFix: []int{20, 20, 10}},
		tc{name: "max45-size7-limits", n: 100, size: 7, max: 45, wantLimitsFix: []int{7, 7, 7, 7, 7, 7, 3}},
		tc{name: "total-not-multiple", n: 21, size: 20, wantLimitsFix: []int{20, 20}},
		tc{name: "empty", n: 0, size: 20, wantLimitsFix: []int{20}},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, c.n)
			p := mustNew(t, f.fetch, Options[int64]{PageSize: c.size, Max: c.max})
			var got []int
			if c.useAll {
				for v, err := range p.All(context.Background()) {
					if err != nil {
						t.Fatalf("All: %v", err)
					}
					got = append(got, v)
				}
			} else {
				for p.HasMore() {
					items, err := p.Next(context.Background())
					if err != nil {
						t.Fatalf("Next: %v", err)
					}
					got = append(got, items...)
				}
			}
			want := c.n
			if c.max > 0 {
				want = min(c.n, c.max)
			}
			if !slices.Equal(got, f.items[:want]) {
				t.Fatalf("items = %v, want 0..%d", got, want-1)
			}
			if p.Fetched() != want {
				t.Errorf("Fetched = %d, want %d", p.Fetched(), want)
			}
			if p.HasMore() {
				t.Errorf("HasMore = true after the end")
			}
			if wl := wantLimits(c.n, c.size, c.max); !slices.Equal(f.limits, wl) {
				t.Errorf("limits = %v, want %v", f.limits, wl)
			}
			if c.wantLimitsFix != nil && !slices.Equal(f.limits, c.wantLimitsFix) {
				t.Errorf("limits = %v, want %v", f.limits, c.wantLimitsFix)
			}
			// Calls after the end fetch nothing.
			calls := f.calls()
			if items, err := p.Next(context.Background()); !errors.Is(err, ErrNoMorePages) || items != nil {
				t.Errorf("Next after end = %v, %v; want nil, ErrNoMorePages", items, err)
			}
			for range p.All(context.Background()) {
				t.Errorf("All after end yielded")
			}
			if f.calls() != calls {
				t.Errorf("fetch called after the end")
			}
			// Stopped by Max with more to read: Cursor resumes exactly.
			if c.max > 0 && c.max < c.n {
				if p.Cursor() != int64(c.max) {
					t.Errorf("Cursor = %d, want %d", p.Cursor(), c.max)
				}
				f2 := newFake(t, c.n)
				p2 := mustNew(t, f2.fetch, Options[int64]{Start: p.Cursor(), PageSize: c.size})
				rest := collect(t, p2.All(context.Background()))
				if !slices.Equal(append(got, rest...), f.items) {
					t.Errorf("resumed concatenation is not 0..%d exactly once", c.n-1)
				}
			}
		})
	}
}

func collect(t *testing.T, s func(func(int, error) bool)) []int {
	t.Helper()
	var got []int
	for v, err := range s {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		got = append(got, v)
	}
	return got
}

func TestCursorAfterEachPage(t *testing.T) {
	t.Parallel()
	f := newFake(t, 45)
	p := mustNew(t, f.fetch, Options[int64]{Start: 3, PageSize: 20})
	for _, want := range []int64{23, 43} {
		if _, err := p.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
		if p.Cursor() != want {
			t.Fatalf("Cursor = %d, want %d", p.Cursor(), want)
		}
	}
	items, err := p.Next(context.Background())
	if err != nil || !slices.Equal(items, []int{43, 44}) {
		t.Fatalf("last page = %v, %v", items, err)
	}
	// The last reply's Next is not meaningful: Cursor stays at the last page.
	if p.Cursor() != 43 || p.HasMore() {
		t.Fatalf("after end: Cursor = %d, HasMore = %v; want 43, false", p.Cursor(), p.HasMore())
	}
	if !slices.Equal(f.cursors, []int64{3, 23, 43}) {
		t.Fatalf("cursors = %v", f.cursors)
	}
}

func TestBreakMakesOneFetch(t *testing.T) {
	t.Parallel()
	for _, size := range []int{1, 7, 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			f := newFake(t, 1000)
			p := mustNew(t, f.fetch, Options[int64]{PageSize: size})
			n := 0
			for v, err := range p.All(context.Background()) {
				if err != nil || v != 0 {
					t.Fatalf("first = %v, %v", v, err)
				}
				n++
				break
			}
			if n != 1 || f.calls() != 1 {
				t.Fatalf("yielded %d, fetched %d times; want 1, 1", n, f.calls())
			}
			// Page-granular: Cursor is at the next page.
			if p.Cursor() != int64(size) || p.Fetched() != size {
				t.Fatalf("Cursor = %d, Fetched = %d; want %d, %d", p.Cursor(), p.Fetched(), size, size)
			}
			// A second All continues from Cursor.
			var next int
			for v, err := range p.All(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				next = v
				break
			}
			if next != size {
				t.Fatalf("second All starts at %d, want %d", next, size)
			}
		})
	}
}

type codeError struct{ code int }

func (e *codeError) Error() string { return fmt.Sprintf("code %d", e.code) }

func TestErrorOnPage3ThenResume(t *testing.T) {
	t.Parallel()
	for _, size := range []int{1, 7, 20} {
		for _, n := range []int{2*size + 1, 1000} {
			t.Run(fmt.Sprintf("size=%d/n=%d", size, n), func(t *testing.T) {
				t.Parallel()
				boom := &codeError{503}
				f := newFake(t, n)
				f.failAt, f.failErr = 3, fmt.Errorf("get page: %w", boom)
				p := mustNew(t, f.fetch, Options[int64]{PageSize: size})

				var got []int
				var errs []error
				for v, err := range p.All(context.Background()) {
					if err != nil {
						if v != 0 {
							t.Errorf("item with error = %d, want zero", v)
						}
						errs = append(errs, err)
						continue // the iterator must end by itself
					}
					got = append(got, v)
				}
				if len(errs) != 1 {
					t.Fatalf("errors yielded = %v, want exactly one", errs)
				}
				var ce *codeError
				if !errors.As(errs[0], &ce) || ce.code != 503 {
					t.Fatalf("error = %v, want *codeError 503", errs[0])
				}
				if !slices.Equal(got, seq(0, 2*size)) {
					t.Fatalf("before error: %v, want first two pages", got)
				}
				if p.Cursor() != int64(2*size) || !p.HasMore() || p.Fetched() != 2*size {
					t.Fatalf("after error: Cursor %d HasMore %v Fetched %d", p.Cursor(), p.HasMore(), p.Fetched())
				}

				// Resume with a new pager from the saved cursor.
				f2 := newFake(t, n)
				p2 := mustNew(t, f2.fetch, Options[int64]{Start: p.Cursor(), PageSize: size})
				got = append(got, collect(t, p2.All(context.Background()))...)
				if !slices.Equal(got, f.items) {
					t.Fatalf("concatenation is not 0..%d exactly once: %v", n-1, got)
				}
			})
		}
	}
}

func TestNextErrorLeavesStateForRetry(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	f := newFake(t, 50)
	f.failAt, f.failErr = 2, boom
	p := mustNew(t, f.fetch, Options[int64]{PageSize: 20})
	if _, err := p.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	items, err := p.Next(context.Background())
	if err != boom || items != nil {
		t.Fatalf("Next = %v, %v; want nil, boom as is", items, err)
	}
	if p.Cursor() != 20 || p.Fetched() != 20 || !p.HasMore() {
		t.Fatalf("state changed: Cursor %d Fetched %d HasMore %v", p.Cursor(), p.Fetched(), p.HasMore())
	}
	// Retrying on the same pager reads the failed page.
	items, err = p.Next(context.Background())
	if err != nil || !slices.Equal(items, seq(20, 40)) {
		t.Fatalf("retry = %v, %v", items, err)
	}
	if !slices.Equal(f.cursors, []int64{0, 20, 20}) {
		t.Fatalf("cursors = %v", f.cursors)
	}
}

func TestStalledCursor(t *testing.T) {
	t.Parallel()
	f := newFake(t, 1000)
	f.stallAt = 40
	p := mustNew(t, f.fetch, Options[int64]{PageSize: 20})

	var got []int
	var errs []error
	for v, err := range p.All(context.Background()) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, v)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrStalledCursor) {
		t.Fatalf("errors = %v, want one ErrStalledCursor", errs)
	}
	if msg := errs[0].Error(); strings.Count(msg, "40") != 2 {
		t.Errorf("message %q should name both cursors", msg)
	}
	if !slices.Equal(got, seq(0, 40)) {
		t.Fatalf("items = %v, want 0..39", got)
	}
	if f.calls() != 3 {
		t.Fatalf("fetch calls = %d, want 3", f.calls())
	}
	if p.HasMore() || p.Cursor() != 40 || p.Fetched() != 40 {
		t.Fatalf("after stall: HasMore %v Cursor %d Fetched %d", p.HasMore(), p.Cursor(), p.Fetched())
	}
	// The failure is sticky and fetches nothing more.
	if _, err := p.Next(context.Background()); err != errs[0] {
		t.Fatalf("Next after stall = %v, want the same error", err)
	}
	n := 0
	for _, err := range p.All(context.Background()) {
		if !errors.Is(err, ErrStalledCursor) {
			t.Fatalf("All after stall yielded %v", err)
		}
		n++
	}
	if n != 1 || f.calls() != 3 {
		t.Fatalf("All after stall: %d yields, %d calls; want 1, 3", n, f.calls())
	}
}

func TestStalledCursorOnFirstPageWithNext(t *testing.T) {
	t.Parallel()
	f := newFake(t, 10)
	f.stallAt = 5
	p := mustNew(t, f.fetch, Options[int64]{Start: 5, PageSize: 3})
	items, err := p.Next(context.Background())
	if !errors.Is(err, ErrStalledCursor) || items != nil {
		t.Fatalf("Next = %v, %v", items, err)
	}
	if p.Fetched() != 0 {
		t.Fatalf("stalled reply's items were counted")
	}
}

func TestCancelledContext(t *testing.T) {
	t.Parallel()

	t.Run("before/Next", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, 100)
		p := mustNew(t, f.fetch, Options[int64]{PageSize: 20})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := p.Next(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Next = %v, want context.Canceled", err)
		}
		if f.calls() != 0 || !p.HasMore() || p.Cursor() != 0 {
			t.Fatalf("calls %d HasMore %v Cursor %d", f.calls(), p.HasMore(), p.Cursor())
		}
	})

	t.Run("before/All", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, 100)
		p := mustNew(t, f.fetch, Options[int64]{PageSize: 20})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		n := 0
		for v, err := range p.All(ctx) {
			n++
			if v != 0 || !errors.Is(err, context.Canceled) {
				t.Fatalf("yield = %v, %v", v, err)
			}
		}
		if n != 1 || f.calls() != 0 {
			t.Fatalf("yields %d, calls %d; want 1, 0", n, f.calls())
		}
	})

	t.Run("during/All", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, 100)
		p := mustNew(t, f.fetch, Options[int64]{PageSize: 20})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var got []int
		var errs []error
		for v, err := range p.All(ctx) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, v)
			if v == 4 {
				cancel()
			}
		}
		if !slices.Equal(got, seq(0, 5)) {
			t.Fatalf("items = %v, want 0..4", got)
		}
		if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
			t.Fatalf("errors = %v", errs)
		}
		if f.calls() != 1 {
			t.Fatalf("calls = %d, want 1", f.calls())
		}
	})

	t.Run("during/Next", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, 100)
		p := mustNew(t, f.fetch, Options[int64]{PageSize: 20})
		ctx, cancel := context.WithCancel(context.Background())
		if _, err := p.Next(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		if _, err := p.Next(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Next = %v", err)
		}
		if f.calls() != 1 || p.Cursor() != 20 {
			t.Fatalf("calls %d Cursor %d", f.calls(), p.Cursor())
		}
	})

	t.Run("inside fetch", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		calls := 0
		fetch := func(ctx context.Context, cursor int64, limit int) (Page[int64, int], error) {
			calls++
			if calls == 2 {
				cancel()
				return Page[int64, int]{}, fmt.Errorf("send: %w", ctx.Err())
			}
			return Page[int64, int]{Items: []int{int(cursor)}, HasMore: true, Next: cursor + 1}, nil
		}
		p := mustNew(t, fetch, Options[int64]{PageSize: 1})
		var got []int
		var errs []error
		for v, err := range p.All(ctx) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, v)
		}
		if !slices.Equal(got, []int{0}) || len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
			t.Fatalf("got %v, errs %v", got, errs)
		}
		if calls != 2 || p.Cursor() != 1 {
			t.Fatalf("calls %d Cursor %d", calls, p.Cursor())
		}
	})

	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		f := newFake(t, 100)
		p := mustNew(t, f.fetch, Options[int64]{PageSize: 20})
		ctx, cancel := context.WithDeadline(context.Background(), time0)
		defer cancel()
		if _, err := p.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Next = %v", err)
		}
	})
}

func TestOverDelivery(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		n, size, max   int
		extra          int
		wantN          int
		wantLimits     []int
		wantMoreCursor int64 // Cursor after the end
	}{
		{"max cuts last page", 1000, 20, 50, 5, 50, []int{20, 20}, 50},
		{"max cuts first page", 1000, 20, 10, 5, 10, []int{10}, 15},
		{"no max passes through", 60, 20, 0, 5, 60, []int{20, 20, 20}, 50},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, useAll := range []bool{false, true} {
				f := newFake(t, c.n)
				f.extra = c.extra
				p := mustNew(t, f.fetch, Options[int64]{PageSize: c.size, Max: c.max})
				var got []int
				if useAll {
					got = collect(t, p.All(context.Background()))
				} else {
					for p.HasMore() {
						items, err := p.Next(context.Background())
						if err != nil {
							t.Fatal(err)
						}
						got = append(got, items...)
					}
				}
				if !slices.Equal(got, seq(0, c.wantN)) || p.Fetched() != c.wantN {
					t.Fatalf("all=%v: got %d items (%v), Fetched %d; want %d", useAll, len(got), got, p.Fetched(), c.wantN)
				}
				if !slices.Equal(f.limits, c.wantLimits) {
					t.Fatalf("limits = %v, want %v", f.limits, c.wantLimits)
				}
				if p.Cursor() != c.wantMoreCursor {
					t.Fatalf("Cursor = %d, want %d", p.Cursor(), c.wantMoreCursor)
				}
			}
		})
	}
}

func TestEmptyPagesAreFollowed(t *testing.T) {
	t.Parallel()
	script := map[string]Page[string, string]{
		"":  {HasMore: true, Next: "a"},
		"a": {Items: []string{"x", "y"}, HasMore: true, Next: "b"},
		"b": {HasMore: true, Next: "c"},
		"c": {Items: []string{}, HasMore: true, Next: "d"},
		"d": {Items: []string{"z"}, HasMore: true, Next: "e"},
		"e": {HasMore: false, Next: "ignored"},
	}
	for _, useAll := range []bool{false, true} {
		var cursors []string
		fetch := func(ctx context.Context, cursor string, limit int) (Page[string, string], error) {
			cursors = append(cursors, cursor)
			return script[cursor], nil
		}
		p := mustNew(t, fetch, Options[string]{PageSize: 5})
		var got []string
		if useAll {
			for v, err := range p.All(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, v)
			}
		} else {
			for p.HasMore() {
				items, err := p.Next(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, items...)
			}
		}
		if !slices.Equal(got, []string{"x", "y", "z"}) {
			t.Fatalf("all=%v: got %v", useAll, got)
		}
		if !slices.Equal(cursors, []string{"", "a", "b", "c", "d", "e"}) {
			t.Fatalf("cursors = %q", cursors)
		}
		if p.Cursor() != "e" {
			t.Fatalf("Cursor = %q, want the last page's cursor %q", p.Cursor(), "e")
		}
	}
}

func TestInvalidOptions(t *testing.T) {
	t.Parallel()
	f := newFake(t, 1)
	cases := []struct {
		name  string
		fetch FetchFunc[int64, int]
		opts  Options[int64]
	}{
		{"nil fetch", nil, Options[int64]{PageSize: 20}},
		{"zero page size", f.fetch, Options[int64]{}},
		{"negative page size", f.fetch, Options[int64]{PageSize: -1}},
		{"negative max", f.fetch, Options[int64]{PageSize: 20, Max: -1}},
		{"negative max empty pages", f.fetch, Options[int64]{PageSize: 20, MaxEmptyPages: -1}},
		{"negative recent cursors", f.fetch, Options[int64]{PageSize: 20, RecentCursors: -1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p, err := New(c.fetch, c.opts)
			if !errors.Is(err, ErrInvalidOptions) || p != nil {
				t.Fatalf("New = %v, %v; want nil, ErrInvalidOptions", p, err)
			}
		})
	}
	if _, err := New(f.fetch, Options[int64]{PageSize: 1, Max: 0}); err != nil {
		t.Fatalf("valid options rejected: %v", err)
	}
	if f.calls() != 0 {
		t.Fatalf("New called fetch")
	}
}

// BenchmarkAll walks a million items in pages of 20 over an in-memory fetch,
// so that the engine's own cost per item shows: with the cursors' order
// (Advances, O(1) memory) and without it (the remembered recent cursors).
func BenchmarkAll(b *testing.B) {
	const n = 1_000_000
	items := make([]int, n)
	for i := range items {
		items[i] = i
	}
	fetch := func(_ context.Context, cursor int64, limit int) (Page[int64, int], error) {
		end := min(int(cursor)+limit, n)
		return Page[int64, int]{Items: items[cursor:end], HasMore: end < n, Next: int64(end)}, nil
	}
	for _, bc := range []struct {
		name string
		opts Options[int64]
	}{
		{"advances", Options[int64]{PageSize: 20, Advances: Increasing[int64]}},
		{"recent", Options[int64]{PageSize: 20}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				p, err := New(fetch, bc.opts)
				if err != nil {
					b.Fatal(err)
				}
				sum := 0
				for v, err := range p.All(ctx) {
					if err != nil {
						b.Fatal(err)
					}
					sum += v
				}
				if sum != n*(n-1)/2 {
					b.Fatalf("sum = %d", sum)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/item")
		})
	}
}

var time0 = time.Unix(0, 0)

// graph is a fake API whose pages are the nodes of a successor function:
// the page at cursor c holds the one item c (none when empty(c)) and says
// HasMore with Next next(c). After bound calls it says HasMore false, so
// that a pager without guards ends (and its test fails) instead of hanging.
type graph struct {
	next  func(int64) int64
	empty func(int64) bool
	bound int
	calls []int64
}

func (g *graph) fetch(ctx context.Context, cursor int64, limit int) (Page[int64, int64], error) {
	g.calls = append(g.calls, cursor)
	page := Page[int64, int64]{Items: []int64{cursor}, HasMore: len(g.calls) < g.bound, Next: g.next(cursor)}
	if g.empty != nil && g.empty(cursor) {
		page.Items = nil
	}
	return page, nil
}

// chain maps each cursor of path to the one after it: chain(10, 20, 10)
// walks 10, 20, 10 … Cursors not on the path go to -1.
func chain(path ...int64) func(int64) int64 {
	return func(c int64) int64 {
		for i, p := range path[:len(path)-1] {
			if p == c {
				return path[i+1]
			}
		}
		return -1
	}
}

// ring walks 0, 1, …, tail-1 then cycles over tail, …, tail+n-1.
func ring(tail, n int64) func(int64) int64 {
	return func(c int64) int64 {
		if c+1 < tail {
			return c + 1
		}
		return tail + (c+1-tail)%n
	}
}

func upTo(from, to int64) []int64 {
	var s []int64
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

func TestGuards(t *testing.T) {
	t.Parallel()
	plus1 := func(c int64) int64 { return c + 1 }
	always := func(int64) bool { return true }
	cases := []struct {
		name  string
		start int64
		next  func(int64) int64
		empty func(int64) bool
		opts  Options[int64] // Start and PageSize are set by the test

		want, notWant error   // the sentinel the error wraps, and one it must not
		calls         int     // exact number of fetches
		maxCalls      int     // instead of calls: an upper bound (long cycles)
		items         []int64 // exactly the items returned (when calls is set)
		cursor        int64   // Cursor after the failure (when calls is set)
	}{
		// Cycles, with and without the cursors' order.
		{name: "ABA/ordered", start: 10, next: chain(10, 20, 10), opts: Options[int64]{Advances: Increasing[int64]},
			want: ErrCursorCycle, notWant: ErrStalledCursor, calls: 2, items: []int64{10}, cursor: 20},
		{name: "ABA/recent", start: 10, next: chain(10, 20, 10),
			want: ErrCursorCycle, notWant: ErrStalledCursor, calls: 2, items: []int64{10}, cursor: 20},
		{name: "ABCA/ordered", start: 10, next: chain(10, 20, 30, 10), opts: Options[int64]{Advances: Increasing[int64]},
			want: ErrCursorCycle, calls: 3, items: []int64{10, 20}, cursor: 30},
		{name: "ABCA/recent", start: 10, next: chain(10, 20, 30, 10),
			want: ErrCursorCycle, calls: 3, items: []int64{10, 20}, cursor: 30},
		{name: "ABCB/recent", start: 10, next: chain(10, 20, 30, 20),
			want: ErrCursorCycle, calls: 3, items: []int64{10, 20}, cursor: 30},
		{name: "cycle500/ordered", next: ring(0, 500), opts: Options[int64]{Advances: Increasing[int64]},
			want: ErrCursorCycle, calls: 500, items: upTo(0, 499), cursor: 499},
		{name: "cycle500/recent", next: ring(0, 500),
			want: ErrCursorCycle, calls: 500, items: upTo(0, 499), cursor: 499},
		{name: "tail7-cycle500/recent", next: ring(7, 500),
			want: ErrCursorCycle, calls: 507, items: upTo(0, 506), cursor: 506},
		{name: "cycle=window", next: ring(3, 8), opts: Options[int64]{RecentCursors: 8},
			want: ErrCursorCycle, calls: 11, items: upTo(0, 10), cursor: 10},
		// Longer than the remembered cursors: Brent's checkpoint ends it.
		{name: "cycle>window", next: ring(3, 9), opts: Options[int64]{RecentCursors: 8},
			want: ErrCursorCycle, maxCalls: 4 * (3 + 9)},
		{name: "cycle3000>default", next: ring(100, 3000),
			want: ErrCursorCycle, maxCalls: 4 * (100 + 3000)},
		{name: "cycle2>window1", next: ring(0, 2), opts: Options[int64]{RecentCursors: 1},
			want: ErrCursorCycle, maxCalls: 8},
		// A backward step to a cursor never visited: only the order sees it.
		{name: "backward/ordered", start: 10, next: chain(10, 20, 30, 15, 16, 17), opts: Options[int64]{Advances: Increasing[int64]},
			want: ErrCursorCycle, calls: 3, items: []int64{10, 20}, cursor: 30},
		{name: "backward/decreasing", start: 100, next: chain(100, 90, 80, 95), opts: Options[int64]{Advances: Decreasing[int64]},
			want: ErrCursorCycle, calls: 3, items: []int64{100, 90}, cursor: 80},
		// The shortest cycle: a stall matches both sentinels.
		{name: "stall/ordered", start: 10, next: chain(10, 20, 20), opts: Options[int64]{Advances: Increasing[int64]},
			want: ErrStalledCursor, calls: 2, items: []int64{10}, cursor: 20},
		{name: "stall/recent", start: 10, next: chain(10, 20, 20),
			want: ErrStalledCursor, calls: 2, items: []int64{10}, cursor: 20},
		{name: "stall is a cycle", start: 10, next: chain(10, 20, 20),
			want: ErrCursorCycle, calls: 2, items: []int64{10}, cursor: 20},
		// Empty pages that say HasMore forever, with and without Max.
		{name: "empty/default", next: plus1, empty: always,
			want: ErrNoProgress, calls: DefaultMaxEmptyPages + 1, items: nil, cursor: DefaultMaxEmptyPages},
		{name: "empty/max", next: plus1, empty: always, opts: Options[int64]{Max: 5},
			want: ErrNoProgress, calls: DefaultMaxEmptyPages + 1, items: nil, cursor: DefaultMaxEmptyPages},
		{name: "empty/ordered", next: plus1, empty: always, opts: Options[int64]{Advances: Increasing[int64], Max: 1},
			want: ErrNoProgress, calls: DefaultMaxEmptyPages + 1, items: nil, cursor: DefaultMaxEmptyPages},
		{name: "empty/3", next: plus1, empty: always, opts: Options[int64]{MaxEmptyPages: 3},
			want: ErrNoProgress, calls: 4, items: nil, cursor: 3},
		{name: "empty/1", next: plus1, empty: always, opts: Options[int64]{MaxEmptyPages: 1},
			want: ErrNoProgress, calls: 2, items: nil, cursor: 1},
		{name: "empty after items", next: plus1, empty: func(c int64) bool { return c >= 4 }, opts: Options[int64]{MaxEmptyPages: 2, Max: 100},
			want: ErrNoProgress, calls: 7, items: upTo(0, 4), cursor: 6},
		// A page with items ends a run: runs of 3 empty pages pass
		// MaxEmptyPages 3, not 2.
		{name: "runs/2", next: plus1, empty: func(c int64) bool { return c%4 != 0 }, opts: Options[int64]{MaxEmptyPages: 2},
			want: ErrNoProgress, calls: 4, items: []int64{0}, cursor: 3},
	}
	for _, c := range cases {
		for _, useAll := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/all=%v", c.name, useAll), func(t *testing.T) {
				t.Parallel()
				g := &graph{next: c.next, empty: c.empty, bound: 100_000}
				opts := c.opts
				opts.Start, opts.PageSize = c.start, 20
				p := mustNew(t, g.fetch, opts)
				var got []int64
				var errs []error
				if useAll {
					for v, err := range p.All(context.Background()) {
						if err != nil {
							errs = append(errs, err)
							continue // the iterator must end by itself
						}
						got = append(got, v)
					}
				} else {
					for p.HasMore() {
						items, err := p.Next(context.Background())
						if err != nil {
							if items != nil {
								t.Errorf("Next returned items %v with its error", items)
							}
							errs = append(errs, err)
							break
						}
						got = append(got, items...)
					}
				}
				if len(errs) != 1 || !errors.Is(errs[0], c.want) {
					t.Fatalf("after %d calls: errors %v, want one wrapping %v", len(g.calls), errs, c.want)
				}
				err := errs[0]
				if c.notWant != nil && errors.Is(err, c.notWant) {
					t.Errorf("error %v also wraps %v", err, c.notWant)
				}
				seen := map[int64]bool{}
				for _, v := range got {
					if seen[v] && c.maxCalls == 0 {
						t.Fatalf("page %d returned twice: %v", v, got)
					}
					seen[v] = true
				}
				if c.maxCalls > 0 {
					if len(g.calls) > c.maxCalls {
						t.Errorf("%d calls, want at most %d", len(g.calls), c.maxCalls)
					}
				} else {
					if len(g.calls) != c.calls {
						t.Errorf("%d calls, want %d", len(g.calls), c.calls)
					}
					if !slices.Equal(got, c.items) {
						t.Errorf("items %v, want %v", got, c.items)
					}
					if p.Cursor() != c.cursor {
						t.Errorf("Cursor = %d, want %d (the page that produced the bad reply)", p.Cursor(), c.cursor)
					}
				}
				// The error names the cursor asked for and the reply's next.
				asked := g.calls[len(g.calls)-1]
				if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("cursor %d,", asked)) ||
					!strings.Contains(msg, fmt.Sprintf("next cursor %d", c.next(asked))) {
					t.Errorf("message %q should name cursors %d and %d", msg, asked, c.next(asked))
				}
				if p.Cursor() != asked {
					t.Errorf("Cursor = %d, want %d, the cursor of the rejected reply", p.Cursor(), asked)
				}
				if p.HasMore() || p.Fetched() != len(got) {
					t.Errorf("HasMore %v Fetched %d; want false, %d", p.HasMore(), p.Fetched(), len(got))
				}
				// Sticky: the same error, and no more fetches.
				calls := len(g.calls)
				if items, err2 := p.Next(context.Background()); err2 != err || items != nil {
					t.Errorf("Next after failure = %v, %v; want nil and the same error", items, err2)
				}
				n := 0
				for v, err2 := range p.All(context.Background()) {
					n++
					if v != 0 || err2 != err {
						t.Errorf("All after failure yielded %v, %v", v, err2)
					}
				}
				if n != 1 || len(g.calls) != calls {
					t.Errorf("All after failure: %d yields, %d more calls; want 1, 0", n, len(g.calls)-calls)
				}
			})
		}
	}
}

// TestEmptyRunsReset: a page with items ends a run of empty pages, so runs
// of MaxEmptyPages empty pages never fail, however many of them.
func TestEmptyRunsReset(t *testing.T) {
	t.Parallel()
	for _, maxEmpty := range []int{0, 1, 3} {
		run := cmp.Or(maxEmpty, DefaultMaxEmptyPages)
		t.Run(fmt.Sprint(maxEmpty), func(t *testing.T) {
			t.Parallel()
			const pages = 200
			g := &graph{
				next:  func(c int64) int64 { return c + 1 },
				empty: func(c int64) bool { return c%int64(run+1) != 0 },
				bound: pages,
			}
			p := mustNew(t, g.fetch, Options[int64]{PageSize: 20, MaxEmptyPages: maxEmpty, Max: pages})
			var got []int64
			for v, err := range p.All(context.Background()) {
				if err != nil {
					t.Fatalf("after %d calls: %v", len(g.calls), err)
				}
				got = append(got, v)
			}
			if len(g.calls) != pages || len(got) != (pages+run)/(run+1) {
				t.Fatalf("%d calls, %d items", len(g.calls), len(got))
			}
		})
	}
}

// TestRecentCursorsUnordered: string cursors, whose order means nothing, are
// guarded by the remembered cursors alone.
func TestRecentCursorsUnordered(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		path   string // each letter a cursor; the walk starts at the first
		recent int
		want   error
		items  string
	}{
		{"ABA", "aba", 0, ErrCursorCycle, "a"},
		{"ABCA", "abca", 0, ErrCursorCycle, "ab"},
		{"ABB", "abb", 0, ErrStalledCursor, "a"},
		{"ABCDEFC", "abcdefc", 0, ErrCursorCycle, "abcde"},
		{"window 4 holds the cycle", "abcdefc", 4, ErrCursorCycle, "abcde"},
		{"window 3 misses it, Brent does not", "abcdefc", 3, ErrCursorCycle, ""},
		{"no cycle", "abcdefghij", 2, nil, "abcdefghij"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Each cursor goes to the letter after its first occurrence.
			next := map[string]string{}
			for i := 0; i+1 < len(c.path); i++ {
				if _, ok := next[c.path[i:i+1]]; !ok {
					next[c.path[i:i+1]] = c.path[i+1 : i+2]
				}
			}
			calls := 0
			fetch := func(ctx context.Context, cursor string, limit int) (Page[string, string], error) {
				calls++
				n, ok := next[cursor]
				return Page[string, string]{Items: []string{cursor}, HasMore: ok && calls < 1000, Next: n}, nil
			}
			p := mustNew(t, fetch, Options[string]{Start: c.path[:1], PageSize: 5, RecentCursors: c.recent})
			var got []string
			var err error
			for v, e := range p.All(context.Background()) {
				if e != nil {
					err = e
					break
				}
				got = append(got, v)
			}
			if c.want == nil {
				if err != nil || strings.Join(got, "") != c.items {
					t.Fatalf("got %v, %v; want %q", got, err, c.items)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("after %d calls: err = %v, want %v", calls, err, c.want)
			}
			if calls > 100 {
				t.Fatalf("%d calls before the cycle was caught", calls)
			}
			if c.items != "" && strings.Join(got, "") != c.items {
				t.Fatalf("items %v, want %q (no page twice)", got, c.items)
			}
		})
	}
}

func TestCheckNext(t *testing.T) {
	t.Parallel()
	errNegative := errors.New("negative cursor")
	reject := func(next int64) (bool, error) {
		if next < 0 {
			return false, fmt.Errorf("server: %w", errNegative)
		}
		return true, nil
	}
	endOnNegative := func(next int64) (bool, error) { return next >= 0, nil }
	// Pages 0, 10, 20 with one item each; page 20 says HasMore with next -1.
	next := chain(0, 10, 20, -1)

	t.Run("reject", func(t *testing.T) {
		t.Parallel()
		g := &graph{next: next, bound: 100}
		p := mustNew(t, g.fetch, Options[int64]{PageSize: 20, CheckNext: reject, Advances: Increasing[int64]})
		var got []int64
		var err error
		for v, e := range p.All(context.Background()) {
			if e != nil {
				err = e
				continue
			}
			got = append(got, v)
		}
		if !errors.Is(err, ErrBadCursor) || !errors.Is(err, errNegative) || errors.Is(err, ErrCursorCycle) {
			t.Fatalf("err = %v, want ErrBadCursor and the hook's error", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "cursor 20,") || !strings.Contains(msg, "next cursor -1") || !strings.Contains(msg, "server: negative cursor") {
			t.Errorf("message %q should name both cursors and the hook's error", msg)
		}
		if !slices.Equal(got, []int64{0, 10}) || p.Cursor() != 20 || p.HasMore() || len(g.calls) != 3 {
			t.Fatalf("items %v Cursor %d HasMore %v calls %d", got, p.Cursor(), p.HasMore(), len(g.calls))
		}
	})

	t.Run("end", func(t *testing.T) {
		t.Parallel()
		g := &graph{next: next, bound: 100}
		p := mustNew(t, g.fetch, Options[int64]{PageSize: 20, CheckNext: endOnNegative, Advances: Increasing[int64]})
		var got []int64
		for p.HasMore() {
			items, err := p.Next(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, items...)
		}
		if !slices.Equal(got, []int64{0, 10, 20}) || p.Cursor() != 20 || len(g.calls) != 3 {
			t.Fatalf("items %v Cursor %d calls %d", got, p.Cursor(), len(g.calls))
		}
		if _, err := p.Next(context.Background()); !errors.Is(err, ErrNoMorePages) {
			t.Fatalf("Next after the end = %v", err)
		}
	})

	t.Run("only while HasMore", func(t *testing.T) {
		t.Parallel()
		var checked []int64
		check := func(next int64) (bool, error) {
			checked = append(checked, next)
			return reject(next)
		}
		g := &graph{next: next, bound: 3} // page 20 says HasMore false
		p := mustNew(t, g.fetch, Options[int64]{PageSize: 20, CheckNext: check})
		got := collect64(t, p.All(context.Background()))
		if !slices.Equal(got, []int64{0, 10, 20}) || !slices.Equal(checked, []int64{10, 20}) {
			t.Fatalf("items %v, checked %v", got, checked)
		}
	})

	t.Run("runs first", func(t *testing.T) {
		t.Parallel()
		// A stalled cursor that CheckNext rejects is a bad cursor, and one
		// it maps to the end is the end.
		g := &graph{next: chain(0, 0), bound: 100}
		p := mustNew(t, g.fetch, Options[int64]{PageSize: 20, CheckNext: func(int64) (bool, error) { return false, errNegative }})
		if _, err := p.Next(context.Background()); !errors.Is(err, ErrBadCursor) || errors.Is(err, ErrStalledCursor) {
			t.Fatalf("err = %v", err)
		}
		g = &graph{next: chain(0, 0), bound: 100}
		p = mustNew(t, g.fetch, Options[int64]{PageSize: 20, CheckNext: func(int64) (bool, error) { return false, nil }})
		if items, err := p.Next(context.Background()); err != nil || !slices.Equal(items, []int64{0}) {
			t.Fatalf("Next = %v, %v", items, err)
		}
		if p.HasMore() {
			t.Fatal("HasMore after CheckNext said stop")
		}
	})
}

func collect64(t *testing.T, s func(func(int64, error) bool)) []int64 {
	t.Helper()
	var got []int64
	for v, err := range s {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		got = append(got, v)
	}
	return got
}

// TestOrderedLongWalk: a walk of many pages with Advances remembers no
// cursor and ends normally.
func TestOrderedLongWalk(t *testing.T) {
	t.Parallel()
	const n = 5000
	for _, opts := range []Options[int64]{{PageSize: 3, Advances: Increasing[int64]}, {PageSize: 3}} {
		g := &graph{next: func(c int64) int64 { return c + 1 }, bound: n}
		p := mustNew(t, g.fetch, opts)
		if got := collect64(t, p.All(context.Background())); !slices.Equal(got, upTo(0, n)) {
			t.Fatalf("advances=%v: %d items", opts.Advances != nil, len(got))
		}
		if opts.Advances != nil && (p.seen != nil || p.recent != nil) {
			t.Fatalf("a pager with Advances remembered cursors")
		}
		if opts.Advances == nil && (len(p.seen) != DefaultRecentCursors || len(p.recent) != DefaultRecentCursors) {
			t.Fatalf("remembered %d cursors (%d in the ring), want %d", len(p.seen), len(p.recent), DefaultRecentCursors)
		}
	}
}

func TestIncreasingDecreasing(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		prev, next int64
		inc, dec   bool
	}{{1, 2, true, false}, {2, 1, false, true}, {3, 3, false, false}, {-1, 0, true, false}} {
		if Increasing(c.prev, c.next) != c.inc || Decreasing(c.prev, c.next) != c.dec {
			t.Errorf("(%d, %d): Increasing %v Decreasing %v", c.prev, c.next, Increasing(c.prev, c.next), Decreasing(c.prev, c.next))
		}
	}
}

// TestCycleBounds checks the documented bounds of cycle detection without
// Advances over every small shape: a walk of tail pages, then a cycle of n,
// with w remembered cursors. A cycle of at most w pages returns no page
// twice; any cycle ends within 2·max(tail+1, n) + n calls.
func TestCycleBounds(t *testing.T) {
	t.Parallel()
	for tail := int64(0); tail <= 20; tail++ {
		for n := int64(1); n <= 40; n++ {
			for w := 1; w <= 8; w++ {
				g := &graph{next: ring(tail, n), bound: 100_000}
				p := mustNew(t, g.fetch, Options[int64]{PageSize: 1, RecentCursors: w})
				var got []int64
				var err error
				for v, e := range p.All(context.Background()) {
					if e != nil {
						err = e
						break
					}
					got = append(got, v)
				}
				name := fmt.Sprintf("tail %d, cycle %d, window %d", tail, n, w)
				if !errors.Is(err, ErrCursorCycle) {
					t.Fatalf("%s: err = %v after %d calls", name, err, len(g.calls))
				}
				if bound := 2*max(tail+1, n) + n; int64(len(g.calls)) >= bound {
					t.Errorf("%s: %d calls, want fewer than %d", name, len(g.calls), bound)
				}
				if n <= int64(w) && !slices.Equal(got, upTo(0, tail+n-1)) {
					t.Errorf("%s: items %v, want each page once", name, got)
				}
			}
		}
	}
}
