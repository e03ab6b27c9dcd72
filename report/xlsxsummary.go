package report

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// The Summary sheet says what was scanned, the verdict, what to fix first,
// where the problems are, and every total as a value (no formulas). It is
// laid out to print on one landscape page:
//
//	A–J  title, verdict, what was scanned, the Fix first table
//	A–E  objects, findings, findings per OU,   G–J  the chart of findings
//	     match plan                                 per rule
//	A–J  what the scan could not cover
//
// The chart's data (findings per rule by severity) is in L–P, beside the
// printed area.

// How many root findings the Fix first table lists, and how many OUs the
// findings-per-OU table.
const (
	fixFirstN = 10
	topOUsN   = 10
)

// Column widths of the Summary, A to P.
var summaryWidths = []float64{44, 10, 10, 10, 10, 2, 9, 22, 32, 80, 2, 30, 9, 9, 9, 9}

// The Summary's columns (1-based).
const (
	sumLeft      = 1  // A: the left part, A–E
	sumLeftEnd   = 5  // E
	sumRight     = 7  // G: the right part, G–J
	sumEnd       = 10 // J: the last printed column
	sumChartData = 12 // L: the chart's data, L–P
)

// digest is what the Summary says of the findings, collected as they come
// in memory that does not grow with them: the fixFirstN root findings
// (those without a cause) that come first in the reports' order, and
// counts per OU and per rule, by severity.
type digest struct {
	first  []fixItem          // in the reports' order
	byOU   map[string]*[3]int // parent DN -> findings by sevIndex
	byRule map[string]*[3]int // rule -> findings by sevIndex
}

// fixItem is a root finding of the Fix first table.
type fixItem struct {
	sev               rules.Severity
	rule, object, fix string
	key               orderKey
}

func newDigest() digest {
	return digest{byOU: map[string]*[3]int{}, byRule: map[string]*[3]int{}}
}

// sevIndex is a severity's place in rules.Severities (error first), -1
// for none.
func sevIndex(s rules.Severity) int {
	for i, v := range rules.Severities {
		if v == s {
			return i
		}
	}
	return -1
}

// add counts a finding that is not suppressed. The strings kept are the
// finding's own: they point into the rule catalog and the snapshot.
func (d *digest) add(f *rules.Finding) {
	i := sevIndex(f.Severity)
	if i < 0 {
		return
	}
	n := d.byRule[f.Rule]
	if n == nil {
		n = new([3]int)
		d.byRule[f.Rule] = n
	}
	n[i]++
	if f.Side == scanner.OnPremSide {
		ou := parentDN(f.Object)
		n := d.byOU[ou]
		if n == nil {
			n = new([3]int)
			d.byOU[ou] = n
		}
		n[i]++
	}
	if f.Cause != "" {
		return
	}
	k := keyOf(f)
	if len(d.first) == fixFirstN && k.compare(&d.first[fixFirstN-1].key) >= 0 {
		return
	}
	fix := fixCell(f)
	if fix == "" {
		fix = f.Message
	}
	at := sort.Search(len(d.first), func(j int) bool { return k.compare(&d.first[j].key) < 0 })
	if len(d.first) < fixFirstN {
		d.first = append(d.first, fixItem{})
	}
	copy(d.first[at+1:], d.first[at:len(d.first)-1])
	d.first[at] = fixItem{sev: f.Severity, rule: f.Rule, object: f.Object, fix: fix, key: k}
}

// fixFirst is the Fix first table: up to fixFirstN root findings, in the
// reports' order (most severe first, security blocks first within it).
func (d *digest) fixFirst() []fixItem { return d.first }

// countRow is a name with its findings by sevIndex.
type countRow struct {
	name string
	n    [3]int
}

func (c *countRow) total() int { return c.n[0] + c.n[1] + c.n[2] }

