package syncready

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/syncready/syncready/scanner/ldap"
	"github.com/syncready/syncready/scanner/ldif"
)

// ExportLDIF reads live directories and writes every entry, as read, to the
// LDIF file path (mode 0600: it holds personal data), which the offline
// reader takes back unchanged. The file appears only once complete. It
// returns what was read from each directory and the entries written.
func ExportLDIF(ctx context.Context, path string, dirs []*ldap.Source, opt ldap.Options, tool string) ([]ldap.Result, int, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, 0, fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // after the rename this removes nothing
	defer f.Close()
	w := ldif.NewWriter(f)
	w.Comment(fmt.Sprintf("%s export, %s", tool, time.Now().UTC().Format(time.RFC3339)))
	for _, s := range dirs {
		w.Comment("source: " + s.URL)
	}
	results, err := ldap.Export(ctx, dirs, opt, w)
	if err != nil {
		return nil, 0, err
	}
	if err := w.Flush(); err != nil {
		return nil, 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return nil, 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return nil, 0, fmt.Errorf("write %s: %w", path, err)
	}
	return results, w.Records(), nil
}
