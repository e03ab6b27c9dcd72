package report

import (
	"archive/zip"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// Sheet names are part of the contract (issue: Excel and CSV reports).
const (
	SheetSummary    = "Summary"
	SheetFindings   = "Findings"
	SheetMatchPlan  = "Match plan"
	SheetResolved   = "Resolved"   // with a baseline
	SheetSuppressed = "Suppressed" // with suppressions
	SheetRules      = "Rules"
)

// maxDataRows is how many rows below the header fit on one sheet (Excel's
// limit is 1,048,576 rows); a variable so tests can make sheets continue.
var maxDataRows = 1048576 - 1

// maxCellChars is Excel's limit of characters (UTF-16 units) in a cell.
const maxCellChars = 32767

// XLSX writes the Excel workbook: Summary (first), Findings (continued as
// "Findings (2)", …), Match plan and Rules. Findings are spooled to disk and
// written sorted by severity, rule and object; matches stream straight to
// their sheet. Every cell holding directory data is a text cell: nothing is
// ever a formula.
type XLSX struct {
	out        *atomicFile
	f          *excelize.File
	header     Header
	spool      *spool
	resolved   *spool
	suppressed []Finding // few: each suppression entry accepts a handful at most
	styles     xlsxStyles

	findingsDone bool
	nFindings    int
	match        *tableSheet
	sheets       []string
	tables       []*tableSheet         // every table, to remove their rows files
	cells        []string              // a match-plan row, reused
	sheetParts   map[string]*tablePart // zip path -> the sheet made here
	planDone     chan error            // the match plan's goroutine, when Plan started one
	planStop     atomic.Bool
	err          error
}

type xlsxStyles struct {
	sev                          map[rules.Severity]int
	bold, title, wrap, bad, good int
}

// NewXLSX returns a workbook writer that commits to out.
func newXLSX(out *atomicFile) (*XLSX, error) {
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	x := &XLSX{out: out, f: excelize.NewFile(), spool: sp, sheetParts: map[string]*tablePart{}}
	if err := x.f.SetSheetName("Sheet1", SheetSummary); err != nil {
		x.Abort()
		return nil, fmt.Errorf("create workbook: %w", err)
	}
	x.sheets = []string{SheetSummary}
	if err := x.newStyles(); err != nil {
		x.Abort()
		return nil, fmt.Errorf("create workbook: %w", err)
	}
	return x, nil
}

func (x *XLSX) newStyles() error {
	fill := func(bg, fg string) (int, error) {
		return x.f.NewStyle(&excelize.Style{
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{bg}},
			Font: &excelize.Font{Color: fg, Bold: true},
		})
	}
	var err error
	x.styles.sev = map[rules.Severity]int{}
	for sev, c := range map[rules.Severity][2]string{rules.Error: {"FFC7CE", "9C0006"}, rules.Warning: {"FFEB9C", "9C5700"}, rules.Info: {"DDEBF7", "1F4E78"}} {
		if x.styles.sev[sev], err = fill(c[0], c[1]); err != nil {
			return err
		}
	}
	if x.styles.bad, err = fill("FFC7CE", "9C0006"); err != nil {
		return err
	}
	if x.styles.good, err = fill("C6EFCE", "006100"); err != nil {
		return err
	}
	if x.styles.bold, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return err
	}
	if x.styles.title, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return err
	}
	x.styles.wrap, err = x.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return err
}

// text makes a cell value that is always text and fits Excel's cell limit
// (see cut). An empty value is no cell at all.
func text(s string) any {
	if s == "" {
		return nil
	}
	return cut(s)
}

// cut fits s to Excel's cell limit (32,767 UTF-16 units), saying so where
// it had to cut.
func cut(s string) string {
	if utf16Len(s) <= maxCellChars {
		return s
	}
	note := " … [cut to fit an Excel cell; the JSON report holds the whole value]"
	limit, n := maxCellChars-utf16Len(note), 0
	for i, r := range s {
		if n += utf16.RuneLen(r); n > limit {
			return s[:i] + note
		}
	}
	return s
}

