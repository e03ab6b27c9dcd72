package report

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// JSON writes the JSON report (DESIGN.md, JSON report) incrementally: the
// header, then each finding and match as it comes, then summary and
// coverage. Memory stays flat whatever the number of findings.
type JSON struct {
	out     sink
	err     error
	nFind   int
	nMatch  int
	inFind  bool
	inMatch bool
	scratch []byte
}

// NewJSON returns a JSON writer onto out.
func NewJSON(out sink) *JSON { return &JSON{out: out} }

type jsonSources struct {
	TenantID string   `json:"tenantId,omitempty"`
	Forests  []string `json:"forests"`
	Inputs   []string `json:"inputs"`
}

type jsonFix struct {
	Text      string  `json:"text"`
	Attribute string  `json:"attribute,omitempty"`
	From      *string `json:"from,omitempty"`
	To        *string `json:"to,omitempty"`
}

type jsonFinding struct {
	Rule        string   `json:"rule"`
	Severity    string   `json:"severity"`
	Side        string   `json:"side"`
	Kind        string   `json:"kind"`
	Object      string   `json:"object"`
	Attribute   string   `json:"attribute"`
	Value       string   `json:"value"`
	Message     string   `json:"message"`
	Fix         jsonFix  `json:"fix"`
	Related     []string `json:"related"`
	Fingerprint string   `json:"fingerprint"`
}

type jsonMatch struct {
	OnPrem  string  `json:"onprem"`
	Cloud   *string `json:"cloud"`
	Outcome string  `json:"outcome"`
	Reason  *string `json:"reason"`
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
}

type jsonCoverage struct {
	NotEvaluated []jsonNotEvaluated `json:"notEvaluated"`
	Skipped      []jsonSkipped      `json:"skipped"`
	Assumed      []string           `json:"assumed"`
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
	src := jsonSources{TenantID: h.Sources.TenantID, Forests: nonNil(h.Sources.Forests), Inputs: nonNil(h.Sources.Inputs)}
	j.write("{\n")
	j.value(`"schemaVersion":`, SchemaVersion)
	j.value(",\n\"tool\":", h.Tool)
	j.value(",\n\"scannedAt\":", h.ScannedAt.UTC().Format(time.RFC3339))
	j.value(",\n\"sources\":", src)
	j.write(",\n\"findings\":[")
	j.inFind = true
	return j.err
}

// Finding writes one finding.
func (j *JSON) Finding(f *rules.Finding) error {
	jf := jsonFinding{
		Rule: f.Rule, Severity: f.Severity.String(), Side: f.Side.String(), Kind: f.Kind.String(),
		Object: f.Object, Attribute: f.Attribute, Value: f.Value, Message: f.Message,
		Fix:     jsonFix{Text: f.Fix.Text},
		Related: nonNil(f.Related), Fingerprint: f.Fingerprint,
	}
	if f.Fix.Attribute != "" {
		from, to := f.Fix.From, f.Fix.To
		jf.Fix.Attribute, jf.Fix.From, jf.Fix.To = f.Fix.Attribute, &from, &to
	}
	sep := ",\n"
	if j.nFind == 0 {
		sep = "\n"
	}
	j.nFind++
	j.value(sep, jf)
	return j.err
}

// Match writes one match-plan entry.
func (j *JSON) Match(m *Match) error {
	if j.inFind {
		j.write("\n],\n\"matches\":[")
		j.inFind, j.inMatch = false, true
	}
	jm := jsonMatch{OnPrem: m.OnPrem, Cloud: m.Cloud, Outcome: m.Outcome}
	if m.Reason != "" {
		r := m.Reason
		jm.Reason = &r
	}
	sep := ",\n"
	if j.nMatch == 0 {
		sep = "\n"
	}
	j.nMatch++
	j.value(sep, jm)
	return j.err
}

// End writes summary and coverage and closes the document.
func (j *JSON) End(s *Summary, c *scanner.Coverage) error {
	if j.inFind {
		j.write("\n],\n\"matches\":[")
	}
	j.write("\n]")
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
	j.value(",\n\"summary\":", js)
	jc := jsonCoverage{NotEvaluated: []jsonNotEvaluated{}, Skipped: []jsonSkipped{}, Assumed: nonNil(c.Assumed)}
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
func (j *JSON) Abort() { j.out.abort() }

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}
