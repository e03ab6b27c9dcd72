package report

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// topN is how many findings the terminal summary shows.
const topN = 10

// Text writes the human summary for the terminal: the verdict, counts per
// severity and per rule, the most severe findings, the match plan totals and
// what was not covered. It keeps only the top findings in memory.
type Text struct {
	w       io.Writer
	header  Header
	top     []topFinding // the best few, in the reports' order
	total   int          // findings that are not suppressed
	outputs []string
	out     string // the summary, written by Commit
}

// topFinding is a finding kept for the top of the summary.
type topFinding struct {
	f     rules.Finding
	isNew bool
	key   orderKey
}

// before says whether a comes before b at the top: by severity, new ones
// first when there is a baseline, then in the reports' order.
func (a *topFinding) before(b *topFinding) bool {
	if a.key.sev != b.key.sev {
		return a.key.sev > b.key.sev
	}
	if a.isNew != b.isNew {
		return a.isNew
	}
	return a.key.compare(&b.key) < 0
}

// topKeep is how many candidates are kept: more than are shown, since a
// finding whose cause is shown is left out.
const topKeep = 3 * topN

// NewText returns a terminal summary writer onto w; outputs names the
// reports written, for the last line (none: the line says that no report
// file was written, and how to write one).
func NewText(w io.Writer, outputs []string) *Text { return &Text{w: w, outputs: outputs} }

// Start remembers the header.
func (t *Text) Start(h *Header) error { t.header = *h; return nil }

// Finding keeps the finding if it is among the best few so far
// (suppressed ones not at all).
func (t *Text) Finding(f *Finding) error {
	if f.Suppressed != nil {
		return nil
	}
	t.total++
	c := topFinding{key: keyOf(f.Finding), isNew: f.New != nil && *f.New}
	if len(t.top) == topKeep && !c.before(&t.top[topKeep-1]) {
		return nil
	}
	c.f = *f.Finding
	c.f.Related, c.f.RelatedNames = slices.Clone(c.f.Related), slices.Clone(c.f.RelatedNames)
	c.key.object = c.f.Object
	i := sort.Search(len(t.top), func(i int) bool { return c.before(&t.top[i]) })
	if len(t.top) < topKeep {
		t.top = append(t.top, topFinding{})
	}
	copy(t.top[i+1:], t.top[i:len(t.top)-1])
	t.top[i] = c
	return nil
}

// Match does nothing: the summary has the totals.
func (t *Text) Match(*Match) error { return nil }

// Plan says the summary takes no match-plan entries (it has the totals), so
// none need be built for it.
func (t *Text) Plan(*scanner.Snapshot, *scanner.Plan) bool { return true }

// Resolved does nothing: the summary has the count.
func (t *Text) Resolved(*rules.Finding) error { return nil }

