package report

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// part is one top-level key of a hand-made report, with its raw value.
type part struct{ key, value string }

const (
	fpA = "0123456789abcdef0123456789abcdef"
	fpB = "fedcba9876543210fedcba9876543210"
)

func finding(fp string) string {
	return `{"rule":"missing-upn","severity":"warning","side":"onprem","kind":"user","object":"CN=a","attribute":"userPrincipalName","value":"","message":"m","fix":{"text":"t"},"related":[],"fingerprint":"` + fp + `"}`
}

// reportParts are the keys of a report of a scan that read a tenant.
func reportParts() []part {
	return []part{
		{"schemaVersion", "1"},
		{"tool", `{"name":"syncready","version":"test"}`},
		{"scannedAt", `"2026-11-23T08:00:00Z"`},
		{"sources", `{"tenantId":"tid","forests":["a.ldif"],"inputs":["a.ldif"]}`},
		{"findings", "[" + finding(fpA) + "," + finding(fpB) + "]"},
		{"matches", `[{"onprem":"CN=a","cloud":null,"outcome":"provision","reason":null}]`},
		{"summary", `{"objects":{"onprem":{"user":1},"cloud":{"user":0}},"findings":{"total":2},"matches":{"total":1,"byOutcome":{"provision":1,"blocked":0},"byReason":{}},"verdict":"Ready"}`},
		{"coverage", `{"notEvaluated":[],"skipped":[],"assumed":[]}`},
	}
}

func join(ps []part) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i, p := range ps {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`"` + p.key + `":` + p.value)
	}
	b.WriteString("\n}\n")
	return b.String()
}

func without(ps []part, key string) []part {
	var out []part
	for _, p := range ps {
		if p.key != key {
			out = append(out, p)
		}
	}
	return out
}

func with(ps []part, key, value string) []part {
	out := append([]part(nil), ps...)
	for i := range out {
		if out[i].key == key {
			out[i].value = value
			return out
		}
	}
	return append(out, part{key, value})
}

// noTenant makes the parts those of a scan of Active Directory alone.
func noTenant(ps []part) []part {
	ps = with(ps, "sources", `{"forests":["a.ldif"],"inputs":["a.ldif"]}`)
	return with(ps, "summary", `{"objects":{"onprem":{"user":1},"cloud":{"user":0}},"findings":{"total":2},"matches":{"total":0,"byOutcome":{},"byReason":{}},"verdict":"Ready"}`)
}

// TestReportsTheReadersRefuse: diff and --baseline refuse a report that
// lacks a key they depend on, has a key twice, is cut short or followed by
// more, or lists a fingerprint twice, with an error naming the file and
// what is wrong; a report without matches because no tenant was read, or
// with its keys in another order, is valid.
func TestReportsTheReadersRefuse(t *testing.T) {
	base := reportParts()
	cases := []struct {
		name string
		doc  string
		want []string // "" : valid
	}{
		{"complete", join(base), nil},
		{"keys in another order", join(append(base[4:], base[:4]...)), nil},
		{"no tenant, no matches", join(without(noTenant(base), "matches")), nil},
		{"no findings", join(without(base, "findings")), []string{`no "findings"`, "look resolved"}},
		{"no findings, no tenant", join(without(noTenant(base), "findings")), []string{`no "findings"`}},
		{"no schemaVersion", join(without(base, "schemaVersion")), []string{"no schemaVersion"}},
		{"no tool", join(without(base, "tool")), []string{`no "tool"`}},
		{"no scannedAt", join(without(base, "scannedAt")), []string{`no "scannedAt"`}},
		{"no sources", join(without(base, "sources")), []string{`no "sources"`}},
		{"no summary", join(without(base, "summary")), []string{`no "summary"`}},
		{"tenant read, no matches", join(without(base, "matches")), []string{`no "matches"`, "a tenant was read"}},
		{"tenant known by its outcomes only, no matches", join(without(with(base, "sources", `{"forests":[],"inputs":[]}`), "matches")), []string{`no "matches"`}},
		{"summary null", join(with(base, "summary", "null")), []string{"summary: expected a JSON object"}},
		{"tool a string", join(with(base, "tool", `"syncready"`)), []string{"tool: expected {name, version}"}},
		{"findings null", join(with(base, "findings", "null")), []string{"findings: expected an array"}},
		{"findings twice", join(append(base, part{"findings", "[]"})), []string{`the key "findings" appears twice`}},
		{"cut short", strings.TrimSuffix(join(base), "\n}\n"), []string{"cut short"}},
		{"a second report after it", join(base) + join(base), []string{"more follows"}},
		{"a fingerprint twice", join(with(base, "findings", "["+finding(fpA)+","+finding(fpB)+","+finding(fpA)+"]")),
			[]string{"fingerprint " + fpA + " appears twice", "$.findings[0]", "$.findings[2]"}},
		{"a fingerprint in findings and suppressed", join(append(base, part{"suppressed", "[" + finding(fpB) + "]"})),
			[]string{"fingerprint " + fpB + " appears twice", "$.findings[1]", "$.suppressed[0]"}},
		{"one fingerprint in two spellings", join(with(base, "findings", "["+finding(fpA)+","+finding(strings.ToUpper(fpA))+"]")),
			[]string{"appears twice", "$.findings[0]", "$.findings[1]"}},
	}
	dir := t.TempDir()
	other := filepath.Join(dir, "other.json")
	if err := os.WriteFile(other, []byte(join(base)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".json")
			if err := os.WriteFile(path, []byte(c.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			_, loadErr := LoadFingerprints(path)
			_, diffErr := Diff(context.Background(), other, path, nil)
			_, diffOldErr := Diff(context.Background(), path, other, nil)
			for what, err := range map[string]error{"--baseline": loadErr, "diff (new)": diffErr, "diff (old)": diffOldErr} {
				switch {
				case c.want == nil && err != nil:
					t.Errorf("%s: a valid report refused: %v", what, err)
				case c.want != nil && err == nil:
					t.Errorf("%s: accepted, want an error saying %q", what, c.want)
				case c.want != nil:
					if !strings.HasPrefix(err.Error(), path+":") {
						t.Errorf("%s: the error does not start with the file: %v", what, err)
					}
					for _, w := range c.want {
						if !strings.Contains(err.Error(), w) {
							t.Errorf("%s: %v, want it to say %q", what, err, w)
						}
					}
				}
			}
		})
	}
}

