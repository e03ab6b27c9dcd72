package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConfigExampleIsValid(t *testing.T) {
	c, err := parseConfig([]byte(configExample), "example.yaml")
	if err != nil {
		t.Fatalf("the example does not load: %v", err)
	}
	if len(c.Sources.LDAP) != 2 || c.Sources.LDAP[1].PasswordEnv != "SYNCREADY_LDAP_PASSWORD_RESOURCE" || c.FailOn != "error" || len(c.Outputs) != 3 {
		t.Errorf("example read as %+v", c)
	}
	code, out, _ := runCmd(t, "config", "example")
	if code != exitOK || out != configExample {
		t.Error("config example prints the example")
	}
}

func TestConfigErrors(t *testing.T) {
	cases := map[string]string{
		"sources:\n  ldap:\n    - url: ldaps://dc1\n      password: hunter2\n": "x.yaml:4: \"password\" looks like a secret: secrets never live in the config file",
		"sources:\n  graph:\n    clientSecret: abc\n":                          "x.yaml:3: \"clientSecret\" looks like a secret",
		"failOn: error\noutput: [a.json]\n":                                    "x.yaml:2: output is not a setting (did you mean outputs?)",
		"rules:\n  disable: [a]\n  colour: red\n":                              "x.yaml:3: rules.colour is not a setting of rules (its settings: disable, enable, severity)",
		"failon: error\n":            "x.yaml:1: failon is not a setting (did you mean failOn?)",
		"sources:\n  nope: 1\n":      "x.yaml:2: sources.nope is not a setting of sources (its settings: ldif, ldap, graphDir, graph)",
		"sources:\n  ldif: a.ldif\n": "x.yaml:2: sources.ldif: expected a list (one \"- value\" line each, or [a, b]), found \"a.ldif\"",
		"sources:\n  ldap:\n    - url: ldaps://a\n      startTLS: yes please\n": "x.yaml:4: sources.ldap[0].startTLS: expected true or false",
		"outputs:\n  - [a.json]\n":                                                 "x.yaml:2: outputs[0]: expected one value, found a list",
		"sources:\n  ldap:\n    - bindDN: CN=x\n":                                  "sources.ldap[0] has no url",
		"sources:\n  ldap:\n    - url: ldaps://a\n      passwordEnv: PW=hunter2\n": "not its value",
		"failOn: [\n": "not YAML",
	}
	for in, want := range cases {
		_, err := parseConfig([]byte(in), "x.yaml")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: the error repeats the secret", in)
		}
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
			phases[p] = true
		}
	}
	for _, p := range []string{"read LDIF", "read Graph export", "index cloud", "scope", "pair", "rules and reports"} {
		if !phases[p] {
			t.Errorf("log lacks phase %q (%d lines)", p, lines)
		}
	}
	if fi, _ := os.Stat(log); fi.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v", fi.Mode().Perm())
	}
}

// FuzzParseConfig: any bytes give a config or an error in words, never a
// panic; and a secret under a secret-looking key, appended to the input,
// never appears in the error.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(configExample))
	f.Add([]byte("sources:\n  ldif: a.ldif\n"))
	f.Add([]byte("sources:\n  ldap:\n    - url: ldaps://a\n      password: hunter2\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("rules:\n  severity:\n    upn-mismatch: [info]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := parseConfig(b, "fuzz.yaml")
		if err == nil && c == nil {
			t.Fatal("no config and no error")
		}
		if bytes.Contains(b, []byte("s3cr3t")) {
			return
		}
		in := append(append([]byte{}, b...), "\nclientSecret: s3cr3t-value\n"...)
		if _, err := parseConfig(in, "fuzz.yaml"); err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Fatalf("the error repeats the secret: %v", err)
		}
	})
}
