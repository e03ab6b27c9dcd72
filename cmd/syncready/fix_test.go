package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFixCommand: the terminal says what the plan holds, like a good
// terraform plan; the exit codes follow the contract.
func TestFixCommand(t *testing.T) {
	dir := t.TempDir()
	args := append(exampleArgs("graph")[1:], "--out", filepath.Join(dir, "plan.csv"), "--out", filepath.Join(dir, "changes.ldif"), "--out", filepath.Join(dir, "whatif.xlsx"))
	code, stdout, stderr := runCmd(t, append([]string{"fix"}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	line := regexp.MustCompile(`^\d+ changes on \d+ objects \(on premises \d+, cloud \d+\); after them: \d+ errors, \d+ warnings; \d+ findings need your decision \(plan rows \d+–\d+\)\n`)
	if !line.MatchString(stdout) || !strings.Contains(stdout, "What-if: Not ready:") {
		t.Errorf("terminal:\n%s", stdout)
	}
	for _, name := range []string{"plan.csv", "changes.ldif", "changes.undo.ldif", "whatif.xlsx"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", name, err, fi)
		}
	}
	if code, _, _ := runCmd(t, append([]string{"fix", "--fail-on", "error"}, args...)...); code != exitFindings {
		t.Errorf("--fail-on error on a what-if with errors: exit %d, want 3", code)
	}

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,action,side,object,name,attribute,operation,from,to,findings,rule,note\nc1,maybe,onprem,CN=x,x,mail,remove,a@b.c,,,,\n"), 0o600)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{append([]string{"fix"}, exampleArgs("graph")[1:]...), exitUsage, "fix needs --out"},
		{append([]string{"fix", "--out", filepath.Join(dir, "r.txt")}, exampleArgs("graph")[1:]...), exitUsage, "a fix writes the plan (.csv)"},
		{append([]string{"fix", "--plan", bad, "--out", filepath.Join(dir, "c2.ldif")}, exampleArgs("graph")[1:]...), exitFailure, bad + ": row 2, column action: \"maybe\": want apply, decide or skip"},
		{append([]string{"fix", "--out", filepath.Join(dir, "p.csv"), "--out", filepath.Join(example, "contoso.ldif")}, exampleArgs("graph")[1:]...), exitUsage, "would replace an input"},
	} {
		code, _, stderr := runCmd(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, want %d with %q: %s", c.args, code, c.code, c.msg, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "c2.ldif")); err == nil {
		t.Error("a file was written from an invalid plan")
	}
}
