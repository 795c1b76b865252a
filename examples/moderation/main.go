// Command moderation is a small chat moderation service built on Volcengine
// IM's server callbacks (package callback):
//
//   - BeforeSendMessage: a text message with a banned word is blocked
//     before anybody sees it;
//   - AfterSendMessage: a text message with a banned word that was sent
//     anyway (the pre-send hook is not subscribed, or timed out, or the
//     word was banned since) is recalled with RecallMessage, and the
//     request id of the recall is logged.
//
// Each event is handled once however often Volcengine delivers it: a
// duplicate delivery does not recall twice.
//
// With no credentials in the environment it runs a demo against volcimtest,
// the SDK's in-memory IM server, which also plays the users who send:
//
//	go run ./examples/moderation
//
// With VOLC_ACCESSKEY, VOLC_SECRETKEY and VOLCIM_CALLBACK_SECRET (the
// callback secret key of the console) set, it serves the callback URL for
// Volcengine until interrupted:
//
//	go run ./examples/moderation -app 123456 -addr :8080 -banned spam,scam
//
// and the console's callback URL is https://<your host>/volcim/callback.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/callback"
)

// EnvCallbackSecret names the environment variable of the callback secret.
const EnvCallbackSecret = "VOLCIM_CALLBACK_SECRET"

// CallbackPath is where the service receives callbacks.
const CallbackPath = "/volcim/callback"

// blockCode is the check code a blocked sender's client gets.
const blockCode = 1001

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "moderation:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	appID    int64
	addr     string
	banned   []string
	endpoint string
	region   string
}

// run is the whole program: it parses args, reads credentials through env
// (os.Getenv in main), and logs to w.
func run(ctx context.Context, w io.Writer, args []string, env func(string) string) error {
	cfg, help, err := parseFlags(args, w)
	if err != nil || help {
		return err
	}
	ak, sk, secret := env(volcim.EnvAccessKey), env(volcim.EnvSecretKey), env(EnvCallbackSecret)
	if ak == "" || sk == "" {
		return runDemo(ctx, w, cfg)
	}
	if secret == "" {
		return fmt.Errorf("%s is not set: the callback secret key of the console is needed to verify the events", EnvCallbackSecret)
	}
	if cfg.appID <= 0 {
		return errors.New("with credentials, -app is required (run with -h for usage)")
	}
	opts := []volcim.Option{volcim.WithAppID(cfg.appID), volcim.WithRegion(cfg.region)}
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
	logger := slog.New(slog.NewTextHandler(w, nil))
	mod := &moderator{client: client, banned: cfg.banned, log: logger}
	h, err := mod.handler([]string{secret}, callback.WithAppIDs(cfg.appID))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	logger.Info("serving callbacks", "url", "http://"+ln.Addr().String()+CallbackPath, "banned", strings.Join(cfg.banned, ","))
	return serve(ctx, ln, h)
}

func parseFlags(args []string, w io.Writer) (cfg config, help bool, err error) {
	fs := flag.NewFlagSet("moderation", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var banned string
	fs.Int64Var(&cfg.appID, "app", 0, "AppId of the IM app (required with credentials)")
	fs.StringVar(&cfg.addr, "addr", ":8080", "address to serve the callback URL on")
	fs.StringVar(&banned, "banned", "spam,scam", "comma-separated banned words (matched without regard to case)")
	fs.StringVar(&cfg.endpoint, "endpoint", "", "base URL of the IM OpenAPI instead of the region's host (a proxy, a test server)")
	fs.StringVar(&cfg.region, "region", volcim.RegionCNNorth1, "region: cn-north-1 or ap-southeast-1")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: moderation [flags]\n\n"+
			"Without %s and %s in the environment, runs a demo against an in-process\n"+
			"fake server (volcimtest). With them and %s, serves %s.\n\nFlags:\n",
			volcim.EnvAccessKey, volcim.EnvSecretKey, EnvCallbackSecret, CallbackPath)
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
	for word := range strings.SplitSeq(banned, ",") {
		if word = strings.TrimSpace(word); word != "" {
			cfg.banned = append(cfg.banned, strings.ToLower(word))
		}
	}
	if len(cfg.banned) == 0 {
		return cfg, false, errors.New("-banned: no word to ban")
	}
	return cfg, false, nil
}

// serve serves h at CallbackPath on ln until ctx ends, then shuts down,
// letting the callbacks being handled finish.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	mux := http.NewServeMux()
	mux.Handle("POST "+CallbackPath, h)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	<-errc // http.ErrServerClosed
	return err
}

// moderator holds the service's state: the client that recalls, the
// banned words, and counts for the demo.
type moderator struct {
	client   *volcim.Client
	banned   []string
	log      *slog.Logger
	blocked  atomic.Int64
	recalled atomic.Int64
}

// handler returns the callback handler of the service.
func (m *moderator) handler(secrets []string, opts ...callback.Option) (*callback.Handler, error) {
	opts = append([]callback.Option{
		callback.WithLogger(m.log),
		callback.OnBeforeSendMessage(m.beforeSend),
		callback.OnAfterSendMessage(m.afterSend),
	}, opts...)
	return callback.NewHandler(secrets, opts...)
}

// bannedWord returns the first banned word in a text message, if any.
func (m *moderator) bannedWord(msg *volcim.Message) (string, bool) {
	text, ok := msg.Text()
	if !ok {
		return "", false
	}
	text = strings.ToLower(text)
	for _, w := range m.banned {
		if strings.Contains(text, w) {
			return w, true
		}
	}
	return "", false
}

// beforeSend blocks a message with a banned word.
func (m *moderator) beforeSend(ctx context.Context, e *callback.BeforeSendMessage) (callback.Verdict, error) {
	word, ok := m.bannedWord(&e.Message)
	if !ok {
		return callback.Allow(), nil
	}
	m.blocked.Add(1)
	m.log.Info("blocked a message", "conversation", e.Message.ConversationShortID, "sender", e.Message.Sender, "word", word)
	return callback.Block(blockCode, "the message contains a banned word"), nil
}

// afterSend recalls a message with a banned word. An error makes the
// handler answer 500, so that Volcengine retries the event.
func (m *moderator) afterSend(ctx context.Context, e *callback.AfterSendMessage) error {
	word, ok := m.bannedWord(&e.Message)
	if !ok {
		return nil
	}
	// Recalled as its sender (RecallRole left at 0, a member): members
	// may recall their own messages.
	resp, err := m.client.RecallMessage(ctx, &volcim.RecallMessageRequest{
		AppID:               e.Message.AppID, // 0 falls back to the client's WithAppID
		ConversationShortID: e.Message.ConversationShortID,
		MessageID:           e.Message.MessageID,
		ParticipantUserID:   e.Message.Sender,
	})
	if err != nil {
		return fmt.Errorf("recalling message %d: %w", e.Message.MessageID, err)
	}
	m.recalled.Add(1)
	m.log.Info("recalled a message", "conversation", e.Message.ConversationShortID, "message", e.Message.MessageID,
		"sender", e.Message.Sender, "word", word, "request_id", resp.RequestID)
	return nil
}
