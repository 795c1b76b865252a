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
// The decoded strings never alias the input (a reply buffer that is reused):
// they are copied into blocks of at most 4 KB shared by the strings of one
// Decoder, one allocation per block. A string kept from a decoded value
// keeps its block alive.
package wirejson

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting that Skip follows; deeper input is left to
// encoding/json (whose own limit is 10000).
const maxDepth = 512

// blockSize is the size of the blocks the strings are copied into.
const blockSize = 4 << 10

// Decoder reads one JSON text.
type Decoder struct {
	s     []byte
	i     int
	block strings.Builder // the strings' current block
	size  int             // the size of a new block
}

// New returns a Decoder of s. The Decoder does not change s, and nothing it
// returns refers to it.
func New(s []byte) Decoder { return Decoder{s: s, size: min(len(s), blockSize)} }

// keep copies b into the current block, or a new one, and returns the copy.
func (d *Decoder) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if d.block.Cap()-d.block.Len() < len(b) {
		if len(b) > d.size/2 {
			return string(b) // a block of its own
		}
		d.block = strings.Builder{}
		d.block.Grow(d.size)
	}
	start := d.block.Len()
	d.block.Write(b)
	// Writes within the capacity never move or change the bytes written
	// before: the block's earlier strings stay as they are.
	return d.block.String()[start:]
}

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
	if d.ws() == 'n' && len(d.s)-d.i >= 4 && string(d.s[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// Key reads the next member's key of an object whose brace Object read,
// and the colon after it. first is true for the object's first member.
// end is true, with ok, when the object closed instead. The key may be the
// input's bytes: it is only to be looked at.
func (d *Decoder) Key(first bool) (key []byte, end, ok bool) {
	c := d.ws()
	if c == '}' {
		d.i++
		return nil, true, true
	}
	if !first {
		if c != ',' {
			return nil, false, false
		}
		d.i++
		c = d.ws()
	}
	if c != '"' {
		return nil, false, false
	}
	key, ok = d.raw()
	if !ok || d.ws() != ':' {
		return nil, false, false
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
		b, ok := d.raw()
		if ok {
			*p = d.keep(b)
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
		kb, ok := d.raw()
		if !ok || d.ws() != ':' {
			return false
		}
		k := d.keep(kb)
		d.i++
		var v string
		if !d.String(&v) {
			return false
		}
		m[k] = v
	}
}

// stops marks the bytes that end the plain run of a string: the quote, the
// backslash and control characters.
var stops = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c == '"' || c == '\\' || c < ' '
	}
	return t
}()

// raw reads the string whose opening quote is at d.i and returns its
// value: without escapes and with valid UTF-8 the input's bytes, otherwise
// a new slice, unescaped as encoding/json does (invalid UTF-8 and lone
// surrogates become U+FFFD).
func (d *Decoder) raw() ([]byte, bool) {
	s := d.s
	start := d.i + 1
	i := start
	var high byte // the bits of every byte of the plain run
	for i < len(s) && !stops[s[i]] {
		high |= s[i]
		i++
	}
	if i < len(s) && s[i] == '"' {
		seg := s[start:i]
		d.i = i + 1
		if high < utf8.RuneSelf || utf8.Valid(seg) {
			return seg, true
		}
		return unquote(seg), true
	}
	// An escape, a control character or the end of the input.
	for i < len(s) {
		switch c := s[i]; {
		case c == '"':
			d.i = i + 1
			return unquote(s[start:i]), true
		case c == '\\':
			if i+1 >= len(s) {
				return nil, false
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if hex4(s[i+2:]) < 0 {
					return nil, false
				}
				i += 6
			default:
				return nil, false
			}
		case c < ' ':
			return nil, false
		default:
			i++
		}
	}
	return nil, false
}

// hex4 is the value of the four hex digits that start s, or -1.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range s[:4] {
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
func unquote(s []byte) []byte {
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
			r, n := utf8.DecodeRune(s[i:])
			b = utf8.AppendRune(b, r) // U+FFFD for each invalid byte
			i += n
		}
	}
	return b
}

// Skip reads any JSON value, checking that it is valid.
func (d *Decoder) Skip() bool { return d.skip(0) }

func (d *Decoder) skip(depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch c := d.ws(); c {
	case '"':
		return d.skipStr()
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
			if !d.skipStr() || d.ws() != ':' {
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
	if len(d.s)-d.i >= len(w) && string(d.s[d.i:d.i+len(w)]) == w {
		d.i += len(w)
		return true
	}
	return false
}

// skipStr skips the string whose opening quote is at d.i, checking its
// escapes and that it holds no control character (what the JSON grammar
// asks; invalid UTF-8 is allowed, as encoding/json allows it).
func (d *Decoder) skipStr() bool {
	s := d.s
	for i := d.i + 1; i < len(s); {
		for i < len(s) && !stops[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		switch c := s[i]; {
		case c == '"':
			d.i = i + 1
			return true
		case c == '\\':
			if i+1 >= len(s) {
				return false
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if hex4(s[i+2:]) < 0 {
					return false
				}
				i += 6
			default:
				return false
			}
		default: // a control character
			return false
		}
	}
	return false
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

func digits(s []byte, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// Fold returns key folded as encoding/json folds names to match them
// without regard to case (ASCII letters upper-cased; other runes to the
// smallest rune of their simple case-folding orbit, so that U+212A KELVIN
// SIGN folds to 'K' and U+017F LONG S to 'S'), appended to buf.
func Fold(buf, key []byte) []byte {
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
		r, n := utf8.DecodeRune(key[i:])
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
