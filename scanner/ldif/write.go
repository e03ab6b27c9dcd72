package ldif

import (
	"bufio"
	"encoding/base64"
	"io"
	"strings"
	"unicode/utf8"
)

// Writer writes LDIF content records (RFC 2849) that Read takes back
// unchanged: a value is written as is when it is a SAFE-STRING, else base64
// with "::". Lines are not folded.
type Writer struct {
	w *bufio.Writer
	n int
}

// NewWriter returns a Writer onto w; it writes "version: 1" first, and a
// mark that says the file comes from a paged read (see exportMark).
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriterSize(w, 1<<20)
	_, _ = bw.WriteString("version: 1\n# " + exportMark + " written by syncready from a paged live read\n")
	return &Writer{w: bw}
}

// Comment writes a comment line (line breaks in text become spaces, so
// that no part of it is read as a record).
func (w *Writer) Comment(text string) {
	_, _ = w.w.WriteString("# " + strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(text) + "\n")
}

// The comments Partial and Note write, which Read takes back into
// Stats.Partial and Stats.Notes: a file written by a partial read must not
// read back as a whole directory.
const (
	partialMark = "syncready-partial:"
	noteMark    = "syncready-note:"
	// exportMark: the file was written by the live reader, which pages, so
	// a count of exactly AD's MaxPageSize says nothing about it.
	exportMark = "syncready-export:"
)

// Partial writes what the read that produced this file left out of the
// directory (a referral not followed, attributes a global catalog lacks).
func (w *Writer) Partial(text string) { w.Comment(partialMark + " " + text) }

// Note writes a note about the read that produced this file.
func (w *Writer) Note(text string) { w.Comment(noteMark + " " + text) }

// Attr is one attribute with its values.
type Attr struct {
	Name   string
	Values [][]byte
}

// Write writes one record.
func (w *Writer) Write(dn string, attrs []Attr) error {
	_, _ = w.w.WriteString("\n")
	w.line("dn", []byte(dn))
	for _, a := range attrs {
		for _, v := range a.Values {
			w.line(a.Name, v)
		}
	}
	w.n++
	return nil
}

func (w *Writer) line(name string, v []byte) {
	_, _ = w.w.WriteString(name)
	if safe(v) {
		_, _ = w.w.WriteString(": ")
		_, _ = w.w.Write(v)
	} else {
		_, _ = w.w.WriteString(":: ")
		_, _ = w.w.WriteString(base64.StdEncoding.EncodeToString(v))
	}
	_ = w.w.WriteByte('\n')
}

// Flush writes buffered data and reports the first write error.
func (w *Writer) Flush() error { return w.w.Flush() }

// Records is the number of records written.
func (w *Writer) Records() int { return w.n }

// safe reports whether v can be written as an LDIF SAFE-STRING: ASCII
// without NUL, CR or LF, not starting with space, ':' or '<', not ending
// with a space. Non-ASCII text is written in base64 too, as ldapsearch does,
// so every reader gets it byte for byte.
func safe(v []byte) bool {
	if len(v) == 0 {
		return true
	}
	if c := v[0]; c == ' ' || c == ':' || c == '<' {
		return false
	}
	if v[len(v)-1] == ' ' {
		return false
	}
	for _, c := range v {
		if c == 0 || c == '\n' || c == '\r' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
