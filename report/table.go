package report

import (
	"fmt"
	"strings"

	"github.com/syncready/syncready/rules"
)

// The tables of a report — findings, the match plan, the rules — as the
// workbook and the CSV write them: their columns, widths and rows. Widths
// are in characters of the default font; the workbook wraps every text
// cell, so a long value takes more lines, not more width, and a table of
// these widths prints one landscape page wide at a readable scale.

// FindingColumns are the columns of the findings table, in the workbook and
// in CSV.
var FindingColumns = []string{"Severity", "Rule", "Kind", "Object", "Display name", "Attribute", "Value", "Message", "Suggested fix", "Related objects", "Fingerprint"}

// findingWidths are the widths of FindingColumns, in that order, and of
// New after them.
var findingWidths = []float64{9, 18, 8, 30, 16, 18, 20, 48, 40, 28, 17, 6}

var matchColumns = []string{"Object", "Kind", "UPN", "Primary SMTP", "Outcome", "Cloud id", "Cloud object", "Reason"}

var matchWidths = []float64{56, 8, 28, 28, 15, 38, 28, 18}

var ruleColumns = []string{"ID", "Severity", "Title", "Description", "Microsoft source"}

var ruleWidths = []float64{24, 9, 36, 80, 44}

// findingColumns are FindingColumns, with "New" right after Severity when
// the scan has a baseline.
func findingColumns(baseline bool) []string {
	if baseline {
		return append([]string{FindingColumns[0], "New"}, FindingColumns[1:]...)
	}
	return FindingColumns
}

// findingColumnWidths are the widths of findingColumns(baseline).
func findingColumnWidths(baseline bool) []float64 {
	n := len(FindingColumns)
	if baseline {
		return append([]float64{findingWidths[0], findingWidths[n]}, findingWidths[1:n]...)
	}
	return findingWidths[:n:n]
}

// findingRow returns a finding's cells in FindingColumns order, with "yes"
// or "no" for New after Severity when it is known.
func findingRow(rf *Finding) []string {
	n := len(FindingColumns)
	if rf.New != nil {
		n++
	}
	return appendFindingRow(make([]string, 0, n), rf)
}

// appendFindingRow is findingRow into row[:0], so a writer can reuse it.
func appendFindingRow(row []string, rf *Finding) []string {
	f := rf.Finding
	row = append(row[:0], f.Severity.String())
	if rf.New != nil {
		isNew := "no"
		if *rf.New {
			isNew = "yes"
		}
		row = append(row, isNew)
	}
	return append(row, f.Rule, f.Kind.String(), f.Object, f.Name, f.Attribute, f.Value, f.Message, fixCell(f), relatedCell(f), f.Fingerprint)
}

// fixCell is a finding's suggested fix in words, with the change it
// suggests when there is one.
func fixCell(f *rules.Finding) string {
	if f.Fix.Attribute == "" {
		return f.Fix.Text
	}
	return f.Fix.Text + fmt.Sprintf(" [%s: %q → %q]", f.Fix.Attribute, f.Fix.From, f.Fix.To)
}

// matchCells fills cells (8) with a match-plan row.
func matchCells(cells []string, m *Match) []string {
	cloud := ""
	if m.Cloud != nil {
		cloud = *m.Cloud
	}
	return append(cells[:0], m.OnPrem, m.Kind, m.UPN, m.PrimarySMTP, m.Outcome, cloud, m.CloudName, m.Reason)
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
