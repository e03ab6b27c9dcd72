package report

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// rootFinding is a finding on object dn with a fix naming it.
func rootFinding(rule string, sev rules.Severity, dn, cause string) rules.Finding {
	return rules.Finding{Rule: rule, Severity: sev, Side: scanner.OnPremSide, Kind: scanner.KindUser, Object: dn,
		Fix: rules.Fix{Text: "fix " + dn}, Cause: cause, Fingerprint: rule + dn}
}

// summaryOf writes a workbook of fs, in that order, and returns its
// Summary's rows.
func summaryOf(t *testing.T, snap *scanner.Snapshot, fs []rules.Finding) (*excelize.File, [][]string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "r.xlsx")
	writeAll(t, p, snap, fs, nil)
	checkWellFormed(t, p)
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

// tableAfter returns the rows under the row whose first cell is title, up
// to the next empty row, each cut or padded to n cells.
func tableAfter(rows [][]string, title string, n int) [][]string {
	var out [][]string
	for i, r := range rows {
		if len(r) == 0 || r[0] != title {
			continue
		}
		for _, r := range rows[i+1:] {
			if len(r) == 0 || strings.Join(r, "") == "" {
				break
			}
			out = append(out, append(append([]string(nil), r...), make([]string, n)...)[:n])
		}
		break
	}
	return out
}

// TestSummaryFixFirst: the Fix first table lists the findings without a
// cause, most severe first, each severity's in the order they came, ten at
// most, with their fix.
func TestSummaryFixFirst(t *testing.T) {
	dn := func(i int) string { return fmt.Sprintf("CN=u%02d,OU=Staff,DC=contoso,DC=com", i) }
	var fs []rules.Finding
	var wantErrors []string
	fs = append(fs, rootFinding("blank", rules.Warning, dn(0), ""), rootFinding("blank", rules.Info, dn(1), ""))
	for i := 2; i < 14; i++ {
		cause := ""
		if i%4 == 0 {
			cause = "fp-of-its-root" // reported by its root: not to fix first
		} else {
			wantErrors = append(wantErrors, dn(i))
		}
		// Rules out of alphabetical order: arrival order counts, not
		// the sheet's sort.
		rule := []string{"too-long", "duplicate-upn", "invalid-character"}[i%3]
		fs = append(fs, rootFinding(rule, rules.Error, dn(i), cause))
	}
	fs = append(fs, rootFinding("blank", rules.Warning, dn(20), ""))
	_, rows := summaryOf(t, &scanner.Snapshot{}, fs)
	got := tableAfter(rows, "Object", 6)
	if len(got) != fixFirstN {
		t.Fatalf("Fix first has %d rows, want %d: %q", len(got), fixFirstN, got)
	}
	want := append(wantErrors[:fixFirstN-1:fixFirstN-1], dn(0)) // 9 errors, then the first warning
	for i, r := range got {
		sev := "error"
		if i == fixFirstN-1 {
			sev = "warning"
		}
		if r[0] != want[i] || r[1] != sev || r[5] != "fix "+want[i] || r[2] == "" {
			t.Errorf("Fix first row %d: %q, want %s %s with its fix", i+1, r, sev, want[i])
		}
	}
	if i := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Fix first" }); i < 0 || rows[i+1][5] != "What to do" {
		t.Errorf("no Fix first heading with a What to do column")
	}
}

// TestSummaryPerOU: the OUs (parent DNs) with the most errors, ten at
// most, with their counts by severity, and how many more there are.
func TestSummaryPerOU(t *testing.T) {
	var fs []rules.Finding
	add := func(n int, sev rules.Severity, ou string) {
		for i := range n {
			fs = append(fs, rootFinding("blank", sev, fmt.Sprintf("CN=x%d %d,%s", sev, i, ou), ""))
		}
	}
	add(1, rules.Error, `OU=Comma\, Inc,DC=c,DC=com`) // an escaped comma stays in the RDN
	add(3, rules.Warning, `OU=Comma\, Inc,DC=c,DC=com`)
	add(5, rules.Error, "OU=Most,DC=c,DC=com")
	for i := range 11 {
		add(1, rules.Info, fmt.Sprintf("OU=Quiet%02d,DC=c,DC=com", i))
	}
	add(2, rules.Warning, "OU=Warned,DC=c,DC=com")
	_, rows := summaryOf(t, &scanner.Snapshot{}, fs)
	got := tableAfter(rows, "OUs with the most findings", 5)
	want := [][]string{
		{"OU=Most,DC=c,DC=com", "5", "0", "0", "5"},
		{`OU=Comma\, Inc,DC=c,DC=com`, "1", "3", "0", "4"},
		{"OU=Warned,DC=c,DC=com", "0", "2", "0", "2"},
	}
	for i := range topOUsN - len(want) {
		want = append(want, []string{fmt.Sprintf("OU=Quiet%02d,DC=c,DC=com", i), "0", "0", "1", "1"})
	}
	want = append(want, []string{"and 4 more OUs", "", "", "", ""})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings per OU\n got %q\nwant %q", got, want)
	}
}

