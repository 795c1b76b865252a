package pagination

import (
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
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p, err := New(fetch, Options[int64]{PageSize: 20})
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
}

var time0 = time.Unix(0, 0)
