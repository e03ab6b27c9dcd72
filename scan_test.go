package syncready

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
	"github.com/syncready/syncready/scanner/ldif"
)

const example = "examples/contoso"

// memory is a report writer that keeps what it is handed.
type memory struct {
	findings  []report.Finding
	matches   []report.Match
	resolved  []rules.Finding
	summary   *report.Summary
	coverage  scanner.Coverage
	committed bool
}

func (m *memory) Start(*report.Header) error { return nil }
func (m *memory) Finding(f *report.Finding) error {
	c := *f
	ff := *f.Finding
	c.Finding = &ff
	if f.New != nil {
		n := *f.New
		c.New = &n
	}
	m.findings = append(m.findings, c)
	return nil
}
func (m *memory) Match(x *report.Match) error     { m.matches = append(m.matches, *x); return nil }
func (m *memory) Resolved(f *rules.Finding) error { m.resolved = append(m.resolved, *f); return nil }
func (m *memory) End(s *report.Summary, c *scanner.Coverage) error {
	m.summary, m.coverage = s, *c
	return nil
}
func (m *memory) Commit() error { m.committed = true; return nil }
func (m *memory) Abort()        {}

func exampleSources(graph string) []Source {
	s := []Source{
		&ldif.File{Path: filepath.Join(example, "contoso.ldif")},
		&ldif.File{Path: filepath.Join(example, "resource.ldif")},
	}
	if graph != "" {
		s = append(s, &graphdir.Dir{Path: filepath.Join(example, graph)})
	}
	return s
}

func scanMem(t *testing.T, opts Options) (*Result, *memory) {
	t.Helper()
	m := &memory{}
	res, err := Scan(context.Background(), opts, m)
	if err != nil {
		t.Fatal(err)
	}
	if !m.committed {
		t.Fatal("the handler was not committed")
	}
	return res, m
}

// TestScanExample scans the example environment through the engine and
// checks what the handlers receive against the summary.
func TestScanExample(t *testing.T) {
	res, m := scanMem(t, Options{Sources: exampleSources("graph"), FailOn: rules.Error})
	s := res.Summary
	if !strings.HasPrefix(res.Verdict, "Not ready: ") || res.Incomplete || !res.Reached {
		t.Errorf("verdict %q, incomplete %v, reached %v", res.Verdict, res.Incomplete, res.Reached)
	}
	total := 0
	for _, n := range s.BySeverity {
		total += n
	}
	if total == 0 || total != len(m.findings) {
		t.Errorf("summary counts %d findings, the handler got %d", total, len(m.findings))
	}
	inScope := s.OnPrem["user"] + s.OnPrem["group"] + s.OnPrem["contact"]
	if len(m.matches) != inScope {
		t.Errorf("%d matches for %d in-scope objects", len(m.matches), inScope)
	}
	for _, f := range m.findings {
		if f.New != nil || f.Suppressed != nil {
			t.Errorf("without a baseline or suppressions: %+v", f)
		}
	}
	if len(res.Reports) != 0 {
		t.Errorf("no outputs asked for, yet %v", res.Reports)
	}
}

