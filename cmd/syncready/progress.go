package main

import (
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/syncready/syncready/report"
)

// barThrottle is how often a bar is redrawn at most (a variable for tests).
var barThrottle = 100 * time.Millisecond

// isTerminal reports whether w is a terminal (a variable for tests).
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newProgress draws progress bars on stderr only when it is a terminal.
func newProgress(stderr io.Writer) *report.Progress {
	return report.NewProgress(stderr, isTerminal(stderr), barThrottle)
}
