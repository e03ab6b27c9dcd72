package report

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// spool keeps findings on disk so a writer can emit them sorted without
// holding them in memory: each finding is appended to a temporary file
// (mode 0600, removed on close) and only a small sort key stays in memory.
// The key's rule and object strings are the finding's own, which point into
// the rule catalog and the snapshot: no copy is made.
type spool struct {
	f   *os.File
	w   *bufio.Writer
	off int64
	idx []spoolKey
	buf []byte
	// causes counts the findings that name a cause.
	causes int
}

type spoolKey struct {
	orderKey
	off int64
	n   int32
	// fp is the first 8 bytes of the finding's fingerprint, cause those of
	// the fingerprint of the finding that causes it (0: none), to put a
	// caused finding right after its cause.
	fp, cause uint64
}

// fp8 reads the first 16 hex digits of a fingerprint as a number (0 when
// it is not hex: such a finding is never found as a cause).
func fp8(fp string) uint64 {
	var v uint64
	if len(fp) < 16 {
		return 0
	}
	for i := 0; i < 16; i++ {
		c := fp[i]
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | uint64(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | uint64(c-'a'+10)
		default:
			return 0
		}
	}
	return v | 1 // never 0
}

func newSpool() (*spool, error) {
	f, err := scanner.CreateTemp("", "syncready-findings-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create findings spool: %w", err)
	}
	return &spool{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

func (s *spool) putString(v string) {
	s.buf = binary.AppendUvarint(s.buf, uint64(len(v)))
	s.buf = append(s.buf, v...)
}

// add appends a finding with its New mark.
func (s *spool) add(rf *Finding) error {
	f := rf.Finding
	isNew := byte(0)
	if rf.New != nil {
		isNew = 1
		if *rf.New {
			isNew = 2
		}
	}
	s.buf = append(s.buf[:0], byte(f.Severity), byte(f.Side), byte(f.Kind), isNew)
	for _, v := range [...]string{f.Rule, f.Object, f.Name, f.Attribute, f.Value, f.Message, f.Fix.Text, f.Fix.Attribute, f.Fix.From, f.Fix.To, f.Fingerprint, f.Cause} {
		s.putString(v)
	}
	s.buf = binary.AppendUvarint(s.buf, uint64(len(f.Related)))
	for i, r := range f.Related {
		s.putString(r)
		name := ""
		if i < len(f.RelatedNames) {
			name = f.RelatedNames[i]
		}
		s.putString(name)
	}
	if _, err := s.w.Write(s.buf); err != nil {
		return fmt.Errorf("write findings spool: %w", err)
	}
	s.index(f, len(s.buf))
	return nil
}

// index records the sort key of the finding just written (n bytes).
func (s *spool) index(f *rules.Finding, n int) {
	k := spoolKey{orderKey: keyOf(f), off: s.off, n: int32(n), fp: fp8(f.Fingerprint)}
	if f.Cause != "" {
		k.cause = fp8(f.Cause)
		s.causes++
	}
	s.idx = append(s.idx, k)
	s.off += int64(n)
}

// addRaw appends a finding already encoded (the JSON report's bytes): it
// comes back as it went in, without decoding.
func (s *spool) addRaw(f *rules.Finding, b []byte) error {
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("write findings spool: %w", err)
	}
	s.index(f, len(b))
	return nil
}

// len is the number of findings spooled.
func (s *spool) len() int { return len(s.idx) }

// sorted calls fn for each finding in the reports' order (see order.go):
// a finding with a cause right after its cause.
func (s *spool) sorted(fn func(f *Finding) error) error {
	var f rules.Finding
	var isNew bool
	out := Finding{Finding: &f}
	return s.sortedRaw(func(b []byte) error {
		mark, err := decodeFinding(b, &f)
		if err != nil {
			return err
		}
		out.New = nil
		if mark > 0 {
			isNew = mark == 2
			out.New = &isNew
		}
		return fn(&out)
	})
}