// TestBaselineAndSuppressionMarking: against its own report every finding
// persists; with one input gone its findings are resolved; a suppressed
// finding no longer reaches FailOn.
func TestBaselineAndSuppressionMarking(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.json")
	first, m1 := scanMem(t, Options{Sources: exampleSources("graph"), Outputs: []string{base}})
	if len(first.Reports) != 1 || first.Reports[0] != base {
		t.Fatalf("reports %v", first.Reports)
	}
	_, m2 := scanMem(t, Options{Sources: exampleSources("graph"), Baseline: base})
	for _, f := range m2.findings {
		if f.New == nil || *f.New {
			t.Fatalf("a finding of the same scan is new: %+v", f.Finding)
		}
	}
	if m2.summary.Persisting != len(m1.findings) || m2.summary.Resolved != 0 || len(m2.resolved) != 0 {
		t.Errorf("persisting %d of %d, resolved %d", m2.summary.Persisting, len(m1.findings), m2.summary.Resolved)
	}
	onlyContoso := []Source{&ldif.File{Path: filepath.Join(example, "contoso.ldif")}, &graphdir.Dir{Path: filepath.Join(example, "graph")}}
	_, m3 := scanMem(t, Options{Sources: onlyContoso, Baseline: base})
	if m3.summary.Resolved == 0 || len(m3.resolved) != m3.summary.Resolved {
		t.Errorf("resolved %d, handed %d", m3.summary.Resolved, len(m3.resolved))
	}

	// Suppress every error of the first scan: FailOn error is then not
	// reached, and the suppressed findings are counted apart.
	sup := filepath.Join(dir, "sup.yaml")
	var b strings.Builder
	errs := 0
	for _, f := range m1.findings {
		if f.Severity == rules.Error {
			errs++
			b.WriteString("- fingerprint: " + f.Fingerprint + "\n  reason: accepted\n  owner: jane@contoso.com\n  expires: 2099-12-31\n")
		}
	}
	if err := os.WriteFile(sup, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	res, m4 := scanMem(t, Options{Sources: exampleSources("graph"), Suppressions: sup, FailOn: rules.Error, Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if res.Reached || res.Summary.Suppressed != errs || res.Summary.BySeverity["error"] != 0 {
		t.Errorf("reached %v, suppressed %d of %d errors, errors counted %d", res.Reached, res.Summary.Suppressed, errs, res.Summary.BySeverity["error"])
	}
	n := 0
	for _, f := range m4.findings {
		if f.Suppressed != nil {
			n++
		}
	}
	if n != errs {
		t.Errorf("%d findings handed as suppressed, want %d", n, errs)
	}
}

// TestVerdictAndFailOn: the verdict's first word and the fail-on decision
// for complete and incomplete scans.
func TestVerdictAndFailOn(t *testing.T) {
	contoso := &ldif.File{Path: filepath.Join(example, "contoso.ldif")}
	for _, c := range []struct {
		name       string
		sources    []Source
		failOn     rules.Severity
		disable    []string
		word       string
		reached    bool
		incomplete bool
	}{
		{"both sides, errors", exampleSources("graph"), rules.Error, nil, "Not ready:", true, false},
		{"AD only, errors", []Source{contoso}, rules.Error, nil, "Not ready:", true, true},
		{"AD only, errors below fail-on", []Source{contoso}, rules.Error, errorRules(), "Incomplete:", false, true},
		{"cloud only", []Source{&graphdir.Dir{Path: filepath.Join(example, "graph")}}, rules.Warning, nil, "Incomplete:", false, true},
		{"both sides, no fail-on", exampleSources("graph"), 0, nil, "Not ready:", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, _ := scanMem(t, Options{Sources: c.sources, FailOn: c.failOn, Rules: rules.Config{Disable: c.disable}})
			if !strings.HasPrefix(res.Verdict, c.word) || res.Reached != c.reached || res.Incomplete != c.incomplete {
				t.Errorf("verdict %q, reached %v, incomplete %v", res.Verdict, res.Reached, res.Incomplete)
			}
		})
	}
}

// errorRules are the rules whose default severity is error.
func errorRules() []string {
	var ids []string
	for _, r := range rules.All() {
		if r.Severity == rules.Error {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// TestOptionsErrors: mistakes in the options are OptionsErrors, before
// anything is read.
func TestOptionsErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		opts Options
		msg  string
	}{
		{"no source", Options{}, "at least one side"},
		{"two tenants", Options{Sources: []Source{&graphdir.Dir{Path: "a"}, &graphdir.Dir{Path: "b"}}}, "one tenant"},
		{"unknown rule", Options{Sources: exampleSources(""), Rules: rules.Config{Disable: []string{"nope"}}}, `unknown rule "nope"`},
		{"unknown placeholder", Options{Sources: exampleSources(""), Outputs: []string{"r-{when}.json"}}, "unknown placeholder {when}"},
		{"report over an input", Options{Sources: exampleSources(""), Outputs: []string{filepath.Join(example, "contoso.ldif") + "/../contoso.ldif"}}, "would replace an input"},
		{"report into the folder a live read saves to", Options{Sources: exampleSources(""), Inputs: []string{"saved" + string(filepath.Separator)},
			Outputs: []string{filepath.Join("saved", "users.json")}}, "would replace an input"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Scan(context.Background(), c.opts)
			oe, ok := err.(*OptionsError)
			if !ok || !strings.Contains(oe.Msg, c.msg) {
				t.Errorf("%v (%T), want an OptionsError with %q", err, err, c.msg)
			}
		})
	}
}

// TestUnknownDomainVerification: a domains.json without isVerified and no
// organization list: the domain's suffixes are not judged (no
// upn-suffix-unverified on a domain that may well be verified), and the
// verdict is Incomplete, naming the gap.
func TestUnknownDomainVerification(t *testing.T) {
	dir := t.TempDir()
	graph := filepath.Join(dir, "graph")
	os.Mkdir(graph, 0o700)
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(graph, "users.json"), `{"value":[{"id":"00000000-0000-0000-0000-000000000001","userPrincipalName":"bob@contoso.onmicrosoft.com"}]}`)
	write(filepath.Join(graph, "domains.json"), `{"value":[{"id":"contoso.com"},{"id":"contoso.onmicrosoft.com","isInitial":true}]}`)
	ldifPath := filepath.Join(dir, "a.ldif")
	write(ldifPath, "dn: CN=Ann,OU=Staff,DC=contoso,DC=com\nobjectClass: user\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\nsAMAccountName: ann\ndisplayName: Ann\nuserPrincipalName: ann@contoso.com\nmail: ann@contoso.com\nproxyAddresses: SMTP:ann@contoso.com\n")
	res, m := scanMem(t, Options{Sources: []Source{&ldif.File{Path: ldifPath}, &graphdir.Dir{Path: graph}}})
	for _, f := range m.findings {
		if f.Rule == "upn-suffix-unverified" || f.Rule == "proxy-domain-unverified" {
			t.Errorf("judged a domain whose verification is not known: %s %s", f.Rule, f.Message)
		}
	}
	if !res.Incomplete || !strings.Contains(strings.Join(m.coverage.Partial, "\n"), "isVerified is missing for contoso.com") {
		t.Errorf("verdict %q, partial %q", res.Verdict, m.coverage.Partial)
	}
}
