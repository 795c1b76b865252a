package wirejson

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"MessageId", "MESSAGEID"},
		{"messageid", "MESSAGEID"},
		{"Me\u017f\u017fageId", "MESSAGEID"}, // LONG S folds to S
		{"\u212aey", "KEY"},                  // KELVIN SIGN folds to K
		{"Sender\u0131d", "SENDER\u0131D"},   // dotless i does not fold to I
		{"App\u0130d", "APP\u0130D"},         // nor dotted I
		{"\u00e9t\u00c9", "\u00c9T\u00c9"},   // é and É fold together
		{"a\xffb", "A\uFFFDB"},               // invalid UTF-8
		{"CodeN", "CODEN"},
	} {
		if got := string(Fold(nil, []byte(tc.in))); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestInts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in       string
		want     int64
		ok, ok32 bool
	}{
		{"0", 0, true, true},
		{"-0", 0, true, true},
		{"7", 7, true, true},
		{"2147483647", 2147483647, true, true},
		{"-2147483648", -2147483648, true, true},
		{"2147483648", 2147483648, true, false},
		{"9223372036854775807", 9223372036854775807, true, false},
		{"-9223372036854775808", -9223372036854775808, true, false},
		{"9223372036854775808", 0, false, false},
		{"-9223372036854775809", 0, false, false},
		{"9999999999999999999", 0, false, false},
		{"18446744073709551617", 0, false, false},
		{"100000000000000000000", 0, false, false},
		{"1.0", 0, false, false},
		{"1e2", 0, false, false},
		{"1E2", 0, false, false},
		{"-", 0, false, false},
		{"+1", 0, false, false},
		{`"1"`, 0, false, false},
		{"true", 0, false, false},
	} {
		var v int64 = -1
		d := New([]byte(tc.in))
		ok := d.Int64(&v) && d.End()
		if ok != tc.ok || ok && v != tc.want {
			t.Errorf("Int64(%s) = %d, %v; want %d, %v", tc.in, v, ok, tc.want, tc.ok)
		}
		var v32 int32 = -1
		d = New([]byte(tc.in))
		ok = d.Int32(&v32) && d.End()
		if ok != tc.ok32 || ok && int64(v32) != tc.want {
			t.Errorf("Int32(%s) = %d, %v; want %d, %v", tc.in, v32, ok, tc.want, tc.ok32)
		}
	}
	// null leaves the value as it is.
	v, v32 := int64(5), int32(6)
	if d := New([]byte("null")); !d.Int64(&v) || v != 5 {
		t.Errorf("null into an int64: %d", v)
	}
	if d := New([]byte("null")); !d.Int32(&v32) || v32 != 6 {
		t.Errorf("null into an int32: %d", v32)
	}
}

// skipValid reports whether Skip takes all of s.
func skipValid(s string) bool {
	d := New([]byte(s))
	return d.Skip() && d.End()
}

func TestSkipIsJSONValid(t *testing.T) {
	t.Parallel()
	for _, s := range skipSeeds {
		if got, want := skipValid(s), json.Valid([]byte(s)); got != want {
			t.Errorf("%q: Skip says %v, json.Valid %v", s, got, want)
		}
	}
}

var skipSeeds = []string{
	``, ` `, `null`, `nul`, `nulll`, `true`, `false`, `fals`, `0`, `-0`, `01`, `-`, `1.`, `1.5`, `.5`, `1e`, `1e+`, `1e+5`, `1E-5`,
	`-1.5e10`, `""`, `"\u00e9"`, `"\u00g9"`, `"\x"`, `"\'"`, "\"\x01\"", "\"\x7f\"", "\"\xff\"", `"abc`, `"\"`, `"\\"`,
	`[]`, `[1,]`, `[,1]`, `[1 2]`, `[1,2]`, `{}`, `{"a":1}`, `{"a":1,}`, `{"a"}`, `{"a":}`, `{a:1}`, `{"a":1 "b":2}`,
	`{"a":[{"b":null}]}`, `[` + strings.Repeat(`[`, 100) + strings.Repeat(`]`, 100) + `]`, ` [ 1 , { "x" : "y" } ] `, "\t\n\r 1",
	"\v1", `1 2`, `{}}`, `[]]`,
}

// FuzzSkip checks Skip against json.Valid: what one takes the other takes
// (but for nesting deeper than Skip follows).
func FuzzSkip(f *testing.F) {
	for _, s := range skipSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := skipValid(s), json.Valid([]byte(s))
		if got && !want || !got && want && strings.Count(s, "[")+strings.Count(s, "{") <= maxDepth {
			t.Fatalf("%q: Skip says %v, json.Valid %v", s, got, want)
		}
	})
}
