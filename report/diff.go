package report

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/rules"
)

// DiffSummary counts what changed between two reports.
type DiffSummary struct {
	From, To     Info
	New          map[string]int // by severity
	Resolved     map[string]int
	Persisting   map[string]int
	MatchChanges int
	Warning      string // e.g. an unknown tenant
}

func counts() map[string]int { return map[string]int{"error": 0, "warning": 0, "info": 0} }

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// Line says what changed in one line: "3 new errors, 5 resolved, 41
// persisting since 2026-11-16".
func (d *DiffSummary) Line() string {
	since := d.From.ScannedAt
	if len(since) >= 10 {
		since = since[:10]
	}
	return fmt.Sprintf("%s, %d resolved, %d persisting since %s", newLine(d.New), total(d.Resolved), total(d.Persisting), since)
}

// MatchChange is an object whose predicted outcome changed.
type MatchChange struct {
	OnPrem string     `json:"onprem"`
	Old    MatchState `json:"old"`
	New    MatchState `json:"new"`
}

// MatchState is an object's place in one match plan.
type MatchState struct {
	Outcome string  `json:"outcome"`
	Reason  *string `json:"reason"`
	Cloud   *string `json:"cloud"`
	// CloudName is the cloud object's UPN or display name, as the report
	// names it; nil when there is no cloud object (or the report predates
	// cloudName).
	CloudName *string `json:"cloudName"`
}

func stateOf(m *Match) MatchState {
	s := MatchState{Outcome: m.Outcome, Cloud: m.Cloud}
	if m.Reason != "" {
		r := m.Reason
		s.Reason = &r
	}
	if m.Cloud != nil && m.CloudName != "" {
		n := m.CloudName
		s.CloudName = &n
	}
	return s
}

// String says the state in words: "blocked (admin-role), cloud
// asm.admin@contoso.onmicrosoft.com", "provision".
func (s MatchState) String() string {
	out := s.Outcome
	if s.Reason != nil {
		out += " (" + *s.Reason + ")"
	}
	switch {
	case s.CloudName != nil:
		out += ", cloud " + *s.CloudName
	case s.Cloud != nil:
		out += ", cloud " + *s.Cloud
	}
	return out
}

func (s MatchState) key() string {
	r, c := "", ""
	if s.Reason != nil {
		r = *s.Reason
	}
	if s.Cloud != nil {
		c = *s.Cloud
	}
	return s.Outcome + "\x00" + r + "\x00" + c
}

// DiffWriter receives a diff as it is made: Start, then the new,
// persisting and resolved findings and the match changes (in that order),
// then End.
type DiffWriter interface {
	Start(d *DiffSummary) error
	New(f *rules.Finding) error
	Persisting(f *rules.Finding) error
	Resolved(f *rules.Finding) error
	MatchChange(c *MatchChange) error
	End(d *DiffSummary) error
	Commit() error
	Abort()
}

