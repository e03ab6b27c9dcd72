package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/syncready/syncready"
	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
	"github.com/syncready/syncready/scanner/ldap"
)

const scanHelp = `Usage: syncready scan [flags]

Reads on-premises objects (--ldif files, or live with --ldap-url) and the tenant
(--graph-dir, or live), predicts the match plan, runs the rules and writes the
reports (--out). A summary always goes to the terminal (to stderr when --out -
puts JSON on stdout).

Exit codes: 0 success, 1 runtime failure or unreadable input (also an input
that holds no objects, a scope that leaves none, or one object read from two
inputs), 2 usage error, 3 a finding reached --fail-on, 4 with --fail-on error
or warning: the scan is Incomplete (a side not read, rules not evaluated,
part of a source not read, or the tenant's sync features assumed) and no
finding reached --fail-on.

Flags:
`

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
	fs.Var(&f.ldifs, "ldif", "LDIF `FILE` of one domain or forest (ldifde or ldapsearch); repeatable")
	f.graphDir = fs.String("graph-dir", "", "Graph export `DIR` (users.json, groups.json, …; see README)")
	f.target = fs.String("target", "connect-sync", "the sync product to predict for: connect-sync or cloud-sync (its anchor is fixed: --source-anchor auto only)")
	f.anchor = fs.String("source-anchor", "auto", "source anchor: auto (mS-DS-ConsistencyGuid when set, else objectGUID), ms-ds-consistencyguid or objectguid")
	f.upnSource = fs.String("upn-source", "userPrincipalName", "`ATTR` that becomes the cloud UPN (Entra Connect's alternate login ID); the UPN rules judge it")
	fs.Var(&f.disable, "disable", "turn rule `ID` off; repeatable")
	fs.Var(&f.enable, "enable", "turn rule `ID` on (for rules off by default); repeatable")
	fs.Var(&f.sev, "severity", "override a rule's severity: `ID=error|warning|info`; repeatable")
	fs.Var(&f.outs, "out", "write a report to `FILE`: "+strings.Join(report.Formats, ", ")+" by extension; - for JSON on stdout; repeatable")
	f.failOn = fs.String("fail-on", "none", "exit 3 when a finding reaches this severity, 4 when the scan is Incomplete: error, warning or none")
	fs.Var(&f.inc, "include-ou", "sync only objects under this OU `DN` (Entra Connect OU filtering); repeatable")
	fs.Var(&f.exc, "exclude-ou", "leave out objects under this OU `DN`; repeatable")
	f.baseline = fs.String("baseline", "", "compare with last week's JSON report `FILE`: each finding is marked new or persisting, and what was resolved is listed")
	f.suppressions = fs.String("suppressions", "", "YAML `FILE` of accepted findings (rule, object or fingerprint, reason, owner, expires)")
	f.saveGraph = fs.String("save-graph", "", "with a live tenant: also write what was read as a Graph export `DIR` (for offline scans)")
	f.config = fs.String("config", "", "read settings from YAML `FILE` (syncready config example prints one); flags override it")
	f.logFile = fs.String("log-file", "", "append structured JSON log lines (phases, counts, timings, warnings; never a secret) to `FILE`")
	f.ldap = addLDAPFlags(fs)
	f.graph = addGraphFlags(fs)
	return f
}

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	f := addScanFlags(fs)
	pos, err := parseFlags(fs, args, stdout, scanHelp)
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
	log := opts.Log
	start := time.Now()
	log.Info("scan started", "version", toolVersion(), "sources", len(opts.Sources), "baseline", opts.Baseline,
		"suppressions", opts.Suppressions, "outputs", opts.Outputs)
	setMemoryLimit(opts, log)
	res, err := syncready.Scan(ctx, *opts)
	if err != nil {
		log.Error("scan failed", "error", err.Error(), "seconds", time.Since(start).Seconds())
		return exitFailure, err
	}
	code := exitCode(res, opts.FailOn)
	log.Info("scan finished", "exitCode", code, "seconds", time.Since(start).Seconds())
	return code, nil
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
	o := &syncready.Options{
		UPNAttr: *f.upnSource, Outputs: f.outs.vals, Baseline: *f.baseline, Suppressions: *f.suppressions, LogFile: *f.logFile,
		Stdout: stdout, Stderr: stderr, Tool: report.Tool{Name: "syncready", Version: toolVersion()}, Now: time.Now(),
		Scope: scanner.ScopeOptions{IncludeOUs: f.inc.vals, ExcludeOUs: f.exc.vals},
		Rules: rules.Config{Disable: f.disable.vals, Enable: f.enable.vals, Severity: map[string]rules.Severity{}},
	}
	if *f.config != "" {
		o.Inputs = append(o.Inputs, *f.config)
	}
	var err error
	if o.Anchor, err = scanner.ParseSourceAnchor(*f.anchor); err != nil {
		return nil, nil, usagef("--source-anchor: %v", err)
	}
	if o.Target, err = scanner.ParseTarget(*f.target); err != nil {
		return nil, nil, usagef("--target: %v", err)
	}
	if err := o.Target.CheckAnchor(o.Anchor); err != nil {
		return nil, nil, usagef("%v", err)
	}
	if strings.TrimSpace(o.UPNAttr) == "" || strings.ContainsAny(o.UPNAttr, " ,;:=") {
		return nil, nil, usagef("--upn-source %q: want an LDAP attribute name such as userPrincipalName or mail", o.UPNAttr)
	}
	for _, dn := range append(append([]string{}, f.inc.vals...), f.exc.vals...) {
		if !strings.Contains(dn, "=") {
			return nil, nil, usagef("--include-ou/--exclude-ou %q: want a DN such as OU=Staff,DC=contoso,DC=com", dn)
		}
	}
	for _, s := range f.sev.vals {
		id, level, ok := strings.Cut(s, "=")
		if !ok {
			return nil, nil, usagef("--severity %q: want ID=error|warning|info", s)
		}
		l, err := rules.ParseSeverity(level)
		if err != nil {
			return nil, nil, usagef("--severity %s: %v", s, err)
		}
		o.Rules.Severity[strings.TrimSpace(id)] = l
	}
	if o.FailOn, err = parseFailOn(*f.failOn); err != nil {
		return nil, nil, err
	}
	stdoutJSON := 0
	for _, out := range o.Outputs {
		if out == "-" {
			stdoutJSON++
		} else if err := report.CheckFormat(out); err != nil && !f.fix {
			return nil, nil, &usageError{msg: err.Error()}
		}
		if err := syncready.CheckPlaceholders(out); err != nil {
			return nil, nil, err
		}
	}
	if stdoutJSON > 1 {
		return nil, nil, usagef("--out - given twice: stdout can carry one JSON report")
	}
	for _, p := range []string{o.LogFile, *f.saveGraph} {
		if err := syncready.CheckPlaceholders(p); err != nil {
			return nil, nil, err
		}
	}
	log, closeLog, err := openLog(o.LogFile)
	if err != nil {
		return nil, nil, err
	}
	o.Log = log
	o.Warn = func(msg string) { fmt.Fprintf(stderr, "syncready: warning: %s\n", msg) }
	prog := newProgress(stderr)
	o.Progress = prog
	if o.Sources, err = f.sources(prog, log, stderr, o.Now); err != nil {
		closeLog()
		return nil, nil, err
	}
	return o, closeLog, nil
}

