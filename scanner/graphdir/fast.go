package graphdir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
)

// The big collections (users, groups, contacts: a million items and
// hundreds of megabytes) are decoded by hand: encoding/json spends most of a
// scan's reading time reflecting over struct fields. An element reader cuts
// the "value" array into raw items, and a field table decodes each item's
// flat fields. Anything the fast decoder does not expect in an item goes to
// encoding/json, which then either decodes it or reports the exact error;
// a file whose top level is not a Graph or PowerShell collection is read by
// readCollection as before.

// reserveAfter is how many items are read before the collection's size is
// estimated from the bytes they took.
const reserveAfter = 4096

// errSlowPath asks for the encoding/json reader of the whole file.
var errSlowPath = errors.New("use encoding/json")

// fieldTable maps a lower-case key to the decoder of that field.
type fieldTable[T any] map[string]func(p *itemParser, item *T) error

// fastCollection reads a collection with table; it falls back to
// readCollection for files it does not recognize.
func fastCollection[T any](path string, opt Options, table fieldTable[T], fn func(i int, item *T) error) error {
	emitted := false
	err := fastRead(path, opt, table, func(i int, item *T) error {
		emitted = true
		return fn(i, item)
	})
	if !errors.Is(err, errSlowPath) {
		return err
	}
	if !emitted {
		return readCollection(path, opt, fn)
	}
	// Items went out already: the file is broken after them. Let
	// encoding/json find and describe the fault, without emitting again.
	if err := readCollection(path, Options{}, func(int, *T) error { return nil }); err != nil {
		return err
	}
	return &Error{File: path, Msg: "the file could not be read past its first items; check that it is one JSON document"}
}

func fastRead[T any](path string, opt Options, table fieldTable[T], fn func(i int, item *T) error) error {
	x, err := openExport(path, opt)
	if err != nil {
		return err
	}
	defer x.Close()
	er := &elemReader{r: bufio.NewReaderSize(x, 1<<20), buf: make([]byte, 0, 4<<20)}
	c, err := er.nonSpace()
	if err != nil {
		return errSlowPath
	}
	items := func() error {
		p := &itemParser{}
		var item T // one for all items: fn copies what it keeps
		for i := 0; ; i++ {
			if i == reserveAfter && opt.reserve != nil && er.off+int64(er.pos) > 0 {
				opt.reserve(int(float64(x.size) / float64(er.off+int64(er.pos)) * reserveAfter * 1.02))
			}
			c, err := er.nonSpace()
			if err != nil {
				return errSlowPath
			}
			if c == ']' {
				er.pos++
				return nil
			}
			if i > 0 {
				if c != ',' {
					return errSlowPath
				}
				er.pos++
			}
			raw, at, err := er.value()
			if err != nil {
				return errSlowPath
			}
			if opt.itemAt != nil {
				if !opt.itemAt(i, at) {
					return errStop
				}
				continue
			}
			item = *new(T)
			if err := decodeItem(p, raw, &item, table); err != nil {
				// Not what the fast decoder expects: encoding/json decides.
				item = *new(T)
				if jerr := json.Unmarshal(raw, &item); jerr != nil {
					return itemJSONError(path, fmt.Sprintf("value[%d]", i), at, jerr)
				}
			}
			if err := fn(i, &item); err != nil {
				var ie *itemError
				if errors.As(err, &ie) {
					return &Error{File: path, Line: lineAt(path, at), Path: fmt.Sprintf("value[%d]%s", i, ie.field), Msg: ie.msg}
				}
				return err
			}
		}
	}
	switch c {
	case '[':
		er.pos++
		if err := items(); err != nil {
			return err
		}
		return er.end(path)
	case '{':
		er.pos++
	default:
		return errSlowPath
	}
	sawValue := false
	for first := true; ; first = false {
		c, err := er.nonSpace()
		if err != nil {
			return errSlowPath
		}
		if c == '}' {
			if !sawValue {
				return errSlowPath // {} or only @-keys: readCollection explains
			}
			er.pos++
			return er.end(path)
		}
		if !first {
			if c != ',' {
				return errSlowPath
			}
			er.pos++
		}
		raw, _, err := er.value()
		if err != nil || len(raw) < 2 || raw[0] != '"' {
			return errSlowPath
		}
		var key string // JSON's rules, not Go's: no control characters
		if err := json.Unmarshal(raw, &key); err != nil {
			return errSlowPath
		}
		if c, err := er.nonSpace(); err != nil || c != ':' {
			return errSlowPath
		}
		er.pos++
		switch {
		case equalFoldASCII(key, "value"):
			if sawValue {
				return errSlowPath // a second "value": readCollection explains
			}
			if c, err := er.nonSpace(); err != nil || c != '[' {
				return errSlowPath
			}
			er.pos++
			if err := items(); err != nil {
				return err
			}
			sawValue = true
		case !sawValue && (key == "" || key[0] != '@'):
			return errSlowPath // a single item (ConvertTo-Json of one object)
		default:
			v, _, err := er.value()
			if err != nil || !json.Valid(v) {
				return errSlowPath
			}
			if equalFoldASCII(key, "@odata.nextLink") && string(v) != "null" {
				return errSlowPath // readCollection explains the one-page export
			}
		}
	}
}

