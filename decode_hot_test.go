package volcim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/volcim/volcim-go/internal/transport"
)

// The hot reader must give what encoding/json gives, or give up (and then
// encoding/json decodes the reply). These tests and FuzzDecodeHot check
// that for the three hot Result types.

// TestHotFieldsAreTheWireFields checks that the hot reader knows every
// field of the wire types, under its json name: a field added to a wire
// type and not to the reader would be dropped silently.
func TestHotFieldsAreTheWireFields(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ   any
		names []string
	}{
		{envelope[wireMessages]{}, envelopeFields[:]},
		{wireMetadata{}, metadataFields[:]},
		{wireError{}, errorFields[:]},
		{wireConversationMessages{}, pageFields[:]},
		{wireMessages{}, messagesFields[:]},
		{wireConversations{}, conversationsField[:]},
		{wireMessage{}, messageFields[:]},
		{RefMsgInfo{}, refMsgInfoFields[:]},
		{wireConversation{}, conversationFields[:]},
	} {
		rt := reflect.TypeOf(tc.typ)
		var tags []string
		for i := range rt.NumField() {
			f := rt.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			tags = append(tags, name)
		}
		if !reflect.DeepEqual(tags, tc.names) {
			t.Errorf("%v: json names %q, the hot reader knows %q", rt, tags, tc.names)
		}
	}
}

