// Package ldif reads Active Directory objects from LDIF files (RFC 2849) as
// written by `ldapsearch -LLL` and by Windows `ldifde` (CRLF line endings,
// `changetype: add` records, UTF-16 with a byte-order mark from `ldifde -u`),
// streaming record by record, and writes them back (Write) so a live read can
// be replayed offline.
package ldif

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"

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
	seenDN   bool
	phys     []byte
	logical  []byte
	b64      []byte
	rec      Record
}

// NewReader returns a Reader of r; file names the input in errors. A UTF-16
// byte-order mark (ldifde -u) switches to UTF-16 decoding; a UTF-8 one is
// skipped.
func NewReader(r io.Reader, file string) *Reader {
	br := bufio.NewReaderSize(r, 1<<20)
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
	return &Reader{br: br, file: file}
}

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

// Next returns the next content record, or io.EOF after the last.
func (r *Reader) Next() (*Record, error) {
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
			if len(rec.Comments) < 64 {
				rec.Comments = append(rec.Comments, string(line[1:]))
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return nil, r.errorf(n, "expected \"attribute: value\", found %q", clip(line))
		}
		name := line[:colon]
		if !in {
			switch {
			case bytes.EqualFold(name, []byte("version")) && !r.seenDN:
				continue
			case !bytes.EqualFold(name, []byte("dn")):
				return nil, r.errorf(n, "expected a record to start with \"dn:\", found %q", clip(line))
			}
			dn, err := r.value(line[colon+1:], n, "dn")
			if err != nil {
				return nil, err
			}
			rec.DN, rec.Line, in, r.seenDN = string(dn), n, true, true
			rec.buf = rec.buf[:0]
			continue
		}
		if bytes.EqualFold(name, []byte("changetype")) {
			v, err := r.value(line[colon+1:], n, "changetype")
			if err != nil {
				return nil, err
			}
			if !bytes.EqualFold(bytes.TrimSpace(v), []byte("add")) {
				return nil, r.errorf(n, "changetype %q: only content records or \"changetype: add\" (as ldifde writes) can be read", v)
			}
			continue
		}
		if bytes.EqualFold(name, []byte("control")) {
			continue
		}
		a := attr{line: int32(n), nameLo: int32(len(rec.buf))}
		rec.buf = append(rec.buf, name...)
		a.nameHi = int32(len(rec.buf))
		v, err := r.value(line[colon+1:], n, string(name))
		if err != nil {
			return nil, err
		}
		a.valLo = int32(len(rec.buf))
		rec.buf = append(rec.buf, v...)
		a.valHi = int32(len(rec.buf))
		rec.attrs = append(rec.attrs, a)
	}
}

// value decodes what follows "name:" on a line: "::" base64, ":<" URL
// (refused), or a plain value after optional spaces.
func (r *Reader) value(rest []byte, line int, name string) ([]byte, error) {
	switch {
	case len(rest) > 0 && rest[0] == ':':
		enc := bytes.TrimSpace(rest[1:])
		if need := base64.StdEncoding.DecodedLen(len(enc)); cap(r.b64) < need {
			r.b64 = make([]byte, need)
		}
		n, err := base64.StdEncoding.Decode(r.b64[:cap(r.b64)], enc)
		if err != nil {
			return nil, r.errorf(line, "attribute %s: invalid base64 after \"::\" (%v)", name, err)
		}
		return r.b64[:n], nil
	case len(rest) > 0 && rest[0] == '<':
		return nil, r.errorf(line, "attribute %s: value given by URL (\":<\") is not supported; export the value inline (base64 with \"::\")", name)
	}
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	return rest, nil
}

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