// errStop ends a read that found what it looked for.
var errStop = errors.New("stop")

// itemLine returns the line where item j of a collection file starts, 0
// when the file is not one the fast reader walks.
func itemLine(path string, j int) int {
	at := int64(-1)
	opt := Options{itemAt: func(i int, off int64) bool {
		if i == j {
			at = off
		}
		return i < j
	}}
	_ = fastRead(path, opt, fieldTable[struct{}]{}, func(int, *struct{}) error { return nil })
	if at < 0 {
		return 0
	}
	return lineAt(path, at)
}

// itemJSONError reports an item encoding/json could not decode, with the
// line of the offending value.
func itemJSONError(path, p string, at int64, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		if te.Field != "" {
			p += "." + te.Field
		}
		return &Error{File: path, Line: lineAt(path, at+te.Offset), Path: p, Msg: fmt.Sprintf("expected %s, found %s", goTypeName(te.Type.String()), typeErrorKind(te.Value))}
	case errors.As(err, &se):
		return &Error{File: path, Line: lineAt(path, at+se.Offset), Path: p, Msg: "not valid JSON: " + se.Error()}
	}
	return &Error{File: path, Line: lineAt(path, at), Path: p, Msg: err.Error()}
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// elemReader cuts a JSON stream into whole values, keeping a window of the
// file in memory.
type elemReader struct {
	r   io.Reader
	buf []byte
	pos int
	off int64 // file offset of buf[0]
	eof bool
}

// fill moves the unread bytes to the front (always: callers shift their
// indices by the old pos) and reads more; false at the end of the input.
func (e *elemReader) fill() bool {
	if e.pos > 0 {
		n := copy(e.buf, e.buf[e.pos:])
		e.off += int64(e.pos)
		e.buf, e.pos = e.buf[:n], 0
	}
	if e.eof {
		return false
	}
	if len(e.buf) == cap(e.buf) {
		nb := make([]byte, len(e.buf), 2*cap(e.buf))
		copy(nb, e.buf)
		e.buf = nb
	}
	n, err := e.r.Read(e.buf[len(e.buf):cap(e.buf)])
	e.buf = e.buf[:len(e.buf)+n]
	if err != nil {
		e.eof = true
	}
	return n > 0 || !e.eof
}

func (e *elemReader) peek(n int) ([]byte, error) {
	for len(e.buf)-e.pos < n {
		if !e.fill() {
			return nil, io.ErrUnexpectedEOF
		}
	}
	return e.buf[e.pos : e.pos+n], nil
}

