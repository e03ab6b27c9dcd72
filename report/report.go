// Package report owns what a scan shows people: the report writers, one
// per format (JSON, the Excel workbook, CSV, the terminal summary) behind
// one small streaming interface, the diff of two reports, the rule catalog
// as text, and the progress bars on a terminal. A writer receives the
// scan's header, then findings and matches one at a time, then the summary
// and coverage; it never needs the whole list at once. Every report lists
// findings in one order (order.go). File writers write to a temporary file
// beside the target and the files of a run are put in place together, only
// when all of them are complete.
package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/syncready/syncready/report/suppress"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// SyncedObjectOrphaned is the rule whose findings are the synced objects
// the next sync cycle would delete (summary.syncedToDelete).
const SyncedObjectOrphaned = "synced-object-orphaned"

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
	// Baseline is the earlier report the scan is compared with, nil when
	// none: findings then carry New, and Resolved lists what went away.
	Baseline *Baseline
}

// Baseline names an earlier report.
type Baseline struct {
	File      string
	ScannedAt string
	TenantID  string
}

// Finding is a rule's finding with what the baseline and the suppressions
// say of it.
type Finding struct {
	*rules.Finding
	// New is nil without a baseline; else whether the baseline lacked it.
	New *bool
	// Suppressed is the entry that accepts the finding, or nil.
	Suppressed *suppress.Entry
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
	// CloudName is the target's UPN (users) or display name.
	CloudName string
}

// MatchOf builds the reported entry for on-premises object i of snap.
func MatchOf(snap *scanner.Snapshot, plan *scanner.Plan, i int) Match {
	o := &snap.OnPrem[i]
	m := plan.Matches[i]
	e := Match{OnPrem: o.DN, Outcome: m.Outcome().String(), Reason: m.Blocks.String(), Kind: o.Kind.String(), UPN: o.UPN}
	e.PrimarySMTP, _ = o.PrimarySMTP()
	if m.Cloud >= 0 {
		c := &snap.Cloud[m.Cloud]
		e.Cloud, e.CloudUPN, e.CloudName = &c.ID, c.UPN, rules.CloudName(c)
	}
	return e
}

// Handler receives a report as it is produced. Calls come in this order:
// Start once; Finding, then Match, then Resolved any number of times; End
// once. What a call is handed (the *Finding and the rules.Finding in it,
// the *Match) is valid only during the call: the caller reuses it, so a
// handler that keeps it must copy it.
type Handler interface {
	Start(h *Header) error
	Finding(f *Finding) error
	Match(m *Match) error
	// Resolved receives each finding of the baseline that this scan no
	// longer has.
	Resolved(f *rules.Finding) error
	End(s *Summary, c *scanner.Coverage) error
}

// Writer is a Handler that produces an output: Commit finishes it (for a
// file: renames the temporary file into place), Abort discards it.
type Writer interface {
	Handler
	Commit() error
	Abort()
}

// Planner is a writer that writes the match plan by itself, straight from
// the snapshot and the plan, beside the rules instead of after them (the
// workbook's million-row sheet). Plan is called after Start and before any
// finding; when it returns true the writer gets no Match calls. snap and
// plan are only read, by both sides, until End.
type Planner interface {
	Plan(snap *scanner.Snapshot, plan *scanner.Plan) bool
}

// Summary holds the counts a report ends with.
type Summary struct {
	OnPrem, Cloud map[string]int // kind -> objects
	Skipped       int
	OutOfScope    map[string]int // not objects of sync, by reason
	BySeverity    map[string]int
	ByRule        map[string]int // every rule that ran, 0 included
	ByOutcome     map[string]int
	ByReason      map[string]int
	Rules         []*rules.Rule // the rules that ran, in catalog order
	HasCloud      bool
	// HasOnPrem says an on-premises source was read.
	HasOnPrem bool
	// TenantName and TenantDomain are the organization's display name and
	// its initial (onmicrosoft.com) domain, "" when not read; ForestDomains
	// are, for each of Sources.Forests, the DNS domains of its objects.
	TenantName, TenantDomain string
	ForestDomains            [][]string
	// coverage is the scan's coverage, complete by the time End is called:
	// the verdict names what it lacks.
	coverage        *scanner.Coverage
	Features        *scanner.Features // the tenant features the plan used; nil without a tenant
	FeaturesAssumed bool

	// With a baseline: new findings per severity, and how many were
	// resolved and persist.
	Baseline   *Baseline
	NewBy      map[string]int
	Resolved   int
	Persisting int
	// With suppressions: how many findings were suppressed, and the entries
	// that expired or matched nothing.
	Suppressions *suppress.List
	Suppressed   int

	// Synced counts the cloud objects with onPremisesSyncEnabled true;
	// SyncedToDelete the synced-object-orphaned findings (not suppressed):
	// synced users the next sync cycle deletes.
	Synced, SyncedToDelete int
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
		HasOnPrem:  len(snap.Sources.Forests) > 0,
		coverage:   &snap.Coverage,
	}
	if t := snap.Tenant; t != nil {
		s.TenantName, s.TenantDomain = t.DisplayName, t.InitialDomain()
	}
	s.ForestDomains = forestDomains(snap)
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
		if snap.Cloud[i].SyncEnabled {
			s.Synced++
		}
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

