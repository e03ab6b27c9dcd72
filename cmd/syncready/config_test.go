package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/syncready/syncready"
)

func TestConfigExampleCommand(t *testing.T) {
	code, out, _ := runCmd(t, "config", "example")
	if code != exitOK || out != syncready.ConfigExample {
		t.Error("config example prints the example")
	}
}

// TestConfigDrivenScan runs a scan from a config file with dated outputs
// and a log file, and checks that a flag overrides the file.
func TestConfigDrivenScan(t *testing.T) {
	dir := t.TempDir()
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	cfg := filepath.Join(dir, "syncready.yaml")
	log := filepath.Join(dir, "log", "scan.log")
	os.WriteFile(cfg, []byte(`
sources:
  ldif:
    - `+abs(filepath.Join(example, "contoso.ldif"))+`
    - `+abs(filepath.Join(example, "resource.ldif"))+`
  graphDir: `+abs(filepath.Join(example, "graph"))+`
rules:
  severity:
    upn-mismatch: info
outputs:
  - `+dir+`/reports/{tenant}/syncready-{date}.json
  - `+dir+`/reports/latest.json
failOn: error
logFile: `+log+`
`), 0o600)
	code, _, e := runCmd(t, "scan", "--config", cfg)
	if code != exitFindings {
		t.Fatalf("failOn from the config: exit %d, want 3: %s", code, e)
	}
	dated := filepath.Join(dir, "reports", "8d2a4c71-3f5e-4b9a-a6d0-2c7e91f4b358", "syncready-"+time.Now().Format("2006-01-02")+".json")
	b, err := os.ReadFile(dated)
	if err != nil {
		t.Fatalf("dated report: %v", err)
	}
	var rep struct {
		Findings []struct{ Rule, Severity string }
	}
	json.Unmarshal(b, &rep)
	for _, f := range rep.Findings {
		if f.Rule == "upn-mismatch" && f.Severity != "info" {
			t.Errorf("severity override from the config not applied: %+v", f)
		}
	}
	// A flag overrides the file; the baseline is the report it writes over.
	code, _, e = runCmd(t, "scan", "--config", cfg, "--fail-on", "none", "--baseline", filepath.Join(dir, "reports", "latest.json"))
	if code != exitOK {
		t.Errorf("--fail-on none over failOn: error: exit %d: %s", code, e)
	}
	lf, err := os.Open(log)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	phases, lines := map[string]bool{}, 0
	sc := bufio.NewScanner(lf)
	for sc.Scan() {
		lines++
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("log line is not JSON: %s", sc.Text())
		}
		if p, ok := l["phase"].(string); ok {
			if in, ok := l["input"].(string); ok {
				p += " " + filepath.Base(in)
			}
			phases[p] = true
		}
	}
	for _, p := range []string{"read contoso.ldif", "read resource.ldif", "read users.json", "index cloud", "scope", "pair", "rules and reports"} {
		if !phases[p] {
			t.Errorf("log lacks phase %q (%d lines)", p, lines)
		}
	}
	if fi, _ := os.Stat(log); fi.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v", fi.Mode().Perm())
	}
}

// TestHelpCommand: "syncready help COMMAND" prints what "COMMAND --help"
// prints, for every command; "help" alone prints the command list.
func TestHelpCommand(t *testing.T) {
	for _, cmd := range []string{"scan", "fix", "explain", "diff", "export", "rules", "config", "generate"} {
		code, want, _ := runCmd(t, cmd, "--help")
		gotCode, got, _ := runCmd(t, "help", cmd)
		if code != exitOK || gotCode != exitOK || got != want || !strings.Contains(got, "Usage: syncready "+cmd) {
			t.Errorf("help %s: exit %d, %d bytes; %s --help: exit %d, %d bytes", cmd, gotCode, len(got), cmd, code, len(want))
		}
	}
	if _, out, _ := runCmd(t, "help"); !strings.Contains(out, "syncready explain NAME") {
		t.Errorf("help: %s", out)
	}
	if code, _, e := runCmd(t, "help", "scna"); code != exitUsage || !strings.Contains(e, `unknown command "scna"`) {
		t.Errorf("help scna: %d %s", code, e)
	}
}

