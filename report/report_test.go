package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

func sampleSnap() *scanner.Snapshot {
	return &scanner.Snapshot{
		Sources: scanner.Sources{Forests: []string{"a.ldif"}, Inputs: []string{"a.ldif"}},
		OnPrem:  []scanner.OnPrem{{DN: "CN=Zoë \"Z\", Müller\n,DC=x", Kind: scanner.KindUser}},
		Coverage: scanner.Coverage{
			NotEvaluated: []scanner.NotEvaluated{{Rule: "upn-mismatch", Reason: "no tenant"}},
		},
	}
}

func write(t *testing.T, w Writer, snap *scanner.Snapshot, findings []rules.Finding, matches []Match) {
	t.Helper()
	sum := NewSummary(snap, nil)
	if err := w.Start(&Header{Tool: Tool{"syncready", "test"}, ScannedAt: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), Sources: snap.Sources}); err != nil {
		t.Fatal(err)
	}
	for i := range findings {
		rf := &Finding{Finding: &findings[i]}
		sum.AddFinding(rf)
		if err := w.Finding(rf); err != nil {
			t.Fatal(err)
		}
	}
	for i := range matches {
		sum.AddMatch(&matches[i])
		if err := w.Match(&matches[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(sum, &snap.Coverage); err != nil {
		t.Fatal(err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	snap := sampleSnap()
	f := rules.Finding{Rule: "missing-upn", Severity: rules.Warning, Side: scanner.OnPremSide, Kind: scanner.KindUser,
		Object: snap.OnPrem[0].DN, Attribute: "userPrincipalName", Value: "=cmd|' /C calc'!A0", Message: "line1\nline2 \u2028",
		Fix: rules.Fix{Text: "t", Attribute: "proxyAddresses", From: "smtp:a@x", To: ""}, Related: []string{}, Fingerprint: "fp"}
	id := "cloud-1"
	matches := []Match{{OnPrem: "CN=a", Cloud: &id, Outcome: "blocked", Reason: "anchored"}, {OnPrem: "CN=b", Outcome: "provision"}}
	for _, n := range []int{0, 1, 3} {
		var buf bytes.Buffer
		w, err := Create("-", &buf)
		if err != nil {
			t.Fatal(err)
		}
		fs := make([]rules.Finding, n)
		for i := range fs {
			fs[i] = f
		}
		write(t, w, snap, fs, matches[:min(n, 2)])
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		var rep struct {
			SchemaVersion int
			ScannedAt     string
			Findings      []map[string]any
			Matches       []map[string]any
			Summary       struct {
				Findings struct{ Total int }
			}
			Coverage struct{ NotEvaluated []map[string]string }
		}
		if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
			t.Fatalf("n=%d: %v\n%s", n, err, buf.String())
		}
		if len(rep.Findings) != n || rep.Summary.Findings.Total != n || rep.SchemaVersion != 1 || rep.ScannedAt != "2026-11-23T08:00:00Z" {
			t.Errorf("n=%d: %+v", n, rep)
		}
		if n > 0 {
			got := rep.Findings[0]
			if got["value"] != f.Value || got["object"] != f.Object || got["message"] != f.Message {
				t.Errorf("values changed on the way: %v", got)
			}
			fix := got["fix"].(map[string]any)
			if to, ok := fix["to"]; !ok || to != "" {
				t.Errorf("a removal fix must carry an empty \"to\": %v", fix)
			}
		}
		if n >= 2 {
			if rep.Matches[1]["cloud"] != nil || rep.Matches[1]["reason"] != nil || rep.Matches[0]["reason"] != "anchored" {
				t.Errorf("matches %v", rep.Matches)
			}
		}
		if len(rep.Coverage.NotEvaluated) != 1 {
			t.Errorf("coverage %+v", rep.Coverage)
		}
	}
}

func TestFileCommitAndAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	w, err := Create(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	write(t, w, sampleSnap(), nil, nil)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the report exists before commit")
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("committed report: %v %v", fi, err)
	}

	w, err = Create(filepath.Join(dir, "aborted.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = w.Start(&Header{})
	w.Abort()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("abort left files: %v", entries)
	}
	if _, err := Create(filepath.Join(dir, "r.txt"), nil); err == nil || !strings.Contains(err.Error(), "unknown report format") {
		t.Errorf("unknown extension: %v", err)
	}
	if _, err := Create(filepath.Join(dir, "missing", "r.json"), nil); err == nil {
		t.Error("a report in a missing directory should fail")
	}
}

func TestVerdict(t *testing.T) {
	both := scanner.Sources{Forests: []string{"a.ldif"}}
	for _, c := range []struct {
		name     string
		snap     scanner.Snapshot
		tenant   bool
		assumed  bool
		bySev    map[string]int
		want     string
		complete bool
	}{
		{"errors", scanner.Snapshot{Sources: both}, true, false, map[string]int{"error": 14, "warning": 3},
			"Not ready: 14 errors would fail or misdirect sync; 3 warnings", true},
		{"ready", scanner.Snapshot{Sources: both}, true, false, map[string]int{"warning": 1},
			"Ready: no errors; 1 warning", true},
		{"AD only", scanner.Snapshot{Sources: both, Coverage: scanner.Coverage{NotEvaluated: make([]scanner.NotEvaluated, 10)}}, false, false, nil,
			"Incomplete: no errors on premises; the tenant was not read, 10 rules not evaluated", false},
		{"cloud only", scanner.Snapshot{}, true, false, map[string]int{"warning": 2},
			"Incomplete: no errors in the tenant; 2 warnings; Active Directory was not read", false},
		{"errors and AD only", scanner.Snapshot{Sources: both}, false, false, map[string]int{"error": 1},
			"Not ready: 1 error would fail or misdirect sync; 0 warnings; incomplete: the tenant was not read", false},
		{"partial read", scanner.Snapshot{Sources: both, Coverage: scanner.Coverage{Partial: []string{"a referral"}}}, true, false, nil,
			"Incomplete: no errors; 1 gap in what was read (see coverage)", false},
		{"features assumed", scanner.Snapshot{Sources: both}, true, true, nil,
			"Incomplete: no errors; the tenant's sync features were assumed", false},
		{"skipped objects are not missing", scanner.Snapshot{Sources: both, Coverage: scanner.Coverage{Skipped: []scanner.Skipped{{Object: "CN=krbtgt"}}}}, true, false, nil,
			"Ready: no errors; 0 warnings", true},
		{"nothing read", scanner.Snapshot{}, false, false, nil,
			"Incomplete: no errors; Active Directory was not read, the tenant was not read", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap := c.snap
			if c.tenant {
				snap.Tenant = &scanner.Tenant{}
				if c.assumed {
					snap.Tenant.SetUnknown(scanner.FactFeatures, "not read")
				}
			}
			s := NewSummary(&snap, nil)
			for k, n := range c.bySev {
				s.BySeverity[k] = n
			}
			if v := s.Verdict(); v != c.want {
				t.Errorf("verdict\n got %q\nwant %q", v, c.want)
			}
			if s.Incomplete() == c.complete {
				t.Errorf("Incomplete() = %v", s.Incomplete())
			}
		})
	}
}

func TestTextSummaryTopFindings(t *testing.T) {
	var buf bytes.Buffer
	w := NewText(&buf, []string{"r.json"})
	snap := sampleSnap()
	var fs []rules.Finding
	for i := 0; i < 15; i++ {
		fs = append(fs, rules.Finding{Rule: "missing-upn", Severity: rules.Warning, Object: "CN=w", Message: "warn"})
	}
	fs = append(fs, rules.Finding{Rule: "duplicate-upn", Severity: rules.Error, Object: "CN=e", Message: "err"})
	write(t, w, snap, fs, nil)
	if buf.Len() != 0 {
		t.Fatal("the summary is printed by Commit, after the report files are in place")
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, "CN=w") != topN-1 || !strings.Contains(out, "error   duplicate-upn  CN=e") {
		t.Errorf("top findings should show errors first and stop at %d:\n%s", topN, out)
	}
	if strings.Index(out, "CN=e") > strings.Index(out, "CN=w") {
		t.Error("errors come before warnings")
	}
	if !strings.Contains(out, "not evaluated: upn-mismatch") || !strings.Contains(out, "Report: r.json") {
		t.Errorf("coverage or outputs missing:\n%s", out)
	}
}

// failingCommit is a report file writer whose commit fails (a full disk).
type failingCommit struct{ Writer }

func (failingCommit) Commit() error { return errors.New("write report r.csv: no space left on device") }

// TestOutputsAllOrNone: when one report fails to commit, none is put in
// place, no temporary file is left, and the terminal summary (which names
// the reports) is not printed.
func TestOutputsAllOrNone(t *testing.T) {
	dir := t.TempDir()
	var o Outputs
	for _, name := range []string{"a.json", "b.xlsx"} {
		if _, err := o.Create(filepath.Join(dir, name), nil, Async); err != nil {
			t.Fatal(err)
		}
	}
	csvW, err := Create(filepath.Join(dir, "c.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	o.fileWs = append(o.fileWs, failingCommit{csvW})
	var term bytes.Buffer
	o.Add(NewText(&term, []string{"a.json", "b.xlsx", "c.csv"}))
	snap := sampleSnap()
	for _, w := range o.Writers() {
		write(t, w, snap, []rules.Finding{{Rule: "missing-upn", Severity: rules.Warning, Object: "CN=w"}}, nil)
	}
	if err := o.Commit(); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("commit: %v", err)
	}
	csvW.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left in the folder: %v", names)
	}
	if term.Len() != 0 {
		t.Errorf("the terminal named reports that were not written: %s", term.String())
	}

	// Without the failure, all three are in place and then named.
	var ok Outputs
	for _, name := range []string{"a.json", "b.xlsx", "c.csv"} {
		if _, err := ok.Create(filepath.Join(dir, name), nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	ok.Add(NewText(&term, []string{"a.json"}))
	for _, w := range ok.Writers() {
		write(t, w, snap, nil, nil)
	}
	if err := ok.Commit(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 || !strings.Contains(term.String(), "Report: a.json") {
		t.Errorf("%v, %q", entries, term.String())
	}
}

// TestCause: a finding's cause is written as "cause" and read back; a
// finding that nothing causes has no "cause" key at all.
func TestCause(t *testing.T) {
	for _, c := range []struct {
		name, cause string
	}{
		{"caused", fpA},
		{"not caused", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap := sampleSnap()
			f := rules.Finding{Rule: "duplicate-upn", Severity: rules.Error, Side: scanner.OnPremSide, Kind: scanner.KindUser,
				Object: "CN=a", Fix: rules.Fix{Text: "t"}, Related: []string{}, Fingerprint: fpB, Cause: c.cause}
			path := filepath.Join(t.TempDir(), "r.json")
			w, err := Create(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			write(t, w, snap, []rules.Finding{f}, nil)
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var rep struct{ Findings []map[string]any }
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			got, present := rep.Findings[0]["cause"]
			if c.cause == "" && present || c.cause != "" && got != c.cause {
				t.Errorf("written cause %v (present %v), want %q", got, present, c.cause)
			}
			var read []*rules.Finding
			if _, err := ReadReport(path, ReadOptions{Finding: func(f *rules.Finding) error { read = append(read, f); return nil }}); err != nil {
				t.Fatal(err)
			}
			if len(read) != 1 || read[0].Cause != c.cause {
				t.Errorf("read back %+v, want cause %q", read, c.cause)
			}
		})
	}
}
