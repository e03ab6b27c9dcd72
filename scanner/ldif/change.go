package ldif

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
)

// Mod is one change of an LDIF modify record (RFC 2849): add or delete
// the values of an attribute. Deleting named values fails on a server
// that does not hold them, so a modify that deletes the exact old value
// and adds the new one in one record is refused if the directory changed
// since it was written.
type Mod struct {
	Op     string // "add" or "delete"
	Attr   string
	Values [][]byte
}

// ChangeWriter writes LDIF change records that ldapmodify and ldifde -i
// accept.
type ChangeWriter struct {
	w *bufio.Writer
	n int
}

// NewChangeWriter returns a ChangeWriter onto w; it writes "version: 1"
// and the comment lines first.
func NewChangeWriter(w io.Writer, comments ...string) *ChangeWriter {
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString("version: 1\n")
	cw := &ChangeWriter{w: bw}
	for _, c := range comments {
		cw.Comment(c)
	}
	return cw
}

// Comment writes a comment line; line breaks become spaces, so no part of
// it is read as a record.
func (c *ChangeWriter) Comment(text string) {
	_, _ = c.w.WriteString("# " + strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(text) + "\n")
}

// Modify writes one modify record for dn; comment, when not empty, goes on
// a line before it.
func (c *ChangeWriter) Modify(dn, comment string, mods []Mod) {
	_, _ = c.w.WriteString("\n")
	if comment != "" {
		c.Comment(comment)
	}
	c.line("dn", []byte(dn))
	_, _ = c.w.WriteString("changetype: modify\n")
	for _, m := range mods {
		_, _ = c.w.WriteString(m.Op + ": " + m.Attr + "\n")
		for _, v := range m.Values {
			c.line(m.Attr, v)
		}
		_, _ = c.w.WriteString("-\n")
	}
	c.n++
}

func (c *ChangeWriter) line(name string, v []byte) {
	_, _ = c.w.WriteString(name)
	if safe(v) {
		_, _ = c.w.WriteString(": ")
		_, _ = c.w.Write(v)
	} else {
		_, _ = c.w.WriteString(":: ")
		_, _ = c.w.WriteString(base64.StdEncoding.EncodeToString(v))
	}
	_ = c.w.WriteByte('\n')
}

// Records is the number of modify records written.
func (c *ChangeWriter) Records() int { return c.n }

// Flush writes buffered data and reports the first write error.
func (c *ChangeWriter) Flush() error { return c.w.Flush() }

// ReadChanges reads the modify records of a change file, as ChangeWriter
// writes them, calling fn for each: for tests that apply a fix to an LDIF
// export as a server would. file names the input in errors.
func ReadChanges(ctx context.Context, r io.Reader, file string, fn func(dn string, line int, mods []Mod) error) error {
	lr := NewReader(r, file)
	lr.changes = true
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := lr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var mods []Mod
		for i := 0; i < rec.Len(); i++ {
			name, v := rec.Name(i), rec.Value(i)
			switch {
			case bytes.EqualFold(name, []byte("add")), bytes.EqualFold(name, []byte("delete")), bytes.EqualFold(name, []byte("replace")):
				mods = append(mods, Mod{Op: strings.ToLower(string(name)), Attr: string(v)})
			case bytes.Equal(name, []byte("-")):
			case len(mods) == 0:
				return &Error{File: file, Line: rec.AttrLine(i), Msg: fmt.Sprintf("%s before any add:, delete: or replace: line", name)}
			case !strings.EqualFold(string(name), mods[len(mods)-1].Attr):
				return &Error{File: file, Line: rec.AttrLine(i), Msg: fmt.Sprintf("value of %s inside the change of %s", name, mods[len(mods)-1].Attr)}
			default:
				m := &mods[len(mods)-1]
				m.Values = append(m.Values, append([]byte(nil), v...))
			}
		}
		if err := fn(rec.DN, rec.Line, mods); err != nil {
			return err
		}
	}
}
