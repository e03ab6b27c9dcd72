package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/syncready/syncready/report/suppress"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// JSON writes the JSON report incrementally: the
// header, then each finding and match as it comes, then summary and
// coverage. Memory stays flat whatever the number of findings.
type JSON struct {
	buf        []byte // reused for each hand-encoded item
	out        sink
	err        error
	section    string // the array being written: findings, matches, resolved
	n          int    // items written in it
	baseline   *Baseline
	suppressed []jsonSuppressed // few: each entry accepts a handful at most
	// findings wait on disk for the reports' order; they are written when
	// the first match (or the end) comes.
	findings *spool
}

// NewJSON returns a JSON writer onto out.
func NewJSON(out sink) *JSON { return &JSON{out: out} }

type jsonSources struct {
	TenantID string   `json:"tenantId,omitempty"`
	Forests  []string `json:"forests"`
	Inputs   []string `json:"inputs"`
	Target   string   `json:"target,omitempty"` // always written; absent in reports older than --target
}

type jsonFix struct {
	Text      string  `json:"text"`
	Attribute string  `json:"attribute,omitempty"`
	From      *string `json:"from,omitempty"`
	To        *string `json:"to,omitempty"`
}

type jsonFinding struct {
	New       *bool    `json:"new,omitempty"`
	Rule      string   `json:"rule"`
	Severity  string   `json:"severity"`
	Side      string   `json:"side"`
	Kind      string   `json:"kind"`
	Object    string   `json:"object"`
	Name      string   `json:"name"` // the object's display name, else its CN, DN or id
	Attribute string   `json:"attribute"`
	Value     string   `json:"value"`
	Message   string   `json:"message"`
	Fix       jsonFix  `json:"fix"`
	Related   []string `json:"related"`
	// RelatedNames are the related objects by UPN or display name.
	RelatedNames []string `json:"relatedNames"`
	Fingerprint  string   `json:"fingerprint"`
	Cause        string   `json:"cause,omitempty"` // absent when no finding causes this one
}

type jsonSuppressed struct {
	jsonFinding
	Suppression *suppress.Entry `json:"suppression"`
}

type jsonBaseline struct {
	File       string         `json:"file"`
	ScannedAt  string         `json:"scannedAt"`
	New        map[string]int `json:"new"`
	Resolved   int            `json:"resolved"`
	Persisting int            `json:"persisting"`
}

type jsonSuppressions struct {
	File       string            `json:"file"`
	Suppressed int               `json:"suppressed"`
	Expired    []*suppress.Entry `json:"expired"`
	Stale      []*suppress.Entry `json:"stale"`
}

type jsonMatch struct {
	OnPrem    string  `json:"onprem"`
	Cloud     *string `json:"cloud"`
	CloudName *string `json:"cloudName"` // its UPN or display name
	Outcome   string  `json:"outcome"`
	Reason    *string `json:"reason"`
}

type jsonSummary struct {
	Objects struct {
		OnPrem map[string]int `json:"onprem"`
		Cloud  map[string]int `json:"cloud"`
	} `json:"objects"`
	Skipped    int            `json:"skipped"`
	OutOfScope map[string]int `json:"outOfScope"`
	Findings   struct {
		Total      int            `json:"total"`
		BySeverity map[string]int `json:"bySeverity"`
		ByRule     map[string]int `json:"byRule"`
	} `json:"findings"`
	Matches struct {
		Total     int            `json:"total"`
		ByOutcome map[string]int `json:"byOutcome"`
		ByReason  map[string]int `json:"byReason"`
	} `json:"matches"`
	Verdict string `json:"verdict"`
	// SyncedToDelete counts the synced-object-orphaned findings.
	SyncedToDelete int               `json:"syncedToDelete"`
	Baseline       *jsonBaseline     `json:"baseline,omitempty"`
	Suppressions   *jsonSuppressions `json:"suppressions,omitempty"`
}

type jsonCoverage struct {
	NotEvaluated []jsonNotEvaluated `json:"notEvaluated"`
	Skipped      []jsonSkipped      `json:"skipped"`
	Assumed      []string           `json:"assumed"`
	// Partial lists what a read left out; each makes the verdict Incomplete.
	Partial []string `json:"partial"`
}

