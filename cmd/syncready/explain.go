package main

import (
	"context"
	"flag"
	"io"

	"github.com/syncready/syncready"
)

func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	f := addScanFlags(fs)
	names, err := parseFlags(fs, args, stdout, helpText("explain"))
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