// sortedRaw calls fn with the bytes of each finding in the reports' order;
// they are valid until fn returns.
func (s *spool) sortedRaw(fn func(b []byte) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write findings spool: %w", err)
	}
	order := s.order()
	// Findings that follow each other on disk are read through a window of
	// the file; one that does not, on its own.
	var win []byte
	var winOff, prevEnd int64 = -1, -1
	for _, i := range order {
		k := &s.idx[i]
		if k.off < winOff || k.off+int64(k.n) > winOff+int64(len(win)) {
			size := int(k.n)
			if k.off == prevEnd {
				size = max(size, 256<<10)
			}
			if cap(s.buf) < size {
				s.buf = make([]byte, size)
			}
			win = s.buf[:size]
			n, err := s.f.ReadAt(win, k.off)
			if err != nil && err != io.EOF {
				return fmt.Errorf("read findings spool: %w", err)
			}
			win, winOff = win[:n], k.off
			if n < int(k.n) {
				return fmt.Errorf("read findings spool: the file is short")
			}
		}
		prevEnd = k.off + int64(k.n)
		if err := fn(win[k.off-winOff : k.off-winOff+int64(k.n)]); err != nil {
			return err
		}
	}
	return nil
}

// order is the reports' order of the spooled findings, as indexes.
func (s *spool) order() []int32 {
	// A caused finding sorts with its cause's key, after it.
	root := make([]int32, len(s.idx))
	for i := range root {
		root[i] = int32(i)
	}
	if s.causes > 0 {
		wanted := map[uint64]int32{}
		for i := range s.idx {
			if c := s.idx[i].cause; c != 0 {
				wanted[c] = -1
			}
		}
		for i := range s.idx {
			if j, ok := wanted[s.idx[i].fp]; ok && j < 0 {
				wanted[s.idx[i].fp] = int32(i)
			}
		}
		for i := range s.idx {
			if c := s.idx[i].cause; c != 0 {
				if j := wanted[c]; j >= 0 && int(j) != i {
					root[i] = j
				}
			}
		}
	}
	order := make([]int32, len(s.idx))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		ra, rb := root[a], root[b]
		if ra != rb {
			if c := s.idx[ra].orderKey.compare(&s.idx[rb].orderKey); c != 0 {
				return c
			}
			return cmp.Compare(ra, rb) // as they came
		}
		// One root: the root itself first, then what it causes as it came.
		switch {
		case a == ra:
			return -1
		case b == rb:
			return 1
		}
		return cmp.Compare(a, b)
	})
	return order
}

func decodeFinding(b []byte, f *rules.Finding) (newMark byte, err error) {
	bad := fmt.Errorf("findings spool is corrupt")
	if len(b) < 4 {
		return 0, bad
	}
	f.Severity, f.Side, f.Kind, newMark = rules.Severity(b[0]), scanner.Side(b[1]), scanner.Kind(b[2]), b[3]
	b = b[4:]
	str := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", false
		}
		v := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return v, true
	}
	for _, dst := range [...]*string{&f.Rule, &f.Object, &f.Name, &f.Attribute, &f.Value, &f.Message, &f.Fix.Text, &f.Fix.Attribute, &f.Fix.From, &f.Fix.To, &f.Fingerprint, &f.Cause} {
		v, ok := str()
		if !ok {
			return 0, bad
		}
		*dst = v
	}
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return 0, bad
	}
	b = b[k:]
	f.Related, f.RelatedNames = f.Related[:0], f.RelatedNames[:0]
	for i := uint64(0); i < n; i++ {
		v, ok := str()
		name, ok2 := str()
		if !ok || !ok2 {
			return 0, bad
		}
		f.Related, f.RelatedNames = append(f.Related, v), append(f.RelatedNames, name)
	}
	return newMark, nil
}

// close removes the spool file.
func (s *spool) close() {
	if s == nil || s.f == nil {
		return
	}
	s.f.Close()
	scanner.RemoveTemp(s.f.Name())
	s.f = nil
}
