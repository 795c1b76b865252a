package pagination_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/volcim/volcim-go/pagination"
)

// A saved cursor lets a new pager continue where an earlier one stopped,
// with no item lost or repeated.
func Example_resume() {
	messages := []string{"m0", "m1", "m2", "m3", "m4", "m5", "m6"}
	// An in-memory stand-in for a cursor-paged API: cursor = index.
	fetch := func(ctx context.Context, cursor int64, limit int) (pagination.Page[int64, string], error) {
		end := min(int(cursor)+limit, len(messages))
		return pagination.Page[int64, string]{
			Items:   messages[cursor:end],
			HasMore: end < len(messages),
			Next:    int64(end),
		}, nil
	}
	ctx := context.Background()

	// First run: read two pages, checkpointing after each.
	p, err := pagination.New(fetch, pagination.Options[int64]{PageSize: 3})
	if err != nil {
		panic(err)
	}
	var saved int64
	for range 2 {
		items, err := p.Next(ctx)
		if err != nil {
			panic(err)
		}
		fmt.Println("page:", items)
		saved = p.Cursor()
	}
	fmt.Println("saved cursor:", saved)

	// Later: resume from the saved cursor.
	p, err = pagination.New(fetch, pagination.Options[int64]{Start: saved, PageSize: 3})
	if err != nil {
		panic(err)
	}
	for m, err := range p.All(ctx) {
		if err != nil {
			panic(err)
		}
		fmt.Println("resumed:", m)
	}
	// Output:
	// page: [m0 m1 m2]
	// page: [m3 m4 m5]
	// saved cursor: 6
	// resumed: m6
}

// Options.Advances and Options.CheckNext guard a walk against a server that
// misbehaves. Here the list documents "a negative cursor means no more
// data", and its cursors only grow, so a server that sends the walk back to
// an earlier page is caught at its first step back.
func Example_guards() {
	// cursor -> (items, next cursor); every page says HasMore.
	pages := map[int64]struct {
		items []string
		next  int64
	}{
		0: {[]string{"a", "b"}, 2},
		2: {[]string{"c"}, 3},
		3: {[]string{"d"}, 0},  // back to the start: a cycle
		5: {[]string{"e"}, -1}, // no more data
	}
	fetch := func(ctx context.Context, cursor int64, limit int) (pagination.Page[int64, string], error) {
		p := pages[cursor]
		return pagination.Page[int64, string]{Items: p.items, HasMore: true, Next: p.next}, nil
	}
	opts := pagination.Options[int64]{
		PageSize: 20,
		Advances: pagination.Increasing[int64],
		CheckNext: func(next int64) (follow bool, err error) {
			return next >= 0, nil // negative: the last page
		},
	}
	ctx := context.Background()

	p, err := pagination.New(fetch, opts)
	if err != nil {
		panic(err)
	}
	for item, err := range p.All(ctx) {
		if errors.Is(err, pagination.ErrCursorCycle) {
			fmt.Println("error:", err)
			fmt.Println("resume from:", p.Cursor())
			break
		}
		fmt.Println(item)
	}

	opts.Start = 5
	p, err = pagination.New(fetch, opts)
	if err != nil {
		panic(err)
	}
	for item, err := range p.All(ctx) {
		if err != nil {
			panic(err)
		}
		fmt.Println(item)
	}
	fmt.Println("more:", p.HasMore())
	// Output:
	// a
	// b
	// c
	// error: pagination: cursor cycle: asked for cursor 3, reply says HasMore with next cursor 0, which does not advance past it
	// resume from: 3
	// e
	// more: false
}