// Diff compares two JSON reports by fingerprint, streaming both (each is
// read a few times; only fingerprints and the old match plan are held).
// Reports of another schema version, or of two different known tenants, are
// refused.
func Diff(ctx context.Context, oldPath, newPath string, writers []DiffWriter) (*DiffSummary, error) {
	oldFP, err := LoadFingerprints(oldPath)
	if err != nil {
		return nil, err
	}
	newFP, err := LoadFingerprints(newPath)
	if err != nil {
		return nil, err
	}
	d := &DiffSummary{From: oldFP.Info, To: newFP.Info, New: counts(), Resolved: counts(), Persisting: counts()}
	if d.Warning, err = oldFP.SameTenant(newPath, newFP.Info.TenantID); err != nil {
		return nil, err
	}
	each := func(fn func(w DiffWriter) error) error {
		if err := ctx.Err(); err != nil { // a diff of a million findings takes a while
			return err
		}
		for _, w := range writers {
			if err := fn(w); err != nil {
				return err
			}
		}
		return nil
	}
	if err := each(func(w DiffWriter) error { return w.Start(d) }); err != nil {
		return nil, err
	}
	// Findings accepted by a suppression are neither new nor persisting, and
	// not resolved while they are still there.
	pass := func(path string, withSuppressed bool, keep func(f *rules.Finding) bool, by map[string]int, emit func(DiffWriter, *rules.Finding) error) error {
		fn := func(f *rules.Finding) error {
			if !keep(f) {
				return nil
			}
			by[f.Severity.String()]++
			return each(func(w DiffWriter) error { return emit(w, f) })
		}
		opt := ReadOptions{Finding: fn}
		if withSuppressed {
			opt.Suppressed = fn
		}
		_, err := ReadReport(path, opt)
		return err
	}
	if err := pass(newPath, false, func(f *rules.Finding) bool { return !oldFP.Has(f.Fingerprint) }, d.New, DiffWriter.New); err != nil {
		return nil, err
	}
	if err := pass(newPath, false, func(f *rules.Finding) bool { return oldFP.Has(f.Fingerprint) }, d.Persisting, DiffWriter.Persisting); err != nil {
		return nil, err
	}
	if err := pass(oldPath, true, func(f *rules.Finding) bool { return !newFP.Has(f.Fingerprint) }, d.Resolved, DiffWriter.Resolved); err != nil {
		return nil, err
	}
	old := map[string]MatchState{}
	if _, err := ReadReport(oldPath, ReadOptions{Match: func(m *Match) error {
		old[m.OnPrem] = stateOf(m)
		return nil
	}}); err != nil {
		return nil, err
	}
	if _, err := ReadReport(newPath, ReadOptions{Match: func(m *Match) error {
		was, ok := old[m.OnPrem]
		now := stateOf(m)
		if !ok || was.key() == now.key() {
			return nil
		}
		d.MatchChanges++
		c := &MatchChange{OnPrem: m.OnPrem, Old: was, New: now}
		return each(func(w DiffWriter) error { return w.MatchChange(c) })
	}}); err != nil {
		return nil, err
	}
	if err := each(func(w DiffWriter) error { return w.End(d) }); err != nil {
		return nil, err
	}
	return d, nil
}

// Reached reports whether a new finding reached severity threshold (0:
// none does).
func (d *DiffSummary) Reached(threshold rules.Severity) bool {
	for _, sev := range rules.Severities {
		if threshold != 0 && sev >= threshold && d.New[sev.String()] > 0 {
			return true
		}
	}
	return false
}

// CheckDiffFormat refuses an --out value CreateDiff does not write.
func CheckDiffFormat(path string) error {
	if path != "-" && !slices.Contains(DiffFormats, strings.ToLower(filepath.Ext(path))) {
		return fmt.Errorf("--out %s: unknown diff format %q; use .json, .xlsx, .csv, or - for JSON on stdout", path, filepath.Ext(path))
	}
	return nil
}

// CreateDiff returns the diff writer for an --out value (.json, .xlsx,
// .csv, or "-" for JSON on stdout).
func CreateDiff(path string, stdout io.Writer, tool Tool) (DiffWriter, error) {
	if err := CheckDiffFormat(path); err != nil {
		return nil, err
	}
	if path == "-" {
		return &diffJSON{out: nopCommitter{newBuffered(stdout)}, tool: tool}, nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		f, err := createAtomic(path)
		if err != nil {
			return nil, err
		}
		return newDiffCSV(f), nil
	case ".json":
		f, err := createAtomic(path)
		if err != nil {
			return nil, err
		}
		return &diffJSON{out: f, tool: tool}, nil
	case ".xlsx":
		f, err := createAtomic(path)
		if err != nil {
			return nil, err
		}
		x, err := newXLSX(f)
		if err != nil {
			f.abort()
			return nil, err
		}
		return &diffXLSX{x: x}, nil
	}
	return nil, fmt.Errorf("--out %s: no diff writer for %q", path, filepath.Ext(path))
}

