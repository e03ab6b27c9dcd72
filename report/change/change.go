// Package change owns the change plan of `syncready fix` — one row per
// attribute change, each to apply, to decide or to skip — and the plan's
// CSV file, which is the admin's spreadsheet: written with the plan, edited
// in Excel, and read back to make the scripts. The LDIF and PowerShell the
// plan becomes are written from the same rows.
package change

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/syncready/syncready/scanner"
)

// Action says what becomes of a row.
type Action string

const (
	// Apply is a safe change with one right answer.
	Apply Action = "apply"
	// Decide is a change the tool cannot choose for the admin: which of
	// two objects keeps an address, which cloud account a person keeps.
	Decide Action = "decide"
	// Skip is a change the admin chose not to make.
	Skip Action = "skip"
)

// Op is how the row changes the attribute.
type Op string

const (
	// Add adds To (a multi-valued attribute) or sets it (a single-valued
	// attribute that has no value).
	Add Op = "add"
	// Remove removes From.
	Remove Op = "remove"
	// Replace removes From and adds To, in one change: a directory that no
	// longer holds From refuses it.
	Replace Op = "replace"
)

// Row is one change.
type Row struct {
	ID     string
	Action Action
	Side   scanner.Side
	// Object is the DN as read (on premises) or the Graph id (cloud).
	Object string
	// Name is the object's display name or UPN, for people.
	Name string
	// Attribute is the directory attribute (on premises) or the Graph
	// property (cloud).
	Attribute string
	Operation Op
	// From and To are the exact old and new values (proxyAddresses values
	// with their prefix); "" is none.
	From, To string
	// Findings are the fingerprints of the findings the row resolves; Rule
	// is the rule of the first.
	Findings []string
	Rule     string
	// Note says why, or what the admin must decide.
	Note string

	// For the scripts, not in the CSV: the object's objectGUID (on
	// premises, as AD tools show it; "" when not read), and its kind.
	GUID string
	Kind scanner.Kind
}

// RowID is a row's stable key: the same change on the same object gets the
// same id in every run, so an edited plan can be matched to a new scan.
// identity is the object's objectGUID (or DN) or Graph id.
func RowID(side scanner.Side, identity, attribute string, op Op, from, to string) string {
	h := sha256.New()
	for _, s := range [...]string{side.String(), identity, strings.ToLower(attribute), string(op), from, to} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "c" + hex.EncodeToString(h.Sum(nil)[:5])
}

// Plan is the rows of a fix, in order: the order of the CSV and of the
// scripts.
type Plan struct {
	Rows []Row
}

// Counts says how many rows there are of each action, and on how many
// objects the apply rows are, per side.
func (p *Plan) Counts() (apply, decide, skip, objects, onprem, cloud int) {
	seen := map[string]bool{}
	for _, r := range p.Rows {
		switch r.Action {
		case Apply:
			apply++
			if r.Side == scanner.CloudSide {
				cloud++
			} else {
				onprem++
			}
			if k := r.Side.String() + "\x00" + r.Object; !seen[k] {
				seen[k] = true
				objects++
			}
		case Decide:
			decide++
		case Skip:
			skip++
		}
	}
	return
}

// Ranges names the 1-based plan rows (as the spreadsheet numbers them, the
// header being row 1) of an action, as "12–15" or "3, 7–9".
func (p *Plan) Ranges(a Action) string {
	var parts []string
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		if end == start {
			parts = append(parts, fmt.Sprint(start))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", start, end))
		}
		start = -1
	}
	for i, r := range p.Rows {
		row := i + 2
		if r.Action == a {
			if start < 0 {
				start = row
			}
			continue
		}
		flush(row - 1)
	}
	flush(len(p.Rows) + 1)
	return strings.Join(parts, ", ")
}
