package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/syncready/syncready"
)

const fixHelp = `Usage: syncready fix [the scan's flags] [--plan PLAN.csv] [--pairs PAIRS.csv] --out FILE...

Scans as "syncready scan" does, plans the changes that resolve the findings
and checks them in a what-if scan of the changed directory, then writes, by
the extension of each --out: the plan (.csv, the spreadsheet to review), the
on-premises changes as LDIF (.ldif, with NAME.undo.ldif), PowerShell (.ps1,
with NAME.undo.ps1, NAME.cloud.ps1 and NAME.cloud.undo.ps1) and the what-if
report (.json, .xlsx). Nothing is changed in any directory: the files are
for you to review and run.

A row to apply is a safe change with one right answer; a row to decide is a
choice only you can make (which object keeps an address). Edit the plan in
Excel (set decide to apply and fill in "to", or skip) and run fix again with
--plan edited.csv: the scripts and the what-if then come from your plan.

Exit codes: 0 the files are written; with --fail-on, 3 or 4 as scan judges
the what-if report; 1 an invalid plan or pairs file, or a runtime failure;
2 usage error.

Flags:
`

func runFix(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("fix", flag.ContinueOnError)
	f := addScanFlags(fs)
	planFile := fs.String("plan", "", "make the scripts and the what-if from this edited plan `CSV` instead of planning afresh")
	pairs := fs.String("pairs", "", "hard match the pairs of this `CSV` (header onprem,cloud: a DN, sAMAccountName or UPN, and a cloud UPN or Graph id)")
	pos, err := parseFlags(fs, args, stdout, fixHelp)
	if err != nil {
		return exitUsage, err
	}
	if len(pos) > 0 {
		return exitUsage, usagef("fix takes no arguments, found %q", pos[0])
	}
	f.fix = true
	opts, closeLog, err := f.options(stdout, stderr)
	if err != nil {
		return exitUsage, err
	}
	defer closeLog()
	for _, p := range []string{*planFile, *pairs} {
		if p != "" {
			opts.Inputs = append(opts.Inputs, p)
		}
	}
	opts.SetMemoryLimit()
	res, err := syncready.Fix(ctx, syncready.FixOptions{Options: *opts, PlanFile: *planFile, PairsFile: *pairs})
	if err != nil {
		return exitFailure, err
	}
	out := stdout
	for _, o := range opts.Outputs {
		if o == "-" {
			out = stderr
		}
	}
	for _, l := range res.Summary() {
		fmt.Fprintln(out, l)
	}
	switch {
	case opts.FailOn == 0:
		return exitOK, nil
	case res.Reached:
		return exitFindings, nil
	case res.Incomplete:
		return exitIncomplete, nil
	}
	return exitOK, nil
}
