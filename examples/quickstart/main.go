// Command quickstart tours the volcim SDK: it reads a conversation record
// (BatchGetConversations), one page of its newest messages
// (GetConversationMessages), messages by id (GetMessages), and then the
// whole conversation with the paging iterator (ConversationMessages).
//
// With no credentials in the environment it starts volcimtest, the SDK's
// in-memory IM server, in-process, seeds a small conversation and runs
// against it, so it works right after cloning:
//
//	go run ./examples/quickstart
//
// With VOLC_ACCESSKEY and VOLC_SECRETKEY set (and VOLC_SESSIONTOKEN for STS
// credentials) it calls Volcengine:
//
//	go run ./examples/quickstart -app 123456 -conversation 7171275522159198471 [-region ap-southeast-1] [-messages id,id]
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
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/volcimtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	appID      int64
	convID     int64
	region     string
	messageIDs []int64
	endpoint   string
	max        int
}

// run is the whole program: it parses args, reads credentials through env
// (os.Getenv in main), and writes its tour to w.
func run(ctx context.Context, w io.Writer, args []string, env func(string) string) error {
	cfg, help, err := parseFlags(args, w)
	if err != nil || help {
		return err
	}
	ak, sk := env(volcim.EnvAccessKey), env(volcim.EnvSecretKey)
	if ak == "" || sk == "" {
		return runDemo(ctx, w, cfg)
	}
	if cfg.appID <= 0 || cfg.convID <= 0 {
		return errors.New("with credentials, -app and -conversation are required (run with -h for usage)")
	}
	// The same client volcim.NewClientFromEnv builds, with the environment
	// read through env so that tests can supply it.
	opts := []volcim.Option{volcim.WithRegion(cfg.region), volcim.WithAppID(cfg.appID)}
	if tok := env(volcim.EnvSessionToken); tok != "" {
		opts = append(opts, volcim.WithSessionToken(tok))
	}
	if cfg.endpoint != "" {
		opts = append(opts, volcim.WithEndpoint(cfg.endpoint))
	}
	client, err := volcim.NewClient(ak, sk, opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Calling Volcengine IM (%s) as %s, app %d.\n", client.Region(), maskKey(ak), cfg.appID)
	return tour(ctx, w, client, cfg)
}

func parseFlags(args []string, w io.Writer) (cfg config, help bool, err error) {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var ids string
	fs.Int64Var(&cfg.appID, "app", 0, "AppId of the IM app (required with credentials)")
	fs.Int64Var(&cfg.convID, "conversation", 0, "ConversationShortId to read (required with credentials)")
	fs.StringVar(&cfg.region, "region", volcim.RegionCNNorth1, "region: cn-north-1 or ap-southeast-1")
	fs.StringVar(&ids, "messages", "", "comma-separated message ids for GetMessages (default: ids from the first page)")
	fs.StringVar(&cfg.endpoint, "endpoint", "", "base URL to call instead of the region's host (a proxy, a test server)")
	fs.IntVar(&cfg.max, "max", 50, "at most this many messages in the walk through the conversation (0: all)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: quickstart [flags]\n\n"+
			"Without VOLC_ACCESSKEY and VOLC_SECRETKEY in the environment, runs against an\n"+
			"in-process fake server (volcimtest) and ignores -app, -conversation, -region,\n"+
			"-messages and -endpoint.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(w)
			fs.Usage()
			return cfg, true, nil
		}
		return cfg, false, fmt.Errorf("%w (run with -h for usage)", err)
	}
	if fs.NArg() > 0 {
		return cfg, false, fmt.Errorf("unexpected argument %q (run with -h for usage)", fs.Arg(0))
	}
	if cfg.max < 0 {
		return cfg, false, fmt.Errorf("-max %d: must not be negative", cfg.max)
	}
	for s := range strings.SplitSeq(ids, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return cfg, false, fmt.Errorf("-messages: %q is not a message id", s)
		}
		cfg.messageIDs = append(cfg.messageIDs, id)
	}
	return cfg, false, nil
}

// maskKey shows enough of an access key to recognise it.
func maskKey(ak string) string {
	if len(ak) <= 8 {
		return "****"
	}
	return ak[:4] + "…" + ak[len(ak)-4:]
}

// Demo data.
const (
	demoApp  = 123456
	demoConv = 7171275522159198471
)

// runDemo starts a fake server, seeds it and tours it.
func runDemo(ctx context.Context, w io.Writer, cfg config) error {
	srv := volcimtest.NewServer()
	defer srv.Close()
	seedDemo(srv)
	client, err := srv.Client(volcim.WithAppID(demoApp))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "No %s/%s in the environment: running against an in-process fake\n", volcim.EnvAccessKey, volcim.EnvSecretKey)
	fmt.Fprintf(w, "IM server (volcimtest) seeded with one conversation. To call Volcengine:\n")
	fmt.Fprintf(w, "  %s=... %s=... go run ./examples/quickstart -app <AppId> -conversation <ConversationShortId>\n", volcim.EnvAccessKey, volcim.EnvSecretKey)
	cfg.appID, cfg.convID = demoApp, demoConv
	cfg.messageIDs = []int64{7171391232210520096, 42, 7171391232210520094} // 42 does not exist
	if err := tour(ctx, w, client, cfg); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe fake server answered %d signed requests.\n", len(srv.Requests()))
	return nil
}

