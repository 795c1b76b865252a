package signer_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/volcim/volcim-go/signer"
)

// Signing a request by hand, as the volcim client does for every attempt.
// The time is fixed so that the output can be checked: this is the
// "gcm_seed_body" case of testdata/signing-vectors.json, on which the
// official Go and Node SDKs agree.
func ExampleSigner_Sign() {
	s, err := signer.New(signer.Credentials{
		AccessKeyID:     "AKLTYzA1NDg4ZTQ1MmU0NDhiOGIwZmRhNmE0MjQ2OTg4ZWI",
		SecretAccessKey: "TlRFM01EZzRNRE0wTkRVMk5EbG1ZV0ZpT0RZMk56VTFNVEl3TldZeFpqUQ==",
	}, "cn-north-1", "rtc")
	if err != nil {
		fmt.Println(err)
		return
	}
	body := []byte(`{"AppId":123,"ConversationShortId":456,"Cursor":1666495802476129,"Limit":3,"Reverse":0}`)
	req, _ := http.NewRequest(http.MethodPost,
		"https://rtc.volcengineapi.com/?Action=GetConversationMessages&Version=2020-12-01", nil)
	req.Header.Set("Content-Type", "application/json")
	if err := s.Sign(req, body, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("X-Date:", req.Header.Get("X-Date"))
	fmt.Println("X-Content-Sha256:", req.Header.Get("X-Content-Sha256"))
	for _, part := range strings.Split(req.Header.Get("Authorization"), ", ") {
		fmt.Println(part)
	}
	// Output:
	// X-Date: 20240506T070809Z
	// X-Content-Sha256: d6edb0bd667c9239ac3303e1f397af75b905e7d688b4f2e38ba332180c8f13dc
	// HMAC-SHA256 Credential=AKLTYzA1NDg4ZTQ1MmU0NDhiOGIwZmRhNmE0MjQ2OTg4ZWI/20240506/cn-north-1/rtc/request
	// SignedHeaders=content-type;host;x-content-sha256;x-date
	// Signature=c0b5c71b113326465a6c4f4d69dd006278bb88c820dfc17dc8e4094e37f0e913
}

// A server (or a fake one) checks a received request with Verify.
func ExampleVerify() {
	creds := signer.Credentials{AccessKeyID: "AK-example", SecretAccessKey: "secret-example"}
	s, _ := signer.New(creds, "cn-north-1", "rtc")
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	body := []byte(`{"AppId":1,"ConversationShortId":2,"MessageIds":[3]}`)

	req, _ := http.NewRequest(http.MethodPost, "https://rtc.volcengineapi.com/?Action=GetMessages&Version=2020-12-01", nil)
	req.Header.Set("Content-Type", "application/json")
	_ = s.Sign(req, body, now)

	lookup := func(ak string) (string, bool) {
		if ak == creds.AccessKeyID {
			return creds.SecretAccessKey, true
		}
		return "", false
	}
	res, err := signer.Verify(req, body, lookup, now.Add(time.Minute), 15*time.Minute)
	fmt.Println(res.AccessKeyID, res.Region, res.Service, err)

	_, err = signer.Verify(req, []byte(`{"AppId":1,"ConversationShortId":2,"MessageIds":[4]}`), lookup, now, 15*time.Minute)
	fmt.Println(errors.Is(err, signer.ErrSignatureMismatch))
	// Output:
	// AK-example cn-north-1 rtc <nil>
	// true
}
