// Command syncready checks an Active Directory forest and a Microsoft Entra
// tenant before Entra Connect (or Cloud Sync) is switched on, and reports
// what the sync service will fail, misdirect or rewrite.
//
// This package is thin: flags become options, options drive the scanner, the
// rules and the report writers, and the outcome becomes an exit code.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/syncready/syncready/scanner"
)

// stopSignals end a run cleanly: the reports under way and their temporary
// files are removed and the exit code is non-zero. SIGPIPE is among them so
// that `syncready scan --out - | head` fails like an interrupt instead of
// dying with the temporary files left behind; SIGHUP and SIGQUIT for a
// closed terminal and Ctrl-\.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE}

func main() {
	ctx, stop := notify(context.Background())
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// interrupted is the cause of a run stopped by a signal.
type interrupted struct{ sig os.Signal }

func (e interrupted) Error() string { return fmt.Sprintf("interrupted (%s)", e.sig) }

// Unwrap makes errors.Is(err, context.Canceled) hold.
func (interrupted) Unwrap() error { return context.Canceled }

// notify returns a context that ends, with the signal as its cause, when one
// of stopSignals arrives.
func notify(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cancel(interrupted{sig})
		case <-done:
			return
		}
		// A second Ctrl-C or TERM ends the process at once, should the
		// clean-up itself hang; SIGPIPE may repeat and is not one of them.
		for {
			select {
			case sig := <-ch:
				if sig == os.Interrupt || sig == syscall.SIGTERM {
					scanner.RemoveTemps() // the clean-up under way may not finish
					fmt.Fprintf(os.Stderr, "syncready: %s again: stopped; no report was written\n", sig)
					os.Exit(exitFailure)
				}
			case <-done:
				return
			}
		}
	}()
	return ctx, func() {
		close(done)
		cancel(nil)
	}
}
