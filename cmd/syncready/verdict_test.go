package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHonestVerdict: a scan never says Ready on nothing, on one side, or on
// the same objects read twice, and --fail-on notices an Incomplete scan.
func TestHonestVerdict(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	clean := file("clean.ldif", "dn: CN=Ann,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\n"+
		"sAMAccountName: ann\ndisplayName: Ann\ngivenName: Ann\nsn: Lee\nuserPrincipalName: ann@contoso.com\nmail: ann@contoso.com\nproxyAddresses: SMTP:ann@contoso.com\n")
	copied := file("copy.ldif", mustRead(t, clean))
	link := filepath.Join(dir, "link.ldif")
	if err := os.Symlink(clean, link); err != nil {
		t.Fatal(err)
	}
	contoso := filepath.Join(example, "contoso.ldif")
	graph := filepath.Join(example, "graph")

	cases := []struct {
		name string
		args []string
		code int
		msg  string // in stdout or stderr
	}{
		{"AD only, no errors", []string{"scan", "--ldif", clean}, exitOK,
			"Incomplete: no errors on premises; the tenant was not read, 12 rules not evaluated"},
		{"AD only, fail-on error", []string{"scan", "--ldif", clean, "--fail-on", "error"}, exitIncomplete, "Incomplete:"},
		{"AD only, fail-on warning", []string{"scan", "--ldif", clean, "--fail-on", "warning"}, exitIncomplete, "Incomplete:"},
		{"cloud only, fail-on error", []string{"scan", "--graph-dir", graph, "--fail-on", "error"}, exitIncomplete,
			"Incomplete: no errors in the tenant; Active Directory was not read"},
		{"errors still exit 3", []string{"scan", "--ldif", contoso, "--fail-on", "error"}, exitFindings, "Not ready:"},
		{"the same file twice", []string{"scan", "--ldif", clean, "--ldif", clean}, exitFailure, "are the same file"},
		{"the same file through a link", []string{"scan", "--ldif", clean, "--ldif", link}, exitFailure, "link.ldif are the same file"},
		{"the same objects in two files", []string{"scan", "--ldif", clean, "--ldif", copied}, exitFailure,
			"objectGUID 03020100-0504-0706-0809-0a0b0c0d0e0f is read twice: CN=Ann,OU=Staff,DC=contoso,DC=com (" + clean + ", line 1) and CN=Ann,OU=Staff,DC=contoso,DC=com (" + copied + ", line 1)"},
		{"an empty LDIF", []string{"scan", "--ldif", file("empty.ldif", "")}, exitFailure, "empty.ldif holds no users, groups or contacts"},
		{"comments only", []string{"scan", "--ldif", file("comments.ldif", "# nothing here\n# at all\n")}, exitFailure, "holds no users, groups or contacts"},
		{"version only", []string{"scan", "--ldif", file("version.ldif", "version: 1\n\n")}, exitFailure, "holds no users, groups or contacts"},
		{"an empty LDIF beside a good one", []string{"scan", "--ldif", clean, "--ldif", filepath.Join(dir, "empty.ldif")}, exitFailure, "empty.ldif holds no"},
		{"an OU filter that matches nothing", []string{"scan", "--ldif", contoso, "--include-ou", "OU=SyncPilot,DC=contoso,DC=com"}, exitFailure,
			"on-premises objects are in scope: --include-ou OU=SyncPilot,DC=contoso,DC=com matched no object"},
		{"everything excluded", []string{"scan", "--ldif", clean, "--exclude-ou", "DC=contoso,DC=com"}, exitFailure,
			"0 of 1 on-premises objects are in scope: 1 under --exclude-ou dc=contoso,dc=com"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, c.msg) {
				t.Errorf("want %q in the output\nstdout: %s\nstderr: %s", c.msg, stdout, stderr)
			}
			if code == exitFailure && strings.Contains(stdout, "Ready") {
				t.Errorf("a failed scan printed a verdict: %s", stdout)
			}
		})
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOutputsNeverReplaceInputs: a report or log file never takes the place
// of an input, and a placeholder only ever fills in a safe file name.
func TestOutputsNeverReplaceInputs(t *testing.T) {
	dir := t.TempDir()
	graph := filepath.Join(dir, "graph")
	if err := os.CopyFS(graph, os.DirFS(filepath.Join(example, "graph"))); err != nil {
		t.Fatal(err)
	}
	ldif := filepath.Join(dir, "contoso.ldif")
	if err := os.WriteFile(ldif, []byte(mustRead(t, filepath.Join(example, "contoso.ldif"))), 0o600); err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(graph, "users.json")
	before, ldifBefore := mustRead(t, users), mustRead(t, ldif)
	base := []string{"scan", "--ldif", ldif, "--graph-dir", graph}
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"out over an export file", []string{"--out", users}, "would replace an input of the scan"},
		{"out over an export file, another spelling", []string{"--out", graph + "/./users.json"}, "would replace an input of the scan"},
		{"out over the LDIF", []string{"--out", filepath.Join(dir, "contoso.ldif") + ".json", "--out", ldif + ""}, "unknown report format"},
		{"out over a role members file", []string{"--out", filepath.Join(graph, "roleGroupMembers", "x.json")}, "would replace an input of the scan"},
		{"log over the LDIF", []string{"--log-file", ldif}, "--log-file " + ldif + " would replace an input of the scan"},
		{"log over a report", []string{"--out", filepath.Join(dir, "r.json"), "--log-file", filepath.Join(dir, "r.json")}, "is also the --log-file"},
		{"unknown placeholder", []string{"--out", filepath.Join(dir, "r-{nope}.json")}, "unknown placeholder {nope}"},
		{"unknown placeholder in the log", []string{"--log-file", filepath.Join(dir, "{Date}.log")}, "unknown placeholder {Date}"},
		{"log over the export", []string{"--log-file", users}, "would replace an input of the scan"},
		{"the tenant in the log's name", []string{"--log-file", filepath.Join(dir, "{tenant}.log")}, "cannot hold {tenant}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, append(base, c.args...)...)
			if code != exitUsage || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d, want %d with %q; stderr: %s", code, exitUsage, c.msg, stderr)
			}
			if mustRead(t, users) != before || mustRead(t, ldif) != ldifBefore {
				t.Fatal("an input was changed (the log was opened before it was refused?)")
			}
		})
	}

	// {tenant} comes from organization.json: an id that is not a GUID is
	// refused, and nothing is written outside the folder.
	org := filepath.Join(graph, "organization.json")
	if err := os.WriteFile(org, []byte(`{"value":[{"id":"../victim","displayName":"Contoso","verifiedDomains":[]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	reports := filepath.Join(dir, "reports")
	code, _, stderr := runCmd(t, append(base, "--out", filepath.Join(reports, "{tenant}.json"))...)
	if code != exitFailure || !strings.Contains(stderr, `the tenant id "../victim" is not a GUID`) {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "victim.json")); err == nil {
		t.Error("a report was written outside its folder")
	}
}

// TestInterruptedRunSaysSo: a run stopped by a signal says it was
// interrupted and that no report was written, and leaves no report.
func TestInterruptedRunSaysSo(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(interrupted{os.Interrupt})
	out := filepath.Join(dir, "r.json")
	var o, e strings.Builder
	code := run(ctx, append(exampleArgs("graph"), "--out", out), &o, &e)
	if code != exitFailure || e.String() != "syncready: interrupted (interrupt); no report was written\n" {
		t.Errorf("exit %d, stderr %q", code, e.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestLogFileDateAndDiffInputs: {date} is filled into the log's name, and
// diff never writes over one of the two reports it compares.
func TestLogFileDateAndDiffInputs(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "r.json")
	args := append(exampleArgs("graph"), "--out", report, "--log-file", filepath.Join(dir, "scan-{date}.log"))
	if code, _, e := runCmd(t, args...); code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "scan-2*.log"))
	if len(logs) != 1 {
		entries, _ := os.ReadDir(dir)
		t.Errorf("the log's {date} was not filled in: %v", entries)
	}
	before := mustRead(t, report)
	code, _, e := runCmd(t, "diff", report, report, "--out", report)
	if code != exitUsage || !strings.Contains(e, "would replace the input") || mustRead(t, report) != before {
		t.Errorf("diff over its input: exit %d: %s", code, e)
	}
}