// ranked lists m's entries by errors, then warnings, then info (most
// first), then by name; at most limit of them when limit > 0.
func ranked(m map[string]*[3]int, limit int) []countRow {
	l := make([]countRow, 0, len(m))
	for k, n := range m {
		l = append(l, countRow{k, *n})
	}
	sort.Slice(l, func(i, j int) bool {
		if l[i].n != l[j].n {
			for k := range l[i].n {
				if l[i].n[k] != l[j].n[k] {
					return l[i].n[k] > l[j].n[k]
				}
			}
		}
		return l[i].name < l[j].name
	})
	if limit > 0 && len(l) > limit {
		l = l[:limit]
	}
	return l
}

// parentDN is the DN of the container of the object dn names: what
// follows its first comma that is not escaped.
func parentDN(dn string) string {
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++
		case ',':
			return strings.TrimLeft(dn[i+1:], " ")
		}
	}
	return ""
}

// sumSheet writes cells of the Summary and keeps, per row, the lines its
// tallest text needs, so that rows are made tall enough for wrapped and
// merged cells (neither Excel nor LibreOffice fits a merged cell's row).
type sumSheet struct {
	f     *excelize.File
	sh    string
	lines map[int]int
	err   error
}

// span writes v into columns c1 to c2 of row (merged when more than one)
// in style.
func (w *sumSheet) span(c1, c2, row int, v any, style int) {
	if w.err != nil {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(c1, row)
	if s, ok := v.(string); ok {
		v = text(s)
		px := 0
		for c := c1; c <= c2; c++ {
			px += columnPixels(summaryWidths[c-1])
		}
		if n := textLines(s, textRoom(px)); n > w.lines[row] {
			w.lines[row] = n
		}
	}
	if v != nil {
		if w.err = w.f.SetCellValue(w.sh, cell, v); w.err != nil {
			return
		}
	}
	end := cell
	if c2 > c1 {
		end, _ = excelize.CoordinatesToCellName(c2, row)
		if w.err = w.f.MergeCell(w.sh, cell, end); w.err != nil {
			return
		}
	}
	if style != 0 {
		w.err = w.f.SetCellStyle(w.sh, cell, end, style)
	}
}

// cell writes v into one cell.
func (w *sumSheet) cell(col, row int, v any, style int) { w.span(col, col, row, v, style) }

// writeSummary fills the Summary sheet.
func (x *XLSX) writeSummary(s *Summary, c *scanner.Coverage) error {
	w := &sumSheet{f: x.f, sh: SheetSummary, lines: map[int]int{}}
	st := &x.styles
	row := 1
	// full writes a row across the printed width.
	full := func(style int, v string) {
		w.span(sumLeft, sumEnd, row, v, style)
		row++
	}
	w.cell(1, row, "syncready readiness report", st.title)
	row++
	verdictStyle := st.verdict[0]
	switch {
	case s.BySeverity["error"] > 0:
		verdictStyle = st.verdict[2]
	case s.Incomplete():
		verdictStyle = st.verdict[1]
	}
	full(verdictStyle, s.Verdict())
	if s.Baseline != nil {
		full(st.bold, s.BaselineLine())
	}
	if s.Suppressions != nil {
		full(st.wrap, s.SuppressionLine())
	}
	row++

	// What was scanned: a label and its value across the page.
	for _, fact := range x.facts(s) {
		w.cell(sumLeft, row, fact[0], st.bold)
		w.span(sumLeft+1, sumEnd, row, fact[1], st.wrap)
		row++
	}
	row++

	// Fix first: the root findings, most severe first.
	w.cell(sumLeft, row, "Fix first", st.title)
	row++
	w.cell(sumLeft, row, "Object", st.head)
	w.cell(sumLeft+1, row, "Severity", st.head)
	w.span(sumLeft+2, sumLeftEnd, row, "Rule", st.head)
	w.span(sumLeftEnd+1, sumEnd, row, "What to do", st.head)
	row++
	items := x.digest.fixFirst()
	if len(items) == 0 {
		full(st.wrap, "Nothing: no findings.")
	}
	for _, it := range items {
		w.cell(sumLeft, row, it.object, st.cell)
		w.cell(sumLeft+1, row, it.sev.String(), st.sev[it.sev])
		w.span(sumLeft+2, sumLeftEnd, row, it.rule, st.cell)
		w.span(sumLeftEnd+1, sumEnd, row, it.fix, st.cell)
		row++
	}
	row++

	// Two parts side by side: the counts, and the chart beside them.
	top := row
	row = x.summaryLeft(w, s, top)
	if n := x.summaryChart(w, top); n > 0 {
		at, _ := excelize.CoordinatesToCellName(sumRight, top)
		rows, err := x.addRuleChart(at, top, n)
		if err != nil && w.err == nil {
			w.err = err
		}
		row = max(row, top+rows)
	}
	row++

	// What the scan could not cover.
	heading := func(v string) {
		w.span(sumLeft, sumEnd, row, v, st.head)
		row++
	}
	heading("Rules not evaluated")
	if len(c.NotEvaluated) == 0 {
		full(st.wrap, "none: every selected rule ran")
	}
	for _, n := range c.NotEvaluated {
		w.cell(sumLeft, row, n.Rule, st.wrap)
		w.span(sumLeft+1, sumEnd, row, n.Reason, st.wrap)
		row++
	}
	if l := s.Suppressions; l != nil && (len(l.Expired()) > 0 || len(l.Stale()) > 0) {
		row++
		heading("Suppressions to review: line, object or fingerprint, owner, expires")
		entry := func(what string, line int, object, owner, expires string) {
			w.cell(sumLeft, row, what, st.wrap)
			w.cell(sumLeft+1, row, line, st.num)
			w.span(sumLeft+2, sumRight+2, row, object, st.wrap)
			w.cell(sumEnd, row, strings.TrimSpace(owner+" "+expires), st.wrap)
			row++
		}
		for _, e := range l.Expired() {
			entry("expired: no longer suppresses", e.Line, e.Object+e.Fingerprint, e.Owner, e.Expires)
		}
		for _, e := range l.Stale() {
			entry("stale: matched no finding", e.Line, e.Object+e.Fingerprint, e.Owner, e.Expires)
		}
	}
	if len(c.Partial) > 0 {
		row++
		heading("Not read (the verdict is incomplete)")
		for _, p := range c.Partial {
			full(st.wrap, p)
		}
	}
	if len(c.Assumed) > 0 {
		row++
		heading("Assumed")
		for _, a := range c.Assumed {
			full(st.wrap, a)
		}
	}
	if w.err != nil {
		return w.err
	}
	for i, width := range summaryWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := x.f.SetColWidth(SheetSummary, col, col, width); err != nil {
			return err
		}
	}
	for r, n := range w.lines {
		if n > 1 {
			if err := x.f.SetRowHeight(SheetSummary, r, float64(min(n, maxLines)*lineHeight)); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(sumEnd, row)
	return x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: sheetRef(SheetSummary) + "!$A$1:" + absRef(last), Scope: SheetSummary})
}

