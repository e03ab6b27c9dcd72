package rules_test

import (
	"context"
	"testing"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
	"github.com/syncready/syncready/scanner/ldif"
	"github.com/syncready/syncready/scanner/synth"
)

func benchSnapshot(b *testing.B) *scanner.Snapshot {
	b.Helper()
	dir, err := synth.BenchEnv(50000)
	if err != nil {
		b.Fatal(err)
	}
	snap := &scanner.Snapshot{}
	if _, err := ldif.ReadFile(context.Background(), synth.LDIF(dir), ldif.Options{}, func(o *scanner.OnPrem) { snap.OnPrem = append(snap.OnPrem, *o) }); err != nil {
		b.Fatal(err)
	}
	if err := graphdir.Load(context.Background(), synth.Graph(dir), snap, graphdir.Options{}); err != nil {
		b.Fatal(err)
	}
	scanner.ApplyScope(snap, scanner.ScopeOptions{})
	return snap
}

// BenchmarkPair predicts the match plan of a generated environment of
// 50,000 objects a side.
func BenchmarkPair(b *testing.B) {
	snap := benchSnapshot(b)
	for b.Loop() {
		scanner.Pair(snap, scanner.AnchorAuto)
	}
	b.ReportMetric(float64(len(snap.OnPrem))*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkRules runs each rule over a generated environment of 50,000
// objects a side.
func BenchmarkRules(b *testing.B) {
	snap := benchSnapshot(b)
	plan := scanner.Pair(snap, scanner.AnchorAuto)
	for _, r := range rules.All() {
		cfg := rules.Config{}
		if r.CloudSync {
			cfg.Target = scanner.TargetCloudSync
		}
		b.Run(r.ID, func(b *testing.B) {
			n := 0
			for b.Loop() {
				n = 0
				if _, err := rules.Run(context.Background(), snap, plan, []*rules.Rule{r}, cfg, func(*rules.Finding) error { n++; return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "findings")
			b.ReportMetric(float64(len(snap.OnPrem))*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
		})
	}
}
