package rules_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
	"github.com/syncready/syncready/scanner/ldif"
)

// TestFixtures runs every fixture under testdata/ in the manner of
// analysistest.Run: each directory holds one or more LDIF files (one per
// forest) and optionally a graph/ export. A directory named after a rule of
// the catalog runs that rule alone, so a new rule never disturbs another's
// fixture; every other directory is a scenario across rules and runs them
// all. Expectations are comments written before each LDIF record:
//
//	# want: RULE SEVERITY ATTRIBUTE ["VALUE"] [~"MESSAGE-REGEXP"] [fix~"FIX-REGEXP"] [cause=RULE] [on=OBJECT]
//	                                             a finding on this object; fix~ matches its
//	                                             fix as fixWords writes it; with cause=, it
//	                                             is caused by RULE's finding on the object;
//	                                             with on=, the finding is on OBJECT instead
//	                                             (a cloud id, the tenant id, a domain's DN)
//	# match: OUTCOME [REASON] [CLOUD-ID]         its match-plan entry
//	# skip: REGEXP                               skipped, with a reason matching
//	# config: key=value ...                       (first record) scan options;
//	                                             disable=ID,ID turns rules off;
//	                                             target=cloud-sync predicts for Cloud Sync
//
// Every finding must be wanted and every want found. A rule's fixture
// evaluates its rule and has at least one object with a finding and one
// with none; its match expectations are checked where stated. In a scenario
// with a graph/ export every in-scope object must state its match.
func TestFixtures(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) { runFixture(t, dir) })
	}
}

// TestEveryRuleHasAFixture: each rule of the catalog has its own fixture.
func TestEveryRuleHasAFixture(t *testing.T) {
	for _, r := range rules.All() {
		if _, err := os.Stat(filepath.Join("testdata", r.ID)); err != nil {
			t.Errorf("%s has no fixture: %v", r.ID, err)
		}
	}
}

// catalogRule returns the rule a fixture directory is named after, nil for
// a scenario.
func catalogRule(dir string) *rules.Rule {
	for _, r := range rules.All() {
		if r.ID == filepath.Base(dir) {
			return r
		}
	}
	return nil
}

type want struct {
	object, rule, severity, attribute, value string
	hasValue                                 bool
	cause                                    string // the rule of the finding on the same object that causes it
	message, fix                             *regexp.Regexp
	line                                     string
}

func (w want) String() string {
	return fmt.Sprintf("%s %s %s %q on %s", w.rule, w.severity, w.attribute, w.value, w.object)
}

type expectations struct {
	wants   []want
	matches map[string]string // DN -> "outcome reason cloud"
	skips   map[string]*regexp.Regexp
	config  map[string]string
}

var wantRE = regexp.MustCompile(`^\s*want:\s+(\S+)\s+(error|warning|info)\s+(\S+)(?:\s+("(?:[^"\\]|\\.)*"))?(?:\s+~("(?:[^"\\]|\\.)*"))?(?:\s+fix~("(?:[^"\\]|\\.)*"))?(?:\s+cause=(\S+))?(?:\s+on=(\S+))?\s*$`)