func seedDemo(srv *volcimtest.Server) {
	start := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	srv.AddConversation(volcim.Conversation{
		AppID:               demoApp,
		ConversationShortID: demoConv,
		ConversationType:    volcim.ConversationGroup,
		Name:                "Team chat",
		Description:         "daily stand-up",
		OwnerUserID:         10001,
		CreatorUserID:       10001,
		MemberCount:         3,
		CreateTime:          start,
		ModifyTime:          start,
	})
	msgs := []struct {
		sender  int64
		typ     volcim.MessageType
		content string
	}{
		{10001, volcim.MessageText, "good morning"},
		{10002, volcim.MessageText, "morning!"},
		{10003, volcim.MessageText, "stand-up in 5"},
		{10001, volcim.MessageImage, `{"url":"https://example.com/board.png"}`},
		{10002, volcim.MessageText, "notes are in the doc"},
		{10003, volcim.MessageText, "thanks"},
		{10001, volcim.MessageText, "bye"},
	}
	for i, m := range msgs {
		srv.AddMessages(volcim.Message{
			AppID:               demoApp,
			ConversationShortID: demoConv,
			ConversationType:    volcim.ConversationGroup,
			MessageID:           7171391232210520094 + int64(i),
			MsgType:             m.typ,
			Content:             m.content,
			CreateTime:          start.Add(time.Duration(i) * time.Minute),
			Sender:              m.sender,
			IndexInConversation: 1669723106241201 + int64(i)*1000,
		})
	}
}

// tour makes the three calls and walks the conversation.
func tour(ctx context.Context, w io.Writer, client *volcim.Client, cfg config) error {
	fmt.Fprintf(w, "\n1. BatchGetConversations: conversation %d\n", cfg.convID)
	convs, err := client.BatchGetConversations(ctx, &volcim.BatchGetConversationsRequest{
		ConversationShortIDs: []int64{cfg.convID},
		IncludeMemberCount:   true,
	})
	if err != nil {
		return err
	}
	if len(convs.Conversations) == 0 {
		fmt.Fprintln(w, "   not found (or dismissed)")
	}
	for _, c := range convs.Conversations {
		fmt.Fprintf(w, "   %q, %s, owner %d, %d members, created %s\n",
			c.Name, c.ConversationType, c.OwnerUserID, c.MemberCount, c.CreateTime.Format(time.DateTime+" MST"))
	}

	const pageSize = 3
	fmt.Fprintf(w, "\n2. GetConversationMessages: the %d newest messages (Reverse: true)\n", pageSize)
	page, err := client.GetConversationMessages(ctx, &volcim.GetConversationMessagesRequest{
		ConversationShortID: cfg.convID,
		Limit:               pageSize,
		Reverse:             true,
	})
	if err != nil {
		return err
	}
	for _, m := range page.Messages {
		printMessage(w, m)
	}
	fmt.Fprintf(w, "   HasMore %v, NewCursor %d (the next page starts there)\n", page.HasMore, page.NewCursor)

	ids := cfg.messageIDs
	if len(ids) == 0 {
		for _, m := range page.Messages {
			ids = append(ids, m.MessageID)
		}
	}
	fmt.Fprintf(w, "\n3. GetMessages: ids %s\n", joinIDs(ids))
	if len(ids) == 0 {
		fmt.Fprintln(w, "   no ids to ask for")
	} else {
		byID, err := client.GetMessages(ctx, &volcim.GetMessagesRequest{ConversationShortID: cfg.convID, MessageIDs: ids})
		if err != nil {
			return err
		}
		for _, m := range byID.Messages {
			printMessage(w, m)
		}
		if missing := len(ids) - len(byID.Messages); missing > 0 {
			fmt.Fprintf(w, "   (%d id(s) not found: left out)\n", missing)
		}
	}

	limit := "every message"
	if cfg.max > 0 {
		limit = fmt.Sprintf("up to %d messages", cfg.max)
	}
	fmt.Fprintf(w, "\n4. ConversationMessages: %s, oldest first, page by page\n", limit)
	n := 0
	for m, err := range client.ConversationMessages(ctx, &volcim.ConversationMessagesRequest{
		ConversationShortID: cfg.convID,
		Max:                 cfg.max,
	}) {
		if err != nil {
			return err
		}
		printMessage(w, m)
		n++
	}
	fmt.Fprintf(w, "   %d message(s)\n", n)
	return nil
}

func printMessage(w io.Writer, m volcim.Message) {
	content := m.Content
	if m.MsgType != volcim.MessageText {
		content = "[" + m.MsgType.String() + "] " + content
	}
	fmt.Fprintf(w, "   %s  #%d  id %d  from %d: %s\n", m.CreateTime.Format(time.DateTime), m.IndexInConversation, m.MessageID, m.Sender, content)
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}
