package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncready/syncready/rules"
)

// TestProgressBarsOnATerminal: on a terminal, each phase of a scan shows
// its bar with objects/s (read, pair, rules, write); off a terminal (every
// other test, and unattended runs), none is drawn.
func TestProgressBarsOnATerminal(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := runCmd(t, "generate", "--objects", "12000", dir); code != exitOK {
		t.Fatal(e)
	}
	args := []string{"scan", "--ldif", filepath.Join(dir, "onprem.ldif"), "--graph-dir", filepath.Join(dir, "graph"), "--out", filepath.Join(dir, "r.json")}
	defer func(f func(io.Writer) bool) { isTerminal = f }(isTerminal)
	defer func(d time.Duration) { barThrottle = d }(barThrottle)
	isTerminal = func(io.Writer) bool { return true }
	barThrottle = 0 // every step drawn: a small scan is too quick otherwise
	_, _, stderr := runCmd(t, args...)
	selected, err := rules.Select(rules.All(), rules.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"reading onprem.ldif", "pairing", fmt.Sprintf("checking %d rules", len(selected)), "writing the match plan", "objects/s"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no %q on the terminal:\n%.2000q", want, stderr)
		}
	}

	isTerminal = func(io.Writer) bool { return false }
	_, _, stderr = runCmd(t, args...)
	if strings.Contains(stderr, "pairing") || strings.Contains(stderr, "\r") {
		t.Errorf("bars drawn off a terminal:\n%.2000q", stderr)
	}
}
