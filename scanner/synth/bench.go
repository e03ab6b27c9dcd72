package synth

import (
	"os"
	"path/filepath"
	"sync"
)

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// BenchEnv returns the directory of a generated environment of n objects
// (made once per process, in a temporary directory), for benchmarks.
func BenchEnv(n int) (string, error) {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "syncready-bench-")
		if benchErr == nil {
			_, benchErr = Generate(benchDir, Options{Objects: n, Seed: 1, CloudOnly: -1})
		}
	})
	return benchDir, benchErr
}

// LDIF and Graph are the paths of a generated environment's inputs.
func LDIF(dir string) string  { return filepath.Join(dir, "onprem.ldif") }
func Graph(dir string) string { return filepath.Join(dir, "graph") }
