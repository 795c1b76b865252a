package volcim

import (
	"encoding/json"
	"fmt"
)

// Message content: what Message.Content and SendMessageRequest.Content hold.
// The API passes Content through as an opaque string; the Volcengine IM
// client SDKs read it as a JSON document whose shape depends on the message
// type (API page "消息格式", https://www.volcengine.com/docs/6348/372181).
// These helpers build and read the common ones, so that callers do not
// hand-write JSON.

// textContent is the content of a text message.
type textContent struct {
	Text string `json:"text"`
}

// TextContent returns the Content of a text message (MessageText) that
// reads text: {"text":"..."}.
func TextContent(text string) string {
	b, _ := json.Marshal(textContent{Text: text}) // a string always encodes
	return string(b)
}

// CustomContent returns the Content of a custom message (MessageCustom): v
// encoded as JSON. The client SDKs pass it to the app as it is.
func CustomContent(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("volcim: CustomContent: %w", err)
	}
	return string(b), nil
}

// Text returns the text of a text message: the "text" member of its
// Content. It reports false for a message of another type, or whose Content
// is not a text message's JSON.
func (m *Message) Text() (string, bool) {
	if m.MsgType != MessageText {
		return "", false
	}
	var c struct {
		Text *string `json:"text"`
	}
	if json.Unmarshal([]byte(m.Content), &c) != nil || c.Text == nil {
		return "", false
	}
	return *c.Text, true
}
