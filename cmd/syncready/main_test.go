package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/syncready/syncready/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

const example = "../../examples/contoso"

func exampleArgs(graph string) []string {
	return []string{"scan", "--ldif", filepath.Join(example, "contoso.ldif"), "--ldif", filepath.Join(example, "resource.ldif"), "--graph-dir", filepath.Join(example, graph)}
}

// runCmd runs the program in-process.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

// scanJSON runs a scan with --out - and decodes the report.
func scanJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, errOut := runCmd(t, append(args, "--out", "-")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	if !strings.Contains(errOut, "Findings:") {
		t.Errorf("the terminal summary should go to stderr when stdout carries JSON; stderr: %q", errOut)
	}
	return rep
}

// TestExampleMatchesIndependentExpectations compares a scan of the example
// environment with the expectations its author wrote by hand from the
// contract, without the code: every finding of the rules in the catalog, every
// match and every skipped object, both ways.
func TestExampleMatchesIndependentExpectations(t *testing.T) {
	inCatalog := map[string]bool{}
	for _, r := range rules.All() {
		inCatalog[r.ID] = true
	}
	for graph, expFile := range map[string]string{"graph": "expected.json", "graph-strict": "expected-strict.json"} {
		t.Run(graph, func(t *testing.T) {
			var exp struct {
				Findings []struct{ Rule, Severity, Side, Object, Attribute string }
				Matches  []struct {
					OnPrem  string `json:"onprem"`
					Outcome string
					Reason  string
					Cloud   *string
				}
				Skipped []string
			}
			b, err := os.ReadFile(filepath.Join(example, expFile))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &exp); err != nil {
				t.Fatal(err)
			}
			rep := scanJSON(t, exampleArgs(graph)...)

			count := map[string]int{}
			for _, f := range exp.Findings {
				if inCatalog[f.Rule] {
					count[strings.Join([]string{f.Rule, f.Severity, f.Side, f.Object, f.Attribute}, " | ")]++
				}
			}
			for _, f := range rep["findings"].([]any) {
				m := f.(map[string]any)
				count[strings.Join([]string{m["rule"].(string), m["severity"].(string), m["side"].(string), m["object"].(string), m["attribute"].(string)}, " | ")]--
			}
			for k, n := range count {
				switch {
				case n > 0:
					t.Errorf("missing finding: %s", k)
				case n < 0:
					t.Errorf("unexpected finding: %s", k)
				}
			}

			want := map[string]string{}
			for _, m := range exp.Matches {
				c := "null"
				if m.Cloud != nil {
					c = *m.Cloud
				}
				want[m.OnPrem] = m.Outcome + " " + m.Reason + " " + c
			}
			got := map[string]string{}
			for _, m := range rep["matches"].([]any) {
				mm := m.(map[string]any)
				c, r := "null", ""
				if s, ok := mm["cloud"].(string); ok {
					c = s
				}
				if s, ok := mm["reason"].(string); ok {
					r = s
				}
				got[mm["onprem"].(string)] = mm["outcome"].(string) + " " + r + " " + c
			}
			for dn, w := range want {
				if got[dn] != w {
					t.Errorf("match of %s: %q, want %q", dn, got[dn], w)
				}
			}
			for dn, g := range got {
				if _, ok := want[dn]; !ok {
					t.Errorf("unexpected match entry %s: %s", dn, g)
				}
			}

			var skipped []string
			for _, s := range rep["coverage"].(map[string]any)["skipped"].([]any) {
				skipped = append(skipped, s.(map[string]any)["object"].(string))
			}
			sort.Strings(skipped)
			sort.Strings(exp.Skipped)
			if !reflect.DeepEqual(skipped, exp.Skipped) {
				t.Errorf("skipped\n got %q\nwant %q", skipped, exp.Skipped)
			}
		})
	}
}