// End prints the summary.
func (t *Text) End(s *Summary, c *scanner.Coverage) error {
	var b strings.Builder
	h := &t.header
	fmt.Fprintf(&b, "%s %s — %s\n", h.Tool.Name, h.Tool.Version, h.ScannedAt.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "Prediction for %s (--target %s)\n", h.Sources.Target.Product(), h.Sources.Target)
	fmt.Fprintf(&b, "On premises: %s", kinds(s.OnPrem))
	if s.Skipped > 0 {
		fmt.Fprintf(&b, "; %d skipped by the default sync rules' exclusions", s.Skipped)
	}
	if len(s.OutOfScope) > 0 {
		var l []string
		for _, k := range sortedKeys(s.OutOfScope) {
			l = append(l, fmt.Sprintf("%s (%d)", k, s.OutOfScope[k]))
		}
		fmt.Fprintf(&b, "; not objects of sync: %s", strings.Join(l, ", "))
	}
	b.WriteString("\n")
	if s.HasCloud {
		var names []string
		for _, n := range []string{s.TenantName, s.TenantDomain} {
			if n != "" {
				names = append(names, n)
			}
		}
		if h.Sources.TenantID != "" {
			names = append(names, "tenant "+h.Sources.TenantID)
		}
		tenant := ""
		if len(names) > 0 {
			tenant = " (" + strings.Join(names, ", ") + ")"
		}
		fmt.Fprintf(&b, "Cloud%s: %s\n", tenant, kinds(s.Cloud))
		if s.Synced > 0 {
			fmt.Fprintf(&b, "Synced objects that would be deleted: %d of %d synced\n", s.SyncedToDelete, s.Synced)
		}
	} else {
		b.WriteString("Cloud: not read — cross-side rules and the match plan need --graph-dir or a live tenant\n")
	}
	fmt.Fprintf(&b, "\n%s\n", s.Verdict())
	if s.Baseline != nil {
		fmt.Fprintf(&b, "%s\n", s.BaselineLine())
	}
	if l := s.Suppressions; l != nil {
		fmt.Fprintf(&b, "%s\n", s.SuppressionLine())
		for _, e := range l.Expired() {
			fmt.Fprintf(&b, "  expired suppression (%s:%d, owner %s, expired %s): no longer suppresses %s%s\n", l.File, e.Line, e.Owner, e.Expires, e.Object, e.Fingerprint)
		}
		for _, e := range l.Stale() {
			fmt.Fprintf(&b, "  stale suppression (%s:%d, owner %s): matched no finding of %s%s\n", l.File, e.Line, e.Owner, e.Object, e.Fingerprint)
		}
	}
	fmt.Fprintf(&b, "Findings: %d error, %d warning, %d info\n", s.BySeverity["error"], s.BySeverity["warning"], s.BySeverity["info"])
	for _, r := range s.Rules {
		if n := s.ByRule[r.ID]; n > 0 {
			fmt.Fprintf(&b, "  %-28s %6d  %s\n", r.ID, n, r.Title)
		}
	}
	t.writeTop(&b)
	if s.HasCloud {
		b.WriteString("\nMatch plan: ")
		var parts []string
		for _, o := range scanner.Outcomes {
			parts = append(parts, fmt.Sprintf("%d %s", s.ByOutcome[o.String()], o))
		}
		b.WriteString(strings.Join(parts, ", "))
		var reasons []string
		for _, r := range scanner.AllReasons {
			if n := s.ByReason[r.String()]; n > 0 {
				reasons = append(reasons, fmt.Sprintf("%d %s", n, r))
			}
		}
		if len(reasons) > 0 {
			b.WriteString(" (" + strings.Join(reasons, ", ") + ")")
		}
		b.WriteString("\n")
		if f := s.Features; f != nil {
			assumed := ""
			if s.FeaturesAssumed {
				assumed = " (assumed: not read)"
			}
			fmt.Fprintf(&b, "Tenant sync features%s: soft match on UPN %s, block soft match %s, block hard-match takeover %s\n",
				assumed, onOff(f.SoftMatchOnUPN), onOff(f.BlockSoftMatch), onOff(f.BlockHardMatchTakeover))
		}
	}
	if len(c.NotEvaluated) > 0 || len(c.Assumed) > 0 || len(c.Partial) > 0 {
		b.WriteString("\nCoverage:\n")
		for _, n := range c.NotEvaluated {
			fmt.Fprintf(&b, "  not evaluated: %s — %s\n", n.Rule, n.Reason)
		}
		for _, p := range c.Partial {
			fmt.Fprintf(&b, "  not read: %s\n", p)
		}
		for _, a := range c.Assumed {
			fmt.Fprintf(&b, "  assumed: %s\n", a)
		}
	}
	if len(t.outputs) > 0 {
		fmt.Fprintf(&b, "\nReport: %s\n", strings.Join(t.outputs, ", "))
	} else {
		b.WriteString("\nNo report file was written: add --out report.xlsx (or .json, .csv) to write one.\n")
	}
	t.out = b.String()
	return nil
}

// Commit prints the summary: after the report files are in place, so that
// its last line names only reports that exist.
func (t *Text) Commit() error {
	_, err := io.WriteString(t.w, t.out)
	t.out = ""
	return err
}

// Abort prints nothing: the error says what happened.
func (t *Text) Abort() { t.out = "" }

func kinds(m map[string]int) string {
	return fmt.Sprintf("%s, %s, %s", plural(m["user"], "user"), plural(m["group"], "group"), plural(m["contact"], "contact"))
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// writeTop writes the top findings, each with its fix on one line; a
// finding whose cause is shown is left out (its cause's fix resolves it),
// and the rest is counted.
func (t *Text) writeTop(b *strings.Builder) {
	if len(t.top) == 0 {
		return
	}
	b.WriteString("\nTop findings:\n")
	shown := map[string]bool{}
	n, covered := 0, 0
	for i := range t.top {
		f, isNew := &t.top[i].f, t.top[i].isNew
		if f.Cause != "" && shown[f.Cause] {
			covered++
			continue
		}
		if n == topN {
			break
		}
		n++
		shown[f.Fingerprint] = true
		mark := ""
		if isNew {
			mark = "  (new)"
		}
		fmt.Fprintf(b, "  %-7s %s  %s%s\n          %s\n", f.Severity, f.Rule, f.Object, mark, oneLine(f.Message))
		if f.Fix.Text != "" {
			fmt.Fprintf(b, "          fix: %s\n", FirstSentence(oneLine(f.Fix.Text)))
		}
	}
	if more := t.total - n - covered; more > 0 {
		fmt.Fprintf(b, "  … and %d more (see the report)\n", more)
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// FirstSentence keeps the first sentence of a text (a fix, for the
// terminal and the plan's notes; the report has it whole): up to a full
// stop before a capital letter, not "e.g.".
func FirstSentence(s string) string {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '.' || s[i+1] != ' ' || !('A' <= s[i+2] && s[i+2] <= 'Z') {
			continue
		}
		if w := s[max(0, i-3) : i+1]; strings.HasSuffix(w, "e.g.") || strings.HasSuffix(w, "i.e.") {
			continue
		}
		return s[:i+1]
	}
	return s
}
