package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/syncready/syncready"
	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/rules"
)

const diffHelp = `Usage: syncready diff OLD.json NEW.json [--out FILE] [--fail-on error|warning]

Compares two JSON reports of the same tenant by finding fingerprint: the
findings that are new, resolved and persisting, and the objects whose
predicted match outcome changed. Flags may follow the two paths.

Exit codes: 0 success (also when findings changed), 1 a report could not be
read or is of another schema version or tenant, 2 usage error, 3 a new
finding reached --fail-on.

Flags:
`

func runDiff(_ context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	var outs listFlag
	fs.Var(&outs, "out", "write the diff to `FILE`: .json or .xlsx; - for JSON on stdout; repeatable")
	failOn := fs.String("fail-on", "none", "exit 3 when a new finding reaches this severity: error, warning or none")
	pos, err := parseFlags(fs, args, stdout, diffHelp)
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
	summaryTo := stdout
	var writers []report.DiffWriter
	abort := func() {
		for _, w := range writers {
			w.Abort()
		}
	}
	for _, o := range outs.vals {
		if o != "-" && !slices.Contains(report.DiffFormats, strings.ToLower(filepath.Ext(o))) {
			return exitUsage, usagef("--out %s: unknown diff format %q; use .json, .xlsx, or - for JSON on stdout", o, filepath.Ext(o))
		}
	}
	for _, o := range outs.vals {
		if o == "-" {
			summaryTo = stderr
		}
		w, err := report.CreateDiff(o, stdout, report.Tool{Name: "syncready", Version: toolVersion()})
		if err != nil {
			abort()
			return exitFailure, err
		}
		writers = append(writers, w)
	}
	d, err := report.Diff(pos[0], pos[1], writers)
	if err != nil {
		abort()
		return exitFailure, err
	}
	for _, w := range writers {
		if err := w.Commit(); err != nil {
			abort()
			return exitFailure, err
		}
	}
	if d.Warning != "" {
		fmt.Fprintf(stderr, "syncready: warning: %s\n", d.Warning)
	}
	fmt.Fprintf(summaryTo, "%s\n", d.Line())
	fmt.Fprintf(summaryTo, "  new:        %d error, %d warning, %d info\n", d.New["error"], d.New["warning"], d.New["info"])
	fmt.Fprintf(summaryTo, "  resolved:   %d error, %d warning, %d info\n", d.Resolved["error"], d.Resolved["warning"], d.Resolved["info"])
	fmt.Fprintf(summaryTo, "  persisting: %d error, %d warning, %d info\n", d.Persisting["error"], d.Persisting["warning"], d.Persisting["info"])
	fmt.Fprintf(summaryTo, "  match plan: %d objects changed outcome\n", d.MatchChanges)
	code := exitOK
	for _, sev := range rules.Severities {
		if threshold != 0 && sev >= threshold && d.New[sev.String()] > 0 {
			code = exitFindings
		}
	}
	return code, nil
}
