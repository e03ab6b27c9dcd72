package graph

import (
	"context"
	"testing"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graph/graphtest"
	"github.com/syncready/syncready/scanner/graphdir"
	"github.com/syncready/syncready/scanner/synth"
)

// BenchmarkLiveRead reads the tenant of a generated environment of 100,000
// on-premises objects (about 110,000 cloud objects) from the stand-in,
// 999 items a page, through the SDK.
func BenchmarkLiveRead(b *testing.B) {
	dir, err := synth.BenchEnv(100000)
	if err != nil {
		b.Fatal(err)
	}
	s := graphtest.Start(synth.Graph(dir))
	defer s.Close()
	s.PageSize = 999
	r, err := NewReader(Options{Endpoint: s.URL, Auth: Token(graphtest.Token)})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		snap := &scanner.Snapshot{}
		bld := graphdir.NewBuilder(snap)
		if _, err := r.Read(context.Background(), bld, nil); err != nil {
			b.Fatal(err)
		}
		bld.Finish()
		n = len(snap.Cloud)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}