// absRef makes a cell name absolute: "J40" -> "$J$40".
func absRef(cell string) string {
	i := strings.IndexAny(cell, "0123456789")
	return "$" + cell[:i] + "$" + cell[i:]
}

// facts are the Summary's lines on what was scanned: label and value.
func (x *XLSX) facts(s *Summary) [][2]string {
	h := &x.header
	tenant := h.Sources.TenantID
	switch {
	case !s.HasCloud:
		tenant = "not read"
	case tenant == "":
		tenant = "unknown (organization.json not read)"
	default:
		tenant = "tenant id " + tenant
	}
	if s.HasCloud {
		var name []string
		for _, v := range []string{s.TenantName, s.TenantDomain} {
			if v != "" {
				name = append(name, v)
			}
		}
		if len(name) > 0 {
			tenant = strings.Join(name, ", ") + "; " + tenant
		}
	}
	orNone := func(l []string) string {
		if len(l) == 0 {
			return "none"
		}
		return strings.Join(l, "\n")
	}
	facts := [][2]string{
		{"Target", h.Sources.Target.Product() + " (--target " + h.Sources.Target.String() + ")"},
		{"Tenant", tenant},
		{"Forests", orNone(forestLines(h.Sources.Forests, s.ForestDomains))},
		{"Inputs", orNone(inputLines(h.Sources.Inputs))},
		{"Scanned at", h.ScannedAt.UTC().Format("2006-01-02 15:04:05 MST")},
		{"Tool", strings.TrimSpace(h.Tool.Name + " " + h.Tool.Version)},
	}
	if f := s.Features; f != nil {
		src := "read from the tenant"
		if s.FeaturesAssumed {
			src = "assumed, a new tenant's defaults: onPremisesSynchronization not read"
		}
		facts = append(facts, [2]string{"Tenant sync features", fmt.Sprintf("softMatchOnUpnEnabled %s, blockSoftMatchEnabled %s, blockCloudObjectTakeoverThroughHardMatchEnabled %s, synchronizeUpnForManagedUsersEnabled %s (%s)",
			onOff(f.SoftMatchOnUPN), onOff(f.BlockSoftMatch), onOff(f.BlockHardMatchTakeover), onOff(f.SynchronizeUPNForManagedUsers), src)})
	}
	return facts
}