// openLog opens the --log-file for JSON lines (appended, mode 0600), or a
// logger that writes nothing.
func openLog(path string) (*slog.Logger, func(), error) {
	if path == "" {
		return slog.New(slog.DiscardHandler), func() {}, nil
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("--log-file: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--log-file: %w", err)
	}
	return slog.New(slog.NewJSONHandler(f, nil)), func() { f.Close() }, nil
}

// setMemoryLimit gives the garbage collector a target that follows the
// size of the input files (unless GOMEMLIMIT says otherwise): without one,
// the heap of a million-object scan grows to twice what it holds. The
// figures per input byte are measured: an object costs about 1.25 times
// its LDIF text and 1.45 times its Graph JSON in memory.
func setMemoryLimit(o *syncready.Options, log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	var ldifBytes, jsonBytes int64
	for _, s := range o.Sources {
		fs, ok := s.(syncready.FileSource)
		if !ok {
			return // live reads: the size is not known before
		}
		for _, p := range fs.Files() {
			fi, err := os.Stat(p)
			switch {
			case err != nil || !fi.Mode().IsRegular():
			case s.Side() == scanner.OnPremSide:
				ldifBytes += fi.Size()
			case filepath.Base(p) == graphdir.UsersFile || filepath.Base(p) == graphdir.GroupsFile || filepath.Base(p) == graphdir.ContactsFile:
				jsonBytes += fi.Size()
			}
		}
	}
	live := 1.25*float64(ldifBytes) + 1.45*float64(jsonBytes)
	limit := int64(1.3*live) + 256<<20
	debug.SetMemoryLimit(limit)
	log.Info("memory target", "bytes", limit)
}
