package main

import (
	"flag"
	"io"

	"github.com/syncready/syncready"
	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/rules"
)

// runRules prints the rule catalog, or the rules named: ID, severity,
// title, and with -doc the documentation and source of each rule.
func runRules(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	doc := fs.Bool("doc", false, "print each rule's documentation and Microsoft source")
	markdown := fs.Bool("markdown", false, "print the catalog as a Markdown table (for the README)")
	ids, err := parseFlags(fs, args, stdout, "Usage: syncready rules [-doc] [-markdown] [ID...]\n\nLists the rule catalog, or the rules named.\n\nFlags:\n")
	if err != nil {
		return err
	}
	l := rules.All()
	if len(ids) > 0 {
		if l, err = syncready.NamedRules(ids); err != nil {
			return err
		}
	}
	format := report.CatalogTable
	switch {
	case *markdown:
		format = report.CatalogMarkdown
	case *doc:
		format = report.CatalogDoc
	}
	return report.WriteCatalog(stdout, l, format)
}
