package report

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// TestDiffText: the terminal diff lists up to 20 new and resolved findings
// and outcome changes, each by name (or DN when the report has none), and
// counts the rest; every count is singular or plural as it should be.
func TestDiffText(t *testing.T) {
	cloud, name := "c-1", "adele@contoso.com"
	change := MatchChange{OnPrem: "CN=Adele,DC=x", Old: MatchState{Outcome: "provision"}, New: MatchState{Outcome: "soft-match-upn", Cloud: &cloud, CloudName: &name}}
	for _, c := range []struct {
		name                  string
		newN, resolvedN, chgN int
		want, notWant         []string
	}{
		{"nothing changed", 0, 0, 0,
			[]string{"no new findings, 0 resolved, 0 persisting since 2026-11-24", "new:        0 errors, 0 warnings, 0 info", "Match plan: 0 objects changed outcome"},
			[]string{"New findings", "Resolved findings", "more"}},
		{"one of each", 1, 1, 1,
			[]string{"1 new warning, 1 resolved", "new:        0 errors, 1 warning, 0 info", "New findings (1):\n  warning  missing-upn  User 0\n",
				"Resolved findings (1):\n  warning  missing-upn  CN=Old 0,DC=x\n", "Match plan: 1 object changed outcome\n  CN=Adele,DC=x: provision → soft-match-upn, cloud adele@contoso.com\n"},
			[]string{"more"}},
		{"twenty are listed", 20, 2, 0,
			[]string{"20 new warnings, 2 resolved", "New findings (20):", "User 19\n", "Resolved findings (2):"},
			[]string{"more", "User 20"}},
		{"the rest are counted", 25, 23, 22,
			[]string{"New findings (25):", "User 19\n  … and 5 more", "Resolved findings (23):", "CN=Old 19,DC=x\n  … and 3 more", "Match plan: 22 objects changed outcome", "  … and 2 more (see the diff report"},
			[]string{"User 20", "CN=Old 20"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			w := NewDiffText(&out)
			d := &DiffSummary{From: Info{ScannedAt: "2026-11-24T07:00:00Z"}, New: counts(), Resolved: counts(), Persisting: counts(), MatchChanges: c.chgN}
			_ = w.Start(d)
			for i := range c.newN {
				d.New["warning"]++
				_ = w.New(&rules.Finding{Rule: "missing-upn", Severity: rules.Warning, Object: fmt.Sprintf("CN=User %d,DC=x", i), Name: fmt.Sprintf("User %d", i)})
			}
			for i := range c.resolvedN {
				d.Resolved["warning"]++
				_ = w.Resolved(&rules.Finding{Rule: "missing-upn", Severity: rules.Warning, Object: fmt.Sprintf("CN=Old %d,DC=x", i)})
			}
			for range c.chgN {
				_ = w.MatchChange(&change)
			}
			if err := w.End(d); err != nil {
				t.Fatal(err)
			}
			if out.Len() != 0 {
				t.Error("printed before Commit")
			}
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			for _, s := range c.want {
				if !strings.Contains(out.String(), s) {
					t.Errorf("lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range c.notWant {
				if strings.Contains(out.String(), s) {
					t.Errorf("has %q:\n%s", s, out.String())
				}
			}
		})
	}
}

// TestMatchChangeWords: the cloud object is named once when it is the same
// in both states, and by id when the report has no name for it.
func TestMatchChangeWords(t *testing.T) {
	id, other, name, reason := "c-1", "c-2", "asm@contoso.onmicrosoft.com", "admin-role"
	for _, c := range []struct {
		old, new MatchState
		want     string
	}{
		{MatchState{Outcome: "blocked", Reason: &reason, Cloud: &id, CloudName: &name}, MatchState{Outcome: "soft-match-smtp", Cloud: &id, CloudName: &name},
			"blocked (admin-role) → soft-match-smtp, cloud asm@contoso.onmicrosoft.com"},
		{MatchState{Outcome: "hard-match", Cloud: &id}, MatchState{Outcome: "hard-match", Cloud: &other},
			"hard-match, cloud c-1 → hard-match, cloud c-2"},
		{MatchState{Outcome: "soft-match-smtp", Cloud: &id, CloudName: &name}, MatchState{Outcome: "provision"},
			"soft-match-smtp, cloud asm@contoso.onmicrosoft.com → provision"},
	} {
		mc := MatchChange{Old: c.old, New: c.new}
		if got := mc.words(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

// diffMemory is a DiffWriter that keeps what it is handed.
type diffMemory struct {
	newF, resolved []rules.Finding
	changes        []MatchChange
}

func (m *diffMemory) Start(*DiffSummary) error        { return nil }
func (m *diffMemory) New(f *rules.Finding) error      { m.newF = append(m.newF, *f); return nil }
func (m *diffMemory) Persisting(*rules.Finding) error { return nil }
func (m *diffMemory) Resolved(f *rules.Finding) error {
	m.resolved = append(m.resolved, *f)
	return nil
}
func (m *diffMemory) MatchChange(c *MatchChange) error { m.changes = append(m.changes, *c); return nil }
func (m *diffMemory) End(*DiffSummary) error           { return nil }
func (m *diffMemory) Commit() error                    { return nil }
func (m *diffMemory) Abort()                           {}

// TestDiffReadsNames: the names a report writes beside ids (the object's
// name, the related objects' names, the cloud object's name in the match
// plan) come back to the diff's writers.
func TestDiffReadsNames(t *testing.T) {
	dir := t.TempDir()
	id := "c-1"
	report := func(name string, findings []rules.Finding, matches []Match) string {
		snap := sampleSnap()
		snap.Tenant = &scanner.Tenant{}
		path := filepath.Join(dir, name)
		w, err := Create(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		write(t, w, snap, findings, matches)
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	f := rules.Finding{Rule: "duplicate-upn", Severity: rules.Error, Side: scanner.OnPremSide, Kind: scanner.KindUser, Object: "CN=a,DC=x", Name: "Adele Vance",
		Related: []string{id}, RelatedNames: []string{"adele@contoso.com"}, Fingerprint: fpA}
	old := report("old.json", nil, []Match{{OnPrem: "CN=a,DC=x", Outcome: "provision"}})
	cur := report("new.json", []rules.Finding{f}, []Match{{OnPrem: "CN=a,DC=x", Cloud: &id, CloudName: "adele@contoso.com", Outcome: "soft-match-upn"}})
	var m diffMemory
	if _, err := Diff(context.Background(), old, cur, []DiffWriter{&m}); err != nil {
		t.Fatal(err)
	}
	if len(m.newF) != 1 || m.newF[0].Name != "Adele Vance" || !slices.Equal(m.newF[0].RelatedNames, f.RelatedNames) {
		t.Errorf("new findings %+v", m.newF)
	}
	if len(m.changes) != 1 || m.changes[0].New.CloudName == nil || *m.changes[0].New.CloudName != "adele@contoso.com" {
		t.Fatalf("changes %+v", m.changes)
	}
	if got := m.changes[0].words(); got != "provision → soft-match-upn, cloud adele@contoso.com" {
		t.Errorf("change in words %q", got)
	}
	// The other way round the finding is resolved, still by name.
	m = diffMemory{}
	if _, err := Diff(context.Background(), cur, old, []DiffWriter{&m}); err != nil {
		t.Fatal(err)
	}
	if len(m.resolved) != 1 || m.resolved[0].Name != "Adele Vance" {
		t.Errorf("resolved %+v", m.resolved)
	}
}
