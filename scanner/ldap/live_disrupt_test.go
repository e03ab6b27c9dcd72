//go:build unix

package ldap

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/syncready/syncready/scanner"
)

// The TestLiveDisrupt tests stop (SIGSTOP) and kill (SIGKILL) the test
// domain controller in the middle of a read. The DC is then gone for the
// rest of the run, so they run only when SYNCREADY_TEST_LDAP_DISRUPT is set,
// in a with-samba.sh run of their own, in which every other live test
// skips:
//
//	bash .ci/samba/with-samba.sh env SYNCREADY_TEST_LDAP_REQUIRED=1 \
//	  SYNCREADY_TEST_LDAP_DISRUPT=1 go test -count=1 -run '^TestLiveDisrupt' ./scanner/ldap/

// liveDisrupt returns the live environment and the process group of the
// test DC's samba processes, or skips unless SYNCREADY_TEST_LDAP_DISRUPT is
// set.
func liveDisrupt(t *testing.T) (liveEnv, int) {
	t.Helper()
	if os.Getenv(disruptEnv) == "" {
		t.Skip(disruptEnv + " is not set: these tests stop and kill the test domain controller (see live_disrupt_test.go)")
	}
	e := liveDC(t)
	dir := os.Getenv("SYNCREADY_TEST_SAMBA_DIR")
	b, err := os.ReadFile(filepath.Join(dir, "run", "samba.pid"))
	if err != nil {
		t.Fatalf("the samba pid file (SYNCREADY_TEST_SAMBA_DIR %q): %v", dir, err)
	}
	pgid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pgid <= 1 {
		t.Fatalf("samba pid file: %q", b)
	}
	// with-samba.sh: samba's processes share one process group, the root
	// process's pid.
	if err := syscall.Kill(-pgid, 0); err != nil {
		t.Fatalf("samba process group %d: %v", pgid, err)
	}
	return e, pgid
}

// stoppingRead is a read of the whole domain over LDAPS that stops the DC
// (SIGSTOP to its process group) once the first 500 objects are in: the
// rest of the directory (3,000 bulk users and more, at least four pages) is
// then still to come.
type stoppingRead struct {
	stopped chan struct{} // closed once the DC is stopped
	done    chan struct{} // closed once Read returned
	objects atomic.Int64  // objects read so far (Progress)
	emitted int
	res     []Result
	err     error
}

func startStoppingRead(t *testing.T, e liveEnv, pgid int, opt Options) *stoppingRead {
	t.Helper()
	r := &stoppingRead{stopped: make(chan struct{}), done: make(chan struct{})}
	var once sync.Once
	opt.Password = e.password
	opt.Progress = func(_ *Source, n int) {
		r.objects.Store(int64(n))
		if n > 0 {
			// In the reading goroutine: no more is read until the DC is
			// stopped.
			once.Do(func() {
				if err := syscall.Kill(-pgid, syscall.SIGSTOP); err != nil {
					t.Errorf("SIGSTOP samba: %v", err)
				}
				close(r.stopped)
			})
		}
	}
	go func() {
		defer close(r.done)
		r.res, r.err = Read(context.Background(), []*Source{{URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca}}, opt, 0, func(*scanner.OnPrem) { r.emitted++ })
	}()
	select {
	case <-r.stopped:
	case <-r.done:
		t.Fatalf("the read ended before the DC was stopped: %v", r.err)
	case <-time.After(time.Minute):
		t.Fatal("the read did not get 500 objects in a minute")
	}
	return r
}

// blocked waits until the read has stopped making progress (what was on the
// wire before the stop is through) and checks it has not returned.
func (r *stoppingRead) blocked(t *testing.T) {
	t.Helper()
	last := r.objects.Load()
	for still := 0; still < 10; {
		select {
		case <-r.done:
			t.Fatalf("the read returned while the DC was stopped (objects %d, err %v): it cannot have read the whole directory", r.emitted, r.err)
		case <-time.After(100 * time.Millisecond):
		}
		if n := r.objects.Load(); n != last {
			last, still = n, 0
		} else {
			still++
		}
	}
}

// failed checks the read ended with an error within limit of since and
// delivered nothing.
func (r *stoppingRead) failed(t *testing.T, since time.Time, limit time.Duration, want string) {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(limit + 30*time.Second):
		t.Fatalf("the read still runs %v after the DC was disrupted", time.Since(since))
	}
	t.Logf("after %v: %v", time.Since(since).Round(time.Millisecond), r.err)
	if r.err == nil {
		t.Fatal("the read of a disrupted DC returned no error")
	}
	if !strings.Contains(r.err.Error(), want) {
		t.Errorf("err %q, want it to contain %q", r.err, want)
	}
	if !strings.Contains(r.err.Error(), "the scan is abandoned rather than reporting on part of the directory") {
		t.Errorf("err %q does not say the scan is abandoned", r.err)
	}
	if r.emitted != 0 || r.res != nil {
		t.Errorf("a failed read delivered %d objects and results %v", r.emitted, r.res)
	}
	if d := time.Since(since); d > limit {
		t.Errorf("the read failed %v after the DC was disrupted, want at most %v", d, limit)
	}
}

// TestLiveDisruptStoppedDC: a DC that falls silent mid-read (SIGSTOP: no
// reset, no bytes) ends the read with an error once the request in flight
// has waited RequestTimeout. The DC is resumed afterwards.
func TestLiveDisruptStoppedDC(t *testing.T) {
	e, pgid := liveDisrupt(t)
	resume := func() {
		if err := syscall.Kill(-pgid, syscall.SIGCONT); err != nil {
			t.Errorf("SIGCONT samba: %v", err)
		}
	}
	t.Cleanup(resume)
	const timeout = 3 * time.Second
	r := startStoppingRead(t, e, pgid, Options{RequestTimeout: timeout})
	stoppedAt := time.Now()
	r.failed(t, stoppedAt, timeout+5*time.Second, "connection timed out")
	resume()
	// The DC serves again (for the next test).
	if _, _, err := readAll(t, context.Background(), []*Source{{URL: e.ldaps, BindDN: e.bindDN, CAFile: e.ca, BaseDN: "OU=Users,OU=SyncReady," + e.base}}, Options{Password: e.password}); err != nil {
		t.Fatalf("the DC does not answer after SIGCONT: %v", err)
	}
}

// TestLiveDisruptKilledDC: a DC killed mid-read ends the read with an
// error at once (the kernel resets the connection), with no part of the
// directory delivered; the default timeouts are not what ends it. The DC is
// gone afterwards.
func TestLiveDisruptKilledDC(t *testing.T) {
	e, pgid := liveDisrupt(t)
	r := startStoppingRead(t, e, pgid, Options{})
	r.blocked(t)
	killedAt := time.Now()
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL samba: %v", err)
	}
	r.failed(t, killedAt, 10*time.Second, "stopped after")
}
