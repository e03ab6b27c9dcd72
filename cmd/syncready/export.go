package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/syncready/syncready"
	"github.com/syncready/syncready/scanner/graph"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	out := fs.String("ldif", "", "write the directory to LDIF `FILE`")
	graphOut := fs.String("graph-dir", "", "write the tenant to export directory `DIR`")
	upnSource := fs.String("upn-source", "userPrincipalName", "also read `ATTR` (the attribute that becomes the cloud UPN)")
	lf := addLDAPFlags(fs)
	gf := addGraphFlags(fs)
	pos, err := parseFlags(fs, args, stdout, helpText("export"))
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("export takes no arguments, found %q", pos[0])
	}
	srcs, err := lf.sources()
	if err != nil {
		return err
	}
	switch {
	case *out == "" && *graphOut == "":
		return usagef("export needs --ldif FILE with --ldap-url URL, and/or --graph-dir DIR with a live tenant (--tenant-id, --graph-endpoint, …)")
	case (*out != "") != (len(srcs) > 0):
		return usagef("export: --ldif FILE and --ldap-url URL go together")
	case (*graphOut != "") != gf.live():
		return usagef("export: --graph-dir DIR and a live tenant (--tenant-id, --graph-endpoint, …) go together")
	}
	var lines []string
	if *graphOut != "" {
		r, err := gf.reader(stderr, newProgress(stderr).Collections(), func() *slog.Logger { return slog.New(slog.DiscardHandler) })
		if err != nil {
			return err
		}
		if lines, err = syncready.ExportTenant(ctx, &graph.Tenant{Reader: r, Save: *graphOut}, *graphOut); err != nil {
			return err
		}
	}
	if *out != "" {
		more, err := syncready.ExportDirectories(ctx, *out, srcs, ldapOptions(*upnSource), "syncready "+toolVersion())
		if err != nil {
			return err
		}
		lines = append(lines, more...)
	}
	for _, l := range lines {
		fmt.Fprintln(stderr, l)
	}
	return nil
}
