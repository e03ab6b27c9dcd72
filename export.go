package syncready

import (
	"context"
	"fmt"
	"time"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/ldap"
	"github.com/syncready/syncready/scanner/ldif"
)

// ExportTenant reads the tenant through a cloud source that writes its
// export directory as it reads (graph.Tenant with Save set), and says what
// was written and what was not read.
func ExportTenant(ctx context.Context, tenant Source, dir string) ([]string, error) {
	snap := &scanner.Snapshot{}
	if err := tenant.Read(ctx, snap); err != nil {
		return nil, err
	}
	lines := []string{fmt.Sprintf("wrote the tenant (%d cloud objects) to %s", len(snap.Cloud), dir)}
	for _, a := range snap.Coverage.Assumed {
		lines = append(lines, "  note: "+a)
	}
	for _, p := range snap.Coverage.Partial {
		lines = append(lines, "  not read: "+p)
	}
	return lines, nil
}

// ExportDirectories writes the live directories to the LDIF file path (see
// ExportLDIF) and says what was read and written.
func ExportDirectories(ctx context.Context, path string, dirs []*ldap.Source, opt ldap.Options, tool string) ([]string, error) {
	results, n, err := ExportLDIF(ctx, path, dirs, opt, tool)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, r := range results {
		lines = append(lines, fmt.Sprintf("read %s (base %s)", r.Source.URL, r.BaseDN))
		for _, n := range r.Notes {
			lines = append(lines, "  note: "+n)
		}
		for _, p := range r.Partial {
			lines = append(lines, "  not read: "+p)
		}
	}
	return append(lines, fmt.Sprintf("wrote %d entries to %s", n, path)), nil
}

// ExportLDIF reads live directories and writes every entry, as read, to the
// LDIF file path (mode 0600: it holds personal data), which the offline
// reader takes back unchanged. The file appears only once complete. It
// returns what was read from each directory and the entries written.
func ExportLDIF(ctx context.Context, path string, dirs []*ldap.Source, opt ldap.Options, tool string) ([]ldap.Result, int, error) {
	var out report.Outputs
	f, err := out.CreateFile(path)
	if err != nil {
		return nil, 0, err
	}
	w := ldif.NewWriter(f)
	w.Comment(fmt.Sprintf("%s export, %s", tool, time.Now().UTC().Format(time.RFC3339)))
	for _, s := range dirs {
		w.Comment("source: " + s.URL)
	}
	results, err := ldap.Export(ctx, dirs, opt, w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = out.Commit()
	}
	if err != nil {
		out.Abort()
		return nil, 0, err
	}
	return results, w.Records(), nil
}
