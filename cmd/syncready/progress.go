package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/syncready/syncready/scanner/ldap"
)

// progress draws progress bars on stderr while inputs are read, only when
// stderr is a terminal: an unattended run's logs stay clean.
type progress struct {
	w  io.Writer
	on bool
}

func newProgress(stderr io.Writer) *progress {
	f, ok := stderr.(*os.File)
	return &progress{w: stderr, on: ok && term.IsTerminal(int(f.Fd()))}
}

// bytes returns a writer that advances a bar for a file of size bytes, or
// nil when bars are off.
func (p *progress) bytes(path string, size int64) io.Writer {
	if p == nil || !p.on {
		return nil
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription("reading "+filepath.Base(path)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// counter returns a function that shows the objects read so far from n
// live sources on one bar (several bars would overwrite each other), or
// nil when bars are off.
func (p *progress) counter(n int) func(src *ldap.Source, objects int) {
	f := p.total("reading " + plural(n, "directory", "directories"))
	if f == nil {
		return nil
	}
	return func(src *ldap.Source, objects int) { f(src.URL, objects) }
}

// collections returns a function that shows the items read so far from
// the tenant's collections, read concurrently, on one bar.
func (p *progress) collections() func(collection string, items int) {
	return p.total("reading the tenant")
}

// total draws one bar of the sum of several running counts.
func (p *progress) total(desc string) func(key string, n int) {
	if p == nil || !p.on {
		return nil
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("objects"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	var mu sync.Mutex
	last := map[string]int{}
	total := 0
	return func(key string, n int) {
		mu.Lock()
		defer mu.Unlock()
		total += n - last[key]
		last[key] = n
		_ = bar.Set(total)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
