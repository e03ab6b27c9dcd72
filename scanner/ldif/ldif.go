// Package ldif reads Active Directory objects from LDIF files (RFC 2849) as
// written by `ldapsearch` (with or without -L, -LL, -LLL; its search results
// and references are understood, see ldapsearch.go) and by Windows `ldifde`
// (CRLF line endings, `changetype: add` records, UTF-16 with a byte-order
// mark from `ldifde -u`), streaming record by record, and writes them back
// (Write) so a live read can be replayed offline.
package ldif

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
)

// Error is a malformed-input error that names the file and line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Record is one LDIF content record. Its attribute names and values point
// into a buffer the Reader reuses: they are valid until the next call to Next.
type Record struct {
	DN       string
	Line     int      // line of the dn: line
	Comments []string // comment lines ("#" stripped) just before or inside the record
	attrs    []attr
	buf      []byte
}

type attr struct {
	line                         int32
	nameLo, nameHi, valLo, valHi int32
}

// Len is the number of attribute lines in the record.
func (r *Record) Len() int { return len(r.attrs) }

// Name returns the i-th attribute name as written, options included
// ("proxyAddresses;range=0-1499").
func (r *Record) Name(i int) []byte { a := r.attrs[i]; return r.buf[a.nameLo:a.nameHi] }

// Value returns the i-th attribute value, base64-decoded when it was written
// with "::".
func (r *Record) Value(i int) []byte { a := r.attrs[i]; return r.buf[a.valLo:a.valHi] }

// AttrLine returns the line on which the i-th attribute starts.
func (r *Record) AttrLine(i int) int { return int(r.attrs[i].line) }

// Reader reads LDIF content records from a stream.
type Reader struct {
	br       *bufio.Reader
	file     string
	consumed int64 // bytes of the lines read so far (decoded text)
	wide     bool  // the input is UTF-16: about twice the bytes consumed
	line     int   // physical lines consumed
	err      error // returned by Next from now on (input that is not LDIF, the end)
	phys     []byte
	logical  []byte
	b64      []byte
	rec      Record

	// What the input held besides content records.
	comments   int  // comment lines
	versions   int  // "version: 1" lines
	rootDSEs   int  // records with an empty DN, skipped
	entries    int  // dn: records, the skipped ones included
	changetype bool // a "changetype: add" line (ldifde, which pages)
	changes    bool // reading change records (ReadChanges): modify records and "-" lines
	paged      bool // the Writer's mark: a paged live read wrote the file
	out        searchOutput
	refs       map[string]bool // referral URLs already named
	notes      []string
	partial    []string
}

// NewReader returns a Reader of r; file names the input in errors. A UTF-16
// byte-order mark (ldifde -u) switches to UTF-16 decoding; a UTF-8 one is
// skipped.
func NewReader(r io.Reader, file string) *Reader {
	br := bufio.NewReaderSize(r, 1<<20)
	if head, _ := br.Peek(4); scanner.IsUTF32(head) {
		lr := &Reader{br: br, file: file}
		lr.err = lr.errorf(1, "looks like UTF-32; export with ldifde -u (UTF-16 with a byte-order mark) or convert to UTF-8")
		return lr
	}
	if bom, err := br.Peek(2); err == nil {
		switch {
		case bom[0] == 0xFF && bom[1] == 0xFE:
			_, _ = br.Discard(2)
			return &Reader{br: bufio.NewReaderSize(scanner.NewUTF16Reader(br, false), 1<<20), file: file, wide: true}
		case bom[0] == 0xFE && bom[1] == 0xFF:
			_, _ = br.Discard(2)
			return &Reader{br: bufio.NewReaderSize(scanner.NewUTF16Reader(br, true), 1<<20), file: file, wide: true}
		}
	}
	if bom, err := br.Peek(3); err == nil && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF {
		_, _ = br.Discard(3)
	}
	lr := &Reader{br: br, file: file}
	// LDIF text never holds a NUL byte; UTF-16 text without a byte-order
	// mark has one in its first two bytes ("d\x00n\x00", "\x00d\x00n",
	// "#\x00"), and would otherwise be refused with a line of escapes.
	if b, err := br.Peek(2); err == nil && (b[0] == 0 || b[1] == 0) {
		order := "little-endian"
		if b[0] == 0 {
			order = "big-endian"
		}
		lr.err = lr.errorf(1, "looks like UTF-16 (%s) without a byte-order mark; export with ldifde -u (which writes a BOM) or convert to UTF-8", order)
	}
	return lr
}

