package graphdir

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// Error is a malformed-input error naming the file, the line and the JSON
// path of the offending value. The i-th item of a collection is value[i],
// in {"value": [...]} and in a bare array alike.
type Error struct {
	File string
	Line int
	Path string
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// exportFile is an export file opened as UTF-8 JSON text.
type exportFile struct {
	io.Reader
	f    *os.File
	stop func()
	// size is the size of the text in bytes: the file's, less a byte-order
	// mark, halved for UTF-16.
	size int64
}

func (x *exportFile) Close() {
	x.stop()
	x.f.Close()
}

// openExport opens an export file as UTF-8 text, feeding the progress bar
// (with the file's bytes) if there is one. A UTF-8 byte-order mark
// (Out-File -Encoding utf8) is skipped; UTF-16 with one (Windows PowerShell
// 5.1's Out-File and '>') is decoded. The offsets of the readers, and the
// lines lineAt counts, are offsets in that text. errNotFound when the file
// does not exist.
func openExport(path string, opt Options) (*exportFile, error) {
	ctx := opt.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	// A FIFO or a pipe that never writes does not hold the scan past a
	// signal.
	f, stop, err := scanner.OpenInput(ctx, path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("open Graph export file: %w", err)
	}
	x := &exportFile{f: f, stop: stop}
	var r io.Reader = f
	if fi, err := f.Stat(); err == nil {
		x.size = fi.Size()
		if opt.Progress != nil {
			if w := opt.Progress(path, fi.Size()); w != nil {
				r = io.TeeReader(f, w)
			}
		}
	}
	// Reads larger than the buffer go straight to the file.
	br := bufio.NewReaderSize(r, 4096)
	if head, _ := br.Peek(4); scanner.IsUTF32(head) {
		f.Close()
		return nil, &Error{File: path, Msg: "looks like UTF-32; save it as UTF-8 (Out-File -Encoding utf8) or UTF-16 with a byte-order mark"}
	}
	head, _ := br.Peek(3)
	switch {
	case len(head) == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		_, _ = br.Discard(3)
		x.Reader, x.size = br, x.size-3
	case len(head) >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF):
		bigEndian := head[0] == 0xFE
		_, _ = br.Discard(2)
		x.Reader, x.size = scanner.NewUTF16Reader(br, bigEndian), (x.size-2)/2
	case len(head) >= 2 && (head[0] == 0 || head[1] == 0):
		// JSON text starts with an ASCII character: a NUL beside it is the
		// other half of a UTF-16 code unit.
		f.Close()
		return nil, &Error{File: path, Msg: "looks like UTF-16 without a byte-order mark; save it as UTF-8 or UTF-16 with BOM"}
	default:
		x.Reader = br
	}
	return x, nil
}

// errNotFound is returned by readCollection when the file does not exist.
var errNotFound = errors.New("not found")

