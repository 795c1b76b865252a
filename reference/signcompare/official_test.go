package signcompare

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/volcengine/volc-sdk-golang/base"
)

// officialSign signs req as base.Credentials.Sign of
// github.com/volcengine/volc-sdk-golang v1.0.256 does, statement for
// statement, except that it signs at t instead of time.Now() and takes the
// body as bytes instead of reading req.Body. (Credentials.Sign reads the time
// from an unexported variable; base.GetSignRequest, which it calls, takes
// the time as RequestParam.Date.) TestOfficialSignMirrorsCredentialsSign
// checks that the two agree.
func officialSign(req *http.Request, body []byte, c base.Credentials, t time.Time) {
	query := req.URL.Query()
	req.URL.RawQuery = query.Encode()
	if req.URL.Path == "" {
		req.URL.Path += "/"
	}
	if body == nil {
		body = []byte{} // as readAndReplaceBody returns for a nil req.Body
	}
	sr := base.GetSignRequest(base.RequestParam{
		IsSignUrl: false,
		Body:      body,
		Host:      req.Host,
		Path:      req.URL.Path,
		Method:    req.Method,
		Date:      t.UTC(), // Credentials.Sign uses time.Now().UTC()
		QueryList: query,
		Headers:   req.Header,
	}, c)
	req.Header.Set("Host", sr.Host)
	req.Header.Set("Content-Type", sr.ContentType)
	req.Header.Set("X-Date", sr.XDate)
	req.Header.Set("X-Content-Sha256", sr.XContentSha256)
	req.Header.Set("Authorization", sr.Authorization)
	if sr.XSecurityToken != "" {
		req.Header.Set("X-Security-Token", sr.XSecurityToken)
	}
}

// overTheWire returns req as a server receives it: written in HTTP/1.1 wire
// format and parsed back, without its body (Verify gets the body separately).
func overTheWire(req *http.Request) (*http.Request, error) {
	c := req.Clone(context.Background())
	c.Body, c.GetBody, c.ContentLength = nil, nil, 0
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		return nil, err
	}
	return http.ReadRequest(bufio.NewReader(&buf))
}
