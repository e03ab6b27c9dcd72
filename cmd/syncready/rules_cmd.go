package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/syncready/syncready/rules"
)

// runRules prints the rule catalog: ID, severity, title, and with -doc the
// documentation and source of each rule.
func runRules(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	doc := fs.Bool("doc", false, "print each rule's documentation and Microsoft source")
	markdown := fs.Bool("markdown", false, "print the catalog as a Markdown table (for the README)")
	if _, err := parseFlags(fs, args, stdout, "Usage: syncready rules [-doc] [-markdown]\n\n"); err != nil {
		return err
	}
	all := rules.All()
	switch {
	case *markdown:
		fmt.Fprintln(stdout, "| ID | severity | off by default | what it finds |")
		fmt.Fprintln(stdout, "|---|---|---|---|")
		for _, r := range all {
			off := ""
			switch {
			case r.Off:
				off = "yes"
			case r.CloudSync:
				off = "runs with --target cloud-sync"
			}
			fmt.Fprintf(stdout, "| `%s` | %s | %s | %s |\n", r.ID, r.Severity, off, r.Title)
		}
	case *doc:
		for i, r := range all {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "%s (%s): %s\n\n%s\n\nSource: %s\n", r.ID, r.Severity, r.Title, indent(r.Doc), r.Source)
		}
	default:
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE")
		for _, r := range all {
			id := r.ID
			if r.Off {
				id += " (off)"
			}
			if r.CloudSync {
				id += " (cloud-sync)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", id, r.Severity, r.Title)
		}
		return tw.Flush()
	}
	return nil
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ")
}
