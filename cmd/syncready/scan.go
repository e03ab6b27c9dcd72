package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/report/suppress"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graph"
	"github.com/syncready/syncready/scanner/graphdir"
	"github.com/syncready/syncready/scanner/ldap"
	"github.com/syncready/syncready/scanner/ldif"
)

const scanHelp = `Usage: syncready scan [flags]

Reads on-premises objects (--ldif files, or live with --ldap-url) and the tenant
(--graph-dir), predicts the
match plan, runs the rules and writes the reports (--out). A summary always goes
to the terminal (to stderr when --out - puts JSON on stdout).

Exit codes: 0 success, 1 runtime failure or unreadable input (also an input
that holds no objects, a scope that leaves none, or one object read from two
inputs), 2 usage error, 3 a finding reached --fail-on, 4 with --fail-on error
or warning: the scan is Incomplete (a side not read, rules not evaluated,
part of a source not read, or the tenant's sync features assumed) and no
finding reached --fail-on.

Flags:
`

// scanOptions are the parsed scan flags.
type scanOptions struct {
	ldif      []string
	ldap      []*ldap.Source
	graph     *graphFlags // live tenant, nil when not asked for
	saveGraph string
	// baseline, suppressions and logFile are file paths, "" when not given.
	baseline, suppressions, logFile string
	graphDir                        string
	anchor                          scanner.SourceAnchor
	upnSource                       string
	scope                           scanner.ScopeOptions
	rules                           rules.Config
	outs                            []string
	failOn                          rules.Severity // 0: none
	config                          string
}

