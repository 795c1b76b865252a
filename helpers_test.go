package volcim_test

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/jarcoal/httpmock"

	volcim "github.com/volcim/volcim-go"
)

// cannedApp is the AppID of cannedClient's client.
const cannedApp = 100001

// cannedClient returns a client whose every call is answered with the
// canned reply testdata/<file>, through an instance-scoped httpmock
// transport, the way a user mocks the SDK.
func cannedClient(t *testing.T, file string) *volcim.Client {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, `=~^https://rtc\.volcengineapi\.com/`, func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(http.StatusOK, body)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	})
	c, err := volcim.NewClient("AKLTcanned", "c2VjcmV0", volcim.WithAppID(cannedApp),
		volcim.WithHTTPClient(&http.Client{Transport: mt}), volcim.WithRateLimit(1e6), volcim.WithRetry(volcim.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// apiCode returns the Code of an *APIError, or "" for any other error.
func apiCode(err error) string {
	var e *volcim.APIError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
