package graphdir

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/syncready/syncready/scanner"
)

// DirWriter writes an export directory in the shape Load reads: one file
// per Graph request, {"value": [...]}. The whole export is written into a
// new temporary directory beside the target, and Commit puts it in place
// at once: an export that fails part-way never leaves new files beside old
// ones, which a later scan would take for one export. Files are created
// with mode 0600 and directories 0700 (they hold personal data).
//
// Call Commit once every Collection is closed, or Abort to drop the export;
// Abort after Commit does nothing, so it can be deferred.
type DirWriter struct {
	dir string // the target
	tmp string // the export being written, beside dir

	mu   sync.Mutex // the live reader writes collections concurrently
	open int        // collections created and not yet closed or aborted
	done bool
}

// NewDirWriter starts an export into dir. An existing dir is replaced on
// Commit, so it must be empty or hold only an earlier export: any other
// file is refused now, before the tenant is read.
func NewDirWriter(dir string) (*DirWriter, error) {
	if target, err := filepath.EvalSymlinks(dir); err == nil {
		dir = target // replace the directory, not the link to it
	}
	dir, err := filepath.Abs(dir) // "." has a parent to write beside it in
	if err != nil {
		return nil, fmt.Errorf("export directory: %w", err)
	}
	if err := checkReplaceable(dir); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, fmt.Errorf("create export directory: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".*.tmp") // mode 0700
	if err != nil {
		return nil, fmt.Errorf("create export directory: %w", err)
	}
	scanner.TrackTemp(tmp)
	if err := os.Mkdir(filepath.Join(tmp, RoleMembersDir), 0o700); err != nil {
		scanner.RemoveTemp(tmp)
		return nil, fmt.Errorf("create export directory: %w", err)
	}
	return &DirWriter{dir: dir, tmp: tmp}, nil
}

// checkReplaceable refuses a dir that exists and is not a directory, or
// holds anything an export does not: Commit replaces the whole directory.
func checkReplaceable(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("export directory: %w", err)
	case !fi.IsDir():
		return fmt.Errorf("export directory %s: exists and is not a directory", dir)
	}
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("export directory: %w", err)
		}
		rel, _ := filepath.Rel(dir, path)
		if rel == "." || exportName(filepath.ToSlash(rel), d.IsDir()) {
			return nil
		}
		return fmt.Errorf("export directory %s holds %s, which is not part of a Graph export; the export replaces the whole directory, so choose a new or empty directory, or move that file out", dir, rel)
	})
}

// exportName reports whether rel (slash-separated, within the export
// directory) is a file or directory an export writes, or the temporary
// file of one that an interrupted export left behind.
func exportName(rel string, isDir bool) bool {
	if isDir {
		return rel == RoleMembersDir
	}
	dir, base := "", rel
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		dir, base = rel[:i+1], rel[i+1:]
	}
	if strings.HasPrefix(base, ".") && strings.HasSuffix(base, ".tmp") {
		if name, _, ok := strings.Cut(base[1:], ".json."); ok {
			return exportName(dir+name+".json", false)
		}
	}
	if m, ok := strings.CutPrefix(rel, RoleMembersDir+"/"); ok {
		return !strings.Contains(m, "/") && strings.HasSuffix(m, ".json")
	}
	switch rel {
	case UsersFile, GroupsFile, ContactsFile, RoleAssignFile, EligibilityFile, DomainsFile, OrganizationFile, SyncFile, DeletedFile:
		return true
	}
	return false
}

// rename is os.Rename; tests make it fail.
var rename = os.Rename