// AddFinding counts a finding: a suppressed one only as suppressed.
func (s *Summary) AddFinding(f *Finding) {
	if f.Suppressed != nil {
		s.Suppressed++
		return
	}
	s.BySeverity[f.Severity.String()]++
	s.ByRule[f.Rule]++
	if f.Rule == SyncedObjectOrphaned {
		s.SyncedToDelete++
	}
	if f.New != nil {
		if s.NewBy == nil {
			s.NewBy = map[string]int{"error": 0, "warning": 0, "info": 0}
		}
		if *f.New {
			s.NewBy[f.Severity.String()]++
		} else {
			s.Persisting++
		}
	}
}

// BaselineLine says what changed since the baseline, in one line.
func (s *Summary) BaselineLine() string {
	b := s.Baseline
	if b == nil {
		return ""
	}
	since := b.ScannedAt
	if len(since) >= 10 {
		since = since[:10]
	}
	return fmt.Sprintf("%s, %d resolved, %d persisting since %s (%s)", newLine(s.NewBy), s.Resolved, s.Persisting, since, b.File)
}

// newLine says "3 new errors, 1 new warning" (or "no new findings").
func newLine(by map[string]int) string {
	var parts []string
	for _, sev := range rules.Severities {
		if n := by[sev.String()]; n > 0 {
			parts = append(parts, plural(n, "new "+sev.String()))
		}
	}
	if len(parts) == 0 {
		return "no new findings"
	}
	return strings.Join(parts, ", ")
}

// SuppressionLine says what the suppressions did, in one line.
func (s *Summary) SuppressionLine() string {
	l := s.Suppressions
	if l == nil {
		return ""
	}
	return fmt.Sprintf("%s suppressed by %s; %d expired, %d stale", plural(s.Suppressed, "finding"), l.File, len(l.Expired()), len(l.Stale()))
}

// NewTotal is the number of new findings.
func (s *Summary) NewTotal() int {
	n := 0
	for _, v := range s.NewBy {
		n += v
	}
	return n
}

// AddMatch counts a match-plan entry.
func (s *Summary) AddMatch(m *Match) { s.AddOutcome(m.Outcome, m.Reason) }

// AddOutcome counts a match-plan entry by its outcome and blocked reason.
func (s *Summary) AddOutcome(outcome, reason string) {
	s.ByOutcome[outcome]++
	if reason != "" {
		s.ByReason[reason]++
	}
}

// Missing says what the scan did not cover, in the verdict's words: a side
// not read, rules not evaluated, gaps in what was read, tenant features
// assumed. Objects skipped by the sync rules' own exclusions are not
// missing: the service would not sync them either.
func (s *Summary) Missing() []string {
	var m []string
	if !s.HasOnPrem {
		m = append(m, "Active Directory was not read")
	}
	if !s.HasCloud {
		m = append(m, "the tenant was not read")
	}
	if c := s.coverage; c != nil {
		if n := len(c.NotEvaluated); n > 0 {
			m = append(m, plural(n, "rule")+" not evaluated")
		}
		if n := len(c.Partial); n > 0 {
			m = append(m, plural(n, "gap")+" in what was read (see coverage)")
		}
	}
	if s.HasCloud && s.FeaturesAssumed {
		m = append(m, "the tenant's sync features were assumed")
	}
	return m
}

// Incomplete reports whether the verdict is Incomplete (or Not ready and
// incomplete): something the prediction needs was not read.
func (s *Summary) Incomplete() bool { return len(s.Missing()) > 0 }

// Verdict is the readiness verdict in one line. It starts with Ready, Not
// ready or Incomplete, and names what is missing.
func (s *Summary) Verdict() string {
	e, w := s.BySeverity["error"], s.BySeverity["warning"]
	missing := strings.Join(s.Missing(), ", ")
	if e > 0 {
		v := fmt.Sprintf("Not ready: %s would fail or misdirect sync; %s", plural(e, "error"), plural(w, "warning"))
		if missing != "" {
			v += "; incomplete: " + missing
		}
		return v
	}
	if missing != "" {
		where := ""
		switch {
		case s.HasOnPrem && !s.HasCloud:
			where = " on premises"
		case s.HasCloud && !s.HasOnPrem:
			where = " in the tenant"
		}
		warn := ""
		if w > 0 {
			warn = "; " + plural(w, "warning")
		}
		return fmt.Sprintf("Incomplete: no errors%s%s; %s", where, warn, missing)
	}
	return fmt.Sprintf("Ready: no errors; %s", plural(w, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
