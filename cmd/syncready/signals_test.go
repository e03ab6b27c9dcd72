//go:build unix

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the real program in a child process (signals
// go to a whole process): SYNCREADY_TEST_MAIN=1 makes the test binary
// syncready itself.
func TestMain(m *testing.M) {
	if os.Getenv("SYNCREADY_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// child starts the program with args in a child process whose TMPDIR is
// tmp; stdout goes to out (nil: discarded).
func child(t *testing.T, tmp string, out io.Writer, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "SYNCREADY_TEST_MAIN=1", "TMPDIR="+tmp)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// waitExit waits at most d for the child and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd, d time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode()
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		t.Fatalf("the program did not end within %s of the signal", d)
		return -1
	}
}

func readFile(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}

func emptyDir(t *testing.T, what, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) > 0 {
		t.Errorf("%s holds %v after the run", what, names)
	}
}

// TestSignalsWhileReadingAFIFO: an --ldif FIFO that nobody writes to, or
// that stops writing mid-record, no longer holds the program past a signal:
// each stop signal ends it at once with exit 1, saying so.
func TestSignalsWhileReadingAFIFO(t *testing.T) {
	for _, c := range []struct {
		sig    syscall.Signal
		name   string
		writer bool // a writer that sends half a record and waits
		graph  bool // the FIFO is the Graph export's users.json
	}{
		{syscall.SIGTERM, "terminated", false, false},
		{syscall.SIGINT, "interrupt", false, false},
		{syscall.SIGHUP, "hangup", false, false},
		{syscall.SIGQUIT, "quit", false, false},
		{syscall.SIGTERM, "terminated", true, false},
		{syscall.SIGTERM, "terminated", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			fifo := filepath.Join(dir, "in.ldif")
			input := []string{"--ldif", fifo}
			if c.graph {
				os.Mkdir(filepath.Join(dir, "graph"), 0o700)
				fifo = filepath.Join(dir, "graph", "users.json")
				input = []string{"--graph-dir", filepath.Join(dir, "graph")}
			}
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			out := filepath.Join(dir, "out")
			log := filepath.Join(dir, "scan.log")
			cmd, stderr := child(t, tmp, nil, append(append([]string{"scan"}, input...), "--out", filepath.Join(out, "r.json"), "--log-file", log)...)
			if c.writer {
				w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for the reader
				if err != nil {
					t.Fatal(err)
				}
				defer w.Close()
				if _, err := w.Write([]byte("dn: CN=Half,DC=contoso,DC=com\nobjectClass: user\n")); err != nil {
					t.Fatal(err)
				}
			}
			// The log's first line comes after the signal handlers are set:
			// a signal before that would kill a program that never ran.
			for deadline := time.Now().Add(30 * time.Second); !strings.Contains(readFile(log), "scan started"); time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("the scan did not start; stderr: %s", stderr)
				}
			}
			time.Sleep(100 * time.Millisecond)
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			if code := waitExit(t, cmd, 5*time.Second); code != exitFailure {
				t.Errorf("exit %d, want 1; stderr: %s", code, stderr)
			}
			if want := "interrupted (" + c.name + "); no report was written"; !strings.Contains(stderr.String(), want) {
				t.Errorf("stderr %q, want %q", stderr, want)
			}
			emptyDir(t, "TMPDIR", tmp)
			emptyDir(t, "the report folder", out)
		})
	}
}

// TestBrokenPipe: `syncready scan --out - --out r.xlsx | head` ends with
// exit 1 when head stops reading, and leaves neither the workbook, its
// temporary file nor the sheet spools in TMPDIR (personal data).
func TestBrokenPipe(t *testing.T) {
	dir, tmp := t.TempDir(), t.TempDir()
	env := filepath.Join(dir, "env")
	if code, _, e := runCmd(t, "generate", "--objects", "20000", env); code != exitOK {
		t.Fatalf("generate: %d %s", code, e)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cmd, stderr := child(t, tmp, pw, "scan", "--ldif", filepath.Join(env, "onprem.ldif"), "--graph-dir", filepath.Join(env, "graph"),
		"--out", "-", "--out", filepath.Join(out, "r.xlsx"))
	pw.Close()
	head := make([]byte, 100)
	if _, err := io.ReadFull(pr, head); err != nil {
		t.Fatalf("read the first bytes: %v; stderr: %s", err, stderr)
	}
	pr.Close() // head is done
	if code := waitExit(t, cmd, 60*time.Second); code != exitFailure {
		t.Errorf("exit %d, want 1; stderr: %s", code, stderr)
	}
	if !strings.Contains(stderr.String(), "interrupted (broken pipe); no report was written") {
		t.Errorf("stderr: %s", stderr)
	}
	emptyDir(t, "TMPDIR", tmp)
	emptyDir(t, "the report folder", out)
}

// TestOpenInputHonoursTheContext: the open of a FIFO with no writer returns
// when the context ends.
func TestOpenInputHonoursTheContext(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "in.ldif")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	code, _, e := func() (int, string, string) {
		var o, e bytes.Buffer
		return run(ctx, []string{"scan", "--ldif", fifo}, &o, &e), o.String(), e.String()
	}()
	if code != exitFailure || time.Since(start) > 3*time.Second || !strings.Contains(e, "no report was written") {
		t.Errorf("exit %d after %s: %s", code, time.Since(start), e)
	}
	// Let the abandoned open finish.
	if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		w.Close()
	}
}

// TestSecondInterruptRemovesTemps: a second Ctrl-C ends the program at once,
// and still no temporary file (reports, spools: personal data) is left.
func TestSecondInterruptRemovesTemps(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a large environment")
	}
	dir, tmp := t.TempDir(), t.TempDir()
	env := filepath.Join(dir, "env")
	if code, _, e := runCmd(t, "generate", "--objects", "150000", env); code != exitOK {
		t.Fatalf("generate: %d %s", code, e)
	}
	out, log := filepath.Join(dir, "out"), filepath.Join(dir, "scan.log")
	cmd, stderr := child(t, tmp, nil, "scan", "--ldif", filepath.Join(env, "onprem.ldif"), "--graph-dir", filepath.Join(env, "graph"),
		"--out", filepath.Join(out, "r.json"), "--out", filepath.Join(out, "r.xlsx"), "--out", filepath.Join(out, "r.csv"), "--log-file", log)
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(readFile(log), `"phase":"pair"`); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the scan did not reach the rules; stderr: %s", stderr)
		}
	}
	// Both at once: the second arrives while the first's clean-up runs.
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Process.Signal(syscall.SIGINT)
	if code := waitExit(t, cmd, 30*time.Second); code != exitFailure {
		t.Errorf("exit %d, want 1; stderr: %s", code, stderr)
	}
	if !strings.Contains(stderr.String(), "interrupt again: stopped") {
		t.Logf("the first interrupt's clean-up was done before the second came: %s", stderr)
	}
	emptyDir(t, "TMPDIR", tmp)
	emptyDir(t, "the report folder", out)
}
