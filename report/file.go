package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// atomicFile is a report file written under a temporary name in the target's
// directory, mode 0600 (reports hold personal data), and renamed into place
// by commit. abort removes it: a failed scan leaves no half-written report.
type atomicFile struct {
	path string
	f    *os.File
	*bufio.Writer
}

func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create report %s: %w", path, err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("create report %s: %w", path, err)
	}
	return &atomicFile{path: path, f: f, Writer: bufio.NewWriterSize(f, 1<<20)}, nil
}

func (a *atomicFile) commit() error {
	err := a.Flush()
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("write report %s: %w", a.path, err)
	}
	return nil
}

func (a *atomicFile) abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}

// Create returns the writer for an --out value: the format comes from the
// extension; "-" is JSON on stdout.
func Create(path string, stdout io.Writer) (Writer, error) {
	if path == "-" {
		return NewJSON(nopCommitter{bufio.NewWriter(stdout)}), nil
	}
	ext := strings.ToLower(filepath.Ext(path))
	if !slices.Contains(Formats, ext) {
		return nil, fmt.Errorf("--out %s: unknown report format %q; use %s, or - (JSON on stdout)", path, filepath.Ext(path), strings.Join(Formats, ", "))
	}
	f, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	var w Writer
	switch ext {
	case ".xlsx":
		w, err = newXLSX(f)
	case ".csv":
		w, err = newCSV(f)
	default:
		w = NewJSON(f)
	}
	if err != nil {
		f.abort()
		return nil, err
	}
	return w, nil
}

// Formats lists the report file extensions Create accepts.
var Formats = []string{".json", ".xlsx", ".csv"}

// sink is where a streaming writer puts its bytes, and how it finishes.
type sink interface {
	io.Writer
	commit() error
	abort()
}

type nopCommitter struct{ *bufio.Writer }

func newBuffered(w io.Writer) *bufio.Writer { return bufio.NewWriter(w) }

func jsonMarshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode JSON: %w", err)
	}
	return b, nil
}

func (n nopCommitter) commit() error { return n.Flush() }
func (n nopCommitter) abort()        { _ = n.Flush() }
