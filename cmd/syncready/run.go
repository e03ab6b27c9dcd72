package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/syncready/syncready"
)

// Exit codes: the contract scripts and schedulers rely on.
const (
	exitOK       = 0 // success
	exitFailure  = 1 // runtime failure or unreadable input
	exitUsage    = 2 // usage error
	exitFindings = 3 // a finding reached --fail-on
	// exitIncomplete: with --fail-on error or warning, the scan is
	// Incomplete and no finding reached --fail-on.
	exitIncomplete = 4
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// usagef is a mistake in the command line: exit 2.
func usagef(format string, args ...any) error {
	return &syncready.OptionsError{Msg: fmt.Sprintf(format, args...)}
}

// run is the whole program behind main, testable in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, helpText("syncready"))
		return exitUsage
	}
	var err error
	code := exitOK
	switch args[0] {
	case "scan":
		code, err = runScan(ctx, args[1:], stdout, stderr)
	case "fix":
		code, err = runFix(ctx, args[1:], stdout, stderr)
	case "export":
		err = runExport(ctx, args[1:], stdout, stderr)
	case "explain":
		err = runExplain(ctx, args[1:], stdout, stderr)
	case "diff":
		code, err = runDiff(ctx, args[1:], stdout, stderr)
	case "rules":
		err = runRules(args[1:], stdout)
	case "config":
		err = runConfig(args[1:], stdout)
	case "generate":
		err = runGenerate(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "syncready %s\n", toolVersion())
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[1] != "help" {
			return run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, helpText("syncready"))
	default:
		err = usagef("unknown command %q: want scan, fix, explain, diff, export, rules, config, generate or version", args[0])
	}
	var oe *syncready.OptionsError
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &oe):
		fmt.Fprintf(stderr, "syncready: %s\n", oe.Msg)
		return exitUsage
	case err != nil && (ctx.Err() != nil || errors.Is(err, syscall.EPIPE)):
		// Whatever failed, it failed because the run was stopped (a write
		// to a closed pipe may fail before its SIGPIPE is handled).
		cause := context.Cause(ctx)
		if ctx.Err() == nil {
			cause = interrupted{syscall.SIGPIPE}
		}
		fmt.Fprintf(stderr, "syncready: %s; no report was written\n", cause)
		return exitFailure
	case err != nil:
		fmt.Fprintf(stderr, "syncready: %s\n", err)
		return exitFailure
	}
	return code
}

// parseFlags parses args with fs, allowing flags before and after positional
// arguments; it returns the positional arguments. -h prints the flag help
// to stdout and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer, help string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, help)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return nil, flag.ErrHelp
		}
		if err != nil {
			msg := err.Error()
			if f, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
				var known []string
				fs.VisitAll(func(fl *flag.Flag) { known = append(known, "--"+fl.Name) })
				f = "--" + strings.TrimLeft(f, "-")
				msg = "unknown flag " + f + syncready.DidYouMean(f, known)
			}
			return nil, usagef("%s: %s (run \"syncready %s --help\")", fs.Name(), msg, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// listFlag is a repeatable string flag; values may also be comma-separated
// when split is set.
type listFlag struct {
	vals  []string
	split bool
}

func (l *listFlag) String() string { return strings.Join(l.vals, ",") }

func (l *listFlag) Set(v string) error {
	if !l.split {
		l.vals = append(l.vals, v)
		return nil
	}
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			l.vals = append(l.vals, s)
		}
	}
	return nil
}

// runConfig prints the example config, or checks a config file.
func runConfig(args []string, stdout io.Writer) error {
	switch {
	case len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help"):
		fmt.Fprint(stdout, "Usage: syncready config example       print a commented config file\n       syncready config check FILE    check a config file: its settings, and that the files it names exist\n\nUse it with: syncready scan --config FILE (flags override the file).\n")
		return nil
	case len(args) == 1 && args[0] == "example":
		_, err := io.WriteString(stdout, syncready.ConfigExample)
		return err
	case len(args) == 2 && args[0] == "check":
		c, err := syncready.LoadConfig(args[1])
		if err != nil {
			return err
		}
		if err := c.CheckFiles(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: ok (the settings are valid and the files and directories it names exist)\n", args[1])
		return nil
	}
	return usagef("config: want \"config example\" or \"config check FILE\"")
}

// The help of each command is a text file of help/: documentation, kept
// out of the code.
//
//go:embed help/*.txt
var helpFiles embed.FS

func helpText(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic("no help text " + name) // a file of this package is missing: a build mistake
	}
	return string(b)
}
