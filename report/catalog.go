package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/syncready/syncready/rules"
)

// CatalogFormat is how WriteCatalog prints rules.
type CatalogFormat uint8

const (
	// CatalogTable is one line per rule: ID (marked when off by default),
	// severity, title.
	CatalogTable CatalogFormat = iota
	// CatalogDoc is each rule's documentation and Microsoft source.
	CatalogDoc
	// CatalogMarkdown is the README's Markdown table.
	CatalogMarkdown
)

// WriteCatalog prints rules l in format.
func WriteCatalog(w io.Writer, l []*rules.Rule, format CatalogFormat) error {
	var b strings.Builder
	switch format {
	case CatalogMarkdown:
		b.WriteString("| ID | severity | off by default | what it finds |\n|---|---|---|---|\n")
		for _, r := range l {
			off := ""
			switch {
			case r.Off:
				off = "yes"
			case r.CloudSync:
				off = "runs with --target cloud-sync"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Severity, off, r.Title)
		}
	case CatalogDoc:
		for i, r := range l {
			if i > 0 {
				b.WriteString("\n")
			}
			doc := "  " + strings.ReplaceAll(strings.TrimSpace(r.Doc), "\n", "\n  ")
			fmt.Fprintf(&b, "%s (%s): %s\n\n%s\n\nSource: %s\n", r.ID, r.Severity, r.Title, doc, r.Source)
		}
	default:
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE")
		for _, r := range l {
			id := r.ID
			if r.Off {
				id += " (off)"
			}
			if r.CloudSync {
				id += " (cloud-sync)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", id, r.Severity, r.Title)
		}
		tw.Flush()
	}
	_, err := io.WriteString(w, b.String())
	return err
}
