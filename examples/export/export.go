package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/sync/errgroup"

	volcim "github.com/volcim/volcim-go"
)

// checkpoint is the state that makes an export resumable. Offset is the
// length of the output file that goes with the cursors: every message before
// Offset belongs to a page whose conversation's cursor is already past it,
// and nothing after Offset does. Resuming truncates the output to Offset and
// continues each conversation from its cursor, so a page written after the
// last checkpoint is written again, once.
type checkpoint struct {
	AppID         int64                 `json:"app_id"`
	Reverse       bool                  `json:"reverse"`
	Offset        int64                 `json:"offset"`
	Conversations map[string]*convState `json:"conversations"`
}

type convState struct {
	Cursor   int64 `json:"cursor"`
	Done     bool  `json:"done"`
	Messages int64 `json:"messages"`
}

func loadCheckpoint(path string) (*checkpoint, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if cp.Conversations == nil {
		cp.Conversations = map[string]*convState{}
	}
	return &cp, nil
}

// save writes the checkpoint atomically: a temporary file renamed over the
// old one, so an interruption never leaves half a checkpoint.
func (cp *checkpoint) save(path string) error {
	b, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// exporter writes pages of many conversations to one output under a mutex
// and keeps the checkpoint in step with it.
type exporter struct {
	o   *options
	out *os.File
	bar *progressbar.ProgressBar

	mu        sync.Mutex
	cp        *checkpoint
	lastSaved time.Time
	buf       bytes.Buffer

	// afterPage, when set (tests), is called after each page is written.
	afterPage func()
}

// saveEvery bounds how often the checkpoint is rewritten; any checkpoint is
// consistent, a less recent one only means re-reading a few pages.
const saveEvery = 200 * time.Millisecond

func export(ctx context.Context, client *volcim.Client, o *options, stderr io.Writer, afterPage func()) error {
	cp, err := loadCheckpoint(o.checkpoint)
	if err != nil {
		return err
	}
	if cp == nil {
		cp = &checkpoint{AppID: o.appID, Reverse: o.reverse, Conversations: map[string]*convState{}}
	} else if cp.AppID != o.appID || cp.Reverse != o.reverse {
		return fmt.Errorf("checkpoint %s is for -app %d -reverse=%v: remove it to start over", o.checkpoint, cp.AppID, cp.Reverse)
	}
	out, err := os.OpenFile(o.out, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	// Drop whatever was written after the checkpoint: those pages are read
	// again.
	if err := out.Truncate(cp.Offset); err != nil {
		return err
	}
	if _, err := out.Seek(cp.Offset, io.SeekStart); err != nil {
		return err
	}

	var total int64
	var todo []int64
	for _, id := range o.conversations {
		st := cp.Conversations[strconv.FormatInt(id, 10)]
		if st == nil {
			st = &convState{}
			cp.Conversations[strconv.FormatInt(id, 10)] = st
		}
		total += st.Messages
		if !st.Done {
			todo = append(todo, id)
		}
	}
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription(fmt.Sprintf("exporting %d conversations", len(o.conversations))),
		progressbar.OptionSetItsString("msg"),
		progressbar.OptionShowIts(),
		progressbar.OptionShowCount(),
		progressbar.OptionSetSpinnerChangeInterval(0), // no background goroutine
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetVisibility(!o.quiet),
	)
	_ = bar.Set64(total)
	e := &exporter{o: o, out: out, bar: bar, cp: cp, lastSaved: time.Now(), afterPage: afterPage}

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(o.concurrency)
	for _, id := range todo {
		g.Go(func() error { return e.exportConversation(gctx, client, id) })
	}
	werr := g.Wait()

	e.mu.Lock()
	serr := e.cp.save(o.checkpoint)
	e.mu.Unlock()
	_ = bar.Finish()
	fmt.Fprintln(stderr)
	switch {
	case werr != nil && ctx.Err() != nil:
		return errors.Join(fmt.Errorf("%w: %w", errInterrupted, ctx.Err()), serr)
	case werr != nil:
		return errors.Join(werr, serr)
	case serr != nil:
		return serr
	}
	return nil
}

func (e *exporter) exportConversation(ctx context.Context, client *volcim.Client, id int64) error {
	key := strconv.FormatInt(id, 10)
	e.mu.Lock()
	start := *e.cp.Conversations[key]
	e.mu.Unlock()
	pager, err := client.ConversationMessagesPager(&volcim.ConversationMessagesRequest{
		AppID:               e.o.appID,
		ConversationShortID: id,
		Cursor:              start.Cursor,
		Reverse:             e.o.reverse,
	})
	if err != nil {
		return err
	}
	for pager.HasMore() {
		page, err := pager.Next(ctx)
		if err != nil {
			return fmt.Errorf("conversation %d: %w", id, err)
		}
		if err := e.writePage(key, page, pager.Cursor(), !pager.HasMore()); err != nil {
			return err
		}
	}
	return nil
}

// writePage appends a page to the output and records the conversation's new
// cursor, in one step under the mutex, then saves the checkpoint now and
// then.
func (e *exporter) writePage(key string, page []volcim.Message, cursor int64, done bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	for i := range page {
		if err := enc.Encode(page[i]); err != nil {
			return err
		}
	}
	n, err := e.out.Write(e.buf.Bytes())
	if err != nil {
		return err
	}
	st := e.cp.Conversations[key]
	st.Cursor, st.Done = cursor, done
	st.Messages += int64(len(page))
	e.cp.Offset += int64(n)
	_ = e.bar.Add(len(page))
	if time.Since(e.lastSaved) >= saveEvery || done {
		if err := e.cp.save(e.o.checkpoint); err != nil {
			return err
		}
		e.lastSaved = time.Now()
	}
	if e.afterPage != nil {
		e.afterPage()
	}
	return nil
}
