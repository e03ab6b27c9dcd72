package syncready

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/syncready/syncready/report"
	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// Source is one input of a scan: an LDIF file, a domain read live over LDAP,
// a Graph export directory, the tenant read live. Each reader package has
// one; a scan reads its sources side by side.
type Source interface {
	// Side is the side of the sync the source reads.
	Side() scanner.Side
	// Read reads the source into snap, a snapshot of its own: its objects
	// (on-premises objects with Source 0), what it read (snap.Sources) and
	// what it could not (snap.Coverage). A cloud source also sets
	// snap.Tenant.
	Read(ctx context.Context, snap *scanner.Snapshot) error
}

// Options are every setting of a scan, independent of flags and config
// files.
type Options struct {
	// Sources are read side by side: on-premises sources in the order
	// given (it is the order of the report's forests), and at most one
	// cloud source.
	Sources []Source

	// Target is the sync product the prediction is for (connect-sync by
	// default). Cloud Sync takes only the automatic source anchor.
	Target scanner.Target
	// Anchor is the source anchor the sync service uses; UPNAttr the
	// attribute that becomes the cloud UPN ("" for userPrincipalName).
	Anchor  scanner.SourceAnchor
	UPNAttr string
	// Scope is the OU filter (for Cloud Sync: its scope of OUs, an
	// exclusion inside a selected OU standing for the sub-OUs selected).
	Scope scanner.ScopeOptions
	// Rules selects rules and overrides severities.
	Rules rules.Config

	// Baseline is last week's JSON report, Suppressions the YAML file of
	// accepted findings; "" when not given.
	Baseline, Suppressions string

	// Outputs are report paths, by extension (.json, .xlsx, .csv); "-" is
	// JSON on Stdout. {date}, {time} and {tenant} are filled in and
	// directories created.
	Outputs []string
	// Inputs are files the outputs must never replace, besides the
	// sources' own (the config file).
	Inputs []string
	// LogFile is checked against the outputs and the inputs; the log itself
	// goes to Log.
	LogFile string
	// Stdout receives the JSON report of "-" and the terminal summary
	// (which goes to Stderr when "-" is among the outputs); nil writes no
	// summary.
	Stdout, Stderr io.Writer

	// FailOn is the severity a finding must reach for Result.Reached; 0
	// for none.
	FailOn rules.Severity

	// Now is the time of the scan (time.Now when zero); Tool names the
	// program in the reports.
	Now  time.Time
	Tool report.Tool
	// Log receives the phases, their timings and counts (nil: nothing).
	Log *slog.Logger
	// Warn receives warnings for the terminal (nil: only the log).
	Warn func(msg string)
	// Progress shows how far the long steps are (nil: nothing).
	Progress Progress
}

// Progress shows how far a long step of the scan is.
type Progress interface {
	// Phase starts a bar of total steps; add moves it on, done ends it.
	Phase(desc string, total int) (add func(n int), done func())
}

// OptionsError is a mistake in the options (a command-line or config
// mistake), not a failure of the scan.
type OptionsError struct{ Msg string }

func (e *OptionsError) Error() string { return e.Msg }

// check refuses options that contradict each other.
func (o *Options) check() error {
	if err := o.Target.CheckAnchor(o.Anchor); err != nil {
		return &OptionsError{Msg: err.Error()}
	}
	return nil
}

// ruleConfig is the rules' configuration: the selection and severities
// given, with the target, the UPN attribute and the OUs of the scope.
func (o *Options) ruleConfig() rules.Config {
	cfg := o.Rules
	cfg.UPNAttr = o.UPNAttr
	cfg.Target = o.Target
	cfg.IncludeOUs = o.Scope.IncludeOUs
	return cfg
}

func (o *Options) log() *slog.Logger {
	if o.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Log
}

func (o *Options) warn(msg string) {
	o.log().Warn(msg)
	if o.Warn != nil {
		o.Warn(msg)
	}
}

func (o *Options) phase(desc string, total int) (func(int), func()) {
	if o.Progress == nil {
		return func(int) {}, func() {}
	}
	return o.Progress.Phase(desc, total)
}

// phaseLog logs how long a step took, with its counts.
func (o *Options) phaseLog(name string, since time.Time, attrs ...any) {
	o.log().Info("phase", append([]any{"phase", name, "seconds", time.Since(since).Seconds()}, attrs...)...)
}
