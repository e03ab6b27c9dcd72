package syncready

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/report/change"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/ldif"
)

// FixOptions are a scan's options and what `syncready fix` writes. The
// outputs are, by extension: .csv the plan, .ldif the on-premises changes
// (with <name>.undo.ldif), .ps1 the scripts (<name>.ps1, <name>.undo.ps1,
// <name>.cloud.ps1, <name>.cloud.undo.ps1), .json and .xlsx the what-if
// report: the scan as it will be once the plan's apply rows are done.
type FixOptions struct {
	Options
	// PlanFile is a plan the admin edited, to make the scripts and the
	// what-if from instead of planning afresh; "" for none.
	PlanFile string
	// PairsFile is a CSV of on-premises objects and the cloud users they
	// should hard match; "" for none.
	PairsFile string
}

// FixResult is what a fix planned and what the what-if says of it.
type FixResult struct {
	Plan *change.Plan
	// Before is the summary of the scan as the directory is; After that of
	// the what-if.
	Before, After *report.Summary
	// Reached and Incomplete are judged on the what-if.
	Reached, Incomplete bool
	// Files are the files written.
	Files []string
	// Unplanned counts findings no attribute change resolves.
	Unplanned int
}

// fixOutputs are the outputs of a fix, by kind.
type fixOutputs struct {
	plan, ldif, ps1 []string
	whatIf          []string
}

func splitFixOutputs(outs []string) (*fixOutputs, error) {
	f := &fixOutputs{}
	for _, out := range outs {
		switch strings.ToLower(filepath.Ext(out)) {
		case ".csv":
			f.plan = append(f.plan, out)
		case ".ldif":
			f.ldif = append(f.ldif, out)
		case ".ps1":
			f.ps1 = append(f.ps1, out)
		case ".json", ".xlsx":
			f.whatIf = append(f.whatIf, out)
		default:
			if out == "-" {
				f.whatIf = append(f.whatIf, out)
				continue
			}
			return nil, &OptionsError{Msg: fmt.Sprintf("--out %s: a fix writes the plan (.csv), LDIF (.ldif), PowerShell (.ps1) or the what-if report (.json, .xlsx, or - for JSON on stdout)", out)}
		}
	}
	if len(outs) == 0 {
		return nil, &OptionsError{Msg: "fix needs --out: the plan (plan.csv), the changes (changes.ldif, changes.ps1) and/or the what-if report (whatif.xlsx)"}
	}
	return f, nil
}

// derived are the files an output stands for: the LDIF and its undo, the
// scripts and theirs.
func (f *fixOutputs) derived() []string {
	var l []string
	for _, p := range f.ldif {
		l = append(l, p, strings.TrimSuffix(p, filepath.Ext(p))+".undo.ldif")
	}
	for _, p := range f.ps1 {
		base := strings.TrimSuffix(p, filepath.Ext(p))
		l = append(l, p, base+".undo.ps1", base+".cloud.ps1", base+".cloud.undo.ps1")
	}
	return append(l, f.plan...)
}

