package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"time"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/callback"
	"github.com/volcim/volcim-go/volcimtest"
)

// Demo data.
const (
	demoApp    = 123456
	demoConv   = 7171275522159198471
	demoSecret = "demo-callback-secret"
	alice      = 10001
	mallory    = 10002
)

// runDemo runs the service on loopback against volcimtest, and plays two
// users sending through it.
func runDemo(ctx context.Context, w io.Writer, cfg config) error {
	srv := volcimtest.NewServer()
	defer srv.Close()
	srv.AddConversation(volcim.Conversation{AppID: demoApp, ConversationShortID: demoConv, ConversationType: volcim.ConversationGroup, Name: "Team chat"})
	srv.AddParticipants(demoApp, demoConv, volcim.Participant{UserID: alice}, volcim.Participant{UserID: mallory})
	client, err := srv.Client(volcim.WithAppID(demoApp))
	if err != nil {
		return err
	}
	// Log lines without their time, so that runs compare.
	logger := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}}))
	mod := &moderator{client: client, banned: cfg.banned, log: logger}
	h, err := mod.handler([]string{demoSecret}, callback.WithAppIDs(demoApp))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, stopServing := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- serve(sctx, ln, h) }()
	defer func() {
		stopServing()
		<-served
	}()
	url := "http://" + ln.Addr().String() + CallbackPath

	fmt.Fprintf(w, "No %s/%s in the environment: running the service on %s against an\n", volcim.EnvAccessKey, volcim.EnvSecretKey, url)
	fmt.Fprintf(w, "in-process fake IM server (volcimtest), which plays the users. Banned: %q.\n", cfg.banned)
	send := func(cb *volcimtest.Callbacks, from int64, text string) (*volcimtest.SendResult, error) {
		fmt.Fprintf(w, "\nuser %d sends %q\n", from, text)
		res, err := cb.SendAsUser(ctx, volcimtest.UserMessage{AppID: demoApp, ConversationShortID: demoConv, Sender: from, Content: volcim.TextContent(text)})
		if err != nil {
			return nil, err
		}
		if res.Blocked {
			fmt.Fprintf(w, "  blocked by BeforeSendMessage: %q (code %d)\n", res.Verdict.Reason, res.Verdict.Code)
		} else {
			fmt.Fprintf(w, "  stored as message %d\n", res.Message.MessageID)
		}
		return res, nil
	}

	fmt.Fprintf(w, "\n1. Only AfterSendMessage subscribed: a banned message is sent, then recalled.\n")
	after := srv.Callbacks(url, demoSecret, volcimtest.WithCallbackEvents(callback.TypeAfterSendMessage))
	if _, err := send(after, alice, "good morning"); err != nil {
		return err
	}
	res, err := send(after, mallory, "cheap SPAM here")
	if err != nil {
		return err
	}
	// Volcengine may deliver an event twice: the duplicate is answered,
	// not handled again.
	dup := res.After.Envelope
	if _, err := after.DeliverEvent(ctx, volcimtest.CallbackEvent{Type: dup.EventType, ID: dup.EventID, Data: dup.EventData, AppID: demoApp}); err != nil {
		return err
	}
	fmt.Fprintf(w, "  (its AfterSendMessage delivered again: %d recall(s) in all)\n", mod.recalled.Load())

	fmt.Fprintf(w, "\n2. BeforeSendMessage subscribed too: a banned message never gets through.\n")
	both := srv.Callbacks(url, demoSecret)
	if _, err := send(both, mallory, "a scam link"); err != nil {
		return err
	}
	if _, err := send(both, alice, "see you at 10"); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nThe conversation as GetConversationMessages reads it:\n")
	for m, err := range client.ConversationMessages(ctx, &volcim.ConversationMessagesRequest{ConversationShortID: demoConv}) {
		if err != nil {
			return err
		}
		text, _ := m.Text()
		state := "visible"
		if m.Status != volcim.MessageVisible {
			state = "status " + strconv.Itoa(int(m.Status))
			if m.Status == recalledStatus {
				state = "recalled"
			}
		}
		fmt.Fprintf(w, "  %s  id %d  from %d  %-9s %q\n", m.CreateTime.Format(time.TimeOnly), m.MessageID, m.Sender, state, text)
	}
	fmt.Fprintf(w, "\n%d message(s) blocked, %d recalled.\n", mod.blocked.Load(), mod.recalled.Load())
	return nil
}

// recalledStatus is the Status of a recalled message, as volcimtest reads
// it.
const recalledStatus = volcim.MessageStatus(3)
