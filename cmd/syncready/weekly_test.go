package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/report"
)

// weekTwo writes a copy of the example forest a week later: the user
// without a UPN got one (a fixed defect), and a new user arrived with only
// lowercase smtp: aliases and mail (an added defect).
func weekTwo(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(example, "contoso.ldif"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "dn: CN=Missing UPN,")
	if i < 0 {
		t.Fatal("the example has no CN=Missing UPN")
	}
	end := i + strings.Index(s[i:], "\r\n\r\n")
	rec := s[i:end]
	fixed := rec + "\r\nuserPrincipalName: missing.upn@contoso.com"
	s = s[:i] + fixed + s[end:]
	s += "\r\ndn: CN=New Starter,OU=Staff,OU=Contoso,DC=contoso,DC=com\r\nchangetype: add\r\nobjectClass: top\r\nobjectClass: person\r\n" +
		"objectClass: organizationalPerson\r\nobjectClass: user\r\ncn: New Starter\r\ndisplayName: New Starter\r\ngivenName: New\r\nsn: Starter\r\n" +
		"objectGUID:: 7q7u7u7u7u7u7u7u7u7u7g==\r\nsAMAccountName: newstarter\r\nuserPrincipalName: new.starter@contoso.com\r\n" +
		"mail: new.starter@contoso.com\r\nmailNickname: new.starter\r\nproxyAddresses: smtp:new.starter@contoso.com\r\n\r\n"
	p := filepath.Join(dir, "contoso-week2.ldif")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWeekOverWeek(t *testing.T) {
	dir := t.TempDir()
	week1, week2 := filepath.Join(dir, "week1.json"), filepath.Join(dir, "week2.json")
	graph := filepath.Join(example, "graph")
	res := filepath.Join(example, "resource.ldif")
	if code, _, e := runCmd(t, "scan", "--ldif", filepath.Join(example, "contoso.ldif"), "--ldif", res, "--graph-dir", graph, "--out", week1); code != exitOK {
		t.Fatal(e)
	}
	ldif2 := weekTwo(t, dir)
	code, out, e := runCmd(t, "scan", "--ldif", ldif2, "--ldif", res, "--graph-dir", graph, "--baseline", week1, "--out", week2)
	if code != exitOK {
		t.Fatal(e)
	}
	if !strings.Contains(out, "1 new warning, 1 resolved, 35 persisting since") {
		t.Errorf("terminal summary lacks the baseline line:\n%s", out)
	}
	var rep struct {
		Findings []struct {
			Rule, Object string
			New          *bool
		}
		Resolved []struct{ Rule, Object string }
	}
	b, _ := os.ReadFile(week2)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	var fresh []string
	for _, f := range rep.Findings {
		if f.New == nil {
			t.Fatal("with a baseline every finding carries new")
		}
		if *f.New {
			fresh = append(fresh, f.Rule+" "+f.Object)
		}
	}
	if len(fresh) != 1 || !strings.HasPrefix(fresh[0], "lowercase-primary-smtp CN=New Starter,") {
		t.Errorf("new findings %q", fresh)
	}
	if len(rep.Resolved) != 1 || rep.Resolved[0].Rule != "missing-upn" {
		t.Errorf("resolved %+v", rep.Resolved)
	}

	// diff: flags after the paths, JSON and Excel.
	d := filepath.Join(dir, "d.json")
	code, out, e = runCmd(t, "diff", week1, week2, "--out", d, "--out", filepath.Join(dir, "d.xlsx"), "--fail-on", "error")
	if code != exitOK {
		t.Fatalf("diff: exit %d (no new error): %s", code, e)
	}
	if !strings.HasPrefix(out, "1 new warning, 1 resolved, 35 persisting since ") {
		t.Errorf("diff summary %q", out)
	}
	var diff struct {
		Kind                      string
		New, Resolved, Persisting []struct{ Rule, Fingerprint string }
		MatchChanges              []struct {
			OnPrem string `json:"onprem"`
			Old    struct{ Outcome string }
			New    struct{ Outcome string }
		}
	}
	b, _ = os.ReadFile(d)
	if err := json.Unmarshal(b, &diff); err != nil {
		t.Fatal(err)
	}
	if diff.Kind != "diff" || len(diff.New) != 1 || len(diff.Resolved) != 1 || len(diff.Persisting) != 35 {
		t.Errorf("diff: %d new, %d resolved, %d persisting", len(diff.New), len(diff.Resolved), len(diff.Persisting))
	}
	if code, _, _ = runCmd(t, "diff", week1, week2, "--fail-on", "warning"); code != exitFindings {
		t.Errorf("a new warning with --fail-on warning: exit %d, want 3", code)
	}
	// The other way round: the fixed defect is new, the added one resolved.
	if code, out, _ = runCmd(t, "diff", week2, week1); code != exitOK || !strings.HasPrefix(out, "1 new warning, 1 resolved") {
		t.Errorf("reverse diff: %d %q", code, out)
	}
}

func TestBaselineAndDiffRefusals(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json")
	if code, _, e := runCmd(t, append(exampleArgs("graph"), "--out", a)...); code != exitOK {
		t.Fatal(e)
	}
	b, _ := os.ReadFile(a)
	other := filepath.Join(dir, "other-tenant.json")
	os.WriteFile(other, []byte(strings.Replace(string(b), "8d2a4c71-3f5e-4b9a-a6d0-2c7e91f4b358", "11111111-2222-3333-4444-555555555555", 1)), 0o600)
	v2 := filepath.Join(dir, "v2.json")
	os.WriteFile(v2, []byte(strings.Replace(string(b), `"schemaVersion":1`, `"schemaVersion":2`, 1)), 0o600)
	notJSON := filepath.Join(dir, "not.json")
	os.WriteFile(notJSON, []byte("{\n\"schemaVersion\":1,\n\"findings\": [oops]\n}"), 0o600)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"diff", a, other}, "reports of different tenants are not compared"},
		{[]string{"diff", a, v2}, "schemaVersion 2"},
		{[]string{"diff", a, notJSON}, "not.json:3: findings"},
		{[]string{"diff", a, filepath.Join(dir, "missing.json")}, "missing.json"},
		{append(exampleArgs("graph"), "--baseline", other), "reports of different tenants"},
		{append(exampleArgs("graph"), "--baseline", filepath.Join(dir, "missing.json")), "--baseline"},
		{append(exampleArgs("graph"), "--baseline", notJSON), "not.json:3"},
	}
	for _, c := range cases {
		code, _, e := runCmd(t, c.args...)
		if code != exitFailure || !strings.Contains(e, c.want) {
			t.Errorf("%q: exit %d, %s; want 1 and %q", c.args, code, e, c.want)
		}
	}
	if code, _, e := runCmd(t, "diff", a); code != exitUsage || !strings.Contains(e, "two reports") {
		t.Errorf("diff with one path: %d %s", code, e)
	}
}

