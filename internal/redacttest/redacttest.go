// Package redacttest checks that values holding secrets print none of them,
// with any fmt verb, directly and nested in other values.
package redacttest

import (
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Verbs are the fmt directives a check prints every form with: every verb
// a caller may plausibly use, with and without flags.
var Verbs = []string{
	"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T",
	"%#q", "%+q", "%#x", "% x", "%20s", "%-20v", "%o", "%t",
}

// Form is one way a value may reach fmt.
type Form struct {
	// Name says how the value reaches fmt (e.g. "in a slice"), for
	// failure messages.
	Name string
	// Value is the value as fmt receives it.
	Value any
}

// Nested returns v itself and v nested where fmt still calls its methods:
// in a slice, an array, a map (as a value), an exported struct field (of
// v's type and of type any), and behind a pointer to such a struct.
func Nested(v any) []Form {
	rv := reflect.ValueOf(v)
	t := rv.Type()

	slice := reflect.MakeSlice(reflect.SliceOf(t), 1, 1)
	slice.Index(0).Set(rv)
	array := reflect.New(reflect.ArrayOf(2, t)).Elem()
	array.Index(1).Set(rv)
	m := reflect.MakeMap(reflect.MapOf(reflect.TypeFor[string](), t))
	m.SetMapIndex(reflect.ValueOf("k"), rv)
	st := reflect.New(reflect.StructOf([]reflect.StructField{
		{Name: "Name", Type: reflect.TypeFor[string]()},
		{Name: "F", Type: t},
	})).Elem()
	st.Field(0).SetString("outer")
	st.Field(1).Set(rv)
	ptr := reflect.New(st.Type())
	ptr.Elem().Set(st)
	anyField := struct{ F any }{v}

	return []Form{
		{"direct", v},
		{"in a slice", slice.Interface()},
		{"in an array", array.Interface()},
		{"in a map", m.Interface()},
		{"in a []any", []any{1, v}},
		{"in a map[string]any", map[string]any{"k": v}},
		{"in an exported field", st.Interface()},
		{"in an exported field, behind a pointer", ptr.Interface()},
		{"in an exported field of type any", anyField},
		{"in an exported field of type any, behind a pointer", &anyField},
	}
}

// Check prints every form with every verb of [Verbs] and reports, through
// t, each output that holds one of secrets (as is, or hex-encoded as %x
// and %X print a string), that is empty, or that shows a panicking Format
// method. It also fails when secrets is empty, or holds an empty string,
// for such a check could not fail.
func Check(t testing.TB, forms []Form, secrets ...string) {
	t.Helper()
	if len(secrets) == 0 {
		t.Errorf("redacttest.Check: no secrets to look for")
	}
	var needles []string
	for _, s := range secrets {
		if s == "" {
			t.Errorf("redacttest.Check: an empty secret matches every output")
			return
		}
		h := hex.EncodeToString([]byte(s))
		needles = append(needles, s, h, strings.ToUpper(h))
	}
	for _, form := range forms {
		for _, verb := range Verbs {
			out := fmt.Sprintf(verb, form.Value)
			if out == "" {
				t.Errorf("%s, %s: empty output", form.Name, verb)
			}
			if strings.Contains(out, "PANIC=") {
				t.Errorf("%s, %s: a Format method panicked: %s", form.Name, verb, out)
			}
			for i, s := range needles {
				if strings.Contains(out, s) {
					t.Errorf("%s, %s shows the secret %q: %s", form.Name, verb, secrets[i/3], out)
				}
			}
		}
	}
}
