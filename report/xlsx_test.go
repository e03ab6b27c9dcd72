package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// nasty values a directory can hold: separators, quotes, newlines, formula
// starts (CSV/Excel injection), non-ASCII, leading spaces.
var nasty = []string{
	`=cmd|' /C calc'!A0`, `+SUM(1,2)`, `-2+3`, `@SUM(A1)`, "a,b;c", `say "hi"`, "two\nlines", "Zoë Müller 𝄞", " padded ", "\ttab", "=HYPERLINK(\"http://x\")",
}

func nastyFindings() []rules.Finding {
	var fs []rules.Finding
	sevs := []rules.Severity{rules.Info, rules.Error, rules.Warning}
	for i, v := range nasty {
		fs = append(fs, rules.Finding{
			Rule: []string{"too-long", "blank", "duplicate-upn"}[i%3], Severity: sevs[i%3], Side: scanner.OnPremSide, Kind: scanner.KindUser,
			Object: fmt.Sprintf("CN=%s,OU=T,DC=x", v), Name: v, Attribute: "displayName", Value: v, Message: "message " + v,
			Fix: rules.Fix{Text: "fix " + v, Attribute: "displayName", From: v, To: strings.TrimSpace(v)}, Related: []string{"CN=other," + v, "cloud-id"},
			Fingerprint: fmt.Sprintf("fp%02d", i),
		})
	}
	return fs
}

func writeAll(t testing.TB, path string, snap *scanner.Snapshot, fs []rules.Finding, ms []Match) {
	t.Helper()
	var rfs []Finding
	for i := range fs {
		rfs = append(rfs, Finding{Finding: &fs[i]})
	}
	writeReport(t, path, snap, nil, rfs, ms)
}

// writeReport writes a report of findings (with their New marks) and
// matches, compared with baseline when it is not nil.
func writeReport(t testing.TB, path string, snap *scanner.Snapshot, baseline *Baseline, fs []Finding, ms []Match) {
	t.Helper()
	w, err := Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := NewSummary(snap, nil)
	sum.SetRules(rules.All())
	sum.Baseline = baseline
	if err := w.Start(&Header{Tool: Tool{"syncready", "test"}, ScannedAt: time.Now(), Sources: snap.Sources, Baseline: baseline}); err != nil {
		t.Fatal(err)
	}
	for i := range fs {
		rf := &fs[i]
		sum.AddFinding(rf)
		if err := w.Finding(rf); err != nil {
			t.Fatal(err)
		}
	}
	for i := range ms {
		sum.AddMatch(&ms[i])
		if err := w.Match(&ms[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(sum, &snap.Coverage); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	// GetRows drops trailing empty cells; pad to the header's width.
	for i := range rows {
		for len(rows[i]) < len(rows[0]) {
			rows[i] = append(rows[i], "")
		}
	}
	return rows
}

func TestXLSXAndCSVCarryTheFindings(t *testing.T) {
	dir := t.TempDir()
	snap := &scanner.Snapshot{Tenant: &scanner.Tenant{}, Sources: scanner.Sources{TenantID: "tid", Forests: []string{"a.ldif"}}}
	fs := nastyFindings()
	id := "cloud-1"
	ms := []Match{{OnPrem: "CN=a,DC=x", Cloud: &id, Outcome: "blocked", Reason: "anchored", Kind: "user", UPN: "=a@x.com", CloudUPN: "a@x.com", CloudName: "a@x.com"}, {OnPrem: "CN=b,DC=x", Outcome: "provision", Kind: "contact"}}
	xlsx, csvPath := filepath.Join(dir, "r.xlsx"), filepath.Join(dir, "r.csv")
	writeAll(t, xlsx, snap, fs, ms)
	writeAll(t, csvPath, snap, fs, nil)

	for _, p := range []string{xlsx, csvPath} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", p, fi, err)
		}
	}
	// The expected table: every finding, sorted by severity, rule, object.
	var want [][]string
	sorted := append([]rules.Finding(nil), fs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Object < b.Object
	})
	for i := range sorted {
		want = append(want, findingRow(&Finding{Finding: &sorted[i]}))
	}

	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Summary", "Findings", "Match plan", "Rules"}) {
		t.Errorf("sheets %q", got)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Error("the workbook should open on Summary")
	}
	rows := rowsOf(t, f, "Findings")
	if !reflect.DeepEqual(rows[0], FindingColumns) {
		t.Errorf("header %q", rows[0])
	}
	if !reflect.DeepEqual(rows[1:], want) {
		t.Errorf("findings sheet differs:\n got %q\nwant %q", rows[1:], want)
	}
	for r := 2; r <= len(rows); r++ {
		for c := 1; c <= len(FindingColumns); c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			if fm, _ := f.GetCellFormula("Findings", cell); fm != "" {
				t.Errorf("%s is a formula: %q", cell, fm)
			}
			if typ, _ := f.GetCellType("Findings", cell); rows[r-1][c-1] != "" && typ != excelize.CellTypeInlineString {
				t.Errorf("%s is not a text cell: %v", cell, typ)
			}
		}
	}
	panes, err := f.GetPanes("Findings")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	if tables, err := f.GetTables("Findings"); err != nil || len(tables) != 1 || tables[0].Range != fmt.Sprintf("A1:K%d", len(fs)+1) {
		t.Errorf("findings table (autofilter): %+v %v", tables, err)
	}
	mrows := rowsOf(t, f, "Match plan")
	wantPlan := [][]string{
		matchColumns,
		{"CN=a,DC=x", "user", "=a@x.com", "", "blocked", "cloud-1", "a@x.com", "anchored"},
		{"CN=b,DC=x", "contact", "", "", "provision", "", "", ""},
	}
	if !reflect.DeepEqual(mrows, wantPlan) {
		t.Errorf("match plan %q, want %q", mrows, wantPlan)
	}
	if i := slices.Index(matchColumns, "Cloud object"); i < 0 || matchColumns[i-1] != "Cloud id" {
		t.Errorf("match plan columns %q: the cloud object's name belongs beside its id", matchColumns)
	}
	summary := rowsOf(t, f, "Summary")
	if !strings.HasPrefix(summary[1][0], "Not ready: 4 errors") {
		t.Errorf("verdict %q", summary[1])
	}
	rulesRows := rowsOf(t, f, "Rules")
	if len(rulesRows) != len(rules.All())+1 || !strings.HasPrefix(rulesRows[1][4], "https://learn.microsoft.com/") {
		t.Errorf("rules sheet %d rows", len(rulesRows))
	}

	// CSV: a BOM, RFC 4180, the same table with formula starts defused.
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Error("no UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range want {
		for j, v := range row {
			if strings.ContainsAny(v[:min(1, len(v))], "=+-@\t\r") {
				v = "'" + v
			}
			if recs[i+1][j] != v {
				t.Errorf("csv row %d col %s: %q, want %q", i+1, FindingColumns[j], recs[i+1][j], v)
			}
		}
	}
}

