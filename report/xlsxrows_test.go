package report

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/scanner"
)

// cellTexts are values that the workbook's own row encoder must carry
// exactly: markup, carriage returns, control characters XML cannot hold,
// text that looks like Excel's _xHHHH_ escapes, and edge whitespace.
var cellTexts = []struct{ name, in, want string }{
	{"plain", "CN=Zoë Müller,OU=Users,DC=contoso,DC=com", ""},
	{"markup", `a&b <c> "d" 'e'`, ""},
	{"newline and tab", "two\nlines\tand tab", ""},
	{"carriage return", "dos\r\nline", ""},
	{"control character", "bell\x07here\x00nul", ""},
	{"escape lookalike", "_x0041_ stays literal", ""},
	{"escaped underscore lookalike", "a_x005F_b", ""},
	{"lower-case hex lookalike", "_x00e9_", ""},
	{"not an escape", "_x12_ _xZZZZ_ _", ""},
	{"noncharacters", "a\uFFFEb\uFFFF", ""},
	{"leading and trailing space", "  padded  ", ""},
	{"leading newline", "\nstart", ""},
	{"astral", "𝄞 music", ""},
	{"invalid UTF-8", "bad\xffbyte", "bad\uFFFDbyte"},
	{"formula start", "=1+1", ""},
}

func writeMatchRows(t testing.TB, values []string) string {
	t.Helper()
	var ms []Match
	for _, v := range values {
		ms = append(ms, Match{OnPrem: v, Outcome: "provision", Kind: "user"})
	}
	p := filepath.Join(t.TempDir(), "r.xlsx")
	writeAll(t, p, &scanner.Snapshot{Tenant: &scanner.Tenant{}}, nil, ms)
	return p
}

func TestWorkbookRowsReadBackExactly(t *testing.T) {
	var values []string
	for _, c := range cellTexts {
		values = append(values, c.in)
	}
	p := writeMatchRows(t, values)
	checkWellFormed(t, p)
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := rowsOf(t, f, SheetMatchPlan)
	if len(rows) != len(cellTexts)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(cellTexts)+1)
	}
	for i, c := range cellTexts {
		want := c.want
		if want == "" {
			want = c.in
		}
		if got := rows[i+1][0]; got != want {
			t.Errorf("%s: read back %q, want %q", c.name, got, want)
		}
		if got := rows[i+1][4]; got != "provision" {
			t.Errorf("%s: outcome %q", c.name, got)
		}
	}
	tables, err := f.GetTables(SheetMatchPlan)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("A1:H%d", len(cellTexts)+1); len(tables) != 1 || tables[0].Range != want {
		t.Errorf("tables %+v, want one over %s", tables, want)
	}
	if w, err := f.GetColWidth(SheetMatchPlan, "A"); err != nil || w != matchWidths[0] {
		t.Errorf("column A is %v wide (%v), want %v", w, err, matchWidths[0])
	}
	if p, err := f.GetPanes(SheetMatchPlan); err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Errorf("panes %+v (%v), want the header row frozen", p, err)
	}
	if st, err := f.GetCellStyle(SheetMatchPlan, "A1"); err != nil || st == 0 {
		t.Errorf("header cell style %d (%v), want bold", st, err)
	}
}

// checkWellFormed parses every XML part of the workbook: a reader stricter
// than excelize (Excel refuses a workbook with one bad part).
func checkWellFormed(t testing.TB, path string) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, e := range z.File {
		if !strings.HasSuffix(e.Name, ".xml") && !strings.HasSuffix(e.Name, ".rels") {
			continue
		}
		r, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(r)
		for {
			var tok xml.Token
			if tok, err = d.Token(); err != nil {
				break
			}
			// A prefix that was never declared stays as the space.
			if el, ok := tok.(xml.StartElement); ok {
				for _, n := range append([]xml.Name{el.Name}, attrNames(el.Attr)...) {
					if n.Space != "" && !strings.Contains(n.Space, ":") {
						t.Errorf("%s: undeclared prefix %s:%s", e.Name, n.Space, n.Local)
					}
				}
			}
		}
		r.Close()
		if !errors.Is(err, io.EOF) {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
}

func attrNames(as []xml.Attr) []xml.Name {
	var l []xml.Name
	for _, a := range as {
		if a.Name.Space != "xmlns" && a.Name.Space != "xml" {
			l = append(l, a.Name)
		}
	}
	return l
}

func TestColumnNames(t *testing.T) {
	for col, want := range map[int]string{0: "A", 7: "H", 25: "Z", 26: "AA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := string(appendColumnName(nil, col)); got != want {
			t.Errorf("column %d is %q, want %q", col, got, want)
		}
	}
}

// FuzzWorkbookCellText: any value written to a workbook reads back as
// itself (with bytes that are not UTF-8 as U+FFFD), in a well-formed part.
func FuzzWorkbookCellText(f *testing.F) {
	for _, c := range cellTexts {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" {
			return
		}
		v = text(v).(string) // as the writer cuts it
		p := writeMatchRows(t, []string{v})
		checkWellFormed(t, p)
		x, err := excelize.OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows := rowsOf(t, x, SheetMatchPlan)
		if want := string([]rune(v)); rows[1][0] != want {
			t.Errorf("read back %q, want %q", rows[1][0], want)
		}
	})
}
