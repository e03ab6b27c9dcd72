package report

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sort"

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
}

type spoolKey struct {
	sev    rules.Severity
	rule   string
	object string
	off    int64
	n      int32
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "syncready-findings-*.tmp")
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
	s.idx = append(s.idx, spoolKey{sev: f.Severity, rule: f.Rule, object: f.Object, off: s.off, n: int32(len(s.buf))})
	s.off += int64(len(s.buf))
	return nil
}

// len is the number of findings spooled.
func (s *spool) len() int { return len(s.idx) }

// sorted calls fn for each finding: most severe first, then by rule ID,
// then by object, then in the order they came.
func (s *spool) sorted(fn func(f *Finding) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write findings spool: %w", err)
	}
	sort.SliceStable(s.idx, func(i, j int) bool {
		a, b := &s.idx[i], &s.idx[j]
		if a.sev != b.sev {
			return a.sev > b.sev
		}
		if a.rule != b.rule {
			return a.rule < b.rule
		}
		return a.object < b.object
	})
	var f rules.Finding
	var isNew bool
	out := Finding{Finding: &f}
	for _, k := range s.idx {
		if cap(s.buf) < int(k.n) {
			s.buf = make([]byte, k.n)
		}
		b := s.buf[:k.n]
		if _, err := s.f.ReadAt(b, k.off); err != nil && err != io.EOF {
			return fmt.Errorf("read findings spool: %w", err)
		}
		mark, err := decodeFinding(b, &f)
		if err != nil {
			return err
		}
		out.New = nil
		if mark > 0 {
			isNew = mark == 2
			out.New = &isNew
		}
		if err := fn(&out); err != nil {
			return err
		}
	}
	return nil
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
	os.Remove(s.f.Name())
	s.f = nil
}