// Fix scans, plans the changes that resolve the findings (or reads the plan
// the admin edited), checks them in a what-if scan of the changed
// directory, and writes the plan, the changes and the what-if report, all
// or none.
func Fix(ctx context.Context, opts FixOptions) (*FixResult, error) {
	o := &opts.Options
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if err := o.check(); err != nil {
		return nil, err
	}
	outs, err := splitFixOutputs(o.Outputs)
	if err != nil {
		return nil, err
	}
	selected, err := rules.Select(rules.All(), o.ruleConfig())
	if err != nil {
		return nil, &OptionsError{Msg: err.Error()}
	}
	check := *o
	check.Outputs = append(outs.derived(), outs.whatIf...)
	check.Inputs = append(slices.Clone(o.Inputs), opts.PlanFile, opts.PairsFile)
	if err := check.checkOutputs("{tenant}"); err != nil {
		return nil, err
	}
	var edited *change.Plan
	if opts.PlanFile != "" {
		f, err := os.Open(opts.PlanFile)
		if err != nil {
			return nil, fmt.Errorf("--plan: %w", err)
		}
		edited, err = change.ReadCSV(f, opts.PlanFile)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	var pairs []Pair
	if opts.PairsFile != "" {
		if pairs, err = ReadPairs(opts.PairsFile); err != nil {
			return nil, err
		}
	}

	snap, cloudIdx, err := o.read(ctx)
	if err != nil {
		return nil, err
	}
	t := time.Now()
	mp := scanner.PairIndexed(snap, o.Anchor, cloudIdx, nil)
	findings, before, err := o.collect(ctx, snap, mp, selected)
	if err != nil {
		return nil, err
	}
	o.phaseLog("scan before the fix", t, "findings", len(findings))

	t = time.Now()
	res := &FixResult{Before: before}
	planned := newPlanner(snap, mp, o.UPNAttr, findings)
	var plan *change.Plan
	if edited != nil {
		plan = edited
		if err := completeEdited(plan, planned); err != nil {
			return nil, err
		}
	} else {
		plan = planned.plan(findings)
		plan.Rows = append(plan.Rows, pairRows(snap, mp, planned, pairs, o.Anchor)...)
		res.Unplanned = planned.none
	}
	res.Plan = plan
	rowNo := func(k int) string {
		if opts.PlanFile != "" {
			return fmt.Sprintf("%s: row %d", opts.PlanFile, k+2)
		}
		return fmt.Sprintf("plan row %d", k+2)
	}

	// The what-if: the apply rows, made in the snapshot. A proposed row that
	// brings a finding that was not there before is not safe: it becomes a
	// decision, and the what-if is made again without it.
	known := map[string]bool{}
	for i := range findings {
		known[findings[i].Fingerprint] = true
	}
	idx := cloudIdx
	for round := 0; ; round++ {
		undo, cloudChanged, err := applyRows(snap, planned.loc, plan.Rows, o.UPNAttr, rowNo)
		if err != nil {
			return nil, err
		}
		if cloudChanged {
			idx = scanner.IndexCloud(snap.Cloud)
		}
		mp2 := scanner.PairIndexed(snap, o.Anchor, idx, nil)
		if edited != nil || round == 4 {
			mp = mp2
			break
		}
		after, _, err := o.collect(ctx, snap, mp2, selected)
		if err != nil {
			return nil, err
		}
		if !demote(plan, after, known) {
			mp = mp2
			break
		}
		undo()
		if cloudChanged {
			idx = cloudIdx
		}
	}
	o.phaseLog("plan and what-if", t, "rows", len(plan.Rows))

	t = time.Now()
	files := &report.Outputs{}
	for _, out := range outs.whatIf {
		path, err := ExpandPath(out, o.Now, snap.Sources.TenantID)
		if err != nil {
			files.Abort()
			return nil, err
		}
		if _, err := files.Create(path, writerOr(o.Stdout), report.Async); err != nil {
			files.Abort()
			return nil, err
		}
		if path != "-" {
			res.Files = append(res.Files, path)
		}
	}
	if err := o.writeChanges(files, outs, plan, snap.Sources.TenantID, &res.Files); err != nil {
		files.Abort()
		return nil, err
	}
	var base *report.Fingerprints
	if o.Baseline != "" {
		if base, err = report.LoadFingerprints(o.Baseline); err != nil {
			files.Abort()
			return nil, fmt.Errorf("--baseline: %w", err)
		}
	}
	sum, reached, err := o.report(ctx, snap, mp, selected, files.Writers(), base, nil)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		files.Abort()
		return nil, err
	}
	if err := files.Commit(); err != nil {
		return nil, err
	}
	o.phaseLog("write the fix", t, "files", res.Files)
	res.After, res.Reached, res.Incomplete = sum, reached, sum.Incomplete()
	return res, nil
}

