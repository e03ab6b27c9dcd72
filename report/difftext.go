package report

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/syncready/syncready/rules"
)

// WriteDiff compares the reports at oldPath and newPath (see Diff), writes
// the diff to each of outs (CreateDiff's paths), and then, once those are
// in place, the terminal text onto stdout, or onto stderr when "-" puts
// JSON on stdout. The diff's warning, if any, goes to stderr.
func WriteDiff(ctx context.Context, oldPath, newPath string, outs []string, stdout, stderr io.Writer, tool Tool) (*DiffSummary, error) {
	text := NewDiffText(stdout)
	var writers []DiffWriter
	abort := func() {
		for _, w := range writers {
			w.Abort()
		}
	}
	for _, o := range outs {
		if o == "-" {
			text = NewDiffText(stderr)
		}
		w, err := CreateDiff(o, stdout, tool)
		if err != nil {
			abort()
			return nil, err
		}
		writers = append(writers, w)
	}
	d, err := Diff(ctx, oldPath, newPath, append(writers, text))
	if err != nil {
		abort()
		return nil, err
	}
	for _, w := range writers {
		if err := w.Commit(); err != nil {
			abort()
			return nil, err
		}
	}
	if d.Warning != "" {
		fmt.Fprintf(stderr, "syncready: warning: %s\n", d.Warning)
	}
	return d, text.Commit()
}

// diffListed is how many new findings, resolved findings and outcome
// changes each the terminal lists; the rest are counted.
const diffListed = 20

// DiffText writes a diff for the terminal: the summary line, the counts by
// severity, then each new and resolved finding (severity, rule, object
// name) and each object whose predicted outcome changed, up to diffListed of
// each with "… and N more". It keeps only what it lists.
type DiffText struct {
	w                io.Writer
	newF, resolved   []rules.Finding
	changes          []MatchChange
	nNew, nRes, nChg int
	out              string
}

// NewDiffText returns a terminal diff writer onto w.
func NewDiffText(w io.Writer) *DiffText { return &DiffText{w: w} }

// Start does nothing: End has the summary.
func (t *DiffText) Start(*DiffSummary) error { return nil }

// New keeps the first new findings.
func (t *DiffText) New(f *rules.Finding) error {
	t.nNew++
	if len(t.newF) < diffListed {
		t.newF = append(t.newF, *f)
	}
	return nil
}

// Persisting does nothing: the counts say how many persist.
func (t *DiffText) Persisting(*rules.Finding) error { return nil }

// Resolved keeps the first resolved findings.
func (t *DiffText) Resolved(f *rules.Finding) error {
	t.nRes++
	if len(t.resolved) < diffListed {
		t.resolved = append(t.resolved, *f)
	}
	return nil
}

// MatchChange keeps the first outcome changes.
func (t *DiffText) MatchChange(c *MatchChange) error {
	t.nChg++
	if len(t.changes) < diffListed {
		t.changes = append(t.changes, *c)
	}
	return nil
}

// End builds the text; Commit prints it.
func (t *DiffText) End(d *DiffSummary) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", d.Line())
	fmt.Fprintf(&b, "  new:        %s\n", severityCounts(d.New))
	fmt.Fprintf(&b, "  resolved:   %s\n", severityCounts(d.Resolved))
	fmt.Fprintf(&b, "  persisting: %s\n", severityCounts(d.Persisting))
	width := 0
	for _, f := range append(t.newF[:len(t.newF):len(t.newF)], t.resolved...) {
		width = max(width, len(f.Rule))
	}
	findings := func(title string, l []rules.Finding, n int) {
		if n == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", title, n)
		for i := range l {
			f := &l[i]
			fmt.Fprintf(&b, "  %-7s  %-*s  %s\n", f.Severity, width, f.Rule, objectName(f))
		}
		more(&b, n-len(l))
	}
	findings("New findings", t.newF, t.nNew)
	findings("Resolved findings", t.resolved, t.nRes)
	fmt.Fprintf(&b, "\nMatch plan: %s changed outcome\n", plural(d.MatchChanges, "object"))
	for i := range t.changes {
		fmt.Fprintf(&b, "  %s: %s\n", t.changes[i].OnPrem, t.changes[i].words())
	}
	more(&b, t.nChg-len(t.changes))
	t.out = b.String()
	return nil
}