// TestSummaryChart: a stacked bar chart of the findings per rule by
// severity sits on the Summary sheet itself (no chart sheet), over data
// that is on the Summary.
func TestSummaryChart(t *testing.T) {
	fs := []rules.Finding{
		rootFinding("blank", rules.Warning, "CN=a,DC=x", ""), rootFinding("blank", rules.Info, "CN=b,DC=x", ""),
		rootFinding("duplicate-upn", rules.Error, "CN=c,DC=x", ""), rootFinding("duplicate-upn", rules.Error, "CN=d,DC=x", ""),
	}
	p := filepath.Join(t.TempDir(), "r.xlsx")
	writeAll(t, p, &scanner.Snapshot{}, fs, nil)
	parts := zipParts(t, p)
	// The Summary (sheet1) has a drawing, the drawing the chart.
	rels := parts["xl/worksheets/_rels/sheet1.xml.rels"]
	drawing := regexp.MustCompile(`Target="\.\./drawings/(drawing\d+\.xml)"`).FindStringSubmatch(rels)
	if drawing == nil || !strings.Contains(parts["xl/worksheets/sheet1.xml"], "<drawing ") {
		t.Fatalf("the Summary has no drawing: %s", rels)
	}
	chart := regexp.MustCompile(`Target="\.\./charts/(chart\d+\.xml)"`).FindStringSubmatch(parts["xl/drawings/_rels/"+drawing[1]+".rels"])
	if chart == nil {
		t.Fatalf("the Summary's drawing has no chart")
	}
	var c struct {
		Bars []struct {
			Dir      attrVal `xml:"barDir"`
			Grouping attrVal `xml:"grouping"`
			Vary     attrVal `xml:"varyColors"`
			Series   []struct {
				Name string `xml:"tx>strRef>f"`
				Cats string `xml:"cat>strRef>f"`
				Vals string `xml:"val>numRef>f"`
			} `xml:"ser"`
		} `xml:"chart>plotArea>barChart"`
	}
	if err := xml.Unmarshal([]byte(parts["xl/charts/"+chart[1]]), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Bars) != 1 || c.Bars[0].Dir.Val != "bar" || c.Bars[0].Grouping.Val != "stacked" || c.Bars[0].Vary.Val != "0" {
		t.Fatalf("chart %+v, want one stacked bar chart, a colour a series", c)
	}
	ref := regexp.MustCompile(`^'Summary'!\$([A-Z]+)\$(\d+)(:\$([A-Z]+)\$(\d+))?$`)
	var names []string
	for _, ser := range c.Bars[0].Series {
		for _, f := range []string{ser.Name, ser.Cats, ser.Vals} {
			if !ref.MatchString(f) {
				t.Errorf("series reference %q is not a range of the Summary", f)
			}
		}
		names = append(names, cellOf(t, p, ser.Name))
		if want := "'Summary'!$L$"; !strings.HasPrefix(ser.Cats, want) {
			t.Errorf("categories %q, want the rules in L", ser.Cats)
		}
	}
	if !slices.Equal(names, []string{"Errors", "Warnings", "Info"}) {
		t.Errorf("series %q, want errors, warnings and info", names)
	}
	for name := range parts {
		if strings.HasPrefix(name, "xl/chartsheets/") {
			t.Errorf("a chart sheet %s: the chart belongs on the Summary", name)
		}
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(SheetSummary)
	var data [][]string
	for _, r := range rows {
		if len(r) > sumChartData-1 && r[sumChartData-1] != "" {
			data = append(data, r[sumChartData-1:])
		}
	}
	want := [][]string{{"Findings per rule", "Errors", "Warnings", "Info", "Total"}, {"duplicate-upn", "2", "0", "0", "2"}, {"blank", "0", "1", "1", "2"}}
	if !reflect.DeepEqual(data, want) {
		t.Errorf("chart data %q, want %q", data, want)
	}
	// Without findings there is nothing to chart.
	p = filepath.Join(t.TempDir(), "r.xlsx")
	writeAll(t, p, &scanner.Snapshot{}, nil, nil)
	for name := range zipParts(t, p) {
		if strings.HasPrefix(name, "xl/charts/") {
			t.Errorf("a chart without findings: %s", name)
		}
	}
}

type attrVal struct {
	Val string `xml:"val,attr"`
}

// cellOf reads the cell a reference such as 'Summary'!$M$24 names.
func cellOf(t *testing.T, path, ref string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet, cell, _ := strings.Cut(ref, "!")
	v, err := f.GetCellValue(strings.Trim(sheet, "'"), strings.ReplaceAll(cell, "$", ""))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func zipParts(t *testing.T, path string) map[string]string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	parts := map[string]string{}
	for _, e := range z.File {
		r, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[e.Name] = string(b)
	}
	return parts
}

// TestSummaryNames: the Summary names the tenant (display name, initial
// domain, id), the forests by their DNS domains with the file each came
// from, and the inputs a line per directory; no cell is a formula.
func TestSummaryNames(t *testing.T) {
	snap := &scanner.Snapshot{
		Tenant: &scanner.Tenant{DisplayName: "Contoso Ltd", Domains: []scanner.Domain{{Name: "contoso.com"}, {Name: "contoso.onmicrosoft.com", Initial: true}}},
		Sources: scanner.Sources{TenantID: "tid", Forests: []string{"contoso.ldif", "DC=res,DC=net"},
			Inputs: []string{"ex/contoso.ldif", "ex/graph/users.json", "ex/graph/groups.json", "ldaps://dc1.res.net"}},
		OnPrem: []scanner.OnPrem{{DN: "CN=a,OU=S,DC=contoso,DC=com", Source: 0}, {DN: "CN=b,DC=res,DC=net", Source: 1}},
	}
	f, rows := summaryOf(t, snap, []rules.Finding{rootFinding("blank", rules.Warning, "=1+1", "")})
	facts := map[string]string{}
	for _, r := range rows {
		if len(r) > 1 {
			facts[r[0]] = r[1]
		}
	}
	for label, want := range map[string]string{
		"Tenant":  "Contoso Ltd, contoso.onmicrosoft.com; tenant id tid",
		"Forests": "contoso.com (contoso.ldif)\nres.net",
		"Inputs":  "ex/: contoso.ldif\nex/graph/: users.json, groups.json\nldaps://dc1.res.net",
	} {
		if facts[label] != want {
			t.Errorf("%s: %q, want %q", label, facts[label], want)
		}
	}
	for r, row := range rows {
		for c := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if fm, _ := f.GetCellFormula(SheetSummary, cell); fm != "" {
				t.Errorf("%s is a formula: %q", cell, fm)
			}
		}
	}
	// Multi-line cells wrap, and their rows are tall enough.
	for r, row := range rows {
		if len(row) < 2 || !strings.Contains(row[1], "\n") {
			continue
		}
		id, _ := f.GetCellStyle(SheetSummary, fmt.Sprintf("B%d", r+1))
		st, _ := f.GetStyle(id)
		h, _ := f.GetRowHeight(SheetSummary, r+1)
		if st == nil || st.Alignment == nil || !st.Alignment.WrapText || h < float64(lineHeight*(strings.Count(row[1], "\n")+1)) {
			t.Errorf("%s: %q does not wrap or its row is %v points tall", row[0], row[1], h)
		}
	}
}

