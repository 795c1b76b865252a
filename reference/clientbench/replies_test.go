package clientbench

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The canned replies are shaped like the examples of the API pages
// (GetConversationMessages, GetMessages, BatchGetConversations), with
// realistic ids (message ids and conversation ids beyond 2^53, an AppId that
// fits the official SDK's int32) and 20 items each. They are built once.

const (
	appID          = 633285
	conversationID = 7171275522159198471
	pageSize       = 20
	apiVersion     = "2020-12-01"
)

// contents rotate through the messages: short chat lines, some not ASCII,
// as a conversation has.
var contents = []string{
	"好的，明天上午十点见",
	"Can you send me the slides from today's review?",
	"收到👍",
	"The build is green again, merging now.",
	"[图片]",
	"我晚点回复你，现在在开会",
	"ok",
	`{"text":"see the attached file","mentions":[10086]}`,
}

var (
	messageIDs      = ids(7171391232210520094, 39_804_301_337, pageSize)
	conversationIDs = ids(conversationID, 1_048_583, pageSize)
)

func ids(first, step int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = first + int64(i)*step
	}
	return out
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func metadata(action string) string {
	return `"ResponseMetadata":{"RequestId":"20241106150405010203040506A1B2C3","Action":"` + action +
		`","Version":"` + apiVersion + `","Service":"rtc","Region":"cn-north-1"}`
}

// messageJSON is one MessageBody, as the server sends it.
func messageJSON(i int) string {
	createTime := int64(1669723106144) + int64(i)*17_059
	return fmt.Sprintf(`{"ConversationType":2,"ConversationShortId":%d,"MessageId":%d,"MsgType":10001,`+
		`"Content":%s,"Ext":{"s:client_message_id":"ae16fb90-2be2-4424-aa6e-3a6e5e53%04x"},"Status":0,`+
		`"CreateTime":%d,"Sender":%d,"AppId":%d,`+
		`"RefMsgInfo":{"ReferencedMessageId":7171391232210503710,"Hint":"[图片]","ReferencedMessageType":10003,"Status":0},`+
		`"IndexInConversation":%d}`,
		conversationID, messageIDs[i], quote(contents[i%len(contents)]), i,
		createTime, 10001+int64(i%3), appID, createTime*1000+97+int64(i))
}

func messagesJSON() string {
	parts := make([]string, pageSize)
	for i := range parts {
		parts[i] = messageJSON(i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func conversationJSON(i int) string {
	created := int64(1669714409) + int64(i)*86_400
	return fmt.Sprintf(`{"ConversationShortId":%d,"AppId":%d,"InboxType":0,"Name":%s,`+
		`"AvatarUrl":"https://p3-im.example-cdn.com/avatar/%d.png","Description":"Project channel %d",`+
		`"OwnerUserId":%d,"CreatorUserId":%d,"Notice":"Stand-up at 10:00, 周五 demo","Status":0,`+
		`"Ext":{"team":"platform"},"CreateTime":%d,"ModifyTime":%d,"ConversationType":2,`+
		`"MemberCount":%d,"OnlineCount":0,"ConversationId":"%d"}`,
		conversationIDs[i], appID, quote(fmt.Sprintf("项目群 %d", i+1)), conversationIDs[i], i+1,
		10001+int64(i), 10001, created, created+3600*int64(i), 3+i, conversationIDs[i])
}

// Reply bodies, keyed by the request's raw query (all three clients send
// Action then Version).
var replies = map[string][]byte{
	query("GetConversationMessages"): []byte(`{` + metadata("GetConversationMessages") +
		`,"Result":{"HasMore":true,"NewCursor":1669723430000000,"Messages":` + messagesJSON() + `}}`),
	query("GetMessages"): []byte(`{` + metadata("GetMessages") +
		`,"Result":{"Messages":` + messagesJSON() + `}}`),
	query("BatchGetConversations"): []byte(`{` + metadata("BatchGetConversations") +
		`,"Result":{"ConversationCoreInfos":[` + conversations() + `]}}`),
}

func conversations() string {
	parts := make([]string, pageSize)
	for i := range parts {
		parts[i] = conversationJSON(i)
	}
	return strings.Join(parts, ",")
}

func query(action string) string { return "Action=" + action + "&Version=" + apiVersion }

// replyLength is the Content-Length header of each reply, built once.
var replyLength = func() map[string][]string {
	m := make(map[string][]string, len(replies))
	for k, v := range replies {
		if !json.Valid(v) {
			panic("clientbench: canned reply for " + k + " is not valid JSON")
		}
		m[k] = []string{strconv.Itoa(len(v))}
	}
	return m
}()
