package graphdir

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// DirWriter writes an export directory in the shape Load reads: one file
// per Graph request, {"value": [...]}, each written under a temporary name
// (mode 0600: it holds personal data) and renamed when complete.
type DirWriter struct {
	dir string
}

// NewDirWriter creates dir (mode 0700) if needed.
func NewDirWriter(dir string) (*DirWriter, error) {
	if err := os.MkdirAll(filepath.Join(dir, RoleMembersDir), 0o700); err != nil {
		return nil, fmt.Errorf("create export directory: %w", err)
	}
	return &DirWriter{dir: dir}, nil
}

// Collection is one file being written, item by item.
type Collection struct {
	path string
	f    *os.File
	w    *bufio.Writer
	n    int
	err  error
}

// Create starts the file name (e.g. "users.json", "roleGroupMembers/<id>.json").
func (d *DirWriter) Create(name string) (*Collection, error) {
	path := filepath.Join(d.dir, name)
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", name, err)
	}
	c := &Collection{path: path, f: f, w: bufio.NewWriterSize(f, 1<<20)}
	_, c.err = c.w.WriteString(`{"value":[`)
	return c, c.err
}

// Add writes one item.
func (c *Collection) Add(item any) error {
	if c.err != nil {
		return c.err
	}
	b, err := json.Marshal(item)
	if err != nil {
		c.err = fmt.Errorf("export %s: %w", c.path, err)
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

// Close finishes the file and renames it into place.
func (c *Collection) Close() error {
	if c.err == nil {
		_, c.err = c.w.WriteString("\n]}\n")
	}
	if c.err == nil {
		c.err = c.w.Flush()
	}
	if cerr := c.f.Close(); c.err == nil {
		c.err = cerr
	}
	if c.err == nil {
		c.err = os.Rename(c.f.Name(), c.path)
	}
	if c.err != nil {
		os.Remove(c.f.Name())
		return fmt.Errorf("export %s: %w", c.path, c.err)
	}
	return nil
}

// Abort removes the unfinished file.
func (c *Collection) Abort() {
	c.f.Close()
	os.Remove(c.f.Name())
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