type jsonNotEvaluated struct {
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

type jsonSkipped struct {
	Object string `json:"object"`
	Reason string `json:"reason"`
}

func (j *JSON) write(s string) {
	if j.err == nil {
		_, j.err = j.out.Write([]byte(s))
	}
}

func (j *JSON) value(prefix string, v any) {
	if j.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		j.err = fmt.Errorf("encode JSON report: %w", err)
		return
	}
	j.write(prefix)
	if j.err == nil {
		_, j.err = j.out.Write(b)
	}
}

// Start writes the header fields.
func (j *JSON) Start(h *Header) error {
	src := jsonSources{TenantID: h.Sources.TenantID, Forests: nonNil(h.Sources.Forests), Inputs: nonNil(h.Sources.Inputs), Target: h.Sources.Target.String()}
	j.baseline = h.Baseline
	j.write("{\n")
	j.value(`"schemaVersion":`, SchemaVersion)
	j.value(",\n\"tool\":", h.Tool)
	j.value(",\n\"scannedAt\":", h.ScannedAt.UTC().Format(time.RFC3339))
	j.value(",\n\"sources\":", src)
	j.open("findings")
	return j.err
}

// sections are the report's arrays, in the order they are written.
func (j *JSON) sections() []string {
	if j.baseline != nil {
		return []string{"findings", "matches", "resolved"}
	}
	return []string{"findings", "matches"}
}

func index(l []string, s string) int {
	for i, x := range l {
		if x == s {
			return i
		}
	}
	return -1
}

// open ends the array being written and starts the array name; arrays in
// between are written empty, so each is always there.
func (j *JSON) open(name string) {
	if j.section == name {
		return
	}
	order := j.sections()
	if j.section != "" {
		j.write("\n]")
	}
	for i := index(order, j.section) + 1; i < len(order) && order[i] != name; i++ {
		j.write(",\n\"" + order[i] + "\":[]")
	}
	j.write(",\n\"" + name + "\":[")
	j.section, j.n = name, 0
}

// closeAll ends the array being written and writes the remaining ones
// empty.
func (j *JSON) closeAll() {
	order := j.sections()
	if j.section != "" {
		j.write("\n]")
	}
	for i := index(order, j.section) + 1; i < len(order); i++ {
		j.write(",\n\"" + order[i] + "\":[]")
	}
	j.section = "-"
}

func (j *JSON) item(v any) {
	sep := ",\n"
	if j.n == 0 {
		sep = "\n"
	}
	j.n++
	j.value(sep, v)
}

// raw writes a hand-encoded item from j.buf.
func (j *JSON) raw() { j.raw1(j.buf) }

// raw1 writes a hand-encoded item.
func (j *JSON) raw1(b []byte) {
	if j.err != nil {
		return
	}
	if j.n > 0 {
		j.write(",\n")
	} else {
		j.write("\n")
	}
	j.n++
	if j.err == nil {
		_, j.err = j.out.Write(b)
	}
}

func toJSON(f *rules.Finding) jsonFinding {
	jf := jsonFinding{
		Rule: f.Rule, Severity: f.Severity.String(), Side: f.Side.String(), Kind: f.Kind.String(),
		Object: f.Object, Name: f.Name, Attribute: f.Attribute, Value: f.Value, Message: f.Message,
		Fix:     jsonFix{Text: f.Fix.Text},
		Related: nonNil(f.Related), RelatedNames: relatedNames(f), Fingerprint: f.Fingerprint, Cause: f.Cause,
	}
	if f.Fix.Attribute != "" {
		from, to := f.Fix.From, f.Fix.To
		jf.Fix.Attribute, jf.Fix.From, jf.Fix.To = f.Fix.Attribute, &from, &to
	}
	return jf
}

// Finding writes one finding; a suppressed one is kept for the suppressed
// list.
func (j *JSON) Finding(f *Finding) error {
	if f.Suppressed != nil {
		jf := toJSON(f.Finding)
		jf.New = f.New
		j.suppressed = append(j.suppressed, jsonSuppressed{jf, f.Suppressed})
		return j.err
	}
	if j.findings == nil && j.err == nil {
		if j.findings, j.err = newSpool(); j.err != nil {
			return j.err
		}
	}
	if j.err == nil {
		j.buf = appendFinding(j.buf[:0], f)
		j.err = j.findings.addRaw(f.Finding, j.buf)
	}
	return j.err
}