func parseScan(args []string, stdout io.Writer) (*scanOptions, error) {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	var ldifs, outs, disable, enable, sev, inc, exc listFlag
	disable.split, enable.split = true, true
	fs.Var(&ldifs, "ldif", "LDIF `FILE` of one domain or forest (ldifde or ldapsearch -LLL); repeatable")
	graphDir := fs.String("graph-dir", "", "Graph export `DIR` (users.json, groups.json, …; see README)")
	anchor := fs.String("source-anchor", "auto", "source anchor: auto (mS-DS-ConsistencyGuid when set, else objectGUID), ms-ds-consistencyguid or objectguid")
	upnSource := fs.String("upn-source", "userPrincipalName", "`ATTR` that becomes the cloud UPN (Entra Connect's alternate login ID); the UPN rules judge it")
	fs.Var(&disable, "disable", "turn rule `ID` off; repeatable")
	fs.Var(&enable, "enable", "turn rule `ID` on (for rules off by default); repeatable")
	fs.Var(&sev, "severity", "override a rule's severity: `ID=error|warning|info`; repeatable")
	fs.Var(&outs, "out", "write a report to `FILE`: .json, .xlsx or .csv by extension; - for JSON on stdout; repeatable")
	failOn := fs.String("fail-on", "none", "exit 3 when a finding reaches this severity: error, warning or none")
	fs.Var(&inc, "include-ou", "sync only objects under this OU `DN` (Entra Connect OU filtering); repeatable")
	fs.Var(&exc, "exclude-ou", "leave out objects under this OU `DN`; repeatable")
	baseline := fs.String("baseline", "", "compare with last week's JSON report `FILE`: each finding is marked new or persisting, and what was resolved is listed")
	suppressions := fs.String("suppressions", "", "YAML `FILE` of accepted findings (rule, object or fingerprint, reason, owner, expires)")
	saveGraph := fs.String("save-graph", "", "with a live tenant: also write what was read as a Graph export `DIR` (for offline scans)")
	configPath := fs.String("config", "", "read settings from YAML `FILE` (syncready config example prints one); flags override it")
	logFile := fs.String("log-file", "", "append structured JSON log lines (phases, counts, timings, warnings; never a secret) to `FILE`")
	lf := addLDAPFlags(fs)
	gf := addGraphFlags(fs)
	pos, err := parseFlags(fs, args, stdout, scanHelp)
	if err != nil {
		return nil, err
	}
	if len(pos) > 0 {
		return nil, usagef("scan takes no arguments, found %q (inputs are given with --ldif and --graph-dir)", pos[0])
	}
	var cfgLDAP []*ldap.Source
	if *configPath != "" {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		c, err := loadConfig(*configPath)
		if err != nil {
			return nil, err
		}
		str := func(name string, dst *string, v string) {
			if !set[name] && v != "" {
				*dst = v
			}
		}
		list := func(name string, dst *listFlag, v []string) {
			if !set[name] && len(v) > 0 {
				dst.vals = v
			}
		}
		list("ldif", &ldifs, c.Sources.LDIF)
		str("graph-dir", graphDir, c.Sources.GraphDir)
		str("source-anchor", anchor, c.SourceAnchor)
		str("upn-source", upnSource, c.UPNSource)
		list("disable", &disable, c.Rules.Disable)
		list("enable", &enable, c.Rules.Enable)
		if !set["severity"] {
			for id, level := range c.Rules.Severity {
				sev.vals = append(sev.vals, id+"="+level)
			}
		}
		list("out", &outs, c.Outputs)
		str("fail-on", failOn, c.FailOn)
		list("include-ou", &inc, c.Scope.IncludeOUs)
		list("exclude-ou", &exc, c.Scope.ExcludeOUs)
		str("baseline", baseline, c.Baseline)
		str("suppressions", suppressions, c.Suppressions)
		str("log-file", logFile, c.LogFile)
		g := c.Sources.Graph
		str("tenant-id", gf.tenantID, g.TenantID)
		str("client-id", gf.clientID, g.ClientID)
		str("client-cert", gf.clientCert, g.ClientCert)
		str("graph-auth", gf.auth, g.Auth)
		str("graph-endpoint", gf.endpoint, g.Endpoint)
		str("save-graph", saveGraph, g.SaveDir)
		if !set["ldap-url"] {
			for _, l := range c.Sources.LDAP {
				env := l.PasswordEnv
				if env == "" {
					env = passwordEnv
				}
				src := &ldap.Source{URL: l.URL, BindDN: l.BindDN, BaseDN: l.BaseDN, CAFile: l.CAFile, StartTLS: l.StartTLS,
					InsecureSkipVerify: l.InsecureSkipVerify, AllowPlaintext: l.AllowPlaintext, Password: os.Getenv(env)}
				if err := ldap.Check(src); err != nil {
					return nil, configError(*configPath, 0, "%v", err)
				}
				cfgLDAP = append(cfgLDAP, src)
			}
		}
	}
	o := &scanOptions{ldif: ldifs.vals, graphDir: *graphDir, upnSource: *upnSource, outs: outs.vals, saveGraph: *saveGraph, baseline: *baseline, suppressions: *suppressions, logFile: *logFile}
	if gf.live() {
		if o.graphDir != "" {
			return nil, usagef("--graph-dir and a live tenant (--tenant-id, --graph-endpoint, …) are two cloud sides: give one")
		}
		o.graph = gf
	} else if o.saveGraph != "" {
		return nil, usagef("--save-graph needs a live tenant (--tenant-id, --graph-endpoint, …)")
	}
	if o.ldap, err = lf.sources(); err != nil {
		return nil, err
	}
	if o.ldap == nil {
		o.ldap = cfgLDAP
	}
	if len(o.ldif) == 0 && len(o.ldap) == 0 && o.graphDir == "" && o.graph == nil {
		return nil, usagef("scan needs at least one side: --ldif FILE or --ldap-url URL (on premises) and/or --graph-dir DIR or a live tenant (--tenant-id …)")
	}
	if o.anchor, err = scanner.ParseSourceAnchor(*anchor); err != nil {
		return nil, usagef("--source-anchor: %v", err)
	}
	if strings.TrimSpace(o.upnSource) == "" || strings.ContainsAny(o.upnSource, " ,;:=") {
		return nil, usagef("--upn-source %q: want an LDAP attribute name such as userPrincipalName or mail", o.upnSource)
	}
	o.scope = scanner.ScopeOptions{IncludeOUs: inc.vals, ExcludeOUs: exc.vals}
	for _, dn := range append(append([]string{}, inc.vals...), exc.vals...) {
		if !strings.Contains(dn, "=") {
			return nil, usagef("--include-ou/--exclude-ou %q: want a DN such as OU=Staff,DC=contoso,DC=com", dn)
		}
	}
	o.rules = rules.Config{Disable: disable.vals, Enable: enable.vals, Severity: map[string]rules.Severity{}, UPNAttr: o.upnSource}
	for _, s := range sev.vals {
		id, level, ok := strings.Cut(s, "=")
		if !ok {
			return nil, usagef("--severity %q: want ID=error|warning|info", s)
		}
		l, err := rules.ParseSeverity(level)
		if err != nil {
			return nil, usagef("--severity %s: %v", s, err)
		}
		o.rules.Severity[strings.TrimSpace(id)] = l
	}
	if o.failOn, err = parseFailOn(*failOn); err != nil {
		return nil, err
	}
	stdoutJSON := 0
	for _, out := range o.outs {
		if out == "-" {
			stdoutJSON++
			continue
		}
		if !contains(report.Formats, strings.ToLower(filepath.Ext(out))) {
			return nil, usagef("--out %s: unknown report format %q; use %s, or - for JSON on stdout", out, filepath.Ext(out), strings.Join(report.Formats, ", "))
		}
	}
	if stdoutJSON > 1 {
		return nil, usagef("--out - given twice: stdout can carry one JSON report")
	}
	for _, p := range append(append([]string{}, o.outs...), o.logFile, o.saveGraph) {
		if err := checkPlaceholders(p); err != nil {
			return nil, err
		}
	}
	if err := o.checkOutputs(time.Now(), "{tenant}"); err != nil {
		return nil, err
	}
	o.config = *configPath
	return o, nil
}

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	o, err := parseScan(args, stdout)
	if err != nil {
		return exitUsage, err
	}
	selected, err := rules.Select(rules.All(), o.rules)
	if err != nil {
		return exitUsage, &usageError{msg: err.Error()}
	}
	log, closeLog, err := openLog(o.logFile)
	if err != nil {
		return exitFailure, err
	}
	defer closeLog()
	start := time.Now()
	log.Info("scan started", "version", toolVersion(), "ldif", len(o.ldif), "ldap", len(o.ldap), "graphDir", o.graphDir != "", "graphLive", o.graph != nil,
		"baseline", o.baseline, "suppressions", o.suppressions, "outputs", o.outs)
	code, err := scan(ctx, o, selected, log, stdout, stderr)
	if err != nil {
		log.Error("scan failed", "error", err.Error(), "seconds", time.Since(start).Seconds())
		return code, err
	}
	log.Info("scan finished", "exitCode", code, "seconds", time.Since(start).Seconds())
	return code, nil
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