// readCollection streams the items of a Graph collection file into fn, one
// decoded element at a time. It accepts Graph's {"value": [...]} (other keys
// such as "@odata.context" ignored), a bare array (Graph PowerShell's
// ConvertTo-Json) and a single object (ConvertTo-Json of one item). Keys
// match struct fields case-insensitively, so PascalCase exports work.
// Anything but whitespace after the JSON document is refused, as is an
// object that is neither a collection nor an item.
func readCollection[T any](path string, opt Options, fn func(i int, item *T) error) error {
	x, err := openExport(path, opt)
	if err != nil {
		return err
	}
	defer x.Close()
	br := bufio.NewReaderSize(x, 1<<20)
	d := json.NewDecoder(br)
	fail := func(p string, err error) error { return jsonError(path, d, p, err) }

	tok, err := d.Token()
	if err != nil {
		return fail("", err)
	}
	switch tok {
	case json.Delim('['):
		// The items are value[i] whatever the shape, as the Builder names them.
		if err := readArray(d, path, "value", fn, fail); err != nil {
			return err
		}
		return atEnd(path, d, br)
	case json.Delim('{'):
	default:
		return fail("", fmt.Errorf("expected {\"value\": [...]} or a JSON array, found %s", describeToken(tok)))
	}
	single := map[string]json.RawMessage{}
	var odata []string
	found := false
	for d.More() {
		kt, err := d.Token()
		if err != nil {
			return fail("", err)
		}
		key, _ := kt.(string)
		switch {
		case equalFoldASCII(key, "value"):
			if found {
				return fail(key, errors.New(secondValue))
			}
			t, err := d.Token()
			if err != nil {
				return fail(key, err)
			}
			if t != json.Delim('[') {
				return fail(key, fmt.Errorf("expected an array, found %s", describeToken(t)))
			}
			if err := readArray(d, path, key, fn, fail); err != nil {
				return err
			}
			found = true
		default:
			var raw json.RawMessage
			if err := d.Decode(&raw); err != nil {
				return fail(key, err)
			}
			switch {
			case equalFoldASCII(key, "@odata.nextLink") && string(raw) != "null": // null: no next page
				return fail(key, errors.New(onePage))
			case strings.HasPrefix(key, "@"):
				odata = append(odata, strconv.Quote(key))
			default:
				single[key] = raw
			}
		}
	}
	if _, err := d.Token(); err != nil {
		return fail("", err)
	}
	if err := atEnd(path, d, br); err != nil {
		return err
	}
	switch {
	case found:
		return nil
	case len(single) == 0 && len(odata) == 0:
		return fail("", errors.New(`expected {"value": [...]}, a JSON array or a single object, found an empty object; an empty collection is {"value": []} or []`))
	case len(single) == 0:
		return fail("", fmt.Errorf(`expected {"value": [...]}, found an object without "value" (only %s): the items are missing`, strings.Join(odata, ", ")))
	}
	if msg, ok := graphErrorBody(single); ok {
		return fail("", errors.New(msg))
	}
	// A single object: re-decode it as one item.
	b, _ := json.Marshal(single)
	var item T
	if err := json.Unmarshal(b, &item); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			p := te.Field
			return &Error{File: path, Path: p, Msg: fmt.Sprintf("expected %s, found %s", goTypeName(te.Type.String()), typeErrorKind(te.Value))}
		}
		return fail("", err)
	}
	if err := fn(0, &item); err != nil {
		var ie *itemError
		if errors.As(err, &ie) {
			return &Error{File: path, Path: strings.TrimPrefix(ie.field, "."), Msg: ie.msg}
		}
		return err
	}
	return nil
}

// Messages shared by the fast and the encoding/json reader, which must say
// the same.
const (
	onePage     = "the export holds only one page: @odata.nextLink is present, so later pages were not merged into this file; export every page (Graph PowerShell: -All) and merge them into one \"value\" array"
	secondValue = "a second \"value\" array: pages merged by hand into one object? merge every page's items into one \"value\" array"
)

// graphErrorBody recognizes Graph's error response, {"error": {"code": …,
// "message": …}}, saved in place of a collection.
func graphErrorBody(obj map[string]json.RawMessage) (string, bool) {
	if len(obj) != 1 {
		return "", false
	}
	for k, raw := range obj {
		if !strings.EqualFold(k, "error") {
			return "", false
		}
		var e struct{ Code, Message string }
		_ = json.Unmarshal(raw, &e)
		return fmt.Sprintf("the file holds a Graph error response, not the collection (%s: %s); export it again with the permissions the README lists", e.Code, e.Message), true
	}
	return "", false
}

func readArray[T any](d *json.Decoder, path, prefix string, fn func(int, *T) error, fail func(string, error) error) error {
	for i := 0; d.More(); i++ {
		var item T
		p := fmt.Sprintf("%s[%d]", prefix, i)
		// The item starts after the comma and the blanks that follow it.
		before := d.InputOffset()
		if err := d.Decode(&item); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				// The offset is counted from the byte after the comma.
				if i > 0 {
					before++
				}
				if te.Field != "" {
					p += "." + te.Field
				}
				return &Error{File: path, Line: lineAt(path, before+te.Offset), Path: p, Msg: fmt.Sprintf("expected %s, found %s", goTypeName(te.Type.String()), typeErrorKind(te.Value))}
			}
			return fail(p, err)
		}
		if err := fn(i, &item); err != nil {
			var ie *itemError
			if errors.As(err, &ie) {
				return &Error{File: path, Line: valueLine(path, before), Path: p + ie.field, Msg: ie.msg}
			}
			return err
		}
	}
	_, err := d.Token() // ']'
	if err != nil {
		return fail(prefix, err)
	}
	return nil
}

