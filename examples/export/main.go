// Command export writes whole conversations to JSON Lines: one message per
// line, in the API's wire form, as json.Marshal of a volcim.Message gives it.
//
// Conversations are exported concurrently under the client's shared rate
// limit (100 QPS per action by default), with a progress bar on stderr. A
// checkpoint file records, for every conversation, the cursor to continue
// from and the length of the output that goes with it; Ctrl-C stops cleanly
// and keeps it, and running the same command again resumes where it stopped,
// with every message in the output exactly once.
//
//	export -app 123 -conversations 456,789 -out messages.jsonl
//	export -demo -out demo.jsonl      # against an in-process fake server
//
// Credentials come from VOLC_ACCESSKEY and VOLC_SECRETKEY (and
// VOLC_SESSIONTOKEN) unless -demo is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, errInterrupted):
		fmt.Fprintln(os.Stderr, "export: interrupted; the checkpoint is saved: run the same command again to resume")
		os.Exit(130)
	case err != nil:
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

var errInterrupted = errors.New("interrupted")

type options struct {
	appID         int64
	conversations []int64
	out           string
	checkpoint    string
	concurrency   int
	reverse       bool
	region        string
	quiet         bool

	demo          bool
	demoConvs     int
	demoMessages  int
	demoLatency   time.Duration
	demoQPS       int
	demoFaultRate float64
	demoFaultSeed uint64
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var convs string
	fs.Int64Var(&o.appID, "app", 0, "AppId of the conversations")
	fs.StringVar(&convs, "conversations", "", "comma-separated ConversationShortIds to export")
	fs.StringVar(&o.out, "out", "", "output file (JSON Lines); required")
	fs.StringVar(&o.checkpoint, "checkpoint", "", "checkpoint file (default: <out>.checkpoint)")
	fs.IntVar(&o.concurrency, "concurrency", 4, "conversations exported at once")
	fs.BoolVar(&o.reverse, "reverse", false, "read each conversation from newest to oldest (required for live groups)")
	fs.StringVar(&o.region, "region", volcim.RegionCNNorth1, "region of the real service")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&o.demo, "demo", false, "export from an in-process fake server seeded with generated conversations")
	fs.IntVar(&o.demoConvs, "demo-conversations", 20, "with -demo: number of conversations")
	fs.IntVar(&o.demoMessages, "demo-messages", 2000, "with -demo: messages per conversation")
	fs.DurationVar(&o.demoLatency, "demo-latency", 0, "with -demo: latency added to every reply")
	fs.IntVar(&o.demoQPS, "demo-qps", volcimtest.DefaultQPS, "with -demo: the server's per-action QPS limit")
	fs.Float64Var(&o.demoFaultRate, "demo-fault-rate", 0, "with -demo: share of requests answered with a fault")
	fs.Uint64Var(&o.demoFaultSeed, "demo-fault-seed", 1, "with -demo: seed of the injected faults")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.out == "" {
		return nil, errors.New("-out is required")
	}
	if o.checkpoint == "" {
		o.checkpoint = o.out + ".checkpoint"
	}
	if o.concurrency < 1 {
		return nil, fmt.Errorf("-concurrency %d: want at least 1", o.concurrency)
	}
	for _, s := range strings.Split(convs, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("-conversations: %q is not a conversation id", s)
		}
		o.conversations = append(o.conversations, id)
	}
	if o.demo {
		if o.demoConvs < 1 || o.demoMessages < 0 {
			return nil, errors.New("-demo-conversations must be positive and -demo-messages not negative")
		}
		if o.appID == 0 {
			o.appID = 1
		}
		if len(o.conversations) == 0 {
			for i := range o.demoConvs {
				o.conversations = append(o.conversations, int64(1000+i))
			}
		}
		return o, nil
	}
	if o.appID <= 0 {
		return nil, errors.New("-app is required")
	}
	if len(o.conversations) == 0 {
		return nil, errors.New("-conversations is required")
	}
	return o, nil
}

// run parses args and exports. It returns errInterrupted (wrapped) when ctx
// is cancelled before the export is complete; the checkpoint is then saved.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	client, cleanup, err := newClient(o)
	if err != nil {
		return err
	}
	defer cleanup()
	return export(ctx, client, o, stderr, nil)
}

// newClient returns a client of the real service, or of an in-process fake
// server with -demo.
func newClient(o *options) (*volcim.Client, func(), error) {
	if !o.demo {
		c, err := volcim.NewClientFromEnv(volcim.WithRegion(o.region), volcim.WithAppID(o.appID))
		return c, func() {}, err
	}
	srvOpts := []volcimtest.Option{volcimtest.WithQPS(o.demoQPS), volcimtest.WithLatency(o.demoLatency)}
	if o.demoFaultRate > 0 {
		srvOpts = append(srvOpts, volcimtest.WithFaultRate(o.demoFaultSeed, o.demoFaultRate,
			volcimtest.Fault503, volcimtest.FaultDrop, volcimtest.FaultTruncate))
	}
	srv := volcimtest.NewServer(srvOpts...)
	for _, id := range o.conversations {
		srv.AddGeneratedConversation(o.appID, id, o.demoMessages)
	}
	c, err := srv.Client(volcim.WithAppID(o.appID))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return c, srv.Close, nil
}
