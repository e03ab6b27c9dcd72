// Package report owns the report writers: one per format (JSON, text
// summary; Excel and CSV follow) behind one small streaming interface. A
// writer receives the scan's header, then findings and matches one at a
// time, then the summary and coverage; it never needs the whole list at once.
// File writers write to a temporary file beside the target and rename it into
// place only when the whole report is written.
package report

import (
	"fmt"
	"time"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// SchemaVersion is the JSON report's schemaVersion.
const SchemaVersion = 1

// Tool names the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Header is what a report says about the scan before its findings.
type Header struct {
	Tool      Tool
	ScannedAt time.Time
	Sources   scanner.Sources
}

// Match is one entry of the match plan as reported.
type Match struct {
	OnPrem  string  // DN
	Cloud   *string // Graph id of the target, also when blocked; nil when none
	Outcome string
	Reason  string // blocked reason code, "" unless blocked
	// For readers of the workbook and terminal, not in the JSON contract:
	Kind        string
	UPN         string
	PrimarySMTP string
	CloudUPN    string
}

// MatchOf builds the reported entry for on-premises object i of snap.
func MatchOf(snap *scanner.Snapshot, plan *scanner.Plan, i int) Match {
	o := &snap.OnPrem[i]
	m := plan.Matches[i]
	e := Match{OnPrem: o.DN, Outcome: m.Outcome().String(), Reason: m.Blocks.String(), Kind: o.Kind.String(), UPN: o.UPN}
	e.PrimarySMTP, _ = o.PrimarySMTP()
	if m.Cloud >= 0 {
		c := &snap.Cloud[m.Cloud]
		e.Cloud, e.CloudUPN = &c.ID, c.UPN
	}
	return e
}

// Handler receives a report as it is produced. Calls come in this order:
// Start once, Finding and Match any number of times (all findings first),
// End once.
type Handler interface {
	Start(h *Header) error
	Finding(f *rules.Finding) error
	Match(m *Match) error
	End(s *Summary, c *scanner.Coverage) error
}

// Writer is a Handler that produces an output: Commit finishes it (for a
// file: renames the temporary file into place), Abort discards it.
type Writer interface {
	Handler
	Commit() error
	Abort()
}

// Summary holds the counts a report ends with.
type Summary struct {
	OnPrem, Cloud   map[string]int // kind -> objects
	Skipped         int
	OutOfScope      map[string]int // not objects of sync, by reason
	BySeverity      map[string]int
	ByRule          map[string]int // every rule that ran, 0 included
	ByOutcome       map[string]int
	ByReason        map[string]int
	Rules           []*rules.Rule // the rules that ran, in catalog order
	HasCloud        bool
	Features        *scanner.Features // the tenant features the plan used; nil without a tenant
	FeaturesAssumed bool
}

// NewSummary starts a summary for a snapshot and the rules that ran.
func NewSummary(snap *scanner.Snapshot, ran []*rules.Rule) *Summary {
	s := &Summary{
		OnPrem:     map[string]int{"user": 0, "group": 0, "contact": 0},
		Cloud:      map[string]int{"user": 0, "group": 0, "contact": 0},
		BySeverity: map[string]int{"error": 0, "warning": 0, "info": 0},
		ByRule:     map[string]int{},
		ByOutcome:  map[string]int{},
		ByReason:   map[string]int{},
		Rules:      ran,
		Skipped:    len(snap.Coverage.Skipped),
		OutOfScope: map[string]int{},
		HasCloud:   snap.HasCloud(),
	}
	for _, r := range ran {
		s.ByRule[r.ID] = 0
	}
	for k, n := range snap.OutOfScope {
		s.OutOfScope[k] = n
	}
	for i := range snap.OnPrem {
		s.OnPrem[snap.OnPrem[i].Kind.String()]++
	}
	for i := range snap.Cloud {
		s.Cloud[snap.Cloud[i].Kind.String()]++
	}
	if snap.HasCloud() {
		for _, o := range scanner.Outcomes {
			s.ByOutcome[o.String()] = 0
		}
		for _, r := range scanner.AllReasons {
			s.ByReason[r.String()] = 0
		}
		f := snap.Tenant.Features
		s.Features = &f
		s.FeaturesAssumed = !snap.Tenant.Known(scanner.FactFeatures)
	}
	return s
}

// SetRules records the rules that ran (evaluated, in catalog order); each
// gets a count in ByRule, 0 included.
func (s *Summary) SetRules(ran []*rules.Rule) {
	s.Rules = ran
	for _, r := range ran {
		s.ByRule[r.ID] += 0
	}
}

// AddFinding counts a finding.
func (s *Summary) AddFinding(f *rules.Finding) {
	s.BySeverity[f.Severity.String()]++
	s.ByRule[f.Rule]++
}

// AddMatch counts a match-plan entry.
func (s *Summary) AddMatch(m *Match) {
	s.ByOutcome[m.Outcome]++
	if m.Reason != "" {
		s.ByReason[m.Reason]++
	}
}

// Verdict is the readiness verdict in one line.
func (s *Summary) Verdict() string {
	e, w := s.BySeverity["error"], s.BySeverity["warning"]
	if e > 0 {
		return fmt.Sprintf("Not ready: %s would fail or misdirect sync; %s", plural(e, "error"), plural(w, "warning"))
	}
	return fmt.Sprintf("Ready: no errors; %s", plural(w, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
