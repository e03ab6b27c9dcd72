package graphdir

import (
	"context"
	"testing"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/synth"
)

// BenchmarkLoad reads the tenant export of a generated environment of
// 50,000 on-premises objects (about 55,000 cloud objects).
func BenchmarkLoad(b *testing.B) {
	dir, err := synth.BenchEnv(50000)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		snap := &scanner.Snapshot{}
		if err := Load(context.Background(), synth.Graph(dir), snap, Options{}); err != nil {
			b.Fatal(err)
		}
		n = len(snap.Cloud)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}
