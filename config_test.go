package syncready

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigExampleIsValid(t *testing.T) {
	c, err := ParseConfig([]byte(ConfigExample), "example.yaml")
	if err != nil {
		t.Fatalf("the example does not load: %v", err)
	}
	if len(c.Sources.LDAP) != 2 || c.Sources.LDAP[1].PasswordEnv != "SYNCREADY_LDAP_PASSWORD_RESOURCE" || c.FailOn != "error" || len(c.Outputs) != 3 {
		t.Errorf("example read as %+v", c)
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
		"failOn: [\n":                                "not YAML",
		"failOn: eror\n":                             `x.yaml:1: failOn "eror": want error, warning or none (did you mean error?)`,
		"sourceAnchor: objectGUID\n":                 "",
		"sourceAnchor: guid\n":                       `x.yaml:1: sourceAnchor "guid": want auto, ms-ds-consistencyguid or objectguid`,
		"sources:\n  graph:\n    auth: az-cli\n":     `x.yaml:3: sources.graph.auth "az-cli": want device, azcli or managed-identity (did you mean azcli?)`,
		"rules:\n  enable: [blank, duplicate-upm]\n": `x.yaml:2: rules.enable[1]: no rule has the ID "duplicate-upm" (did you mean duplicate-upn?)`,
		"rules:\n  severity:\n    too-long: fatal\n": `x.yaml:3: rules.severity.too-long "fatal": want error, warning or info`,
		"rules:\n  severity:\n    too-lng: info\n":   `x.yaml:3: rules.severity.too-lng: no rule has the ID "too-lng" (did you mean too-long?)`,
	}
	for in, want := range cases {
		_, err := ParseConfig([]byte(in), "x.yaml")
		if want == "" {
			if err != nil {
				t.Errorf("%q: %v, want no error", in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: the error repeats the secret", in)
		}
	}
}

// FuzzParseConfig: any bytes give a config or an error in words, never a
// panic; and a secret under a secret-looking key, appended to the input,
// never appears in the error.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(ConfigExample))
	f.Add([]byte("sources:\n  ldif: a.ldif\n"))
	f.Add([]byte("sources:\n  ldap:\n    - url: ldaps://a\n      password: hunter2\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("rules:\n  severity:\n    upn-mismatch: [info]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b, "fuzz.yaml")
		if err == nil && c == nil {
			t.Fatal("no config and no error")
		}
		if bytes.Contains(b, []byte("s3cr3t")) {
			return
		}
		in := append(append([]byte{}, b...), "\nclientSecret: s3cr3t-value\n"...)
		if _, err := ParseConfig(in, "fuzz.yaml"); err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Fatalf("the error repeats the secret: %v", err)
		}
	})
}

// TestConfigCheckFiles: the files and directories a config names are
// checked; each missing one is named with its line, in line order, and a
// baseline that does not exist yet is fine when its directory does.
func TestConfigCheckFiles(t *testing.T) {
	dir := t.TempDir()
	ldif := filepath.Join(dir, "a.ldif")
	os.WriteFile(ldif, []byte("version: 1\n"), 0o600)
	cases := []struct {
		name, yaml string
		want       []string // lines of the error; none: no error
	}{
		{"all there", "sources:\n  ldif: [" + ldif + "]\n  graphDir: " + dir + "\nbaseline: " + filepath.Join(dir, "latest.json") + "\n", nil},
		{"one LDIF missing", "sources:\n  ldif:\n    - " + ldif + "\n    - " + filepath.Join(dir, "b.ldif") + "\n",
			[]string{"x.yaml: a path it names is missing:", "  line 4: sources.ldif[1]: " + filepath.Join(dir, "b.ldif") + " does not exist"}},
		{"every kind", "suppressions: " + filepath.Join(dir, "s.yaml") + "\nsources:\n  graphDir: " + ldif + "\n  ldap:\n    - url: ldaps://dc1\n      caFile: " + dir +
			"\n  graph:\n    clientCert: " + filepath.Join(dir, "c.pem") + "\nbaseline: " + filepath.Join(dir, "no", "latest.json") + "\n",
			[]string{"x.yaml: 5 paths it names are missing:",
				"  line 1: suppressions: " + filepath.Join(dir, "s.yaml") + " does not exist",
				"  line 3: sources.graphDir: " + ldif + " is not a directory",
				"  line 6: sources.ldap[0].caFile: " + dir + " is a directory, not a file",
				"  line 8: sources.graph.clientCert: " + filepath.Join(dir, "c.pem") + " does not exist",
				"  line 9: baseline: its directory " + filepath.Join(dir, "no") + " does not exist"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(c.yaml), "x.yaml")
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.CheckFiles()
			switch {
			case c.want == nil && err != nil:
				t.Errorf("%v, want no error", err)
			case c.want != nil && (err == nil || err.Error() != strings.Join(c.want, "\n")):
				t.Errorf("got\n%v\nwant\n%s", err, strings.Join(c.want, "\n"))
			}
		})
	}
}