// hotCase decodes body both ways into an envelope of R. hot reports
// whether the hot reader took it; when it did, encoding/json must agree.
func hotCase[R any](t testing.TB, body []byte) (hot bool) {
	t.Helper()
	var fast envelope[R]
	hot = decodeEnvelopeHot(body, &fast)
	var slow envelope[R]
	err := json.Unmarshal(body, &slow)
	if !hot {
		return false
	}
	if err != nil {
		t.Fatalf("%T: the hot reader took %q, encoding/json says %v", fast.Result, body, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%T: %q decodes differently:\n hot  %s\n json %s", fast.Result, body, dump(fast), dump(slow))
	}
	return true
}

// dump shows an envelope with its pointers followed and nil apart from
// empty.
func dump[R any](env envelope[R]) string {
	s := "ResponseMetadata: <nil>"
	if m := env.ResponseMetadata; m != nil {
		s = fmt.Sprintf("ResponseMetadata: %+v", *m)
		if m.Error != nil {
			s += fmt.Sprintf(" Error: %+v", *m.Error)
		}
	}
	if env.Result == nil {
		return s + " Result: <nil>"
	}
	return s + fmt.Sprintf(" Result: %#v", *env.Result)
}

// hotAll decodes body as each hot Result type and reports for which the
// hot reader took it.
func hotAll(t testing.TB, body []byte) [3]bool {
	t.Helper()
	return [3]bool{
		hotCase[wireConversationMessages](t, body),
		hotCase[wireMessages](t, body),
		hotCase[wireConversations](t, body),
	}
}

const hotMeta = `"ResponseMetadata":{"RequestId":"r1","Action":"GetMessages","Version":"2020-12-01","Service":"rtc","Region":"cn-north-1"}`

func hotReply(result string) string { return `{` + hotMeta + `,"Result":` + result + `}` }

// hotCases are replies of every kind the constraints name; hot says
// whether the hot reader must take them (as each of the three types), or
// may give up. Whatever it takes, encoding/json must decode alike.
var hotCases = []struct {
	name string
	body string
	hot  bool
}{
	{"page", hotReply(`{"HasMore":true,"NewCursor":12,"Messages":[{"MessageId":9223372036854775807,"Content":"hi","Ext":{"a":"b"},"RefMsgInfo":{"Hint":"x","Status":3}}]}`), true},
	{"ids beyond 2^53", hotReply(`{"NewCursor":9007199254740993,"Messages":[{"MessageId":9007199254740993,"ConversationShortId":-9223372036854775808,"Sender":18014398509481985}]}`), true},
	{"conversations", hotReply(`{"ConversationCoreInfos":[{"ConversationShortId":7171275522159198471,"Name":"项目群","Ext":{"team":"platform"},"InboxType":-2147483648,"Status":2147483647}]}`), true},
	{"unknown members", `{"Extra":[1,{"a":[true,false,null,-0.5e+3,"\u00e9"]}],` + hotMeta[:len(hotMeta)-1] + `,"Future":{"x":1E9}},"Result":{"Messages":[{"MessageId":1,"New":{"deep":[[[]]]}}],"More":"x"}}`, true},
	{"case-insensitive keys", `{"responsemetadata":{"requestid":"r"},"RESULT":{"messages":[{"messageId":1,"MessageId":2,"CONTENT":"c","ext":{"K":"v"},"refmsginfo":{"hint":"h"}}],"hasMore":true,"conversationcoreinfos":[{"name":"n","conversationshortid":3}]}}`, true},
	{"kelvin sign and long s", `{"ResponseMetadata":{"RequestId":"r"},"Result":{"Me\u017fsages":[{"Content":"\u212a","\u017fender":5}],"Ha\u017fMore":true,"Conver\u017fationCoreInfo\u017f":[{"\u212aey":1,"Notice":"n"}]}}`, true},
	{"kelvin and long s raw", "{\"ResponseMetadata\":{\"RequestId\":\"r\"},\"Result\":{\"Me\u017fsages\":[{\"Message\u212ad\":1,\"\u017fender\":5}],\"Ha\u017fMore\":true}}", true},
	{"dotless i and dotted I do not fold", "{\"ResponseMetadata\":{\"RequestId\":\"r\"},\"Result\":{\"Messages\":[{\"MessageId\":1,\"Sender\u0131d\":2,\"Appİd\":3,\"AppId\":4}]}}", true},
	{"escaped keys", hotReply(`{"Mess\u0061ges":[{"Message\u0049d":5,"\u0043ontent":"c"}]}`), true},
	{"duplicate scalars", hotReply(`{"HasMore":true,"HasMore":false,"NewCursor":1,"NewCursor":null,"Messages":[{"Content":"a","Content":"b","MessageId":1,"messageid":2,"Sender":3,"Sender":null}]}`), true},
	{"duplicate objects merge", `{"ResponseMetadata":{"RequestId":"r"},"ResponseMetadata":{"Action":"a"},"Result":{"Messages":[{"Ext":{"a":"1","b":"2"},"Ext":{"b":"3"},"RefMsgInfo":{"Hint":"h"},"RefMsgInfo":{"Status":1}}]},"Result":{"HasMore":true}}`, true},
	{"null after object", `{"ResponseMetadata":{"RequestId":"r","Error":{"Code":"x"},"Error":null},"Result":{"Messages":[{"Ext":{"a":"1"},"Ext":null,"RefMsgInfo":{"Hint":"h"},"RefMsgInfo":null}]}}`, true},
	{"null result", `{` + hotMeta + `,"Result":null}`, true},
	{"null metadata", `{"ResponseMetadata":null,"Result":{"Messages":[]}}`, true},
	{"result then null", `{` + hotMeta + `,"Result":{"Messages":[{}]},"Result":null}`, true},
	{"null lists", hotReply(`{"Messages":null,"ConversationCoreInfos":null}`), true},
	{"empty lists", hotReply(`{"Messages":[],"ConversationCoreInfos":[]}`), true},
	{"null list then list", hotReply(`{"Messages":null,"Messages":[{"MessageId":1}]}`), true},
	{"null members", hotReply(`{"Messages":[{"MessageId":null,"Content":null,"Ext":{"a":null},"ConversationType":null,"HasMore":null}],"HasMore":null}`), true},
	{"empty objects", `{"ResponseMetadata":{},"Result":{"Messages":[{"Ext":{},"RefMsgInfo":{}}]}}`, true},
	{"escapes", hotReply(`{"Messages":[{"Content":"\"\\\/\b\f\n\r\t\u0000\u00e9\u4e2d\ud83d\ude00","Ext":{"\n":"\u0041"}}]}`), true},
	{"lone and reversed surrogates", hotReply(`{"Messages":[{"Content":"\ud83d x \ude00 \ude00\ud83d \ud83d\u0041 \ud83d\ud83d\ude00 \ud83d"}]}`), true},
	{"invalid UTF-8", "{\"ResponseMetadata\":{\"RequestId\":\"\xff\"},\"Result\":{\"Messages\":[{\"Content\":\"a\xc3\x28b\xed\xa0\x80c\xf0\x9f\x98\",\"Ext\":{\"\xfe\":\"\xc0\xaf\"}}]}}", true},
	{"invalid UTF-8 in an unknown key", "{\"ResponseMetadata\":{},\"Result\":{\"Mess\xffages\":[1],\"Messages\":[]}}", true},
	{"whitespace", " \t\r\n{ \"ResponseMetadata\" : { } , \"Result\" : { \"Messages\" : [ { \"MessageId\" : 1 } , { } ] } } \n", true},
	{"more than a page", hotReply(`{"Messages":[` + strings.Repeat(`{"MessageId":1,"Content":"x"},`, 45) + `{"MessageId":2}],"ConversationCoreInfos":[` + strings.Repeat(`{"Name":"x"},`, 22) + `{}]}`), true},
	{"negative zero", hotReply(`{"NewCursor":-0,"Messages":[{"MessageId":-0}]}`), true},

	// Left to encoding/json where the member is known: a reply that is
	// an error, or a repeated list (encoding/json reuses the first
	// list's elements).
	{"repeated list", hotReply(`{"Messages":[{"MessageId":1,"Content":"a"}],"Messages":[{"MessageId":2}]}`), false},
	{"fraction", hotReply(`{"Messages":[{"MessageId":1.0}]}`), false},
	{"exponent", hotReply(`{"NewCursor":1e3}`), false},
	{"int64 overflow", hotReply(`{"Messages":[{"MessageId":9223372036854775808}]}`), false},
	{"int64 underflow", hotReply(`{"Messages":[{"MessageId":-9223372036854775809}]}`), false},
	{"20 digits", hotReply(`{"Messages":[{"MessageId":10000000000000000000}]}`), false},
	{"int32 overflow", hotReply(`{"Messages":[{"MsgType":2147483648}]}`), false},
	{"leading zero", hotReply(`{"NewCursor":01}`), false},
	{"string for a number", hotReply(`{"Messages":[{"MessageId":"1"}]}`), false},
	{"number for a string", hotReply(`{"Messages":[{"Content":1}]}`), false},
	{"bool for a number", hotReply(`{"NewCursor":true}`), false},
	{"number for a bool", hotReply(`{"HasMore":1}`), false},
	{"object for a list", hotReply(`{"Messages":{}}`), false},
	{"string for an object", `{"ResponseMetadata":"ok","Result":{}}`, false},
	{"list for the result", `{` + hotMeta + `,"Result":[]}`, false},
	{"number in a map", hotReply(`{"Messages":[{"Ext":{"a":1}}]}`), false},
	{"trailing data", hotReply(`{}`) + `{}`, false},
	{"trailing comma", hotReply(`{"Messages":[{"MessageId":1},]}`), false},
	{"truncated", hotReply(`{"Messages":[{"MessageId":1}`), false},
	{"control character", hotReply(`{"Messages":[{"Content":"a` + "\n" + `b"}]}`), false},
	{"bad escape", hotReply(`{"Messages":[{"Content":"\x"}]}`), false},
	{"bad escape in an unknown member", hotReply(`{"X":"\u12g4","Messages":[]}`), false},
	{"single quote escape", hotReply(`{"Messages":[{"Content":"\'"}]}`), false},
	{"bad number in an unknown member", hotReply(`{"X":-,"Messages":[]}`), false},
	{"bad literal", hotReply(`{"HasMore":tru}`), false},
	{"null", `null`, false},
	{"empty", ``, false},
	{"html", `<html></html>`, false},
	{"deep unknown member", hotReply(`{"X":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`), false},
}

func TestHotDecodeAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range hotCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := hotAll(t, []byte(tc.body))
			if tc.hot && got != [3]bool{true, true, true} {
				t.Errorf("the hot reader gave up (%v) on %q", got, tc.body)
			}
		})
	}
}

