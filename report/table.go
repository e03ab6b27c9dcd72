package report

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/rules"
)

// The tables of a report — findings, the match plan, the rules — as the
// workbook and the CSV write them: their columns, widths and rows.

// FindingColumns are the columns of the findings table, in the workbook and
// in CSV.
var FindingColumns = []string{"Severity", "Rule", "Kind", "Object", "Display name", "Attribute", "Value", "Message", "Suggested fix", "Related objects", "Fingerprint"}

var matchColumns = []string{"Object", "Kind", "UPN", "Primary SMTP", "Outcome", "Cloud object", "Cloud UPN", "Reason"}

var ruleColumns = []string{"ID", "Severity", "Title", "Description", "Microsoft source"}

// findingColumns are FindingColumns, with "New" last when the scan has a
// baseline.
func findingColumns(baseline bool) []string {
	if baseline {
		return append(append([]string(nil), FindingColumns...), "New")
	}
	return FindingColumns
}

// findingRow returns a finding's cells in FindingColumns order, and "yes"
// or "no" for New when it is known.
func findingRow(rf *Finding) []string {
	f := rf.Finding
	fix := f.Fix.Text
	if f.Fix.Attribute != "" {
		fix += fmt.Sprintf(" [%s: %q → %q]", f.Fix.Attribute, f.Fix.From, f.Fix.To)
	}
	row := []string{f.Severity.String(), f.Rule, f.Kind.String(), f.Object, f.Name, f.Attribute, f.Value, f.Message, fix, relatedCell(f), f.Fingerprint}
	if rf.New != nil {
		row = append(row, map[bool]string{true: "yes", false: "no"}[*rf.New])
	}
	return row
}

var findingWidths = []float64{9, 26, 9, 60, 24, 20, 40, 80, 60, 50, 34, 6}

var matchWidths = []float64{60, 9, 34, 34, 16, 38, 34, 20}

// matchCells fills cells (8) with a match-plan row.
func matchCells(cells []string, m *Match) []string {
	cloud := ""
	if m.Cloud != nil {
		cloud = *m.Cloud
	}
	return append(cells[:0], m.OnPrem, m.Kind, m.UPN, m.PrimarySMTP, m.Outcome, cloud, m.CloudUPN, m.Reason)
}

// relatedCell lists a finding's related objects, one a line, each by name
// with its id or DN: "asm.admin@contoso.onmicrosoft.com (b3c01fc1-…)".
func relatedCell(f *rules.Finding) string {
	var b strings.Builder
	for i, id := range f.Related {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(f.RelatedNames) && f.RelatedNames[i] != "" && f.RelatedNames[i] != id {
			b.WriteString(f.RelatedNames[i])
			b.WriteString(" (")
			b.WriteString(id)
			b.WriteString(")")
			continue
		}
		b.WriteString(id)
	}
	return b.String()
}
