package suppress

import (
	"strings"
	"testing"
	"time"

	"github.com/syncready/syncready/rules"
)

var known = []string{"duplicate-upn", "missing-upn"}

var today = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func TestParseErrorsNameTheLine(t *testing.T) {
	cases := map[string]string{
		"- rule: missing-upn\n  object: CN=a\n  reason: r\n  owner: o\n  expires: 2027-01-01\n  color: red\n": `:6: unknown key "color"`,
		"- rule: missing-upn\n  object: CN=a\n  owner: o\n  expires: 2027-01-01\n":                            ":1: an entry needs a reason",
		"- rule: missing-upn\n  object: CN=a\n  reason: r\n  expires: 2027-01-01\n":                           ":1: an entry needs an owner",
		"- rule: missing-upn\n  object: CN=a\n  reason: r\n  owner: o\n":                                      ":1: an entry needs expires",
		"- rule: missing-upn\n  object: CN=a\n  reason: r\n  owner: o\n  expires: next week\n":                ":1: expires \"next week\": want a date",
		"- rule: no-such-rule\n  object: CN=a\n  reason: r\n  owner: o\n  expires: 2027-01-01\n":              `:1: unknown rule "no-such-rule"`,
		"- rule: missing-upn\n  reason: r\n  owner: o\n  expires: 2027-01-01\n":                               "needs an object (DN or Graph id) or a fingerprint",
		"rule: missing-upn\n": ":1: expected a list of entries",
		"- [a, b\n":           "not YAML",
		"- just a string\n":   ":1: expected an entry",
	}
	for in, want := range cases {
		_, err := Parse(strings.NewReader(in), "s.yaml", known, today)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "s.yaml") {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func TestMatchExpiryAndStale(t *testing.T) {
	in := `
- rule: missing-upn
  object: "CN=Ann Lee, OU=Staff,DC=contoso,DC=com"
  reason: leaving
  owner: ops
  expires: 2026-11-23
- fingerprint: FFEEDDCCBBAA99887766554433221100
  reason: accepted
  owner: ops
  expires: 2027-06-30
- rule: duplicate-upn
  object: CN=Bob,DC=contoso,DC=com
  reason: old
  owner: ops
  expires: 2026-11-22
- object: CN=Nobody,DC=contoso,DC=com
  reason: stale
  owner: ops
  expires: 2027-01-01
`
	l, err := Parse(strings.NewReader(in), "s.yaml", known, today)
	if err != nil {
		t.Fatal(err)
	}
	ann := &rules.Finding{Rule: "missing-upn", Object: "cn=ann lee,ou=staff,dc=contoso,dc=com", Fingerprint: "x"}
	if e := l.Match(ann); e == nil || e.Line != 2 {
		t.Errorf("an entry expiring today still suppresses, and DNs compare without case or spaces: %v", e)
	}
	if e := l.Match(&rules.Finding{Rule: "duplicate-upn", Object: "CN=Ann Lee,OU=Staff,DC=contoso,DC=com"}); e != nil {
		t.Error("an entry for one rule suppressed another")
	}
	if e := l.Match(&rules.Finding{Rule: "duplicate-upn", Object: "CN=x", Fingerprint: "ffeeddccbbaa99887766554433221100"}); e == nil || e.Line != 7 {
		t.Error("a fingerprint entry did not match")
	}
	if e := l.Match(&rules.Finding{Rule: "duplicate-upn", Object: "CN=Bob,DC=contoso,DC=com"}); e != nil {
		t.Error("an expired entry still suppresses")
	}
	if ex := l.Expired(); len(ex) != 1 || ex[0].Line != 11 {
		t.Errorf("expired %+v", *ex[0])
	}
	if st := l.Stale(); len(st) != 1 || st[0].Line != 16 {
		t.Errorf("stale %+v", *st[0])
	}
}

// FuzzParse: any file gives a list or an error naming the file, never a
// panic; every entry of a list has what check requires, and matching a
// finding against it does not fail either.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"- rule: missing-upn\n  object: CN=a\n  reason: r\n  owner: o\n  expires: 2027-01-01\n",
		"- fingerprint: FFEEDDCCBBAA99887766554433221100\n  reason: accepted\n  owner: ops\n  expires: 2026-11-22\n",
		"- rule: missing-upn\n  object: \"CN=Ann Lee, OU=Staff,DC=contoso,DC=com\"\n  reason: leaving\n  owner: ops\n  expires: 2026-11-23\n",
		"- rule: missing-upn\n  object: CN=a\n  reason: r\n  owner: o\n  expires: 2027-01-01\n  color: red\n",
		"rule: missing-upn\n", "- [a, b\n", "- just a string\n", "- &a [*a]\n", "--- \n...\n", "- object: !!binary AAAA\n",
		"- {rule: missing-upn, object: 'CN=x', reason: r, owner: o, expires: 2027-13-45}\n",
		"- rule: missing-upn\n  object: CN=a\\,b+c=d\n  reason: \"\\xff\"\n  owner: o\n  expires: 2027-01-01\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		l, err := Parse(strings.NewReader(in), "s.yaml", known, today)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "s.yaml") {
				t.Fatalf("the error does not name the file: %v", err)
			}
			return
		}
		for _, e := range l.Entries {
			if strings.TrimSpace(e.Reason) == "" || strings.TrimSpace(e.Owner) == "" || e.Expires == "" || e.Object == "" && e.Fingerprint == "" {
				t.Fatalf("an incomplete entry was accepted: %+v", e)
			}
		}
		l.Match(&rules.Finding{Rule: "missing-upn", Object: "CN=a", Fingerprint: "ffeeddccbbaa99887766554433221100"})
		l.Expired()
		l.Stale()
	})
}

func TestDecodeErrorsNameTheirLine(t *testing.T) {
	in := "- rule: missing-upn\n  object: [a, b]\n  reason: r\n  owner: o\n  expires: 2027-01-01\n"
	_, err := Parse(strings.NewReader(in), "s.yaml", known, today)
	if err == nil || err.Error() != "s.yaml:2: cannot unmarshal !!seq into string" {
		t.Errorf("%v, want the line of the value that is not a string, in one line", err)
	}
}
