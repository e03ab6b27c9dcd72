package graphdir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Error is a malformed-input error naming the file, the line and the JSON
// path of the offending value.
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

// openExport opens an export file, feeding the progress bar if there is
// one; errNotFound when it does not exist.
func openExport(path string, opt Options) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, errNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("open Graph export file: %w", err)
	}
	var r io.Reader = f
	if opt.Progress != nil {
		if fi, err := f.Stat(); err == nil {
			if w := opt.Progress(path, fi.Size()); w != nil {
				r = io.TeeReader(f, w)
			}
		}
	}
	return r, func() { f.Close() }, nil
}

// errNotFound is returned by readCollection when the file does not exist.
var errNotFound = errors.New("not found")

// readCollection streams the items of a Graph collection file into fn, one
// decoded element at a time. It accepts Graph's {"value": [...]} (other keys
// such as "@odata.context" ignored), a bare array (Graph PowerShell's
// ConvertTo-Json) and a single object (ConvertTo-Json of one item). Keys
// match struct fields case-insensitively, so PascalCase exports work.
func readCollection[T any](path string, opt Options, fn func(i int, item *T) error) error {
	r, closeFile, err := openExport(path, opt)
	if err != nil {
		return err
	}
	defer closeFile()
	br := bufio.NewReaderSize(r, 1<<20)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3) // Windows PowerShell's Out-File -Encoding utf8 writes a BOM
	}
	if bom, err := br.Peek(2); err == nil && (bom[0] == 0xFF && bom[1] == 0xFE || bom[0] == 0xFE && bom[1] == 0xFF) {
		return &Error{File: path, Msg: "file is UTF-16 (Windows PowerShell's default for '>'); save it as UTF-8: ConvertTo-Json ... | Out-File -Encoding utf8 FILE"}
	}
	d := json.NewDecoder(br)
	fail := func(p string, err error) error { return jsonError(path, d, p, err) }

	tok, err := d.Token()
	if err != nil {
		return fail("", err)
	}
	switch tok {
	case json.Delim('['):
		return readArray(d, "", fn, fail)
	case json.Delim('{'):
	default:
		return fail("", fmt.Errorf("expected {\"value\": [...]} or a JSON array, found %v", tok))
	}
	single := map[string]json.RawMessage{}
	found := false
	for d.More() {
		kt, err := d.Token()
		if err != nil {
			return fail("", err)
		}
		key, _ := kt.(string)
		switch {
		case strings.EqualFold(key, "value"):
			t, err := d.Token()
			if err != nil {
				return fail("value", err)
			}
			if t != json.Delim('[') {
				return fail("value", fmt.Errorf("expected an array, found %v", t))
			}
			if err := readArray(d, "value", fn, fail); err != nil {
				return err
			}
			found = true
		case strings.EqualFold(key, "@odata.nextLink"):
			return fail(key, errors.New("the export holds only one page: @odata.nextLink is present, so later pages were not merged into this file; export every page (Graph PowerShell: -All) and merge them into one \"value\" array"))
		default:
			var raw json.RawMessage
			if err := d.Decode(&raw); err != nil {
				return fail(key, err)
			}
			if !strings.HasPrefix(key, "@") {
				single[key] = raw
			}
		}
	}
	if _, err := d.Token(); err != nil {
		return fail("", err)
	}
	if found {
		return nil
	}
	if len(single) == 0 {
		return nil // {} : an empty collection
	}
	// A single object: re-decode it as one item.
	b, _ := json.Marshal(single)
	var item T
	if err := json.Unmarshal(b, &item); err != nil {
		return fail("", err)
	}
	return fn(0, &item)
}

func readArray[T any](d *json.Decoder, prefix string, fn func(int, *T) error, fail func(string, error) error) error {
	for i := 0; d.More(); i++ {
		var item T
		p := fmt.Sprintf("%s[%d]", prefix, i)
		if err := d.Decode(&item); err != nil {
			return fail(p, err)
		}
		if err := fn(i, &item); err != nil {
			var ie *itemError
			if errors.As(err, &ie) {
				return fail(p+ie.field, ie)
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

// itemError is a problem with one decoded item (a missing id, …).
type itemError struct {
	field string // ".id"
	msg   string
}

func (e *itemError) Error() string { return e.msg }

// jsonError turns a decoding error into an Error with the line and path.
func jsonError(path string, d *json.Decoder, p string, err error) error {
	var ee *Error
	if errors.As(err, &ee) {
		return err
	}
	off := d.InputOffset()
	msg := err.Error()
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		off = te.Offset
		if te.Field != "" {
			p += "." + te.Field
		}
		msg = fmt.Sprintf("expected %s, found JSON %s", goTypeName(te.Type.String()), te.Value)
	case errors.As(err, &se):
		off = se.Offset
		msg = "not valid JSON: " + se.Error()
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		msg = "unexpected end of file: the JSON is cut short"
	}
	return &Error{File: path, Line: lineAt(path, off), Path: p, Msg: msg}
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

// lineAt returns the 1-based line holding byte offset off of the file.
func lineAt(path string, off int64) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	br := bufio.NewReader(io.LimitReader(f, off))
	line := 1
	for {
		b, err := br.ReadByte()
		if err != nil {
			return line
		}
		if b == '\n' {
			line++
		}
	}
}