// TestNewComesAfterSeverity: with a baseline, the findings table of the
// workbook and of the CSV has New right after Severity, the widths
// following their columns.
func TestNewComesAfterSeverity(t *testing.T) {
	yes, no := true, false
	fs := nastyFindings()[:3]
	rfs := []Finding{{Finding: &fs[0], New: &yes}, {Finding: &fs[1], New: &no}, {Finding: &fs[2], New: &yes}}
	want := map[string]string{fs[0].Fingerprint: "yes", fs[1].Fingerprint: "no", fs[2].Fingerprint: "yes"}
	wantHead := append([]string{"Severity", "New"}, FindingColumns[1:]...)
	base := &Baseline{File: "last-week.json", ScannedAt: "2026-01-01T00:00:00Z"}
	dir := t.TempDir()
	for _, ext := range []string{"xlsx", "csv"} {
		t.Run(ext, func(t *testing.T) {
			p := filepath.Join(dir, "r."+ext)
			writeReport(t, p, &scanner.Snapshot{}, base, rfs, nil)
			var rows [][]string
			if ext == "csv" {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				if rows, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll(); err != nil {
					t.Fatal(err)
				}
			} else {
				f, err := excelize.OpenFile(p)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				rows = rowsOf(t, f, SheetFindings)
				for i, w := range findingColumnWidths(true) {
					col, _ := excelize.ColumnNumberToName(i + 1)
					if got, _ := f.GetColWidth(SheetFindings, col); got != w {
						t.Errorf("column %s (%s) is %v wide, want %v", col, wantHead[i], got, w)
					}
				}
				if w, _ := f.GetColWidth(SheetFindings, "B"); w != findingWidths[len(FindingColumns)] {
					t.Errorf("New is %v wide, want %v", w, findingWidths[len(FindingColumns)])
				}
			}
			if !reflect.DeepEqual(rows[0], wantHead) {
				t.Fatalf("header %q, want %q", rows[0], wantHead)
			}
			for _, r := range rows[1:] {
				fp := r[len(r)-1]
				if r[1] != want[fp] || r[0] == "" || !strings.HasPrefix(r[4], "CN=") {
					t.Errorf("row %q: New %q, want %q, and the object fifth", r, r[1], want[fp])
				}
			}
			if len(rows) != len(rfs)+1 {
				t.Errorf("%d rows, want %d", len(rows)-1, len(rfs))
			}
		})
	}
}