// The canned replies of the hot actions take the hot path.
func TestHotDecodesTheCannedReplies(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"get_conversation_messages.json", "get_conversation_messages_all_fields.json", "get_messages.json", "batch_get_conversations.json"} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if got := hotAll(t, body); got != [3]bool{true, true, true} {
			t.Errorf("%s: the hot reader gave up: %v", name, got)
		}
	}
}

// No decoded string may alias the reply's pooled buffer: overwriting the
// body after decoding changes nothing.
func TestHotStringsDoNotAliasTheBody(t *testing.T) {
	t.Parallel()
	body := []byte(hotReply(`{"Messages":[{"Content":"hello","ClientMsgId":"c","SenderStr":"s","Ext":{"k":"v"},"RefMsgInfo":{"Hint":"h"}}],"ConversationCoreInfos":[{"Name":"n","Ext":{"k":"v"}}]}`))
	var msgs envelope[wireConversationMessages]
	var convs envelope[wireConversations]
	if !decodeEnvelopeHot(body, &msgs) || !decodeEnvelopeHot(body, &convs) {
		t.Fatal("the hot reader gave up")
	}
	want := dump(msgs) + dump(convs)
	for i := range body {
		body[i] = 'X'
	}
	if got := dump(msgs) + dump(convs); got != want {
		t.Errorf("decoded values changed with the body:\n%s\nwas\n%s", got, want)
	}
}

