// Package syncready is the scan engine: it reads the sources (on-premises
// Active Directory and the Entra tenant) side by side, merges them, applies
// the sync service's scope, pairs the objects as the service will, runs the
// rules, marks findings against last week's baseline and the accepted
// suppressions, computes the summary and the verdict, and pushes everything
// to the report writers. The command line (cmd/syncready) only turns flags
// and config files into Options and results into exit codes.
package syncready

import (
	"context"
	"fmt"
	"time"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/report/suppress"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// Result is what a scan concluded.
type Result struct {
	Summary *report.Summary
	// Verdict is the verdict line: Ready, Not ready or Incomplete.
	Verdict string
	// Reached says a finding that is not suppressed reached Options.FailOn.
	Reached bool
	// Incomplete says something the prediction needs was not read.
	Incomplete bool
	// Reports are the report files written.
	Reports []string
}

// Scan reads the sources, predicts and checks, and writes the reports of
// opts.Outputs, the terminal summary (onto opts.Stdout) and the extra
// handlers. The report files are put in place all together, only when the
// whole scan succeeded.
func Scan(ctx context.Context, opts Options, handlers ...report.Writer) (res *Result, err error) {
	o := &opts
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	start := time.Now()
	o.log().Info("scan started", "version", o.Tool.Version, "sources", len(o.Sources), "baseline", o.Baseline,
		"suppressions", o.Suppressions, "outputs", o.Outputs)
	defer func() {
		if err != nil {
			o.log().Error("scan failed", "error", err.Error(), "seconds", time.Since(start).Seconds())
			return
		}
		o.log().Info("scan finished", "verdict", res.Verdict, "failOnReached", res.Reached, "incomplete", res.Incomplete, "seconds", time.Since(start).Seconds())
	}()
	if err := o.check(); err != nil {
		return nil, err
	}
	selected, err := rules.Select(rules.All(), o.ruleConfig())
	if err != nil {
		return nil, &OptionsError{Msg: err.Error()}
	}
	if err := o.checkOutputs("{tenant}"); err != nil {
		return nil, err
	}
	// The baseline and suppressions are read first: a scan never runs
	// without the ones it was asked to use.
	var base *report.Fingerprints
	if o.Baseline != "" {
		if base, err = report.LoadFingerprints(o.Baseline); err != nil {
			return nil, fmt.Errorf("--baseline: %w", err)
		}
	}
	var sup *suppress.List
	if o.Suppressions != "" {
		var ids []string
		for _, r := range rules.All() {
			ids = append(ids, r.ID)
		}
		if sup, err = suppress.Load(o.Suppressions, ids, o.Now); err != nil {
			return nil, err
		}
	}

	snap, cloudIdx, err := o.read(ctx)
	if err != nil {
		return nil, err
	}
	if base != nil {
		warning, err := base.SameTenant("this scan", snap.Sources.TenantID)
		if err != nil {
			return nil, fmt.Errorf("--baseline: %w", err)
		}
		if warning != "" {
			o.warn(warning)
		}
	}
	t := time.Now()
	add, done := o.phase("pairing", len(snap.OnPrem))
	plan := scanner.PairIndexed(snap, o.Anchor, cloudIdx, add)
	done()
	o.phaseLog("pair", t, "objects", len(snap.OnPrem))

	t = time.Now()
	outs, names, err := o.createOutputs(snap.Sources.TenantID)
	if err != nil {
		return nil, err
	}
	for _, h := range handlers {
		outs.Add(h)
	}
	sum, reached, err := o.report(ctx, snap, plan, selected, outs.Writers(), base, sup)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		outs.Abort()
		return nil, err
	}
	if err := outs.Commit(); err != nil {
		return nil, err
	}
	o.phaseLog("rules and reports", t, "reports", names)
	o.logEnd(snap, sum)
	return &Result{Summary: sum, Verdict: sum.Verdict(), Reached: reached, Incomplete: sum.Incomplete(), Reports: names}, nil
}

