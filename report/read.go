package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// Info is what a JSON report says about itself.
type Info struct {
	File          string
	SchemaVersion int
	ScannedAt     string
	TenantID      string
	Tool          Tool
}

// ReadOptions receive a report's findings and matches as they are read.
type ReadOptions struct {
	Finding func(*rules.Finding) error
	// Suppressed receives the findings of the suppressed list.
	Suppressed func(*rules.Finding) error
	Match      func(*Match) error
}

// ReadError is a JSON report that cannot be read, naming the file, line and
// what was expected. Err is the cause, when there is one (a callback's
// error, or the decoder's).
type ReadError struct {
	File string
	Line int
	Msg  string
	Err  error
}

func (e *ReadError) Unwrap() error { return e.Err }

func (e *ReadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ReadReport streams a syncready JSON report: findings and matches go to
// opt's callbacks one at a time, so a report of any size reads in flat
// memory. It fails on a document that is not a complete syncready report:
// one that is not a JSON object, has a key twice, has content after its
// end, or lacks a key the readers depend on (see requiredKeys). Such a
// report may already have given some findings to opt's callbacks.
func ReadReport(path string, opt ReadOptions) (Info, error) {
	info := Info{File: path}
	f, err := os.Open(path)
	if err != nil {
		return info, fmt.Errorf("read report: %w", err)
	}
	defer f.Close()
	d := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	fail := func(msg string) error {
		return &ReadError{File: path, Line: lineAtOffset(path, d.InputOffset()), Msg: msg}
	}
	failWith := func(msg string, err error) error {
		return &ReadError{File: path, Line: lineAtOffset(path, d.InputOffset()), Msg: msg + ": " + err.Error(), Err: err}
	}
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return info, fail("not a syncready JSON report (expected a JSON object)")
	}
	seen := map[string]bool{}
	tenantRead := false // sources.tenantId, or match outcomes counted in the summary
	for d.More() {
		kt, err := d.Token()
		if err != nil {
			return info, fail("not valid JSON: " + err.Error())
		}
		key, _ := kt.(string)
		if seen[key] {
			return info, fail(fmt.Sprintf("the key %q appears twice: a report has each key once", key))
		}
		seen[key] = true
		switch key {
		case "schemaVersion":
			if err := d.Decode(&info.SchemaVersion); err != nil {
				return info, fail("schemaVersion: expected a number")
			}
		case "scannedAt":
			if err := d.Decode(&info.ScannedAt); err != nil {
				return info, fail("scannedAt: expected a string")
			}
		case "tool":
			if err := decodeObject(d, &info.Tool); err != nil {
				return info, fail("tool: expected {name, version}")
			}
		case "sources":
			var src jsonSources
			if err := decodeObject(d, &src); err != nil {
				return info, fail("sources: " + err.Error())
			}
			info.TenantID = src.TenantID
			tenantRead = tenantRead || src.TenantID != ""
		case "summary":
			var sum struct {
				Matches struct {
					ByOutcome map[string]int `json:"byOutcome"`
				} `json:"matches"`
			}
			if err := decodeObject(d, &sum); err != nil {
				return info, fail("summary: " + err.Error())
			}
			tenantRead = tenantRead || len(sum.Matches.ByOutcome) > 0
		case "findings", "suppressed":
			fn := opt.Finding
			if key == "suppressed" {
				fn = opt.Suppressed
			}
			if err := eachItem(d, func() error {
				var jf jsonFinding
				if err := d.Decode(&jf); err != nil {
					return err
				}
				if fn == nil {
					return nil
				}
				f, err := fromJSON(&jf)
				if err != nil {
					return err
				}
				return fn(f)
			}); err != nil {
				return info, failWith(key, err)
			}
		case "matches":
			if err := eachItem(d, func() error {
				var jm jsonMatch
				if err := d.Decode(&jm); err != nil {
					return err
				}
				if opt.Match == nil {
					return nil
				}
				m := &Match{OnPrem: jm.OnPrem, Cloud: jm.Cloud, Outcome: jm.Outcome}
				if jm.Reason != nil {
					m.Reason = *jm.Reason
				}
				if jm.CloudName != nil {
					m.CloudName = *jm.CloudName
				}
				return opt.Match(m)
			}); err != nil {
				return info, failWith("matches", err)
			}
		default:
			var skip json.RawMessage
			if err := d.Decode(&skip); err != nil {
				return info, fail("not valid JSON: " + err.Error())
			}
		}
	}
	if t, err := d.Token(); err != nil || t != json.Delim('}') {
		return info, fail("the report ends before its closing }: the file is cut short")
	}
	if _, err := d.Token(); err != io.EOF {
		return info, fail("more follows the report's closing }: a file holds one report")
	}
	if !seen["schemaVersion"] {
		return info, &ReadError{File: path, Msg: "not a syncready JSON report: it has no schemaVersion"}
	}
	for _, k := range requiredKeys {
		if !seen[k.key] {
			return info, &ReadError{File: path, Msg: fmt.Sprintf("not a complete syncready report: it has no %q (%s)", k.key, k.why)}
		}
	}
	if tenantRead && !seen["matches"] {
		return info, &ReadError{File: path, Msg: `not a complete syncready report: it has no "matches", though a tenant was read (its sources or summary say so): a report of a scan with a tenant lists the match plan`}
	}
	return info, nil
}

