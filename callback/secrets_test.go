package callback_test

import (
	"testing"

	"github.com/volcim/volcim-go/callback"
	"github.com/volcim/volcim-go/internal/redacttest"
)

// TestNoVerbPrintsSecrets prints a Handler with every fmt verb, directly
// and nested, and looks for its secrets.
func TestNoVerbPrintsSecrets(t *testing.T) {
	t.Parallel()
	h, err := callback.NewHandler([]string{testSecret, testOldSecret})
	if err != nil {
		t.Fatal(err)
	}
	redacttest.Check(t, redacttest.Nested(h), testSecret, testOldSecret)
	// Through an unexported field, fmt cannot call Format: the secrets
	// live in closures there.
	type holder struct{ h *callback.Handler }
	redacttest.Check(t, redacttest.Nested(holder{h}), testSecret, testOldSecret)
	redacttest.Check(t, redacttest.Nested(*h), testSecret, testOldSecret)
}
