package redact

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

const testSecret = "s3cr3t-redact-4b1f"

func TestString(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", testSecret: Placeholder} {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

// described prints through Format with a fixed description.
type described struct{}

func (described) Format(f fmt.State, verb rune) { Format(f, verb, "desc{a b}", "pkg.desc{}") }

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct{ format, want string }{
		{"%v", "desc{a b}"},
		{"%+v", "desc{a b}"},
		{"%s", "desc{a b}"},
		{"%#v", "pkg.desc{}"},
		{"%q", `"desc{a b}"`},
		{"%x", "646573637b6120627d"},
		{"%d", "%!d(string=desc{a b})"},
		{"%12s|", "   desc{a b}|"},
		{"%-12v|", "desc{a b}   |"},
		{"%T", "redact.described"},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, described{}); got != tt.want {
			t.Errorf("Sprintf(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
}

func TestSecret(t *testing.T) {
	t.Parallel()
	s := NewSecret(testSecret)
	if s.Reveal() != testSecret || !s.IsSet() {
		t.Fatalf("Reveal() = %q, IsSet() = %v", s.Reveal(), s.IsSet())
	}
	var zero Secret
	if empty := NewSecret(""); empty.get != nil || empty.Reveal() != "" || empty.IsSet() {
		t.Errorf("NewSecret(\"\") is not the zero Secret")
	}
	if zero.Reveal() != "" || zero.IsSet() {
		t.Errorf("the zero Secret is set")
	}
	if got := fmt.Sprintf("%v|%s|%#v|%q", s, s, s, s); got != `[redacted]|[redacted]|"[redacted]"|"[redacted]"` {
		t.Errorf("printed: %s", got)
	}
	if got := fmt.Sprintf("%v|%#v", zero, zero); got != `|""` {
		t.Errorf("zero printed: %s", got)
	}
	// Where fmt cannot call Format, it finds a function, and prints its
	// address whatever the verb.
	type holder struct{ s Secret }
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%p"} {
		for _, v := range []any{holder{s}, &holder{s}, struct{ h holder }{holder{s}}, []holder{{s}}} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, testSecret) || strings.Contains(strings.ToLower(out), fmt.Sprintf("%x", testSecret)) {
				t.Errorf("Sprintf(%q, %T) shows the secret: %s", verb, v, out)
			}
		}
	}
}

func TestHeader(t *testing.T) {
	t.Parallel()
	const sig = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	h := http.Header{
		"Authorization":       {"HMAC-SHA256 Credential=AK/20260101/cn-north-1/rtc/request, SignedHeaders=host;x-date, Signature=" + sig},
		"Proxy-Authorization": {"Basic " + testSecret},
		"X-Security-Token":    {testSecret, ""},
		"token":               {testSecret}, // not canonical, as set directly
		"Cookie":              {"a=" + testSecret},
		"X-Api-Key":           {testSecret},
		"X-Date":              {"20260101T000000Z"},
		"Content-Type":        {"application/json"},
	}
	orig := h.Clone()
	got := Header(h)
	want := http.Header{
		"Authorization":       {"HMAC-SHA256 Credential=AK/20260101/cn-north-1/rtc/request, SignedHeaders=host;x-date, Signature=[redacted]"},
		"Proxy-Authorization": {"Basic [redacted]"},
		"X-Security-Token":    {"[redacted]", ""},
		"token":               {"[redacted]"},
		"Cookie":              {"[redacted]"},
		"X-Api-Key":           {"[redacted]"},
		"X-Date":              {"20260101T000000Z"},
		"Content-Type":        {"application/json"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Header =\n%v\nwant\n%v", got, want)
	}
	if !reflect.DeepEqual(h, orig) {
		t.Errorf("Header changed its argument: %v", h)
	}
	if Header(nil) != nil {
		t.Errorf("Header(nil) is not nil")
	}
	tests := []struct{ in, want string }{
		{"Signature=" + sig + ", Foo=bar", "Signature=[redacted], Foo=bar"},
		{"Bearer " + testSecret, "Bearer [redacted]"},
		{testSecret, "[redacted]"},
		{" " + testSecret, "[redacted]"},
	}
	for _, tt := range tests {
		if got := Header(http.Header{"Authorization": {tt.in}}).Get("Authorization"); got != tt.want {
			t.Errorf("Authorization %q → %q, want %q", tt.in, got, tt.want)
		}
	}
}
