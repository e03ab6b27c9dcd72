package syncready

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
	"github.com/syncready/syncready/scanner/graphdir"
)

// Settings are a scan's settings in words, as flags and config files hold
// them; Apply checks them and fills them into Options.
type Settings struct {
	Anchor, Target, UPNSource, FailOn string
	IncludeOUs, ExcludeOUs            []string
	Disable, Enable                   []string
	// Severity holds ID=level overrides.
	Severity []string
	Outputs  []string
	// FixOutputs says the outputs are a fix's (Fix checks their kinds).
	FixOutputs         bool
	LogFile, SaveGraph string
}

// Apply checks s and fills it into o; a mistake is an *OptionsError naming
// the setting by its flag.
func (s *Settings) Apply(o *Options) error {
	bad := func(format string, args ...any) error { return &OptionsError{Msg: fmt.Sprintf(format, args...)} }
	var err error
	if o.Anchor, err = scanner.ParseSourceAnchor(s.Anchor); err != nil {
		return bad("--source-anchor: %v", err)
	}
	if o.Target, err = scanner.ParseTarget(s.Target); err != nil {
		return bad("--target: %v", err)
	}
	if err := o.Target.CheckAnchor(o.Anchor); err != nil {
		return bad("%v", err)
	}
	o.UPNAttr = s.UPNSource
	if strings.TrimSpace(s.UPNSource) == "" || strings.ContainsAny(s.UPNSource, " ,;:=") {
		return bad("--upn-source %q: want an LDAP attribute name such as userPrincipalName or mail", s.UPNSource)
	}
	for _, dn := range append(append([]string{}, s.IncludeOUs...), s.ExcludeOUs...) {
		if !strings.Contains(dn, "=") {
			return bad("--include-ou/--exclude-ou %q: want a DN such as OU=Staff,DC=contoso,DC=com", dn)
		}
	}
	o.Scope = scanner.ScopeOptions{IncludeOUs: s.IncludeOUs, ExcludeOUs: s.ExcludeOUs}
	o.Rules = rules.Config{Disable: s.Disable, Enable: s.Enable, Severity: map[string]rules.Severity{}}
	for _, v := range s.Severity {
		id, level, ok := strings.Cut(v, "=")
		if !ok {
			return bad("--severity %q: want ID=error|warning|info", v)
		}
		l, err := rules.ParseSeverity(level)
		if err != nil {
			return bad("--severity %s: %v", v, err)
		}
		o.Rules.Severity[strings.TrimSpace(id)] = l
	}
	if o.FailOn, err = ParseFailOn(s.FailOn); err != nil {
		return err
	}
	stdoutJSON := 0
	for _, out := range s.Outputs {
		if out == "-" {
			stdoutJSON++
		} else if err := report.CheckFormat(out); err != nil && !s.FixOutputs {
			return &OptionsError{Msg: err.Error()}
		}
		if err := CheckPlaceholders(out); err != nil {
			return err
		}
	}
	if stdoutJSON > 1 {
		return bad("--out - given twice: stdout can carry one JSON report")
	}
	o.Outputs, o.LogFile = s.Outputs, s.LogFile
	for _, p := range []string{s.LogFile, s.SaveGraph} {
		if err := CheckPlaceholders(p); err != nil {
			return err
		}
	}
	if strings.Contains(s.LogFile, "{tenant}") {
		return bad("--log-file %s: the log is opened before the tenant is read, so it cannot hold {tenant}; {date} and {time} are filled in", s.LogFile)
	}
	return nil
}

// ParseFailOn parses --fail-on: 0 for none.
func ParseFailOn(s string) (rules.Severity, error) {
	switch strings.ToLower(s) {
	case "none", "":
		return 0, nil
	case "error":
		return rules.Error, nil
	case "warning":
		return rules.Warning, nil
	}
	return 0, &OptionsError{Msg: fmt.Sprintf("--fail-on %q: want error, warning or none", s)}
}

// OpenLog opens a log file for JSON lines (appended, mode 0600), or a
// logger that writes nothing when path is "".
func OpenLog(path string) (*slog.Logger, func(), error) {
	if path == "" {
		return slog.New(slog.DiscardHandler), func() {}, nil
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("--log-file: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--log-file: %w", err)
	}
	return slog.New(slog.NewJSONHandler(f, nil)), func() { f.Close() }, nil
}

// SetMemoryLimit gives the garbage collector a target that follows the
// size of the input files (unless GOMEMLIMIT says otherwise): without one,
// the heap of a million-object scan grows to twice what it holds. The
// figures per input byte are measured: an object costs about 1.25 times its
// LDIF text and 1.45 times its Graph JSON in memory. With a live source the
// size is not known before, and nothing is set.
func (o *Options) SetMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	var ldifBytes, jsonBytes int64
	for _, s := range o.Sources {
		fs, ok := s.(FileSource)
		if !ok {
			return
		}
		for _, p := range fs.Files() {
			fi, err := os.Stat(p)
			switch {
			case err != nil || !fi.Mode().IsRegular():
			case s.Side() == scanner.OnPremSide:
				ldifBytes += fi.Size()
			case filepath.Base(p) == graphdir.UsersFile || filepath.Base(p) == graphdir.GroupsFile || filepath.Base(p) == graphdir.ContactsFile:
				jsonBytes += fi.Size()
			}
		}
	}
	live := 1.25*float64(ldifBytes) + 1.45*float64(jsonBytes)
	limit := int64(1.3*live) + 256<<20
	debug.SetMemoryLimit(limit)
	o.log().Info("memory target", "bytes", limit)
}