// end refuses anything but whitespace after the JSON document, as
// readCollection does (atEnd), without reading the file again.
func (e *elemReader) end(path string) error {
	if _, err := e.nonSpace(); err != nil {
		return nil // the end of the file
	}
	off := e.off + int64(e.pos)
	next, err := e.peek(24)
	if err != nil {
		next = e.buf[e.pos:]
	}
	return &Error{File: path, Line: lineAt(path, off), Msg: trailingMsg(next)}
}

// nonSpace skips whitespace and returns the next byte without consuming it.
func (e *elemReader) nonSpace() (byte, error) {
	for {
		for e.pos < len(e.buf) {
			switch c := e.buf[e.pos]; c {
			case ' ', '\t', '\n', '\r':
				e.pos++
			default:
				return c, nil
			}
		}
		if !e.fill() {
			return 0, io.ErrUnexpectedEOF
		}
	}
}

// value consumes one whole JSON value and returns its bytes (valid until the
// next call) and its file offset.
func (e *elemReader) value() ([]byte, int64, error) {
	if _, err := e.nonSpace(); err != nil {
		return nil, 0, err
	}
	start := e.pos
	depth := 0
	inStr := false
	i := e.pos
	for {
		for ; i < len(e.buf); i++ {
			c := e.buf[i]
			if inStr {
				switch c {
				case '\\':
					i++ // the escaped byte; a refill below keeps i relative
				case '"':
					inStr = false
					if depth == 0 {
						v := e.buf[start : i+1]
						at := e.off + int64(start)
						e.pos = i + 1
						return v, at, nil
					}
				}
				continue
			}
			switch c {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				if depth == 0 {
					if i == start {
						return nil, 0, errSlowPath
					}
					// The end of a number or literal that closes its object
					// or array ({"@odata.count":2}): the bracket is not its.
					v := e.buf[start:i]
					at := e.off + int64(start)
					e.pos = i
					return v, at, nil
				}
				depth--
				if depth == 0 {
					v := e.buf[start : i+1]
					at := e.off + int64(start)
					e.pos = i + 1
					return v, at, nil
				}
			case ',', ' ', '\n', '\r', '\t':
				if depth == 0 { // the end of a number or literal
					v := e.buf[start:i]
					at := e.off + int64(start)
					e.pos = i
					return v, at, nil
				}
			}
		}
		// Need more input: keep the value's start in the window.
		shift := start
		e.pos = start
		if !e.fill() {
			if depth == 0 && !inStr && i > start {
				v := e.buf[0 : i-shift]
				at := e.off
				e.pos = i - shift
				return v, at, nil
			}
			return nil, 0, io.ErrUnexpectedEOF
		}
		i -= shift
		start = 0
	}
}

// itemParser decodes one item's fields from its raw bytes.
type itemParser struct {
	b       []byte
	i       int
	key     []byte
	arena   scanner.Arena // the strings of a collection share blocks
	scratch []string      // scratch for string arrays
}

var errUnexpected = errors.New("unexpected JSON for the fast decoder")

func (p *itemParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func decodeItem[T any](p *itemParser, raw []byte, item *T, table fieldTable[T]) error {
	p.b, p.i = raw, 0
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return errUnexpected
	}
	p.i++
	for first := true; ; first = false {
		p.ws()
		if p.i >= len(p.b) {
			return errUnexpected
		}
		if p.b[p.i] == '}' {
			p.i++
			return nil
		}
		if !first {
			if p.b[p.i] != ',' {
				return errUnexpected
			}
			p.i++
			p.ws()
		}
		if err := p.keyLower(); err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return errUnexpected
		}
		p.i++
		p.ws()
		if set, ok := table[string(p.key)]; ok {
			if err := set(p, item); err != nil {
				return err
			}
		} else if err := p.skip(); err != nil {
			return err
		}
	}
}