func readExpectations(t *testing.T, files []string) *expectations {
	t.Helper()
	ex := &expectations{matches: map[string]string{}, skips: map[string]*regexp.Regexp{}, config: map[string]string{}}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r := ldif.NewReader(f, path)
		for {
			rec, err := r.Next()
			if err != nil {
				break
			}
			for _, c := range rec.Comments {
				c = strings.TrimSpace(c)
				switch {
				case strings.HasPrefix(c, "want:"):
					m := wantRE.FindStringSubmatch(c)
					if m == nil {
						t.Fatalf("%s:%d: malformed %q", path, rec.Line, c)
					}
					w := want{object: cmp.Or(m[8], rec.DN), rule: m[1], severity: m[2], attribute: m[3], cause: m[7], line: fmt.Sprintf("%s:%d", path, rec.Line)}
					if m[4] != "" {
						v, err := strconv.Unquote(m[4])
						if err != nil {
							t.Fatalf("%s:%d: value %s: %v", path, rec.Line, m[4], err)
						}
						w.value, w.hasValue = v, true
					}
					if m[5] != "" {
						v, err := strconv.Unquote(m[5])
						if err != nil {
							t.Fatalf("%s:%d: message pattern %s: %v", path, rec.Line, m[5], err)
						}
						w.message = regexp.MustCompile(v)
					}
					if m[6] != "" {
						v, err := strconv.Unquote(m[6])
						if err != nil {
							t.Fatalf("%s:%d: fix pattern %s: %v", path, rec.Line, m[6], err)
						}
						w.fix = regexp.MustCompile(v)
					}
					ex.wants = append(ex.wants, w)
				case strings.HasPrefix(c, "match:"):
					ex.matches[rec.DN] = strings.Join(strings.Fields(strings.TrimPrefix(c, "match:")), " ")
				case strings.HasPrefix(c, "skip:"):
					ex.skips[rec.DN] = regexp.MustCompile(strings.TrimSpace(strings.TrimPrefix(c, "skip:")))
				case strings.HasPrefix(c, "config:"):
					for _, kv := range strings.Fields(strings.TrimPrefix(c, "config:")) {
						k, v, _ := strings.Cut(kv, "=")
						ex.config[k] = v
					}
				}
			}
		}
		f.Close()
	}
	return ex
}

// fixWords writes a fix for a fix~ pattern: its text, and its change as
// [ATTRIBUTE: FROM -> TO] when it has one, an empty value as (none).
func fixWords(f rules.Fix) string {
	if f.Attribute == "" {
		return f.Text
	}
	return fmt.Sprintf("%s [%s: %s -> %s]", f.Text, f.Attribute, cmp.Or(f.From, "(none)"), cmp.Or(f.To, "(none)"))
}

// fixture is a fixture's input, read and paired.
type fixture struct {
	snap *scanner.Snapshot
	plan *scanner.Plan
	ex   *expectations
	cfg  rules.Config
}

func loadFixture(t *testing.T, dir string) *fixture {
	t.Helper()
	return loadInputs(t, dir, "graph")
}