// decodeReply gives the same result and the same error, value for value,
// whichever reader decodes the reply.
func TestDecodeReplySameWithEitherReader(t *testing.T) {
	t.Parallel()
	a := &apiAction{name: "GetConversationMessages", retry: retryRead, result: true}
	for _, tc := range hotCases {
		for _, status := range []int{200, 400, 503} {
			resp := &transport.Response{StatusCode: status, Body: []byte(tc.body)}
			res, meta, err := decodeReply[wireConversationMessages](a, resp)
			wantRes, wantMeta, wantErr := decodeReplyWith[wireConversationMessages](a, resp, false)
			if !reflect.DeepEqual(res, wantRes) || meta != wantMeta || !reflect.DeepEqual(err, wantErr) {
				t.Errorf("%s, %d: got %v, %+v, %v; encoding/json gives %v, %+v, %v", tc.name, status, res, meta, err, wantRes, wantMeta, wantErr)
			}
		}
	}
}

// FuzzDecodeHot decodes mutated replies both ways: whenever the hot reader
// takes one, encoding/json must take it too, with the same values.
//
//	go test -run '^$' -fuzz FuzzDecodeHot -fuzztime 10m .
func FuzzDecodeHot(f *testing.F) {
	for _, name := range []string{"get_conversation_messages.json", "get_conversation_messages_all_fields.json", "get_messages.json", "batch_get_conversations.json", "error_invalid_param.json"} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	for _, tc := range hotCases {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		orig := bytes.Clone(body)
		hotAll(t, body)
		if !bytes.Equal(body, orig) {
			t.Fatal("the reader changed its input")
		}
	})
}

// FuzzDecodeHotGenerated decodes random replies built from the wire types'
// names, spelled in random case, repeated, escaped, nulled or of the wrong
// type, with random strings (escapes, surrogates, invalid UTF-8) and
// numbers at the edges of their ranges: replies close enough to the real
// ones that the hot reader takes most of them.
//
//	go test -run '^$' -fuzz FuzzDecodeHotGenerated -fuzztime 10m .
func FuzzDecodeHotGenerated(f *testing.F) {
	for seed := range uint64(16) {
		f.Add(seed, seed*7919)
	}
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		g := &replyGen{r: rand.New(rand.NewPCG(s1, s2))}
		hotAll(t, []byte(g.reply()))
	})
}

// replyGen builds random replies shaped like the hot actions'.
type replyGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *replyGen) reply() string {
	g.b.Reset()
	g.object(envelopeFields[:], func(name string) {
		switch name {
		case "ResponseMetadata":
			g.maybe(func() {
				g.object(metadataFields[:], func(name string) {
					if name == "Error" {
						g.maybe(func() { g.object(errorFields[:], g.scalar) })
						return
					}
					g.scalar(name)
				})
			})
		default:
			g.maybe(func() {
				g.object(append(append(append([]string{}, pageFields[:]...), conversationsField[:]...), "Unknown"), func(name string) {
					switch name {
					case "Messages":
						g.list(func() { g.object(messageFields[:], g.messageField) })
					case "ConversationCoreInfos":
						g.list(func() { g.object(conversationFields[:], g.scalar) })
					default:
						g.scalar(name)
					}
				})
			})
		}
	})
	return g.b.String()
}

func (g *replyGen) messageField(name string) {
	if name == "RefMsgInfo" {
		g.maybe(func() { g.object(refMsgInfoFields[:], g.scalar) })
		return
	}
	g.scalar(name)
}

// maybe writes null now and then, else what value writes.
func (g *replyGen) maybe(value func()) {
	if g.r.IntN(8) == 0 {
		g.b.WriteString("null")
		return
	}
	value()
}

func (g *replyGen) list(elem func()) {
	if g.r.IntN(10) == 0 {
		g.b.WriteString("null")
		return
	}
	g.b.WriteByte('[')
	n := g.r.IntN(25)
	for i := range n {
		if i > 0 {
			g.b.WriteByte(',')
		}
		elem()
	}
	g.b.WriteByte(']')
}

// object writes an object with a random selection of names (some repeated,
// some unknown), each value written by value.
func (g *replyGen) object(names []string, value func(name string)) {
	g.b.WriteByte('{')
	n := g.r.IntN(len(names) + 3)
	for i := range n {
		if i > 0 {
			g.b.WriteByte(',')
		}
		name := names[g.r.IntN(len(names))]
		if g.r.IntN(12) == 0 {
			name = "Unknown" + name
		}
		g.key(name)
		g.b.WriteByte(':')
		if strings.HasPrefix(name, "Unknown") {
			g.scalar("")
			continue
		}
		value(name)
	}
	g.b.WriteByte('}')
}