// keyLower reads a key into p.key, lower-cased; keys with escapes go to the
// slow path.
func (p *itemParser) keyLower() error {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return errUnexpected
	}
	p.i++
	p.key = p.key[:0]
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return nil
		case c == '\\' || c >= utf8.RuneSelf || c < 0x20:
			return errUnexpected
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		p.key = append(p.key, c)
		p.i++
	}
	return errUnexpected
}

// str reads a string or null.
func (p *itemParser) str() (string, error) {
	if p.i < len(p.b) && p.b[p.i] == 'n' {
		return "", p.lit("null")
	}
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return "", errUnexpected
	}
	p.i++
	start := p.i
	high := false
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			if high && !utf8.Valid(p.b[start:p.i]) {
				return "", errUnexpected // encoding/json replaces invalid UTF-8
			}
			s := p.arena.String(p.b[start:p.i])
			p.i++
			return s, nil
		case c >= utf8.RuneSelf:
			high = true
		case c == '\\':
			return p.escaped(start)
		case c < 0x20:
			return "", errUnexpected
		}
		p.i++
	}
	return "", errUnexpected
}

// escaped finishes a string with escapes, as encoding/json decodes them.
func (p *itemParser) escaped(start int) (string, error) {
	out := append([]byte(nil), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(out) {
				return "", errUnexpected
			}
			return p.arena.String(out), nil
		case c < 0x20:
			return "", errUnexpected
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.b) {
			return "", errUnexpected
		}
		e := p.b[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", errUnexpected
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					p.i += 2
					var ok2 bool
					if r2, ok2 = p.hex4(); !ok2 {
						return "", errUnexpected
					}
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r = d
				} else {
					return "", errUnexpected // lone surrogates: let encoding/json decide
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", errUnexpected
		}
	}
	return "", errUnexpected
}

func (p *itemParser) hex4() (rune, bool) {
	if p.i+4 > len(p.b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 16)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}

func (p *itemParser) lit(s string) error {
	if !bytes.HasPrefix(p.b[p.i:], []byte(s)) {
		return errUnexpected
	}
	p.i += len(s)
	return nil
}

// boolean reads true, false or null (nil).
func (p *itemParser) boolean() (*bool, error) {
	if p.i >= len(p.b) {
		return nil, errUnexpected
	}
	switch p.b[p.i] {
	case 'n':
		return nil, p.lit("null")
	case 't':
		v := true
		return &v, p.lit("true")
	case 'f':
		v := false
		return &v, p.lit("false")
	}
	return nil, errUnexpected
}

