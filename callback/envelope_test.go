package callback_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/volcim/volcim-go/callback"
)

// signVector is a signature computed outside Go from the documented scheme
// (the seven values and the secret, sorted, concatenated, SHA-256, lowercase
// hex): with Python's hashlib, "".join(sorted(values)), whose string order
// is the code-point order Go's byte order gives for UTF-8.
type signVector struct {
	name   string
	env    callback.Envelope
	secret string
	want   string
}

var signVectors = []signVector{
	{
		name: "ASCII",
		env: callback.Envelope{EventType: "AfterSendMessage", EventData: `{"ConversationShortId":7171275522159198471,"Content":"hi"}`,
			EventTime: "2024-03-11T08:00:00.000000000Z", EventID: "evt-0001", AppID: "123456", Version: "2020-12-01", Nonce: "4821"},
		secret: "s3cr3t",
		want:   "8a10808a045af20197d49a18bc4901253fc900cdd40d2220b01a6957f0a57f13",
	},
	{
		name: "non-ASCII values and secret",
		env: callback.Envelope{EventType: "BeforeSendMessage", EventData: `{"Content":"{\"text\":\"你好，世界\"}","Header":{"DeviceType":"iPhone"}}`,
			EventTime: "2024-03-11T08:00:00.123456789Z", EventID: "事件-42", AppID: "123456", Version: "2020-12-01", Nonce: "0042"},
		secret: "密钥-ключ",
		want:   "ce68a29e221c5653b79adfc10a6ad28547be11faafdda40132b78dad67d5d6db",
	},
	{
		name: "empty nonce",
		env: callback.Envelope{EventType: "AfterSendMessage", EventData: `{}`,
			EventTime: "2024-03-11T08:00:00.000000000Z", EventID: "evt-0002", AppID: "123456", Version: "2020-12-01", Nonce: ""},
		secret: "s3cr3t",
		want:   "fe9d462c5d7212de1394d827c16675f6ce877c6272841c8a7d4f3c06a736d526",
	},
	{
		// U+FF5E sorts before U+1F600 by code point (and UTF-8 bytes) but
		// after it by UTF-16 code unit, which would give
		// 7370d2ad3718999012238cb8aeb93bc5ee8941d606b5c611546be6b0c80dcf51.
		name: "code-point order, not UTF-16",
		env: callback.Envelope{EventType: "～wave", EventData: `{"x":"😀"}`,
			EventTime: "2024-03-11T08:00:00.000000000Z", EventID: "😀-id", AppID: "1", Version: "2020-12-01", Nonce: "9999"},
		secret: "Zebra-éclair",
		want:   "83dd16f46d53309822588afb34f79b91972ce0595de701d09ce25f128458e6ba",
	},
	{
		// SHA-256("k"), as sha256sum prints it.
		name:   "every value empty but the secret",
		env:    callback.Envelope{},
		secret: "k",
		want:   "8254c329a92850f6d539dd376f4816ee2764517da5e0235514af433164480d7a",
	},
}

func TestSignVectors(t *testing.T) {
	t.Parallel()
	for _, v := range signVectors {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			env := v.env
			if got := callback.Sign(&env, v.secret); got != v.want {
				t.Fatalf("Sign = %s, want %s", got, v.want)
			}
			env.Signature = v.want
			if err := callback.Verify(&env, v.secret); err != nil {
				t.Errorf("Verify of the vector: %v", err)
			}
			env.Signature = strings.ToUpper(v.want)
			if err := callback.Verify(&env, v.secret); err != nil {
				t.Errorf("Verify of the vector in upper case: %v", err)
			}
		})
	}
}