// DiffFormats are the extensions CreateDiff accepts.
var DiffFormats = []string{".json", ".xlsx", ".csv"}

// diffJSON writes the diff as one JSON document, streamed.
type diffJSON struct {
	out     sink
	tool    Tool
	section string
	n       int
	err     error
}

type jsonReportRef struct {
	File      string `json:"file"`
	ScannedAt string `json:"scannedAt"`
	TenantID  string `json:"tenantId,omitempty"`
}

func (j *diffJSON) write(s string) {
	if j.err == nil {
		_, j.err = io.WriteString(j.out, s)
	}
}

func (j *diffJSON) value(prefix string, v any) {
	if j.err != nil {
		return
	}
	b, err := jsonMarshal(v)
	if err != nil {
		j.err = err
		return
	}
	j.write(prefix)
	if j.err == nil {
		_, j.err = j.out.Write(b)
	}
}

var diffSections = []string{"new", "persisting", "resolved", "matchChanges"}

func (j *diffJSON) open(name string) {
	if j.section == name {
		return
	}
	if j.section != "" {
		j.write("\n]")
	}
	for i := slices.Index(diffSections, j.section) + 1; i < len(diffSections) && diffSections[i] != name; i++ {
		j.write(",\n\"" + diffSections[i] + "\":[]")
	}
	if name != "" {
		j.write(",\n\"" + name + "\":[")
	}
	j.section, j.n = name, 0
}

func (j *diffJSON) item(v any) {
	sep := ",\n"
	if j.n == 0 {
		sep = "\n"
	}
	j.n++
	j.value(sep, v)
}

func (j *diffJSON) Start(d *DiffSummary) error {
	j.write("{\n")
	j.value(`"schemaVersion":`, SchemaVersion)
	j.value(",\n\"kind\":", "diff")
	j.value(",\n\"tool\":", j.tool)
	j.value(",\n\"comparedAt\":", time.Now().UTC().Format(time.RFC3339))
	j.value(",\n\"from\":", jsonReportRef{d.From.File, d.From.ScannedAt, d.From.TenantID})
	j.value(",\n\"to\":", jsonReportRef{d.To.File, d.To.ScannedAt, d.To.TenantID})
	return j.err
}

func (j *diffJSON) New(f *rules.Finding) error { j.open("new"); j.item(toJSON(f)); return j.err }
func (j *diffJSON) Persisting(f *rules.Finding) error {
	j.open("persisting")
	j.item(toJSON(f))
	return j.err
}
func (j *diffJSON) Resolved(f *rules.Finding) error {
	j.open("resolved")
	j.item(toJSON(f))
	return j.err
}
func (j *diffJSON) MatchChange(c *MatchChange) error { j.open("matchChanges"); j.item(c); return j.err }

func (j *diffJSON) End(d *DiffSummary) error {
	j.open("matchChanges")
	j.write("\n]")
	j.value(",\n\"summary\":", map[string]any{
		"new": d.New, "persisting": d.Persisting, "resolved": d.Resolved, "matchChanges": d.MatchChanges, "line": d.Line(),
	})
	if d.Warning != "" {
		j.value(",\n\"warning\":", d.Warning)
	}
	j.write("\n}\n")
	return j.err
}

func (j *diffJSON) Commit() error {
	if j.err != nil {
		j.out.abort()
		return j.err
	}
	return j.out.commit()
}

func (j *diffJSON) Abort() { j.out.abort() }

// diffXLSX writes the diff as a workbook: Summary, New, Resolved,
// Persisting, Match changes.
type diffXLSX struct {
	x                 *XLSX
	newT, persT, resT *tableSheet
	changes           *tableSheet
	err               error
}