// requiredKeys are the keys every report has (as the JSON writer writes
// them) and its readers depend on. "matches" is required only of a report
// whose scan read a tenant, and "suppressed" only with suppressions.
var requiredKeys = []struct{ key, why string }{
	{"tool", "which tool wrote it"},
	{"scannedAt", "when the scan ran"},
	{"sources", "what was read"},
	{"summary", "the counts"},
	{"findings", `its findings, even none, as "findings": []; without it every earlier finding would look resolved`},
}

// decodeObject decodes the next value, which must be a JSON object, into v.
func decodeObject(d *json.Decoder, v any) error {
	var raw json.RawMessage
	if err := d.Decode(&raw); err != nil {
		return err
	}
	if len(raw) == 0 || raw[0] != '{' {
		return errors.New("expected a JSON object")
	}
	return json.Unmarshal(raw, v)
}

func eachItem(d *json.Decoder, fn func() error) error {
	if t, err := d.Token(); err != nil || t != json.Delim('[') {
		return errors.New("expected an array")
	}
	for i := 0; d.More(); i++ {
		if err := fn(); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
	}
	_, err := d.Token()
	return err
}

func fromJSON(jf *jsonFinding) (*rules.Finding, error) {
	sev, err := rules.ParseSeverity(jf.Severity)
	if err != nil {
		return nil, err
	}
	f := &rules.Finding{Rule: jf.Rule, Severity: sev, Object: jf.Object, Name: jf.Name, Attribute: jf.Attribute, Value: jf.Value,
		Message: jf.Message, Related: jf.Related, RelatedNames: jf.RelatedNames, Fingerprint: jf.Fingerprint, Cause: jf.Cause, Fix: rules.Fix{Text: jf.Fix.Text, Attribute: jf.Fix.Attribute}}
	if jf.Fix.From != nil {
		f.Fix.From = *jf.Fix.From
	}
	if jf.Fix.To != nil {
		f.Fix.To = *jf.Fix.To
	}
	f.Side = scanner.OnPremSide
	if jf.Side == "cloud" {
		f.Side = scanner.CloudSide
	}
	switch jf.Kind {
	case "user":
		f.Kind = scanner.KindUser
	case "group":
		f.Kind = scanner.KindGroup
	case "contact":
		f.Kind = scanner.KindContact
	}
	if f.Fingerprint == "" {
		return nil, errors.New("a finding without a fingerprint")
	}
	return f, nil
}

// lineAtOffset returns the 1-based line holding byte offset off.
func lineAtOffset(path string, off int64) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	line, _ := scanner.CountLines(bufio.NewReaderSize(f, 64<<10), off)
	return line
}