// strs reads an array of strings, or null.
func (p *itemParser) strs() ([]string, error) {
	if p.i < len(p.b) && p.b[p.i] == 'n' {
		return nil, p.lit("null")
	}
	if p.i >= len(p.b) || p.b[p.i] != '[' {
		return nil, errUnexpected
	}
	p.i++
	out := p.scratch[:0]
	for first := true; ; first = false {
		p.ws()
		if p.i >= len(p.b) {
			return nil, errUnexpected
		}
		if p.b[p.i] == ']' {
			p.i++
			p.scratch = out[:0]
			if len(out) == 0 {
				return []string{}, nil
			}
			return p.arena.Strings(out), nil
		}
		if !first {
			if p.b[p.i] != ',' {
				return nil, errUnexpected
			}
			p.i++
			p.ws()
		}
		if p.i < len(p.b) && p.b[p.i] == 'n' { // null in a string array decodes to ""
			if err := p.lit("null"); err != nil {
				return nil, err
			}
			out = append(out, "")
			continue
		}
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
}

// skip passes over a value the item has but syncready does not read; it
// must be valid JSON, as encoding/json would require.
func (p *itemParser) skip() error {
	start := p.i
	if err := p.skipRaw(); err != nil {
		return err
	}
	if !json.Valid(p.b[start:p.i]) {
		return errUnexpected
	}
	return nil
}

func (p *itemParser) skipRaw() error {
	depth := 0
	inStr := false
	for ; p.i < len(p.b); p.i++ {
		c := p.b[p.i]
		if inStr {
			switch c {
			case '\\':
				p.i++
			case '"':
				inStr = false
				if depth == 0 {
					p.i++
					return nil
				}
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return nil // the end of the enclosing item: a literal ended
			}
			depth--
			if depth == 0 {
				p.i++
				return nil
			}
		case ',':
			if depth == 0 {
				return nil
			}
		}
	}
	return errUnexpected
}

func strField[T any](get func(*T) *string) func(*itemParser, *T) error {
	return func(p *itemParser, t *T) error {
		s, err := p.str()
		if err == nil {
			*get(t) = s
		}
		return err
	}
}

func boolField[T any](get func(*T) **bool) func(*itemParser, *T) error {
	return func(p *itemParser, t *T) error {
		b, err := p.boolean()
		if err == nil {
			*get(t) = b
		}
		return err
	}
}

func strsField[T any](get func(*T) *[]string) func(*itemParser, *T) error {
	return func(p *itemParser, t *T) error {
		s, err := p.strs()
		if err == nil {
			*get(t) = s
		}
		return err
	}
}

var userFields = fieldTable[User]{
	"id":                           strField(func(u *User) *string { return &u.ID }),
	"displayname":                  strField(func(u *User) *string { return &u.DisplayName }),
	"userprincipalname":            strField(func(u *User) *string { return &u.UserPrincipalName }),
	"mail":                         strField(func(u *User) *string { return &u.Mail }),
	"mailnickname":                 strField(func(u *User) *string { return &u.MailNickname }),
	"proxyaddresses":               strsField(func(u *User) *[]string { return &u.ProxyAddresses }),
	"onpremisesimmutableid":        strField(func(u *User) *string { return &u.OnPremisesImmutableID }),
	"onpremisessyncenabled":        boolField(func(u *User) **bool { return &u.OnPremisesSyncEnabled }),
	"onpremisesdistinguishedname":  strField(func(u *User) *string { return &u.OnPremisesDistinguishedName }),
	"onpremisessecurityidentifier": strField(func(u *User) *string { return &u.OnPremisesSecurityIdentifier }),
	"usertype":                     strField(func(u *User) *string { return &u.UserType }),
	"creationtype":                 strField(func(u *User) *string { return &u.CreationType }),
	"accountenabled":               boolField(func(u *User) **bool { return &u.AccountEnabled }),
}

var groupFields = fieldTable[Group]{
	"id":                    strField(func(g *Group) *string { return &g.ID }),
	"displayname":           strField(func(g *Group) *string { return &g.DisplayName }),
	"mail":                  strField(func(g *Group) *string { return &g.Mail }),
	"mailenabled":           boolField(func(g *Group) **bool { return &g.MailEnabled }),
	"securityenabled":       boolField(func(g *Group) **bool { return &g.SecurityEnabled }),
	"mailnickname":          strField(func(g *Group) *string { return &g.MailNickname }),
	"grouptypes":            strsField(func(g *Group) *[]string { return &g.GroupTypes }),
	"proxyaddresses":        strsField(func(g *Group) *[]string { return &g.ProxyAddresses }),
	"onpremisessyncenabled": boolField(func(g *Group) **bool { return &g.OnPremisesSyncEnabled }),
	"isassignabletorole":    boolField(func(g *Group) **bool { return &g.IsAssignableToRole }),
}

var contactFields = fieldTable[Contact]{
	"id":                    strField(func(c *Contact) *string { return &c.ID }),
	"displayname":           strField(func(c *Contact) *string { return &c.DisplayName }),
	"mail":                  strField(func(c *Contact) *string { return &c.Mail }),
	"mailnickname":          strField(func(c *Contact) *string { return &c.MailNickname }),
	"proxyaddresses":        strsField(func(c *Contact) *[]string { return &c.ProxyAddresses }),
	"onpremisessyncenabled": boolField(func(c *Contact) **bool { return &c.OnPremisesSyncEnabled }),
}
