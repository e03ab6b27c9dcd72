package report

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// printedWorkbook writes a workbook with every sheet a scan can have but
// Suppressed: findings (one with a long message), a match plan, a baseline
// (and so a Resolved sheet).
func printedWorkbook(t *testing.T) (path string, scanned time.Time) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "r.xlsx")
	w, err := Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	snap := &scanner.Snapshot{Tenant: &scanner.Tenant{}, Sources: scanner.Sources{Forests: []string{"a.ldif"}}}
	sum := NewSummary(snap, nil)
	sum.SetRules(rules.All())
	scanned = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	base := &Baseline{File: "last.json", ScannedAt: "2026-02-25T00:00:00Z"}
	sum.Baseline = base
	if err := w.Start(&Header{Tool: Tool{"syncready", "test"}, ScannedAt: scanned, Sources: snap.Sources, Baseline: base}); err != nil {
		t.Fatal(err)
	}
	yes := true
	fs := nastyFindings()
	fs[0].Message = strings.Repeat("a long message that wraps ", 20)
	for i := range fs {
		rf := &Finding{Finding: &fs[i], New: &yes}
		sum.AddFinding(rf)
		if err := w.Finding(rf); err != nil {
			t.Fatal(err)
		}
	}
	id := "cloud-1"
	m := Match{OnPrem: "CN=a,OU=Staff,DC=x", Cloud: &id, Outcome: "hard-match", Kind: "user", CloudName: "a@x.com"}
	sum.AddMatch(&m)
	if err := w.Match(&m); err != nil {
		t.Fatal(err)
	}
	gone := rules.Finding{Rule: "blank", Severity: rules.Warning, Side: scanner.OnPremSide, Kind: scanner.KindUser, Object: "CN=gone,DC=x", Fingerprint: "gone"}
	sum.Resolved++
	if err := w.Resolved(&gone); err != nil {
		t.Fatal(err)
	}
	if err := w.End(sum, &snap.Coverage); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return path, scanned
}

