package main

import (
	"context"
	"flag"
	"io"

	"github.com/syncready/syncready"
)

const explainHelp = `Usage: syncready explain [the scan's flags] NAME...

Scans as "syncready scan" does and tells, for each NAME, what will happen to
the object: its attributes that matter to sync, the predicted outcome with
the steps that lead there (the hard-match anchor, the soft-match candidate
and the attribute it was found on, what blocks the join), and every finding
on it with its fix. NAME is a DN, UPN, sAMAccountName, mail or proxy address
on premises, or a UPN, mail or Graph id in the cloud; a name that several
objects have explains each. No report is written.

Exit codes: 0 every name was found, 1 a name no object has (the others are
still explained) or a runtime failure, 2 usage error.

Flags:
`

func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	f := addScanFlags(fs)
	names, err := parseFlags(fs, args, stdout, explainHelp)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return usagef("explain takes the names of the objects to explain: a DN, UPN, sAMAccountName, mail, or a cloud UPN or id")
	}
	if len(f.outs.vals) > 0 {
		return usagef("explain writes no report; --out is for syncready scan")
	}
	opts, closeLog, err := f.options(stdout, stderr)
	if err != nil {
		return err
	}
	defer closeLog()
	ex, err := syncready.Explain(ctx, *opts, names)
	if err != nil {
		return err
	}
	if err := ex.WriteText(stdout); err != nil {
		return err
	}
	return ex.Err()
}