func utf16Len(s string) int {
	if len(s) <= maxCellChars {
		return len(s) // never more units than bytes
	}
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// tableSheet writes a table over one or more sheets with a frozen header and
// a table (autofilter) each, continuing on "Name (2)" past Excel's row
// limit. Rows are encoded and compressed as they come, a file per sheet
// (see tablePart); the sheets themselves are made when the table closes,
// so a table's sheets follow the tables closed before it.
type tableSheet struct {
	x       *XLSX
	base    string
	columns []string
	widths  []float64
	parts   []*tablePart
}

func (x *XLSX) newTable(base string, columns []string, widths []float64) *tableSheet {
	t := &tableSheet{x: x, base: base, columns: columns, widths: widths}
	x.tables = append(x.tables, t)
	return t
}

func (t *tableSheet) add(cells []any) error {
	if err := t.part(); err != nil {
		return err
	}
	return t.parts[len(t.parts)-1].add(cells)
}

// part starts the table's first sheet, or its next past the row limit.
func (t *tableSheet) part() error {
	if n := len(t.parts); n == 0 || t.parts[n-1].rows >= maxDataRows {
		p, err := newTablePart(t.columns, t.widths, t.x.styles.bold)
		if err != nil {
			return err
		}
		t.parts = append(t.parts, p)
	}
	return nil
}

// addText adds a row of text cells.
func (t *tableSheet) addText(cells []string) error {
	if err := t.part(); err != nil {
		return err
	}
	return t.parts[len(t.parts)-1].addText(cells)
}

// close makes the table's sheets and their tables (with autofilter) in
// excelize, which zips them with the sheets' XML made here. A table without
// rows gets its header sheet.
func (t *tableSheet) close() error {
	if len(t.parts) == 0 {
		p, err := newTablePart(t.columns, t.widths, t.x.styles.bold)
		if err != nil {
			return err
		}
		t.parts = append(t.parts, p)
	}
	for i, p := range t.parts {
		name := t.base
		if i > 0 {
			name = fmt.Sprintf("%s (%d)", t.base, i+1)
		}
		if err := t.sheet(name, p); err != nil {
			return fmt.Errorf("workbook sheet %q: %w", name, err)
		}
	}
	return nil
}

func (t *tableSheet) sheet(name string, p *tablePart) error {
	f := t.x.f
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	t.x.sheets = append(t.x.sheets, name)
	id := 0
	for i, n := range f.GetSheetMap() {
		if n == name {
			id = i
		}
	}
	// The stream writer gets the header row only, which names the table's
	// columns; of what it writes, the sheet keeps the table reference.
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	head := make([]any, len(t.columns))
	for i, c := range t.columns {
		head[i] = excelize.Cell{Value: c, StyleID: t.x.styles.bold}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(t.columns), max(p.rows+1, 2))
	table := strings.NewReplacer(" ", "", "(", "", ")", "").Replace(name)
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: table, StyleName: "TableStyleLight9"}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// excelize names the part of a sheet it adds by the sheet's id.
	t.x.sheetParts[fmt.Sprintf("xl/worksheets/sheet%d.xml", id)] = p
	return nil
}

// Start remembers the header.
func (x *XLSX) Start(h *Header) error { x.header = *h; return nil }

// Finding spools a finding; the sheet is written sorted once all are in.
// Suppressed findings go to their own sheet.
func (x *XLSX) Finding(f *Finding) error {
	if x.err != nil {
		return x.err
	}
	if f.Suppressed != nil {
		c := *f.Finding
		x.suppressed = append(x.suppressed, Finding{Finding: &c, New: f.New, Suppressed: f.Suppressed})
		return nil
	}
	x.err = x.spool.add(f)
	x.nFindings++
	return x.err
}

