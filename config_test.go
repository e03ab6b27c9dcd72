package syncready

import (
	"bytes"
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
		"failOn: [\n": "not YAML",
	}
	for in, want := range cases {
		_, err := ParseConfig([]byte(in), "x.yaml")
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
