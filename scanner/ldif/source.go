package ldif

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/syncready/syncready/scanner"
)

// File is an LDIF file as a source of a scan: one domain or forest.
type File struct {
	Path    string
	UPNAttr string // the --upn-source attribute, "" for userPrincipalName
	// Progress, when set, returns a writer that receives the bytes read
	// (a progress bar), or nil.
	Progress func(path string, size int64) io.Writer
}

// Side is the on-premises side.
func (f *File) Side() scanner.Side { return scanner.OnPremSide }

// Read reads the file into snap: its objects, the file as forest and input,
// and what the file says it left out. A FIFO or a pipe that never writes
// does not hold the read past the end of ctx.
func (f *File) Read(ctx context.Context, snap *scanner.Snapshot) error {
	in, stop, err := scanner.OpenInput(ctx, f.Path)
	if err != nil {
		return fmt.Errorf("--ldif: %w", err)
	}
	defer in.Close()
	defer stop()
	snap.Sources.Forests = append(snap.Sources.Forests, filepath.Base(f.Path))
	snap.Sources.Inputs = append(snap.Sources.Inputs, f.Path)
	opt := Options{UPNAttr: f.UPNAttr}
	var r io.Reader = in
	if fi, err := in.Stat(); err == nil {
		if f.Progress != nil {
			if w := f.Progress(f.Path, fi.Size()); w != nil {
				r = io.TeeReader(in, w)
			}
		}
		// Size the object slice once from an early estimate instead of
		// growing (and copying) it many times.
		opt.SizeHint = fi.Size()
		opt.Reserve = func(n int) {
			if n > len(snap.OnPrem) {
				snap.ReserveOnPrem(n - len(snap.OnPrem))
			}
		}
	}
	st, err := Read(ctx, r, f.Path, opt, func(o *scanner.OnPrem) { snap.OnPrem = append(snap.OnPrem, *o) })
	if err != nil {
		return err
	}
	if st.Objects == 0 {
		return fmt.Errorf("--ldif %s holds no users, groups or contacts: %s; check that it is the export of a domain, with the filter and attributes in the README", f.Path, st.Empty)
	}
	snap.Coverage.Assumed = append(snap.Coverage.Assumed, st.Notes...)
	snap.Coverage.Partial = append(snap.Coverage.Partial, st.Partial...)
	snap.Coverage.MemberCounts = append(snap.Coverage.MemberCounts, st.MemberCounts...)
	return nil
}

// Files is the one file read.
func (f *File) Files() []string { return []string{f.Path} }