// Resolved spools a finding of the baseline that is gone.
func (x *XLSX) Resolved(f *rules.Finding) error {
	if x.err != nil {
		return x.err
	}
	if x.resolved == nil {
		if x.resolved, x.err = newSpool(); x.err != nil {
			return x.err
		}
	}
	x.err = x.resolved.add(&Finding{Finding: f})
	return x.err
}

// findingCells makes a findings-table row of text cells, the severity
// coloured.
func (x *XLSX) findingCells(f *Finding) []any {
	row := findingRow(f)
	cells := make([]any, len(row))
	for i, v := range row {
		cells[i] = text(v)
	}
	cells[0] = excelize.Cell{Value: row[0], StyleID: x.styles.sev[f.Severity]}
	return cells
}

func (x *XLSX) writeFindings() error {
	if x.findingsDone {
		return nil
	}
	x.findingsDone = true
	cols := findingColumns(x.header.Baseline != nil)
	t := x.newTable(SheetFindings, cols, findingWidths[:len(cols)])
	err := x.spool.sorted(func(f *Finding) error { return t.add(x.findingCells(f)) })
	x.spool.close()
	if err != nil {
		return err
	}
	return t.close()
}

// Match writes one match-plan row.
func (x *XLSX) Match(m *Match) error {
	if x.err != nil {
		return x.err
	}
	if x.match == nil {
		x.match = x.newTable(SheetMatchPlan, matchColumns, matchWidths)
	}
	x.cells = matchCells(x.cells, m)
	x.err = x.match.addText(x.cells)
	return x.err
}

// Plan writes the Match plan sheet's rows in a goroutine of its own, while
// the rules run: the sheet is made when End has all of them.
func (x *XLSX) Plan(snap *scanner.Snapshot, plan *scanner.Plan) bool {
	if x.match != nil || x.planDone != nil {
		return false
	}
	x.match = x.newTable(SheetMatchPlan, matchColumns, matchWidths)
	x.planDone = make(chan error, 1)
	go func() {
		var cells []string
		for i := range snap.OnPrem {
			if x.planStop.Load() {
				x.planDone <- errors.New("workbook abandoned")
				return
			}
			m := MatchOf(snap, plan, i)
			cells = matchCells(cells, &m)
			if err := x.match.addText(cells); err != nil {
				x.planDone <- err
				return
			}
		}
		x.planDone <- nil
	}()
	return true
}

// waitPlan waits for Plan's goroutine; stop asks it to give up first.
func (x *XLSX) waitPlan(stop bool) error {
	if x.planDone == nil {
		return nil
	}
	if stop {
		x.planStop.Store(true)
	}
	err := <-x.planDone
	x.planDone = nil
	return err
}

// End writes the remaining sheets: Match plan (header only when there was
// no cloud side), Rules and the Summary.
func (x *XLSX) End(s *Summary, c *scanner.Coverage) error {
	if err := x.waitPlan(x.err != nil); err != nil && x.err == nil {
		x.err = err
	}
	if x.err != nil {
		return x.err
	}
	if x.err = x.writeFindings(); x.err != nil {
		return x.err
	}
	if x.match == nil {
		x.match = x.newTable(SheetMatchPlan, matchColumns, matchWidths)
	}
	if x.err = x.match.close(); x.err != nil {
		return x.err
	}
	if x.header.Baseline != nil {
		t := x.newTable(SheetResolved, FindingColumns, findingWidths[:len(FindingColumns)])
		if x.resolved != nil {
			x.err = x.resolved.sorted(func(f *Finding) error { return t.add(x.findingCells(f)) })
			x.resolved.close()
		}
		if x.err == nil {
			x.err = t.close()
		}
		if x.err != nil {
			return x.err
		}
	}
	if s.Suppressions != nil {
		cols := append(append([]string(nil), FindingColumns...), "Reason", "Owner", "Expires", "Suppression line")
		t := x.newTable(SheetSuppressed, cols, append(append([]float64(nil), findingWidths[:len(FindingColumns)]...), 40, 20, 11, 8))
		for i := range x.suppressed {
			f := &x.suppressed[i]
			cells := x.findingCells(&Finding{Finding: f.Finding})
			e := f.Suppressed
			cells = append(cells, text(e.Reason), text(e.Owner), text(e.Expires), e.Line)
			if x.err = t.add(cells); x.err != nil {
				return x.err
			}
		}
		if x.err = t.close(); x.err != nil {
			return x.err
		}
	}
	rt := x.newTable(SheetRules, ruleColumns, []float64{28, 10, 60, 100, 60})
	for _, r := range rules.All() {
		doc := strings.Join(strings.Fields(r.Doc), " ")
		if x.err = rt.add([]any{text(r.ID), text(r.Severity.String()), text(r.Title), text(doc), text(r.Source)}); x.err != nil {
			return x.err
		}
	}
	if x.err = rt.close(); x.err != nil {
		return x.err
	}
	x.err = x.writeSummary(s, c)
	return x.err
}

