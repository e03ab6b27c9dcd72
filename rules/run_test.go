package rules

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/syncready/syncready/scanner"
)

// TestNotEvaluated: a rule is not evaluated when a tenant fact it needs
// was not read, with the reader's reason, or when no tenant side was read
// at all; the rules without Needs run on Active Directory alone. Which rules
// those are comes from the catalog, not from a list here.
func TestNotEvaluated(t *testing.T) {
	const noTenant = "no tenant side was read (give --graph-dir or a live tenant)"
	without := func(f scanner.Fact, reason string) *scanner.Tenant {
		t := &scanner.Tenant{Features: scanner.DefaultFeatures}
		t.SetUnknown(f, reason)
		return t
	}
	for _, c := range []struct {
		name   string
		tenant *scanner.Tenant
		want   func(*Rule) string // the reason, "" when evaluated
	}{
		{"no tenant", nil, func(r *Rule) string {
			if len(r.Needs) > 0 {
				return noTenant
			}
			return ""
		}},
		{"every fact read", &scanner.Tenant{Features: scanner.DefaultFeatures}, func(*Rule) string { return "" }},
		{"no domains", without(scanner.FactDomains, "domains.json not found in graph"), func(r *Rule) string {
			if slices.Contains(r.Needs, scanner.FactDomains) {
				return "domains.json not found in graph"
			}
			return ""
		}},
		{"no roles", without(scanner.FactRoles, "403 Forbidden: RoleManagement.Read.Directory is not granted"), func(r *Rule) string {
			if slices.Contains(r.Needs, scanner.FactRoles) {
				return "403 Forbidden: RoleManagement.Read.Directory is not granted"
			}
			return ""
		}},
	} {
		for _, target := range []scanner.Target{scanner.TargetConnectSync, scanner.TargetCloudSync} {
			t.Run(c.name+" "+target.String(), func(t *testing.T) {
				snap := &scanner.Snapshot{OnPrem: []scanner.OnPrem{{DN: "CN=U", Kind: scanner.KindUser, SAMAccountName: "u", UPN: "u@x.com"}}, Tenant: c.tenant}
				_, ne := run(t, snap, Config{Target: target})
				got := map[string]string{}
				for _, n := range ne {
					got[n.Rule] = n.Reason
				}
				skipped := 0
				for _, r := range All() {
					want := c.want(r)
					if r.CloudSync && target != scanner.TargetCloudSync {
						want = "" // not a rule of this prediction: neither run nor missing
					}
					if got[r.ID] != want {
						t.Errorf("%s: not evaluated because %q, want %q", r.ID, got[r.ID], want)
					}
					if want != "" {
						skipped++
					}
				}
				if len(ne) != skipped {
					t.Errorf("%d rules not evaluated, want %d: %v", len(ne), skipped, ne)
				}
			})
		}
	}
	// The catalog: the per-object rules, the two duplicate rules and
	// missing-upn run on Active Directory alone; the other cross-side rules
	// need the tenant.
	adOnly := 0
	for _, r := range All() {
		if len(r.Needs) == 0 {
			adOnly++
		}
	}
	if adOnly == 0 || adOnly == len(All()) {
		t.Errorf("%d of %d rules run on Active Directory alone: the catalog has both kinds", adOnly, len(All()))
	}
}

// manyFindings is a snapshot where every object breaks several rules, so
// each rule fills many batches.
func manyFindings(n int) *scanner.Snapshot {
	snap := &scanner.Snapshot{Tenant: &scanner.Tenant{}}
	for i := range n {
		snap.OnPrem = append(snap.OnPrem, user(fmt.Sprintf("CN=U%d,OU=Staff,DC=contoso,DC=com", i), fmt.Sprintf(" u%d@contoso.local", i%(n/3)), func(o *scanner.OnPrem) {
			o.DisplayName = " Name " + strconv.Itoa(i)
			o.ProxyAddresses = []string{fmt.Sprintf("smtp:shared%d@contoso.com", i/3)}
		}))
	}
	return snap
}

func TestRunInParallelKeepsTheOrder(t *testing.T) {
	snap := manyFindings(3000)
	plan := scanner.Pair(snap, scanner.AnchorAuto)
	collect := func(workers int) []Finding {
		var got []Finding
		var steps []int
		cfg := Config{Workers: workers, Progress: func(done, total int) {
			if total != len(All()) {
				t.Errorf("progress of %d rules, want %d", total, len(All()))
			}
			steps = append(steps, done)
		}}
		_, err := Run(context.Background(), snap, plan, All(), cfg, func(f *Finding) error {
			got = append(got, *f)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(steps) != len(All()) || steps[len(steps)-1] != len(All()) {
			t.Errorf("%d workers: progress %v", workers, steps)
		}
		return got
	}
	one := collect(1)
	rulesSeen := map[string]int{}
	for _, f := range one {
		rulesSeen[f.Rule]++
	}
	if len(one) < 10*findingBatch*findingBuffers || len(rulesSeen) < 4 {
		t.Fatalf("the snapshot must make several rules fill their buffers: %d findings from %v", len(one), rulesSeen)
	}
	for _, w := range []int{2, 3, 8} {
		if got := collect(w); !reflect.DeepEqual(got, one) {
			t.Errorf("%d workers: %d findings differ from one worker's %d", w, len(got), len(one))
		}
	}
}

func TestRunStopsOnEmitError(t *testing.T) {
	snap := manyFindings(3000)
	plan := scanner.Pair(snap, scanner.AnchorAuto)
	stop := errors.New("disk full")
	for _, w := range []int{1, 4} {
		n := 0
		_, err := Run(context.Background(), snap, plan, All(), Config{Workers: w}, func(f *Finding) error {
			if n++; n == 5000 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 5000 {
			t.Errorf("%d workers: %v after %d findings, want %v at 5000", w, err, n, stop)
		}
		ctx, cancel := context.WithCancel(context.Background())
		n = 0
		_, err = Run(ctx, snap, plan, All(), Config{Workers: w}, func(f *Finding) error {
			if n++; n == 100 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%d workers: canceled run returned %v", w, err)
		}
	}
}