// TestWrittenReportsAreRead: what the JSON writer writes, with or without a
// tenant and with no finding at all, is a report the readers accept.
func TestWrittenReportsAreRead(t *testing.T) {
	dir := t.TempDir()
	fs := []rules.Finding{{Rule: "missing-upn", Severity: rules.Warning, Side: scanner.OnPremSide, Kind: scanner.KindUser, Object: "CN=a", Fingerprint: fpA, Related: []string{}}}
	id := "c-1"
	for _, c := range []struct {
		name     string
		tenant   bool
		findings []rules.Finding
		matches  []Match
	}{
		{"no tenant", false, fs, nil},
		{"no tenant, no findings", false, nil, nil},
		{"tenant", true, fs, []Match{{OnPrem: "CN=a", Cloud: &id, Outcome: "hard-match"}}},
		{"tenant, nothing in scope", true, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap := sampleSnap()
			if c.tenant {
				snap.Tenant = &scanner.Tenant{}
			}
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".json")
			w, err := Create(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			write(t, w, snap, c.findings, c.matches)
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			b, err := LoadFingerprints(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.findings) > 0 && !b.Has(fpA) {
				t.Error("the finding was not read")
			}
			if _, err := Diff(context.Background(), path, path, nil); err != nil {
				t.Error(err)
			}
		})
	}
}

// FuzzReadReport: any file given to diff or --baseline gives a report or an
// error naming the file, never a panic; a report that loads has every
// fingerprint once.
func FuzzReadReport(f *testing.F) {
	base := reportParts()
	for _, doc := range []string{
		join(base), join(without(noTenant(base), "matches")), join(without(base, "findings")),
		join(with(base, "findings", "["+finding(fpA)+","+finding(fpA)+"]")),
		join(append(base, part{"suppressed", "[" + finding(fpB) + "]"})),
		join(with(base, "summary", "null")), "{\n\"schemaVersion\":1,\n\"findings\": [oops]\n}",
		"", "{", "[]", "null", `{"schemaVersion":"1"}`, join(base) + "{}", "\ufeff" + join(base),
	} {
		f.Add([]byte(doc))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, doc []byte) {
		path := filepath.Join(dir, "r.json")
		if err := os.WriteFile(path, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		fps := map[string]int{}
		_, err := ReadReport(path, ReadOptions{
			Finding:    func(f *rules.Finding) error { fps[f.Fingerprint]++; return nil },
			Suppressed: func(f *rules.Finding) error { return nil },
			Match:      func(m *Match) error { return nil },
		})
		if err != nil && !strings.HasPrefix(err.Error(), path) {
			t.Fatalf("the error does not name the file: %v", err)
		}
		b, err := LoadFingerprints(path)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path) {
				t.Fatalf("the error does not name the file: %v", err)
			}
			return
		}
		for fp, n := range fps {
			if !b.Has(fp) || n > 1 {
				t.Fatalf("loaded, but fingerprint %q is there %d times", fp, n)
			}
		}
		_ = b.EachResolved(func(*rules.Finding) error { return nil })
	})
}
