// Command syncready checks an Active Directory forest and a Microsoft Entra
// tenant before Entra Connect (or Cloud Sync) is switched on, and reports
// what the sync service will fail, misdirect or rewrite.
//
// This package is thin: flags become options, options drive the scanner, the
// rules and the report writers, and the outcome becomes an exit code.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
