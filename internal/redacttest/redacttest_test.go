package redacttest

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that records errors instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

type leaky struct{ Secret string }

type safe struct{ secret string }

func (s safe) Format(f fmt.State, _ rune) { fmt.Fprint(f, "safe{[redacted]}") }

type hexLeak struct{ secret string }

func (h hexLeak) Format(f fmt.State, _ rune) { fmt.Fprintf(f, "%X", h.secret) }

type panicky struct{}

func (panicky) Format(fmt.State, rune) { panic("boom") }

func TestCheck(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-redacttest"
	tests := []struct {
		name     string
		value    any
		secrets  []string
		wantErrs bool
		wantText string // in some error, when wantErrs
	}{
		{"safe", safe{secret}, []string{secret}, false, ""},
		{"safe pointer", &safe{secret}, []string{secret}, false, ""},
		{"leaky", leaky{secret}, []string{secret}, true, "shows the secret"},
		{"leaky string", secret, []string{secret}, true, "shows the secret"},
		{"hex-encoded leak", hexLeak{secret}, []string{secret}, true, "shows the secret"},
		{"panicking Format", panicky{}, []string{secret}, true, "panicked"},
		{"no secrets", safe{secret}, nil, true, "no secrets"},
		{"empty secret", safe{secret}, []string{""}, true, "empty secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &recorder{TB: t}
			Check(r, Nested(tt.value), tt.secrets...)
			if got := len(r.errs) > 0; got != tt.wantErrs {
				t.Fatalf("errors %v, want errors: %v", r.errs, tt.wantErrs)
			}
			if tt.wantErrs && !strings.Contains(strings.Join(r.errs, "\n"), tt.wantText) {
				t.Errorf("no error mentions %q: %v", tt.wantText, r.errs)
			}
		})
	}
}

// TestNestedReachesEveryForm checks that every form holds the value, so
// that a check over them covers what it says.
func TestNestedReachesEveryForm(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-nested"
	for _, f := range Nested(leaky{secret}) {
		if out := fmt.Sprintf("%v", f.Value); !strings.Contains(out, secret) {
			t.Errorf("%s: %s does not hold the value", f.Name, out)
		}
	}
}