// TestVerifyTampering changes one value at a time, the secret included, and
// expects ErrBadSignature each time.
func TestVerifyTampering(t *testing.T) {
	t.Parallel()
	v := signVectors[1]
	fields := map[string]func(e *callback.Envelope){
		"EventType": func(e *callback.Envelope) { e.EventType = "AfterSendMessage" },
		"EventData": func(e *callback.Envelope) { e.EventData = strings.Replace(e.EventData, "世界", "世間", 1) },
		"EventTime": func(e *callback.Envelope) { e.EventTime = "2024-03-11T08:00:00.123456780Z" },
		"EventId":   func(e *callback.Envelope) { e.EventID += "0" },
		"AppId":     func(e *callback.Envelope) { e.AppID = "123457" },
		"Version":   func(e *callback.Envelope) { e.Version = "2020-12-02" },
		"Nonce":     func(e *callback.Envelope) { e.Nonce = "0043" },
		"Nonce emptied": func(e *callback.Envelope) {
			e.Nonce = ""
		},
		"Signature, one digit": func(e *callback.Envelope) {
			b := []byte(e.Signature)
			b[63] = "01"[b[63]&1] // a different hex digit
			e.Signature = string(b)
		},
		"whitespace added": func(e *callback.Envelope) { e.EventData += " " },
	}
	for name, tamper := range fields {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := v.env
			env.Signature = v.want
			tamper(&env)
			if err := callback.Verify(&env, v.secret); !errors.Is(err, callback.ErrBadSignature) {
				t.Errorf("Verify after changing %s = %v, want ErrBadSignature", name, err)
			}
		})
	}
	t.Run("secret", func(t *testing.T) {
		t.Parallel()
		env := v.env
		env.Signature = v.want
		for _, secret := range []string{"密钥-ключь", "密钥", v.secret + " ", strings.ToUpper(v.secret)} {
			if err := callback.Verify(&env, secret); !errors.Is(err, callback.ErrBadSignature) {
				t.Errorf("Verify with secret %q = %v, want ErrBadSignature", secret, err)
			}
		}
	})
}

// TestVerifySwappedValues pins down a property of the documented scheme
// that the Handler defends against: the values are sorted before hashing,
// so swapping two of them keeps the signature valid.
func TestVerifySwappedValues(t *testing.T) {
	t.Parallel()
	v := signVectors[0]
	env := v.env
	env.EventID, env.Nonce = env.Nonce, env.EventID
	env.Signature = v.want
	if err := callback.Verify(&env, v.secret); err != nil {
		t.Fatalf("Verify with EventId and Nonce swapped = %v; the scheme has changed, revisit the Handler's signature key", err)
	}
}

func TestVerifyErrors(t *testing.T) {
	t.Parallel()
	v := signVectors[0]
	withSig := func(sig string) *callback.Envelope {
		e := v.env
		e.Signature = sig
		return &e
	}
	tests := []struct {
		name    string
		env     *callback.Envelope
		secrets []string
		want    error
	}{
		{"no signature", withSig(""), []string{v.secret}, callback.ErrUnsigned},
		{"short", withSig(v.want[:62]), []string{v.secret}, callback.ErrBadSignature},
		{"long", withSig(v.want + "00"), []string{v.secret}, callback.ErrBadSignature},
		{"not hex", withSig("zz" + v.want[2:]), []string{v.secret}, callback.ErrBadSignature},
		{"base64 of the digest", withSig("ihCAigRa8gGX1JoYvEkBJT/JAM3UDSIgsBppV/ClfxM="), []string{v.secret}, callback.ErrBadSignature},
		{"no secret", withSig(v.want), nil, callback.ErrNoSecret},
		{"an empty secret", withSig(v.want), []string{v.secret, ""}, callback.ErrNoSecret},
		{"wrong secrets", withSig(v.want), []string{"wrong-secret-1", "wrong-secret-2"}, callback.ErrBadSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := callback.Verify(tc.env, tc.secrets...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
			for _, s := range tc.secrets {
				if s != "" && strings.Contains(err.Error(), s) {
					t.Errorf("the error %q shows a secret", err)
				}
			}
		})
	}
}

// TestVerifyRotation: any of several secrets verifies, in any position.
func TestVerifyRotation(t *testing.T) {
	t.Parallel()
	v := signVectors[0]
	env := v.env
	env.Signature = v.want
	for _, secrets := range [][]string{
		{v.secret, "new-secret"},
		{"new-secret", v.secret},
		{"a", "b", v.secret, "c"},
	} {
		if err := callback.Verify(&env, secrets...); err != nil {
			t.Errorf("Verify with secrets %q: %v", secrets, err)
		}
	}
}

func TestParseEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want callback.Envelope // ignored when wantErr
		err  bool
	}{
		{"all strings",
			`{"EventType":"T","EventData":"{\"a\":1}","EventTime":"2024-03-11T08:00:00.000000000Z","EventId":"e","AppId":"1","Version":"2020-12-01","Nonce":"0042","Signature":"ab"}`,
			callback.Envelope{EventType: "T", EventData: `{"a":1}`, EventTime: "2024-03-11T08:00:00.000000000Z", EventID: "e", AppID: "1", Version: "2020-12-01", Nonce: "0042", Signature: "ab"}, false},
		{"numbers are their text", `{"EventTime":1710144000123,"AppId":123456,"Nonce":42}`,
			callback.Envelope{EventTime: "1710144000123", AppID: "123456", Nonce: "42"}, false},
		{"null and missing are empty", `{"EventType":null,"Unknown":{"x":[1]}}`, callback.Envelope{}, false},
		{"surrounding space", " \n{\"EventId\":\"e\"}\n ", callback.Envelope{EventID: "e"}, false},
		{"names are exact", `{"eventid":"e","EventId":"E"}`, callback.Envelope{EventID: "E"}, false},
		{"EventData as an object", `{"EventData":{"a":1}}`, callback.Envelope{}, true},
		{"boolean", `{"Nonce":true}`, callback.Envelope{}, true},
		{"array body", `[{"EventId":"e"}]`, callback.Envelope{}, true},
		{"null body", `null`, callback.Envelope{}, true},
		{"two objects", `{"EventId":"e"}{"EventId":"f"}`, callback.Envelope{}, true},
		{"not JSON", `EventId=e`, callback.Envelope{}, true},
		{"empty", ``, callback.Envelope{}, true},
		{"bad string", `{"EventId":"\x"}`, callback.Envelope{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := callback.ParseEnvelope([]byte(tc.body))
			if tc.err {
				if !errors.Is(err, callback.ErrMalformed) {
					t.Fatalf("ParseEnvelope = %+v, %v; want ErrMalformed", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *got != tc.want {
				t.Errorf("ParseEnvelope = %+v, want %+v", *got, tc.want)
			}
		})
	}
}

// TestEnvelopeRoundTrip: Marshal writes what ParseEnvelope reads, and the
// signature still verifies.
func TestEnvelopeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, v := range signVectors {
		env := v.env
		env.Signature = v.want
		body, err := env.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		got, err := callback.ParseEnvelope(body)
		if err != nil {
			t.Fatal(err)
		}
		if *got != env {
			t.Errorf("%s: round trip = %+v, want %+v", v.name, *got, env)
		}
		if err := callback.Verify(got, v.secret); err != nil {
			t.Errorf("%s: %v", v.name, err)
		}
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	want := time.Date(2024, 3, 11, 8, 0, 0, 123456789, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-03-11T08:00:00.123456789Z", want},
		{"2024-03-11T16:00:00.123456789+08:00", want},
		{"2024-03-11T08:00:00Z", want.Truncate(time.Second)},
		{"1970-07-01T00:00:00.000000000Z", time.Date(1970, 7, 1, 0, 0, 0, 0, time.UTC)}, // the docs' example
		{"1710144000", want.Truncate(time.Second)},
		{"1710144000123", want.Truncate(time.Millisecond)},
		{"1710144000123456", want.Truncate(time.Microsecond)},
		{"1710144000123456789", want},
		{"99999999999", time.Unix(99999999999, 0).UTC()},     // 10^11-1: still seconds
		{"100000000000", time.UnixMilli(100000000000).UTC()}, // 10^11: milliseconds
		{"0", time.Unix(0, 0).UTC()},
	}
	for _, tc := range tests {
		got, err := callback.ParseTime(tc.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tc.in, err)
			continue
		}
		if !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, want %v in UTC", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2024-03-11", "2024-03-11 08:00:00", "-1710144000", "1.7e9", "17101440001234567890", " 1710144000"} {
		if got, err := callback.ParseTime(bad); !errors.Is(err, callback.ErrBadTime) {
			t.Errorf("ParseTime(%q) = %v, %v; want ErrBadTime", bad, got, err)
		}
	}
}

func TestFormatTime(t *testing.T) {
	t.Parallel()
	in := time.Date(2024, 3, 11, 16, 0, 0, 120000000, time.FixedZone("CST", 8*3600))
	s := callback.FormatTime(in)
	if s != "2024-03-11T08:00:00.120000000Z" {
		t.Errorf("FormatTime = %q", s)
	}
	if got, err := callback.ParseTime(s); err != nil || !got.Equal(in) {
		t.Errorf("ParseTime(FormatTime(t)) = %v, %v; want %v", got, err, in)
	}
}
