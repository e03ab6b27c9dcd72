package syncready

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/syncready/syncready/report"
)

// FileSource is implemented by sources read from files: the files (and,
// ending in a path separator, the folders) that no report or log may
// replace, and that another source may not read again.
type FileSource interface {
	Files() []string
}

// placeholders are what an output path may hold.
var placeholders = []string{"{date}", "{time}", "{tenant}"}

var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

// CheckPlaceholders refuses a path with a placeholder other than {date},
// {time} and {tenant}: a typo would otherwise become part of a file name.
func CheckPlaceholders(p string) error {
	for _, m := range placeholderRE.FindAllString(p, -1) {
		if !slices.Contains(placeholders, m) {
			return &OptionsError{Msg: fmt.Sprintf("%s: unknown placeholder %s; a path may hold %s", p, m, strings.Join(placeholders, ", "))}
		}
	}
	return nil
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ExpandPath fills {date}, {time} and {tenant} into a report path and
// creates its directory. The tenant id comes from the tenant's own data, so
// it must be a GUID to become part of a file name.
func ExpandPath(p string, now time.Time, tenant string) (string, error) {
	if p == "-" || p == "" {
		return p, nil
	}
	if err := CheckPlaceholders(p); err != nil {
		return "", err
	}
	if tenant == "" {
		tenant = "no-tenant"
	} else if strings.Contains(p, "{tenant}") && !guidRE.MatchString(tenant) {
		return "", fmt.Errorf("--out %s: the tenant id %q is not a GUID, so {tenant} cannot be filled in safely; check organization.json", p, tenant)
	}
	p = fill(p, now, tenant)
	if dir := filepath.Dir(p); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("--out %s: %w", p, err)
		}
	}
	return p, nil
}

// FillPath fills {date} and {time} into a path that cannot hold {tenant}
// (the log file, opened before the tenant is read).
func FillPath(p string, now time.Time) string { return fill(p, now, "{tenant}") }

// CheckOutputs refuses outputs and a log file that would replace an input,
// before anything is read or opened (see Scan).
func (o *Options) CheckOutputs() error { return o.checkOutputs("{tenant}") }

func fill(p string, now time.Time, tenant string) string {
	return strings.NewReplacer("{date}", now.Format("2006-01-02"), "{time}", now.Format("150405"), "{tenant}", tenant).Replace(p)
}

// checkOutputs refuses a report or log file that would replace an input (a
// source's file, the suppressions or config file), a log file that is also
// a report or the baseline (appending to it would corrupt it), an unknown
// placeholder, and one input read twice. Writing the JSON report over its
// own baseline is allowed: it replaces the baseline only once complete.
// tenant fills {tenant}.
func (o *Options) checkOutputs(tenant string) error {
	type guard struct{ path, what string }
	var guards []guard
	var files [][]string // per source
	for _, s := range o.Sources {
		if fs, ok := s.(FileSource); ok {
			files = append(files, fs.Files())
			for _, f := range fs.Files() {
				guards = append(guards, guard{f, "an input of the scan"})
			}
		}
	}
	for i := range files {
		for j := i + 1; j < len(files); j++ {
			for _, a := range files[i] {
				for _, b := range files[j] {
					if samePath(a, b) {
						return fmt.Errorf("%s and %s are the same file: give each domain or forest once", a, b)
					}
				}
			}
		}
	}
	if o.Suppressions != "" {
		guards = append(guards, guard{o.Suppressions, "the --suppressions file"})
	}
	for _, in := range o.Inputs {
		guards = append(guards, guard{in, "an input of the scan"})
	}
	check := func(flag, p string, also []guard) error {
		if p == "" || p == "-" {
			return nil
		}
		if err := CheckPlaceholders(p); err != nil {
			return err
		}
		p = fill(p, o.Now, tenant)
		for _, g := range guards {
			if covers(g.path, p) {
				return &OptionsError{Msg: fmt.Sprintf("%s %s would replace %s (%s): write it somewhere else", flag, p, g.what, g.path)}
			}
		}
		for _, g := range also {
			if g.path != "" && samePath(p, fill(g.path, o.Now, tenant)) {
				return &OptionsError{Msg: fmt.Sprintf("%s %s is also %s: give each its own file", flag, p, g.what)}
			}
		}
		return nil
	}
	for _, out := range o.Outputs {
		if err := check("--out", out, []guard{{o.LogFile, "the --log-file"}}); err != nil {
			return err
		}
	}
	return check("--log-file", o.LogFile, []guard{{o.Baseline, "the --baseline report"}})
}

// covers reports whether writing p would replace guard: the same file, or
// a file in the folder guard names (ending in a separator).
func covers(guard, p string) bool {
	if strings.HasSuffix(guard, string(filepath.Separator)) {
		g, err1 := filepath.Abs(guard)
		pa, err2 := filepath.Abs(p)
		return err1 == nil && err2 == nil && strings.HasPrefix(pa, g+string(filepath.Separator))
	}
	return samePath(guard, p)
}

// samePath reports whether two paths name one file: the same cleaned
// absolute path, or (when both exist) the same file through a link.
func samePath(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == bb {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// createOutputs creates the report writers of o.Outputs and the terminal
// summary; it returns the report files' names.
func (o *Options) createOutputs(tenant string) (*report.Outputs, []string, error) {
	if err := o.checkOutputs(tenant); err != nil {
		return nil, nil, err
	}
	outs := &report.Outputs{}
	summaryTo := o.Stdout
	var names []string
	stdout := o.Stdout
	if stdout == nil {
		stdout = io.Discard
	}
	var shown []string // what the summary's last line names
	for _, out := range o.Outputs {
		out, err := ExpandPath(out, o.Now, tenant)
		if err != nil {
			outs.Abort()
			return nil, nil, err
		}
		if out == "-" {
			summaryTo = o.Stderr
			shown = append(shown, "JSON on standard output")
		} else {
			shown = append(shown, out)
			names = append(names, out)
		}
		// Each report file is written in its own goroutine, beside the rules.
		if _, err := outs.Create(out, stdout, report.Async); err != nil {
			outs.Abort()
			return nil, nil, err
		}
	}
	if summaryTo != nil && o.Stdout != nil {
		outs.Add(report.NewText(summaryTo, shown))
	}
	return outs, names, nil
}

// CheckNotInputs refuses an output that is one of the inputs (diff's two
// reports): writing it would replace what it was made from.
func CheckNotInputs(outputs []string, inputs ...string) error {
	for _, out := range outputs {
		for _, in := range inputs {
			if out != "-" && samePath(out, in) {
				return &OptionsError{Msg: fmt.Sprintf("--out %s would replace the input %s: write it somewhere else", out, in)}
			}
		}
	}
	return nil
}
