package rules

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/syncready/syncready/scanner"
)

// Run runs the selected rules over the snapshot and plan, calling emit for
// each finding in rule order, then object order. It returns the rules that
// were not evaluated for lack of input, with the reason.
//
// Rules run side by side on cfg.Workers goroutines (GOMAXPROCS when 0),
// each taking the next rule of the list; emit is called from the caller's
// goroutine only, and in the same order as one goroutine would: a rule's
// findings wait in a small bounded buffer until the rules before it are
// done, and a rule that fills its buffer waits.
func Run(ctx context.Context, snap *scanner.Snapshot, plan *scanner.Plan, selected []*Rule, cfg Config, emit func(*Finding) error) ([]scanner.NotEvaluated, error) {
	var notEval []scanner.NotEvaluated
	var run []*Rule
	for _, r := range selected {
		if reason := missingInput(snap, r); reason != "" {
			notEval = append(notEval, scanner.NotEvaluated{Rule: r.ID, Reason: reason})
			continue
		}
		run = append(run, r)
	}
	running := make([]string, len(run))
	for i, r := range run {
		running[i] = r.ID
	}
	upn := cfg.UPNAttr
	if upn == "" {
		upn = "userPrincipalName"
	}
	pass := func(r *Rule, emit func(*Finding) error) *Pass {
		return &Pass{Rule: r, Snap: snap, Plan: plan, UPNAttr: upn, Target: cfg.Target, IncludeOUs: cfg.IncludeOUs, override: cfg.Severity[r.ID], running: running, emit: emit}
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers = min(workers, len(run)); workers <= 1 {
		for i, r := range run {
			if err := ctx.Err(); err != nil {
				return notEval, err
			}
			p := pass(r, emit)
			r.Run(p)
			if p.err != nil {
				return notEval, p.err
			}
			if cfg.Progress != nil {
				cfg.Progress(i+1, len(run))
			}
		}
		return notEval, ctx.Err()
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	outs := make([]chan []Finding, len(run))
	for i := range outs {
		outs[i] = make(chan []Finding, findingBuffers)
	}
	var next atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(run) {
					return
				}
				out := outs[i]
				var batch []Finding
				send := func() error {
					select {
					case out <- batch:
						batch = nil
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				}
				if ctx.Err() == nil {
					p := pass(run[i], func(f *Finding) error {
						batch = append(batch, *f)
						if len(batch) == findingBatch {
							return send()
						}
						return nil
					})
					run[i].Run(p)
					if p.err == nil && len(batch) > 0 {
						_ = send()
					}
				}
				close(out)
			}
		}()
	}
	fail := func(err error) ([]scanner.NotEvaluated, error) {
		cancel()
		wg.Wait()
		return notEval, err
	}
	for i, out := range outs {
		for batch := range out {
			for j := range batch {
				if err := emit(&batch[j]); err != nil {
					return fail(err)
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		if cfg.Progress != nil {
			cfg.Progress(i+1, len(run))
		}
	}
	wg.Wait()
	return notEval, nil
}

// A rule's findings reach emit in batches of findingBatch, at most
// findingBuffers batches ahead of the caller.
const (
	findingBatch   = 256
	findingBuffers = 8
)

func missingInput(snap *scanner.Snapshot, r *Rule) string {
	if len(r.Needs) == 0 {
		return ""
	}
	if snap.Tenant == nil {
		return "no tenant side was read (give --graph-dir or a live tenant)"
	}
	for _, f := range r.Needs {
		if reason, unknown := snap.Tenant.Unknown[f]; unknown {
			return reason
		}
	}
	return ""
}