// TestSuppressionsAndFailOn: a suppression with a future expiry takes its
// finding out of --fail-on (exit 4, Incomplete without a tenant, instead of
// 3); an expired one does not.
func TestSuppressionsAndFailOn(t *testing.T) {
	dir := t.TempDir()
	ldif := filepath.Join(dir, "one.ldif")
	os.WriteFile(ldif, []byte("dn: CN=Two Primaries,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\n"+
		"sAMAccountName: two\ndisplayName: Two Primaries\nuserPrincipalName: two@contoso.com\nmail: two@contoso.com\n"+
		"proxyAddresses: SMTP:two@contoso.com\nproxyAddresses: SMTP:second@contoso.com\n"), 0o600)
	sup := func(expires string) string {
		p := filepath.Join(dir, "sup-"+expires+".yaml")
		os.WriteFile(p, []byte("- rule: multiple-primary-smtp\n  object: CN=Two Primaries,OU=Staff,DC=contoso,DC=com\n  reason: migration in January\n  owner: jane@contoso.com\n  expires: "+expires+"\n"), 0o600)
		return p
	}
	if code, _, _ := runCmd(t, "scan", "--ldif", ldif, "--fail-on", "error"); code != exitFindings {
		t.Fatalf("without suppressions: exit %d, want 3", code)
	}
	out := filepath.Join(dir, "r.json")
	code, stdout, e := runCmd(t, "scan", "--ldif", ldif, "--fail-on", "error", "--suppressions", sup("2099-12-31"), "--out", out, "--out", filepath.Join(dir, "r.xlsx"))
	// The suppressed finding no longer reaches --fail-on; the scan read no
	// tenant, so it is Incomplete: exit 4, not 3.
	if code != exitIncomplete {
		t.Errorf("future expiry: exit %d, want 4 (AD only: Incomplete): %s", code, e)
	}
	if !strings.Contains(stdout, "1 finding suppressed") {
		t.Errorf("summary: %s", stdout)
	}
	var rep struct {
		Findings   []any
		Suppressed []struct {
			Rule        string
			Suppression struct{ Reason, Owner, Expires string }
		}
	}
	b, _ := os.ReadFile(out)
	json.Unmarshal(b, &rep)
	if len(rep.Findings) != 0 || len(rep.Suppressed) != 1 || rep.Suppressed[0].Suppression.Owner != "jane@contoso.com" {
		t.Errorf("report: %s", b)
	}
	code, stdout, _ = runCmd(t, "scan", "--ldif", ldif, "--fail-on", "error", "--suppressions", sup("2026-01-31"))
	if code != exitFindings || !strings.Contains(stdout, "expired suppression") {
		t.Errorf("expired: exit %d, want 3, and the entry reported as expired:\n%s", code, stdout)
	}
	code, _, e = runCmd(t, "scan", "--ldif", ldif, "--suppressions", filepath.Join(dir, "nope.yaml"))
	if code != exitFailure || !strings.Contains(e, "nope.yaml") {
		t.Errorf("missing suppressions file: %d %s", code, e)
	}
}

