package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// atomicFile is a report file written under a temporary name in the target's
// directory, mode 0600 (reports hold personal data), and renamed into place
// by commit. abort removes it: a failed scan leaves no half-written report.
type atomicFile struct {
	path string
	f    *os.File
	*bufio.Writer
	// held files are finished by commit but renamed only by publish: the
	// files of one scan become visible together or not at all.
	held, ready bool
}

func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := scanner.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create report %s: %w", path, err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		scanner.RemoveTemp(f.Name())
		return nil, fmt.Errorf("create report %s: %w", path, err)
	}
	return &atomicFile{path: path, f: f, Writer: bufio.NewWriterSize(f, 1<<20)}, nil
}

// commit finishes the file under its temporary name (flushed, synced,
// closed) and, unless it is held, renames it into place.
func (a *atomicFile) commit() error {
	err := a.Flush()
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		scanner.RemoveTemp(a.f.Name())
		return fmt.Errorf("write report %s: %w", a.path, err)
	}
	a.ready = true
	if a.held {
		return nil
	}
	return a.publish()
}

// publish renames the finished file into place.
func (a *atomicFile) publish() error {
	if err := os.Rename(a.f.Name(), a.path); err != nil {
		scanner.RemoveTemp(a.f.Name())
		return fmt.Errorf("write report %s: %w", a.path, err)
	}
	scanner.UntrackTemp(a.f.Name())
	a.ready = false
	return nil
}

func (a *atomicFile) abort() {
	a.f.Close()
	scanner.RemoveTemp(a.f.Name())
}

// Outputs are the reports of one run, committed together: every file is
// finished and synced under its temporary name before any is renamed into
// place, so a disk that fills up while the last one is written leaves none
// of them (a rename within a directory does not fail for lack of space).
// Writers that are not files (the terminal summary) commit after the files,
// so the terminal names only reports that exist.
type Outputs struct {
	files  []*atomicFile
	fileWs []Writer
	others []Writer
}

// Create adds the report for an --out value (see Create).
func (o *Outputs) Create(path string, stdout io.Writer, wrap func(Writer) Writer) (Writer, error) {
	w, f, err := create(path, stdout)
	if err != nil {
		return nil, err
	}
	if wrap != nil {
		w = wrap(w)
	}
	if f != nil {
		f.held = true
		o.files = append(o.files, f)
		o.fileWs = append(o.fileWs, w)
	} else {
		o.others = append(o.others, w)
	}
	return w, nil
}

// Add adds a writer that is not a file (the terminal summary).
func (o *Outputs) Add(w Writer) { o.others = append(o.others, w) }

// CreateFile adds a plain file (mode 0600, under a temporary name) that is
// put in place with the reports; the caller writes it completely before
// Commit.
func (o *Outputs) CreateFile(path string) (io.Writer, error) {
	f, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	f.held = true
	o.files = append(o.files, f)
	o.fileWs = append(o.fileWs, &plainFile{f})
	return f, nil
}

// plainFile is a file of Outputs that is not a report: its Handler calls do
// nothing.
type plainFile struct{ f *atomicFile }

func (p *plainFile) Start(*Header) error                        { return nil }
func (p *plainFile) Finding(*Finding) error                     { return nil }
func (p *plainFile) Match(*Match) error                         { return nil }
func (p *plainFile) Resolved(*rules.Finding) error              { return nil }
func (p *plainFile) End(*Summary, *scanner.Coverage) error      { return nil }
func (p *plainFile) Plan(*scanner.Snapshot, *scanner.Plan) bool { return true }
func (p *plainFile) Commit() error                              { return p.f.commit() }
func (p *plainFile) Abort()                                     { p.f.abort() }

// Reports returns the writers that are reports (not plain files).
func (o *Outputs) Reports() []Writer {
	var out []Writer
	for _, w := range o.Writers() {
		if _, plain := w.(*plainFile); !plain {
			out = append(out, w)
		}
	}
	return out
}

// Writers returns every writer: the files first, in the order created.
func (o *Outputs) Writers() []Writer {
	return append(append([]Writer{}, o.fileWs...), o.others...)
}

// Commit finishes every file, then renames them all into place, then
// commits the other writers. On a failure nothing more is committed and
// everything not yet in place is removed.
func (o *Outputs) Commit() error {
	for i, w := range o.fileWs {
		if err := w.Commit(); err != nil {
			for j, w := range o.fileWs {
				if j != i {
					w.Abort()
				}
			}
			for _, f := range o.files {
				if f.ready {
					scanner.RemoveTemp(f.f.Name())
				}
			}
			for _, w := range o.others {
				w.Abort()
			}
			return err
		}
	}
	for i, f := range o.files {
		if err := f.publish(); err != nil {
			for _, f := range o.files[i+1:] {
				scanner.RemoveTemp(f.f.Name())
			}
			for _, w := range o.others {
				w.Abort()
			}
			return err
		}
	}
	for _, w := range o.others {
		if err := w.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Abort discards every output.
func (o *Outputs) Abort() {
	for _, w := range o.Writers() {
		w.Abort()
	}
	for _, f := range o.files {
		if f.ready {
			scanner.RemoveTemp(f.f.Name())
		}
	}
}

// Create returns the writer for an --out value: the format comes from the
// extension; "-" is JSON on stdout.
func Create(path string, stdout io.Writer) (Writer, error) {
	w, _, err := create(path, stdout)
	return w, err
}

func create(path string, stdout io.Writer) (Writer, *atomicFile, error) {
	if path == "-" {
		return NewJSON(nopCommitter{bufio.NewWriter(stdout)}), nil, nil
	}
	if err := CheckFormat(path); err != nil {
		return nil, nil, err
	}
	format := formatOf(path)
	f, err := createAtomic(path)
	if err != nil {
		return nil, nil, err
	}
	w, err := format.create(f)
	if err != nil {
		f.abort()
		return nil, nil, err
	}
	return w, f, nil
}

// format is one kind of report file.
type format struct {
	ext    string
	create func(*atomicFile) (Writer, error)
}

// formats are the report files Create writes, by extension: the one list
// behind Create, Formats and the --out help.
var formats = []format{
	{".json", func(f *atomicFile) (Writer, error) { return NewJSON(f), nil }},
	{".xlsx", func(f *atomicFile) (Writer, error) { return newXLSX(f) }},
	{".csv", func(f *atomicFile) (Writer, error) { return newCSV(f) }},
}

// Formats lists the report file extensions Create accepts.
var Formats = func() []string {
	var l []string
	for _, f := range formats {
		l = append(l, f.ext)
	}
	return l
}()

func formatOf(path string) *format {
	ext := strings.ToLower(filepath.Ext(path))
	for i := range formats {
		if formats[i].ext == ext {
			return &formats[i]
		}
	}
	return nil
}

// CheckFormat refuses an --out path whose extension is not a report format,
// and a folder.
func CheckFormat(path string) error {
	if path == "-" {
		return nil
	}
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return fmt.Errorf("--out %s is a folder: give a file name in it, such as %sreport.xlsx", path, path)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("--out %s is a folder: give a file name in it, such as %s", path, filepath.Join(path, "report.xlsx"))
	}
	if formatOf(path) == nil {
		return fmt.Errorf("--out %s: unknown report format %q; use %s, or - for JSON on stdout", path, filepath.Ext(path), strings.Join(Formats, ", "))
	}
	return nil
}

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