// writeFindings writes the spooled findings in the reports' order.
func (j *JSON) writeFindings() {
	if j.findings == nil || j.err != nil {
		return
	}
	j.open("findings")
	err := j.findings.sortedRaw(func(b []byte) error {
		j.raw1(b)
		return j.err
	})
	j.findings.close()
	j.findings = nil
	if j.err == nil {
		j.err = err
	}
}

// Match writes one match-plan entry.
func (j *JSON) Match(m *Match) error {
	j.writeFindings()
	j.open("matches")
	j.buf = appendMatch(j.buf[:0], m)
	j.raw()
	return j.err
}

// Resolved writes one finding of the baseline that is gone.
func (j *JSON) Resolved(f *rules.Finding) error {
	j.writeFindings()
	j.open("resolved")
	j.buf = appendFinding(j.buf[:0], &Finding{Finding: f})
	j.raw()
	return j.err
}

// End writes the suppressed findings, summary and coverage and closes the
// document.
func (j *JSON) End(s *Summary, c *scanner.Coverage) error {
	j.writeFindings()
	j.closeAll()
	if s.Suppressions != nil {
		slices.SortStableFunc(j.suppressed, func(a, b jsonSuppressed) int {
			ka := orderKey{sev: severityOf(a.Severity), impact: orderOf(a.Rule).impact, place: orderOf(a.Rule).place, object: a.Object}
			kb := orderKey{sev: severityOf(b.Severity), impact: orderOf(b.Rule).impact, place: orderOf(b.Rule).place, object: b.Object}
			return ka.compare(&kb)
		})
		j.value(",\n\"suppressed\":", nonNil(j.suppressed))
	}
	var js jsonSummary
	js.Objects.OnPrem, js.Objects.Cloud = s.OnPrem, s.Cloud
	js.Skipped, js.OutOfScope = s.Skipped, s.OutOfScope
	js.Findings.BySeverity, js.Findings.ByRule = s.BySeverity, s.ByRule
	for _, n := range s.BySeverity {
		js.Findings.Total += n
	}
	js.Matches.ByOutcome, js.Matches.ByReason = s.ByOutcome, s.ByReason
	for _, n := range s.ByOutcome {
		js.Matches.Total += n
	}
	js.Verdict = s.Verdict()
	js.SyncedToDelete = s.SyncedToDelete
	if b := s.Baseline; b != nil {
		js.Baseline = &jsonBaseline{File: b.File, ScannedAt: b.ScannedAt, New: s.NewBy, Resolved: s.Resolved, Persisting: s.Persisting}
		if js.Baseline.New == nil {
			js.Baseline.New = map[string]int{"error": 0, "warning": 0, "info": 0}
		}
	}
	if l := s.Suppressions; l != nil {
		js.Suppressions = &jsonSuppressions{File: l.File, Suppressed: s.Suppressed, Expired: nonNil(l.Expired()), Stale: nonNil(l.Stale())}
	}
	j.value(",\n\"summary\":", js)
	jc := jsonCoverage{NotEvaluated: []jsonNotEvaluated{}, Skipped: []jsonSkipped{}, Assumed: nonNil(c.Assumed), Partial: nonNil(c.Partial)}
	for _, n := range c.NotEvaluated {
		jc.NotEvaluated = append(jc.NotEvaluated, jsonNotEvaluated{n.Rule, n.Reason})
	}
	for _, k := range c.Skipped {
		jc.Skipped = append(jc.Skipped, jsonSkipped{k.Object, k.Reason})
	}
	j.value(",\n\"coverage\":", jc)
	j.write("\n}\n")
	return j.err
}

// Commit finishes the output.
func (j *JSON) Commit() error {
	if j.err != nil {
		j.out.abort()
		return j.err
	}
	return j.out.commit()
}

// Abort discards the output.
func (j *JSON) Abort() {
	if j.findings != nil {
		j.findings.close()
	}
	j.out.abort()
}

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// relatedNames are a finding's related objects by name, as many as it has
// related objects ("" for one without a name).
func relatedNames(f *rules.Finding) []string {
	out := make([]string, len(f.Related))
	copy(out, f.RelatedNames)
	return out
}

func severityOf(s string) rules.Severity {
	v, _ := rules.ParseSeverity(s)
	return v
}