// atEnd refuses anything but whitespace after the JSON document: a second
// document (pages saved one after another) or garbage would otherwise be
// ignored, and the tenant read as smaller than it is.
func atEnd(path string, d *json.Decoder, rest io.Reader) error {
	off := d.InputOffset()
	r := bufio.NewReader(io.MultiReader(d.Buffered(), rest))
	for {
		c, err := r.ReadByte()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("%s: read after the JSON document: %w", path, err)
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			off++
			continue
		}
		_ = r.UnreadByte()
		next, _ := r.Peek(24)
		return &Error{File: path, Line: lineAt(path, off), Msg: trailingMsg(next)}
	}
}

// trailingMsg describes what follows the JSON document.
func trailingMsg(next []byte) string {
	if next[0] == '{' || next[0] == '[' {
		return "expected the end of the file after the JSON document, found a second JSON document: pages saved one after another? merge every page's items into one \"value\" array"
	}
	if i := bytes.IndexAny(next, "\r\n"); i > 0 {
		next = next[:i]
	}
	return fmt.Sprintf("expected the end of the file after the JSON document, found %q", next)
}

// itemError is a problem with one item (a missing id, …) that the Builder
// finds. The export readers report it with their file, line and path; Error
// names the collection and path for the live reader, which has no file.
type itemError struct {
	coll  string // "users", "roleGroupMembers/<id>"; "" when not known
	index int    // the item's position in the collection, -1 when not known
	field string // ".id"
	msg   string
}

func (e *itemError) Error() string {
	if e.coll == "" {
		return e.msg
	}
	if e.index < 0 {
		return fmt.Sprintf("%s%s: %s", e.coll, e.field, e.msg)
	}
	return fmt.Sprintf("%s value[%d]%s: %s", e.coll, e.index, e.field, e.msg)
}

// jsonError turns a decoding error into an Error with the line and path.
func jsonError(path string, d *json.Decoder, p string, err error) error {
	var ee *Error
	if errors.As(err, &ee) {
		return err
	}
	off := d.InputOffset()
	msg := err.Error()
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off = se.Offset
		msg = "not valid JSON: " + se.Error()
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		msg = "unexpected end of file: the JSON is cut short"
	}
	return &Error{File: path, Line: lineAt(path, off), Path: p, Msg: msg}
}

// describeToken says in words what a JSON token is, for "found …".
func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return "the number " + strconv.FormatFloat(v, 'g', -1, 64)
	case json.Number:
		return "the number " + v.String()
	case string:
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return "the string " + strconv.Quote(v)
	case json.Delim:
		switch v {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return strconv.Quote(v.String())
	}
	return fmt.Sprint(tok)
}

// typeErrorKind turns the name encoding/json gives the JSON value of a
// type error ("string", "number 1.5", "bool", …) into words.
func typeErrorKind(v string) string {
	switch {
	case v == "string":
		return "a string"
	case v == "bool":
		return "true or false"
	case v == "array":
		return "an array"
	case v == "object":
		return "an object"
	case strings.HasPrefix(v, "number"):
		return "a number"
	}
	return v
}

func goTypeName(t string) string {
	switch {
	case t == "string", t == "*string":
		return "a string"
	case t == "bool", t == "*bool":
		return "true, false or null"
	case strings.HasPrefix(t, "[]"):
		return "an array"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "float"):
		return "a number"
	}
	return "an object"
}

// lineAt returns the 1-based line holding offset off of the file's text.
func lineAt(path string, off int64) int {
	line, _ := countLines(path, off, false)
	return line
}

// valueLine returns the line of the value at off or after a comma and the
// blanks there: where an array's next item starts.
func valueLine(path string, off int64) int {
	line, _ := countLines(path, off, true)
	return line
}

func countLines(path string, off int64, skipSep bool) (int, error) {
	x, err := openExport(path, Options{})
	if err != nil {
		return 0, err
	}
	defer x.Close()
	br := bufio.NewReaderSize(x, 64<<10)
	line, err := scanner.CountLines(br, off)
	if err != nil || !skipSep {
		return line, err
	}
	comma := false
	for {
		c, err := br.ReadByte()
		switch {
		case err != nil:
			return line, err
		case c == '\n':
			line++
		case c == ',' && !comma:
			comma = true
		case c == ' ' || c == '\t' || c == '\r':
		default:
			return line, nil
		}
	}
}