// phase logs how long a step took, with its counts.
func phase(log *slog.Logger, name string, since time.Time, attrs ...any) {
	log.Info("phase", append([]any{"phase", name, "seconds", time.Since(since).Seconds()}, attrs...)...)
}

// setMemoryLimit gives the garbage collector a target that follows the
// size of the input files (unless GOMEMLIMIT says otherwise): without one,
// the heap of a million-object scan grows to twice what it holds. The
// figures per input byte are measured: an object costs about 1.25 times
// its LDIF text and 1.45 times its Graph JSON in memory.
func setMemoryLimit(o *scanOptions, log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" || len(o.ldap) > 0 || o.graph != nil {
		return // live reads: the size is not known before
	}
	var ldifBytes, jsonBytes int64
	for _, p := range o.ldif {
		if fi, err := os.Stat(p); err == nil {
			ldifBytes += fi.Size()
		}
	}
	if o.graphDir != "" {
		for _, name := range []string{graphdir.UsersFile, graphdir.GroupsFile, graphdir.ContactsFile} {
			if fi, err := os.Stat(filepath.Join(o.graphDir, name)); err == nil {
				jsonBytes += fi.Size()
			}
		}
	}
	live := 1.25*float64(ldifBytes) + 1.45*float64(jsonBytes)
	limit := int64(1.3*live) + 256<<20
	debug.SetMemoryLimit(limit)
	log.Info("memory target", "bytes", limit)
}