// Notes are facts about the input worth a line in a report's coverage (a
// skipped root DSE, a referral to a partition that holds no users, groups or
// contacts), each naming the file and line.
func (r *Reader) Notes() []string { return r.notes }

// Partial lists what the export left out of the directory it read
// (referrals not followed, what the program that wrote the file said it
// left out), each naming the file and line and what it costs. Complete once
// Next has returned io.EOF.
func (r *Reader) Partial() []string { return r.partial }

func (r *Reader) errorf(line int, format string, args ...any) error {
	return &Error{File: r.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// physLine reads one physical line without its line ending into r.phys.
func (r *Reader) physLine() ([]byte, error) {
	r.phys = r.phys[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.phys = append(r.phys, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("read %s: %w", r.file, err)
		}
		if len(r.phys) == 0 && err == io.EOF {
			return nil, io.EOF
		}
		r.line++
		r.consumed += int64(len(r.phys))
		b := r.phys
		if n := len(b); n > 0 && b[n-1] == '\n' {
			b = b[:n-1]
		}
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
		return b, nil
	}
}

// logicalLine reads one line with its continuation lines unfolded and
// returns it with the number of its first physical line.
func (r *Reader) logicalLine() ([]byte, int, error) {
	b, err := r.physLine()
	if err != nil {
		return nil, 0, err
	}
	start := r.line
	if len(b) > 0 && b[0] == ' ' {
		return nil, start, r.errorf(start, "continuation line (it starts with a space) with no attribute line before it; a folded line must follow the line it continues, with no blank line between")
	}
	r.logical = append(r.logical[:0], b...)
	if len(b) == 0 {
		return r.logical, start, nil
	}
	for {
		next, err := r.br.Peek(1)
		if err != nil || next[0] != ' ' {
			return r.logical, start, nil
		}
		b, err := r.physLine()
		if err != nil {
			return nil, 0, err
		}
		r.logical = append(r.logical, b[1:]...)
	}
}

// InputBytes estimates how many bytes of the input have been read.
func (r *Reader) InputBytes() int64 {
	if r.wide {
		return 2 * r.consumed
	}
	return r.consumed
}

// Next returns the next content record, or io.EOF after the last. Records
// with an empty DN (the root DSE) are skipped with a note; ldapsearch's search
// results and references are taken in and skipped (ldapsearch.go). A
// non-nil error other than io.EOF means the input is not (or not all of) a
// directory export, even when it comes at the end.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		rec, err := r.next()
		if err == io.EOF {
			err = r.atEOF()
			if err == nil {
				err = io.EOF
			}
			r.err = err
		}
		if err != nil {
			return nil, err
		}
		if rec.DN != "" {
			return rec, nil
		}
		r.rootDSEs++
		r.notes = append(r.notes, fmt.Sprintf("%s:%d: the entry with an empty DN (the root DSE, which ldapsearch -s base -b \"\" writes) was skipped: it is not a directory object", r.file, rec.Line))
	}
}

