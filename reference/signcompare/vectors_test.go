package signcompare

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/volcim/volcim-go/signer"
)

// vector is one entry of the shared signing vectors (the fields used here).
type vector struct {
	Name         string      `json:"name"`
	Method       string      `json:"method"`
	Host         string      `json:"host"`
	Path         string      `json:"path"`
	Query        [][2]string `json:"query"`
	Headers      [][2]string `json:"headers"`
	Body         string      `json:"body"`
	AccessKey    string      `json:"access_key"`
	SecretKey    string      `json:"secret_key"`
	SessionToken string      `json:"session_token"`
	Region       string      `json:"region"`
	Service      string      `json:"service"`
	Time         time.Time   `json:"time"`
	Expect       struct {
		Authorization string `json:"authorization"`
	} `json:"expect"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	data, err := os.ReadFile("../../testdata/signing-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no signing vectors")
	}
	return vs
}

func (v *vector) spec() *spec {
	pairs := make([]string, len(v.Query))
	for i, kv := range v.Query {
		pairs[i] = url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1])
	}
	return &spec{
		method:   v.Method,
		host:     v.Host,
		path:     v.Path,
		rawQuery: strings.Join(pairs, "&"),
		headers:  v.Headers,
		body:     []byte(v.Body),
		creds:    signer.Credentials{AccessKeyID: v.AccessKey, SecretAccessKey: v.SecretKey, SessionToken: v.SessionToken},
		region:   v.Region,
		service:  v.Service,
		at:       v.Time,
	}
}
