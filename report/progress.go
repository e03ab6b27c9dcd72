package report

import (
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/syncready/syncready/scanner/ldap"
)

// Progress draws the progress bars of a scan on a terminal: the reads,
// then each phase (pairing, rules, writing). Its methods draw nothing on a
// nil or switched-off Progress, which is what an unattended run gets, so
// its logs stay clean.
type Progress struct {
	w        io.Writer
	on       bool
	throttle time.Duration
}

// NewProgress draws bars onto w when on (w is a terminal), redrawing each
// at most once a throttle.
func NewProgress(w io.Writer, on bool, throttle time.Duration) *Progress {
	return &Progress{w: w, on: on, throttle: throttle}
}

// bar makes a bar of total units (-1: unknown), in bytes or objects; nil
// when bars are off.
func (p *Progress) bar(desc string, total int64, bytes bool) *progressbar.ProgressBar {
	if p == nil || !p.on {
		return nil
	}
	opts := []progressbar.Option{progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(desc),
		progressbar.OptionThrottle(p.throttle), progressbar.OptionClearOnFinish()}
	if total >= 0 {
		opts = append(opts, progressbar.OptionSetWidth(30))
	}
	if bytes {
		opts = append(opts, progressbar.OptionShowBytes(true))
	} else {
		opts = append(opts, progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("objects"))
	}
	return progressbar.NewOptions64(total, opts...)
}

// Files returns a function that gives each of n files read side by side a
// writer onto one bar of their total size (several bars would overwrite
// each other), or nil when bars are off.
func (p *Progress) Files(n int) func(path string, size int64) io.Writer {
	if p == nil || !p.on || n == 0 {
		return nil
	}
	var mu sync.Mutex
	var bar *progressbar.ProgressBar
	var total int64
	return func(path string, size int64) io.Writer {
		mu.Lock()
		defer mu.Unlock()
		total += size
		if bar == nil {
			desc := "reading " + filepath.Base(path)
			if n > 1 {
				desc = "reading " + pluralWord(n, "file", "files")
			}
			bar = p.bar(desc, total, true)
		} else {
			bar.ChangeMax64(total)
		}
		return bar
	}
}

// Counter returns a function that shows the objects read so far from n
// live sources on one bar, or nil when bars are off.
func (p *Progress) Counter(n int) func(src *ldap.Source, objects int) {
	f := p.total("reading " + pluralWord(n, "directory", "directories"))
	if f == nil {
		return nil
	}
	return func(src *ldap.Source, objects int) { f(src.URL, objects) }
}

// Collections returns a function that shows the items read so far from
// the tenant's collections, read concurrently, on one bar.
func (p *Progress) Collections() func(collection string, items int) {
	return p.total("reading the tenant")
}

// total draws one bar of the sum of several running counts.
func (p *Progress) total(desc string) func(key string, n int) {
	bar := p.bar(desc, -1, false)
	if bar == nil {
		return nil
	}
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

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Phase starts the bar of a phase of the scan after the reads (pairing,
// rules, writing), as objects done and objects/s (syncready.Progress).
func (p *Progress) Phase(desc string, total int) (add func(int), done func()) {
	var bar *progressbar.ProgressBar
	if total > 0 {
		bar = p.bar(desc, int64(total), false)
	}
	if bar == nil {
		return func(int) {}, func() {}
	}
	return func(n int) { _ = bar.Add(n) }, func() { _ = bar.Finish() }
}