func writerOr(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// collect runs the rules and keeps every finding, with the summary.
func (o *Options) collect(ctx context.Context, snap *scanner.Snapshot, mp *scanner.Plan, selected []*rules.Rule) ([]rules.Finding, *report.Summary, error) {
	var out []rules.Finding
	sum := report.NewSummary(snap, nil)
	cfg := o.ruleConfig()
	cov := snap.Coverage
	notEval, err := rules.Run(ctx, snap, mp, selected, cfg, func(f *rules.Finding) error {
		out = append(out, *f)
		sum.AddFinding(&report.Finding{Finding: f})
		return nil
	})
	snap.Coverage = cov
	_ = notEval
	return out, sum, err
}

// demote turns the apply rows that brought a new finding into decisions,
// naming the finding; false when there was none to demote.
func demote(plan *change.Plan, after []rules.Finding, known map[string]bool) bool {
	demoted := false
	for i := range after {
		f := &after[i]
		if known[f.Fingerprint] {
			continue
		}
		objects := append([]string{f.Object}, f.Related...)
		// A hard match the admin asked for (--pairs) brings what it brings:
		// the row says so, and nothing is demoted for it.
		paired := false
		for k := range plan.Rows {
			r := &plan.Rows[k]
			if r.Action == change.Apply && r.Rule == pairRule && slices.Contains(objects, r.Object) {
				paired = true
				if !strings.Contains(r.Note, f.Fingerprint) {
					r.Note += fmt.Sprintf(" It brings %s %s on %s: %s (%s).", f.Severity, f.Rule, f.Object, f.Message, f.Fingerprint)
				}
			}
		}
		if paired {
			continue
		}
		for k := range plan.Rows {
			r := &plan.Rows[k]
			if !slices.Contains(objects, r.Object) {
				continue
			}
			switch {
			case r.Action == change.Apply:
				r.Action = change.Decide
				r.Note = fmt.Sprintf("not safe: the what-if shows that it would bring a new %s %s on %s (%s). %s", f.Severity, f.Rule, f.Object, f.Message, r.Note)
				demoted = true
			case r.Action == change.Decide && strings.HasPrefix(r.Note, "not safe: ") && !strings.Contains(r.Note, " "+f.Rule+" on "+f.Object):
				// Demoted in this round for another finding: name this one too.
				r.Note = fmt.Sprintf("not safe: the what-if shows that it would also bring a new %s %s on %s. %s", f.Severity, f.Rule, f.Object, strings.TrimPrefix(r.Note, "not safe: "))
			}
		}
	}
	return demoted
}

// completeEdited fills in what the CSV does not hold (the objectGUID and
// kind the scripts need) from the scan, and checks every row names an
// object of the scan.
func completeEdited(plan *change.Plan, p *planner) error {
	all := newLocator(p.snap, nil)
	for k := range plan.Rows {
		r := &plan.Rows[k]
		if r.Side == scanner.CloudSide {
			if ci, ok := all.cloud[strings.ToLower(r.Object)]; ok {
				r.Kind = p.snap.Cloud[ci].Kind
			}
			continue
		}
		i, ok := all.onprem[r.Object]
		if !ok {
			continue // applyRows refuses it, naming the row, when it is to apply
		}
		o := &p.snap.OnPrem[i]
		if len(o.ObjectGUID) == 16 {
			r.GUID = scanner.FormatGUID(o.ObjectGUID)
		}
		r.Kind = o.Kind
	}
	p.loc = all
	return nil
}

// writeChanges writes the plan, the LDIF and the scripts into files.
func (o *Options) writeChanges(files *report.Outputs, outs *fixOutputs, plan *change.Plan, tenant string, names *[]string) error {
	create := func(p string) (io.Writer, error) {
		path, err := ExpandPath(p, o.Now, tenant)
		if err != nil {
			return nil, err
		}
		*names = append(*names, path)
		return files.CreateFile(path)
	}
	for _, p := range outs.plan {
		w, err := create(p)
		if err != nil {
			return err
		}
		if err := change.WriteCSV(w, plan); err != nil {
			return err
		}
	}
	for _, p := range outs.ldif {
		for _, undo := range []bool{false, true} {
			name := p
			if undo {
				name = strings.TrimSuffix(p, filepath.Ext(p)) + ".undo.ldif"
			}
			w, err := create(name)
			if err != nil {
				return err
			}
			if err := writeLDIF(w, plan, undo, strings.TrimSpace(firstNonEmpty(o.Tool.Name, "syncready")+" "+o.Tool.Version), o.Now); err != nil {
				return err
			}
		}
	}
	for _, p := range outs.ps1 {
		base := strings.TrimSuffix(p, filepath.Ext(p))
		for _, s := range []struct {
			name  string
			write func(io.Writer, *change.Plan, bool) error
			undo  bool
		}{
			{p, change.WriteOnPremScript, false},
			{base + ".undo.ps1", change.WriteOnPremScript, true},
			{base + ".cloud.ps1", change.WriteCloudScript, false},
			{base + ".cloud.undo.ps1", change.WriteCloudScript, true},
		} {
			w, err := create(s.name)
			if err != nil {
				return err
			}
			if err := s.write(w, plan, s.undo); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
		}
	}
	return nil
}

// writeLDIF writes the apply rows on premises as modify records, each
// deleting the exact old value and adding the new one, so a directory that
// changed since the scan refuses the change; undo writes the inverse
// changes in reverse order.
func writeLDIF(w io.Writer, plan *change.Plan, undo bool, tool string, now time.Time) error {
	what := "changes"
	if undo {
		what = "undo of the changes"
	}
	cw := ldif.NewChangeWriter(w, fmt.Sprintf("%s fix, %s: %s of the plan's apply rows on premises (ldapmodify -f FILE, or ldifde -i -f FILE)", tool, now.UTC().Format(time.RFC3339), what))
	var rows []*change.Row
	for k := range plan.Rows {
		if r := &plan.Rows[k]; r.Action == change.Apply && r.Side == scanner.OnPremSide {
			rows = append(rows, r)
		}
	}
	if undo {
		slices.Reverse(rows)
	}
	for _, r := range rows {
		from, to := value(r, r.From), value(r, r.To)
		op := r.Operation
		if undo {
			from, to = to, from
			switch op {
			case change.Add:
				op = change.Remove
			case change.Remove:
				op = change.Add
			}
		}
		var mods []ldif.Mod
		if op != change.Add {
			mods = append(mods, ldif.Mod{Op: "delete", Attr: r.Attribute, Values: [][]byte{from}})
		}
		if op != change.Remove {
			mods = append(mods, ldif.Mod{Op: "add", Attr: r.Attribute, Values: [][]byte{to}})
		}
		cw.Modify(r.Object, fmt.Sprintf("%s %s: %s", r.ID, r.Rule, r.Note), mods)
	}
	return cw.Flush()
}

// value is a row value as the directory holds it: binary attributes are
// base64 in the plan.
func value(r *change.Row, v string) []byte {
	if strings.EqualFold(r.Attribute, "mS-DS-ConsistencyGuid") {
		if b, err := base64.StdEncoding.DecodeString(v); err == nil {
			return b
		}
	}
	return []byte(v)
}

// Summary says in a few lines what the fix plans and what the what-if
// says of it, for the terminal.
func (r *FixResult) Summary() []string {
	apply, decide, skip, objects, onprem, cloud := r.Plan.Counts()
	decisions := map[string]bool{}
	for _, row := range r.Plan.Rows {
		if row.Action == change.Decide {
			for _, fp := range row.Findings {
				decisions[fp] = true
			}
		}
	}
	var l []string
	line := fmt.Sprintf("%s on %s (on premises %d, cloud %d); after them: %s, %s",
		plural(apply, "change"), plural(objects, "object"), onprem, cloud,
		plural(r.After.BySeverity["error"], "error"), plural(r.After.BySeverity["warning"], "warning"))
	if decide > 0 {
		n := len(decisions)
		what := plural(n, "finding") + " need your decision"
		if n == 1 {
			what = "1 finding needs your decision"
		}
		if n == 0 {
			what = plural(decide, "row") + " to decide"
		}
		line += fmt.Sprintf("; %s (plan rows %s)", what, r.Plan.Ranges(change.Decide))
	}
	l = append(l, line)
	if skip > 0 {
		l = append(l, fmt.Sprintf("%s skipped (plan rows %s)", plural(skip, "row"), r.Plan.Ranges(change.Skip)))
	}
	if r.Unplanned > 0 {
		l = append(l, fmt.Sprintf("%s no attribute change resolves (see the what-if report)", plural(r.Unplanned, "finding")))
	}
	l = append(l, "What-if: "+r.After.Verdict())
	if len(r.Files) > 0 {
		l = append(l, "Written: "+strings.Join(r.Files, ", "))
	}
	return l
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