func TestInputLines(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{nil, []string{}},
		{[]string{"a.ldif"}, []string{"a.ldif"}},
		{[]string{"d/a.ldif", "e/b.json", "d/c.ldif"}, []string{"d/: a.ldif, c.ldif", "e/: b.json"}},
		{[]string{`C:\exports\a.ldif`, `C:\exports\b.ldif`}, []string{"C:/exports/: a.ldif, b.ldif"}},
		{[]string{"ldap://dc1/x", "ldap://dc1/y"}, []string{"ldap://dc1/x", "ldap://dc1/y"}},
	} {
		if got := inputLines(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("inputLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParentDN(t *testing.T) {
	for dn, want := range map[string]string{
		"CN=a,OU=b,DC=c":     "OU=b,DC=c",
		`CN=a\,b,OU=c`:       "OU=c",
		`CN=a\\,OU=c`:        "OU=c",
		"CN=a, OU=b":         "OU=b",
		"DC=com":             "",
		"b3c01fc1-b14e-47d1": "",
	} {
		if got := parentDN(dn); got != want {
			t.Errorf("parentDN(%q) = %q, want %q", dn, got, want)
		}
	}
}

// TestFixFirstImpactFirst: the Fix first table lists findings in the
// reports' order, a security block before the duplicates that came first.
func TestFixFirstImpactFirst(t *testing.T) {
	d := newDigest()
	for i := 0; i < 12; i++ {
		d.add(&rules.Finding{Rule: "duplicate-proxy-address", Severity: rules.Error, Side: scanner.OnPremSide, Object: fmt.Sprintf("CN=Dup %02d,DC=x", i), Fix: rules.Fix{Text: "keep one"}})
	}
	d.add(&rules.Finding{Rule: "admin-soft-match-blocked", Severity: rules.Error, Side: scanner.OnPremSide, Object: "CN=Zed,DC=x", Fix: rules.Fix{Text: "take the role"}})
	d.add(&rules.Finding{Rule: "blank", Severity: rules.Warning, Side: scanner.OnPremSide, Object: "CN=A,DC=x", Fix: rules.Fix{Text: "name it"}})
	got := d.fixFirst()
	if len(got) != fixFirstN || got[0].rule != "admin-soft-match-blocked" || got[1].object != "CN=Dup 00,DC=x" || got[9].object != "CN=Dup 08,DC=x" {
		var l []string
		for _, g := range got {
			l = append(l, g.rule+" "+g.object)
		}
		t.Errorf("fix first:\n%s", strings.Join(l, "\n"))
	}
}
