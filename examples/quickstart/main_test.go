package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/volcim/volcim-go/volcimtest"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestRunDemo runs the README's first command as a newcomer would: no
// credentials, so an in-process volcimtest server.
func TestRunDemo(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), &out, nil, envOf(nil)); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	mustContain(t, s,
		"running against an in-process fake",
		"1. BatchGetConversations: conversation 7171275522159198471",
		`"Team chat", group, owner 10001, 3 members, created 2024-05-01 09:00:00 UTC`,
		"2. GetConversationMessages: the 3 newest messages",
		"id 7171391232210520100  from 10001: bye",
		"HasMore true, NewCursor 1669723106244201",
		"3. GetMessages: ids 7171391232210520096, 42, 7171391232210520094",
		"(1 id(s) not found: left out)",
		"4. ConversationMessages",
		`[image] {"url":"https://example.com/board.png"}`,
		"7 message(s)",
		"answered 4 signed requests",
	)
	// Step 4 lists the conversation oldest first.
	walk := s[strings.Index(s, "4. ConversationMessages"):]
	if i, j := strings.Index(walk, "good morning"), strings.Index(walk, "bye"); i < 0 || j < i {
		t.Errorf("walk not oldest first:\n%s", walk)
	}
}

// TestRunWithCredentials takes the path that calls Volcengine, pointed at a
// volcimtest server that knows the keys, with every flag.
func TestRunWithCredentials(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer(volcimtest.WithCredentials("AKLTquickstart0001", "quickstart-secret"))
	defer srv.Close()
	seedDemo(srv)
	env := envOf(map[string]string{
		"VOLC_ACCESSKEY":    "AKLTquickstart0001",
		"VOLC_SECRETKEY":    "quickstart-secret",
		"VOLC_SESSIONTOKEN": "sts-token",
	})
	args := []string{
		"-app", "123456", "-conversation", "7171275522159198471",
		"-region", "ap-southeast-1", "-endpoint", srv.URL,
		"-messages", "7171391232210520095, 7171391232210520099", "-max", "2",
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, args, env); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	mustContain(t, s,
		"Calling Volcengine IM (ap-southeast-1) as AKLT…0001, app 123456.",
		"3. GetMessages: ids 7171391232210520095, 7171391232210520099",
		"from 10002: morning!",
		"4. ConversationMessages: up to 2 messages",
		"2 message(s)",
	)
	if strings.Contains(s, "fake") {
		t.Errorf("credentials given, yet the demo ran:\n%s", s)
	}
	recs := srv.Requests()
	if len(recs) != 4 {
		t.Errorf("%d requests, want 4", len(recs))
	}
	for _, r := range recs {
		if r.AccessKey != "AKLTquickstart0001" || r.Header.Get("X-Security-Token") != "sts-token" || r.Status != 200 {
			t.Errorf("request %s: key %q, token %q, status %d", r.Action, r.AccessKey, r.Header.Get("X-Security-Token"), r.Status)
		}
	}
}

// TestRunDefaultMessageIDs: without -messages, GetMessages asks for the ids
// of the first page.
func TestRunDefaultMessageIDs(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer(volcimtest.WithCredentials("AKLTquickstart0002", "secret"))
	defer srv.Close()
	seedDemo(srv)
	var out bytes.Buffer
	err := run(context.Background(), &out,
		[]string{"-app", "123456", "-conversation", "7171275522159198471", "-endpoint", srv.URL, "-max", "0"},
		envOf(map[string]string{"VOLC_ACCESSKEY": "AKLTquickstart0002", "VOLC_SECRETKEY": "secret"}))
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, out.String(),
		"3. GetMessages: ids 7171391232210520100, 7171391232210520099, 7171391232210520098",
		"4. ConversationMessages: every message",
		"7 message(s)",
	)
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	srv := volcimtest.NewServer(volcimtest.WithCredentials("AKLTquickstart0003", "secret"))
	t.Cleanup(srv.Close) // not defer: the parallel subtests run after this function returns
	creds := map[string]string{"VOLC_ACCESSKEY": "AKLTquickstart0003", "VOLC_SECRETKEY": "secret"}
	wrong := map[string]string{"VOLC_ACCESSKEY": "AKLTquickstart0003", "VOLC_SECRETKEY": "not-it"}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no -app with credentials", []string{"-conversation", "1"}, creds, "-app and -conversation are required"},
		{"no -conversation with credentials", []string{"-app", "1"}, creds, "-app and -conversation are required"},
		{"bad -messages", []string{"-messages", "1,x"}, nil, `-messages: "x" is not a message id`},
		{"negative -messages", []string{"-messages", "-5"}, nil, `-messages: "-5" is not a message id`},
		{"unknown flag", []string{"-nope"}, nil, "flag provided but not defined: -nope"},
		{"stray argument", []string{"extra"}, nil, `unexpected argument "extra"`},
		{"negative -max", []string{"-max", "-1"}, nil, "-max -1"},
		{"unknown region", []string{"-app", "1", "-conversation", "1", "-region", "mars-1"}, creds, `unknown region "mars-1"`},
		{"wrong secret", []string{"-app", "123456", "-conversation", "1", "-endpoint", srv.URL}, wrong, "SignatureDoesNotMatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := run(context.Background(), &out, tt.args, envOf(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), &out, []string{"-h"}, envOf(nil)); err != nil {
		t.Fatal(err)
	}
	mustContain(t, out.String(), "Usage: quickstart", "-conversation", "-messages", "-region")
	if strings.Contains(out.String(), "BatchGetConversations") {
		t.Error("-h ran the tour")
	}
}

func TestRunCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, nil, envOf(nil)); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("err = %v, want context canceled", err)
	}
}
