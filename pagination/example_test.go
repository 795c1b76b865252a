package pagination_test

import (
	"context"
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
