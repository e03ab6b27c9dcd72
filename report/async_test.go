package report

import (
	"errors"
	"fmt"
	"testing"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// recorder is a writer that records what it got, and fails when told.
type recorder struct {
	got     []string
	failAt  int
	ended   bool
	aborted bool
}

func (r *recorder) Start(*Header) error { return nil }
func (r *recorder) add(s string) error {
	r.got = append(r.got, s)
	if r.failAt > 0 && len(r.got) == r.failAt {
		return errors.New("disk full")
	}
	return nil
}
func (r *recorder) Finding(f *Finding) error {
	n := "-"
	if f.New != nil {
		n = fmt.Sprint(*f.New)
	}
	return r.add("f " + f.Fingerprint + " " + n)
}
func (r *recorder) Match(m *Match) error                  { return r.add("m " + m.OnPrem) }
func (r *recorder) Resolved(f *rules.Finding) error       { return r.add("r " + f.Fingerprint) }
func (r *recorder) End(*Summary, *scanner.Coverage) error { r.ended = true; return nil }
func (r *recorder) Commit() error                         { return nil }
func (r *recorder) Abort()                                { r.aborted = true }

func TestAsyncKeepsOrder(t *testing.T) {
	rec := &recorder{}
	w := Async(rec)
	var want []string
	f := rules.Finding{}
	isNew := true
	for i := range 2000 {
		f.Fingerprint = fmt.Sprint(i)
		rf := &Finding{Finding: &f}
		if i%2 == 0 {
			rf.New = &isNew
			want = append(want, "f "+f.Fingerprint+" true")
		} else {
			want = append(want, "f "+f.Fingerprint+" -")
		}
		if err := w.Finding(rf); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 1000 {
		m := Match{OnPrem: fmt.Sprint("CN=", i)}
		want = append(want, "m "+m.OnPrem)
		w.Match(&m)
	}
	w.Resolved(&rules.Finding{Fingerprint: "gone"})
	want = append(want, "r gone")
	if err := w.End(&Summary{}, &scanner.Coverage{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if !rec.ended || len(rec.got) != len(want) {
		t.Fatalf("got %d items, want %d", len(rec.got), len(want))
	}
	for i := range want {
		if rec.got[i] != want[i] {
			t.Fatalf("item %d: %q, want %q", i, rec.got[i], want[i])
		}
	}
}

func TestAsyncReportsTheWritersError(t *testing.T) {
	rec := &recorder{failAt: 700}
	w := Async(rec)
	var err error
	f := rules.Finding{}
	for i := 0; i < 100000 && err == nil; i++ {
		f.Fingerprint = fmt.Sprint(i)
		err = w.Finding(&Finding{Finding: &f})
	}
	if err == nil {
		err = w.End(&Summary{}, &scanner.Coverage{})
	}
	if err == nil || err.Error() != "disk full" {
		t.Fatalf("err %v", err)
	}
	w.Abort()
	if !rec.aborted || rec.ended {
		t.Error("a failed writer is aborted, not ended")
	}
}

// keeper keeps the New flag it is handed, as the JSON and workbook writers
// do for suppressed findings.
type keeper struct {
	recorder
	kept []*bool
}

func (k *keeper) Finding(f *Finding) error {
	k.kept = append(k.kept, f.New)
	return nil
}

// TestAsyncWritersMayKeepWhatTheyGet: batches are reused, but what a
// writer was handed stays as it was.
func TestAsyncWritersMayKeepWhatTheyGet(t *testing.T) {
	k := &keeper{}
	w := Async(k)
	f := rules.Finding{}
	const n = 20 * asyncBatch
	for i := range n {
		isNew := i%3 == 0
		if err := w.Finding(&Finding{Finding: &f, New: &isNew}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(&Summary{}, &scanner.Coverage{}); err != nil {
		t.Fatal(err)
	}
	if len(k.kept) != n {
		t.Fatalf("kept %d, want %d", len(k.kept), n)
	}
	for i, p := range k.kept {
		if *p != (i%3 == 0) {
			t.Fatalf("finding %d: New is %v after later batches", i, *p)
		}
	}
}
