package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/syncready/syncready"
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
	all := rules.All()
	if len(ids) > 0 {
		var named []*rules.Rule
		for _, id := range ids {
			i := slices.IndexFunc(all, func(r *rules.Rule) bool { return r.ID == id })
			if i < 0 {
				return usagef("rules: unknown rule %q%s; \"syncready rules\" lists them", id, syncready.DidYouMean(id, ruleIDs(all)))
			}
			named = append(named, all[i])
		}
		all = named
	}
	switch {
	case *markdown:
		fmt.Fprintln(stdout, "| ID | severity | off by default | what it finds |")
		fmt.Fprintln(stdout, "|---|---|---|---|")
		for _, r := range all {
			off := ""
			if r.Off {
				off = "yes"
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
			fmt.Fprintf(tw, "%s\t%s\t%s\n", id, r.Severity, r.Title)
		}
		return tw.Flush()
	}
	return nil
}

func ruleIDs(l []*rules.Rule) []string {
	ids := make([]string, len(l))
	for i, r := range l {
		ids[i] = r.ID
	}
	return ids
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ")
}