// TestRulesNamed: rules with IDs prints those rules only, in the order
// given.
func TestRulesNamed(t *testing.T) {
	_, all, _ := runCmd(t, "rules", "-doc")
	code, out, e := runCmd(t, "rules", "-doc", "too-long", "duplicate-upn")
	if code != exitOK {
		t.Fatal(e)
	}
	if !strings.HasPrefix(out, "too-long (error)") || !strings.Contains(out, "\n\nduplicate-upn (error)") || strings.Contains(out, "duplicate-proxy-address (") || len(out) >= len(all)/4 {
		t.Errorf("rules -doc too-long duplicate-upn:\n%s", out)
	}
	if _, out, _ := runCmd(t, "rules", "blank"); strings.Count(out, "\n") != 2 {
		t.Errorf("rules blank: %q", out)
	}
}

// TestConfigCheck: config check passes a config whose files exist, names
// each missing one with its line (exit 1), and refuses a wrong setting with
// its line (exit 2); scan refuses the same setting the same way.
func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs(filepath.Join(example, "contoso.ldif"))
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	good := write("good.yaml", "sources:\n  ldif: ["+abs+"]\nbaseline: "+filepath.Join(dir, "latest.json")+"\n")
	missing := write("missing.yaml", "sources:\n  ldif:\n    - "+abs+"\n    - "+filepath.Join(dir, "gone.ldif")+"\n  graphDir: "+filepath.Join(dir, "graph")+"\n")
	wrong := write("wrong.yaml", "sources:\n  ldif: ["+abs+"]\nfailon: error\n")
	tls := write("tls.yaml", "sources:\n  ldap:\n    - url: ldaps://dc1\n    - url: ldaps://dc2\n      startTLS: true\n")
	cases := []struct {
		args   []string
		code   int
		stdout string
		stderr []string
	}{
		{[]string{"config", "check", good}, exitOK, good + ": ok", nil},
		{[]string{"config", "check", missing}, exitFailure, "", []string{"missing.yaml: 2 paths it names are missing:",
			"line 4: sources.ldif[1]: " + filepath.Join(dir, "gone.ldif") + " does not exist", "line 5: sources.graphDir: " + filepath.Join(dir, "graph") + " does not exist"}},
		{[]string{"config", "check", wrong}, exitUsage, "", []string{"wrong.yaml:3: failon is not a setting (did you mean failOn?)"}},
		{[]string{"scan", "--config", wrong}, exitUsage, "", []string{"wrong.yaml:3: failon is not a setting (did you mean failOn?)"}},
		{[]string{"scan", "--config", tls}, exitUsage, "", []string{"tls.yaml:4: sources.ldap[1]: url ldaps://dc2: startTLS is for ldap:// URLs"}},
	}
	for _, c := range cases {
		code, out, e := runCmd(t, c.args...)
		if code != c.code || !strings.Contains(out, c.stdout) {
			t.Errorf("%q: exit %d, stdout %q; want %d, %q (stderr %s)", c.args, code, out, c.code, c.stdout, e)
		}
		for _, s := range c.stderr {
			if !strings.Contains(e, s) {
				t.Errorf("%q: stderr %q lacks %q", c.args, e, s)
			}
		}
	}
}

// TestFlagHelpReadsRight: in every command's help, a flag that takes a
// value shows a placeholder in capitals (not Go's "string", nor the flag's
// own name), and no flag says its default twice.
func TestFlagHelpReadsRight(t *testing.T) {
	flagLine := regexp.MustCompile(`^  -([a-z-]+)(?: (\S+))?$`)
	placeholder := regexp.MustCompile(`^[A-Z][A-Z0-9_]*(=[A-Z]+)?$`)
	for _, cmd := range []string{"scan", "fix", "explain", "diff", "export", "rules", "generate"} {
		_, out, _ := runCmd(t, cmd, "--help")
		lines := strings.Split(out, "\n")
		n := 0
		for i, l := range lines {
			m := flagLine.FindStringSubmatch(l)
			if m == nil || i+1 == len(lines) {
				continue
			}
			n++
			name, ph, usage := m[1], m[2], lines[i+1]
			if ph != "" && !placeholder.MatchString(ph) {
				t.Errorf("%s --%s: placeholder %q (back-quote a word in capitals in the usage)", cmd, name, ph)
			}
			if strings.Count(usage, "(default") > 1 {
				t.Errorf("%s --%s says its default twice: %s", cmd, name, strings.TrimSpace(usage))
			}
		}
		if n == 0 {
			t.Errorf("%s --help lists no flags:\n%s", cmd, out)
		}
	}
}
