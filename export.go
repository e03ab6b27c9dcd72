package syncready

import (
	"context"
	"fmt"
	"time"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/scanner/ldap"
	"github.com/syncready/syncready/scanner/ldif"
)

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