// key writes name, now and then in another case, with a rune that folds
// to one of its letters, or escaped.
func (g *replyGen) key(name string) {
	var k strings.Builder
	for _, c := range name {
		switch g.r.IntN(40) {
		case 0:
			c ^= 0x20 // the other case of a letter
		case 1:
			if c == 'k' || c == 'K' {
				k.WriteString("\u212a")
				continue
			}
			if c == 's' || c == 'S' {
				k.WriteString("\u017f")
				continue
			}
		case 2:
			fmt.Fprintf(&k, `\u%04x`, c)
			continue
		}
		k.WriteRune(c)
	}
	g.b.WriteByte('"')
	g.b.WriteString(k.String())
	g.b.WriteByte('"')
}

var (
	genInt64s = []string{"0", "-0", "1", "-1", "2147483648", "-2147483649", "9007199254740993",
		"9223372036854775807", "-9223372036854775808", "1669723106144", "null"}
	genInt32s  = []string{"0", "-0", "1", "-1", "2147483647", "-2147483648", "10001", "null"}
	genBadInts = []string{"9223372036854775808", "-9223372036854775809", "18446744073709551616", "1.5", "1e3", "0.0", "01", "-", "\"1\""}
	genBools   = []string{"true", "false", "null"}
	genStrings = []string{`""`, `"a"`, `"好的"`, `"\u00e9\n"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00\ud83d"`, `"\ud83d\u0041"`, "\"\xff\xfe\"", "\"\xed\xa0\x80\"", `"\/\b\f\r\t\\\""`, `"\u212a"`, "\"ok\x7f\"", "\"a\xf0\x9f\x98\"", "null"}
	genBadStr  = []string{"\"a\x01\"", `"\x"`, `"\u12"`, `"abc`}
	genMaps    = []string{"{}", `{"a":"b"}`, `{"a":null}`, `{"s:client_message_id":"x","a":"y","a":"z"}`, `{"\u212a":"\ud800"}`, "null"}
	genOthers  = []string{"null", "true", "false", "{}", "[]", `{"a":"b"}`, `{"a":1}`, `[1,"x",{}]`, "1.5e-3", `"x"`, "-0.0"}
	genKinds   = wireKinds()
)

// wireKinds maps the hot types' JSON names to their Go kinds.
func wireKinds() map[string]reflect.Kind {
	kinds := map[string]reflect.Kind{}
	for _, v := range []any{wireMetadata{}, wireError{}, wireConversationMessages{}, wireMessage{}, RefMsgInfo{}, wireConversation{}} {
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			kinds[name] = rt.Field(i).Type.Kind()
		}
	}
	return kinds
}

func (g *replyGen) pick(from []string) { g.b.WriteString(from[g.r.IntN(len(from))]) }

// scalar writes a random value for the member name: mostly one of its
// type, now and then one that is not (or not valid JSON).
func (g *replyGen) scalar(name string) {
	if g.r.IntN(60) == 0 {
		g.pick(genOthers)
		return
	}
	switch kind, known := genKinds[name]; {
	case !known:
		g.pick(genOthers)
	case g.r.IntN(200) == 0:
		g.pick(genBadInts)
	case g.r.IntN(200) == 0:
		g.pick(genBadStr)
	case kind == reflect.Int64:
		g.pick(genInt64s)
	case kind == reflect.Int32:
		g.pick(genInt32s)
	case kind == reflect.Bool:
		g.pick(genBools)
	case kind == reflect.String:
		g.pick(genStrings)
	case kind == reflect.Map:
		g.pick(genMaps)
	default:
		g.pick(genOthers)
	}
}

// The generated replies are close enough to the real ones that the hot
// reader takes a good share of them (else the fuzz test would compare
// little).
func TestGeneratedRepliesMostlyTakeTheHotPath(t *testing.T) {
	t.Parallel()
	var took, n int
	for seed := range uint64(400) {
		g := &replyGen{r: rand.New(rand.NewPCG(seed, 1))}
		got := hotAll(t, []byte(g.reply()))
		for _, hot := range got {
			n++
			if hot {
				took++
			}
		}
	}
	if took*4 < n {
		t.Errorf("the hot reader took %d of %d generated replies, want a quarter at least", took, n)
	}
	t.Logf("the hot reader took %d of %d generated replies", took, n)
}
