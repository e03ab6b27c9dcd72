package graph

import (
	"context"

	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
)

// Tenant is the tenant read live, as the cloud source of a scan.
type Tenant struct {
	Reader *Reader
	// Save, when set, is the export directory to write what was read to.
	Save string
}

// Side is the cloud side.
func (t *Tenant) Side() scanner.Side { return scanner.CloudSide }

// Read reads the tenant into snap, and writes the export directory when
// Save is set.
func (t *Tenant) Read(ctx context.Context, snap *scanner.Snapshot) error {
	var w *graphdir.DirWriter
	if t.Save != "" {
		var err error
		if w, err = graphdir.NewDirWriter(t.Save); err != nil {
			return err
		}
	}
	if w != nil {
		defer w.Abort() // a failed read leaves the earlier export as it was
	}
	b := graphdir.NewBuilder(snap)
	reqs, err := t.Reader.Read(ctx, b, w)
	if err != nil {
		return err
	}
	if err := b.Finish(); err != nil {
		return err
	}
	if w != nil {
		if err := w.Commit(); err != nil {
			return err
		}
	}
	snap.Sources.Inputs = append(snap.Sources.Inputs, reqs...)
	return nil
}