// TestGolden compares the whole JSON report of the example environment with
// testdata/contoso.golden.json after decoding; -update rewrites it.
func TestGolden(t *testing.T) {
	rep := scanJSON(t, exampleArgs("graph")...)
	rep["scannedAt"] = "2026-01-01T00:00:00Z"
	rep["tool"].(map[string]any)["version"] = "test"
	got, _ := json.MarshalIndent(rep, "", "  ")
	got = append(got, '\n')
	golden := filepath.Join("testdata", "contoso.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	var want map[string]any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	var gotAny map[string]any
	_ = json.Unmarshal(got, &gotAny)
	if !reflect.DeepEqual(gotAny, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(b), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("report differs from %s at line %d:\n got %s\nwant %s\n(run go test -update if the change is intended)", golden, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("report differs from %s in length (run go test -update if intended)", golden)
	}
}

func TestReportFields(t *testing.T) {
	rep := scanJSON(t, exampleArgs("graph")...)
	for _, k := range []string{"schemaVersion", "tool", "scannedAt", "sources", "summary", "coverage", "findings", "matches"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("report has no %q", k)
		}
	}
	if rep["schemaVersion"].(float64) != 1 {
		t.Errorf("schemaVersion %v", rep["schemaVersion"])
	}
	src := rep["sources"].(map[string]any)
	if src["tenantId"] != "8d2a4c71-3f5e-4b9a-a6d0-2c7e91f4b358" || len(src["forests"].([]any)) != 2 {
		t.Errorf("sources %v", src)
	}
	for _, f := range rep["findings"].([]any) {
		m := f.(map[string]any)
		for _, k := range []string{"rule", "severity", "side", "kind", "object", "attribute", "value", "message", "fix", "related", "fingerprint"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("finding has no %q: %v", k, m)
			}
		}
		if _, ok := m["fix"].(map[string]any)["text"].(string); !ok {
			t.Fatalf("fix without text: %v", m)
		}
	}
	cov := rep["coverage"].(map[string]any)
	for _, k := range []string{"notEvaluated", "skipped", "assumed"} {
		if _, ok := cov[k].([]any); !ok {
			t.Errorf("coverage.%s is not an array: %v", k, cov[k])
		}
	}
	// No tenant: no matches, cross-side rules listed as not evaluated.
	rep = scanJSON(t, "scan", "--ldif", filepath.Join(example, "contoso.ldif"))
	if len(rep["matches"].([]any)) != 0 {
		t.Error("matches without a cloud side")
	}
	if ne := rep["coverage"].(map[string]any)["notEvaluated"].([]any); len(ne) == 0 {
		t.Error("cross-side rules should be listed as not evaluated without a tenant")
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badLDIF := bad("bad.ldif", "dn: CN=a,DC=x\nobjectClass: user\nobjectGUID:: !!!\n")
	graphNotJSON := filepath.Join(dir, "g1")
	os.Mkdir(graphNotJSON, 0o700)
	bad("g1/users.json", "this is not JSON")
	graphShape := filepath.Join(dir, "g2")
	os.Mkdir(graphShape, 0o700)
	bad("g2/users.json", `{"value":[{"id":"a"},{"id":"b","proxyAddresses":"SMTP:x@y.com"}]}`)
	emptyDir := filepath.Join(dir, "g3")
	os.Mkdir(emptyDir, 0o700)
	ex := exampleArgs("graph")

	cases := []struct {
		name string
		args []string
		code int
		msg  string // in stderr
	}{
		{"no command", nil, exitUsage, "Usage"},
		{"unknown command", []string{"scna"}, exitUsage, `unknown command "scna"`},
		{"unknown flag", []string{"scan", "--ldfi", "x"}, exitUsage, "unknown flag --ldfi (did you mean --ldif?)"},
		{"unknown flag, one dash", []string{"diff", "a.json", "b.json", "-outt", "d.csv"}, exitUsage, "diff: unknown flag --outt (did you mean --out?)"},
		{"unknown flag, nothing close", []string{"explain", "--zzzzzz", "x"}, exitUsage, "unknown flag --zzzzzz (run \"syncready explain --help\")"},
		{"unknown rule ID", []string{"rules", "-doc", "duplicate-upm"}, exitUsage, `unknown rule "duplicate-upm" (did you mean duplicate-upn?)`},
		{"no source", []string{"scan"}, exitUsage, "at least one side"},
		{"unknown rule", []string{"scan", "--ldif", badLDIF, "--disable", "nope"}, exitUsage, "known rules: admin-hard-match-blocked"},
		{"bad severity", []string{"scan", "--ldif", badLDIF, "--severity", "missing-upn=fatal"}, exitUsage, "want error, warning or info"},
		{"bad fail-on", []string{"scan", "--ldif", badLDIF, "--fail-on", "info"}, exitUsage, "--fail-on"},
		{"bad out format", []string{"scan", "--ldif", badLDIF, "--out", "r.pdf"}, exitUsage, "unknown report format"},
		{"bad anchor", []string{"scan", "--ldif", badLDIF, "--source-anchor", "sid"}, exitUsage, "source anchor"},
		{"stray argument", []string{"scan", "extra", "--ldif", badLDIF}, exitUsage, "no arguments"},
		{"missing file", []string{"scan", "--ldif", filepath.Join(dir, "nope.ldif")}, exitFailure, "nope.ldif"},
		{"bad LDIF", []string{"scan", "--ldif", badLDIF}, exitFailure, "bad.ldif:3: attribute objectGUID: invalid base64"},
		{"graph not JSON", []string{"scan", "--graph-dir", graphNotJSON}, exitFailure, "users.json:1: not valid JSON"},
		{"graph wrong shape", []string{"scan", "--graph-dir", graphShape}, exitFailure, "users.json:1: value[1].proxyAddresses: expected an array"},
		{"graph without users", []string{"scan", "--graph-dir", emptyDir}, exitFailure, "users.json is required"},
		{"fail-on error", append(ex, "--fail-on", "error"), exitFindings, ""},
		{"fail-on warning", append(ex, "--fail-on", "warning"), exitFindings, ""},
		{"fail-on error, errors disabled", append(ex, "--fail-on", "error", "--severity", "duplicate-proxy-address=warning", "--disable",
			"duplicate-upn,admin-soft-match-blocked,admin-hard-match-blocked,type-mismatch,soft-match-anchored,lowercase-primary-smtp,multiple-primary-smtp",
			"--disable", "invalid-character,too-long,invalid-format"), exitOK, ""},
		{"fail-on none", ex, exitOK, ""},
		{"help", []string{"scan", "--help"}, exitOK, ""},
		{"plaintext bind refused", []string{"scan", "--ldap-url", "ldap://127.0.0.1:1", "--ldap-bind-dn", "CN=r,DC=x"}, exitUsage, "--ldap-allow-plaintext"},
		{"LDAP server unreachable", []string{"scan", "--ldap-url", "ldaps://127.0.0.1:1", "--ldap-bind-dn", "CN=r,DC=x"}, exitFailure, "connect to ldaps://127.0.0.1:1"},
		{"base DN count", []string{"scan", "--ldap-url", "ldaps://a", "--ldap-url", "ldaps://b", "--ldap-url", "ldaps://c", "--ldap-base-dn", "DC=a", "--ldap-base-dn", "DC=b"}, exitUsage, "once per URL"},
		{"Graph sign-in incomplete", []string{"scan", "--ldif", badLDIF, "--tenant-id", "x"}, exitUsage, "--client-id"},
		{"two cloud sides", []string{"scan", "--graph-dir", emptyDir, "--tenant-id", "x"}, exitUsage, "give one"},
		{"save-graph without a tenant", []string{"scan", "--graph-dir", emptyDir, "--save-graph", "g"}, exitUsage, "needs a live tenant"},
		{"export needs a file", []string{"export", "--ldap-url", "ldaps://a"}, exitUsage, "export needs"},
		{"export needs something", []string{"export"}, exitUsage, "export needs --ldif FILE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCmd(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.code, errOut)
			}
			if !strings.Contains(errOut, c.msg) {
				t.Errorf("stderr %q, want it to contain %q", errOut, c.msg)
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine") {
				t.Errorf("panic: %s", errOut)
			}
		})
	}
}

func TestReportFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	code, stdout, errOut := runCmd(t, append(exampleArgs("graph"), "--out", out)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600: it holds personal data", fi.Mode().Perm())
	}
	if !strings.Contains(stdout, "Not ready:") || !strings.Contains(stdout, "Report: "+out) {
		t.Errorf("terminal summary on stdout: %s", stdout)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left beside the report: %v", entries)
	}

	// A failing scan leaves no report and no temporary file behind.
	dir2 := t.TempDir()
	badDir := filepath.Join(dir2, "g")
	os.Mkdir(badDir, 0o700)
	os.WriteFile(filepath.Join(badDir, "users.json"), []byte(`{"value":[`), 0o600)
	code, _, errOut = runCmd(t, "scan", "--ldif", filepath.Join(example, "contoso.ldif"), "--graph-dir", badDir, "--out", filepath.Join(dir2, "r.json"))
	if code != exitFailure || !strings.Contains(errOut, "cut short") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	entries, _ = os.ReadDir(dir2)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("a failed scan left %v", names)
	}
}

func TestParseFlagsInterleaved(t *testing.T) {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	out := fs.String("out", "", "")
	pos, err := parseFlags(fs, []string{"a.json", "--out", "d.json", "b.json", "--", "-c.json"}, &bytes.Buffer{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if *out != "d.json" || fmt.Sprint(pos) != "[a.json b.json -c.json]" {
		t.Errorf("out %q positional %q", *out, pos)
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := runCmd(t, "rules")
	if code != exitOK {
		t.Fatal(code)
	}
	for _, r := range rules.All() {
		if !strings.Contains(out, r.ID) {
			t.Errorf("rules output lacks %s", r.ID)
		}
	}
	_, out, _ = runCmd(t, "rules", "-doc")
	if !strings.Contains(out, "https://learn.microsoft.com/") {
		t.Error("rules -doc lacks sources")
	}
	code, out, _ = runCmd(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "syncready ") {
		t.Errorf("version: %d %q", code, out)
	}
}

// TestWorkbookAndCSVMatchJSON reads the example's workbook and CSV back and
// compares them with its JSON report, cell by cell (not bytes).
func TestWorkbookAndCSVMatchJSON(t *testing.T) {
	dir := t.TempDir()
	js, xl, cs := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xlsx"), filepath.Join(dir, "r.csv")
	code, _, errOut := runCmd(t, append(exampleArgs("graph"), "--out", js, "--out", xl, "--out", cs)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Findings []struct {
			Rule, Severity, Kind, Object, Attribute, Value, Message, Fingerprint string
			Related, RelatedNames                                                []string
		}
		Matches []struct {
			OnPrem  string `json:"onprem"`
			Cloud   *string
			Outcome string
			Reason  *string
		}
	}
	b, _ := os.ReadFile(js)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, f := range rep.Findings {
		if len(f.RelatedNames) != len(f.Related) {
			t.Errorf("%s: %d related objects, %d names", f.Fingerprint, len(f.Related), len(f.RelatedNames))
			continue
		}
		// The tables name each related object, with its id or DN.
		related := make([]string, len(f.Related))
		for i, id := range f.Related {
			related[i] = id
			if n := f.RelatedNames[i]; n != "" && n != id {
				related[i] = n + " (" + id + ")"
			}
		}
		want[f.Fingerprint] = strings.Join([]string{f.Severity, f.Rule, f.Kind, f.Object, f.Attribute, f.Value, f.Message, strings.Join(related, "\n")}, "|")
	}
	var jsonOrder []string
	for _, f := range rep.Findings {
		jsonOrder = append(jsonOrder, f.Fingerprint)
	}
	check := func(name string, rows [][]string) {
		got := map[string]string{}
		var order []string
		for _, r := range rows[1:] {
			if len(r) > 10 {
				order = append(order, r[10])
			}
			for len(r) < 11 {
				r = append(r, "")
			}
			got[r[10]] = strings.Join([]string{r[0], r[1], r[2], r[3], r[5], strings.TrimPrefix(r[6], "'"), r[7], r[9]}, "|")
		}
		if !slices.Equal(order, jsonOrder) {
			t.Errorf("%s lists the findings in another order than the JSON report:\n%v\n%v", name, order, jsonOrder)
		}
		if len(got) != len(rep.Findings) || !reflect.DeepEqual(got, want) {
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: finding %s\n got %q\nwant %q", name, k, got[k], v)
				}
			}
			t.Errorf("%s: %d findings, JSON has %d", name, len(got), len(rep.Findings))
		}
	}
	f, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); sheets[0] != "Summary" || sheets[1] != "Findings" || sheets[2] != "Match plan" || sheets[3] != "Rules" {
		t.Errorf("sheets %q", sheets)
	}
	rows, _ := f.GetRows("Findings")
	check("xlsx", rows)
	mrows, _ := f.GetRows("Match plan")
	if len(mrows)-1 != len(rep.Matches) {
		t.Fatalf("match plan has %d rows, JSON %d", len(mrows)-1, len(rep.Matches))
	}
	for i, m := range rep.Matches {
		r := append(mrows[i+1], make([]string, 8)...)
		cloud, reason := "", ""
		if m.Cloud != nil {
			cloud = *m.Cloud
		}
		if m.Reason != nil {
			reason = *m.Reason
		}
		if r[0] != m.OnPrem || r[4] != m.Outcome || r[5] != cloud || r[7] != reason {
			t.Errorf("match row %d: %q, JSON %+v", i+1, r[:8], m)
		}
	}
	summary, _ := f.GetRows("Summary")
	if !strings.HasPrefix(summary[1][0], "Not ready: ") {
		t.Errorf("summary verdict %q", summary[1])
	}
	cb, _ := os.ReadFile(cs)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(cb, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	check("csv", recs)
}

// TestSummaryNamesTheReports: the summary's last line names the reports
// written, JSON on stdout included, or says that none was and how to write
// one.
func TestSummaryNamesTheReports(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.csv")
	for _, c := range []struct {
		args       []string
		stdoutLast string
		stderrLast string
	}{
		{exampleArgs("graph"), "No report file was written: add --out report.xlsx (or .json, .csv) to write one.", ""},
		{append(exampleArgs("graph"), "--out", out), "Report: " + out, ""},
		{append(exampleArgs("graph"), "--out", "-", "--out", out), "}", "Report: JSON on standard output, " + out},
	} {
		code, stdout, stderr := runCmd(t, c.args...)
		last := func(s string) string {
			l := strings.Split(strings.TrimRight(s, "\n"), "\n")
			return l[len(l)-1]
		}
		if code != exitOK || last(stdout) != c.stdoutLast || c.stderrLast != "" && last(stderr) != c.stderrLast {
			t.Errorf("%q: exit %d, last lines %q and %q; want %q and %q", c.args[len(c.args)-1], code, last(stdout), last(stderr), c.stdoutLast, c.stderrLast)
		}
	}
}

// TestNoKindSaidTwice: no message, fix or plan note names an object's kind
// twice ("cloud user user type.mismatch@…"), in the example with either
// tenant.
func TestNoKindSaidTwice(t *testing.T) {
	twice := regexp.MustCompile(`(?i)\b(user|group|contact)s? (user|group|contact)s?\b`)
	for _, graph := range []string{"graph", "graph-strict"} {
		rep := scanJSON(t, exampleArgs(graph)...)
		for _, f := range rep["findings"].([]any) {
			f := f.(map[string]any)
			for _, s := range []string{f["message"].(string), f["fix"].(map[string]any)["text"].(string)} {
				if m := twice.FindString(s); m != "" {
					t.Errorf("%s %s: %q in %q", graph, f["rule"], m, s)
				}
			}
		}
		plan := filepath.Join(t.TempDir(), "plan.csv")
		if code, _, e := runCmd(t, append([]string{"fix"}, append(exampleArgs(graph)[1:], "--out", plan)...)...); code != exitOK {
			t.Fatalf("fix: %s", e)
		}
		b, _ := os.ReadFile(plan)
		if m := twice.FindString(string(b)); m != "" {
			t.Errorf("%s plan: %q", graph, m)
		}
	}
}

// TestGoldenSummary: the terminal summary of the example environment, as
// an admin reads it (testdata/contoso.summary.golden; -update rewrites it).
func TestGoldenSummary(t *testing.T) {
	code, stdout, stderr := runCmd(t, exampleArgs("graph")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.SplitN(stdout, "\n", 2)
	got := "syncready <version> — <date>\n" + lines[1]
	golden := filepath.Join("testdata", "contoso.summary.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			if i >= len(gl) || i >= len(wl) || gl[i] != wl[i] {
				t.Fatalf("the summary differs from %s at line %d (run go test -update if intended):\n got %q\nwant %q", golden, i+1, at(gl, i), at(wl, i))
			}
		}
	}
	// The first top finding of a scan with an admin-role block is that
	// block, with its fix.
	top := got[strings.Index(got, "Top findings:\n")+len("Top findings:\n"):]
	first := strings.SplitN(top, "\n", 4)
	if !strings.Contains(first[0], "admin-") || !strings.HasPrefix(strings.TrimSpace(first[2]), "fix: ") {
		t.Errorf("the first top finding is not an admin-role block with its fix:\n%s", strings.Join(first[:3], "\n"))
	}
}

func at(l []string, i int) string {
	if i < len(l) {
		return l[i]
	}
	return "(end)"
}
