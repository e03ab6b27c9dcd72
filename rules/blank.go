package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/syncready/syncready/scanner"
)

// Blank finds name attributes that are present but only whitespace, and
// display names that are missing.
var Blank = &Rule{
	ID:       "blank",
	Title:    "displayName missing, or displayName, givenName or sn blank",
	Severity: Warning,
	Doc: `displayName, givenName or sn is present but only whitespace (sn:: IA==, a single
space): the cloud object shows a blank name, first name or last name in address lists
and admin centres (warning). displayName is absent: the sync service uses the CN as
the cloud display name (info; the message says which). A whitespace-only value is
reported here only: leading-trailing-space and too-long leave it alone, so one value
never gets two findings with different fixes.`,
	Source: "https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/reference-connect-sync-attributes-synchronized",
	Run: func(p *Pass) {
		for i := range p.Snap.OnPrem {
			o := &p.Snap.OnPrem[i]
			if o.DisplayName == "" {
				cn := rdnValue(o)
				p.OnPrem(o, Finding{
					Severity:  Info,
					Attribute: "displayName",
					Message:   fmt.Sprintf("no displayName: the cloud display name becomes the CN, %q", cn),
					Fix:       Fix{Text: fmt.Sprintf("Set displayName if %q is not the name people should see.", cn), Attribute: "displayName", From: "", To: cn},
				})
			} else if blankValue(o.DisplayName) {
				cn := rdnValue(o)
				p.OnPrem(o, Finding{
					Attribute: "displayName",
					Value:     o.DisplayName,
					Message:   fmt.Sprintf("displayName is only whitespace (%s): the cloud object shows a blank name", plural(runes(o.DisplayName), "character")),
					Fix:       Fix{Text: fmt.Sprintf("Set displayName, for example to %q.", cn), Attribute: "displayName", From: o.DisplayName, To: cn},
				})
			}
			if blankValue(o.GivenName) {
				p.blankPart(o, "givenName", o.GivenName, "first name")
			}
			if blankValue(o.SN) {
				p.blankPart(o, "sn", o.SN, "last name")
			}
		}
	},
}

// blankPart reports a givenName or sn that is only whitespace. Clearing it
// is safe: the attribute is optional.
func (p *Pass) blankPart(o *scanner.OnPrem, attr, v, what string) {
	p.OnPrem(o, Finding{
		Attribute: attr,
		Value:     v,
		Message:   fmt.Sprintf("%s is only whitespace (%s): the cloud object shows a blank %s", attr, plural(runes(v), "character"), what),
		Fix:       Fix{Text: fmt.Sprintf("Clear %s, or set it to the %s.", attr, what), Attribute: attr, From: v, To: ""},
	})
}

// blankValue reports whether v is present but only whitespace. Such a value
// of displayName, givenName or sn is blank's alone.
func blankValue(v string) bool {
	// Most values start with a printable ASCII character: no scan.
	if v == "" || v[0] > ' ' && v[0] < utf8.RuneSelf {
		return false
	}
	return strings.TrimSpace(v) == ""
}

// plural says "1 character", "3 characters".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
