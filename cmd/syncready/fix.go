package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/syncready/syncready"
)

func runFix(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("fix", flag.ContinueOnError)
	f := addScanFlags(fs)
	planFile := fs.String("plan", "", "make the scripts and the what-if from this edited plan `CSV` instead of planning afresh")
	pairs := fs.String("pairs", "", "hard match the pairs of this `CSV` (header onprem,cloud: a DN, sAMAccountName or UPN, and a cloud UPN or Graph id)")
	pos, err := parseFlags(fs, args, stdout, helpText("fix"))
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