// TestWorkbookPrints reads back how every sheet prints: landscape, one
// page wide (the Summary one page in all), margins, a footer, and the
// tables' header row on every page, their widths, and wrapped cells.
func TestWorkbookPrints(t *testing.T) {
	path, scanned := printedWorkbook(t)
	checkWellFormed(t, path)
	checkElementOrder(t, path)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := f.GetDefinedName()
	for _, c := range []struct {
		sheet   string
		tall    int // pages tall: 0 as many as it takes
		columns []string
		widths  []float64
	}{
		{SheetSummary, 1, nil, nil},
		{SheetFindings, 0, findingColumns(true), findingColumnWidths(true)},
		{SheetMatchPlan, 0, matchColumns, matchWidths},
		{SheetResolved, 0, FindingColumns, findingColumnWidths(false)},
		{SheetRules, 0, ruleColumns, ruleWidths},
	} {
		t.Run(c.sheet, func(t *testing.T) {
			lay, err := f.GetPageLayout(c.sheet)
			if err != nil {
				t.Fatal(err)
			}
			if *lay.Orientation != "landscape" || lay.FitToWidth == nil || *lay.FitToWidth != 1 || lay.FitToHeight == nil || *lay.FitToHeight != c.tall {
				t.Errorf("page layout %s, fit %v wide %v tall; want landscape, 1 wide, %d tall", *lay.Orientation, ptrVal(lay.FitToWidth), ptrVal(lay.FitToHeight), c.tall)
			}
			props, err := f.GetSheetProps(c.sheet)
			if err != nil || props.FitToPage == nil || !*props.FitToPage {
				t.Errorf("fitToPage not set (%v): Excel would ignore the fit", err)
			}
			m, err := f.GetPageMargins(c.sheet)
			if err != nil || *m.Left != marginSide || *m.Right != marginSide || *m.Top != marginTop || *m.Bottom != marginBottom || *m.Footer != marginFooter {
				t.Errorf("margins %v %v %v %v (%v)", ptrVal(m.Left), ptrVal(m.Right), ptrVal(m.Top), ptrVal(m.Bottom), err)
			}
			hf, err := f.GetHeaderFooter(c.sheet)
			if err != nil || hf == nil {
				t.Fatalf("no header or footer: %v", err)
			}
			for _, want := range []string{"&L&A", "scanned " + scanned.Format("2006-01-02"), "&RPage &P of &N"} {
				if !strings.Contains(hf.OddFooter, want) {
					t.Errorf("footer %q lacks %q", hf.OddFooter, want)
				}
			}
			titles := slices.IndexFunc(names, func(n excelize.DefinedName) bool {
				return n.Name == "_xlnm.Print_Titles" && n.Scope == c.sheet && n.RefersTo == sheetRef(c.sheet)+"!$1:$1"
			})
			if (titles >= 0) != (c.columns != nil) {
				t.Errorf("print titles (row 1 on every page): %v, want %v; defined names %+v", titles >= 0, c.columns != nil, names)
			}
			if c.columns == nil {
				return
			}
			rows := rowsOf(t, f, c.sheet)
			if !slices.Equal(rows[0], c.columns) {
				t.Errorf("header %q, want %q", rows[0], c.columns)
			}
			for i, w := range c.widths {
				col, _ := excelize.ColumnNumberToName(i + 1)
				if got, _ := f.GetColWidth(c.sheet, col); got != w {
					t.Errorf("column %s (%s) is %v wide, want %v", col, c.columns[i], got, w)
				}
			}
			// Every data cell wraps, at the top of its row; row 1 is bold.
			for r := 1; r <= len(rows); r++ {
				for col := 1; col <= len(c.columns); col++ {
					cell, _ := excelize.CoordinatesToCellName(col, r)
					if rows[r-1][col-1] == "" {
						continue
					}
					id, err := f.GetCellStyle(c.sheet, cell)
					if err != nil {
						t.Fatal(err)
					}
					st, err := f.GetStyle(id)
					if err != nil {
						t.Fatal(err)
					}
					if st.Alignment == nil || !st.Alignment.WrapText || st.Alignment.Vertical != "top" {
						t.Errorf("%s (%s) does not wrap at the top: %+v", cell, c.columns[col-1], st.Alignment)
					}
					if r == 1 && (st.Font == nil || !st.Font.Bold) {
						t.Errorf("header %s is not bold", cell)
					}
				}
			}
		})
	}
	// A row is as tall as its longest wrapped value; a row of short
	// values keeps the default height.
	rows := rowsOf(t, f, SheetFindings)
	msg := slices.Index(findingColumns(true), "Message")
	for r, row := range rows[1:] {
		h, err := f.GetRowHeight(SheetFindings, r+2)
		if err != nil {
			t.Fatal(err)
		}
		if long := strings.HasPrefix(row[msg], "a long message"); long && h < 6*lineHeight || !long && h > 4*lineHeight {
			t.Errorf("row %d is %v points tall for a message of %d characters", r+2, h, len(row[msg]))
		}
	}
}

func ptrVal[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// worksheetOrder is the order of a worksheet's elements in the
// SpreadsheetML schema (CT_Worksheet); Excel refuses a sheet whose
// elements are out of it.
var worksheetOrder = []string{"sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
	"sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews",
	"mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
	"pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
	"drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
	"tableParts", "extLst"}

// checkElementOrder checks that the elements of every worksheet come in
// the schema's order.
func checkElementOrder(t *testing.T, path string) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, e := range z.File {
		if !strings.HasPrefix(e.Name, "xl/worksheets/sheet") {
			continue
		}
		r, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(r)
		depth, last := 0, -1
		var seen []string
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			switch el := tok.(type) {
			case xml.StartElement:
				depth++
				if depth != 2 {
					continue
				}
				i := slices.Index(worksheetOrder, el.Name.Local)
				if i < 0 || i < last || i == last && el.Name.Local != "conditionalFormatting" {
					t.Errorf("%s: %s out of the schema's order after %q", e.Name, el.Name.Local, seen)
				}
				last = i
				seen = append(seen, el.Name.Local)
			case xml.EndElement:
				depth--
			}
		}
		r.Close()
		for _, want := range []string{"sheetPr", "pageMargins", "pageSetup", "headerFooter"} {
			if !slices.Contains(seen, want) {
				t.Errorf("%s has no %s: %q", e.Name, want, seen)
			}
		}
	}
}