// Commit puts the export in place of dir: an existing dir is moved aside
// first, and removed once the new one is in place (or moved back if that
// fails).
func (d *DirWriter) Commit() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case d.done:
		return fmt.Errorf("export %s: already committed or aborted", d.dir)
	case d.open > 0:
		return fmt.Errorf("export %s: %d files are still being written; close them before Commit", d.dir, d.open)
	}
	d.done = true
	syncDir(d.tmp)
	if err := checkReplaceable(d.dir); err != nil { // it may have changed during the read
		scanner.RemoveTemp(d.tmp)
		return err
	}
	old := ""
	if _, err := os.Lstat(d.dir); err == nil {
		old = strings.TrimSuffix(d.tmp, ".tmp") + ".old"
		if err := rename(d.dir, old); err != nil {
			scanner.RemoveTemp(d.tmp)
			return fmt.Errorf("export %s: move the earlier export aside: %w", d.dir, err)
		}
	}
	if err := rename(d.tmp, d.dir); err != nil {
		scanner.RemoveTemp(d.tmp)
		if old != "" {
			if rerr := rename(old, d.dir); rerr != nil {
				return fmt.Errorf("export %s: %w; the earlier export could not be put back and is in %s: %v", d.dir, err, old, rerr)
			}
		}
		return fmt.Errorf("export %s: %w", d.dir, err)
	}
	scanner.UntrackTemp(d.tmp)
	syncDir(filepath.Dir(d.dir))
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("export %s: the new export is in place, but the earlier one could not be removed from %s: %w", d.dir, old, err)
		}
	}
	return nil
}

// Abort drops the export: the temporary directory is removed and dir is
// left as it was.
func (d *DirWriter) Abort() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return
	}
	d.done = true
	scanner.RemoveTemp(d.tmp)
}

// syncDir flushes a directory's entries to disk where the system can (not
// Windows), so a crash after a rename does not lose the names it moved.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync()
		f.Close()
	}
}

// Collection is one file being written, item by item.
type Collection struct {
	d    *DirWriter
	name string // in the target directory, for errors
	path string // in the export being written
	f    *os.File
	w    *bufio.Writer
	n    int
	err  error
	over bool // closed or aborted
}

// Create starts the file name (e.g. "users.json", "roleGroupMembers/<id>.json").
func (d *DirWriter) Create(name string) (*Collection, error) {
	show := filepath.Join(d.dir, name)
	if !filepath.IsLocal(name) || !exportName(filepath.ToSlash(name), false) || strings.HasPrefix(filepath.Base(name), ".") {
		return nil, fmt.Errorf("export %s: not a file of a Graph export", show)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return nil, fmt.Errorf("export %s: the export was already committed or aborted", show)
	}
	path := filepath.Join(d.tmp, name)
	// Straight into the export's temporary directory: nothing in it is
	// seen before Commit puts the whole directory in place.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", show, err)
	}
	d.open++
	c := &Collection{d: d, name: show, path: path, f: f, w: bufio.NewWriterSize(f, 1<<20)}
	_, _ = c.w.WriteString(`{"value":[`) // into the empty buffer: Flush reports errors
	return c, nil
}

// closed tells the DirWriter a collection is finished.
func (c *Collection) closed() {
	c.d.mu.Lock()
	if !c.over {
		c.over = true
		c.d.open--
	}
	c.d.mu.Unlock()
}

// Add writes one item.
func (c *Collection) Add(item any) error {
	if c.err != nil {
		return c.err
	}
	b, err := json.Marshal(item)
	if err != nil {
		c.err = fmt.Errorf("export %s: %w", c.name, err)
		return c.err
	}
	if c.n > 0 {
		_ = c.w.WriteByte(',') // bufio errors are sticky: Write reports them
	}
	_ = c.w.WriteByte('\n')
	_, c.err = c.w.Write(b)
	c.n++
	return c.err
}

// Close finishes the file.
func (c *Collection) Close() error {
	if c.over {
		return fmt.Errorf("export %s: closed twice", c.name)
	}
	defer c.closed()
	if c.err == nil {
		_, c.err = c.w.WriteString("\n]}\n")
	}
	if c.err == nil {
		c.err = c.w.Flush()
	}
	if c.err == nil {
		c.err = c.f.Sync()
	}
	if cerr := c.f.Close(); c.err == nil {
		c.err = cerr
	}
	if c.err != nil {
		os.Remove(c.path)
		return fmt.Errorf("export %s: %w", c.name, c.err)
	}
	return nil
}

// Abort removes the unfinished file.
func (c *Collection) Abort() {
	if c.over {
		return
	}
	defer c.closed()
	c.f.Close()
	os.Remove(c.path)
}

// WriteOne writes a file holding a single collection of items at once.
func (d *DirWriter) WriteOne(name string, items []any) error {
	c, err := d.Create(name)
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := c.Add(it); err != nil {
			c.Abort()
			return err
		}
	}
	return c.Close()
}
