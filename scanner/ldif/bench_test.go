package ldif

import (
	"context"
	"testing"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/synth"
)

// BenchmarkRead reads a generated forest of 50,000 objects.
func BenchmarkRead(b *testing.B) {
	dir, err := synth.BenchEnv(50000)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n = 0
		if _, err := ReadFile(context.Background(), synth.LDIF(dir), Options{}, func(*scanner.OnPrem) { n++ }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}
