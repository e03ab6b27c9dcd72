package main

import (
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
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