// graphWeekTwo copies the example tenant a week later: the Exchange
// Administrator role was taken from the cloud account that CN=Admin Hard
// Match hard matches, as that block's fix says.
func graphWeekTwo(t *testing.T, dir string) string {
	t.Helper()
	src, dst := filepath.Join(example, "graph"), filepath.Join(dir, "graph-week2")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dst, "roleAssignments.json")
	var doc map[string]any
	b, _ := os.ReadFile(p)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, a := range doc["value"].([]any) {
		if a.(map[string]any)["principalId"] != "d4cdda77-7b5a-47e6-ad72-9831a0acb3e7" {
			kept = append(kept, a)
		}
	}
	if len(kept) != len(doc["value"].([]any))-1 {
		t.Fatal("the example has no role assignment for the Admin Hard Match account")
	}
	doc["value"] = kept
	b, _ = json.Marshal(doc)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// goldenText compares got with testdata/name; -update rewrites the file.
func goldenText(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("output differs from %s at line %d:\n got %s\nwant %s\n(run go test -update if the change is intended)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("output differs from %s in length: %d lines, want %d (run go test -update if intended)", path, len(gl), len(wl))
	}
}

// TestDiffNamesWhatChanged: a week in which one defect was fixed on
// premises, one user arrived with a defect and a role was taken from a
// cloud account. The terminal lists each new and resolved finding by name
// and the changed outcome (golden file); the CSV holds the rows of the
// workbook's sheets, and the workbook's Display name column is filled.
func TestDiffNamesWhatChanged(t *testing.T) {
	dir := t.TempDir()
	week1, week2 := filepath.Join(dir, "week1.json"), filepath.Join(dir, "week2.json")
	res := filepath.Join(example, "resource.ldif")
	if code, _, e := runCmd(t, append(exampleArgs("graph"), "--out", week1)...); code != exitOK {
		t.Fatal(e)
	}
	if code, _, e := runCmd(t, "scan", "--ldif", weekTwo(t, dir), "--ldif", res, "--graph-dir", graphWeekTwo(t, dir), "--out", week2); code != exitOK {
		t.Fatal(e)
	}
	csvPath, xlsxPath := filepath.Join(dir, "d.csv"), filepath.Join(dir, "d.xlsx")
	code, out, e := runCmd(t, "diff", week1, week2, "--out", csvPath, "--out", xlsxPath)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	goldenText(t, "diff.golden.txt", regexp.MustCompile(`since \d{4}-\d{2}-\d{2}`).ReplaceAllString(out, "since DATE"))

	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sheetRows [][]string
	for _, sh := range []struct{ name, change string }{{"New", "new"}, {"Persisting", "persisting"}, {"Resolved", "resolved"}} {
		rows, err := f.GetRows(sh.name)
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Index(rows[0], "Display name")
		for _, r := range rows[1:] {
			if col < 0 || col >= len(r) || r[col] == "" {
				t.Errorf("%s sheet: no display name in %q", sh.name, r)
			}
			sheetRows = append(sheetRows, append([]string{sh.change}, r...))
		}
	}
	b, _ := os.ReadFile(csvPath)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]string{"Change"}, report.FindingColumns...); !slices.Equal(recs[0], want) {
		t.Errorf("CSV header %q, want %q", recs[0], want)
	}
	var csvFindings [][]string
	changes := 0
	for _, r := range recs[1:] {
		if r[0] == "outcome changed" {
			changes++
			continue
		}
		// excelize leaves trailing empty cells out of a row.
		for len(r) > 0 && r[len(r)-1] == "" {
			r = r[:len(r)-1]
		}
		csvFindings = append(csvFindings, r)
	}
	if !reflect.DeepEqual(csvFindings, sheetRows) {
		t.Errorf("the CSV's finding rows differ from the workbook's:\n csv %q\nxlsx %q", csvFindings, sheetRows)
	}
	if mc, _ := f.GetRows("Match changes"); changes != 1 || len(mc) != 2 {
		t.Errorf("%d outcome changes in the CSV, %d rows on the Match changes sheet; want 1 each", changes, len(mc)-1)
	}
}