// loadInputs reads dir's LDIF files and its Graph export in the
// subdirectory graph, if there is one.
func loadInputs(t *testing.T, dir, graphDir string) *fixture {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.ldif"))
	sort.Strings(files)
	ex := readExpectations(t, files)
	ctx := context.Background()
	upn := ex.config["upn-source"]
	if upn == "" {
		upn = "userPrincipalName"
	}
	snap := &scanner.Snapshot{}
	for i, path := range files {
		one := &scanner.Snapshot{}
		_, err := ldif.ReadFile(ctx, path, ldif.Options{UPNAttr: upn, Source: int32(i)}, func(o *scanner.OnPrem) {
			one.OnPrem = append(one.OnPrem, *o)
		})
		if err != nil {
			t.Fatal(err)
		}
		one.NoteScanned() // per input, before the scope, as a scan does
		snap.OnPrem = append(snap.OnPrem, one.OnPrem...)
		snap.Scanned = append(snap.Scanned, one.Scanned...)
	}
	graph := filepath.Join(dir, graphDir)
	if _, err := os.Stat(graph); err == nil {
		if err := graphdir.Load(ctx, graph, snap, graphdir.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	var scope scanner.ScopeOptions
	if v := ex.config["include-ou"]; v != "" {
		scope.IncludeOUs = strings.Split(v, ";")
	}
	if v := ex.config["exclude-ou"]; v != "" {
		scope.ExcludeOUs = strings.Split(v, ";")
	}
	scanner.ApplyScope(snap, scope)
	anchor, err := scanner.ParseSourceAnchor(ex.config["source-anchor"])
	if err != nil {
		t.Fatal(err)
	}
	target, err := scanner.ParseTarget(ex.config["target"])
	if err != nil {
		t.Fatal(err)
	}
	if err := target.CheckAnchor(anchor); err != nil {
		t.Fatal(err)
	}
	snap.Sources.Target = target
	cfg := rules.Config{UPNAttr: upn, Target: target, IncludeOUs: scope.IncludeOUs}
	if v := ex.config["disable"]; v != "" {
		cfg.Disable = strings.Split(v, ",")
	}
	return &fixture{snap: snap, plan: scanner.Pair(snap, anchor), ex: ex, cfg: cfg}
}

// run runs the selected rules and collects their findings.
func (fx *fixture) run(t *testing.T, selected []*rules.Rule) ([]*rules.Finding, []scanner.NotEvaluated) {
	t.Helper()
	var got []*rules.Finding
	ne, err := rules.Run(context.Background(), fx.snap, fx.plan, selected, fx.cfg, func(f *rules.Finding) error {
		c := *f
		got = append(got, &c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, ne
}

func runFixture(t *testing.T, dir string) {
	fx := loadFixture(t, dir)
	snap, plan, ex := fx.snap, fx.plan, fx.ex
	only := catalogRule(dir)
	selected := []*rules.Rule{only}
	if only == nil {
		var err error
		if selected, err = rules.Select(rules.All(), fx.cfg); err != nil {
			t.Fatal(err)
		}
	}
	got, notEvaluated := fx.run(t, selected)
	if only != nil {
		if only.CloudSync && fx.cfg.Target != scanner.TargetCloudSync {
			t.Errorf("%s is a rule of Cloud Sync predictions: its fixture says # config: target=cloud-sync", only.ID)
		}
		for _, n := range notEvaluated {
			t.Errorf("%s is not evaluated (%s): its fixture must give it the input it needs", n.Rule, n.Reason)
		}
		wanted := map[string]bool{}
		for _, w := range ex.wants {
			if w.rule != only.ID {
				t.Errorf("%s: %s's fixture runs %s alone; a want of %s is never found", w.line, only.ID, only.ID, w.rule)
			}
			wanted[w.object] = true
		}
		clean := 0
		for i := range snap.OnPrem {
			if !wanted[snap.OnPrem[i].DN] {
				clean++
			}
		}
		if len(wanted) == 0 || clean == 0 {
			t.Errorf("%s's fixture has %d objects with a finding and %d without: it needs one of each at least", only.ID, len(wanted), clean)
		}
	}

	// Findings: every want found, every finding wanted.
	used := make([]*want, len(got))
	for _, w := range ex.wants {
		found := false
		for i, f := range got {
			if used[i] != nil || f.Object != w.object || f.Rule != w.rule || f.Severity.String() != w.severity || f.Attribute != w.attribute || w.hasValue && f.Value != w.value || w.message != nil && !w.message.MatchString(f.Message) || w.fix != nil && !w.fix.MatchString(fixWords(f.Fix)) {
				continue
			}
			used[i], found = &w, true
			break
		}
		if !found {
			t.Errorf("%s: missing finding %s", w.line, w)
		}
	}
	// Causes: a wanted cause is the fingerprint of the named rule's finding
	// on the same object; every other finding has none.
	for i, f := range got {
		w := used[i]
		if w == nil {
			continue
		}
		want := ""
		if w.cause != "" {
			for _, g := range got {
				if g.Object == f.Object && g.Rule == w.cause {
					want = g.Fingerprint
				}
			}
			if want == "" {
				t.Errorf("%s: %s is caused by %s, but %s reports nothing on %s", w.line, f.Rule, w.cause, w.cause, f.Object)
				continue
			}
		}
		if f.Cause != want {
			t.Errorf("%s: %s on %s has cause %q, want %q (%s)", w.line, f.Rule, f.Object, f.Cause, want, cmp.Or(w.cause, "none"))
		}
	}
	byFP := map[string]*rules.Finding{}
	for i, f := range got {
		if g := byFP[f.Fingerprint]; g != nil {
			t.Errorf("fingerprint %s twice: %s %s on %s and %s %s on %s (diff and --baseline refuse such a report)", f.Fingerprint, g.Rule, g.Attribute, g.Object, f.Rule, f.Attribute, f.Object)
		}
		byFP[f.Fingerprint] = f
		if used[i] == nil {
			t.Errorf("unexpected finding %s %s %s %q on %s: %s", f.Rule, f.Severity, f.Attribute, f.Value, f.Object, f.Message)
		}
		if f.Fingerprint == "" || f.Message == "" || f.Fix.Text == "" || f.Related == nil {
			t.Errorf("incomplete finding %+v", f)
		}
	}

	// Skipped objects.
	skipped := map[string]string{}
	for _, s := range snap.Coverage.Skipped {
		skipped[s.Object] = s.Reason
	}
	for dn, re := range ex.skips {
		reason, ok := skipped[dn]
		switch {
		case !ok:
			t.Errorf("%s: not skipped, want a reason matching %q", dn, re)
		case !re.MatchString(reason):
			t.Errorf("%s: skipped because %q, want %q", dn, reason, re)
		}
	}
	for dn, reason := range skipped {
		if ex.skips[dn] == nil {
			t.Errorf("%s: unexpectedly skipped: %s", dn, reason)
		}
	}

	// Match plan.
	if !snap.HasCloud() {
		return
	}
	for i := range snap.OnPrem {
		o := &snap.OnPrem[i]
		m := plan.Matches[i]
		got := m.Outcome().String()
		if r := m.Blocks.String(); r != "" {
			got += " " + r
		}
		if m.Cloud >= 0 {
			got += " " + snap.Cloud[m.Cloud].ID
		}
		w, ok := ex.matches[o.DN]
		switch {
		case !ok && only != nil:
			// A rule's fixture states the matches that matter to it.
		case !ok:
			t.Errorf("%s: no \"# match:\" expectation; got %q", o.DN, got)
		case w != got:
			t.Errorf("%s: match %q, want %q", o.DN, got, w)
		}
	}
}

// example is the example environment of the README, with its two tenants.
const example = "../examples/contoso"

var exampleTenants = []string{"graph", "graph-strict"}

// inputs are every fixture and the example environment, each run with
// every rule.
func inputs(t *testing.T) map[string]*fixture {
	t.Helper()
	dirs, err := filepath.Glob("testdata/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	in := map[string]*fixture{}
	for _, dir := range dirs {
		in[dir] = loadFixture(t, dir)
	}
	for _, g := range exampleTenants {
		in[filepath.Join(example, g)] = loadInputs(t, example, g)
	}
	return in
}

// TestFindingsAgree: over the fixtures and the example environment, with
// every rule, no two findings on one object carry fixes that contradict
// (one attribute and from value, two different to values) or undo each
// other (one's to is the other's from and the other way round); and a
// finding's cause is a finding of the same run on the same object.
func TestFindingsAgree(t *testing.T) {
	for name, fx := range inputs(t) {
		t.Run(name, func(t *testing.T) {
			selected, err := rules.Select(rules.All(), rules.Config{Target: fx.cfg.Target})
			if err != nil {
				t.Fatal(err)
			}
			fx.cfg.Disable = nil
			got, _ := fx.run(t, selected)
			byObject := map[string][]*rules.Finding{}
			for _, f := range got {
				byObject[f.Object] = append(byObject[f.Object], f)
			}
			for object, fs := range byObject {
				for i, a := range fs {
					if a.Cause != "" && !slices.ContainsFunc(fs, func(g *rules.Finding) bool { return g.Fingerprint == a.Cause && g != a }) {
						t.Errorf("%s: %s names cause %s, which is no finding on the object", object, a.Rule, a.Cause)
					}
					for _, b := range fs[i+1:] {
						if a.Fix.Attribute == "" || !strings.EqualFold(a.Fix.Attribute, b.Fix.Attribute) {
							continue
						}
						if a.Fix.From == b.Fix.From && a.Fix.To != b.Fix.To {
							t.Errorf("%s: %s and %s contradict: %s %q becomes %q or %q", object, a.Rule, b.Rule, a.Fix.Attribute, a.Fix.From, a.Fix.To, b.Fix.To)
						}
						if a.Fix.From != a.Fix.To && a.Fix.From == b.Fix.To && a.Fix.To == b.Fix.From {
							t.Errorf("%s: %s undoes %s: %s %q to %q and back", object, b.Rule, a.Rule, a.Fix.Attribute, a.Fix.From, a.Fix.To)
						}
					}
				}
			}
		})
	}
}

// detour is advice that leads round in a circle when the match target
// holds a directory role: the hard match it sets up is blocked for role
// holders, and so is the soft match it clears the way for.
var detour = regexp.MustCompile(`(?i)(set|setting) (its|the) onPremisesImmutableId (of cloud \S+ )?to|onPremisesImmutableId, so that this object soft matches|hard match instead`)

// TestNoDetourAroundARoleBlock: on an object whose match is blocked by a
// directory role, every fix is the documented procedure or leaves the role
// alone; none suggests setting or clearing onPremisesImmutableId as a way
// round the block.
func TestNoDetourAroundARoleBlock(t *testing.T) {
	seen := 0
	for name, fx := range inputs(t) {
		selected, err := rules.Select(rules.All(), rules.Config{Target: fx.cfg.Target})
		if err != nil {
			t.Fatal(err)
		}
		fx.cfg.Disable = nil
		got, _ := fx.run(t, selected)
		blocked := map[string]bool{}
		for _, f := range got {
			if (f.Rule == "admin-soft-match-blocked" || f.Rule == "admin-hard-match-blocked") && f.Severity == rules.Error {
				blocked[f.Object] = true
				seen++
				for _, step := range []string{"for the first sync", "assign the role again once this object has joined", "hard-delete that duplicate first"} {
					if !strings.Contains(f.Fix.Text, step) {
						t.Errorf("%s: %s on %s: the fix lacks %q: %s", name, f.Rule, f.Object, step, f.Fix.Text)
					}
				}
			}
		}
		for _, f := range got {
			if blocked[f.Object] && detour.MatchString(f.Fix.Text) {
				t.Errorf("%s: %s on %s suggests a way round a role block that is blocked too: %s", name, f.Rule, f.Object, f.Fix.Text)
			}
		}
	}
	if seen < 4 {
		t.Errorf("only %d role blocks in the fixtures and the example", seen)
	}
}

// TestExampleCauses: in the example environment, the duplicates that
// exist only because a match is blocked name the block's finding as their
// cause, and no other finding has a cause; with the block rule turned off
// the cause is gone.
func TestExampleCauses(t *testing.T) {
	for _, c := range []struct {
		graph  string
		caused map[string]string // object -> the block rule of its duplicates
		rules  []string          // the duplicate rules that must be among them
	}{
		{"graph", map[string]string{
			"CN=Admin Soft Match,OU=Staff,OU=Contoso,DC=contoso,DC=com":         "admin-soft-match-blocked",
			"CN=Soft Match Anchored,OU=Staff,OU=Contoso,DC=contoso,DC=com":      "soft-match-anchored",
			"CN=Type Mismatch Contact,OU=Contacts,OU=Contoso,DC=contoso,DC=com": "type-mismatch",
		}, []string{"duplicate-proxy-address"}},
		{"graph-strict", map[string]string{
			"CN=Nestor Wilke,OU=Staff,OU=Contoso,DC=contoso,DC=com":   "soft-match-disabled",
			"CN=Johanna Lorenz,OU=Staff,OU=Contoso,DC=contoso,DC=com": "soft-match-disabled",
		}, []string{"duplicate-upn"}},
	} {
		t.Run(c.graph, func(t *testing.T) {
			fx := loadInputs(t, example, c.graph)
			for _, off := range append([]string{""}, slices.Sorted(maps.Values(c.caused))...) {
				cfg := rules.Config{}
				if off != "" {
					cfg.Disable = []string{off}
				}
				selected, err := rules.Select(rules.All(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := fx.run(t, selected)
				seen := map[string]int{}
				for _, f := range got {
					want := ""
					if r := c.caused[f.Object]; r != "" && r != off && strings.HasPrefix(f.Rule, "duplicate-") {
						for _, g := range got {
							if g.Object == f.Object && g.Rule == r {
								want = g.Fingerprint
							}
						}
						if want == "" {
							t.Errorf("%s: no %s finding to be the cause", f.Object, r)
						}
						seen[f.Rule]++
					}
					if f.Cause != want {
						t.Errorf("%s off: %s on %s has cause %q, want %q", cmp.Or(off, "nothing"), f.Rule, f.Object, f.Cause, want)
					}
				}
				for _, r := range c.rules {
					if off == "" && seen[r] == 0 {
						t.Errorf("no %s finding is caused by a block", r)
					}
				}
			}
		})
	}
}