// logEnd logs what was not covered and the totals.
func (o *Options) logEnd(snap *scanner.Snapshot, sum *report.Summary) {
	log := o.log()
	for _, n := range snap.Coverage.NotEvaluated {
		log.Warn("rule not evaluated", "rule", n.Rule, "reason", n.Reason)
	}
	for _, p := range snap.Coverage.Partial {
		log.Warn("not read", "what", p)
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
}

// report runs the rules and streams header, findings, matches, summary and
// coverage through every writer. reached says a finding that is not
// suppressed reached o.FailOn.
func (o *Options) report(ctx context.Context, snap *scanner.Snapshot, plan *scanner.Plan, selected []*rules.Rule, writers []report.Writer,
	base *report.Fingerprints, sup *suppress.List) (*report.Summary, bool, error) {
	h := &report.Header{Tool: o.Tool, ScannedAt: o.Now, Sources: snap.Sources}
	if base != nil {
		h.Baseline = &report.Baseline{File: base.Info.File, ScannedAt: base.Info.ScannedAt, TenantID: base.Info.TenantID}
	}
	for _, w := range writers {
		if err := w.Start(h); err != nil {
			return nil, false, err
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
	reached := false
	var isNew bool
	rf := &report.Finding{}
	cfg := o.ruleConfig()
	// The rules' bar counts objects, as the other phases do: the share of
	// the rules done, of every object.
	objects := len(snap.OnPrem) + len(snap.Cloud)
	add, done := o.phase(fmt.Sprintf("checking %d rules", len(selected)), objects)
	last := 0
	cfg.Progress = func(n, of int) {
		if of > 0 {
			at := objects * n / of
			add(at - last)
			last = at
		}
	}
	notEval, err := rules.Run(ctx, snap, plan, selected, cfg, func(f *rules.Finding) error {
		rf.Finding, rf.New, rf.Suppressed = f, nil, nil
		if base != nil {
			isNew = base.Mark(f.Fingerprint)
			rf.New = &isNew
		}
		rf.Suppressed = sup.Match(f)
		sum.AddFinding(rf)
		if o.FailOn != 0 && f.Severity >= o.FailOn && rf.Suppressed == nil {
			reached = true
		}
		for _, w := range writers {
			if err := w.Finding(rf); err != nil {
				return err
			}
		}
		return nil
	})
	done()
	if err != nil {
		return nil, false, err
	}
	snap.Coverage.NotEvaluated = append(snap.Coverage.NotEvaluated, notEval...)
	var ran []*rules.Rule
	for _, r := range selected {
		if !notEvaluated(notEval, r.ID) {
			ran = append(ran, r)
		}
	}
	sum.SetRules(ran)
	if snap.HasCloud() {
		add, done := o.phase("writing the match plan", len(snap.OnPrem))
		// Each entry is built once, and only when a writer takes entries
		// (the workbook builds its own beside the rules).
		need := false
		for j := range writers {
			need = need || !planned[j]
		}
		for i := range snap.OnPrem {
			if i%4096 == 4095 {
				add(4096)
			}
			pm := &plan.Matches[i]
			sum.AddOutcome(pm.Outcome().String(), pm.Blocks.String())
			if !need {
				continue
			}
			m := report.MatchOf(snap, plan, i)
			for j, w := range writers {
				if planned[j] {
					continue
				}
				if err := w.Match(&m); err != nil {
					done()
					return nil, false, err
				}
			}
		}
		done()
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
			return nil, false, fmt.Errorf("--baseline: %w", err)
		}
	}
	for _, w := range writers {
		if err := w.End(sum, &snap.Coverage); err != nil {
			return nil, false, err
		}
	}
	return sum, reached, nil
}

func notEvaluated(l []scanner.NotEvaluated, id string) bool {
	for _, n := range l {
		if n.Rule == id {
			return true
		}
	}
	return false
}