// Commit saves the workbook into its temporary file and renames it.
func (x *XLSX) Commit() error {
	defer x.f.Close()
	defer x.removeParts()
	x.spool.close()
	if err := x.waitPlan(true); err != nil && x.err == nil {
		x.err = err
	}
	if x.err != nil {
		x.out.abort()
		return x.err
	}
	// Summary is the first sheet and so the active one: SetActiveSheet
	// would read every streamed sheet back to clear its selection.
	// The zip goes straight into the report file, compressed for speed:
	// excelize would build the whole archive in memory first, and its
	// default compression level is most of the time of a large workbook.
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(x.out)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return &sheetZip{zw: zw, parts: x.sheetParts}
	})
	if err := x.f.Write(io.Discard); err != nil {
		x.out.abort()
		return fmt.Errorf("write workbook %s: %w", x.out.path, err)
	}
	for path, p := range x.sheetParts {
		if !p.done {
			x.out.abort()
			return fmt.Errorf("write workbook %s: the rows of %s found no place in it", x.out.path, path)
		}
	}
	return x.out.commit()
}

func (x *XLSX) removeParts() {
	for _, t := range x.tables {
		for _, p := range t.parts {
			p.remove()
		}
	}
}

// Abort discards the workbook.
func (x *XLSX) Abort() {
	_ = x.waitPlan(true)
	x.removeParts()
	x.spool.close()
	x.resolved.close()
	x.f.Close()
	x.out.abort()
}

