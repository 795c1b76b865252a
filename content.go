package volcim

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Message content: what Message.Content and SendMessageRequest.Content hold.
// The API passes Content through as an opaque string; the Volcengine IM
// client SDKs read it as a JSON document whose shape depends on the message
// type (API page "消息格式", https://www.volcengine.com/docs/6348/372181).
// These helpers build and read the common ones, so that callers do not
// hand-write JSON.
//
// Only the text form is established well enough for a constructor: the API
// pages show {"text":"..."} and every official client reads it. The server
// section of the message-format page could not be found; the image, video,
// audio and file messages the client SDKs write carry their uploads in a
// "__files" object whose keys and "s:file_ext_key_..." fields are internal to
// those SDKs, so the SDK offers no constructor for them: build such Content
// from the client SDK's own output, or use MessageCustom with
// CustomContent.

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
//
// Text also reads the form older versions of the web demo wrote, whose
// "text" member is itself a JSON document of a rich-text editor with an
// "innerText" member (the official clients read it the same way): it
// returns that innerText. A text whose own characters happen to be such a
// document is read the same way.
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
	text := *c.Text
	if strings.HasPrefix(text, "{") {
		var rich struct {
			InnerText *string `json:"innerText"`
		}
		if json.Unmarshal([]byte(text), &rich) == nil && rich.InnerText != nil {
			return *rich.InnerText, true
		}
	}
	return text, true
}
