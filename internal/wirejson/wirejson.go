// Package wirejson is a small JSON reader for the SDK's hot reply types: it
// decodes a reply into typed values without reflection, with the results
// encoding/json would give for the same Go types.
//
// It is deliberately partial. Every reader returns ok == false on anything
// it does not handle exactly as encoding/json would (or that encoding/json
// rejects), and its caller then decodes the whole reply again with
// encoding/json, which gives the value or the error. A reader that returns
// true has validated what it consumed; Decoder.End checks that only
// whitespace follows the top-level value.
//
// Strings are substrings of the input string where no unescaping is needed:
// the caller passes a string it owns (a copy of the reply), never one that
// aliases a reused buffer.
package wirejson

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting that Skip follows; deeper input is left to
// encoding/json (whose own limit is 10000).
const maxDepth = 512

// Decoder reads one JSON text from a string.
type Decoder struct {
	s string
	i int
}

// New returns a Decoder of s.
func New(s string) Decoder { return Decoder{s: s} }

// Offset is the position of the next byte to read.
func (d *Decoder) Offset() int { return d.i }

// ws skips whitespace and returns the next byte, or 0 at the end.
func (d *Decoder) ws() byte {
	for d.i < len(d.s) {
		switch c := d.s[d.i]; c {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return c
		}
	}
	return 0
}

// End reports whether only whitespace is left.
func (d *Decoder) End() bool {
	d.ws()
	return d.i == len(d.s)
}

// Object reads the opening brace of an object.
func (d *Decoder) Object() bool {
	if d.ws() != '{' {
		return false
	}
	d.i++
	return true
}

// Array reads the opening bracket of an array.
func (d *Decoder) Array() bool {
	if d.ws() != '[' {
		return false
	}
	d.i++
	return true
}

// Null reads a null if one comes next and reports whether it did.
func (d *Decoder) Null() bool {
	if d.ws() == 'n' && len(d.s)-d.i >= 4 && d.s[d.i:d.i+4] == "null" {
		d.i += 4
		return true
	}
	return false
}

// Key reads the next member's key of an object whose brace Object read,
// and the colon after it. first is true for the object's first member.
// end is true, with ok, when the object closed instead.
func (d *Decoder) Key(first bool) (key string, end, ok bool) {
	c := d.ws()
	if c == '}' {
		d.i++
		return "", true, true
	}
	if !first {
		if c != ',' {
			return "", false, false
		}
		d.i++
		c = d.ws()
	}
	if c != '"' {
		return "", false, false
	}
	key, ok = d.str()
	if !ok || d.ws() != ':' {
		return "", false, false
	}
	d.i++
	return key, false, true
}

// Elem reads what comes before an array's next element. end is true, with
// ok, when the array closed instead.
func (d *Decoder) Elem(first bool) (end, ok bool) {
	c := d.ws()
	if c == ']' {
		d.i++
		return true, true
	}
	if first {
		return false, true
	}
	if c != ',' {
		return false, false
	}
	d.i++
	return false, true
}

// String decodes a string into *p; null leaves *p as it is.
func (d *Decoder) String(p *string) bool {
	switch d.ws() {
	case '"':
		s, ok := d.str()
		if ok {
			*p = s
		}
		return ok
	case 'n':
		return d.Null()
	}
	return false
}

// Bool decodes true or false into *p; null leaves *p as it is.
func (d *Decoder) Bool(p *bool) bool {
	switch d.ws() {
	case 't':
		if d.lit("true") {
			*p = true
			return true
		}
	case 'f':
		if d.lit("false") {
			*p = false
			return true
		}
	case 'n':
		return d.Null()
	}
	return false
}

// Int64 decodes an integer into *p; null leaves *p as it is. A number with
// a fraction or an exponent, or out of range, is not read (encoding/json
// refuses it for an integer).
func (d *Decoder) Int64(p *int64) bool {
	c := d.ws()
	if c == 'n' {
		return d.Null()
	}
	v, ok := d.int(c)
	if ok {
		*p = v
	}
	return ok
}

// Int32 is Int64 for an int32, refusing values out of its range.
func (d *Decoder) Int32(p *int32) bool {
	c := d.ws()
	if c == 'n' {
		return d.Null()
	}
	v, ok := d.int(c)
	if !ok || v != int64(int32(v)) {
		return false
	}
	*p = int32(v)
	return true
}

// int reads an integer starting with c at d.i.
func (d *Decoder) int(c byte) (int64, bool) {
	s, i := d.s, d.i
	neg := c == '-'
	if neg {
		i++
	}
	if i >= len(s) {
		return 0, false
	}
	var u uint64
	switch c = s[i]; {
	case c == '0':
		i++
	case '1' <= c && c <= '9':
		start := i
		for ; i < len(s); i++ {
			c = s[i] - '0'
			if c > 9 {
				break
			}
			u = u*10 + uint64(c)
		}
		if n := i - start; n > 19 || n == 19 && u > 1<<63 {
			// Beyond any int64 (19 digits cannot wrap a uint64; more
			// can).
			return 0, false
		}
	default:
		return 0, false
	}
	if i < len(s) {
		if c := s[i]; c == '.' || c == 'e' || c == 'E' {
			return 0, false
		}
	}
	if neg {
		d.i = i
		return -int64(u), true // -(1<<63) wraps to itself, as wanted
	}
	if u > 1<<63-1 {
		return 0, false
	}
	d.i = i
	return int64(u), true
}

