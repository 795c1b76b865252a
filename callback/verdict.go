package callback

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Verdict is a BeforeSendMessage handler's decision: let the message
// through (the zero Verdict), block it, or let it through changed.
//
// The documentation says the pre-send hook can intercept a message but not
// how the answer is written. The handler answers HTTP 200 with the body
// [EncodeVerdict] writes, an assumption of this package (see the package
// documentation); [WithVerdictEncoder] replaces it.
type Verdict struct {
	// Block refuses the message: it is neither stored nor delivered.
	Block bool
	// Code tells the sender why the message was blocked (sent as
	// CheckCode); it is sent only with Block.
	Code int
	// Reason is the explanation sent with Code (as CheckMessage); it is
	// sent only with Block.
	Reason string
	// Content, when not nil, replaces the message's content (in the format
	// of its MsgType: volcim.TextContent for a text message).
	Content *string
	// Ext, when not nil, replaces the message's Ext.
	Ext map[string]string
}

// Allow returns the Verdict that lets a message through unchanged: the zero
// Verdict.
func Allow() Verdict { return Verdict{} }

// Block returns the Verdict that refuses a message, telling the sender code
// and reason.
func Block(code int, reason string) Verdict {
	return Verdict{Block: true, Code: code, Reason: reason}
}

// Replace returns the Verdict that lets a message through with content
// instead of its own.
func Replace(content string) Verdict {
	return Verdict{Content: &content}
}

// wireVerdict is the default body of a BeforeSendMessage answer.
type wireVerdict struct {
	Allow        bool              `json:"Allow"`
	CheckCode    int               `json:"CheckCode,omitempty"`
	CheckMessage string            `json:"CheckMessage,omitempty"`
	Content      *string           `json:"Content,omitempty"`
	Ext          map[string]string `json:"Ext,omitempty"`
}

// EncodeVerdict writes the default answer body of a BeforeSendMessage
// event (an assumption, see the package documentation):
//
//	{"Allow":true}                                            let it through
//	{"Allow":true,"Content":"...","Ext":{...}}                let it through changed
//	{"Allow":false,"CheckCode":1001,"CheckMessage":"..."}     block it
//
// A blocked message carries no Content or Ext.
func EncodeVerdict(v Verdict) ([]byte, error) {
	w := wireVerdict{Allow: !v.Block}
	if v.Block {
		w.CheckCode, w.CheckMessage = v.Code, v.Reason
	} else {
		w.Content, w.Ext = v.Content, v.Ext
	}
	return json.Marshal(w)
}

// ParseVerdict reads a body EncodeVerdict wrote, as volcimtest does. An
// empty body lets the message through. A body without "Allow" blocks the
// message if it has a non-zero CheckCode and lets it through otherwise.
func ParseVerdict(body []byte) (Verdict, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return Verdict{}, nil
	}
	var w struct {
		Allow        *bool             `json:"Allow"`
		CheckCode    int               `json:"CheckCode"`
		CheckMessage string            `json:"CheckMessage"`
		Content      *string           `json:"Content"`
		Ext          map[string]string `json:"Ext"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return Verdict{}, fmt.Errorf("callback: the verdict is not JSON: %w", err)
	}
	block := w.CheckCode != 0
	if w.Allow != nil {
		block = !*w.Allow
	}
	if block {
		return Verdict{Block: true, Code: w.CheckCode, Reason: w.CheckMessage}, nil
	}
	return Verdict{Content: w.Content, Ext: w.Ext}, nil
}