// words says the change: "blocked (admin-role) → hard-match, cloud
// ahm.admin@contoso.onmicrosoft.com", naming the cloud object once when
// both states have the same one.
func (c *MatchChange) words() string {
	if c.Old.Cloud != nil && c.New.Cloud != nil && *c.Old.Cloud == *c.New.Cloud {
		old := c.Old
		old.Cloud, old.CloudName = nil, nil
		return old.String() + " → " + c.New.String()
	}
	return c.Old.String() + " → " + c.New.String()
}

func more(b *strings.Builder, n int) {
	if n > 0 {
		fmt.Fprintf(b, "  … and %d more (see the diff report: --out FILE.xlsx, .csv or .json)\n", n)
	}
}

// Commit prints the text.
func (t *DiffText) Commit() error {
	_, err := io.WriteString(t.w, t.out)
	t.out = ""
	return err
}

// Abort prints nothing.
func (t *DiffText) Abort() { t.out = "" }

// objectName is how a finding's object is named for people: its display
// name (read from the report), else its DN or id.
func objectName(f *rules.Finding) string {
	if n := strings.TrimSpace(f.Name); n != "" {
		return n
	}
	return f.Object
}

// severityCounts says "2 errors, 1 warning, 0 info".
func severityCounts(m map[string]int) string {
	return fmt.Sprintf("%s, %s, %d info", plural(m["error"], "error"), plural(m["warning"], "warning"), m["info"])
}

// DiffChangeColumn is the column before FindingColumns in a diff's CSV: new,
// persisting, resolved or outcome changed.
const DiffChangeColumn = "Change"

// diffCSV writes a diff as one CSV table, in the order the diff workbook
// lists the same rows: the new, persisting and resolved findings (the
// findings table's columns, after Change), then one row per object whose
// predicted outcome changed (Object, Value: the new state, Message: old →
// new, Related objects: the cloud objects). Encoded as the scan's CSV is:
// UTF-8 with a byte-order mark, RFC 4180, formula-like cells defused.
type diffCSV struct {
	out *atomicFile
	w   *csv.Writer
	err error
}

func newDiffCSV(out *atomicFile) *diffCSV {
	w := csv.NewWriter(out)
	w.UseCRLF = true
	return &diffCSV{out: out, w: w}
}

func (c *diffCSV) row(cells []string) error {
	if c.err != nil {
		return c.err
	}
	for i := range cells {
		cells[i] = defuse(validUTF8(cells[i]))
	}
	c.err = c.w.Write(cells)
	return c.err
}

func (c *diffCSV) Start(*DiffSummary) error {
	if _, err := c.out.WriteString("\ufeff"); err != nil {
		c.err = err
		return err
	}
	return c.row(append([]string{DiffChangeColumn}, FindingColumns...))
}

func (c *diffCSV) finding(change string, f *rules.Finding) error {
	return c.row(append([]string{change}, findingRow(&Finding{Finding: f})...))
}

func (c *diffCSV) New(f *rules.Finding) error        { return c.finding("new", f) }
func (c *diffCSV) Persisting(f *rules.Finding) error { return c.finding("persisting", f) }
func (c *diffCSV) Resolved(f *rules.Finding) error   { return c.finding("resolved", f) }

func (c *diffCSV) MatchChange(m *MatchChange) error {
	cells := make([]string, 1+len(FindingColumns))
	cells[0] = "outcome changed"
	set := func(col, v string) {
		for i, name := range FindingColumns {
			if name == col {
				cells[1+i] = v
			}
		}
	}
	set("Object", m.OnPrem)
	set("Attribute", "outcome")
	set("Value", m.New.Outcome)
	set("Message", "predicted outcome: "+m.words())
	var related []string
	for _, s := range []MatchState{m.Old, m.New} {
		if cell := s.cloudCell(); cell != "" && (len(related) == 0 || related[0] != cell) {
			related = append(related, cell)
		}
	}
	set("Related objects", strings.Join(related, "\n"))
	return c.row(cells)
}

func (c *diffCSV) End(*DiffSummary) error {
	if c.err == nil {
		c.w.Flush()
		c.err = c.w.Error()
	}
	if c.err != nil {
		c.err = fmt.Errorf("write CSV diff %s: %w", c.out.path, c.err)
	}
	return c.err
}

func (c *diffCSV) Commit() error {
	if c.err != nil {
		c.out.abort()
		return c.err
	}
	return c.out.commit()
}

func (c *diffCSV) Abort() { c.out.abort() }
