package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// TestInvalidUTF8InEveryFormat: an LDIF value may hold bytes that are not
// UTF-8. Each report writes them as U+FFFD, byte for byte as the JSON report
// does: the CSV is valid UTF-8 with the same cells as the JSON, and the
// workbook opens (its XML would be corrupt otherwise) with the same cells.
func TestInvalidUTF8InEveryFormat(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"a lone byte", "bad\xffbyte", "bad\uFFFDbyte"},
		{"a cut sequence", "Zo\xc3", "Zo\uFFFD"},
		{"a cut sequence before text", "a\xe2\x82b", "a\uFFFD\uFFFDb"},
		{"an encoded surrogate", "x\xed\xa0\x80", "x\uFFFD\uFFFD\uFFFD"},
		{"a formula start after a bad byte", "\xff=1+1", "\uFFFD=1+1"},
	}
	dir := t.TempDir()
	snap := &scanner.Snapshot{Tenant: &scanner.Tenant{}, Sources: scanner.Sources{Forests: []string{"bad\xff.ldif"}, Inputs: []string{"bad\xff.ldif"}},
		Coverage: scanner.Coverage{Assumed: []string{"assumed \xfe"}, NotEvaluated: []scanner.NotEvaluated{{Rule: "upn-mismatch", Reason: "because \xc3"}}}}
	var fs []rules.Finding
	for i, c := range cases {
		fs = append(fs, rules.Finding{Rule: "blank", Severity: rules.Warning, Side: scanner.OnPremSide, Kind: scanner.KindUser,
			Object: "CN=" + c.in + ",DC=x", Name: c.in, Attribute: "displayName", Value: c.in, Message: "message " + c.in,
			Fix: rules.Fix{Text: "fix " + c.in}, Related: []string{c.in}, Fingerprint: string(rune('a' + i))})
	}
	paths := map[string]string{}
	for _, ext := range []string{".json", ".csv", ".xlsx"} {
		paths[ext] = filepath.Join(dir, "r"+ext)
		writeAll(t, paths[ext], snap, fs, nil)
	}

	// The JSON report's values, by fingerprint.
	b, err := os.ReadFile(paths[".json"])
	if err != nil {
		t.Fatal(err)
	}
	var rep struct{ Findings []jsonFinding }
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	byFP := map[string]jsonFinding{}
	for _, f := range rep.Findings {
		byFP[f.Fingerprint] = f
	}
	check := func(format string, row []string) {
		t.Helper()
		fp := row[len(FindingColumns)-1]
		jf, ok := byFP[fp]
		if !ok {
			t.Errorf("%s: a row with fingerprint %q that the JSON report does not have", format, fp)
			return
		}
		c := cases[fp[0]-'a']
		for col, want := range map[int]string{3: jf.Object, 4: c.want, 6: jf.Value, 7: jf.Message, 8: jf.Fix.Text, 9: strings.Join(jf.Related, "\n")} {
			if row[col] != want || !strings.Contains(want, c.want) {
				t.Errorf("%s, %s: %s is %q, want %q as the JSON report has it (%q)", format, c.name, FindingColumns[col], row[col], want, c.want)
			}
		}
	}

	// CSV: valid UTF-8, the JSON report's values (a formula start defused).
	b, err = os.ReadFile(paths[".csv"])
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b) {
		t.Errorf("the CSV is not valid UTF-8: %q", b)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(cases)+1 {
		t.Fatalf("%d CSV rows, want %d", len(recs), len(cases)+1)
	}
	for _, r := range recs[1:] {
		check("csv", r)
	}

	// Workbook: well-formed, opens, the same values on every sheet.
	checkWellFormed(t, paths[".xlsx"])
	x, err := excelize.OpenFile(paths[".xlsx"])
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows := rowsOf(t, x, "Findings")
	if len(rows) != len(cases)+1 {
		t.Fatalf("%d workbook rows, want %d", len(rows), len(cases)+1)
	}
	for _, r := range rows[1:] {
		check("xlsx", r)
	}
	for _, sheet := range x.GetSheetList() {
		all, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			for _, v := range r {
				if !utf8.ValidString(v) {
					t.Errorf("%s: a cell that is not UTF-8: %q", sheet, v)
				}
			}
		}
	}
	summary := strings.Join(strings.Fields(strings.ReplaceAll(strings.Join(flatten(rowsOf(t, x, "Summary")), " "), "\n", " ")), " ")
	for _, want := range []string{"bad\uFFFD.ldif", "assumed \uFFFD", "because \uFFFD"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the Summary sheet lacks %q: %s", want, summary)
		}
	}
}

func flatten(rows [][]string) []string {
	var l []string
	for _, r := range rows {
		l = append(l, r...)
	}
	return l
}

// TestValidUTF8 pins the replacement to the JSON encoder's, byte for byte.
func TestValidUTF8(t *testing.T) {
	for _, s := range []string{"", "plain", "Zoë 𝄞", "\xff", "a\xc3", "\xe2\x82\xac\xe2\x82", "\xed\xa0\x80\xf4\x90\x80\x80", "\x00\x7f\x80"} {
		var want string
		if err := json.Unmarshal(appendString(nil, s), &want); err != nil {
			t.Fatal(err)
		}
		if got := validUTF8(s); got != want {
			t.Errorf("%q: %q, want %q as the JSON report writes it", s, got, want)
		}
	}
}