func TestXLSXContinuesPastTheRowLimit(t *testing.T) {
	defer func(n int) { maxDataRows = n }(maxDataRows)
	maxDataRows = 4
	dir := t.TempDir()
	var fs []rules.Finding
	for i := 0; i < 10; i++ {
		fs = append(fs, rules.Finding{Rule: "missing-upn", Severity: rules.Warning, Object: fmt.Sprintf("CN=%02d", i), Fingerprint: fmt.Sprint(i)})
	}
	var ms []Match
	for i := 0; i < 5; i++ {
		ms = append(ms, Match{OnPrem: fmt.Sprintf("CN=%02d", i), Outcome: "provision"})
	}
	p := filepath.Join(dir, "r.xlsx")
	writeAll(t, p, &scanner.Snapshot{Tenant: &scanner.Tenant{}}, fs, ms)
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary", "Findings", "Findings (2)", "Findings (3)", "Match plan", "Match plan (2)", "Rules"}
	if got := f.GetSheetList(); !reflect.DeepEqual(got[:len(want)], want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	var objects []string
	for _, sh := range []string{"Findings", "Findings (2)", "Findings (3)"} {
		rows := rowsOf(t, f, sh)
		if rows[0][0] != "Severity" {
			t.Errorf("%s has no header", sh)
		}
		for _, r := range rows[1:] {
			objects = append(objects, r[3])
		}
	}
	if len(objects) != 10 || objects[0] != "CN=00" || objects[9] != "CN=09" {
		t.Errorf("objects across sheets %q", objects)
	}
}

func TestXLSXWithoutCloudOrFindings(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.xlsx")
	writeAll(t, p, &scanner.Snapshot{}, nil, nil)
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rows := rowsOf(t, f, "Findings"); len(rows) != 1 {
		t.Errorf("findings %q", rows)
	}
	if rows := rowsOf(t, f, "Summary"); rows[1][0] != "Incomplete: no errors; Active Directory was not read, the tenant was not read" {
		t.Errorf("summary %q", rows[:3])
	}
}

func TestTextCellLimit(t *testing.T) {
	long := strings.Repeat("𝄞", 20000) // 40,000 UTF-16 units
	s := text(long).(string)
	if utf16Len(s) > maxCellChars || !strings.Contains(s, "JSON report") {
		t.Errorf("cut value has %d units", utf16Len(s))
	}
	if text("short") != "short" || text("") != nil {
		t.Error("short values are kept")
	}
}

// BenchmarkWriters1M writes a million findings through each file writer and
// reports the peak heap it needed, to show the writers stream.
func BenchmarkWriters1M(b *testing.B) {
	n := benchN
	objs := make([]string, n)
	for i := range objs {
		objs[i] = fmt.Sprintf("CN=User %d,OU=Dept%d,OU=Staff,DC=contoso,DC=com", i, i%50)
	}
	for _, ext := range []string{"json", "csv", "xlsx"} {
		b.Run(ext, func(b *testing.B) {
			for range b.N {
				runtime.GC()
				var base runtime.MemStats
				runtime.ReadMemStats(&base)
				var peak atomic.Uint64
				stop := make(chan struct{})
				go func() {
					var m runtime.MemStats
					for {
						select {
						case <-stop:
							return
						case <-time.After(20 * time.Millisecond):
							runtime.ReadMemStats(&m)
							if m.HeapInuse > peak.Load() {
								peak.Store(m.HeapInuse)
							}
						}
					}
				}()
				p := filepath.Join(b.TempDir(), "r."+ext)
				w, err := Create(p, nil)
				if err != nil {
					b.Fatal(err)
				}
				snap := &scanner.Snapshot{}
				sum := NewSummary(snap, nil)
				_ = w.Start(&Header{})
				f := rules.Finding{Rule: "duplicate-proxy-address", Severity: rules.Error, Side: scanner.OnPremSide, Kind: scanner.KindUser,
					Attribute: "proxyAddresses", Message: "SMTP address user@contoso.com is also held by on-premises user CN=Other: the sync service rejects the duplicate",
					Fix: rules.Fix{Text: "Keep the address on one object."}, Related: []string{"CN=Other,OU=Staff,DC=contoso,DC=com"}}
				for i := 0; i < n; i++ {
					f.Object, f.Value, f.Fingerprint = objs[i], "SMTP:user@contoso.com", "0123456789abcdef0123456789abcdef"
					rf := &Finding{Finding: &f}
					sum.AddFinding(rf)
					if err := w.Finding(rf); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.End(sum, &scanner.Coverage{}); err != nil {
					b.Fatal(err)
				}
				if err := w.Commit(); err != nil {
					b.Fatal(err)
				}
				close(stop)
				fi, _ := os.Stat(p)
				b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapInuse))/(1<<20), "MB-peak-heap")
				b.ReportMetric(float64(fi.Size())/(1<<20), "MB-file")
			}
		})
	}
}

// benchN is the number of findings BenchmarkWriters1M writes: a million
// unless SYNCREADY_BENCH_FINDINGS says otherwise.
var benchN = func() int {
	if v := os.Getenv("SYNCREADY_BENCH_FINDINGS"); v != "" {
		var n int
		fmt.Sscan(v, &n)
		return n
	}
	return 1_000_000
}()