func (w *diffXLSX) Start(d *DiffSummary) error {
	w.newT = w.x.newTable("New", FindingColumns, findingWidths[:len(FindingColumns)])
	w.persT = w.x.newTable("Persisting", FindingColumns, findingWidths[:len(FindingColumns)])
	w.resT = w.x.newTable("Resolved", FindingColumns, findingWidths[:len(FindingColumns)])
	w.changes = w.x.newTable("Match changes", []string{"Object", "Old outcome", "Old reason", "Old cloud object", "New outcome", "New reason", "New cloud object"}, []float64{60, 16, 18, 38, 16, 18, 38})
	return nil
}

// upTo finishes the sheets before t (an empty one gets its header), so
// the sheets stay in order whatever is empty.
func (w *diffXLSX) upTo(t *tableSheet) error {
	for _, s := range []*tableSheet{w.newT, w.persT, w.resT, w.changes} {
		if s == t || w.err != nil {
			break
		}
		w.err = s.close()
	}
	return w.err
}

func (w *diffXLSX) add(t *tableSheet, f *rules.Finding) error {
	if w.upTo(t) == nil {
		w.err = t.add(w.x.findingCells(&Finding{Finding: f}))
	}
	return w.err
}

func (w *diffXLSX) New(f *rules.Finding) error        { return w.add(w.newT, f) }
func (w *diffXLSX) Persisting(f *rules.Finding) error { return w.add(w.persT, f) }
func (w *diffXLSX) Resolved(f *rules.Finding) error   { return w.add(w.resT, f) }

func (w *diffXLSX) MatchChange(c *MatchChange) error {
	if w.upTo(w.changes) != nil {
		return w.err
	}
	w.err = w.changes.add([]any{text(c.OnPrem), text(c.Old.Outcome), text(deref(c.Old.Reason)), text(c.Old.cloudCell()), text(c.New.Outcome), text(deref(c.New.Reason)), text(c.New.cloudCell())})
	return w.err
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// cloudCell names the state's cloud object with its id, "" when none.
func (s MatchState) cloudCell() string {
	if s.Cloud == nil {
		return ""
	}
	if s.CloudName != nil && *s.CloudName != *s.Cloud {
		return *s.CloudName + " (" + *s.Cloud + ")"
	}
	return *s.Cloud
}

func (w *diffXLSX) End(d *DiffSummary) error {
	if w.err != nil {
		return w.err
	}
	if w.upTo(nil) != nil {
		return w.err
	}
	f, sh := w.x.f, SheetSummary
	rows := [][]any{
		{"syncready: what changed"},
		{d.Line()},
		{},
		{"From", d.From.File, d.From.ScannedAt},
		{"To", d.To.File, d.To.ScannedAt},
		{"Tenant", d.To.TenantID},
		{},
		{"", "Errors", "Warnings", "Info"},
		{"New", d.New["error"], d.New["warning"], d.New["info"]},
		{"Resolved", d.Resolved["error"], d.Resolved["warning"], d.Resolved["info"]},
		{"Persisting", d.Persisting["error"], d.Persisting["warning"], d.Persisting["info"]},
		{"Match plan changes", d.MatchChanges},
	}
	if d.Warning != "" {
		rows = append(rows, []any{}, []any{"Warning", d.Warning})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if w.err = f.SetSheetRow(sh, cell, &r); w.err != nil {
			return w.err
		}
	}
	_ = f.SetCellStyle(sh, "A1", "A1", w.x.styles.title)
	style := w.x.styles.good
	if d.New["error"] > 0 {
		style = w.x.styles.bad
	}
	_ = f.SetCellStyle(sh, "A2", "A2", style)
	_ = f.SetColWidth(sh, "A", "A", 22)
	_ = f.SetColWidth(sh, "B", "C", 40)
	return nil
}

func (w *diffXLSX) Commit() error {
	if w.err != nil {
		w.x.Abort()
		return w.err
	}
	return w.x.Commit()
}

func (w *diffXLSX) Abort() { w.x.Abort() }
