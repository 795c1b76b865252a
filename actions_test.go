package volcim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// apiActions are the 55 actions of the API (the official SDK's models).
var apiActions = strings.Fields(`AddBlackList AddFriend BatchAddBlockParticipants BatchAddConversationParticipant
BatchAddManager BatchAddWhitelistParticipant BatchDeleteBlockParticipants BatchDeleteConversationParticipant
BatchGetBlockParticipants BatchGetConversationParticipant BatchGetConversations BatchGetUser
BatchGetWhitelistParticipant BatchModifyConversationParticipant BatchRemoveManager BatchRemoveWhitelistParticipant
BatchSendMessage BatchUpdateLiveParticipants BatchUpdateUser BatchUpdateUserTags CreateConversation
DeleteConversationMessage DeleteFriend DeleteMessage DestroyConversation GetAppToken GetBlackList
GetConversationMarks GetConversationMessages GetConversationSetting GetConversationUserCount GetMessages
GetMessagesReadReceipt GetParticipantReadIndex GetUserConversations IsFriend IsInBlackList IsUserInConversation
ListFriend MarkConversation ModifyConversation ModifyConversationSetting ModifyMessage ModifyParticipantReadIndex
QueryLiveParticipantStatus QueryOnlineStatus RecallMessage RegisterUsers RemoveBlackList
ScanConversationParticipantList SendMessage UnRegisterUsers UpdateBlackList UpdateFriend UserBroadcast`)

// TestEveryActionIsDefined checks that the registry holds each of the API's
// actions once, that the rate table names only real actions, and that every
// action has its canned reply and its row in the README's tables.
func TestEveryActionIsDefined(t *testing.T) {
	t.Parallel()
	want := make(map[string]bool, len(apiActions))
	for _, a := range apiActions {
		want[a] = true
	}
	if len(want) != 55 {
		t.Fatalf("the list holds %d actions, want 55", len(want))
	}
	seen := make(map[string]bool)
	for i, a := range registry {
		switch {
		case seen[a.name]:
			t.Errorf("%s is defined twice", a.name)
		case !want[a.name]:
			t.Errorf("%s is not an action of the API", a.name)
		case a.index != i:
			t.Errorf("%s has index %d at position %d", a.name, a.index, i)
		}
		seen[a.name] = true
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	snake := regexp.MustCompile(`([a-z0-9])([A-Z])`)
	for _, a := range apiActions {
		if !seen[a] {
			t.Errorf("%s has no method", a)
		}
		file := filepath.Join("testdata", strings.ToLower(snake.ReplaceAllString(a, "${1}_${2}"))+".json")
		if err := checkCannedSuccess(file); err != nil {
			t.Errorf("%s: canned reply %s: %v", a, file, err)
		}
		if !strings.Contains(string(readme), "| `"+a+"(ctx") && !strings.Contains(string(readme), "| `"+a+"` |") {
			t.Errorf("the README's tables have no row for %s", a)
		}
	}
	r := DefaultRates()
	for a := range r.Actions {
		if !want[a] {
			t.Errorf("the rate table has a row for %q, not an action", a)
		}
	}
	for _, b := range r.Budgets {
		for _, a := range b.Actions {
			if !want[a] {
				t.Errorf("budget %q names %q, not an action", b.Name, a)
			}
		}
	}
}

// checkCannedSuccess checks that a canned reply is a success that lists no
// failed item: what a test that mocks the API with it expects.
func checkCannedSuccess(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var env struct {
		ResponseMetadata *struct {
			Error *struct{ Code string }
		}
		Result map[string]json.RawMessage
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	if env.ResponseMetadata == nil || env.ResponseMetadata.Error != nil {
		return errors.New("not a success envelope")
	}
	for k, v := range env.Result {
		if strings.HasPrefix(strings.ToLower(k), "failed") && string(v) != "[]" && string(v) != "null" {
			return fmt.Errorf("%s lists failed items (partial failures belong in testdata/partial/)", k)
		}
	}
	return nil
}
