package scanner

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRemoveTemps: what is tracked and not yet removed or renamed goes; what
// was renamed into place stays.
func TestRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	a, err := CreateTemp(dir, "a-*.tmp")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := CreateTemp(dir, "b-*.tmp")
	folder := filepath.Join(dir, "export.tmp")
	os.Mkdir(folder, 0o700)
	os.WriteFile(filepath.Join(folder, "users.json"), []byte("{}"), 0o600)
	TrackTemp(folder)
	kept := filepath.Join(dir, "report.json")
	if err := os.Rename(b.Name(), kept); err != nil {
		t.Fatal(err)
	}
	UntrackTemp(b.Name())
	a.Close()
	b.Close()
	RemoveTemps()
	for _, gone := range []string{a.Name(), folder} {
		if _, err := os.Stat(gone); err == nil {
			t.Errorf("%s is still there", gone)
		}
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("the file put in place was removed: %v", err)
	}
}
