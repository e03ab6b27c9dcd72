package main

import (
	"context"
	"flag"
	"io"

	"github.com/syncready/syncready"
	"github.com/syncready/syncready/report"
)

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	var outs listFlag
	fs.Var(&outs, "out", "write the diff to `FILE`: .json, .xlsx or .csv by extension; - for JSON on stdout; repeatable")
	failOn := fs.String("fail-on", "none", "exit 3 when a new finding reaches severity `LEVEL`: error, warning or none")
	pos, err := parseFlags(fs, args, stdout, helpText("diff"))
	if err != nil {
		return exitUsage, err
	}
	if len(pos) != 2 {
		return exitUsage, usagef("diff takes two reports, OLD.json and NEW.json; got %d arguments", len(pos))
	}
	threshold, err := syncready.ParseFailOn(*failOn)
	if err != nil {
		return exitUsage, err
	}
	for _, o := range outs.vals {
		if err := report.CheckDiffFormat(o); err != nil {
			return exitUsage, usagef("%s", err)
		}
	}
	if err := syncready.CheckNotInputs(outs.vals, pos...); err != nil {
		return exitUsage, err
	}
	d, err := report.WriteDiff(ctx, pos[0], pos[1], outs.vals, stdout, stderr, report.Tool{Name: "syncready", Version: toolVersion()})
	if err != nil {
		return exitFailure, err
	}
	if d.Reached(threshold) {
		return exitFindings, nil
	}
	return exitOK, nil
}