// StringMap decodes an object of strings into *p, adding to a map that is
// already there (as encoding/json does); null sets *p to nil. A null value
// stores "".
func (d *Decoder) StringMap(p *map[string]string) bool {
	if d.Null() {
		*p = nil
		return true
	}
	if !d.Object() {
		return false
	}
	m := *p
	if m == nil {
		m = make(map[string]string)
		*p = m
	}
	for first := true; ; first = false {
		c := d.ws()
		if c == '}' {
			d.i++
			return true
		}
		if !first {
			if c != ',' {
				return false
			}
			d.i++
			c = d.ws()
		}
		if c != '"' {
			return false
		}
		k, ok := d.str()
		if !ok || d.ws() != ':' {
			return false
		}
		d.i++
		var v string
		if !d.String(&v) {
			return false
		}
		m[k] = v
	}
}

// needs marks the bytes that end the plain run of a string: the quote, the
// backslash, control characters and the bytes of multi-byte UTF-8.
var needs = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c == '"' || c == '\\' || c < ' ' || c >= utf8.RuneSelf
	}
	return t
}()

// str reads the string whose opening quote is at d.i. Without escapes and
// with valid UTF-8 it is a substring of the input; otherwise it is
// unescaped as encoding/json does (invalid UTF-8 and lone surrogates become
// U+FFFD) into a new string.
func (d *Decoder) str() (string, bool) {
	s := d.s
	start := d.i + 1
	i := start
	for i < len(s) && !needs[s[i]] {
		i++
	}
	if i < len(s) && s[i] == '"' {
		d.i = i + 1
		return s[start:i], true
	}
	// Something to look at: multi-byte UTF-8, an escape, a control
	// character or the end of the input.
	plain := true
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			seg := s[start:i]
			d.i = i + 1
			if plain {
				return seg, true
			}
			return unquote(seg), true
		case c == '\\':
			plain = false
			if i+1 >= len(s) {
				return "", false
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if hex4(s[i+2:]) < 0 {
					return "", false
				}
				i += 6
			default:
				return "", false
			}
		case c < ' ':
			return "", false
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				plain = false
			}
			i += n
		}
	}
	return "", false
}

// hex4 is the value of the four hex digits that start s, or -1.
func hex4(s string) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range []byte(s[:4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// unquote unescapes the body of a valid JSON string (str checked it) the
// way encoding/json does.
func unquote(s string) string {
	b := make([]byte, 0, len(s)+utf8.UTFMax)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch e := s[i+1]; e {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := hex4(s[i+2:])
				i += 6
				if utf16.IsSurrogate(r) {
					var r2 rune = -1
					if len(s)-i >= 6 && s[i] == '\\' && s[i+1] == 'u' {
						r2 = hex4(s[i+2:])
					}
					if dec := utf16.DecodeRune(r, r2); dec != unicode.ReplacementChar {
						b = utf8.AppendRune(b, dec)
						i += 6
						continue
					}
					r = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, r)
				continue
			default: // '"', '\\', '/'
				b = append(b, e)
			}
			i += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			b = utf8.AppendRune(b, r) // U+FFFD for each invalid byte
			i += n
		}
	}
	return string(b)
}

// Skip reads any JSON value, checking that it is valid.
func (d *Decoder) Skip() bool { return d.skip(0) }

func (d *Decoder) skip(depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch c := d.ws(); c {
	case '"':
		_, ok := d.skipStr()
		return ok
	case '{':
		d.i++
		for first := true; ; first = false {
			c := d.ws()
			if c == '}' {
				d.i++
				return true
			}
			if !first {
				if c != ',' {
					return false
				}
				d.i++
				c = d.ws()
			}
			if c != '"' {
				return false
			}
			if _, ok := d.skipStr(); !ok || d.ws() != ':' {
				return false
			}
			d.i++
			if !d.skip(depth + 1) {
				return false
			}
		}
	case '[':
		d.i++
		for first := true; ; first = false {
			end, ok := d.Elem(first)
			if !ok {
				return false
			}
			if end {
				return true
			}
			if !d.skip(depth + 1) {
				return false
			}
		}
	case 't':
		return d.lit("true")
	case 'f':
		return d.lit("false")
	case 'n':
		return d.lit("null")
	default:
		return d.number()
	}
}

func (d *Decoder) lit(w string) bool {
	if len(d.s)-d.i >= len(w) && d.s[d.i:d.i+len(w)] == w {
		d.i += len(w)
		return true
	}
	return false
}

// skipStr skips the string whose opening quote is at d.i, checking its
// escapes and that it holds no control character (what the JSON grammar
// asks; invalid UTF-8 is allowed, as encoding/json allows it).
func (d *Decoder) skipStr() (struct{}, bool) {
	s := d.s
	for i := d.i + 1; i < len(s); {
		switch c := s[i]; {
		case c == '"':
			d.i = i + 1
			return struct{}{}, true
		case c == '\\':
			if i+1 >= len(s) {
				return struct{}{}, false
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if hex4(s[i+2:]) < 0 {
					return struct{}{}, false
				}
				i += 6
			default:
				return struct{}{}, false
			}
		case c < ' ':
			return struct{}{}, false
		default:
			i++
		}
	}
	return struct{}{}, false
}

// number skips a number, checking the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *Decoder) number() bool {
	s, i := d.s, d.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		j := digits(s, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(s, i)
		if j == i {
			return false
		}
		i = j
	}
	d.i = i
	return true
}

func digits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// Fold returns key folded as encoding/json folds names to match them
// without regard to case (ASCII letters upper-cased; other runes to the
// smallest rune of their simple case-folding orbit, so that U+212A KELVIN
// SIGN folds to 'K' and U+017F LONG S to 'S'), appended to buf.
func Fold(buf []byte, key string) []byte {
	b := buf
	for i := 0; i < len(key); {
		c := key[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(key[i:])
		b = utf8.AppendRune(b, foldRune(r))
		i += n
	}
	return b
}

func foldRune(r rune) rune {
	for {
		next := unicode.SimpleFold(r)
		if next <= r {
			return next
		}
		r = next
	}
}