func (r *Reader) next() (*Record, error) {
	rec := &r.rec
	rec.DN, rec.Line, rec.attrs, rec.buf, rec.Comments = "", 0, rec.attrs[:0], rec.buf[:0], nil
	in := false
	for {
		line, n, err := r.logicalLine()
		if err == io.EOF {
			if in {
				return rec, nil
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			if in {
				return rec, nil
			}
			continue
		}
		if line[0] == '#' {
			if err := r.comment(line, n); err != nil {
				return nil, err
			}
			if len(rec.Comments) < 64 {
				rec.Comments = append(rec.Comments, string(line[1:]))
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if r.changes && in && len(line) == 1 && line[0] == '-' {
			// The end of one change of a modify record.
			rec.attrs = append(rec.attrs, attr{line: int32(n), nameLo: int32(len(rec.buf))})
			rec.buf = append(rec.buf, '-')
			a := &rec.attrs[len(rec.attrs)-1]
			a.nameHi, a.valLo, a.valHi = int32(len(rec.buf)), int32(len(rec.buf)), int32(len(rec.buf))
			continue
		}
		if colon <= 0 {
			return nil, r.errorf(n, "expected \"attribute: value\", found %q%s", clip(line), promptHint(line))
		}
		name := line[:colon]
		if !in {
			switch {
			case bytes.EqualFold(name, []byte("dn")):
			case bytes.EqualFold(name, []byte("version")):
				if err := r.version(line[colon+1:], n); err != nil {
					return nil, err
				}
				continue
			case bytes.EqualFold(name, []byte("ref")):
				if err := r.reference(line[colon+1:], n); err != nil {
					return nil, err
				}
				rec.Comments = nil
				continue
			case bytes.EqualFold(name, []byte("search")), bytes.EqualFold(name, []byte("result")):
				if err := r.result(line, colon, n); err != nil {
					return nil, err
				}
				rec.Comments = nil
				continue
			case bytes.EqualFold(name, []byte("extended")), bytes.EqualFold(name, []byte("partial")):
				return nil, r.response(name, line[colon+1:], n)
			default:
				return nil, r.errorf(n, "expected a record to start with \"dn:\", found %q%s", clip(line), promptHint(line))
			}
			base64DN := len(line) > colon+1 && line[colon+1] == ':'
			dn, err := r.value(line[colon+1:], n, "dn")
			if err != nil {
				return nil, err
			}
			if !utf8.Valid(dn) {
				// A DN is UTF-8 text (RFC 4514); other bytes mean another
				// encoding, and a name the sync service would never see.
				if base64DN {
					return nil, r.errorf(n, "dn:: decodes to bytes that are not UTF-8 (%q); a DN is UTF-8 text: export the file again (ldapsearch, or ldifde -u)", clip(dn))
				}
				return nil, r.errorf(n, "dn: holds bytes that are not UTF-8 (%q): the file is in another encoding (Windows-1252?); convert it to UTF-8 or export with ldifde -u", clip(dn))
			}
			if err := r.entry(n); err != nil {
				return nil, err
			}
			rec.DN, rec.Line, in = string(dn), n, true
			rec.buf = rec.buf[:0]
			continue
		}
		if bytes.EqualFold(name, []byte("changetype")) {
			v, err := r.value(line[colon+1:], n, "changetype")
			if err != nil {
				return nil, err
			}
			if r.changes && bytes.EqualFold(bytes.TrimSpace(v), []byte("modify")) {
				continue
			}
			if !bytes.EqualFold(bytes.TrimSpace(v), []byte("add")) {
				return nil, r.errorf(n, "changetype %q: only content records or \"changetype: add\" (as ldifde writes) can be read", v)
			}
			r.changetype = true
			continue
		}
		if bytes.EqualFold(name, []byte("control")) {
			continue
		}
		a := attr{line: int32(n), nameLo: int32(len(rec.buf))}
		rec.buf = append(rec.buf, name...)
		a.nameHi = int32(len(rec.buf))
		v, err := r.decode(line[colon+1:])
		if err != nil {
			return nil, r.valueError(n, string(name), err)
		}
		a.valLo = int32(len(rec.buf))
		rec.buf = append(rec.buf, v...)
		a.valHi = int32(len(rec.buf))
		rec.attrs = append(rec.attrs, a)
	}
}

// version checks a "version:" line: RFC 2849 defines only version 1, and a
// later version may mean records this reader would misread. ldapsearch -L
// and -LL repeat "version: 1" before every page of a paged search, so it is
// taken between any two records.
func (r *Reader) version(rest []byte, line int) error {
	v, err := r.value(rest, line, "version")
	if err != nil {
		return err
	}
	if !bytes.Equal(bytes.TrimSpace(v), []byte("1")) {
		return r.errorf(line, "version %q: only LDIF version 1 (RFC 2849) can be read", clip(v))
	}
	r.versions++
	return nil
}

// value decodes what follows "name:" on a line: "::" base64, ":<" URL
// (refused), or a plain value after optional spaces.
func (r *Reader) value(rest []byte, line int, name string) ([]byte, error) {
	v, err := r.decode(rest)
	if err != nil {
		return nil, r.valueError(line, name, err)
	}
	return v, nil
}

// errURLValue: a value given by URL (":<").
var errURLValue = errors.New("value given by URL")

// decode is value without the name, so that the hot path need not make a
// string of every attribute name for an error it almost never returns.
func (r *Reader) decode(rest []byte) ([]byte, error) {
	switch {
	case len(rest) > 0 && rest[0] == ':':
		enc := bytes.TrimSpace(rest[1:])
		if need := base64.StdEncoding.DecodedLen(len(enc)); cap(r.b64) < need {
			r.b64 = make([]byte, need)
		}
		n, err := base64.StdEncoding.Decode(r.b64[:cap(r.b64)], enc)
		if err != nil {
			return nil, err
		}
		return r.b64[:n], nil
	case len(rest) > 0 && rest[0] == '<':
		return nil, errURLValue
	}
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	return rest, nil
}

func (r *Reader) valueError(line int, name string, err error) error {
	if err == errURLValue {
		return r.errorf(line, "attribute %s: value given by URL (\":<\") is not supported; export the value inline (base64 with \"::\")", name)
	}
	return r.errorf(line, "attribute %s: invalid base64 after \"::\" (%v)", name, err)
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