// writeSummary fills the Summary sheet: what was scanned, the verdict, and
// every total as a value (no formulas).
func (x *XLSX) writeSummary(s *Summary, c *scanner.Coverage) error {
	sh := SheetSummary
	row := 0
	var err error
	put := func(style int, vals ...any) {
		row++
		if err != nil {
			return
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err = x.f.SetSheetRow(sh, cell, &vals); err != nil {
			return
		}
		if style != 0 {
			end, _ := excelize.CoordinatesToCellName(max(len(vals), 1), row)
			err = x.f.SetCellStyle(sh, cell, end, style)
		}
	}
	blank := func() { row++ }
	h := &x.header
	verdictStyle := x.styles.good
	switch {
	case s.BySeverity["error"] > 0:
		verdictStyle = x.styles.bad
	case s.Incomplete():
		verdictStyle = x.styles.sev[rules.Warning]
	}
	put(x.styles.title, "syncready readiness report")
	put(verdictStyle, s.Verdict())
	if b := s.Baseline; b != nil {
		put(x.styles.bold, s.BaselineLine())
	}
	if s.Suppressions != nil {
		put(0, s.SuppressionLine())
	}
	blank()
	tenant := h.Sources.TenantID
	if !s.HasCloud {
		tenant = "not read"
	} else if tenant == "" {
		tenant = "unknown (organization.json not read)"
	}
	put(0, "Target", h.Sources.Target.Product()+" (--target "+h.Sources.Target.String()+")")
	put(0, "Tenant", tenant)
	put(0, "Forests", strings.Join(h.Sources.Forests, "\n"))
	put(0, "Inputs", strings.Join(h.Sources.Inputs, "\n"))
	put(0, "Scanned at", h.ScannedAt.UTC().Format("2006-01-02 15:04:05 MST"))
	put(0, "Tool", h.Tool.Name+" "+h.Tool.Version)
	blank()
	put(x.styles.bold, "Objects", "Users", "Groups", "Contacts")
	put(0, "On premises (in scope)", s.OnPrem["user"], s.OnPrem["group"], s.OnPrem["contact"])
	if s.HasCloud {
		put(0, "Cloud", s.Cloud["user"], s.Cloud["group"], s.Cloud["contact"])
		if s.Synced > 0 {
			put(0, "Synced objects that would be deleted", s.SyncedToDelete)
		}
	}
	put(0, "Skipped by the default sync rules' exclusions", s.Skipped)
	for _, k := range sortedKeys(s.OutOfScope) {
		put(0, "Not objects of sync: "+k, s.OutOfScope[k])
	}
	blank()
	put(x.styles.bold, "Findings", "Count")
	for _, sev := range rules.Severities {
		row++
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err == nil {
			err = x.f.SetSheetRow(sh, cell, &[]any{sev.String(), s.BySeverity[sev.String()]})
		}
		if err == nil {
			err = x.f.SetCellStyle(sh, cell, cell, x.styles.sev[sev])
		}
	}
	blank()
	put(x.styles.bold, "Rule", "Title", "Severity", "Findings")
	for _, r := range s.Rules {
		put(0, r.ID, r.Title, r.Severity.String(), s.ByRule[r.ID])
	}
	if s.HasCloud {
		blank()
		put(x.styles.bold, "Match plan", "Objects")
		for _, o := range scanner.Outcomes {
			put(0, o.String(), s.ByOutcome[o.String()])
		}
		for _, r := range scanner.AllReasons {
			put(0, "  blocked: "+r.String(), s.ByReason[r.String()])
		}
		if f := s.Features; f != nil {
			blank()
			src := "read from the tenant"
			if s.FeaturesAssumed {
				src = "assumed (a new tenant's defaults): onPremisesSynchronization not read"
			}
			put(x.styles.bold, "Tenant sync features", src)
			put(0, "softMatchOnUpnEnabled", onOff(f.SoftMatchOnUPN))
			put(0, "blockSoftMatchEnabled", onOff(f.BlockSoftMatch))
			put(0, "blockCloudObjectTakeoverThroughHardMatchEnabled", onOff(f.BlockHardMatchTakeover))
			put(0, "synchronizeUpnForManagedUsersEnabled", onOff(f.SynchronizeUPNForManagedUsers))
		}
	}
	blank()
	put(x.styles.bold, "Rules not evaluated", "Why")
	if len(c.NotEvaluated) == 0 {
		put(0, "none: every selected rule ran")
	}
	for _, n := range c.NotEvaluated {
		put(0, n.Rule, n.Reason)
	}
	if l := s.Suppressions; l != nil && (len(l.Expired()) > 0 || len(l.Stale()) > 0) {
		blank()
		put(x.styles.bold, "Suppressions to review", "Line", "Object or fingerprint", "Owner", "Expires")
		for _, e := range l.Expired() {
			put(0, "expired: no longer suppresses", e.Line, e.Object+e.Fingerprint, e.Owner, e.Expires)
		}
		for _, e := range l.Stale() {
			put(0, "stale: matched no finding", e.Line, e.Object+e.Fingerprint, e.Owner, e.Expires)
		}
	}
	if len(c.Partial) > 0 {
		blank()
		put(x.styles.bold, "Not read (the verdict is incomplete)")
		for _, p := range c.Partial {
			put(0, p)
		}
	}
	if len(c.Assumed) > 0 {
		blank()
		put(x.styles.bold, "Assumed")
		for _, a := range c.Assumed {
			put(0, a)
		}
	}
	if err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 48, "B": 60, "C": 12, "D": 12} {
		if err := x.f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
	}
	return nil
}