// expandPath fills {date}, {time} and {tenant} into a report path and
// creates its directory.
func expandPath(p string, now time.Time, tenant string) (string, error) {
	if p == "-" {
		return p, nil
	}
	if tenant == "" {
		tenant = "no-tenant"
	} else if strings.Contains(p, "{tenant}") && !isGUID(tenant) {
		return "", fmt.Errorf("--out %s: the tenant id %q is not a GUID, so {tenant} cannot be filled in safely; check organization.json", p, tenant)
	}
	p = strings.NewReplacer("{date}", now.Format("2006-01-02"), "{time}", now.Format("150405"), "{tenant}", tenant).Replace(p)
	if dir := filepath.Dir(p); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("--out %s: %w", p, err)
		}
	}
	return p, nil
}

func scan(ctx context.Context, o *scanOptions, selected []*rules.Rule, log *slog.Logger, stdout, stderr io.Writer) (int, error) {
	var err error
	prog := newProgress(stderr)
	now := time.Now()
	// The baseline and suppressions are read first: a scan never runs
	// without the ones it was asked to use.
	var base *report.Fingerprints
	if o.baseline != "" {
		if base, err = report.LoadFingerprints(o.baseline); err != nil {
			return exitFailure, fmt.Errorf("--baseline: %w", err)
		}
	}
	var sup *suppress.List
	if o.suppressions != "" {
		var ids []string
		for _, r := range rules.All() {
			ids = append(ids, r.ID)
		}
		if sup, err = suppress.Load(o.suppressions, ids, now); err != nil {
			return exitFailure, err
		}
	}
	// Sign-in settings are checked before anything is read.
	var gr *graph.Reader
	if o.graph != nil {
		if gr, err = o.graph.reader(stderr, prog.collections(), log); err != nil {
			return exitFailure, err
		}
	}

	setMemoryLimit(o, log)
	snap := &scanner.Snapshot{UPNAttr: o.upnSource}
	t := time.Now()
	// The two sides are read at the same time: on premises into snap, the
	// cloud into its own snapshot, merged after, so the result is the same
	// whatever finishes first.
	cloud := &scanner.Snapshot{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cloudDone := make(chan error, 1)
	var cloudIdx *scanner.CloudIndex
	go func() {
		start := time.Now()
		var err error
		switch {
		case o.graphDir != "":
			var bar func(string, int64) io.Writer
			if len(o.ldif) == 0 && len(o.ldap) == 0 {
				bar = prog.bytes // one bar at a time on the terminal
			}
			err = graphdir.Load(ctx, o.graphDir, cloud, graphdir.Options{Progress: bar})
			if err == nil {
				phase(log, "read Graph export", start, "dir", o.graphDir, "objects", len(cloud.Cloud))
			}
		case gr != nil:
			var save string
			if save, err = expandPath(o.saveGraph, now, ""); err == nil {
				err = readGraph(ctx, gr, save, cloud)
			}
			if err == nil {
				phase(log, "read Graph", start, "objects", len(cloud.Cloud), "tenant", cloud.Sources.TenantID)
			}
		}
		if err == nil && cloud.Tenant != nil {
			// Indexed now, while the other side may still be read.
			t := time.Now()
			cloudIdx = scanner.IndexCloud(cloud.Cloud)
			phase(log, "index cloud", t, "objects", len(cloud.Cloud))
		}
		if err != nil {
			cancel() // no point reading the other side
		}
		cloudDone <- err
	}()
	onpremErr := func() error {
		if err := sameFiles("--ldif", o.ldif); err != nil {
			return err
		}
		for i, path := range o.ldif {
			snap.Sources.Forests = append(snap.Sources.Forests, filepath.Base(path))
			snap.Sources.Inputs = append(snap.Sources.Inputs, path)
			st, err := readLDIF(ctx, path, ldif.Options{UPNAttr: o.upnSource, Source: int32(i)}, snap, prog)
			if err != nil {
				return err
			}
			if st.Objects == 0 {
				return fmt.Errorf("--ldif %s holds no users, groups or contacts (%d records read): check that it is the export of a domain, with the filter and attributes in the README", path, st.Records)
			}
			snap.Coverage.Assumed = append(snap.Coverage.Assumed, st.Notes...)
			phase(log, "read LDIF", t, "file", path, "records", st.Records, "objects", st.Objects)
			t = time.Now()
		}
		if len(o.ldap) > 0 {
			if err := readLDAP(ctx, o.ldap, o.upnSource, snap, prog); err != nil {
				return err
			}
			phase(log, "read LDAP", t, "sources", len(o.ldap), "objects", len(snap.OnPrem))
		}
		if len(snap.Sources.Forests) > 1 {
			if err := scanner.SameObjects(snap); err != nil {
				return err
			}
		}
		t = time.Now()
		read := len(snap.OnPrem)
		scanner.ApplyScope(snap, o.scope)
		phase(log, "scope", t, "inScope", len(snap.OnPrem), "skipped", len(snap.Coverage.Skipped))
		if read > 0 && len(snap.OnPrem) == 0 {
			return errors.New(scanner.ExplainEmptyScope(read, snap, o.scope))
		}
		return nil
	}()
	if onpremErr != nil {
		cancel()
	}
	cloudErr := <-cloudDone
	switch {
	case cloudErr != nil && !errors.Is(cloudErr, context.Canceled):
		return exitFailure, cloudErr
	case onpremErr != nil:
		return exitFailure, onpremErr
	case cloudErr != nil:
		return exitFailure, cloudErr
	}
	if o.graphDir != "" || gr != nil {
		snap.Cloud, snap.Tenant = cloud.Cloud, cloud.Tenant
		snap.Sources.TenantID = cloud.Sources.TenantID
		snap.Sources.Inputs = append(snap.Sources.Inputs, cloud.Sources.Inputs...)
		snap.Coverage.Assumed = append(snap.Coverage.Assumed, cloud.Coverage.Assumed...)
	}
	t = time.Now()
	if base != nil {
		warning, err := base.SameTenant("this scan", snap.Sources.TenantID)
		if err != nil {
			return exitFailure, fmt.Errorf("--baseline: %w", err)
		}
		if warning != "" {
			fmt.Fprintf(stderr, "syncready: warning: %s\n", warning)
			log.Warn(warning)
		}
	}
	bar := prog.phase("pairing", len(snap.OnPrem))
	plan := scanner.PairIndexed(snap, o.anchor, cloudIdx, bar.add)
	bar.finish()
	phase(log, "pair", t, "objects", len(snap.OnPrem))
	t = time.Now()

	// Writers: files first, the terminal summary last. The files are
	// committed together: all of them or none.
	var outs report.Outputs
	summaryTo := stdout
	var names []string
	if err := o.checkOutputs(now, snap.Sources.TenantID); err != nil {
		return exitUsage, err
	}
	for _, out := range o.outs {
		out, err := expandPath(out, now, snap.Sources.TenantID)
		if err != nil {
			outs.Abort()
			return exitFailure, err
		}
		if out == "-" {
			summaryTo = stderr
		} else {
			names = append(names, out)
		}
		// Each report file is written in its own goroutine, beside the rules.
		if _, err := outs.Create(out, stdout, report.Async); err != nil {
			outs.Abort()
			return exitFailure, err
		}
	}
	outs.Add(report.NewText(summaryTo, names))
	writers := outs.Writers()

	code, sum, err := writeReport(ctx, snap, plan, selected, o, writers, now, base, sup, prog)
	if err != nil {
		outs.Abort()
		return exitFailure, err
	}
	if err := ctx.Err(); err != nil {
		outs.Abort()
		return exitFailure, err
	}
	if err := outs.Commit(); err != nil {
		return exitFailure, err
	}
	if code == exitOK && o.failOn != 0 && sum.Incomplete() {
		code = exitIncomplete
	}
	phase(log, "rules and reports", t, "reports", names)
	for _, n := range snap.Coverage.NotEvaluated {
		log.Warn("rule not evaluated", "rule", n.Rule, "reason", n.Reason)
	}
	for _, a := range snap.Coverage.Assumed {
		log.Warn("assumed", "what", a)
	}
	attrs := []any{"errors", sum.BySeverity["error"], "warnings", sum.BySeverity["warning"], "info", sum.BySeverity["info"], "verdict", sum.Verdict()}
	if sum.Baseline != nil {
		attrs = append(attrs, "newErrors", sum.NewBy["error"], "newWarnings", sum.NewBy["warning"], "resolved", sum.Resolved, "persisting", sum.Persisting)
	}
	if sum.Suppressions != nil {
		attrs = append(attrs, "suppressed", sum.Suppressed, "expiredSuppressions", len(sum.Suppressions.Expired()), "staleSuppressions", len(sum.Suppressions.Stale()))
	}
	log.Info("findings", attrs...)
	return code, nil
}

// writeReport runs the rules and streams header, findings, matches, summary
// and coverage through every writer.
func writeReport(ctx context.Context, snap *scanner.Snapshot, plan *scanner.Plan, selected []*rules.Rule, o *scanOptions, writers []report.Writer,
	now time.Time, base *report.Fingerprints, sup *suppress.List, prog *progress) (int, *report.Summary, error) {
	h := &report.Header{Tool: report.Tool{Name: "syncready", Version: toolVersion()}, ScannedAt: now, Sources: snap.Sources}
	if base != nil {
		h.Baseline = &report.Baseline{File: base.Info.File, ScannedAt: base.Info.ScannedAt, TenantID: base.Info.TenantID}
	}
	for _, w := range writers {
		if err := w.Start(h); err != nil {
			return exitFailure, nil, err
		}
	}
	// Writers that write the match plan themselves start on it now, beside
	// the rules; the others get it entry by entry after the findings.
	planned := make([]bool, len(writers))
	if snap.HasCloud() {
		for i, w := range writers {
			if p, ok := w.(report.Planner); ok {
				planned[i] = p.Plan(snap, plan)
			}
		}
	}
	sum := report.NewSummary(snap, nil)
	sum.Baseline, sum.Suppressions = h.Baseline, sup
	code := exitOK
	var isNew bool
	rf := &report.Finding{}
	cfg := o.rules
	bar := prog.phase(fmt.Sprintf("checking %d rules", len(selected)), len(snap.OnPrem)+len(snap.Cloud))
	cfg.Progress = bar.set
	notEval, err := rules.Run(ctx, snap, plan, selected, cfg, func(f *rules.Finding) error {
		rf.Finding, rf.New, rf.Suppressed = f, nil, nil
		if base != nil {
			isNew = base.Mark(f.Fingerprint)
			rf.New = &isNew
		}
		rf.Suppressed = sup.Match(f)
		sum.AddFinding(rf)
		if o.failOn != 0 && f.Severity >= o.failOn && rf.Suppressed == nil {
			code = exitFindings
		}
		for _, w := range writers {
			if err := w.Finding(rf); err != nil {
				return err
			}
		}
		return nil
	})
	bar.finish()
	if err != nil {
		return exitFailure, nil, err
	}
	snap.Coverage.NotEvaluated = append(snap.Coverage.NotEvaluated, notEval...)
	ran := selected[:0:0]
	for _, r := range selected {
		if !notEvaluated(notEval, r.ID) {
			ran = append(ran, r)
		}
	}
	sum.SetRules(ran)
	if snap.HasCloud() {
		bar := prog.phase("writing the match plan", len(snap.OnPrem))
		for i := range snap.OnPrem {
			if i%4096 == 4095 {
				bar.add(4096)
			}
			m := report.MatchOf(snap, plan, i)
			sum.AddMatch(&m)
			for j, w := range writers {
				if planned[j] {
					continue
				}
				if err := w.Match(&m); err != nil {
					bar.finish()
					return exitFailure, nil, err
				}
			}
		}
		bar.finish()
	}
	if base != nil {
		err := base.EachResolved(func(f *rules.Finding) error {
			sum.Resolved++
			for _, w := range writers {
				if err := w.Resolved(f); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return exitFailure, nil, fmt.Errorf("--baseline: %w", err)
		}
	}
	for _, w := range writers {
		if err := w.End(sum, &snap.Coverage); err != nil {
			return exitFailure, nil, err
		}
	}
	return code, sum, nil
}

func readLDIF(ctx context.Context, path string, opt ldif.Options, snap *scanner.Snapshot, prog *progress) (ldif.Stats, error) {
	f, stop, err := scanner.OpenInput(ctx, path)
	if err != nil {
		return ldif.Stats{}, fmt.Errorf("--ldif: %w", err)
	}
	defer f.Close()
	defer stop()
	var r io.Reader = f
	if fi, err := f.Stat(); err == nil {
		if w := prog.bytes(path, fi.Size()); w != nil {
			r = io.TeeReader(f, w)
		}
		// Size the object slice once from an early estimate instead of
		// growing (and copying) it many times.
		start := len(snap.OnPrem)
		opt.SizeHint = fi.Size()
		opt.Reserve = func(n int) {
			if have := len(snap.OnPrem) - start; n > have {
				snap.ReserveOnPrem(n - have)
			}
		}
	}
	return ldif.Read(ctx, r, path, opt, func(o *scanner.OnPrem) { snap.OnPrem = append(snap.OnPrem, *o) })
}

// readLDAP reads the live sources into snap: objects, the base DNs as
// forests, the URLs as inputs, notes as coverage.
func readLDAP(ctx context.Context, srcs []*ldap.Source, upnAttr string, snap *scanner.Snapshot, prog *progress) error {
	opt := ldapOptions(upnAttr)
	opt.Progress = prog.counter(len(srcs))
	results, err := ldap.Read(ctx, srcs, opt, int32(len(snap.Sources.Forests)), func(o *scanner.OnPrem) {
		snap.OnPrem = append(snap.OnPrem, *o)
	})
	if err != nil {
		return err
	}
	for _, r := range results {
		snap.Sources.Forests = append(snap.Sources.Forests, r.BaseDN)
		snap.Sources.Inputs = append(snap.Sources.Inputs, r.Source.URL)
		snap.Coverage.Assumed = append(snap.Coverage.Assumed, r.Notes...)
	}
	return nil
}

// readGraph reads the tenant live into snap, and writes the export
// directory when save is set.
func readGraph(ctx context.Context, r *graph.Reader, save string, snap *scanner.Snapshot) error {
	var w *graphdir.DirWriter
	var err error
	if save != "" {
		if w, err = graphdir.NewDirWriter(save); err != nil {
			return err
		}
	}
	b := graphdir.NewBuilder(snap)
	reqs, err := r.Read(ctx, b, w)
	if err != nil {
		return err
	}
	b.Finish()
	snap.Sources.Inputs = append(snap.Sources.Inputs, reqs...)
	return nil
}

func notEvaluated(l []scanner.NotEvaluated, id string) bool {
	for _, n := range l {
		if n.Rule == id {
			return true
		}
	}
	return false
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