// forestLines names each on-premises source by the DNS domains of its
// objects, with the file or base DN it was read from when that is not the
// same name: "contoso.com (contoso.ldif)".
func forestLines(forests []string, domains [][]string) []string {
	var l []string
	for i, f := range forests {
		var names []string
		if i < len(domains) {
			names = domains[i]
		}
		name := strings.Join(names, ", ")
		switch {
		case name == "":
			l = append(l, f)
		case scanner.DNSDomain(f) == name:
			l = append(l, name)
		default:
			l = append(l, name+" ("+f+")")
		}
	}
	return l
}

// inputLines lists the inputs a line per directory, in the order they
// were read: "examples/contoso/graph/: users.json, groups.json". URLs
// and names without a directory stay lines of their own.
func inputLines(inputs []string) []string {
	var dirs []string
	files := map[string][]string{}
	for _, in := range inputs {
		dir, file := path.Split(strings.ReplaceAll(in, `\`, "/"))
		if dir == "" || strings.Contains(in, "://") {
			dir, file = in, ""
		}
		if _, ok := files[dir]; !ok {
			dirs = append(dirs, dir)
		}
		if file != "" {
			files[dir] = append(files[dir], file)
		} else if files[dir] == nil {
			files[dir] = []string{}
		}
	}
	l := make([]string, 0, len(dirs))
	for _, d := range dirs {
		if len(files[d]) == 0 {
			l = append(l, d)
			continue
		}
		l = append(l, d+": "+strings.Join(files[d], ", "))
	}
	return l
}

// summaryLeft writes the left part from row top: objects, findings, the
// OUs with the most findings and the match plan. It returns the row after
// it.
func (x *XLSX) summaryLeft(w *sumSheet, s *Summary, top int) int {
	st := &x.styles
	row := top
	nums := func(label string, style int, vals ...int) {
		w.cell(sumLeft, row, label, style)
		for i, v := range vals {
			w.cell(sumLeft+1+i, row, v, st.num)
		}
		row++
	}
	head := func(vals ...string) {
		for i, v := range vals {
			style := st.numHead
			if i == 0 {
				style = st.head
			}
			w.cell(sumLeft+i, row, v, style)
		}
		row++
	}
	head("Objects", "Users", "Groups", "Contacts")
	nums("On premises (in scope)", st.wrap, s.OnPrem["user"], s.OnPrem["group"], s.OnPrem["contact"])
	if s.HasCloud {
		nums("Cloud", st.wrap, s.Cloud["user"], s.Cloud["group"], s.Cloud["contact"])
		if s.Synced > 0 {
			nums(fmt.Sprintf("Synced objects that would be deleted (of %d synced)", s.Synced), st.wrap, s.SyncedToDelete)
		}
	}
	nums("Skipped by the default sync rules' exclusions", st.wrap, s.Skipped)
	for _, k := range sortedKeys(s.OutOfScope) {
		nums("Not objects of sync: "+k, st.wrap, s.OutOfScope[k])
	}
	row++
	head("Findings", "Errors", "Warnings", "Info", "Total")
	total := func(by map[string]int) []int {
		e, wn, i := by["error"], by["warning"], by["info"]
		return []int{e, wn, i, e + wn + i}
	}
	nums("Findings", st.wrap, total(s.BySeverity)...)
	if s.NewBy != nil || s.Baseline != nil {
		nums("New since the baseline", st.wrap, total(s.NewBy)...)
	}
	if s.Suppressions != nil {
		nums("Suppressed (not counted above)", st.wrap, 0, 0, 0, s.Suppressed)
	}
	row++
	head("OUs with the most findings", "Errors", "Warnings", "Info", "Total")
	ous := ranked(x.digest.byOU, topOUsN)
	if len(ous) == 0 {
		w.cell(sumLeft, row, "none", st.wrap)
		row++
	}
	for _, o := range ous {
		nums(o.name, st.cell, o.n[0], o.n[1], o.n[2], o.total())
	}
	if n := len(x.digest.byOU) - len(ous); n > 0 {
		w.cell(sumLeft, row, "and "+plural(n, "more OU"), st.wrap)
		row++
	}
	row++
	if !s.HasCloud {
		w.cell(sumLeft, row, "Match plan: the tenant was not read", st.head)
		return row + 1
	}
	head("Match plan", "Objects")
	for _, o := range scanner.Outcomes {
		nums(o.String(), st.wrap, s.ByOutcome[o.String()])
	}
	for _, r := range scanner.AllReasons {
		if n := s.ByReason[r.String()]; n > 0 {
			nums("  blocked: "+r.String(), st.wrap, n)
		}
	}
	return row
}

// summaryChart writes the chart's data from row top beside the printed
// area: the rules with findings, by severity, most first. It returns the
// number of rules.
func (x *XLSX) summaryChart(w *sumSheet, top int) int {
	st := &x.styles
	c := sumChartData
	for i, v := range []string{"Findings per rule", "Errors", "Warnings", "Info", "Total"} {
		w.cell(c+i, top, v, map[bool]int{true: st.head, false: st.numHead}[i == 0])
	}
	rs := ranked(x.digest.byRule, 0)
	for i, r := range rs {
		w.cell(c, top+1+i, r.name, st.wrap)
		for k, n := range r.n {
			w.cell(c+1+k, top+1+i, n, st.num)
		}
		w.cell(c+4, top+1+i, r.total(), st.num)
	}
	return len(rs)
}

// addRuleChart puts a stacked bar chart of the findings per rule by
// severity at cell at, over the data summaryChart wrote from row top (n
// rules), and returns how many rows of the default height it covers.
func (x *XLSX) addRuleChart(at string, top, n int) (int, error) {
	col := func(c int) string { name, _ := excelize.ColumnNumberToName(c); return name }
	ref := sheetRef(SheetSummary)
	cats := fmt.Sprintf("%s!$%s$%d:$%s$%d", ref, col(sumChartData), top+1, col(sumChartData), top+n)
	var series []excelize.ChartSeries
	for i, color := range []string{"C00000", "FFC000", "5B9BD5"} {
		c := col(sumChartData + 1 + i)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", ref, c, top),
			Categories: cats,
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", ref, c, top+1, c, top+n),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
		})
	}
	// The chart spans the right part, G–J, and is as tall as its bars
	// need: 16 pixels a rule, and room for the title, axis and legend.
	width := 0
	for c := sumRight; c <= sumEnd; c++ {
		width += columnPixels(summaryWidths[c-1])
	}
	height := 110 + 16*n
	rows := (height + 19) / 20 // a row of the default height is 20 pixels
	gap, vary := uint(50), false
	axisFont := excelize.Font{Family: "Calibri", Size: 9, Color: "000000"}
	return rows, x.f.AddChart(SheetSummary, at, &excelize.Chart{
		Type:      excelize.BarStacked,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Findings per rule", Font: &excelize.Font{Bold: true, Size: 12}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: uint(width), Height: uint(height)},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: axisFont},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont},
		GapWidth:  &gap,
		// One colour a series (severity), not one a bar.
		VaryColors: &vary,
	})
}
