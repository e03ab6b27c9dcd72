package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/syncready/syncready/scanner/synth"
)

func runGenerate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	n := fs.Int("objects", 10000, "write `N` on-premises objects (85% users, 10% groups, 5% contacts)")
	seed := fs.Uint64("seed", 1, "the random `SEED`: the same seed writes the same files")
	cloudOnly := -1 // a tenth of --objects
	fs.Func("cloud-only", "also write `N` cloud users that no on-premises object matches (default a tenth of --objects)", func(s string) error {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			return fmt.Errorf("want a number of users, 0 or more")
		}
		cloudOnly = v
		return nil
	})
	pos, err := parseFlags(fs, args, stdout, helpText("generate"))
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("generate takes one directory")
	}
	if *n < 1 {
		return usagef("--objects must be at least 1")
	}
	m, err := synth.Generate(pos[0], synth.Options{Objects: *n, Seed: *seed, CloudOnly: cloudOnly})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s: %s\n", pos[0], m)
	return nil
}