func TestTextLines(t *testing.T) {
	room := textRoom(columnPixels(10)) // about 9 digits
	for _, c := range []struct {
		name, text string
		want       int
	}{
		{"empty", "", 1},
		{"short", "abc", 1},
		{"line feeds", "a\nb\nc", 3},
		{"a trailing line feed", "a\n", 2},
		{"words that fill two lines", "aaaa bbbb cccc dddd", 2},
		{"a word longer than a line is broken", strings.Repeat("0", 30), 4},
		{"narrow letters fit more", strings.Repeat("i", 18), 1},
		{"wide letters fit fewer", strings.Repeat("W", 9), 2},
		{"a long word after a short one starts a line", "a " + strings.Repeat("0", 9), 2},
		{"a line may break after a hyphen", "aaaa bb-cccccc dd", 2},
		{"non-ASCII counts by character", strings.Repeat("é", 8), 1},
	} {
		if got := textLines(c.text, room); got != c.want {
			t.Errorf("%s: %q takes %d lines, want %d", c.name, c.text, got, c.want)
		}
	}
	if got := textLines(strings.Repeat("0", 1000), textRoom(columnPixels(48))); got < 20 || got > 24 {
		t.Errorf("1000 digits in a 48 wide column: %d lines, want about 21", got)
	}
}

// TestTableClosesOnce: a table closed again (the diff workbook closes the
// tables before the one it writes to, at every row) keeps its one sheet,
// table and print titles.
func TestTableClosesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.xlsx")
	out, err := createAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := newXLSX(out)
	if err != nil {
		t.Fatal(err)
	}
	a, b := x.newTable("A", []string{"Object"}, []float64{20}), x.newTable("B", []string{"Object"}, []float64{20})
	for i := range 3 {
		if err := a.close(); err != nil {
			t.Fatal(err)
		}
		if err := b.addText([]string{fmt.Sprint("CN=", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.close(); err != nil {
		t.Fatal(err)
	}
	if err := x.Commit(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{SheetSummary, "A", "B"}) {
		t.Errorf("sheets %q", got)
	}
	for _, sh := range []string{"A", "B"} {
		if tables, err := f.GetTables(sh); err != nil || len(tables) != 1 {
			t.Errorf("%s: tables %+v (%v), want one", sh, tables, err)
		}
	}
	if rows := rowsOf(t, f, "B"); len(rows) != 4 {
		t.Errorf("B has %d rows, want the header and 3", len(rows))
	}
}

// BenchmarkTextLines measures the row height estimate on a findings row
// like BenchmarkWriters1M's.
func BenchmarkTextLines(b *testing.B) {
	row := []string{"error", "duplicate-proxy-address", "user", "CN=User 12345,OU=Dept7,OU=Staff,DC=contoso,DC=com", "", "proxyAddresses",
		"SMTP:user@contoso.com", "SMTP address user@contoso.com is also held by on-premises user CN=Other: the sync service rejects the duplicate",
		"Keep the address on one object.", "CN=Other,OU=Staff,OU=Contoso,DC=contoso,DC=com", "0123456789abcdef0123456789abcdef"}
	var room []int
	for _, w := range findingWidths {
		room = append(room, textRoom(columnPixels(w)))
	}
	b.ResetTimer()
	for range b.N {
		for i, v := range row {
			textLines(v, room[i])
		}
	}
}
