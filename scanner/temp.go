package scanner

import (
	"os"
	"sync"
)

// The temporary files and folders a run writes (reports before they are
// put in place, sorting spools, an export directory) hold personal data.
// Each is tracked from its creation to its removal or rename, so that a
// program that must stop at once (a second Ctrl-C) can still remove them.
var temps struct {
	sync.Mutex
	paths map[string]bool
}

// CreateTemp is os.CreateTemp, tracked.
func CreateTemp(dir, pattern string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err == nil {
		TrackTemp(f.Name())
	}
	return f, err
}

// TrackTemp records a temporary file or folder.
func TrackTemp(path string) {
	temps.Lock()
	defer temps.Unlock()
	if temps.paths == nil {
		temps.paths = map[string]bool{}
	}
	temps.paths[path] = true
}

// UntrackTemp forgets a temporary file or folder that was renamed into
// place.
func UntrackTemp(path string) {
	temps.Lock()
	defer temps.Unlock()
	delete(temps.paths, path)
}

// RemoveTemp removes a temporary file or folder and forgets it.
func RemoveTemp(path string) {
	os.RemoveAll(path)
	UntrackTemp(path)
}

// RemoveTemps removes every temporary file and folder still there: for a
// program about to exit without its deferred clean-up.
func RemoveTemps() {
	temps.Lock()
	defer temps.Unlock()
	for p := range temps.paths {
		os.RemoveAll(p)
	}
	temps.paths = nil
}
