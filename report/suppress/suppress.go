// Package suppress owns the suppressions file: findings an admin has
// accepted, each with a reason, an owner and an expiry. A suppressed finding
// leaves the findings list for a list of its own and does not count toward
// --fail-on; an expired entry stops suppressing and is reported as expired;
// an entry that matched nothing is reported as stale.
package suppress

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/syncready/syncready/rules"
	"github.com/syncready/syncready/scanner"
)

// Entry is one accepted finding (or set of findings: a rule on an object).
type Entry struct {
	Rule        string `yaml:"rule" json:"rule,omitempty"`
	Object      string `yaml:"object" json:"object,omitempty"`
	Fingerprint string `yaml:"fingerprint" json:"fingerprint,omitempty"`
	Reason      string `yaml:"reason" json:"reason"`
	Owner       string `yaml:"owner" json:"owner"`
	Expires     string `yaml:"expires" json:"expires"`
	Line        int    `yaml:"-" json:"line"`

	expires time.Time
	object  string // normalized
	matched int
}

// List is the suppressions of one file, judged on one day.
type List struct {
	File    string
	Entries []*Entry
	today   time.Time
}

// Error is a mistake in the suppressions file, with its line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Load reads a suppressions file. known are the rule IDs; today decides
// which entries have expired.
func Load(path string, known []string, today time.Time) (*List, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--suppressions: %w", err)
	}
	defer f.Close()
	return Parse(f, path, known, today)
}

// Parse reads suppressions from r: a YAML list of entries.
func Parse(r io.Reader, file string, known []string, today time.Time) (*List, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &List{File: file, today: today}, nil
		}
		return nil, &Error{File: file, Msg: "not YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.SequenceNode {
		return nil, &Error{File: file, Line: root.Line, Msg: "expected a list of entries (- rule: …, object: …, reason: …, owner: …, expires: YYYY-MM-DD)"}
	}
	l := &List{File: file, today: today}
	isKnown := map[string]bool{}
	for _, id := range known {
		isKnown[id] = true
	}
	for _, n := range root.Content {
		if n.Kind != yaml.MappingNode {
			return nil, &Error{File: file, Line: n.Line, Msg: "expected an entry with rule, object or fingerprint, reason, owner and expires"}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			switch k := n.Content[i].Value; k {
			case "rule", "object", "fingerprint", "reason", "owner", "expires":
			default:
				return nil, &Error{File: file, Line: n.Content[i].Line, Msg: fmt.Sprintf("unknown key %q; an entry has rule, object, fingerprint, reason, owner and expires", k)}
			}
		}
		e := &Entry{Line: n.Line}
		if err := n.Decode(e); err != nil {
			return nil, decodeError(file, n.Line, err)
		}
		if err := e.check(isKnown); err != nil {
			return nil, &Error{File: file, Line: n.Line, Msg: err.Error()}
		}
		l.Entries = append(l.Entries, e)
	}
	return l, nil
}

// decodeError says why an entry did not decode, at the line of its first
// problem: yaml's own "unmarshal errors:" list reads as one line per file
// line here.
func decodeError(file string, line int, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return &Error{File: file, Line: line, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	msgs := make([]string, 0, len(te.Errors))
	for i, m := range te.Errors {
		// Each is "line N: what"; the first line leads the error.
		var n int
		if _, scanErr := fmt.Sscanf(m, "line %d:", &n); scanErr == nil {
			if i == 0 {
				line = n
			}
			_, m, _ = strings.Cut(m, ": ")
		}
		msgs = append(msgs, m)
	}
	return &Error{File: file, Line: line, Msg: strings.Join(msgs, "; ")}
}

func (e *Entry) check(known map[string]bool) error {
	switch {
	case e.Rule != "" && !known[e.Rule]:
		return fmt.Errorf("unknown rule %q", e.Rule)
	case e.Fingerprint == "" && e.Object == "":
		return errors.New("an entry needs an object (DN or Graph id) or a fingerprint")
	case strings.TrimSpace(e.Reason) == "":
		return errors.New("an entry needs a reason: why the finding is accepted")
	case strings.TrimSpace(e.Owner) == "":
		return errors.New("an entry needs an owner: who accepted it")
	case e.Expires == "":
		return errors.New("an entry needs expires (YYYY-MM-DD): an accepted risk is reviewed, not forgotten")
	}
	t, err := time.Parse(time.DateOnly, e.Expires)
	if err != nil {
		return fmt.Errorf("expires %q: want a date YYYY-MM-DD", e.Expires)
	}
	e.expires = t
	if e.Object != "" {
		e.object = strings.ToLower(scanner.NormalizeDN(e.Object))
	}
	return nil
}

// Expired reports whether the entry no longer suppresses: it expires at the
// end of its day.
func (e *Entry) expired(today time.Time) bool {
	return !today.Before(e.expires.AddDate(0, 0, 1))
}

// Match returns the active entry that suppresses f, or nil. Expired entries
// never match.
func (l *List) Match(f *rules.Finding) *Entry {
	if l == nil {
		return nil
	}
	var obj string
	for _, e := range l.Entries {
		if e.expired(l.today) {
			continue
		}
		if e.Rule != "" && e.Rule != f.Rule {
			continue
		}
		if e.Fingerprint != "" && !strings.EqualFold(e.Fingerprint, f.Fingerprint) {
			continue
		}
		if e.object != "" {
			if obj == "" {
				obj = strings.ToLower(scanner.NormalizeDN(f.Object))
			}
			if e.object != obj {
				continue
			}
		}
		e.matched++
		return e
	}
	return nil
}

// Expired lists the entries past their expiry.
func (l *List) Expired() []*Entry {
	var out []*Entry
	if l != nil {
		for _, e := range l.Entries {
			if e.expired(l.today) {
				out = append(out, e)
			}
		}
	}
	return out
}

// Stale lists the active entries that matched no finding.
func (l *List) Stale() []*Entry {
	var out []*Entry
	if l != nil {
		for _, e := range l.Entries {
			if !e.expired(l.today) && e.matched == 0 {
				out = append(out, e)
			}
		}
	}
	return out
}
