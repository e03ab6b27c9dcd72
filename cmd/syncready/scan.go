package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/syncready/syncready"
	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner/ldap"
)

// scanFlags are the flags of a scan, shared by the commands that scan.
type scanFlags struct {
	fs                                  *flag.FlagSet
	ldifs, outs, disable, enable, sev   listFlag
	inc, exc                            listFlag
	graphDir, anchor, upnSource, failOn *string
	target                              *string
	baseline, suppressions, saveGraph   *string
	config, logFile                     *string
	ldap                                *ldapFlags
	graph                               *graphFlags
	cfgLDAP                             []*ldap.Source // from the config file
	// fix: the outputs are a fix's (the engine checks their kinds).
	fix bool
}

func addScanFlags(fs *flag.FlagSet) *scanFlags {
	f := &scanFlags{fs: fs}
	f.disable.split, f.enable.split = true, true
	fs.Var(&f.ldifs, "ldif", "read the LDIF `FILE` of one domain or forest (as ldifde or ldapsearch write it); repeatable")
	f.graphDir = fs.String("graph-dir", "", "read the Graph export `DIR` (users.json, groups.json, …; see the README)")
	f.anchor = fs.String("source-anchor", "auto", "the source anchor `ATTR`: auto (mS-DS-ConsistencyGuid when set, else objectGUID), ms-ds-consistencyguid or objectguid")
	f.upnSource = fs.String("upn-source", "userPrincipalName", "the attribute `ATTR` that becomes the cloud UPN (Entra Connect's alternate login ID); the UPN rules judge it")
	fs.Var(&f.disable, "disable", "turn off the rule `ID`; repeatable, or IDs separated by commas")
	fs.Var(&f.enable, "enable", "turn on the rule `ID` (for rules off by default); repeatable, or IDs separated by commas")
	fs.Var(&f.sev, "severity", "give a rule another severity, `ID=LEVEL` with LEVEL error, warning or info; repeatable")
	f.target = fs.String("target", "connect-sync", "the sync `PRODUCT` to predict for: connect-sync or cloud-sync (its anchor is fixed: --source-anchor auto only)")
	fs.Var(&f.outs, "out", "write a report to `FILE`: "+strings.Join(report.Formats, ", ")+" by extension; - for JSON on stdout; repeatable")
	f.failOn = fs.String("fail-on", "none", "with `LEVEL` error or warning, exit 3 when a finding reaches it and 4 when the scan is Incomplete; none turns this off")
	fs.Var(&f.inc, "include-ou", "sync only objects under the OU `DN` (Entra Connect OU filtering); repeatable")
	fs.Var(&f.exc, "exclude-ou", "leave out objects under the OU `DN`; repeatable")
	f.baseline = fs.String("baseline", "", "compare with last week's JSON report, `FILE`: each finding is marked new or persisting, and what was resolved is listed")
	f.suppressions = fs.String("suppressions", "", "accept the findings the YAML `FILE` lists (rule, object or fingerprint, reason, owner, expires)")
	f.saveGraph = fs.String("save-graph", "", "with a live tenant: also write what was read as a Graph export `DIR` (for offline scans)")
	f.config = fs.String("config", "", "read settings from the YAML `FILE` (syncready config example prints one); flags override it")
	f.logFile = fs.String("log-file", "", "append structured JSON log lines (phases, counts, timings, warnings; never a secret) to `FILE`")
	f.ldap = addLDAPFlags(fs)
	f.graph = addGraphFlags(fs)
	return f
}

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	f := addScanFlags(fs)
	pos, err := parseFlags(fs, args, stdout, helpText("scan"))
	if err != nil {
		return exitUsage, err
	}
	if len(pos) > 0 {
		return exitUsage, usagef("scan takes no arguments, found %q (inputs are given with --ldif and --graph-dir)", pos[0])
	}
	opts, closeLog, err := f.options(stdout, stderr)
	if err != nil {
		return exitUsage, err
	}
	defer closeLog()
	return scan(ctx, opts)
}

// scan runs the engine and turns its result into an exit code.
func scan(ctx context.Context, opts *syncready.Options) (int, error) {
	opts.SetMemoryLimit()
	res, err := syncready.Scan(ctx, *opts)
	if err != nil {
		return exitFailure, err
	}
	return exitCode(res, opts.FailOn), nil
}

// exitCode is 3 when a finding reached --fail-on, 4 when it did not but the
// scan is Incomplete (only with --fail-on), else 0.
func exitCode(res *syncready.Result, failOn rules.Severity) int {
	switch {
	case failOn == 0:
		return exitOK
	case res.Reached:
		return exitFindings
	case res.Incomplete:
		return exitIncomplete
	}
	return exitOK
}

// options turns the parsed flags, merged over the config file, into the
// engine's options. The returned function closes the log file.
func (f *scanFlags) options(stdout, stderr io.Writer) (*syncready.Options, func(), error) {
	if err := f.mergeConfig(); err != nil {
		return nil, nil, err
	}
	o := &syncready.Options{Baseline: *f.baseline, Suppressions: *f.suppressions, Stdout: stdout, Stderr: stderr,
		Tool: report.Tool{Name: "syncready", Version: toolVersion()}, Now: time.Now()}
	if *f.config != "" {
		o.Inputs = append(o.Inputs, *f.config)
	}
	s := syncready.Settings{Anchor: *f.anchor, Target: *f.target, UPNSource: *f.upnSource, FailOn: *f.failOn, IncludeOUs: f.inc.vals, ExcludeOUs: f.exc.vals,
		Disable: f.disable.vals, Enable: f.enable.vals, Severity: f.sev.vals, Outputs: f.outs.vals, FixOutputs: f.fix,
		LogFile: *f.logFile, SaveGraph: *f.saveGraph}
	if err := s.Apply(o); err != nil {
		return nil, nil, err
	}
	o.Warn = func(msg string) { fmt.Fprintf(stderr, "syncready: warning: %s\n", msg) }
	prog := newProgress(stderr)
	o.Progress = prog
	var err error
	if o.Sources, err = f.sources(prog, func() *slog.Logger { return o.Log }, stderr, o.Now); err != nil {
		return nil, nil, err
	}
	if *f.saveGraph != "" { // the export written there is an input of the next scan
		o.Inputs = append(o.Inputs, strings.TrimRight(*f.saveGraph, `/\`)+string(filepath.Separator))
	}
	// Only once no report or log would replace an input is the log opened.
	if err := o.CheckOutputs(); err != nil {
		return nil, nil, err
	}
	log, closeLog, err := syncready.OpenLog(syncready.FillPath(o.LogFile, o.Now))
	if err != nil {
		return nil, nil, err
	}
	o.Log = log
	return o, closeLog, nil
}
