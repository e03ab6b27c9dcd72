package rules

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"github.com/syncready/syncready/scanner"
)

func TestNotEvaluatedWithoutTenant(t *testing.T) {
	snap := &scanner.Snapshot{OnPrem: []scanner.OnPrem{{DN: "CN=U", Kind: scanner.KindUser, SAMAccountName: "u", UPN: "u@x.com"}}}
	_, ne := run(t, snap, Config{})
	evaluated := map[string]bool{}
	for _, r := range All() {
		evaluated[r.ID] = true
	}
	for _, n := range ne {
		delete(evaluated, n.Rule)
		if n.Reason == "" {
			t.Errorf("%s: no reason", n.Rule)
		}
	}
	// RULES.md: the per-object rules, the two duplicate rules and missing-upn
	// run on Active Directory alone.
	for _, id := range []string{"duplicate-proxy-address", "duplicate-upn", "missing-upn", "lowercase-primary-smtp", "multiple-primary-smtp",
		"invalid-character", "too-long", "invalid-format", "unroutable-domain", "blank", "duplicate-mailnickname", "large-object", "leading-trailing-space"} {
		if !evaluated[id] {
			t.Errorf("%s should run on Active Directory alone", id)
		}
		delete(evaluated, id)
	}
	if len(evaluated) > 0 {
		t.Errorf("cross-side rules evaluated without a tenant: %v", evaluated)
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
